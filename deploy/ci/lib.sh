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
  local url=$1 want=${2:-200} tries=${3:-90} code
  shift $(($# < 3 ? $# : 3))
  for _ in $(seq 1 "$tries"); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' "$@" "$url" || true)
    [ "$code" = "$want" ] && return 0
    sleep 1
  done
  log "$url answered $code, expected $want"
  return 1
}

# N distinct TCP ports nobody listens on (default 1), from the ephemeral range, one per line: all are
# held open together while chosen, so two of them are never the same port (one at a time, the kernel may
# hand out a port just released again).
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1] || 1);
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join("\n"));
      for (const s of servers) s.close();
    });' "${1:-1}"
}
free_port() { free_ports 1; }

# A scratch database on the machine's PostgreSQL, dropped by the caller's cleanup.
PG_ADMIN_URL=${CI_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
create_db() { PGOPTIONS="-c client_min_messages=warning" psql -q "$PG_ADMIN_URL" -c "drop database if exists $1" -c "create database $1"; }
drop_db() { psql -q "$PG_ADMIN_URL" -c "drop database if exists $1 with (force)" 2>/dev/null || true; }
db_url() { echo "${PG_ADMIN_URL%/*}/$1"; }

# The server bundle and the web app, built once (the CI build step usually made them already).
ensure_build() {
  [ -f apps/server/dist/main.js ] && [ -f apps/web/dist/index.html ] && return
  log "building the web app and the server bundle"
  npm run build >/dev/null
}

# A throw-away TLS CA and a server certificate for localhost/127.0.0.1, signed by it.
# make_certs DIR [NAME] -> DIR/ca.pem DIR/NAME.pem DIR/NAME.key
make_certs() {
  local dir=$1 name=${2:-server}
  [ -f "$dir/ca.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ClockPilot CI CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  chmod 0644 "$dir/$name.key"
}

# nginx from deploy/nginx in a private prefix: render_nginx DIR HTTP_PORT HTTPS_PORT APP_PORT...
# Only the listen ports differ from the shipped file.
render_nginx() {
  local dir=$1 http=$2 https=$3 port
  shift 3
  mkdir -p "$dir/clockpilot" "$dir/snippets" "$dir/tls" "$dir/tmp"
  # Workers run as nobody and buffer large bodies to disk under tmp/.
  chmod 0711 "$dir" && chown nobody "$dir/tmp"
  sed -e "s/listen 80;/listen 127.0.0.1:$http;/; s/listen 443 ssl http2;/listen 127.0.0.1:$https ssl http2;/; /listen \[::\]/d" \
    deploy/nginx/clockpilot.conf >"$dir/clockpilot.conf"
  cp deploy/nginx/security-headers.conf "$dir/snippets/clockpilot-security-headers.conf"
  # Debian's dynamic modules (brotli among them) load by paths relative to the prefix, as in /etc/nginx.
  ln -sfn /usr/share/nginx/modules "$dir/modules"
  if [ -e /usr/share/nginx/modules/ngx_http_brotli_filter_module.so ]; then
    cp deploy/nginx/brotli.conf "$dir/snippets/clockpilot-brotli.conf"
  fi
  { echo 'upstream clockpilot_app {'
    for port in "$@"; do echo "    server 127.0.0.1:$port max_fails=2 fail_timeout=10s;"; done
    echo '    keepalive 32;'; echo '}'; } >"$dir/clockpilot/upstream.conf"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
include /etc/nginx/modules-enabled/*.conf;
error_log $dir/error.log notice;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    log_format upstream '\$request_method \$uri \$status \$upstream_addr';
    access_log $dir/access.log upstream;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include clockpilot.conf;
}
CONF
}

# Runs one app instance from the built bundle in the background: start_app PORT LOGFILE [VAR=value...]
# (APP_ENV, an array of VAR=value, is the shared configuration). Prints the pid.
start_app() {
  local port=$1 logfile=$2
  shift 2
  env "${APP_ENV[@]}" PORT="$port" HOST=127.0.0.1 "$@" setsid node apps/server/dist/main.js >"$logfile" 2>&1 &
  echo $!
}
