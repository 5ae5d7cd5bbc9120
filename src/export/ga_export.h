/*
 * ga_export.h: map layers out of the geoannot database, through GDAL/OGR
 * writers only (no hand-written GeoJSON, KML or CSV), and the QGIS project
 * that shows them.
 *
 * Layers (all EPSG:4326, lon/lat):
 *   events    points; event_date is a real OFTDate (a string YYYY-MM-DD in
 *             CSV, where GDAL would write 2017/03/18), plus type, status,
 *             precisions, place and admin codes, people, actors, the
 *             source document, the sentence and the reason;
 *   flows     lines from origin to destination, weight = people;
 *   mentions  points, one per resolved mention;
 *   places    the gazetteer places referred to;
 *   regions   admin polygons with event counts per type (choropleth).
 * No layer has an attribute called fid. GeoJSON is RFC 7946. CSV gets an
 * HXL hashtag row under the header. Attribution of the gazetteer sources
 * goes into the layer description where the format has one (GPKG,
 * GeoJSON, PostgreSQL) and into a sidecar ATTRIBUTION.txt otherwise.
 *
 * This code lives in the GDAL module (libgeoannot_ogr.so), not in the core
 * library. The command line loads it at run time (src/cli/ogr_module.h)
 * through the function types ga_<name>_fn declared beside the entry points
 * it calls; tests link the module.
 *
 * Destinations: GPKG, KML and PostgreSQL ("PG:dbname=...") hold every
 * layer in one dataset. GeoJSON, CSV and FlatGeobuf hold one layer per
 * file: with one layer DEST is the file, with several DEST is a directory
 * that gets <layer>.<ext> files. Files are written under a temporary name
 * and renamed into place only when complete, so a failure leaves no
 * partial file; PostgreSQL writes happen in one transaction.
 */
#ifndef GA_EXPORT_H
#define GA_EXPORT_H

#include "core/ga_core.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"

enum {
    GA_LAYER_EVENTS = 1 << 0,
    GA_LAYER_FLOWS = 1 << 1,
    GA_LAYER_MENTIONS = 1 << 2,
    GA_LAYER_PLACES = 1 << 3,
    GA_LAYER_REGIONS = 1 << 4,
    GA_LAYER_ALL = (1 << 5) - 1,
    GA_LAYER_COUNT = 5
};

typedef enum {
    GA_FMT_GEOJSON = 0,
    GA_FMT_GPKG,
    GA_FMT_CSV,
    GA_FMT_KML,
    GA_FMT_FLATGEOBUF,
    GA_FMT_POSTGRESQL,
    GA_FMT_COUNT
} ga_export_format;

/* Format by name, case-insensitive (GeoJSON, GPKG, CSV, KML, FlatGeobuf,
 * PostgreSQL, and the aliases geopackage, fgb, pg, postgis). 0 when
 * unknown. */
int ga_export_format_parse(const char *name, ga_export_format *out);
typedef int ga_export_format_parse_fn(const char *name, ga_export_format *out);
/* Format from a destination: PG:... is PostgreSQL, else the extension.
 * 0 when it cannot tell. */
int ga_export_format_guess(const char *dest, ga_export_format *out);
typedef int ga_export_format_guess_fn(const char *dest, ga_export_format *out);
/* "GeoJSON, GPKG, CSV, KML, FlatGeobuf, PostgreSQL" for messages. */
const char *ga_export_format_list(void);
typedef const char *ga_export_format_list_fn(void);
const char *ga_export_format_name(ga_export_format f);
typedef const char *ga_export_format_name_fn(ga_export_format f);
/* Layer name -> GA_LAYER_* bit ("all" -> GA_LAYER_ALL); 0 when unknown. */
int ga_export_layer_parse(const char *name);
typedef int ga_export_layer_parse_fn(const char *name);
const char *ga_export_layer_name(int layer_bit);
typedef const char *ga_export_layer_name_fn(int layer_bit);

typedef struct {
    ga_export_format format;   /* writer */
    int layers;                /* GA_LAYER_* bits, at least one */
    const char *dest;          /* file, directory or PG: connection string */
    int overwrite;             /* replace existing files / tables */
    int append;                /* add to existing GPKG / PostgreSQL layers */
    const ga_filter *filter;   /* prepared filter, or NULL for everything */
    const char *region_level;  /* boundaries level for regions; NULL = adm1 */
    ga_progress_fn progress;   /* may be NULL */
    void *progress_arg;
} ga_export_opts;

typedef struct {
    int64_t features[GA_LAYER_COUNT];   /* written, by layer bit index */
    double west, south, east, north;    /* extent of events (NAN when none) */
    char date_min[11], date_max[11];    /* event_date range, "" when none */
    char paths[GA_LAYER_COUNT][4096];   /* file written per layer ("" none) */
} ga_export_stats;

/* Write the layers. On failure nothing is left at the destination (files)
 * or the transaction is rolled back (PostgreSQL), and err says why:
 * "'x.gpkg' already exists; use --overwrite to replace it or --append",
 * "cannot write 'dir/x.geojson': directory 'dir' is not writable",
 * "unknown format 'xyz'; supported: ...", "cannot connect to PostgreSQL
 * ...". stats may be NULL. */
ga_rc ga_export_write(ga_store *st, const ga_export_opts *o, ga_export_stats *stats,
                      ga_err *err);
typedef ga_rc ga_export_write_fn(ga_store *st, const ga_export_opts *o,
                                 ga_export_stats *stats, ga_err *err);

/* Write a QGIS project into dir (created if missing): dir/geoannot.gpkg
 * with every layer, a .qml style per layer, dir/geoannot.qgs loading the
 * layers by relative path with the temporal controller on event_date, and
 * dir/ATTRIBUTION.txt. The styles and the project come from the templates
 * in maps_dir (see ga_export_maps_dir). Existing files there need
 * o->overwrite. o->format, o->dest and o->layers are ignored. */
ga_rc ga_export_qgis_project(ga_store *st, const char *dir, const ga_export_opts *o,
                             ga_export_stats *stats, ga_err *err);
typedef ga_rc ga_export_qgis_project_fn(ga_store *st, const char *dir,
                                        const ga_export_opts *o, ga_export_stats *stats,
                                        ga_err *err);

/* Where the style and project templates live: $GEOANNOT_MAPS, else
 * <binary dir>/../maps or <binary dir>/../share/geoannot/maps, else the
 * source tree's maps/ (GA_SOURCE_DIR). */
const char *ga_export_maps_dir(char *buf, size_t size);

#endif
