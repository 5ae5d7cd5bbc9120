/*
 * test_export.c: the export module on a real SpatiaLite database and the
 * real GDAL writers: format and layer names, GeoJSON (RFC 7946, ISO date,
 * no fid), CSV (HXL row, ISO dates), refusal of an existing file with no
 * temporary left, the regions counts and the QGIS project files.
 */
#define _POSIX_C_SOURCE 200809L
#include "ga_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include "export/ga_export.h"
#include "store/store_int.h"   /* ga_store_exec, to seed rows */

static const char seed_sql[] =
    "INSERT INTO places(gid, name, kind, country, admin1, admin1_pcode, lon, lat, source)"
    " VALUES ('ocha:SY04', 'Homs', 'adm1', 'SY', 'Homs', 'SY04', 37.2, 34.7, 'ocha');"
    "INSERT INTO boundaries(place_id, level, pcode, source, geom) SELECT id, 'adm1', 'SY04',"
    " 'ocha', CastToMultiPolygon(BuildMbr(36.4, 34.3, 38.0, 35.2, 4326)) FROM places"
    " WHERE gid = 'ocha:SY04';"
    "INSERT INTO places(gid, name, kind, country, admin1, admin1_pcode, lon, lat, source)"
    " VALUES ('geonames:1', 'Al-Waer', 'section', 'SY', 'Homs', 'SY04', 36.667, 34.733,"
    " 'geonames');"
    "INSERT INTO documents(doc_id, title, doc_date, content_hash, text)"
    " VALUES ('w1', 'Waer deal', '2017-03-18', 'x', '...');"
    "INSERT INTO mentions(document_id, seq, start, end, text, place_id, place_gid, place_name,"
    " kind, country, precision, geom) SELECT d.id, 0, 0, 4, 'Waer', p.id, p.gid, p.name,"
    " p.kind, 'SY', 1, MakePoint(p.lon, p.lat, 4326) FROM documents d, places p"
    " WHERE p.gid = 'geonames:1';"
    "INSERT INTO events(document_id, seq, type, status, event_date, time_precision,"
    " geo_precision, place_id, place_gid, place_name, country, admin1, admin1_pcode, role,"
    " actors, people, origin_name, origin_lon, origin_lat, dest_name, dest_lon, dest_lat,"
    " lon, lat, geom) SELECT d.id, 0, 'forced_displacement', 'threatened', '2017-03-18', 1, 1,"
    " p.id, p.gid, p.name, 'SY', 'Homs', 'SY04', 'origin', '[\"Russia\",\"Turkey\"]', 1500,"
    " 'Al-Waer', 36.667, 34.733, 'Jarablus', 38.0, 36.8, 36.667, 34.733,"
    " MakePoint(36.667, 34.733, 4326) FROM documents d, places p WHERE p.gid = 'geonames:1';"
    /* A second event, after the first in storage order: a month-precise
     * date, and none of the first one's actors, people or flow. */
    "INSERT INTO events(document_id, seq, type, status, event_date, time_precision,"
    " geo_precision, place_name, role, lon, lat, geom) SELECT id, 1, 'return', 'reported',"
    " '2017-04', 2, 2, 'Elsewhere', 'site', 40.0, 36.0, MakePoint(40.0, 36.0, 4326)"
    " FROM documents WHERE doc_id = 'w1';";

static char *slurp(const char *path)
{
    ga_buf b = {0};
    ga_err err = {0};
    if (ga_read_file(path, &b, &err)) return NULL;
    return b.data;
}

static int count_hidden(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n;
}

int main(void)
{
    ga_export_format f;
    CHECK(ga_export_format_parse("geojson", &f) && f == GA_FMT_GEOJSON);
    CHECK(ga_export_format_parse("FGB", &f) && f == GA_FMT_FLATGEOBUF);
    CHECK(ga_export_format_parse("PostGIS", &f) && f == GA_FMT_POSTGRESQL);
    CHECK(!ga_export_format_parse("Shapefile", &f));
    CHECK(ga_export_format_guess("a/b.gpkg", &f) && f == GA_FMT_GPKG);
    CHECK(ga_export_format_guess("PG:dbname=x", &f) && f == GA_FMT_POSTGRESQL);
    CHECK(!ga_export_format_guess("dir.v1/noext", &f));
    CHECK_INT(ga_export_layer_parse("all"), GA_LAYER_ALL);
    CHECK_INT(ga_export_layer_parse("regions"), GA_LAYER_REGIONS);
    CHECK_INT(ga_export_layer_parse("roads"), 0);
    CHECK(strstr(ga_export_format_list(), "FlatGeobuf") != NULL);

    char dir[] = "/tmp/ga_test_export_XXXXXX";
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char db[256], path[512];
    snprintf(db, sizeof db, "%s/t.sqlite", dir);
    ga_err err = {0};
    ga_store *st = NULL;
    if (ga_store_open(db, GA_STORE_CREATE, &st, &err)) {
        fprintf(stderr, "cannot create database: %s\n", err.msg);
        return 1;
    }
    CHECK_INT(ga_store_exec(st, seed_sql, &err), GA_OK);

    /* GeoJSON, one layer. */
    ga_export_opts o = {0};
    ga_export_stats stats;
    snprintf(path, sizeof path, "%s/ev.geojson", dir);
    o.format = GA_FMT_GEOJSON;
    o.layers = GA_LAYER_EVENTS;
    o.dest = path;
    CHECK_INT(ga_export_write(st, &o, &stats, &err), GA_OK);
    CHECK_INT(stats.features[0], 2);
    CHECK_STR(stats.date_min, "2017-03-18");
    CHECK(fabs(stats.west - 36.667) < 1e-9);
    char *js = slurp(path);
    CHECK(js && strstr(js, "\"event_date\": \"2017-03-18\""));
    CHECK(js && strstr(js, "\"actors\": \"Russia; Turkey\""));
    /* A partial date is the first day of its period; a row carries nothing
     * over from the row written before it. */
    CHECK(js && strstr(js, "\"event_date\": \"2017-04-01\""));
    const char *second = js ? strstr(js, "\"name\": \"Elsewhere\"") : NULL;
    CHECK(second && !strstr(second, "\"actors\"") && !strstr(second, "\"people\"") &&
          !strstr(second, "\"origin\""));
    CHECK(second && strstr(second, "\"coordinates\": [ 40.0, 36.0 ]"));
    CHECK(js && !strstr(js, "\"crs\""));
    CHECK(js && !strstr(js, "\"fid\""));
    CHECK(js && strstr(js, "CC BY 4.0"));
    free(js);

    /* An existing file is refused and left alone; nothing temporary stays. */
    CHECK_INT(ga_export_write(st, &o, &stats, &err), GA_EINVAL);
    CHECK(strstr(err.msg, "already exists") != NULL);
    CHECK_INT(count_hidden(dir), 0);
    o.overwrite = 1;
    CHECK_INT(ga_export_write(st, &o, &stats, &err), GA_OK);
    o.overwrite = 0;

    /* Unknown destination directory. */
    snprintf(path, sizeof path, "%s/nope/ev.geojson", dir);
    CHECK_INT(ga_export_write(st, &o, &stats, &err), GA_EIO);
    CHECK(strstr(err.msg, "does not exist") != NULL);

    /* CSV of every layer into a directory. */
    snprintf(path, sizeof path, "%s/csv", dir);
    o.format = GA_FMT_CSV;
    o.layers = GA_LAYER_ALL;
    o.dest = path;
    CHECK_INT(ga_export_write(st, &o, &stats, &err), GA_OK);
    CHECK_INT(stats.features[1], 1);   /* flows */
    CHECK_INT(stats.features[4], 1);   /* regions */
    snprintf(path, sizeof path, "%s/csv/events.csv", dir);
    char *csv = slurp(path);
    CHECK(csv && strstr(csv, "\n#event+id,#date+occurred,"));
    CHECK(csv && strstr(csv, ",2017-03-18,"));
    CHECK(csv && !strstr(csv, "2017/03/18"));
    free(csv);
    snprintf(path, sizeof path, "%s/csv/regions.csv", dir);
    csv = slurp(path);
    /* Homs holds the one event: total 1 and n_forced_displacement 1. */
    CHECK(csv && strstr(csv, ",Homs,adm1,SY04,SY,Homs,ocha,1,1"));
    free(csv);

    /* The QGIS project (templates from the source tree's maps/). */
    snprintf(path, sizeof path, "%s/proj", dir);
    memset(&o, 0, sizeof o);
    CHECK_INT(ga_export_qgis_project(st, path, &o, &stats, &err), GA_OK);
    snprintf(path, sizeof path, "%s/proj/geoannot.qgs", dir);
    char *qgs = slurp(path);
    CHECK(qgs && strstr(qgs, "./geoannot.gpkg|layername=events"));
    CHECK(qgs && strstr(qgs, "2017-03-18T00:00:00Z"));
    CHECK(qgs && !strstr(qgs, "@XMIN@"));
    free(qgs);
    snprintf(path, sizeof path, "%s/proj", dir);
    CHECK_INT(ga_export_qgis_project(st, path, &o, &stats, &err), GA_EINVAL);

    ga_store_close(st);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return ga_test_result();
}
