/*
 * events_int.h: internals of the event extractor shared by its files
 * (and by tests/unit/test_events.c, which checks each concern on small
 * hand-made sentences).
 *
 *   lexicon.c   loading the TSV files into patterns; token matching
 *   triggers.c  trigger words of a sentence
 *   status.c    reported / threatened / denied for a trigger and a place
 *   roles.c     site / origin / destination, and places that are no event place
 *   dates.c     event dates from the document date and the sentence
 *   counts.c    people counts
 *   actors.c    actor names of a sentence
 *   extract.c   the driver: sentences, attaching places to triggers, dedup
 */
#ifndef GA_EVENTS_INT_H
#define GA_EVENTS_INT_H

#include "events/ga_events.h"

/* Words in a pattern at most. */
#define EV_PAT_MAX 8

/* A sequence of lower-case words matched against tokens. A word ending in
 * '*' matches any token starting with it ("displac*"); an all-capitals
 * word of 2+ letters ("UN") matches only the same capitals. */
typedef struct {
    char *w[EV_PAT_MAX];         /* words (lower case unless all-caps) */
    unsigned char prefix[EV_PAT_MAX]; /* 1: word is a prefix */
    unsigned char exact_case[EV_PAT_MAX]; /* 1: match case exactly */
    size_t wlen[EV_PAT_MAX];     /* strlen of each word */
    int nw;                      /* words in use */
} ev_pattern;

/* Triggers (events_triggers.tsv). A generic movement verb ("left",
 * "leaving") has type EV_TYPE_MOVEMENT and takes the type of the other
 * movement triggers of its sentence ("pressured into leaving X ... expelled
 * from X": forced displacement), else flight. */
#define EV_TYPE_MOVEMENT GA_EV_TYPE_COUNT
enum { EV_NEED_ANY = 0, EV_NEED_PLACE = 1, EV_NEED_PEOPLE = 2 };
typedef struct {
    ev_pattern p;
    ga_event_type type;
    int need;                    /* EV_NEED_*: "left" only counts before a place,
                                    "reached" also only with a count of people */
} ev_trigger;

/* Status cues (events_status.tsv). */
enum { EV_SCOPE_NEAR = 0, EV_SCOPE_SENTENCE = 1 };
typedef struct {
    ev_pattern p;
    ga_event_status status;
    int scope;                   /* near: within EV_NEAR_TOKENS before the trigger */
} ev_status_cue;

/* Role cues (events_roles.tsv). */
enum {
    EV_CUE_SITE = 0,             /* "in X", "of X" */
    EV_CUE_ORIGIN,               /* "from X", "left X" */
    EV_CUE_DESTINATION,          /* "to X", "bound for X" */
    EV_CUE_DESCRIPTOR,           /* "town", "northern", "the": skipped */
    EV_CUE_LIST,                 /* ",", "and", "&": joins a list of places */
    EV_CUE_MEDIATOR,             /* "under the auspices of X", "talks in X" */
    EV_CUE_TREATY,               /* "X ceasefire agreement", "X talks" */
    EV_CUE_REFERENCE,            /* "40 km northwest of X": a reference point */
    EV_CUE_SPEAKER,              /* "officials in X said": where the speakers are */
    EV_CUE_KIND_COUNT
};
typedef struct {
    ev_pattern p;
    int kind;                    /* EV_CUE_* */
} ev_role_cue;

/* Actors (actors.tsv). */
typedef struct {
    ev_pattern p;
    char *name;                  /* canonical name reported */
} ev_actor;

/* People-count words (events_counts.tsv). */
enum {
    EV_CNT_NOUN = 0,             /* people, families, civilians ... */
    EV_CNT_APPROX,               /* about, around, some ... */
    EV_CNT_MIN,                  /* more than, over, at least ... */
    EV_CNT_MAX,                  /* up to, fewer than ... */
    EV_CNT_MULT,                 /* thousand (value 1000), million */
    EV_CNT_VAGUE,                /* hundreds (value = the lower bound, 200) */
    EV_CNT_VERB,                 /* "have fled": a count with no noun still counts */
    EV_CNT_MODIFIER,             /* "internally": may stand between a number and its noun */
    EV_CNT_EXACT,                /* another, a further: a number as stated */
    EV_CNT_KIND_COUNT
};
typedef struct {
    ev_pattern p;
    int kind;                    /* EV_CNT_* */
    int64_t value;               /* for MULT and VAGUE */
} ev_count_word;

struct ga_events_lex {
    GA_VEC(ev_trigger) triggers;
    /* Triggers by the lower-cased first byte of their first word: the
     * first index in trig_head[byte], the next in trig_next[index], -1
     * ending a chain; indices ascend along a chain. */
    long trig_head[256];
    long *trig_next;
    GA_VEC(ev_status_cue) status;
    GA_VEC(ev_role_cue) roles;
    GA_VEC(ev_actor) actors;
    GA_VEC(ev_count_word) counts;
};

/* Tokens before a trigger searched for negation ("would not be forced out"). */
#define EV_NEAR_TOKENS 3
/* Farthest a place may be from its trigger, in tokens. */
#define EV_ATTACH_TOKENS 40
/* A trigger that needs a place ("left") needs one within this many tokens
 * after it; after an Arabic trigger, after the people counted right after
 * it ("عاد مئات النازحين إلى ...", hundreds of displaced returned to ...). */
#define EV_NEED_PLACE_TOKENS 6
/* A following trigger wins over a preceding one only when nearer by this factor. */
#define EV_FOLLOWING_PENALTY 1.5

/* What a matcher sees: the text and its tokens. */
typedef struct {
    const char *text;
    const ga_tokens *toks;
} ev_src;

/* Tokens matched by p starting at token i (not past last), or 0. */
int ev_match_at(const ev_src *s, const ev_pattern *p, size_t i, size_t last);
/* Tokens matched by p ending at token j (not before first), or 0. */
int ev_match_ending(const ev_src *s, const ev_pattern *p, size_t j, size_t first);
/* 1 when the one-word pattern p matches token i less its first skip bytes
 * (a letter joined to an Arabic word), byte for byte. */
int ev_match_joined(const ev_src *s, const ev_pattern *p, size_t i, size_t skip);
/* Lower-cased first byte of token i (the byte a pattern word must start
 * with, apart from a typographic apostrophe, 0xE2, which matches '). */
unsigned char ev_tok_first(const ev_src *s, size_t i);
/* Lower-case ASCII copy of token i into buf (typographic apostrophes
 * become '); returns its length. */
size_t ev_tok_lower(const ev_src *s, size_t i, char *buf, size_t cap);

/* A trigger found in a sentence. */
typedef struct {
    size_t first, last;          /* token range */
    const ev_trigger *t;         /* lexicon entry */
    int usable;                  /* need satisfied */
} ev_trig_hit;
typedef GA_VEC(ev_trig_hit) ev_trig_hits;

/* Triggers in tokens [first, last], longest match at each position. */
ga_rc ev_find_triggers(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
                       ev_trig_hits *out);

/* Status of an event with trigger hit tr for a place starting at token
 * place_tok, in the sentence starting at sent_first. *cue is the cue
 * matched, NULL when none. */
ga_event_status ev_status(const ga_events_lex *lx, const ev_src *s, size_t sent_first,
                          const ev_trig_hit *tr, size_t place_tok, const ev_pattern **cue);
/* The phrase of p written out ("any attempt"), into buf. */
const char *ev_pattern_str(const ev_pattern *p, char *buf, size_t cap);

/* Role of mention k among res's mentions, within sentence [first, last].
 * Returns GA_ROLE_* or -1 when the mention is not an event place here
 * (container, treaty name, mediator); *why says which cue decided. */
int ev_role(const ga_events_lex *lx, const ev_src *s, const ga_resolved *res, size_t k,
            size_t first, size_t last, char *why, size_t why_cap);

/* Date of an event in sentence [first, last] near token at, from doc_date
 * (YYYY-MM-DD or NULL). out gets YYYY-MM-DD or ""; returns the time
 * precision (1 day, 2 week, 3 month, 0 unknown). */
int ev_date(const ev_src *s, size_t first, size_t last, size_t at, const char *doc_date,
            char out[11]);
/* Days since 1970-01-01 of a valid YYYY-MM-DD; INT32_MIN when invalid. */
long ev_days_from_date(const char *ymd);
void ev_date_from_days(long days, char out[11]);

/* People count of sentence [first, last], whose triggers are hits; -1
 * when none. */
int64_t ev_people(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
                  const ev_trig_hits *hits, ga_people_qual *qual);

/* Tokens of the people counted from token i on, through their noun
 * ("مئات النازحين", hundreds of displaced; "نحو ١٥٠٠ شخص", about 1,500
 * people; "5,000 people"); 0 when no count starts at i (not past last). */
size_t ev_people_len(const ga_events_lex *lx, const ev_src *s, size_t i, size_t last);

/* Actors named in [first, last] (canonical names, no duplicates). */
int ev_actors(const ga_events_lex *lx, const ev_src *s, size_t first, size_t last,
              const char **out, int max);

#endif
