/*
 * resolve.c: span finding, recognition and disambiguation (ga_resolve.h).
 *
 * 1. Spans. At every token that can start a name (a capitalised word, an
 *    Arabic-script word, or a lower-case article joined by a hyphen to a
 *    capitalised word) the span grows word by word while the name index
 *    says some longer name continues it. The longest span that is a whole
 *    name (strict or phonetic key) and ends on a capitalised word wins.
 * 2. Cues around each span are read from cues.tsv: "rural X", "X province"
 *    (admin area), "the towns of X, Y and Z" (populated places), "near X"
 *    (precision 2), a person's title before it, an organisation word after
 *    it, or capitalised neighbours that make it part of a larger name.
 * 3. Candidates are scored three times: priors and cues first; then with
 *    the document's focus country, the admin areas named next to each
 *    mention and the distance to the other mentions' choices; then once
 *    more so choices settle.
 * 4. Recognition: a span is kept when its evidence (best prior plus cues,
 *    minus penalties for common words and larger names) reaches the
 *    threshold in resolver.conf.
 */
#define _POSIX_C_SOURCE 200809L
#include "resolve/resolve_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geo/ga_geo.h"

#define MAX_CANDIDATES 400   /* postings read per span */
#define KEEP_CANDIDATES 48   /* kept after ranking by prior */
#define COHERENCE_WINDOW 150 /* spans either side that coherence looks at */
#define PERSON_WINDOW 2000   /* spans either side that a person's name carries to */
#define MAX_SPAN_TOKENS 24

/* The fields of a place that scoring reads, copied from the index once
 * per candidate: a candidate is copied and scanned often, and ga_place
 * holds twice as much (a mention reads its full place again). Strings
 * point into the mapped index, codes interned as there (same_code). */
typedef struct {
    int64_t id;            /* places.id */
    double lon, lat;
    int64_t population;
    const char *name;      /* preferred name (for reasons) */
    const char *country;
    const char *admin1_code;
    const char *admin1_pcode;
    const char *admin2_pcode;
    ga_kind kind;
} cand_place;

typedef struct {
    uint32_t place;        /* index in the name index */
    uint8_t name_kind;     /* ga_name_kind of the matched name */
    uint8_t phonetic;      /* 1: found through the phonetic key only, 2: through the
                              consonant key only (GA_KEY_PHONETIC, GA_KEY_SKELETON) */
    double base;           /* population + kind + name terms (fixed) */
    double prior;          /* base plus the span's cues */
    double score;          /* last full score */
    cand_place p;          /* the place, read once from the index */
} cand;

typedef struct {
    uint32_t tf, tl;       /* first/last token */
    uint32_t start, end;   /* bytes */
    unsigned nwords;
    unsigned cues;         /* CUE_* bits seen around the span */
    int common;            /* single common English word: 2 where it reads as the
                              word (sentence start, headline, after "the"), 1 where
                              it reads as a name (capitalised mid-sentence) */
    int larger;            /* part of a larger capitalised name */
    int org;               /* followed by an organisation word */
    uint32_t street_tok;   /* followed by a street word ("Hampton Avenue", "Northwest
                              13th Street"): that word's token, else 0 */
    int title_before;      /* a person's title precedes it */
    int person;            /* part of a person's name (larger name, "X said", coreference) */
    int all_common;        /* every word of it is an English word ("Hall", "City Hall") */
    int given_name;        /* a given name of the word list before a surname it lacks
                              ("Vladimir Putin", "Taylor Neaton") */
    int allcaps;           /* a single all-capitals token ("US", "IRS") */
    int dateline;          /* "CHARLESTON, W.Va. --": the town a report is filed from */
    int mixed_abbrev;      /* "Ga.": capitalised word glued to its dot */
    int the_before;        /* "the Atlantic", "the tropical Atlantic": "the" before it,
                              at most two lower-case words between */
    int according;         /* "according to Taylor." : "according to" before it and
                              punctuation or the end after it */
    int dotted;            /* the span is dotted initials alone ("U.S.", "U.N.") */
    int calendar;          /* never a place: day or month name, title, contraction,
                              abbreviation cut from a longer name, a disease's name */
    int titlecase;         /* in a title-case line (headline) */
    int proper_initial;    /* common at a sentence start, but the word list
                              also holds it capitalised ("China", "Turkey") */
    int arabic;
    int unresolved;        /* place-like name with no candidate */
    uint32_t sur_start, sur_end; /* an unresolved run "John Kelly": its surname */
    int surname;           /* the surname of such a run, alone ("Kelly said") */
    int named_person;      /* followed by a word the text uses alone for a person
                              ("Vladimir Putin" where "Putin said") */
    size_t c0, nc;         /* candidates [c0, c0 + nc) in the shared vector */
    int chosen;            /* index into candidates, -1 none */
    double evidence;
    int accepted;
    int ctx_span;          /* span naming the admin area this one is in, -1 */
    double support;        /* context part of the chosen candidate's score */
    uint32_t areas_off, areas_n; /* its candidates' admin1 codes in doc_ctx.areas */
    int areas_done;        /* ... gathered */
    uint8_t prior_done;    /* the candidates' priors are computed (score_span) */
    uint8_t has_area;      /* ... and some candidate is a first-level area */
    /* what the last scoring found besides the choice, which the mention's
     * reason tells (score_span, write_reason) */
    uint8_t has_near;      /* the choice is near another span's anchor: */
    uint8_t near_tier;     /* ... within 25, 100, 500 km (0, 1, 2), else 3 */
    double near_lon, near_lat; /* ... that anchor */
    const char *factor;    /* what decided the choice, or NULL */
    /* passes (ga_resolve_text) */
    uint8_t moved;         /* the last pass changed chosen or accepted */
    uint8_t ev_done;       /* ev_fixed and only_phonetic are set (evidence_of) */
    uint8_t only_phonetic; /* every candidate is a phonetic match */
    double ev_fixed;       /* the evidence that no pass changes */
    uint8_t town_of;       /* "the Idlib town of Saraqeb": a town word and "of" follow,
                              and the name after them is a place of this area */
    uint8_t proper_word;   /* one word the word list holds as a proper noun, with no
                              cue before it and not named with its area */
    uint32_t moved_before; /* spans before this one that it changed */
} span;

typedef GA_VEC(cand) cand_vec;
typedef GA_VEC(span) span_vec;

/* ---- helpers over tokens ------------------------------------------------ */

static int tok_is_word(const ga_token *t) { return (t->flags & GA_TOK_WORD) != 0; }

static int tok_is(const char *text, const ga_token *t, const char *s)
{
    size_t n = strlen(s);
    return t->end - t->start == n && memcmp(text + t->start, s, n) == 0;
}

enum { MEMO_KEY = 1, MEMO_BITS = 2, MEMO_CUE = 4, MEMO_ARTICLE = 8, MEMO_IS_ARTICLE = 16 };

/* The memo entry of token t, or NULL for a token outside the document. An
 * entry left by an earlier document (another doc number) is emptied here,
 * so that a document does not clear the whole memo before it starts. */
static ga_tok_memo *memo_of(ga_resolver *r, const ga_token *t)
{
    size_t i = (size_t)(t - r->tok0);   /* huge for a token before tok0 */
    if (i >= r->ntok) return NULL;
    ga_tok_memo *m = &r->memo[i];
    if (m->doc != r->memo_doc) {
        m->doc = r->memo_doc;
        m->have = 0;
    }
    return m;
}

/* word_key of a token that is not its own key and has none remembered:
 * folded once (ga_key_word) and remembered in m, when there is one. */
static const char *word_key_fold(ga_resolver *r, const char *text, const ga_token *t,
                                 ga_tok_memo *m, size_t *n)
{
    if (m) {
        size_t off = r->keys.len;
        ga_key_word(text + t->start, t->end - t->start, &r->keys);
        if (r->keys.len - off <= UINT32_MAX && off <= UINT32_MAX) {
            m->koff = (uint32_t)off;
            m->klen = (uint32_t)(r->keys.len - off);
            m->have |= MEMO_KEY;
            *n = m->klen;
            return r->keys.data ? r->keys.data + off : "";
        }
    }
    ga_buf_reset(&r->key2);
    ga_key_word(text + t->start, t->end - t->start, &r->key2);
    *n = r->key2.len;
    return r->key2.data ? r->key2.data : "";
}

/* Word key of one token; valid until the next call. In line: most calls
 * end at one of the first two answers. */
static inline const char *word_key(ga_resolver *r, const char *text, const ga_token *t,
                                   size_t *n)
{
    /* lower-case ASCII letters and digits, most words, are their own key */
    if (!(t->flags & GA_TOK_CAP)) {
        const unsigned char *p = (const unsigned char *)text + t->start;
        size_t len = t->end - t->start, i = 0;
        while (i < len && ((unsigned)(p[i] - 'a') < 26u || (unsigned)(p[i] - '0') < 10u)) i++;
        if (i == len && len) {
            *n = len;
            return (const char *)p;
        }
    }
    ga_tok_memo *m = memo_of(r, t);
    if (m && (m->have & MEMO_KEY)) {
        *n = m->klen;
        return r->keys.data + m->koff;
    }
    return word_key_fold(r, text, t, m, n);
}

/* Bytes of a proclitic at the start of the Arabic word s[0..n): وال, فال,
 * بال (conjunction or preposition and article: the article stays, the
 * key drops it), و, ف, ب, ل; 0 when none, or when fewer than three
 * letters would be left. */
static size_t arabic_proclitic(const char *s, size_t n)
{
    return n >= 2 + 6 && ga_ar_joined_letter(s, n) ? 2 : 0;
}

static unsigned cue_of(ga_resolver *r, const char *text, const ga_token *t);

/* Bytes of a letter joined to the Arabic word s[0..n) with at least two
 * letters after it (ga_ar_joined_letter); 0 when none. */
static size_t joined_letter(const char *s, size_t n)
{
    return ga_ar_joined_letter(s, n) ? 2 : 0;
}

/* arabic_proclitic of token t, or of a word of two letters that opens
 * names ("وتل رفعت", and Tell Rifaat; name_head), where a shorter rest
 * would not do otherwise */
static size_t name_proclitic(ga_resolver *r, const char *text, const ga_token *t)
{
    size_t n = t->end - t->start, k = arabic_proclitic(text + t->start, n);
    if (k || n != 2 + 4 || !joined_letter(text + t->start, n)) return k;
    return cue_of(r, text, t) & CUE_NAME_HEAD ? 2 : 0;
}

static unsigned cue_of(ga_resolver *r, const char *text, const ga_token *t)
{
    if (!tok_is_word(t)) return 0;
    ga_tok_memo *m = memo_of(r, t);
    if (m && (m->have & MEMO_CUE)) return m->cue;
    size_t n;
    const char *k = word_key(r, text, t, &n);
    unsigned v = ga_wordset_get(&r->cues, k, n);
    /* Arabic writes "and", "in", "to" as one letter joined to the word
     * after it: "وريف حلب" (and rural Aleppo), "بمدينة حمص" (in the city
     * of Homs), "وأم" (and Umm) hold the cues ريف, مدينة and أم */
    size_t clitic;
    if (!v && (t->flags & GA_TOK_ARABIC) &&
        (clitic = joined_letter(text + t->start, t->end - t->start)) != 0) {
        ga_buf rest = {0};
        if (ga_key_word(text + t->start + clitic, t->end - t->start - clitic, &rest) == GA_OK &&
            rest.len)
            v = ga_wordset_get(&r->cues, rest.data, rest.len);
        ga_buf_free(&rest);
    }
    if (m) { m->cue = v; m->have |= MEMO_CUE; }
    return v;
}

static unsigned word_bits(ga_resolver *r, const char *text, const ga_token *t)
{
    ga_tok_memo *m = memo_of(r, t);
    if (m && (m->have & MEMO_BITS)) return m->bits;
    size_t n;
    const char *k = word_key(r, text, t, &n);
    unsigned v = ga_wordset_get(&r->words, k, n);
    if (m) { m->bits = v; m->have |= MEMO_BITS; }
    return v;
}

static int is_article_tok(ga_resolver *r, const char *text, const ga_token *t)
{
    ga_tok_memo *m = memo_of(r, t);
    if (m && (m->have & MEMO_ARTICLE)) return (m->have & MEMO_IS_ARTICLE) != 0;
    size_t n;
    const char *k = word_key(r, text, t, &n);
    int v = ga_key_is_article(k, n);
    if (m) m->have |= (uint8_t)(MEMO_ARTICLE | (v ? MEMO_IS_ARTICLE : 0));
    return v;
}

/* 1 when the word t is some place's demonym in the index ("Russian",
 * "European"). Asked only at hyphens, so the key is built afresh. */
static int demonym_word(ga_resolver *r, const char *text, const ga_token *t)
{
    ga_buf k = {0};
    ga_key_strict(text + t->start, t->end - t->start, &k);
    const ga_gaz_hit *hits = NULL;
    size_t nh = k.len ? ga_gaz_lookup(r->gaz, 0, k.data, k.len, &hits, NULL) : 0;
    ga_buf_free(&k);
    for (size_t i = 0; i < nh; i++)
        if (hits[i].name_kind == GA_NAME_DEMONYM) return 1;
    return 0;
}

/* 1 when t is "in", "at" or "near": the capitalised word after it is a
 * place even before a reporting verb ("Doctors in Madaya said"), where
 * "of" and "from" may well come before a person ("Associates of Steele
 * said", "a letter from Jones said"). */
static int place_before(const char *text, const ga_token *t)
{
    return tok_is(text, t, "in") || tok_is(text, t, "at") || tok_is(text, t, "near");
}

/* Record the tokens that name a person alone: a capitalised word, not an
 * English common noun, before a reporting verb ("Putin said") or after a
 * title ("President Putin"). */
static void find_person_words(ga_resolver *r, const char *text, const ga_tokens *toks)
{
    r->npw = 0;
    for (size_t i = 0; i < toks->n; i++) {
        const ga_token *t = &toks->v[i];
        if (!(t->flags & GA_TOK_CAP) || (t->flags & GA_TOK_ALLCAPS) || !(t->flags & GA_TOK_WORD))
            continue;
        /* not a common noun ("the Ministry said", "Police said") */
        if (word_bits(r, text, t) & WORD_COMMON) continue;
        int said = i + 1 < toks->n && (toks->v[i + 1].flags & GA_TOK_WORD) &&
                   !(toks->v[i + 1].flags & GA_TOK_NEWLINE) &&
                   (cue_of(r, text, &toks->v[i + 1]) & CUE_PERSON_AFTER);
        int titled = i > 0 && (toks->v[i - 1].flags & GA_TOK_WORD) &&
                     !(t->flags & GA_TOK_NEWLINE) &&
                     (cue_of(r, text, &toks->v[i - 1]) & CUE_TITLE);
        if (!said && !titled) continue;
        /* "Doctors in Madaya said": a place (read_cues) */
        if (!titled && i > 0 && place_before(text, &toks->v[i - 1])) continue;
        if (r->npw == r->pw_cap) {
            size_t cap = r->pw_cap ? 2 * r->pw_cap : 64;
            uint32_t *v = realloc(r->pw, cap * sizeof *v);
            if (!v) return;   /* fewer person words: only less context */
            r->pw = v;
            r->pw_cap = cap;
        }
        r->pw[r->npw++] = (uint32_t)i;
    }
}

/* 1 when the word t is one the text uses alone for a person. */
static int person_word(ga_resolver *r, const char *text, const ga_token *t)
{
    if (!r->npw || (t->flags & GA_TOK_ALLCAPS)) return 0;
    size_t n;
    const char *k = word_key(r, text, t, &n);
    char key[64];   /* a copy: the next word_key may move it */
    if (n == 0 || n > sizeof key) return 0;
    memcpy(key, k, n);
    for (size_t i = 0; i < r->npw; i++) {
        const ga_token *p = &r->tok0[r->pw[i]];
        if (p == t) continue;
        size_t pn;
        const char *pk = word_key(r, text, p, &pn);
        if (pn == n && !memcmp(pk, key, n)) return 1;
    }
    return 0;
}

/* 1 when the lower-case word t is a particle of European surnames
 * ("de Kock", "van Gaal", "von Trapp", "da Silva", "di Maria"). */
static int name_particle(const char *text, const ga_token *t)
{
    static const char *const particles[] = {"de", "da", "di", "du", "van", "von", "der",
                                            "den", "del", "dos", "das", "ter"};
    size_t n = t->end - t->start;
    char c = text[t->start];
    if (n < 2 || n > 3 || (c != 'd' && c != 'v' && c != 't')) return 0;   /* most words */
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (tok_is(text, t, particles[i])) return 1;
    return 0;
}

/* 1 when token i is a US party's initial joined by a hyphen to a
 * capitalised word after a comma or bracket ("Rep. Gilliard, D-Charleston",
 * "(R-Texas)"): the word is the member's home town or state. */
static int party_initial(const char *text, const ga_tokens *toks, size_t i)
{
    const ga_token *t = &toks->v[i];
    if (i + 2 >= toks->n || t->end - t->start != 1 || !strchr("DRI", text[t->start]))
        return 0;
    const ga_token *h = &toks->v[i + 1], *w = &toks->v[i + 2];
    if (!tok_is(text, h, "-") || h->start != t->end || w->start != h->end ||
        !(w->flags & GA_TOK_CAP) || !tok_is_word(w))
        return 0;
    return i > 0 && (tok_is(text, &toks->v[i - 1], ",") || tok_is(text, &toks->v[i - 1], "("));
}

/* 1 when tokens a and b are separated by nothing but spaces/tabs (no line
 * break, no punctuation). */
static int adjacent(const ga_tokens *toks, size_t a, size_t b)
{
    return b == a + 1 && !(toks->v[b].flags & GA_TOK_NEWLINE);
}

/* A dotted abbreviation starting at token i ("U.S.", "U.K.", "B.C."):
 * returns the token index of its last dot, or 0 when there is none. Its
 * key is the letters run together ("us"). */
static size_t dotted_abbrev_at(const char *text, const ga_tokens *toks, size_t i)
{
    size_t j = i, letters = 0;
    while (j + 1 < toks->n) {
        const ga_token *w = &toks->v[j], *d = &toks->v[j + 1];
        if (!tok_is_word(w) || w->end - w->start != 1 || !(w->flags & GA_TOK_CAP)) break;
        if (!tok_is(text, d, ".") || d->start != w->end) break;
        letters++;
        if (j + 2 >= toks->n || toks->v[j + 2].start != d->end) { j += 1; break; }
        j += 2;
    }
    if (letters < 2) return 0;
    /* j is at a dot or at the word after the last dot */
    if (!tok_is(text, &toks->v[j], ".")) j--;
    return j;
}

/* dotted_abbrev_at, asked only when token i is one capital letter (it is
 * asked at every word of a span) */
static inline size_t dotted_abbrev(const char *text, const ga_tokens *toks, size_t i)
{
    const ga_token *w = &toks->v[i];
    if (w->end - w->start != 1 || !(w->flags & GA_TOK_CAP)) return 0;
    return dotted_abbrev_at(text, toks, i);
}

/* ---- span finding ------------------------------------------------------- */

static int can_start(ga_resolver *r, const char *text, const ga_tokens *toks, size_t i)
{
    const ga_token *t = &toks->v[i];
    if (!tok_is_word(t)) return 0;
    if (t->flags & (GA_TOK_CAP | GA_TOK_ARABIC)) return 1;
    /* "al-Rastan": a lower-case article hyphened to a capitalised word */
    if (i + 2 < toks->n && (toks->v[i + 2].flags & GA_TOK_CAP) &&
        tok_is(text, &toks->v[i + 1], "-") && is_article_tok(r, text, t))
        return 1;
    return 0;
}

/* Add the hits of a lookup in table `phonetic` (GA_KEY_*) to the candidate
 * vector (dedup by place; a place keeps its closest match). */
static void add_hits(cand_vec *cv, size_t c0, const ga_gaz_hit *hits, size_t n, int phonetic,
                     int allow_abbrev)
{
    for (size_t h = 0; h < n && cv->n - c0 < MAX_CANDIDATES; h++) {
        if (hits[h].name_kind == GA_NAME_ABBREV && !allow_abbrev) continue;
        size_t k;
        for (k = c0; k < cv->n; k++)
            if (cv->v[k].place == hits[h].place) break;
        if (k < cv->n) {
            if (phonetic < cv->v[k].phonetic) {
                cv->v[k].phonetic = (uint8_t)phonetic;
                cv->v[k].name_kind = hits[h].name_kind;
            }
            continue;
        }
        cand c;
        memset(&c, 0, sizeof c);
        c.place = hits[h].place;
        c.name_kind = hits[h].name_kind;
        c.phonetic = (uint8_t)phonetic;
        ga_vec_push(cv, c);
    }
}

static double kind_prior(const ga_weights *w, const ga_place *p);
static double pop_term(const ga_weights *w, const ga_place *p, int phonetic);
static double name_term(const ga_weights *w, const cand *c);

static int cmp_prior_desc(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    return x->prior < y->prior ? 1 : x->prior > y->prior ? -1 : 0;
}

/* May a phonetic match lie in country cc? */
static int phonetic_country(const ga_resolver *r, const char *cc)
{
    if (!cc || !cc[0] || !cc[1] || cc[2]) return 0;
    for (const char(*k)[3] = r->phonetic_cc; (*k)[0]; k++)
        if ((*k)[0] == cc[0] && (*k)[1] == cc[1]) return 1;
    return 0;
}

/* Keep the KEEP_CANDIDATES candidates with the best prior: a name such as
 * "San Jose" has hundreds of places, and the ones with no population and
 * no status in a far country never win against context anyway. */
static void prune_candidates(ga_resolver *r, cand_vec *cv, span *sp)
{
    size_t keep = 0;
    for (size_t i = 0; i < sp->nc; i++) {
        cand *c = &cv->v[sp->c0 + i];
        ga_place full;
        ga_gaz_place(r->gaz, c->place, &full);
        c->p = (cand_place){full.id, full.lon, full.lat, full.population, full.name,
                            full.country, full.admin1_code, full.admin1_pcode,
                            full.admin2_pcode, full.kind};
        /* "IRS", "KBR": an all-capitals token is an abbreviation or nothing,
         * of a country, a state or a union of countries (EU), and a
         * two-letter one only for a large one (US, UK, EU) */
        if (sp->allcaps && (c->name_kind != GA_NAME_ABBREV ||
                            (c->p.kind != GA_KIND_COUNTRY && c->p.kind != GA_KIND_ADM1 &&
                             c->p.kind != GA_KIND_AREA) ||
                            (sp->end - sp->start == 2 &&
                             (double)c->p.population < r->w.abbrev_min_population)))
            continue;
        /* "Ga.", "Calif.": a capitalised word glued to its dot abbreviates
         * a state's name; "Network, Inc." is no airport code (Yinchuan's
         * INC) and "Ky." no country's */
        if (sp->mixed_abbrev && c->name_kind == GA_NAME_ABBREV && c->p.kind != GA_KIND_ADM1)
            continue;
        /* "U.N.", "M.D.": dotted initials name a place that has them as its
         * abbreviation ("U.S."), not one whose name they spell (Un, India) */
        if (sp->dotted && c->name_kind != GA_NAME_ABBREV) continue;
        /* the phonetic key is for romanised Arabic (phonetic_countries.tsv) */
        if (c->phonetic && !phonetic_country(r, c->p.country)) continue;
        c->base = pop_term(&r->w, &full, c->phonetic) + kind_prior(&r->w, &full) + name_term(&r->w, c);
        c->prior = c->base;
        cv->v[sp->c0 + keep++] = *c;
    }
    sp->nc = keep;
    cv->n = sp->c0 + keep;
    /* a first-level area smaller than a town of its name ("Manchester",
     * a parish of Jamaica, against the English city) earns no bonus for
     * its kind: the kind speaks for the states and governorates that
     * outgrow their namesakes ("Georgia", "Homs") */
    int64_t town_pop = 0;
    for (size_t i = 0; i < sp->nc; i++) {
        const cand *c = &cv->v[sp->c0 + i];
        if (c->p.kind == GA_KIND_PPL && c->p.population > town_pop) town_pop = c->p.population;
    }
    for (size_t i = 0; i < sp->nc && town_pop > 0; i++) {
        cand *c = &cv->v[sp->c0 + i];
        if (c->p.kind == GA_KIND_ADM1 && c->p.population > 0 && c->p.population < town_pop) {
            c->base -= r->w.kind_adm1;
            c->prior = c->base;
        }
    }
    if (sp->nc <= KEEP_CANDIDATES) return;
    qsort(cv->v + sp->c0, sp->nc, sizeof(cand), cmp_prior_desc);
    sp->nc = KEEP_CANDIDATES;
    cv->n = sp->c0 + sp->nc;
}

/* ---- name index answers, remembered ------------------------------------- */

#define LOOKUP_MEMO_SLOTS 16384

typedef struct {
    uint64_t hash;              /* ga_hash64 of the key; 0 = empty slot */
    const ga_gaz_hit *hits;
    uint32_t n;
    uint32_t prefix;
} lookup_memo_slot;

struct lookup_memo {
    lookup_memo_slot slot[3][LOOKUP_MEMO_SLOTS];   /* by table, GA_KEY_* */
};

/* ga_gaz_lookup in table GA_KEY_* through the resolver's memo. */
static size_t lookup(ga_resolver *r, int phonetic, const char *key, size_t n,
                     const ga_gaz_hit **hits, int *is_prefix)
{
    *hits = NULL;
    if (is_prefix) *is_prefix = 0;
    if (n == 0) return 0;
    uint64_t h = ga_hash64(key, n);
    if (!r->lmemo) r->lmemo = ga_table_alloc(1, sizeof *r->lmemo);   /* NULL: no memo */
    if (!r->lmemo || h == 0) return ga_gaz_lookup_hash(r->gaz, phonetic, h, hits, is_prefix);
    lookup_memo_slot *m = &r->lmemo->slot[phonetic][(h >> 40) % LOOKUP_MEMO_SLOTS];
    if (m->hash != h) {
        int pre = 0;
        m->n = (uint32_t)ga_gaz_lookup_hash(r->gaz, phonetic, h, &m->hits, &pre);
        m->prefix = (uint32_t)pre;
        m->hash = h;
    }
    *hits = m->hits;
    if (is_prefix) *is_prefix = (int)m->prefix;
    return m->n;
}

/* ---- ranked candidates, remembered --------------------------------------- */

/* The ranked candidates of a span depend only on the postings it found
 * (strict and phonetic), on whether abbreviations may count, and on the
 * span's capitals and length as prune_candidates reads them; the same
 * inputs give the same list. A direct-mapped table of the last lists seen
 * spares re-reading a frequent name's places ("London" has hundreds) in
 * every document. */
#define CAND_MEMO_SLOTS 8192

typedef struct {
    const ga_gaz_hit *hs, *hp;  /* postings the list came from */
    size_t ns, np;
    unsigned flags;             /* CM_* */
    cand *v;                    /* the ranked list (malloc'd), NULL = empty slot */
    size_t n;
} cand_memo_slot;

struct cand_memo {
    cand_memo_slot slot[CAND_MEMO_SLOTS];
};

enum { CM_ABBREV_OK = 1, CM_ALLCAPS = 2, CM_MIXED_ABBREV = 4, CM_TWO_BYTES = 8, CM_USED = 16,
       CM_DOTTED = 32, CM_SKELETON = 64 };

static void cand_memo_free(struct cand_memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < CAND_MEMO_SLOTS; i++) free(m->slot[i].v);
    ga_table_free(m, 1, sizeof *m);
}

/* Fill span sp's candidates from postings hs[0..ns) and hp[0..np) of
 * table ptable (GA_KEY_PHONETIC or GA_KEY_SKELETON): added without
 * duplicates, then ranked and pruned. */
static void ranked_candidates(ga_resolver *r, cand_vec *cv, span *sp, const ga_gaz_hit *hs,
                              size_t ns, const ga_gaz_hit *hp, size_t np, int ptable,
                              int abbrev_ok)
{
    unsigned flags = CM_USED | (abbrev_ok ? CM_ABBREV_OK : 0) | (sp->allcaps ? CM_ALLCAPS : 0) |
                     (ptable == GA_KEY_SKELETON ? CM_SKELETON : 0) |
                     (sp->mixed_abbrev ? CM_MIXED_ABBREV : 0) | (sp->dotted ? CM_DOTTED : 0) |
                     (sp->end - sp->start == 2 ? CM_TWO_BYTES : 0);
    if (!r->cmemo) r->cmemo = ga_table_alloc(1, sizeof *r->cmemo);   /* NULL: no memo */
    cand_memo_slot *m = NULL;
    if (r->cmemo) {
        uint64_t h = ((uint64_t)(uintptr_t)hs * 0x9E3779B97F4A7C15u) ^
                     ((uint64_t)(uintptr_t)hp * 0xC2B2AE3D27D4EB4Fu) ^ ns ^ (np << 20) ^
                     ((uint64_t)flags << 40);
        m = &r->cmemo->slot[(h >> 29) % CAND_MEMO_SLOTS];
        if (m->flags == flags && m->hs == hs && m->hp == hp && m->ns == ns && m->np == np) {
            if (m->n && ga_vec_reserve(cv, cv->n + m->n) == GA_OK) {
                memcpy(cv->v + cv->n, m->v, m->n * sizeof *m->v);
                cv->n += m->n;
            } else {
                for (size_t i = 0; i < m->n; i++) ga_vec_push(cv, m->v[i]);
            }
            sp->nc = cv->n - sp->c0;
            return;
        }
    }
    add_hits(cv, sp->c0, hs, ns, 0, abbrev_ok);
    add_hits(cv, sp->c0, hp, np, ptable, abbrev_ok);
    sp->nc = cv->n - sp->c0;
    prune_candidates(r, cv, sp);
    if (!m) return;
    cand *v = sp->nc ? malloc(sp->nc * sizeof *v) : NULL;
    if (sp->nc && !v) return;   /* not remembered */
    if (sp->nc) memcpy(v, cv->v + sp->c0, sp->nc * sizeof *v);
    free(m->v);
    *m = (cand_memo_slot){hs, hp, ns, np, flags, v, sp->nc};
}

/* Is tokens[i..last], all in capitals, a news dateline? It opens a
 * sentence (or follows a date: "March 30, 2009 NEWARK") and is followed
 * by a comma and a capitalised word ("CHARLESTON, W.Va."), a dash of any
 * kind ("HAMILTON —", "COLUMBUS --", a Windows-1252 dash repaired to
 * U+FFFD), a colon ("BEIRUT:") or "(AP)". */
static int is_dateline(const char *text, const ga_tokens *toks, size_t i, size_t last)
{
    for (size_t k = i; k <= last; k++)
        if (tok_is_word(&toks->v[k]) && !(toks->v[k].flags & GA_TOK_ALLCAPS)) return 0;
    if (!(toks->v[i].flags & GA_TOK_SENT) &&
        !(i > 0 && (toks->v[i - 1].flags & GA_TOK_NUM)))
        return 0;
    if (last + 1 >= toks->n) return 0;
    const ga_token *t = &toks->v[last + 1];
    if (tok_is(text, t, ","))
        return last + 2 < toks->n && (toks->v[last + 2].flags & GA_TOK_CAP) &&
               (toks->v[last + 2].flags & GA_TOK_SPACE);
    if (tok_is(text, t, "(")) return last + 2 < toks->n && tok_is(text, &toks->v[last + 2], "AP");
    return tok_is(text, t, ":") || tok_is(text, t, "-") || tok_is(text, t, "\xE2\x80\x94") ||
           tok_is(text, t, "\xE2\x80\x93") || tok_is(text, t, "\xEF\xBF\xBD");
}

/* Try the spans starting at token i; on a match fill *sp (candidates
 * appended to cv) and return 1. On 0, *sp may be cleared or left as it
 * was, and cv may hold candidates past its length on entry. */
static int find_span(ga_resolver *r, const char *text, const ga_tokens *toks, size_t i,
                     cand_vec *cv, span *sp)
{
    unsigned max_words = ga_gaz_max_words(r->gaz);
    size_t best_end_tok = 0, words = 0, best_words = 0;
    int found = 0, known_word = 0, inner_article = 0;
    const ga_gaz_hit *best_s = NULL, *best_p = NULL;
    size_t nbest_s = 0, nbest_p = 0;
    int best_table = GA_KEY_PHONETIC;
    size_t clitic = 0;     /* bytes of an Arabic proclitic left out of the key */
    size_t j = i;
    while (j < toks->n && j - i < MAX_SPAN_TOKENS) {
        const ga_token *t = &toks->v[j];
        if (!tok_is_word(t)) break;
        if (j > i && (t->flags & GA_TOK_NEWLINE)) break;
        size_t unit_end = j;
        size_t abbr = dotted_abbrev(text, toks, j);
        uint32_t end_byte = t->end;
        ga_buf_reset(&r->key);
        if (abbr) {
            unit_end = abbr;
            end_byte = toks->v[abbr].end;
        }
        words++;
        /* The phonetic key is for romanised Arabic: an English word (any
         * entry of the word list) in the span rules it out ("Monday" is
         * not "Munday"). */
        int article = is_article_tok(r, text, t);
        if (!abbr && !article &&
            (word_bits(r, text, t) & (WORD_COMMON | WORD_PROPER | WORD_CALENDAR)))
            known_word = 1;
        /* ... unless a lower-case Arabic article stands inside the span,
         * which makes it a romanised Arabic name whatever its words are in
         * English ("Ain al-Arab", Kobani, holds "Arab"; not "Ala. An
         * Amber Alert") */
        if (article && j > i && !(t->flags & GA_TOK_CAP)) inner_article = 1;
        uint32_t start_byte = toks->v[i].start + (uint32_t)clitic;
        size_t wn = 0;
        const char *wk = j == i && !abbr && !clitic ? word_key(r, text, t, &wn) : NULL;
        if (abbr && j == i) {
            for (size_t k = i; k <= abbr; k++)
                if (tok_is_word(&toks->v[k]))
                    ga_key_word(text + toks->v[k].start, 1, &r->key);
        } else if (wk && !memchr(wk, ' ', wn)) {
            /* one token whose key is one word: its strict key is its word
             * key (no article is dropped from a single word) */
            ga_buf_append(&r->key, wk, wn);
        } else {
            ga_key_strict(text + start_byte, end_byte - start_byte, &r->key);
        }
        int pre_s = 0, pre_p = 0, pre_k = 0;
        const ga_gaz_hit *hs = NULL, *hp = NULL, *hk = NULL;
        size_t ns = lookup(r, GA_KEY_STRICT, r->key.data, r->key.len, &hs, &pre_s);
        size_t np = 0, nk = 0;
        /* "وتلبيسة" (and Talbiseh), "والرستن", "بحمص": an Arabic word that
         * starts no name may be a name after a proclitic (wa-, fa-, bi-,
         * li-), which is then left out of the span's keys (not out of the
         * mention); its strict key only */
        if (j == i && !clitic && !ns && !pre_s && (t->flags & GA_TOK_ARABIC) &&
            (clitic = name_proclitic(r, text, t)) != 0) {
            start_byte += (uint32_t)clitic;
            ga_buf_reset(&r->key);
            ga_key_strict(text + start_byte, end_byte - start_byte, &r->key);
            ns = lookup(r, GA_KEY_STRICT, r->key.data, r->key.len, &hs, &pre_s);
            if (!ns && !pre_s && !ga_key_joins_next(r->key.data, r->key.len)) clitic = 0;
        }
        if (!clitic && !(toks->v[i].flags & GA_TOK_ALLCAPS) && !abbr &&
            (!known_word || inner_article) && r->key.len >= 4) {
            ga_buf_reset(&r->key2);
            /* the phonetic key of these bytes is that of their strict key */
            ga_key_phonetic_word(r->key.data, r->key.len, &r->key2);
            np = lookup(r, GA_KEY_PHONETIC, r->key2.data, r->key2.len, &hp, &pre_p);
            /* the consonants alone ("Latamneh" / "Latmana"), whose places
             * count only where the strict and phonetic keys find none, and
             * whose word prefix is asked where theirs end the span */
            if (!(ns || np) || !(pre_s || pre_p)) {
                ga_buf_reset(&r->key3);
                ga_key_skeleton(r->key2.data, r->key2.len, &r->key3);
                if (r->key3.len)
                    nk = lookup(r, GA_KEY_SKELETON, r->key3.data, r->key3.len, &hk, &pre_k);
                if (ns || np) nk = 0;
            }
        }
        int last_ok = (toks->v[abbr ? i : j].flags & (GA_TOK_CAP | GA_TOK_ARABIC)) != 0 ||
                      (t->flags & GA_TOK_NUM);
        /* an article alone ("Al" of "Al-Sa'in") is never a name */
        if (words == 1 && !abbr && ga_key_is_article(r->key.data, r->key.len)) last_ok = 0;
        if ((ns || np || nk) && last_ok) {
            found = 1;
            best_end_tok = unit_end;
            best_s = hs; nbest_s = ns;
            best_p = nk ? hk : hp; nbest_p = nk ? nk : np;
            best_table = nk ? GA_KEY_SKELETON : GA_KEY_PHONETIC;
            best_words = words;
        }
        /* "Democratic People's Republic of Korea": a possessive inside a
         * longer name. The word was looked up without its 's above
         * (Syria's is Syria); the span goes on through it only when some
         * name starts so. A name never ends on the possessive: "Clark's"
         * is no town Clarks. */
        size_t ps = unit_end + 1;
        if (!abbr && ps < toks->n && (toks->v[ps].flags & GA_TOK_POSS) &&
            toks->v[ps].start == t->end && words < max_words + 2) {
            ga_buf_reset(&r->key);
            ga_key_strict(text + start_byte, toks->v[ps].end - start_byte, &r->key);
            int pre_poss = 0;
            const ga_gaz_hit *hq = NULL;
            (void)lookup(r, 0, r->key.data, r->key.len, &hq, &pre_poss);
            if (!pre_poss) break;
            unit_end = ps;
            pre_s = 1;
        }
        /* "كفر نبل": كفر goes on to the next word, with which its key is one */
        int joins = ga_key_joins_next(r->key.data, r->key.len);
        if (!(pre_s || pre_p || pre_k || article || joins) || words >= max_words + 2) break;
        /* next word: after optional single hyphen */
        size_t nx = unit_end + 1;
        if (nx < toks->n && tok_is(text, &toks->v[nx], "-") && nx + 1 < toks->n &&
            tok_is_word(&toks->v[nx + 1]))
            nx++;
        else if (nx + 1 < toks->n && tok_is(text, &toks->v[nx], ".") &&
                 toks->v[nx].start == t->end && t->end - t->start <= 3 &&
                 (toks->v[nx + 1].flags & GA_TOK_SPACE) && (toks->v[nx + 1].flags & GA_TOK_CAP))
            nx++;   /* "St. Petersburg", "Mt. Hermon", "Ft. Worth" */
        else if (nx + 1 < toks->n && tok_is(text, &toks->v[nx], ".") &&
                 toks->v[nx].start == t->end && t->end - t->start == 1 &&
                 (t->flags & GA_TOK_CAP) && toks->v[nx + 1].start == toks->v[nx].end &&
                 (toks->v[nx + 1].flags & GA_TOK_CAP) && tok_is_word(&toks->v[nx + 1]))
            nx++;   /* "W.Va.": an initial glued to a capitalised word */
        else if (nx < toks->n && !(toks->v[nx].flags & GA_TOK_SPACE))
            break;   /* glued punctuation or word: stop */
        j = nx;
    }
    if (!found) return 0;
    /* "تل مرديخ" that the gazetteer lacks is no "تل" (At Tall, whose
     * Arabic name is the word for hill): a word that opens names, alone
     * before another Arabic word that is no cue, is the start of a name
     * the gazetteer lacks (arabic_run) */
    if (best_words == 1 && (toks->v[i].flags & GA_TOK_ARABIC) && i + 1 < toks->n &&
        adjacent(toks, i, i + 1) && (toks->v[i + 1].flags & GA_TOK_ARABIC) &&
        (cue_of(r, text, &toks->v[i]) & CUE_NAME_HEAD) && !cue_of(r, text, &toks->v[i + 1]))
        return 0;
    /* the span is cleared only here: most tokens that may start a name
     * start none */
    memset(sp, 0, sizeof *sp);
    sp->chosen = -1;
    sp->ctx_span = -1;
    sp->nwords = (unsigned)best_words;
    sp->tf = (uint32_t)i;
    sp->tl = (uint32_t)best_end_tok;
    /* the mention keeps the proclitic: mentions lie on token bounds */
    sp->start = toks->v[i].start;
    sp->end = toks->v[best_end_tok].end;
    sp->c0 = cv->n;
    /* "AL" or "U.S." may be an abbreviation, "Al" may not */
    int glued_dot = i + 1 < toks->n && tok_is(text, &toks->v[i + 1], ".") &&
                    toks->v[i + 1].start == toks->v[i].end && best_end_tok == i;
    int abbrev_ok = (toks->v[i].flags & GA_TOK_ALLCAPS) || dotted_abbrev(text, toks, i) ||
                    (toks->v[i].end - toks->v[i].start == 1) || glued_dot;   /* "Ga." */
    sp->dateline = (toks->v[i].flags & GA_TOK_ALLCAPS) && is_dateline(text, toks, i, best_end_tok);
    sp->allcaps = best_end_tok == i && (toks->v[i].flags & GA_TOK_ALLCAPS) && !sp->dateline;
    /* "US$1.19", "HK$", "A$": a currency's sign, not the place */
    if (best_end_tok + 1 < toks->n && toks->v[best_end_tok + 1].start == toks->v[best_end_tok].end &&
        tok_is(text, &toks->v[best_end_tok + 1], "$"))
        sp->calendar = 1;
    /* "Ga.", "Ky.": a mixed-case abbreviation with its dot is a state's
     * (news style), never a country's ISO code, which is all capitals */
    sp->mixed_abbrev = glued_dot && !(toks->v[i].flags & GA_TOK_ALLCAPS);
    {
        size_t da = dotted_abbrev(text, toks, i);
        sp->dotted = da && da == best_end_tok;
        /* "100 B.C.", "A.D. 70": the initials of an era by a number */
        if (sp->dotted && ((i > 0 && (toks->v[i - 1].flags & GA_TOK_NUM)) ||
                           (da + 1 < toks->n && (toks->v[da + 1].flags & GA_TOK_NUM)))) {
            char ini[8];
            size_t ni = 0;
            for (size_t k = i; k <= da && ni + 1 < sizeof ini; k++)
                if (tok_is_word(&toks->v[k])) ini[ni++] = text[toks->v[k].start];
            ini[ni] = 0;
            if (!strcmp(ini, "BC") || !strcmp(ini, "AD") || !strcmp(ini, "BCE") ||
                !strcmp(ini, "CE"))
                return 0;
        }
    }
    ranked_candidates(r, cv, sp, best_s, nbest_s, best_p, nbest_p, best_table, abbrev_ok);
    return sp->nc > 0;
}

static size_t prev_word(const ga_tokens *toks, size_t i);
static void neighbour_kind(ga_resolver *r, const char *text, const ga_token *t, span *sp);

/* "rural Damascus": when the admin word before a span and the span
 * together are the name of an area (Rural Damascus is the governorate Rif
 * Dimashq, not Damascus), the span takes that name and its places. */
static void widen_admin_phrase(ga_resolver *r, const char *text, const ga_tokens *toks,
                               cand_vec *cv, span *sp)
{
    size_t b = prev_word(toks, sp->tf);
    if (b == SIZE_MAX || !adjacent(toks, b, sp->tf)) return;
    if (!(cue_of(r, text, &toks->v[b]) & CUE_ADMIN_BEFORE)) return;
    ga_buf_reset(&r->key);
    ga_key_strict(text + toks->v[b].start, sp->end - toks->v[b].start, &r->key);
    const ga_gaz_hit *hits = NULL;
    size_t n = lookup(r, 0, r->key.data, r->key.len, &hits, NULL);
    if (!n) return;
    cv->n = sp->c0;
    add_hits(cv, sp->c0, hits, n, 0, 0);
    sp->nc = cv->n - sp->c0;
    if (!sp->nc) return;
    prune_candidates(r, cv, sp);
    sp->tf = (uint32_t)b;
    sp->start = toks->v[b].start;
    sp->nwords++;
}

/* The last token of an Arabic name that the gazetteer lacks, starting at
 * token i right after a town cue ("بلدة حمورية", "مخيم الركبان", and
 * joined: "وبلدة X"): the word, or two when it opens names (name_head:
 * "تل", "دير", "عين" ...); SIZE_MAX when there is none. Arabic has no
 * capitals to mark a name, so the cue must: a word that is itself a cue
 * of any kind (a function word, "مدينة", a direction) is no name. */
static size_t arabic_run(ga_resolver *r, const char *text, const ga_tokens *toks, size_t i)
{
    const ga_token *t = &toks->v[i];
    if (!(t->flags & GA_TOK_ARABIC) || i == 0 || !adjacent(toks, i - 1, i) ||
        !(toks->v[i - 1].flags & GA_TOK_ARABIC) ||
        !(cue_of(r, text, &toks->v[i - 1]) & CUE_TOWN_BEFORE))
        return SIZE_MAX;
    unsigned c = cue_of(r, text, t);
    if ((c & CUE_NAME_HEAD) ? (c & ~(CUE_NAME_HEAD | CUE_FUNCTION)) : c) return SIZE_MAX;
    if ((c & CUE_NAME_HEAD) && i + 1 < toks->n && adjacent(toks, i, i + 1) &&
        (toks->v[i + 1].flags & GA_TOK_ARABIC) && !cue_of(r, text, &toks->v[i + 1]))
        return i + 1;
    return i;
}

/* A capitalised run that looks like a place by its cues but has no
 * gazetteer entry: the curator's queue. */
static size_t cap_run(ga_resolver *r, const char *text, const ga_tokens *toks, size_t i)
{
    size_t j = i, last = i;
    while (j < toks->n && tok_is_word(&toks->v[j]) &&
           ((toks->v[j].flags & GA_TOK_CAP) || is_article_tok(r, text, &toks->v[j]))) {
        if (toks->v[j].flags & GA_TOK_CAP) last = j;
        if (j + 2 < toks->n && tok_is(text, &toks->v[j + 1], "-")) j += 2;
        else if (j + 1 < toks->n && (toks->v[j + 1].flags & GA_TOK_SPACE) &&
                 !(toks->v[j + 1].flags & GA_TOK_NEWLINE))
            j += 1;
        else break;
        if (j - i > 8) break;
    }
    return last;
}

/* ---- cues ---------------------------------------------------------------- */

/* Index of the previous word token before i (skipping one hyphen or
 * "the"), or SIZE_MAX. */
static size_t prev_word(const ga_tokens *toks, size_t i)
{
    if (i == 0) return SIZE_MAX;
    size_t p = i - 1;
    return tok_is_word(&toks->v[p]) ? p : SIZE_MAX;
}

static void read_cues(ga_resolver *r, const char *text, const ga_tokens *toks, span *sp,
                      const unsigned char *titlecase_tok)
{
    size_t tf = sp->tf, tl = sp->tl;
    sp->titlecase = titlecase_tok[tf];
    /* "محافظة إدلب" (Idlib governorate), a name of its own in GeoNames:
     * the admin word that opens an Arabic name names an area as it does
     * before one */
    if (tl > tf && (toks->v[tf].flags & GA_TOK_ARABIC) &&
        (cue_of(r, text, &toks->v[tf]) & CUE_ADMIN_BEFORE))
        sp->cues |= CUE_ADMIN_BEFORE;
    /* the cues of the words right before and after the span, read below
     * more than once each */
    size_t b = prev_word(toks, tf), n = tl + 1;
    unsigned cue_b = b != SIZE_MAX ? cue_of(r, text, &toks->v[b]) : 0;
    unsigned cue_n = n < toks->n ? cue_of(r, text, &toks->v[n]) : 0;   /* 0 for a non-word */
    /* before: up to three words back ("the towns of", "northern rural") */
    size_t p = b;
    /* "the City Council", "Whitestown Town Hall": a town word capitalised
     * in mid-sentence right before the span is part of a larger name, no
     * cue */
    int town_word_name = p != SIZE_MAX && adjacent(toks, p, tf) &&
                         (toks->v[p].flags & GA_TOK_CAP) && !(toks->v[p].flags & GA_TOK_SENT) &&
                         !sp->titlecase && (cue_b & CUE_TOWN_BEFORE);
    int after_of = 0;   /* the word after p (towards the span) is "of" */
    for (int back = 0; back < 3 && p != SIZE_MAX && !town_word_name; back++) {
        unsigned c = back == 0 ? cue_b : cue_of(r, text, &toks->v[p]);
        /* "the province of Idlib", "the state of Washington": the word
         * that follows an area's name ("Idlib province") names it before
         * "of" as well */
        if ((c & CUE_ADMIN_AFTER) && after_of) sp->cues |= CUE_ADMIN_BEFORE;
        if (back == 0) {
            if (c & CUE_TITLE) sp->title_before = 1;
            if (c & (CUE_LOCATIVE)) sp->cues |= CUE_LOCATIVE;
            if (c & CUE_NEAR) sp->cues |= CUE_NEAR;
        }
        if (c & CUE_ADMIN_BEFORE) sp->cues |= CUE_ADMIN_BEFORE;
        if (c & CUE_TOWN_BEFORE) sp->cues |= CUE_TOWN_BEFORE;
        if (c & CUE_NEAR) sp->cues |= CUE_NEAR;
        if (!(c & (CUE_DIRECTION | CUE_ADMIN_BEFORE | CUE_LOCATIVE | CUE_TOWN_BEFORE |
                   CUE_NEAR)) && !tok_is(text, &toks->v[p], "the"))
            break;
        if (c & (CUE_LOCATIVE)) {
            if (!(c & CUE_NEAR) && !tok_is(text, &toks->v[p], "of")) break;
        }
        after_of = (c & CUE_LOCATIVE) && tok_is(text, &toks->v[p], "of");
        if (p == 0 || !(toks->v[p].flags & GA_TOK_SPACE)) break;
        p = prev_word(toks, p);
    }
    /* "the Atlantic", "the eastern Pacific", "the north tropical
     * Atlantic": a town's name seldom follows "the" (a sea's, a region's
     * does) */
    for (size_t q = b, k = tf; q != SIZE_MAX; k = q, q = prev_word(toks, q)) {
        const ga_token *w = &toks->v[q];
        if (!adjacent(toks, q, k)) break;
        if (tok_is(text, w, "the") || tok_is(text, w, "The")) {
            sp->the_before = 1;
            break;
        }
        if (w->flags & (GA_TOK_CAP | GA_TOK_NUM | GA_TOK_SENT) || tf - q >= 3) break;
    }
    /* "according to Taylor.", "according to Linda, ...": a source quoted
     * by one name alone is a person (not "according to Alexandria
     * police") */
    if (tf >= 2 && b == tf - 1 && tok_is(text, &toks->v[b], "to") &&
        tok_is(text, &toks->v[tf - 2], "according") && adjacent(toks, tf - 2, b) &&
        (n >= toks->n || ((toks->v[n].flags & GA_TOK_PUNCT) && !tok_is(text, &toks->v[n], "-") &&
                          !tok_is(text, &toks->v[n], "'"))))
        sp->according = 1;
    /* after: "X province", "X countryside", "X Statute" */
    if (n < toks->n && tok_is_word(&toks->v[n]) && adjacent(toks, tl, n)) {
        unsigned c = cue_n;
        if (c & CUE_ADMIN_AFTER) sp->cues |= CUE_ADMIN_AFTER;
        /* "the Idlib town of Saraqeb", "the Aleppo village of Tadef": the
         * name before a town word and "of" is the area the town lies in */
        if ((c & CUE_TOWN_BEFORE) && !(toks->v[n].flags & GA_TOK_CAP) && n + 1 < toks->n &&
            adjacent(toks, n, n + 1) && tok_is(text, &toks->v[n + 1], "of")) {
            sp->cues |= CUE_ADMIN_AFTER;
            sp->town_of = 1;
        }
        if (c & CUE_PLACE_AFTER) sp->cues |= CUE_PLACE_AFTER;
        if ((c & CUE_ORG_AFTER) && (toks->v[n].flags & GA_TOK_CAP) && !sp->titlecase) sp->org = 1;
        /* "Marburg virus", "Reston ebolavirus", "Lassa fever": a disease
         * named after a place names no place */
        if (c & CUE_DISEASE_AFTER) sp->calendar = 1;
        /* "Hampton Avenue"; not "Douglas County Road 4", a road that the
         * county numbers, which lies in it */
        if ((c & CUE_STREET_AFTER) && (toks->v[n].flags & GA_TOK_CAP) && !sp->titlecase) {
            size_t m = n + 1;
            if (m < toks->n && tok_is(text, &toks->v[m], ".")) m++;   /* "Rd. 4" */
            int numbered = m < toks->n && !(toks->v[m].flags & GA_TOK_NEWLINE) &&
                           text[toks->v[m].start] >= '0' && text[toks->v[m].start] <= '9';
            if (!numbered) sp->street_tok = (uint32_t)n;
        }
        /* "Northwest 13th Street": an ordinal between the name and the
         * street word */
        size_t o = toks->v[n].end - toks->v[n].start;
        const char *ot = text + toks->v[n].start;
        if (!sp->titlecase && o >= 3 && ot[0] >= '0' && ot[0] <= '9' && n + 1 < toks->n &&
            adjacent(toks, n, n + 1) && (toks->v[n + 1].flags & GA_TOK_CAP) &&
            (cue_of(r, text, &toks->v[n + 1]) & CUE_STREET_AFTER)) {
            size_t d = 0;
            while (d < o && ot[d] >= '0' && ot[d] <= '9') d++;
            if (o - d == 2 && (!memcmp(ot + d, "st", 2) || !memcmp(ot + d, "nd", 2) ||
                               !memcmp(ot + d, "rd", 2) || !memcmp(ot + d, "th", 2)))
                sp->street_tok = (uint32_t)(n + 1);
        }
    }
    /* larger capitalised name: a capitalised neighbour that is not a cue */
    if (!sp->titlecase) {
        if (b != SIZE_MAX && adjacent(toks, b, tf) && (toks->v[b].flags & GA_TOK_CAP)) {
            unsigned c = cue_b;
            int sent_start_common = (toks->v[b].flags & GA_TOK_SENT) &&
                                    (word_bits(r, text, &toks->v[b]) & WORD_COMMON);
            if ((town_word_name ||
                 !(c & (CUE_ADMIN_BEFORE | CUE_DIRECTION | CUE_LOCATIVE | CUE_TOWN_BEFORE |
                        CUE_NEAR))) && !sent_start_common) {
                neighbour_kind(r, text, &toks->v[b], sp);
                /* "Richard Harper", "Geoff Chester": a given name (a proper
                 * noun of the word list, no common word) before one word
                 * makes it a surname, which the text's other "Harper said"
                 * share (mark_person_mentions) */
                unsigned gb = word_bits(r, text, &toks->v[b]);
                size_t bb = b > 0 && tok_is(text, &toks->v[b - 1], ".") ? b - 1 : b;
                /* not "St. Joseph London" */
                int saint = bb > 0 && (tok_is(text, &toks->v[bb - 1], "St") ||
                                       tok_is(text, &toks->v[bb - 1], "Saint"));
                if (tf == tl && (gb & WORD_PROPER) && !(gb & WORD_COMMON) && !saint &&
                    !(toks->v[b].flags & GA_TOK_ALLCAPS) && !(toks->v[tf].flags & GA_TOK_ALLCAPS)) {
                    sp->sur_start = toks->v[tf].start;
                    sp->sur_end = toks->v[tf].end;
                }
            }
        }
        if (n < toks->n && tok_is_word(&toks->v[n]) && adjacent(toks, tl, n) &&
            (toks->v[n].flags & GA_TOK_CAP)) {
            unsigned c = cue_n;
            if (!(c & (CUE_ADMIN_AFTER | CUE_PLACE_AFTER))) {
                neighbour_kind(r, text, &toks->v[n], sp);
                if (person_word(r, text, &toks->v[n])) sp->named_person = sp->person = 1;
                /* a one-word name the word list holds capitalised, then a
                 * capitalised word it does not hold at all: a given name
                 * and a surname */
                if (tf == tl && sp->person && !sp->unresolved &&
                    !(toks->v[n].flags & GA_TOK_ALLCAPS) &&
                    !(toks->v[tf].flags & GA_TOK_ALLCAPS) &&
                    (word_bits(r, text, &toks->v[tf]) & WORD_PROPER) &&
                    !(word_bits(r, text, &toks->v[n]) & (WORD_COMMON | WORD_PROPER)))
                    sp->given_name = 1;
            }
        }
        /* "Wal-Mart": capitalised words joined by a hyphen are one name,
         * unless both are demonyms ("Russian-European projects") */
        if (n + 1 < toks->n && tok_is(text, &toks->v[n], "-") && toks->v[n].start == toks->v[tl].end &&
            (toks->v[n + 1].flags & GA_TOK_CAP) && !is_article_tok(r, text, &toks->v[n + 1]) &&
            !(demonym_word(r, text, &toks->v[n + 1]) && demonym_word(r, text, &toks->v[tl])))
            sp->larger = sp->person = 1;
        /* "Rep. Wendell Gilliard, D-Charleston": a party's initial before a
         * hyphen names the member's home town, which is the place */
        int party_town = tf >= 2 && party_initial(text, toks, tf - 2);
        if (tf >= 2 && tok_is(text, &toks->v[tf - 1], "-") && toks->v[tf - 1].end == toks->v[tf].start &&
            (toks->v[tf - 2].flags & GA_TOK_CAP) && !is_article_tok(r, text, &toks->v[tf - 2]) &&
            !(demonym_word(r, text, &toks->v[tf - 2]) && demonym_word(r, text, &toks->v[tf])) &&
            !party_town)
            sp->larger = sp->person = 1;
        /* "Mike de Kock", "Louis van Gaal": a given name (a proper noun of
         * the word list) and a name particle before the span make it a
         * surname; not "Tour de France", "Stade de France" */
        if (tf >= 2 && tok_is_word(&toks->v[tf - 1]) && !(toks->v[tf - 1].flags & GA_TOK_CAP) &&
            name_particle(text, &toks->v[tf - 1]) && !(toks->v[tf].flags & GA_TOK_ALLCAPS) &&
            adjacent(toks, tf - 1, tf) && adjacent(toks, tf - 2, tf - 1) &&
            tok_is_word(&toks->v[tf - 2]) && (toks->v[tf - 2].flags & GA_TOK_CAP) &&
            !(toks->v[tf - 2].flags & GA_TOK_ALLCAPS) &&
            (word_bits(r, text, &toks->v[tf - 2]) & WORD_PROPER))
            sp->larger = sp->person = 1;
        /* "Matthew D. Flores", "George W. Bush": a first name and a middle
         * initial before the span make it a person's surname */
        if (tf >= 3 && tok_is(text, &toks->v[tf - 1], ".") &&
            toks->v[tf - 1].start == toks->v[tf - 2].end &&
            toks->v[tf - 2].end - toks->v[tf - 2].start == 1 &&
            (toks->v[tf - 2].flags & GA_TOK_CAP) && adjacent(toks, tf - 3, tf - 2) &&
            tok_is_word(&toks->v[tf - 3]) && (toks->v[tf - 3].flags & GA_TOK_CAP) &&
            toks->v[tf - 3].end - toks->v[tf - 3].start >= 2 &&
            !(toks->v[tf - 3].flags & GA_TOK_ALLCAPS))
            sp->larger = sp->person = 1;
    }
    /* "Jones said"; not "Doctors in Madaya said", where a preposition of
     * place comes right before */
    if ((cue_n & CUE_PERSON_AFTER) && !(b != SIZE_MAX && place_before(text, &toks->v[b])))
        sp->person = 1;
    if (sp->title_before) sp->person = 1;
    /* all_common, given_name, calendar and arabic are evidence (evidence_of),
     * which a run with no gazetteer entry (sp->unresolved) never gets: not
     * read for one */
    sp->all_common = !sp->unresolved;
    for (size_t k = tf; k <= tl && sp->all_common; k++)
        if (tok_is_word(&toks->v[k]) && !(word_bits(r, text, &toks->v[k]) & WORD_COMMON))
            sp->all_common = 0;
    /* "شمال غرب" (northwest), a district of Singapore by that Arabic
     * name: Arabic words that are each no place alone (function) are none
     * together */
    if (sp->nwords > 1 && !sp->unresolved && (toks->v[tf].flags & GA_TOK_ARABIC)) {
        int all_function = 1;
        for (size_t k = tf; k <= tl && all_function; k++)
            if (tok_is_word(&toks->v[k]) && !(cue_of(r, text, &toks->v[k]) & CUE_FUNCTION))
                all_function = 0;
        if (all_function) sp->calendar = 1;
    }
    if (sp->nwords == 1 && !dotted_abbrev(text, toks, tf)) {   /* "U.S." is no word */
        unsigned bits = word_bits(r, text, &toks->v[tf]);
        if (bits & WORD_COMMON) {
            /* A capitalised common word in the middle of a sentence is
             * usually a name; at a sentence start, in a headline or after
             * an article ("the Opposition") it is usually just the word. */
            int after_article = b != SIZE_MAX &&   /* b: the word before */
                (tok_is(text, &toks->v[b], "the") || tok_is(text, &toks->v[b], "The") ||
                 tok_is(text, &toks->v[b], "a") || tok_is(text, &toks->v[b], "an"));
            /* after an opening quote, bracket or colon a sentence starts
             * too, and after a dash standing between spaces ("FAIRFIELD,
             * Conn. -- Police say"), not after a hyphen */
            const ga_token *pv = tf > 0 ? &toks->v[tf - 1] : NULL;
            int dash = pv && tok_is(text, pv, "-") && (toks->v[tf].flags & GA_TOK_SPACE) &&
                       ((pv->flags & GA_TOK_SPACE) ||
                        (tf > 1 && tok_is(text, &toks->v[tf - 2], "-") &&
                         toks->v[tf - 2].end == pv->start &&
                         (toks->v[tf - 2].flags & GA_TOK_SPACE)));
            int after_punct = pv && (pv->flags & GA_TOK_PUNCT) && !tok_is(text, pv, ",") &&
                              (!tok_is(text, pv, "-") || dash);
            int initial = (toks->v[tf].flags & GA_TOK_SENT) || sp->titlecase ||
                          (toks->v[tf].flags & GA_TOK_ALLCAPS) || after_punct;
            sp->common = initial || after_article ? 2 : 1;
            sp->proper_initial = initial && !after_article && (bits & WORD_PROPER);
            /* a common noun inside an organisation name ("City Council") is
             * part of that name, not a place called Council */
            if (sp->org || sp->person) sp->common = 2;
        }
        if (sp->unresolved) return;
        if (bits & WORD_CALENDAR) sp->calendar = 1;
        /* "Mr.", "Sen.": a title is never a place; nor is a holiday
         * ("during Ramadan", "before Eid"), nor an armed group ("Hamas") */
        if (cue_of(r, text, &toks->v[tf]) & (CUE_TITLE | CUE_HOLIDAY | CUE_GROUP | CUE_FUNCTION))
            sp->calendar = 1;
        /* "St. Marys River" when only "St" is known: a short abbreviation
         * glued to its dot and followed by a name is part of that name */
        if (tf + 2 < toks->n && toks->v[tf].end - toks->v[tf].start <= 3 &&
            tok_is(text, &toks->v[tf + 1], ".") && toks->v[tf + 1].start == toks->v[tf].end &&
            (toks->v[tf + 2].flags & GA_TOK_CAP) && !(toks->v[tf + 2].flags & GA_TOK_SENT) &&
            !(toks->v[tf].flags & GA_TOK_ALLCAPS) && !dotted_abbrev(text, toks, tf) &&
            toks->v[tf + 2].start > toks->v[tf + 1].end)
            sp->calendar = 1;
        /* contractions: "I've", "We'll" */
        {
#define RSQ "\xe2\x80\x99"   /* U+2019, the typographic apostrophe */
            const char *w = text + toks->v[tf].start;
            size_t wn = toks->v[tf].end - toks->v[tf].start;
            static const char *const tails[] = {"'ve", "'d", "'ll", "'re", "'m", "'t",
                                                RSQ "ve", RSQ "d", RSQ "ll", RSQ "re",
                                                RSQ "m", RSQ "t"};
            int apos = memchr(w, '\'', wn) || memchr(w, 0xe2, wn);
            for (size_t i = 0; apos && i < sizeof tails / sizeof tails[0]; i++) {
                size_t tl_ = strlen(tails[i]);
                if (wn > tl_ && !memcmp(w + wn - tl_, tails[i], tl_)) sp->calendar = 1;
            }
        }
    }
    sp->arabic = (toks->v[tf].flags & GA_TOK_ARABIC) != 0;
}

/* A capitalised neighbour makes the span part of a larger name: of an
 * organisation or treaty when the neighbour is a common noun and nothing
 * else ("Texas Department", "Free Syrian Army", "Rome Statute"), of a
 * person otherwise ("Abdurrahman Mustafa", "Bob Jones"). */
static void neighbour_kind(ga_resolver *r, const char *text, const ga_token *t, span *sp)
{
    unsigned bits = word_bits(r, text, t);
    if ((bits & WORD_COMMON) && !(bits & WORD_PROPER)) sp->org = 1;
    else sp->larger = sp->person = 1;
}

/* "the towns of A, B, C and D": town and admin cues flow along a list. */
static void propagate_list_cues(ga_resolver *r, const char *text, const ga_tokens *toks,
                                span *s, size_t ns)
{
    for (size_t k = 1; k < ns; k++) {
        span *a = &s[k - 1], *b = &s[k];
        /* "ريفي حماة وإدلب" (the countrysides of Hama and Idlib): Arabic
         * joins "and" to the next name; after a word in the dual (two
         * countrysides, two towns) its cue holds for that name too */
        if (b->tf == a->tl + 1 && (toks->v[b->tf].flags & GA_TOK_ARABIC) &&
            ga_ar_joined_letter(text + toks->v[b->tf].start,
                                toks->v[b->tf].end - toks->v[b->tf].start) == 0x0648) {
            size_t p = prev_word(toks, a->tf);
            if (p != SIZE_MAX && (cue_of(r, text, &toks->v[p]) & CUE_DUAL))
                b->cues |= a->cues & (CUE_ADMIN_BEFORE | CUE_TOWN_BEFORE);
            continue;
        }
        size_t between = b->tf - a->tl - 1;
        if (between < 1 || between > 2) continue;
        int list = 1;
        for (size_t t = a->tl + 1; t < b->tf; t++)
            if (!tok_is(text, &toks->v[t], ",") && !tok_is(text, &toks->v[t], "and") &&
                !tok_is(text, &toks->v[t], "&") && !tok_is(text, &toks->v[t], "or"))
                list = 0;
        if (!list) continue;
        b->cues |= a->cues & (CUE_TOWN_BEFORE | CUE_LOCATIVE);
    }
}

/* The spans of a document grouped by their text: first[] (open addressing
 * by the text's hash) holds the first span of each text, next[] the next
 * span of the same text, NO_SPAN ending a group. */
#define NO_SPAN UINT32_MAX

typedef struct {
    uint32_t *first, *last, *next;
    size_t mask;          /* slots of first and last - 1 */
} span_groups;

/* The slot of the group of text[from, from + len), or the empty slot where
 * it would go. */
static size_t group_slot(const span_groups *g, const char *text, const span *s, size_t from,
                         size_t len)
{
    for (size_t h = (size_t)ga_hash64(text + from, len) & g->mask;; h = (h + 1) & g->mask) {
        uint32_t f = g->first[h];
        if (f == NO_SPAN ||
            (s[f].end - s[f].start == len && !memcmp(text + s[f].start, text + from, len)))
            return h;
    }
}

/* A name seen once as part of a person's name ("Bob Jones", "President
 * Mustafa") is a person wherever else it appears alone ("Jones said"): in
 * text order, each person span marks the spans of its text within
 * PERSON_WINDOW, found through the group of that text rather than by
 * reading every span of the window. */
static ga_rc mark_person_mentions(const char *text, span *s, size_t ns)
{
    size_t k0 = 0;
    while (k0 < ns && !s[k0].person) k0++;
    if (k0 == ns) return GA_OK;
    if (ns >= NO_SPAN) return GA_ENOMEM;
    size_t slots = 16;
    while (slots < 2 * ns) slots *= 2;
    span_groups g = {malloc(slots * sizeof *g.first), malloc(slots * sizeof *g.last),
                     malloc(ns * sizeof *g.next), slots - 1};
    ga_rc rc = GA_ENOMEM;
    if (!g.first || !g.last || !g.next) goto done;
    memset(g.first, 0xff, slots * sizeof *g.first);   /* NO_SPAN */
    for (size_t m = 0; m < ns; m++) {
        size_t h = group_slot(&g, text, s, s[m].start, s[m].end - s[m].start);
        if (g.first[h] == NO_SPAN) g.first[h] = (uint32_t)m;
        else g.next[g.last[h]] = (uint32_t)m;
        g.last[h] = (uint32_t)m;
        g.next[m] = NO_SPAN;
    }
    for (size_t k = k0; k < ns; k++) {
        if (!s[k].person) continue;
        /* the run "John Kelly" stands for its surname "Kelly" */
        size_t from = s[k].sur_end ? s[k].sur_start : s[k].start;
        size_t len = (s[k].sur_end ? s[k].sur_end : s[k].end) - from;
        size_t m0 = k > PERSON_WINDOW ? k - PERSON_WINDOW : 0;
        size_t m1 = k + PERSON_WINDOW < ns ? k + PERSON_WINDOW : ns;
        for (uint32_t m = g.first[group_slot(&g, text, s, from, len)]; m != NO_SPAN && m < m1;
             m = g.next[m]) {
            if (m < m0) continue;
            s[m].person = 1;
            /* the surname of a full name seen in the text */
            if (s[k].sur_end) s[m].surname = 1;
        }
    }
    rc = GA_OK;
done:
    free(g.first);
    free(g.last);
    free(g.next);
    return rc;
}

/* Title-case lines (headlines): most longer words capitalised, and some
 * of them, after the first word, English words ("Thousands Flee Afrin as
 * Forces Close In"). A sentence whose capitals are names only ("Rockets
 * hit the town of Kafr Batnaya.") is no headline. Marks every token of
 * such a line. */
static void mark_titlecase(ga_resolver *r, const char *text, const ga_tokens *toks,
                           unsigned char *tc)
{
    size_t i = 0;
    while (i < toks->n) {
        /* the line is tokens [i, j): counted as it is found */
        size_t j = i, words = 0, caps = 0;
        do {
            const ga_token *t = &toks->v[j];
            if (tok_is_word(t) && t->end - t->start >= 4) {
                words++;
                if (t->flags & GA_TOK_CAP) caps++;
            }
            j++;
        } while (j < toks->n && !(toks->v[j].flags & GA_TOK_NEWLINE));
        int title = words >= 3 && caps * 10 >= words * 7;
        /* a line that ends with a full stop after a lower-case word of four
         * letters or more is a sentence ("Floods hit parts of Surrey on
         * Monday."), however many names it holds */
        if (title && j > i + 1 && tok_is(text, &toks->v[j - 1], ".")) {
            for (size_t k = i + 1; k < j && title; k++) {
                const ga_token *t = &toks->v[k];
                if (tok_is_word(t) && t->end - t->start >= 4 && !(t->flags & GA_TOK_CAP))
                    title = 0;
            }
        }
        if (title) {
            int common = 0;
            for (size_t k = i + 1; k < j && !common; k++) {
                const ga_token *t = &toks->v[k];
                common = tok_is_word(t) && (t->flags & GA_TOK_CAP) &&
                         !(t->flags & GA_TOK_ALLCAPS) &&
                         (word_bits(r, text, t) & WORD_COMMON);
            }
            title = common;
        }
        memset(tc + i, title, j - i);
        i = j;
    }
}

/* ---- scoring ------------------------------------------------------------- */

static double kind_prior(const ga_weights *w, const ga_place *p)
{
    double s = 0;
    switch (p->kind) {
    case GA_KIND_COUNTRY: s += w->kind_country; break;
    case GA_KIND_ADM1: s += w->kind_adm1; break;
    case GA_KIND_ADM2: case GA_KIND_ADM3: s += w->kind_adm2; break;
    case GA_KIND_AREA: s += w->kind_area; break;
    case GA_KIND_SECTION: s += w->kind_section; break;
    case GA_KIND_OTHER: s += w->kind_other; break;
    default: break;
    }
    /* GeoNames populated-place codes PPLC, PPLA, PPLA2 and the historical
     * PPLH/PPLQ/PPLW, read letter by letter (this runs for every
     * candidate) */
    const char *fc = p->feature_code;
    if (fc && fc[0] == 'P' && fc[1] == 'P' && fc[2] == 'L' && fc[3]) {
        char c = fc[3], e = fc[4];
        if (c == 'C' && !e) s += w->fcode_pplc;
        else if (c == 'A' && !e) s += w->fcode_ppla;
        else if (c == 'A' && e == '2' && !fc[5]) s += w->fcode_ppla2;
        else if ((c == 'H' || c == 'Q' || c == 'W') && !e) s += w->fcode_historic;
    }
    return s;
}

static double pop_term(const ga_weights *w, const ga_place *p, int phonetic)
{
    double pop = p->population > 0 ? (double)p->population : 0;
    /* a seat of an administrative division (GeoNames PPLA to PPLA4)
     * whose population GeoNames does not know, as most of Syria's
     * sub-district towns (Madaya), when the text spells its name: a
     * phonetic match alone gains nothing from it */
    const char *fc = p->feature_code;
    if (pop == 0 && !phonetic && fc && !strncmp(fc, "PPLA", 4) &&
        (!fc[4] || (fc[4] >= '2' && fc[4] <= '4' && !fc[5])))
        pop = w->seat_unknown_population;
    double v = log10(pop + 1) / 7.0;
    return w->pop_weight * (v > 1.2 ? 1.2 : v);
}

static double name_term(const ga_weights *w, const cand *c)
{
    double s = 0;
    if (c->phonetic) s += w->phonetic;
    if (c->phonetic == GA_KEY_SKELETON) s += w->skeleton;
    switch (c->name_kind) {
    case GA_NAME_ALTERNATE: s += w->name_alternate; break;
    case GA_NAME_CURATED: s += w->name_curated; break;
    case GA_NAME_ABBREV: s += w->name_abbrev; break;
    default: break;
    }
    return s;
}

static int is_admin(ga_kind k)
{
    return k == GA_KIND_ADM1 || k == GA_KIND_ADM2 || k == GA_KIND_ADM3;
}

/* Equal non-empty codes (country, admin codes) of two places of the name
 * index: its shared strings are interned (ga_gaz.h), so equal values are
 * the same pointer. */
static inline int same_code(const char *a, const char *b)
{
    return a && a == b && *a;
}

/* Is place p inside the area or near the place q (another mention's
 * choice)? */
static int within(const cand_place *p, const cand_place *q)
{
    if (q->kind == GA_KIND_ADM1)
        return same_code(p->admin1_code, q->admin1_code) || same_code(p->admin1_pcode, q->admin1_pcode);
    if (q->kind == GA_KIND_COUNTRY) return same_code(p->country, q->country);
    if (q->kind == GA_KIND_ADM2) return same_code(p->admin2_pcode, q->admin2_pcode);
    if (fabs(p->lat - q->lat) > 0.5 || fabs(p->lon - q->lon) > 0.7) return 0;  /* > 30 km */
    return ga_geo_within_m(p->lon, p->lat, q->lon, q->lat, 30000);
}

/* A span's text, for sorting the names of a document. */
typedef struct {
    const char *s;        /* first byte */
    size_t n;             /* bytes */
    size_t span;          /* index in doc_ctx.s */
    uint64_t head;        /* the first 8 bytes case-folded (ASCII), big-endian,
                             0 after the end: orders as cmp_span_text does
                             unless equal */
} span_text;

/* A point place chosen for some span: what coherence measures against. */
typedef struct {
    int64_t id;
    size_t span;
    /* W,S,E,N holding every point within 500, 100, 25 km: coherence tests
     * the widest box of many anchors, which sits by id and span in the
     * first half of the (64-byte aligned) anchor */
    double box[3][4];
    double lon, lat;
} anchor;

/* The box of tier t (0: 25 km, 1: 100 km, 2: 500 km). */
static inline const double *anchor_box(const anchor *a, int t) { return a->box[2 - t]; }

static const double tier_m[3] = {25000, 100000, 500000};

typedef struct {
    ga_resolver *r;
    const char *text;
    const ga_tokens *toks;
    span *s;
    size_t ns;
    cand *c;
    char focus[3];
    const char *focus_cc;    /* the same, as interned by the name index, or NULL */
    const char *focus_admin; /* admin1 code of the document's focus state or governorate, or NULL */
    double focus_admin_votes; /* the votes it got */
    anchor *anchors;      /* chosen point places of accepted spans */
    size_t nanchors;
    double anchors_box[4];   /* the union of their widest boxes (build_anchors) */
    span_text *by_text;   /* spans with candidates sorted by text (compute_focus_admin) */
    size_t nby_text;
    GA_VEC(const char *) areas;  /* admin1 codes of spans' candidates (admin_votes) */
    const char *admins[32];  /* admin1 codes of the governorates/states chosen in the text */
    size_t admin_span[32];   /* the span that named each */
    size_t nadmins;
} doc_ctx;

/* Vectors of one document kept by the resolver for the next (up to the
 * KEEP_* sizes), so that each document does not grow them from nothing. */
#define KEEP_CANDS 16384
#define KEEP_SPANS 4096

struct resolve_scratch {
    cand_vec cv;            /* candidates, emptied */
    span_vec sv;            /* spans, emptied */
    unsigned char *tc;      /* title-case mark per token (bytes: a line is one memset) */
    size_t tc_cap;
    anchor *anchors;
    size_t anchors_cap;
};

static void scratch_free(struct resolve_scratch *sc)
{
    if (!sc) return;
    ga_vec_free(&sc->cv);
    ga_vec_free(&sc->sv);
    free(sc->tc);
    free(sc->anchors);
    free(sc);
}

/* The place chosen for span k, or NULL when it has none; it points into
 * the candidates and stays valid while they do. */
static const cand_place *chosen_place(const doc_ctx *d, size_t k)
{
    const span *sp = &d->s[k];
    if (!sp->accepted || sp->chosen < 0) return NULL;
    return &d->c[sp->c0 + (size_t)sp->chosen].p;
}

/* Do only a list of places lie between span k and the area span m that
 * names it: other spans and capitalised names, commas, "and", "or", "&",
 * "the" and the cue words before an area ("X, Y and Z in northern rural
 * Homs"; not "fled X for Y; others reached Z in North Darfur")? */
static int list_up_to(const doc_ctx *d, size_t k, size_t m)
{
    const span *a = &d->s[k], *b = &d->s[m];
    size_t next = k + 1;   /* the next span that may lie between */
    for (size_t t = a->tl + 1; t < b->tf; t++) {
        if (next < m && t == d->s[next].tf) { t = d->s[next].tl; next++; continue; }
        const ga_token *tk = &d->toks->v[t];
        if (tok_is(d->text, tk, ",") || tok_is(d->text, tk, "and") || tok_is(d->text, tk, "or") ||
            tok_is(d->text, tk, "&") || tok_is(d->text, tk, "the") || tok_is(d->text, tk, "in") ||
            (tk->flags & (GA_TOK_CAP | GA_TOK_ARABIC)) ||   /* a name the gazetteer lacks */
            (cue_of(d->r, d->text, tk) & (CUE_DIRECTION | CUE_ADMIN_BEFORE)))
            continue;
        return 0;
    }
    return 1;
}

/* The first-level area that the text names span k with ("X in North
 * Darfur", "X, Texas"), when none of k's candidates lies in it and the
 * town chosen is a small one: the text then speaks of a place the
 * gazetteer lacks ("Tawila ... in North Darfur" is no Aţ Ţawīlah in
 * Yemen, "Greenwood, W.Va." no Greenwood in another state). NULL
 * otherwise. A country named with it is no such sign: lists of places
 * and countries ("Moscow, Slovenia") read the same. */
static const cand_place *outside_named_area(const doc_ctx *d, size_t k)
{
    const span *sp = &d->s[k];
    if (sp->ctx_span < 0 || sp->chosen < 0 || !list_up_to(d, k, (size_t)sp->ctx_span))
        return NULL;
    const cand_place *q = chosen_place(d, (size_t)sp->ctx_span);
    if (!q || !q->country || q->kind != GA_KIND_ADM1 || (!q->admin1_code && !q->admin1_pcode))
        return NULL;
    const cand_place *ch = &d->c[sp->c0 + (size_t)sp->chosen].p;
    if (ch->kind != GA_KIND_PPL && ch->kind != GA_KIND_SECTION && ch->kind != GA_KIND_CAMP)
        return NULL;
    /* a city is seldom a place the gazetteer lacks: "Jerusalem, New York"
     * is a list more likely than a village of New York */
    if ((double)ch->population >= d->r->w.outside_area_max_population) return NULL;
    for (size_t i = 0; i < sp->nc; i++) {
        const cand_place *p = &d->c[sp->c0 + i].p;
        /* a place whose first-level area is unknown may lie in it */
        if (within(p, q) ||
            (q->kind == GA_KIND_ADM1 && same_code(p->country, q->country) && !p->admin1_code &&
             !p->admin1_pcode))
            return NULL;
    }
    return q;
}

/* Does an accepted span other than k name a place in country cc (the
 * country itself, its people, a town of it)? */
static int country_elsewhere(const doc_ctx *d, size_t k, const char *cc)
{
    for (size_t j = 0; j < d->ns; j++) {
        const cand_place *p = j != k ? chosen_place(d, j) : NULL;
        if (p && same_code(p->country, cc)) return 1;
    }
    return 0;
}

/* Collect the chosen point places (not countries or governorates, which
 * are too large to be near anything) of the accepted spans. */
static void build_anchors(doc_ctx *d)
{
    size_t old = d->nanchors, cursor = 0;
    d->nanchors = 0;
    for (size_t k = 0; k < d->ns; k++) {
        const cand_place *o = chosen_place(d, k);
        if (!o || o->kind == GA_KIND_COUNTRY || o->kind == GA_KIND_ADM1) continue;
        /* boxes of an unchanged anchor are kept from the last pass */
        size_t prev = old;
        while (cursor < old && d->anchors[cursor].span < k) cursor++;
        if (cursor < old && d->anchors[cursor].span == k && d->anchors[cursor].id == o->id)
            prev = cursor;
        if (prev < old) {
            anchor keep = d->anchors[prev];
            d->anchors[d->nanchors++] = keep;
            continue;
        }
        anchor *a = &d->anchors[d->nanchors++];
        a->lon = o->lon;
        a->lat = o->lat;
        a->id = o->id;
        a->span = k;
        for (int t = 0; t < 3; t++)
            ga_geo_bbox_around(o->lon, o->lat, tier_m[t], &a->box[2 - t][0], &a->box[2 - t][1],
                               &a->box[2 - t][2], &a->box[2 - t][3]);
    }
    double *u = d->anchors_box;
    u[0] = u[1] = HUGE_VAL;
    u[2] = u[3] = -HUGE_VAL;
    for (size_t a = 0; a < d->nanchors; a++) {
        const double *b = anchor_box(&d->anchors[a], 2);
        if (b[0] < u[0]) u[0] = b[0];
        if (b[1] < u[1]) u[1] = b[1];
        if (b[2] > u[2]) u[2] = b[2];
        if (b[3] > u[3]) u[3] = b[3];
    }
}

/* The admin1 codes of the first-level areas chosen for accepted spans. */
static void collect_admins(doc_ctx *d)
{
    d->nadmins = 0;
    for (size_t k = 0; k < d->ns && d->nadmins < 32; k++) {
        const cand_place *o = chosen_place(d, k);
        if (!o || o->kind != GA_KIND_ADM1 || !o->admin1_code) continue;
        d->admin_span[d->nadmins] = k;
        d->admins[d->nadmins++] = d->c[d->s[k].c0 + (size_t)d->s[k].chosen].p.admin1_code;
    }
}

/* Is p the namesake city of an area among the same span's candidates
 * (Homs the city and Homs the governorate, Al-Qusayr the town and its
 * district)? */
static int same_named_area(const doc_ctx *d, const span *sp, const cand_place *p)
{
    if (!p->admin1_code) return 0;
    for (size_t i = 0; i < sp->nc; i++) {
        const cand_place *q = &d->c[sp->c0 + i].p;
        if (is_admin(q->kind) && same_code(q->admin1_code, p->admin1_code)) return 1;
    }
    return 0;
}

/* Is area p named after a town among the same span's candidates, one in
 * the same first-level area (the governorate of Homs, the district of
 * Al-Qusayr)? Its point, a centroid or a label point, then says nothing
 * about the places near it: the town's does. */
static int namesake_town(const doc_ctx *d, const span *sp, const cand_place *p)
{
    if (!p->admin1_code || !is_admin(p->kind)) return 0;
    for (size_t i = 0; i < sp->nc; i++) {
        const cand_place *q = &d->c[sp->c0 + i].p;
        if (q->kind == GA_KIND_PPL && same_code(q->admin1_code, p->admin1_code)) return 1;
    }
    return 0;
}

/* same_named_area over the admin1 codes of the span's first-level areas,
 * listed once (codes are interned: equal codes are one pointer). */
static int in_areas(const char *const *areas, size_t n, const char *code)
{
    if (!code) return 0;
    for (size_t i = 0; i < n; i++)
        if (areas[i] == code) return 1;
    return 0;
}

/* Is p's state or governorate named by another span of the text? */
static int admin_named(const doc_ctx *d, size_t self, const cand_place *p)
{
    if (!p->admin1_code || !*p->admin1_code || p->kind == GA_KIND_ADM1 ||
        p->kind == GA_KIND_COUNTRY)
        return 0;
    /* codes are interned: compared as pointers, the span only on a match */
    for (size_t i = 0; i < d->nadmins; i++)
        if (d->admins[i] == p->admin1_code && d->admin_span[i] != self) return 1;
    return 0;
}

static int in_box(const double *b, double lon, double lat)
{
    return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3];
}

/* The anchors that coherence looks at for span `self`: only those of
 * spans near it in the text count, so that a long document costs time in
 * proportion to its length. Anchors are in span order: [lo, hi) found by
 * bisection; box receives the union of their widest boxes (W,S,E,N; empty
 * when W > E), outside which no candidate is near any of them. The box
 * only spares coherence_tier its loop, which skips self's own anchor: when
 * the window holds every anchor of the document (a short one), the union
 * of them all, self's included, serves as well and is made once a pass. */
typedef struct {
    size_t lo, hi;
    double box[4];
} anchor_window;

static void anchor_window_of(const doc_ctx *d, size_t self, anchor_window *aw)
{
    size_t lo = 0, hi = d->nanchors, from = self > COHERENCE_WINDOW ? self - COHERENCE_WINDOW : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->anchors[mid].span < from) lo = mid + 1;
        else hi = mid;
    }
    aw->lo = lo;
    if (lo == 0 && (d->nanchors == 0 ||
                    d->anchors[d->nanchors - 1].span <= self + COHERENCE_WINDOW)) {
        aw->hi = d->nanchors;
        memcpy(aw->box, d->anchors_box, sizeof aw->box);
        return;
    }
    aw->box[0] = aw->box[1] = HUGE_VAL;
    aw->box[2] = aw->box[3] = -HUGE_VAL;
    size_t a;
    for (a = lo; a < d->nanchors && d->anchors[a].span <= self + COHERENCE_WINDOW; a++) {
        const double *b = anchor_box(&d->anchors[a], 2);
        if (d->anchors[a].span == self) continue;
        if (b[0] < aw->box[0]) aw->box[0] = b[0];
        if (b[1] < aw->box[1]) aw->box[1] = b[1];
        if (b[2] > aw->box[2]) aw->box[2] = b[2];
        if (b[3] > aw->box[3]) aw->box[3] = b[3];
    }
    aw->hi = a;
}

/* Coherence tier of p: 0 when p lies in the 25 km box of another span's
 * anchor, 1 for the 100 km box, 2 for the 500 km box, 3 otherwise. The
 * boxes hold every point within that geodesic distance (they come from
 * PROJ's geod_direct), so a box test is a cheap, slightly generous stand-in
 * for the distance; *nearest receives the anchor found, for the reason. */
static int coherence_tier(const doc_ctx *d, size_t self, const cand_place *p,
                          const anchor_window *aw, const anchor **nearest)
{
    int best = 3;
    *nearest = NULL;
    /* most candidates are far from every anchor */
    if (!in_box(aw->box, p->lon, p->lat)) return best;
    for (size_t a = aw->lo; a < aw->hi; a++) {
        /* the widest box first: it turns most anchors away */
        const anchor *an = &d->anchors[a];
        if (!in_box(anchor_box(an, 2), p->lon, p->lat)) continue;
        if (an->span == self || an->id == p->id) continue;
        /* the first tier whose box holds p; the widest one does */
        int t = 0;
        while (t < 2 && !in_box(anchor_box(an, t), p->lon, p->lat)) t++;
        if (t < best) { best = t; *nearest = an; }
        if (best == 0) break;
    }
    return best;
}

/* Find the span naming the area that span k lies in: "X in Homs",
 * "X, Homs", "X and Y in rural Damascus" (the admin span follows within
 * the sentence, after "in" or a comma, with only list words between). */
static void find_context_spans(doc_ctx *d)
{
    for (size_t k = 0; k < d->ns; k++) {
        d->s[k].ctx_span = -1;
        size_t t = d->s[k].tl + 1;   /* tokens before t and after span k start no sentence */
        for (size_t m = k + 1; m < d->ns && m < k + 12; m++) {
            span *a = &d->s[k], *b = &d->s[m];
            if (b->tf - a->tl > 40) break;
            /* tokens between must not end the sentence (those before the
             * last span looked at have been read) */
            int ok = 1;
            for (; t < b->tf; t++)
                if (d->toks->v[t].flags & GA_TOK_SENT) { ok = 0; break; }
            if (!ok) break;
            /* the word before the area, past "northern", "rural" ... */
            size_t p = b->tf - 1;
            while (p > a->tl &&
                   (cue_of(d->r, d->text, &d->toks->v[p]) & (CUE_DIRECTION | CUE_ADMIN_BEFORE)))
                p--;
            const ga_token *pt = &d->toks->v[p];
            int intro = tok_is(d->text, pt, "in") || tok_is(d->text, pt, ",");
            /* "Kyiv by train, officials in Kyiv said": a name is not the
             * area of the same name */
            int same = a->end - a->start == b->end - b->start &&
                       !strncasecmp(d->text + a->start, d->text + b->start, a->end - a->start);
            if (intro && !same && b->tf - a->tl <= 12) { a->ctx_span = (int)m; break; }
        }
    }
    /* "the Idlib town of Saraqeb": the town lies in the area before it */
    for (size_t k = 0; k + 1 < d->ns; k++) {
        span *a = &d->s[k], *b = &d->s[k + 1];
        if (a->town_of && b->tf == a->tl + 3 && b->ctx_span < 0) b->ctx_span = (int)k;
    }
}

static uint64_t span_text_head(const char *s, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < 8; i++) {
        unsigned c = i < n ? (unsigned char)s[i] : 0;
        if (c >= 'A' && c <= 'Z') c += 32;
        h = h << 8 | c;
    }
    return h;
}

/* Compare two span texts, case-folded (ASCII), then by span index. */
static int cmp_span_text(const void *a, const void *b)
{
    const span_text *x = a, *y = b;
    if (x->head != y->head) return x->head < y->head ? -1 : 1;
    size_t n = x->n < y->n ? x->n : y->n;
    for (size_t i = 0; i < n; i++) {
        int u = (unsigned char)x->s[i], v = (unsigned char)y->s[i];
        if (u >= 'A' && u <= 'Z') u += 32;
        if (v >= 'A' && v <= 'Z') v += 32;
        if (u != v) return u - v;
    }
    if (x->n != y->n) return (x->n > y->n) - (x->n < y->n);
    return (x->span > y->span) - (x->span < y->span);
}

static int same_span_text(const span_text *x, const span_text *y)
{
    if (x->n != y->n) return 0;
    for (size_t i = 0; i < x->n; i++) {
        int u = (unsigned char)x->s[i], v = (unsigned char)y->s[i];
        if (u >= 'A' && u <= 'Z') u += 32;
        if (v >= 'A' && v <= 'Z') v += 32;
        if (u != v) return 0;
    }
    return 1;
}

/* Does x sort before y (cmp_span_text, mostly on the heads)? */
static inline int span_text_before(const span_text *x, const span_text *y)
{
    return x->head != y->head ? x->head < y->head : cmp_span_text(x, y) < 0;
}

/* Sort v[0..n) as qsort with cmp_span_text would (the order is total:
 * ties go by span index): a merge sort comparing the heads in line, with
 * insertion for short runs; tmp holds n / 2 entries. */
static void sort_span_texts(span_text *v, span_text *tmp, size_t n)
{
    if (n <= 16) {
        for (size_t j = 1; j < n; j++) {
            span_text x = v[j];
            size_t i = j;
            for (; i > 0 && span_text_before(&x, &v[i - 1]); i--) v[i] = v[i - 1];
            v[i] = x;
        }
        return;
    }
    size_t h = n / 2;
    sort_span_texts(v, tmp, h);
    sort_span_texts(v + h, tmp, n - h);
    if (!span_text_before(&v[h], &v[h - 1])) return;   /* in order already */
    memcpy(tmp, v, h * sizeof *v);
    size_t a = 0, b = h, o = 0;
    while (a < h && b < n) v[o++] = span_text_before(&v[b], &tmp[a]) ? v[b++] : tmp[a++];
    while (a < h) v[o++] = tmp[a++];
}

/* The first-level areas that span sp votes for in the focus state
 * (compute_focus_admin): *seen points at them; returns how many (at most
 * 64). The areas of a span's candidates are gathered once per document
 * (the candidates do not change across passes; the choice does). */
static size_t admin_votes(doc_ctx *d, span *sp, const char *const **seen)
{
    const cand_place *ch = &d->c[sp->c0 + (size_t)sp->chosen].p;
    *seen = NULL;
    if (ch->kind == GA_KIND_ADM1 && ch->admin1_code) {
        *seen = &ch->admin1_code;
        return 1;
    }
    if (ch->kind == GA_KIND_COUNTRY) return 0;
    if (!sp->areas_done) {
        size_t off = d->areas.n, ns = 0;
        for (size_t i = 0; i < sp->nc && ns < 64; i++) {
            const cand_place *p = &d->c[sp->c0 + i].p;
            if (p->kind == GA_KIND_COUNTRY || !p->admin1_code || !*p->admin1_code) continue;
            size_t t;
            for (t = 0; t < ns; t++)
                if (d->areas.v[off + t] == p->admin1_code) break;
            if (t == ns) {
                if (ga_vec_push(&d->areas, p->admin1_code)) break;   /* fewer votes */
                ns++;
            }
        }
        sp->areas_off = (uint32_t)off;
        sp->areas_n = (uint32_t)ns;
        sp->areas_done = 1;
    }
    if (!sp->areas_n) return 0;   /* (the pool may still be empty) */
    *seen = d->areas.v + sp->areas_off;
    return sp->areas_n;
}

/* The focus area without span k's own vote: does it still hold? A name
 * must not pull itself into the area that it alone elected ("Paris" alone
 * in a story electing the Paris region). */
static int focus_admin_holds(doc_ctx *d, size_t k)
{
    span *sp = &d->s[k];
    if (!d->focus_admin) return 0;
    if (!sp->accepted || sp->chosen < 0) return 1;
    const char *const *seen;
    size_t ns = admin_votes(d, sp, &seen);
    double own = 0;
    for (size_t t = 0; t < ns; t++)
        if (seen[t] == d->focus_admin) own = 1.0 / (double)ns;
    return d->focus_admin_votes - own >= d->r->w.focus_admin1_min;
}

/* The document's focus state or governorate: every distinct name of the
 * accepted spans spreads one vote over the first-level areas that hold one
 * of its candidates (a name found in two states gives each half; "London"
 * with candidates in twenty areas gives each a twentieth), and a name
 * chosen as a first-level area itself ("Texas") gives that area a whole
 * vote. The area with most votes is the focus when it reaches
 * focus_admin1_min and leads the next by focus_admin1_lead. A local story
 * naming Huntsville, Walker and Houston thus settles in Texas though each
 * name alone is ambiguous. */
static void compute_focus_admin(doc_ctx *d)
{
    const ga_weights *w = &d->r->w;
    d->focus_admin = NULL;
    if (w->focus_admin1 == 0 || d->ns == 0) return;
    if (!d->by_text) {
        /* the spans and their texts stay; which are accepted changes */
        span_text *idx = malloc(d->ns * sizeof *idx);
        if (!idx) return;   /* no focus area: scoring goes on without it */
        size_t n = 0;
        for (size_t k = 0; k < d->ns; k++) {
            const span *sp = &d->s[k];
            if (!sp->unresolved && sp->nc > 0)
                idx[n++] = (span_text){d->text + sp->start, sp->end - sp->start, k,
                                       span_text_head(d->text + sp->start, sp->end - sp->start)};
        }
        span_text stack_tmp[64], *tmp = n / 2 <= 64 ? stack_tmp : malloc(n / 2 * sizeof *tmp);
        if (!tmp) { free(idx); return; }
        sort_span_texts(idx, tmp, n);
        if (tmp != stack_tmp) free(tmp);
        d->by_text = idx;
        d->nby_text = n;
    }
    const span_text *idx = d->by_text, *last = NULL;
    struct { const char *a1; double v; } votes[256];
    size_t nv = 0;
    const char *const *seen;
    for (size_t j = 0; j < d->nby_text; j++) {
        span *sp = &d->s[idx[j].span];
        if (!sp->accepted || sp->chosen < 0) continue;
        int repeated = last && same_span_text(&idx[j], last);
        last = &idx[j];
        if (repeated) continue;
        size_t ns = admin_votes(d, sp, &seen);
        for (size_t t = 0; t < ns; t++) {
            size_t i;
            for (i = 0; i < nv; i++)
                if (votes[i].a1 == seen[t]) break;
            if (i == nv) {
                if (nv == 256) continue;
                votes[nv].a1 = seen[t];
                votes[nv].v = 0;
                nv++;
            }
            votes[i].v += 1.0 / (double)ns;
        }
    }
    double best = 0, second = 0;
    const char *ba = NULL;
    for (size_t i = 0; i < nv; i++) {
        if (votes[i].v > best) { second = best; best = votes[i].v; ba = votes[i].a1; }
        else if (votes[i].v > second) second = votes[i].v;
    }
    if (ba && best >= w->focus_admin1_min && best >= second + w->focus_admin1_lead) {
        d->focus_admin = ba;
        d->focus_admin_votes = best;
    }
}

/* The distance in km between two points when within 100 km, else -1, for
 * a reason; remembered by the exact bits of the four coordinates, since a
 * text names the same places again (a geodesic costs thousands of
 * instructions). */
#define DIST_MEMO_SLOTS 1024

typedef struct {
    uint64_t bits[4];     /* lon1, lat1, lon2, lat2 as stored */
    double km;
    int used;
} dist_memo_slot;

struct dist_memo {
    dist_memo_slot slot[DIST_MEMO_SLOTS];
};

static double near_km(ga_resolver *r, double lon1, double lat1, double lon2, double lat2)
{
    const double c[4] = {lon1, lat1, lon2, lat2};
    uint64_t b[4], h = 0;
    memcpy(b, c, sizeof b);
    for (int i = 0; i < 4; i++) h = (h ^ b[i]) * 0x9E3779B97F4A7C15ULL;
    if (!r->dmemo) r->dmemo = calloc(1, sizeof *r->dmemo);   /* NULL: no memo */
    dist_memo_slot *m = r->dmemo ? &r->dmemo->slot[(h >> 40) % DIST_MEMO_SLOTS] : NULL;
    if (m && m->used && !memcmp(m->bits, b, sizeof b)) return m->km;
    double km = ga_geo_within_m(lon1, lat1, lon2, lat2, 100000)
                    ? ga_geo_dist_m(lon1, lat1, lon2, lat2) / 1000 : -1;
    if (m) {
        memcpy(m->bits, b, sizeof b);
        m->km = km;
        m->used = 1;
    }
    return km;
}

/* A mention's reason, built piece by piece: what does not fit is cut (at
 * a byte; the buffer is as long as reasons need). */
typedef struct {
    char *p;
    size_t cap, n;
} reason_buf;

/* s[0..k) appended, cut where the buffer ends. In line, so that a
 * literal's bytes are copied by moves of a size known when compiled. */
static inline void rb_putn(reason_buf *b, const char *s, size_t k)
{
    if (b->n + 1 >= b->cap) return;
    if (k <= b->cap - 1 - b->n) {
        memcpy(b->p + b->n, s, k);
    } else {
        k = b->cap - 1 - b->n;
        memcpy(b->p + b->n, s, k);
    }
    b->n += k;
    b->p[b->n] = 0;
}

static void rb_put(reason_buf *b, const char *s) { rb_putn(b, s, strlen(s)); }

#define RB_LIT(b, lit) rb_putn((b), "" lit, sizeof lit - 1)

static void rb_num(reason_buf *b, long long v)
{
    char num[24], *e = num + sizeof num - 1, *q = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    *q = 0;
    do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
    if (v < 0) *--q = '-';
    rb_putn(b, q, (size_t)(e - q));
}

/* Does name start with the n bytes of s (ASCII case folded) and then a
 * space: is s a short form of it ("Oklahoma" of "Oklahoma City")? */
static int name_extends(const char *name, const char *s, size_t n)
{
    if (!name) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned a = (unsigned char)name[i], b = (unsigned char)s[i];
        if (!a) return 0;
        if (a - 'A' < 26u) a += 32;
        if (b - 'A' < 26u) b += 32;
        if (a != b) return 0;
    }
    return name[n] == ' ';
}

/* Score the candidates of span k (pass 0: priors and cues; passes 1 and 2
 * also the document's context) and choose the best; what decided the
 * choice is kept in the span for write_reason. */
/* 1 when span k is the area named after a town ("Talbiseh in Homs",
 * "Atmeh, Idlib") that lies in p, a first-level area, as a town of its
 * own: not within the reach of the city of k's name, AREA_TOWN_CITY_KM
 * and more for a city of over a million people, as its area grows with
 * the square root of its people ("the Waer district in Homs", a part of
 * the city, keeps the city; so does "Bronx, New York", 19 km from New
 * York City's point, within its 30 km). */
#define AREA_TOWN_CITY_KM 10.0
static int area_of_town_before(doc_ctx *d, size_t k, const cand_place *p)
{
    const span *sp = &d->s[k];
    for (size_t j = 0; j < k; j++) {
        if (d->s[j].ctx_span != (int)k) continue;
        const cand_place *q = chosen_place(d, j);
        if (!q || q->kind != GA_KIND_PPL || !same_code(q->country, p->country) ||
            !same_code(q->admin1_code, p->admin1_code))
            continue;
        int part_of_city = 0;
        for (size_t i = 0; i < sp->nc && !part_of_city; i++) {
            const cand_place *c = &d->c[sp->c0 + i].p;
            if (c->kind != GA_KIND_PPL || !same_code(c->admin1_code, p->admin1_code)) continue;
            double km = near_km(d->r, q->lon, q->lat, c->lon, c->lat);
            double reach = AREA_TOWN_CITY_KM * fmax(1.0, sqrt((double)c->population / 1e6));
            part_of_city = km >= 0 && km < reach;
        }
        if (!part_of_city) return 1;
    }
    return 0;
}

static void score_span(doc_ctx *d, size_t k, int pass)
{
    const ga_weights *w = &d->r->w;
    span *sp = &d->s[k];
    double best = -1e9;
    int besti = -1;
    const cand_place *ctx = sp->ctx_span >= 0 ? chosen_place(d, (size_t)sp->ctx_span) : NULL;
    const anchor *best_an = NULL;
    const char *best_factor = NULL;
    int best_tier = 3;
    int focus_admin = pass > 0 && focus_admin_holds(d, k);
    anchor_window aw = {0, 0, {0, 0, 0, 0}};
    if (pass > 0) anchor_window_of(d, k, &aw);
    int admin_cue = (sp->cues & (CUE_ADMIN_BEFORE | CUE_ADMIN_AFTER)) != 0;
    if (!sp->prior_done) {
        /* The priors: the candidates' base and the span's cues, which no
         * pass changes, so they are computed at the span's first scoring.
         * Does some candidate hold the span's words as its own main name
         * (Africa the continent, not Mahdia whose old name it is)? Is there
         * a country among the candidates (Mexico, not the State of
         * Mexico)? */
        int official = 0, official_country = 0;
        int official_other = 0;
        int64_t official_other_pop = -1;    /* the largest population among those */
        const char *official_area = NULL;   /* admin1 of the areas holding it */
        const char *country_cc = NULL;
        sp->has_area = 0;
        for (size_t i = 0; i < sp->nc; i++) {
            const cand *c = &d->c[sp->c0 + i];
            if (!c->phonetic && (c->name_kind == GA_NAME_OFFICIAL || c->name_kind == GA_NAME_ASCII)) {
                official = 1;
                if (c->p.kind == GA_KIND_COUNTRY) official_country = 1;
                if (is_admin(c->p.kind) && c->p.admin1_code &&
                    (!official_area || same_code(official_area, c->p.admin1_code)))
                    official_area = c->p.admin1_code;
                else {
                    official_other = 1;
                    if (c->p.population > official_other_pop) official_other_pop = c->p.population;
                }
            }
            if (c->p.kind == GA_KIND_COUNTRY) country_cc = c->p.country;
            if (is_admin(c->p.kind)) sp->has_area = 1;   /* same_named_area can hold */
        }
        for (size_t i = 0; i < sp->nc; i++) {
            cand *c = &d->c[sp->c0 + i];
            const cand_place *p = &c->p;
            double s = c->base;
            if (admin_cue && (is_admin(p->kind))) s += w->cue_admin;
            if ((sp->cues & CUE_TOWN_BEFORE) && (p->kind == GA_KIND_PPL || p->kind == GA_KIND_SECTION))
                s += w->cue_town;
            if (sp->the_before && p->kind == GA_KIND_AREA) s += w->area_after_the;
            /* a name another place holds as its own is shadowed, unless
             * the area of this town holds it and the town is of a size to
             * name it ("Daraa": Dar‘ā the city and Daraa the governorate;
             * not Minneota, a village of Minnesota that GeoNames also
             * calls "Minnesota"); towns elsewhere that hold it too may be
             * smaller when the name is no short form of the town's
             * ("Geneva": Genève and its canton, above the Genevas of the
             * US; not "Oklahoma", Oklahoma City's short form) */
            int others_below = !official_other ||
                               (official_other_pop < p->population &&
                                !name_extends(p->name, d->text + sp->start, sp->end - sp->start));
            if (official && c->name_kind == GA_NAME_ALTERNATE &&
                !(p->kind == GA_KIND_PPL && others_below &&
                  same_code(official_area, p->admin1_code) &&
                  (double)p->population >= w->area_namesake_min_population))
                s += w->name_shadowed;
            if (!admin_cue && p->kind == GA_KIND_ADM1 && same_code(p->country, country_cc))
                s += w->adm1_namesake_country;
            /* "Kosovo": the country, not Kosovo Polje by an alternate name */
            if (official_country && p->kind != GA_KIND_COUNTRY && c->name_kind == GA_NAME_ALTERNATE)
                s += w->country_name_alternate;
            c->prior = s;
        }
        sp->prior_done = 1;
    }
    /* the admin1 codes of the first-level areas among the candidates, for
     * same_named_area (NULL: more than fit, ask it) */
    const char *areas[8];
    size_t nareas = 0;
    int area = sp->has_area, areas_listed = 1;
    for (size_t i = 0; area && pass > 0 && i < sp->nc; i++) {
        const cand_place *q = &d->c[sp->c0 + i].p;
        if (!is_admin(q->kind) || !q->admin1_code || !*q->admin1_code) continue;
        if (nareas == sizeof areas / sizeof areas[0]) { areas_listed = 0; break; }
        areas[nareas++] = q->admin1_code;
    }
    for (size_t i = 0; i < sp->nc; i++) {
        cand *c = &d->c[sp->c0 + i];
        const cand_place *p = &c->p;
        double s = c->prior;
        const char *factor = admin_cue && is_admin(p->kind) ? "admin cue" : NULL;
        const anchor *an = NULL;
        int tier = 3;
        if (pass > 0) {
            if (same_code(p->country, d->focus_cc)) s += w->focus_country;
            if (focus_admin && p->kind != GA_KIND_COUNTRY && same_code(p->admin1_code, d->focus_admin)) {
                s += w->focus_admin1;
                if (!factor) factor = "in the text's focus state or governorate";
            }
            if (admin_named(d, k, p)) {
                s += w->admin_in_text;
                if (!factor) factor = "its state or governorate is named in the text";
            } else if (!admin_cue && area && p->kind == GA_KIND_PPL &&
                       (areas_listed ? in_areas(areas, nareas, p->admin1_code)
                                     : same_named_area(d, sp, p))) {
                /* "Homs" alone is the city, not the governorate named after it */
                s += w->admin_in_text;
                if (!factor) factor = "the city, not the area named after it";
            }
            if (p->kind == GA_KIND_ADM1 && area_of_town_before(d, k, p)) {
                s += w->area_of_town;
                if (!factor) factor = "the area of the town named before it";
            }
            if (ctx && ctx != NULL && within(p, ctx) && !(p->kind == ctx->kind && p->id == ctx->id)) {
                s += w->context_admin;
                factor = "named with its area";
            }
            /* coherence: nearest other chosen point place */
            tier = p->kind == GA_KIND_COUNTRY || (area && namesake_town(d, sp, p))
                       ? 3 : coherence_tier(d, k, p, &aw, &an);
            if (tier == 0) s += w->coherence_25km;
            else if (tier == 1) s += w->coherence_100km;
            else if (tier == 2) s += w->coherence_500km;
        }
        c->score = s;
        /* a tie (homonyms in one area: two OCHA "Latmana" in Hama) goes
         * to the one nearer its anchor */
        if (s == best && an && best_an && besti >= 0) {
            const cand_place *q = &d->c[sp->c0 + (size_t)besti].p;
            double dx = p->lon - an->lon, dy = p->lat - an->lat;
            double qx = q->lon - best_an->lon, qy = q->lat - best_an->lat;
            if (dx * dx + dy * dy < qx * qx + qy * qy) best = s - 1.0;   /* taken below */
        }
        if (s > best) {
            best = s;
            besti = (int)i;
            best_an = an;
            best_factor = factor;
            best_tier = tier;
        }
    }
    sp->chosen = besti;
    sp->support = besti >= 0 ? d->c[sp->c0 + (size_t)besti].score - d->c[sp->c0 + (size_t)besti].prior : 0;
    sp->factor = best_factor;
    sp->has_near = best_an != NULL;
    sp->near_tier = (uint8_t)best_tier;
    sp->near_lon = best_an ? best_an->lon : 0;
    sp->near_lat = best_an ? best_an->lat : 0;
}

/* May span sp keep its choice c, a match of the consonant key only? Only
 * in the report's focus country, and only with the support of the text:
 * in its focus state or governorate, in one the text names, or within
 * 100 km of another place of the report. */
static int skeleton_supported(const doc_ctx *d, const span *sp, const cand *c)
{
    return d->focus_cc && same_code(c->p.country, d->focus_cc) &&
           (sp->near_tier <= 1 || (sp->factor && strcmp(sp->factor, "admin cue") != 0));
}

/* Score span k = *sp once more when `again`, for its mention; 1 when its
 * choice is then a match of the consonant key only. */
static int rescore(doc_ctx *d, const span *sp, size_t k, int again)
{
    if (again) score_span(d, k, 2);
    return sp->chosen >= 0 && d->c[sp->c0 + (size_t)sp->chosen].phonetic == GA_KEY_SKELETON;
}

/* The reason of span k's choice as its last scoring (a pass with the
 * document's context) found it, read against the document's context now. */
static void write_reason(doc_ctx *d, size_t k, char *reason, size_t rlen)
{
    const span *sp = &d->s[k];
    if (sp->chosen < 0) return;
    const cand_place *ctx = sp->ctx_span >= 0 ? chosen_place(d, (size_t)sp->ctx_span) : NULL;
    const cand *c = &d->c[sp->c0 + (size_t)sp->chosen];
    const cand_place *pb = &c->p;
    const char *how = c->phonetic == GA_KEY_SKELETON ? "consonant match" :
                      c->phonetic ? "phonetic match" :
                      c->name_kind == GA_NAME_DEMONYM ? "demonym" :
                      c->name_kind == GA_NAME_CURATED ? "curated name" :
                      c->name_kind == GA_NAME_ALTERNATE ? "alternate name" :
                      c->name_kind == GA_NAME_ABBREV ? "abbreviation" : "exact name";
    reason_buf rb = {reason, rlen, 0};
    reason[0] = 0;
    rb_put(&rb, how);
    if (c->phonetic && pb->name) { RB_LIT(&rb, " of "); rb_put(&rb, pb->name); }
    if (sp->nc == 1) {
        RB_LIT(&rb, "; only candidate");
    } else {
        RB_LIT(&rb, "; best of ");
        rb_num(&rb, (long long)sp->nc);
        RB_LIT(&rb, " candidates");
    }
    if (sp->factor) { RB_LIT(&rb, "; "); rb_put(&rb, sp->factor); }
    if (ctx && sp->factor && !strcmp(sp->factor, "named with its area")) {
        RB_LIT(&rb, " (");
        rb_put(&rb, ctx->name);
        RB_LIT(&rb, ")");
    }
    if (same_code(pb->country, d->focus_cc)) {
        RB_LIT(&rb, "; in focus country ");
        rb_put(&rb, d->focus);
    }
    /* the distance is measured for the chosen place only */
    double best_near_km =
        sp->has_near ? near_km(d->r, pb->lon, pb->lat, sp->near_lon, sp->near_lat) : -1;
    if (best_near_km >= 0 && best_near_km < 100) {
        /* "%.0f" of it: nearbyint rounds as printf does (to the nearest,
         * halves to even, in the default rounding mode); a negative zero,
         * which printf writes "-0", goes through printf */
        char km[64];
        if (signbit(best_near_km)) {
            snprintf(km, sizeof km, "; %.0f km", best_near_km);
            rb_put(&rb, km);
        } else {
            RB_LIT(&rb, "; ");
            rb_num(&rb, (long long)nearbyint(best_near_km));
            RB_LIT(&rb, " km");
        }
        RB_LIT(&rb, " from another place in the text");
    }
    if (pb->population > 0) {
        RB_LIT(&rb, "; population ");
        rb_num(&rb, (long long)pb->population);
    }
}

typedef struct {
    int64_t id;
    size_t span;          /* first span that chose it */
    char cc[3];
    const char *ccp;      /* the place's own (interned) country code */
} focus_vote;

/* The document's focus country: the country holding most of the distinct
 * places chosen so far, when it holds at least two and 30% of them. Each
 * place votes once, so a name repeated ten times ("Alexandria" in a
 * Virginia story) does not outvote the other places of the text with its
 * own first guess. */
static void compute_focus(doc_ctx *d)
{
    d->focus[0] = 0;
    d->focus_cc = NULL;
    /* one vote per place, in text order (ties go to the country named
     * first): the spans are visited in text order and a place votes at its
     * first span only (a set of the ids seen, open addressing) */
    size_t cap = 16;
    while (cap < 2 * (d->ns + 1)) cap *= 2;
    /* on the stack for a document of a few dozen spans (this runs three
     * times a document) */
    enum { FOCUS_LOCAL = 64 };
    focus_vote fv_local[FOCUS_LOCAL];
    int64_t seen_local[2 * FOCUS_LOCAL];
    unsigned char used_local[2 * FOCUS_LOCAL];
    int local = cap <= 2 * FOCUS_LOCAL;
    focus_vote *fv = local ? fv_local : malloc((d->ns + 1) * sizeof *fv);
    int64_t *seen = local ? seen_local : malloc(cap * sizeof *seen);
    unsigned char *used = local ? memset(used_local, 0, cap) : calloc(cap, 1);
    if (!fv || !seen || !used) {   /* no focus: scoring goes on without it */
        if (!local) {
            free(fv);
            free(seen);
            free(used);
        }
        return;
    }
    size_t u = 0;
    for (size_t k = 0; k < d->ns; k++) {
        const cand_place *p = chosen_place(d, k);
        if (!p || !p->country || strlen(p->country) != 2) continue;
        size_t h = (size_t)(((uint64_t)p->id * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1);
        while (used[h] && seen[h] != p->id) h = (h + 1) & (cap - 1);
        if (used[h]) continue;   /* voted at an earlier span */
        used[h] = 1;
        seen[h] = p->id;
        fv[u].id = p->id;
        fv[u].span = k;
        memcpy(fv[u].cc, p->country, 3);
        fv[u].ccp = p->country;
        u++;
    }
    if (!local) {
        free(seen);
        free(used);
    }
    struct { char cc[3]; const char *ccp; double v; } votes[64];
    size_t nv = 0;
    for (size_t k = 0; k < u; k++) {
        size_t i;
        for (i = 0; i < nv; i++)
            if (!strcmp(votes[i].cc, fv[k].cc)) break;
        if (i == nv) {
            if (nv == 64) continue;
            memcpy(votes[nv].cc, fv[k].cc, 3);
            votes[nv].ccp = fv[k].ccp;
            votes[nv].v = 0;
            nv++;
        }
        votes[i].v += 1;
    }
    if (!local) free(fv);
    double best = 0, total = 0;
    for (size_t i = 0; i < nv; i++) {
        total += votes[i].v;
        if (votes[i].v > best) {
            best = votes[i].v;
            memcpy(d->focus, votes[i].cc, 3);
            d->focus_cc = votes[i].ccp;
        }
    }
    if (best < 2 || best < total * 0.3) d->focus[0] = 0;
    if (!d->focus[0]) d->focus_cc = NULL;
}

/* evidence_of's terms that no pass changes, added up in its order; sets
 * sp->only_phonetic. */
static double evidence_fixed(doc_ctx *d, span *sp)
{
    const ga_weights *w = &d->r->w;
    double best = -1e9;
    int only_phonetic = 1, best_country = 0, best_admin = 0, best_adm1 = 0, best_village = 0;
    int best_town = 0;   /* a town of under dual_word_max_population, by a name of its own */
    int small_town = 0;  /* some candidate is a town of under proper_town_abroad_max_population */
    for (size_t i = 0; i < sp->nc; i++) {
        cand *c = &d->c[sp->c0 + i];
        const cand_place *p = &c->p;
        double pr = c->base;
        if (c->phonetic) pr -= w->phonetic;   /* counted once, below */
        /* a consonant match must have the text's support to be kept at
         * all (skeleton_supported), which stands in for its evidence */
        if (c->phonetic == GA_KEY_SKELETON) pr -= w->skeleton;
        if (pr > best) {
            best = pr;
            best_village = p->kind == GA_KIND_PPL &&
                           (double)p->population < w->proper_village_max_population;
            best_town = p->kind == GA_KIND_PPL && c->name_kind != GA_NAME_ABBREV &&
                        (double)p->population < w->dual_word_max_population;
            best_country = p->kind == GA_KIND_COUNTRY;
            best_admin = p->kind == GA_KIND_ADM1 || c->name_kind == GA_NAME_DEMONYM;
            best_adm1 = p->kind == GA_KIND_ADM1 && c->name_kind != GA_NAME_DEMONYM;
        }
        if (!c->phonetic) only_phonetic = 0;
        /* a town evidence_of may find abroad (proper_word) */
        if (p->kind == GA_KIND_PPL && (double)p->population < w->proper_town_abroad_max_population)
            small_town = 1;
    }
    double e = best;
    /* "China said": a country whose name is also a common word opening a
     * sentence reads as the country when the word list knows the
     * capitalised form as a proper noun */
    int reads_as_name = sp->common == 1 || (sp->proper_initial && best_country);
    if (sp->common && !(sp->allcaps))
        e += reads_as_name ? w->common_word_midsentence : w->common_word;
    if (sp->calendar) e -= 100;
    if (sp->cues & (CUE_LOCATIVE | CUE_TOWN_BEFORE | CUE_NEAR)) e += w->locative_before;
    if (sp->cues & (CUE_ADMIN_BEFORE | CUE_ADMIN_AFTER | CUE_PLACE_AFTER)) e += w->cue_evidence;
    if (sp->nwords > 1) e += w->multiword;
    if (sp->arabic) e += w->arabic;
    /* an English word that names a place only through one of its
     * alternate names: "Hall" is no Schwäbisch Hall */
    if (sp->all_common && sp->nwords == 1) {
        int alternate_only = 1;
        for (size_t i = 0; i < sp->nc && alternate_only; i++)
            alternate_only = d->c[sp->c0 + i].name_kind == GA_NAME_ALTERNATE;
        if (alternate_only) e += w->common_alternate;
    }
    /* "Fife, Scotland", "Reston, Virginia": named with its area */
    int named_with_area = sp->ctx_span >= 0 && d->s[sp->ctx_span].tf <= sp->tl + 2;
    /* a first-level area that Natural Earth names by an English adjective
     * or common noun alone ("Western", "Northern", "Jewish", "Gulf",
     * "Capital") and that outranks the other candidates: the word is
     * meant */
    if (best_adm1 && sp->nwords == 1 && !sp->allcaps && !sp->mixed_abbrev && !named_with_area) {   /* not "Calif." */
        const ga_token *t = &d->toks->v[sp->tf];
        unsigned bits = word_bits(d->r, d->text, t);
        size_t n = t->end - t->start;
        const char *s = d->text + t->start;
        int adjective = n > 3 && (!memcmp(s + n - 3, "ern", 3) || !memcmp(s + n - 3, "ish", 3));
        /* a point of the compass: "Interstate 64 East", "South 13th
         * Terrace", "the Centre for ..." name no region of Cameroon ("the
         * South governorate" of Lebanon does) */
        int compass = !sp->street_tok && !(sp->cues & (CUE_ADMIN_BEFORE | CUE_ADMIN_AFTER)) &&
                      (cue_of(d->r, d->text, t) & CUE_COMPASS);
        if (((bits & WORD_COMMON) && !(bits & WORD_PROPER)) ||
            ((bits & (WORD_COMMON | WORD_PROPER)) && adjective) || compass)
            e += w->bare_adm1;
    }
    /* a village whose one-word name the word list knows as a proper noun
     * ("Patrick", "Frankenstein", "Mercer"): the name or figure is meant,
     * unless the text supports the village (its country, its area, a
     * place near it) or a cue introduces it */
    sp->proper_word = 0;
    if ((best_village || small_town) && sp->nwords == 1 && !sp->allcaps && !sp->mixed_abbrev &&
        !named_with_area &&
        !(sp->cues & (CUE_LOCATIVE | CUE_TOWN_BEFORE | CUE_NEAR)) &&
        (word_bits(d->r, d->text, &d->toks->v[sp->tf]) & WORD_PROPER)) {
        sp->proper_word = 1;
        if (best_village) e += w->proper_village;
    }
    /* a word that the word list holds both as a common noun and
     * capitalised, in mid-sentence ("God", "Earth": the capitalised word
     * names one thing), whose best candidate is a town that is not large:
     * the one thing is meant unless the text names the town's area (a
     * sentence's last word, glued to its dot, is no abbreviation here) */
    if (best_town && sp->common == 1 && sp->nwords == 1 && !sp->allcaps && !named_with_area) {
        unsigned bits = word_bits(d->r, d->text, &d->toks->v[sp->tf]);
        if ((bits & (WORD_COMMON | WORD_PROPER)) == (WORD_COMMON | WORD_PROPER))
            e += w->dual_word;
    }
    /* a given name, unless a country, state or demonym ("Nebraska
     * Sandhills", "Mexican Mafia" name no person) */
    if (sp->given_name && !best_country && !best_admin) e += w->given_name;
    if (sp->surname && !best_country && !best_admin && !named_with_area) e += w->surname;
    if (sp->named_person) e += w->named_person;
    if (sp->according && sp->nwords == 1 && !best_country && !best_admin) e += w->according_to;
    if (sp->person) e += w->larger_name;
    else if (sp->org) e += w->org_name;
    sp->only_phonetic = (uint8_t)only_phonetic;
    return e;
}

/* The evidence that span sp names a place. Everything but the focus
 * country and the support of the span's choice stays the same from pass to
 * pass: it is added up once (the same terms in the same order) and kept in
 * the span. */
static double evidence_of(doc_ctx *d, span *sp)
{
    const ga_weights *w = &d->r->w;
    if (!sp->ev_done) {
        sp->ev_fixed = evidence_fixed(d, sp);
        sp->ev_done = 1;
    }
    double e = sp->ev_fixed;
    if (sp->only_phonetic) {
        int in_focus = 0;
        for (size_t i = 0; i < sp->nc && !in_focus; i++)
            in_focus = same_code(d->c[sp->c0 + i].p.country, d->focus_cc);
        if (!in_focus) e += w->phonetic_evidence;
    }
    /* a town of the same kind abroad: "Obama" in a report on the US is
     * the president, not Obama in Japan */
    const cand *ch = sp->chosen >= 0 ? &d->c[sp->c0 + (size_t)sp->chosen] : NULL;
    if (sp->proper_word && ch && ch->p.kind == GA_KIND_PPL && d->focus_cc &&
        !same_code(ch->p.country, d->focus_cc) &&
        (double)ch->p.population >= w->proper_village_max_population &&
        (double)ch->p.population < w->proper_town_abroad_max_population)
        e += w->proper_village;
    /* "the town of Maaret Tamsrin": a spelling match of a part of a
     * larger capitalised name ("Maaret", Ma‘arrat an Nu‘mān by sound) */
    if (sp->larger && ch && ch->phonetic) e += w->phonetic_part;
    /* support from the document: focus country, named area, nearby places */
    e += 0.5 * sp->support;
    return e;
}

/* ---- passes -------------------------------------------------------------- */

/* What scoring reads of the document as a whole: its focus country and
 * area and the areas its spans name (everything else it reads is the
 * choices of spans within COHERENCE_WINDOW of the one scored). */
typedef struct {
    char focus[3];
    const char *focus_cc, *focus_admin;
    double focus_admin_votes;
    const char *admins[32];
    size_t admin_span[32];
    size_t nadmins;
} doc_context;

static void context_save(const doc_ctx *d, doc_context *g)
{
    memcpy(g->focus, d->focus, sizeof g->focus);
    g->focus_cc = d->focus_cc;
    g->focus_admin = d->focus_admin;
    g->focus_admin_votes = d->focus_admin_votes;
    g->nadmins = d->nadmins;
    memcpy(g->admins, d->admins, d->nadmins * sizeof *d->admins);
    memcpy(g->admin_span, d->admin_span, d->nadmins * sizeof *d->admin_span);
}

static int context_same(const doc_ctx *d, const doc_context *g)
{
    return !memcmp(g->focus, d->focus, sizeof g->focus) && g->focus_cc == d->focus_cc &&
           g->focus_admin == d->focus_admin && g->focus_admin_votes == d->focus_admin_votes &&
           g->nadmins == d->nadmins &&
           !memcmp(g->admins, d->admins, d->nadmins * sizeof *d->admins) &&
           !memcmp(g->admin_span, d->admin_span, d->nadmins * sizeof *d->admin_span);
}

/* Number the spans that the last pass moved (changed their choice or
 * acceptance) before each span; returns how many it moved in all. */
static size_t count_moved(span *s, size_t ns)
{
    size_t n = 0;
    for (size_t k = 0; k < ns; k++) {
        s[k].moved_before = (uint32_t)n;
        n += s[k].moved;
    }
    return n;
}

/* Does span k need scoring again? Its score reads the document's context
 * (unchanged when context_same) and the choices of the spans within
 * COHERENCE_WINDOW of it: its own (focus_admin_holds), those of the anchors
 * around it, and that of the area span after it (find_context_spans looks
 * 11 spans ahead at most). When none of these moved, scoring it again
 * finds what the last scoring found. */
static int near_moved(const span *s, size_t ns, size_t moved, size_t k)
{
    size_t a = k > COHERENCE_WINDOW ? k - COHERENCE_WINDOW : 0;
    size_t b = k + COHERENCE_WINDOW + 1;   /* first span past the window */
    size_t after = b < ns ? s[b].moved_before : moved;
    return after > s[a].moved_before;
}

/* ---- the entry point ----------------------------------------------------- */

const ga_mention_flag ga_mention_flags[] = {
    {GA_MENTION_DEMONYM, "demonym"},     {GA_MENTION_PHONETIC, "phonetic"},
    {GA_MENTION_ADMIN_CUE, "admin_cue"}, {GA_MENTION_NEAR, "near"},
    {GA_MENTION_ORG, "organisation"},    {GA_MENTION_UNRESOLVED, "unresolved"},
    {GA_MENTION_STREET, "street"},
};
const size_t ga_mention_nflags = sizeof ga_mention_flags / sizeof ga_mention_flags[0];

ga_rc ga_resolver_new(const ga_gaz *gaz, const char *data_dir, ga_resolver **out, ga_err *err)
{
    *out = NULL;
    ga_rc rc = ga_geo_open(err);   /* candidates are scored by distance */
    if (rc) return rc;
    ga_resolver *r = calloc(1, sizeof *r);
    if (!r) return ga_err_set(err, GA_ENOMEM, "out of memory");
    r->gaz = gaz;
    rc = ga_resolver_load(r, data_dir ? data_dir : ga_resolver_data_dir(), err);
    if (rc) { ga_resolver_free(r); return rc; }
    *out = r;
    return GA_OK;
}

int ga_resolver_phonetic_country(const ga_resolver *r, const char *cc)
{
    return phonetic_country(r, cc);
}

ga_rc ga_resolver_fork(const ga_resolver *r, ga_resolver **out, ga_err *err)
{
    ga_resolver *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f) return ga_err_set(err, GA_ENOMEM, "out of memory");
    f->gaz = r->gaz;
    f->forked = 1;
    f->w = r->w;
    f->cues = r->cues;      /* shared: ga_wordset_get only reads */
    memcpy(f->phonetic_cc, r->phonetic_cc, sizeof f->phonetic_cc);
    f->words = r->words;
    memcpy(f->fingerprint, r->fingerprint, sizeof f->fingerprint);
    *out = f;
    return GA_OK;
}

void ga_resolver_free(ga_resolver *r)
{
    if (!r) return;
    if (!r->forked) {
        ga_wordset_free(&r->cues);
        ga_wordset_free(&r->words);
    }
    ga_buf_free(&r->key);
    ga_buf_free(&r->key2);
    ga_buf_free(&r->key3);
    ga_buf_free(&r->keys);
    free(r->memo);
    free(r->pw);
    cand_memo_free(r->cmemo);
    ga_table_free(r->lmemo, 1, sizeof *r->lmemo);
    free(r->dmemo);
    scratch_free(r->scratch);
    free(r);
}

void ga_resolved_free(ga_resolved *res)
{
    if (!res) return;
    ga_vec_free(&res->toks);
    ga_vec_free(&res->mentions);
}

/* Vectors up to these sizes are kept by ga_resolved_reset (a document of
 * about 20 KB); larger ones are freed so that one long document does not
 * hold its memory for the rest of a run. */
#define KEEP_TOKENS 4096
#define KEEP_MENTIONS 256

void ga_resolved_reset(ga_resolved *res)
{
    if (res->toks.cap > KEEP_TOKENS) ga_vec_free(&res->toks);
    if (res->mentions.cap > KEEP_MENTIONS) ga_vec_free(&res->mentions);
    res->toks.n = 0;
    res->mentions.n = 0;
    res->focus_country[0] = 0;
}

static int precision_of(const ga_place *p, const span *sp)
{
    if (p->kind == GA_KIND_COUNTRY || p->kind == GA_KIND_ADM1) return 3;
    if (p->kind == GA_KIND_ADM2 || p->kind == GA_KIND_ADM3 || p->kind == GA_KIND_AREA) return 2;
    if (sp->cues & CUE_NEAR) return 2;
    return 1;
}

ga_rc ga_resolve_text(ga_resolver *r, const char *text, size_t n, ga_resolved *out, ga_err *err)
{
    ga_rc rc = ga_tokenize(text, n, &out->toks);
    if (rc) return ga_err_set(err, rc, "out of memory tokenising");
    const ga_tokens *toks = &out->toks;
    if (toks->n > r->memo_cap) {
        size_t cap = toks->n + toks->n / 2 + 64;
        ga_tok_memo *m = realloc(r->memo, cap * sizeof *m);
        if (!m) return ga_err_set(err, GA_ENOMEM, "out of memory");
        memset(m + r->memo_cap, 0, (cap - r->memo_cap) * sizeof *m);
        r->memo = m;
        r->memo_cap = cap;
    }
    /* a new number empties every entry (memo_of); doc 0 is no document's */
    if (++r->memo_doc == 0) {
        if (r->memo) memset(r->memo, 0, r->memo_cap * sizeof *r->memo);
        r->memo_doc = 1;
    }
    r->tok0 = toks->v;
    r->ntok = toks->n;
    ga_buf_reset(&r->keys);
    /* the vectors of the last document, emptied: their memory is reused */
    struct resolve_scratch *sc = r->scratch;
    if (!sc && !(sc = r->scratch = calloc(1, sizeof *sc)))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    if (toks->n + 1 > sc->tc_cap) {
        free(sc->tc);
        sc->tc_cap = toks->n + 1 + toks->n / 2;
        if (!(sc->tc = malloc(sc->tc_cap * sizeof *sc->tc))) {
            sc->tc_cap = 0;
            return ga_err_set(err, GA_ENOMEM, "out of memory");
        }
    }
    cand_vec cv = sc->cv;
    span_vec sv = sc->sv;
    cv.n = sv.n = 0;
    memset(&sc->cv, 0, sizeof sc->cv);   /* owned here until done */
    memset(&sc->sv, 0, sizeof sc->sv);
    doc_ctx d;
    memset(&d, 0, sizeof d);
    unsigned char *tc = sc->tc;
    tc[toks->n] = 0;
    mark_titlecase(r, text, toks, tc);   /* sets tc[0 .. toks->n) */
    find_person_words(r, text, toks);

    /* 1. spans */
    for (size_t i = 0; i < toks->n;) {
        if (!can_start(r, text, toks, i)) { i++; continue; }
        /* "D-Charleston", "(R-Texas)": a party's initial; the member's home
         * town after it is looked up on its own */
        if (party_initial(text, toks, i)) { i += 2; continue; }
        /* the span is found in its place in sv, which it takes when it
         * is one */
        if (ga_vec_reserve(&sv, sv.n + 1)) { rc = GA_ENOMEM; goto done; }
        span *sp = &sv.v[sv.n];
        size_t cv0 = cv.n;
        if (find_span(r, text, toks, i, &cv, sp)) {
            read_cues(r, text, toks, sp, tc);
            if (sp->dateline) sp->cues |= CUE_LOCATIVE;   /* reported from there */
            widen_admin_phrase(r, text, toks, &cv, sp);
            sv.n++;
            i = sp->tl + 1;
            continue;
        }
        cv.n = cv0;
        /* no gazetteer name: a capitalised run after a town cue is queued.
         * A sentence's first word that is an English word ("The", "Then")
         * starts no run: the run would swallow the name after it ("The
         * United States approved ...") */
        size_t ar_last = SIZE_MAX;
        if (((toks->v[i].flags & GA_TOK_CAP) && !tc[i] &&
             !((toks->v[i].flags & GA_TOK_SENT) &&
               (word_bits(r, text, &toks->v[i]) & WORD_COMMON))) ||
            (ar_last = arabic_run(r, text, toks, i)) != SIZE_MAX) {
            span *u = sp;   /* the slot reserved above */
            memset(u, 0, sizeof *u);
            u->unresolved = 1;
            u->tf = (uint32_t)i;
            u->tl = (uint32_t)(ar_last != SIZE_MAX ? ar_last : cap_run(r, text, toks, i));
            u->nwords = 1;
            read_cues(r, text, toks, u, tc);
            /* "John Kelly": a given name of the word list, then one more
             * capitalised word, is a person, whose surname alone ("Kelly
             * said") is the person too (mark_person_mentions) */
            /* so is a first word the list lacks altogether ("Nakishia
             * Sullivan ... Sullivan pulled"), where no place cue comes
             * before the run ("the village of Kafr Batnaya") */
            unsigned fb = word_bits(r, text, &toks->v[u->tf]);
            if (u->tl == u->tf + 1 && tok_is_word(&toks->v[u->tl]) &&
                !(toks->v[u->tf].flags & GA_TOK_ALLCAPS) &&
                ((fb & WORD_PROPER) ||
                 (!fb && !(u->cues & (CUE_TOWN_BEFORE | CUE_LOCATIVE | CUE_NEAR | CUE_ADMIN_BEFORE |
                                      CUE_DIRECTION))))) {
                u->person = 1;
                u->sur_start = toks->v[u->tl].start;
                u->sur_end = toks->v[u->tl].end;
            }
            u->chosen = -1;
            u->ctx_span = -1;
            u->start = toks->v[u->tf].start;
            u->end = toks->v[u->tl].end;
            u->c0 = cv.n;
            sv.n++;
            i = u->tl + 1;
            continue;
        }
        i++;
    }
    propagate_list_cues(r, text, toks, sv.v, sv.n);
    if ((rc = mark_person_mentions(text, sv.v, sv.n))) goto done;
    /* unresolved runs are kept only with a town cue ("the village of X")
     * or a near cue ("camps near Atmeh", "the outskirts of X") and no
     * other objection; after "near" or "outside" a possessive is a
     * person's ("outside Carter's back door") */
    {
        size_t w = 0;
        for (size_t k = 0; k < sv.n; k++) {
            span *s = &sv.v[k];
            int town = (s->cues & CUE_TOWN_BEFORE) != 0;
            int near = (s->cues & CUE_NEAR) && !(s->tl + 1 < toks->n &&
                                                 (toks->v[s->tl + 1].flags & GA_TOK_POSS));
            if (s->unresolved && ((!town && !near) || s->common || s->larger || s->title_before))
                continue;
            if (w != k) sv.v[w] = *s;
            w++;
        }
        sv.n = w;
    }

    d.r = r;
    d.text = text;
    d.toks = toks;
    d.s = sv.v;
    d.ns = sv.n;
    d.c = cv.v;
    if (sv.n + 1 > sc->anchors_cap) {
        free(sc->anchors);
        sc->anchors = NULL;
        sc->anchors_cap = sv.n + 1 + sv.n / 2;
        void *a = NULL;
        if (posix_memalign(&a, 64, sc->anchors_cap * sizeof *sc->anchors) == 0) sc->anchors = a;
        if (!sc->anchors) {
            sc->anchors_cap = 0;
            rc = GA_ENOMEM;
            goto done;
        }
    }
    d.anchors = sc->anchors;
    find_context_spans(&d);
    /* 2. pass 0: priors; accept on evidence without focus */
    for (size_t k = 0; k < sv.n; k++) {
        if (sv.v[k].unresolved) continue;
        score_span(&d, k, 0);
        sv.v[k].evidence = evidence_of(&d, &sv.v[k]);
        sv.v[k].accepted = sv.v[k].evidence >= r->w.recognise_min;
    }
    compute_focus(&d);
    compute_focus_admin(&d);
    /* 3. passes 1 and 2 with context. Pass 2 and the mentions' reasons
     * score again only the spans whose inputs the pass before changed
     * (near_moved); the others would find what they found then. The
     * anchors, areas and focus follow the spans' choices: when a pass moved
     * none, they stay as they were. */
    doc_context g;
    size_t moved = 0;
    for (int pass = 1; pass <= 2; pass++) {
        if (pass == 1 || moved) {
            build_anchors(&d);
            collect_admins(&d);
        }
        int all = pass == 1 || !context_same(&d, &g);
        context_save(&d, &g);
        for (size_t k = 0; k < sv.n; k++) {
            span *sp = &sv.v[k];
            if (sp->unresolved || (!all && !near_moved(sv.v, sv.n, moved, k))) {
                sp->moved = 0;
                continue;
            }
            int chosen = sp->chosen, accepted = sp->accepted;
            score_span(&d, k, pass);
            sp->evidence = evidence_of(&d, sp);
            sp->accepted = sp->evidence >= r->w.recognise_min;
            sp->moved = sp->chosen != chosen || sp->accepted != accepted;
        }
        moved = count_moved(sv.v, sv.n);
        if (moved) {
            compute_focus(&d);
            compute_focus_admin(&d);
        }
    }
    snprintf(out->focus_country, sizeof out->focus_country, "%s", d.focus);
    if (moved) {
        build_anchors(&d);
        collect_admins(&d);
    }
    int rescore_all = !context_same(&d, &g);

    /* 4. mentions */
    for (size_t k = 0; k < sv.n; k++) {
        span *sp = &sv.v[k];
        /* a name found only by its consonants and not accepted is still
         * queued for the curator after a town cue, as a name with no entry
         * at all would be ("the town of Kafr Batnaya") */
        int queued = !sp->unresolved && !sp->accepted && sp->chosen >= 0 &&
                     cv.v[sp->c0 + (size_t)sp->chosen].phonetic == GA_KEY_SKELETON &&
                     (sp->cues & CUE_TOWN_BEFORE) && !sp->common && !sp->larger &&
                     !sp->title_before;
        if (!sp->unresolved && !sp->accepted && !queued) continue;
        ga_mention m;
        memset(&m, 0, sizeof m);
        m.start = sp->start;
        m.end = sp->end;
        m.tok_first = sp->tf;
        m.tok_last = sp->tl;
        m.ncandidates = (uint32_t)sp->nc;
        const cand *pc = sp->unresolved ? NULL : &cv.v[sp->c0 + (size_t)sp->chosen];
        const cand_place *outside = NULL;
        if (sp->unresolved) {
            m.flags |= GA_MENTION_UNRESOLVED;
            snprintf(m.reason, sizeof m.reason, "place-like name with no gazetteer entry");
        } else if (sp->street_tok) {
            /* "Hampton Avenue", "Baghdad Street in Damascus": the street is
             * meant, which is seldom in the place it is named after; the
             * whole street name goes to the curator */
            m.end = toks->v[sp->street_tok].end;
            m.tok_last = sp->street_tok;
            m.flags |= GA_MENTION_UNRESOLVED | GA_MENTION_STREET;
            snprintf(m.reason, sizeof m.reason, "street name, not the place %s (%s); the "
                     "gazetteer holds no streets", pc->p.name, pc->p.country ? pc->p.country : "-");
        } else if (pc->phonetic && d.focus_cc && !same_code(pc->p.country, d.focus_cc) &&
                   (phonetic_country(r, d.focus_cc) ||
                    (pc->phonetic != GA_KEY_SKELETON &&
                     !country_elsewhere(&d, k, pc->p.country)))) {
            /* "Foua" in a report on Syria is no Fuwwah in Egypt, and
             * "Almonaster" (a street of New Orleans) no Monastir in
             * Tunisia: a spelling match abroad, in a country the report
             * names nowhere else, stands for a place the gazetteer lacks,
             * which the curator should see */
            m.flags |= GA_MENTION_UNRESOLVED;
            snprintf(m.reason, sizeof m.reason, "only a phonetic match of %s (%s), outside the "
                     "report's focus country %s; left for the curator",
                     pc->p.name, pc->p.country ? pc->p.country : "-", d.focus);
        } else if (sp->all_common && sp->nwords > 1 && sp->support <= 0 && d.focus_cc &&
                   pc->name_kind == GA_NAME_ALTERNATE && pc->p.kind != GA_KIND_COUNTRY &&
                   pc->p.country && !same_code(pc->p.country, d.focus_cc)) {
            /* "the French Quarter" in a report on New Orleans is no The
             * Quarter in Anguilla, "Inner City" no Innere Stadt in Vienna:
             * English words that match a place abroad only by one of its
             * alternate names, with nothing in the text near it, stand
             * for a place the gazetteer lacks */
            m.flags |= GA_MENTION_UNRESOLVED;
            snprintf(m.reason, sizeof m.reason, "English words matching only an alternate name of "
                     "%s (%s), outside the report's focus country %s, with no place of the "
                     "report near it; left for the curator",
                     pc->p.name, pc->p.country, d.focus);
        } else if (!queued && (outside = outside_named_area(&d, k)) != NULL) {
            /* "Tawila and Kabkabiya in North Darfur" in a report on Sudan
             * is no Aţ Ţawīlah in Yemen: no candidate lies in the area the
             * text names with the name */
            m.flags |= GA_MENTION_UNRESOLVED;
            snprintf(m.reason, sizeof m.reason, "no place of this name in %s, which the text "
                     "names with it (nearest match %s, %s); left for the curator",
                     outside->name ? outside->name : "-", pc->p.name,
                     pc->p.country ? pc->p.country : "-");
        } else if (queued ||
                   (rescore(&d, sp, k, rescore_all || near_moved(sv.v, sv.n, moved, k)) &&
                    !skeleton_supported(&d, sp, &cv.v[sp->c0 + (size_t)sp->chosen]))) {
            /* "Latamneh" in a report on Daraa is no Latmana in Hama: a
             * consonant match far from the report's other places (as the
             * last scoring, with every choice made, finds them) is
             * dropped, or left for the curator after a town cue ("the
             * village of ...") */
            if (!(sp->cues & CUE_TOWN_BEFORE)) continue;
            pc = &cv.v[sp->c0 + (size_t)sp->chosen];
            m.flags |= GA_MENTION_UNRESOLVED;
            snprintf(m.reason, sizeof m.reason, "only a consonant match of %s (%s), with no "
                     "place of the report near it; left for the curator",
                     pc->p.name, pc->p.country ? pc->p.country : "-");
        } else {
            write_reason(&d, k, m.reason, sizeof m.reason);
            cand *c = &cv.v[sp->c0 + (size_t)sp->chosen];
            m.resolved = 1;
            m.place_idx = c->place;
            ga_gaz_place(r->gaz, c->place, &m.place);
            if (c->phonetic) m.flags |= GA_MENTION_PHONETIC;
            if (c->name_kind == GA_NAME_DEMONYM) m.flags |= GA_MENTION_DEMONYM;
            if (sp->cues & (CUE_ADMIN_BEFORE | CUE_ADMIN_AFTER)) m.flags |= GA_MENTION_ADMIN_CUE;
            if (sp->cues & CUE_NEAR) m.flags |= GA_MENTION_NEAR;
            if (sp->org) m.flags |= GA_MENTION_ORG;
            m.precision = precision_of(&m.place, sp);
            /* confidence: margin over the runner-up, squashed */
            double second = -1e9;
            for (size_t i = 0; i < sp->nc; i++)
                if ((int)i != sp->chosen && cv.v[sp->c0 + i].score > second)
                    second = cv.v[sp->c0 + i].score;
            double margin = sp->nc > 1 ? c->score - second : 1.5;
            double ev = sp->evidence - r->w.recognise_min;
            m.score = 1.0 / (1.0 + exp(-(margin + ev)));
        }
        if (ga_vec_push(&out->mentions, m)) { rc = GA_ENOMEM; goto done; }
    }
done:
    if (rc) ga_err_set(err, rc, "out of memory resolving");
    r->tok0 = NULL;
    r->ntok = 0;
    free(d.by_text);
    ga_vec_free(&d.areas);
    /* kept for the next document, unless one long document grew them */
    if (cv.cap > KEEP_CANDS) ga_vec_free(&cv);
    if (sv.cap > KEEP_SPANS) ga_vec_free(&sv);
    sc->cv = cv;
    sc->sv = sv;
    if (sc->tc_cap > KEEP_TOKENS) { free(sc->tc); sc->tc = NULL; sc->tc_cap = 0; }
    if (sc->anchors_cap > KEEP_SPANS) { free(sc->anchors); sc->anchors = NULL; sc->anchors_cap = 0; }
    return rc;
}
