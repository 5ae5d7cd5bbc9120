/*
 * geo.c: geodesic distance and search boxes through PROJ's geodesic
 * library (geodesic.h ships with libproj). Only this folder includes PROJ.
 *
 * libproj is loaded on first use (dlopen of its soname, GA_PROJ_SONAME),
 * not linked: it brings some forty shared libraries (curl, TLS, TIFF,
 * Kerberos, C++), about 16 ms of dynamic loading at every start, and most
 * commands (a --in or --bbox query, gazetteer search) measure no distance.
 */
#define _POSIX_C_SOURCE 200809L
#include "geo/ga_geo.h"

#include <dlfcn.h>
#include <geodesic.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifndef GA_PROJ_SONAME
#define GA_PROJ_SONAME "libproj.so"
#endif

/* The two PROJ functions used, with their types: a redeclaration that
 * drifts from geodesic.h is a compile error, and makes no reference. */
typedef void geod_init_t(struct geod_geodesic *g, double a, double f);
typedef void geod_inverse_t(const struct geod_geodesic *g, double lat1, double lon1,
                            double lat2, double lon2, double *ps12, double *pazi1,
                            double *pazi2);
geod_init_t geod_init;
geod_inverse_t geod_inverse;

_Static_assert(sizeof(geod_inverse_t *) == sizeof(void *),
               "function pointers must be the size of void *");

/* Loaded once per process (pthread_once). */
static struct {
    int tried;                 /* 1 once loading was attempted */
    geod_inverse_t *inverse;   /* NULL until loaded, or when loading failed */
    struct geod_geodesic wgs84;   /* WGS 84 ellipsoid, set by geod_init */
    char why[256];             /* why loading failed */
} proj;

/* dlsym(h, name) as a function pointer (POSIX: a void * can hold one;
 * copied bytewise, since ISO C has no cast between the two). */
static void *sym(void *h, const char *name)
{
    dlerror();
    return dlsym(h, name);
}

static void load_proj_once(void)
{
    proj.tried = 1;
    /* lazy binding: the functions of libproj and of the libraries it
     * brings are bound on their first call, which for all but the two
     * used here never comes (a sixth fewer instructions to load it) */
    void *h = dlopen(GA_PROJ_SONAME, RTLD_LAZY | RTLD_LOCAL);
    void *pi = h ? sym(h, "geod_init") : NULL, *pv = h ? sym(h, "geod_inverse") : NULL;
    if (!pi || !pv) {
        const char *why = dlerror();
        snprintf(proj.why, sizeof proj.why, "cannot load PROJ ('%s'): %s", GA_PROJ_SONAME,
                 why ? why : "no geodesic functions");
        return;
    }
    geod_init_t *init;
    geod_inverse_t *inverse;
    memcpy(&init, &pi, sizeof pi);
    memcpy(&inverse, &pv, sizeof pv);
    init(&proj.wgs84, 6378137.0, 1 / 298.257223563);
    proj.inverse = inverse;
}

/* Load PROJ once per process, whichever thread asks first (annotate
 * resolves on a second thread). */
static int load_proj(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, load_proj_once);
    return proj.inverse != NULL;
}

ga_rc ga_geo_open(ga_err *err)
{
    if (load_proj()) return GA_OK;
    return ga_err_set(err, GA_ERR, "%s; distances need it", proj.why);
}

double ga_geo_dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double s12 = NAN, az1, az2;
    if (load_proj())
        proj.inverse(&proj.wgs84, lat1, lon1, lat2, lon2, &s12, &az1, &az2);   /* lat first */
    return s12;
}

void ga_geo_bbox_around(double lon, double lat, double radius_m, double *west, double *south,
                        double *east, double *north)
{
    /* A degree of latitude is never shorter than 110 574 m and a degree of
     * longitude at latitude phi never shorter than 111 320 m * cos(phi)
     * on WGS 84 (less 0.5 % for the ellipsoid), so these half-widths are
     * conservative: every point within radius_m lies inside the box. */
    double dlat = radius_m / 110574.0 * 1.01;
    *north = lat + dlat > 90 ? 90 : lat + dlat;
    *south = lat - dlat < -90 ? -90 : lat - dlat;
    double edge = fabs(*north) > fabs(*south) ? fabs(*north) : fabs(*south);
    double c = cos(edge * 3.14159265358979323846 / 180);
    if (edge >= 89.9 || c < 1e-6) { *west = -180; *east = 180; return; }
    double dlon = radius_m / (111320.0 * c * 0.995) * 1.01;
    if (dlon >= 180) { *west = -180; *east = 180; return; }
    *west = lon - dlon;
    *east = lon + dlon;
}

/* Great-circle distance in metres on the sphere of WGS 84's mean radius:
 * it differs from the geodesic on the ellipsoid by well under 1 %. */
static double sphere_m(double lon1, double lat1, double lon2, double lat2)
{
    const double rad = 3.14159265358979323846 / 180, r = 6371008.8;
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = p2 - p1, dl = (lon2 - lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* Only a spherical distance within 1 % of the limit needs PROJ's exact
 * answer. */
int ga_geo_within_m(double lon1, double lat1, double lon2, double lat2, double limit_m)
{
    double h = sphere_m(lon1, lat1, lon2, lat2);
    if (h < limit_m * 0.99) return 1;
    if (h > limit_m * 1.01) return 0;
    return ga_geo_dist_m(lon1, lat1, lon2, lat2) < limit_m;
}

int ga_geo_at_most_m(double lon1, double lat1, double lon2, double lat2, double limit_m)
{
    double h = sphere_m(lon1, lat1, lon2, lat2);
    if (h < limit_m * 0.99) return 1;
    if (h > limit_m * 1.01) return 0;
    return ga_geo_dist_m(lon1, lat1, lon2, lat2) <= limit_m;
}

int ga_geo_surely_within_m(double lon1, double lat1, double lon2, double lat2, double limit_m)
{
    return sphere_m(lon1, lat1, lon2, lat2) < limit_m * 0.99;
}
