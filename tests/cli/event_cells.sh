#!/usr/bin/env bash
# event_cells.sh: the copy of the events that region queries read
# (event_cells, src/store/event_cells.c) stays equal to the events table
# through every way events are written: annotate's batches, annotating a
# changed document again, rows inserted, updated (with and without
# SpatiaLite loaded, moving the point or not), replaced (INSERT OR
# REPLACE) and deleted through SQLite, and a document deleted with its
# events. "Equal" is checked twice: the table against one made afresh from
# the events (a copy turned back into a schema 2 database, which geoannot
# upgrades on opening: the migration), and every region, box and distance
# listing (read from event_cells) against the same events picked out of
# the listing without a spatial filter (read from the events table), in
# jsonl (both as jq prints them): odd values included (commas, colons, '~',
# quotes, new lines, non-ASCII text, empty strings, big and negative
# numbers, a lon column unlike the geometry's x).
#
# Needs $GEOANNOT, $GA_SOURCE_DIR and $GA_BUILD_DIR (for the default
# gazetteer); exits 77 (skip) without it, sqlite3 or jq.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

gaz="${GEOANNOT_GAZETTEER:-$GA_BUILD_DIR/gazetteer/default.sqlite}"
[ -f "$gaz" ] || skip "no default gazetteer at '$gaz'"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
command -v jq >/dev/null || skip "jq is not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/c.sqlite"

"$GEOANNOT" init --db "$db" --gazetteer "$gaz" -q >/dev/null 2>&1 ||
    "$GEOANNOT" init --db "$db" --gazetteer "$gaz" >/dev/null
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "a new database is not schema 7"

# the table's rows in key order
cells() {
    sqlite3 "$1" "SELECT cell, id, quote(x), quote(y), quote(rec), quote(lon), quote(lat),
        quote(origin_lon), quote(origin_lat), quote(dest_lon), quote(dest_lat),
        quote(event_date), quote(type), quote(status), quote(geo_precision)
        FROM event_cells ORDER BY cell, id"
}
# check LABEL: event_cells of $db equals one made afresh from its events
# by the upgrade from schema 2, and every spatial listing equals the
# listing of the events table restricted to its ids
check() {
    local label=$1 copy="$tmp/rebuilt.sqlite"
    rm -f "$copy" "$copy-wal" "$copy-shm"
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$db" "$copy"
    sqlite3 "$copy" "DROP TRIGGER event_cells_insert; DROP TRIGGER event_cells_update;
        DROP TRIGGER event_cells_move; DROP TRIGGER event_cells_delete;
        DROP TABLE event_cells; PRAGMA user_version = 2;"
    "$GEOANNOT" query events --db "$copy" --in Homs -q >/dev/null ||
        fail "$label: query on a schema 2 database"
    [ "$(sqlite3 "$copy" "PRAGMA user_version")" = 7 ] || fail "$label: not upgraded to 7"
    [ "$(cells "$db")" = "$(cells "$copy")" ] || {
        diff <(cells "$db") <(cells "$copy") | head -5 >&2
        fail "$label: event_cells differs from one made from the events"
    }
    local n
    n=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM events WHERE geom IS NOT NULL)
        - (SELECT count(*) FROM event_cells)")
    [ "$n" = 0 ] || fail "$label: $n events with a point missing from event_cells"
    "$GEOANNOT" query events --db "$db" --format jsonl -q >"$tmp/all.jsonl"
    local f
    for f in "--in Homs" "--in SY04" "--in SY03" "--in Damascus" "--in Idleb" \
             "--bbox 35.5,32,42.5,37.5" "--bbox 36.6,34.6,36.8,34.8" "--near 36.72,34.73 --within 40km" \
             "--in Homs --type flight" "--in Homs --from 2017-01-01 --to 2017-12-31" \
             "--in Homs --status threatened" "--in Homs --min-precision 1"; do
        # shellcheck disable=SC2086
        "$GEOANNOT" query events --db "$db" $f --format jsonl -q >"$tmp/r.jsonl" 2>/dev/null ||
            fail "$label: query events $f"
        jq -c .id "$tmp/r.jsonl" | sort -n >"$tmp/ids"
        jq -c "select(.id as \$i | $(jq -sc . "$tmp/ids") | index(\$i))" "$tmp/all.jsonl" \
            >"$tmp/want.jsonl"
        jq -c . "$tmp/r.jsonl" >"$tmp/got.jsonl"   # numbers written as jq writes them
        cmp -s "$tmp/got.jsonl" "$tmp/want.jsonl" || {
            diff "$tmp/got.jsonl" "$tmp/want.jsonl" | head -4 >&2
            fail "$label: 'query events $f' jsonl differs from the events table's rows"
        }
    done
    echo "ok   $label"
}

# annotate's batches
docs=("$GA_SOURCE_DIR"/examples/*.txt "$GA_SOURCE_DIR"/examples/reports.jsonl)
"$GEOANNOT" annotate --db "$db" -q "${docs[@]}" >/dev/null
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_cells")" -gt 0 ] || fail "annotate left no entries"
check "annotate"

# a document annotated again with other text (its events deleted and made anew)
f=$(ls "$GA_SOURCE_DIR"/examples/*.txt | head -1)
cp "$f" "$tmp/$(basename "$f")"
printf '\nThousands fled Talbiseh and Al-Rastan to Homs on Monday.\n' >>"$tmp/$(basename "$f")"
"$GEOANNOT" annotate --db "$db" -q "$tmp/$(basename "$f")" >/dev/null
check "annotate again"

# rows written through SQLite with SpatiaLite: odd values, an INSERT OR
# REPLACE that moves a row, an update that moves a point, deletes
sqlite3 "$db" >/dev/null <<'SQL'
.load mod_spatialite
BEGIN;
INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text, url) VALUES
  (900, 'odd', 'Odd, "quoted" title', '2017-03-13', 'x', 'text', 'http://e/a,b');
INSERT INTO events(id, document_id, seq, type, status, trigger, role, event_date, time_precision,
                   geo_precision, people, place_name, place_gid, admin1, admin1_pcode, actors,
                   sentence, reason, origin_name, origin_lon, origin_lat, lon, lat, geom) VALUES
  (9001, 900, 0, 'flight', 'reported', 'fled', 'site', '2017-03-13', 1, 1, 0,
   'Ḩimş, "old" city: ~x~', 'geonames:169577', 'Homs', 'SY04', '["Russia","A, B"]',
   'line one
line two, with 12:3 and ~ and '''' quotes', '', 'Tadmur', 38.268, 34.56, 36.72, 34.73,
   MakePoint(36.72, 34.73, 4326)),
  (9002, 900, 1, 'siege', 'threatened', NULL, 'site', NULL, NULL, NULL, NULL, '', NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MakePoint(36.7, 34.7, 4326)),
  (9003, 900, 2, 'evacuation', 'reported', 'x', 'origin', '2016-01-01', 3, 2, 9000000000000,
   'lon unlike x', NULL, 'Homs', 'SY04', '[]', 'ناس', 'r', NULL, NULL, NULL, 36, 34.75,
   MakePoint(36.71, 34.75, 4326)),
  (9004, 900, 3, 'return', 'denied', 'y', 'destination', '2017-13-45x', -2, 2, -5, 'p', NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MakePoint(36.69, 34.71, 4326)),
  (9005, 900, 4, 'flight', 'reported', NULL, 'site', '2018-02-02', 1, 1, 7, 'to be replaced',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MakePoint(36.3, 33.5, 4326)),
  (9006, 900, 5, 'flight', 'reported', NULL, 'site', '2018-02-03', 1, 1, 7, 'no point',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT OR REPLACE INTO events(id, document_id, seq, type, status, role, event_date, people,
                              place_name, geom) VALUES
  (9005, 900, 4, 'flight', 'reported', 'site', '2018-02-04', 8, 'replaced in Homs',
   MakePoint(36.74, 34.72, 4326));
UPDATE events SET geom = MakePoint(36.73, 34.74, 4326) WHERE id = 9002;
UPDATE events SET geom = MakePoint(36.5, 34.5, 4326) WHERE id = 9006;
COMMIT;
SQL
check "rows written with SpatiaLite"

# an update of other columns through SQLite without SpatiaLite (as before
# the table existed), then deletes: one row, one document with its events
sqlite3 "$db" "UPDATE events SET place_name = 'renamed, again', people = NULL,
    event_date = '2015-05-05', lon = 36.7201 WHERE id IN (9001, 9003)" ||
    fail "an update without SpatiaLite failed"
check "update without SpatiaLite"
sqlite3 "$db" "PRAGMA foreign_keys = ON; DELETE FROM events WHERE id = 9004;
    DELETE FROM documents WHERE id = (SELECT min(document_id) FROM events WHERE document_id < 900)"
check "deletes"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_cells WHERE id = 9004")" = 0 ] ||
    fail "a deleted event kept its entry"
echo "event_cells: all checks passed"
