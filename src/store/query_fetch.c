/*
 * query_fetch.c: events with a spatial filter (region, box, distance) in
 * two passes, so that the cost per returned row is one read of that row
 * in storage order and nothing more.
 *
 * Pass one reads only the events R*Tree (idx_events_geom, straight from
 * its node table) over the filter's search box and decides each point
 * from its R*Tree box (float32 corners around the exact point): the
 * region's grid cell (inside,
 * outside, border), the box inside or outside --bbox, the distance from
 * the --near centre with a margin wider than the box. Points that are
 * decided out are dropped there; points that cannot be decided from the
 * box are marked for the exact test. The ids are sorted (radix sort).
 *
 * Pass two reads the rows in id order, which is the order of the table's
 * pages, through one prepared statement bound per id: the filters that
 * are not spatial always, the exact spatial tests only for marked ids.
 * The document columns come from a one-entry cache keyed by document id
 * (an event's document is usually the previous event's). Rows are copied
 * into an arena and sorted by date (undated last) then id in memory, or,
 * for f->unordered, passed on as they are read.
 */
#include "store/query_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "geo/ga_geo.h"

/* Metres added to the distance from a corner of an R*Tree box before a
 * point is taken as surely inside or outside the --near circle: far more
 * than the box's diagonal (float32 degrees: under a metre). */
#define NEAR_MARGIN_M 10.0

/* ---- pass one: candidate ids ---------------------------------------------- */

/* Candidate keys: id << 1, low bit 1 when the exact spatial test is needed. */
typedef struct {
    uint64_t *k;
    size_t n, cap;
} keys;

static int keys_push(keys *c, uint64_t v)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4096;
        uint64_t *p = realloc(c->k, cap * sizeof *p);
        if (!p) return 0;
        c->k = p;
        c->cap = cap;
    }
    c->k[c->n++] = v;
    return 1;
}

/* Sort v[0..n) ascending: least significant byte first, only as many
 * byte passes as the largest key needs. Returns 0 when out of memory. */
static int radix_sort(uint64_t *v, size_t n)
{
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++) if (v[i] > max) max = v[i];
    if (n < 2) return 1;
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return 0;
    uint64_t *src = v, *dst = tmp;
    for (int shift = 0; shift < 64 && (max >> shift); shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((src[i] >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) dst[count[(src[i] >> shift) & 0xff]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    free(tmp);
    return 1;
}

/* What the R*Tree box [x0, x1] x [y0, y1] of a point says about the
 * spatial filters of f: -1 surely fails, 1 surely passes, 0 needs the
 * exact test. */
static int decide(const ga_filter *f, double x0, double x1, double y0, double y1)
{
    const ga_filter_res *r = f->res;
    int sure = 1;
    if (r->has_region) {
        if (!r->outline) {
            sure = 0;   /* outline only SpatiaLite reads: ST_Intersects on the row */
        } else {
            /* cells are classified grown by about 5 m: the corner's cell
             * answers for the point */
            int cell = ga_outline_cell(r->outline, x0, y0);
            if (cell == GA_CELL_OUT) return -1;
            if (cell == GA_CELL_BORDER) sure = 0;
        }
    }
    if (f->has_bbox) {
        if (x1 < f->west || x0 > f->east || y1 < f->south || y0 > f->north) return -1;
        if (!(x0 >= f->west && x1 <= f->east && y0 >= f->south && y1 <= f->north)) sure = 0;
    }
    if (r->has_near) {
        double d = ga_geo_dist_m(r->near_lon, r->near_lat, x0, y0);
        if (d - NEAR_MARGIN_M > r->near_m) return -1;
        if (!(d + NEAR_MARGIN_M <= r->near_m)) sure = 0;
    }
    return sure;
}

/* The events R*Tree (SpatiaLite's idx_events_geom: rtree(pkid, xmin,
 * xmax, ymin, ymax), 32-bit floats) is read straight from its node table,
 * in the format rtree_pack.c describes, rather than through the rtree
 * virtual table: the table's cursor costs about half a microsecond per
 * box it returns (a row of five columns through the SQL machinery), more
 * than pass two spends on many rows. The boxes are compared exactly as
 * rtree.c compares them (the float widened to a double against the
 * double bounds), on interior nodes and leaves alike, so the same ids
 * come out. */
#define EVENTS_RTREE "idx_events_geom"
#define RT_CELL_BYTES 24       /* 8-byte id, four 4-byte floats */
#define RT_MAX_DEPTH 40        /* rtree.c's RTREE_MAX_DEPTH */

static uint64_t rt_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
    return v;
}

static double rt_float(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* 1 when the events R*Tree is the two-dimensional float rtree this file
 * reads, as SpatiaLite's CreateSpatialIndex() declares it (anything else
 * is read through the virtual table). Known by its declaration, since
 * asking the virtual table for its columns would connect it, a quarter of
 * a millisecond. */
static int rtree_readable(ga_store *st)
{
    sqlite3_stmt *s = NULL;
    int ok = sqlite3_prepare_v2(st->db, "SELECT sql FROM sqlite_master WHERE name = '"
                                EVENTS_RTREE "' AND type = 'table'", -1, &s, NULL) == SQLITE_OK &&
             sqlite3_step(s) == SQLITE_ROW;
    const char *sql = ok ? (const char *)sqlite3_column_text(s, 0) : NULL;
    ok = sql && sqlite3_strlike("CREATE VIRTUAL TABLE % USING rtree(pkid, xmin, xmax, ymin, ymax)",
                                sql, 0) == 0;
    sqlite3_finalize(s);
    return ok;
}

/* Keep the key of a leaf box, unless decide() rules it out. */
static ga_rc keep_box(const ga_filter *f, int64_t id, double x0, double x1, double y0,
                      double y1, keys *c, ga_err *err)
{
    int d = decide(f, x0, x1, y0, y1);
    if (d < 0 || id < 0) return GA_OK;
    if (!keys_push(c, ((uint64_t)id << 1) | (d == 0)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    return GA_OK;
}

/* Pass one from the node table: the nodes whose box meets box, depth
 * first from the root (node 1), through a stack of (node, depth). */
static ga_rc walk_rtree(ga_store *st, const ga_filter *f, const double box[4], keys *c,
                        ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT data FROM " EVENTS_RTREE "_node WHERE nodeno = ?1",
                                &s, err);
    if (rc) return rc;
    GA_VEC(int64_t) stack = {0};   /* node number, then its depth */
    int64_t node = 1, depth = -1;  /* the root's depth is in its header */
    for (;;) {
        sqlite3_bind_int64(s, 1, node);
        int src = sqlite3_step(s);
        if (src != SQLITE_ROW) {
            rc = src == SQLITE_DONE && node == 1 ? GA_OK   /* an empty table */
                 : src == SQLITE_DONE ? ga_err_set(err, GA_EDB, "the spatial index of events is "
                                                   "damaged (node %lld missing)", (long long)node)
                                      : ga_store_fail(st, err, src, "cannot read the spatial index");
            break;
        }
        const unsigned char *b = sqlite3_column_blob(s, 0);
        int len = sqlite3_column_bytes(s, 0);
        int n = len >= 4 ? b[2] << 8 | b[3] : 0;
        if (depth < 0 && len >= 4) depth = b[0] << 8 | b[1];
        if (len < 4 || 4 + (size_t)n * RT_CELL_BYTES > (size_t)len || depth > RT_MAX_DEPTH) {
            rc = ga_err_set(err, GA_EDB, "the spatial index of events is damaged (node %lld)",
                            (long long)node);
            break;
        }
        for (int i = 0; i < n && !rc; i++) {
            const unsigned char *cell = b + 4 + (size_t)i * RT_CELL_BYTES;
            double x0 = rt_float(cell + 8), x1 = rt_float(cell + 12);
            double y0 = rt_float(cell + 16), y1 = rt_float(cell + 20);
            if (!(x0 <= box[2] && x1 >= box[0] && y0 <= box[3] && y1 >= box[1])) continue;
            int64_t id = (int64_t)rt_u64(cell);
            if (depth == 0) rc = keep_box(f, id, x0, x1, y0, y1, c, err);
            else if (ga_vec_push(&stack, id) || ga_vec_push(&stack, depth - 1))
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        }
        sqlite3_reset(s);
        if (rc || stack.n == 0) break;
        depth = stack.v[--stack.n];
        node = stack.v[--stack.n];
    }
    ga_vec_free(&stack);
    sqlite3_finalize(s);
    return rc;
}

/* Candidate keys of the events whose R*Tree box meets box, decided by
 * decide(); sorted by id. */
static ga_rc collect_keys(ga_store *st, const ga_filter *f, const double box[4], keys *c,
                          ga_err *err)
{
    ga_rc rc = GA_OK;
    if (rtree_readable(st)) {
        rc = walk_rtree(st, f, box, c, err);
    } else {
        static const char sql[] = "SELECT pkid, xmin, xmax, ymin, ymax FROM " EVENTS_RTREE
                                  " WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2";
        sqlite3_stmt *s = NULL;
        if ((rc = ga_store_prepare(st, sql, &s, err))) return rc;
        for (int i = 0; i < 4; i++) sqlite3_bind_double(s, i + 1, box[i]);
        int src;
        while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
            rc = keep_box(f, sqlite3_column_int64(s, 0), sqlite3_column_double(s, 1),
                          sqlite3_column_double(s, 2), sqlite3_column_double(s, 3),
                          sqlite3_column_double(s, 4), c, err);
        if (!rc && src != SQLITE_DONE)
            rc = ga_store_fail(st, err, src, "cannot read the spatial index");
        sqlite3_finalize(s);
    }
    if (!rc && !radix_sort(c->k, c->n)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    return rc;
}

/* ---- the key list as a table ------------------------------------------------ */

/* ga_keys(list): a table-valued function over a candidate list bound as
 * a pointer (type "ga_keys"), one row per key in list order: id and sure
 * (1 when pass one decided the point passes). Pass two joins it with
 * events, so one statement reads all rows with one cursor on the table
 * instead of one statement run per id. A NULL or missing list gives no
 * rows. */
#define KEYS_POINTER "ga_keys"

typedef struct {
    sqlite3_vtab base;
} keys_vtab;

typedef struct {
    sqlite3_vtab_cursor base;
    const keys *list;          /* bound list, or NULL */
    size_t i;                  /* current key */
} keys_cursor;

enum { KEYS_ID = 0, KEYS_SURE, KEYS_LIST };

static int keys_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **errmsg)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, sure INTEGER, list HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    keys_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v) return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    *out = &v->base;
    return SQLITE_OK;
}

static int keys_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int keys_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    int list = -1;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn != KEYS_LIST || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!c->usable) return SQLITE_CONSTRAINT;
        list = i;
    }
    if (list >= 0) {
        info->aConstraintUsage[list].argvIndex = 1;
        info->aConstraintUsage[list].omit = 1;
        info->idxNum = 1;
    }
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int keys_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    keys_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int keys_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int keys_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
                       sqlite3_value **argv)
{
    keys_cursor *c = (keys_cursor *)cur;
    c->list = idx == 1 && argc == 1 ? sqlite3_value_pointer(argv[0], KEYS_POINTER) : NULL;
    c->i = 0;
    return SQLITE_OK;
}

static int keys_next(sqlite3_vtab_cursor *cur)
{
    ((keys_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int keys_eof(sqlite3_vtab_cursor *cur)
{
    keys_cursor *c = (keys_cursor *)cur;
    return !c->list || c->i >= c->list->n;
}

static int keys_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    keys_cursor *c = (keys_cursor *)cur;
    uint64_t k = c->list->k[c->i];
    if (col == KEYS_ID) sqlite3_result_int64(ctx, (sqlite3_int64)(k >> 1));
    else if (col == KEYS_SURE) sqlite3_result_int(ctx, !(k & 1));
    else sqlite3_result_null(ctx);
    return SQLITE_OK;
}

static int keys_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((keys_cursor *)cur)->i;
    return SQLITE_OK;
}

static const sqlite3_module keys_module = {
    .xConnect = keys_connect,
    .xBestIndex = keys_best_index,
    .xDisconnect = keys_disconnect,
    .xOpen = keys_open,
    .xClose = keys_close,
    .xFilter = keys_filter,
    .xNext = keys_next,
    .xEof = keys_eof,
    .xColumn = keys_column,
    .xRowid = keys_rowid,
};

ga_rc ga_query_register_keys(ga_store *st, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM ga_keys(NULL)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_finalize(s);
        return GA_OK;
    }
    int src = sqlite3_create_module_v2(st->db, "ga_keys", &keys_module, NULL, NULL);
    if (src != SQLITE_OK) return ga_store_fail(st, err, src, "cannot register query functions");
    return GA_OK;
}

/* ---- pass two: rows --------------------------------------------------------- */

/* Blocks of copied rows and strings, freed together. */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

typedef struct {
    block *head;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!a->head || a->head->cap - a->head->used < n) {
        size_t cap = n > ((size_t)1 << 20) ? n : ((size_t)1 << 20);
        block *b = malloc(sizeof *b + cap);
        if (!b) return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

static void arena_free(arena *a)
{
    while (a->head) {
        block *b = a->head;
        a->head = b->next;
        free(b);
    }
}

/* Column i of s as text copied into a; NULL stays NULL. *oom set when
 * the copy fails. */
static const char *copy_text(arena *a, sqlite3_stmt *s, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t) return NULL;
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    char *p = arena_alloc(a, n + 1);
    if (!p) { *oom = 1; return NULL; }
    memcpy(p, t, n + 1);
    return p;
}

/* ga_col_text_fn over an arena: rows kept for sorting own their text. */
typedef struct {
    arena *a;
    int oom;                   /* 1 once a copy failed */
} arena_text;

static const char *arena_col_text(void *ctx, sqlite3_stmt *s, int i)
{
    arena_text *t = ctx;
    return copy_text(t->a, s, i, &t->oom);
}

/* ga_col_text_fn for rows passed on at once. */
static const char *step_col_text(void *ctx, sqlite3_stmt *s, int i)
{
    (void)ctx;
    return (const char *)sqlite3_column_text(s, i);
}

/* The document columns of an event row. */
#define DOC_COLS (GA_EV_DOC_ID | GA_EV_TITLE | GA_EV_URL | GA_EV_SOURCE)

/* The document columns of the last document asked for, copied into the
 * arena (rows kept for sorting point at them). */
typedef struct {
    sqlite3_stmt *s;           /* SELECT ... FROM documents WHERE id = ?1 */
    int valid;                 /* 1 once id and the strings are set */
    int64_t id;                /* documents.id of the strings below */
    const char *doc_id, *title, *url, *source;   /* NULL when there is no such document */
} doc_cache;

/* Point doc's strings at document id (a LEFT JOIN: all NULL when it is
 * missing). */
static ga_rc doc_get(ga_store *st, doc_cache *doc, int64_t id, arena *a, ga_err *err)
{
    if (doc->valid && doc->id == id) return GA_OK;
    sqlite3_reset(doc->s);
    sqlite3_bind_int64(doc->s, 1, id);
    int src = sqlite3_step(doc->s), oom = 0;
    doc->doc_id = doc->title = doc->url = doc->source = NULL;
    if (src == SQLITE_ROW) {
        doc->doc_id = copy_text(a, doc->s, 0, &oom);
        doc->title = copy_text(a, doc->s, 1, &oom);
        doc->url = copy_text(a, doc->s, 2, &oom);
        doc->source = copy_text(a, doc->s, 3, &oom);
    } else if (src != SQLITE_DONE) {
        return ga_store_fail(st, err, src, "cannot read documents");
    }
    sqlite3_reset(doc->s);
    if (oom) return ga_err_set(err, GA_ENOMEM, "out of memory");
    doc->valid = 1;
    doc->id = id;
    return GA_OK;
}

/* The document columns of e from the cache, but those omitted. */
static void set_doc(ga_event_row *e, const doc_cache *doc, unsigned omit)
{
    e->doc_id = omit & GA_EV_DOC_ID ? NULL : doc->doc_id;
    e->title = omit & GA_EV_TITLE ? NULL : doc->title;
    e->url = omit & GA_EV_URL ? NULL : doc->url;
    e->source = omit & GA_EV_SOURCE ? NULL : doc->source;
}

/* Order of kept rows: dated before undated, by date, then by id. */
static int cmp_rows(const void *pa, const void *pb)
{
    const ga_event_row *a = *(ga_event_row *const *)pa, *b = *(ga_event_row *const *)pb;
    if (!a->event_date != !b->event_date) return a->event_date ? -1 : 1;
    if (a->event_date) {
        int c = strcmp(a->event_date, b->event_date);
        if (c) return c;
    }
    return (a->id > b->id) - (a->id < b->id);
}

/* A row's sort key: the first 16 bytes of its date, big-endian and
 * zero-padded, so that comparing (d0, d1) as numbers orders dates of up
 * to 16 bytes as strcmp does; all ones for an undated row. exact is 0
 * when the key alone cannot decide (undated, or a longer date). */
typedef struct {
    uint64_t d0, d1;
    ga_event_row *row;
    int exact;
} sort_key;

static void make_key(sort_key *k, ga_event_row *row)
{
    k->row = row;
    k->d0 = k->d1 = UINT64_MAX;
    k->exact = 0;
    const unsigned char *d = (const unsigned char *)row->event_date;
    if (!d) return;
    uint64_t w[2] = {0, 0};
    size_t i = 0;
    for (; i < 16 && d[i]; i++) w[i / 8] |= (uint64_t)d[i] << (56 - 8 * (i % 8));
    k->d0 = w[0];
    k->d1 = w[1];
    k->exact = d[i] == 0;
}

/* Sort rows[0..n), given in id order, by date (undated last) then id: a
 * stable radix sort on the keys, byte by byte from the last, skipping
 * bytes every key shares; runs of equal keys the key cannot decide are
 * then sorted by cmp_rows(). Returns 0 when out of memory. */
static int sort_rows(ga_event_row **rows, size_t n)
{
    if (n < 2) return 1;
    sort_key *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return 0;
    }
    for (size_t i = 0; i < n; i++) make_key(&a[i], rows[i]);
    for (int pass = 0; pass < 16; pass++) {
        int word = pass < 8 ? 1 : 0, shift = 8 * (pass % 8);
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[(((word ? a[i].d1 : a[i].d0) >> shift) & 0xff) + 1]++;
        int shared = 0;
        for (int v = 1; v <= 256; v++) if (count[v] == n) shared = 1;
        if (shared) continue;
        for (int v = 0; v < 256; v++) count[v + 1] += count[v];
        for (size_t i = 0; i < n; i++)
            b[count[((word ? a[i].d1 : a[i].d0) >> shift) & 0xff]++] = a[i];
        sort_key *t = a; a = b; b = t;
    }
    for (size_t i = 0; i < n; i++) rows[i] = a[i].row;
    for (size_t i = 0, j; i < n; i = j) {
        int inexact = !a[i].exact;
        for (j = i + 1; j < n && a[j].d0 == a[i].d0 && a[j].d1 == a[i].d1; j++)
            inexact |= !a[j].exact;
        if (inexact && j - i > 1) qsort(rows + i, j - i, sizeof *rows, cmp_rows);
    }
    free(a);
    free(b);
    return 1;
}

/* Sort rows[0..n), in any order, by id: a radix sort on the ids, byte
 * by byte from the least significant, as many bytes as the largest id
 * needs. Returns 0 when out of memory. */
static int sort_by_id(ga_event_row **rows, size_t n)
{
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if ((uint64_t)rows[i]->id > max) max = (uint64_t)rows[i]->id;
    if (n < 2) return 1;
    ga_event_row **tmp = malloc(n * sizeof *tmp);
    if (!tmp) return 0;
    ga_event_row **src = rows, **dst = tmp;
    for (int shift = 0; shift < 64 && (max >> shift); shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[(((uint64_t)src[i]->id >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) dst[count[((uint64_t)src[i]->id >> shift) & 0xff]++] = src[i];
        ga_event_row **t = src; src = dst; dst = t;
    }
    if (src != rows) memcpy(rows, src, n * sizeof *rows);
    free(tmp);
    return 1;
}

/* Bits of an id in a short_key(). */
#define SHORT_ID_BITS 34

/* The whole sort order of row in one number, when its date is NULL or of
 * the form YYYY-MM-DD (for which strcmp's order is that of the number
 * YYYYMMDD) and its id is below 2^SHORT_ID_BITS: the date as YYYYMMDD
 * (undated: above every date) in the high bits, the id in the low ones.
 * Returns 0 when the row has no such key. */
static int short_key(const ga_event_row *row, uint64_t *key)
{
    if (row->id < 0 || (uint64_t)row->id >> SHORT_ID_BITS) return 0;
    uint64_t day = 99999999 + 1;
    const char *d = row->event_date;
    if (d) {
        day = 0;
        for (int i = 0; i < 10; i++) {
            if (i == 4 || i == 7) {
                if (d[i] != '-') return 0;
            } else {
                if (d[i] < '0' || d[i] > '9') return 0;
                day = day * 10 + (uint64_t)(d[i] - '0');
            }
        }
        if (d[10]) return 0;
    }
    *key = day << SHORT_ID_BITS | (uint64_t)row->id;
    return 1;
}

/* Sort rows[0..n) by date (undated last) then id through short_key(): a
 * radix sort of the keys, byte by byte from the least significant,
 * skipping bytes every key shares. Returns 1 when done, 0 when some row
 * has no short key (nothing changed), -1 when out of memory. */
static int sort_short(ga_event_row **rows, size_t n)
{
    if (n < 2) return 1;
    typedef struct { uint64_t key; ga_event_row *row; } item;
    item *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    uint64_t all_or = 0, all_and = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!short_key(rows[i], &a[i].key)) {
            free(a);
            free(b);
            return 0;
        }
        a[i].row = rows[i];
        all_or |= a[i].key;
        all_and &= a[i].key;
    }
    uint64_t differ = all_or ^ all_and;   /* bits that are not the same in every key */
    for (int shift = 0; shift < 64; shift += 8) {
        if (!((differ >> shift) & 0xff)) continue;
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((a[i].key >> shift) & 0xff) + 1]++;
        for (int v = 0; v < 256; v++) count[v + 1] += count[v];
        for (size_t i = 0; i < n; i++) b[count[(a[i].key >> shift) & 0xff]++] = a[i];
        item *t = a; a = b; b = t;
    }
    for (size_t i = 0; i < n; i++) rows[i] = a[i].row;
    free(a);
    free(b);
    return 1;
}

/* The kept rows of a spatial read (rows[0..n), in id order unless
 * by_id), sorted by date (undated last) then id, the first f->limit of
 * them to cb. */
static ga_rc deliver_sorted(const ga_filter *f, ga_event_row **rows, size_t n, int by_id,
                            ga_event_cb cb, void *arg, ga_err *err)
{
    int done = sort_short(rows, n);
    if (done < 0 || (!done && ((by_id && !sort_by_id(rows, n)) || !sort_rows(rows, n))))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    if (f->limit > 0 && (size_t)f->limit < n) n = (size_t)f->limit;
    for (size_t i = 0; i < n; i++)
        if (!cb(rows[i], arg)) break;
    return GA_OK;
}

/* ---- events from event_cells ------------------------------------------------- */

/* A run of event_cells keys, lo to hi: neighbouring cells of one grid row. */
typedef struct {
    int64_t lo, hi;
} cell_run;

typedef GA_VEC(cell_run) cell_runs;

/* Degrees by which a cell of event_cells is grown before asking the
 * outline about it: far more than the rounding of the cell numbers
 * (ga_cells_row/col, about 1e-13 degrees), far less than a cell. */
#define CELL_MARGIN 1e-7

/* The runs of cells that can hold a point passing the spatial filters of
 * f: the cells that meet box, less, for a region, those the outline's
 * grid says are wholly outside it. */
static ga_rc cells_runs(const ga_filter *f, const double box[4], cell_runs *runs, ga_err *err)
{
    const ga_outline *o = f->res->has_region ? f->res->outline : NULL;
    int64_t r0 = ga_cells_row(box[1]), r1 = ga_cells_row(box[3]);
    int64_t c0 = ga_cells_col(box[0]), c1 = ga_cells_col(box[2]);
    const double step = 1.0 / GA_CELLS_PER_DEG;
    for (int64_t r = r0; r <= r1; r++) {
        /* the cells at the grid's edges also hold the points beyond it */
        double y0 = r == 0 ? -INFINITY : (double)r * step - 90.0 - CELL_MARGIN;
        double y1 = r == GA_CELLS_ROWS - 1 ? INFINITY : (double)(r + 1) * step - 90.0 + CELL_MARGIN;
        int64_t open = -1;   /* first column of the run being built */
        for (int64_t c = c0; c <= c1 + 1; c++) {
            int keep = c <= c1;
            if (keep && o) {
                double x0 = c == 0 ? -INFINITY : (double)c * step - 180.0 - CELL_MARGIN;
                double x1 = c == GA_CELLS_COLS - 1 ? INFINITY
                                                   : (double)(c + 1) * step - 180.0 + CELL_MARGIN;
                keep = ga_outline_box_meets(o, x0, y0, x1, y1);
            }
            if (keep && open < 0) open = c;
            if (!keep && open >= 0) {
                cell_run run = {r * GA_CELLS_COLS + open, r * GA_CELLS_COLS + c - 1};
                if (ga_vec_push(runs, run)) return ga_err_set(err, GA_ENOMEM, "out of memory");
                open = -1;
            }
        }
    }
    return GA_OK;
}

/* 1 when the exact point (x, y) passes the spatial filters of f (inside
 * the search box box, then each filter's exact test, as GA_WHERE_KEYS
 * puts them: the region's grid cell and, in a border cell, the
 * point-in-polygon test; --bbox; the distance from the --near centre). */
int ga_query_point_pass(const ga_filter *f, const double box[4], double x, double y)
{
    const ga_filter_res *r = f->res;
    if (!(x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])) return 0;
    if (r->has_region) {
        int cell = ga_outline_cell(r->outline, x, y);
        if (cell == GA_CELL_OUT) return 0;
        if (cell == GA_CELL_BORDER && !ga_outline_covers(r->outline, x, y)) return 0;
    }
    if (f->has_bbox && !(x >= f->west && x <= f->east && y >= f->south && y <= f->north))
        return 0;
    if (r->has_near && !ga_geo_at_most_m(r->near_lon, r->near_lat, x, y, r->near_m)) return 0;
    return 1;
}

/* A field of rec at *p (event_cells.c gives the format): an integer into
 * *v (NULL: *is_null), or a text, NUL-terminated in place, into *t (NULL
 * for a NULL). Returns 0 when rec is not in the format. */
static int rec_int(char **p, const char *end, int64_t *v, int *is_null)
{
    char *q = *p;
    *is_null = 0;
    if (q < end && *q == '~') { *is_null = 1; *v = 0; *p = q + 1; return 1; }
    int neg = q < end && *q == '-';
    uint64_t u = 0;
    const char *digits = q += neg;
    while (q < end && *q >= '0' && *q <= '9') u = u * 10 + (uint64_t)(*q++ - '0');
    if (q == digits || q >= end || *q != ',') return 0;
    *v = neg ? (int64_t)(0 - u) : (int64_t)u;
    *p = q + 1;
    return 1;
}

static int rec_text(char **p, const char *end, const char **t)
{
    char *q = *p;
    if (q < end && *q == '~') { *t = NULL; *p = q + 1; return 1; }
    size_t n = 0;
    const char *digits = q;
    while (q < end && *q >= '0' && *q <= '9') n = n * 10 + (size_t)(*q++ - '0');
    if (q == digits || q >= end || *q != ':' || (size_t)(end - q - 1) <= n || q[1 + n] != ',')
        return 0;
    q[1 + n] = 0;
    *t = q + 1;
    *p = q + 2 + n;
    return 1;
}

/* Fill e's columns from rec (len bytes, a copy this function may write
 * NULs into) and *doc with the document id; the columns f->omit names
 * get their defaults. Returns 0 when rec is not in the format. */
int ga_cells_rec_read(char *rec, size_t len, ga_event_row *e, int64_t *doc, unsigned omit)
{
    const char *end = rec + len;
    char *p = rec;
    int64_t tp, gp, people;
    int null_doc, null_tp, null_gp, null_people;
    int ok = rec_int(&p, end, doc, &null_doc) && rec_text(&p, end, &e->event_date) &&
             rec_text(&p, end, &e->type) && rec_text(&p, end, &e->status) &&
             rec_text(&p, end, &e->trigger) && rec_int(&p, end, &tp, &null_tp) &&
             rec_int(&p, end, &gp, &null_gp) && rec_text(&p, end, &e->place_gid) &&
             rec_text(&p, end, &e->place_name) && rec_text(&p, end, &e->kind) &&
             rec_text(&p, end, &e->country) && rec_text(&p, end, &e->admin1) &&
             rec_text(&p, end, &e->admin1_pcode) && rec_text(&p, end, &e->admin2) &&
             rec_text(&p, end, &e->admin2_pcode) && rec_text(&p, end, &e->role) &&
             rec_text(&p, end, &e->origin_name) && rec_text(&p, end, &e->dest_name) &&
             rec_text(&p, end, &e->actors) && rec_int(&p, end, &people, &null_people) &&
             rec_text(&p, end, &e->sentence) && rec_text(&p, end, &e->reason) && p == end;
    if (!ok) return 0;
    e->time_precision = (int)tp;      /* as sqlite3_column_int: NULL 0, else cut to int */
    e->geo_precision = (int)gp;
    e->people = null_people ? -1 : people;
    if (omit) {
        static const struct { unsigned bit; size_t off; } texts[] = {
#define T(bit, field) {bit, offsetof(ga_event_row, field)}
            T(GA_EV_TYPE, type), T(GA_EV_STATUS, status), T(GA_EV_TRIGGER, trigger),
            T(GA_EV_PLACE_GID, place_gid), T(GA_EV_PLACE_NAME, place_name),
            T(GA_EV_KIND, kind), T(GA_EV_COUNTRY, country), T(GA_EV_ADMIN1, admin1),
            T(GA_EV_ADMIN1_PCODE, admin1_pcode), T(GA_EV_ADMIN2, admin2),
            T(GA_EV_ADMIN2_PCODE, admin2_pcode), T(GA_EV_ROLE, role),
            T(GA_EV_ORIGIN_NAME, origin_name), T(GA_EV_DEST_NAME, dest_name),
            T(GA_EV_ACTORS, actors), T(GA_EV_SENTENCE, sentence), T(GA_EV_REASON, reason),
#undef T
        };
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            if (omit & texts[i].bit) *(const char **)((char *)e + texts[i].off) = NULL;
        if (omit & GA_EV_TIME_PRECISION) e->time_precision = 0;
        if (omit & GA_EV_GEO_PRECISION) e->geo_precision = 0;
        if (omit & GA_EV_PEOPLE) e->people = -1;
    }
    return 1;
}

/* A REAL column of event_cells, NaN when NULL or when omitted. */
static double cells_real(sqlite3_stmt *s, int i, int omitted)
{
    return omitted ? (double)NAN : ga_col_double_or_nan(s, i);
}

/* ga_query_events_spatial() from event_cells: the runs of cells that the
 * filters' box and region meet, read in key order, each point tested
 * exactly, then the kept rows sorted by id and by date. */
static ga_rc events_from_cells(ga_store *st, const ga_filter *f, const double box[4],
                               ga_event_cb cb, void *arg, ga_err *err)
{
    cell_runs runs = {0};
    arena a = {0};
    doc_cache doc = {0};
    sqlite3_stmt *s = NULL, *hold = NULL;
    ga_event_row **rows = NULL;
    size_t nrows = 0, cap = 0;
    unsigned omit = f->omit;
    int need_doc = (omit & DOC_COLS) != DOC_COLS;
    /* one read transaction for all runs and document reads (see below) */
    ga_rc rc = ga_store_prepare(st, "SELECT 1 FROM sqlite_master", &hold, err);
    int hsrc = hold ? sqlite3_step(hold) : SQLITE_OK;
    if (!rc && hsrc != SQLITE_ROW && hsrc != SQLITE_DONE)
        rc = ga_store_fail(st, err, hsrc, "cannot read the database");
    if (!rc) rc = cells_runs(f, box, &runs, err);
    if (!rc) rc = ga_query_prepare_event_cells(st, f, &s, err);
    if (!rc) rc = ga_store_prepare(st, "SELECT doc_id, title, url, source FROM documents"
                                   " WHERE id = ?1", &doc.s, err);
    for (size_t k = 0; k < runs.n && !rc; k++) {
        sqlite3_bind_int64(s, 1, runs.v[k].lo);
        sqlite3_bind_int64(s, 2, runs.v[k].hi);
        int src;
        while ((src = sqlite3_step(s)) == SQLITE_ROW) {
            double x = sqlite3_column_double(s, GA_CELLS_X), y = sqlite3_column_double(s, GA_CELLS_Y);
            if (!ga_query_point_pass(f, box, x, y)) continue;
            const unsigned char *rec = sqlite3_column_blob(s, GA_CELLS_REC);
            size_t len = (size_t)sqlite3_column_bytes(s, GA_CELLS_REC);
            if (nrows == cap) {
                size_t ncap = cap ? 2 * cap : 4096;
                ga_event_row **p = realloc(rows, ncap * sizeof *p);
                if (!p) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
                rows = p;
                cap = ncap;
            }
            ga_event_row *e = arena_alloc(&a, sizeof *e);
            char *copy = e ? arena_alloc(&a, len + 1) : NULL;
            if (!copy) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
            if (len) memcpy(copy, rec, len);
            copy[len] = 0;
            int64_t doc_id = 0;
            if (!ga_cells_rec_read(copy, len, e, &doc_id, omit)) {
                rc = ga_err_set(err, GA_EDB, "event_cells is damaged (event %lld)",
                                (long long)sqlite3_column_int64(s, GA_CELLS_ID));
                break;
            }
            e->id = sqlite3_column_int64(s, GA_CELLS_ID);
            int no_point = (omit & GA_EV_POINT) != 0;
            e->lon = no_point ? (double)NAN
                     : sqlite3_column_type(s, GA_CELLS_LON) == SQLITE_NULL
                         ? x : sqlite3_column_double(s, GA_CELLS_LON);
            e->lat = no_point ? (double)NAN
                     : sqlite3_column_type(s, GA_CELLS_LAT) == SQLITE_NULL
                         ? y : sqlite3_column_double(s, GA_CELLS_LAT);
            e->origin_lon = cells_real(s, GA_CELLS_ORIGIN_LON, omit & GA_EV_ORIGIN_POINT);
            e->origin_lat = cells_real(s, GA_CELLS_ORIGIN_LAT, omit & GA_EV_ORIGIN_POINT);
            e->dest_lon = cells_real(s, GA_CELLS_DEST_LON, omit & GA_EV_DEST_POINT);
            e->dest_lat = cells_real(s, GA_CELLS_DEST_LAT, omit & GA_EV_DEST_POINT);
            if (need_doc && (rc = doc_get(st, &doc, doc_id, &a, err))) break;
            set_doc(e, &doc, omit);
            rows[nrows++] = e;
        }
        if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read events");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    sqlite3_finalize(doc.s);
    sqlite3_finalize(hold);
    ga_vec_free(&runs);
    if (!rc) rc = deliver_sorted(f, rows, nrows, 1, cb, arg, err);
    free(rows);
    arena_free(&a);
    return rc;
}

ga_rc ga_query_events_spatial(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                              ga_err *err)
{
    return ga_query_events_spatial_par(st, f, cb, arg, NULL, NULL, NULL, err);
}

ga_rc ga_query_events_spatial_par(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                                  ga_event_cb par_cb, const ga_event_par *par, int *par_done,
                                  ga_err *err)
{
    if (par_done) *par_done = 0;
    double box[4];
    keys c = {0};
    arena a = {0};
    doc_cache doc = {0};
    sqlite3_stmt *s = NULL;
    ga_event_row **rows = NULL;
    size_t nrows = 0, cap = 0;
    int stop = 0;
    ga_query_spatial_box(f, box);
    /* Listings (sorted) from event_blocks, else event_cells, when the
     * database has them and the region's outline is one this module
     * reads; exports (unordered) keep the id order of the events table.
     * GEOANNOT_NO_BLOCKS (set, not empty) reads event_cells: the reference
     * that tests/cli/event_blocks.sh compares the blocks with. */
    if (st->has_cells && !f->unordered && (!f->res->has_region || f->res->outline)) {
        int done = 0;
        const char *no_blocks = getenv("GEOANNOT_NO_BLOCKS");
        if (st->has_blocks && !(no_blocks && *no_blocks)) {
            ga_rc rc = par ? ga_query_events_blocks_par(st, f, box, par_cb, par, &done, err)
                           : ga_query_events_blocks(st, f, box, cb, arg, &done, err);
            if (par_done) *par_done = par && done;
            if (rc || done) return rc;
        }
        return events_from_cells(st, f, box, cb, arg, err);
    }
    /* One read transaction for both passes: a statement left on a row
     * holds it (the rows read in pass two are the ones pass one saw, and
     * the per-id reads take no lock each). Unlike BEGIN, the caller's
     * callback may still start a write transaction of its own. */
    sqlite3_stmt *hold = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT 1 FROM sqlite_master", &hold, err);
    int hsrc = hold ? sqlite3_step(hold) : SQLITE_OK;
    if (!rc && hsrc != SQLITE_ROW && hsrc != SQLITE_DONE)
        rc = ga_store_fail(st, err, hsrc, "cannot read the database");
    if (!rc) rc = collect_keys(st, f, box, &c, err);
    /* the event columns the caller reads; the documents' from doc_get() */
    ga_buf cols = {0};
    ga_buf_puts(&cols, "SELECT e.id, e.event_date, e.document_id");
    ga_query_event_cols(&cols, f->omit, 0);
    if (!rc && !cols.data) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    if (!rc) rc = ga_query_prepare_event_keys(st, cols.data, f, &s, err);
    ga_buf_free(&cols);
    int need_doc = (f->omit & DOC_COLS) != DOC_COLS;
    if (!rc) rc = ga_store_prepare(st, "SELECT doc_id, title, url, source FROM documents"
                                   " WHERE id = ?1", &doc.s, err);
    if (!rc) {
        int i = sqlite3_bind_parameter_index(s, ":keys");
        if (i > 0) sqlite3_bind_pointer(s, i, &c, KEYS_POINTER, NULL);
    }
    long limit = f->limit;
    int src = SQLITE_DONE;
    while (!rc && !stop && (src = sqlite3_step(s)) == SQLITE_ROW) {
        if (need_doc && (rc = doc_get(st, &doc, sqlite3_column_int64(s, 2), &a, err))) break;
        if (f->unordered) {
            /* storage order: straight to the caller */
            ga_event_row e;
            ga_query_event_read(&e, s, f->omit, 0, step_col_text, NULL);
            set_doc(&e, &doc, f->omit);
            if (!cb(&e, arg) || (limit > 0 && (long)++nrows >= limit)) stop = 1;
            continue;
        }
        arena_text t = {&a, 0};
        if (nrows == cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            ga_event_row **p = realloc(rows, ncap * sizeof *p);
            if (p) { rows = p; cap = ncap; } else { t.oom = 1; }
        }
        ga_event_row *e = t.oom ? NULL : arena_alloc(&a, sizeof *e);
        if (e) ga_query_event_read(e, s, f->omit, 0, arena_col_text, &t);
        if (!e || t.oom) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        set_doc(e, &doc, f->omit);
        rows[nrows++] = e;
    }
    if (!rc && !stop && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read events");
    sqlite3_finalize(s);
    sqlite3_finalize(doc.s);
    sqlite3_finalize(hold);
    free(c.k);
    if (!rc && !f->unordered) rc = deliver_sorted(f, rows, nrows, 0, cb, arg, err);
    free(rows);
    arena_free(&a);
    return rc;
}
