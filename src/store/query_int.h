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
/* 0 when every grid cell that the box [x0, x1] x [y0, y1] meets is
 * outside the outline, or the box misses the outline's box (no point of
 * the box can be inside), else 1. */
int ga_outline_box_meets(const ga_outline *o, double x0, double y0, double x1, double y1);
/* 1 when the box [x0, x1] x [y0, y1] lies within the outline's box and
 * every grid cell it meets is inside the outline: ga_outline_cell() says
 * GA_CELL_IN for every point of the box. */
int ga_outline_box_inside(const ga_outline *o, double x0, double y0, double x1, double y1);
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

/* ---- SQL assembly (query.c) ---------------------------------------------- */

/* How build_from_where() tests a layer's rows. */
typedef enum {
    GA_WHERE_INDEXED = 0,   /* R*Tree outer loop, grid, exact test in border cells */
    GA_WHERE_PLAIN,         /* the reference: every row, ST_Intersects, no index */
    GA_WHERE_KEYS           /* the rows a candidate list :keys names; exact spatial
                               tests for those it does not mark sure */
} ga_where;

/* The box all spatial filters of the prepared filter f allow (W, S, E,
 * N); returns 0 when f has no spatial filter. */
int ga_query_spatial_box(const ga_filter *f, double box[4]);
/* Bind every named parameter of the filter SQL (not :keys). */
void ga_query_bind_filter(sqlite3_stmt *s, const ga_filter *f);
/* Prepare select_cols (over "events e", no joins) + the GA_WHERE_KEYS
 * FROM/WHERE of the events layer for the prepared filter f, bound except
 * for :keys. */
ga_rc ga_query_prepare_event_keys(ga_store *st, const char *select_cols, const ga_filter *f,
                                  sqlite3_stmt **s, ga_err *err);

/* Prepare the read of event_cells (event_cells.c) for the prepared
 * filter f: "SELECT id, x, y, rec, lon, lat, origin_lon, origin_lat,
 * dest_lon, dest_lat" of the cells from ?1 to ?2 that pass the filters
 * that are not spatial, bound except for ?1 and ?2. */
enum { GA_CELLS_ID = 0, GA_CELLS_X, GA_CELLS_Y, GA_CELLS_REC, GA_CELLS_LON, GA_CELLS_LAT,
       GA_CELLS_ORIGIN_LON, GA_CELLS_ORIGIN_LAT, GA_CELLS_DEST_LON, GA_CELLS_DEST_LAT };
ga_rc ga_query_prepare_event_cells(ga_store *st, const ga_filter *f, sqlite3_stmt **s,
                                   ga_err *err);
/* Fill e's columns from an event_cells rec (len bytes, a copy this
 * function may write NULs into: each text ends where its field does) and
 * *doc with the document id; the columns omit names get their defaults
 * (query_fetch.c). Returns 0 when rec is not in the format. */
int ga_cells_rec_read(char *rec, size_t len, ga_event_row *e, int64_t *doc, unsigned omit);
/* 1 when the exact point (lon x, lat y) passes the spatial filters of the
 * prepared filter f: inside the search box box, then the region's grid
 * cell and, in a border cell, the point-in-polygon test; --bbox; the
 * distance from the --near centre (query_fetch.c). */
int ga_query_point_pass(const ga_filter *f, const double box[4], double x, double y);

/* ---- event columns (query.c) ------------------------------------------- */

/* Every event query selects "e.id, e.event_date, e.document_id" and then
 * the columns ga_query_event_cols() appends; ga_query_event_read() reads
 * them back into a row. */
enum { GA_EV_FIRST_COL = 3 };

/* Append ", expr" for each column of an event row not in omit (GA_EV_*),
 * over "events e" and, when with_doc, "documents d" (without it the
 * document columns are left out: the caller fills them). */
void ga_query_event_cols(ga_buf *sql, unsigned omit, int with_doc);
/* Fill e from the current row of s (selected as above with the same omit
 * and with_doc): the id, the date through text(), the other columns from
 * GA_EV_FIRST_COL on, each text through text(ctx, s, column) (NULL stays
 * NULL), omitted ones with their defaults. The document columns are left
 * as they are when not with_doc. */
typedef const char *(*ga_col_text_fn)(void *ctx, sqlite3_stmt *s, int i);
void ga_query_event_read(ga_event_row *e, sqlite3_stmt *s, unsigned omit, int with_doc,
                         ga_col_text_fn text, void *ctx);

/* ---- events in two passes (query_fetch.c) ---------------------------------- */

/* Make sure the table-valued function ga_keys(list) exists on st's
 * connection. */
ga_rc ga_query_register_keys(ga_store *st, ga_err *err);

/* ga_store_events_each() for a prepared filter f with a spatial filter:
 * the matching ids from the R*Tree and the grid first, then the rows in
 * id order, then (unless f->unordered) sorted by date in memory. */
ga_rc ga_query_events_spatial(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                              ga_err *err);

/* The same, with the blocks' rows to par_cb in the threads of par when
 * par is set and the blocks answer (then *par_done is 1 and chunk_done
 * has been called; otherwise cb and arg had every row, in this thread). */
ga_rc ga_query_events_spatial_par(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                                  ga_event_cb par_cb, const ga_event_par *par, int *par_done,
                                  ga_err *err);

/* ga_query_events_spatial() from event_blocks (query_blocks.c), for a
 * sorted listing: *done 1 when answered; 0 (nothing passed to cb) when a
 * block needs event_cells' own SQL and the caller must read event_cells. */
ga_rc ga_query_events_blocks(ga_store *st, const ga_filter *f, const double box[4],
                             ga_event_cb cb, void *arg, int *done, ga_err *err);

/* The same, the rows handed to par's threads (ga_store_events_each_par)
 * instead of cb with arg. */
ga_rc ga_query_events_blocks_par(ga_store *st, const ga_filter *f, const double box[4],
                                 ga_event_cb cb, const ga_event_par *par, int *done,
                                 ga_err *err);

#endif
