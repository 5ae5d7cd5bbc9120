#!/usr/bin/env bash
# query_regions.sh: region queries against ground truth computed without
# geoannot. The OCHA governorate and district outlines of
# ../shared/data/cod-syria are imported with `geoannot gazetteer import
# boundaries`; a few thousand synthetic events are written over Syria
# (pseudo-random points, plus points on the outlines' vertices, which lie on
# borders shared by two areas, and midpoints of their edges); then for several governorates and districts
# (MultiPolygon ones, one with a hole) the ids `query events --in CODE|NAME
# --format csv` prints are compared with the ids a SpatiaLite query gives
# against the same GeoJSON files loaded separately by ogr2ogr
# (ST_Intersects: a point on a border belongs to both areas). Also: an
# ambiguous name, an unknown one with suggestions, hostile input.
#
# Needs $GEOANNOT and $GA_SOURCE_DIR; exits 77 (skip) when ../shared,
# ogr2ogr or sqlite3 is missing.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

cod="$GA_SOURCE_DIR/../shared/data/cod-syria"
[ -f "$cod/syr_admin1.geojson" ] && [ -f "$cod/syr_admin2.geojson" ] ||
    skip "no OCHA boundaries in '$cod'"
command -v ogr2ogr >/dev/null || skip "ogr2ogr is not installed"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GEOANNOT_DB="$tmp/r.sqlite"

run() { rc=0; "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; }
ok() { run "$@"; [ "$rc" -eq 0 ] || fail "'geoannot $*' exited $rc: $(cat "$tmp/err")"; }
refused() {
    local code=$1 pattern=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$code" ] || fail "'geoannot $*' exited $rc, expected $code: $(cat "$tmp/err")"
    grep -Eq -- "$pattern" "$tmp/err" ||
        fail "'geoannot $*': message does not match '$pattern': $(cat "$tmp/err")"
}

ok gazetteer import boundaries "$cod/syr_admin1.geojson" --name-field NAME_EN \
    --code-field PCODE --level adm1 -q
ok gazetteer import boundaries "$cod/syr_admin2.geojson" --name-field NAME_EN \
    --code-field PCODE --level adm2 -q

# ---- synthetic events ------------------------------------------------------------
# 4000 points from a linear congruential generator over Syria's box, and
# every 5th vertex of the district outlines (taken from the GeoJSON with jq:
# they lie on borders shared by districts and governorates).
command -v jq >/dev/null || skip "jq is not installed"
jq -r '[.features[].geometry.coordinates | .. | arrays | select(length == 2 and
        (.[0] | type) == "number")] | to_entries[] | select(.key % 5 == 0) |
        "\(.value[0]),\(.value[1])"' "$cod/syr_admin2.geojson" >"$tmp/vertices.csv"
# Midpoints of every 7th edge: on a border up to the rounding of the
# midpoint, where only an exact test agrees with the ground truth.
jq -r '[.features[].geometry.coordinates | .. | arrays | select(length > 1 and
        (.[0] | type) == "array" and (.[0][0] | type) == "number") |
        . as $r | range(length - 1) | [($r[.][0] + $r[. + 1][0]) / 2,
        ($r[.][1] + $r[. + 1][1]) / 2]] | to_entries[] | select(.key % 7 == 3) |
        "\(.value[0]),\(.value[1])"' "$cod/syr_admin2.geojson" >>"$tmp/vertices.csv"
sqlite3 "$GEOANNOT_DB" <<SQL
.load mod_spatialite
CREATE TEMP TABLE v(x REAL, y REAL);
.mode csv
.import $tmp/vertices.csv v
BEGIN;
INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text)
  VALUES (1, 'synthetic', 'Synthetic events', '2018-01-01', 'x', 'x');
WITH RECURSIVE r(i, s) AS (
  SELECT 0, 20240601
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM r WHERE i < 8000)
INSERT INTO events(document_id, seq, type, status, role, event_date, lon, lat, geom)
SELECT 1, a.i / 2, 'flight', 'reported', 'site', printf('2018-%02d-01', 1 + a.i % 12), x, y,
       MakePoint(x, y, 4326)
FROM (SELECT r1.i, 35.5 + 7.0 * r1.s / 2147483648.0 AS x, 32.2 + 5.3 * r2.s / 2147483648.0 AS y
      FROM r r1 JOIN r r2 ON r2.i = r1.i + 1 WHERE r1.i % 2 = 0) a;
INSERT INTO events(document_id, seq, type, status, role, event_date, lon, lat, geom)
SELECT 1, 100000 + rowid, 'flight', 'reported', 'site', '2019-01-01', CAST(x AS REAL),
       CAST(y AS REAL), MakePoint(CAST(x AS REAL), CAST(y AS REAL), 4326) FROM v;
COMMIT;
SQL
n=$(sqlite3 "$GEOANNOT_DB" "SELECT count(*) FROM events")
[ "$n" -gt 4000 ] || fail "only $n synthetic events"

# ---- ground truth: the GeoJSON files loaded by ogr2ogr, joined in SpatiaLite -------
ogr2ogr -f SQLite -dsco SPATIALITE=YES "$tmp/truth.sqlite" "$cod/syr_admin1.geojson" -nln adm1
ogr2ogr -f SQLite -update "$tmp/truth.sqlite" "$cod/syr_admin2.geojson" -nln adm2
truth() {   # truth TABLE PCODE: ids of events intersecting that area
    sqlite3 "$tmp/truth.sqlite" <<SQL
.load mod_spatialite
ATTACH '$GEOANNOT_DB' AS ev;
SELECT e.id FROM ev.events e, $1 a WHERE a.pcode = '$2'
  AND ST_Intersects(e.geom, a.geometry) = 1 ORDER BY e.id;
SQL
}
got() {     # got REGION: ids geoannot prints
    ok query events --in "$1" --format csv -q
    tail -n +2 "$tmp/out" | cut -d, -f1 | sort -n
}
check() {   # check TABLE PCODE REGION...
    local table=$1 pcode=$2
    shift 2
    truth "$table" "$pcode" >"$tmp/want"
    [ -s "$tmp/want" ] || fail "no ground-truth events in $pcode"
    for region in "$@"; do
        got "$region" >"$tmp/got"
        if ! cmp -s "$tmp/want" "$tmp/got"; then
            fail "--in '$region': $(wc -l <"$tmp/got") ids, truth $(wc -l <"$tmp/want");" \
                "differences: $(diff "$tmp/want" "$tmp/got" | grep '^[<>]' | head -5 | tr '\n' ' ')"
        fi
    done
    echo "ok $pcode ($*): $(wc -l <"$tmp/want") events"
}

check adm1 SY04 SY04 Homs "حمص"           # MultiPolygon governorate
check adm1 SY10 SY10 Tartous              # MultiPolygon governorate
check adm1 SY03 SY03 "Rural Damascus"     # with a hole (Damascus)
check adm1 SY01 SY01
check adm1 SY12 SY12 "Dar'a" Dara         # apostrophe; NAM_EN_REF spelling
check adm1 SY11 SY11 "Ar-Raqqa" "Ar Raqqa" Raqqa
check adm1 SY08 SY08
check adm2 SY0404 SY0404 Ar-Rastan Rastan
check adm2 SY0406 SY0406 "Al Makhrim"     # MultiPolygon district
check adm2 SY0301 SY0301                  # MultiPolygon district
check adm2 SY0100 SY0100
check adm2 SY0705 SY0705 Ariha

# a name fitting two levels: the governorate, with a note
ok query events --in Homs --format csv
grep -q "also names Homs (adm2 SY0401" "$tmp/err" || fail "no note for Homs: $(cat "$tmp/err")"

# ---- refused ----------------------------------------------------------------------
# a second district called Tadmor (made up, far away) makes the name ambiguous
cat >"$tmp/extra.geojson" <<'EOF2'
{"type": "FeatureCollection", "features": [{"type": "Feature",
 "properties": {"NAME_EN": "Tadmor", "PCODE": "XX0001"},
 "geometry": {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]}}]}
EOF2
ok gazetteer import boundaries "$tmp/extra.geojson" --level adm2 -q
refused 1 "region 'Tadmor' is ambiguous: Tadmor \(adm2 SY0405.*Tadmor \(adm2 XX0001.*give a code" \
    query events --in Tadmor
check adm2 SY0405 SY0405
refused 1 "unknown region 'Homz'; did you mean: Homs" query events --in Homz
refused 1 "unknown region 'Tartus'; did you mean: Tartous" query events --in Tartus
refused 1 "unknown region 'SY99'" query events --in SY99
refused 1 "unknown region 'Homs'; DROP TABLE events;--'" query events --in "Homs'; DROP TABLE events;--"
refused 1 "unknown region '\" OR 1=1 --'" query events --in '" OR 1=1 --'
[ "$(sqlite3 "$GEOANNOT_DB" 'SELECT count(*) FROM events')" = "$n" ] || fail "events table changed"

echo "query_regions.sh: ok"
