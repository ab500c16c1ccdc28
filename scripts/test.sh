#!/usr/bin/env bash
# `make test`: bootstrap, build with warnings as errors, install, run every pg_regress and
# isolation test on a throwaway cluster, print the diffs of failures and a closing
# "N passed, N failed" line.  Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test || exit 1
. scripts/cluster.sh

make -s clean >/dev/null 2>&1
build_and_install || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

dir=$(mktemp -d /tmp/landpolicy-test.XXXXXX)
trap 'cluster_stop "$dir"; rm -rf "$dir"' EXIT
cluster_start "$dir" 54329 || { echo "0 passed, 1 failed"; exit 1; }

pgxs=$(dirname "$($PG_CONFIG --pgxs)")/../..
passed=0 failed=0
rm -rf results output_iso regression.diffs regression.out .regress.diffs

# count_run LOG: add a pg_regress run to the totals, from its closing summary line
# ("All 7 tests passed." or "2 of 7 tests failed."); a run that printed neither counts as a failure.
count_run() {
  local all n m
  all=$(grep -oE 'All [0-9]+ tests passed' "$1" | grep -oE '[0-9]+')
  if [ -n "$all" ]; then
    passed=$((passed + all)); return
  fi
  read -r n m < <(grep -oE '[0-9]+ of [0-9]+ tests failed' "$1" | grep -oE '[0-9]+' | tr '\n' ' ')
  if [ -n "${n:-}" ] && [ -n "${m:-}" ]; then
    failed=$((failed + n)); passed=$((passed + m - n))
  else
    echo "test run in $1 ended without a summary"; failed=$((failed + 1))
  fi
}

regress=$(ls sql/*.sql 2>/dev/null | sed 's|sql/||; s|\.sql$||' | sort)
if [ -n "$regress" ]; then
  "$pgxs/src/test/regress/pg_regress" --inputdir=. --bindir=$PGBIN --dbname=contrib_regression \
      $regress 2>&1 | tee .regress.log
  count_run .regress.log
  [ -f regression.diffs ] && mv regression.diffs .regress.diffs
fi

specs=$(ls specs/*.spec 2>/dev/null | sed 's|specs/||; s|\.spec$||' | sort)
if [ -n "$specs" ]; then
  "$pgxs/src/test/isolation/pg_isolation_regress" --inputdir=. --outputdir=output_iso --bindir=$PGBIN \
      --dbname=isolation_regression $specs 2>&1 | tee .isolation.log
  count_run .isolation.log
fi

# Script tests: every test/*.sh, run from here with the cluster's PGHOST/PGPORT/PGUSER, ends with
# "N passed, M failed"; a script that exits non-zero without failures in such a line, or prints none,
# counts as one failure.
for t in test/*.sh; do
  [ -f "$t" ] || continue
  echo "=== $t"
  bash "$t" </dev/null 2>&1 | tee .script.log
  rc=${PIPESTATUS[0]}
  read -r n m < <(grep -E '^[0-9]+ passed, [0-9]+ failed$' .script.log | tail -n 1 | grep -oE '[0-9]+' | tr '\n' ' ')
  if [ -z "${n:-}" ] || [ -z "${m:-}" ]; then
    echo "$t ended without a summary (exit $rc)"; failed=$((failed + 1))
  else
    passed=$((passed + n)); failed=$((failed + m))
    [ "$rc" -ne 0 ] && [ "$m" -eq 0 ] && { echo "$t exited $rc"; failed=$((failed + 1)); }
  fi
  n="" m=""
done

for d in .regress.diffs output_iso/regression.diffs; do
  if [ -s "$d" ]; then echo "=== $d"; cat "$d"; fi
done
rm -f .regress.log .isolation.log .script.log
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
