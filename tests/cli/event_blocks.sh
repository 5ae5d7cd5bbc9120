#!/usr/bin/env bash
# event_blocks.sh: the packed segments that sorted region listings read
# (event_blocks, src/store/event_blocks.c) never serve stale events,
# whatever writes the events: annotate's batches, annotating a changed
# document again, rows inserted, replaced, moved, updated (with and
# without SpatiaLite) and deleted through SQLite, a document deleted with
# its events, the upgrade of a schema 3, a schema 4 and a schema 5
# database.
#
# The whole test packs with a segment cap of GEOANNOT_BLOCK_BYTES=1216
# bytes (about three of its events; the default is 64 KiB), so that blocks
# hold many segments: the segment checks show that a block is split into
# segments within the cap, that a run adding events to a block writes only
# its last segment(s) again (every other row keeps its rowid), that an
# update and a delete write only the segment of the id they touch (a
# segment emptied goes), and that a point moved to another block writes
# one segment of each.
#
# After every write three checks:
#  - stale: every segment not marked in event_blocks_dirty equals the
#    segment packed afresh from event_cells over the same id range (a copy
#    in which every segment and every event is marked, packed again by a
#    write: annotate's commit), both its blobs (data, and cold: the long
#    texts) byte for byte, and no block is missing;
#  - output: every listing (each governorate, districts, boxes, distances,
#    dates, type, status, precision, limit, group-by) in every format
#    (csv, jsonl, geojson, table) equals byte for byte the same listing
#    read from event_cells (GEOANNOT_NO_BLOCKS=1, the path of schema 3);
#    the table reads no cold blob, the other formats read them;
#    marked segments are packed in memory by each query, also while
#    another process holds the write lock;
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
cap=1216
export GEOANNOT_BLOCK_BYTES=$cap
# nothing: a document without events, new each time (annotate skips a
# document it holds unchanged), for writes that only pack marked segments
nothing() {
    local t
    t=$(date +%s%N)
    printf '{"id": "no-events-%s", "text": "Nothing happened here (%s)."}\n' "$t" "$t" \
        >"$tmp/empty.jsonl"
}

"$GEOANNOT" init --db "$db" --gazetteer "$gaz" -q >/dev/null 2>&1 ||
    "$GEOANNOT" init --db "$db" --gazetteer "$gaz" >/dev/null
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "a new database is not schema 7"

# stale DB: the segments of DB not marked dirty against segments packed
# afresh over the same id ranges; prints the number of differing segments
stale() {
    local d=$1 copy="$tmp/fresh.sqlite"
    rm -f "$copy" "$copy-wal" "$copy-shm"
    sqlite3 "$d" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$d" "$copy"
    # every segment (its lo is in its range) and every event marked
    sqlite3 "$copy" "DELETE FROM event_blocks_dirty;
        INSERT OR IGNORE INTO event_blocks_dirty(blk, id) SELECT blk, lo FROM event_blocks;
        INSERT OR IGNORE INTO event_blocks_dirty(blk, id)
          SELECT cell / 360000 * 3600 + cell % 36000 / 10, id FROM event_cells;"
    # a write packs every marked segment before it commits: annotate a
    # document without events
    nothing
    "$GEOANNOT" annotate --db "$copy" -q --format jsonl "$tmp/empty.jsonl" >/dev/null ||
        fail "annotate on the copy"
    [ "$(sqlite3 "$copy" "SELECT count(*) FROM event_blocks_dirty")" = 0 ] ||
        fail "a write left segments marked"
    # seg: DB's segments with their ranges (the first of a block from the
    # lowest id, the last to the highest); a mark makes the segment whose
    # range holds its id dirty; the copy's segments in the ranges of the
    # clean ones (and in blocks DB has neither segment nor mark of) must be
    # those segments
    sqlite3 "$copy" "ATTACH '$d' AS o;
        WITH seg AS (SELECT blk, lo, n, data, cold, lead(lo) OVER w AS hi,
                            row_number() OVER w = 1 AS first
                     FROM o.event_blocks WINDOW w AS (PARTITION BY blk ORDER BY lo)),
             dirty AS (SELECT DISTINCT s.blk, s.lo FROM o.event_blocks_dirty m
                       JOIN seg s ON s.blk = m.blk AND (s.first OR m.id >= s.lo)
                                 AND (s.hi IS NULL OR m.id < s.hi)),
             clean AS (SELECT * FROM seg WHERE NOT EXISTS
                         (SELECT 1 FROM dirty d WHERE d.blk = seg.blk AND d.lo = seg.lo)),
             bare AS (SELECT blk FROM main.event_blocks
                      EXCEPT SELECT blk FROM o.event_blocks
                      EXCEPT SELECT blk FROM o.event_blocks_dirty),
             a AS (SELECT c.blk, c.lo, c.n, c.data, c.cold FROM main.event_blocks c
                   JOIN clean s ON c.blk = s.blk AND (s.first OR c.lo >= s.lo)
                               AND (s.hi IS NULL OR c.lo < s.hi)
                   UNION ALL SELECT blk, lo, n, data, cold FROM main.event_blocks
                   WHERE blk IN bare),
             b AS (SELECT blk, lo, n, data, cold FROM clean)
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
                diff "$tmp/got" "$tmp/want" | head -4 >&2 || true
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
        output "$label (marked segments in memory)" jsonl
        [ "$(sums)" = "$before" ] ||
            fail "$label: the queries under another's write lock changed the database file"
        printf 'ROLLBACK;\n' >&3
        exec 3>&-
        wait "$lock_pid" || true
        lock_pid=
    fi
    local n
    n=$(stale "$db")
    [ "$n" = 0 ] || fail "$label: $n segments differ from segments packed afresh"
    before=$(sums)
    output "$label" "$formats"
    [ "$(sums)" = "$before" ] || fail "$label: the queries changed the database file"
    [ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")" = "$marked" ] ||
        fail "$label: the queries changed the marks"
    echo "ok   $label ($marked marks, left as they were)"
}

# annotate's batches
docs=("$GA_SOURCE_DIR"/examples/*.txt "$GA_SOURCE_DIR"/examples/reports.jsonl)
"$GEOANNOT" annotate --db "$db" -q "${docs[@]}" >/dev/null
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks")" -gt 0 ] || fail "annotate left no blocks"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")" = 0 ] ||
    fail "annotate left segments marked"
check "annotate" "csv jsonl geojson table"

# ---- segments -------------------------------------------------------------

# reports FROM TO: reports FROM..TO about Talbiseh and Homs (two events
# each: the origin in Talbiseh's block, the destination in Homs')
reports() {
    local i text='Talbiseh report %d\\n%d families fled Talbiseh to Homs after shelling.'
    for i in $(seq "$1" "$2"); do
        printf '{"id": "talbiseh-%d", "date": "2017-%02d-%02d", "text": "'"$text"'"}\n' \
            "$i" $((1 + i % 12)) $((1 + i % 28)) "$i" $((10 * i + 3))
    done >"$tmp/reports.jsonl"
    "$GEOANNOT" annotate --db "$db" -q "$tmp/reports.jsonl" >/dev/null || fail "annotate reports"
}
# snap: a copy of the database as it is now, to compare segments with
snap() {
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    cp "$db" "$tmp/snap.sqlite"
}
# pack: a write of geoannot packs the marked segments
pack() {
    nothing
    "$GEOANNOT" annotate --db "$db" -q "$tmp/empty.jsonl" >/dev/null || fail "annotate nothing"
    [ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks_dirty")" = 0 ] ||
        fail "a write left segments marked"
}
# rewritten: the segments of the snapshot not in the database as they
# were (rowid, key, blobs), as blk:lo lines
rewritten() {
    sqlite3 "$db" "ATTACH '$tmp/snap.sqlite' AS o;
        SELECT b.blk || ':' || b.lo FROM o.event_blocks b WHERE NOT EXISTS
          (SELECT 1 FROM main.event_blocks a WHERE a.rowid = b.rowid AND a.blk = b.blk
             AND a.lo = b.lo AND a.n = b.n AND a.data = b.data AND a.cold = b.cold)
        ORDER BY b.blk, b.lo"
}
# segs BLK: the keys (lo) of block BLK's segments, in order
segs() { sqlite3 "$db" "SELECT lo FROM event_blocks WHERE blk = $1 ORDER BY lo"; }
# blk_of ID: the block of event ID
blk_of() {
    sqlite3 "$db" "SELECT cell / 360000 * 3600 + cell % 36000 / 10 FROM event_cells WHERE id = $1"
}

reports 1 40
talbiseh=$(blk_of "$(sqlite3 "$db" "SELECT max(id) FROM events WHERE place_name = 'Tallbīsah'")")
homs=$(blk_of "$(sqlite3 "$db" "SELECT max(id) FROM events WHERE place_name = 'Homs'
    AND document_id = (SELECT max(id) FROM documents)")")
[ -n "$talbiseh" ] && [ -n "$homs" ] && [ "$talbiseh" != "$homs" ] ||
    fail "the reports' events are not in two blocks ('$talbiseh', '$homs')"
for b in "$talbiseh" "$homs"; do
    n=$(segs "$b" | wc -l)
    [ "$n" -ge 6 ] || fail "block $b of 40 events has $n segments (cap $cap bytes)"
done
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks
      WHERE length(data) + ifnull(length(cold), 0) > $cap AND n > 1")" = 0 ] ||
    fail "a segment of more than one event passes the cap"
# the reports have sentences and reasons: their segments have cold blobs
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE blk = $talbiseh
      AND length(cold) = 0")" = 0 ] || fail "a segment of events with sentences has no cold blob"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE lo <> (SELECT min(id) FROM event_cells
      WHERE cell / 360000 * 3600 + cell % 36000 / 10 = blk AND id >= lo)")" = 0 ] ||
    fail "a segment's key is not its lowest id"
[ "$(sqlite3 "$db" "SELECT (SELECT sum(n) FROM event_blocks)
                      = (SELECT count(*) FROM event_cells)")" = 1 ] ||
    fail "the segments do not hold every event once"
check "segments split" "csv jsonl"

# more reports add to both blocks. append FROM TO: every segment written
# again is the last of its block, and a last segment with room (fewer
# events than the block's first) is; prints full (no segment written
# again, segments added after full ones) or extended
append() {
    local got last room s before
    snap
    reports "$1" "$2"
    got=$(rewritten)
    last=$(sqlite3 "$tmp/snap.sqlite" "SELECT blk || ':' || max(lo) FROM event_blocks
        WHERE blk IN ($talbiseh, $homs) GROUP BY blk")
    room=$(sqlite3 "$tmp/snap.sqlite" "SELECT blk || ':' || lo FROM event_blocks e
        WHERE blk IN ($talbiseh, $homs)
          AND lo = (SELECT max(lo) FROM event_blocks WHERE blk = e.blk)
          AND n < (SELECT n FROM event_blocks WHERE blk = e.blk ORDER BY lo LIMIT 1)")
    for s in $got; do
        grep -qx "$s" <<<"$last" || fail "appending $1-$2 wrote again $s, not a last segment"
    done
    for s in $room; do
        grep -qx "$s" <<<"$got" || fail "appending $1-$2 did not extend the last segment $s"
    done
    before=$(sqlite3 "$tmp/snap.sqlite" "SELECT count(*) FROM event_blocks")
    [ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks")" -ge "$before" ] ||
        fail "appending $1-$2 lost segments"
    if [ -z "$got" ]; then echo full; else echo extended; fi
}
ways="$(append 41 55) $(append 56 57) $(append 58 59)"
[ "$ways" = "full extended extended" ] ||
    fail "appending took the ways '$ways', not full extended extended (fifteen, two, two reports)"
[ "$(segs "$talbiseh" | wc -l)" -ge 11 ] || fail "appending added no segment"
check "segments appended"

# an update of one event in a middle segment (plain SQL, no SpatiaLite):
# that segment only
snap
mid=$(segs "$talbiseh" | sed -n 3p)
sqlite3 "$db" "UPDATE events SET people = 7, reason = 'changed in place' WHERE id = $mid"
check "update in a middle segment"
pack
[ "$(rewritten)" = "$talbiseh:$mid" ] || fail "an update wrote again '$(echo $(rewritten))'"
check "update in a middle segment, packed"

# an update of a cold text only, to one of the same length (the
# segment's data blob comes out as it was, its cold blob does not): that
# segment, both blobs
snap
sqlite3 "$db" "UPDATE events SET sentence = upper(sentence) WHERE id = $mid"
[ "$(sqlite3 "$db" "SELECT sentence <> lower(sentence) FROM events WHERE id = $mid")" = 1 ] ||
    fail "the sentence of event $mid did not change"
pack
[ "$(rewritten)" = "$talbiseh:$mid" ] ||
    fail "an update of a sentence wrote again '$(echo $(rewritten))'"
check "update of a cold text, packed"

# deletes: one event of a segment, then every event of another (it goes)
snap
one=$(segs "$talbiseh" | sed -n 2p)
sqlite3 "$db" "DELETE FROM events WHERE id = (SELECT max(id) FROM event_cells
    WHERE cell / 360000 * 3600 + cell % 36000 / 10 = $talbiseh AND id >= $one AND id < $mid)"
pack
[ "$(rewritten)" = "$talbiseh:$one" ] || fail "a delete wrote again '$(echo $(rewritten))'"
snap
gone=$(segs "$talbiseh" | sed -n 4p)
next=$(segs "$talbiseh" | sed -n 5p)
sqlite3 "$db" "DELETE FROM events WHERE id IN (SELECT id FROM event_cells
    WHERE cell / 360000 * 3600 + cell % 36000 / 10 = $talbiseh AND id >= $gone AND id < $next)"
check "segment emptied"
pack
[ "$(rewritten)" = "$talbiseh:$gone" ] || fail "emptying a segment wrote '$(echo $(rewritten))'"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE blk = $talbiseh AND lo = $gone")" \
    = 0 ] ||
    fail "an emptied segment stayed"
check "segment emptied, packed"

# a point moved from a middle segment of Talbiseh's block into Homs':
# the segment it left and the one of Homs' block whose range takes its id
snap
moved=$(sqlite3 "$db" "SELECT min(id) FROM event_cells
    WHERE cell / 360000 * 3600 + cell % 36000 / 10 = $talbiseh AND id > $mid")
into=$(sqlite3 "$db" "SELECT max(lo) FROM event_blocks WHERE blk = $homs AND lo <= $moved")
from=$(sqlite3 "$db" "SELECT max(lo) FROM event_blocks WHERE blk = $talbiseh AND lo <= $moved")
sqlite3 "$db" >/dev/null <<SQL
.load mod_spatialite
UPDATE events SET geom = MakePoint(36.72, 34.73, 4326), lon = 36.72, lat = 34.73
  WHERE id = $moved;
SQL
[ "$(blk_of "$moved")" = "$homs" ] || fail "the moved point is not in Homs' block"
check "point moved between blocks"
pack
want=$(printf '%s\n' "$talbiseh:$from" "$homs:$into" | sort -t: -k1,1n -k2,2n)
[ "$(rewritten)" = "$want" ] ||
    fail "a move wrote again '$(echo $(rewritten))', not '$(echo $want)'"
check "point moved between blocks, packed"

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

# an event whose hot text (one a table shows) passes 64 KiB: its segment
# holds it (text offsets are 32 bits) and is not flagged
sqlite3 "$db" >/dev/null <<'SQL'
.load mod_spatialite
INSERT INTO events(id, document_id, seq, type, status, role, event_date, people, place_name,
                   reason, geom)
  VALUES (9008, 900, 7, 'flight', 'reported', 'site', '2017-03-14', 3,
          printf('%.70000c', 'p'), 'a long place name', MakePoint(36.706, 34.706, 4326));
SQL
check "hot text past 64 KiB" "csv table"
pack
seg_flags() {   # the flags of the segment holding event $1
    sqlite3 "$db" "SELECT hex(substr(data, 9, 4)) FROM event_blocks
        WHERE lo <= $1 AND blk = (SELECT cell / 360000 * 3600 + cell % 36000 / 10
                                  FROM event_cells WHERE id = $1) ORDER BY lo DESC LIMIT 1"
}
[ "$(seg_flags 9008)" = 00000000 ] ||
    fail "the segment of an event whose hot text passes 64 KiB is flagged ($(seg_flags 9008))"
check "hot text past 64 KiB, packed" "csv table"
# a value the record cannot hold (people past 31 bits): the segment is
# flagged and listings of its block come from event_cells
sqlite3 "$db" "UPDATE events SET people = 3000000000 WHERE id = 9008"
pack
[ "$(seg_flags 9008)" = 01000000 ] ||
    fail "the segment of an event of people past 31 bits is not flagged ($(seg_flags 9008))"
check "people past 31 bits, packed" "csv table"
sqlite3 "$db" "DELETE FROM events WHERE id = 9008"
check "hot text past 64 KiB, deleted"

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
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "schema 3 not upgraded to 7"
check "upgrade from schema 3"

# the upgrade of a schema 4 database (one blob per block, marks per block):
# its tables and triggers are made again
sqlite3 "$db" "DROP TABLE event_blocks; DROP TABLE event_blocks_dirty;
    DROP TRIGGER event_blocks_insert; DROP TRIGGER event_blocks_delete;
    DROP TRIGGER event_blocks_update;
    CREATE TABLE event_blocks(blk INTEGER PRIMARY KEY, n INTEGER NOT NULL, data BLOB NOT NULL);
    CREATE TABLE event_blocks_dirty(blk INTEGER PRIMARY KEY);
    CREATE TRIGGER event_blocks_update AFTER UPDATE ON event_cells FOR EACH ROW BEGIN
      INSERT OR IGNORE INTO event_blocks_dirty(blk) VALUES(1); END;
    INSERT INTO event_blocks VALUES(1, 1, x'00');
    PRAGMA user_version = 4;"
"$GEOANNOT" query events --db "$db" --in Homs -q >/dev/null || fail "query on a schema 4 database"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "schema 4 not upgraded to 7"
check "upgrade from schema 4"

# the upgrade of a schema 5 database (segments without cold blobs, texts
# each behind its length, "GAB2"): made again, and marks of the old
# segments go with them
sqlite3 "$db" "DROP TABLE event_blocks; DELETE FROM event_blocks_dirty;
    CREATE TABLE event_blocks(blk INTEGER NOT NULL, lo INTEGER NOT NULL, n INTEGER NOT NULL,
                              data BLOB NOT NULL, PRIMARY KEY(blk, lo));
    INSERT INTO event_blocks SELECT DISTINCT cell / 360000 * 3600 + cell % 36000 / 10, 0, 1,
      x'4741423201000000000000000000000000' FROM event_cells;
    INSERT INTO event_blocks_dirty VALUES(1, 1);
    PRAGMA user_version = 5;"
"$GEOANNOT" query events --db "$db" --in Homs -q >/dev/null || fail "query on a schema 5 database"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "schema 5 not upgraded to 7"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE length(cold) > 0")" -gt 0 ] ||
    fail "the upgrade from schema 5 left no cold blob"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE hex(substr(data, 1, 4)) <> '47414234'")" \
    = 0 ] || fail "the upgrade from schema 5 left a segment that is not GAB4"
check "upgrade from schema 5" "csv jsonl geojson table"

# the upgrade of a schema 6 database (segments "GAB3", a record and every
# text of each event apart): packed again
sqlite3 "$db" "UPDATE event_blocks SET data = x'47414233010000000000000000000000';
    PRAGMA user_version = 6;"
"$GEOANNOT" query events --db "$db" --in Homs -q >/dev/null || fail "query on a schema 6 database"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 7 ] || fail "schema 6 not upgraded to 7"
[ "$(sqlite3 "$db" "SELECT count(*) FROM event_blocks WHERE hex(substr(data, 1, 4)) <> '47414234'")" \
    = 0 ] || fail "the upgrade from schema 6 left a segment that is not GAB4"
check "upgrade from schema 6" "csv jsonl"

# the stale check bites: an update that marks nothing leaves a stale segment
sqlite3 "$db" "DROP TRIGGER event_blocks_update;
    UPDATE events SET place_name = 'unmarked' WHERE id = 9001"
n=$(stale "$db")
[ "$n" != 0 ] || fail "an update with the marking trigger dropped was not found stale"
echo "ok   a stale segment is found ($n)"
echo "event_blocks: all checks passed"
