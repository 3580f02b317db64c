# shellcheck shell=bash
# The life of a disposable Samba AD DC, shared by scripts/samba-dc.sh (the test DC)
# and scripts/bench-dc.sh (the bench and fault DCs). A script sources this file,
# sets the settings below, defines the hooks and ends with: dc_main "$@"
#
# Settings:
#   LOG_TAG             prefix of every message
#   DC_DIR, DC_IP       the DC's folder and loopback address
#   DC_INTERFACES       samba's "interfaces"
#   SERVER_SERVICES     changes to samba's "server services"; without "-kdc" the DC is
#                       also a KDC on port 88 and krb5.conf is written next to it
#   REALM, NETBIOS_DOMAIN, DNS_DOMAIN, DC_HOST (its first label is the host name),
#   BASE_DN, ADMIN_PASS
#   CA_NAME             common name of the DC's own CA
#   TLS_SANS            the DC certificate's subjectAltName (default DNS:$DC_HOST,IP:$DC_IP)
#   PACKAGES            the Debian packages the DC needs
#   CACHE_NAME          cache tarballs are $CACHE_DIR/$CACHE_NAME-<population>.tar.gz
#   POPULATION_KEY      what else shapes the population (sizes from the environment)
#   POPULATION_SUMMARY  what "populating (...)" says
#   ENV_PREFIX          of the variables env.sh exports (AD_, DC2_); ENV_NOTE ends its comment
# Hooks:
#   write_population    writes $DC_DIR/ldif/add-*.ldif, added in name order, then
#                       ldif/modify-*.ldif for values only the system may set;
#                       entries' times are relative to $POPULATED_AT (Unix seconds)
#   write_env_extra     prints the script's own export lines ($POPULATION and
#                       $POPULATED_AT are the stamp's)
#
# Populating is the slow part, so a stopped, populated DC is kept as a tarball in
# $CALSCAN_DC_CACHE (default ~/.cache/calscan), keyed by a hash of this file, the calling
# script, Samba's version, the folder, the address and POPULATION_KEY. Timestamps are
# relative to the time of population; a DC populated more than CACHE_MAX_DAYS ago is
# rebuilt so "active" accounts never drift into "stale". CALSCAN_DC_NO_CACHE=1 always
# provisions afresh.

[ ${#BASH_SOURCE[@]} -ge 2 ] || {
	echo "${BASH_SOURCE[0]}: source it from a DC script" >&2
	exit 2
}
# Absolute: env.sh may name the script to restart the DC from anywhere.
DC_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
DC_SCRIPT=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)/$(basename "${BASH_SOURCE[1]}")

CACHE_DIR=${CALSCAN_DC_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/calscan}
CACHE_MAX_DAYS=30
POPULATION_KEY=
ENV_NOTE=

log() { printf '%s: %s\n' "$LOG_TAG" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# ----------------------------------------------------------------- packages

ensure_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
}

# ----------------------------------------------------------------- process control

kdc_enabled() { [[ " $SERVER_SERVICES " != *" -kdc "* ]]; }

# dc_pid prints the pid of our running samba, if there is one.
dc_pid() {
	[ -s "$PID_FILE" ] || return 1
	local pid
	pid=$(tr -dc 0-9 <"$PID_FILE")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	# a recycled pid is not ours
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = samba ] || return 1
	echo "$pid"
}

stop_dc() {
	local pid
	if ! pid=$(dc_pid); then
		rm -f "$PID_FILE"
		return 0
	fi
	log "stopping samba (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 100); do
		kill -0 -- "-$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 -- "-$pid" 2>/dev/null; then
		log "samba $pid did not stop in 10 s; killing its process group"
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	rm -f "$PID_FILE"
}

port_busy() { (exec 3<>"/dev/tcp/$DC_IP/$1") 2>/dev/null; }

ldap_ready() {
	ldapsearch -LLL -o nettimeout=2 -H "ldap://$DC_IP:389" -x \
		-D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" -b "$BASE_DN" -s base dn >/dev/null 2>&1 &&
		LDAPTLS_CACERT=$DC_DIR/pki/ca.pem ldapsearch -LLL -o nettimeout=2 -H "ldaps://$DC_IP:636" -x \
			-D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" -b "$BASE_DN" -s base dn >/dev/null 2>&1
}

start_dc() {
	local ports=(389 636) services='LDAP 389, LDAPS 636' p
	if kdc_enabled; then
		ports+=(88)
		services+=', Kerberos 88'
	fi
	for p in "${ports[@]}"; do
		port_busy "$p" && die "$DC_IP:$p is already in use by another process (another DC?)"
	done
	mkdir -p "$DC_DIR/run" "$DC_DIR/logs"
	# 9>&-: the DC must not inherit (and so hold) this script's lock
	setsid samba -s "$SMB_CONF" -F --debug-stdout -d1 </dev/null >"$DC_DIR/logs/samba.out" 2>&1 9>&- &
	local launcher=$!
	for _ in $(seq 1 300); do
		ldap_ready && break
		if ! kill -0 "$launcher" 2>/dev/null; then
			tail -30 "$DC_DIR/logs/samba.out" >&2
			die "samba exited while starting (log: $DC_DIR/logs/samba.out)"
		fi
		sleep 0.2
	done
	ldap_ready || die "LDAP did not answer within 60 s (log: $DC_DIR/logs/samba.out)"
	dc_pid >/dev/null || die "samba answers but wrote no pid file at $PID_FILE"
	log "DC up (pid $(dc_pid)) on $DC_IP: $services"
}

# ----------------------------------------------------------------- provisioning

population_version() {
	{
		cat "$DC_LIB" "$DC_SCRIPT"
		dpkg-query -W -f='${Version}' samba
		echo "$DC_DIR $DC_IP $POPULATION_KEY"
	} | sha256sum | cut -c1-16
}

stamp_is_fresh() {
	[ -s "$STAMP_FILE" ] || return 1
	local version populated_at
	read -r version populated_at <"$STAMP_FILE"
	[ "$version" = "$(population_version)" ] &&
		[ $(($(date +%s) - populated_at)) -lt $((CACHE_MAX_DAYS * 86400)) ]
}

provision() {
	rm -rf "$DC_DIR"
	mkdir -p "$DC_DIR/run" "$DC_DIR/logs"
	log "provisioning $REALM into $DC_DIR ($DC_IP)"
	samba-tool domain provision --realm="$REALM" --domain="$NETBIOS_DOMAIN" --server-role=dc \
		--dns-backend=SAMBA_INTERNAL --adminpass="$ADMIN_PASS" --targetdir="$DC_DIR/dc" \
		--use-rfc2307 --host-name="${DC_HOST%%.*}" --host-ip="$DC_IP" \
		--option="interfaces=$DC_INTERFACES" --option="bind interfaces only=yes" >"$DC_DIR/logs/provision.log" 2>&1 ||
		die "provision failed (log: $DC_DIR/logs/provision.log)"
	make_certificates
	configure_samba
	if kdc_enabled; then write_krb5_conf; fi
}

# Samba's own certificate has no subjectAltName, which Go rejects.
make_certificates() {
	local pki=$DC_DIR/pki
	mkdir -p "$pki"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$CA_NAME" \
		-keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$DC_HOST" \
		-keyout "$pki/dc.key" -out "$pki/dc.csr" 2>/dev/null
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "${TLS_SANS:-DNS:$DC_HOST,IP:$DC_IP}" >"$pki/ext.cnf"
	openssl x509 -req -days 3650 -in "$pki/dc.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
		-CAcreateserial -extfile "$pki/ext.cnf" -out "$pki/dc.pem" 2>/dev/null
	chmod 600 "$pki/ca.key" "$pki/dc.key"
}

configure_samba() {
	# Everything the DC writes stays under $DC_DIR.
	sed -i -e '/dns forwarder = /d' -e "s|log file = .*|log file = $DC_DIR/logs/log.%m|" "$SMB_CONF"
	sed -i "/^\[global\]/a\\
	server services = $SERVER_SERVICES\\
	ldap server require strong auth = no\\
	tls enabled = yes\\
	tls keyfile = $DC_DIR/pki/dc.key\\
	tls certfile = $DC_DIR/pki/dc.pem\\
	tls cafile = $DC_DIR/pki/ca.pem\\
	pid directory = $DC_DIR/run\\
	ncalrpc dir = $DC_DIR/run/ncalrpc\\
	winbindd socket directory = $DC_DIR/run/winbindd\\
	ntp signd socket directory = $DC_DIR/run/ntp_signd" "$SMB_CONF"
	# Fixed test passwords must keep working; a population sets expiry and lockout per account.
	samba-tool domain passwordsettings set -s "$SMB_CONF" -H "$SAM_LDB" \
		--complexity=off --history-length=0 --min-pwd-age=0 --max-pwd-age=0 >/dev/null
}

write_krb5_conf() {
	cat >"$DC_DIR/krb5.conf" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	rdns = false
	dns_canonicalize_hostname = false
[realms]
	$REALM = {
		kdc = $DC_IP
		admin_server = $DC_IP
		default_domain = $DNS_DOMAIN
	}
[domain_realm]
	.$DNS_DOMAIN = $REALM
	$DNS_DOMAIN = $REALM
EOF
}

# ----------------------------------------------------------------- population

# ldb_apply TOOL FILE [options...]. The ldb tools can report a failed record and
# still exit 0, so their output is checked too.
ldb_apply() {
	local tool=$1 f=$2 out
	out=$DC_DIR/logs/$(basename "$f" .ldif).log
	shift 2
	if ! "$tool" "$@" --configfile="$SMB_CONF" -H "$SAM_LDB" "$f" >"$out" 2>&1 || grep -q '^ERR' "$out"; then
		grep -B2 '^ERR' "$out" >&2 || true
		die "$tool $f failed (log: $out)"
	fi
}

populate() {
	log "populating ($POPULATION_SUMMARY)"
	local f
	POPULATED_AT=$(date -u +%s)
	mkdir -p "$DC_DIR/ldif"
	write_population
	for f in "$DC_DIR"/ldif/add-*.ldif; do
		[ -e "$f" ] || continue
		ldb_apply ldbadd "$f"
	done
	# 1.3.6.1.4.1.7165.4.3.12 (DSDB_CONTROL_BYPASS_PASSWORD_HASH) lets pwdLastSet take any value.
	for f in "$DC_DIR"/ldif/modify-*.ldif; do
		[ -e "$f" ] || continue
		ldb_apply ldbmodify "$f" --controls=local_oid:1.3.6.1.4.1.7165.4.3.12:0
	done
	rm -rf "$DC_DIR/ldif" # tens of megabytes for the bench DC, and in every cached copy
	echo "$(population_version) $POPULATED_AT" >"$STAMP_FILE"
}

# ----------------------------------------------------------------- cache

cache_prefix() { echo "$CACHE_DIR/$CACHE_NAME-"; }
cache_file() { echo "$(cache_prefix)$(population_version).tar.gz"; }

save_cache() {
	[ "${CALSCAN_DC_NO_CACHE:-0}" = 1 ] && return 0
	local f tmp
	f=$(cache_file)
	mkdir -p "$CACHE_DIR"
	# Older populations of this DC; exactly 16 characters, so that another DC whose
	# name extends this one's (bench-dc-x-y against bench-dc-x) keeps its own.
	rm -f "$(cache_prefix)"????????????????.tar.gz
	tmp=$(mktemp "$CACHE_DIR/.$CACHE_NAME.XXXXXX")
	if tar -C "$DC_DIR" --exclude=./run --exclude=./logs -czf "$tmp" . && mv "$tmp" "$f"; then
		log "cached the populated DC in $f"
	else
		rm -f "$tmp"
		log "warning: could not cache the DC in $CACHE_DIR"
	fi
}

restore_cache() {
	[ "${CALSCAN_DC_NO_CACHE:-0}" = 1 ] && return 1
	local f
	f=$(cache_file)
	[ -s "$f" ] || return 1
	rm -rf "$DC_DIR"
	mkdir -p "$DC_DIR/run" "$DC_DIR/logs"
	tar -C "$DC_DIR" -xzf "$f" || return 1
	stamp_is_fresh || return 1
	log "restored the populated DC from $f"
}

# ----------------------------------------------------------------- env

write_env() {
	local p=$ENV_PREFIX
	# shellcheck disable=SC2034 # POPULATION is for write_env_extra
	read -r POPULATION POPULATED_AT <"$STAMP_FILE"
	{
		echo "# written by scripts/${DC_SCRIPT##*/}${ENV_NOTE:+: $ENV_NOTE}"
		cat <<EOF
export ${p}LDAP_URL=ldap://$DC_IP:389
export ${p}LDAPS_URL=ldaps://$DC_IP:636
export ${p}BASE_DN='$BASE_DN'
export ${p}DNS_DOMAIN=$DNS_DOMAIN
export ${p}DOMAIN=$NETBIOS_DOMAIN
export ${p}BIND_UPN='Administrator@$DNS_DOMAIN'
export ${p}BIND_DN='CN=Administrator,CN=Users,$BASE_DN'
export ${p}BIND_PASS='$ADMIN_PASS'
export ${p}CA_FILE=$DC_DIR/pki/ca.pem
EOF
		write_env_extra
	} >"$DC_DIR/env.sh"
}

# ----------------------------------------------------------------- commands

cmd_start() {
	ensure_packages
	mkdir -p "$(dirname "$DC_DIR")"
	exec 9>"$DC_DIR.lock"
	flock 9 # one start/stop at a time

	if dc_pid >/dev/null; then
		if stamp_is_fresh; then
			write_env
			log "DC already running (pid $(dc_pid)); env: $DC_DIR/env.sh"
			return 0
		fi
		stop_dc
	fi
	if stamp_is_fresh; then
		log "reusing the populated DC in $DC_DIR"
	elif ! restore_cache; then
		provision
		populate
		save_cache
	fi
	start_dc
	write_env
	log "env: $DC_DIR/env.sh"
}

cmd_stop() {
	[ -d "$DC_DIR" ] || return 0
	exec 9>"$DC_DIR.lock"
	flock 9
	stop_dc
}

cmd_env() {
	dc_pid >/dev/null || die "no DC is running in $DC_DIR (run: $0 start)"
	cat "$DC_DIR/env.sh"
}

cmd_status() {
	local pid
	if pid=$(dc_pid); then
		echo "running (pid $pid) in $DC_DIR on $DC_IP"
	else
		echo "stopped"
		return 1
	fi
}

dc_main() {
	SMB_CONF=$DC_DIR/dc/etc/smb.conf
	SAM_LDB=$DC_DIR/dc/private/sam.ldb
	PID_FILE=$DC_DIR/run/samba.pid # samba's own ("pid directory" points here)
	STAMP_FILE=$DC_DIR/population
	case "${1:-}" in
	start) cmd_start ;;
	stop) cmd_stop ;;
	env) cmd_env ;;
	status) cmd_status ;;
	*)
		echo "usage: $0 start|stop|env|status" >&2
		exit 2
		;;
	esac
}
