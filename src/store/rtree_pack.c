/*
 * rtree_pack.c: R*Trees packed in memory and written straight into
 * SQLite's shadow tables (ga_store_rtree.h).
 *
 * The node format, from the comment at the top of SQLite's
 * ext/rtree/rtree.c: every node is a blob of the same size as the root
 * (node 1, created with the table); it starts with a 2-byte big-endian
 * tree depth (root only, 0 for a tree whose root is a leaf) and a 2-byte
 * big-endian cell count, then the cells: an 8-byte big-endian row id (in
 * a leaf) or child node number (above), and the box as four big-endian
 * 32-bit floats in column order (minx, maxx, miny, maxy). %_rowid maps
 * each row id to its leaf, %_parent each non-root node to its parent.
 */
#define _POSIX_C_SOURCE 200809L
#include "store/store_int.h"
#include "store/ga_store_rtree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One entry of a node. */
typedef struct {
    int64_t id;       /* row id (leaf) or child node number (interior) */
    float box[4];     /* minx, maxx, miny, maxy, as the rtree stores them */
} rt_cell;

struct ga_rtree {
    rt_cell *cells;   /* the boxes, in the order added until a load sorts them */
    size_t n;         /* boxes added */
    size_t cap;       /* cells allocated */
};

/* A row of %_rowid (row id -> leaf) or %_parent (node -> parent). */
typedef struct {
    int64_t key;      /* row id or node number */
    int64_t node;     /* the node holding it */
} rt_map;

enum {
    RT_HEADER_BYTES = 4,        /* depth and cell count */
    RT_CELL_BYTES = 8 + 4 * 4,  /* id and four floats */
    RT_MIN_CELLS = 3,           /* SQLite's smallest node (448 bytes) holds 18 */
    RT_ROOT = 1                 /* the root's node number, always */
};

/* The state of one load. */
typedef struct {
    ga_store st;              /* the file's connection, for the store's error helpers */
    char what[512];           /* "cannot write R*Tree 'x' in 'f'", for errors */
    sqlite3_stmt *node;       /* writes a node */
    sqlite3_stmt *rowid;      /* writes a %_rowid row */
    sqlite3_stmt *parent;     /* writes a %_parent row */
    int node_bytes;           /* size of every node blob: that of the root */
    size_t max_cells;         /* cells one node holds */
    int64_t next_node;        /* number of the next non-root node */
    unsigned char *blob;      /* node_bytes of scratch */
    rt_map *map;              /* mappings of the level being written */
    size_t nmap;              /* mappings in map */
} rt_load;

ga_rc ga_rtree_new(ga_rtree **out, ga_err *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? GA_OK : ga_err_set(err, GA_ENOMEM, "out of memory");
}

void ga_rtree_free(ga_rtree *t)
{
    if (!t) return;
    free(t->cells);
    free(t);
}

size_t ga_rtree_count(const ga_rtree *t)
{
    return t ? t->n : 0;
}

/* rtree.c keeps a double bound as the nearest float when that float is on
 * the outer side of it, and otherwise as the float nearest to the double
 * moved outwards by one part in 2^23. Doing the same arithmetic gives the
 * bits a row-by-row insert would have stored, not merely a float as
 * close. */
static float bound_low(double d)
{
    float f = (float)d;
    if (f > d) f = (float)(d * (d < 0 ? 1.0 + 0x1p-23 : 1.0 - 0x1p-23));
    return f;
}

static float bound_high(double d)
{
    float f = (float)d;
    if (f < d) f = (float)(d * (d < 0 ? 1.0 - 0x1p-23 : 1.0 + 0x1p-23));
    return f;
}

ga_rc ga_rtree_add(ga_rtree *t, int64_t id, double minx, double maxx, double miny,
                   double maxy, ga_err *err)
{
    if (t->n == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        rt_cell *nc = realloc(t->cells, ncap * sizeof *nc);
        if (!nc) return ga_err_set(err, GA_ENOMEM, "out of memory");
        t->cells = nc;
        t->cap = ncap;
    }
    t->cells[t->n++] = (rt_cell){id, {bound_low(minx), bound_high(maxx), bound_low(miny),
                                      bound_high(maxy)}};
    return GA_OK;
}

/* ---- sorting ----------------------------------------------------------- */

/* Order by the centre on one axis (box index 0: x, 2: y), then by id so
 * that the tree does not depend on the sort's handling of ties. NaN sorts
 * last, keeping the order total. */
static int cmp_centre(const rt_cell *a, const rt_cell *b, int axis)
{
    double ca = (double)a->box[axis] + a->box[axis + 1];
    double cb = (double)b->box[axis] + b->box[axis + 1];
    if (ca < cb) return -1;
    if (ca > cb) return 1;
    if (isnan(ca) != isnan(cb)) return isnan(ca) ? 1 : -1;
    return (a->id > b->id) - (a->id < b->id);
}

static int by_x(const void *a, const void *b)
{
    return cmp_centre(a, b, 0);
}

static int by_y(const void *a, const void *b)
{
    return cmp_centre(a, b, 2);
}

static int by_key(const void *a, const void *b)
{
    const rt_map *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* ---- writing ----------------------------------------------------------- */

static unsigned char *put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--) p[bytes - 1 - i] = (unsigned char)(v >> (8 * i));
    return p + bytes;
}

/* Write node number no (depth: the tree's depth for the root, else 0)
 * holding cells c[0..n), and note which node each cell now lives in. */
static ga_rc write_node(rt_load *L, int64_t no, int depth, const rt_cell *c, size_t n,
                        ga_err *err)
{
    unsigned char *p = L->blob;
    memset(p, 0, (size_t)L->node_bytes);
    p = put_be(p, (uint64_t)depth, 2);
    p = put_be(p, n, 2);
    for (size_t i = 0; i < n; i++) {
        p = put_be(p, (uint64_t)c[i].id, 8);
        for (int k = 0; k < 4; k++) {
            uint32_t bits;
            memcpy(&bits, &c[i].box[k], sizeof bits);
            p = put_be(p, bits, 4);
        }
        L->map[L->nmap++] = (rt_map){c[i].id, no};
    }
    sqlite3_bind_int64(L->node, 1, no);
    sqlite3_bind_blob(L->node, 2, L->blob, L->node_bytes, SQLITE_STATIC);
    int src = sqlite3_step(L->node);
    sqlite3_reset(L->node);
    return src == SQLITE_DONE ? GA_OK : ga_store_fail(&L->st, err, src, L->what);
}

/* Write the mappings noted since the last flush through s (%_rowid or
 * %_parent), in key order so that each row lands at the end of the
 * table's b-tree. */
static ga_rc flush_map(rt_load *L, sqlite3_stmt *s, ga_err *err)
{
    qsort(L->map, L->nmap, sizeof *L->map, by_key);
    for (size_t i = 0; i < L->nmap; i++) {
        sqlite3_bind_int64(s, 1, L->map[i].key);
        sqlite3_bind_int64(s, 2, L->map[i].node);
        int src = sqlite3_step(s);
        sqlite3_reset(s);
        if (src != SQLITE_DONE) return ga_store_fail(&L->st, err, src, L->what);
    }
    L->nmap = 0;
    return GA_OK;
}

/* The box around cells c[0..n). */
static rt_cell enclose(int64_t id, const rt_cell *c, size_t n)
{
    rt_cell e = {id, {c[0].box[0], c[0].box[1], c[0].box[2], c[0].box[3]}};
    for (size_t i = 1; i < n; i++)
        for (int k = 0; k < 4; k += 2) {
            if (c[i].box[k] < e.box[k]) e.box[k] = c[i].box[k];
            if (c[i].box[k + 1] > e.box[k + 1]) e.box[k + 1] = c[i].box[k + 1];
        }
    return e;
}

/* Pack the k cells of one level (more than fit in one node) into nodes
 * written as they are made: sorted by x into about sqrt(k / max_cells)
 * slices, each slice sorted by y and cut into nodes of equal size (within
 * one), so no node is less than half full. *up gets one cell per node
 * (malloc'd), the level above; *nup their count. */
static ga_rc pack_level(rt_load *L, rt_cell *cells, size_t k, rt_cell **up, size_t *nup,
                        ga_err *err)
{
    size_t m = L->max_cells, nodes = (k + m - 1) / m;
    size_t slices = (size_t)ceil(sqrt((double)nodes));
    *nup = 0;
    /* each slice may round its node count up once */
    if (!(*up = malloc((nodes + slices) * sizeof **up)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    qsort(cells, k, sizeof *cells, by_x);
    for (size_t s = 0; s < slices; s++) {
        size_t a = k * s / slices, n = k * (s + 1) / slices - a, parts = (n + m - 1) / m;
        qsort(cells + a, n, sizeof *cells, by_y);
        for (size_t i = 0; i < parts; i++) {
            size_t c = a + n * i / parts, d = a + n * (i + 1) / parts;
            int64_t no = L->next_node++;
            ga_rc rc = write_node(L, no, 0, cells + c, d - c, err);
            if (rc) return rc;
            (*up)[(*nup)++] = enclose(no, cells + c, d - c);
        }
    }
    return GA_OK;
}

/* Build the whole tree from the n > 0 boxes in cells, level by level up
 * to the root. The leaves' cells map row ids (%_rowid), the others' child
 * nodes (%_parent). */
static ga_rc pack(rt_load *L, rt_cell *cells, size_t n, ga_err *err)
{
    rt_cell *level = cells, *owned = NULL;
    size_t k = n;
    int depth = 0;
    ga_rc rc = GA_OK;
    while (rc == GA_OK && k > L->max_cells) {
        rt_cell *up = NULL;
        size_t nup = 0;
        rc = pack_level(L, level, k, &up, &nup, err);
        if (rc == GA_OK) rc = flush_map(L, depth == 0 ? L->rowid : L->parent, err);
        free(owned);
        owned = level = up;
        k = nup;
        depth++;
    }
    if (rc == GA_OK) rc = write_node(L, RT_ROOT, depth, level, k, err);
    if (rc == GA_OK) rc = flush_map(L, depth == 0 ? L->rowid : L->parent, err);
    free(owned);
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

/* Prepare sql, in which each %w (up to four) stands for the table name,
 * quoted as an identifier: names cannot be bound. */
static ga_rc prepare_named(rt_load *L, const char *sql, const char *table, sqlite3_stmt **s,
                           ga_err *err)
{
    char *q = sqlite3_mprintf(sql, table, table, table, table);
    if (!q) return ga_err_set(err, GA_ENOMEM, "out of memory");
    int src = sqlite3_prepare_v2(L->st.db, q, -1, s, NULL);
    sqlite3_free(q);
    return src == SQLITE_OK ? GA_OK : ga_store_fail(&L->st, err, src, L->what);
}

/* Check that the tree holds nothing yet (a root without cells, no other
 * node, no row) and take the node size from its root. */
static ga_rc read_empty_root(rt_load *L, const char *table, ga_err *err)
{
    sqlite3_stmt *s = NULL;
    ga_rc rc = prepare_named(L, "SELECT (SELECT data FROM \"%w_node\" WHERE nodeno = 1),"
                             " (SELECT count(*) FROM \"%w_node\"),"
                             " (SELECT count(*) FROM \"%w_rowid\"),"
                             " (SELECT count(*) FROM \"%w_parent\")", table, &s, err);
    if (rc) return rc;
    int src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        rc = ga_store_fail(&L->st, err, src, L->what);
    } else {
        const unsigned char *root = sqlite3_column_blob(s, 0);
        L->node_bytes = sqlite3_column_bytes(s, 0);
        int empty = root && L->node_bytes >= RT_HEADER_BYTES && root[2] == 0 && root[3] == 0 &&
                    sqlite3_column_int64(s, 1) == 1 && sqlite3_column_int64(s, 2) == 0 &&
                    sqlite3_column_int64(s, 3) == 0;
        L->max_cells = empty ? (size_t)(L->node_bytes - RT_HEADER_BYTES) / RT_CELL_BYTES : 0;
        if (!empty)
            rc = ga_err_set(err, GA_EINVAL, "R*Tree '%s' in '%s' is not empty", table,
                            L->st.path);
        else if (L->max_cells < RT_MIN_CELLS)
            rc = ga_err_set(err, GA_EFORMAT, "R*Tree '%s' in '%s' has %d-byte nodes, too "
                            "small for an R*Tree", table, L->st.path, L->node_bytes);
    }
    sqlite3_finalize(s);
    return rc;
}

static ga_rc prepare_load(rt_load *L, const char *table, size_t n, ga_err *err)
{
    ga_rc rc = ga_store_exec(&L->st, "BEGIN IMMEDIATE", err);
    if (!rc) rc = read_empty_root(L, table, err);
    if (!rc) rc = prepare_named(L, "INSERT OR REPLACE INTO \"%w_node\"(nodeno, data) "
                                "VALUES (?1, ?2)", table, &L->node, err);
    if (!rc) rc = prepare_named(L, "INSERT INTO \"%w_rowid\"(rowid, nodeno) VALUES (?1, ?2)",
                                table, &L->rowid, err);
    if (!rc) rc = prepare_named(L, "INSERT INTO \"%w_parent\"(nodeno, parentnode) "
                                "VALUES (?1, ?2)", table, &L->parent, err);
    if (rc) return rc;
    L->next_node = RT_ROOT + 1;
    L->blob = malloc((size_t)L->node_bytes);
    L->map = malloc(n * sizeof *L->map);   /* the leaves map every box, the most of any level */
    if (!L->blob || !L->map) return ga_err_set(err, GA_ENOMEM, "out of memory");
    return GA_OK;
}

ga_rc ga_rtree_load(ga_rtree *t, const char *path, const char *table, ga_err *err)
{
    if (!t->n) return GA_OK;
    rt_load L = {.st = {.path = (char *)path}};
    snprintf(L.what, sizeof L.what, "cannot write R*Tree '%s' in '%s'", table, path);
    ga_rc rc = GA_OK;
    int src = sqlite3_open_v2(path, &L.st.db, SQLITE_OPEN_READWRITE, NULL);
    if (src != SQLITE_OK) {
        rc = ga_err_set(err, GA_EIO, "cannot open '%s': %s", path,
                        L.st.db ? sqlite3_errmsg(L.st.db) : sqlite3_errstr(src));
        goto done;
    }
    if ((rc = prepare_load(&L, table, t->n, err))) goto done;
    if ((rc = pack(&L, t->cells, t->n, err))) goto done;
    rc = ga_store_exec(&L.st, "COMMIT", err);
done:
    sqlite3_finalize(L.node);
    sqlite3_finalize(L.rowid);
    sqlite3_finalize(L.parent);
    if (rc && L.st.db && !sqlite3_get_autocommit(L.st.db))
        sqlite3_exec(L.st.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(L.st.db);
    free(L.blob);
    free(L.map);
    return rc;
}
