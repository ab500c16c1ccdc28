#!/usr/bin/env bash
# The regress suite runs clean under valgrind memcheck: scripts/valgrind.sh --no-build (the build
# make test installed) runs every sql/*.sql test against a postmaster under valgrind and prints
# each error whose stack passes through landpolicy.so.  Two checks: the suite passes under
# valgrind, and no error is ours.  (Errors wholly inside PostgreSQL, PostGIS or the loader are
# counted, not failed: scripts/valgrind.sh says which.)
#
# Run by scripts/test.sh from the project root; the cluster of PGHOST/PGPORT is not used (the
# script starts its own under valgrind).  Prints PASS/FAIL lines and, last, "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
passed=0 failed=0
out=$(scripts/valgrind.sh --no-build 2>&1)
rc=$?
echo "$out" | tail -40
if echo "$out" | grep -qE 'All [0-9]+ tests passed'; then
  passed=$((passed + 1)); echo "PASS: the regress suite passes under valgrind: $(echo "$out" | grep -oE 'All [0-9]+ tests passed')"
else
  failed=$((failed + 1)); echo "FAIL: the regress suite under valgrind did not pass"
fi
summary_line=$(echo "$out" | grep -E '^valgrind: [0-9]+ error' | tail -1)
if [ "$rc" -eq 0 ] && echo "$summary_line" | grep -q '^valgrind: 0 error(s) in landpolicy code'; then
  passed=$((passed + 1)); echo "PASS: ${summary_line#valgrind: }"
else
  failed=$((failed + 1)); echo "FAIL: ${summary_line:-scripts/valgrind.sh ended without a summary (exit $rc)}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
