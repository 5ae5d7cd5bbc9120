/*
 * filters.h: the filter options shared by `query` and `export`, so both
 * commands accept the same spellings and report the same usage errors.
 * Splice GA_FILTER_LONGOPTS into a command's getopt_long table, pass each
 * option to ga_cli_filter_opt(), then call ga_cli_filter_prepare() once
 * the database is open.
 *
 *   --in REGION        governorate/district name (any spelling the gazetteer
 *                      knows), OCHA P-code (SY04, SY0404) or ISO 3166-2 code
 *   --bbox W,S,E,N     degrees, lon/lat
 *   --near PLACE       place name, gid (geonames:163345) or lon,lat
 *   --within DIST      distance from --near: 25km (default), 500m, 10mi
 *   --from/--to DATE   YYYY-MM-DD, inclusive
 *   --type T, --status S, --min-precision N, --limit N
 */
#ifndef GA_CLI_FILTERS_H
#define GA_CLI_FILTERS_H

#include "cli.h"
#include "store/ga_store.h"
#include "store/ga_store_query.h"

/* getopt_long values of the filter options (outside the char range). */
enum {
    GA_OPT_IN = 0x1100,
    GA_OPT_BBOX,
    GA_OPT_NEAR,
    GA_OPT_WITHIN,
    GA_OPT_FROM,
    GA_OPT_TO,
    GA_OPT_TYPE,
    GA_OPT_STATUS,
    GA_OPT_MIN_PRECISION,
    GA_OPT_LIMIT
};

#define GA_FILTER_LONGOPTS                                               \
    {"in", required_argument, NULL, GA_OPT_IN},                          \
    {"bbox", required_argument, NULL, GA_OPT_BBOX},                      \
    {"near", required_argument, NULL, GA_OPT_NEAR},                      \
    {"within", required_argument, NULL, GA_OPT_WITHIN},                  \
    {"from", required_argument, NULL, GA_OPT_FROM},                      \
    {"to", required_argument, NULL, GA_OPT_TO},                          \
    {"type", required_argument, NULL, GA_OPT_TYPE},                      \
    {"status", required_argument, NULL, GA_OPT_STATUS},                  \
    {"min-precision", required_argument, NULL, GA_OPT_MIN_PRECISION},    \
    {"limit", required_argument, NULL, GA_OPT_LIMIT}

/* The options' lines for a command's usage text (a string literal, so a
 * command's usage can splice it in at compile time). */
#define GA_CLI_FILTER_HELP                                                            \
    "filters (all optional, combined with AND):\n"                                    \
    "  --in REGION         governorate or district: a name in any spelling the\n"     \
    "                      gazetteer knows (Homs, Hims, \u062D\u0645\u0635), an OCHA P-code (SY04,\n" \
    "                      SY0404) or an ISO 3166-2 code; uses the area's outline\n"  \
    "  --bbox W,S,E,N      bounding box in degrees (lon/lat), edges included\n"        \
    "  --near PLACE        a place name, a gid (geonames:163345) or lon,lat\n"         \
    "  --within DIST       distance from --near with a unit: m, km or mi (default 25km)\n" \
    "  --from DATE         on or after DATE (YYYY-MM-DD)\n"                            \
    "  --to DATE           on or before DATE (YYYY-MM-DD)\n"                           \
    "  --type TYPE         event type: forced_displacement, evacuation, flight,\n"     \
    "                      siege, return, protest\n"                                   \
    "  --status STATUS     reported, threatened or denied\n"                           \
    "  --min-precision N   keep geo precision N or better (1 town, 2 district or\n"    \
    "                      area, 3 governorate)\n"                                     \
    "  --limit N           at most N rows (or groups)\n"
extern const char ga_cli_filter_help[];

/* Handle option opt (from getopt_long, argument optarg) if it is a filter
 * option. Returns 1 when handled, 0 when opt is not a filter option, and
 * -1 on a bad value, after printing the usage error (exit code 2) for
 * cmd. f must be zeroed before the first call. */
int ga_cli_filter_opt(ga_filter *f, int opt, const char *arg, const ga_cmd *cmd);

/* Checks across options (--within without --near, --from after --to);
 * prints the usage error and returns 0 on failure. */
int ga_cli_filter_check(const ga_filter *f, const ga_cmd *cmd);

/* Resolve the filter against the open database: a --near name through the
 * gazetteer's name index (spellings, homonyms: an ambiguous name fails
 * with the candidates' gids), then ga_filter_prepare(). Prints a note on
 * stderr when a region name also fits other areas (unless quiet). On
 * failure cli->err holds the message. f->near may be replaced by a gid
 * kept in a buffer owned by this module until the process ends. */
ga_rc ga_cli_filter_prepare(ga_cli *cli, ga_store *st, ga_filter *f);

#endif
