/*
 * gaz_write.c: writing the gazetteer tables (ga_store_gaz.h). A writer
 * holds every statement a bulk import needs, prepared once and bound per
 * row, so an import of a few hundred thousand places costs no SQL parsing
 * and no per-row allocation in this module. Geometry is SpatiaLite's:
 * CastToMultiPolygon(GeomFromWKB(wkb, 4326)) for boundaries.geom, and for
 * places.geom the blob MakePoint(lon, lat, 4326) returns. Calling MakePoint
 * costs more than the rest of the insert, so the writer encodes that
 * 60-byte blob itself (point_blob) after checking once, per writer, that
 * its encoding is byte for byte what MakePoint returns; if it ever is not,
 * the insert falls back to MakePoint.
 *
 * Name de-duplication: names of a place this writer has just inserted are
 * checked against a small in-memory list of hashes (no query per name);
 * names of any other place are checked against the names table.
 *
 * Bulk mode (ga_gaz_writer_bulk) batches names into multi-row INSERTs and
 * may drop the secondary indexes of places and names for the duration of
 * the load, re-creating them from their own CREATE statements (read from
 * sqlite_master, so the schema stays defined only in store.c) at finish.
 *
 * Also here: the admin crosswalk (GeoNames admin1 codes <-> OCHA P-codes),
 * the derived admin1 column, country bounding boxes and the final
 * checkpoint of a built gazetteer, so that all gazetteer SQL stays in
 * src/store.
 */
#include "store/store_int.h"
#include "store/ga_store_gaz.h"

#include <stdlib.h>
#include <string.h>

#define NAME_BATCH 32            /* names per multi-row INSERT in bulk mode */
#define NO_OFF ((size_t)-1)      /* arena offset standing for NULL */

struct ga_gaz_writer {
    ga_store *st;                /* database written */
    sqlite3_stmt *ins_place;     /* INSERT INTO places */
    sqlite3_stmt *upd_place;     /* UPDATE places by id */
    sqlite3_stmt *find_gid;      /* SELECT id FROM places WHERE gid */
    sqlite3_stmt *del_names;     /* DELETE names of a place from one source */
    sqlite3_stmt *ins_name;      /* INSERT INTO names */
    sqlite3_stmt *find_name;     /* SELECT id, lang of an existing name */
    sqlite3_stmt *set_lang;      /* UPDATE names SET lang */
    sqlite3_stmt *mpoly;         /* WKB -> SpatiaLite MULTIPOLYGON blob */
    sqlite3_stmt *ins_bound;     /* INSERT/UPDATE boundaries */
    int own_points;              /* 1: point_blob() matches MakePoint here */
    int64_t fresh_id;            /* last place inserted (not updated) here, or 0 */
    GA_VEC(uint64_t) seen;       /* hashes of (name, kind) added to fresh_id */
    int64_t nplaces, nnames;     /* rows written (names: including buffered ones) */
    /* Bulk mode. */
    int bulk;                    /* 1: names are buffered and batched */
    sqlite3_stmt *ins_names;     /* INSERT of NAME_BATCH names at once */
    struct {
        int64_t place_id;        /* names.place_id */
        size_t name, lang, source;   /* offsets into arena; NO_OFF for NULL */
        int kind, curated;       /* ga_name_kind, 0/1 */
    } pend[NAME_BATCH];
    size_t npend;                /* buffered names */
    ga_buf arena;                /* strings of the buffered names */
    GA_VEC(char *) deferred;     /* CREATE INDEX statements to run at finish */
};


static const char *const sql_ins_place =
    "INSERT INTO places(gid, name, kind, feature_code, country, admin1, admin1_code,"
    " admin1_pcode, admin2, admin2_pcode, population, lon, lat, source, curated, note, geom,"
    " alt_names)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
    " coalesce(?18, MakePoint(?12, ?13, 4326)), ?19)";
static const char *const sql_upd_place =
    "UPDATE places SET gid = ?1, name = ?2, kind = ?3, feature_code = ?4, country = ?5,"
    " admin1 = ?6, admin1_code = ?7, admin1_pcode = ?8, admin2 = ?9, admin2_pcode = ?10,"
    " population = ?11, lon = ?12, lat = ?13, source = ?14, curated = ?15, note = ?16,"
    " geom = coalesce(?18, MakePoint(?12, ?13, 4326)), alt_names = ?19 WHERE id = ?17";

enum { POINT_BLOB = 60 };

/* SpatiaLite BLOB-Geometry of POINT(lon lat) with SRID 4326: start 0x00,
 * byte order, SRID, MBR (min x, min y, max x, max y), 0x7C, class 1
 * (POINT), x, y, end 0xFE; numbers in host byte order. */
static void point_blob(unsigned char b[POINT_BLOB], double lon, double lat)
{
    const uint16_t one = 1;
    int32_t srid = 4326, cls = 1;
    double mbr[4] = {lon, lat, lon, lat}, xy[2] = {lon, lat};
    b[0] = 0x00;
    b[1] = *(const unsigned char *)&one ? 0x01 : 0x00;   /* 1: little endian */
    memcpy(b + 2, &srid, 4);
    memcpy(b + 6, mbr, 32);
    b[38] = 0x7C;
    memcpy(b + 39, &cls, 4);
    memcpy(b + 43, xy, 16);
    b[59] = 0xFE;
}

/* 1 when point_blob() gives what MakePoint gives on this database. */
static int point_blob_ok(ga_store *st)
{
    static const double probe[][2] = {{36.72339, 34.72682}, {-179.5, -89.25}, {0, 0}};
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT MakePoint(?, ?, 4326)", -1, &s, NULL) != SQLITE_OK)
        return 0;
    int ok = 1;
    for (size_t i = 0; ok && i < sizeof probe / sizeof probe[0]; i++) {
        unsigned char mine[POINT_BLOB];
        point_blob(mine, probe[i][0], probe[i][1]);
        sqlite3_bind_double(s, 1, probe[i][0]);
        sqlite3_bind_double(s, 2, probe[i][1]);
        ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_bytes(s, 0) == POINT_BLOB &&
             memcmp(sqlite3_column_blob(s, 0), mine, POINT_BLOB) == 0;
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    return ok;
}

ga_rc ga_gaz_writer_new(ga_store *st, ga_gaz_writer **out, ga_err *err)
{
    *out = NULL;
    ga_gaz_writer *w = calloc(1, sizeof *w);
    if (!w) return ga_err_set(err, GA_ENOMEM, "out of memory");
    w->st = st;
    ga_rc rc;
    if ((rc = ga_store_prepare(st, sql_ins_place, &w->ins_place, err)) ||
        (rc = ga_store_prepare(st, sql_upd_place, &w->upd_place, err)) ||
        (rc = ga_store_prepare(st, "SELECT id FROM places WHERE gid = ?", &w->find_gid, err)) ||
        (rc = ga_store_prepare(st, "DELETE FROM names WHERE place_id = ? AND source IS ? "
                               "AND curated = 0", &w->del_names, err)) ||
        (rc = ga_store_prepare(st, "INSERT INTO names(place_id, name, lang, kind, source, "
                               "curated) VALUES(?, ?, ?, ?, ?, ?)", &w->ins_name, err)) ||
        (rc = ga_store_prepare(st, "SELECT id, lang FROM names WHERE place_id = ? AND "
                               "name = ? AND kind = ? LIMIT 1", &w->find_name, err)) ||
        (rc = ga_store_prepare(st, "UPDATE names SET lang = ? WHERE id = ?", &w->set_lang,
                               err)) ||
        (rc = ga_store_prepare(st, "SELECT CastToMultiPolygon(GeomFromWKB(?, 4326))",
                               &w->mpoly, err)) ||
        (rc = ga_store_prepare(st, "INSERT INTO boundaries(place_id, level, pcode, source, geom)"
                               " VALUES(?, ?, ?, ?, ?) ON CONFLICT(place_id) DO UPDATE SET"
                               " level = excluded.level, pcode = excluded.pcode,"
                               " source = excluded.source, geom = excluded.geom",
                               &w->ins_bound, err))) {
        ga_gaz_writer_free(w);
        return rc;
    }
    w->own_points = point_blob_ok(st);
    *out = w;
    return GA_OK;
}

void ga_gaz_writer_free(ga_gaz_writer *w)
{
    if (!w) return;
    sqlite3_stmt *all[] = {w->ins_place, w->upd_place, w->find_gid, w->del_names, w->ins_name,
                           w->find_name, w->set_lang, w->mpoly, w->ins_bound};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) sqlite3_finalize(all[i]);
    sqlite3_finalize(w->ins_names);
    for (size_t i = 0; i < w->deferred.n; i++) free(w->deferred.v[i]);
    ga_vec_free(&w->deferred);
    ga_buf_free(&w->arena);
    ga_vec_free(&w->seen);
    free(w);
}

void ga_gaz_writer_counts(const ga_gaz_writer *w, int64_t *places, int64_t *names)
{
    if (places) *places = w ? w->nplaces : 0;
    if (names) *names = w ? w->nnames : 0;
}

/* Bind text without copying: the statement is stepped and reset before
 * the caller's string can change. Empty strings become NULL. */
static int bind_str(sqlite3_stmt *s, int i, const char *v)
{
    if (!v || !*v) return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Step a statement that returns no rows; reset it either way. */
static int step_done(sqlite3_stmt *s)
{
    int src = sqlite3_step(s);
    sqlite3_reset(s);
    return src == SQLITE_DONE ? SQLITE_OK : src;
}

static void bind_place(sqlite3_stmt *s, const ga_place *p, const char *note,
                       const unsigned char *geom)
{
    bind_str(s, 1, p->gid);
    bind_str(s, 2, p->name);
    sqlite3_bind_text(s, 3, ga_kind_name(p->kind), -1, SQLITE_STATIC);
    bind_str(s, 4, p->feature_code);
    bind_str(s, 5, p->country);
    bind_str(s, 6, p->admin1);
    bind_str(s, 7, p->admin1_code);
    bind_str(s, 8, p->admin1_pcode);
    bind_str(s, 9, p->admin2);
    bind_str(s, 10, p->admin2_pcode);
    sqlite3_bind_int64(s, 11, p->population);
    sqlite3_bind_double(s, 12, p->lon);
    sqlite3_bind_double(s, 13, p->lat);
    bind_str(s, 14, p->source ? p->source : "user");
    sqlite3_bind_int(s, 15, p->curated);
    bind_str(s, 16, note);
    if (geom) sqlite3_bind_blob(s, 18, geom, POINT_BLOB, SQLITE_STATIC);
    else sqlite3_bind_null(s, 18);
    bind_str(s, 19, p->alt_names);
}

/* Write the buffered names. */
static ga_rc flush_names(ga_gaz_writer *w, ga_err *err)
{
    if (w->npend == 0) return GA_OK;
    const char *base = w->arena.data;
#define ARENA_STR(off) ((off) == NO_OFF ? NULL : base + (off))
    int src = SQLITE_OK;
    if (w->npend == NAME_BATCH) {
        sqlite3_stmt *s = w->ins_names;
        for (size_t i = 0; i < w->npend; i++) {
            int b = (int)i * 6;
            sqlite3_bind_int64(s, b + 1, w->pend[i].place_id);
            sqlite3_bind_text(s, b + 2, ARENA_STR(w->pend[i].name), -1, SQLITE_STATIC);
            bind_str(s, b + 3, ARENA_STR(w->pend[i].lang));
            sqlite3_bind_text(s, b + 4, ga_name_kind_name((ga_name_kind)w->pend[i].kind), -1,
                              SQLITE_STATIC);
            bind_str(s, b + 5, ARENA_STR(w->pend[i].source));
            sqlite3_bind_int(s, b + 6, w->pend[i].curated);
        }
        src = step_done(s);
    } else {
        sqlite3_stmt *s = w->ins_name;
        for (size_t i = 0; i < w->npend && src == SQLITE_OK; i++) {
            sqlite3_bind_int64(s, 1, w->pend[i].place_id);
            sqlite3_bind_text(s, 2, ARENA_STR(w->pend[i].name), -1, SQLITE_STATIC);
            bind_str(s, 3, ARENA_STR(w->pend[i].lang));
            sqlite3_bind_text(s, 4, ga_name_kind_name((ga_name_kind)w->pend[i].kind), -1,
                              SQLITE_STATIC);
            bind_str(s, 5, ARENA_STR(w->pend[i].source));
            sqlite3_bind_int(s, 6, w->pend[i].curated);
            src = step_done(s);
        }
    }
#undef ARENA_STR
    w->npend = 0;
    ga_buf_reset(&w->arena);
    if (src != SQLITE_OK) return ga_store_fail(w->st, err, src, "cannot insert name");
    return GA_OK;
}

static ga_rc arena_put(ga_gaz_writer *w, const char *s, size_t *off, ga_err *err)
{
    if (!s) { *off = NO_OFF; return GA_OK; }
    *off = w->arena.len;
    if (ga_buf_append(&w->arena, s, strlen(s) + 1))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    return GA_OK;
}

ga_rc ga_gaz_writer_bulk(ga_gaz_writer *w, int defer_indexes, ga_err *err)
{
    if (!w->ins_names) {
        ga_buf sql = {0};
        ga_rc rc = ga_buf_puts(&sql, "INSERT INTO names(place_id, name, lang, kind, source, "
                               "curated) VALUES");
        for (int i = 0; rc == GA_OK && i < NAME_BATCH; i++)
            rc = ga_buf_puts(&sql, i ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)");
        if (rc == GA_OK) rc = ga_store_prepare(w->st, sql.data, &w->ins_names, err);
        else ga_err_set(err, rc, "out of memory");
        ga_buf_free(&sql);
        if (rc) return rc;
    }
    w->bulk = 1;
    if (!defer_indexes || w->deferred.n) return GA_OK;
    sqlite3_stmt *s = NULL;
    /* Secondary indexes, and SpatiaLite's per-row triggers on places.geom
     * (geometry type check and last-update time), which would otherwise
     * cost more than the insert itself; the writer only stores points it
     * made with MakePoint(lon, lat, 4326), which always pass the check. */
    ga_rc rc = ga_store_prepare(w->st, "SELECT name, sql, type FROM sqlite_master WHERE"
                                " sql IS NOT NULL AND ((type = 'index' AND tbl_name IN"
                                " ('places', 'names')) OR (type = 'trigger' AND tbl_name ="
                                " 'places' AND (name LIKE 'ggi\\_places\\_%' ESCAPE '\\' OR name LIKE"
                                " 'tmi\\_places\\_%' ESCAPE '\\')))", &s, err);
    if (rc) return rc;
    GA_VEC(char *) names = {0};
    int src;
    while (rc == GA_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
        /* "DROP INDEX" or "DROP TRIGGER" followed by the quoted name. */
        char *n = sqlite3_mprintf("DROP %s \"%w\"",
                                  strcmp((const char *)sqlite3_column_text(s, 2), "index")
                                      ? "TRIGGER" : "INDEX",
                                  (const char *)sqlite3_column_text(s, 0));
        char *q = ga_strdup((const char *)sqlite3_column_text(s, 1));
        if (!n || !q || ga_vec_push(&names, n) || ga_vec_push(&w->deferred, q)) {
            sqlite3_free(n);
            free(q);
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(w->st, err, src, "cannot list indexes");
    sqlite3_finalize(s);
    for (size_t i = 0; rc == GA_OK && i < names.n; i++) rc = ga_store_exec(w->st, names.v[i], err);
    for (size_t i = 0; i < names.n; i++) sqlite3_free(names.v[i]);
    ga_vec_free(&names);
    return rc;
}

ga_rc ga_gaz_writer_finish(ga_gaz_writer *w, ga_err *err)
{
    ga_rc rc = flush_names(w, err);
    for (size_t i = 0; rc == GA_OK && i < w->deferred.n; i++)
        rc = ga_store_exec(w->st, w->deferred.v[i], err);
    if (rc) return rc;
    for (size_t i = 0; i < w->deferred.n; i++) free(w->deferred.v[i]);
    w->deferred.n = 0;
    w->bulk = 0;
    return GA_OK;
}

ga_rc ga_gaz_writer_find(ga_gaz_writer *w, const char *gid, int64_t *id, ga_err *err)
{
    sqlite3_stmt *s = w->find_gid;
    sqlite3_bind_text(s, 1, gid, -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    ga_rc rc = GA_OK;
    if (src == SQLITE_ROW) *id = sqlite3_column_int64(s, 0);
    else if (src == SQLITE_DONE) rc = GA_ENOTFOUND;
    else rc = ga_store_fail(w->st, err, src, "cannot look up place");
    sqlite3_reset(s);
    return rc;
}

ga_rc ga_gaz_writer_place(ga_gaz_writer *w, const ga_place *p, const char *note, int64_t *id,
                          ga_err *err)
{
    if (!p->gid || !*p->gid || !p->name || !*p->name)
        return ga_err_set(err, GA_EINVAL, "place without gid or name");
    if (!(p->lon >= -180 && p->lon <= 180 && p->lat >= -90 && p->lat <= 90))
        return ga_err_set(err, GA_EINVAL, "place '%s': coordinates (%g, %g) out of range",
                          p->gid, p->lon, p->lat);
    if (!ga_kind_name(p->kind))
        return ga_err_set(err, GA_EINVAL, "place '%s': invalid kind", p->gid);
    unsigned char geom[POINT_BLOB];
    if (w->own_points) point_blob(geom, p->lon, p->lat);
    const unsigned char *g = w->own_points ? geom : NULL;
    sqlite3_stmt *s = w->ins_place;
    bind_place(s, p, note, g);
    int src = step_done(s);
    if (src == SQLITE_OK) {
        *id = sqlite3_last_insert_rowid(w->st->db);
        w->fresh_id = *id;
        w->seen.n = 0;
        w->nplaces++;
        return GA_OK;
    }
    if (src != SQLITE_CONSTRAINT_UNIQUE)
        return ga_store_fail(w->st, err, src, "cannot insert place");
    /* The gid exists: update the row, drop its names from this source. */
    int64_t old = 0;
    ga_rc rc = flush_names(w, err);
    if (rc) return rc;
    rc = ga_gaz_writer_find(w, p->gid, &old, err);
    if (rc == GA_ENOTFOUND)
        return ga_err_set(err, GA_EDB, "cannot insert place '%s': constraint failed", p->gid);
    if (rc) return rc;
    s = w->upd_place;
    bind_place(s, p, note, g);
    sqlite3_bind_int64(s, 17, old);
    if ((src = step_done(s)) != SQLITE_OK)
        return ga_store_fail(w->st, err, src, "cannot update place");
    s = w->del_names;
    sqlite3_bind_int64(s, 1, old);
    bind_str(s, 2, p->source ? p->source : "user");
    if ((src = step_done(s)) != SQLITE_OK)
        return ga_store_fail(w->st, err, src, "cannot replace names");
    *id = old;
    w->fresh_id = 0;
    w->nplaces++;
    return GA_OK;
}

ga_rc ga_gaz_writer_name(ga_gaz_writer *w, int64_t place_id, const char *name, const char *lang,
                         ga_name_kind kind, const char *source, int curated, ga_err *err)
{
    const char *kname = ga_name_kind_name(kind);
    if (!kname) return ga_err_set(err, GA_EINVAL, "invalid name kind");
    if (!name || !*name) return GA_OK;
    if (lang && !*lang) lang = NULL;
    int src;
    if (place_id == w->fresh_id) {
        uint64_t h = ga_hash64(name, strlen(name)) ^ ((uint64_t)kind * 0x9e3779b97f4a7c15ULL);
        for (size_t i = 0; i < w->seen.n; i++)
            if (w->seen.v[i] == h) return GA_OK;
        if (ga_vec_push(&w->seen, h)) return ga_err_set(err, GA_ENOMEM, "out of memory");
    } else {
        ga_rc frc = flush_names(w, err);
        if (frc) return frc;
        sqlite3_stmt *f = w->find_name;
        sqlite3_bind_int64(f, 1, place_id);
        sqlite3_bind_text(f, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(f, 3, kname, -1, SQLITE_STATIC);
        src = sqlite3_step(f);
        if (src == SQLITE_ROW) {
            int64_t nid = sqlite3_column_int64(f, 0);
            int has_lang = sqlite3_column_type(f, 1) != SQLITE_NULL;
            sqlite3_reset(f);
            if (has_lang || !lang) return GA_OK;
            /* Same name seen before without a language: record it now. */
            sqlite3_bind_text(w->set_lang, 1, lang, -1, SQLITE_STATIC);
            sqlite3_bind_int64(w->set_lang, 2, nid);
            if ((src = step_done(w->set_lang)) != SQLITE_OK)
                return ga_store_fail(w->st, err, src, "cannot update name");
            return GA_OK;
        }
        sqlite3_reset(f);
        if (src != SQLITE_DONE) return ga_store_fail(w->st, err, src, "cannot look up name");
    }
    if (w->bulk) {
        size_t i = w->npend;
        ga_rc rc;
        if ((rc = arena_put(w, name, &w->pend[i].name, err)) ||
            (rc = arena_put(w, lang, &w->pend[i].lang, err)) ||
            (rc = arena_put(w, source, &w->pend[i].source, err)))
            return rc;
        w->pend[i].place_id = place_id;
        w->pend[i].kind = (int)kind;
        w->pend[i].curated = curated;
        w->npend++;
        w->nnames++;
        return w->npend == NAME_BATCH ? flush_names(w, err) : GA_OK;
    }
    sqlite3_stmt *s = w->ins_name;
    sqlite3_bind_int64(s, 1, place_id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    bind_str(s, 3, lang);
    sqlite3_bind_text(s, 4, kname, -1, SQLITE_STATIC);
    bind_str(s, 5, source);
    sqlite3_bind_int(s, 6, curated);
    if ((src = step_done(s)) != SQLITE_OK) return ga_store_fail(w->st, err, src, "cannot insert name");
    w->nnames++;
    return GA_OK;
}

ga_rc ga_gaz_writer_boundary(ga_gaz_writer *w, int64_t place_id, const char *level,
                             const char *pcode, const char *source,
                             const unsigned char *wkb, size_t wkb_len, ga_err *err)
{
    if (!wkb || wkb_len == 0 || wkb_len > (size_t)0x7fffffff)
        return ga_err_set(err, GA_EINVAL, "boundary without geometry");
    sqlite3_stmt *m = w->mpoly;
    sqlite3_bind_blob(m, 1, wkb, (int)wkb_len, SQLITE_STATIC);
    int src = sqlite3_step(m);
    if (src != SQLITE_ROW) {
        sqlite3_reset(m);
        return ga_store_fail(w->st, err, src, "cannot convert boundary geometry");
    }
    if (sqlite3_column_type(m, 0) != SQLITE_BLOB) {
        sqlite3_reset(m);
        return ga_err_set(err, GA_EFORMAT, "boundary geometry is not a valid polygon");
    }
    sqlite3_stmt *s = w->ins_bound;
    sqlite3_bind_int64(s, 1, place_id);
    bind_str(s, 2, level);
    bind_str(s, 3, pcode);
    bind_str(s, 4, source ? source : "user");
    /* The blob belongs to m until m is reset: bind it before that. */
    sqlite3_bind_blob(s, 5, sqlite3_column_blob(m, 0), sqlite3_column_bytes(m, 0),
                      SQLITE_TRANSIENT);
    sqlite3_reset(m);
    if ((src = step_done(s)) != SQLITE_OK)
        return ga_store_fail(w->st, err, src, "cannot store boundary");
    return GA_OK;
}

/* ---- crosswalk, derived columns, bounding boxes ---------------------- */

/* Run one statement with no result rows and count the rows it changed. */
static ga_rc run_changes(ga_store *st, const char *sql, int64_t *changed, const char *what,
                         ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE) return ga_store_fail(st, err, src, what);
    if (changed) *changed += sqlite3_changes(st->db);
    return GA_OK;
}

ga_rc ga_store_crosswalk_set(ga_store *st, const char *country, const char *admin1_code,
                             const char *admin1_pcode, const char *name, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "INSERT OR REPLACE INTO admin_crosswalk(country, "
                                "admin1_code, admin1_pcode, name) VALUES(?, ?, ?, ?)", &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, country, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, admin1_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, admin1_pcode, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, name ? name : "", -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE) return ga_store_fail(st, err, src, "cannot write crosswalk");
    return GA_OK;
}

ga_rc ga_store_crosswalk_apply(ga_store *st, int64_t *updated, ga_err *err)
{
    int64_t n = 0;
    ga_rc rc = run_changes(st,
        "UPDATE places SET admin1_pcode = (SELECT c.admin1_pcode FROM admin_crosswalk c"
        " WHERE c.admin1_code = places.admin1_code)"
        " WHERE admin1_pcode IS NULL AND admin1_code IN (SELECT admin1_code FROM admin_crosswalk)",
        &n, "cannot apply crosswalk", err);
    if (rc == GA_OK)
        rc = run_changes(st,
            "UPDATE places SET admin1_code = (SELECT min(c.admin1_code) FROM admin_crosswalk c"
            " WHERE c.admin1_pcode = places.admin1_pcode)"
            " WHERE admin1_code IS NULL"
            " AND admin1_pcode IN (SELECT admin1_pcode FROM admin_crosswalk)",
            &n, "cannot apply crosswalk", err);
    if (updated) *updated = n;
    return rc;
}

ga_rc ga_store_gaz_fill_admin1(ga_store *st, int64_t *updated, ga_err *err)
{
    int64_t n = 0;
    ga_rc rc = ga_store_exec(st,
        "DROP TABLE IF EXISTS temp.ga_adm1;"
        "CREATE TEMP TABLE ga_adm1(code TEXT PRIMARY KEY, name TEXT NOT NULL);"
        "INSERT OR IGNORE INTO temp.ga_adm1(code, name) SELECT admin1_code, name FROM places"
        " WHERE kind = 'adm1' AND admin1_code IS NOT NULL ORDER BY id;", err);
    if (rc == GA_OK)
        rc = run_changes(st,
            "UPDATE places SET admin1 = (SELECT a.name FROM temp.ga_adm1 a"
            " WHERE a.code = places.admin1_code)"
            " WHERE admin1 IS NULL AND admin1_code IN (SELECT code FROM temp.ga_adm1)",
            &n, "cannot fill admin1 names", err);
    ga_store_exec(st, "DROP TABLE IF EXISTS temp.ga_adm1", NULL);
    if (updated) *updated = n;
    return rc;
}

ga_rc ga_store_country_bboxes(ga_store *st, ga_bbox_cb cb, void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st,
        "SELECT p.country, MbrMinX(b.geom), MbrMinY(b.geom), MbrMaxX(b.geom), MbrMaxY(b.geom)"
        " FROM boundaries b JOIN places p ON p.id = b.place_id"
        " WHERE b.level = 'country' AND p.country IS NOT NULL AND b.geom IS NOT NULL", &s, err);
    if (rc) return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        cb((const char *)sqlite3_column_text(s, 0), sqlite3_column_double(s, 1),
           sqlite3_column_double(s, 2), sqlite3_column_double(s, 3),
           sqlite3_column_double(s, 4), arg);
    sqlite3_finalize(s);
    if (src != SQLITE_DONE) return ga_store_fail(st, err, src, "cannot read country outlines");
    return GA_OK;
}

ga_rc ga_store_gaz_finish(ga_store *st, ga_err *err)
{
    ga_rc rc = ga_store_exec(st, "ANALYZE", err);
    if (rc == GA_OK) rc = ga_store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", err);
    if (rc == GA_OK) rc = ga_store_exec(st, "PRAGMA journal_mode=DELETE", err);
    return rc;
}
