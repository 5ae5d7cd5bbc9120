/*
 * ga_store_export.h: what the map-layer export reads besides the rows of
 * ga_store_query.h (events, mentions, places referred to, all filtered
 * there): admin regions with event counts for a choropleth, the event
 * types, and the gazetteer sources to attribute.
 *
 * The regions layer follows the events the export's filter selected,
 * through a ga_export_sel, a temporary table of event ids the export fills
 * while it writes the events: the admin polygons of one level (adm1 by
 * default) in the countries of the selected events, each with the number
 * of selected events inside it, per event type (point in polygon, R*Tree
 * first).
 * Coordinates are (lon, lat), SRID 4326. Strings handed to callbacks are
 * valid during the callback only.
 */
#ifndef GA_STORE_EXPORT_H
#define GA_STORE_EXPORT_H

#include "core/ga_core.h"
#include "store/ga_store.h"

/* The event ids an export selected. */
typedef struct ga_export_sel ga_export_sel;

/* Start a selection on st. all = 1 means "every event" (no filter): no ids
 * need adding and the layers read whole tables. */
ga_rc ga_export_sel_new(ga_store *st, int all, ga_export_sel **out, ga_err *err);
/* Add one event id (ignored when the selection is "all"). */
ga_rc ga_export_sel_add(ga_export_sel *sel, int64_t event_id, ga_err *err);
void ga_export_sel_free(ga_export_sel *sel);   /* drops the temp table; NULL harmless */

typedef struct {
    int64_t place_id;           /* boundaries.place_id */
    const char *name, *level, *pcode, *country, *admin1, *source;
    const unsigned char *wkb;   /* polygon or multipolygon, ISO WKB, lon/lat */
    size_t wkb_len;
    int64_t events;             /* selected events inside, all types */
    const int64_t *counts;      /* per type, in the order of ga_export_types() */
} ga_xregion_row;

typedef int (*ga_xregion_cb)(const ga_xregion_row *r, void *arg);

/* The event types present in the database, sorted; *types is a
 * NULL-terminated malloc'd array of malloc'd strings (free with
 * ga_export_types_free). Region layers get one count column per type. */
ga_rc ga_export_types(ga_store *st, char ***types, ga_err *err);
void ga_export_types_free(char **types);

/* Row count of table (events, boundaries), for progress. */
ga_rc ga_export_count(ga_store *st, const char *table, int64_t *n, ga_err *err);

/* level: adm1, adm2, adm3 or country. types as from ga_export_types(). */
ga_rc ga_export_regions_each(ga_export_sel *sel, const char *level, char *const *types,
                             ga_xregion_cb cb, void *arg, ga_err *err);

/* The distinct sources of the gazetteer places (geonames, naturalearth,
 * world-countries, ocha, curated ...), NULL-terminated like the types. */
ga_rc ga_export_sources(ga_store *st, char ***sources, ga_err *err);

#endif
