/*
 * fuzz_events.c: event extraction (events/ga_events.h), including its
 * date and people-count parsing, on arbitrary text resolved over the tiny
 * gazetteer of fuzz_gazfix.h.
 *
 * The first input byte picks the document date (none, a fixed date, a
 * leap day, the first day of a year), the rest is the text. Contracts
 * checked for every event: enum fields in range, the location, origin
 * and destination are mention indices (or -1), trigger and sentence
 * ranges lie inside the text, the date is "" or a valid YYYY-MM-DD with a
 * time precision 1..3, the people count is -1 exactly when there is no
 * qualifier, and the strings are NUL-terminated.
 */
#include "fuzz_gazfix.h"

#include "events/ga_events.h"
#include "text/ga_doc.h"

static fz_gaz fx;
static ga_events_lex *lex;

static void fini(void)
{
    ga_events_lex_free(lex);
    fz_gaz_close(&fx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    fz_gaz_open(&fx, "events");
    ga_err err = {0};
    if (ga_events_lex_load(GA_SOURCE_DIR "/gazetteer/lexicon", &lex, &err)) {
        fprintf(stderr, "fuzz_events: %s\n", err.msg);
        exit(1);
    }
    atexit(fini);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65536) return 0;
    static const char *const dates[4] = {NULL, "2016-12-30", "2016-02-29", "2017-01-01"};
    const char *doc_date = dates[data[0] & 3];
    ga_buf text = {0};
    FZ_CHECK(ga_utf8_sanitize((const char *)data + 1, size - 1, &text, NULL, NULL) == GA_OK);
    const char *s = text.data ? text.data : "";
    ga_err err = {0};
    ga_resolved res;
    memset(&res, 0, sizeof res);
    FZ_CHECK(ga_resolve_text(fx.r, s, text.len, &res, &err) == GA_OK);
    fz_check_resolved(&fx, &res, text.len);
    ga_events ev;
    memset(&ev, 0, sizeof ev);
    FZ_CHECK(ga_events_extract(lex, s, text.len, &res, doc_date, &ev, &err) == GA_OK);
    long nm = (long)res.mentions.n;
    for (size_t i = 0; i < ev.n; i++) {
        const ga_event *e = &ev.v[i];
        FZ_CHECK((unsigned)e->type < GA_EV_TYPE_COUNT);
        FZ_CHECK((unsigned)e->status < GA_ST_COUNT);
        FZ_CHECK((unsigned)e->role < GA_ROLE_COUNT);
        FZ_CHECK(e->location >= 0 && e->location < nm);
        FZ_CHECK(e->origin >= -1 && e->origin < nm);
        FZ_CHECK(e->destination >= -1 && e->destination < nm);
        FZ_CHECK(e->trig_start < e->trig_end && e->trig_end <= text.len);
        FZ_CHECK(e->sent_start <= e->trig_start && e->trig_end <= e->sent_end &&
                 e->sent_end <= text.len);
        FZ_CHECK(memchr(e->trigger, 0, sizeof e->trigger) != NULL);
        FZ_CHECK(memchr(e->reason, 0, sizeof e->reason) != NULL);
        FZ_CHECK(memchr(e->date, 0, sizeof e->date) != NULL);
        if (e->date[0]) {
            FZ_CHECK(ga_doc_date_valid(e->date));
            FZ_CHECK(e->time_precision >= 1 && e->time_precision <= 3);
        } else {
            FZ_CHECK(e->time_precision == 0);
        }
        FZ_CHECK(e->geo_precision >= 0 && e->geo_precision <= 3);
        FZ_CHECK(e->nactors >= 0 && e->nactors <= 8);
        for (int a = 0; a < e->nactors; a++) FZ_CHECK(e->actors[a] != NULL);
        FZ_CHECK((e->people == -1) == (e->people_qual == GA_PEOPLE_NONE));
        if (e->people != -1) FZ_CHECK(e->people >= 0);
    }
    ga_events_free(&ev);
    ga_resolved_free(&res);
    ga_buf_free(&text);
    return 0;
}
