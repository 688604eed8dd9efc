#!/usr/bin/env bash
# Builds grpcurl (the gRPC tests' independent client: reflection listing,
# health, Admin calls) from the Go module proxy into $TOOLS/bin. Test-time
# only. Idempotent and quiet: nothing to do when the binary of this version
# is there. The module cache stays under $TOOLS/go so rebuilds are offline.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
VERSION=v1.9.4
BIN="$TOOLS/bin/grpcurl"
STAMP="$TOOLS/bin/grpcurl.version"

[ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ] && exit 0
echo "install-grpcurl: building grpcurl $VERSION into $BIN" >&2
mkdir -p "$TOOLS/bin" "$TOOLS/go"
G="$(cd "$TOOLS/go" && pwd -P)"
GOPATH="$G" GOMODCACHE="$G/mod" GOCACHE="$G/cache" GOFLAGS=-buildvcs=false GOBIN="$G/bin" \
  go install "github.com/fullstorydev/grpcurl/cmd/grpcurl@$VERSION"
mv "$G/bin/grpcurl" "$BIN"
echo "$VERSION" >"$STAMP"
echo "install-grpcurl: ok ($BIN)" >&2
