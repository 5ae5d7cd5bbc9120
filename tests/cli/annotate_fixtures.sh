#!/bin/bash
# annotate_fixtures.sh: event-site precision and recall of `geoannot
# annotate` on the project's own short reports (tests/fixtures/events,
# gold in the format of ../shared/seeds/gold.json), scored with
# ../shared/eval/score.py, with the default gazetteer and again with
# OCHA's Syrian boundaries and communities imported. Prints the figures;
# fails only below a floor (F1 0.6) so that a regression shows but
# resolver work in progress does not block. Skips (77) without the default gazetteer or ../shared.
set -u
: "${GEOANNOT:?} ${GA_SOURCE_DIR:?} ${GA_BUILD_DIR:?}"
GAZ="$GA_BUILD_DIR/gazetteer/default.sqlite"
SCORE="$GA_SOURCE_DIR/../shared/eval/score.py"
GOLD="$GA_SOURCE_DIR/tests/fixtures/events/gold.json"
[ -r "$GAZ" ] || { echo "skip: no default gazetteer at $GAZ"; exit 77; }
[ -r "$SCORE" ] || { echo "skip: no $SCORE"; exit 77; }
export GEOANNOT_DATA="$GA_SOURCE_DIR/gazetteer/lexicon"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
# score DB LABEL: annotate the reports into DB, print its figures
score() {
    "$GEOANNOT" annotate -q --db "$1" --format jsonl "$T/in.jsonl" > "$T/out.jsonl" || return 1
    python3 "$SCORE" score "$GOLD" "$T/out.jsonl" --json > "$T/score.json" || return 1
    python3 - "$T/score.json" "$2" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["event_sites"]
print("fixtures event sites (%s): P %.3f R %.3f F1 %.3f" % (sys.argv[2], e["precision"], e["recall"], e["f1"]))
for d in e["detail"]:
    print("  ", d)
sys.exit(0 if e["f1"] >= 0.6 else 1)
PY
}
python3 "$SCORE" make-input "$GOLD" > "$T/in.jsonl" || exit 1
"$GEOANNOT" init -q --db "$T/t.sqlite" --gazetteer "$GAZ" || exit 1
cp "$T/t.sqlite" "$T/ocha.sqlite" || exit 1
score "$T/t.sqlite" "default gazetteer" || exit 1
# the same with OCHA's boundaries and communities imported, as an analyst
# of Syria would: their districts and governorates share their towns' names
COD="$GA_SOURCE_DIR/../shared/data/cod-syria"
[ -r "$COD/syr_admin4_point.geojson" ] || exit 0
for l in 1 2; do
    "$GEOANNOT" gazetteer import boundaries "$COD/syr_admin$l.geojson" --level "adm$l" \
        --db "$T/ocha.sqlite" -q || exit 1
done
"$GEOANNOT" gazetteer import places "$COD/syr_admin4_point.geojson" --db "$T/ocha.sqlite" -q || exit 1
score "$T/ocha.sqlite" "OCHA places imported"
