/*
 * cmd_query.c: `geoannot query events|mentions|places`: the stored
 * annotations filtered by region, box, distance, dates, type and status
 * (filters.h), printed as an aligned table, CSV, JSON lines or a GeoJSON
 * FeatureCollection (RFC 7946), or counted per group with --group-by.
 *
 * Every row becomes one list of typed cells, the output columns in order;
 * the four formats are views of that list, so they cannot disagree about
 * names or values. JSON is written as it goes (core/ga_jw.h, the same
 * text jansson writes) rather than built as a tree per row, which cost
 * more than reading the row.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/ga_jw.h"
#include "filters.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"

const char cmd_query_usage[] =
    "usage: geoannot query events|mentions|places [--db PATH] [filters]\n"
    "                      [--group-by admin1|admin2|type|month]\n"
    "                      [--format table|csv|jsonl|geojson] [--threads N] [-q]\n"
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
    "  --threads N         threads writing a long listing of events (default: one\n"
    "                      per processor, at most 8); with 2 or more a large\n"
    "                      query also reads and sorts on two\n"
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

/* Distinct actors lists remembered with their printed form: rows repeat
 * a few lists, and parsing and writing one again with jansson costs more
 * than the rest of the row. */
#define ACTORS_CACHE 64

typedef struct {
    out_format fmt;
    const char *const *table_cols;   /* members shown by the table */
    const char *const *table_heads;  /* their headings */
    ga_buf tcells;                   /* table: the table columns of every row, as text,
                                        each with its NUL */
    GA_VEC(size_t) tcell_at;         /* where each of them starts in tcells */
    size_t twidth[16];               /* the widest of each table column, at most MAX_CELL */
    int tcol_ix[16];                 /* row cell of each table column (-1: unknown yet) */
    const char *tcol_key[16];        /* that cell's key, as the row builder passed it */
    ga_buf line;                     /* jsonl, geojson: text waiting to be written */
    ga_buf scratch;                  /* a number's text */
    int header_done;                 /* csv header printed */
    struct par_out *shared;          /* a thread's context of a threaded listing: rows
                                        wait in line (tcells) for chunk_done */
    ga_buf head;                     /* such a thread's csv header */
    int64_t chunk_n;                 /* its rows since the last chunk_done */
    int threads;                     /* threads a long listing may use (--threads) */
    int failed;                      /* an output error happened */
    int64_t n;                       /* rows printed */
    struct {
        char *text;                  /* a stored actors text; NULL: unused slot */
        char *json;                  /* its printed form, NULL when it is not JSON */
    } actors[ACTORS_CACHE];          /* by a hash of the text */
} out_ctx;

/* ---- rows ----------------------------------------------------------------- */

/* One output value: a typed cell, named by its column. */
typedef enum { CELL_NULL, CELL_STR, CELL_INT, CELL_REAL, CELL_JSON } cell_type;
typedef struct {
    const char *key;
    cell_type type;
    const char *s;         /* CELL_STR text, CELL_JSON serialised value */
    long long i;
    double d;
} cell;

#define MAX_CELLS 32

/* A row: its cells in column order. The four formats are views of it, so
 * they cannot disagree about names or values. */
typedef struct {
    cell c[MAX_CELLS];
    int n;
    char *owned;           /* freed after the row is printed (actors JSON) */
} row;

static void put_str(row *r, const char *k, const char *v)
{
    r->c[r->n++] = (cell){k, v ? CELL_STR : CELL_NULL, v, 0, 0};
}
static void put_int(row *r, const char *k, long long v) { r->c[r->n++] = (cell){k, CELL_INT, NULL, v, 0}; }
static void put_int_if(row *r, const char *k, int has, long long v)
{
    r->c[r->n++] = (cell){k, has ? CELL_INT : CELL_NULL, NULL, v, 0};
}
static void put_real(row *r, const char *k, double v)
{
    r->c[r->n++] = (cell){k, isnan(v) ? CELL_NULL : CELL_REAL, NULL, 0, v};
}

/* The actors text as printed: the JSON array it holds, written compactly
 * by jansson, or NULL when it does not parse (then it is printed as
 * text). The result is the cache's, or, when it cannot be kept there,
 * left in *owned for the caller to free. */
static const char *actors_json(out_ctx *o, const char *text, char **owned)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) h = (h ^ *p) * 16777619u;
    size_t slot = h % ACTORS_CACHE;
    if (o->actors[slot].text && !strcmp(o->actors[slot].text, text)) return o->actors[slot].json;
    json_t *v = json_loads(text, 0, NULL);
    char *json = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(v);
    char *copy = ga_strdup(text);
    if (!copy) {
        *owned = json;
        return json;
    }
    free(o->actors[slot].text);
    free(o->actors[slot].json);
    o->actors[slot].text = copy;
    o->actors[slot].json = json;
    return json;
}

static void event_row(out_ctx *o, const ga_event_row *e, row *r)
{
    put_int(r, "id", e->id);
    put_str(r, "event_date", e->event_date);
    put_str(r, "type", e->type);
    put_str(r, "status", e->status);
    put_str(r, "trigger", e->trigger);
    put_str(r, "role", e->role);
    put_str(r, "place_name", e->place_name);
    put_str(r, "place_gid", e->place_gid);
    put_str(r, "kind", e->kind);
    put_str(r, "country", e->country);
    put_str(r, "admin1", e->admin1);
    put_str(r, "admin1_pcode", e->admin1_pcode);
    put_str(r, "admin2", e->admin2);
    put_str(r, "admin2_pcode", e->admin2_pcode);
    put_int_if(r, "geo_precision", e->geo_precision != 0, e->geo_precision);
    put_int_if(r, "time_precision", e->time_precision != 0, e->time_precision);
    put_int_if(r, "people", e->people >= 0, e->people);
    /* stored as a JSON array: printed as one when it parses, else as text */
    const char *actors = e->actors ? actors_json(o, e->actors, &r->owned) : NULL;
    if (actors) r->c[r->n++] = (cell){"actors", CELL_JSON, actors, 0, 0};
    else put_str(r, "actors", e->actors);
    put_str(r, "origin_name", e->origin_name);
    put_str(r, "dest_name", e->dest_name);
    put_str(r, "doc_id", e->doc_id);
    put_str(r, "title", e->title);
    put_str(r, "url", e->url);
    put_str(r, "sentence", e->sentence);
    put_str(r, "reason", e->reason);
    put_real(r, "lon", e->lon);
    put_real(r, "lat", e->lat);
}

/* The row columns event_row() prints, with the event row field each
 * comes from (0: always read). */
static const struct {
    const char *key;
    unsigned bit;
} event_keys[] = {
    {"id", 0}, {"event_date", 0}, {"type", GA_EV_TYPE}, {"status", GA_EV_STATUS},
    {"trigger", GA_EV_TRIGGER}, {"role", GA_EV_ROLE}, {"place_name", GA_EV_PLACE_NAME},
    {"place_gid", GA_EV_PLACE_GID}, {"kind", GA_EV_KIND}, {"country", GA_EV_COUNTRY},
    {"admin1", GA_EV_ADMIN1}, {"admin1_pcode", GA_EV_ADMIN1_PCODE}, {"admin2", GA_EV_ADMIN2},
    {"admin2_pcode", GA_EV_ADMIN2_PCODE}, {"geo_precision", GA_EV_GEO_PRECISION},
    {"time_precision", GA_EV_TIME_PRECISION}, {"people", GA_EV_PEOPLE},
    {"actors", GA_EV_ACTORS}, {"origin_name", GA_EV_ORIGIN_NAME}, {"dest_name", GA_EV_DEST_NAME},
    {"doc_id", GA_EV_DOC_ID}, {"title", GA_EV_TITLE}, {"url", GA_EV_URL},
    {"sentence", GA_EV_SENTENCE}, {"reason", GA_EV_REASON}, {"lon", GA_EV_POINT},
    {"lat", GA_EV_POINT},
};

/* The event row columns that need not be read when only the row columns
 * cols (NULL-terminated; NULL: all of them) are printed: the store then
 * skips them, which for a table of seven columns is most of the cost of
 * a row. Nothing is omitted for a column this does not know. */
static unsigned event_omit(const char *const *cols)
{
    size_t nkeys = sizeof event_keys / sizeof event_keys[0];
    unsigned need = 0;
    if (!cols) {
        for (size_t k = 0; k < nkeys; k++) need |= event_keys[k].bit;
        return GA_EV_ALL & ~need;
    }
    for (size_t c = 0; cols[c]; c++) {
        size_t k = 0;
        while (k < nkeys && strcmp(event_keys[k].key, cols[c])) k++;
        if (k == nkeys) return 0;
        need |= event_keys[k].bit;
    }
    return GA_EV_ALL & ~need;
}

static void mention_row(const ga_mention_row *m, row *r)
{
    put_int(r, "id", m->id);
    put_str(r, "doc_date", m->doc_date);
    put_str(r, "doc_id", m->doc_id);
    put_int(r, "start", m->start);
    put_int(r, "end", m->end);
    put_str(r, "text", m->text);
    put_str(r, "place_name", m->place_name);
    put_str(r, "place_gid", m->place_gid);
    put_str(r, "kind", m->kind);
    put_str(r, "country", m->country);
    put_str(r, "admin1", m->admin1);
    put_str(r, "admin1_pcode", m->admin1_pcode);
    put_str(r, "admin2", m->admin2);
    put_str(r, "admin2_pcode", m->admin2_pcode);
    put_int_if(r, "precision", m->precision != 0, m->precision);
    put_real(r, "score", m->score);
    put_str(r, "reason", m->reason);
    put_str(r, "title", m->title);
    put_real(r, "lon", m->lon);
    put_real(r, "lat", m->lat);
}

static void place_row(const ga_place_row *p, row *r)
{
    put_str(r, "gid", p->gid);
    put_str(r, "name", p->name);
    put_str(r, "kind", p->kind);
    put_str(r, "feature_code", p->feature_code);
    put_str(r, "country", p->country);
    put_str(r, "admin1", p->admin1);
    put_str(r, "admin1_pcode", p->admin1_pcode);
    put_str(r, "admin2", p->admin2);
    put_str(r, "admin2_pcode", p->admin2_pcode);
    put_int(r, "population", p->population);
    put_int(r, "mentions", p->mentions);
    put_str(r, "first_date", p->first_date);
    put_str(r, "last_date", p->last_date);
    put_real(r, "lon", p->lon);
    put_real(r, "lat", p->lat);
}

/* ---- output ---------------------------------------------------------------- */

/* Write cell c as a JSON value. */
static void jw_cell(ga_jw *w, const cell *c)
{
    switch (c->type) {
    case CELL_NULL: ga_jw_null(w); break;
    case CELL_STR: ga_jw_str(w, c->s); break;
    case CELL_INT: ga_jw_int(w, c->i); break;
    case CELL_REAL: ga_jw_real(w, c->d); break;
    case CELL_JSON: ga_jw_raw(w, c->s); break;
    }
}

/* Text of cell c for csv and table cells, in scratch (or c's own text). */
static const char *cell_text(const cell *c, ga_buf *scratch)
{
    if (c->type == CELL_NULL) return "";
    if (c->type == CELL_STR || c->type == CELL_JSON) return c->s;
    ga_buf_reset(scratch);
    if (ga_buf_reserve(scratch, GA_JW_NUM_MAX)) return "";
    scratch->len = c->type == CELL_INT ? ga_jw_int_text(c->i, scratch->data)
                                       : ga_jw_real_text(c->d, scratch->data);
    return scratch->data;
}

/* Append n bytes to the pending output (o->failed when out of memory). */
static void out_put(out_ctx *o, const char *s, size_t n)
{
    if (ga_buf_append(&o->line, s, n)) o->failed = 1;
}

/* Append s as one CSV field: quoted, with quotes doubled, when it holds a
 * comma, a quote or a line break (RFC 4180). */
static void csv_field(out_ctx *o, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        out_put(o, s, strlen(s));
        return;
    }
    out_put(o, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        out_put(o, s, (size_t)(q - s) + 1);   /* through the quote, then its double */
        out_put(o, "\"", 1);
    }
    out_put(o, s, strlen(s));
    out_put(o, "\"", 1);
}

/* Which bytes make a CSV field quoted. */
static const unsigned char csv_special[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

/* Nonzero when a byte of w is zero. */
static inline uint64_t zero_byte(uint64_t w)
{
    return (w - 0x0101010101010101u) & ~w & 0x8080808080808080u;
}

/* Nonzero when a byte of w makes a CSV field quoted. */
static inline uint64_t csv_special_word(uint64_t w)
{
    return zero_byte(w ^ 0x2C2C2C2C2C2C2C2Cu) | zero_byte(w ^ 0x2222222222222222u) |
           zero_byte(w ^ 0x0D0D0D0D0D0D0D0Du) | zero_byte(w ^ 0x0A0A0A0A0A0A0A0Au);
}

/* Copy s (n bytes) to p, which has room for 2 * n + 2, as csv_field()
 * writes it: a short field copied while looking for the bytes that need
 * quotes (eight a step), a long one looked through first (strpbrk goes
 * many bytes a step); a field that needs them is written again quoted,
 * its quotes doubled. Returns the end of what was written. */
static char *csv_copy(char *p, const char *s, size_t n)
{
    unsigned char special = 0;
    if (n < 32) {
        size_t k = 0;
        uint64_t any = 0;
        for (; k + 8 <= n; k += 8) {
            uint64_t w;
            memcpy(&w, s + k, 8);
            memcpy(p + k, &w, 8);
            any |= csv_special_word(w);
        }
        special = any != 0;
        for (; k < n; k++) {
            unsigned char c = (unsigned char)s[k];
            p[k] = (char)c;
            special |= csv_special[c];
        }
    } else {
        special = memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\r', n) ||
                  memchr(s, '\n', n);
        if (!special) memcpy(p, s, n);
    }
    if (!special) return p + n;
    *p++ = '"';
    for (const char *q, *end = s + n; (q = memchr(s, '"', (size_t)(end - s))); s = q + 1) {
        memcpy(p, s, (size_t)(q - s) + 1);   /* through the quote, then its double */
        p += q - s + 1;
        *p++ = '"';
        n = (size_t)(end - q - 1);
    }
    memcpy(p, s, n);
    p += n;
    *p++ = '"';
    return p;
}

/* One CSV line (CRLF) into the pending output, each field copied once
 * (numbers as JSON writes them), through a cursor held in a local: a
 * store through the buffer's own pointer would make the compiler load
 * the buffer's fields again after every byte. */
static void emit_csv(out_ctx *o, const row *r)
{
    if (!o->header_done) {
        /* a thread of a threaded listing keeps it for chunk_done */
        ga_buf keep = o->line;
        if (o->shared) o->line = o->head;
        for (int i = 0; i < r->n; i++) {
            if (i) out_put(o, ",", 1);
            csv_field(o, r->c[i].key);
        }
        out_put(o, "\r\n", 2);
        if (o->shared) {
            o->head = o->line;
            o->line = keep;
        }
        o->header_done = 1;
    }
    ga_buf *b = &o->line;
    char *p = b->data + b->len, *end = b->data + b->cap;
    for (int i = 0; i < r->n; i++) {
        const cell *c = &r->c[i];
        size_t n = c->type == CELL_STR || c->type == CELL_JSON ? strlen(c->s) : 0;
        /* room for the field doubled and quoted, or a number, its comma,
         * the line's end and a NUL */
        if ((size_t)(end - p) < 2 * n + GA_JW_NUM_MAX + 8) {
            b->len = (size_t)(p - b->data);
            if (ga_buf_reserve(b, 2 * n + GA_JW_NUM_MAX + 8)) {
                o->failed = 1;
                return;
            }
            p = b->data + b->len;
            end = b->data + b->cap;
        }
        if (i) *p++ = ',';
        switch (c->type) {
        case CELL_INT: p += ga_jw_int_text(c->i, p); break;
        case CELL_REAL: {
            size_t k = ga_jw_real_text(c->d, p);
            if (!k) o->failed = 1;
            p += k;
            break;
        }
        case CELL_STR: case CELL_JSON: p = csv_copy(p, c->s, n); break;
        case CELL_NULL: break;
        }
    }
    *p++ = '\r';
    *p++ = '\n';
    *p = 0;
    b->len = (size_t)(p - b->data);
}

/* The row as a JSON object, the members in column order; skip lon and
 * lat when skip_point (GeoJSON properties). */
static void jw_row(ga_jw *w, const row *r, int skip_point)
{
    ga_jw_obj(w);
    for (int i = 0; i < r->n; i++) {
        if (skip_point && (!strcmp(r->c[i].key, "lon") || !strcmp(r->c[i].key, "lat"))) continue;
        ga_jw_key(w, r->c[i].key);
        jw_cell(w, &r->c[i]);
    }
    ga_jw_end(w);
}

static const cell *row_get(const row *r, const char *key)
{
    for (int i = 0; i < r->n; i++)
        if (!strcmp(r->c[i].key, key)) return &r->c[i];
    return NULL;
}

/* A GeoJSON Feature of the row: its lon/lat as a Point (null geometry
 * without them), its id, the other columns as properties. */
static void jw_feature(ga_jw *w, const row *r)
{
    const cell *lon = row_get(r, "lon"), *lat = row_get(r, "lat"), *id = row_get(r, "id");
    ga_jw_obj(w);
    ga_jw_key(w, "type");
    ga_jw_str(w, "Feature");
    if (id) {
        ga_jw_key(w, "id");
        jw_cell(w, id);
    }
    ga_jw_key(w, "geometry");
    if (lon && lat && lon->type == CELL_REAL && lat->type == CELL_REAL) {
        ga_jw_obj(w);
        ga_jw_key(w, "type");
        ga_jw_str(w, "Point");
        ga_jw_key(w, "coordinates");
        ga_jw_arr(w);
        ga_jw_real(w, lon->d);
        ga_jw_real(w, lat->d);
        ga_jw_end(w);
        ga_jw_end(w);
    } else {
        ga_jw_null(w);
    }
    ga_jw_key(w, "properties");
    jw_row(w, r, 1);
    ga_jw_end(w);
}

/* Output is gathered in o->line and written in pieces of about this many
 * bytes: stdio's locking and its calls per field and per separator cost
 * more than formatting the row. */
#define OUT_CHUNK 65536

/* Write what o->line holds and empty it. */
static void put_line(out_ctx *o)
{
    if (o->line.len && fwrite(o->line.data, 1, o->line.len, stdout) != o->line.len)
        o->failed = 1;
    if (ferror(stdout)) o->failed = 1;
    ga_buf_reset(&o->line);
}

#define MAX_CELL 40

/* Display width of UTF-8 text: code points, no control characters. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Keep the table columns of a row as text, one after another in
 * o->tcells (the widths need every row), and widen the columns to fit. */
static void keep_table_row(out_ctx *o, const row *r)
{
    for (size_t c = 0; o->table_cols[c]; c++) {
        /* the row's cell of the column: where it was in the last row, when
         * it has the same key there (the same literal, from the same row
         * builder) */
        int ix = o->tcol_ix[c];
        const cell *v = ix >= 0 && ix < r->n && r->c[ix].key == o->tcol_key[c]
                            ? &r->c[ix] : row_get(r, o->table_cols[c]);
        if (v) {
            o->tcol_ix[c] = (int)(v - r->c);
            o->tcol_key[c] = v->key;
        }
        const char *t = v ? cell_text(v, &o->scratch) : "";
        size_t at = o->tcells.len, n = strlen(t), w = 0;
        for (size_t k = 0; k < n; k++) w += ((unsigned char)t[k] & 0xC0) != 0x80;
        if (ga_buf_append(&o->tcells, t, n + 1) || ga_vec_push(&o->tcell_at, at)) {
            o->failed = 1;
            return;
        }
        if (w > MAX_CELL) w = MAX_CELL;
        if (w > o->twidth[c]) o->twidth[c] = w;
    }
}

/* Print (or for a table keep) one row. */
static int emit(out_ctx *o, row *r)
{
    o->n++;
    o->chunk_n++;
    /* a thread of a threaded listing writes in chunk_done, in order */
    size_t flush_at = o->shared ? SIZE_MAX : OUT_CHUNK;
    ga_jw w;
    switch (o->fmt) {
    case FMT_JSONL:
        ga_jw_init(&w, &o->line);
        jw_row(&w, r, 0);
        ga_buf_putc(&o->line, '\n');
        if (o->line.len >= flush_at) put_line(o);
        break;
    case FMT_CSV:
        emit_csv(o, r);
        if (o->line.len >= flush_at) put_line(o);
        break;
    case FMT_GEOJSON:
        /* one FeatureCollection written as it goes, as
         * {"type":"FeatureCollection","features":[F,F,...]}; a thread
         * starts every feature with a comma, chunk_done the first */
        ga_buf_puts(&o->line, o->n == 1 && !o->shared
                                  ? "{\"type\":\"FeatureCollection\",\"features\":[" : ",");
        ga_jw_init(&w, &o->line);
        jw_feature(&w, r);
        if (o->line.len >= flush_at) put_line(o);
        break;
    case FMT_TABLE:
        keep_table_row(o, r);
        break;
    }
    free(r->owned);
    r->owned = NULL;
    /* a failed write is seen where output is written (put_line,
     * chunk_done): ferror here would take stdout's lock at every row,
     * which the threads of a threaded listing contend for */
    return !o->failed;
}

/* Append s (n bytes) cut to width code points (with "…") and, unless
 * last, padded to width plus two spaces, to the pending output, which has
 * room for n + width + 5 more bytes. */
static void put_cell(out_ctx *o, const char *s, size_t n, size_t width, int last)
{
    size_t w = 0;
    for (size_t k = 0; k < n; k++) w += ((unsigned char)s[k] & 0xC0) != 0x80;
    ga_buf *b = &o->line;
    if (w > width) {
        size_t keep = width - 1, cps = 0;
        const char *p = s;
        for (; *p; p++) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                if (cps == keep) break;
                cps++;
            }
        }
        n = (size_t)(p - s);
        memcpy(b->data + b->len, s, n);
        memcpy(b->data + b->len + n, "…", 3);
        b->len += n + 3;
        w = width;
    } else {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
    if (!last && w < width + 2) {
        memset(b->data + b->len, ' ', width + 2 - w);
        b->len += width + 2 - w;
    }
    b->data[b->len] = 0;
}

/* A long listing of events is written by several threads, each turning
 * chunks of rows into text in its own context; chunk_done writes each
 * chunk, in order (ga_store_events_each_par); a long table is laid out by
 * two. */
#define MAX_THREADS 8
/* A --limit below this is written by the calling thread alone (the store
 * decides so for any listing of fewer chunks). */
#define PAR_MIN_ROWS (GA_EVENT_PAR_MIN_CHUNKS * GA_EVENT_CHUNK)

/* The table's layout: each column's width, and the longest a line can be. */
typedef struct {
    size_t ncol, width[16], line_max;
} table_layout;

/* Lay out rows [r0, r1) of o's kept cells into out; with flush, write out
 * whenever it holds OUT_CHUNK bytes (out is then o->line). Returns 0 when
 * out of memory. */
static int table_rows(out_ctx *o, const table_layout *L, size_t r0, size_t r1, ga_buf *out,
                      int flush)
{
    const size_t *at = o->tcell_at.v, nc = o->tcell_at.n, ncol = L->ncol;
    /* put_cell writes into a context's line: a local one around out */
    out_ctx w = {.line = *out};
    /* only the writing call looks at o->failed: the other runs in a thread */
    for (size_t r = r0; r < r1 && !(flush && o->failed); r++) {
        size_t i = r * ncol;
        /* room for the row: its texts and their padding */
        size_t end = i + ncol < nc ? at[i + ncol] : o->tcells.len;
        if (ga_buf_reserve(&w.line, end - at[i] + L->line_max)) {
            *out = w.line;
            return 0;
        }
        for (size_t c = 0; c < ncol; c++, i++) {
            size_t n = (i + 1 < nc ? at[i + 1] : o->tcells.len) - at[i] - 1;
            put_cell(&w, o->tcells.data + at[i], n, L->width[c], c + 1 == ncol);
        }
        w.line.data[w.line.len++] = '\n';
        w.line.data[w.line.len] = 0;
        if (flush && w.line.len >= OUT_CHUNK) {
            o->line = w.line;
            put_line(o);
            w.line = o->line;
        }
    }
    *out = w.line;
    return 1;
}

/* A thread laying out the second part of a long table. */
typedef struct {
    out_ctx *o;
    const table_layout *L;
    size_t r0, r1;
    ga_buf out;
    int ok;
} table_part;

static void *table_part_run(void *arg)
{
    table_part *t = arg;
    t->ok = table_rows(t->o, t->L, t->r0, t->r1, &t->out, 0);
    return NULL;
}

/* Print the kept table: headings, then the rows, their columns as wide
 * as the widest cell (at most MAX_CELL). A long table's second half is
 * laid out by another thread meanwhile (o->threads > 1). */
static void flush_table(out_ctx *o)
{
    table_layout L = {0};
    while (o->table_cols[L.ncol]) L.ncol++;
    for (size_t c = 0; c < L.ncol; c++) {
        L.width[c] = text_width(o->table_heads[c]);
        if (o->twidth[c] > L.width[c]) L.width[c] = o->twidth[c];
    }
    L.line_max = 1;   /* a line at most: every cell and its padding */
    for (size_t c = 0; c < L.ncol; c++) L.line_max += L.width[c] + 5;
    for (size_t c = 0; c < L.ncol && !o->failed; c++) {
        const char *h = o->table_heads[c];
        if (ga_buf_reserve(&o->line, strlen(h) + L.width[c] + 5)) o->failed = 1;
        else put_cell(o, h, strlen(h), L.width[c], c + 1 == L.ncol);
    }
    out_put(o, "\n", 1);
    size_t rows = L.ncol ? o->tcell_at.n / L.ncol : 0, half = rows;
    table_part part = {o, &L, 0, rows, {0}, 1};
    pthread_t tid;
    int started = 0;
    if (o->threads > 1 && rows >= PAR_MIN_ROWS) {
        half = rows / 2;
        part.r0 = half;
        started = !pthread_create(&tid, NULL, table_part_run, &part);
        if (!started) half = rows;   /* no thread: this one does it all */
    }
    if (!o->failed && !table_rows(o, &L, 0, half, &o->line, 1)) o->failed = 1;
    put_line(o);
    if (started) {
        pthread_join(tid, NULL);
        if (!part.ok) o->failed = 1;
        if (!o->failed && part.out.len &&
            fwrite(part.out.data, 1, part.out.len, stdout) != part.out.len)
            o->failed = 1;
        ga_buf_free(&part.out);
    }
}

static int finish(out_ctx *o)
{
    if (o->fmt == FMT_TABLE) {
        flush_table(o);
    } else if (o->fmt == FMT_GEOJSON) {
        ga_buf_puts(&o->line, o->n ? "]}\n" : "{\"type\":\"FeatureCollection\",\"features\":[]}\n");
        put_line(o);
    } else {
        put_line(o);
    }
    if (fflush(stdout) == EOF || ferror(stdout)) o->failed = 1;
    return !o->failed;
}

static void out_free(out_ctx *o)
{
    for (size_t i = 0; i < ACTORS_CACHE; i++) {
        free(o->actors[i].text);
        free(o->actors[i].json);
    }
    ga_buf_free(&o->tcells);
    ga_vec_free(&o->tcell_at);
    ga_buf_free(&o->line);
    ga_buf_free(&o->scratch);
    ga_buf_free(&o->head);
}

/* ---- threaded listings ------------------------------------------------------ */



/* What the threads share; chunk_done runs one at a time. */
struct par_out {
    out_ctx *out;          /* the listing's context: the table's cells, the rows written */
    int started;           /* a row has been written */
};

/* Write out what thread context t made of its chunk: the csv header or
 * the GeoJSON opening before the first row of all, table cells into the
 * listing's table. */
static int chunk_done(void *arg)
{
    out_ctx *t = arg;
    struct par_out *sh = t->shared;
    out_ctx *o = sh->out;
    if (t->chunk_n && !t->failed && !o->failed) {
        if (t->fmt == FMT_TABLE) {
            size_t base = o->tcells.len, ncol = 0;
            while (o->table_cols[ncol]) ncol++;
            if (ga_buf_append(&o->tcells, t->tcells.data, t->tcells.len)) o->failed = 1;
            for (size_t i = 0; i < t->tcell_at.n && !o->failed; i++)
                if (ga_vec_push(&o->tcell_at, t->tcell_at.v[i] + base)) o->failed = 1;
            for (size_t c = 0; c < ncol; c++)
                if (t->twidth[c] > o->twidth[c]) o->twidth[c] = t->twidth[c];
            ga_buf_reset(&t->tcells);
            t->tcell_at.n = 0;
        } else {
            const char *p = t->line.data;
            size_t n = t->line.len;
            if (!sh->started && t->fmt == FMT_CSV) {
                if (fwrite(t->head.data, 1, t->head.len, stdout) != t->head.len) o->failed = 1;
            } else if (!sh->started && t->fmt == FMT_GEOJSON) {
                fputs("{\"type\":\"FeatureCollection\",\"features\":[", stdout);
                p++;   /* its comma */
                n--;
            }
            if (n && fwrite(p, 1, n, stdout) != n) o->failed = 1;
            if (ferror(stdout)) o->failed = 1;
            ga_buf_reset(&t->line);
        }
        sh->started = 1;
        o->n += t->chunk_n;
    }
    t->chunk_n = 0;
    if (t->failed) o->failed = 1;
    return !o->failed;
}

static int on_event(const ga_event_row *e, void *arg);

/* The events of f listed by nthreads threads into o, as
 * ga_store_events_each(st, f, on_event, o) would; *busy: the threads that
 * wrote rows. */
static ga_rc events_threaded(ga_store *st, const ga_filter *f, out_ctx *o, int nthreads,
                             int *busy, ga_err *err)
{
    out_ctx t[MAX_THREADS];
    struct par_out sh = {o, 0};
    ga_event_par par = {.nthreads = nthreads, .chunk_done = chunk_done};
    for (int i = 0; i < nthreads; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].fmt = o->fmt;
        t[i].table_cols = o->table_cols;
        t[i].table_heads = o->table_heads;
        for (size_t c = 0; c < sizeof t[i].tcol_ix / sizeof t[i].tcol_ix[0]; c++) t[i].tcol_ix[c] = -1;
        t[i].shared = &sh;
        par.arg[i] = &t[i];
    }
    ga_rc rc = ga_store_events_each_par(st, f, on_event, &par, err);
    *busy = 0;
    for (int i = 0; i < nthreads; i++) {
        *busy += t[i].n > 0;
        out_free(&t[i]);
    }
    return rc;
}

static int on_event(const ga_event_row *e, void *arg)
{
    row r;   /* cells are written before they are read: no zeroing of every cell */
    r.n = 0;
    r.owned = NULL;
    event_row(arg, e, &r);
    return emit(arg, &r);
}

static int on_mention(const ga_mention_row *m, void *arg)
{
    row r;   /* cells are written before they are read: no zeroing of every cell */
    r.n = 0;
    r.owned = NULL;
    mention_row(m, &r);
    return emit(arg, &r);
}

static int on_place(const ga_place_row *p, void *arg)
{
    row r;   /* cells are written before they are read: no zeroing of every cell */
    r.n = 0;
    r.owned = NULL;
    place_row(p, &r);
    return emit(arg, &r);
}

static int on_count(const char *key, const char *label, int64_t count, void *arg)
{
    row r;   /* cells are written before they are read: no zeroing of every cell */
    r.n = 0;
    r.owned = NULL;
    put_str(&r, "key", key);
    put_str(&r, "label", label);
    put_int(&r, "count", count);
    return emit(arg, &r);
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
    enum { OPT_FORMAT = 0x1200, OPT_GROUP, OPT_TIMING, OPT_THREADS };
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        GA_FILTER_LONGOPTS,
        {"format", required_argument, NULL, OPT_FORMAT},
        {"group-by", required_argument, NULL, OPT_GROUP},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"timing", no_argument, NULL, OPT_TIMING},   /* hidden: times on stderr */
        {NULL, 0, NULL, 0},
    };
    ga_filter f;
    memset(&f, 0, sizeof f);
    out_ctx o;
    memset(&o, 0, sizeof o);
    for (size_t i = 0; i < sizeof o.tcol_ix / sizeof o.tcol_ix[0]; i++) o.tcol_ix[i] = -1;
    int opt, exit_now = 0, code = 0, timing = 0, grouped = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu, used_threads = 1;
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
        } else if (opt == OPT_THREADS) {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 1 || n > MAX_THREADS)
                return ga_cli_usage_error(&self, "--threads wants a number from 1 to %d, not '%s'",
                                          MAX_THREADS, optarg);
            threads = (int)n;
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

    o.threads = threads;
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
        f.omit = event_omit(o.fmt == FMT_TABLE ? event_cols : NULL);
        /* a short listing (a --limit below four chunks) is not worth a thread */
        if (threads > 1 && (f.limit <= 0 || f.limit >= PAR_MIN_ROWS)) {
            rc = events_threaded(st, &f, &o, threads, &used_threads, &cli->err);
        } else
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
    /* rows gathered before a failure still go out, as they did when each
     * was written at once */
    if (rc != GA_OK && (o.fmt == FMT_CSV || o.fmt == FMT_JSONL)) put_line(&o);
    int ok = rc == GA_OK && finish(&o);
    out_free(&o);
    if (timing)
        fprintf(stderr, "timing: prepare %.3f ms, query %.3f ms, output %.3f ms, %lld rows, "
                "%d thread%s\n", (t1 - t0) * 1e3, (t2 - t1) * 1e3, (ga_now() - t2) * 1e3,
                (long long)o.n, used_threads, used_threads != 1 ? "s" : "");
    ga_filter_clear(&f);
    ga_store_close(st);
    if (rc) return ga_cli_fail(cli);
    if (!ok) {
        ga_err_set(&cli->err, GA_EIO, "cannot write the results to standard output");
        return ga_cli_fail(cli);
    }
    return GA_EXIT_OK;
}
