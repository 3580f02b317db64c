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
# $CALSCAN_DC_CACHE, keyed by a hash of this script, scripts/lib/samba-dc.sh, the Samba
# version and the DC directory. Timestamps are relative to the time of population; a
# cache older than CACHE_MAX_DAYS (30) is rebuilt so "active" accounts never drift into
# "stale". The provisioning, caching and process control are in scripts/lib/samba-dc.sh.
#
# Knobs: CALSCAN_DC_DIR (default /tmp/calscan-dc), CALSCAN_DC_CACHE (default
# ~/.cache/calscan), CALSCAN_DC_NO_CACHE=1 (always provision afresh).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/samba-dc.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/samba-dc.sh"

LOG_TAG=samba-dc
DC_DIR=${CALSCAN_DC_DIR:-/tmp/calscan-dc}
DC_IP=127.0.0.1
DC_INTERFACES=lo
# No DNS server (port 53), NetBIOS or file server; LDAP, the Global Catalog and Kerberos stay.
SERVER_SERVICES='-dns -dnsupdate -nbt -wrepl -s3fs'

REALM=CORP.EXAMPLE.TEST
NETBIOS_DOMAIN=CORP
DNS_DOMAIN=corp.example.test
DC_HOST=dc1.$DNS_DOMAIN
BASE_DN=DC=corp,DC=example,DC=test
ADMIN_PASS='Adm1n!calscan-test'
USER_PASS='Us3r!calscan-test' # every populated account's password
CA_NAME='calscan test CA'
TLS_SANS="DNS:$DC_HOST,DNS:localhost,IP:$DC_IP"

PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind
	ldb-tools ldap-utils krb5-user libsasl2-modules-gssapi-mit openssl)

CACHE_NAME=samba-dc
POPULATION_SUMMARY='64 users, 38 computers'
ENV_PREFIX=AD_
ENV_NOTE='source it before running the Samba tests'

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
	} >"$DC_DIR/ldif/add-population.ldif"

	# Values only the system may write, applied after the add.
	{
		for name in rob.rowe sam.stone ted.todd; do modify "$(staff_dn "$name")" whenCreated "$(gentime_days_ago 1095)"; done
		modify "CN=WS26,OU=Workstations,$BASE_DN" whenCreated "$(gentime_days_ago 730)"
		modify "CN=pwlocked,OU=Bind Tests,$BASE_DN" lockoutTime "$(filetime_days_ago 1)"
		modify "CN=pwexpired,OU=Bind Tests,$BASE_DN" pwdLastSet "$(filetime_days_ago 400)"
		modify "CN=pwmustchange,OU=Bind Tests,$BASE_DN" pwdLastSet 0
	} >"$DC_DIR/ldif/modify-system.ldif"
}

# ----------------------------------------------------------------- env

write_env_extra() {
	cat <<EOF
export AD_GC_URL=ldap://$DC_IP:3268
export AD_REALM=$REALM
export AD_DC_HOST=$DC_HOST
export AD_LDAP_SPN=ldap/$DC_HOST
export AD_USER_UPN='pwuser@$DNS_DOMAIN'
export AD_USER_PASS='$USER_PASS'
export AD_KRB5_CONFIG=$DC_DIR/krb5.conf
export AD_SMB_CONF=$SMB_CONF
export AD_POPULATION=$POPULATION
export AD_POPULATED_AT=$POPULATED_AT
EOF
}

dc_main "$@"
