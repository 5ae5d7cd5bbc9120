#!/usr/bin/env bash
# The README's main job end to end, checked in QGIS: init, annotate the
# example reports, export the QGIS project, and have QGIS open it with every
# layer valid and render it.
set -euo pipefail
fail() { echo "qgis_example: $*" >&2; exit 1; }
/usr/bin/python3 -c 'import qgis.core' 2>/dev/null || { echo "python3-qgis is not installed" >&2; exit 77; }
gaz="$GA_BUILD_DIR/gazetteer/default.sqlite"
[ -f "$gaz" ] || { echo "no default gazetteer at $gaz (run scripts/setup.sh)" >&2; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$GEOANNOT" init -q --db "$tmp/ex.sqlite"
"$GEOANNOT" annotate -q --db "$tmp/ex.sqlite" --format none "$GA_SOURCE_DIR/examples/reports.jsonl"
events=$(sqlite3 "$tmp/ex.sqlite" "select count(*) from events")
[ "$events" -ge 5 ] || fail "only $events events from the example reports"
"$GEOANNOT" export -q --db "$tmp/ex.sqlite" --qgis-project "$tmp/maps"
for f in geoannot.qgs geoannot.gpkg events.qml flows.qml regions.qml; do
  [ -s "$tmp/maps/$f" ] || fail "export wrote no $f"
done
QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$GA_SOURCE_DIR/maps/templates/render.py" \
  "$tmp/maps/geoannot.qgs" "$tmp/maps/geoannot.png" || fail "QGIS could not open or render the project"
[ -s "$tmp/maps/geoannot.png" ] || fail "no PNG rendered"
echo "ok: $events events, project opened and rendered by QGIS"
