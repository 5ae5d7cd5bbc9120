/*
 * filters.c: parsing the filter options shared by `query` and `export`
 * (filters.h), and resolving a --near place name through the gazetteer's
 * name index before the store prepares the filter.
 */
#define _POSIX_C_SOURCE 200809L
#include "filters.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "events/ga_events.h"
#include "gaz/ga_gaz.h"
#include "geo/ga_geo.h"
#include "text/ga_text.h"

const char ga_cli_filter_help[] = GA_CLI_FILTER_HELP;

/* Dates and names given to --near live as long as argv; gids chosen for a
 * --near name are kept here. */
static char near_gid[256];

static int parse_bbox(const char *s, ga_filter *f, const ga_cmd *cmd)
{
    double v[4];
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end = NULL;
        errno = 0;
        v[i] = strtod(p, &end);
        if (end == p || errno || !isfinite(v[i]) || (i < 3 ? *end != ',' : *end != 0))
            return ga_cli_usage_error(cmd, "--bbox '%s': give four numbers W,S,E,N in degrees "
                                      "(e.g. --bbox 36.0,34.4,37.5,35.2)", s), 0;
        p = end + 1;
    }
    if (v[0] < -180 || v[2] > 180 || v[0] > 180 || v[2] < -180 || v[1] < -90 || v[3] > 90 ||
        v[1] > 90 || v[3] < -90)
        return ga_cli_usage_error(cmd, "--bbox '%s': out of range (longitudes -180..180, "
                                  "latitudes -90..90, in the order W,S,E,N)", s), 0;
    if (v[0] > v[2] || v[1] > v[3])
        return ga_cli_usage_error(cmd, "--bbox '%s': reversed box (%s > %s); give W,S,E,N "
                                  "with W <= E and S <= N", s,
                                  v[0] > v[2] ? "west" : "south", v[0] > v[2] ? "east" : "north"), 0;
    f->has_bbox = 1;
    f->west = v[0]; f->south = v[1]; f->east = v[2]; f->north = v[3];
    return 1;
}

static int parse_distance(const char *s, double *m, const ga_cmd *cmd)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v))
        return ga_cli_usage_error(cmd, "--within '%s': give a distance with a unit, e.g. 25km, "
                                  "500m, 10mi", s), 0;
    if (v < 0) return ga_cli_usage_error(cmd, "--within '%s': distance must not be negative", s), 0;
    static const struct { const char *unit; double m; } units[] = {
        {"m", 1.0}, {"km", 1000.0}, {"mi", 1609.344}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(end, units[i].unit)) { *m = v * units[i].m; return 1; }
    if (!*end)
        return ga_cli_usage_error(cmd, "--within '%s': missing unit (m, km or mi)", s), 0;
    return ga_cli_usage_error(cmd, "--within '%s': unknown unit '%s' (use m, km or mi)", s, end), 0;
}

/* 1 when s is a real calendar date written YYYY-MM-DD. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return 0;
    return 1;
}

int ga_cli_filter_opt(ga_filter *f, int opt, const char *arg, const ga_cmd *cmd)
{
    long n;
    switch (opt) {
    case GA_OPT_IN:
        if (!*arg) return ga_cli_usage_error(cmd, "--in: empty region"), -1;
        f->region = arg;
        return 1;
    case GA_OPT_BBOX:
        return parse_bbox(arg, f, cmd) ? 1 : -1;
    case GA_OPT_NEAR:
        if (!*arg) return ga_cli_usage_error(cmd, "--near: empty place"), -1;
        f->near = arg;
        return 1;
    case GA_OPT_WITHIN:
        return parse_distance(arg, &f->within_m, cmd) ? 1 : -1;
    case GA_OPT_FROM:
    case GA_OPT_TO:
        if (!valid_date(arg))
            return ga_cli_usage_error(cmd, "--%s '%s': not a date; give YYYY-MM-DD (e.g. "
                                      "2018-03-22)", opt == GA_OPT_FROM ? "from" : "to", arg), -1;
        if (opt == GA_OPT_FROM) f->date_from = arg;
        else f->date_to = arg;
        return 1;
    case GA_OPT_TYPE:
        for (int i = 0; i < GA_EV_TYPE_COUNT; i++)
            if (!strcmp(arg, ga_event_type_name((ga_event_type)i))) { f->type = arg; return 1; }
        return ga_cli_usage_error(cmd, "--type '%s': unknown event type (forced_displacement, "
                                  "evacuation, flight, siege, return, protest)", arg), -1;
    case GA_OPT_STATUS:
        for (int i = 0; i < GA_ST_COUNT; i++)
            if (!strcmp(arg, ga_event_status_name((ga_event_status)i))) { f->status = arg; return 1; }
        return ga_cli_usage_error(cmd, "--status '%s': unknown status (reported, threatened, "
                                  "denied)", arg), -1;
    case GA_OPT_MIN_PRECISION:
        if (!ga_cli_parse_int(arg, &n) || n < 1 || n > 3)
            return ga_cli_usage_error(cmd, "--min-precision '%s': give 1, 2 or 3", arg), -1;
        f->min_precision = (int)n;
        return 1;
    case GA_OPT_LIMIT:
        if (!ga_cli_parse_int(arg, &n) || n < 1)
            return ga_cli_usage_error(cmd, "--limit '%s': give a positive whole number", arg), -1;
        f->limit = n;
        return 1;
    default:
        return 0;
    }
}

int ga_cli_filter_check(const ga_filter *f, const ga_cmd *cmd)
{
    if (f->within_m > 0 && !f->near)
        return ga_cli_usage_error(cmd, "--within needs --near PLACE"), 0;
    if (f->date_from && f->date_to && strcmp(f->date_from, f->date_to) > 0)
        return ga_cli_usage_error(cmd, "--from %s is after --to %s", f->date_from, f->date_to), 0;
    return 1;
}

/* ---- --near names ---------------------------------------------------------- */

static int is_town(ga_kind k)
{
    return k == GA_KIND_PPL || k == GA_KIND_SECTION || k == GA_KIND_CAMP || k == GA_KIND_CROSSING;
}

/* Prefer towns to areas, then population; places of one name within
 * 5 km of each other are the same place from two sources. */
static int better(const ga_place *a, const ga_place *b)
{
    if (is_town(a->kind) != is_town(b->kind)) return is_town(a->kind);
    return a->population > b->population;
}

static ga_rc resolve_near_name(ga_cli *cli, ga_store *st, ga_filter *f)
{
    double lon, lat;
    char c;
    if (strchr(f->near, ':') || sscanf(f->near, "%lf,%lf%c", &lon, &lat, &c) == 2) return GA_OK;
    ga_rc rc = ga_geo_open(&cli->err);   /* places closer than 5 km are one */
    if (rc) return rc;
    ga_gaz *gaz = NULL;
    rc = ga_gaz_open(st, NULL, NULL, &gaz, &cli->err);
    if (rc) return rc;
    ga_buf key = {0};
    GA_VEC(ga_place) picks = {0};
    if (ga_key_strict(f->near, strlen(f->near), &key)) {
        rc = ga_err_set(&cli->err, GA_ENOMEM, "out of memory");
        goto done;
    }
    for (int phonetic = 0; phonetic < 2 && !picks.n && key.len; phonetic++) {
        ga_buf pk = {0};
        const char *k = key.data;
        size_t kn = key.len;
        if (phonetic) {
            if (ga_key_phonetic(f->near, strlen(f->near), &pk)) break;
            k = pk.data;
            kn = pk.len;
        }
        const ga_gaz_hit *hits = NULL;
        size_t nh = ga_gaz_lookup(gaz, phonetic, k, kn, &hits, NULL);
        for (size_t i = 0; i < nh; i++) {
            ga_place p;
            ga_gaz_place(gaz, hits[i].place, &p);
            if (p.kind == GA_KIND_COUNTRY) continue;
            size_t j = 0;
            for (; j < picks.n; j++)
                if (picks.v[j].id == p.id ||
                    ga_geo_dist_m(picks.v[j].lon, picks.v[j].lat, p.lon, p.lat) < 5000) break;
            if (j < picks.n) {
                if (better(&p, &picks.v[j])) picks.v[j] = p;
            } else if (ga_vec_push(&picks, p)) {
                rc = ga_err_set(&cli->err, GA_ENOMEM, "out of memory");
                break;
            }
        }
        ga_buf_free(&pk);
    }
    if (rc || !picks.n) goto done;   /* unknown: the store says so */
    size_t best = 0;
    for (size_t j = 1; j < picks.n; j++)
        if (better(&picks.v[j], &picks.v[best])) best = j;
    /* A clear winner: the only town, or a town ten times bigger than the next. */
    int clear = 1;
    for (size_t j = 0; j < picks.n; j++) {
        if (j == best) continue;
        const ga_place *a = &picks.v[best], *b = &picks.v[j];
        if (is_town(a->kind) == is_town(b->kind) && !(a->population >= 10 * b->population &&
                                                      a->population > 0))
            clear = 0;
    }
    if (!clear) {
        ga_buf msg = {0};
        ga_buf_printf(&msg, "place '%s' for --near is ambiguous: ", f->near);
        for (size_t j = 0; j < picks.n && j < 8; j++)
            ga_buf_printf(&msg, "%s%s (%s, %s, %s%s%s)", j ? ", " : "", picks.v[j].gid,
                          picks.v[j].name, ga_kind_name(picks.v[j].kind),
                          picks.v[j].admin1 ? picks.v[j].admin1 : "",
                          picks.v[j].admin1 ? " " : "", picks.v[j].country ? picks.v[j].country : "");
        ga_buf_puts(&msg, "; give the gid instead");
        rc = ga_err_set(&cli->err, GA_ENOTFOUND, "%s", msg.data);
        ga_buf_free(&msg);
        goto done;
    }
    snprintf(near_gid, sizeof near_gid, "%s", picks.v[best].gid);
    f->near = near_gid;
done:
    ga_vec_free(&picks);
    ga_buf_free(&key);
    ga_gaz_close(gaz);
    return rc;
}

ga_rc ga_cli_filter_prepare(ga_cli *cli, ga_store *st, ga_filter *f)
{
    ga_rc rc = GA_OK;
    if (f->near && (rc = resolve_near_name(cli, st, f))) return rc;
    if ((rc = ga_filter_prepare(st, f, &cli->err))) return rc;
    const ga_region_info *ri = ga_filter_region(f);
    if (ri && ri->note && !cli->quiet) fprintf(stderr, "geoannot: note: %s\n", ri->note);
    return GA_OK;
}
