"""The server filter and access-control filter of landpolicy_messages (see __init__.py)."""
import re
from xml.sax.saxutils import escape

from qgis.core import Qgis, QgsMessageLog
from qgis.PyQt import sip
from qgis.server import QgsAccessControlFilter, QgsServerFilter

TAG = "landpolicy_messages"
# QGIS Server's messages for an Insert or Delete whose provider call failed (WFS 1.0.0 and 1.1.0)
GENERIC = re.compile(r"(Insert|Delete) features failed on layer (?:'|&apos;)([^'&<]*)(?:'|&apos;)")


def layer_type_name(layer):
    """The name a WFS request uses for the layer, as QGIS Server 3.22 makes it."""
    name = layer.shortName() or layer.name()
    return name.replace(" ", "_")


class Errors:
    """The provider errors of the current request, by layer type name."""

    def __init__(self):
        self.by_layer = {}
        self.hooked = {}   # the providers whose raiseError is connected, by C++ address


    def clear(self):
        self.by_layer = {}

    def hook(self, layer):
        provider = layer.dataProvider() if hasattr(layer, "dataProvider") else None
        if provider is None:
            return
        address = sip.unwrapinstance(provider)
        if address in self.hooked:
            return
        name = layer_type_name(layer)
        provider.raiseError.connect(lambda message, name=name: self.add(name, message))
        # forgotten when the provider goes (a project reloaded by a long-running server)
        provider.destroyed.connect(lambda _=None, address=address: self.hooked.pop(address, None))
        self.hooked[address] = provider

    def add(self, name, message):
        text = " ".join(message.split())
        if text and text not in self.by_layer.setdefault(name, []):
            self.by_layer[name].append(text)


class HookLayers(QgsAccessControlFilter):
    """Connects to the providers of the layers a request uses; allows whatever the project allows."""

    def __init__(self, server_iface, errors):
        super().__init__(server_iface)
        self.errors = errors

    def layerPermissions(self, layer):  # noqa: N802
        try:
            self.errors.hook(layer)
        except Exception as e:  # never let a listener break a request
            QgsMessageLog.logMessage("cannot listen to layer %s: %s" % (layer.name(), e), TAG, Qgis.Warning)
        rights = QgsAccessControlFilter.LayerPermissions()
        rights.canRead = rights.canInsert = rights.canUpdate = rights.canDelete = True
        return rights

    def allowToEdit(self, layer, feature):  # noqa: N802
        return True

    def cacheKey(self):  # noqa: N802: the answer is the same for everyone, so caches stay shared
        return ""


class ExplainRefusals(QgsServerFilter):
    """Appends the database's messages to QGIS Server's generic ones in a WFS Transaction response."""

    def __init__(self, server_iface, errors):
        super().__init__(server_iface)
        self.errors = errors

    def requestReady(self):  # noqa: N802
        self.errors.clear()

    def responseComplete(self):  # noqa: N802
        try:
            self.rewrite()
        except Exception as e:
            QgsMessageLog.logMessage("cannot rewrite the response: %s" % e, TAG, Qgis.Warning)
        finally:
            self.errors.clear()

    def rewrite(self):
        if not self.errors.by_layer:
            return
        handler = self.serverInterface().requestHandler()
        params = {k.upper(): v for k, v in handler.parameterMap().items()}
        if params.get("SERVICE", "").upper() != "WFS" or params.get("REQUEST", "").lower() != "transaction":
            return
        body = bytes(handler.body()).decode("utf-8")

        def explain(match):
            messages = self.errors.by_layer.get(match.group(2))
            if not messages:
                return match.group(0)
            return match.group(0) + ": " + escape("; ".join(messages))

        new_body, count = GENERIC.subn(explain, body)
        if count and new_body != body:
            handler.clearBody()
            handler.appendBody(new_body.encode("utf-8"))
            for name, messages in self.errors.by_layer.items():
                QgsMessageLog.logMessage("layer %s: %s" % (name, "; ".join(messages)), TAG, Qgis.Info)


class LandpolicyMessages:
    def __init__(self, server_iface):
        errors = Errors()
        server_iface.registerAccessControl(HookLayers(server_iface, errors), 100)
        server_iface.registerFilter(ExplainRefusals(server_iface, errors), 100)
