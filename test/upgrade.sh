#!/usr/bin/env bash
# Upgrade: ALTER EXTENSION landpolicy UPDATE from the previous release (0.1.0, whose install script
# is kept as released in updates/) gives the same extension as a fresh install of the current
# version, keeps a working county's configuration, ledgers and logs, and runs none of a hostile
# role's functions.
#
#   1. A role without rights plants, in a schema of its own, functions and operators named like
#      those the install and update scripts and the guards call.  In one database a superuser with
#      that schema first on the search_path creates the current version; in another, version 0.1.0
#      and then ALTER EXTENSION ... UPDATE.  None of the planted functions runs (they count
#      themselves in a sequence that no rollback undoes).
#   2. The two databases' schemas are the same: pg_dump --schema-only --binary-upgrade (which, unlike
#      a plain dump, writes out every member object of an extension: functions with their bodies
#      and settings, types, operators, casts, tables, views, triggers, event triggers, grants and
#      comments) with object ids and transaction ids masked, the extension's row in pg_extension
#      (version, configuration tables and their filters), and the rows in every table of the
#      extension (the shipped parameters, for one).
#   3. The county of test/lib/county.sql is built under 0.1.0, copied (CREATE DATABASE ... TEMPLATE)
#      and the copy updated: its configuration, ledgers, logs and triggers are the original's, and it
#      enforces every rule as before (the checks test/dump_restore.sh makes after a restore).
#   4. A layer on a partitioned source under 0.1.0, which kept sync triggers on the parent only and
#      so missed a row written straight into a partition: the update puts the triggers on the
#      partitions and makes the layer whole, and later direct writes are followed.
#
# Run by scripts/test.sh from the project root with PGHOST, PGPORT and PGUSER (a superuser)
# exported for a throwaway cluster on which landpolicy is installed.  Prints PASS/FAIL lines and,
# last, "N passed, M failed"; exits non-zero if any assertion failed.
set -u
cd "$(dirname "$0")/.."

previous=0.1.0
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" landpolicy.control)
fresh=lp_up_fresh        # CREATE EXTENSION landpolicy (current version)
updated=lp_up_updated    # CREATE EXTENSION landpolicy VERSION '0.1.0'; ALTER EXTENSION landpolicy UPDATE
src=lp_up_county_old     # the county under 0.1.0
dst=lp_up_county         # its copy, updated
layerdb=lp_up_layer      # a layer on a partitioned source, under 0.1.0, updated
after=update
evil=lp_up_evil
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-upgrade.XXXXXX")
. test/lib/county.sh

drop_all() {
  for d in "$fresh" "$updated" "$src" "$dst" "$layerdb"; do
    "$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1
  done
  "$PGBIN/psql" -X -q -d postgres -c "DROP ROLE IF EXISTS $evil" >/dev/null 2>&1
}
trap 'drop_all; rm -rf "$tmp"' EXIT
drop_all

if [ "$current" = "$previous" ] || [ ! -f "updates/landpolicy--$previous--$current.sql" ]; then
  fail "no update script updates/landpolicy--$previous--$current.sql for the default version $current"
  summary
fi

# --- 1. create and update under a hostile search_path ---------------------------------------
# plant DB: schema evil, owned by a role with no rights, with functions named like PostGIS's, the
# extension's own helpers and operators pg_catalog has no exact match for.  Each one, if it ran,
# would count itself in evil.hits and return a lie.
plant() {
  local fn
  q "$1" >"$tmp/plant.log" 2>&1 <<SQL || { cat "$tmp/plant.log"; fail "planting the hostile schema in $1"; summary; }
CREATE SCHEMA evil AUTHORIZATION $evil;
SET ROLE $evil;
CREATE SEQUENCE evil.hits;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
GRANT USAGE, UPDATE ON SEQUENCE evil.hits TO PUBLIC;
CREATE FUNCTION evil.hit() RETURNS void LANGUAGE sql AS 'SELECT NULL FROM pg_catalog.nextval(''evil.hits'')';
SQL
  # NAME(ARGS) RETURNS TYPE: each planted as a plpgsql function that counts itself and returns NULL
  while read -r fn; do
    q "$1" -c "SET ROLE $evil" -c "CREATE FUNCTION evil.$fn LANGUAGE plpgsql AS \$\$ BEGIN PERFORM evil.hit(); RETURN NULL; END \$\$" \
      >>"$tmp/plant.log" 2>&1 || { cat "$tmp/plant.log"; fail "planting evil.$fn in $1"; summary; }
  done <<'LIST'
st_intersects(geometry, geometry) RETURNS boolean
st_intersection(geometry, geometry) RETURNS geometry
st_area(geometry) RETURNS float8
st_transform(geometry, integer) RETURNS geometry
st_srid(geometry) RETURNS integer
st_makevalid(geometry) RETURNS geometry
st_subdivide(geometry, integer) RETURNS geometry
st_isvalid(geometry) RETURNS boolean
st_difference(geometry, geometry) RETURNS geometry
area_m2(geometry) RETURNS float8
param(text, text, date) RETURNS numeric
say(text, text) RETURNS text
pg_extension_config_dump(text, text) RETURNS text
format(text, text) RETURNS text
jsonb_build_object(text, text) RETURNS jsonb
num_mul_int(numeric, integer) RETURNS numeric
text_eq(text, text) RETURNS boolean
LIST
  q "$1" -c "SET ROLE $evil" \
         -c "CREATE OPERATOR evil.* (FUNCTION = evil.num_mul_int, LEFTARG = numeric, RIGHTARG = integer)" \
         -c "CREATE OPERATOR evil.= (FUNCTION = evil.text_eq, LEFTARG = text, RIGHTARG = text)" \
    >>"$tmp/plant.log" 2>&1 || { cat "$tmp/plant.log"; fail "planting evil's operators in $1"; summary; }
}
evil_ran() { q "$1" -c "SELECT is_called FROM evil.hits"; }

q postgres -c "CREATE ROLE $evil" || { fail "CREATE ROLE $evil"; summary; }
for d in "$fresh" "$updated"; do
  q postgres -c "CREATE DATABASE $d" || { fail "CREATE DATABASE $d"; summary; }
  q "$d" -c "CREATE EXTENSION postgis" -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" >/dev/null \
    || { fail "postgis in $d"; summary; }
  plant "$d"
done
# the superuser's session: the planted schema first
hostile="SET search_path = evil, public"
if q "$fresh" -c "$hostile" -c "SET client_min_messages = warning" -c "CREATE EXTENSION landpolicy" >"$tmp/fresh.log" 2>&1; then
  pass "CREATE EXTENSION landpolicy ($current) with the planted schema first on the search_path"
else
  fail "CREATE EXTENSION landpolicy ($current) in $fresh"; sed 's/^/    /' "$tmp/fresh.log"
fi
if q "$updated" -c "$hostile" -c "SET client_min_messages = warning" -c "CREATE EXTENSION landpolicy VERSION '$previous'" >"$tmp/prev.log" 2>&1; then
  pass "CREATE EXTENSION landpolicy VERSION '$previous' with the planted schema first on the search_path"
else
  fail "CREATE EXTENSION landpolicy VERSION '$previous' in $updated"; sed 's/^/    /' "$tmp/prev.log"
fi
if q "$updated" -c "$hostile" -c "ALTER EXTENSION landpolicy UPDATE TO '$current'" >"$tmp/update.log" 2>&1; then
  pass "ALTER EXTENSION landpolicy UPDATE TO '$current' (from $previous) with the planted schema first"
else
  fail "ALTER EXTENSION landpolicy UPDATE TO '$current' in $updated"; sed 's/^/    /' "$tmp/update.log"
fi
for d in "$fresh" "$updated"; do
  got=$(evil_ran "$d" 2>&1)
  if [ "$got" = f ]; then pass "none of the planted functions ran in $d"
  else fail "planted functions ran in $d (evil.hits is_called: $got)"; fi
done
got=$(q postgres -c "SELECT rolsuper::text FROM pg_roles WHERE rolname = '$evil'")
if [ "$got" = false ]; then pass "$evil is still not a superuser"; else fail "$evil: rolsuper $got"; fi

# --- 2. the same extension -----------------------------------------------------------------
# same_text LABEL FRESH UPDATED: PASS LABEL when the two files are the same; else FAIL, with the diff
same_text() {
  if diff -u "$2" "$3" >"$tmp/text.diff"; then
    pass "$1"
  else
    fail "$1: not so (- fresh, + updated):"
    grep -E '^[-+][^-+]' "$tmp/text.diff" | head -60 | sed 's/^/    /'
  fi
}
# schema DB: every object but the planted schema, with object ids, xids and psql's per-dump
# \restrict keys masked
schema() {
  "$PGBIN/pg_dump" --schema-only --binary-upgrade -N evil -d "$1" 2>"$tmp/dump.err" | sed -E \
    -e '/^\\(un)?restrict /d' -e '/binary_upgrade_set_next_/d' \
    -e "s/(binary_upgrade_create_empty_extension\([^{]*)'\{[0-9,]*\}'/\1'{config table oids}'/" \
    -e "s/relfrozenxid = '[0-9]+', relminmxid = '[0-9]+'/relfrozenxid = X, relminmxid = X/" \
    -e "s/WHERE oid = '[0-9]+'/WHERE oid = N/"
}
schema "$fresh" >"$tmp/fresh.sql"
schema "$updated" >"$tmp/updated.sql"
members=$(grep -c '^ALTER EXTENSION landpolicy ADD ' "$tmp/fresh.sql")
if [ "$members" -lt 100 ]; then
  fail "the dump of $fresh lists $members members of landpolicy (expected well over 100)"; cat "$tmp/dump.err"
else
  same_text "schema after the update = schema of a fresh $current install ($members extension members, $(wc -l <"$tmp/fresh.sql") lines of pg_dump --binary-upgrade)" \
    "$tmp/fresh.sql" "$tmp/updated.sql"
fi

# the extension's row and the rows of its tables
rows() {
  q "$1" <<'SQL'
SELECT 'extension ' || extversion || ' relocatable ' || extrelocatable || ' config '
       || coalesce((SELECT string_agg(c::regclass::text || ' ' || coalesce(f, ''), ', ' ORDER BY c::regclass::text)
                    FROM unnest(extconfig, extcondition) AS x(c, f)), '')
FROM pg_extension WHERE extname = 'landpolicy';
SELECT format('SELECT %L || '': '' || t::text FROM %s t', c.oid::regclass::text, c.oid::regclass)
FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'landpolicy') AND c.relkind IN ('r', 'p')
ORDER BY 1 \gexec
SQL
}
rows "$fresh" 2>&1 | LC_ALL=C sort >"$tmp/fresh.rows"
rows "$updated" 2>&1 | LC_ALL=C sort >"$tmp/updated.rows"
if [ "$(wc -l <"$tmp/fresh.rows")" -lt 2 ]; then
  fail "could not read the extension's tables in $fresh"; cat "$tmp/fresh.rows"
else
  same_text "pg_extension row and the extension's tables after the update = a fresh install ($(($(wc -l <"$tmp/fresh.rows") - 1)) rows)" \
    "$tmp/fresh.rows" "$tmp/updated.rows"
fi

# --- 3. a working county, updated -----------------------------------------------------------
county_create "$src" "$previous"
q postgres -c "CREATE DATABASE $dst TEMPLATE $src" || { fail "CREATE DATABASE $dst TEMPLATE $src"; summary; }
if q "$dst" -c "ALTER EXTENSION landpolicy UPDATE TO '$current'" >"$tmp/county_update.log" 2>&1; then
  pass "ALTER EXTENSION landpolicy UPDATE TO '$current' in the county ($dst)"
else
  fail "ALTER EXTENSION landpolicy UPDATE in $dst"; sed 's/^/    /' "$tmp/county_update.log"
fi
got=$(q "$dst" -c "SELECT extversion FROM pg_extension WHERE extname = 'landpolicy'" 2>&1)
if [ "$got" = "$current" ]; then pass "$dst is at landpolicy $current"; else fail "$dst is at landpolicy '$got', not $current"; fi
county_same
county_works

# --- 4. a layer on a partitioned source, updated --------------------------------------------
features() { q "$layerdb" -c "SELECT string_agg(DISTINCT source_key, ',' ORDER BY source_key) FROM landpolicy.layer_piece WHERE kind = 'forest'"; }
if q postgres -c "CREATE DATABASE $layerdb" && q "$layerdb" >"$tmp/layer.log" 2>&1 <<SQL
SET client_min_messages = warning;
CREATE EXTENSION landpolicy VERSION '$previous' CASCADE;
CREATE TABLE ld (id int, county text, geom geometry(Polygon, 4528), PRIMARY KEY (id, county)) PARTITION BY LIST (county);
CREATE TABLE ld_a PARTITION OF ld FOR VALUES IN ('a');
INSERT INTO ld VALUES (1, 'a', ST_MakeEnvelope(0, 0, 100, 100, 4528));
SELECT landpolicy.register_layer('forest', 'ld', '{"key": "id"}');
INSERT INTO ld_a VALUES (2, 'a', ST_MakeEnvelope(1000, 0, 1100, 100, 4528));
SQL
then
  got=$(features)
  if [ "$got" = 1 ]; then pass "under $previous, a row written straight into a partition is missed by the layer: $got"
  else fail "under $previous, the layer holds features '$got' (expected 1: the direct write missed)"; fi
  q "$layerdb" -c "ALTER EXTENSION landpolicy UPDATE TO '$current'" >>"$tmp/layer.log" 2>&1 || { fail "ALTER EXTENSION UPDATE in $layerdb"; cat "$tmp/layer.log"; }
  got=$(features)
  if [ "$got" = "1,2" ]; then pass "the update made the layer whole: features $got"
  else fail "after the update the layer holds features '$got', expected 1,2"; fi
  q "$layerdb" -c "INSERT INTO ld_a VALUES (3, 'a', ST_MakeEnvelope(2000, 0, 2100, 100, 4528))" >>"$tmp/layer.log" 2>&1
  got=$(features)
  if [ "$got" = "1,2,3" ]; then pass "after the update a direct write into the partition is followed: features $got"
  else fail "after the update, a direct write into the partition: features '$got', expected 1,2,3"; fi
else
  fail "setting up $layerdb"; cat "$tmp/layer.log"
fi

drop_all
summary
