#define _GNU_SOURCE
/*
 * query_blocks.c: sorted listings of events with a spatial filter read
 * from event_blocks (event_blocks.c): the segments of the blocks that the
 * filter's box and the region's grid meet, a few hundred blobs for a
 * governorate, each copied once and its events tested in C (the exact spatial test of
 * ga_query_point_pass, the date, type, status and precision filters as
 * event_cells' SQL compares them), then the kept events sorted by date
 * and id (radix sort on the key packed with each event) and handed to the
 * callback one at a time, each row filled from its packed event just
 * before.
 *
 * Segments marked dirty in the reader's snapshot (and marked blocks
 * without segments) are packed in memory from event_cells instead, in the
 * same read transaction (the rows the old path read). A query never writes the file: marks are cleared only by
 * writes (ga_store_commit). Anything this file does not read the way
 * event_cells' SQL would (a block flagged GA_BLOCK_ROWS, a blob of another format) makes
 * the caller answer the whole query from event_cells.
 */
#include "store/query_int.h"

#include <stddef.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

/* Degrees by which a block is grown before asking the outline about it,
 * as query_fetch.c grows a cell. */
#define BLOCK_MARGIN 1e-7

typedef struct {
    int64_t lo, hi;            /* neighbouring blocks of one block row */
} block_run;

typedef GA_VEC(block_run) block_runs_vec;
typedef GA_VEC(int64_t) blk_vec;

/* Memory a store keeps from one block read to the next (ga_store's
 * blocks_mem), so that a process making many queries touches fresh pages
 * only for its largest: chunks of blob copies and document strings, the
 * kept events and the sort's second array. Past MEM_KEEP bytes it is
 * given back after the query. */
#define CHUNK_BYTES ((size_t)2 << 20)
#define MEM_KEEP ((size_t)256 << 20)

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

/* An event kept: its sort key, its packed variable part. */
typedef struct {
    uint64_t key;
    const ga_block_var *v;
    uint64_t len;              /* bytes of the variable part */
} item;

struct ga_blocks_mem {
    chunk *chunks;             /* CHUNK_BYTES each, in order of use */
    chunk *cur;                /* the one being filled; NULL before the first */
    chunk *big;                /* allocations above CHUNK_BYTES / 4, this query's only */
    size_t nchunks;
    item *items, *tmp;         /* kept events; the sort's second array */
    size_t nitems, cap_items, cap_tmp;
};

static size_t round_up(size_t n)
{
    return (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
}

/* n bytes, aligned, valid until the next query on the store. */
static void *mem_alloc(ga_blocks_mem *m, size_t n)
{
    n = round_up(n);
    if (n > CHUNK_BYTES / 4) {
        chunk *c = malloc(sizeof *c + n);
        if (!c) return NULL;
        c->next = m->big;
        c->used = c->cap = n;
        m->big = c;
        return c->data;
    }
    if (!m->cur || m->cur->cap - m->cur->used < n) {
        chunk *next = m->cur ? m->cur->next : m->chunks;
        if (!next) {
            /* one huge page where the system has them: the events are
             * read back in date order, all over the chunks, and with small
             * pages nearly every one would miss the TLB */
            next = aligned_alloc(CHUNK_BYTES, CHUNK_BYTES);
            if (!next) return NULL;
#ifdef MADV_HUGEPAGE
            madvise(next, CHUNK_BYTES, MADV_HUGEPAGE);
#endif
            next->next = NULL;
            next->cap = CHUNK_BYTES - sizeof *next;
            if (m->cur) m->cur->next = next;
            else m->chunks = next;
            m->nchunks++;
        }
        next->used = 0;
        m->cur = next;
    }
    void *p = (char *)m->cur->data + m->cur->used;
    m->cur->used += n;
    return p;
}

/* Give back p, the last allocation of n bytes. */
static void mem_unalloc(ga_blocks_mem *m, void *p, size_t n)
{
    n = round_up(n);
    if (n > CHUNK_BYTES / 4) {
        chunk *c = m->big;
        m->big = c->next;
        free(c);
    } else if (m->cur && (char *)m->cur->data + m->cur->used - n == (char *)p) {
        m->cur->used -= n;
    }
}

static void chunks_free(chunk *c)
{
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
}

/* Start a query: everything kept is free for reuse. */
static void mem_begin(ga_blocks_mem *m)
{
    m->cur = NULL;
    m->nitems = 0;
}

/* End a query: give back this query's big allocations, and all of it
 * when it has grown past MEM_KEEP. */
static void mem_end(ga_blocks_mem *m)
{
    chunks_free(m->big);
    m->big = NULL;
    if (m->nchunks * CHUNK_BYTES + (m->cap_items + m->cap_tmp) * sizeof(item) > MEM_KEEP) {
        chunks_free(m->chunks);
        free(m->items);
        free(m->tmp);
        memset(m, 0, sizeof *m);
    }
}

void ga_query_blocks_release(ga_store *st)
{
    ga_blocks_mem *m = st ? st->blocks_mem : NULL;
    if (!m) return;
    chunks_free(m->chunks);
    chunks_free(m->big);
    free(m->items);
    free(m->tmp);
    free(m);
    st->blocks_mem = NULL;
}

static int push_item(ga_blocks_mem *m, item it)
{
    if (m->nitems == m->cap_items) {
        size_t cap = m->cap_items ? 2 * m->cap_items : 4096;
        item *v = realloc(m->items, cap * sizeof *v);
        if (!v) return 0;
        m->items = v;
        m->cap_items = cap;
    }
    m->items[m->nitems++] = it;
    return 1;
}

/* A document's columns, looked up once per query. */
typedef struct {
    int64_t id;
    int used;
    const char *doc_id, *title, *url, *source;   /* NULL when there is no such document */
} doc_ent;

typedef struct {
    ga_store *st;
    const ga_filter *f;
    const double *box;
    ga_blocks_mem *mem;        /* blob copies, document strings, kept events */
    int all_short;             /* 1 while every kept key is a short key */
    int other;                 /* 1 when a filter that is not spatial is set */
    int need_doc;              /* 1 when the caller reads a document column */
    doc_ent *docs;             /* open addressing on id, cap a power of two */
    size_t ndocs, cap_docs;
    const doc_ent *last;       /* the previous event's document */
    sqlite3_stmt *doc_s;       /* SELECT ... FROM documents WHERE id = ?1 */
    int fall_back;             /* 1: a blob this file does not read was met */
    ga_err *err;
} reader;

#define DOC_COLS (GA_EV_DOC_ID | GA_EV_TITLE | GA_EV_URL | GA_EV_SOURCE)

static const char *copy_str(reader *r, const unsigned char *t, int *oom)
{
    if (!t) return NULL;
    size_t n = strlen((const char *)t);
    char *p = mem_alloc(r->mem, n + 1);
    if (!p) { *oom = 1; return NULL; }
    memcpy(p, t, n + 1);
    return p;
}

/* The document columns of document id, from the map or the table. */
static ga_rc doc_find(reader *r, int64_t id, const doc_ent **out)
{
    if (r->last && r->last->id == id) { *out = r->last; return GA_OK; }
    if (2 * (r->ndocs + 1) > r->cap_docs) {
        size_t cap = r->cap_docs ? 2 * r->cap_docs : 256;
        doc_ent *v = calloc(cap, sizeof *v);
        if (!v) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        for (size_t i = 0; i < r->cap_docs; i++) {
            if (!r->docs[i].used) continue;
            size_t j = (size_t)ga_hash64(&r->docs[i].id, sizeof id) & (cap - 1);
            while (v[j].used) j = (j + 1) & (cap - 1);
            v[j] = r->docs[i];
        }
        free(r->docs);
        r->docs = v;
        r->cap_docs = cap;
        r->last = NULL;
    }
    size_t j = (size_t)ga_hash64(&id, sizeof id) & (r->cap_docs - 1);
    while (r->docs[j].used && r->docs[j].id != id) j = (j + 1) & (r->cap_docs - 1);
    doc_ent *d = &r->docs[j];
    if (!d->used) {
        sqlite3_reset(r->doc_s);
        sqlite3_bind_int64(r->doc_s, 1, id);
        int src = sqlite3_step(r->doc_s), oom = 0;
        d->doc_id = d->title = d->url = d->source = NULL;
        if (src == SQLITE_ROW) {
            d->doc_id = copy_str(r, sqlite3_column_text(r->doc_s, 0), &oom);
            d->title = copy_str(r, sqlite3_column_text(r->doc_s, 1), &oom);
            d->url = copy_str(r, sqlite3_column_text(r->doc_s, 2), &oom);
            d->source = copy_str(r, sqlite3_column_text(r->doc_s, 3), &oom);
        } else if (src != SQLITE_DONE) {
            return ga_store_fail(r->st, r->err, src, "cannot read documents");
        }
        sqlite3_reset(r->doc_s);
        if (oom) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        d->used = 1;
        d->id = id;
        r->ndocs++;
    }
    *out = r->last = d;
    return GA_OK;
}

/* The variable part of ev. */
static const ga_block_var *ev_var(const ga_block_ev *ev)
{
    return (const ga_block_var *)((const unsigned char *)ev + ev->var);
}

/* The first n texts of v (GA_BT_* order; NULL when NULL), whose part
 * is len bytes. Returns 0 when they do not fit in it. */
static int var_texts(const ga_block_var *v, uint32_t len, const char **t, int n)
{
    const unsigned char *p = (const unsigned char *)(v + 1), *end = (const unsigned char *)v + len;
    for (int i = 0; i < 4; i++) if (v->bits & (GA_BEV_ORIGIN_LON << i)) p += 8;
    if (p > end) return 0;
    for (int i = 0; i < n; i++) {
        if (v->nulls & (1u << i)) { t[i] = NULL; continue; }
        if (p >= end) return 0;
        size_t k = *p++;
        if (k == 255) {
            uint32_t k4;
            if (end - p < 4) return 0;
            memcpy(&k4, p, 4);
            k = k4;
            p += 4;
        }
        if ((size_t)(end - p) <= k || p[k]) return 0;
        t[i] = (const char *)p;
        p += k + 1;
    }
    return 1;
}

/* 1 when v (len bytes) passes the filters that are not spatial, as
 * event_cells' SQL (query.c, other_terms) decides them for a plain
 * block; -1 when its texts do not fit in it. */
static int other_pass(const ga_filter *f, const ga_block_var *v, uint32_t len)
{
    if (f->min_precision > 0 &&
        ((v->bits & GA_BEV_GP_NULL) || !(v->geo_precision <= f->min_precision)))
        return 0;
    if (f->date_from || f->date_to || f->type || f->status) {
        const char *t[3];
        if (!var_texts(v, len, t, 3)) return -1;
        if (f->date_from && !(t[0] && strcmp(t[0], f->date_from) >= 0)) return 0;
        if (f->date_to && !(t[0] && strcmp(t[0], f->date_to) <= 0)) return 0;
        if (f->type && !(t[1] && strcmp(t[1], f->type) == 0)) return 0;
        if (f->status && !(t[2] && strcmp(t[2], f->status) == 0)) return 0;
    }
    return 1;
}

/* The box of block b's cells, grown by BLOCK_MARGIN (infinite on the
 * sides where the grid's edge cells also hold the points beyond it). */
static void block_box(int64_t b, double bb[4])
{
    const double step = 1.0 / GA_CELLS_PER_DEG;
    int64_t r0 = b / GA_BLOCKS_COLS * GA_BLOCK_CELLS, r1 = r0 + GA_BLOCK_CELLS;
    int64_t c0 = b % GA_BLOCKS_COLS * GA_BLOCK_CELLS, c1 = c0 + GA_BLOCK_CELLS;
    bb[0] = c0 == 0 ? -INFINITY : (double)c0 * step - 180.0 - BLOCK_MARGIN;
    bb[1] = r0 == 0 ? -INFINITY : (double)r0 * step - 90.0 - BLOCK_MARGIN;
    bb[2] = c1 >= GA_CELLS_COLS ? INFINITY : (double)c1 * step - 180.0 + BLOCK_MARGIN;
    bb[3] = r1 >= GA_CELLS_ROWS ? INFINITY : (double)r1 * step - 90.0 + BLOCK_MARGIN;
}

/* 1 when every point of block b passes the spatial filters of f, as
 * ga_query_point_pass() would decide each: the block lies within the
 * search box, within --bbox, and in cells of the region's grid that are
 * wholly inside it (no --near: its circle is tested point by point). */
static int block_sure(const reader *r, int64_t b)
{
    const ga_filter *f = r->f;
    const ga_filter_res *res = f->res;
    double bb[4];
    block_box(b, bb);
    if (res->has_near) return 0;
    if (!(bb[0] >= r->box[0] && bb[1] >= r->box[1] && bb[2] <= r->box[2] && bb[3] <= r->box[3]))
        return 0;
    if (f->has_bbox && !(bb[0] >= f->west && bb[1] >= f->south && bb[2] <= f->east &&
                         bb[3] <= f->north))
        return 0;
    if (res->has_region && !ga_outline_box_inside(res->outline, bb[0], bb[1], bb[2], bb[3]))
        return 0;
    return 1;
}

/* Keep the events of block b's blob (len bytes) that pass f; a blob
 * this file does not read sets r->fall_back. */
static ga_rc take_block(reader *r, int64_t b, const void *blob, size_t len)
{
    ga_block_head h;
    if (len < sizeof h) { r->fall_back = 1; return GA_OK; }
    memcpy(&h, blob, sizeof h);
    if (h.magic != GA_BLOCK_MAGIC || (h.flags & GA_BLOCK_ROWS) ||
        (len - sizeof h) / sizeof(ga_block_ev) < h.n) {
        r->fall_back = 1;
        return GA_OK;
    }
    /* a copy, aligned, with a NUL after it so that no text runs off */
    unsigned char *base = mem_alloc(r->mem, len + 1);
    if (!base) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
    memcpy(base, blob, len);
    base[len] = 0;
    const ga_block_ev *evs = (const ga_block_ev *)(base + sizeof h);
    size_t kept = 0;
    int sure = block_sure(r, b);
    for (uint32_t i = 0; i < h.n; i++) {
        const ga_block_ev *ev = &evs[i];
        if (!sure && !ga_query_point_pass(r->f, r->box, ev->x, ev->y)) continue;
        size_t at = sizeof h + i * sizeof *ev;
        if (ev->var > len - at || len - at - ev->var < ev->var_len || ev->var % 8 ||
            ev->var_len < sizeof(ga_block_var)) {
            r->fall_back = 1;
            return GA_OK;
        }
        const ga_block_var *v = ev_var(ev);
        int pass = r->other ? other_pass(r->f, v, ev->var_len) : 1;
        if (pass < 0) { r->fall_back = 1; return GA_OK; }
        if (!pass) continue;
        if (r->need_doc) {
            /* documents are read now, in the snapshot the events come from */
            const doc_ent *d;
            ga_rc rc = doc_find(r, v->doc, &d);
            if (rc) return rc;
        }
        if (ev->key == UINT64_MAX) r->all_short = 0;
        if (!push_item(r->mem, (item){ev->key, v, ev->var_len}))
            return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        kept++;
    }
    if (!kept) mem_unalloc(r->mem, base, len + 1);
    return GA_OK;
}

/* The blocks that can hold a point passing the spatial filters of f: the
 * blocks that meet box, less, for a region, those whose cells the
 * outline's grid says are all outside it. */
static ga_rc block_runs(const ga_filter *f, const double box[4], block_runs_vec *runs,
                        ga_err *err)
{
    const ga_outline *o = f->res->has_region ? f->res->outline : NULL;
    int64_t r0 = ga_cells_row(box[1]) / GA_BLOCK_CELLS, r1 = ga_cells_row(box[3]) / GA_BLOCK_CELLS;
    int64_t c0 = ga_cells_col(box[0]) / GA_BLOCK_CELLS, c1 = ga_cells_col(box[2]) / GA_BLOCK_CELLS;
    const double step = 1.0 / GA_CELLS_PER_DEG;
    for (int64_t r = r0; r <= r1; r++) {
        int64_t cr0 = r * GA_BLOCK_CELLS, cr1 = cr0 + GA_BLOCK_CELLS;   /* cell rows [cr0, cr1) */
        double y0 = cr0 == 0 ? -INFINITY : (double)cr0 * step - 90.0 - BLOCK_MARGIN;
        double y1 = cr1 >= GA_CELLS_ROWS ? INFINITY : (double)cr1 * step - 90.0 + BLOCK_MARGIN;
        int64_t open = -1;
        for (int64_t c = c0; c <= c1 + 1; c++) {
            int keep = c <= c1;
            if (keep && o) {
                int64_t cc0 = c * GA_BLOCK_CELLS, cc1 = cc0 + GA_BLOCK_CELLS;
                double x0 = cc0 == 0 ? -INFINITY : (double)cc0 * step - 180.0 - BLOCK_MARGIN;
                double x1 = cc1 >= GA_CELLS_COLS ? INFINITY
                                                 : (double)cc1 * step - 180.0 + BLOCK_MARGIN;
                keep = ga_outline_box_meets(o, x0, y0, x1, y1);
            }
            if (keep && open < 0) open = c;
            if (!keep && open >= 0) {
                block_run run = {r * GA_BLOCKS_COLS + open, r * GA_BLOCKS_COLS + c - 1};
                if (ga_vec_push(runs, run)) return ga_err_set(err, GA_ENOMEM, "out of memory");
                open = -1;
            }
        }
    }
    return GA_OK;
}

/* 1 when block b is in one of the runs (sorted, disjoint). */
static int in_runs(const block_run *v, size_t n, int64_t b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].hi < b) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && v[lo].lo <= b;
}

/* The marked parts of the blocks among the runs, in order of block and
 * segment. */
static ga_rc dirty_spans(ga_store *st, const block_run *runs, size_t nruns,
                         ga_block_spans *out, ga_err *err)
{
    out->n = 0;
    if (!nruns) return GA_OK;
    sqlite3_stmt *s = NULL;
    blk_vec ids = {0};
    ga_rc rc = ga_store_prepare(st, "SELECT blk, id FROM event_blocks_dirty WHERE blk BETWEEN ?1"
                                " AND ?2 ORDER BY blk, id", &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, runs[0].lo);
    sqlite3_bind_int64(s, 2, runs[nruns - 1].hi);
    int src = SQLITE_DONE;
    int64_t blk = 0;
    for (;;) {
        src = sqlite3_step(s);
        int64_t b = src == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
        if (ids.n && (src != SQLITE_ROW || b != blk)) {
            /* the marks of block blk are all read */
            rc = ga_store_blocks_dirty_spans(st, blk, ids.v, ids.n, out, err);
            ids.n = 0;
        }
        if (rc || src != SQLITE_ROW) break;
        if (!in_runs(runs, nruns, b)) continue;
        blk = b;
        if (ga_vec_push(&ids, sqlite3_column_int64(s, 1)))
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read event_blocks");
    sqlite3_finalize(s);
    ga_vec_free(&ids);
    return rc;
}

/* 1 when segment (b, lo) is one of the marked spans (in order). */
static int span_marked(const ga_block_spans *v, int64_t b, int64_t lo)
{
    size_t i = 0, n = v->n;
    while (i < n) {
        size_t mid = i + (n - i) / 2;
        const ga_block_span *p = &v->v[mid];
        if (p->blk < b || (p->blk == b && (!p->has_seg || p->seg < lo))) i = mid + 1;
        else n = mid;
    }
    return i < v->n && v->v[i].blk == b && v->v[i].has_seg && v->v[i].seg == lo;
}

/* Sort m's items by key: least significant byte first, skipping the
 * bytes every key shares. Returns 0 when out of memory. */
static int sort_keys(ga_blocks_mem *m)
{
    item *v = m->items;
    size_t n = m->nitems;
    if (n < 2) return 1;
    uint64_t all_or = 0, all_and = UINT64_MAX;
    for (size_t i = 0; i < n; i++) { all_or |= v[i].key; all_and &= v[i].key; }
    uint64_t differ = all_or ^ all_and;
    if (m->cap_tmp < n) {
        free(m->tmp);
        m->tmp = malloc(m->cap_items * sizeof *m->tmp);
        m->cap_tmp = m->tmp ? m->cap_items : 0;
        if (!m->tmp) return 0;
    }
    item *a = v, *b = m->tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        if (!((differ >> shift) & 0xff)) continue;
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((a[i].key >> shift) & 0xff) + 1]++;
        for (int k = 0; k < 256; k++) count[k + 1] += count[k];
        for (size_t i = 0; i < n; i++) b[count[(a[i].key >> shift) & 0xff]++] = a[i];
        item *t = a; a = b; b = t;
    }
    if (a != v) memcpy(v, a, n * sizeof *v);
    return 1;
}

/* Order of items whose key does not decide: dated before undated, by
 * date (strcmp), then by id. */
static int cmp_items(const void *pa, const void *pb)
{
    const item *ia = pa, *ib = pb;
    const ga_block_var *a = ia->v, *b = ib->v;
    const char *da = NULL, *db = NULL;
    var_texts(a, (uint32_t)ia->len, &da, 1);   /* checked by the scan */
    var_texts(b, (uint32_t)ib->len, &db, 1);
    if (!da != !db) return da ? -1 : 1;
    if (da) {
        int c = strcmp(da, db);
        if (c) return c;
    }
    return (a->id > b->id) - (a->id < b->id);
}

/* Fill e from the packed event v (len bytes) and its document, the
 * columns omit names with their defaults (as ga_cells_rec_read and
 * set_doc do). Returns 0 when its texts do not fit in it. */
static int fill_row(ga_event_row *e, const ga_block_var *v, uint32_t len, const doc_ent *doc,
                    unsigned omit)
{
    double reals[4] = {(double)NAN, (double)NAN, (double)NAN, (double)NAN};
    const char *s[GA_BT_COUNT];
    if (!var_texts(v, len, s, GA_BT_COUNT)) return 0;
    const unsigned char *p = (const unsigned char *)(v + 1);
    for (int i = 0; i < 4; i++)
        if (v->bits & (GA_BEV_ORIGIN_LON << i)) { memcpy(&reals[i], p, 8); p += 8; }
#define TXT(bit, i) (omit & (bit) ? NULL : s[i])
    e->id = v->id;
    e->event_date = s[GA_BT_DATE];
    e->type = TXT(GA_EV_TYPE, GA_BT_TYPE);
    e->status = TXT(GA_EV_STATUS, GA_BT_STATUS);
    e->trigger = TXT(GA_EV_TRIGGER, GA_BT_TRIGGER);
    e->time_precision = omit & GA_EV_TIME_PRECISION ? 0 : v->time_precision;
    e->geo_precision = omit & GA_EV_GEO_PRECISION ? 0 : v->geo_precision;
    e->place_gid = TXT(GA_EV_PLACE_GID, GA_BT_PLACE_GID);
    e->place_name = TXT(GA_EV_PLACE_NAME, GA_BT_PLACE_NAME);
    e->kind = TXT(GA_EV_KIND, GA_BT_KIND);
    e->country = TXT(GA_EV_COUNTRY, GA_BT_COUNTRY);
    e->admin1 = TXT(GA_EV_ADMIN1, GA_BT_ADMIN1);
    e->admin1_pcode = TXT(GA_EV_ADMIN1_PCODE, GA_BT_ADMIN1_PCODE);
    e->admin2 = TXT(GA_EV_ADMIN2, GA_BT_ADMIN2);
    e->admin2_pcode = TXT(GA_EV_ADMIN2_PCODE, GA_BT_ADMIN2_PCODE);
    e->role = TXT(GA_EV_ROLE, GA_BT_ROLE);
    e->origin_name = TXT(GA_EV_ORIGIN_NAME, GA_BT_ORIGIN_NAME);
    e->dest_name = TXT(GA_EV_DEST_NAME, GA_BT_DEST_NAME);
    e->actors = TXT(GA_EV_ACTORS, GA_BT_ACTORS);
    e->people = omit & GA_EV_PEOPLE ? -1 : v->people;
    e->sentence = TXT(GA_EV_SENTENCE, GA_BT_SENTENCE);
    e->reason = TXT(GA_EV_REASON, GA_BT_REASON);
#undef TXT
    int no_point = (omit & GA_EV_POINT) != 0, no_o = (omit & GA_EV_ORIGIN_POINT) != 0;
    int no_d = (omit & GA_EV_DEST_POINT) != 0;
    e->lon = no_point ? (double)NAN : v->lon;
    e->lat = no_point ? (double)NAN : v->lat;
    e->origin_lon = no_o ? (double)NAN : reals[0];
    e->origin_lat = no_o ? (double)NAN : reals[1];
    e->dest_lon = no_d ? (double)NAN : reals[2];
    e->dest_lat = no_d ? (double)NAN : reals[3];
    e->doc_id = omit & GA_EV_DOC_ID || !doc ? NULL : doc->doc_id;
    e->title = omit & GA_EV_TITLE || !doc ? NULL : doc->title;
    e->url = omit & GA_EV_URL || !doc ? NULL : doc->url;
    e->source = omit & GA_EV_SOURCE || !doc ? NULL : doc->source;
    return 1;
}

/* Read the segments of the blocks of the runs (the marked ones packed
 * from event_cells) into r's items, within one read transaction. */
static ga_rc read_blocks(reader *r, const block_run *runs, size_t nruns)
{
    ga_store *st = r->st;
    ga_err *err = r->err;
    sqlite3_stmt *hold = NULL, *s = NULL;
    ga_block_spans dirty = {0};
    ga_block_pieces pieces = {0};
    ga_buf packed = {0};
    /* a statement left on a row holds one read transaction for all reads */
    ga_rc rc = ga_store_prepare(st, "SELECT 1 FROM sqlite_master", &hold, err);
    int hsrc = hold ? sqlite3_step(hold) : SQLITE_OK;
    if (!rc && hsrc != SQLITE_ROW && hsrc != SQLITE_DONE)
        rc = ga_store_fail(st, err, hsrc, "cannot read the database");
    if (!rc) rc = dirty_spans(st, runs, nruns, &dirty, err);
    if (!rc) rc = ga_store_prepare(st, "SELECT blk, lo, data FROM event_blocks WHERE blk"
                                   " BETWEEN ?1 AND ?2", &s, err);
    if (!rc && r->need_doc)
        rc = ga_store_prepare(st, "SELECT doc_id, title, url, source FROM documents"
                              " WHERE id = ?1", &r->doc_s, err);
    for (size_t k = 0; k < nruns && !rc && !r->fall_back; k++) {
        sqlite3_bind_int64(s, 1, runs[k].lo);
        sqlite3_bind_int64(s, 2, runs[k].hi);
        int src = SQLITE_DONE;
        while (!rc && !r->fall_back && (src = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t b = sqlite3_column_int64(s, 0);
            if (dirty.n && span_marked(&dirty, b, sqlite3_column_int64(s, 1))) continue;
            const void *blob = sqlite3_column_blob(s, 2);
            rc = take_block(r, b, blob, (size_t)sqlite3_column_bytes(s, 2));
        }
        if (!rc && !r->fall_back && src != SQLITE_DONE)
            rc = ga_store_fail(st, err, src, "cannot read event_blocks");
        sqlite3_reset(s);
    }
    for (size_t i = 0; i < dirty.n && !rc && !r->fall_back; i++) {
        const ga_block_span *sp = &dirty.v[i];
        rc = ga_store_blocks_pack(st, sp, SIZE_MAX, &packed, &pieces, err);
        for (size_t j = 0; j < pieces.n && !rc && !r->fall_back; j++)
            rc = take_block(r, sp->blk, packed.data + pieces.v[j].off, pieces.v[j].len);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(hold);
    ga_buf_free(&packed);
    ga_vec_free(&pieces);
    ga_vec_free(&dirty);
    return rc;
}

ga_rc ga_query_events_blocks(ga_store *st, const ga_filter *f, const double box[4],
                             ga_event_cb cb, void *arg, int *done, ga_err *err)
{
    *done = 0;
    if (!st->blocks_mem && !(st->blocks_mem = calloc(1, sizeof *st->blocks_mem)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_blocks_mem *m = st->blocks_mem;
    mem_begin(m);
    block_runs_vec runs = {0};
    reader r = {.st = st, .f = f, .box = box, .mem = m, .all_short = 1, .err = err};
    r.other = f->date_from || f->date_to || f->type || f->status || f->min_precision > 0;
    r.need_doc = (f->omit & DOC_COLS) != DOC_COLS;
    ga_rc rc = block_runs(f, box, &runs, err);
    if (!rc) rc = read_blocks(&r, runs.v, runs.n);
    sqlite3_finalize(r.doc_s);
    ga_vec_free(&runs);
    /* r.fall_back: a block this file does not read; the caller reads event_cells */
    if (!rc && !r.fall_back) {
        *done = 1;
        size_t n = m->nitems;
        if (!r.all_short) qsort(m->items, n, sizeof *m->items, cmp_items);
        else if (!sort_keys(m)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        if (f->limit > 0 && (size_t)f->limit < n) n = (size_t)f->limit;
        /* the events are read in date order from all over the copies:
         * ask for each one's memory some rows ahead */
        enum { AHEAD = 24 };
        const item *v = m->items;
        for (size_t i = 0; i < n && i < AHEAD; i++) __builtin_prefetch(v[i].v);
        for (size_t i = 0; i < n && !rc; i++) {
            if (i + AHEAD < n) {
                __builtin_prefetch(v[i + AHEAD].v);
                __builtin_prefetch((const char *)v[i + AHEAD].v + 64);
            }
            const doc_ent *d = NULL;
            /* found: read during the scan */
            if (r.need_doc && (rc = doc_find(&r, v[i].v->doc, &d))) break;
            ga_event_row e;
            if (!fill_row(&e, v[i].v, (uint32_t)v[i].len, d, f->omit)) {
                rc = ga_err_set(err, GA_EDB, "event_blocks is damaged (event %lld)",
                                (long long)v[i].v->id);
                break;
            }
            if (!cb(&e, arg)) break;
        }
    }
    free(r.docs);
    mem_end(m);
    return rc;
}
