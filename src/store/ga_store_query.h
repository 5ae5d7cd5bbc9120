/*
 * ga_store_query.h: reading annotations back out, filtered. One filter
 * type serves `query` and `export` alike (region, bounding box, distance
 * from a place, dates, event type and status, precision), so the two
 * commands can never disagree about what a filter means.
 *
 * Region filters use the admin polygons in the boundaries table: an R*Tree
 * prefilter on the layer's spatial index (idx_events_geom; for mentions
 * mention_points, one entry per place), then a grid over the polygon's box whose cells are
 * classified once per prepared filter as inside, outside or on the
 * border, and the exact point-in-polygon test (the meaning of SpatiaLite's
 * ST_Intersects: a point on a shared border belongs to both areas) only
 * for points in border cells.
 * Distance filters use a search box then the geodesic distance
 * (geo/ga_geo.h). Coordinates are (lon, lat). All SQL is prepared and
 * bound; no filter value is ever formatted into SQL text.
 *
 * Use: zero a ga_filter, set the wanted fields, call ga_filter_prepare()
 * (which checks values and resolves the region and the near place), run
 * any number of queries, then ga_filter_clear(). The iterators also
 * accept an unprepared filter and prepare a private copy for the call.
 */
#ifndef GA_STORE_QUERY_H
#define GA_STORE_QUERY_H

#include "core/ga_core.h"
#include "store/ga_store.h"

typedef struct ga_filter_res ga_filter_res;   /* resolved region/near; opaque */

typedef struct {
    const char *region;        /* --in: name in any known spelling, P-code or ISO 3166-2; NULL none */
    int has_bbox;              /* --bbox given */
    double west, south, east, north;
    const char *near;          /* --near: place gid (geonames:170018), "lon,lat", or a name
                                  of a place with an outline; NULL none. The command line
                                  turns other names into a gid through the name index. */
    double within_m;           /* --within, metres (default 25 km) */
    const char *date_from;     /* --from YYYY-MM-DD, inclusive; NULL none */
    const char *date_to;       /* --to YYYY-MM-DD, inclusive */
    const char *type;          /* --type event type */
    const char *status;        /* --status reported|threatened|denied */
    int min_precision;         /* --min-precision: keep geo_precision <= this (1 best); 0 none */
    long limit;                /* --limit, 0 = no limit */
    /* Set by ga_filter_prepare(), freed by ga_filter_clear(); leave NULL. */
    ga_filter_res *res;
    int unordered;             /* 1: rows in storage order, not by date (exports: a
                                  map layer has no order, and sorting 1M rows costs) */
    unsigned omit;             /* GA_EV_* columns of event rows the caller does not read
                                  (a listing of a few columns); 0 reads them all */
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
    double lon, lat;           /* NAN when the event has no location */
} ga_event_row;

typedef int (*ga_event_cb)(const ga_event_row *e, void *arg);   /* return 0 to stop */

/* Columns of an event row a caller can do without (ga_filter.omit): each
 * column read costs SQLite about as much as a tenth of finding the row,
 * and a listing that shows a few of them need not pay for the rest. An
 * omitted column is not read: its string is NULL, its coordinates NAN,
 * its precision 0, people -1. The id and the date are always read. */
enum {
    GA_EV_DOC_ID = 1u << 0,
    GA_EV_TITLE = 1u << 1,
    GA_EV_URL = 1u << 2,
    GA_EV_SOURCE = 1u << 3,
    GA_EV_TYPE = 1u << 4,
    GA_EV_STATUS = 1u << 5,
    GA_EV_TRIGGER = 1u << 6,
    GA_EV_TIME_PRECISION = 1u << 7,
    GA_EV_GEO_PRECISION = 1u << 8,
    GA_EV_PLACE_GID = 1u << 9,
    GA_EV_PLACE_NAME = 1u << 10,
    GA_EV_KIND = 1u << 11,
    GA_EV_COUNTRY = 1u << 12,
    GA_EV_ADMIN1 = 1u << 13,
    GA_EV_ADMIN1_PCODE = 1u << 14,
    GA_EV_ADMIN2 = 1u << 15,
    GA_EV_ADMIN2_PCODE = 1u << 16,
    GA_EV_ROLE = 1u << 17,
    GA_EV_ORIGIN_NAME = 1u << 18,
    GA_EV_ORIGIN_POINT = 1u << 19,   /* origin_lon, origin_lat */
    GA_EV_DEST_NAME = 1u << 20,
    GA_EV_DEST_POINT = 1u << 21,     /* dest_lon, dest_lat */
    GA_EV_ACTORS = 1u << 22,
    GA_EV_PEOPLE = 1u << 23,
    GA_EV_SENTENCE = 1u << 24,
    GA_EV_REASON = 1u << 25,
    GA_EV_POINT = 1u << 26,          /* lon, lat */
    GA_EV_ALL = (1u << 27) - 1
};

/* The region a prepared filter resolved to (strings owned by the filter). */
typedef struct {
    int64_t place_id;          /* places.id of the area */
    const char *name;          /* its preferred name */
    const char *level;         /* country, adm1, adm2, adm3 */
    const char *code;          /* P-code / ISO code, or NULL */
    const char *source;        /* boundaries.source */
    const char *note;          /* why this one when the name also fits others, or NULL */
    double west, south, east, north;   /* outline's box */
} ga_region_info;

/* Check the filter values and resolve the region/near place against the
 * database. Errors (GA_EINVAL for a bad value, GA_ENOTFOUND for an
 * unknown or ambiguous region/place, GA_EDB): an unknown region fails
 * with close-name suggestions ("unknown region 'Hom'; did you mean: Homs
 * (SY04), ..."); a name that fits several areas of the same level lists
 * them and asks for a code. When the name fits areas of several levels
 * (governorate Homs and district Homs) the largest wins and the region's
 * note says so. Calling it on a prepared filter is harmless. */
ga_rc ga_filter_prepare(ga_store *st, ga_filter *f, ga_err *err);
/* Free what ga_filter_prepare() attached; the filter can be prepared
 * again. NULL and unprepared filters are harmless. */
void ga_filter_clear(ga_filter *f);
/* The resolved region of a prepared filter, or NULL when it has none. */
const ga_region_info *ga_filter_region(const ga_filter *f);
/* The resolved centre of a --near filter: returns 1 and sets *lon, *lat
 * (and *name, owned by the filter) when there is one. */
int ga_filter_near_point(const ga_filter *f, double *lon, double *lat, const char **name);

/* Events matching f, sorted by date (undated last) then id. cb returning
 * 0 stops early (GA_OK is still returned). */
ga_rc ga_store_events_each(ga_store *st, const ga_filter *f, ga_event_cb cb, void *arg,
                           ga_err *err);

/* Rows handed out by several threads (ga_store_events_each_par): a long
 * listing spends most of its time turning rows into text, which the
 * threads share. */
#define GA_EVENT_PAR_MAX 8
/* Rows a thread passes to cb before chunk_done. */
#define GA_EVENT_CHUNK 2048
/* Listings of fewer chunks than this run in the caller's thread alone
 * (Quneitra's 3,844 rows were no faster with a second thread). */
#define GA_EVENT_PAR_MIN_CHUNKS 4
typedef struct {
    int nthreads;                   /* 1 to GA_EVENT_PAR_MAX, the caller's thread included */
    void *arg[GA_EVENT_PAR_MAX];    /* cb's (and chunk_done's) argument in each thread */
    /* Called after each chunk, with the argument of the thread that
     * passed its rows to cb, one call at a time and in the chunks'
     * order: where a thread writes out what it made of its chunk. 0
     * stops the listing. */
    int (*chunk_done)(void *arg);
} ga_event_par;

/* ga_store_events_each, the rows in chunks of GA_EVENT_CHUNK consecutive
 * rows (the last one shorter, possibly empty), each to cb in one of
 * nthreads threads with that thread's par->arg[t] (a listing of fewer
 * than GA_EVENT_PAR_MIN_CHUNKS chunks: all in the caller's thread), and
 * chunk_done follows each chunk in order. cb is called from several threads at once, each
 * with its own argument, and must only touch that argument. Listings the
 * event blocks cannot answer (no spatial filter, an old database) run in
 * the caller's thread with arg[0]. A cb or chunk_done returning 0 stops
 * the listing (GA_OK is still returned). */
ga_rc ga_store_events_each_par(ga_store *st, const ga_filter *f, ga_event_cb cb,
                               const ga_event_par *par, ga_err *err);

/* ---- mentions and places --------------------------------------------- */

/* One resolved mention (strings valid during the callback only). The
 * filter's dates apply to the document date; type and status do not apply
 * (ignored); min_precision applies to the mention's precision. */
typedef struct {
    int64_t id;
    const char *doc_id, *title, *doc_date;   /* doc_date may be NULL */
    int seq, start, end;                     /* byte offsets into the text */
    const char *text;                        /* the name as written */
    const char *place_gid, *place_name, *kind, *country;
    const char *admin1, *admin1_pcode, *admin2, *admin2_pcode;
    int precision;
    double score;
    const char *reason, *sentence;
    double lon, lat;
} ga_mention_row;
typedef int (*ga_mention_cb)(const ga_mention_row *m, void *arg);

/* Resolved mentions matching f, by document date then id. */
ga_rc ga_store_mentions_each(ga_store *st, const ga_filter *f, ga_mention_cb cb, void *arg,
                             ga_err *err);

/* A gazetteer place that mentions refer to, with how often. */
typedef struct {
    int64_t id;
    const char *gid, *name, *kind, *feature_code, *country;
    const char *admin1, *admin1_pcode, *admin2, *admin2_pcode;
    int64_t population;
    int64_t mentions;          /* matching mentions of this place */
    const char *first_date, *last_date;   /* document dates, may be NULL */
    double lon, lat;
} ga_place_row;
typedef int (*ga_place_row_cb)(const ga_place_row *p, void *arg);

/* Places referred to by the mentions that match f (the same rules as
 * ga_store_mentions_each, location tested on the place itself), most
 * mentioned first, then by name. */
ga_rc ga_store_places_referred_each(ga_store *st, const ga_filter *f, ga_place_row_cb cb,
                                    void *arg, ga_err *err);

/* ---- counts ----------------------------------------------------------- */

typedef enum {
    GA_GROUP_ADMIN1 = 0,   /* admin1_pcode (name as label) */
    GA_GROUP_ADMIN2,       /* admin2_pcode */
    GA_GROUP_TYPE,         /* event type; for mentions and places the place kind */
    GA_GROUP_MONTH,        /* YYYY-MM of the event or document date */
    GA_GROUP_COUNT
} ga_group;

/* Parse "admin1", "admin2", "type", "month"; returns 0 when unknown. */
int ga_group_parse(const char *s, ga_group *g);
const char *ga_group_name(ga_group g);

typedef enum { GA_QUERY_EVENTS = 0, GA_QUERY_MENTIONS, GA_QUERY_PLACES } ga_query_layer;

/* key is the group value ("SY04", "2018-03"), or NULL for rows without
 * one; label a display name (governorate name) or NULL. */
typedef int (*ga_count_cb)(const char *key, const char *label, int64_t count, void *arg);

/* Count the rows of layer matching f per group, largest count first (for
 * month groups in month order). f->limit limits the groups reported. */
ga_rc ga_store_count_by(ga_store *st, ga_query_layer layer, const ga_filter *f, ga_group g,
                        ga_count_cb cb, void *arg, ga_err *err);

/* ---- benchmarks and tests --------------------------------------------- */

/* Count the events matching the prepared filter f by the plain method:
 * every event tested, no spatial index, no search box, no grid (a region
 * by SpatiaLite's ST_Intersects against the outline, a distance by the
 * geodesic test on every event). The reference the benchmark compares
 * ga_store_events_each() with. */
ga_rc ga_store_events_count_scan(ga_store *st, const ga_filter *f, int64_t *count, ga_err *err);

#endif
