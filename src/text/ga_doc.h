/*
 * ga_doc.h: reading input documents for annotate and resolve.
 *
 * A reader walks one input argument and hands out one document at a time:
 *
 *   - a .txt file (or any file named explicitly whose extension is not
 *     .jsonl): one document; id = the file name without its extension,
 *     title = the first non-empty line, text = the whole file. CRLF line
 *     ends become LF (byte offsets then count LF ends, which is also what
 *     a reader opening the file in text mode sees). Files over
 *     GA_DOC_MAX_TXT_BYTES are refused: a report is never that large.
 *   - a .jsonl file: one {"id", "text"} object per line with optional
 *     "date", "title", "url", "source". Streamed line by line (getline),
 *     so memory is bounded by the longest line, not the file.
 *   - a directory: walked recursively, .txt and .jsonl files only, hidden
 *     entries skipped, in byte order of their paths (stable across runs).
 *   - "-": standard input; JSON Lines when the first non-space byte is
 *     '{', else one text document with id "stdin".
 *
 * Text is repaired, never rejected for a few bad bytes: invalid UTF-8
 * becomes U+FFFD and NUL bytes become spaces (ga_utf8_sanitize), and
 * doc->warning says so with the byte offset of the first bad byte. A file
 * that is mostly bad bytes is binary and is refused. Errors name the file
 * and, for JSON Lines, the line: "x.jsonl:7: not a JSON object (...)".
 * After an error the reader stays usable: the next call moves on to the
 * next line or file.
 */
#ifndef GA_DOC_H
#define GA_DOC_H

#include <stddef.h>
#include "core/ga_core.h"

/* Largest .txt document (or standard-input text) read, in bytes. */
#define GA_DOC_MAX_TXT_BYTES (64u * 1024u * 1024u)
/* Longest JSON Lines line read; a longer one is skipped with an error
 * naming its line, and reading goes on with the next (memory stays
 * bounded by this, not by the file). */
#define GA_DOC_MAX_LINE_BYTES (64u * 1024u * 1024u)

typedef struct ga_doc_reader ga_doc_reader;

/* One document. All strings are malloc'd and owned by the doc (freed by
 * ga_doc_clear); optional ones are NULL when absent. */
typedef struct {
    char *id;          /* document id (file stem, jsonl "id", or "stdin") */
    char *title;       /* title or NULL */
    char *text;        /* valid UTF-8 text, NUL-terminated */
    char *date;        /* YYYY-MM-DD or NULL */
    char *url;         /* or NULL */
    char *source;      /* or NULL */
    char *path;        /* file the document came from ("-" for stdin) */
    size_t text_len;   /* bytes of text, excluding the terminator */
    long line;         /* JSON Lines line number, 0 for a text file */
    char warning[256]; /* repair notice (invalid UTF-8, NUL bytes ...), or "" */
} ga_doc;

/* Open a reader over path: a file, a directory or "-". Fails (with *out
 * NULL) when path does not exist or cannot be read, or a directory holds
 * no .txt/.jsonl file. */
ga_rc ga_doc_reader_open(const char *path, ga_doc_reader **out, ga_err *err);

/* Next document. GA_OK: doc is filled (clear it with ga_doc_clear before
 * reuse; next() clears it itself). GA_ENOTFOUND: no more documents.
 * Anything else: this document or line is bad, err says
 * "FILE[:LINE]: problem", and the next call continues after it. */
ga_rc ga_doc_reader_next(ga_doc_reader *r, ga_doc *doc, ga_err *err);

/* Bytes of input consumed so far and the total when known (0 for stdin),
 * for progress and MB/s. */
void ga_doc_reader_progress(const ga_doc_reader *r, uint64_t *done, uint64_t *total);

void ga_doc_clear(ga_doc *doc);            /* frees the strings, zeroes doc */
void ga_doc_reader_close(ga_doc_reader *r); /* NULL is harmless */

/* 1 when s is a valid calendar date written YYYY-MM-DD. */
int ga_doc_date_valid(const char *s);

#endif
