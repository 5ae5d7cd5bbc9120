/*
 * roles.c: the role of a place in an event (events_roles.tsv), and the
 * places that are named in an event sentence without being event places.
 *
 * Role: walk back from the place over descriptors ("the", "town of",
 * "northern", "rural"), list joiners ("," "and" "&") and the other places
 * of a list, and read the cue found there ("fled the Idlib town of X":
 * past "of", the descriptors and the place that names the town's area):
 * "from X", "left X", "fled X" -> origin; "to X", "toward X", "bound for X",
 * "fled Y for X" -> destination; "in X", "of
 * X", no cue -> site. Capitalised names the gazetteer lacks are skipped
 * as list items once a joiner has been passed. So every town of "demonstrations were held in the
 * towns of A, B, and C" is a site, and "driven north to Qalaat al-Madiq"
 * a destination. The longest cue wins ("talks in X" over "in X").
 *
 * Not event places (ev_role returns -1):
 *  - containers: "the Waer district in Homs", "Madaya in rural Damascus"
 *    (a place after "in" or "," that follows another place and is at
 *    least as large; after "," it must be an admin area, or lists would
 *    lose their members; after "in" the first place may also be a
 *    capitalised name the gazetteer lacks followed by a descriptor, as in
 *    "the Qaboun district in Damascus"), and "the Damascus suburb of Daraya" (a place
 *    followed by a descriptor and "of" another place);
 *  - treaty and talks names: "the Ankara ceasefire agreement", "the Astana
 *    de-escalation zones agreement": a treaty word within a few words
 *    after the place, unless the place is in the document's focus country
 *    (a local truce such as "the Waer agreement" is about the place);
 *  - mediators and hosts: "under the auspices of Turkey", "talks in Geneva";
 *  - where the speakers are, outside the focus country: "officials in
 *    Ankara said displaced residents would go back";
 *  - reference points: "40 km northwest of Damascus".
 */
#include "events/events_int.h"
#include "text/ga_text.h"

#include <stdio.h>
#include <string.h>

/* Tokens of a treaty name searched after a place. */
#define EV_TREATY_TOKENS 6

/* Size order of place kinds, for "X in Y": a section is inside a town, a
 * town inside an area or district, and so on. */
static int kind_rank(const ga_mention *m)
{
    if (!m->resolved) return -1;
    switch (m->place.kind) {
    case GA_KIND_SECTION: case GA_KIND_CAMP: case GA_KIND_CROSSING: return 0;
    case GA_KIND_PPL: case GA_KIND_OTHER: return 1;
    case GA_KIND_AREA: case GA_KIND_ADM3: return 2;
    case GA_KIND_ADM2: return 3;
    case GA_KIND_ADM1: return 4;
    case GA_KIND_COUNTRY: return 5;
    default: return 1;
    }
}

/* Longest role cue ending at token j whose kind bit is in mask; its token
 * count in *len. */
static const ev_role_cue *cue_ending(const ga_events_lex *lx, const ev_src *s, size_t j,
                                     size_t first, unsigned mask, int *len)
{
    const ev_role_cue *best = NULL;
    int best_n = 0;
    for (size_t k = 0; k < lx->roles.n; k++) {
        const ev_role_cue *c = &lx->roles.v[k];
        if (!(mask & (1u << c->kind))) continue;
        int n = ev_match_ending(s, &c->p, j, first);
        if (n > best_n) { best_n = n; best = c; }
    }
    *len = best_n;
    return best;
}

static const ev_role_cue *cue_at(const ga_events_lex *lx, const ev_src *s, size_t i,
                                 size_t last, unsigned mask, int *len)
{
    const ev_role_cue *best = NULL;
    int best_n = 0;
    for (size_t k = 0; k < lx->roles.n; k++) {
        const ev_role_cue *c = &lx->roles.v[k];
        if (!(mask & (1u << c->kind))) continue;
        int n = ev_match_at(s, &c->p, i, last);
        if (n > best_n) { best_n = n; best = c; }
    }
    *len = best_n;
    return best;
}

/* Index of the mention before k that covers token j, or -1. */
static long mention_covering(const ga_resolved *res, size_t k, size_t j)
{
    for (size_t p = k; p-- > 0;) {
        const ga_mention *m = &res->mentions.v[p];
        if (m->tok_last < j) return -1;    /* mentions are in text order */
        if (m->tok_first <= j) return (long)p;
    }
    return -1;
}

/* Index of the mention after k starting at token i, or -1. */
static long mention_starting(const ga_resolved *res, size_t k, size_t i)
{
    for (size_t p = k + 1; p < res->mentions.n; p++) {
        const ga_mention *m = &res->mentions.v[p];
        if (m->tok_first == i) return (long)p;
        if (m->tok_first > i) break;
    }
    return -1;
}

static int tok_is(const ev_src *s, size_t i, const char *w)
{
    char buf[32];
    return ev_tok_lower(s, i, buf, sizeof buf) == strlen(w) && strcmp(buf, w) == 0;
}

/* A cue of events_roles.tsv written as one word with a letter joined to
 * it, as Arabic writes "and", "in" and "of": و or ف (and) before a
 * one-word cue of a kind in mask ("وإلى" and to, "ومن" and from, "وريف"
 * and rural), ب (in) or ل (of) before a descriptor ("بريف إدلب" in rural
 * Idlib, "الأحياء الشرقية لمدينة حلب" the eastern districts of the city
 * of Aleppo). The cue joined, or NULL; *in is JOIN_AND, JOIN_IN or
 * JOIN_OF. */
enum { JOIN_AND, JOIN_IN, JOIN_OF };
static const ev_role_cue *joined_cue(const ga_events_lex *lx, const ev_src *s, size_t i,
                                     unsigned mask, int *in)
{
    const ga_token *t = &s->toks->v[i];
    char buf[96];
    *in = JOIN_AND;
    if (!(t->flags & GA_TOK_ARABIC)) return NULL;
    size_t n = ev_tok_lower(s, i, buf, sizeof buf);   /* the marks left out */
    const char *w = buf;
    uint32_t letter = n + 1 < sizeof buf ? ga_ar_joined_letter(w, n) : 0;
    if (!letter) return NULL;
    if (letter == 0x0628 || letter == 0x0644) {   /* ب, ل */
        *in = letter == 0x0628 ? JOIN_IN : JOIN_OF;
        mask &= 1u << EV_CUE_DESCRIPTOR;
    }
    w += 2;
    n -= 2;
    for (size_t k = 0; k < lx->roles.n; k++) {
        const ev_role_cue *c = &lx->roles.v[k];
        size_t cn = c->p.nw == 1 ? c->p.wlen[0] : 0;
        if (!(mask & (1u << c->kind)) || !cn || (c->p.prefix[0] ? n < cn : n != cn)) continue;
        if (!memcmp(w, c->p.w[0], cn)) return c;
    }
    return NULL;
}

/* Skip descriptors backwards from token j (inclusive); returns the first
 * token that is not one, or (size_t)-1 when the sentence start is passed. */
static size_t skip_descriptors_back(const ga_events_lex *lx, const ev_src *s, size_t j,
                                    size_t first)
{
    const unsigned mask = 1u << EV_CUE_DESCRIPTOR;
    for (;;) {
        if (j == (size_t)-1 || j < first) return (size_t)-1;
        int n;
        if (!cue_ending(lx, s, j, first, mask, &n)) return j;
        if (j < first + (size_t)n) return (size_t)-1;
        j -= (size_t)n;
    }
}

/* Is mention k a container of the place before it ("X district in K",
 * "X, K province")? Names the contained place in why. */
static int is_container(const ga_events_lex *lx, const ev_src *s, const ga_resolved *res,
                        size_t k, size_t first, char *why, size_t cap)
{
    const ga_mention *m = &res->mentions.v[k];
    if (m->tok_first == 0) return 0;
    size_t t0 = skip_descriptors_back(lx, s, m->tok_first - 1, first);
    if (t0 == (size_t)-1 || t0 == 0) return 0;
    int comma = tok_is(s, t0, ","), in = 0;
    if (!comma && !tok_is(s, t0, "in") && !tok_is(s, t0, "\xD9\x81\xD9\x8A") &&   /* في */
        !(joined_cue(lx, s, t0, 1u << EV_CUE_DESCRIPTOR, &in) && in == JOIN_IN))
        return 0;
    size_t t1 = skip_descriptors_back(lx, s, t0 - 1, first);
    if (t1 == (size_t)-1) return 0;
    long p = mention_covering(res, k, t1);
    if (p < 0) {
        /* "the Qaboun district in K" with Qaboun not in the gazetteer: a
         * capitalised word (not starting the sentence) then a descriptor */
        const ga_token *w = &s->toks->v[t1];
        if (comma || t1 + 1 >= t0 || !(w->flags & GA_TOK_CAP) || (w->flags & GA_TOK_SENT))
            return 0;
        snprintf(why, cap, "container of %.*s", (int)(w->end - w->start), s->text + w->start);
        return 1;
    }
    int rk = kind_rank(m), rp = kind_rank(&res->mentions.v[p]);
    int yes = comma ? (rk >= 3 && rk > rp)
                    : (rk < 0 || rp < 0 || rk >= rp);
    if (yes)
        snprintf(why, cap, "container of %.*s",
                 (int)(res->mentions.v[p].end - res->mentions.v[p].start),
                 s->text + res->mentions.v[p].start);
    return yes;
}

/* "the K suburb of X": descriptors then "of" then a place. */
static int is_modifier(const ga_events_lex *lx, const ev_src *s, const ga_resolved *res,
                       size_t k, size_t last, char *why, size_t cap)
{
    const ga_mention *m = &res->mentions.v[k];
    size_t i = m->tok_last + 1;
    int nd = 0, n;
    while (i <= last && cue_at(lx, s, i, last, 1u << EV_CUE_DESCRIPTOR, &n)) {
        if (!tok_is(s, i, "the")) nd++;
        i += (size_t)n;
    }
    if (nd == 0 || i + 1 > last || !tok_is(s, i, "of")) return 0;
    long p = mention_starting(res, k, i + 1);
    if (p < 0) return 0;
    snprintf(why, cap, "names the area of %.*s",
             (int)(res->mentions.v[p].end - res->mentions.v[p].start),
             s->text + res->mentions.v[p].start);
    return 1;
}

static int in_focus_country(const ga_resolved *res, const ga_mention *m)
{
    return m->resolved && res->focus_country[0] && m->place.country &&
           strcmp(m->place.country, res->focus_country) == 0;
}

/* "K ceasefire agreement", "K talks": a treaty word soon after the place,
 * across words and hyphens only. */
static int is_treaty(const ga_events_lex *lx, const ev_src *s, const ga_resolved *res,
                     size_t k, size_t last, char *why, size_t cap)
{
    const ga_mention *m = &res->mentions.v[k];
    if (in_focus_country(res, m)) return 0;
    const unsigned stop = (1u << EV_CUE_SITE) | (1u << EV_CUE_ORIGIN) |
                          (1u << EV_CUE_DESTINATION) | (1u << EV_CUE_LIST);
    for (size_t i = m->tok_last + 1; i <= last && i <= m->tok_last + EV_TREATY_TOKENS; i++) {
        const ga_token *t = &s->toks->v[i];
        int n;
        if (cue_at(lx, s, i, last, 1u << EV_CUE_TREATY, &n)) {
            char w[64];
            ev_tok_lower(s, i, w, sizeof w);
            snprintf(why, cap, "part of a treaty or talks name ('%s')", w);
            return 1;
        }
        if (t->flags & GA_TOK_PUNCT) {
            if (!tok_is(s, i, "-")) return 0;
            continue;
        }
        if (cue_at(lx, s, i, last, stop, &n) || mention_starting(res, k, i) >= 0) return 0;
    }
    return 0;
}

int ev_role(const ga_events_lex *lx, const ev_src *s, const ga_resolved *res, size_t k,
            size_t first, size_t last, char *why, size_t why_cap)
{
    const ga_mention *m = &res->mentions.v[k];
    why[0] = 0;
    if (is_container(lx, s, res, k, first, why, why_cap) ||
        is_modifier(lx, s, res, k, last, why, why_cap) ||
        is_treaty(lx, s, res, k, last, why, why_cap))
        return -1;
    /* walk back over descriptors, list joiners and listed places */
    const unsigned skip = (1u << EV_CUE_DESCRIPTOR) | (1u << EV_CUE_LIST);
    const unsigned roles = (1u << EV_CUE_SITE) | (1u << EV_CUE_ORIGIN) |
                           (1u << EV_CUE_DESTINATION) | (1u << EV_CUE_MEDIATOR) |
                           (1u << EV_CUE_REFERENCE) | (1u << EV_CUE_SPEAKER);
    size_t j = m->tok_first;
    int in_list = 0;    /* a list joiner was passed: unknown names are list items */
    while (j > first) {
        size_t prev = j - 1;
        int n, in = 0;
        const ev_role_cue *c = cue_ending(lx, s, prev, first, roles, &n);
        if (!c) {
            const ev_role_cue *jc = joined_cue(lx, s, prev, roles | skip, &in);
            if (jc && jc->kind == EV_CUE_DESCRIPTOR) {
                /* "من إدلب وريف حلب": and rural, a list; "بريف": in
                 * rural; "لمدينة": of the city, read on past it */
                if (in == JOIN_IN) {
                    snprintf(why, why_cap, "in (joined)");
                    return GA_ROLE_SITE;
                }
                in_list |= in == JOIN_AND;
                j = prev;
                continue;
            }
            if (jc && jc->kind != EV_CUE_LIST) {
                c = jc;
                n = 1;
            }
        }
        /* "fled the Idlib town of Saraqeb": "of" after a place that names
         * the town's area (is_modifier) is no cue; the cue is before that
         * place */
        if (c && n == 1 && tok_is(s, prev, "of")) {
            size_t i = prev;
            int nd = 0, dn;
            const ev_role_cue *dc;
            while (i > first &&
                   (dc = cue_ending(lx, s, i - 1, first, 1u << EV_CUE_DESCRIPTOR, &dn)) != NULL) {
                (void)dc;
                if (!tok_is(s, i - 1, "the")) nd++;
                i -= (size_t)dn;
            }
            long p = nd && i > first ? mention_covering(res, k, i - 1) : -1;
            if (p >= 0 && res->mentions.v[p].tok_last == i - 1) {
                j = res->mentions.v[p].tok_first;
                continue;
            }
        }
        /* "شمال سوريا", "جنوب ريف إدلب": before an area, an Arabic word
         * of the compass names its part (northern Syria), not a point
         * north of it */
        if (c && c->kind == EV_CUE_REFERENCE && (unsigned char)c->p.w[0][0] >= 0xD8 &&
            (unsigned char)c->p.w[0][0] <= 0xDB && kind_rank(m) >= 2) {
            j = prev + 1 - (size_t)n;
            continue;
        }
        if (c) {
            char buf[64];
            ev_pattern_str(&c->p, buf, sizeof buf);
            if (c->kind == EV_CUE_MEDIATOR || c->kind == EV_CUE_REFERENCE) {
                snprintf(why, why_cap, "%s ('%s')", c->kind == EV_CUE_MEDIATOR
                         ? "mediator or host" : "reference point", buf);
                return -1;
            }
            if (c->kind == EV_CUE_SPEAKER) {
                /* "officials in Ankara said" in a report on Syria: where
                 * the speakers sit; in the focus country it is a site */
                if (!in_focus_country(res, m)) {
                    snprintf(why, why_cap, "where the speakers are ('%s')", buf);
                    return -1;
                }
            }
            snprintf(why, why_cap, "%s", buf);
            return c->kind == EV_CUE_ORIGIN ? GA_ROLE_ORIGIN
                 : c->kind == EV_CUE_DESTINATION ? GA_ROLE_DESTINATION : GA_ROLE_SITE;
        }
        /* "flee Rafah for Khan Younis", "left Syria for Lebanon": "for"
         * right after a place names where people go */
        if (tok_is(s, prev, "for") && prev > first) {
            long q = mention_covering(res, k, prev - 1);
            if (q >= 0 && res->mentions.v[q].tok_last == prev - 1) {
                snprintf(why, why_cap, "for (after a place)");
                return GA_ROLE_DESTINATION;
            }
        }
        long p = mention_covering(res, k, prev);
        if (p >= 0) { j = res->mentions.v[p].tok_first; continue; }
        const ev_role_cue *sk = cue_ending(lx, s, prev, first, skip, &n);
        if (sk) {
            in_list |= sk->kind == EV_CUE_LIST;
            j = prev + 1 - (size_t)n;
            continue;
        }
        /* an item of the list that is not in the gazetteer ("Al-Sa'in") */
        const ga_token *t = &s->toks->v[prev];
        if (in_list && !(t->flags & GA_TOK_SENT) &&
            ((t->flags & GA_TOK_CAP) || (tok_is(s, prev, "-") && !(t->flags & GA_TOK_SPACE)))) {
            j = prev;
            continue;
        }
        break;
    }
    snprintf(why, why_cap, "no cue");
    return GA_ROLE_SITE;
}
