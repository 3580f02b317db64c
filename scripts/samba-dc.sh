#!/usr/bin/env bash
# A real Active Directory (Samba AD DC) on 127.0.0.1 for calscan's integration tests.
#
#   scripts/samba-dc.sh start    install what is missing, provision + populate (or reuse), start
#   scripts/samba-dc.sh stop     stop the DC started by "start" (by the pid in samba's pid file)
#   scripts/samba-dc.sh env      print the environment a test needs (export lines)
#   scripts/samba-dc.sh status   say whether the DC is running
#
# After "start", $CALSCAN_DC_DIR/env.sh holds AD_LDAP_URL, AD_LDAPS_URL, AD_BASE_DN,
# AD_BIND_UPN, AD_BIND_DN, AD_BIND_PASS, AD_CA_FILE, AD_KRB5_CONFIG, AD_REALM, AD_DC_HOST,
# AD_USER_UPN/AD_USER_PASS (pwuser), AD_SMB_CONF (for samba-tool), ...
#
# The directory holds a small company whose exact counts cmd/calscan/samba_test.go
# hard-codes: change the population below and that test together.
#
# Populating is the slow part, so a stopped, populated DC is kept as a tarball in
# $CALSCAN_DC_CACHE, keyed by a hash of this script, the Samba version and the DC
# directory. Timestamps are relative to the time of population; a cache older than
# CACHE_MAX_DAYS is rebuilt so "active" accounts never drift into "stale".
#
# Knobs: CALSCAN_DC_DIR (default /tmp/calscan-dc), CALSCAN_DC_CACHE (default
# ~/.cache/calscan), CALSCAN_DC_NO_CACHE=1 (always provision afresh).
set -euo pipefail

DC_DIR=${CALSCAN_DC_DIR:-/tmp/calscan-dc}
CACHE_DIR=${CALSCAN_DC_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/calscan}
CACHE_MAX_DAYS=30

REALM=CORP.EXAMPLE.TEST
NETBIOS_DOMAIN=CORP
DNS_DOMAIN=corp.example.test
DC_HOST=dc1.$DNS_DOMAIN
BASE_DN=DC=corp,DC=example,DC=test
ADMIN_PASS='Adm1n!calscan-test'
USER_PASS='Us3r!calscan-test' # every populated account's password

PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind
	ldb-tools ldap-utils krb5-user libsasl2-modules-gssapi-mit openssl)

SMB_CONF=$DC_DIR/dc/etc/smb.conf
SAM_LDB=$DC_DIR/dc/private/sam.ldb
PID_FILE=$DC_DIR/run/samba.pid # samba's own ("pid directory" points here)
STAMP_FILE=$DC_DIR/population

log() { printf 'samba-dc: %s\n' "$*" >&2; }
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

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ldap_ready() {
	ldapsearch -LLL -o nettimeout=2 -H ldap://127.0.0.1:389 -x \
		-D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" -b "$BASE_DN" -s base dn >/dev/null 2>&1 &&
		LDAPTLS_CACERT=$DC_DIR/pki/ca.pem ldapsearch -LLL -o nettimeout=2 -H ldaps://127.0.0.1:636 -x \
			-D "Administrator@$DNS_DOMAIN" -w "$ADMIN_PASS" -b "$BASE_DN" -s base dn >/dev/null 2>&1
}

start_dc() {
	local p
	for p in 389 636 88; do
		port_busy "$p" && die "127.0.0.1:$p is already in use by another process (another DC?)"
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
	log "DC up (pid $(dc_pid)), LDAP 389, LDAPS 636, Kerberos 88"
}

# ----------------------------------------------------------------- provisioning

population_version() {
	{
		cat "${BASH_SOURCE[0]}"
		dpkg-query -W -f='${Version}' samba
		echo "$DC_DIR"
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
	log "provisioning $REALM into $DC_DIR"
	samba-tool domain provision --realm="$REALM" --domain="$NETBIOS_DOMAIN" --server-role=dc \
		--dns-backend=SAMBA_INTERNAL --adminpass="$ADMIN_PASS" --targetdir="$DC_DIR/dc" \
		--use-rfc2307 --host-name=dc1 --host-ip=127.0.0.1 \
		--option="interfaces=lo" --option="bind interfaces only=yes" >"$DC_DIR/logs/provision.log" 2>&1 ||
		die "provision failed (log: $DC_DIR/logs/provision.log)"
	make_certificates
	configure_samba
	write_krb5_conf
}

# Samba's own certificate has no subjectAltName, which Go rejects.
make_certificates() {
	local pki=$DC_DIR/pki
	mkdir -p "$pki"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=calscan test CA' \
		-keyout "$pki/ca.key" -out "$pki/ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$DC_HOST" \
		-keyout "$pki/dc.key" -out "$pki/dc.csr" 2>/dev/null
	printf 'subjectAltName=DNS:%s,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' \
		"$DC_HOST" >"$pki/ext.cnf"
	openssl x509 -req -days 3650 -in "$pki/dc.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
		-CAcreateserial -extfile "$pki/ext.cnf" -out "$pki/dc.pem" 2>/dev/null
	chmod 600 "$pki/ca.key" "$pki/dc.key"
}

configure_samba() {
	# Everything the DC writes stays under $DC_DIR; no DNS server (port 53) or file server.
	sed -i -e '/dns forwarder = /d' -e "s|log file = .*|log file = $DC_DIR/logs/log.%m|" "$SMB_CONF"
	sed -i "/^\[global\]/a\\
	server services = -dns -dnsupdate -nbt -wrepl -s3fs\\
	ldap server require strong auth = no\\
	tls enabled = yes\\
	tls keyfile = $DC_DIR/pki/dc.key\\
	tls certfile = $DC_DIR/pki/dc.pem\\
	tls cafile = $DC_DIR/pki/ca.pem\\
	pid directory = $DC_DIR/run\\
	ncalrpc dir = $DC_DIR/run/ncalrpc\\
	winbindd socket directory = $DC_DIR/run/winbindd\\
	ntp signd socket directory = $DC_DIR/run/ntp_signd" "$SMB_CONF"
	# Fixed test passwords must keep working; expiry and lockout are set per account below.
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
		kdc = 127.0.0.1
		admin_server = 127.0.0.1
		default_domain = $DNS_DOMAIN
	}
[domain_realm]
	.$DNS_DOMAIN = $REALM
	$DNS_DOMAIN = $REALM
EOF
}

# ----------------------------------------------------------------- population
#
# Users (objectCategory=person): 64 in all.
#   Samba's own:   Administrator (counted: a person uses it), Guest and krbtgt (builtin)
#   OU=Staff:      30 active; adm-ops (active, the test's admin_exempt);
#                  5 disabled (one also stale, one also expired: disabled wins);
#                  4 stale (last logon 200 days ago); 3 never logged on, created 3 years ago (stale);
#                  2 new hires never logged on (counted); 3 expired (accountExpires 30 days ago);
#                  1 temp whose accountExpires is a year ahead (counted)
#   OU=Service Accounts: svc-sql, svc-backup, svc-web with SPNs (the test excludes "svc-*")
#   OU=Lab:        3 active testers (the test excludes this OU)
#   OU=Bind Tests: pwuser (binds), pwlocked (775), pwexpired (532), pwmustchange (773),
#                  pwdisabled (533), pwacctexpired (701)
# Groups: G-App (6 active staff, one disabled, one stale) is in G-Level2 (plus gus.green
#   directly), which is in G-Level1.
# Computers (objectCategory=computer): 38 in all.
#   Servers (8): DC1 (Samba's own DC), APP01 2022 Datacenter, FS01 2019 Standard,
#     SQL01 2016 Standard, LEGACY01 2012 R2 Datacenter, HV01 Hyper-V Server 2019,
#     NEW01 2025 Standard (disabled), RETIRED25 2025 Datacenter (stale)
#   Clients (30): active WS01-12 Windows 11, WS13-20 Windows 10, KIOSK01 Windows 10 LTSC
#     (build 17763, like Server 2019), VMS01 OpenVMS 9.2 (an OS calscan does not know);
#     WS21-23 stale; WS24-25 disabled; WS26 never logged on, created 2 years ago (stale);
#     WS27 new, never logged on; LAB-WS01 in OU=Lab

ACTIVE_STAFF=(aaron.adams beth.baker carl.clark dana.davis ed.evans fay.fisher gus.green
	hana.hill ivan.irwin jill.jones ken.king lea.lewis max.moore nia.nash oli.owen
	pam.price quin.quinn ray.reed sue.scott tom.turner uma.upton vic.vance wes.ward
	xia.xu yves.young zoe.zane abe.allen bea.bell cal.cole del.dunn)
APP_MEMBERS=(aaron.adams beth.baker carl.clark dana.davis ed.evans fay.fisher hal.hart mia.mann)

POPULATED_AT=$(date -u +%s)
filetime_days_ago() { echo $(((POPULATED_AT - $1 * 86400 + 11644473600) * 10000000)); }
gentime_days_ago() { date -u -d "@$((POPULATED_AT - $1 * 86400))" +%Y%m%d%H%M%S.0Z; }
unicode_pwd() { printf '"%s"' "$1" | iconv -f UTF-8 -t UTF-16LE | base64 -w0; }
PWD_B64=$(unicode_pwd "$USER_PASS")

# ou NAME
ou() { printf 'dn: OU=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$1" "$BASE_DN" "$1"; }

# user SAM OU UAC [extra attribute lines...]
user() {
	local sam=$1 ou=$2 uac=$3 line
	shift 3
	printf 'dn: CN=%s,OU=%s,%s\nobjectClass: user\nsAMAccountName: %s\n' "$sam" "$ou" "$BASE_DN" "$sam"
	printf 'userPrincipalName: %s@%s\ndisplayName: %s\nmail: %s@%s\n' "$sam" "$DNS_DOMAIN" "$sam" "$sam" "$DNS_DOMAIN"
	printf 'unicodePwd:: %s\nuserAccountControl: %s\n' "$PWD_B64" "$uac"
	for line in "$@"; do printf '%s\n' "$line"; done
	printf '\n'
}

# computer NAME OU UAC OS OS_VERSION [extra attribute lines...]
computer() {
	local name=$1 ou=$2 uac=$3 os=$4 osver=$5 line host
	shift 5
	host=$(tr '[:upper:]' '[:lower:]' <<<"$name").$DNS_DOMAIN
	printf 'dn: CN=%s,OU=%s,%s\nobjectClass: computer\nsAMAccountName: %s$\n' "$name" "$ou" "$BASE_DN" "$name"
	printf 'dNSHostName: %s\nservicePrincipalName: HOST/%s\nservicePrincipalName: HOST/%s\n' "$host" "$host" "$name"
	printf 'operatingSystem: %s\noperatingSystemVersion: %s\nuserAccountControl: %s\n' "$os" "$osver" "$uac"
	for line in "$@"; do printf '%s\n' "$line"; done
	printf '\n'
}

# group NAME MEMBER_DN...
group() {
	local name=$1 m
	shift
	printf 'dn: CN=%s,OU=Groups,%s\nobjectClass: group\nsAMAccountName: %s\n' "$name" "$BASE_DN" "$name"
	for m in "$@"; do printf 'member: %s\n' "$m"; done
	printf '\n'
}

# pso NAME PRECEDENCE MAX_PWD_AGE LOCKOUT_DURATION APPLIES_TO_DN (ages in 100 ns ticks, negative)
pso() {
	printf 'dn: CN=%s,CN=Password Settings Container,CN=System,%s\nobjectClass: msDS-PasswordSettings\n' "$1" "$BASE_DN"
	printf 'msDS-PasswordSettingsPrecedence: %s\nmsDS-PasswordReversibleEncryptionEnabled: FALSE\n' "$2"
	printf 'msDS-PasswordHistoryLength: 0\nmsDS-PasswordComplexityEnabled: FALSE\nmsDS-MinimumPasswordLength: 0\n'
	printf 'msDS-MinimumPasswordAge: 0\nmsDS-MaximumPasswordAge: %s\n' "$3"
	printf 'msDS-LockoutThreshold: 0\nmsDS-LockoutObservationWindow: -18000000000\nmsDS-LockoutDuration: %s\n' "$4"
	printf 'msDS-PSOAppliesTo: %s\n\n' "$5"
}

# modify DN ATTR VALUE: a replace, for values only the system may set
modify() { printf 'dn: %s\nchangetype: modify\nreplace: %s\n%s: %s\n-\n\n' "$1" "$2" "$2" "$3"; }

staff_dn() { echo "CN=$1,OU=Staff,$BASE_DN"; }

write_population() {
	local i name
	recent() { echo "lastLogonTimestamp: $(filetime_days_ago "$1")"; }
	{
		for name in Staff 'Service Accounts' Lab 'Bind Tests' Groups Workstations Servers; do ou "$name"; done

		i=0
		for name in "${ACTIVE_STAFF[@]}"; do
			user "$name" Staff 512 "$(recent $((i % 20 + 1)))"
			i=$((i + 1))
		done
		user adm-ops Staff 512 "$(recent 1)"
		user hal.hart Staff 514 "$(recent 40)"
		user ina.ives Staff 514 "$(recent 5)"
		user jon.jost Staff 514
		user kay.kemp Staff 514 "$(recent 200)"
		user len.lowe Staff 514 "$(recent 60)" "accountExpires: $(filetime_days_ago 30)"
		for name in mia.mann ned.noble ora.ortiz pat.page; do user "$name" Staff 512 "$(recent 200)"; done
		for name in rob.rowe sam.stone ted.todd; do user "$name" Staff 512; done
		for name in uli.ulm val.voss; do user "$name" Staff 512; done
		for name in temp.anna temp.bert temp.cleo; do
			user "$name" Staff 512 "$(recent 35)" "accountExpires: $(filetime_days_ago 30)"
		done
		user temp.dora Staff 512 "$(recent 3)" "accountExpires: $(filetime_days_ago -365)"

		user svc-sql 'Service Accounts' 66048 "$(recent 1)" "servicePrincipalName: MSSQLSvc/sql01.$DNS_DOMAIN:1433"
		user svc-backup 'Service Accounts' 66048 "$(recent 1)" "servicePrincipalName: backup/fs01.$DNS_DOMAIN"
		user svc-web 'Service Accounts' 66048 "$(recent 2)" "servicePrincipalName: HTTP/intranet.$DNS_DOMAIN"

		for name in lab.tester1 lab.tester2 lab.tester3; do user "$name" Lab 512 "$(recent 4)"; done

		for name in pwuser pwlocked pwexpired pwmustchange; do user "$name" 'Bind Tests' 512 "$(recent 2)"; done
		user pwdisabled 'Bind Tests' 514 "$(recent 2)"
		user pwacctexpired 'Bind Tests' 512 "$(recent 2)" "accountExpires: $(filetime_days_ago 10)"

		local members=()
		for name in "${APP_MEMBERS[@]}"; do members+=("$(staff_dn "$name")"); done
		group G-App "${members[@]}"
		group G-Level2 "CN=G-App,OU=Groups,$BASE_DN" "$(staff_dn gus.green)"
		group G-Level1 "CN=G-Level2,OU=Groups,$BASE_DN"

		computer APP01 Servers 4096 'Windows Server 2022 Datacenter' '10.0 (20348)' "$(recent 1)"
		computer FS01 Servers 4096 'Windows Server 2019 Standard' '10.0 (17763)' "$(recent 2)"
		computer SQL01 Servers 4096 'Windows Server 2016 Standard' '10.0 (14393)' "$(recent 3)"
		computer LEGACY01 Servers 4096 'Windows Server 2012 R2 Datacenter' '6.3 (9600)' "$(recent 4)"
		computer HV01 Servers 4096 'Hyper-V Server 2019' '10.0 (17763)' "$(recent 2)"
		computer NEW01 Servers 4098 'Windows Server 2025 Standard' '10.0 (26100)'
		computer RETIRED25 Servers 4096 'Windows Server 2025 Datacenter' '10.0 (26100)' "$(recent 200)"

		for i in $(seq 1 12); do
			computer "$(printf 'WS%02d' "$i")" Workstations 4096 'Windows 11 Enterprise' '10.0 (22631)' "$(recent $((i % 14 + 1)))"
		done
		for i in $(seq 13 20); do
			computer "WS$i" Workstations 4096 'Windows 10 Enterprise' '10.0 (19045)' "$(recent $((i % 14 + 1)))"
		done
		computer KIOSK01 Workstations 4096 'Windows 10 Enterprise LTSC' '10.0 (17763)' "$(recent 1)"
		computer VMS01 Workstations 4096 'OpenVMS 9.2' 'V9.2' "$(recent 6)"
		for i in 21 22 23; do computer "WS$i" Workstations 4096 'Windows 10 Pro' '10.0 (19045)' "$(recent 200)"; done
		for i in 24 25; do computer "WS$i" Workstations 4098 'Windows 11 Pro' '10.0 (22631)' "$(recent 30)"; done
		computer WS26 Workstations 4096 'Windows 10 Enterprise' '10.0 (19045)'
		computer WS27 Workstations 4096 'Windows 11 Enterprise' '10.0 (22631)'
		computer LAB-WS01 Lab 4096 'Windows 11 Pro' '10.0 (22631)' "$(recent 3)"

		# pwlocked: locked out until an administrator intervenes (lockout duration 0).
		# pwexpired: a 30-day maximum password age against a password set 400 days ago.
		pso PSO-Locked 10 0 0 "CN=pwlocked,OU=Bind Tests,$BASE_DN"
		pso PSO-Expiring 20 -25920000000000 -18000000000 "CN=pwexpired,OU=Bind Tests,$BASE_DN"
	} >"$DC_DIR/ldif/population.ldif"

	# Values only the system may write, applied after the add.
	{
		for name in rob.rowe sam.stone ted.todd; do modify "$(staff_dn "$name")" whenCreated "$(gentime_days_ago 1095)"; done
		modify "CN=WS26,OU=Workstations,$BASE_DN" whenCreated "$(gentime_days_ago 730)"
		modify "CN=pwlocked,OU=Bind Tests,$BASE_DN" lockoutTime "$(filetime_days_ago 1)"
		modify "CN=pwexpired,OU=Bind Tests,$BASE_DN" pwdLastSet "$(filetime_days_ago 400)"
		modify "CN=pwmustchange,OU=Bind Tests,$BASE_DN" pwdLastSet 0
	} >"$DC_DIR/ldif/system.ldif"
}

# ldb_apply TOOL NAME [options...]: apply ldif/NAME.ldif. The ldb tools can report
# a failed record and still exit 0, so their output is checked too.
ldb_apply() {
	local tool=$1 name=$2 out=$DC_DIR/logs/$2.log
	shift 2
	if ! "$tool" "$@" --configfile="$SMB_CONF" -H "$SAM_LDB" "$DC_DIR/ldif/$name.ldif" >"$out" 2>&1 ||
		grep -q '^ERR' "$out"; then
		grep -B2 '^ERR' "$out" >&2 || true
		die "$tool ldif/$name.ldif failed (log: $out)"
	fi
}

populate() {
	log "populating (64 users, 38 computers)"
	write_population
	ldb_apply ldbadd population
	# 1.3.6.1.4.1.7165.4.3.12 (DSDB_CONTROL_BYPASS_PASSWORD_HASH) lets pwdLastSet take any value.
	ldb_apply ldbmodify system --controls=local_oid:1.3.6.1.4.1.7165.4.3.12:0
	echo "$(population_version) $POPULATED_AT" >"$STAMP_FILE"
}

# ----------------------------------------------------------------- cache

cache_file() { echo "$CACHE_DIR/samba-dc-$(population_version).tar.gz"; }

save_cache() {
	[ "${CALSCAN_DC_NO_CACHE:-0}" = 1 ] && return 0
	local f tmp
	f=$(cache_file)
	mkdir -p "$CACHE_DIR"
	rm -f "$CACHE_DIR"/samba-dc-*.tar.gz # older populations
	tmp=$(mktemp "$CACHE_DIR/.samba-dc.XXXXXX")
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
	local populated_at
	read -r _ populated_at <"$STAMP_FILE"
	cat >"$DC_DIR/env.sh" <<EOF
# written by scripts/samba-dc.sh: source it before running the Samba tests
export AD_LDAP_URL=ldap://127.0.0.1:389
export AD_LDAPS_URL=ldaps://127.0.0.1:636
export AD_GC_URL=ldap://127.0.0.1:3268
export AD_BASE_DN='$BASE_DN'
export AD_REALM=$REALM
export AD_DOMAIN=$NETBIOS_DOMAIN
export AD_DNS_DOMAIN=$DNS_DOMAIN
export AD_DC_HOST=$DC_HOST
export AD_LDAP_SPN=ldap/$DC_HOST
export AD_BIND_UPN='Administrator@$DNS_DOMAIN'
export AD_BIND_DN='CN=Administrator,CN=Users,$BASE_DN'
export AD_BIND_PASS='$ADMIN_PASS'
export AD_USER_UPN='pwuser@$DNS_DOMAIN'
export AD_USER_PASS='$USER_PASS'
export AD_CA_FILE=$DC_DIR/pki/ca.pem
export AD_KRB5_CONFIG=$DC_DIR/krb5.conf
export AD_SMB_CONF=$SMB_CONF
export AD_POPULATION=$(population_version)
export AD_POPULATED_AT=$populated_at
EOF
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
		echo "running (pid $pid) in $DC_DIR"
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
