#!/usr/bin/env bash
# `npm audit` of the production dependencies: fails on a critical advisory. When the registry's
# advisory service cannot be asked (an HTTP error instead of a report), it says so loudly and, unless
# AUDIT_REQUIRED=1, does not fail the run: no answer is not the same as a critical advisory.
# Usage: deploy/ci/audit.sh [--help]
set -uo pipefail
cd "$(dirname "$0")/../.."
[ "${1:-}" = "--help" ] && { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }

out=$(npm audit --omit=dev --audit-level=critical --json 2>/dev/null)
code=$?
summary=$(node -e '
  const r = JSON.parse(process.argv[1] || "{}");
  if (r.metadata?.vulnerabilities) { const v = r.metadata.vulnerabilities; console.log(`report critical=${v.critical} high=${v.high} moderate=${v.moderate} low=${v.low}`); }
  else console.log(`unavailable ${r.statusCode ?? ""} ${r.message ?? r.error?.summary ?? "no report"}`);
' "$out")
echo "[audit] $summary"
case $summary in
  report*) [ "$code" = 0 ] || { npm audit --omit=dev --audit-level=critical; exit 1; } ;;
  *)
    echo "[audit] WARNING: the advisory service did not answer; production dependencies were NOT audited"
    [ "${AUDIT_REQUIRED:-0}" = 1 ] && exit 1 ;;
esac
exit 0
