/*
 * test_rtree.c: R*Trees packed by ga_rtree_load (src/store/rtree_pack.c)
 * against the same boxes inserted one by one by SQLite, in two rtree
 * tables of one real database file. For trees of one node, exactly one
 * full node, one more than that and several levels: the same rows to the
 * last bit (the float rounding of rtree.c), rtreecheck() ok, the same
 * answers to window queries, and the same again after inserts and deletes
 * through the virtual table on the packed tree. Also: an empty collection
 * writes nothing, a table with rows or a missing table is refused.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ga_test.h"
#include "store/ga_store_rtree.h"

static char path[256];
static uint64_t seed = 42;

/* A deterministic pseudo-random number in [0, 1). */
static double rnd(void)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (double)(seed >> 11) / 9007199254740992.0;
}

typedef struct { int64_t id; double b[4]; } box;

/* Box i of a set mixing points, small and large boxes, both signs,
 * magnitudes from 1e-3 to 1e6 and a cluster of identical boxes. */
static box make_box(int i)
{
    box x = {3 * (int64_t)i + 7, {0}};
    if (i % 7 == 0) {   /* one spot, many times */
        x.b[0] = x.b[1] = 36.7;
        x.b[2] = x.b[3] = 34.7;
        return x;
    }
    double scale = i % 5 == 0 ? 1e6 : i % 5 == 1 ? 1e-3 : 180;
    double cx = (rnd() * 2 - 1) * scale, cy = (rnd() * 2 - 1) * scale;
    double w = i % 3 == 0 ? 0 : rnd() * scale / 50, h = i % 3 == 0 ? 0 : rnd() * scale / 50;
    x.b[0] = cx;
    x.b[1] = cx + w;
    x.b[2] = cy;
    x.b[3] = cy + h;
    return x;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "%s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return rc == SQLITE_OK;
}

static void insert_row(sqlite3_stmt *s, const box *x)
{
    sqlite3_bind_int64(s, 1, x->id);
    for (int k = 0; k < 4; k++) sqlite3_bind_double(s, 2 + k, x->b[k]);
    if (sqlite3_step(s) != SQLITE_DONE) fprintf(stderr, "insert: %d\n", (int)x->id);
    sqlite3_reset(s);
}

/* The rows of tables a and b are the same, id by id, bit for bit. */
static int same_rows(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    sqlite3_prepare_v2(db, "SELECT count(*), sum(a.id IS NULL OR b.id IS NULL OR a.minx != b.minx"
                       " OR a.maxx != b.maxx OR a.miny != b.miny OR a.maxy != b.maxy)"
                       " FROM a FULL JOIN b USING (id)", -1, &s, NULL);
    int ok = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 1) == 0;
    if (!ok) fprintf(stderr, "rows differ: %d of %d\n", s ? sqlite3_column_int(s, 1) : -1,
                     s ? sqlite3_column_int(s, 0) : -1);
    sqlite3_finalize(s);
    return ok;
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else
        fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return n;
}

static const char *check_text(sqlite3 *db, const char *table, char *out, size_t n)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT rtreecheck('%s')", table);
    sqlite3_stmt *s = NULL;
    snprintf(out, n, "?");
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

/* Windows queries give a and b the same counts. */
static void same_answers(sqlite3 *db)
{
    static const double win[][4] = {
        {-180, 180, -180, 180}, {0, 50, 0, 50}, {36.6, 36.8, 34.6, 34.8},
        {-1e5, 2e5, -3e5, 1e4}, {-0.001, 0.0005, -0.001, 0.0005}, {1e7, 2e7, 1e7, 2e7},
    };
    for (size_t w = 0; w < sizeof win / sizeof win[0]; w++) {
        char sql[2][256];
        for (int t = 0; t < 2; t++)
            snprintf(sql[t], sizeof sql[t], "SELECT count(*) FROM %c WHERE maxx >= %.17g AND "
                     "minx <= %.17g AND maxy >= %.17g AND miny <= %.17g", "ab"[t], win[w][0],
                     win[w][1], win[w][2], win[w][3]);
        CHECK_INT(count(db, sql[0]), count(db, sql[1]));
    }
}

/* n boxes: packed into a, inserted one by one into b; then edited alike. */
static void compare(int n)
{
    sqlite3 *db = NULL;
    unlink(path);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(exec(db, "CREATE VIRTUAL TABLE a USING rtree(id, minx, maxx, miny, maxy);"
               "CREATE VIRTUAL TABLE b USING rtree(id, minx, maxx, miny, maxy)"));
    ga_rtree *t = NULL;
    ga_err err = {0};
    CHECK_INT(ga_rtree_new(&t, &err), GA_OK);
    sqlite3_stmt *ins = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO b VALUES (?, ?, ?, ?, ?)", -1, &ins, NULL);
    ga_rc rc = GA_OK;
    exec(db, "BEGIN");
    for (int i = 0; i < n && rc == GA_OK; i++) {
        box x = make_box(i);
        insert_row(ins, &x);
        rc = ga_rtree_add(t, x.id, x.b[0], x.b[1], x.b[2], x.b[3], &err);
    }
    exec(db, "COMMIT");
    CHECK_INT(rc, GA_OK);
    CHECK_INT(ga_rtree_count(t), n);
    CHECK_INT(ga_rtree_load(t, path, "a", &err), GA_OK);
    if (err.rc) fprintf(stderr, "load: %s\n", err.msg);
    ga_rtree_free(t);

    char txt[256];
    CHECK_STR(check_text(db, "a", txt, sizeof txt), "ok");
    CHECK(same_rows(db));
    same_answers(db);

    /* Edits through the virtual table work on the packed tree: inserts
     * (splitting its full nodes), then deletes (emptying some). */
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(db, "INSERT INTO a VALUES (?, ?, ?, ?, ?)", -1, &ins, NULL);
    sqlite3_stmt *ins_b = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO b VALUES (?, ?, ?, ?, ?)", -1, &ins_b, NULL);
    exec(db, "BEGIN");
    for (int i = n; i < n + 300; i++) {
        box x = make_box(i);
        insert_row(ins, &x);
        insert_row(ins_b, &x);
    }
    exec(db, "DELETE FROM a WHERE id % 4 = 1; DELETE FROM b WHERE id % 4 = 1; COMMIT");
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_b);
    CHECK_STR(check_text(db, "a", txt, sizeof txt), "ok");
    CHECK(same_rows(db));
    same_answers(db);
    sqlite3_close(db);
}

int main(void)
{
    char dir[] = "/tmp/ga_test_rtree_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    snprintf(path, sizeof path, "%s/t.sqlite", dir);

    /* one leaf; one full node (51 cells of 24 bytes in SQLite's 1228-byte
     * nodes); one more; three levels; four levels */
    static const int sizes[] = {1, 50, 51, 52, 2602, 20000, 140000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) compare(sizes[i]);

    /* Nothing to write: the table is left alone. */
    ga_rtree *t = NULL;
    ga_err err = {0};
    CHECK_INT(ga_rtree_new(&t, &err), GA_OK);
    CHECK_INT(ga_rtree_load(t, path, "no_such_table", &err), GA_OK);

    /* A tree that holds rows already is refused; so is a missing table. */
    CHECK_INT(ga_rtree_add(t, 1, 0, 1, 0, 1, &err), GA_OK);
    CHECK_INT(ga_rtree_load(t, path, "a", &err), GA_EINVAL);
    CHECK(strstr(err.msg, "R*Tree 'a' in '") && strstr(err.msg, "t.sqlite' is not empty"));
    CHECK(ga_rtree_load(t, path, "no_such_table", &err) != GA_OK);
    CHECK(strstr(err.msg, "t.sqlite'") && strstr(err.msg, "no_such_table"));
    char missing[300];
    snprintf(missing, sizeof missing, "%s/none/t.sqlite", dir);
    CHECK_INT(ga_rtree_load(t, missing, "a", &err), GA_EIO);
    CHECK(strstr(err.msg, "cannot open '") != NULL);
    ga_rtree_free(t);
    ga_rtree_free(NULL);

    unlink(path);
    rmdir(dir);
    return ga_test_result();
}
