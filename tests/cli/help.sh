#!/usr/bin/env bash
# help.sh: every command and subcommand answers -h (and --help) with its
# usage on stdout and exit 0; unknown commands are usage errors (exit 2).
# Adding a command: add its words to COMMANDS.
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"

fail() { echo "FAIL: $*" >&2; exit 1; }

# One entry per command line to test, words separated by spaces; the empty
# entry is the top level (geoannot -h).
COMMANDS=(
    ""
    "init"
    "resolve"
    "annotate"
    "query"
    "export"
    "gazetteer"
    "gazetteer search"
    "gazetteer add"
    "gazetteer alias"
    "gazetteer remove"
    "gazetteer stats"
    "gazetteer unresolved"
    "gazetteer import"
    "gazetteer build-default"
    "gazetteer update-default"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# No database is needed to ask for help; make sure none is touched.
export GEOANNOT_DB="$tmp/none.sqlite"

for entry in "${COMMANDS[@]}"; do
    read -r -a words <<<"$entry"
    for flag in -h --help; do
        what="geoannot${entry:+ $entry} $flag"
        rc=0
        "$GEOANNOT" ${words[@]+"${words[@]}"} "$flag" >"$tmp/out" 2>"$tmp/err" || rc=$?
        [ "$rc" -eq 0 ] || fail "'$what' exited $rc: $(cat "$tmp/err")"
        grep -q "usage:" "$tmp/out" || fail "'$what' printed no 'usage:' on stdout"
    done
done
[ ! -e "$GEOANNOT_DB" ] || fail "asking for help created the database"

# Usage errors exit 2 and say what was wrong on stderr.
expect_usage_error() {
    local rc=0
    "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -eq 2 ] || fail "'geoannot $*' exited $rc, expected 2 (usage error)"
    [ -s "$tmp/err" ] || fail "'geoannot $*' exited 2 without a message on stderr"
}
expect_usage_error no-such-command
expect_usage_error
expect_usage_error gazetteer
expect_usage_error gazetteer no-such-subcommand
expect_usage_error gazetteer search --no-such-option x

echo "ok: help for ${#COMMANDS[@]} commands"
