/*
 * ga_store_ann.h: storing annotated documents: the document, its mentions
 * and its events, in one transaction, so a killed annotate leaves either
 * the previous annotation of a document or the new one, never half.
 *
 * Idempotent: documents.content_hash is a hash of the text, the metadata
 * (title, url, source, date), the gazetteer generation and the geoannot
 * version. Storing a document whose doc_id already has that hash changes
 * nothing (GA_ANN_UNCHANGED); a changed document has its mentions and
 * events replaced (GA_ANN_REPLACED). Points are SpatiaLite geometries
 * MakePoint(lon, lat, 4326) in the geom columns (and plain lon/lat on
 * events, for CSV); unresolved mentions have no geometry.
 */
#ifndef GA_STORE_ANN_H
#define GA_STORE_ANN_H

#include "core/ga_core.h"
#include "events/ga_events.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store.h"
#include "text/ga_doc.h"

/* The document being stored (strings may be NULL except doc_id and text). */
typedef struct {
    const char *doc_id;     /* file stem or jsonl id */
    const char *title, *url, *source;
    const char *date;       /* YYYY-MM-DD or NULL */
    const char *path;       /* file it came from */
    const char *text;       /* the (repaired) text the offsets point into */
    size_t text_len;
    const char *hash;       /* its ga_store_ann_hash when already computed, or NULL */
    const char *lexicon;    /* ga_resolver_fingerprint of the data annotating it, or NULL */
} ga_ann_doc;

typedef enum {
    GA_ANN_INSERTED = 0,    /* a new document */
    GA_ANN_REPLACED,        /* the document changed: annotations replaced */
    GA_ANN_UNCHANGED        /* same content hash: nothing written */
} ga_ann_result;

/* Content hash of doc under gazetteer generation gen, with this
 * geoannot's version and doc->lexicon, as 16 hex digits: a document
 * whose stored hash differs is annotated again. */
void ga_store_ann_hash(const ga_ann_doc *doc, int64_t gen, char out[17]);

/* 1 in *unchanged when doc_id is stored with this hash (so the caller can
 * skip resolving it). */
ga_rc ga_store_ann_is_current(ga_store *st, const char *doc_id, const char *hash,
                              int *unchanged, ga_err *err);

/* Begin a batch transaction for ga_store_ann_put (in place of
 * ga_store_begin): the geometry checks, spatial index entries and
 * geometry timestamps of the rows it writes are done once for all of them
 * by ga_store_commit, in the same transaction, so other connections only
 * ever see complete indexes. End it with ga_store_commit or
 * ga_store_rollback. */
ga_rc ga_store_ann_begin(ga_store *st, ga_err *err);

/* Store doc with its mentions (res) and events (ev) in one transaction,
 * or, when the caller already holds a transaction (a batch of documents
 * opened with ga_store_begin), in one savepoint of it. force: replace even
 * when the hash is unchanged (--reannotate). On failure nothing of this
 * document is written (the rest of a batch stays) and err says why. */
ga_rc ga_store_ann_put(ga_store *st, const ga_ann_doc *doc, int64_t gen,
                       const ga_resolved *res, const ga_events *ev, int force,
                       ga_ann_result *result, ga_err *err);

/* Row ids (documents.id) of all stored documents, ascending, in a
 * malloc'd array (for `geoannot reannotate`, which hashes each again to
 * find those out of date). */
ga_rc ga_store_ann_stored_ids(ga_store *st, int64_t **ids, size_t *n, ga_err *err);

/* Stored document with row id `id` into doc (cleared first; its strings
 * are malloc'd, ga_doc_clear frees them). GA_ENOTFOUND when it is gone. */
ga_rc ga_store_ann_stored_doc(ga_store *st, int64_t id, ga_doc *doc, ga_err *err);

/* Counts of stored annotations (for summaries and tests). */
ga_rc ga_store_ann_counts(ga_store *st, int64_t *documents, int64_t *mentions,
                          int64_t *events, ga_err *err);

#endif
