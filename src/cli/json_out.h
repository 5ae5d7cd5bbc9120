/*
 * json_out.h: the JSON shapes of the command-line contract (DESIGN.md,
 * "JSON output"), built with jansson. Shared by resolve, annotate and
 * query so that every command prints the same shape.
 */
#ifndef GA_JSON_OUT_H
#define GA_JSON_OUT_H

#include <jansson.h>
#include "gaz/ga_place.h"
#include "resolve/ga_resolve.h"
#include "events/ga_events.h"

/* {"id", "name", "lat", "lon", "kind", "feature_code", "country",
 *  "admin1", "admin1_pcode", "admin2", "admin2_pcode"} */
json_t *ga_json_place(const ga_place *p);
/* {"start", "end", "text", "place", "precision", "score", "reason",
 *  "flags"}; text is the document text the offsets point into. */
json_t *ga_json_mention(const ga_mention *m, const char *text);
/* {"type", "status", "trigger", "date", "time_precision", "location",
 *  "origin", "destination", "actors", "people", "reason"}; location,
 * origin and destination are {"mention", "name", "lat", "lon", "kind",
 * "precision"} (null when absent; lat/lon/kind/precision null for an
 * unresolved name). res holds the mentions the event points at. */
json_t *ga_json_event(const ga_event *e, const ga_resolved *res, const char *text);
/* Print one compact JSON object and a newline to f; steals obj. Returns 0
 * on success. */
int ga_json_print_line(json_t *obj, FILE *f);

#endif
