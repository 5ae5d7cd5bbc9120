#!/usr/bin/env bash
# examples.sh: the events of the example reports (examples/reports.jsonl,
# the README's main job) against tests/fixtures/examples_events.tsv: per
# event, the report, type, status, role, place (GeoNames, Natural Earth or
# curated id; "(unresolved) name" for a name the gazetteer lacks) and
# people, in the report's order. A rule change that moves the example's
# events fails here; when the change is meant, write the file again with
#   GA_EXAMPLES_WRITE=1 GEOANNOT=build/geoannot GA_SOURCE_DIR=. \
#       GA_BUILD_DIR=build bash tests/cli/examples.sh
# and read its diff. Skips (77) without the default gazetteer.
set -euo pipefail
: "${GEOANNOT:?} ${GA_SOURCE_DIR:?} ${GA_BUILD_DIR:?}"
GAZ="$GA_BUILD_DIR/gazetteer/default.sqlite"
[ -r "$GAZ" ] || { echo "skip: no default gazetteer at $GAZ"; exit 77; }
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3"; exit 77; }
export GEOANNOT_DATA="$GA_SOURCE_DIR/gazetteer/lexicon"
gold="$GA_SOURCE_DIR/tests/fixtures/examples_events.tsv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$GEOANNOT" init -q --db "$tmp/ex.sqlite" --gazetteer "$GAZ" || fail "init exited $?"
"$GEOANNOT" annotate -q --db "$tmp/ex.sqlite" --format none "$GA_SOURCE_DIR/examples/reports.jsonl" ||
    fail "annotate exited $?"
sqlite3 -separator $'\t' "$tmp/ex.sqlite" \
    "SELECT d.doc_id, e.type, e.status, e.role,
            coalesce(e.place_gid, '(unresolved) ' || e.place_name), coalesce(e.people, '')
     FROM events e JOIN documents d ON d.id = e.document_id
     ORDER BY d.doc_id, e.seq" >"$tmp/events.tsv"
[ -s "$tmp/events.tsv" ] || fail "the example reports gave no events"
if [ -n "${GA_EXAMPLES_WRITE:-}" ]; then
    cp "$tmp/events.tsv" "$gold"
    echo "wrote $(wc -l <"$gold") events to $gold"
    exit 0
fi
diff -u "$gold" "$tmp/events.tsv" >&2 ||
    fail "the example reports' events differ from $gold (diff above: - expected, + now)"
echo "examples: $(wc -l <"$tmp/events.tsv") events as expected"
