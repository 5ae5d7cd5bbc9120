/*
 * gpkg_index.c: the spatial index of a GeoPackage layer built in one pass
 * after its rows, instead of one R*Tree insert per row.
 *
 * GDAL 3.6 creates a new layer's index when the dataset is closed and
 * fills it with one insert per feature, which is most of the time of a
 * large GeoPackage export. Here GDAL still defines the index: synced while
 * the table is empty, it creates the rtree_<table>_<geom> table, the
 * gpkg_extensions row and its triggers with nothing to fill. The insert
 * trigger is then set aside (its SQL text kept) so the rows go in
 * unindexed while their boxes are collected, and put back before the
 * transaction commits; once GDAL has closed the file, the store module
 * writes the collected boxes as a packed tree (ga_store_rtree.h). The
 * file ends up with GDAL's own definitions, byte for byte, and an index
 * holding the values GDAL's inserts would have stored.
 *
 * Only layers created by this export take this path. A layer that already
 * exists (--append) keeps its index and GDAL's triggers update it row by
 * row: that index is not empty, and rebuilding it would cost what the
 * bulk load saves.
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <cpl_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/ga_store_rtree.h"

struct ga_gpkg_index {
    char table[256];       /* rtree_<table>_<geometry column> */
    char *trigger;         /* GDAL's insert trigger, NULL once it is back */
    ga_rtree *boxes;       /* boxes of the rows written */
};

/* The statements below go through GDAL's own connection, which holds the
 * export's write transaction; GDAL's SQL takes no parameters, so names are
 * written into the text (the layer names of this export, which
 * index_name() checks need no quoting). */

/* Run one statement that returns no rows; GA_OK or err naming the layer. */
static ga_rc run_sql(const ga_xlayer *xl, const char *sql, ga_err *err)
{
    CPLErrorReset();
    OGRLayerH r = GDALDatasetExecuteSQL(xl->ds, sql, NULL, NULL);
    if (r) GDALDatasetReleaseResultSet(xl->ds, r);
    if (CPLGetLastErrorType() >= CE_Failure)
        return ga_err_set(err, GA_EIO, "cannot set up the spatial index of layer '%s': %s",
                          xl->name, ga_export_gdal_msg("driver refused"));
    return GA_OK;
}

/* The SQL text of the trigger called name (malloc'd), or NULL when there
 * is none. */
static char *trigger_sql(const ga_xlayer *xl, const char *name)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND "
             "name = '%s'", name);
    OGRLayerH r = GDALDatasetExecuteSQL(xl->ds, sql, NULL, NULL);
    if (!r) return NULL;
    OGRFeatureH f = OGR_L_GetNextFeature(r);
    char *text = f && OGR_F_IsFieldSetAndNotNull(f, 0) ? strdup(OGR_F_GetFieldAsString(f, 0))
                                                       : NULL;
    if (f) OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(xl->ds, r);
    return text;
}

/* rtree_<table>_<geom> of the layer into out; 0 when the layer has no
 * geometry or its names would need quoting in SQL (GDAL then keeps its
 * own way). */
static int index_name(const ga_xlayer *xl, char *out, size_t n)
{
    const char *geom = OGR_L_GetGeometryColumn(xl->lyr);
    if (!geom || !*geom || strpbrk(geom, "'\"") || strpbrk(xl->name, "'\"")) return 0;
    int len = snprintf(out, n, "rtree_%s_%s", xl->name, geom);
    return len > 0 && (size_t)len < n;
}

ga_rc ga_gpkg_index_begin(ga_xlayer *xl, ga_err *err)
{
    char table[256], name[sizeof table + sizeof "_insert"], sql[sizeof name + 32];
    if (!index_name(xl, table, sizeof table)) return GA_OK;
    CPLErrorReset();
    if (OGR_L_SyncToDisk(xl->lyr) != OGRERR_NONE)
        return ga_err_set(err, GA_EIO, "cannot create layer '%s': %s", xl->name,
                          ga_export_gdal_msg("driver refused"));
    snprintf(name, sizeof name, "%s_insert", table);
    char *trigger = trigger_sql(xl, name);
    if (!trigger) return GA_OK;   /* no index from GDAL: nothing to take over */
    ga_gpkg_index *gi = calloc(1, sizeof *gi);
    ga_rc rc = gi ? ga_rtree_new(&gi->boxes, err) : ga_err_set(err, GA_ENOMEM, "out of memory");
    if (rc) {
        free(trigger);
        ga_gpkg_index_free(gi);
        return rc;
    }
    snprintf(gi->table, sizeof gi->table, "%s", table);
    gi->trigger = trigger;
    xl->index = gi;
    snprintf(sql, sizeof sql, "DROP TRIGGER \"%s\"", name);
    return run_sql(xl, sql, err);
}

ga_rc ga_gpkg_index_add(ga_xlayer *xl, OGRFeatureH f, ga_err *err)
{
    if (!xl->index) return GA_OK;
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    /* GDAL's trigger leaves out null and empty geometries too. */
    if (!g || OGR_G_IsEmpty(g)) return GA_OK;
    OGREnvelope e;
    OGR_G_GetEnvelope(g, &e);
    return ga_rtree_add(xl->index->boxes, OGR_F_GetFID(f), e.MinX, e.MaxX, e.MinY, e.MaxY,
                        err);
}

ga_rc ga_gpkg_index_end(ga_xlayer *xl, ga_err *err)
{
    if (!xl->index || !xl->index->trigger) return GA_OK;
    ga_rc rc = run_sql(xl, xl->index->trigger, err);
    if (rc) return rc;
    free(xl->index->trigger);
    xl->index->trigger = NULL;
    return GA_OK;
}

ga_rc ga_gpkg_index_fill(ga_xlayer *xl, const char *path, const char *shown, ga_err *err)
{
    if (!xl->index) return GA_OK;
    ga_rc rc = ga_rtree_load(xl->index->boxes, path, xl->index->table, err);
    if (rc) ga_err_prefix(err, "cannot index layer '%s' of '%s'", xl->name, shown);
    return rc;
}

void ga_gpkg_index_free(ga_gpkg_index *gi)
{
    if (!gi) return;
    free(gi->trigger);
    ga_rtree_free(gi->boxes);
    free(gi);
}
