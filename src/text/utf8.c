/*
 * utf8.c: UTF-8 decoding, encoding, validation and repair for the text
 * layer (ga_text.h). Strict RFC 3629: overlong forms, surrogates
 * (U+D800..U+DFFF), code points above U+10FFFF and truncated sequences are
 * all invalid, and each invalid byte is reported on its own so that a
 * caller can repair input one byte at a time without losing its place.
 * libc only.
 */
#include "text/ga_text.h"

#include <string.h>

/* Byte 0xEF 0xBF 0xBD: U+FFFD REPLACEMENT CHARACTER. */
static const char ga_utf8_repl[3] = { (char)0xEF, (char)0xBF, (char)0xBD };

size_t ga_utf8_decode(const char *s, size_t n, uint32_t *cp, int *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char b0 = u[0];
    *bad = 0;
    if (b0 < 0x80) { *cp = b0; return 1; }

    size_t len;
    uint32_t c;
    unsigned char lo = 0x80, hi = 0xBF;   /* allowed range of the 2nd byte */
    if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; c = b0 & 0x1F; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3; c = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;        /* no overlong 3-byte forms */
        if (b0 == 0xED) hi = 0x9F;        /* no surrogates */
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4; c = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;        /* no overlong 4-byte forms */
        if (b0 == 0xF4) hi = 0x8F;        /* nothing above U+10FFFF */
    } else {
        goto bad;                         /* continuation, C0/C1, F5..FF */
    }
    if (n < len) goto bad;
    if (u[1] < lo || u[1] > hi) goto bad;
    c = (c << 6) | (u[1] & 0x3F);
    for (size_t k = 2; k < len; k++) {
        if ((u[k] & 0xC0) != 0x80) goto bad;
        c = (c << 6) | (u[k] & 0x3F);
    }
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    *bad = 1;
    return 1;
}

size_t ga_utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int ga_utf8_valid(const char *s, size_t n, int nul_ok, size_t *bad_off)
{
    size_t i = 0;
    while (i < n) {
        /* eight ASCII bytes with no NUL at a time (most news text) */
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            int high = (w & 0x8080808080808080ULL) != 0;
            int zero = ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
            if (!high && (nul_ok || !zero)) { i += 8; continue; }
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == 0 && !nul_ok) goto bad;
            i++;
            continue;
        }
        uint32_t cp;
        int bad;
        size_t len = ga_utf8_decode(s + i, n - i, &cp, &bad);
        if (bad) goto bad;
        i += len;
    }
    return 1;
bad:
    if (bad_off) *bad_off = i;
    return 0;
}

ga_rc ga_utf8_sanitize(const char *s, size_t n, ga_buf *out, size_t *nbad,
                       size_t *first_bad)
{
    size_t count = 0, first = SIZE_MAX;
    size_t run = 0;   /* start of the pending run of good bytes */
    size_t i = 0;
    /* Worst case every byte becomes 3; reserving the exact need up front
     * would cost a pass, so grow as bad bytes turn up. */
    if (n == 0) {   /* s may be NULL; still leave out NUL-terminated */
        if (nbad) *nbad = 0;
        if (first_bad) *first_bad = SIZE_MAX;
        return ga_buf_append(out, "", 0);
    }
    if (ga_buf_reserve(out, n) != GA_OK) return GA_ENOMEM;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = 1;
        int bad = 0;
        if (c >= 0x80) {
            uint32_t cp;
            len = ga_utf8_decode(s + i, n - i, &cp, &bad);
        } else if (c != 0) {
            i++;
            continue;
        }
        if (!bad && c != 0) { i += len; continue; }
        /* flush good bytes, then the replacement */
        if (ga_buf_append(out, s + run, i - run) != GA_OK) return GA_ENOMEM;
        if (c == 0) {
            if (ga_buf_putc(out, ' ') != GA_OK) return GA_ENOMEM;
        } else if (ga_buf_append(out, ga_utf8_repl, sizeof ga_utf8_repl) != GA_OK) {
            return GA_ENOMEM;
        }
        if (first == SIZE_MAX) first = i;
        count++;
        i += 1;
        run = i;
    }
    if (ga_buf_append(out, s + run, n - run) != GA_OK) return GA_ENOMEM;
    if (nbad) *nbad = count;
    if (first_bad) *first_bad = first;
    return GA_OK;
}
