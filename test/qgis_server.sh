#!/usr/bin/env bash
# Integration test with QGIS Server (3.22, qgis_mapserv.fcgi run as a CGI): WFS-T (1.0.0) Insert and
# Update on a PostGIS layer whose table is guarded by R1.1 (the use in a varchar column, as QGIS
# cannot see a landclass column).
#
# QGIS Server 3.22 answers an Insert the database refused with its generic "Insert features failed
# on layer 'project'" and drops the database's message.  clients/qgis_server/landpolicy_messages, a
# server plugin shipped with landpolicy, puts it back.  So:
#   * without the plugin: an Insert inside the red line is refused (status ERROR, nothing stored)
#     with the generic message (or ours, should a later QGIS pass it on: the test says which);
#   * with the plugin (QGIS_PLUGINPATH=clients/qgis_server): the same Insert is refused and the
#     response's Message carries the rule (R1.1) and its reason; an Insert outside the red line
#     succeeds and is stored; an Update moving that feature into the red line is refused with R1.1
#     in the Message (QGIS reports an Update's commit errors itself) and the row stays where it was;
#     an Update of its name succeeds; and over WFS 1.1.0, the refused Insert's Message carries R1.1 too.
# The project is written by test/clients/qgis_server_project.py.
#
# Run by scripts/test.sh with PGHOST, PGPORT and PGUSER exported for a throwaway cluster on which
# landpolicy is installed.  Prints PASS/FAIL lines and, last, "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
db=lp_qgis_server
wfs_version=1.0.0
passed=0 failed=0
mapserv=/usr/lib/cgi-bin/qgis_mapserv.fcgi
plugins=$PWD/clients/qgis_server     # holds landpolicy_messages
work=$(mktemp -d)
drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
cleanup() { drop_db; rm -rf "$work"; }
trap cleanup EXIT
summary() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
pass() { echo "PASS: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

if [ ! -x "$mapserv" ] || ! /usr/bin/python3 -c 'import qgis.core' >/dev/null 2>&1; then
  fail "qgis-server or python3-qgis is not installed (scripts/bootstrap.sh test installs them)"
  summary
fi

drop_db
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f test/clients/guarded_project.sql >/dev/null

if out=$(timeout 120 /usr/bin/python3 test/clients/qgis_server_project.py "${PGHOST:-/tmp}" "${PGPORT:-5432}" \
           "$db" "${PGUSER:-$(id -un)}" "$work/project.qgs" 2>&1) && [ -s "$work/project.qgs" ]; then
  pass "PyQGIS writes a project publishing the guarded table for WFS-T"
else
  echo "$out" | tail -20 | sed 's/^/  /'
  fail "PyQGIS could not write the project"; summary
fi

# wfs TRANSACTION-BODY [PLUGINPATH]: a WFS 1.0.0 Transaction through the CGI, with the server
# plugins of PLUGINPATH (none when empty); prints the response, the server's stderr in server.log
wfs() {
  local body
  body=$(cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<wfs:Transaction service="WFS" version="$wfs_version" xmlns:wfs="http://www.opengis.net/wfs"
    xmlns:ogc="http://www.opengis.net/ogc" xmlns:gml="http://www.opengis.net/gml"
    xmlns:qgs="http://www.qgis.org/gml">
$1
</wfs:Transaction>
XML
)
  printf '%s' "$body" | timeout 120 env QGIS_PROJECT_FILE="$work/project.qgs" REQUEST_METHOD=POST \
    CONTENT_TYPE=text/xml CONTENT_LENGTH="$(printf '%s' "$body" | wc -c)" \
    QUERY_STRING="SERVICE=WFS&VERSION=$wfs_version&REQUEST=Transaction" SERVER_NAME=localhost SERVER_PORT=80 \
    SCRIPT_NAME=/cgi-bin/qgis_mapserv.fcgi QT_QPA_PLATFORM=offscreen QGIS_SERVER_LOG_STDERR=1 \
    QGIS_SERVER_LOG_LEVEL=0 QGIS_PLUGINPATH="${2:-$work/no-plugins}" HOME="$work" "$mapserv" 2>"$work/server.log"
}
# polygon "X1 Y1,X2 Y2,...": a GML 2 polygon in EPSG:4528
polygon() {
  echo "<gml:Polygon srsName=\"EPSG:4528\"><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates cs=\",\" ts=\" \">$1</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>"
}
# insert NAME DLBM COORDS: an Insert action
insert() {
  echo "<wfs:Insert><qgs:project><qgs:name>$1</qgs:name><qgs:dlbm>$2</qgs:dlbm><qgs:approved_on>2026-01-01</qgs:approved_on><qgs:geometry>$(polygon "$3")</qgs:geometry></qgs:project></wfs:Insert>"
}
# update NAME PROPERTY VALUE-XML: an Update action on the feature called NAME
update() {
  echo "<wfs:Update typeName=\"qgs:project\"><wfs:Property><wfs:Name>$2</wfs:Name><wfs:Value>$3</wfs:Value></wfs:Property><ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>name</ogc:PropertyName><ogc:Literal>$1</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter></wfs:Update>"
}
message() { tr '\n' ' ' | grep -o '<Message>.*</Message>' | head -c 700; }
stored() { psql -X -At -d "$db" -c "SELECT count(*) FROM project WHERE $1"; }
in_red='40500100,2890100 40500200,2890100 40500200,2890200 40500100,2890200 40500100,2890100'
outside='40502100,2890100 40502200,2890100 40502200,2890200 40502100,2890200 40502100,2890100'
mkdir -p "$work/no-plugins"

# --- without the plugin: refused, with QGIS Server's generic message -------------------------
resp=$(wfs "$(insert factory 0601 "$in_red")")
# WFS 1.0.0 reports a failed action as <Status><ERROR/></Status>
if echo "$resp" | grep -q '<ERROR/>'; then
  pass "without the plugin: QGIS Server answers the Insert inside the red line with status ERROR"
else
  fail "without the plugin: no error for the Insert inside the red line"
  echo "$resp" | tail -20 | sed 's/^/  /'; grep -v 'Application path\|Warning 1\|Loading native' "$work/server.log" | tail -20 | sed 's/^/  /'
fi
msg=$(echo "$resp" | message)
if [ "$msg" = "<Message>Insert features failed on layer 'project'</Message>" ]; then
  pass "without the plugin: the message is QGIS Server's generic one: $msg"
  echo "NOTE: QGIS Server drops the database's message; its log has $(grep -c 'R1.1' "$work/server.log") line(s) with R1.1"
elif echo "$msg" | grep -q 'R1.1'; then
  pass "without the plugin: this QGIS Server passes landpolicy's message on: $msg"
else
  fail "without the plugin: unexpected message: ${msg:-$(echo "$resp" | tr '\n' ' ' | head -c 600)}"
fi
rows=$(stored "ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then pass "without the plugin: no row inside the red line was stored"
else fail "without the plugin: $rows row(s) inside the red line were stored"; fi

# --- with the plugin: refused, and the response says why -------------------------------------
resp=$(wfs "$(insert factory 0601 "$in_red")" "$plugins")
msg=$(echo "$resp" | message)
if ! grep -q 'Server plugin landpolicy_messages loaded' "$work/server.log"; then
  fail "QGIS Server did not load the landpolicy_messages plugin from $plugins"
  grep -i 'plugin\|python\|Traceback' "$work/server.log" | head -20 | sed 's/^/  /'
elif echo "$resp" | grep -q '<ERROR/>' && echo "$msg" | grep -q "Insert features failed on layer 'project': .*R1\.1 生态保护红线内禁止开发建设.*no development inside the ecological protection red line"; then
  pass "with the plugin: the Insert inside the red line is refused and the Message carries R1.1 and its reason: $(echo "$msg" | head -c 300)…"
else
  fail "with the plugin: the refusal's Message lacks landpolicy's: ${msg:-$(echo "$resp" | tr '\n' ' ' | head -c 600)}"
  grep -i 'landpolicy\|Traceback\|Error' "$work/server.log" | head -20 | sed 's/^/  /'
fi
rows=$(stored "ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then pass "with the plugin: no row inside the red line was stored"
else fail "with the plugin: $rows row(s) inside the red line were stored"; fi

# the same factory outside the red line: the plugin lets it through
resp=$(wfs "$(insert factory 0601 "$outside")" "$plugins")
if echo "$resp" | grep -q '<SUCCESS/>' && ! echo "$resp" | grep -q '<ERROR/>'; then
  pass "with the plugin: the Insert outside the red line succeeds"
else
  fail "with the plugin: the Insert outside the red line did not succeed: $(echo "$resp" | tr '\n' ' ' | head -c 600)"
  tail -20 "$work/server.log" | sed 's/^/  /'
fi
rows=$(psql -X -At -d "$db" -c "SELECT string_agg(name || '/' || dlbm, ',') FROM project")
if [ "$rows" = "factory/0601" ]; then pass "exactly one row is stored, the one outside the red line"
else fail "the table holds: ${rows:-nothing}"; fi

# an Update moving it into the red line: refused, and QGIS reports an Update's commit errors itself
resp=$(wfs "$(update factory geometry "$(polygon "$in_red")")" "$plugins")
msg=$(echo "$resp" | message)
if echo "$resp" | grep -q '<ERROR/>' && echo "$msg" | grep -q 'R1\.1'; then
  pass "with the plugin: the Update moving the feature into the red line is refused with R1.1: $(echo "$msg" | head -c 200)…"
else
  fail "with the plugin: the Update into the red line: ${msg:-$(echo "$resp" | tr '\n' ' ' | head -c 600)}"
fi
rows=$(stored "ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then pass "the refused Update left the row outside the red line"
else fail "the refused Update moved $rows row(s) into the red line"; fi
resp=$(wfs "$(update factory name 'factory-2')" "$plugins")
rows=$(psql -X -At -d "$db" -c "SELECT string_agg(name, ',') FROM project")
if echo "$resp" | grep -q '<SUCCESS/>' && [ "$rows" = factory-2 ]; then
  pass "with the plugin: an Update of the name succeeds"
else
  fail "with the plugin: the Update of the name: $(echo "$resp" | message), table: $rows"
fi

# WFS 1.1.0 too: the refused Insert's Message carries the rule, and nothing is inserted
wfs_version=1.1.0
resp=$(wfs "$(insert factory-3 0601 "$in_red")" "$plugins")
msg=$(echo "$resp" | message)
if echo "$resp" | grep -q 'totalInserted>0<' && echo "$msg" | grep -q "Insert features failed on layer 'project': .*R1\.1"; then
  pass "with the plugin, WFS 1.1.0: the Insert inside the red line is refused (0 inserted) and the Message carries R1.1"
else
  fail "with the plugin, WFS 1.1.0: $(echo "$resp" | tr '\n' ' ' | head -c 800)"
fi
rows=$(stored "ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then pass "WFS 1.1.0: no row inside the red line was stored"
else fail "WFS 1.1.0: $rows row(s) inside the red line were stored"; fi
summary
