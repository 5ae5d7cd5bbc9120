/*
 * actors.c: who is named in an event's sentence (actors.tsv): "the
 * regime", "Assad regime", "government forces" -> Syrian government;
 * "Russia", "Russian" -> Russia; and so on. Sentence-level: the actors of
 * an event are the lexicon actors its sentence names, in order of first
 * appearance, each once. This says who is involved, not who did what.
 * A phrase whose name is "-" ("Turkish border") wins as the longer match
 * and names no one.
 */
#include "events/events_int.h"

#include <string.h>

int ev_actors(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
              const char **out, int max)
{
    int n = 0;
    for (size_t i = first; i <= last && i < s->toks->n && n < max; i++) {
        if (!(s->toks->v[i].flags & GA_TOK_WORD)) continue;
        const ev_actor *best = NULL;
        int best_n = 0;
        for (size_t k = 0; k < lx->actors.n; k++) {
            int m = ev_match_at(s, &lx->actors.v[k].p, i, last);
            if (m > best_n) { best_n = m; best = &lx->actors.v[k]; }
        }
        if (!best) continue;
        if (!strcmp(best->name, "-")) { i += (size_t)best_n - 1; continue; }
        int dup = 0;
        for (int k = 0; k < n; k++) dup |= strcmp(out[k], best->name) == 0;
        if (!dup) out[n++] = best->name;
        i += (size_t)best_n - 1;
    }
    return n;
}
