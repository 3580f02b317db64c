#!/usr/bin/env bash
# Real SMTP servers (mailpit) on 127.0.0.1 for calscan's email tests.
#
#   scripts/mailpit.sh start    install mailpit if missing, make the test certificates, start both
#   scripts/mailpit.sh stop     stop the instances started by "start" (by the pids they recorded)
#   scripts/mailpit.sh env      print the environment a test needs (export lines)
#   scripts/mailpit.sh status   say whether both instances are running
#
# Two instances, so that both TLS modes are real:
#   plain    SMTP with STARTTLS offered (not required)  127.0.0.1:$MAILPIT_SMTP_PORT, API :$MAILPIT_API_PORT
#   tls      SMTP over implicit TLS (like port 465)      127.0.0.1:$MAILPIT_SMTPS_PORT, API :$MAILPIT_API_TLS_PORT
# Both accept any SMTP username and password. The server certificate is signed by a
# test CA made here and names localhost and 127.0.0.1.
#
# After "start", $CALSCAN_MAILPIT_DIR/env.sh holds MAILPIT_SMTP, MAILPIT_SMTPS (host:port),
# MAILPIT_API, MAILPIT_API_TLS (base URLs of the REST APIs) and MAILPIT_CA_FILE.
#
# Timing: the first "start" runs `go install github.com/axllent/mailpit@v1.33.1`, which
# takes about 55 s on a cold module and build cache (a few seconds when warm); later
# starts reuse the binary and are up in well under a second.
#
# Needs go (to install mailpit) and openssl (for the certificates).
#
# Knobs: CALSCAN_TOOLS (default ~/.cache/calscan-tools; the binary goes in its bin/),
# CALSCAN_MAILPIT_DIR (default ${TMPDIR:-/tmp}/calscan-mailpit), and the four ports
# MAILPIT_SMTP_PORT (1025), MAILPIT_API_PORT (8025), MAILPIT_SMTPS_PORT (1465),
# MAILPIT_API_TLS_PORT (8026).
set -euo pipefail

MAILPIT_VERSION=v1.33.1
TOOLS_DIR=${CALSCAN_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/calscan-tools}
MAILPIT_BIN=$TOOLS_DIR/bin/mailpit
STATE_DIR=${CALSCAN_MAILPIT_DIR:-${TMPDIR:-/tmp}/calscan-mailpit}
PKI_DIR=$STATE_DIR/pki
ENV_FILE=$STATE_DIR/env.sh

SMTP_PORT=${MAILPIT_SMTP_PORT:-1025}
API_PORT=${MAILPIT_API_PORT:-8025}
SMTPS_PORT=${MAILPIT_SMTPS_PORT:-1465}
API_TLS_PORT=${MAILPIT_API_TLS_PORT:-8026}

INSTANCES=(plain tls)

log() { printf 'mailpit: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# ----------------------------------------------------------------- install

ensure_mailpit() {
	command -v go >/dev/null || die "go is not on PATH (needed to install mailpit)"
	# a go-installed mailpit calls itself "dev": read the module version from the binary
	if [ -x "$MAILPIT_BIN" ] && go version -m "$MAILPIT_BIN" 2>/dev/null | grep -q "mod.*github.com/axllent/mailpit.*$MAILPIT_VERSION"; then
		return 0
	fi
	log "installing mailpit $MAILPIT_VERSION into $TOOLS_DIR/bin (about 55 s the first time)"
	mkdir -p "$TOOLS_DIR/bin"
	GOBIN=$TOOLS_DIR/bin GOFLAGS=-buildvcs=false go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
}

# ----------------------------------------------------------------- certificates

make_certificates() {
	[ -s "$PKI_DIR/server.pem" ] && [ -s "$PKI_DIR/server.key" ] && [ -s "$PKI_DIR/ca.pem" ] && return 0
	command -v openssl >/dev/null || die "openssl is not installed"
	mkdir -p "$PKI_DIR"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
		-subj '/CN=calscan mailpit test CA' -keyout "$PKI_DIR/ca.key" -out "$PKI_DIR/ca.pem" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=localhost' \
		-keyout "$PKI_DIR/server.key" -out "$PKI_DIR/server.csr" 2>/dev/null
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$PKI_DIR/ext.cnf"
	openssl x509 -req -days 3650 -in "$PKI_DIR/server.csr" -CA "$PKI_DIR/ca.pem" -CAkey "$PKI_DIR/ca.key" \
		-CAcreateserial -extfile "$PKI_DIR/ext.cnf" -out "$PKI_DIR/server.pem" 2>/dev/null
	chmod 600 "$PKI_DIR/ca.key" "$PKI_DIR/server.key"
}

# ----------------------------------------------------------------- process control

pid_file() { echo "$STATE_DIR/$1.pid"; }

# instance_pid prints the pid of a running instance started by this script.
instance_pid() {
	local file pid
	file=$(pid_file "$1")
	[ -s "$file" ] || return 1
	pid=$(tr -dc 0-9 <"$file")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	# a recycled pid is not ours
	[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mailpit ] || return 1
	echo "$pid"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

api_ready() { "$MAILPIT_BIN" readyz --listen "127.0.0.1:$1" >/dev/null 2>&1; }

# start_instance NAME SMTP_PORT API_PORT [extra mailpit flags...]
start_instance() {
	local name=$1 smtp=$2 api=$3
	shift 3
	if instance_pid "$name" >/dev/null; then
		log "$name instance already running (pid $(instance_pid "$name"))"
		return 0
	fi
	local p
	for p in "$smtp" "$api"; do
		port_busy "$p" && die "127.0.0.1:$p is already in use by another process"
	done
	setsid "$MAILPIT_BIN" \
		--smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$api" \
		--smtp-auth-accept-any --smtp-disable-rdns --disable-version-check \
		--smtp-tls-cert "$PKI_DIR/server.pem" --smtp-tls-key "$PKI_DIR/server.key" \
		--label "calscan-$name" --quiet "$@" \
		</dev/null >"$STATE_DIR/$name.log" 2>&1 9>&- & # 9: the lock, which must not outlive this script
	echo $! >"$(pid_file "$name")"
}

wait_ready() {
	local name=$1 smtp=$2 api=$3 pid
	pid=$(tr -dc 0-9 <"$(pid_file "$name")")
	for _ in $(seq 1 150); do
		api_ready "$api" && port_busy "$smtp" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -20 "$STATE_DIR/$name.log" >&2
			die "$name instance exited while starting (log: $STATE_DIR/$name.log)"
		fi
		sleep 0.1
	done
	die "$name instance did not answer within 15 s (log: $STATE_DIR/$name.log)"
}

stop_instance() {
	local name=$1 pid
	if ! pid=$(instance_pid "$name"); then
		rm -f "$(pid_file "$name")"
		return 0
	fi
	log "stopping $name instance (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "mailpit $pid did not stop in 5 s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$(pid_file "$name")"
}

write_env() {
	cat >"$ENV_FILE" <<EOF
export MAILPIT_SMTP=127.0.0.1:$SMTP_PORT
export MAILPIT_SMTPS=127.0.0.1:$SMTPS_PORT
export MAILPIT_API=http://127.0.0.1:$API_PORT
export MAILPIT_API_TLS=http://127.0.0.1:$API_TLS_PORT
export MAILPIT_CA_FILE=$PKI_DIR/ca.pem
EOF
}

# ----------------------------------------------------------------- commands

cmd_start() {
	mkdir -p "$STATE_DIR"
	exec 9>"$STATE_DIR.lock"
	flock 9
	ensure_mailpit
	make_certificates
	start_instance plain "$SMTP_PORT" "$API_PORT"
	start_instance tls "$SMTPS_PORT" "$API_TLS_PORT" --smtp-require-tls
	wait_ready plain "$SMTP_PORT" "$API_PORT"
	wait_ready tls "$SMTPS_PORT" "$API_TLS_PORT"
	write_env
	log "up: SMTP+STARTTLS 127.0.0.1:$SMTP_PORT (API $API_PORT), SMTPS 127.0.0.1:$SMTPS_PORT (API $API_TLS_PORT)"
	log "env: $ENV_FILE"
}

cmd_stop() {
	[ -d "$STATE_DIR" ] || return 0
	exec 9>"$STATE_DIR.lock"
	flock 9
	local name
	for name in "${INSTANCES[@]}"; do
		stop_instance "$name"
	done
	rm -f "$ENV_FILE"
}

cmd_env() {
	local name
	for name in "${INSTANCES[@]}"; do
		instance_pid "$name" >/dev/null || die "the $name instance is not running (run: $0 start)"
	done
	cat "$ENV_FILE"
}

cmd_status() {
	local name pid down=0
	for name in "${INSTANCES[@]}"; do
		if pid=$(instance_pid "$name"); then
			echo "$name: running (pid $pid)"
		else
			echo "$name: stopped"
			down=1
		fi
	done
	return "$down"
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
