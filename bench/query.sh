#!/usr/bin/env bash
# query.sh: filtered event queries over 1M events (DESIGN.md target:
# `query events --in <governorate>` median <= 5 ms in-process; the issue
# adds <= 50 ms for the whole command).
#
# Builds a database with the OCHA governorate and district outlines of
# ../shared/data/cod-syria and N synthetic events spread uniformly over
# Syria's box (GA_BENCH_EVENTS, default 1000000; GA_BENCH_TEXTS=1 gives
# them the texts of real events, below), its event blocks packed whole,
# then runs bench_query (bench/bench_query.c): per query, the rows
# returned, the median of 20 in-process calls of ga_store_events_each()
# (the event_blocks segments, at most 64 KiB each, of the 0.1-degree
# blocks that the filter meets, the region's grid, exact point-in-polygon
# in border cells; every row through the callback, sorted by date, no
# limit; every column filled) and rows per second, next to the same
# filter by a plain scan of every event without the spatial index
# (median of 3), as a ratio; then the same queries through
# ga_store_events_each_par() on as many threads as there are processors,
# as query events runs them (a helper thread tests the events of the
# segments the query's thread reads, two threads share a large sort, each
# thread gathers and fills the rows of its chunks); then the governorates
# again filling only the columns the default table shows (--columns
# table: the long texts are not read). Then each query as a whole
# command (csv to /dev/null, no limit; and the table, the default format,
# for the governorates), median of 5 wall times, with the command's own
# --timing split from its last run.
#
# Without GA_BENCH_TEXTS an event carries a date, type, status, place
# name and people (about 80 bytes packed); real events also carry a
# trigger, a place gid, admin names and P-codes, actors, a sentence of a
# few hundred bytes and a reason (about 155 bytes packed for what a
# listing shows, 430 more of long texts). GA_BENCH_TEXTS=1 builds
# bench_query_N_texts.sqlite with such texts: the figures of a listing of
# real events.
#
# Queries: --in Damascus (small, few hundred events), Quneitra, Homs (the
# largest governorate, a fifth of all events), --near Darayya (the OCHA
# district; 'Daraya' on the command line) --within 25km, and a --bbox
# around Damascus. A uniform spread puts most events in large areas, so
# there the number of rows, not the spatial test, sets the time: read
# rows/s for those.
#
# The database has the schema of the geoannot that made it: a database of
# an older schema is upgraded on first use (for schema 2 to 3, about a
# minute for event_cells; 3 to 6 to 7, about 7 s for event_blocks, 20 s
# with GA_BENCH_TEXTS), after which older builds refuse it, so keep one
# directory per schema when comparing builds. GA_BENCH_ALL=1 adds all 14
# governorates (SY01-SY14), their rows handed to as many threads as
# there are processors, as query events does.
#
# Measured (figures in README.md, "Performance"): this release (schema 7)
# against the previous one (schema 6), each on its own database made from
# the same events, 3 and 5 rounds alternating
#   bench_query DB --runs 20 --ref-runs 0 --threads 2 --in SY04 --in SY02 --in SY03 --in SY14 --in SY01
# and 15 rounds alternating
#   geoannot query events --db DB --in Homs --format csv|table -q >/dev/null
# timed with $EPOCHREALTIME. At a quiet hour in-process Homs 4.5-5.4 ms
# on two threads against 8.8-10.0 (at a slow hour 7.0-7.5 against
# 12.2-14.6); whole command, CSV, 32.4 ms against 37.4, table 44.4
# against 47.6.
#
# Never fails the test suite: it is not a ctest. Needs $GA_BUILD_DIR (with
# geoannot and bench/bench_query built: cmake --build build --target bench)
# and $GA_SOURCE_DIR; GEOANNOT_BENCH_DIR keeps the database for reuse.
set -euo pipefail
GA_SOURCE_DIR=${GA_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
GA_BUILD_DIR=${GA_BUILD_DIR:-$GA_SOURCE_DIR/build}
n=${GA_BENCH_EVENTS:-1000000}
geoannot="$GA_BUILD_DIR/geoannot"
bench="$GA_BUILD_DIR/bench/bench_query"
cod="$GA_SOURCE_DIR/../shared/data/cod-syria"
for f in "$geoannot" "$bench" "$cod/syr_admin1.geojson"; do
    [ -e "$f" ] || { echo "query.sh: missing '$f' (build with: cmake --build" \
        "$GA_BUILD_DIR --target bench)" >&2; exit 0; }
done
dir=${GEOANNOT_BENCH_DIR:-$(mktemp -d)}
[ -n "${GEOANNOT_BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT
texts=${GA_BENCH_TEXTS:-}
db="$dir/bench_query_$n${texts:+_texts}.sqlite"
# GA_BENCH_TEXTS=1: events with the texts of real ones (a trigger, a place
# gid, admin names and P-codes, actors, a sentence of 180 to 420 bytes with
# commas and quotes, a reason of about 90 bytes): what a listing of real
# events carries. Without it only date, type, status, place name and people.
extra_cols= extra_vals=
if [ -n "$texts" ]; then
    extra_cols="trigger, place_gid, kind, country, admin1, admin1_pcode, admin2, admin2_pcode,
                actors, sentence, reason,"
    extra_vals=$(cat <<'SQL'
CASE (i / 2) % 4 WHEN 0 THEN 'fled' WHEN 2 THEN 'evacuated' ELSE 'bussed' END,
'geonames:' || (160000 + (i / 2) % 20000), 'populated_place', 'SY',
'Governorate ' || ((i / 2) % 14), printf('SY%02d', 1 + (i / 2) % 14),
'District ' || ((i / 2) % 60), printf('SY%02d%02d', 1 + (i / 2) % 14, (i / 2) % 7),
CASE (i / 2) % 3 WHEN 0 THEN '["Syrian government","Russia"]' WHEN 1 THEN '["Free Syrian Army"]' END,
substr('Residents of the Waer district in Homs, Moadamiya and Madaya in rural Damascus '
  || 'were bussed north under an evacuation deal after months of siege and shelling, the '
  || '"reconciliation" committee said on Thursday; about 1,500 people, among them fighters '
  || 'and their families, left in a convoy of green buses bound for Idlib, while others '
  || 'fled toward the Turkish border, according to activists and a monitoring group that '
  || 'counted the departures from the town and the villages.', 1 + (i / 2) % 50, 180 + (i / 2) % 241),
'''' || CASE (i / 2) % 4 WHEN 0 THEN 'fled' WHEN 2 THEN 'evacuated' ELSE 'bussed' END
  || ''' with origin place ' || (i / 2) || '; status from the verbs around it (' || ((i / 2) % 7)
  || ' places in the sentence)',
SQL
)
fi

if [ ! -f "$db" ]; then
    echo "building $db with $n events ..." >&2
    t0=$(date +%s)
    "$geoannot" gazetteer import boundaries "$cod/syr_admin1.geojson" --level adm1 --db "$db" -q
    "$geoannot" gazetteer import boundaries "$cod/syr_admin2.geojson" --level adm2 --db "$db" -q
    sqlite3 "$db" <<SQL
.load mod_spatialite
.output /dev/null
PRAGMA journal_mode = WAL;
PRAGMA cache_size = -524288;
.output stdout
BEGIN;
INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text)
  VALUES (1, 'bench', 'Synthetic events', '2018-01-01', 'x', 'x');
WITH RECURSIVE r(i, s) AS (
  SELECT 0, 987654321
  UNION ALL SELECT i + 1, (s * 1103515245 + 12345) % 2147483648 FROM r WHERE i < 2 * $n - 1)
INSERT INTO events(document_id, seq, type, status, role, event_date, people, place_name,
                   $extra_cols lon, lat, geom)
SELECT 1, i / 2, CASE i % 6 WHEN 0 THEN 'evacuation' WHEN 2 THEN 'flight' ELSE 'siege' END,
       'reported', 'site', printf('20%02d-%02d-%02d', 12 + i % 9, 1 + i % 12, 1 + i % 28),
       i % 5000, 'place ' || (i / 2), $extra_vals x, y, MakePoint(x, y, 4326)
FROM (SELECT r1.i AS i, 35.7 + 6.7 * r1.s / 2147483648.0 AS x,
             32.3 + 5.1 * r2.s / 2147483648.0 AS y
      FROM r r1 JOIN r r2 ON r2.i = r1.i + 1 WHERE r1.i % 2 = 0);
COMMIT;
-- the event blocks packed whole by the next open, as an upgrade from
-- schema 3 packs them, rather than left marked by the inserts
DROP TABLE event_blocks;
DROP TABLE event_blocks_dirty;
PRAGMA user_version = 3;
.output /dev/null
PRAGMA wal_checkpoint(TRUNCATE);
SQL
    "$geoannot" query events --db "$db" --in Damascus -q >/dev/null
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    echo "built in $(( $(date +%s) - t0 )) s" >&2
fi

bbox=36.0,33.3,36.6,33.7
echo "== in-process: ga_store_events_each, median of 20 (reference: plain scan without the spatial index, median of 3)"
"$bench" "$db" --runs 20 --ref-runs 3 --in SY01 --in SY14 --in SY04 \
    --near ocha:SY0309 --within 25 --bbox "$bbox" || true
nproc=$(nproc 2>/dev/null || echo 1)
if [ "$nproc" -gt 1 ]; then
    echo "== in-process, the rows handed to $nproc threads (ga_store_events_each_par, as query events does), median of 20"
    "$bench" "$db" --runs 20 --ref-runs 0 --threads "$nproc" --in SY01 --in SY14 --in SY04 \
        --near ocha:SY0309 --within 25 --bbox "$bbox" || true
fi
echo "== in-process, the columns of the table (the default format), median of 20"
"$bench" "$db" --runs 20 --ref-runs 0 --columns table --in SY01 --in SY14 --in SY04 || true
if [ -n "${GA_BENCH_ALL:-}" ]; then
    echo "== in-process, all 14 governorates, the rows handed to $nproc threads, median of 20"
    "$bench" "$db" --runs 20 --ref-runs 0 --threads "$nproc" $(for g in 01 02 03 04 05 06 07 08 09 10 11 12 13 14; do
        echo "--in SY$g"; done) || true
fi
echo
echo "== whole command, csv to /dev/null, median wall of 5 (timing: the last run's own split)"
# The clock is bash's $EPOCHREALTIME, read without starting a process: a
# $(date +%s%N) on each side added the start of two more processes to
# every figure, about 7 ms on this kind of virtual machine.
wall() {   # wall LABEL ARGS...: median of 5 wall times of geoannot query events ARGS
    local label=$1 i t0 t1 med
    shift
    med=$(for i in 1 2 3 4 5; do
        t0=${EPOCHREALTIME/[.,]/}
        "$geoannot" query events --db "$db" --format csv "$@" --timing -q 2>"$dir/timing" >/dev/null
        t1=${EPOCHREALTIME/[.,]/}
        echo $(( t1 - t0 ))
    done | sort -n | sed -n 3p)
    printf "%-34s wall %7.1f ms   %s\n" "$label" "$(echo "$med / 1000" | bc -l)" \
        "$(cat "$dir/timing" 2>/dev/null)"
}
wall "--in Damascus" --in Damascus
wall "--in Quneitra" --in Quneitra
wall "--in Homs" --in Homs
wall "--in Homs --threads 1" --in Homs --threads 1
wall "--near Daraya --within 25km" --near Daraya --within 25km
wall "--bbox $bbox" --bbox "$bbox"
wall "--in Damascus (table)" --in Damascus --format table
wall "--in Quneitra (table)" --in Quneitra --format table
wall "--in Homs (table)" --in Homs --format table
wall "--in Homs (table) --threads 1" --in Homs --format table --threads 1
wall "(reference) query -h" -h
echo "target: <= 5 ms median in-process for a governorate over 1M events; <= 50 ms whole command"
