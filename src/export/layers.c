/*
 * layers.c: the schema of each map layer and the code that turns one
 * database row into one OGR feature. Field order here is the column order
 * users see; the HXL hashtags go into the CSV tag row.
 *
 * Dates: events carry event_date as OFTDate so QGIS's temporal controller
 * can use it; CSV gets the same value as an ISO string because GDAL's CSV
 * writer would print 2017/03/18. Partial dates (YYYY-MM, YYYY) become the
 * first day of the period; time_precision says how exact the date is.
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schemas --------------------------------------------------------- */

enum {
    EV_ID, EV_DATE, EV_TIME_PREC, EV_TYPE, EV_STATUS, EV_ROLE, EV_TRIGGER, EV_NAME,
    EV_GID, EV_KIND, EV_GEO_PREC, EV_COUNTRY, EV_ADMIN1, EV_ADMIN1_PCODE, EV_ADMIN2,
    EV_ADMIN2_PCODE, EV_LAT, EV_LON, EV_PEOPLE, EV_ACTORS, EV_ORIGIN, EV_DEST, EV_DOC,
    EV_TITLE, EV_URL, EV_SOURCE, EV_SENTENCE, EV_REASON, EV_N
};
static const ga_xfield event_fields[EV_N] = {
    {"event_id", OFTInteger64, "#event+id"},
    {"event_date", OFTDate, "#date+occurred"},
    {"time_precision", OFTInteger, NULL},
    {"type", OFTString, "#event+type"},
    {"status", OFTString, "#status"},
    {"role", OFTString, NULL},
    {"trigger", OFTString, NULL},
    {"name", OFTString, "#loc+name"},
    {"place_gid", OFTString, "#loc+code"},
    {"kind", OFTString, "#loc+type"},
    {"geo_precision", OFTInteger, "#geo+precision"},
    {"country", OFTString, "#country+code"},
    {"admin1", OFTString, "#adm1+name"},
    {"admin1_pcode", OFTString, "#adm1+code"},
    {"admin2", OFTString, "#adm2+name"},
    {"admin2_pcode", OFTString, "#adm2+code"},
    {"lat", OFTReal, "#geo+lat"},
    {"lon", OFTReal, "#geo+lon"},
    {"people", OFTInteger64, "#affected+displaced"},
    {"actors", OFTString, "#group+name"},
    {"origin", OFTString, "#loc+name+origin"},
    {"destination", OFTString, "#loc+name+dest"},
    {"doc_id", OFTString, "#meta+id"},
    {"title", OFTString, "#meta+title"},
    {"url", OFTString, "#meta+url"},
    {"source", OFTString, "#meta+source"},
    {"sentence", OFTString, "#description"},
    {"reason", OFTString, NULL},
};

enum {
    FL_ID, FL_DATE, FL_TIME_PREC, FL_TYPE, FL_STATUS, FL_NAME, FL_ORIGIN, FL_DEST,
    FL_OLAT, FL_OLON, FL_DLAT, FL_DLON, FL_PEOPLE, FL_WEIGHT, FL_ACTORS, FL_DOC, FL_TITLE,
    FL_URL, FL_SOURCE, FL_SENTENCE, FL_REASON, FL_N
};
static const ga_xfield flow_fields[FL_N] = {
    {"event_id", OFTInteger64, "#event+id"},
    {"event_date", OFTDate, "#date+occurred"},
    {"time_precision", OFTInteger, NULL},
    {"type", OFTString, "#event+type"},
    {"status", OFTString, "#status"},
    {"name", OFTString, "#description+name"},
    {"origin", OFTString, "#loc+name+origin"},
    {"destination", OFTString, "#loc+name+dest"},
    {"origin_lat", OFTReal, "#geo+lat+origin"},
    {"origin_lon", OFTReal, "#geo+lon+origin"},
    {"dest_lat", OFTReal, "#geo+lat+dest"},
    {"dest_lon", OFTReal, "#geo+lon+dest"},
    {"people", OFTInteger64, "#affected+displaced"},
    {"weight", OFTInteger64, NULL},
    {"actors", OFTString, "#group+name"},
    {"doc_id", OFTString, "#meta+id"},
    {"title", OFTString, "#meta+title"},
    {"url", OFTString, "#meta+url"},
    {"source", OFTString, "#meta+source"},
    {"sentence", OFTString, "#description"},
    {"reason", OFTString, NULL},
};

enum {
    MN_ID, MN_DOC, MN_SEQ, MN_START, MN_END, MN_TEXT, MN_NAME, MN_GID, MN_KIND, MN_PREC,
    MN_SCORE, MN_COUNTRY, MN_ADMIN1, MN_ADMIN1_PCODE, MN_ADMIN2, MN_ADMIN2_PCODE, MN_LAT,
    MN_LON, MN_DOC_DATE, MN_TITLE, MN_SENTENCE, MN_REASON, MN_N
};
static const ga_xfield mention_fields[MN_N] = {
    {"mention_id", OFTInteger64, NULL},
    {"doc_id", OFTString, "#meta+id"},
    {"seq", OFTInteger, NULL},
    {"start", OFTInteger64, NULL},
    {"end", OFTInteger64, NULL},
    {"text", OFTString, "#loc+name+original"},
    {"name", OFTString, "#loc+name"},
    {"place_gid", OFTString, "#loc+code"},
    {"kind", OFTString, "#loc+type"},
    {"geo_precision", OFTInteger, "#geo+precision"},
    {"score", OFTReal, NULL},
    {"country", OFTString, "#country+code"},
    {"admin1", OFTString, "#adm1+name"},
    {"admin1_pcode", OFTString, "#adm1+code"},
    {"admin2", OFTString, "#adm2+name"},
    {"admin2_pcode", OFTString, "#adm2+code"},
    {"lat", OFTReal, "#geo+lat"},
    {"lon", OFTReal, "#geo+lon"},
    {"doc_date", OFTDate, "#date+reported"},
    {"title", OFTString, "#meta+title"},
    {"sentence", OFTString, "#description"},
    {"reason", OFTString, NULL},
};

enum {
    PL_ID, PL_GID, PL_NAME, PL_KIND, PL_FCODE, PL_COUNTRY, PL_ADMIN1, PL_ADMIN1_PCODE,
    PL_ADMIN2, PL_ADMIN2_PCODE, PL_POP, PL_LAT, PL_LON, PL_NMENT, PL_FIRST, PL_LAST, PL_N
};
static const ga_xfield place_fields[PL_N] = {
    {"place_id", OFTInteger64, NULL},
    {"place_gid", OFTString, "#loc+code"},
    {"name", OFTString, "#loc+name"},
    {"kind", OFTString, "#loc+type"},
    {"feature_code", OFTString, NULL},
    {"country", OFTString, "#country+code"},
    {"admin1", OFTString, "#adm1+name"},
    {"admin1_pcode", OFTString, "#adm1+code"},
    {"admin2", OFTString, "#adm2+name"},
    {"admin2_pcode", OFTString, "#adm2+code"},
    {"population", OFTInteger64, "#population"},
    {"lat", OFTReal, "#geo+lat"},
    {"lon", OFTReal, "#geo+lon"},
    {"mentions", OFTInteger64, NULL},
    {"first_date", OFTDate, "#date+start"},
    {"last_date", OFTDate, "#date+end"},
};

enum { RG_ID, RG_NAME, RG_LEVEL, RG_PCODE, RG_COUNTRY, RG_ADMIN1, RG_SOURCE, RG_EVENTS, RG_N };
static const ga_xfield region_fields[RG_N] = {
    {"place_id", OFTInteger64, NULL},
    {"name", OFTString, "#adm1+name"},
    {"level", OFTString, NULL},
    {"pcode", OFTString, "#adm1+code"},
    {"country", OFTString, "#country+code"},
    {"admin1", OFTString, NULL},
    {"source", OFTString, "#meta+source"},
    {"events", OFTInteger64, "#event+num"},
};

static void copy_fields(ga_xlayer *xl, const ga_xfield *f, int n)
{
    for (int i = 0; i < n; i++) {
        xl->fields[i] = f[i];
        if (xl->dates_as_text && f[i].type == OFTDate) xl->fields[i].type = OFTString;
    }
    xl->nfields = n;
}

ga_rc ga_xlayer_init(ga_xlayer *xl, int bit, char *const *types, const char *level, int csv,
                     ga_err *err)
{
    memset(xl, 0, sizeof *xl);
    xl->bit = bit;
    xl->name = ga_export_layer_name(bit);
    xl->dates_as_text = csv;
    switch (bit) {
    case GA_LAYER_EVENTS:
        xl->gtype = wkbPoint;
        copy_fields(xl, event_fields, EV_N);
        break;
    case GA_LAYER_FLOWS:
        xl->gtype = wkbLineString;
        copy_fields(xl, flow_fields, FL_N);
        break;
    case GA_LAYER_MENTIONS:
        xl->gtype = wkbPoint;
        copy_fields(xl, mention_fields, MN_N);
        break;
    case GA_LAYER_PLACES:
        xl->gtype = wkbPoint;
        copy_fields(xl, place_fields, PL_N);
        break;
    case GA_LAYER_REGIONS:
        xl->gtype = wkbMultiPolygon;
        copy_fields(xl, region_fields, RG_N);
        if (level && strcmp(level, "adm1") != 0) {
            /* The name/code tags follow the level (#adm2+name ...). */
            snprintf(xl->tag_buf[0], sizeof xl->tag_buf[0], "#%s+name", level);
            snprintf(xl->tag_buf[1], sizeof xl->tag_buf[1], "#%s+code", level);
            xl->fields[RG_NAME].hxl = xl->tag_buf[0];
            xl->fields[RG_PCODE].hxl = xl->tag_buf[1];
        }
        for (char *const *t = types; t && *t; t++) {
            if (xl->nfields >= GA_XMAX_FIELDS)
                return ga_err_set(err, GA_EINVAL, "too many event types for the regions layer");
            size_t n = strlen(*t) + 3;
            char *name = malloc(n);
            if (!name) return ga_err_set(err, GA_ENOMEM, "out of memory");
            snprintf(name, n, "n_%s", *t);
            for (char *c = name; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))) *c = '_';
            xl->field_names[xl->nfields] = name;
            xl->fields[xl->nfields] = (ga_xfield){name, OFTInteger64, NULL};
            xl->nfields++;
        }
        break;
    default:
        return ga_err_set(err, GA_EINVAL, "unknown layer");
    }
    /* Points carry lon/lat as attributes too: in CSV they are the only
     * coordinates, elsewhere they are handy in attribute tables. */
    xl->xy_fields = xl->gtype == wkbPoint;
    return GA_OK;
}

void ga_xlayer_release(ga_xlayer *xl)
{
    if (xl->feat) OGR_F_Destroy(xl->feat);
    xl->feat = NULL;
}

void ga_xlayer_clear(ga_xlayer *xl)
{
    ga_xlayer_release(xl);
    ga_gpkg_index_free(xl->index);
    for (int i = 0; i < GA_XMAX_FIELDS; i++) free(xl->field_names[i]);
    memset(xl, 0, sizeof *xl);
}

ga_rc ga_xlayer_bind(ga_xlayer *xl, ga_err *err)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(xl->lyr);
    for (int i = 0; i < xl->nfields; i++) {
        int idx = OGR_FD_GetFieldIndex(defn, xl->fields[i].name);
        if (idx < 0) {
            OGRFieldDefnH fd = OGR_Fld_Create(xl->fields[i].name, xl->fields[i].type);
            OGRErr oe = OGR_L_CreateField(xl->lyr, fd, TRUE);
            OGR_Fld_Destroy(fd);
            if (oe != OGRERR_NONE)
                return ga_err_set(err, GA_EIO, "cannot create field '%s' in layer '%s': %s",
                                  xl->fields[i].name, xl->name,
                                  ga_export_gdal_msg("driver refused"));
            defn = OGR_L_GetLayerDefn(xl->lyr);
            idx = OGR_FD_GetFieldIndex(defn, xl->fields[i].name);
            if (idx < 0)
                return ga_err_set(err, GA_EIO, "field '%s' of layer '%s' was renamed by the "
                                  "driver", xl->fields[i].name, xl->name);
        }
        xl->map[i] = idx;
    }
    return GA_OK;
}

/* ---- setters ---------------------------------------------------------- */

static void set_str(const ga_xlayer *xl, OGRFeatureH f, int i, const char *v)
{
    if (v && *v) OGR_F_SetFieldString(f, xl->map[i], v);
}

static void set_int(const ga_xlayer *xl, OGRFeatureH f, int i, int64_t v)
{
    OGR_F_SetFieldInteger64(f, xl->map[i], v);
}

static void set_real(const ga_xlayer *xl, OGRFeatureH f, int i, double v)
{
    if (!isnan(v)) OGR_F_SetFieldDouble(f, xl->map[i], v);
}

/* Up to max decimal digits at *p into *out; returns how many were read. */
static int digits(const char **p, int max, int *out)
{
    int n = 0, v = 0;
    while (n < max && **p >= '0' && **p <= '9') v = v * 10 + (*(*p)++ - '0'), n++;
    if (n) *out = v;
    return n;
}

/* event_date: YYYY-MM-DD, YYYY-MM or YYYY (what follows the date, such as
 * a time, is ignored); anything else is left null. */
static void set_date(const ga_xlayer *xl, OGRFeatureH f, int i, const char *v)
{
    if (!v || !*v) return;
    int y = 0, m = 1, d = 1;
    if (!digits(&v, 4, &y)) return;
    if (*v == '-' && (v++, digits(&v, 2, &m)) && *v == '-') {
        v++;
        digits(&v, 2, &d);
    }
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) return;
    if (xl->dates_as_text) {
        char iso[11];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        OGR_F_SetFieldString(f, xl->map[i], iso);
    } else {
        OGR_F_SetFieldDateTime(f, xl->map[i], y, m, d, 0, 0, 0, 0);
    }
}

/* Actors arrive as a JSON array; layers get "A; B". */
static void set_actors(const ga_xlayer *xl, OGRFeatureH f, int i, const char *json)
{
    if (!json || !*json) return;
    if (json[0] != '[') { set_str(xl, f, i, json); return; }
    json_t *arr = json_loads(json, 0, NULL);
    if (!json_is_array(arr)) { json_decref(arr); set_str(xl, f, i, json); return; }
    ga_buf b = {0};
    size_t k;
    json_t *v;
    json_array_foreach(arr, k, v) {
        if (!json_is_string(v)) continue;
        if (b.len) ga_buf_puts(&b, "; ");
        ga_buf_puts(&b, json_string_value(v));
    }
    if (b.len) OGR_F_SetFieldString(f, xl->map[i], b.data);
    ga_buf_free(&b);
    json_decref(arr);
}

/* The layer's feature, emptied for the next row: every field unset, no
 * FID (drivers write the one they assign into it). The geometry stays, for
 * set_point() to move. NULL when out of memory. */
static OGRFeatureH row_feature(ga_xlayer *xl)
{
    OGRFeatureH f = xl->feat;
    if (!f) return xl->feat = OGR_F_Create(OGR_L_GetLayerDefn(xl->lyr));
    for (int i = 0; i < xl->nfields; i++) OGR_F_UnsetField(f, xl->map[i]);
    OGR_F_SetFID(f, OGRNullFID);
    return f;
}

static ga_rc put(ga_xlayer *xl, OGRFeatureH f, ga_err *err)
{
    OGRErr oe = OGR_L_CreateFeature(xl->lyr, f);
    if (oe != OGRERR_NONE)
        return ga_err_set(err, GA_EIO, "cannot write a feature to layer '%s': %s", xl->name,
                          ga_export_gdal_msg("driver refused"));
    xl->written++;
    return ga_gpkg_index_add(xl, f, err);
}

/* The point of a row; the feature's point from the row before is moved
 * rather than a new one made. */
static void set_point(const ga_xlayer *xl, OGRFeatureH f, double lon, double lat)
{
    if (xl->dates_as_text) return;   /* CSV: lon/lat fields */
    if (isnan(lon) || isnan(lat)) {
        OGR_F_SetGeometryDirectly(f, NULL);
        return;
    }
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g) {
        g = OGR_G_CreateGeometry(wkbPoint);
        OGR_F_SetGeometryDirectly(f, g);
    }
    OGR_G_SetPoint_2D(g, 0, lon, lat);
}

/* ---- rows ------------------------------------------------------------- */

ga_rc ga_xlayer_event(ga_xlayer *xl, const ga_event_row *e, ga_err *err)
{
    OGRFeatureH f = row_feature(xl);
    if (!f) return ga_err_set(err, GA_ENOMEM, "out of memory");
    set_int(xl, f, EV_ID, e->id);
    set_date(xl, f, EV_DATE, e->event_date);
    if (e->time_precision > 0) set_int(xl, f, EV_TIME_PREC, e->time_precision);
    set_str(xl, f, EV_TYPE, e->type);
    set_str(xl, f, EV_STATUS, e->status);
    set_str(xl, f, EV_ROLE, e->role);
    set_str(xl, f, EV_TRIGGER, e->trigger);
    set_str(xl, f, EV_NAME, e->place_name);
    set_str(xl, f, EV_GID, e->place_gid);
    set_str(xl, f, EV_KIND, e->kind);
    if (e->geo_precision > 0) set_int(xl, f, EV_GEO_PREC, e->geo_precision);
    set_str(xl, f, EV_COUNTRY, e->country);
    set_str(xl, f, EV_ADMIN1, e->admin1);
    set_str(xl, f, EV_ADMIN1_PCODE, e->admin1_pcode);
    set_str(xl, f, EV_ADMIN2, e->admin2);
    set_str(xl, f, EV_ADMIN2_PCODE, e->admin2_pcode);
    set_real(xl, f, EV_LAT, e->lat);
    set_real(xl, f, EV_LON, e->lon);
    if (e->people >= 0) set_int(xl, f, EV_PEOPLE, e->people);
    set_actors(xl, f, EV_ACTORS, e->actors);
    set_str(xl, f, EV_ORIGIN, e->origin_name);
    set_str(xl, f, EV_DEST, e->dest_name);
    set_str(xl, f, EV_DOC, e->doc_id);
    set_str(xl, f, EV_TITLE, e->title);
    set_str(xl, f, EV_URL, e->url);
    set_str(xl, f, EV_SOURCE, e->source);
    set_str(xl, f, EV_SENTENCE, e->sentence);
    set_str(xl, f, EV_REASON, e->reason);
    set_point(xl, f, e->lon, e->lat);
    return put(xl, f, err);
}

ga_rc ga_xlayer_flow(ga_xlayer *xl, const ga_event_row *e, ga_err *err)
{
    OGRFeatureH f = row_feature(xl);
    if (!f) return ga_err_set(err, GA_ENOMEM, "out of memory");
    char name[512];
    snprintf(name, sizeof name, "%s \xe2\x86\x92 %s", e->origin_name ? e->origin_name : "?",
             e->dest_name ? e->dest_name : "?");
    set_int(xl, f, FL_ID, e->id);
    set_date(xl, f, FL_DATE, e->event_date);
    if (e->time_precision > 0) set_int(xl, f, FL_TIME_PREC, e->time_precision);
    set_str(xl, f, FL_TYPE, e->type);
    set_str(xl, f, FL_STATUS, e->status);
    set_str(xl, f, FL_NAME, name);
    set_str(xl, f, FL_ORIGIN, e->origin_name);
    set_str(xl, f, FL_DEST, e->dest_name);
    set_real(xl, f, FL_OLAT, e->origin_lat);
    set_real(xl, f, FL_OLON, e->origin_lon);
    set_real(xl, f, FL_DLAT, e->dest_lat);
    set_real(xl, f, FL_DLON, e->dest_lon);
    if (e->people >= 0) set_int(xl, f, FL_PEOPLE, e->people);
    set_int(xl, f, FL_WEIGHT, e->people > 0 ? e->people : 0);
    set_actors(xl, f, FL_ACTORS, e->actors);
    set_str(xl, f, FL_DOC, e->doc_id);
    set_str(xl, f, FL_TITLE, e->title);
    set_str(xl, f, FL_URL, e->url);
    set_str(xl, f, FL_SOURCE, e->source);
    set_str(xl, f, FL_SENTENCE, e->sentence);
    set_str(xl, f, FL_REASON, e->reason);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
    OGR_G_AddPoint_2D(g, e->origin_lon, e->origin_lat);
    OGR_G_AddPoint_2D(g, e->dest_lon, e->dest_lat);
    OGR_F_SetGeometryDirectly(f, g);
    return put(xl, f, err);
}

ga_rc ga_xlayer_mention(ga_xlayer *xl, const ga_mention_row *m, ga_err *err)
{
    OGRFeatureH f = row_feature(xl);
    if (!f) return ga_err_set(err, GA_ENOMEM, "out of memory");
    set_int(xl, f, MN_ID, m->id);
    set_str(xl, f, MN_DOC, m->doc_id);
    set_int(xl, f, MN_SEQ, m->seq);
    set_int(xl, f, MN_START, m->start);
    set_int(xl, f, MN_END, m->end);
    set_str(xl, f, MN_TEXT, m->text);
    set_str(xl, f, MN_NAME, m->place_name);
    set_str(xl, f, MN_GID, m->place_gid);
    set_str(xl, f, MN_KIND, m->kind);
    if (m->precision > 0) set_int(xl, f, MN_PREC, m->precision);
    set_real(xl, f, MN_SCORE, m->score);
    set_str(xl, f, MN_COUNTRY, m->country);
    set_str(xl, f, MN_ADMIN1, m->admin1);
    set_str(xl, f, MN_ADMIN1_PCODE, m->admin1_pcode);
    set_str(xl, f, MN_ADMIN2, m->admin2);
    set_str(xl, f, MN_ADMIN2_PCODE, m->admin2_pcode);
    set_real(xl, f, MN_LAT, m->lat);
    set_real(xl, f, MN_LON, m->lon);
    set_date(xl, f, MN_DOC_DATE, m->doc_date);
    set_str(xl, f, MN_TITLE, m->title);
    set_str(xl, f, MN_SENTENCE, m->sentence);
    set_str(xl, f, MN_REASON, m->reason);
    set_point(xl, f, m->lon, m->lat);
    return put(xl, f, err);
}

ga_rc ga_xlayer_place(ga_xlayer *xl, const ga_place_row *p, ga_err *err)
{
    OGRFeatureH f = row_feature(xl);
    if (!f) return ga_err_set(err, GA_ENOMEM, "out of memory");
    set_int(xl, f, PL_ID, p->id);
    set_str(xl, f, PL_GID, p->gid);
    set_str(xl, f, PL_NAME, p->name);
    set_str(xl, f, PL_KIND, p->kind);
    set_str(xl, f, PL_FCODE, p->feature_code);
    set_str(xl, f, PL_COUNTRY, p->country);
    set_str(xl, f, PL_ADMIN1, p->admin1);
    set_str(xl, f, PL_ADMIN1_PCODE, p->admin1_pcode);
    set_str(xl, f, PL_ADMIN2, p->admin2);
    set_str(xl, f, PL_ADMIN2_PCODE, p->admin2_pcode);
    set_int(xl, f, PL_POP, p->population);
    set_real(xl, f, PL_LAT, p->lat);
    set_real(xl, f, PL_LON, p->lon);
    set_int(xl, f, PL_NMENT, p->mentions);
    set_date(xl, f, PL_FIRST, p->first_date);
    set_date(xl, f, PL_LAST, p->last_date);
    set_point(xl, f, p->lon, p->lat);
    return put(xl, f, err);
}

ga_rc ga_xlayer_region(ga_xlayer *xl, const ga_xregion_row *r, ga_err *err)
{
    OGRGeometryH g = NULL;
    if (r->wkb && r->wkb_len) {
        if (OGR_G_CreateFromWkb(r->wkb, NULL, &g, (int)r->wkb_len) != OGRERR_NONE)
            return ga_err_set(err, GA_EFORMAT, "region '%s' has a broken geometry",
                              r->name ? r->name : "?");
        if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon)
            g = OGR_G_ForceToMultiPolygon(g);
    }
    OGRFeatureH f = row_feature(xl);
    if (!f) { OGR_G_DestroyGeometry(g); return ga_err_set(err, GA_ENOMEM, "out of memory"); }
    set_int(xl, f, RG_ID, r->place_id);
    set_str(xl, f, RG_NAME, r->name);
    set_str(xl, f, RG_LEVEL, r->level);
    set_str(xl, f, RG_PCODE, r->pcode);
    set_str(xl, f, RG_COUNTRY, r->country);
    set_str(xl, f, RG_ADMIN1, r->admin1);
    set_str(xl, f, RG_SOURCE, r->source);
    set_int(xl, f, RG_EVENTS, r->events);
    for (int i = RG_N; i < xl->nfields; i++) set_int(xl, f, i, r->counts[i - RG_N]);
    OGR_F_SetGeometryDirectly(f, g);   /* NULL clears the previous row's */
    return put(xl, f, err);
}
