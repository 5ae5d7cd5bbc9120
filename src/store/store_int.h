/*
 * store_int.h: internals shared by the files of src/store only. Gives them
 * the sqlite3 handle and the helpers that turn SQLite errors into ga_err.
 */
#ifndef GA_STORE_INT_H
#define GA_STORE_INT_H

#include <math.h>
#include <sqlite3.h>
#include "store/ga_store.h"

struct ga_store {
    sqlite3 *db;        /* open connection with SpatiaLite loaded */
    char *path;         /* file name as given */
    int flags;          /* GA_STORE_* flags used to open */
    int in_txn;         /* 1 between begin and commit/rollback */
    struct ga_ann_stmts *ann; /* annotate's statements, prepared on first use */
    int has_cells;      /* 1: event_cells is there and kept (schema 3 on) */
    sqlite3_stmt *cells_clear, *cells_fill; /* ga_store_cells_fill's, prepared on first use */
};

typedef struct ga_ann_stmts ga_ann_stmts;

/* SQL for the sentence of mention m (alias) from its document d (alias):
 * mentions keep the byte offsets of their sentence (sent_start, sent_end)
 * rather than a copy of it; NULL when they have none. */
#define GA_MENTION_SENTENCE_SQL(m, d)                                                  \
    "CAST(substr(CAST(" d ".text AS BLOB), " m ".sent_start + 1, " m ".sent_end - "   \
    m ".sent_start) AS TEXT)"

/* Finalize the statements ann_store.c keeps on st (NULL is harmless);
 * ga_store_close calls it. */
void ga_store_ann_release(ga_store *st);
/* In a batch opened by ga_store_ann_begin: check the geometries of the
 * rows it wrote, add them to the spatial indexes, stamp
 * geometry_columns_time and empty ann_batch (what the triggers skipped);
 * a no-op otherwise. ga_store_commit calls it before COMMIT. */
ga_rc ga_store_ann_flush(ga_store *st, ga_err *err);
/* The transaction is rolled back: forget the batch. */
void ga_store_ann_abandon(ga_store *st);

/* ---- event_cells (event_cells.c) ------------------------------------------ */

/* The grid of event_cells: cells per degree, rows (latitude) and columns
 * (longitude) over the world; a cell's number is row * GA_CELLS_COLS +
 * column. */
#define GA_CELLS_PER_DEG 100
#define GA_CELLS_ROWS 18000
#define GA_CELLS_COLS 36000
/* The row and column of the cell a point at this latitude / longitude is
 * stored in: the same number as the SQL of the triggers, clamped to the
 * grid, and never decreasing as lat / lon grows. */
int64_t ga_cells_row(double lat);
int64_t ga_cells_col(double lon);
/* The fields of event_cells.rec, in order; T a text, I an integer. */
#define GA_CELLS_REC_FIELDS "ITTTTIITTTTTTTTTTTTITT"
/* Create event_cells, its index and its triggers, and fill it from events
 * (needs SpatiaLite; the caller holds a write transaction). */
ga_rc ga_store_cells_create(ga_store *st, ga_err *err);
/* Make the entries of the events from id from_id on again: what an
 * annotate batch's insert trigger skipped. */
ga_rc ga_store_cells_fill(ga_store *st, int64_t from_id, ga_err *err);

/* Translate an SQLite result code into a ga_err with context; returns the
 * ga_rc (GA_EFULL for SQLITE_FULL, else GA_EDB). */
ga_rc ga_store_fail(ga_store *st, ga_err *err, int src, const char *what);
/* Prepare sql on st, reporting failure in err. */
ga_rc ga_store_prepare(ga_store *st, const char *sql, sqlite3_stmt **stmt, ga_err *err);
/* Run sql with no parameters and no results. */
ga_rc ga_store_exec(ga_store *st, const char *sql, ga_err *err);
/* Bind a text that may be NULL (binds NULL) or empty (binds NULL when
 * empty_null). */
int ga_store_bind_text(sqlite3_stmt *s, int i, const char *v, int empty_null);

/* A REAL column, NaN when NULL. */
static inline double ga_col_double_or_nan(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? (double)NAN : sqlite3_column_double(s, i);
}

#endif
