/*
 * gaz_curate.c: the curator's statements on the gazetteer tables (see
 * ga_store_curate.h): look a place up by gid or id, add a curated place or
 * name, remove a place, count rows, list unresolved mention texts.
 *
 * Inserts go through the bulk writer (gaz_write.c), so a curated place is
 * stored exactly like an imported one (geometry included); this file holds
 * only the statements a curator needs beyond it. Each write is one
 * transaction that also bumps the gazetteer generation.
 */
#include "store/store_int.h"
#include "store/ga_store_curate.h"
#include "store/ga_store_gaz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Source and gid prefix of a curator's places and names. */
#define CURATE_SOURCE "user"
#define CURATE_GID_PREFIX "user:"
/* meta key: the last n handed out in a "user:<n>" gid. */
#define CURATE_SEQ_KEY "user_gid_seq"

static const char *col_text(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* 1 when s is a non-empty run of decimal digits that fits in int64. */
static int parse_id(const char *s, int64_t *id)
{
    if (!s || !*s || strlen(s) > 18) return 0;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        v = v * 10 + (*p - '0');
    }
    *id = v;
    return 1;
}

/* ---- one place -------------------------------------------------------- */

void ga_place_row_free(ga_place_row *r)
{
    if (!r) return;
    ga_buf_free(&r->strs_);
    free(r);
}

/* Column order of the place queries below. */
#define PLACE_COLUMNS                                                          \
    "p.id, p.gid, p.name, p.kind, p.feature_code, p.country, p.admin1, "       \
    "p.admin1_code, p.admin1_pcode, p.admin2, p.admin2_pcode, p.population, "  \
    "p.lon, p.lat, p.source, p.curated, p.note, "                              \
    "(SELECT count(*) FROM names n WHERE n.place_id = p.id), "                 \
    "EXISTS(SELECT 1 FROM boundaries b WHERE b.place_id = p.id)"

/* Copy the current row of s into a new record. The text columns are
 * appended to one buffer first and pointed at afterwards, as the buffer
 * may move while it grows. */
static ga_rc place_row_from(sqlite3_stmt *s, ga_place_row **out, ga_err *err)
{
    ga_place_row *r = calloc(1, sizeof *r);
    if (!r) return ga_err_set(err, GA_ENOMEM, "out of memory");
    /* text columns: 1..10 (gid .. admin2_pcode), 14 source, 16 note */
    static const int text_cols[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 16};
    enum { NT = sizeof text_cols / sizeof text_cols[0] };
    size_t off[NT];
    ga_rc rc = GA_OK;
    for (size_t i = 0; i < NT && rc == GA_OK; i++) {
        const char *v = col_text(s, text_cols[i]);
        off[i] = v ? r->strs_.len : SIZE_MAX;
        if (v) rc = ga_buf_append(&r->strs_, v, strlen(v) + 1);
    }
    if (rc) {
        ga_place_row_free(r);
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    const char *str[NT];
    for (size_t i = 0; i < NT; i++)
        str[i] = off[i] == SIZE_MAX ? NULL : r->strs_.data + off[i];
    ga_place *p = &r->place;
    p->id = sqlite3_column_int64(s, 0);
    p->gid = str[0];
    p->name = str[1];
    if (!ga_kind_parse(str[2], &p->kind)) p->kind = GA_KIND_OTHER;
    p->feature_code = str[3];
    p->country = str[4];
    p->admin1 = str[5];
    p->admin1_code = str[6];
    p->admin1_pcode = str[7];
    p->admin2 = str[8];
    p->admin2_pcode = str[9];
    p->population = sqlite3_column_int64(s, 11);
    p->lon = sqlite3_column_double(s, 12);
    p->lat = sqlite3_column_double(s, 13);
    p->source = str[10];
    p->curated = sqlite3_column_int(s, 15);
    r->note = str[11];
    r->nnames = sqlite3_column_int64(s, 17);
    r->has_boundary = sqlite3_column_int(s, 18);
    *out = r;
    return GA_OK;
}

ga_rc ga_store_place_get(ga_store *st, const char *ref, ga_place_row **out, ga_err *err)
{
    *out = NULL;
    int64_t id = 0;
    int by_id = parse_id(ref, &id);
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, by_id
        ? "SELECT " PLACE_COLUMNS " FROM places p WHERE p.id = ?"
        : "SELECT " PLACE_COLUMNS " FROM places p WHERE p.gid = ?", &s, err);
    if (rc) return rc;
    if (by_id) sqlite3_bind_int64(s, 1, id);
    else sqlite3_bind_text(s, 1, ref ? ref : "", -1, SQLITE_TRANSIENT);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) rc = place_row_from(s, out, err);
    else if (src == SQLITE_DONE)
        rc = ga_err_set(err, GA_ENOTFOUND, "no place '%s' in the gazetteer", ref ? ref : "");
    else rc = ga_store_fail(st, err, src, "cannot read place");
    sqlite3_finalize(s);
    return rc;
}

/* ---- small statement helpers ------------------------------------------ */

/* Run s (already bound) to completion, then finalize it. */
static ga_rc step_done(ga_store *st, sqlite3_stmt *s, const char *what, ga_err *err)
{
    int src = sqlite3_step(s);
    ga_rc rc = src == SQLITE_DONE || src == SQLITE_ROW ? GA_OK : ga_store_fail(st, err, src, what);
    sqlite3_finalize(s);
    return rc;
}

/* One int64 from a query with one int64 parameter (or none when has_arg
 * is 0); *v = 0 when the query yields no row or NULL. */
static ga_rc query_int(ga_store *st, const char *sql, int has_arg, int64_t arg, int64_t *v,
                       ga_err *err)
{
    sqlite3_stmt *s = NULL;
    *v = 0;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    if (has_arg) sqlite3_bind_int64(s, 1, arg);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) *v = sqlite3_column_int64(s, 0);
    else if (src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot read the gazetteer");
    sqlite3_finalize(s);
    return rc;
}

static ga_rc place_exists(ga_store *st, int64_t id, ga_err *err)
{
    int64_t n = 0;
    ga_rc rc = query_int(st, "SELECT count(*) FROM places WHERE id = ?", 1, id, &n, err);
    if (rc) return rc;
    if (!n) return ga_err_set(err, GA_ENOTFOUND, "no place with id %lld in the gazetteer",
                              (long long)id);
    return GA_OK;
}

/* Finish a write transaction: bump the generation and commit when rc is
 * GA_OK, else roll back. Returns the final code. */
static ga_rc finish_txn(ga_store *st, ga_rc rc, ga_err *err)
{
    if (rc == GA_OK) rc = ga_store_gaz_bump(st, err);
    if (rc == GA_OK) return ga_store_commit(st, err);
    ga_store_rollback(st);
    return rc;
}

/* ---- adding ----------------------------------------------------------- */

/* The next n for a "user:<n>" gid: one more than the larger of the last
 * one handed out (meta) and the largest in places (a database whose meta
 * was lost, or places copied from another database). */
static ga_rc next_user_seq(ga_store *st, int64_t *n, ga_err *err)
{
    int64_t in_places = 0, in_meta = 0;
    ga_rc rc = query_int(st, "SELECT max(CAST(substr(gid, 6) AS INTEGER)) FROM places "
                         "WHERE substr(gid, 1, 5) = '" CURATE_GID_PREFIX "'",
                         0, 0, &in_places, err);
    if (rc) return rc;
    char *v = NULL;
    rc = ga_store_meta_get(st, CURATE_SEQ_KEY, &v, err);
    if (rc == GA_OK) in_meta = strtoll(v, NULL, 10);
    else if (rc != GA_ENOTFOUND) return rc;
    free(v);
    *n = (in_places > in_meta ? in_places : in_meta) + 1;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)*n);
    return ga_store_meta_set(st, CURATE_SEQ_KEY, buf, err);
}

ga_rc ga_store_curate_add(ga_store *st, const ga_place *p, const char *note,
                          const char *const *aliases, size_t naliases, char **gid,
                          int64_t *id, ga_err *err)
{
    if (gid) *gid = NULL;
    if (id) *id = 0;
    if (!p->name || !*p->name) return ga_err_set(err, GA_EINVAL, "a place needs a name");
    if (!(p->lat >= -90 && p->lat <= 90) || !(p->lon >= -180 && p->lon <= 180))
        return ga_err_set(err, GA_EINVAL, "coordinates out of range: lon %g, lat %g", p->lon,
                          p->lat);
    ga_gaz_writer *w = NULL;
    char gidbuf[64] = "";
    int64_t n = 0, pid = 0;
    ga_place q = *p;
    ga_rc rc = ga_store_begin(st, err);
    if (rc) return rc;
    if ((rc = next_user_seq(st, &n, err))) goto done;
    snprintf(gidbuf, sizeof gidbuf, CURATE_GID_PREFIX "%lld", (long long)n);
    if ((rc = ga_gaz_writer_new(st, &w, err))) goto done;
    q.id = 0;
    q.gid = gidbuf;
    q.source = CURATE_SOURCE;
    q.curated = 1;
    if ((rc = ga_gaz_writer_place(w, &q, note, &pid, err))) goto done;
    if ((rc = ga_gaz_writer_name(w, pid, q.name, NULL, GA_NAME_OFFICIAL, CURATE_SOURCE, 1,
                                 err)))
        goto done;
    for (size_t i = 0; i < naliases; i++) {
        if (!aliases[i] || !*aliases[i]) continue;
        if ((rc = ga_gaz_writer_name(w, pid, aliases[i], NULL, GA_NAME_CURATED, CURATE_SOURCE,
                                     1, err)))
            goto done;
    }
done:
    ga_gaz_writer_free(w);
    rc = finish_txn(st, rc, err);
    if (rc == GA_OK) {
        if (id) *id = pid;
        if (gid && !(*gid = ga_strdup(gidbuf)))
            return ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    return rc;
}

ga_rc ga_store_curate_alias(ga_store *st, int64_t id, const char *name, const char *lang,
                            int *added, ga_err *err)
{
    *added = 0;
    if (!name || !*name) return ga_err_set(err, GA_EINVAL, "an alias needs a name");
    ga_gaz_writer *w = NULL;
    sqlite3_stmt *s = NULL;
    int src;
    ga_rc rc = ga_store_begin(st, err);
    if (rc) return rc;
    if ((rc = place_exists(st, id, err))) goto done;
    if ((rc = ga_store_prepare(st, "SELECT count(*) FROM names WHERE place_id = ? AND "
                               "name = ? AND kind = 'curated'", &s, err)))
        goto done;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_TRANSIENT);
    src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        rc = ga_store_fail(st, err, src, "cannot read names");
        goto done;
    }
    if (sqlite3_column_int64(s, 0) > 0) goto done;   /* already there: nothing to write */
    if ((rc = ga_gaz_writer_new(st, &w, err))) goto done;
    if ((rc = ga_gaz_writer_name(w, id, name, lang && *lang ? lang : NULL, GA_NAME_CURATED,
                                 CURATE_SOURCE, 1, err)))
        goto done;
    *added = 1;
done:
    sqlite3_finalize(s);
    ga_gaz_writer_free(w);
    if (rc == GA_OK && !*added) {   /* nothing written: no generation bump */
        ga_store_rollback(st);
        return GA_OK;
    }
    rc = finish_txn(st, rc, err);
    if (rc) *added = 0;
    return rc;
}

/* ---- removing --------------------------------------------------------- */

ga_rc ga_store_curate_remove(ga_store *st, int64_t id, int force, ga_err *err)
{
    /* names and boundaries cascade from places when foreign keys are on;
     * deleting them explicitly keeps the result the same when they are not. */
    static const char *const del_sql[] = {
        "DELETE FROM names WHERE place_id = ?",
        "DELETE FROM boundaries WHERE place_id = ?",
        "DELETE FROM places WHERE id = ?",
    };
    sqlite3_stmt *s = NULL;
    int src;
    ga_rc rc = ga_store_begin(st, err);
    if (rc) return rc;
    if ((rc = ga_store_prepare(st, "SELECT gid, source, curated FROM places WHERE id = ?", &s,
                               err)))
        goto done;
    sqlite3_bind_int64(s, 1, id);
    src = sqlite3_step(s);
    if (src == SQLITE_DONE) {
        rc = ga_err_set(err, GA_ENOTFOUND, "no place with id %lld in the gazetteer",
                        (long long)id);
        goto done;
    }
    if (src != SQLITE_ROW) {
        rc = ga_store_fail(st, err, src, "cannot read place");
        goto done;
    }
    if (!sqlite3_column_int(s, 2) && !force) {
        const char *src_name = col_text(s, 1);
        rc = ga_err_set(err, GA_EINVAL,
                        "place '%s' is not curated: it came from the '%s' import, which would "
                        "bring it back on the next rebuild or re-import; use --force to "
                        "remove it anyway", col_text(s, 0), src_name ? src_name : "?");
        goto done;
    }
    sqlite3_finalize(s);
    s = NULL;
    for (size_t i = 0; i < sizeof del_sql / sizeof del_sql[0]; i++) {
        if ((rc = ga_store_prepare(st, del_sql[i], &s, err))) goto done;
        sqlite3_bind_int64(s, 1, id);
        rc = step_done(st, s, "cannot remove place", err);
        s = NULL;
        if (rc) goto done;
    }
done:
    sqlite3_finalize(s);
    return finish_txn(st, rc, err);
}

/* ---- statistics --------------------------------------------------------- */

/* Run a grouping query whose rows are (group, subgroup, count) or, when
 * has_sub is 0, (group, count). */
static ga_rc each_count(ga_store *st, const char *sql, int has_sub, ga_count_cb cb,
                        void *arg, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = ga_store_prepare(st, sql, &s, err);
    if (rc) return rc;
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        const char *g = col_text(s, 0);
        const char *sub = has_sub ? col_text(s, 1) : NULL;
        if (!cb(g ? g : "", sub, sqlite3_column_int64(s, has_sub ? 2 : 1), arg)) {
            rc = GA_ECANCEL;
            break;
        }
    }
    if (rc == GA_OK && src != SQLITE_DONE) rc = ga_store_fail(st, err, src, "cannot count rows");
    sqlite3_finalize(s);
    return rc;
}

ga_rc ga_store_places_by_source(ga_store *st, ga_count_cb cb, void *arg, ga_err *err)
{
    return each_count(st, "SELECT source, kind, count(*) FROM places GROUP BY source, kind "
                      "ORDER BY source, kind", 1, cb, arg, err);
}

ga_rc ga_store_names_by_kind(ga_store *st, ga_count_cb cb, void *arg, ga_err *err)
{
    return each_count(st, "SELECT kind, count(*) FROM names GROUP BY kind ORDER BY kind", 0, cb,
                      arg, err);
}

ga_rc ga_store_curated_counts(ga_store *st, int64_t *places, int64_t *names, ga_err *err)
{
    ga_rc rc = query_int(st, "SELECT count(*) FROM places WHERE curated = 1", 0, 0, places,
                         err);
    if (rc) return rc;
    return query_int(st, "SELECT count(*) FROM names WHERE curated = 1", 0, 0, names, err);
}

/* ---- unresolved names --------------------------------------------------- */

ga_rc ga_store_unresolved_each(ga_store *st, long limit, ga_unresolved_cb cb, void *arg,
                               ga_err *err)
{
    sqlite3_stmt *s = NULL;
    /* The example is the earliest mention with a sentence (else the
     * earliest mention), so document and sentence belong together and the
     * output is the same from run to run. */
    ga_rc rc = ga_store_prepare(st,
        "WITH u AS (SELECT text, count(*) AS n, count(DISTINCT document_id) AS ndocs, "
        "                  min(CASE WHEN sent_start IS NOT NULL THEN id END) AS sid, "
        "                  min(id) AS fid "
        "           FROM mentions WHERE place_id IS NULL GROUP BY text) "
        "SELECT u.text, u.n, u.ndocs, d.doc_id, " GA_MENTION_SENTENCE_SQL("m", "d") " "
        "FROM u JOIN mentions m ON m.id = coalesce(u.sid, u.fid) "
        "LEFT JOIN documents d ON d.id = m.document_id "
        "ORDER BY u.n DESC, u.text LIMIT ?", &s, err);
    if (rc) return rc;
    sqlite3_bind_int64(s, 1, limit > 0 ? (sqlite3_int64)limit : -1);
    int src;
    while ((src = sqlite3_step(s)) == SQLITE_ROW) {
        ga_unresolved u = {
            .text = col_text(s, 0),
            .count = sqlite3_column_int64(s, 1),
            .ndocs = sqlite3_column_int64(s, 2),
            .doc_id = col_text(s, 3),
            .sentence = col_text(s, 4),
        };
        if (!u.text) u.text = "";
        if (!cb(&u, arg)) {
            rc = GA_ECANCEL;
            break;
        }
    }
    if (rc == GA_OK && src != SQLITE_DONE)
        rc = ga_store_fail(st, err, src, "cannot read unresolved mentions");
    sqlite3_finalize(s);
    return rc;
}
