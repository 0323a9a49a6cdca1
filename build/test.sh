#!/usr/bin/env bash
# The test command: every test of the solution (unit, store contract on SQLite and PostgreSQL,
# end-to-end over sockets, interop with third-party clients, buf lint), ending with the line
# "N passed, N failed". Uses $TRACKER_TEST_POSTGRES when set; otherwise starts a throwaway
# PostgreSQL from Debian's packages for the run and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build/setup.sh

if [ -z "${TRACKER_TEST_POSTGRES:-}" ]; then
  eval "$(bash build/postgres-test-server.sh start)"
  trap 'bash build/postgres-test-server.sh stop >/dev/null 2>&1 || true' EXIT
fi

log=$(mktemp)
set +e
# The minimal console logger prints each failed test with its message and stack, so a CI log says why.
dotnet test Tracker.sln --no-restore --verbosity quiet --logger "console;verbosity=minimal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Add up the per-assembly summaries ("Passed!  - Failed: 0, Passed: 75, Skipped: 0, ...").
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or a test host failed without a test failing: count it, so the line never lies.
  failed=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
