/*
 * ga_store_rtree.h: an SQLite R*Tree (a two-dimensional `rtree` virtual
 * table such as a GeoPackage spatial index) filled in one pass from boxes
 * collected beforehand, instead of one insert per row.
 *
 * SQLite inserts into an R*Tree one box at a time, choosing a leaf and
 * splitting nodes as it goes: about 17 µs a box on a million-box tree,
 * whatever order the boxes come in. Here the tree is packed in memory
 * (Sort-Tile-Recursive: the boxes sorted by x into vertical slices, each
 * slice sorted by y and cut into full nodes, the same again one level up
 * until one root remains) and its nodes are written straight into the
 * table's shadow tables (%_node, %_parent, %_rowid) in the format SQLite's
 * ext/rtree/rtree.c documents. The result passes SQLite's rtreecheck()
 * and later inserts, updates and deletes through the virtual table work on
 * it as on a tree SQLite built itself.
 *
 * Boxes are kept as SQLite keeps them, 32-bit floats rounded outwards the
 * way rtree.c rounds a double on insert, so the table holds exactly the
 * values row-by-row inserts would have stored. Boxes are (x, y) = (lon,
 * lat) for a GeoPackage in EPSG:4326, but nothing here depends on that.
 */
#ifndef GA_STORE_RTREE_H
#define GA_STORE_RTREE_H

#include <stddef.h>
#include <stdint.h>
#include "core/ga_core.h"

/* The boxes collected for one R*Tree. */
typedef struct ga_rtree ga_rtree;

/* A new, empty collection; *out is NULL on failure (out of memory). */
ga_rc ga_rtree_new(ga_rtree **out, ga_err *err);
void ga_rtree_free(ga_rtree *t);   /* NULL is harmless */

/* Add the box of row id (min <= max on each axis). GA_ENOMEM when the
 * collection cannot grow. */
ga_rc ga_rtree_add(ga_rtree *t, int64_t id, double minx, double maxx, double miny,
                   double maxy, ga_err *err);
/* Boxes added so far. */
size_t ga_rtree_count(const ga_rtree *t);

/* Write the boxes of t into table, an existing and empty two-dimensional
 * rtree table (id, minx, maxx, miny, maxy) of the SQLite database file at
 * path, in one transaction of its own (so no other connection may be
 * writing the file). Reorders the boxes of t. Nothing is written when t
 * is empty. Errors name the file: "cannot open 'x.gpkg': ...", "R*Tree
 * 'rtree_t_geom' in 'x.gpkg' is not empty", "... database or disk is
 * full". */
ga_rc ga_rtree_load(ga_rtree *t, const char *path, const char *table, ga_err *err);

#endif
