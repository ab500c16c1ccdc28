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
after=restore
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-dump.XXXXXX")
. test/lib/county.sh

drop_dbs() {
  for d in "$src" "$dst" "$dst1"; do
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

drop_dbs
summary
