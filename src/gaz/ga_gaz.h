/*
 * ga_gaz.h: the gazetteer as the resolver and the gazetteer commands use
 * it. Two halves:
 *
 *  - the name index: a file beside the database (<db>.idx) holding every
 *    place record the resolver needs and two hash tables from name keys
 *    (strict and phonetic, see text/ga_text.h) to places, each with a
 *    small filter that answers most absent keys without a probe. It is built from
 *    the database and mapped read-only, so a cold start costs a page fault
 *    per lookup rather than a rebuild. It records the gazetteer generation
 *    it was built from; ga_gaz_open() rebuilds it when the database has
 *    changed since (a curator's add or alias takes effect on the next
 *    command without any separate step).
 *
 *  - importers (GeoNames dumps, OGR places and boundaries, the default
 *    gazetteer from the pinned data packages, the curated supplement) and
 *    curator operations; see ga_import.h.
 */
#ifndef GA_GAZ_H
#define GA_GAZ_H

#include "core/ga_core.h"
#include "gaz/ga_place.h"
#include "store/ga_store.h"

typedef struct ga_gaz ga_gaz;

/* One posting of a key: a place and how the name belongs to it. */
typedef struct {
    uint32_t place;      /* index of the place in the index (ga_gaz_place) */
    uint8_t name_kind;   /* ga_name_kind */
    uint8_t flags;       /* GA_HIT_* */
    uint16_t nwords;     /* words in the matched name key */
} ga_gaz_hit;

enum {
    GA_HIT_PHONETIC = 1 << 0,   /* found through the phonetic key */
    GA_HIT_ARABIC = 1 << 1,     /* the name is in Arabic script */
    GA_HIT_SKELETON = 1 << 2    /* found through the consonant key */
};

/* The tables of the index, by key (text/ga_text.h). */
enum { GA_KEY_STRICT = 0, GA_KEY_PHONETIC = 1, GA_KEY_SKELETON = 2 };

/* Path of the index file for a database path (malloc'd): "<db>.idx". */
char *ga_gaz_index_path(const char *db_path);

/* Build the index for st into idx_path (written to a temporary file and
 * renamed, so readers never see half an index). */
ga_rc ga_gaz_index_build(ga_store *st, const char *idx_path, ga_progress_fn progress,
                         void *parg, ga_err *err);

/* Copy the index of src_db beside dst_db (used by init). Missing source
 * index is not an error: it will be built on first use. */
ga_rc ga_gaz_index_copy(const char *src_db, const char *dst_db, ga_err *err);

/* Open the index of st, rebuilding it first when it is missing or stale. */
ga_rc ga_gaz_open(ga_store *st, ga_progress_fn progress, void *parg, ga_gaz **out,
                  ga_err *err);
void ga_gaz_close(ga_gaz *g);

uint32_t ga_gaz_nplaces(const ga_gaz *g);
/* Fill *out with place i (strings point into the mapped file). Every
 * string but gid and name is interned: equal values of two places are
 * the same pointer (the resolver compares codes by pointer). */
void ga_gaz_place(const ga_gaz *g, uint32_t i, ga_place *out);
/* Index of the place with places.id == id, or UINT32_MAX. */
uint32_t ga_gaz_find_id(const ga_gaz *g, int64_t id);

/* Look up a key in table GA_KEY_* (strict, phonetic or consonant key). Returns the
 * number of hits (0 when absent) and points *hits at them. *is_prefix (if
 * not NULL) is set to 1 when key followed by " " and more words begins
 * some longer name key, so a span finder knows whether to extend. */
size_t ga_gaz_lookup(const ga_gaz *g, int table, const char *key, size_t n,
                     const ga_gaz_hit **hits, int *is_prefix);
/* The same for a non-empty key whose ga_hash64 is hash. */
size_t ga_gaz_lookup_hash(const ga_gaz *g, int table, uint64_t hash, const ga_gaz_hit **hits,
                          int *is_prefix);

/* 0 when the index surely holds no key whose ga_hash64 is hash in table
 * GA_KEY_*, from the table's key filter; 1 when
 * it may. Never 0 for a key the index holds, name or word prefix of a
 * name. ga_gaz_lookup_hash asks it first. */
int ga_gaz_maybe_key(const ga_gaz *g, int table, uint64_t hash);
/* The keys of the index (all tables) that its filter refuses: 0 for any
 * index this code built (a test of the filter). */
uint64_t ga_gaz_filter_check(const ga_gaz *g);

/* Longest name key in words (bounds span search). */
unsigned ga_gaz_max_words(const ga_gaz *g);

#endif
