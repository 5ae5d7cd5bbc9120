/*
 * cmd_annotate.c: `geoannot annotate`, the main job: read documents,
 * resolve their place names, extract displacement events, store all of it
 * in the database (batches of whole documents, idempotent), and print
 * each document's mentions and events as text or as the JSON contract.
 * A bad document is reported and skipped; the others are still stored.
 *
 * Threads share the work: analysis threads (one per processor by
 * default) read the documents in turn, skip the unchanged ones, and
 * resolve and extract events side by side, each with its own resolver
 * (the event lexicon is only read); the calling thread stores and prints
 * the documents, in input order, through a bounded ring of jobs. Reading
 * and the hash check (on a read-only database connection of the analysis
 * side) happen under the ring's mutex; the calling thread alone uses the
 * writing connection and stdout/stderr. When no thread can be started,
 * the calling thread does everything in turn.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "events/ga_events.h"
#include "json_out.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store.h"
#include "store/ga_store_ann.h"
#include "text/ga_doc.h"

const char cmd_annotate_usage[] =
    "usage: geoannot annotate [--db PATH] [--format text|jsonl|none] [--date YYYY-MM-DD]\n"
    "                         [--reannotate] [--threads N] [-q] FILE|DIR|-...\n"
    "\n"
    "Find and resolve the place names of each document, extract displacement\n"
    "events (forced displacement, evacuation, flight, siege, return, protest) with\n"
    "their status, places, date, actors and people counts, and store documents,\n"
    "mentions and events in the database. Re-annotating an unchanged document\n"
    "changes nothing; a changed document has its annotations replaced, and so\n"
    "has one annotated before a gazetteer change, by another geoannot or with\n"
    "other lexicon files (see reannotate).\n"
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
    "  --threads N      analysis threads (default: one per processor); storing\n"
    "                   runs on one more thread\n"
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

const char cmd_reannotate_usage[] =
    "usage: geoannot reannotate [--db PATH] [--all] [--format text|jsonl|none]\n"
    "                           [--threads N] [-q]\n"
    "\n"
    "Annotate the documents stored in the database again, from their stored text\n"
    "and metadata (no input files needed), and replace their mentions and events.\n"
    "By default only the documents whose annotation is out of date are redone:\n"
    "annotated before the last gazetteer change (gazetteer add, alias, remove,\n"
    "import, update-default), so that names a curator has just added are found,\n"
    "or by another geoannot, or with other lexicon files (the weights, cues and\n"
    "event words of gazetteer/lexicon) or word list; --all redoes every document.\n"
    "\n"
    "  --all            every stored document, not only those out of date\n"
    "  --format text    a readable summary per document on stdout\n"
    "  --format jsonl   one JSON object per document: {\"id\", \"mentions\", \"events\"}\n"
    "  --format none    print nothing but the final summary (default)\n"
    "  --threads N      analysis threads (default: one per processor)\n"
    "  --db PATH        database (default $GEOANNOT_DB or ./geoannot.sqlite)\n"
    "  -q, --quiet      no progress bar or summary on stderr\n"
    "\n"
    "Exit status: 0 when every document was stored again, 1 when any failed (it\n"
    "keeps its previous annotation), 2 on a usage error.\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer add \"Kafr Batna\" --lat 33.5147 --lon 36.3708 \\\n"
    "      --kind populated_place --country SY --alias \"Kafr Batnaya\"\n"
    "  geoannot reannotate\n"
    "  geoannot reannotate --all --format jsonl > all.jsonl\n";

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

/* Shared state of a run. Fields up to stats are set before the analysis
 * thread starts and only read afterwards. */
typedef struct {
    ga_cli *cli;
    ga_store *st;          /* writing connection (calling thread) */
    ga_store *rst;         /* read-only connection for the hash check (analysis
                              thread), NULL: no check, everything is resolved */
    ga_resolver *resolver;
    ga_events_lex *lex;
    int64_t gen;           /* gazetteer generation */
    int format;            /* FMT_* */
    int reannotate;
    int threads;           /* analysis threads (--threads) */
    const char *date;      /* --date or NULL */
    ga_store *src;         /* reannotate: read-only connection the stored
                              documents are read from (analysis side) */
    int64_t *ids;          /* reannotate: row ids of the stored documents */
    size_t nids;
    int redo_all;          /* reannotate --all: also the documents up to date */
    run_stats stats;
    int in_batch;              /* a batch transaction is open */
    long batch_docs;           /* documents stored in it */
    double batch_t0;           /* when it began */
} run;

/* ---- the ring of jobs ------------------------------------------------------ */

enum { JOB_DOC = 0, JOB_FAILED, JOB_END };

/* One document (or failure) on its way from analysis to storing. */
typedef struct {
    int kind;              /* JOB_* */
    ga_doc doc;            /* JOB_DOC: the document */
    ga_resolved res;       /* its mentions */
    ga_events ev;          /* its events */
    char hash[17];         /* its content hash when the check computed it, else "" */
    int unchanged;         /* stored with the same content hash: nothing to do */
    ga_rc rc;              /* JOB_DOC: analysis failed (err says why) */
    ga_err err;            /* JOB_FAILED or rc: the message */
    uint64_t done, total;  /* reader progress after this job */
} job;

/* Jobs in flight at most, and text bytes in flight at most (beyond one
 * document), so memory stays bounded however large the documents. The
 * ring holds more than a batch of documents (BATCH_DOCS) so that the
 * analysis goes on while a batch is committed. The threads hand jobs over
 * in bunches (the storing side is woken only when a quarter of the ring is
 * ready, or half of it free for the analysis side): waking a thread per
 * document costs more than the document on a busy machine. */
#define RING_JOBS 2048
#define RING_BYTES (32u * 1024u * 1024u)

/* Analysis threads at most (--threads). */
#define MAX_WORKERS 16
/* Nice value of the analysis threads (see analysis_thread). */
#define ANALYSIS_NICE 10

/* The hash check reads what is committed, which trails the documents in
 * flight: an id passed on to be stored earlier in this run may be stored
 * differently by the time its next line is stored. A bit filter of the ids
 * passed on (two bits per id; a false positive only means a document is
 * resolved and then found unchanged when stored) keeps such lines from
 * being skipped. 2^23 bits: about 1 in 2,000 false positives after
 * 100,000 documents. */
#define SENT_BITS (1u << 23)

struct pipeline;

/* One analysis thread and its resolver (the first one is the run's, the
 * others forks of it: ga_resolver_fork). */
typedef struct {
    struct pipeline *P;
    ga_resolver *resolver;
    pthread_t thread;
} worker;

/* Jobs go round the ring in input order: an analysis thread claims the
 * slot at tail and reads the next document into it while holding the
 * mutex (so reading, the hash check and the filter of sent ids stay in
 * order and on one thread at a time), then analyses it without the mutex,
 * side by side with the other analysis threads; the storing thread takes
 * the job at head once it is ready. */
typedef struct pipeline {
    run *R;
    char **paths;          /* inputs, read in order */
    int npaths, next_path;
    size_t next_id;        /* reannotate: index of the next id of R->ids */
    ga_doc_reader *rd;     /* reader of the current input, or NULL */
    unsigned char *sent;   /* SENT_BITS-bit filter of the ids passed on to be
                              stored (NULL: none kept, no document skipped) */
    job ring[RING_JOBS];
    unsigned char ready[RING_JOBS];  /* the job in the slot is analysed */
    size_t head, tail;     /* claimed jobs: [head, tail) */
    size_t bytes;          /* text bytes of the claimed jobs */
    int ended;             /* the end of the input has been claimed */
    int nworkers;          /* analysis threads running (0: the storing thread
                              analyses each job itself) */
    worker workers[MAX_WORKERS];
    int put_waiting;       /* analysis threads asleep for room */
    int take_waiting;      /* the storing thread sleeps for a job */
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
} pipeline;

/* Free what job j holds. */
static void job_clear(job *j)
{
    ga_resolved_free(&j->res);
    ga_events_free(&j->ev);
    ga_doc_clear(&j->doc);
}

/* What the store keeps of doc (hash: its ga_store_ann_hash when known). */
static ga_ann_doc ann_doc(const run *R, const ga_doc *doc, const char *hash)
{
    return (ga_ann_doc){doc->id, doc->title, doc->url, doc->source,
                        doc->date ? doc->date : R->date, doc->path, doc->text, doc->text_len,
                        hash, ga_resolver_fingerprint(R->resolver)};
}

/* 1 in j->unchanged when j's document is stored as it is, annotated with
 * the same gazetteer, geoannot and lexicon (the hash check on st, a
 * connection of the reading side's own); j->hash is filled. */
static int check_current(const run *R, ga_store *st, job *j)
{
    const ga_doc *doc = &j->doc;
    ga_ann_doc ad = ann_doc(R, doc, NULL);
    ga_store_ann_hash(&ad, R->gen, j->hash);
    if ((j->rc = ga_store_ann_is_current(st, doc->id, j->hash, &j->unchanged, &j->err))) {
        if (doc->line) ga_err_prefix(&j->err, "%s:%ld", doc->path, doc->line);
        else ga_err_prefix(&j->err, "%s", doc->path ? doc->path : doc->id);
        return 0;
    }
    return 1;
}

/* Fill j with the next document of the inputs, or with a failure, or
 * with JOB_END after the last input; mark it unchanged when the hash
 * check finds it stored as it is. Returns 1 when j still needs analysing. */
static int read_next(pipeline *P, job *j)
{
    run *R = P->R;
    /* the slot's previous job, if any; its result vectors are reused */
    ga_resolved keep = j->res;
    ga_resolved_reset(&keep);
    j->res = (ga_resolved){0};
    job_clear(j);
    memset(j, 0, sizeof *j);
    j->res = keep;
    while (R->ids) {   /* reannotate: the stored documents, by row id */
        if (P->next_id >= R->nids) { j->kind = JOB_END; return 0; }
        int64_t id = R->ids[P->next_id++];
        j->done = P->next_id;
        j->total = R->nids;
        ga_rc rc = ga_store_ann_stored_doc(R->src, id, &j->doc, &j->err);
        if (rc == GA_ENOTFOUND) continue;   /* deleted since the list was made */
        if (rc) { j->kind = JOB_FAILED; return 0; }
        j->kind = JOB_DOC;
        /* without --all, only the documents whose annotation is out of
         * date: another gazetteer generation, geoannot or lexicon */
        if (!R->redo_all && (!check_current(R, R->src, j) || j->unchanged)) return 0;
        return 1;
    }
    for (;;) {
        if (!P->rd) {
            if (P->next_path >= P->npaths) { j->kind = JOB_END; return 0; }
            if (ga_doc_reader_open(P->paths[P->next_path++], &P->rd, &j->err)) {
                j->kind = JOB_FAILED;
                return 0;
            }
        }
        ga_rc rc = ga_doc_reader_next(P->rd, &j->doc, &j->err);
        if (rc == GA_ENOTFOUND) {
            ga_doc_clear(&j->doc);
            ga_doc_reader_close(P->rd);
            P->rd = NULL;
            continue;
        }
        ga_doc_reader_progress(P->rd, &j->done, &j->total);
        if (rc) { j->kind = JOB_FAILED; return 0; }   /* the reader moves on */
        break;
    }
    j->kind = JOB_DOC;
    const ga_doc *doc = &j->doc;
    uint64_t h = ga_hash64(doc->id, strlen(doc->id));
    uint32_t b1 = (uint32_t)h & (SENT_BITS - 1), b2 = (uint32_t)(h >> 32) & (SENT_BITS - 1);
    int sent = P->sent && (P->sent[b1 / 8] >> (b1 % 8) & 1) && (P->sent[b2 / 8] >> (b2 % 8) & 1);
    if (R->rst && P->sent && !sent) {
        if (!check_current(R, R->rst, j) || j->unchanged)
            return 0;    /* a failure, or nothing to do, nothing to print */
    }
    if (P->sent) {
        P->sent[b1 / 8] |= (unsigned char)(1u << (b1 % 8));
        P->sent[b2 / 8] |= (unsigned char)(1u << (b2 % 8));
    }
    return 1;
}

/* Resolve the places of j's document and extract its events. */
static void analyse(const run *R, ga_resolver *resolver, job *j)
{
    const ga_doc *doc = &j->doc;
    ga_err *err = &j->err;
    const char *date = doc->date ? doc->date : R->date;
    if ((j->rc = ga_resolve_text(resolver, doc->text, doc->text_len, &j->res, err)) ||
        (j->rc = ga_events_extract(R->lex, doc->text, doc->text_len, &j->res, date, &j->ev,
                                   err))) {
        if (doc->line) ga_err_prefix(err, "%s:%ld", doc->path, doc->line);
        else ga_err_prefix(err, "%s", doc->path ? doc->path : doc->id);
    }
}

/* Room for one more job (P->mu held). */
static int has_room(const pipeline *P)
{
    return P->tail - P->head < RING_JOBS && (P->tail == P->head || P->bytes <= RING_BYTES);
}

/* Slot of job j ready (P->mu held): wake the storing thread when it waits
 * and the job at head is ready with a bunch behind it (or no more coming,
 * or no room for more). */
static void mark_ready(pipeline *P, const job *j)
{
    P->ready[j - P->ring] = 1;
    if (P->take_waiting && P->ready[P->head % RING_JOBS] &&
        (P->ended || P->tail - P->head >= RING_JOBS / 4 || !has_room(P)))
        pthread_cond_signal(&P->can_take);
}

static void *analysis_thread(void *arg)
{
    worker *w = arg;
    pipeline *P = w->P;
    /* The storing thread is the narrow end (one thread, in input order):
     * when it competes for the processors with the analysis threads, the
     * ring fills and they sleep until half of it is free, leaving a
     * processor idle. Lower the analysis threads' priority (Linux keeps a
     * nice value per thread) so the storing thread runs whenever it can:
     * on two processors, 50.9 MB took a median 5.30 s instead of 5.99 s
     * (six alternating runs each, the same CPU time). Failure is harmless. */
    setpriority(PRIO_PROCESS, 0, ANALYSIS_NICE);
    pthread_mutex_lock(&P->mu);
    while (!P->ended) {
        if (!has_room(P)) {
            P->put_waiting++;
            pthread_cond_wait(&P->can_put, &P->mu);
            P->put_waiting--;
            continue;
        }
        job *j = &P->ring[P->tail % RING_JOBS];   /* free: released by the storing thread */
        P->ready[P->tail % RING_JOBS] = 0;
        P->tail++;
        int todo = read_next(P, j);
        P->bytes += j->doc.text_len;
        if (j->kind == JOB_END) {
            P->ended = 1;
            pthread_cond_broadcast(&P->can_put);   /* the other analysis threads stop */
        }
        if (todo) {
            pthread_mutex_unlock(&P->mu);
            analyse(P->R, w->resolver, j);
            pthread_mutex_lock(&P->mu);
        }
        mark_ready(P, j);
    }
    pthread_mutex_unlock(&P->mu);
    return NULL;
}

/* The next job in input order (waits for the analysis threads). */
static job *job_take(pipeline *P)
{
    if (!P->nworkers) {
        job *j = &P->ring[0];
        if (read_next(P, j)) analyse(P->R, P->R->resolver, j);
        return j;
    }
    pthread_mutex_lock(&P->mu);
    while (P->head == P->tail || !P->ready[P->head % RING_JOBS]) {
        P->take_waiting = 1;
        pthread_cond_wait(&P->can_take, &P->mu);
    }
    P->take_waiting = 0;
    job *j = &P->ring[P->head % RING_JOBS];
    pthread_mutex_unlock(&P->mu);
    return j;
}

/* Done with the job job_take returned: make room. The analysis thread
 * that reuses the slot frees what the job holds (read_next), off the
 * storing thread, which has the most work. */
static void job_release(pipeline *P, job *j)
{
    size_t len = j->doc.text_len;
    if (!P->nworkers) {
        job_clear(j);
        return;
    }
    pthread_mutex_lock(&P->mu);
    P->head++;
    P->bytes -= len;
    if (P->put_waiting && P->tail - P->head <= RING_JOBS / 2 &&
        (P->tail == P->head || P->bytes <= RING_BYTES / 2))
        pthread_cond_broadcast(&P->can_put);
    pthread_mutex_unlock(&P->mu);
}

/* Start up to n analysis threads (fewer when threads or memory run out;
 * none: the storing thread analyses). */
static void workers_start(pipeline *P, int n)
{
    if (n < 1 || pthread_mutex_init(&P->mu, NULL) != 0) return;
    if (pthread_cond_init(&P->can_put, NULL) != 0) {
        pthread_mutex_destroy(&P->mu);
        return;
    }
    if (pthread_cond_init(&P->can_take, NULL) != 0) {
        pthread_cond_destroy(&P->can_put);
        pthread_mutex_destroy(&P->mu);
        return;
    }
    /* the threads wait for the lock until all are started */
    pthread_mutex_lock(&P->mu);
    for (int i = 0; i < n && i < MAX_WORKERS; i++) {
        worker *w = &P->workers[P->nworkers];
        w->P = P;
        w->resolver = P->R->resolver;
        if (i > 0 && ga_resolver_fork(P->R->resolver, &w->resolver, NULL)) break;
        if (pthread_create(&w->thread, NULL, analysis_thread, w) != 0) {
            if (i > 0) ga_resolver_free(w->resolver);
            break;
        }
        P->nworkers++;
    }
    pthread_mutex_unlock(&P->mu);
    if (!P->nworkers) {
        pthread_cond_destroy(&P->can_take);
        pthread_cond_destroy(&P->can_put);
        pthread_mutex_destroy(&P->mu);
    }
}

/* Wait for the analysis threads to end, then free the jobs left. */
static void workers_stop(pipeline *P)
{
    if (P->nworkers) {
        for (int i = 0; i < P->nworkers; i++) {
            pthread_join(P->workers[i].thread, NULL);
            if (i > 0) ga_resolver_free(P->workers[i].resolver);
        }
        pthread_cond_destroy(&P->can_take);
        pthread_cond_destroy(&P->can_put);
        pthread_mutex_destroy(&P->mu);
    }
    for (size_t i = 0; i < RING_JOBS; i++) job_clear(&P->ring[i]);
}

/* ---- storing -------------------------------------------------------------- */

/* Documents are stored in batches: one transaction holds up to
 * BATCH_DOCS documents or BATCH_SECONDS of work, each document a savepoint
 * of it, so a killed run leaves every document whole or absent while the
 * commit cost, and the spatial index upkeep of the batch's points
 * (ga_store_ann_begin), are paid once per batch rather than per document.
 * Every commit rewrites the R*Tree leaves its points fell in, most of them
 * in a batch of news from everywhere: at 200 documents a batch the WAL
 * received each page about four times; 1,000 halves that. Another writer
 * waits at most about BATCH_SECONDS for its turn. */
#define BATCH_DOCS 1000
#define BATCH_SECONDS 2.0

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
    static ga_buf line;   /* one JSON line, reused for the whole run */
    return ga_json_doc_line(stdout, &line, NULL, doc->id, res, ev, doc->text);
}

/* Report a failed document on stderr (the run goes on). */
static void doc_failed(run *R)
{
    ga_cli_progress_done(R->cli);
    fprintf(stderr, "geoannot: %s\n", R->cli->err.msg[0] ? R->cli->err.msg : "failed");
    R->stats.failures++;
}

/* Store and print the analysed document of job j. */
static ga_rc store_doc(run *R, job *j)
{
    const ga_doc *doc = &j->doc;
    ga_err *err = &R->cli->err;
    if (j->rc) {
        *err = j->err;
        return j->rc;
    }
    ga_ann_result result = GA_ANN_UNCHANGED;
    if (!j->unchanged) {
        ga_ann_doc ad = ann_doc(R, doc, j->hash[0] ? j->hash : NULL);
        ga_rc rc = ga_store_ann_put(R->st, &ad, R->gen, &j->res, &j->ev, R->reannotate,
                                    &result, err);
        if (rc) {
            if (doc->line) ga_err_prefix(err, "%s:%ld", doc->path, doc->line);
            else ga_err_prefix(err, "%s", doc->path ? doc->path : doc->id);
            return rc;
        }
        /* with nothing printed, an unchanged document counts as if skipped
         * before resolving (as the hash check does for most of them) */
        if (result != GA_ANN_UNCHANGED || R->format != FMT_NONE) {
            R->stats.mentions += (long)j->res.mentions.n;
            R->stats.events += (long)j->ev.n;
        }
        if (R->format == FMT_JSONL) {
            if (print_jsonl(doc, &j->res, &j->ev))
                return ga_err_set(err, GA_EIO, "cannot write to standard output");
        } else if (R->format == FMT_TEXT) {
            print_text(doc, &j->res, &j->ev, result);
        }
    }
    if (result == GA_ANN_UNCHANGED) R->stats.unchanged++;
    else R->stats.stored++;
    return GA_OK;
}

static void progress(run *R, uint64_t done, uint64_t total)
{
    if (!R->cli->progress_tty) return;
    double dt = ga_now() - R->stats.t0;
    char msg[96];
    snprintf(msg, sizeof msg, "%ld documents, %.1f MB/s", R->stats.documents,
             dt > 0 ? (double)R->stats.bytes / 1048576.0 / dt : 0.0);
    ga_cli_progress(total ? (double)done / (double)total : -1, msg, R->cli);
}

/* Annotate every document of the inputs: analysis in the pipeline, storing
 * and printing here, in input order. */
static void annotate_all(run *R, char **paths, int npaths)
{
    pipeline *P = calloc(1, sizeof *P);
    if (!P) {
        ga_err_set(&R->cli->err, GA_ENOMEM, "out of memory");
        doc_failed(R);
        return;
    }
    P->R = R;
    P->paths = paths;
    P->npaths = npaths;
    /* each commit would pack again the last segment of every event block
     * its batch added to (up to 64 KiB each, for one or two events in
     * news spread over many blocks): pack when due, and whatever is left
     * at the end */
    ga_store_blocks_defer(R->st, 1);
    if (R->rst) P->sent = calloc(SENT_BITS / 8, 1);   /* without it nothing is skipped */
    workers_start(P, R->threads);
    for (;;) {
        job *j = job_take(P);
        if (j->kind == JOB_END) break;
        ga_err_clear(&R->cli->err);
        if (j->kind == JOB_FAILED) {
            R->cli->err = j->err;
            doc_failed(R);
        } else {
            if (j->doc.warning[0] && !R->cli->quiet) {
                ga_cli_progress_done(R->cli);
                fprintf(stderr, "geoannot: warning: %s\n", j->doc.warning);
            }
            R->stats.documents++;
            R->stats.bytes += j->doc.text_len;
            batch_begin(R);
            if (store_doc(R, j)) doc_failed(R);
            else if (R->in_batch) R->batch_docs++;
            if (R->batch_docs >= BATCH_DOCS || ga_now() - R->batch_t0 > BATCH_SECONDS)
                batch_end(R);
        }
        progress(R, j->done, j->total);
        job_release(P, j);
    }
    batch_end(R);
    ga_store_blocks_defer(R->st, 0);
    if (ga_store_blocks_settle(R->st, &R->cli->err)) {
        /* the events are stored; their blocks stay marked, which readers
         * handle, until the next write packs them */
        ga_cli_progress_done(R->cli);
        fprintf(stderr, "geoannot: warning: %s\n", R->cli->err.msg);
        ga_err_clear(&R->cli->err);
    }
    workers_stop(P);
    ga_doc_reader_close(P->rd);
    free(P->sent);
    free(P);
}

static int annotate_run(run *R, char **paths, int npaths, int stored, int all);

/* Analysis threads by default: one per processor. */
static int default_threads(void)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    return ncpu < 1 ? 1 : ncpu > MAX_WORKERS ? MAX_WORKERS : (int)ncpu;
}

/* Apply --format (opt 'F') or --threads (opt 'T') to R; returns why the
 * value is bad, or NULL. */
static const char *format_or_threads(run *R, int opt, const char *arg)
{
    static char why[160];
    if (opt == 'F') {
        if (!strcmp(arg, "jsonl")) R->format = FMT_JSONL;
        else if (!strcmp(arg, "text")) R->format = FMT_TEXT;
        else if (!strcmp(arg, "none")) R->format = FMT_NONE;
        else {
            snprintf(why, sizeof why, "unknown format '%.60s' (use text, jsonl or none)", arg);
            return why;
        }
        return NULL;
    }
    char *end = NULL;
    long n = strtol(arg, &end, 10);
    if (end == arg || *end || n < 1 || n > MAX_WORKERS) {
        snprintf(why, sizeof why, "bad --threads '%.60s' (use 1 to %d)", arg, MAX_WORKERS);
        return why;
    }
    R->threads = (int)n;
    return NULL;
}

/* A run with its defaults. */
static void run_init(run *R, ga_cli *cli)
{
    memset(R, 0, sizeof *R);
    R->cli = cli;
    R->threads = default_threads();
}

int cmd_annotate(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"annotate", cmd_annotate, NULL, cmd_annotate_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'F'},
        {"date", required_argument, NULL, 'd'},
        {"reannotate", no_argument, NULL, 'R'},
        {"threads", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    run R;
    run_init(&R, cli);
    int opt, exit_now = 0, code = 0;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'F' || opt == 'T') {
            const char *why = format_or_threads(&R, opt, optarg);
            if (why) return ga_cli_usage_error(&self, "%s", why);
        } else if (opt == 'd') {
            if (!ga_doc_date_valid(optarg))
                return ga_cli_usage_error(&self, "bad date '%s' (use YYYY-MM-DD)", optarg);
            R.date = optarg;
        } else if (opt == 'R') {
            R.reannotate = 1;
        }
    }
    if (optind >= argc) return ga_cli_usage_error(&self, "no input: give files, directories or -");
    return annotate_run(&R, argv + optind, argc - optind, 0, 0);
}

/* The run once its options are read: open the database, the name index,
 * the resolver and the event lexicon, annotate the inputs (or, with
 * R->ids requested by reannotate, the stored documents), print the
 * summary. */
static int annotate_run(run *R, char **paths, int npaths, int stored, int all)
{
    ga_cli *cli = R->cli;
    ga_gaz *gaz = NULL;
    int status = GA_EXIT_OK;
    if (ga_store_open(ga_store_default_path(cli->db_path), 0, &R->st, &cli->err) ||
        ga_store_gaz_generation(R->st, &R->gen, &cli->err) ||
        ga_gaz_open(R->st, ga_cli_progress, cli, &gaz, &cli->err) ||
        ga_resolver_new(gaz, NULL, &R->resolver, &cli->err) ||
        ga_events_lex_load(NULL, &R->lex, &cli->err)) {
        status = ga_cli_fail(cli);
        goto done;
    }
    R->redo_all = all;
    if (stored) {
        if (ga_store_open(ga_store_default_path(cli->db_path),
                          GA_STORE_READONLY | GA_STORE_PLAIN, &R->src, &cli->err) ||
            ga_store_ann_stored_ids(R->src, &R->ids, &R->nids, &cli->err)) {
            status = ga_cli_fail(cli);
            goto done;
        }
        if (!R->ids) {   /* nothing to redo: an empty list still ends the run */
            R->ids = malloc(sizeof *R->ids);
            if (!R->ids) {
                ga_err_set(&cli->err, GA_ENOMEM, "out of memory");
                status = ga_cli_fail(cli);
                goto done;
            }
        }
    }
    /* Unchanged documents are skipped before resolving (the hash check, on a
     * connection of the analysis thread's own); when printing, or with
     * --reannotate, every document is resolved. */
    if (!stored && R->format == FMT_NONE && !R->reannotate &&
        ga_store_open(ga_store_default_path(cli->db_path), GA_STORE_READONLY | GA_STORE_PLAIN,
                      &R->rst, NULL))
        R->rst = NULL;                /* then ga_store_ann_put finds them unchanged */
    R->stats.t0 = ga_now();
    annotate_all(R, paths, npaths);
    ga_cli_progress_done(cli);
    if (fflush(stdout) != 0) {
        ga_err_set(&cli->err, GA_EIO, "cannot write to standard output");
        status = ga_cli_fail(cli);
        goto done;
    }
    if (!cli->quiet) {
        double dt = ga_now() - R->stats.t0;
        fprintf(stderr, "%s %ld documents (%ld stored, %ld unchanged, %ld failed): "
                "%ld mentions, %ld events in %.2f s (%.1f MB/s)\n",
                stored ? "reannotated" : "annotated",
                R->stats.documents, R->stats.stored, R->stats.unchanged, R->stats.failures,
                R->stats.mentions, R->stats.events, dt,
                dt > 0 ? (double)R->stats.bytes / 1048576.0 / dt : 0.0);
    }
    if (R->stats.failures) status = GA_EXIT_FAIL;
done:
    free(R->ids);
    ga_events_lex_free(R->lex);
    ga_resolver_free(R->resolver);
    ga_gaz_close(gaz);
    ga_store_close(R->src);
    ga_store_close(R->rst);
    ga_store_close(R->st);
    return status;
}

int cmd_reannotate(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"reannotate", cmd_reannotate, NULL, cmd_reannotate_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'F'},
        {"all", no_argument, NULL, 'A'},
        {"threads", required_argument, NULL, 'T'},
        {NULL, 0, NULL, 0},
    };
    run R;
    run_init(&R, cli);
    R.format = FMT_NONE;
    R.reannotate = 1;   /* store again even when the content hash is the same */
    int opt, exit_now = 0, code = 0, all = 0;
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'A') {
            all = 1;
        } else if (opt == 'F' || opt == 'T') {
            const char *why = format_or_threads(&R, opt, optarg);
            if (why) return ga_cli_usage_error(&self, "%s", why);
        }
    }
    if (optind < argc)
        return ga_cli_usage_error(&self, "unexpected argument '%s' (reannotate reads the "
                                  "stored documents; use annotate for files)", argv[optind]);
    return annotate_run(&R, NULL, 0, 1, all);
}
