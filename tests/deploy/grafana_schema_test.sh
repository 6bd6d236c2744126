#!/usr/bin/env bash
# Every dashboard in grafana/dashboards/ typed against Grafana's published
# schema (npm @grafana/schema, its Dashboard type) with tsc: misspelled keys
# and values outside an enum fail. (The queries are checked by
# tests/e2e/prometheus_scrape_test.cpp against a real Prometheus.)
#   tests/deploy/grafana_schema_test.sh      (exit 77: no node_modules, skipped)
set -euo pipefail
cd "$(dirname "$0")/../.."
here=$PWD/tests/deploy
{ command -v node >/dev/null && [ -d "$here/node_modules/@grafana/schema" ]; } ||
  { echo "grafana_schema_test: needs node and $here/node_modules (scripts/install-deps.sh): skipped"; exit 77; }
out=$(mktemp -d /tmp/ananas-grafana-schema.XXXXXX)
trap 'rm -rf "$out"' EXIT
ln -s "$here/node_modules" "$out/node_modules"
files=(grafana/dashboards/*/*.json)
node - "$out/dashboards.ts" "${files[@]}" <<'JS'
const fs = require("fs");
const [ts, ...files] = process.argv.slice(2);
let text = 'import type { Dashboard } from "@grafana/schema";\n';
files.forEach((f, i) => {
  text += `// ${f}\nexport const d${i}: Dashboard = ${fs.readFileSync(f, "utf8")};\n`;
});
fs.writeFileSync(ts, text);
JS
timeout 120 "$here/node_modules/.bin/tsc" --noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext "$out/dashboards.ts"
echo "grafana_schema_test: ${#files[@]} dashboards match @grafana/schema's Dashboard: ${files[*]}"
