/*
 * gaz_read.c: reading the gazetteer tables for the name index
 * (ga_store_gaz.h).
 */
#include "store/store_int.h"
#include "store/ga_store_gaz.h"

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

ga_rc ga_store_places_each(ga_store *st, ga_place_cb cb, void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st,
        "SELECT id, gid, name, kind, feature_code, country, admin1, admin1_code, "
        "admin1_pcode, admin2, admin2_pcode, population, lon, lat, source, curated "
        "FROM places ORDER BY id", &s, err);
    if (rc) return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_place p = {0};
        p.id = sqlite3_column_int64(s, 0);
        p.gid = col_text(s, 1);
        p.name = col_text(s, 2);
        if (!ga_kind_parse(col_text(s, 3), &p.kind)) p.kind = GA_KIND_OTHER;
        p.feature_code = col_text(s, 4);
        p.country = col_text(s, 5);
        p.admin1 = col_text(s, 6);
        p.admin1_code = col_text(s, 7);
        p.admin1_pcode = col_text(s, 8);
        p.admin2 = col_text(s, 9);
        p.admin2_pcode = col_text(s, 10);
        p.population = sqlite3_column_int64(s, 11);
        p.lon = sqlite3_column_double(s, 12);
        p.lat = sqlite3_column_double(s, 13);
        p.source = col_text(s, 14);
        p.curated = sqlite3_column_int(s, 15);
        if (!cb(&p, arg)) { rc = GA_ECANCEL; break; }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read places");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_names_each(ga_store *st, ga_name_cb cb, void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT place_id, name, lang, kind FROM names "
                                "ORDER BY place_id", &s, err);
    if (rc) return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if (!cb(sqlite3_column_int64(s, 0), col_text(s, 1), col_text(s, 2), col_text(s, 3),
                arg)) {
            rc = GA_ECANCEL;
            break;
        }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read names");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_gaz_counts(ga_store *st, int64_t *places, int64_t *names, int64_t *boundaries,
                          ga_err *err)
{
    static const char *const sql[3] = {
        "SELECT count(*) FROM places", "SELECT count(*) FROM names",
        "SELECT count(*) FROM boundaries"};
    int64_t *outs[3] = {places, names, boundaries};
    for (int i = 0; i < 3; i++) {
        sqlite3_stmt *s = NULL;
        ga_rc rc = ga_store_prepare(st, sql[i], &s, err);
        if (rc) return rc;
        if (sqlite3_step(s) == SQLITE_ROW && outs[i]) *outs[i] = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    return GA_OK;
}
