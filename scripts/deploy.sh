#!/usr/bin/env bash
# Blue-green deploy of ClockPilot on one host. Two slots, blue and green, each run the app; nginx sends
# traffic to the live one. A deploy backs up the database, applies migrations (expand-then-contract,
# see docs/DEPLOYMENT.md, so the live release survives them), starts the idle slot with the new
# release, waits for readiness, smoke-tests it, switches nginx (a reload: no connection is dropped) and
# keeps the old slot running for --rollback. A failed health check or smoke test leaves the old slot
# serving and exits non-zero.
#
# Usage: scripts/deploy.sh --production|--staging [--force] [--backup-only] [--check-only] [--rollback]
#                          [--driver host|compose] [--release DIR|IMAGE]
#   --production, --staging  the environment: its env file is .env.production / .env.staging
#   --force                  no confirmation prompt (needed when stdin is not a terminal)
#   --backup-only            only take the database backup
#   --check-only             print the live slot, its version and the health of both slots
#   --rollback               switch nginx back to the other slot (restarting it if it stopped); to a
#                            release older than a migration that ships rollback steps: runs them and
#                            stops the newer slot
#   --driver host            processes on this machine (default): --release is a built checkout
#                            (apps/server/dist, apps/web/dist, node_modules); default: this checkout
#   --driver compose         deploy/compose/docker-compose.prod.yml services app-blue / app-green;
#                            --release is the image tag (default clockpilot:latest)
# Environment: DEPLOY_ENV_FILE (compose: deploy/compose/.env.<env>), DEPLOY_STATE_DIR (/var/lib/clockpilot/<env>), BLUE_PORT (5001),
#   GREEN_PORT (5002), NGINX_UPSTREAM (/etc/nginx/clockpilot/upstream.conf; compose:
#   deploy/compose/nginx/upstream.conf), NGINX_RELOAD
#   ("nginx -s reload"), NGINX_PID_FILE (/run/nginx.pid), READY_TIMEOUT (60 s), SMOKE_LOGIN / SMOKE_PASSWORD (login round-trip),
#   BACKUP_DIR (<state>/backups). A release folder may hold release.env: settings for its processes only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
ENVIRONMENT='' FORCE=0 ACTION=deploy DRIVER=host RELEASE=''
while [ $# -gt 0 ]; do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --production) ENVIRONMENT=production ;;
    --staging) ENVIRONMENT=staging ;;
    --force) FORCE=1 ;;
    --backup-only) ACTION=backup ;;
    --check-only) ACTION=check ;;
    --rollback) ACTION=rollback ;;
    --driver) DRIVER=${2:?--driver needs host or compose}; shift ;;
    --release) RELEASE=${2:?--release needs a value}; shift ;;
    *) echo "unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[ -n "$ENVIRONMENT" ] || { echo "choose --production or --staging" >&2; usage >&2; exit 2; }
case $DRIVER in host | compose) ;; *) echo "unknown driver $DRIVER" >&2; exit 2 ;; esac

# The compose stack reads its env file beside the compose files; the host driver's is at the top.
DEFAULT_ENV=$([ "$DRIVER" = compose ] && echo "$ROOT/deploy/compose/.env.$ENVIRONMENT" || echo "$ROOT/.env.$ENVIRONMENT")
ENV_FILE=$(realpath -m "${DEPLOY_ENV_FILE:-$DEFAULT_ENV}")
STATE=${DEPLOY_STATE_DIR:-/var/lib/clockpilot/$ENVIRONMENT}
BACKUP_DIR=${BACKUP_DIR:-$STATE/backups}
READY_TIMEOUT=${READY_TIMEOUT:-60}
DEFAULT_UPSTREAM=$([ "$DRIVER" = compose ] && echo "$ROOT/deploy/compose/nginx/upstream.conf" || echo /etc/nginx/clockpilot/upstream.conf)
NGINX_UPSTREAM=${NGINX_UPSTREAM:-$DEFAULT_UPSTREAM}
NGINX_RELOAD=${NGINX_RELOAD:-nginx -s reload}
NGINX_PID_FILE=${NGINX_PID_FILE:-/run/nginx.pid}
COMPOSE_FILE=${COMPOSE_FILE:-$ROOT/deploy/compose/docker-compose.prod.yml}
declare -A SLOT_PORT=([blue]=${BLUE_PORT:-5001} [green]=${GREEN_PORT:-5002})
[ "${SLOT_PORT[blue]}" != "${SLOT_PORT[green]}" ] || { echo "BLUE_PORT and GREEN_PORT must differ" >&2; exit 2; }
[ -f "$ENV_FILE" ] || { echo "no env file $ENV_FILE (scripts/generate-secrets.sh --write-env $ENV_FILE)" >&2; exit 2; }
mkdir -p "$STATE" "$BACKUP_DIR"

say() { printf '[deploy %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "FAILED: $*"; exit 1; }
other() { [ "$1" = blue ] && echo green || echo blue; }
live_slot() { cat "$STATE/live" 2>/dev/null || echo none; }
env_value() { (set -a; . "$ENV_FILE"; eval "printf '%s' \"\${$1:-}\""); }
compose() {
  if docker compose version >/dev/null 2>&1; then docker compose -p clockpilot -f "$COMPOSE_FILE" --env-file "$ENV_FILE" "$@"
  else docker-compose -p clockpilot -f "$COMPOSE_FILE" --env-file "$ENV_FILE" "$@"; fi
}

confirm() {
  [ "$FORCE" = 1 ] && return
  [ -t 0 ] || fail "not a terminal: add --force to $1 without a prompt"
  read -r -p "$1 on $ENVIRONMENT? [y/N] " answer
  [ "$answer" = y ] || [ "$answer" = Y ] || { say "cancelled"; exit 1; }
}

# ---- the two drivers: start, stop, alive, url of a slot ----
host_start() { # slot release
  local slot=$1 release=$2
  # Another process on the slot's port would answer its readiness checks in its stead.
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:${SLOT_PORT[$slot]}/"; then
    fail "port ${SLOT_PORT[$slot]} of $slot is taken by another process"
  fi
  (
    cd "$release"
    set -a
    . "$ENV_FILE"
    [ -f release.env ] && . ./release.env
    set +a
    PORT=${SLOT_PORT[$slot]} HOST=127.0.0.1 MIGRATE_ON_BOOT=false \
      setsid nohup node apps/server/dist/main.js >>"$STATE/$slot.log" 2>&1 </dev/null &
    echo $! >"$STATE/$slot.pid"
  )
  echo "$release" >"$STATE/$slot.release"
}
host_stop() {
  local pid
  pid=$(cat "$STATE/$1.pid" 2>/dev/null) || return 0
  if kill -TERM "$pid" 2>/dev/null; then
    # close-with-grace drains open requests first; a process that hangs is killed after 30 s.
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$STATE/$1.pid"
}
host_alive() { local pid; pid=$(cat "$STATE/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }
compose_start() { CLOCKPILOT_IMAGE=$2 compose up -d --no-deps --force-recreate "app-$1" >/dev/null; echo "$2" >"$STATE/$1.release"; }
compose_stop() { compose stop "app-$1" >/dev/null || true; }
compose_alive() { [ -n "$(compose ps -q "app-$1")" ]; }
slot_url() {
  if [ "$DRIVER" = host ]; then echo "http://127.0.0.1:${SLOT_PORT[$1]}"; else echo "compose:app-$1"; fi
}

# Readiness of a slot: 200 from /api/health/ready (in the container for the compose driver).
ready_code() {
  if [ "$DRIVER" = host ]; then
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:${SLOT_PORT[$1]}/api/health/ready" || true
  else
    compose exec -T "app-$1" node -e "fetch('http://127.0.0.1:5000/api/health/ready').then(r=>console.log(r.status),()=>console.log(0))" 2>/dev/null || echo 0
  fi
}
wait_ready() {
  local slot=$1 deadline=$((SECONDS + READY_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(ready_code "$slot")" = 200 ] && return 0
    "${DRIVER}_alive" "$slot" || { say "$slot exited while starting (log: $STATE/$slot.log)"; return 1; }
    sleep 0.5
  done
  say "$slot not ready after ${READY_TIMEOUT} s"
  return 1
}

# Workers of an nginx master that still accept connections (a worker told to quit retitles itself
# "worker process is shutting down" as it closes its listening sockets).
accepting_workers() { ps -o pid=,args= --ppid "$1" 2>/dev/null | awk '/worker process$/ { print $1 }' | sort; }

# A reload is asynchronous: until every old worker has taken the signal, some new connections still
# reach the old upstream. Returns once only workers started by this reload accept.
reload_nginx() {
  local master before now
  master=$(cat "$NGINX_PID_FILE" 2>/dev/null || true)
  before=$([ -n "$master" ] && accepting_workers "$master")
  $NGINX_RELOAD
  [ -n "$master" ] || { say "no nginx pid file at $NGINX_PID_FILE: not waiting for the reload"; return 0; }
  for _ in $(seq 1 100); do
    now=$(accepting_workers "$master")
    [ -n "$now" ] && [ -z "$(comm -12 <(echo "$before") <(echo "$now"))" ] && return 0
    sleep 0.1
  done
  say "nginx still had workers of the old configuration after 10 s"
}

# nginx: one upstream file pointing at the live slot, then a graceful reload.
switch_to() {
  local slot=$1 tmp
  tmp=$(mktemp "$(dirname "$NGINX_UPSTREAM")/.upstream.XXXXXX")
  if [ "$DRIVER" = host ]; then
    printf 'upstream clockpilot_app {\n    server 127.0.0.1:%s max_fails=2 fail_timeout=10s;\n    keepalive 32;\n}\n' \
      "${SLOT_PORT[$slot]}" >"$tmp"
  else
    printf 'upstream clockpilot_app {\n    server app-%s:5000 max_fails=2 fail_timeout=10s;\n    keepalive 32;\n}\n' "$slot" >"$tmp"
  fi
  chmod 0644 "$tmp" && mv "$tmp" "$NGINX_UPSTREAM"
  if [ "$DRIVER" = host ]; then reload_nginx; else compose exec -T nginx nginx -s reload >/dev/null; fi
  echo "$slot" >"$STATE/live"
  say "nginx now sends traffic to $slot"
}

backup() {
  local url file
  url=$(env_value DATABASE_URL)
  file="$BACKUP_DIR/clockpilot-$ENVIRONMENT-$(date -u +%Y%m%dT%H%M%SZ).dump"
  if [ -z "$url" ]; then say "no DATABASE_URL (embedded database): back up DATA_DIR instead"; return 0; fi
  if [ "$DRIVER" = compose ]; then
    compose exec -T postgres sh -c 'pg_dump -Fc -U "$POSTGRES_USER" "$POSTGRES_DB"' >"$file"
  else
    pg_dump -Fc --dbname="$url" --file="$file"
  fi
  chmod 0600 "$file"
  say "backup: $file ($(du -h "$file" | cut -f1))"
}

cli() { # release args...: a release's `clockpilot` command against this environment's database
  local release=$1
  shift
  if [ "$DRIVER" = host ]; then
    (cd "$release" && set -a && . "$ENV_FILE" && set +a && node apps/server/dist/cli.js "$@")
  else
    CLOCKPILOT_IMAGE=$release compose run --rm --no-deps app-blue clockpilot "$@"
  fi
}
migrate() { cli "$RELEASE" migrate; }

# The migration files (NNNN_name.sql) in a folder of a release, sorted.
release_migrations() { # release folder
  if [ "$DRIVER" = host ]; then
    ls -1 "$1/$2" 2>/dev/null
  else
    CLOCKPILOT_IMAGE=$1 compose run --rm --no-deps -T --entrypoint ls app-blue -1 "$2" 2>/dev/null
  fi | grep -E '^[0-9]{4}_[A-Za-z0-9_-]+[.]sql$' | sort || true
}

# The rollback steps that `from` ships (apps/server/migrations/rollback/NNNN_*.sql, see
# docs/DEPLOYMENT.md) for the migrations after `to`'s newest one: what `to` cannot read as they left it.
# Prints `to`'s newest migration, then the steps; nothing when none are due.
rollback_steps() { # from to
  local newest due
  newest=$(release_migrations "$2" apps/server/migrations | tail -1)
  [ -n "$newest" ] || { say "no migrations found in $2: no rollback steps run" >&2; return 0; }
  due=$(release_migrations "$1" apps/server/migrations/rollback | awk -v n="${newest:0:4}" 'substr($0, 1, 4) > n')
  [ -z "$due" ] || printf '%s\n%s\n' "${newest%.sql}" "${due//.sql/}"
}

version_of() { # slot
  if [ "$DRIVER" = host ]; then
    curl -s --max-time 3 "http://127.0.0.1:${SLOT_PORT[$1]}/api/health" |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).version??"?")}catch{console.log("down")}})'
  else
    cat "$STATE/$1.release" 2>/dev/null || echo "?"
  fi
}

check() {
  local live slot
  live=$(live_slot)
  say "environment $ENVIRONMENT, driver $DRIVER, live slot: $live"
  for slot in blue green; do
    say "  $slot$([ "$slot" = "$live" ] && echo ' (live)'): release $(cat "$STATE/$slot.release" 2>/dev/null || echo none), version $(version_of "$slot"), readiness $(ready_code "$slot")"
  done
}

rollback() {
  local live target from to steps newest started=$SECONDS
  live=$(live_slot)
  [ "$live" != none ] || fail "nothing deployed yet"
  target=$(other "$live")
  [ -f "$STATE/$target.release" ] || fail "$target never ran a release: nothing to roll back to"
  from=$(cat "$STATE/$live.release" 2>/dev/null || true) to=$(cat "$STATE/$target.release")
  confirm "Roll back from $live to $target ($to)"
  steps=$([ -z "$from" ] || rollback_steps "$from" "$to")
  newest=$(head -1 <<<"$steps")
  if [ -n "$steps" ]; then
    # Before the older release starts or serves, so it goes on from the current data.
    say "$to stops at $newest: running the rollback steps of $(tail -n +2 <<<"$steps" | tr '\n' ' ')"
    cli "$from" migrate --rollback-to "$newest" || fail "rollback steps failed (nothing changed); $live keeps serving"
  fi
  if [ "$(ready_code "$target")" != 200 ]; then
    say "$target is not running: starting $to"
    "${DRIVER}_stop" "$target"
    "${DRIVER}_start" "$target" "$to"
    wait_ready "$target" || fail "$target did not become ready; $live keeps serving"
  fi
  switch_to "$target"
  if [ -n "$steps" ]; then
    # The newer release, left running, would go on writing what the older one does not read (its jobs
    # run on any replica): it stops, and the steps run again for what it wrote until then. A later
    # --rollback starts it again.
    say "stopping $live: $to does not read what it writes"
    "${DRIVER}_stop" "$live"
    cli "$from" migrate --rollback-to "$newest" ||
      fail "$target serves, but the rollback steps failed after $live stopped: run 'clockpilot migrate --rollback-to $newest' of $from"
  fi
  say "rolled back to $target in $((SECONDS - started)) s"
}

deploy() {
  local live idle previous
  if [ -z "$RELEASE" ]; then
    RELEASE=$([ "$DRIVER" = host ] && echo "$ROOT" || echo clockpilot:latest)
  fi
  [ "$DRIVER" = compose ] || RELEASE=$(realpath "$RELEASE")
  [ "$DRIVER" = compose ] || [ -f "$RELEASE/apps/server/dist/main.js" ] || fail "$RELEASE is not a built release (npm run build)"
  live=$(live_slot)
  idle=$([ "$live" = none ] && echo blue || other "$live")
  previous=$(cat "$STATE/$idle.release" 2>/dev/null || true)
  confirm "Deploy $RELEASE to the $idle slot"
  say "live: $live; deploying $RELEASE to $idle"
  backup
  migrate || fail "migrations failed; $live keeps serving"
  "${DRIVER}_stop" "$idle"
  "${DRIVER}_start" "$idle" "$RELEASE"
  local ok=1
  if ! wait_ready "$idle"; then
    ok=0
  elif [ "$DRIVER" = host ] && ! "$ROOT/scripts/smoke.sh" --as-proxy "$(slot_url "$idle")"; then
    say "smoke test failed"
    ok=0
  fi
  if [ "$ok" = 0 ]; then
    tail -5 "$STATE/$idle.log" 2>/dev/null | sed 's/^/    /' || true
    "${DRIVER}_stop" "$idle"
    # Put the idle slot back on the release it had, so --rollback still has somewhere to go.
    if [ -n "$previous" ]; then
      "${DRIVER}_start" "$idle" "$previous"
      # It was healthy before, so it gets at least a minute, whatever the new release was allowed.
      READY_TIMEOUT=$((READY_TIMEOUT > 60 ? READY_TIMEOUT : 60)) wait_ready "$idle" ||
        say "$idle: the previous release did not come back ($previous)"
    else
      rm -f "$STATE/$idle.release"
    fi
    fail "$RELEASE did not pass its checks; $live keeps serving"
  fi
  switch_to "$idle"
  say "deployed: $idle serves $(version_of "$idle")$([ "$live" = none ] || echo "; $live kept for --rollback")"
}

case $ACTION in
  check) check ;;
  backup) confirm "Back up the database" && backup ;;
  rollback) rollback ;;
  deploy) deploy ;;
esac
