/*
 * ga_text.h: the text layer of geoannot. UTF-8 checking and repair, name
 * keys (the folding that lets "Al-Rastan", "Ar Rastan" and "Rastan" meet,
 * and the looser phonetic key that lets "Talbeesa" find "Talbiseh"),
 * tokens and sentences.
 *
 * Pipeline, in the order text flows through it:
 *
 *   bytes -> ga_utf8_sanitize   invalid sequences become U+FFFD, offsets of
 *                               the bad bytes are reported
 *         -> ga_tokenize        words, numbers and punctuation with byte
 *                               offsets and shape flags; sentence starts
 *         -> ga_key_word        per-token strict key (fold below)
 *         -> span keys          the resolver joins word keys with one space,
 *                               leaving out articles that are not the last
 *                               word (ga_key_is_article)
 *
 * Strict key (ga_key_strict / ga_key_word), applied identically to gazetteer
 * names and to text:
 *   1. Unicode NFKD, combining marks removed (Ḩamāh -> hamah), case folded;
 *   2. apostrophe-like characters dropped: ' ’ ‘ ` ´ ʿ ʾ ʻ ʼ ′ (Za'afarana ->
 *      zaafarana);
 *   3. every other non-letter, non-digit character (hyphen, dot, comma,
 *      space, slash, parentheses ...) is a word separator; runs of
 *      separators become one space; leading/trailing space trimmed;
 *   4. Arabic script: harakat (U+064B..U+0652, U+0670) and tatweel U+0640
 *      removed; alef forms أ إ آ ٱ -> ا; ة -> ه; ى -> ي; ؤ -> و; ئ -> ي;
 *      Persian/Urdu yeh and kaf ی ک -> ي ك; the article ال at the start of
 *      a word of 4+ letters removed (الرستن -> رستن); Arabic-Indic and
 *      Persian digits -> ASCII digits (١٢ -> 12);
 *   (also: default-ignorable characters such as soft hyphen, ZWJ, ZWNJ and
 *      BOM are removed without splitting the word; U+200B ZERO WIDTH SPACE
 *      is a separator)
 *   5. (ga_key_strict only, on whole names) a Latin article word (al el ar
 *      as ad at az an ash ath adh ed er es et ez en esh ul il, listed in
 *      ga_key_is_article) is dropped when another word follows it, an
 *      assimilated one (ar, ash, an...) only when that word starts with its
 *      consonant: "Tell al-Abyad" -> "tell abyad", "Al-Rastan" -> "rastan",
 *      "Ar Rastan" -> "rastan", but "An Axel" stays "an axel" and the name
 *      "Al" stays "al".
 *
 * Phonetic key (ga_key_phonetic): the strict key, then per word, rules for
 * romanised Arabic, in this order (keys.c says why for each):
 *   a. attached article: al/el before a consonant dropped when 3+ letters
 *      remain (aldar -> dar, elsham -> sham; Aleppo stays whole); an
 *      assimilated article, a/e + doubled sun letter (t d r z s n, or
 *      sh th dh), dropped when 4+ letters remain (arrastan -> rastan,
 *      ashsham -> sham; Assad stays whole);
 *   b. doubled ASCII letters collapsed (digits are not);
 *   c. one ending dropped when 3+ letters remain: the first match of -iyah
 *      -iyeh -iyat -iyet -iya -iye -ieh -ia, else of -eh -ah -at -et -a -e;
 *   d. q -> k; ph -> f; ou, oo, o -> u; ai/ay -> ay; ee, ei, ie, i -> i;
 *      e -> i except as the last letter; y between vowels -> i;
 *   e. doubled letters collapsed again.
 * Only ASCII letters are rewritten; other characters pass through.
 * Examples that must meet: Talbeesa/Talbiseh/Tallbisah,
 * Za'afarana/Zafaraniya, "Aldar Al-Qabira"/"Dar Kabira",
 * Hashimiya/Hashemiyeh, Moadamiya/Muadamiyah. Pairs that must not meet:
 * Homs/Hama, Daraya/Deraa, Idlib/Aleppo, Rastan/Raqqa (tests/unit/
 * test_text.c holds the full tables). The key is deliberately coarse: it
 * finds candidates, the resolver's scoring decides. Known costs: e -> i
 * parts Daraa (dar) from Deraa (dir); Sheikh (shikh) and Shaykh (shaykh)
 * stay apart.
 *
 * All functions append to `out` (they do not reset it), work on any byte
 * string (invalid UTF-8 is treated as U+FFFD, which is a separator) and
 * return GA_OK or GA_ENOMEM. ASCII input takes a fast path with no Unicode
 * library calls.
 */
#ifndef GA_TEXT_H
#define GA_TEXT_H

#include "core/ga_core.h"

/* ---- UTF-8 ------------------------------------------------------------ */

/* Decode one code point from s[0..n). Returns the number of bytes used
 * (1..4). On an invalid, overlong, surrogate or truncated sequence returns 1
 * and sets *cp = 0xFFFD and *bad = 1 (else *bad = 0). n must be > 0. */
size_t ga_utf8_decode(const char *s, size_t n, uint32_t *cp, int *bad);

/* Encode cp into out (1..4 bytes). Returns bytes written. */
size_t ga_utf8_encode(uint32_t cp, char out[4]);

/* 1 when s[0..n) is valid UTF-8 (no NUL bytes allowed when nul_ok is 0);
 * otherwise 0 and *bad_off (if not NULL) is the byte offset of the first
 * bad byte. */
int ga_utf8_valid(const char *s, size_t n, int nul_ok, size_t *bad_off);

/* Copy s[0..n) to out, replacing each invalid byte by U+FFFD and each NUL
 * byte by a space. *nbad (if not NULL) receives the number of replacements
 * and *first_bad the byte offset of the first one in s (SIZE_MAX if none).
 * Valid input is copied unchanged, so byte offsets into out equal offsets
 * into s exactly when *nbad == 0. */
ga_rc ga_utf8_sanitize(const char *s, size_t n, ga_buf *out, size_t *nbad,
                       size_t *first_bad);

/* ---- name keys -------------------------------------------------------- */

/* Strict key of a whole name (rules 1-5 above), appended to out. */
ga_rc ga_key_strict(const char *s, size_t n, ga_buf *out);
/* Strict key of one token (rules 1-4; no article dropping), appended. An
 * empty result means the token has no letters or digits. */
ga_rc ga_key_word(const char *s, size_t n, ga_buf *out);
/* 1 when the strict key k[0..n) is a word that the strict key joins to
 * the word after it (كفر, Kafr: "كفر بطنا" and "كفربطنا" have one key),
 * so that a name may go on past it though no key starts with it as a
 * word. */
int ga_key_joins_next(const char *k, size_t n);

/* The letter that Arabic joins to the word after it as a word of its own
 * (و and, ف and so, ب in, ل to or of) when s[0..n) starts with one and at
 * least two more letters follow: its code point (U+0648, U+0641, U+0628,
 * U+0644), else 0. */
uint32_t ga_ar_joined_letter(const char *s, size_t n);
/* Phonetic key of a whole name (strict key, then the phonetic rules). */
ga_rc ga_key_phonetic(const char *s, size_t n, ga_buf *out);
/* Phonetic key of one already-strict word key, appended (space-separated
 * words are each keyed). key must not point into out. */
ga_rc ga_key_phonetic_word(const char *key, size_t n, ga_buf *out);
/* Consonant key of a phonetic key pkey[0..n), appended: each word without
 * its vowels (a e i o u, and y, which writers use as a vowel: Bait /
 * Beit, Shaykh / Sheikh) and with doubled letters once, words that keep
 * no letter left out. "Latamneh" / "Latmana" (ltmn), "Ain Tarma" / "Ein
 * Terma" (n trm), "Beit Sahem" / "Beit Sahm" (bt shm). Nothing is
 * appended when fewer than four Latin consonants remain (three are an
 * Arabic root, which many names share: Kafr, Kafir, Kefraya), so Arabic
 * script, which writes no short vowels anyway, has no consonant key. Far coarser than the
 * phonetic key: the resolver keeps such a match only where the text's
 * context supports it. */
ga_rc ga_key_skeleton(const char *pkey, size_t n, ga_buf *out);
/* 1 when the strict word key k[0..n) is a Latin Arabic article (al, el, ...). */
int ga_key_is_article(const char *k, size_t n);

/* ---- tokens and sentences -------------------------------------------- */

enum {
    GA_TOK_WORD      = 1 << 0,  /* letters (maybe with digits, inner apostrophes) */
    GA_TOK_NUM       = 1 << 1,  /* digits, maybe with , . separators (1,500) */
    GA_TOK_PUNCT     = 1 << 2,  /* one punctuation or symbol character */
    GA_TOK_CAP       = 1 << 3,  /* word whose first letter is upper case */
    GA_TOK_ALLCAPS   = 1 << 4,  /* word of 2+ letters, all upper case */
    GA_TOK_ARABIC    = 1 << 5,  /* word in Arabic script */
    GA_TOK_SENT      = 1 << 6,  /* first token of a sentence (or of a line/title) */
    GA_TOK_SPACE     = 1 << 7,  /* whitespace precedes this token */
    GA_TOK_NEWLINE   = 1 << 8,  /* a line break precedes this token */
    GA_TOK_POSS      = 1 << 9   /* possessive 's / ’s split off the word before */
};

typedef struct {
    uint32_t start;   /* byte offset of the first byte */
    uint32_t end;     /* byte offset one past the last byte */
    uint32_t flags;   /* GA_TOK_* bits */
} ga_token;

typedef GA_VEC(ga_token) ga_tokens;

/* Split s[0..n) into tokens, appended to out. Words keep inner apostrophes
 * (Za'afarana is one token) but a trailing possessive 's/’s is split into
 * its own token flagged GA_TOK_POSS; hyphens are punctuation tokens
 * (Al-Rastan is Al, -, Rastan). Sentence starts: the first token, the
 * token after a line break that follows a blank line or ends a short line
 * (titles), and the first word after . ! ? (optionally followed by closing
 * quotes/brackets) unless the word before the dot is a known abbreviation
 * (Mr Mrs Dr St Gen Col Lt Sgt Gov Sen Rep Jan Feb ... U.S. U.N. e.g. i.e.
 * and single capital letters). Offsets are bytes; s need not be valid
 * UTF-8 (invalid bytes are treated as U+FFFD punctuation).
 *
 * Details the summary leaves out:
 *  - the possessive token carries GA_TOK_POSS only (not GA_TOK_WORD), so
 *    span finders skip it;
 *  - any single letter before a dot is an abbreviation (initials, U.S.,
 *    e.g., a.m.); abbreviations are matched case-sensitively;
 *  - after . ! ? and after a title line, a word whose first letter is lower
 *    case does not start a sentence ("3 p.m. on Monday", wrapped lines);
 *    after a blank line it always does;
 *  - a "short line" is at most 30 bytes, or under 100 bytes and under 2/3
 *    of the longest line of s (so text wrapped at a fixed width does not
 *    start a sentence on every line); CR, LF, CRLF and U+2028 are line
 *    breaks, U+2029 counts as a blank line;
 *  - digits running into letters make one word (1st, T72); modifier-letter
 *    ayn/hamza (ʿ ʾ) may start a word (ʿAfrin);
 *  - whitespace, control characters (NUL included) and BOM separate tokens
 *    and are not tokens.
 * Returns GA_OK, GA_ENOMEM, or GA_EINVAL when n > UINT32_MAX (offsets are
 * 32-bit). Tokens are appended; the first token of each call starts a
 * sentence. */
ga_rc ga_tokenize(const char *s, size_t n, ga_tokens *out);

/* Token indices [*first_tok, *last_tok] (inclusive) of the sentence holding
 * token i: a run of tokens from a GA_TOK_SENT token to the one before the
 * next. Its byte range is toks->v[*first_tok].start to
 * toks->v[*last_tok].end. i >= toks->n is clamped to the last token; an
 * empty toks gives 0, 0. */
void ga_sentence_of(const ga_tokens *toks, size_t i, size_t *first_tok,
                    size_t *last_tok);

#endif
