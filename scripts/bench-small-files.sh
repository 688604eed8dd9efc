#!/usr/bin/env bash
# Small-file write throughput as a user sees it: `nnfleet up` (built dist/),
# then N `hdfs put`s of a 4 KiB file (replication 3, the default) with the Go
# client from T parallel workers. Prints files/s and the p50/p90 of one put
# (process start included). Usage: scripts/bench-small-files.sh [N] [T] [NAMENODES]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-400}
T=${2:-16}
NAMENODES=${3:-2}
DIR=$(mktemp -d /tmp/nnfleet-smallbench-XXXXXX)
node dist/cli/main.js up --data-dir "$DIR/fleet" --rpc-port 0 --http-port 0 --namenode-rpc-port 0 \
  --namenodes "$NAMENODES" --datanodes 3 --log-level warn >"$DIR/up.log" 2>&1 &
UP=$!
trap 'kill $UP 2>/dev/null; wait $UP 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 180); do grep -q '^ready hdfs:' "$DIR/up.log" && break; sleep 0.5; done
ADDR=$(grep -o '^ready hdfs://[^ /]*' "$DIR/up.log" | sed 's|ready hdfs://||')
export HADOOP_NAMENODE=$ADDR HADOOP_USER_NAME=$(id -un)
head -c 4096 /dev/urandom >"$DIR/4k"
.tools/bin/hdfs mkdir -p /small
# Warm-up: datanodes registered and reporting, connections open.
for i in $(seq 1 5); do .tools/bin/hdfs put "$DIR/4k" "/small/warm-$i"; done
START=$(date +%s%N)
seq 1 "$N" | xargs -P "$T" -I{} sh -c 's=$(date +%s%N); .tools/bin/hdfs put "$0/4k" /small/f-{} || echo FAIL >&2; echo $(( ($(date +%s%N) - s) / 1000000 ))' "$DIR" >"$DIR/lat"
END=$(date +%s%N)
ELAPSED_MS=$(( (END - START) / 1000000 ))
sort -n "$DIR/lat" >"$DIR/lat.sorted"
COUNT=$(wc -l <"$DIR/lat.sorted")
P50=$(sed -n "$(( (COUNT + 1) / 2 ))p" "$DIR/lat.sorted")
P90=$(sed -n "$(( COUNT * 9 / 10 ))p" "$DIR/lat.sorted")
FILES=$(.tools/bin/hdfs ls /small | grep -c '^f-' || true)
echo "namenodes=$NAMENODES files=$N threads=$T elapsed_ms=$ELAPSED_MS files_per_s=$(( N * 1000 / ELAPSED_MS )) p50_ms=$P50 p90_ms=$P90 stored=$FILES"
