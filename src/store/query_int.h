/*
 * query_int.h: internals shared by the query files of src/store
 * (query_region.c resolves regions and near places, query_outline.c
 * holds an outline's grid and exact test, query.c runs the filtered
 * queries). Not for other modules.
 */
#ifndef GA_QUERY_INT_H
#define GA_QUERY_INT_H

#include "store/store_int.h"
#include "store/ga_store_query.h"

/* Cell states of the region grid. */
enum { GA_CELL_OUT = 0, GA_CELL_IN = 1, GA_CELL_BORDER = 2 };

/* A region's outline in memory: edges, grid, exact test (query_outline.c). */
typedef struct ga_outline ga_outline;

/* Read a SpatiaLite Polygon or MultiPolygon blob (uncompressed; XY, XYZ,
 * XYM or XYZM) and classify its grid. GA_EINVAL when the blob is anything
 * else (the caller then falls back to SpatiaLite), GA_ENOMEM. */
ga_rc ga_outline_new(const unsigned char *blob, int len, ga_outline **out, ga_err *err);
void ga_outline_free(ga_outline *o);
/* The box of the outline's vertices. */
void ga_outline_box(const ga_outline *o, double *west, double *south, double *east,
                    double *north);
/* GA_CELL_* state of the grid cell holding (lon x, lat y). The cells are
 * classified grown by about 5 m, so x, y may be a float32 R*Tree corner of
 * the point rather than the point itself. */
int ga_outline_cell(const ga_outline *o, double x, double y);
/* Exact: 1 when (lon x, lat y) is inside the outline or on one of its
 * rings (SpatiaLite's ST_Intersects for a point), else 0. */
int ga_outline_covers(const ga_outline *o, double x, double y);
/* The (lon, lat) of a SpatiaLite Point blob; 0 when b is not one. */
int ga_point_blob_xy(const unsigned char *b, int len, double *x, double *y);

struct ga_filter_res {
    int has_region;              /* 1 when f->region was resolved */
    ga_region_info info;         /* strings below are owned here */
    char *name, *level, *code, *source, *note;
    unsigned char *geom;         /* the outline, SpatiaLite blob */
    int geom_len;                /* bytes in geom */
    ga_outline *outline;         /* grid and exact test; NULL: ST_Intersects on geom */
    int has_near;                /* 1 when f->near was resolved */
    double near_lon, near_lat;   /* centre of the distance filter */
    double near_m;               /* radius, metres */
    double nw, ns, ne, nn;       /* box containing the circle */
    char *near_name;             /* display name of the centre */
};

/* Resolve f->region into res (has_region, info, geom, grid). */
ga_rc ga_query_resolve_region(ga_store *st, const char *region, ga_filter_res *res,
                              ga_err *err);
/* Resolve f->near ("lon,lat", a gid or an exact name) into res. */
ga_rc ga_query_resolve_near(ga_store *st, const char *near, double within_m,
                            ga_filter_res *res, ga_err *err);
/* Make sure the SQL functions ga_cell(res, x, y), ga_inside(res, point
 * blob), ga_near(res, x, y), ga_x(point blob) and ga_y(point blob) exist
 * on st's connection. */
ga_rc ga_query_register(ga_store *st, ga_err *err);
void ga_query_res_free(ga_filter_res *res);

#endif
