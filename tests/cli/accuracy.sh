#!/usr/bin/env bash
# accuracy.sh: the resolver's accuracy targets (issue text, DESIGN.md) on
# the dev corpora of ../shared/eval/dev, scored by ../shared/eval/score.py:
#   LGL        recognition F1 >= 0.75 and Acc@161 of resolved >= 0.85
#   GeoWebNews Acc@161 of resolved >= 0.94
# and, for every corpus, that scoring found resolved names at all. A change
# that takes a target below its line fails here, with the table of all
# four corpora (bench/accuracy.sh prints the same figures with the seeds).
# Skips (77) without the default gazetteer, ../shared/eval or python3.
set -u
: "${GEOANNOT:?} ${GA_SOURCE_DIR:?} ${GA_BUILD_DIR:?}"
GAZ="$GA_BUILD_DIR/gazetteer/default.sqlite"
EVAL="$GA_SOURCE_DIR/../shared/eval"
[ -r "$GAZ" ] || { echo "skip: no default gazetteer at $GAZ"; exit 77; }
[ -r "$EVAL/score.py" ] && [ -d "$EVAL/dev" ] || { echo "skip: no $EVAL"; exit 77; }
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
export GEOANNOT_DATA="$GA_SOURCE_DIR/gazetteer/lexicon"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$GEOANNOT" init -q --db "$T/t.sqlite" --gazetteer "$GAZ" || fail "init exited $?"
for c in lgl gwn trnews geovirus; do
    [ -r "$EVAL/dev/$c.jsonl" ] || fail "missing $EVAL/dev/$c.jsonl"
    "$GEOANNOT" resolve -q --db "$T/t.sqlite" --format jsonl "$EVAL/dev/$c.jsonl" \
        >"$T/$c.out" || fail "resolve of $c exited $?"
    python3 "$EVAL/score.py" score --json "$EVAL/dev/$c.jsonl" "$T/$c.out" >"$T/$c.json" ||
        fail "score.py on $c exited $?"
done

python3 - "$T" <<'PY' || exit 1
import json, sys
t = sys.argv[1]
# corpus: [(what, figure, at least)]
targets = {"lgl": [("recognition F1", ("recognition", "f1"), 0.75),
                   ("Acc@161 of resolved", ("resolution", "acc161_of_resolved"), 0.85)],
           "gwn": [("Acc@161 of resolved", ("resolution", "acc161_of_resolved"), 0.94)]}
bad = []
print("corpus     P      R      F1     e2e    Acc@161  resolved")
for c in ["lgl", "gwn", "trnews", "geovirus"]:
    d = json.load(open(f"{t}/{c}.json"))
    r, s = d["recognition"], d["resolution"]
    print(f"{c:9} {r['precision']:.3f}  {r['recall']:.3f}  {r['f1']:.3f}  "
          f"{s['accuracy_end_to_end']:.3f}  {s['acc161_of_resolved']:.3f}    "
          f"{s['recognised_and_resolved']}")
    if not s["recognised_and_resolved"]:
        bad.append(f"{c}: no name recognised and resolved")
    for what, (part, key), low in targets.get(c, []):
        if d[part][key] < low:
            bad.append(f"{c}: {what} {d[part][key]:.3f} < {low}")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
