/*
 * extract.c: the event extractor's driver (see ga_events.h). For each
 * sentence that holds both a trigger and a place: decide each place's role
 * (roles.c) and whether it is an event place at all, attach it to the
 * nearest usable trigger (a preceding one is preferred: news English puts
 * the place after the verb, "fled to X", "protests in X"), take the status
 * (status.c), date (dates.c), people count (counts.c) and actors (actors.c),
 * share origin and destination among the sentence's movement events, and
 * drop repeats of an event already reported in the document.
 */
#define _POSIX_C_SOURCE 200809L
#include "events/events_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *ga_event_type_name(ga_event_type t)
{
    static const char *const names[] = {"forced_displacement", "evacuation", "flight",
                                        "siege", "return", "protest"};
    return (unsigned)t < GA_EV_TYPE_COUNT ? names[t] : NULL;
}

const char *ga_event_status_name(ga_event_status s)
{
    static const char *const names[] = {"reported", "threatened", "denied"};
    return (unsigned)s < GA_ST_COUNT ? names[s] : NULL;
}

const char *ga_role_name(ga_role r)
{
    static const char *const names[] = {"site", "origin", "destination"};
    return (unsigned)r < GA_ROLE_COUNT ? names[r] : NULL;
}

int ga_events_mention_eligible(const ga_mention *m)
{
    if (m->flags & (GA_MENTION_DEMONYM | GA_MENTION_ORG)) return 0;
    if (m->resolved && m->place.kind == GA_KIND_COUNTRY) return 0;
    return 1;
}

void ga_events_free(ga_events *ev)
{
    if (ev) ga_vec_free(ev);
}

/* Events that move people have an origin and a destination. */
static int is_movement(ga_event_type t)
{
    return t == GA_EV_FORCED_DISPLACEMENT || t == GA_EV_EVACUATION || t == GA_EV_FLIGHT ||
           t == GA_EV_RETURN || t == (ga_event_type)EV_TYPE_MOVEMENT;
}

/* The type of trigger hit h: a generic movement verb takes the type of
 * the sentence's first specific movement trigger, else flight. */
static ga_event_type hit_type(const ev_trig_hits *hits, size_t h)
{
    ga_event_type t = hits->v[h].t->type;
    if (t != (ga_event_type)EV_TYPE_MOVEMENT) return t;
    for (size_t k = 0; k < hits->n; k++) {
        ga_event_type o = hits->v[k].t->type;
        if (o != (ga_event_type)EV_TYPE_MOVEMENT && is_movement(o)) return o;
    }
    return GA_EV_FLIGHT;
}

/* A place of the sentence that will become an event. */
typedef struct {
    size_t k;            /* mention index */
    int role;            /* GA_ROLE_* */
    size_t hit;          /* index in the sentence's trigger hits */
    char why[96];        /* role cue */
} ev_cand;

/* Same place: same gazetteer place, or the same unresolved name. */
static int same_place(const char *text, const ga_mention *a, const ga_mention *b)
{
    if (a->resolved != b->resolved) return 0;
    if (a->resolved) return a->place_idx == b->place_idx;
    size_t na = a->end - a->start, nb = b->end - b->start;
    return na == nb && strncasecmp(text + a->start, text + b->start, na) == 0;
}

/* Copy text[a..b) into out (cap bytes), cut at a character boundary. */
static void copy_span(const char *text, uint32_t a, uint32_t b, char *out, size_t cap)
{
    size_t n = b - a;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)text[a + n] & 0xC0) == 0x80) n--;
    }
    memcpy(out, text + a, n);
    out[n] = 0;
}

static const char *qual_words(ga_people_qual q)
{
    switch (q) {
    case GA_PEOPLE_APPROX: return "about ";
    case GA_PEOPLE_MIN: return "at least ";
    case GA_PEOPLE_MAX: return "up to ";
    default: return "";
    }
}

static int arabic_comma(const ev_src *s, size_t i);

/* Arabic commas among tokens [first, i). */
static size_t commas_before(const ev_src *s, size_t first, size_t i)
{
    size_t n = 0;
    for (size_t k = first; k < i && k < s->toks->n; k++) n += (size_t)arabic_comma(s, k);
    return n;
}

/* 1 when an Arabic comma lies between tokens a and b (a < b). */
static int comma_between(const ev_src *s, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++)
        if (arabic_comma(s, i)) return 1;
    return 0;
}

/* The best usable trigger for mention m, or -1: the nearest, one of the
 * mention's own clause before one across an Arabic comma. */
static long attach(const ev_src *s, const ev_trig_hits *hits, const ga_mention *m)
{
    long best = -1;
    double best_d = 0;
    for (size_t h = 0; h < hits->n; h++) {
        const ev_trig_hit *t = &hits->v[h];
        if (!t->usable) continue;
        double d;
        if (t->last < m->tok_first) d = (double)(m->tok_first - t->last);
        else if (t->first > m->tok_last) d = (double)(t->first - m->tok_last) * EV_FOLLOWING_PENALTY;
        else continue;                         /* the place is inside the trigger */
        if (d > EV_ATTACH_TOKENS) continue;
        if (t->last < m->tok_first ? comma_between(s, t->last, m->tok_first)
                                   : comma_between(s, m->tok_last, t->first))
            d += 1000;   /* after every trigger of the mention's own clause */
        if (best < 0 || d < best_d) { best = (long)h; best_d = d; }
    }
    return best;
}

/* Arabic news joins clauses with the Arabic comma "،" (U+060C) into one
 * long sentence: "نزح 5000 شخص من سراقب، وتم تهجير سكان داريا" is two
 * events, and the 5,000 are those of the first. At most this many clauses
 * are told apart; a longer sentence keeps one count for all. */
#define EV_MAX_CLAUSES 16

static int arabic_comma(const ev_src *s, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    return t->end - t->start == 2 && (unsigned char)s->text[t->start] == 0xD8 &&
           (unsigned char)s->text[t->start + 1] == 0x8C;
}

/* The clause (of the nc starting at cb[]) that token i lies in. */
static size_t clause_of(const size_t *cb, size_t nc, size_t i)
{
    size_t c = nc - 1;
    while (c > 0 && i < cb[c]) c--;
    return c;
}

/* The people count of each trigger hit of the sentence [first, last] into
 * people[h], qual[h]: the count of the sentence, unless Arabic commas
 * divide it; then the count of the hit's own clause, else that of the
 * first clause holding a count and no trigger ("الحافلات ... ، وعلى متنها
 * نحو ١٥٠٠ شخص", and on board about 1,500 people), else none. */
static void hit_people(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
                       const ev_trig_hits *hits, int64_t sentence, ga_people_qual squal,
                       int64_t *people, ga_people_qual *qual)
{
    size_t cb[EV_MAX_CLAUSES], nc = 0;   /* clause starts */
    cb[nc++] = first;
    for (size_t i = first; i <= last && nc <= EV_MAX_CLAUSES; i++)
        if (arabic_comma(s, i)) {
            if (nc == EV_MAX_CLAUSES) { nc = EV_MAX_CLAUSES + 1; break; }
            cb[nc++] = i + 1;
        }
    if (nc == 1 || nc > EV_MAX_CLAUSES) {
        for (size_t h = 0; h < hits->n; h++) { people[h] = sentence; qual[h] = squal; }
        return;
    }
    int64_t cp[EV_MAX_CLAUSES];
    ga_people_qual cq[EV_MAX_CLAUSES];
    int trig[EV_MAX_CLAUSES] = {0};
    for (size_t c = 0; c < nc; c++) {
        size_t e = c + 1 < nc ? cb[c + 1] - 1 : last;
        cp[c] = cb[c] <= e && cb[c] <= last ? ev_people(lx, s, cb[c], e, hits, &cq[c]) : -1;
        if (cp[c] < 0) cq[c] = GA_PEOPLE_NONE;
    }
    for (size_t h = 0; h < hits->n; h++) trig[clause_of(cb, nc, hits->v[h].first)] = 1;
    long spare = -1;   /* the first clause with a count and no trigger */
    for (size_t c = 0; c < nc && spare < 0; c++)
        if (!trig[c] && cp[c] >= 0) spare = (long)c;
    for (size_t h = 0; h < hits->n; h++) {
        size_t own = clause_of(cb, nc, hits->v[h].first);
        size_t c = cp[own] >= 0 ? own : spare >= 0 ? (size_t)spare : own;
        people[h] = cp[c];
        qual[h] = cq[c];
    }
}

ga_rc ga_events_extract(const ga_events_lex *lx, const char *text, size_t n,
                        const ga_resolved *res, const char *doc_date, ga_events *out,
                        ga_err *err)
{
    (void)n;
    const ga_tokens *toks = &res->toks;
    const size_t nm = res->mentions.n;
    ev_src s = {text, toks};
    ev_trig_hits hits = {0};
    GA_VEC(ev_cand) cands = {0};
    GA_VEC(int64_t) hpeople = {0};          /* people count of each hit */
    GA_VEC(ga_people_qual) hqual = {0};
    size_t doc_first = out->n, mi = 0;
    long carry_origin = -1;       /* origin of the previous sentence's movement */
    ga_rc rc = GA_OK;

    for (size_t a = 0; a < toks->n;) {
        size_t first, last;
        ga_sentence_of(toks, a, &first, &last);
        a = last + 1;
        while (mi < nm && res->mentions.v[mi].tok_first < first) mi++;
        size_t m0 = mi;
        while (mi < nm && res->mentions.v[mi].tok_first <= last) mi++;
        size_t m1 = mi;
        long origin_before = carry_origin;
        carry_origin = -1;
        if (m0 == m1) continue;
        hits.n = 0;
        if ((rc = ev_find_triggers(lx, &s, first, last, &hits))) goto oom;
        if (hits.n == 0) continue;
        ga_people_qual qual;
        int64_t people = ev_people(lx, &s, first, last, &hits, &qual);
        if (ga_vec_reserve(&hpeople, hits.n) || ga_vec_reserve(&hqual, hits.n)) {
            rc = GA_ENOMEM;
            goto oom;
        }
        hit_people(lx, &s, first, last, &hits, people, qual, hpeople.v, hqual.v);
        /* triggers such as "left" need a place right after them; such as
         * "reached" also a count of people in the sentence ("30,000 people
         * had reached Fafin", not "troops reached the outskirts of ...") */
        for (size_t h = 0; h < hits.n; h++) {
            ev_trig_hit *t = &hits.v[h];
            if (t->t->need == EV_NEED_PEOPLE && people < 0) continue;
            /* Arabic puts the subject after its verb, where English has
             * it before: the people counted right after an Arabic trigger
             * are not part of the way to its place ("عاد مئات النازحين إلى
             * قراهم في ريف حماة", hundreds of displaced returned to their
             * villages in rural Hama: Hama is the seventh word after the
             * verb, the fifth after the count) */
            size_t from = t->last;
            if (toks->v[t->last].flags & GA_TOK_ARABIC)
                from += ev_people_len(lx, &s, t->last + 1, last);
            for (size_t k = m0; k < m1 && !t->usable; k++) {
                const ga_mention *m = &res->mentions.v[k];
                t->usable = ga_events_mention_eligible(m) && m->tok_first > t->last &&
                            m->tok_first <= from + EV_NEED_PLACE_TOKENS;
            }
        }
        cands.n = 0;
        for (size_t k = m0; k < m1; k++) {
            const ga_mention *m = &res->mentions.v[k];
            if (!ga_events_mention_eligible(m)) continue;
            ev_cand c = {k, 0, 0, ""};
            c.role = ev_role(lx, &s, res, k, first, last, c.why, sizeof c.why);
            if (c.role < 0) continue;
            long h = attach(&s, &hits, m);
            if (h < 0) continue;
            c.hit = (size_t)h;
            if ((rc = ga_vec_push(&cands, c))) goto oom;
        }
        if (cands.n == 0) continue;
        /* origin and destination shared by the sentence's movement events */
        long origin = -1, dest = -1;
        for (size_t c = 0; c < cands.n; c++) {
            if (!is_movement(hits.v[cands.v[c].hit].t->type)) continue;
            if (cands.v[c].role == GA_ROLE_ORIGIN && origin < 0) origin = (long)cands.v[c].k;
            if (cands.v[c].role == GA_ROLE_DESTINATION && dest < 0) dest = (long)cands.v[c].k;
        }
        if (origin < 0 && dest >= 0) origin = origin_before;
        carry_origin = origin;
        size_t commas = commas_before(&s, first, last + 1);
        const char *actors[8];
        int nactors = ev_actors(lx, &s, first, last, actors, 8);

        for (size_t c = 0; c < cands.n; c++) {
            const ev_cand *cd = &cands.v[c];
            const ev_trig_hit *tr = &hits.v[cd->hit];
            const ga_mention *m = &res->mentions.v[cd->k];
            ga_event ev;
            memset(&ev, 0, sizeof ev);
            ev.type = hit_type(&hits, cd->hit);
            ev.role = (ga_role)cd->role;
            /* a siege moves no one: "laid siege to Eastern Ghouta" names
             * where it is, whatever the preposition */
            if (ev.type == GA_EV_SIEGE) ev.role = GA_ROLE_SITE;
            ev.location = (long)cd->k;
            const ev_pattern *cue = NULL;
            ev.status = ev_status(lx, &s, first, tr, m->tok_first, &cue);
            /* repeated in the document: keep the first */
            int dup = 0;
            for (size_t e = doc_first; e < out->n && !dup; e++) {
                const ga_event *o = &out->v[e];
                dup = o->type == ev.type && o->status == ev.status && o->role == ev.role &&
                      same_place(text, &res->mentions.v[o->location], m);
            }
            if (dup) continue;
            int move = is_movement(ev.type);
            long o = origin, de = dest;
            if (move && commas) {
                /* clauses joined by Arabic commas: the origin and the
                 * destination of the mention's own clause */
                size_t cl = commas_before(&s, first, m->tok_first);
                o = de = -1;
                for (size_t c2 = 0; c2 < cands.n; c2++) {
                    const ev_cand *x = &cands.v[c2];
                    if (!is_movement(hits.v[x->hit].t->type) ||
                        commas_before(&s, first, res->mentions.v[x->k].tok_first) != cl)
                        continue;
                    if (x->role == GA_ROLE_ORIGIN && o < 0) o = (long)x->k;
                    if (x->role == GA_ROLE_DESTINATION && de < 0) de = (long)x->k;
                }
            }
            ev.origin = ev.role == GA_ROLE_ORIGIN ? ev.location : move ? o : -1;
            ev.destination = ev.role == GA_ROLE_DESTINATION ? ev.location : move ? de : -1;
            ev.trig_start = toks->v[tr->first].start;
            ev.trig_end = toks->v[tr->last].end;
            ev.sent_start = toks->v[first].start;
            ev.sent_end = toks->v[last].end;
            copy_span(text, ev.trig_start, ev.trig_end, ev.trigger, sizeof ev.trigger);
            ev.time_precision = ev_date(&s, first, last, tr->first, doc_date, ev.date);
            ev.geo_precision = m->resolved ? m->precision : 0;
            ev.nactors = nactors;
            memcpy(ev.actors, actors, sizeof actors);
            ev.people = hpeople.v[cd->hit];
            ev.people_qual = hqual.v[cd->hit];
            char name[64], cuebuf[64];
            copy_span(text, m->start, m->end, name, sizeof name);
            int w = snprintf(ev.reason, sizeof ev.reason, "'%s' with %s %s (%s)", ev.trigger,
                             ga_role_name(ev.role), name, cd->why);
            if (cue && w > 0 && (size_t)w < sizeof ev.reason)
                w += snprintf(ev.reason + w, sizeof ev.reason - (size_t)w, "; %s: '%s'",
                              ga_event_status_name(ev.status),
                              ev_pattern_str(cue, cuebuf, sizeof cuebuf));
            if (ev.people >= 0 && w > 0 && (size_t)w < sizeof ev.reason)
                snprintf(ev.reason + w, sizeof ev.reason - (size_t)w, "; %s%lld people",
                         qual_words(ev.people_qual), (long long)ev.people);
            if ((rc = ga_vec_push(out, ev))) goto oom;
        }
    }
    ga_vec_free(&hits);
    ga_vec_free(&cands);
    ga_vec_free(&hpeople);
    ga_vec_free(&hqual);
    return GA_OK;
oom:
    ga_vec_free(&hits);
    ga_vec_free(&cands);
    ga_vec_free(&hpeople);
    ga_vec_free(&hqual);
    return ga_err_set(err, rc, "out of memory while extracting events");
}
