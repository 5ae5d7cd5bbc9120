#!/bin/bash
# annotate.sh: `geoannot annotate` end to end on the two seed articles
# (../shared/seeds): event-site F1 >= 0.9 by ../shared/eval/score.py, and
# annotating twice leaves the same counts in the database (idempotent).
# Skips (77) without the default gazetteer or without ../shared.
set -u
: "${GEOANNOT:?} ${GA_SOURCE_DIR:?} ${GA_BUILD_DIR:?}"
GAZ="$GA_BUILD_DIR/gazetteer/default.sqlite"
SHARED="$GA_SOURCE_DIR/../shared"
[ -r "$GAZ" ] || { echo "skip: no default gazetteer at $GAZ"; exit 77; }
[ -r "$SHARED/seeds/gold.json" ] || { echo "skip: no $SHARED/seeds"; exit 77; }
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
export GEOANNOT_DATA="$GA_SOURCE_DIR/gazetteer/lexicon"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$GEOANNOT" init -q --db "$T/t.sqlite" --gazetteer "$GAZ" || fail "init"
python3 "$SHARED/eval/score.py" make-input "$SHARED/seeds/gold.json" > "$T/seeds.jsonl" || fail "make-input"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format jsonl "$T/seeds.jsonl" > "$T/out.jsonl" \
    || fail "annotate exited $?"
python3 "$SHARED/eval/score.py" score "$SHARED/seeds/gold.json" "$T/out.jsonl" --json > "$T/score.json" \
    || fail "score"
python3 - "$T/score.json" <<'PY' || exit 1
import json, sys
e = json.load(open(sys.argv[1]))["event_sites"]
print("seeds event sites: P %.3f R %.3f F1 %.3f" % (e["precision"], e["recall"], e["f1"]))
for d in e["detail"]:
    print("  ", d)
sys.exit(0 if e["f1"] >= 0.9 else 1)
PY

# geometries are SpatiaLite points of the place, and the spatial indexes
# hold exactly the stored points (SpatiaLite's own check)
spatial() {
    printf '%s\n' ".load mod_spatialite" \
        "SELECT CheckSpatialIndex('mentions', 'geom'), CheckSpatialIndex('events', 'geom'),
           (SELECT count(*) FROM mentions m JOIN places p ON p.id = m.place_id
             WHERE m.geom IS NOT MakePoint(p.lon, p.lat, 4326)),
           (SELECT count(*) FROM events e JOIN places p ON p.id = e.place_id
             WHERE e.geom IS NOT MakePoint(p.lon, p.lat, 4326)),
           (SELECT count(*) FROM mentions WHERE place_id IS NOT NULL AND geom IS NULL),
           (SELECT count(*) FROM ann_batch);" |
        sqlite3 "$T/t.sqlite"
}
[ "$(spatial)" = "1|1|0|0|0|0" ] || fail "geometries or spatial indexes wrong: $(spatial)"

counts() { sqlite3 "$T/t.sqlite" "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM mentions), (SELECT count(*) FROM events), (SELECT group_concat(content_hash) FROM documents)"; }
first=$(counts)
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/seeds.jsonl" || fail "second annotate"
[ "$(counts)" = "$first" ] || fail "second annotate changed the database: $first -> $(counts)"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none --reannotate "$T/seeds.jsonl" || fail "reannotate"
[ "$(counts)" = "$first" ] || fail "--reannotate changed the counts: $first -> $(counts)"

# a changed document replaces its annotations; a broken line fails alone
printf '{"id": "truce-ends-if-displacement-continues", "text": "Families fled Daraya."}\n{"id": broken\n' > "$T/changed.jsonl"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/changed.jsonl" 2> "$T/err.txt"
[ $? -eq 1 ] || fail "a broken line must make annotate exit 1"
grep -q "changed.jsonl:2: not a JSON object" "$T/err.txt" || fail "no line number in: $(cat "$T/err.txt")"
n=$(sqlite3 "$T/t.sqlite" "SELECT count(*) FROM mentions m JOIN documents d ON d.id = m.document_id WHERE d.doc_id = 'truce-ends-if-displacement-continues'")
[ "$n" -le 1 ] || fail "changed document kept its old mentions ($n)"
[ "$(spatial)" = "1|1|0|0|0|0" ] || fail "after a replace, geometries or spatial indexes wrong: $(spatial)"

# an id given twice in one run, the first line changed and the second equal
# to what is stored: the second is stored last (the check for unchanged
# documents must not trust what was stored before the first line)
printf '{"id": "twice", "text": "Families fled Homs."}\n' > "$T/twice1.jsonl"
printf '{"id": "twice", "text": "Families fled Hama."}\n{"id": "twice", "text": "Families fled Homs."}\n' > "$T/twice2.jsonl"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/twice1.jsonl" || fail "annotate twice1"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/twice2.jsonl" || fail "annotate twice2"
t=$(sqlite3 "$T/t.sqlite" "SELECT text FROM documents WHERE doc_id = 'twice'")
[ "$t" = "Families fled Homs." ] || fail "an id given twice kept '$t', not its last line"

# a missing database names the command that creates it
"$GEOANNOT" annotate --db "$T/none.sqlite" "$T/seeds.jsonl" 2> "$T/err.txt" && fail "missing db accepted"
grep -q "geoannot init" "$T/err.txt" || fail "missing-db message: $(cat "$T/err.txt")"
"$GEOANNOT" annotate -h | grep -q "usage: geoannot annotate" || fail "-h"
echo "ok"
