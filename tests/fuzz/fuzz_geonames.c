/*
 * fuzz_geonames.c: the GeoNames importer (gaz/ga_import.h) on arbitrary
 * dump files.
 *
 * import_geonames.c keeps its row parser private, so the harness drives
 * the public entry point: the input is cut at the first "\n==\n" (what
 * follows is an admin1CodesASCII file) and the rest at the first "\n--\n"
 * into a dump and an alternateNamesV2 file (each only when its marker is
 * present), written to per-process temporary files and imported into one database
 * opened in LLVMFuzzerInitialize (WAL, synchronous=NORMAL: a few hundred
 * imports a second).
 *
 * Contracts checked: a failed import names the file in its message and
 * leaves the gazetteer generation unchanged (its transaction rolled
 * back); a successful one bumps the generation and counts at least one
 * place; a non-empty input never succeeds without a final newline.
 */
#include "fuzz_common.h"

#include <stdlib.h>

#include "gaz/ga_import.h"
#include "store/ga_store.h"

static ga_store *st;
static char dbpath[512], dump_path[512], alt_path[512], a1_path[512];

static void cleanup(void)
{
    ga_store_close(st);
    st = NULL;
    char p[600];
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
        unlink(p);
    }
    unlink(dump_path);
    unlink(alt_path);
    unlink(a1_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    fz_temp_path(dbpath, sizeof dbpath, "geonames", ".sqlite");
    fz_temp_path(dump_path, sizeof dump_path, "geonames-dump", ".txt");
    fz_temp_path(alt_path, sizeof alt_path, "geonames-alt", ".txt");
    fz_temp_path(a1_path, sizeof a1_path, "geonames-admin1", ".txt");
    unlink(dbpath);
    ga_err err = {0};
    if (ga_store_open(dbpath, GA_STORE_CREATE, &st, &err)) {
        fprintf(stderr, "fuzz_geonames: %s\n", err.msg);
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

/* First "\n<c><c>\n" in d[0..n), or NULL. */
static const uint8_t *find_marker(const uint8_t *d, size_t n, uint8_t c)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if (d[i] == '\n' && d[i + 1] == c && d[i + 2] == c && d[i + 3] == '\n') return d + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ga_geonames_opts opts = {0};
    const uint8_t *a1 = find_marker(data, size, '=');
    if (a1) {
        size_t before = (size_t)(a1 - data) + 1;   /* keep the line's newline */
        if (!fz_write_file(a1_path, a1 + 4, size - before - 3)) abort();
        opts.admin1_codes = a1_path;
        size = before;
    }
    const uint8_t *m = find_marker(data, size, '-');
    size_t dump_len = m ? (size_t)(m - data) + 1 : size;
    if (!fz_write_file(dump_path, data, dump_len)) abort();
    if (m) {
        if (!fz_write_file(alt_path, m + 4, size - dump_len - 3)) abort();
        opts.alternate_names = alt_path;
    }

    ga_err err = {0};
    int64_t gen0 = -1, gen1 = -1;
    FZ_CHECK(ga_store_gaz_generation(st, &gen0, &err) == GA_OK);
    ga_import_stats stats = {0};
    ga_rc rc = ga_import_geonames(st, dump_path, &opts, NULL, &stats, &err);
    FZ_CHECK(ga_store_gaz_generation(st, &gen1, &err) == GA_OK);
    if (rc == GA_OK) {
        FZ_CHECK(gen1 > gen0);
        FZ_CHECK(stats.places >= 1);
        FZ_CHECK(dump_len > 0 && data[dump_len - 1] == '\n');
    } else {
        FZ_CHECK(gen1 == gen0);
        FZ_CHECK(err.msg[0] != 0);
        if (rc == GA_EFORMAT) FZ_CHECK(strstr(err.msg, "ga-fuzz-geonames") != NULL);
    }
    return 0;
}
