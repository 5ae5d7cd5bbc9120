/*
 * triggers.c: finding the trigger words of a sentence (events_triggers.tsv):
 * at each token the longest trigger phrase that matches, so "forced out"
 * wins over a shorter entry starting at "forced". A trigger whose lexicon
 * entry needs a place ("left", "driven", "returned") is usable only when a
 * token range after it holds the start of a place mention; that check is
 * done by the driver, which knows the mentions, through ev_trig_hit.usable.
 */
#include "events/events_int.h"
#include "text/ga_text.h"

ga_rc ev_find_triggers(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
                       ev_trig_hits *out)
{
    for (size_t i = first; i <= last && i < s->toks->n; i++) {
        if (!(s->toks->v[i].flags & GA_TOK_WORD)) continue;
        const ev_trigger *best = NULL;
        int best_n = 0;
        /* only triggers whose first word starts with the token's first
         * byte can match; a typographic apostrophe also matches ', so
         * then two chains are walked in index order (first wins a tie) */
        unsigned char c0 = ev_tok_first(s, i);
        long a = lx->trig_head[c0], b = c0 == 0xE2 ? lx->trig_head['\''] : -1;
        while (a >= 0 || b >= 0) {
            long k;
            if (b < 0 || (a >= 0 && a < b)) { k = a; a = lx->trig_next[a]; }
            else { k = b; b = lx->trig_next[b]; }
            int n = ev_match_at(s, &lx->triggers.v[k].p, i, last);
            if (n > best_n) { best_n = n; best = &lx->triggers.v[k]; }
        }
        /* "بالعودة" (with the return), "وفرّ" (and fled): Arabic joins
         * "and", "with", "to" to the word after them; a one-word trigger
         * may follow such a letter */
        const ga_token *t = &s->toks->v[i];
        if (!best && (t->flags & GA_TOK_ARABIC) &&
            ga_ar_joined_letter(s->text + t->start, t->end - t->start)) {
            for (long k = lx->trig_head[(unsigned char)s->text[t->start + 2]]; k >= 0 && !best;
                 k = lx->trig_next[k])
                if (ev_match_joined(s, &lx->triggers.v[k].p, i, 2)) {
                    best = &lx->triggers.v[k];
                    best_n = 1;
                }
        }
        if (!best) continue;
        ev_trig_hit h = {i, i + (size_t)best_n - 1, best, best->need == EV_NEED_ANY};
        if (ga_vec_push(out, h)) return GA_ENOMEM;
        i = h.last;
    }
    return GA_OK;
}
