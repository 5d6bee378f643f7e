#!/usr/bin/env bash
# The one command that runs every test: lint (module boundaries), type check,
# unit tests, then integration and browser tests against a real Temporal dev
# server (built from source if absent) and a fresh PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

echo "== lint ==" && npx nx run-many -t lint --outputStyle=static && npx eslint --max-warnings=0 test scripts bench
echo "== typecheck ==" && npx tsc -p tsconfig.json --noEmit
echo "== tests =="
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest-results.json "$@" || status=$?
# One plain closing line for whoever reads the log.
node -e '
  const r = require("./test-artifacts/vitest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "$status"
