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
# hold exactly the stored points (tests/fixtures/spatial_indexes.sql)
spatial() {
    printf '%s|%s\n' "$(sqlite3 "$T/t.sqlite" < "$GA_SOURCE_DIR/tests/fixtures/spatial_indexes.sql")" \
        "$(printf '%s\n' ".load mod_spatialite" \
        "SELECT (SELECT count(*) FROM mentions m JOIN places p ON p.id = m.place_id
             WHERE m.geom IS NOT MakePoint(p.lon, p.lat, 4326)),
           (SELECT count(*) FROM events e JOIN places p ON p.id = e.place_id
             WHERE e.geom IS NOT MakePoint(p.lon, p.lat, 4326)),
           (SELECT count(*) FROM mentions WHERE place_id IS NOT NULL AND geom IS NULL);" |
        sqlite3 "$T/t.sqlite")"
}
[ "$(spatial)" = "1|1|0|0|0|0" ] || fail "geometries or spatial indexes wrong: $(spatial)"
n=$(sqlite3 "$T/t.sqlite" "SELECT (SELECT count(*) FROM mention_points) =
      (SELECT count(DISTINCT place_id) FROM mentions)")
[ "$n" = 1 ] || fail "mention_points has not one entry per place mentioned"

# mentions in a region: the ids of `query mentions --in`, through
# mention_points, equal SpatiaLite's ST_Intersects with the outline
truth() {
    printf '%s\n' ".load mod_spatialite" "SELECT m.id FROM mentions m, boundaries b
        WHERE b.place_id = (SELECT id FROM places WHERE kind = 'adm1' AND country = 'SY'
                            AND name = '$1') AND ST_Intersects(m.geom, b.geom) = 1
        ORDER BY m.id;" | sqlite3 "$T/t.sqlite" | tr '\n' ' '
}
for region in Homs Hama "Rif Dimashq"; do
    want=$(truth "$region")
    [ -n "$want" ] || fail "no seed mentions in $region to test with"
    got=$("$GEOANNOT" query mentions -q --db "$T/t.sqlite" --in "$region" --format csv |
          tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "query mentions --in $region: '$got', expected '$want'"
done

# a database of schema version 1 (SpatiaLite's R*Tree per mention, the
# sentence copied into each mention) is upgraded in place by the first
# command that opens it, even a query
sentences() {
    sqlite3 "$1" "SELECT m.id, CAST(substr(CAST(d.text AS BLOB), m.sent_start + 1,
        m.sent_end - m.sent_start) AS TEXT) FROM mentions m JOIN documents d
        ON d.id = m.document_id ORDER BY m.id" | md5sum
}
cp "$T/t.sqlite" "$T/v1.sqlite"
printf '%s\n' ".load mod_spatialite" "DROP TABLE mention_points; DROP INDEX mentions_place;
    SELECT CreateSpatialIndex('mentions', 'geom'); ALTER TABLE mentions ADD COLUMN sentence TEXT;
    UPDATE mentions SET sentence = (SELECT CAST(substr(CAST(d.text AS BLOB), sent_start + 1,
        sent_end - sent_start) AS TEXT) FROM documents d WHERE d.id = mentions.document_id);
    ALTER TABLE mentions DROP COLUMN sent_start; ALTER TABLE mentions DROP COLUMN sent_end;
    PRAGMA user_version = 1;" |
    sqlite3 "$T/v1.sqlite" >/dev/null || fail "making a version 1 database"
got=$("$GEOANNOT" query mentions -q --db "$T/v1.sqlite" --in Homs --format csv |
      tail -n +2 | cut -d, -f1 | sort -n | tr '\n' ' ')
[ "$got" = "$(truth Homs)" ] || fail "query on an upgraded database: '$got'"
v=$(sqlite3 "$T/v1.sqlite" "PRAGMA user_version; SELECT count(*) FROM sqlite_master
      WHERE name LIKE 'idx_mentions%' OR sql LIKE '%idx_mentions%'" | tr '\n' ' ')
[ "$v" = "7 0 " ] || fail "upgrade left version/old index: $v"
[ "$(sqlite3 "$T/v1.sqlite" < "$GA_SOURCE_DIR/tests/fixtures/spatial_indexes.sql")" = "1|1|0" ] ||
    fail "upgraded spatial indexes wrong"
[ "$(sentences "$T/v1.sqlite")" = "$(sentences "$T/t.sqlite")" ] ||
    fail "upgrade changed the mentions' sentences"
n=$(sqlite3 "$T/t.sqlite" "SELECT count(*) FROM mentions WHERE sent_start IS NULL")
[ "$n" = 0 ] || fail "$n mentions without a sentence"

# one analysis thread or three: the same output, in input order
for n in 1 3; do
    "$GEOANNOT" init -q --db "$T/t$n.sqlite" --gazetteer "$GAZ" || fail "init t$n"
    "$GEOANNOT" annotate -q --threads $n --db "$T/t$n.sqlite" --format jsonl \
        "$T/seeds.jsonl" "$T/seeds.jsonl" > "$T/out$n.jsonl" || fail "annotate --threads $n"
    cmp -s "$T/out$n.jsonl" <(cat "$T/out.jsonl" "$T/out.jsonl") ||
        fail "annotate --threads $n printed something else"
done
"$GEOANNOT" annotate --threads 0 --db "$T/t.sqlite" "$T/seeds.jsonl" 2>/dev/null
[ $? -eq 2 ] || fail "--threads 0 must be a usage error"

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

# reannotate: after a gazetteer edit the stored documents are annotated
# again from their stored text (the input file is gone) and pick up the
# name a curator added; a second run has nothing to do; --all redoes all
printf '{"id": "queued", "text": "Families fled to the town of Kafr Batnaya on Monday."}\n' > "$T/queued.jsonl"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/queued.jsonl" || fail "annotate queued"
"$GEOANNOT" gazetteer unresolved --db "$T/t.sqlite" | grep -q "Kafr Batnaya" ||
    fail "Kafr Batnaya is not in the unresolved queue"
ndocs=$(sqlite3 "$T/t.sqlite" "SELECT count(*) FROM documents")
"$GEOANNOT" gazetteer add "Kafr Batna" --lat 33.5147 --lon 36.3708 --kind populated_place \
    --country SY --alias "Kafr Batnaya" --db "$T/t.sqlite" > /dev/null || fail "gazetteer add"
rm -f "$T/queued.jsonl"
"$GEOANNOT" reannotate --db "$T/t.sqlite" 2> "$T/err.txt" || fail "reannotate: $(cat "$T/err.txt")"
grep -q "reannotated $ndocs documents ($ndocs stored, 0 unchanged, 0 failed)" "$T/err.txt" ||
    fail "reannotate after a gazetteer edit: $(cat "$T/err.txt")"
p=$(sqlite3 "$T/t.sqlite" "SELECT m.place_gid FROM mentions m JOIN documents d ON d.id = m.document_id WHERE d.doc_id = 'queued' AND m.text = 'Kafr Batnaya'")
case "$p" in user:*) ;; *) fail "after reannotate Kafr Batnaya resolves to '$p'" ;; esac
"$GEOANNOT" gazetteer unresolved --db "$T/t.sqlite" | grep -q "Kafr Batnaya" &&
    fail "Kafr Batnaya is still in the unresolved queue"
[ "$(spatial)" = "1|1|0|0|0|0" ] || fail "after reannotate, geometries or spatial indexes wrong: $(spatial)"
"$GEOANNOT" reannotate --db "$T/t.sqlite" 2> "$T/err.txt" || fail "second reannotate"
grep -q "reannotated $ndocs documents (0 stored, $ndocs unchanged, 0 failed)" "$T/err.txt" ||
    fail "second reannotate: $(cat "$T/err.txt")"
"$GEOANNOT" reannotate --all --db "$T/t.sqlite" 2> "$T/err.txt" || fail "reannotate --all"
grep -q "reannotated $ndocs documents ($ndocs stored" "$T/err.txt" ||
    fail "reannotate --all: $(cat "$T/err.txt")"
"$GEOANNOT" reannotate --db "$T/t.sqlite" "$T/seeds.jsonl" 2> /dev/null
[ $? -eq 2 ] || fail "reannotate with a file argument must be a usage error"

# other lexicon files (here a weight changed in a copy) make the stored
# annotations out of date: annotate redoes an unchanged document, and so
# does reannotate without --all, once; the lexicon the database was
# annotated with makes them out of date again
cp -r "$GEOANNOT_DATA" "$T/lexicon2"
sed -i 's/^coherence_25km = .*/coherence_25km = 0.91/' "$T/lexicon2/resolver.conf"
grep -q "^coherence_25km = 0.91" "$T/lexicon2/resolver.conf" || fail "no weight to change in the copy"
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format none "$T/seeds.jsonl" || fail "annotate seeds"
"$GEOANNOT" annotate --db "$T/t.sqlite" --format none "$T/seeds.jsonl" 2> "$T/err.txt" ||
    fail "annotate: $(cat "$T/err.txt")"
grep -q "(0 stored, 2 unchanged" "$T/err.txt" || fail "seeds not unchanged: $(cat "$T/err.txt")"
GEOANNOT_DATA="$T/lexicon2" "$GEOANNOT" annotate --db "$T/t.sqlite" --format none "$T/seeds.jsonl" \
    2> "$T/err.txt" || fail "annotate with lexicon2: $(cat "$T/err.txt")"
grep -q "(2 stored, 0 unchanged" "$T/err.txt" ||
    fail "annotate with other lexicon files kept the annotations: $(cat "$T/err.txt")"
GEOANNOT_DATA="$T/lexicon2" "$GEOANNOT" reannotate --db "$T/t.sqlite" 2> "$T/err.txt" ||
    fail "reannotate with lexicon2"
grep -q "reannotated $ndocs documents ($((ndocs - 2)) stored, 2 unchanged, 0 failed)" "$T/err.txt" ||
    fail "reannotate with other lexicon files: $(cat "$T/err.txt")"
"$GEOANNOT" reannotate --db "$T/t.sqlite" 2> "$T/err.txt" || fail "reannotate with the lexicon"
grep -q "reannotated $ndocs documents ($ndocs stored, 0 unchanged, 0 failed)" "$T/err.txt" ||
    fail "reannotate back with the project's lexicon: $(cat "$T/err.txt")"

# a missing database names the command that creates it
"$GEOANNOT" annotate --db "$T/none.sqlite" "$T/seeds.jsonl" 2> "$T/err.txt" && fail "missing db accepted"
grep -q "geoannot init" "$T/err.txt" || fail "missing-db message: $(cat "$T/err.txt")"
"$GEOANNOT" annotate -h | grep -q "usage: geoannot annotate" || fail "-h"
echo "ok"
