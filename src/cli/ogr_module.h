/*
 * ogr_module.h: the GDAL module (libgeoannot_ogr.so), loaded on first use.
 *
 * The binary does not link GDAL: loading GDAL and the ~160 shared libraries
 * it needs costs ~90 ms at every start, and only `export`, `gazetteer
 * import places|boundaries` and `gazetteer build-default` use it. Their
 * code (src/export/, gaz/import_ogr.c, gaz/build_default.c) is built into
 * a module that these commands dlopen() here and call through the table
 * below. The entry points keep their real prototypes (ga_export.h,
 * ga_import.h); each member has the function type ga_<name>_fn declared
 * beside its prototype, and ogr_module.c checks at compile time that the
 * two agree.
 *
 * The module is looked for next to the binary (the build tree), then at
 * its install location relative to the binary, then at its absolute
 * install location. It is never unloaded.
 */
#ifndef GA_CLI_OGR_MODULE_H
#define GA_CLI_OGR_MODULE_H

#include "core/ga_core.h"
#include "export/ga_export.h"
#include "gaz/ga_import.h"

/* The entry points the commands call; each is ga_<member name>(). */
typedef struct {
    ga_export_write_fn *export_write;                  /* export -o DEST */
    ga_export_qgis_project_fn *export_qgis_project;    /* export --qgis-project */
    ga_export_format_parse_fn *export_format_parse;    /* -f NAME */
    ga_export_format_guess_fn *export_format_guess;    /* format from DEST */
    ga_export_format_list_fn *export_format_list;      /* for messages */
    ga_export_format_name_fn *export_format_name;      /* format -> name */
    ga_export_layer_parse_fn *export_layer_parse;      /* --layer NAME */
    ga_export_layer_name_fn *export_layer_name;        /* layer bit -> name */
    ga_import_ogr_places_fn *import_ogr_places;        /* import places */
    ga_import_ogr_boundaries_fn *import_ogr_boundaries; /* import boundaries */
    ga_gaz_build_default_fn *gaz_build_default;        /* build-default */
} ga_ogr_module;

/* Load the module (a no-op after the first time: dlopen counts) and fill
 * *m with its entry points. On failure *m is zeroed and err says
 * "cannot load the GDAL module 'PATH': REASON; export and import need it"
 * (GA_ENOTFOUND when no module file exists, GA_ERR when one exists but
 * cannot be loaded or lacks an entry point). */
ga_rc ga_ogr_module_load(ga_ogr_module *m, ga_err *err);

#endif
