#!/usr/bin/env bash
# gpkg_index.sh: the spatial index of a GeoPackage from `geoannot export`
# (built after the rows, src/export/gpkg_index.c) against the index GDAL
# builds row by row in an `ogr2ogr -preserve_fid` copy of the same file.
# For events (points in both hemispheres, a tenth of them on one spot),
# flows (lines) and regions (polygons): SQLite's rtreecheck() ok; the
# same (id, minx, maxx, miny, maxy) rows to the last bit; every geometry
# indexed, its box holding ST_MinX..ST_MaxY within float rounding; the
# same rtree tables, triggers and gpkg_extensions row; the same
# `ogrinfo -spat` counts, matching the events database. Then GDAL's
# triggers keep the index right through later edits: features added with
# ogr2ogr -append, a point moved by an UPDATE through GDAL, rows deleted
# with sqlite3. Also an export of no events (an empty index that later
# appends fill) and --append to an existing layer (GDAL indexes each row).
#
# Needs $GEOANNOT, sqlite3 with SpatiaLite (mod_spatialite), ogr2ogr and
# ogrinfo; exits 77 (skip) without them.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
for cmd in sqlite3 ogr2ogr ogrinfo; do
    command -v "$cmd" >/dev/null || skip "no $cmd command"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GEOANNOT_DB="$tmp/g.sqlite"

ok() {
    local rc=0
    "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq 0 ] || fail "'geoannot $*' exited $rc: $(cat "$tmp/err")"
}
q() { sqlite3 -batch "$@"; }
# ogr_value FILE SQL: the one value a query through GDAL's SQLite returns
# (GDAL's connection has ST_MinX and the other GeoPackage functions)
ogr_value() { ogrinfo -q "$1" -sql "$2" | sed -n 's/^ *[^ ]* ([A-Za-z0-9]*) = //p'; }
# spat_count FILE LAYER W S E N: features ogrinfo finds in the window
spat_count() {
    ogrinfo -ro -so "$1" "$2" -spat "$3" "$4" "$5" "$6" | sed -n 's/^Feature Count: //p'
}

# ---- a database ------------------------------------------------------------------
n_events=6000
ok gazetteer import boundaries "$GA_SOURCE_DIR/tests/fixtures/two_governorates.geojson" -q
q "$GEOANNOT_DB" <<SQL || fail "cannot seed the database"
SELECT load_extension('mod_spatialite');
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
INSERT INTO documents(doc_id, title, doc_date, content_hash, text)
SELECT 'doc' || i, 'Report ' || i, '2018-01-01', 'h' || i, '...' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n_events),
p(i, x, y) AS (SELECT i,
    CASE WHEN i % 10 = 0 THEN 36.7
         ELSE -179.9 + (i * 0.618034 - CAST(i * 0.618034 AS INTEGER)) * 359.8 END,
    CASE WHEN i % 10 = 0 THEN 34.7
         ELSE -80 + (i * 0.754878 - CAST(i * 0.754878 AS INTEGER)) * 160 END FROM n)
INSERT INTO events(document_id, seq, type, status, role, event_date, place_name, country,
                   origin_name, origin_lon, origin_lat, dest_name, dest_lon, dest_lat, lon, lat)
SELECT 1 + i % 20, i, CASE i % 3 WHEN 0 THEN 'flight' WHEN 1 THEN 'return' ELSE 'siege' END,
       'reported', 'site', date('2017-01-01', '+' || (i % 700) || ' days'), 'Place ' || i, 'SY',
       CASE WHEN i % 4 = 0 THEN 'From ' || i END, CASE WHEN i % 4 = 0 THEN x END,
       CASE WHEN i % 4 = 0 THEN y END, CASE WHEN i % 4 = 0 THEN 'To ' || i END,
       CASE WHEN i % 4 = 0 THEN x / 2 + 10 END, CASE WHEN i % 4 = 0 THEN y / 3 - 5 END, x, y
FROM p;
UPDATE events SET geom = MakePoint(lon, lat, 4326);
COMMIT;
SQL

# ---- the export and GDAL's copy ---------------------------------------------------
ok export -q --layer events,flows,regions -f GPKG -o ga.gpkg
ogr2ogr -preserve_fid -f GPKG ref.gpkg ga.gpkg || fail "ogr2ogr cannot copy ga.gpkg"

rows() { q "$1" "SELECT id, printf('%.17g %.17g %.17g %.17g', minx, maxx, miny, maxy)
                 FROM rtree_$2_geom ORDER BY id"; }
schema() {
    q "$1" "SELECT type, name, tbl_name, sql FROM sqlite_master
            WHERE name LIKE 'rtree\_$2\_geom%' ESCAPE '\\' ORDER BY name;
            SELECT * FROM gpkg_extensions WHERE table_name = '$2' AND column_name = 'geom'"
}
# check_index FILE LAYER: the index of LAYER in FILE is whole and sound
check_index() {
    local f=$1 l=$2 got
    got=$(q "$f" "SELECT rtreecheck('rtree_$l""_geom')")
    [ "$got" = ok ] || fail "$f $l: rtreecheck says: $got"
    [ "$(q "$f" "SELECT count(*) FROM rtree_$l""_geom")" = \
      "$(q "$f" "SELECT count(*) FROM $l WHERE geom IS NOT NULL")" ] ||
        fail "$f $l: the index does not hold every geometry"
    got=$(ogr_value "$f" "SELECT count(*) AS bad FROM $l t JOIN rtree_$l""_geom r ON r.id = t.fid
        WHERE r.minx > ST_MinX(t.geom) OR r.maxx < ST_MaxX(t.geom)
           OR r.miny > ST_MinY(t.geom) OR r.maxy < ST_MaxY(t.geom)
           OR ST_MinX(t.geom) - r.minx > 1e-6 * max(1, abs(r.minx))
           OR r.maxx - ST_MaxX(t.geom) > 1e-6 * max(1, abs(r.maxx))
           OR ST_MinY(t.geom) - r.miny > 1e-6 * max(1, abs(r.miny))
           OR r.maxy - ST_MaxY(t.geom) > 1e-6 * max(1, abs(r.maxy))")
    [ "$got" = 0 ] || fail "$f $l: $got boxes do not fit their geometries"
}
# same_index A B LAYER: the two files' indexes of LAYER are the same
same_index() {
    cmp -s <(rows "$1" "$3") <(rows "$2" "$3") ||
        fail "$3: the index rows of $1 and $2 differ: $(diff <(rows "$1" "$3") \
              <(rows "$2" "$3") | head -4 | tr '\n' ' ')"
}

for l in events flows regions; do
    n=$(q ga.gpkg "SELECT count(*) FROM rtree_${l}_geom")
    [ "$n" -gt 0 ] || fail "no $l in the index"
    check_index ga.gpkg "$l"
    check_index ref.gpkg "$l"
    same_index ga.gpkg ref.gpkg "$l"
    cmp -s <(schema ga.gpkg "$l") <(schema ref.gpkg "$l") ||
        fail "$l: index tables, triggers or extension row differ from GDAL's:" \
             "$(diff <(schema ga.gpkg "$l") <(schema ref.gpkg "$l") | head -6)"
    echo "ok $l: $n boxes, the same as GDAL's"
done
[ "$(q ga.gpkg "SELECT rtreedepth(data) FROM rtree_events_geom_node WHERE nodeno = 1")" -ge 2 ] ||
    fail "the events index should have three levels"
# packed full, the tree has fewer nodes than the one GDAL 3.6 builds row by
# row (about 40 % more): the export did not fall back to GDAL's build
[ "$(q ga.gpkg "SELECT count(*) FROM rtree_events_geom_node")" -lt \
  "$(q ref.gpkg "SELECT count(*) FROM rtree_events_geom_node")" ] ||
    fail "the events index was not built in bulk"
q ga.gpkg "SELECT 1 FROM gpkg_extensions WHERE table_name = 'events' AND column_name = 'geom'
           AND extension_name = 'gpkg_rtree_index'" | grep -q 1 ||
    fail "no gpkg_rtree_index row for events"

# ogrinfo -spat through the index, against the events in the database
# windows: west south east north (the third holds the shared spot)
windows=("-180 -90 180 90" "30 30 40 40" "36.6 34.6 36.8 34.8" "-100 -50 -20 10" "100 20 101 21")
for w in "${windows[@]}"; do
    read -r x0 y0 x1 y1 <<<"$w"
    want=$(q "$GEOANNOT_DB" "SELECT count(*) FROM events WHERE lon BETWEEN $x0 AND $x1
                             AND lat BETWEEN $y0 AND $y1")
    for f in ga.gpkg ref.gpkg; do
        got=$(spat_count $f events "$x0" "$y0" "$x1" "$y1")
        [ "$got" = "$want" ] || fail "$f: -spat $w finds $got events, the database $want"
    done
    [ "$(spat_count ga.gpkg flows "$x0" "$y0" "$x1" "$y1")" = \
      "$(spat_count ref.gpkg flows "$x0" "$y0" "$x1" "$y1")" ] || fail "flows -spat $w differ"
done
echo "ok: ogrinfo -spat counts"

# ---- later edits: GDAL's triggers keep the index --------------------------------------
{
    echo '{"type": "FeatureCollection", "features": ['
    for i in $(seq 1 300); do
        [ "$i" -gt 1 ] && echo ','
        echo "{\"type\": \"Feature\", \"properties\": {\"name\": \"new $i\"},
               \"geometry\": {\"type\": \"Point\", \"coordinates\": [$((i % 170)).25, $((i % 80)).5]}}"
    done
    echo ']}'
} >new.geojson
before=$(q ga.gpkg "SELECT count(*) FROM rtree_events_geom")
ogr2ogr -append -f GPKG ga.gpkg new.geojson -nln events || fail "ogr2ogr -append failed"
[ "$(q ga.gpkg "SELECT count(*) FROM rtree_events_geom")" -eq $((before + 300)) ] ||
    fail "features appended with ogr2ogr are not in the index"
ogrinfo -q ga.gpkg -sql "UPDATE events SET geom = (SELECT geom FROM events WHERE fid = 2)
                         WHERE fid = 1" >/dev/null || fail "the UPDATE through GDAL failed"
[ "$(q ga.gpkg "SELECT minx, miny FROM rtree_events_geom WHERE id = 1")" = \
  "$(q ga.gpkg "SELECT minx, miny FROM rtree_events_geom WHERE id = 2")" ] ||
    fail "a moved point kept its old box"
q ga.gpkg "DELETE FROM events WHERE fid % 3 = 0" || fail "cannot delete events"
check_index ga.gpkg events
ogr2ogr -preserve_fid -f GPKG ref2.gpkg ga.gpkg events || fail "ogr2ogr cannot copy ga.gpkg"
same_index ga.gpkg ref2.gpkg events
for w in "${windows[@]}"; do
    read -r x0 y0 x1 y1 <<<"$w"
    [ "$(spat_count ga.gpkg events "$x0" "$y0" "$x1" "$y1")" = \
      "$(spat_count ref2.gpkg events "$x0" "$y0" "$x1" "$y1")" ] || fail "-spat $w differs after edits"
done
echo "ok: appended, moved and deleted features"

# ---- no events, then appended to ------------------------------------------------------
ok export -q --layer events --from 2100-01-01 -f GPKG -o empty.gpkg
check_index empty.gpkg events
[ "$(q empty.gpkg "SELECT count(*) FROM rtree_events_geom")" = 0 ] || fail "empty.gpkg has boxes"
ogr2ogr -preserve_fid -f GPKG empty_ref.gpkg empty.gpkg || fail "ogr2ogr cannot copy empty.gpkg"
cmp -s <(schema empty.gpkg events) <(schema empty_ref.gpkg events) ||
    fail "the empty layer's index differs from GDAL's"
ogr2ogr -append -f GPKG empty.gpkg new.geojson -nln events || fail "ogr2ogr -append failed"
check_index empty.gpkg events
[ "$(q empty.gpkg "SELECT count(*) FROM rtree_events_geom")" = 300 ] ||
    fail "features appended to an empty export are not in the index"
echo "ok: an empty export"

# ---- --append to an existing layer --------------------------------------------------------
ok export -q --layer events -f GPKG -o app.gpkg
ok export -q --layer events -f GPKG -o app.gpkg --append
check_index app.gpkg events
[ "$(q app.gpkg "SELECT count(*) FROM rtree_events_geom")" = $((2 * n_events)) ] ||
    fail "--append: the index does not hold both exports"
ogr2ogr -preserve_fid -f GPKG app_ref.gpkg app.gpkg || fail "ogr2ogr cannot copy app.gpkg"
same_index app.gpkg app_ref.gpkg events
echo "ok: --append"

echo "ok: GeoPackage spatial indexes"
