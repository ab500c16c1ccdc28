#!/usr/bin/env bash
# Crash: "an immediate stop (pg_ctl stop -m immediate) in the middle of a concurrent guarded load
# leaves, after restart, ledgers that verify() finds consistent and no half-applied rows."
#
# The shared cluster of PGHOST/PGPORT is never touched: this test starts a cluster of its own
# (scripts/cluster.sh, in a mktemp directory, on port 54600 + $$ % 200, its socket in that
# directory), and stops and removes it on exit.
#
# In it: adj, a PBF adjustment table guarded by R2.3 (5 % cap: 4 townships of 100 000 m²
# designated, 5 000 m² cap each) and R2.4 (supplement before removal), seeded with 3 000 m² of
# supplements per township.  4 writers (one psql each, with synchronous_commit = on) run a
# generated script of single-statement transactions: insert removals (40 %) and supplements (25 %),
# move rows to smaller or larger boxes (20 %), delete rows (15 %); many are refused by the guards
# (the errors are ignored).  Every row carries a tag (writer-statement); inserts and deletes print
# it (RETURNING), so the writers' output lists what the server acknowledged.  After about
# LANDPOLICY_CRASH_SECONDS (default 5) seconds of load the server is stopped with
# pg_ctl stop -m immediate while the writers are still writing, then started again.
#
# Then: the server came back, through crash recovery; verify() is empty; per township, removed ≤ cap,
# supplemented ≥ removed, and the R2.3 and R2.4 ledgers' entries equal the rows; the table's own
# sums are within the limits; the writers really were mid-flight (all 4 connected and running at the
# stop, rows committed beyond the seed); no acknowledged insert or delete was lost (at most one
# statement per writer, the one in flight at the stop, may have committed unacknowledged); and the
# guards still refuse after recovery.
#
# Run by scripts/test.sh from the project root.  Prints PASS/FAIL lines and, last,
# "N passed, M failed"; exits non-zero if any assertion failed.
set -u
cd "$(dirname "$0")/.."
. scripts/cluster.sh

seconds=${LANDPOLICY_CRASH_SECONDS:-5}
writers=4
statements=40000      # per writer: far more than it can run before the stop
port=$((54600 + $$ % 200))
passed=0 failed=0
dir=$(mktemp -d /tmp/lp-crash.XXXXXX)   # in /tmp, as scripts/test.sh: the server user must reach it
pids=()

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  cluster_stop "$dir"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM      # so that an interrupted run still stops its cluster

pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
info() { echo "INFO: $*"; }
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
q() { "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@"; }

# --- a cluster of our own, and the guarded table -----------------------------------------------------
if ! cluster_start "$dir" "$port" >"$dir/start.log" 2>&1; then
  cat "$dir/start.log"
  fail "starting a cluster of our own in $dir on port $port"
  summary
fi
# cluster_start exported PGHOST/PGPORT for our cluster: everything below talks to it alone
if ! q >"$dir/setup.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;
INSERT INTO landpolicy.pbf_baseline (township, designated_m2, source)
SELECT (350121100 + t)::text, 100000, 'crash test' FROM generate_series(1, 4) t;
CREATE TABLE adj (id bigserial PRIMARY KEY, tag text NOT NULL UNIQUE, township landpolicy.admincode NOT NULL,
                  direction text NOT NULL, grade int NOT NULL, recorded_on date NOT NULL,
                  geom geometry(MultiPolygon, 4528) NOT NULL);
SELECT landpolicy.attach('adj', 'R2.3', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "geom": "geom"}');
SELECT landpolicy.attach('adj', 'R2.4', '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "geom": "geom"}');
-- a w × h m box in township t's own 10 km square, x m along it
CREATE FUNCTION box(t int, x int, w int, h int) RETURNS geometry
LANGUAGE sql IMMUTABLE
AS $$ SELECT ST_Multi(ST_MakeEnvelope(40500000 + t * 10000 + x, 2890000, 40500000 + t * 10000 + x + w, 2890000 + h, 4528)) $$;
-- some row's id, from a random number
CREATE FUNCTION pick(r bigint) RETURNS bigint
LANGUAGE sql STABLE
AS $$ SELECT a.id FROM adj a WHERE a.id >= r % (SELECT last_value FROM adj_id_seq) + 1 ORDER BY a.id LIMIT 1 $$;
-- the seed: 3 000 m² of supplements per township
INSERT INTO adj (tag, township, direction, grade, recorded_on, geom)
SELECT 'seed-' || t, (350121100 + t)::text, 'in', 5, '2026-01-01', box(t, 9500, 60, 50) FROM generate_series(1, 4) t;
SQL
then
  cat "$dir/setup.log"
  fail "setting up the guarded table"
  summary
fi

# --- the writers ---------------------------------------------------------------------------------
for w in $(seq 1 $writers); do
  awk -v w="$w" -v n="$statements" 'BEGIN {
    srand(w * 7919 + 17);
    for (i = 1; i <= n; i++) {
      p = int(rand() * 100); t = 1 + int(rand() * 4); x = int(rand() * 9000);
      bw = 5 + int(rand() * 36); bh = 5 + int(rand() * 36); r = int(rand() * 1000000000);
      if (p < 65)
        printf "INSERT INTO adj (tag, township, direction, grade, recorded_on, geom) VALUES (%s, %s, %s, 5, %s, box(%d, %d, %d, %d)) RETURNING %s || tag;\n",
               "'\''w" w "-" i "'\''", "'\''" (350121100 + t) "'\''", (p < 40 ? "'\''out'\''" : "'\''in'\''"), "'\''2026-03-01'\''", t, x, bw, bh, "'\''I '\''";
      else if (p < 85)
        printf "UPDATE adj SET geom = box(township::text::int - 350121100, %d, %d, %d) WHERE id = pick(%d);\n", x, bw, bh, r;
      else
        printf "DELETE FROM adj WHERE id = pick(%d) RETURNING %s || tag;\n", r, "'\''D '\''";
    }
  }' >"$dir/writer$w.sql"
done

seeded=$(q -c "SELECT count(*) FROM adj")
for w in $(seq 1 $writers); do
  PGOPTIONS='-c synchronous_commit=on -c landpolicy.lang=en' PGAPPNAME="lp_crash_writer$w" \
    "$PGBIN/psql" -X -q -At -d postgres -f "$dir/writer$w.sql" >"$dir/writer$w.out" 2>"$dir/writer$w.err" &
  pids+=($!)
done
sleep "$seconds"

# just before the stop: who is connected and still running
connected=$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'lp_crash_writer%'" 2>&1)
running=0
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
stop_out=$(as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop 2>&1)
stop_rc=$?
# the writers lose their connections and exit; none should outlive the server by long
for i in $(seq 1 50); do
  alive=0
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=$((alive + 1)); done
  [ "$alive" -eq 0 ] && break
  sleep 0.1
done
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
pids=()

if [ "$stop_rc" -eq 0 ] && [ "$connected" = "$writers" ] && [ "$running" -eq "$writers" ]; then
  pass "pg_ctl stop -m immediate with all $writers writers connected and running"
else
  fail "the stop: pg_ctl exit $stop_rc ($stop_out), $connected writer(s) connected, $running running, expected $writers"
fi

# --- restart ---------------------------------------------------------------------------------------
if as_server_user "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1 \
   && [ "$(q -c 'SELECT 1' 2>&1)" = 1 ]; then
  pass "the server came back after the immediate stop"
else
  fail "the server did not come back"; tail -n 20 "$dir/server.log" | sed 's/^/    /'
  summary
fi
if grep -q 'database system was not properly shut down; automatic recovery in progress' "$dir/server.log" \
   && grep -q 'redo done' "$dir/server.log"; then
  pass "it went through crash recovery ($(grep -o 'redo done at [0-9A-F/]*' "$dir/server.log" | tail -n 1))"
else
  fail "no crash recovery in the server log"; tail -n 20 "$dir/server.log" | sed 's/^/    /'
fi

# --- the ledgers after recovery ---------------------------------------------------------------------
got=$(q -c "SELECT count(*) FROM landpolicy.verify()" 2>&1)
if [ "$got" = 0 ]; then pass "landpolicy.verify() is empty after recovery"
else fail "landpolicy.verify() after recovery: $got disagreement(s)"; q -c "SELECT * FROM landpolicy.verify()" 2>&1 | head -n 20 | sed 's/^/    /'; fi

got=$(q -c "SELECT count(*) || ' townships, ' || count(*) FILTER (WHERE removed_m2 > cap_m2) || ' over the cap, '
                   || count(*) FILTER (WHERE supplemented_m2 < removed_m2) || ' supplemented < removed, max '
                   || max(pct_of_cap_used) || ' % of the cap used'
            FROM landpolicy.pbf_adjustment_status" 2>&1)
case "$got" in
  "4 townships, 0 over the cap, 0 supplemented < removed, max "*) pass "pbf_adjustment_status: $got" ;;
  *) fail "pbf_adjustment_status: $got (expected 4 townships, none over the cap, none supplemented < removed)"
     q -c "SELECT township, removed_m2, supplemented_m2, cap_m2 FROM landpolicy.pbf_adjustment_status ORDER BY 1" 2>&1 | sed 's/^/    /' ;;
esac

got=$(q -c "SELECT count(*) FROM (SELECT township, coalesce(sum(landpolicy.ledger_area(geom)) FILTER (WHERE direction = 'out'), 0) AS removed,
                                          coalesce(sum(landpolicy.ledger_area(geom)) FILTER (WHERE direction = 'in'), 0) AS supplemented
                                   FROM adj GROUP BY township) s
            WHERE removed > 5000 OR removed > supplemented" 2>&1)
if [ "$got" = 0 ]; then pass "adj itself: no township has more than 5 000 m² removed or more removed than supplemented"
else fail "adj itself: $got township(s) over the cap or under-supplemented"; fi

got=$(q -c "SELECT count(*) FROM (SELECT township::text AS scope, count(*) AS n FROM adj GROUP BY 1) t
            FULL JOIN (SELECT scope, entries FROM landpolicy.ledger WHERE rule = 'R2.3') a USING (scope)
            FULL JOIN (SELECT scope, entries FROM landpolicy.ledger WHERE rule = 'R2.4') b USING (scope)
            WHERE coalesce(t.n, 0) <> coalesce(a.entries, 0) OR coalesce(t.n, 0) <> coalesce(b.entries, 0)" 2>&1)
rows=$(q -c "SELECT string_agg(township || ':' || n, ' ' ORDER BY township) FROM (SELECT township, count(*) n FROM adj GROUP BY 1) s" 2>&1)
if [ "$got" = 0 ]; then pass "R2.3 and R2.4 ledgers: entries = rows per township ($rows)"
else fail "R2.3 / R2.4 ledgers: $got township(s) whose entries differ from the rows ($rows)"
     q -c "SELECT rule, scope, entries FROM landpolicy.ledger ORDER BY 1, 2" 2>&1 | sed 's/^/    /'; fi

# --- the writers were mid-flight, and what they were told was committed is there ---------------------
cat "$dir"/writer*.out >"$dir/acked"
{ grep '^I ' "$dir/acked" | cut -c3-; seq -f 'seed-%g' 1 4; } | sort -u >"$dir/acked_inserts"
grep '^D ' "$dir/acked" | cut -c3- | sort -u >"$dir/acked_deletes"
q -c "SELECT tag FROM adj" | sort -u >"$dir/present"
present=$(grep -vc '^seed-' "$dir/present")
refused=$(cat "$dir"/writer*.err | grep -c 'ERROR:  R2\.[34] ')
other=$(cat "$dir"/writer*.err | grep 'ERROR:' | grep -vE 'ERROR:  R2\.[34] ' | sed 's/^.*ERROR:  //' | sort | uniq -c | sort -rn | head -n 5)
info "the writers were told of $(grep -c '^I ' "$dir/acked") inserts and $(wc -l <"$dir/acked_deletes") deletes; $refused statements refused by R2.3/R2.4"
[ -n "$other" ] && info "other errors the writers got: $(echo "$other" | tr '\n' ';')"
if [ "$present" -gt 0 ] && [ "$refused" -gt 0 ]; then
  pass "the load did commit and was refused: $present written rows besides the $seeded seeded survive, $refused refusals"
else
  fail "the load: $present written rows survive, $refused refusals (expected some of each)"
fi
# an acknowledged delete must have stuck
undeleted=$(comm -12 "$dir/acked_deletes" "$dir/present" | wc -l)
# an acknowledged insert is there, or was deleted by an acknowledged delete, or by the one
# statement in flight of some writer (committed, not acknowledged)
missing=$(comm -23 "$dir/acked_inserts" "$dir/present" | comm -23 - "$dir/acked_deletes" | wc -l)
# a row present that no writer was told of: the in-flight insert of some writer
unacked=$(comm -23 "$dir/present" "$dir/acked_inserts" | wc -l)
if [ "$undeleted" -eq 0 ] && [ "$missing" -le "$writers" ] && [ "$unacked" -le "$writers" ] && [ $((missing + unacked)) -le "$writers" ]; then
  pass "no acknowledged commit lost: $undeleted acknowledged deletes undone, $missing acknowledged inserts missing, $unacked unacknowledged rows (≤ 1 in-flight statement per writer)"
else
  fail "acknowledged commits lost: $undeleted acknowledged deletes undone, $missing acknowledged inserts missing, $unacked unacknowledged rows present"
fi

# --- and the guards still hold ------------------------------------------------------------------------
got=$(q -c "SET landpolicy.lang = 'en';
            DO \$\$ BEGIN
              INSERT INTO adj (tag, township, direction, grade, recorded_on, geom)
              VALUES ('after', '350121101', 'out', 5, '2026-05-01', box(1, 0, 100, 60));
              RAISE NOTICE 'passed';
            EXCEPTION WHEN check_violation THEN RAISE NOTICE 'refused';
            END \$\$;" 2>&1)
if [ "$got" = "NOTICE:  refused" ]; then pass "after recovery a 6 000 m² removal (over the 5 000 m² cap) is refused"
else fail "after recovery a 6 000 m² removal: '$got', expected it refused"; fi
got=$(q -c "INSERT INTO adj (tag, township, direction, grade, recorded_on, geom)
            VALUES ('after-in', '350121101', 'in', 5, '2026-05-01', box(1, 0, 10, 10));
            SELECT count(*) FROM landpolicy.verify()" 2>&1)
if [ "$got" = 0 ]; then pass "after recovery a supplement is booked and verify() stays empty"
else fail "after recovery, a supplement then verify(): '$got'"; fi

summary
