"""A QGIS editing session against a table guarded by R1.1, run headless by test/qgis.sh.

Usage: /usr/bin/python3 qgis_edit.py HOST PORT DBNAME USER
Prints one line per check, "PASS: ..." or "FAIL: ...", for test/qgis.sh to count.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsDataSourceUri, QgsFeature,  # noqa: E402
                       QgsGeometry, QgsVectorLayer)

host, port, dbname, user = sys.argv[1:5]


def check(ok, what):
    print(("PASS: " if ok else "FAIL: ") + what, flush=True)
    return ok


app = QgsApplication([], False)
app.initQgis()

uri = QgsDataSourceUri()
uri.setConnection(host, port, dbname, user, "")
uri.setDataSource("public", "project", "geom", "", "id")
layer = QgsVectorLayer(uri.uri(False), "project", "postgres")
if not check(layer.isValid(), "QGIS opens the guarded table as a PostGIS layer"):
    sys.exit(1)

# an editor draws a factory (0601) inside the red line and saves
layer.startEditing()
feature = QgsFeature(layer.fields())
feature.setAttribute("name", "factory")
feature.setAttribute("dlbm", "0601")
feature.setAttribute("approved_on", "2026-01-01")
feature.setGeometry(QgsGeometry.fromWkt(
    "POLYGON((40500100 2890100,40500200 2890100,40500200 2890200,40500100 2890200,40500100 2890100))"))
layer.addFeature(feature)
saved = layer.commitChanges(False)
errors = "\n".join(layer.commitErrors())
check(not saved, "saving a feature inside the red line fails")
check("R1.1" in errors and "ecological protection red line" in errors,
      "the save error shows landpolicy's message: " + " | ".join(e for e in layer.commitErrors() if "R1.1" in e)[:300])
check(layer.isEditable(), "the layer stays in editing mode with the edit kept, so the editor can fix it")

# the editor moves the feature outside the red line and saves again
fid = next(iter(layer.editBuffer().addedFeatures().keys()), None)
check(fid is not None, "the refused feature is still in the edit buffer")
if fid is not None:
    layer.changeGeometry(fid, QgsGeometry.fromWkt(
        "POLYGON((40502100 2890100,40502200 2890100,40502200 2890200,40502100 2890200,40502100 2890100))"))
saved = layer.commitChanges()
check(saved, "after moving it outside the red line the save succeeds: " + "; ".join(layer.commitErrors())[:300])

layer.reload()
names = sorted(f["name"] for f in layer.getFeatures())
check(names == ["factory"], "exactly one row is stored: %r" % (names,))
app.exitQgis()
