/*
 * ogr_module.c: finds and dlopen()s the GDAL module and resolves its entry
 * points into a ga_ogr_module (see ogr_module.h for why). The binary links
 * none of the module's code: the only link between the two is the table of
 * names below, checked against the prototypes at compile time.
 */
#define _POSIX_C_SOURCE 200809L
#include "ogr_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef GA_OGR_MODULE_NAME
#define GA_OGR_MODULE_NAME "libgeoannot_ogr.so"
#endif
#ifndef GA_OGR_MODULE_RELDIR
#define GA_OGR_MODULE_RELDIR "../lib/geoannot"
#endif
#ifndef GA_OGR_MODULE_DIR
#define GA_OGR_MODULE_DIR "/usr/local/lib/geoannot"
#endif

/* Every member of ga_ogr_module, by name without the "ga_" prefix. */
#define GA_OGR_ENTRIES(X)                                                    \
    X(export_write) X(export_qgis_project) X(export_format_parse)            \
    X(export_format_guess) X(export_format_list) X(export_format_name)       \
    X(export_layer_parse) X(export_layer_name) X(import_ogr_places)          \
    X(import_ogr_boundaries) X(gaz_build_default)

/* Each entry point redeclared with its function type: a prototype that
 * drifts from its ga_<name>_fn is a compile error ("conflicting types")
 * here. A declaration alone makes no reference, so the binary still links
 * none of the module. */
#define GA_OGR_REDECLARE(n) ga_##n##_fn ga_##n;
GA_OGR_ENTRIES(GA_OGR_REDECLARE)

/* ...and each member has that function type. */
#define GA_OGR_CHECK_MEMBER(n)                                               \
    _Static_assert(_Generic(((ga_ogr_module *)NULL)->n,                      \
                            ga_##n##_fn *: 1, default: 0),                   \
                   "ga_ogr_module." #n " is not a ga_" #n "_fn *");
GA_OGR_ENTRIES(GA_OGR_CHECK_MEMBER)

/* dlsym() returns a void *; POSIX guarantees it can hold a function
 * pointer, which is copied bytewise into its member (ISO C has no cast
 * between the two). */
#define GA_OGR_SIZE_CHECK(n)                                                 \
    _Static_assert(sizeof(((ga_ogr_module *)NULL)->n) == sizeof(void *),     \
                   "function pointers must be the size of void *");
GA_OGR_ENTRIES(GA_OGR_SIZE_CHECK)

static const struct {
    const char *symbol;   /* exported name, "ga_<member>" */
    size_t offset;        /* of the member in ga_ogr_module */
} entries[] = {
#define GA_OGR_ENTRY(n) {"ga_" #n, offsetof(ga_ogr_module, n)},
    GA_OGR_ENTRIES(GA_OGR_ENTRY)
};

/* ...and none is left out (a member missing here would stay NULL). */
_Static_assert(sizeof(ga_ogr_module) == sizeof entries / sizeof entries[0] * sizeof(void *),
               "every member of ga_ogr_module must be in GA_OGR_ENTRIES");

static const char need[] = "export and import need it";

/* Resolve every entry of the loaded module h into *m. */
static ga_rc resolve_entries(void *h, const char *path, ga_ogr_module *m, ga_err *err)
{
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        dlerror();
        void *p = dlsym(h, entries[i].symbol);
        if (!p) {
            const char *why = dlerror();
            return ga_err_set(err, GA_ERR, "cannot load the GDAL module '%s': %s; %s", path,
                              why ? why : "no such symbol", need);
        }
        memcpy((char *)m + entries[i].offset, &p, sizeof p);
    }
    return GA_OK;
}

/* dlopen() path, resolve the entries into *m. */
static ga_rc load_from(const char *path, ga_ogr_module *m, ga_err *err)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return ga_err_set(err, GA_ERR, "cannot load the GDAL module '%s': %s; %s", path,
                          why ? why : "unknown error", need);
    }
    ga_rc rc = resolve_entries(h, path, m, err);
    if (rc) memset(m, 0, sizeof *m);
    return rc;
}

ga_rc ga_ogr_module_load(ga_ogr_module *m, ga_err *err)
{
    memset(m, 0, sizeof *m);
    /* Beside the binary (the build tree), then the install location
     * relative to the binary, then the absolute install location. */
    static const char *const rel[] = {".", GA_OGR_MODULE_RELDIR};
    char dir[PATH_MAX], path[PATH_MAX + 64];
    if (ga_find_near_exe(rel, sizeof rel / sizeof rel[0], GA_OGR_MODULE_NAME, dir, sizeof dir)) {
        snprintf(path, sizeof path, "%s/%s", dir, GA_OGR_MODULE_NAME);
        return load_from(path, m, err);
    }
    snprintf(path, sizeof path, "%s/%s", GA_OGR_MODULE_DIR, GA_OGR_MODULE_NAME);
    if (access(path, F_OK) == 0) return load_from(path, m, err);
    return ga_err_set(err, GA_ENOTFOUND, "cannot load the GDAL module '%s': not found beside "
                      "the binary (in '.' or '%s') nor in '%s'; %s", GA_OGR_MODULE_NAME,
                      GA_OGR_MODULE_RELDIR, GA_OGR_MODULE_DIR, need);
}
