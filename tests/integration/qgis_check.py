#!/usr/bin/python3
"""qgis_check.py: real QGIS reads what `geoannot export` wrote.

Run by qgis_layers.sh with Debian's /usr/bin/python3 and
QT_QPA_PLATFORM=offscreen:

    qgis_check.py DB EXPORTS PROJECT_DIR PNG

DB is the geoannot database the exports came from; EXPORTS holds
geojson/<layer>.geojson, all.gpkg, csv/<layer>.csv, all.kml and
fgb/<layer>.fgb; PROJECT_DIR is the output of --qgis-project. Checks every
layer in every format (valid, feature count equal to the database, CRS
EPSG:4326, event_date a Date where the format has dates, no fid
attribute), the styles (events categorised by type, flows arrows, regions
graduated by event count), the project (opens, every layer valid and
relative, temporal controller on event_date), and renders the project to
PNG. Prints one line per failure and exits 1 if there was any.
"""
import os
import sqlite3
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob,
    QgsMapSettings, QgsProject, QgsVectorLayer, QgsVectorLayerTemporalProperties)
from qgis.PyQt.QtCore import QSize, QVariant  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

LAYERS = ["events", "flows", "mentions", "places", "regions"]
POINTS = {"events", "mentions", "places"}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def expected_counts(db):
    """What each layer must hold, computed from the tables directly (the
    export's rules, written independently of its C code)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    n = {
        "events": q("SELECT count(*) FROM events WHERE lon IS NOT NULL AND lat IS NOT NULL"),
        # one flow per report, type, status, date, origin and destination
        "flows": q("SELECT count(*) FROM (SELECT DISTINCT d.doc_id, e.type, e.status,"
                   " e.event_date, round(origin_lon, 6), round(origin_lat, 6),"
                   " round(dest_lon, 6), round(dest_lat, 6) FROM events e"
                   " JOIN documents d ON d.id = e.document_id"
                   " WHERE origin_lon IS NOT NULL AND origin_lat IS NOT NULL"
                   " AND dest_lon IS NOT NULL AND dest_lat IS NOT NULL)"),
        "mentions": q("SELECT count(*) FROM mentions WHERE place_id IS NOT NULL"),
        "places": q("SELECT count(DISTINCT place_id) FROM mentions WHERE place_id IS NOT NULL"),
        "regions": q("SELECT count(*) FROM boundaries b JOIN places p ON p.id = b.place_id"
                     " WHERE b.level = 'adm1' AND p.country IN"
                     " (SELECT country FROM events WHERE country IS NOT NULL)"),
    }
    dates = dict(con.execute("SELECT id, event_date FROM events "
                             "WHERE lon IS NOT NULL AND lat IS NOT NULL"))
    span = con.execute("SELECT min(event_date), max(event_date) FROM events").fetchone()
    con.close()
    return n, dates, span


def sources(exports):
    """(format, layer) -> (uri, provider)."""
    out = {}
    for layer in LAYERS:
        out[("GeoJSON", layer)] = (f"{exports}/geojson/{layer}.geojson", "ogr")
        out[("GPKG", layer)] = (f"{exports}/all.gpkg|layername={layer}", "ogr")
        if layer in POINTS:
            csv = (f"file://{exports}/csv/{layer}.csv?delimiter=,&xField=lon&yField=lat"
                   "&crs=EPSG:4326&detectTypes=yes")
        else:
            csv = (f"file://{exports}/csv/{layer}.csv?delimiter=,&wktField=WKT"
                   "&crs=EPSG:4326&detectTypes=yes")
        out[("CSV", layer)] = (csv, "delimitedtext")
        out[("KML", layer)] = (f"{exports}/all.kml|layername={layer}", "ogr")
        out[("FlatGeobuf", layer)] = (f"{exports}/fgb/{layer}.fgb", "ogr")
    return out


# What QGIS makes of event_date: GeoJSON and GPKG keep the Date, the CSV's
# ISO strings are detected as dates, FlatGeobuf has no Date type (it comes
# back as DateTime), KML has no typed dates at all.
DATE_TYPES = {"GeoJSON": {QVariant.Date}, "GPKG": {QVariant.Date}, "CSV": {QVariant.Date},
              "FlatGeobuf": {QVariant.DateTime}, "KML": {QVariant.String}}


def check_layers(exports, counts):
    for (fmt, layer), (uri, provider) in sources(exports).items():
        what = f"{fmt} {layer}"
        lyr = QgsVectorLayer(uri, layer, provider)
        if not lyr.isValid():
            fail(f"{what}: QGIS cannot load {uri}")
            continue
        got = lyr.featureCount()
        if got != counts[layer]:
            fail(f"{what}: {got} features, database says {counts[layer]}")
        if lyr.crs().authid() != "EPSG:4326":
            fail(f"{what}: CRS {lyr.crs().authid()!r}, want EPSG:4326")
        names = [f.name() for f in lyr.fields()]
        if fmt != "GPKG" and any(n.lower() == "fid" for n in names):
            # (a GeoPackage's fid is its primary key, not an attribute we write)
            fail(f"{what}: has a fid attribute: {names}")
        if layer in ("events", "flows"):
            i = lyr.fields().indexOf("event_date")
            if i < 0:
                fail(f"{what}: no event_date field in {names}")
            elif lyr.fields()[i].type() not in DATE_TYPES[fmt]:
                fail(f"{what}: event_date is {lyr.fields()[i].typeName()}, want "
                     f"{[QVariant.typeToName(t) for t in DATE_TYPES[fmt]]}")
        if layer == "regions" and fmt != "KML" and lyr.fields().indexOf("events") < 0:
            fail(f"{what}: no events count field in {names}")
        if got and counts[layer]:
            geoms = [f.geometry() for f in lyr.getFeatures()]
            if any(g.isNull() for g in geoms) and layer != "places":
                fail(f"{what}: features without geometry")


def check_values(exports, dates):
    """event_date values survive the trip, for every event."""
    lyr = QgsVectorLayer(f"{exports}/geojson/events.geojson", "events", "ogr")
    seen = {}
    for f in lyr.getFeatures():
        d = f["event_date"]
        seen[f["event_id"]] = d.toString("yyyy-MM-dd") if d and not d.isNull() else None
    for eid, date in dates.items():
        want = date[:10] if date else None
        if seen.get(eid, "missing") != want:
            fail(f"GeoJSON events: event {eid} has date {seen.get(eid, 'missing')}, "
                 f"database {want}")


def check_styles(exports, project_dir):
    def styled(layer_name, uri):
        lyr = QgsVectorLayer(uri, layer_name, "ogr")
        msg, ok = lyr.loadNamedStyle(os.path.join(project_dir, f"{layer_name}.qml"))
        if not ok:
            fail(f"style {layer_name}.qml does not load: {msg}")
        return lyr

    ev = styled("events", f"{exports}/geojson/events.geojson")
    r = ev.renderer()
    if r.type() != "categorizedSymbol" or r.classAttribute() != "type":
        fail(f"events style: renderer {r.type()} on {getattr(r, 'classAttribute', lambda: '')()}"
             ", want categorizedSymbol on type")
    else:
        values = {c.value() for c in r.categories()}
        for t in ("forced_displacement", "evacuation", "flight", "siege", "return", "protest"):
            if t not in values:
                fail(f"events style: no category for {t}")
        colours = {c.symbol().color().name() for c in r.categories()}
        if len(colours) < 6:
            fail(f"events style: only {len(colours)} distinct colours")
    fl = styled("flows", f"{exports}/geojson/flows.geojson")
    sl = fl.renderer().symbol().symbolLayer(0) if fl.renderer().type() == "singleSymbol" else None
    if not sl or sl.layerType() != "ArrowLine":
        fail("flows style: not an arrow line")
    rg = styled("regions", f"{exports}/geojson/regions.geojson")
    if rg.renderer().type() != "graduatedSymbol" or rg.renderer().classAttribute() != "events":
        fail(f"regions style: renderer {rg.renderer().type()}, want graduatedSymbol on events")


def check_project(project_dir, counts, span, png):
    qgs = os.path.join(project_dir, "geoannot.qgs")
    text = open(qgs, encoding="utf-8").read()
    for layer in LAYERS:
        if f"./geoannot.gpkg|layername={layer}" not in text:
            fail(f"project: layer {layer} not loaded by relative path")
    if os.path.abspath(project_dir) in text:
        fail("project: holds an absolute path to its directory")
    project = QgsProject.instance()
    if not project.read(qgs):
        fail(f"project: QGIS cannot read {qgs}: {project.error()}")
        return
    layers = {l.name(): l for l in project.mapLayers().values()}
    if sorted(layers) != sorted(LAYERS):
        fail(f"project: layers {sorted(layers)}, want {sorted(LAYERS)}")
    for name, lyr in layers.items():
        if not lyr.isValid():
            fail(f"project: layer {name} is not valid ({lyr.source()})")
            continue
        if lyr.featureCount() != counts.get(name, -1):
            fail(f"project: layer {name} has {lyr.featureCount()} features, database "
                 f"{counts.get(name)}")
    ev = layers.get("events")
    if ev and ev.isValid():
        if ev.renderer().type() != "categorizedSymbol":
            fail(f"project: events renderer is {ev.renderer().type()}")
        tp = ev.temporalProperties()
        if not tp.isActive() or tp.startField() != "event_date" or \
                tp.mode() != QgsVectorLayerTemporalProperties.ModeFeatureDateTimeInstantFromField:
            fail("project: events temporal properties are not instant-from-field event_date")
    rng = project.timeSettings().temporalRange()
    if span[0] and rng.begin().date().toString("yyyy-MM-dd") != span[0][:10]:
        fail(f"project: time range starts {rng.begin().toString()}, first event {span[0]}")
    if span[1] and rng.end().date().toString("yyyy-MM-dd") != span[1][:10]:
        fail(f"project: time range ends {rng.end().toString()}, last event {span[1]}")
    # Render the whole project, layers in the order of its layer tree.
    order = [l for l in project.layerTreeRoot().layerOrder() if l.isValid()]
    ms = QgsMapSettings()
    ms.setLayers(order)
    ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    ms.setExtent(project.viewSettings().defaultViewExtent())
    ms.setOutputSize(QSize(1000, 800))
    ms.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(ms)
    job.start()
    job.waitForFinished()
    if job.errors():
        fail(f"render: {[e.message for e in job.errors()]}")
    img = job.renderedImage()
    if not img.save(png, "PNG"):
        fail(f"render: cannot save {png}")
    colours = set()
    for y in range(0, img.height(), 4):
        for x in range(0, img.width(), 4):
            colours.add(img.pixel(x, y))
    if len(colours) < 8:
        fail(f"render: the image has only {len(colours)} colours; nothing drawn?")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    db, exports, project_dir, png = sys.argv[1:]
    exports = os.path.abspath(exports)
    counts, dates, span = expected_counts(db)
    if counts["events"] == 0:
        sys.exit("FAIL: the database holds no events; nothing to check")
    app = QgsApplication([], False)
    app.initQgis()
    try:
        check_layers(exports, counts)
        check_values(exports, dates)
        check_styles(exports, project_dir)
        check_project(project_dir, counts, span, png)
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    if failures:
        print(f"{len(failures)} QGIS check(s) failed", flush=True)
        sys.exit(1)
    print(f"ok: QGIS read 5 layers x 5 formats and the project "
          f"({', '.join(f'{k} {v}' for k, v in counts.items())}); rendered {png}")


if __name__ == "__main__":
    main()
