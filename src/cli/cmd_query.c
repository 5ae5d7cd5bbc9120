/*
 * cmd_query.c: `geoannot query events|mentions|places`: the stored
 * annotations filtered by region, box, distance, dates, type and status
 * (filters.h), printed as an aligned table, CSV, JSON lines or a GeoJSON
 * FeatureCollection (RFC 7946), or counted per group with --group-by.
 *
 * Every row becomes one jansson object whose members are the output
 * columns in order; the four formats are views of that object, so they
 * cannot disagree about names or values.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "filters.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"

const char cmd_query_usage[] =
    "usage: geoannot query events|mentions|places [--db PATH] [filters]\n"
    "                      [--group-by admin1|admin2|type|month]\n"
    "                      [--format table|csv|jsonl|geojson] [-q]\n"
    "\n"
    "List stored events (by date), resolved mentions (by document date) or the\n"
    "gazetteer places they refer to (most mentioned first), or count them per\n"
    "governorate, district, type or month.\n"
    "\n"
    "  --format FMT        table (default: aligned columns), csv, jsonl (one object\n"
    "                      per line) or geojson (one FeatureCollection, RFC 7946)\n"
    "  --group-by KEY      counts per admin1 (governorate), admin2 (district), type\n"
    "                      (event type; place kind for mentions and places) or month\n"
    "  --db PATH           database (default $GEOANNOT_DB or ./geoannot.sqlite)\n"
    "  -q, --quiet         no notes on stderr\n"
    "\n"
    GA_CLI_FILTER_HELP
    "\n"
    "A region is tested against its outline (points on a border belong to both\n"
    "areas); an ambiguous name lists the candidates, an unknown one suggests\n"
    "close names.\n"
    "\n"
    "examples:\n"
    "  geoannot query events --in Homs --from 2017-01-01\n"
    "  geoannot query events --in SY0404 --type evacuation --format geojson > e.geojson\n"
    "  geoannot query events --near Douma --within 10km --format csv\n"
    "  geoannot query events --group-by month --bbox 35.7,32.3,42.4,37.3\n"
    "  geoannot query places --in 'Rural Damascus' --limit 20\n";

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSONL, FMT_GEOJSON } out_format;

typedef struct {
    out_format fmt;
    const char *const *table_cols;   /* members shown by the table */
    const char *const *table_heads;  /* their headings */
    json_t *rows;                    /* table: buffered rows; geojson: features */
    int header_done;                 /* csv header printed */
    int failed;                      /* an output error happened */
    int64_t n;                       /* rows printed */
} out_ctx;

static json_t *jstr(const char *s)
{
    json_t *v = s ? json_string(s) : NULL;
    return v ? v : json_null();
}

static json_t *jnum(double v) { return isnan(v) ? json_null() : json_real(v); }

/* ---- rows as objects -------------------------------------------------------- */

static json_t *event_obj(const ga_event_row *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "event_date", jstr(e->event_date));
    json_object_set_new(o, "type", jstr(e->type));
    json_object_set_new(o, "status", jstr(e->status));
    json_object_set_new(o, "trigger", jstr(e->trigger));
    json_object_set_new(o, "role", jstr(e->role));
    json_object_set_new(o, "place_name", jstr(e->place_name));
    json_object_set_new(o, "place_gid", jstr(e->place_gid));
    json_object_set_new(o, "kind", jstr(e->kind));
    json_object_set_new(o, "country", jstr(e->country));
    json_object_set_new(o, "admin1", jstr(e->admin1));
    json_object_set_new(o, "admin1_pcode", jstr(e->admin1_pcode));
    json_object_set_new(o, "admin2", jstr(e->admin2));
    json_object_set_new(o, "admin2_pcode", jstr(e->admin2_pcode));
    json_object_set_new(o, "geo_precision", e->geo_precision ? json_integer(e->geo_precision)
                                                             : json_null());
    json_object_set_new(o, "time_precision", e->time_precision ? json_integer(e->time_precision)
                                                               : json_null());
    json_object_set_new(o, "people", e->people >= 0 ? json_integer(e->people) : json_null());
    json_t *actors = e->actors ? json_loads(e->actors, 0, NULL) : NULL;
    json_object_set_new(o, "actors", actors ? actors : jstr(e->actors));
    json_object_set_new(o, "origin_name", jstr(e->origin_name));
    json_object_set_new(o, "dest_name", jstr(e->dest_name));
    json_object_set_new(o, "doc_id", jstr(e->doc_id));
    json_object_set_new(o, "title", jstr(e->title));
    json_object_set_new(o, "url", jstr(e->url));
    json_object_set_new(o, "sentence", jstr(e->sentence));
    json_object_set_new(o, "reason", jstr(e->reason));
    json_object_set_new(o, "lon", jnum(e->lon));
    json_object_set_new(o, "lat", jnum(e->lat));
    return o;
}

static json_t *mention_obj(const ga_mention_row *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "doc_date", jstr(m->doc_date));
    json_object_set_new(o, "doc_id", jstr(m->doc_id));
    json_object_set_new(o, "start", json_integer(m->start));
    json_object_set_new(o, "end", json_integer(m->end));
    json_object_set_new(o, "text", jstr(m->text));
    json_object_set_new(o, "place_name", jstr(m->place_name));
    json_object_set_new(o, "place_gid", jstr(m->place_gid));
    json_object_set_new(o, "kind", jstr(m->kind));
    json_object_set_new(o, "country", jstr(m->country));
    json_object_set_new(o, "admin1", jstr(m->admin1));
    json_object_set_new(o, "admin1_pcode", jstr(m->admin1_pcode));
    json_object_set_new(o, "admin2", jstr(m->admin2));
    json_object_set_new(o, "admin2_pcode", jstr(m->admin2_pcode));
    json_object_set_new(o, "precision", m->precision ? json_integer(m->precision) : json_null());
    json_object_set_new(o, "score", json_real(m->score));
    json_object_set_new(o, "reason", jstr(m->reason));
    json_object_set_new(o, "title", jstr(m->title));
    json_object_set_new(o, "lon", jnum(m->lon));
    json_object_set_new(o, "lat", jnum(m->lat));
    return o;
}

static json_t *place_obj(const ga_place_row *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "gid", jstr(p->gid));
    json_object_set_new(o, "name", jstr(p->name));
    json_object_set_new(o, "kind", jstr(p->kind));
    json_object_set_new(o, "feature_code", jstr(p->feature_code));
    json_object_set_new(o, "country", jstr(p->country));
    json_object_set_new(o, "admin1", jstr(p->admin1));
    json_object_set_new(o, "admin1_pcode", jstr(p->admin1_pcode));
    json_object_set_new(o, "admin2", jstr(p->admin2));
    json_object_set_new(o, "admin2_pcode", jstr(p->admin2_pcode));
    json_object_set_new(o, "population", json_integer(p->population));
    json_object_set_new(o, "mentions", json_integer(p->mentions));
    json_object_set_new(o, "first_date", jstr(p->first_date));
    json_object_set_new(o, "last_date", jstr(p->last_date));
    json_object_set_new(o, "lon", jnum(p->lon));
    json_object_set_new(o, "lat", jnum(p->lat));
    return o;
}

/* ---- output ---------------------------------------------------------------- */

#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* Text of a member for csv and table cells (malloc'd; "" for null). */
static char *cell_text(json_t *v)
{
    if (!v || json_is_null(v)) return ga_strdup("");
    if (json_is_string(v)) return ga_strdup(json_string_value(v));
    return json_dumps(v, JSON_FLAGS | JSON_ENCODE_ANY);
}

static void csv_field(const char *s, FILE *f)
{
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void emit_csv(out_ctx *o, json_t *row)
{
    const char *key;
    json_t *v;
    int first = 1;
    if (!o->header_done) {
        json_object_foreach(row, key, v) {
            if (!first) fputc(',', stdout);
            csv_field(key, stdout);
            first = 0;
        }
        fputs("\r\n", stdout);
        o->header_done = 1;
        first = 1;
    }
    json_object_foreach(row, key, v) {
        char *t = cell_text(v);
        if (!first) fputc(',', stdout);
        csv_field(t ? t : "", stdout);
        free(t);
        first = 0;
    }
    fputs("\r\n", stdout);
}

static json_t *feature(json_t *row)
{
    json_t *lon = json_object_get(row, "lon"), *lat = json_object_get(row, "lat");
    json_t *f = json_object(), *geom = json_null();
    if (json_is_number(lon) && json_is_number(lat)) {
        geom = json_object();
        json_object_set_new(geom, "type", json_string("Point"));
        json_t *c = json_array();
        json_array_append(c, lon);
        json_array_append(c, lat);
        json_object_set_new(geom, "coordinates", c);
    }
    json_t *props = json_deep_copy(row);
    json_object_del(props, "lon");
    json_object_del(props, "lat");
    json_object_set_new(f, "type", json_string("Feature"));
    json_t *id = json_object_get(row, "id");
    if (id) json_object_set(f, "id", id);
    json_object_set_new(f, "geometry", geom);
    json_object_set_new(f, "properties", props);
    return f;
}

/* Print or buffer one row (steals row). */
static int emit(out_ctx *o, json_t *row)
{
    if (!row) { o->failed = 1; return 0; }
    o->n++;
    switch (o->fmt) {
    case FMT_JSONL:
        if (json_dumpf(row, stdout, JSON_FLAGS) || fputc('\n', stdout) == EOF) o->failed = 1;
        break;
    case FMT_CSV:
        emit_csv(o, row);
        break;
    case FMT_GEOJSON:
        json_array_append_new(o->rows, feature(row));
        break;
    case FMT_TABLE:
        json_array_append(o->rows, row);
        break;
    }
    json_decref(row);
    if (ferror(stdout)) o->failed = 1;
    return !o->failed;
}

/* Display width of UTF-8 text: code points, no control characters. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Print s cut to width code points (with "…") and padded to width. */
static void print_cell(const char *s, size_t width, int last)
{
    size_t w = text_width(s);
    if (w > width) {
        size_t keep = width - 1, cps = 0;
        const char *p = s;
        for (; *p; p++) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                if (cps == keep) break;
                cps++;
            }
        }
        fwrite(s, 1, (size_t)(p - s), stdout);
        fputs("…", stdout);
        w = width;
    } else {
        fputs(s, stdout);
    }
    if (!last)
        for (size_t i = w; i < width + 2; i++) fputc(' ', stdout);
}

#define MAX_CELL 40

static void flush_table(out_ctx *o)
{
    size_t ncol = 0;
    while (o->table_cols[ncol]) ncol++;
    size_t width[16] = {0};
    for (size_t c = 0; c < ncol; c++) width[c] = text_width(o->table_heads[c]);
    size_t i;
    json_t *row;
    json_array_foreach(o->rows, i, row) {
        for (size_t c = 0; c < ncol; c++) {
            char *t = cell_text(json_object_get(row, o->table_cols[c]));
            size_t w = t ? text_width(t) : 0;
            if (w > MAX_CELL) w = MAX_CELL;
            if (w > width[c]) width[c] = w;
            free(t);
        }
    }
    for (size_t c = 0; c < ncol; c++) print_cell(o->table_heads[c], width[c], c + 1 == ncol);
    fputc('\n', stdout);
    json_array_foreach(o->rows, i, row) {
        for (size_t c = 0; c < ncol; c++) {
            char *t = cell_text(json_object_get(row, o->table_cols[c]));
            print_cell(t ? t : "", width[c], c + 1 == ncol);
            free(t);
        }
        fputc('\n', stdout);
    }
}

static int finish(out_ctx *o)
{
    if (o->fmt == FMT_TABLE) {
        flush_table(o);
    } else if (o->fmt == FMT_GEOJSON) {
        json_t *fc = json_object();
        json_object_set_new(fc, "type", json_string("FeatureCollection"));
        json_object_set_new(fc, "features", o->rows);
        o->rows = NULL;
        if (json_dumpf(fc, stdout, JSON_FLAGS) || fputc('\n', stdout) == EOF) o->failed = 1;
        json_decref(fc);
    }
    json_decref(o->rows);
    o->rows = NULL;
    if (fflush(stdout) == EOF || ferror(stdout)) o->failed = 1;
    return !o->failed;
}

static int on_event(const ga_event_row *e, void *arg) { return emit(arg, event_obj(e)); }
static int on_mention(const ga_mention_row *m, void *arg) { return emit(arg, mention_obj(m)); }
static int on_place(const ga_place_row *p, void *arg) { return emit(arg, place_obj(p)); }

static int on_count(const char *key, const char *label, int64_t count, void *arg)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", jstr(key));
    json_object_set_new(o, "label", jstr(label));
    json_object_set_new(o, "count", json_integer(count));
    return emit(arg, o);
}

static const char *const event_cols[] = {"event_date", "type", "status", "place_name", "admin1",
                                         "people", "title", NULL};
static const char *const event_heads[] = {"date", "type", "status", "place", "governorate",
                                          "people", "title", NULL};
static const char *const mention_cols[] = {"doc_date", "text", "place_name", "kind", "admin1",
                                           "precision", "doc_id", NULL};
static const char *const mention_heads[] = {"date", "text", "place", "kind", "governorate",
                                            "precision", "document", NULL};
static const char *const place_cols[] = {"name", "kind", "admin1", "admin2", "mentions",
                                         "population", "gid", NULL};
static const char *const place_heads[] = {"place", "kind", "governorate", "district",
                                          "mentions", "population", "gid", NULL};
static const char *const count_cols[] = {"key", "label", "count", NULL};

int cmd_query(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"query", cmd_query, NULL, cmd_query_usage};
    enum { OPT_FORMAT = 0x1200, OPT_GROUP, OPT_TIMING };
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        GA_FILTER_LONGOPTS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"group-by", required_argument, NULL, OPT_GROUP},
        {"timing", no_argument, NULL, OPT_TIMING},   /* hidden: times on stderr */
        {NULL, 0, NULL, 0},
    };
    ga_filter f;
    memset(&f, 0, sizeof f);
    out_ctx o;
    memset(&o, 0, sizeof o);
    int opt, exit_now = 0, code = 0, timing = 0, grouped = 0;
    ga_group group = GA_GROUP_ADMIN1;
    while ((opt = getopt_long(argc, argv, "qhf:", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        int r = ga_cli_filter_opt(&f, opt, optarg, &self);
        if (r < 0) return GA_EXIT_USAGE;
        if (r > 0) continue;
        if (opt == OPT_FORMAT || opt == 'f') {
            static const char *const names[] = {"table", "csv", "jsonl", "geojson"};
            size_t i = 0;
            for (; i < 4; i++)
                if (!strcmp(optarg, names[i])) break;
            if (i == 4)
                return ga_cli_usage_error(&self, "unknown format '%s' (use table, csv, jsonl or "
                                          "geojson)", optarg);
            o.fmt = (out_format)i;
        } else if (opt == OPT_GROUP) {
            if (!ga_group_parse(optarg, &group))
                return ga_cli_usage_error(&self, "unknown group '%s' (use admin1, admin2, type "
                                          "or month)", optarg);
            grouped = 1;
        } else if (opt == OPT_TIMING) {
            timing = 1;
        }
    }
    if (optind >= argc)
        return ga_cli_usage_error(&self, "say what to list: events, mentions or places");
    const char *what = argv[optind];
    ga_query_layer layer;
    if (!strcmp(what, "events")) layer = GA_QUERY_EVENTS;
    else if (!strcmp(what, "mentions")) layer = GA_QUERY_MENTIONS;
    else if (!strcmp(what, "places")) layer = GA_QUERY_PLACES;
    else return ga_cli_usage_error(&self, "unknown layer '%s' (use events, mentions or places)", what);
    if (optind + 1 < argc)
        return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind + 1]);
    if (!ga_cli_filter_check(&f, &self)) return GA_EXIT_USAGE;
    if (layer != GA_QUERY_EVENTS && (f.type || f.status))
        return ga_cli_usage_error(&self, "--type and --status apply to events only");
    if (grouped && o.fmt == FMT_GEOJSON)
        return ga_cli_usage_error(&self, "--group-by gives counts, not features; use --format "
                                  "table, csv or jsonl");

    ga_store *st = NULL;
    /* Queries need no spatial SQL (R*Tree, grid and exact test are the
     * store's own); SpatiaLite is loaded only for an outline it alone can
     * read, which saves its start-up on every query. */
    if (ga_store_open(ga_store_default_path(cli->db_path), GA_STORE_READONLY | GA_STORE_PLAIN,
                      &st, &cli->err))
        return ga_cli_fail(cli);
    double t0 = ga_now();
    if (ga_cli_filter_prepare(cli, st, &f)) {
        ga_store_close(st);
        return ga_cli_fail(cli);
    }
    double t1 = ga_now();
    o.rows = json_array();
    ga_rc rc;
    if (grouped) {
        o.table_cols = count_cols;
        static const char *const heads[][4] = {{"admin1_pcode", "governorate", "count", NULL},
                                               {"admin2_pcode", "district", "count", NULL},
                                               {"type", "", "count", NULL},
                                               {"month", "", "count", NULL}};
        static const char *const kind_heads[] = {"kind", "", "count", NULL};
        o.table_heads = group == GA_GROUP_TYPE && layer != GA_QUERY_EVENTS ? kind_heads
                                                                           : heads[group];
        rc = ga_store_count_by(st, layer, &f, group, on_count, &o, &cli->err);
    } else if (layer == GA_QUERY_EVENTS) {
        o.table_cols = event_cols;
        o.table_heads = event_heads;
        rc = ga_store_events_each(st, &f, on_event, &o, &cli->err);
    } else if (layer == GA_QUERY_MENTIONS) {
        o.table_cols = mention_cols;
        o.table_heads = mention_heads;
        rc = ga_store_mentions_each(st, &f, on_mention, &o, &cli->err);
    } else {
        o.table_cols = place_cols;
        o.table_heads = place_heads;
        rc = ga_store_places_referred_each(st, &f, on_place, &o, &cli->err);
    }
    double t2 = ga_now();
    int ok = rc == GA_OK && finish(&o);
    if (timing)
        fprintf(stderr, "timing: prepare %.3f ms, query %.3f ms, output %.3f ms, %lld rows\n",
                (t1 - t0) * 1e3, (t2 - t1) * 1e3, (ga_now() - t2) * 1e3, (long long)o.n);
    ga_filter_clear(&f);
    ga_store_close(st);
    if (rc) return ga_cli_fail(cli);
    if (!ok) {
        ga_err_set(&cli->err, GA_EIO, "cannot write the results to standard output");
        return ga_cli_fail(cli);
    }
    return GA_EXIT_OK;
}
