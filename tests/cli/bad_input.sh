#!/usr/bin/env bash
# bad_input.sh: every kind of bad input gets a clear message naming the
# file (and the line or byte offset), the right exit code, and never a
# crash or a changed database (DESIGN.md, "Reliability").
#
#   text inputs (geoannot resolve, which writes nothing): invalid and
#   overlong UTF-8 and NUL bytes are repaired with a warning giving the
#   byte offset; binary, empty and blank files, missing files and empty
#   directories are refused naming them; a JSON Lines file with a broken
#   line reports that line and still resolves the others; a 200 MB
#   single-line file (text and JSON Lines) runs in bounded memory or fails
#   with "out of memory", never a crash.
#   gazetteer inputs (geoannot gazetteer import): GeoNames rows with an
#   extra or a missing column, latitudes out of range, a directory, a
#   missing or empty file are refused naming the file and line and leave
#   the database unchanged; swapped coordinates are a warning; GeoJSON in
#   another CRS is transformed to lon/lat; swapped or out-of-range GeoJSON
#   points are reported; broken GeoJSON is refused.
#
# The gazetteer is made here from tests/fixtures/bad/geonames_ok.txt, so
# the test needs only $GEOANNOT and $GA_SOURCE_DIR (and sqlite3 for the
# database checks). The 200 MB part needs /usr/bin/time and is skipped in
# sanitizer builds (ASan reserves terabytes of address space, so a memory
# limit cannot be set) or when GA_TEST_SKIP_BIG=1. Every check runs; the
# failures are listed at the end.
set -uo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fx="$GA_SOURCE_DIR/tests/fixtures/bad"
[ -x "$GEOANNOT" ] || { echo "SKIP: no geoannot binary at '$GEOANNOT'" >&2; exit 77; }
command -v sqlite3 >/dev/null || { echo "SKIP: sqlite3 (the command) is not installed" >&2; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
export GEOANNOT_DB="$tmp/g.sqlite"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok   $*" >&2; }

# run ARGS...: stdout in $tmp/out, stderr in $tmp/err, exit code in $rc.
run() {
    rc=0
    "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
}
# expect WHAT CODE PATTERN ARGS...: run, and check the exit code and that
# stderr matches PATTERN (grep -E; "" for no check). A death by signal
# (exit > 128) is always a failure.
expect() {
    local what=$1 code=$2 pattern=$3
    shift 3
    run "$@"
    if [ "$rc" -gt 128 ]; then
        fail "$what: killed by signal $((rc - 128)): $(tail -5 "$tmp/err")"
    elif [ "$rc" -ne "$code" ]; then
        fail "$what: exit $rc, expected $code: $(head -c 600 "$tmp/err")"
    elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/err"; then
        fail "$what: message does not match '$pattern': $(head -c 600 "$tmp/err")"
    else
        pass "$what"
    fi
}
out_has() {
    if grep -Eq -- "$2" "$tmp/out"; then pass "$1"; else fail "$1: no '$2' in: $(head -c 400 "$tmp/out")"; fi
}
out_lacks() {
    if grep -Eq -- "$2" "$tmp/out"; then fail "$1: unexpected '$2' in output"; else pass "$1"; fi
}
# Fingerprint of the gazetteer: every place and name, in order.
db_sum() {
    sqlite3 "$GEOANNOT_DB" "SELECT gid, name, kind, lon, lat, country FROM places ORDER BY gid;
        SELECT p.gid, n.name, n.kind FROM names n JOIN places p ON p.id = n.place_id
        ORDER BY p.gid, n.name, n.kind;" | md5sum | cut -d' ' -f1
}

# ---- the gazetteer ----------------------------------------------------------
expect "import the fixture gazetteer" 0 "imported .*4 places" \
    gazetteer import geonames "$fx/geonames_ok.txt"
[ "$rc" -eq 0 ] || { echo "cannot build the test gazetteer; stopping" >&2; exit 1; }

# ---- text inputs (resolve) ----------------------------------------------------
expect "invalid UTF-8 is repaired with a warning and offset" 0 \
    "warning: .*text_invalid_utf8\.txt.*invalid UTF-8 at byte 18 replaced by U\+FFFD" resolve "$fx/text_invalid_utf8.txt"
out_has "invalid UTF-8: places after the bad bytes still resolve" "Ar Rastan .*geonames:172946"

expect "overlong UTF-8 is repaired with a warning and offset" 0 \
    "warning: .*text_overlong_utf8\.txt.*invalid UTF-8 at byte 17 replaced" resolve "$fx/text_overlong_utf8.txt"
out_has "overlong UTF-8: Hama still resolves" "Hama .*geonames:170017"

expect "NUL bytes become spaces with a warning and offset" 0 \
    "warning: .*text_nul_bytes\.txt.*NUL byte at byte 17 replaced by a space" resolve "$fx/text_nul_bytes.txt"
out_has "NUL bytes: Idlib still resolves" "Idlib .*geonames:169389"

expect "a binary file is refused naming it" 1 "text_binary\.txt: binary file, not text" \
    resolve "$fx/text_binary.txt"
expect "an empty file is refused naming it" 1 "text_empty\.txt: empty document" \
    resolve "$fx/text_empty.txt"
expect "a blank file is refused naming it" 1 "text_blank\.txt: empty document" \
    resolve "$fx/text_blank.txt"
expect "empty standard input is refused" 1 "standard input: empty document" resolve - </dev/null

expect "a missing file is refused naming it" 1 "cannot open 'no-such-file\.txt': no such file" \
    resolve no-such-file.txt
mkdir -p "$tmp/emptydir"
expect "a directory without documents is refused naming it" 1 \
    "'$tmp/emptydir': no \.txt or \.jsonl files" resolve "$tmp/emptydir"
mkdir -p "$tmp/docs/sub" && cp "$fx/text_nul_bytes.txt" "$tmp/docs/sub/a.txt" &&
    cp "$fx/text_empty.txt" "$tmp/docs/b.txt"
expect "a directory: the bad file is named, the good one resolved" 1 "docs/b\.txt: empty document" \
    resolve "$tmp/docs"
out_has "a directory: the good file is resolved" "== a: .*"

expect "a broken JSON Lines line is reported with its number" 1 \
    "broken_line\.jsonl:2: not a JSON object" resolve "$fx/broken_line.jsonl"
out_has "broken JSON Lines: the line before is resolved" "^== first"
out_has "broken JSON Lines: the line after is resolved" "^== third"
out_lacks "broken JSON Lines: the broken line gives no document" "^== second"

expect "a file whose parent is not a directory" 1 "cannot open '$fx/text_empty\.txt/x\.txt'" \
    resolve "$fx/text_empty.txt/x.txt"

# ---- GeoNames dumps (gazetteer import) --------------------------------------
sum0=$(db_sum)
expect "GeoNames: an extra column is refused with the line" 1 \
    "geonames_extra_column\.txt:3: expected 19 tab-separated columns, found 20" \
    gazetteer import geonames "$fx/geonames_extra_column.txt"
expect "GeoNames: a missing column is refused with the line" 1 \
    "geonames_missing_column\.txt:2: expected 19 tab-separated columns, found 18" \
    gazetteer import geonames "$fx/geonames_missing_column.txt"
expect "GeoNames: latitude out of range is refused with the line" 1 \
    "geonames_lat_out_of_range\.txt:1: latitude '134\.8' is not a number in \[-90, 90\]" \
    gazetteer import geonames "$fx/geonames_lat_out_of_range.txt"
expect "GeoNames: an empty file is refused" 1 "text_empty\.txt: empty file, not a GeoNames dump" \
    gazetteer import geonames "$fx/text_empty.txt"
expect "GeoNames: a GeoJSON file is not a dump" 1 \
    "broken\.geojson:1: not a GeoNames dump" gazetteer import geonames "$fx/broken.geojson"
expect "GeoNames: a NUL byte is refused with the line" 1 "text_nul_bytes\.txt:1: NUL byte" \
    gazetteer import geonames "$fx/text_nul_bytes.txt"
expect "GeoNames: invalid UTF-8 in admin1CodesASCII is refused with the line" 1 \
    "admin1_invalid_utf8\.txt:1: .*invalid UTF-8" \
    gazetteer import geonames "$fx/geonames_ok.txt" --admin1-codes "$fx/admin1_invalid_utf8.txt"
expect "GeoNames: a directory is refused naming it" 1 "'$tmp/emptydir'.*([Ii]s a directory|not a file)" \
    gazetteer import geonames "$tmp/emptydir"
expect "GeoNames: a missing file is refused naming it" 1 "cannot open 'no-such\.txt'" \
    gazetteer import geonames no-such.txt
head -c 300 "$fx/geonames_ok.txt" >"$tmp/truncated.txt"
expect "GeoNames: a truncated file is refused with the line" 1 \
    "truncated\.txt:[0-9]+: truncated line \(the file ends without a newline\)" gazetteer import geonames "$tmp/truncated.txt"
if [ "$(db_sum)" = "$sum0" ]; then pass "GeoNames: refused imports left the gazetteer unchanged"
else fail "GeoNames: a refused import changed the gazetteer"; fi

# Swapped coordinates are a warning once the country's outline is known.
expect "import a country outline for Syria" 0 "" \
    gazetteer import boundaries "$fx/country_sy_box.geojson" --level country --country SY
expect "GeoNames: swapped coordinates are a warning with the line" 0 \
    "warning: .*geonames_swapped\.txt:1: coordinates look swapped" \
    gazetteer import geonames "$fx/geonames_swapped.txt"

# ---- vector files (gazetteer import places) ---------------------------------
expect "GeoJSON in EPSG:3857 is imported" 0 "1 places" \
    gazetteer import places "$fx/places_epsg3857.geojson" --country SY
ll=$(sqlite3 "$GEOANNOT_DB" "SELECT printf('%.4f %.4f', lon, lat) FROM places WHERE gid = 'ocha:C9999'")
if [ "$ll" = "36.7309 34.8407" ]; then pass "GeoJSON in EPSG:3857 is transformed to lon/lat"
else fail "GeoJSON in EPSG:3857: stored as '$ll', expected '36.7309 34.8407' (lon lat)"; fi

expect "GeoJSON with swapped coordinates is a warning naming the feature" 0 \
    "warning: .*places_swapped\.geojson: feature 1.*swapped" \
    gazetteer import places "$fx/places_swapped.geojson" --country SY

sum1=$(db_sum)
expect "GeoJSON with a latitude out of range is reported naming the feature" 0 \
    "warning: .*places_out_of_range\.geojson: feature 1" \
    gazetteer import places "$fx/places_out_of_range.geojson" --country SY
n=$(sqlite3 "$GEOANNOT_DB" "SELECT count(*) FROM places WHERE gid = 'ocha:C9997'")
if [ "$n" = 0 ]; then pass "GeoJSON out of range: the point is not stored"
else fail "GeoJSON out of range: the point was stored"; fi
expect "broken GeoJSON is refused naming the file" 1 "cannot open '.*broken\.geojson' as a vector file" \
    gazetteer import places "$fx/broken.geojson"
expect "a text file is not a vector file" 1 "cannot open '.*text_nul_bytes\.txt' as a vector file" \
    gazetteer import places "$fx/text_nul_bytes.txt"
if [ "$(db_sum)" = "$sum1" ]; then pass "vector files: refused imports left the gazetteer unchanged"
else fail "vector files: a refused or skipped import changed the gazetteer"; fi

# ---- 200 MB on one line -------------------------------------------------------
sanitized=0
if [ -n "${GA_BUILD_DIR:-}" ] && grep -Eq '^GA_SANITIZE:STRING=.+' "$GA_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    sanitized=1
fi
if [ "${GA_TEST_SKIP_BIG:-0}" = 1 ]; then
    echo "skip 200 MB inputs (GA_TEST_SKIP_BIG=1)" >&2
elif [ $sanitized = 1 ]; then
    echo "skip 200 MB inputs (sanitizer build: no memory limit can be set)" >&2
elif [ ! -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "skip 200 MB inputs (/usr/bin/time -v is not available)" >&2
else
    limit_kb=3000000   # address space allowed: 3 GB
    rss_max_kb=2000000 # resident memory allowed: 2 GB (10x the input)
    # big CMD FILE WHAT OK_PATTERN: run geoannot on a 200 MB file under a
    # memory limit; it must exit 0 or fail with a message matching
    # OK_PATTERN (the refusal or "out of memory"), never die by a signal.
    big() {
        local what=$1 pattern=$2
        shift 2
        rc=0
        (ulimit -v $limit_kb; exec timeout -s KILL 300 /usr/bin/time -v -o "$tmp/time" "$GEOANNOT" "$@") \
            >"$tmp/out" 2>"$tmp/err" || rc=$?
        local rss secs
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
        secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time")
        if [ "$rc" -eq 137 ] && ! grep -q . "$tmp/time" 2>/dev/null; then
            fail "$what: did not finish in 300 s"
        elif grep -q "Command terminated by signal" "$tmp/time" || [ "$rc" -gt 128 ]; then
            fail "$what: crashed: $(tail -3 "$tmp/err") $(grep signal "$tmp/time")"
        elif [ "$rc" -ne 0 ] && ! grep -Eq -- "$pattern" "$tmp/err"; then
            fail "$what: exit $rc without the expected message: $(head -c 400 "$tmp/err")"
        elif [ "${rss:-0}" -gt $rss_max_kb ]; then
            fail "$what: max RSS ${rss} kB over ${rss_max_kb} kB"
        else
            pass "$what (exit $rc, max RSS $((rss / 1024)) MB, $secs)"
        fi
    }
    python3 - "$tmp/big.txt" "$tmp/big.jsonl" <<'EOF'
import sys
# Capitalised words that are not places, so the resolver looks them up
# (its cost with many mentions is checked separately below).
sentence = b"The Committee met on Friday and discussed the Report about the roads. "
n = 200 * 1024 * 1024 // len(sentence)
with open(sys.argv[1], "wb") as f:
    f.write(sentence * n)
with open(sys.argv[2], "wb") as f:
    f.write(b'{"id": "big", "text": "' + sentence * n + b'"}\n{"id": "small", "text": "Families fled Homs."}\n')
EOF
    big "200 MB single-line text file" "out of memory|too large" resolve -q "$tmp/big.txt"
    big "200 MB single-line JSON Lines file" "out of memory|too long" resolve -q "$tmp/big.jsonl"
    if [ "$rc" -eq 0 ]; then out_has "200 MB JSON Lines: the next line is still read" "^== small"; fi
    sum2=$(db_sum)
    big "200 MB single line as a GeoNames dump" "big\.txt:1: .*(columns|not a GeoNames dump|truncated line)" \
        gazetteer import geonames "$tmp/big.txt"
    if [ "$rc" -ne 0 ]; then pass "200 MB GeoNames line is refused"; else fail "200 MB GeoNames line was accepted"; fi
    [ "$(db_sum)" = "$sum2" ] || fail "200 MB GeoNames line changed the gazetteer"
    rm -f "$tmp/big.txt" "$tmp/big.jsonl"
fi

# ---- many mentions in one document ------------------------------------------
# Resolving must stay linear in the number of mentions: 4 times the
# sentences may take at most 10 times as long (a quadratic pass takes 16).
if [ $sanitized = 0 ] && [ "${GA_TEST_SKIP_BIG:-0}" != 1 ]; then
    for n in 4000 16000; do
        python3 -c "import sys; sys.stdout.write('Families fled Homs for Idlib on Friday. ' * $n)" \
            >"$tmp/many$n.txt"
    done
    t0=$(date +%s%N)
    run resolve -q "$tmp/many4000.txt"
    t1=$(date +%s%N)
    timeout -s KILL 120 "$GEOANNOT" resolve -q "$tmp/many16000.txt" >/dev/null 2>&1
    rc2=$?
    t2=$(date +%s%N)
    small_ms=$(( (t1 - t0) / 1000000 )) large_ms=$(( (t2 - t1) / 1000000 ))
    if [ "$rc" -ne 0 ] || [ "$rc2" -ne 0 ]; then
        fail "many mentions: resolve exited $rc / $rc2 (137: killed after 120 s)"
    elif [ $large_ms -gt 2000 ] && [ $large_ms -gt $((small_ms * 10)) ]; then
        fail "many mentions: 8000 mentions took ${small_ms} ms, 32000 took ${large_ms} ms (superlinear)"
    else
        pass "many mentions: 8000 in ${small_ms} ms, 32000 in ${large_ms} ms"
    fi
fi

if [ $failures -gt 0 ]; then
    echo "bad_input.sh: $failures checks failed" >&2
    exit 1
fi
echo "bad_input.sh: all checks passed" >&2
