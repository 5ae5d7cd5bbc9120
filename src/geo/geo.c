/*
 * geo.c: geodesic distance and search boxes through PROJ's geodesic
 * library (geodesic.h ships with libproj). Only this folder includes PROJ.
 */
#include "geo/ga_geo.h"

#include <geodesic.h>
#include <math.h>
#include <stddef.h>

static const struct geod_geodesic *wgs84(void)
{
    /* Initialised on first use; geod_init is deterministic, so two threads
     * racing here write the same values. */
    static struct geod_geodesic g;
    static int ready;
    if (!ready) {
        geod_init(&g, 6378137.0, 1 / 298.257223563);
        ready = 1;
    }
    return &g;
}

double ga_geo_dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double s12 = 0, az1, az2;
    geod_inverse(wgs84(), lat1, lon1, lat2, lon2, &s12, &az1, &az2);   /* PROJ: lat first */
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

int ga_geo_within_m(double lon1, double lat1, double lon2, double lat2, double limit_m)
{
    /* Great-circle distance on the sphere of WGS 84's mean radius differs
     * from the geodesic on the ellipsoid by well under 1 %, so only a
     * distance within 1 % of the limit needs PROJ's exact answer. */
    const double rad = 3.14159265358979323846 / 180, r = 6371008.8;
    double p1 = lat1 * rad, p2 = lat2 * rad;
    double dp = p2 - p1, dl = (lon2 - lon1) * rad;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    double h = 2 * r * asin(sqrt(a < 1 ? a : 1));
    if (h < limit_m * 0.99) return 1;
    if (h > limit_m * 1.01) return 0;
    return ga_geo_dist_m(lon1, lat1, lon2, lat2) < limit_m;
}
