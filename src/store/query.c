/*
 * query.c: filtered reading of events, mentions and the places they refer
 * to, and counts per group. See ga_store_query.h.
 *
 * Each query is assembled from constant SQL fragments chosen by which
 * filters are present (a filter's value is always a bound parameter, never
 * text in the SQL). A spatial filter (region, box, distance) makes the
 * layer's R*Tree the outer loop (CROSS JOIN keeps SQLite from scanning the
 * date index instead); the region test is the grid lookup ga_cell() on
 * the R*Tree corner, with the exact point-in-polygon test ga_inside()
 * only for points in border cells (query_outline.c). Events with a
 * spatial filter are read in two passes instead (query_fetch.c: ids from
 * the R*Tree first, then the rows in id order, sorted in memory), through
 * the GA_WHERE_KEYS form of the same filter SQL.
 */
#include "store/query_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* How one layer's rows are reached and which columns the filters use. */
typedef struct {
    const char *table;       /* main table with alias */
    const char *joins;       /* joins after it */
    const char *rtree;       /* spatial index table, or NULL (box on x/y then) */
    const char *rowid;       /* main table's column joined to the R*Tree pkid (the
                                mentions' index has one entry per place) */
    const char *x, *y;       /* exact coordinates */
    const char *geom;        /* geometry column for the exact region test */
    const char *date;        /* date column for --from/--to */
    const char *prec;        /* precision column */
    const char *type, *status;  /* NULL when the filter does not apply */
    const char *base;        /* condition always applied, or NULL */
} layer_sql;

static const layer_sql layer_events = {
    "events e", " LEFT JOIN documents d ON d.id = e.document_id", "idx_events_geom", "e.id",
    "ga_x(e.geom)", "ga_y(e.geom)", "e.geom", "e.event_date", "e.geo_precision", "e.type",
    "e.status", NULL};
static const layer_sql layer_mentions = {
    "mentions m", " LEFT JOIN documents d ON d.id = m.document_id", "mention_points", "m.place_id",
    "ga_x(m.geom)", "ga_y(m.geom)", "m.geom", "d.doc_date", "m.precision", NULL, NULL,
    "m.place_id IS NOT NULL"};
static const layer_sql layer_places = {
    "mentions m", " JOIN places p ON p.id = m.place_id"
    " LEFT JOIN documents d ON d.id = m.document_id", NULL, "m.id",
    "p.lon", "p.lat", "p.geom", "d.doc_date", "m.precision", NULL, NULL, NULL};

/* ---- filters ------------------------------------------------------------ */

ga_rc ga_filter_prepare(ga_store *st, ga_filter *f, ga_err *err)
{
    if (f->res) return GA_OK;
    if (f->has_bbox) {
        if (!(f->west >= -180 && f->east <= 180 && f->south >= -90 && f->north <= 90))
            return ga_err_set(err, GA_EINVAL, "bounding box %g,%g,%g,%g is out of range "
                              "(W,S,E,N in degrees: -180..180, -90..90)",
                              f->west, f->south, f->east, f->north);
        if (!(f->west <= f->east && f->south <= f->north))
            return ga_err_set(err, GA_EINVAL, "bounding box %g,%g,%g,%g is reversed (give "
                              "W,S,E,N with W <= E and S <= N)",
                              f->west, f->south, f->east, f->north);
    }
    if (f->within_m < 0 || isnan(f->within_m))
        return ga_err_set(err, GA_EINVAL, "distance must not be negative");
    if (f->date_from && f->date_to && strcmp(f->date_from, f->date_to) > 0)
        return ga_err_set(err, GA_EINVAL, "date range %s to %s is reversed", f->date_from,
                          f->date_to);
    if (f->limit < 0) return ga_err_set(err, GA_EINVAL, "limit must not be negative");
    ga_filter_res *res = calloc(1, sizeof *res);
    if (!res) return ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_rc rc = ga_query_register(st, err);
    if (!rc && f->region) rc = ga_query_resolve_region(st, f->region, res, err);
    if (!rc && f->near) rc = ga_query_resolve_near(st, f->near, f->within_m, res, err);
    if (rc) {
        ga_query_res_free(res);
        return rc;
    }
    f->res = res;
    return GA_OK;
}

void ga_filter_clear(ga_filter *f)
{
    if (!f) return;
    ga_query_res_free(f->res);
    f->res = NULL;
}

const ga_region_info *ga_filter_region(const ga_filter *f)
{
    return f && f->res && f->res->has_region ? &f->res->info : NULL;
}

int ga_filter_near_point(const ga_filter *f, double *lon, double *lat, const char **name)
{
    if (!f || !f->res || !f->res->has_near) return 0;
    *lon = f->res->near_lon;
    *lat = f->res->near_lat;
    if (name) *name = f->res->near_name;
    return 1;
}

/* A prepared view of f for one call: f itself when prepared, else a copy
 * prepared here (released by query_end). */
typedef struct {
    ga_filter local;
    const ga_filter *f;
} query_filter;

static ga_rc query_begin(ga_store *st, const ga_filter *f, query_filter *q, ga_err *err)
{
    static const ga_filter none;
    if (!f) f = &none;
    if (f->res) {
        q->f = f;
        return ga_query_register(st, err);
    }
    q->local = *f;
    q->local.res = NULL;
    q->f = &q->local;
    return ga_filter_prepare(st, &q->local, err);
}

static void query_end(query_filter *q)
{
    if (q->f == &q->local) ga_filter_clear(&q->local);
}

/* ---- SQL assembly -------------------------------------------------------- */

int ga_query_spatial_box(const ga_filter *f, double box[4])
{
    const ga_filter_res *r = f->res;
    int any = 0;
    box[0] = -INFINITY; box[1] = -INFINITY; box[2] = INFINITY; box[3] = INFINITY;
    double b[3][4];
    int n = 0;
    if (r && r->has_region) {
        b[n][0] = r->info.west; b[n][1] = r->info.south;
        b[n][2] = r->info.east; b[n][3] = r->info.north; n++;
    }
    if (f->has_bbox) {
        b[n][0] = f->west; b[n][1] = f->south; b[n][2] = f->east; b[n][3] = f->north; n++;
    }
    if (r && r->has_near) {
        b[n][0] = r->nw; b[n][1] = r->ns; b[n][2] = r->ne; b[n][3] = r->nn; n++;
    }
    for (int i = 0; i < n; i++) {
        any = 1;
        if (b[i][0] > box[0]) box[0] = b[i][0];
        if (b[i][1] > box[1]) box[1] = b[i][1];
        if (b[i][2] < box[2]) box[2] = b[i][2];
        if (b[i][3] < box[3]) box[3] = b[i][3];
    }
    return any;
}

/* Append the terms of the filters that are not spatial (dates, type,
 * status, precision). */
static void other_terms(ga_buf *sql, const layer_sql *L, const ga_filter *f)
{
    if (f->date_from) ga_buf_printf(sql, " AND %s >= :from", L->date);
    if (f->date_to) ga_buf_printf(sql, " AND %s <= :to", L->date);
    if (f->type && L->type) ga_buf_printf(sql, " AND %s = :type", L->type);
    if (f->status && L->status) ga_buf_printf(sql, " AND %s = :status", L->status);
    if (f->min_precision > 0) ga_buf_printf(sql, " AND %s <= :prec", L->prec);
}

/* GA_WHERE_KEYS: the rows of L's main table (no joins) listed by the
 * candidate list :keys (ga_keys, query_fetch.c) in list order, kept when
 * they pass the filters that are not spatial and either the list says
 * the point surely passes the spatial filters (k.sure) or the exact
 * spatial tests pass. */
static ga_rc build_keys(ga_buf *sql, const layer_sql *L, const ga_filter *f)
{
    const ga_filter_res *r = f->res;
    ga_buf_printf(sql, " FROM ga_keys(:keys) k CROSS JOIN %s ON %s = k.id WHERE (k.sure OR (1",
                  L->table, L->rowid);
    if (r && r->has_region) {
        if (r->outline) ga_buf_printf(sql, " AND ga_inside(:res, %s) = 1", L->geom);
        else ga_buf_printf(sql, " AND ST_Intersects(%s, :poly) = 1", L->geom);
    }
    if (f->has_bbox)
        ga_buf_printf(sql, " AND %s BETWEEN :bw AND :be AND %s BETWEEN :bs AND :bn", L->x, L->y);
    if (r && r->has_near) ga_buf_printf(sql, " AND ga_near(:res, %s, %s)", L->x, L->y);
    ga_buf_puts(sql, "))");
    if (L->base) ga_buf_printf(sql, " AND %s", L->base);
    other_terms(sql, L, f);
    return sql->data ? GA_OK : GA_ENOMEM;
}

/* Append "FROM ... WHERE ..." for layer L and filter f to sql, in one of
 * the ga_where modes (query_int.h). */
static ga_rc build_from_where(ga_buf *sql, const layer_sql *L, const ga_filter *f,
                              ga_where mode)
{
    const ga_filter_res *r = f->res;
    double box[4];
    int plain = mode == GA_WHERE_PLAIN;
    if (mode == GA_WHERE_KEYS) return build_keys(sql, L, f);
    int spatial = !plain && ga_query_spatial_box(f, box);
    ga_buf_puts(sql, " FROM ");
    if (spatial && L->rtree) {
        ga_buf_printf(sql, "%s r CROSS JOIN %s ON %s = r.pkid", L->rtree, L->table, L->rowid);
    } else {
        ga_buf_puts(sql, L->table);
    }
    ga_buf_puts(sql, L->joins);
    ga_buf_puts(sql, " WHERE 1");
    if (L->base) ga_buf_printf(sql, " AND %s", L->base);
    if (spatial && L->rtree)
        ga_buf_puts(sql, " AND r.xmin <= :e AND r.xmax >= :w AND r.ymin <= :n AND r.ymax >= :s");
    else if (spatial)
        ga_buf_printf(sql, " AND %s BETWEEN :w AND :e AND %s BETWEEN :s AND :n", L->x, L->y);
    if (r && r->has_region) {
        /* The cell of a point: by its R*Tree box when there is one (no
         * geometry parsed for points in inside cells), else exactly. */
        const char *cx = L->rtree ? "r.xmin" : L->x, *cy = L->rtree ? "r.ymin" : L->y;
        /* Two terms: the first needs only the R*Tree row, so SQLite tests
         * it before reading the event at all; the exact test runs only
         * for points in border cells. */
        if (r->outline && !plain)
            ga_buf_printf(sql, " AND ga_cell(:res, %s, %s) > 0"
                          " AND (ga_cell(:res, %s, %s) = 1 OR ga_inside(:res, %s) = 1)",
                          cx, cy, cx, cy, L->geom);
        else
            ga_buf_printf(sql, " AND ST_Intersects(%s, :poly) = 1", L->geom);
    }
    if (f->has_bbox)
        ga_buf_printf(sql, " AND %s BETWEEN :bw AND :be AND %s BETWEEN :bs AND :bn", L->x, L->y);
    if (r && r->has_near) ga_buf_printf(sql, " AND ga_near(:res, %s, %s)", L->x, L->y);
    other_terms(sql, L, f);
    return sql->data ? GA_OK : GA_ENOMEM;
}

/* Prepare the SQL built in *sql (freed here; NULL data: out of memory) and
 * bind f's parameters. */
static ga_rc prepare_bound(ga_store *st, ga_buf *sql, const ga_filter *f, sqlite3_stmt **s,
                           ga_err *err)
{
    if (!sql->data) return ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_rc rc = ga_store_prepare(st, sql->data, s, err);
    ga_buf_free(sql);
    if (rc) return rc;
    ga_query_bind_filter(*s, f);
    return GA_OK;
}

ga_rc ga_query_prepare_event_keys(ga_store *st, const char *select_cols, const ga_filter *f,
                                  sqlite3_stmt **s, ga_err *err)
{
    ga_buf sql = {0};
    ga_buf_puts(&sql, select_cols);
    build_from_where(&sql, &layer_events, f, GA_WHERE_KEYS);
    return prepare_bound(st, &sql, f, s, err);
}

/* The filter columns of event_cells (event_cells.c), with the affinity
 * they have in events, so the terms compare as they do there. */
static const layer_sql layer_cells = {
    "event_cells c", "", NULL, "c.id", "c.x", "c.y", NULL, "c.event_date", "c.geo_precision",
    "c.type", "c.status", NULL};

ga_rc ga_query_prepare_event_cells(ga_store *st, const ga_filter *f, sqlite3_stmt **s,
                                   ga_err *err)
{
    ga_buf sql = {0};
    ga_buf_puts(&sql, "SELECT c.id, c.x, c.y, c.rec, c.lon, c.lat, c.origin_lon, c.origin_lat,"
                " c.dest_lon, c.dest_lat FROM event_cells c WHERE c.cell BETWEEN ?1 AND ?2");
    other_terms(&sql, &layer_cells, f);
    return prepare_bound(st, &sql, f, s, err);
}

static void bind_double(sqlite3_stmt *s, const char *name, double v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i > 0) sqlite3_bind_double(s, i, v);
}

static void bind_str(sqlite3_stmt *s, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(s, name);
    if (i > 0) sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void ga_query_bind_filter(sqlite3_stmt *s, const ga_filter *f)
{
    const ga_filter_res *r = f->res;
    double box[4];
    if (ga_query_spatial_box(f, box)) {
        bind_double(s, ":w", box[0]); bind_double(s, ":s", box[1]);
        bind_double(s, ":e", box[2]); bind_double(s, ":n", box[3]);
    }
    int i = sqlite3_bind_parameter_index(s, ":res");
    if (i > 0) sqlite3_bind_pointer(s, i, (void *)r, "ga_filter_res", NULL);
    i = sqlite3_bind_parameter_index(s, ":poly");
    if (i > 0) sqlite3_bind_blob(s, i, r->geom, r->geom_len, SQLITE_STATIC);
    if (f->has_bbox) {
        bind_double(s, ":bw", f->west); bind_double(s, ":bs", f->south);
        bind_double(s, ":be", f->east); bind_double(s, ":bn", f->north);
    }
    bind_str(s, ":from", f->date_from);
    bind_str(s, ":to", f->date_to);
    bind_str(s, ":type", f->type);
    bind_str(s, ":status", f->status);
    i = sqlite3_bind_parameter_index(s, ":prec");
    if (i > 0) sqlite3_bind_int(s, i, f->min_precision);
    i = sqlite3_bind_parameter_index(s, ":limit");
    if (i > 0) sqlite3_bind_int64(s, i, (sqlite3_int64)f->limit);
}

/* Prepare select_cols + FROM/WHERE + tail (+ LIMIT when f has one) for
 * layer L. Without a limit the statement has no LIMIT clause at all: an
 * ORDER BY with one makes SQLite keep the rows in a b-tree, row by row,
 * instead of sorting them once (several times slower for large results). */
static ga_rc prepare_query(ga_store *st, const char *select_cols, const layer_sql *L,
                           const ga_filter *f, const char *tail, sqlite3_stmt **s, ga_err *err)
{
    ga_buf sql = {0};
    ga_buf_puts(&sql, select_cols);
    build_from_where(&sql, L, f, GA_WHERE_INDEXED);
    ga_buf_puts(&sql, tail);
    if (f->limit > 0) ga_buf_puts(&sql, " LIMIT :limit");
    return prepare_bound(st, &sql, f, s, err);
}

static const char *ctext(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* ---- events ----------------------------------------------------------- */

/* How a column is read into its field. */
typedef enum { COL_TEXT, COL_INT, COL_REAL, COL_PEOPLE } col_kind;

/* The columns of an event row after the id, date and document id, in
 * SELECT order. */
static const struct {
    unsigned bit;          /* GA_EV_* */
    const char *sql;       /* over events e, or documents d when doc */
    int doc;               /* 1: a documents column */
    col_kind kind;
    size_t off;            /* the field in ga_event_row */
} event_cols[] = {
#define EV(bit, sql, doc, kind, field) {bit, sql, doc, kind, offsetof(ga_event_row, field)}
    EV(GA_EV_DOC_ID, "d.doc_id", 1, COL_TEXT, doc_id),
    EV(GA_EV_TITLE, "d.title", 1, COL_TEXT, title),
    EV(GA_EV_URL, "d.url", 1, COL_TEXT, url),
    EV(GA_EV_SOURCE, "d.source", 1, COL_TEXT, source),
    EV(GA_EV_TYPE, "e.type", 0, COL_TEXT, type),
    EV(GA_EV_STATUS, "e.status", 0, COL_TEXT, status),
    EV(GA_EV_TRIGGER, "e.trigger", 0, COL_TEXT, trigger),
    EV(GA_EV_TIME_PRECISION, "e.time_precision", 0, COL_INT, time_precision),
    EV(GA_EV_GEO_PRECISION, "e.geo_precision", 0, COL_INT, geo_precision),
    EV(GA_EV_PLACE_GID, "e.place_gid", 0, COL_TEXT, place_gid),
    EV(GA_EV_PLACE_NAME, "e.place_name", 0, COL_TEXT, place_name),
    EV(GA_EV_KIND, "e.kind", 0, COL_TEXT, kind),
    EV(GA_EV_COUNTRY, "e.country", 0, COL_TEXT, country),
    EV(GA_EV_ADMIN1, "e.admin1", 0, COL_TEXT, admin1),
    EV(GA_EV_ADMIN1_PCODE, "e.admin1_pcode", 0, COL_TEXT, admin1_pcode),
    EV(GA_EV_ADMIN2, "e.admin2", 0, COL_TEXT, admin2),
    EV(GA_EV_ADMIN2_PCODE, "e.admin2_pcode", 0, COL_TEXT, admin2_pcode),
    EV(GA_EV_ROLE, "e.role", 0, COL_TEXT, role),
    EV(GA_EV_ORIGIN_NAME, "e.origin_name", 0, COL_TEXT, origin_name),
    EV(GA_EV_ORIGIN_POINT, "e.origin_lon", 0, COL_REAL, origin_lon),
    EV(GA_EV_ORIGIN_POINT, "e.origin_lat", 0, COL_REAL, origin_lat),
    EV(GA_EV_DEST_NAME, "e.dest_name", 0, COL_TEXT, dest_name),
    EV(GA_EV_DEST_POINT, "e.dest_lon", 0, COL_REAL, dest_lon),
    EV(GA_EV_DEST_POINT, "e.dest_lat", 0, COL_REAL, dest_lat),
    EV(GA_EV_ACTORS, "e.actors", 0, COL_TEXT, actors),
    EV(GA_EV_PEOPLE, "e.people", 0, COL_PEOPLE, people),
    EV(GA_EV_SENTENCE, "e.sentence", 0, COL_TEXT, sentence),
    EV(GA_EV_REASON, "e.reason", 0, COL_TEXT, reason),
    EV(GA_EV_POINT, "COALESCE(e.lon, ga_x(e.geom))", 0, COL_REAL, lon),
    EV(GA_EV_POINT, "COALESCE(e.lat, ga_y(e.geom))", 0, COL_REAL, lat),
#undef EV
};
#define N_EVENT_COLS (sizeof event_cols / sizeof event_cols[0])

void ga_query_event_cols(ga_buf *sql, unsigned omit, int with_doc)
{
    for (size_t i = 0; i < N_EVENT_COLS; i++)
        if (!(omit & event_cols[i].bit) && (with_doc || !event_cols[i].doc))
            ga_buf_printf(sql, ", %s", event_cols[i].sql);
}

void ga_query_event_read(ga_event_row *e, sqlite3_stmt *s, unsigned omit, int with_doc,
                         ga_col_text_fn text, void *ctx)
{
    e->id = sqlite3_column_int64(s, 0);
    e->event_date = text(ctx, s, 1);
    int col = GA_EV_FIRST_COL;
    for (size_t i = 0; i < N_EVENT_COLS; i++) {
        if (event_cols[i].doc && !with_doc) continue;
        void *field = (char *)e + event_cols[i].off;
        int skip = (omit & event_cols[i].bit) != 0, c = skip ? -1 : col++;
        switch (event_cols[i].kind) {
        case COL_TEXT: *(const char **)field = skip ? NULL : text(ctx, s, c); break;
        case COL_INT: *(int *)field = skip ? 0 : sqlite3_column_int(s, c); break;
        case COL_REAL: *(double *)field = skip ? (double)NAN : ga_col_double_or_nan(s, c); break;
        case COL_PEOPLE:
            *(int64_t *)field = skip || sqlite3_column_type(s, c) == SQLITE_NULL
                                    ? -1 : sqlite3_column_int64(s, c);
            break;
        }
    }
}

/* The text of column i, valid until the next step. */
static const char *step_text(void *ctx, sqlite3_stmt *s, int i)
{
    (void)ctx;
    return (const char *)sqlite3_column_text(s, i);
}

/* ga_store_events_each, and with par the blocks' rows to par_cb in par's
 * threads (*par_done 1 when they had them). */
static ga_rc events_each(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                         ga_event_cb par_cb, const ga_event_par *par, int *par_done,
                         ga_err *err)
{
    query_filter q;
    sqlite3_stmt *s = NULL;
    *par_done = 0;
    ga_rc rc = query_begin(st, f, &q, err);
    if (rc) return rc;
    double box[4];
    if (ga_query_spatial_box(q.f, box)) {
        rc = ga_query_events_spatial_par(st, q.f, cb, arg, par_cb, par, par_done, err);
        query_end(&q);
        return rc;
    }
    ga_buf cols = {0};
    ga_buf_puts(&cols, "SELECT e.id, e.event_date, e.document_id");
    ga_query_event_cols(&cols, q.f->omit, 1);
    if (!cols.data) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    if (!rc)
        rc = prepare_query(st, cols.data, &layer_events, q.f,
                           q.f->unordered ? ""
                                          : " ORDER BY e.event_date IS NULL, e.event_date, e.id",
                           &s, err);
    ga_buf_free(&cols);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_event_row e;
        ga_query_event_read(&e, s, q.f->omit, 1, step_text, NULL);
        if (!cb(&e, arg)) break;
    }
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = ga_store_fail(st, err, src, "cannot read events");
    sqlite3_finalize(s);
    query_end(&q);
    return rc;
}

ga_rc ga_store_events_each(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                           ga_err *err)
{
    int par_done;
    return events_each(st, f, cb, arg, NULL, NULL, &par_done, err);
}

/* A listing in the caller's thread for ga_store_events_each_par: every
 * row to the first thread's argument, chunk_done after each chunk. */
typedef struct {
    ga_event_cb cb;
    const ga_event_par *par;
    size_t n;                  /* rows so far */
    int stopped;               /* chunk_done said stop */
} one_thread;

static int one_thread_row(const ga_event_row *e, void *arg)
{
    one_thread *o = arg;
    if (!o->cb(e, o->par->arg[0])) return 0;
    if (++o->n % GA_EVENT_CHUNK == 0 && !o->par->chunk_done(o->par->arg[0])) {
        o->stopped = 1;
        return 0;
    }
    return 1;
}

ga_rc ga_store_events_each_par(ga_store *st, const ga_filter *f, ga_event_cb cb,
                               const ga_event_par *par, ga_err *err)
{
    one_thread o = {cb, par, 0, 0};
    int par_done = 0;
    ga_rc rc = events_each(st, f, one_thread_row, &o, cb, par, &par_done, err);
    /* the last chunk, shorter or empty, as the threads end theirs */
    if (!rc && !par_done && !o.stopped && (o.n % GA_EVENT_CHUNK || !o.n))
        par->chunk_done(par->arg[0]);
    return rc;
}

ga_rc ga_store_events_count_scan(ga_store *st, const ga_filter *f, int64_t *count, ga_err *err)
{
    *count = 0;
    if (!f || !f->res) return ga_err_set(err, GA_EINVAL, "the scan reference needs a prepared filter");
    ga_buf sql = {0};
    ga_buf_puts(&sql, "SELECT count(*)");
    build_from_where(&sql, &layer_events, f, GA_WHERE_PLAIN);
    if (!sql.data) return ga_err_set(err, GA_ENOMEM, "out of memory");
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql.data, &s, err);
    ga_buf_free(&sql);
    if (rc) return rc;
    ga_query_bind_filter(s, f);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *count = sqlite3_column_int64(s, 0);
    else rc = ga_store_fail(st, err, src, "cannot scan events");
    sqlite3_finalize(s);
    return rc;
}

/* ---- mentions and places -------------------------------------------------- */

static const char mention_cols[] =
    "SELECT m.id, d.doc_id, d.title, d.doc_date, m.seq, m.start, m.\"end\", m.text,"
    " m.place_gid, m.place_name, m.kind, m.country, m.admin1, m.admin1_pcode, m.admin2,"
    " m.admin2_pcode, m.precision, m.score, m.reason, " GA_MENTION_SENTENCE_SQL("m", "d") ","
    " ga_x(m.geom), ga_y(m.geom)";

ga_rc ga_store_mentions_each(ga_store *st, const ga_filter *f, ga_mention_cb cb, void *arg,
                             ga_err *err)
{
    query_filter q;
    sqlite3_stmt *s = NULL;
    ga_rc rc = query_begin(st, f, &q, err);
    if (rc) return rc;
    rc = prepare_query(st, mention_cols, &layer_mentions, q.f,
                       " ORDER BY d.doc_date IS NULL, d.doc_date, m.id", &s, err);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_mention_row m;
        m.id = sqlite3_column_int64(s, 0);
        m.doc_id = ctext(s, 1); m.title = ctext(s, 2); m.doc_date = ctext(s, 3);
        m.seq = sqlite3_column_int(s, 4);
        m.start = sqlite3_column_int(s, 5);
        m.end = sqlite3_column_int(s, 6);
        m.text = ctext(s, 7);
        m.place_gid = ctext(s, 8); m.place_name = ctext(s, 9); m.kind = ctext(s, 10);
        m.country = ctext(s, 11); m.admin1 = ctext(s, 12); m.admin1_pcode = ctext(s, 13);
        m.admin2 = ctext(s, 14); m.admin2_pcode = ctext(s, 15);
        m.precision = sqlite3_column_int(s, 16);
        m.score = sqlite3_column_double(s, 17);
        m.reason = ctext(s, 18); m.sentence = ctext(s, 19);
        m.lon = ga_col_double_or_nan(s, 20); m.lat = ga_col_double_or_nan(s, 21);
        if (!cb(&m, arg)) break;
    }
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = ga_store_fail(st, err, src, "cannot read mentions");
    sqlite3_finalize(s);
    query_end(&q);
    return rc;
}

static const char place_cols[] =
    "SELECT p.id, p.gid, p.name, p.kind, p.feature_code, p.country, p.admin1, p.admin1_pcode,"
    " p.admin2, p.admin2_pcode, p.population, count(*), min(d.doc_date), max(d.doc_date),"
    " p.lon, p.lat";

ga_rc ga_store_places_referred_each(ga_store *st, const ga_filter *f, ga_place_row_cb cb,
                                    void *arg, ga_err *err)
{
    query_filter q;
    sqlite3_stmt *s = NULL;
    ga_rc rc = query_begin(st, f, &q, err);
    if (rc) return rc;
    rc = prepare_query(st, place_cols, &layer_places, q.f,
                       " GROUP BY p.id ORDER BY count(*) DESC, p.name, p.id", &s,
                       err);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_place_row p;
        p.id = sqlite3_column_int64(s, 0);
        p.gid = ctext(s, 1); p.name = ctext(s, 2); p.kind = ctext(s, 3);
        p.feature_code = ctext(s, 4); p.country = ctext(s, 5); p.admin1 = ctext(s, 6);
        p.admin1_pcode = ctext(s, 7); p.admin2 = ctext(s, 8); p.admin2_pcode = ctext(s, 9);
        p.population = sqlite3_column_int64(s, 10);
        p.mentions = sqlite3_column_int64(s, 11);
        p.first_date = ctext(s, 12); p.last_date = ctext(s, 13);
        p.lon = sqlite3_column_double(s, 14); p.lat = sqlite3_column_double(s, 15);
        if (!cb(&p, arg)) break;
    }
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = ga_store_fail(st, err, src, "cannot read places");
    sqlite3_finalize(s);
    query_end(&q);
    return rc;
}

/* ---- counts ------------------------------------------------------------- */

static const char *const group_names[GA_GROUP_COUNT] = {"admin1", "admin2", "type", "month"};

int ga_group_parse(const char *s, ga_group *g)
{
    for (int i = 0; i < GA_GROUP_COUNT; i++)
        if (s && !strcmp(s, group_names[i])) { *g = (ga_group)i; return 1; }
    return 0;
}

const char *ga_group_name(ga_group g)
{
    return (unsigned)g < GA_GROUP_COUNT ? group_names[g] : NULL;
}

/* "SELECT key, label, count" per layer and group. */
static const char *const count_cols[3][GA_GROUP_COUNT] = {
    {"SELECT COALESCE(e.admin1_pcode, e.admin1) AS k, max(e.admin1), count(*) AS n",
     "SELECT COALESCE(e.admin2_pcode, e.admin2) AS k, max(e.admin2), count(*) AS n",
     "SELECT e.type AS k, NULL, count(*) AS n",
     "SELECT substr(e.event_date, 1, 7) AS k, NULL, count(*) AS n"},
    {"SELECT COALESCE(m.admin1_pcode, m.admin1) AS k, max(m.admin1), count(*) AS n",
     "SELECT COALESCE(m.admin2_pcode, m.admin2) AS k, max(m.admin2), count(*) AS n",
     "SELECT m.kind AS k, NULL, count(*) AS n",
     "SELECT substr(d.doc_date, 1, 7) AS k, NULL, count(*) AS n"},
    {"SELECT COALESCE(p.admin1_pcode, p.admin1) AS k, max(p.admin1), count(DISTINCT p.id) AS n",
     "SELECT COALESCE(p.admin2_pcode, p.admin2) AS k, max(p.admin2), count(DISTINCT p.id) AS n",
     "SELECT p.kind AS k, NULL, count(DISTINCT p.id) AS n",
     "SELECT substr(d.doc_date, 1, 7) AS k, NULL, count(DISTINCT p.id) AS n"},
};

ga_rc ga_store_count_by(ga_store *st, ga_query_layer layer, const ga_filter *f, ga_group g,
                        ga_count_cb cb, void *arg, ga_err *err)
{
    if ((unsigned)layer > GA_QUERY_PLACES || (unsigned)g >= GA_GROUP_COUNT)
        return ga_err_set(err, GA_EINVAL, "unknown layer or group");
    static const layer_sql *const layers[3] = {&layer_events, &layer_mentions, &layer_places};
    query_filter q;
    sqlite3_stmt *s = NULL;
    ga_rc rc = query_begin(st, f, &q, err);
    if (rc) return rc;
    const char *tail = g == GA_GROUP_MONTH ? " GROUP BY k ORDER BY k IS NULL, k"
                                           : " GROUP BY k ORDER BY n DESC, k IS NULL, k";
    rc = prepare_query(st, count_cols[layer][g], layers[layer], q.f, tail, &s, err);
    int src = SQLITE_DONE;
    while (!rc && (src = sqlite3_step(s)) == SQLITE_ROW)
        if (!cb(ctext(s, 0), ctext(s, 1), sqlite3_column_int64(s, 2), arg)) break;
    if (!rc && src != SQLITE_ROW && src != SQLITE_DONE)
        rc = ga_store_fail(st, err, src, "cannot count rows");
    sqlite3_finalize(s);
    query_end(&q);
    return rc;
}
