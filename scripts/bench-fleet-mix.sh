#!/usr/bin/env bash
# The Spotify mix through haproxy against a fleet of 1, 2, 3… namenodes, one
# fresh `nnfleet up` (built dist/, no Redis, no datanodes) per count: ops/s,
# MariaDB statements per op, and each process's CPU per op over the mix
# (namenodes, haproxy, MariaDB; /proc sampled every 0.25 s).
# Usage: scripts/bench-fleet-mix.sh [COUNTS] [SECONDS] [THREADS]   e.g. "1 2 3" 20 32
set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=${1:-1 2 3}
SECONDS_MIX=${2:-20}
THREADS=${3:-32}
cpu() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

for N in $COUNTS; do
  DIR=$(mktemp -d /tmp/nnfleet-fleetmix-XXXXXX)
  node dist/cli/main.js up --data-dir "$DIR/f" --no-redis --namenodes "$N" --datanodes 0 --rpc-port 0 --http-port 0 --grpc-port 0 \
    --namenode-rpc-port 0 --namenode-http-port 0 --namenode-grpc-port 0 --log-level warn >"$DIR/up.log" 2>&1 &
  UP=$!
  trap 'kill -INT $UP 2>/dev/null; wait $UP 2>/dev/null; rm -rf "$DIR"' EXIT
  for _ in $(seq 1 240); do grep -q '^ready hdfs:' "$DIR/up.log" && break; sleep 0.5; done
  ADDR=$(grep -o '^ready hdfs://[^ /]*' "$DIR/up.log" | sed 's|ready hdfs://||')
  PIDS=() NAMES=()
  for c in $(pgrep -P "$UP"); do
    case "$(tr '\0' ' ' <"/proc/$c/cmdline")" in
      *" namenode "*) PIDS+=("$c") NAMES+=("namenode-${#PIDS[@]}") ;;
      *haproxy*) HAPROXY=$c ;;
    esac
  done
  PIDS+=("$HAPROXY" "$(cat "$DIR/f/mysql/mariadbd.pid")") NAMES+=(haproxy mariadb)
  ( while true; do l=$(date +%s.%N); for p in "${PIDS[@]}"; do l="$l $(cpu "$p")"; done; echo "$l"; sleep 0.25; done ) >"$DIR/cpu.log" &
  SAMPLER=$!
  questions() { mariadb -S "$DIR/f/mysql/mysql.sock" -u root -N -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{print $2}'; }
  Q0=$(questions)
  node dist/cli/main.js loadgen spotify --namenodes "$ADDR" --threads "$THREADS" --duration "$SECONDS_MIX" --dirs 20 --filesPerDir 50 \
    --progress none --json "$DIR/mix.json" >"$DIR/mix.txt" 2>&1
  Q1=$(questions)
  kill "$SAMPLER"
  python3 - "$DIR" "$N" "$((Q1 - Q0))" "${NAMES[*]}" <<'PY'
import datetime, json, sys
d, n, questions, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
run = json.load(open(f'{d}/mix.json'))
phases = run['phases']
mix = next(p for p in phases if p['name'] == 'spotify mix')
# The mix is the run's last phase: it ends where the phases' durations, from the run's start, end.
end = datetime.datetime.fromisoformat(run['startedAt'].replace('Z', '+00:00')).timestamp() + sum(p['durationMs'] for p in phases) / 1000
start = end - mix['durationMs'] / 1000
rows = [list(map(float, l.split())) for l in open(f'{d}/cpu.log') if len(l.split()) == len(names) + 1]
near = lambda t: min(rows, key=lambda r: abs(r[0] - t))
a, b = near(start + 1), near(end - 0.5)
ops = mix['opsPerSec'] * (b[0] - a[0])
per_op = [(b[i + 1] - a[i + 1]) * 10_000 / ops for i in range(len(names))]
built = sum(p['totalOps'] for p in phases)
print(f"namenodes={n} mix_ops_per_s={mix['opsPerSec']:.0f} errors={mix['totalErrors']} statements_per_op={questions / built:.3f} (the namespace build's calls included) "
      f"cpu_us_per_op: " + ' '.join(f'{k}={v:.0f}' for k, v in zip(names, per_op)) + f" total={sum(per_op):.0f}")
PY
  grep -E '^  [A-Za-z]+ errors:' "$DIR/mix.txt" || true
  kill -INT "$UP"; wait "$UP" || true
  rm -rf "$DIR"
  trap - EXIT
done
