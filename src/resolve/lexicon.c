/*
 * lexicon.c: the resolver's data files: weights (resolver.conf), cue words
 * (cues.tsv) and the English word list that keeps common words out
 * (Debian's wamerican, /usr/share/dict/american-english). Each loader
 * names the file and line of anything it cannot read.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include "resolve/resolve_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <langinfo.h>
#include <locale.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <dirent.h>

/* ---- a set of 64-bit word hashes with a small value ------------------- */

/* The sets' hash: eight bytes at a time (words are short), mixed as
 * SplitMix64 does. Only these in-memory tables use it; the name index
 * keeps ga_hash64, which its file format fixes. */
static inline uint64_t ws_hash(const char *w, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n > 8) {
        uint64_t v;
        memcpy(&v, w, 8);
        h = (h ^ v) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        w += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, w, n);
    h = (h ^ v) * 0x94D049BB133111EBULL;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return h;
}

ga_rc ga_wordset_init(ga_wordset *s, size_t expect)
{
    size_t n = 64;
    while (n < expect * 2) n *= 2;
    s->slots = ga_table_alloc(n, sizeof *s->slots);
    s->mask = n - 1;
    return s->slots ? GA_OK : GA_ENOMEM;
}

void ga_wordset_free(ga_wordset *s)
{
    if (s->slots) ga_table_free(s->slots, s->mask + 1, sizeof *s->slots);
    memset(s, 0, sizeof *s);
}

void ga_wordset_or(ga_wordset *s, const char *w, size_t n, unsigned val)
{
    uint64_t h = ws_hash(w, n) | 1;
    for (size_t i = h & s->mask;; i = (i + 1) & s->mask) {
        if (s->slots[i].hash == h) { s->slots[i].val |= val; return; }
        if (s->slots[i].hash == 0) {
            if (s->used * 2 >= s->mask) return;   /* full: ignore (never at our sizes) */
            s->slots[i].hash = h;
            s->slots[i].val = val;
            s->used++;
            return;
        }
    }
}

unsigned ga_wordset_get(const ga_wordset *s, const char *w, size_t n)
{
    if (!s->slots) return 0;
    uint64_t h = ws_hash(w, n) | 1;
    for (size_t i = h & s->mask;; i = (i + 1) & s->mask) {
        if (s->slots[i].hash == h) return s->slots[i].val;
        if (s->slots[i].hash == 0) return 0;
    }
}

/* ---- files ------------------------------------------------------------- */

const char *ga_resolver_data_dir(void)
{
    static char path[4096];
    const char *env = getenv("GEOANNOT_DATA");
    if (env && *env) return env;
    static const char *const rel[] = {"../gazetteer/lexicon", "../../gazetteer/lexicon",
                                      "../share/geoannot/lexicon"};
    if (ga_find_near_exe(rel, sizeof rel / sizeof rel[0], "resolver.conf", path, sizeof path))
        return path;
#ifdef GA_SOURCE_DIR
    return GA_SOURCE_DIR "/gazetteer/lexicon";
#else
    return "gazetteer/lexicon";
#endif
}

static FILE *open_data(const char *dir, const char *name, char *path, size_t pathlen,
                       ga_err *err)
{
    snprintf(path, pathlen, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) ga_err_set(err, GA_EIO, "cannot open resolver data '%s': %s", path, strerror(errno));
    return f;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* The weights, by name, with their offsets in ga_weights. */
static const struct { const char *name; size_t off; } weight_names[] = {
#define W(f) {#f, offsetof(ga_weights, f)}
    W(pop_weight), W(kind_country), W(kind_adm1), W(kind_adm2), W(kind_area),
    W(kind_section), W(kind_other), W(fcode_pplc), W(fcode_ppla), W(fcode_ppla2),
    W(fcode_historic), W(name_alternate), W(name_curated), W(name_abbrev), W(phonetic),
    W(focus_country), W(context_admin), W(cue_admin), W(cue_town), W(coherence_25km),
    W(coherence_100km), W(coherence_500km), W(recognise_min), W(common_word), W(common_word_midsentence),
    W(locative_before), W(cue_evidence), W(multiword), W(arabic), W(larger_name),
    W(phonetic_evidence), W(org_name), W(admin_in_text), W(abbrev_min_population),
    W(name_shadowed), W(adm1_namesake_country), W(focus_admin1), W(focus_admin1_min),
    W(focus_admin1_lead), W(given_name), W(common_alternate), W(bare_adm1), W(surname), W(named_person),
    W(proper_village), W(proper_village_max_population), W(proper_town_abroad_max_population),
    W(skeleton), W(area_namesake_min_population),
    W(dual_word), W(dual_word_max_population), W(area_after_the), W(seat_unknown_population),
    W(according_to), W(country_name_alternate), W(phonetic_part),
    W(outside_area_max_population), W(area_of_town),
#undef W
};

static ga_rc load_weights(ga_resolver *r, const char *dir, ga_err *err)
{
    char path[PATH_MAX], line[512];
    FILE *f = open_data(dir, "resolver.conf", path, sizeof path, err);
    if (!f) return GA_EIO;
    long lineno = 0;
    ga_rc rc = GA_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line);
        if (!*s) continue;
        char *eq = strchr(s, '=');
        if (!eq) { rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: expected 'name = value'", path, lineno); break; }
        *eq = 0;
        char *name = trim(s), *val = trim(eq + 1), *end = NULL;
        double v = strtod(val, &end);
        if (end == val || *end) { rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: '%s' is not a number", path, lineno, val); break; }
        size_t i;
        for (i = 0; i < sizeof weight_names / sizeof weight_names[0]; i++) {
            if (strcmp(weight_names[i].name, name) == 0) {
                *(double *)((char *)&r->w + weight_names[i].off) = v;
                break;
            }
        }
        if (i == sizeof weight_names / sizeof weight_names[0]) {
            rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: unknown weight '%s'", path, lineno, name);
            break;
        }
    }
    fclose(f);
    return rc;
}

static const struct { const char *name; unsigned bit; } cue_types[] = {
    {"admin_before", CUE_ADMIN_BEFORE}, {"admin_after", CUE_ADMIN_AFTER},
    {"direction", CUE_DIRECTION},       {"near", CUE_NEAR},
    {"locative", CUE_LOCATIVE},         {"town_before", CUE_TOWN_BEFORE},
    {"place_after", CUE_PLACE_AFTER},   {"title", CUE_TITLE},
    {"org_after", CUE_ORG_AFTER},       {"person_after", CUE_PERSON_AFTER},
    {"street_after", CUE_STREET_AFTER}, {"holiday", CUE_HOLIDAY},
    {"disease_after", CUE_DISEASE_AFTER}, {"compass", CUE_COMPASS},
    {"group", CUE_GROUP},               {"function", CUE_FUNCTION},
    {"name_head", CUE_NAME_HEAD},       {"dual", CUE_DUAL},
};

static ga_rc load_cues(ga_resolver *r, const char *dir, ga_err *err)
{
    char path[PATH_MAX], line[512];
    FILE *f = open_data(dir, "cues.tsv", path, sizeof path, err);
    if (!f) return GA_EIO;
    long lineno = 0;
    ga_rc rc = GA_OK;
    ga_buf key = {0};
    if (ga_wordset_init(&r->cues, 512)) { fclose(f); return ga_err_set(err, GA_ENOMEM, "out of memory"); }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char *tab = strchr(s, '\t');
        if (!tab) { rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: expected 'word<TAB>type'", path, lineno); break; }
        *tab = 0;
        char *type = trim(tab + 1);
        size_t i;
        for (i = 0; i < sizeof cue_types / sizeof cue_types[0]; i++)
            if (strcmp(cue_types[i].name, type) == 0) break;
        if (i == sizeof cue_types / sizeof cue_types[0]) {
            rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: unknown cue type '%s'", path, lineno, type);
            break;
        }
        /* a word of another script is looked up by its key (Arabic
         * letter variants folded, the article dropped), as the text's
         * words are (cue_of) */
        size_t n = strlen(s), k = 0;
        while (k < n && !((unsigned char)s[k] & 0x80)) k++;
        if (k == n) {
            ga_wordset_or(&r->cues, s, n, cue_types[i].bit);
            continue;
        }
        ga_buf_reset(&key);
        if (ga_key_word(s, n, &key)) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); break; }
        if (key.len) ga_wordset_or(&r->cues, key.data, key.len, cue_types[i].bit);
    }
    ga_buf_free(&key);
    fclose(f);
    return rc;
}

/* Countries where a phonetic match may lie: ISO code <TAB> name. */
static ga_rc load_phonetic_countries(ga_resolver *r, const char *dir, ga_err *err)
{
    char path[PATH_MAX], line[256];
    FILE *f = open_data(dir, "phonetic_countries.tsv", path, sizeof path, err);
    if (!f) return GA_EIO;
    long lineno = 0;
    size_t n = 0, max = sizeof r->phonetic_cc / sizeof r->phonetic_cc[0] - 1;
    ga_rc rc = GA_OK;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        char *tab = strchr(s, '\t');
        if (tab) *tab = 0;
        if (strlen(s) != 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1])) {
            rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: expected a two-letter country code "
                            "(ISO 3166-1), got '%s'", path, lineno, s);
            break;
        }
        if (n == max) {
            rc = ga_err_set(err, GA_EFORMAT, "%s:%ld: more than %zu countries", path, lineno, max);
            break;
        }
        memcpy(r->phonetic_cc[n++], s, 3);
    }
    r->phonetic_cc[n][0] = 0;
    fclose(f);
    return rc;
}

/* The word list: lower-case entries are common words; capitalised entries
 * are proper nouns. Possessive entries ("Homs's") are skipped. Every
 * command that resolves reads its hundred thousand lines at start, so the
 * file is mapped and split in place, and a line of ASCII letters alone
 * (nine in ten) takes its key by lowering its case, which is what the key
 * rules give such a word; any other line goes through ga_key_word. */
static ga_rc load_words(ga_resolver *r, ga_err *err)
{
    const char *path = getenv("GEOANNOT_WORDLIST");
    if (!path || !*path) path = "/usr/share/dict/american-english";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        return ga_err_set(err, GA_EIO, "cannot open word list '%s': %s (install Debian's "
                          "wamerican package, or set GEOANNOT_WORDLIST)", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return ga_err_set(err, GA_EIO, "cannot read word list '%s': not a regular file", path);
    }
    size_t size = (size_t)sb.st_size;
    const char *text = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : "";
    close(fd);
    if (text == MAP_FAILED)
        return ga_err_set(err, GA_EIO, "cannot read word list '%s': %s", path, strerror(errno));
    ga_rc rc = ga_wordset_init(&r->words, 120000)
                   ? ga_err_set(err, GA_ENOMEM, "out of memory") : GA_OK;
    ga_buf key = {0};
    char low[64];
    for (const char *p = text, *end = text + size; p < end && !rc;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end, *s = p;
        p = nl ? nl + 1 : end;
        while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) s++;
        while (e > s && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r'))) e--;
        size_t n = (size_t)(e - s), k = 0;
        if (!n) continue;
        unsigned bit = isupper((unsigned char)s[0]) ? WORD_PROPER : WORD_COMMON;
        if (n <= sizeof low)
            for (; k < n; k++) {
                unsigned char c = (unsigned char)s[k];
                if (c >= 'a' && c <= 'z') low[k] = (char)c;
                else if (c >= 'A' && c <= 'Z') low[k] = (char)(c - 'A' + 'a');
                else break;
            }
        if (k == n) {
            ga_wordset_or(&r->words, low, n, bit);
            continue;
        }
        if (memchr(s, '\'', n)) continue;
        ga_buf_reset(&key);
        if (ga_key_word(s, n, &key)) rc = ga_err_set(err, GA_ENOMEM, "out of memory");
        else if (key.len) ga_wordset_or(&r->words, key.data, key.len, bit);
    }
    ga_buf_free(&key);
    if (size) munmap((void *)text, size);
    return rc;
}

/* Day and month names with their abbreviations, from the C library's
 * English (C/POSIX) locale data: capitalised, in the word list as proper
 * nouns, and never places in running text ("on Monday", "in April"). */
static void load_calendar(ga_resolver *r)
{
    static const nl_item items[] = {
        DAY_1, DAY_2, DAY_3, DAY_4, DAY_5, DAY_6, DAY_7,
        ABDAY_1, ABDAY_2, ABDAY_3, ABDAY_4, ABDAY_5, ABDAY_6, ABDAY_7,
        MON_1, MON_2, MON_3, MON_4, MON_5, MON_6, MON_7, MON_8, MON_9, MON_10, MON_11, MON_12,
        ABMON_1, ABMON_2, ABMON_3, ABMON_4, ABMON_5, ABMON_6, ABMON_7, ABMON_8, ABMON_9,
        ABMON_10, ABMON_11, ABMON_12,
    };
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c) return;
    ga_buf key = {0};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        const char *w = nl_langinfo_l(items[i], c);
        if (!w || !*w) continue;
        ga_buf_reset(&key);
        if (ga_key_word(w, strlen(w), &key) == GA_OK && key.len)
            ga_wordset_or(&r->words, key.data, key.len, WORD_CALENDAR);
    }
    ga_buf_free(&key);
    freelocale(c);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* r->fingerprint: a hash of what the resolver and the event extractor
 * read, so that a stored annotation made with other data is found out of
 * date: every regular file of dir (the lexicon: weights, cues, event
 * words), by name and content, in name order, and the word list's path,
 * size and modification time. A file that cannot be read counts by its
 * name alone (the loaders report it when they need it). */
static void data_fingerprint(ga_resolver *r, const char *dir)
{
    ga_buf b = {0};
    GA_VEC(char *) names = {0};
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *n = ga_strndup(e->d_name, strlen(e->d_name));
        if (!n || ga_vec_push(&names, n)) { free(n); break; }
    }
    if (d) closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_names);
    char path[4096];
    for (size_t i = 0; i < names.n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names.v[i]);
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        ga_buf_printf(&b, "%s%c", names.v[i], '\0');
        FILE *f = fopen(path, "rb");
        char chunk[8192];
        size_t got;
        while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0) ga_buf_append(&b, chunk, got);
        if (f) fclose(f);
        ga_buf_putc(&b, '\0');
    }
    for (size_t i = 0; i < names.n; i++) free(names.v[i]);
    ga_vec_free(&names);
    const char *words = getenv("GEOANNOT_WORDLIST");
    if (!words || !*words) words = "/usr/share/dict/american-english";
    struct stat wsb;
    if (stat(words, &wsb) == 0)
        ga_buf_printf(&b, "%s %lld %lld", words, (long long)wsb.st_size, (long long)wsb.st_mtime);
    uint64_t h = ga_hash64(b.data ? b.data : "", b.len);
    ga_buf_free(&b);
    snprintf(r->fingerprint, sizeof r->fingerprint, "%016llx", (unsigned long long)h);
}

ga_rc ga_resolver_load(ga_resolver *r, const char *dir, ga_err *err)
{
    ga_rc rc = load_weights(r, dir, err);
    if (!rc) rc = load_cues(r, dir, err);
    if (!rc) rc = load_phonetic_countries(r, dir, err);
    if (!rc) rc = load_words(r, err);
    if (!rc) load_calendar(r);
    if (!rc) data_fingerprint(r, dir);
    return rc;
}

const char *ga_resolver_fingerprint(const ga_resolver *r)
{
    return r->fingerprint;
}
