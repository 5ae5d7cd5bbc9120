#define _GNU_SOURCE
/*
 * query_blocks.c: sorted listings of events with a spatial filter read
 * from event_blocks (event_blocks.c): the segments of the blocks that the
 * filter's box and the region's grid meet, a few hundred for a
 * governorate, each blob copied once from the database's pages into
 * memory kept between queries (a blob handle, where a statement's column
 * would copy it twice), the long texts' blob only when the caller shows
 * one of them. Their events are tested in C (the exact spatial test of
 * ga_query_point_pass where a block is not wholly inside, the date, type,
 * status and precision filters as event_cells' SQL compares them), then
 * the kept events are sorted by date and id (a radix sort of their keys
 * packed into 64 bits with their numbers), their pointers gathered in
 * that order, and each handed to the callback, its row filled from its
 * packed event just before: every text by its offset, only the columns
 * the caller reads.
 *
 * Segments marked dirty in the reader's snapshot (and marked blocks
 * without segments) are packed in memory from event_cells instead, in the
 * same read transaction (the rows the old path read). A query never
 * writes the file: marks are cleared only by writes (ga_store_commit).
 * Anything this file does not read the way event_cells' SQL would (a
 * block flagged GA_BLOCK_ROWS, a blob of another format) makes the caller
 * answer the whole query from event_cells.
 */
#include "store/query_int.h"
#include "geo/ga_geo.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>

/* Turns of a busy wait for the chunk before to be written (about
 * 100 microseconds), before sleeping on the condition. */
#define SPIN_TURN 20000

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Degrees by which a block is grown before asking the outline about it,
 * as query_fetch.c grows a cell. */
#define BLOCK_MARGIN 1e-7

typedef struct {
    int64_t lo, hi;            /* neighbouring blocks of one block row */
} block_run;

typedef GA_VEC(block_run) block_runs_vec;
typedef GA_VEC(int64_t) blk_vec;

/* A segment read by a query: its copies and where its tables are. */
typedef struct {
    const unsigned char *base;     /* the data blob's copy, a NUL after it */
    const unsigned char *cbase;    /* the cold blob's copy (NULL: not read) */
    size_t cold_len;
    const uint32_t *what, *where;  /* the tables of event words and of admin texts */
} seg_info;

/* Memory a store keeps from one block read to the next (ga_store's
 * blocks_mem), so that a process making many queries touches fresh pages
 * only for its largest: chunks of blob copies and document strings, the
 * kept events and the sort's second array. Past MEM_KEEP bytes it is
 * given back after the query. */
#define CHUNK_BYTES ((size_t)2 << 20)
#define MEM_KEEP ((size_t)256 << 20)

/* Every allocation starts on a 64-byte line, so that a segment's
 * records (64 bytes from its start, 64 bytes each) are a line each. */
#define LINE 64

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    _Alignas(LINE) unsigned char data[];
} chunk;

/* A kept event: its record and its segment, read together. */
typedef struct {
    const ga_block_rec *v;
    const seg_info *g;
} item_ref;

struct ga_blocks_mem {
    chunk *chunks;             /* CHUNK_BYTES each, in order of use */
    chunk *cur;                /* the one being filled; NULL before the first */
    chunk *big;                /* allocations above CHUNK_BYTES / 4, this query's only */
    size_t nchunks;
    /* the kept events, item i in each array: its sort key, its record
     * and segment */
    uint64_t *keys;
    item_ref *refs;
    size_t nitems, cap_items;
    uint64_t *ord, *ord_tmp;   /* the sort's packed keys (or item numbers) and its second
                                  array */
    item_ref *seq;             /* the records and segments in the order of the listing */
    void *items;               /* the arrays above, cap_items each, in one region */
};

/* The arrays of the items take 7 words an item, in one region: from
 * malloc when small, else in whole huge pages where the system has them
 * (MADV_HUGEPAGE). A governorate's 124,000 events fill 7 MB of them,
 * which in small pages cost a command 1,700 page faults, about a tenth
 * of its time on this kind of virtual machine. */
#define ITEM_BYTES (7 * sizeof(uint64_t))
#define HUGE_BYTES ((size_t)2 << 20)
#define HUGE_MIN ((size_t)256 << 10)

static size_t items_bytes(size_t cap)
{
    size_t n = cap * ITEM_BYTES;
    return n < HUGE_MIN ? n : (n + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
}

static void *items_alloc(size_t cap)
{
    size_t n = items_bytes(cap);
    if (n < HUGE_MIN) return malloc(n);
    /* a huge page must start on its boundary: map one more, trim */
    char *p = mmap(NULL, n + HUGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) return NULL;
    size_t lead = (HUGE_BYTES - (uintptr_t)p % HUGE_BYTES) % HUGE_BYTES;
    if (lead) munmap(p, lead);
    if (HUGE_BYTES - lead) munmap(p + lead + n, HUGE_BYTES - lead);
    p += lead;
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE);
#endif
    return p;
}

static void items_free(void *p, size_t cap)
{
    if (!p) return;
    size_t n = items_bytes(cap);
    if (n < HUGE_MIN) free(p);
    else munmap(p, n);
}

/* Point the arrays into the region at p, of cap items (7 words each). */
static void items_place(ga_blocks_mem *m, void *p, size_t cap)
{
    uint64_t *w = p;
    m->items = p;
    m->cap_items = cap;
    m->keys = w;
    m->refs = (item_ref *)(w + cap);
    m->ord = w + 3 * cap;
    m->ord_tmp = w + 4 * cap;
    m->seq = (item_ref *)(w + 5 * cap);
}

static size_t round_up(size_t n)
{
    return (n + LINE - 1) / LINE * LINE;
}

/* n bytes, aligned, valid until the next query on the store. */
static void *mem_alloc(ga_blocks_mem *m, size_t n)
{
    n = round_up(n);
    if (n > CHUNK_BYTES / 4) {
        chunk *c = aligned_alloc(LINE, sizeof *c + n);
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
    if (m->nchunks * CHUNK_BYTES + items_bytes(m->cap_items) > MEM_KEEP) {
        chunks_free(m->chunks);
        items_free(m->items, m->cap_items);
        memset(m, 0, sizeof *m);
    }
}

void ga_query_blocks_release(ga_store *st)
{
    ga_blocks_mem *m = st ? st->blocks_mem : NULL;
    if (!m) return;
    chunks_free(m->chunks);
    chunks_free(m->big);
    items_free(m->items, m->cap_items);
    free(m);
    st->blocks_mem = NULL;
}

static int push_item(ga_blocks_mem *m, uint64_t key, const ga_block_rec *v,
                     const seg_info *c)
{
    if (m->nitems == m->cap_items) {
        size_t cap = m->cap_items ? 2 * m->cap_items : 4096;
        void *p = items_alloc(cap);
        if (!p) return 0;
        void *old = m->items;
        size_t old_cap = m->cap_items, n = m->nitems;
        uint64_t *k = m->keys;
        item_ref *refs = m->refs;
        items_place(m, p, cap);
        if (n) {
            memcpy(m->keys, k, n * sizeof *k);
            memcpy(m->refs, refs, n * sizeof *refs);
        }
        items_free(old, old_cap);
    }
    m->keys[m->nitems] = key;
    m->refs[m->nitems++] = (item_ref){v, c};
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
    uint64_t dmin, dmax;       /* the days of the kept short keys with a date (dmin > dmax:
                                  none) */
    char *days;                /* their dates, 11 bytes a day from dmin (read_sorted) */
    int other;                 /* 1 when a filter that is not spatial is set */
    int need_doc;              /* 1 when the caller reads a document column */
    int need_cold;             /* 1 when the caller reads a cold column (actors, sentence,
                                  reason): the cold blobs are read too */
    doc_ent *docs;             /* open addressing on id, cap a power of two */
    size_t ndocs, cap_docs;
    const doc_ent *last;       /* the previous event's document */
    sqlite3_stmt *doc_s;       /* SELECT ... FROM documents WHERE id = ?1 */
    int fall_back;             /* 1: a blob this file does not read was met */
    int pipe;                  /* 1: a helper thread may take the segments read */
    blk_vec *doc_ids;          /* the helper's (take_work): the documents of its kept
                                  events, each run of one id once, looked up after it
                                  (NULL: take_block looks them up) */
    int64_t last_doc_id;
    ga_err *err;
} reader;

#define DOC_COLS (GA_EV_DOC_ID | GA_EV_TITLE | GA_EV_URL | GA_EV_SOURCE)
#define COLD_COLS (GA_EV_ACTORS | GA_EV_SENTENCE | GA_EV_REASON)

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

/* The text at offset o of a segment's blob, NULL when 0. */
static inline const char *seg_text(const seg_info *g, uint32_t o)
{
    return o ? (const char *)g->base + o : NULL;
}

/* The date of record v of segment g: its text, or the day of its key
 * written into buf. */
static inline const char *rec_date(const ga_block_rec *v, const seg_info *g, char buf[11])
{
    if (v->key == UINT64_MAX) return seg_text(g, v->date);
    uint64_t day = v->key >> GA_BLOCK_ID_BITS;
    if (day == GA_BLOCK_UNDATED) return NULL;
    ga_block_day_text(day, buf);
    return buf;
}

/* The id of record v of segment g (take_block checked its extra part). */
static inline int64_t rec_id(const ga_block_rec *v, const seg_info *g)
{
    if (!(v->bits & GA_BEV_ID)) return (int64_t)(v->key & (((uint64_t)1 << GA_BLOCK_ID_BITS) - 1));
    int64_t id;
    memcpy(&id, g->base + v->extra, 8);
    return id;
}

/* Cold text i (GA_BT_ACTORS ..) of c (NULL: every cold text NULL). */
static inline const char *cold_text(const ga_block_cold *c, int i)
{
    return c && c->off[i - GA_BT_HOT] ? (const char *)c + c->off[i - GA_BT_HOT] : NULL;
}

/* A packed event is checked when the scan keeps it (take_block): its
 * table entries, text offsets and extra part lie within its blob (each
 * text then ends within the copy of its blob, which ends in a NUL: a
 * damaged blob could run a text into the next one, never out of the
 * copy), and its cold part within the cold blob; the cold part's texts
 * are checked when the row is filled (cold_texts_ok). */

/* 1 when a cold part c, avail bytes from c to the end of its blob, lies
 * within it. */
static inline int cold_in(const ga_block_cold *c, size_t avail)
{
    if (avail < sizeof *c) return 0;
    size_t len = c->len;
    return len >= sizeof *c && len <= avail && len % 8 == 0;
}

/* 1 when every text offset of cold part c (within its blob) is within it. */
static inline int cold_texts_ok(const ga_block_cold *c)
{
    unsigned bad = 0;
    uint32_t clen = c->len;
    for (int i = 0; i < GA_BT_COUNT - GA_BT_HOT; i++) {
        uint32_t o = c->off[i];
        bad |= (o != 0) & ((uint32_t)(o - sizeof *c) >= clen - (uint32_t)sizeof *c);
    }
    return !bad;
}

/* 1 when v (of segment g) passes the filters that are not spatial, as
 * event_cells' SQL (query.c, other_terms) decides them for a plain block. */
static int other_pass(const ga_filter *f, const ga_block_rec *v, const seg_info *g)
{
    if (f->min_precision > 0 &&
        ((v->bits & GA_BEV_GP_NULL) || !(v->geo_precision <= f->min_precision)))
        return 0;
    const char *t;
    char buf[11];
    const uint32_t *what = g->what + (size_t)v->what * GA_BLOCK_WHAT;
    if (f->date_from && !((t = rec_date(v, g, buf)) && strcmp(t, f->date_from) >= 0)) return 0;
    if (f->date_to && !((t = rec_date(v, g, buf)) && strcmp(t, f->date_to) <= 0)) return 0;
    if (f->type && !((t = seg_text(g, what[GA_BT_TYPE - GA_BT_WHAT])) && strcmp(t, f->type) == 0))
        return 0;
    if (f->status &&
        !((t = seg_text(g, what[GA_BT_STATUS - GA_BT_WHAT])) && strcmp(t, f->status) == 0))
        return 0;
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
 * search box, within --bbox, in cells of the region's grid that are
 * wholly inside it, and within the --near circle with room to spare:
 * each corner under 99 % of the distance by the spherical estimate, which
 * is within 0.5 % of the geodesic. A circle on the ellipsoid holds the
 * meridian edges between corners inside it; a parallel bows off the
 * straight line between two corners by under 2 m over a block, far less
 * than the 1 % of a radius (at least 70 m) that reaches every corner of
 * a block. */
static int block_sure(const reader *r, int64_t b)
{
    const ga_filter *f = r->f;
    const ga_filter_res *res = f->res;
    double bb[4];
    block_box(b, bb);
    if (res->has_near)
        for (int k = 0; k < 4; k++)
            if (!ga_geo_surely_within_m(res->near_lon, res->near_lat, bb[k & 1 ? 2 : 0],
                                        bb[k & 2 ? 3 : 1], res->near_m))
                return 0;
    if (!(bb[0] >= r->box[0] && bb[1] >= r->box[1] && bb[2] <= r->box[2] && bb[3] <= r->box[3]))
        return 0;
    if (f->has_bbox && !(bb[0] >= f->west && bb[1] >= f->south && bb[2] <= f->east &&
                         bb[3] <= f->north))
        return 0;
    if (res->has_region && !ga_outline_box_inside(res->outline, bb[0], bb[1], bb[2], bb[3]))
        return 0;
    return 1;
}

/* A copy of blob (len bytes) in r's memory, aligned, with a NUL after
 * it; NULL when out of memory (r->err set). */
static unsigned char *copy_blob(reader *r, const void *blob, size_t len)
{
    unsigned char *p = mem_alloc(r->mem, len + 1);
    if (!p) {
        ga_err_set(r->err, GA_ENOMEM, "out of memory");
        return NULL;
    }
    if (len) memcpy(p, blob, len);
    p[len] = 0;
    return p;
}

/* Keep the events of block b's segment that pass f: its data blob, len
 * bytes at base, and when r->need_cold its cold blob, cold_len bytes at
 * cbase, both in r's memory (aligned, a NUL after each), described in *g
 * for the kept events; *kept: how many. A segment this file does not read
 * sets r->fall_back. Allocates no memory but the kept events' arrays. */
static ga_rc take_block(reader *r, int64_t b, seg_info *g, unsigned char *base, size_t len,
                        unsigned char *cbase, size_t cold_len, size_t *kept_out)
{
    ga_block_head h;
    *kept_out = 0;
    if (len < sizeof h) { r->fall_back = 1; return GA_OK; }
    memcpy(&h, base, sizeof h);
    if (h.magic != GA_BLOCK_MAGIC || (h.flags & GA_BLOCK_ROWS) || h.nwhat > UINT16_MAX + 1u ||
        h.nwhere > UINT16_MAX + 1u || (len - sizeof h) / sizeof(ga_block_rec) < h.n) {
        r->fall_back = 1;
        return GA_OK;
    }
    size_t ntab = (size_t)h.nwhat * GA_BLOCK_WHAT + (size_t)h.nwhere * GA_BLOCK_WHERE;
    size_t tables = sizeof h + (size_t)h.n * sizeof(ga_block_rec), tstart = tables + 4 * ntab;
    if (tstart > len) { r->fall_back = 1; return GA_OK; }
    /* the tables' text offsets, once a segment */
    const uint32_t *tab = (const uint32_t *)(base + tables);
    unsigned bad = 0;
    for (size_t k = 0; k < ntab; k++) {
        uint32_t o = tab[k];
        bad |= (o != 0) & ((size_t)(o - tstart) >= len - tstart);
    }
    if (bad) { r->fall_back = 1; return GA_OK; }
    *g = (seg_info){base, r->need_cold ? cbase : NULL, cold_len, tab,
                    tab + (size_t)h.nwhat * GA_BLOCK_WHAT};
    const ga_block_rec *recs = (const ga_block_rec *)(base + sizeof h);
    size_t kept = 0;
    int sure = block_sure(r, b);
    for (uint32_t i = 0; i < h.n; i++) {
        const ga_block_rec *v = &recs[i];
        if (!sure && !ga_query_point_pass(r->f, r->box, v->x, v->y)) continue;
        /* its table entries, texts and extra part within the blob */
        unsigned nx = ga_block_extra_words(v->bits);
        size_t x = v->extra;
        bad = (v->what >= h.nwhat) | (v->where >= h.nwhere) |
              ((v->date != 0) & ((size_t)(v->date - tstart) >= len - tstart)) |
              /* a short key gives the date: no date text, a day of a date */
              ((v->key != UINT64_MAX) &
               ((v->date != 0) | ((v->key >> GA_BLOCK_ID_BITS) > GA_BLOCK_UNDATED))) |
              ((v->place_name != 0) & ((size_t)(v->place_name - tstart) >= len - tstart)) |
              ((v->origin_name != 0) & ((size_t)(v->origin_name - tstart) >= len - tstart)) |
              ((v->dest_name != 0) & ((size_t)(v->dest_name - tstart) >= len - tstart)) |
              ((nx != 0) & ((x % 8 != 0) | (x < tstart) | (x > len) | (len - x < 8 * nx)));
        if (bad) { r->fall_back = 1; return GA_OK; }
        if (r->need_cold && v->cold != GA_BLOCK_NO_COLD &&
            (v->cold % 8 || v->cold > cold_len ||
             !cold_in((const ga_block_cold *)(cbase + v->cold), cold_len - v->cold))) {
            r->fall_back = 1;
            return GA_OK;
        }
        if (r->other && !other_pass(r->f, v, g)) continue;
        if (r->need_doc && r->doc_ids) {
            if ((int64_t)v->doc != r->last_doc_id) {
                if (ga_vec_push(r->doc_ids, (int64_t)v->doc))
                    return ga_err_set(r->err, GA_ENOMEM, "out of memory");
                r->last_doc_id = v->doc;
            }
        } else if (r->need_doc) {
            /* documents are read now, in the snapshot the events come from */
            const doc_ent *d;
            ga_rc rc = doc_find(r, v->doc, &d);
            if (rc) return rc;
        }
        if (v->key == UINT64_MAX) {
            r->all_short = 0;
        } else {
            uint64_t day = v->key >> GA_BLOCK_ID_BITS;
            if (day != GA_BLOCK_UNDATED && day < r->dmin) r->dmin = day;
            if (day != GA_BLOCK_UNDATED && day > r->dmax) r->dmax = day;
        }
        if (!push_item(r->mem, v->key, v, g))
            return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        kept++;
    }
    *kept_out = kept;
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

static unsigned bits_of(uint64_t x) { return x ? 64u - (unsigned)__builtin_clzll(x) : 0u; }

/* Radix digits of sort_items: 11 bits, whose counts fit in the first
 * level of cache. */
#define DIGIT_BITS 11
#define DIGITS (1u << DIGIT_BITS)

/* Order of items a and b (numbers into the ga_blocks_mem ctx) when a key
 * does not decide: dated before undated, by date (strcmp), then by id. */
static int cmp_items(const void *pa, const void *pb, void *ctx)
{
    const ga_blocks_mem *m = ctx;
    size_t ia = (size_t)*(const uint64_t *)pa, ib = (size_t)*(const uint64_t *)pb;
    uint64_t ka = m->keys[ia], kb = m->keys[ib];
    if (ka != UINT64_MAX && kb != UINT64_MAX) return (ka > kb) - (ka < kb);
    const ga_block_rec *a = m->refs[ia].v, *b = m->refs[ib].v;
    const seg_info *ga = m->refs[ia].g, *gb = m->refs[ib].g;
    char ba[11], bb[11];
    const char *da = rec_date(a, ga, ba), *db = rec_date(b, gb, bb);
    if (!da != !db) return da ? -1 : 1;
    if (da) {
        int c = strcmp(da, db);
        if (c) return c;
    }
    int64_t ida = rec_id(a, ga), idb = rec_id(b, gb);
    return (ida > idb) - (ida < idb);
}

/* The passes of a radix sort shared by two threads (sort_items): each
 * pass each counts the digits of its half of the words, then scatters
 * them, the first half's words before the second's within a digit, as one
 * thread would (a stable sort); a barrier after the counts and after the
 * scatter. */
typedef struct {
    uint64_t *a, *b;           /* the words; a: the sorted ones after */
    size_t n;
    unsigned xb, passes;
    uint32_t (*count)[2][DIGITS];   /* [pass][half][digit], of the pass's words */
    atomic_uint arrived;       /* arrivals at the barriers so far */
} radix_job;

/* Below this many words one thread sorts alone. */
#define RADIX_PAR_MIN ((size_t)1 << 16)

static void radix_barrier(radix_job *j, unsigned turn)
{
    atomic_fetch_add(&j->arrived, 1);
    for (unsigned spins = 0; atomic_load(&j->arrived) < 2 * turn;)
        if (++spins < SPIN_TURN) cpu_relax();
        else sched_yield();
}

static void radix_half(radix_job *j, int t)
{
    size_t lo = t ? j->n / 2 : 0, hi = t ? j->n : j->n / 2;
    uint64_t *a = j->a, *b = j->b;
    unsigned turn = 1;
    uint32_t off[DIGITS];
    for (unsigned p = 0; p < j->passes; p++) {
        unsigned shift = j->xb + p * DIGIT_BITS;
        uint32_t *mine = j->count[p][t];
        for (size_t i = lo; i < hi; i++) mine[(a[i] >> shift) & (DIGITS - 1)]++;
        radix_barrier(j, turn++);
        const uint32_t *c0 = j->count[p][0], *c1 = j->count[p][1];
        unsigned d0 = (unsigned)(a[0] >> shift) & (DIGITS - 1);
        if (c0[d0] + c1[d0] == j->n) continue;   /* one digit: in order (both threads) */
        uint32_t sum = 0;
        for (unsigned k = 0; k < DIGITS; k++) {
            off[k] = sum + (t ? c0[k] : 0);
            sum += c0[k] + c1[k];
        }
        for (size_t i = lo; i < hi; i++) b[off[(a[i] >> shift) & (DIGITS - 1)]++] = a[i];
        radix_barrier(j, turn++);
        uint64_t *tmp = a;
        a = b;
        b = tmp;
    }
    if (t == 0) j->a = a;
}

static void *radix_work(void *arg)
{
    radix_half(arg, 1);
    return NULL;
}

/* The order of m's items by date and id, as 64-bit words whose low
 * *ix_bits bits are item numbers, in *out (m->ord or m->ord_tmp).
 * When every key is a short key, each word is (day - lowest day, id -
 * lowest id, item number) packed into as few bits as they need and the
 * words are sorted least significant digit first over the day and id
 * bits only: a decade of days and a million ids make three passes over 8
 * bytes an item. Otherwise (an odd date, or the three do not fit in 64
 * bits) the item numbers are sorted by comparing. *day_shift and *day_lo
 * give the day of a sorted word, (word >> *day_shift) + *day_lo, where it
 * holds one; else *day_shift is 64. With par a second thread shares a
 * large radix sort. Returns 0 when out of memory. */
static int sort_items(ga_blocks_mem *m, int all_short, int par, const uint64_t **out,
                      unsigned *ix_bits, unsigned *day_shift, uint64_t *day_lo)
{
    const uint64_t *key = m->keys;
    size_t n = m->nitems;
    uint64_t *a = m->ord, *b = m->ord_tmp;
    const uint64_t id_mask = ((uint64_t)1 << GA_BLOCK_ID_BITS) - 1;
    uint64_t dmin = UINT64_MAX, dmax = 0, imin = UINT64_MAX, imax = 0;
    for (size_t i = 0; i < n && all_short; i++) {
        uint64_t d = key[i] >> GA_BLOCK_ID_BITS, id = key[i] & id_mask;
        if (d < dmin) dmin = d;
        if (d > dmax) dmax = d;
        if (id < imin) imin = id;
        if (id > imax) imax = id;
    }
    unsigned xb = bits_of(n > 1 ? n - 1 : 0), ib = 0, db = 0;
    if (n > 1 && all_short) {
        ib = bits_of(imax - imin);
        db = bits_of(dmax - dmin);
    }
    *ix_bits = xb;
    *day_shift = 64;
    if (n < 2 || !all_short || xb + ib + db > 64) {
        for (size_t i = 0; i < n; i++) a[i] = i;
        if (n > 1) qsort_r(a, n, sizeof *a, cmp_items, m);
        *out = a;
        return 1;
    }
    *day_shift = ib + xb;
    *day_lo = dmin;
    for (size_t i = 0; i < n; i++) {
        uint64_t d = key[i] >> GA_BLOCK_ID_BITS, id = key[i] & id_mask;
        a[i] = (d - dmin) << (ib + xb) | (id - imin) << xb | (uint64_t)i;
    }
    unsigned kb = ib + db, passes = (kb + DIGIT_BITS - 1) / DIGIT_BITS;
    if (par && passes && n >= RADIX_PAR_MIN) {
        radix_job j = {.a = a, .b = b, .n = n, .xb = xb, .passes = passes};
        atomic_init(&j.arrived, 0);
        if (!(j.count = calloc(passes, sizeof *j.count))) return 0;
        pthread_t tid;
        if (!pthread_create(&tid, NULL, radix_work, &j)) {
            radix_half(&j, 0);
            pthread_join(tid, NULL);
            free(j.count);
            *out = j.a;
            return 1;
        }
        free(j.count);   /* no thread: one sorts alone */
    }
    uint32_t (*count)[DIGITS] = passes ? calloc(passes, sizeof *count) : NULL;
    if (passes && !count) return 0;
    for (size_t i = 0; i < n; i++)
        for (unsigned p = 0; p < passes; p++)
            count[p][(a[i] >> (xb + p * DIGIT_BITS)) & (DIGITS - 1)]++;
    for (unsigned p = 0; p < passes; p++) {
        uint32_t *c = count[p], sum = 0;
        unsigned shift = xb + p * DIGIT_BITS;
        if (c[(a[0] >> shift) & (DIGITS - 1)] == n) continue;   /* one digit: in order */
        for (unsigned k = 0; k < DIGITS; k++) {
            uint32_t t = c[k];
            c[k] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) b[c[(a[i] >> shift) & (DIGITS - 1)]++] = a[i];
        uint64_t *t = a; a = b; b = t;
    }
    free(count);
    *out = a;
    return 1;
}

/* Fill e from the packed event v of segment g (which take_block
 * checked) and its document, the columns omit names with their defaults
 * (as ga_cells_rec_read and set_doc do). Returns 0 when its cold part's
 * texts are not laid out as packing writes them. */
static int fill_row(ga_event_row *e, const ga_block_rec *v, const seg_info *g,
                    const doc_ent *doc, const reader *r)
{
    unsigned omit = r->f->omit;
    const ga_block_cold *c = NULL;
    if (g->cbase && v->cold != GA_BLOCK_NO_COLD) {
        c = (const ga_block_cold *)(g->cbase + v->cold);
        if (!cold_texts_ok(c)) return 0;
    }
    double reals[6] = {v->x, v->y, (double)NAN, (double)NAN, (double)NAN, (double)NAN};
    int64_t id = (int64_t)(v->key & (((uint64_t)1 << GA_BLOCK_ID_BITS) - 1));
    if (v->extra) {
        const unsigned char *p = g->base + v->extra;
        if (v->bits & GA_BEV_ID) { memcpy(&id, p, 8); p += 8; }
        if (v->bits & GA_BEV_POINT) { memcpy(reals, p, 16); p += 16; }
        for (int i = 0; i < 4; i++)
            if (v->bits & (GA_BEV_ORIGIN_LON << i)) { memcpy(&reals[2 + i], p, 8); p += 8; }
    }
    const uint32_t *what = g->what + (size_t)v->what * GA_BLOCK_WHAT;
    const uint32_t *where = g->where + (size_t)v->where * GA_BLOCK_WHERE;
#define TXT(bit, o) (omit & (bit) ? NULL : seg_text(g, o))
#define WHAT(bit, i) TXT(bit, what[(i) - GA_BT_WHAT])
#define WHERE(bit, i) TXT(bit, where[(i) - GA_BT_WHERE])
#define COLD(bit, i) (omit & (bit) ? NULL : cold_text(c, i))
    e->id = id;
    uint64_t day = v->key >> GA_BLOCK_ID_BITS;
    e->event_date = v->key == UINT64_MAX ? seg_text(g, v->date)
                    : day == GA_BLOCK_UNDATED ? NULL : r->days + (day - r->dmin) * 11;
    e->type = WHAT(GA_EV_TYPE, GA_BT_TYPE);
    e->status = WHAT(GA_EV_STATUS, GA_BT_STATUS);
    e->trigger = WHAT(GA_EV_TRIGGER, GA_BT_TRIGGER);
    e->time_precision = omit & GA_EV_TIME_PRECISION ? 0 : v->time_precision;
    e->geo_precision = omit & GA_EV_GEO_PRECISION ? 0 : v->geo_precision;
    e->place_gid = WHERE(GA_EV_PLACE_GID, GA_BT_PLACE_GID);
    e->place_name = TXT(GA_EV_PLACE_NAME, v->place_name);
    e->kind = WHERE(GA_EV_KIND, GA_BT_KIND);
    e->country = WHERE(GA_EV_COUNTRY, GA_BT_COUNTRY);
    e->admin1 = WHERE(GA_EV_ADMIN1, GA_BT_ADMIN1);
    e->admin1_pcode = WHERE(GA_EV_ADMIN1_PCODE, GA_BT_ADMIN1_PCODE);
    e->admin2 = WHERE(GA_EV_ADMIN2, GA_BT_ADMIN2);
    e->admin2_pcode = WHERE(GA_EV_ADMIN2_PCODE, GA_BT_ADMIN2_PCODE);
    e->role = WHAT(GA_EV_ROLE, GA_BT_ROLE);
    e->origin_name = TXT(GA_EV_ORIGIN_NAME, v->origin_name);
    e->dest_name = TXT(GA_EV_DEST_NAME, v->dest_name);
    e->actors = COLD(GA_EV_ACTORS, GA_BT_ACTORS);
    e->people = omit & GA_EV_PEOPLE ? -1 : v->people;
    e->sentence = COLD(GA_EV_SENTENCE, GA_BT_SENTENCE);
    e->reason = COLD(GA_EV_REASON, GA_BT_REASON);
#undef TXT
#undef WHAT
#undef WHERE
#undef COLD
    int no_point = (omit & GA_EV_POINT) != 0, no_o = (omit & GA_EV_ORIGIN_POINT) != 0;
    int no_d = (omit & GA_EV_DEST_POINT) != 0;
    e->lon = no_point ? (double)NAN : reals[0];
    e->lat = no_point ? (double)NAN : reals[1];
    e->origin_lon = no_o ? (double)NAN : reals[2];
    e->origin_lat = no_o ? (double)NAN : reals[3];
    e->dest_lon = no_d ? (double)NAN : reals[4];
    e->dest_lat = no_d ? (double)NAN : reals[5];
    e->doc_id = omit & GA_EV_DOC_ID || !doc ? NULL : doc->doc_id;
    e->title = omit & GA_EV_TITLE || !doc ? NULL : doc->title;
    e->url = omit & GA_EV_URL || !doc ? NULL : doc->url;
    e->source = omit & GA_EV_SOURCE || !doc ? NULL : doc->source;
    return 1;
}

/* Column col of event_blocks' row rowid, read into r's memory (*out,
 * *len bytes, a NUL after them) through the blob handle *h (opened on
 * first use): one copy, from the database's pages into ours. */
static ga_rc read_blob(reader *r, sqlite3_blob **h, const char *col, int64_t rowid,
                       unsigned char **out, size_t *len)
{
    sqlite3 *db = r->st->db;
    int src = *h ? sqlite3_blob_reopen(*h, rowid)
                 : sqlite3_blob_open(db, "main", "event_blocks", col, rowid, 0, h);
    unsigned char *p = NULL;
    int n = 0;
    if (src == SQLITE_OK) {
        n = sqlite3_blob_bytes(*h);
        p = mem_alloc(r->mem, (size_t)n + 1);
        if (!p) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        src = n ? sqlite3_blob_read(*h, p, n, 0) : SQLITE_OK;
        p[n] = 0;
    }
    if (src != SQLITE_OK) return ga_store_fail(r->st, r->err, src, "cannot read event_blocks");
    *out = p;
    *len = (size_t)n;
    return GA_OK;
}

/* A segment read for the helper thread to take (take_work), in the
 * reader's memory; next is published when the segment is read. */
typedef struct seg_job {
    _Atomic(struct seg_job *) next;
    int64_t b;
    unsigned char *data, *cold;
    size_t len, cold_len;
    seg_info g;
} seg_job;

/* The helper that takes the segments the query's thread reads, when the
 * caller hands rows to several threads: SQLite copies the blobs in one
 * thread while the other tests their events (take_block), which holds
 * about half of a large query's reading. It has its own copy of the
 * reader, which it alone writes until it is joined (the kept events'
 * arrays in r's memory too); the query's thread alone allocates memory
 * and reads the database, so the helper collects the documents of its
 * kept events, which the query's thread looks up after. */
typedef struct {
    reader r;
    ga_err err;
    blk_vec doc_ids;
    seg_job head;              /* before the first job */
    seg_job *tail;             /* the last job published */
    atomic_int done;           /* every job is published */
    atomic_int stop;           /* the helper stopped: an error or a segment it cannot read */
    atomic_int sleeping;       /* the helper waits on wake (a blob read from disk) */
    pthread_mutex_t mu;
    pthread_cond_t wake;
    ga_rc rc;
    pthread_t tid;
    int started;
} take_helper;

/* The bytes of segments a query's thread takes itself before it starts a
 * helper (about 12,000 events): a small query is over before the helper
 * would have started. */
#define HELPER_AFTER ((size_t)1 << 20)

static void *take_work(void *arg)
{
    take_helper *h = arg;
    seg_job *cur = &h->head;
    for (unsigned spins = 0;;) {
        seg_job *j = atomic_load(&cur->next);
        if (!j) {
            if (!atomic_load(&h->done)) {
                /* the next blob is most often microseconds away; else
                 * sleep until the query's thread publishes one (it
                 * reads the flag after publishing, this thread the job
                 * after setting it: one of them sees the other) */
                if (++spins < SPIN_TURN) {
                    cpu_relax();
                    continue;
                }
                pthread_mutex_lock(&h->mu);
                atomic_store(&h->sleeping, 1);
                while (!atomic_load(&cur->next) && !atomic_load(&h->done))
                    pthread_cond_wait(&h->wake, &h->mu);
                atomic_store(&h->sleeping, 0);
                pthread_mutex_unlock(&h->mu);
                spins = 0;
                continue;
            }
            if (!(j = atomic_load(&cur->next))) break;
        }
        spins = 0;
        cur = j;
        size_t kept;
        h->rc = take_block(&h->r, j->b, &j->g, j->data, j->len, j->cold, j->cold_len, &kept);
        if (h->rc || h->r.fall_back) {
            atomic_store(&h->stop, 1);
            break;
        }
    }
    return NULL;
}

/* Start the helper on r's state (r->pipe). Returns 0 when it cannot:
 * the query's thread goes on alone. */
static int helper_start(take_helper *h, const reader *r)
{
    h->r = *r;
    h->r.err = &h->err;
    h->r.doc_ids = &h->doc_ids;
    h->r.last_doc_id = -1;
    h->tail = &h->head;
    atomic_init(&h->head.next, NULL);
    atomic_init(&h->done, 0);
    atomic_init(&h->stop, 0);
    atomic_init(&h->sleeping, 0);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->wake, NULL);
    h->started = !pthread_create(&h->tid, NULL, take_work, h);
    if (!h->started) {
        pthread_cond_destroy(&h->wake);
        pthread_mutex_destroy(&h->mu);
    }
    return h->started;
}

/* Wake the helper if it sleeps (after a job is published or done set). */
static void helper_wake(take_helper *h)
{
    if (!atomic_load(&h->sleeping)) return;
    pthread_mutex_lock(&h->mu);
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->mu);
}

/* Wait for the helper and take over its state: its kept events, the
 * documents they need (looked up now), its error. */
static ga_rc helper_join(take_helper *h, reader *r, ga_rc rc)
{
    atomic_store(&h->done, 1);
    helper_wake(h);
    pthread_join(h->tid, NULL);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->mu);
    h->started = 0;
    r->all_short = h->r.all_short;
    r->dmin = h->r.dmin;
    r->dmax = h->r.dmax;
    r->fall_back |= h->r.fall_back;
    if (!rc && h->rc) {
        *r->err = h->err;
        rc = h->rc;
    }
    for (size_t i = 0; i < h->doc_ids.n && !rc && !r->fall_back; i++) {
        const doc_ent *d;
        rc = doc_find(r, h->doc_ids.v[i], &d);
    }
    ga_vec_free(&h->doc_ids);
    return rc;
}

/* Take a segment read by the query's thread: give it to the helper when
 * one runs, else take it here (giving back its copies when it keeps no
 * event), starting the helper after HELPER_AFTER bytes when r->pipe. */
static ga_rc take_read(reader *r, take_helper *h, size_t *taken, int64_t b,
                       unsigned char *data, size_t len, unsigned char *cold, size_t cold_len)
{
    if (h->started) {
        seg_job *j = mem_alloc(r->mem, sizeof *j);
        if (!j) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
        atomic_init(&j->next, NULL);
        j->b = b;
        j->data = data;
        j->len = len;
        j->cold = cold;
        j->cold_len = cold_len;
        atomic_store(&h->tail->next, j);
        h->tail = j;
        helper_wake(h);
        return GA_OK;
    }
    seg_info *g = mem_alloc(r->mem, sizeof *g);
    if (!g) return ga_err_set(r->err, GA_ENOMEM, "out of memory");
    size_t kept;
    ga_rc rc = take_block(r, b, g, data, len, cold, cold_len, &kept);
    if (!rc && !kept && !r->fall_back) {
        mem_unalloc(r->mem, g, sizeof *g);
        if (cold) mem_unalloc(r->mem, cold, cold_len + 1);
        mem_unalloc(r->mem, data, len + 1);
    }
    if (!rc && !r->fall_back && r->pipe && *taken < HELPER_AFTER &&
        (*taken += len + cold_len) >= HELPER_AFTER)
        helper_start(h, r);
    return rc;
}

/* Read the segments of the blocks of the runs (the marked ones packed
 * from event_cells) into r's items, within one read transaction. */
static ga_rc read_blocks(reader *r, const block_run *runs, size_t nruns)
{
    ga_store *st = r->st;
    ga_err *err = r->err;
    sqlite3_stmt *hold = NULL, *s = NULL;
    sqlite3_blob *hd = NULL, *hc = NULL;
    ga_block_spans dirty = {0};
    ga_block_pieces pieces = {0};
    ga_buf packed = {0}, packed_cold = {0};
    take_helper h = {.started = 0};
    size_t taken = 0;
    /* a statement left on a row holds one read transaction for all reads */
    ga_rc rc = ga_store_prepare(st, "SELECT 1 FROM sqlite_master", &hold, err);
    int hsrc = hold ? sqlite3_step(hold) : SQLITE_OK;
    if (!rc && hsrc != SQLITE_ROW && hsrc != SQLITE_DONE)
        rc = ga_store_fail(st, err, hsrc, "cannot read the database");
    if (!rc) rc = dirty_spans(st, runs, nruns, &dirty, err);
    /* the segments from the table's key alone (blk, lo, rowid), their
     * blobs through blob handles, which copy them once where a
     * statement's column copies them twice; the cold blobs only for a
     * caller that shows a cold column */
    if (!rc) rc = ga_store_prepare(st, "SELECT rowid, blk, lo FROM event_blocks"
                                   " WHERE blk BETWEEN ?1 AND ?2", &s, err);
    if (!rc && r->need_doc)
        rc = ga_store_prepare(st, "SELECT doc_id, title, url, source FROM documents"
                              " WHERE id = ?1", &r->doc_s, err);
    for (size_t k = 0; k < nruns && !rc && !r->fall_back; k++) {
        sqlite3_bind_int64(s, 1, runs[k].lo);
        sqlite3_bind_int64(s, 2, runs[k].hi);
        int src = SQLITE_DONE;
        while (!rc && !r->fall_back && !(h.started && atomic_load(&h.stop)) &&
               (src = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t rowid = sqlite3_column_int64(s, 0), b = sqlite3_column_int64(s, 1);
            if (dirty.n && span_marked(&dirty, b, sqlite3_column_int64(s, 2))) continue;
            unsigned char *data = NULL, *cold = NULL;
            size_t len = 0, cold_len = 0;
            rc = read_blob(r, &hd, "data", rowid, &data, &len);
            if (!rc && r->need_cold) rc = read_blob(r, &hc, "cold", rowid, &cold, &cold_len);
            if (!rc) rc = take_read(r, &h, &taken, b, data, len, cold, cold_len);
        }
        if (!rc && !r->fall_back && src != SQLITE_DONE && src != SQLITE_ROW)
            rc = ga_store_fail(st, err, src, "cannot read event_blocks");
        sqlite3_reset(s);
        if (h.started && atomic_load(&h.stop)) break;
    }
    for (size_t i = 0; i < dirty.n && !rc && !r->fall_back && !(h.started && atomic_load(&h.stop));
         i++) {
        const ga_block_span *sp = &dirty.v[i];
        rc = ga_store_blocks_pack(st, sp, SIZE_MAX, &packed, &packed_cold, &pieces, err);
        for (size_t j = 0; j < pieces.n && !rc && !r->fall_back; j++) {
            const ga_block_piece *p = &pieces.v[j];
            unsigned char *data = copy_blob(r, packed.data + p->off, p->len), *cold = NULL;
            if (data && r->need_cold)
                cold = copy_blob(r, p->cold_len ? packed_cold.data + p->cold_off : "", p->cold_len);
            if (!data || (r->need_cold && !cold)) rc = GA_ENOMEM;
            else rc = take_read(r, &h, &taken, sp->blk, data, p->len, cold, p->cold_len);
        }
    }
    if (h.started) rc = helper_join(&h, r, rc);
    sqlite3_blob_close(hd);
    sqlite3_blob_close(hc);
    sqlite3_finalize(s);
    sqlite3_finalize(hold);
    ga_buf_free(&packed);
    ga_buf_free(&packed_cold);
    ga_vec_free(&pieces);
    ga_vec_free(&dirty);
    return rc;
}

/* The read doc_find() of a document the scan looked up already: no
 * statement and no change to r, so threads may share it. */
static const doc_ent *doc_peek(const reader *r, int64_t id)
{
    if (!r->cap_docs) return NULL;
    size_t j = (size_t)ga_hash64(&id, sizeof id) & (r->cap_docs - 1);
    while (r->docs[j].used && r->docs[j].id != id) j = (j + 1) & (r->cap_docs - 1);
    return r->docs[j].used ? &r->docs[j] : NULL;
}

/* The kept events of a query in the order of its listing, capped at its
 * limit: their hot parts, and cold parts when the caller reads them.
 * With ord set, p is gathered a chunk at a time by the thread that fills
 * the chunk's rows (gather_chunk): p[i] is refs[ord[i] & xmask]. */
typedef struct {
    item_ref *p;
    size_t n;
    const uint64_t *ord;
    uint64_t xmask;
    const item_ref *refs;
} listing;

/* Gather rows [lo, hi) of l, when its threads gather them. */
static void gather_chunk(const listing *l, size_t lo, size_t hi)
{
    if (!l->ord) return;
    for (size_t i = lo; i < hi; i++) l->p[i] = l->refs[l->ord[i] & l->xmask];
}

/* Read the blocks of f's query into r (r->fall_back: the caller reads
 * event_cells) and sort the kept events into *out; with par, leave the
 * gather to the threads of the rows when the dates of the span of days
 * are cheap to write first (a span of at most a quarter as many days as rows). */
static ga_rc read_sorted(reader *r, listing *out, int par)
{
    const ga_filter *f = r->f;
    ga_blocks_mem *m = r->mem;
    ga_err *err = r->err;
    block_runs_vec runs = {0};
    *out = (listing){0};
    ga_rc rc = block_runs(f, r->box, &runs, err);
    if (!rc) rc = read_blocks(r, runs.v, runs.n);
    sqlite3_finalize(r->doc_s);
    r->doc_s = NULL;
    ga_vec_free(&runs);
    if (rc || r->fall_back) return rc;
    size_t n = m->nitems;
    const uint64_t *ord = NULL;
    unsigned xb = 0, dshift = 64;
    uint64_t dlo = 0;
    int sorted = sort_items(m, r->all_short, par, &ord, &xb, &dshift, &dlo);
    if (sorted == 0) return ga_err_set(err, GA_ENOMEM, "out of memory");
    if (f->limit > 0 && (size_t)f->limit < n) n = (size_t)f->limit;
    /* the events are read in date order from all over the copies: first
     * their records and segments in that order (a short loop, whose loads
     * the processor overlaps), then the rows */
    const uint64_t xmask = ((uint64_t)1 << xb) - 1;
    /* the dates of the days of short keys, one text a day from the
     * lowest (11 bytes a day of the span), written for the days listed
     * only: a day is written when it differs from the one written last,
     * before any row reads it */
    size_t span = r->dmin <= r->dmax ? (size_t)(r->dmax - r->dmin + 1) : 0;
    if (span && !(r->days = mem_alloc(m, span * 11)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    out->p = m->seq;
    out->n = n;
    if (par && span <= n / 4) {
        for (size_t d = 0; d < span; d++) ga_block_day_text(r->dmin + d, r->days + d * 11);
        out->ord = ord;
        out->xmask = xmask;
        out->refs = m->refs;
        return GA_OK;
    }
    uint64_t last = GA_BLOCK_UNDATED;
    for (size_t i = 0; i < n; i++) {
        uint64_t w = ord[i];
        size_t k = (size_t)(w & xmask);
        m->seq[i] = m->refs[k];
        /* the day from the sorted word where it holds one (no load) */
        uint64_t key = dshift < 64 ? 0 : m->keys[k];
        uint64_t day = dshift < 64      ? (w >> dshift) + dlo
                       : key != UINT64_MAX ? key >> GA_BLOCK_ID_BITS
                                           : GA_BLOCK_UNDATED;
        if (day != last && day != GA_BLOCK_UNDATED) {
            ga_block_day_text(day, r->days + (day - r->dmin) * 11);
            last = day;
        }
    }
    return GA_OK;
}

/* Rows are filled this many ahead of the line of their record being
 * asked for: a row's work is long enough that a load missing the cache
 * would hold up the rows after it. */
enum { AHEAD = 16 };

/* The prefetch of row i of the listing's records v (one line each). A
 * macro: GCC 12 drops prefetches that sit in an inline function. */
#define PREFETCH_ROW(p, i) __builtin_prefetch((p)[i].v)

/* The prefetches of the lines a caller reads through row i's record,
 * which the first prefetch brought in AHEAD / 2 rows before: its place
 * name and its entry of admin texts, apart from the record in the
 * segment's tables and texts. */
#define PREFETCH_TEXTS(p, i)                                                           \
    do {                                                                               \
        const ga_block_rec *v_ = (p)[i].v;                                             \
        const seg_info *g_ = (p)[i].g;                                                 \
        __builtin_prefetch(g_->base + v_->place_name);                                 \
        __builtin_prefetch(g_->where + (size_t)v_->where * GA_BLOCK_WHERE);            \
    } while (0)

/* Fill row i of l into e; *last is the previous row's document (NULL
 * before the first), the next one's often. Returns 0 for a damaged
 * event. */
static inline int listing_row(const reader *r, const listing *l, size_t i, ga_event_row *e,
                              const doc_ent **last)
{
    const doc_ent *d = NULL;
    if (r->need_doc) {
        int64_t id = l->p[i].v->doc;
        d = *last && (*last)->id == id ? *last : (*last = doc_peek(r, id));
    }
    return fill_row(e, l->p[i].v, l->p[i].g, d, r);
}

static ga_rc damaged(ga_err *err, const listing *l, size_t i)
{
    return ga_err_set(err, GA_EDB, "event_blocks is damaged (event %lld)",
                      (long long)rec_id(l->p[i].v, l->p[i].g));
}

/* Start a query on st's kept memory; NULL (err set) when out of memory. */
static ga_blocks_mem *blocks_begin(ga_store *st, ga_err *err)
{
    if (!st->blocks_mem && !(st->blocks_mem = calloc(1, sizeof *st->blocks_mem))) {
        ga_err_set(err, GA_ENOMEM, "out of memory");
        return NULL;
    }
    mem_begin(st->blocks_mem);
    return st->blocks_mem;
}

static reader reader_for(ga_store *st, const ga_filter *f, const double box[4],
                         ga_blocks_mem *m, ga_err *err)
{
    reader r = {.st = st, .f = f, .box = box, .mem = m, .all_short = 1, .dmin = UINT64_MAX,
                .err = err};
    r.other = f->date_from || f->date_to || f->type || f->status || f->min_precision > 0;
    r.need_doc = (f->omit & DOC_COLS) != DOC_COLS;
    r.need_cold = (f->omit & COLD_COLS) != COLD_COLS;
    return r;
}

ga_rc ga_query_events_blocks(ga_store *st, const ga_filter *f, const double box[4],
                             ga_event_cb cb, void *arg, int *done, ga_err *err)
{
    *done = 0;
    ga_blocks_mem *m = blocks_begin(st, err);
    if (!m) return GA_ENOMEM;
    reader r = reader_for(st, f, box, m, err);
    listing l;
    ga_rc rc = read_sorted(&r, &l, 0);
    /* r.fall_back: a block this file does not read; the caller reads event_cells */
    if (!r.fall_back) *done = 1;
    const item_ref *sp = l.p;
    for (size_t i = 0; i < l.n && i < AHEAD && !rc && !r.fall_back; i++) PREFETCH_ROW(sp, i);
    const doc_ent *last = NULL;
    for (size_t i = 0; i < l.n && !rc && !r.fall_back; i++) {
        if (i + AHEAD < l.n) PREFETCH_ROW(sp, i + AHEAD);
        if (i + AHEAD / 2 < l.n) PREFETCH_TEXTS(sp, i + AHEAD / 2);
        ga_event_row e;
        if (!listing_row(&r, &l, i, &e, &last)) {
            rc = damaged(err, &l, i);
            break;
        }
        if (!cb(&e, arg)) break;
    }
    free(r.docs);
    mem_end(m);
    return rc;
}

/* ---- rows in several threads ------------------------------------------------ */

typedef struct {
    const reader *r;
    const listing *l;
    ga_event_cb cb;
    const ga_event_par *par;
    size_t nchunks;
    atomic_size_t next_chunk;      /* the next chunk a thread may take */
    pthread_mutex_t mu;
    pthread_cond_t turn;
    atomic_size_t next_done;       /* the chunk whose chunk_done is due (written under mu) */
    atomic_size_t stop_chunk;      /* the last chunk written (SIZE_MAX: all) */
    size_t bad_row;                /* a damaged event (SIZE_MAX: none) */
} par_run;

typedef struct {
    par_run *run;
    void *arg;
} par_thread;

/* Stop the listing after chunk c (under run->mu). */
static void stop_after(par_run *run, size_t c)
{
    if (c < atomic_load(&run->stop_chunk)) atomic_store(&run->stop_chunk, c);
}


/* Take chunks until none is left or the listing stopped before them;
 * fill each one's rows and pass them to cb, then wait for the chunk's
 * turn and call chunk_done. */
static void *par_work(void *p)
{
    par_thread *t = p;
    par_run *run = t->run;
    const listing *l = run->l;
    for (;;) {
        size_t c = atomic_fetch_add(&run->next_chunk, 1);
        if (c >= run->nchunks || c > atomic_load(&run->stop_chunk)) break;
        size_t lo = c * GA_EVENT_CHUNK, hi = lo + GA_EVENT_CHUNK < l->n ? lo + GA_EVENT_CHUNK : l->n;
        size_t bad = SIZE_MAX;
        int more = 1;
        const doc_ent *last = NULL;
        const item_ref *sp = l->p;
        gather_chunk(l, lo, hi);
        for (size_t i = lo; i < hi && i < lo + AHEAD; i++) PREFETCH_ROW(sp, i);
        for (size_t i = lo; i < hi; i++) {
            if (c > atomic_load(&run->stop_chunk)) break;   /* rows after a stop */
            if (i + AHEAD < hi) PREFETCH_ROW(sp, i + AHEAD);
            if (i + AHEAD / 2 < hi) PREFETCH_TEXTS(sp, i + AHEAD / 2);
            ga_event_row e;
            if (!listing_row(run->r, l, i, &e, &last)) { bad = i; more = 0; break; }
            if (!run->cb(&e, t->arg)) { more = 0; break; }
        }
        /* the chunk before is most often a few microseconds from done:
         * waiting for it on the condition costs a sleep and a wake-up,
         * which on a virtual machine take longer than the chunk's rows */
        for (int spin = 0; spin < SPIN_TURN && atomic_load(&run->next_done) != c &&
                           c <= atomic_load(&run->stop_chunk); spin++)
            cpu_relax();
        pthread_mutex_lock(&run->mu);
        if (!more) {
            stop_after(run, c);
            if (bad < run->bad_row) run->bad_row = bad;
        }
        while (atomic_load(&run->next_done) != c && c <= atomic_load(&run->stop_chunk))
            pthread_cond_wait(&run->turn, &run->mu);
        if (c <= atomic_load(&run->stop_chunk)) {
            if (!run->par->chunk_done(t->arg)) stop_after(run, c);
            atomic_store(&run->next_done, c + 1);
        }
        pthread_cond_broadcast(&run->turn);
        pthread_mutex_unlock(&run->mu);
    }
    return NULL;
}

ga_rc ga_query_events_blocks_par(ga_store *st, const ga_filter *f, const double box[4],
                                 ga_event_cb cb, const ga_event_par *par, int *done,
                                 ga_err *err)
{
    *done = 0;
    ga_blocks_mem *m = blocks_begin(st, err);
    if (!m) return GA_ENOMEM;
    reader r = reader_for(st, f, box, m, err);
    r.pipe = par->nthreads > 1;
    listing l;
    ga_rc rc = read_sorted(&r, &l, 1);
    if (!rc && !r.fall_back) {
        *done = 1;
        par_run run = {.r = &r, .l = &l, .cb = cb, .par = par, .bad_row = SIZE_MAX};
        /* an empty listing is one empty chunk: chunk_done still runs */
        run.nchunks = l.n ? (l.n + GA_EVENT_CHUNK - 1) / GA_EVENT_CHUNK : 1;
        atomic_init(&run.next_chunk, 0);
        atomic_init(&run.next_done, 0);
        atomic_init(&run.stop_chunk, SIZE_MAX);
        pthread_mutex_init(&run.mu, NULL);
        pthread_cond_init(&run.turn, NULL);
        int nth = par->nthreads < 1 ? 1 : par->nthreads > GA_EVENT_PAR_MAX ? GA_EVENT_PAR_MAX
                                                                          : par->nthreads;
        if ((size_t)nth > run.nchunks) nth = (int)run.nchunks;
        /* a short listing is over before a thread would have started */
        if (run.nchunks < GA_EVENT_PAR_MIN_CHUNKS) nth = 1;
        par_thread th[GA_EVENT_PAR_MAX];
        pthread_t tid[GA_EVENT_PAR_MAX];
        int started[GA_EVENT_PAR_MAX] = {0};
        for (int t = 0; t < nth; t++) th[t] = (par_thread){&run, par->arg[t]};
        /* a thread that cannot start leaves its share to the others */
        for (int t = 1; t < nth; t++) started[t] = !pthread_create(&tid[t], NULL, par_work, &th[t]);
        par_work(&th[0]);
        for (int t = 1; t < nth; t++)
            if (started[t]) pthread_join(tid[t], NULL);
        pthread_cond_destroy(&run.turn);
        pthread_mutex_destroy(&run.mu);
        if (run.bad_row != SIZE_MAX) rc = damaged(err, &l, run.bad_row);
    }
    free(r.docs);
    mem_end(m);
    return rc;
}
