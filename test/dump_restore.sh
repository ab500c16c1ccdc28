#!/usr/bin/env bash
# pg_dump / pg_restore round trip of a database that uses landpolicy.  DESIGN.md (Conventions:
# Security) marks the extension's configuration tables with pg_extension_config_dump so that a dump
# keeps them; this test holds the whole configuration to that, and then checks that the restored
# database enforces the same rules: guards, ledgers, the change log and the layers' sync triggers.
#
# The source database holds:
#   * two registered layers: eco_redline (table redline) and pbf (table yjjbnt, with its township
#     column), their pieces in landpolicy.layer_piece_<kind>;
#   * a project table guarded by R1.1 (reject) and R2.1 (record mode), with one logged violation;
#   * a user policy_param row for Fujian ('35') and an R1.1 exemption (major_project);
#   * R2.3 on a PBF adjustment table with removals and a supplement booked in the ledger, and a
#     pbf_baseline row for the township;
#   * a quota row and an R4.1-guarded approvals table with one approval booked;
#   * the change log on a parcel table, with one logged class change.
# It is dumped with pg_dump -Fc and restored with pg_restore into a fresh database, where the
# configuration is compared row by row and the rules are exercised; and restored once more with
# --single-transaction --exit-on-error into another, which must succeed as a whole.  All three
# databases are dropped at the end.
#
# Run by scripts/test.sh from the project root with PGHOST, PGPORT and PGUSER (a superuser)
# exported for a throwaway cluster on which landpolicy is installed.  Prints PASS/FAIL lines and,
# last, "N passed, M failed"; exits non-zero if any assertion failed.
set -u

PGBIN=/usr/lib/postgresql/15/bin
src=lp_dump_src
dst=lp_dump_dst
dst1=lp_dump_dst1     # the same dump restored in one transaction (pg_restore --single-transaction)
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-dump.XXXXXX")

drop_dbs() {
  for d in "$src" "$dst" "$dst1"; do
    "$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
  done
}
trap 'drop_dbs; rm -rf "$tmp"' EXIT

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
# q DB [psql args]: quiet, unaligned, tuples only, stop at the first error
q() { local db=$1; shift; "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# try DB STATEMENT: 'ok', or "SQLSTATE|constraint|message" of the error the statement raised
try() {
  q "$1" -v stmt="$2" <<'SQL'
SET landpolicy.lang = 'en';
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; con text; msg text;
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, con = CONSTRAINT_NAME, msg = MESSAGE_TEXT;
    RETURN st || '|' || con || '|' || msg;
END $$;
SELECT pg_temp.try(:'stmt');
SQL
}

# expect_ok LABEL STATEMENT / expect_refused LABEL RULE STATEMENT, in the restored database
expect_ok() {
  local got
  got=$(try "$dst" "$2" 2>&1)
  if [ "$got" = ok ]; then pass "$1: passes"; else fail "$1: expected to pass, got: $got"; fi
}
expect_refused() {
  local got
  got=$(try "$dst" "$3" 2>&1)
  case "$got" in
    "23514|$2|$2 "*) pass "$1: refused with SQLSTATE 23514, constraint $2" ;;
    *) fail "$1: expected SQLSTATE 23514 with constraint $2, got: $got" ;;
  esac
}

# --- the source database -------------------------------------------------------------------
drop_dbs
if ! "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $src" >"$tmp/setup.log" 2>&1 \
   || ! q "$src" >>"$tmp/setup.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
SET landpolicy.lang = 'en';
CREATE EXTENSION landpolicy CASCADE;
-- a w × h m box at (x, y) metres from (40500000, 2890000) in EPSG:4528
CREATE FUNCTION mkbox(x float8, y float8, w float8, h float8) RETURNS geometry
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public
AS $$ SELECT ST_MakeEnvelope(40500000 + x, 2890000 + y, 40500000 + x + w, 2890000 + y + h, 4528) $$;

-- layers: the red line a 1 km square at the origin, PBF a 1 km square 10 km east (township 350121101)
CREATE TABLE redline (id int PRIMARY KEY, name text, geom geometry(Polygon, 4528));
INSERT INTO redline VALUES (1, '红线一', mkbox(0, 0, 1000, 1000));
SELECT landpolicy.register_layer('eco_redline', 'redline');
CREATE TABLE yjjbnt (id int PRIMARY KEY, township landpolicy.admincode, geom geometry(Polygon, 4528));
INSERT INTO yjjbnt VALUES (1, '350121101', mkbox(10000, 0, 1000, 1000));
SELECT landpolicy.register_layer('pbf', 'yjjbnt', '{"township": "township"}');

-- projects: R1.1 rejects, R2.1 records
CREATE TABLE project (id serial PRIMARY KEY, name text, use landpolicy.landclass, approved_on date,
                      geom geometry(Polygon, 4528));
SELECT landpolicy.attach('project', 'R1.1', '{"use": "use", "date": "approved_on"}');
SELECT landpolicy.attach('project', 'R2.1', '{"use": "use", "date": "approved_on", "mode": "record"}');
INSERT INTO project (name, use, approved_on, geom) VALUES ('厂房', '0601', '2026-03-01', mkbox(3000, 0, 100, 100));
INSERT INTO project (name, use, approved_on, geom) VALUES ('占用基本农田', '0601', '2026-03-02', mkbox(10100, 100, 10, 10));

-- a provincial override and an exemption in the red line's north-east corner, for 2026
INSERT INTO landpolicy.policy_param (key, jurisdiction, value, unit, basis, note)
VALUES ('overlap.tolerance_m2', '35', 2, 'm2', '福建省 (dump test)', 'dump_restore test row');
INSERT INTO landpolicy.exemption (rule, kind, doc_no, authority, scope, valid, note)
VALUES ('R1.1', 'major_project', '闽政文〔2026〕1号', '福建省人民政府', mkbox(800, 800, 200, 200), '[2026-01-01,2027-01-01)', 'dump test');

-- R2.3: 5 % of 1 000 000 m² designated = 50 000 m²; 40 000 m² removed, 5 000 m² supplemented
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source) VALUES ('350121101', 1000000, 'dump test');
CREATE TABLE pbf_adjustment (id serial PRIMARY KEY, township landpolicy.admincode, direction text, recorded_on date,
                             geom geometry(Polygon, 4528));
SELECT landpolicy.attach('pbf_adjustment', 'R2.3', '{"township": "township", "direction": "direction", "date": "recorded_on"}');
INSERT INTO pbf_adjustment (township, direction, recorded_on, geom) VALUES
    ('350121101', 'out', '2026-02-01', mkbox(30000, 0, 300, 100)),
    ('350121101', 'out', '2026-02-02', mkbox(30000, 200, 100, 100)),
    ('350121101', 'in', '2026-02-03', mkbox(30000, 400, 50, 100));

-- R4.1: 15 mu = 10 000 m² for 350121 in 2026; 6 000 m² approved
INSERT INTO landpolicy.quota (county, year, amount, unit, basis) VALUES ('350121', 2026, 15, 'mu', 'dump test');
CREATE TABLE approval (id serial PRIMARY KEY, county landpolicy.admincode, approved_on date, area_m2 numeric);
SELECT landpolicy.attach('approval', 'R4.1', '{"county": "county", "date": "approved_on", "area": "area_m2"}');
INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-03-01', 6000);

-- the change log: one class change of parcel 1
CREATE TABLE dltb (id int PRIMARY KEY, xzq landpolicy.admincode, dlbm landpolicy.landclass, bgrq date,
                   geom geometry(Polygon, 4528));
INSERT INTO dltb VALUES (1, '350121101', '0101', '2026-01-01', mkbox(20000, 0, 100, 100)),
                        (2, '350121101', '0301', '2026-01-01', mkbox(20200, 0, 100, 100));
SELECT landpolicy.attach('dltb', 'change_log', '{"class": "dlbm", "admin": "xzq", "date": "bgrq", "key": "id"}');
UPDATE dltb SET dlbm = '0201', bgrq = '2026-04-01' WHERE id = 1;
SQL
then
  cat "$tmp/setup.log"
  fail "setting up database $src"
  summary
fi

# The source is as intended before anything is dumped (or every comparison below compares nothing).
state=$(q "$src" -c "SELECT (SELECT count(*) FROM landpolicy.layer) || ' layers, '
                          || (SELECT count(*) FROM landpolicy.attachment) || ' attachments, '
                          || (SELECT count(*) FROM landpolicy.violation_log) || ' logged violation, '
                          || (SELECT count(*) FROM landpolicy.change_log) || ' logged change, '
                          || (SELECT count(*) FROM landpolicy.ledger) || ' ledger rows, '
                          || (SELECT count(*) FROM landpolicy.exemption) || ' exemption, '
                          || (SELECT count(*) FROM landpolicy.policy_param WHERE NOT builtin) || ' user parameter'")
if [ "$state" = "2 layers, 5 attachments, 1 logged violation, 1 logged change, 2 ledger rows, 1 exemption, 1 user parameter" ]; then
  pass "source database: $state"
else
  fail "source database: $state"
fi

# --- dump and restore ----------------------------------------------------------------------
if ! "$PGBIN/pg_dump" -Fc -d "$src" -f "$tmp/src.dump" 2>"$tmp/dump.err"; then
  fail "pg_dump -Fc $src"; sed 's/^/    /' "$tmp/dump.err"
  summary
fi
pass "pg_dump -Fc $src"
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $dst" || { fail "CREATE DATABASE $dst"; summary; }
"$PGBIN/pg_restore" -d "$dst" "$tmp/src.dump" 2>"$tmp/restore.err"
restore_rc=$?
# Which pg_restore errors are harmless: only those about objects every fresh database already has
# from template1 (schema public, extension plpgsql) and a dump may create again; "already exists"
# changes nothing for them.  Every other error is a failure, even when the object it names ends up
# there anyway (e.g. an index the restore had already made by another way): pg_restore then exits
# 1, so a scripted restore cannot tell it from a broken one, and a restore run with
# --single-transaction or --exit-on-error stops at the first such error and leaves nothing.  The
# last check of this block restores the dump that way too.  pg_restore's stderr is printed whenever
# it reported anything.
grep -E '^pg_restore: error:' "$tmp/restore.err" >"$tmp/restore.errors"
grep -vE '(schema "public"|extension "plpgsql") already exists' "$tmp/restore.errors" >"$tmp/restore.harmful"
if [ -s "$tmp/restore.err" ]; then
  echo "pg_restore (exit $restore_rc) reported:"; grep -v '^$' "$tmp/restore.err" | sed 's/^/    /'
fi
if [ ! -s "$tmp/restore.errors" ] && [ "$restore_rc" -eq 0 ]; then
  pass "pg_restore into $dst: no errors"
elif [ ! -s "$tmp/restore.harmful" ]; then
  pass "pg_restore into $dst: $(wc -l <"$tmp/restore.errors") harmless error(s) (exit $restore_rc)"
else
  fail "pg_restore into $dst: $(wc -l <"$tmp/restore.harmful") error(s) (exit $restore_rc)"
fi
# The same dump in one transaction, stopping at the first error: all or nothing.
"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $dst1" || { fail "CREATE DATABASE $dst1"; summary; }
"$PGBIN/pg_restore" --single-transaction --exit-on-error -d "$dst1" "$tmp/src.dump" 2>"$tmp/restore1.err"
restore1_rc=$?
got=$(q "$dst1" -c "SELECT count(*) FROM pg_extension WHERE extname = 'landpolicy'" 2>&1)
got="$got $(q "$dst1" -c "SELECT count(*) FROM landpolicy.attachment" 2>/dev/null || echo none)"
if [ "$restore1_rc" -eq 0 ] && [ "$got" = "1 5" ]; then
  pass "pg_restore --single-transaction --exit-on-error into $dst1: the extension and its 5 attachments"
else
  fail "pg_restore --single-transaction --exit-on-error into $dst1: exit $restore1_rc, extension and attachments: $got (expected 1 5)"
  grep -v '^$' "$tmp/restore1.err" | sed 's/^/    /'
fi

# --- the configuration came back ------------------------------------------------------------
# same_rows LABEL QUERY: the query's rows (as text) are the same multiset in both databases
same_rows() {
  local label=$1 query=$2 diff
  if ! q "$src" -c "\\copy ($query) TO '$tmp/rows.txt'" 2>"$tmp/copy.err"; then
    fail "$label: cannot read the source ($(head -1 "$tmp/copy.err"))"; return
  fi
  diff=$(q "$dst" -v query="$query" 2>&1 <<SQL
CREATE TEMP TABLE orig (r text);
\\copy orig FROM '$tmp/rows.txt'
CREATE TEMP VIEW restored AS $query;
SELECT '- ' || r FROM (SELECT r FROM orig EXCEPT ALL SELECT r::text FROM restored AS x(r)) a
UNION ALL
SELECT '+ ' || r FROM (SELECT r::text FROM restored AS x(r) EXCEPT ALL SELECT r FROM orig) b;
SQL
)
  if [ $? -ne 0 ]; then
    fail "$label: cannot read the restored database"; printf '%s\n' "$diff" | sed 's/^/    /'
  elif [ -z "$diff" ]; then
    pass "$label: $(wc -l <"$tmp/rows.txt") row(s), identical after restore"
  else
    fail "$label: differs after restore (- only in the original, + only in the restored)"
    printf '%s\n' "$diff" | sed 's/^/    /'
  fi
}
same_rows "landpolicy.attachment" "SELECT t::text FROM landpolicy.attachment t"
same_rows "landpolicy.layer" "SELECT t::text FROM landpolicy.layer t"
same_rows "landpolicy.policy_param (user rows)" "SELECT t::text FROM landpolicy.policy_param t WHERE NOT builtin"
same_rows "landpolicy.exemption" "SELECT t::text FROM landpolicy.exemption t"
same_rows "landpolicy.ledger" "SELECT t::text FROM landpolicy.ledger t"
same_rows "landpolicy.violation_log" "SELECT t::text FROM landpolicy.violation_log t"
same_rows "landpolicy.change_log" "SELECT t::text FROM landpolicy.change_log t"
same_rows "landpolicy.pbf_baseline" "SELECT t::text FROM landpolicy.pbf_baseline t"
same_rows "landpolicy.quota" "SELECT t::text FROM landpolicy.quota t"
same_rows "landpolicy.layer_piece (the layers' pieces)" "SELECT t::text FROM landpolicy.layer_piece t"
same_rows "the extension's sequences" \
  "SELECT s.seqrelid::regclass::text || ' ' || pg_sequence_last_value(s.seqrelid) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'landpolicy'"
same_rows "the shipped policy_param rows" "SELECT t::text FROM landpolicy.policy_param t WHERE builtin"
same_rows "guard and layer triggers (definition, enabled state)" \
  "SELECT tgrelid::regclass::text || ' ' || tgenabled::text || ' ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'landpolicy%' AND NOT tgisinternal"

# --- ... and works ---------------------------------------------------------------------------
got=$(q "$dst" -c "SELECT count(*) FROM landpolicy.verify()" 2>&1)
if [ "$got" = 0 ]; then pass "landpolicy.verify() is empty in $dst"
else fail "landpolicy.verify() in $dst: $got disagreement(s)"; q "$dst" -c "SELECT * FROM landpolicy.verify()" 2>&1 | sed 's/^/    /'; fi

got=$(q "$dst" -c "SELECT string_agg(kind || ' ' || features || '/' || pieces, ', ' ORDER BY kind) FROM landpolicy.layers" 2>&1)
if [ "$got" = "eco_redline 1/1, pbf 1/1" ]; then pass "layers in $dst: $got (features/pieces)"
else fail "layers in $dst: '$got', expected 'eco_redline 1/1, pbf 1/1'"; fi

# session_replication_role = replica must not switch them off: every one ENABLE ALWAYS, as many as before
triggers="SELECT string_agg(DISTINCT tgenabled::text, ',') || ' (' || count(*) || ' triggers)' FROM pg_trigger WHERE tgname LIKE 'landpolicy%' AND NOT tgisinternal"
want=$(q "$src" -c "$triggers" 2>&1)
got=$(q "$dst" -c "$triggers" 2>&1)
if [ "$got" = "$want" ] && [ "${got%% *}" = A ]; then pass "guard and layer triggers in $dst are ENABLE ALWAYS: $got"
else fail "guard and layer triggers in $dst: tgenabled $got, expected A, as in $src ($want)"; fi

# R1.1: construction in the red line is refused, outside it passes; the exemption still opens its corner
expect_refused "R1.1 in $dst, 100 × 100 m of industry in the red line" R1.1 \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('红线内', '0601', '2026-05-01', mkbox(400, 400, 100, 100))"
expect_ok "R1.1 in $dst, industry 2 km east of the red line" \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('红线外', '0601', '2026-05-01', mkbox(3000, 200, 100, 100))"
expect_ok "R1.1 in $dst, industry inside the exemption's scope, in its window" \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('豁免', '0601', '2026-05-01', mkbox(850, 850, 100, 100))"
# R2.1 in record mode: let through and logged (with an id after the restored ones)
expect_ok "R2.1 (record mode) in $dst, industry on PBF" \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('记录', '0601', '2026-05-02', mkbox(10300, 300, 10, 20))"
got=$(q "$dst" -c "SELECT count(*) || ' ' || string_agg(rule || ':' || (violation).measured, ',' ORDER BY id) FROM landpolicy.violation_log" 2>&1)
if [ "$got" = "2 R2.1:100,R2.1:200" ]; then pass "R2.1 in $dst logged the new violation after the restored one: $got"
else fail "violation_log in $dst: '$got', expected '2 R2.1:100,R2.1:200'"; fi

# R2.3: 40 000 m² of the 50 000 m² cap used; 15 000 more is refused, 5 000 more passes
expect_refused "R2.3 in $dst, a removal of 15 000 m² (40 000 of the 50 000 m² cap used)" R2.3 \
  "INSERT INTO pbf_adjustment (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-05-01', mkbox(30000, 600, 150, 100))"
expect_ok "R2.3 in $dst, a removal of 5 000 m² under the cap" \
  "INSERT INTO pbf_adjustment (township, direction, recorded_on, geom) VALUES ('350121101', 'out', '2026-05-01', mkbox(30000, 800, 50, 100))"
# R4.1: 6 000 m² of the 10 000 m² quota used; 5 000 more is refused, 4 000 more passes
expect_refused "R4.1 in $dst, an approval of 5 000 m² over the 10 000 m² quota (6 000 used)" R4.1 \
  "INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-05-01', 5000)"
expect_ok "R4.1 in $dst, an approval of 4 000 m² within the quota" \
  "INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-05-01', 4000)"
got=$(q "$dst" -c "SELECT count(*) FROM landpolicy.verify()" 2>&1)
if [ "$got" = 0 ]; then pass "landpolicy.verify() still empty in $dst after the new bookings"
else fail "landpolicy.verify() in $dst after the new bookings: $got disagreement(s)"; fi

# the change log: a class change in the restored database is logged
expect_ok "change_log in $dst, parcel 2 from forest to paddy" "UPDATE dltb SET dlbm = '0101', bgrq = '2026-05-01' WHERE id = 2"
got=$(q "$dst" -c "SELECT string_agg(parcel_key || ' ' || from_class || '>' || to_class || ' ' || area_m2 || ' ' || kind, ', ' ORDER BY id) FROM landpolicy.change_log" 2>&1)
if [ "$got" = "1 0101>0201 10000 update, 2 0301>0101 10000 update" ]; then pass "change_log in $dst: $got"
else fail "change_log in $dst: '$got', expected '1 0101>0201 10000 update, 2 0301>0101 10000 update'"; fi

# the layers' sync triggers came back: a second red-line feature is cut into pieces at once and
# guards against at once; moving it moves its pieces
expect_ok "a new red-line feature in $dst" "INSERT INTO redline VALUES (2, '红线二', mkbox(5000, 0, 1000, 1000))"
got=$(q "$dst" -c "SELECT string_agg(source_key || ':' || round(ST_Area(geom)), ',' ORDER BY source_key) FROM landpolicy.layer_piece WHERE kind = 'eco_redline'" 2>&1)
if [ "$got" = "1:1000000,2:1000000" ]; then pass "layer_piece in $dst follows an INSERT into the source: $got"
else fail "layer_piece in $dst after an INSERT into redline: '$got', expected '1:1000000,2:1000000'"; fi
expect_refused "R1.1 in $dst against the new red-line feature" R1.1 \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('新红线内', '0601', '2026-05-01', mkbox(5400, 400, 100, 100))"
expect_ok "moving red-line feature 2 in $dst" "UPDATE redline SET geom = mkbox(7000, 0, 500, 500) WHERE id = 2"
got=$(q "$dst" -c "SELECT string_agg(source_key || ':' || round(ST_Area(geom)), ',' ORDER BY source_key) FROM landpolicy.layer_piece WHERE kind = 'eco_redline'" 2>&1)
if [ "$got" = "1:1000000,2:250000" ]; then pass "layer_piece in $dst follows an UPDATE of the source: $got"
else fail "layer_piece in $dst after an UPDATE of redline: '$got', expected '1:1000000,2:250000'"; fi
expect_ok "R1.1 in $dst where feature 2 was before it moved" \
  "INSERT INTO project (name, use, approved_on, geom) VALUES ('旧红线处', '0601', '2026-05-01', mkbox(5400, 700, 100, 100))"

drop_dbs
summary
