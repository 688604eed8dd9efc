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

[ -e "$STAMP" ] && exit 0
echo "install-python-deps: installing hdfs==$HDFSCLI_VERSION into $VENV" >&2
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "hdfs==$HDFSCLI_VERSION"
touch "$STAMP"
