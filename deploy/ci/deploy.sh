#!/usr/bin/env bash
# scripts/deploy.sh with the host driver, for real: nginx (HTTPS) in front of the blue and green
# slots on the machine's PostgreSQL and Redis. Deploys release A; deploys release B while a bounded
# request loop runs against nginx (zero failed requests, B serves after); deploys a release C whose
# readiness fails (exit non-zero, B keeps serving); --rollback (back to A within 10 s; A's migrations
# stop at 0055, so the rollback gives the cluster rows the loop state B kept in its tick rows and stops
# B); --rollback again (B restarted); --check-only; then scripts/smoke.sh with a login round-trip.
# Usage: deploy/ci/deploy.sh [--help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/ci/lib.sh
[ "${1:-}" = "--help" ] && { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }

command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
ensure_build
ROOT=$PWD
# No control loop in these releases: the run writes the loop state itself and reads it back after the
# rollback, so no tick may change it meanwhile (.ci/run exports its simulator for the other checks).
unset SIMULATOR_URL SIMULATOR_TOKEN
DIR=$(mktemp -d /tmp/clockpilot-deploy.XXXXXX)
# Database and ports may be given (a machine shared with other work); free ones otherwise.
DB=${CI_DEPLOY_DB:-clockpilot_ci_deploy_$$}
read -r -d '' P1 P2 P3 P4 < <(free_ports 4) || true
HTTP=${CI_HTTP_PORT:-$P1} HTTPS=${CI_HTTPS_PORT:-$P2}
export BLUE_PORT=${BLUE_PORT:-$P3} GREEN_PORT=${GREEN_PORT:-$P4}
export DEPLOY_STATE_DIR=$DIR/state DEPLOY_ENV_FILE=$DIR/env.production READY_TIMEOUT=30
export NGINX_UPSTREAM=$DIR/clockpilot/upstream.conf NGINX_RELOAD="nginx -p $DIR -c $DIR/nginx.conf -s reload" NGINX_PID_FILE=$DIR/nginx.pid
cleanup() {
  [ -f "$DIR/nginx.pid" ] && kill "$(cat "$DIR/nginx.pid")" 2>/dev/null
  for f in "$DIR"/state/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  sleep 1
  drop_db "$DB"
  rm -rf "$DIR"
}
trap cleanup EXIT
# What a failed check needs to be understood later: the slots' state, nginx's view and the slots' logs.
diagnose() {
  log "served: $(served 2>&1); live: $(cat "$DIR/state/live" 2>/dev/null)"
  for f in "$NGINX_UPSTREAM" "$DIR"/state/*.pid "$DIR"/state/*.release; do log "$f: $(tr '\n' ' ' <"$f")"; done
  for slot in blue green; do log "$slot: $(listener "$slot")"; done
  ps -o pid,ppid,etimes,args --ppid "$(cat "$DIR/nginx.pid")" >&2 || true
  tail -n 12 "$DIR/access.log" "$DIR/error.log" "$DIR"/state/*.log 2>/dev/null | sed "s/^/    /" >&2
}
listener() { ss -ltnp "sport = :$([ "$1" = blue ] && echo "$BLUE_PORT" || echo "$GREEN_PORT")" | tail -n +2 | tr -s ' '; }
create_db "$DB"
make_certs "$DIR" && mkdir -p "$DIR/tls" && cp "$DIR/server.pem" "$DIR/tls/fullchain.pem" && cp "$DIR/server.key" "$DIR/tls/privkey.pem"
render_nginx "$DIR" "$HTTP" "$HTTPS" "$BLUE_PORT" "$GREEN_PORT"
nginx -p "$DIR" -c "$DIR/nginx.conf"

PASSWORD="Ci-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')-Pw7"  # the policy wants a digit
cat >"$DEPLOY_ENV_FILE" <<ENV
NODE_ENV=production
FLEET_ALLOW_LOCAL_PROVIDERS=true
DATABASE_URL=$(db_url "$DB")
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
REDIS_KEY_PREFIX=ci-deploy-$$:
JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')
PUBLIC_URL=https://localhost:$HTTPS
TRUST_PROXY=127.0.0.1
FORCE_HTTPS=true
ADMIN_USERNAME=ciadmin
ADMIN_PASSWORD=$PASSWORD
DATA_DIR=$DIR/data
LOG_LEVEL=warn
# The request loop comes from one address; the per-IP limit is not what this run measures.
RATE_LIMIT_MAX_REQUESTS=1000000
ENV
chmod 0600 "$DEPLOY_ENV_FILE"

# Three releases of the same build, told apart by their version; C cannot reach its database
# (it demands TLS from a PostgreSQL that offers none), so its readiness never turns 200.
for r in a b c; do
  mkdir -p "$DIR/releases/$r/apps/server" "$DIR/releases/$r/apps/web"
  cp -r apps/server/dist apps/server/migrations "$DIR/releases/$r/apps/server/"
  sed "s/\"version\": \"[^\"]*\"/\"version\": \"0.0.0-release-$r\"/" apps/server/package.json >"$DIR/releases/$r/apps/server/package.json"
  ln -s "$ROOT/apps/web/dist" "$DIR/releases/$r/apps/web/dist"
  ln -s "$ROOT/node_modules" "$DIR/releases/$r/node_modules"
  cp package.json "$DIR/releases/$r/"
done
echo 'DB_SSLMODE=require' >"$DIR/releases/c/release.env"
# A stands for a release from before 0056 (the loop state moved out of the cluster rows): its
# migrations stop at 0055 and it ships no rollback steps.
for f in "$DIR"/releases/a/apps/server/migrations/*.sql; do [[ $(basename "$f") > 0056 ]] && rm "$f"; done
rm -r "$DIR/releases/a/apps/server/migrations/rollback"

U="https://localhost:$HTTPS"
C=(curl -sS --cacert "$DIR/ca.pem" --resolve "localhost:$HTTPS:127.0.0.1")
served() { "${C[@]}" "$U/api/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).version))'; }
deploy() { scripts/deploy.sh --production --force "$@"; }

log "deploy A"
deploy --release "$DIR/releases/a"
# A deploy returns once nginx has switched: every request after it reaches the new release.
serves() { for _ in $(seq 1 20); do [ "$(served)" = "$1" ] || return 1; done; }
serves 0.0.0-release-a || { diagnose; die "nginx does not serve A"; }

log "deploy B under a request loop through nginx"
touch "$DIR/loop.run"
NODE_EXTRA_CA_CERTS=$DIR/ca.pem node deploy/ci/request-loop.mjs "$U" "$DIR/loop.run" 120 >"$DIR/loop.out" &
LOOP=$!
sleep 2
deploy --release "$DIR/releases/b"
sleep 2
rm "$DIR/loop.run"
wait "$LOOP" || { cat "$DIR/loop.out"; die "requests failed during the switch"; }
cat "$DIR/loop.out"
serves 0.0.0-release-b || { diagnose; die "nginx does not serve B"; }

# The loop state as B's ticks leave it: in the tick row only, the cluster row still has the old one.
psql -q -v ON_ERROR_STOP=1 "$(db_url "$DB")" <<'SQL' >/dev/null
insert into autoscaler_clusters (owner_id, name, min_servers, max_servers, target, mode, simulation,
                                 desired_servers, breaker, controller, created_at, updated_at)
select id, 'rollback-ci', 1, 10, '{}', 'hpa', '{}', 2, 'closed', '{}', now(), now() from users where username = 'ciadmin';
update autoscaler_cluster_ticks set desired_servers = 7, breaker = 'open', controller = '{"failedReads":3}',
       last_tick_at = now();
SQL
state() { psql -Atq "$(db_url "$DB")" -c "select desired_servers || ' ' || breaker || ' ' || coalesce(controller->>'failedReads', '-') from autoscaler_clusters"; }

log "deploy C, whose readiness fails"
if READY_TIMEOUT=15 deploy --release "$DIR/releases/c"; then die "the deploy of C succeeded"; fi
serves 0.0.0-release-b || { diagnose; die "B stopped serving after the failed deploy"; }
log "ok: C refused, B still serves"

log "rollback"
started=$(date +%s%N)
deploy --rollback
took_ms=$((($(date +%s%N) - started) / 1000000))
serves 0.0.0-release-a || { diagnose; die "rollback did not restore A"; }
[ "$took_ms" -le 10000 ] || die "rollback took $took_ms ms"
log "ok: rollback to A in $took_ms ms"
[ "$(state)" = '7 open 3' ] || die "after the rollback A reads the loop state $(state)"
[ -z "$(listener "$([ "$(cat "$DIR/state/live")" = blue ] && echo green || echo blue)")" ] ||
  die "B still runs beside A"
log "ok: A goes on from B's loop state; B stopped"

log "rollback again: B starts again"
deploy --rollback
serves 0.0.0-release-b || { diagnose; die "the second rollback did not restore B"; }

deploy --check-only
SMOKE_LOGIN=ciadmin SMOKE_PASSWORD=$PASSWORD scripts/smoke.sh --insecure "$U" ||
  die "smoke test through nginx failed"
log "OK"
