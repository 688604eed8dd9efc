#!/usr/bin/env bash
# Installs Python's `hdfs` package (HdfsCLI, the WebHDFS client Python users
# reach HDFS with) into a virtualenv under .tools/python, for the WebHDFS
# tests. Idempotent and quiet: when the pinned version is there it costs one
# file read.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
VENV="$TOOLS/python"
HDFSCLI_VERSION="2.7.3"
STAMP="$VENV/.hdfs-$HDFSCLI_VERSION"
# grpcio and its code generator: the independent gRPC client of the namespace API's tests (Watch).
GRPCIO_VERSION="1.85.1"
GRPC_STAMP="$VENV/.grpcio-$GRPCIO_VERSION"

[ -e "$STAMP" ] && [ -e "$GRPC_STAMP" ] && exit 0
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
[ -x "$VENV/bin/python3" ] || python3 -m venv "$VENV"
if [ ! -e "$STAMP" ]; then
  "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check "hdfs==$HDFSCLI_VERSION"
  touch "$STAMP"
fi
if [ ! -e "$GRPC_STAMP" ]; then
  echo "install-python-deps: installing grpcio==$GRPCIO_VERSION grpcio-tools==$GRPCIO_VERSION into $VENV" >&2
  "$VENV/bin/python3" -m pip install --quiet --disable-pip-version-check "grpcio==$GRPCIO_VERSION" "grpcio-tools==$GRPCIO_VERSION"
  touch "$GRPC_STAMP"
fi
