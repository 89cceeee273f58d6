# Shared by the deploy/ci scripts (sourced, not run).

log() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }

# Debian's docker engine without a bridge or iptables rules: every container runs with --network host.
ensure_dockerd() {
  if docker info >/dev/null 2>&1; then return; fi
  command -v dockerd >/dev/null || apt-get install -y -qq docker.io >/dev/null
  log "starting dockerd (--bridge=none --iptables=false)"
  nohup dockerd --bridge=none --iptables=false >/var/log/clockpilot-ci-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return; sleep 1; done
  die "dockerd did not start (see /var/log/clockpilot-ci-dockerd.log)"
}

# Waits until URL answers the expected status (default 200); curl options may follow.
wait_http() {
  local url=$1 want=${2:-200} tries=${3:-60} code
  shift $(($# < 3 ? $# : 3))
  for _ in $(seq 1 "$tries"); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [ "$code" = "$want" ] && return 0
    sleep 1
  done
  die "$url answered $code, expected $want"
}

# A TCP port nobody listens on, from the ephemeral range.
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# A scratch database on the machine's PostgreSQL, dropped by the caller's cleanup.
PG_ADMIN_URL=${CI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
create_db() { psql -q "$PG_ADMIN_URL" -c "drop database if exists $1" -c "create database $1"; }
drop_db() { psql -q "$PG_ADMIN_URL" -c "drop database if exists $1 with (force)" 2>/dev/null || true; }
db_url() { echo "${PG_ADMIN_URL%/*}/$1"; }
