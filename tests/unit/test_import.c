/*
 * test_import.c: the GeoNames importer and the gazetteer writer on the tiny
 * dumps of tests/fixtures/geonames, against a real SpatiaLite database:
 * good rows with all their names, every kind of malformed input (message
 * naming file and line, database unchanged), swapped coordinates as
 * warnings, re-import without duplicates, alternate names and admin1
 * names, the crosswalk.
 */
#define _POSIX_C_SOURCE 200809L
#include "ga_test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gaz/ga_import.h"
#include "store/ga_store_gaz.h"

static char dir[256];

static const char *fixture(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/geonames/%s", GA_SOURCE_DIR, name);
    return path;
}

static void counts(ga_store *st, int64_t *p, int64_t *n)
{
    ga_err err = {0};
    *p = *n = -1;
    CHECK(ga_store_gaz_counts(st, p, n, NULL, &err) == GA_OK);
}

/* Count warnings and keep the last one. */
typedef struct {
    int n;
    char last[1024];
} warnings;

static void on_warn(const char *msg, void *arg)
{
    warnings *w = arg;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

typedef struct {
    const char *name;
    const char *kind;
    const char *lang;
    int found;
} name_probe;

static int probe_name(int64_t place_id, const char *name, const char *lang, const char *kind,
                      void *arg)
{
    name_probe *p = arg;
    (void)place_id;
    if (!strcmp(name, p->name) && !strcmp(kind, p->kind) &&
        ((!lang && !p->lang) || (lang && p->lang && !strcmp(lang, p->lang))))
        p->found++;
    return 1;
}

static int has_name(ga_store *st, const char *name, const char *kind, const char *lang)
{
    name_probe p = {name, kind, lang, 0};
    ga_err err = {0};
    ga_store_names_each(st, probe_name, &p, &err);
    return p.found;
}

typedef struct {
    const char *gid;
    ga_place got;
    char kind[32], a1[64], a1code[32], a1pcode[32];
    int found;
} place_probe;

static int probe_place(const ga_place *p, void *arg)
{
    place_probe *q = arg;
    if (strcmp(p->gid, q->gid) != 0) return 1;
    q->found = 1;
    q->got = *p;
    snprintf(q->kind, sizeof q->kind, "%s", ga_kind_name(p->kind));
    snprintf(q->a1, sizeof q->a1, "%s", p->admin1 ? p->admin1 : "");
    snprintf(q->a1code, sizeof q->a1code, "%s", p->admin1_code ? p->admin1_code : "");
    snprintf(q->a1pcode, sizeof q->a1pcode, "%s", p->admin1_pcode ? p->admin1_pcode : "");
    return 0;
}

static place_probe find_place(ga_store *st, const char *gid)
{
    place_probe q;
    memset(&q, 0, sizeof q);
    q.gid = gid;
    ga_err err = {0};
    ga_store_places_each(st, probe_place, &q, &err);
    return q;
}

/* A failed import: rc is a format error, the message starts with
 * "FILE:LINE:" and the database holds what it held before. */
static void expect_failure(ga_store *st, const char *file, int line, const char *words)
{
    int64_t p0, n0, p1, n1;
    counts(st, &p0, &n0);
    ga_err err = {0};
    ga_import_stats stats = {0};
    ga_rc rc = ga_import_geonames(st, fixture(file), NULL, NULL, &stats, &err);
    CHECK(rc == GA_EFORMAT);
    char want[1200];
    snprintf(want, sizeof want, "%s:%d: ", fixture(file), line);
    if (strncmp(err.msg, want, strlen(want)) != 0 || !strstr(err.msg, words)) {
        fprintf(stderr, "unexpected message for %s: '%s'\n", file, err.msg);
        CHECK(0);
    }
    counts(st, &p1, &n1);
    CHECK_INT(p1, p0);
    CHECK_INT(n1, n0);
}

/* Little-endian WKB polygon of the box w,s,e,n. */
static size_t box_wkb(unsigned char *b, double w, double s, double e, double n)
{
    size_t k = 0;
    uint32_t v;
    b[k++] = 1;
    v = 3; memcpy(b + k, &v, 4); k += 4;
    v = 1; memcpy(b + k, &v, 4); k += 4;
    v = 5; memcpy(b + k, &v, 4); k += 4;
    double pts[10] = {w, s, e, s, e, n, w, n, w, s};
    memcpy(b + k, pts, sizeof pts);
    return k + sizeof pts;
}

static void add_syria_outline(ga_store *st)
{
    ga_err err = {0};
    ga_gaz_writer *w = NULL;
    CHECK(ga_store_begin(st, &err) == GA_OK);
    CHECK(ga_gaz_writer_new(st, &w, &err) == GA_OK);
    ga_place p = {0};
    p.gid = "country:SY";
    p.name = "Syria";
    p.kind = GA_KIND_COUNTRY;
    p.country = "SY";
    p.lon = 38;
    p.lat = 35;
    p.source = "test";
    int64_t id = 0;
    CHECK(ga_gaz_writer_place(w, &p, NULL, &id, &err) == GA_OK);
    CHECK(ga_gaz_writer_name(w, id, "Syria", "en", GA_NAME_OFFICIAL, "test", 0, &err) == GA_OK);
    unsigned char wkb[128];
    size_t len = box_wkb(wkb, 35.7, 32.3, 42.4, 37.3);
    CHECK(ga_gaz_writer_boundary(w, id, "country", "SY", "test", wkb, len, &err) == GA_OK);
    /* Not a polygon: rejected with a message, nothing stored. */
    unsigned char junk[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    CHECK(ga_gaz_writer_boundary(w, id, "country", "SY", "test", junk, sizeof junk, &err) != GA_OK);
    CHECK(ga_gaz_writer_finish(w, &err) == GA_OK);
    ga_gaz_writer_free(w);
    CHECK(ga_store_commit(st, &err) == GA_OK);
    if (err.msg[0] && err.rc == GA_OK) fprintf(stderr, "%s\n", err.msg);
}

/* Plurals of world-countries' demonyms: a plain -s where English adds
 * one, nothing where it does not. */
static void test_demonym_plural(void)
{
    static const char *const yes[][2] = {
        {"Syrian", "Syrians"}, {"Iraqi", "Iraqis"},       {"Afghan", "Afghans"},
        {"Icelander", "Icelanders"}, {"Cypriot", "Cypriots"}, {"Greek", "Greeks"},
        {"Filipino", "Filipinos"}, {"Argentine", "Argentines"}, {"Kosovar", "Kosovars"},
        {"Central American", "Central Americans"}, {"Arab", "Arabs"},
    };
    static const char *const no[] = {"Lebanese", "British", "French", "Swiss", "Seychellois",
                                     "Greenlandic", "Manx", "Antiguan, Barbudan", "Kirghiz"};
    char out[64];
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        CHECK(ga_demonym_plural(yes[i][0], out, sizeof out) && strcmp(out, yes[i][1]) == 0);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        CHECK(!ga_demonym_plural(no[i], out, sizeof out));
    CHECK(!ga_demonym_plural("Syrian", out, 7));   /* no room for the s */
}

int main(void)
{
    test_demonym_plural();
    const char *base = getenv("GA_BUILD_DIR");
    snprintf(dir, sizeof dir, "%s/test_import.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        snprintf(dir, sizeof dir, "/tmp/test_import.XXXXXX");
        if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    }
    char db[512];
    snprintf(db, sizeof db, "%s/gaz.sqlite", dir);
    ga_err err = {0};
    ga_store *st = NULL;
    if (ga_store_open(db, GA_STORE_CREATE, &st, &err) != GA_OK) {
        fprintf(stderr, "cannot open test database: %s\n", err.msg);
        return 77;
    }

    /* Good rows, with the admin1 codes and alternate names files. */
    warnings ws = {0};
    ga_import_io io = {NULL, NULL, on_warn, &ws, NULL, NULL};
    ga_import_stats stats = {0};
    char alt[1024], a1[1024];
    snprintf(alt, sizeof alt, "%s", fixture("alternates.txt"));
    snprintf(a1, sizeof a1, "%s", fixture("admin1.txt"));
    ga_geonames_opts opts = {alt, a1};
    ga_rc rc = ga_import_geonames(st, fixture("good.txt"), &opts, &io, &stats, &err);
    if (rc) fprintf(stderr, "good.txt: %s\n", err.msg);
    CHECK(rc == GA_OK);
    CHECK_INT(stats.places, 3);
    CHECK_INT(ws.n, 0);
    int64_t np, nn;
    counts(st, &np, &nn);
    CHECK_INT(np, 3);
    place_probe homs = find_place(st, "geonames:169577");
    CHECK(homs.found);
    CHECK_STR(homs.kind, "populated_place");
    CHECK_STR(homs.a1code, "SY.11");
    CHECK_STR(homs.a1, "Homs");
    CHECK(homs.got.population == 775404);
    CHECK(homs.got.lon > 36.72 && homs.got.lon < 36.73);   /* (lon, lat), not swapped */
    CHECK_STR(find_place(st, "geonames:9900001").kind, "section");
    CHECK_STR(find_place(st, "geonames:169575").kind, "adm1");
    CHECK(has_name(st, "Homs", "official", NULL) == 1);
    CHECK(has_name(st, "Hims", "alternate", NULL) == 1);
    CHECK(has_name(st, "Ḩimş", "alternate", NULL) == 1);
    /* Arabic detected in the packed names; the V2 row for it may repeat it */
    CHECK(has_name(st, "حمص", "alternate", "ar") >= 1);
    CHECK(has_name(st, "QHS", "abbrev", NULL) == 1);         /* code in the names column */
    CHECK(has_name(st, "Homs (ville)", "alternate", "fr") == 1);
    CHECK(has_name(st, "HMS", "abbrev", NULL) == 1);
    CHECK(has_name(st, "Nowhere", "alternate", "en") == 0);  /* place not imported */
    CHECK(has_name(st, "https://en.wikipedia.org/wiki/Homs", "alternate", NULL) == 0);

    /* Re-import: updates, no duplicates. */
    int64_t np0 = np, nn0 = nn;
    CHECK(ga_import_geonames(st, fixture("good.txt"), &opts, NULL, NULL, &err) == GA_OK);
    counts(st, &np, &nn);
    CHECK_INT(np, np0);
    CHECK_INT(nn, nn0);

    /* Crosswalk: SY.11 -> SY04 on every place. */
    CHECK(ga_store_begin(st, &err) == GA_OK);
    CHECK(ga_store_crosswalk_set(st, "SY", "SY.11", "SY04", "Homs", &err) == GA_OK);
    int64_t upd = 0;
    CHECK(ga_store_crosswalk_apply(st, &upd, &err) == GA_OK);
    CHECK(ga_store_commit(st, &err) == GA_OK);
    CHECK_INT(upd, 3);
    CHECK_STR(find_place(st, "geonames:169577").a1pcode, "SY04");

    /* Malformed input: error names file and line, database unchanged. */
    expect_failure(st, "bad_columns.txt", 2, "expected 19 tab-separated columns, found 18");
    expect_failure(st, "bad_latitude.txt", 2, "latitude '95.5'");
    expect_failure(st, "bad_population.txt", 3, "population 'about 30000'");
    expect_failure(st, "truncated.txt", 2, "truncated");
    expect_failure(st, "not_geonames.txt", 1, "not a GeoNames dump");
    counts(st, &np, &nn);
    CHECK_INT(np, np0);
    CHECK_INT(nn, nn0);
    CHECK(find_place(st, "geonames:172946").found == 0);    /* rows before the bad one: gone */

    /* A missing file. */
    CHECK(ga_import_geonames(st, fixture("no_such_file.txt"), NULL, NULL, NULL, &err) == GA_EIO);
    CHECK(strstr(err.msg, "no_such_file.txt") != NULL);

    /* Swapped coordinates: a warning naming file and line, once the
     * country outline is known; the row is imported as given. */
    add_syria_outline(st);
    memset(&ws, 0, sizeof ws);
    memset(&stats, 0, sizeof stats);
    rc = ga_import_geonames(st, fixture("swapped.txt"), NULL, &io, &stats, &err);
    CHECK(rc == GA_OK);
    CHECK_INT(ws.n, 1);
    CHECK_INT(stats.warnings, 1);
    char want[1200];
    snprintf(want, sizeof want, "%s:2: coordinates look swapped", fixture("swapped.txt"));
    if (strncmp(ws.last, want, strlen(want)) != 0) {
        fprintf(stderr, "swapped warning: '%s'\n", ws.last);
        CHECK(0);
    }
    CHECK(find_place(st, "geonames:170017").found);

    ga_store_close(st);
    char side[600];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(side, sizeof side, "%s%s", db, suffixes[i]);
        unlink(side);
    }
    rmdir(dir);
    return ga_test_result();
}
