#!/usr/bin/env bash
# config/prometheus/alerts.yaml: promtool accepts the rules, every alert has
# a unit test in alerts_test.yaml, and the unit tests pass (pending -> firing,
# labels, annotations with their values).
#   tests/deploy/prometheus_rules_test.sh      (exit 77: no promtool, skipped)
set -euo pipefail
cd "$(dirname "$0")/../../config/prometheus"
command -v promtool >/dev/null || { echo "prometheus_rules_test: needs promtool (Debian package prometheus): skipped"; exit 77; }
timeout 60 promtool check rules alerts.yaml
for alert in $(sed -n 's/^ *- alert: *//p' alerts.yaml); do
  grep -q "alertname: $alert\$" alerts_test.yaml || { echo "prometheus_rules_test: alert $alert has no test in alerts_test.yaml"; exit 1; }
done
timeout 60 promtool test rules alerts_test.yaml
