#!/usr/bin/env bash
# Operations checks: Prometheus config, alert rules and their unit tests, Alertmanager config and
# routing, the Loki and Promtail configs and ruler rules (parsed and shape-checked: Debian has no Loki
# binary), and the logrotate policy run against real files. Needs Debian's prometheus,
# prometheus-alertmanager and logrotate packages and `npm ci` (yaml). Takes well under a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

promtool check config prometheus/prometheus.yml
promtool check rules prometheus/rules/*.yml
promtool test rules prometheus/tests/*.test.yml

amtool check-config alertmanager/alertmanager.yml
# Critical alerts page on-call, warnings go to chat.
[ "$(amtool config routes test --config.file=alertmanager/alertmanager.yml severity=critical 2>/dev/null)" = oncall-critical ]
[ "$(amtool config routes test --config.file=alertmanager/alertmanager.yml severity=warning 2>/dev/null)" = slack-warnings ]

node ci/validate-loki.mjs

# The policy with its paths moved into a scratch folder: a dry run, then a forced real rotation.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s#/var/log/clockpilot#$work#g; s#su root root#su $(id -un) $(id -gn)#" logrotate/clockpilot >"$work/policy"
for f in app error security audit; do echo '{"level":30,"msg":"line"}' >"$work/$f.log"; done
logrotate -d -s "$work/state" "$work/policy"
logrotate -f -s "$work/state" "$work/policy"
for f in app error security audit; do
  ls "$work/$f.log-"* >/dev/null
  [ ! -s "$work/$f.log" ] # copytruncate emptied the live file
done
echo "ops checks passed"
