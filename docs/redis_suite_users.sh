#!/usr/bin/env bash
# Redis's own test suite (docs/redis_suite.sh) against a node that also
# holds ACL users of its own, created before the run: users with
# passwords, key patterns (~, %R~, %W~), channel rules and a selector,
# none of them the default user, with protected mode on. The suite runs as
# the default user, from the loopback interface, so every test must pass as
# on a plain node (docs/compatibility.md, "ACL
# users"). Arguments and environment as docs/redis_suite.sh's; without
# units, CI's whole units (.ci/run's SUITE_UNITS).
#
#   SUITE_RUN=../shared/redis-suite/run bash docs/redis_suite_users.sh
#   SUITE_RUN=... ONLY=geetcache bash docs/redis_suite_users.sh unit/type/hash
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
users=$(mktemp)
trap 'rm -f "$users"' EXIT
cat >"$users" <<'USERS'
CONFIG SET protected-mode yes
ACL SETUSER app on >app-secret-1 ~app:* &app:* +@all -@dangerous
ACL SETUSER reader on >reader-secret-2 %R~* resetchannels +@read +@connection
ACL SETUSER writer on >writer-secret-3 #9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 %W~w:* &news +@write +publish
ACL SETUSER sel on >sel-secret-4 ~s:* +get (~t:* +set +@hash) (&alerts +subscribe)
ACL SETUSER off-user off >off-secret-5 ~* +@all
USERS
if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046 # the units are words
  set -- $(sed -n 's/^SUITE_UNITS="\(.*\)"$/\1/p' "$here/../.ci/run")
fi
SETUP=$users bash "$here/redis_suite.sh" "$@"
