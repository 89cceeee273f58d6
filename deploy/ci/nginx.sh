#!/usr/bin/env bash
# deploy/nginx/clockpilot.conf in Debian's nginx, in front of two app instances on the machine's
# PostgreSQL and Redis, over HTTPS with a throw-away CA: `nginx -t`, HTTP → HTTPS, TLS 1.2+ only,
# headers, brotli/gzip, login through one instance and refresh through the other, the client IP the
# app records, the WebSocket upgrade path, a large upload and the body limit.
# Usage: deploy/ci/nginx.sh [--help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/ci/lib.sh
[ "${1:-}" = "--help" ] && { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }

command -v nginx >/dev/null || apt-get install -y -qq nginx >/dev/null
ensure_build
DIR=$(mktemp -d /tmp/clockpilot-nginx.XXXXXX)
DB=clockpilot_ci_nginx_$$
read -r -d '' HTTP HTTPS A B < <(free_ports 4) || true
PIDS=()
cleanup() {
  [ -f "$DIR/nginx.pid" ] && kill "$(cat "$DIR/nginx.pid")" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  drop_db "$DB"
  rm -rf "$DIR"
}
trap cleanup EXIT
create_db "$DB"
make_certs "$DIR" && mkdir -p "$DIR/tls" && cp "$DIR/server.pem" "$DIR/tls/fullchain.pem" && cp "$DIR/server.key" "$DIR/tls/privkey.pem"

PASSWORD="Ci-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')-Pw7"  # the policy wants a digit
APP_ENV=(NODE_ENV=production FLEET_ALLOW_LOCAL_PROVIDERS=true DATABASE_URL="$(db_url "$DB")" REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
  REDIS_KEY_PREFIX="ci-nginx-$$:" JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  PUBLIC_URL="https://localhost:$HTTPS" TRUST_PROXY=127.0.0.1 FORCE_HTTPS=true BODY_LIMIT=33554432
  ADMIN_USERNAME=ciadmin ADMIN_PASSWORD="$PASSWORD" DATA_DIR="$DIR/data" LOG_LEVEL=warn)
PIDS+=("$(start_app "$A" "$DIR/a.log")")
wait_http "http://127.0.0.1:$A/api/health/ready" || { tail "$DIR/a.log"; die "instance A not ready"; }
PIDS+=("$(start_app "$B" "$DIR/b.log")")
wait_http "http://127.0.0.1:$B/api/health/ready" || { tail "$DIR/b.log"; die "instance B not ready"; }

render_nginx "$DIR" "$HTTP" "$HTTPS" "$A" "$B"
nginx -t -q -p "$DIR" -c "$DIR/nginx.conf"
nginx -p "$DIR" -c "$DIR/nginx.conf"
log "nginx -t: ok; nginx on 127.0.0.1:$HTTPS in front of :$A and :$B"

U="https://localhost:$HTTPS"
C=(curl -sS --cacert "$DIR/ca.pem" --resolve "localhost:$HTTPS:127.0.0.1" --resolve "localhost:$HTTP:127.0.0.1")
expect() { [ "$2" = "$3" ] || die "$1: got '$2', expected '$3'"; log "ok: $1"; }

expect "HTTP redirects to HTTPS" "$("${C[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$HTTP/login")" \
  "301 https://localhost/login"
"${C[@]}" --tls-max 1.1 -o /dev/null "$U/api/health/live" 2>/dev/null && die "TLS 1.1 was accepted"
expect "TLS 1.2 accepted, 1.1 refused" "$("${C[@]}" --tlsv1.2 --tls-max 1.2 -o /dev/null -w '%{http_code}' "$U/api/health/live")" 200
headers=$("${C[@]}" -D - -o /dev/null -H 'accept: text/html' "$U/login")
expect "one HSTS header" "$(grep -ci '^strict-transport-security: max-age=31536000' <<<"$headers")" 1
expect "one X-Frame-Options" "$(grep -ci '^x-frame-options: DENY' <<<"$headers")" 1
expect "page shell not cached" "$(grep -i '^cache-control' <<<"$headers" | tr -d '\r')" "cache-control: no-cache"
asset=$(grep -o 'assets/[^"]*\.js' apps/web/dist/index.html | head -1)
expect "hashed asset cached a year" "$("${C[@]}" -D - -o /dev/null "$U/$asset" | grep -i '^cache-control' | tr -d '\r' | tr 'A-Z' 'a-z')" \
  "cache-control: public, max-age=31536000, immutable"

# API answers are compressed by nginx: brotli with Debian's module (installed by .ci/run), else gzip.
# A 404 whose detail names a 1,200-character path is over gzip_min_length (1 KiB).
long=$(printf 'x%.0s' $(seq 1 1200))
enc() { "${C[@]}" -D - -o /dev/null -H "accept-encoding: $1" -H 'accept: application/json' "$U/api/v1/$long" |
  grep -i '^content-encoding' | tr -d '\r' | tr 'A-Z' 'a-z'; }
expect "gzip for a client without brotli" "$(enc gzip)" "content-encoding: gzip"
if [ -e "$DIR/snippets/clockpilot-brotli.conf" ]; then
  expect "brotli for a client that takes it" "$(enc 'br, gzip')" "content-encoding: br"
else
  log "no brotli module here (libnginx-mod-http-brotli-filter): gzip only"
fi

# Login through one instance, refresh through the other: the session lives in PostgreSQL/Redis, not
# in a process. The client's own X-Forwarded-For is overwritten by nginx, so the app records 127.0.0.1.
login_body=$(printf '{"login":"ciadmin","password":"%s"}' "$PASSWORD")
"${C[@]}" -c "$DIR/jar" -o "$DIR/login.json" -w '%{http_code}' -H 'content-type: application/json' \
  -H "origin: $U" -H 'x-forwarded-for: 203.0.113.9' --data-binary "$login_body" "$U/api/v1/auth/login" >"$DIR/code"
expect "login through nginx" "$(cat "$DIR/code")" 200
login_via=$(grep 'POST /api/v1/auth/login 200' "$DIR/access.log" | tail -1 | awk '{print $4}')
for _ in 1 2 3 4; do
  code=$("${C[@]}" -b "$DIR/jar" -c "$DIR/jar" -o "$DIR/refresh.json" -w '%{http_code}' -X POST -H "origin: $U" \
    "$U/api/v1/auth/refresh")
  expect "refresh through nginx" "$code" 200
  refresh_via=$(grep 'POST /api/v1/auth/refresh' "$DIR/access.log" | tail -1 | awk '{print $4}')
  [ "$refresh_via" != "$login_via" ] && break
done
[ "$refresh_via" != "$login_via" ] || die "every refresh went to the login's instance $login_via"
log "ok: login via $login_via, refresh via $refresh_via"
token=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).accessToken)' "$DIR/refresh.json")
ips=$("${C[@]}" -H "authorization: Bearer $token" "$U/api/v1/auth/sessions" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log([...new Set(JSON.parse(s).items.map(i=>i.ip))].join(",")))')
expect "the app records nginx's client address, not a forged header" "$ips" 127.0.0.1

# WebSocket: the autoscaler's live stream upgrades through nginx (101 Switching Protocols); the app
# authenticates by the first message, so the handshake itself needs no credentials.
ws=$(node -e '
const [port, ca] = process.argv.slice(1);
const req = require("node:https").request({ host: "127.0.0.1", servername: "localhost", port,
  path: "/api/v1/autoscaler/ws", ca: require("node:fs").readFileSync(ca), headers: { connection: "Upgrade",
  upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" } });
req.on("upgrade", (res, socket) => { console.log(`${res.statusCode} ${res.headers.upgrade}`); socket.destroy(); });
req.on("response", (res) => { console.log(res.statusCode); res.destroy(); });
req.setTimeout(10000, () => { console.log("timeout"); req.destroy(); });
req.end();' "$HTTPS" "$DIR/ca.pem")
expect "WebSocket upgrade through nginx" "$ws" "101 websocket"

# 20 MiB reaches the app (which answers its own validation error); 60 MiB stops at nginx.
head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' 'a' | sed 's/^/{"login":"/; s/$/","password":"x"}/' >"$DIR/big.json"
expect "20 MiB body reaches the app" "$("${C[@]}" -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
  -H "origin: $U" --data-binary "@$DIR/big.json" "$U/api/v1/auth/login")" 400
head -c $((60 * 1024 * 1024)) /dev/zero >"$DIR/huge.bin"
expect "60 MiB body refused by nginx" "$("${C[@]}" -o /dev/null -w '%{http_code}' -H 'content-type: application/octet-stream' \
  --data-binary "@$DIR/huge.bin" "$U/api/v1/auth/login")" 413
log "OK"
