/*
 * fuzz_doc.c: the document reader (text/ga_doc.h) on arbitrary files.
 *
 * The first input byte picks the file type (even: .jsonl, odd: .txt); the
 * rest is written to a per-process temporary file that the reader opens
 * and walks to the end. Contracts checked for every document handed out:
 * an id and a path, NUL-terminated valid UTF-8 text without NUL bytes of
 * text_len bytes, a valid date or none, a JSON Lines line number inside
 * the file; an error always carries a message naming the file; the
 * reader terminates (no more documents than lines, plus one).
 */
#include "fuzz_common.h"

#include "text/ga_doc.h"
#include "text/ga_text.h"

static void check_str(const char *s)
{
    if (s) FZ_CHECK(ga_utf8_valid(s, strlen(s), 0, NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int jsonl = (data[0] & 1) == 0;
    char path[512];
    fz_temp_path(path, sizeof path, "doc", jsonl ? ".jsonl" : ".txt");
    if (!fz_write_file(path, data + 1, size - 1)) abort();

    size_t lines = 1;
    for (size_t i = 1; i < size; i++) lines += data[i] == '\n';

    ga_err err = {0};
    ga_doc_reader *r = NULL;
    FZ_CHECK(ga_doc_reader_open(path, &r, &err) == GA_OK && r);
    ga_doc doc;
    memset(&doc, 0, sizeof doc);
    size_t calls = 0;
    for (;;) {
        ga_err_clear(&err);
        ga_rc rc = ga_doc_reader_next(r, &doc, &err);
        FZ_CHECK(++calls <= lines + 1);
        if (rc == GA_ENOTFOUND) break;
        if (rc != GA_OK) {
            FZ_CHECK(err.msg[0] && strstr(err.msg, path) != NULL);
            FZ_CHECK(doc.text == NULL && doc.id == NULL);
            if (!jsonl) break;   /* a text file is one document */
            continue;
        }
        FZ_CHECK(doc.id && doc.path && doc.text);
        FZ_CHECK(strlen(doc.text) == doc.text_len);
        FZ_CHECK(ga_utf8_valid(doc.text, doc.text_len, 0, NULL));
        check_str(doc.title);
        check_str(doc.id);
        if (doc.date) FZ_CHECK(ga_doc_date_valid(doc.date));
        FZ_CHECK(memchr(doc.warning, 0, sizeof doc.warning) != NULL);
        if (jsonl) FZ_CHECK(doc.line >= 1 && (size_t)doc.line <= lines);
        else FZ_CHECK(doc.line == 0);
        uint64_t done = 0, total = 0;
        ga_doc_reader_progress(r, &done, &total);
        FZ_CHECK(total == size - 1 && done <= total);
        if (!jsonl) {
            FZ_CHECK(ga_doc_reader_next(r, &doc, &err) == GA_ENOTFOUND);
            break;
        }
    }
    ga_doc_clear(&doc);
    ga_doc_reader_close(r);
    unlink(path);
    return 0;
}
