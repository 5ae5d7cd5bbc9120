/*
 * bench_query.c: in-process timing of a region query. Opens a database
 * (made by bench/query.sh: OCHA outlines and synthetic events), prepares
 * a filter for each region given, runs ga_store_events_each() N times and
 * prints the median, next to the reference measured in the same run: the
 * same region by a plain ST_Intersects scan of every event (no spatial
 * index, no grid), as a ratio.
 *
 * usage: bench_query DB [--runs N] [--ref-runs N] REGION...
 * (--ref-runs 0 leaves the reference out, for profiling)
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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_query DB [--runs N] [--ref-runs N] REGION...\n");
        return 2;
    }
    int runs = 20, ref_runs = 3, first = 2;
    while (first + 1 < argc && !strncmp(argv[first], "--", 2)) {
        if (!strcmp(argv[first], "--runs")) runs = atoi(argv[first + 1]);
        else if (!strcmp(argv[first], "--ref-runs")) ref_runs = atoi(argv[first + 1]);
        else break;
        first += 2;
    }
    if (runs < 1 || runs > 1000 || ref_runs < 0 || ref_runs > 100) return 2;
    ga_err err = {0};
    ga_store *st = NULL;
    if (ga_store_open(argv[1], GA_STORE_READONLY, &st, &err)) {
        fprintf(stderr, "bench_query: %s\n", err.msg);
        return 1;
    }
    printf("%-16s %8s %12s %12s %14s %8s\n", "region", "events", "prepare_ms", "median_ms",
           "scan_median_ms", "speedup");
    double *t = malloc(sizeof(double) * (size_t)(runs > ref_runs ? runs : ref_runs));
    if (!t) return 1;
    int rc = 0;
    for (int a = first; a < argc; a++) {
        ga_filter f = {0};
        f.region = argv[a];
        double t0 = ga_now();
        if (ga_filter_prepare(st, &f, &err)) {
            fprintf(stderr, "bench_query: %s\n", err.msg);
            rc = 1;
            continue;
        }
        double prep = ga_now() - t0;
        int64_t n = 0;
        for (int i = 0; i < runs; i++) {
            n = 0;
            t0 = ga_now();
            if (ga_store_events_each(st, &f, count_row, &n, &err)) {
                fprintf(stderr, "bench_query: %s\n", err.msg);
                return 1;
            }
            t[i] = ga_now() - t0;
        }
        double med = median(t, runs);
        int64_t scan_n = 0;
        for (int i = 0; i < ref_runs; i++) {
            t0 = ga_now();
            if (ga_store_events_count_scan(st, &f, &scan_n, &err)) {
                fprintf(stderr, "bench_query: %s\n", err.msg);
                return 1;
            }
            t[i] = ga_now() - t0;
        }
        double ref = ref_runs ? median(t, ref_runs) : NAN;
        if (!ref_runs) scan_n = n;
        printf("%-16s %8lld %12.1f %12.2f %14.1f %7.0fx%s\n", argv[a], (long long)n, prep * 1e3,
               med * 1e3, ref * 1e3, ref / med,
               scan_n != n ? "  (COUNTS DIFFER)" : "");
        fflush(stdout);
        if (scan_n != n) rc = 1;
        ga_filter_clear(&f);
    }
    free(t);
    ga_store_close(st);
    return rc;
}
