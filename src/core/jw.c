/*
 * jw.c: the streaming JSON writer of ga_jw.h.
 */
#include "core/ga_jw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ga_jw_init(ga_jw *w, ga_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

static inline void put(ga_jw *w, const char *s, size_t n)
{
    ga_buf *b = w->out;
    if (b->len + n < b->cap) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = 0;
        return;
    }
    if (!w->failed && ga_buf_append(b, s, n)) w->failed = 1;
}

/* "00" to "99": numbers are written two digits a division, which halves
 * the work of a row of numbers in a listing. */
static const char digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal digits of v into the end of buf ("0" for 0); returns the first. */
static char *utoa_end(unsigned long long v, char *end)
{
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        end -= 2;
        memcpy(end, digits2 + 2 * r, 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, digits2 + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

/* Before a value: the comma between array elements. */
static void value_sep(ga_jw *w)
{
    if (w->after_key) { w->after_key = 0; return; }
    if (w->depth > 0) {
        if (w->count[w->depth - 1] & 1) put(w, ",", 1);
        w->count[w->depth - 1] |= 1;
    }
}

static void open_level(ga_jw *w, char c)
{
    value_sep(w);
    put(w, &c, 1);
    if (w->depth == GA_JW_MAX_DEPTH) { w->failed = 1; return; }
    w->count[w->depth++] = c == '[' ? 2 : 0;   /* bit 1: an array */
}

void ga_jw_obj(ga_jw *w) { open_level(w, '{'); }
void ga_jw_arr(ga_jw *w) { open_level(w, '['); }

/* Close the innermost object or array (count[] bit 1 says which). */
void ga_jw_end(ga_jw *w)
{
    if (w->depth == 0) { w->failed = 1; return; }
    w->depth--;
    put(w, w->count[w->depth] & 2 ? "]" : "}", 1);
}

void ga_jw_key(ga_jw *w, const char *k)
{
    if (w->depth > 0) {
        if (w->count[w->depth - 1] & 1) put(w, ",", 1);
        w->count[w->depth - 1] |= 1;
    }
    put(w, "\"", 1);
    put(w, k, strlen(k));
    put(w, "\":", 2);
    w->after_key = 1;
}

void ga_jw_key_quoted(ga_jw *w, const char *qk, size_t n)
{
    if (w->depth > 0) {
        unsigned char *c = &w->count[w->depth - 1];
        if (*c & 1) put(w, ",", 1);
        *c |= 1;
    }
    put(w, qk, n);
    w->after_key = 1;
}

/* Does the 8-byte word w hold a quote, a backslash or a control
 * character? (May say yes for a byte after one that does; never no for a
 * word that has one.) */
static inline int needs_escape8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
    return ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & high) != 0;
}

void ga_jw_strn(ga_jw *w, const char *s, size_t n)
{
    value_sep(w);
    if (w->failed || ga_buf_reserve(w->out, n + 2)) { w->failed = 1; return; }
    put(w, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        /* eight bytes at a time where nothing needs escaping */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (needs_escape8(v)) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        put(w, s + run, i - run);
        run = i + 1;
        char esc[8];
        switch (c) {
        case '"': put(w, "\\\"", 2); break;
        case '\\': put(w, "\\\\", 2); break;
        case '\b': put(w, "\\b", 2); break;
        case '\f': put(w, "\\f", 2); break;
        case '\n': put(w, "\\n", 2); break;
        case '\r': put(w, "\\r", 2); break;
        case '\t': put(w, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            put(w, esc, 6);
        }
    }
    put(w, s + run, n - run);
    put(w, "\"", 1);
}

void ga_jw_str(ga_jw *w, const char *s)
{
    if (!s) ga_jw_null(w);
    else ga_jw_strn(w, s, strlen(s));
}

void ga_jw_raw(ga_jw *w, const char *json)
{
    value_sep(w);
    put(w, json, strlen(json));
}

void ga_jw_rawn(ga_jw *w, const char *json, size_t n)
{
    value_sep(w);
    put(w, json, n);
}

void ga_jw_null(ga_jw *w)
{
    value_sep(w);
    put(w, "null", 4);
}

size_t ga_jw_int_text(long long v, char *out)
{
    char num[24], *end = num + sizeof num;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    char *p = utoa_end(u, end);
    if (v < 0) *--p = '-';
    size_t n = (size_t)(end - p);
    memcpy(out, p, n);
    out[n] = 0;
    return n;
}

void ga_jw_int(ga_jw *w, long long v)
{
    value_sep(w);
    char num[GA_JW_NUM_MAX];
    put(w, num, ga_jw_int_text(v, num));
}

/* Write ip.fp (fp with `dec` decimal digits, trailing zeros dropped, at
 * least ".0") with the sign of v into out, as %.10g writes it. */
static void put_fixed(double v, unsigned long long ip, unsigned long long fp, int dec,
                      char *out, size_t *len)
{
    char tmp[32], *end = tmp + sizeof tmp, *p = end;
    if (fp) {
        while (fp % 10 == 0) { fp /= 10; dec--; }
        /* exactly dec digits, leading zeros included */
        char *first = p - dec;
        while (p - first >= 2) {
            unsigned r = (unsigned)(fp % 100);
            fp /= 100;
            p -= 2;
            memcpy(p, digits2 + 2 * r, 2);
        }
        if (p > first) *--p = (char)('0' + fp % 10);
        *--p = '.';
    } else {
        *--p = '0';
        *--p = '.';
    }
    p = utoa_end(ip, p);
    if (v < 0) *--p = '-';
    *len = (size_t)(end - p);
    memcpy(out, p, *len);
}

/* %.10g of a value that is a whole number of millionths with at most ten
 * significant digits (coordinates rounded to 1e-6, scores to 1e-3): the
 * digits are exact, so they are written from the integer; anything else
 * returns 0 and goes through snprintf. */
static int fixed6(double v, char *out, size_t *len)
{
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e4)) return 0;
    double scaled = a * 1e6;
    unsigned long long k = (unsigned long long)llround(scaled);
    if ((double)k / 1e6 != a) return 0;
    put_fixed(v, k / 1000000, k % 1000000, 6, out, len);
    return 1;
}

/* %.10g of a value from 1 to 9999.999...: ten significant digits, so
 * 10 - d decimals for d integer digits, written from the integer
 * round(|v| * 10^decimals). The product is within a few millionths of the
 * exact one, so its rounding is the exact one unless its fraction is
 * within 0.001 of a half: those, and a rounding up to the next power of
 * ten, return 0 and go through snprintf (test_jw.c compares both on
 * millions of values). */
static int fixed10(double v, char *out, size_t *len)
{
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    double a = fabs(v);
    if (!(a >= 1 && a < 1e4)) return 0;
    int d = a >= 1e3 ? 4 : a >= 1e2 ? 3 : a >= 10 ? 2 : 1;
    int dec = 10 - d;
    double x = a * p10[dec], fl = floor(x), f = x - fl;
    if (fabs(f - 0.5) < 1e-3) return 0;
    unsigned long long k = (unsigned long long)fl + (f > 0.5);
    unsigned long long den = (unsigned long long)p10[dec];
    if (k / den >= (unsigned long long)p10[d]) return 0;
    put_fixed(v, k / den, k % den, dec, out, len);
    return 1;
}

size_t ga_jw_real_text(double v, char *out)
{
    if (!isfinite(v)) { memcpy(out, "null", 5); return 4; }
    size_t fl;
    if (fixed6(v, out, &fl) || fixed10(v, out, &fl)) { out[fl] = 0; return fl; }
    char num[48];
    int n = snprintf(num, sizeof num, "%.10g", v);
    if (n < 0 || (size_t)n >= sizeof num - 3) { out[0] = 0; return 0; }
    if (!strchr(num, '.') && !strchr(num, 'e')) {
        num[n++] = '.';
        num[n++] = '0';
        num[n] = 0;
    }
    /* exponent without '+' or leading zeros: 1e+05 -> 1e5, 1e-06 -> 1e-6 */
    char *e = strchr(num, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-') start++;
        while (*end == '0') end++;
        if (end != start) {
            memmove(start, end, (size_t)(num + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    memcpy(out, num, (size_t)n + 1);
    return (size_t)n;
}

void ga_jw_real(ga_jw *w, double v)
{
    value_sep(w);
    char num[GA_JW_NUM_MAX];
    size_t n = ga_jw_real_text(v, num);
    if (!n) { w->failed = 1; return; }
    put(w, num, n);
}
