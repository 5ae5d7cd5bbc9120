/*
 * keys.c: name keys (ga_text.h). The strict key folds case, accents,
 * apostrophes, punctuation and Arabic spelling variation so that the same
 * name written two ways gives the same bytes; the phonetic key then
 * flattens the usual variation of romanised Arabic (vowel spelling,
 * doubled letters, feminine and nisba endings, attached articles).
 *
 * Both keys are computed for every capitalised token of the input text, so
 * the common case, an ASCII word, runs through a byte loop that calls no
 * library and allocates nothing beyond growing the caller's buffer. Only
 * non-ASCII code points go to utf8proc (NFKD + case fold + mark strip).
 * All rewriting is done in place in the output buffer: every phonetic rule
 * shrinks a word or keeps its length, so a left-to-right pass with a read
 * and a write index is safe.
 */
#include "text/ga_text.h"

#include <string.h>
#include <utf8proc.h>

/* ---- strict key -------------------------------------------------------- */

/* Results of folding one ASCII byte (other values: the byte to emit). */
enum { FOLD_SEP = 0, FOLD_DROP = 1 };

/* ASCII folding as a table: lower-case letter or digit to emit, FOLD_DROP
 * for the apostrophes ' and ` (rule 2), FOLD_SEP for everything else. */
#define D FOLD_DROP
static const unsigned char ga_fold_ascii[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, D, 0, 0, 0, 0, 0, 0, 0, 0,
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 0, 0, 0, 0, 0, 0,
    0, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
    D, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0, 0, 0, 0, 0,
};
#undef D

static inline int fold_ascii(unsigned char c)
{
    return ga_fold_ascii[c & 0x7F];
}

/* Rule 2 for non-ASCII: characters used as apostrophes or to write ayn and
 * hamza in romanised Arabic (Za’afarana, Maʿarrat, Saʾid). U+FF07 is the
 * fullwidth apostrophe. */
static int is_apostrophe(uint32_t cp)
{
    switch (cp) {
    case 0x27: case 0x60: case 0xB4: case 0x2018: case 0x2019: case 0x2BB:
    case 0x2BC: case 0x2BE: case 0x2BF: case 0x2032: case 0xFF07:
        return 1;
    default:
        return 0;
    }
}

/* Rule 4: Arabic letter variants that writers use interchangeably, mapped
 * to one form. Applied after NFKD, which has already split hamza/madda off
 * أ إ آ ؤ ئ (and turned presentation forms into base letters) and dropped
 * the marks; the explicit cases cover letters with no decomposition. Returns
 * 0 for characters to drop. */
static uint32_t fold_arabic(uint32_t cp)
{
    switch (cp) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671:
        return 0x0627;                          /* alef forms -> ا */
    case 0x0629: return 0x0647;                 /* ة -> ه */
    case 0x0649: return 0x064A;                 /* ى -> ي */
    case 0x0624: return 0x0648;                 /* ؤ -> و */
    case 0x0626: return 0x064A;                 /* ئ -> ي */
    case 0x06CC: return 0x064A;                 /* Persian yeh ی -> ي */
    case 0x06A9: return 0x0643;                 /* Persian kaf ک -> ك */
    case 0x0640: return 0;                      /* tatweel */
    default: break;
    }
    if ((cp >= 0x064B && cp <= 0x0652) || cp == 0x0670) return 0; /* harakat */
    /* Arabic-Indic and Persian digits -> ASCII, so ١٢ and 12 meet. */
    if (cp >= 0x0660 && cp <= 0x0669) return '0' + (cp - 0x0660);
    if (cp >= 0x06F0 && cp <= 0x06F9) return '0' + (cp - 0x06F0);
    return cp;
}

static int is_letter_or_digit(uint32_t cp)
{
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* The key being built: words of out->data[key_start..len) separated by one
 * space. `word` is the offset of the current word, or SIZE_MAX between
 * words. */
typedef struct {
    ga_buf *out;
    size_t key_start;
    size_t word;
    size_t join;    /* offset of a word the next one continues (SIZE_MAX: none) */
} key_state;

/* UTF-8 of كفر (Kafr, village), which Arabic writes apart from the name
 * after it or joined to it: OCHA has "كفر بطنا", the news "كفربطنا" */
#define AR_KAFR "\xD9\x83\xD9\x81\xD8\xB1"

/* UTF-8 of the Arabic article ال. */
#define AR_AL "\xD8\xA7\xD9\x84"

static size_t count_cp(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Close the current word. Rule 4's article: ال at the start of a word of 4+
 * letters goes (الرستن -> رستن), leaving at least two letters. */
static void end_word(key_state *ks)
{
    if (ks->word == SIZE_MAX) return;
    char *w = ks->out->data + ks->word;
    size_t n = ks->out->len - ks->word;
    if (n >= 8 && memcmp(w, AR_AL, 4) == 0 && count_cp(w, n) >= 4) {
        memmove(w, w + 4, n - 4);
        ks->out->len -= 4;
    }
    /* كفر alone: the next word is written on to it, without the space */
    ks->join = n == 6 && memcmp(w, AR_KAFR, 6) == 0 ? ks->word : SIZE_MAX;
    ks->word = SIZE_MAX;
}

/* Start a word at the end of the key: after a space, or on to the word
 * that end_word left to join. */
static inline size_t start_word(key_state *ks, char *d, size_t len)
{
    if (ks->join != SIZE_MAX) {
        ks->word = ks->join;
        ks->join = SIZE_MAX;
        return len;
    }
    if (len > ks->key_start) d[len++] = ' ';
    ks->word = len;
    return len;
}

/* Append the bytes of one key character (room already reserved). */
static inline void put_char(key_state *ks, const char *p, size_t k)
{
    ga_buf *b = ks->out;
    if (ks->word == SIZE_MAX) b->len = start_word(ks, b->data, b->len);
    memcpy(b->data + b->len, p, k);
    b->len += k;
}

/* Options for non-ASCII: NFKD, case fold, strip marks and default-ignorable
 * characters (soft hyphen, ZWJ/ZWNJ, BOM, which may sit inside a word). */
#define KEY_UTF8PROC_OPTS (UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | \
    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* Fold one non-ASCII code point; `rest` is the number of input bytes still
 * to come, for which room is kept (see key_words). */
static ga_rc fold_slow(key_state *ks, uint32_t cp, size_t rest)
{
    utf8proc_int32_t dec[32];
    utf8proc_ssize_t nd;
    int last_bound = 0;

    if (is_apostrophe(cp)) return GA_OK;
    if (cp == 0x200B || cp == 0xFFFD) { end_word(ks); return GA_OK; } /* ZWSP, bad */
    nd = utf8proc_decompose_char((utf8proc_int32_t)cp, dec, 32,
                                 KEY_UTF8PROC_OPTS, &last_bound);
    if (nd < 0 || nd > 32) { end_word(ks); return GA_OK; }
    /* Each output character: up to 4 bytes plus a space; then keep the
     * invariant of key_words for the rest, plus room for the one space
     * that a separator seen earlier may still owe. */
    if (ga_buf_reserve(ks->out, rest + 5 * (size_t)nd + 2) != GA_OK) return GA_ENOMEM;
    for (utf8proc_ssize_t k = 0; k < nd; k++) {
        uint32_t c = (uint32_t)dec[k];
        char enc[4];
        if (c < 0x80) {
            int f = fold_ascii((unsigned char)c);
            if (f == FOLD_SEP) end_word(ks);
            else if (f != FOLD_DROP) { enc[0] = (char)f; put_char(ks, enc, 1); }
            continue;
        }
        if (is_apostrophe(c)) continue;
        c = fold_arabic(c);
        if (c == 0) continue;
        if (!is_letter_or_digit(c)) { end_word(ks); continue; }
        put_char(ks, enc, ga_utf8_encode(c, enc));
    }
    return GA_OK;
}

/* Rules 1-4 on s[0..n), appended to out as space-separated words. */
static ga_rc key_words(const char *s, size_t n, ga_buf *out)
{
    key_state ks = { out, out->len, SIZE_MAX, SIZE_MAX };
    /* Invariant: room for every remaining input byte, one owed space and
     * the NUL. An ASCII byte adds at most one output byte, except that a
     * letter after a separator also writes the space the separator owed. */
    if (ga_buf_reserve(out, n + 2) != GA_OK) return GA_ENOMEM;
    /* The ASCII loop keeps the buffer pointer and length in locals: stores
     * through char * may alias out->len, which would otherwise be reloaded
     * and stored for every byte. */
    char *d = out->data;
    size_t len = out->len, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            int f = fold_ascii(c);
            i++;
            if (f > FOLD_DROP) {
                if (ks.word == SIZE_MAX) len = start_word(&ks, d, len);
                d[len++] = (char)f;
            } else if (f == FOLD_SEP && ks.word != SIZE_MAX) {
                out->len = len;
                end_word(&ks);
                len = out->len;
            }
            continue;
        }
        uint32_t cp;
        int bad;
        i += ga_utf8_decode(s + i, n - i, &cp, &bad);
        out->len = len;
        if (fold_slow(&ks, cp, n - i) != GA_OK) return GA_ENOMEM;
        d = out->data;       /* fold_slow may have grown the buffer */
        len = out->len;
    }
    out->len = len;
    end_word(&ks);
    out->data[out->len] = 0;
    return GA_OK;
}

ga_rc ga_key_word(const char *s, size_t n, ga_buf *out)
{
    return key_words(s, n, out);
}

int ga_key_joins_next(const char *k, size_t n)
{
    return n == 6 && memcmp(k, AR_KAFR, 6) == 0;
}

uint32_t ga_ar_joined_letter(const char *s, size_t n)
{
    if (n < 2 + 4) return 0;
    unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];
    if (a == 0xD9 && (b == 0x88 || b == 0x81 || b == 0x84)) return 0x0600u + 0x40u + (b - 0x80u);
    if (a == 0xD8 && b == 0xA8) return 0x0628;
    return 0;
}

/* Latin transcriptions of the Arabic article, with and without sun-letter
 * assimilation (ar-Rastan, ash-Sham, ad-Dana) and dialect vowels (el-, il-,
 * ul-, ed-, es-...). Sorted for nothing: the list is short. */
static const char *const ga_articles[] = {
    "al", "el", "ar", "as", "ad", "at", "az", "an", "ash", "ath", "adh",
    "ed", "er", "es", "et", "ez", "en", "esh", "ul", "il",
};

int ga_key_is_article(const char *k, size_t n)
{
    /* every article is 2-3 letters starting with a, e, i or u: most words
     * leave here without touching the list */
    if (n < 2 || n > 3 || (k[0] != 'a' && k[0] != 'e' && k[0] != 'i' && k[0] != 'u'))
        return 0;
    for (size_t i = 0; i < sizeof ga_articles / sizeof *ga_articles; i++) {
        const char *a = ga_articles[i];   /* 2 or 3 letters and a NUL */
        if (a[0] == k[0] && a[1] == k[1] && (n == 2 ? a[2] == 0 : a[2] == k[2] && a[3] == 0))
            return 1;
    }
    return 0;
}

/* May the article a (an letters, ga_key_is_article) before the word next
 * (nn bytes) be dropped? al, el, ul and il always; an assimilated form
 * only before its own consonant: ar-Rastan, ash-Sham, an-Nabk, but not
 * "An Axel" or "As I", which are English words. */
static int article_fits(const char *a, size_t an, const char *next, size_t nn)
{
    if (a[1] == 'l') return 1;
    size_t c = an - 1;   /* the consonant: "r" of ar, "sh" of ash */
    return nn >= c && !memcmp(a + 1, next, c);
}

/* Rule 5 on the key at out->data[start..len): drop article words that have
 * another word after them. */
static void drop_articles(ga_buf *out, size_t start)
{
    char *d = out->data;
    size_t r = start, w = start, end = out->len;
    while (r < end) {
        size_t e = r;
        while (e < end && d[e] != ' ') e++;
        int last = e >= end;
        int drop = !last && ga_key_is_article(d + r, e - r);
        if (drop) {
            size_t ne = e + 1;
            while (ne < end && d[ne] != ' ') ne++;
            drop = article_fits(d + r, e - r, d + e + 1, ne - e - 1);
        }
        if (!drop) {
            if (w > start) d[w++] = ' ';
            /* nothing moves until an article has been dropped */
            if (w != r) memmove(d + w, d + r, e - r);
            w += e - r;
        }
        r = e + 1;
    }
    out->len = w;
    d[w] = 0;
}

ga_rc ga_key_strict(const char *s, size_t n, ga_buf *out)
{
    size_t start = out->len;
    ga_rc rc = key_words(s, n, out);
    if (rc != GA_OK) return rc;
    drop_articles(out, start);
    return GA_OK;
}

/* ---- phonetic key ------------------------------------------------------ */

static inline int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static inline int is_consonant(char c)
{
    return c >= 'a' && c <= 'z' && !is_vowel(c);
}

/* Drop the first k bytes of w[0..n) when at least `keep` letters remain. */
static size_t drop_prefix(char *w, size_t n, size_t k, size_t keep)
{
    if (n <= k || count_cp(w + k, n - k) < keep) return n;
    memmove(w, w + k, n - k);
    return n - k;
}

/* Article written joined to the word. al/el before a consonant, when 3+
 * letters remain: Aldar -> dar, Elsham -> sham (the consonant test keeps
 * Aleppo and Alexandria whole). The assimilated forms, a/e + doubled sun
 * letter, when 4+ letters remain: Arrastan -> rastan, Assuwayda ->
 * suwayda, Ashsham -> sham (4+ keeps Assad and Attar whole). */
static size_t drop_joined_article(char *w, size_t n)
{
    if (n < 4 || (w[0] != 'a' && w[0] != 'e')) return n;
    if (w[1] == 'l' && is_consonant(w[2])) return drop_prefix(w, n, 2, 3);
    if (n >= 6 && w[2] == 'h' && w[3] == w[1] && w[4] == 'h' &&
        (w[1] == 's' || w[1] == 't' || w[1] == 'd'))
        return drop_prefix(w, n, 3, 4);                /* ash-sh, ath-th, adh-dh */
    if (w[1] == w[2] && strchr("tdrzsn", w[1]) != NULL)
        return drop_prefix(w, n, 2, 4);
    return n;
}

/* Doubled ASCII letters written once: Tallbisah -> Talbisah, Raqqa ->
 * Raqa, Mayadeen -> Mayaden. Digits are left alone (2011). */
static size_t collapse_doubles(char *w, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        if (j > 0 && c == w[j - 1] && c >= 'a' && c <= 'z') continue;
        w[j++] = c;
    }
    return j;
}

/* Endings: nisba and feminine suffixes, which writers spell every way
 * (-iyah -iyeh -iya ...; -ah -eh -a -e -at -et) or leave out. One ending is
 * removed, the nisba group first, longest first, when 3+ letters remain:
 * Hashimiya -> hashim, Talbiseh -> talbis, Hama -> ham. */
typedef struct { const char *s; size_t n; } ga_ending;
#define E(x) { x, sizeof x - 1 }
static const ga_ending ga_endings_nisba[] = {
    E("iyah"), E("iyeh"), E("iyat"), E("iyet"), E("iya"), E("iye"), E("ieh"),
    E("ia"),
};
static const ga_ending ga_endings_fem[] = {
    E("eh"), E("ah"), E("at"), E("et"), E("a"), E("e"),
};
#undef E

/* Letters of w[0..n) as map_letters leaves them: a vowel pair it writes as
 * one vowel (ou, oo, ee, ei, ie) counts once, so that "Foua" keeps its
 * ending as "Foah" does (fu-a, not fu). */
static size_t count_sounds(const char *w, size_t n)
{
    size_t k = count_cp(w, n);
    for (size_t i = 0; i + 1 < n; i++) {
        char a = w[i], b = w[i + 1];
        if ((a == 'o' && (b == 'u' || b == 'o')) || (a == 'e' && (b == 'e' || b == 'i')) ||
            (a == 'i' && b == 'e')) {
            k--;
            i++;
        }
    }
    return k;
}

static size_t try_endings(const char *w, size_t n, const ga_ending *list,
                          size_t count, int *hit)
{
    for (size_t i = 0; i < count; i++) {
        size_t k = list[i].n;
        if (n <= k || w[n - 1] != list[i].s[k - 1]) continue;  /* cheap reject */
        if (memcmp(w + n - k, list[i].s, k) == 0 && count_sounds(w, n - k) >= 3) {
            *hit = 1;
            return n - k;
        }
    }
    return n;
}

static size_t drop_ending(char *w, size_t n)
{
    int hit = 0;
    n = try_endings(w, n, ga_endings_nisba,
                    sizeof ga_endings_nisba / sizeof *ga_endings_nisba, &hit);
    if (hit) return n;
    return try_endings(w, n, ga_endings_fem,
                       sizeof ga_endings_fem / sizeof *ga_endings_fem, &hit);
}

/* Letter classes, one left-to-right pass (each step writes no more than it
 * reads):
 *   q -> k          (Qabira / Kabira: both are written for qaf)
 *   ph -> f         (French and English habits for fa)
 *   ou, oo, o -> u  (Moadamiya / Muadamiya: Arabic has one short u)
 *   ai, ay -> ay    (Zaitoun / Zaytun: the diphthong)
 *   ee, ei, ie, i -> i, and e -> i except as the last letter (Talbeesa /
 *                   Talbisa, Hashemiyeh / Hashimiya: one short i)
 *   y between vowels -> i (Diyala / Diiala; after ay has been taken)
 * Only ASCII bytes are touched. */
static size_t map_letters(char *w, size_t n)
{
    size_t i = 0, j = 0;
    while (i < n) {
        char c = w[i], nx = i + 1 < n ? w[i + 1] : 0;
        switch (c) {
        case 'q': w[j++] = 'k'; i++; continue;
        case 'p':
            if (nx == 'h') { w[j++] = 'f'; i += 2; continue; }
            break;
        case 'o': w[j++] = 'u'; i += (nx == 'u' || nx == 'o') ? 2 : 1; continue;
        case 'a':
            if (nx == 'i' || nx == 'y') { w[j++] = 'a'; w[j++] = 'y'; i += 2; continue; }
            break;
        case 'e':
            if (nx == 'e' || nx == 'i') { w[j++] = 'i'; i += 2; continue; }
            if (i + 1 < n) { w[j++] = 'i'; i++; continue; }
            break;
        case 'i': w[j++] = 'i'; i += nx == 'e' ? 2 : 1; continue;
        case 'y':
            if (j > 0 && is_vowel(w[j - 1]) && is_vowel(nx)) { w[j++] = 'i'; i++; continue; }
            break;
        default: break;
        }
        w[j++] = c;
        i++;
    }
    return j;
}

/* The phonetic rules on one strict word key, in place; returns its new
 * length (never 0 for a non-empty word). */
static size_t phonetic_word(char *w, size_t n)
{
    n = drop_joined_article(w, n);
    /* a first short vowel is written a, e or i (Afrin / Efrin, Idlib /
     * Edlib, Irbin / Erbin / Arbin) */
    if (n >= 3 && (w[0] == 'e' || w[0] == 'i') && is_consonant(w[1])) w[0] = 'a';
    n = collapse_doubles(w, n);
    /* a final h after a vowel is the silent ta marbuta, written or not
     * (Izza / Izzah, Hama / Hamah), also where the word is too short for
     * drop_ending to take the ending away */
    if (n >= 3 && w[n - 1] == 'h' && is_vowel(w[n - 2])) n--;
    n = drop_ending(w, n);
    n = map_letters(w, n);
    return collapse_doubles(w, n);
}

/* Apply phonetic_word to each space-separated word of
 * out->data[start..len), in place. */
static void phonetic_words(ga_buf *out, size_t start)
{
    char *d = out->data;
    size_t r = start, w = start, end = out->len;
    while (r < end) {
        size_t e = r;
        while (e < end && d[e] != ' ') e++;
        if (e > r) {
            if (w > start) d[w++] = ' ';
            memmove(d + w, d + r, e - r);
            w += phonetic_word(d + w, e - r);
        }
        r = e + 1;
    }
    out->len = w;
    if (out->cap) d[w] = 0;
}

ga_rc ga_key_phonetic(const char *s, size_t n, ga_buf *out)
{
    size_t start = out->len;
    ga_rc rc = ga_key_strict(s, n, out);
    if (rc != GA_OK) return rc;
    phonetic_words(out, start);
    return GA_OK;
}

ga_rc ga_key_phonetic_word(const char *key, size_t n, ga_buf *out)
{
    size_t start = out->len;
    if (ga_buf_append(out, key, n) != GA_OK) return GA_ENOMEM;
    phonetic_words(out, start);
    return GA_OK;
}

/* ---- consonant key ------------------------------------------------------ */

/* Fewest consonants a consonant key may have. Arabic words are built on
 * roots of three consonants, so three say little: "Kefraya" (kfr) would
 * meet every Kafr and Kafir. Four and more ("Latamneh", ltmn; "Ain
 * Tarma", n trm) seldom meet by chance. */
#define SKELETON_MIN 4

ga_rc ga_key_skeleton(const char *pkey, size_t n, ga_buf *out)
{
    size_t start = out->len, consonants = 0;
    if (ga_buf_reserve(out, n + 1) != GA_OK) return GA_ENOMEM;
    char *d = out->data;
    size_t w = start;
    for (size_t r = 0; r < n;) {
        size_t e = r;
        while (e < n && pkey[e] != ' ') e++;
        size_t w0 = w + (w > start);   /* where the word's letters go */
        size_t j = w0;
        for (size_t i = r; i < e; i++) {
            char c = pkey[i];
            if (is_vowel(c) || c == 'y') continue;
            if (j > w0 && d[j - 1] == c) continue;   /* a doubled letter once */
            d[j++] = c;
            if (c >= 'a' && c <= 'z') consonants++;
        }
        if (j > w0) {
            if (w > start) d[w] = ' ';
            w = j;
        }
        r = e + 1;
    }
    out->len = consonants >= SKELETON_MIN ? w : start;
    d[out->len] = 0;
    return GA_OK;
}
