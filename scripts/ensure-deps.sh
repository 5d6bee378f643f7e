#!/usr/bin/env bash
# Installs what the stack and the tests need when it is missing: npm packages
# (when package-lock.json changed since the last install) and, with --browser,
# Debian's Chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.dieu-hanh-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "Installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
fi

if [[ "${1:-}" == "--browser" ]] && [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  else
    echo "Chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi

bash scripts/ensure-temporal.sh >/dev/null
bash scripts/ensure-gofakes3.sh >/dev/null
