/*
 * cmd_init.c: `geoannot init`, a new database holding the default
 * gazetteer. The default gazetteer is built once by the set-up script
 * (scripts/setup.sh runs `geoannot gazetteer build-default`); init only
 * copies that file and its name index, so it takes well under a second.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <string.h>
#include <unistd.h>
#include "gaz/ga_gaz.h"
#include "store/ga_store.h"

const char cmd_init_usage[] =
    "usage: geoannot init [--db PATH] [--force] [--gazetteer FILE] [-q]\n"
    "\n"
    "Create a new database holding the default gazetteer (GeoNames cities500,\n"
    "world countries, Natural Earth admin-1 areas and the curated supplement).\n"
    "\n"
    "  --db PATH         database to create (default $GEOANNOT_DB or ./geoannot.sqlite)\n"
    "  --force           replace an existing database (its annotations are lost)\n"
    "  --gazetteer FILE  prebuilt gazetteer to copy (default: the one the set-up built,\n"
    "                    or $GEOANNOT_GAZETTEER)\n"
    "  -q, --quiet       no progress output\n"
    "\n"
    "example:\n"
    "  geoannot init --db reports.sqlite\n";

int cmd_init(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"init", cmd_init, NULL, cmd_init_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"force", no_argument, NULL, 'f'},
        {"gazetteer", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    int force = 0, opt, exit_now = 0, code = 0;
    const char *gaz = NULL;
    while ((opt = getopt_long(argc, argv, "qhf", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'f') force = 1;
        else if (opt == 'g') gaz = optarg;
    }
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    const char *db = ga_store_default_path(cli->db_path);
    if (!gaz) gaz = ga_cli_default_gazetteer();
    if (access(gaz, R_OK) != 0) {
        ga_err_set(&cli->err, GA_ENOTFOUND, "default gazetteer '%s' is missing; run "
                   "scripts/setup.sh to build it, or pass --gazetteer FILE", gaz);
        return ga_cli_fail(cli);
    }
    if (access(db, F_OK) == 0 && !force) {
        ga_err_set(&cli->err, GA_EINVAL, "database '%s' already exists; use --force to "
                   "replace it", db);
        return ga_cli_fail(cli);
    }
    if (force) {
        char side[4096];
        static const char *const suffixes[] = {"-wal", "-shm"};
        for (size_t i = 0; i < 2; i++) {
            snprintf(side, sizeof side, "%s%s", db, suffixes[i]);
            unlink(side);
        }
    }
    double t0 = ga_now();
    if (ga_copy_file(gaz, db, &cli->err)) return ga_cli_fail(cli);
    /* The name index travels with the gazetteer so that the first command
     * does not have to build it. */
    if (ga_gaz_index_copy(gaz, db, &cli->err)) return ga_cli_fail(cli);
    ga_store *st = NULL;
    if (ga_store_open(db, 0, &st, &cli->err)) return ga_cli_fail(cli);
    ga_store_close(st);
    if (!cli->quiet)
        fprintf(stderr, "created '%s' with the default gazetteer in %.2f s\n", db,
                ga_now() - t0);
    return GA_EXIT_OK;
}
