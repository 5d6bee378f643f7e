#!/usr/bin/env bash
# Prints the path of gofakes3, the S3-compatible server the S3 file store's tests run against.
# Order: $GOFAKES3, `gofakes3` on PATH, the cached build, else build it with the Go toolchain
# (a Go module: a static binary of about 12 MB, built in under a minute; no download sites are
# reachable from our machines, the Go module proxy is).
set -euo pipefail

GOFAKES3_VERSION="v1.2.0"
CACHE_BIN="${DIEU_HANH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/dieu-hanh/bin}"

if [[ -n "${GOFAKES3:-}" ]]; then
  [[ -x "$GOFAKES3" ]] || { echo "GOFAKES3=$GOFAKES3 is not an executable file" >&2; exit 1; }
  echo "$GOFAKES3"; exit 0
fi
if command -v gofakes3 >/dev/null 2>&1; then command -v gofakes3; exit 0; fi
if [[ -x "$CACHE_BIN/gofakes3" ]]; then echo "$CACHE_BIN/gofakes3"; exit 0; fi

GO="$(command -v go || true)"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
if [[ -z "$GO" ]]; then
  echo "No gofakes3 and no Go toolchain to build it: install Go >= 1.21 (we run: go install github.com/johannesboyne/gofakes3/cmd/gofakes3@$GOFAKES3_VERSION), or set GOFAKES3." >&2
  exit 1
fi

mkdir -p "$CACHE_BIN"
echo "Building gofakes3 $GOFAKES3_VERSION into $CACHE_BIN (first time only)..." >&2
GOBIN="$CACHE_BIN" GOFLAGS="${GOFLAGS:-} -trimpath" "$GO" install "github.com/johannesboyne/gofakes3/cmd/gofakes3@$GOFAKES3_VERSION" >&2
[[ -x "$CACHE_BIN/gofakes3" ]] || { echo "go install finished but $CACHE_BIN/gofakes3 is missing" >&2; exit 1; }
echo "$CACHE_BIN/gofakes3"
