/*
 * event_blocks.c: the events of event_cells once more, grouped by block
 * of 10 x 10 cells (0.1 degree, about 11 km) and packed into blobs (the
 * format is in store_int.h: per segment, one blob of what listings show,
 * each text behind an offset, and one of the long texts, which a listing
 * that does not show them never reads), so that a region query reads a
 * few hundred blobs instead of one row per event, and the point-in-polygon
 * test, the sort by date and the rows it returns are plain C over memory
 * (query_blocks.c).
 *
 * Segments. A block's events are split by id into segments, one row of
 * event_blocks each, keyed (blk, lo), lo being the lowest id in it. A
 * segment holds the events of its block whose id lies from its lo up to
 * the next segment's lo (the block's first segment: every id below that);
 * packing puts them in id order and starts a new segment before one would
 * pass the segment cap (GA_BLOCK_SEG_BYTES, one event at least), so no
 * blob grows with its block. New events have higher ids than the old
 * ones: an annotate batch that adds to a block packs again only its last
 * segment, an edit only the segment of the ids it touched, a deleted
 * event's segment shrinks (and goes when empty) where it is. A segment's
 * range is read from event_cells by the block's ten ranges of cells when
 * the block has one segment, else cell by cell through event_cells' key
 * (cell, id), so that the cost follows the segment, not the block; and
 * when every mark of a segment is above the highest id in its blob (the
 * events a batch added), the blob's events are kept and only the rows
 * above it are read (write_span).
 *
 * event_blocks is a cache of event_cells, kept right by marks rather than
 * by rewriting a blob per changed row: triggers on event_cells (which
 * triggers on events keep, whatever program writes events) insert (block,
 * id) of every row inserted, deleted or updated there into
 * event_blocks_dirty, in the transaction that changes the row. A segment
 * is marked when a mark of its block names an id of its range. Whatever
 * transaction later packs a marked segment from event_cells writes its
 * blob(s) and removes the marks of its block together (every marked
 * segment of a block is packed at once, so the ranges the marks were made
 * against hold until the marks go). So in every snapshot of the database a
 * segment either is marked, or its blob is exactly what packing its range
 * of event_cells gives (tests/cli/event_blocks.sh checks that after every
 * kind of write); a block with a mark and no segment is packed whole.
 *
 * Marks are cleared only by geoannot's own writes, before they commit
 * (ga_store_commit packs every marked segment: an annotate batch's, and
 * any left by other programs' writes). A query never writes the file: it
 * packs the marked segments it needs in memory from event_cells, inside
 * its own read snapshot, which costs what reading their rows always cost.
 */
#include "store/query_int.h"

#include <stdlib.h>
#include <string.h>

/* The block of an event_cells cell number c, as SQL. */
#define BLOCK_SQL(c) "((" c ") / 360000 * 3600 + (" c ") % 36000 / 10)"
_Static_assert(GA_CELLS_COLS == 36000 && GA_BLOCK_CELLS == 10 && GA_BLOCKS_COLS == 3600,
               "BLOCK_SQL writes the grid out");

/* Made afresh: the tables and triggers of any older layout go first. */
static const char *const blocks_schema_sql[] = {
    "DROP TRIGGER IF EXISTS event_blocks_insert",
    "DROP TRIGGER IF EXISTS event_blocks_delete",
    "DROP TRIGGER IF EXISTS event_blocks_update",
    "DROP TABLE IF EXISTS event_blocks",
    "DROP TABLE IF EXISTS event_blocks_dirty",
    "CREATE TABLE event_blocks("
    "  blk INTEGER NOT NULL,"          /* block number (store_int.h) */
    "  lo INTEGER NOT NULL,"           /* the lowest event id in the segment */
    "  n INTEGER NOT NULL,"            /* events in it */
    "  data BLOB NOT NULL,"            /* the packed events, their hot parts */
    "  cold BLOB NOT NULL,"            /* their cold parts (store_int.h); empty: none */
    "  PRIMARY KEY(blk, lo))",
    "CREATE TABLE event_blocks_dirty("
    "  blk INTEGER NOT NULL,"          /* a block whose segment holding id may be stale */
    "  id INTEGER NOT NULL,"           /* an event id written in it */
    "  PRIMARY KEY(blk, id)) WITHOUT ROWID",
    "CREATE TRIGGER event_blocks_insert AFTER INSERT ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk, id) VALUES("
    BLOCK_SQL("NEW.cell") ", NEW.id); END",
    "CREATE TRIGGER event_blocks_delete AFTER DELETE ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk, id) VALUES("
    BLOCK_SQL("OLD.cell") ", OLD.id); END",
    "CREATE TRIGGER event_blocks_update AFTER UPDATE ON event_cells"
    " FOR EACH ROW BEGIN INSERT OR IGNORE INTO event_blocks_dirty(blk, id) VALUES("
    BLOCK_SQL("OLD.cell") ", OLD.id), (" BLOCK_SQL("NEW.cell") ", NEW.id); END",
};

/* ---- packing ------------------------------------------------------------------ */

enum { P_ID, P_X, P_Y, P_REC, P_LON, P_LAT, P_OLON, P_OLAT, P_DLON, P_DLAT, P_DATE, P_TYPE,
       P_STATUS, P_PREC, P_CELL };
#define PACK_COLS                                                                      \
    "SELECT id, x, y, rec, lon, lat, origin_lon, origin_lat, dest_lon, dest_lat,"       \
    " event_date, type, status, geo_precision, cell FROM event_cells"

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
    if (id < 0 || (uint64_t)id >> GA_BLOCK_ID_BITS) return UINT64_MAX;
    uint64_t day = GA_BLOCK_UNDATED;
    if (d) {
        unsigned v[3] = {0, 0, 0};   /* year, month, day */
        for (int i = 0, k = 0; i < 10; i++) {
            if (i == 4 || i == 7) {
                if (d[i] != '-') return UINT64_MAX;
                k++;
            } else {
                if (d[i] < '0' || d[i] > '9') return UINT64_MAX;
                v[k] = v[k] * 10 + (unsigned)(d[i] - '0');
            }
        }
        if (d[10] || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31) return UINT64_MAX;
        day = ((uint64_t)v[0] * 12 + v[1] - 1) * 31 + v[2] - 1;
    }
    return day << GA_BLOCK_ID_BITS | (uint64_t)id;
}

/* One event read for packing: its fixed record, where its parts are in
 * the pack's buffers, and what orders it. */
typedef struct {
    int64_t id, cell;
    ga_block_ev ev;            /* ev.var, ev.cold set when a piece is laid out */
    size_t var_at, var_len;    /* its hot part in pack_ctx.var */
    size_t cold_at, cold_len;  /* its cold part in pack_ctx.cold (cold_len 0: none) */
    uint32_t flags;            /* GA_BLOCK_ROWS: needs event_cells' own SQL */
    int left_out;              /* 1: a damaged rec, no record (flags its piece) */
} pack_row;

typedef struct {
    GA_VEC(pack_row) rows;
    ga_buf var, cold, rec;
} pack_ctx;

static void pack_ctx_free(pack_ctx *c)
{
    ga_vec_free(&c->rows);
    ga_buf_free(&c->var);
    ga_buf_free(&c->cold);
    ga_buf_free(&c->rec);
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Append the texts t[0..n) (len[i] bytes each) that are not NULL to b,
 * each with its NUL. */
static ga_rc put_texts(ga_buf *b, const char *const *t, const size_t *len, int n)
{
    ga_rc rc = GA_OK;
    for (int i = 0; i < n && !rc; i++)
        if (t[i]) rc = ga_buf_append(b, t[i], len[i] + 1);
    return rc;
}

/* Append row e's hot part (head: its numbers) to c->var and its cold part
 * (when it has a cold text) to c->cold, each padded to 8 bytes, and note
 * where they are in pr. A hot part past 64 KiB cannot be laid out: it is
 * written without texts and pr flagged, its blob left to event_cells. */
static ga_rc put_parts(pack_ctx *c, pack_row *pr, const ga_event_row *e,
                       const ga_block_var *head, const double reals[4])
{
    static const char zeros[8];
    const char *t[GA_BT_COUNT] = {
        e->event_date, e->type, e->status, e->trigger, e->place_gid, e->place_name, e->kind,
        e->country, e->admin1, e->admin1_pcode, e->admin2, e->admin2_pcode, e->role,
        e->origin_name, e->dest_name, e->actors, e->sentence, e->reason};
    size_t len[GA_BT_COUNT];
    for (int i = 0; i < GA_BT_COUNT; i++) len[i] = t[i] ? strlen(t[i]) : 0;
    /* hot */
    ga_block_var h = *head;
    memset(h.off, 0, sizeof h.off);
    h.pad = 0;
    size_t at = sizeof h;
    for (int i = 0; i < 4; i++) if (h.bits & (GA_BEV_ORIGIN_LON << i)) at += sizeof(double);
    size_t reals_end = at;
    for (int i = 0; i < GA_BT_HOT; i++) {
        if (!t[i]) continue;
        h.off[i] = (uint16_t)at;
        at += len[i] + 1;
    }
    int fits = round8(at) <= UINT16_MAX;
    if (!fits) {
        pr->flags |= GA_BLOCK_ROWS;
        memset(h.off, 0, sizeof h.off);
        at = reals_end;
    }
    h.len = (uint16_t)round8(at);
    pr->var_at = c->var.len;
    pr->var_len = h.len;
    ga_rc rc = ga_buf_reserve(&c->var, h.len);
    if (!rc) rc = ga_buf_append(&c->var, &h, sizeof h);
    for (int i = 0; i < 4 && !rc; i++)
        if (h.bits & (GA_BEV_ORIGIN_LON << i))
            rc = ga_buf_append(&c->var, &reals[i], sizeof reals[i]);
    if (!rc && fits) rc = put_texts(&c->var, t, len, GA_BT_HOT);
    if (!rc && at % 8) rc = ga_buf_append(&c->var, zeros, 8 - at % 8);
    /* cold */
    pr->cold_at = c->cold.len;
    pr->cold_len = 0;
    ga_block_cold k = {{0}, 0};
    at = sizeof k;
    for (int i = GA_BT_HOT; i < GA_BT_COUNT; i++) {
        if (!t[i]) continue;
        k.off[i - GA_BT_HOT] = (uint32_t)at;
        at += len[i] + 1;
    }
    if (rc || at == sizeof k) return rc;
    if (round8(at) > UINT32_MAX / 4) {
        pr->flags |= GA_BLOCK_ROWS;
        return GA_OK;
    }
    k.len = (uint32_t)round8(at);
    pr->cold_len = k.len;
    rc = ga_buf_reserve(&c->cold, k.len);
    if (!rc) rc = ga_buf_append(&c->cold, &k, sizeof k);
    if (!rc) rc = put_texts(&c->cold, t + GA_BT_HOT, len + GA_BT_HOT, GA_BT_COUNT - GA_BT_HOT);
    if (!rc && at % 8) rc = ga_buf_append(&c->cold, zeros, 8 - at % 8);
    return rc;
}

/* Read the rows of s (bound, not yet stepped) into c, and reset s. */
static ga_rc pack_read(ga_store *st, sqlite3_stmt *s, pack_ctx *c, ga_err *err)
{
    ga_rc rc = GA_OK;
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        pack_row pr = {0};
        ga_block_var h = {0};
        h.id = pr.id = sqlite3_column_int64(s, P_ID);
        pr.cell = sqlite3_column_int64(s, P_CELL);
        pr.ev.x = sqlite3_column_double(s, P_X);
        pr.ev.y = sqlite3_column_double(s, P_Y);
        ga_buf_reset(&c->rec);
        size_t len = (size_t)sqlite3_column_bytes(s, P_REC);
        const void *rb = sqlite3_column_blob(s, P_REC);
        if (ga_buf_append(&c->rec, rb ? rb : "", rb ? len : 0)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        ga_event_row e;
        if (!ga_cells_rec_read(c->rec.data, c->rec.len, &e, &h.doc, 0)) {
            /* the reader reports it as event_cells' */
            pr.flags = GA_BLOCK_ROWS;
            pr.left_out = 1;
            if (ga_vec_push(&c->rows, pr)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            continue;
        }
        h.people = e.people;
        h.time_precision = e.time_precision;
        h.geo_precision = e.geo_precision;
        h.lon = sqlite3_column_type(s, P_LON) == SQLITE_NULL ? pr.ev.x
                                                             : sqlite3_column_double(s, P_LON);
        h.lat = sqlite3_column_type(s, P_LAT) == SQLITE_NULL ? pr.ev.y
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
            pr.flags = GA_BLOCK_ROWS;
        pr.ev.key = sort_key(e.event_date, h.id);
        if (put_parts(c, &pr, &e, &h, reals)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        if (ga_vec_push(&c->rows, pr)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_cells");
    sqlite3_reset(s);
    return rc;
}

/* 1 when the hot part at v (avail bytes from it to its blob's end) is
 * laid out as packing writes it: its len within avail and a multiple of
 * 8, every text within it and, when it has one, its last byte a NUL. */
static int var_ok(const ga_block_var *v, size_t avail)
{
    if (avail < sizeof *v) return 0;
    size_t len = v->len;
    int any = 0;
    if (len < sizeof *v || len > avail || len % 8) return 0;
    for (int i = 0; i < GA_BT_HOT; i++) {
        if (!v->off[i]) continue;
        if (v->off[i] < sizeof *v || v->off[i] >= len) return 0;
        any = 1;
    }
    return !any || ((const char *)v)[len - 1] == 0;
}

/* The same for a cold part. */
static int cold_ok(const ga_block_cold *k, size_t avail)
{
    if (avail < sizeof *k) return 0;
    size_t len = k->len;
    if (len < sizeof *k || len > avail || len % 8) return 0;
    int any = 0;
    for (int i = 0; i < GA_BT_COUNT - GA_BT_HOT; i++) {
        if (!k->off[i]) continue;
        if (k->off[i] < sizeof *k || k->off[i] >= len) return 0;
        any = 1;
    }
    return any && ((const char *)k)[len - 1] == 0;
}

/* The events of a segment as packing writes it (unflagged, records in id
 * order): blob (len bytes) and its cold blob (cold_len bytes), into c as
 * if read again; *max_id gets its highest id. Returns 0, leaving c as it
 * was, when they are not such a segment. */
static int blob_rows(const void *blob, size_t len, const void *cold, size_t cold_len,
                     pack_ctx *c, int64_t *max_id)
{
    ga_block_head h;
    if (!blob || len < sizeof h) return 0;
    memcpy(&h, blob, sizeof h);
    if (h.magic != GA_BLOCK_MAGIC || h.flags || !h.n ||
        (len - sizeof h) / sizeof(ga_block_ev) < h.n)
        return 0;
    const unsigned char *base = blob, *cbase = cold;
    size_t n0 = c->rows.n, v0 = c->var.len, k0 = c->cold.len;
    int64_t prev = INT64_MIN;
    for (uint32_t i = 0; i < h.n; i++) {
        pack_row pr = {0};
        size_t at = sizeof h + (size_t)i * sizeof pr.ev;
        memcpy(&pr.ev, base + at, sizeof pr.ev);
        ga_block_var v;
        if (pr.ev.var % 8 || pr.ev.var > len || len - pr.ev.var < sizeof v) goto bad;
        memcpy(&v, base + pr.ev.var, sizeof v);
        if (!var_ok((const ga_block_var *)(base + pr.ev.var), len - pr.ev.var)) goto bad;
        if (i && v.id <= prev) goto bad;
        prev = pr.id = v.id;
        pr.var_at = c->var.len;
        pr.var_len = v.len;
        if (ga_buf_append(&c->var, base + pr.ev.var, v.len)) goto bad;
        pr.cold_at = c->cold.len;
        if (pr.ev.cold != GA_BLOCK_NO_COLD) {
            if (!cbase || pr.ev.cold % 8 || pr.ev.cold > cold_len ||
                !cold_ok((const ga_block_cold *)(cbase + pr.ev.cold), cold_len - pr.ev.cold))
                goto bad;
            ga_block_cold k;
            memcpy(&k, cbase + pr.ev.cold, sizeof k);
            pr.cold_len = k.len;
            if (ga_buf_append(&c->cold, cbase + pr.ev.cold, k.len)) goto bad;
        }
        if (ga_vec_push(&c->rows, pr)) goto bad;
    }
    *max_id = prev;
    return 1;
bad:
    c->rows.n = n0;
    c->var.len = v0;
    if (c->var.cap) c->var.data[v0] = 0;
    c->cold.len = k0;
    if (c->cold.cap) c->cold.data[k0] = 0;
    return 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
    const pack_row *a = pa, *b = pb;
    if (a->id != b->id) return a->id < b->id ? -1 : 1;
    return (a->cell > b->cell) - (a->cell < b->cell);
}

/* Append the segment of rows [i, j) of c to out (a head, the records
 * of the rows not left out, their hot parts) and to cold (their cold
 * parts); flagged when one row is. */
static ga_rc pack_piece(const pack_ctx *c, size_t i, size_t j, ga_buf *out, ga_buf *cold)
{
    size_t n = 0, var = 0, kold = 0;
    uint32_t flags = 0;
    for (size_t k = i; k < j; k++) {
        flags |= c->rows.v[k].flags;
        if (c->rows.v[k].left_out) continue;
        n++;
        var += c->rows.v[k].var_len;
        kold += c->rows.v[k].cold_len;
    }
    size_t fixed = sizeof(ga_block_head) + n * sizeof(ga_block_ev);
    /* offsets are 32 bits: a piece that big is left to event_cells */
    if (fixed + var > UINT32_MAX / 2 || kold > UINT32_MAX / 2) flags |= GA_BLOCK_ROWS;
    ga_block_head h = {GA_BLOCK_MAGIC, (uint32_t)n, flags, 0};
    ga_rc rc = ga_buf_reserve(out, fixed + var);
    if (!rc) rc = ga_buf_reserve(cold, kold);
    if (!rc) rc = ga_buf_append(out, &h, sizeof h);
    var = kold = 0;
    for (size_t k = i; k < j && !rc; k++) {
        const pack_row *r = &c->rows.v[k];
        if (r->left_out) continue;
        ga_block_ev ev = r->ev;
        ev.var = (uint32_t)(fixed + var);
        ev.cold = r->cold_len ? (uint32_t)kold : GA_BLOCK_NO_COLD;
        var += r->var_len;
        kold += r->cold_len;
        rc = ga_buf_append(out, &ev, sizeof ev);
    }
    for (size_t k = i; k < j && !rc; k++) {
        const pack_row *r = &c->rows.v[k];
        if (r->left_out) continue;
        rc = ga_buf_append(out, c->var.data + r->var_at, r->var_len);
        if (!rc && r->cold_len) rc = ga_buf_append(cold, c->cold.data + r->cold_at, r->cold_len);
    }
    return rc;
}

/* Read the rows of block blk with id in [id_lo, id_hi] into c: by the
 * block's ranges of cells, filtering the ids (cost: the block's rows), or,
 * by_cell, for each of its cells the ids sought in the key (cell, id) of
 * event_cells (cost: a seek a cell and the range's rows), for a part of a
 * block of several segments. */
static ga_rc pack_rows(ga_store *st, int64_t blk, int64_t id_lo, int64_t id_hi, int by_cell,
                       pack_ctx *c, ga_err *err)
{
    sqlite3_stmt **s = by_cell ? &st->blocks_seek : &st->blocks_read;
    ga_rc rc = *s ? GA_OK
                  : ga_store_prepare(st, by_cell ? PACK_COLS " WHERE cell = ?1 AND id BETWEEN ?2"
                                                   " AND ?3"
                                                 : PACK_COLS " WHERE cell BETWEEN ?1 AND ?4"
                                                   " AND id BETWEEN ?2 AND ?3", s, err);
    int64_t brow = blk / GA_BLOCKS_COLS, bcol = blk % GA_BLOCKS_COLS;
    int64_t step = by_cell ? 1 : GA_BLOCK_CELLS;
    for (int64_t r = brow * GA_BLOCK_CELLS; r < (brow + 1) * GA_BLOCK_CELLS && !rc; r++) {
        int64_t lo = r * GA_CELLS_COLS + bcol * GA_BLOCK_CELLS;
        for (int64_t cell = lo; cell < lo + GA_BLOCK_CELLS && !rc; cell += step) {
            sqlite3_bind_int64(*s, 1, cell);
            sqlite3_bind_int64(*s, 2, id_lo);
            sqlite3_bind_int64(*s, 3, id_hi);
            if (!by_cell) sqlite3_bind_int64(*s, 4, lo + GA_BLOCK_CELLS - 1);
            rc = pack_read(st, *s, c, err);
        }
    }
    return rc;
}

/* 1 when span sp is best read cell by cell (pack_rows): a part of a block
 * of several segments, whose other rows may be many. */
static int span_by_cell(const ga_block_span *sp)
{
    return sp->nsegs > 1;
}

/* Lay the rows of c out in id order as pieces of at most cap bytes. */
static ga_rc pack_split(pack_ctx *c, size_t cap, ga_buf *out, ga_buf *cold,
                        ga_block_pieces *pieces)
{
    ga_buf_reset(out);
    ga_buf_reset(cold);
    pieces->n = 0;
    if (c->rows.n > 1) qsort(c->rows.v, c->rows.n, sizeof *c->rows.v, cmp_rows);
    ga_rc rc = GA_OK;
    for (size_t i = 0; i < c->rows.n && !rc;) {
        /* one event at least, then while the blob stays within cap (rows
         * left out take no room) */
        size_t j = i, bytes = sizeof(ga_block_head), n = 0;
        for (; j < c->rows.n; j++) {
            const pack_row *r = &c->rows.v[j];
            size_t add = r->left_out ? 0 : sizeof(ga_block_ev) + r->var_len + r->cold_len;
            if (n && add && bytes + add > cap) break;
            bytes += add;
            n += !r->left_out;
        }
        ga_block_piece p = {c->rows.v[i].id, (int64_t)n, out->len, 0, cold->len, 0};
        rc = pack_piece(c, i, j, out, cold);
        p.len = out->len - p.off;
        p.cold_len = cold->len - p.cold_off;
        if (!rc) rc = ga_vec_push(pieces, p);
        i = j;
    }
    return rc;
}

ga_rc ga_store_blocks_pack(ga_store *st, const ga_block_span *sp, size_t cap, ga_buf *out,
                           ga_buf *cold, ga_block_pieces *pieces, ga_err *err)
{
    pack_ctx c = {0};
    ga_rc rc = pack_rows(st, sp->blk, sp->id_lo, sp->id_hi, span_by_cell(sp), &c, err);
    if (!rc && pack_split(&c, cap, out, cold, pieces)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    pack_ctx_free(&c);
    return rc;
}

/* ---- marks and segments -------------------------------------------------------- */

ga_rc ga_store_blocks_dirty_spans(ga_store *st, int64_t blk, const int64_t *ids, size_t n,
                                  ga_block_spans *out, ga_err *err)
{
    if (!n) return GA_OK;
    GA_VEC(int64_t) segs = {0};
    ga_rc rc = st->blocks_segs ? GA_OK
                               : ga_store_prepare(st, "SELECT lo FROM event_blocks WHERE blk = ?1"
                                                  " ORDER BY lo", &st->blocks_segs, err);
    if (rc) return rc;
    sqlite3_stmt *s = st->blocks_segs;
    sqlite3_bind_int64(s, 1, blk);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
        if (ga_vec_push(&segs, sqlite3_column_int64(s, 0)))
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_blocks");
    sqlite3_reset(s);
    if (!rc && !segs.n) {
        ga_block_span sp = {blk, 0, 0, INT64_MIN, INT64_MAX, ids[0], 0};
        if (ga_vec_push(out, sp)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    /* ids ascend: the segment of each is the last one whose lo is not
     * above it (the first one for ids below every lo) */
    size_t k = 0, last = SIZE_MAX;
    for (size_t i = 0; i < n && segs.n && !rc; i++) {
        while (k + 1 < segs.n && segs.v[k + 1] <= ids[i]) k++;
        if (k == last) continue;
        last = k;
        ga_block_span sp = {blk, 1, segs.v[k], k ? segs.v[k] : INT64_MIN,
                            k + 1 < segs.n ? segs.v[k + 1] - 1 : INT64_MAX, ids[i],
                            (int64_t)segs.n};
        if (ga_vec_push(out, sp)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    ga_vec_free(&segs);
    return rc;
}

/* The segment cap of st: GA_BLOCK_SEG_BYTES, or $GEOANNOT_BLOCK_BYTES
 * when set to a number of at least 64 (tests make many small segments
 * with it, tests/cli/event_blocks.sh). Any cap reads right; it decides
 * only where packing splits. */
static size_t seg_cap(ga_store *st)
{
    if (!st->blocks_cap) {
        const char *env = getenv("GEOANNOT_BLOCK_BYTES");
        char *end = NULL;
        unsigned long long v = env ? strtoull(env, &end, 10) : 0;
        st->blocks_cap = env && *env && !*end && v >= 64 && v <= GA_BLOCK_SEG_MAX
                             ? (size_t)v : GA_BLOCK_SEG_BYTES;
    }
    return st->blocks_cap;
}

/* The statements and memory of one round of packing. */
typedef struct {
    sqlite3_stmt *get, *put, *drop, *clear;
    ga_buf blob, cold, old, old_cold;
    ga_block_pieces pieces;
} writer;

static void writer_free(writer *w)
{
    sqlite3_finalize(w->get);
    sqlite3_finalize(w->put);
    sqlite3_finalize(w->drop);
    sqlite3_finalize(w->clear);
    ga_buf_free(&w->blob);
    ga_buf_free(&w->cold);
    ga_buf_free(&w->old);
    ga_buf_free(&w->old_cold);
    ga_vec_free(&w->pieces);
}

static ga_rc writer_prepare(ga_store *st, writer *w, ga_err *err)
{
    ga_rc rc = ga_store_prepare(st, "SELECT data, cold FROM event_blocks WHERE blk = ?1 AND lo = ?2",
                                &w->get, err);
    if (!rc) rc = ga_store_prepare(st, "INSERT INTO event_blocks(blk, lo, n, data, cold)"
                                   " VALUES(?1, ?2, ?3, ?4, ?5)", &w->put, err);
    if (!rc) rc = ga_store_prepare(st, "DELETE FROM event_blocks WHERE blk = ?1 AND lo = ?2",
                                   &w->drop, err);
    if (!rc) rc = ga_store_prepare(st, "DELETE FROM event_blocks_dirty WHERE blk = ?1",
                                   &w->clear, err);
    return rc;
}

/* Pack span sp from event_cells and write its segments in place of the
 * one it had. When every mark of the span is above the highest id of the
 * segment's blob (events added since it was packed: annotate's batches
 * adding to a block), the blob's events are taken from it, which equals
 * packing them (it is not marked for them), and only the rows above are
 * read; a first piece that comes out as the blob was is not written again
 * (a full segment followed by new ones). */
static ga_rc write_span(ga_store *st, writer *w, const ga_block_span *sp, ga_err *err)
{
    pack_ctx c = {0};
    ga_rc rc = GA_OK;
    int64_t from = sp->id_lo;
    ga_buf_reset(&w->old);
    ga_buf_reset(&w->old_cold);
    if (sp->has_seg) {
        sqlite3_bind_int64(w->get, 1, sp->blk);
        sqlite3_bind_int64(w->get, 2, sp->seg);
        int src = sqlite3_step(w->get);
        if (src == SQLITE_ROW) {
            const void *b = sqlite3_column_blob(w->get, 0);
            size_t len = (size_t)sqlite3_column_bytes(w->get, 0);
            const void *k = sqlite3_column_blob(w->get, 1);
            size_t klen = (size_t)sqlite3_column_bytes(w->get, 1);
            if ((b && ga_buf_append(&w->old, b, len)) || (k && ga_buf_append(&w->old_cold, k, klen)))
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        } else if (src != SQLITE_DONE) {
            rc = ga_store_fail(st, err, src, "cannot read event_blocks");
        }
        sqlite3_reset(w->get);
        int64_t max_id = 0;
        if (!rc && blob_rows(w->old.data, w->old.len, w->old_cold.data, w->old_cold.len, &c,
                             &max_id)) {
            if (sp->mark_min > max_id) {
                from = max_id + 1;
            } else {
                c.rows.n = 0;
                ga_buf_reset(&c.var);
                ga_buf_reset(&c.cold);
            }
        }
    }
    if (!rc) rc = pack_rows(st, sp->blk, from, sp->id_hi, span_by_cell(sp), &c, err);
    if (!rc && pack_split(&c, seg_cap(st), &w->blob, &w->cold, &w->pieces))
        rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    pack_ctx_free(&c);
    size_t first = 0;
    int src = SQLITE_DONE;
    if (!rc && sp->has_seg) {
        const ga_block_piece *p = w->pieces.v;
        if (w->pieces.n && p->lo == sp->seg && p->len == w->old.len &&
            memcmp(w->blob.data + p->off, w->old.data, p->len) == 0 &&
            p->cold_len == w->old_cold.len &&
            (!p->cold_len || memcmp(w->cold.data + p->cold_off, w->old_cold.data, p->cold_len) == 0)) {
            first = 1;   /* the segment as it was */
        } else {
            sqlite3_bind_int64(w->drop, 1, sp->blk);
            sqlite3_bind_int64(w->drop, 2, sp->seg);
            src = sqlite3_step(w->drop);
            sqlite3_reset(w->drop);
        }
    }
    for (size_t i = first; i < w->pieces.n && !rc && src == SQLITE_DONE; i++) {
        const ga_block_piece *p = &w->pieces.v[i];
        sqlite3_bind_int64(w->put, 1, sp->blk);
        sqlite3_bind_int64(w->put, 2, p->lo);
        sqlite3_bind_int64(w->put, 3, p->n);
        sqlite3_bind_blob64(w->put, 4, w->blob.data + p->off, p->len, SQLITE_STATIC);
        sqlite3_bind_blob64(w->put, 5, p->cold_len ? w->cold.data + p->cold_off : "", p->cold_len,
                            SQLITE_STATIC);
        src = sqlite3_step(w->put);
        sqlite3_reset(w->put);
    }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot write event_blocks");
    return rc;
}

ga_rc ga_store_blocks_refresh(ga_store *st, ga_err *err)
{
    typedef struct { int64_t blk, id; } mark;
    GA_VEC(mark) marks = {0};
    GA_VEC(int64_t) ids = {0};
    ga_block_spans spans = {0};
    writer w = {0};
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT blk, id FROM event_blocks_dirty ORDER BY blk, id",
                                &s, err);
    if (!rc) {
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
            mark m = {sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1)};
            if (ga_vec_push(&marks, m)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        }
        if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_blocks");
        sqlite3_finalize(s);
    }
    if (!rc && marks.n) rc = writer_prepare(st, &w, err);
    for (size_t i = 0; i < marks.n && !rc;) {
        /* one block: its marked segments, then its marks */
        int64_t blk = marks.v[i].blk;
        ids.n = spans.n = 0;
        for (; i < marks.n && marks.v[i].blk == blk && !rc; i++)
            if (ga_vec_push(&ids, marks.v[i].id)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        if (!rc) rc = ga_store_blocks_dirty_spans(st, blk, ids.v, ids.n, &spans, err);
        for (size_t k = 0; k < spans.n && !rc; k++) rc = write_span(st, &w, &spans.v[k], err);
        if (rc) break;
        sqlite3_bind_int64(w.clear, 1, blk);
        int src = sqlite3_step(w.clear);
        sqlite3_reset(w.clear);
        if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot write event_blocks");
    }
    writer_free(&w);
    ga_vec_free(&spans);
    ga_vec_free(&ids);
    ga_vec_free(&marks);
    return rc;
}

ga_rc ga_store_blocks_create(ga_store *st, ga_err *err)
{
    ga_rc rc = GA_OK;
    for (size_t i = 0; i < sizeof blocks_schema_sql / sizeof blocks_schema_sql[0] && !rc; i++)
        rc = ga_store_exec(st, blocks_schema_sql[i], err);
    /* every block that has events, packed whole */
    GA_VEC(int64_t) blks = {0};
    sqlite3_stmt *s = NULL;
    if (!rc) rc = ga_store_prepare(st, "SELECT DISTINCT " BLOCK_SQL("cell") " FROM event_cells"
                                   " ORDER BY 1", &s, err);
    if (!rc) {
        int src = SQLITE_DONE;
        while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
            if (ga_vec_push(&blks, sqlite3_column_int64(s, 0)))
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_cells");
    }
    sqlite3_finalize(s);
    writer w = {0};
    if (!rc && blks.n) rc = writer_prepare(st, &w, err);
    for (size_t i = 0; i < blks.n && !rc; i++) {
        ga_block_span sp = {blks.v[i], 0, 0, INT64_MIN, INT64_MAX, INT64_MIN, 0};
        rc = write_span(st, &w, &sp, err);
    }
    writer_free(&w);
    ga_vec_free(&blks);
    return rc;
}
