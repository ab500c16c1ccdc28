#!/usr/bin/env bash
# `make bench`: the landpolicy benchmark suite, in one run, on one throwaway cluster.
#
# Uses the extension as installed (it builds and installs nothing: `make install` first).  Starts
# a cluster in $BENCH_DIR, generates the synthetic county (bench/generate.sql), loads the
# hand-written peers (bench/peer.sql), measures figures A–E, each against its baseline in the same
# run, profiles the guard path, and prints: the figures table (landpolicy | baseline | ratio |
# target | met?), the absolute numbers, whether the answers agree, the profiles, and the machine.
# Every timing is taken server-side (clock_timestamp() before and after the statement, in one
# session, each run in a fresh session) or by pgbench; each is run several times and the best
# run counts (the median is shown next to it).  The report is also written to $BENCH_DIR/report.txt.
#
# Reject mode and the COPY benchmarks: a COPY stops at its first refused row, and a third of the
# parcels touch the red line.  So that every row is measured in full and none refused, the reject-
# mode runs (A, B) raise overlap.tolerance_m2 for the bench county to 1e12 m² (a policy_param row,
# removed afterwards), and the peers get the same tolerance.  Neither the fast path nor the peers
# stop measuring early on a large tolerance.  Record mode (SQL path) runs with the real tolerance.
#
# Knobs (environment):
#   PARCELS=100000 REDLINE_POLYGONS=40 VERTICES=5000 PBF=2000 CHANGES=5000000   the county
#   GUARD_ROWS=$PARCELS  rows COPYed in A and B (ids are random, so ids 1..n are a random sample)
#   SQL_ROWS=10000     rows COPYed in record mode (landpolicy's SQL path, about 0.5 ms a row)
#   NAIVE_ROWS=1000    rows for the naive peer (raw 5,000-vertex layers)
#   PROFILE_ROWS=2000  rows for the track_functions profile of the SQL path
#   RUNS=3 (A, B, record mode)   LONG_RUNS=2 (C, E)   SHORT_RUNS=5 (D)
#   PGBENCH_SECONDS=8  length of each pgbench run in E
#   PERF=1             profile the fast path with perf (if installed; as root)
#   QUIET_WAIT=30 QUIET_TOTAL=300   before each group of measurements, wait up to QUIET_WAIT s (and
#                      QUIET_TOTAL s in all) for the machine to be idle (a shared machine slows runs down)
#   BENCH_DIR=/tmp/landpolicy-bench BENCH_PORT=54560   KEEP=1 leaves the cluster running
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cluster.sh

PARCELS=${PARCELS:-100000} REDLINE_POLYGONS=${REDLINE_POLYGONS:-40} VERTICES=${VERTICES:-5000}
PBF=${PBF:-2000} CHANGES=${CHANGES:-5000000}
GUARD_ROWS=${GUARD_ROWS:-$PARCELS} SQL_ROWS=${SQL_ROWS:-10000} NAIVE_ROWS=${NAIVE_ROWS:-1000} PROFILE_ROWS=${PROFILE_ROWS:-2000}
RUNS=${RUNS:-3} LONG_RUNS=${LONG_RUNS:-2} SHORT_RUNS=${SHORT_RUNS:-5} PGBENCH_SECONDS=${PGBENCH_SECONDS:-8} PERF=${PERF:-1}
BENCH_DIR=${BENCH_DIR:-/tmp/landpolicy-bench} BENCH_PORT=${BENCH_PORT:-54560} KEEP=${KEEP:-0}
[ "$GUARD_ROWS" -gt "$PARCELS" ] && GUARD_ROWS=$PARCELS
[ "$SQL_ROWS" -gt "$GUARD_ROWS" ] && SQL_ROWS=$GUARD_ROWS
[ "$NAIVE_ROWS" -gt "$SQL_ROWS" ] && NAIVE_ROWS=$SQL_ROWS
[ "$PROFILE_ROWS" -gt "$SQL_ROWS" ] && PROFILE_ROWS=$SQL_ROWS
command="PARCELS=$PARCELS GUARD_ROWS=$GUARD_ROWS SQL_ROWS=$SQL_ROWS NAIVE_ROWS=$NAIVE_ROWS RUNS=$RUNS LONG_RUNS=$LONG_RUNS SHORT_RUNS=$SHORT_RUNS PGBENCH_SECONDS=$PGBENCH_SECONDS bench/run.sh"

sharedir=$($PG_CONFIG --sharedir)
pkglibdir=$($PG_CONFIG --pkglibdir)
if [ ! -f "$sharedir/extension/landpolicy.control" ]; then
  echo "landpolicy is not installed in $sharedir/extension: run make install first" >&2
  exit 1
fi
command -v pgbench >/dev/null || PATH=$PGBIN:$PATH
installed() { cat "$sharedir"/extension/landpolicy--*.sql "$pkglibdir/landpolicy.so" | md5sum | cut -c1-12; }

# How busy the machine is: CPU time used over $1 (2) seconds, in CPUs.
cpu_busy() {
  local a b
  a=($(sed -n 's/^cpu //p' /proc/stat)); sleep "${1:-2}"; b=($(sed -n 's/^cpu //p' /proc/stat))
  awk -v u=$(( (b[0]+b[1]+b[2]+b[5]+b[6]+b[7]) - (a[0]+a[1]+a[2]+a[5]+a[6]+a[7]) )) \
      -v t=$(( (b[0]+b[1]+b[2]+b[3]+b[4]+b[5]+b[6]+b[7]) - (a[0]+a[1]+a[2]+a[3]+a[4]+a[5]+a[6]+a[7]) )) \
      -v n="$(nproc)" 'BEGIN { printf "%.2f", t ? n * u / t : 0 }'
}

# Before each group of measurements: wait (up to QUIET_WAIT s, QUIET_TOTAL s in all) for the
# machine to be idle, so that another process on the other CPU does not slow a measurement down.
QUIET_WAIT=${QUIET_WAIT:-30} QUIET_TOTAL=${QUIET_TOTAL:-300}
quiet_waited=0
wait_quiet() {
  local waited=0
  while [ "$(cpu_busy 0.5 | awk '{ print ($1 < 0.25) }')" != 1 ]; do
    if [ "$waited" -ge "$QUIET_WAIT" ] || [ "$quiet_waited" -ge "$QUIET_TOTAL" ]; then
      say "the machine is busy; measuring anyway"
      return
    fi
    sleep 1.5
    waited=$((waited + 2)); quiet_waited=$((quiet_waited + 2))
  done
}

t_start=$(date +%s)
started_at=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
busy_start=$(cpu_busy)
installed_start=$(installed)

# A cluster of our own: only a directory this script made (marked) is ever removed.
if [ -e "$BENCH_DIR" ]; then
  [ -f "$BENCH_DIR/.landpolicy-bench" ] || { echo "$BENCH_DIR exists and is not a bench cluster: set BENCH_DIR" >&2; exit 1; }
  cluster_stop "$BENCH_DIR"
  rm -rf "$BENCH_DIR"
fi
cluster_start "$BENCH_DIR" "$BENCH_PORT" >/dev/null
touch "$BENCH_DIR/.landpolicy-bench"
cat >>"$BENCH_DIR/data/postgresql.conf" <<CONF
# bench/run.sh
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_parallel_workers_per_gather = 2
max_wal_size = 4GB
checkpoint_timeout = 30min
autovacuum = off
jit = off
CONF
as_server_user "$PGBIN/pg_ctl" -D "$BENCH_DIR/data" -l "$BENCH_DIR/server.log" -w -t 60 restart >/dev/null
if [ "$KEEP" != 1 ]; then
  trap 'cluster_stop "$BENCH_DIR"' EXIT
fi
export PGDATABASE=landpolicy_bench
psql -X -q -d postgres -c "CREATE DATABASE landpolicy_bench"

q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
say() { printf '[%4ds] %s\n' $(( $(date +%s) - t_start )) "$*" >&2; }

q <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;
CREATE TABLE public.bench_run (
    figure  text NOT NULL,
    variant text NOT NULL,
    run     int NOT NULL,
    rows    bigint NOT NULL,
    seconds float8 NOT NULL,
    busy    float8,             -- CPUs busy on the whole machine meanwhile (ours included)
    build   text,               -- md5 of the installed extension files when the run started
    probe   float8,             -- seconds a fixed CPU-only query took just before (the machine's speed then)
    at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE public.bench_check (what text PRIMARY KEY, ok bool NOT NULL, detail text);
-- busy and total jiffies from the first line of /proc/stat
CREATE FUNCTION public.jiffies(stat text) RETURNS int8[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[f[2]::int8 + f[3]::int8 + f[4]::int8 + f[7]::int8 + f[8]::int8 + f[9]::int8,
                 f[2]::int8 + f[3]::int8 + f[4]::int8 + f[5]::int8 + f[6]::int8 + f[7]::int8 + f[8]::int8 + f[9]::int8]
    FROM regexp_split_to_array(split_part(stat, E'\n', 1), '\s+') f
$$;
SQL

# measure FIGURE VARIANT RUN ROWS SETUP STATEMENT: SETUP untimed, then STATEMENT timed, in one fresh session.
measure() {
  q -v fig="$1" -v var="$2" -v run="$3" -v rows="$4" -v ncpu="$(nproc)" -v build="$(installed)" <<SQL
SET client_min_messages = warning;
$5
SELECT clock_timestamp() AS p0 \gset
SELECT count(*) FROM generate_series(1, 1000000) \g /dev/null
SELECT extract(epoch FROM clock_timestamp() - :'p0'::timestamptz) AS probe \gset
SELECT pg_read_file('/proc/stat', 0, 256) AS s0, clock_timestamp() AS t0 \gset
\o /dev/null
$6
\o
SELECT pg_read_file('/proc/stat', 0, 256) AS s1, clock_timestamp() AS t1 \gset
INSERT INTO bench_run (figure, variant, run, rows, seconds, busy, build, probe)
SELECT :'fig', :'var', :run, :rows, extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz),
       :ncpu * (b[1] - a[1])::float8 / nullif(b[2] - a[2], 0), :'build', :probe
FROM (SELECT jiffies(:'s0') a, jiffies(:'s1') b) j;
SQL
}

# The bench county's tolerance: 1e12 m² while reject-mode COPYs run (nothing refused, all measured), else the shipped 1 m².
tolerance_wide() {
  q -o /dev/null <<'SQL'
INSERT INTO landpolicy.policy_param (key, jurisdiction, valid, value, unit, basis, note)
VALUES ('overlap.tolerance_m2', '350121', '(,)', 1e12, 'm2', 'bench/run.sh', 'measure every row in full, refuse none');
SQL
}
tolerance_real() {
  q -o /dev/null -c "DELETE FROM landpolicy.policy_param WHERE basis = 'bench/run.sh'"
}

# ---------------------------------------------------------------- the county and the peers
say "generating the county: $PARCELS parcels, $REDLINE_POLYGONS × $VERTICES-vertex red line, $PBF PBF polygons, $CHANGES changes"
t0=$(date +%s)
q -v parcels="$PARCELS" -v redline_polygons="$REDLINE_POLYGONS" -v vertices="$VERTICES" -v pbf="$PBF" \
  -v changes="$CHANGES" -f bench/generate.sql >"$BENCH_DIR/generate.out"
q -o /dev/null -f bench/peer.sql
generate_seconds=$(( $(date +%s) - t0 ))

opts_reject='{"use": "use", "date": "approved_on", "jurisdiction": "township", "key": "id"}'
opts_record='{"use": "use", "date": "approved_on", "jurisdiction": "township", "key": "id", "mode": "record"}'
q -o /dev/null -v reject="$opts_reject" -v record="$opts_record" -v guard_rows="$GUARD_ROWS" -v sql_rows="$SQL_ROWS" \
  -v naive_rows="$NAIVE_ROWS" -v dir="$BENCH_DIR" <<'SQL'
SET client_min_messages = warning;
-- A: identical tables (primary key, GiST index); lp_target guarded by R1.1 and R2.1 (reject mode),
-- floor_target by R2.2 alone (it concerns none of these rows: the cost of firing the guard at all),
-- rec_target by R1.1 and R2.1 in record mode (landpolicy's SQL path)
CREATE TABLE bench.plain_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.lp_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.floor_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.rec_target (LIKE bench.parcels INCLUDING ALL);
CREATE TABLE bench.profile_target (LIKE bench.parcels INCLUDING ALL);
SELECT landpolicy.attach('bench.lp_target', r, :'reject') FROM unnest(ARRAY['R1.1', 'R2.1']) r;
SELECT landpolicy.attach('bench.floor_target', 'R2.2', :'reject');
SELECT landpolicy.attach('bench.rec_target', r, :'record') FROM unnest(ARRAY['R1.1', 'R2.1']) r;
SELECT landpolicy.attach('bench.profile_target', r, :'record') FROM unnest(ARRAY['R1.1', 'R2.1']) r;
-- C: the same rules on the parcels themselves (attach checks no existing row; audit() does)
SELECT landpolicy.attach('bench.parcels', r, :'record') FROM unnest(ARRAY['R1.1', 'R2.1']) r;
-- the COPY files (server-side, in the cluster's directory)
SELECT format('COPY (SELECT * FROM bench.parcels WHERE id <= %s ORDER BY id) TO %L', n, :'dir' || '/' || f || '.copy')
FROM (VALUES ('guard', :guard_rows), ('sql', :sql_rows), ('naive', :naive_rows)) v(f, n) \gexec
-- E: R2.3 on the adjustments; an identical table with no rule for the context line
CREATE TABLE bench.pbf_adjustment_plain (LIKE bench.pbf_adjustment INCLUDING ALL);
SELECT landpolicy.attach('bench.pbf_adjustment', 'R2.3',
       '{"township": "township", "direction": "direction", "grade": "grade", "date": "recorded_on", "geom": "geom"}');
VACUUM ANALYZE;
CHECKPOINT;
SQL
sample() {   # sample N: what the first N parcels are
  q -At -c "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bench.peer_redline r WHERE ST_Intersects(r.geom, p.geom)))
                   || ' touch the red line, ' || count(*) FILTER (WHERE landpolicy.lc_three_class(use) = 'construction') || ' of construction use'
            FROM bench.parcels p WHERE id <= $1"
}
guard_sample=$(sample "$GUARD_ROWS")
sql_sample=$(sample "$SQL_ROWS")
say "county ready in ${generate_seconds}s; A/B rows: $GUARD_ROWS ($guard_sample)"

# ---------------------------------------------------------------- A. guarded COPY vs plain COPY (reject mode: the fast path)
tolerance_wide
for run in $(seq 1 "$RUNS"); do
  wait_quiet
  say "A  run $run: COPY $GUARD_ROWS rows: no triggers; R2.2 only (guard floor); R1.1 + R2.1; R1.1 + R2.1 again in a warm session"
  measure A plain "$run" "$GUARD_ROWS" "TRUNCATE bench.plain_target; CHECKPOINT;" \
    "COPY bench.plain_target FROM '$BENCH_DIR/guard.copy';"
  measure A "floor (R2.2, concerns no row)" "$run" "$GUARD_ROWS" "TRUNCATE bench.floor_target; CHECKPOINT;" \
    "COPY bench.floor_target FROM '$BENCH_DIR/guard.copy';"
  measure A landpolicy "$run" "$GUARD_ROWS" "TRUNCATE bench.lp_target; CHECKPOINT;" \
    "COPY bench.lp_target FROM '$BENCH_DIR/guard.copy';"
  measure A "landpolicy, warm session" "$run" "$GUARD_ROWS" \
    "TRUNCATE bench.lp_target; COPY bench.lp_target FROM '$BENCH_DIR/guard.copy'; TRUNCATE bench.lp_target; CHECKPOINT;" \
    "COPY bench.lp_target FROM '$BENCH_DIR/guard.copy';"
done

# ---------------------------------------------------------------- B. the hand-written peers (reject mode)
for run in $(seq 1 "$RUNS"); do
  wait_quiet
  say "B  run $run: COPY $GUARD_ROWS rows through the PL/pgSQL peer (subdivided layers); $NAIVE_ROWS through the naive peer"
  measure B peer "$run" "$GUARD_ROWS" "TRUNCATE bench.peer_target; CHECKPOINT;" \
    "COPY bench.peer_target FROM '$BENCH_DIR/guard.copy';"
  measure B naive "$run" "$NAIVE_ROWS" "TRUNCATE bench.naive_target; CHECKPOINT;" \
    "COPY bench.naive_target FROM '$BENCH_DIR/naive.copy';"
done
tolerance_real

# The guard is live: with the real tolerance, a violating row is refused (23514, constraint R1.1).
q -o /dev/null <<'SQL'
CREATE TABLE bench.one_violation AS
SELECT p.* FROM bench.parcels p
 WHERE landpolicy.lc_three_class(p.use) = 'construction'
   AND EXISTS (SELECT 1 FROM bench.peer_redline r WHERE ST_Within(p.geom, r.geom))
 ORDER BY p.id LIMIT 1;
DO $$
DECLARE
    st text;
    cn text;
BEGIN
    TRUNCATE bench.lp_target;
    BEGIN
        INSERT INTO bench.lp_target SELECT * FROM bench.one_violation;
        st := 'none';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, cn = CONSTRAINT_NAME;
    END;
    INSERT INTO bench_check VALUES ('A: the reject-mode guard refuses a violating row (fast path, real tolerance)',
                                    st = '23514' AND cn = 'R1.1', format('SQLSTATE %s, constraint %s', st, cn));
END
$$;
SQL

# ---------------------------------------------------------------- record mode: landpolicy's SQL path
for run in $(seq 1 "$RUNS"); do
  wait_quiet
  say "A' run $run: COPY $SQL_ROWS rows in record mode: no triggers; landpolicy (SQL path); PL/pgSQL peer"
  measure "A'" "plain (record-mode sample)" "$run" "$SQL_ROWS" "TRUNCATE bench.plain_target; CHECKPOINT;" \
    "COPY bench.plain_target FROM '$BENCH_DIR/sql.copy';"
  measure "A'" "landpolicy record mode" "$run" "$SQL_ROWS" "TRUNCATE bench.rec_target, landpolicy.violation_log; CHECKPOINT;" \
    "COPY bench.rec_target FROM '$BENCH_DIR/sql.copy';"
  measure "A'" "peer record mode" "$run" "$SQL_ROWS" "TRUNCATE bench.peer_rec_target, bench.peer_violation; CHECKPOINT;" \
    "COPY bench.peer_rec_target FROM '$BENCH_DIR/sql.copy';"
done
q -o /dev/null <<'SQL'
CREATE TABLE bench.lp_violation AS SELECT rule, row_key::int AS parcel_id, (violation).measured AS overlap_m2 FROM landpolicy.violation_log;
CREATE TABLE bench.peer_violation_sample AS SELECT rule, parcel_id, overlap_m2 FROM bench.peer_violation;
INSERT INTO bench_check
SELECT 'A'': record mode logs the same (rule, parcel) as the PL/pgSQL peer',
       NOT EXISTS (SELECT rule, parcel_id FROM bench.lp_violation EXCEPT SELECT rule, parcel_id FROM bench.peer_violation_sample)
       AND NOT EXISTS (SELECT rule, parcel_id FROM bench.peer_violation_sample EXCEPT SELECT rule, parcel_id FROM bench.lp_violation),
       format('%s vs %s violations (R1.1 %s, R2.1 %s); largest difference in overlap %s m²',
              (SELECT count(*) FROM bench.lp_violation), (SELECT count(*) FROM bench.peer_violation_sample),
              (SELECT count(*) FROM bench.lp_violation WHERE rule = 'R1.1'), (SELECT count(*) FROM bench.lp_violation WHERE rule = 'R2.1'),
              (SELECT to_char(max(abs(l.overlap_m2 - p.overlap_m2)), '9.9EEEE') FROM bench.lp_violation l JOIN bench.peer_violation_sample p USING (rule, parcel_id)));
TRUNCATE bench.peer_violation;
SQL
q -o /dev/null -v dir="$BENCH_DIR" -v naive_rows="$NAIVE_ROWS" <<'SQL'
SELECT format('COPY bench.naive_rec_target FROM %L', :'dir' || '/naive.copy') \gexec
INSERT INTO bench_check
SELECT 'B: the naive peer flags the same (rule, parcel) as the subdivided peer on its rows',
       NOT EXISTS (SELECT rule, parcel_id FROM bench.peer_violation EXCEPT SELECT rule, parcel_id FROM bench.peer_violation_sample WHERE parcel_id <= :naive_rows)
       AND NOT EXISTS (SELECT rule, parcel_id FROM bench.peer_violation_sample WHERE parcel_id <= :naive_rows EXCEPT SELECT rule, parcel_id FROM bench.peer_violation),
       format('%s violations in %s rows', (SELECT count(*) FROM bench.peer_violation), :naive_rows);
SQL

# ---------------------------------------------------------------- C. audit vs hand-written SQL
for run in $(seq 1 "$LONG_RUNS"); do
  wait_quiet
  say "C  run $run: landpolicy.audit() over $PARCELS parcels"
  measure C landpolicy "$run" "$PARCELS" "DROP TABLE IF EXISTS bench.audit_lp; CHECKPOINT;" \
    "CREATE TABLE bench.audit_lp AS SELECT (a.v).rule AS rule, a.row_key, (a.v).measured AS measured FROM landpolicy.audit('bench.parcels') a;"
  wait_quiet
  say "C  run $run: hand-written set-based SQL over $PARCELS parcels; the fast path's measurement of the same rows"
  measure C hand "$run" "$PARCELS" "DROP TABLE IF EXISTS bench.audit_hand; CHECKPOINT;" \
    "CREATE TABLE bench.audit_hand AS SELECT * FROM bench.hand_audit;"
  # what an audit through the fast path would cost: landpolicy.fast_overlap() (the guard's measurement,
  # exposed for tests) of every construction parcel against both layers, in one statement
  measure C "fast path measurement (fast_overlap)" "$run" "$PARCELS" "DROP TABLE IF EXISTS bench.fast_verdict; CHECKPOINT;" \
    "CREATE TABLE bench.fast_verdict AS
     SELECT l.rule, p.id::text AS row_key, (landpolicy.fast_overlap(l.kind, p.geom)).counted_m2 AS measured
     FROM bench.parcels p, (VALUES ('R1.1', 'eco_redline'), ('R2.1', 'pbf')) l(rule, kind)
     WHERE landpolicy.lc_three_class(p.use) = 'construction';"
done
say "checking the answers: audit() vs hand-written SQL, and the fast path's measurements vs both"
q -o /dev/null <<'SQL'
INSERT INTO bench_check
SELECT 'C: audit() and the hand-written SQL give the same answer (count and keys)',
       (SELECT count(*) FROM bench.audit_lp) = (SELECT count(*) FROM bench.audit_hand)
       AND NOT EXISTS (SELECT rule, row_key FROM bench.audit_lp EXCEPT SELECT rule, row_key FROM bench.audit_hand)
       AND NOT EXISTS (SELECT rule, row_key FROM bench.audit_hand EXCEPT SELECT rule, row_key FROM bench.audit_lp),
       format('%s vs %s rows (R1.1 %s, R2.1 %s); largest difference in measured overlap %s m²',
              (SELECT count(*) FROM bench.audit_lp), (SELECT count(*) FROM bench.audit_hand),
              (SELECT count(*) FROM bench.audit_lp WHERE rule = 'R1.1'), (SELECT count(*) FROM bench.audit_lp WHERE rule = 'R2.1'),
              (SELECT to_char(max(abs(l.measured - h.measured)), '9.9EEEE') FROM bench.audit_lp l JOIN bench.audit_hand h USING (rule, row_key)));
-- The fast path's own measurement (landpolicy.fast_overlap, what the reject-mode guard uses) of every
-- construction parcel (bench.fast_verdict, made in C): the same violations as the hand-written SQL at
-- the real tolerance of 1 m².
INSERT INTO bench_check
SELECT 'A/B: the fast path''s measurements flag the same (rule, parcel) as the hand-written SQL',
       NOT EXISTS (SELECT rule, row_key FROM bench.fast_verdict WHERE measured > 1 EXCEPT SELECT rule, row_key FROM bench.audit_hand)
       AND NOT EXISTS (SELECT rule, row_key FROM bench.audit_hand EXCEPT SELECT rule, row_key FROM bench.fast_verdict WHERE measured > 1)
       AND NOT EXISTS (SELECT 1 FROM bench.fast_verdict WHERE measured IS NULL),
       format('%s construction parcels × 2 layers measured, %s over 1 m²; largest difference from the hand-written overlap %s m²',
              (SELECT count(*) / 2 FROM bench.fast_verdict), (SELECT count(*) FROM bench.fast_verdict WHERE measured > 1),
              (SELECT to_char(max(abs(f.measured - h.measured)), '9.9EEEE') FROM bench.fast_verdict f JOIN bench.audit_hand h USING (rule, row_key)));
SQL

# ---------------------------------------------------------------- D. balance aggregates
q -c "CHECKPOINT"
for run in $(seq 1 "$SHORT_RUNS"); do
  wait_quiet
  say "D  run $run: sum() and inout_balance() over $CHANGES changes by county and year, serial and 2 workers"
  for w in 0 2; do
    mode=$([ $w = 0 ] && echo serial || echo parallel)
    measure D "sum $mode" "$run" "$CHANGES" "SET max_parallel_workers_per_gather = $w;" \
      "SELECT county, year, sum(area_m2) FROM bench.land_change GROUP BY county, year;"
    measure D "inout_balance $mode" "$run" "$CHANGES" "SET max_parallel_workers_per_gather = $w;" \
      "SELECT county, year, landpolicy.inout_balance(from_class, to_class, area_m2, grade) FROM bench.land_change GROUP BY county, year;"
  done
done
q -o /dev/null <<'SQL'
SET max_parallel_workers_per_gather = 2;
CREATE TEMP TABLE p AS SELECT county::text AS county, year, (landpolicy.inout_balance(from_class, to_class, area_m2, grade)).* FROM bench.land_change GROUP BY county, year;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE s AS SELECT county::text AS county, year, (landpolicy.inout_balance(from_class, to_class, area_m2, grade)).* FROM bench.land_change GROUP BY county, year;
INSERT INTO bench_check
SELECT 'D: inout_balance() gives the same balances serial and parallel (to 1e-9 relative)',
       NOT EXISTS (SELECT 1 FROM s FULL JOIN p USING (county, year)
                   WHERE p.county IS NULL OR s.county IS NULL
                      OR abs(s.out_m2 - p.out_m2) > 1e-9 * greatest(abs(s.out_m2), 1) OR abs(s.in_m2 - p.in_m2) > 1e-9 * greatest(abs(s.in_m2), 1)),
       format('%s county-year groups', (SELECT count(*) FROM s));
SQL

# ---------------------------------------------------------------- E. ledger writes under R2.3
sed 's/INSERT INTO bench\.pbf_adjustment /INSERT INTO bench.pbf_adjustment_plain /' bench/ledger.pgbench >"$BENCH_DIR/plain.pgbench"
echo 'SELECT count(*) FROM generate_series(1, 200000);' >"$BENCH_DIR/cpu.pgbench"
nproc=$(nproc)
pgbench_run() {   # pgbench_run VARIANT RUN CLIENTS SCRIPT [SECONDS]
  local c=$3 j out tps n failed s0 s1 build probe
  j=$(( c < nproc ? c : nproc ))
  build=$(installed)
  probe=$(q -At <<<"SELECT clock_timestamp() AS p0 \gset
SELECT count(*) FROM generate_series(1, 1000000) \g /dev/null
SELECT extract(epoch FROM clock_timestamp() - :'p0'::timestamptz)")
  s0=$(head -1 /proc/stat)
  out=$(pgbench -n -M prepared -f "$4" -c "$c" -j "$j" -T "${5:-$PGBENCH_SECONDS}" 2>&1) || { echo "$out" >&2; return 1; }
  s1=$(head -1 /proc/stat)
  tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
  n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
  if [ -z "$tps" ] || [ "${failed:-0}" != 0 ]; then echo "$out" >&2; echo "pgbench failed" >&2; return 1; fi
  q -v s0="$s0" -v s1="$s1" -v ncpu="$nproc" -v build="$build" -v probe="$probe" <<<"INSERT INTO bench_run (figure, variant, run, rows, seconds, busy, build, probe)
    SELECT 'E', '$1', $2, $n, $n / $tps, :ncpu * (b[1] - a[1])::float8 / nullif(b[2] - a[2], 0), :'build', :probe FROM (SELECT jiffies(:'s0') a, jiffies(:'s1') b) j"
}
reset_r23="SET client_min_messages = warning;
SELECT landpolicy.detach('bench.pbf_adjustment', 'R2.3');
TRUNCATE bench.pbf_adjustment;
SELECT landpolicy.attach('bench.pbf_adjustment', 'R2.3', '{\"township\": \"township\", \"direction\": \"direction\", \"grade\": \"grade\", \"date\": \"recorded_on\", \"geom\": \"geom\"}');
VACUUM landpolicy.ledger;
CHECKPOINT;"
for run in $(seq 1 "$LONG_RUNS"); do
  wait_quiet
  for c in 1 4; do
    wait_quiet
    say "E  run $run: R2.3 inserts, $c client(s) on $c township(s), ${PGBENCH_SECONDS}s; then the same without the rule"
    q -o /dev/null <<<"$reset_r23"
    pgbench_run "R2.3, $c client(s)" "$run" "$c" bench/ledger.pgbench
    q -o /dev/null -v run="$run" -v c="$c" <<'SQL'
INSERT INTO bench_check
SELECT format('E: the R2.3 ledger equals its rows after run %s, %s client(s) (verify())', :run, :c), count(*) = 0,
       format('%s disagreements; %s adjustments booked', count(*), (SELECT count(*) FROM bench.pbf_adjustment))
FROM landpolicy.verify();
SQL
    q -o /dev/null <<<"TRUNCATE bench.pbf_adjustment_plain; CHECKPOINT;"
    pgbench_run "plain, $c client(s)" "$run" "$c" "$BENCH_DIR/plain.pgbench"
  done
  wait_quiet
  say "E  run $run: CPU calibration, a pure-CPU query from 1 and 2 clients, 3s each"
  pgbench_run "CPU calibration, 1 client(s)" "$run" 1 "$BENCH_DIR/cpu.pgbench" 3
  pgbench_run "CPU calibration, 2 client(s)" "$run" 2 "$BENCH_DIR/cpu.pgbench" 3
done

# ---------------------------------------------------------------- where the guard's time goes
say "profile: COPY $PROFILE_ROWS rows in record mode (SQL path) with track_functions = all"
q -o /dev/null <<SQL
TRUNCATE bench.profile_target, landpolicy.violation_log;
SELECT pg_stat_reset();
SET track_functions = 'all';
COPY bench.profile_target FROM PROGRAM 'head -n $PROFILE_ROWS $BENCH_DIR/sql.copy';
SQL
perf_ok=0
if [ "$PERF" = 1 ] && command -v perf >/dev/null && [ "$(id -u)" -eq 0 ]; then
  say "profile: COPY $GUARD_ROWS rows through R1.1 + R2.1 in reject mode (fast path) under perf"
  tolerance_wide
  wait_quiet
  if q -o /dev/null <<SQL
TRUNCATE bench.lp_target;
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_BACKEND :pid
\! perf record -F 499 --call-graph dwarf,32768 -o $BENCH_DIR/perf.data -p \$BENCH_BACKEND >$BENCH_DIR/perf.log 2>&1 & echo \$! >$BENCH_DIR/perf.pid; sleep 1
COPY bench.lp_target FROM '$BENCH_DIR/guard.copy';
\! kill -INT \$(cat $BENCH_DIR/perf.pid); while kill -0 \$(cat $BENCH_DIR/perf.pid) 2>/dev/null; do sleep 0.2; done
SQL
  then
    perf report -i "$BENCH_DIR/perf.data" --stdio --no-children -g none --sort dso --percent-limit 1 2>/dev/null \
      | grep -E '^ +[0-9]' >"$BENCH_DIR/perf.dso" || true
    perf report -i "$BENCH_DIR/perf.data" --stdio --children -g none --sort sym --percent-limit 0.3 2>/dev/null \
      | grep -E '^ +[0-9]' >"$BENCH_DIR/perf.sym" || true
    [ -s "$BENCH_DIR/perf.sym" ] && perf_ok=1
  fi
  tolerance_real
fi

t_end=$(date +%s)
busy_end=$(cpu_busy)
installed_end=$(installed)

# ---------------------------------------------------------------- the report
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
ram=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
{
q -v guard_rows="$GUARD_ROWS" -v sql_rows="$SQL_ROWS" -v naive_rows="$NAIVE_ROWS" -v parcels="$PARCELS" -v changes="$CHANGES" <<'SQL'
\pset footer off
CREATE TEMP VIEW best AS
SELECT figure, variant, count(*) AS runs, max(rows) AS rows,
       min(seconds) AS best_s,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_s,
       max(rows) / min(seconds) AS best_rate,
       (array_agg(busy ORDER BY seconds))[1] AS best_busy, max(busy) AS max_busy,
       (array_agg(probe ORDER BY seconds))[1] / (SELECT min(probe) FROM bench_run) AS best_probe,
       max(probe) / (SELECT min(probe) FROM bench_run) AS max_probe
FROM bench_run GROUP BY figure, variant;
CREATE TEMP VIEW fig AS
WITH b AS (SELECT figure || ':' || variant AS k, * FROM best),
v AS (SELECT (SELECT best_s FROM b WHERE k = 'A:landpolicy') AS a_lp, (SELECT best_s FROM b WHERE k = 'A:plain') AS a_plain,
             (SELECT best_s FROM b WHERE k = 'A:floor (R2.2, concerns no row)') AS a_floor,
             (SELECT best_s FROM b WHERE k = 'A:landpolicy, warm session') AS a_warm,
             (SELECT best_s FROM b WHERE k = 'A'':landpolicy record mode') AS r_lp, (SELECT best_s FROM b WHERE k = 'A'':plain (record-mode sample)') AS r_plain,
             (SELECT best_s FROM b WHERE k = 'A'':peer record mode') AS r_peer,
             (SELECT best_s FROM b WHERE k = 'B:peer') AS b_peer,
             (SELECT best_s FROM b WHERE k = 'B:naive') * :guard_rows / :naive_rows AS b_naive_scaled,
             (SELECT best_s FROM b WHERE k = 'C:landpolicy') AS c_lp, (SELECT best_s FROM b WHERE k = 'C:hand') AS c_hand,
             (SELECT best_s FROM b WHERE k = 'C:fast path measurement (fast_overlap)') AS c_fast,
             (SELECT best_s FROM b WHERE k = 'D:inout_balance serial') AS d_in_s, (SELECT best_s FROM b WHERE k = 'D:sum serial') AS d_sum_s,
             (SELECT best_s FROM b WHERE k = 'D:inout_balance parallel') AS d_in_p, (SELECT best_s FROM b WHERE k = 'D:sum parallel') AS d_sum_p,
             (SELECT best_rate FROM b WHERE k = 'E:R2.3, 1 client(s)') AS e1, (SELECT best_rate FROM b WHERE k = 'E:R2.3, 4 client(s)') AS e4,
             (SELECT best_rate FROM b WHERE k = 'E:plain, 1 client(s)') AS p1, (SELECT best_rate FROM b WHERE k = 'E:plain, 4 client(s)') AS p4,
             (SELECT best_rate FROM b WHERE k = 'E:CPU calibration, 1 client(s)') AS k1, (SELECT best_rate FROM b WHERE k = 'E:CPU calibration, 2 client(s)') AS k2)
SELECT t.* FROM v, LATERAL (VALUES
  (1, format('A   guarded COPY, %s rows, reject mode (fast path)', :guard_rows),
      to_char(a_lp, 'FM99990.000') || ' s', to_char(a_plain, 'FM99990.000') || ' s, no triggers', a_lp / a_plain, 'time ≤ 2.0×', a_lp / a_plain <= 2.0),
  (2, '    context: R2.2 attached, concerns no row (guard floor)',
      to_char(a_floor, 'FM99990.000') || ' s', to_char(a_plain, 'FM99990.000') || ' s, no triggers', a_floor / a_plain, '', NULL),
  (2.5, '    context: second COPY in the same session (caches warm)',
      to_char(a_warm, 'FM99990.000') || ' s', to_char(a_plain, 'FM99990.000') || ' s, no triggers', a_warm / a_plain, '', NULL),
  (3, format('    context: record mode (SQL path), %s rows', :sql_rows),
      to_char(r_lp, 'FM99990.000') || ' s', to_char(r_plain, 'FM99990.000') || ' s, no triggers', r_lp / r_plain, '', NULL),
  (4, format('B   vs PL/pgSQL peer, subdivided, %s rows', :guard_rows),
      to_char(a_lp, 'FM99990.000') || ' s', to_char(b_peer, 'FM99990.000') || ' s, peer', a_lp / b_peer, 'time ≤ 0.33× (3× faster)', b_peer / a_lp >= 3.0),
  (4.5, '    context: the triggers alone (time minus plain COPY)',
      to_char(a_lp - a_plain, 'FM99990.000') || ' s', to_char(b_peer - a_plain, 'FM99990.000') || ' s, peer', (a_lp - a_plain) / (b_peer - a_plain), '', NULL),
  (5, format('    context: vs naive peer, raw layers (%s rows ×%s)', :naive_rows, round(:guard_rows::numeric / :naive_rows)),
      to_char(a_lp, 'FM99990.000') || ' s', to_char(b_naive_scaled, 'FM99990.000') || ' s, scaled', a_lp / b_naive_scaled, '', NULL),
  (6, format('    context: record mode vs peer record mode, %s rows', :sql_rows),
      to_char(r_lp, 'FM99990.000') || ' s', to_char(r_peer, 'FM99990.000') || ' s, peer', r_lp / r_peer, '', NULL),
  (7, format('C   audit() of %s rows vs hand-written SQL', :parcels),
      to_char(c_lp, 'FM99990.000') || ' s', to_char(c_hand, 'FM99990.000') || ' s, SQL', c_lp / c_hand, 'time ≤ 1.0×', c_lp <= c_hand),
  (7.5, '    context: the fast path''s measurement, same rows (fast_overlap)',
      to_char(c_fast, 'FM99990.000') || ' s', to_char(c_hand, 'FM99990.000') || ' s, SQL', c_fast / c_hand, '', NULL),
  (8, format('D   inout_balance vs sum(), serial, %s rows', :changes),
      to_char(d_in_s, 'FM99990.000') || ' s', to_char(d_sum_s, 'FM99990.000') || ' s, sum()', d_in_s / d_sum_s, 'time ≤ 1.25×', d_in_s / d_sum_s <= 1.25),
  (9, 'D   inout_balance, 2 workers vs serial',
      to_char(d_in_p, 'FM99990.000') || ' s', to_char(d_in_s, 'FM99990.000') || ' s, serial', d_in_p / d_in_s, 'time < 1.0×', d_in_p < d_in_s),
  (10, '    context: sum(), 2 workers vs serial',
      to_char(d_sum_p, 'FM99990.000') || ' s', to_char(d_sum_s, 'FM99990.000') || ' s, serial', d_sum_p / d_sum_s, '', NULL),
  (11, 'E   R2.3 inserts, 4 clients (4 townships) vs 1',
      to_char(e4, 'FM999990') || ' tps', to_char(e1, 'FM999990') || ' tps, 1 client', e4 / e1, 'scale ≥ 1.6×', e4 / e1 >= 1.6),
  (12, '    context: plain inserts (no rule), 4 clients vs 1',
      to_char(p4, 'FM999990') || ' tps', to_char(p1, 'FM999990') || ' tps, 1 client', p4 / p1, '', NULL),
  (13, '    context: pure-CPU query, 2 clients vs 1 (machine)',
      to_char(k2, 'FM999990') || ' tps', to_char(k1, 'FM999990') || ' tps, 1 client', k2 / k1, '', NULL)
) t(n, figure, landpolicy, baseline, ratio, target, met);
\echo
\echo '== landpolicy benchmark: figures (best run of each; ratio = landpolicy / baseline; E: 4 clients / 1) =='
SELECT figure, landpolicy, baseline, to_char(ratio, 'FM99990.00') || '×' AS ratio, target,
       CASE WHEN met THEN 'yes' WHEN NOT met THEN 'NO' ELSE '' END AS "met?"
FROM fig ORDER BY n;
\echo '== absolute numbers (every run kept; best = fastest run, median for the spread) =='
SELECT figure, variant, runs, rows, to_char(best_s, 'FM99990.000') AS best_s, to_char(median_s, 'FM99990.000') AS median_s,
       to_char(best_rate, 'FM999999990') AS "rows/s",
       to_char(1e6 / best_rate, 'FM99990.0') AS "µs/row",
       to_char(best_busy, 'FM0.00') AS "CPUs busy", to_char(max_busy, 'FM0.00') AS "(max)",
       to_char(best_probe, 'FM0.00') AS "probe", to_char(max_probe, 'FM0.00') AS "(max) "
FROM best ORDER BY figure, variant;
\echo 'CPUs busy: the whole machine during the best run (ours included; max over all runs): a serial statement keeps ~1'
\echo 'busy, 2 workers or several clients up to 2; more (> ~1.3 for serial A, B, A'', C) means another process shared the CPUs.'
\echo 'probe: a fixed CPU-only query just before the best run (max over all runs), relative to its fastest time in this run:'
\echo 'above ~1.15 the machine itself was slow then (a noisy neighbour on the host, which CPUs busy cannot see).'
\echo '== answers =='
SELECT CASE WHEN ok THEN 'yes' ELSE 'NO' END AS agree, what, detail FROM bench_check ORDER BY what;
\echo '== installed build (md5 of the extension files) each measurement started with =='
SELECT build, count(*) AS runs, string_agg(DISTINCT figure, ', ') AS figures,
       to_char(min(at), 'HH24:MI:SS') AS first, to_char(max(at), 'HH24:MI:SS') AS last
FROM bench_run GROUP BY build ORDER BY min(at);
SQL
if [ "$perf_ok" = 1 ]; then
  echo "== fast path profile: perf (dwarf call graphs, 499 Hz) of the reject-mode COPY of $GUARD_ROWS rows =="
  echo "-- self time by library:"
  sed 's/[[:space:]]*$//' "$BENCH_DIR/perf.dso"
  echo "-- inclusive time, selected frames (% of the backend's samples):"
  awk '{ s = $4; for (i = 5; i <= NF; i++) s = s " " $i; printf "%8s  %s\n", $1, s }' "$BENCH_DIR/perf.sym" \
    | grep -E ' (CopyFrom|NextCopyFrom|heap_multi_insert|ExecInsertIndexTuples|gistinsert|btinsert|AfterTriggerEndQuery|enforce|FastPathEvaluate|Measure|GEOSSTRtree_query_r|GEOSPreparedIntersects_r|GEOSPreparedContainsProperly_r|GEOSIntersection_r|GEOSUnaryUnion_r|GEOSisValid_r|ToGeos|CachedParam|SPI_execute_with_args|RuleHasExemptions|BecomeOwner|LayerCacheGet|LayerCacheBuild|RuleJudge|SPI_connect|SPI_finish|RowKey|RuleApplies)$' \
    | awk '!seen[$2]++' || true
fi
echo "== SQL path profile: COPY of $PROFILE_ROWS rows in record mode, track_functions = all (times include tracking overhead) =="
q <<'SQL'
\pset footer off
SELECT funcname AS function, calls, round(total_time::numeric, 1) AS total_ms, round(self_time::numeric, 1) AS self_ms,
       round((100 * self_time / sum(self_time) OVER ())::numeric, 1) AS "self %",
       round((1000 * total_time / calls)::numeric, 1) AS "µs/call"
FROM pg_stat_user_functions
WHERE self_time > 0
ORDER BY self_time DESC LIMIT 16;
SELECT round(sum(self_time) FILTER (WHERE funcname LIKE 'st\_%')::numeric, 1) AS "PostGIS functions ms",
       round(sum(self_time) FILTER (WHERE funcname = 'layer_overlap')::numeric, 1) AS "layer_overlap's own query ms",
       round(sum(self_time) FILTER (WHERE funcname NOT LIKE 'st\_%' AND funcname <> 'layer_overlap')::numeric, 1) AS "plpgsql/SQL/SPI plumbing ms",
       round(max(total_time) FILTER (WHERE funcname = 'enforce')::numeric, 1) AS "enforce total ms"
FROM pg_stat_user_functions;
SQL
echo "== settings =="
q -At <<'SQL'
SELECT string_agg(name || ' = ' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'max_parallel_workers', 'fsync',
               'synchronous_commit', 'full_page_writes', 'autovacuum', 'jit', 'landpolicy.fast_path');
SQL
echo "fsync, synchronous_commit and full_page_writes are off (throwaway cluster: commits are not durable); autovacuum is off"
echo "(the generator and the runner VACUUM explicitly); jit is off (so that JIT's cost threshold does not decide D)."
echo "== machine =="
echo "date:        $started_at; the run took $(( t_end - t_start )) s (county ${generate_seconds} s, measurements $(( t_end - t_start - generate_seconds )) s)"
echo "host:        $(uname -srm), $nproc CPUs ($cpu), $ram RAM"
echo "other load:  $busy_start CPUs busy before the run, $busy_end after (sampled over 2 s; anything above ~0.1 means a shared machine);"
echo "             waited ${quiet_waited} s in all for the machine to be idle before groups of measurements"
echo "PostgreSQL:  $(q -At -c 'SHOW server_version')"
echo "PostGIS:     $(q -At -c "SELECT postgis_lib_version() || ', GEOS ' || postgis_geos_version()")"
echo "landpolicy:  $(q -At -c "SELECT extversion FROM pg_extension WHERE extname = 'landpolicy'") as installed ($sharedir/extension, $pkglibdir/landpolicy.so; md5 $installed_start$([ "$installed_start" != "$installed_end" ] && echo ", CHANGED during the run to $installed_end: numbers mix two builds"))"
echo "source:      $(git log -1 --format='%h %s' 2>/dev/null | cut -c1-80)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
echo "county:      $PARCELS parcels, red line $REDLINE_POLYGONS × $VERTICES vertices, $PBF PBF polygons, $CHANGES changes"
echo "             A/B: $GUARD_ROWS rows ($guard_sample); record mode: $SQL_ROWS rows ($sql_sample)"
echo "command:     $command"
} | tee "$BENCH_DIR/report.txt"
