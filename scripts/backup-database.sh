#!/usr/bin/env bash
# Backs up the database into BACKUPS_DIR (see docs/OPERATIONS.md): a thin wrapper over the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx clockpilot backup create "$@"
