#!/usr/bin/env bash
# Dumps the OpenAPI document from the app (no listener, no database), lints it with Redocly (errors fail)
# and checks that a typed client generated from it compiles.
set -euo pipefail
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npx tsx scripts/openapi-dump.ts "$out/openapi.json"
npx redocly lint "$out/openapi.json" --format stylish
npx openapi-typescript "$out/openapi.json" -o "$out/client.d.ts"
cat >"$out/use.ts" <<'TS'
import type { paths } from './client';
export type LoginBody = paths['/api/v1/auth/login']['post']['requestBody'];
TS
npx tsc --noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext "$out/use.ts" "$out/client.d.ts"
echo "openapi: lint clean, generated client compiles"
