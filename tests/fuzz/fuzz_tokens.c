/*
 * fuzz_tokens.c: the tokenizer and sentence finder (text/ga_text.h) on
 * arbitrary bytes (the header allows invalid UTF-8).
 *
 * Contracts checked: tokens are non-empty, inside the input, in order and
 * not overlapping; the first token starts a sentence; a possessive token
 * carries GA_TOK_POSS and not GA_TOK_WORD; tokens are appended to what the
 * vector held; ga_sentence_of returns a range holding the (clamped) token
 * that starts at a GA_TOK_SENT token and stops before the next one.
 */
#include "fuzz_common.h"

#include "text/ga_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    ga_tokens toks = {0};
    ga_token sentinel = {7, 9, 0};
    FZ_CHECK(ga_vec_push(&toks, sentinel) == GA_OK);
    FZ_CHECK(ga_tokenize(s, size, &toks) == GA_OK);
    FZ_CHECK(toks.n >= 1 && toks.v[0].start == 7 && toks.v[0].end == 9);

    const ga_token *t = toks.v + 1;
    size_t n = toks.n - 1;
    for (size_t i = 0; i < n; i++) {
        FZ_CHECK(t[i].start < t[i].end && t[i].end <= size);
        if (i) FZ_CHECK(t[i - 1].end <= t[i].start);
        if (t[i].flags & GA_TOK_POSS) FZ_CHECK(!(t[i].flags & GA_TOK_WORD));
        unsigned kinds = t[i].flags & (GA_TOK_WORD | GA_TOK_NUM | GA_TOK_PUNCT);
        FZ_CHECK((kinds & (kinds - 1)) == 0);   /* at most one kind */
    }
    if (n) FZ_CHECK(t[0].flags & GA_TOK_SENT);

    /* Sentences over the tokens of this call only. */
    ga_tokens mine = {t ? (ga_token *)t : NULL, n, n};
    size_t f = 99, l = 99;
    ga_sentence_of(&mine, 0, &f, &l);
    if (n == 0) FZ_CHECK(f == 0 && l == 0);
    for (size_t i = 0; i <= n + 1 && n; i++) {
        size_t ci = i < n ? i : n - 1;
        ga_sentence_of(&mine, i, &f, &l);
        FZ_CHECK(f <= ci && ci <= l && l < n);
        FZ_CHECK(t[f].flags & GA_TOK_SENT);
        for (size_t j = f + 1; j <= l; j++) FZ_CHECK(!(t[j].flags & GA_TOK_SENT));
        FZ_CHECK(l + 1 == n || (t[l + 1].flags & GA_TOK_SENT));
        if (i < n && l > i) i = l;   /* next sentence (keeps the loop linear) */
    }
    ga_vec_free(&toks);
    return 0;
}
