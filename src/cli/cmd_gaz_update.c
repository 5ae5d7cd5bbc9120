/*
 * cmd_gaz_update.c: `geoannot gazetteer update-default`, bring the
 * gazetteer of a database up to the current default gazetteer, keeping a
 * curator's places and names.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli_gaz.h"

#include <unistd.h>
#include "store/ga_store.h"
#include "store/ga_store_curate.h"

const char cmd_gaz_update_usage[] =
    "usage: geoannot gazetteer update-default [--gazetteer FILE] [--db PATH] [-q]\n"
    "\n"
    "Merge the default gazetteer (rebuilt by 'geoannot gazetteer build-default'\n"
    "or scripts/setup.sh) into the database: its places, names and outlines\n"
    "replace the older ones of the same id and new places are added. Places and\n"
    "names a curator added (gazetteer add / alias) and places imported from other\n"
    "files are kept. One transaction: on error nothing changes. Reannotate\n"
    "documents afterwards (annotate --reannotate) to use the new gazetteer.\n"
    "\n"
    "  --gazetteer FILE  the default gazetteer to merge (default: the one the set-up\n"
    "                    built, or $GEOANNOT_GAZETTEER)\n"
    "\n"
    "example:\n"
    "  geoannot gazetteer update-default --db reports.sqlite\n";

int cmd_gaz_update(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer update-default", cmd_gaz_update, NULL,
                                cmd_gaz_update_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"gazetteer", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    const char *gaz = NULL;
    int opt, exit_now = 0, code = 0;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'g') gaz = optarg;
    }
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    if (!gaz) gaz = ga_cli_default_gazetteer();
    if (access(gaz, R_OK) != 0) {
        ga_err_set(&cli->err, GA_ENOTFOUND, "default gazetteer '%s' is missing; run "
                   "scripts/setup.sh to build it, or pass --gazetteer FILE", gaz);
        return ga_cli_fail(cli);
    }
    ga_store *st = NULL;
    int64_t n = 0;
    double t0 = ga_now();
    if (ga_store_open(ga_store_default_path(cli->db_path), 0, &st, &cli->err) ||
        ga_store_gaz_update_from(st, gaz, &n, &cli->err)) {
        ga_store_close(st);
        return ga_cli_fail(cli);
    }
    ga_store_close(st);
    if (!cli->quiet)
        fprintf(stderr, "merged %lld places of '%s' in %.1f s; curated places and names kept\n",
                (long long)n, gaz, ga_now() - t0);
    return GA_EXIT_OK;
}
