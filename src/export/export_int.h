/*
 * export_int.h: internals shared by the files of src/export: the layer
 * schemas and row writers (layers.c), the CSV HXL post-processing
 * (csv_hxl.c), attribution text (attrib.c) and the dataset handling and
 * orchestration (export.c, qgis_project.c).
 */
#ifndef GA_EXPORT_INT_H
#define GA_EXPORT_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include "export/ga_export.h"
#include "store/ga_store_export.h"

/* One attribute of a layer schema. */
typedef struct {
    const char *name;      /* field name (lower case, never "fid") */
    OGRFieldType type;     /* OFTDate is written as a string in CSV */
    const char *hxl;       /* HXL hashtag for CSV, or NULL */
} ga_xfield;

enum { GA_XMAX_FIELDS = 64 };

/* A GeoPackage layer's spatial index, filled after its rows. */
typedef struct ga_gpkg_index ga_gpkg_index;

/* One layer being written. */
typedef struct {
    int bit;                       /* GA_LAYER_* */
    const char *name;              /* layer name */
    OGRwkbGeometryType gtype;      /* geometry type */
    GDALDatasetH ds;               /* dataset holding the layer (not owned here) */
    OGRLayerH lyr;                 /* the layer, NULL when not requested */
    int dates_as_text;             /* 1 for CSV: ISO strings instead of OFTDate */
    int xy_fields;                 /* 1: lon/lat are attributes (points in CSV) */
    ga_xfield fields[GA_XMAX_FIELDS];  /* schema in our order */
    char *field_names[GA_XMAX_FIELDS]; /* owned names for dynamic fields */
    int nfields;
    char tag_buf[2][32];           /* level-dependent HXL tags (regions) */
    int map[GA_XMAX_FIELDS];       /* our index -> OGR field index */
    int64_t written;               /* features written */
    OGRFeatureH feat;              /* reused for every row (owned), NULL before the first */
    ga_gpkg_index *index;          /* GPKG: index filled after the rows (owned); NULL when
                                      GDAL indexes each row itself */
} ga_xlayer;

/* Build the schema of layer bit (types: event types for regions count
 * columns; level: region level). csv selects text dates and xy fields. */
ga_rc ga_xlayer_init(ga_xlayer *xl, int bit, char *const *types, const char *level, int csv,
                     ga_err *err);
void ga_xlayer_clear(ga_xlayer *xl);
/* Free the feature xl reuses between rows; done before its dataset closes.
 * Harmless when there is none. */
void ga_xlayer_release(ga_xlayer *xl);
/* Create the fields on xl->lyr (or, for an existing layer being appended
 * to, find them and add the missing ones) and fill xl->map. */
ga_rc ga_xlayer_bind(ga_xlayer *xl, ga_err *err);

/* Row writers; each returns GA_OK or fills err. */
ga_rc ga_xlayer_event(ga_xlayer *xl, const ga_event_row *e, ga_err *err);
ga_rc ga_xlayer_flow(ga_xlayer *xl, const ga_event_row *e, ga_err *err);
ga_rc ga_xlayer_mention(ga_xlayer *xl, const ga_mention_row *m, ga_err *err);
ga_rc ga_xlayer_place(ga_xlayer *xl, const ga_place_row *p, ga_err *err);
ga_rc ga_xlayer_region(ga_xlayer *xl, const ga_xregion_row *r, ga_err *err);

/* The GeoPackage spatial index of a layer this export creates, in four
 * steps (see gpkg_index.c). begin: right after the layer and its fields
 * are created, before any row; GDAL creates the empty index and its
 * triggers, the insert trigger is set aside and xl->index set (left NULL
 * when GDAL made no index). add: after each row is written, its box.
 * end: before the dataset's transaction commits, the trigger is put back.
 * fill: once the dataset is closed, the boxes are written into the index
 * of the file at path (shown: the name to use in messages). Each is a
 * no-op when xl->index is NULL. */
ga_rc ga_gpkg_index_begin(ga_xlayer *xl, ga_err *err);
ga_rc ga_gpkg_index_add(ga_xlayer *xl, OGRFeatureH f, ga_err *err);
ga_rc ga_gpkg_index_end(ga_xlayer *xl, ga_err *err);
ga_rc ga_gpkg_index_fill(ga_xlayer *xl, const char *path, const char *shown, ga_err *err);
void ga_gpkg_index_free(ga_gpkg_index *gi);   /* NULL is harmless */

/* Insert the HXL hashtag row under the header of the CSV file src,
 * writing dst. Columns are matched by name to xl's schema. */
ga_rc ga_csv_add_hxl(const ga_xlayer *xl, const char *src, const char *dst, ga_err *err);

/* Attribution text for the gazetteer sources in st (malloc'd). */
char *ga_export_attribution(ga_store *st, ga_err *err);

/* The last GDAL error message, or fallback when there is none. */
const char *ga_export_gdal_msg(const char *fallback);

#endif
