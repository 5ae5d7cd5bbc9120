#define _GNU_SOURCE
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

/* One event read for packing: its numbers, where its texts are in the
 * pack's buffers, and what orders it. */
typedef struct {
    int64_t id, cell, doc, people;
    double x, y, lon, lat, reals[4];
    uint64_t key;
    int32_t time_precision, geo_precision;
    uint32_t bits;             /* GA_BEV_ORIGIN_LON .. GA_BEV_GP_NULL */
    size_t txt[GA_BT_HOT];     /* hot text i in pack_ctx.var (SIZE_MAX: NULL) */
    size_t cold_at, cold_len;  /* its cold part in pack_ctx.cold (cold_len 0: none) */
    uint32_t flags;            /* GA_BLOCK_ROWS: needs event_cells' own SQL */
    int left_out;              /* 1: a damaged rec, no record (flags its piece) */
} pack_row;

typedef struct {
    GA_VEC(pack_row) rows;
    ga_buf var, cold, rec;     /* var: the rows' hot texts, each with its NUL */
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

/* Keep the texts t of row pr: the hot ones in c->var, the cold part
 * (when it has a cold text) in c->cold, padded to 8 bytes. */
static ga_rc put_parts(pack_ctx *c, pack_row *pr, const char *const t[GA_BT_COUNT],
                       const size_t len[GA_BT_COUNT])
{
    static const char zeros[8];
    ga_rc rc = GA_OK;
    for (int i = 0; i < GA_BT_HOT && !rc; i++) {
        pr->txt[i] = t[i] ? c->var.len : SIZE_MAX;
        if (t[i]) rc = ga_buf_append(&c->var, t[i], len[i] + 1);
    }
    pr->cold_at = c->cold.len;
    pr->cold_len = 0;
    ga_block_cold k = {{0}, 0};
    size_t at = sizeof k;
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

/* The texts of e in GA_BT_ order, and their lengths. */
static void row_texts(const ga_event_row *e, const char *t[GA_BT_COUNT], size_t len[GA_BT_COUNT])
{
    const char *v[GA_BT_COUNT] = {
        [GA_BT_DATE] = e->event_date, [GA_BT_PLACE_NAME] = e->place_name,
        [GA_BT_ORIGIN_NAME] = e->origin_name, [GA_BT_DEST_NAME] = e->dest_name,
        [GA_BT_TYPE] = e->type, [GA_BT_STATUS] = e->status, [GA_BT_TRIGGER] = e->trigger,
        [GA_BT_ROLE] = e->role, [GA_BT_PLACE_GID] = e->place_gid, [GA_BT_KIND] = e->kind,
        [GA_BT_COUNTRY] = e->country, [GA_BT_ADMIN1] = e->admin1,
        [GA_BT_ADMIN1_PCODE] = e->admin1_pcode, [GA_BT_ADMIN2] = e->admin2,
        [GA_BT_ADMIN2_PCODE] = e->admin2_pcode, [GA_BT_ACTORS] = e->actors,
        [GA_BT_SENTENCE] = e->sentence, [GA_BT_REASON] = e->reason};
    for (int i = 0; i < GA_BT_COUNT; i++) {
        t[i] = v[i];
        len[i] = v[i] ? strlen(v[i]) : 0;
    }
}

/* Read the rows of s (bound, not yet stepped) into c, and reset s. */
static ga_rc pack_read(ga_store *st, sqlite3_stmt *s, pack_ctx *c, ga_err *err)
{
    ga_rc rc = GA_OK;
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        pack_row pr = {0};
        pr.id = sqlite3_column_int64(s, P_ID);
        pr.cell = sqlite3_column_int64(s, P_CELL);
        pr.x = sqlite3_column_double(s, P_X);
        pr.y = sqlite3_column_double(s, P_Y);
        ga_buf_reset(&c->rec);
        size_t len = (size_t)sqlite3_column_bytes(s, P_REC);
        const void *rb = sqlite3_column_blob(s, P_REC);
        if (ga_buf_append(&c->rec, rb ? rb : "", rb ? len : 0)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        ga_event_row e;
        if (!ga_cells_rec_read(c->rec.data, c->rec.len, &e, &pr.doc, 0)) {
            /* the reader reports it as event_cells' */
            pr.flags = GA_BLOCK_ROWS;
            pr.left_out = 1;
            if (ga_vec_push(&c->rows, pr)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            continue;
        }
        pr.people = e.people;
        pr.time_precision = e.time_precision;
        pr.geo_precision = e.geo_precision;
        pr.lon = sqlite3_column_type(s, P_LON) == SQLITE_NULL ? pr.x : sqlite3_column_double(s, P_LON);
        pr.lat = sqlite3_column_type(s, P_LAT) == SQLITE_NULL ? pr.y : sqlite3_column_double(s, P_LAT);
        for (int i = 0; i < 4; i++) {
            if (sqlite3_column_type(s, P_OLON + i) == SQLITE_NULL) continue;
            pr.reals[i] = sqlite3_column_double(s, P_OLON + i);
            pr.bits |= GA_BEV_ORIGIN_LON << i;
        }
        int ptype = sqlite3_column_type(s, P_PREC);
        if (ptype == SQLITE_NULL) pr.bits |= GA_BEV_GP_NULL;
        if (!text_plain(s, P_DATE, e.event_date) || !text_plain(s, P_TYPE, e.type) ||
            !text_plain(s, P_STATUS, e.status) ||
            (ptype != SQLITE_NULL &&
             (ptype != SQLITE_INTEGER || sqlite3_column_int64(s, P_PREC) != e.geo_precision)))
            pr.flags = GA_BLOCK_ROWS;
        /* what the record cannot hold */
        if (pr.doc < 0 || pr.doc > UINT32_MAX || pr.people < INT32_MIN || pr.people > INT32_MAX ||
            pr.time_precision < 0 || pr.time_precision > UINT8_MAX || pr.geo_precision < 0 ||
            pr.geo_precision > UINT8_MAX)
            pr.flags = GA_BLOCK_ROWS;
        pr.key = sort_key(e.event_date, pr.id);
        const char *t[GA_BT_COUNT];
        size_t tl[GA_BT_COUNT];
        row_texts(&e, t, tl);
        if (put_parts(c, &pr, t, tl)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        if (ga_vec_push(&c->rows, pr)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_cells");
    sqlite3_reset(s);
    return rc;
}

/* 1 when the cold part at k (avail bytes from it to its blob's end) is
 * laid out as packing writes it: its len within avail and a multiple of
 * 8, every text within it, its last byte a NUL. */
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

/* Text offset o of a blob of len bytes whose texts start at tstart, as
 * packing writes it (0, or a text that ends in a NUL within the blob),
 * into c->var; *at gets where (SIZE_MAX: NULL). Returns 0 when it is not. */
static int blob_text(const unsigned char *base, size_t len, size_t tstart, uint32_t o,
                     pack_ctx *c, size_t *at)
{
    *at = SIZE_MAX;
    if (!o) return 1;
    if (o < tstart || o >= len) return 0;
    const char *s = (const char *)base + o;
    size_t n = strnlen(s, len - o);
    if (n == len - o) return 0;
    *at = c->var.len;
    return ga_buf_append(&c->var, s, n + 1) == GA_OK;
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
    if (h.magic != GA_BLOCK_MAGIC || h.flags || !h.n || h.nwhat > UINT16_MAX + 1u ||
        h.nwhere > UINT16_MAX + 1u)
        return 0;
    size_t tstart = sizeof h + (size_t)h.n * sizeof(ga_block_rec) +
                    (size_t)h.nwhat * GA_BLOCK_WHAT * 4 + (size_t)h.nwhere * GA_BLOCK_WHERE * 4;
    if (tstart > len) return 0;
    const unsigned char *base = blob, *cbase = cold;
    const unsigned char *what = base + sizeof h + (size_t)h.n * sizeof(ga_block_rec);
    const unsigned char *where = what + (size_t)h.nwhat * GA_BLOCK_WHAT * 4;
    size_t n0 = c->rows.n, v0 = c->var.len, k0 = c->cold.len;
    int64_t prev = INT64_MIN;
    for (uint32_t i = 0; i < h.n; i++) {
        pack_row pr = {0};
        ga_block_rec r;
        memcpy(&r, base + sizeof h + (size_t)i * sizeof r, sizeof r);
        if (r.what >= h.nwhat || r.where >= h.nwhere ||
            !(r.bits & GA_BEV_ID) != (r.key != UINT64_MAX) ||
            (r.key != UINT64_MAX && (r.date || r.key >> GA_BLOCK_ID_BITS > GA_BLOCK_UNDATED)))
            goto bad;
        uint32_t off[GA_BT_HOT] = {r.date, r.place_name, r.origin_name, r.dest_name};
        memcpy(off + GA_BT_WHAT, what + (size_t)r.what * GA_BLOCK_WHAT * 4, GA_BLOCK_WHAT * 4);
        memcpy(off + GA_BT_WHERE, where + (size_t)r.where * GA_BLOCK_WHERE * 4,
               (GA_BT_HOT - GA_BT_WHERE) * 4);
        for (int k = 0; k < GA_BT_HOT; k++)
            if (!blob_text(base, len, tstart, off[k], c, &pr.txt[k])) goto bad;
        uint64_t day = r.key >> GA_BLOCK_ID_BITS;
        if (r.key != UINT64_MAX && day != GA_BLOCK_UNDATED) {
            char d[11];
            ga_block_day_text(day, d);
            pr.txt[GA_BT_DATE] = c->var.len;
            if (ga_buf_append(&c->var, d, sizeof d)) goto bad;
        }
        pr.x = r.x;
        pr.y = r.y;
        pr.key = r.key;
        pr.doc = r.doc;
        pr.people = r.people;
        pr.time_precision = r.time_precision;
        pr.geo_precision = r.geo_precision;
        pr.bits = r.bits & ~(uint32_t)(GA_BEV_ID | GA_BEV_POINT);
        pr.lon = r.x;
        pr.lat = r.y;
        /* the extra part */
        size_t x = r.extra, need = 8 * (size_t)ga_block_extra_words(r.bits);
        if (!!x != !!need || (x && (x % 8 || x < tstart || x > len || len - x < need))) goto bad;
        if (r.bits & GA_BEV_ID) { memcpy(&pr.id, base + x, 8); x += 8; }
        else pr.id = (int64_t)(r.key & (((uint64_t)1 << GA_BLOCK_ID_BITS) - 1));
        if (r.bits & GA_BEV_POINT) {
            memcpy(&pr.lon, base + x, 8);
            memcpy(&pr.lat, base + x + 8, 8);
            x += 16;
        }
        for (int k = 0; k < 4; k++)
            if (r.bits & (GA_BEV_ORIGIN_LON << k)) { memcpy(&pr.reals[k], base + x, 8); x += 8; }
        if (pr.key != sort_key(pr.txt[GA_BT_DATE] == SIZE_MAX ? NULL
                                                              : c->var.data + pr.txt[GA_BT_DATE],
                               pr.id))
            goto bad;
        if (i && pr.id <= prev) goto bad;
        prev = pr.id;
        pr.cold_at = c->cold.len;
        if (r.cold != GA_BLOCK_NO_COLD) {
            if (!cbase || r.cold % 8 || r.cold > cold_len ||
                !cold_ok((const ga_block_cold *)(cbase + r.cold), cold_len - r.cold))
                goto bad;
            ga_block_cold k;
            memcpy(&k, cbase + r.cold, sizeof k);
            pr.cold_len = k.len;
            if (ga_buf_append(&c->cold, cbase + r.cold, k.len)) goto bad;
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

/* ---- laying a segment out ---------------------------------------------------- */

/* A set of open addressing on a 64-bit hash; a slot's val is its item's
 * number + 1 (0: empty). */
typedef struct {
    uint64_t h;
    uint32_t val;
} slot;

typedef struct {
    slot *v;
    size_t cap, n;
} hset;

/* The texts and table entries of the segment being laid out, each once. */
typedef struct {
    const pack_ctx *c;
    ga_buf pool;                   /* the texts, each with its NUL */
    GA_VEC(uint32_t) tpos;         /* text i's offset in pool */
    GA_VEC(uint32_t) what, where;  /* the tables: text numbers + 1 (0: NULL) */
    hset texts, whats, wheres;
    size_t extra, cold;            /* bytes of extra and cold parts */
    size_t n;                      /* records */
} layout;

static void layout_free(layout *L)
{
    ga_buf_free(&L->pool);
    ga_vec_free(&L->tpos);
    ga_vec_free(&L->what);
    ga_vec_free(&L->where);
    free(L->texts.v);
    free(L->whats.v);
    free(L->wheres.v);
}

static void layout_reset(layout *L)
{
    ga_buf_reset(&L->pool);
    L->tpos.n = L->what.n = L->where.n = 0;
    L->texts.n = L->whats.n = L->wheres.n = 0;
    if (L->texts.v) memset(L->texts.v, 0, L->texts.cap * sizeof(slot));
    if (L->whats.v) memset(L->whats.v, 0, L->whats.cap * sizeof(slot));
    if (L->wheres.v) memset(L->wheres.v, 0, L->wheres.cap * sizeof(slot));
    L->extra = L->cold = L->n = 0;
}

/* The slot of hash h in s where eq(item) holds, or the empty slot where
 * it would go. */
typedef int (*item_eq)(const layout *L, uint32_t item, const void *key);

static slot *hset_find(const layout *L, const hset *s, uint64_t h, item_eq eq, const void *key)
{
    size_t j = (size_t)h & (s->cap - 1);
    while (s->v[j].val && !(s->v[j].h == h && eq(L, s->v[j].val - 1, key)))
        j = (j + 1) & (s->cap - 1);
    return &s->v[j];
}

/* Room in s for one more item (a load of at most half). */
static ga_rc hset_room(hset *s)
{
    if (2 * (s->n + 1) <= s->cap) return GA_OK;
    size_t cap = s->cap ? 2 * s->cap : 256;
    slot *v = calloc(cap, sizeof *v);
    if (!v) return GA_ENOMEM;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->v[i].val) continue;
        size_t j = (size_t)s->v[i].h & (cap - 1);
        while (v[j].val) j = (j + 1) & (cap - 1);
        v[j] = s->v[i];
    }
    free(s->v);
    s->v = v;
    s->cap = cap;
    return GA_OK;
}

typedef struct {
    const char *s;
    size_t n;                  /* bytes, its NUL not counted */
} text_key;

static int text_eq(const layout *L, uint32_t item, const void *key)
{
    const text_key *k = key;
    const char *p = L->pool.data + L->tpos.v[item];
    return strlen(p) == k->n && memcmp(p, k->s, k->n) == 0;
}

static int what_eq(const layout *L, uint32_t item, const void *key)
{
    return memcmp(L->what.v + (size_t)item * GA_BLOCK_WHAT, key, GA_BLOCK_WHAT * 4) == 0;
}

static int where_eq(const layout *L, uint32_t item, const void *key)
{
    return memcmp(L->where.v + (size_t)item * GA_BLOCK_WHERE, key, GA_BLOCK_WHERE * 4) == 0;
}

/* The number + 1 of text i of row r (0: NULL) when it is in L; with put,
 * added when it is not (*added: its bytes), else UINT32_MAX when it is
 * not. */
static uint32_t text_ref(layout *L, const pack_row *r, int i, int put, size_t *added, ga_rc *rc)
{
    if (r->txt[i] == SIZE_MAX) return 0;
    text_key k = {L->c->var.data + r->txt[i], strlen(L->c->var.data + r->txt[i])};
    uint64_t h = ga_hash64(k.s, k.n);
    slot *sl = L->texts.cap ? hset_find(L, &L->texts, h, text_eq, &k) : NULL;
    if (sl && sl->val) return sl->val;
    *added += k.n + 1;
    if (!put) return UINT32_MAX;
    if ((*rc = hset_room(&L->texts))) return 0;
    sl = hset_find(L, &L->texts, h, text_eq, &k);
    uint32_t pos = (uint32_t)L->pool.len;
    if ((*rc = ga_buf_append(&L->pool, k.s, k.n + 1)) || (*rc = ga_vec_push(&L->tpos, pos)))
        return 0;
    sl->h = h;
    sl->val = (uint32_t)L->tpos.n;
    L->texts.n++;
    return sl->val;
}

/* The number of the table entry e (w offsets) in set s of table t; with
 * put, added when it is not (*added: its bytes), else UINT32_MAX when it
 * is not (or when any of e is UINT32_MAX: a text not yet in L). */
static uint32_t entry_ref(layout *L, hset *s, void *tv, item_eq eq, const uint32_t *e, size_t w,
                          int put, size_t *added, ga_rc *rc)
{
    GA_VEC(uint32_t) *t = tv;
    int known = 1;
    for (size_t k = 0; k < w; k++) known &= e[k] != UINT32_MAX;
    uint64_t h = ga_hash64(e, w * 4);
    slot *sl = known && s->cap ? hset_find(L, s, h, eq, e) : NULL;
    if (sl && sl->val) return sl->val - 1;
    *added += w * 4;
    if (!put) return UINT32_MAX;
    if ((*rc = hset_room(s))) return 0;
    sl = hset_find(L, s, h, eq, e);
    for (size_t k = 0; k < w && !*rc; k++) *rc = ga_vec_push(t, e[k]);
    if (*rc) return 0;
    sl->h = h;
    sl->val = (uint32_t)(t->n / w);
    s->n++;
    return sl->val - 1;
}

/* 1 when row r's lon, lat are not its x, y (to the bit). */
static int own_point(const pack_row *r)
{
    return memcmp(&r->lon, &r->x, 8) != 0 || memcmp(&r->lat, &r->y, 8) != 0;
}

/* Bytes of the extra part of row r. */
static size_t extra_bytes(const pack_row *r)
{
    return 8 * (size_t)ga_block_extra_words(r->bits | (r->key == UINT64_MAX ? GA_BEV_ID : 0) |
                                            (own_point(r) ? GA_BEV_POINT : 0));
}

/* Take row r into L: its texts and table entries (with put; else only
 * what it would add). Returns the bytes it adds to the segment, or 0 when
 * a table would pass 65,536 entries; *rec (with put) gets its record,
 * text offsets as text numbers + 1, table entries by number. */
static size_t layout_row(layout *L, const pack_row *r, int put, ga_block_rec *rec, ga_rc *rc)
{
    size_t added = sizeof(ga_block_rec) + extra_bytes(r) + r->cold_len;
    uint32_t ref[GA_BT_HOT];
    /* a key that holds the date's day gives the date */
    for (int i = r->key != UINT64_MAX ? 1 : 0; i < GA_BT_HOT; i++)
        ref[i] = text_ref(L, r, i, put, &added, rc);
    if (r->key != UINT64_MAX) ref[GA_BT_DATE] = 0;
    if (*rc) return 0;
    uint32_t wh[GA_BLOCK_WHERE] = {0};
    memcpy(wh, ref + GA_BT_WHERE, (GA_BT_HOT - GA_BT_WHERE) * 4);
    size_t before = added;
    uint32_t what = entry_ref(L, &L->whats, &L->what, what_eq, ref + GA_BT_WHAT, GA_BLOCK_WHAT,
                              put, &added, rc);
    int new_what = added != before;
    before = added;
    uint32_t where = entry_ref(L, &L->wheres, &L->where, where_eq, wh, GA_BLOCK_WHERE, put,
                               &added, rc);
    int new_where = added != before;
    if (*rc) return 0;
    if ((new_what && L->what.n / GA_BLOCK_WHAT + !put > UINT16_MAX + 1u) ||
        (new_where && L->where.n / GA_BLOCK_WHERE + !put > UINT16_MAX + 1u))
        return 0;
    if (!put) return added;
    memset(rec, 0, sizeof *rec);
    rec->x = r->x;
    rec->y = r->y;
    rec->key = r->key;
    rec->doc = (uint32_t)r->doc;
    rec->people = (int32_t)r->people;
    rec->date = ref[GA_BT_DATE];
    rec->place_name = ref[GA_BT_PLACE_NAME];
    rec->origin_name = ref[GA_BT_ORIGIN_NAME];
    rec->dest_name = ref[GA_BT_DEST_NAME];
    rec->what = (uint16_t)what;
    rec->where = (uint16_t)where;
    rec->time_precision = (uint8_t)r->time_precision;
    rec->geo_precision = (uint8_t)r->geo_precision;
    rec->bits = (uint16_t)(r->bits | (r->key == UINT64_MAX ? GA_BEV_ID : 0) |
                           (own_point(r) ? GA_BEV_POINT : 0));
    L->extra += extra_bytes(r);
    L->cold += r->cold_len;
    L->n++;
    return added;
}

/* The blob offset of a text number + 1 (0: NULL) of L, its texts at tstart. */
static uint32_t text_at(const layout *L, uint32_t ref, size_t tstart)
{
    return ref ? (uint32_t)(tstart + L->tpos.v[ref - 1]) : 0;
}

/* Append the segment of rows [i, j) of c, laid out in L (their records
 * in recs), to out (head, records, tables, texts, extra parts) and to
 * cold (their cold parts); flagged when one row is. */
static ga_rc pack_piece(const pack_ctx *c, size_t i, size_t j, const layout *L,
                        ga_block_rec *recs, ga_buf *out, ga_buf *cold)
{
    static const char zeros[8];
    uint32_t flags = 0;
    for (size_t k = i; k < j; k++) flags |= c->rows.v[k].flags;
    size_t nwhat = L->what.n / GA_BLOCK_WHAT, nwhere = L->where.n / GA_BLOCK_WHERE;
    size_t tstart = sizeof(ga_block_head) + L->n * sizeof(ga_block_rec) +
                    nwhat * GA_BLOCK_WHAT * 4 + nwhere * GA_BLOCK_WHERE * 4;
    size_t xstart = round8(tstart + L->pool.len), total = xstart + L->extra;
    /* offsets are 32 bits: a piece that big is left to event_cells */
    if (total > UINT32_MAX / 2 || L->cold > UINT32_MAX / 2) flags |= GA_BLOCK_ROWS;
    ga_block_head h = {GA_BLOCK_MAGIC, (uint32_t)L->n, flags, (uint32_t)nwhat, (uint32_t)nwhere,
                       {0}};
    ga_rc rc = ga_buf_reserve(out, total);
    if (!rc) rc = ga_buf_reserve(cold, L->cold);
    if (!rc) rc = ga_buf_append(out, &h, sizeof h);
    size_t x = xstart, kold = 0, m = 0;
    for (size_t k = i; k < j && !rc; k++) {
        const pack_row *r = &c->rows.v[k];
        if (r->left_out) continue;
        ga_block_rec rec = recs[m++];
        rec.date = text_at(L, rec.date, tstart);
        rec.place_name = text_at(L, rec.place_name, tstart);
        rec.origin_name = text_at(L, rec.origin_name, tstart);
        rec.dest_name = text_at(L, rec.dest_name, tstart);
        size_t xb = extra_bytes(r);
        rec.extra = xb ? (uint32_t)x : 0;
        x += xb;
        rec.cold = r->cold_len ? (uint32_t)kold : GA_BLOCK_NO_COLD;
        kold += r->cold_len;
        rc = ga_buf_append(out, &rec, sizeof rec);
    }
    for (size_t k = 0; k < L->what.n && !rc; k++) {
        uint32_t o = text_at(L, L->what.v[k], tstart);
        rc = ga_buf_append(out, &o, 4);
    }
    for (size_t k = 0; k < L->where.n && !rc; k++) {
        uint32_t o = text_at(L, L->where.v[k], tstart);
        rc = ga_buf_append(out, &o, 4);
    }
    if (!rc) rc = ga_buf_append(out, L->pool.data, L->pool.len);
    if (!rc && (tstart + L->pool.len) % 8) rc = ga_buf_append(out, zeros, 8 - (tstart + L->pool.len) % 8);
    for (size_t k = i; k < j && !rc; k++) {
        const pack_row *r = &c->rows.v[k];
        if (r->left_out) continue;
        if (r->key == UINT64_MAX) rc = ga_buf_append(out, &r->id, 8);
        if (!rc && own_point(r)) {
            rc = ga_buf_append(out, &r->lon, 8);
            if (!rc) rc = ga_buf_append(out, &r->lat, 8);
        }
        for (int b = 0; b < 4 && !rc; b++)
            if (r->bits & (GA_BEV_ORIGIN_LON << b)) rc = ga_buf_append(out, &r->reals[b], 8);
        if (!rc && r->cold_len) rc = ga_buf_append(cold, c->cold.data + r->cold_at, r->cold_len);
    }
    return rc;
}

/* Lay the rows of c out in id order as pieces of at most cap bytes. */
static ga_rc pack_split(pack_ctx *c, size_t cap, ga_buf *out, ga_buf *cold,
                        ga_block_pieces *pieces)
{
    ga_buf_reset(out);
    ga_buf_reset(cold);
    pieces->n = 0;
    if (c->rows.n > 1) qsort(c->rows.v, c->rows.n, sizeof *c->rows.v, cmp_rows);
    layout L = {.c = c};
    GA_VEC(ga_block_rec) recs = {0};
    ga_rc rc = GA_OK;
    for (size_t i = 0; i < c->rows.n && !rc;) {
        /* one event at least, then while the blob stays within cap (rows
         * left out take no room) */
        layout_reset(&L);
        recs.n = 0;
        size_t j = i, bytes = sizeof(ga_block_head);
        for (; j < c->rows.n && !rc; j++) {
            const pack_row *r = &c->rows.v[j];
            if (r->left_out) continue;
            ga_block_rec rec;
            size_t add = layout_row(&L, r, 0, &rec, &rc);
            if (rc) break;
            if (L.n && (!add || bytes + add + 8 > cap)) break;
            add = layout_row(&L, r, 1, &rec, &rc);
            if (!rc && !add) rc = GA_ENOMEM;   /* cannot be: one row fits empty tables */
            if (!rc) rc = ga_vec_push(&recs, rec);
            bytes += add;
        }
        if (rc) break;
        ga_block_piece p = {c->rows.v[i].id, (int64_t)L.n, out->len, 0, cold->len, 0};
        rc = pack_piece(c, i, j, &L, recs.v, out, cold);
        p.len = out->len - p.off;
        p.cold_len = cold->len - p.cold_off;
        if (!rc) rc = ga_vec_push(pieces, p);
        i = j;
    }
    layout_free(&L);
    ga_vec_free(&recs);
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
