#!/usr/bin/env bash
# Smoke test of a running ClockPilot: health, readiness, the login page, the API docs (when served)
# and, with an account, a login → /me → refresh round-trip.
#
# Usage: scripts/smoke.sh [--insecure] URL
#   URL          base URL, e.g. https://clockpilot.example.com or http://127.0.0.1:5001
#   --insecure   accept a self-signed certificate (test stacks only)
#   --as-proxy   say X-Forwarded-Proto: https, as nginx does, to reach an instance directly on
#                loopback that runs with FORCE_HTTPS and TRUST_PROXY (the deploy script's check)
# Environment:
#   SMOKE_LOGIN, SMOKE_PASSWORD   an account for the login round-trip (skipped, and said so, without)
#   SMOKE_DOCS=required|optional  API docs are off in production by default (optional)
#   SMOKE_TIMEOUT                 seconds per request (10)
# Exit status 0 when every check passes; each failure is printed.
set -euo pipefail

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
CURL=(curl -sS --max-time "${SMOKE_TIMEOUT:-10}")
while [ $# -gt 0 ]; do
  case $1 in
    --help | -h) usage; exit 0 ;;
    --insecure | -k) CURL+=(-k); shift ;;
    --as-proxy) CURL+=(-H 'x-forwarded-proto: https'); shift ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) URL=${1%/}; shift ;;
  esac
done
[ -n "${URL:-}" ] || { usage >&2; exit 2; }

failed=0
check() { # name expected-status path [curl args...]
  local name=$1 want=$2 path=$3 code
  shift 3
  code=$("${CURL[@]}" -o /tmp/smoke.$$ -w '%{http_code}' "$@" "$URL$path" 2>/dev/null || echo 000)
  if [ "$code" = "$want" ]; then
    echo "ok    $name ($code)"
  else
    echo "FAIL  $name: $path answered $code, expected $want"
    failed=1
  fi
}
trap 'rm -f /tmp/smoke.$$ /tmp/smoke-jar.$$' EXIT

check "liveness" 200 /api/health/live
check "readiness" 200 /api/health/ready
check "health" 200 /api/health
check "login page" 200 /login -H 'accept: text/html'
grep -qi '<div id="root"\|<!doctype html' /tmp/smoke.$$ || { echo "FAIL  login page: not the web app"; failed=1; }
docs=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$URL/openapi.json" 2>/dev/null || echo 000)
if [ "$docs" = 200 ]; then echo "ok    API docs (200)"
elif [ "${SMOKE_DOCS:-optional}" = required ]; then echo "FAIL  API docs: /openapi.json answered $docs"; failed=1
else echo "skip  API docs are off ($docs)"; fi

if [ -n "${SMOKE_LOGIN:-}" ] && [ -n "${SMOKE_PASSWORD:-}" ]; then
  origin=$(printf '%s' "$URL" | sed -E 's#^(https?://[^/]+).*#\1#')
  body=$(node -e 'console.log(JSON.stringify({login:process.argv[1],password:process.argv[2]}))' \
    "$SMOKE_LOGIN" "$SMOKE_PASSWORD")
  check "login" 200 /api/v1/auth/login -c /tmp/smoke-jar.$$ -H 'content-type: application/json' \
    -H "origin: $origin" --data-binary "$body"
  token=$(node -e 'try{console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).accessToken??"")}catch{}' /tmp/smoke.$$)
  check "me" 200 /api/v1/auth/me -H "authorization: Bearer $token"
  check "refresh" 200 /api/v1/auth/refresh -X POST -b /tmp/smoke-jar.$$ -H "origin: $origin"
else
  echo "skip  login round-trip (set SMOKE_LOGIN and SMOKE_PASSWORD)"
fi
exit $failed
