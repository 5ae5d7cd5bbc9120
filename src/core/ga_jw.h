/*
 * ga_jw.h: a streaming JSON writer into a ga_buf, for the high-volume
 * output of resolve and annotate (one object per document). It writes
 * exactly what jansson's json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(10))
 * writes for the same values (tests/unit/test_jw.c checks this against
 * jansson), without building a tree: building and freeing a jansson tree
 * per mention cost as much as resolving the text.
 *
 * Strings must be valid UTF-8 (every text geoannot holds is repaired on
 * input). Nesting is limited to GA_JW_MAX_DEPTH.
 */
#ifndef GA_JW_H
#define GA_JW_H

#include <stddef.h>
#include <stdint.h>

#include "core/ga_core.h"

#define GA_JW_MAX_DEPTH 16

typedef struct {
    ga_buf *out;
    int depth;
    unsigned char count[GA_JW_MAX_DEPTH];   /* per level: bit 0 holds a value, bit 1 array */
    int after_key;
    int failed;                             /* out of memory or too deep */
} ga_jw;

void ga_jw_init(ga_jw *w, ga_buf *out);
void ga_jw_obj(ga_jw *w);                   /* { */
void ga_jw_arr(ga_jw *w);                   /* [ */
void ga_jw_end(ga_jw *w);                   /* } or ] */
void ga_jw_key(ga_jw *w, const char *k);    /* "k": (k needs no escaping) */
/* The same for a key already quoted with its colon, qk[0..n) = "\"k\":";
 * GA_JW_KEY(w, "k") writes a literal key so. */
void ga_jw_key_quoted(ga_jw *w, const char *qk, size_t n);
#define GA_JW_KEY(w, k) ga_jw_key_quoted((w), "\"" k "\":", sizeof("\"" k "\":") - 1)
void ga_jw_str(ga_jw *w, const char *s);    /* NULL writes null */
void ga_jw_strn(ga_jw *w, const char *s, size_t n);
void ga_jw_null(ga_jw *w);
void ga_jw_int(ga_jw *w, long long v);
void ga_jw_real(ga_jw *w, double v);        /* %.10g, always with '.' or 'e' */

/* The text ga_jw_int and ga_jw_real write, into out (GA_JW_NUM_MAX bytes
 * at least, NUL-terminated); returns its length (0 for a real that
 * cannot be written, which does not happen with a C library's %.10g).
 * For writers of other formats (CSV, tables) that print numbers as JSON
 * does. */
#define GA_JW_NUM_MAX 48
size_t ga_jw_int_text(long long v, char *out);
size_t ga_jw_real_text(double v, char *out);
void ga_jw_raw(ga_jw *w, const char *json); /* a value already written as JSON */
void ga_jw_rawn(ga_jw *w, const char *json, size_t n); /* the same, n bytes */

#endif
