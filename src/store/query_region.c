/*
 * query_region.c: turning the --in and --near values of a filter into
 * geometry. A region is an area with an outline in the boundaries table,
 * found by code (OCHA P-code, ISO 3166-2, GeoNames admin1 code, country
 * code) or by any of its names compared through the strict name key
 * (text/ga_text.h), so "Homs", "Hims", "Ḩimş" and "حمص" meet. Unknown
 * names get suggestions (phonetic key, prefix, small edit distance);
 * names that fit several areas of one level are refused with the list.
 *
 * Once chosen, the outline is read into memory (query_outline.c): a
 * grid over its box whose cells are inside, outside or on the border, and
 * the exact point-in-polygon test. The SQL function ga_cell(res, x, y)
 * answers from the grid for a point's R*Tree corner, before the row is
 * read; ga_inside(res, geom) runs the exact test, needed only for points
 * in border cells. An outline in an encoding query_outline.c does not
 * read falls back to SpatiaLite's ST_Intersects on every candidate.
 */
#include "store/query_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geo/ga_geo.h"
#include "text/ga_text.h"

/* Suggestions listed for an unknown region. */
#define MAX_SUGGEST 5
#define POINTER_TYPE "ga_filter_res"

void ga_query_res_free(ga_filter_res *res)
{
    if (!res) return;
    free(res->name); free(res->level); free(res->code); free(res->source); free(res->note);
    ga_outline_free(res->outline);
    free(res->geom); free(res->near_name);
    free(res);
}

/* ---- SQL functions ----------------------------------------------------- */

/* ga_cell(res, x, y): GA_CELL_* state of the cell holding (x, y). */
static void fn_cell(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    int state = GA_CELL_OUT;
    if (r && r->outline && sqlite3_value_type(argv[1]) != SQLITE_NULL &&
        sqlite3_value_type(argv[2]) != SQLITE_NULL)
        state = ga_outline_cell(r->outline, sqlite3_value_double(argv[1]),
                                sqlite3_value_double(argv[2]));
    sqlite3_result_int(ctx, state);
}

/* ga_inside(res, geom): 1 when the point blob geom is inside the region's
 * outline or on its border (exact), 0 when not or when geom is not a
 * point. */
static void fn_inside(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    double x, y;
    int in = r && r->outline && sqlite3_value_type(argv[1]) == SQLITE_BLOB &&
             ga_point_blob_xy(sqlite3_value_blob(argv[1]), sqlite3_value_bytes(argv[1]), &x,
                              &y) &&
             ga_outline_covers(r->outline, x, y);
    sqlite3_result_int(ctx, in);
}

/* ga_x(geom), ga_y(geom): the coordinates of a point blob, NULL when geom
 * is not a point (SpatiaLite's ST_X and ST_Y without building a geometry). */
static void fn_coord(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    double x, y;
    if (sqlite3_value_type(argv[0]) == SQLITE_BLOB &&
        ga_point_blob_xy(sqlite3_value_blob(argv[0]), sqlite3_value_bytes(argv[0]), &x, &y))
        sqlite3_result_double(ctx, sqlite3_user_data(ctx) ? y : x);
    else
        sqlite3_result_null(ctx);
}

static void fn_near(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    if (!r || !r->has_near || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
        sqlite3_value_type(argv[2]) == SQLITE_NULL) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    sqlite3_result_int(ctx, ga_geo_at_most_m(r->near_lon, r->near_lat,
                                             sqlite3_value_double(argv[1]),
                                             sqlite3_value_double(argv[2]), r->near_m));
}

ga_rc ga_query_register(ga_store *st, ga_err *err)
{
    /* Registering again while statements run would fail with SQLITE_BUSY,
     * so first see whether the functions are already there. */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT ga_cell(NULL, 0, 0), ga_inside(NULL, NULL),"
                           " ga_near(NULL, 0, 0), ga_x(NULL), ga_y(NULL)"
                           " FROM ga_keys(NULL)", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_finalize(s);
        return GA_OK;
    }
    /* Region queries jump around the events table in R*Tree order: give
     * the connection a page cache and a memory map big enough for it
     * (SQLite's default cache is 2 MB). Once per connection, with the
     * functions. */
    ga_store_exec(st, "PRAGMA cache_size = -131072", NULL);
    ga_store_exec(st, "PRAGMA mmap_size = 1073741824", NULL);
    int src = sqlite3_create_function_v2(st->db, "ga_cell", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                         NULL, fn_cell, NULL, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(st->db, "ga_inside", 2,
                                         SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_inside,
                                         NULL, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(st->db, "ga_near", 3,
                                         SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_near,
                                         NULL, NULL, NULL);
    static int y_coord = 1;
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(st->db, "ga_x", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                         NULL, fn_coord, NULL, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(st->db, "ga_y", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                         &y_coord, fn_coord, NULL, NULL, NULL);
    if (src != SQLITE_OK) return ga_store_fail(st, err, src, "cannot register query functions");
    return ga_query_register_keys(st, err);
}

/* ---- candidates -------------------------------------------------------- */

typedef struct {
    int64_t place_id;
    char *name, *level, *code, *admin_code, *source, *country;
    int match;       /* for suggestions: 0 phonetic, 1 prefix, 2 edit distance */
    int dist;        /* for suggestions: edit distance of the keys (capped) */
} cand;

typedef GA_VEC(cand) cands;

static void cands_free(cands *c)
{
    for (size_t i = 0; i < c->n; i++) {
        cand *x = &c->v[i];
        free(x->name); free(x->level); free(x->code); free(x->admin_code); free(x->source);
        free(x->country);
    }
    ga_vec_free(c);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* The columns every candidate query returns, in this order. */
#define CAND_COLS                                                                      \
    "b.place_id, p.name, b.level, b.pcode,"                                            \
    " CASE b.level WHEN 'adm1' THEN p.admin1_pcode WHEN 'adm2' THEN p.admin2_pcode"    \
    " WHEN 'country' THEN p.country END, b.source, p.country"

static ga_rc cand_add(cands *c, sqlite3_stmt *s, int match, int dist)
{
    int64_t id = sqlite3_column_int64(s, 0);
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].place_id == id) {
            if (match * 100 + dist < c->v[i].match * 100 + c->v[i].dist) {
                c->v[i].match = match;
                c->v[i].dist = dist;
            }
            return GA_OK;
        }
    cand x = {id, ga_strdup(col_text(s, 1)), ga_strdup(col_text(s, 2)), ga_strdup(col_text(s, 3)),
              ga_strdup(col_text(s, 4)), ga_strdup(col_text(s, 5)), ga_strdup(col_text(s, 6)),
              match, dist};
    if (ga_vec_push(c, x) != GA_OK) return GA_ENOMEM;
    return GA_OK;
}

static int looks_like_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 16 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.') return 0;
    return 1;
}

/* The areas whose code is the region (when code is 1: it looks like one)
 * into by_code, and those whose preferred name is the region, ignoring
 * ASCII case, into by_name; both by place id. One scan of the boundaries
 * with a lookup of each area's place serves both: on a gazetteer with
 * every country's provinces that scan costs more than the rest of a small
 * query. */
static ga_rc by_code_or_name(ga_store *st, const char *region, int code, cands *by_code,
                             cands *by_name, ga_err *err)
{
    static const char sql[] =
        "SELECT " CAND_COLS ", ?2 AND (upper(b.pcode) = upper(?1)"
        " OR (b.level = 'adm1' AND (upper(p.admin1_pcode) = upper(?1)"
        "     OR upper(p.admin1_code) = upper(?1)))"
        " OR (b.level = 'adm2' AND upper(p.admin2_pcode) = upper(?1))"
        " OR (b.level = 'country' AND length(?1) = 2 AND upper(p.country) = upper(?1))) AS code,"
        " p.name = ?1 COLLATE NOCASE AS named"
        " FROM boundaries b JOIN places p ON p.id = b.place_id WHERE code OR named"
        " ORDER BY b.place_id";
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, code);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        if ((sqlite3_column_int(s, 7) && cand_add(by_code, s, 0, 0)) ||
            (sqlite3_column_int(s, 8) && cand_add(by_name, s, 0, 0))) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
    }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot look up region");
    sqlite3_finalize(s);
    return rc;
}

/* Add to c, which holds the areas whose preferred name is the region (by
 * place id), the areas that have it among their other names, ignoring
 * ASCII case, keeping c by place id: the areas with the region as any of
 * their names. The names are searched once, and only their areas read. */
static ga_rc by_other_names(ga_store *st, const char *region, cands *c, ga_err *err)
{
    static const char sql[] =
        "SELECT " CAND_COLS " FROM boundaries b JOIN places p ON p.id = b.place_id"
        " WHERE b.place_id IN (SELECT place_id FROM names WHERE name = ?1 COLLATE NOCASE)"
        " ORDER BY b.place_id";
    sqlite3_stmt *s = NULL;
    cands more = {0}, all = {0};
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if (cand_add(&more, s, 0, 0)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
    if (!rc && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot look up region");
    sqlite3_finalize(s);
    /* merge the two lists by place id; an area in both is kept once */
    size_t i = 0, j = 0;
    while (!rc && (i < c->n || j < more.n)) {
        int from_c = j == more.n || (i < c->n && c->v[i].place_id <= more.v[j].place_id);
        cand *x = from_c ? &c->v[i++] : &more.v[j++];
        if (all.n && all.v[all.n - 1].place_id == x->place_id) continue;
        if (ga_vec_push(&all, *x)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            break;
        }
        memset(x, 0, sizeof *x);   /* its strings now belong to all */
    }
    if (rc) {
        cands_free(&all);
    } else {
        cands_free(c);
        *c = all;
    }
    cands_free(&more);
    return rc;
}

/* Levenshtein distance of two short byte strings, capped at cap + 1. */
static int edit_distance(const char *a, size_t na, const char *b, size_t nb, int cap)
{
    if (na > 64 || nb > 64) return cap + 1;
    if ((int)(na > nb ? na - nb : nb - na) > cap) return cap + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= nb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d) d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            cur[j] = d;
        }
        memcpy(prev, cur, sizeof(int) * (nb + 1));
    }
    return prev[nb];
}

/* Every name of every area with an outline, compared through keys. With
 * suggest == 0: candidates whose strict key equals the region's. With
 * suggest == 1: close names (phonetic key equal, one key a prefix of the
 * other, or edit distance <= 2 on keys of 4+ bytes). */
static ga_rc by_key(ga_store *st, const char *region, int suggest, cands *c, ga_err *err)
{
    static const char sql[] =
        "SELECT " CAND_COLS ", n.name FROM boundaries b JOIN places p ON p.id = b.place_id"
        " JOIN names n ON n.place_id = b.place_id"
        " UNION ALL SELECT " CAND_COLS ", p.name FROM boundaries b"
        " JOIN places p ON p.id = b.place_id";
    ga_buf key = {0}, pkey = {0}, k = {0}, pk = {0};
    sqlite3_stmt *s = NULL;
    ga_rc rc = GA_OK;
    if (ga_key_strict(region, strlen(region), &key) ||
        ga_key_phonetic(region, strlen(region), &pkey)) {
        rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        goto done;
    }
    if (key.len == 0) goto done;   /* no letters or digits: nothing can match */
    if ((rc = ga_store_prepare(st, sql, &s, err))) goto done;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = col_text(s, 7);
        if (!name) continue;
        ga_buf_reset(&k);
        if (ga_key_strict(name, strlen(name), &k)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            goto done;
        }
        if (k.len == 0) continue;
        int match = -1;
        if (!suggest) {
            if (k.len == key.len && !memcmp(k.data, key.data, k.len)) match = 0;
        } else {
            ga_buf_reset(&pk);
            if (ga_key_phonetic(name, strlen(name), &pk)) {
                rc = ga_err_set(err, GA_ENOMEM, "out of memory");
                goto done;
            }
            if (pk.len == pkey.len && !memcmp(pk.data, pkey.data, pk.len)) match = 0;
            /* the region is the start of a name ("Hom" -> Homs), or a name
             * is the first words of the region ("Homs city" -> Homs) */
            else if ((key.len >= 3 && k.len > key.len && !memcmp(k.data, key.data, key.len)) ||
                     (k.len >= 3 && key.len > k.len && !memcmp(k.data, key.data, k.len) &&
                      key.data[k.len] == ' '))
                match = 1;
            else if (key.len >= 4 && edit_distance(k.data, k.len, key.data, key.len, 2) <= 2)
                match = 2;
        }
        int dist = match >= 0 && suggest ? edit_distance(k.data, k.len, key.data, key.len, 9) : 0;
        if (match >= 0 && cand_add(c, s, match, dist)) {
            rc = ga_err_set(err, GA_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot look up region");
done:
    sqlite3_finalize(s);
    ga_buf_free(&key); ga_buf_free(&pkey); ga_buf_free(&k); ga_buf_free(&pk);
    return rc;
}

static int level_rank(const char *level)
{
    static const char *const order[] = {"country", "adm1", "adm2", "adm3"};
    for (int i = 0; i < 4; i++)
        if (level && !strcmp(level, order[i])) return i;
    return 4;
}

/* ASCII case-insensitive comparison (codes are ASCII). */
static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
        if (x != y || !x) return x - y;
    }
}

static int same_code(const char *a, const char *b)
{
    return a && b && *a && !ascii_casecmp(a, b);
}

/* Two candidates of one level are the same area when they share a code
 * (an OCHA outline and a Natural Earth outline of the same governorate). */
static int same_area(const cand *a, const cand *b)
{
    return same_code(a->code, b->code) || same_code(a->code, b->admin_code) ||
           same_code(a->admin_code, b->code) || same_code(a->admin_code, b->admin_code);
}

/* Preference among outlines of the same area: OCHA and user imports over
 * Natural Earth's generalised ones, then the older row. */
static int better_source(const cand *a, const cand *b)
{
    int na = a->source && !strcmp(a->source, "naturalearth");
    int nb = b->source && !strcmp(b->source, "naturalearth");
    if (na != nb) return nb;
    return a->place_id < b->place_id;
}

static const char *cand_code(const cand *c)
{
    return c->admin_code ? c->admin_code : c->code ? c->code : "no code";
}

static void describe(ga_buf *b, const cand *c)
{
    ga_buf_printf(b, "%s (%s %s%s%s)", c->name ? c->name : "?", c->level ? c->level : "?",
                  cand_code(c), c->country ? ", " : "", c->country ? c->country : "");
}

/* Choose among candidates; fill res or fail with the list. */
static ga_rc choose(const char *region, cands *c, ga_filter_res *res, ga_err *err)
{
    int best = 5;
    for (size_t i = 0; i < c->n; i++)
        if (level_rank(c->v[i].level) < best) best = level_rank(c->v[i].level);
    /* Distinct areas at the best level, each the best outline of its area. */
    GA_VEC(size_t) pick = {0};
    for (size_t i = 0; i < c->n; i++) {
        if (level_rank(c->v[i].level) != best) continue;
        size_t j = 0;
        for (; j < pick.n; j++)
            if (same_area(&c->v[pick.v[j]], &c->v[i])) break;
        if (j < pick.n) {
            if (better_source(&c->v[i], &c->v[pick.v[j]])) pick.v[j] = i;
        } else if (ga_vec_push(&pick, i)) {
            ga_vec_free(&pick);
            return ga_err_set(err, GA_ENOMEM, "out of memory");
        }
    }
    ga_buf msg = {0};
    ga_rc rc = GA_OK;
    if (pick.n > 1) {
        /* One area whose own name is the region ("Homs", the governorate)
         * beats areas that merely have it as an alternate name (Murqub in
         * Libya, once called Homs). */
        ga_buf rk = {0}, nk = {0};
        size_t own = 0, which = 0;
        ga_key_strict(region, strlen(region), &rk);
        for (size_t j = 0; j < pick.n; j++) {
            const cand *cj = &c->v[pick.v[j]];
            ga_buf_reset(&nk);
            if (cj->name) ga_key_strict(cj->name, strlen(cj->name), &nk);
            if (nk.len && nk.len == rk.len && !memcmp(nk.data, rk.data, nk.len)) { own++; which = j; }
        }
        ga_buf_free(&rk);
        ga_buf_free(&nk);
        if (own == 1) {
            pick.v[0] = pick.v[which];
            pick.n = 1;
        }
    }
    if (pick.n > 1) {
        ga_buf_printf(&msg, "region '%s' is ambiguous: ", region);
        for (size_t j = 0; j < pick.n && j < 10; j++) {
            if (j) ga_buf_puts(&msg, ", ");
            describe(&msg, &c->v[pick.v[j]]);
        }
        if (pick.n > 10) ga_buf_printf(&msg, " and %zu more", pick.n - 10);
        ga_buf_puts(&msg, "; give a code instead, e.g. --in ");
        ga_buf_puts(&msg, cand_code(&c->v[pick.v[0]]));
        rc = ga_err_set(err, GA_ENOTFOUND, "%s", msg.data);
        goto done;
    }
    const cand *w = &c->v[pick.v[0]];
    res->has_region = 1;
    res->info.place_id = w->place_id;
    res->name = ga_strdup(w->name);
    res->level = ga_strdup(w->level);
    res->code = ga_strdup(w->admin_code ? w->admin_code : w->code);
    res->source = ga_strdup(w->source);
    /* Other levels the name fits: say which one was taken. */
    for (size_t i = 0; i < c->n; i++) {
        if (level_rank(c->v[i].level) == best) continue;
        if (!msg.len) ga_buf_printf(&msg, "'%s' also names ", region);
        else ga_buf_puts(&msg, ", ");
        describe(&msg, &c->v[i]);
    }
    if (msg.len) {
        ga_buf_printf(&msg, "; using %s %s (give a code to choose)", w->level, cand_code(w));
        res->note = ga_strdup(msg.data);
    }
done:
    ga_buf_free(&msg);
    ga_vec_free(&pick);
    return rc;
}

static int cmp_suggest(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->match != b->match) return a->match - b->match;
    if (a->dist != b->dist) return a->dist - b->dist;
    int la = level_rank(a->level), lb = level_rank(b->level);
    if (la != lb) return la - lb;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "");
}

static ga_rc unknown_region(ga_store *st, const char *region, ga_err *err)
{
    cands c = {0};
    ga_rc rc = by_key(st, region, 1, &c, err);
    if (rc) { cands_free(&c); return rc; }
    ga_buf msg = {0};
    ga_buf_printf(&msg, "unknown region '%s'", region);
    if (c.n) {
        qsort(c.v, c.n, sizeof c.v[0], cmp_suggest);
        ga_buf_puts(&msg, "; did you mean: ");
        for (size_t i = 0; i < c.n && i < MAX_SUGGEST; i++) {
            if (i) ga_buf_puts(&msg, ", ");
            describe(&msg, &c.v[i]);
        }
    } else {
        ga_buf_puts(&msg, "; use a governorate or district name or P-code (SY04, SY0404)");
    }
    rc = ga_err_set(err, GA_ENOTFOUND, "%s", msg.data);
    ga_buf_free(&msg);
    cands_free(&c);
    return rc;
}

/* Load the chosen outline, its box and its grid. */
static ga_rc load_outline(ga_store *st, ga_filter_res *res, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT geom FROM boundaries WHERE place_id = ?", &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, res->info.place_id);
    int src = sqlite3_step(s);
    if (src != SQLITE_ROW || sqlite3_column_type(s, 0) != SQLITE_BLOB) {
        rc = src == SQLITE_ROW || src == SQLITE_DONE
                 ? ga_err_set(err, GA_ENOTFOUND, "region '%s' has no outline", res->name)
                 : ga_store_fail(st, err, src, "cannot read region outline");
        sqlite3_finalize(s);
        return rc;
    }
    res->geom_len = sqlite3_column_bytes(s, 0);
    res->geom = malloc((size_t)res->geom_len);
    if (!res->geom) { sqlite3_finalize(s); return ga_err_set(err, GA_ENOMEM, "out of memory"); }
    memcpy(res->geom, sqlite3_column_blob(s, 0), (size_t)res->geom_len);
    sqlite3_finalize(s);
    ga_err oerr = {0};
    rc = ga_outline_new(res->geom, res->geom_len, &res->outline, &oerr);
    if (rc == GA_OK) {
        ga_outline_box(res->outline, &res->info.west, &res->info.south, &res->info.east,
                       &res->info.north);
        return GA_OK;
    }
    if (rc != GA_EINVAL) return ga_err_set(err, rc, "%s", oerr.msg);
    /* An encoding query_outline.c does not read (compressed, a collection):
     * SpatiaLite gives the box and tests every candidate. */
    if ((rc = ga_store_need_spatial(st, err)) ||
        (rc = ga_store_prepare(st, "SELECT MbrMinX(?1), MbrMinY(?1), MbrMaxX(?1), MbrMaxY(?1)",
                               &s, err)))
        return rc;
    sqlite3_bind_blob(s, 1, res->geom, res->geom_len, SQLITE_STATIC);
    src = sqlite3_step(s);
    if (src == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        res->info.west = sqlite3_column_double(s, 0);
        res->info.south = sqlite3_column_double(s, 1);
        res->info.east = sqlite3_column_double(s, 2);
        res->info.north = sqlite3_column_double(s, 3);
    } else {
        rc = src == SQLITE_ROW ? ga_err_set(err, GA_EDB, "region '%s' has an unreadable outline",
                                            res->name)
                               : ga_store_fail(st, err, src, "cannot read region outline");
    }
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_query_resolve_region(ga_store *st, const char *region, ga_filter_res *res,
                              ga_err *err)
{
    cands c = {0};
    ga_rc rc = GA_OK;
    const char *r = region;
    while (*r == ' ' || *r == '\t') r++;
    if (!*r) return ga_err_set(err, GA_EINVAL, "empty region name");
    /* a code first, then any of the areas' names, then the name's key */
    cands named = {0};
    rc = by_code_or_name(st, r, looks_like_code(r), &c, &named, err);
    if (!rc && !c.n) {
        rc = by_other_names(st, r, &named, err);
        cands t = c;
        c = named;
        named = t;
    }
    cands_free(&named);
    if (rc) goto done;
    if (!c.n && (rc = by_key(st, r, 0, &c, err))) goto done;
    if (!c.n) {
        rc = unknown_region(st, r, err);
        goto done;
    }
    if ((rc = choose(r, &c, res, err))) goto done;
    res->info.name = res->name;
    res->info.level = res->level;
    res->info.code = res->code;
    res->info.source = res->source;
    res->info.note = res->note;
    rc = load_outline(st, res, err);
done:
    cands_free(&c);
    return rc;
}

/* ---- near ---------------------------------------------------------------- */

static int parse_lonlat(const char *s, double *lon, double *lat)
{
    char *end = NULL;
    double x = strtod(s, &end);
    if (end == s || *end != ',') return 0;
    const char *t = end + 1;
    double y = strtod(t, &end);
    if (end == t || *end) return 0;
    *lon = x;
    *lat = y;
    return 1;
}

ga_rc ga_query_resolve_near(ga_store *st, const char *near, double within_m,
                            ga_filter_res *res, ga_err *err)
{
    double lon = 0, lat = 0;
    ga_rc grc = ga_geo_open(err);   /* the distance test */
    if (grc) return grc;
    res->near_m = within_m > 0 ? within_m : 25000.0;
    if (parse_lonlat(near, &lon, &lat)) {
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
            return ga_err_set(err, GA_EINVAL, "--near '%s': coordinates out of range (give "
                              "lon,lat with -180 <= lon <= 180, -90 <= lat <= 90)", near);
        res->near_name = ga_strdup(near);
    } else {
        /* A gid, else an exact name; the first by kind (towns before
         * areas) and population. */
        static const char sql[] =
            "SELECT p.name, p.lon, p.lat, p.gid FROM places p WHERE p.gid = ?1"
            " UNION ALL SELECT * FROM (SELECT p.name, p.lon, p.lat, p.gid FROM places p"
            "  WHERE p.id IN (SELECT place_id FROM names WHERE name = ?1)"
            "  ORDER BY p.kind IN ('populated_place', 'section', 'camp', 'crossing') DESC,"
            "  p.population DESC, p.id LIMIT 2)";
        sqlite3_stmt *s = NULL;
        ga_rc rc = ga_store_prepare(st, sql, &s, err);
        if (rc) return rc;
        sqlite3_bind_text(s, 1, near, -1, SQLITE_STATIC);
        int src = sqlite3_step(s);
        if (src == SQLITE_ROW) {
            res->near_name = ga_strdup(col_text(s, 0));
            lon = sqlite3_column_double(s, 1);
            lat = sqlite3_column_double(s, 2);
        } else if (src == SQLITE_DONE) {
            rc = ga_err_set(err, GA_ENOTFOUND, "unknown place '%s' for --near (give a place "
                            "name, a gid such as geonames:163345, or lon,lat)", near);
        } else {
            rc = ga_store_fail(st, err, src, "cannot look up place");
        }
        sqlite3_finalize(s);
        if (rc) return rc;
    }
    res->has_near = 1;
    res->near_lon = lon;
    res->near_lat = lat;
    ga_geo_bbox_around(lon, lat, res->near_m, &res->nw, &res->ns, &res->ne, &res->nn);
    return GA_OK;
}
