/*
 * dates.c: when an event happened, from the document date and the words
 * of its sentence. The calendar words (weekdays, months, "yesterday") are
 * English calendar facts, not tunable lexicon, so they live here.
 *
 *   "on Thursday", "Thursday night", "last Thursday"  the most recent such
 *                                  day on or before the document date: 1
 *   "yesterday", "last night"      the day before: 1; "today", "tonight": 1
 *   "December 30, 2016", "30 December", "Dec. 30"    that day (a missing
 *                                  year is the document's, or the year
 *                                  before when that would be later): 1
 *   "this week", "last week", "earlier this week"     document date: 2
 *   "in March 2017", "this month", "last month"       first of the month: 3
 *   nothing                        the document date: 2 (a report is
 *                                  usually published within days of the
 *                                  events it reports, but not on the day)
 * Without a document date only full dates with a year resolve. When a
 * sentence holds several expressions the one nearest the trigger wins.
 */
#include "events/events_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm, written out from its published description). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ev_date_from_days(long z, char out[11])
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

static int valid_ymd(long y, long m, long d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return 1;
}

long ev_days_from_date(const char *s)
{
    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-') return INT32_MIN;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return INT32_MIN;
    long y = atol(s), m = atol(s + 5), d = atol(s + 8);
    if (!valid_ymd(y, m, d)) return INT32_MIN;
    return days_from_civil(y, m, d);
}

static const char *const weekdays[7] = {"thursday", "friday", "saturday", "sunday",
                                        "monday", "tuesday", "wednesday"}; /* 1970-01-01 was a Thursday */
static const char *const months[12] = {"january", "february", "march", "april", "may", "june",
                                       "july", "august", "september", "october", "november",
                                       "december"};

static int weekday_of(const char *w)
{
    for (int i = 0; i < 7; i++)
        if (strcmp(w, weekdays[i]) == 0) return i;
    return -1;
}

/* Month 1..12 of a full or abbreviated (3+ letters) month name, else 0.
 * "may" and "march" count only when capitalised (checked by the caller). */
static int month_of(const char *w)
{
    size_t n = strlen(w);
    for (int i = 0; i < 12; i++) {
        if (strcmp(w, months[i]) == 0) return i + 1;
        if (n >= 3 && n < strlen(months[i]) && strncmp(w, months[i], n) == 0 &&
            (n == 3 || (i == 8 && n == 4)))
            return i + 1;
    }
    return 0;
}

/* Value of a number token of 1..4 digits, else -1. */
static long small_num(const ev_src *s, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    if (!(t->flags & GA_TOK_NUM) || t->end - t->start > 4) return -1;
    long v = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        char c = s->text[k];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/* Word i (lower case) into w; 0 when token i is not a word. */
static int word(const ev_src *s, size_t i, size_t last, char *w, size_t cap)
{
    if (i > last || i >= s->toks->n || !(s->toks->v[i].flags & GA_TOK_WORD)) return 0;
    ev_tok_lower(s, i, w, cap);
    return 1;
}

typedef struct {
    long days;     /* resolved day */
    int prec;      /* 1..3 */
    size_t tok;    /* where the expression starts */
} ev_when;

/* Day d of month m of year y (y < 1000: the document's year, or the one
 * before when that day would come after the document). */
static int month_day(long doc, long y, long m, long d, size_t tok, ev_when *out)
{
    if (y >= 1000) {
        if (!valid_ymd(y, m, d)) return 0;
        *out = (ev_when){days_from_civil(y, m, d), 1, tok};
        return 1;
    }
    if (doc == INT32_MIN) return 0;
    char ds[11];
    ev_date_from_days(doc, ds);
    long dy = atol(ds);
    if (!valid_ymd(dy, m, d)) return 0;
    long v = days_from_civil(dy, m, d);
    if (v > doc && valid_ymd(dy - 1, m, d)) v = days_from_civil(dy - 1, m, d);
    *out = (ev_when){v, 1, tok};
    return 1;
}

/* The date expression starting at token i, if any. */
static int expr_at(const ev_src *s, size_t i, size_t last, long doc, ev_when *out)
{
    char w[32], w2[32];
    if (!word(s, i, last, w, sizeof w)) {
        /* "30 December (2016)" */
        long d = small_num(s, i);
        if (d >= 1 && d <= 31 && word(s, i + 1, last, w2, sizeof w2)) {
            int m = month_of(w2);
            if (m && (s->toks->v[i + 1].flags & GA_TOK_CAP)) {
                long y = -1;
                if (i + 2 <= last) y = small_num(s, i + 2);
                return month_day(doc, y, m, d, i, out);
            }
        }
        return 0;
    }
    int cap = (s->toks->v[i].flags & GA_TOK_CAP) != 0;
    int wd = weekday_of(w);
    if (wd >= 0 && cap) {
        if (doc == INT32_MIN) return 0;
        long back = ((doc % 7) + 7 - wd) % 7;    /* doc % 7 is its weekday index */
        *out = (ev_when){doc - back, 1, i};
        return 1;
    }
    if (doc != INT32_MIN) {
        if (strcmp(w, "yesterday") == 0) { *out = (ev_when){doc - 1, 1, i}; return 1; }
        if (strcmp(w, "today") == 0 || strcmp(w, "tonight") == 0) {
            *out = (ev_when){doc, 1, i};
            return 1;
        }
        if ((strcmp(w, "last") == 0 || strcmp(w, "this") == 0) &&
            word(s, i + 1, last, w2, sizeof w2)) {
            if (strcmp(w, "last") == 0 && strcmp(w2, "night") == 0) {
                *out = (ev_when){doc - 1, 1, i};
                return 1;
            }
            if (strcmp(w2, "week") == 0) {
                *out = (ev_when){strcmp(w, "last") == 0 ? doc - 7 : doc, 2, i};
                return 1;
            }
            if (strcmp(w2, "month") == 0) {
                char ds[11];
                ev_date_from_days(doc, ds);
                long y = atol(ds), m = atol(ds + 5);
                if (strcmp(w, "last") == 0 && --m == 0) { m = 12; y--; }
                *out = (ev_when){days_from_civil(y, m, 1), 3, i};
                return 1;
            }
        }
    }
    int m = cap ? month_of(w) : 0;
    if (m) {
        size_t j = i + 1;
        if (j <= last && s->toks->v[j].end - s->toks->v[j].start == 1 &&
            s->text[s->toks->v[j].start] == '.')
            j++;                                   /* "Dec. 30" */
        long d = j <= last ? small_num(s, j) : -1;
        if (d >= 1 && d <= 31) {
            long y = -1;
            size_t k = j + 1;
            if (k <= last && s->text[s->toks->v[k].start] == ',') k++;
            if (k <= last) y = small_num(s, k);
            return month_day(doc, y, m, d, i, out);
        }
        long y = j <= last ? small_num(s, j) : -1;
        if (y >= 1000) {                                  /* "March 2017" */
            *out = (ev_when){days_from_civil(y, m, 1), 3, i};
            return 1;
        }
    }
    return 0;
}

int ev_date(const ev_src *s, size_t first, size_t last, size_t at, const char *doc_date,
            char out[11])
{
    long doc = ev_days_from_date(doc_date);
    ev_when best = {0, 0, 0};
    size_t best_dist = SIZE_MAX;
    for (size_t i = first; i <= last && i < s->toks->n; i++) {
        ev_when w;
        if (!expr_at(s, i, last, doc, &w)) continue;
        size_t dist = w.tok > at ? w.tok - at : at - w.tok;
        if (dist < best_dist) { best = w; best_dist = dist; }
    }
    if (best.prec) {
        ev_date_from_days(best.days, out);
        return best.prec;
    }
    if (doc != INT32_MIN) {
        ev_date_from_days(doc, out);
        return 2;
    }
    out[0] = 0;
    return 0;
}
