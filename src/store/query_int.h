/*
 * query_int.h: internals shared by the query files of src/store
 * (query_region.c resolves regions and near places and builds the cell
 * grid; query.c runs the filtered queries). Not for other modules.
 */
#ifndef GA_QUERY_INT_H
#define GA_QUERY_INT_H

#include "store/store_int.h"
#include "store/ga_store_query.h"

/* Cell states of the region grid. */
enum { GA_CELL_OUT = 0, GA_CELL_IN = 1, GA_CELL_BORDER = 2 };

/* The outline clipped to a block of border cells (SpatiaLite blob). */
typedef struct {
    unsigned char *blob;         /* malloc'd */
    int len;                     /* bytes */
} ga_query_piece;

struct ga_filter_res {
    int has_region;              /* 1 when f->region was resolved */
    ga_region_info info;         /* strings below are owned here */
    char *name, *level, *code, *source, *note;
    unsigned char *geom;         /* the outline, SpatiaLite blob */
    int geom_len;                /* bytes in geom */
    int gw, gh;                  /* grid columns and rows over info's box */
    double cw, ch;               /* cell width and height, degrees */
    unsigned char *cells;        /* gw * gh GA_CELL_* states, row-major from south-west */
    GA_VEC(ga_query_piece) pieces; /* outline clipped to border blocks */
    int *cell_piece;             /* per cell: index in pieces, or -1 */
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
/* Make sure the SQL functions ga_cell(res, x, y), ga_piece(res, x, y) and
 * ga_near(res, x, y) exist on st's connection. */
ga_rc ga_query_register(ga_store *st, ga_err *err);
void ga_query_res_free(ga_filter_res *res);

#endif
