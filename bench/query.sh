#!/usr/bin/env bash
# query.sh: region query over 1M events (DESIGN.md target: `query events
# --in <governorate>` median <= 5 ms in-process).
#
# Builds a database with the OCHA governorate and district outlines of
# ../shared/data/cod-syria and N synthetic events spread uniformly over
# Syria's box (GA_BENCH_EVENTS, default 1000000), then runs bench_query
# (bench/bench_query.c): per region, the median of 20 in-process calls of
# ga_store_events_each() (R*Tree + cell grid + exact test in border cells)
# next to the median of the plain method measured in the same run (every
# event tested with ST_Intersects, no spatial index), as a ratio. Then the
# whole command once with --timing, for the process view.
#
# Regions: Damascus (small, few hundred events), Quneitra, Homs (the
# largest governorate, a fifth of all events). A uniform spread puts most
# events in large governorates, so the result size, not the region test,
# sets the time there; the table says how many rows each query returned.
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
db="$dir/bench_query_$n.sqlite"

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
                   lon, lat, geom)
SELECT 1, i / 2, CASE i % 6 WHEN 0 THEN 'evacuation' WHEN 2 THEN 'flight' ELSE 'siege' END,
       'reported', 'site', printf('20%02d-%02d-%02d', 12 + i % 9, 1 + i % 12, 1 + i % 28),
       i % 5000, 'place ' || (i / 2), x, y, MakePoint(x, y, 4326)
FROM (SELECT r1.i AS i, 35.7 + 6.7 * r1.s / 2147483648.0 AS x,
             32.3 + 5.1 * r2.s / 2147483648.0 AS y
      FROM r r1 JOIN r r2 ON r2.i = r1.i + 1 WHERE r1.i % 2 = 0);
COMMIT;
.output /dev/null
PRAGMA wal_checkpoint(TRUNCATE);
SQL
    echo "built in $(( $(date +%s) - t0 )) s" >&2
fi

echo "== in-process: ga_store_events_each, median of 20 (reference: plain ST_Intersects scan, median of 3)"
"$bench" "$db" --runs 20 --ref-runs 3 SY01 SY14 SY04 || true
echo
echo "== whole command, once each (prepare = region lookup + grid; query = rows through the callback)"
for region in Damascus Quneitra Homs; do
    /usr/bin/time -f "   wall %e s, max RSS %M KB" "$geoannot" query events --db "$db" --in "$region" \
        --format csv --timing -q 2>&1 >/dev/null | sed "s/^/$region: /"
done
echo "target: <= 5 ms median in-process for a governorate over 1M events"
