#!/usr/bin/python3
"""render.py: open a geoannot QGIS project in QGIS itself and render it.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 maps/templates/render.py PROJECT.qgs OUT.png

Fails (exit 1, one line per problem) when QGIS cannot read the project, a
layer is invalid or empty of a renderer, or nothing is drawn. Used by
scripts/run-example.sh to make maps/geoannot.png and by
tests/integration/qgis_example.sh.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem,  # noqa: E402
                       QgsMapRendererParallelJob, QgsMapSettings, QgsProject)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print("usage: render.py PROJECT.qgs OUT.png", file=sys.stderr)
        return 2
    qgs, png = sys.argv[1:]
    app = QgsApplication([], False)
    app.initQgis()
    problems = []
    project = QgsProject.instance()
    if not project.read(qgs):
        problems.append(f"QGIS cannot read {qgs}: {project.error()}")
    else:
        layers = list(project.mapLayers().values())
        if not layers:
            problems.append("the project has no layers")
        for lyr in layers:
            if not lyr.isValid():
                problems.append(f"layer {lyr.name()} is not valid ({lyr.source()})")
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
            problems.append(f"render: {[e.message for e in job.errors()]}")
        img = job.renderedImage()
        colours = {img.pixel(x, y) for y in range(0, img.height(), 4)
                   for x in range(0, img.width(), 4)}
        if len(colours) < 8:
            problems.append(f"the image has only {len(colours)} colours; nothing drawn?")
        if not img.save(png, "PNG"):
            problems.append(f"cannot save {png}")
    for p in problems:
        print(f"render.py: {p}", file=sys.stderr)
    app.exitQgis()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
