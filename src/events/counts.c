/*
 * counts.c: how many people an event concerns (events_counts.tsv).
 *
 *   "about 1,500 people"                 1500, approximate
 *   "more than 100,000 have fled"        100000, lower bound (a qualified
 *                                        number before a verb of the file
 *                                        counts without a noun)
 *   "another 5,000 were displaced"       5000, as stated (so does a number
 *                                        after "another", "a further")
 *   "1.2 million Syrians" ... "2 thousand residents"  multiplied
 *   "hundreds of families"               200, lower bound: the plural of a
 *                                        round number means at least two of
 *                                        it, and a family has at least one
 *                                        member (values in the file)
 *   "Hundreds protested", "thousands     the same, when the event's trigger
 *   have fled"                           follows, at most after a verb of
 *                                        the file or "more"
 *   "up to 300 people"                   300, upper bound
 * A bare number is counted only before a people noun (people, families,
 * residents, civilians ...) within a few words, so years, article numbers
 * and resolutions ("resolution 2336") are never counts. The first count of
 * the sentence is the event's.
 */
#include "events/events_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Words allowed between a number and its noun ("1,500 displaced Syrian people"). */
#define EV_COUNT_GAP 3

static const ev_count_word *count_at(const ga_events_lex *lx, const ev_src *s, size_t i,
                                     size_t last, unsigned mask, int *len)
{
    const ev_count_word *best = NULL;
    int best_n = 0;
    for (size_t k = 0; k < lx->counts.n; k++) {
        const ev_count_word *c = &lx->counts.v[k];
        if (!(mask & (1u << c->kind))) continue;
        int n = ev_match_at(s, &c->p, i, last);
        if (n > best_n) { best_n = n; best = c; }
    }
    *len = best_n;
    return best;
}

static const ev_count_word *count_ending(const ga_events_lex *lx, const ev_src *s, size_t j,
                                         size_t first, unsigned mask)
{
    const ev_count_word *best = NULL;
    int best_n = 0;
    for (size_t k = 0; k < lx->counts.n; k++) {
        const ev_count_word *c = &lx->counts.v[k];
        if (!(mask & (1u << c->kind))) continue;
        int n = ev_match_ending(s, &c->p, j, first);
        if (n > best_n) { best_n = n; best = c; }
    }
    return best;
}

/* Value of a number token ("1,500", "100,000", "1.5"), or -1. */
static double num_value(const ev_src *s, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    if (!(t->flags & GA_TOK_NUM)) return -1;
    char buf[40];
    size_t o = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        char c = s->text[k];
        if (c == ',') continue;
        if (o + 1 >= sizeof buf) return -1;
        /* Arabic-Indic digits (U+0660-0669, Persian U+06F0-06F9), the
         * Arabic thousands separator U+066C and decimal separator U+066B */
        unsigned char b0 = (unsigned char)c, b1 = k + 1 < t->end ? (unsigned char)s->text[k + 1] : 0;
        if (b0 == 0xD9 && b1 >= 0xA0 && b1 <= 0xA9) c = (char)('0' + (b1 - 0xA0));
        else if (b0 == 0xDB && b1 >= 0xB0 && b1 <= 0xB9) c = (char)('0' + (b1 - 0xB0));
        else if (b0 == 0xD9 && b1 == 0xAC) { k++; continue; }
        else if (b0 == 0xD9 && b1 == 0xAB) c = '.';
        if (c != s->text[k]) k++;   /* the second byte of the Arabic one */
        buf[o++] = c;
    }
    buf[o] = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    return end && *end == 0 ? v : -1;
}

/* A people noun within EV_COUNT_GAP words from token i? The words before
 * it may only be capitalised ("Syrian refugees"), people words themselves
 * ("displaced people") or modifiers of the file ("internally"), so "30
 * buses carried fighters" is no count of fighters. Returns the token after
 * the noun, or 0 when there is none. */
static size_t noun_end(const ga_events_lex *lx, const ev_src *s, size_t i, size_t last)
{
    for (size_t k = i; k <= last && k < i + EV_COUNT_GAP; k++) {
        int n;
        if (count_at(lx, s, k, last, 1u << EV_CNT_NOUN, &n)) return k + (size_t)n;
        const ga_token *t = &s->toks->v[k];
        if (!(t->flags & GA_TOK_WORD)) return 0;
        if (!(t->flags & GA_TOK_CAP) && !count_at(lx, s, k, last, 1u << EV_CNT_MODIFIER, &n))
            return 0;
    }
    return 0;
}

static int noun_follows(const ga_events_lex *lx, const ev_src *s, size_t i, size_t last)
{
    return noun_end(lx, s, i, last) != 0;
}

/* Does a trigger start at token k, or right after "more" or a verb of the
 * file there ("thousands more have fled"; the verb may hold the trigger)? */
static int trigger_follows(const ga_events_lex *lx, const ev_src *s, size_t k, size_t last,
                           const ev_trig_hits *hits)
{
    for (int step = 0; step < 3 && k <= last; step++) {
        int n = 0;
        char w[8];
        if (!count_at(lx, s, k, last, 1u << EV_CNT_VERB, &n) &&
            ev_tok_lower(s, k, w, sizeof w) == 4 && strcmp(w, "more") == 0)
            n = 1;
        for (size_t h = 0; h < hits->n; h++)
            if (hits->v[h].first >= k && hits->v[h].first <= k + (size_t)(n ? n - 1 : 0))
                return 1;
        if (!n) return 0;
        k += (size_t)n;
    }
    return 0;
}

int64_t ev_people(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
                  const ev_trig_hits *hits, ga_people_qual *qual)
{
    *qual = GA_PEOPLE_NONE;
    for (size_t i = first; i <= last && i < s->toks->n; i++) {
        int n;
        const ev_count_word *vague = count_at(lx, s, i, last, 1u << EV_CNT_VAGUE, &n);
        if (vague) {
            size_t k = i + (size_t)n;
            char w[8];
            /* "hundreds of families", and in Arabic, which joins the
             * two without a word for "of", "مئات العائلات" */
            if (k <= last && ((ev_tok_lower(s, k, w, sizeof w) == 2 && strcmp(w, "of") == 0 &&
                               noun_follows(lx, s, k + 1, last)) ||
                              noun_follows(lx, s, k, last) ||
                              trigger_follows(lx, s, k, last, hits))) {
                *qual = GA_PEOPLE_MIN;
                return vague->value;
            }
            continue;
        }
        double v = num_value(s, i);
        if (v < 0) continue;
        size_t k = i + 1;
        const ev_count_word *mult = k <= last ? count_at(lx, s, k, last, 1u << EV_CNT_MULT, &n)
                                              : NULL;
        if (mult) { v *= (double)mult->value; k += (size_t)n; }
        if (v < 1 || v > 1e10) continue;
        const ev_count_word *q = i > first
            ? count_ending(lx, s, i - 1, first,
                           (1u << EV_CNT_APPROX) | (1u << EV_CNT_MIN) | (1u << EV_CNT_MAX) |
                               (1u << EV_CNT_EXACT))
            : NULL;
        int counted = noun_follows(lx, s, k, last);
        if (!counted && q && k <= last) counted = count_at(lx, s, k, last, 1u << EV_CNT_VERB, &n) != NULL;
        if (!counted) continue;
        *qual = !q || q->kind == EV_CNT_EXACT ? GA_PEOPLE_EXACT
              : q->kind == EV_CNT_APPROX ? GA_PEOPLE_APPROX
              : q->kind == EV_CNT_MIN ? GA_PEOPLE_MIN : GA_PEOPLE_MAX;
        return (int64_t)llround(v);
    }
    return -1;
}

size_t ev_people_len(const ga_events_lex *lx, const ev_src *s, size_t i, size_t last)
{
    size_t k = i, end = 0;
    int n;
    if (i > last || i >= s->toks->n) return 0;
    if (count_at(lx, s, k, last, (1u << EV_CNT_APPROX) | (1u << EV_CNT_MIN) |
                                     (1u << EV_CNT_MAX) | (1u << EV_CNT_EXACT), &n))
        k += (size_t)n;                    /* "نحو ١٥٠٠ شخص": a number must follow */
    if (k > last) return 0;
    if (k == i && count_at(lx, s, k, last, 1u << EV_CNT_VAGUE, &n)) {
        k += (size_t)n;
        char w[8];
        if (k <= last && ev_tok_lower(s, k, w, sizeof w) == 2 && strcmp(w, "of") == 0)
            end = noun_end(lx, s, k + 1, last);
        if (!end) end = noun_end(lx, s, k, last);
    } else if (num_value(s, k) >= 0) {
        k++;
        if (k <= last && count_at(lx, s, k, last, 1u << EV_CNT_MULT, &n)) k += (size_t)n;
        end = noun_end(lx, s, k, last);
    }
    return end ? end - i : 0;
}
