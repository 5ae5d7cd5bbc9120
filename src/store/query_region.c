/*
 * query_region.c: turning the --in and --near values of a filter into
 * geometry. A region is an area with an outline in the boundaries table,
 * found by code (OCHA P-code, ISO 3166-2, GeoNames admin1 code, country
 * code) or by any of its names compared through the strict name key
 * (text/ga_text.h), so "Homs", "Hims", "Ḩimş" and "حمص" meet. Unknown
 * names get suggestions (phonetic key, prefix, small edit distance);
 * names that fit several areas of one level are refused with the list.
 *
 * Once chosen, the outline's box is cut into a grid whose cells are
 * classified with SpatiaLite (ST_Covers: inside, ST_Intersects: border,
 * else outside), each cell grown by about 5 m so that a point placed in
 * a cell by its (float32) R*Tree box is surely within the grown cell. The
 * SQL function ga_cell(res, x, y) answers from that grid, so the exact
 * point-in-polygon test (ST_Intersects) runs only for points in border
 * cells, and then against ga_piece(res, x, y): the outline clipped to that
 * cell, a few vertices instead of thousands. Classification is recursive
 * (blocks of cells split in four, each test on the piece clipped to the
 * parent block), so preparing a governorate costs tens of milliseconds.
 */
#include "store/query_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geo/ga_geo.h"
#include "text/ga_text.h"

/* Grid cells along each side of the outline's box (a power of two: the
 * classification splits blocks in four). 64 x 64 leaves a few per cent of
 * a governorate's points to the exact test, each against a small piece. */
#define GRID_CELLS 64
/* Growth of each cell when classifying it, degrees (about 5 m). Points
 * are placed in cells by their R*Tree box, whose float32 corners SQLite
 * rounds outwards by up to two units in the last place: 7.6e-6 degrees
 * near 36 E, 3.1e-5 near 180. The growth covers that anywhere, and points
 * that close outside the outline's box are put in its edge cells. */
#define CELL_EPS 5e-5
#define CELL_SLACK 4e-5
/* A border block whose clipped outline has at most this many vertices is
 * not split further: the exact test against it is already cheap. */
#define PIECE_POINTS 48
/* Suggestions listed for an unknown region. */
#define MAX_SUGGEST 5
#define POINTER_TYPE "ga_filter_res"

void ga_query_res_free(ga_filter_res *res)
{
    if (!res) return;
    free(res->name); free(res->level); free(res->code); free(res->source); free(res->note);
    for (size_t i = 0; i < res->pieces.n; i++) free(res->pieces.v[i].blob);
    ga_vec_free(&res->pieces);
    free(res->cell_piece);
    free(res->geom); free(res->cells); free(res->near_name);
    free(res);
}

/* ---- SQL functions ----------------------------------------------------- */

/* Index of the grid cell holding (x, y) in r, or -1 outside the grid. */
static long cell_index(const ga_filter_res *r, double x, double y)
{
    double cx = floor((x - r->info.west) / r->cw), cy = floor((y - r->info.south) / r->ch);
    /* Points on the box's edges (and R*Tree corners rounded just outside
     * them) belong to the edge cells, which were classified grown. */
    if (cx < 0 && x >= r->info.west - CELL_SLACK) cx = 0;
    if (cy < 0 && y >= r->info.south - CELL_SLACK) cy = 0;
    if (cx >= r->gw && x <= r->info.east + CELL_SLACK) cx = r->gw - 1;
    if (cy >= r->gh && y <= r->info.north + CELL_SLACK) cy = r->gh - 1;
    if (!(cx >= 0 && cy >= 0 && cx < r->gw && cy < r->gh)) return -1;
    return (long)cy * r->gw + (long)cx;
}

/* ga_cell(res, x, y): GA_CELL_* state of the cell holding (x, y). */
static void fn_cell(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    long i = -1;
    if (r && r->cells && sqlite3_value_type(argv[1]) != SQLITE_NULL &&
        sqlite3_value_type(argv[2]) != SQLITE_NULL)
        i = cell_index(r, sqlite3_value_double(argv[1]), sqlite3_value_double(argv[2]));
    sqlite3_result_int(ctx, i < 0 ? GA_CELL_OUT : r->cells[i]);
}

/* ga_piece(res, x, y): the outline clipped to the (border) cell holding
 * (x, y), or the whole outline when that cell has no piece. */
static void fn_piece(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    if (!r || !r->geom) { sqlite3_result_null(ctx); return; }
    long i = -1;
    if (r->cell_piece && sqlite3_value_type(argv[1]) != SQLITE_NULL &&
        sqlite3_value_type(argv[2]) != SQLITE_NULL)
        i = cell_index(r, sqlite3_value_double(argv[1]), sqlite3_value_double(argv[2]));
    if (i >= 0 && r->cell_piece[i] >= 0) {
        const ga_query_piece *pc = &r->pieces.v[r->cell_piece[i]];
        sqlite3_result_blob(ctx, pc->blob, pc->len, SQLITE_STATIC);
    }
    else
        sqlite3_result_blob(ctx, r->geom, r->geom_len, SQLITE_STATIC);
}

static void fn_near(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const ga_filter_res *r = sqlite3_value_pointer(argv[0], POINTER_TYPE);
    if (!r || !r->has_near || sqlite3_value_type(argv[1]) == SQLITE_NULL ||
        sqlite3_value_type(argv[2]) == SQLITE_NULL) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    double d = ga_geo_dist_m(r->near_lon, r->near_lat, sqlite3_value_double(argv[1]),
                             sqlite3_value_double(argv[2]));
    sqlite3_result_int(ctx, d <= r->near_m);
}

ga_rc ga_query_register(ga_store *st, ga_err *err)
{
    /* Registering again while statements run would fail with SQLITE_BUSY,
     * so first see whether the functions are already there. */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT ga_cell(NULL, 0, 0), ga_piece(NULL, 0, 0),"
                           " ga_near(NULL, 0, 0)", -1, &s,
                           NULL) == SQLITE_OK) {
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
        src = sqlite3_create_function_v2(st->db, "ga_piece", 3,
                                         SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_piece,
                                         NULL, NULL, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_create_function_v2(st->db, "ga_near", 3,
                                         SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_near,
                                         NULL, NULL, NULL);
    if (src != SQLITE_OK) return ga_store_fail(st, err, src, "cannot register query functions");
    return GA_OK;
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

/* Run s (bound) and add every row as a candidate. */
static ga_rc cands_collect(ga_store *st, sqlite3_stmt *s, cands *c, ga_err *err)
{
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW)
        if (cand_add(c, s, 0, 0)) return ga_err_set(err, GA_ENOMEM, "out of memory");
    if (src != SQLITE_DONE) return ga_store_fail(st, err, src, "cannot look up region");
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

static ga_rc by_code(ga_store *st, const char *region, cands *c, ga_err *err)
{
    static const char sql[] =
        "SELECT " CAND_COLS " FROM boundaries b JOIN places p ON p.id = b.place_id"
        " WHERE upper(b.pcode) = upper(?1)"
        " OR (b.level = 'adm1' AND (upper(p.admin1_pcode) = upper(?1)"
        "     OR upper(p.admin1_code) = upper(?1)))"
        " OR (b.level = 'adm2' AND upper(p.admin2_pcode) = upper(?1))"
        " OR (b.level = 'country' AND length(?1) = 2 AND upper(p.country) = upper(?1))"
        " ORDER BY b.place_id";
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    rc = cands_collect(st, s, c, err);
    sqlite3_finalize(s);
    return rc;
}

static ga_rc by_exact_name(ga_store *st, const char *region, cands *c, ga_err *err)
{
    static const char sql[] =
        "SELECT " CAND_COLS " FROM boundaries b JOIN places p ON p.id = b.place_id"
        " WHERE p.name = ?1 COLLATE NOCASE OR EXISTS (SELECT 1 FROM names n"
        "   WHERE n.place_id = b.place_id AND n.name = ?1 COLLATE NOCASE)"
        " ORDER BY b.place_id";
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    sqlite3_bind_text(s, 1, region, -1, SQLITE_STATIC);
    rc = cands_collect(st, s, c, err);
    sqlite3_finalize(s);
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

/* Classification state: two statements reused for every cell. */
typedef struct {
    ga_store *st;
    ga_filter_res *res;
    sqlite3_stmt *test;    /* ST_Covers, ST_Intersects of a piece and a box */
    sqlite3_stmt *clip;    /* ST_Intersection of a piece and a box */
    ga_err *err;
} grid_ctx;

static void bind_box(sqlite3_stmt *s, const ga_filter_res *r, int x0, int y0, int x1, int y1)
{
    sqlite3_bind_double(s, 2, r->info.west + x0 * r->cw - CELL_EPS);
    sqlite3_bind_double(s, 3, r->info.south + y0 * r->ch - CELL_EPS);
    sqlite3_bind_double(s, 4, r->info.west + x1 * r->cw + CELL_EPS);
    sqlite3_bind_double(s, 5, r->info.south + y1 * r->ch + CELL_EPS);
}

/* The outline clipped to the grown box of cells [x0,x1) x [y0,y1), as a
 * malloc'd blob in *out (NULL when the clip is empty) with its vertex
 * count in *npoints. */
static ga_rc clip_piece(grid_ctx *g, const void *piece, int len, int x0, int y0, int x1,
                        int y1, unsigned char **out, int *out_len, int *npoints)
{
    *out = NULL;
    *out_len = 0;
    *npoints = 0;
    sqlite3_bind_blob(g->clip, 1, piece, len, SQLITE_STATIC);
    bind_box(g->clip, g->res, x0, y0, x1, y1);
    int src = sqlite3_step(g->clip);
    ga_rc rc = GA_OK;
    if (src != SQLITE_ROW) {
        rc = ga_store_fail(g->st, g->err, src, "cannot clip region outline");
    } else if (sqlite3_column_type(g->clip, 0) == SQLITE_BLOB) {
        *out_len = sqlite3_column_bytes(g->clip, 0);
        *npoints = sqlite3_column_int(g->clip, 1);
        *out = malloc((size_t)*out_len);
        if (!*out) rc = ga_err_set(g->err, GA_ENOMEM, "out of memory");
        else memcpy(*out, sqlite3_column_blob(g->clip, 0), (size_t)*out_len);
    }
    sqlite3_reset(g->clip);
    return rc;
}

/* Set cells [x0,x1) x [y0,y1) to state, with piece index pi (-1 none). */
static void fill(ga_filter_res *r, int x0, int y0, int x1, int y1, unsigned char state, int pi)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            size_t i = (size_t)y * (size_t)r->gw + (size_t)x;
            r->cells[i] = state;
            r->cell_piece[i] = pi;
        }
}

/* Classify cells [x0,x1) x [y0,y1) against piece (the outline clipped to
 * a box containing them): whole blocks inside or outside at once; a border
 * block whose clipped piece is small (PIECE_POINTS) or that is a single
 * cell keeps the piece for the exact test of its points; larger border
 * blocks are split in four, each tested on the block's piece. */
static ga_rc classify(grid_ctx *g, const void *piece, int len, int x0, int y0, int x1, int y1)
{
    ga_filter_res *r = g->res;
    sqlite3_bind_blob(g->test, 1, piece, len, SQLITE_STATIC);
    bind_box(g->test, r, x0, y0, x1, y1);
    int src = sqlite3_step(g->test);
    if (src != SQLITE_ROW) {
        sqlite3_reset(g->test);
        return ga_store_fail(g->st, g->err, src, "cannot classify region grid");
    }
    int covers = sqlite3_column_int(g->test, 0) == 1;
    int meets = sqlite3_column_int(g->test, 1) == 1;
    sqlite3_reset(g->test);
    if (covers || !meets) {
        fill(r, x0, y0, x1, y1, covers ? GA_CELL_IN : GA_CELL_OUT, -1);
        return GA_OK;
    }
    unsigned char *sub = NULL;
    int sub_len = 0, npoints = 0;
    ga_rc rc = clip_piece(g, piece, len, x0, y0, x1, y1, &sub, &sub_len, &npoints);
    if (rc) return rc;
    if (!sub) {   /* touches only within rounding: keep the exact test on the piece */
        sub = malloc((size_t)len);
        if (!sub) return ga_err_set(g->err, GA_ENOMEM, "out of memory");
        memcpy(sub, piece, (size_t)len);
        sub_len = len;
        npoints = 0;
    }
    if ((x1 - x0 == 1 && y1 - y0 == 1) || npoints <= PIECE_POINTS) {
        ga_query_piece pc = {sub, sub_len};
        if (ga_vec_push(&r->pieces, pc)) {
            free(sub);
            return ga_err_set(g->err, GA_ENOMEM, "out of memory");
        }
        fill(r, x0, y0, x1, y1, GA_CELL_BORDER, (int)r->pieces.n - 1);
        return GA_OK;
    }
    int xm = (x0 + x1) / 2, ym = (y0 + y1) / 2;
    int quads[4][4] = {{x0, y0, xm, ym}, {xm, y0, x1, ym}, {x0, ym, xm, y1}, {xm, ym, x1, y1}};
    for (int q = 0; q < 4 && !rc; q++) {
        if (quads[q][0] == quads[q][2] || quads[q][1] == quads[q][3]) continue;
        rc = classify(g, sub, sub_len, quads[q][0], quads[q][1], quads[q][2], quads[q][3]);
    }
    free(sub);
    return rc;
}

/* Load the chosen outline and its box, and classify the grid. */
static ga_rc load_outline(ga_store *st, ga_filter_res *res, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, "SELECT geom, MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom),"
                                " MbrMaxY(geom) FROM boundaries WHERE place_id = ?", &s, err);
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
    res->info.west = sqlite3_column_double(s, 1);
    res->info.south = sqlite3_column_double(s, 2);
    res->info.east = sqlite3_column_double(s, 3);
    res->info.north = sqlite3_column_double(s, 4);
    sqlite3_finalize(s);

    double w = res->info.east - res->info.west, h = res->info.north - res->info.south;
    if (!(w > 0) || !(h > 0)) return GA_OK;   /* degenerate: no grid, exact test everywhere */
    res->gw = res->gh = GRID_CELLS;
    res->cw = w / res->gw;
    res->ch = h / res->gh;
    size_t n = (size_t)res->gw * (size_t)res->gh;
    res->cells = calloc(n, 1);
    res->cell_piece = malloc(n * sizeof *res->cell_piece);
    if (!res->cells || !res->cell_piece)
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    grid_ctx g = {st, res, NULL, NULL, err};
    if (!(rc = ga_store_prepare(st, "SELECT ST_Covers(?1, m), ST_Intersects(?1, m) FROM"
                                " (SELECT BuildMbr(?2, ?3, ?4, ?5, 4326) AS m)", &g.test, err)) &&
        !(rc = ga_store_prepare(st, "SELECT g, ST_NPoints(g) FROM (SELECT"
                                " ST_Intersection(?1, BuildMbr(?2, ?3, ?4, ?5, 4326)) AS g)",
                                &g.clip, err)))
        rc = classify(&g, res->geom, res->geom_len, 0, 0, res->gw, res->gh);
    sqlite3_finalize(g.test);
    sqlite3_finalize(g.clip);
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
    if (looks_like_code(r) && (rc = by_code(st, r, &c, err))) goto done;
    if (!c.n && (rc = by_exact_name(st, r, &c, err))) goto done;
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
