/*
 * cmd_gaz_import.c: `geoannot gazetteer import geonames|places|boundaries
 * FILE`, a thin command over the importers of gaz/ga_import.h. Prints
 * warnings (the first hundred) and a summary on stderr. The vector-file
 * importers are in the GDAL module, loaded here (cli/ogr_module.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli_gaz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gaz/ga_import.h"
#include "ogr_module.h"
#include "store/ga_store.h"

const char cmd_gaz_import_usage[] =
    "usage: geoannot gazetteer import geonames FILE [--alternate-names FILE]\n"
    "                                 [--admin1-codes FILE] [--db PATH] [-q]\n"
    "       geoannot gazetteer import places|boundaries FILE [--name-field F]\n"
    "                                 [--code-field F] [--alt-name-fields F,G]\n"
    "                                 [--level adm1|adm2|adm3] [--kind KIND] [options]\n"
    "\n"
    "Add places to the gazetteer of the database (created empty when missing).\n"
    "Every import is one transaction: on any error the database is left as it\n"
    "was. Re-importing a file updates its places instead of duplicating them.\n"
    "\n"
    "geonames: a GeoNames dump (cities500.txt, SY.txt, allCountries.txt; 19\n"
    "tab-separated columns), streamed. Each row becomes place geonames:<id> with\n"
    "its name, ASCII name and every alternate name. A malformed row stops the\n"
    "import with FILE:LINE; coordinates that look swapped are warnings.\n"
    "  --alternate-names FILE  alternateNamesV2.txt: more names, with languages\n"
    "  --admin1-codes FILE     admin1CodesASCII.txt: first-level admin names\n"
    "\n"
    "places: the features of any vector file OGR reads (GeoJSON, Shapefile, GPKG\n"
    "...) as places, at their point (or a point on their surface).\n"
    "boundaries: polygons as admin areas with their outlines (transformed to\n"
    "EPSG:4326), plus a place for each.\n"
    "  --name-field F          preferred name (default: NAME_EN, ADMn_EN, name)\n"
    "  --code-field F          P-code; the place id becomes ocha:<code>\n"
    "                          (default: PCODE, ADMn_PCODE)\n"
    "  --alt-name-fields F,G   more names (default: NAM_EN_REF, NAME_ARA, ADMn_AR\n"
    "                          when present; '' for none)\n"
    "  --level L               boundaries: adm1, adm2 or adm3 (default adm1)\n"
    "  --kind K                places: populated_place (default), section, area,\n"
    "                          camp, crossing, other ...\n"
    "  --admin1-field F        admin1 P-code of each feature (default ADMIN1_COD,\n"
    "                          ADM1_PCODE); --admin1-name-field F (ADMIN1_EN, ADM1_EN)\n"
    "  --admin2-field F        likewise for admin2 (ADMIN2_COD, ADM2_PCODE);\n"
    "                          --admin2-name-field F (ADMIN2_EN, ADM2_EN)\n"
    "  --country CC            ISO country code (default: from the P-codes, SY04 -> SY)\n"
    "  --source S              source recorded for the rows (default ocha)\n"
    "  --gid-prefix P          ids become P:<code> (default ocha)\n"
    "  -l, --layer NAME        layer to read (default: the first)\n"
    "\n"
    "  --db PATH               database (default $GEOANNOT_DB or ./geoannot.sqlite)\n"
    "  -q, --quiet             no progress, warnings or summary\n"
    "\n"
    "Invalid UTF-8 in a field is replaced and reported as\n"
    "'FILE: feature N, field F: invalid UTF-8 replaced'. Admin P-codes are\n"
    "linked to GeoNames admin1 codes through the crosswalk table.\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer import geonames SY.txt --alternate-names alternateNamesV2.txt \\\n"
    "      --admin1-codes admin1CodesASCII.txt\n"
    "  geoannot gazetteer import boundaries syr_admin1.geojson --level adm1 \\\n"
    "      --name-field NAME_EN --code-field PCODE --alt-name-fields NAME_ARA\n"
    "  geoannot gazetteer import boundaries syr_admin2.geojson --level adm2\n"
    "  geoannot gazetteer import places syr_admin4_point.geojson --name-field NAME_EN \\\n"
    "      --code-field PCODE --alt-name-fields NAM_EN_REF,NAME_ARA\n";

enum { MAX_SHOWN_WARNINGS = 100 };

typedef struct {
    ga_cli *cli;
    int64_t shown;    /* warnings printed so far */
} warn_state;

static void print_warning(const char *msg, void *arg)
{
    warn_state *w = arg;
    if (w->cli->quiet) return;
    if (w->shown++ >= MAX_SHOWN_WARNINGS) return;
    ga_cli_progress_done(w->cli);
    fprintf(stderr, "geoannot: warning: %s\n", msg);
}

int cmd_gaz_import(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer import", cmd_gaz_import, NULL, cmd_gaz_import_usage};
    enum { O_ALT = 256, O_A1CODES, O_NAME, O_CODE, O_ALTF, O_LEVEL, O_KIND, O_A1, O_A1N, O_A2,
           O_A2N, O_COUNTRY, O_SOURCE, O_PREFIX };
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"alternate-names", required_argument, NULL, O_ALT},
        {"admin1-codes", required_argument, NULL, O_A1CODES},
        {"name-field", required_argument, NULL, O_NAME},
        {"code-field", required_argument, NULL, O_CODE},
        {"alt-name-fields", required_argument, NULL, O_ALTF},
        {"level", required_argument, NULL, O_LEVEL},
        {"kind", required_argument, NULL, O_KIND},
        {"admin1-field", required_argument, NULL, O_A1},
        {"admin1-name-field", required_argument, NULL, O_A1N},
        {"admin2-field", required_argument, NULL, O_A2},
        {"admin2-name-field", required_argument, NULL, O_A2N},
        {"country", required_argument, NULL, O_COUNTRY},
        {"source", required_argument, NULL, O_SOURCE},
        {"gid-prefix", required_argument, NULL, O_PREFIX},
        {"layer", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    ga_geonames_opts gopts = {0};
    ga_ogr_opts oopts;
    memset(&oopts, 0, sizeof oopts);
    int opt, exit_now = 0, code = 0, ogr_only = 0;
    while ((opt = getopt_long(argc, argv, "qhl:", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        switch (opt) {
        case O_ALT: gopts.alternate_names = optarg; break;
        case O_A1CODES: gopts.admin1_codes = optarg; break;
        case O_NAME: oopts.name_field = optarg; ogr_only = 1; break;
        case O_CODE: oopts.code_field = optarg; ogr_only = 1; break;
        case O_ALTF: oopts.alt_name_fields = optarg; ogr_only = 1; break;
        case O_LEVEL: oopts.level = optarg; ogr_only = 1; break;
        case O_KIND:
            if (!ga_kind_parse(optarg, &oopts.kind))
                return ga_cli_usage_error(&self, "unknown kind '%s'", optarg);
            oopts.has_kind = 1;
            ogr_only = 1;
            break;
        case O_A1: oopts.admin1_field = optarg; ogr_only = 1; break;
        case O_A1N: oopts.admin1_name_field = optarg; ogr_only = 1; break;
        case O_A2: oopts.admin2_field = optarg; ogr_only = 1; break;
        case O_A2N: oopts.admin2_name_field = optarg; ogr_only = 1; break;
        case O_COUNTRY: oopts.country = optarg; ogr_only = 1; break;
        case O_SOURCE: oopts.source = optarg; ogr_only = 1; break;
        case O_PREFIX: oopts.gid_prefix = optarg; ogr_only = 1; break;
        case 'l': oopts.layer = optarg; ogr_only = 1; break;
        default: return ga_cli_usage_error(&self, "unknown option");
        }
    }
    if (argc - optind < 2)
        return ga_cli_usage_error(&self, "expected 'geonames', 'places' or 'boundaries' and "
                                  "a FILE");
    if (argc - optind > 2)
        return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind + 2]);
    const char *what = argv[optind], *file = argv[optind + 1];
    int is_gn = !strcmp(what, "geonames"), is_pl = !strcmp(what, "places"),
        is_bd = !strcmp(what, "boundaries");
    if (!is_gn && !is_pl && !is_bd)
        return ga_cli_usage_error(&self, "'%s' is not geonames, places or boundaries", what);
    if (is_gn && ogr_only)
        return ga_cli_usage_error(&self, "field options apply to places and boundaries, not "
                                  "to geonames");
    if (!is_gn && (gopts.alternate_names || gopts.admin1_codes))
        return ga_cli_usage_error(&self, "--alternate-names and --admin1-codes apply to "
                                  "geonames only");
    if (is_pl && oopts.level)
        return ga_cli_usage_error(&self, "--level applies to boundaries; use --kind for "
                                  "places");
    if (is_bd && oopts.has_kind)
        return ga_cli_usage_error(&self, "--kind applies to places; use --level for "
                                  "boundaries");
    if (oopts.level && strcmp(oopts.level, "adm1") && strcmp(oopts.level, "adm2") &&
        strcmp(oopts.level, "adm3") && strcmp(oopts.level, "country"))
        return ga_cli_usage_error(&self, "level '%s' is not adm1, adm2 or adm3", oopts.level);

    /* A missing input must not leave a new empty database behind. */
    FILE *probe = fopen(file, "rb");
    if (!probe) {
        ga_err_set(&cli->err, GA_EIO, "cannot open '%s': %s", file, strerror(errno));
        return ga_cli_fail(cli);
    }
    fclose(probe);
    /* Before the database is opened, which may create it. */
    ga_ogr_module ogr = {0};
    if (!is_gn && ga_ogr_module_load(&ogr, &cli->err)) return ga_cli_fail(cli);
    const char *db = ga_store_default_path(cli->db_path);
    ga_store *st = NULL;
    if (ga_store_open(db, GA_STORE_CREATE | GA_STORE_BULK, &st, &cli->err))
        return ga_cli_fail(cli);
    warn_state ws = {cli, 0};
    ga_import_io io = {ga_cli_progress, cli, print_warning, &ws, NULL, NULL};
    ga_import_stats stats = {0};
    ga_rc rc;
    if (is_gn) rc = ga_import_geonames(st, file, &gopts, &io, &stats, &cli->err);
    else if (is_pl) rc = ogr.import_ogr_places(st, file, &oopts, &io, &stats, &cli->err);
    else rc = ogr.import_ogr_boundaries(st, file, &oopts, &io, &stats, &cli->err);
    ga_store_close(st);
    ga_cli_progress_done(cli);
    if (rc) return ga_cli_fail(cli);
    if (!cli->quiet) {
        if (ws.shown > MAX_SHOWN_WARNINGS)
            fprintf(stderr, "geoannot: ... and %lld more warnings\n",
                    (long long)(ws.shown - MAX_SHOWN_WARNINGS));
        fprintf(stderr, "imported '%s': %lld places, %lld names", file,
                (long long)stats.places, (long long)stats.names);
        if (is_bd) fprintf(stderr, ", %lld boundaries", (long long)stats.boundaries);
        if (stats.skipped) fprintf(stderr, ", %lld rows skipped", (long long)stats.skipped);
        fprintf(stderr, ", %lld warnings, %.2f s\n", (long long)stats.warnings, stats.seconds);
    }
    return GA_EXIT_OK;
}
