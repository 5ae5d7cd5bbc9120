/*
 * fuzz_resolve.c: span finding and resolution (resolve/ga_resolve.h) on
 * arbitrary text over the tiny gazetteer of fuzz_gazfix.h.
 *
 * The input is repaired with ga_utf8_sanitize first, as every caller of
 * ga_resolve_text does; fz_check_resolved() checks the result's contracts.
 * Resolving the same text twice must give the same mentions (the resolver
 * keeps no state between calls that changes answers).
 */
#include "fuzz_gazfix.h"

static fz_gaz fx;

static void fini(void) { fz_gaz_close(&fx); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    fz_gaz_open(&fx, "resolve");
    atexit(fini);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) return 0;   /* a long input only slows the search */
    ga_buf text = {0};
    FZ_CHECK(ga_utf8_sanitize((const char *)data, size, &text, NULL, NULL) == GA_OK);
    const char *s = text.data ? text.data : "";
    ga_err err = {0};
    ga_resolved a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    FZ_CHECK(ga_resolve_text(fx.r, s, text.len, &a, &err) == GA_OK);
    fz_check_resolved(&fx, &a, text.len);
    FZ_CHECK(ga_resolve_text(fx.r, s, text.len, &b, &err) == GA_OK);
    FZ_CHECK(a.mentions.n == b.mentions.n);
    for (size_t i = 0; i < a.mentions.n; i++) {
        const ga_mention *x = &a.mentions.v[i], *y = &b.mentions.v[i];
        FZ_CHECK(x->start == y->start && x->end == y->end && x->resolved == y->resolved);
        if (x->resolved) FZ_CHECK(x->place_idx == y->place_idx);
    }
    ga_resolved_free(&a);
    ga_resolved_free(&b);
    ga_buf_free(&text);
    return 0;
}
