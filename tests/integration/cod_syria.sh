#!/bin/bash
# cod_syria.sh: import the OCHA COD-AB files for Syria (admin1 and admin2
# boundaries, admin4 community points) from ../shared/data/cod-syria into a
# fresh database and check counts, the six invalid UTF-8 warnings, P-codes,
# that a re-import does not duplicate, and that a failed import changes
# nothing. Skips (exit 77) when the shared data or sqlite3 is absent.
set -u
: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source tree}"
COD="${GA_SOURCE_DIR}/../shared/data/cod-syria"
if [ ! -f "$COD/syr_admin4_point.geojson" ]; then
    echo "skip: OCHA COD-AB data not found in $COD (needs the shared reference data)"
    exit 77
fi
if ! command -v sqlite3 >/dev/null; then
    echo "skip: the sqlite3 shell is needed to inspect the database"
    exit 77
fi
tmp=$(mktemp -d "${GA_BUILD_DIR:-/tmp}/cod_syria.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/cod.sqlite"
fail=0
check() { # description, got, want
    if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', want '$3'"; fail=1; else echo "ok: $1"; fi
}
q() { sqlite3 "$db" "$1"; }

"$GEOANNOT" gazetteer import boundaries "$COD/syr_admin1.geojson" --db "$db" --level adm1 \
    --name-field NAME_EN --code-field PCODE --alt-name-fields NAME_ARA 2>"$tmp/a1.err" ||
    { cat "$tmp/a1.err"; echo "FAIL: admin1 import"; exit 1; }
check "admin1 places" "$(q "SELECT count(*) FROM places WHERE kind = 'adm1'")" 14
check "admin1 outlines" "$(q "SELECT count(*) FROM boundaries WHERE level = 'adm1' AND geom IS NOT NULL")" 14
check "Homs governorate" "$(q "SELECT name || '|' || admin1_pcode || '|' || country FROM places WHERE gid = 'ocha:SY04'")" "Homs|SY04|SY"
check "Arabic name" "$(q "SELECT lang FROM names n JOIN places p ON p.id = n.place_id WHERE p.gid = 'ocha:SY04' AND n.name = 'حمص'")" ar

"$GEOANNOT" gazetteer import boundaries "$COD/syr_admin2.geojson" --db "$db" --level adm2 2>"$tmp/a2.err" ||
    { cat "$tmp/a2.err"; echo "FAIL: admin2 import"; exit 1; }
check "admin2 places" "$(q "SELECT count(*) FROM places WHERE kind = 'adm2'")" 61
check "admin2 outlines" "$(q "SELECT count(*) FROM boundaries WHERE level = 'adm2'")" 61
check "admin2 parent" "$(q "SELECT admin1_pcode FROM places WHERE gid = 'ocha:SY0401'")" SY04

"$GEOANNOT" gazetteer import places "$COD/syr_admin4_point.geojson" --db "$db" \
    --name-field NAME_EN --code-field PCODE --alt-name-fields NAM_EN_REF,NAME_ARA 2>"$tmp/a4.err" ||
    { cat "$tmp/a4.err"; echo "FAIL: admin4 import"; exit 1; }
check "communities" "$(q "SELECT count(*) FROM places WHERE kind = 'populated_place'")" 5251
check "invalid UTF-8 warnings" "$(grep -c 'invalid UTF-8 replaced' "$tmp/a4.err")" 6
check "warning names feature and field" \
    "$(grep -c 'syr_admin4_point.geojson: feature [0-9]*, field NAME_ARA: invalid UTF-8 replaced' "$tmp/a4.err")" 6
check "replaced name stored" "$(q "SELECT count(*) FROM names WHERE name LIKE '%'||char(65533)||'%'")" 6
check "Madamiyet Elsham" \
    "$(q "SELECT admin1_pcode || '|' || admin2_pcode || '|' || round(lon, 3) || '|' || round(lat, 3) FROM places WHERE gid = 'ocha:C2499'")" \
    "SY03|SY0309|36.2|33.461"

places=$(q "SELECT count(*) FROM places")
names=$(q "SELECT count(*) FROM names")
"$GEOANNOT" gazetteer import places "$COD/syr_admin4_point.geojson" --db "$db" -q \
    --name-field NAME_EN --code-field PCODE --alt-name-fields NAM_EN_REF,NAME_ARA ||
    { echo "FAIL: admin4 re-import"; exit 1; }
"$GEOANNOT" gazetteer import boundaries "$COD/syr_admin1.geojson" --db "$db" --level adm1 -q \
    --name-field NAME_EN --code-field PCODE --alt-name-fields NAME_ARA ||
    { echo "FAIL: admin1 re-import"; exit 1; }
check "re-import: places" "$(q "SELECT count(*) FROM places")" "$places"
check "re-import: names" "$(q "SELECT count(*) FROM names")" "$names"
check "re-import: outlines" "$(q "SELECT count(*) FROM boundaries")" 75

# Spellings that only the consonant key meets with OCHA's ("Ain Tarma" /
# "Ein Terma", "Beit Sahem" / "Beit Sahm") resolve where the report's
# other places support them; far from them such a match is dropped, or
# left unresolved for the curator after a town cue.
res() { printf '%s\n' "$1" | "$GEOANNOT" resolve -q --db "$db" - 2>&1; }
gid_of() { grep -E "^  $1 " <<<"$2" | grep -o 'ocha:C[0-9]*' | head -1; }
out=$(res "Syrian government airstrikes hit Ain Tarma, Beit Sahem and Douma in Rural Damascus on Monday.")
check "consonant match: Ain Tarma" "$(gid_of "Ain Tarma" "$out")" ocha:C2315
check "consonant match: Beit Sahem" "$(gid_of "Beit Sahem" "$out")" ocha:C2295
check "consonant match in the reason" "$(grep -c '^  Beit Sahem .*consonant match of Beit Sahm' <<<"$out")" 1
check "gazetteer search: consonant match" \
    "$("$GEOANNOT" gazetteer search "Beit Sahem" --db "$db" | grep -c '^ocha:C2295 .*consonant/official')" 1
out=$(res "In Daraa, shelling hit Latamneh and Busra al-Sham on Monday.")
check "consonant match far from the report's places: dropped" "$(grep -c '^  Latamneh ' <<<"$out")" 0
out=$(res "In Daraa, shelling hit the village of Latamneh and Busra al-Sham on Monday.")
check "... or left for the curator after a town cue" \
    "$(grep -c '^  Latamneh  *(unresolved)  only a consonant match of Latmana' <<<"$out")" 1

# A failed import leaves the database as it was.
printf 'not\ta\tgeonames\tdump\n' > "$tmp/bad.txt"
if "$GEOANNOT" gazetteer import geonames "$tmp/bad.txt" --db "$db" 2>"$tmp/bad.err"; then
    echo "FAIL: a bad dump was accepted"; fail=1
fi
check "bad dump message" "$(grep -c "bad.txt:1: not a GeoNames dump" "$tmp/bad.err")" 1
check "bad dump: places unchanged" "$(q "SELECT count(*) FROM places")" "$places"

exit $fail
