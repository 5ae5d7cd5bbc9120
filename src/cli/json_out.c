/*
 * json_out.c: JSON objects of the output contract (json_out.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"

/* A string member: null when absent or empty (k a literal). */
#define set_str(w, k, v) set_str_q((w), "\"" k "\":", sizeof("\"" k "\":") - 1, (v))
static void set_str_q(ga_jw *w, const char *qk, size_t n, const char *v)
{
    ga_jw_key_quoted(w, qk, n);
    if (v && *v) ga_jw_str(w, v);
    else ga_jw_null(w);
}

static double round_to(double v, double scale) { return round(v * scale) / scale; }

void ga_json_place(ga_jw *w, const ga_place *p)
{
    ga_jw_obj(w);
    set_str(w, "id", p->gid);
    set_str(w, "name", p->name);
    GA_JW_KEY(w, "lat");
    ga_jw_real(w, round_to(p->lat, 1e6));
    GA_JW_KEY(w, "lon");
    ga_jw_real(w, round_to(p->lon, 1e6));
    set_str(w, "kind", ga_kind_name(p->kind));
    set_str(w, "feature_code", p->feature_code);
    set_str(w, "country", p->country);
    set_str(w, "admin1", p->admin1);
    set_str(w, "admin1_pcode", p->admin1_pcode);
    set_str(w, "admin2", p->admin2);
    set_str(w, "admin2_pcode", p->admin2_pcode);
    if (p->population > 0) {
        GA_JW_KEY(w, "population");
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

static void mention_obj(ga_jw *w, ga_json_places *pc, const ga_mention *m, const char *text)
{
    ga_jw_obj(w);
    GA_JW_KEY(w, "start");
    ga_jw_int(w, (long long)m->start);
    GA_JW_KEY(w, "end");
    ga_jw_int(w, (long long)m->end);
    GA_JW_KEY(w, "text");
    ga_jw_strn(w, text + m->start, m->end - m->start);
    GA_JW_KEY(w, "place");
    if (m->resolved) mention_place(w, pc, m);
    else ga_jw_null(w);
    if (m->resolved) {
        GA_JW_KEY(w, "precision");
        ga_jw_int(w, m->precision);
        GA_JW_KEY(w, "score");
        ga_jw_real(w, round_to(m->score, 1e3));
    }
    GA_JW_KEY(w, "reason");
    ga_jw_str(w, m->reason);
    GA_JW_KEY(w, "flags");
    ga_jw_arr(w);
    for (size_t i = 0; i < ga_mention_nflags; i++)
        if (m->flags & ga_mention_flags[i].bit) ga_jw_str(w, ga_mention_flags[i].name);
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
    GA_JW_KEY(w, "mention");
    ga_jw_int(w, k);
    if (m->resolved) {
        set_str(w, "name", m->place.name);
        GA_JW_KEY(w, "lat");
        ga_jw_real(w, round_to(m->place.lat, 1e6));
        GA_JW_KEY(w, "lon");
        ga_jw_real(w, round_to(m->place.lon, 1e6));
        set_str(w, "kind", ga_kind_name(m->place.kind));
        GA_JW_KEY(w, "precision");
        ga_jw_int(w, m->precision);
    } else {
        GA_JW_KEY(w, "name");
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
    GA_JW_KEY(w, "time_precision");
    if (e->time_precision) ga_jw_int(w, e->time_precision);
    else ga_jw_null(w);
    GA_JW_KEY(w, "location");
    event_place(w, res, e->location, text);
    GA_JW_KEY(w, "origin");
    event_place(w, res, e->origin, text);
    GA_JW_KEY(w, "destination");
    event_place(w, res, e->destination, text);
    GA_JW_KEY(w, "actors");
    ga_jw_arr(w);
    for (int i = 0; i < e->nactors; i++) ga_jw_str(w, e->actors[i]);
    ga_jw_end(w);
    GA_JW_KEY(w, "people");
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
    GA_JW_KEY(&w, "id");
    ga_jw_str(&w, id);
    GA_JW_KEY(&w, "mentions");
    ga_jw_arr(&w);
    for (size_t i = 0; i < res->mentions.n; i++) mention_obj(&w, pc, &res->mentions.v[i], text);
    ga_jw_end(&w);
    if (ev) {
        GA_JW_KEY(&w, "events");
        ga_jw_arr(&w);
        for (size_t i = 0; i < ev->n; i++) ga_json_event(&w, &ev->v[i], res, text);
        ga_jw_end(&w);
    }
    ga_jw_end(&w);
    if (w.failed || ga_buf_putc(buf, '\n')) return -1;
    return fwrite(buf->data, 1, buf->len, f) == buf->len ? 0 : -1;
}
