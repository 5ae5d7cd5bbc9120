#!/usr/bin/env bash
# query.sh: `geoannot query` on a database made by `init` from the default
# gazetteer, with a few events written straight into the events table
# (through SQLite with SpatiaLite, so the spatial index is kept by
# SpatiaLite's own triggers) at known towns: the region filter by name in
# several spellings and by code, box, distance, dates, type, status,
# limit, every output format (GeoJSON checked as RFC 7946 with jq), the
# group-by counts, and refused input with its message and exit code
# (reversed or out-of-range box, negative distance, unknown unit, bad
# dates, unknown and hostile region names).
#
# Needs $GEOANNOT and $GA_BUILD_DIR (for gazetteer/default.sqlite, built by
# `geoannot gazetteer build-default`; $GEOANNOT_GAZETTEER overrides it).
# Exits 77 (skip) when the default gazetteer, sqlite3 or jq is missing.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

gaz="${GEOANNOT_GAZETTEER:-$GA_BUILD_DIR/gazetteer/default.sqlite}"
[ -f "$gaz" ] || skip "no default gazetteer at '$gaz'; build it with" \
    "'geoannot gazetteer build-default' (scripts/setup.sh)"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
command -v jq >/dev/null || skip "jq is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GEOANNOT_DB="$tmp/q.sqlite"

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
# ids FORMAT-ARGS...: event ids of a csv query, sorted, space-separated.
ids() { ok query events --format csv "$@"; tail -n +2 "$tmp/out" | cut -d, -f1 | sort -n | tr '\n' ' ' | sed 's/ $//'; }
expect_ids() {
    local want=$1
    shift
    local got
    got=$(ids "$@")
    [ "$got" = "$want" ] || fail "'query events $*': ids '$got', expected '$want'"
}

ok init --gazetteer "$gaz"

# ---- events at known towns (lon, lat) ----------------------------------------
sqlite3 "$GEOANNOT_DB" <<'SQL'
.load mod_spatialite
BEGIN;
INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text) VALUES
  (1, 'h1', 'Homs residents bussed out', '2017-03-13', 'x1', 'text'),
  (2, 'h2', 'Evacuation of Harasta, "Douma" next', '2018-03-22', 'x2', 'text');
INSERT INTO events(id, document_id, seq, type, status, role, event_date, people, place_name,
                   admin1, admin1_pcode, lon, lat, geom) VALUES
  (1, 1, 0, 'evacuation', 'reported', 'origin', '2017-03-13', 1500, 'Waer', 'Homs', 'SY04',
   36.6780, 34.7420, MakePoint(36.6780, 34.7420, 4326)),
  (2, 1, 1, 'forced_displacement', 'threatened', 'site', '2017-03-14', NULL, 'Al-Rastan', 'Homs',
   'SY04', 36.7330, 34.9270, MakePoint(36.7330, 34.9270, 4326)),
  (3, 1, 2, 'flight', 'reported', 'site', '2016-05-20', 300, 'Tadmur', 'Homs', 'SY04',
   38.2680, 34.5600, MakePoint(38.2680, 34.5600, 4326)),
  (4, 2, 0, 'evacuation', 'reported', 'origin', '2018-03-22', 1500, 'Harasta', 'Rif Dimashq',
   'SY03', 36.3650, 33.5580, MakePoint(36.3650, 33.5580, 4326)),
  (5, 2, 1, 'evacuation', 'threatened', 'site', '2018-03-23', NULL, 'Douma', 'Rif Dimashq',
   'SY03', 36.4030, 33.5710, MakePoint(36.4030, 33.5710, 4326)),
  (6, 2, 2, 'evacuation', 'reported', 'destination', '2018-03-24', NULL, 'Idlib', 'Idlib',
   'SY07', 36.6330, 35.9300, MakePoint(36.6330, 35.9300, 4326)),
  (7, 2, 3, 'protest', 'denied', 'site', '2018-04-01', NULL, 'Aleppo', 'Aleppo', 'SY02',
   37.1600, 36.2000, MakePoint(37.1600, 36.2000, 4326)),
  (8, 2, 4, 'return', 'reported', 'site', NULL, NULL, 'Hama', 'Hama', 'SY05',
   36.7500, 35.1300, MakePoint(36.7500, 35.1300, 4326)),
  (9, 2, 5, 'flight', 'reported', 'site', '2018-05-01', NULL, 'nowhere', NULL, NULL,
   NULL, NULL, NULL);
COMMIT;
SQL

# ---- help and usage --------------------------------------------------------------
ok query -h
grep -q -- '--within' "$tmp/out" || fail "query -h lacks the filter options"
refused 2 "say what to list" query
refused 2 "unknown layer 'evnts'" query evnts
refused 2 "unknown format 'xml'" query events --format xml
refused 2 "unknown group 'year'" query events --group-by year

# ---- all events, sorted by date, undated last ----------------------------------
ok query events --format csv
[ "$(head -1 "$tmp/out" | cut -d, -f1-4)" = "id,event_date,type,status" ] || fail "csv header: $(head -1 "$tmp/out")"
[ "$(tail -n +2 "$tmp/out" | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" = "3 1 2 4 5 6 7 9 8 " ] ||
    fail "events not sorted by date: $(cut -d, -f1,2 "$tmp/out" | tr '\n' ' ')"
grep -q '"Evacuation of Harasta, ""Douma"" next"' "$tmp/out" || fail "csv quoting of the title"

# ---- regions: names in several spellings, codes ----------------------------------
expect_ids "1 2 3" --in Homs
expect_ids "1 2 3" --in homs
expect_ids "1 2 3" --in "حمص"
code=$(sqlite3 "$GEOANNOT_DB" "SELECT COALESCE(p.admin1_pcode, b.pcode) FROM boundaries b
       JOIN places p ON p.id = b.place_id WHERE b.level = 'adm1' AND p.country = 'SY'
       AND (p.admin1_pcode = 'SY04' OR p.name = 'Homs') LIMIT 1")
[ -n "$code" ] && expect_ids "1 2 3" --in "$code"
# boundary_name NAME: NAME is a name of some area with an outline.
boundary_name() {
    sqlite3 "$GEOANNOT_DB" "SELECT 1 FROM boundaries b JOIN places p ON p.id = b.place_id
        WHERE p.name = '$1' OR EXISTS (SELECT 1 FROM names n WHERE n.place_id = b.place_id
        AND n.name = '$1') LIMIT 1" | grep -q 1
}
for name in "Rif Dimashq" "Rural Damascus"; do
    if boundary_name "$name"; then expect_ids "4 5" --in "$name"; fi
done
if boundary_name Hims; then expect_ids "1 2 3" --in Hims; fi
if boundary_name Syria; then expect_ids "1 2 3 4 5 6 7 8" --in Syria; fi

# ---- other filters ---------------------------------------------------------------------
expect_ids "1 2 3 4 5" --bbox 35.5,33.0,38.5,35.0
expect_ids "1 2" --near 36.70,34.80 --within 20km
expect_ids "1" --near 36.70,34.80 --within 9km
expect_ids "1 2" --near 36.70,34.80 --within 15mi
expect_ids "4 5" --near 36.38,33.56 --within 4000m
expect_ids "1 2 4 5 6" --from 2017-01-01 --to 2018-03-31
expect_ids "1 4 5 6" --type evacuation
expect_ids "2 5" --status threatened
expect_ids "1 4 6" --type evacuation --status reported
expect_ids "1 2" --in Homs --from 2017-01-01
expect_ids "1 3" --limit 2

# ---- formats ------------------------------------------------------------------------------
ok query events --in Homs
head -1 "$tmp/out" | grep -Eq '^date +type +status +place +governorate +people +title' ||
    fail "table header: $(head -1 "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 4 ] || fail "table rows: $(cat "$tmp/out")"
grep -q 'Waer' "$tmp/out" || fail "table lacks Waer"
ok query events --in Homs --format jsonl
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "jsonl lines: $(cat "$tmp/out")"
jq -s -e '.[] | select(.id == 1) | .people == 1500 and .lon == 36.678 and .lat == 34.742 and .place_name == "Waer"' \
    "$tmp/out" >/dev/null || fail "jsonl row: $(head -1 "$tmp/out")"
ok query events --format geojson
jq -e '.type == "FeatureCollection" and (.features | length) == 9
       and ([.features[] | select(.geometry != null)] | length) == 8
       and (.features[] | select(.properties.place_name == "Waer") | .geometry.coordinates == [36.678, 34.742])
       and (.features[] | select(.properties.place_name == "nowhere") | .geometry == null)
       and (has("crs") | not)' "$tmp/out" >/dev/null || fail "geojson: $(head -c 400 "$tmp/out")"

# ---- counts ---------------------------------------------------------------------------------
ok query events --group-by type --format csv
grep -q '^evacuation,,4' "$tmp/out" || fail "group-by type: $(cat "$tmp/out")"
ok query events --group-by month --format jsonl --in Homs
[ "$(jq -r '"\(.key)=\(.count)"' "$tmp/out" | tr '\n' ' ')" = "2016-05=1 2017-03=2 " ] ||
    fail "group-by month: $(cat "$tmp/out")"
ok query events --group-by admin1
grep -Eq '^SY03 +Rif Dimashq +2' "$tmp/out" || fail "group-by admin1: $(cat "$tmp/out")"
refused 2 "counts, not features" query events --group-by type --format geojson

# ---- mentions and places (none stored here: empty but well-formed) ----------------
ok query mentions --format geojson
jq -e '.type == "FeatureCollection" and (.features | length) == 0' "$tmp/out" >/dev/null ||
    fail "empty mentions geojson: $(cat "$tmp/out")"
ok query places --format csv --in Homs
refused 2 "apply to events only" query mentions --type evacuation

# ---- refused input ------------------------------------------------------------------------
refused 2 "reversed box" query events --bbox 38,33,36,35
refused 2 "reversed box" query events --bbox 36,35,38,33
refused 2 "out of range" query events --bbox 36,33,190,35
refused 2 "out of range" query events --bbox 36,-95,37,35
refused 2 "four numbers" query events --bbox 36,33,37
refused 2 "must not be negative" query events --near Homs --within -5km
refused 2 "unknown unit 'parsec'" query events --near Homs --within 3parsec
refused 2 "missing unit" query events --near Homs --within 25
refused 2 "needs --near" query events --within 25km
refused 2 "not a date" query events --from 2018-13-01
refused 2 "not a date" query events --to 2018-02-30
refused 2 "not a date" query events --from 22/03/2018
refused 2 "is after --to" query events --from 2018-05-01 --to 2018-01-01
refused 2 "--type 'riot': unknown event type" query events --type riot
refused 2 "unknown status" query events --status maybe
refused 2 "positive whole number" query events --limit -3
refused 1 "unknown region 'Atlantis'" query events --in Atlantis
refused 1 "unknown region 'Hom'.*did you mean: Homs" query events --in Hom
refused 1 "unknown region 'Homs'; DROP TABLE events;--'" query events --in "Homs'; DROP TABLE events;--"
[ "$(sqlite3 "$GEOANNOT_DB" 'SELECT count(*) FROM events')" = 9 ] || fail "events table damaged"
refused 1 "coordinates out of range" query events --near 200,10
refused 1 "does not exist" query events --db "$tmp/missing.sqlite"

# A query without a distance loads neither PROJ nor GDAL (their dozens of
# shared libraries are most of a process start); one with --near loads
# PROJ when it measures, and gives the same rows as before.
LD_DEBUG=files "$GEOANNOT" query events --in Homs --format csv >/dev/null 2>"$tmp/ld" ||
    fail "query --in Homs failed under LD_DEBUG"
if grep -Eq "file=[^ ]*lib(proj|gdal)" "$tmp/ld"; then
    fail "query --in loaded $(grep -Eo "file=[^ ]*lib(proj|gdal)[^ ]*" "$tmp/ld" | head -1)"
fi
grep -q "file=[^ ]*libsqlite3" "$tmp/ld" || fail "LD_DEBUG=files lists no libraries here"
LD_DEBUG=files "$GEOANNOT" query events --near 36.70,34.80 --within 20km --format csv \
    >/dev/null 2>"$tmp/ld" || fail "query --near failed under LD_DEBUG"
grep -q "file=[^ ]*libproj" "$tmp/ld" || fail "query --near did not load PROJ"

echo "query.sh: ok"
