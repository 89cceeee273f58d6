#!/usr/bin/env bash
# Makes the Node base image for the Dockerfile when no image registry can be reached: a minimal Debian
# (debootstrap --variant=minbase) with tini, CA certificates and postgresql-client (pg_dump, psql for
# `clockpilot backup`), plus this machine's Node, npm and CA bundle, imported with `docker import`. Tagged by
# Debian release + Node version + package list; the root filesystem tarball is cached in $CACHE_DIR.
# Prints the image name on stdout (the last line); everything else goes to stderr.
set -euo pipefail

RELEASE=${DEBIAN_RELEASE:-bookworm}
CACHE_DIR=${CACHE_DIR:-/var/cache/clockpilot-ci}
NODE_BIN=${NODE_BIN:-/usr/bin/node}
NPM_DIR=${NPM_DIR:-/usr/lib/node_modules/npm}
NODE_VERSION=$("$NODE_BIN" --version)
PACKAGES=tini,ca-certificates,postgresql-client
# A changed package list makes a new key, so a cached tarball without a package is never reused.
KEY="${RELEASE}-node${NODE_VERSION#v}-$(printf %s "$PACKAGES" | sha256sum | cut -c1-8)"
TAG="clockpilot-base:$KEY"
TARBALL="$CACHE_DIR/base-$KEY.tar"

if [ "${1:-}" = "--help" ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "$TAG"
  exit 0
fi

mkdir -p "$CACHE_DIR"
if [ ! -s "$TARBALL" ]; then
  echo "building $TAG (debootstrap $RELEASE, Node $NODE_VERSION)" >&2
  ROOT=$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")
  trap 'rm -rf "$ROOT"' EXIT
  started=$SECONDS
  debootstrap --variant=minbase --include="$PACKAGES" "$RELEASE" "$ROOT" >&2
  echo "debootstrap: $((SECONDS - started)) s" >&2
  install -m 0755 "$NODE_BIN" "$ROOT/usr/bin/node"
  mkdir -p "$ROOT/usr/lib/node_modules"
  cp -a "$NPM_DIR" "$ROOT/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/bin/npx"
  # An image only needs the files: no apt lists, caches, docs or man pages.
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/*
  tar -C "$ROOT" --numeric-owner -cf "$TARBALL.part" .
  mv "$TARBALL.part" "$TARBALL"
fi
# The base trusts the certificate authorities this machine trusts (its system bundle, which includes
# any local CA), so npm inside the build reaches the registry exactly as npm on the machine does.
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
cp /etc/ssl/certs/ca-certificates.crt "$CTX/"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  "$TARBALL" "$TAG-rootfs" >&2
printf 'FROM %s\nCOPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt\n' \
  "$TAG-rootfs" >"$CTX/Dockerfile"
docker build -q -t "$TAG" "$CTX" >&2
docker rmi "$TAG-rootfs" >/dev/null
echo "$TAG"
