#!/usr/bin/env bash
# event_blocks.sh: the packed blocks that sorted region listings read
# (event_blocks, src/store/event_blocks.c) never serve stale events,
# whatever writes the events: annotate's batches, annotating a changed
# document again, rows inserted, replaced, moved, updated (with and
# without SpatiaLite) and deleted through SQLite, a document deleted with
# its events, the upgrade of a schema 3 database.
#
# After every write three checks:
#  - stale: every block not marked in event_blocks_dirty equals the block
#    packed afresh from event_cells (a copy whose blocks are all dropped,
#    marked and packed again by a write: annotate's commit), byte for
#    byte, and no block is missing;
#  - output: every listing (each governorate, districts, boxes, distances,
#    dates, type, status, precision, limit, group-by) in every format
#    (csv, jsonl, geojson, table) equals byte for byte the same listing
#    read from event_cells (GEOANNOT_NO_BLOCKS=1, the path of schema 3);
#    marked blocks are packed in memory by each query, also while another
#    process holds the write lock;
#  - read only: the queries leave the database file and its WAL byte for
#    byte as they were (sha256sum), and every mark where it was.
# At the end the stale check is shown to bite: with the marking trigger
# of updates dropped, an update must be reported stale.
#
# Needs $GEOANNOT, $GA_SOURCE_DIR and $GA_BUILD_DIR (for the default
# gazetteer); exits 77 (skip) without it or sqlite3.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

gaz="${GEOANNOT_GAZETTEER:-$GA_BUILD_DIR/gazetteer/default.sqlite}"
[ -f "$gaz" ] || skip "no default gazetteer at '$gaz'"
command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"

tmp=$(mktemp -d)
lock_pid=
trap '[ -z "$lock_pid" ] || kill "$lock_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
db="$tmp/b.sqlite"
printf '{"id": "no-events", "text": "Nothing happened here."}\n' >"$tmp/empty.jsonl"

"$GEOANNOT" init --db "$db" --gazetteer "$gaz" -q >/dev/null 2>&1 ||
    "$GEOANNOT" init --db "$db" --gazetteer "$gaz" >/dev/null
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 4 ] || fail "a new database is not schema 4"

# stale DB LABEL: the blocks of DB not marked dirty against blocks packed
# afresh; prints the number of differing blocks
stale() {
    local d=$1 copy="$tmp/fresh.sqlite"
    rm -f "$copy" "$copy-wal" "$copy-shm"
    sqlite3 "$d" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$d" "$copy"
    sqlite3 "$copy" "DELETE FROM event_blocks; DELETE FROM event_blocks_dirty;
        INSERT INTO event_blocks_dirty(blk)
          SELECT DISTINCT cell / 360000 * 3600 + cell % 36000 / 10 FROM event_cells;"
    # a write packs every marked block before it commits: annotate a
    # document without events
    "$GEOANNOT" annotate --db "$copy" -q --format jsonl "$tmp/empty.jsonl" >/dev/null ||
        fail "annotate on the copy"
    [ "$(sqlite3 "$copy" "SELECT count(*) FROM event_blocks_dirty")" = 0 ] ||
        fail "a write left blocks marked"
    sqlite3 "$copy" "ATTACH '$d' AS o;
        WITH clean AS (SELECT blk FROM event_blocks WHERE blk NOT IN
                         (SELECT blk FROM o.event_blocks_dirty)
                       UNION SELECT blk FROM o.event_blocks WHERE blk NOT IN
                         (SELECT blk FROM o.event_blocks_dirty)),
             a AS (SELECT blk, n, data FROM event_blocks WHERE blk IN clean),
             b AS (SELECT blk, n, data FROM o.event_blocks WHERE blk IN clean)
        SELECT (SELECT count(*) FROM (SELECT * FROM a EXCEPT SELECT * FROM b))
             + (SELECT count(*) FROM (SELECT * FROM b EXCEPT SELECT * FROM a))"
}

filters=(
    "--in SY01" "--in SY02" "--in SY03" "--in SY04" "--in SY05" "--in SY06" "--in SY07"
    "--in SY08" "--in SY09" "--in SY10" "--in SY11" "--in SY12" "--in SY13" "--in SY14"
    "--in Homs" "--in Damascus" "--in Idleb"
    "--bbox 35.5,32,42.5,37.5" "--bbox 36.6,34.6,36.8,34.8" "--bbox 36.0,33.3,36.6,33.7"
    "--near 36.72,34.73 --within 40km" "--near 36.3,33.5 --within 5km"
    "--in Homs --bbox 36.5,34.5,37,35"
    "--in Homs --type flight" "--in Homs --from 2017-01-01 --to 2017-12-31"
    "--in Homs --status threatened" "--in Homs --min-precision 1" "--in Homs --limit 3"
    "--in SY03 --from 2016-06-01" "--bbox 35.5,32,42.5,37.5 --type evacuation --limit 5"
    "--in Homs --group-by admin1" "--bbox 35.5,32,42.5,37.5 --group-by month"
)
# districts: the OCHA outlines, when ../shared/data has them
cod="$GA_SOURCE_DIR/../shared/data/cod-syria/syr_admin2.geojson"
if [ -f "$cod" ] && "$GEOANNOT" gazetteer import boundaries "$cod" --level adm2 --db "$db" -q \
        >/dev/null 2>&1; then
    while read -r code; do filters+=("--in $code"); done < <(sqlite3 "$db" \
        "SELECT pcode FROM boundaries WHERE level = 'adm2' AND pcode IN
         ('SY0400', 'SY0403', 'SY0404', 'SY0100', 'SY0309', 'SY0200', 'SY1400') ORDER BY 1")
else
    echo "note: no OCHA district outlines; districts not listed" >&2
fi

# output LABEL [FORMATS]: every listing from the blocks equals the one
# from event_cells
output() {
    local label=$1 formats=${2:-csv jsonl geojson table} f fmt n=0
    for f in "${filters[@]}"; do
        for fmt in $formats; do
            case "$f $fmt" in *group-by*geojson) continue ;; esac
            # shellcheck disable=SC2086
            "$GEOANNOT" query events --db "$db" $f --format "$fmt" -q >"$tmp/got" 2>"$tmp/err" ||
                fail "$label: query events $f --format $fmt: $(cat "$tmp/err")"
            # shellcheck disable=SC2086
            GEOANNOT_NO_BLOCKS=1 "$GEOANNOT" query events --db "$db" $f --format "$fmt" -q \
                >"$tmp/want" 2>/dev/null || fail "$label: reference query $f --format $fmt"
            cmp -s "$tmp/got" "$tmp/want" || {
                diff "$tmp/got" "$tmp/want" | head -4 >&2
                fail "$label: 'query events $f --format $fmt' differs from event_cells' listing"
            }
            n=$((n + 1))
        done
    done
    [ "$n" -gt 30 ] || fail "$label: only $n listings compared"
}

# sums: the checksums of the database file and of its WAL's content (a
# reader may create an empty WAL where there was none, and the WAL index
# -shm, which holds no data)
sums() { sha256sum <"$db"; { cat "$db-wal" 2>/dev/null || true; } | sha256sum; }

# check LABEL [FORMATS]: the three checks, the listings first while
# another process holds the write lock, then without it (after the first
# writes jsonl and table, the formats with all and with some columns)
check() {
    local label=$1 formats=${2:-jsonl table} marked before
    marked=$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")
    before=$(sums)
    if [ "$marked" != 0 ]; then
        rm -f "$tmp/locked" "$tmp/fifo"
        mkfifo "$tmp/fifo"
        sqlite3 "$db" <"$tmp/fifo" >/dev/null 2>&1 &
        lock_pid=$!
        exec 3>"$tmp/fifo"
        printf '.timeout 30000\nBEGIN IMMEDIATE;\n.shell touch %s\n' "$tmp/locked" >&3
        for _ in $(seq 100); do [ -f "$tmp/locked" ] && break; sleep 0.1; done
        [ -f "$tmp/locked" ] || fail "$label: could not take the write lock"
        output "$label (marked blocks in memory)" jsonl
        [ "$(sums)" = "$before" ] ||
            fail "$label: the queries under another's write lock changed the database file"
        printf 'ROLLBACK;\n' >&3
        exec 3>&-
        wait "$lock_pid" || true
        lock_pid=
    fi
    local n
    n=$(stale "$db")
    [ "$n" = 0 ] || fail "$label: $n blocks differ from blocks packed afresh"
    before=$(sums)
    output "$label" "$formats"
    [ "$(sums)" = "$before" ] || fail "$label: the queries changed the database file"
    [ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")" = "$marked" ] ||
        fail "$label: the queries changed the marks"
    echo "ok   $label ($marked blocks were marked, left as they were)"
}

# annotate's batches
docs=("$GA_SOURCE_DIR"/examples/*.txt "$GA_SOURCE_DIR"/examples/reports.jsonl)
"$GEOANNOT" annotate --db "$db" -q "${docs[@]}" >/dev/null
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks")" -gt 0 ] || fail "annotate left no blocks"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")" = 0 ] ||
    fail "annotate left blocks marked"
check "annotate" "csv jsonl geojson table"

# a document annotated again with other text (its events deleted and made anew)
f=$(ls "$GA_SOURCE_DIR"/examples/*.txt | head -1)
cp "$f" "$tmp/$(basename "$f")"
printf '\nThousands fled Talbiseh and Al-Rastan to Homs on Monday.\n' >>"$tmp/$(basename "$f")"
"$GEOANNOT" annotate --db "$db" -q "$tmp/$(basename "$f")" >/dev/null
check "annotate again"

# rows written through SQLite with SpatiaLite: odd values, an INSERT OR
# REPLACE that moves a row, an update that moves a point, a point added
sqlite3 "$db" >/dev/null <<'SQL'
.load mod_spatialite
BEGIN;
INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text, url) VALUES
  (900, 'odd', 'Odd, "quoted" title', '2017-03-13', 'x', 'text', 'http://e/a,b');
INSERT INTO events(id, document_id, seq, type, status, trigger, role, event_date, time_precision,
                   geo_precision, people, place_name, place_gid, admin1, admin1_pcode, actors,
                   sentence, reason, origin_name, origin_lon, origin_lat, dest_lon, lon, lat,
                   geom) VALUES
  (9001, 900, 0, 'flight', 'reported', 'fled', 'site', '2017-03-13', 1, 1, 0,
   'Ḩimş, "old" city: ~x~', 'geonames:169577', 'Homs', 'SY04', '["Russia","A, B"]',
   'line one
line two, with 12:3 and ~ and '''' quotes', '', 'Tadmur', 38.268, 34.56, 36.1, 36.72, 34.73,
   MakePoint(36.72, 34.73, 4326)),
  (9002, 900, 1, 'siege', 'threatened', NULL, 'site', NULL, NULL, NULL, NULL, '', NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MakePoint(36.7, 34.7, 4326)),
  (9003, 900, 2, 'evacuation', 'reported', 'x', 'origin', '2016-01-01', 3, 2, 9000000000000,
   'lon unlike x', NULL, 'Homs', 'SY04', '[]', 'ناس', 'r', NULL, NULL, NULL, NULL, 36, 34.75,
   MakePoint(36.71, 34.75, 4326)),
  (9004, 900, 3, 'return', 'denied', 'y', 'destination', '2017-13-45x', -2, 2, -5, 'p', NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, MakePoint(36.69, 34.71, 4326)),
  (9005, 900, 4, 'flight', 'reported', NULL, 'site', '2018-02-02', 1, 1, 7, 'to be replaced',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   MakePoint(36.3, 33.5, 4326)),
  (9006, 900, 5, 'flight', 'reported', NULL, 'site', '2018-02-03', 1, 1, 7, 'no point',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (9007, 900, 6, 'protest', 'reported', NULL, 'site', '2017-03-13', 1, 1, 1,
   'long text', NULL, NULL, NULL, NULL, printf('%.400c', 'w'), NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, MakePoint(36.705, 34.705, 4326));
INSERT OR REPLACE INTO events(id, document_id, seq, type, status, role, event_date, people,
                              place_name, geom) VALUES
  (9005, 900, 4, 'flight', 'reported', 'site', '2018-02-04', 8, 'replaced in Homs',
   MakePoint(36.74, 34.72, 4326));
UPDATE events SET geom = MakePoint(36.73, 34.74, 4326) WHERE id = 9002;
UPDATE events SET geom = MakePoint(36.5, 34.5, 4326) WHERE id = 9006;
COMMIT;
SQL
check "rows written with SpatiaLite" "csv jsonl geojson table"

# a point moved to another block, and a value of a type the C filters do
# not read (the block then answers through event_cells)
sqlite3 "$db" >/dev/null <<'SQL'
.load mod_spatialite
UPDATE events SET geom = MakePoint(37.9, 34.9, 4326) WHERE id = 9003;
UPDATE events SET geo_precision = 1.5 WHERE id = 9007;
SQL
check "point moved, odd value"
sqlite3 "$db" >/dev/null <<'SQL'
.load mod_spatialite
UPDATE events SET geo_precision = 2 WHERE id = 9007;
SQL
check "odd value put right"

# an update of other columns through SQLite without SpatiaLite, then
# deletes: one row, one document with its events
sqlite3 "$db" "UPDATE events SET place_name = 'renamed, again', people = NULL,
    event_date = '2015-05-05', lon = 36.7201 WHERE id IN (9001, 9003)" ||
    fail "an update without SpatiaLite failed"
check "update without SpatiaLite"
sqlite3 "$db" "PRAGMA foreign_keys = ON; DELETE FROM events WHERE id = 9004;
    DELETE FROM documents WHERE id = (SELECT min(document_id) FROM events WHERE document_id < 900)"
check "deletes"

# the upgrade of a schema 3 database: the blocks are made on first open
sqlite3 "$db" "DROP TABLE event_blocks; DROP TABLE event_blocks_dirty; PRAGMA user_version = 3;"
"$GEOANNOT" query events --db "$db" --in Homs -q >/dev/null || fail "query on a schema 3 database"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 4 ] || fail "schema 3 not upgraded to 4"
check "upgrade from schema 3"

# the stale check bites: an update that marks nothing leaves a stale block
sqlite3 "$db" "DROP TRIGGER event_blocks_update;
    UPDATE events SET place_name = 'unmarked' WHERE id = 9001"
n=$(stale "$db")
[ "$n" != 0 ] || fail "an update with the marking trigger dropped was not found stale"
echo "ok   a stale block is found ($n)"
echo "event_blocks: all checks passed"
