#!/usr/bin/env bash
# Installs the Debian packages nnfleet needs and builds the Go `hdfs` client
# used by the end-to-end tests. Idempotent and quiet: it runs before every
# `npm test`, so when all is there it costs one dpkg-query.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
# haproxy: the fleet's balancer; galera-4 + rsync: the 3-node Galera cluster
# (rsync is its state transfer); redis-server + redis-sentinel: the metadata cache (namenode/cache);
# chromium: renders the load generator's report; libxml2-utils: xmllint, which
# checks the client configuration the tests generate; openjdk + maven: the Apache
# Hadoop Java client the tests run (scripts/install-java-deps.sh).
PACKAGES=(mariadb-server mariadb-client golang-go golang-github-colinmarc-hdfs-dev
  haproxy galera-4 rsync redis-server redis-sentinel chromium libxml2-utils openjdk-17-jdk-headless maven)

# The system MariaDB service is not used (nnfleet starts a private mariadbd);
# apt_install_missing keeps the package's postinst from starting one.
source "$ROOT/scripts/apt-install-missing.sh"
apt_install_missing install-deps "${PACKAGES[@]}"

# The Go HDFS client, built offline in GOPATH mode from Debian's sources.
# The build cache is kept (paths trimmed) so the tests' own Go programs
# (test/harness/go-programs.ts) link against the library compiled here
# instead of compiling it cold inside a test's timeout.
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
    GOPATH="$G" GO111MODULE=off GOCACHE="$TOOLS/go-build-cache" go build -trimpath -o "$HDFS_BIN.tmp" ./cmd/hdfs)
  mv "$HDFS_BIN.tmp" "$HDFS_BIN"
  rm -rf "$G"
fi
# The Apache Hadoop Java client (test-time only), fetched with Maven.
bash "$ROOT/scripts/install-java-deps.sh"
# OpenStack Swift and memcached for the Swift block store and its tests.
"$ROOT/scripts/install-swift.sh"
# grpcurl, the gRPC tests' independent client, from the Go module proxy.
bash "$ROOT/scripts/install-grpcurl.sh"
# Python's WebHDFS client (HdfsCLI), test-time only, in a virtualenv.
bash "$ROOT/scripts/install-python-deps.sh"
echo "install-deps: ok ($HDFS_BIN)" >&2
