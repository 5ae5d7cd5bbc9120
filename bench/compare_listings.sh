#!/usr/bin/env bash
# bench/compare_listings.sh: the same event listings from two builds, each
# on its own copy of a database (a build refuses a schema newer than its
# own, so each gets the copy it upgraded), compared byte for byte: each
# governorate (SY01-SY14), four districts, boxes, distances, dates, type,
# status, precision, limit and group-by, in csv, jsonl, geojson and table.
# Prints one line per difference and a count; exits 1 when any differ.
#
# Usage: bench/compare_listings.sh BUILD_A DB_A BUILD_B DB_B
# (for example a build of the previous release on a schema 3 copy of bench/query.sh's 1M
# events, this build on a copy upgraded to schema 5)
set -euo pipefail
[ $# = 4 ] || { sed -n '2,12p' "$0"; exit 2; }
a_bin="$1/geoannot" a_db=$2 b_bin="$3/geoannot" b_db=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
filters=()
for g in 01 02 03 04 05 06 07 08 09 10 11 12 13 14; do filters+=("--in SY$g"); done
filters+=(
    "--in SY0400" "--in SY0100" "--in SY0309" "--in SY1400"
    "--bbox 35.5,32,42.5,37.5" "--bbox 36.6,34.6,36.8,34.8" "--bbox 36.0,33.3,36.6,33.7"
    "--near 36.72,34.73 --within 40km" "--near ocha:SY0309 --within 25km"
    "--in Homs --from 2017-01-01 --to 2017-12-31" "--in SY03 --from 2016-06-01"
    "--in Homs --type flight" "--in Homs --status reported" "--in Homs --min-precision 1"
    "--in Homs --limit 3" "--bbox 35.5,32,42.5,37.5 --type evacuation --limit 5"
    "--in Homs --group-by admin1" "--bbox 35.5,32,42.5,37.5 --group-by month"
)
n=0 bad=0
for f in "${filters[@]}"; do
    for fmt in csv jsonl geojson table; do
        case "$f $fmt" in *group-by*geojson) continue ;; esac
        # shellcheck disable=SC2086
        "$a_bin" query events --db "$a_db" $f --format "$fmt" -q >"$tmp/a" 2>&1 || true
        # shellcheck disable=SC2086
        "$b_bin" query events --db "$b_db" $f --format "$fmt" -q >"$tmp/b" 2>&1 || true
        n=$((n + 1))
        if ! cmp -s "$tmp/a" "$tmp/b"; then
            bad=$((bad + 1))
            echo "differs: query events $f --format $fmt ($(wc -c <"$tmp/a") / $(wc -c <"$tmp/b") bytes)"
        elif [ "$fmt" = csv ]; then
            echo "same: $f ($(($(wc -l <"$tmp/a") - 1)) rows)"
        fi
    done
done
echo "$n listings compared, $bad differ"
[ "$bad" = 0 ]
