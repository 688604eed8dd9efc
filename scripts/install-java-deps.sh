#!/usr/bin/env bash
# Fetches the Apache Hadoop Java client the tests run against nnfleet
# (tools/java/pom.xml: the shaded hadoop-client-api + hadoop-client-runtime and
# the MapReduce examples jar) into the project-local Maven repository
# $TOOLS/m2, and writes its classpath to $TOOLS/java/classpath.txt.
# Idempotent and quiet: when the classpath file is newer than the pom and every
# jar it names is there, it runs no mvn at all.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
# The classpath names jars by absolute path: resolve a symlinked .tools (a
# worktree's) so the file stays valid from every checkout that shares it.
mkdir -p "$TOOLS"
TOOLS="$(cd "$TOOLS" && pwd -P)"
POM="$ROOT/tools/java/pom.xml"
CP_FILE="$TOOLS/java/classpath.txt"

complete() {
  [ -s "$CP_FILE" ] && [ "$CP_FILE" -nt "$POM" ] || return 1
  local jar
  IFS=':' read -r -a jars <"$CP_FILE"
  for jar in "${jars[@]}"; do [ -f "$jar" ] || return 1; done
}

if ! complete; then
  command -v mvn >/dev/null || { echo "install-java-deps: mvn is missing (apt-get install maven)" >&2; exit 1; }
  echo "install-java-deps: fetching the Hadoop client jars into $TOOLS/m2" >&2
  mkdir -p "$TOOLS/java"
  if ! mvn -q -B -f "$POM" -Dmaven.repo.local="$TOOLS/m2" \
    dependency:build-classpath -Dmdep.outputFile="$CP_FILE.tmp" >"$TOOLS/java/mvn.log" 2>&1; then
    cat "$TOOLS/java/mvn.log" >&2
    exit 1
  fi
  mv "$CP_FILE.tmp" "$CP_FILE"
  complete || { echo "install-java-deps: $CP_FILE names a missing jar" >&2; exit 1; }
  echo "install-java-deps: ok ($CP_FILE)" >&2
fi

