#!/usr/bin/env bash
# export.sh: export 1M events (DESIGN.md target: "export 1M events to
# GeoJSON no slower than ogr2ogr from the same table"; the issue "Map
# layers for QGIS" asks the same of GPKG). Builds a geoannot database with
# N synthetic events (default 1,000,000) spread over Syria, then times, in
# the same run:
#   geoannot export --layer events -f GeoJSON / -f GPKG
#   ogr2ogr converting the same events table of the same database to the
#   same formats (GeoJSON with RFC7946=YES; GPKG with its spatial index)
# and prints each wall and CPU time with the ratio geoannot / ogr2ogr
# (a wall ratio <= 1.0 meets the target). Never fails the suite: problems
# are reported and it exits 0.
#
# Both GeoPackages get the same R*Tree, built differently: ogr2ogr (GDAL
# 3.6) inserts every feature into it one by one when the layer is closed,
# about 60 % of its time (on the development machine, back to back: 33.6 s
# with the index, 13.8 s with -lco SPATIAL_INDEX=NO); geoannot packs it in
# one pass after the rows (src/export/gpkg_index.c; 1.3 to 2.1 s for a
# million points in three runs of the packing alone).
#
# usage: bench/export.sh [GEOANNOT] [N]   (GEOANNOT default build/geoannot)
#
# GEOANNOT_BENCH_DIR=DIR keeps the generated database in DIR between runs
# (it is rebuilt when missing or when its event count differs from N);
# without it everything lives in a temporary directory removed at exit.
# GEOANNOT_BENCH_ROUNDS=R repeats the timings R times and prints medians.
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
if [ -n "${GEOANNOT_BENCH_DIR:-}" ]; then
    mkdir -p "$GEOANNOT_BENCH_DIR" || { note "cannot create '$GEOANNOT_BENCH_DIR'"; exit 0; }
    db="$GEOANNOT_BENCH_DIR/bench-$N.sqlite"
else
    db="$tmp/bench.sqlite"
fi
have=$( [ -f "$db" ] && sqlite3 "$db" "SELECT count(*) FROM events" 2>/dev/null)
if [ "$have" = "$N" ]; then
    note "reusing $N events in '$db'"
else
rm -f "$db"

cat >"$tmp/adm1.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"NAME_EN": "Syria box", "PCODE": "SY99"},
  "geometry": {"type": "Polygon", "coordinates": [[[35.7, 32.3], [42.4, 32.3], [42.4, 37.3], [35.7, 37.3], [35.7, 32.3]]]}}]}
JSON
"$GEOANNOT" gazetteer import boundaries "$tmp/adm1.geojson" --db "$db" -q ||
    { note "cannot create the database"; exit 0; }

t0=$(date +%s.%N)
sqlite3 "$db" >/dev/null <<SQL || { note "cannot generate events"; exit 0; }
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
fi

# time_it NAME CMD...: wall, user+system CPU seconds of CMD into $wall and
# $cpu (empty on failure).
time_it() {
    local name=$1
    shift
    local TIMEFORMAT='%R %U %S' t
    # the previous run's output (up to 800 MB) is flushed to disk first,
    # so that no run pays for the writeback of the one before
    sync
    if t=$( { time "$@" >"$tmp/$name.log" 2>&1; } 2>&1 ); then
        read -r wall u s <<<"$t"
        cpu=$(echo "$u + $s" | bc)
    else
        note "$name failed: $(tail -3 "$tmp/$name.log")"
        wall= cpu=
    fi
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && echo "scale=2; $1 / $2" | bc || echo "n/a"; }
# median of the arguments (empty when any is empty)
median() {
    local v
    for v in "$@"; do [ -n "$v" ] || return 0; done
    printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# What each side does, both from the same database, neither sorting:
#   geoannot  export --layer events: events LEFT JOIN documents (doc_id,
#             title, url, source), 28 fields plus the point, event_date as
#             a date field; GeoJSON with RFC7946=YES, GPKG with its spatial
#             index (packed after the rows) and the attribution in the
#             layer description.
#   ogr2ogr   the events table as stored (its 33 columns, id as FID, point
#             from the SpatiaLite geometry); GeoJSON with -lco RFC7946=YES,
#             GPKG with the driver defaults (spatial index built) and the
#             same 256 MB SQLite page cache as geoannot (OGR_SQLITE_CACHE).
# Each round runs geoannot then ogr2ogr for each format; with
# GEOANNOT_BENCH_ROUNDS=R (default 1) the medians over R rounds are shown.
# The machine may be shared: wall time is the target, CPU time (user +
# system) is printed beside it as the steadier of the two.
rounds=${GEOANNOT_BENCH_ROUNDS:-1}
declare -A W C S
for ((r = 1; r <= rounds; r++)); do
    for fmt in GeoJSON GPKG; do
        ext=$(echo "$fmt" | tr '[:upper:]' '[:lower:]')
        lco=()
        [ "$fmt" = GeoJSON ] && lco=(-lco RFC7946=YES)
        # geoannot gives the GeoPackage a 256 MB page cache (for R*Tree
        # inserts row by row, which only --append still makes); ogr2ogr
        # gets the same through OGR_SQLITE_CACHE for its row-by-row build
        [ "$fmt" = GPKG ] && lco=(--config OGR_SQLITE_CACHE 256)
        rm -f "$tmp/ga.$ext" "$tmp/ogr.$ext"
        time_it "ga-$ext" "$GEOANNOT" export -q --db "$db" --layer events -f "$fmt" -o "$tmp/ga.$ext"
        W[ga-$fmt]+="$wall " C[ga-$fmt]+="$cpu "
        time_it "ogr-$ext" ogr2ogr -f "$fmt" "$tmp/ogr.$ext" "$db" events "${lco[@]}"
        W[ogr-$fmt]+="$wall " C[ogr-$fmt]+="$cpu "
        [ "$r" -eq "$rounds" ] && S[$fmt]="$(du -h "$tmp/ga.$ext" 2>/dev/null | cut -f1) / $(du -h "$tmp/ogr.$ext" 2>/dev/null | cut -f1)"
        rm -f "$tmp/ga.$ext" "$tmp/ogr.$ext"
    done
done

[ "$rounds" -gt 1 ] && echo "medians of $rounds rounds"
printf "%-8s %11s %10s %6s  %10s %9s %6s  %s\n" format geoannot_s ogr2ogr_s ratio \
    ga_cpu_s ogr_cpu_s ratio "files (geoannot / ogr2ogr)"
for fmt in GeoJSON GPKG; do
    # shellcheck disable=SC2086
    gw=$(median ${W[ga-$fmt]}) ow=$(median ${W[ogr-$fmt]})
    # shellcheck disable=SC2086
    gc=$(median ${C[ga-$fmt]}) oc=$(median ${C[ogr-$fmt]})
    printf "%-8s %11s %10s %6s  %10s %9s %6s  %s\n" "$fmt" "${gw:-fail}" "${ow:-fail}" \
        "$(ratio "$gw" "$ow")" "${gc:-fail}" "${oc:-fail}" "$(ratio "$gc" "$oc")" "${S[$fmt]}"
done
echo "target: wall ratio <= 1.0 for GeoJSON and GPKG (geoannot no slower than ogr2ogr from the same table)"
exit 0
