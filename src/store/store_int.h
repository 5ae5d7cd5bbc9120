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
    int has_blocks;     /* 1: event_blocks is there and kept (schema 4 on) */
    sqlite3_stmt *blocks_read, *blocks_seek; /* ga_store_blocks_pack's reads of event_cells
                                                (by cell ranges, by cell), prepared on first use */
    sqlite3_stmt *blocks_segs;  /* ga_store_blocks_dirty_spans' read of a block's segments */
    size_t blocks_cap;  /* bytes a segment's blobs may take (0: not read yet; event_blocks.c) */
    struct ga_blocks_mem *blocks_mem; /* query_blocks.c's memory, kept between queries */
    int blocks_defer;   /* 1: commits pack marked blocks only when due (ga_store_blocks_defer) */
    int blocks_left;    /* 1: a committed transaction left its marked blocks for later */
    double blocks_due;  /* ga_now() from which a deferring commit packs again */
};

typedef struct ga_ann_stmts ga_ann_stmts;
typedef struct ga_blocks_mem ga_blocks_mem;

/* Free the memory query_blocks.c keeps on st (NULL is harmless);
 * ga_store_close calls it. */
void ga_query_blocks_release(ga_store *st);

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

/* ---- event_blocks (event_blocks.c) ---------------------------------------- */

/* A block is GA_BLOCK_CELLS x GA_BLOCK_CELLS cells of event_cells (0.1
 * degree); its number is block row * GA_BLOCKS_COLS + block column, the
 * row and column being those of its cells divided by GA_BLOCK_CELLS. */
#define GA_BLOCK_CELLS 10
#define GA_BLOCKS_COLS (GA_CELLS_COLS / GA_BLOCK_CELLS)
#define GA_BLOCKS_ROWS (GA_CELLS_ROWS / GA_BLOCK_CELLS)

/* A segment of event_blocks is two blobs. event_blocks.data holds what
 * listings read, in one 64-byte line an event wherever the segment's
 * events share texts:
 *
 *   a ga_block_head (64 bytes);
 *   head.n ga_block_rec records (64 bytes each) in id order (then cell);
 *   head.nwhat entries of the table of event words (type, status,
 *   trigger, role: 4 text offsets each) and head.nwhere entries of the
 *   table of admin texts (place_gid, kind, country, admin1, admin1_pcode,
 *   admin2, admin2_pcode, 0: 8 offsets each), which records name by
 *   number;
 *   the texts, each once per segment, each its bytes and a NUL (a
 *   date only when the sort key cannot give it);
 *   zeros to a multiple of 8, then the extra parts of the records that
 *   have one (8-aligned): the id when the sort key holds none
 *   (GA_BEV_ID), lon and lat when they are not x and y (GA_BEV_POINT),
 *   origin_lon, origin_lat, dest_lon, dest_lat as the GA_BEV_ORIGIN_LON..
 *   bits say, in that order, 8 bytes each.
 *
 * A text offset counts from the blob's start; 0 is NULL. event_blocks.cold
 * (empty when no event has one) holds the long texts a table listing
 * never shows (actors, sentence, reason): per event that has one, at its
 * record's cold, 8-aligned, a ga_block_cold and the texts at its off[]
 * (0: NULL), zeros to its len. A reader finds every text by its offset,
 * without walking the others, and reads the cold blob only when the
 * caller shows a cold column. A value the record cannot hold (a document
 * id past 32 bits, people past 31, a precision past 255, a segment of
 * more than 65,535 table entries) flags the segment GA_BLOCK_ROWS.
 * Numbers in the byte order of the machine that packed it (a block from
 * another byte order fails the magic test and the query reads
 * event_cells instead). */
#define GA_BLOCK_MAGIC 0x34424147u  /* "GAB4" on a little-endian machine */
enum {
    GA_BLOCK_ROWS = 1   /* head.flags: an event needs event_cells' own SQL filters
                           (a filter column of unusual type, a damaged rec, a value
                           the record cannot hold) */
};
typedef struct {
    uint32_t magic;     /* GA_BLOCK_MAGIC */
    uint32_t n;         /* events */
    uint32_t flags;     /* GA_BLOCK_* */
    uint32_t nwhat;     /* entries of the table of event words */
    uint32_t nwhere;    /* entries of the table of admin texts */
    uint32_t pad[11];   /* 0 */
} ga_block_head;
typedef struct {
    double x, y;        /* the point of events.geom (event_cells.x, y) */
    uint64_t key;       /* the sort key: day << 34 | id (ga_block_day), or UINT64_MAX
                           when the date or id has no such key (GA_BEV_ID) */
    uint32_t doc;       /* events.document_id (NULL: 0) */
    int32_t people;     /* NULL: -1 */
    uint32_t date;      /* text offset of the date when the key is UINT64_MAX; else 0:
                           the date is the key's day (ga_block_day_text) */
    uint32_t place_name, origin_name, dest_name;   /* text offsets; 0: NULL */
    uint32_t cold;      /* offset of the cold part in the cold blob; GA_BLOCK_NO_COLD:
                           actors, sentence and reason are NULL */
    uint32_t extra;     /* offset of the extra part (0: none) */
    uint16_t what;      /* entry of the table of event words */
    uint16_t where;     /* entry of the table of admin texts */
    uint8_t time_precision, geo_precision;   /* NULL: 0, as sqlite3_column_int */
    uint16_t bits;      /* GA_BEV_* */
} ga_block_rec;
#define GA_BLOCK_NO_COLD UINT32_MAX
/* The texts of an event (GA_BT_*): in the record, in the two tables, in
 * the cold part. */
enum {
    GA_BT_DATE, GA_BT_PLACE_NAME, GA_BT_ORIGIN_NAME, GA_BT_DEST_NAME,
    GA_BT_TYPE, GA_BT_STATUS, GA_BT_TRIGGER, GA_BT_ROLE,
    GA_BT_PLACE_GID, GA_BT_KIND, GA_BT_COUNTRY, GA_BT_ADMIN1, GA_BT_ADMIN1_PCODE,
    GA_BT_ADMIN2, GA_BT_ADMIN2_PCODE,
    GA_BT_HOT,
    GA_BT_ACTORS = GA_BT_HOT, GA_BT_SENTENCE, GA_BT_REASON,
    GA_BT_COUNT
};
#define GA_BT_WHAT GA_BT_TYPE    /* the first of the 4 texts of the table of event words */
#define GA_BT_WHERE GA_BT_PLACE_GID   /* the first of the 7 of the table of admin texts */
enum { GA_BLOCK_WHAT = 4, GA_BLOCK_WHERE = 8 };   /* offsets an entry of each table */
typedef struct {
    uint32_t off[GA_BT_COUNT - GA_BT_HOT];   /* offset of cold text i from the part's
                                                start; 0: NULL */
    uint32_t len;       /* bytes of the part, a multiple of 8 */
} ga_block_cold;
_Static_assert(sizeof(ga_block_head) == 64 && sizeof(ga_block_rec) == 64 &&
               sizeof(ga_block_cold) == 16, "event_blocks layout");
enum {
    GA_BEV_ORIGIN_LON = 1u << 0, GA_BEV_ORIGIN_LAT = 1u << 1, /* else NULL (NaN) */
    GA_BEV_DEST_LON = 1u << 2, GA_BEV_DEST_LAT = 1u << 3,
    GA_BEV_GP_NULL = 1u << 4,   /* event_cells.geo_precision is NULL (fails --min-precision) */
    GA_BEV_ID = 1u << 5,        /* the id is in the extra part, not the key */
    GA_BEV_POINT = 1u << 6      /* lon, lat are in the extra part; else x, y */
};
/* The 8-byte words of the extra part of a record of bits b (the set
 * bits of its low four counted through a table in a word: no popcount
 * instruction needed). */
static inline unsigned ga_block_extra_words(unsigned b)
{
    return !!(b & GA_BEV_ID) + 2u * !!(b & GA_BEV_POINT) +
           (unsigned)(0x4332322132212110u >> 4 * (b & 15u) & 15u);
}
/* The day of a sort key: for a date YYYY-MM-DD with month 01-12 and day
 * 01-31, (YYYY * 12 + MM - 1) * 31 + DD - 1, which orders as the date
 * text does and takes few bits (a decade of dates spans about 3,700
 * values); GA_BLOCK_UNDATED (after every date) for an event without one. */
#define GA_BLOCK_UNDATED ((uint64_t)1 << 22)
#define GA_BLOCK_ID_BITS 34
/* The date YYYY-MM-DD of a day of a sort key below GA_BLOCK_UNDATED
 * into out (11 bytes, its NUL): the one text that gives that day. */
static inline void ga_block_day_text(uint64_t day, char out[11])
{
    unsigned d = (unsigned)(day % 31) + 1, m = (unsigned)(day / 31 % 12) + 1;
    unsigned y = (unsigned)(day / 372);
    out[0] = (char)('0' + y / 1000 % 10);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = 0;
}
/* The block of a point's event_cells cell (row, column as ga_cells_*). */
static inline int64_t ga_block_of(int64_t cell_row, int64_t cell_col)
{
    return cell_row / GA_BLOCK_CELLS * GA_BLOCKS_COLS + cell_col / GA_BLOCK_CELLS;
}
/* A segment's blobs (data and cold together) stay within
 * GA_BLOCK_SEG_BYTES (unless one event alone is larger): what a commit adding to a block packs again, and the
 * granularity a query reads. Small enough that packing a block's last
 * segment at every annotate batch costs little, large enough that a
 * governorate is a few hundred rows. GA_BLOCK_SEG_MAX bounds the cap
 * that $GEOANNOT_BLOCK_BYTES may set (event_blocks.c). */
#define GA_BLOCK_SEG_BYTES ((size_t)64 << 10)
#define GA_BLOCK_SEG_MAX ((size_t)64 << 20)
/* Part of a block: the events of block blk whose id is in [id_lo, id_hi],
 * which is the range of its segment seg when has_seg (INT64_MIN for the
 * block's first segment, INT64_MAX for its last), or the whole block. */
typedef struct {
    int64_t blk;        /* block number */
    int has_seg;        /* 1: the range of the segment keyed (blk, seg) */
    int64_t seg;        /* its lo */
    int64_t id_lo, id_hi;   /* the event ids, inclusive */
    int64_t mark_min;   /* the lowest id of the marks that fell in it */
    int64_t nsegs;      /* segments of the block (0: none) */
} ga_block_span;
typedef GA_VEC(ga_block_span) ga_block_spans;
/* One segment of a pack: bytes [off, off + len) of the pack's buffer
 * (data), bytes [cold_off, cold_off + cold_len) of its cold buffer (cold). */
typedef struct {
    int64_t lo;         /* its lowest event id: its key */
    int64_t n;          /* events in it */
    size_t off, len;
    size_t cold_off, cold_len;
} ga_block_piece;
typedef GA_VEC(ga_block_piece) ga_block_pieces;
/* Create event_blocks, event_blocks_dirty and the triggers on event_cells
 * that mark blocks dirty (dropping those of any older layout first), and
 * pack every block (the caller holds a write transaction; needs
 * event_cells, not SpatiaLite). */
ga_rc ga_store_blocks_create(ga_store *st, ga_err *err);
/* Pack the events of span sp from the rows of event_cells as this
 * connection sees them into out and cold (both reset first): in id order,
 * split into segments of at most cap bytes each (data and cold together;
 * one event at least), which *pieces lists (emptied first; no piece when
 * there is no row). A blob is flagged
 * GA_BLOCK_ROWS when one of its rows needs event_cells' SQL (a row whose
 * rec is damaged has no record, only that flag). A block of one segment
 * or none is read by its ranges of cells, a part of a larger one by the
 * ids in each cell. */
ga_rc ga_store_blocks_pack(ga_store *st, const ga_block_span *sp, size_t cap, ga_buf *out,
                           ga_buf *cold, ga_block_pieces *pieces, ga_err *err);
/* Append to out the marked parts of block blk, given the ids n of its
 * marks name in ascending order: the range of each segment of the block
 * that one of the ids falls in, in order, or the whole block when it has
 * no segment. */
ga_rc ga_store_blocks_dirty_spans(ga_store *st, int64_t blk, const int64_t *ids, size_t n,
                                  ga_block_spans *out, ga_err *err);
/* Pack again every marked segment (and marked block without segments)
 * and clear the marks; the caller holds a write transaction
 * (ga_store_commit calls it before COMMIT; queries never do: they pack
 * marked segments in memory). */
ga_rc ga_store_blocks_refresh(ga_store *st, ga_err *err);

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
