"""Writes a QGIS project that publishes the guarded table for WFS and WFS-T, for test/qgis_server.sh.

Usage: /usr/bin/python3 qgis_server_project.py HOST PORT DBNAME USER OUT.qgs
Publishes public.project (geometry geom, key id) as the layer "project" with Insert, Update and
Delete allowed (project entries WFSLayers and WFSTLayers/{Insert,Update,Delete}, as QGIS 3.22's
server reads them).  Exits non-zero if the layer is invalid or the project cannot be written.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsDataSourceUri, QgsProject,  # noqa: E402
                       QgsVectorLayer)

host, port, dbname, user, out = sys.argv[1:6]

app = QgsApplication([], False)
app.initQgis()

uri = QgsDataSourceUri()
uri.setConnection(host, port, dbname, user, "")
uri.setDataSource("public", "project", "geom", "", "id")
layer = QgsVectorLayer(uri.uri(False), "project", "postgres")
if not layer.isValid():
    print("the PostGIS layer is invalid: " + uri.uri(False), file=sys.stderr)
    sys.exit(1)

project = QgsProject.instance()
project.setCrs(layer.crs())
project.addMapLayer(layer)
project.writeEntry("WFSLayers", "/", [layer.id()])
project.writeEntry("WFSLayersPrecision", "/" + layer.id(), 2)
for operation in ("Insert", "Update", "Delete"):
    project.writeEntry("WFSTLayers", operation, [layer.id()])
project.writeEntry("WFSUrl", "/", "")
if not project.write(out):
    print("could not write " + out, file=sys.stderr)
    sys.exit(1)
app.exitQgis()
