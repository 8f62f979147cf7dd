#!/usr/bin/env bash
# The test command the README gives. It builds what the tests need (the
# FerretDB test server, as an unprivileged user) and runs every test with
# the race detector. Run it from anywhere in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${STORMWATCH_CACHE:-$PWD/.cache}"
mkdir -p "$cache"

# FerretDB is a real MongoDB-wire server (SQLite backend). It lives in its
# own module under tools/ so the product's go.mod does not carry its
# dependencies. The first build downloads ~630 MB of modules (about a
# minute); later builds are cached.
if [ -z "${STORMWATCH_FERRETDB:-}" ] && [ -f tools/ferretdb/go.mod ]; then
  echo "building the FerretDB test server (tools/ferretdb)..."
  (cd tools/ferretdb && go build -o "$cache/ferretdb" .)
  export STORMWATCH_FERRETDB="$cache/ferretdb"
  echo "built in ${SECONDS}s"
fi

go test -race -count=1 -timeout 10m ./... "$@"
