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
 * The same in Arabic (ar_expr_at): weekdays, "yesterday", "last week",
 * "last month", "last December", and dates with the Levantine or the
 * Gregorian month names and Arabic-Indic digits ("١٥ آذار ٢٠١٧").
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

/* Value of a number token of 1..4 digits (ASCII or Arabic-Indic), else -1. */
static long small_num(const ev_src *s, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    if (!(t->flags & GA_TOK_NUM) || t->end - t->start > 8) return -1;
    long v = 0;
    int digits = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        unsigned char c = (unsigned char)s->text[k];
        unsigned char c2 = k + 1 < t->end ? (unsigned char)s->text[k + 1] : 0;
        int dv;
        if (c >= '0' && c <= '9') dv = c - '0';
        else if (c == 0xD9 && c2 >= 0xA0 && c2 <= 0xA9) { dv = c2 - 0xA0; k++; }   /* U+0660.. */
        else if (c == 0xDB && c2 >= 0xB0 && c2 <= 0xB9) { dv = c2 - 0xB0; k++; }   /* U+06F0.. */
        else return -1;
        if (++digits > 4) return -1;
        v = v * 10 + dv;
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

/* ---- Arabic calendar words (caseless; as written, without diacritics) --- */

/* 1970-01-01 was a Thursday: the order of weekdays[] */
static const char *const ar_weekdays[7] = {"الخميس", "الجمعة", "السبت", "الأحد",
                                           "الاثنين", "الثلاثاء", "الأربعاء"};

static int ar_weekday_of(const char *w)
{
    for (int i = 0; i < 7; i++)
        if (strcmp(w, ar_weekdays[i]) == 0) return i;
    return strcmp(w, "الإثنين") == 0 ? 4 : -1;
}

/* The month named at token i in Arabic, 1..12, and its words in *n: the
 * Levantine names of Syria, Lebanon, Jordan and Iraq (كانون الثاني,
 * January; شباط; آذار ...; two words for four of them) and the Gregorian
 * names of Egypt and the Gulf (يناير, فبراير, مارس ...). 0 when none. */
static int ar_month_at(const ev_src *s, size_t i, size_t last, size_t *n)
{
    static const struct { const char *w1, *w2; int m; } names[] = {
        {"كانون", "الثاني", 1}, {"كانون", "الأول", 12}, {"تشرين", "الأول", 10},
        {"تشرين", "الثاني", 11}, {"شباط", NULL, 2}, {"آذار", NULL, 3}, {"اذار", NULL, 3},
        {"نيسان", NULL, 4}, {"أيار", NULL, 5}, {"ايار", NULL, 5}, {"حزيران", NULL, 6},
        {"تموز", NULL, 7}, {"آب", NULL, 8}, {"اب", NULL, 8}, {"أيلول", NULL, 9},
        {"ايلول", NULL, 9}, {"يناير", NULL, 1}, {"فبراير", NULL, 2}, {"مارس", NULL, 3},
        {"أبريل", NULL, 4}, {"ابريل", NULL, 4}, {"إبريل", NULL, 4}, {"مايو", NULL, 5},
        {"يونيو", NULL, 6}, {"يونيه", NULL, 6}, {"يوليو", NULL, 7}, {"يوليه", NULL, 7},
        {"أغسطس", NULL, 8}, {"اغسطس", NULL, 8}, {"سبتمبر", NULL, 9}, {"أكتوبر", NULL, 10},
        {"اكتوبر", NULL, 10}, {"نوفمبر", NULL, 11}, {"ديسمبر", NULL, 12},
    };
    char w[32], w2[32];
    if (!word(s, i, last, w, sizeof w)) return 0;
    int second = word(s, i + 1, last, w2, sizeof w2);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (strcmp(w, names[k].w1) != 0) continue;
        if (!names[k].w2) { *n = 1; return names[k].m; }
        if (second && strcmp(w2, names[k].w2) == 0) { *n = 2; return names[k].m; }
    }
    return 0;
}

/* Arabic: "يوم الخميس" (on Thursday) and "الخميس", "أمس" and "البارحة"
 * (yesterday), "اليوم" (today), "الأسبوع الماضي" (last week), "الشهر الماضي" (last
 * month), "١٥ آذار ٢٠١٧", "15 مارس", "آذار 2017", "كانون الأول الماضي"
 * (last December). */
static int ar_expr_at(const ev_src *s, size_t i, size_t last, long doc, ev_when *out)
{
    char w[32], w2[32];
    size_t n;
    long d = small_num(s, i);
    if (d >= 1 && d <= 31) {
        int m = i + 1 <= last ? ar_month_at(s, i + 1, last, &n) : 0;
        if (!m) return 0;
        long y = i + 1 + n <= last ? small_num(s, i + 1 + n) : -1;
        return month_day(doc, y, m, d, i, out);
    }
    if (!word(s, i, last, w, sizeof w) || !(s->toks->v[i].flags & GA_TOK_ARABIC)) return 0;
    int m = ar_month_at(s, i, last, &n);
    if (m) {
        long y = i + n <= last ? small_num(s, i + n) : -1;
        if (y < 1000 && doc != INT32_MIN && word(s, i + n, last, w2, sizeof w2) &&
            strcmp(w2, "الماضي") == 0) {
            /* "كانون الأول الماضي": last December, the latest before the
             * document's month */
            char ds[11];
            ev_date_from_days(doc, ds);
            y = atol(ds) - (m >= atol(ds + 5));
        }
        if (y < 1000) return 0;
        *out = (ev_when){days_from_civil(y, m, 1), 3, i};
        return 1;
    }
    if (doc == INT32_MIN) return 0;
    int wd = ar_weekday_of(w);
    if (wd >= 0) {
        long back = ((doc % 7) + 7 - wd) % 7;
        *out = (ev_when){doc - back, 1, i};
        return 1;
    }
    if (strcmp(w, "أمس") == 0 || strcmp(w, "امس") == 0 || strcmp(w, "البارحة") == 0) {
        *out = (ev_when){doc - 1, 1, i};
        return 1;
    }
    if (strcmp(w, "اليوم") == 0) {   /* today, "صباح اليوم" this morning */
        *out = (ev_when){doc, 1, i};
        return 1;
    }
    if (word(s, i + 1, last, w2, sizeof w2) && strcmp(w2, "الماضي") == 0) {
        if (strcmp(w, "الأسبوع") == 0 || strcmp(w, "الاسبوع") == 0) {
            *out = (ev_when){doc - 7, 2, i};
            return 1;
        }
        if (strcmp(w, "الشهر") == 0) {
            char ds[11];
            ev_date_from_days(doc, ds);
            long y = atol(ds), mo = atol(ds + 5);
            if (--mo == 0) { mo = 12; y--; }
            *out = (ev_when){days_from_civil(y, mo, 1), 3, i};
            return 1;
        }
    }
    return 0;
}

/* The date expression starting at token i, if any. */
static int expr_at(const ev_src *s, size_t i, size_t last, long doc, ev_when *out)
{
    char w[32], w2[32];
    if (ar_expr_at(s, i, last, doc, out)) return 1;
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
