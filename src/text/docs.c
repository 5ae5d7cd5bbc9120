/*
 * docs.c: the document reader of ga_doc.h. Turns files, directories and
 * standard input into ga_doc records: text files whole, JSON Lines one
 * line at a time, every text repaired to valid UTF-8 with a warning, and
 * every problem reported with the file (and line) it came from. A JSON
 * Lines object of string members (nearly every line) is read by a small
 * flat reader here; any other line is parsed with cJSON, which reads them
 * about four times as fast as jansson; the rare line that escapes a NUL
 * character (\u0000), which cJSON's C strings cannot hold, goes to
 * jansson so that no text is lost.
 */
#define _POSIX_C_SOURCE 200809L
#include "text/ga_doc.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text/ga_text.h"

/* A text is binary (refused) when at least this share of its bytes are NUL,
 * or at least GA_DOC_BINARY_BAD_PCT are invalid UTF-8, counting at least
 * GA_DOC_BINARY_MIN_BYTES such bytes (a stray byte in a short file is a
 * typo to repair, not a binary file). */
#define GA_DOC_BINARY_NUL_PCT 1
#define GA_DOC_BINARY_BAD_PCT 10
#define GA_DOC_BINARY_MIN_BYTES 4
/* Titles longer than this are cut (at a character boundary). */
#define GA_DOC_TITLE_MAX 400
/* Directory nesting walked at most (guards against symlink loops). */
#define GA_DOC_MAX_DEPTH 32

struct ga_doc_reader {
    char **files;          /* files to read, sorted */
    uint64_t *sizes;       /* their sizes in bytes */
    size_t nfiles;         /* entries in files */
    size_t next_file;      /* index of the next file to open */
    FILE *jf;              /* open JSON Lines stream, or NULL */
    const char *jpath;     /* its name for messages */
    long jline;            /* line number of the last line read */
    char *line;            /* the current line */
    size_t line_cap;       /* its capacity */
    char *rb;              /* read buffer of the JSON Lines stream */
    size_t rb_pos, rb_len; /* unread bytes rb[rb_pos..rb_len) */
    int is_stdin;          /* path was "-" */
    int stdin_done;        /* standard input fully consumed */
    ga_buf prefix;         /* stdin bytes read while sniffing the format */
    ga_buf flat;           /* strings of the last line read by the flat reader */
    uint64_t done;         /* bytes consumed */
    uint64_t total;        /* bytes in all files (0 for stdin) */
};

/* ---- small helpers ----------------------------------------------------- */

int ga_doc_date_valid(const char *s)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 0;
    return 1;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    if (n <= e) return 0;
    const char *p = path + n - e;
    for (size_t i = 0; i < e; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != ext[i]) return 0;
    }
    return 1;
}

/* File name without directory and last extension (malloc'd). */
static char *file_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return ga_strndup(base, n);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static ga_rc add_file(ga_doc_reader *r, const char *path, uint64_t size, size_t *cap)
{
    if (r->nfiles == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **f = realloc(r->files, nc * sizeof *f);
        if (!f) return GA_ENOMEM;
        r->files = f;
        uint64_t *s = realloc(r->sizes, nc * sizeof *s);
        if (!s) return GA_ENOMEM;
        r->sizes = s;
        *cap = nc;
    }
    if (!(r->files[r->nfiles] = ga_strdup(path))) return GA_ENOMEM;
    r->sizes[r->nfiles++] = size;
    return GA_OK;
}

/* Collect .txt and .jsonl files under dir (recursively, hidden entries
 * skipped). Unreadable subdirectories are an error naming them. */
static ga_rc walk_dir(ga_doc_reader *r, const char *dir, int depth, size_t *cap, ga_err *err)
{
    if (depth > GA_DOC_MAX_DEPTH)
        return ga_err_set(err, GA_EINVAL, "'%s': directories nested too deeply (a symlink loop?)",
                          dir);
    DIR *d = opendir(dir);
    if (!d) return ga_err_set(err, GA_EIO, "cannot open directory '%s': %s", dir, strerror(errno));
    ga_rc rc = GA_OK;
    ga_buf p = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        ga_buf_reset(&p);
        if (ga_buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                          e->d_name)) { rc = GA_ENOMEM; break; }
        struct stat sb;
        if (stat(p.data, &sb) != 0) continue;     /* dangling symlink */
        if (S_ISDIR(sb.st_mode)) {
            if ((rc = walk_dir(r, p.data, depth + 1, cap, err))) break;
        } else if (S_ISREG(sb.st_mode) && (has_ext(p.data, ".txt") || has_ext(p.data, ".jsonl"))) {
            if ((rc = add_file(r, p.data, (uint64_t)sb.st_size, cap))) break;
        }
    }
    closedir(d);
    ga_buf_free(&p);
    if (rc == GA_ENOMEM) ga_err_set(err, rc, "out of memory");
    return rc;
}

/* ---- opening and closing --------------------------------------------- */

ga_rc ga_doc_reader_open(const char *path, ga_doc_reader **out, ga_err *err)
{
    *out = NULL;
    ga_doc_reader *r = calloc(1, sizeof *r);
    if (!r) return ga_err_set(err, GA_ENOMEM, "out of memory");
    ga_rc rc = GA_OK;
    size_t cap = 0;
    if (strcmp(path, "-") == 0) {
        r->is_stdin = 1;
        goto done;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        rc = ga_err_set(err, GA_EIO, "cannot open '%s': %s", path,
                        errno == ENOENT ? "no such file or directory" : strerror(errno));
        goto done;
    }
    if (S_ISDIR(sb.st_mode)) {
        if ((rc = walk_dir(r, path, 0, &cap, err))) goto done;
        if (r->nfiles == 0) {
            rc = ga_err_set(err, GA_ENOTFOUND, "'%s': no .txt or .jsonl files in this directory",
                            path);
            goto done;
        }
        qsort(r->files, r->nfiles, sizeof *r->files, cmp_str);
        /* sizes were collected in walk order; re-stat after sorting */
        for (size_t i = 0; i < r->nfiles; i++)
            r->sizes[i] = stat(r->files[i], &sb) == 0 ? (uint64_t)sb.st_size : 0;
    } else if (S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)) {
        if ((rc = add_file(r, path, S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0, &cap))) {
            ga_err_set(err, rc, "out of memory");
            goto done;
        }
    } else {
        rc = ga_err_set(err, GA_EINVAL, "'%s' is not a file or directory", path);
        goto done;
    }
    for (size_t i = 0; i < r->nfiles; i++) r->total += r->sizes[i];
done:
    if (rc) { ga_doc_reader_close(r); return rc; }
    *out = r;
    return GA_OK;
}

void ga_doc_reader_close(ga_doc_reader *r)
{
    if (!r) return;
    if (r->jf && r->jf != stdin) fclose(r->jf);
    for (size_t i = 0; i < r->nfiles; i++) free(r->files[i]);
    free(r->files);
    free(r->sizes);
    free(r->line);
    free(r->rb);
    ga_buf_free(&r->prefix);
    ga_buf_free(&r->flat);
    free(r);
}

void ga_doc_clear(ga_doc *doc)
{
    if (!doc) return;
    free(doc->id);
    free(doc->title);
    free(doc->text);
    free(doc->date);
    free(doc->url);
    free(doc->source);
    free(doc->path);
    memset(doc, 0, sizeof *doc);
}

void ga_doc_reader_progress(const ga_doc_reader *r, uint64_t *done, uint64_t *total)
{
    *done = r ? r->done : 0;
    *total = r ? r->total : 0;
}

/* ---- text repair ------------------------------------------------------- */

static void warn_append(ga_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn_append(ga_doc *doc, const char *fmt, ...)
{
    size_t n = strlen(doc->warning);
    if (n && n + 2 < sizeof doc->warning) {
        memcpy(doc->warning + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(doc->warning + n, sizeof doc->warning - n, fmt, ap);
    va_end(ap);
}

/* Check, repair and store raw[0..n) as doc->text. where is "FILE" or
 * "FILE:LINE" for messages; crlf converts CR LF to LF; clean says raw is
 * already known to be valid UTF-8 without NUL bytes (a string of the flat
 * JSON reader, cut from a checked line), which is then not checked again.
 * Refuses binary and empty text. */
static ga_rc set_text(ga_doc *doc, const char *raw, size_t n, const char *where, int crlf,
                      int clean, ga_err *err)
{
    size_t nul = 0, first_nul = SIZE_MAX;
    for (const char *p = raw; !clean && (p = memchr(p, 0, n - (size_t)(p - raw))) != NULL; p++) {
        if (first_nul == SIZE_MAX) first_nul = (size_t)(p - raw);
        nul++;
        if ((size_t)(p - raw) + 1 >= n) break;
    }
    size_t first_bad = SIZE_MAX, nrepl = 0, first_repl = SIZE_MAX;
    int valid = clean || ga_utf8_valid(raw, n, 1, &first_bad);
    ga_buf b = {0};
    ga_rc rc = GA_OK;
    if (valid && nul == 0) {
        rc = ga_buf_append(&b, raw, n);
    } else {
        rc = ga_utf8_sanitize(raw, n, &b, &nrepl, &first_repl);
    }
    if (rc) { ga_buf_free(&b); return ga_err_set(err, GA_ENOMEM, "%s: out of memory", where); }
    size_t invalid = nrepl >= nul ? nrepl - nul : 0;
    if ((nul >= GA_DOC_BINARY_MIN_BYTES && nul * 100 >= n * GA_DOC_BINARY_NUL_PCT) ||
        (invalid >= GA_DOC_BINARY_MIN_BYTES && invalid * 100 >= n * GA_DOC_BINARY_BAD_PCT)) {
        ga_buf_free(&b);
        return ga_err_set(err, GA_EFORMAT, "%s: binary file, not text (%zu NUL bytes, %zu "
                          "invalid UTF-8 bytes in %zu)", where, nul, invalid, n);
    }
    if (!valid)
        warn_append(doc, "invalid UTF-8 at byte %zu replaced by U+FFFD (%zu bytes)", first_bad,
                    invalid);
    if (nul)
        warn_append(doc, "NUL byte at byte %zu replaced by a space (%zu bytes)", first_nul, nul);
    if (crlf && b.len && memchr(b.data, '\r', b.len)) {
        size_t w = 0;
        for (size_t i = 0; i < b.len; i++) {
            if (b.data[i] == '\r' && i + 1 < b.len && b.data[i + 1] == '\n') continue;
            b.data[w++] = b.data[i];
        }
        b.len = w;
        b.data[w] = 0;
    }
    size_t k = 0;
    while (k < b.len && (b.data[k] == ' ' || b.data[k] == '\t' || b.data[k] == '\n' ||
                         b.data[k] == '\r' || b.data[k] == '\f' || b.data[k] == '\v'))
        k++;
    if (k == b.len) {
        ga_buf_free(&b);
        return ga_err_set(err, GA_EFORMAT, "%s: empty document", where);
    }
    doc->text = b.data ? b.data : ga_strdup("");
    doc->text_len = b.len;
    return GA_OK;
}

/* First non-empty line of text, trimmed and cut to GA_DOC_TITLE_MAX bytes. */
static char *first_line(const char *text, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && text[e] != '\n') e++;
        size_t a = i, z = e;
        while (a < z && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r')) a++;
        while (z > a && (text[z - 1] == ' ' || text[z - 1] == '\t' || text[z - 1] == '\r')) z--;
        if (z > a) {
            if (z - a > GA_DOC_TITLE_MAX) {
                z = a + GA_DOC_TITLE_MAX;
                while (z > a && ((unsigned char)text[z] & 0xC0) == 0x80) z--;
            }
            return ga_strndup(text + a, z - a);
        }
        i = e + 1;
    }
    return NULL;
}

/* ---- text files -------------------------------------------------------- */

static ga_rc read_txt(ga_doc_reader *r, const char *path, ga_doc *doc, ga_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) return ga_err_set(err, GA_EIO, "cannot open '%s': %s", path, strerror(errno));
    ga_buf raw = {0};
    ga_rc rc = GA_OK;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uint64_t)sb.st_size > GA_DOC_MAX_TXT_BYTES) {
        rc = ga_err_set(err, GA_EINVAL, "%s: file too large (%.0f MB; a text document may have "
                        "at most %u MB, split it or use JSON Lines)", path,
                        (double)sb.st_size / 1048576.0, GA_DOC_MAX_TXT_BYTES / 1048576u);
        goto done;
    }
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (raw.len + got > GA_DOC_MAX_TXT_BYTES) {
            rc = ga_err_set(err, GA_EINVAL, "%s: file too large (over %u MB)", path,
                            GA_DOC_MAX_TXT_BYTES / 1048576u);
            goto done;
        }
        if (ga_buf_append(&raw, chunk, got)) {
            rc = ga_err_set(err, GA_ENOMEM, "%s: out of memory", path);
            goto done;
        }
    }
    if (ferror(f)) {
        rc = ga_err_set(err, GA_EIO, "cannot read '%s': %s", path, strerror(errno));
        goto done;
    }
    r->done += raw.len;
    if ((rc = set_text(doc, raw.data ? raw.data : "", raw.len, path, 1, 0, err))) goto done;
    doc->id = file_stem(path);
    doc->title = first_line(doc->text, doc->text_len);
    doc->path = ga_strdup(path);
done:
    fclose(f);
    ga_buf_free(&raw);
    return rc;
}

/* Standard input as one text document (prefix holds the bytes sniffed). */
static ga_rc read_stdin_text(ga_doc_reader *r, ga_doc *doc, ga_err *err)
{
    char chunk[65536];
    size_t got;
    ga_rc rc = GA_OK;
    r->stdin_done = 1;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (r->prefix.len + got > GA_DOC_MAX_TXT_BYTES)
            return ga_err_set(err, GA_EINVAL, "standard input: text too large (over %u MB; use "
                              "JSON Lines for large inputs)", GA_DOC_MAX_TXT_BYTES / 1048576u);
        if (ga_buf_append(&r->prefix, chunk, got))
            return ga_err_set(err, GA_ENOMEM, "standard input: out of memory");
    }
    r->done += r->prefix.len;
    if ((rc = set_text(doc, r->prefix.data ? r->prefix.data : "", r->prefix.len,
                       "standard input", 1, 0, err)))
        return rc;
    ga_buf_free(&r->prefix);
    doc->id = ga_strdup("stdin");
    doc->title = first_line(doc->text, doc->text_len);
    doc->path = ga_strdup("-");
    return GA_OK;
}

/* ---- JSON Lines -------------------------------------------------------- */

/* A parsed JSON Lines object: the flat reader below for the common case
 * (an object of string and null members), cJSON for any other object,
 * jansson for a line with an escaped NUL. Only the members a document
 * uses are read. */
#define JFLAT_MAX 16     /* members the flat reader takes; more go to cJSON */

typedef struct {
    const char *key;     /* NUL-terminated, in jflat.buf */
    const char *s;       /* value, NUL-terminated; NULL for null */
    size_t n;            /* value bytes */
} jflat_member;

typedef struct {
    cJSON *c;
    json_t *j;
    int flat;            /* members[0..nflat) hold the object */
    jflat_member m[JFLAT_MAX];
    size_t nflat;
} jline;

typedef struct {
    const char *s;   /* NULL: absent or null */
    size_t n;
    int is_string;
    int has_int;     /* an integral number */
    long long i;
} jmember;

static void jline_member(const jline *o, const char *key, jmember *m)
{
    memset(m, 0, sizeof *m);
    if (o->flat) {
        /* the first member of that name, as cJSON_GetObjectItem finds it */
        for (size_t i = 0; i < o->nflat; i++) {
            if (strcmp(o->m[i].key, key)) continue;
            if (!o->m[i].s) return;
            m->s = o->m[i].s;
            m->n = o->m[i].n;
            m->is_string = 1;
            return;
        }
        return;
    }
    if (o->c) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o->c, key);
        if (!v || cJSON_IsNull(v)) return;
        if (cJSON_IsString(v)) {
            m->s = v->valuestring;
            m->n = strlen(v->valuestring);
            m->is_string = 1;
        } else if (cJSON_IsNumber(v) && v->valuedouble > -9e15 && v->valuedouble < 9e15 &&
                   v->valuedouble == (double)(long long)v->valuedouble) {
            /* (range first: the cast of a larger number is undefined) */
            m->has_int = 1;
            m->i = (long long)v->valuedouble;
        }
        m->s = m->s ? m->s : "";
        return;
    }
    json_t *v = json_object_get(o->j, key);
    if (!v || json_is_null(v)) return;
    m->s = "";
    if (json_is_string(v)) {
        m->s = json_string_value(v);
        m->n = json_string_length(v);
        m->is_string = 1;
    } else if (json_is_integer(v)) {
        m->has_int = 1;
        m->i = (long long)json_integer_value(v);
    }
}

/* Optional string member: NULL when absent or null; a non-string is
 * converted for integers and otherwise skipped with a warning. */
static char *opt_string(const jline *o, const char *key, ga_doc *doc)
{
    jmember m;
    jline_member(o, key, &m);
    if (!m.s) return NULL;
    if (m.is_string) return *m.s ? ga_strdup(m.s) : NULL;
    if (m.has_int) {
        char num[32];
        snprintf(num, sizeof num, "%lld", m.i);
        return ga_strdup(num);
    }
    warn_append(doc, "ignoring \"%s\" (not a string)", key);
    return NULL;
}

/* Does line[0..len) escape a NUL character (\u0000)? */
static int escapes_nul(const char *line, size_t len)
{
    for (const char *p = line; (p = memchr(p, '\\', len - (size_t)(p - line))) != NULL;) {
        size_t left = len - (size_t)(p - line);
        if (left >= 2 && p[1] == '\\') { p += 2; continue; }
        if (left >= 6 && p[1] == 'u' && !memcmp(p + 2, "0000", 4)) return 1;
        p++;
        if (p >= line + len) break;
    }
    return 0;
}

static int hex4(const char *p, uint32_t *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        uint32_t d = c >= '0' && c <= '9' ? (uint32_t)(c - '0')
                   : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (uint32_t)((c | 0x20) - 'a' + 10)
                   : 16;
        if (d == 16) return 0;
        *v = *v << 4 | d;
    }
    return 1;
}

/* One JSON string at line[*i] (the opening quote), unescaped and
 * NUL-terminated into buf; its offset there in *off and length in *n.
 * Returns 0 for what the flat reader leaves to cJSON: a control
 * character, a surrogate escape (paired or not), an escaped NUL, a bad
 * escape or a missing closing quote. */
static int flat_string(const char *line, size_t len, size_t *i, ga_buf *buf, size_t *off,
                       size_t *n)
{
    size_t p = *i + 1;
    *off = buf->len;
    for (;;) {
        size_t run = p;
        /* eight bytes at a time while none is a quote, a backslash or a
         * control character (a flagged word is finished byte by byte) */
        while (p + 8 <= len) {
            uint64_t w, ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            memcpy(&w, line + p, 8);
            uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & high) break;
            p += 8;
        }
        while (p < len && line[p] != '"' && line[p] != '\\' && (unsigned char)line[p] >= 0x20)
            p++;
        if (ga_buf_append(buf, line + run, p - run)) return 0;
        if (p >= len || (unsigned char)line[p] < 0x20) return 0;
        if (line[p] == '"') break;
        /* an escape */
        if (p + 1 >= len) return 0;
        char e = line[p + 1], c;
        switch (e) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u': {
            uint32_t cp;
            if (p + 6 > len || !hex4(line + p + 2, &cp)) return 0;
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
            char u[4];
            if (ga_buf_append(buf, u, ga_utf8_encode(cp, u))) return 0;
            p += 6;
            continue;
        }
        default: return 0;
        }
        if (ga_buf_putc(buf, c)) return 0;
        p += 2;
    }
    *n = buf->len - *off;
    if (ga_buf_putc(buf, 0)) return 0;   /* the terminator, outside the value */
    *i = p + 1;
    return 1;
}

static size_t flat_space(const char *line, size_t len, size_t i)
{
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
        i++;
    return i;
}

/* The flat reader: line[0..len) as an object whose members are all
 * strings or null, at most JFLAT_MAX of them, with nothing after it but
 * spaces, tabs and CRs. Every such line means the same to cJSON, which
 * reads it four times slower; anything else (numbers, nesting, unusual
 * white space, surrogate escapes, any error) returns 0 and goes to cJSON,
 * so errors and odd input keep cJSON's answers. */
static int jline_flat(jline *o, ga_buf *buf, const char *line, size_t len)
{
    size_t off[JFLAT_MAX][2], vn[JFLAT_MAX], kn;
    int isnull[JFLAT_MAX];
    size_t i = flat_space(line, len, 0), nm = 0;
    ga_buf_reset(buf);
    if (i >= len || line[i] != '{') return 0;
    i = flat_space(line, len, i + 1);
    if (i < len && line[i] == '}') {
        i++;
    } else {
        for (;;) {
            if (nm == JFLAT_MAX || i >= len || line[i] != '"') return 0;
            if (!flat_string(line, len, &i, buf, &off[nm][0], &kn)) return 0;
            if (strlen(buf->data + off[nm][0]) != kn) return 0;
            i = flat_space(line, len, i);
            if (i >= len || line[i] != ':') return 0;
            i = flat_space(line, len, i + 1);
            if (i < len && line[i] == '"') {
                if (!flat_string(line, len, &i, buf, &off[nm][1], &vn[nm])) return 0;
                isnull[nm] = 0;
            } else if (i + 4 <= len && !memcmp(line + i, "null", 4)) {
                i += 4;
                isnull[nm] = 1;
            } else {
                return 0;
            }
            nm++;
            i = flat_space(line, len, i);
            if (i < len && line[i] == ',') { i = flat_space(line, len, i + 1); continue; }
            if (i < len && line[i] == '}') { i++; break; }
            return 0;
        }
    }
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
    if (i < len) return 0;
    for (size_t k = 0; k < nm; k++) {
        o->m[k].key = buf->data + off[k][0];
        o->m[k].s = isnull[k] ? NULL : buf->data + off[k][1];
        o->m[k].n = isnull[k] ? 0 : vn[k];
    }
    o->nflat = nm;
    o->flat = 1;
    return 1;
}

/* Parse one line as a JSON object into *o (buf holds the strings of a
 * flat object); on failure fill why. */
static int jline_parse(jline *o, ga_buf *buf, const char *line, size_t len, char *why,
                       size_t wlen)
{
    memset(o, 0, sizeof *o);
    if (!escapes_nul(line, len)) {
        if (jline_flat(o, buf, line, len)) return 0;
        memset(o, 0, sizeof *o);
        const char *end = NULL;
        o->c = cJSON_ParseWithLengthOpts(line, len, &end, 0);
        if (!o->c) {
            const char *at = cJSON_GetErrorPtr();
            size_t off = at && at >= line && at <= line + len ? (size_t)(at - line) : len;
            snprintf(why, wlen, "invalid JSON near byte %zu", off + 1);
            return -1;
        }
        if (!cJSON_IsObject(o->c)) {
            snprintf(why, wlen, "another JSON value");
            return -1;
        }
        while (end && end < line + len && (*end == ' ' || *end == '\t' || *end == '\r')) end++;
        if (end && end < line + len) {
            snprintf(why, wlen, "text after the object at byte %zu", (size_t)(end - line) + 1);
            return -1;
        }
        return 0;
    }
    json_error_t jerr;
    o->j = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (!o->j || !json_is_object(o->j)) {
        snprintf(why, wlen, "%s", o->j ? "another JSON value" : jerr.text);
        return -1;
    }
    return 0;
}

static void jline_free(jline *o)
{
    cJSON_Delete(o->c);
    json_decref(o->j);
    memset(o, 0, sizeof *o);
}

static ga_rc parse_json_line(ga_doc_reader *r, char *line, size_t len, ga_doc *doc,
                             ga_err *err)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%ld", r->jpath, r->jline);
    ga_buf fixed = {0};
    ga_rc rc = GA_OK;
    jline o;
    memset(&o, 0, sizeof o);
    size_t bad = 0;
    if (!ga_utf8_valid(line, len, 0, &bad)) {
        size_t nrepl = 0, first = 0;
        if (ga_utf8_sanitize(line, len, &fixed, &nrepl, &first)) {
            rc = ga_err_set(err, GA_ENOMEM, "%s: out of memory", where);
            goto done;
        }
        warn_append(doc, "invalid UTF-8 at byte %zu of the line replaced by U+FFFD "
                    "(%zu bytes)", bad, nrepl);
        line = fixed.data;
        len = fixed.len;
    }
    char why[200];
    if (jline_parse(&o, &r->flat, line, len, why, sizeof why)) {
        rc = ga_err_set(err, GA_EFORMAT, "%s: not a JSON object (%s)", where, why);
        goto done;
    }
    jmember t;
    jline_member(&o, "text", &t);
    if (!t.s) {
        rc = ga_err_set(err, GA_EFORMAT, "%s: no \"text\" member", where);
        goto done;
    }
    if (!t.is_string) {
        rc = ga_err_set(err, GA_EFORMAT, "%s: \"text\" is not a string", where);
        goto done;
    }
    /* the flat reader's strings are valid UTF-8 (runs of the checked line
     * cut at ASCII bytes, escapes of no NUL and no surrogate) */
    if ((rc = set_text(doc, t.s, t.n, where, 0, o.flat, err))) goto done;
    doc->id = opt_string(&o, "id", doc);
    if (!doc->id) {
        char *stem = file_stem(r->jpath);
        char id[512];
        snprintf(id, sizeof id, "%s-%ld", stem ? stem : "doc", r->jline);
        free(stem);
        doc->id = ga_strdup(id);
        warn_append(doc, "no \"id\"; using '%s'", id);
    }
    doc->title = opt_string(&o, "title", doc);
    doc->url = opt_string(&o, "url", doc);
    doc->source = opt_string(&o, "source", doc);
    char *date = opt_string(&o, "date", doc);
    if (date && strlen(date) > 10 && (date[10] == 'T' || date[10] == ' ')) date[10] = 0;
    if (date && !ga_doc_date_valid(date)) {
        warn_append(doc, "ignoring date '%.40s' (not YYYY-MM-DD)", date);
        free(date);
        date = NULL;
    }
    doc->date = date;
    doc->path = ga_strdup(r->jpath);
    doc->line = r->jline;
done:
    jline_free(&o);
    ga_buf_free(&fixed);
    return rc;
}

/* One line of the JSON Lines stream into r->line (with its newline), like
 * getline() but never holding more than GA_DOC_MAX_LINE_BYTES: a longer
 * line is read to its end and dropped, with *too_long set. Returns the
 * length, or -1 at the end of the stream or on an error. */
static ssize_t read_line(ga_doc_reader *r, int *too_long)
{
    enum { RB_SIZE = 1 << 16 };
    size_t len = 0;
    int nl_seen = 0;
    *too_long = 0;
    if (!r->rb && !(r->rb = malloc(RB_SIZE))) { errno = ENOMEM; return -1; }
    while (!nl_seen) {
        if (r->rb_pos == r->rb_len) {
            r->rb_pos = 0;
            r->rb_len = fread(r->rb, 1, RB_SIZE, r->jf);
            if (r->rb_len == 0) break;
        }
        const char *s = r->rb + r->rb_pos;
        size_t avail = r->rb_len - r->rb_pos;
        const char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) + 1 : avail;
        nl_seen = nl != NULL;
        if (!*too_long) {
            if (len + take > GA_DOC_MAX_LINE_BYTES) {
                *too_long = 1;
            } else {
                if (len + take + 1 > r->line_cap) {
                    size_t cap = r->line_cap ? r->line_cap : 4096;
                    while (cap < len + take + 1) cap *= 2;
                    char *p = realloc(r->line, cap);
                    if (!p) { errno = ENOMEM; return -1; }
                    r->line = p;
                    r->line_cap = cap;
                }
                memcpy(r->line + len, s, take);
                len += take;
            }
        }
        r->done += take;
        r->rb_pos += take;
    }
    if (*too_long) return 0;
    if (len == 0) return -1;
    r->line[len] = 0;
    r->done -= len;   /* the caller adds the line length */
    return (ssize_t)len;
}

/* Next non-blank line of the open JSON Lines stream as a document;
 * GA_ENOTFOUND at its end (the stream is then closed). */
static ga_rc next_json(ga_doc_reader *r, ga_doc *doc, ga_err *err)
{
    for (;;) {
        errno = 0;
        int too_long = 0;
        ssize_t n = read_line(r, &too_long);
        if (too_long) {
            r->jline++;
            return ga_err_set(err, GA_EINVAL, "%s:%ld: line too long (over %u MB); skipped",
                              r->jpath, r->jline, GA_DOC_MAX_LINE_BYTES / 1048576u);
        }
        if (n < 0) {
            int e = errno, failed = ferror(r->jf);
            if (r->jf != stdin) fclose(r->jf);
            else r->stdin_done = 1;
            r->jf = NULL;
            if (failed)
                return ga_err_set(err, GA_EIO, "cannot read '%s': %s", r->jpath,
                                  strerror(e ? e : EIO));
            return GA_ENOTFOUND;
        }
        r->jline++;
        r->done += (uint64_t)n;
        size_t len = (size_t)n;
        while (len && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r')) len--;
        size_t k = 0;
        while (k < len && (r->line[k] == ' ' || r->line[k] == '\t')) k++;
        if (k == len) continue;
        return parse_json_line(r, r->line, len, doc, err);
    }
}

/* Decide what standard input holds: skip leading white space (kept in
 * prefix for the text case, counted as lines for JSON Lines). */
static ga_rc sniff_stdin(ga_doc_reader *r, ga_doc *doc, ga_err *err)
{
    int c;
    while ((c = getc(stdin)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        if (ga_buf_putc(&r->prefix, (char)c)) return ga_err_set(err, GA_ENOMEM, "out of memory");
    }
    if (c == '{') {
        ungetc(c, stdin);
        for (size_t i = 0; i < r->prefix.len; i++) r->jline += r->prefix.data[i] == '\n';
        r->done += r->prefix.len;
        ga_buf_free(&r->prefix);
        r->jf = stdin;
        r->rb_pos = r->rb_len = 0;
        r->jpath = "standard input";
        return next_json(r, doc, err);
    }
    if (c != EOF && ga_buf_putc(&r->prefix, (char)c))
        return ga_err_set(err, GA_ENOMEM, "out of memory");
    return read_stdin_text(r, doc, err);
}

/* Prefix a repair warning with where the document came from. */
static void locate_warning(ga_doc *doc)
{
    if (!doc->warning[0]) return;
    char full[sizeof doc->warning + 160];
    if (doc->line)
        snprintf(full, sizeof full, "%.120s:%ld: %s", doc->path, doc->line, doc->warning);
    else
        snprintf(full, sizeof full, "%.120s: %s", doc->path, doc->warning);
    size_t n = strlen(full);
    if (n >= sizeof doc->warning) {
        n = sizeof doc->warning - 1;
        while (n > 0 && ((unsigned char)full[n] & 0xC0) == 0x80) n--;
    }
    memcpy(doc->warning, full, n);
    doc->warning[n] = 0;
}

static ga_rc next_doc(ga_doc_reader *r, ga_doc *doc, ga_err *err);

ga_rc ga_doc_reader_next(ga_doc_reader *r, ga_doc *doc, ga_err *err)
{
    ga_rc rc = next_doc(r, doc, err);
    if (rc == GA_OK) locate_warning(doc);
    return rc;
}

static ga_rc next_doc(ga_doc_reader *r, ga_doc *doc, ga_err *err)
{
    ga_doc_clear(doc);
    for (;;) {
        ga_rc rc;
        if (r->jf) {
            rc = next_json(r, doc, err);
            if (rc != GA_ENOTFOUND) {
                if (rc) { ga_doc_clear(doc); }
                return rc;
            }
            continue;
        }
        if (r->is_stdin) {
            if (r->stdin_done) return GA_ENOTFOUND;
            rc = sniff_stdin(r, doc, err);
            if (rc == GA_ENOTFOUND) return rc;
            if (rc) ga_doc_clear(doc);
            return rc;
        }
        if (r->next_file >= r->nfiles) return GA_ENOTFOUND;
        const char *path = r->files[r->next_file++];
        if (has_ext(path, ".jsonl")) {
            r->jf = fopen(path, "rb");
            r->rb_pos = r->rb_len = 0;
            if (!r->jf) {
                rc = ga_err_set(err, GA_EIO, "cannot open '%s': %s", path, strerror(errno));
                return rc;
            }
            r->jpath = path;
            r->jline = 0;
            continue;
        }
        rc = read_txt(r, path, doc, err);
        if (rc) ga_doc_clear(doc);
        return rc;
    }
}
