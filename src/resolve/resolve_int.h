/*
 * resolve_int.h: internals of the resolver shared by its files.
 */
#ifndef GA_RESOLVE_INT_H
#define GA_RESOLVE_INT_H

#include "resolve/ga_resolve.h"

/* A hash set of words (keys) with a small bit value per word. A slot
 * holds the hash and the bits together, so a probe touches one cache line
 * (the English word list is a few megabytes, far beyond the caches). */
typedef struct {
    uint64_t hash;     /* word hash | 1, 0 = empty */
    unsigned val;      /* bits */
} ga_wordset_slot;

typedef struct {
    ga_wordset_slot *slots;
    size_t mask;       /* slots - 1 */
    size_t used;
} ga_wordset;

ga_rc ga_wordset_init(ga_wordset *s, size_t expect);
void ga_wordset_free(ga_wordset *s);
void ga_wordset_or(ga_wordset *s, const char *w, size_t n, unsigned val);
unsigned ga_wordset_get(const ga_wordset *s, const char *w, size_t n);

/* Word list bits. */
enum {
    WORD_COMMON = 1,     /* lower-case entry of the word list */
    WORD_PROPER = 2,     /* capitalised entry of the word list */
    WORD_CALENDAR = 4    /* day or month name or abbreviation (libc locale data) */
};

/* Cue word bits (cues.tsv). */
enum {
    CUE_ADMIN_BEFORE = 1 << 0,
    CUE_ADMIN_AFTER = 1 << 1,
    CUE_DIRECTION = 1 << 2,
    CUE_NEAR = 1 << 3,
    CUE_LOCATIVE = 1 << 4,
    CUE_TOWN_BEFORE = 1 << 5,
    CUE_PLACE_AFTER = 1 << 6,
    CUE_TITLE = 1 << 7,
    CUE_ORG_AFTER = 1 << 8,
    CUE_PERSON_AFTER = 1 << 9,
    CUE_STREET_AFTER = 1 << 10,
    CUE_HOLIDAY = 1 << 11,
    CUE_DISEASE_AFTER = 1 << 12,
    CUE_COMPASS = 1 << 13,
    CUE_GROUP = 1 << 14,
    CUE_FUNCTION = 1 << 15,
    CUE_NAME_HEAD = 1 << 16,
    CUE_DUAL = 1 << 17
};

/* Weights from resolver.conf; see that file for what each means. */
typedef struct {
    double pop_weight, kind_country, kind_adm1, kind_adm2, kind_area, kind_section,
        kind_other, fcode_pplc, fcode_ppla, fcode_ppla2, fcode_historic, name_alternate,
        name_curated, name_abbrev, phonetic, focus_country, context_admin, cue_admin,
        cue_town, coherence_25km, coherence_100km, coherence_500km, recognise_min,
        common_word, common_word_midsentence, locative_before, cue_evidence, multiword, arabic, larger_name,
        phonetic_evidence, org_name, admin_in_text, abbrev_min_population, name_shadowed,
        adm1_namesake_country, focus_admin1, focus_admin1_min, focus_admin1_lead, given_name,
        common_alternate, bare_adm1, surname, named_person, proper_village,
        proper_village_max_population, proper_town_abroad_max_population, skeleton,
        area_namesake_min_population,
        dual_word, dual_word_max_population, area_after_the, seat_unknown_population,
        according_to, country_name_alternate, phonetic_part, outside_area_max_population,
        area_of_town;
} ga_weights;

typedef struct {
    uint32_t koff, klen;   /* word key in ga_resolver.keys */
    uint32_t bits, cue;    /* ga_wordset_get of words and cues */
    uint32_t doc;          /* the document (memo_doc) the entry is of */
    uint8_t have;          /* MEMO_* bits */
} ga_tok_memo;

struct ga_resolver {
    const ga_gaz *gaz;     /* name index (not owned) */
    int forked;            /* cues and words belong to the resolver forked from */
    ga_weights w;          /* weights */
    ga_wordset cues;       /* cue words -> CUE_* bits */
    char phonetic_cc[64][3]; /* countries phonetic matches may lie in
                                (phonetic_countries.tsv), "" ends */
    ga_wordset words;      /* English word list -> WORD_* bits */
    char fingerprint[17];  /* of the data read (ga_resolver_fingerprint) */
    ga_buf key;            /* scratch key buffer */
    ga_buf key2;           /* second scratch key buffer */
    ga_buf key3;           /* third: the consonant key */
    /* per token of the document being resolved: its word key, word-list
     * bits and cue bits, each computed on first use (spans, cues and
     * context all ask about the same few tokens) */
    const ga_token *tok0;  /* the document's tokens */
    size_t ntok;
    ga_tok_memo *memo;
    size_t memo_cap;
    uint32_t memo_doc;     /* number of the document being resolved */
    ga_buf keys;           /* the memoised keys, back to back */
    /* ranked candidates of recent spans, by the postings they came from:
     * news repeats its names, and ranking a name's places reads up to
     * MAX_CANDIDATES scattered records of the index (resolve.c) */
    struct cand_memo *cmemo;
    /* recent name index answers by key hash, strict and phonetic: the
     * index's tables are large and sparse, so each probe there is a cache
     * and TLB miss, while a text's names and words repeat */
    struct lookup_memo *lmemo;
    /* distances of recent reasons by their coordinates (resolve.c) */
    struct dist_memo *dmemo;
    /* a document's span, candidate and anchor vectors, kept for the next
     * (resolve.c) */
    struct resolve_scratch *scratch;
    /* tokens of the document that name a person alone: "Putin said",
     * "President Putin" (resolve.c, find_person_words) */
    uint32_t *pw;
    size_t npw, pw_cap;
};

ga_rc ga_resolver_load(ga_resolver *r, const char *dir, ga_err *err);

#endif
