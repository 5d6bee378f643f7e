#!/usr/bin/env bash
# `npm start`: installs what is missing (npm packages, the Temporal CLI), then
# starts the whole stack. See scripts/stack/start-stack.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node -r ./scripts/register.js scripts/stack/start-stack.ts
