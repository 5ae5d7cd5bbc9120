#!/usr/bin/env bash
# export.sh: export 1M events (DESIGN.md target: "export 1M events to
# GeoJSON no slower than ogr2ogr from the same table"). Builds a geoannot
# database with N synthetic events (default 1,000,000) spread over Syria,
# then times, in the same run:
#   geoannot export --layer events -f GeoJSON / -f GPKG
#   ogr2ogr converting the same events table of the same database to the
#   same formats (GeoJSON with RFC7946=YES)
# and prints each time with the ratio geoannot / ogr2ogr (<= 1.0 meets the
# target). Never fails the suite: problems are reported and it exits 0.
#
# usage: bench/export.sh [GEOANNOT] [N]   (GEOANNOT default build/geoannot)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GEOANNOT=${1:-${GEOANNOT:-$here/../build/geoannot}}
N=${2:-1000000}
note() { echo "export bench: $*" >&2; }
[ -x "$GEOANNOT" ] || { note "no geoannot binary at '$GEOANNOT'"; exit 0; }
command -v ogr2ogr >/dev/null || { note "no ogr2ogr; skipped"; exit 0; }
command -v sqlite3 >/dev/null || { note "no sqlite3; skipped"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/bench.sqlite"

cat >"$tmp/adm1.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"NAME_EN": "Syria box", "PCODE": "SY99"},
  "geometry": {"type": "Polygon", "coordinates": [[[35.7, 32.3], [42.4, 32.3], [42.4, 37.3], [35.7, 37.3], [35.7, 32.3]]]}}]}
JSON
"$GEOANNOT" gazetteer import boundaries "$tmp/adm1.geojson" --db "$db" -q ||
    { note "cannot create the database"; exit 0; }

t0=$(date +%s.%N)
sqlite3 "$db" <<SQL || { note "cannot generate events"; exit 0; }
SELECT load_extension('mod_spatialite');
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO documents(doc_id, title, url, source, doc_date, content_hash, text)
SELECT 'doc' || i, 'Report number ' || i, 'https://example.org/r/' || i, 'bench',
       date('2016-01-01', '+' || (i % 1500) || ' days'), 'h' || i, 'text' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO events(document_id, seq, type, status, trigger, event_date, time_precision,
                   geo_precision, place_gid, place_name, kind, country, admin1, admin1_pcode,
                   role, actors, people, sentence, reason, lon, lat)
SELECT 1 + i % 2000, i / 2000,
       CASE i % 6 WHEN 0 THEN 'forced_displacement' WHEN 1 THEN 'evacuation'
                  WHEN 2 THEN 'flight' WHEN 3 THEN 'siege' WHEN 4 THEN 'return'
                  ELSE 'protest' END,
       CASE i % 7 WHEN 0 THEN 'threatened' WHEN 1 THEN 'denied' ELSE 'reported' END,
       'displaced', date('2016-01-01', '+' || (i % 1500) || ' days'), 1, 1 + i % 3,
       'bench:' || (i % 5000), 'Place ' || (i % 5000), 'populated_place', 'SY', 'Homs', 'SY04',
       'site', CASE WHEN i % 5 = 0 THEN '["Russia","Turkey"]' END,
       CASE WHEN i % 3 = 0 THEN i % 20000 END,
       'Residents of Place ' || (i % 5000) || ' were displaced after the deal, the report said.',
       '''displaced'' with site Place ' || (i % 5000),
       35.7 + (i * 0.618034 - CAST(i * 0.618034 AS INTEGER)) * 6.7,
       32.3 + (i * 0.754878 - CAST(i * 0.754878 AS INTEGER)) * 5.0
FROM n;
UPDATE events SET geom = MakePoint(lon, lat, 4326);
COMMIT;
SQL
n=$(sqlite3 "$db" "SELECT count(*) FROM events")
note "$n events generated in $(echo "$(date +%s.%N) - $t0" | bc) s"

# time_it NAME CMD...: wall seconds of CMD into $secs (empty on failure).
time_it() {
    local name=$1
    shift
    local s e
    s=$(date +%s.%N)
    if "$@" >"$tmp/$name.log" 2>&1; then
        e=$(date +%s.%N)
        secs=$(echo "$e - $s" | bc)
    else
        note "$name failed: $(tail -3 "$tmp/$name.log")"
        secs=
    fi
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && echo "scale=2; $1 / $2" | bc || echo "n/a"; }

printf "%-10s %12s %12s %8s  %s\n" format geoannot_s ogr2ogr_s ratio "files (geoannot / ogr2ogr)"
for fmt in GeoJSON GPKG; do
    ext=$(echo "$fmt" | tr '[:upper:]' '[:lower:]')
    lco=()
    [ "$fmt" = GeoJSON ] && lco=(-lco RFC7946=YES)
    time_it "ga-$ext" "$GEOANNOT" export -q --db "$db" --layer events -f "$fmt" -o "$tmp/ga.$ext"
    ga=$secs
    time_it "ogr-$ext" ogr2ogr -f "$fmt" "$tmp/ogr.$ext" "$db" events "${lco[@]}"
    ogr=$secs
    printf "%-10s %12s %12s %8s  %s / %s\n" "$fmt" "${ga:-fail}" "${ogr:-fail}" \
        "$(ratio "$ga" "$ogr")" "$(du -h "$tmp/ga.$ext" 2>/dev/null | cut -f1)" \
        "$(du -h "$tmp/ogr.$ext" 2>/dev/null | cut -f1)"
    rm -f "$tmp/ga.$ext" "$tmp/ogr.$ext"
done
echo "target: GeoJSON ratio <= 1.0 (geoannot no slower than ogr2ogr from the same table)"
exit 0
