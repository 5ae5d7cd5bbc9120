/*
 * main.c: the geoannot binary. A command table, global options and
 * dispatch; each command is cmd_<name>() in its own file.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char main_usage[] =
    "usage: geoannot [--version] [-h] <command> [options]\n"
    "\n"
    "Find place names in news reports about forced displacement, resolve them\n"
    "to gazetteer places, extract displacement events and map them in QGIS.\n"
    "\n"
    "The database is --db PATH, else $GEOANNOT_DB, else ./geoannot.sqlite.\n"
    "Every command answers -h.\n";

static const ga_cmd commands[] = {
    {"init", cmd_init, "create a database holding the default gazetteer", cmd_init_usage},
    {"resolve", cmd_resolve, "find and resolve place names in text (no writes)", cmd_resolve_usage},
    {"annotate", cmd_annotate, "extract mentions and displacement events into the database",
     cmd_annotate_usage},
    {"reannotate", cmd_reannotate, "annotate the stored documents again (after gazetteer edits)",
     cmd_reannotate_usage},
    {"query", cmd_query, "list events, mentions or places by region, distance, date, type",
     cmd_query_usage},
    {"export", cmd_export, "write map layers (GeoJSON, GPKG, CSV, KML, FlatGeobuf, PostGIS)",
     cmd_export_usage},
    {"gazetteer", cmd_gazetteer, "search, import, add and correct gazetteer places",
     cmd_gazetteer_usage},
    {NULL, NULL, NULL, NULL},
};

static void print_main_usage(FILE *f)
{
    fputs(main_usage, f);
    fputs("\ncommands:\n", f);
    for (const ga_cmd *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("\nexamples:\n"
          "  geoannot init --db reports.sqlite\n"
          "  geoannot resolve article.txt\n"
          "  geoannot annotate --db reports.sqlite reports/\n"
          "  geoannot query events --db reports.sqlite --in Homs --from 2017-01-01\n"
          "  geoannot export --db reports.sqlite -f GPKG -o maps/events.gpkg\n", f);
}

int main(int argc, char **argv)
{
    ga_cli cli;
    memset(&cli, 0, sizeof cli);
    cli.prog = "geoannot";
    if (argc < 2) {
        print_main_usage(stderr);
        return GA_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        print_main_usage(stdout);
        return GA_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("geoannot %s\n", GA_VERSION);
        return GA_EXIT_OK;
    }
    return ga_cli_dispatch(NULL, commands, argc - 1, argv + 1, &cli);
}
