/*
 * export.c: writing map layers through GDAL/OGR (ga_export.h). Plans the
 * destination (one dataset, one file per layer, or a PostgreSQL
 * connection), checks it before any work (existing files, writable
 * directory, reachable server), writes every requested layer from one
 * pass over the selected events plus one query per other layer, and
 * commits: temporary files renamed into place, or the PostgreSQL
 * transaction committed. Any failure removes the temporaries and rolls
 * back, so the destination is either the old state or the complete new
 * one.
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    const char *name;     /* as users type it */
    const char *driver;   /* GDAL driver short name */
    const char *ext;      /* file extension, NULL for PostgreSQL */
    int multi;            /* 1: one dataset holds every layer */
    int has_desc;         /* 1: layer DESCRIPTION creation option */
} fmt_info;

static const fmt_info fmts[GA_FMT_COUNT] = {
    {"GeoJSON", "GeoJSON", "geojson", 0, 1},
    {"GPKG", "GPKG", "gpkg", 1, 1},
    {"CSV", "CSV", "csv", 0, 0},
    {"KML", "KML", "kml", 1, 0},
    {"FlatGeobuf", "FlatGeobuf", "fgb", 0, 0},
    {"PostgreSQL", "PostgreSQL", NULL, 1, 1},
};

static const char *const layer_names[GA_LAYER_COUNT] = {
    "events", "flows", "mentions", "places", "regions"};

int ga_export_format_parse(const char *name, ga_export_format *out)
{
    static const struct { const char *alias; ga_export_format f; } aliases[] = {
        {"geopackage", GA_FMT_GPKG}, {"fgb", GA_FMT_FLATGEOBUF}, {"pg", GA_FMT_POSTGRESQL},
        {"postgis", GA_FMT_POSTGRESQL}, {"json", GA_FMT_GEOJSON},
    };
    if (!name) return 0;
    for (int i = 0; i < GA_FMT_COUNT; i++)
        if (strcasecmp(name, fmts[i].name) == 0) { *out = (ga_export_format)i; return 1; }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0) { *out = aliases[i].f; return 1; }
    return 0;
}

int ga_export_format_guess(const char *dest, ga_export_format *out)
{
    if (!dest) return 0;
    if (strncasecmp(dest, "PG:", 3) == 0) { *out = GA_FMT_POSTGRESQL; return 1; }
    const char *dot = strrchr(dest, '.'), *slash = strrchr(dest, '/');
    if (!dot || (slash && dot < slash)) return 0;
    dot++;
    if (strcasecmp(dot, "json") == 0) { *out = GA_FMT_GEOJSON; return 1; }
    for (int i = 0; i < GA_FMT_COUNT; i++)
        if (fmts[i].ext && strcasecmp(dot, fmts[i].ext) == 0) {
            *out = (ga_export_format)i;
            return 1;
        }
    return 0;
}

const char *ga_export_format_list(void)
{
    return "GeoJSON, GPKG, CSV, KML, FlatGeobuf, PostgreSQL";
}

const char *ga_export_format_name(ga_export_format f)
{
    return (unsigned)f < GA_FMT_COUNT ? fmts[f].name : "?";
}

int ga_export_layer_parse(const char *name)
{
    if (!name) return 0;
    if (strcmp(name, "all") == 0) return GA_LAYER_ALL;
    for (int i = 0; i < GA_LAYER_COUNT; i++)
        if (strcmp(name, layer_names[i]) == 0) return 1 << i;
    return 0;
}

const char *ga_export_layer_name(int bit)
{
    for (int i = 0; i < GA_LAYER_COUNT; i++)
        if (bit == 1 << i) return layer_names[i];
    return "?";
}

const char *ga_export_gdal_msg(const char *fallback)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : fallback;
}

/* ---- destinations ------------------------------------------------------ */

/* One dataset being written. */
typedef struct {
    char final[4096];     /* where it ends up (or the PG: string) */
    char tmp[4096];       /* file GDAL writes, renamed to final at the end */
    char tmp2[4096];      /* CSV after the HXL row was added */
    int layers;           /* GA_LAYER_* bits it holds */
    int is_file;          /* 0 for PostgreSQL */
    int existed;          /* final existed before (overwrite/append) */
    GDALDatasetH ds;      /* open dataset */
    int in_txn;           /* a dataset transaction is open */
} xtarget;

typedef struct {
    ga_store *st;                      /* source database */
    const ga_export_opts *o;           /* options */
    const fmt_info *fi;                /* format */
    ga_filter nofilter;                /* used when o->filter is NULL */
    xtarget t[GA_LAYER_COUNT];         /* datasets */
    int nt;
    ga_xlayer xl[GA_LAYER_COUNT];      /* layers by bit index */
    char *attrib;                      /* attribution text */
    char **types;                      /* event types (regions columns) */
    ga_export_sel *sel;                /* selected events for the other layers */
    char dir[4096];                    /* output directory (several single-layer files) */
    int made_dir;                      /* 1: we created dir and remove it on failure */
    uint64_t *seen;                    /* flow keys already written */
    size_t seen_cap, seen_n;
    int64_t total, done;               /* progress over the events pass */
    int skip_events, skip_flows;       /* this pass leaves that layer alone */
    ga_export_stats *stats;
    ga_err *err;
    ga_rc rc;                          /* first failure inside a callback */
} xjob;

static int layer_index(int bit)
{
    for (int i = 0; i < GA_LAYER_COUNT; i++)
        if (bit == 1 << i) return i;
    return 0;
}

static void dir_of(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(dir, n, ".");
    else if (slash == path) snprintf(dir, n, "/");
    else snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

/* Temporary name next to final, keeping the extension (drivers look at
 * it: the CSV driver writes a directory when the name lacks .csv). */
static void tmp_name(const char *final, const char *ext, const char *tag, char *out, size_t n)
{
    char dir[4096];
    dir_of(final, dir, sizeof dir);
    const char *base = strrchr(final, '/');
    base = base ? base + 1 : final;
    snprintf(out, n, "%s/.%s.%ld.%s.%s", dir, base, (long)getpid(), tag, ext);
}

/* Can we create files in the directory of path? Probes with a real file,
 * since access() says yes to root on read-only places. */
static ga_rc check_writable(const char *final, const char *probe, ga_err *err)
{
    char dir[4096];
    dir_of(final, dir, sizeof dir);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return ga_err_set(err, GA_EIO, "cannot write '%s': directory '%s' does not exist",
                          final, dir);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EACCES || errno == EROFS || errno == EPERM)
            return ga_err_set(err, GA_EIO, "cannot write '%s': directory '%s' is not writable",
                              final, dir);
        return ga_err_set(err, GA_EIO, "cannot write '%s': cannot create a file in '%s' (%s)",
                          final, dir, strerror(errno));
    }
    close(fd);
    unlink(probe);
    return GA_OK;
}

/* The PG: string with any password masked, for messages. */
static void pg_masked(const char *dest, char *out, size_t n)
{
    snprintf(out, n, "%s", dest);
    char *p = strstr(out, "password=");
    if (!p) return;
    p += strlen("password=");
    char *end = p;
    while (*end && *end != ' ') end++;
    memmove(p + 3, end, strlen(end) + 1);
    memcpy(p, "***", 3);
}

static ga_rc plan(xjob *j)
{
    const ga_export_opts *o = j->o;
    ga_err *err = j->err;
    int nlayers = 0;
    for (int i = 0; i < GA_LAYER_COUNT; i++) nlayers += (o->layers >> i) & 1;
    if (o->format == GA_FMT_POSTGRESQL) {
        if (strncasecmp(o->dest, "PG:", 3) != 0)
            return ga_err_set(err, GA_EINVAL, "PostgreSQL destination '%s' must be a "
                              "connection string like PG:\"dbname=maps\"", o->dest);
        snprintf(j->t[0].final, sizeof j->t[0].final, "%s", o->dest);
        j->t[0].layers = o->layers;
        j->nt = 1;
        return GA_OK;
    }
    if (strncasecmp(o->dest, "PG:", 3) == 0)
        return ga_err_set(err, GA_EINVAL, "'%s' is a PostgreSQL connection; use "
                          "-f PostgreSQL", o->dest);
    if (j->fi->multi || nlayers == 1) {
        snprintf(j->t[0].final, sizeof j->t[0].final, "%s", o->dest);
        j->t[0].layers = o->layers;
        j->nt = 1;
    } else {
        /* One file per layer in the directory dest. */
        struct stat sb;
        snprintf(j->dir, sizeof j->dir, "%s", o->dest);
        if (stat(j->dir, &sb) == 0) {
            if (!S_ISDIR(sb.st_mode))
                return ga_err_set(err, GA_EINVAL, "'%s' is a file, but %s writes one file "
                                  "per layer: with several layers -o names a directory",
                                  o->dest, j->fi->name);
        } else {
            char parent[4096];
            dir_of(j->dir, parent, sizeof parent);
            if (stat(parent, &sb) != 0 || !S_ISDIR(sb.st_mode))
                return ga_err_set(err, GA_EIO, "cannot create directory '%s': directory "
                                  "'%s' does not exist", j->dir, parent);
            if (mkdir(j->dir, 0755) != 0)
                return ga_err_set(err, GA_EIO, "cannot create directory '%s': %s", j->dir,
                                  strerror(errno));
            j->made_dir = 1;
        }
        for (int i = 0; i < GA_LAYER_COUNT; i++) {
            if (!(o->layers & (1 << i))) continue;
            xtarget *t = &j->t[j->nt++];
            snprintf(t->final, sizeof t->final, "%s/%s.%s", j->dir, layer_names[i], j->fi->ext);
            t->layers = 1 << i;
        }
    }
    for (int i = 0; i < j->nt; i++) {
        xtarget *t = &j->t[i];
        t->is_file = 1;
        struct stat sb;
        if (stat(t->final, &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                return ga_err_set(err, GA_EINVAL, "'%s' is a directory", t->final);
            if (!o->overwrite && !o->append)
                return ga_err_set(err, GA_EINVAL, "'%s' already exists; use --overwrite to "
                                  "replace it%s", t->final,
                                  o->format == GA_FMT_GPKG ? " or --append to add to it" : "");
            t->existed = 1;
        }
        tmp_name(t->final, j->fi->ext, "tmp", t->tmp, sizeof t->tmp);
        tmp_name(t->final, j->fi->ext, "hxl", t->tmp2, sizeof t->tmp2);
        ga_rc rc = check_writable(t->final, t->tmp, err);
        if (rc) return rc;
    }
    return GA_OK;
}

static ga_rc open_targets(xjob *j)
{
    ga_err *err = j->err;
    GDALDriverH drv = GDALGetDriverByName(j->fi->driver);
    if (!drv)
        return ga_err_set(err, GA_EINVAL, "this GDAL has no %s driver", j->fi->driver);
    for (int i = 0; i < j->nt; i++) {
        xtarget *t = &j->t[i];
        CPLErrorReset();
        if (!t->is_file) {
            const char *drivers[] = {"PostgreSQL", NULL};
            t->ds = GDALOpenEx(t->final, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
            if (!t->ds) {
                char masked[1024];
                pg_masked(t->final, masked, sizeof masked);
                char msg[768];
                snprintf(msg, sizeof msg, "%s", ga_export_gdal_msg("connection failed"));
                /* libpq's message spans lines and ends in a newline. */
                for (char *c = msg; *c; c++) if (*c == '\n' || *c == '\t') *c = ' ';
                for (size_t k = strlen(msg); k > 0 && msg[k - 1] == ' '; k--) msg[k - 1] = 0;
                return ga_err_set(err, GA_EIO, "cannot connect to PostgreSQL '%s': %s",
                                  masked, msg);
            }
        } else if (j->o->append && t->existed) {
            ga_rc rc = ga_copy_file(t->final, t->tmp, err);
            if (rc) return rc;
            t->ds = GDALOpenEx(t->tmp, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
            if (!t->ds)
                return ga_err_set(err, GA_EIO, "cannot open '%s' to append to it: %s",
                                  t->final, ga_export_gdal_msg("not a GeoPackage"));
        } else {
            char **dsco = NULL;
            if (j->o->format == GA_FMT_KML) {
                dsco = CSLSetNameValue(dsco, "NameField", "name");
                dsco = CSLSetNameValue(dsco, "DescriptionField", "sentence");
            }
            t->ds = GDALCreate(drv, t->tmp, 0, 0, 0, GDT_Unknown, dsco);
            CSLDestroy(dsco);
            if (!t->ds)
                return ga_err_set(err, GA_EIO, "cannot write '%s': %s", t->final,
                                  ga_export_gdal_msg("driver failed"));
        }
        if (j->o->format == GA_FMT_GPKG) {
            /* Rows appended to an existing layer (--append) go into its
             * R*Tree one by one, through GDAL's triggers (new layers are
             * indexed after their rows, gpkg_index.c). With SQLite's
             * default 2 MB page cache the tree's nodes are written out and
             * read back again for nearly every insert; a cache that holds
             * the whole index (about 50 MB per million points) keeps that
             * work in memory. The cache only grows as pages are used, so
             * small exports stay small. */
            OGRLayerH r = GDALDatasetExecuteSQL(t->ds, "PRAGMA cache_size = -262144", NULL,
                                                NULL);
            if (r) GDALDatasetReleaseResultSet(t->ds, r);
        }
        if (j->o->format == GA_FMT_GPKG || j->o->format == GA_FMT_POSTGRESQL) {
            if (GDALDatasetStartTransaction(t->ds, FALSE) != OGRERR_NONE)
                return ga_err_set(err, GA_EIO, "cannot start a transaction on '%s': %s",
                                  t->is_file ? t->final : "PostgreSQL",
                                  ga_export_gdal_msg("driver refused"));
            t->in_txn = 1;
        }
    }
    return GA_OK;
}

/* The layer creation options of format for xl (a CSLSetNameValue list). */
static char **layer_options(const xjob *j, const ga_xlayer *xl)
{
    char **lco = NULL;
    if (j->fi->has_desc && j->attrib) lco = CSLSetNameValue(lco, "DESCRIPTION", j->attrib);
    switch (j->o->format) {
    case GA_FMT_GEOJSON:
        lco = CSLSetNameValue(lco, "RFC7946", "YES");
        break;
    case GA_FMT_GPKG:
        lco = CSLSetNameValue(lco, "IDENTIFIER", xl->name);
        break;
    case GA_FMT_CSV:
        if (xl->gtype != wkbPoint) lco = CSLSetNameValue(lco, "GEOMETRY", "AS_WKT");
        /* The default (IF_AMBIGUOUS) puts quotes around integers. */
        lco = CSLSetNameValue(lco, "STRING_QUOTING", "IF_NEEDED");
        break;
    case GA_FMT_POSTGRESQL:
        lco = CSLSetNameValue(lco, "GEOMETRY_NAME", "geom");
        break;
    default:
        break;
    }
    return lco;
}

static ga_rc create_layer(xjob *j, xtarget *t, ga_xlayer *xl)
{
    ga_err *err = j->err;
    const ga_export_opts *o = j->o;
    int csv = o->format == GA_FMT_CSV;
    OGRLayerH existing = GDALDatasetGetLayerByName(t->ds, xl->name);
    if (existing && !t->is_file) {
        if (o->append) {
            xl->lyr = existing;
        } else if (o->overwrite) {
            int n = GDALDatasetGetLayerCount(t->ds);
            for (int i = 0; i < n; i++)
                if (GDALDatasetGetLayer(t->ds, i) == existing) {
                    if (GDALDatasetDeleteLayer(t->ds, i) != OGRERR_NONE)
                        return ga_err_set(err, GA_EIO, "cannot drop table '%s': %s", xl->name,
                                          ga_export_gdal_msg("driver refused"));
                    break;
                }
        } else {
            return ga_err_set(err, GA_EINVAL, "table '%s' already exists in the PostgreSQL "
                              "database; use --overwrite to replace it or --append to add "
                              "to it", xl->name);
        }
    } else if (existing) {
        xl->lyr = existing;   /* appending to a copy of an existing GeoPackage */
    }
    int created = !xl->lyr;
    if (created) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(srs, 4326);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
        char **lco = layer_options(j, xl);
        OGRwkbGeometryType gt = csv && xl->gtype == wkbPoint ? wkbNone : xl->gtype;
        CPLErrorReset();
        xl->lyr = GDALDatasetCreateLayer(t->ds, xl->name, gt == wkbNone ? NULL : srs, gt, lco);
        CSLDestroy(lco);
        OSRDestroySpatialReference(srs);
        if (!xl->lyr)
            return ga_err_set(err, GA_EIO, "cannot create layer '%s' in '%s': %s", xl->name,
                              t->is_file ? t->final : "PostgreSQL",
                              ga_export_gdal_msg("driver refused"));
    }
    xl->ds = t->ds;
    ga_rc rc = ga_xlayer_bind(xl, err);
    /* A new GeoPackage layer gets its spatial index after its rows. */
    if (rc == GA_OK && created && o->format == GA_FMT_GPKG) rc = ga_gpkg_index_begin(xl, err);
    return rc;
}

/* Existing PostgreSQL tables need --overwrite or --append; say so before
 * writing anything. */
static ga_rc check_tables(xjob *j)
{
    for (int ti = 0; ti < j->nt; ti++) {
        xtarget *t = &j->t[ti];
        if (t->is_file || j->o->overwrite || j->o->append) continue;
        for (int i = 0; i < GA_LAYER_COUNT; i++)
            if ((t->layers & (1 << i)) && GDALDatasetGetLayerByName(t->ds, layer_names[i]))
                return ga_err_set(j->err, GA_EINVAL, "table '%s' already exists in the "
                                  "PostgreSQL database; use --overwrite to replace it or "
                                  "--append to add to it", layer_names[i]);
    }
    return GA_OK;
}

/* Create the layer of bit (if requested and not yet created). Layers are
 * created just before they are written, since some drivers (KML) write
 * layers one after the other. */
static ga_rc ensure_layer(xjob *j, int bit)
{
    ga_xlayer *xl = &j->xl[layer_index(bit)];
    if (!(j->o->layers & bit) || xl->lyr) return GA_OK;
    for (int ti = 0; ti < j->nt; ti++)
        if (j->t[ti].layers & bit) return create_layer(j, &j->t[ti], xl);
    return GA_OK;
}

/* ---- the events pass ------------------------------------------------- */

static int flow_seen(xjob *j, const ga_event_row *e)
{
    char key[1024];
    snprintf(key, sizeof key, "%s|%s|%s|%s|%.6f|%.6f|%.6f|%.6f", e->doc_id ? e->doc_id : "",
             e->type ? e->type : "", e->status ? e->status : "",
             e->event_date ? e->event_date : "", e->origin_lon, e->origin_lat, e->dest_lon,
             e->dest_lat);
    uint64_t h = ga_hash64(key, strlen(key));
    if (!h) h = 1;
    if ((j->seen_n + 1) * 2 > j->seen_cap) {
        size_t ncap = j->seen_cap ? j->seen_cap * 2 : 1024;
        uint64_t *nv = calloc(ncap, sizeof *nv);
        if (!nv) return -1;
        for (size_t i = 0; i < j->seen_cap; i++) {
            if (!j->seen[i]) continue;
            size_t k = j->seen[i] & (ncap - 1);
            while (nv[k]) k = (k + 1) & (ncap - 1);
            nv[k] = j->seen[i];
        }
        free(j->seen);
        j->seen = nv;
        j->seen_cap = ncap;
    }
    size_t k = h & (j->seen_cap - 1);
    while (j->seen[k] && j->seen[k] != h) k = (k + 1) & (j->seen_cap - 1);
    if (j->seen[k]) return 1;
    j->seen[k] = h;
    j->seen_n++;
    return 0;
}

static void track_extent(ga_export_stats *s, const ga_event_row *e)
{
    if (!isnan(e->lon) && !isnan(e->lat)) {
        if (isnan(s->west) || e->lon < s->west) s->west = e->lon;
        if (isnan(s->east) || e->lon > s->east) s->east = e->lon;
        if (isnan(s->south) || e->lat < s->south) s->south = e->lat;
        if (isnan(s->north) || e->lat > s->north) s->north = e->lat;
    }
    if (e->event_date && strlen(e->event_date) >= 10) {
        if (!s->date_min[0] || strncmp(e->event_date, s->date_min, 10) < 0)
            snprintf(s->date_min, sizeof s->date_min, "%.10s", e->event_date);
        if (!s->date_max[0] || strncmp(e->event_date, s->date_max, 10) > 0)
            snprintf(s->date_max, sizeof s->date_max, "%.10s", e->event_date);
    }
}

static int progress(xjob *j, const char *what)
{
    if (!j->o->progress) return 1;
    double frac = j->total > 0 ? (double)j->done / (double)j->total : -1;
    if (frac > 1) frac = 1;
    return j->o->progress(frac, what, j->o->progress_arg);
}

static int on_event(const ga_event_row *e, void *arg)
{
    xjob *j = arg;
    ga_xlayer *ev = &j->xl[layer_index(GA_LAYER_EVENTS)];
    ga_xlayer *fl = &j->xl[layer_index(GA_LAYER_FLOWS)];
    /* An event at a place the gazetteer could not resolve has no point; it
     * stays in the database (and in `query`) but is not a map feature. */
    int located = !isnan(e->lon) && !isnan(e->lat);
    if (ev->lyr && !j->skip_events && located && (j->rc = ga_xlayer_event(ev, e, j->err)))
        return 0;
    if (fl->lyr && !j->skip_flows && !isnan(e->origin_lon) && !isnan(e->origin_lat) && !isnan(e->dest_lon) &&
        !isnan(e->dest_lat)) {
        int seen = flow_seen(j, e);
        if (seen < 0) { j->rc = ga_err_set(j->err, GA_ENOMEM, "out of memory"); return 0; }
        if (!seen && (j->rc = ga_xlayer_flow(fl, e, j->err))) return 0;
    }
    if (j->skip_events) return 1;   /* second pass (flows only): all else done */
    if (j->sel && (j->rc = ga_export_sel_add(j->sel, e->id, j->err))) return 0;
    track_extent(j->stats, e);
    if ((++j->done & 1023) == 0 && !progress(j, "events")) {
        j->rc = ga_err_set(j->err, GA_ECANCEL, "export cancelled");
        return 0;
    }
    return 1;
}

static int on_mention(const ga_mention_row *m, void *arg)
{
    xjob *j = arg;
    j->rc = ga_xlayer_mention(&j->xl[layer_index(GA_LAYER_MENTIONS)], m, j->err);
    return j->rc == GA_OK;
}

static int on_place(const ga_place_row *p, void *arg)
{
    xjob *j = arg;
    j->rc = ga_xlayer_place(&j->xl[layer_index(GA_LAYER_PLACES)], p, j->err);
    return j->rc == GA_OK;
}

static int on_region(const ga_xregion_row *r, void *arg)
{
    xjob *j = arg;
    j->rc = ga_xlayer_region(&j->xl[layer_index(GA_LAYER_REGIONS)], r, j->err);
    return j->rc == GA_OK;
}

static int filter_is_empty(const ga_filter *f)
{
    return !f || (!f->region && !f->has_bbox && !f->near && !f->date_from && !f->date_to &&
                  !f->type && !f->status && !f->min_precision && !f->limit);
}

/* A callback's own failure is in j->rc; GA_ECANCEL from the store means
 * the callback stopped it. */
static ga_rc pass_rc(xjob *j, ga_rc rc)
{
    if (j->rc) return j->rc;
    return rc;
}

static ga_rc write_layers(xjob *j)
{
    const ga_export_opts *o = j->o;
    const ga_filter *f = o->filter ? o->filter : &j->nofilter;
    int regions = o->layers & GA_LAYER_REGIONS;
    int all = filter_is_empty(o->filter);
    ga_rc rc = GA_OK;
    /* Regions count the selected events: keep their ids. */
    if (regions && (rc = ga_export_sel_new(j->st, all, &j->sel, j->err))) return rc;
    if ((o->layers & (GA_LAYER_EVENTS | GA_LAYER_FLOWS)) || (regions && !all)) {
        if ((rc = ga_export_count(j->st, "events", &j->total, j->err))) return rc;
        j->done = 0;
        progress(j, "events");
        /* Some drivers (KML) cannot interleave features of two layers of
         * one dataset: flows get their own pass there. */
        int split = (o->layers & GA_LAYER_EVENTS) && (o->layers & GA_LAYER_FLOWS) &&
                    j->fi->multi && j->nt == 1 &&
                    !GDALDatasetTestCapability(j->t[0].ds, ODsCRandomLayerWrite);
        if ((rc = ensure_layer(j, GA_LAYER_EVENTS))) return rc;
        if (!split && (rc = ensure_layer(j, GA_LAYER_FLOWS))) return rc;
        j->skip_flows = split;
        ga_filter uf = *f;      /* a layer has no order: skip the sort by date */
        uf.unordered = 1;
        rc = pass_rc(j, ga_store_events_each(j->st, &uf, on_event, j, j->err));
        if (rc) return rc;
        if (split) {
            if ((rc = ensure_layer(j, GA_LAYER_FLOWS))) return rc;
            j->skip_flows = 0;
            j->skip_events = 1;
            rc = pass_rc(j, ga_store_events_each(j->st, &uf, on_event, j, j->err));
            if (rc) return rc;
        }
        j->done = j->total;
        progress(j, "events");
    }
    if (o->layers & GA_LAYER_MENTIONS) {
        if ((rc = ensure_layer(j, GA_LAYER_MENTIONS))) return rc;
        if (o->progress) o->progress(-1, "mentions", o->progress_arg);
        if ((rc = pass_rc(j, ga_store_mentions_each(j->st, f, on_mention, j, j->err)))) return rc;
    }
    if (o->layers & GA_LAYER_PLACES) {
        if ((rc = ensure_layer(j, GA_LAYER_PLACES))) return rc;
        if (o->progress) o->progress(-1, "places", o->progress_arg);
        rc = pass_rc(j, ga_store_places_referred_each(j->st, f, on_place, j, j->err));
        if (rc) return rc;
    }
    if (o->layers & GA_LAYER_REGIONS) {
        if ((rc = ensure_layer(j, GA_LAYER_REGIONS))) return rc;
        if (o->progress) o->progress(-1, "regions", o->progress_arg);
        rc = pass_rc(j, ga_export_regions_each(j->sel, o->region_level ? o->region_level : "adm1",
                                               j->types, on_region, j, j->err));
        if (rc) return rc;
    }
    return GA_OK;
}

/* Close dataset t; with commit, first put back what the layers' spatial
 * indexes set aside and commit, and once it is closed fill the indexes.
 * Without, roll back. Returns the first error. */
static ga_rc close_target(xjob *j, xtarget *t, int commit)
{
    ga_rc rc = GA_OK;
    GDALDatasetH ds = t->ds;
    for (int k = 0; k < GA_LAYER_COUNT; k++) {
        if (j->xl[k].ds != ds) continue;
        ga_xlayer_release(&j->xl[k]);
        if (commit && rc == GA_OK) rc = ga_gpkg_index_end(&j->xl[k], j->err);
    }
    if (t->in_txn) {
        if (commit && rc == GA_OK) {
            if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
                rc = ga_err_set(j->err, GA_EIO, "cannot commit '%s': %s",
                                t->is_file ? t->final : "PostgreSQL",
                                ga_export_gdal_msg("driver refused"));
        } else {
            GDALDatasetRollbackTransaction(ds);
        }
        t->in_txn = 0;
    }
    CPLErrorReset();
    GDALClose(ds);
    t->ds = NULL;
    if (commit && rc == GA_OK && CPLGetLastErrorType() >= CE_Failure)
        rc = ga_err_set(j->err, GA_EIO, "cannot finish '%s': %s",
                        t->is_file ? t->final : "PostgreSQL",
                        ga_export_gdal_msg("driver failed"));
    /* ds is closed: the pointer only says which layers it held */
    for (int k = 0; k < GA_LAYER_COUNT && commit && rc == GA_OK; k++)
        if (j->xl[k].ds == ds) rc = ga_gpkg_index_fill(&j->xl[k], t->tmp, t->final, j->err);
    return rc;
}

/* Close every dataset; on success commit first. Returns the first error. */
static ga_rc close_targets(xjob *j, int commit)
{
    ga_rc rc = GA_OK;
    for (int i = 0; i < j->nt; i++) {
        if (!j->t[i].ds) continue;
        ga_rc r = close_target(j, &j->t[i], commit && rc == GA_OK);
        if (rc == GA_OK) rc = r;
    }
    return rc;
}

static void remove_temps(xjob *j)
{
    for (int i = 0; i < j->nt; i++) {
        if (!j->t[i].is_file) continue;
        unlink(j->t[i].tmp);
        unlink(j->t[i].tmp2);
    }
    if (j->made_dir) rmdir(j->dir);
}

static ga_rc write_sidecar(xjob *j)
{
    if (j->fi->has_desc || !j->attrib) return GA_OK;
    char path[4200];
    if (j->dir[0]) snprintf(path, sizeof path, "%s/ATTRIBUTION.txt", j->dir);
    else snprintf(path, sizeof path, "%s.ATTRIBUTION.txt", j->t[0].final);
    FILE *f = fopen(path, "w");
    if (!f) return ga_err_set(j->err, GA_EIO, "cannot write '%s': %s", path, strerror(errno));
    fprintf(f, "%s\n", j->attrib);
    if (fclose(f) != 0) return ga_err_set(j->err, GA_EIO, "cannot write '%s'", path);
    return GA_OK;
}

static ga_rc finish_files(xjob *j)
{
    for (int i = 0; i < j->nt; i++) {
        xtarget *t = &j->t[i];
        if (!t->is_file) continue;
        if (j->o->format == GA_FMT_CSV) {
            ga_rc rc = ga_csv_add_hxl(&j->xl[layer_index(t->layers)], t->tmp, t->tmp2, j->err);
            if (rc) return rc;
            unlink(t->tmp);
        }
    }
    /* Everything is complete: move into place. */
    for (int i = 0; i < j->nt; i++) {
        xtarget *t = &j->t[i];
        if (!t->is_file) continue;
        const char *src = j->o->format == GA_FMT_CSV ? t->tmp2 : t->tmp;
        if (rename(src, t->final) != 0)
            return ga_err_set(j->err, GA_EIO, "cannot rename '%s' to '%s': %s", src, t->final,
                              strerror(errno));
    }
    return write_sidecar(j);
}

ga_rc ga_export_write(ga_store *st, const ga_export_opts *o, ga_export_stats *stats,
                      ga_err *err)
{
    ga_export_stats local;
    if (!stats) stats = &local;
    memset(stats, 0, sizeof *stats);
    stats->west = stats->south = stats->east = stats->north = NAN;
    if (!o->dest || !*o->dest) return ga_err_set(err, GA_EINVAL, "no destination (-o)");
    if ((unsigned)o->format >= GA_FMT_COUNT)
        return ga_err_set(err, GA_EINVAL, "unknown format; supported: %s", ga_export_format_list());
    if (!(o->layers & GA_LAYER_ALL)) return ga_err_set(err, GA_EINVAL, "no layer to export");
    if (o->append && o->overwrite)
        return ga_err_set(err, GA_EINVAL, "--append and --overwrite exclude each other");
    if (o->append && o->format != GA_FMT_GPKG && o->format != GA_FMT_POSTGRESQL)
        return ga_err_set(err, GA_EINVAL, "--append works with GPKG and PostgreSQL only, "
                          "not %s", fmts[o->format].name);

    xjob *j = calloc(1, sizeof *j);
    if (!j) return ga_err_set(err, GA_ENOMEM, "out of memory");
    j->st = st;
    j->o = o;
    j->fi = &fmts[o->format];
    j->stats = stats;
    j->err = err;
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();

    ga_rc rc = plan(j);
    if (rc) goto done;
    if (!(j->attrib = ga_export_attribution(st, err))) { rc = err->rc ? err->rc : GA_ENOMEM; goto done; }
    if ((o->layers & GA_LAYER_REGIONS) && (rc = ga_export_types(st, &j->types, err))) goto done;
    for (int i = 0; i < GA_LAYER_COUNT; i++) {
        if (!(o->layers & (1 << i))) continue;
        if ((rc = ga_xlayer_init(&j->xl[i], 1 << i, j->types, o->region_level,
                                 o->format == GA_FMT_CSV, err)))
            goto done;
    }
    if ((rc = open_targets(j))) goto done;
    if ((rc = check_tables(j))) goto done;
    if ((rc = write_layers(j))) goto done;
    for (int i = 0; i < GA_LAYER_COUNT; i++) stats->features[i] = j->xl[i].written;
    if ((rc = close_targets(j, 1))) goto done;
    if ((rc = finish_files(j))) goto done;
    for (int ti = 0; ti < j->nt; ti++)
        for (int i = 0; i < GA_LAYER_COUNT; i++)
            if (j->t[ti].layers & (1 << i)) {
                if (j->t[ti].is_file)
                    snprintf(stats->paths[i], sizeof stats->paths[i], "%s", j->t[ti].final);
                else
                    pg_masked(j->t[ti].final, stats->paths[i], sizeof stats->paths[i]);
            }
done:
    if (rc) {
        close_targets(j, 0);
        remove_temps(j);
    }
    ga_export_sel_free(j->sel);
    for (int i = 0; i < GA_LAYER_COUNT; i++) ga_xlayer_clear(&j->xl[i]);
    ga_export_types_free(j->types);
    free(j->attrib);
    free(j->seen);
    free(j);
    CPLPopErrorHandler();
    return rc;
}
