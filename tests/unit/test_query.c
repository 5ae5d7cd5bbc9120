/*
 * test_query.c: the filtered queries of src/store (query.c,
 * query_region.c) on a real SpatiaLite database: OCHA governorate and
 * district outlines from ../shared/data/cod-syria imported through the
 * library, synthetic events on a grid over Syria plus points on the
 * outlines' vertices (shared borders), written by a second connection.
 * The region results are compared with a plain ST_Intersects join in the
 * same database (no index, no grid); names, codes, suggestions, hostile
 * input, dates, type, status, box, distance, limit and counts are checked.
 *
 * Exits 77 (skip) when the shared data is missing.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ga_test.h"
#include "gaz/ga_import.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"
#include "store/query_int.h"
#include "store/store_int.h"   /* ga_store_exec, blocks_due */

static char dir[] = "/tmp/ga_test_query_XXXXXX";
static char db_path[256];

/* Write the synthetic rows through a second connection with SpatiaLite
 * (so the events R*Tree is filled by SpatiaLite's own triggers). */
static int fill_events(void)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    if (sqlite3_open(db_path, &db) != SQLITE_OK) return 0;
    sqlite3_enable_load_extension(db, 1);
    if (sqlite3_load_extension(db, "mod_spatialite", NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "mod_spatialite: %s\n", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return 0;
    }
    static const char sql[] =
        "BEGIN;"
        "INSERT INTO documents(id, doc_id, title, doc_date, content_hash, text) VALUES"
        " (1, 'd1', 'First report', '2018-03-22', 'h1', 'x'),"
        " (2, 'd2', 'Second report', '2019-01-05', 'h2', 'y');"
        /* a 0.05 degree grid over Syria's box */
        "WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < 141 * 103 - 1)"
        " INSERT INTO events(document_id, seq, type, status, role, event_date, people, place_name,"
        "  admin1, admin1_pcode, lon, lat, geom)"
        " SELECT 1 + i % 2, i, CASE i % 3 WHEN 0 THEN 'evacuation' WHEN 1 THEN 'flight'"
        "  ELSE 'siege' END, CASE i % 5 WHEN 0 THEN 'threatened' ELSE 'reported' END, 'site',"
        "  CASE WHEN i % 97 = 0 THEN NULL ELSE printf('2018-%02d-%02d', i % 12 + 1, i % 28 + 1) END,"
        "  i % 1000, 'P' || i, 'A' || (i % 4), 'SY0' || (1 + i % 4),"
        "  35.6 + (i % 141) * 0.05, 32.3 + (i / 141) * 0.05,"
        "  MakePoint(35.6 + (i % 141) * 0.05, 32.3 + (i / 141) * 0.05, 4326) FROM g;"
        /* every 61st vertex of each governorate's outline: on shared borders
         * (each ST_PointN parses the whole outline, so not too many) */
        "WITH RECURSIVE v(pid, k, n) AS ("
        "  SELECT place_id, 1, ST_NPoints(ST_ExteriorRing(ST_GeometryN(geom, 1))) FROM boundaries"
        "  WHERE level = 'adm1'"
        "  UNION ALL SELECT pid, k + 61, n FROM v WHERE k + 61 <= n)"
        " INSERT INTO events(document_id, seq, type, status, role, event_date, lon, lat, geom)"
        " SELECT 1, seq, 'flight', 'reported', 'site', '2020-06-01', x, y,"
        "  MakePoint(x, y, 4326) FROM (SELECT 100000 + v.pid * 10000 + v.k AS seq,"
        "   ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(b.geom, 1)), v.k)) AS x,"
        "   ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(b.geom, 1)), v.k)) AS y"
        "   FROM v JOIN boundaries b ON b.place_id = v.pid);"
        "COMMIT;";
    int ok = sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK;
    if (!ok) fprintf(stderr, "fill: %s\n", msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
    return ok;
}

/* The ids that statement s returns (first column), into *ids; finalizes s
 * and closes db. */
static size_t collect_ids(sqlite3 *db, sqlite3_stmt *s, int64_t **ids)
{
    size_t n = 0, cap = 1024;
    *ids = malloc(cap * sizeof **ids);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == cap) *ids = realloc(*ids, (cap *= 2) * sizeof **ids);
        (*ids)[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* Ids of events intersecting the outline with pcode, by a plain join. */
static size_t truth(const char *pcode, int64_t **ids)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_enable_load_extension(db, 1);
    sqlite3_load_extension(db, "mod_spatialite", NULL, NULL);
    sqlite3_prepare_v2(db, "SELECT e.id FROM events e, boundaries b WHERE b.pcode = ?"
                       " AND ST_Intersects(e.geom, b.geom) = 1 ORDER BY e.id", -1, &s, NULL);
    sqlite3_bind_text(s, 1, pcode, -1, SQLITE_STATIC);
    return collect_ids(db, s, ids);
}

/* Ids of events whose lon, lat lie in the box W, S, E, N, by a plain
 * scan without the spatial index. */
static size_t truth_box(const double box[4], int64_t **ids)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2(db, "SELECT id FROM events WHERE lon BETWEEN ?1 AND ?3"
                       " AND lat BETWEEN ?2 AND ?4 ORDER BY id", -1, &s, NULL);
    for (int i = 0; i < 4; i++) sqlite3_bind_double(s, i + 1, box[i]);
    return collect_ids(db, s, ids);
}

/* The grid of every imported outline keeps its contract: a point in an
 * inside cell is covered, a point in an outside cell is not (10,000
 * pseudo-random points over each outline's box, grown by a tenth);
 * returns the points that break it. */
static size_t check_grids(void)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    size_t bad = 0, outlines = 0;
    uint32_t seed = 99;
    sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2(db, "SELECT geom FROM boundaries", -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        ga_outline *o = NULL;
        ga_err err = {0};
        if (ga_outline_new(sqlite3_column_blob(s, 0), sqlite3_column_bytes(s, 0), &o, &err)) {
            bad++;
            continue;
        }
        outlines++;
        double w, so, e, n;
        ga_outline_box(o, &w, &so, &e, &n);
        double gx = (e - w) / 10, gy = (n - so) / 10;
        for (int i = 0; i < 10000; i++) {
            seed = seed * 1103515245u + 12345u;
            double x = w - gx + (e - w + 2 * gx) * ((seed >> 8) / 16777216.0);
            seed = seed * 1103515245u + 12345u;
            double y = so - gy + (n - so + 2 * gy) * ((seed >> 8) / 16777216.0);
            int cell = ga_outline_cell(o, x, y);
            if (cell != GA_CELL_BORDER && (cell == GA_CELL_IN) != ga_outline_covers(o, x, y)) bad++;
        }
        ga_outline_free(o);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return outlines ? bad : 1;
}

/* The single integer sql (no parameters) gives, on a plain connection. */
static int64_t count_sql(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t n = -1;
    sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

typedef struct {
    int64_t *ids;
    size_t n, cap;
    int sorted;              /* 1 while dates never decrease */
    char last_date[16];
    int undated_seen;
} collect;

static int collect_cb(const ga_event_row *e, void *arg)
{
    collect *c = arg;
    if (c->n == c->cap) c->ids = realloc(c->ids, (c->cap = c->cap ? 2 * c->cap : 1024) * sizeof *c->ids);
    c->ids[c->n++] = e->id;
    if (e->event_date) {
        if (c->undated_seen || strcmp(e->event_date, c->last_date) < 0) c->sorted = 0;
        snprintf(c->last_date, sizeof c->last_date, "%s", e->event_date);
    } else {
        c->undated_seen = 1;
    }
    return 1;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Run f and collect ids (sorted by id afterwards); returns the rc. */
static ga_rc run(ga_store *st, ga_filter *f, collect *c, ga_err *err)
{
    memset(c, 0, sizeof *c);
    c->sorted = 1;
    ga_rc rc = ga_store_events_each(st, f, collect_cb, c, err);
    if (c->n) qsort(c->ids, c->n, sizeof *c->ids, cmp_id);
    return rc;
}

static void check_region(ga_store *st, const char *region, const char *pcode)
{
    ga_err err = {0};
    ga_filter f = {0};
    f.region = region;
    double t0 = ga_now();
    CHECK_INT(ga_filter_prepare(st, &f, &err), GA_OK);
    double t1 = ga_now();
    if (err.rc) fprintf(stderr, "%s: %s\n", region, err.msg);
    const ga_region_info *ri = ga_filter_region(&f);
    CHECK(ri != NULL);
    if (ri) CHECK_STR(ri->code, pcode);
    collect c;
    CHECK_INT(run(st, &f, &c, &err), GA_OK);
    double t2 = ga_now();
    CHECK(c.sorted);
    int64_t *want = NULL;
    size_t nw = truth(pcode, &want);
    CHECK(nw > 0);
    CHECK_INT(c.n, nw);
    size_t diff = 0;
    for (size_t i = 0; i < c.n && i < nw; i++) diff += c.ids[i] != want[i];
    CHECK_INT(diff, 0);
    fprintf(stderr, "region %s (%s): %zu events; prepare %.1f ms, query %.1f ms\n", region,
            pcode, c.n, (t1 - t0) * 1e3, (t2 - t1) * 1e3);
    free(want);
    free(c.ids);
    ga_filter_clear(&f);
}

static void check_refused(ga_store *st, const char *region, ga_rc want_rc, const char *want_msg)
{
    ga_err err = {0};
    ga_filter f = {0};
    f.region = region;
    CHECK_INT(ga_filter_prepare(st, &f, &err), want_rc);
    if (!strstr(err.msg, want_msg)) {
        ga_test_failures++;
        fprintf(stderr, "region '%s': message '%s' lacks '%s'\n", region, err.msg, want_msg);
    }
    ga_filter_clear(&f);
}

static int count_cb(const char *key, const char *label, int64_t n, void *arg)
{
    int64_t *total = arg;
    *total += n;
    return 1;
}

/* Every field of each row, one line per row, in callback order: to
 * compare the spatial reader (query_fetch.c) with the plain one. */
static int print_cb(const ga_event_row *e, void *arg)
{
    ga_buf *b = arg;
    ga_buf_printf(b, "%lld|%s|%s|%s|%s|%s|%s|%s|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%.6f|%.6f|"
                  "%.6f|%.6f|%s|%lld|%s|%s|%.9f|%.9f\n",
                  (long long)e->id, e->doc_id ? e->doc_id : "-", e->title ? e->title : "-",
                  e->url ? e->url : "-", e->source ? e->source : "-", e->type, e->status,
                  e->trigger ? e->trigger : "-", e->event_date ? e->event_date : "-",
                  e->time_precision, e->geo_precision, e->place_gid ? e->place_gid : "-",
                  e->place_name ? e->place_name : "-", e->kind ? e->kind : "-",
                  e->country ? e->country : "-", e->admin1 ? e->admin1 : "-",
                  e->admin1_pcode ? e->admin1_pcode : "-", e->admin2 ? e->admin2 : "-",
                  e->admin2_pcode ? e->admin2_pcode : "-", e->role,
                  e->origin_name ? e->origin_name : "-", e->dest_name ? e->dest_name : "-",
                  e->origin_lon, e->origin_lat, e->dest_lon, e->dest_lat,
                  e->actors ? e->actors : "-", (long long)e->people,
                  e->sentence ? e->sentence : "-", e->reason ? e->reason : "-", e->lon, e->lat);
    return 1;
}

/* Stops after *(int *)arg rows. */
static int stop_cb(const ga_event_row *e, void *arg)
{
    return --*(int *)arg > 0;
}

/* The box filter around every event gives the same rows, fields and
 * order as no filter at all: the spatial reader against the plain SQL
 * one. Returns the number of rows. */
/* What a row read with omit looks like: the omitted columns at their
 * defaults (ga_store_query.h). */
static void mask_row(ga_event_row *e, unsigned omit)
{
#define STR(bit, field) if (omit & (bit)) e->field = NULL
    STR(GA_EV_DOC_ID, doc_id); STR(GA_EV_TITLE, title); STR(GA_EV_URL, url);
    STR(GA_EV_SOURCE, source); STR(GA_EV_TYPE, type); STR(GA_EV_STATUS, status);
    STR(GA_EV_TRIGGER, trigger); STR(GA_EV_PLACE_GID, place_gid);
    STR(GA_EV_PLACE_NAME, place_name); STR(GA_EV_KIND, kind); STR(GA_EV_COUNTRY, country);
    STR(GA_EV_ADMIN1, admin1); STR(GA_EV_ADMIN1_PCODE, admin1_pcode); STR(GA_EV_ADMIN2, admin2);
    STR(GA_EV_ADMIN2_PCODE, admin2_pcode); STR(GA_EV_ROLE, role);
    STR(GA_EV_ORIGIN_NAME, origin_name); STR(GA_EV_DEST_NAME, dest_name);
    STR(GA_EV_ACTORS, actors); STR(GA_EV_SENTENCE, sentence); STR(GA_EV_REASON, reason);
#undef STR
    if (omit & GA_EV_TIME_PRECISION) e->time_precision = 0;
    if (omit & GA_EV_GEO_PRECISION) e->geo_precision = 0;
    if (omit & GA_EV_PEOPLE) e->people = -1;
    if (omit & GA_EV_ORIGIN_POINT) e->origin_lon = e->origin_lat = NAN;
    if (omit & GA_EV_DEST_POINT) e->dest_lon = e->dest_lat = NAN;
    if (omit & GA_EV_POINT) e->lon = e->lat = NAN;
}

typedef struct {
    ga_buf out;
    unsigned mask;           /* columns to set to their defaults before printing */
} masked;

static int masked_cb(const ga_event_row *e, void *arg)
{
    masked *m = arg;
    ga_event_row r = *e;
    mask_row(&r, m->mask);
#define S(x) ((x) ? (x) : "-")
    ga_buf_printf(&m->out, "%lld|%s|%s|%s|%s|%s|%s|%s|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|"
                  "%.6f|%.6f|%.6f|%.6f|%s|%lld|%s|%s|%.9f|%.9f\n",
                  (long long)r.id, S(r.doc_id), S(r.title), S(r.url), S(r.source), S(r.type),
                  S(r.status), S(r.trigger), S(r.event_date), r.time_precision, r.geo_precision,
                  S(r.place_gid), S(r.place_name), S(r.kind), S(r.country), S(r.admin1),
                  S(r.admin1_pcode), S(r.admin2), S(r.admin2_pcode), S(r.role), S(r.origin_name),
                  S(r.dest_name), r.origin_lon, r.origin_lat, r.dest_lon, r.dest_lat, S(r.actors),
                  (long long)r.people, S(r.sentence), S(r.reason), r.lon, r.lat);
#undef S
    return 1;
}

/* Rows read with f.omit are the full rows with the omitted columns at
 * their defaults, for the plain query and the spatial one (box); returns
 * the rows compared. */
static size_t check_omit(ga_store *st, unsigned omit)
{
    ga_err err = {0};
    size_t rows = 0;
    for (int spatial = 0; spatial < 2; spatial++) {
        masked full = {{0}, omit}, part = {{0}, 0};
        ga_filter f = {0};
        if (spatial) {
            f.has_bbox = 1;
            f.west = 36; f.south = 33; f.east = 38; f.north = 35;
        }
        CHECK_INT(ga_store_events_each(st, &f, masked_cb, &full, &err), GA_OK);
        f.omit = omit;
        CHECK_INT(ga_store_events_each(st, &f, masked_cb, &part, &err), GA_OK);
        CHECK(full.out.len > 0);
        CHECK(full.out.len == part.out.len && !memcmp(full.out.data, part.out.data, full.out.len));
        for (size_t i = 0; i < full.out.len; i++) rows += full.out.data[i] == '\n';
        ga_buf_free(&full.out);
        ga_buf_free(&part.out);
    }
    return rows;
}

static size_t check_same_as_unfiltered(ga_store *st)
{
    ga_err err = {0};
    ga_buf all = {0}, boxed = {0};
    ga_filter f = {0}, g = {0};
    CHECK_INT(ga_store_events_each(st, &f, print_cb, &all, &err), GA_OK);
    g.has_bbox = 1;
    g.west = 30; g.south = 30; g.east = 45; g.north = 40;
    CHECK_INT(ga_store_events_each(st, &g, print_cb, &boxed, &err), GA_OK);
    CHECK(all.len > 0);
    CHECK_INT(boxed.len, all.len);
    CHECK(all.len == boxed.len && memcmp(all.data, boxed.data, all.len) == 0);
    size_t n = 0;
    for (size_t i = 0; i < all.len; i++) n += all.data[i] == '\n';
    ga_buf_free(&all);
    ga_buf_free(&boxed);
    return n;
}

int main(void)
{
    const char *src_dir = getenv("GA_SOURCE_DIR");
    char adm1[1024], adm2[1024];
    snprintf(adm1, sizeof adm1, "%s/../shared/data/cod-syria/syr_admin1.geojson",
             src_dir ? src_dir : GA_SOURCE_DIR);
    snprintf(adm2, sizeof adm2, "%s/../shared/data/cod-syria/syr_admin2.geojson",
             src_dir ? src_dir : GA_SOURCE_DIR);
    if (access(adm1, R_OK) || access(adm2, R_OK)) {
        fprintf(stderr, "SKIP: no OCHA boundaries at '%s'\n", adm1);
        return 77;
    }
    if (!mkdtemp(dir)) return 1;
    snprintf(db_path, sizeof db_path, "%s/q.sqlite", dir);
    ga_err err = {0};
    ga_store *st = NULL;
    CHECK_INT(ga_store_open(db_path, GA_STORE_CREATE, &st, &err), GA_OK);
    if (!st) { fprintf(stderr, "%s\n", err.msg); return 1; }
    ga_ogr_opts o = {0};
    ga_import_stats stats = {0};
    o.name_field = "NAME_EN";
    o.code_field = "PCODE";
    o.level = "adm1";
    CHECK_INT(ga_import_ogr_boundaries(st, adm1, &o, NULL, &stats, &err), GA_OK);
    o.level = "adm2";
    CHECK_INT(ga_import_ogr_boundaries(st, adm2, &o, NULL, &stats, &err), GA_OK);
    if (err.rc) fprintf(stderr, "import: %s\n", err.msg);
    CHECK_INT(stats.boundaries, 14 + 61);
    CHECK(fill_events());

    /* regions against the plain join: codes, names in several spellings,
     * multipolygon governorates, a governorate with a hole, districts */
    check_region(st, "SY04", "SY04");
    check_region(st, "sy04", "SY04");
    check_region(st, "Homs", "SY04");          /* also district Homs: governorate wins */
    check_region(st, "HOMS", "SY04");
    check_region(st, "حمص", "SY04");
    check_region(st, "Tartous", "SY10");       /* MultiPolygon */
    check_region(st, "Rural Damascus", "SY03");/* outline with a hole (Damascus) */
    check_region(st, "SY01", "SY01");
    check_region(st, "SY0404", "SY0404");
    check_region(st, "Ar Rastan", "SY0404");   /* strict key: Ar-Rastan */
    check_region(st, "Rastan", "SY0404");
    check_region(st, "SY0406", "SY0406");      /* MultiPolygon district */
    check_region(st, "Al-Hasakeh", "SY08");

    {   /* the note says which level was taken */
        ga_filter f = {0};
        f.region = "Homs";
        CHECK_INT(ga_filter_prepare(st, &f, &err), GA_OK);
        const ga_region_info *ri = ga_filter_region(&f);
        CHECK(ri && ri->note && strstr(ri->note, "SY0401"));
        ga_filter_clear(&f);
    }
    check_refused(st, "Hom", GA_ENOTFOUND, "did you mean: Homs (adm1 SY04");
    check_refused(st, "Homs'; DROP TABLE events;--", GA_ENOTFOUND, "unknown region");
    check_refused(st, "Atlantis", GA_ENOTFOUND, "unknown region 'Atlantis'");
    check_refused(st, "SY99", GA_ENOTFOUND, "unknown region 'SY99'");
    check_refused(st, "   ", GA_EINVAL, "empty region");

    /* the events table survived the hostile string */
    {
        ga_filter f = {0};
        collect c;
        CHECK_INT(run(st, &f, &c, &err), GA_OK);
        CHECK(c.n > 14000);
        CHECK(c.sorted);
        free(c.ids);
    }
    /* other filters combined with a region */
    {
        ga_filter f = {0};
        f.region = "SY04";
        f.type = "siege";
        f.status = "reported";
        f.date_from = "2018-03-01";
        f.date_to = "2018-06-30";
        collect c;
        CHECK_INT(run(st, &f, &c, &err), GA_OK);
        CHECK(c.n > 0);
        ga_filter g = {0};
        g.region = "SY04";
        collect all;
        CHECK_INT(run(st, &g, &all, &err), GA_OK);
        CHECK(c.n < all.n / 3);
        free(c.ids);
        free(all.ids);
        f.limit = 5;
        CHECK_INT(run(st, &f, &c, &err), GA_OK);
        CHECK_INT(c.n, 5);
        free(c.ids);
    }
    /* a box and a distance */
    {
        ga_filter f = {0};
        f.has_bbox = 1;
        f.west = 35.99; f.south = 33.99; f.east = 36.51; f.north = 34.51;
        collect c;
        CHECK_INT(run(st, &f, &c, &err), GA_OK);
        CHECK_INT(c.n, count_sql("SELECT count(*) FROM events WHERE lon BETWEEN 35.99 AND 36.51"
                                 " AND lat BETWEEN 33.99 AND 34.51"));
        CHECK(c.n >= 11 * 11);   /* grid points 36.00..36.50 x 34.00..34.50, and vertices */
        free(c.ids);
        ga_filter r = {0};
        r.has_bbox = 1;
        r.west = 37; r.south = 34; r.east = 36; r.north = 35;
        CHECK_INT(ga_filter_prepare(st, &r, &err), GA_EINVAL);
        CHECK(strstr(err.msg, "reversed") != NULL);
        r.west = 36; r.east = 190;
        CHECK_INT(ga_filter_prepare(st, &r, &err), GA_EINVAL);
        CHECK(strstr(err.msg, "out of range") != NULL);
        ga_filter n = {0};
        n.near = "36.7,34.7";
        /* 0.05 degrees here: 5.5 km north-south, 4.6 km east-west, 7.2 km diagonally */
        n.within_m = 6000;
        CHECK_INT(run(st, &n, &c, &err), GA_OK);
        CHECK_INT(c.n, 5);   /* the centre and its 4 neighbours */
        free(c.ids);
        n.within_m = 4000;
        CHECK_INT(run(st, &n, &c, &err), GA_OK);
        CHECK_INT(c.n, 1);
        free(c.ids);
        n.near = "200,10";
        CHECK_INT(run(st, &n, &c, &err), GA_EINVAL);
        free(c.ids);
    }
    CHECK_INT(check_grids(), 0);
    /* columns left out are not read, and the others are as before */
    {
        static const unsigned omits[] = {
            GA_EV_SOURCE | GA_EV_ORIGIN_POINT | GA_EV_DEST_POINT,
            GA_EV_ALL & ~(GA_EV_TYPE | GA_EV_STATUS | GA_EV_PLACE_NAME | GA_EV_ADMIN1 |
                          GA_EV_PEOPLE | GA_EV_TITLE),
            GA_EV_ALL, GA_EV_DOC_ID | GA_EV_TITLE | GA_EV_URL | GA_EV_SOURCE, GA_EV_POINT};
        for (size_t i = 0; i < sizeof omits / sizeof omits[0]; i++)
            CHECK(check_omit(st, omits[i]) > 1000);
    }
    /* boxes of every size, pseudo-random, some with edges on grid points:
     * the R*Tree read for pass one (its nodes straight from the node
     * table) finds exactly the events a scan finds */
    {
        uint32_t seed = 12345;
        size_t total = 0, bad = 0;
        for (int k = 0; k < 60; k++) {
            double v[4];
            for (int i = 0; i < 4; i++) {
                seed = seed * 1103515245u + 12345u;
                v[i] = (seed >> 8) / 16777216.0;
            }
            double box[4] = {35.6 + 7.0 * fmin(v[0], v[1]), 32.3 + 5.2 * fmin(v[2], v[3]),
                             35.6 + 7.0 * fmax(v[0], v[1]), 32.3 + 5.2 * fmax(v[2], v[3])};
            if (k % 3 == 0)   /* on the 0.05 degree grid */
                for (int i = 0; i < 4; i++) box[i] = round(box[i] * 20) / 20;
            if (k == 0) { box[0] = 35.0; box[1] = 32.0; box[2] = 43.0; box[3] = 38.0; }
            ga_filter f = {0};
            f.has_bbox = 1;
            f.west = box[0]; f.south = box[1]; f.east = box[2]; f.north = box[3];
            collect c;
            CHECK_INT(run(st, &f, &c, &err), GA_OK);
            int64_t *want = NULL;
            size_t nw = truth_box(box, &want);
            if (c.n != nw || (nw && memcmp(c.ids, want, nw * sizeof *want))) bad++;
            total += nw;
            free(want);
            free(c.ids);
        }
        CHECK_INT(bad, 0);
        CHECK(total > 14000);   /* the first box holds every event */
    }
    /* counts add up to the rows */
    {
        ga_filter f = {0};
        f.region = "SY04";
        CHECK_INT(ga_filter_prepare(st, &f, &err), GA_OK);
        int64_t total = 0, scan = 0;
        CHECK_INT(ga_store_count_by(st, GA_QUERY_EVENTS, &f, GA_GROUP_TYPE, count_cb, &total,
                                    &err), GA_OK);
        CHECK_INT(ga_store_events_count_scan(st, &f, &scan, &err), GA_OK);
        CHECK_INT(total, scan);
        total = 0;
        CHECK_INT(ga_store_count_by(st, GA_QUERY_EVENTS, &f, GA_GROUP_MONTH, count_cb, &total,
                                    &err), GA_OK);
        CHECK_INT(total, scan);
        ga_filter_clear(&f);
    }
    /* the spatial reader: fields and order equal the plain reader's
     * (rows of two documents in turn, undated rows), unordered rows are
     * the same set, limits and early stops */
    {
        size_t n = check_same_as_unfiltered(st);
        CHECK(n > 14000);
        ga_filter f = {0};
        f.region = "SY04";
        f.date_from = "2018-02-01";
        collect sorted, unordered;
        CHECK_INT(run(st, &f, &sorted, &err), GA_OK);
        CHECK(sorted.sorted);
        f.unordered = 1;
        CHECK_INT(run(st, &f, &unordered, &err), GA_OK);
        CHECK_INT(unordered.n, sorted.n);
        CHECK(unordered.n == sorted.n &&
              !memcmp(unordered.ids, sorted.ids, sorted.n * sizeof *sorted.ids));
        free(unordered.ids);
        f.limit = 7;
        CHECK_INT(run(st, &f, &unordered, &err), GA_OK);
        CHECK_INT(unordered.n, 7);
        free(unordered.ids);
        f.unordered = 0;
        f.limit = 0;
        int left = 3;
        CHECK_INT(ga_store_events_each(st, &f, stop_cb, &left, &err), GA_OK);
        CHECK_INT(left, 0);
        free(sorted.ids);
    }
    /* region, box, distance and the other filters at once, against the
     * plain scan; a distance alone, against the scan */
    {
        ga_filter f = {0};
        f.region = "SY04";
        f.has_bbox = 1;
        f.west = 36.2; f.south = 34.2; f.east = 37.9; f.north = 35.3;
        f.near = "36.9,34.8";
        f.within_m = 60000;
        f.status = "reported";
        f.date_to = "2018-09-30";
        CHECK_INT(ga_filter_prepare(st, &f, &err), GA_OK);
        collect c;
        int64_t scan = -1;
        CHECK_INT(run(st, &f, &c, &err), GA_OK);
        CHECK_INT(ga_store_events_count_scan(st, &f, &scan, &err), GA_OK);
        CHECK(c.n > 20);
        CHECK_INT(c.n, scan);
        free(c.ids);
        ga_filter_clear(&f);
        ga_filter n = {0};
        n.near = "38.0,35.0";
        n.within_m = 150000;
        CHECK_INT(ga_filter_prepare(st, &n, &err), GA_OK);
        CHECK_INT(run(st, &n, &c, &err), GA_OK);
        CHECK_INT(ga_store_events_count_scan(st, &n, &scan, &err), GA_OK);
        CHECK(c.n > 1000);
        CHECK_INT(c.n, scan);
        free(c.ids);
        ga_filter_clear(&n);
    }
    /* dates longer than the sort key (16 bytes) and shorter ones sort as
     * the plain reader sorts them */
    {
        sqlite3 *db = NULL;
        CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
        sqlite3_enable_load_extension(db, 1);
        CHECK(sqlite3_load_extension(db, "mod_spatialite", NULL, NULL) == SQLITE_OK);
        static const char sql[] =
            "WITH v(seq, d) AS (VALUES"
            "  (900001, '2018-03-05T09:00:00.5'), (900002, '2018-03-05T09:00:00.123+02:00'),"
            "  (900003, '2018-03-05T09:00'), (900004, '2018-03-05T09:00:00.123'),"
            "  (900005, '2018-03'), (900006, '2018'), (900007, '2018-03-05T09:00:00.5'))"
            " INSERT INTO events(document_id, seq, type, status, role, event_date, lon, lat, geom)"
            " SELECT 1 + seq % 2, seq, 'flight', 'reported', 'site', d, 36.1, 34.1,"
            "  MakePoint(36.1, 34.1, 4326) FROM v";
        int ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
        if (!ok) fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
        CHECK(ok);
        sqlite3_close(db);
        size_t n = check_same_as_unfiltered(st);
        CHECK(n > 14007);
    }
    /* a writer that defers packing blocks (annotate): a commit that is due
     * packs the marked blocks, one that is not leaves them marked (queries
     * still right), and settling packs what was left, once */
    {
        static const char add[] =
            "INSERT INTO events(document_id, seq, type, status, role, event_date, lon, lat, geom)"
            " SELECT 1, 1 + max(seq), 'flight', 'reported', 'site', '2021-01-01', 36.25, 34.25,"
            "  MakePoint(36.25, 34.25, 4326) FROM events";
        static const char marked[] = "SELECT count(*) FROM event_blocks_dirty";
        ga_store_blocks_defer(st, 1);
        st->blocks_due = 0;
        CHECK_INT(ga_store_begin(st, &err), GA_OK);
        CHECK_INT(ga_store_exec(st, add, &err), GA_OK);
        CHECK_INT(ga_store_commit(st, &err), GA_OK);
        CHECK_INT(count_sql(marked), 0);
        st->blocks_due = INFINITY;
        CHECK_INT(ga_store_begin(st, &err), GA_OK);
        CHECK_INT(ga_store_exec(st, add, &err), GA_OK);
        CHECK_INT(ga_store_commit(st, &err), GA_OK);
        CHECK_INT(count_sql(marked), 1);
        size_t n = check_same_as_unfiltered(st);
        CHECK(n > 14009);
        CHECK_INT(ga_store_blocks_settle(st, &err), GA_OK);
        CHECK_INT(count_sql(marked), 0);
        CHECK_INT(ga_store_blocks_settle(st, &err), GA_OK);   /* nothing left: a no-op */
        ga_store_blocks_defer(st, 0);
        if (err.rc) fprintf(stderr, "defer: %s\n", err.msg);
    }
    ga_store_close(st);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("GA_TEST_KEEP")) fprintf(stderr, "kept %s\n", db_path);
    else if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return ga_test_result();
}
