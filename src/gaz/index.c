/*
 * index.c: the name index (see ga_gaz.h). A file beside the database that
 * the resolver maps read-only:
 *
 *   header | place records | sorted place ids |
 *   strict slots | strict postings | strict filter |
 *   phonetic slots | phonetic postings | phonetic filter |
 *   consonant slots | consonant postings | consonant filter | string pool
 *
 * Each table is open addressing over 64-bit key hashes (ga_hash64 of the
 * name key bytes; at a million keys a false hit has odds of about 1 in
 * 10^13, so keys themselves are not stored). A slot holds the postings of
 * one key (place, name kind, words) and a flag saying the key is also the
 * word-prefix of a longer key, which lets the span finder stop extending a
 * span as soon as no name can continue it.
 *
 * Each table has a filter beside it: a blocked Bloom filter of every key
 * hash in its slots (three bits in one 64-bit word per key, about 16 bits
 * per key, so about one absent key in a hundred passes). A lookup asks the
 * filter first: most words a text asks about are in no name, and the
 * filter (a few megabytes) answers them without touching the slot table
 * (tens of megabytes, a cache and TLB miss per probe). The filter never
 * refuses a key the table holds (ga_gaz_filter_check).
 *
 * The header records the gazetteer id and generation of the database it
 * was built from; ga_gaz_open() rebuilds a stale index before use.
 */
#define _POSIX_C_SOURCE 200809L
#include "gaz/ga_gaz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/ga_store_gaz.h"
#include "text/ga_text.h"

#define IDX_MAGIC "GAIDX\0\11\0"  /* \11: Arabic كفر joined to the word after it */
#define IDX_ENDIAN 0x01020304u
#define NTABLES 3                 /* GA_KEY_STRICT, GA_KEY_PHONETIC, GA_KEY_SKELETON */
#define NO_STR 0xffffffffu

typedef struct {
    uint64_t slots_off;     /* file offset of the slot array */
    uint64_t nslots;        /* power of two */
    uint64_t postings_off;  /* file offset of the posting array */
    uint64_t npostings;
    uint64_t filter_off;    /* file offset of the key filter (uint64 words) */
    uint64_t nfilter;       /* its words; a power of two */
} idx_table;

typedef struct {
    char magic[8];
    uint32_t endian;
    uint32_t max_words;     /* longest key in words */
    int64_t generation;     /* meta gaz_generation at build time */
    char gaz_id[24];        /* meta gaz_id at build time */
    uint64_t nplaces;
    uint64_t places_off;
    uint64_t strings_off;
    uint64_t strings_len;
    uint64_t ids_off;       /* int64 ids, ascending, parallel to places */
    idx_table tables[NTABLES];   /* strict, phonetic, consonant (GA_KEY_*) */
    uint64_t file_size;
} idx_header;

typedef struct {
    int64_t id;
    double lon, lat;
    int64_t population;
    uint32_t str[10];       /* offsets in the pool: see enum below */
    uint8_t kind;
    uint8_t curated;
    uint8_t pad[6];
} idx_place;

enum { S_GID, S_NAME, S_FCODE, S_COUNTRY, S_ADMIN1, S_ADMIN1_CODE, S_ADMIN1_PCODE,
       S_ADMIN2, S_ADMIN2_PCODE, S_SOURCE };

typedef struct {
    uint64_t hash;
    uint32_t first;         /* first posting */
    uint32_t count;         /* postings; bit 31: key is a prefix of longer keys */
} idx_slot;

#define SLOT_PREFIX 0x80000000u

struct ga_gaz {
    void *map;              /* mapped file */
    size_t map_len;
    const idx_header *h;
    const idx_place *places;
    const char *strings;
    const int64_t *ids;
    const idx_slot *slots[NTABLES];
    const ga_gaz_hit *postings[NTABLES];
    uint64_t mask[NTABLES];
    const uint64_t *filter[NTABLES];
    uint64_t filter_mask[NTABLES];
};

/* ---- the key filter ----------------------------------------------------- */

/* The word of the filter holding key hash h, and the three bits of h in it
 * (from the high bits of h remixed: the slot index uses the low ones). */
static inline uint64_t filter_word(uint64_t h, uint64_t mask) { return (h >> 40) & mask; }

static inline uint64_t filter_bits(uint64_t h)
{
    uint64_t x = h * 0x9E3779B97F4A7C15ULL;
    return (1ULL << (x >> 58)) | (1ULL << ((x >> 52) & 63)) | (1ULL << ((x >> 46) & 63));
}

/* Words for nkeys keys: about 16 bits a key, at least 64 words. */
static uint64_t filter_words(uint64_t nkeys)
{
    uint64_t n = 64;
    while (n * 4 < nkeys) n *= 2;
    return n;
}

/* ---- building ----------------------------------------------------------- */

typedef struct {
    uint64_t hash;
    uint32_t place;         /* UINT32_MAX for a prefix-only entry */
    uint8_t name_kind;
    uint8_t flags;
    uint16_t nwords;
} build_entry;

typedef struct {
    uint64_t hash;
    uint32_t off;
} pool_slot;

typedef struct {
    GA_VEC(idx_place) places;
    GA_VEC(int64_t) ids;
    ga_buf strings;
    GA_VEC(build_entry) entries[NTABLES];
    ga_buf key, pkey, skey;
    unsigned max_words;
    ga_progress_fn progress;
    void *parg;
    int64_t names_seen;
    /* strings already in the pool, for the fields that repeat (codes,
     * admin names, sources): open addressing on ga_hash64, 0 = empty */
    pool_slot *dedup;
    size_t dedup_cap, dedup_n;
    ga_rc rc;
} builder;

static uint32_t pool_append(builder *b, const char *s, size_t n)
{
    uint32_t off = (uint32_t)b->strings.len;
    if (ga_buf_append(&b->strings, s, n + 1) != GA_OK) b->rc = GA_ENOMEM;
    return off;
}

/* Add s to the pool; a repeated string is stored once, so equal strings
 * of two places are the same bytes: the resolver compares country and
 * admin codes by pointer (ga_gaz.h), and the index is smaller. A failed
 * allocation fails the build (b->rc), so no index breaks this. */
static uint32_t pool_add(builder *b, const char *s, int shared)
{
    if (!s) return NO_STR;
    size_t n = strlen(s);
    if (!shared) return pool_append(b, s, n);
    if (2 * (b->dedup_n + 1) > b->dedup_cap) {
        size_t cap = b->dedup_cap ? b->dedup_cap * 2 : 4096;
        void *t = calloc(cap, sizeof *b->dedup);
        if (!t) { b->rc = GA_ENOMEM; return pool_append(b, s, n); }
        pool_slot *nt = t;
        for (size_t i = 0; i < b->dedup_cap; i++) {
            if (!b->dedup[i].hash) continue;
            size_t j = b->dedup[i].hash & (cap - 1);
            while (nt[j].hash) j = (j + 1) & (cap - 1);
            nt[j] = b->dedup[i];
        }
        free(b->dedup);
        b->dedup = nt;
        b->dedup_cap = cap;
    }
    uint64_t h = ga_hash64(s, n) | 1;
    size_t j = h & (b->dedup_cap - 1);
    for (; b->dedup[j].hash; j = (j + 1) & (b->dedup_cap - 1))
        if (b->dedup[j].hash == h && !strcmp(b->strings.data + b->dedup[j].off, s))
            return b->dedup[j].off;
    uint32_t off = pool_append(b, s, n);
    b->dedup[j].hash = h;
    b->dedup[j].off = off;
    b->dedup_n++;
    return off;
}

static int on_place(const ga_place *p, void *arg)
{
    builder *b = arg;
    idx_place r;
    memset(&r, 0, sizeof r);
    r.id = p->id;
    r.lon = p->lon;
    r.lat = p->lat;
    r.population = p->population;
    r.kind = (uint8_t)p->kind;
    r.curated = (uint8_t)p->curated;
    const char *strs[10] = {p->gid, p->name, p->feature_code, p->country, p->admin1,
                            p->admin1_code, p->admin1_pcode, p->admin2, p->admin2_pcode,
                            p->source};
    for (int i = 0; i < 10; i++) r.str[i] = pool_add(b, strs[i], i != S_GID && i != S_NAME);
    if (ga_vec_push(&b->places, r) || ga_vec_push(&b->ids, p->id)) b->rc = GA_ENOMEM;
    return b->rc == GA_OK;
}

static uint32_t find_place(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && ids[lo] == id ? (uint32_t)lo : UINT32_MAX;
}

static int is_arabic_name(const char *s)
{
    /* Arabic block U+0600..U+06FF is encoded with lead bytes 0xD8..0xDB. */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0xD8 && c <= 0xDB) return 1;
    }
    return 0;
}

/* Add the key in k (space-separated words) and its word prefixes. */
static void add_key(builder *b, int table, const char *k, size_t n, uint32_t place,
                    uint8_t name_kind, uint8_t flags)
{
    if (n == 0) return;
    unsigned words = 1;
    for (size_t i = 0; i < n; i++) {
        if (k[i] != ' ') continue;
        build_entry pe = {ga_hash64(k, i), UINT32_MAX, 0, 0, (uint16_t)words};
        if (ga_vec_push(&b->entries[table], pe)) b->rc = GA_ENOMEM;
        words++;
    }
    if (words > 64) return;   /* not a name anyone writes in running text */
    if (words > b->max_words) b->max_words = words;
    build_entry e = {ga_hash64(k, n), place, name_kind, flags, (uint16_t)words};
    if (ga_vec_push(&b->entries[table], e)) b->rc = GA_ENOMEM;
}

/* 2 to 6 ASCII capitals and nothing else. */
static int is_caps_abbrev(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (s[n] < 'A' || s[n] > 'Z' || n >= 6) return 0;
    return n >= 2;
}

static void add_name(builder *b, uint32_t place, const char *name, ga_name_kind kind)
{
    if (!name || !*name) return;
    uint8_t flags = is_arabic_name(name) ? GA_HIT_ARABIC : 0;
    ga_buf_reset(&b->key);
    if (ga_key_strict(name, strlen(name), &b->key) != GA_OK) { b->rc = GA_ENOMEM; return; }
    add_key(b, 0, b->key.data, b->key.len, place, (uint8_t)kind, flags);
    ga_buf_reset(&b->pkey);
    if (ga_key_phonetic(name, strlen(name), &b->pkey) != GA_OK) { b->rc = GA_ENOMEM; return; }
    add_key(b, 1, b->pkey.data, b->pkey.len, place, (uint8_t)kind, flags | GA_HIT_PHONETIC);
    /* Arabic script has no written short vowels to drop */
    if (flags & GA_HIT_ARABIC) return;
    ga_buf_reset(&b->skey);
    if (ga_key_skeleton(b->pkey.data, b->pkey.len, &b->skey) != GA_OK) { b->rc = GA_ENOMEM; return; }
    add_key(b, GA_KEY_SKELETON, b->skey.data, b->skey.len, place, (uint8_t)kind,
            flags | GA_HIT_PHONETIC | GA_HIT_SKELETON);
}

static int on_name(int64_t place_id, const char *name, const char *lang, const char *kind,
                   void *arg)
{
    builder *b = arg;
    uint32_t i = find_place(b->ids.v, b->ids.n, place_id);
    if (i == UINT32_MAX) return 1;
    ga_name_kind nk;
    if (!ga_name_kind_parse(kind, &nk)) nk = GA_NAME_ALTERNATE;
    /* an alternate name written in capitals ("UAE", "DPRK", "NYC") is an
     * abbreviation, which is what an all-capitals word in a text may match */
    if (nk == GA_NAME_ALTERNATE && is_caps_abbrev(name)) nk = GA_NAME_ABBREV;
    add_name(b, i, name, nk);
    if (b->progress && (++b->names_seen & 0xffff) == 0 &&
        !b->progress(-1, "indexing names", b->parg))
        b->rc = GA_ECANCEL;
    return b->rc == GA_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    const build_entry *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    if (x->place != y->place) return x->place < y->place ? -1 : 1;
    if (x->name_kind != y->name_kind) return x->name_kind < y->name_kind ? -1 : 1;
    return 0;
}

/* Sort and group the entries of one table into slots and postings, and
 * fill its key filter. */
static ga_rc finish_table(build_entry *e, size_t n, idx_slot **slots_out, uint64_t *nslots_out,
                          ga_gaz_hit **post_out, uint64_t *npost_out, uint64_t **filter_out,
                          uint64_t *nfilter_out)
{
    qsort(e, n, sizeof *e, cmp_entry);
    size_t nkeys = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || e[i].hash != e[i - 1].hash) nkeys++;
    uint64_t nslots = 16;
    while (nslots < nkeys * 2) nslots *= 2;
    uint64_t nfilter = filter_words(nkeys);
    idx_slot *slots = calloc(nslots, sizeof *slots);
    ga_gaz_hit *post = malloc((n ? n : 1) * sizeof *post);
    uint64_t *filter = calloc(nfilter, sizeof *filter);
    if (!slots || !post || !filter) { free(slots); free(post); free(filter); return GA_ENOMEM; }
    uint64_t np = 0, mask = nslots - 1;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        uint32_t first = (uint32_t)np, count = 0, prefix = 0;
        for (; j < n && e[j].hash == e[i].hash; j++) {
            if (e[j].place == UINT32_MAX) { prefix = SLOT_PREFIX; continue; }
            /* one posting per place: the best (lowest) name kind wins */
            if (count && post[np - 1].place == e[j].place) continue;
            post[np].place = e[j].place;
            post[np].name_kind = e[j].name_kind;
            post[np].flags = e[j].flags;
            post[np].nwords = e[j].nwords;
            np++;
            count++;
        }
        uint64_t s = e[i].hash & mask;
        while (slots[s].hash || slots[s].count) s = (s + 1) & mask;
        slots[s].hash = e[i].hash;
        slots[s].first = first;
        slots[s].count = count | prefix;
        filter[filter_word(e[i].hash, nfilter - 1)] |= filter_bits(e[i].hash);
        i = j;
    }
    *filter_out = filter;
    *nfilter_out = nfilter;
    *slots_out = slots;
    *nslots_out = nslots;
    *post_out = post;
    *npost_out = np;
    return GA_OK;
}

static ga_rc write_all(FILE *f, const void *p, size_t n)
{
    return n == 0 || fwrite(p, 1, n, f) == n ? GA_OK : GA_EIO;
}

static ga_rc read_identity(ga_store *st, int64_t *gen, char id[24], ga_err *err)
{
    char *v = NULL;
    ga_rc rc = ga_store_gaz_generation(st, gen, err);
    if (rc) return rc;
    memset(id, 0, 24);
    if (ga_store_meta_get(st, "gaz_id", &v, NULL) == GA_OK && v)
        snprintf(id, 24, "%s", v);
    free(v);
    return GA_OK;
}

ga_rc ga_gaz_index_build(ga_store *st, const char *idx_path, ga_progress_fn progress,
                         void *parg, ga_err *err)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.progress = progress;
    b.parg = parg;
    idx_header h;
    memset(&h, 0, sizeof h);
    idx_slot *slots[NTABLES] = {NULL};
    ga_gaz_hit *post[NTABLES] = {NULL};
    uint64_t *filter[NTABLES] = {NULL};
    char *tmp = NULL;
    FILE *f = NULL;
    ga_rc rc;

    if ((rc = read_identity(st, &h.generation, h.gaz_id, err))) goto done;
    if (progress) progress(-1, "reading places", parg);
    rc = ga_store_places_each(st, on_place, &b, err);
    if (!rc && b.rc) rc = b.rc;
    if (rc) goto done;
    /* Countries carry no population in their sources: give each the sum of
     * its populated places, so that the prior can weigh "Georgia" the
     * country against others by size. */
    {
        static int64_t sums[26][26];
        memset(sums, 0, sizeof sums);
        for (size_t i = 0; i < b.places.n; i++) {
            const idx_place *pl = &b.places.v[i];
            const char *cc = pl->str[S_COUNTRY] == NO_STR ? NULL : b.strings.data + pl->str[S_COUNTRY];
            if (pl->kind != GA_KIND_PPL || !cc || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' ||
                cc[1] > 'Z' || cc[2])
                continue;
            sums[cc[0] - 'A'][cc[1] - 'A'] += pl->population;
        }
        for (size_t i = 0; i < b.places.n; i++) {
            idx_place *pl = &b.places.v[i];
            const char *cc = pl->str[S_COUNTRY] == NO_STR ? NULL : b.strings.data + pl->str[S_COUNTRY];
            if (pl->kind != GA_KIND_COUNTRY || pl->population > 0 || !cc || cc[0] < 'A' ||
                cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' || cc[2])
                continue;
            pl->population = sums[cc[0] - 'A'][cc[1] - 'A'];
        }
    }
    /* First-level areas likewise: the sum of the populated places that
     * carry their admin1 code. */
    {
        size_t cap = 16384, mask = cap - 1, used = 0;
        uint64_t *keys = calloc(cap, sizeof *keys);
        int64_t *sums = calloc(cap, sizeof *sums);
        if (!keys || !sums) { free(keys); free(sums); rc = GA_ENOMEM; goto done; }
        for (int round = 0; round < 2; round++) {
            for (size_t i = 0; i < b.places.n; i++) {
                idx_place *pl = &b.places.v[i];
                uint32_t off = pl->str[S_ADMIN1_CODE];
                if (off == NO_STR) continue;
                if (round == 0 ? pl->kind != GA_KIND_PPL
                               : (pl->kind != GA_KIND_ADM1 || pl->population > 0))
                    continue;
                const char *code = b.strings.data + off;
                uint64_t hk = ga_hash64(code, strlen(code)) | 1;
                size_t k = hk & mask;
                while (keys[k] && keys[k] != hk) k = (k + 1) & mask;
                if (round == 0) {
                    if (!keys[k]) {
                        if (used * 2 > cap) continue;   /* table full: leave the rest at 0 */
                        used++;
                        keys[k] = hk;
                    }
                    sums[k] += pl->population;
                } else if (keys[k] == hk) {
                    pl->population = sums[k];
                }
            }
        }
        free(keys);
        free(sums);
    }
    /* The preferred name always counts, whether or not a names row has it. */
    for (size_t i = 0; i < b.places.n; i++)
        add_name(&b, (uint32_t)i, b.strings.data + b.places.v[i].str[S_NAME], GA_NAME_OFFICIAL);
    rc = ga_store_names_each(st, on_name, &b, err);
    if (!rc && b.rc) rc = b.rc;
    if (rc) goto done;
    if (progress) progress(-1, "sorting name keys", parg);
    for (int t = 0; t < NTABLES; t++) {
        if ((rc = finish_table(b.entries[t].v, b.entries[t].n, &slots[t], &h.tables[t].nslots,
                               &post[t], &h.tables[t].npostings, &filter[t],
                               &h.tables[t].nfilter)))
            goto done;
    }

    memcpy(h.magic, IDX_MAGIC, 8);
    h.endian = IDX_ENDIAN;
    h.max_words = b.max_words;
    h.nplaces = b.places.n;
    uint64_t off = sizeof h;
    h.places_off = off;  off += b.places.n * sizeof(idx_place);
    h.ids_off = off;     off += b.ids.n * sizeof(int64_t);
    for (int t = 0; t < NTABLES; t++) {
        h.tables[t].slots_off = off;    off += h.tables[t].nslots * sizeof(idx_slot);
        h.tables[t].postings_off = off; off += h.tables[t].npostings * sizeof(ga_gaz_hit);
        h.tables[t].filter_off = off;   off += h.tables[t].nfilter * sizeof(uint64_t);
    }
    h.strings_off = off;
    h.strings_len = b.strings.len;
    off += b.strings.len;
    h.file_size = off;

    size_t tl = strlen(idx_path) + 32;
    tmp = malloc(tl);
    if (!tmp) { rc = GA_ENOMEM; goto done; }
    snprintf(tmp, tl, "%s.tmp%ld", idx_path, (long)getpid());
    f = fopen(tmp, "wb");
    if (!f) {
        rc = ga_err_set(err, GA_EIO, "cannot write name index '%s': %s", tmp, strerror(errno));
        goto done;
    }
    rc = write_all(f, &h, sizeof h);
    if (!rc) rc = write_all(f, b.places.v, b.places.n * sizeof(idx_place));
    if (!rc) rc = write_all(f, b.ids.v, b.ids.n * sizeof(int64_t));
    for (int t = 0; t < NTABLES && !rc; t++) {
        rc = write_all(f, slots[t], h.tables[t].nslots * sizeof(idx_slot));
        if (!rc) rc = write_all(f, post[t], h.tables[t].npostings * sizeof(ga_gaz_hit));
        if (!rc) rc = write_all(f, filter[t], h.tables[t].nfilter * sizeof(uint64_t));
    }
    if (!rc) rc = write_all(f, b.strings.data, b.strings.len);
    if (fclose(f) != 0 && !rc) rc = GA_EIO;
    f = NULL;
    if (rc) {
        ga_err_set(err, GA_EIO, "cannot write name index '%s': %s", tmp, strerror(errno));
        remove(tmp);
        goto done;
    }
    if (rename(tmp, idx_path) != 0) {
        rc = ga_err_set(err, GA_EIO, "cannot write name index '%s': %s", idx_path,
                        strerror(errno));
        remove(tmp);
    }
done:
    if (rc == GA_ENOMEM) ga_err_set(err, rc, "out of memory building the name index");
    if (rc == GA_ECANCEL) ga_err_set(err, rc, "name index build cancelled");
    if (f) fclose(f);
    free(tmp);
    for (int t = 0; t < NTABLES; t++) {
        free(slots[t]);
        free(post[t]);
        free(filter[t]);
        ga_vec_free(&b.entries[t]);
    }
    ga_vec_free(&b.places);
    ga_vec_free(&b.ids);
    free(b.dedup);
    ga_buf_free(&b.strings);
    ga_buf_free(&b.key);
    ga_buf_free(&b.pkey);
    ga_buf_free(&b.skey);
    return rc;
}

/* ---- opening ------------------------------------------------------------ */

char *ga_gaz_index_path(const char *db_path)
{
    size_t n = strlen(db_path) + 5;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s.idx", db_path);
    return p;
}

ga_rc ga_gaz_index_copy(const char *src_db, const char *dst_db, ga_err *err)
{
    char *src = ga_gaz_index_path(src_db), *dst = ga_gaz_index_path(dst_db);
    ga_rc rc = GA_OK;
    if (!src || !dst) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    else if (access(src, R_OK) == 0) rc = ga_copy_file(src, dst, err);
    else remove(dst);
    free(src);
    free(dst);
    return rc;
}

/* Map path and check it; returns GA_ENOTFOUND/GA_EFORMAT when it cannot be
 * used as is (the caller then rebuilds). */
static ga_rc map_index(const char *path, ga_gaz **out)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return GA_ENOTFOUND;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || (size_t)sb.st_size < sizeof(idx_header)) {
        close(fd);
        return GA_EFORMAT;
    }
    void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (m == MAP_FAILED) return GA_EIO;
    const idx_header *h = m;
    if (memcmp(h->magic, IDX_MAGIC, 8) != 0 || h->endian != IDX_ENDIAN ||
        h->file_size != (uint64_t)sb.st_size) {
        munmap(m, (size_t)sb.st_size);
        return GA_EFORMAT;
    }
    ga_gaz *g = calloc(1, sizeof *g);
    if (!g) { munmap(m, (size_t)sb.st_size); return GA_ENOMEM; }
    const char *base = m;
    g->map = m;
    g->map_len = (size_t)sb.st_size;
    g->h = h;
    g->places = (const idx_place *)(base + h->places_off);
    g->ids = (const int64_t *)(base + h->ids_off);
    g->strings = base + h->strings_off;
    for (int t = 0; t < NTABLES; t++) {
        g->slots[t] = (const idx_slot *)(base + h->tables[t].slots_off);
        g->postings[t] = (const ga_gaz_hit *)(base + h->tables[t].postings_off);
        g->mask[t] = h->tables[t].nslots - 1;
        g->filter[t] = (const uint64_t *)(base + h->tables[t].filter_off);
        g->filter_mask[t] = h->tables[t].nfilter - 1;
    }
    *out = g;
    return GA_OK;
}

ga_rc ga_gaz_open(ga_store *st, ga_progress_fn progress, void *parg, ga_gaz **out,
                  ga_err *err)
{
    *out = NULL;
    int64_t gen = 0;
    char id[24];
    ga_rc rc = read_identity(st, &gen, id, err);
    if (rc) return rc;
    char *path = ga_gaz_index_path(ga_store_path(st));
    if (!path) return ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_gaz *g = NULL;
    if (map_index(path, &g) == GA_OK) {
        if (g->h->generation == gen && strncmp(g->h->gaz_id, id, 24) == 0) {
            free(path);
            *out = g;
            return GA_OK;
        }
        ga_gaz_close(g);
        g = NULL;
    }
    /* Missing or stale: rebuild beside the database, or in a temporary
     * file when the database directory is not writable. */
    rc = ga_gaz_index_build(st, path, progress, parg, err);
    if (rc == GA_EIO) {
        const char *tmpdir = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/geoannot-idx-%ld", tmpdir && *tmpdir ? tmpdir : "/tmp",
                 (long)getpid());
        free(path);
        path = ga_strdup(tmpl);
        ga_err_clear(err);
        rc = path ? ga_gaz_index_build(st, path, progress, parg, err) : GA_ENOMEM;
        if (rc == GA_OK) {
            rc = map_index(path, &g);
            remove(path);   /* the mapping stays valid */
            free(path);
            if (rc) return ga_err_set(err, rc, "cannot map the name index");
            *out = g;
            return GA_OK;
        }
    }
    if (rc == GA_OK) {
        rc = map_index(path, &g);
        if (rc) ga_err_set(err, rc, "cannot map the name index '%s'", path);
    }
    free(path);
    if (rc == GA_OK) *out = g;
    return rc;
}

void ga_gaz_close(ga_gaz *g)
{
    if (!g) return;
    munmap(g->map, g->map_len);
    free(g);
}

uint32_t ga_gaz_nplaces(const ga_gaz *g) { return (uint32_t)g->h->nplaces; }
unsigned ga_gaz_max_words(const ga_gaz *g) { return g->h->max_words; }

static const char *str_at(const ga_gaz *g, uint32_t off)
{
    return off == NO_STR || off >= g->h->strings_len ? NULL : g->strings + off;
}

void ga_gaz_place(const ga_gaz *g, uint32_t i, ga_place *out)
{
    const idx_place *r = &g->places[i];
    memset(out, 0, sizeof *out);
    out->id = r->id;
    out->lon = r->lon;
    out->lat = r->lat;
    out->population = r->population;
    out->kind = (ga_kind)r->kind;
    out->curated = r->curated;
    out->gid = str_at(g, r->str[S_GID]);
    out->name = str_at(g, r->str[S_NAME]);
    out->feature_code = str_at(g, r->str[S_FCODE]);
    out->country = str_at(g, r->str[S_COUNTRY]);
    out->admin1 = str_at(g, r->str[S_ADMIN1]);
    out->admin1_code = str_at(g, r->str[S_ADMIN1_CODE]);
    out->admin1_pcode = str_at(g, r->str[S_ADMIN1_PCODE]);
    out->admin2 = str_at(g, r->str[S_ADMIN2]);
    out->admin2_pcode = str_at(g, r->str[S_ADMIN2_PCODE]);
    out->source = str_at(g, r->str[S_SOURCE]);
}

uint32_t ga_gaz_find_id(const ga_gaz *g, int64_t id)
{
    return find_place(g->ids, g->h->nplaces, id);
}

size_t ga_gaz_lookup(const ga_gaz *g, int table, const char *key, size_t n,
                     const ga_gaz_hit **hits, int *is_prefix)
{
    *hits = NULL;
    if (is_prefix) *is_prefix = 0;
    if (n == 0) return 0;
    return ga_gaz_lookup_hash(g, table, ga_hash64(key, n), hits, is_prefix);
}

int ga_gaz_maybe_key(const ga_gaz *g, int table, uint64_t hash)
{
    int t = table > 0 && table < NTABLES ? table : 0;
    uint64_t bits = filter_bits(hash);
    return (g->filter[t][filter_word(hash, g->filter_mask[t])] & bits) == bits;
}

uint64_t ga_gaz_filter_check(const ga_gaz *g)
{
    uint64_t refused = 0;
    for (int t = 0; t < NTABLES; t++)
        for (uint64_t s = 0; s <= g->mask[t]; s++) {
            const idx_slot *sl = &g->slots[t][s];
            if ((sl->hash || sl->count) && !ga_gaz_maybe_key(g, t, sl->hash)) refused++;
        }
    return refused;
}

size_t ga_gaz_lookup_hash(const ga_gaz *g, int table, uint64_t hash, const ga_gaz_hit **hits,
                          int *is_prefix)
{
    int t = table > 0 && table < NTABLES ? table : 0;
    uint64_t mask = g->mask[t];
    const idx_slot *slots = g->slots[t];
    *hits = NULL;
    if (is_prefix) *is_prefix = 0;
    if (!ga_gaz_maybe_key(g, t, hash)) return 0;   /* surely absent */
    for (uint64_t s = hash & mask;; s = (s + 1) & mask) {
        const idx_slot *sl = &slots[s];
        if (sl->hash == 0 && sl->count == 0) return 0;
        if (sl->hash == hash) {
            if (is_prefix) *is_prefix = (sl->count & SLOT_PREFIX) != 0;
            size_t c = sl->count & ~SLOT_PREFIX;
            *hits = c ? g->postings[t] + sl->first : NULL;
            return c;
        }
    }
}
