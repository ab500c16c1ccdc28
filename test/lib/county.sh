# Sourced by test/dump_restore.sh and test/upgrade.sh: a small county with every kind of landpolicy
# configuration (test/lib/county.sql), carried across a boundary — a dump and restore, or an
# extension update — and then compared row by row with the original and exercised.
#
# The caller sets tmp (a scratch directory), src (the original database) and dst (the database
# after the boundary), and describes the boundary in after ("restore", "update").  The functions
# count PASS/FAIL lines in passed and failed; summary prints "N passed, M failed" and exits.

PGBIN=/usr/lib/postgresql/15/bin
passed=0 failed=0

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

# expect_ok LABEL STATEMENT / expect_refused LABEL RULE STATEMENT, in $dst
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

# county_create DB [VERSION]: a new database DB with landpolicy (at VERSION, or the default
# version) and the county; on failure prints the log, counts a failure and ends the test.
county_create() {
  local db=$1 version=${2:-}
  if ! "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >"$tmp/setup.log" 2>&1 \
     || ! q "$db" -c "SET client_min_messages = warning" \
              -c "CREATE EXTENSION landpolicy ${version:+VERSION '$version'} CASCADE" >>"$tmp/setup.log" 2>&1 \
     || ! q "$db" -f test/lib/county.sql >>"$tmp/setup.log" 2>&1; then
    cat "$tmp/setup.log"
    fail "setting up database $db${version:+ with landpolicy $version}"
    summary
  fi
  # The county is as intended before it is carried anywhere (or every comparison compares nothing).
  local state
  state=$(q "$db" -c "SELECT (SELECT count(*) FROM landpolicy.layer) || ' layers, '
                          || (SELECT count(*) FROM landpolicy.attachment) || ' attachments, '
                          || (SELECT count(*) FROM landpolicy.violation_log) || ' logged violation, '
                          || (SELECT count(*) FROM landpolicy.change_log) || ' logged change, '
                          || (SELECT count(*) FROM landpolicy.ledger) || ' ledger rows, '
                          || (SELECT count(*) FROM landpolicy.exemption) || ' exemption, '
                          || (SELECT count(*) FROM landpolicy.policy_param WHERE NOT builtin) || ' user parameter'")
  if [ "$state" = "2 layers, 5 attachments, 1 logged violation, 1 logged change, 2 ledger rows, 1 exemption, 1 user parameter" ]; then
    pass "database $db${version:+ (landpolicy $version)}: $state"
  else
    fail "database $db${version:+ (landpolicy $version)}: $state"
  fi
}

# same_rows LABEL QUERY: the query's rows (as text) are the same multiset in $src and $dst
same_rows() {
  local label=$1 query=$2 diff
  if ! q "$src" -c "\\copy ($query) TO '$tmp/rows.txt'" 2>"$tmp/copy.err"; then
    fail "$label: cannot read $src ($(head -1 "$tmp/copy.err"))"; return
  fi
  diff=$(q "$dst" -v query="$query" 2>&1 <<SQL
CREATE TEMP TABLE orig (r text);
\\copy orig FROM '$tmp/rows.txt'
CREATE TEMP VIEW carried AS $query;
SELECT '- ' || r FROM (SELECT r FROM orig EXCEPT ALL SELECT r::text FROM carried AS x(r)) a
UNION ALL
SELECT '+ ' || r FROM (SELECT r::text FROM carried AS x(r) EXCEPT ALL SELECT r FROM orig) b;
SQL
)
  if [ $? -ne 0 ]; then
    fail "$label: cannot read $dst"; printf '%s\n' "$diff" | sed 's/^/    /'
  elif [ -z "$diff" ]; then
    pass "$label: $(wc -l <"$tmp/rows.txt") row(s), identical after $after"
  else
    fail "$label: differs after $after (- only in $src, + only in $dst)"
    printf '%s\n' "$diff" | sed 's/^/    /'
  fi
}

# county_same: the configuration, ledgers, logs and triggers of $dst are those of $src
county_same() {
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
}

# county_works: $dst enforces what $src did — verify() is clean, the layers are whole, the
# triggers are ENABLE ALWAYS, every guard refuses and lets through as before, ledgers and logs go
# on from where they were, and the layers' sync triggers follow their sources.
county_works() {
  local got want triggers
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
  # R2.1 in record mode: let through and logged (with an id after the earlier ones)
  expect_ok "R2.1 (record mode) in $dst, industry on PBF" \
    "INSERT INTO project (name, use, approved_on, geom) VALUES ('记录', '0601', '2026-05-02', mkbox(10300, 300, 10, 20))"
  got=$(q "$dst" -c "SELECT count(*) || ' ' || string_agg(rule || ':' || (violation).measured, ',' ORDER BY id) FROM landpolicy.violation_log" 2>&1)
  if [ "$got" = "2 R2.1:100,R2.1:200" ]; then pass "R2.1 in $dst logged the new violation after the earlier one: $got"
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

  # the change log: a class change is logged
  expect_ok "change_log in $dst, parcel 2 from forest to paddy" "UPDATE dltb SET dlbm = '0101', bgrq = '2026-05-01' WHERE id = 2"
  got=$(q "$dst" -c "SELECT string_agg(parcel_key || ' ' || from_class || '>' || to_class || ' ' || area_m2 || ' ' || kind, ', ' ORDER BY id) FROM landpolicy.change_log" 2>&1)
  if [ "$got" = "1 0101>0201 10000 update, 2 0301>0101 10000 update" ]; then pass "change_log in $dst: $got"
  else fail "change_log in $dst: '$got', expected '1 0101>0201 10000 update, 2 0301>0101 10000 update'"; fi

  # the layers' sync triggers: a second red-line feature is cut into pieces at once and guards
  # against at once; moving it moves its pieces
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
}
