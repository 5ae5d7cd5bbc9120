#!/usr/bin/env bash
# faults.sh: the database survives what goes wrong while writing it
# (DESIGN.md, "Reliability": every write is one transaction).
#
#  1. kill -9 during `gazetteer import geonames` of a 300,000-row dump
#     (once part-way, once while its transaction is being written to the
#     WAL at commit, when that can be caught): integrity_check is ok and the
#     gazetteer equals the state before the import; the database takes
#     the next import.
#  2. kill -9 during `annotate` of 3,000 documents (several batches):
#     integrity ok, every document stored is stored whole (its mentions and
#     events equal those of an uninterrupted run), the spatial indexes are
#     consistent, and annotating again completes the set and equals the
#     uninterrupted run.
#  3. a file size limit (ulimit -f, SIGXFSZ ignored, so writes fail with
#     EFBIG as on a full disk) during an import and an annotate: a clear
#     message ("disk is full" or an I/O error), a non-zero exit, and the
#     committed data intact.
#  4. a read-only database file, a read-only directory, and a directory
#     given as the database: clear errors, nothing changed. Run as an
#     unprivileged user through setpriv when the test runs as root (root
#     ignores file modes); skipped when that is not possible.
#
# The gazetteer is made from tests/fixtures/bad/geonames_ok.txt with
# `gazetteer import`, so only $GEOANNOT and $GA_SOURCE_DIR are needed, plus
# sqlite3 and python3 for checks and data. Exits 77 naming what is missing.
set -uo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ -x "$GEOANNOT" ] || skip "no geoannot binary at '$GEOANNOT'"
command -v sqlite3 >/dev/null || skip "sqlite3 (the command) is not installed"
command -v python3 >/dev/null || skip "python3 is not installed (it writes the test data)"
"$GEOANNOT" annotate -h >/dev/null 2>&1 || skip "'geoannot annotate' is not available yet"

fx="$GA_SOURCE_DIR/tests/fixtures/bad"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset GEOANNOT_DB

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok   $*" >&2; }
note() { echo "     $*" >&2; }

integrity() {   # integrity DB WHAT
    local r
    r=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1)
    if [ "$r" = ok ]; then pass "$2: integrity_check ok"; else fail "$2: integrity_check: $r"; fi
}
# Fingerprint of the gazetteer (places, names, generation).
gaz_sum() {
    sqlite3 "$1" "SELECT gid, name, kind, lon, lat, country, population FROM places ORDER BY gid;
        SELECT p.gid, n.name, n.kind, ifnull(n.lang, '') FROM names n
        JOIN places p ON p.id = n.place_id ORDER BY 1, 2, 3, 4;
        SELECT key, value FROM meta WHERE key LIKE '%gen%' ORDER BY key;" | md5sum | cut -d' ' -f1
}
# One line per stored document: id, content hash, its mentions and events.
ann_rows() {
    sqlite3 "$1" "SELECT d.doc_id, d.content_hash,
        (SELECT group_concat(x, ',') FROM (SELECT m.seq || ':' || m.start || ':' || m.end || ':' ||
            ifnull(m.place_gid, '-') AS x FROM mentions m WHERE m.document_id = d.id ORDER BY m.seq)),
        (SELECT group_concat(y, ',') FROM (SELECT e.seq || ':' || e.type || ':' || e.status || ':' ||
            e.role || ':' || ifnull(e.place_gid, '-') || ':' || ifnull(e.event_date, '-') || ':' ||
            ifnull(e.people, '-') AS y FROM events e WHERE e.document_id = d.id ORDER BY e.seq))
        FROM documents d ORDER BY d.doc_id"
}
# Size of a file in bytes, 0 when missing.
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }

# ---- a base database ----------------------------------------------------------
"$GEOANNOT" gazetteer import geonames "$fx/geonames_ok.txt" --db base.sqlite -q 2>err ||
    { cat err >&2; echo "cannot make the base database" >&2; exit 1; }
printf '{"id": "seed", "text": "About 1,500 people fled Homs to Idlib on Friday.", "date": "2017-03-18"}\n' >seed.jsonl
"$GEOANNOT" annotate --db base.sqlite --format none -q seed.jsonl 2>err ||
    { cat err >&2; echo "cannot annotate the seed document" >&2; exit 1; }
# Self-contained copies: checkpoint the WAL into the file.
sqlite3 base.sqlite "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
copy_base() { rm -f "$1" "$1-wal" "$1-shm" "$1.idx"; cp base.sqlite "$1"; [ -f base.sqlite.idx ] && cp base.sqlite.idx "$1.idx"; return 0; }

python3 - <<'EOF'
import json, random
random.seed(7)
# 300,000 GeoNames rows inside Syria (19 tab-separated columns).
with open("big_geonames.txt", "w") as f:
    for i in range(300000):
        lat = 32.4 + random.random() * 4.8
        lon = 35.8 + random.random() * 6.5
        name = "Qaryat %06d" % i
        f.write("\t".join([str(9000000 + i), name, name, "Alt %06d,Other %06d" % (i, i),
                           "%.5f" % lat, "%.5f" % lon, "P", "PPL", "SY", "", "11", "", "", "",
                           str(i % 5000), "", "", "Asia/Damascus", "2020-01-01"]) + "\n")
# 1,000 more rows for the import after the crash.
with open("small_geonames.txt", "w") as f:
    for i in range(1000):
        name = "Mazraa %04d" % i
        f.write("\t".join([str(9500000 + i), name, name, "", "35.%04d" % i, "37.%04d" % i, "P",
                           "PPL", "SY", "", "11", "", "", "", "0", "", "", "Asia/Damascus",
                           "2020-01-01"]) + "\n")
# 3,000 documents naming the fixture towns (annotate commits every 1,000).
places = ["Homs", "Ar Rastan", "Hama", "Idlib", "Hims", "Rastan", "Idleb"]
verbs = ["fled", "were evacuated from", "returned to", "were displaced from"]
with open("many.jsonl", "w") as f:
    for i in range(3000):
        s = []
        for k in range(6):
            a, b = random.sample(places, 2)
            s.append("About %d people %s %s to %s on Friday." % (random.randint(2, 900) * 10,
                     random.choice(verbs), a, b))
        f.write(json.dumps({"id": "doc%05d" % i, "date": "2017-03-%02d" % (1 + i % 28),
                            "text": " ".join(s)}) + "\n")
EOF

# ---- 1. kill -9 during a big import ---------------------------------------------
echo "== kill -9 during gazetteer import geonames (300,000 rows)" >&2
copy_base imp.sqlite
before=$(gaz_sum imp.sqlite)
# kill_import MODE: start the import and kill it. MODE wal: when its
# transaction is being written to the WAL (a cache spill or the commit;
# with the bulk-load cache that is the commit), at most 180 s; MODE early:
# after half a second of wall time (the import takes about 4 s on an idle
# machine; a count of polls would stretch on a loaded one). Sets killed
# (empty when the import ended first) and rc.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
kill_import() {
    "$GEOANNOT" gazetteer import geonames big_geonames.txt --db imp.sqlite -q 2>imp.err &
    local pid=$! start=$SECONDS t0 w
    t0=$(now_ms)
    killed=""
    while kill -0 $pid 2>/dev/null; do
        w=$(fsize imp.sqlite-wal)
        if [ "$1" = wal ] && [ "$w" -gt 1048576 ]; then
            kill -9 $pid 2>/dev/null && killed="while writing the WAL ($w bytes)"
            break
        fi
        # early: after half a second of importing
        if [ "$1" = early ] && [ $(($(now_ms) - t0)) -ge 500 ] ||
           [ $((SECONDS - start)) -ge 180 ]; then
            kill -9 $pid 2>/dev/null && killed="after $((SECONDS - start)) s (WAL $w bytes)"
            break
        fi
        sleep 0.01
    done
    wait $pid 2>/dev/null
    rc=$?
}
# check_import_killed WHEN: the database equals the state before.
check_import_killed() {
    note "killed $1, exit $rc"
    integrity imp.sqlite "import killed $1"
    if [ "$(gaz_sum imp.sqlite)" = "$before" ]; then pass "import killed $1: gazetteer equals the state before"
    else fail "import killed $1: gazetteer changed ($(sqlite3 imp.sqlite 'SELECT count(*) FROM places') places)"; fi
}
kill_import early
if [ -n "$killed" ]; then check_import_killed "$killed"
else fail "import: finished (exit $rc) within half a second; the test needs a bigger dump"; fi
copy_base imp.sqlite
kill_import wal
if [ -n "$killed" ]; then check_import_killed "$killed"
else
    # The commit was too quick to catch: the import finished.
    note "the import finished (exit $rc) before its WAL could be seen growing; not tested"
    copy_base imp.sqlite
fi
if "$GEOANNOT" gazetteer import geonames small_geonames.txt --db imp.sqlite -q 2>err; then
    n=$(sqlite3 imp.sqlite "SELECT count(*) FROM places WHERE gid LIKE 'geonames:95%'")
    if [ "$n" = 1000 ]; then pass "import killed: the next import works"
    else fail "import killed: the next import stored $n of 1000 places"; fi
    integrity imp.sqlite "import after the crash"
else
    fail "import killed: the next import failed: $(cat err)"
fi

# ---- 2. kill -9 during annotate ---------------------------------------------------
echo "== kill -9 during annotate (3,000 documents)" >&2
copy_base ref.sqlite
if "$GEOANNOT" annotate --db ref.sqlite --format none -q many.jsonl 2>err; then
    ann_rows ref.sqlite >ref.rows
    total=$(wc -l <ref.rows)
    copy_base ann.sqlite
    "$GEOANNOT" annotate --db ann.sqlite --format none -q many.jsonl 2>ann.err &
    pid=$!
    killed="" start=$SECONDS
    while kill -0 $pid 2>/dev/null; do
        n=$(sqlite3 ann.sqlite "SELECT count(*) FROM documents" 2>/dev/null || echo 0)
        if [ "${n:-0}" -ge 100 ] || [ $((SECONDS - start)) -ge 20 ]; then
            kill -9 $pid 2>/dev/null && killed="with $n documents stored"
            break
        fi
        sleep 0.05
    done
    wait $pid 2>/dev/null
    if [ -z "$killed" ]; then
        fail "annotate: finished before it could be killed; the test needs more documents"
    else
        note "killed $killed"
        integrity ann.sqlite "annotate killed"
        ann_rows ann.sqlite >ann.rows
        got=$(wc -l <ann.rows)
        # Every document stored must be stored whole: its line is in ref.
        partial=$(grep -vxFf ref.rows ann.rows | cut -d'|' -f1 | head -5 | tr '\n' ' ')
        if [ -z "$partial" ] && [ "$got" -lt "$total" ]; then
            pass "annotate killed: $got of $total documents stored, each whole"
        elif [ -n "$partial" ]; then
            fail "annotate killed: documents stored differently from an uninterrupted run: $partial"
        else
            fail "annotate killed: all $got documents stored; the kill came too late to test"
        fi
        # the spatial indexes hold exactly the committed points; no batch is left open
        sp=$(sqlite3 ann.sqlite < "$GA_SOURCE_DIR/tests/fixtures/spatial_indexes.sql" 2>&1)
        if [ "$sp" = "1|1|0" ]; then pass "annotate killed: spatial indexes consistent"
        else fail "annotate killed: spatial indexes or batch state wrong: $sp"; fi
        if "$GEOANNOT" annotate --db ann.sqlite --format none -q many.jsonl 2>err; then
            if cmp -s ref.rows <(ann_rows ann.sqlite); then
                pass "annotate after the crash completes the set, equal to an uninterrupted run"
            else
                fail "annotate after the crash differs from an uninterrupted run"
            fi
        else
            fail "annotate after the crash failed: $(cat err)"
        fi
    fi
else
    fail "annotate of many.jsonl failed: $(head -c 400 err)"
fi

# ---- 3. writes that fail (file size limit) ----------------------------------------
echo "== file size limit (ulimit -f) during import and annotate" >&2
copy_base full.sqlite
before=$(gaz_sum full.sqlite)
limit_kb=$(( $(fsize full.sqlite) / 1024 + 2048 ))   # 2 MB of room
# limited ARGS...: geoannot with file size limit limit_kb and SIGXFSZ ignored.
limited() {
    rc=0
    (trap '' XFSZ; ulimit -f $limit_kb; exec "$GEOANNOT" "$@") >out 2>err || rc=$?
}
head -50000 big_geonames.txt >part_geonames.txt
limited gazetteer import geonames part_geonames.txt --db full.sqlite -q
if [ "$rc" -eq 0 ]; then
    fail "size limit: import of 50,000 rows into ${limit_kb} kB succeeded"
elif [ "$rc" -gt 128 ]; then
    fail "size limit: import killed by signal $((rc - 128)): $(cat err)"
elif grep -Eqi "disk is full|disk I/O error|i/o error|file too large|no space" err; then
    pass "size limit: import refused: $(head -c 200 err)"
else
    fail "size limit: import exit $rc without a clear message: $(head -c 400 err)"
fi
integrity full.sqlite "size limit, import"
if [ "$(gaz_sum full.sqlite)" = "$before" ]; then pass "size limit: gazetteer unchanged after the failed import"
else fail "size limit: the failed import changed the gazetteer"; fi

limit_kb=$(( $(fsize full.sqlite) / 1024 + $(fsize full.sqlite-wal) / 1024 + 256 ))
limited annotate --db full.sqlite --format none -q many.jsonl
stored=$(sqlite3 full.sqlite "SELECT count(*) FROM documents")
if [ "$rc" -eq 0 ]; then
    note "annotate fit in ${limit_kb} kB ($stored documents); no write failed"
elif [ "$rc" -gt 128 ]; then
    fail "size limit: annotate killed by signal $((rc - 128)): $(tail -3 err)"
elif grep -Eqi "disk is full|disk I/O error|i/o error|file too large|no space" err; then
    pass "size limit: annotate reports the failed write: $(grep -Ei 'full|i/o|too large|space' err | head -1 | head -c 200)"
else
    fail "size limit: annotate exit $rc without a clear message: $(head -c 400 err)"
fi
integrity full.sqlite "size limit, annotate"
if ann_rows full.sqlite | grep -q '^seed|'; then pass "size limit: the document committed before is intact"
else fail "size limit: the document committed before is gone"; fi
partial=$(grep -vxFf ref.rows <(ann_rows full.sqlite) 2>/dev/null | grep -v '^seed|' | cut -d'|' -f1 | head -3)
if [ -f ref.rows ] && [ -n "$partial" ]; then fail "size limit: partly stored documents: $partial"
elif [ -f ref.rows ]; then pass "size limit: every stored document is whole ($stored stored)"; fi

# ---- 3b. a database at its size cap (max_page_count through GEOANNOT_MAX_DB_MB) ----
echo "== database size cap (GEOANNOT_MAX_DB_MB) during import" >&2
copy_base capped.sqlite
before=$(gaz_sum capped.sqlite)
cap_mb=$(( $(fsize capped.sqlite) / 1048576 + 1 ))
rc=0
GEOANNOT_MAX_DB_MB=$cap_mb "$GEOANNOT" gazetteer import geonames part_geonames.txt --db capped.sqlite -q \
    >out 2>err || rc=$?
if [ "$rc" -eq 1 ] && grep -q "database or disk is full" err; then
    pass "size cap: import fails with 'database or disk is full': $(head -c 160 err)"
else
    fail "size cap: import exit $rc, message: $(head -c 300 err)"
fi
integrity capped.sqlite "size cap, import"
if [ "$(gaz_sum capped.sqlite)" = "$before" ]; then pass "size cap: gazetteer unchanged after the failed import"
else fail "size cap: the failed import changed the gazetteer"; fi

# ---- 4. read-only database, read-only directory, a directory ---------------------
echo "== read-only database and directory" >&2
as_user=()
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
       setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$GEOANNOT"; then
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    else
        note "skipped: running as root and cannot run geoannot as an unprivileged user"
    fi
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
    chmod 755 "$tmp"
    mkdir -p ro && copy_base ro/g.sqlite && chmod 444 ro/g.sqlite && chmod 555 ro
    before=$(gaz_sum ro/g.sqlite)
    # expect_ro WHAT CODE PATTERN ARGS...
    expect_ro() {
        local what=$1 code=$2 pattern=$3
        shift 3
        rc=0
        "${as_user[@]}" "$GEOANNOT" "$@" >out 2>err || rc=$?
        if [ "$rc" -ne "$code" ]; then fail "$what: exit $rc, expected $code: $(head -c 300 err)"
        elif [ -n "$pattern" ] && ! grep -Eqi -- "$pattern" err; then
            fail "$what: unclear message (expected /$pattern/): $(head -c 300 err)"
        else pass "$what"; fi
    }
    ro_msg="read-only|readonly|permission denied|not writable"
    expect_ro "read-only database: import is refused clearly" 1 "$ro_msg" \
        gazetteer import geonames "$fx/geonames_swapped.txt" --db ro/g.sqlite -q
    expect_ro "read-only database: annotate is refused clearly" 1 "$ro_msg" \
        annotate --db ro/g.sqlite --format none -q seed.jsonl
    expect_ro "read-only database: resolve (reads only) works" 0 "" \
        resolve --db ro/g.sqlite -q "$fx/text_nul_bytes.txt"
    chmod 755 ro && chmod 644 ro/g.sqlite
    [ "$(gaz_sum ro/g.sqlite)" = "$before" ] && pass "read-only database: unchanged" ||
        fail "read-only database: changed"
    # writable file in a read-only directory: the WAL cannot be created
    mkdir -p rodir && copy_base rodir/g.sqlite && chmod 666 rodir/g.sqlite && chmod 555 rodir
    expect_ro "read-only directory: import is refused clearly" 1 "$ro_msg|directory" \
        gazetteer import geonames "$fx/geonames_swapped.txt" --db rodir/g.sqlite -q
    chmod 755 rodir
    integrity rodir/g.sqlite "read-only directory"
fi
rc=0
"$GEOANNOT" gazetteer import geonames "$fx/geonames_ok.txt" --db "$tmp" -q >out 2>err || rc=$?
if [ "$rc" -eq 1 ] && grep -Eqi "'$tmp'.*(is a directory|not a file)" err; then
    pass "a directory as the database is refused clearly"
else
    fail "a directory as the database: exit $rc, message: $(head -c 300 err)"
fi

if [ $failures -gt 0 ]; then
    echo "faults.sh: $failures checks failed" >&2
    exit 1
fi
echo "faults.sh: all checks passed" >&2
