/*
 * ga_geo.h: geodesy through PROJ. Geodesic distances on WGS 84 and
 * helpers for distance filters. Coordinates are (lon, lat) in degrees in
 * every function here, whatever order PROJ itself wants.
 */
#ifndef GA_GEO_H
#define GA_GEO_H

#include "core/ga_core.h"

/* Load PROJ (done on first use; see geo.c). GA_ERR with the reason when
 * it cannot be loaded: callers that measure distances call this first,
 * so that the failure is reported rather than every distance being NAN.
 * Harmless when PROJ is loaded. */
ga_rc ga_geo_open(ga_err *err);

/* Geodesic distance in metres between (lon1, lat1) and (lon2, lat2); NAN
 * when PROJ cannot be loaded (ga_geo_open). */
double ga_geo_dist_m(double lon1, double lat1, double lon2, double lat2);

/* 1 when the geodesic distance between the points is under limit_m: a
 * spherical estimate decides unless it is within 1 % of the limit, where
 * the exact geodesic does. */
int ga_geo_within_m(double lon1, double lat1, double lon2, double lat2, double limit_m);

/* The same with the limit included (distance <= limit_m): the --within
 * test of queries. */
int ga_geo_at_most_m(double lon1, double lat1, double lon2, double lat2, double limit_m);

/* 1 when the spherical estimate alone shows the distance under limit_m
 * (under 99 % of it); 0 says nothing. No PROJ call: cheap enough for the
 * corners of every block a query reads. */
int ga_geo_surely_within_m(double lon1, double lat1, double lon2, double lat2, double limit_m);

/* Bounding box (west, south, east, north) that contains every point
 * within radius_m of (lon, lat); used to prefilter an R*Tree before the
 * exact distance test. */
void ga_geo_bbox_around(double lon, double lat, double radius_m, double *west,
                        double *south, double *east, double *north);

#endif
