#!/usr/bin/env bash
# postgis.sh: `geoannot export -f PostgreSQL` against a real, throwaway
# PostgreSQL 15 + PostGIS server on a unix socket in a temp dir: the events
# table arrives with the right count, SRID 4326 points at the right places
# and a real date column; an existing table needs --overwrite (and is then
# replaced, not doubled) or --append; a failing export (bad layer
# constraint mid-way) leaves nothing behind; an unreachable server is a
# clear error.
#
# Needs $GEOANNOT. Exits 77 (skip) when the PostgreSQL 15 binaries or
# PostGIS are not installed. When run as root the server runs as the
# postgres user (initdb refuses root).
set -euo pipefail

: "${GEOANNOT:?set GEOANNOT to the geoannot binary}"
: "${GA_SOURCE_DIR:?set GA_SOURCE_DIR to the source directory}"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/initdb" ] && [ -x "$pgbin/pg_ctl" ] || skip "no PostgreSQL 15 binaries in $pgbin"
command -v psql >/dev/null || skip "no psql"
ls /usr/share/postgresql/15/extension/postgis.control >/dev/null 2>&1 || skip "no PostGIS for PostgreSQL 15"
command -v sqlite3 >/dev/null || skip "no sqlite3 command"

tmp=$(mktemp -d)
sock="$tmp/sock"
pgdata="$tmp/pgdata"
mkdir -p "$sock"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user"
    chown -R postgres "$tmp"
    chmod 755 "$tmp"
    as_pg=(runuser -u postgres --)
fi
pg() { "${as_pg[@]}" "$@"; }
started=0
cleanup() {
    if [ "$started" -eq 1 ]; then
        pg "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

pg "$pgbin/initdb" -D "$pgdata" -U postgres -A trust >"$tmp/initdb.log" 2>&1 ||
    fail "initdb failed: $(tail -5 "$tmp/initdb.log")"
pg "$pgbin/pg_ctl" -D "$pgdata" -l "$tmp/pg.log" -w -t 60 \
    -o "-k $sock -c listen_addresses='' -c fsync=off" start >/dev/null ||
    fail "PostgreSQL did not start: $(tail -5 "$tmp/pg.log")"
started=1
psql_() { psql -X -q -t -A -h "$sock" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE maps" || fail "cannot create database"
psql_ -d maps -c "CREATE EXTENSION postgis" || fail "cannot create extension postgis"

# ---- a geoannot database with a few events ------------------------------------
# Two boxy governorates, imported as boundaries: that creates the database.
db="$tmp/g.sqlite"
"$GEOANNOT" gazetteer import boundaries "$GA_SOURCE_DIR/tests/fixtures/two_governorates.geojson" --db "$db" -q ||
    fail "cannot create a geoannot database at '$db'"
sqlite3 "$db" <<'SQL' || fail "cannot seed the database"
SELECT load_extension('mod_spatialite');
BEGIN;
INSERT INTO documents(doc_id, title, url, doc_date, content_hash, text) VALUES
  ('h1', 'Harasta evacuation', 'https://example.org/h1', '2018-03-22', 'x1', '...'),
  ('w1', 'Waer deal', NULL, '2017-03-18', 'x2', '...');
INSERT INTO events(document_id, seq, type, status, event_date, time_precision, geo_precision,
                   place_name, country, admin1, admin1_pcode, role, people, lon, lat)
SELECT d.id, e.seq, e.type, e.status, e.date, 1, 1, e.name, 'SY', e.adm1, e.pcode, 'site',
       e.people, e.lon, e.lat
FROM (SELECT 'h1' AS doc, 0 AS seq, 'evacuation' AS type, 'reported' AS status,
             '2018-03-22' AS date, 'Harasta' AS name, 'Rural Damascus' AS adm1,
             'SY03' AS pcode, 1500 AS people, 36.365 AS lon, 33.558 AS lat
      UNION ALL SELECT 'w1', 0, 'forced_displacement', 'threatened', '2017-03-18', 'Al-Waer',
             'Homs', 'SY04', NULL, 36.667, 34.733
      UNION ALL SELECT 'w1', 1, 'siege', 'reported', '2017-03-18', 'Madaya',
             'Rural Damascus', 'SY03', NULL, 36.099, 33.69) e
JOIN documents d ON d.doc_id = e.doc;
UPDATE events SET geom = MakePoint(lon, lat, 4326);
COMMIT;
SQL
n_db=$(sqlite3 "$db" "SELECT count(*) FROM events")
[ "$n_db" -eq 3 ] || fail "seeded $n_db events, expected 3"

conn="PG:host=$sock dbname=maps user=postgres"
run() { rc=0; "$GEOANNOT" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?; }

# ---- export ------------------------------------------------------------------
run export --db "$db" -q -f PostgreSQL "$conn" --layer events
[ "$rc" -eq 0 ] || fail "export to PostgreSQL exited $rc: $(cat "$tmp/err")"
n_pg=$(psql_ -d maps -c "SELECT count(*) FROM events")
[ "$n_pg" -eq "$n_db" ] || fail "PostgreSQL has $n_pg events, database $n_db"
srid=$(psql_ -d maps -c "SELECT DISTINCT ST_SRID(geom) FROM events")
[ "$srid" = 4326 ] || fail "geometry SRID is '$srid', want 4326"
gtype=$(psql_ -d maps -c "SELECT DISTINCT GeometryType(geom) FROM events")
[ "$gtype" = POINT ] || fail "geometry type is '$gtype', want POINT"
harasta=$(psql_ -d maps -c "SELECT round(ST_X(geom)::numeric, 3) || ',' ||
    round(ST_Y(geom)::numeric, 3) || ',' || event_date || ',' || people
    FROM events WHERE name = 'Harasta'")
[ "$harasta" = "36.365,33.558,2018-03-22,1500" ] ||
    fail "Harasta came out as '$harasta', want lon 36.365, lat 33.558, 2018-03-22, 1500"
dtype=$(psql_ -d maps -c "SELECT data_type FROM information_schema.columns
    WHERE table_name = 'events' AND column_name = 'event_date'")
[ "$dtype" = date ] || fail "event_date column is '$dtype', want date"
psql_ -d maps -c "SELECT column_name FROM information_schema.columns
    WHERE table_name = 'events'" | grep -qx fid && fail "events has a fid attribute column"
desc=$(psql_ -d maps -c "SELECT obj_description('events'::regclass)")
echo "$desc" | grep -q "GeoNames\|Place data" || fail "no attribution in the table comment: '$desc'"
inside=$(psql_ -d maps -c "SELECT count(*) FROM events
    WHERE ST_Intersects(geom, ST_MakeEnvelope(36.0, 33.5, 36.5, 33.8, 4326))")
[ "$inside" -eq 2 ] || fail "$inside events in the Damascus box, want 2 (Harasta, Madaya)"

# ---- an existing table ---------------------------------------------------------
run export --db "$db" -q -f PostgreSQL "$conn" --layer events
[ "$rc" -eq 1 ] || fail "second export without --overwrite exited $rc, want 1"
grep -q "already exists" "$tmp/err" || fail "no 'already exists' message: $(cat "$tmp/err")"
run export --db "$db" -q -f PostgreSQL "$conn" --layer events --overwrite
[ "$rc" -eq 0 ] || fail "export --overwrite exited $rc: $(cat "$tmp/err")"
n_pg=$(psql_ -d maps -c "SELECT count(*) FROM events")
[ "$n_pg" -eq "$n_db" ] || fail "after --overwrite PostgreSQL has $n_pg events, want $n_db"
run export --db "$db" -q -f PostgreSQL "$conn" --layer events --append
[ "$rc" -eq 0 ] || fail "export --append exited $rc: $(cat "$tmp/err")"
n_pg=$(psql_ -d maps -c "SELECT count(*) FROM events")
[ "$n_pg" -eq $((2 * n_db)) ] || fail "after --append PostgreSQL has $n_pg events, want $((2 * n_db))"

# ---- several layers in one transaction -------------------------------------------
run export --db "$db" -q -f PostgreSQL "$conn" --layer events,flows,places --overwrite
[ "$rc" -eq 0 ] || fail "export of three layers exited $rc: $(cat "$tmp/err")"
for t in flows places; do
    psql_ -d maps -c "SELECT count(*) FROM $t" >/dev/null || fail "no table $t"
done
# An existing table without --overwrite/--append is refused before anything
# is written: no new table appears.
psql_ -d maps -c "DROP TABLE places"
run export --db "$db" -q -f PostgreSQL "$conn" --layer events,places
[ "$rc" -eq 1 ] || fail "export onto an existing events table exited $rc, want 1"
psql_ -d maps -c "SELECT to_regclass('public.places') IS NULL" | grep -qx t ||
    fail "a refused export left a places table behind"
# A failure in the middle (the second layer's rows break a constraint) rolls
# back the whole export: the events appended before it are gone too.
n_before=$(psql_ -d maps -c "SELECT count(*) FROM events")
psql_ -d maps -c "DROP TABLE flows"
psql_ -d maps -c "CREATE TABLE flows(ogc_fid serial PRIMARY KEY,
    geom geometry(LineString, 4326), event_id bigint CHECK (event_id < 0))"
sqlite3 "$db" "UPDATE events SET origin_name = 'Harasta', origin_lon = 36.365,
    origin_lat = 33.558, dest_name = 'Idlib', dest_lon = 36.633, dest_lat = 35.93
    WHERE place_name = 'Harasta'"
run export --db "$db" -q -f PostgreSQL "$conn" --layer events,flows --append
[ "$rc" -eq 1 ] || fail "export breaking a constraint exited $rc, want 1"
n_after=$(psql_ -d maps -c "SELECT count(*) FROM events")
[ "$n_after" -eq "$n_before" ] ||
    fail "a failed export left $((n_after - n_before)) appended events behind (no rollback)"

# ---- unreachable server -----------------------------------------------------------
run export --db "$db" -q -f PostgreSQL "PG:host=$tmp/nowhere dbname=maps user=postgres" \
    --layer events
[ "$rc" -eq 1 ] || fail "export to an unreachable server exited $rc, want 1"
grep -q "cannot connect to PostgreSQL" "$tmp/err" ||
    fail "unclear message for an unreachable server: $(cat "$tmp/err")"

pg "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null
started=0
echo "ok: PostgreSQL/PostGIS export ($n_db events, overwrite, append, rollback, unreachable)"
