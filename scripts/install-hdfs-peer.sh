#!/usr/bin/env bash
# Fetches Apache HDFS itself (tools/java/hdfs-peer/pom.xml: the unshaded
# hadoop-minicluster with hadoop-hdfs's `tests` jar, which holds
# MiniDFSClusterManager and NNThroughputBenchmark) into the project-local
# Maven repository $TOOLS/m2 and writes $TOOLS/java/hdfs-peer-classpath.txt.
# Only `npm run bench` calls it (its side-by-side table), never `npm test`.
# Idempotent and quiet: no mvn at all when the classpath file is newer than
# the pom and every jar it names is there. On failure the last line of
# stderr says why (the bench prints it in place of the table).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${NNFLEET_TOOLS_DIR:-$ROOT/.tools}"
mkdir -p "$TOOLS/java"
# Absolute jar paths from the resolved directory, valid from every worktree sharing .tools.
TOOLS="$(cd "$TOOLS" && pwd -P)"
POM="$ROOT/tools/java/hdfs-peer/pom.xml"
CP="$TOOLS/java/hdfs-peer-classpath.txt"
LOG="$TOOLS/java/hdfs-peer-mvn.log"

complete() {
  [ -s "$CP" ] && [ "$CP" -nt "$POM" ] || return 1
  local jar jars
  IFS=':' read -r -a jars <"$CP"
  for jar in "${jars[@]}"; do [ -f "$jar" ] || return 1; done
}

complete && exit 0
command -v java >/dev/null || { echo "install-hdfs-peer: java is missing (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
command -v mvn >/dev/null || { echo "install-hdfs-peer: mvn is missing (apt-get install maven)" >&2; exit 1; }
echo "install-hdfs-peer: fetching Apache HDFS's jars into $TOOLS/m2" >&2
if ! mvn -q -B -f "$POM" -Dmaven.repo.local="$TOOLS/m2" \
  dependency:build-classpath -Dmdep.outputFile="$CP.tmp" >"$LOG" 2>&1; then
  tail -n 20 "$LOG" >&2
  echo "install-hdfs-peer: mvn could not resolve $POM (log: $LOG)" >&2
  exit 1
fi
mv "$CP.tmp" "$CP"
complete || { echo "install-hdfs-peer: $CP names a missing jar" >&2; exit 1; }
echo "install-hdfs-peer: ok ($CP)" >&2
