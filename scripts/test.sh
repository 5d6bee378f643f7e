#!/usr/bin/env bash
# The one command that runs every test: lint (module boundaries), type check,
# unit tests, then integration and browser tests against a real Temporal dev
# server (built from source if absent) and a fresh PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser

echo "== lint ==" && npx nx run-many -t lint --outputStyle=static && npx eslint --max-warnings=0 test scripts bench
echo "== typecheck ==" && npx tsc -p tsconfig.json --noEmit
echo "== tests ==" && npx vitest run "$@"
