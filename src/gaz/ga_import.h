/*
 * ga_import.h: filling the gazetteer from files. Every importer runs in one
 * transaction of its own (a failed or cancelled import leaves the database
 * exactly as it was), bumps the gazetteer generation so the name index is
 * rebuilt, reports progress through a ga_progress_fn and warnings through
 * a ga_warn_fn, and fills a ga_import_stats. Coordinates are (lon, lat) in
 * WGS 84 degrees.
 *
 *  - GeoNames dumps (import_geonames.c): cities500.txt, SY.txt,
 *    allCountries.txt, streamed line by line, with the optional
 *    alternateNamesV2.txt and admin1CodesASCII.txt files;
 *  - any OGR-readable vector file (import_ogr.c): points as places,
 *    polygons as admin boundaries (OCHA COD-AB files and the like);
 *  - the small TSV files kept in gazetteer/ (import_tsv.c): the curated
 *    supplement, curated aliases and the admin crosswalk;
 *  - the default gazetteer (build_default.c) built from the pinned data
 *    packages by all of the above.
 *
 * import_ogr.c and build_default.c live in the GDAL module
 * (libgeoannot_ogr.so), not in the core library: the command line loads
 * them at run time (src/cli/ogr_module.h) through the function types
 * ga_<name>_fn declared beside those entry points; tests link the module.
 */
#ifndef GA_IMPORT_H
#define GA_IMPORT_H

#include "core/ga_core.h"
#include "gaz/ga_place.h"
#include "store/ga_store.h"

/* Called with one warning ("FILE:LINE: coordinates look swapped"). */
typedef void (*ga_warn_fn)(const char *msg, void *arg);

/* Where an importer reports to. Every member may be NULL/0. */
typedef struct {
    ga_progress_fn progress;   /* fraction of input read; return 0 to cancel */
    void *progress_arg;
    ga_warn_fn warn;           /* each warning; without it they are only counted */
    void *warn_arg;
    ga_warn_fn note;           /* stage messages ("importing countries"), or NULL */
    void *note_arg;
} ga_import_io;

/* What an import did. Importers add to the fields (callers zero it). */
typedef struct {
    int64_t places;      /* places inserted or updated */
    int64_t names;       /* names inserted */
    int64_t boundaries;  /* outlines stored */
    int64_t warnings;    /* warnings reported */
    int64_t skipped;     /* input rows left out (see each importer) */
    double seconds;      /* wall time */
} ga_import_stats;

/* ---- country boxes (country_boxes.c) --------------------------------- */

typedef struct { int has; double w, s, e, n; } ga_cbox;   /* W, S, E, N degrees */
typedef struct {
    ga_cbox box[26 * 26];   /* indexed by the two letters of the ISO code */
    int any;                /* 1 when any box is known */
} ga_country_boxes;

/* Load the boxes of the country outlines in the database (none when the
 * countries are not loaded: every check then says "not swapped"). */
ga_rc ga_country_boxes_load(ga_store *st, ga_country_boxes *cb, ga_err *err);
/* 1 when (lon, lat) lies outside the box of country (with half a degree of
 * slack) but (lat, lon) lies inside it: the coordinates look swapped. */
int ga_country_boxes_swapped(const ga_country_boxes *cb, const char *country, double lon,
                             double lat);

/* ---- GeoNames (import_geonames.c) ------------------------------------ */

typedef struct {
    const char *alternate_names;  /* alternateNamesV2.txt (or the older 8-column
                                     alternateNames.txt), or NULL */
    const char *admin1_codes;     /* admin1CodesASCII.txt, or NULL */
    const char *admin2_countries; /* ISO codes, space-separated, of the countries
                                     whose admin1_code is "<CC>.<admin2>" (their
                                     first-level areas in the gazetteer are
                                     GeoNames' second-level divisions), or NULL */
} ga_geonames_opts;

/* Import the GeoNames dump at path: one place per row (gid
 * "geonames:<id>", kind from the feature class and code, admin1_code
 * "<CC>.<admin1>"), names: name (official), asciiname (ascii), every entry
 * of the alternatenames column (alternate; lang "ar" when in Arabic
 * script), and with opts->alternate_names every name of those places in
 * that file with its language (pseudo-languages link, post, iata, icao,
 * faac, wkdt, unlc skipped; abbr stored as an abbreviation). Rows of an
 * existing gid update it. Any malformed row (column count, coordinates out
 * of range, non-numeric id or population, invalid UTF-8, a final line
 * without newline) fails the import with "FILE:LINE: problem" and leaves
 * the database unchanged; coordinates that look swapped for their country
 * (given point outside the country's outline box, swapped point inside;
 * needs country outlines in the database) are warnings. */
ga_rc ga_import_geonames(ga_store *st, const char *path, const ga_geonames_opts *opts,
                         const ga_import_io *io, ga_import_stats *stats, ga_err *err);

/* ---- OGR vector files (import_ogr.c) ---------------------------------- */

typedef struct {
    const char *layer;            /* layer name; NULL: the first layer */
    const char *name_field;       /* preferred name; NULL: auto (NAME_EN, ADMn_EN, name ...) */
    const char *code_field;       /* P-code; NULL: auto (PCODE, ADMn_PCODE ...) */
    const char *alt_name_fields;  /* comma-separated; NULL: auto (NAME_ARA, NAM_EN_REF ...);
                                     "" for none */
    const char *admin1_field, *admin1_name_field;  /* NULL: auto (ADMIN1_COD, ADMIN1_EN) */
    const char *admin2_field, *admin2_name_field;  /* NULL: auto (ADMIN2_COD, ADMIN2_EN) */
    const char *country;          /* ISO alpha-2; NULL: from the P-codes (SY04 -> SY) */
    const char *source;           /* names/places source; NULL: "ocha" */
    const char *gid_prefix;       /* gid = "<prefix>:<code>"; NULL: "ocha" */
    ga_kind kind;                 /* places: kind of every place (default populated_place) */
    int has_kind;                 /* 1 when kind was given */
    const char *level;            /* boundaries: "adm1", "adm2", "adm3", "country" */
} ga_ogr_opts;

/* Import the points (or any geometry, through a point on its surface) of
 * an OGR-readable file as places. gid "<prefix>:<code>" when a code field
 * is known, so a re-import updates rather than duplicates; else
 * "file:<basename>:<feature number>". Invalid UTF-8 in a field is replaced
 * and reported "FILE: feature N, field F: invalid UTF-8 replaced". */
ga_rc ga_import_ogr_places(ga_store *st, const char *path, const ga_ogr_opts *opts,
                           const ga_import_io *io, ga_import_stats *stats, ga_err *err);
typedef ga_rc ga_import_ogr_places_fn(ga_store *st, const char *path, const ga_ogr_opts *opts,
                                      const ga_import_io *io, ga_import_stats *stats,
                                      ga_err *err);
/* Import the polygons of an OGR-readable file as admin areas of
 * opts->level: a place (kind = level, lon/lat a point on the surface) and
 * its outline, transformed to EPSG:4326 when needed. */
ga_rc ga_import_ogr_boundaries(ga_store *st, const char *path, const ga_ogr_opts *opts,
                               const ga_import_io *io, ga_import_stats *stats, ga_err *err);
typedef ga_rc ga_import_ogr_boundaries_fn(ga_store *st, const char *path,
                                          const ga_ogr_opts *opts, const ga_import_io *io,
                                          ga_import_stats *stats, ga_err *err);

/* A generic reader over the features of a vector file, for importers of
 * particular sources (build_default.c) that must not include GDAL. */
typedef struct ga_vfeat ga_vfeat;
/* Called per feature; return GA_OK to go on, anything else (with err set)
 * to stop with that code. */
typedef ga_rc (*ga_vfeat_cb)(ga_vfeat *f, void *arg, ga_err *err);
/* Read every feature of layer (NULL: the first) of path. */
ga_rc ga_vector_each(const char *path, const char *layer, ga_vfeat_cb cb, void *arg,
                     const ga_import_io *io, ga_import_stats *stats, ga_err *err);
/* 1-based feature number. */
size_t ga_vfeat_number(const ga_vfeat *f);
/* The value of field name as UTF-8 (invalid bytes replaced, with a
 * warning), or NULL when the field is missing, null or empty. Valid until
 * the callback returns. */
const char *ga_vfeat_str(ga_vfeat *f, const char *name);
/* Field count and names, to enumerate e.g. every name_xx field. */
int ga_vfeat_nfields(const ga_vfeat *f);
const char *ga_vfeat_field_name(const ga_vfeat *f, int i);
/* The geometry as WKB in EPSG:4326 (lon, lat); *wkb is NULL when the
 * feature has no geometry. Valid until the callback returns. */
ga_rc ga_vfeat_wkb(ga_vfeat *f, const unsigned char **wkb, size_t *len, ga_err *err);
/* 1 when the geometry is (multi)polygonal. */
int ga_vfeat_is_polygon(const ga_vfeat *f);
/* A point of the geometry in EPSG:4326: the point itself, the first of a
 * multipoint, or a point on the surface of a polygon (the centroid when
 * that fails). Returns 0 when the feature has no usable geometry. */
int ga_vfeat_point(ga_vfeat *f, double *lon, double *lat);
/* A representative point of a (multi)polygon in EPSG:4326: the centroid
 * of its largest part (by area in square degrees), or a point on the
 * surface of that part when the centroid falls outside it (a crescent, a
 * ring around a hole). Other geometries: as ga_vfeat_point(). Returns 0
 * when the feature has no usable geometry. */
int ga_vfeat_rep_point(ga_vfeat *f, double *lon, double *lat);

/* ---- TSV files of gazetteer/ (import_tsv.c) --------------------------- */

/* gazetteer/crosswalk.tsv: country, admin1_code, admin1_pcode, name. */
ga_rc ga_import_crosswalk_tsv(ga_store *st, const char *path, const ga_import_io *io,
                              ga_import_stats *stats, ga_err *err);
/* gazetteer/curated.tsv: gid, name, kind, lon, lat, country, admin1_code,
 * admin1_pcode, population, aliases (| separated), source, precision note. */
ga_rc ga_import_curated_tsv(ga_store *st, const char *path, const ga_import_io *io,
                            ga_import_stats *stats, ga_err *err);
/* gazetteer/aliases.tsv: target gid, alias, kind, source, note. A target
 * gid missing from the database is a warning, not an error. */
ga_rc ga_import_aliases_tsv(ga_store *st, const char *path, const ga_import_io *io,
                            ga_import_stats *stats, ga_err *err);

/* ---- the default gazetteer (build_default.c) --------------------------- */

/* Build the default gazetteer into out_path from the data packages under
 * data_dir (gazetteer/node_modules) and the TSV files in tsv_dir
 * (gazetteer/): a fresh database written to a temporary file and renamed
 * over out_path at the end, closed and checkpointed, then its name index.
 * Each stage is announced through io->note. */
ga_rc ga_gaz_build_default(const char *data_dir, const char *tsv_dir, const char *out_path,
                           const ga_import_io *io, ga_import_stats *stats, ga_err *err);
typedef ga_rc ga_gaz_build_default_fn(const char *data_dir, const char *tsv_dir,
                                      const char *out_path, const ga_import_io *io,
                                      ga_import_stats *stats, ga_err *err);

#endif
