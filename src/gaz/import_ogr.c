/*
 * import_ogr.c: importing places and admin boundaries from any vector
 * file OGR can read (GeoJSON, Shapefile, GeoPackage, CSV with geometry
 * ...), and the generic feature reader other importers use (ga_import.h).
 *
 * This module and src/export are the only includers of the GDAL/OGR
 * headers; everything else reaches vector files through ga_vector_each()
 * and the ga_vfeat_* getters below, which hand out plain strings, WKB and
 * (lon, lat) pairs.
 *
 * Geometry is transformed to EPSG:4326 in traditional GIS order (longitude
 * first) when the layer declares another CRS. Field values are checked for
 * UTF-8: invalid bytes are replaced by U+FFFD and reported once per
 * feature and field, and the feature is imported anyway (real OCHA files
 * hold a few truncated Arabic names).
 *
 * Field auto-detection follows the OCHA COD conventions: names NAME_EN or
 * ADMn_EN, P-codes PCODE or ADMn_PCODE, parent codes ADMIN1_COD/ADM1_PCODE
 * and ADMIN2_COD/ADM2_PCODE with their _EN names, alternate names
 * NAM_EN_REF and NAME_ARA/ADMn_AR.
 */
#define _POSIX_C_SOURCE 200809L
#include "gaz/ga_import.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_error.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/ga_store_gaz.h"
#include "text/ga_text.h"

enum { VF_SLOTS = 64, VF_WARNED = 64 };

struct ga_vfeat {
    const char *path;              /* file being read, for messages */
    OGRFeatureH feat;              /* current feature */
    OGRFeatureDefnH defn;          /* layer definition */
    OGRCoordinateTransformationH ct;   /* to EPSG:4326, or NULL */
    size_t number;                 /* 1-based feature number */
    ga_buf slots[VF_SLOTS];        /* storage of strings handed out */
    int nslot;                     /* next slot to use */
    int warned[VF_WARNED];         /* field indices already reported this feature */
    int nwarned;
    OGRGeometryH geom;             /* transformed clone of the geometry, or NULL */
    int geom_done;                 /* 1 once geom was computed for this feature */
    unsigned char *wkb;            /* WKB of geom */
    size_t wkb_cap;
    const ga_import_io *io;        /* warnings */
    ga_import_stats *stats;        /* warning count */
};

static void vwarn(ga_vfeat *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vwarn(ga_vfeat *f, const char *fmt, ...)
{
    if (f->stats) f->stats->warnings++;
    if (!f->io || !f->io->warn) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    f->io->warn(msg, f->io->warn_arg);
}

size_t ga_vfeat_number(const ga_vfeat *f) { return f->number; }
int ga_vfeat_nfields(const ga_vfeat *f) { return OGR_FD_GetFieldCount(f->defn); }

const char *ga_vfeat_field_name(const ga_vfeat *f, int i)
{
    OGRFieldDefnH fd = OGR_FD_GetFieldDefn(f->defn, i);
    return fd ? OGR_Fld_GetNameRef(fd) : NULL;
}

const char *ga_vfeat_str(ga_vfeat *f, const char *name)
{
    if (!name || !*name) return NULL;
    int i = OGR_FD_GetFieldIndex(f->defn, name);
    if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f->feat, i)) return NULL;
    const char *v = OGR_F_GetFieldAsString(f->feat, i);
    if (!v) return NULL;
    /* Trim surrounding blanks: OCHA fields often carry them. */
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    if (n == 0) return NULL;
    ga_buf *b = &f->slots[f->nslot];
    f->nslot = (f->nslot + 1) % VF_SLOTS;
    ga_buf_reset(b);
    size_t nbad = 0, first = 0;
    if (ga_utf8_sanitize(v, n, b, &nbad, &first) != GA_OK) return NULL;
    if (nbad) {
        int seen = 0;
        for (int k = 0; k < f->nwarned; k++) seen |= f->warned[k] == i;
        if (!seen) {
            if (f->nwarned < VF_WARNED) f->warned[f->nwarned++] = i;
            vwarn(f, "%s: feature %zu, field %s: invalid UTF-8 replaced", f->path, f->number,
                  name);
        }
    }
    return b->len ? b->data : NULL;
}

/* The geometry of the current feature, 2D, in EPSG:4326, or NULL. */
static OGRGeometryH vgeom(ga_vfeat *f)
{
    if (f->geom_done) return f->geom;
    f->geom_done = 1;
    OGRGeometryH g = OGR_F_GetGeometryRef(f->feat);
    if (!g || OGR_G_IsEmpty(g)) return NULL;
    g = OGR_G_Clone(g);
    if (!g) return NULL;
    OGR_G_FlattenTo2D(g);
    if (f->ct && OGR_G_Transform(g, f->ct) != OGRERR_NONE) {
        OGR_G_DestroyGeometry(g);
        vwarn(f, "%s: feature %zu: geometry cannot be transformed to EPSG:4326", f->path,
              f->number);
        return NULL;
    }
    f->geom = g;
    return g;
}

int ga_vfeat_is_polygon(const ga_vfeat *f)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f->feat);
    if (!g) return 0;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface;
}

ga_rc ga_vfeat_wkb(ga_vfeat *f, const unsigned char **wkb, size_t *len, ga_err *err)
{
    *wkb = NULL;
    *len = 0;
    OGRGeometryH g = vgeom(f);
    if (!g) return GA_OK;
    size_t n = (size_t)OGR_G_WkbSize(g);
    if (n > f->wkb_cap) {
        unsigned char *p = realloc(f->wkb, n);
        if (!p) return ga_err_set(err, GA_ENOMEM, "out of memory");
        f->wkb = p;
        f->wkb_cap = n;
    }
    if (OGR_G_ExportToWkb(g, wkbNDR, f->wkb) != OGRERR_NONE)
        return ga_err_set(err, GA_EFORMAT, "%s: feature %zu: cannot encode geometry", f->path,
                          f->number);
    *wkb = f->wkb;
    *len = n;
    return GA_OK;
}

int ga_vfeat_point(ga_vfeat *f, double *lon, double *lat)
{
    OGRGeometryH g = vgeom(f);
    if (!g) return 0;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint) {
        *lon = OGR_G_GetX(g, 0);
        *lat = OGR_G_GetY(g, 0);
        return 1;
    }
    if (t == wkbMultiPoint && OGR_G_GetGeometryCount(g) > 0) {
        OGRGeometryH p = OGR_G_GetGeometryRef(g, 0);
        *lon = OGR_G_GetX(p, 0);
        *lat = OGR_G_GetY(p, 0);
        return 1;
    }
    OGRGeometryH p = OGR_G_PointOnSurface(g);
    if (!p || OGR_G_IsEmpty(p)) {
        if (p) OGR_G_DestroyGeometry(p);
        p = OGR_G_CreateGeometry(wkbPoint);
        if (!p || OGR_G_Centroid(g, p) != OGRERR_NONE || OGR_G_IsEmpty(p)) {
            if (p) OGR_G_DestroyGeometry(p);
            return 0;
        }
    }
    *lon = OGR_G_GetX(p, 0);
    *lat = OGR_G_GetY(p, 0);
    OGR_G_DestroyGeometry(p);
    return 1;
}

/* Does polygon poly (exterior ring minus holes) contain (x, y)? */
static int poly_contains(OGRGeometryH poly, double x, double y)
{
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    if (!pt) return 0;
    OGR_G_SetPoint_2D(pt, 0, x, y);
    int in = OGR_G_Contains(poly, pt);
    OGR_G_DestroyGeometry(pt);
    return in;
}

int ga_vfeat_rep_point(ga_vfeat *f, double *lon, double *lat)
{
    OGRGeometryH g = vgeom(f);
    if (!g) return 0;
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    OGRGeometryH part = NULL;
    if (t == wkbPolygon) part = g;
    else if (t == wkbMultiPolygon) {
        double best = -1;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            OGRGeometryH q = OGR_G_GetGeometryRef(g, i);
            double a = q ? OGR_G_Area(q) : 0;
            if (q && a > best) { best = a; part = q; }
        }
    }
    if (!part) return ga_vfeat_point(f, lon, lat);
    OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
    if (c && OGR_G_Centroid(part, c) == OGRERR_NONE && !OGR_G_IsEmpty(c) &&
        poly_contains(part, OGR_G_GetX(c, 0), OGR_G_GetY(c, 0))) {
        *lon = OGR_G_GetX(c, 0);
        *lat = OGR_G_GetY(c, 0);
        OGR_G_DestroyGeometry(c);
        return 1;
    }
    if (c) OGR_G_DestroyGeometry(c);
    OGRGeometryH p = OGR_G_PointOnSurface(part);
    if (!p || OGR_G_IsEmpty(p)) {
        if (p) OGR_G_DestroyGeometry(p);
        return ga_vfeat_point(f, lon, lat);
    }
    *lon = OGR_G_GetX(p, 0);
    *lat = OGR_G_GetY(p, 0);
    OGR_G_DestroyGeometry(p);
    return 1;
}

static void vfeat_clear(ga_vfeat *f)
{
    if (f->feat) OGR_F_Destroy(f->feat);
    if (f->geom) OGR_G_DestroyGeometry(f->geom);
    f->feat = NULL;
    f->geom = NULL;
    f->geom_done = 0;
    f->nslot = 0;
    f->nwarned = 0;
}

/* A transformation from the layer's CRS to EPSG:4326 (lon, lat), or NULL
 * when the layer already is in geographic WGS 84 or declares no CRS. */
static OGRCoordinateTransformationH to_wgs84(OGRLayerH lyr, OGRSpatialReferenceH *tgt_out)
{
    *tgt_out = NULL;
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(lyr);
    if (!src) return NULL;
    OGRSpatialReferenceH tgt = OSRNewSpatialReference(NULL);
    if (!tgt) return NULL;
    OSRImportFromEPSG(tgt, 4326);
    OSRSetAxisMappingStrategy(tgt, OAMS_TRADITIONAL_GIS_ORDER);
    *tgt_out = tgt;
    OGRSpatialReferenceH s = OSRClone(src);
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    const char *opts[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", NULL};
    OGRCoordinateTransformationH ct = NULL;
    if (!OSRIsSameEx(s, tgt, opts)) ct = OCTNewCoordinateTransformation(s, tgt);
    OSRDestroySpatialReference(s);
    return ct;
}

ga_rc ga_vector_each(const char *path, const char *layer, ga_vfeat_cb cb, void *arg,
                     const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    GDALAllRegister();   /* idempotent: registers the drivers once */
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    ga_rc rc = GA_OK;
    ga_vfeat f;
    memset(&f, 0, sizeof f);
    f.path = path;
    f.io = io;
    f.stats = stats;
    OGRSpatialReferenceH tgt = NULL;
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    if (!ds) {
        const char *m = CPLGetLastErrorMsg();
        rc = ga_err_set(err, GA_EFORMAT, "cannot open '%s' as a vector file%s%s", path,
                        m && *m ? ": " : "", m && *m ? m : "");
        goto done;
    }
    OGRLayerH lyr = layer ? GDALDatasetGetLayerByName(ds, layer) : GDALDatasetGetLayer(ds, 0);
    if (!lyr) {
        if (layer) rc = ga_err_set(err, GA_ENOTFOUND, "'%s' has no layer '%s'", path, layer);
        else rc = ga_err_set(err, GA_ENOTFOUND, "'%s' has no layers", path);
        goto done;
    }
    f.defn = OGR_L_GetLayerDefn(lyr);
    f.ct = to_wgs84(lyr, &tgt);
    GIntBig total = OGR_L_GetFeatureCount(lyr, 1);
    OGR_L_ResetReading(lyr);
    for (;;) {
        CPLErrorReset();
        OGRFeatureH ft = OGR_L_GetNextFeature(lyr);
        if (!ft) {
            if (CPLGetLastErrorType() >= CE_Failure) {
                rc = ga_err_set(err, GA_EFORMAT, "cannot read '%s' after feature %zu: %s", path,
                                f.number, CPLGetLastErrorMsg());
            }
            break;
        }
        f.feat = ft;
        f.number++;
        rc = cb(&f, arg, err);
        vfeat_clear(&f);
        if (rc) break;
        if (io && io->progress && total > 0 && (f.number % 256) == 0 &&
            !io->progress((double)f.number / (double)total, "reading features",
                          io->progress_arg)) {
            rc = ga_err_set(err, GA_ECANCEL, "import cancelled");
            break;
        }
    }
done:
    vfeat_clear(&f);
    for (int i = 0; i < VF_SLOTS; i++) ga_buf_free(&f.slots[i]);
    free(f.wkb);
    if (f.ct) OCTDestroyCoordinateTransformation(f.ct);
    if (tgt) OSRDestroySpatialReference(tgt);
    if (ds) GDALClose(ds);
    CPLPopErrorHandler();
    return rc;
}

/* ---- places and boundaries -------------------------------------------- */

typedef struct {
    ga_store *st;
    ga_gaz_writer *w;
    const ga_ogr_opts *o;
    const char *path;
    const char *base;            /* file name without directories */
    int boundaries;              /* 1: polygons as admin areas */
    ga_kind kind;                /* kind of every place */
    const char *source, *prefix; /* names source, gid prefix */
    /* Fields, resolved on the first feature (NULL: none). */
    int resolved;
    const char *f_name, *f_code, *f_a1, *f_a1n, *f_a2, *f_a2n;
    const char *f_alt[16];
    int nalt;
    char alt_copy[512];          /* storage of the split alt_name_fields */
    ga_import_stats *stats;
    const ga_import_io *io;
    ga_country_boxes boxes;      /* for the swapped-coordinates check */
} ogr_ctx;

/* First of the candidate field names that the layer has (case-insensitive,
 * as OGR matches them), or NULL. */
static const char *pick_field(ga_vfeat *f, const char *const *cands)
{
    for (; *cands; cands++)
        if (OGR_FD_GetFieldIndex(f->defn, *cands) >= 0) return *cands;
    return NULL;
}

static ga_rc need_field(ogr_ctx *c, ga_vfeat *f, const char *given, const char **out,
                        const char *const *cands, const char *what, ga_err *err)
{
    if (given) {
        if (!*given) { *out = NULL; return GA_OK; }
        if (OGR_FD_GetFieldIndex(f->defn, given) < 0)
            return ga_err_set(err, GA_EINVAL, "'%s' has no field '%s' (%s)", c->path, given,
                              what);
        *out = given;
        return GA_OK;
    }
    *out = pick_field(f, cands);
    return GA_OK;
}

static ga_rc resolve_fields(ogr_ctx *c, ga_vfeat *f, ga_err *err)
{
    const ga_ogr_opts *o = c->o;
    int lv = 0;   /* admin level digit for boundaries, 0 for places */
    if (c->boundaries && o->level && !strncmp(o->level, "adm", 3)) lv = o->level[3] - '0';
    char n1[16], n2[16], n3[16], n4[16];
    snprintf(n1, sizeof n1, "ADM%d_EN", lv ? lv : 4);
    snprintf(n2, sizeof n2, "ADM%d_PCODE", lv ? lv : 4);
    snprintf(n3, sizeof n3, "ADM%d_AR", lv ? lv : 4);
    snprintf(n4, sizeof n4, "ADM%d_ALT1EN", lv ? lv : 4);
    const char *names[] = {"NAME_EN", n1, "name_en", "NAME", "name", "Name", NULL};
    const char *codes[] = {"PCODE", n2, "pcode", "P_CODE", NULL};
    const char *a1[] = {"ADMIN1_COD", "ADM1_PCODE", NULL};
    const char *a1n[] = {"ADMIN1_EN", "ADM1_EN", NULL};
    const char *a2[] = {"ADMIN2_COD", "ADM2_PCODE", NULL};
    const char *a2n[] = {"ADMIN2_EN", "ADM2_EN", NULL};
    ga_rc rc;
    if ((rc = need_field(c, f, o->name_field, &c->f_name, names, "name field", err)) ||
        (rc = need_field(c, f, o->code_field, &c->f_code, codes, "code field", err)) ||
        (rc = need_field(c, f, o->admin1_field, &c->f_a1, a1, "admin1 code field", err)) ||
        (rc = need_field(c, f, o->admin1_name_field, &c->f_a1n, a1n, "admin1 name field",
                         err)) ||
        (rc = need_field(c, f, o->admin2_field, &c->f_a2, a2, "admin2 code field", err)) ||
        (rc = need_field(c, f, o->admin2_name_field, &c->f_a2n, a2n, "admin2 name field", err)))
        return rc;
    if (!c->f_name)
        return ga_err_set(err, GA_EINVAL, "'%s': no name field found (looked for NAME_EN, "
                          "%s, name ...); pass --name-field", c->path, n1);
    /* The same admin field as the code: an adm1 file's PCODE is its own
     * admin1 code, not a parent. */
    if (lv == 1) c->f_a1 = c->f_a1n = NULL;
    if (lv >= 1 && lv <= 2) c->f_a2 = c->f_a2n = NULL;
    c->nalt = 0;
    if (o->alt_name_fields) {
        snprintf(c->alt_copy, sizeof c->alt_copy, "%s", o->alt_name_fields);
        for (char *p = strtok(c->alt_copy, ","); p && c->nalt < 16; p = strtok(NULL, ",")) {
            if (OGR_FD_GetFieldIndex(f->defn, p) < 0)
                return ga_err_set(err, GA_EINVAL, "'%s' has no field '%s' (alternate name "
                                  "field)", c->path, p);
            c->f_alt[c->nalt++] = p;
        }
    } else {
        const char *alts[] = {"NAM_EN_REF", "NAME_ARA", "NAME_AR", n3, n4, "NAME_ALT",
                              "ALT_NAME", NULL};
        for (const char *const *a = alts; *a && c->nalt < 16; a++)
            if (OGR_FD_GetFieldIndex(f->defn, *a) >= 0 && strcmp(*a, c->f_name) != 0)
                c->f_alt[c->nalt++] = *a;
    }
    c->resolved = 1;
    return GA_OK;
}

/* "SY" from "SY0401" or "SY04"; NULL when code does not start so. */
static int country_of(const char *code, char cc[3])
{
    if (!code || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' ||
        code[2] < '0' || code[2] > '9')
        return 0;
    cc[0] = code[0];
    cc[1] = code[1];
    cc[2] = 0;
    return 1;
}

static ga_rc ogr_feature(ga_vfeat *f, void *arg, ga_err *err)
{
    ogr_ctx *c = arg;
    ga_rc rc;
    if (!c->resolved && (rc = resolve_fields(c, f, err))) return rc;
    const char *name = ga_vfeat_str(f, c->f_name);
    if (!name) {
        vwarn(f, "%s: feature %zu: no name in field %s, skipped", c->path, f->number, c->f_name);
        c->stats->skipped++;
        return GA_OK;
    }
    double lon = 0, lat = 0;
    if (!ga_vfeat_point(f, &lon, &lat) || !(lon >= -180 && lon <= 180) ||
        !(lat >= -90 && lat <= 90)) {
        vwarn(f, "%s: feature %zu: no usable geometry, skipped", c->path, f->number);
        c->stats->skipped++;
        return GA_OK;
    }
    if (c->boundaries && !ga_vfeat_is_polygon(f)) {
        vwarn(f, "%s: feature %zu: not a polygon, skipped", c->path, f->number);
        c->stats->skipped++;
        return GA_OK;
    }
    const char *code = c->f_code ? ga_vfeat_str(f, c->f_code) : NULL;
    char gid[256], cc[3] = "";
    if (code) snprintf(gid, sizeof gid, "%s:%s", c->prefix, code);
    else snprintf(gid, sizeof gid, "file:%s:%zu", c->base, f->number);
    ga_place p = {0};
    p.gid = gid;
    p.name = name;
    p.kind = c->kind;
    p.lon = lon;
    p.lat = lat;
    p.source = c->source;
    p.admin1_pcode = c->f_a1 ? ga_vfeat_str(f, c->f_a1) : NULL;
    p.admin1 = c->f_a1n ? ga_vfeat_str(f, c->f_a1n) : NULL;
    p.admin2_pcode = c->f_a2 ? ga_vfeat_str(f, c->f_a2) : NULL;
    p.admin2 = c->f_a2n ? ga_vfeat_str(f, c->f_a2n) : NULL;
    if (c->boundaries && c->kind == GA_KIND_ADM1) {
        p.admin1_pcode = code;
        p.admin1 = name;
    } else if (c->boundaries && c->kind == GA_KIND_ADM2) {
        p.admin2_pcode = code;
        p.admin2 = name;
    }
    if (c->o->country) p.country = c->o->country;
    else if (country_of(code, cc) || country_of(p.admin1_pcode, cc)) p.country = cc;
    if (!c->boundaries && ga_country_boxes_swapped(&c->boxes, p.country, lon, lat)) {
        vwarn(f, "%s: feature %zu: coordinates look swapped (%.5f, %.5f is outside %s; "
              "swapped, it lies inside)", c->path, f->number, lon, lat, p.country);
    }
    int64_t id = 0;
    if ((rc = ga_gaz_writer_place(c->w, &p, NULL, &id, err))) {
        ga_err_prefix(err, "%s: feature %zu", c->path, f->number);
        return rc;
    }
    if ((rc = ga_gaz_writer_name(c->w, id, name, NULL, GA_NAME_OFFICIAL, c->source, 0, err)))
        return rc;
    for (int i = 0; i < c->nalt; i++) {
        const char *alt = ga_vfeat_str(f, c->f_alt[i]);
        if (!alt || !strcmp(alt, name)) continue;
        /* Arabic-script names are tagged with their language. */
        const char *lang = NULL;
        for (const unsigned char *q = (const unsigned char *)alt; *q; q++)
            if (*q >= 0xD8 && *q <= 0xDB) { lang = "ar"; break; }
        if ((rc = ga_gaz_writer_name(c->w, id, alt, lang, GA_NAME_ALTERNATE, c->source, 0, err)))
            return rc;
    }
    if (c->boundaries) {
        const unsigned char *wkb = NULL;
        size_t len = 0;
        if ((rc = ga_vfeat_wkb(f, &wkb, &len, err))) return rc;
        if ((rc = ga_gaz_writer_boundary(c->w, id, ga_kind_name(c->kind), code, c->source, wkb,
                                         len, err))) {
            ga_err_prefix(err, "%s: feature %zu", c->path, f->number);
            return rc;
        }
        c->stats->boundaries++;
    }
    return GA_OK;
}

static ga_rc import_ogr(ga_store *st, const char *path, const ga_ogr_opts *o, int boundaries,
                        const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    static const ga_ogr_opts no_opts = {0};
    ga_import_stats local = {0};
    if (!o) o = &no_opts;
    if (!stats) stats = &local;
    double t0 = ga_now();
    ogr_ctx c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.o = o;
    c.path = path;
    c.base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    c.boundaries = boundaries;
    c.source = o->source ? o->source : "ocha";
    c.prefix = o->gid_prefix ? o->gid_prefix : "ocha";
    c.stats = stats;
    c.io = io;
    if (boundaries) {
        const char *lv = o->level ? o->level : "adm1";
        if (!ga_kind_parse(lv, &c.kind) || c.kind > GA_KIND_ADM3)
            return ga_err_set(err, GA_EINVAL, "level '%s' is not one of adm1, adm2, adm3, "
                              "country", lv);
    } else {
        c.kind = o->has_kind ? o->kind : GA_KIND_PPL;
    }
    ga_rc rc = ga_store_begin(st, err);
    if (rc) return rc;
    if ((rc = ga_gaz_writer_new(st, &c.w, err))) goto done;
    if ((rc = ga_country_boxes_load(st, &c.boxes, err))) goto done;
    if ((rc = ga_vector_each(path, o->layer, ogr_feature, &c, io, stats, err))) goto done;
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

ga_rc ga_import_ogr_places(ga_store *st, const char *path, const ga_ogr_opts *opts,
                           const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    return import_ogr(st, path, opts, 0, io, stats, err);
}

ga_rc ga_import_ogr_boundaries(ga_store *st, const char *path, const ga_ogr_opts *opts,
                               const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    return import_ogr(st, path, opts, 1, io, stats, err);
}
