#!/usr/bin/env bash
# bench/annotate_clustered.sh: `annotate` end to end into a fresh database,
# this build against another (--against BUILD_DIR, e.g. a build of the previous release),
# runs alternated round by round; medians of wall and CPU (user + sys)
# seconds and their ratio.
#
#   clustered  --docs N short reports (default 20,000), all about eight
#              suburbs of Damascus (Daraya, Moadamiya, Douma, Harasta,
#              Zamalka, Jobar, Qaboun, Madaya): most events fall in the same
#              few 0.1-degree blocks, so each annotate batch adds to blocks
#              that already hold many events (the worst case for the packed
#              event blocks of schema 4 on, src/store/event_blocks.c)
#   news       the four dev corpora of ../shared/eval concatenated and
#              repeated to --mb MB (default 20) of JSON Lines, as
#              bench/resolve.sh's annotate figure: few events, spread out
#
# The reports come from a fixed seed, so every run annotates the same
# text. Each build annotates into a database made by its own `init` (its
# schema, its default gazetteer); init is not timed. Both builds run with
# -q --format none.
#
# Usage: bench/annotate_clustered.sh --against DIR [--build DIR] [--docs N]
#                                    [--mb MB] [--rounds N] [--only clustered|news]
# Prints figures; never fails on a slow result.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
against=""
docs=20000
mb=20
rounds=5
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift ;;
    --against) against=$2; shift ;;
    --docs) docs=$2; shift ;;
    --mb) mb=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "annotate_clustered.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$against" ] || { echo "annotate_clustered.sh: --against BUILD_DIR is needed" >&2; exit 2; }
for b in "$build" "$against"; do
  [ -x "$b/geoannot" ] && [ -f "$b/gazetteer/default.sqlite" ] ||
    { echo "annotate_clustered.sh: no geoannot or default gazetteer in '$b'" >&2; exit 0; }
done
shared="$here/../shared"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$docs" "$tmp/clustered.jsonl" <<'EOF'
import json, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(20180322)
towns = ["Daraya", "Moadamiya", "Douma", "Harasta", "Zamalka", "Jobar", "Qaboun", "Madaya"]
months = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
verbs = ["fled", "left", "were evacuated from", "escaped", "were displaced from"]
causes = ["after heavy shelling", "as the siege tightened", "under a local truce",
          "after air strikes", "as fighting spread", "when the road reopened"]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        a, b = rnd.sample(towns, 2)
        y, m, d = 2012 + rnd.randrange(7), rnd.randrange(12), 1 + rnd.randrange(28)
        people = 10 * (1 + rnd.randrange(500))
        text = (f"{a} report {i}\n{people} families {rnd.choice(verbs)} {a} to {b} "
                f"{rnd.choice(causes)} on {d} {months[m]} {y}.")
        if rnd.random() < 0.3:
            text += f" Others stayed in {rnd.choice(towns)}."
        f.write(json.dumps({"id": f"c{i}", "date": f"{y}-{m + 1:02d}-{d:02d}",
                            "text": text}) + "\n")
EOF
if [ -d "$shared/eval/dev" ]; then
  python3 "$here/bench/dev_corpus.py" "$shared/eval/dev" "$tmp/news.jsonl" "$mb"
else
  echo "note: no ../shared/eval/dev; the news corpus is left out" >&2
  [ "$only" = news ] && exit 0
  only=clustered
fi

# run BUILD CORPUS: wall and CPU seconds of one annotate into a fresh
# database, and the events stored
run() {
  local b=$1 corpus=$2 db="$tmp/run.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
  "$b/geoannot" init -q --db "$db" >/dev/null
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" \
    "$b/geoannot" annotate -q --db "$db" --format none "$corpus" >/dev/null
  read -r wall user sys <"$tmp/time"
  echo "$wall $(python3 -c "print(round($user + $sys, 2))") $(sqlite3 "$db" "SELECT count(*) FROM events")"
}

for corpus in clustered news; do
  [ -z "$only" ] || [ "$only" = "$corpus" ] || continue
  f="$tmp/$corpus.jsonl"
  echo "== $corpus: $(wc -l <"$f") documents, $(( $(stat -c %s "$f") / 1000 )) kB" >&2
  : >"$tmp/a" && : >"$tmp/b"
  for r in $(seq "$rounds"); do
    # alternate which build goes first
    if [ $((r % 2)) = 1 ]; then order="b a"; else order="a b"; fi
    for w in $order; do
      if [ "$w" = b ]; then res=$(run "$build" "$f"); else res=$(run "$against" "$f"); fi
      echo "$res" >>"$tmp/$w"
      echo "  round $r $( [ "$w" = b ] && echo this || echo ref ): $res (wall s, cpu s, events)" >&2
    done
  done
  python3 - "$corpus" "$tmp/a" "$tmp/b" "$build" "$against" <<'EOF'
import statistics, sys
corpus, fa, fb, build, ref = sys.argv[1:6]
def load(p):
    rows = [list(map(float, l.split())) for l in open(p) if l.strip()]
    return [r[0] for r in rows], [r[1] for r in rows], int(rows[0][2])
aw, ac, ae = load(fa)
bw, bc, be = load(fb)
mw, mc = statistics.median(aw), statistics.median(ac)
nw, nc = statistics.median(bw), statistics.median(bc)
print(f"{corpus}: {len(aw)} rounds, medians")
print(f"  reference ({ref}): {mw:.2f} s wall, {mc:.2f} s cpu, {ae} events")
print(f"  this build ({build}): {nw:.2f} s wall, {nc:.2f} s cpu, {be} events")
print(f"  ratio this/reference: wall {nw/mw:.3f}, cpu {nc/mc:.3f}")
EOF
done
