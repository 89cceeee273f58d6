#!/usr/bin/env bash
# Prints the Kubernetes Job that runs the rollback steps (docs/DEPLOYMENT.md, "Rollback steps") before a
# `kubectl rollout undo`: deploy/k8s/migrate-job.yaml with `clockpilot migrate --rollback-to MIGRATION`.
# It must run the NEWER image (the release that ships the steps); MIGRATION is the older release's newest.
#
# Usage: scripts/k8s-rollback-job.sh MIGRATION [IMAGE] | kubectl apply -f -
#   MIGRATION   the older release's newest migration, e.g. 0055 or 0055_events_by_day
#   IMAGE       the newer release's image (default: the manifest's)
set -euo pipefail
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
case ${1:-} in --help | -h) usage; exit 0 ;; '') usage >&2; exit 2 ;; esac
MIGRATION=$1
IMAGE=${2:-}
[[ $MIGRATION =~ ^[0-9]{4}(_[A-Za-z0-9_-]+)?$ ]] || { echo "not a migration: $MIGRATION" >&2; exit 2; }
[[ -z $IMAGE || $IMAGE =~ ^[A-Za-z0-9./:@_-]+$ ]] || { echo "not an image reference: $IMAGE" >&2; exit 2; }
JOB=$(dirname "$0")/../deploy/k8s/migrate-job.yaml

out=$(sed -e '/^#/d' \
  -e 's/^  name: clockpilot-migrate$/  name: clockpilot-rollback-steps/' \
  -e 's/component: migrate }/component: rollback-steps }/' \
  -e 's/- name: migrate$/- name: rollback-steps/' \
  -e "s/command: \[clockpilot, migrate\]$/command: [clockpilot, migrate, --rollback-to, \"$MIGRATION\"]/" \
  ${IMAGE:+-e "s|image: clockpilot:latest$|image: $IMAGE|"} "$JOB")
# The manifest changed shape under this script: refuse rather than print a Job that migrates.
grep -q 'name: clockpilot-rollback-steps$' <<<"$out" && grep -q -- "--rollback-to, \"$MIGRATION\"]" <<<"$out" ||
  { echo "$JOB no longer has the lines this script rewrites" >&2; exit 1; }
[ -z "$IMAGE" ] || grep -q "image: $IMAGE$" <<<"$out" || { echo "$JOB names no image clockpilot:latest" >&2; exit 1; }
printf '# The rollback steps before `kubectl rollout undo` (scripts/k8s-rollback-job.sh %s)\n%s\n' "$MIGRATION" "$out"
