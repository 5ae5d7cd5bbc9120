/*
 * cli.c: helpers shared by the commands: common options, error and usage
 * reporting, dispatch, number parsing, the terminal progress bar and the
 * location of the prebuilt default gazetteer.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "text/ga_text.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ga_cli_common_opt(ga_cli *cli, int opt, const ga_cmd *cmd, int *exit_now, int *code)
{
    switch (opt) {
    case 'D': cli->db_path = optarg; return 1;
    case 'q': cli->quiet = 1; cli->progress_tty = 0; return 1;
    case 'h':
        fputs(cmd->usage, stdout);
        *exit_now = 1; *code = GA_EXIT_OK;
        return 1;
    case '?':
        fprintf(stderr, "try 'geoannot %s -h' for the options\n", cmd->name);
        *exit_now = 1; *code = GA_EXIT_USAGE;
        return 1;
    default:
        return 0;
    }
}

int ga_cli_fail(ga_cli *cli)
{
    ga_cli_progress_done(cli);
    fprintf(stderr, "geoannot: %s\n", cli->err.msg[0] ? cli->err.msg : "failed");
    return GA_EXIT_FAIL;
}

int ga_cli_usage_error(const ga_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("geoannot: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'geoannot %s -h' for the options\n", cmd->name);
    return GA_EXIT_USAGE;
}

int ga_cli_dispatch(const char *group, const ga_cmd *cmds, int argc, char **argv, ga_cli *cli)
{
    for (const ga_cmd *c = cmds; c->name; c++) {
        if (strcmp(c->name, argv[0]) == 0) {
            cli->progress_tty = isatty(2) && !cli->quiet;
            optind = 1;   /* each command parses argv from its own name */
            return c->fn(argc, argv, cli);
        }
    }
    fprintf(stderr, "geoannot: '%s' is not a %scommand; see 'geoannot %s-h'\n", argv[0],
            group ? "gazetteer " : "", group ? "gazetteer " : "");
    return GA_EXIT_USAGE;
}

static int bar_drawn;
static double bar_last;

int ga_cli_progress(double frac, const char *msg, void *arg)
{
    ga_cli *cli = arg;
    if (!cli || !cli->progress_tty) return 1;
    double t = ga_now();
    if (frac < 1.0 && t - bar_last < 0.1) return 1;
    bar_last = t;
    int width = 30, fill = frac < 0 ? 0 : (int)(frac * width + 0.5);
    if (fill > width) fill = width;
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : (frac < 0 ? '?' : '.');
    bar[width] = 0;
    if (frac >= 0)
        fprintf(stderr, "\r[%s] %3d%% %-40.40s", bar, (int)(frac * 100 + 0.5), msg ? msg : "");
    else
        fprintf(stderr, "\r%-72.72s", msg ? msg : "");
    bar_drawn = 1;
    return 1;
}

void ga_cli_progress_done(ga_cli *cli)
{
    if (bar_drawn) { fputc('\n', stderr); bar_drawn = 0; }
}

int ga_cli_parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end) return 0;
    *out = v;
    return 1;
}

int ga_cli_parse_int(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end) return 0;
    *out = v;
    return 1;
}

size_t ga_cli_display_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; s && i < n;) {
        uint32_t cp;
        int bad;
        i += ga_utf8_decode(s + i, n - i, &cp, &bad);
        int combining = (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
                        (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
                        (cp >= 0xfe20 && cp <= 0xfe2f) || (cp >= 0x64b && cp <= 0x65f) ||
                        cp == 0x670 || cp == 0x200d || cp == 0x200c;
        if (!combining) w++;
    }
    return w;
}

const char *ga_cli_default_gazetteer(void)
{
    static char path[4096];
    const char *env = getenv("GEOANNOT_GAZETTEER");
    if (env && *env) return env;
    static const char *const rel[] = {"gazetteer", "../share/geoannot"};
    if (ga_find_near_exe(rel, sizeof rel / sizeof rel[0], "default.sqlite", path, sizeof path)) {
        size_t n = strlen(path);
        snprintf(path + n, sizeof path - n, "/default.sqlite");
        return path;
    }
    return "build/gazetteer/default.sqlite";   /* named in the error that follows */
}
