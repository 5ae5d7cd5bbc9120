/*
 * gaz_read.c: reading the gazetteer tables for the name index
 * (ga_store_gaz.h).
 */
#include "store/store_int.h"
#include "store/ga_store_gaz.h"

#include <string.h>

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

ga_rc ga_store_places_each(ga_store *st, ga_place_cb cb, void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st,
        "SELECT id, gid, name, kind, feature_code, country, admin1, admin1_code, "
        "admin1_pcode, admin2, admin2_pcode, population, lon, lat, source, curated, alt_names "
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
        p.alt_names = col_text(s, 16);
        if (!cb(&p, arg)) { rc = GA_ECANCEL; break; }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read places");
    sqlite3_finalize(s);
    return rc;
}

/* An all-capitals alternate of 2-4 letters (an airport or postal code in
 * GeoNames) is an abbreviation, not a name written in running text. */
static int is_code(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return n >= 2 && n <= 4;
}

static int is_arabic(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)   /* U+0600..U+06FF: lead bytes 0xD8..0xDB */
        if ((unsigned char)s[i] >= 0xD8 && (unsigned char)s[i] <= 0xDB) return 1;
    return 0;
}

/* The names packed in places.alt_names (GeoNames imports), as if they were
 * rows: the place's own name as official, each packed one as alternate or
 * abbreviation, Arabic-script ones with lang "ar". */
static ga_rc packed_names_each(ga_store *st, ga_name_cb cb, void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT id, name, alt_names FROM places "
                                "WHERE alt_names IS NOT NULL ORDER BY id", &s, err);
    if (rc) return rc;
    ga_buf one = {0};
    int src;
    while (rc == GA_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (!cb(id, col_text(s, 1), NULL, "official", arg)) { rc = GA_ECANCEL; break; }
        const char *a = col_text(s, 2);
        while (a && *a && rc == GA_OK) {
            const char *comma = strchr(a, ',');
            size_t n = comma ? (size_t)(comma - a) : strlen(a);
            if (n) {
                ga_buf_reset(&one);
                if (ga_buf_append(&one, a, n)) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
                if (!cb(id, one.data, is_arabic(a, n) ? "ar" : NULL,
                        is_code(a, n) ? "abbrev" : "alternate", arg)) {
                    rc = GA_ECANCEL;
                    break;
                }
            }
            a = comma ? comma + 1 : NULL;
        }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read names");
    ga_buf_free(&one);
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
    if (rc == GA_OK) rc = packed_names_each(st, cb, arg, err);
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
