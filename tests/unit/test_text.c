/*
 * test_text.c: unit tests for the text layer (src/text): UTF-8 checking and
 * repair, strict and phonetic name keys, tokens and sentences. The variant
 * tables below are the contract of the phonetic key: spellings that must
 * meet and names that must stay apart.
 */
#include "text/ga_text.h"
#include "ga_test.h"

#include <stdlib.h>

/* ---- helpers ---------------------------------------------------------- */

typedef ga_rc (*key_fn)(const char *, size_t, ga_buf *);

/* Key of a NUL-terminated string, in a static buffer for CHECK_STR. */
static const char *key(key_fn fn, const char *s)
{
    static ga_buf b;
    ga_buf_reset(&b);
    if (fn(s, strlen(s), &b) != GA_OK) return NULL;
    return b.data ? b.data : "";
}

static const char *tok_text(const char *s, const ga_tokens *t, size_t i)
{
    static char buf[256];
    size_t n = t->v[i].end - t->v[i].start;
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s + t->v[i].start, n);
    buf[n] = 0;
    return buf;
}

/* Index of the first token whose text is w, or -1. */
static long find_tok(const char *s, const ga_tokens *t, const char *w)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(tok_text(s, t, i), w) == 0) return (long)i;
    return -1;
}

static int flag_of(const char *s, const ga_tokens *t, const char *w, uint32_t f)
{
    long i = find_tok(s, t, w);
    return i >= 0 && (t->v[i].flags & f) != 0;
}

/* ---- UTF-8 ------------------------------------------------------------ */

static void test_utf8_decode(void)
{
    uint32_t cp;
    int bad;
    CHECK_INT(ga_utf8_decode("A", 1, &cp, &bad), 1);
    CHECK_INT(cp, 'A');
    CHECK_INT(bad, 0);
    CHECK_INT(ga_utf8_decode("\xC3\xA9", 2, &cp, &bad), 2);
    CHECK_INT(cp, 0xE9);
    CHECK_INT(ga_utf8_decode("\xD8\xB1", 2, &cp, &bad), 2);   /* ر */
    CHECK_INT(cp, 0x631);
    CHECK_INT(ga_utf8_decode("\xE2\x80\x99", 3, &cp, &bad), 3);
    CHECK_INT(cp, 0x2019);
    CHECK_INT(ga_utf8_decode("\xF0\x9F\x98\x80", 4, &cp, &bad), 4);
    CHECK_INT(cp, 0x1F600);
    CHECK_INT(bad, 0);

    /* invalid: each reports 1 byte, U+FFFD */
    static const struct { const char *s; size_t n; } bads[] = {
        { "\xC0\xAF", 2 },             /* overlong '/' */
        { "\xC1\xBF", 2 },             /* overlong */
        { "\xE0\x80\xAF", 3 },         /* overlong 3-byte */
        { "\xF0\x80\x80\xAF", 4 },     /* overlong 4-byte */
        { "\xED\xA0\x80", 3 },         /* surrogate U+D800 */
        { "\xED\xBF\xBF", 3 },         /* surrogate U+DFFF */
        { "\xF4\x90\x80\x80", 4 },     /* above U+10FFFF */
        { "\xF5\x80\x80\x80", 4 },
        { "\x80", 1 },                 /* lone continuation */
        { "\xFF", 1 },
        { "\xC3", 1 },                 /* truncated */
        { "\xE2\x80", 2 },             /* truncated */
        { "\xF0\x9F\x98", 3 },         /* truncated */
        { "\xE2\x28\xA1", 3 },         /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
        cp = 0;
        bad = 0;
        CHECK_INT(ga_utf8_decode(bads[i].s, bads[i].n, &cp, &bad), 1);
        CHECK_INT(bad, 1);
        CHECK_INT(cp, 0xFFFD);
    }
    /* truncated by n although the bytes would continue */
    CHECK_INT(ga_utf8_decode("\xC3\xA9", 1, &cp, &bad), 1);
    CHECK_INT(bad, 1);
}

static void test_utf8_encode(void)
{
    static const uint32_t cps[] = { 0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0x631,
                                    0xFFFD, 0xFFFF, 0x10000, 0x10FFFF };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char b[4];
        uint32_t cp;
        int bad;
        size_t k = ga_utf8_encode(cps[i], b);
        CHECK_INT(ga_utf8_decode(b, k, &cp, &bad), k);
        CHECK_INT(cp, cps[i]);
        CHECK_INT(bad, 0);
    }
    char b[4];
    CHECK_INT(ga_utf8_encode(0xD800, b), 3);          /* surrogate -> U+FFFD */
    CHECK(memcmp(b, "\xEF\xBF\xBD", 3) == 0);
    CHECK_INT(ga_utf8_encode(0x110000, b), 3);
}

static void test_utf8_valid(void)
{
    size_t off = 0;
    CHECK(ga_utf8_valid("", 0, 0, &off));
    CHECK(ga_utf8_valid("Ḩamāh الرستن", strlen("Ḩamāh الرستن"), 0, &off));
    CHECK(!ga_utf8_valid("abc\xC0\xAFxyz", 8, 0, &off));
    CHECK_INT(off, 3);
    CHECK(!ga_utf8_valid("ab\xED\xA0\x80", 5, 0, &off));
    CHECK_INT(off, 2);
    CHECK(!ga_utf8_valid("abcd\xE2\x80", 6, 0, &off));
    CHECK_INT(off, 4);
    CHECK(!ga_utf8_valid("ab\0cd", 5, 0, &off));
    CHECK_INT(off, 2);
    CHECK(ga_utf8_valid("ab\0cd", 5, 1, NULL));
    CHECK(!ga_utf8_valid("\x80", 1, 1, NULL));
    /* long runs (checked eight bytes at a time): a NUL or a bad byte at
     * every offset of a 40-byte ASCII text is found at that offset */
    for (size_t at = 0; at < 40; at++) {
        char t[40];
        memset(t, 'a', sizeof t);
        t[at] = 0;
        CHECK(!ga_utf8_valid(t, sizeof t, 0, &off) && off == at);
        CHECK(ga_utf8_valid(t, sizeof t, 1, NULL));
        t[at] = (char)0xFF;
        CHECK(!ga_utf8_valid(t, sizeof t, 1, &off) && off == at);
        if (at + 2 <= sizeof t) {
            memcpy(t + at, "\xC3\xA9", 2);   /* é: valid wherever it falls */
            CHECK(ga_utf8_valid(t, sizeof t, 0, NULL));
        }
    }
}

static void test_utf8_sanitize(void)
{
    ga_buf b = {0};
    size_t nbad = 99, first = 0;
    const char *ok = "Rastan \xE2\x80\x94 الرستن";
    CHECK_INT(ga_utf8_sanitize(ok, strlen(ok), &b, &nbad, &first), GA_OK);
    CHECK_STR(b.data, ok);
    CHECK_INT(nbad, 0);
    CHECK(first == SIZE_MAX);

    /* bad bytes: overlong pair (2 bad bytes), surrogate (3), truncated (1) */
    ga_buf_reset(&b);
    const char in[] = "ab\xC0\xAF" "c\xED\xA0\x80" "d\0e\xE2\x80";
    CHECK_INT(ga_utf8_sanitize(in, sizeof in - 1, &b, &nbad, &first), GA_OK);
    CHECK_STR(b.data, "ab\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                      "d e\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_INT(nbad, 2 + 3 + 1 + 2);
    CHECK_INT(first, 2);
    CHECK(ga_utf8_valid(b.data, b.len, 0, NULL));

    /* NUL alone: offsets preserved, one replacement */
    ga_buf_reset(&b);
    CHECK_INT(ga_utf8_sanitize("a\0b", 3, &b, &nbad, &first), GA_OK);
    CHECK_INT(b.len, 3);
    CHECK_STR(b.data, "a b");
    CHECK_INT(nbad, 1);
    CHECK_INT(first, 1);

    /* appends; empty input; NULL out-params */
    CHECK_INT(ga_utf8_sanitize("", 0, &b, NULL, NULL), GA_OK);
    CHECK_INT(ga_utf8_sanitize("\xFF", 1, &b, NULL, NULL), GA_OK);
    CHECK_STR(b.data, "a b\xEF\xBF\xBD");
    ga_buf_free(&b);

    ga_buf e = {0};
    CHECK_INT(ga_utf8_sanitize(NULL, 0, &e, &nbad, &first), GA_OK);
    CHECK_INT(nbad, 0);
    CHECK_STR(e.data, "");
    ga_buf_free(&e);
}

/* ---- strict key ------------------------------------------------------- */

static void test_key_strict(void)
{
    static const char *const cases[][2] = {
        { "Rastan", "rastan" },
        { "Al-Rastan", "rastan" },
        { "Ar Rastan", "rastan" },
        { "ar-Rastan", "rastan" },
        { "Tell al-Abyad", "tell abyad" },
        { "An Nabk", "nabk" },
        { "As Suwayda", "suwayda" },
        { "Ad Dana", "dana" },
        { "Ash Shaykh Maskin", "shaykh maskin" },
        { "An Axel", "an axel" },                 /* not assimilated: English */
        { "As I", "as i" },
        { "Ash Wednesday", "ash wednesday" },
        { "Al", "al" },
        { "Ḩamāh", "hamah" },
        { "Za'afarana", "zaafarana" },
        { "Za’afarana", "zaafarana" },
        { "Maʿarrat al-Nu`man", "maarrat numan" },
        { "  Deir  ez-Zor ", "deir zor" },
        { "Bab al-Hawa (crossing)", "bab hawa crossing" },
        { "Jisr al-Shughur/Jisr ash-Shughur", "jisr shughur jisr shughur" },
        { "ÉCOLE Straße", "ecole strasse" },
        { "Ｈｏｍｓ", "homs" },                     /* fullwidth, NFKD */
        { "Ab\xC2\xADu", "abu" },                 /* soft hyphen ignored */
        { "bad\xFFseparator", "bad separator" },  /* invalid byte = U+FFFD */
        { "---", "" },
        { "", "" },
        { "الرستن", "رستن" },
        { "رستن", "رستن" },
        { "حَمَاة", "حماه" },                      /* harakat, ة -> ه */
        { "إدلب", "ادلب" },                       /* alef with hamza */
        { "آل", "ال" },                           /* too short for the article */
        { "ادلـــب", "ادلب" },                    /* tatweel */
        { "دير الزور", "دير زور" },
        { "كفر بطنا", "كفربطنا" },                 /* كفر joins the next word */
        { "كفربطنا", "كفربطنا" },
        { "كفر  نبل حمص", "كفرنبل حمص" },
        { "حمص كفر", "حمص كفر" },                  /* nothing after it */
        { "كفريا", "كفريا" },
        { "تل كفر", "تل كفر" },
        { "مشفى", "مشفي" },                       /* ى -> ي */
        { "ﻻ", "لا" },                            /* presentation form */
        { "كوباني ١٢", "كوباني 12" },              /* Arabic-Indic digits */
        { "Nawa 2", "nawa 2" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK_STR(key(ga_key_strict, cases[i][0]), cases[i][1]);

    /* ga_key_word keeps articles */
    CHECK_STR(key(ga_key_word, "Al-Rastan"), "al rastan");
    CHECK_STR(key(ga_key_word, "Al"), "al");
    CHECK_STR(key(ga_key_word, "HOMS"), "homs");
    CHECK_STR(key(ga_key_word, "\"Homs,\""), "homs");
    CHECK_STR(key(ga_key_word, "..."), "");

    CHECK(ga_key_is_article("al", 2));
    CHECK(ga_key_is_article("ash", 3));
    CHECK(ga_key_is_article("ez", 2));
    CHECK(!ga_key_is_article("a", 1));
    CHECK(!ga_key_is_article("alb", 3));
    CHECK(!ga_key_is_article("tell", 4));

    /* the letters Arabic joins to the next word, with two letters after */
#define JL(w) ga_ar_joined_letter(w, strlen(w))
    CHECK(JL("وريف") == 0x0648);
    CHECK(JL("فتل") == 0x0641);
    CHECK(JL("بريف") == 0x0628);
    CHECK(JL("لمدينة") == 0x0644);
    CHECK(JL("وتل") == 0x0648);
    CHECK(JL("ول") == 0);       /* one letter after it */
    CHECK(JL("حلب") == 0);
    CHECK(JL("wall") == 0);
    CHECK(JL("") == 0);
#undef JL

    /* appends, does not reset */
    ga_buf b = {0};
    ga_buf_puts(&b, "x|");
    CHECK_INT(ga_key_strict("Al-Rastan", 9, &b), GA_OK);
    CHECK_STR(b.data, "x|rastan");
    CHECK_INT(ga_key_word(" Homs", 5, &b), GA_OK);
    CHECK_STR(b.data, "x|rastanhoms");
    ga_buf_free(&b);

    /* NUL inside the input is a separator */
    ga_buf c = {0};
    CHECK_INT(ga_key_word("ab\0cd", 5, &c), GA_OK);
    CHECK_STR(c.data, "ab cd");
    ga_buf_free(&c);
}

/* Strings whose key could grow: a ligature that expands to 18 code points,
 * many times, between ASCII separators (checks the buffer arithmetic under
 * ASan). */
static void test_key_growth(void)
{
    ga_buf in = {0}, out = {0};
    for (int i = 0; i < 500; i++) {
        ga_buf_puts(&in, "\xEF\xB7\xBA");   /* U+FDFA */
        ga_buf_puts(&in, i % 3 ? " a" : "-\xC2\xAD" "b");
    }
    CHECK_INT(ga_key_strict(in.data, in.len, &out), GA_OK);
    CHECK(out.len > in.len);
    CHECK(strlen(out.data) == out.len);
    ga_buf_reset(&out);
    CHECK_INT(ga_key_phonetic(in.data, in.len, &out), GA_OK);
    CHECK(strlen(out.data) == out.len);

    /* a very long token */
    ga_buf_reset(&in);
    ga_buf_reset(&out);
    for (int i = 0; i < 100000; i++) ga_buf_putc(&in, (char)('A' + i % 26));
    CHECK_INT(ga_key_word(in.data, in.len, &out), GA_OK);
    CHECK_INT(out.len, 100000);
    CHECK(out.data[0] == 'a' && out.data[99999] == 'a' + 99999 % 26);
    ga_buf_reset(&out);
    CHECK_INT(ga_key_phonetic(in.data, in.len, &out), GA_OK);
    CHECK(out.len > 0 && out.len <= 100000);
    ga_buf_free(&in);
    ga_buf_free(&out);
}

/* ---- phonetic key ----------------------------------------------------- */

/* The consonant key of a name: its phonetic key, then ga_key_skeleton. */
static ga_rc key_skeleton(const char *s, size_t n, ga_buf *out)
{
    ga_buf p = {0};
    ga_rc rc = ga_key_phonetic(s, n, &p);
    if (rc == GA_OK) rc = ga_key_skeleton(p.data ? p.data : "", p.len, out);
    ga_buf_free(&p);
    return rc;
}

/* Spellings of one place that must give the same phonetic key. Each row is
 * a group; NULL ends it. The first column notes the source of the variants
 * (news romanisations vs gazetteer forms). */
static const char *const ga_meet[][5] = {
    { "Talbeesa", "Talbiseh", "Tallbisah", "Talbisa", NULL },
    { "Za'afarana", "Zafaraniya", "Za’faraniyah", NULL },
    { "Aldar Al-Qabira", "Dar Kabira", "Al-Dar al-Kabirah", NULL },
    { "Hashimiya", "Hashemiyeh", "Al-Hashimiya", "Hashimiyah", NULL },
    { "Moadamiya", "Muadamiyah", "Moadamiyeh", "Mouadamiya", NULL },
    { "Rastan", "Al-Rastan", "Ar Rastan", "Arrastan", NULL },
    { "Raqqa", "Raqqah", "Al-Raqqa", "Ar-Raqqah", NULL },
    { "Zaitoun", "Zaytun", "Zaytoun", NULL },
    { "Mayadin", "Mayadeen", "Al-Mayadin", NULL },
    { "Sham", "Elsham", "Ash-Sham", "Ashsham", NULL },
    { "Daraa", "Dar'a", "Daraa", NULL },
    { "Qusayr", "Kusayr", "Al-Qusayr", "Qousayr", NULL },
    { "Darat Izza", "Dārat ‘Izzah", "Darat Izzah", NULL },
    { "Afrin", "Efrin", "‘Afrīn", "Afreen", NULL },
    { "Idlib", "Edlib", "Idleb", NULL },
    { "Irbin", "Erbin", "Arbin", "‘Irbīn", NULL },
    { "Foua", "Foah", "Fouaa", NULL },
};

/* Names of different places that must not meet. */
static const char *const ga_apart[][2] = {
    { "Homs", "Hama" },
    { "Daraya", "Deraa" },     /* e -> i keeps them apart: dir / daray */
    { "Daraya", "Daraa" },     /* daray / dar */
    { "Idlib", "Aleppo" },
    { "Rastan", "Raqqa" },
    { "Aleppo", "Eppo" },      /* al before a vowel is not an article */
    { "Assad", "Sad" },        /* assimilated article needs 4 letters left */
    { "Hama", "Hamah Hama" },
    { "Kafr Nabl", "Kafr Nabuda" },
    { "Tell Abyad", "Tell Rifaat" },
};

/* Spellings the phonetic key keeps apart that the consonant key must
 * bring together: a news spelling and OCHA's. */
static const char *const ga_meet_consonants[][5] = {
    { "Latamneh", "Latmana", NULL },
    { "Ain Tarma", "Ein Terma", NULL },
    { "Beit Sahem", "Beit Sahm", NULL },
    { "Mhardeh", "Muhradah", NULL },
    { "Sheikh Maskin", "Sheikh Miskine", NULL },
    { "Beit Jinn", "Bait Jan", NULL },
    { "Shaykh Maqsud", "Sheikh Maksoud", NULL },
};

/* Names the consonant key must leave apart, or give no key at all (fewer
 * than four consonants: an Arabic root, which many names share). */
static const char *const ga_apart_consonants[][2] = {
    { "Kefraya", "Kafir" },         /* kfr: no key */
    { "Homs", "Hama" },
    { "Latamneh", "Latakia" },
    { "Kafr Nabl", "Kafr Nabuda" },
    { "Jobar", "Jober" },           /* jbr: no key */
};

/* Every spelling of each group gives the first one's key under fn, and
 * that key is not empty. */
static void check_meet(ga_rc (*fn)(const char *, size_t, ga_buf *), const char *const (*groups)[5],
                       size_t n)
{
    for (size_t g = 0; g < n; g++) {
        char want[128];
        snprintf(want, sizeof want, "%s", key(fn, groups[g][0]));
        CHECK(want[0] != 0);
        for (size_t k = 1; k < 5 && groups[g][k]; k++) {
            const char *got = key(fn, groups[g][k]);
            if (strcmp(got, want) != 0)
                fprintf(stderr, "must meet: '%s' -> '%s' vs '%s' -> '%s'\n",
                        groups[g][0], want, groups[g][k], got);
            CHECK_STR(got, want);
        }
    }
}

/* The two names of each pair give different keys under fn, or the first
 * none at all. */
static void check_apart(ga_rc (*fn)(const char *, size_t, ga_buf *), const char *const (*pairs)[2],
                        size_t n)
{
    for (size_t p = 0; p < n; p++) {
        char a[128];
        snprintf(a, sizeof a, "%s", key(fn, pairs[p][0]));
        const char *b = key(fn, pairs[p][1]);
        if (a[0] && strcmp(a, b) == 0)
            fprintf(stderr, "must not meet: '%s' / '%s' -> '%s'\n", pairs[p][0], pairs[p][1], a);
        CHECK(!a[0] || strcmp(a, b) != 0);
    }
}

/* Each name of the table gives exactly its key under fn. */
static void check_keys(ga_rc (*fn)(const char *, size_t, ga_buf *), const char *const (*table)[2],
                       size_t n)
{
    for (size_t i = 0; i < n; i++) CHECK_STR(key(fn, table[i][0]), table[i][1]);
}

static void test_key_skeleton(void)
{
    check_meet(key_skeleton, ga_meet_consonants,
               sizeof ga_meet_consonants / sizeof *ga_meet_consonants);
    check_apart(key_skeleton, ga_apart_consonants,
                sizeof ga_apart_consonants / sizeof *ga_apart_consonants);
    static const char *const exact[][2] = {
        { "Latamneh", "ltmn" },
        { "Ain Tarma", "n trm" },
        { "Beit Sahem", "bt shm" },
        { "Kefraya", "" },          /* three consonants */
        { "Ai Ai", "" },            /* no consonant at all */
        { "الرستن", "" },           /* Arabic script writes no short vowels */
    };
    check_keys(key_skeleton, exact, sizeof exact / sizeof *exact);
    /* appends, and leaves out only its own part when too short */
    ga_buf b = {0};
    ga_buf_puts(&b, "k:");
    CHECK_INT(ga_key_skeleton("kafr", 4, &b), GA_OK);
    CHECK_STR(b.data, "k:");
    CHECK_INT(ga_key_skeleton("latamn", 6, &b), GA_OK);
    CHECK_STR(b.data, "k:ltmn");
    ga_buf_free(&b);
}

static void test_key_phonetic(void)
{
    check_meet(ga_key_phonetic, ga_meet, sizeof ga_meet / sizeof *ga_meet);
    check_apart(ga_key_phonetic, ga_apart, sizeof ga_apart / sizeof *ga_apart);

    /* the exact keys, so a rule change is seen */
    static const char *const exact[][2] = {
        { "Talbeesa", "talbis" },
        { "Za'afarana", "zafaran" },
        { "Aldar Al-Qabira", "dar kabir" },
        { "Hashemiyeh", "hashim" },
        { "Moadamiya", "muadam" },
        { "Homs", "hums" },
        { "Hama", "ham" },
        { "Deraa", "dir" },
        { "Daraya", "daray" },
        { "Aleppo", "alipu" },
        { "Philadelphia", "filadilf" },
        { "Al", "al" },
        { "Abu", "abu" },           /* short words kept */
        { "Dee", "de" },            /* final e kept */
        { "2011", "2011" },         /* digits not collapsed */
        { "الرستن", "رستن" },       /* Arabic untouched */
        { "", "" },
    };
    check_keys(ga_key_phonetic, exact, sizeof exact / sizeof *exact);

    /* ga_key_phonetic_word on a strict word key, appending */
    ga_buf b = {0};
    ga_buf_puts(&b, "k:");
    CHECK_INT(ga_key_phonetic_word("talbiseh", 8, &b), GA_OK);
    CHECK_STR(b.data, "k:talbis");
    CHECK_INT(ga_key_phonetic_word("aldar", 5, &b), GA_OK);
    CHECK_STR(b.data, "k:talbisdar");
    CHECK_INT(ga_key_phonetic_word("", 0, &b), GA_OK);
    CHECK_STR(b.data, "k:talbisdar");
    ga_buf_free(&b);
}

/* ---- tokens ----------------------------------------------------------- */

static void test_tokens_basic(void)
{
    const char *s = "Al-Rastan's Za'afarana, 1,500 rebels' HQ; \xC3\x89mile's 3.5km.";
    ga_tokens t = {0};
    CHECK_INT(ga_tokenize(s, strlen(s), &t), GA_OK);
    static const char *const want[] = {
        "Al", "-", "Rastan", "'s", "Za'afarana", ",", "1,500", "rebels", "'",
        "HQ", ";", "\xC3\x89mile", "'s", "3.5", "km", ".",
    };
    CHECK_INT(t.n, sizeof want / sizeof *want);
    for (size_t i = 0; i < t.n && i < sizeof want / sizeof *want; i++)
        CHECK_STR(tok_text(s, &t, i), want[i]);
    if (t.n == sizeof want / sizeof *want) {
        CHECK_INT(t.v[0].flags, GA_TOK_WORD | GA_TOK_CAP | GA_TOK_SENT);
        CHECK_INT(t.v[1].flags, GA_TOK_PUNCT);
        CHECK_INT(t.v[2].flags, GA_TOK_WORD | GA_TOK_CAP);
        CHECK_INT(t.v[3].flags, GA_TOK_POSS);
        CHECK_INT(t.v[3].start, 9);
        CHECK_INT(t.v[3].end, 11);
        CHECK_INT(t.v[4].flags, GA_TOK_WORD | GA_TOK_CAP | GA_TOK_SPACE);
        CHECK_INT(t.v[6].flags, GA_TOK_NUM | GA_TOK_SPACE);
        CHECK_INT(t.v[7].flags, GA_TOK_WORD | GA_TOK_SPACE);
        CHECK_INT(t.v[8].flags, GA_TOK_PUNCT);                 /* plural ' */
        CHECK_INT(t.v[9].flags, GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS | GA_TOK_SPACE);
        CHECK_INT(t.v[11].flags, GA_TOK_WORD | GA_TOK_CAP | GA_TOK_SPACE);
        CHECK_INT(t.v[12].flags, GA_TOK_POSS);
        CHECK_INT(t.v[13].flags, GA_TOK_NUM | GA_TOK_SPACE);
        CHECK_INT(t.v[13].start, strlen(s) - 6);
        CHECK_INT(t.v[14].end, strlen(s) - 1);
    }
    ga_vec_free(&t);

    /* other forms of words */
    const char *u = "Assad’s T72 1st ʿAfrin don't Ma’arrat IS";
    CHECK_INT(ga_tokenize(u, strlen(u), &t), GA_OK);
    CHECK(find_tok(u, &t, "Assad") == 0);
    CHECK(flag_of(u, &t, "’s", GA_TOK_POSS));
    CHECK(flag_of(u, &t, "T72", GA_TOK_WORD));
    CHECK(flag_of(u, &t, "1st", GA_TOK_WORD));
    CHECK(!flag_of(u, &t, "1st", GA_TOK_NUM));
    CHECK(flag_of(u, &t, "ʿAfrin", GA_TOK_CAP));
    CHECK(find_tok(u, &t, "don't") >= 0);
    CHECK(find_tok(u, &t, "Ma’arrat") >= 0);
    CHECK(flag_of(u, &t, "IS", GA_TOK_ALLCAPS));
    ga_vec_free(&t);

    /* word shapes: ASCII words take a fast path, words with an apostrophe
     * or a non-ASCII byte the full scan; both must shape words alike, at
     * the end of the input too */
    static const struct { const char *w; uint32_t flags; } shapes[] = {
        {"T72", GA_TOK_WORD | GA_TOK_CAP},
        {"US", GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS},
        {"USA1", GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS},
        {"U2S", GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS},
        {"A", GA_TOK_WORD | GA_TOK_CAP},
        {"aB", GA_TOK_WORD},
        {"iPhone", GA_TOK_WORD},
        {"McDonald", GA_TOK_WORD | GA_TOK_CAP},
        {"Homs", GA_TOK_WORD | GA_TOK_CAP},
        {"HOMS\xC3\x89", GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS},
        {"Hom\xC3\xA9", GA_TOK_WORD | GA_TOK_CAP},
        {"O'NEIL", GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS},
        {"x2y", GA_TOK_WORD},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        for (int at_end = 0; at_end < 2; at_end++) {
            char in[64];
            snprintf(in, sizeof in, "the %s%s", shapes[i].w, at_end ? "" : ", then");
            CHECK_INT(ga_tokenize(in, strlen(in), &t), GA_OK);
            CHECK(t.n >= 2);
            if (t.n >= 2) {
                CHECK_INT(t.v[1].flags & (GA_TOK_WORD | GA_TOK_CAP | GA_TOK_ALLCAPS),
                          shapes[i].flags);
                CHECK_INT(t.v[1].end - t.v[1].start, strlen(shapes[i].w));
            }
            ga_vec_free(&t);
        }
    }

    /* Arabic words, Arabic punctuation */
    const char *a = "قصف الرستن، حمص؟ نعم";
    CHECK_INT(ga_tokenize(a, strlen(a), &t), GA_OK);
    CHECK_INT(t.n, 6);
    CHECK(flag_of(a, &t, "الرستن", GA_TOK_ARABIC));
    CHECK(!flag_of(a, &t, "الرستن", GA_TOK_CAP));
    CHECK(flag_of(a, &t, "،", GA_TOK_PUNCT));
    CHECK(flag_of(a, &t, "نعم", GA_TOK_SENT));
    ga_vec_free(&t);

    /* invalid bytes and NUL are punctuation / space, offsets exact */
    const char bad[] = "ab\xFF" "cd\0ef";
    CHECK_INT(ga_tokenize(bad, sizeof bad - 1, &t), GA_OK);
    CHECK_INT(t.n, 4);
    if (t.n == 4) {
        CHECK_INT(t.v[1].flags & GA_TOK_PUNCT, GA_TOK_PUNCT);
        CHECK_INT(t.v[1].start, 2);
        CHECK_INT(t.v[2].start, 3);
        CHECK_INT(t.v[3].start, 6);
        CHECK(t.v[3].flags & GA_TOK_SPACE);
    }
    ga_vec_free(&t);

    /* very long token */
    ga_buf big = {0};
    for (int i = 0; i < 200000; i++) ga_buf_putc(&big, 'x');
    ga_buf_puts(&big, " y");
    CHECK_INT(ga_tokenize(big.data, big.len, &t), GA_OK);
    CHECK_INT(t.n, 2);
    CHECK_INT(t.v[0].end, 200000);
    ga_vec_free(&t);
    ga_buf_free(&big);

    /* empty input, appending */
    CHECK_INT(ga_tokenize("", 0, &t), GA_OK);
    CHECK_INT(t.n, 0);
    CHECK_INT(ga_tokenize("a", 1, &t), GA_OK);
    CHECK_INT(ga_tokenize("b", 1, &t), GA_OK);
    CHECK_INT(t.n, 2);
    CHECK(t.v[1].flags & GA_TOK_SENT);    /* first token of each call */
    ga_vec_free(&t);
}

static void test_sentences(void)
{
    ga_tokens t = {0};
    const char *s =
        "Mr. Assad spoke. Shelling hit Rastan! \"Homs is next.\" Gen. Ali and "
        "Dr. Bakr met at 3 p.m. on Monday. U.S. forces left. The U.N. said "
        "so, e.g. Hama. 12 died. Later (at night.) Rebels came.";
    CHECK_INT(ga_tokenize(s, strlen(s), &t), GA_OK);
    CHECK(flag_of(s, &t, "Mr", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "Assad", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "Shelling", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "\"", GA_TOK_SENT));        /* opening quote */
    CHECK(!flag_of(s, &t, "Homs", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "Gen", GA_TOK_SENT));       /* after ." */
    CHECK(!flag_of(s, &t, "Ali", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "Bakr", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "on", GA_TOK_SENT));       /* p.m. on */
    CHECK(flag_of(s, &t, "U", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "forces", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "The", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "said", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "Hama", GA_TOK_SENT));     /* e.g. Hama */
    CHECK(flag_of(s, &t, "12", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "Rebels", GA_TOK_SENT));    /* after .) */

    /* ga_sentence_of: "Shelling hit Rastan!" */
    long i = find_tok(s, &t, "Rastan");
    size_t a = 0, b = 0;
    ga_sentence_of(&t, (size_t)i, &a, &b);
    CHECK_STR(tok_text(s, &t, a), "Shelling");
    CHECK_STR(tok_text(s, &t, b), "!");
    ga_sentence_of(&t, 0, &a, &b);
    CHECK_INT(a, 0);
    CHECK_STR(tok_text(s, &t, b), ".");
    ga_sentence_of(&t, t.n - 1, &a, &b);
    CHECK_STR(tok_text(s, &t, a), "Rebels");
    CHECK_INT(b, t.n - 1);
    ga_vec_free(&t);
}

static void test_lines(void)
{
    ga_tokens t = {0};
    /* title on its own line, CRLF, blank line, then wrapped text */
    const char *s =
        "Clashes near Rastan\r\n"
        "Rebels attacked an army post north of the town on Sunday, according\r\n"
        "to activists, who said the fighting continued in the area around\r\n"
        "Rastan and Talbiseh for several hours before the army withdrew to\r\n"
        "the south.\r\n"
        "\r\n"
        "homs was quiet.\n"
        "Short line\n"
        "lower start\n";
    CHECK_INT(ga_tokenize(s, strlen(s), &t), GA_OK);
    CHECK(flag_of(s, &t, "Clashes", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "Rebels", GA_TOK_SENT));          /* after title */
    CHECK(flag_of(s, &t, "Rebels", GA_TOK_NEWLINE));
    CHECK(flag_of(s, &t, "Rebels", GA_TOK_SPACE));
    CHECK(!flag_of(s, &t, "to", GA_TOK_SENT));
    /* the second Rastan starts a wrapped line: not a sentence start */
    long r = -1;
    for (size_t i = 0; i < t.n; i++)
        if (strcmp(tok_text(s, &t, i), "Rastan") == 0 && (t.v[i].flags & GA_TOK_NEWLINE))
            r = (long)i;
    CHECK(r >= 0);
    if (r >= 0) CHECK(!(t.v[r].flags & GA_TOK_SENT));
    CHECK(flag_of(s, &t, "homs", GA_TOK_SENT));            /* blank line (CRLF) */
    CHECK(flag_of(s, &t, "Short", GA_TOK_SENT));
    CHECK(!flag_of(s, &t, "lower", GA_TOK_SENT));
    CHECK(flag_of(s, &t, "lower", GA_TOK_NEWLINE));
    /* offsets survive CRLF */
    long k = find_tok(s, &t, "Rebels");
    CHECK_INT(t.v[k].start, strlen("Clashes near Rastan\r\n"));
    ga_vec_free(&t);

    /* lone CR line breaks and U+2029 */
    const char *m = "Title\rBody text here.\xE2\x80\xA9" "next para";
    CHECK_INT(ga_tokenize(m, strlen(m), &t), GA_OK);
    CHECK(flag_of(m, &t, "Body", GA_TOK_SENT));
    CHECK(flag_of(m, &t, "next", GA_TOK_SENT));
    ga_vec_free(&t);
}

/* ---- speed (informative, never fails) --------------------------------- */

static void bench_key_word(void)
{
    static const char *const words[] = {
        "Rastan", "Homs", "Talbiseh", "Government", "Syrian", "Observatory",
        "Damascus", "Monday", "Aleppo", "Hama", "Idlib", "Forces",
    };
    enum { N = 2000000 };
    ga_buf b = {0};
    size_t total = 0;
    double t0 = ga_now();
    for (int i = 0; i < N; i++) {
        const char *w = words[i % 12];
        ga_buf_reset(&b);
        ga_key_word(w, strlen(w), &b);
        total += b.len;
    }
    double ns = (ga_now() - t0) * 1e9 / N;
    t0 = ga_now();
    for (int i = 0; i < N; i++) {
        const char *w = words[i % 12];
        ga_buf_reset(&b);
        ga_key_phonetic(w, strlen(w), &b);
        total += b.len;
    }
    double ns2 = (ga_now() - t0) * 1e9 / N;
    fprintf(stderr, "ga_key_word: %.1f ns/token, ga_key_phonetic: %.1f ns/token (%zu)\n",
            ns, ns2, total);
    ga_buf_free(&b);
}

int main(void)
{
    test_utf8_decode();
    test_utf8_encode();
    test_utf8_valid();
    test_utf8_sanitize();
    test_key_strict();
    test_key_growth();
    test_key_phonetic();
    test_key_skeleton();
    test_tokens_basic();
    test_sentences();
    test_lines();
    if (getenv("GA_TEST_BENCH")) bench_key_word();
    return ga_test_result();
}
