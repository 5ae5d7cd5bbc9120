#!/usr/bin/env bash
# bench/accuracy.sh: the resolver and event extractor scored with
# ../shared/eval/score.py on the seeds and the four dev corpora, printed as
# one table. The commands it runs are the ones in the README.
#
# Usage: bench/accuracy.sh [--build build]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
[ "${1:-}" = "--build" ] && build=$2
ga="$build/geoannot"
shared="$here/../shared"
score="$shared/eval/score.py"
[ -x "$ga" ] || { echo "accuracy: build geoannot first (scripts/setup.sh)" >&2; exit 1; }
[ -f "$score" ] || { echo "accuracy: ../shared/eval is missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$ga" init -q --db "$tmp/t.sqlite" ${GEOANNOT_GAZETTEER:+--gazetteer "$GEOANNOT_GAZETTEER"}

python3 "$score" make-input "$shared/seeds/gold.json" > "$tmp/seeds.jsonl"
"$ga" annotate -q --db "$tmp/t.sqlite" --format jsonl "$tmp/seeds.jsonl" > "$tmp/seeds.out"
python3 "$score" score --json "$shared/seeds/gold.json" "$tmp/seeds.out" > "$tmp/seeds.json"
for c in lgl gwn trnews geovirus; do
  "$ga" resolve -q --db "$tmp/t.sqlite" --format jsonl "$shared/eval/dev/$c.jsonl" > "$tmp/$c.out"
  python3 "$score" score --json "$shared/eval/dev/$c.jsonl" "$tmp/$c.out" > "$tmp/$c.json"
done

python3 - "$tmp" <<'EOF'
import json, sys, os
tmp = sys.argv[1]
def get(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d:
            d = d[k]
        else:
            return None
    return d
def fmt(v):
    return "-" if v is None else f"{v:.3f}"
print("| gold | recognition P | R | F1 | end-to-end acc. | Acc@161 of resolved | event-site F1 |")
print("|---|---|---|---|---|---|---|")
for name in ["seeds", "lgl", "gwn", "trnews", "geovirus"]:
    r = json.load(open(os.path.join(tmp, name + ".json")))
    rec = r.get("recognition", {})
    res = r.get("resolution", {})
    ev = r.get("event_sites") or {}
    print(f"| {name} | {fmt(rec.get('precision'))} | {fmt(rec.get('recall'))} | "
          f"{fmt(rec.get('f1'))} | {fmt(res.get('accuracy_end_to_end'))} | "
          f"{fmt(res.get('acc161_of_resolved'))} | "
          f"{fmt(ev.get('f1')) if name == 'seeds' else '-'} |")
EOF
