/*
 * cmd_export.c: `geoannot export`, map layers for QGIS and friends
 * through GDAL/OGR (src/export/ga_export.h), and `--qgis-project DIR`, a
 * ready project with a GeoPackage, styles and the temporal controller.
 * The writers are in the GDAL module, loaded here (cli/ogr_module.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "filters.h"

#include <stdlib.h>
#include <string.h>
#include "export/ga_export.h"
#include "ogr_module.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"

const char cmd_export_usage[] =
    "usage: geoannot export [--layer events|flows|mentions|places|regions|all]\n"
    "                       [-f GeoJSON|GPKG|CSV|KML|FlatGeobuf|PostgreSQL]\n"
    "                       [filters] [--overwrite|--append] -o DEST\n"
    "       geoannot export --qgis-project DIR [filters] [--overwrite]\n"
    "\n"
    "Write map layers from the database through GDAL/OGR.\n"
    "\n"
    "  --layer L          events, flows, mentions, places, regions or all; several\n"
    "                     as a comma list (events,flows). Default: all into a GPKG\n"
    "                     or PostgreSQL, events into other formats\n"
    "  -f, --format F     GeoJSON (RFC 7946), GPKG, CSV (ISO dates, HXL tag row), KML,\n"
    "                     FlatGeobuf or PostgreSQL; default from the extension of DEST\n"
    "  -o, --output DEST  file; a directory when a one-layer-per-file format (GeoJSON,\n"
    "                     CSV, FlatGeobuf) gets several layers; PG:\"dbname=... \" for\n"
    "                     PostgreSQL/PostGIS\n"
    "  --overwrite        replace an existing file (or existing PostgreSQL tables)\n"
    "  --append           add to an existing GeoPackage or PostgreSQL tables\n"
    "  --region-level L   admin level of the regions layer: adm1 (default), adm2, adm3,\n"
    "                     country\n"
    "  --qgis-project DIR write DIR/geoannot.gpkg (every layer), a .qml style per layer\n"
    "                     and DIR/geoannot.qgs (relative paths, temporal controller on\n"
    "                     event_date)\n"
    "  --db PATH          database (default $GEOANNOT_DB or ./geoannot.sqlite)\n"
    "  -q, --quiet        no progress output\n"
    "\n"
    GA_CLI_FILTER_HELP
    "\n"
    "Filters select events (and the regions' counts); mentions and places follow\n"
    "the place, date and precision filters.\n"
    "\n"
    "Nothing is left behind on failure: files are written under a temporary name and\n"
    "renamed when complete; PostgreSQL writes are one transaction. Layers carry the\n"
    "attribution of the gazetteer sources (GeoNames CC BY 4.0 ...) in their description\n"
    "or in an ATTRIBUTION.txt beside them.\n"
    "\n"
    "examples:\n"
    "  geoannot export -o events.geojson\n"
    "  geoannot export --layer all -f GPKG --in Homs --from 2017-01-01 -o homs.gpkg\n"
    "  geoannot export --layer all -f CSV -o csv/\n"
    "  geoannot export -f PostgreSQL --layer events PG:\"dbname=maps\"\n"
    "  geoannot export --qgis-project maps/\n";

/* Parse a comma list of layer names into bits; 0 on an unknown name. */
static int parse_layers(const ga_ogr_module *ogr, const char *s, const char **bad)
{
    int bits = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int b = ogr->export_layer_parse(tok);
        if (!b) { *bad = s; return 0; }
        bits |= b;
    }
    return bits;
}

static void print_summary(const ga_ogr_module *ogr, const ga_export_stats *s, int layers)
{
    for (int i = 0; i < GA_LAYER_COUNT; i++) {
        if (!(layers & (1 << i))) continue;
        fprintf(stderr, "wrote %lld %s to '%s'\n", (long long)s->features[i],
                ogr->export_layer_name(1 << i), s->paths[i]);
    }
}

int cmd_export(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"export", cmd_export, NULL, cmd_export_usage};
    enum { O_LAYER = 1000, O_OVERWRITE, O_APPEND, O_QGIS, O_LEVEL };
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"layer", required_argument, NULL, O_LAYER},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"overwrite", no_argument, NULL, O_OVERWRITE},
        {"append", no_argument, NULL, O_APPEND},
        {"qgis-project", required_argument, NULL, O_QGIS},
        {"region-level", required_argument, NULL, O_LEVEL},
        GA_FILTER_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    ga_export_opts o;
    memset(&o, 0, sizeof o);
    ga_filter f;
    memset(&f, 0, sizeof f);
    const char *format = NULL, *qgis = NULL, *layer_arg = NULL;
    int opt, exit_now = 0, code = 0;
    while ((opt = getopt_long(argc, argv, "qhf:o:", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        int fr = ga_cli_filter_opt(&f, opt, optarg, &self);
        if (fr < 0) return GA_EXIT_USAGE;
        if (fr > 0) continue;
        switch (opt) {
        case 'f': format = optarg; break;
        case 'o': o.dest = optarg; break;
        case O_LAYER: layer_arg = optarg; break;
        case O_OVERWRITE: o.overwrite = 1; break;
        case O_APPEND: o.append = 1; break;
        case O_QGIS: qgis = optarg; break;
        case O_LEVEL: o.region_level = optarg; break;
        default: return GA_EXIT_USAGE;
        }
    }
    /* The destination may also come as the last word (PG:"dbname=x"). */
    if (optind < argc && !o.dest && !qgis) o.dest = argv[optind++];
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    if (!ga_cli_filter_check(&f, &self)) return GA_EXIT_USAGE;
    if (o.overwrite && o.append)
        return ga_cli_usage_error(&self, "--overwrite and --append exclude each other");
    if (o.region_level && strcmp(o.region_level, "adm1") && strcmp(o.region_level, "adm2") &&
        strcmp(o.region_level, "adm3") && strcmp(o.region_level, "country"))
        return ga_cli_usage_error(&self, "unknown region level '%s'; use adm1, adm2, adm3 or "
                                  "country", o.region_level);
    ga_ogr_module ogr;
    if (ga_ogr_module_load(&ogr, &cli->err)) return ga_cli_fail(cli);
    o.layers = 0;
    if (layer_arg) {
        const char *bad = NULL;
        if (!(o.layers = parse_layers(&ogr, layer_arg, &bad)))
            return ga_cli_usage_error(&self, "unknown layer '%s'; use events, flows, mentions, "
                                      "places, regions or all", bad);
    }
    if (qgis) {
        if (o.dest || format)
            return ga_cli_usage_error(&self, "--qgis-project writes its own GeoPackage; drop "
                                      "-o and -f");
    } else {
        if (!o.dest) return ga_cli_usage_error(&self, "no destination; give -o DEST");
        if (format) {
            if (!ogr.export_format_parse(format, &o.format))
                return ga_cli_usage_error(&self, "unknown format '%s'; supported: %s", format,
                                          ogr.export_format_list());
        } else if (!ogr.export_format_guess(o.dest, &o.format)) {
            return ga_cli_usage_error(&self, "cannot tell the format of '%s' from its name; "
                                      "give -f (supported: %s)", o.dest,
                                      ogr.export_format_list());
        }
    }
    /* without --layer: a GeoPackage or a PostGIS database holds every
     * layer, a one-layer file the events */
    if (!o.layers)
        o.layers = !qgis && (o.format == GA_FMT_GPKG || o.format == GA_FMT_POSTGRESQL)
                       ? GA_LAYER_ALL : GA_LAYER_EVENTS;
    o.progress = ga_cli_progress;
    o.progress_arg = cli;

    ga_store *st = NULL;
    if (ga_store_open(ga_store_default_path(cli->db_path), GA_STORE_READONLY | GA_STORE_SCAN,
                      &st, &cli->err))
        return ga_cli_fail(cli);
    int rc = GA_EXIT_OK;
    if (ga_cli_filter_prepare(cli, st, &f)) { rc = ga_cli_fail(cli); goto done; }
    o.filter = &f;
    ga_export_stats stats;
    if (qgis) {
        if (ogr.export_qgis_project(st, qgis, &o, &stats, &cli->err)) {
            rc = ga_cli_fail(cli);
            goto done;
        }
        ga_cli_progress_done(cli);
        if (!cli->quiet) {
            print_summary(&ogr, &stats, GA_LAYER_ALL);
            fprintf(stderr, "open '%s/geoannot.qgs' in QGIS\n", qgis);
        }
    } else {
        if (ogr.export_write(st, &o, &stats, &cli->err)) { rc = ga_cli_fail(cli); goto done; }
        ga_cli_progress_done(cli);
        if (!cli->quiet) print_summary(&ogr, &stats, o.layers);
    }
done:
    ga_filter_clear(&f);
    ga_store_close(st);
    return rc;
}
