/*
 * qgis_project.c: `export --qgis-project DIR` (ga_export.h). Writes every
 * layer into DIR/geoannot.gpkg, copies the .qml styles from maps/templates/, and
 * fills the project template maps/templates/geoannot.qgs.in, which loads the layers
 * by relative path (./geoannot.gpkg|layername=events) with the styles
 * inline and the temporal controller on event_date. Only the map extent
 * and the project's time range are filled in; everything else in the
 * template was made and checked with QGIS (maps/make_templates.py).
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const styles[] = {"events", "flows", "mentions", "places", "regions"};

const char *ga_export_maps_dir(char *buf, size_t size)
{
    const char *env = getenv("GEOANNOT_MAPS");
    if (env && *env) { snprintf(buf, size, "%s", env); return buf; }
    static const char *const rel[] = {"../maps/templates", "../share/geoannot/maps", "maps/templates"};
    if (ga_find_near_exe(rel, sizeof rel / sizeof rel[0], "geoannot.qgs.in", buf, size)) return buf;
    snprintf(buf, size, "%s/maps/templates", GA_SOURCE_DIR);
    return buf;
}

/* Replace every @KEY@ of the template t by its value. */
static ga_rc fill(const char *t, const char *const (*kv)[2], size_t nkv, ga_buf *out)
{
    const char *p = t;
    while (*p) {
        const char *at = strchr(p, '@');
        if (!at) { if (ga_buf_puts(out, p)) return GA_ENOMEM; break; }
        if (ga_buf_append(out, p, (size_t)(at - p))) return GA_ENOMEM;
        size_t i;
        for (i = 0; i < nkv; i++) {
            size_t kl = strlen(kv[i][0]);
            if (strncmp(at, kv[i][0], kl) == 0) {
                if (ga_buf_puts(out, kv[i][1])) return GA_ENOMEM;
                p = at + kl;
                break;
            }
        }
        if (i == nkv) {
            if (ga_buf_putc(out, '@')) return GA_ENOMEM;
            p = at + 1;
        }
    }
    return GA_OK;
}

static ga_rc write_file(const char *path, const char *data, size_t len, ga_err *err)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return ga_err_set(err, GA_EIO, "cannot write '%s': %s", path, strerror(errno));
    size_t w = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || w != len || rename(tmp, path) != 0) {
        unlink(tmp);
        return ga_err_set(err, GA_EIO, "cannot write '%s': %s", path, strerror(errno));
    }
    return GA_OK;
}

ga_rc ga_export_qgis_project(ga_store *st, const char *dir, const ga_export_opts *o,
                             ga_export_stats *stats, ga_err *err)
{
    char maps[PATH_MAX], path[PATH_MAX + 64], src[PATH_MAX + 64];
    ga_export_maps_dir(maps, sizeof maps);
    ga_buf tmpl = {0}, qgs = {0};
    ga_rc rc;
    snprintf(src, sizeof src, "%s/geoannot.qgs.in", maps);
    if ((rc = ga_read_file(src, &tmpl, err))) {
        ga_err_set(err, GA_ENOTFOUND, "QGIS project template '%s' is missing (set "
                   "GEOANNOT_MAPS to the maps/templates folder)", src);
        return GA_ENOTFOUND;
    }
    int made_dir = 0;
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (mkdir(dir, 0755) != 0) {
            rc = ga_err_set(err, GA_EIO, "cannot create directory '%s': %s", dir, strerror(errno));
            goto done;
        }
        made_dir = 1;
    } else if (!S_ISDIR(sb.st_mode)) {
        rc = ga_err_set(err, GA_EINVAL, "'%s' is not a directory", dir);
        goto done;
    }
    /* Refuse before writing anything when a file is in the way. */
    if (!o->overwrite) {
        snprintf(path, sizeof path, "%s/geoannot.qgs", dir);
        if (access(path, F_OK) == 0) {
            rc = ga_err_set(err, GA_EINVAL, "'%s' already exists; use --overwrite to replace "
                            "the project", path);
            goto done;
        }
        for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
            snprintf(path, sizeof path, "%s/%s.qml", dir, styles[i]);
            if (access(path, F_OK) == 0) {
                rc = ga_err_set(err, GA_EINVAL, "'%s' already exists; use --overwrite to "
                                "replace the project", path);
                goto done;
            }
        }
    }
    ga_export_opts go = *o;
    snprintf(path, sizeof path, "%s/geoannot.gpkg", dir);
    go.format = GA_FMT_GPKG;
    go.layers = GA_LAYER_ALL;
    go.dest = path;
    go.append = 0;
    if ((rc = ga_export_write(st, &go, stats, err))) goto done;
    made_dir = 0;   /* the GeoPackage is in place: keep the directory */

    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        snprintf(src, sizeof src, "%s/%s.qml", maps, styles[i]);
        snprintf(path, sizeof path, "%s/%s.qml", dir, styles[i]);
        if ((rc = ga_copy_file(src, path, err))) goto done;
    }

    /* Extent of the events with a margin; the whole world when empty. */
    double w = stats->west, s = stats->south, e = stats->east, n = stats->north;
    if (isnan(w)) { w = -180; s = -90; e = 180; n = 90; }
    double mx = (e - w) * 0.15 + 0.1, my = (n - s) * 0.15 + 0.1;
    char xmin[32], ymin[32], xmax[32], ymax[32];
    snprintf(xmin, sizeof xmin, "%.6f", w - mx);
    snprintf(ymin, sizeof ymin, "%.6f", s - my);
    snprintf(xmax, sizeof xmax, "%.6f", e + mx);
    snprintf(ymax, sizeof ymax, "%.6f", n + my);
    char dmin[32], dmax[32];
    snprintf(dmin, sizeof dmin, "%sT00:00:00Z", stats->date_min[0] ? stats->date_min : "2000-01-01");
    snprintf(dmax, sizeof dmax, "%sT23:59:59Z", stats->date_max[0] ? stats->date_max : "2000-01-01");
    const char *const kv[][2] = {
        {"@XMIN@", xmin}, {"@YMIN@", ymin}, {"@XMAX@", xmax}, {"@YMAX@", ymax},
        {"@DATE_MIN@", dmin}, {"@DATE_MAX@", dmax},
    };
    if (fill(tmpl.data, kv, sizeof kv / sizeof kv[0], &qgs)) {
        rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        goto done;
    }
    snprintf(path, sizeof path, "%s/geoannot.qgs", dir);
    if ((rc = write_file(path, qgs.data, qgs.len, err))) goto done;

    char *attrib = ga_export_attribution(st, err);
    if (!attrib) { rc = err->rc ? err->rc : GA_ENOMEM; goto done; }
    snprintf(path, sizeof path, "%s/ATTRIBUTION.txt", dir);
    ga_buf a = {0};
    ga_buf_printf(&a, "%s\n", attrib);
    free(attrib);
    rc = a.data ? write_file(path, a.data, a.len, err) : ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_buf_free(&a);
done:
    if (rc && made_dir) rmdir(dir);
    ga_buf_free(&tmpl);
    ga_buf_free(&qgs);
    return rc;
}
