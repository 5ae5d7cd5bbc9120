/*
 * fuzz_gazfix.h: a tiny gazetteer for the harnesses that resolve text
 * (fuzz_resolve.c, fuzz_events.c), written through the same writer and
 * index code the real one uses, as tests/unit/test_resolve.c does: a city
 * and a governorate of the same name, spelling variants, Arabic names,
 * homonyms, countries with demonyms, multi-word names, and names that are
 * also common words. fz_gaz_open() builds it in a per-process temporary
 * database and opens the name index and a resolver over the lexicon of the
 * source tree; fz_gaz_close() removes the files.
 */
#ifndef GA_FUZZ_GAZFIX_H
#define GA_FUZZ_GAZFIX_H

#include "fuzz_common.h"

#include "gaz/ga_gaz.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store_gaz.h"

typedef struct {
    const char *gid, *name, *kind, *fcode, *cc, *a1code, *a1pcode;
    long long pop;
    double lon, lat;
    const char *names;      /* '|'-separated alternate names */
    const char *demonyms;   /* '|'-separated demonyms */
} fz_place;

static const fz_place fz_places[] = {
    {"geonames:169577", "Homs", "populated_place", "PPLA", "SY", "SY.11", "SY04", 775404, 36.72339, 34.72682, "Hims|حمص", NULL},
    {"ne:homs", "Homs", "adm1", "ADM1", "SY", "SY.11", "SY04", 0, 37.5, 34.6, "Hims|Homs Governorate", NULL},
    {"geonames:170017", "Hamah", "populated_place", "PPLA", "SY", "SY.10", "SY05", 460602, 36.75783, 35.13179, "Hama", NULL},
    {"ne:hama", "Hamah", "adm1", "ADM1", "SY", "SY.10", "SY05", 0, 36.9, 35.2, "Hama", NULL},
    {"geonames:163779", "Tallbisah", "populated_place", "PPLA3", "SY", "SY.11", "SY04", 38491, 36.73092, 34.84072, "Talbiseh|تلبيسة", NULL},
    {"geonames:172946", "Ar Rastan", "populated_place", "PPLA2", "SY", "SY.11", "SY04", 53152, 36.73241, 34.92667, "Rastan|الرستن", NULL},
    {"test:hashemiyeh-homs", "Hashemiyeh", "populated_place", NULL, "SY", "SY.11", "SY04", 0, 36.7888, 34.8713, NULL, NULL},
    {"test:hashemiyeh-hama", "Hashemiyeh", "populated_place", NULL, "SY", "SY.10", "SY05", 0, 36.60, 35.10, NULL, NULL},
    {"test:waer", "Al Waer", "section", NULL, "SY", "SY.11", "SY04", 0, 36.67, 34.74, "Waer|Al-Waer|الوعر", NULL},
    {"test:harasta", "Harasta", "populated_place", NULL, "SY", "SY.08", "SY03", 0, 36.37, 33.56, "Harasta|حرستا", NULL},
    {"test:idlib", "Idlib", "populated_place", "PPLA", "SY", "SY.09", "SY07", 128840, 36.63, 35.93, "Idleb|إدلب", NULL},
    {"test:deir", "Deir ez-Zor", "populated_place", "PPLA", "SY", "SY.06", "SY09", 242565, 40.14, 35.33, "Dayr az Zawr|Deir al-Zour", NULL},
    {"country:TR", "Turkey", "country", NULL, "TR", NULL, NULL, 84000000, 35.0, 39.0, "Türkiye", "Turkish"},
    {"country:RU", "Russia", "country", NULL, "RU", NULL, NULL, 144000000, 105.3, 61.5, NULL, "Russian"},
    {"country:SY", "Syria", "country", NULL, "SY", NULL, NULL, 17000000, 38.0, 35.0, NULL, "Syrian"},
    {"geonames:3169070", "Rome", "populated_place", "PPLC", "IT", "IT.07", NULL, 2318895, 12.51133, 41.89193, "Roma", NULL},
    {"test:mustafa", "Mustafa", "populated_place", NULL, "EG", NULL, NULL, 900, 31.0, 30.0, NULL, NULL},
    {"test:opposition", "Opposition", "populated_place", NULL, "US", NULL, NULL, 800, -90.0, 35.0, NULL, NULL},
};

typedef struct {
    char dbpath[512];   /* temporary database */
    ga_store *st;       /* open on dbpath */
    ga_gaz *gaz;        /* its name index */
    ga_resolver *r;     /* resolver over gaz */
} fz_gaz;

static int fz_gaz_build(const char *dbpath, ga_err *err)
{
    unlink(dbpath);
    ga_store *st = NULL;
    ga_gaz_writer *w = NULL;
    int ok = 0;
    if (ga_store_open(dbpath, GA_STORE_CREATE, &st, err)) goto done;
    if (ga_store_begin(st, err) || ga_gaz_writer_new(st, &w, err)) goto done;
    for (size_t i = 0; i < sizeof fz_places / sizeof fz_places[0]; i++) {
        const fz_place *f = &fz_places[i];
        ga_place p;
        memset(&p, 0, sizeof p);
        p.gid = f->gid;
        p.name = f->name;
        if (!ga_kind_parse(f->kind, &p.kind)) {
            ga_err_set(err, GA_EINVAL, "fixture: unknown kind '%s'", f->kind);
            goto done;
        }
        p.feature_code = f->fcode;
        p.country = f->cc;
        p.admin1_code = f->a1code;
        p.admin1_pcode = f->a1pcode;
        p.population = f->pop;
        p.lon = f->lon;
        p.lat = f->lat;
        p.source = "fuzz";
        int64_t id;
        if (ga_gaz_writer_place(w, &p, NULL, &id, err)) goto done;
        if (ga_gaz_writer_name(w, id, f->name, NULL, GA_NAME_OFFICIAL, "fuzz", 0, err)) goto done;
        const char *lists[2] = {f->names, f->demonyms};
        for (int l = 0; l < 2; l++) {
            if (!lists[l]) continue;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", lists[l]);
            char *save = NULL;
            for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
                if (ga_gaz_writer_name(w, id, tok, NULL, l ? GA_NAME_DEMONYM : GA_NAME_ALTERNATE,
                                       "fuzz", 0, err))
                    goto done;
        }
    }
    ga_gaz_writer_free(w);
    w = NULL;
    if (ga_store_gaz_bump(st, err) || ga_store_commit(st, err)) goto done;
    ok = 1;
done:
    ga_gaz_writer_free(w);
    if (!ok) ga_store_rollback(st);
    ga_store_close(st);
    return ok;
}

/* Build and open the fixture; exits the process on failure (it is the
 * harness's initialisation, not the code under test). */
static void fz_gaz_open(fz_gaz *fx, const char *tag)
{
    ga_err err = {0};
    fz_temp_path(fx->dbpath, sizeof fx->dbpath, tag, ".sqlite");
    if (!fz_gaz_build(fx->dbpath, &err) || ga_store_open(fx->dbpath, 0, &fx->st, &err) ||
        ga_gaz_open(fx->st, NULL, NULL, &fx->gaz, &err) ||
        ga_resolver_new(fx->gaz, GA_SOURCE_DIR "/gazetteer/lexicon", &fx->r, &err)) {
        fprintf(stderr, "fuzz fixture: %s\n", err.msg);
        exit(1);
    }
}

static void fz_gaz_close(fz_gaz *fx)
{
    ga_resolver_free(fx->r);
    ga_gaz_close(fx->gaz);
    ga_store_close(fx->st);
    fx->r = NULL;
    fx->gaz = NULL;
    fx->st = NULL;
    char p[600];
    const char *suffix[] = {"", "-wal", "-shm", ".idx"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", fx->dbpath, suffix[i]);
        unlink(p);
    }
}

/* Contracts of a resolution of text[0..n): tokens and mentions inside the
 * text and in order, token ranges consistent with byte ranges, resolved
 * mentions pointing at an indexed place, precision 1..3, score in [0, 1],
 * NUL-terminated reasons. */
static void fz_check_resolved(const fz_gaz *fx, const ga_resolved *res, size_t n)
{
    const ga_tokens *t = &res->toks;
    for (size_t i = 0; i < t->n; i++) {
        FZ_CHECK(t->v[i].start < t->v[i].end && t->v[i].end <= n);
        if (i) FZ_CHECK(t->v[i - 1].end <= t->v[i].start);
    }
    uint32_t np = ga_gaz_nplaces(fx->gaz);
    for (size_t i = 0; i < res->mentions.n; i++) {
        const ga_mention *m = &res->mentions.v[i];
        FZ_CHECK(m->start < m->end && m->end <= n);
        FZ_CHECK(m->tok_first <= m->tok_last && m->tok_last < t->n);
        FZ_CHECK(t->v[m->tok_first].start == m->start && t->v[m->tok_last].end == m->end);
        if (i) FZ_CHECK(res->mentions.v[i - 1].start <= m->start);
        FZ_CHECK(memchr(m->reason, 0, sizeof m->reason) != NULL);
        if (m->resolved) {
            FZ_CHECK(m->place_idx < np);
            FZ_CHECK(m->place.gid != NULL);
            FZ_CHECK(m->precision >= 1 && m->precision <= 3);
            FZ_CHECK(m->score >= 0.0 && m->score <= 1.0);
        }
    }
    FZ_CHECK(memchr(res->focus_country, 0, sizeof res->focus_country) != NULL);
}

#endif
