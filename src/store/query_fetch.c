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

ga_rc ga_query_events_spatial(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                              ga_err *err)
{
    double box[4];
    keys c = {0};
    arena a = {0};
    doc_cache doc = {0};
    sqlite3_stmt *s = NULL;
    ga_event_row **rows = NULL;
    size_t nrows = 0, cap = 0;
    int stop = 0;
    ga_query_spatial_box(f, box);
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
    if (!rc && !f->unordered) {
        if (!sort_rows(rows, nrows)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    if (!rc && !f->unordered) {
        size_t n = limit > 0 && (size_t)limit < nrows ? (size_t)limit : nrows;
        for (size_t i = 0; i < n; i++)
            if (!cb(rows[i], arg)) break;
    }
    free(rows);
    arena_free(&a);
    return rc;
}
