/*
 * export_rows.c: the SQL behind the export's regions layer (admin
 * polygons with event counts, following the events an export selected),
 * and the event types and gazetteer sources an export needs to know
 * (ga_store_export.h). The selection lives in a TEMP table so the joins
 * stay in SQLite; temp tables are private to the connection and never
 * touch the database file.
 */
#include "store/store_int.h"
#include "store/ga_store_export.h"

#include <stdlib.h>
#include <string.h>

struct ga_export_sel {
    ga_store *st;            /* database the selection belongs to */
    int all;                 /* 1: every event, the temp table stays empty */
    sqlite3_stmt *ins;       /* INSERT into the temp table */
};

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

ga_rc ga_export_sel_new(ga_store *st, int all, ga_export_sel **out, ga_err *err)
{
    *out = NULL;
    ga_export_sel *sel = calloc(1, sizeof *sel);
    if (!sel) return ga_err_set(err, GA_ENOMEM, "out of memory");
    sel->st = st;
    sel->all = all;
    ga_rc rc = ga_store_exec(st, "DROP TABLE IF EXISTS temp.export_sel;"
                             "CREATE TEMP TABLE export_sel(id INTEGER PRIMARY KEY)", err);
    if (rc == GA_OK && !all)
        rc = ga_store_prepare(st, "INSERT OR IGNORE INTO temp.export_sel(id) VALUES(?)",
                              &sel->ins, err);
    if (rc) { ga_export_sel_free(sel); return rc; }
    *out = sel;
    return GA_OK;
}

ga_rc ga_export_sel_add(ga_export_sel *sel, int64_t event_id, ga_err *err)
{
    if (sel->all) return GA_OK;
    sqlite3_bind_int64(sel->ins, 1, event_id);
    int src = sqlite3_step(sel->ins);
    sqlite3_reset(sel->ins);
    if (src != SQLITE_DONE) return ga_store_fail(sel->st, err, src, "cannot record selection");
    return GA_OK;
}

void ga_export_sel_free(ga_export_sel *sel)
{
    if (!sel) return;
    sqlite3_finalize(sel->ins);
    ga_store_exec(sel->st, "DROP TABLE IF EXISTS temp.export_sel", NULL);
    free(sel);
}

/* Collect column 0 of sql (one text parameter-less query) into a
 * NULL-terminated array. */
static ga_rc collect_strings(ga_store *st, const char *sql, char ***out, ga_err *err)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    size_t n = 0, cap = 8;
    char **v = calloc(cap, sizeof *v);
    if (!v) { sqlite3_finalize(s); return ga_err_set(err, GA_ENOMEM, "out of memory"); }
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *t = col_text(s, 0);
        if (!t || !*t) continue;
        if (n + 1 >= cap) {
            char **nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
            v = nv;
            cap *= 2;
        }
        if (!(v[n] = ga_strdup(t))) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
        v[++n] = NULL;
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read");
    sqlite3_finalize(s);
    if (rc) { ga_export_types_free(v); return rc; }
    *out = v;
    return GA_OK;
}

ga_rc ga_export_types(ga_store *st, char ***types, ga_err *err)
{
    return collect_strings(st, "SELECT DISTINCT type FROM events ORDER BY type", types, err);
}

ga_rc ga_export_sources(ga_store *st, char ***sources, ga_err *err)
{
    return collect_strings(st, "SELECT DISTINCT source FROM places ORDER BY source", sources,
                           err);
}

void ga_export_types_free(char **types)
{
    if (!types) return;
    for (char **p = types; *p; p++) free(*p);
    free(types);
}

ga_rc ga_export_count(ga_store *st, const char *table, int64_t *n, ga_err *err)
{
    /* Table names are a fixed list, never input. */
    static const char *const sql[][2] = {
        {"events", "SELECT count(*) FROM events"},
        {"boundaries", "SELECT count(*) FROM boundaries"},
    };
    *n = 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if (strcmp(table, sql[i][0]) != 0) continue;
        sqlite3_stmt *s = NULL;
        ga_rc rc = ga_store_prepare(st, sql[i][1], &s, err);
        if (rc) return rc;
        if (sqlite3_step(s) == SQLITE_ROW) *n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return GA_OK;
    }
    return ga_err_set(err, GA_EINVAL, "no row count for '%s'", table);
}

/* Per-region counts, kept in a small open-addressing table keyed by
 * boundaries.place_id. */
typedef struct {
    int64_t key;      /* place_id, 0 = empty slot */
    int64_t *counts;  /* ntypes + 1 slots: per type, then total */
} region_count;

typedef struct {
    region_count *v;  /* slots */
    size_t cap;       /* power of two */
    size_t n;         /* used slots */
    size_t ntypes;    /* counts per slot, total excluded */
} region_table;

static void region_table_free(region_table *t)
{
    for (size_t i = 0; i < t->cap; i++) free(t->v[i].counts);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static region_count *region_slot(region_table *t, int64_t key, int create)
{
    if (create && (t->n + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        region_count *nv = calloc(ncap, sizeof *nv);
        if (!nv) return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->v[i].key) continue;
            size_t j = (size_t)ga_hash64(&t->v[i].key, sizeof t->v[i].key) & (ncap - 1);
            while (nv[j].key) j = (j + 1) & (ncap - 1);
            nv[j] = t->v[i];
        }
        free(t->v);
        t->v = nv;
        t->cap = ncap;
    }
    if (!t->cap) return NULL;
    size_t j = (size_t)ga_hash64(&key, sizeof key) & (t->cap - 1);
    while (t->v[j].key && t->v[j].key != key) j = (j + 1) & (t->cap - 1);
    if (t->v[j].key == key) return &t->v[j];
    if (!create) return NULL;
    t->v[j].counts = calloc(t->ntypes + 1, sizeof *t->v[j].counts);
    if (!t->v[j].counts) return NULL;
    t->v[j].key = key;
    t->n++;
    return &t->v[j];
}

static ga_rc count_regions(ga_export_sel *sel, const char *level, char *const *types,
                           region_table *t, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(sel->st,
        "WITH ev AS (SELECT e.id, e.type, coalesce(e.geom, MakePoint(e.lon, e.lat, 4326)) AS g "
        "            FROM events e WHERE e.lon IS NOT NULL AND e.lat IS NOT NULL AND "
        "              (?1 OR e.id IN (SELECT id FROM temp.export_sel))) "
        "SELECT b.place_id, ev.type, count(*) FROM ev JOIN boundaries b "
        "  ON b.place_id IN (SELECT rowid FROM SpatialIndex WHERE f_table_name = 'boundaries' "
        "                    AND f_geometry_column = 'geom' AND search_frame = ev.g) "
        "WHERE b.level = ?2 AND ST_Intersects(b.geom, ev.g) = 1 "
        "GROUP BY b.place_id, ev.type", &s, err);
    if (rc) return rc;
    sqlite3_bind_int(s, 1, sel->all);
    sqlite3_bind_text(s, 2, level, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        region_count *c = region_slot(t, sqlite3_column_int64(s, 0), 1);
        if (!c) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
        const char *type = col_text(s, 1);
        int64_t n = sqlite3_column_int64(s, 2);
        for (size_t i = 0; i < t->ntypes; i++)
            if (type && strcmp(types[i], type) == 0) c->counts[i] += n;
        c->counts[t->ntypes] += n;
    }
    if (rc == GA_OK && src != SQLITE_DONE)
        rc = ga_store_fail(sel->st, err, src, "cannot count events per region");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_export_regions_each(ga_export_sel *sel, const char *level, char *const *types,
                             ga_xregion_cb cb, void *arg, ga_err *err)
{
    region_table t = {0};
    for (char *const *p = types; p && *p; p++) t.ntypes++;
    int64_t *zero = calloc(t.ntypes + 1, sizeof *zero);
    if (!zero) return ga_err_set(err, GA_ENOMEM, "out of memory");
    sqlite3_stmt *s = NULL;
    ga_rc rc = count_regions(sel, level, types, &t, err);
    if (rc) goto done;
    /* Every polygon of the level in the countries that have selected
     * events, so regions without events show as zero. */
    rc = ga_store_prepare(sel->st,
        "SELECT b.place_id, p.name, b.level, b.pcode, p.country, p.admin1, b.source, "
        "  AsBinary(b.geom) "
        "FROM boundaries b JOIN places p ON p.id = b.place_id "
        "WHERE b.level = ?2 AND b.geom IS NOT NULL AND p.country IN "
        "  (SELECT DISTINCT e.country FROM events e WHERE e.country IS NOT NULL AND "
        "     (?1 OR e.id IN (SELECT id FROM temp.export_sel))) "
        "ORDER BY p.country, p.name, b.place_id", &s, err);
    if (rc) goto done;
    sqlite3_bind_int(s, 1, sel->all);
    sqlite3_bind_text(s, 2, level, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_xregion_row r = {0};
        r.place_id = sqlite3_column_int64(s, 0);
        r.name = col_text(s, 1);
        r.level = col_text(s, 2);
        r.pcode = col_text(s, 3);
        r.country = col_text(s, 4);
        r.admin1 = col_text(s, 5);
        r.source = col_text(s, 6);
        r.wkb = sqlite3_column_blob(s, 7);
        r.wkb_len = (size_t)sqlite3_column_bytes(s, 7);
        region_count *c = region_slot(&t, r.place_id, 0);
        const int64_t *counts = c ? c->counts : zero;
        r.counts = counts;
        r.events = counts[t.ntypes];
        if (!cb(&r, arg)) { rc = GA_ECANCEL; break; }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(sel->st, err, src, "cannot read regions");
done:
    sqlite3_finalize(s);
    region_table_free(&t);
    free(zero);
    return rc;
}
