#!/usr/bin/env bash
# scripts/run-example.sh: the main job on the built-in default. Sets
# everything up, annotates the example reports in examples/ into
# maps/examples.sqlite, and writes the map layers, styles and the QGIS
# project into maps/.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
scripts/setup.sh
db=maps/examples.sqlite
rm -f "$db" "$db-wal" "$db-shm" "$db.idx"
build/geoannot init --db "$db"
build/geoannot annotate --db "$db" --format text examples/reports.jsonl
build/geoannot export --db "$db" --qgis-project maps --overwrite
# A preview made by QGIS itself, when QGIS is installed (scripts/test.sh
# installs it; this script does not need it).
if /usr/bin/python3 -c 'import qgis.core' 2>/dev/null; then
  QT_QPA_PLATFORM=offscreen /usr/bin/python3 maps/templates/render.py maps/geoannot.qgs maps/geoannot.png
  echo "rendered maps/geoannot.png with QGIS"
fi
echo
echo "Open maps/geoannot.qgs in QGIS to see the events (a preview is in maps/geoannot.png)."
