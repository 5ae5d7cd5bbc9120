#!/usr/bin/python3
"""make_templates.py: regenerate the QGIS styles (maps/templates/*.qml) and the
project template (maps/templates/geoannot.qgs.in) with the QGIS Python API.

`geoannot export --qgis-project DIR` copies the .qml files and fills the
template (only @XMIN@ @YMIN@ @XMAX@ @YMAX@ @DATE_MIN@ @DATE_MAX@); it
never needs QGIS. Run this only to change a style, with Debian's python3:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 maps/make_templates.py SAMPLE.gpkg

SAMPLE.gpkg is any `geoannot export --layer all -f GPKG` output (it gives
the layers their fields; its data do not end up in the template).
"""
import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsArrowSymbolLayer, QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem, QgsDateTimeRange, QgsFillSymbol,
    QgsGraduatedSymbolRenderer, QgsLineSymbol, QgsMarkerSymbol, QgsProject,
    QgsProperty, QgsRectangle, QgsReferencedRectangle, QgsRendererCategory,
    QgsRendererRange, QgsSimpleMarkerSymbolLayerBase, QgsSingleSymbolRenderer,
    QgsSymbolLayer, QgsUnitTypes, QgsVectorLayer,
    QgsVectorLayerTemporalProperties)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LAYERS = ["regions", "places", "mentions", "flows", "events"]   # bottom to top

# Event types of src/events (ga_events.h) with a colour-blind-safe palette
# (Okabe-Ito) and a distinct marker shape each.
SHAPE = QgsSimpleMarkerSymbolLayerBase
EVENT_TYPES = [
    ("forced_displacement", "forced displacement", "#d55e00", SHAPE.Circle),
    ("evacuation", "evacuation", "#0072b2", SHAPE.Triangle),
    ("flight", "flight", "#e69f00", SHAPE.Diamond),
    ("siege", "siege", "#000000", SHAPE.Square),
    ("return", "return", "#009e73", SHAPE.Star),
    ("protest", "protest", "#cc79a7", SHAPE.Pentagon),
]
# Status: reported solid and opaque, threatened dashed outline and lighter,
# denied dotted outline and faint.
OPACITY = ("CASE \"status\" WHEN 'reported' THEN 100 WHEN 'threatened' THEN 60 "
           "WHEN 'denied' THEN 30 ELSE 100 END")
STROKE = ("CASE \"status\" WHEN 'threatened' THEN 'dash' WHEN 'denied' THEN 'dot' "
          "ELSE 'solid' END")


def marker(color, shape, size=3.2):
    sym = QgsMarkerSymbol.createSimple({
        "name": "circle", "color": color, "size": str(size),
        "outline_color": "#222222", "outline_width": "0.5"})
    sl = sym.symbolLayer(0)
    sl.setShape(shape)
    sl.setDataDefinedProperty(QgsSymbolLayer.PropertyStrokeStyle,
                              QgsProperty.fromExpression(STROKE))
    sym.setDataDefinedProperty(QgsMarkerSymbol.PropertyOpacity,
                               QgsProperty.fromExpression(OPACITY))
    return sym


def set_temporal(layer):
    tp = layer.temporalProperties()
    tp.setIsActive(True)
    tp.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField)
    tp.setStartField("event_date")
    tp.setFixedDuration(1)
    tp.setDurationUnits(QgsUnitTypes.TemporalDays)


def style_events(layer):
    cats = [QgsRendererCategory(v, marker(c, s), label) for v, label, c, s in EVENT_TYPES]
    cats.append(QgsRendererCategory(None, marker("#999999", SHAPE.Circle, 2.4), "other"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("type", cats))
    set_temporal(layer)


def style_flows(layer):
    sym = QgsLineSymbol()
    arrow = QgsArrowSymbolLayer()
    arrow.setIsCurved(True)
    arrow.setIsRepeated(False)
    arrow.setHeadType(QgsArrowSymbolLayer.HeadSingle)
    arrow.setArrowType(QgsArrowSymbolLayer.ArrowPlain)
    width = "coalesce(scale_linear(\"weight\", 0, 20000, 0.6, 5), 0.6)"
    arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowWidth,
                                 QgsProperty.fromExpression(width))
    arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowStartWidth,
                                 QgsProperty.fromExpression(width))
    arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowHeadLength,
                                 QgsProperty.fromExpression("2.5 + " + width))
    arrow.setDataDefinedProperty(QgsSymbolLayer.PropertyArrowHeadThickness,
                                 QgsProperty.fromExpression("1.5 + " + width))
    arrow.subSymbol().setColor(QColor(0, 114, 178, 170))
    sym.changeSymbolLayer(0, arrow)
    layer.setRenderer(QgsSingleSymbolRenderer(sym))
    set_temporal(layer)


def style_mentions(layer):
    sym = QgsMarkerSymbol.createSimple({
        "name": "circle", "color": "#7f7f7f", "size": "1.6",
        "outline_color": "#ffffff", "outline_width": "0.2"})
    layer.setRenderer(QgsSingleSymbolRenderer(sym))


def style_places(layer):
    sym = QgsMarkerSymbol.createSimple({
        "name": "square", "color": "255,255,255,0", "size": "2.6",
        "outline_color": "#333333", "outline_width": "0.4"})
    sym.setDataDefinedSize(QgsProperty.fromExpression(
        "coalesce(scale_linear(\"mentions\", 1, 50, 2.2, 6), 2.2)"))
    layer.setRenderer(QgsSingleSymbolRenderer(sym))


def style_regions(layer):
    # Fixed classes, so the legend means the same in every export.
    classes = [(0, 0, "no events", "#f7f7f7"), (1, 2, "1 - 2", "#ffffb2"),
               (3, 5, "3 - 5", "#fecc5c"), (6, 10, "6 - 10", "#fd8d3c"),
               (11, 25, "11 - 25", "#f03b20"), (26, 1e9, "more than 25", "#bd0026")]
    ranges = []
    for lo, hi, label, color in classes:
        sym = QgsFillSymbol.createSimple({
            "color": color, "outline_color": "#666666", "outline_width": "0.2"})
        sym.setOpacity(0.75)
        ranges.append(QgsRendererRange(lo - 0.5 if lo else -0.5, hi + 0.5 if hi < 1e9 else hi,
                                       sym, label))
    layer.setRenderer(QgsGraduatedSymbolRenderer("events", ranges))


STYLERS = {"events": style_events, "flows": style_flows, "mentions": style_mentions,
           "places": style_places, "regions": style_regions}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    app = QgsApplication([], False)
    app.initQgis()
    work = tempfile.mkdtemp()
    try:
        gpkg = os.path.join(work, "geoannot.gpkg")
        shutil.copy(sys.argv[1], gpkg)
        project = QgsProject.instance()
        project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
        project.setTitle("geoannot: displacement events")
        for name in LAYERS:
            layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
            if not layer.isValid():
                sys.exit(f"layer {name} of {sys.argv[1]} is not valid")
            STYLERS[name](layer)
            err, ok = layer.saveNamedStyle(os.path.join(HERE, f"{name}.qml"))
            if not ok:
                sys.exit(f"cannot save style {name}: {err}")
            project.addMapLayer(layer)
        # Sentinels the template marks with @...@ placeholders below.
        project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(
            QgsRectangle(-111.25, -22.5, 111.75, 33.5),
            QgsCoordinateReferenceSystem("EPSG:4326")))
        project.timeSettings().setTemporalRange(QgsDateTimeRange(
            QDateTime(QDate(1901, 2, 3), QTime(0, 0, 0), Qt.UTC),
            QDateTime(QDate(1902, 3, 4), QTime(23, 59, 59), Qt.UTC)))
        qgs = os.path.join(work, "geoannot.qgs")
        if not project.write(qgs):
            sys.exit("cannot write the project")
        text = open(qgs, encoding="utf-8").read()
        for old, new in [("-111.25", "@XMIN@"), ("-22.5", "@YMIN@"), ("111.75", "@XMAX@"),
                         ("33.5", "@YMAX@"), ("1901-02-03T00:00:00Z", "@DATE_MIN@"),
                         ("1902-03-04T23:59:59Z", "@DATE_MAX@")]:
            if old not in text:
                sys.exit(f"sentinel {old} not found in the project")
            text = text.replace(f'"{old}"', f'"{new}"').replace(f">{old}<", f">{new}<")
        if "./geoannot.gpkg|layername=events" not in text:
            sys.exit("the project does not use relative paths")
        with open(os.path.join(HERE, "geoannot.qgs.in"), "w", encoding="utf-8") as f:
            f.write(text)
        print("wrote styles and geoannot.qgs.in to", HERE)
    finally:
        shutil.rmtree(work)
        app.exitQgis()


if __name__ == "__main__":
    main()
