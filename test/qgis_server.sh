#!/usr/bin/env bash
# Integration test with QGIS Server (3.22, qgis_mapserv.fcgi run as a CGI): a WFS-T Insert (WFS
# 1.0.0) into a PostGIS layer whose table is guarded by R1.1 (the use in a varchar column, as QGIS
# cannot see a landclass column).  A feature inside the red line is refused: the
# WFS_TransactionResponse has status ERROR and no row is stored; a feature outside the red line is
# inserted (status SUCCESS) and stored.  QGIS Server 3.22 does not pass the database's message on:
# the response's Message is its generic "Insert features failed on layer 'project'" (it discards
# the provider's errors), so the test asserts that and prints a NOTE saying whether R1.1 appears.
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

# wfs_insert NAME DLBM "X1 Y1,X2 Y2,..." : a WFS 1.0.0 Transaction with one Insert, through the CGI
wfs_insert() {
  local body
  body=$(cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<wfs:Transaction service="WFS" version="$wfs_version" xmlns:wfs="http://www.opengis.net/wfs"
    xmlns:gml="http://www.opengis.net/gml" xmlns:qgs="http://www.qgis.org/gml">
  <wfs:Insert>
    <qgs:project>
      <qgs:name>$1</qgs:name>
      <qgs:dlbm>$2</qgs:dlbm>
      <qgs:approved_on>2026-01-01</qgs:approved_on>
      <qgs:geometry>
        <gml:Polygon srsName="EPSG:4528"><gml:outerBoundaryIs><gml:LinearRing>
          <gml:coordinates cs="," ts=" ">$3</gml:coordinates>
        </gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>
      </qgs:geometry>
    </qgs:project>
  </wfs:Insert>
</wfs:Transaction>
XML
)
  printf '%s' "$body" | timeout 120 env QGIS_PROJECT_FILE="$work/project.qgs" REQUEST_METHOD=POST \
    CONTENT_TYPE=text/xml CONTENT_LENGTH="$(printf '%s' "$body" | wc -c)" \
    QUERY_STRING="SERVICE=WFS&VERSION=$wfs_version&REQUEST=Transaction" SERVER_NAME=localhost SERVER_PORT=80 \
    SCRIPT_NAME=/cgi-bin/qgis_mapserv.fcgi QT_QPA_PLATFORM=offscreen QGIS_SERVER_LOG_STDERR=1 \
    QGIS_SERVER_LOG_LEVEL=0 HOME="$work" "$mapserv" 2>"$work/server.log"
}
stored() { psql -X -At -d "$db" -c "SELECT count(*) FROM project WHERE $1"; }

# a factory (0601) inside the red line
resp=$(wfs_insert factory 0601 \
  "40500100,2890100 40500200,2890100 40500200,2890200 40500100,2890200 40500100,2890100")
echo "$resp" > "$work/refused.xml"
# WFS 1.0.0 reports a failed action as <Status><ERROR/></Status>
if echo "$resp" | grep -q '<ERROR/>'; then
  pass "QGIS Server answers the Insert inside the red line with status ERROR"
else
  fail "QGIS Server did not report an error for the Insert inside the red line"
  echo "$resp" | tail -20 | sed 's/^/  /'; grep -v 'Application path\|Warning 1\|Loading native' "$work/server.log" | tail -20 | sed 's/^/  /'
fi
msg=$(echo "$resp" | tr '\n' ' ' | grep -o '<Message>.*</Message>' | head -c 600)
# QGIS Server 3.22 does not pass the provider's error on: the Message is a generic one
if [ "$msg" = "<Message>Insert features failed on layer 'project'</Message>" ]; then
  pass "the response's message is QGIS Server's generic one: $msg"
elif echo "$resp" | grep -q 'R1.1'; then
  pass "the response carries landpolicy's message: $msg"
else
  fail "unexpected message in the response: ${msg:-$(echo "$resp" | tr '\n' ' ' | head -c 600)}"
fi
if echo "$resp" | grep -q 'R1.1'; then
  echo "NOTE: the response carries the database's message (rule R1.1)"
else
  echo "NOTE: the response does not carry the database's message; QGIS Server's log does not either: $(grep -c 'R1.1' "$work/server.log") line(s) with R1.1"
fi
rows=$(stored "ST_Intersects(geom, (SELECT geom FROM redline))")
if [ "$rows" = 0 ]; then pass "no row inside the red line was stored";
else fail "$rows row(s) inside the red line were stored"; fi

# the same factory outside the red line
resp=$(wfs_insert factory 0601 \
  "40502100,2890100 40502200,2890100 40502200,2890200 40502100,2890200 40502100,2890100")
echo "$resp" > "$work/accepted.xml"
if echo "$resp" | grep -q '<SUCCESS/>' && ! echo "$resp" | grep -q '<ERROR/>'; then
  pass "QGIS Server answers the Insert outside the red line with status SUCCESS"
else
  fail "the Insert outside the red line did not succeed: $(echo "$resp" | tr '\n' ' ' | head -c 600)"
  tail -20 "$work/server.log" | sed 's/^/  /'
fi
rows=$(psql -X -At -d "$db" -c "SELECT string_agg(name || '/' || dlbm, ',') FROM project")
if [ "$rows" = "factory/0601" ]; then pass "exactly one row is stored, the one outside the red line";
else fail "the table holds: ${rows:-nothing}"; fi
summary
