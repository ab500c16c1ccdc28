#!/usr/bin/env bash
# pg_dump / pg_restore round trip of a database that uses landpolicy.  DESIGN.md (Conventions:
# Security) marks the extension's configuration tables with pg_extension_config_dump so that a dump
# keeps them; this test holds the whole configuration to that, and then checks that the restored
# database enforces the same rules: guards, ledgers, the change log and the layers' sync triggers.
#
# The source database holds the small county of test/lib/county.sql: layers, guards in reject and
# record mode, a parameter override, an exemption, ledgers, a quota, the change log and the logs.
# It is dumped with pg_dump -Fc and restored with pg_restore into a fresh database, where the
# configuration is compared row by row and the rules are exercised; and restored once more with
# --single-transaction --exit-on-error into another, which must succeed as a whole.  All three
# databases are dropped at the end.
#
# Run by scripts/test.sh from the project root with PGHOST, PGPORT and PGUSER (a superuser)
# exported for a throwaway cluster on which landpolicy is installed.  Prints PASS/FAIL lines and,
# last, "N passed, M failed"; exits non-zero if any assertion failed.
set -u
cd "$(dirname "$0")/.."

src=lp_dump_src
dst=lp_dump_dst
dst1=lp_dump_dst1     # the same dump restored in one transaction (pg_restore --single-transaction)
psrc=lp_dump_psrc     # a layer on a partitioned source
pdst=lp_dump_pdst
after=restore
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-dump.XXXXXX")
. test/lib/county.sh

drop_dbs() {
  for d in "$src" "$dst" "$dst1" "$psrc" "$pdst"; do
    "$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
  done
}
trap 'drop_dbs; rm -rf "$tmp"' EXIT

# --- the source database -------------------------------------------------------------------
drop_dbs
county_create "$src"

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

# --- the configuration came back, and works ----------------------------------------------------
county_same
county_works

# --- a layer on a partitioned source ----------------------------------------------------------
# Its sync triggers sit on the parent and on every partition; a restore recreates them itself
# (the event trigger must not make them first), and the layer then follows a write straight into
# a partition.
if q postgres -c "CREATE DATABASE $psrc" && q "$psrc" >"$tmp/psetup.log" 2>&1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION landpolicy CASCADE;
CREATE TABLE ld (id int, county text, geom geometry(Polygon, 4528), PRIMARY KEY (id, county)) PARTITION BY LIST (county);
CREATE TABLE ld_a PARTITION OF ld FOR VALUES IN ('a');
INSERT INTO ld VALUES (1, 'a', ST_MakeEnvelope(0, 0, 100, 100, 4528));
SELECT landpolicy.register_layer('forest', 'ld', '{"key": "id"}');
SQL
then
  "$PGBIN/pg_dump" -Fc -d "$psrc" -f "$tmp/p.dump" && q postgres -c "CREATE DATABASE $pdst" \
    && "$PGBIN/pg_restore" --single-transaction --exit-on-error -d "$pdst" "$tmp/p.dump" 2>"$tmp/prestore.err"
  if [ $? -eq 0 ] && [ ! -s "$tmp/prestore.err" ]; then
    pass "a layer on a partitioned source: pg_restore --single-transaction --exit-on-error, no errors"
  else
    fail "a layer on a partitioned source: the restore failed"; sed 's/^/    /' "$tmp/prestore.err"
  fi
  got=$(q "$pdst" -c "SELECT string_agg(tgrelid::regclass || ':' || n || e, ',' ORDER BY tgrelid::regclass::text) FROM (SELECT tgrelid, count(*) AS n, string_agg(DISTINCT tgenabled::text, '') AS e FROM pg_trigger WHERE tgname LIKE 'landpolicy_layer_forest%' GROUP BY tgrelid) t" 2>&1)
  if [ "$got" = "ld:4A,ld_a:4A" ]; then pass "its sync triggers came back on the parent and the partition, ENABLE ALWAYS: $got"
  else fail "its sync triggers after the restore: '$got', expected ld:4A,ld_a:4A"; fi
  q "$pdst" -c "INSERT INTO ld_a VALUES (2, 'a', ST_MakeEnvelope(1000, 0, 1100, 100, 4528))" >/dev/null 2>&1
  got=$(q "$pdst" -c "SELECT string_agg(DISTINCT source_key, ',' ORDER BY source_key) FROM landpolicy.layer_piece WHERE kind = 'forest'" 2>&1)
  if [ "$got" = "1,2" ]; then pass "the restored layer follows a write straight into the partition: features $got"
  else fail "the restored layer after a write into the partition: features '$got', expected 1,2"; fi
else
  fail "setting up $psrc"; cat "$tmp/psetup.log"
fi

drop_dbs
summary
