/*
 * cli.h: what the command files share: the command table entry, the
 * per-invocation context, option parsing helpers and the terminal
 * progress bar. Each command lives in cmd_<name>.c and exposes one
 * cmd_<name>() plus its usage text.
 */
#ifndef GA_CLI_H
#define GA_CLI_H

#include <getopt.h>
#include <stdio.h>
#include "core/ga_core.h"

/* Exit codes of the contract. */
enum { GA_EXIT_OK = 0, GA_EXIT_FAIL = 1, GA_EXIT_USAGE = 2 };

typedef struct {
    const char *prog;     /* "geoannot" or "geoannot gazetteer" ... for messages */
    const char *db_path;  /* --db, else NULL (see ga_store_default_path) */
    int quiet;            /* -q: no progress bars */
    int progress_tty;     /* stderr is a terminal and not quiet */
    ga_err err;           /* message of the last failure */
} ga_cli;

typedef int (*ga_cmd_fn)(int argc, char **argv, ga_cli *cli);

typedef struct {
    const char *name;     /* command word */
    ga_cmd_fn fn;         /* implementation */
    const char *summary;  /* one line for the command list */
    const char *usage;    /* full -h text */
} ga_cmd;

/* Common options every command accepts, to splice into its long options:
 * --db PATH, -q/--quiet, -h/--help. */
#define GA_CLI_COMMON_LONGOPTS                                 \
    {"db", required_argument, NULL, 'D'},                      \
    {"quiet", no_argument, NULL, 'q'},                         \
    {"help", no_argument, NULL, 'h'}

/* Handle a common option returned by getopt_long. Returns 1 when handled,
 * 0 when opt is not common, and sets *exit_now and *code for -h and '?'. */
int ga_cli_common_opt(ga_cli *cli, int opt, const ga_cmd *cmd, int *exit_now, int *code);
/* Print "geoannot: <msg>" (the error in cli->err) to stderr; return 1. */
int ga_cli_fail(ga_cli *cli);
/* Print a usage error with a hint to use -h; return 2. */
int ga_cli_usage_error(const ga_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Dispatch argv[0] among cmds (a NULL-name-terminated table). */
int ga_cli_dispatch(const char *group, const ga_cmd *cmds, int argc, char **argv, ga_cli *cli);

/* Terminal progress bar, a ga_progress_fn; arg is the ga_cli. Draws on
 * stderr only when cli->progress_tty. */
int ga_cli_progress(double frac, const char *msg, void *arg);
/* Finish the bar line (newline) if one was drawn. */
void ga_cli_progress_done(ga_cli *cli);

/* Parse helpers that report a usage error in cli->err. */
int ga_cli_parse_double(const char *s, double *out);
int ga_cli_parse_int(const char *s, long *out);

/* Columns that the n bytes of UTF-8 at s take on a terminal: code points,
 * less combining marks (Latin diacritics, Arabic harakat). */
size_t ga_cli_display_width(const char *s, size_t n);

/* Where the prebuilt default gazetteer lives: $GEOANNOT_GAZETTEER, else
 * <dir of the binary>/gazetteer/default.sqlite, else the install data dir. */
const char *ga_cli_default_gazetteer(void);

/* The commands. */
int cmd_init(int argc, char **argv, ga_cli *cli);
int cmd_gazetteer(int argc, char **argv, ga_cli *cli);
int cmd_resolve(int argc, char **argv, ga_cli *cli);
int cmd_annotate(int argc, char **argv, ga_cli *cli);
int cmd_reannotate(int argc, char **argv, ga_cli *cli);
int cmd_query(int argc, char **argv, ga_cli *cli);
int cmd_export(int argc, char **argv, ga_cli *cli);
extern const char cmd_init_usage[], cmd_gazetteer_usage[], cmd_resolve_usage[],
    cmd_annotate_usage[], cmd_reannotate_usage[], cmd_query_usage[], cmd_export_usage[];

#endif
