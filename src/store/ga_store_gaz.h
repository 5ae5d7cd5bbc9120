/*
 * ga_store_gaz.h: gazetteer tables (places, names, boundaries,
 * admin_crosswalk) in the database. Reading for the name index, writing
 * for importers and curators. Coordinates are (lon, lat).
 */
#ifndef GA_STORE_GAZ_H
#define GA_STORE_GAZ_H

#include "core/ga_core.h"
#include "gaz/ga_place.h"
#include "store/ga_store.h"

/* ---- reading (gaz_read.c) --------------------------------------------- */

/* Call cb for every place, in id order. cb returns 0 to stop early (then
 * GA_ECANCEL is returned). */
typedef int (*ga_place_cb)(const ga_place *p, void *arg);
ga_rc ga_store_places_each(ga_store *st, ga_place_cb cb, void *arg, ga_err *err);

/* Call cb for every name: the rows of names (in place_id order), then the
 * names packed in places.alt_names by GeoNames imports, unpacked (the
 * place's own name as official, then each alternate). kind is the
 * names.kind text; lang may be NULL. */
typedef int (*ga_name_cb)(int64_t place_id, const char *name, const char *lang,
                          const char *kind, void *arg);
ga_rc ga_store_names_each(ga_store *st, ga_name_cb cb, void *arg, ga_err *err);

/* Count rows: places, names, boundaries. */
ga_rc ga_store_gaz_counts(ga_store *st, int64_t *places, int64_t *names,
                          int64_t *boundaries, ga_err *err);

/* ---- writing (gaz_write.c) -------------------------------------------- */

/* A writer holds the prepared insert statements for a bulk load; use it
 * inside ga_store_begin()/ga_store_commit(). */
typedef struct ga_gaz_writer ga_gaz_writer;
ga_rc ga_gaz_writer_new(ga_store *st, ga_gaz_writer **out, ga_err *err);
void ga_gaz_writer_free(ga_gaz_writer *w);   /* NULL is harmless */

/* Insert the place p, or update it when a place with the same gid exists
 * (its names from p->source are then removed so that re-importing a file
 * does not duplicate them). p->lon/p->lat must be valid. note may be NULL.
 * *id receives places.id. */
ga_rc ga_gaz_writer_place(ga_gaz_writer *w, const ga_place *p, const char *note,
                          int64_t *id, ga_err *err);
/* Add one name of a place. Exact duplicates (same place, name and kind)
 * are ignored. */
ga_rc ga_gaz_writer_name(ga_gaz_writer *w, int64_t place_id, const char *name,
                         const char *lang, ga_name_kind kind, const char *source,
                         int curated, ga_err *err);
/* Set the outline of an admin place from WKB (any polygon type; stored as
 * MULTIPOLYGON, SRID 4326). */
ga_rc ga_gaz_writer_boundary(ga_gaz_writer *w, int64_t place_id, const char *level,
                             const char *pcode, const char *source,
                             const unsigned char *wkb, size_t wkb_len, ga_err *err);

/* Find the place with the given gid: *id receives places.id, or
 * GA_ENOTFOUND is returned (err untouched) when there is none. */
ga_rc ga_gaz_writer_find(ga_gaz_writer *w, const char *gid, int64_t *id, ga_err *err);

/* Bulk mode, for importers of large files (call right after _new, inside
 * the transaction): names are written in multi-row batches, and when
 * defer_indexes is set the secondary indexes of places and names (and
 * SpatiaLite's per-row insert triggers on places.geom) are dropped now and
 * rebuilt by ga_gaz_writer_finish(), which is much faster
 * for a large load into a small gazetteer (while deferred, updating an
 * existing place scans the names table). Callers must call
 * ga_gaz_writer_finish() before committing; a writer freed without it
 * discards its buffered names (the caller is rolling back). */
ga_rc ga_gaz_writer_bulk(ga_gaz_writer *w, int defer_indexes, ga_err *err);
/* Write buffered names, rebuild deferred indexes and leave bulk mode.
 * Harmless on a writer that is not in bulk mode. */
ga_rc ga_gaz_writer_finish(ga_gaz_writer *w, ga_err *err);

/* Places and names written by this writer so far (inserted or updated). */
void ga_gaz_writer_counts(const ga_gaz_writer *w, int64_t *places, int64_t *names);

/* ---- admin crosswalk and derived columns (gaz_write.c) ----------------- */

/* Record that GeoNames admin1 code admin1_code (e.g. SY.11) of country is
 * the OCHA admin1 P-code admin1_pcode (SY04), named name. Replaces an
 * existing row for the same country and code. */
ga_rc ga_store_crosswalk_set(ga_store *st, const char *country, const char *admin1_code,
                             const char *admin1_pcode, const char *name, ga_err *err);
/* Apply the crosswalk to places: fill admin1_pcode from admin1_code where
 * it is missing, and admin1_code from admin1_pcode (OCHA rows) where that
 * is missing. *updated (if not NULL) receives the rows changed. */
ga_rc ga_store_crosswalk_apply(ga_store *st, int64_t *updated, ga_err *err);
/* Fill places.admin1 (the first-level admin name) where it is NULL, from
 * the adm1 place carrying the same admin1_code (the lowest id wins, so the
 * first source imported names it). *updated (if not NULL) receives the rows
 * changed. */
ga_rc ga_store_gaz_fill_admin1(ga_store *st, int64_t *updated, ga_err *err);

/* Bounding boxes (W, S, E, N in degrees) of the country outlines in
 * boundaries (level 'country'), for plausibility checks of imported
 * coordinates. cb is called once per country with its ISO alpha-2 code. */
typedef void (*ga_bbox_cb)(const char *country, double west, double south, double east,
                           double north, void *arg);
ga_rc ga_store_country_bboxes(ga_store *st, ga_bbox_cb cb, void *arg, ga_err *err);

/* Make the database file self-contained for copying: checkpoint the WAL
 * into the main file and switch the journal to DELETE mode, so that after
 * ga_store_close() no -wal/-shm file remains. Call outside a transaction. */
ga_rc ga_store_gaz_finish(ga_store *st, ga_err *err);

#endif
