/*
 * test_geo.c: geodesy helpers (src/geo/geo.c). ga_geo_within_m and
 * ga_geo_at_most_m must give the same answer as the exact geodesic
 * distance (and ga_geo_surely_within_m never a wrong yes) for random
 * point pairs
 * all over the globe, most of them placed close to the limit, where the
 * spherical estimate alone would be wrong; ga_geo_bbox_around must hold
 * every point within its radius.
 */
#include "geo/ga_geo.h"
#include "ga_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define uniform ga_test_uniform

static void test_within(void)
{
    const double limits[] = {1000, 25000, 30000, 100000, 500000};
    int wrong = 0, wrong_le = 0, wrong_sure = 0, sure = 0, near_limit = 0;
    for (int i = 0; i < 200000; i++) {
        double limit = limits[i % 5];
        double lat = -85 + 170 * uniform(), lon = -180 + 360 * uniform();
        /* a second point at 0.98-1.02 x the limit (in degrees of a sphere),
         * in a random direction */
        double d = limit * (0.98 + 0.04 * uniform()) / 6371008.8 * 180 / 3.14159265358979;
        double az = 2 * 3.14159265358979 * uniform();
        double lat2 = lat + d * cos(az), lon2 = lon + d * sin(az) / cos(lat * 3.14159265358979 / 180);
        if (lat2 > 89 || lat2 < -89) continue;
        double exact = ga_geo_dist_m(lon, lat, lon2, lat2);
        if (fabs(exact - limit) < limit * 0.01) near_limit++;
        if (ga_geo_within_m(lon, lat, lon2, lat2, limit) != (exact < limit)) wrong++;
        if (ga_geo_at_most_m(lon, lat, lon2, lat2, limit) != (exact <= limit)) wrong_le++;
        if (ga_geo_surely_within_m(lon, lat, lon2, lat2, limit)) {
            sure++;
            if (!(exact < limit)) wrong_sure++;
        }
    }
    CHECK_INT(wrong, 0);
    CHECK_INT(wrong_le, 0);
    CHECK_INT(wrong_sure, 0);
    CHECK(sure > 1000);   /* it does say yes where it may */
    /* the limit itself is included by at_most, excluded by within */
    double d0 = ga_geo_dist_m(36.2, 33.5, 36.3, 33.6);
    CHECK(ga_geo_at_most_m(36.2, 33.5, 36.3, 33.6, d0) == 1);
    CHECK(ga_geo_within_m(36.2, 33.5, 36.3, 33.6, d0) == 0);
    CHECK(near_limit > 10000);   /* the hard cases were really tested */
    CHECK(ga_geo_within_m(36.2, 33.5, 36.2, 33.5, 1) == 1);
    CHECK(ga_geo_within_m(-179.9, 0, 179.9, 0, 30000) == 1);   /* across the antimeridian */
}

static void test_bbox(void)
{
    int outside = 0;
    for (int i = 0; i < 20000; i++) {
        double lat = -80 + 160 * uniform(), lon = -170 + 340 * uniform();
        double r = 1000 + 500000 * uniform(), w, s, e, n;
        ga_geo_bbox_around(lon, lat, r, &w, &s, &e, &n);
        double az = 2 * 3.14159265358979 * uniform();
        double d = r / 6371008.8 * 180 / 3.14159265358979 * 0.99;
        double lat2 = lat + d * cos(az), lon2 = lon + d * sin(az) / cos(lat * 3.14159265358979 / 180);
        if (ga_geo_dist_m(lon, lat, lon2, lat2) >= r) continue;
        if (lon2 < w || lon2 > e || lat2 < s || lat2 > n) outside++;
    }
    CHECK_INT(outside, 0);
}

int main(void)
{
    ga_err err = {0};
    CHECK_INT(ga_geo_open(&err), GA_OK);   /* PROJ, loaded on first use */
    CHECK_INT(ga_geo_open(&err), GA_OK);   /* harmless again */
    CHECK(fabs(ga_geo_dist_m(36.0, 34.0, 36.0, 35.0) - 110950) < 200);
    test_within();
    test_bbox();
    return ga_test_result();
}
