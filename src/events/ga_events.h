/*
 * ga_events.h: displacement events from resolved text. Rule-based,
 * sentence-level and explainable: every event carries the trigger word,
 * the cue that set its status and the cue that set each place's role, in
 * a short reason.
 *
 *   sentences (text/) -> triggers (events_triggers.tsv: "displace",
 *   "evacuation", "fled", "besieged", "returned", "protest" ...) -> status
 *   (events_status.tsv: negation next to the trigger -> denied; modality
 *   and conditions such as "attempts", "threatened", "warned", "any
 *   attempt", "if" -> threatened; realis cues such as "was reached" ->
 *   reported) -> place roles (events_roles.tsv: "from X", "left X" ->
 *   origin; "to X", "bound for X" -> destination; "in X", "of X" -> site),
 *   with places that are not event places left out: demonyms,
 *   organisation and treaty names ("the Ankara ceasefire agreement"),
 *   mediators ("under the auspices of Turkey"), countries, and containers
 *   ("the Waer district in Homs", "the Damascus suburb of Daraya") ->
 *   date (document date, weekdays, "yesterday", "December 30, 2016") ->
 *   actors (actors.tsv) -> people counts ("about 1,500 people").
 *
 * Each place becomes one event record (type, status, role, place), so an
 * evacuation from Harasta to Idlib is two records (origin Harasta,
 * destination Idlib) that share origin and destination. Within a document
 * the same (type, status, role, place) is reported once, at its first
 * sentence: a report that repeats its title or restates a fact does not
 * count the event twice.
 *
 * The lexicon folder is found like the resolver's (ga_resolver_data_dir):
 * $GEOANNOT_DATA, else <binary dir>/../gazetteer/lexicon. Offsets are
 * bytes into the text.
 */
#ifndef GA_EVENTS_H
#define GA_EVENTS_H

#include "core/ga_core.h"
#include "resolve/ga_resolve.h"

typedef enum {
    GA_EV_FORCED_DISPLACEMENT = 0,
    GA_EV_EVACUATION,
    GA_EV_FLIGHT,
    GA_EV_SIEGE,
    GA_EV_RETURN,
    GA_EV_PROTEST,
    GA_EV_TYPE_COUNT
} ga_event_type;

typedef enum { GA_ST_REPORTED = 0, GA_ST_THREATENED, GA_ST_DENIED, GA_ST_COUNT } ga_event_status;

typedef enum { GA_ROLE_SITE = 0, GA_ROLE_ORIGIN, GA_ROLE_DESTINATION, GA_ROLE_COUNT } ga_role;

/* How a people count was worded. */
typedef enum {
    GA_PEOPLE_NONE = 0,   /* no count */
    GA_PEOPLE_EXACT,      /* "1,500 people" */
    GA_PEOPLE_APPROX,     /* "about 1,500 people" */
    GA_PEOPLE_MIN,        /* "more than 100,000", "hundreds of families" (a lower bound) */
    GA_PEOPLE_MAX         /* "up to 300 people" */
} ga_people_qual;

typedef struct ga_events_lex ga_events_lex;

typedef struct {
    ga_event_type type;
    ga_event_status status;
    ga_role role;               /* role of the location mention */
    long location;              /* mention index (in ga_resolved.mentions) */
    long origin;                /* mention index of the origin, or -1 */
    long destination;           /* mention index of the destination, or -1 */
    uint32_t trig_start, trig_end;  /* byte range of the trigger */
    uint32_t sent_start, sent_end;  /* byte range of the sentence */
    char trigger[64];           /* trigger as written */
    char date[11];              /* YYYY-MM-DD or "" when unknown */
    int time_precision;         /* 1 day, 2 week, 3 month; 0 when no date */
    int geo_precision;          /* the location mention's precision, 0 unknown */
    const char *actors[8];      /* canonical actor names (lexicon strings) */
    int nactors;
    int64_t people;             /* count, -1 when none */
    ga_people_qual people_qual;
    char reason[240];           /* "'displace' with site Waer (of); threatened: 'attempts'" */
} ga_event;

typedef GA_VEC(ga_event) ga_events;

/* Load the lexicon files (events_triggers.tsv, events_status.tsv,
 * events_roles.tsv, actors.tsv) from dir (NULL: ga_resolver_data_dir()).
 * Fails naming the missing file or the bad line. */
ga_rc ga_events_lex_load(const char *dir, ga_events_lex **out, ga_err *err);
void ga_events_lex_free(ga_events_lex *lx);

/* Extract the events of text[0..n), whose tokens and mentions are in res
 * (from ga_resolve_text, or built by hand). doc_date is YYYY-MM-DD or
 * NULL. Events are appended to out (zero it first; free with
 * ga_events_free). */
ga_rc ga_events_extract(const ga_events_lex *lx, const char *text, size_t n,
                        const ga_resolved *res, const char *doc_date, ga_events *out,
                        ga_err *err);
void ga_events_free(ga_events *ev);

/* Names used in JSON and the database. */
const char *ga_event_type_name(ga_event_type t);   /* "forced_displacement" ... */
const char *ga_event_status_name(ga_event_status s);
const char *ga_role_name(ga_role r);                /* "site", "origin", "destination" */

/* 1 when mention m can be an event place at all: not a demonym, not part
 * of an organisation name, not a country. */
int ga_events_mention_eligible(const ga_mention *m);

#endif
