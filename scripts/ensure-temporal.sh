#!/usr/bin/env bash
# Prints the path of a real `temporal` CLI (which embeds the Temporal server).
# Order: $TEMPORAL_CLI, `temporal` on PATH, the cached build, else build it from
# source with the Go toolchain (no download sites are reachable from our machines).
set -euo pipefail

TEMPORAL_VERSION="v1.5.1" # newest CLI tag whose go.mod has no `replace`; embeds server 1.29.1
CACHE_BIN="${DIEU_HANH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/dieu-hanh/bin}"

if [[ -n "${TEMPORAL_CLI:-}" ]]; then
  [[ -x "$TEMPORAL_CLI" ]] || { echo "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file" >&2; exit 1; }
  echo "$TEMPORAL_CLI"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [[ -x "$CACHE_BIN/temporal" ]]; then echo "$CACHE_BIN/temporal"; exit 0; fi

GO="$(command -v go || true)"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
if [[ -z "$GO" ]]; then
  cat >&2 <<MSG
No Temporal CLI found and no Go toolchain to build one.
Install either:
  - Go >= 1.24, then re-run (we build: go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION), or
  - the temporal CLI itself (https://docs.temporal.io/cli) and put it on PATH or set TEMPORAL_CLI.
MSG
  exit 1
fi

mkdir -p "$CACHE_BIN"
echo "Building the Temporal CLI $TEMPORAL_VERSION from source into $CACHE_BIN (first time only, a few minutes)..." >&2
start=$(date +%s)
GOBIN="$CACHE_BIN" GOFLAGS="${GOFLAGS:-} -trimpath" "$GO" install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION" >&2
echo "Built in $(( $(date +%s) - start ))s." >&2
[[ -x "$CACHE_BIN/temporal" ]] || { echo "go install finished but $CACHE_BIN/temporal is missing" >&2; exit 1; }
echo "$CACHE_BIN/temporal"
