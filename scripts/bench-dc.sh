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
# kept as a tarball in $CALSCAN_DC_CACHE keyed by this script, scripts/lib/samba-dc.sh
# (which provisions, caches and runs it), Samba's version, the folder, the address and
# the sizes; restoring takes seconds.
#
# Knobs: CALSCAN_BENCH_DC_DIR (default /tmp/calscan-bench-dc), CALSCAN_BENCH_DC_IP
# (default 127.0.0.2), CALSCAN_BENCH_USERS (default 20000), CALSCAN_BENCH_COMPUTERS
# (default 5000), CALSCAN_BENCH_STRESS_GROUPS (default 0), CALSCAN_DC_CACHE (default
# ~/.cache/calscan), CALSCAN_DC_NO_CACHE=1.
# A small instance for the fault and hostile-data tests (scripts/test):
#   CALSCAN_BENCH_DC_DIR=/tmp/calscan-fault-dc CALSCAN_BENCH_DC_IP=127.0.0.3 CALSCAN_BENCH_USERS=0 \
#   CALSCAN_BENCH_COMPUTERS=0 CALSCAN_BENCH_STRESS_GROUPS=10000 scripts/bench-dc.sh start
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/samba-dc.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/samba-dc.sh"

LOG_TAG=bench-dc
DC_DIR=${CALSCAN_BENCH_DC_DIR:-/tmp/calscan-bench-dc}
DC_IP=${CALSCAN_BENCH_DC_IP:-127.0.0.2}
NUSERS=${CALSCAN_BENCH_USERS:-20000}
NCOMPUTERS=${CALSCAN_BENCH_COMPUTERS:-5000}
NSTRESS=${CALSCAN_BENCH_STRESS_GROUPS:-0}
GROUP_SIZE=200

[[ $NUSERS =~ ^[0-9]+$ && $NCOMPUTERS =~ ^[0-9]+$ && $NSTRESS =~ ^[0-9]+$ ]] ||
	die "CALSCAN_BENCH_USERS, CALSCAN_BENCH_COMPUTERS and CALSCAN_BENCH_STRESS_GROUPS must be numbers"
[[ $DC_IP =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ && $DC_IP != 127.0.0.1 ]] ||
	die "CALSCAN_BENCH_DC_IP must be a loopback address other than 127.0.0.1 (the test DC's)"

# An address with a netmask is taken as given: it need not be on an interface,
# and the test DC's "interfaces = lo" never covers it.
DC_INTERFACES=$DC_IP/8
# LDAP only: no DNS, Kerberos, NetBIOS or file server to collide with the test DC.
SERVER_SERVICES='-dns -dnsupdate -nbt -wrepl -s3fs -kdc -kcc -drepl -winbindd -ntp_signd'

REALM=BENCH.EXAMPLE.TEST
NETBIOS_DOMAIN=BENCH
DNS_DOMAIN=bench.example.test
DC_HOST=dc2.$DNS_DOMAIN
BASE_DN=DC=bench,DC=example,DC=test
ADMIN_PASS='Adm1n!calscan-bench'
CA_NAME='calscan bench CA'

PACKAGES=(samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind
	ldb-tools ldap-utils openssl)

# One tarball per folder: the bench and fault instances keep theirs side by side.
CACHE_NAME=bench-dc-$(basename "$DC_DIR")
POPULATION_KEY="$NUSERS $NCOMPUTERS $NSTRESS"
POPULATION_SUMMARY="$NUSERS users, $NCOMPUTERS computers, $NSTRESS stress groups; minutes for tens of thousands"
ENV_PREFIX=DC2_

# ----------------------------------------------------------------- population

# write_population writes ldif/add-NNNN.ldif, 1,000 entries a file: ldbadd slows
# down on very large transactions.
write_population() {
	awk -v base="$BASE_DN" -v dns="$DNS_DOMAIN" -v nusers="$NUSERS" -v ncomp="$NCOMPUTERS" -v nstress="$NSTRESS" \
		-v gsize="$GROUP_SIZE" -v now="$POPULATED_AT" -v out="$DC_DIR/ldif/add" '
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
}

# ----------------------------------------------------------------- env

write_env_extra() {
	cat <<EOF
export DC2_PID_FILE=$PID_FILE
export DC2_USERS=$NUSERS
export DC2_COMPUTERS=$NCOMPUTERS
export DC2_STRESS_GROUPS=$NSTRESS
export DC2_START='CALSCAN_BENCH_DC_DIR=$DC_DIR CALSCAN_BENCH_DC_IP=$DC_IP CALSCAN_BENCH_USERS=$NUSERS CALSCAN_BENCH_COMPUTERS=$NCOMPUTERS CALSCAN_BENCH_STRESS_GROUPS=$NSTRESS bash $DC_SCRIPT start'
EOF
}

dc_main "$@"
