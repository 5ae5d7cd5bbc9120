/*
 * test_json_out.c: the JSON Lines of resolve (src/cli/json_out.c) with a
 * memory of place objects must be byte for byte the lines written
 * without one: many documents naming places whose indices share slots of
 * the memory, the same index with another place (another name index),
 * places with and without population, unresolved mentions.
 */
#define _POSIX_C_SOURCE 200809L
#include "json_out.h"
#include "ga_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define next ga_test_next

#define NPLACES 20000

/* Place i of an imaginary index; two indices (set 0 and 1) give the same
 * index numbers to different places, with different string pointers. */
static char gids[2][NPLACES][24], names[2][NPLACES][24];

static void place_of(int set, uint32_t i, ga_place *p)
{
    static const char *const cc[] = {"SY", "US", "TR", NULL};
    memset(p, 0, sizeof *p);
    p->id = (int64_t)i + 1;
    p->gid = gids[set][i];
    p->name = names[set][i];
    p->kind = (ga_kind)(i % GA_KIND_COUNT);
    p->feature_code = i % 3 ? "PPL" : NULL;
    p->country = cc[i % 4];
    p->admin1 = i % 5 ? "Homs \"Governorate\"" : NULL;
    p->admin1_pcode = i % 7 ? "SY04" : "";
    p->lon = 36.0 + i / 1e4;
    p->lat = -34.5 - (double)(i % 977) / 1e3;
    p->population = i % 6 ? (int64_t)i * 37 : 0;
}

/* One document's line written with memory pc, and without: equal? */
static int same_line(ga_json_places *pc, int set, ga_buf *a, ga_buf *b)
{
    static const char text[] = "Residents of Homs and Talbiseh fled \"north\" to Idlib.";
    ga_resolved res;
    memset(&res, 0, sizeof res);
    unsigned n = next() % 12;
    for (unsigned k = 0; k < n; k++) {
        ga_mention m;
        memset(&m, 0, sizeof m);
        m.start = next() % 20;
        m.end = m.start + 1 + next() % 20;
        m.resolved = next() % 8 != 0;
        if (m.resolved) {
            /* indices 4096 apart often share a slot */
            m.place_idx = (next() % 64) * 4096u % NPLACES + next() % 3;
            place_of(set, m.place_idx, &m.place);
            m.precision = 1 + (int)(next() % 3);
            m.score = (next() % 1000) / 1000.0;
        }
        m.flags = next() % 64;
        snprintf(m.reason, sizeof m.reason, "exact name; best of %u candidates", next() % 50);
        ga_vec_push(&res.mentions, m);
    }
    FILE *devnull = fopen("/dev/null", "w");
    int rc1 = ga_json_doc_line(devnull, a, pc, "doc", &res, NULL, text);
    int rc2 = ga_json_doc_line(devnull, b, NULL, "doc", &res, NULL, text);
    fclose(devnull);
    ga_vec_free(&res.mentions);
    return rc1 == 0 && rc2 == 0 && a->len == b->len && !memcmp(a->data, b->data, a->len);
}

int main(void)
{
    for (int s = 0; s < 2; s++)
        for (uint32_t i = 0; i < NPLACES; i++) {
            snprintf(gids[s][i], sizeof gids[s][i], "test:%d-%u", s, i);
            snprintf(names[s][i], sizeof names[s][i], "Place %u%s", i, s ? " (other)" : "");
        }
    ga_json_places *pc = ga_json_places_new();
    CHECK(pc != NULL);
    ga_buf a = {0}, b = {0};
    int mismatches = 0;
    for (int doc = 0; doc < 4000; doc++) {
        /* the second half switches index now and then: same numbers,
         * other places */
        int set = doc >= 2000 && next() % 4 == 0;
        if (!same_line(pc, set, &a, &b) && mismatches++ < 3)
            fprintf(stderr, "with memory:    %.*s\nwithout memory: %.*s\n", (int)a.len, a.data,
                    (int)b.len, b.data);
    }
    CHECK_INT(mismatches, 0);
    ga_json_places_free(pc);
    ga_json_places_free(NULL);   /* harmless */
    ga_buf_free(&a);
    ga_buf_free(&b);
    return ga_test_result();
}
