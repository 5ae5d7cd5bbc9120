/*
 * lexicon.c: loading the event lexicon (the TSV files in
 * gazetteer/lexicon/ named events_*.tsv and actors.tsv) into token
 * patterns, and matching patterns against the tokens of a text.
 *
 * File format, shared by all five files: one entry per line, columns
 * separated by TAB, '#' starts a comment line, blank lines are skipped. The
 * first column is a phrase written as it appears in text; it is split into
 * tokens with the same tokenizer as the text, so "took to the streets" and
 * "sit-in" match token by token. A '*' right after a word makes it a prefix
 * ("displac*"). Extra columns after the ones a file needs are notes.
 */
#define _POSIX_C_SOURCE 200809L
#include "events/events_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/ga_text.h"

/* ---- matching ---------------------------------------------------------- */

/* Is s[k], s[k + 1] (k + 1 < end) an Arabic mark that writers add or
 * leave out: a short vowel, tanween, shadda, sukun (U+064B..U+0652), the
 * dagger alef (U+0670) or the tatweel (U+0640)? "مدنياً" is "مدنيا",
 * "فرّ" is "فر". */
static inline int arabic_mark(const char *s, size_t k)
{
    unsigned char a = (unsigned char)s[k], b = (unsigned char)s[k + 1];
    return a == 0xD9 && ((b >= 0x8B && b <= 0x92) || b == 0xB0 || b == 0x80);
}

/* 1 when s[0..n) holds an Arabic mark (arabic_mark). */
static int has_arabic_mark(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, 0xD9, (size_t)(end - p))) != NULL && p + 1 < end) {
        if (arabic_mark(p, 0)) return 1;
        p++;
    }
    return 0;
}

size_t ev_tok_lower(const ev_src *s, size_t i, char *buf, size_t cap)
{
    const ga_token *t = &s->toks->v[i];
    size_t o = 0;
    for (uint32_t k = t->start; k < t->end && o + 1 < cap; k++) {
        unsigned char c = (unsigned char)s->text[k];
        if (c == 0xE2 && k + 2 < t->end && (unsigned char)s->text[k + 1] == 0x80 &&
            ((unsigned char)s->text[k + 2] == 0x98 || (unsigned char)s->text[k + 2] == 0x99)) {
            buf[o++] = '\'';
            k += 2;
            continue;
        }
        if (c == 0xD9 && k + 1 < t->end && arabic_mark(s->text, k)) {
            k++;
            continue;
        }
        buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    buf[o] = 0;
    return o;
}

unsigned char ev_tok_first(const ev_src *s, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    if (t->end <= t->start) return 0;
    unsigned char c0 = (unsigned char)s->text[t->start];
    return c0 >= 'A' && c0 <= 'Z' ? (unsigned char)(c0 - 'A' + 'a') : c0;
}

/* Does pattern word w (index k of p) match token i? */
static int word_match(const ev_src *s, const ev_pattern *p, int k, size_t i)
{
    const ga_token *t = &s->toks->v[i];
    const char *w = p->w[k];
    size_t wn = p->wlen[k], tn = t->end - t->start;
    /* lower-casing keeps the length or shortens it (’ becomes '), so a
     * token shorter than the word cannot match */
    if (tn < wn) return 0;
    if (p->exact_case[k])
        return tn == wn && memcmp(s->text + t->start, w, wn) == 0;
    /* quick reject on the first byte before lower-casing the token */
    unsigned char c0 = (unsigned char)s->text[t->start];
    if (c0 >= 'A' && c0 <= 'Z') c0 = (unsigned char)(c0 - 'A' + 'a');
    if (c0 != (unsigned char)w[0] && !(c0 == 0xE2 && w[0] == '\'')) return 0;
    char buf[96];
    if (tn >= sizeof buf) return 0;
    const char *tx = s->text + t->start;
    if (!memchr(tx, 0xE2, tn) && !(c0 >= 0xD8 && has_arabic_mark(tx, tn))) {
        /* no typographic apostrophe and no Arabic mark: lower-casing
         * keeps the length, so compare in place */
        if (p->prefix[k] ? tn < wn : tn != wn) return 0;
        for (size_t j = 1; j < wn; j++) {
            unsigned char c = (unsigned char)tx[j];
            if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
            if (c != (unsigned char)w[j]) return 0;
        }
        return 1;
    }
    size_t n = ev_tok_lower(s, i, buf, sizeof buf);
    if (p->prefix[k]) return n >= wn && memcmp(buf, w, wn) == 0;
    return n == wn && memcmp(buf, w, wn) == 0;
}

int ev_match_at(const ev_src *s, const ev_pattern *p, size_t i, size_t last)
{
    if (p->nw == 0 || i + (size_t)p->nw - 1 > last || last >= s->toks->n) return 0;
    for (int k = 0; k < p->nw; k++)
        if (!word_match(s, p, k, i + (size_t)k)) return 0;
    return p->nw;
}

int ev_match_joined(const ev_src *s, const ev_pattern *p, size_t i, size_t skip)
{
    char buf[96];
    size_t tn = ev_tok_lower(s, i, buf, sizeof buf);
    if (p->nw != 1 || tn <= skip || tn + 1 >= sizeof buf || p->exact_case[0]) return 0;
    size_t n = tn - skip, wn = p->wlen[0];
    if (p->prefix[0] ? n < wn : n != wn) return 0;
    return memcmp(buf + skip, p->w[0], wn) == 0;
}

int ev_match_ending(const ev_src *s, const ev_pattern *p, size_t j, size_t first)
{
    if (p->nw == 0 || j + 1 < first + (size_t)p->nw) return 0;
    return ev_match_at(s, p, j + 1 - (size_t)p->nw, j);
}

/* ---- loading ------------------------------------------------------------ */

static void pattern_free(ev_pattern *p)
{
    for (int k = 0; k < p->nw; k++) free(p->w[k]);
    p->nw = 0;
}

/* Compile phrase into p. Returns GA_EFORMAT when it has no words or too many. */
static ga_rc pattern_compile(const char *phrase, ev_pattern *p)
{
    ga_tokens toks = {0};
    memset(p, 0, sizeof *p);
    ga_rc rc = ga_tokenize(phrase, strlen(phrase), &toks);
    if (rc) return rc;
    for (size_t i = 0; i < toks.n && rc == GA_OK; i++) {
        const ga_token *t = &toks.v[i];
        size_t n = t->end - t->start;
        if (n == 1 && phrase[t->start] == '*' && p->nw > 0 && !(t->flags & GA_TOK_SPACE)) {
            p->prefix[p->nw - 1] = 1;
            continue;
        }
        if (p->nw == EV_PAT_MAX) { rc = GA_EFORMAT; break; }
        char *w = ga_strndup(phrase + t->start, n);
        if (!w) { rc = GA_ENOMEM; break; }
        /* the marks a text may leave out are left out here too, as
         * ev_tok_lower leaves them out of the text's words */
        size_t o = 0;
        for (size_t k = 0; k < n; k++) {
            if (k + 1 < n && arabic_mark(w, k)) { k++; continue; }
            w[o++] = w[k];
        }
        w[o] = 0;
        n = o;
        int exact = (t->flags & GA_TOK_ALLCAPS) != 0;
        if (!exact)
            for (char *c = w; *c; c++)
                if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
        p->exact_case[p->nw] = (unsigned char)exact;
        p->wlen[p->nw] = n;
        p->w[p->nw++] = w;
    }
    ga_vec_free(&toks);
    if (rc == GA_OK && p->nw == 0) rc = GA_EFORMAT;
    if (rc) pattern_free(p);
    return rc;
}

/* Split line in place at TABs into at most max columns (trimmed). */
static int split_tabs(char *line, char **cols, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *tab = strchr(p, '\t');
        if (tab) *tab = 0;
        while (*p == ' ') p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\n')) *--e = 0;
        cols[n++] = p;
        if (!tab) break;
        p = tab + 1;
    }
    return n;
}

/* Index of name in names (NULL-terminated), or -1. */
static int lookup(const char *name, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(name, names[i]) == 0) return i;
    return -1;
}

/* Event types in the order of ga_event_type, then "movement" (EV_TYPE_MOVEMENT). */
static const char *const type_names[] = {"forced_displacement", "evacuation", "flight",
                                         "siege", "return", "protest", "movement", NULL};
static const char *const status_names[] = {"reported", "threatened", "denied", NULL};
static const char *const need_names[] = {"any", "place", "people", NULL};
static const char *const scope_names[] = {"near", "sentence", NULL};
static const char *const cue_names[] = {"site", "origin", "destination", "descriptor", "list",
                                        "mediator", "treaty", "reference", "speaker",
                                        NULL};
static const char *const count_names[] = {"noun", "approx", "min", "max", "mult", "vague",
                                          "verb", "modifier", "exact", NULL};

enum { F_TRIGGERS, F_STATUS, F_ROLES, F_ACTORS, F_COUNTS };

/* Add one parsed line of file `which` to lx; msg gets the problem. */
static ga_rc add_entry(ga_events_lex *lx, int which, char **cols, int ncols, char *msg,
                       size_t cap)
{
    ev_pattern p;
    static const int need_cols[] = {3, 3, 2, 2, 2};
    if (ncols < need_cols[which]) {
        snprintf(msg, cap, "expected %d TAB-separated columns, found %d", need_cols[which], ncols);
        return GA_EFORMAT;
    }
    ga_rc rc = pattern_compile(cols[0], &p);
    if (rc == GA_EFORMAT) snprintf(msg, cap, "bad phrase '%s' (no words, or over %d)", cols[0],
                                   EV_PAT_MAX);
    if (rc) return rc;
    int a = -1, b = -1;
    switch (which) {
    case F_TRIGGERS:
        a = lookup(cols[1], type_names);
        b = lookup(cols[2], need_names);
        if (a < 0 || b < 0) break;
        rc = ga_vec_push(&lx->triggers, ((ev_trigger){p, (ga_event_type)a, b}));
        break;
    case F_STATUS:
        a = lookup(cols[1], status_names);
        b = lookup(cols[2], scope_names);
        if (a < 0 || b < 0) break;
        rc = ga_vec_push(&lx->status, ((ev_status_cue){p, (ga_event_status)a, b}));
        break;
    case F_ROLES:
        a = b = lookup(cols[1], cue_names);
        if (a < 0) break;
        rc = ga_vec_push(&lx->roles, ((ev_role_cue){p, a}));
        break;
    case F_ACTORS: {
        a = b = 0;
        char *name = ga_strdup(cols[1]);
        if (!name) { rc = GA_ENOMEM; break; }
        rc = ga_vec_push(&lx->actors, ((ev_actor){p, name}));
        if (rc) free(name);
        break;
    }
    case F_COUNTS: {
        a = b = lookup(cols[1], count_names);
        if (a < 0) break;
        int64_t v = ncols > 2 && cols[2][0] ? strtoll(cols[2], NULL, 10) : 0;
        rc = ga_vec_push(&lx->counts, ((ev_count_word){p, a, v}));
        break;
    }
    }
    if (a < 0 || b < 0) {
        snprintf(msg, cap, "unknown value in '%s\t%s%s%s'", cols[0], cols[1],
                 ncols > 2 ? "\t" : "", ncols > 2 ? cols[2] : "");
        pattern_free(&p);
        return GA_EFORMAT;
    }
    if (rc) pattern_free(&p);
    return rc;
}

static ga_rc load_file(ga_events_lex *lx, const char *dir, const char *name, int which,
                       ga_err *err)
{
    ga_buf path = {0};
    if (ga_buf_printf(&path, "%s/%s", dir, name)) return ga_err_set(err, GA_ENOMEM, "out of memory");
    FILE *f = fopen(path.data, "r");
    if (!f) {
        ga_rc rc = ga_err_set(err, GA_EIO, "cannot open event lexicon '%s': %s (set "
                              "$GEOANNOT_DATA to the gazetteer/lexicon folder)", path.data,
                              strerror(errno));
        ga_buf_free(&path);
        return rc;
    }
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ga_rc rc = GA_OK;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == 0) continue;
        char *cols[5];
        int n = split_tabs(line, cols, 5);
        char msg[300] = "";
        if ((rc = add_entry(lx, which, cols, n, msg, sizeof msg))) {
            if (rc == GA_ENOMEM) ga_err_set(err, rc, "out of memory");
            else ga_err_set(err, rc, "%s:%ld: %s", path.data, lineno, msg);
            break;
        }
    }
    free(line);
    fclose(f);
    ga_buf_free(&path);
    return rc;
}

/* Chain the triggers by the first byte of their first word (lower-cased,
 * as word_match compares it). */
static ga_rc index_triggers(ga_events_lex *lx, ga_err *err)
{
    lx->trig_next = malloc(lx->triggers.n * sizeof *lx->trig_next);
    if (!lx->trig_next) return ga_err_set(err, GA_ENOMEM, "out of memory");
    for (int b = 0; b < 256; b++) lx->trig_head[b] = -1;
    for (size_t k = lx->triggers.n; k-- > 0;) {
        unsigned char c = (unsigned char)lx->triggers.v[k].p.w[0][0];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        lx->trig_next[k] = lx->trig_head[c];
        lx->trig_head[c] = (long)k;
    }
    return GA_OK;
}

ga_rc ga_events_lex_load(const char *dir, ga_events_lex **out, ga_err *err)
{
    *out = NULL;
    if (!dir) dir = ga_resolver_data_dir();
    ga_events_lex *lx = calloc(1, sizeof *lx);
    if (!lx) return ga_err_set(err, GA_ENOMEM, "out of memory");
    static const char *const files[] = {"events_triggers.tsv", "events_status.tsv",
                                        "events_roles.tsv", "actors.tsv", "events_counts.tsv"};
    ga_rc rc = GA_OK;
    for (int i = 0; i < 5 && rc == GA_OK; i++) rc = load_file(lx, dir, files[i], i, err);
    if (rc == GA_OK && lx->triggers.n == 0)
        rc = ga_err_set(err, GA_EFORMAT, "'%s/events_triggers.tsv' has no triggers", dir);
    if (rc == GA_OK) rc = index_triggers(lx, err);
    if (rc) { ga_events_lex_free(lx); return rc; }
    *out = lx;
    return GA_OK;
}

void ga_events_lex_free(ga_events_lex *lx)
{
    if (!lx) return;
    for (size_t i = 0; i < lx->triggers.n; i++) pattern_free(&lx->triggers.v[i].p);
    for (size_t i = 0; i < lx->status.n; i++) pattern_free(&lx->status.v[i].p);
    for (size_t i = 0; i < lx->roles.n; i++) pattern_free(&lx->roles.v[i].p);
    for (size_t i = 0; i < lx->actors.n; i++) {
        pattern_free(&lx->actors.v[i].p);
        free(lx->actors.v[i].name);
    }
    for (size_t i = 0; i < lx->counts.n; i++) pattern_free(&lx->counts.v[i].p);
    ga_vec_free(&lx->triggers);
    free(lx->trig_next);
    ga_vec_free(&lx->status);
    ga_vec_free(&lx->roles);
    ga_vec_free(&lx->actors);
    ga_vec_free(&lx->counts);
    free(lx);
}

const char *ev_pattern_str(const ev_pattern *p, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = 0;
    for (int k = 0; k < p->nw && o + 1 < cap; k++) {
        int n = snprintf(buf + o, cap - o, "%s%s%s", k ? " " : "", p->w[k],
                         p->prefix[k] ? "*" : "");
        if (n < 0) break;
        o += (size_t)n;
    }
    return buf;
}
