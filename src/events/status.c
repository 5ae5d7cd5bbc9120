/*
 * status.c: reported, threatened or denied (events_status.tsv).
 *
 * Two scopes of cue:
 *  - near: negation right before the trigger ("would not be forced out",
 *    "were never displaced"): within EV_NEAR_TOKENS tokens before it. A
 *    near cue wins over everything else.
 *  - sentence: modality, conditions and realis wording anywhere before the
 *    place in the sentence ("attempts to displace the residents of X",
 *    "warned ... if a single individual is expelled from X", "the one that
 *    was reached in X"). The cue nearest before the place decides, so
 *    "warning against any evacuation deals similar to the one that was
 *    reached in Daraya" is reported for Daraya. When the place comes
 *    before its trigger ("residents of X took to the streets"), the
 *    search starts at the trigger instead.
 * No cue: reported.
 */
#include "events/events_int.h"

/* Longest cue of the given scope ending at token j; NULL when none. */
static const ev_status_cue *cue_ending(const ga_events_lex *lx, const ev_src *s, size_t j,
                                       size_t first, int scope)
{
    const ev_status_cue *best = NULL;
    int best_n = 0;
    for (size_t k = 0; k < lx->status.n; k++) {
        const ev_status_cue *c = &lx->status.v[k];
        if (c->scope != scope) continue;
        int n = ev_match_ending(s, &c->p, j, first);
        if (n > best_n) { best_n = n; best = c; }
    }
    return best;
}

ga_event_status ev_status(const ga_events_lex *lx, const ev_src *s, size_t sent_first,
                          const ev_trig_hit *tr, size_t place_tok, const ev_pattern **cue)
{
    *cue = NULL;
    for (size_t d = 1; d <= EV_NEAR_TOKENS && tr->first >= sent_first + d; d++) {
        const ev_status_cue *c = cue_ending(lx, s, tr->first - d, sent_first, EV_SCOPE_NEAR);
        if (c) { *cue = &c->p; return c->status; }
    }
    size_t anchor = place_tok < tr->first ? tr->first : place_tok;
    for (size_t j = anchor; j-- > sent_first;) {
        if (j >= tr->first && j <= tr->last) continue;   /* the trigger itself */
        const ev_status_cue *c = cue_ending(lx, s, j, sent_first, EV_SCOPE_SENTENCE);
        if (c) { *cue = &c->p; return c->status; }
    }
    return GA_ST_REPORTED;
}
