#!/usr/bin/env bash
# A second, disposable Samba AD DC for benchmarks and fault tests, apart from the
# shared test DC of scripts/samba-dc.sh: its own folder, its own loopback address
# (127.0.0.2 by default; the test DC listens on 127.0.0.1 only) and its own domain,
# BENCH.EXAMPLE.TEST. Tests may add entries to it, or kill it, without touching the
# population the Samba integration suite counts.
#
#   scripts/bench-dc.sh start    install what is missing, provision + populate (or reuse), start
#   scripts/bench-dc.sh stop     stop it (by the pid in samba's pid file)
#   scripts/bench-dc.sh env      print the environment (export DC2_* lines)
#   scripts/bench-dc.sh status   say whether it is running
#
# Population: BENCH_USERS users in OU=Bench Users (every 10th disabled, last logons
# spread over 0-149 days, so some are stale), in groups of 200 under OU=Bench Groups,
# and BENCH_COMPUTERS computers in OU=Bench Computers (1 in 25 a Windows Server).
# With BENCH_STRESS_GROUPS=N, OU=Stress holds stress-member, a member of N groups
# (N memberOf values), and G-S-Big, whose members are those N groups.
# Populating 20,000 users and 5,000 computers takes minutes, so the stopped DC is
# kept as a tarball in $CALSCAN_DC_CACHE keyed by the functions that build it,
# Samba's version, the folder, the address and the sizes; restoring takes seconds.
#
# Knobs: CALSCAN_BENCH_DC_DIR (default /tmp/calscan-bench-dc), CALSCAN_BENCH_DC_IP
# (default 127.0.0.2), CALSCAN_BENCH_USERS (default 20000), CALSCAN_BENCH_COMPUTERS
# (default 5000), CALSCAN_BENCH_STRESS_GROUPS (default 0), CALSCAN_DC_CACHE (default
# ~/.cache/calscan), CALSCAN_DC_NO_CACHE=1.
# A small instance for the fault and hostile-data tests (scripts/test):
#   CALSCAN_BENCH_DC_DIR=/tmp/calscan-fault-dc CALSCAN_BENCH_DC_IP=127.0.0.3 CALSCAN_BENCH_USERS=0 \
#   CALSCAN_BENCH_COMPUTERS=0 CALSCAN_BENCH_STRESS_GROUPS=10000 scripts/bench-dc.sh start
set -euo pipefail

DC_DIR=${CALSCAN_BENCH_DC_DIR:-/tmp/calscan-bench-dc}
DC_IP=${CALSCAN_BENCH_DC_IP:-127.0.0.2}
NUSERS=${CALSCAN_BENCH_USERS:-20000}
NCOMPUTERS=${CALSCAN_BENCH_COMPUTERS:-5000}
NSTRESS=${CALSCAN_BENCH_STRESS_GROUPS:-0}
CACHE_DIR=${CALSCAN_DC_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/calscan}
CACHE_MAX_DAYS=30

REALM=BENCH.EXAMPLE.TEST
NETBIOS_DOMAIN=BENCH
DNS_DOMAIN=bench.example.test
DC_HOST=dc2.$DNS_DOMAIN
BASE_DN=DC=bench,DC=example,DC=test
ADMIN_PASS='Adm1n!calscan-bench'
GROUP_SIZE=200

PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind
	ldb-tools ldap-utils openssl)

SMB_CONF=$DC_DIR/dc/etc/smb.conf
SAM_LDB=$DC_DIR/dc/private/sam.ldb
PID_FILE=$DC_DIR/run/samba.pid
STAMP_FILE=$DC_DIR/population

log() { printf 'bench-dc: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

[[ $NUSERS =~ ^[0-9]+$ && $NCOMPUTERS =~ ^[0-9]+$ && $NSTRESS =~ ^[0-9]+$ ]] ||
	die "CALSCAN_BENCH_USERS, CALSCAN_BENCH_COMPUTERS and CALSCAN_BENCH_STRESS_GROUPS must be numbers"
[[ $DC_IP =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ && $DC_IP != 127.0.0.1 ]] ||
	die "CALSCAN_BENCH_DC_IP must be a loopback address other than 127.0.0.1 (the test DC's)"

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

dc_pid() {
	[ -s "$PID_FILE" ] || return 1
	local pid
	pid=$(tr -dc 0-9 <"$PID_FILE")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
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
	ldapsearch -LLL -o nettimeout=2 -H "ldap://$DC_IP" -x -D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" \
		-b "$BASE_DN" -s base dn >/dev/null 2>&1 &&
		LDAPTLS_CACERT=$DC_DIR/pki/ca.pem ldapsearch -LLL -o nettimeout=2 -H "ldaps://$DC_IP" -x \
			-D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" -b "$BASE_DN" -s base dn >/dev/null 2>&1
}

start_dc() {
	local p
	for p in 389 636; do
		port_busy "$p" && die "$DC_IP:$p is already in use by another process"
	done
	mkdir -p "$DC_DIR/run" "$DC_DIR/logs"
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
	log "DC up (pid $(dc_pid)) on $DC_IP: LDAP 389, LDAPS 636"
}

# ----------------------------------------------------------------- provisioning

# population_version keys the cache: the functions that build the DC (not the
# whole script, so that editing the rest keeps a population that took minutes).
population_version() {
	{
		declare -f provision make_certificates configure_samba write_population populate
		dpkg-query -W -f='${Version}' samba
		echo "$DC_DIR $DC_IP $NUSERS $NCOMPUTERS $NSTRESS"
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
	mkdir -p "$DC_DIR/run" "$DC_DIR/logs" "$DC_DIR/ldif"
	log "provisioning $REALM into $DC_DIR ($DC_IP)"
	# An address with a netmask is taken as given: it need not be on an interface,
	# and the test DC's "interfaces = lo" never covers it.
	samba-tool domain provision --realm="$REALM" --domain="$NETBIOS_DOMAIN" --server-role=dc \
		--dns-backend=SAMBA_INTERNAL --adminpass="$ADMIN_PASS" --targetdir="$DC_DIR/dc" \
		--use-rfc2307 --host-name=dc2 --host-ip="$DC_IP" \
		--option="interfaces=$DC_IP/8" --option="bind interfaces only=yes" >"$DC_DIR/logs/provision.log" 2>&1 ||
		die "provision failed (log: $DC_DIR/logs/provision.log)"
	make_certificates
	configure_samba
}

make_certificates() {
	local pki=$DC_DIR/pki
	mkdir -p "$pki"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=calscan bench CA' \
		-keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$DC_HOST" \
		-keyout "$pki/dc.key" -out "$pki/dc.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\n' "$DC_HOST" "$DC_IP" >"$pki/ext.cnf"
	openssl x509 -req -days 3650 -in "$pki/dc.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
		-CAcreateserial -extfile "$pki/ext.cnf" -out "$pki/dc.pem" 2>/dev/null
	chmod 600 "$pki/ca.key" "$pki/dc.key"
}

configure_samba() {
	# LDAP only: no DNS, Kerberos, NetBIOS or file server to collide with the test DC.
	sed -i -e '/dns forwarder = /d' -e "s|log file = .*|log file = $DC_DIR/logs/log.%m|" "$SMB_CONF"
	sed -i "/^\[global\]/a\\
	server services = -dns -dnsupdate -nbt -wrepl -s3fs -kdc -kcc -drepl -winbindd -ntp_signd\\
	ldap server require strong auth = no\\
	tls enabled = yes\\
	tls keyfile = $DC_DIR/pki/dc.key\\
	tls certfile = $DC_DIR/pki/dc.pem\\
	tls cafile = $DC_DIR/pki/ca.pem\\
	pid directory = $DC_DIR/run\\
	ncalrpc dir = $DC_DIR/run/ncalrpc\\
	winbindd socket directory = $DC_DIR/run/winbindd\\
	ntp signd socket directory = $DC_DIR/run/ntp_signd" "$SMB_CONF"
	samba-tool domain passwordsettings set -s "$SMB_CONF" -H "$SAM_LDB" \
		--complexity=off --history-length=0 --min-pwd-age=0 --max-pwd-age=0 >/dev/null
}

# ----------------------------------------------------------------- population

# write_population writes ldif/add-NNNN.ldif, 1,000 entries a file: ldbadd slows
# down on very large transactions.
write_population() {
	local now
	now=$(date -u +%s)
	awk -v base="$BASE_DN" -v dns="$DNS_DOMAIN" -v nusers="$NUSERS" -v ncomp="$NCOMPUTERS" -v nstress="$NSTRESS" \
		-v gsize="$GROUP_SIZE" -v now="$now" -v out="$DC_DIR/ldif/add" '
		function ft(days) { return sprintf("%.0f", (now - days * 86400 + 11644473600) * 10000000) }
		function entry(text) {
			if (n % 1000 == 0) { if (f) close(f); f = sprintf("%s-%04d.ldif", out, n / 1000) }
			print text > f
			n++
		}
		BEGIN {
			split("Bench Users,Bench Computers,Bench Groups", ous, ",")
			for (k = 1; k <= 3; k++) entry("dn: OU=" ous[k] "," base "\nobjectClass: organizationalUnit\nou: " ous[k] "\n")
			for (i = 1; i <= nusers; i++) {
				sam = sprintf("u%06d", i)
				uac = (i % 10 == 0) ? 546 : 544 # 544 = NORMAL_ACCOUNT | PASSWD_NOTREQD: no password to hash
				entry("dn: CN=" sam ",OU=Bench Users," base "\nobjectClass: user\nsAMAccountName: " sam \
					"\nuserPrincipalName: " sam "@" dns "\ndisplayName: Bench User " i "\nmail: " sam "@" dns \
					"\nuserAccountControl: " uac "\nlastLogonTimestamp: " ft(i % 150) "\n")
			}
			for (g = 0; g * gsize < nusers; g++) {
				text = sprintf("dn: CN=G-Bench-%03d,OU=Bench Groups,%s\nobjectClass: group\nsAMAccountName: G-Bench-%03d\n", g, base, g)
				for (i = g * gsize + 1; i <= nusers && i <= (g + 1) * gsize; i++)
					text = text sprintf("member: CN=u%06d,OU=Bench Users,%s\n", i, base)
				entry(text)
			}
			split("Windows 11 Enterprise|10.0 (22631),Windows 10 Enterprise|10.0 (19045),Windows 10 Pro|10.0 (19045)", clients, ",")
			split("Windows Server 2022 Standard|10.0 (20348),Windows Server 2019 Datacenter|10.0 (17763),Windows Server 2016 Standard|10.0 (14393)", servers, ",")
			for (i = 1; i <= ncomp; i++) {
				if (i % 25 == 0) { name = sprintf("SRV%05d", i); split(servers[i % 3 + 1], os, "|") }
				else { name = sprintf("PC%05d", i); split(clients[i % 3 + 1], os, "|") }
				host = tolower(name) "." dns
				entry("dn: CN=" name ",OU=Bench Computers," base "\nobjectClass: computer\nsAMAccountName: " name \
					"$\ndNSHostName: " host "\nservicePrincipalName: HOST/" host "\nservicePrincipalName: HOST/" name \
					"\noperatingSystem: " os[1] "\noperatingSystemVersion: " os[2] \
					"\nuserAccountControl: " ((i % 20 == 0) ? 4098 : 4096) "\nlastLogonTimestamp: " ft(i % 120) "\n")
			}
			if (nstress > 0) {
				stress = "OU=Stress," base
				member = "CN=stress-member," stress
				entry("dn: " stress "\nobjectClass: organizationalUnit\nou: Stress\n")
				entry("dn: " member "\nobjectClass: user\nsAMAccountName: stress-member\ndisplayName: In " nstress \
					" groups\nuserAccountControl: 544\nlastLogonTimestamp: " ft(1) "\n")
				big = "dn: CN=G-S-Big," stress "\nobjectClass: group\nsAMAccountName: G-S-Big\n"
				for (g = 0; g < nstress; g++) {
					entry(sprintf("dn: CN=G-S-%05d,%s\nobjectClass: group\nsAMAccountName: G-S-%05d\nmember: %s\n", g, stress, g, member))
					big = big sprintf("member: CN=G-S-%05d,%s\n", g, stress)
				}
				entry(big)
			}
		}'
	echo "$now"
}

populate() {
	log "populating ($NUSERS users, $NCOMPUTERS computers, $NSTRESS stress groups; minutes for tens of thousands)"
	local populated_at f out
	populated_at=$(write_population)
	for f in "$DC_DIR"/ldif/add-*.ldif; do
		[ -e "$f" ] || continue
		out=$DC_DIR/logs/$(basename "$f" .ldif).log
		if ! ldbadd --configfile="$SMB_CONF" -H "$SAM_LDB" "$f" >"$out" 2>&1 || grep -q '^ERR' "$out"; then
			grep -B2 '^ERR' "$out" >&2 || true
			die "ldbadd $f failed (log: $out)"
		fi
	done
	rm -rf "$DC_DIR/ldif"
	echo "$(population_version) $populated_at" >"$STAMP_FILE"
}

# ----------------------------------------------------------------- cache

# One tarball per folder: the bench and fault instances keep theirs side by side.
cache_prefix() { echo "$CACHE_DIR/bench-dc-$(basename "$DC_DIR")-"; }
cache_file() { echo "$(cache_prefix)$(population_version).tar.gz"; }

save_cache() {
	[ "${CALSCAN_DC_NO_CACHE:-0}" = 1 ] && return 0
	local f tmp
	f=$(cache_file)
	mkdir -p "$CACHE_DIR"
	rm -f "$(cache_prefix)"*.tar.gz # older populations of this folder
	tmp=$(mktemp "$CACHE_DIR/.bench-dc.XXXXXX")
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
	cat >"$DC_DIR/env.sh" <<EOF
# written by scripts/bench-dc.sh
export DC2_LDAP_URL=ldap://$DC_IP:389
export DC2_LDAPS_URL=ldaps://$DC_IP:636
export DC2_BASE_DN='$BASE_DN'
export DC2_DNS_DOMAIN=$DNS_DOMAIN
export DC2_DOMAIN=$NETBIOS_DOMAIN
export DC2_BIND_UPN='Administrator@$DNS_DOMAIN'
export DC2_BIND_DN='CN=Administrator,CN=Users,$BASE_DN'
export DC2_BIND_PASS='$ADMIN_PASS'
export DC2_CA_FILE=$DC_DIR/pki/ca.pem
export DC2_PID_FILE=$PID_FILE
export DC2_USERS=$NUSERS
export DC2_COMPUTERS=$NCOMPUTERS
export DC2_STRESS_GROUPS=$NSTRESS
export DC2_START='CALSCAN_BENCH_DC_DIR=$DC_DIR CALSCAN_BENCH_DC_IP=$DC_IP CALSCAN_BENCH_USERS=$NUSERS CALSCAN_BENCH_COMPUTERS=$NCOMPUTERS CALSCAN_BENCH_STRESS_GROUPS=$NSTRESS bash $(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench-dc.sh start'
EOF
}

# ----------------------------------------------------------------- commands

cmd_start() {
	ensure_packages
	mkdir -p "$(dirname "$DC_DIR")"
	exec 9>"$DC_DIR.lock"
	flock 9

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
