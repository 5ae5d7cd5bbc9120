/*
 * import_tsv.c: the small hand-kept TSV files of gazetteer/ (ga_import.h):
 * crosswalk.tsv (GeoNames admin1 codes to OCHA P-codes), curated.tsv
 * (places the data packages lack) and aliases.tsv (extra names of
 * existing places). Each file has comment lines starting with '#', one
 * header line naming the columns (checked, so a shifted column is caught)
 * and tab-separated rows. Any malformed row fails the whole file with
 * "FILE:LINE: problem" and nothing is written.
 */
#define _POSIX_C_SOURCE 200809L
#include "gaz/ga_import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/ga_store_gaz.h"
#include "text/ga_text.h"

enum { TSV_MAX_COLS = 16 };

typedef ga_rc (*row_fn)(void *arg, char **cols, size_t lineno, ga_err *err);

typedef struct {
    const char *path;
    const ga_import_io *io;
    ga_import_stats *stats;
    ga_store *st;
    ga_gaz_writer *w;
} tsv_ctx;

static void twarn(tsv_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void twarn(tsv_ctx *c, const char *fmt, ...)
{
    c->stats->warnings++;
    if (!c->io || !c->io->warn) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->io->warn(msg, c->io->warn_arg);
}

/* Read path, check the header against want (ncols names), call fn per row. */
static ga_rc tsv_each(const char *path, const char *const *want, size_t ncols, row_fn fn,
                      void *arg, ga_err *err)
{
    ga_buf b = {0};
    ga_rc rc = ga_read_file(path, &b, err);
    if (rc) return rc;
    size_t bad = 0;
    if (!ga_utf8_valid(b.data, b.len, 0, &bad)) {
        rc = ga_err_set(err, GA_EFORMAT, "%s: invalid UTF-8 at byte %zu", path, bad);
        goto done;
    }
    char *p = b.data, *end = b.data + b.len;
    int header = 0;
    for (size_t lineno = 1; p < end; lineno++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        *nl = 0;
        if (nl > p && nl[-1] == '\r') nl[-1] = 0;
        char *line = p;
        p = nl + 1;
        if (!*line || *line == '#') continue;
        char *cols[TSV_MAX_COLS];
        size_t n = 0;
        for (char *q = line;;) {
            if (n < TSV_MAX_COLS) cols[n] = q;
            n++;
            char *tab = strchr(q, '\t');
            if (!tab) break;
            *tab = 0;
            q = tab + 1;
        }
        if (n != ncols) {
            rc = ga_err_set(err, GA_EFORMAT, "%s:%zu: expected %zu tab-separated columns, "
                            "found %zu", path, lineno, ncols, n);
            goto done;
        }
        if (!header) {
            for (size_t i = 0; i < ncols; i++)
                if (strcmp(cols[i], want[i]) != 0) {
                    rc = ga_err_set(err, GA_EFORMAT, "%s:%zu: header column %zu is '%s', "
                                    "expected '%s'", path, lineno, i + 1, cols[i], want[i]);
                    goto done;
                }
            header = 1;
            continue;
        }
        if ((rc = fn(arg, cols, lineno, err))) goto done;
    }
    if (!header) rc = ga_err_set(err, GA_EFORMAT, "%s: no header line", path);
done:
    ga_buf_free(&b);
    return rc;
}

/* Run fn over the rows of path inside one transaction with a writer. */
static ga_rc tsv_import(ga_store *st, const char *path, const char *const *want, size_t ncols,
                        row_fn fn, const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    ga_import_stats local = {0};
    if (!stats) stats = &local;
    double t0 = ga_now();
    tsv_ctx c = {path, io, stats, st, NULL};
    ga_rc rc = ga_store_begin(st, err);
    if (rc) return rc;
    if ((rc = ga_gaz_writer_new(st, &c.w, err))) goto done;
    if ((rc = tsv_each(path, want, ncols, fn, &c, err))) goto done;
    if ((rc = ga_store_crosswalk_apply(st, NULL, err))) goto done;
    if ((rc = ga_store_gaz_bump(st, err))) goto done;
    int64_t np = 0, nn = 0;
    ga_gaz_writer_counts(c.w, &np, &nn);
    ga_gaz_writer_free(c.w);
    c.w = NULL;
    if ((rc = ga_store_commit(st, err))) goto done;
    stats->places += np;
    stats->names += nn;
done:
    ga_gaz_writer_free(c.w);
    if (rc) ga_store_rollback(st);
    stats->seconds += ga_now() - t0;
    return rc;
}

/* ---- crosswalk.tsv ------------------------------------------------------ */

static ga_rc crosswalk_row(void *arg, char **col, size_t lineno, ga_err *err)
{
    tsv_ctx *c = arg;
    if (strlen(col[0]) != 2 || strncmp(col[1], col[0], 2) != 0 || col[1][2] != '.' ||
        !col[2][0])
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: expected country CC, admin1 code CC.xx "
                          "and a P-code", c->path, lineno);
    return ga_store_crosswalk_set(c->st, col[0], col[1], col[2], col[3], err);
}

ga_rc ga_import_crosswalk_tsv(ga_store *st, const char *path, const ga_import_io *io,
                              ga_import_stats *stats, ga_err *err)
{
    static const char *const want[] = {"country", "admin1_code", "admin1_pcode", "name"};
    return tsv_import(st, path, want, 4, crosswalk_row, io, stats, err);
}

/* ---- curated.tsv -------------------------------------------------------- */

static ga_rc curated_row(void *arg, char **col, size_t lineno, ga_err *err)
{
    tsv_ctx *c = arg;
    /* gid name kind lon lat country admin1_code admin1_pcode population
     * aliases source precision */
    ga_place p = {0};
    p.gid = col[0];
    p.name = col[1];
    if (!col[0][0] || !col[1][0])
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: empty gid or name", c->path, lineno);
    if (!ga_kind_parse(col[2], &p.kind))
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: unknown kind '%s'", c->path, lineno, col[2]);
    char *e1 = NULL, *e2 = NULL, *e3 = NULL;
    p.lon = strtod(col[3], &e1);
    p.lat = strtod(col[4], &e2);
    if (e1 == col[3] || *e1 || e2 == col[4] || *e2 || !(p.lon >= -180 && p.lon <= 180) ||
        !(p.lat >= -90 && p.lat <= 90))
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: bad coordinates lon '%s', lat '%s'",
                          c->path, lineno, col[3], col[4]);
    p.country = col[5];
    p.admin1_code = col[6][0] ? col[6] : NULL;
    p.admin1_pcode = col[7];
    errno = 0;
    long long pop = strtoll(col[8], &e3, 10);
    if (e3 == col[8] || *e3 || errno || pop < 0)
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: bad population '%s' (a whole number, 0 "
                          "when unknown)", c->path, lineno, col[8]);
    p.population = pop;
    if (p.admin1_code && (!p.country[0] || strncmp(p.admin1_code, p.country, 2) != 0 ||
                          p.admin1_code[2] != '.'))
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: admin1_code '%s' is not CC.xx of the "
                          "country '%s'", c->path, lineno, p.admin1_code, p.country);
    p.source = "curated";
    p.curated = 1;
    char note[1024];
    snprintf(note, sizeof note, "%s; %s", col[10], col[11]);
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_place(c->w, &p, note, &id, err);
    if (rc) { ga_err_prefix(err, "%s:%zu", c->path, lineno); return rc; }
    if ((rc = ga_gaz_writer_name(c->w, id, p.name, NULL, GA_NAME_OFFICIAL, "curated", 1, err)))
        return rc;
    for (char *a = col[9]; a && *a;) {
        char *bar = strchr(a, '|');
        if (bar) *bar = 0;
        if (*a && (rc = ga_gaz_writer_name(c->w, id, a, NULL, GA_NAME_CURATED, "curated", 1, err)))
            return rc;
        a = bar ? bar + 1 : NULL;
    }
    return GA_OK;
}

ga_rc ga_import_curated_tsv(ga_store *st, const char *path, const ga_import_io *io,
                            ga_import_stats *stats, ga_err *err)
{
    static const char *const want[] = {"gid", "name", "kind", "lon", "lat", "country",
                                       "admin1_code", "admin1_pcode", "population", "aliases",
                                       "source", "precision"};
    return tsv_import(st, path, want, 12, curated_row, io, stats, err);
}

/* ---- aliases.tsv -------------------------------------------------------- */

static ga_rc alias_row(void *arg, char **col, size_t lineno, ga_err *err)
{
    tsv_ctx *c = arg;
    /* gid alias kind source note */
    ga_name_kind kind;
    if (!ga_name_kind_parse(col[2], &kind))
        return ga_err_set(err, GA_EFORMAT, "%s:%zu: unknown name kind '%s'", c->path, lineno,
                          col[2]);
    if (!col[1][0]) return ga_err_set(err, GA_EFORMAT, "%s:%zu: empty alias", c->path, lineno);
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_find(c->w, col[0], &id, err);
    if (rc == GA_ENOTFOUND) {
        twarn(c, "%s:%zu: no place '%s' for alias '%s', skipped", c->path, lineno, col[0],
              col[1]);
        c->stats->skipped++;
        return GA_OK;
    }
    if (rc) return rc;
    rc = ga_gaz_writer_name(c->w, id, col[1], NULL, kind, "curated", 1, err);
    char pl[128];   /* "Central Americans" too */
    if (!rc && kind == GA_NAME_DEMONYM && ga_demonym_plural(col[1], pl, sizeof pl))
        rc = ga_gaz_writer_name(c->w, id, pl, NULL, kind, "curated", 1, err);
    return rc;
}

ga_rc ga_import_aliases_tsv(ga_store *st, const char *path, const ga_import_io *io,
                            ga_import_stats *stats, ga_err *err)
{
    static const char *const want[] = {"gid", "alias", "kind", "source", "note"};
    return tsv_import(st, path, want, 5, alias_row, io, stats, err);
}
