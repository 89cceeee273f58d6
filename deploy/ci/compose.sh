#!/usr/bin/env bash
# Validates deploy/compose/docker-compose.yml and docker-compose.prod.yml with Debian's docker-compose
# (`config`, with an env file made by scripts/generate-secrets.sh, whose rules are checked on the way)
# and against the Compose Specification's JSON schema. Usage: deploy/ci/compose.sh [--help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/ci/lib.sh
[ "${1:-}" = "--help" ] && { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
command -v docker-compose >/dev/null || apt-get install -y -qq docker-compose >/dev/null

ENV_FILE=deploy/compose/.env.production
[ -e "$ENV_FILE" ] && die "$ENV_FILE exists; this check makes and removes its own"
trap 'rm -f "$ENV_FILE"' EXIT
out=$(scripts/generate-secrets.sh --write-env "$ENV_FILE")
# The env file: mode 0600, no value printed, kept on a second run, replaced only with --force.
[ "$(stat -c %a "$ENV_FILE")" = 600 ] || die "$ENV_FILE is not mode 0600"
jwt=$(sed -n 's/^JWT_SECRET=//p' "$ENV_FILE")
[ "${#jwt}" -ge 32 ] || die "JWT_SECRET is too short"
grep -qF "$jwt" <<<"$out" && die "generate-secrets printed a secret"
scripts/generate-secrets.sh --write-env "$ENV_FILE" >/dev/null
[ "$(sed -n 's/^JWT_SECRET=//p' "$ENV_FILE")" = "$jwt" ] || die "a second run replaced JWT_SECRET without --force"
scripts/generate-secrets.sh --write-env "$ENV_FILE" --force >/dev/null
[ "$(sed -n 's/^JWT_SECRET=//p' "$ENV_FILE")" != "$jwt" ] || die "--force kept JWT_SECRET"
log "generate-secrets: mode 0600, nothing printed, kept without --force, replaced with it"
for f in docker-compose.yml docker-compose.prod.yml; do
  docker-compose -f "deploy/compose/$f" --env-file "$ENV_FILE" config -q
  log "docker-compose config: $f ok"
done
services=$(docker-compose -f deploy/compose/docker-compose.prod.yml --env-file "$ENV_FILE" config | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const doc = require("yaml").parse(s);
    const published = Object.entries(doc.services).filter(([, v]) => v.ports).map(([k]) => k);
    console.log(published.join(","));
  });')
[ "$services" = nginx ] || die "services publishing ports: $services (only nginx may)"
log "only nginx publishes ports"
node deploy/ci/validate-compose.mjs deploy/compose/docker-compose.yml deploy/compose/docker-compose.prod.yml
log "OK"
