/*
 * json_out.c: JSON objects of the output contract (json_out.h).
 */
#include <stdio.h>
#include <math.h>
#include "json_out.h"

static void set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v && *v ? json_string(v) : json_null());
}

static double round_to(double v, double scale) { return round(v * scale) / scale; }

json_t *ga_json_place(const ga_place *p)
{
    json_t *o = json_object();
    set_str(o, "id", p->gid);
    set_str(o, "name", p->name);
    json_object_set_new(o, "lat", json_real(round_to(p->lat, 1e6)));
    json_object_set_new(o, "lon", json_real(round_to(p->lon, 1e6)));
    set_str(o, "kind", ga_kind_name(p->kind));
    set_str(o, "feature_code", p->feature_code);
    set_str(o, "country", p->country);
    set_str(o, "admin1", p->admin1);
    set_str(o, "admin1_pcode", p->admin1_pcode);
    set_str(o, "admin2", p->admin2);
    set_str(o, "admin2_pcode", p->admin2_pcode);
    if (p->population > 0) json_object_set_new(o, "population", json_integer(p->population));
    return o;
}

static const struct { unsigned bit; const char *name; } mention_flags[] = {
    {GA_MENTION_DEMONYM, "demonym"},       {GA_MENTION_PHONETIC, "phonetic"},
    {GA_MENTION_ADMIN_CUE, "admin_cue"},   {GA_MENTION_NEAR, "near"},
    {GA_MENTION_ORG, "organisation"},      {GA_MENTION_UNRESOLVED, "unresolved"},
};

json_t *ga_json_mention(const ga_mention *m, const char *text)
{
    json_t *o = json_object();
    json_object_set_new(o, "start", json_integer(m->start));
    json_object_set_new(o, "end", json_integer(m->end));
    json_object_set_new(o, "text", json_stringn(text + m->start, m->end - m->start));
    json_object_set_new(o, "place", m->resolved ? ga_json_place(&m->place) : json_null());
    if (m->resolved) {
        json_object_set_new(o, "precision", json_integer(m->precision));
        json_object_set_new(o, "score", json_real(round_to(m->score, 1e3)));
    }
    json_object_set_new(o, "reason", json_string(m->reason));
    json_t *flags = json_array();
    for (size_t i = 0; i < sizeof mention_flags / sizeof mention_flags[0]; i++)
        if (m->flags & mention_flags[i].bit) json_array_append_new(flags, json_string(mention_flags[i].name));
    json_object_set_new(o, "flags", flags);
    return o;
}

/* The place of mention k as an event location, or null. */
static json_t *event_place(const ga_resolved *res, long k, const char *text)
{
    if (k < 0 || (size_t)k >= res->mentions.n) return json_null();
    const ga_mention *m = &res->mentions.v[k];
    json_t *o = json_object();
    json_object_set_new(o, "mention", json_integer(k));
    if (m->resolved) {
        set_str(o, "name", m->place.name);
        json_object_set_new(o, "lat", json_real(round_to(m->place.lat, 1e6)));
        json_object_set_new(o, "lon", json_real(round_to(m->place.lon, 1e6)));
        set_str(o, "kind", ga_kind_name(m->place.kind));
        json_object_set_new(o, "precision", json_integer(m->precision));
    } else {
        json_object_set_new(o, "name", json_stringn(text + m->start, m->end - m->start));
        json_object_set_new(o, "lat", json_null());
        json_object_set_new(o, "lon", json_null());
        json_object_set_new(o, "kind", json_null());
        json_object_set_new(o, "precision", json_null());
    }
    return o;
}

json_t *ga_json_event(const ga_event *e, const ga_resolved *res, const char *text)
{
    json_t *o = json_object();
    set_str(o, "type", ga_event_type_name(e->type));
    set_str(o, "status", ga_event_status_name(e->status));
    set_str(o, "trigger", e->trigger);
    set_str(o, "date", e->date);
    json_object_set_new(o, "time_precision",
                        e->time_precision ? json_integer(e->time_precision) : json_null());
    json_object_set_new(o, "location", event_place(res, e->location, text));
    json_object_set_new(o, "origin", event_place(res, e->origin, text));
    json_object_set_new(o, "destination", event_place(res, e->destination, text));
    json_t *actors = json_array();
    for (int i = 0; i < e->nactors; i++) json_array_append_new(actors, json_string(e->actors[i]));
    json_object_set_new(o, "actors", actors);
    json_object_set_new(o, "people", e->people >= 0 ? json_integer(e->people) : json_null());
    set_str(o, "reason", e->reason);
    return o;
}

int ga_json_print_line(json_t *obj, FILE *f)
{
    int rc = json_dumpf(obj, f, JSON_COMPACT | JSON_ENSURE_ASCII * 0 | JSON_REAL_PRECISION(10));
    json_decref(obj);
    if (rc == 0 && fputc('\n', f) == EOF) rc = -1;
    return rc;
}
