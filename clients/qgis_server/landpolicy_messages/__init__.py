"""landpolicy_messages: a QGIS Server plugin for WFS-T clients of landpolicy-guarded layers.

QGIS Server (3.16 to at least 3.22) answers a WFS-T Insert or Delete that the database refused
with "Insert features failed on layer 'x'" (or "Delete ...") and clears the data provider's error,
which held the database's message: which landpolicy rule refused the feature, and why.  (An Update
is reported with the provider's errors already: "Error committing updates: ...".)

This plugin listens for those errors and appends them to the generic message in the response:

    Insert features failed on layer 'project': PostgreSQL error while adding features: ERROR:
    R1.1 违反生态保护红线管控 ...

How: an access-control filter, asked for each layer's permissions when a transaction starts, is the
one place a server plugin is handed the very layer objects the transaction writes through; it
connects to their providers' raiseError signal and answers "everything allowed" (it restricts
nothing: the project's own WFS-T settings still decide).  A server filter forgets the errors when
a request starts and rewrites the response of a WFS Transaction when it completes.

Install: copy this directory into a directory on the server's QGIS_PLUGINPATH.
"""


def serverClassFactory(serverIface):  # noqa: N802 (QGIS's name)
    from .plugin import LandpolicyMessages
    return LandpolicyMessages(serverIface)
