/*
 * json_out.c: JSON objects of the output contract (json_out.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"

/* A string member: null when absent or empty. */
static void set_str(ga_jw *w, const char *k, const char *v)
{
    ga_jw_key(w, k);
    if (v && *v) ga_jw_str(w, v);
    else ga_jw_null(w);
}

static double round_to(double v, double scale) { return round(v * scale) / scale; }

void ga_json_place(ga_jw *w, const ga_place *p)
{
    ga_jw_obj(w);
    set_str(w, "id", p->gid);
    set_str(w, "name", p->name);
    ga_jw_key(w, "lat");
    ga_jw_real(w, round_to(p->lat, 1e6));
    ga_jw_key(w, "lon");
    ga_jw_real(w, round_to(p->lon, 1e6));
    set_str(w, "kind", ga_kind_name(p->kind));
    set_str(w, "feature_code", p->feature_code);
    set_str(w, "country", p->country);
    set_str(w, "admin1", p->admin1);
    set_str(w, "admin1_pcode", p->admin1_pcode);
    set_str(w, "admin2", p->admin2);
    set_str(w, "admin2_pcode", p->admin2_pcode);
    if (p->population > 0) {
        ga_jw_key(w, "population");
        ga_jw_int(w, p->population);
    }
    ga_jw_end(w);
}

/* A direct-mapped table of place objects by name index place. A slot is
 * valid for the place whose index and gid pointer (into the mapped index,
 * so unique to the place) it records. */
#define PLACE_SLOTS 4096

typedef struct {
    const char *gid;      /* the place's gid pointer; NULL = empty slot */
    uint32_t idx;         /* its index in the name index */
    char *json;           /* its object (malloc'd) */
    size_t n;
} place_slot;

struct ga_json_places {
    place_slot slot[PLACE_SLOTS];
    ga_buf tmp;           /* an object being written */
};

ga_json_places *ga_json_places_new(void) { return calloc(1, sizeof(ga_json_places)); }

void ga_json_places_free(ga_json_places *pc)
{
    if (!pc) return;
    for (size_t i = 0; i < PLACE_SLOTS; i++) free(pc->slot[i].json);
    ga_buf_free(&pc->tmp);
    free(pc);
}

/* The place of mention m: from pc when it holds it, else written (and
 * remembered when it can be). */
static void mention_place(ga_jw *w, ga_json_places *pc, const ga_mention *m)
{
    if (!pc || !m->place.gid) { ga_json_place(w, &m->place); return; }
    place_slot *s = &pc->slot[(m->place_idx * 2654435761u) >> 20 & (PLACE_SLOTS - 1)];
    if (s->gid != m->place.gid || s->idx != m->place_idx) {
        ga_jw tw;
        ga_buf_reset(&pc->tmp);
        ga_jw_init(&tw, &pc->tmp);
        ga_json_place(&tw, &m->place);
        char *j = tw.failed ? NULL : malloc(pc->tmp.len ? pc->tmp.len : 1);
        if (!j) { ga_json_place(w, &m->place); return; }
        memcpy(j, pc->tmp.data, pc->tmp.len);
        free(s->json);
        *s = (place_slot){m->place.gid, m->place_idx, j, pc->tmp.len};
    }
    ga_jw_rawn(w, s->json, s->n);
}

static const struct { unsigned bit; const char *name; } mention_flags[] = {
    {GA_MENTION_DEMONYM, "demonym"},       {GA_MENTION_PHONETIC, "phonetic"},
    {GA_MENTION_ADMIN_CUE, "admin_cue"},   {GA_MENTION_NEAR, "near"},
    {GA_MENTION_ORG, "organisation"},      {GA_MENTION_UNRESOLVED, "unresolved"},
};

static void mention_obj(ga_jw *w, ga_json_places *pc, const ga_mention *m, const char *text)
{
    ga_jw_obj(w);
    ga_jw_key(w, "start");
    ga_jw_int(w, (long long)m->start);
    ga_jw_key(w, "end");
    ga_jw_int(w, (long long)m->end);
    ga_jw_key(w, "text");
    ga_jw_strn(w, text + m->start, m->end - m->start);
    ga_jw_key(w, "place");
    if (m->resolved) mention_place(w, pc, m);
    else ga_jw_null(w);
    if (m->resolved) {
        ga_jw_key(w, "precision");
        ga_jw_int(w, m->precision);
        ga_jw_key(w, "score");
        ga_jw_real(w, round_to(m->score, 1e3));
    }
    ga_jw_key(w, "reason");
    ga_jw_str(w, m->reason);
    ga_jw_key(w, "flags");
    ga_jw_arr(w);
    for (size_t i = 0; i < sizeof mention_flags / sizeof mention_flags[0]; i++)
        if (m->flags & mention_flags[i].bit) ga_jw_str(w, mention_flags[i].name);
    ga_jw_end(w);
    ga_jw_end(w);
}

void ga_json_mention(ga_jw *w, const ga_mention *m, const char *text)
{
    mention_obj(w, NULL, m, text);
}

/* The place of mention k as an event location, or null. */
static void event_place(ga_jw *w, const ga_resolved *res, long k, const char *text)
{
    if (k < 0 || (size_t)k >= res->mentions.n) { ga_jw_null(w); return; }
    const ga_mention *m = &res->mentions.v[k];
    ga_jw_obj(w);
    ga_jw_key(w, "mention");
    ga_jw_int(w, k);
    if (m->resolved) {
        set_str(w, "name", m->place.name);
        ga_jw_key(w, "lat");
        ga_jw_real(w, round_to(m->place.lat, 1e6));
        ga_jw_key(w, "lon");
        ga_jw_real(w, round_to(m->place.lon, 1e6));
        set_str(w, "kind", ga_kind_name(m->place.kind));
        ga_jw_key(w, "precision");
        ga_jw_int(w, m->precision);
    } else {
        ga_jw_key(w, "name");
        ga_jw_strn(w, text + m->start, m->end - m->start);
        static const char *const nulls[] = {"lat", "lon", "kind", "precision"};
        for (size_t i = 0; i < 4; i++) {
            ga_jw_key(w, nulls[i]);
            ga_jw_null(w);
        }
    }
    ga_jw_end(w);
}

void ga_json_event(ga_jw *w, const ga_event *e, const ga_resolved *res, const char *text)
{
    ga_jw_obj(w);
    set_str(w, "type", ga_event_type_name(e->type));
    set_str(w, "status", ga_event_status_name(e->status));
    set_str(w, "trigger", e->trigger);
    set_str(w, "date", e->date);
    ga_jw_key(w, "time_precision");
    if (e->time_precision) ga_jw_int(w, e->time_precision);
    else ga_jw_null(w);
    ga_jw_key(w, "location");
    event_place(w, res, e->location, text);
    ga_jw_key(w, "origin");
    event_place(w, res, e->origin, text);
    ga_jw_key(w, "destination");
    event_place(w, res, e->destination, text);
    ga_jw_key(w, "actors");
    ga_jw_arr(w);
    for (int i = 0; i < e->nactors; i++) ga_jw_str(w, e->actors[i]);
    ga_jw_end(w);
    ga_jw_key(w, "people");
    if (e->people >= 0) ga_jw_int(w, e->people);
    else ga_jw_null(w);
    set_str(w, "reason", e->reason);
    ga_jw_end(w);
}

int ga_json_doc_line(FILE *f, ga_buf *buf, ga_json_places *pc, const char *id,
                     const ga_resolved *res, const ga_events *ev, const char *text)
{
    ga_jw w;
    ga_buf_reset(buf);
    ga_jw_init(&w, buf);
    ga_jw_obj(&w);
    ga_jw_key(&w, "id");
    ga_jw_str(&w, id);
    ga_jw_key(&w, "mentions");
    ga_jw_arr(&w);
    for (size_t i = 0; i < res->mentions.n; i++) mention_obj(&w, pc, &res->mentions.v[i], text);
    ga_jw_end(&w);
    if (ev) {
        ga_jw_key(&w, "events");
        ga_jw_arr(&w);
        for (size_t i = 0; i < ev->n; i++) ga_json_event(&w, &ev->v[i], res, text);
        ga_jw_end(&w);
    }
    ga_jw_end(&w);
    if (w.failed || ga_buf_putc(buf, '\n')) return -1;
    return fwrite(buf->data, 1, buf->len, f) == buf->len ? 0 : -1;
}
