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
. "$(dirname "$0")/lib/annotated_events.sh"
gold="$GA_SOURCE_DIR/tests/fixtures/examples_events.tsv"
annotated_events "$GA_SOURCE_DIR/examples/reports.jsonl" "$tmp/events.tsv"
if [ -n "${GA_EXAMPLES_WRITE:-}" ]; then
    cp "$tmp/events.tsv" "$gold"
    echo "wrote $(wc -l <"$gold") events to $gold"
    exit 0
fi
diff -u "$gold" "$tmp/events.tsv" >&2 ||
    fail "the example reports' events differ from $gold (diff above: - expected, + now)"
echo "examples: $(wc -l <"$tmp/events.tsv") events as expected"
