# syntax=docker/dockerfile:1
# ClockPilot: one image for the server, the CLI and the autoscaler's load simulator.
#   server     docker run … clockpilot                       (the default command)
#   CLI        docker run … clockpilot clockpilot migrate --status
#   simulator  docker run … clockpilot npm run start -w @clockpilot/simulator
# NODE_IMAGE is any Debian-based image with Node >= 20.19 at /usr/bin/node or /usr/local/bin/node.
# The root filesystem may be read-only: only /tmp, /app/data and /app/logs are written.
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: every dependency, the web app (Vite) and the server bundle (esbuild) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/simulator/package.json apps/simulator/
# Install scripts are off (the root `prepare` would build the web app before its sources are here);
# esbuild is the one dependency whose install script matters.
RUN npm ci --ignore-scripts && npm rebuild esbuild
COPY . .
RUN npm run build

# ---- prod-deps: production dependencies only ----
# Pruned from the build stage's install instead of a second `npm ci`: no second download and unpack.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/simulator/package.json apps/simulator/
COPY --from=build /src/node_modules/ node_modules/
RUN npm prune --omit=dev --ignore-scripts && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE}
# tini reaps zombies and forwards SIGTERM to node, whose close-with-grace drains open requests;
# pg_dump and psql (postgresql-client) serve `clockpilot backup` and the backup CronJob.
# Bases built for offline CI already carry both; the official Node images get them from Debian.
RUN if ! command -v tini >/dev/null || ! command -v pg_dump >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends tini postgresql-client \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 clockpilot \
 && useradd --system --uid 10001 --gid clockpilot --home-dir /app --shell /usr/sbin/nologin clockpilot \
 && mkdir -p /app/data /app/logs && chown clockpilot:clockpilot /app/data /app/logs \
 && ln -s /app/apps/server/bin/clockpilot.mjs /usr/local/bin/clockpilot
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=5000 \
    DATA_DIR=/app/data \
    LOG_DIR=/app/logs \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_CACHE=/tmp/.npm \
    PATH=/app/node_modules/.bin:$PATH
COPY --from=prod-deps /app/ ./
COPY package.json ./
COPY packages/contracts/ packages/contracts/
COPY --from=build /src/apps/server/dist/ apps/server/dist/
COPY apps/server/package.json apps/server/
COPY apps/server/bin/ apps/server/bin/
COPY apps/server/migrations/ apps/server/migrations/
COPY --from=build /src/apps/web/dist/ apps/web/dist/
COPY apps/simulator/ apps/simulator/
# Root owns the code; the app user may write its data and logs only.
USER clockpilot:clockpilot
VOLUME ["/app/data", "/app/logs"]
EXPOSE 5000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||5000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["tini", "--"]
CMD ["node", "apps/server/dist/main.js"]
