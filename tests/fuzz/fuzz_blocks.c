/*
 * fuzz_blocks.c: reading event_blocks segments (src/store/query_blocks.c)
 * and packing after them (src/store/event_blocks.c) with arbitrary blobs
 * where a segment is, as a damaged or foreign file would hold them.
 *
 * A database with twelve events in one 0.1-degree block (their segment
 * packed by a commit, as geoannot writes it) is made once. For each input
 * that segment's two blobs are replaced by the input through SQL, as
 * another program could write them: its first two bytes are the length of
 * the long texts' blob (cold), the rest the data blob then the cold one.
 * Then
 *  - a listing of every column over the block's box (the reader's checks
 *    of records, tables, texts and extra parts, fill_row) and one with a
 *    date and a type filter and a few columns: either fails with a
 *    message or lists events, every string of each read whole;
 *  - an event added to the block and removed again, each in a commit
 *    (packing reads the segment's old blob back, blob_rows, to keep its
 *    rows): the commits succeed, and the listing after them too.
 * With FZ_BLOCKS_SEED set, the harness writes the packed segment in its
 * input format to that file (the seed of corpus/blocks/).
 */
#include "fuzz_common.h"

#include "store/ga_store_query.h"
#include "store/store_int.h"

#include <math.h>
#include <sqlite3.h>

#define FZ_EVENTS 12

static char dbpath[512];
static ga_store *st;
static int64_t blk, lo;

static void fini(void)
{
    ga_store_close(st);
    unlink(dbpath);
    char side[600];
    snprintf(side, sizeof side, "%s-wal", dbpath);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    unlink(side);
}

static void exec_ok(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fuzz_blocks: %s: %s\n", sql, msg ? msg : "?");
        abort();
    }
}

/* The twelve events, their segment packed by the commit. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_temp_path(dbpath, sizeof dbpath, "blocks", ".sqlite");
    unlink(dbpath);
    ga_err err = {0};
    if (ga_store_open(dbpath, GA_STORE_CREATE, &st, &err) || ga_store_begin(st, &err)) {
        fprintf(stderr, "fuzz_blocks: %s\n", err.msg);
        abort();
    }
    exec_ok("INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text, url)"
            " VALUES (1, 'a', 'Convoys leave', '2018-01-01', 'a', 'x', 'https://example.org/a')");
    exec_ok("WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 11)"
            " INSERT INTO events(document_id, seq, type, status, role, event_date, people,"
            " place_name, actors, sentence, reason, lon, lat, geom, origin_name, origin_lon,"
            " origin_lat)"
            " SELECT 1, i, CASE i % 2 WHEN 0 THEN 'flight' ELSE 'evacuation' END, 'reported',"
            " 'site', CASE i % 4 WHEN 3 THEN NULL WHEN 2 THEN '2016-02' ELSE"
            " date('2016-01-01', '+' || (i * 37) || ' days') END,"
            " CASE i % 3 WHEN 0 THEN NULL ELSE 100 * i END, 'Place ' || (i % 5),"
            " CASE i % 2 WHEN 0 THEN '[\"Russia\"]' END, 'They left, ' || i || ' said.',"
            " 'reason ' || i, 36.71 + 0.007 * i, 34.71 + 0.005 * i,"
            " MakePoint(36.71 + 0.007 * i, 34.71 + 0.005 * i, 4326),"
            " CASE i % 3 WHEN 1 THEN 'Al Waer' END, CASE i % 3 WHEN 1 THEN 36.67 END,"
            " CASE i % 3 WHEN 1 THEN 34.74 END FROM r");
    if (ga_store_commit(st, &err)) {
        fprintf(stderr, "fuzz_blocks: %s\n", err.msg);
        abort();
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT blk, lo, count(*) OVER () FROM event_blocks", -1, &s,
                           NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int64(s, 2) != 1) {
        fprintf(stderr, "fuzz_blocks: the events are not one segment\n");
        abort();
    }
    blk = sqlite3_column_int64(s, 0);
    lo = sqlite3_column_int64(s, 1);
    sqlite3_finalize(s);
    const char *seed = getenv("FZ_BLOCKS_SEED");
    if (seed && *seed) {
        FILE *out = fopen(seed, "wb");
        if (!out || sqlite3_prepare_v2(st->db, "SELECT data, cold FROM event_blocks", -1, &s,
                                       NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
            abort();
        int dn = sqlite3_column_bytes(s, 0), cn = sqlite3_column_bytes(s, 1);
        unsigned char head[2] = {(unsigned char)(cn & 255), (unsigned char)(cn >> 8)};
        if (cn > 65535 || fwrite(head, 1, 2, out) != 2 ||
            fwrite(sqlite3_column_blob(s, 0), 1, (size_t)dn, out) != (size_t)dn ||
            fwrite(sqlite3_column_blob(s, 1), 1, (size_t)cn, out) != (size_t)cn || fclose(out))
            abort();
        sqlite3_finalize(s);
    }
    atexit(fini);
    return 0;
}

typedef struct {
    size_t n;
    size_t bytes;   /* of every string read: each one is read whole */
} seen;

static size_t len_of(const char *s) { return s ? strlen(s) : 0; }

static int on_row(const ga_event_row *e, void *arg)
{
    seen *v = arg;
    v->n++;
    const char *t[] = {e->doc_id, e->title, e->url, e->source, e->type, e->status, e->trigger,
                       e->event_date, e->place_gid, e->place_name, e->kind, e->country,
                       e->admin1, e->admin1_pcode, e->admin2, e->admin2_pcode, e->role,
                       e->origin_name, e->dest_name, e->actors, e->sentence, e->reason};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) v->bytes += len_of(t[i]);
    if (e->event_date) FZ_CHECK(strlen(e->event_date) < 64);
    return 1;
}

/* A listing over the block's box; returns its rows, or -1 on an error
 * (which must come with a message). */
static long list(int filtered)
{
    ga_filter f;
    memset(&f, 0, sizeof f);
    f.has_bbox = 1;
    f.west = 36.7;
    f.south = 34.7;
    f.east = 36.8;
    f.north = 34.8;
    if (filtered) {
        f.date_from = "2016-01-15";
        f.type = "flight";
        f.omit = GA_EV_ACTORS | GA_EV_SENTENCE | GA_EV_REASON | GA_EV_TITLE | GA_EV_URL;
    }
    ga_err err = {0};
    seen v = {0};
    ga_rc rc = ga_filter_prepare(st, &f, &err);
    FZ_CHECK(rc == GA_OK);
    rc = ga_store_events_each(st, &f, on_row, &v, &err);
    ga_filter_clear(&f);
    if (rc) {
        FZ_CHECK(err.msg[0] != 0);
        return -1;
    }
    return (long)v.n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 1 << 17) return 0;
    size_t cold_len = (size_t)data[0] | (size_t)data[1] << 8;
    size_t rest = size - 2;
    if (cold_len > rest) cold_len = rest;
    size_t data_len = rest - cold_len;
    sqlite3_stmt *s = NULL;
    exec_ok("DELETE FROM event_blocks; DELETE FROM event_blocks_dirty");
    FZ_CHECK(sqlite3_prepare_v2(st->db,
                                "INSERT INTO event_blocks(blk, lo, n, data, cold)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)",
                                -1, &s, NULL) == SQLITE_OK);
    sqlite3_bind_int64(s, 1, blk);
    sqlite3_bind_int64(s, 2, lo);
    sqlite3_bind_int64(s, 3, FZ_EVENTS);
    sqlite3_bind_blob(s, 4, data + 2, (int)data_len, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, data + 2 + data_len, (int)cold_len, SQLITE_STATIC);
    FZ_CHECK(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_finalize(s);

    list(0);
    list(1);

    /* packing after the segment: add an event to its block, remove it */
    ga_err err = {0};
    FZ_CHECK(ga_store_begin(st, &err) == GA_OK);
    exec_ok("INSERT INTO events(id, document_id, seq, type, status, role, event_date, lon, lat,"
            " geom) VALUES (1000, 1, 99, 'flight', 'reported', 'site', '2017-05-01', 36.75, 34.75,"
            " MakePoint(36.75, 34.75, 4326))");
    FZ_CHECK(ga_store_commit(st, &err) == GA_OK);
    FZ_CHECK(ga_store_begin(st, &err) == GA_OK);
    exec_ok("DELETE FROM events WHERE id = 1000");
    FZ_CHECK(ga_store_commit(st, &err) == GA_OK);
    FZ_CHECK(list(0) >= 0);
    return 0;
}
