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
    double lat2, lon2;
    geod_direct(wgs84(), lat, lon, 0, radius_m, &lat2, &lon2, NULL);
    *north = lat2 > 90 ? 90 : lat2;
    geod_direct(wgs84(), lat, lon, 180, radius_m, &lat2, &lon2, NULL);
    *south = lat2 < -90 ? -90 : lat2;
    /* Widest longitude span is at the latitude nearest the pole. */
    double edge = fabs(*north) > fabs(*south) ? *north : *south;
    if (fabs(edge) >= 89.9) { *west = -180; *east = 180; return; }
    geod_direct(wgs84(), edge, lon, 90, radius_m, &lat2, &lon2, NULL);
    double dlon = fabs(lon2 - lon);
    if (dlon > 180) dlon = 360 - dlon;
    double d2;
    geod_direct(wgs84(), lat, lon, 90, radius_m, &lat2, &lon2, NULL);
    d2 = fabs(lon2 - lon);
    if (d2 > 180) d2 = 360 - d2;
    if (d2 > dlon) dlon = d2;
    *west = lon - dlon;
    *east = lon + dlon;
    if (*west < -180 || *east > 180) { *west = -180; *east = 180; }
}
