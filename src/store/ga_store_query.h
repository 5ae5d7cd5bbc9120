/*
 * ga_store_query.h: reading annotations back out, filtered. One filter
 * type serves `query` and `export` alike (region, bounding box, distance
 * from a place, dates, event type and status, precision), so the two
 * commands can never disagree about what a filter means.
 *
 * Region filters use the admin polygons in the boundaries table (R*Tree
 * prefilter, then exact point-in-polygon); distance filters use a search
 * box then the geodesic distance (geo/ga_geo.h). Coordinates are
 * (lon, lat). All SQL is prepared and bound; no filter value is ever
 * formatted into SQL text.
 */
#ifndef GA_STORE_QUERY_H
#define GA_STORE_QUERY_H

#include "core/ga_core.h"
#include "store/ga_store.h"

typedef struct {
    const char *region;        /* --in: name in any known spelling, P-code or ISO 3166-2; NULL none */
    int has_bbox;              /* --bbox given */
    double west, south, east, north;
    const char *near;          /* --near: place name or gid; NULL none */
    double within_m;           /* --within, metres (default 25 km) */
    const char *date_from;     /* --from YYYY-MM-DD, inclusive; NULL none */
    const char *date_to;       /* --to YYYY-MM-DD, inclusive */
    const char *type;          /* --type event type */
    const char *status;        /* --status reported|threatened|denied */
    int min_precision;         /* --min-precision: keep geo_precision <= this (1 best); 0 none */
    long limit;                /* --limit, 0 = no limit */
} ga_filter;

/* One event row as stored (strings valid during the callback only). */
typedef struct {
    int64_t id;
    const char *doc_id, *title, *url, *source;
    const char *type, *status, *trigger, *event_date; /* event_date may be NULL */
    int time_precision, geo_precision;
    const char *place_gid, *place_name, *kind, *country;
    const char *admin1, *admin1_pcode, *admin2, *admin2_pcode;
    const char *role;
    const char *origin_name, *dest_name;
    double origin_lon, origin_lat, dest_lon, dest_lat;   /* NAN when absent */
    const char *actors;        /* JSON array text or NULL */
    int64_t people;            /* -1 when unknown */
    const char *sentence, *reason;
    double lon, lat;
} ga_event_row;

typedef int (*ga_event_cb)(const ga_event_row *e, void *arg);   /* return 0 to stop */

/* Check the filter values and resolve the region/near place against the
 * database (an unknown region fails with close-name suggestions; an
 * ambiguous one lists the candidates and asks for a code). */
ga_rc ga_filter_prepare(ga_store *st, ga_filter *f, ga_err *err);

/* Events matching f, sorted by date then id. */
ga_rc ga_store_events_each(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                           ga_err *err);

#endif
