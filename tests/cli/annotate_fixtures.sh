#!/bin/bash
# annotate_fixtures.sh: event-site precision and recall of `geoannot
# annotate` on the project's own short reports (tests/fixtures/events,
# gold in the format of ../shared/seeds/gold.json), scored with
# ../shared/eval/score.py. Prints the figures; fails only below a floor
# (F1 0.6) so that a regression shows but resolver work in progress does
# not block. Skips (77) without the default gazetteer or ../shared.
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
"$GEOANNOT" init -q --db "$T/t.sqlite" --gazetteer "$GAZ" || exit 1
python3 "$SCORE" make-input "$GOLD" > "$T/in.jsonl" || exit 1
"$GEOANNOT" annotate -q --db "$T/t.sqlite" --format jsonl "$T/in.jsonl" > "$T/out.jsonl" || exit 1
python3 "$SCORE" score "$GOLD" "$T/out.jsonl" --json > "$T/score.json" || exit 1
python3 - "$T/score.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["event_sites"]
print("fixtures event sites: P %.3f R %.3f F1 %.3f" % (e["precision"], e["recall"], e["f1"]))
for d in e["detail"]:
    print("  ", d)
sys.exit(0 if e["f1"] >= 0.6 else 1)
PY
