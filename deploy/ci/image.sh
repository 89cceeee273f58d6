#!/usr/bin/env bash
# Builds the production image on a locally made base (no registry needed) and proves it against the
# machine's PostgreSQL and Redis: the CLI runs (migrate; backup create + verify with the image's own
# pg_dump), readiness 200, not root, read-only root, HEALTHCHECK healthy, `docker stop` drains and exits 0
# within the grace period. Prints the size.
# Usage: deploy/ci/image.sh [--help]   (IMAGE=clockpilot:ci by default; REDIS_URL optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/ci/lib.sh
[ "${1:-}" = "--help" ] && { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }

IMAGE=${IMAGE:-clockpilot:ci}
REDIS=${REDIS_URL:-redis://127.0.0.1:6379}
NAME=clockpilot-ci-image-$$
DB=clockpilot_ci_image_$$
PORT=$(free_port)

ensure_dockerd
BASE=$(deploy/ci/base-image.sh)
log "building $IMAGE on $BASE"
started=$SECONDS
docker build --network host --build-arg NODE_IMAGE="$BASE" -t "$IMAGE" . >/tmp/$NAME-build.log 2>&1 ||
  { tail -40 /tmp/$NAME-build.log; die "docker build failed"; }
log "built in $((SECONDS - started)) s"

cleanup() {
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  docker volume rm -f "$NAME-data" "$NAME-logs" >/dev/null 2>&1 || true
  drop_db "$DB"
}
trap cleanup EXIT
create_db "$DB"

# Production mode, read-only root, writable /tmp and the two volumes only, loopback networking.
run_args=(--network host --read-only --tmpfs /tmp:rw,noexec,nosuid,size=64m
  -v "$NAME-data:/app/data" -v "$NAME-logs:/app/logs"
  -e NODE_ENV=production -e FLEET_ALLOW_LOCAL_PROVIDERS=true -e HOST=127.0.0.1 -e PORT="$PORT" -e PUBLIC_URL="https://127.0.0.1:$PORT"
  -e DATABASE_URL="$(db_url "$DB")" -e REDIS_URL="$REDIS" -e REDIS_KEY_PREFIX="$NAME:"
  -e JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')")

log "CLI: migrate, then migrate --status, each in a throw-away container"
docker run --rm "${run_args[@]}" "$IMAGE" clockpilot migrate | tail -1
status=$(docker run --rm "${run_args[@]}" "$IMAGE" clockpilot migrate --status)
echo "$status"
grep -q 'pending: none' <<<"$status" || die "migrations still pending after migrate"

log "CLI: the rollback steps, with the command of the Kubernetes Job scripts/k8s-rollback-job.sh prints"
read -ra job_cmd <<<"$(scripts/k8s-rollback-job.sh 0055 | sed -n 's/^ *command: \[\(.*\)\]$/\1/p' | tr -d '",')"
[ "${job_cmd[*]}" = "clockpilot migrate --rollback-to 0055" ] || die "the rollback Job runs: ${job_cmd[*]}"
steps=$(docker run --rm "${run_args[@]}" "$IMAGE" "${job_cmd[@]}")
echo "$steps"
# The image ships the steps of the migrations after 0055 and runs them newest first.
grep -q '^rollback steps run: 0057_[a-z_]*, 0056_' <<<"$steps" || die "the image ran no rollback steps past 0055"

log "CLI: backup create and verify (the image's own pg_dump against the machine's PostgreSQL)"
made=$(docker run --rm "${run_args[@]}" -e BACKUPS_DIR=/app/data/backups "$IMAGE" clockpilot backup create)
echo "$made" | tail -1
file=$(sed -n 's/^backup written: \([^ ]*\) .*/\1/p' <<<"$made")
[ -n "$file" ] || die "backup create wrote no file"
docker run --rm "${run_args[@]}" -e BACKUPS_DIR=/app/data/backups "$IMAGE" clockpilot backup verify "$file" | tail -2

log "server"
docker run -d --name "$NAME" --stop-timeout 20 "${run_args[@]}" "$IMAGE" >/dev/null
wait_http "http://127.0.0.1:$PORT/api/health/ready" 200 90 || { docker logs "$NAME" | tail -20; die "not ready"; }
log "readiness: 200"

uid=$(docker exec "$NAME" sh -c 'id -u')
node_uid=$(docker exec "$NAME" sh -c 'for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = node ] && awk "/^Uid:/{print \$2}" $p/status && break; done')
[ "$uid" != 0 ] && [ "$node_uid" != 0 ] || die "runs as root (uid $uid, node uid $node_uid)"
log "user: uid $uid, node process uid $node_uid"

[ "$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' "$NAME")" = true ] || die "root filesystem not read-only"
docker exec "$NAME" sh -c 'touch /app/should-fail' 2>/dev/null && die "the root filesystem accepted a write"
docker exec "$NAME" sh -c 'touch /tmp/ok /app/data/ok && ls /app/logs | grep -q .' || die "/tmp, data or logs not writable"
log "read-only root: writes refused; /tmp, /app/data and /app/logs written"

for _ in $(seq 1 60); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$NAME")
  [ "$health" = healthy ] && break
  sleep 1
done
[ "$health" = healthy ] || die "HEALTHCHECK is $health"
log "HEALTHCHECK: healthy"

grace=$(docker inspect -f '{{.Config.StopTimeout}}' "$NAME")
started=$SECONDS
docker stop "$NAME" >/dev/null
took=$((SECONDS - started))
code=$(docker inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$code" = 0 ] && [ "$took" -lt "$grace" ] || die "docker stop: exit $code after $took s (grace $grace s)"
docker logs "$NAME" 2>&1 | tail -3
log "docker stop: exit 0 after $took s (grace $grace s)"

size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
log "image $IMAGE: $((size / 1024 / 1024)) MiB (base $BASE: $(($(docker image inspect -f '{{.Size}}' "$BASE") / 1024 / 1024)) MiB)"
log "OK"
