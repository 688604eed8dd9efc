#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster on loopback, for the fleet to run on:
#
#   scripts/galera-cluster.sh start  DIR [BASEPORT]   # default BASEPORT 4400
#   scripts/galera-cluster.sh status DIR
#   scripts/galera-cluster.sh stop   DIR
#
# Node n (1..3) keeps everything under DIR/node<n> and listens on
#   SQL  BASEPORT+n      (nnfleet up --mysql mysql://root@127.0.0.1:<BASEPORT+n>/nnfleet)
#   gcomm BASEPORT+10+n, IST BASEPORT+20+n, rsync SST BASEPORT+30+n.
# `start` returns once wsrep_cluster_size is 3 and every node is Synced, and
# prints one line per node: `node<n> pid=<pid> sql=127.0.0.1:<port>`.
# root@127.0.0.1 has an empty password. `stop` stops the nodes by their
# recorded pids; a later `start` on the same DIR bootstraps from node 1 again.
#
# Facts this follows (docs: /work/shared/INFRA.md): node 1 bootstraps with
# --wsrep-new-cluster, then the joiners; rsync SST fails when the servers run
# as root, so they run as `mysql` and DIR belongs to it (DIR's parents must be
# traversable by `mysql`); every node gets identical timeouts (the defaults),
# so a killed node is evicted after the ≈ 6 s evs.suspect_timeout.
set -euo pipefail

NODES=(1 2 3)
RUN_AS=mysql
WAIT_S=90

die() { echo "galera-cluster: $*" >&2; exit 1; }
say() { echo "galera-cluster: $*" >&2; }

[ $# -ge 2 ] || die "usage: $0 start|stop|status DIR [BASEPORT]"
CMD="$1"
DIR="$(mkdir -p "$2" && cd "$2" && pwd)"
ENV_FILE="$DIR/cluster.env"
if [ -n "${3:-}" ]; then BASE="$3"
elif [ -f "$ENV_FILE" ]; then BASE="$(sed -n 's/^BASEPORT=//p' "$ENV_FILE")"
else BASE=4400
fi

sql_port() { echo $((BASE + $1)); }
node_dir() { echo "$DIR/node$1"; }
sql() { mariadb --no-defaults -uroot --socket="$(node_dir "$1")/mysql.sock" -N -B -e "$2" 2>/dev/null; }
status_var() { sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | cut -f2; }
pid_of() { cat "$(node_dir "$1")/pid" 2>/dev/null || true; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

start_node() {
  local n="$1" new_cluster="$2" d gcomm
  d="$(node_dir "$n")"
  gcomm="gcomm://127.0.0.1:$((BASE + 11)),127.0.0.1:$((BASE + 12)),127.0.0.1:$((BASE + 13))"
  alive "$(pid_of "$n")" && die "node$n already runs (pid $(pid_of "$n"))"
  # setsid: the nodes outlive this script and ignore the caller's Ctrl-C; output to
  # files only, so no pipe of the caller stays open.
  setsid /usr/sbin/mariadbd --no-defaults --user="$RUN_AS" \
    --datadir="$d/data" --socket="$d/mysql.sock" --pid-file="$d/mariadbd.pid" --log-error="$d/error.log" \
    --port="$(sql_port "$n")" --bind-address=127.0.0.1 --skip-name-resolve \
    --innodb-buffer-pool-size=64M --max-connections=500 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin --transaction-isolation=READ-COMMITTED \
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so \
    --wsrep-cluster-name=nnfleet --wsrep-node-name="node$n" \
    --wsrep-cluster-address="$gcomm" --wsrep-node-address="127.0.0.1:$((BASE + 10 + n))" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$((BASE + 10 + n));ist.recv_addr=127.0.0.1:$((BASE + 20 + n));gcache.size=32M" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((BASE + 30 + n))" \
    $new_cluster </dev/null >>"$d/stdout.log" 2>&1 &
  echo $! >"$d/pid"
}

wait_synced() {
  local n="$1" deadline=$((SECONDS + WAIT_S))
  until [ "$(status_var "$n" wsrep_local_state_comment)" = Synced ]; do
    alive "$(pid_of "$n")" || die "node$n exited while starting; $(node_dir "$n")/error.log:
$(tail -n 20 "$(node_dir "$n")/error.log" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || die "node$n not Synced within ${WAIT_S}s; see $(node_dir "$n")/error.log"
    sleep 0.2
  done
}

cmd_start() {
  echo "BASEPORT=$BASE" >"$ENV_FILE"
  local first_start=0
  for n in "${NODES[@]}"; do mkdir -p "$(node_dir "$n")/data"; done
  chown -R "$RUN_AS": "$DIR"
  runuser -u "$RUN_AS" -- test -w "$DIR" ||
    die "user $RUN_AS cannot reach $DIR: every directory above it must be traversable (chmod o+x)"
  if [ ! -d "$(node_dir 1)/data/mysql" ]; then
    first_start=1
    mariadb-install-db --no-defaults --user="$RUN_AS" --datadir="$(node_dir 1)/data" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$(node_dir 1)/install.log" 2>&1 ||
      die "mariadb-install-db failed; see $(node_dir 1)/install.log"
  else
    # Stopped last by `stop`, node 1 holds the newest state: let it bootstrap again.
    sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$(node_dir 1)/data/grastate.dat" 2>/dev/null || true
  fi

  # A start that fails half-way stops what it started.
  trap 'say "start failed; stopping the nodes started"; cmd_stop' EXIT
  start_node 1 --wsrep-new-cluster
  wait_synced 1
  if [ $first_start = 1 ]; then
    # Clients (the namenodes) come over TCP as root@127.0.0.1; replicated to the joiners with their SST.
    sql 1 "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
           GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" ||
      die "could not create root@127.0.0.1"
  fi
  # One joiner at a time: node 1 donates the state to each in turn.
  for n in 2 3; do
    start_node "$n" ""
    wait_synced "$n"
  done
  local size
  size="$(status_var 1 wsrep_cluster_size)"
  [ "$size" = 3 ] || die "wsrep_cluster_size is $size, not 3"
  trap - EXIT
  for n in "${NODES[@]}"; do echo "node$n pid=$(pid_of "$n") sql=127.0.0.1:$(sql_port "$n")"; done
}

cmd_status() {
  for n in "${NODES[@]}"; do
    local pid
    pid="$(pid_of "$n")"
    if alive "$pid"; then
      echo "node$n pid=$pid sql=127.0.0.1:$(sql_port "$n") state=$(status_var "$n" wsrep_local_state_comment) cluster_size=$(status_var "$n" wsrep_cluster_size)"
    else
      echo "node$n down"
    fi
  done
}

cmd_stop() {
  # Node 1 last: the last to stop is the safe one to bootstrap from.
  for n in 3 2 1; do
    local pid
    pid="$(pid_of "$n")"
    if alive "$pid"; then
      kill -TERM "$pid"
      local deadline=$((SECONDS + 30))
      while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
      if alive "$pid"; then say "node$n (pid $pid) ignored SIGTERM; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$(node_dir "$n")/pid"
  done
}

case "$CMD" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "unknown command $CMD: start|stop|status" ;;
esac
