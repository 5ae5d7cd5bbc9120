#!/usr/bin/env bash
# qgis_layers.sh: real QGIS reads every layer `geoannot export` writes, in
# every file format, and opens and renders the project of --qgis-project.
#
# The database: `geoannot init` from the default gazetteer, with the seed
# reports annotated when `geoannot annotate` exists; without a default
# gazetteer, the OCHA admin-1 boundaries of ../shared/data/cod-syria
# imported into a new database. Either way a set of synthetic documents,
# mentions and events (every event type and status, a flow) is added with
# sqlite3 + SpatiaLite so that every layer has rows. Then every layer is
# exported as GeoJSON, GPKG, CSV, KML and FlatGeobuf, plus the QGIS
# project, and qgis_check.py (Debian's /usr/bin/python3, offscreen Qt)
# checks counts against the database, CRS, field types, styles, the
# project, and renders it to $GA_BUILD_DIR/qgis/geoannot.png.
#
# Needs $GEOANNOT, $GA_BUILD_DIR, $GA_SOURCE_DIR. Exits 77 (skip) only when
# python3-qgis is not installed or no gazetteer source is available.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

py=/usr/bin/python3
export QT_QPA_PLATFORM=offscreen
[ -x "$py" ] && "$py" -c 'import qgis.core' >/dev/null 2>&1 ||
    skip "python3-qgis is not installed for $py"
command -v sqlite3 >/dev/null || fail "no sqlite3 command"
check="$(cd "$(dirname "$0")" && pwd)/qgis_check.py"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GEOANNOT_DB="$tmp/g.sqlite"
export GEOANNOT_MAPS="$GA_SOURCE_DIR/maps/templates"

ok() {
    local rc=0
    "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq 0 ] || fail "'geoannot $*' exited $rc: $(cat "$tmp/err")"
}

# ---- the database ---------------------------------------------------------------
default_gaz="$GA_BUILD_DIR/gazetteer/default.sqlite"
cod="$GA_SOURCE_DIR/../shared/data/cod-syria/syr_admin1.geojson"
seeds="$GA_SOURCE_DIR/../shared/seeds"
if [ -f "$default_gaz" ]; then
    ok init --gazetteer "$default_gaz" -q
    if "$GEOANNOT" annotate -h >/dev/null 2>&1 && [ -d "$seeds" ]; then
        ok annotate -q "$seeds"/*.txt
    fi
elif [ -f "$cod" ]; then
    ok gazetteer import boundaries "$cod" -q
else
    skip "no default gazetteer ('$default_gaz') and no OCHA boundaries ('$cod')"
fi

sqlite3 "$GEOANNOT_DB" <<'SQL' || fail "cannot add the synthetic events"
SELECT load_extension('mod_spatialite');
BEGIN;
INSERT INTO places(gid, name, kind, country, admin1, admin1_pcode, lon, lat, source, population)
VALUES ('test:homs', 'Homs', 'populated_place', 'SY', 'Homs', 'SY04', 36.7167, 34.7333, 'test', 652609),
       ('test:harasta', 'Harasta', 'populated_place', 'SY', 'Rural Damascus', 'SY03', 36.365, 33.558, 'test', 30000),
       ('test:idlib', 'Idlib', 'populated_place', 'SY', 'Idleb', 'SY07', 36.6333, 35.9306, 'test', 128840),
       ('test:madaya', 'Madaya', 'populated_place', 'SY', 'Rural Damascus', 'SY03', 36.099, 33.69, 'test', 9000),
       ('test:rastan', 'Ar Rastan', 'populated_place', 'SY', 'Homs', 'SY04', 36.733, 34.925, 'test', 40000),
       ('test:waer', 'Al-Waer', 'section', 'SY', 'Homs', 'SY04', 36.667, 34.733, 'test', 0),
       ('test:aleppo', 'Aleppo', 'populated_place', 'SY', 'Aleppo', 'SY02', 37.16, 36.2, 'test', 1602264);
UPDATE places SET geom = MakePoint(lon, lat, 4326) WHERE gid LIKE 'test:%';
INSERT INTO documents(doc_id, title, url, source, doc_date, content_hash, text) VALUES
  ('test-h1', 'Harasta evacuation', 'https://example.org/h1', 'example', '2018-03-22', 't1', '...'),
  ('test-w1', 'Waer deal', 'https://example.org/w1', 'example', '2017-03-18', 't2', '...'),
  ('test-p1', 'Protests in Rastan', NULL, NULL, '2017-03-19', 't3', '...'),
  ('test-a1', 'Aleppo flight', NULL, NULL, '2016-12-15', 't4', '...');
INSERT INTO mentions(document_id, seq, start, end, text, place_id, place_gid, place_name, kind,
                     admin1, admin1_pcode, country, precision, score, reason, sent_start,
                     sent_end)
SELECT d.id, m.seq, m.s, m.e, m.t, p.id, p.gid, p.name, p.kind, p.admin1, p.admin1_pcode,
       p.country, 1, 0.9, 'test', 0, 3
FROM (SELECT 'test-h1' AS doc, 0 AS seq, 10 AS s, 17 AS e, 'Harasta' AS t, 'test:harasta' AS gid
      UNION ALL SELECT 'test-h1', 1, 40, 45, 'Idlib', 'test:idlib'
      UNION ALL SELECT 'test-w1', 0, 5, 9, 'Waer', 'test:waer'
      UNION ALL SELECT 'test-w1', 1, 20, 24, 'Homs', 'test:homs'
      UNION ALL SELECT 'test-w1', 2, 60, 66, 'Madaya', 'test:madaya'
      UNION ALL SELECT 'test-p1', 0, 15, 24, 'Al-Rastan', 'test:rastan'
      UNION ALL SELECT 'test-a1', 0, 0, 6, 'Aleppo', 'test:aleppo'
      UNION ALL SELECT 'test-a1', 1, 30, 35, 'Idlib', 'test:idlib') m
JOIN documents d ON d.doc_id = m.doc JOIN places p ON p.gid = m.gid;
INSERT INTO mentions(document_id, seq, start, end, text)
SELECT id, 9, 0, 4, 'Nowhereville' FROM documents WHERE doc_id = 'test-p1';
UPDATE mentions SET geom = (SELECT MakePoint(p.lon, p.lat, 4326) FROM places p
                            WHERE p.id = mentions.place_id)
WHERE place_gid LIKE 'test:%';
INSERT INTO events(document_id, seq, type, status, trigger, event_date, time_precision,
                   geo_precision, mention_seq, place_id, place_gid, place_name, kind, admin1,
                   admin1_pcode, country, role, origin_name, origin_lon, origin_lat, dest_name,
                   dest_lon, dest_lat, actors, people, sentence, reason, lon, lat)
SELECT d.id, e.seq, e.type, e.status, e.trig, e.date, 1, 1, e.mseq, p.id, p.gid, p.name, p.kind,
       p.admin1, p.admin1_pcode, p.country, e.role, e.oname, e.olon, e.olat, e.dname, e.dlon,
       e.dlat, e.actors, e.people, 'sentence', 'reason', p.lon, p.lat
FROM (SELECT 'test-h1' AS doc, 0 AS seq, 'evacuation' AS type, 'reported' AS status,
             'left' AS trig, '2018-03-22' AS date, 0 AS mseq, 'test:harasta' AS gid,
             'origin' AS role, 'Harasta' AS oname, 36.365 AS olon, 33.558 AS olat,
             'Idlib' AS dname, 36.6333 AS dlon, 35.9306 AS dlat, '["Russia"]' AS actors,
             1500 AS people
      UNION ALL SELECT 'test-h1', 1, 'evacuation', 'reported', 'left', '2018-03-22', 1,
             'test:idlib', 'destination', 'Harasta', 36.365, 33.558, 'Idlib', 36.6333, 35.9306,
             '["Russia"]', 1500
      UNION ALL SELECT 'test-w1', 0, 'forced_displacement', 'threatened', 'displace',
             '2017-03-18', 0, 'test:waer', 'site', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      UNION ALL SELECT 'test-w1', 1, 'siege', 'reported', 'besieged', '2017-03-18', 2,
             'test:madaya', 'site', NULL, NULL, NULL, NULL, NULL, NULL,
             '["Syrian government","Hezbollah"]', NULL
      UNION ALL SELECT 'test-w1', 2, 'return', 'denied', 'return', '2017-03-17', 1,
             'test:homs', 'site', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
      UNION ALL SELECT 'test-p1', 0, 'protest', 'reported', 'protest', '2017-03-19', 0,
             'test:rastan', 'site', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 200
      UNION ALL SELECT 'test-a1', 0, 'flight', 'reported', 'fled', '2016-12-15', 0,
             'test:aleppo', 'origin', 'Aleppo', 37.16, 36.2, 'Idlib', 36.6333, 35.9306, NULL,
             35000) e
JOIN documents d ON d.doc_id = e.doc JOIN places p ON p.gid = e.gid;
UPDATE events SET geom = MakePoint(lon, lat, 4326) WHERE lon IS NOT NULL AND geom IS NULL;
COMMIT;
SQL

# ---- every layer in every format --------------------------------------------------
mkdir exports
ok export -q --layer all -f GeoJSON -o exports/geojson
ok export -q --layer all -f GPKG -o exports/all.gpkg
ok export -q --layer all -f CSV -o exports/csv
ok export -q --layer all -f KML -o exports/all.kml
ok export -q --layer all -f FlatGeobuf -o exports/fgb
ok export -q --qgis-project project
for f in geoannot.gpkg geoannot.qgs events.qml flows.qml mentions.qml places.qml regions.qml \
         ATTRIBUTION.txt; do
    [ -s "project/$f" ] || fail "--qgis-project did not write $f"
done
# Things QGIS would not complain about but the format contract cares for.
grep -q '"crs"' exports/geojson/events.geojson && fail "GeoJSON is not RFC 7946 (crs member)"
for l in events flows mentions places regions; do
    f="exports/csv/$l.csv"
    sed -n 2p "$f" | grep -q '#loc+name\|#adm1+name\|#event+type' || fail "$l.csv has no HXL row"
    [ "$(sed -n 1p "$f" | tr -cd , | wc -c)" -eq "$(sed -n 2p "$f" | tr -cd , | wc -c)" ] ||
        fail "$l.csv: the HXL row does not line up with the header"
done
grep -q GeoNames project/ATTRIBUTION.txt ||
    grep -q 'Place data' project/ATTRIBUTION.txt || fail "no attribution in the project"

# ---- QGIS --------------------------------------------------------------------------
mkdir -p "$GA_BUILD_DIR/qgis"
png="$GA_BUILD_DIR/qgis/geoannot.png"
"$py" "$check" "$GEOANNOT_DB" exports project "$png" 2>"$tmp/qgis.err" ||
    fail "QGIS checks failed (stderr: $(grep -v -e XDG_RUNTIME -e '^$' "$tmp/qgis.err" | tail -5))"
[ -s "$png" ] || fail "no rendering at $png"
