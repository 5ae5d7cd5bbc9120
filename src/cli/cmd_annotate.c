/*
 * cmd_annotate.c: `geoannot annotate`, the main job: read documents,
 * resolve their place names, extract displacement events, store all of it
 * in the database (one transaction per document, idempotent), and print
 * each document's mentions and events as text or as the JSON contract.
 * A bad document is reported and skipped; the others are still stored.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <string.h>
#include "events/ga_events.h"
#include "json_out.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store.h"
#include "store/ga_store_ann.h"
#include "text/ga_doc.h"

const char cmd_annotate_usage[] =
    "usage: geoannot annotate [--db PATH] [--format text|jsonl|none] [--date YYYY-MM-DD]\n"
    "                         [--reannotate] [-q] FILE|DIR|-...\n"
    "\n"
    "Find and resolve the place names of each document, extract displacement\n"
    "events (forced displacement, evacuation, flight, siege, return, protest) with\n"
    "their status, places, date, actors and people counts, and store documents,\n"
    "mentions and events in the database. Re-annotating an unchanged document\n"
    "changes nothing; a changed document has its annotations replaced.\n"
    "\n"
    "Input: .txt files (id = file name, first line = title), .jsonl files with one\n"
    "{\"id\", \"text\"} object per line and optional \"date\", \"title\", \"url\",\n"
    "\"source\", directories (walked recursively), or - for standard input.\n"
    "\n"
    "  --format text    a readable summary per document on stdout (default)\n"
    "  --format jsonl   one JSON object per document: {\"id\", \"mentions\", \"events\"}\n"
    "  --format none    print nothing but the final summary\n"
    "  --date DATE      date (YYYY-MM-DD) of documents that carry none; weekdays such\n"
    "                   as \"on Thursday\" are resolved against the document date\n"
    "  --reannotate     annotate and store again even unchanged documents\n"
    "  --db PATH        database (default $GEOANNOT_DB or ./geoannot.sqlite; create\n"
    "                   it with 'geoannot init')\n"
    "  -q, --quiet      no progress bar, warnings or summary on stderr\n"
    "\n"
    "Exit status: 0 when every document was stored, 1 when any failed (the others\n"
    "are stored), 2 on a usage error.\n"
    "\n"
    "examples:\n"
    "  geoannot annotate --db reports.sqlite reports/\n"
    "  geoannot annotate --format jsonl --date 2017-05-03 article.txt\n"
    "  cat feed.jsonl | geoannot annotate --format none -\n";

enum { FMT_TEXT = 0, FMT_JSONL, FMT_NONE };

/* What one run has done, for the progress bar and the summary. */
typedef struct {
    long documents;      /* documents read and handled */
    long stored;         /* inserted or replaced */
    long unchanged;      /* same content hash */
    long failures;       /* documents or lines that failed */
    long mentions;       /* mentions found */
    long events;         /* events found */
    uint64_t bytes;      /* text bytes handled */
    double t0;           /* start time */
} run_stats;

/* Shared state of a run. */
typedef struct {
    ga_cli *cli;
    ga_store *st;
    ga_resolver *resolver;
    ga_events_lex *lex;
    int64_t gen;           /* gazetteer generation */
    int format;            /* FMT_* */
    int reannotate;
    const char *date;      /* --date or NULL */
    run_stats stats;
    int in_batch;              /* a batch transaction is open */
    long batch_docs;           /* documents stored in it */
    double batch_t0;           /* when it began */
} run;

/* Documents are stored in batches: one transaction holds up to
 * BATCH_DOCS documents or BATCH_SECONDS of work, each document a savepoint
 * of it, so a killed run leaves every document whole or absent while the
 * commit cost, and the spatial index upkeep of the batch's points
 * (ga_store_ann_begin), are paid once per batch rather than per document. */
#define BATCH_DOCS 200
#define BATCH_SECONDS 0.5

static void batch_end(run *R)
{
    if (!R->in_batch) return;
    R->in_batch = 0;
    if (ga_store_commit(R->st, &R->cli->err)) {
        ga_cli_fail(R->cli);
        R->stats.failures += R->batch_docs;
        R->stats.stored -= R->batch_docs;
    }
    R->batch_docs = 0;
}

static void batch_begin(run *R)
{
    if (R->in_batch) return;
    if (ga_store_ann_begin(R->st, &R->cli->err) == GA_OK) {
        R->in_batch = 1;
        R->batch_t0 = ga_now();
    }
    /* when begin fails each document opens its own transaction and reports */
}

static void print_text(const ga_doc *doc, const ga_resolved *res, const ga_events *ev,
                       ga_ann_result result)
{
    size_t resolved = 0;
    for (size_t i = 0; i < res->mentions.n; i++) resolved += res->mentions.v[i].resolved != 0;
    printf("== %s%s%s%s\n", doc->id, doc->title ? ": " : "", doc->title ? doc->title : "",
           result == GA_ANN_UNCHANGED ? "  (unchanged)" : "");
    printf("   %zu mentions (%zu resolved), %zu events\n", res->mentions.n, resolved, ev->n);
    for (size_t i = 0; i < ev->n; i++) {
        const ga_event *e = &ev->v[i];
        const ga_mention *m = &res->mentions.v[e->location];
        int len = (int)(m->end - m->start);
        printf("   %-19s %-10s %-10s %-11s %.*s", ga_event_type_name(e->type),
               ga_event_status_name(e->status), e->date[0] ? e->date : "-",
               ga_role_name(e->role), len, doc->text + m->start);
        if (m->resolved)
            printf(" -> %s (%.4f, %.4f) p%d", m->place.name ? m->place.name : "?", m->place.lat,
                   m->place.lon, m->precision);
        else
            printf(" (unresolved)");
        if (e->people >= 0) printf(", %lld people", (long long)e->people);
        printf("\n      %s\n", e->reason);
    }
}

static int print_jsonl(const ga_doc *doc, const ga_resolved *res, const ga_events *ev)
{
    json_t *o = json_object(), *ms = json_array(), *es = json_array();
    json_object_set_new(o, "id", json_string(doc->id));
    for (size_t i = 0; i < res->mentions.n; i++)
        json_array_append_new(ms, ga_json_mention(&res->mentions.v[i], doc->text));
    for (size_t i = 0; i < ev->n; i++)
        json_array_append_new(es, ga_json_event(&ev->v[i], res, doc->text));
    json_object_set_new(o, "mentions", ms);
    json_object_set_new(o, "events", es);
    return ga_json_print_line(o, stdout);
}

/* Report a failed document on stderr (the run goes on). */
static void doc_failed(run *R)
{
    ga_cli_progress_done(R->cli);
    fprintf(stderr, "geoannot: %s\n", R->cli->err.msg[0] ? R->cli->err.msg : "failed");
    R->stats.failures++;
}

/* Resolve, extract, store and print one document. */
static ga_rc annotate_doc(run *R, const ga_doc *doc)
{
    ga_err *err = &R->cli->err;
    ga_ann_doc ad = {doc->id, doc->title, doc->url, doc->source,
                     doc->date ? doc->date : R->date, doc->path, doc->text, doc->text_len};
    ga_resolved res;
    ga_events ev;
    memset(&res, 0, sizeof res);
    memset(&ev, 0, sizeof ev);
    ga_ann_result result = GA_ANN_UNCHANGED;
    ga_rc rc = GA_OK;
    if (R->format == FMT_NONE && !R->reannotate) {
        char hash[17];
        int same = 0;
        ga_store_ann_hash(&ad, R->gen, hash);
        if ((rc = ga_store_ann_is_current(R->st, doc->id, hash, &same, err))) goto done;
        if (same) goto counted;      /* nothing to do, nothing to print */
    }
    if ((rc = ga_resolve_text(R->resolver, doc->text, doc->text_len, &res, err)) ||
        (rc = ga_events_extract(R->lex, doc->text, doc->text_len, &res, ad.date, &ev, err)) ||
        (rc = ga_store_ann_put(R->st, &ad, R->gen, &res, &ev, R->reannotate, &result, err))) {
        if (doc->line) ga_err_prefix(err, "%s:%ld", doc->path, doc->line);
        else ga_err_prefix(err, "%s", doc->path ? doc->path : doc->id);
        goto done;
    }
    R->stats.mentions += (long)res.mentions.n;
    R->stats.events += (long)ev.n;
    if (R->format == FMT_JSONL) {
        if (print_jsonl(doc, &res, &ev)) {
            rc = ga_err_set(err, GA_EIO, "cannot write to standard output");
            goto done;
        }
    } else if (R->format == FMT_TEXT) {
        print_text(doc, &res, &ev, result);
    }
counted:
    if (result == GA_ANN_UNCHANGED) R->stats.unchanged++;
    else R->stats.stored++;
done:
    ga_resolved_free(&res);
    ga_events_free(&ev);
    return rc;
}

static void progress(run *R, const ga_doc_reader *rd)
{
    if (!R->cli->progress_tty) return;
    uint64_t done, total;
    ga_doc_reader_progress(rd, &done, &total);
    double dt = ga_now() - R->stats.t0;
    char msg[96];
    snprintf(msg, sizeof msg, "%ld documents, %.1f MB/s", R->stats.documents,
             dt > 0 ? (double)R->stats.bytes / 1048576.0 / dt : 0.0);
    ga_cli_progress(total ? (double)done / (double)total : -1, msg, R->cli);
}

static void annotate_path(run *R, const char *path)
{
    ga_doc_reader *rd = NULL;
    if (ga_doc_reader_open(path, &rd, &R->cli->err)) { doc_failed(R); return; }
    ga_doc doc;
    memset(&doc, 0, sizeof doc);
    for (;;) {
        ga_err_clear(&R->cli->err);
        ga_rc rc = ga_doc_reader_next(rd, &doc, &R->cli->err);
        if (rc == GA_ENOTFOUND) break;
        if (rc) { doc_failed(R); continue; }   /* the reader moves on */
        if (doc.warning[0] && !R->cli->quiet) {
            ga_cli_progress_done(R->cli);
            fprintf(stderr, "geoannot: warning: %s\n", doc.warning);
        }
        R->stats.documents++;
        R->stats.bytes += doc.text_len;
        batch_begin(R);
        if (annotate_doc(R, &doc)) doc_failed(R);
        else if (R->in_batch) R->batch_docs++;
        if (R->batch_docs >= BATCH_DOCS || ga_now() - R->batch_t0 > BATCH_SECONDS) batch_end(R);
        progress(R, rd);
    }
    batch_end(R);
    ga_doc_clear(&doc);
    ga_doc_reader_close(rd);
}

int cmd_annotate(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"annotate", cmd_annotate, NULL, cmd_annotate_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'F'},
        {"date", required_argument, NULL, 'd'},
        {"reannotate", no_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    run R;
    memset(&R, 0, sizeof R);
    R.cli = cli;
    int opt, exit_now = 0, code = 0;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'F') {
            if (!strcmp(optarg, "jsonl")) R.format = FMT_JSONL;
            else if (!strcmp(optarg, "text")) R.format = FMT_TEXT;
            else if (!strcmp(optarg, "none")) R.format = FMT_NONE;
            else return ga_cli_usage_error(&self, "unknown format '%s' (use text, jsonl or none)",
                                           optarg);
        } else if (opt == 'd') {
            if (!ga_doc_date_valid(optarg))
                return ga_cli_usage_error(&self, "bad date '%s' (use YYYY-MM-DD)", optarg);
            R.date = optarg;
        } else if (opt == 'R') {
            R.reannotate = 1;
        }
    }
    if (optind >= argc) return ga_cli_usage_error(&self, "no input: give files, directories or -");

    ga_gaz *gaz = NULL;
    int status = GA_EXIT_OK;
    if (ga_store_open(ga_store_default_path(cli->db_path), 0, &R.st, &cli->err) ||
        ga_store_gaz_generation(R.st, &R.gen, &cli->err) ||
        ga_gaz_open(R.st, ga_cli_progress, cli, &gaz, &cli->err) ||
        ga_resolver_new(gaz, NULL, &R.resolver, &cli->err) ||
        ga_events_lex_load(NULL, &R.lex, &cli->err)) {
        status = ga_cli_fail(cli);
        goto done;
    }
    R.stats.t0 = ga_now();
    for (int a = optind; a < argc; a++) annotate_path(&R, argv[a]);
    ga_cli_progress_done(cli);
    if (fflush(stdout) != 0) {
        ga_err_set(&cli->err, GA_EIO, "cannot write to standard output");
        status = ga_cli_fail(cli);
        goto done;
    }
    if (!cli->quiet) {
        double dt = ga_now() - R.stats.t0;
        fprintf(stderr, "annotated %ld documents (%ld stored, %ld unchanged, %ld failed): "
                "%ld mentions, %ld events in %.2f s (%.1f MB/s)\n",
                R.stats.documents, R.stats.stored, R.stats.unchanged, R.stats.failures,
                R.stats.mentions, R.stats.events, dt,
                dt > 0 ? (double)R.stats.bytes / 1048576.0 / dt : 0.0);
    }
    if (R.stats.failures) status = GA_EXIT_FAIL;
done:
    ga_events_lex_free(R.lex);
    ga_resolver_free(R.resolver);
    ga_gaz_close(gaz);
    ga_store_close(R.st);
    return status;
}
