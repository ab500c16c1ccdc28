#!/usr/bin/env bash
# Load: "pgbench with 8 clients for 2 minutes of mixed guarded inserts, updates and deletes, with
# retries on serialization failure: zero lost or overshooting rows, verify() clean."
#
# The run lasts LANDPOLICY_LOAD_SECONDS (default 120: the two minutes asked for) seconds; set it
# lower for a quick run while developing.
#
# A database of its own (lp_load, dropped at the end) on the cluster of PGHOST/PGPORT holds:
#   * adj, a PBF adjustment table guarded by R2.3 (5 % cap per township) and R2.4 (supplement
#     before removal), over 8 townships whose baselines (100 000 m² designated, so a 5 000 m² cap)
#     are reached within the first seconds;
#   * approval, guarded by R4.1 against a 15 mu (10 000 m²) quota for 350121 in 2026.
# pgbench runs bench.sql (below) with 8 clients (-j 2) at REPEATABLE READ (PGOPTIONS) with
# --max-tries=10: each transaction is one call of lp_step(), which does one of
#   insert a removal (30 %), insert a supplement (16 %), move a random row to a smaller or larger
#   box, a quarter of the time in another township (18 %), delete a random row (18 %), approve an
#   area (14 %), delete a random approval (4 %).
# A guard's refusal (SQLSTATE 23514) is caught inside lp_step() and logged in op_log with its rule,
# so that it does not abort the pgbench client (pgbench 15 aborts a client on any error but a
# serialization failure or a deadlock); serialization failures and deadlocks are not caught, so
# pgbench rolls back and retries them.  Every step that commits leaves exactly one op_log row, in
# the same transaction.
#
# Then: pgbench exited 0 having done transactions; verify() is empty; per township, removed ≤ cap
# and supplemented ≥ removed, and the ledgers' entry counts are the table's rows; the quota is not
# exceeded; no committed insert or delete is lost (rows = committed inserts − committed deletes);
# every step ran at REPEATABLE READ; the guards really refused (R2.3, R2.4 and R4.1 all did).
#
# Run by scripts/test.sh from the project root with PGHOST, PGPORT and PGUSER (a superuser)
# exported for a throwaway cluster on which landpolicy is installed.  Prints PASS/FAIL lines and,
# last, "N passed, M failed"; exits non-zero if any assertion failed.
set -u

PGBIN=/usr/lib/postgresql/15/bin
db=lp_load
seconds=${LANDPOLICY_LOAD_SECONDS:-120}
passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-load.XXXXXX")

drop_db() { "$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
trap 'drop_db; rm -rf "$tmp"' EXIT

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
info() { echo "INFO: $*"; }
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# --- setup ------------------------------------------------------------------------------------
drop_db
if ! "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >"$tmp/setup.log" 2>&1 \
   || ! q >>"$tmp/setup.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;

-- 8 townships of 350121, 100 000 m² designated each: a cap of 5 000 m² of removals
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source)
SELECT (350121100 + t)::text, 100000, 'load test' FROM generate_series(1, 8) t;
CREATE TABLE adj (id bigserial PRIMARY KEY, township landpolicy.admincode NOT NULL,
                  direction text NOT NULL, grade int NOT NULL, recorded_on date NOT NULL,
                  geom geometry(MultiPolygon, 4528) NOT NULL);
SELECT landpolicy.attach('adj', 'R2.3', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "geom": "geom"}');
SELECT landpolicy.attach('adj', 'R2.4', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "geom": "geom"}');

-- R4.1: 15 mu = 10 000 m² for 350121 in 2026
INSERT INTO landpolicy.quota (county, year, amount, unit, basis) VALUES ('350121', 2026, 15, 'mu', 'load test');
CREATE TABLE approval (id bigserial PRIMARY KEY, county landpolicy.admincode NOT NULL, approved_on date NOT NULL, area_m2 numeric NOT NULL);
SELECT landpolicy.attach('approval', 'R4.1', '{"county": "county", "date": "approved_on", "area": "area_m2"}');

-- one row per committed step: what it did (op), ok / refused (with the rule) / none (no row found)
CREATE TABLE op_log (op text NOT NULL, outcome text NOT NULL, rule text, iso text NOT NULL);

-- a w × h m box in township t's own 10 km square, x m along it
CREATE FUNCTION box(t int, x int, w int, h int) RETURNS geometry
LANGUAGE sql IMMUTABLE
AS $$ SELECT ST_Multi(ST_MakeEnvelope(40500000 + t * 10000 + x, 2890000, 40500000 + t * 10000 + x + w, 2890000 + h, 4528)) $$;

-- One pgbench transaction.  op: 1 removal, 2 supplement, 3 move a row, 4 delete a row,
-- 5 approval, 6 delete an approval; t a township 1-8; w, h a box; r a random number.
CREATE FUNCTION lp_step(op int, t int, w int, h int, r bigint) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
    n bigint;
    target bigint;
    con text;
    what text := (ARRAY['removal', 'supplement', 'move', 'delete', 'approval', 'unapprove'])[op];
BEGIN
    IF op = 1 OR op = 2 THEN
        INSERT INTO adj (township, direction, grade, recorded_on, geom)
        VALUES ((350121100 + t)::text, CASE op WHEN 1 THEN 'out' ELSE 'in' END, 5, '2026-03-01', box(t, (r % 9000)::int, w, h));
    ELSIF op = 3 OR op = 4 THEN
        SELECT a.id INTO target FROM adj a WHERE a.id >= r % (SELECT last_value FROM adj_id_seq) + 1 ORDER BY a.id LIMIT 1;
        IF op = 3 THEN
            -- a quarter of the moves go to another township: both townships' ledgers are booked
            UPDATE adj SET township = CASE WHEN r % 4 = 0 THEN (350121100 + t)::text::landpolicy.admincode ELSE township END,
                           geom = box(CASE WHEN r % 4 = 0 THEN t ELSE township::text::int - 350121100 END, (r % 9000)::int, w, h)
             WHERE id = target;
        ELSE
            DELETE FROM adj WHERE id = target;
        END IF;
    ELSIF op = 5 THEN
        INSERT INTO approval (county, approved_on, area_m2) VALUES ('350121', '2026-04-01', w * h / 2);
    ELSE
        SELECT a.id INTO target FROM approval a WHERE a.id >= r % (SELECT last_value FROM approval_id_seq) + 1 ORDER BY a.id LIMIT 1;
        DELETE FROM approval WHERE id = target;
    END IF;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO op_log VALUES (what, CASE WHEN n > 0 THEN 'ok' ELSE 'none' END, NULL, current_setting('transaction_isolation'));
    RETURN 'ok';
EXCEPTION WHEN check_violation THEN
    -- a guard refused: record it and commit the log row; serialization failures and deadlocks
    -- are not caught here, so pgbench retries them
    GET STACKED DIAGNOSTICS con = CONSTRAINT_NAME;
    INSERT INTO op_log VALUES (what, 'refused', con, current_setting('transaction_isolation'));
    RETURN con;
END
$$;

-- supplements to start from, 2 000 m² a township
INSERT INTO adj (township, direction, grade, recorded_on, geom)
SELECT (350121100 + t)::text, 'in', 5, '2026-01-01', box(t, 9500, 40, 50) FROM generate_series(1, 8) t;
INSERT INTO op_log SELECT 'supplement', 'ok', NULL, 'repeatable read' FROM generate_series(1, 8);
SQL
then
  cat "$tmp/setup.log"
  fail "setting up database $db"
  summary
fi

cat >"$tmp/bench.sql" <<'PGBENCH'
\set p random(1, 100)
\set op case when :p <= 30 then 1 when :p <= 46 then 2 when :p <= 64 then 3 when :p <= 82 then 4 when :p <= 96 then 5 else 6 end
\set t random(1, 8)
\set w random(5, 40)
\set h random(5, 40)
\set r random(0, 1000000000)
SELECT lp_step(:op, :t, :w, :h, :r);
PGBENCH

# --- the run ------------------------------------------------------------------------------------
PGOPTIONS='-c default_transaction_isolation=repeatable\ read -c landpolicy.lang=en' \
  "$PGBIN/pgbench" -n -f "$tmp/bench.sql" -c 8 -j 2 -T "$seconds" --max-tries=10 --failures-detailed "$db" \
  >"$tmp/pgbench.out" 2>"$tmp/pgbench.err"
rc=$?
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$tmp/pgbench.out")
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$tmp/pgbench.out")
failures=$(sed -n 's/^number of failed transactions: \(.*\)/\1/p' "$tmp/pgbench.out")
retried=$(sed -n 's/^number of transactions retried: \(.*\)/\1/p' "$tmp/pgbench.out")
retries=$(sed -n 's/^total number of retries: \(.*\)/\1/p' "$tmp/pgbench.out")
if [ "$rc" -eq 0 ] && [ "${processed:-0}" -gt 0 ]; then
  pass "pgbench (8 clients, ${seconds} s, repeatable read, --max-tries=10) exited 0 after $processed transactions"
else
  fail "pgbench exited $rc after ${processed:-no} transactions"
  sed 's/^/    /' "$tmp/pgbench.out"; grep -v '^$' "$tmp/pgbench.err" | tail -n 20 | sed 's/^/    /'
fi
info "$tps transactions/s; failed (out of tries): ${failures:-?}; retried: ${retried:-?}; retries: ${retries:-?}"
info "steps: $(q -c "SELECT string_agg(op || ' ' || outcome || coalesce(' ' || rule, '') || ' ' || n, ', ' ORDER BY op, outcome, rule)
                       FROM (SELECT op, outcome, rule, count(*) n FROM op_log GROUP BY 1, 2, 3) s" 2>&1)"

# --- the ledgers ----------------------------------------------------------------------------------
got=$(q -c "SELECT count(*) FROM landpolicy.verify()" 2>&1)
if [ "$got" = 0 ]; then pass "landpolicy.verify() is empty"
else fail "landpolicy.verify(): $got disagreement(s)"; q -c "SELECT * FROM landpolicy.verify()" 2>&1 | head -n 20 | sed 's/^/    /'; fi

got=$(q -c "SELECT count(*) || ' townships, ' || count(*) FILTER (WHERE removed_m2 > cap_m2) || ' over the cap, '
                   || count(*) FILTER (WHERE supplemented_m2 < removed_m2) || ' supplemented < removed, max '
                   || max(pct_of_cap_used) || ' % of the cap used'
            FROM landpolicy.pbf_adjustment_status" 2>&1)
case "$got" in
  "8 townships, 0 over the cap, 0 supplemented < removed, max "*) pass "pbf_adjustment_status: $got" ;;
  *) fail "pbf_adjustment_status: $got (expected 8 townships, none over the cap, none supplemented < removed)"
     q -c "SELECT township, removed_m2, supplemented_m2, cap_m2 FROM landpolicy.pbf_adjustment_status ORDER BY 1" 2>&1 | sed 's/^/    /' ;;
esac

# the table's own sums against the caps (not only the ledger's figures)
got=$(q -c "SELECT count(*) FROM (SELECT township, sum(landpolicy.ledger_area(geom)) FILTER (WHERE direction = 'out') AS removed,
                                          coalesce(sum(landpolicy.ledger_area(geom)) FILTER (WHERE direction = 'in'), 0) AS supplemented
                                   FROM adj GROUP BY township) s
            WHERE removed > 5000 OR removed > supplemented" 2>&1)
if [ "$got" = 0 ]; then pass "adj itself: no township has more than 5 000 m² removed or more removed than supplemented"
else fail "adj itself: $got township(s) over the cap or under-supplemented"; fi

got=$(q -c "SELECT count(*) FROM (SELECT township::text AS scope, count(*) AS n FROM adj GROUP BY 1) t
            FULL JOIN (SELECT scope, entries FROM landpolicy.ledger WHERE rule = 'R2.3') a USING (scope)
            FULL JOIN (SELECT scope, entries FROM landpolicy.ledger WHERE rule = 'R2.4') b USING (scope)
            WHERE coalesce(t.n, 0) <> coalesce(a.entries, 0) OR coalesce(t.n, 0) <> coalesce(b.entries, 0)" 2>&1)
if [ "$got" = 0 ]; then pass "R2.3 and R2.4 ledgers: entries = rows of adj, per township"
else fail "R2.3 / R2.4 ledgers: $got township(s) whose entries differ from the rows of adj"; fi

got=$(q -c "SELECT count(*) || ' quota row(s), used ' || coalesce(max(used_m2), 0) || ' of ' || coalesce(max(quota_m2), 0) || ' m², '
                   || count(*) FILTER (WHERE used_m2 > quota_m2 OR quota_m2 IS NULL) || ' over'
            FROM landpolicy.quota_status" 2>&1)
used=$(q -c "SELECT sum(area_m2) FROM approval" 2>&1)
case "$got" in
  "1 quota row(s), used "*" of 10000.000000 m², 0 over") pass "quota_status: $got (approval sums to $used m²)" ;;
  *) fail "quota_status: $got, expected 1 row, used ≤ 10000 m², none over (approval sums to $used m²)" ;;
esac

# no lost rows: what is in the tables is what the committed steps put there
got=$(q -c "SELECT (SELECT count(*) FROM adj) || ' ' || (SELECT count(*) FILTER (WHERE op IN ('removal', 'supplement')) - count(*) FILTER (WHERE op = 'delete')
                                                         FROM op_log WHERE outcome = 'ok')
            || ' ' || (SELECT count(*) FROM approval) || ' ' || (SELECT count(*) FILTER (WHERE op = 'approval') - count(*) FILTER (WHERE op = 'unapprove')
                                                              FROM op_log WHERE outcome = 'ok')" 2>&1)
read -r a1 a2 b1 b2 <<<"$got"
if [ -n "${b2:-}" ] && [ "$a1" = "$a2" ] && [ "$b1" = "$b2" ]; then
  pass "no lost rows: adj has $a1 rows = committed inserts − deletes; approval has $b1 = committed approvals − deletions"
else
  fail "lost or extra rows: adj $a1 rows vs $a2 from the log, approval $b1 vs $b2 ($got)"
fi

got=$(q -c "SELECT string_agg(DISTINCT iso, ',') FROM op_log" 2>&1)
if [ "$got" = "repeatable read" ]; then pass "every step ran at repeatable read"
else fail "steps ran at isolation level(s): $got, expected repeatable read"; fi

got=$(q -c "SELECT string_agg(rule || ' ' || n, ', ' ORDER BY rule) FROM (SELECT rule, count(*) n FROM op_log WHERE outcome = 'refused' GROUP BY rule) s" 2>&1)
if [[ "$got" =~ ^R2\.3\ [0-9]+,\ R2\.4\ [0-9]+,\ R4\.1\ [0-9]+$ ]]; then pass "the limits were reached: refusals $got"
else fail "refusals: '$got', expected some of each of R2.3, R2.4 and R4.1 (and of no other rule)"; fi

drop_db
summary
