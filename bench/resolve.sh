#!/usr/bin/env bash
# bench/resolve.sh: resolve and annotate throughput, and cold start, each
# next to a reference measured in the same run.
#
#   throughput  the four dev corpora of ../shared/eval concatenated and
#               repeated to >= 50 MB of JSON Lines; reference: `wc -w` on
#               the same file
#   annotate    the same file end to end into a fresh database
#   once        `resolve` of the four dev corpora once each (no repeats, so
#               the resolver's memory of names seen in earlier documents
#               helps less), start-up included, median of 5
#   cold start  `resolve` of one seed article with the default gazetteer:
#               wall time and peak RSS (GNU time), against `wc -w` of the
#               same article as the process-start reference
#   --against BIN   also: runs of `resolve` alternating between this build
#               and BIN (another geoannot, e.g. the previous release) on
#               the repeated corpus, --rounds of each (default 7), with
#               `wc -w` in every round; medians of wall and CPU seconds.
#               Each build gets its own database (index formats differ).
#   --callgrind also: instructions per input byte of `resolve` on the dev
#               corpora once, under valgrind's callgrind, the start-up
#               (an empty input) subtracted; with --against, for both.
#
# Usage: bench/resolve.sh [--mb 50] [--build build] [--against BIN]
#                         [--rounds N] [--callgrind]
# Prints figures; never fails on a slow result.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mb=50
build="$here/build"
against=""
rounds=7
callgrind=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb=$2; shift ;;
    --build) build=$2; shift ;;
    --against) against=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --callgrind) callgrind=1 ;;
    *) echo "usage: bench/resolve.sh [--mb N] [--build DIR] [--against BIN] [--rounds N] [--callgrind]" >&2
       exit 2 ;;
  esac
  shift
done
ga="$build/geoannot"
shared="$here/../shared"
[ -x "$ga" ] || { echo "bench: build geoannot first (scripts/setup.sh)" >&2; exit 1; }
[ -d "$shared/eval/dev" ] || { echo "bench: ../shared/eval/dev is missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/bench/dev_corpus.py" "$shared/eval/dev" "$tmp/corpus.jsonl" "$mb"
# the same documents once each: the resolver remembers name-index answers
# and ranked candidates across documents, which a repeated corpus favours
python3 "$here/bench/dev_corpus.py" "$shared/eval/dev" "$tmp/once.jsonl"
bytes=$(stat -c %s "$tmp/corpus.jsonl")
mbytes=$(python3 -c "print(round($bytes/1e6,1))")
"$ga" init -q --db "$tmp/b.sqlite"
# warm the page cache and the name index once
"$ga" resolve -q --db "$tmp/b.sqlite" "$shared/seeds/protests-rural-homs-hama.txt" >/dev/null

t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); python3 -c "print(f'{$e-$s:.3f}')"; }
wc_s=$(t wc -w "$tmp/corpus.jsonl")
res_s=$(t taskset -c 0 "$ga" resolve -q --db "$tmp/b.sqlite" --format jsonl "$tmp/corpus.jsonl")
ann_s=$(t "$ga" annotate -q --db "$tmp/b.sqlite" --format none "$tmp/corpus.jsonl")
once_b=$(stat -c %s "$tmp/once.jsonl")
once_s=$(for i in 1 2 3 4 5; do t taskset -c 0 "$ga" resolve -q --db "$tmp/b.sqlite" --format jsonl "$tmp/once.jsonl"; done | sort -n | sed -n 3p)
once_wc=$(for i in 1 2 3 4 5; do t wc -w "$tmp/once.jsonl"; done | sort -n | sed -n 3p)

echo "input: $mbytes MB of JSON Lines (dev corpora repeated)"
python3 - "$bytes" "$wc_s" "$res_s" "$ann_s" "$once_b" "$once_wc" "$once_s" <<'EOF'
import sys
b, wc, res, ann, ob, owc, ores = int(sys.argv[1]), *map(float, sys.argv[2:])
mb, omb = b / 1e6, ob / 1e6
print(f"wc -w (reference)      {wc:8.2f} s  {mb/wc:8.1f} MB/s")
print(f"resolve, one core      {res:8.2f} s  {mb/res:8.1f} MB/s   {res/wc:6.1f}x wc -w   (target >= 50 MB/s, <= 3x wc -w)")
print(f"annotate into database {ann:8.2f} s  {mb/ann:8.1f} MB/s   (target >= 10 MB/s)")
print(f"resolve, the dev corpora once ({omb:.1f} MB, no repeats, start-up included, median of 5): "
      f"{ores:.3f} s, {omb/ores:.1f} MB/s; wc -w {owc:.3f} s")
EOF

art="$shared/seeds/truce-ends-if-displacement-continues.txt"
if command -v /usr/bin/time >/dev/null 2>&1; then
  /usr/bin/time -f "%e %M" -o "$tmp/cold" "$ga" resolve -q --db "$tmp/b.sqlite" "$art" >/dev/null
  /usr/bin/time -f "%e %M" -o "$tmp/ref" wc -w "$art" >/dev/null
  read -r cs ck <"$tmp/cold"; read -r rs rk <"$tmp/ref"
  echo "cold start, one article: ${cs} s wall, $((ck / 1024)) MB peak RSS (wc -w: ${rs} s, $((rk / 1024)) MB)   (target <= 0.1 s, <= 300 MB)"
else
  echo "cold start: /usr/bin/time is not installed (apt-get install time)"
fi

# alternating runs against another build: the machine's speed drifts, so
# the two builds are timed in turns on the same file, wc -w in each round
if [ -n "$against" ]; then
  [ -x "$against" ] || { echo "bench: '$against' is not executable" >&2; exit 1; }
  "$against" init -q --db "$tmp/a.sqlite"
  "$against" resolve -q --db "$tmp/a.sqlite" "$art" >/dev/null   # builds its index if stale
  tm() { /usr/bin/time -f "%e %U %S" -o "$tmp/tm" "$@" >/dev/null; awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/tm"; }
  : >"$tmp/rounds"
  for i in $(seq "$rounds"); do
    echo "this $(tm taskset -c 0 "$ga" resolve -q --db "$tmp/b.sqlite" --format jsonl "$tmp/corpus.jsonl")" >>"$tmp/rounds"
    echo "other $(tm taskset -c 0 "$against" resolve -q --db "$tmp/a.sqlite" --format jsonl "$tmp/corpus.jsonl")" >>"$tmp/rounds"
    echo "wc $(tm taskset -c 0 wc -w "$tmp/corpus.jsonl")" >>"$tmp/rounds"
  done
  python3 - "$bytes" "$tmp/rounds" <<'EOF'
import sys, statistics as st
mb = int(sys.argv[1]) / 1e6
runs = {}
for line in open(sys.argv[2]):
    who, wall, cpu = line.split()
    runs.setdefault(who, []).append((float(wall), float(cpu)))
med = {k: (st.median(w for w, _ in v), st.median(c for _, c in v)) for k, v in runs.items()}
for k in ("this", "other", "wc"):
    walls = " ".join(f"{w:.2f}" for w, _ in runs[k])
    print(f"{k:5s} wall {walls}  median {med[k][0]:.2f} s ({mb/med[k][0]:.1f} MB/s), CPU median {med[k][1]:.2f} s")
t, o, w = med["this"][0], med["other"][0], med["wc"][0]
print(f"alternating, {len(runs['this'])} rounds: this build {o/t:.2f}x the other's speed; {t/w:.1f}x wc -w (other {o/w:.1f}x)")
EOF
fi

# instructions per input byte on the dev corpora once (callgrind)
if [ "$callgrind" = 1 ]; then
  if ! command -v valgrind >/dev/null 2>&1; then
    echo "callgrind: valgrind is not installed"
  else
    : >"$tmp/empty.jsonl"
    ir() { valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$@" 2>&1 >/dev/null |
           sed -n 's/.*Collected : //p'; }
    for who in this other; do
      bin=$ga; db=$tmp/b.sqlite
      if [ "$who" = other ]; then [ -n "$against" ] || continue; bin=$against; db=$tmp/a.sqlite; fi
      e=$(ir "$bin" resolve -q --db "$db" --format jsonl "$tmp/empty.jsonl")
      f=$(ir "$bin" resolve -q --db "$db" --format jsonl "$tmp/once.jsonl")
      python3 - "$who" "$e" "$f" "$once_b" <<'EOF'
import sys
who, e, f, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"callgrind, {who:5s}: {(f - e) / b:.1f} instructions per input byte on the dev corpora once "
      f"({f} in all, start-up {e})")
EOF
    done
  fi
fi
