/*
 * place.c: names of place and name kinds (ga_place.h).
 */
#include "gaz/ga_place.h"

#include <string.h>

static const char *const kind_names[GA_KIND_COUNT] = {
    "country", "adm1", "adm2", "adm3", "populated_place",
    "section", "area", "camp", "crossing", "other",
};

static const char *const name_kind_names[GA_NAME_KIND_COUNT] = {
    "official", "ascii", "alternate", "demonym", "abbrev", "curated",
};

const char *ga_kind_name(ga_kind k)
{
    return (unsigned)k < GA_KIND_COUNT ? kind_names[k] : NULL;
}

int ga_kind_parse(const char *s, ga_kind *k)
{
    for (int i = 0; s && i < GA_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0) { *k = (ga_kind)i; return 1; }
    return 0;
}

const char *ga_name_kind_name(ga_name_kind k)
{
    return (unsigned)k < GA_NAME_KIND_COUNT ? name_kind_names[k] : NULL;
}

int ga_name_kind_parse(const char *s, ga_name_kind *k)
{
    for (int i = 0; s && i < GA_NAME_KIND_COUNT; i++)
        if (strcmp(s, name_kind_names[i]) == 0) { *k = (ga_name_kind)i; return 1; }
    return 0;
}

int ga_demonym_plural(const char *d, char *out, size_t cap)
{
    size_t n = d ? strlen(d) : 0;
    if (n < 3 || n + 2 > cap || strchr(d, ',')) return 0;
    /* the endings of world-countries' English demonyms whose plural adds
     * -s: -an, -en, -in, -er, -ar, -i, -ot, -ek, -ak, -ine, -ene, -no,
     * and Arab;
     * not -ese, -ish, -ch, -ss, -ic, -ois, ... */
    char z = d[n - 1], y = d[n - 2];
    int ok = z == 'n' || z == 'r' || z == 'i' || z == 't' || z == 'k' || z == 'b' ||
             (z == 'o' && y == 'n') || (z == 'e' && y == 'n' && d[n - 3] != 'e' &&
                                        d[n - 3] != 's');
    if (!ok) return 0;
    memcpy(out, d, n);
    out[n] = 's';
    out[n + 1] = 0;
    return 1;
}
