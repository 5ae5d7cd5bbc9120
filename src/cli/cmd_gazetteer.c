/*
 * cmd_gazetteer.c: `geoannot gazetteer <subcommand>`, the curator's tools.
 * A table dispatches to one function per subcommand:
 *
 *   search      the candidates a name can mean (every homonym), or a gid
 *   add         a curated place, with its aliases
 *   alias       a curated name for an existing place
 *   remove      a curated place (an imported one only with --force)
 *   stats       what the gazetteer holds
 *   unresolved  names documents mention that resolved to no place
 *   import, build-default   (cmd_gaz_import.c, cmd_gaz_build.c)
 *
 * The SQL lives in src/store/gaz_curate.c; every write there is one
 * transaction that bumps the gazetteer generation, so the name index is
 * rebuilt by the next command that opens it and an added place or name is
 * found at once.
 *
 * Exit codes: 0 success, 1 failure (no such place, refused removal, a
 * database error), 2 usage error (unknown option, missing or malformed
 * argument, value out of range).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "cli_gaz.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "gaz/ga_gaz.h"
#include "resolve/ga_resolve.h"
#include "store/ga_store_curate.h"
#include "store/ga_store_gaz.h"
#include "text/ga_text.h"

/* ---- usage texts ---------------------------------------------------------- */

const char cmd_gazetteer_usage[] =
    "usage: geoannot gazetteer <subcommand> [options]\n"
    "\n"
    "Search, import, add and correct gazetteer places. The gazetteer lives in\n"
    "the database (--db PATH, else $GEOANNOT_DB, else ./geoannot.sqlite);\n"
    "changes take effect on the next command, with no separate index step.\n"
    "\n"
    "subcommands:\n"
    "  search NAME|GID     every place a name can mean, best first\n"
    "  add NAME ...        add a curated place\n"
    "  alias PLACE NAME    add a curated name to a place\n"
    "  remove PLACE        remove a curated place\n"
    "  stats               what the gazetteer holds\n"
    "  unresolved          names seen in documents that matched no place\n"
    "  import KIND FILE    import GeoNames dumps, places or boundaries\n"
    "  build-default       build the default gazetteer from the pinned data\n"
    "  update-default      merge a rebuilt default gazetteer, keeping curated rows\n"
    "\n"
    "Each subcommand answers -h.\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer search Hashemiyeh\n"
    "  geoannot gazetteer add \"Waer camp\" --lat 34.735 --lon 36.66 --kind camp --country SY\n"
    "  geoannot gazetteer alias user:1 \"Al-Waer camp\"\n"
    "  geoannot gazetteer unresolved --limit 20\n";

static const char search_usage[] =
    "usage: geoannot gazetteer search NAME|GID|ID [--country CC] [--kind KIND]\n"
    "                                 [--limit N] [--format text|jsonl] [--db PATH]\n"
    "\n"
    "List every place NAME can mean, the way the resolver sees it: names are\n"
    "folded (case, accents, hyphens, the article al-/el-) and also compared by\n"
    "a looser phonetic key, so \"Hashimiya\" finds \"Hashemiyeh\". Exact matches\n"
    "come first, then phonetic ones; within each, larger population first.\n"
    "A gid (geonames:170018, user:3) or a numeric place id shows that place.\n"
    "\n"
    "  --country CC        only places in this country (ISO 3166-1 alpha-2)\n"
    "  --kind KIND         only this kind: country adm1 adm2 adm3 populated_place\n"
    "                      section area camp crossing other\n"
    "  --limit N           show at most N places (default 50; 0: all)\n"
    "  --format FMT        text (an aligned table, default) or jsonl (one JSON\n"
    "                      object per place)\n"
    "\n"
    "The MATCH column says how the name met the place: exact or phonetic, and\n"
    "the kind of the name that matched (official, ascii, alternate, demonym,\n"
    "abbrev, curated). Exits 1 when nothing matches.\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer search Hashemiyeh          # homonyms in Homs and Hama\n"
    "  geoannot gazetteer search \"Ras al-Ain\" --country SY\n"
    "  geoannot gazetteer search Homs --kind adm1\n"
    "  geoannot gazetteer search geonames:170018\n"
    "  geoannot gazetteer search Daraa --format jsonl\n";

static const char add_usage[] =
    "usage: geoannot gazetteer add NAME --lat LAT --lon LON --kind KIND [--country CC]\n"
    "                              [--admin1 NAME] [--admin1-pcode PCODE]\n"
    "                              [--alias NAME]... [--note TEXT] [--population N]\n"
    "                              [--db PATH]\n"
    "\n"
    "Add a place the gazetteer lacks (a camp, a neighbourhood, an area). It gets\n"
    "the gid user:<n>, printed on stdout, and is marked curated, so a rebuild\n"
    "of the default gazetteer keeps it. The next command finds it by NAME or\n"
    "by any --alias. The database must exist (geoannot init).\n"
    "\n"
    "  --lat LAT           latitude in degrees, -90..90 (required)\n"
    "  --lon LON           longitude in degrees, -180..180 (required)\n"
    "  --kind KIND         country adm1 adm2 adm3 populated_place section area\n"
    "                      camp crossing other (required)\n"
    "  --country CC        ISO 3166-1 alpha-2 code, e.g. SY\n"
    "  --admin1 NAME       first-level admin area, e.g. Homs\n"
    "  --admin1-pcode PC   its OCHA P-code, e.g. SY04\n"
    "  --alias NAME        another name of the place (repeat for more)\n"
    "  --note TEXT         where the place comes from, how precise it is\n"
    "  --population N      population, when known\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer add \"Waer camp\" --lat 34.735 --lon 36.66 --kind camp \\\n"
    "      --country SY --admin1 Homs --admin1-pcode SY04 --alias \"Al-Waer camp\" \\\n"
    "      --note \"UNHCR site list 2017; centroid within 500 m\"\n"
    "  gid=$(geoannot gazetteer add Rukban --lat 33.3 --lon 38.7 --kind camp --country SY)\n";

static const char alias_usage[] =
    "usage: geoannot gazetteer alias PLACE NAME [--lang L] [--db PATH]\n"
    "\n"
    "Give PLACE (a gid such as geonames:170018 or user:3, or a numeric place\n"
    "id; see 'geoannot gazetteer search') another name, e.g. a spelling the\n"
    "reports use. The name is curated, so it survives a rebuild of the\n"
    "default gazetteer, and the next command resolves it.\n"
    "\n"
    "  --lang L            ISO 639 language code of the name (en, ar, fr ...)\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer alias geonames:170018 \"Harasta al-Balad\"\n"
    "  geoannot gazetteer alias user:1 \"مخيم الوعر\" --lang ar\n";

static const char remove_usage[] =
    "usage: geoannot gazetteer remove PLACE [--force] [--db PATH]\n"
    "\n"
    "Remove PLACE (a gid or a numeric place id) with its names and outline.\n"
    "Only curated places (those added with 'gazetteer add') are removed: an\n"
    "imported place would come back with the next rebuild or re-import, so\n"
    "removing one needs --force. Mentions already stored keep the place's\n"
    "name and coordinates until the documents are annotated again.\n"
    "\n"
    "  --force             remove a place that came from an import\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer remove user:3\n"
    "  geoannot gazetteer remove geonames:170018 --force\n";

static const char stats_usage[] =
    "usage: geoannot gazetteer stats [--db PATH]\n"
    "\n"
    "Show what the gazetteer holds: places by source and kind, names by kind,\n"
    "outlines, the rows curators added, the gazetteer generation (bumped by\n"
    "every change) and the name index file beside the database.\n"
    "\n"
    "example:\n"
    "  geoannot gazetteer stats --db reports.sqlite\n";

static const char unresolved_usage[] =
    "usage: geoannot gazetteer unresolved [--limit N] [--format text|jsonl] [--db PATH]\n"
    "\n"
    "List the names annotated documents mention that matched no place, most\n"
    "frequent first, with the number of mentions and documents and an example\n"
    "sentence: the gazetteer's to-do list. Add the missing ones with\n"
    "'gazetteer add' or 'gazetteer alias', then annotate again. Prints\n"
    "nothing when every mention resolved.\n"
    "\n"
    "  --limit N           show at most N names (default 50; 0: all)\n"
    "  --format FMT        text (default) or jsonl\n"
    "\n"
    "examples:\n"
    "  geoannot gazetteer unresolved --limit 20\n"
    "  geoannot gazetteer unresolved --format jsonl | jq -r .text\n";

/* ---- shared helpers ------------------------------------------------------- */

enum { FMT_TEXT = 0, FMT_JSONL = 1 };
#define DEFAULT_LIMIT 50

/* Parse the options of a subcommand: common ones are handled here; others
 * go to on_opt, which returns 0 on success or an exit code (a usage error).
 * Returns -1 to go on, else the exit code to return now. */
typedef int (*opt_fn)(int opt, const char *arg, void *ctx, const ga_cmd *self);

static int parse_opts(int argc, char **argv, const char *shortopts,
                      const struct option *longopts, const ga_cmd *self, ga_cli *cli,
                      opt_fn on_opt, void *ctx)
{
    int opt, exit_now = 0, code = -1;
    char spec[16];
    /* ':' first: getopt reports a missing value as ':' and prints nothing,
     * so the messages below name the subcommand rather than "add:". */
    snprintf(spec, sizeof spec, ":%s", shortopts);
    opterr = 0;
    while (code < 0 && (opt = getopt_long(argc, argv, spec, longopts, NULL)) != -1) {
        const char *bad = optind > 1 && optind <= argc ? argv[optind - 1] : "?";
        if (opt == ':') {
            code = ga_cli_usage_error(self, "option '%s' needs a value", bad);
        } else if (opt == '?') {
            code = ga_cli_usage_error(self, "unknown option '%s'%s", bad,
                                      bad[0] == '-' && bad[1] != '-' && strlen(bad) > 2
                                          ? " (a name starting with '-' goes after '--')" : "");
        } else if (ga_cli_common_opt(cli, opt, self, &exit_now, &code)) {
            if (!exit_now) code = -1;
        } else {
            int rc = on_opt ? on_opt(opt, optarg, ctx, self) : GA_EXIT_USAGE;
            if (rc) code = rc;
        }
    }
    opterr = 1;
    return code;
}

static int parse_format(const char *s, int *fmt, const ga_cmd *self)
{
    if (!strcmp(s, "text")) *fmt = FMT_TEXT;
    else if (!strcmp(s, "jsonl")) *fmt = FMT_JSONL;
    else return ga_cli_usage_error(self, "unknown format '%s' (use text or jsonl)", s);
    return 0;
}

static int parse_limit(const char *s, long *limit, const ga_cmd *self)
{
    if (!ga_cli_parse_int(s, limit) || *limit < 0)
        return ga_cli_usage_error(self, "limit '%s' is not a whole number >= 0", s);
    return 0;
}

static int usage_bad_kind(const ga_cmd *self, const char *s)
{
    return ga_cli_usage_error(self, "unknown kind '%s' (valid kinds: country adm1 adm2 adm3 "
                              "populated_place section area camp crossing other)", s);
}

/* Upper-case a 2-letter ISO country code into out[3]; 0 when s is not one. */
static int parse_country(const char *s, char out[3])
{
    if (!s || strlen(s) != 2 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return 0;
    out[0] = (char)toupper((unsigned char)s[0]);
    out[1] = (char)toupper((unsigned char)s[1]);
    out[2] = 0;
    return 1;
}

static int usage_bad_country(const ga_cmd *self, const char *s)
{
    return ga_cli_usage_error(self, "country code '%s' is not 2 letters (ISO 3166-1 "
                              "alpha-2, e.g. SY, TR, LB)", s);
}

/* Check a name a curator supplies: valid UTF-8, no control characters,
 * at least one letter or digit (else no key could ever find it). Returns 0
 * or a usage exit code. what is "name" or "alias". */
static int check_name(const ga_cmd *self, const char *what, const char *s)
{
    size_t n = strlen(s), bad = 0;
    if (!ga_utf8_valid(s, n, 0, &bad))
        return ga_cli_usage_error(self, "%s '%s' is not valid UTF-8 (byte %zu)", what, s, bad);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return ga_cli_usage_error(self, "%s '%s' contains a control character", what, s);
    ga_buf key = {0};
    if (ga_key_strict(s, n, &key)) {
        ga_buf_free(&key);
        return ga_cli_usage_error(self, "out of memory");
    }
    size_t klen = key.len;
    ga_buf_free(&key);
    if (klen == 0)
        return ga_cli_usage_error(self, "%s '%s' has no letters or digits", what, s);
    return 0;
}

static int open_store(ga_cli *cli, ga_store **st)
{
    return ga_store_open(ga_store_default_path(cli->db_path), 0, st, &cli->err) == GA_OK;
}

static size_t display_width(const char *s)
{
    return s ? ga_cli_display_width(s, strlen(s)) : 0;
}

/* Print s left-aligned in a column of width w, then sep. */
static void put_cell(const char *s, size_t w, const char *sep)
{
    if (!s) s = "";
    fputs(s, stdout);
    for (size_t k = display_width(s); k < w; k++) putchar(' ');
    fputs(sep, stdout);
}

/* A JSON string, or null for NULL. */
static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

/* Print one JSON object as a line and release it. Returns 0 on failure
 * (invalid UTF-8 in a stored string, out of memory). */
static int put_json_line(json_t *o)
{
    char *line = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    if (!line) return 0;
    puts(line);
    free(line);
    return 1;
}

/* ---- search --------------------------------------------------------------- */

/* One candidate of a search: a place and how its best name met the query. */
typedef struct {
    ga_place p;         /* strings point into the index or a ga_place_row */
    int match;          /* MATCH_* */
    int name_kind;      /* ga_name_kind of the name that matched, -1 for gid/id */
} candidate;

enum { MATCH_EXACT = 0, MATCH_PHONETIC = 1, MATCH_GID = 2, MATCH_ID = 3, MATCH_CONSONANT = 4 };
static const char *const match_names[] = {"exact", "phonetic", "gid", "id", "consonant"};

typedef GA_VEC(candidate) candidates;

typedef struct {
    char country[3];    /* filter, "" for none */
    int has_kind;
    ga_kind kind;       /* filter when has_kind */
    long limit;
    int format;
} search_opts;

static int search_opt(int opt, const char *arg, void *ctx, const ga_cmd *self)
{
    search_opts *o = ctx;
    switch (opt) {
    case 'c':
        if (!parse_country(arg, o->country)) return usage_bad_country(self, arg);
        return 0;
    case 'k':
        if (!ga_kind_parse(arg, &o->kind)) return usage_bad_kind(self, arg);
        o->has_kind = 1;
        return 0;
    case 'l': return parse_limit(arg, &o->limit, self);
    case 'f': return parse_format(arg, &o->format, self);
    default: return GA_EXIT_USAGE;
    }
}

static int keep(const search_opts *o, const ga_place *p)
{
    if (o->country[0] && (!p->country || strcmp(p->country, o->country) != 0)) return 0;
    if (o->has_kind && p->kind != o->kind) return 0;
    return 1;
}

/* Best first: exact before phonetic, then population, then name, then id. */
static int cmp_candidate(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->match != y->match) return x->match < y->match ? -1 : 1;
    if (x->p.population != y->p.population) return x->p.population > y->p.population ? -1 : 1;
    int c = strcmp(x->p.name ? x->p.name : "", y->p.name ? y->p.name : "");
    if (c) return c;
    return x->p.id < y->p.id ? -1 : x->p.id > y->p.id;
}

/* Add the hits of one key to cands, keeping one entry per place: the best
 * match (exact over phonetic, then the lower name kind). seen maps index
 * place -> position in cands + 1. */
static ga_rc add_hits(const ga_gaz *g, const ga_gaz_hit *hits, size_t nhits, int match,
                      const search_opts *o, uint32_t *seen, candidates *cands)
{
    uint32_t np = ga_gaz_nplaces(g);
    for (size_t i = 0; i < nhits; i++) {
        uint32_t pi = hits[i].place;
        if (pi >= np) continue;
        /* a code ("ATM", Altamira's airport) spells no sounds: only its
         * exact key finds it, not "Atmeh" by its consonants */
        if (match != MATCH_EXACT && hits[i].name_kind == GA_NAME_ABBREV) continue;
        if (seen[pi]) {
            candidate *c = &cands->v[seen[pi] - 1];
            if (match < c->match || (match == c->match && hits[i].name_kind < c->name_kind)) {
                c->match = match;
                c->name_kind = hits[i].name_kind;
            }
            continue;
        }
        candidate c = {.match = match, .name_kind = hits[i].name_kind};
        ga_gaz_place(g, pi, &c.p);
        if (!keep(o, &c.p)) continue;
        if (ga_vec_push(cands, c)) return GA_ENOMEM;
        seen[pi] = (uint32_t)cands->n;
    }
    return GA_OK;
}

static const char *kind_or(ga_kind k) { const char *s = ga_kind_name(k); return s ? s : "?"; }

static void match_text(const candidate *c, char *buf, size_t n)
{
    const char *nk = c->name_kind >= 0 ? ga_name_kind_name((ga_name_kind)c->name_kind) : NULL;
    if (nk) snprintf(buf, n, "%s/%s", match_names[c->match], nk);
    else snprintf(buf, n, "%s", match_names[c->match]);
}

static void admin1_text(const ga_place *p, char *buf, size_t n)
{
    if (p->admin1 && p->admin1_pcode) snprintf(buf, n, "%s (%s)", p->admin1, p->admin1_pcode);
    else if (p->admin1) snprintf(buf, n, "%s", p->admin1);
    else if (p->admin1_pcode) snprintf(buf, n, "(%s)", p->admin1_pcode);
    else snprintf(buf, n, "-");
}

/* The aligned table: widths from the data, one line per candidate. */
static void print_table(const candidate *c, size_t n)
{
    enum { NCOL = 10 };
    static const char *const head[NCOL] = {"GID", "NAME", "KIND", "CODE", "CC",
                                           "ADMIN1", "POP", "LAT", "LON", "MATCH"};
    size_t w[NCOL];
    for (int k = 0; k < NCOL; k++) w[k] = strlen(head[k]);
    char cell[NCOL][512];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            for (int k = 0; k < NCOL; k++)
                put_cell(head[k], k == NCOL - 1 ? 0 : w[k], k == NCOL - 1 ? "\n" : "  ");
        }
        for (size_t i = 0; i < n; i++) {
            const ga_place *p = &c[i].p;
            snprintf(cell[0], sizeof cell[0], "%s", p->gid ? p->gid : "-");
            snprintf(cell[1], sizeof cell[1], "%s", p->name ? p->name : "-");
            snprintf(cell[2], sizeof cell[2], "%s", kind_or(p->kind));
            snprintf(cell[3], sizeof cell[3], "%s", p->feature_code ? p->feature_code : "-");
            snprintf(cell[4], sizeof cell[4], "%s", p->country ? p->country : "-");
            admin1_text(p, cell[5], sizeof cell[5]);
            snprintf(cell[6], sizeof cell[6], "%lld", (long long)p->population);
            snprintf(cell[7], sizeof cell[7], "%.4f", p->lat);
            snprintf(cell[8], sizeof cell[8], "%.4f", p->lon);
            match_text(&c[i], cell[9], sizeof cell[9]);
            for (int k = 0; k < NCOL; k++) {
                size_t dw = display_width(cell[k]);
                if (pass == 0) {
                    if (dw > w[k]) w[k] = dw;
                    continue;
                }
                const char *sep = k == NCOL - 1 ? "\n" : "  ";
                int right = k >= 6 && k <= 8;   /* numbers */
                if (right) {
                    for (size_t s = dw; s < w[k]; s++) putchar(' ');
                    fputs(cell[k], stdout);
                    fputs(sep, stdout);
                } else {
                    put_cell(cell[k], k == NCOL - 1 ? 0 : w[k], sep);
                }
            }
        }
    }
}

static int print_jsonl(const candidate *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const ga_place *p = &c[i].p;
        const char *nk = c[i].name_kind >= 0 ? ga_name_kind_name((ga_name_kind)c[i].name_kind)
                                             : NULL;
        json_t *o = json_object();
        if (!o) return 0;
        json_object_set_new(o, "id", json_integer(p->id));
        json_object_set_new(o, "gid", jstr(p->gid));
        json_object_set_new(o, "name", jstr(p->name));
        json_object_set_new(o, "kind", jstr(ga_kind_name(p->kind)));
        json_object_set_new(o, "feature_code", jstr(p->feature_code));
        json_object_set_new(o, "country", jstr(p->country));
        json_object_set_new(o, "admin1", jstr(p->admin1));
        json_object_set_new(o, "admin1_pcode", jstr(p->admin1_pcode));
        json_object_set_new(o, "admin2", jstr(p->admin2));
        json_object_set_new(o, "admin2_pcode", jstr(p->admin2_pcode));
        json_object_set_new(o, "population", json_integer(p->population));
        json_object_set_new(o, "lat", json_real(p->lat));
        json_object_set_new(o, "lon", json_real(p->lon));
        json_object_set_new(o, "source", jstr(p->source));
        json_object_set_new(o, "curated", json_boolean(p->curated));
        json_object_set_new(o, "match", json_string(match_names[c[i].match]));
        json_object_set_new(o, "name_kind", jstr(nk));
        if (!put_json_line(o)) return 0;
    }
    return 1;
}

static int print_candidates(ga_cli *cli, const search_opts *o, candidate *c, size_t n)
{
    qsort(c, n, sizeof *c, cmp_candidate);
    size_t shown = o->limit > 0 && (size_t)o->limit < n ? (size_t)o->limit : n;
    if (o->format == FMT_JSONL) {
        if (!print_jsonl(c, shown)) {
            ga_err_set(&cli->err, GA_EFORMAT, "cannot write a place as JSON (invalid UTF-8 "
                       "in the gazetteer?)");
            return ga_cli_fail(cli);
        }
    } else {
        print_table(c, shown);
    }
    if (shown < n && !cli->quiet)
        fprintf(stderr, "(%zu more; use --limit 0 to see all)\n", n - shown);
    return GA_EXIT_OK;
}

/* 1 when s is all decimal digits. */
static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

/* search by gid or id: straight from the database. */
static int search_ref(ga_cli *cli, ga_store *st, const search_opts *o, const char *ref)
{
    ga_place_row *r = NULL;
    if (ga_store_place_get(st, ref, &r, &cli->err)) return ga_cli_fail(cli);
    candidate c = {.p = r->place, .match = all_digits(ref) ? MATCH_ID : MATCH_GID,
                   .name_kind = -1};
    int code = GA_EXIT_OK;
    if (!keep(o, &c.p)) {
        ga_err_set(&cli->err, GA_ENOTFOUND, "place '%s' does not pass --country/--kind", ref);
        code = ga_cli_fail(cli);
    } else {
        code = print_candidates(cli, o, &c, 1);
    }
    ga_place_row_free(r);
    return code;
}

static int gaz_search(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer search", gaz_search, NULL, search_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"country", required_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'k'},
        {"limit", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    search_opts o = {.limit = DEFAULT_LIMIT};
    int code = parse_opts(argc, argv, "qh", longopts, &self, cli, search_opt, &o);
    if (code >= 0) return code;
    if (optind >= argc) return ga_cli_usage_error(&self, "missing NAME to search for");
    /* Unquoted words are one name: search Ras al-Ain == search "Ras al-Ain". */
    ga_buf name = {0};
    for (int i = optind; i < argc; i++)
        if ((i > optind && ga_buf_putc(&name, ' ')) || ga_buf_puts(&name, argv[i])) {
            ga_buf_free(&name);
            return ga_cli_usage_error(&self, "out of memory");
        }

    ga_store *st = NULL;
    ga_gaz *g = NULL;
    ga_buf key = {0}, pkey = {0}, skey = {0};
    ga_resolver *res = NULL;
    candidates cands = {0};
    uint32_t *seen = NULL;
    const ga_gaz_hit *hits = NULL;
    size_t nh = 0;
    ga_rc rc = GA_OK;
    if (!open_store(cli, &st)) { code = ga_cli_fail(cli); goto done; }
    if (all_digits(name.data) || strchr(name.data, ':')) {
        code = search_ref(cli, st, &o, name.data);
        goto done;
    }
    if (ga_key_strict(name.data, name.len, &key) || ga_key_phonetic(name.data, name.len, &pkey) ||
        ga_key_skeleton(pkey.data ? pkey.data : "", pkey.len, &skey)) {
        ga_err_set(&cli->err, GA_ENOMEM, "out of memory");
        code = ga_cli_fail(cli);
        goto done;
    }
    if (key.len == 0) {
        code = ga_cli_usage_error(&self, "'%s' has no letters or digits to search for",
                                  name.data);
        goto done;
    }
    if (ga_gaz_open(st, ga_cli_progress, cli, &g, &cli->err)) {
        code = ga_cli_fail(cli);
        goto done;
    }
    ga_cli_progress_done(cli);
    seen = calloc((size_t)ga_gaz_nplaces(g) + 1, sizeof *seen);
    if (!seen) {
        ga_err_set(&cli->err, GA_ENOMEM, "out of memory");
        code = ga_cli_fail(cli);
        goto done;
    }
    nh = ga_gaz_lookup(g, 0, key.data, key.len, &hits, NULL);
    rc = add_hits(g, hits, nh, MATCH_EXACT, &o, seen, &cands);
    if (rc == GA_OK && pkey.len) {
        nh = ga_gaz_lookup(g, 1, pkey.data, pkey.len, &hits, NULL);
        rc = add_hits(g, hits, nh, MATCH_PHONETIC, &o, seen, &cands);
    }
    /* the consonants alone only when nothing closer matched, and only in
     * the countries where the resolver would take them */
    if (rc == GA_OK && skey.len && cands.n == 0 &&
        (nh = ga_gaz_lookup(g, GA_KEY_SKELETON, skey.data, skey.len, &hits, NULL)) > 0) {
        if (ga_resolver_new(g, NULL, &res, &cli->err)) {
            code = ga_cli_fail(cli);
            goto done;
        }
        for (size_t i = 0; i < nh && rc == GA_OK; i++) {
            ga_place p;
            ga_gaz_place(g, hits[i].place, &p);
            if (ga_resolver_phonetic_country(res, p.country))
                rc = add_hits(g, &hits[i], 1, MATCH_CONSONANT, &o, seen, &cands);
        }
    }
    if (rc) {
        ga_err_set(&cli->err, rc, "out of memory");
        code = ga_cli_fail(cli);
        goto done;
    }
    if (cands.n == 0) {
        ga_err_set(&cli->err, GA_ENOTFOUND, "no place matches '%s'%s", name.data,
                   o.country[0] || o.has_kind ? " with these filters" : "");
        code = ga_cli_fail(cli);
        goto done;
    }
    code = print_candidates(cli, &o, cands.v, cands.n);
done:
    free(seen);
    ga_vec_free(&cands);
    ga_resolver_free(res);
    ga_gaz_close(g);
    ga_store_close(st);
    ga_buf_free(&key);
    ga_buf_free(&pkey);
    ga_buf_free(&skey);
    ga_buf_free(&name);
    return code;
}

/* ---- add ------------------------------------------------------------------ */

typedef struct {
    int has_lat, has_lon, has_kind;
    double lat, lon;
    ga_kind kind;
    char country[3];
    const char *admin1, *admin1_pcode, *note;
    long population;
    GA_VEC(const char *) aliases;
    int nomem;
} add_opts;

static int add_opt(int opt, const char *arg, void *ctx, const ga_cmd *self)
{
    add_opts *o = ctx;
    switch (opt) {
    case 'y':
        if (!ga_cli_parse_double(arg, &o->lat))
            return ga_cli_usage_error(self, "latitude '%s' is not a number", arg);
        o->has_lat = 1;
        return 0;
    case 'x':
        if (!ga_cli_parse_double(arg, &o->lon))
            return ga_cli_usage_error(self, "longitude '%s' is not a number", arg);
        o->has_lon = 1;
        return 0;
    case 'k':
        if (!ga_kind_parse(arg, &o->kind)) return usage_bad_kind(self, arg);
        o->has_kind = 1;
        return 0;
    case 'c':
        if (!parse_country(arg, o->country)) return usage_bad_country(self, arg);
        return 0;
    case '1': o->admin1 = arg; return 0;
    case 'P': o->admin1_pcode = arg; return 0;
    case 'n': o->note = arg; return 0;
    case 'a': {
        int rc = check_name(self, "alias", arg);
        if (rc) return rc;
        if (ga_vec_push(&o->aliases, arg)) o->nomem = 1;
        return 0;
    }
    case 'p':
        if (!ga_cli_parse_int(arg, &o->population) || o->population < 0)
            return ga_cli_usage_error(self, "population '%s' is not a whole number >= 0", arg);
        return 0;
    default: return GA_EXIT_USAGE;
    }
}

static int check_add(const ga_cmd *self, const add_opts *o)
{
    if (!o->has_lat || !o->has_lon)
        return ga_cli_usage_error(self, "missing %s (a place needs coordinates)",
                                  !o->has_lat && !o->has_lon ? "--lat and --lon"
                                  : !o->has_lat ? "--lat" : "--lon");
    if (!o->has_kind)
        return ga_cli_usage_error(self, "missing --kind (one of: country adm1 adm2 adm3 "
                                  "populated_place section area camp crossing other)");
    if (!(o->lat >= -90 && o->lat <= 90)) {
        int swapped = o->lon >= -90 && o->lon <= 90 && o->lat >= -180 && o->lat <= 180;
        return ga_cli_usage_error(self, "latitude %g is out of range (-90..90)%s", o->lat,
                                  swapped ? "; are --lat and --lon swapped?" : "");
    }
    if (!(o->lon >= -180 && o->lon <= 180))
        return ga_cli_usage_error(self, "longitude %g is out of range (-180..180)", o->lon);
    return 0;
}

/* Store the place the options describe, print its gid. */
static int add_run(ga_cli *cli, const char *name, const add_opts *o)
{
    ga_place p = {
        .name = name, .kind = o->kind, .country = o->country[0] ? o->country : NULL,
        .admin1 = o->admin1 && *o->admin1 ? o->admin1 : NULL,
        .admin1_pcode = o->admin1_pcode && *o->admin1_pcode ? o->admin1_pcode : NULL,
        .population = o->population, .lon = o->lon, .lat = o->lat,
    };
    ga_store *st = NULL;
    char *gid = NULL;
    int code = GA_EXIT_OK;
    if (!open_store(cli, &st) ||
        ga_store_curate_add(st, &p, o->note && *o->note ? o->note : NULL, o->aliases.v,
                            o->aliases.n, &gid, NULL, &cli->err)) {
        code = ga_cli_fail(cli);
    } else {
        puts(gid);
        if (!cli->quiet)
            fprintf(stderr, "added '%s' as %s (%s at lat %.5f, lon %.5f, %zu alias%s)\n", name,
                    gid, ga_kind_name(o->kind), o->lat, o->lon, o->aliases.n,
                    o->aliases.n == 1 ? "" : "es");
    }
    free(gid);
    ga_store_close(st);
    return code;
}

static int gaz_add(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer add", gaz_add, NULL, add_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"lat", required_argument, NULL, 'y'},
        {"lon", required_argument, NULL, 'x'},
        {"kind", required_argument, NULL, 'k'},
        {"country", required_argument, NULL, 'c'},
        {"admin1", required_argument, NULL, '1'},
        {"admin1-pcode", required_argument, NULL, 'P'},
        {"alias", required_argument, NULL, 'a'},
        {"note", required_argument, NULL, 'n'},
        {"population", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    add_opts o = {0};
    int code = parse_opts(argc, argv, "qh", longopts, &self, cli, add_opt, &o);
    if (code >= 0) {
        /* options already reported */
    } else if (o.nomem) {
        code = ga_cli_usage_error(&self, "out of memory");
    } else if (optind >= argc) {
        code = ga_cli_usage_error(&self, "missing NAME of the place");
    } else if (argc - optind > 1) {
        code = ga_cli_usage_error(&self, "expected one NAME, got %d words; quote a name with "
                                  "spaces: \"%s %s\"", argc - optind, argv[optind],
                                  argv[optind + 1]);
    } else if (!(code = check_name(&self, "name", argv[optind])) &&
               !(code = check_add(&self, &o))) {
        code = add_run(cli, argv[optind], &o);
    }
    ga_vec_free(&o.aliases);
    return code;
}

/* ---- alias ---------------------------------------------------------------- */

static int alias_opt(int opt, const char *arg, void *ctx, const ga_cmd *self)
{
    if (opt != 'L') return GA_EXIT_USAGE;
    size_t n = strlen(arg);
    int ok = n >= 2 && n <= 16 && isalpha((unsigned char)arg[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)arg[i]) || arg[i] == '-' || arg[i] == '_';
    if (!ok)
        return ga_cli_usage_error(self, "language '%s' is not a language code (ISO 639, "
                                  "e.g. en, ar, fr)", arg);
    *(const char **)ctx = arg;
    return 0;
}

static int gaz_alias(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer alias", gaz_alias, NULL, alias_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"lang", required_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    const char *lang = NULL;
    int code = parse_opts(argc, argv, "qh", longopts, &self, cli, alias_opt, &lang);
    if (code >= 0) return code;
    if (argc - optind != 2)
        return ga_cli_usage_error(&self, "expected PLACE and NAME, got %d argument%s; quote a "
                                  "name with spaces", argc - optind,
                                  argc - optind == 1 ? "" : "s");
    const char *ref = argv[optind], *name = argv[optind + 1];
    if ((code = check_name(&self, "name", name))) return code;
    ga_store *st = NULL;
    ga_place_row *r = NULL;
    int added = 0;
    code = GA_EXIT_OK;
    if (!open_store(cli, &st) || ga_store_place_get(st, ref, &r, &cli->err) ||
        ga_store_curate_alias(st, r->place.id, name, lang, &added, &cli->err)) {
        code = ga_cli_fail(cli);
    } else if (!cli->quiet) {
        if (added)
            fprintf(stderr, "added the name '%s' to %s (%s)\n", name, r->place.gid,
                    r->place.name);
        else
            fprintf(stderr, "'%s' is already a curated name of %s (%s); nothing to do\n", name,
                    r->place.gid, r->place.name);
    }
    ga_place_row_free(r);
    ga_store_close(st);
    return code;
}

/* ---- remove --------------------------------------------------------------- */

static int remove_opt(int opt, const char *arg, void *ctx, const ga_cmd *self)
{
    if (opt != 'f') return GA_EXIT_USAGE;
    *(int *)ctx = 1;
    return 0;
}

static int gaz_remove(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer remove", gaz_remove, NULL, remove_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int force = 0;
    int code = parse_opts(argc, argv, "qhf", longopts, &self, cli, remove_opt, &force);
    if (code >= 0) return code;
    if (argc - optind != 1)
        return ga_cli_usage_error(&self, argc == optind ? "missing PLACE (a gid or id)"
                                                        : "expected one PLACE");
    const char *ref = argv[optind];
    ga_store *st = NULL;
    ga_place_row *r = NULL;
    code = GA_EXIT_OK;
    if (!open_store(cli, &st) || ga_store_place_get(st, ref, &r, &cli->err) ||
        ga_store_curate_remove(st, r->place.id, force, &cli->err)) {
        code = ga_cli_fail(cli);
    } else if (!cli->quiet) {
        fprintf(stderr, "removed %s (%s) with %lld name%s%s\n", r->place.gid, r->place.name,
                (long long)r->nnames, r->nnames == 1 ? "" : "s",
                r->has_boundary ? " and its outline" : "");
    }
    ga_place_row_free(r);
    ga_store_close(st);
    return code;
}

/* ---- stats ---------------------------------------------------------------- */

static int print_place_group(const char *source, const char *kind, int64_t n, void *arg)
{
    printf("  %-20s %-16s %10lld\n", source, kind ? kind : "", (long long)n);
    return 1;
}

static int print_name_group(const char *kind, const char *sub, int64_t n, void *arg)
{
    printf("  %-37s %10lld\n", kind, (long long)n);
    return 1;
}

static void print_index_state(const char *db)
{
    char *idx = ga_gaz_index_path(db);
    struct stat sb;
    if (!idx) return;
    if (stat(idx, &sb) != 0) {
        printf("%-22s %s (missing; built by the next command that needs it)\n", "name index",
               idx);
    } else {
        char when[32] = "?";
        struct tm tmv;
        if (localtime_r(&sb.st_mtime, &tmv)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tmv);
        double kb = (double)sb.st_size / 1024;
        printf("%-22s %s (%.1f %s, written %s; rebuilt by the next command that needs it "
               "when the gazetteer generation has changed)\n", "name index", idx,
               kb >= 1024 ? kb / 1024 : kb, kb >= 1024 ? "MB" : "KB", when);
    }
    free(idx);
}

static int gaz_stats(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer stats", gaz_stats, NULL, stats_usage};
    static const struct option longopts[] = {GA_CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int code = parse_opts(argc, argv, "qh", longopts, &self, cli, NULL, NULL);
    if (code >= 0) return code;
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    ga_store *st = NULL;
    int64_t places = 0, names = 0, bounds = 0, cplaces = 0, cnames = 0, gen = 0;
    if (!open_store(cli, &st) ||
        ga_store_gaz_counts(st, &places, &names, &bounds, &cli->err) ||
        ga_store_curated_counts(st, &cplaces, &cnames, &cli->err) ||
        ga_store_gaz_generation(st, &gen, &cli->err)) {
        ga_store_close(st);
        return ga_cli_fail(cli);
    }
    printf("%-22s %s\n", "database", ga_store_path(st));
    printf("%-22s %lld\n", "gazetteer generation", (long long)gen);
    printf("%-22s %lld\n", "places", (long long)places);
    if (places) {
        printf("  %-20s %-16s %10s\n", "SOURCE", "KIND", "PLACES");
        if (ga_store_places_by_source(st, print_place_group, NULL, &cli->err)) goto fail;
    }
    printf("%-22s %lld\n", "names", (long long)names);
    if (names) {
        printf("  %-37s %10s\n", "KIND", "NAMES");
        if (ga_store_names_by_kind(st, print_name_group, NULL, &cli->err)) goto fail;
    }
    printf("%-22s %lld\n", "outlines", (long long)bounds);
    printf("%-22s %lld places, %lld names\n", "curated", (long long)cplaces, (long long)cnames);
    print_index_state(ga_store_path(st));
    ga_store_close(st);
    return GA_EXIT_OK;
fail:
    ga_store_close(st);
    return ga_cli_fail(cli);
}

/* ---- unresolved ----------------------------------------------------------- */

typedef struct {
    long limit;
    int format;
    int failed;            /* a row could not be written as JSON */
    GA_VEC(ga_unresolved) rows;   /* text mode: collected to align columns */
    ga_buf strs;           /* text mode: copies of the row strings */
    GA_VEC(size_t) offs;   /* text mode: text, doc_id, sentence offsets (SIZE_MAX: NULL) */
} unres_ctx;

static int unres_opt(int opt, const char *arg, void *ctx, const ga_cmd *self)
{
    unres_ctx *u = ctx;
    if (opt == 'l') return parse_limit(arg, &u->limit, self);
    if (opt == 'f') return parse_format(arg, &u->format, self);
    return GA_EXIT_USAGE;
}

static int keep_str(unres_ctx *u, const char *s)
{
    size_t off = s ? u->strs.len : SIZE_MAX;
    if (s && ga_buf_append(&u->strs, s, strlen(s) + 1)) return 0;
    return ga_vec_push(&u->offs, off) == GA_OK;
}

static int on_unresolved(const ga_unresolved *r, void *arg)
{
    unres_ctx *u = arg;
    if (u->format == FMT_JSONL) {
        json_t *o = json_object();
        if (!o) { u->failed = 1; return 0; }
        json_object_set_new(o, "text", jstr(r->text));
        json_object_set_new(o, "mentions", json_integer(r->count));
        json_object_set_new(o, "documents", json_integer(r->ndocs));
        json_object_set_new(o, "example_document", jstr(r->doc_id));
        json_object_set_new(o, "example_sentence", jstr(r->sentence));
        if (!put_json_line(o)) { u->failed = 1; return 0; }
        return 1;
    }
    ga_unresolved copy = *r;
    if (!keep_str(u, r->text) || !keep_str(u, r->doc_id) || !keep_str(u, r->sentence) ||
        ga_vec_push(&u->rows, copy)) {
        u->failed = 1;
        return 0;
    }
    return 1;
}

/* Copy s into out (size n), cut at a character boundary after at most
 * max display columns, with "..." when cut; newlines become spaces. */
static void shorten(const char *s, size_t max, char *out, size_t n)
{
    size_t len = strlen(s), o = 0, cols = 0, i = 0;
    while (i < len && o + 8 < n) {
        uint32_t cp;
        int bad;
        size_t k = ga_utf8_decode(s + i, len - i, &cp, &bad);
        if (cols >= max) break;
        if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            out[o++] = ' ';
        } else {
            memcpy(out + o, s + i, k);
            o += k;
        }
        i += k;
        cols++;
    }
    if (i < len) { memcpy(out + o, "...", 3); o += 3; }
    out[o] = 0;
}

static void print_unresolved_table(unres_ctx *u)
{
    size_t wt = strlen("NAME");
    const char *str[3];
    for (size_t i = 0; i < u->rows.n; i++) {
        size_t off = u->offs.v[3 * i];
        size_t w = display_width(off == SIZE_MAX ? "" : u->strs.data + off);
        if (w > wt) wt = w;
    }
    if (wt > 40) wt = 40;
    printf("%8s %5s  ", "MENTIONS", "DOCS");
    put_cell("NAME", wt, "  ");
    puts("EXAMPLE");
    for (size_t i = 0; i < u->rows.n; i++) {
        for (int k = 0; k < 3; k++) {
            size_t off = u->offs.v[3 * i + (size_t)k];
            str[k] = off == SIZE_MAX ? NULL : u->strs.data + off;
        }
        char name[256], ex[512];
        shorten(str[0] ? str[0] : "", 40, name, sizeof name);
        printf("%8lld %5lld  ", (long long)u->rows.v[i].count, (long long)u->rows.v[i].ndocs);
        put_cell(name, wt, "  ");
        if (str[2]) {
            shorten(str[2], 100, ex, sizeof ex);
            printf("%s%s%s\n", str[1] ? str[1] : "", str[1] ? ": " : "", ex);
        } else {
            printf("%s\n", str[1] ? str[1] : "-");
        }
    }
}

static int gaz_unresolved(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer unresolved", gaz_unresolved, NULL,
                                unresolved_usage};
    static const struct option longopts[] = {
        GA_CLI_COMMON_LONGOPTS,
        {"limit", required_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    unres_ctx u = {.limit = DEFAULT_LIMIT};
    int code = parse_opts(argc, argv, "qh", longopts, &self, cli, unres_opt, &u);
    if (code >= 0) return code;
    if (optind < argc) return ga_cli_usage_error(&self, "unexpected argument '%s'", argv[optind]);
    ga_store *st = NULL;
    code = GA_EXIT_OK;
    ga_rc rc = GA_OK;
    if (!open_store(cli, &st) ||
        ((rc = ga_store_unresolved_each(st, u.limit, on_unresolved, &u, &cli->err)) &&
         rc != GA_ECANCEL)) {
        code = ga_cli_fail(cli);
    } else if (u.failed) {
        ga_err_set(&cli->err, GA_ENOMEM, u.format == FMT_JSONL
                   ? "cannot write a name as JSON (invalid UTF-8 in the database?)"
                   : "out of memory");
        code = ga_cli_fail(cli);
    } else if (u.format == FMT_TEXT && u.rows.n) {
        print_unresolved_table(&u);
    } else if (u.format == FMT_TEXT && !cli->quiet) {
        /* on stderr: stdout stays empty for scripts */
        fprintf(stderr, "geoannot: no unresolved names: every place-like name in the "
                "stored documents matched a place\n");
    }
    ga_store_close(st);
    ga_vec_free(&u.rows);
    ga_vec_free(&u.offs);
    ga_buf_free(&u.strs);
    return code;
}

/* ---- dispatch ------------------------------------------------------------- */

static const ga_cmd subcommands[] = {
    {"search", gaz_search, "every place a name can mean", search_usage},
    {"add", gaz_add, "add a curated place", add_usage},
    {"alias", gaz_alias, "add a curated name to a place", alias_usage},
    {"remove", gaz_remove, "remove a curated place", remove_usage},
    {"stats", gaz_stats, "what the gazetteer holds", stats_usage},
    {"unresolved", gaz_unresolved, "names in documents that matched no place",
     unresolved_usage},
    {"import", cmd_gaz_import, "import GeoNames dumps, places or boundaries",
     cmd_gaz_import_usage},
    {"build-default", cmd_gaz_build, "build the default gazetteer", cmd_gaz_build_usage},
    {"update-default", cmd_gaz_update, "merge a rebuilt default gazetteer, keeping curated rows",
     cmd_gaz_update_usage},
    {NULL, NULL, NULL, NULL},
};

int cmd_gazetteer(int argc, char **argv, ga_cli *cli)
{
    static const ga_cmd self = {"gazetteer", cmd_gazetteer, NULL, cmd_gazetteer_usage};
    if (argc < 2) {
        fputs(cmd_gazetteer_usage, stderr);
        return GA_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (!strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help")) {
        if (argc > 2 && strcmp(a, "help") == 0) {
            /* geoannot gazetteer help search == geoannot gazetteer search -h */
            for (const ga_cmd *c = subcommands; c->name; c++)
                if (!strcmp(c->name, argv[2])) { fputs(c->usage, stdout); return GA_EXIT_OK; }
        }
        fputs(cmd_gazetteer_usage, stdout);
        return GA_EXIT_OK;
    }
    if (a[0] == '-')
        return ga_cli_usage_error(&self, "option '%s' goes after the subcommand, e.g. "
                                  "'geoannot gazetteer search NAME %s ...'", a, a);
    return ga_cli_dispatch("gazetteer", subcommands, argc - 1, argv + 1, cli);
}
