#!/usr/bin/env bash
# Restores a backup: scripts/restore-backup.sh latest|FILE [--target URL] [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 latest|FILE [--target URL] [--force]" >&2; exit 2; }
exec npx clockpilot backup restore "$@"
