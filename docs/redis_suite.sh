#!/usr/bin/env bash
# Redis 7.0.15's own test suite (kept outside this repository, see
# docs/compatibility.md "Redis's own test suite") against geetcache and
# redis-server side by side, in one run, and one table of both.
#
#   bash docs/redis_suite.sh                      # every unit the runner knows
#   bash docs/redis_suite.sh unit/scripting unit/functions
#   ONLY=geetcache bash docs/redis_suite.sh unit/type/incr   # no reference (CI)
#   FOLLOWER=readindex bash docs/redis_suite.sh unit/scripting   # through a follower
#                    of a three-node cluster (--follower-reads readindex or forward)
#   FLOOR="unit/pubsub=15" ONLY=geetcache bash docs/redis_suite.sh unit/pubsub
#                    # a unit that cannot pass whole yet: at least 15 must pass
#   SETUP=FILE bash docs/redis_suite.sh ...   # each line of FILE is a command sent
#                    with redis-cli to both servers before the suite runs (the
#                    ACL users of docs/redis_suite_users.sh)
#
# SUITE_RUN is the suite's runner, by default ../shared/redis-suite/run from
# the repository's root; UNIT_TIMEOUT (seconds per unit) goes to it, and
# KEEP_LOGS=DIR keeps each unit's log under DIR/geetcache and DIR/redis.
# redis-server runs with --enable-debug-command yes, as the suite wants;
# geetcache allows the DEBUG subcommands it has without a flag. The two runs
# overlap (the runner picks its own base port per run). Exits non-zero when
# geetcache fails a test or a unit stops early (or, for a unit FLOOR names,
# passes fewer tests than its floor).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runner=${SUITE_RUN:-$root/../shared/redis-suite/run}
[ -f "$runner" ] || { echo "$0: no suite runner at $runner (set SUITE_RUN)" >&2; exit 2; }

source "$(dirname "$0")/sidebyside.sh" tclsh
build_geetcache
if [ -n "${FOLLOWER:-}" ]; then # a follower of a three-node cluster
  start_cluster "$work/cluster" "$FOLLOWER"
  gport=$follower
else
  gport=$(free_port)
  mkdir -p "$work/geet"
  "$work/geetcache" --port "$gport" --bind 127.0.0.1 --dir "$work/geet" \
    --raft-addr "127.0.0.1:$(free_port)" --loglevel warning 2>"$work/geet.log" &
  gnode_log=$work/geet.log
  pids+=($!)
fi
wait_ping "$gport"
# setup PORT: sends SETUP's commands (one per line, split at spaces) to PORT.
setup() {
  [ -n "${SETUP:-}" ] || return 0
  local line out
  set -f # no file name expansion of "~app:*"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    # shellcheck disable=SC2086 # the line's words are the command's arguments
    out=$(redis-cli -p "$1" $line)
    [ "$out" = OK ] || { echo "$0: SETUP on port $1: $line: $out" >&2; exit 1; }
  done <"$SETUP"
  set +f
}
setup "$gport"
# geetcache's unit logs are always kept (under $work unless KEEP_LOGS says where),
# so that a failure can be shown below; Redis's only when KEEP_LOGS asks.
logs() { [ -z "${KEEP_LOGS:-}" ] || { mkdir -p "$KEEP_LOGS/$1" && echo "$KEEP_LOGS/$1"; }; }
glogs=${KEEP_LOGS:+$KEEP_LOGS/geetcache}; glogs=${glogs:-$work/geet-logs}; mkdir -p "$glogs"
KEEP_LOGS=$glogs bash "$runner" "$gport" "$@" >"$work/geet.txt" 2>&1 &
gsuite=$!
if [ "${ONLY:-}" != geetcache ]; then
  rport=$(free_port)
  mkdir -p "$work/redis"
  redis-server --port "$rport" --bind 127.0.0.1 --dir "$work/redis" --save '' --appendonly no \
    --enable-debug-command yes --logfile "$work/redis.log" &
  pids+=($!)
  wait_ping "$rport"
  setup "$rport"
  KEEP_LOGS=$(logs redis) bash "$runner" "$rport" "$@" >"$work/redis.txt" 2>&1 || true
fi
wait "$gsuite" || true
# The runner cannot tell a unit that UNIT_TIMEOUT cut (its log just ends:
# it prints the passes with 0 failed); the suite closes every unit it ran
# to its end with a "[1/1 done]" line, so a geetcache unit log without one
# was cut, and its line is marked as stopped early.
mark_cut() {
  local line u log
  while IFS= read -r line; do
    u=${line%% *}
    if [[ $u == unit/* && $line != *"stopped early"* ]]; then
      log=$glogs/${u//\//_}.log
      grep -aq '^\[1/1 done\]' "$log" 2>/dev/null || line="$line  (unit stopped early: cut by UNIT_TIMEOUT, see $log)"
    fi
    printf '%s\n' "$line"
  done <"$work/geet.txt" >"$work/geet.marked"
  mv "$work/geet.marked" "$work/geet.txt"
}
mark_cut

where="a single node"
[ -z "${FOLLOWER:-}" ] || where="a follower (--follower-reads $FOLLOWER) of a three-node cluster"
if [ "${ONLY:-}" = geetcache ]; then
  echo "Redis's test suite against geetcache ($where), $(date -u +%F)"
  cat "$work/geet.txt"
else
  echo "Redis's test suite: geetcache ($where) vs redis-server $(redis-server --version | awk '{print $3}' | cut -d= -f2), $(date -u +%F)"
  echo
  echo "| unit | Redis passed | Redis failed | geetcache passed | geetcache failed |"
  echo "|---|---|---|---|---|"
  # the runner's lines: "unit/x   N passed,   M failed[  (unit stopped early: see LOG)]"
  awk 'FNR == NR { if ($1 ~ /^unit\//) { gp[$1] = $2; gf[$1] = $4; gs[$1] = ($6 != "") } next }
       $1 ~ /^unit\// { printf "| %s | %s | %s | %s | %s%s |\n", $1, $2, $4,
                          ($1 in gp ? gp[$1] : "?"), ($1 in gf ? gf[$1] : "?"), (gs[$1] ? " (stopped early)" : "") }' \
    "$work/geet.txt" "$work/redis.txt"
  echo
  echo "Redis:     $(tail -n 1 "$work/redis.txt")"
  echo "geetcache: $(tail -n 1 "$work/geet.txt")"
fi
# Each unit must pass whole (and run at least one test: the runner prints
# 0 passed, 0 failed when the suite could not start), unless FLOOR names it ("unit/x=N unit/y=M"):
# then at least N of its tests must pass (a unit that stops early at a
# command geetcache lacks, kept in CI so what passes cannot regress). A
# unit FLOOR names must have run, if the arguments name it (or name none).
awk -v floor="${FLOOR:-}" -v units="$*" '
  BEGIN { n = split(floor, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); min[kv[1]] = kv[2] }
          nasked = split(units, a, " "); for (i = 1; i <= nasked; i++) asked[a[i]] = 1 }
  $1 ~ /^unit\// {
    seen[$1] = 1
    if ($1 in min) { if ($2 + 0 < min[$1] + 0) { printf "%s: %s passed, below its floor of %s\n", $1, $2, min[$1]; bad = 1 } }
    else if ($2 + 0 == 0 || $4 + 0 != 0 || $6 != "") { printf "%s: not whole (%s passed, %s failed%s)\n", $1, $2, $4, ($6 != "" ? ", stopped early" : ""); bad = 1 }
  }
  END { for (u in min) if (!(u in seen) && (nasked == 0 || u in asked)) { printf "%s: did not run\n", u; bad = 1 }; exit bad }' "$work/geet.txt" || {
  # name what failed: each failed test's lines from geetcache's unit logs
  grep -a -A6 -E '^\[(err|exception)\]|\[TIMEOUT\]|Killing still running' "$glogs"/*.log | head -n 200 || true
  # a unit that passed nothing shows no such line: show how its log ends,
  # whether the node still answers, and the end of the node's own log
  for log in "$glogs"/*.log; do
    grep -aq '^\[ok\]' "$log" || { echo "--- $log passed nothing; it ends:"; tail -n 15 "$log"; }
  done
  echo "--- geetcache on port $gport: $(redis-cli -p "$gport" ping 2>&1); the end of its log:"
  tail -n 30 "${gnode_log:-/dev/null}" || true
  exit 1
}
