#!/usr/bin/env bash
# Integration test with a real client: ogr2ogr (gdal-bin) appends a GeoJSON FeatureCollection to a
# table guarded by R1.1.  Feature 3 is industrial land (0601) inside the ecological protection red
# line; features 1, 2, 4 and 5 are valid.  For each way of running the load we assert the exit
# status, that our message reaches the client's stderr, and exactly which rows were committed.
#
# What ogr2ogr (GDAL 3.6) does, established by running it with log_statement = all:
#   * Appending to an existing PostgreSQL table it writes one INSERT per feature (COPY is its
#     default only for tables it creates itself), inside transactions of -gt features.
#   * Without -skipfailures, the first failed INSERT ends the run: the open transaction is rolled
#     back, nothing after the failing feature is attempted, exit status 1.
#   * -gt N (default 100000) groups features into transactions, so what survives a failure is
#     whatever was committed before the failing feature's transaction began.  With -gt 1 every
#     feature is its own transaction.  (GDAL commits before writing the N-th feature, so its first
#     group holds N-1 features: -gt 2 commits only feature 1 here, -gt 3 features 1 and 2.)
#   * -skipfailures forces -gt 1 whatever -gt says, rolls back just the failing feature, carries
#     on with the rest, and exits 0: the refusal is then visible only on stderr and in the data.
#   * With PG_USE_COPY=YES the rows go through COPY; the AFTER ROW guard fires at the end of the
#     COPY, the whole transaction is rolled back, and our message is still printed.
#
# Run by scripts/test.sh from the project root with PGHOST, PGPORT and PGUSER exported for a
# throwaway cluster on which landpolicy is installed.  Prints PASS/FAIL lines and, last,
# "N passed, M failed"; exits non-zero if any assertion failed.
set -u

db=lp_ogr2ogr
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-ogr2ogr.XXXXXX")

drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
trap 'drop_db; rm -rf "$tmp"' EXIT

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# Only the GDAL defaults are under test: no inherited configuration may switch the write path.
unset PG_USE_COPY OGR_TRUNCATE PG_LIST_ALL_TABLES

if ! command -v ogr2ogr >/dev/null 2>&1 || ! ogrinfo --formats 2>/dev/null | grep -q 'PostgreSQL'; then
  fail "ogr2ogr with the PostgreSQL driver is not installed (apt-get install gdal-bin)"
  summary
fi

# --- the database: a red line and a guarded project table -----------------------------------
drop_db
if ! psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >"$tmp/setup.log" 2>&1 \
   || ! q >>"$tmp/setup.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;
CREATE TABLE redline (id serial PRIMARY KEY, geom geometry(MultiPolygon, 4528));
-- the red line: a 1 km square with its south-west corner at (40500000, 2890000)
INSERT INTO redline (geom) VALUES
    ('SRID=4528;MULTIPOLYGON(((40500000 2890000,40501000 2890000,40501000 2891000,40500000 2891000,40500000 2890000)))');
SELECT landpolicy.register_layer('eco_redline', 'redline');
CREATE TABLE project (id serial PRIMARY KEY, name text, use landpolicy.landclass, approved_on date,
                      geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project', 'R1.1', '{"geom": "geom", "use": "use", "date": "approved_on"}');
SQL
then
  cat "$tmp/setup.log"
  fail "setting up database $db"
  summary
fi
columns_before=$(q -c "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                        FROM pg_attribute WHERE attrelid = 'project'::regclass AND attnum > 0 AND NOT attisdropped")

# --- the input: five projects in EPSG:4528, named by the GeoJSON "crs" member ------------------
# The property names are the column names, so ogr2ogr maps them by name; "xmbh" (a project number)
# has no column and must be ignored, not added to the table.
#   f1 industrial (0601), 1 km east of the red line                          valid
#   f2 forest land (0301) inside the red line: not construction, not R1.1's  valid
#   f3 industrial (0601) wholly inside the red line, 100 m x 100 m           refused: 10000.00 m² (15.00 mu)
#   f4 industrial (0601), 2 km east of the red line                          valid
#   f5 urban residential (0702) touching the red line's east edge only       valid
cat >"$tmp/projects.geojson" <<'JSON'
{"type": "FeatureCollection", "name": "projects",
 "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}},
 "features": [
  {"type": "Feature", "properties": {"xmbh": "XM-001", "name": "f1 厂房一期", "use": "0601", "approved_on": "2026-01-05"},
   "geometry": {"type": "Polygon", "coordinates": [[[40502000,2890000],[40502100,2890000],[40502100,2890100],[40502000,2890100],[40502000,2890000]]]}},
  {"type": "Feature", "properties": {"xmbh": "XM-002", "name": "f2 生态林", "use": "0301", "approved_on": "2026-01-06"},
   "geometry": {"type": "Polygon", "coordinates": [[[40500100,2890100],[40500200,2890100],[40500200,2890200],[40500100,2890200],[40500100,2890100]]]}},
  {"type": "Feature", "properties": {"xmbh": "XM-003", "name": "f3 红线内厂房", "use": "0601", "approved_on": "2026-01-07"},
   "geometry": {"type": "Polygon", "coordinates": [[[40500400,2890400],[40500500,2890400],[40500500,2890500],[40500400,2890500],[40500400,2890400]]]}},
  {"type": "Feature", "properties": {"xmbh": "XM-004", "name": "f4 厂房二期", "use": "0601", "approved_on": "2026-01-08"},
   "geometry": {"type": "Polygon", "coordinates": [[[40503000,2890000],[40503100,2890000],[40503100,2890100],[40503000,2890100],[40503000,2890000]]]}},
  {"type": "Feature", "properties": {"xmbh": "XM-005", "name": "f5 安置小区", "use": "0702", "approved_on": "2026-01-09"},
   "geometry": {"type": "Polygon", "coordinates": [[[40501000,2890500],[40501100,2890500],[40501100,2890600],[40501000,2890600],[40501000,2890500]]]}}
 ]}
JSON

# rows FEATURES...: the given features as committed rows would read, from the GeoJSON itself
# (name|use|approved_on|EWKT, ordered by name), to compare with what the load committed.
rows() {
  local keep
  keep=$(printf '%s,' "$@"); keep="{${keep%,}}"
  q -v fc="$(cat "$tmp/projects.geojson")" -v keep="$keep" <<'SQL'
SELECT coalesce(string_agg(concat_ws('|', f->'properties'->>'name', f->'properties'->>'use', f->'properties'->>'approved_on',
                                     ST_AsEWKT(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4528))), E'\n'
                           ORDER BY f->'properties'->>'name'), '')
FROM jsonb_array_elements(:'fc'::jsonb->'features') f
WHERE split_part(f->'properties'->>'name', ' ', 1) = ANY (:'keep'::text[])
SQL
}
committed() {
  q -c "SELECT coalesce(string_agg(concat_ws('|', name, use::text, to_char(approved_on, 'YYYY-MM-DD'), ST_AsEWKT(geom)), E'\n' ORDER BY name), '')
        FROM project"
}
names() { sed 's/ .*//' | paste -sd, -; }

# load LABEL ARGS...: empty the table, run ogr2ogr appending into it; leaves $rc and $tmp/err.
# -update -append: write into the existing table; ogr2ogr neither creates nor alters it.
load() {
  label=$1; shift
  q -c "TRUNCATE project RESTART IDENTITY"
  ogr2ogr -update -append -f PostgreSQL "PG:dbname=$db" "$tmp/projects.geojson" -nln project "$@" \
      >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect_exit CODE|nonzero
expect_exit() {
  if { [ "$1" = nonzero ] && [ "$rc" -ne 0 ]; } || [ "$rc" = "$1" ]; then
    pass "$label: ogr2ogr exits $rc (expected $1)"
  else
    fail "$label: ogr2ogr exits $rc (expected $1)"; sed 's/^/    /' "$tmp/err"
  fi
}

# expect_message: the client's stderr carries our error, rule id and overlap figure included,
# for the one feature that breaks the rule (it is refused by the guard, not by anything else).
expect_message() {
  if grep -qF 'ERROR:  R1.1 ' "$tmp/err" \
     && grep -qF 'overlaps ecological protection red line feature(s) 1 by 10000.00 m² (15.00 mu)' "$tmp/err" \
     && grep -qF 'exceeds the tolerance of 1.00 m²' "$tmp/err"; then
    pass "$label: stderr has the R1.1 message with the overlap (10000.00 m², 15.00 mu)"
  else
    fail "$label: stderr lacks the R1.1 message with the overlap"; sed 's/^/    /' "$tmp/err"
  fi
}

# expect_rows FEATURES...: the committed rows are exactly these features, every column as in the file.
expect_rows() {
  local want got
  want=$(rows "$@"); got=$(committed)
  if [ "$want" = "$got" ]; then
    pass "$label: committed rows are exactly [$(printf '%s\n' "$want" | names)]"
  else
    fail "$label: committed rows are [$(printf '%s\n' "$got" | names)], expected [$(printf '%s\n' "$want" | names)]"
    diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /'
  fi
}

# 0. Control: the four valid features alone load cleanly, so every failure below is the guard
#    refusing f3, not a mapping, type or CRS problem of the load itself.
load "valid features only" -where "name NOT LIKE 'f3%'"
expect_exit 0
if grep -q 'ERROR' "$tmp/err"; then fail "$label: ogr2ogr reported an error"; sed 's/^/    /' "$tmp/err"
else pass "$label: no error reported"; fi
expect_rows f1 f2 f4 f5

# 1. Default: all five features in one transaction (-gt defaults to 100000).  The refusal of f3
#    aborts the run and rolls back f1 and f2 with it: nothing is committed.
load "default (one transaction)"
expect_exit nonzero
expect_message
expect_rows

# 2. -gt 1: each feature its own transaction.  f1 and f2 were committed before f3 was tried;
#    the run stops at f3, so f4 and f5 are never written.
load "-gt 1" -gt 1
expect_exit nonzero
expect_message
expect_rows f1 f2

# 3. -gt 1 -skipfailures: f3 alone is rolled back and the load carries on; every valid feature is
#    committed.  ogr2ogr then exits 0: a caller must read stderr (or count rows) to see the refusal.
load "-gt 1 -skipfailures" -gt 1 -skipfailures
expect_exit 0
expect_message
expect_rows f1 f2 f4 f5

# 4. -skipfailures with a large -gt: ogr2ogr forces one feature per transaction, or the aborted
#    transaction would lose f1, f2 and everything after f3.  Same outcome as 3.
load "-skipfailures -gt 100" -skipfailures -gt 100
expect_exit 0
expect_message
expect_rows f1 f2 f4 f5

# 5. PG_USE_COPY=YES: the bulk COPY path.  The guard is an AFTER ROW trigger and fires for COPY
#    too; the failing COPY rolls back the whole transaction and the client still gets our message.
load "PG_USE_COPY=YES" --config PG_USE_COPY YES
expect_exit nonzero
expect_message
expect_rows

# 6. None of the loads changed the table: same columns (the extra "xmbh" property was not added)
#    and the guard still attached and enabled ALWAYS.
label="after all loads"
columns_after=$(q -c "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                       FROM pg_attribute WHERE attrelid = 'project'::regclass AND attnum > 0 AND NOT attisdropped")
if [ "$columns_after" = "$columns_before" ]; then pass "$label: table columns unchanged ($columns_after)"
else fail "$label: table columns changed from ($columns_before) to ($columns_after)"; fi
trigger=$(q -c "SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'project'::regclass AND tgname = 'landpolicy_R1.1'")
if [ "$trigger" = "A" ]; then pass "$label: guard landpolicy_R1.1 still attached, enabled always"
else fail "$label: guard landpolicy_R1.1 state is '$trigger', expected 'A'"; fi

drop_db
summary
