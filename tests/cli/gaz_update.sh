#!/usr/bin/env bash
# A curator's places and names survive a rebuild of the default gazetteer:
# `gazetteer update-default` merges the default into a database and keeps
# curated rows, in one transaction.
set -euo pipefail
fail() { echo "gaz_update: $*" >&2; exit 1; }
gaz="$GA_BUILD_DIR/gazetteer/default.sqlite"
[ -f "$gaz" ] || { echo "no default gazetteer at $gaz (run scripts/setup.sh)" >&2; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
db="$tmp/u.sqlite"
"$GEOANNOT" init -q --db "$db" --gazetteer "$gaz"
gid=$("$GEOANNOT" gazetteer add "Al-Sa'in" --lat 34.9 --lon 36.75 --kind populated_place \
      --country SY --db "$db" 2>/dev/null)
[ "$gid" = "user:1" ] || fail "add printed '$gid'"
"$GEOANNOT" gazetteer alias -q --db "$db" geonames:170892 "Darayya al-Balad"
# an older default: a place of the default changed in the database
sqlite3 "$db" "UPDATE places SET name = 'stale' WHERE gid = 'geonames:170892'"
places_before=$(sqlite3 "$db" "SELECT count(*) FROM places")
"$GEOANNOT" gazetteer update-default -q --db "$db" --gazetteer "$gaz"
[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ] || fail "integrity check failed"
[ "$(sqlite3 "$db" "SELECT count(*) FROM places")" = "$places_before" ] || fail "place count changed"
[ "$(sqlite3 "$db" "SELECT name FROM places WHERE gid = 'geonames:170892'")" != stale ] ||
  fail "the default's values did not replace the stale row"
"$GEOANNOT" gazetteer search -q --db "$db" "Al-Sa'in" | grep -q "user:1" || fail "curated place lost"
"$GEOANNOT" gazetteer search -q --db "$db" "Darayya al-Balad" | grep -q "geonames:170892" ||
  fail "curated alias lost"
# a file that is not a gazetteer changes nothing
echo "not a database" > "$tmp/bad.sqlite"
if "$GEOANNOT" gazetteer update-default -q --db "$db" --gazetteer "$tmp/bad.sqlite" 2>"$tmp/err"; then
  fail "a non-gazetteer file was merged"
fi
grep -qi "gazetteer\|database" "$tmp/err" || fail "unclear message: $(cat "$tmp/err")"
echo "ok: curated place and alias kept, stale row refreshed"
