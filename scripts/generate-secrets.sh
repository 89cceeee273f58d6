#!/usr/bin/env bash
# Generates strong random values for every secret ClockPilot's production configuration needs and
# writes them to an env file (mode 0600). Values already in the file are kept unless --force; secrets
# are never printed, only the names of the variables written.
#
# Usage: scripts/generate-secrets.sh [--write-env [FILE]] [--force]
#   --write-env [FILE]  write to FILE (default .env.production); without it, only list what is missing
#   --force             replace values that are already set
# Generated: JWT_SECRET, POSTGRES_PASSWORD, REDIS_PASSWORD, GRAFANA_ADMIN_PASSWORD, ADMIN_PASSWORD,
# and DATABASE_URL / REDIS_URL built from them for the compose stack. Left as placeholders to fill
# from the providers' dashboards: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, PERSONA_API_KEY,
# PERSONA_WEBHOOK_SECRET, OIDC_CLIENT_SECRET, SENTRY_DSN.
set -euo pipefail
umask 077

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
FILE=.env.production WRITE=0 FORCE=0
while [ $# -gt 0 ]; do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --force) FORCE=1; shift ;;
    --write-env)
      WRITE=1; shift
      if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then FILE=$1; shift; fi ;;
    *) echo "unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

# URL-safe random text: no characters that need quoting in env files or connection strings.
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' | head -c "$2"; }

declare -A NEW=(
  [JWT_SECRET]=$(random 64 64)
  [POSTGRES_PASSWORD]=$(random 48 32)
  [REDIS_PASSWORD]=$(random 48 32)
  [GRAFANA_ADMIN_PASSWORD]=$(random 36 24)
  [ADMIN_PASSWORD]="Cp-$(random 36 20)-9x"
)
PLACEHOLDERS=(STRIPE_SECRET_KEY STRIPE_WEBHOOK_SECRET PERSONA_API_KEY PERSONA_WEBHOOK_SECRET OIDC_CLIENT_SECRET SENTRY_DSN)
ORDER=(JWT_SECRET POSTGRES_PASSWORD REDIS_PASSWORD GRAFANA_ADMIN_PASSWORD ADMIN_PASSWORD)

current() { [ -f "$FILE" ] && sed -n "s/^$1=//p" "$FILE" | tail -1 || true; }

if [ "$WRITE" = 0 ]; then
  for k in "${ORDER[@]}" DATABASE_URL REDIS_URL; do
    [ -n "$(current "$k")" ] && echo "set      $k" || echo "missing  $k"
  done
  echo "(nothing written; add --write-env [FILE] to generate the missing ones into ${FILE})"
  exit 0
fi

touch "$FILE"
chmod 0600 "$FILE"
# set_value KEY VALUE: replace the line in place, or append it.
set_value() {
  local tmp
  tmp=$(mktemp "$FILE.XXXXXX")
  grep -v "^$1=" "$FILE" >"$tmp" || true
  printf '%s=%s\n' "$1" "$2" >>"$tmp"
  chmod 0600 "$tmp" && mv "$tmp" "$FILE"
}
written=() kept=()
for k in "${ORDER[@]}"; do
  if [ -n "$(current "$k")" ] && [ "$FORCE" = 0 ]; then kept+=("$k"); else set_value "$k" "${NEW[$k]}"; written+=("$k"); fi
done
# Connection strings for the compose stack, from whatever passwords the file now holds.
derived=(
  "DATABASE_URL=postgres://clockpilot:$(current POSTGRES_PASSWORD)@postgres:5432/clockpilot"
  "REDIS_URL=redis://:$(current REDIS_PASSWORD)@redis:6379"
)
for kv in "${derived[@]}"; do
  k=${kv%%=*}
  if [ -n "$(current "$k")" ] && [ "$FORCE" = 0 ]; then kept+=("$k"); else set_value "$k" "${kv#*=}"; written+=("$k"); fi
done
for k in "${PLACEHOLDERS[@]}"; do
  grep -q "^$k=\|^# $k=" "$FILE" || printf '# %s=   (fill in from the provider to enable it)\n' "$k" >>"$FILE"
done
echo "wrote ${FILE} (mode $(stat -c %a "$FILE"))"
[ ${#written[@]} -gt 0 ] && echo "  generated: ${written[*]}"
[ ${#kept[@]} -gt 0 ] && echo "  kept (use --force to replace): ${kept[*]}"
exit 0
