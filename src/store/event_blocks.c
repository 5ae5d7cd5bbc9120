/*
 * event_blocks.c: the events of event_cells once more, one row per block
 * of 10 x 10 cells (0.1 degree, about 11 km), each row a packed array of
 * the block's events (store_int.h gives the format), so that a region
 * query reads a few hundred blobs instead of one row per event, and the
 * point-in-polygon test, the sort by date and the rows it returns are
 * plain C over memory (query_blocks.c).
 *
 * event_blocks is a cache of event_cells, kept right by marks rather than
 * by rewriting a blob per changed row: triggers on event_cells (which
 * triggers on events keep, whatever program writes events) insert the
 * block of every row inserted, deleted or updated there into
 * event_blocks_dirty, in the transaction that changes the row. Whatever
 * transaction later packs a block from event_cells writes its blob and
 * removes its mark together. So in every snapshot of the database a block
 * either is marked, or its blob is exactly what packing event_cells gives
 * (tests/cli/event_blocks.sh checks that after every kind of write).
 *
 * Marks are cleared only by geoannot's own writes, before they commit
 * (ga_store_commit packs every marked block: an annotate batch's blocks,
 * and any left by other programs' writes). A query never writes the
 * file: it packs the marked blocks it needs in memory from event_cells,
 * inside its own read snapshot, which costs what reading their rows
 * always cost.
 */
#include "store/query_int.h"

#include <stdlib.h>
#include <string.h>

/* The block of an event_cells cell number c, as SQL. */
#define BLOCK_SQL(c) "((" c ") / 360000 * 3600 + (" c ") % 36000 / 10)"
_Static_assert(GA_CELLS_COLS == 36000 && GA_BLOCK_CELLS == 10 && GA_BLOCKS_COLS == 3600,
               "BLOCK_SQL writes the grid out");

static const char *const blocks_schema_sql[] = {
    "CREATE TABLE IF NOT EXISTS event_blocks("
    "  blk INTEGER PRIMARY KEY,"       /* block number (store_int.h) */
    "  n INTEGER NOT NULL,"            /* events in it */
    "  data BLOB NOT NULL)",           /* the packed events */
    "CREATE TABLE IF NOT EXISTS event_blocks_dirty("
    "  blk INTEGER PRIMARY KEY)",      /* a block whose data may be stale */
    "CREATE TRIGGER IF NOT EXISTS event_blocks_insert AFTER INSERT ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk) VALUES("
    BLOCK_SQL("NEW.cell") "); END",
    "CREATE TRIGGER IF NOT EXISTS event_blocks_delete AFTER DELETE ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk) VALUES("
    BLOCK_SQL("OLD.cell") "); END",
    "CREATE TRIGGER IF NOT EXISTS event_blocks_update AFTER UPDATE ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk) VALUES("
    BLOCK_SQL("OLD.cell") "), (" BLOCK_SQL("NEW.cell") "); END",
};

/* ---- packing ------------------------------------------------------------------ */

enum { P_ID, P_X, P_Y, P_REC, P_LON, P_LAT, P_OLON, P_OLAT, P_DLON, P_DLAT, P_DATE, P_TYPE,
       P_STATUS, P_PREC };

/* 1 when column i of s, a filter column of TEXT affinity, compares in C
 * as in SQL: NULL where the rec text t is NULL, else a TEXT without NUL
 * bytes equal to t. */
static int text_plain(sqlite3_stmt *s, int i, const char *t)
{
    int type = sqlite3_column_type(s, i);
    if (type == SQLITE_NULL) return t == NULL;
    if (type != SQLITE_TEXT || !t) return 0;
    const char *v = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    return v && strlen(v) == n && strcmp(v, t) == 0;
}

/* The sort key of a row (see ga_block_ev.key). */
static uint64_t sort_key(const char *d, int64_t id)
{
    if (id < 0 || (uint64_t)id >> 34) return UINT64_MAX;
    uint64_t day = 99999999 + 1;
    if (d) {
        day = 0;
        for (int i = 0; i < 10; i++) {
            if (i == 4 || i == 7) {
                if (d[i] != '-') return UINT64_MAX;
            } else {
                if (d[i] < '0' || d[i] > '9') return UINT64_MAX;
                day = day * 10 + (uint64_t)(d[i] - '0');
            }
        }
        if (d[10]) return UINT64_MAX;
    }
    return day << 34 | (uint64_t)id;
}

/* Append one event's variable part for row e (from rec) to var, padded
 * to 8 bytes. */
static ga_rc put_var(ga_buf *var, const ga_event_row *e, const ga_block_var *head,
                     const double reals[4])
{
    ga_block_var h = *head;
    const char *t[GA_BT_COUNT] = {
        e->event_date, e->type, e->status, e->trigger, e->place_gid, e->place_name, e->kind,
        e->country, e->admin1, e->admin1_pcode, e->admin2, e->admin2_pcode, e->role,
        e->origin_name, e->dest_name, e->actors, e->sentence, e->reason};
    h.nulls = 0;
    for (int i = 0; i < GA_BT_COUNT; i++) if (!t[i]) h.nulls |= 1u << i;
    ga_rc rc = ga_buf_append(var, &h, sizeof h);
    for (int i = 0; i < 4 && !rc; i++)
        if (h.bits & (GA_BEV_ORIGIN_LON << i)) rc = ga_buf_append(var, &reals[i], sizeof reals[i]);
    for (int i = 0; i < GA_BT_COUNT && !rc; i++) {
        if (!t[i]) continue;
        size_t n = strlen(t[i]);
        unsigned char len1 = n < 255 ? (unsigned char)n : 255;
        uint32_t len4 = (uint32_t)n;
        rc = ga_buf_append(var, &len1, 1);
        if (!rc && len1 == 255) rc = ga_buf_append(var, &len4, sizeof len4);
        if (!rc) rc = ga_buf_append(var, t[i], n + 1);
    }
    static const char zeros[8];
    if (!rc && var->len % 8) rc = ga_buf_append(var, zeros, 8 - var->len % 8);
    return rc;
}

ga_rc ga_store_blocks_pack(ga_store *st, int64_t blk, ga_buf *out, int64_t *n, ga_err *err)
{
    static const char sql[] =
        "SELECT id, x, y, rec, lon, lat, origin_lon, origin_lat, dest_lon, dest_lat,"
        " event_date, type, status, geo_precision FROM event_cells WHERE cell BETWEEN ?1 AND ?2";
    *n = 0;
    ga_buf_reset(out);
    ga_rc rc = st->blocks_read ? GA_OK : ga_store_prepare(st, sql, &st->blocks_read, err);
    if (rc) return rc;
    GA_VEC(ga_block_ev) evs = {0};
    ga_buf var = {0}, rec = {0};
    uint32_t flags = 0;
    int64_t brow = blk / GA_BLOCKS_COLS, bcol = blk % GA_BLOCKS_COLS;
    for (int64_t r = brow * GA_BLOCK_CELLS; r < (brow + 1) * GA_BLOCK_CELLS && !rc; r++) {
        int64_t lo = r * GA_CELLS_COLS + bcol * GA_BLOCK_CELLS;
        sqlite3_stmt *s = st->blocks_read;
        sqlite3_bind_int64(s, 1, lo);
        sqlite3_bind_int64(s, 2, lo + GA_BLOCK_CELLS - 1);
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
            ga_block_ev ev = {0};
            ga_block_var h = {0};
            h.id = sqlite3_column_int64(s, P_ID);
            ev.x = sqlite3_column_double(s, P_X);
            ev.y = sqlite3_column_double(s, P_Y);
            ga_buf_reset(&rec);
            size_t len = (size_t)sqlite3_column_bytes(s, P_REC);
            const void *rb = sqlite3_column_blob(s, P_REC);
            if (ga_buf_append(&rec, rb ? rb : "", rb ? len : 0)) {
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
                break;
            }
            ga_event_row e;
            if (!ga_cells_rec_read(rec.data, rec.len, &e, &h.doc, 0)) {
                flags |= GA_BLOCK_ROWS;   /* the reader reports it as event_cells' */
                continue;
            }
            h.people = e.people;
            h.time_precision = e.time_precision;
            h.geo_precision = e.geo_precision;
            h.lon = sqlite3_column_type(s, P_LON) == SQLITE_NULL ? ev.x
                                                                 : sqlite3_column_double(s, P_LON);
            h.lat = sqlite3_column_type(s, P_LAT) == SQLITE_NULL ? ev.y
                                                                 : sqlite3_column_double(s, P_LAT);
            double reals[4];
            for (int i = 0; i < 4; i++) {
                if (sqlite3_column_type(s, P_OLON + i) == SQLITE_NULL) continue;
                reals[i] = sqlite3_column_double(s, P_OLON + i);
                h.bits |= GA_BEV_ORIGIN_LON << i;
            }
            int ptype = sqlite3_column_type(s, P_PREC);
            if (ptype == SQLITE_NULL) h.bits |= GA_BEV_GP_NULL;
            if (!text_plain(s, P_DATE, e.event_date) || !text_plain(s, P_TYPE, e.type) ||
                !text_plain(s, P_STATUS, e.status) ||
                (ptype != SQLITE_NULL &&
                 (ptype != SQLITE_INTEGER || sqlite3_column_int64(s, P_PREC) != e.geo_precision)))
                flags |= GA_BLOCK_ROWS;
            ev.key = sort_key(e.event_date, h.id);
            ev.var = (uint32_t)var.len;   /* made relative below */
            if (var.len > UINT32_MAX / 2) flags |= GA_BLOCK_ROWS;
            if (put_var(&var, &e, &h, reals)) {
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
                break;
            }
            ev.var_len = (uint32_t)(var.len - ev.var);
            if (ga_vec_push(&evs, ev)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        }
        if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_cells");
        sqlite3_reset(s);
    }
    if (!rc && evs.n) {
        ga_block_head h = {GA_BLOCK_MAGIC, (uint32_t)evs.n, flags, 0};
        size_t fixed = sizeof h + evs.n * sizeof(ga_block_ev);
        for (size_t i = 0; i < evs.n; i++)
            evs.v[i].var = (uint32_t)(fixed + evs.v[i].var - (sizeof h + i * sizeof(ga_block_ev)));
        rc = ga_buf_append(out, &h, sizeof h);
        if (!rc) rc = ga_buf_append(out, evs.v, evs.n * sizeof(ga_block_ev));
        if (!rc) rc = ga_buf_append(out, var.data, var.len);
        if (rc) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        *n = (int64_t)evs.n;
    }
    ga_vec_free(&evs);
    ga_buf_free(&var);
    ga_buf_free(&rec);
    return rc;
}

/* ---- upkeep -------------------------------------------------------------------- */

ga_rc ga_store_blocks_refresh(ga_store *st, ga_err *err)
{
    GA_VEC(int64_t) todo = {0};
    sqlite3_stmt *s = NULL, *put = NULL, *del = NULL, *clear = NULL;
    ga_buf blob = {0};
    ga_rc rc = ga_store_prepare(st, "SELECT blk FROM event_blocks_dirty", &s, err);
    if (!rc) {
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
            if (ga_vec_push(&todo, sqlite3_column_int64(s, 0)))
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_blocks");
        sqlite3_finalize(s);
    }
    if (!rc && todo.n) {
        rc = ga_store_prepare(st, "INSERT OR REPLACE INTO event_blocks(blk, n, data)"
                              " VALUES(?1, ?2, ?3)", &put, err);
        if (!rc) rc = ga_store_prepare(st, "DELETE FROM event_blocks WHERE blk = ?1", &del, err);
        if (!rc) rc = ga_store_prepare(st, "DELETE FROM event_blocks_dirty WHERE blk = ?1",
                                       &clear, err);
    }
    for (size_t i = 0; i < todo.n && !rc; i++) {
        int64_t n = 0;
        if ((rc = ga_store_blocks_pack(st, todo.v[i], &blob, &n, err))) break;
        sqlite3_stmt *w = n ? put : del;
        sqlite3_bind_int64(w, 1, todo.v[i]);
        if (n) {
            sqlite3_bind_int64(w, 2, n);
            sqlite3_bind_blob(w, 3, blob.data, (int)blob.len, SQLITE_STATIC);
        }
        int src = sqlite3_step(w);
        sqlite3_reset(w);
        if (src == SQLITE_DONE) {
            sqlite3_bind_int64(clear, 1, todo.v[i]);
            src = sqlite3_step(clear);
            sqlite3_reset(clear);
        }
        if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot write event_blocks");
    }
    sqlite3_finalize(put);
    sqlite3_finalize(del);
    sqlite3_finalize(clear);
    ga_buf_free(&blob);
    ga_vec_free(&todo);
    return rc;
}

ga_rc ga_store_blocks_create(ga_store *st, ga_err *err)
{
    ga_rc rc = GA_OK;
    for (size_t i = 0; i < sizeof blocks_schema_sql / sizeof blocks_schema_sql[0] && !rc; i++)
        rc = ga_store_exec(st, blocks_schema_sql[i], err);
    /* made afresh: a table left by an older copy of the schema may be stale */
    if (!rc) rc = ga_store_exec(st, "DELETE FROM event_blocks", err);
    if (!rc) rc = ga_store_exec(st, "INSERT OR IGNORE INTO event_blocks_dirty(blk)"
                                " SELECT DISTINCT " BLOCK_SQL("cell") " FROM event_cells", err);
    if (!rc) rc = ga_store_blocks_refresh(st, err);
    return rc;
}
