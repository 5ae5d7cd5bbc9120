/*
 * event_cells.c: the events stored a second time, grouped by where they
 * are, so that a region query reads the rows of one area from a few
 * neighbouring pages instead of one page per row. See store_int.h.
 *
 * event_cells is a WITHOUT ROWID table whose key is (cell, id): cell is
 * the point's cell on a fixed grid of GA_CELLS_PER_DEG cells per degree
 * (about 1.1 km), numbered row by row from the south-west corner of the
 * world, so the cells of one grid row that a region spans form one range
 * of keys and their rows lie side by side in the b-tree. Each row holds
 * exactly what a listing of events reads: the exact point (x, y from the
 * geometry, which is what the spatial tests use), the REAL columns, and
 * every other column packed into one text, rec, in the order of
 * GA_CELLS_REC_FIELDS: a NULL as '~', an integer as its decimal digits and
 * ',', a text as its length in bytes, ':', its bytes and ','. One column
 * costs SQLite about as much to hand over as a tenth of finding the row;
 * rec hands over twenty-two. The filter columns (date, type, status,
 * precision) are kept once more as columns, with the affinity they have in
 * events, for the WHERE clause.
 *
 * The table follows events through triggers written in plain SQL with
 * SpatiaLite's ST_X/ST_Y (which the geometry triggers of events already
 * need), so any program writing events with SpatiaLite loaded keeps it
 * right: AFTER INSERT removes the entry of the row's id (through the
 * index event_cells_id: the entry of a row that an INSERT OR REPLACE
 * replaced, for which SQLite fires no delete trigger) and adds the row's;
 * AFTER UPDATE rewrites the entry in place when the point stays (plain
 * SQL: a program without SpatiaLite may still edit the other columns, as
 * before; SQLite compiles only the triggers of the columns an UPDATE
 * sets, so the one with ST_X is on UPDATE OF geom) or removes it and adds
 * it anew when the point moves; AFTER
 * DELETE removes it. The insert trigger
 * skips rows while an annotate batch names events in ann_batch, like the
 * R*Tree's; the batch adds their entries once before its commit
 * (ga_store_cells_fill). Events without a point have no entry; queries
 * without a spatial filter do not use the table.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>

/* The cell numbers of a point as SQL over the point blob g: row
 * (latitude) times the cells of a row, plus column (longitude), each
 * clamped to the grid. ga_cells_row()/ga_cells_col() compute the same
 * with the same floating-point operations, so a box's cell range holds
 * every point in the box. */
#define CELL_AXIS(g, fn, off, n)                                                       \
    "min(max(CAST((" fn "(" g ") + " off ") * 100 AS INTEGER), 0), " n ")"
#define CELL_SQL(g)                                                                    \
    CELL_AXIS(g, "ST_Y", "90", "17999") " * 36000 + " CELL_AXIS(g, "ST_X", "180", "35999")

/* rec's parts for the row prefix p ("NEW." or ""). */
#define REC_TEXT(p, c) "ifnull(length(CAST(" p c " AS BLOB)) || ':' || " p c " || ',', '~')"
#define REC_INT(p, c) "ifnull(CAST(" p c " AS INTEGER) || ',', '~')"
#define REC_SQL(p)                                                                     \
    REC_INT(p, "document_id") " || " REC_TEXT(p, "event_date") " || "                  \
    REC_TEXT(p, "type") " || " REC_TEXT(p, "status") " || " REC_TEXT(p, "trigger")    \
    " || " REC_INT(p, "time_precision") " || " REC_INT(p, "geo_precision") " || "     \
    REC_TEXT(p, "place_gid") " || " REC_TEXT(p, "place_name") " || "                   \
    REC_TEXT(p, "kind") " || " REC_TEXT(p, "country") " || " REC_TEXT(p, "admin1")    \
    " || " REC_TEXT(p, "admin1_pcode") " || " REC_TEXT(p, "admin2") " || "            \
    REC_TEXT(p, "admin2_pcode") " || " REC_TEXT(p, "role") " || "                      \
    REC_TEXT(p, "origin_name") " || " REC_TEXT(p, "dest_name") " || "                  \
    REC_TEXT(p, "actors") " || " REC_INT(p, "people") " || " REC_TEXT(p, "sentence")   \
    " || " REC_TEXT(p, "reason")

#define CELLS_COLS                                                                     \
    "cell, id, x, y, rec, lon, lat, origin_lon, origin_lat, dest_lon, dest_lat,"        \
    " event_date, type, status, geo_precision"
/* The values of CELLS_COLS for the events row prefix p. */
#define CELLS_VALUES(p)                                                                \
    CELL_SQL(p "geom") ", " p "id, ST_X(" p "geom), ST_Y(" p "geom), " REC_SQL(p) ","    \
    " nullif(" p "lon, ST_X(" p "geom)), nullif(" p "lat, ST_Y(" p "geom)), "           \
    p "origin_lon, " p "origin_lat, " p "dest_lon, " p "dest_lat, " p "event_date, "   \
    p "type, " p "status, " p "geo_precision"

/* The table, its index and its triggers (one string each: C11 compilers
 * need only take strings of 4095 characters). */
static const char *const cells_schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS event_cells("
    "  cell INTEGER NOT NULL,"         /* grid cell of the point (CELL_SQL) */
    "  id INTEGER NOT NULL,"           /* events.id */
    /* the numbers without a declared type: copied as they are, and read
     * back with no affinity step */
    "  x NOT NULL, y NOT NULL,"        /* the point of events.geom, exact */
    "  rec TEXT NOT NULL,"             /* the other columns, packed (see above) */
    "  lon, lat,"                      /* events.lon/lat where they differ from x/y */
    "  origin_lon, origin_lat, dest_lon, dest_lat,"
    "  event_date TEXT, type TEXT, status TEXT, geo_precision INTEGER," /* filters */
    "  PRIMARY KEY(cell, id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS event_cells_id ON event_cells(id)",
    "CREATE TRIGGER IF NOT EXISTS event_cells_insert AFTER INSERT ON events"
    " FOR EACH ROW WHEN NOT EXISTS (SELECT 1 FROM ann_batch WHERE tbl = 'events') BEGIN"
    " DELETE FROM event_cells WHERE id = NEW.id;"
    " INSERT INTO event_cells(" CELLS_COLS ") SELECT " CELLS_VALUES("NEW.")
    " WHERE ST_X(NEW.geom) IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS event_cells_update AFTER UPDATE ON events"
    " FOR EACH ROW WHEN OLD.geom IS NEW.geom BEGIN"
    " UPDATE event_cells SET id = NEW.id, rec = " REC_SQL("NEW.") ","
    " lon = nullif(NEW.lon, x), lat = nullif(NEW.lat, y), origin_lon = NEW.origin_lon,"
    " origin_lat = NEW.origin_lat, dest_lon = NEW.dest_lon, dest_lat = NEW.dest_lat,"
    " event_date = NEW.event_date, type = NEW.type, status = NEW.status,"
    " geo_precision = NEW.geo_precision WHERE id = OLD.id; END",
    "CREATE TRIGGER IF NOT EXISTS event_cells_move AFTER UPDATE OF geom ON events"
    " FOR EACH ROW WHEN OLD.geom IS NOT NEW.geom BEGIN"
    " DELETE FROM event_cells WHERE id = OLD.id;"
    " INSERT INTO event_cells(" CELLS_COLS ") SELECT " CELLS_VALUES("NEW.")
    " WHERE ST_X(NEW.geom) IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS event_cells_delete AFTER DELETE ON events"
    " FOR EACH ROW BEGIN DELETE FROM event_cells WHERE id = OLD.id; END",
};

/* The entries of the events from id ?1 on, made again (an annotate
 * batch's rows, or all of them). */
static const char cells_clear_sql[] = "DELETE FROM event_cells WHERE id >= ?1";
static const char cells_fill_sql[] =
    "INSERT INTO event_cells(" CELLS_COLS ") SELECT " CELLS_VALUES("")
    " FROM events WHERE id >= ?1 AND ST_X(geom) IS NOT NULL";

ga_rc ga_store_cells_fill(ga_store *st, int64_t from_id, ga_err *err)
{
    ga_rc rc = GA_OK;
    for (int k = 0; k < 2 && !rc; k++) {
        sqlite3_stmt **s = k ? &st->cells_fill : &st->cells_clear;
        if (!*s && (rc = ga_store_prepare(st, k ? cells_fill_sql : cells_clear_sql, s, err)))
            break;
        sqlite3_bind_int64(*s, 1, from_id);
        int src = sqlite3_step(*s);
        sqlite3_reset(*s);
        if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot update event_cells");
    }
    return rc;
}

ga_rc ga_store_cells_create(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "CREATE TABLE IF NOT EXISTS ann_batch("
                             " tbl TEXT PRIMARY KEY) WITHOUT ROWID", err);
    for (size_t i = 0; i < sizeof cells_schema_sql / sizeof cells_schema_sql[0] && !rc; i++)
        rc = ga_store_exec(st, cells_schema_sql[i], err);
    if (!rc) rc = ga_store_cells_fill(st, INT64_MIN, err);
    return rc;
}

/* CAST(v AS INTEGER) of SQLite for a finite double within range, clamped
 * to [0, max] like CELL_AXIS. */
static int64_t axis(double v, int64_t max)
{
    if (!(v > -1e18 && v < 1e18)) return v > 0 ? max : 0;   /* NaN: 0, as CAST gives */
    int64_t i = (int64_t)v;
    return i < 0 ? 0 : i > max ? max : i;
}

_Static_assert(GA_CELLS_PER_DEG == 100 && GA_CELLS_ROWS == 18000 && GA_CELLS_COLS == 36000,
               "CELL_SQL writes the grid out");

int64_t ga_cells_row(double lat) { return axis((lat + 90.0) * 100.0, GA_CELLS_ROWS - 1); }
int64_t ga_cells_col(double lon) { return axis((lon + 180.0) * 100.0, GA_CELLS_COLS - 1); }
