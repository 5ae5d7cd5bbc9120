/*
 * ga_place.h: the place record shared by the gazetteer, the store and the
 * resolver. Plain data, no functions beyond kind names. Coordinates are
 * (lon, lat) in WGS 84 degrees.
 */
#ifndef GA_PLACE_H
#define GA_PLACE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    GA_KIND_COUNTRY = 0,
    GA_KIND_ADM1,
    GA_KIND_ADM2,
    GA_KIND_ADM3,
    GA_KIND_PPL,        /* "populated_place": city, town, village */
    GA_KIND_SECTION,    /* neighbourhood or district of a city */
    GA_KIND_AREA,       /* named area: Eastern Ghouta, Houla, Qalamoun */
    GA_KIND_CAMP,
    GA_KIND_CROSSING,
    GA_KIND_OTHER,
    GA_KIND_COUNT
} ga_kind;

/* How a name belongs to a place. */
typedef enum {
    GA_NAME_OFFICIAL = 0,  /* the preferred name */
    GA_NAME_ASCII,         /* GeoNames asciiname */
    GA_NAME_ALTERNATE,     /* any other spelling */
    GA_NAME_DEMONYM,       /* "Turkish" for Turkey */
    GA_NAME_ABBREV,        /* ISO codes, "US", "UK" */
    GA_NAME_CURATED,       /* added by a curator or the curated supplement */
    GA_NAME_KIND_COUNT
} ga_name_kind;

typedef struct {
    int64_t id;                 /* places.id */
    const char *gid;            /* geonames:170018 ... */
    const char *name;           /* preferred name */
    ga_kind kind;
    const char *feature_code;   /* may be NULL */
    const char *country;        /* ISO alpha-2, may be NULL */
    const char *admin1;         /* may be NULL */
    const char *admin1_code;    /* GeoNames code (SY.11), may be NULL */
    const char *admin1_pcode;   /* OCHA (SY04), may be NULL */
    const char *admin2;
    const char *admin2_pcode;
    int64_t population;
    double lon, lat;            /* degrees */
    const char *source;
    int curated;
    const char *alt_names;      /* packed alternate names, comma-separated as in
                                   GeoNames dumps (one column instead of a names row
                                   each: imports stay fast), or NULL */
} ga_place;

/* "country", "adm1", ..., "populated_place"; NULL for an invalid kind. */
const char *ga_kind_name(ga_kind k);
/* Parse a kind name; returns 0 and leaves *k when unknown. */
int ga_kind_parse(const char *s, ga_kind *k);
const char *ga_name_kind_name(ga_name_kind k);
int ga_name_kind_parse(const char *s, ga_name_kind *k);
/* The plural of an English demonym that takes a plain -s ("Syrian" ->
 * "Syrians", "Iraqi" -> "Iraqis", "Icelander", "Cypriot", "Greek",
 * "Filipino") into out; 0 for those that do not ("Lebanese", "British",
 * "French", "Swiss") or that do not fit. */
int ga_demonym_plural(const char *demonym, char *out, size_t cap);

#endif
