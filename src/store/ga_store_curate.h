/*
 * ga_store_curate.h: a curator's view of the gazetteer tables: find one
 * place by gid or id, add a curated place, add a curated name, remove a
 * place, count what the gazetteer holds, and list the names documents
 * mention that resolved to no place. Coordinates are (lon, lat).
 *
 * Every function that writes runs in its own transaction (the caller must
 * not have one open) and bumps the gazetteer generation, so the name index
 * is rebuilt on its next use (ga_gaz_open) and the change takes effect
 * without any separate step. Rows a curator adds carry curated = 1, which
 * is what keeps them across a rebuild of the default gazetteer.
 */
#ifndef GA_STORE_CURATE_H
#define GA_STORE_CURATE_H

#include "core/ga_core.h"
#include "gaz/ga_place.h"
#include "store/ga_store.h"

/* ---- updating the default part ----------------------------------------- */

/* Merge the default gazetteer at default_path into st by gid, in one
 * transaction: its places, names and outlines replace the non-curated
 * rows of the same gid and new places are added; curated places and names
 * and other imports are kept. *places receives the default's place count. */
ga_rc ga_store_gaz_update_from(ga_store *st, const char *default_path, int64_t *places,
                               ga_err *err);

/* ---- one place -------------------------------------------------------- */

/* A place read from the database. place's strings point into the record
 * and live as long as it does. */
typedef struct ga_place_row {
    ga_place place;     /* the place; strings owned by this record */
    const char *note;   /* provenance or precision note, may be NULL */
    int64_t nnames;     /* rows in names for this place */
    int has_boundary;   /* 1 when boundaries holds an outline for it */
    ga_buf strs_;       /* private: storage of the strings */
} ga_place_row;

/* Find the place named by ref: a gid ("geonames:170018", "user:3") or a
 * decimal places.id ("4711"). GA_ENOTFOUND (with "no place 'ref' in the
 * gazetteer") when there is none; *out is NULL on any failure. */
ga_rc ga_store_place_get(ga_store *st, const char *ref, ga_place_row **out, ga_err *err);
void ga_place_row_free(ga_place_row *r);   /* NULL is harmless */

/* ---- curator's writes --------------------------------------------------- */

/* Add p as a curated place: gid "user:<n>" with n one more than any user
 * gid ever handed out in this database (so a removed place's gid is never
 * reused), source "user", curated = 1. p->name becomes its official name
 * and each of aliases[0..naliases) a curated name, all with curated = 1.
 * p->gid, p->source and p->curated are ignored; p->lon/p->lat must be in
 * range (GA_EINVAL otherwise). note may be NULL. On success *gid (if not
 * NULL) receives the new gid (malloc'd) and *id (if not NULL) places.id. */
ga_rc ga_store_curate_add(ga_store *st, const ga_place *p, const char *note,
                          const char *const *aliases, size_t naliases, char **gid,
                          int64_t *id, ga_err *err);

/* Add name (language lang, may be NULL) to place id as a curated name
 * (kind "curated", source "user", curated = 1). *added is 0 when the place
 * already had exactly this name as a curated name (nothing is written),
 * else 1. GA_ENOTFOUND when there is no place id. */
ga_rc ga_store_curate_alias(ga_store *st, int64_t id, const char *name, const char *lang,
                            int *added, ga_err *err);

/* Remove place id with its names and outline. A place that is not curated
 * came from an import and would come back with the next rebuild or
 * re-import, so it is refused (GA_EINVAL, the message says why) unless
 * force is set. GA_ENOTFOUND when there is no place id. */
ga_rc ga_store_curate_remove(ga_store *st, int64_t id, int force, ga_err *err);

/* ---- statistics --------------------------------------------------------- */

/* Called once per group; return 0 to stop (the function then returns
 * GA_ECANCEL). */
typedef int (*ga_count_cb)(const char *group, const char *subgroup, int64_t count,
                           void *arg);

/* Places counted by source and kind (group = source, subgroup = kind), in
 * source then kind order. */
ga_rc ga_store_places_by_source(ga_store *st, ga_count_cb cb, void *arg, ga_err *err);
/* Names counted by kind (group = names.kind, subgroup = NULL). */
ga_rc ga_store_names_by_kind(ga_store *st, ga_count_cb cb, void *arg, ga_err *err);
/* Rows a curator made: places and names with curated = 1. */
ga_rc ga_store_curated_counts(ga_store *st, int64_t *places, int64_t *names, ga_err *err);

/* ---- unresolved names --------------------------------------------------- */

/* One name documents mention that resolved to no place. */
typedef struct {
    const char *text;       /* the mention text as written */
    int64_t count;          /* mentions with this text */
    int64_t ndocs;          /* documents holding them */
    const char *doc_id;     /* one such document (documents.doc_id) */
    const char *sentence;   /* the sentence of one such mention, may be NULL */
} ga_unresolved;

typedef int (*ga_unresolved_cb)(const ga_unresolved *u, void *arg);

/* Call cb for the unresolved mention texts (mentions.place_id IS NULL),
 * most frequent first, then by text; at most limit of them (limit <= 0:
 * all). cb returns 0 to stop early (then GA_ECANCEL). No mentions is not
 * an error: cb is simply never called. */
ga_rc ga_store_unresolved_each(ga_store *st, long limit, ga_unresolved_cb cb, void *arg,
                               ga_err *err);

#endif
