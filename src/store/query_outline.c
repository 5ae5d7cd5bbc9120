/*
 * query_outline.c: a region's outline held in memory for region queries:
 * its edges read from the SpatiaLite blob, a grid over its box whose
 * cells are inside, outside or on the border, and the exact
 * point-in-polygon test for points in border cells. See query_int.h.
 *
 * The grid: every edge marks the cells whose box (grown by CELL_EPS) it
 * comes near as border cells; every other cell is wholly inside or wholly
 * outside, which one is decided by testing its centre. A point placed in
 * a cell by its R*Tree box (float32, rounded outwards by a few 1e-6
 * degrees) lies within the grown cell, so an inside cell accepts it and an
 * outside cell refuses it with no further test.
 *
 * The exact test (ga_outline_covers) has the meaning of SpatiaLite's
 * ST_Intersects for a point and an area: inside, or on any ring (a point
 * on a border shared by two areas belongs to both). It counts the edges
 * crossed by a ray from the point towards +x, per polygon (shell and
 * holes), using only the edges listed for the point's grid row. Which
 * side of an edge the point lies on is the sign of a 2x2 determinant,
 * first in floating point with an error bound and, when that cannot
 * decide (the point is on the edge's line or within rounding of it),
 * exactly: the determinant as a sum of products of exact differences,
 * each split by fma(), added without rounding into a floating-point
 * expansion whose largest term carries the sign. Exact for all inputs
 * whose coordinate differences are above 1e-140 (below that the low parts
 * of products would underflow).
 */
#include "store/query_int.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Grid cells along each side of the outline's box: cells of about
 * GRID_DEG degrees, from GRID_MIN to GRID_MAX a side. Cells that small
 * leave few points of a governorate to the exact test and let whole
 * 0.1-degree blocks of event_blocks be found inside (query_blocks.c): 128
 * a side for Homs (cells of 0.03 degree) cost its listing about three
 * times as much in point tests as 512; 1024 costs more to classify than
 * it saves. A small area keeps GRID_MIN, whose classification costs a
 * fraction of a millisecond. */
#define GRID_DEG 0.008
#define GRID_MIN 128
#define GRID_MAX 512
/* Growth of each cell when classifying it, degrees (about 5 m): more than
 * the outward rounding of float32 R*Tree boxes anywhere (3.1e-5 near
 * 180). Points that close outside the outline's box are put in its edge
 * cells (CELL_SLACK). */
#define CELL_EPS 5e-5
#define CELL_SLACK 4e-5
/* Margin, degrees, by which an edge must miss a grown cell for the cell
 * not to be a border cell; far above the rounding of the test itself. */
#define MISS_EPS 1e-9

typedef struct {
    double ax, ay, bx, by;       /* the edge from a to b, (lon, lat) */
    int poly;                    /* index of its polygon (shell and holes) */
} edge;

typedef GA_VEC(edge) edge_vec;

struct ga_outline {
    double west, south, east, north; /* box of the vertices */
    edge *edges;                 /* every ring's edges, polygon by polygon */
    size_t nedges;
    int gw, gh;                  /* grid columns and rows */
    double cw, ch;               /* cell width and height, degrees */
    unsigned char *cells;        /* gw * gh GA_CELL_* states, row-major from south-west */
    uint32_t *row_start;         /* gh + 1 offsets into row_edge */
    uint32_t *row_edge;          /* per grid row: edges that meet its grown band, in
                                    polygon order */
};

/* ---- exact orientation ---------------------------------------------------- */

/* a + b = *s + *e exactly (round to nearest, no extended precision). */
static void two_sum(double a, double b, double *s, double *e)
{
    double x = a + b, bv = x - a, av = x - bv;
    *s = x;
    *e = (a - av) + (b - bv);
}

/* Add b to the expansion e[0..*n) (non-overlapping, increasing
 * magnitude, no zeros), keeping those properties. */
static void grow(double *e, int *n, double b)
{
    double q = b;
    int k = 0;
    for (int i = 0; i < *n; i++) {
        double s, err;
        two_sum(q, e[i], &s, &err);
        if (err != 0) e[k++] = err;
        q = s;
    }
    if (q != 0) e[k++] = q;
    *n = k;
}

/* Add the exact product of (ah + al) and (bh + bl), times sign, to e. */
static void grow_product(double *e, int *n, double ah, double al, double bh, double bl,
                         double sign)
{
    const double x[2] = {ah, al}, y[2] = {bh, bl};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            double p = x[i] * y[j];
            grow(e, n, sign * fma(x[i], y[j], -p));
            grow(e, n, sign * p);
        }
}

/* Sign (-1, 0, 1) of (bx - ax) * (py - ay) - (by - ay) * (px - ax):
 * positive when p is left of the line from a to b. */
static int orient(double ax, double ay, double bx, double by, double px, double py)
{
    double l = (bx - ax) * (py - ay), r = (by - ay) * (px - ax), det = l - r;
    double bound = 1e-15 * (fabs(l) + fabs(r));
    if (det > bound) return 1;
    if (det < -bound) return -1;
    /* exact: each difference as a rounded value plus its rounding error */
    double d[4][2];
    two_sum(bx, -ax, &d[0][0], &d[0][1]);
    two_sum(py, -ay, &d[1][0], &d[1][1]);
    two_sum(by, -ay, &d[2][0], &d[2][1]);
    two_sum(px, -ax, &d[3][0], &d[3][1]);
    double e[40];
    int n = 0;
    grow_product(e, &n, d[0][0], d[0][1], d[1][0], d[1][1], 1.0);
    grow_product(e, &n, d[2][0], d[2][1], d[3][0], d[3][1], -1.0);
    return n == 0 ? 0 : e[n - 1] > 0 ? 1 : -1;
}

/* ---- reading SpatiaLite blobs ---------------------------------------------- */

/* A cursor over a blob whose numbers are in the byte order it declares. */
typedef struct {
    const unsigned char *p, *end;
    int swap;                    /* 1: byte order differs from this machine's */
} rd;

static int rd_bytes(rd *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n) return 0;
    unsigned char *o = out;
    if (r->swap)
        for (size_t i = 0; i < n; i++) o[i] = r->p[n - 1 - i];
    else
        memcpy(o, r->p, n);
    r->p += n;
    return 1;
}

static int rd_u32(rd *r, uint32_t *v) { return rd_bytes(r, v, 4); }
static int rd_f64(rd *r, double *v) { return rd_bytes(r, v, 8); }

/* Check the blob's header and trailer; leave r after the class type,
 * which goes in *cls. */
static int rd_header(rd *r, const unsigned char *b, int len, uint32_t *cls)
{
    static const uint16_t probe = 1;
    int little = *(const unsigned char *)&probe == 1;
    if (!b || len < 44 || b[0] != 0x00 || b[38] != 0x7C || b[len - 1] != 0xFE) return 0;
    if (b[1] != 0x00 && b[1] != 0x01) return 0;
    r->p = b + 39;
    r->end = b + len - 1;
    r->swap = (b[1] == 0x01) != little;
    return rd_u32(r, cls);
}

/* Doubles per vertex for a class type (XY, XYZ, XYM, XYZM), or 0 when the
 * type is not base (1 point, 3 polygon, 6 multipolygon) in one of those. */
static int stride_of(uint32_t cls, uint32_t base)
{
    static const int per[4] = {2, 3, 3, 4};
    if (cls % 1000 != base || cls >= 4000) return 0;
    return per[cls / 1000];
}

int ga_point_blob_xy(const unsigned char *b, int len, double *x, double *y)
{
    rd r;
    uint32_t cls;
    if (!rd_header(&r, b, len, &cls) || !stride_of(cls, 1)) return 0;
    return rd_f64(&r, x) && rd_f64(&r, y);
}

/* Append the rings of one polygon body at r as edges of polygon poly. */
static ga_rc read_polygon(rd *r, int stride, int poly, edge_vec *out)
{
    uint32_t nrings;
    if (!rd_u32(r, &nrings)) return GA_EINVAL;
    for (uint32_t k = 0; k < nrings; k++) {
        uint32_t npts;
        if (!rd_u32(r, &npts) || (size_t)(r->end - r->p) / (8u * (unsigned)stride) < npts)
            return GA_EINVAL;
        double fx = 0, fy = 0, px = 0, py = 0;
        for (uint32_t i = 0; i < npts; i++) {
            double v[4];
            for (int c = 0; c < stride; c++)
                if (!rd_f64(r, &v[c])) return GA_EINVAL;
            if (i == 0) {
                fx = v[0];
                fy = v[1];
            } else if (v[0] != px || v[1] != py) {
                edge e = {px, py, v[0], v[1], poly};
                if (ga_vec_push(out, e)) return GA_ENOMEM;
            }
            px = v[0];
            py = v[1];
        }
        if (npts > 1 && (px != fx || py != fy)) {   /* close an open ring */
            edge e = {px, py, fx, fy, poly};
            if (ga_vec_push(out, e)) return GA_ENOMEM;
        }
    }
    return GA_OK;
}

/* The edges of a (multi)polygon blob. */
static ga_rc read_edges(const unsigned char *b, int len, edge_vec *out)
{
    rd r;
    uint32_t cls;
    if (!rd_header(&r, b, len, &cls)) return GA_EINVAL;
    int stride = stride_of(cls, 3);
    if (stride) {
        ga_rc rc = read_polygon(&r, stride, 0, out);
        return rc ? rc : r.p == r.end ? GA_OK : GA_EINVAL;
    }
    if (!stride_of(cls, 6)) return GA_EINVAL;
    uint32_t n;
    if (!rd_u32(&r, &n)) return GA_EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t sub;
        if (r.p >= r.end || *r.p != 0x69) return GA_EINVAL;
        r.p++;
        if (!rd_u32(&r, &sub) || !(stride = stride_of(sub, 3))) return GA_EINVAL;
        ga_rc rc = read_polygon(&r, stride, (int)i, out);
        if (rc) return rc;
    }
    return r.p == r.end ? GA_OK : GA_EINVAL;
}

/* ---- grid ---------------------------------------------------------------------- */

/* Grid row of y, clamped to the grid. */
static int row_of(const ga_outline *o, double y)
{
    double r = floor((y - o->south) / o->ch);
    return r < 0 ? 0 : r >= o->gh ? o->gh - 1 : (int)r;
}

static int col_of(const ga_outline *o, double x)
{
    double c = floor((x - o->west) / o->cw);
    return c < 0 ? 0 : c >= o->gw ? o->gw - 1 : (int)c;
}

/* 1 when edge e comes within MISS_EPS of the box [x0,x1] x [y0,y1]. */
static int edge_meets(const edge *e, double x0, double y0, double x1, double y1)
{
    if (fmax(e->ax, e->bx) < x0 - MISS_EPS || fmin(e->ax, e->bx) > x1 + MISS_EPS ||
        fmax(e->ay, e->by) < y0 - MISS_EPS || fmin(e->ay, e->by) > y1 + MISS_EPS)
        return 0;
    double dx = e->bx - e->ax, dy = e->by - e->ay;
    double m = MISS_EPS * sqrt(dx * dx + dy * dy);
    double c[4] = {dx * (y0 - e->ay) - dy * (x0 - e->ax), dx * (y0 - e->ay) - dy * (x1 - e->ax),
                   dx * (y1 - e->ay) - dy * (x0 - e->ax), dx * (y1 - e->ay) - dy * (x1 - e->ax)};
    int above = 0, below = 0;
    for (int i = 0; i < 4; i++) {
        above += c[i] > m;
        below += c[i] < -m;
    }
    return above < 4 && below < 4;
}

/* fmin and fmax of two numbers (every coordinate of an outline is one:
 * ga_outline_new refuses others), without a call into libm. */
static inline double min2(double a, double b) { return b < a ? b : a; }
static inline double max2(double a, double b) { return b > a ? b : a; }

/* Exact test of (x, y) against the edges of its row (the box already
 * checked). */
static int covers_row(const ga_outline *o, double x, double y)
{
    int row = row_of(o, y);
    int poly = -1, odd = 0;
    for (uint32_t k = o->row_start[row]; k < o->row_start[row + 1]; k++) {
        const edge *e = &o->edges[o->row_edge[k]];
        if (e->poly != poly) {
            if (odd) return 1;
            poly = e->poly;
            odd = 0;
        }
        int up = e->ay > y, vp = e->by > y;
        if (up != vp) {   /* the edge crosses the line y (half-open at its ends) */
            if (x < min2(e->ax, e->bx)) {
                odd ^= 1;
                continue;
            }
            if (x > max2(e->ax, e->bx)) continue;
            int s = orient(e->ax, e->ay, e->bx, e->by, x, y);
            if (s == 0) return 1;   /* on the edge */
            if ((s > 0) == (e->by > e->ay)) odd ^= 1;
        } else if (y >= min2(e->ay, e->by) && y <= max2(e->ay, e->by) &&
                   x >= min2(e->ax, e->bx) && x <= max2(e->ax, e->bx) &&
                   orient(e->ax, e->ay, e->bx, e->by, x, y) == 0) {
            return 1;   /* on an edge that touches the line (horizontal, or an end) */
        }
    }
    return odd;
}

int ga_outline_covers(const ga_outline *o, double x, double y)
{
    if (!(x >= o->west && x <= o->east && y >= o->south && y <= o->north)) return 0;
    return covers_row(o, x, y);
}

int ga_outline_cell(const ga_outline *o, double x, double y)
{
    double cx = floor((x - o->west) / o->cw), cy = floor((y - o->south) / o->ch);
    /* Points on the box's edges (and R*Tree corners rounded just outside
     * them) belong to the edge cells, which were classified grown. */
    if (cx < 0 && x >= o->west - CELL_SLACK) cx = 0;
    if (cy < 0 && y >= o->south - CELL_SLACK) cy = 0;
    if (cx >= o->gw && x <= o->east + CELL_SLACK) cx = o->gw - 1;
    if (cy >= o->gh && y <= o->north + CELL_SLACK) cy = o->gh - 1;
    if (!(cx >= 0 && cy >= 0 && cx < o->gw && cy < o->gh)) return GA_CELL_OUT;
    return o->cells[(size_t)cy * (size_t)o->gw + (size_t)cx];
}

int ga_outline_box_meets(const ga_outline *o, double x0, double y0, double x1, double y1)
{
    /* points outside the outline's box are never inside (ga_outline_covers) */
    if (x1 < o->west || x0 > o->east || y1 < o->south || y0 > o->north) return 0;
    int c0 = col_of(o, x0), c1 = col_of(o, x1), r0 = row_of(o, y0), r1 = row_of(o, y1);
    for (int r = r0; r <= r1; r++) {
        const unsigned char *row = o->cells + (size_t)r * (size_t)o->gw;
        for (int c = c0; c <= c1; c++)
            if (row[c] != GA_CELL_OUT) return 1;
    }
    return 0;
}

int ga_outline_box_inside(const ga_outline *o, double x0, double y0, double x1, double y1)
{
    if (!(x0 >= o->west && x1 <= o->east && y0 >= o->south && y1 <= o->north)) return 0;
    int c0 = col_of(o, x0), c1 = col_of(o, x1), r0 = row_of(o, y0), r1 = row_of(o, y1);
    for (int r = r0; r <= r1; r++) {
        const unsigned char *row = o->cells + (size_t)r * (size_t)o->gw;
        for (int c = c0; c <= c1; c++)
            if (row[c] != GA_CELL_IN) return 0;
    }
    return 1;
}

void ga_outline_box(const ga_outline *o, double *west, double *south, double *east,
                    double *north)
{
    *west = o->west;
    *south = o->south;
    *east = o->east;
    *north = o->north;
}

void ga_outline_free(ga_outline *o)
{
    if (!o) return;
    free(o->edges);
    free(o->cells);
    free(o->row_start);
    free(o->row_edge);
    free(o);
}

/* List, per grid row, the edges whose y-range meets the row's band grown
 * by CELL_EPS (every edge a point of the row can be on or cross). */
static ga_rc build_rows(ga_outline *o)
{
    o->row_start = calloc((size_t)o->gh + 1, sizeof *o->row_start);
    if (!o->row_start) return GA_ENOMEM;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (int r = 0; r < o->gh; r++) o->row_start[r + 1] += o->row_start[r];
            total = o->row_start[o->gh];
            if (total > UINT32_MAX) return GA_ENOMEM;
            o->row_edge = malloc((total ? total : 1) * sizeof *o->row_edge);
            if (!o->row_edge) return GA_ENOMEM;
        }
        uint32_t *fill = NULL;
        if (pass == 1) {
            fill = malloc((size_t)o->gh * sizeof *fill);
            if (!fill) return GA_ENOMEM;
            memcpy(fill, o->row_start, (size_t)o->gh * sizeof *fill);
        }
        for (size_t i = 0; i < o->nedges; i++) {
            const edge *e = &o->edges[i];
            int r0 = row_of(o, fmin(e->ay, e->by) - CELL_EPS);
            int r1 = row_of(o, fmax(e->ay, e->by) + CELL_EPS);
            for (int r = r0; r <= r1; r++) {
                if (pass == 0) o->row_start[r + 1]++;
                else o->row_edge[fill[r]++] = (uint32_t)i;
            }
        }
        free(fill);
    }
    return GA_OK;
}

/* Mark the border cells, then classify the others by their centres. */
static void classify(ga_outline *o)
{
    for (size_t i = 0; i < o->nedges; i++) {
        const edge *e = &o->edges[i];
        int c0 = col_of(o, fmin(e->ax, e->bx) - CELL_EPS), c1 = col_of(o, fmax(e->ax, e->bx) + CELL_EPS);
        int r0 = row_of(o, fmin(e->ay, e->by) - CELL_EPS), r1 = row_of(o, fmax(e->ay, e->by) + CELL_EPS);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) {
                unsigned char *cell = &o->cells[(size_t)r * (size_t)o->gw + (size_t)c];
                if (*cell == GA_CELL_BORDER) continue;
                double x0 = o->west + c * o->cw - CELL_EPS, y0 = o->south + r * o->ch - CELL_EPS;
                if (edge_meets(e, x0, y0, x0 + o->cw + 2 * CELL_EPS, y0 + o->ch + 2 * CELL_EPS))
                    *cell = GA_CELL_BORDER;
            }
    }
    /* A run of side-by-side cells that are not border cells is all inside
     * or all outside: the line joining their centres stays within those
     * cells, which no edge comes near, so it crosses no ring. One test
     * per run instead of one per cell. */
    for (int r = 0; r < o->gh; r++) {
        unsigned char *row = &o->cells[(size_t)r * (size_t)o->gw];
        unsigned char state = GA_CELL_BORDER;   /* of the run so far; BORDER: none */
        for (int c = 0; c < o->gw; c++) {
            if (row[c] == GA_CELL_BORDER) {
                state = GA_CELL_BORDER;
                continue;
            }
            if (state == GA_CELL_BORDER)
                state = covers_row(o, o->west + (c + 0.5) * o->cw, o->south + (r + 0.5) * o->ch)
                            ? GA_CELL_IN
                            : GA_CELL_OUT;
            row[c] = state;
        }
    }
}

ga_rc ga_outline_new(const unsigned char *blob, int len, ga_outline **out, ga_err *err)
{
    *out = NULL;
    edge_vec edges = {0};
    ga_rc rc = read_edges(blob, len, &edges);
    if (rc == GA_OK && edges.n == 0) rc = GA_EINVAL;
    for (size_t i = 0; i < edges.n && rc == GA_OK; i++)   /* numbers only */
        if (!isfinite(edges.v[i].ax) || !isfinite(edges.v[i].ay) || !isfinite(edges.v[i].bx) ||
            !isfinite(edges.v[i].by))
            rc = GA_EINVAL;
    if (rc) {
        ga_vec_free(&edges);
        return rc == GA_ENOMEM ? ga_err_set(err, GA_ENOMEM, "out of memory")
                               : ga_err_set(err, GA_EINVAL, "outline is not a plain polygon "
                                            "or multipolygon blob");
    }
    ga_outline *o = calloc(1, sizeof *o);
    if (!o) {
        ga_vec_free(&edges);
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    o->edges = edges.v;
    o->nedges = edges.n;
    o->west = o->south = INFINITY;
    o->east = o->north = -INFINITY;
    for (size_t i = 0; i < o->nedges; i++) {
        const edge *e = &o->edges[i];
        o->west = fmin(o->west, fmin(e->ax, e->bx));
        o->east = fmax(o->east, fmax(e->ax, e->bx));
        o->south = fmin(o->south, fmin(e->ay, e->by));
        o->north = fmax(o->north, fmax(e->ay, e->by));
    }
    if (!(o->east - o->west < INFINITY) || !(o->north - o->south < INFINITY)) {
        ga_outline_free(o);
        return ga_err_set(err, GA_EINVAL, "outline has coordinates that are not numbers");
    }
    /* A flat outline (no area) gets one cell: every point is tested. */
    int flat = !(o->east > o->west) || !(o->north > o->south);
    double side = fmax(o->east - o->west, o->north - o->south) / GRID_DEG;
    o->gw = o->gh = flat ? 1 : side >= GRID_MAX ? GRID_MAX : side <= GRID_MIN ? GRID_MIN
                                                                            : (int)ceil(side);
    o->cw = flat ? fmax(o->east - o->west, 1.0) : (o->east - o->west) / o->gw;
    o->ch = flat ? fmax(o->north - o->south, 1.0) : (o->north - o->south) / o->gh;
    o->cells = calloc((size_t)o->gw * (size_t)o->gh, 1);
    if (!o->cells || build_rows(o)) {
        ga_outline_free(o);
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    classify(o);
    *out = o;
    return GA_OK;
}
