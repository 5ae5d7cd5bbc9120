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
