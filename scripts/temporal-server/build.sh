#!/usr/bin/env bash
# Builds (once) and caches the production Temporal Server and its SQL schema tool, then prints
# the cache folder. Both come from the Go module proxy; no download site is needed.
#   temporal-server      go.temporal.io/server/cmd/server
#   temporal-sql-tool    go.temporal.io/server/cmd/tools/sql
# Order: a binary already in the cache; one left by an earlier `go install` into
# $DIEU_HANH_TSERVER_BUILD (copied, not rebuilt); else build it now (about 5 minutes warm).
set -euo pipefail

TEMPORAL_SERVER_VERSION="v1.29.1" # the server the CLI v1.5.1 (scripts/ensure-temporal.sh) embeds
CACHE_BIN="${DIEU_HANH_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/dieu-hanh/bin}"
STAGING="${DIEU_HANH_TSERVER_BUILD:-${XDG_CACHE_HOME:-$HOME/.cache}/dieu-hanh/tserver}"

GO="$(command -v go || true)"
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go

mkdir -p "$CACHE_BIN"
# name-in-cache  go-install-output-name  package
for entry in "temporal-server server go.temporal.io/server/cmd/server" "temporal-sql-tool sql go.temporal.io/server/cmd/tools/sql"; do
  read -r name built pkg <<<"$entry"
  target="$CACHE_BIN/$name"
  [[ -x "$target" ]] && continue
  if [[ -x "$STAGING/$built" ]]; then
    cp "$STAGING/$built" "$target.tmp" && mv "$target.tmp" "$target"
    continue
  fi
  if [[ -z "$GO" ]]; then
    echo "No $name in $CACHE_BIN and no Go toolchain to build it: install Go >= 1.24 and re-run." >&2
    exit 1
  fi
  # Another build of the same package (e.g. a CI cache warm-up) is under way: wait for it.
  while pgrep -f "go install $pkg@$TEMPORAL_SERVER_VERSION" >/dev/null 2>&1; do
    echo "Waiting for a running build of $pkg..." >&2
    sleep 10
    if [[ -x "$STAGING/$built" ]]; then break; fi
  done
  if [[ -x "$STAGING/$built" ]]; then
    cp "$STAGING/$built" "$target.tmp" && mv "$target.tmp" "$target"
    continue
  fi
  echo "Building $name ($pkg@$TEMPORAL_SERVER_VERSION) into $CACHE_BIN (first time only, a few minutes)..." >&2
  start=$(date +%s)
  mkdir -p "$STAGING"
  GOBIN="$STAGING" GOFLAGS="${GOFLAGS:-} -trimpath" "$GO" install "$pkg@$TEMPORAL_SERVER_VERSION" >&2
  [[ -x "$STAGING/$built" ]] || { echo "go install finished but $STAGING/$built is missing" >&2; exit 1; }
  cp "$STAGING/$built" "$target.tmp" && mv "$target.tmp" "$target"
  echo "Built $name in $(( $(date +%s) - start ))s." >&2
done

# The schema files and the config template ship with the server module: keep a copy beside the
# binaries, so the cache alone (e.g. restored in CI) is enough to create and migrate databases.
SUPPORT="$(dirname "$CACHE_BIN")/temporal-server-$TEMPORAL_SERVER_VERSION"
if [[ ! -d "$SUPPORT/schema/postgresql/v12" ]]; then
  [[ -n "$GO" ]] || { echo "No Temporal schema files in $SUPPORT and no Go toolchain to fetch them." >&2; exit 1; }
  module="$("$GO" env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
  if [[ ! -d "$module/schema" ]]; then
    (cd "$(mktemp -d)" && GOFLAGS=-mod=mod "$GO" mod download "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" >&2)
  fi
  mkdir -p "$SUPPORT.tmp/schema" "$SUPPORT.tmp/config"
  cp -r "$module/schema/postgresql" "$SUPPORT.tmp/schema/"
  cp "$module/config/development-postgres12.yaml" "$SUPPORT.tmp/config/"
  chmod -R u+w "$SUPPORT.tmp" # the module cache is read-only
  rm -rf "$SUPPORT" && mv "$SUPPORT.tmp" "$SUPPORT"
fi
echo "$CACHE_BIN"
