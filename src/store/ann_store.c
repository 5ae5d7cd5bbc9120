/*
 * ann_store.c: writing annotated documents (ga_store_ann.h): documents,
 * mentions and events in one transaction, idempotent through the content
 * hash. All SQL is prepared and bound. Actors are stored as a JSON array
 * text (what the query and export modules read back), built with jansson.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/ga_store_ann.h"
#include "store/store_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaz/ga_place.h"

/* Page cache of a writing connection, KiB, and pages of WAL between
 * automatic checkpoints (SQLite's defaults: 2000 KiB, 1000 pages). */
#define GA_ANN_CACHE_KIB "65536"
#define GA_ANN_WAL_PAGES "8192"

/* Longest sentence stored beside a mention or event, in bytes. */
#define GA_ANN_SENTENCE_MAX 1000

static const char sql_find[] = "SELECT id, content_hash FROM documents WHERE doc_id = ?";
static const char sql_current[] =
    "SELECT 1 FROM documents WHERE doc_id = ? AND content_hash = ?";
static const char sql_insert_doc[] =
    "INSERT INTO documents(doc_id, title, url, source, doc_date, content_hash, gaz_generation,"
    " path, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char sql_update_doc[] =
    "UPDATE documents SET title = ?2, url = ?3, source = ?4, doc_date = ?5, content_hash = ?6,"
    " gaz_generation = ?7, path = ?8, text = ?9,"
    " annotated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1";
static const char sql_del_mentions[] = "DELETE FROM mentions WHERE document_id = ?";
static const char sql_del_events[] = "DELETE FROM events WHERE document_id = ?";
static const char sql_insert_mention[] =
    "INSERT INTO mentions(document_id, seq, start, end, text, place_id, place_gid, place_name,"
    " kind, admin1, admin1_pcode, admin2, admin2_pcode, country, precision, score, reason,"
    " flags, sent_start, geom, sent_end) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";
static const char sql_insert_event[] =
    "INSERT INTO events(document_id, seq, type, status, trigger, event_date, time_precision,"
    " geo_precision, mention_seq, place_id, place_gid, place_name, kind, admin1, admin1_pcode,"
    " admin2, admin2_pcode, country, role, origin_name, origin_lon, origin_lat, dest_name,"
    " dest_lon, dest_lat, actors, people, sentence, reason, lon, lat, geom)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)";

/* A place of a stored mention, and its point. */
typedef struct {
    int64_t place;
    double lon, lat;
} ga_ann_point;

/* The statements of annotate, prepared on first use and kept on the store
 * handle for the whole run (ga_store_ann_release finalizes them): parsing
 * them per document cost more than storing the document, since SQLite
 * compiles the SpatiaLite triggers of mentions and events into each. */
struct ga_ann_stmts {
    sqlite3_stmt *find;        /* id and hash of a doc_id */
    sqlite3_stmt *current;     /* is doc_id stored with this hash */
    sqlite3_stmt *ins_doc, *upd_doc;
    sqlite3_stmt *del_m, *del_e;
    sqlite3_stmt *ins_m, *ins_e;
    sqlite3_stmt *sp_begin;    /* SAVEPOINT of one document in a batch */
    sqlite3_stmt *sp_release;
    sqlite3_stmt *sp_undo;     /* ROLLBACK TO the savepoint */
    /* a batch (ga_store_ann_begin): what the triggers skip, done per table
     * of ann_tables before the commit */
    sqlite3_stmt *defer;       /* name the tables in ann_batch */
    sqlite3_stmt *undefer;     /* empty ann_batch */
    sqlite3_stmt *check[2];    /* 1 when the geometry column does not take our points */
    sqlite3_stmt *index[2];    /* R*Tree entries of rows from ?1 on (events only) */
    sqlite3_stmt *has_point;   /* is a place in mention_points */
    sqlite3_stmt *mention_point; /* add or move one place in mention_points */
    GA_VEC(ga_ann_point) points; /* places of the mentions stored since the last
                                    index_mentions, to add to mention_points */
    sqlite3_stmt *stamp[2];    /* geometry_columns_time.last_insert */
    int deferred;              /* this transaction is a batch */
    int64_t lo[2];             /* least rowid inserted in the batch, INT64_MAX: none */
};

/* The tables whose triggers a batch defers (see store.c), in the order of
 * the arrays above, and the SQL that does their work for the rows from
 * rowid ?1 on: the geometry check of ggi_ (GeometryConstraints against
 * geometry_columns: every geometry here is a POINT with SRID 4326 made by
 * bind_point, so the check is that the column takes those), the spatial
 * index entries (events: gii_'s R*Tree entries, INSERT OR REPLACE: a row
 * of an earlier batch past ?1 gets its same entry again; mentions:
 * mention_points, through index_mentions; events also event_cells,
 * ga_store_cells_fill), tmi_'s stamp. */
static const char *const ann_tables[2] = {"mentions", "events"};
static const char sql_check[] =
    "SELECT count(*) = 0 FROM geometry_columns WHERE lower(f_table_name) = '%q'"
    " AND lower(f_geometry_column) = 'geom' AND geometry_type = 1 AND srid = 4326";
static const char sql_index_events[] =
    "INSERT OR REPLACE INTO idx_events_geom(pkid, xmin, xmax, ymin, ymax)"
    " SELECT rowid, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom) FROM events"
    " WHERE rowid >= ?1 AND MbrMinX(geom) IS NOT NULL";
/* mention_points (store.c): is a place's entry there, holding its point? */
static const char sql_mention_point_has[] =
    "SELECT 1 FROM mention_points WHERE pkid = ?1 AND xmin <= ?2 AND xmax >= ?2"
    " AND ymin <= ?3 AND ymax >= ?3";
/* Add the entry, or move it (a place moved by a curator). */
static const char sql_mention_point[] =
    "INSERT OR REPLACE INTO mention_points(pkid, xmin, xmax, ymin, ymax) VALUES(?1, ?2, ?2, ?3, ?3)";
static const char *const sql_index[2] = {NULL, sql_index_events};
static const char sql_stamp[] =
    "UPDATE geometry_columns_time SET last_insert = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now')"
    " WHERE lower(f_table_name) = '%q' AND lower(f_geometry_column) = 'geom'";

/* Prepare the sqlite3_mprintf result sql (freed here) into *out. */
static ga_rc prepare_free(ga_store *st, char *sql, sqlite3_stmt **out, ga_err *err)
{
    ga_rc rc = sql ? ga_store_prepare(st, sql, out, err)
                   : ga_err_set(err, GA_ENOMEM, "out of memory");
    sqlite3_free(sql);
    return rc;
}

void ga_store_ann_release(ga_store *st)
{
    ga_ann_stmts *s = st ? st->ann : NULL;
    if (!s) return;
    sqlite3_stmt *all[] = {s->find,     s->current,    s->ins_doc,    s->upd_doc,  s->del_m,
                           s->del_e,    s->ins_m,      s->ins_e,      s->sp_begin, s->sp_release,
                           s->sp_undo,  s->defer,      s->undefer,    s->check[0], s->check[1],
                           s->index[0], s->index[1],   s->stamp[0],   s->stamp[1],
                           s->mention_point, s->has_point};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sqlite3_finalize(all[i]);
    ga_vec_free(&s->points);
    free(s);
    st->ann = NULL;
}

/* The statement set of st, allocated (nothing prepared) on the first call. */
static ga_rc stmts_alloc(ga_store *st, ga_ann_stmts **out, ga_err *err)
{
    *out = NULL;
    if (!st->ann && !(st->ann = calloc(1, sizeof *st->ann)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    *out = st->ann;
    return GA_OK;
}

/* The writing statements of st, prepared on the first call. */
static ga_rc stmts_get(ga_store *st, ga_ann_stmts **out, ga_err *err)
{
    ga_ann_stmts *s = NULL;
    ga_rc rc = stmts_alloc(st, &s, err);
    *out = NULL;
    if (rc) return rc;
    if (s->find) { *out = s; return GA_OK; }
    /* A run of annotate revisits the same index pages (the R*Trees,
     * documents.doc_id, the tails of the tables) in every batch: a larger
     * page cache keeps them instead of spilling and re-reading them, and a
     * longer WAL between checkpoints writes each page back to the database
     * (and syncs) less often. */
    ga_store_exec(st, "PRAGMA cache_size = -" GA_ANN_CACHE_KIB, NULL);
    ga_store_exec(st, "PRAGMA wal_autocheckpoint = " GA_ANN_WAL_PAGES, NULL);
    if ((rc = ga_store_prepare(st, sql_find, &s->find, err)) ||
        (rc = ga_store_prepare(st, sql_insert_doc, &s->ins_doc, err)) ||
        (rc = ga_store_prepare(st, sql_update_doc, &s->upd_doc, err)) ||
        (rc = ga_store_prepare(st, sql_del_mentions, &s->del_m, err)) ||
        (rc = ga_store_prepare(st, sql_del_events, &s->del_e, err)) ||
        (rc = ga_store_prepare(st, sql_insert_mention, &s->ins_m, err)) ||
        (rc = ga_store_prepare(st, sql_insert_event, &s->ins_e, err)) ||
        (rc = ga_store_prepare(st, "SAVEPOINT ga_doc", &s->sp_begin, err)) ||
        (rc = ga_store_prepare(st, "RELEASE ga_doc", &s->sp_release, err)) ||
        (rc = ga_store_prepare(st, "ROLLBACK TO ga_doc", &s->sp_undo, err)) ||
        (rc = ga_store_prepare(st, "INSERT OR IGNORE INTO ann_batch(tbl) VALUES ('mentions'),"
                               " ('events')", &s->defer, err)) ||
        (rc = ga_store_prepare(st, "DELETE FROM ann_batch", &s->undefer, err)) ||
        (rc = ga_store_prepare(st, sql_mention_point, &s->mention_point, err)) ||
        (rc = ga_store_prepare(st, sql_mention_point_has, &s->has_point, err))) {
        ga_store_ann_release(st);
        return rc;
    }
    for (int t = 0; t < 2 && !rc; t++) {
        const char *n = ann_tables[t];
        if ((rc = prepare_free(st, sqlite3_mprintf(sql_check, n), &s->check[t], err)) ||
            (sql_index[t] && (rc = ga_store_prepare(st, sql_index[t], &s->index[t], err))) ||
            (rc = prepare_free(st, sqlite3_mprintf(sql_stamp, n), &s->stamp[t], err))) {
            ga_store_ann_release(st);
            return rc;
        }
    }
    *out = s;
    return GA_OK;
}

void ga_store_ann_hash(const ga_ann_doc *doc, int64_t gen, char out[17])
{
    ga_buf b = {0};
    const char *parts[] = {doc->title, doc->url, doc->source, doc->date};
    ga_buf_append(&b, doc->text, doc->text_len);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        ga_buf_putc(&b, '\0');
        if (parts[i]) ga_buf_puts(&b, parts[i]);
        else ga_buf_putc(&b, '\x01');           /* NULL differs from "" */
    }
    ga_buf_printf(&b, "%c%lld%cgeoannot %s", '\0', (long long)gen, '\0', GA_VERSION);
    if (doc->lexicon) ga_buf_printf(&b, "%clexicon %s", '\0', doc->lexicon);
    uint64_t h = ga_hash64(b.data ? b.data : "", b.len);
    ga_buf_free(&b);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

ga_rc ga_store_ann_is_current(ga_store *st, const char *doc_id, const char *hash,
                              int *unchanged, ga_err *err)
{
    ga_ann_stmts *ss = NULL;
    *unchanged = 0;
    ga_rc rc = stmts_alloc(st, &ss, err);
    if (rc || (!ss->current && (rc = ga_store_prepare(st, sql_current, &ss->current, err))))
        return rc;
    sqlite3_stmt *s = ss->current;
    sqlite3_bind_text(s, 1, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *unchanged = 1;
    else if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read documents");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

/* Bind v without a copy (NULL, or empty with empty_null, binds NULL).
 * Every statement here is stepped and reset right after its binding
 * (step_done), while the strings it was given are still alive. */
static void bind_static(sqlite3_stmt *s, int i, const char *v, int empty_null)
{
    if (!v || (empty_null && !*v)) sqlite3_bind_null(s, i);
    else sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Length of text[a..b) cut to max bytes at a character boundary. */
static size_t span_len(const char *text, uint32_t a, uint32_t b, size_t max)
{
    size_t n = b > a ? b - a : 0;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[a + n] & 0xC0) == 0x80) n--;
    }
    return n;
}

/* Bind text[a..b) (cut to max bytes at a character boundary). */
static void bind_span(sqlite3_stmt *s, int i, const char *text, uint32_t a, uint32_t b,
                      size_t max)
{
    sqlite3_bind_text(s, i, text + a, (int)span_len(text, a, b, max), SQLITE_STATIC);
}

/* Size of a SpatiaLite POINT blob (XY). */
#define GA_POINT_BLOB_SIZE 60

/* Copy the n bytes of a number to out in little-endian order. */
static void put_le(unsigned char *out, const void *v, size_t n)
{
    const unsigned char *p = v;
    const uint16_t one = 1;
    if (*(const unsigned char *)&one) memcpy(out, p, n);
    else for (size_t k = 0; k < n; k++) out[k] = p[n - 1 - k];
}

/* Bind the SpatiaLite geometry blob of POINT(lon lat), SRID 4326, at i,
 * built in b, which must stay until the statement has been stepped:
 * the blob MakePoint(lon, lat, 4326) returns, built here rather than by a
 * SQL function call per row. Little-endian layout: 0x00, 0x01 (byte
 * order), SRID (int32), MBR min x, min y, max x, max y (doubles), 0x7C,
 * class 1 = POINT (int32), x, y (doubles), 0xFE. */
static void bind_point(sqlite3_stmt *s, int i, double lon, double lat,
                       unsigned char b[GA_POINT_BLOB_SIZE])
{
    int32_t srid = 4326, cls = 1;
    const double mbr[4] = {lon, lat, lon, lat}, xy[2] = {lon, lat};
    b[0] = 0x00;
    b[1] = 0x01;
    put_le(b + 2, &srid, sizeof srid);
    for (int k = 0; k < 4; k++) put_le(b + 6 + 8 * k, &mbr[k], sizeof mbr[k]);
    b[38] = 0x7C;
    put_le(b + 39, &cls, sizeof cls);
    put_le(b + 43, &xy[0], sizeof xy[0]);
    put_le(b + 51, &xy[1], sizeof xy[1]);
    b[59] = 0xFE;
    sqlite3_bind_blob(s, i, b, GA_POINT_BLOB_SIZE, SQLITE_STATIC);
}

/* "demonym,organisation" or "" into buf. */
static const char *flags_text(unsigned flags, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < ga_mention_nflags; i++) {
        if (!(flags & ga_mention_flags[i].bit)) continue;
        int n = snprintf(buf + o, cap - o, "%s%s", o ? "," : "", ga_mention_flags[i].name);
        if (n < 0 || (size_t)n >= cap - o) break;
        o += (size_t)n;
    }
    return buf;
}

static ga_rc step_done(ga_store *st, sqlite3_stmt *s, const char *what, ga_err *err)
{
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (src != SQLITE_DONE && src != SQLITE_ROW) return ga_store_fail(st, err, src, what);
    return GA_OK;
}

/* In a batch, remember the row just inserted into ann_tables[t]. */
static void note_rowid(ga_store *st, ga_ann_stmts *ss, int t)
{
    if (!ss->deferred) return;
    int64_t r = sqlite3_last_insert_rowid(st->db);
    if (r < ss->lo[t]) ss->lo[t] = r;
}

static void bind_place(sqlite3_stmt *s, int first, const ga_place *p)
{
    /* place_id, place_gid, place_name, kind, admin1, admin1_pcode, admin2,
     * admin2_pcode, country */
    sqlite3_bind_int64(s, first, p->id);
    bind_static(s, first + 1, p->gid, 1);
    bind_static(s, first + 2, p->name, 1);
    bind_static(s, first + 3, ga_kind_name(p->kind), 1);
    bind_static(s, first + 4, p->admin1, 1);
    bind_static(s, first + 5, p->admin1_pcode, 1);
    bind_static(s, first + 6, p->admin2, 1);
    bind_static(s, first + 7, p->admin2_pcode, 1);
    bind_static(s, first + 8, p->country, 1);
}

/* Step a statement that returns no rows (SAVEPOINT, RELEASE, ...). */
static ga_rc step_once(ga_store *st, sqlite3_stmt *s, ga_err *err)
{
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? GA_OK : ga_store_fail(st, err, src, "database error");
}

static ga_rc put_mentions(ga_store *st, ga_ann_stmts *ss, int64_t doc, const ga_ann_doc *d,
                          const ga_resolved *res, ga_err *err)
{
    sqlite3_stmt *s = ss->ins_m;
    unsigned char blob[GA_POINT_BLOB_SIZE];
    for (size_t i = 0; i < res->mentions.n; i++) {
        const ga_mention *m = &res->mentions.v[i];
        char fl[128];
        sqlite3_bind_int64(s, 1, doc);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(s, 3, m->start);
        sqlite3_bind_int64(s, 4, m->end);
        bind_span(s, 5, d->text, m->start, m->end, GA_ANN_SENTENCE_MAX);
        if (m->resolved) {
            bind_place(s, 6, &m->place);
            sqlite3_bind_int(s, 15, m->precision);
            sqlite3_bind_double(s, 16, m->score);
            bind_point(s, 20, m->place.lon, m->place.lat, blob);
            ga_ann_point pt = {m->place.id, m->place.lon, m->place.lat};
            if (ga_vec_push(&ss->points, pt)) {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
                return ga_err_set(err, GA_ENOMEM, "out of memory");
            }
        }
        bind_static(s, 17, m->reason, 1);
        bind_static(s, 18, flags_text(m->flags, fl, sizeof fl), 1);
        if (res->toks.n && m->tok_first < res->toks.n) {
            size_t a, b;
            ga_sentence_of(&res->toks, m->tok_first, &a, &b);
            uint32_t from = res->toks.v[a].start;
            sqlite3_bind_int64(s, 19, from);
            sqlite3_bind_int64(s, 21, from + span_len(d->text, from, res->toks.v[b].end,
                                                      GA_ANN_SENTENCE_MAX));
        }
        ga_rc rc = step_done(st, s, "cannot store mention", err);
        if (rc) return rc;
        note_rowid(st, ss, 0);
    }
    return GA_OK;
}

/* Name of mention k for origin/destination columns: the place name, else
 * the text. Binds name, lon, lat at i, i+1, i+2. */
static void bind_end(sqlite3_stmt *s, int i, const ga_ann_doc *d, const ga_resolved *res,
                     long k)
{
    if (k < 0 || (size_t)k >= res->mentions.n) return;
    const ga_mention *m = &res->mentions.v[k];
    if (m->resolved) {
        bind_static(s, i, m->place.name, 1);
        sqlite3_bind_double(s, i + 1, m->place.lon);
        sqlite3_bind_double(s, i + 2, m->place.lat);
    } else {
        bind_span(s, i, d->text, m->start, m->end, GA_ANN_SENTENCE_MAX);
    }
}

static ga_rc put_events(ga_store *st, ga_ann_stmts *ss, int64_t doc, const ga_ann_doc *d,
                        const ga_resolved *res, const ga_events *ev, ga_err *err)
{
    sqlite3_stmt *s = ss->ins_e;
    unsigned char blob[GA_POINT_BLOB_SIZE];
    for (size_t i = 0; i < ev->n; i++) {
        const ga_event *e = &ev->v[i];
        if (e->location < 0 || (size_t)e->location >= res->mentions.n) continue;
        const ga_mention *m = &res->mentions.v[e->location];
        sqlite3_bind_int64(s, 1, doc);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        bind_static(s, 3, ga_event_type_name(e->type), 0);
        bind_static(s, 4, ga_event_status_name(e->status), 0);
        bind_static(s, 5, e->trigger, 1);
        bind_static(s, 6, e->date, 1);
        if (e->time_precision) sqlite3_bind_int(s, 7, e->time_precision);
        if (e->geo_precision) sqlite3_bind_int(s, 8, e->geo_precision);
        sqlite3_bind_int64(s, 9, e->location);
        if (m->resolved) bind_place(s, 10, &m->place);
        else bind_span(s, 12, d->text, m->start, m->end, GA_ANN_SENTENCE_MAX);
        bind_static(s, 19, ga_role_name(e->role), 0);
        bind_end(s, 20, d, res, e->origin);
        bind_end(s, 23, d, res, e->destination);
        char *actors = NULL;
        if (e->nactors) {
            json_t *a = json_array();
            for (int k = 0; k < e->nactors; k++) json_array_append_new(a, json_string(e->actors[k]));
            actors = json_dumps(a, JSON_COMPACT);
            json_decref(a);
            if (!actors) {
                sqlite3_clear_bindings(s);
                return ga_err_set(err, GA_ENOMEM, "out of memory");
            }
        }
        ga_store_bind_text(s, 26, actors, 1);
        free(actors);
        if (e->people >= 0) sqlite3_bind_int64(s, 27, e->people);
        bind_span(s, 28, d->text, e->sent_start, e->sent_end, GA_ANN_SENTENCE_MAX);
        bind_static(s, 29, e->reason, 1);
        if (m->resolved) {
            sqlite3_bind_double(s, 30, m->place.lon);
            sqlite3_bind_double(s, 31, m->place.lat);
            bind_point(s, 32, m->place.lon, m->place.lat, blob);
        }
        ga_rc rc = step_done(st, s, "cannot store event", err);
        if (rc) return rc;
        note_rowid(st, ss, 1);
    }
    return GA_OK;
}

static int cmp_point(const void *a, const void *b)
{
    int64_t x = ((const ga_ann_point *)a)->place, y = ((const ga_ann_point *)b)->place;
    return (x > y) - (x < y);
}

/* Give each place of ss->points an entry in mention_points holding its
 * point, where it has none yet (most have: news names the same places
 * over and over), and empty ss->points. */
static ga_rc index_mentions(ga_store *st, ga_ann_stmts *ss, ga_err *err)
{
    ga_rc rc = GA_OK;
    if (ss->points.n) qsort(ss->points.v, ss->points.n, sizeof *ss->points.v, cmp_point);
    for (size_t i = 0; i < ss->points.n && !rc; i++) {
        const ga_ann_point *p = &ss->points.v[i];
        if (i > 0 && p->place == p[-1].place) continue;
        sqlite3_bind_int64(ss->has_point, 1, p->place);
        sqlite3_bind_double(ss->has_point, 2, p->lon);
        sqlite3_bind_double(ss->has_point, 3, p->lat);
        int src = sqlite3_step(ss->has_point);
        sqlite3_reset(ss->has_point);
        if (src == SQLITE_ROW) continue;
        if (src != SQLITE_DONE) {
            rc = ga_store_fail(st, err, src, "cannot read the spatial index");
            break;
        }
        sqlite3_bind_int64(ss->mention_point, 1, p->place);
        sqlite3_bind_double(ss->mention_point, 2, p->lon);
        sqlite3_bind_double(ss->mention_point, 3, p->lat);
        rc = step_done(st, ss->mention_point, "cannot update the spatial index", err);
    }
    ss->points.n = 0;
    return rc;
}

ga_rc ga_store_ann_put(ga_store *st, const ga_ann_doc *d, int64_t gen,
                       const ga_resolved *res, const ga_events *ev, int force,
                       ga_ann_result *result, ga_err *err)
{
    ga_ann_stmts *ss;
    char own[17];
    const char *hash = d->hash;
    if (!hash) {
        ga_store_ann_hash(d, gen, own);
        hash = own;
    }
    *result = GA_ANN_INSERTED;
    ga_rc rc = stmts_get(st, &ss, err);
    if (rc) return rc;
    /* Inside a caller's batch transaction the document is a savepoint, so
     * a failing document is undone alone; otherwise it is a transaction. */
    int batch = st->in_txn;
    if ((rc = batch ? step_once(st, ss->sp_begin, err) : ga_store_begin(st, err)))
        return rc;
    int64_t doc = 0;
    sqlite3_bind_text(ss->find, 1, d->doc_id, -1, SQLITE_STATIC);
    int src = sqlite3_step(ss->find);
    if (src == SQLITE_ROW) {
        doc = sqlite3_column_int64(ss->find, 0);
        const char *old = (const char *)sqlite3_column_text(ss->find, 1);
        *result = old && strcmp(old, hash) == 0 && !force ? GA_ANN_UNCHANGED : GA_ANN_REPLACED;
    } else if (src != SQLITE_DONE) {
        rc = ga_store_fail(st, err, src, "cannot read documents");
    }
    sqlite3_reset(ss->find);
    sqlite3_clear_bindings(ss->find);
    if (rc || *result == GA_ANN_UNCHANGED) goto done;
    sqlite3_stmt *w = doc ? ss->upd_doc : ss->ins_doc;
    if (doc) sqlite3_bind_int64(w, 1, doc);
    else bind_static(w, 1, d->doc_id, 0);
    bind_static(w, 2, d->title, 1);
    bind_static(w, 3, d->url, 1);
    bind_static(w, 4, d->source, 1);
    bind_static(w, 5, d->date, 1);
    sqlite3_bind_text(w, 6, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(w, 7, gen);
    bind_static(w, 8, d->path, 1);
    sqlite3_bind_text(w, 9, d->text, (int)d->text_len, SQLITE_STATIC);
    if ((rc = step_done(st, w, "cannot store document", err))) goto done;
    if (doc) {
        sqlite3_bind_int64(ss->del_m, 1, doc);
        sqlite3_bind_int64(ss->del_e, 1, doc);
        if ((rc = step_done(st, ss->del_m, "cannot replace mentions", err)) ||
            (rc = step_done(st, ss->del_e, "cannot replace events", err)))
            goto done;
    } else {
        doc = sqlite3_last_insert_rowid(st->db);
    }
    if ((rc = put_mentions(st, ss, doc, d, res, err)) ||
        (rc = put_events(st, ss, doc, d, res, ev, err)))
        goto done;
done:
    if (rc) {
        if (batch) {
            step_once(st, ss->sp_undo, NULL);
            step_once(st, ss->sp_release, NULL);
        } else {
            ga_store_rollback(st);
        }
        ga_err_prefix(err, "'%s'", d->doc_id);
        return rc;
    }
    if (batch) return step_once(st, ss->sp_release, err);
    /* alone in its transaction: no batch flush will index its mentions */
    if ((rc = index_mentions(st, ss, err))) {
        ga_store_rollback(st);
        return rc;
    }
    return ga_store_commit(st, err);
}

ga_rc ga_store_ann_begin(ga_store *st, ga_err *err)
{
    ga_ann_stmts *ss;
    ga_rc rc = stmts_get(st, &ss, err);
    if (rc || (rc = ga_store_begin(st, err))) return rc;
    if ((rc = step_once(st, ss->defer, err))) {
        ga_store_rollback(st);
        return rc;
    }
    ss->deferred = 1;
    ss->lo[0] = ss->lo[1] = INT64_MAX;
    return GA_OK;
}

ga_rc ga_store_ann_flush(ga_store *st, ga_err *err)
{
    ga_ann_stmts *ss = st ? st->ann : NULL;
    if (!ss || !ss->deferred) return GA_OK;
    ga_rc rc = GA_OK;
    for (int t = 0; t < 2 && !rc; t++) {
        if (ss->lo[t] == INT64_MAX) continue;          /* nothing inserted */
        int src = sqlite3_step(ss->check[t]);
        int64_t bad = src == SQLITE_ROW ? sqlite3_column_int64(ss->check[t], 0) : 0;
        sqlite3_reset(ss->check[t]);
        if (src != SQLITE_ROW) rc = ga_store_fail(st, err, src, "cannot check geometries");
        else if (bad)
            rc = ga_err_set(err, GA_EDB, "%s.geom violates Geometry constraint [geom-type or "
                            "SRID not allowed]", ann_tables[t]);
        if (!rc && ss->index[t]) {
            sqlite3_bind_int64(ss->index[t], 1, ss->lo[t]);
            rc = step_done(st, ss->index[t], "cannot update the spatial index", err);
        }
        /* events: their entries in event_cells, which the insert trigger skipped */
        if (!rc && ss->index[t] && st->has_cells) rc = ga_store_cells_fill(st, ss->lo[t], err);
        if (!rc) rc = step_once(st, ss->stamp[t], err);
    }
    if (!rc) rc = index_mentions(st, ss, err);
    if (!rc) rc = step_once(st, ss->undefer, err);
    if (!rc) ss->deferred = 0;
    return rc;
}

void ga_store_ann_abandon(ga_store *st)
{
    if (st && st->ann) {
        st->ann->deferred = 0;
        st->ann->points.n = 0;
    }
}

ga_rc ga_store_ann_counts(ga_store *st, int64_t *documents, int64_t *mentions,
                          int64_t *events, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT (SELECT count(*) FROM documents),"
                                " (SELECT count(*) FROM mentions), (SELECT count(*) FROM events)",
                                &s, err);
    if (rc) return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        *documents = sqlite3_column_int64(s, 0);
        *mentions = sqlite3_column_int64(s, 1);
        *events = sqlite3_column_int64(s, 2);
    } else {
        rc = ga_store_fail(st, err, src, "cannot count annotations");
    }
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_ann_stored_ids(ga_store *st, int64_t **ids, size_t *n, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    GA_VEC(int64_t) v = {0};
    *ids = NULL;
    *n = 0;
    ga_rc rc = ga_store_prepare(st, "SELECT id FROM documents ORDER BY id", &s, err);
    if (rc) return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if (ga_vec_push(&v, sqlite3_column_int64(s, 0))) { rc = GA_ENOMEM; break; }
    if (rc) rc = ga_err_set(err, rc, "out of memory listing documents");
    else if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot list documents");
    sqlite3_finalize(s);
    if (rc) { ga_vec_free(&v); return rc; }
    *ids = v.v;
    *n = v.n;
    return GA_OK;
}

/* A malloc'd copy of text column i, or NULL when it is NULL. */
static char *column_dup(sqlite3_stmt *s, int i, int *oom)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    if (!t) return NULL;
    char *c = ga_strndup(t, (size_t)sqlite3_column_bytes(s, i));
    if (!c) *oom = 1;
    return c;
}

ga_rc ga_store_ann_stored_doc(ga_store *st, int64_t id, ga_doc *doc, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_doc_clear(doc);
    ga_rc rc = ga_store_prepare(st, "SELECT doc_id, title, url, source, doc_date, path, text"
                                " FROM documents WHERE id = ?1", &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, id);
    int src = sqlite3_step(s), oom = 0;
    if (src == SQLITE_ROW) {
        doc->id = column_dup(s, 0, &oom);
        doc->title = column_dup(s, 1, &oom);
        doc->url = column_dup(s, 2, &oom);
        doc->source = column_dup(s, 3, &oom);
        doc->date = column_dup(s, 4, &oom);
        doc->path = column_dup(s, 5, &oom);
        doc->text = column_dup(s, 6, &oom);
        doc->text_len = doc->text ? (size_t)sqlite3_column_bytes(s, 6) : 0;
        if (!oom && (!doc->id || !doc->text))
            rc = ga_err_set(err, GA_EFORMAT, "document %lld has no id or no text", (long long)id);
        else if (oom)
            rc = ga_err_set(err, GA_ENOMEM, "out of memory reading document %lld", (long long)id);
    } else if (src == SQLITE_DONE) {
        rc = ga_err_set(err, GA_ENOTFOUND, "document %lld is gone (deleted meanwhile)",
                        (long long)id);
    } else {
        rc = ga_store_fail(st, err, src, "cannot read document");
    }
    sqlite3_finalize(s);
    if (rc) ga_doc_clear(doc);
    return rc;
}
