# annotated_events.sh: sourced by the CLI tests that hold the events of a
# set of reports against a kept list (examples.sh, events_arabic.sh).
# Checks the environment (skips with 77 without the default gazetteer or
# sqlite3), makes $tmp (removed on exit) and fail(), and defines
#   annotated_events INPUT OUT [EXTRA_COLUMNS]
# which annotates INPUT into a new database $tmp/ev.sqlite with the
# default gazetteer and writes its events to OUT, one a line in report
# order: report, type, status, role, place (GeoNames, Natural Earth or
# curated id; "(unresolved) name" for a name the gazetteer lacks), people,
# then the SQL columns of EXTRA_COLUMNS (of events e), tab-separated.
set -euo pipefail
: "${GEOANNOT:?} ${GA_SOURCE_DIR:?} ${GA_BUILD_DIR:?}"
GAZ="$GA_BUILD_DIR/gazetteer/default.sqlite"
[ -r "$GAZ" ] || { echo "skip: no default gazetteer at $GAZ"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
export GEOANNOT_DATA="$GA_SOURCE_DIR/gazetteer/lexicon"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

annotated_events() {
    local extra="${3:+, $3}"
    "$GEOANNOT" init -q --db "$tmp/ev.sqlite" --gazetteer "$GAZ" || fail "init exited $?"
    "$GEOANNOT" annotate -q --db "$tmp/ev.sqlite" --format none "$1" || fail "annotate exited $?"
    sqlite3 -separator $'\t' "$tmp/ev.sqlite" \
        "SELECT d.doc_id, e.type, e.status, e.role,
                coalesce(e.place_gid, '(unresolved) ' || e.place_name), coalesce(e.people, '')$extra
         FROM events e JOIN documents d ON d.id = e.document_id
         ORDER BY d.doc_id, e.seq" >"$2"
    [ -s "$2" ] || fail "$1 gave no events"
}
