#!/usr/bin/env bash
# Integration test with a real GIS client: QGIS (python3-qgis, headless) edits a PostGIS layer whose
# table is guarded by R1.1 (the use in a varchar column, as QGIS cannot edit a landclass column).  Saving a feature inside the red line fails with landpolicy's message
# in QGIS's commit errors, the layer stays editable with the edit kept; once the editor moves the
# feature outside, the save succeeds and exactly one row is stored (test/clients/qgis_edit.py).
#
# Run by scripts/test.sh with PGHOST, PGPORT and PGUSER exported for a throwaway cluster on which
# landpolicy is installed.  Prints PASS/FAIL lines and, last, "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
db=lp_qgis
passed=0 failed=0
drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
trap drop_db EXIT
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

if ! /usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1; then
  echo "FAIL: python3-qgis is not installed (scripts/bootstrap.sh installs it)"
  failed=1; summary
fi

drop_db
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/clients/guarded_project.sql >/dev/null

out=$(timeout 300 /usr/bin/python3 test/clients/qgis_edit.py "${PGHOST:-/tmp}" "${PGPORT:-5432}" "$db" "${PGUSER:-$(id -un)}" 2>&1)
rc=$?
echo "$out" | grep -E '^(PASS|FAIL): '
passed=$(echo "$out" | grep -c '^PASS: ')
failed=$(echo "$out" | grep -c '^FAIL: ')
if [ "$rc" -ne 0 ] || [ "$passed" -lt 7 ]; then
  echo "$out" | grep -vE '^(PASS|FAIL): ' | tail -20 | sed 's/^/  /'
  echo "FAIL: the QGIS session ended early (exit $rc, $passed of 7 checks passed)"
  failed=$((failed + 1))
fi
# the database agrees with QGIS
rows=$(psql -X -At -d "$db" -c "SELECT count(*) FROM project WHERE ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then echo "PASS: no row inside the red line was stored"; passed=$((passed + 1));
else echo "FAIL: $rows row(s) inside the red line were stored"; failed=$((failed + 1)); fi
summary
