/*
 * cmd_resolve.c: `geoannot resolve`, place names only, nothing written.
 * Reads documents (.txt, .jsonl, directories, stdin), resolves them and
 * prints each mention readably or as the JSON contract.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <string.h>
#include "json_out.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store.h"
#include "text/ga_doc.h"

const char cmd_resolve_usage[] =
    "usage: geoannot resolve [--db PATH] [--format text|jsonl] [-q] FILE|DIR|-...\n"
    "\n"
    "Find the place names in each document and say which gazetteer place each\n"
    "one means, with its precision (1 town, 2 area or 'near', 3 governorate or\n"
    "larger) and the reason for the choice. Nothing is written to the database.\n"
    "\n"
    "Input: .txt files (id = file name, first line = title), .jsonl files with one\n"
    "{\"id\", \"text\"} object per line, directories (walked recursively), or - for\n"
    "standard input.\n"
    "\n"
    "  --format text   one line per mention (default)\n"
    "  --format jsonl  one JSON object per document: {\"id\", \"mentions\": [...]}\n"
    "  --db PATH       database whose gazetteer is used (default $GEOANNOT_DB or\n"
    "                  ./geoannot.sqlite; create it with 'geoannot init')\n"
    "  -q, --quiet     no progress or warnings on stderr\n"
    "\n"
    "examples:\n"
    "  geoannot resolve article.txt\n"
    "  echo 'Residents fled Talbeesa for Al-Rastan.' | geoannot resolve -\n"
    "  geoannot resolve --format jsonl corpus.jsonl > mentions.jsonl\n";

static void print_text(const ga_doc *doc, const ga_resolved *res)
{
    printf("== %s%s%s\n", doc->id, doc->title ? ": " : "", doc->title ? doc->title : "");
    for (size_t i = 0; i < res->mentions.n; i++) {
        const ga_mention *m = &res->mentions.v[i];
        int len = (int)(m->end - m->start);
        /* the name in a column of 24, counted in what a terminal shows
         * (an Arabic name takes two bytes a letter) */
        size_t w = ga_cli_display_width(doc->text + m->start, (size_t)len);
        printf("  %.*s%*s", len, doc->text + m->start, w < 24 ? (int)(24 - w) : 0, "");
        if (!m->resolved) {
            printf("  (unresolved)  %s\n", m->reason);
            continue;
        }
        const ga_place *p = &m->place;
        printf("  %s [%s%s%s%s%s] %s %.4f,%.4f  p%d  %s\n",
               p->name ? p->name : "?", ga_kind_name(p->kind), p->country ? ", " : "",
               p->country ? p->country : "", p->admin1 ? ", " : "", p->admin1 ? p->admin1 : "",
               p->gid ? p->gid : "", p->lat, p->lon, m->precision, m->reason);
    }
}

int cmd_resolve(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"resolve", cmd_resolve, NULL, cmd_resolve_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    int opt, exit_now = 0, code = 0, jsonl = 0;
    ga_buf line = {0};   /* one JSON line, reused */
    ga_resolved res;     /* one document's results, reused */
    ga_json_places *places = NULL;   /* place objects written lately */
    memset(&res, 0, sizeof res);
    while ((opt = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        if (ga_cli_common_opt(cli, opt, &self, &exit_now, &code)) {
            if (exit_now) return code;
            continue;
        }
        if (opt == 'F') {
            if (!strcmp(optarg, "jsonl")) jsonl = 1;
            else if (strcmp(optarg, "text"))
                return ga_cli_usage_error(&self, "unknown format '%s' (use text or jsonl)", optarg);
        }
    }
    if (optind >= argc) return ga_cli_usage_error(&self, "no input: give files, directories or -");

    ga_store *st = NULL;
    ga_gaz *gaz = NULL;
    ga_resolver *r = NULL;
    int failures = 0, status = GA_EXIT_OK;
    if (ga_store_open(ga_store_default_path(cli->db_path), GA_STORE_READONLY | GA_STORE_PLAIN, &st, &cli->err) ||
        ga_gaz_open(st, ga_cli_progress, cli, &gaz, &cli->err) ||
        ga_resolver_new(gaz, NULL, &r, &cli->err)) {
        status = ga_cli_fail(cli);
        goto done;
    }
    if (jsonl) places = ga_json_places_new();   /* NULL: every place written anew */
    for (int a = optind; a < argc; a++) {
        ga_doc_reader *rd = NULL;
        if (ga_doc_reader_open(argv[a], &rd, &cli->err)) { ga_cli_fail(cli); failures++; continue; }
        ga_doc doc;
        memset(&doc, 0, sizeof doc);
        for (;;) {
            ga_err_clear(&cli->err);
            ga_rc rc = ga_doc_reader_next(rd, &doc, &cli->err);
            if (rc == GA_ENOTFOUND) break;
            if (rc) { ga_cli_fail(cli); failures++; continue; }
            if (doc.warning[0] && !cli->quiet) fprintf(stderr, "geoannot: warning: %s\n", doc.warning);
            ga_resolved_reset(&res);
            if (ga_resolve_text(r, doc.text, doc.text_len, &res, &cli->err)) {
                ga_cli_fail(cli);
                failures++;
                continue;
            }
            if (jsonl) {
                ga_json_doc_line(stdout, &line, places, doc.id, &res, NULL, doc.text);
            } else {
                print_text(&doc, &res);
            }
        }
        ga_doc_clear(&doc);
        ga_doc_reader_close(rd);
    }
    if (failures) status = GA_EXIT_FAIL;
done:
    ga_buf_free(&line);
    ga_json_places_free(places);
    ga_resolved_free(&res);
    ga_resolver_free(r);
    ga_gaz_close(gaz);
    ga_store_close(st);
    return status;
}
