/*
 * import_geonames.c: importing GeoNames dumps (ga_import.h).
 *
 * The dump format (cities500.txt, SY.txt, allCountries.txt) is one place
 * per line, 19 tab-separated columns: geonameid, name, asciiname,
 * alternatenames (comma-separated), latitude, longitude, feature class,
 * feature code, country code, cc2, admin1..admin4 codes, population,
 * elevation, dem, timezone, modification date. alternateNamesV2.txt has
 * one name per line: alternateNameId, geonameid, isolanguage, name and
 * flags (10 columns; 8 in the older alternateNames.txt). admin1CodesASCII
 * has "CC.code", name, ascii name, geonameid.
 *
 * Speed: the files are streamed with getline() into one reused buffer and
 * split in place, rows go through the writer's prepared statements (no SQL
 * parsing, no allocation per row), the whole import is one transaction
 * with a large page cache, and name keys are not computed here (the name
 * index does that). Memory stays bounded whatever the file size: only the
 * admin1 code table (a few thousand rows) is held.
 *
 * Validation is strict because a half-understood dump is worse than none:
 * any malformed row stops the import with "FILE:LINE: problem" and the
 * transaction is rolled back. Coordinates that look swapped for their
 * country are only warnings, since the row itself is well-formed.
 */
#define _POSIX_C_SOURCE 200809L
#include "gaz/ga_import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "store/ga_store_gaz.h"
#include "text/ga_text.h"

enum {
    GN_COLS = 19,                    /* columns of a dump row */
    DEFER_INDEX_MAX_NAMES = 20000    /* defer indexes when the gazetteer has fewer names */
};

/* Column numbers of the dump. */
enum {
    C_ID, C_NAME, C_ASCII, C_ALT, C_LAT, C_LON, C_FCLASS, C_FCODE, C_CC, C_CC2,
    C_ADM1, C_ADM2, C_ADM3, C_ADM4, C_POP, C_ELEV, C_DEM, C_TZ, C_MOD
};

/* admin1 code -> name, from admin1CodesASCII.txt: open addressing. */
typedef struct {
    ga_buf file;         /* the whole file, split in place */
    const char **keys;   /* "SY.11" or NULL (empty slot) */
    const char **names;  /* "Homs" */
    size_t mask;         /* table size - 1 */
} admin1_table;


typedef struct {
    ga_store *st;
    ga_gaz_writer *w;
    const ga_import_io *io;
    ga_import_stats *stats;
    ga_err *err;
    admin1_table a1;
    ga_country_boxes boxes;  /* for the swapped-coordinates check */
    uint64_t bytes_done;     /* bytes read in finished files */
    uint64_t bytes_total;    /* bytes of all files to read */
    double next_report;      /* fraction at which to call progress next */
    ga_buf alt;              /* packed alternate names of the current row */
    int64_t packed_names;    /* names written packed in places.alt_names */
    const char *admin2_countries;   /* ga_geonames_opts */
} gn_ctx;

/* ---- small helpers -------------------------------------------------- */

static size_t split_tabs(char *line, char **cols, size_t max)
{
    size_t n = 0;
    char *p = line;
    cols[n++] = p;
    for (; *p; p++) {
        if (*p == '\t') {
            *p = 0;
            if (n < max) cols[n] = p + 1;
            n++;
        }
    }
    return n;
}

static int parse_double(const char *s, double *out)
{
    if (!*s) return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end) return 0;
    *out = v;
    return 1;
}

static int parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    if (*p == '-') p++;
    if (!*p) return 0;
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9') return 0;
        if (v > (INT64_MAX - 9) / 10) return 0;
        v = v * 10 + (*p - '0');
    }
    *out = s[0] == '-' ? -v : v;
    return 1;
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* 1 when s holds a letter of the Arabic script blocks (U+0600..06FF,
 * U+0750..077F, U+08A0..08FF, U+FB50..FDFF, U+FE70..FEFF). */
static int has_arabic(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) continue;
        if (*p >= 0xD8 && *p <= 0xDB) return 1;
        if (*p == 0xDD && p[1] >= 0x90) return 1;
        if (*p == 0xE0 && p[1] == 0xA2) return 1;
        if (*p == 0xE0 && p[1] == 0xA3) return 1;
        if (*p == 0xEF && p[1] >= 0xAD && p[1] <= 0xBB) return 1;
    }
    return 0;
}

/* 1 for 2-4 capital ASCII letters: the alternatenames column mixes IATA,
 * ICAO and other codes (QHS, DAM, LTK) in with the names; they are kept
 * as abbreviations so that the resolver can treat them apart. */
/* Kind of a place from its GeoNames feature class and code. */
static ga_kind kind_of(const char *fclass, const char *fcode)
{
    switch (fclass[0]) {
    case 'A':
        if (!strncmp(fcode, "ADM1", 4)) return GA_KIND_ADM1;
        if (!strncmp(fcode, "ADM2", 4)) return GA_KIND_ADM2;
        if (!strncmp(fcode, "ADM3", 4)) return GA_KIND_ADM3;
        if (!strncmp(fcode, "PCL", 3)) return GA_KIND_COUNTRY;
        return GA_KIND_OTHER;
    case 'P':
        return !strcmp(fcode, "PPLX") ? GA_KIND_SECTION : GA_KIND_PPL;
    case 'L':
        if (!strcmp(fcode, "AREA") || !strcmp(fcode, "RGN") || !strcmp(fcode, "RGNL") ||
            !strcmp(fcode, "OAS"))
            return GA_KIND_AREA;
        if (!strncmp(fcode, "CMP", 3)) return GA_KIND_CAMP;
        return GA_KIND_OTHER;
    case 'T':
        if (!strcmp(fcode, "VAL") || !strcmp(fcode, "PLN") || !strcmp(fcode, "MTS") ||
            !strcmp(fcode, "PLAT"))
            return GA_KIND_AREA;
        return GA_KIND_OTHER;
    case 'S':
        if (!strncmp(fcode, "CMP", 3)) return GA_KIND_CAMP;   /* CMP, CMPRF refugee camp */
        if (!strcmp(fcode, "PSTB")) return GA_KIND_CROSSING;  /* border post */
        return GA_KIND_OTHER;
    default:
        return GA_KIND_OTHER;
    }
}

static int report(gn_ctx *c, uint64_t bytes_in_file, const char *msg)
{
    if (!c->io || !c->io->progress || c->bytes_total == 0) return 1;
    double frac = (double)(c->bytes_done + bytes_in_file) / (double)c->bytes_total;
    if (frac < c->next_report) return 1;
    c->next_report = frac + 0.005;
    return c->io->progress(frac > 1 ? 1 : frac, msg, c->io->progress_arg);
}

static void warn(gn_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(gn_ctx *c, const char *fmt, ...)
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

/* Read the next line into *line (getline buffer); strips "\n" and "\r\n".
 * Returns 1 for a line, 0 at end of file, -1 for a final line without a
 * newline (truncated file), -2 on a read error. */
static int next_line(FILE *f, char **line, size_t *cap, size_t *len, uint64_t *pos)
{
    errno = 0;
    ssize_t n = getline(line, cap, f);
    if (n < 0) return ferror(f) ? -2 : 0;
    *pos += (uint64_t)n;
    int nl = n > 0 && (*line)[n - 1] == '\n';
    if (nl) (*line)[--n] = 0;
    if (n > 0 && (*line)[n - 1] == '\r') (*line)[--n] = 0;
    *len = (size_t)n;
    return nl ? 1 : -1;
}

/* Common line checks: truncation, NUL bytes and UTF-8. */
static ga_rc check_line(gn_ctx *c, const char *path, uint64_t lineno, int got, const char *line,
                        size_t len)
{
    if (got == -2)
        return ga_err_set(c->err, GA_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (got == -1)
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: truncated line (the file ends without "
                          "a newline)", path, (unsigned long long)lineno);
    if (strlen(line) != len)
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: NUL byte in line (binary file?)", path,
                          (unsigned long long)lineno);
    size_t bad = 0;
    if (!ga_utf8_valid(line, len, 0, &bad))
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: invalid UTF-8 at byte %zu of the line",
                          path, (unsigned long long)lineno, bad + 1);
    return GA_OK;
}

/* ---- admin1CodesASCII.txt -------------------------------------------- */

static void admin1_free(admin1_table *t)
{
    ga_buf_free(&t->file);
    free(t->keys);
    free(t->names);
    memset(t, 0, sizeof *t);
}

static size_t admin1_slot(const admin1_table *t, const char *key, size_t n)
{
    size_t i = (size_t)ga_hash64(key, n) & t->mask;
    while (t->keys[i] && (strncmp(t->keys[i], key, n) || t->keys[i][n])) i = (i + 1) & t->mask;
    return i;
}

static const char *admin1_name(const admin1_table *t, const char *cc, const char *a1)
{
    if (!t->keys) return NULL;
    char key[64];
    int n = snprintf(key, sizeof key, "%s.%s", cc, a1);
    if (n <= 0 || (size_t)n >= sizeof key) return NULL;
    size_t i = admin1_slot(t, key, (size_t)n);
    return t->keys[i] ? t->names[i] : NULL;
}

static ga_rc admin1_load(gn_ctx *c, const char *path)
{
    admin1_table *t = &c->a1;
    ga_rc rc = ga_read_file(path, &t->file, c->err);
    if (rc) return rc;
    size_t lines = 1;
    for (size_t i = 0; i < t->file.len; i++) lines += t->file.data[i] == '\n';
    size_t size = 16;
    while (size < lines * 2) size <<= 1;
    t->keys = calloc(size, sizeof *t->keys);
    t->names = calloc(size, sizeof *t->names);
    if (!t->keys || !t->names) return ga_err_set(c->err, GA_ENOMEM, "out of memory");
    t->mask = size - 1;
    char *p = t->file.data, *end = p + t->file.len;
    for (uint64_t lineno = 1; p < end; lineno++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        *nl = 0;
        if (nl > p && nl[-1] == '\r') nl[-1] = 0;
        if (*p) {
            char *cols[8];
            size_t n = split_tabs(p, cols, 8);
            if (n != 4 || !strchr(cols[0], '.'))
                return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: not an admin1CodesASCII line "
                                  "(expected 4 tab-separated columns: code, name, ascii name, "
                                  "geonameid)", path, (unsigned long long)lineno);
            size_t bad = 0;
            if (!ga_utf8_valid(cols[1], strlen(cols[1]), 0, &bad))
                return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: invalid UTF-8 in the name "
                                  "(byte %zu of the column)", path, (unsigned long long)lineno,
                                  bad);
            size_t i = admin1_slot(t, cols[0], strlen(cols[0]));
            t->keys[i] = cols[0];
            t->names[i] = cols[1];
        }
        p = nl + 1;
    }
    return GA_OK;
}

/* ---- the dump --------------------------------------------------------- */

static ga_rc import_row(gn_ctx *c, const char *path, uint64_t lineno, char **col, size_t ncols)
{
    unsigned long long ln = (unsigned long long)lineno;
    if (ncols != GN_COLS) {
        if (lineno == 1)
            return ga_err_set(c->err, GA_EFORMAT, "%s:1: not a GeoNames dump (expected %d "
                              "tab-separated columns, found %zu)", path, GN_COLS, ncols);
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: expected %d tab-separated columns, "
                          "found %zu", path, ln, GN_COLS, ncols);
    }
    if (!all_digits(col[C_ID]))
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: %sgeonameid '%.40s' is not a number",
                          path, ln, lineno == 1 ? "not a GeoNames dump: " : "", col[C_ID]);
    double lat = 0, lon = 0;
    if (!parse_double(col[C_LAT], &lat) || !(lat >= -90 && lat <= 90))
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: latitude '%.40s' is not a number in "
                          "[-90, 90]", path, ln, col[C_LAT]);
    if (!parse_double(col[C_LON], &lon) || !(lon >= -180 && lon <= 180))
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: longitude '%.40s' is not a number in "
                          "[-180, 180]", path, ln, col[C_LON]);
    int64_t pop = 0;
    if (col[C_POP][0] && !parse_int(col[C_POP], &pop))
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: population '%.40s' is not a whole "
                          "number", path, ln, col[C_POP]);
    if (!col[C_NAME][0])
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: empty name", path, ln);
    if (strlen(col[C_FCLASS]) > 1)
        return ga_err_set(c->err, GA_EFORMAT, "%s:%llu: feature class '%.40s' is not one "
                          "letter", path, ln, col[C_FCLASS]);
    const char *cc = col[C_CC];
    {
        if (ga_country_boxes_swapped(&c->boxes, cc, lon, lat))
            warn(c, "%s:%llu: coordinates look swapped (latitude %s, longitude %s lies outside "
                 "%s; swapped, it lies inside)", path, ln, col[C_LAT], col[C_LON], cc);
    }
    char gid[48], a1code[48];
    snprintf(gid, sizeof gid, "geonames:%s", col[C_ID]);
    a1code[0] = 0;
    int by_admin2 = c->admin2_countries && strlen(cc) == 2 && strstr(c->admin2_countries, cc) &&
                    col[C_ADM2][0];
    if (by_admin2)
        snprintf(a1code, sizeof a1code, "%s.%s", cc, col[C_ADM2]);
    else if (cc[0] && col[C_ADM1][0] && strcmp(col[C_ADM1], "00") != 0)
        snprintf(a1code, sizeof a1code, "%s.%s", cc, col[C_ADM1]);
    ga_place p = {0};
    p.gid = gid;
    p.name = col[C_NAME];
    p.kind = kind_of(col[C_FCLASS], col[C_FCODE]);
    p.feature_code = col[C_FCODE];
    p.country = cc;
    p.admin1_code = a1code;
    p.admin1 = a1code[0] && !by_admin2 ? admin1_name(&c->a1, cc, col[C_ADM1]) : NULL;
    p.population = pop;
    p.lon = lon;
    p.lat = lat;
    p.source = "geonames";
    /* The ASCII name and the alternate names travel packed in one column,
     * comma-separated as in the dump (GeoNames names hold no commas): a
     * million name rows would cost most of the import. The name index
     * unpacks them (ga_gaz_split_alt_names). */
    c->alt.len = 0;
    const char *ascii = col[C_ASCII];
    if (ascii[0] && strcmp(ascii, col[C_NAME]) != 0 && ga_buf_puts(&c->alt, ascii))
        return ga_err_set(c->err, GA_ENOMEM, "out of memory");
    if (col[C_ALT][0] && ((c->alt.len && ga_buf_putc(&c->alt, ',')) ||
                          ga_buf_puts(&c->alt, col[C_ALT])))
        return ga_err_set(c->err, GA_ENOMEM, "out of memory");
    p.alt_names = c->alt.len ? c->alt.data : NULL;
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_place(c->w, &p, NULL, &id, c->err);
    if (rc) { ga_err_prefix(c->err, "%s:%llu", path, ln); return rc; }
    c->packed_names += 1 + (c->alt.len ? 1 : 0);
    for (const char *q = c->alt.data; c->alt.len && *q; q++) c->packed_names += *q == ',';
    return GA_OK;
}

static ga_rc import_dump(gn_ctx *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ga_err_set(c->err, GA_EIO, "cannot open '%s': %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, len = 0;
    uint64_t pos = 0, lineno = 0;
    char *cols[GN_COLS + 1];
    ga_rc rc = GA_OK;
    int got;
    while ((got = next_line(f, &line, &cap, &len, &pos)) != 0) {
        lineno++;
        if ((rc = check_line(c, path, lineno, got, line, len))) break;
        if (len == 0) {   /* a blank line is as wrong as a short one */
            rc = ga_err_set(c->err, GA_EFORMAT, "%s:%llu: empty line%s", path,
                            (unsigned long long)lineno,
                            lineno == 1 ? " (not a GeoNames dump)" : "");
            break;
        }
        size_t n = split_tabs(line, cols, GN_COLS + 1);
        if ((rc = import_row(c, path, lineno, cols, n))) break;
        if ((lineno & 4095) == 0 && !report(c, pos, "importing GeoNames places")) {
            rc = ga_err_set(c->err, GA_ECANCEL, "import cancelled");
            break;
        }
    }
    if (rc == GA_OK && lineno == 0)
        rc = ga_err_set(c->err, GA_EFORMAT, "%s: empty file, not a GeoNames dump", path);
    free(line);
    fclose(f);
    c->bytes_done += pos;
    return rc;
}

/* ---- alternateNamesV2.txt --------------------------------------------- */

static int skipped_lang(const char *lang)
{
    static const char *const pseudo[] = {"link", "post", "iata", "icao", "faac", "wkdt", "unlc",
                                         "fr_1793"};
    for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
        if (!strcmp(lang, pseudo[i])) return 1;
    return 0;
}

static ga_rc import_alternates(gn_ctx *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ga_err_set(c->err, GA_EIO, "cannot open '%s': %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, len = 0;
    uint64_t pos = 0, lineno = 0;
    char *cols[12];
    char last_gn[24] = "";
    int64_t last_id = -1;    /* place of last_gn, 0 when not in the database */
    ga_rc rc = GA_OK;
    int got;
    while ((got = next_line(f, &line, &cap, &len, &pos)) != 0) {
        lineno++;
        unsigned long long ln = (unsigned long long)lineno;
        if ((rc = check_line(c, path, lineno, got, line, len))) break;
        size_t n = split_tabs(line, cols, 12);
        if (n < 8 || n > 10) {
            rc = ga_err_set(c->err, GA_EFORMAT, "%s:%llu: %sexpected 10 tab-separated columns "
                            "(alternateNamesV2), found %zu", path, ln,
                            lineno == 1 ? "not a GeoNames alternate names file: " : "", n);
            break;
        }
        if (!all_digits(cols[1]) || strlen(cols[1]) >= sizeof last_gn) {
            rc = ga_err_set(c->err, GA_EFORMAT, "%s:%llu: geonameid '%.40s' is not a number",
                            path, ln, cols[1]);
            break;
        }
        const char *lang = cols[2], *name = cols[3];
        if (!*name || skipped_lang(lang)) { c->stats->skipped++; continue; }
        if (strcmp(cols[1], last_gn) != 0) {
            char gid[48];
            snprintf(gid, sizeof gid, "geonames:%s", cols[1]);
            int64_t id = 0;
            rc = ga_gaz_writer_find(c->w, gid, &id, c->err);
            if (rc == GA_ENOTFOUND) { id = 0; rc = GA_OK; }
            if (rc) break;
            strcpy(last_gn, cols[1]);
            last_id = id;
        }
        if (last_id <= 0) { c->stats->skipped++; continue; }
        ga_name_kind kind = GA_NAME_ALTERNATE;
        if (!strcmp(lang, "abbr")) { kind = GA_NAME_ABBREV; lang = ""; }
        if (!*lang && has_arabic(name)) lang = "ar";
        if ((rc = ga_gaz_writer_name(c->w, last_id, name, lang, kind, "geonames", 0, c->err))) {
            ga_err_prefix(c->err, "%s:%llu", path, ln);
            break;
        }
        if ((lineno & 4095) == 0 && !report(c, pos, "importing GeoNames alternate names")) {
            rc = ga_err_set(c->err, GA_ECANCEL, "import cancelled");
            break;
        }
    }
    free(line);
    fclose(f);
    c->bytes_done += pos;
    return rc;
}

/* ---- entry point ------------------------------------------------------ */

static uint64_t path_size(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
}

ga_rc ga_import_geonames(ga_store *st, const char *path, const ga_geonames_opts *opts,
                         const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    static const ga_geonames_opts no_opts = {0};
    ga_import_stats local = {0};
    if (!opts) opts = &no_opts;
    if (!stats) stats = &local;
    double t0 = ga_now();
    gn_ctx *c = calloc(1, sizeof *c);
    if (!c) return ga_err_set(err, GA_ENOMEM, "out of memory");
    c->st = st;
    c->io = io;
    c->stats = stats;
    c->err = err;
    c->bytes_total = path_size(path) + path_size(opts->alternate_names);
    ga_rc rc = GA_OK;
    int in_txn = 0, wal_off = 0;
    c->admin2_countries = opts->admin2_countries;
    if (opts->admin1_codes && (rc = admin1_load(c, opts->admin1_codes))) goto done;
    /* Filling an empty gazetteer: a rollback journal writes the new pages
     * once, where the write-ahead log would write them twice (log, then
     * checkpoint). Only possible when no other connection has the file
     * open; otherwise the database simply stays in WAL mode. */
    int64_t had = 0;
    if (ga_store_gaz_counts(st, &had, NULL, NULL, NULL) == GA_OK && had < DEFER_INDEX_MAX_NAMES)
        wal_off = ga_store_bulk_journal(st, 1);
    if ((rc = ga_store_begin(st, err))) goto done;
    in_txn = 1;
    if ((rc = ga_country_boxes_load(st, &c->boxes, err))) goto done;
    if ((rc = ga_gaz_writer_new(st, &c->w, err))) goto done;
    /* Into a (nearly) empty gazetteer, rebuilding the indexes once at the
     * end beats maintaining them row by row several times over. */
    int64_t existing = 0;
    if ((rc = ga_store_gaz_counts(st, NULL, &existing, NULL, err))) goto done;
    if ((rc = ga_gaz_writer_bulk(c->w, existing < DEFER_INDEX_MAX_NAMES, err))) goto done;
    if ((rc = import_dump(c, path))) goto done;
    if ((rc = ga_gaz_writer_finish(c->w, err))) goto done;
    if (opts->alternate_names && (rc = import_alternates(c, opts->alternate_names))) goto done;
    if ((rc = ga_store_gaz_bump(st, err))) goto done;
    int64_t np = 0, nn = 0;
    ga_gaz_writer_counts(c->w, &np, &nn);
    ga_gaz_writer_free(c->w);
    c->w = NULL;
    if ((rc = ga_store_commit(st, err))) { in_txn = 0; goto done; }
    in_txn = 0;
    stats->places += np;
    stats->names += nn + c->packed_names;
    if (io && io->progress) io->progress(1.0, "GeoNames import done", io->progress_arg);
done:
    ga_gaz_writer_free(c->w);
    if (in_txn) ga_store_rollback(st);
    if (wal_off) ga_store_bulk_journal(st, 0);
    admin1_free(&c->a1);
    ga_buf_free(&c->alt);
    free(c);
    stats->seconds += ga_now() - t0;
    return rc;
}
