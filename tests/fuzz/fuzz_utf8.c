/*
 * fuzz_utf8.c: UTF-8 decoding and repair and the name keys (text/ga_text.h)
 * on arbitrary bytes.
 *
 * Besides memory safety, it checks the contracts the header states:
 *  - ga_utf8_decode uses 1..4 bytes, never more than given, and a bad
 *    sequence uses exactly 1 byte and yields U+FFFD; a good one re-encodes
 *    (ga_utf8_encode) to the same bytes;
 *  - ga_utf8_valid agrees with a decode walk and reports the first bad byte;
 *  - ga_utf8_sanitize output is valid UTF-8 with no NUL, equal to the input
 *    when nothing was replaced, and the replacement count and first offset
 *    match the decode walk;
 *  - the strict and phonetic keys of the input (raw and sanitized) are
 *    valid UTF-8 with no NUL and no leading, trailing or doubled space;
 *    keys append (a non-empty buffer keeps its prefix).
 */
#include "fuzz_common.h"

#include "text/ga_text.h"

/* Key output properties: valid UTF-8, no NUL, single inner spaces. */
static void check_key(const char *k, size_t n)
{
    FZ_CHECK(ga_utf8_valid(k, n, 0, NULL));
    if (n == 0) return;
    FZ_CHECK(k[0] != ' ' && k[n - 1] != ' ');
    for (size_t i = 1; i < n; i++) FZ_CHECK(!(k[i] == ' ' && k[i - 1] == ' '));
}

static void keys_of(const char *s, size_t n)
{
    ga_buf b = {0};
    FZ_CHECK(ga_buf_puts(&b, "prefix|") == GA_OK);
    size_t pre = b.len;
    FZ_CHECK(ga_key_strict(s, n, &b) == GA_OK);
    FZ_CHECK(memcmp(b.data, "prefix|", pre) == 0);
    check_key(b.data + pre, b.len - pre);

    /* The phonetic key of the strict key's words. */
    ga_buf ph = {0};
    FZ_CHECK(ga_key_phonetic_word(b.data + pre, b.len - pre, &ph) == GA_OK);
    FZ_CHECK(ga_utf8_valid(ph.data ? ph.data : "", ph.len, 0, NULL));
    (void)ga_key_is_article(b.data + pre, b.len - pre);

    ga_buf_reset(&b);
    FZ_CHECK(ga_key_phonetic(s, n, &b) == GA_OK);
    check_key(b.data ? b.data : "", b.len);

    ga_buf_reset(&b);
    FZ_CHECK(ga_key_word(s, n, &b) == GA_OK);
    FZ_CHECK(ga_utf8_valid(b.data ? b.data : "", b.len, 0, NULL));
    ga_buf_free(&b);
    ga_buf_free(&ph);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;

    /* Decode walk. */
    size_t nbad_walk = 0, first_walk = SIZE_MAX, first_invalid = SIZE_MAX;
    for (size_t i = 0; i < size;) {
        uint32_t cp = 0;
        int bad = -1;
        size_t k = ga_utf8_decode(s + i, size - i, &cp, &bad);
        FZ_CHECK(k >= 1 && k <= 4 && k <= size - i);
        FZ_CHECK(bad == 0 || bad == 1);
        if (bad) {
            FZ_CHECK(k == 1 && cp == 0xFFFD);
            if (first_invalid == SIZE_MAX) first_invalid = i;
        } else {
            FZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
            char enc[4];
            size_t e = ga_utf8_encode(cp, enc);
            FZ_CHECK(e == k && memcmp(enc, s + i, k) == 0);
        }
        if (bad || cp == 0) {
            nbad_walk++;
            if (first_walk == SIZE_MAX) first_walk = i;
        }
        i += k;
    }

    /* Validity agrees with the walk. */
    size_t off = 12345;
    int v = ga_utf8_valid(s, size, 1, &off);
    FZ_CHECK(v == (first_invalid == SIZE_MAX));
    if (!v) FZ_CHECK(off == first_invalid);
    v = ga_utf8_valid(s, size, 0, &off);
    FZ_CHECK(v == (first_walk == SIZE_MAX));
    if (!v) FZ_CHECK(off == first_walk);

    /* Repair. */
    ga_buf out = {0};
    size_t nbad = 0, first = 0;
    FZ_CHECK(ga_utf8_sanitize(s, size, &out, &nbad, &first) == GA_OK);
    const char *o = out.data ? out.data : "";
    FZ_CHECK(ga_utf8_valid(o, out.len, 0, NULL));
    FZ_CHECK(nbad == nbad_walk && first == first_walk);
    if (nbad == 0) FZ_CHECK(out.len == size && memcmp(o, s, size) == 0);

    keys_of(s, size);
    keys_of(o, out.len);
    ga_buf_free(&out);
    return 0;
}
