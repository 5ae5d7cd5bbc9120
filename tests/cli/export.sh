#!/usr/bin/env bash
# export.sh: `geoannot export` on a small database: the happy path in every
# file format (RFC 7946 GeoJSON without crs or fid, CSV with ISO dates and
# the HXL row, attribution), and bad requests, each with its exit code, a
# clear message and no partial or temporary file left behind: an existing
# file without --overwrite, an unwritable or missing directory, an unknown
# format (listing the supported ones), an unreachable PostgreSQL server
# (password masked), a failure in the middle of an --append.
#
# Needs $GEOANNOT and the sqlite3 command; builds its own database from an
# inline two-governorate fixture, so no default gazetteer is needed.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
command -v sqlite3 >/dev/null || skip "no sqlite3 command"

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
export GEOANNOT_DB="$tmp/g.sqlite"

run() { rc=0; "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; }
ok() {
    run "$@"
    [ "$rc" -eq 0 ] || fail "'geoannot $*' exited $rc: $(cat "$tmp/err")"
}
# refused CODE PATTERN ARGS...: exit CODE and PATTERN (grep -E) on stderr.
refused() {
    local code=$1 pattern=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$code" ] || fail "'geoannot $*' exited $rc, expected $code: $(cat "$tmp/err")"
    grep -Eq -- "$pattern" "$tmp/err" ||
        fail "'geoannot $*': message does not match '$pattern': $(cat "$tmp/err")"
}
# no_temps DIR: no temporary files of an export left in DIR.
no_temps() {
    local left
    left=$(find "$1" -name '.*.tmp.*' -o -name '.*.hxl.*' -o -name '*.tmp' | head -3)
    [ -z "$left" ] || fail "temporary files left behind: $left"
}

# ---- a database -----------------------------------------------------------------
ok gazetteer import boundaries "$GA_SOURCE_DIR/tests/fixtures/two_governorates.geojson" -q
sqlite3 "$GEOANNOT_DB" <<'SQL' || fail "cannot seed the database"
SELECT load_extension('mod_spatialite');
BEGIN;
INSERT INTO documents(doc_id, title, url, doc_date, content_hash, text) VALUES
  ('h1', 'Harasta evacuation', 'https://example.org/h1', '2018-03-22', 'x1', '...'),
  ('w1', 'Waer deal, "quoted", with commas', NULL, '2017-03-18', 'x2', '...');
INSERT INTO events(document_id, seq, type, status, event_date, time_precision, geo_precision,
                   place_name, country, admin1, admin1_pcode, role, people, actors,
                   origin_name, origin_lon, origin_lat, dest_name, dest_lon, dest_lat, lon, lat)
SELECT d.id, e.seq, e.type, e.status, e.date, 1, 1, e.name, 'SY', e.adm1, e.pcode, e.role,
       e.people, e.actors, e.oname, e.olon, e.olat, e.dname, e.dlon, e.dlat, e.lon, e.lat
FROM (SELECT 'h1' AS doc, 0 AS seq, 'evacuation' AS type, 'reported' AS status,
             '2018-03-22' AS date, 'Harasta' AS name, 'Rural Damascus' AS adm1,
             'SY03' AS pcode, 'origin' AS role, 1500 AS people, '["Russia","Turkey"]' AS actors,
             'Harasta' AS oname, 36.365 AS olon, 33.558 AS olat, 'Idlib' AS dname,
             36.633 AS dlon, 35.93 AS dlat, 36.365 AS lon, 33.558 AS lat
      UNION ALL SELECT 'w1', 0, 'forced_displacement', 'threatened', '2017-03-18', 'Al-Waer',
             'Homs', 'SY04', 'site', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 36.667, 34.733) e
JOIN documents d ON d.doc_id = e.doc;
UPDATE events SET geom = MakePoint(lon, lat, 4326);
COMMIT;
SQL

# ---- the happy path ------------------------------------------------------------
ok export -q -o ev.geojson
grep -q '"type": "FeatureCollection"' ev.geojson || fail "ev.geojson is not a FeatureCollection"
grep -q '"crs"' ev.geojson && fail "GeoJSON has a crs member (not RFC 7946)"
grep -q '"fid"' ev.geojson && fail "GeoJSON has a fid attribute"
grep -q '"event_date": "2018-03-22"' ev.geojson || fail "no ISO event_date in GeoJSON"
grep -q '"actors": "Russia; Turkey"' ev.geojson || fail "actors not joined in GeoJSON"
grep -q 'GeoNames\|Place data' ev.geojson || fail "no attribution in the GeoJSON description"
grep -q '"coordinates": \[ 36.365, 33.558 \]' ev.geojson || fail "Harasta not at lon, lat"

ok export -q --layer events,flows -f CSV -o csv
[ -f csv/events.csv ] && [ -f csv/flows.csv ] || fail "CSV directory export: $(ls csv)"
sed -n 2p csv/events.csv | grep -q '^#event+id,#date+occurred,' ||
    fail "no HXL row under the CSV header: $(sed -n 2p csv/events.csv)"
for tag in '#event+type' '#loc+name' '#adm1+name' '#adm1+code' '#geo+lat' '#geo+lon' \
           '#affected+displaced' '#meta+source' '#meta+url'; do
    sed -n 2p csv/events.csv | grep -qF -- "$tag" || fail "HXL row lacks $tag"
done
grep -q '^[0-9]*,2017-03-18,' csv/events.csv || fail "CSV dates are not ISO: $(sed -n 3p csv/events.csv)"
grep -q '2017/03/18' csv/events.csv && fail "CSV has GDAL's slash dates"
grep -q '"Waer deal, ""quoted"", with commas"' csv/events.csv || fail "CSV quoting is wrong"
[ "$(wc -l <csv/flows.csv)" -eq 3 ] || fail "flows.csv should be header, HXL and one flow"
[ -s csv/ATTRIBUTION.txt ] || fail "no ATTRIBUTION.txt beside the CSV files"

for fmt in GPKG KML FlatGeobuf; do
    ok export -q --layer all -f "$fmt" -o "all.$fmt"
    [ -s "all.$fmt" ] || [ -d "all.$fmt" ] || fail "$fmt export wrote nothing"
done
# a GeoPackage without --layer holds every layer; a GeoJSON file the events
ok export -q -o every.gpkg
got=$(sqlite3 every.gpkg "SELECT group_concat(table_name, ' ') FROM
        (SELECT table_name FROM gpkg_contents ORDER BY table_name)")
[ "$got" = "events flows mentions places regions" ] || fail "every.gpkg has layers: $got"
ok export -q -o ev.fgb
[ -s ev.fgb.ATTRIBUTION.txt ] || fail "no attribution sidecar for FlatGeobuf"
no_temps "$tmp"

# ---- an existing destination ---------------------------------------------------
sum=$(md5sum <ev.geojson)
refused 1 "'ev.geojson' already exists; use --overwrite" export -o ev.geojson
[ "$(md5sum <ev.geojson)" = "$sum" ] || fail "a refused export changed the file"
ok export -q -o ev.geojson --overwrite --type evacuation
grep -q 'forced_displacement' ev.geojson && fail "--overwrite --type kept the old content"
grep -q '"evacuation"' ev.geojson || fail "--overwrite did not write the new content"
refused 1 "--append works with GPKG and PostgreSQL only" export -o ev.geojson --append
refused 2 "exclude each other" export -o ev.geojson --append --overwrite
refused 1 "is a file" export -q --layer all -f GeoJSON -o ev.geojson

# ---- unwritable and missing directories ------------------------------------------
refused 1 "cannot write '$tmp/missing/x.geojson': directory '$tmp/missing' does not exist" \
    export -o "$tmp/missing/x.geojson"
refused 1 "cannot write '/proc/geoannot-test.geojson'" export -o /proc/geoannot-test.geojson
if [ "$(id -u)" -ne 0 ]; then
    mkdir ro && chmod 555 ro
    refused 1 "cannot write 'ro/x.gpkg': directory 'ro' is not writable" export -f GPKG -o ro/x.gpkg
    [ -z "$(ls -A ro)" ] || fail "files left in the unwritable directory: $(ls -A ro)"
fi

# ---- formats ---------------------------------------------------------------------
refused 2 "unknown format 'Shapefile'; supported: GeoJSON, GPKG, CSV, KML, FlatGeobuf, PostgreSQL" \
    export -f Shapefile -o x.shp
refused 2 "cannot tell the format of 'x.weird'.*GeoJSON, GPKG" export -o x.weird
refused 2 "unknown layer 'roads'" export --layer roads -o x.geojson
refused 2 "no destination" export -f GeoJSON
[ ! -e x.shp ] && [ ! -e x.weird ] && [ ! -e x.geojson ] || fail "a refused export left a file"

# ---- PostgreSQL that is not there ----------------------------------------------------
refused 1 "cannot connect to PostgreSQL" export -f PostgreSQL \
    "PG:host=$tmp/no-server dbname=maps user=nobody password=secret" --layer events
grep -q secret "$tmp/err" && fail "the message shows the password: $(cat "$tmp/err")"
refused 1 "must be a connection string" export -f PostgreSQL -o maps.db

# ---- a failure in the middle leaves the old file ----------------------------------------
ok export -q --layer events -f GPKG -o app.gpkg
sqlite3 app.gpkg "CREATE TRIGGER boom BEFORE INSERT ON events BEGIN
                  SELECT RAISE(ABORT, 'no more rows'); END;" || fail "cannot arm the trigger"
sum=$(md5sum <app.gpkg)
refused 1 "cannot write a feature to layer 'events'" export -f GPKG --layer events -o app.gpkg --append
[ "$(md5sum <app.gpkg)" = "$sum" ] || fail "a failed --append changed the GeoPackage"
no_temps "$tmp"

# ---- the database must exist ---------------------------------------------------------
refused 1 "database '$tmp/none.sqlite' does not exist" export --db "$tmp/none.sqlite" -o y.geojson
[ ! -e y.geojson ] || fail "export from a missing database left y.geojson"

echo "ok: export formats and refusals"
