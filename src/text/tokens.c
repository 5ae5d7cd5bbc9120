/*
 * tokens.c: the tokenizer and sentence finder (ga_text.h). One pass over
 * the bytes gives words, numbers and single punctuation characters with
 * byte offsets and shape flags, and marks sentence starts. ASCII is
 * classified without library calls; other code points ask utf8proc for
 * their general category.
 */
#include "text/ga_text.h"

#include <string.h>
#include <utf8proc.h>

/* Character classes as the tokenizer sees them. */
enum {
    CH_SPACE,    /* whitespace other than line breaks; controls; BOM */
    CH_NL,       /* line break: LF, CR, U+2028 */
    CH_PARA,     /* paragraph break U+2029: counts as a blank line */
    CH_LETTER,
    CH_DIGIT,
    CH_MARK,     /* combining mark: continues a word */
    CH_FORMAT,   /* ZWJ, ZWNJ, soft hyphen: inside a word only */
    CH_APOS,     /* apostrophe-like: inside a word only */
    CH_OTHER     /* punctuation, symbols, U+FFFD */
};

/* Classes of ASCII bytes, a table because the tokenizer asks for every
 * token: letters, digits, LF and CR (line breaks; CRLF pairing is the
 * caller's), the other controls, space and DEL (space), ' and ` (the
 * apostrophes), everything else (other). */
#define S CH_SPACE
#define N CH_NL
#define L CH_LETTER
#define D CH_DIGIT
#define A CH_APOS
#define O CH_OTHER
static const unsigned char ga_ascii_class[128] = {
    S, S, S, S, S, S, S, S, S, S, N, S, S, N, S, S,
    S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
    S, O, O, O, O, O, O, A, O, O, O, O, O, O, O, O,
    D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O,
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O,
    A, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, S,
};
#undef S
#undef N
#undef L
#undef D
#undef A
#undef O

static inline int class_ascii(unsigned char c) { return ga_ascii_class[c & 0x7F]; }

static int class_of(uint32_t cp)
{
    if (cp < 0x80) return class_ascii((unsigned char)cp);
    switch (cp) {   /* the apostrophes of ga_key_strict's rule 2 */
    case 0xB4: case 0x2018: case 0x2019: case 0x2BB: case 0x2BC:
    case 0x2BE: case 0x2BF: case 0x2032: case 0xFF07:
        return CH_APOS;
    case 0x2028: return CH_NL;
    case 0x2029: return CH_PARA;
    case 0x200B: case 0xFEFF: return CH_SPACE;   /* ZWSP, BOM */
    case 0xFFFD: return CH_OTHER;
    default: break;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
        return CH_LETTER;
    case UTF8PROC_CATEGORY_ND: return CH_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return CH_MARK;
    case UTF8PROC_CATEGORY_CF: return CH_FORMAT;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC:
        return CH_SPACE;
    case UTF8PROC_CATEGORY_ZL: return CH_NL;
    case UTF8PROC_CATEGORY_ZP: return CH_PARA;
    default: return CH_OTHER;
    }
}

/* Case of a letter: 1 upper/title, -1 lower, 0 caseless (Arabic). */
static int case_of(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'a' ? -1 : 1;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return 1;
    case UTF8PROC_CATEGORY_LL: return -1;
    default: return 0;
    }
}

static int is_arabic_script(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* Code point at s[i] (i < n); returns its length. */
static inline size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) { *cp = c; return 1; }
    int bad;
    return ga_utf8_decode(s + i, n - i, cp, &bad);
}

static inline int class_at(const char *s, size_t n, size_t i, uint32_t *cp,
                           size_t *len)
{
    if (i >= n) { *cp = 0; *len = 0; return CH_SPACE; }
    *len = cp_at(s, n, i, cp);
    return class_of(*cp);
}

/* Words before a full stop that do not end a sentence: titles and ranks
 * of people in news text, months, and "No." before a number. Compared
 * case-sensitively as written. Single letters (initials, U.S., U.N., e.g.,
 * i.e.) are handled in is_abbrev. "etc" and "Inc" are left out on purpose:
 * they end sentences as often as not. */
typedef struct { const char *s; size_t n; } ga_abbrev;
#define A(x) { x, sizeof x - 1 }
static const ga_abbrev ga_abbrevs[] = {
    A("Mr"), A("Mrs"), A("Ms"), A("Dr"), A("St"), A("Mt"), A("Ft"), A("Prof"), A("Rev"),
    A("Jr"), A("Sr"), A("Gen"), A("Col"), A("Lt"), A("Sgt"), A("Maj"), A("Capt"), A("Cpl"),
    A("Pvt"), A("Adm"), A("Brig"), A("Cmdr"), A("Gov"), A("Sen"), A("Rep"), A("Pres"),
    A("Jan"), A("Feb"), A("Mar"), A("Apr"), A("Jun"), A("Jul"), A("Aug"), A("Sep"), A("Sept"),
    A("Oct"), A("Nov"), A("Dec"), A("No"), A("Nos"), A("vs"), A("approx"),
};
#undef A

/* The longest of ga_abbrevs: a longer word before a full stop is none of
 * them, which is most words that end a sentence. */
#define GA_ABBREV_MAX 6

/* The first letters of ga_abbrevs, a bit each for the bytes 0x40..0x7F:
 * most words that end a sentence are lower case and start with none of
 * them, and leave without reading the list. */
#define F(c) (1ULL << ((c) - 0x40))
static const uint64_t ga_abbrev_firsts =
    F('A') | F('B') | F('C') | F('D') | F('F') | F('G') | F('J') | F('L') | F('M') | F('N') |
    F('O') | F('P') | F('R') | F('S') | F('a') | F('v');
#undef F

static int is_abbrev(const char *w, size_t n)
{
    uint32_t cp;
    if (n == 0) return 0;
    if (cp_at(w, n, 0, &cp) == n) return 1;   /* one letter */
    if (n > GA_ABBREV_MAX) return 0;
    unsigned char c0 = (unsigned char)w[0];
    if (c0 < 0x40 || c0 >= 0x80 || !(ga_abbrev_firsts >> (c0 - 0x40) & 1)) return 0;
    for (size_t i = 0; i < sizeof ga_abbrevs / sizeof *ga_abbrevs; i++)
        if (ga_abbrevs[i].n == n && ga_abbrevs[i].s[0] == w[0] && memcmp(ga_abbrevs[i].s, w, n) == 0)
            return 1;
    return 0;
}

static int is_terminator(uint32_t cp)
{
    /* . ! ? Arabic question mark, Arabic full stop, ellipsis */
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x061F ||
           cp == 0x06D4 || cp == 0x2026;
}

static int is_closer(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' ||
           cp == 0x2019 || cp == 0x201D || cp == 0xBB || cp == 0x203A;
}

/* A line of at most this many bytes is short enough to be a title. */
#define GA_TITLE_SHORT_BYTES 30
/* No title is longer than this. */
#define GA_TITLE_MAX_BYTES 100

/* Longest line of s, in bytes, without its CR/LF. */
static size_t longest_line(const char *s, size_t n)
{
    size_t best = 0, i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        size_t len = e - i;
        if (len && s[e - 1] == '\r') len--;
        if (len > best) best = len;
        i = e + 1;
    }
    return best;
}

/* A line ended by a single break is a title (the next token starts a
 * sentence) when it is short: at most GA_TITLE_SHORT_BYTES, or under
 * GA_TITLE_MAX_BYTES and under 2/3 of the longest line. Text wrapped at a
 * fixed width has nearly all lines near the longest, so its lines do not
 * count, except the last of a paragraph, which does end a sentence. */
static int is_short_line(size_t len, size_t longest)
{
    return len <= GA_TITLE_SHORT_BYTES ||
           (len < GA_TITLE_MAX_BYTES && 3 * len < 2 * longest);
}

/* Scan a word starting at s[i] (a letter, or a modifier apostrophe before
 * a letter). Returns the end offset and fills flags. */
static size_t scan_word(const char *s, size_t n, size_t i, uint32_t *flags)
{
    int first_case = 2, nupper = 0, nlower = 0, nletters = 0;
    uint32_t cp, cp2, cp3;
    size_t len, len2, len3;
    *flags = GA_TOK_WORD;
    while (i < n) {
        /* fast paths: a run of lower-case ASCII letters, one capital */
        unsigned char b = (unsigned char)s[i];
        if ((unsigned)(b - 'a') < 26u) {
            size_t j = i + 1;
            while (j < n && (unsigned)((unsigned char)s[j] - 'a') < 26u) j++;
            if (first_case == 2) first_case = -1;
            nletters += (int)(j - i);
            nlower += (int)(j - i);
            i = j;
            continue;
        }
        if ((unsigned)(b - 'A') < 26u) {
            if (first_case == 2) first_case = 1;
            nletters++;
            nupper++;
            i++;
            continue;
        }
        if (b < 0x80 && b != '\'' && b != '`') {   /* other ASCII: digit or the end */
            if ((unsigned)(b - '0') < 10u) { i++; continue; }
            break;
        }
        int c = class_at(s, n, i, &cp, &len);
        if (c == CH_LETTER) {
            int k = case_of(cp);
            if (first_case == 2) {
                first_case = k;
                if (is_arabic_script(cp)) *flags |= GA_TOK_ARABIC;
            }
            nletters++;
            nupper += k > 0;
            nlower += k < 0;
            i += len;
        } else if (c == CH_DIGIT || c == CH_MARK) {
            i += len;
        } else if (c == CH_APOS || c == CH_FORMAT) {
            int c2 = class_at(s, n, i + len, &cp2, &len2);
            if (c == CH_FORMAT && (c2 == CH_LETTER || c2 == CH_MARK)) { i += len; continue; }
            if (c != CH_APOS || c2 != CH_LETTER) break;
            /* possessive 's / ’s at the end of the word: split off */
            if ((cp == '\'' || cp == 0x2019) && (cp2 == 's' || cp2 == 'S')) {
                int c3 = class_at(s, n, i + len + len2, &cp3, &len3);
                if (c3 != CH_LETTER && c3 != CH_DIGIT && c3 != CH_MARK && c3 != CH_APOS)
                    break;
            }
            i += len;
        } else {
            break;
        }
    }
    if (first_case > 0 && first_case != 2) *flags |= GA_TOK_CAP;
    if (nletters >= 2 && nupper == nletters && nlower == 0) *flags |= GA_TOK_ALLCAPS;
    return i;
}

/* ASCII byte classes for the word fast path of ga_tokenize. */
enum { AB_LOWER = 1, AB_UPPER = 2, AB_DIGIT = 4, AB_SLOW = 8 };

static const unsigned char ga_ascii_bits[256] = {
    ['a'] = AB_LOWER, ['b'] = AB_LOWER, ['c'] = AB_LOWER, ['d'] = AB_LOWER, ['e'] = AB_LOWER,
    ['f'] = AB_LOWER, ['g'] = AB_LOWER, ['h'] = AB_LOWER, ['i'] = AB_LOWER, ['j'] = AB_LOWER,
    ['k'] = AB_LOWER, ['l'] = AB_LOWER, ['m'] = AB_LOWER, ['n'] = AB_LOWER, ['o'] = AB_LOWER,
    ['p'] = AB_LOWER, ['q'] = AB_LOWER, ['r'] = AB_LOWER, ['s'] = AB_LOWER, ['t'] = AB_LOWER,
    ['u'] = AB_LOWER, ['v'] = AB_LOWER, ['w'] = AB_LOWER, ['x'] = AB_LOWER, ['y'] = AB_LOWER,
    ['z'] = AB_LOWER,
    ['A'] = AB_UPPER, ['B'] = AB_UPPER, ['C'] = AB_UPPER, ['D'] = AB_UPPER, ['E'] = AB_UPPER,
    ['F'] = AB_UPPER, ['G'] = AB_UPPER, ['H'] = AB_UPPER, ['I'] = AB_UPPER, ['J'] = AB_UPPER,
    ['K'] = AB_UPPER, ['L'] = AB_UPPER, ['M'] = AB_UPPER, ['N'] = AB_UPPER, ['O'] = AB_UPPER,
    ['P'] = AB_UPPER, ['Q'] = AB_UPPER, ['R'] = AB_UPPER, ['S'] = AB_UPPER, ['T'] = AB_UPPER,
    ['U'] = AB_UPPER, ['V'] = AB_UPPER, ['W'] = AB_UPPER, ['X'] = AB_UPPER, ['Y'] = AB_UPPER,
    ['Z'] = AB_UPPER,
    ['0'] = AB_DIGIT, ['1'] = AB_DIGIT, ['2'] = AB_DIGIT, ['3'] = AB_DIGIT, ['4'] = AB_DIGIT,
    ['5'] = AB_DIGIT, ['6'] = AB_DIGIT, ['7'] = AB_DIGIT, ['8'] = AB_DIGIT, ['9'] = AB_DIGIT,
    /* what scan_word must see: apostrophes and every non-ASCII byte */
    ['\''] = AB_SLOW, ['`'] = AB_SLOW,
#define R16(x) [x] = AB_SLOW, [x + 1] = AB_SLOW, [x + 2] = AB_SLOW, [x + 3] = AB_SLOW, \
    [x + 4] = AB_SLOW, [x + 5] = AB_SLOW, [x + 6] = AB_SLOW, [x + 7] = AB_SLOW,      \
    [x + 8] = AB_SLOW, [x + 9] = AB_SLOW, [x + 10] = AB_SLOW, [x + 11] = AB_SLOW,    \
    [x + 12] = AB_SLOW, [x + 13] = AB_SLOW, [x + 14] = AB_SLOW, [x + 15] = AB_SLOW
    R16(0x80), R16(0x90), R16(0xA0), R16(0xB0), R16(0xC0), R16(0xD0), R16(0xE0), R16(0xF0),
#undef R16
};

/* scan_word for a word starting with an ASCII letter at s[i] that is
 * ASCII letters and digits to its end: the same end and flags. Runs of
 * lower-case letters, most of a word, take one comparison a byte; the
 * capitals are counted because two or more and no lower-case letter make
 * the word all capitals. Returns 0 when a byte needs scan_word (an
 * apostrophe, or any non-ASCII byte, which may be a letter or mark). */
static inline size_t scan_ascii_word(const char *s, size_t n, size_t i, uint32_t *flags)
{
    unsigned first = ga_ascii_bits[(unsigned char)s[i]];
    size_t j = i + 1, nupper = first == AB_UPPER;
    int lower = first == AB_LOWER;
    unsigned b = 0;
    for (;;) {
        size_t k = j;
        while (k < n && (unsigned)((unsigned char)s[k] - 'a') < 26u) k++;
        if (k > j) { lower = 1; j = k; }
        if (j >= n) { b = 0; break; }
        b = ga_ascii_bits[(unsigned char)s[j]];
        if (!(b & (AB_UPPER | AB_DIGIT))) break;
        nupper += b == AB_UPPER;
        j++;
    }
    if (j < n && (b & AB_SLOW)) return 0;
    uint32_t f = GA_TOK_WORD;
    if (first == AB_UPPER) f |= GA_TOK_CAP;
    if (!lower && nupper >= 2) f |= GA_TOK_ALLCAPS;
    *flags = f;
    return j;
}

/* Scan a number at s[i]: digits with , . (or Arabic ٫ ٬) between digits.
 * Digits run straight into letters (1st, 9mm) make a word. */
static size_t scan_number(const char *s, size_t n, size_t i, uint32_t *flags)
{
    uint32_t cp, cp2;
    size_t len, len2;
    int seps = 0;
    *flags = GA_TOK_NUM;
    while (i < n) {
        int c = class_at(s, n, i, &cp, &len);
        if (c == CH_DIGIT) { i += len; continue; }
        if (cp == ',' || cp == '.' || cp == 0x066B || cp == 0x066C) {
            if (class_at(s, n, i + len, &cp2, &len2) == CH_DIGIT) {
                seps = 1;
                i += len;
                continue;
            }
        }
        if (c == CH_LETTER && !seps) {
            i = scan_word(s, n, i, flags);
            *flags &= ~(uint32_t)(GA_TOK_CAP | GA_TOK_ALLCAPS);
        }
        break;
    }
    return i;
}

/* Does the word token t = s[i..end) start with a lower-case letter? A
 * caseless script (Arabic) never counts as lower case. */
static int lower_word_at(const char *s, size_t n, size_t i, size_t end, uint32_t f)
{
    if (!(f & GA_TOK_WORD) || (f & (GA_TOK_CAP | GA_TOK_ARABIC))) return 0;
    if ((unsigned)((unsigned char)s[i] - 'a') < 26u) return 1;   /* ASCII */
    uint32_t fc = 0;
    size_t k = i, len;
    while (k < end && class_at(s, n, k, &fc, &len) != CH_LETTER) k += len;
    return k < end && case_of(fc) < 0;
}

ga_rc ga_tokenize(const char *s, size_t n, ga_tokens *out)
{
    if (n > UINT32_MAX) return GA_EINVAL;
    size_t longest = longest_line(s, n);
    size_t first = out->n;     /* index of our first token in out */
    /* English news has a token every five to six bytes: room for one every
     * five up front spares growing the vector (and copying it) a dozen
     * times per document */
    if (ga_vec_reserve(out, out->n + n / 5 + 16) != GA_OK) return GA_ENOMEM;
    /* the vector in locals: stores of tokens might otherwise alias its
     * fields, which would be read and written back for every token */
    ga_token *v = out->v;
    size_t nt = out->n, cap = out->cap;
    size_t i = 0;
    size_t line_start = 0;     /* offset of the current line */
    size_t prev_line = 0;      /* length of the line ended by the last break */
    int breaks = 0;            /* line breaks since the last token */
    int space = 0;             /* whitespace since the last token */
    int pending = 0;           /* a sentence terminator was the last token(s) */

    while (i < n) {
        uint32_t cp, cp2;
        size_t len, len2;
        unsigned char b = (unsigned char)s[i];
        if (b == ' ') { space = 1; i++; continue; }
        int c;
        if (b < 0x80) {
            cp = b;
            len = 1;
            c = class_ascii(b);
        } else {
            c = class_at(s, n, i, &cp, &len);
        }
        if (c == CH_SPACE || c == CH_FORMAT) { space = 1; i += len; continue; }
        if (c == CH_NL || c == CH_PARA) {
            if (cp == '\r' && i + 1 < n && s[i + 1] == '\n') len = 2;  /* CRLF */
            prev_line = i - line_start;
            breaks += c == CH_PARA ? 2 : 1;
            space = 1;
            i += len;
            line_start = i;
            continue;
        }

        uint32_t f;
        size_t end;
        if (c == CH_LETTER && cp < 0x80 && (end = scan_ascii_word(s, n, i, &f)) != 0) {
            /* an ASCII word: the common case, flags as scan_word gives them */
        } else if (c == CH_LETTER ||
            (c == CH_APOS && cp >= 0x2BB && cp <= 0x2BF &&
             class_at(s, n, i + len, &cp2, &len2) == CH_LETTER)) {
            end = scan_word(s, n, i, &f);      /* ʿAfrin: ayn starts a word */
        } else if (c == CH_DIGIT) {
            end = scan_number(s, n, i, &f);
        } else if (c == CH_APOS && (cp == '\'' || cp == 0x2019) && nt > first &&
                   v[nt - 1].end == i && (v[nt - 1].flags & GA_TOK_WORD) &&
                   class_at(s, n, i + len, &cp2, &len2) == CH_LETTER &&
                   (cp2 == 's' || cp2 == 'S')) {
            f = GA_TOK_POSS;                   /* possessive split by scan_word */
            end = i + len + len2;
        } else {
            f = GA_TOK_PUNCT;
            end = i + len;
        }

        if (space) f |= GA_TOK_SPACE;
        if (breaks) f |= GA_TOK_NEWLINE;
        /* a word whose first letter is lower case does not start a
         * sentence after a stop or a title (a.m. on, wrapped lines); asked
         * only after a line break or a stop, which most tokens are not */
        if (nt == first || breaks >= 2) {
            f |= GA_TOK_SENT;
        } else if (breaks == 1 || (pending && space)) {
            int lower_word = lower_word_at(s, n, i, end, f);
            if ((breaks == 1 && !lower_word && is_short_line(prev_line, longest)) ||
                (pending && space && !lower_word))
                f |= GA_TOK_SENT;
        }

        /* sentence terminators, and closing quotes/brackets right after one */
        if (!(f & GA_TOK_PUNCT)) {
            pending = 0;
        } else if (is_terminator(cp)) {
            const ga_token *p = nt > first ? &v[nt - 1] : NULL;
            pending = !(cp == '.' && p && p->end == i && (p->flags & GA_TOK_WORD) &&
                        is_abbrev(s + p->start, p->end - p->start));
        } else if (!(pending && !space && is_closer(cp))) {
            pending = 0;
        }

        if (nt == cap) {
            out->n = nt;
            if (ga_vec_reserve(out, nt + 1 + nt / 2) != GA_OK) return GA_ENOMEM;
            v = out->v;
            cap = out->cap;
        }
        v[nt++] = (ga_token){ (uint32_t)i, (uint32_t)end, f };
        i = end;
        breaks = 0;
        space = 0;
    }
    out->n = nt;
    return GA_OK;
}

void ga_sentence_of(const ga_tokens *toks, size_t i, size_t *first_tok,
                    size_t *last_tok)
{
    size_t a = i, b = i;
    if (toks->n == 0) { *first_tok = *last_tok = 0; return; }
    if (i >= toks->n) a = b = toks->n - 1;
    while (a > 0 && !(toks->v[a].flags & GA_TOK_SENT)) a--;
    while (b + 1 < toks->n && !(toks->v[b + 1].flags & GA_TOK_SENT)) b++;
    *first_tok = a;
    *last_tok = b;
}
