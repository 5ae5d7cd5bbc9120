#!/usr/bin/env bash
# concurrency.sh: several processes on one database at once lose nothing
# (DESIGN.md, "Reliability": WAL, busy timeout, one transaction per
# document, idempotent by content hash).
#
#  1. four `annotate` processes, each on its own 150 documents, into one
#     database at the same time: all exit 0, every document is stored
#     exactly once and equal (mentions, events) to a one-process run;
#  2. meanwhile `query events`, `query mentions` and `export` (GeoJSON)
#     run in a loop as readers: none fails;
#  3. two `annotate` processes on the same 150 documents at the same time:
#     both exit 0 and each document is stored once, equal to a
#     one-process run.
#
# Parts whose command does not exist yet are skipped; exit 77 when
# annotate is missing. Needs $GEOANNOT, $GA_SOURCE_DIR, sqlite3, python3.
set -uo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ -x "$GEOANNOT" ] || skip "no geoannot binary at '$GEOANNOT'"
command -v sqlite3 >/dev/null || skip "sqlite3 (the command) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed (it writes the test data)"
"$GEOANNOT" annotate -h >/dev/null 2>&1 || skip "'geoannot annotate' is not available yet"
have_query=0 have_export=0
"$GEOANNOT" query -h >/dev/null 2>&1 && have_query=1
"$GEOANNOT" export -h >/dev/null 2>&1 && have_export=1

fx="$GA_SOURCE_DIR/tests/fixtures/bad"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset GEOANNOT_DB

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok   $*" >&2; }
note() { echo "     $*" >&2; }

ann_rows() {
    sqlite3 "$1" "SELECT d.doc_id, d.content_hash,
        (SELECT group_concat(x, ',') FROM (SELECT m.seq || ':' || m.start || ':' || m.end || ':' ||
            ifnull(m.place_gid, '-') AS x FROM mentions m WHERE m.document_id = d.id ORDER BY m.seq)),
        (SELECT group_concat(y, ',') FROM (SELECT e.seq || ':' || e.type || ':' || e.status || ':' ||
            e.role || ':' || ifnull(e.place_gid, '-') || ':' || ifnull(e.event_date, '-') || ':' ||
            ifnull(e.people, '-') AS y FROM events e WHERE e.document_id = d.id ORDER BY e.seq))
        FROM documents d ORDER BY d.doc_id"
}
integrity() {
    local r
    r=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1)
    if [ "$r" = ok ]; then pass "$2: integrity_check ok"; else fail "$2: integrity_check: $r"; fi
}
copy_base() { rm -f "$1" "$1-wal" "$1-shm" "$1.idx"; cp base.sqlite "$1"; [ -f base.sqlite.idx ] && cp base.sqlite.idx "$1.idx"; return 0; }

# ---- data ----------------------------------------------------------------------------
"$GEOANNOT" gazetteer import geonames "$fx/geonames_ok.txt" --db base.sqlite -q 2>err ||
    { cat err >&2; echo "cannot make the base database" >&2; exit 1; }
# The name index is built on first use; build it now, not in the race.
echo "Families fled Homs." | "$GEOANNOT" resolve --db base.sqlite -q - >/dev/null 2>err ||
    { cat err >&2; echo "cannot resolve with the base database" >&2; exit 1; }
sqlite3 base.sqlite "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
python3 - <<'EOF'
import json, random
random.seed(11)
places = ["Homs", "Ar Rastan", "Hama", "Idlib", "Hims", "Rastan", "Idleb"]
verbs = ["fled", "were evacuated from", "returned to", "were displaced from"]
for part in range(4):
    with open("part%d.jsonl" % part, "w") as f:
        for i in range(150):
            s = []
            for k in range(4):
                a, b = random.sample(places, 2)
                s.append("About %d people %s %s to %s on Friday." % (random.randint(2, 900) * 10,
                         random.choice(verbs), a, b))
            f.write(json.dumps({"id": "p%d-doc%04d" % (part, i),
                                "date": "2017-04-%02d" % (1 + i % 28),
                                "text": " ".join(s)}) + "\n")
EOF

copy_base ref.sqlite
for p in 0 1 2 3; do
    "$GEOANNOT" annotate --db ref.sqlite --format none -q part$p.jsonl 2>err ||
        { cat err >&2; echo "annotate (one process) failed" >&2; exit 1; }
done
ann_rows ref.sqlite >ref.rows
[ "$(wc -l <ref.rows)" = 600 ] || { echo "reference run stored $(wc -l <ref.rows) documents, not 600" >&2; exit 1; }

# ---- 1 and 2: four writers, readers in a loop ---------------------------------------
echo "== four annotate processes at once, readers in a loop" >&2
copy_base db.sqlite
pids=()
for p in 0 1 2 3; do
    "$GEOANNOT" annotate --db db.sqlite --format none -q part$p.jsonl 2>w$p.err &
    pids+=($!)
done
reads=0 read_fail=0
: >readers.err
writers_running() { local p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while writers_running; do
    if [ $have_query = 1 ]; then
        for what in events mentions; do
            if "$GEOANNOT" query $what --db db.sqlite --format csv -q >q.out 2>q.err; then :; else
                read_fail=$((read_fail + 1)); { echo "query $what:"; cat q.err; } >>readers.err
            fi
            reads=$((reads + 1))
        done
    fi
    if [ $have_export = 1 ]; then
        if "$GEOANNOT" export --db db.sqlite -f GeoJSON -o ex.geojson --overwrite -q >/dev/null 2>x.err; then
            python3 -c "import json,sys; json.load(open('ex.geojson'))" 2>>readers.err ||
                { read_fail=$((read_fail + 1)); echo "export: invalid GeoJSON" >>readers.err; }
        else
            read_fail=$((read_fail + 1)); { echo "export:"; cat x.err; } >>readers.err
        fi
        reads=$((reads + 1))
    fi
    [ $have_query = 0 ] && [ $have_export = 0 ] && sleep 0.1
done
for i in 0 1 2 3; do
    if wait "${pids[$i]}"; then pass "writer $i exited 0"
    else fail "writer $i exited $?: $(head -c 400 w$i.err)"; fi
done
if [ $have_query = 0 ] && [ $have_export = 0 ]; then
    note "readers skipped: neither 'query' nor 'export' exists yet"
elif [ $read_fail -eq 0 ]; then
    pass "readers during the writes: $reads runs, none failed"
else
    fail "readers during the writes: $read_fail of $reads failed: $(head -c 600 readers.err)"
fi
n=$(sqlite3 db.sqlite "SELECT count(*), count(DISTINCT doc_id) FROM documents")
[ "$n" = "600|600" ] && pass "every document stored exactly once (600)" ||
    fail "documents stored (rows|distinct): $n, expected 600|600"
if cmp -s ref.rows <(ann_rows db.sqlite); then
    pass "concurrent annotations equal the one-process run"
else
    fail "concurrent annotations differ from the one-process run: $(diff <(ann_rows db.sqlite) ref.rows | head -4)"
fi
integrity db.sqlite "four writers"

# ---- 3: two writers on the same documents ------------------------------------------
echo "== two annotate processes on the same documents" >&2
copy_base same.sqlite
"$GEOANNOT" annotate --db same.sqlite --format none -q part0.jsonl 2>s0.err &
a=$!
"$GEOANNOT" annotate --db same.sqlite --format none -q part0.jsonl 2>s1.err &
b=$!
wait $a && ra=0 || ra=$?
wait $b && rb=0 || rb=$?
if [ $ra -eq 0 ] && [ $rb -eq 0 ]; then pass "both writers of the same documents exited 0"
else fail "same documents: writers exited $ra and $rb: $(head -c 300 s0.err) $(head -c 300 s1.err)"; fi
n=$(sqlite3 same.sqlite "SELECT count(*), count(DISTINCT doc_id) FROM documents")
[ "$n" = "150|150" ] && pass "same documents: each stored exactly once (150)" ||
    fail "same documents: stored (rows|distinct) $n, expected 150|150"
m=$(sqlite3 same.sqlite "SELECT count(*) FROM mentions m LEFT JOIN documents d ON d.id = m.document_id WHERE d.id IS NULL")
[ "$m" = 0 ] && pass "same documents: no orphaned mentions" || fail "same documents: $m orphaned mentions"
if cmp -s <(grep '^p0-' ref.rows) <(ann_rows same.sqlite); then
    pass "same documents: annotations equal the one-process run"
else
    fail "same documents: annotations differ: $(diff <(ann_rows same.sqlite) <(grep '^p0-' ref.rows) | head -4)"
fi
integrity same.sqlite "two writers, same documents"

if [ $failures -gt 0 ]; then
    echo "concurrency.sh: $failures checks failed" >&2
    exit 1
fi
echo "concurrency.sh: all checks passed" >&2
