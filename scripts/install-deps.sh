#!/usr/bin/env bash
# Installs the Debian packages nnfleet needs and builds the Go `hdfs` client
# used by the end-to-end tests. Idempotent and quiet: it runs before every
# `npm test`, so when all is there it costs one dpkg-query.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
# haproxy: the fleet's balancer; galera-4 + rsync: the 3-node Galera cluster
# (rsync is its state transfer); redis-server: the optional hint cache;
# chromium: renders the load generator's report; libxml2-utils: xmllint, which
# checks the client configuration the tests generate; openjdk + maven: the Apache
# Hadoop Java client the tests run (scripts/install-java-deps.sh).
PACKAGES=(mariadb-server mariadb-client golang-go golang-github-colinmarc-hdfs-dev
  haproxy galera-4 rsync redis-server chromium libxml2-utils openjdk-17-jdk-headless maven)

# One dpkg-query for all: packages it does not know come back on stderr, not as lines.
installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${PACKAGES[@]}" 2>/dev/null | awk '/install ok installed/ {print $1}' || true)"
missing=()
for p in "${PACKAGES[@]}"; do
  grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
  # The system MariaDB service is not used (nnfleet starts a private mariadbd);
  # keep the package's postinst from starting one.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Go HDFS client, built offline in GOPATH mode from Debian's sources.
HDFS_BIN="$TOOLS/bin/hdfs"
if [ ! -x "$HDFS_BIN" ]; then
  echo "install-deps: building the Go hdfs client into $HDFS_BIN" >&2
  G="$(mktemp -d)"
  mkdir -p "$G/src" "$TOOLS/bin"
  cp -rs /usr/share/gocode/src/* "$G/src/"
  rm -rf "$G/src/github.com/colinmarc/hdfs"
  mkdir -p "$G/src/github.com/colinmarc/hdfs"
  cp -r /usr/share/gocode/src/github.com/colinmarc/hdfs "$G/src/github.com/colinmarc/hdfs/v2"
  (cd "$G/src/github.com/colinmarc/hdfs/v2" &&
    GOPATH="$G" GO111MODULE=off GOCACHE="$G/cache" go build -o "$HDFS_BIN.tmp" ./cmd/hdfs)
  mv "$HDFS_BIN.tmp" "$HDFS_BIN"
  rm -rf "$G"
fi
# The Apache Hadoop Java client (test-time only), fetched with Maven.
bash "$ROOT/scripts/install-java-deps.sh"
# Python's WebHDFS client (HdfsCLI), test-time only, in a virtualenv.
bash "$ROOT/scripts/install-python-deps.sh"
echo "install-deps: ok ($HDFS_BIN)" >&2
