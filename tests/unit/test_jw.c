/*
 * test_jw.c: the streaming JSON writer (src/core/jw.c) must write exactly
 * what jansson's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(10)) writes
 * for the same values: random nested objects and arrays of strings (every
 * control character, quotes, backslashes, multi-byte UTF-8), integers and
 * reals of every magnitude are written both ways and compared byte for
 * byte. Keys are written both ways too (ga_jw_key, GA_JW_KEY).
 */
#include "core/ga_jw.h"
#include "ga_test.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define next ga_test_next

static void random_string(char *s, size_t cap)
{
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\r",
                                         "\b", "\f", "\x01", "\x1f", "\x7f", "\xc3\xa9",
                                         "\xd8\xad\xd9\x85\xd8\xb5", "\xe2\x80\xa8",
                                         "\xf0\x9f\x98\x80", "Homs", "'", "{", "]",
                                         "Residents of Talbiseh fled", "0123456789abcdef"};
    /* up to 24 pieces: long runs with nothing to escape, and escapes at
     * every position of an eight-byte word */
    size_t n = 0, k = next() % 24;
    s[0] = 0;
    for (size_t i = 0; i < k; i++) {
        const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
        size_t l = strlen(p);
        if (n + l + 1 >= cap) break;
        memcpy(s + n, p, l + 1);
        n += l;
    }
}

static double random_real(void)
{
    static const double mags[] = {0, 1e-7, 1e-6, 1e-4, 0.001, 0.5, 1, 3, 10, 123.456, 1e5,
                                  1e15, 1e16, 1e17, 1e21, 1e300};
    double v = mags[next() % (sizeof mags / sizeof mags[0])] * ((next() % 2000) / 1000.0);
    if (next() % 3 == 0) v = round(v * 1e6) / 1e6;
    return next() % 2 ? -v : v;
}

/* A random value written to both the tree t (returned) and the writer. */
static json_t *random_value(ga_jw *w, int depth)
{
    unsigned kind = depth >= 4 ? next() % 4 : next() % 6;
    char s[256];
    switch (kind) {
    case 0: random_string(s, sizeof s); ga_jw_str(w, s); return json_string(s);
    case 1: { long long v = (long long)next() - (1LL << 20); ga_jw_int(w, v); return json_integer(v); }
    case 2: { double v = random_real(); ga_jw_real(w, v); return json_real(v); }
    case 3: ga_jw_null(w); return json_null();
    case 4: {
        json_t *a = json_array();
        ga_jw_arr(w);
        for (unsigned i = 0, n = next() % 5; i < n; i++)
            json_array_append_new(a, random_value(w, depth + 1));
        ga_jw_end(w);
        return a;
    }
    default: {
        json_t *o = json_object();
        ga_jw_obj(w);
        for (unsigned i = 0, n = next() % 5; i < n; i++) {
            char key[16];
            snprintf(key, sizeof key, "k%u", i);
            if (i == 1) GA_JW_KEY(w, "k1");   /* the literal form */
            else ga_jw_key(w, key);
            json_object_set_new(o, key, random_value(w, depth + 1));
        }
        ga_jw_end(w);
        return o;
    }
    }
}

static void test_against_jansson(void)
{
    ga_buf b = {0};
    int mismatches = 0;
    for (int i = 0; i < 5000; i++) {
        ga_jw w;
        ga_buf_reset(&b);
        ga_jw_init(&w, &b);
        json_t *t = random_value(&w, 0);
        char *ref = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
        CHECK(!w.failed && w.depth == 0);
        if (ref && (b.len != strlen(ref) || memcmp(b.data, ref, b.len))) {
            if (mismatches++ < 3)
                fprintf(stderr, "jansson: %s\nga_jw:   %.*s\n", ref, (int)b.len, b.data);
        }
        free(ref);
        json_decref(t);
    }
    CHECK_INT(mismatches, 0);
    ga_buf_free(&b);
}

static void test_shapes(void)
{
    ga_buf b = {0};
    ga_jw w;
    ga_jw_init(&w, &b);
    ga_jw_obj(&w);
    ga_jw_key(&w, "id");
    ga_jw_str(&w, "a\"b");
    ga_jw_key(&w, "m");
    ga_jw_arr(&w);
    ga_jw_real(&w, 36.0);
    ga_jw_real(&w, 1e-6);
    ga_jw_str(&w, NULL);
    ga_jw_raw(&w, "[\"Russia\"]");      /* a value written elsewhere, comma first */
    ga_jw_end(&w);
    ga_jw_end(&w);
    CHECK(!w.failed);
    const char *want = "{\"id\":\"a\\\"b\",\"m\":[36.0,1e-6,null,[\"Russia\"]]}";
    CHECK(b.len == strlen(want) && !memcmp(b.data, want, b.len));
    /* an unbalanced end is an error, not a crash */
    ga_jw_end(&w);
    CHECK(w.failed);
    ga_buf_free(&b);
}

/* Reals as %.10g writes them (with ".0" on whole numbers), against
 * ga_jw_real, on two million values of coordinate size with 1 to 12
 * decimals, ties and near-ties of the tenth digit among them: the writer's
 * integer paths must agree with the C library digit for digit. */
static void test_reals(void)
{
    ga_buf b = {0};
    long bad = 0;
    for (long i = 0; i < 2000000; i++) {
        double v;
        unsigned kind = next() % 4;
        double a = 1 + (double)(next() % 9999) + (next() % 1000000000) / 1e9;
        if (kind == 0) v = a;                                     /* full precision */
        else if (kind == 1) v = round(a * 1e8) / 1e8;              /* 8 decimals */
        else {                                  /* ties of the tenth digit, and next to them */
            double sc = a >= 1e3 ? 1e6 : a >= 1e2 ? 1e7 : a >= 10 ? 1e8 : 1e9;
            v = (floor(a * sc) + 0.5) / sc;
            if (kind == 3) v = nextafter(v, next() % 2 ? 0 : 1e9);
        }
        if (next() % 2) v = -v;
        char want[48];
        int n = snprintf(want, sizeof want, "%.10g", v);
        if (!strchr(want, '.') && !strchr(want, 'e')) memcpy(want + n, ".0", 3);
        ga_jw w;
        ga_buf_reset(&b);
        ga_jw_init(&w, &b);
        ga_jw_real(&w, v);
        if (b.len != strlen(want) || memcmp(b.data, want, b.len)) {
            if (bad++ < 5) fprintf(stderr, "  %.17g: '%.*s', want '%s'\n", v, (int)b.len, b.data, want);
        }
    }
    CHECK_INT(bad, 0);
    ga_buf_free(&b);
}

/* Integers as %lld writes them: every digit count, both signs, the
 * extremes, written two digits a step. */
static void test_ints(void)
{
    ga_buf b = {0};
    long bad = 0;
    long long edge[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 99999, 100000,
                        4294967295LL, 4294967296LL, 9223372036854775807LL,
                        -9223372036854775807LL - 1};
    for (long i = 0; i < 400000; i++) {
        long long v = edge[i % (long)(sizeof edge / sizeof *edge)];
        if (i >= (long)(sizeof edge / sizeof *edge)) {
            /* 1 to 63 bits, either sign */
            v = (long long)(ga_test_next64() >> (1 + next() % 63));
            if (next() % 2) v = -v;
        }
        char want[32];
        snprintf(want, sizeof want, "%lld", v);
        ga_jw w;
        ga_buf_reset(&b);
        ga_jw_init(&w, &b);
        ga_jw_int(&w, v);
        if (b.len != strlen(want) || memcmp(b.data, want, b.len)) {
            if (bad++ < 5) fprintf(stderr, "  %lld: '%.*s'\n", v, (int)b.len, b.data);
        }
    }
    CHECK_INT(bad, 0);
    ga_buf_free(&b);
}

int main(void)
{
    ga_test_rng = 88172645463325252ULL;
    test_shapes();
    test_reals();
    test_ints();
    test_against_jansson();
    return ga_test_result();
}
