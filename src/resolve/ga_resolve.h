/*
 * ga_resolve.h: finding place names in text and deciding which place each
 * one means.
 *
 *   text -> tokens (text/) -> longest gazetteer spans over tokens, strict
 *   key first, phonetic key as a weaker fallback -> recognition filters
 *   (common English words from the system word list, parts of larger
 *   capitalised names such as organisations, treaties and people) ->
 *   candidates -> scores (population, kind, name quality, explicit context
 *   such as "rural Homs" or "X in Homs", the document's focus country,
 *   distance to the other places of the document) -> one place per
 *   mention with a precision code and a readable reason.
 *
 * Weights, cue words and lexicons are data files in gazetteer/lexicon/
 * (see ga_resolver_new). Offsets are bytes into the text given. Places
 * come from the name index (gaz/ga_gaz.h); coordinates are (lon, lat).
 */
#ifndef GA_RESOLVE_H
#define GA_RESOLVE_H

#include "core/ga_core.h"
#include "gaz/ga_gaz.h"
#include "text/ga_text.h"

typedef struct ga_resolver ga_resolver;

/* Mention flags. */
enum {
    GA_MENTION_DEMONYM = 1 << 0,   /* "Turkish": resolved to its country */
    GA_MENTION_PHONETIC = 1 << 1,  /* matched through the phonetic key only */
    GA_MENTION_ADMIN_CUE = 1 << 2, /* "rural X", "X province": the admin area */
    GA_MENTION_NEAR = 1 << 3,      /* "near X", "outskirts of X": precision 2 */
    GA_MENTION_ORG = 1 << 4,       /* inside an organisation or treaty name */
    GA_MENTION_UNRESOLVED = 1 << 5,/* a place-like name with no gazetteer place */
    GA_MENTION_STREET = 1 << 6     /* a street's name ("Hampton Avenue"): unresolved */
};

/* The mention flags by name, in output order ("demonym", "phonetic", ...),
 * as JSON and the mentions table write them. */
typedef struct {
    unsigned bit;
    const char *name;
} ga_mention_flag;
extern const ga_mention_flag ga_mention_flags[];
extern const size_t ga_mention_nflags;

typedef struct {
    uint32_t start, end;        /* byte offsets of the name in the text */
    uint32_t tok_first, tok_last; /* token range (inclusive) */
    int resolved;               /* 1 when place is set */
    uint32_t place_idx;         /* index in the name index */
    ga_place place;             /* the place (strings point into the index) */
    int precision;              /* ACLED geo_precision 1..3 */
    double score;               /* 0..1 confidence */
    unsigned flags;             /* GA_MENTION_* */
    uint32_t ncandidates;       /* candidates considered */
    char reason[200];           /* why this place, for a curator */
} ga_mention;

typedef struct {
    ga_tokens toks;             /* tokens of the text */
    GA_VEC(ga_mention) mentions;/* in text order */
    char focus_country[3];      /* ISO code of the document's focus, or "" */
} ga_resolved;

/* Create a resolver over an open name index. data_dir holds the lexicon
 * files (NULL: ga_resolver_data_dir()). Fails naming the file that is
 * missing or malformed. */
ga_rc ga_resolver_new(const ga_gaz *gaz, const char *data_dir, ga_resolver **out,
                      ga_err *err);
void ga_resolver_free(ga_resolver *r);

/* 1 when country cc is one where phonetic and consonant matches may lie
 * (the lexicon's phonetic_countries.tsv: where Arabic is official). */
int ga_resolver_phonetic_country(const ga_resolver *r, const char *cc);

/* A second resolver for another thread: it shares r's name index, weights
 * and word lists (read-only while resolving) and has its own scratch
 * space, so the two may resolve at the same time. Free it before r. */
ga_rc ga_resolver_fork(const ga_resolver *r, ga_resolver **out, ga_err *err);

/* 16 hex digits that change when the data r was loaded from changes: the
 * files of its lexicon folder (which the event lexicon shares) and the
 * word list. Stored annotations keep it in their content hash, so that
 * `annotate` and `reannotate` redo a document annotated with other data. */
const char *ga_resolver_fingerprint(const ga_resolver *r);

/* Default lexicon folder: $GEOANNOT_DATA, else <binary dir>/../gazetteer/lexicon,
 * else the source tree's gazetteer/lexicon. */
const char *ga_resolver_data_dir(void);

/* Resolve text[0..n) (valid UTF-8 expected; sanitize first). Results are
 * appended to out, which the caller zeroes first and frees with
 * ga_resolved_free(). */
ga_rc ga_resolve_text(ga_resolver *r, const char *text, size_t n, ga_resolved *out,
                      ga_err *err);
void ga_resolved_free(ga_resolved *res);
/* Empty res for the next ga_resolve_text, keeping its memory when small. */
void ga_resolved_reset(ga_resolved *res);

#endif
