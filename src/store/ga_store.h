/*
 * ga_store.h: the geoannot database. One SQLite file with SpatiaLite
 * loaded holds the gazetteer (places, names, boundaries) and the
 * annotations (documents, mentions, events). SRID 4326 everywhere;
 * coordinates are passed as (lon, lat).
 *
 * Every write goes through a transaction opened with ga_store_begin() and
 * ended with ga_store_commit() or ga_store_rollback(), so a failed or killed
 * import leaves the previous state. The database runs in WAL mode with a
 * busy timeout, so several processes can write one file in turn.
 *
 * A store's connection has no mutex: one thread at a time may use it
 * (threads that write in parallel each open their own store).
 *
 * The schema version lives in PRAGMA user_version; ga_store_open()
 * upgrades older files in place. This module is the only includer of
 * sqlite3.h; other modules reach the database through the functions here
 * and in the other ga_store_*.h headers.
 */
#ifndef GA_STORE_H
#define GA_STORE_H

#include "core/ga_core.h"

typedef struct ga_store ga_store;

enum {
    GA_STORE_READONLY = 1 << 0,   /* open read-only; fail if missing */
    GA_STORE_CREATE   = 1 << 1,   /* create the file and schema if missing */
    GA_STORE_BULK     = 1 << 2,   /* bulk-load pragmas (big cache) */
    GA_STORE_PLAIN    = 1 << 3,   /* do not load SpatiaLite: for readers that use no
                                     spatial SQL (resolve, gazetteer search), which
                                     then start faster; needs an existing database */
    GA_STORE_SCAN     = 1 << 4    /* whole-table reads (exports): the file is
                                     memory-mapped, so pages are read without a
                                     copy through the page cache */
};

/* Load SpatiaLite on a store opened with GA_STORE_PLAIN (harmless when it
 * is loaded), for a reader that finds it needs spatial SQL after all. Call
 * it while no statement of st is running. */
ga_rc ga_store_need_spatial(ga_store *st, ga_err *err);

#define GA_SCHEMA_VERSION 7

/* Open (and with GA_STORE_CREATE, create) the database at path, load
 * SpatiaLite, apply the schema or upgrade it. On failure *out is NULL and
 * err says why ("cannot open database 'x': ..."). */
ga_rc ga_store_open(const char *path, int flags, ga_store **out, ga_err *err);
void ga_store_close(ga_store *st);   /* NULL is harmless */

const char *ga_store_path(const ga_store *st);

ga_rc ga_store_begin(ga_store *st, ga_err *err);     /* BEGIN IMMEDIATE */
ga_rc ga_store_commit(ga_store *st, ga_err *err);
void ga_store_rollback(ga_store *st);                /* harmless outside a txn */

/* Every commit packs again the event block segments its writes marked
 * (schema 6 on, event_blocks.c): in a run of commits that add to many blocks,
 * each block's last segment (up to GA_BLOCK_SEG_BYTES) for a few events.
 * With on = 1 a commit packs them only when due: at least
 * GA_BLOCKS_DEFER_FACTOR times as long after the last packing commit as
 * its packing and COMMIT took, so packing takes about
 * 1 / GA_BLOCKS_DEFER_FACTOR of the run at most; the marks wait meanwhile
 * (readers pack marked segments in memory, as correct and as fast as
 * event_cells). on = 0 (the default) packs at every commit. A writer that
 * defers calls ga_store_blocks_settle() at its end. */
#define GA_BLOCKS_DEFER_FACTOR 10
void ga_store_blocks_defer(ga_store *st, int on);
/* Pack the blocks that deferring commits left marked, in a transaction of
 * its own; a no-op when none was left (or the store has no blocks). Call
 * it outside a transaction. */
ga_rc ga_store_blocks_settle(ga_store *st, ga_err *err);

/* Bulk loading into a (nearly) empty database: on = 1 switches to a
 * rollback journal, which writes each new page once where the write-ahead
 * log writes it twice; on = 0 switches back to WAL. Returns 1 when the
 * switch happened (it cannot while another connection has the file open;
 * the database then stays in WAL mode, which is just slower). Call outside
 * a transaction. */
int ga_store_bulk_journal(ga_store *st, int on);

/* Gazetteer generation: a counter bumped in every transaction that
 * changes places or names, so derived files (the name index) know when
 * they are stale. */
ga_rc ga_store_gaz_generation(ga_store *st, int64_t *gen, ga_err *err);
ga_rc ga_store_gaz_bump(ga_store *st, ga_err *err);

/* Key/value metadata (meta table). get returns GA_ENOTFOUND when absent;
 * *value is malloc'd. */
ga_rc ga_store_meta_get(ga_store *st, const char *key, char **value, ga_err *err);
ga_rc ga_store_meta_set(ga_store *st, const char *key, const char *value, ga_err *err);

/* Resolve the database path: explicit path, else $GEOANNOT_DB, else
 * ./geoannot.sqlite. Returns a pointer to a static or argument string. */
const char *ga_store_default_path(const char *explicit_path);

#endif
