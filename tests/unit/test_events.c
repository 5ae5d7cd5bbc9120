/*
 * test_events.c: unit tests for the event extractor (src/events): dates
 * from weekdays and calendar phrases, people counts, status cues, place
 * roles and the places that are not event places. Mentions are built by
 * hand (no gazetteer), so each rule is checked on its own small sentence.
 * The sentences are written for these tests, in the style of the reports
 * the tool reads.
 */
#include "events/events_int.h"
#include "text/ga_text.h"
#include "ga_test.h"

#include <stdlib.h>
#include <strings.h>

static ga_events_lex *lex;

/* ---- helpers ---------------------------------------------------------- */

typedef struct {
    const char *text;
    ga_resolved res;
    ga_events ev;
} fixture;

static void fx_init(fixture *f, const char *text)
{
    memset(f, 0, sizeof *f);
    f->text = text;
    CHECK(ga_tokenize(text, strlen(text), &f->res.toks) == GA_OK);
    strcpy(f->res.focus_country, "SY");
}

static void fx_free(fixture *f)
{
    ga_vec_free(&f->res.toks);
    ga_vec_free(&f->res.mentions);
    ga_events_free(&f->ev);
}

/* Add a mention for the nth (0-based) occurrence of surface, resolved to
 * a place of the given kind and country (kind < 0: unresolved). The place
 * index is a hash of the lower-cased surface, so repeated names are the
 * same place. */
static void mention(fixture *f, const char *surface, int nth, int kind, const char *cc,
                    unsigned flags)
{
    const char *p = f->text;
    for (int i = 0; p && i <= nth; i++) {
        p = strstr(i ? p + 1 : p, surface);
    }
    CHECK(p != NULL);
    if (!p) return;
    ga_mention m;
    memset(&m, 0, sizeof m);
    m.start = (uint32_t)(p - f->text);
    m.end = m.start + (uint32_t)strlen(surface);
    int have_first = 0;
    for (size_t i = 0; i < f->res.toks.n; i++) {
        const ga_token *t = &f->res.toks.v[i];
        if (t->start == m.start) { m.tok_first = (uint32_t)i; have_first = 1; }
        if (t->end == m.end) m.tok_last = (uint32_t)i;
    }
    CHECK(have_first);
    m.flags = flags;
    if (kind >= 0) {
        m.resolved = 1;
        char low[128];
        size_t n = strlen(surface) < sizeof low - 1 ? strlen(surface) : sizeof low - 1;
        for (size_t i = 0; i < n; i++)
            low[i] = (char)(surface[i] >= 'A' && surface[i] <= 'Z' ? surface[i] + 32 : surface[i]);
        m.place_idx = (uint32_t)(ga_hash64(low, n) & 0xffffff);
        m.place.name = surface;
        m.place.kind = (ga_kind)kind;
        m.place.country = cc;
        m.precision = kind == GA_KIND_ADM1 ? 3 : kind == GA_KIND_AREA ? 2 : 1;
        m.place.lon = 36.0;
        m.place.lat = 34.0;
    } else {
        m.flags |= GA_MENTION_UNRESOLVED;
    }
    /* keep text order */
    ga_vec_push(&f->res.mentions, m);
    for (size_t i = f->res.mentions.n - 1; i > 0; i--) {
        ga_mention *a = &f->res.mentions.v[i - 1], *b = &f->res.mentions.v[i];
        if (a->start <= b->start) break;
        ga_mention tmp = *a; *a = *b; *b = tmp;
    }
}

static void extract(fixture *f, const char *date)
{
    ga_err err = {0};
    ga_rc rc = ga_events_extract(lex, f->text, strlen(f->text), &f->res, date, &f->ev, &err);
    CHECK(rc == GA_OK);
    if (getenv("GA_TEST_VERBOSE"))
        for (size_t i = 0; i < f->ev.n; i++)
            fprintf(stderr, "  event %zu: %s %s %s | %s\n", i, ga_event_type_name(f->ev.v[i].type),
                    ga_event_status_name(f->ev.v[i].status), f->ev.v[i].date, f->ev.v[i].reason);
}

static const char *mention_text(const fixture *f, long k)
{
    static char buf[8][80];
    static int slot;
    char *b = buf[slot++ % 8];
    if (k < 0) return "(none)";
    const ga_mention *m = &f->res.mentions.v[k];
    snprintf(b, 80, "%.*s", (int)(m->end - m->start), f->text + m->start);
    return b;
}

/* The event whose location is the mention with this surface, or NULL. */
static const ga_event *event_at(const fixture *f, const char *surface)
{
    for (size_t i = 0; i < f->ev.n; i++)
        if (strcmp(mention_text(f, f->ev.v[i].location), surface) == 0) return &f->ev.v[i];
    return NULL;
}

/* ---- dates ------------------------------------------------------------- */

static const char *date_of(const char *text, const char *doc, int *prec)
{
    static char out[11];
    ga_tokens toks = {0};
    ga_tokenize(text, strlen(text), &toks);
    ev_src s = {text, &toks};
    *prec = ev_date(&s, 0, toks.n - 1, 0, doc, out);
    ga_vec_free(&toks);
    return out;
}

static void test_dates(void)
{
    int p;
    /* 2018-03-22 was a Thursday */
    CHECK_STR(date_of("Buses left on Thursday.", "2018-03-22", &p), "2018-03-22");
    CHECK_INT(p, 1);
    CHECK_STR(date_of("Buses left on Tuesday.", "2018-03-22", &p), "2018-03-20");
    CHECK_INT(p, 1);
    CHECK_STR(date_of("Residents took to the streets on Wednesday night.", "2017-05-03", &p),
              "2017-05-03");   /* a Wednesday: the same day */
    CHECK_STR(date_of("They fled on Friday.", "2018-03-22", &p), "2018-03-16");
    CHECK_STR(date_of("They fled on Sunday.", "2018-03-22", &p), "2018-03-18");
    CHECK_STR(date_of("They fled yesterday.", "2018-03-01", &p), "2018-02-28");
    CHECK_INT(p, 1);
    CHECK_STR(date_of("The agreement signed on December 30, 2016 held.", "2017-05-03", &p),
              "2016-12-30");
    CHECK_INT(p, 1);
    CHECK_STR(date_of("Families left on 30 December.", "2018-03-22", &p), "2017-12-30");
    CHECK_STR(date_of("Families left on March 5.", "2018-03-22", &p), "2018-03-05");
    CHECK_STR(date_of("Thousands fled last week.", "2018-03-22", &p), "2018-03-15");
    CHECK_INT(p, 2);
    CHECK_STR(date_of("Thousands fled in March 2017.", "2018-03-22", &p), "2017-03-01");
    CHECK_INT(p, 3);
    CHECK_STR(date_of("Thousands fled.", "2018-03-22", &p), "2018-03-22");
    CHECK_INT(p, 2);
    CHECK_STR(date_of("Thousands fled on Thursday.", NULL, &p), "");
    CHECK_INT(p, 0);
    CHECK_STR(date_of("They may leave.", "2018-03-22", &p), "2018-03-22");   /* not the month */
    CHECK_INT(p, 2);
    char d[11];
    ev_date_from_days(ev_days_from_date("2016-02-29"), d);
    CHECK_STR(d, "2016-02-29");
    CHECK(ev_days_from_date("2017-02-29") == INT32_MIN);
}

/* ---- counts ------------------------------------------------------------ */

static int64_t people_of(const char *text, ga_people_qual *q)
{
    ga_tokens toks = {0};
    ga_tokenize(text, strlen(text), &toks);
    ev_src s = {text, &toks};
    ev_trig_hits hits = {0};
    if (ev_find_triggers(lex, &s, 0, toks.n - 1, &hits)) return -2;
    int64_t v = ev_people(lex, &s, 0, toks.n - 1, &hits, q);
    ga_vec_free(&hits);
    ga_vec_free(&toks);
    return v;
}

/* ev_people_len at token i of text. */
static size_t people_len_of(const char *text, size_t i)
{
    ga_tokens toks = {0};
    ga_tokenize(text, strlen(text), &toks);
    ev_src s = {text, &toks};
    size_t n = ev_people_len(lex, &s, i, toks.n - 1);
    ga_vec_free(&toks);
    return n;
}

static void test_counts(void)
{
    ga_people_qual q;
    CHECK_INT(people_of("About 1,500 people left the town.", &q), 1500);
    CHECK_INT(q, GA_PEOPLE_APPROX);
    CHECK_INT(people_of("More than 100,000 have fled since March.", &q), 100000);
    CHECK_INT(q, GA_PEOPLE_MIN);
    CHECK_INT(people_of("Hundreds of families were evacuated.", &q), 200);
    CHECK_INT(q, GA_PEOPLE_MIN);
    CHECK_INT(people_of("Some 1.2 million Syrians returned.", &q), 1200000);
    CHECK_INT(q, GA_PEOPLE_APPROX);
    CHECK_INT(people_of("Up to 300 displaced people arrived.", &q), 300);
    CHECK_INT(q, GA_PEOPLE_MAX);
    CHECK_INT(people_of("420 families left on buses.", &q), 420);
    CHECK_INT(q, GA_PEOPLE_EXACT);
    CHECK_INT(people_of("Under resolution 2336, signed in 2016, the truce holds.", &q), -1);
    CHECK_INT(q, GA_PEOPLE_NONE);
    CHECK_INT(people_of("Articles 6, 7, and 8 of the statute.", &q), -1);
    CHECK_INT(people_of("Over 2016 the town emptied.", &q), -1);
    CHECK_INT(people_of("A convoy of 30 buses carried fighters out.", &q), -1);
    CHECK_INT(people_of("Some 3,000 internally displaced people arrived.", &q), 3000);
    /* a vague number as the subject of the trigger */
    CHECK_INT(people_of("Hundreds protested in the square.", &q), 200);
    CHECK_INT(q, GA_PEOPLE_MIN);
    CHECK_INT(people_of("Thousands more have fled the town.", &q), 2000);
    CHECK_INT(people_of("Hundreds dead as the town empties.", &q), -1);
    /* "another" counts the number as stated, before a verb too */
    CHECK_INT(people_of("Another 5,000 were displaced on Monday.", &q), 5000);
    CHECK_INT(q, GA_PEOPLE_EXACT);
    CHECK_INT(people_of("Another 2016 report followed.", &q), -1);
    /* the tokens of a count, through its noun: the subject after an
     * Arabic verb ("عاد مئات النازحين", hundreds of displaced returned) */
    CHECK_INT(people_len_of("عاد مئات النازحين إلى قراهم.", 1), 2);
    CHECK_INT(people_len_of("نزح نحو ١٥٠٠ شخص من حمص.", 1), 3);
    CHECK_INT(people_len_of("نزح 5 آلاف مدني من حمص.", 1), 3);
    CHECK_INT(people_len_of("عاد النازحين إلى قراهم.", 1), 0);    /* no number */
    CHECK_INT(people_len_of("فر المدنيون نحو الحدود.", 2), 0);     /* "toward", no number */
    CHECK_INT(people_len_of("They returned 300 families to Homs.", 2), 2);
    CHECK_INT(people_len_of("Hundreds of families returned.", 0), 3);
    CHECK_INT(people_len_of("A convoy of 30 buses left.", 3), 0);
    CHECK_INT(people_len_of("They left.", 3), 0);                    /* past the end */
}

/* ---- whole sentences -------------------------------------------------- */

static void test_movement_roles(void)
{
    fixture f;
    fx_init(&f, "About 1,500 people left Harasta on Thursday and were driven north to "
                "Qalaat al-Madiq, from where they will continue on to Idlib.");
    mention(&f, "Harasta", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Qalaat al-Madiq", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Idlib", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2018-03-22");
    CHECK_INT(f.ev.n, 3);
    const ga_event *h = event_at(&f, "Harasta"), *q = event_at(&f, "Qalaat al-Madiq"),
                   *i = event_at(&f, "Idlib");
    CHECK(h && q && i);
    if (h && q && i) {
        CHECK_INT(h->role, GA_ROLE_ORIGIN);
        CHECK_INT(q->role, GA_ROLE_DESTINATION);
        CHECK_INT(i->role, GA_ROLE_DESTINATION);
        /* "left" takes the type of "driven" (evacuation) */
        CHECK_STR(ga_event_type_name(h->type), "evacuation");
        CHECK_STR(ga_event_type_name(i->type), "evacuation");
        CHECK_STR(mention_text(&f, i->origin), "Harasta");
        CHECK_STR(mention_text(&f, i->destination), "Idlib");
        CHECK_STR(mention_text(&f, h->destination), "Qalaat al-Madiq");
        CHECK_STR(h->date, "2018-03-22");
        CHECK_INT(h->time_precision, 1);
        CHECK_INT(h->people, 1500);
        CHECK_INT(h->status, GA_ST_REPORTED);
        CHECK(strstr(h->reason, "'left' with origin Harasta") != NULL);
    }
    fx_free(&f);

    /* "reached" moves people only in a sentence that counts them */
    fx_init(&f, "The Kurdish Red Crescent said more than 30,000 people had reached Fafin "
                "by Friday.");
    mention(&f, "Fafin", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2018-03-16");
    const ga_event *ff = event_at(&f, "Fafin");
    CHECK(ff && ff->type == GA_EV_FLIGHT && ff->role == GA_ROLE_DESTINATION);
    CHECK(ff && ff->people == 30000);
    fx_free(&f);
    fx_init(&f, "Government troops reached the outskirts of Saraqib on Monday.");
    mention(&f, "Saraqib", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2020-01-27");
    CHECK_INT(f.ev.n, 0);
    fx_free(&f);

    fx_init(&f, "Hundreds of families fled from Saraqib toward the Turkish border near "
                "Atmeh on Monday.");
    mention(&f, "Saraqib", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Turkish", 0, GA_KIND_COUNTRY, "TR", GA_MENTION_DEMONYM);
    mention(&f, "Atmeh", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2019-12-26");
    const ga_event *s = event_at(&f, "Saraqib");
    CHECK(s && s->type == GA_EV_FLIGHT && s->role == GA_ROLE_ORIGIN);
    CHECK(s && s->people == 200 && s->people_qual == GA_PEOPLE_MIN);
    CHECK(s && strcmp(s->date, "2019-12-23") == 0);
    CHECK(event_at(&f, "Turkish") == NULL);
    CHECK(s && s->nactors == 0);   /* the Turkish border is no actor */
    const ga_event *a = event_at(&f, "Atmeh");
    CHECK(a && a->role == GA_ROLE_SITE);   /* "near Atmeh" */
    fx_free(&f);

    /* "fled the Idlib town of Saraqeb": the town is the origin, the
     * governorate that names its area no event place */
    fx_init(&f, "More than 30,000 people fled the Idlib town of Saraqeb toward Sarmada.");
    mention(&f, "Idlib", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    mention(&f, "Saraqeb", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Sarmada", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2020-01-28");
    const ga_event *sq = event_at(&f, "Saraqeb"), *sm = event_at(&f, "Sarmada");
    CHECK(sq && sq->type == GA_EV_FLIGHT && sq->role == GA_ROLE_ORIGIN);
    CHECK(sm && sm->role == GA_ROLE_DESTINATION);
    CHECK(event_at(&f, "Idlib") == NULL);
    fx_free(&f);

    /* "flee Rafah for Khan Younis": "for" right after a place names the
     * destination; peoples other than Syrians are counted */
    fx_init(&f, "Strikes forced tens of thousands of Palestinians to flee Rafah for "
                "Khan Younis, the UN agency for Palestinian refugees said.");
    mention(&f, "Palestinians", 0, GA_KIND_COUNTRY, "PS", GA_MENTION_DEMONYM);
    mention(&f, "Rafah", 0, GA_KIND_PPL, "PS", 0);
    mention(&f, "Khan Younis", 0, GA_KIND_PPL, "PS", 0);
    mention(&f, "Palestinian", 0, GA_KIND_COUNTRY, "PS", GA_MENTION_DEMONYM);
    extract(&f, "2024-05-07");
    const ga_event *rf = event_at(&f, "Rafah"), *ky = event_at(&f, "Khan Younis");
    CHECK(rf && rf->role == GA_ROLE_ORIGIN && rf->people == 20000);
    CHECK(ky && ky->role == GA_ROLE_DESTINATION);
    fx_free(&f);

    /* an evacuation order */
    fx_init(&f, "Residents of Kupiansk were told to leave on Tuesday.");
    mention(&f, "Kupiansk", 0, GA_KIND_PPL, "UA", 0);
    extract(&f, "2024-08-13");
    const ga_event *kp = event_at(&f, "Kupiansk");
    CHECK(kp && kp->type == GA_EV_EVACUATION && kp->status == GA_ST_REPORTED);
    fx_free(&f);

    /* a siege moves no one: "to" after it does not make a destination */
    fx_init(&f, "Regime forces laid siege to Eastern Ghouta.");
    mention(&f, "Eastern Ghouta", 0, GA_KIND_AREA, "SY", 0);
    extract(&f, NULL);
    CHECK_INT(f.ev.n, 1);
    if (f.ev.n == 1) {
        CHECK_INT(f.ev.v[0].type, GA_EV_SIEGE);
        CHECK_INT(f.ev.v[0].role, GA_ROLE_SITE);
        CHECK(f.ev.v[0].origin < 0 && f.ev.v[0].destination < 0);
    }
    fx_free(&f);
}

static void test_status(void)
{
    fixture f;
    fx_init(&f, "Residents said they would not be forced out of Waer.");
    mention(&f, "Waer", 0, GA_KIND_SECTION, "SY", 0);
    extract(&f, NULL);
    CHECK_INT(f.ev.n, 1);
    if (f.ev.n) {
        CHECK_STR(ga_event_status_name(f.ev.v[0].status), "denied");
        CHECK_INT(f.ev.v[0].role, GA_ROLE_ORIGIN);
        CHECK_STR(f.ev.v[0].date, "");
        CHECK_INT(f.ev.v[0].time_precision, 0);
    }
    fx_free(&f);

    fx_init(&f, "After the evacuation of Zabadani, activists warned that Bloudan would be "
                "next.");
    mention(&f, "Zabadani", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Bloudan", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2017-04-14");
    const ga_event *z = event_at(&f, "Zabadani"), *b = event_at(&f, "Bloudan");
    CHECK(z && z->status == GA_ST_REPORTED && z->role == GA_ROLE_ORIGIN);
    CHECK(b && b->status == GA_ST_THREATENED);
    fx_free(&f);

    /* the nearest cue wins: a threat for the towns named, but the deal
     * "that was reached" in the last town is reported */
    fx_init(&f, "The council condemned attempts to forcibly displace the residents of "
                "Khan al-Shih, warning against evacuation deals like the one that was "
                "reached in the Damascus suburb of Qudsaya.");
    mention(&f, "Khan al-Shih", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Damascus", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Qudsaya", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2016-11-20");
    const ga_event *k = event_at(&f, "Khan al-Shih"), *q = event_at(&f, "Qudsaya");
    CHECK(k && k->status == GA_ST_THREATENED && k->type == GA_EV_FORCED_DISPLACEMENT);
    CHECK(q && q->status == GA_ST_REPORTED && q->type == GA_EV_EVACUATION);
    CHECK(event_at(&f, "Damascus") == NULL);   /* "the Damascus suburb of" */
    CHECK_INT(f.ev.n, 2);
    fx_free(&f);

    fx_init(&f, "Any attempt to displace the people of Tal Rifaat would end the truce.");
    mention(&f, "Tal Rifaat", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, NULL);
    CHECK(f.ev.n == 1 && f.ev.v[0].status == GA_ST_THREATENED);
    fx_free(&f);
}

static void test_exclusions(void)
{
    fixture f;
    /* containers: "X district in Y", "X and Z in rural Y" */
    fx_init(&f, "The regime is trying to displace the residents of the Qaboun district in "
                "Damascus, Douma and Harasta in rural Damascus.");
    mention(&f, "Qaboun", 0, GA_KIND_SECTION, "SY", 0);
    mention(&f, "Damascus", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Douma", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Harasta", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "rural Damascus", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    extract(&f, NULL);
    CHECK(event_at(&f, "Qaboun") != NULL);
    CHECK(event_at(&f, "Douma") != NULL);
    CHECK(event_at(&f, "Harasta") != NULL);
    CHECK(event_at(&f, "Damascus") == NULL);
    CHECK(event_at(&f, "rural Damascus") == NULL);
    CHECK_INT(f.ev.n, 3);
    fx_free(&f);
    /* the same with Qaboun and Douma missing from the gazetteer */
    fx_init(&f, "The regime is trying to displace the residents of the Qaboun district in "
                "Damascus, Douma and Harasta in rural Damascus.");
    mention(&f, "Damascus", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Harasta", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "rural Damascus", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    extract(&f, NULL);
    CHECK(event_at(&f, "Damascus") == NULL);
    CHECK_INT(f.ev.n, 1);
    CHECK(event_at(&f, "Harasta") && strstr(event_at(&f, "Harasta")->reason, "(in)"));
    fx_free(&f);
    fx_init(&f, "The regime is trying to displace the residents of the Qaboun district in "
                "Damascus, Douma and Harasta in rural Damascus.");
    mention(&f, "Qaboun", 0, GA_KIND_SECTION, "SY", 0);
    mention(&f, "Damascus", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Douma", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Harasta", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "rural Damascus", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    extract(&f, NULL);
    const ga_event *q = event_at(&f, "Qaboun");
    CHECK(q && q->status == GA_ST_THREATENED);   /* "trying to" */
    CHECK(q && q->nactors == 1 && strcmp(q->actors[0], "Syrian government") == 0);
    fx_free(&f);

    /* treaty names and mediators, countries and organisations */
    fx_init(&f, "Protesters in Jisr al-Shughur cited the Sochi de-escalation agreement "
                "brokered by Russia and talks in Geneva, and the Syrian Coalition "
                "condemned the displacement.");
    mention(&f, "Jisr al-Shughur", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Sochi", 0, GA_KIND_PPL, "RU", 0);
    mention(&f, "Russia", 0, GA_KIND_COUNTRY, "RU", 0);
    mention(&f, "Geneva", 0, GA_KIND_PPL, "CH", 0);
    mention(&f, "Syrian", 0, GA_KIND_COUNTRY, "SY", GA_MENTION_ORG);
    extract(&f, NULL);
    CHECK(event_at(&f, "Jisr al-Shughur") != NULL);
    CHECK(event_at(&f, "Sochi") == NULL);
    CHECK(event_at(&f, "Russia") == NULL);
    CHECK(event_at(&f, "Geneva") == NULL);
    CHECK(event_at(&f, "Syrian") == NULL);
    CHECK_INT(f.ev.n, 1);
    fx_free(&f);

    /* where the speakers are: abroad no event place, at home a site */
    fx_init(&f, "Thousands fled Afrin. Officials in Ankara said displaced residents would "
                "be allowed to go back to the area.");
    mention(&f, "Afrin", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Ankara", 0, GA_KIND_PPL, "TR", 0);
    extract(&f, NULL);
    CHECK(event_at(&f, "Afrin") != NULL);
    CHECK(event_at(&f, "Ankara") == NULL);
    fx_free(&f);
    fx_init(&f, "Sources in Douma said hundreds of families fled on Monday.");
    mention(&f, "Douma", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, NULL);
    CHECK(event_at(&f, "Douma") != NULL);
    fx_free(&f);

    /* a place of the focus country naming a local deal stays a site */
    fx_init(&f, "Buses left under the Waer agreement for Jarablus.");
    mention(&f, "Waer", 0, GA_KIND_SECTION, "SY", 0);
    mention(&f, "Jarablus", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, NULL);
    CHECK(event_at(&f, "Waer") != NULL);
    fx_free(&f);
}

static void test_lists_and_dedup(void)
{
    fixture f;
    fx_init(&f, "Protests in Rural Idlib Against Displacement\n\n"
                "Protests in Rural Idlib Against Displacement\n\n"
                "Residents of the villages of southern rural Idlib took to the streets on "
                "Friday. The largest demonstrations were held in the towns of Kafr Nabl, "
                "Saraqib, and Maarat al-Numan.");
    mention(&f, "Rural Idlib", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    mention(&f, "Rural Idlib", 1, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    mention(&f, "rural Idlib", 0, GA_KIND_ADM1, "SY", GA_MENTION_ADMIN_CUE);
    mention(&f, "Kafr Nabl", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Saraqib", 0, GA_KIND_PPL, "SY", 0);
    mention(&f, "Maarat al-Numan", 0, GA_KIND_PPL, "SY", 0);
    extract(&f, "2018-09-15");
    CHECK(event_at(&f, "Maarat al-Numan") &&
          strstr(event_at(&f, "Maarat al-Numan")->reason, "(of)") != NULL);
    /* the repeated title and the restatement give one protest at Rural Idlib */
    int idlib = 0;
    for (size_t i = 0; i < f.ev.n; i++)
        idlib += strcasecmp(mention_text(&f, f.ev.v[i].location), "rural idlib") == 0 &&
                 f.ev.v[i].type == GA_EV_PROTEST;
    CHECK_INT(idlib, 1);
    CHECK(event_at(&f, "Kafr Nabl") && event_at(&f, "Saraqib") && event_at(&f, "Maarat al-Numan"));
    const ga_event *m = event_at(&f, "Maarat al-Numan");
    CHECK(m && m->type == GA_EV_PROTEST && m->role == GA_ROLE_SITE);
    fx_free(&f);

    /* "left" without a place after it is no trigger */
    fx_init(&f, "The delegation left early, and the talks in Astana ended.");
    mention(&f, "Astana", 0, GA_KIND_PPL, "KZ", 0);
    extract(&f, NULL);
    CHECK_INT(f.ev.n, 0);
    fx_free(&f);

    /* unresolved names can be event places (with no coordinates) */
    fx_init(&f, "Government forces besieged Al-Sa'in for a month.");
    mention(&f, "Al-Sa'in", 0, -1, NULL, 0);
    extract(&f, NULL);
    CHECK(f.ev.n == 1 && f.ev.v[0].type == GA_EV_SIEGE && f.ev.v[0].geo_precision == 0);
    fx_free(&f);
}

static void test_lexicon_errors(void)
{
    ga_events_lex *lx = NULL;
    ga_err err = {0};
    CHECK(ga_events_lex_load("/nonexistent/lexicon", &lx, &err) == GA_EIO);
    CHECK(lx == NULL);
    CHECK(strstr(err.msg, "events_triggers.tsv") != NULL);
}

int main(void)
{
    const char *src = getenv("GA_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/gazetteer/lexicon", src ? src : GA_SOURCE_DIR);
    ga_err err = {0};
    if (ga_events_lex_load(dir, &lex, &err) != GA_OK) {
        fprintf(stderr, "cannot load the event lexicon: %s\n", err.msg);
        return 1;
    }
    test_dates();
    test_counts();
    test_movement_roles();
    test_status();
    test_exclusions();
    test_lists_and_dedup();
    test_lexicon_errors();
    ga_events_lex_free(lex);
    return ga_test_result();
}
