#!/usr/bin/env bash
# The processes of one jest run, found and stopped:
#
#   run-reaper.sh kill  RUN_DIR           # stops what of the run still lives; prints one line each
#   run-reaper.sh watch JEST_PID RUN_DIR  # waits for JEST_PID to end, then `kill`s and removes RUN_DIR
#
# A process belongs to the run when its environment holds
# NNFLEET_TEST_RUN_CHILD=RUN_DIR (every process the tests start, and
# whatever those start in turn: setsid'd Galera nodes and Swift servers,
# children of `nnfleet up`), or when RUN_DIR/pids records its pid and start
# time (the run's own MariaDB). Global teardown runs `kill` and fails the
# run on any line; global setup starts `watch` detached, so a run killed
# with SIGKILL (no teardown) still leaves nothing behind. Stopping is
# SIGTERM, then SIGKILL after GRACE_S. Reading other users' environments
# (Galera runs as mysql) needs root, as the suite runs here.
set -uo pipefail

GRACE_S=5

# One "pid command" line per process of the run still alive, this script excepted.
survivors() {
  local dir="$1" pid env pids=()
  for env in /proc/[0-9]*/environ; do
    pid="${env#/proc/}"; pid="${pid%/environ}"
    [ "$pid" = $$ ] && continue
    grep -qzFx "NNFLEET_TEST_RUN_CHILD=$dir" "$env" 2>/dev/null && pids+=("$pid")
  done
  if [ -f "$dir/pids" ]; then
    # Builtins only: a run records thousands of short-lived processes, nearly all gone.
    local rec_pid rec_start _rest stat
    while read -r rec_pid rec_start _rest; do
      [ -e "/proc/$rec_pid" ] || continue
      read -r stat <"/proc/$rec_pid/stat" 2>/dev/null || continue
      # Field 22, the start time, counted after the command name (which may hold spaces).
      stat="${stat##*) }"
      set -- $stat
      [ "${20:-}" = "$rec_start" ] && pids+=("$rec_pid")
    done <"$dir/pids"
  fi
  for pid in $(printf '%s\n' "${pids[@]}" | sort -un); do
    local cmd
    cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || continue
    # A zombie has no command line: its parent reaps it, nothing runs.
    [ -n "$cmd" ] && echo "$pid ${cmd% }"
  done
}

cmd_kill() {
  local dir="$1" found pids
  found="$(survivors "$dir")"
  [ -z "$found" ] && return 0
  echo "$found"
  pids="$(cut -d' ' -f1 <<<"$found")"
  kill -TERM $pids 2>/dev/null
  local deadline=$((SECONDS + GRACE_S))
  while [ $SECONDS -lt $deadline ] && [ -n "$(survivors "$dir")" ]; do sleep 0.1; done
  # Whatever ignored SIGTERM, and whatever the dying started meanwhile.
  for pid in $(survivors "$dir" | cut -d' ' -f1); do kill -KILL "$pid" 2>/dev/null; done
  return 0
}

cmd_watch() {
  local jest="$1" dir="$2"
  trap 'exit 0' TERM
  while kill -0 "$jest" 2>/dev/null; do sleep 0.5; done
  local reaped
  reaped="$(cmd_kill "$dir")"
  # What a killed run left, for whoever wonders where their processes went.
  [ -n "$reaped" ] && echo "$reaped" >"$dir.reaped"
  rm -rf "$dir"
}

case "${1:-}" in
  kill) cmd_kill "$2" ;;
  watch) cmd_watch "$2" "$3" ;;
  *) echo "usage: $0 kill RUN_DIR | watch JEST_PID RUN_DIR" >&2; exit 2 ;;
esac
