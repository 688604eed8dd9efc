#!/usr/bin/env bash
# Fetches the Apache Hadoop Java client the tests run against nnfleet into the
# project-local Maven repository $TOOLS/m2 and writes two classpaths:
#   tools/java/pom.xml       → $TOOLS/java/classpath.txt: the shaded
#     hadoop-client-api + hadoop-client-runtime (FsShell, DistributedFileSystem,
#     the MapReduce client), the MapReduce examples jar and DistCp (with the
#     commons-cli it needs unshaded);
#   tools/java/admin/pom.xml → $TOOLS/java/admin-classpath.txt: the unshaded
#     hadoop-hdfs with its dependencies, for DFSAdmin and DFSck, and the
#     hadoop-hdfs/hadoop-common `tests` jars for NNThroughputBenchmark;
#   tools/java/openstack/pom.xml → $TOOLS/java/openstack-classpath.txt: Hadoop's
#     swift:// filesystem (hadoop-openstack 3.3.4), run on the admin classpath.
# Idempotent and quiet: when each classpath file is newer than its pom and
# every jar it names is there, it runs no mvn at all.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
# The classpath names jars by absolute path: resolve a symlinked .tools (a
# worktree's) so the file stays valid from every checkout that shares it.
mkdir -p "$TOOLS/java"
TOOLS="$(cd "$TOOLS" && pwd -P)"

complete() { # POM CP_FILE
  [ -s "$2" ] && [ "$2" -nt "$1" ] || return 1
  local jar jars
  IFS=':' read -r -a jars <"$2"
  for jar in "${jars[@]}"; do [ -f "$jar" ] || return 1; done
}

resolve() { # POM CP_FILE
  complete "$1" "$2" && return 0
  command -v mvn >/dev/null || { echo "install-java-deps: mvn is missing (apt-get install maven)" >&2; exit 1; }
  echo "install-java-deps: fetching $(basename "$(dirname "$1")")/$(basename "$1")'s jars into $TOOLS/m2" >&2
  if ! mvn -q -B -f "$1" -Dmaven.repo.local="$TOOLS/m2" \
    dependency:build-classpath -Dmdep.outputFile="$2.tmp" >"$TOOLS/java/mvn.log" 2>&1; then
    cat "$TOOLS/java/mvn.log" >&2
    exit 1
  fi
  mv "$2.tmp" "$2"
  complete "$1" "$2" || { echo "install-java-deps: $2 names a missing jar" >&2; exit 1; }
  echo "install-java-deps: ok ($2)" >&2
}

resolve "$ROOT/tools/java/pom.xml" "$TOOLS/java/classpath.txt"
resolve "$ROOT/tools/java/admin/pom.xml" "$TOOLS/java/admin-classpath.txt"
resolve "$ROOT/tools/java/openstack/pom.xml" "$TOOLS/java/openstack-classpath.txt"
