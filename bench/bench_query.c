/*
 * bench_query.c: in-process timing of filtered event queries. Opens a
 * database (made by bench/query.sh: OCHA outlines and synthetic events),
 * prepares a filter for each query given, runs ga_store_events_each() N
 * times (every row through the callback, sorted by date, no limit) and
 * prints the median and the rows per second, next to the reference
 * measured in the same run: the same filter by a plain scan of every event
 * (ga_store_events_count_scan: no spatial index, no grid; it only counts,
 * so it reads less per matching row than the measured query), as a ratio.
 *
 * usage: bench_query DB [--runs N] [--ref-runs N] [--columns all|table]
 *                    [--threads N] QUERY...
 *   QUERY: --in REGION | --bbox W,S,E,N | --near PLACE --within KM
 *   (PLACE: a gid, lon,lat or a name of a place with an outline)
 * (--ref-runs 0 leaves the reference out, for profiling; --columns table
 * fills only the columns `query events` shows as a table, the default
 * format, as the command asks the store to; all, the default, every
 * column, as csv, jsonl and geojson do; --threads N, N > 1, hands the rows
 * to N threads through ga_store_events_each_par(), as `query events
 * --threads N` does: each thread fills its chunks' rows)
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/ga_store.h"
#include "store/ga_store_query.h"

static int count_row(const ga_event_row *e, void *arg)
{
    (*(int64_t *)arg)++;
    return 1;
}

static int chunk_done(void *arg)
{
    (void)arg;
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
    ga_filter f;
    char label[96];
} spec;

/* Parse the queries of argv[i..); returns how many, or -1. */
static int parse_specs(int argc, char **argv, int i, spec *out)
{
    int n = 0;
    while (i < argc) {
        spec *q = &out[n];
        memset(q, 0, sizeof *q);
        if (i + 1 >= argc) return -1;
        const char *opt = argv[i], *val = argv[i + 1];
        i += 2;
        if (!strcmp(opt, "--in")) {
            q->f.region = val;
            snprintf(q->label, sizeof q->label, "--in %s", val);
        } else if (!strcmp(opt, "--bbox")) {
            if (sscanf(val, "%lf,%lf,%lf,%lf", &q->f.west, &q->f.south, &q->f.east,
                       &q->f.north) != 4)
                return -1;
            q->f.has_bbox = 1;
            snprintf(q->label, sizeof q->label, "--bbox %s", val);
        } else if (!strcmp(opt, "--near")) {
            if (i + 1 >= argc || strcmp(argv[i], "--within")) return -1;
            q->f.near = val;
            q->f.within_m = atof(argv[i + 1]) * 1000.0;
            snprintf(q->label, sizeof q->label, "--near %s --within %skm", val, argv[i + 1]);
            i += 2;
        } else {
            return -1;
        }
        n++;
    }
    return n;
}

int main(int argc, char **argv)
{
    static const char usage[] = "usage: bench_query DB [--runs N] [--ref-runs N] "
                                "[--columns all|table] [--threads N] "
                                "(--in R | --bbox W,S,E,N | --near P --within KM)...\n";
    if (argc < 4) {
        fputs(usage, stderr);
        return 2;
    }
    int runs = 20, ref_runs = 3, first = 2, threads = 1;
    unsigned omit = 0;
    while (first + 1 < argc) {
        if (!strcmp(argv[first], "--runs")) runs = atoi(argv[first + 1]);
        else if (!strcmp(argv[first], "--ref-runs")) ref_runs = atoi(argv[first + 1]);
        else if (!strcmp(argv[first], "--threads")) threads = atoi(argv[first + 1]);
        else if (!strcmp(argv[first], "--columns") && !strcmp(argv[first + 1], "table"))
            /* the table's date, type, status, place, governorate, people, title */
            omit = GA_EV_ALL & ~(unsigned)(GA_EV_TYPE | GA_EV_STATUS | GA_EV_PLACE_NAME |
                                           GA_EV_ADMIN1 | GA_EV_PEOPLE | GA_EV_TITLE);
        else if (!strcmp(argv[first], "--columns") && !strcmp(argv[first + 1], "all")) omit = 0;
        else break;
        first += 2;
    }
    if (runs < 1 || runs > 1000 || ref_runs < 0 || ref_runs > 100 || threads < 1 ||
        threads > GA_EVENT_PAR_MAX)
        return 2;
    spec *specs = calloc((size_t)argc, sizeof *specs);
    int nspecs = specs ? parse_specs(argc, argv, first, specs) : -1;
    if (nspecs <= 0) {
        fputs(usage, stderr);
        return 2;
    }
    ga_err err = {0};
    ga_store *st = NULL;
    if (ga_store_open(argv[1], GA_STORE_READONLY, &st, &err)) {
        fprintf(stderr, "bench_query: %s\n", err.msg);
        return 1;
    }
    printf("%-36s %8s %8s %10s %11s %10s %8s\n", "query", "rows", "prep_ms", "median_ms",
           "rows/s", "scan_ms", "ratio");
    double *t = malloc(sizeof(double) * (size_t)(runs > ref_runs ? runs : ref_runs));
    if (!t) return 1;
    int rc = 0;
    for (int a = 0; a < nspecs; a++) {
        ga_filter *f = &specs[a].f;
        f->omit = omit;
        double t0 = ga_now();
        if (ga_filter_prepare(st, f, &err)) {
            fprintf(stderr, "bench_query: %s\n", err.msg);
            rc = 1;
            continue;
        }
        double prep = ga_now() - t0;
        int64_t n = 0;
        for (int i = 0; i < runs; i++) {
            n = 0;
            /* each thread's count on its own cache line */
            struct { _Alignas(64) int64_t n; } per[GA_EVENT_PAR_MAX] = {{0}};
            ga_event_par par = {.nthreads = threads, .chunk_done = chunk_done};
            for (int k = 0; k < threads; k++) par.arg[k] = &per[k].n;
            t0 = ga_now();
            if (threads > 1 ? ga_store_events_each_par(st, f, count_row, &par, &err)
                            : ga_store_events_each(st, f, count_row, &n, &err)) {
                fprintf(stderr, "bench_query: %s\n", err.msg);
                return 1;
            }
            t[i] = ga_now() - t0;
            for (int k = 0; k < threads && threads > 1; k++) n += per[k].n;
        }
        double med = median(t, runs);
        int64_t scan_n = 0;
        for (int i = 0; i < ref_runs; i++) {
            t0 = ga_now();
            if (ga_store_events_count_scan(st, f, &scan_n, &err)) {
                fprintf(stderr, "bench_query: %s\n", err.msg);
                return 1;
            }
            t[i] = ga_now() - t0;
        }
        double ref = ref_runs ? median(t, ref_runs) : NAN;
        if (!ref_runs) scan_n = n;
        printf("%-36s %8lld %8.1f %10.2f %11.0f %10.1f %7.0fx%s\n", specs[a].label,
               (long long)n, prep * 1e3, med * 1e3, med > 0 ? (double)n / med : NAN, ref * 1e3,
               ref / med, scan_n != n ? "  (COUNTS DIFFER)" : "");
        fflush(stdout);
        if (scan_n != n) rc = 1;
        ga_filter_clear(f);
    }
    free(t);
    free(specs);
    ga_store_close(st);
    return rc;
}
