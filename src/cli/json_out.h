/*
 * json_out.h: the JSON shapes of the command-line contract (DESIGN.md,
 * "JSON output") for resolve and annotate, written with the streaming
 * writer of ga_jw.h (one line per document, however many mentions).
 */
#ifndef GA_JSON_OUT_H
#define GA_JSON_OUT_H

#include <stdio.h>

#include "core/ga_jw.h"
#include "gaz/ga_place.h"
#include "resolve/ga_resolve.h"
#include "events/ga_events.h"

/* {"id", "name", "lat", "lon", "kind", "feature_code", "country",
 *  "admin1", "admin1_pcode", "admin2", "admin2_pcode", "population"?} */
void ga_json_place(ga_jw *w, const ga_place *p);

/* The place objects written lately, by name index place: news names the
 * same places again and again, and a place's object is a third of a
 * mention's bytes. Opaque; ga_json_places_new returns NULL when out of
 * memory (callers then pass NULL: no memory of places). */
typedef struct ga_json_places ga_json_places;
ga_json_places *ga_json_places_new(void);
void ga_json_places_free(ga_json_places *pc);   /* NULL is harmless */
/* {"start", "end", "text", "place", "precision", "score", "reason",
 *  "flags"}; text is the document text the offsets point into. */
void ga_json_mention(ga_jw *w, const ga_mention *m, const char *text);
/* {"type", "status", "trigger", "date", "time_precision", "location",
 *  "origin", "destination", "actors", "people", "reason"}; location,
 * origin and destination are {"mention", "name", "lat", "lon", "kind",
 * "precision"} (null when absent; lat/lon/kind/precision null for an
 * unresolved name). res holds the mentions the event points at. */
void ga_json_event(ga_jw *w, const ga_event *e, const ga_resolved *res, const char *text);
/* One document as a line: {"id", "mentions": [...]} and, when ev is not
 * NULL, "events": [...]. buf is scratch space kept between calls; pc (or
 * NULL) remembers place objects between calls, for one name index only.
 * Returns 0 on success, -1 when writing failed. */
int ga_json_doc_line(FILE *f, ga_buf *buf, ga_json_places *pc, const char *id,
                     const ga_resolved *res, const ga_events *ev, const char *text);

#endif
