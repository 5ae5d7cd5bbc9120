/*
 * test_docs.c: unit tests for the document reader (src/text/docs.c): text
 * files (id, title, CRLF), JSON Lines with a broken line and a missing
 * "text", invalid UTF-8 and NUL repair with the offset of the first bad
 * byte, empty and binary files, directories walked in order, the flat
 * reader of string-member lines against cJSON line by line. Fixtures are
 * written to a temporary directory by the test itself.
 */
#define _POSIX_C_SOURCE 200809L
#include "text/ga_doc.h"
#include "ga_test.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static const char *write_file(const char *name, const char *data, size_t n)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) { fwrite(data, 1, n, f); fclose(f); }
    return path;
}

static void test_txt(void)
{
    const char *p = write_file("Truce-Report.txt",
                               "\r\n  Truce Ends in Waer  \r\nResidents left.\r\n", 43);
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK_STR(d.id, "Truce-Report");
    CHECK_STR(d.title, "Truce Ends in Waer");
    CHECK_STR(d.text, "\n  Truce Ends in Waer  \nResidents left.\n");   /* CRLF -> LF */
    CHECK_INT(d.text_len, strlen(d.text));
    CHECK_INT(d.line, 0);
    CHECK_STR(d.warning, "");
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    ga_doc_clear(&d);
    ga_doc_reader_close(r);
}

static void test_jsonl(void)
{
    const char *lines =
        "{\"id\": \"a\", \"text\": \"Families fled Daraya.\", \"date\": \"2016-08-26\","
        " \"title\": \"T\", \"url\": \"http://x\"}\r\n"
        "\n"
        "{\"id\": \"b\", \"text\": \"broken\"\n"
        "{\"id\": \"c\"}\n"
        "[1, 2]\n"
        "{\"id\": 7, \"text\": \"Buses left Madaya.\", \"date\": \"26/08/2016\"}\n";
    const char *p = write_file("feed.jsonl", lines, strlen(lines));
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK_STR(d.id, "a");
    CHECK_STR(d.text, "Families fled Daraya.");
    CHECK_STR(d.date, "2016-08-26");
    CHECK_STR(d.title, "T");
    CHECK_STR(d.url, "http://x");
    CHECK(d.source == NULL);
    CHECK_INT(d.line, 1);
    /* line 3: broken JSON, reported with its line; reading goes on */
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "feed.jsonl:3: not a JSON object (") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "feed.jsonl:4: no \"text\"") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "feed.jsonl:5: not a JSON object") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK_STR(d.id, "7");
    CHECK(d.date == NULL);
    CHECK(strstr(d.warning, "feed.jsonl:6: ignoring date '26/08/2016'") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    ga_doc_clear(&d);
    ga_doc_reader_close(r);
}

static void test_repair(void)
{
    /* invalid byte 0xFF at offset 9, NUL at offset 15 */
    const char raw[] = "Refugees \xFF fled\0 to Idlib.";
    const char *p = write_file("bad.txt", raw, sizeof raw - 1);
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK(strstr(d.warning, "invalid UTF-8 at byte 9") != NULL);
    CHECK(strstr(d.warning, "NUL byte at byte 15") != NULL);
    CHECK(strstr(d.warning, "bad.txt: invalid UTF-8") != NULL);   /* file named first */
    CHECK_STR(d.text, "Refugees \xEF\xBF\xBD fled  to Idlib.");
    ga_doc_clear(&d);
    ga_doc_reader_close(r);

    /* invalid UTF-8 inside a JSON line: the line is repaired, then parsed */
    const char line[] = "{\"id\": \"u\", \"text\": \"Caf\xE9 in Homs\"}\n";
    p = write_file("bad.jsonl", line, sizeof line - 1);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK(strstr(d.warning, "invalid UTF-8 at byte 24 of the line") != NULL);
    CHECK_STR(d.text, "Caf\xEF\xBF\xBD in Homs");
    ga_doc_clear(&d);
    ga_doc_reader_close(r);

    /* an escaped NUL keeps the text after it (replaced by a space), escapes
     * are decoded, an escaped backslash before "u0000" is not a NUL, and
     * text after the object is refused */
    const char esc[] =
        "{\"id\": \"n\", \"text\": \"Fled\\u0000 Daraya \\u00e9\\ud83d\\ude00\"}\n"
        "{\"id\": \"b\", \"text\": \"a\\\\u0000b \\\"q\\\"\\n\", \"title\": 5}\n"
        "{\"id\": \"t\", \"text\": \"x\"} trailing\n";
    p = write_file("esc.jsonl", esc, sizeof esc - 1);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK_STR(d.text, "Fled  Daraya \xC3\xA9\xF0\x9F\x98\x80");
    CHECK(strstr(d.warning, "NUL byte") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
    CHECK_STR(d.text, "a\\u0000b \"q\"\n");
    CHECK_STR(d.title, "5");
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "esc.jsonl:3: not a JSON object (text after the object") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    ga_doc_clear(&d);
    ga_doc_reader_close(r);
}

/* The member key of a line as cJSON reads it: the string, or NULL. */
static const char *cjson_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* Lines of string and null members are read by docs.c's flat reader, the
 * rest by cJSON: both must give what cJSON alone gives, for every escape,
 * duplicate member, white space and error the flat reader may meet. */
static void test_flat_reader(void)
{
    static const char *const lines[] = {
        "{\"id\":\"a\",\"text\":\"plain Homs\"}",
        "  {  \"id\" : \"b\" ,\t\"text\"\t:\t\"tabs\" }  \t\r",
        "{\"text\":\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t end\",\"id\":\"c\"}",
        "{\"id\":\"d\",\"text\":\"\\u00e9\\u0041\\u20AC\\u07FF\\u0800\\u007f\"}",
        "{\"id\":\"e\",\"text\":\"pair \\ud83d\\ude00\"}",
        "{\"id\":\"f\",\"text\":\"first\",\"text\":\"second\",\"id\":\"g\"}",
        "{\"id\":null,\"text\":\"null id\",\"title\":null,\"url\":\"\"}",
        "{\"id\":\"h\",\"text\":\"num\",\"title\":12,\"date\":\"2016-08-26T10:00\"}",
        "{\"id\":\"i\",\"text\":\"nested\",\"meta\":{\"a\":[1,2]},\"source\":\"s\"}",
        "{\"id\":\"j\",\"text\":\"lone \\ud83d here\"}",
        "{\"id\":\"k\",\"text\":\"bad \\x escape\"}",
        "{\"id\":\"l\",\"text\":\"bad \\u12G4 hex\"}",
        "{\"id\":\"m\",\"text\":\"unterminated}",
        "{\"id\":\"n\",\"text\":\"trailing\"} x",
        "{\"id\":\"o\",\"text\":\"comma\",}",
        "{\"\\u0069d\":\"p\",\"te\\u0078t\":\"escaped keys\"}",
        "{\"id\":\"q\",\"text\":\"x\",\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\","
        "\"e\":\"5\",\"f\":\"6\",\"g\":\"7\",\"h\":\"8\",\"i\":\"9\",\"j\":\"10\",\"k\":\"11\","
        "\"l\":\"12\",\"m\":\"13\",\"n\":\"14\",\"o\":\"15\",\"source\":\"seventeenth\"}",
        "{\"id\":\"r\",\"text\":true}",
        "{\"id\":\"s\",\"text\":\"ctl\tchar\"}",
        "{\"id\":\"t\",\"text\":\"ff\"}\f",
        "\xEF\xBB\xBF{\"id\":\"u\",\"text\":\"bom\"}",
        "{}",
        "{\"id\":\"v\",\"text\":\"\",\"title\":\"empty text\"}",
        "{\"id\":\"w\",\"text\":\"short\\u00\"}",
        /* members no document reads are read over (flat_skip) */
        "{\"id\":\"x1\",\"toponyms\":[{\"text\":\"Homs\",\"lat\":34.72682,\"lon\":-36.7e+0,"
        "\"start\":0,\"n\":null,\"ok\":true,\"no\":false,\"e\":1E5,\"f\":-0.5e-3}],\"text\":\"after\"}",
        "{\"text\":\"deep\",\"a\":[[[[]]],{},{\"b\":[\"s\\u00e9\\n\",\"\"]}],\"id\":\"x2\"}",
        "{\"id\":\"x3\",\"text\":\"n\",\"a\":01}",
        "{\"id\":\"x4\",\"text\":\"n\",\"a\":1.}",
        "{\"id\":\"x5\",\"text\":\"n\",\"a\":-}",
        "{\"id\":\"x6\",\"text\":\"n\",\"a\":1e}",
        "{\"id\":\"x7\",\"text\":\"n\",\"a\":+1}",
        "{\"id\":\"x8\",\"text\":\"n\",\"a\":[1,]}",
        "{\"id\":\"x9\",\"text\":\"n\",\"a\":[1 2]}",
        "{\"id\":\"y1\",\"text\":\"n\",\"a\":{\"k\" 1}}",
        "{\"id\":\"y2\",\"text\":\"n\",\"a\":{1:2}}",
        "{\"id\":\"y3\",\"text\":\"n\",\"a\":[\"ctl\tchar\"]}",
        "{\"id\":\"y4\",\"text\":\"n\",\"a\":trueish}",
        "{\"id\":\"y5\",\"text\":\"n\",\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{\"id\":\"y6\",\"text\":\"n\",\"a\":[1,2}",
        "{\"id\":\"y7\",\"text\":\"n\",\"a\":[\"lone \\udc00\"]}",
        "{\"id\":7,\"text\":\"numeric id\",\"a\":[1]}",
        "{\"id\":\"y8\",\"text\":\"n\",\"a\":[1],\"text\":[2]}",
        "{\"id\":\"y9\",\"text\":\"n\",\"a\":NaN}",
    };
    size_t nl = sizeof lines / sizeof lines[0];
    ga_buf all = {0};
    for (size_t i = 0; i < nl; i++) {
        ga_buf_append(&all, lines[i], strlen(lines[i]));
        ga_buf_putc(&all, '\n');
    }
    const char *p = write_file("flat.jsonl", all.data, all.len);
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    for (size_t i = 0; i < nl; i++) {
        ga_rc rc = ga_doc_reader_next(r, &d, &err);
        const char *end = NULL;
        cJSON *o = cJSON_ParseWithLengthOpts(lines[i], strlen(lines[i]), &end, 0);
        while (end && (*end == ' ' || *end == '\t' || *end == '\r')) end++;
        const cJSON *t = o ? cJSON_GetObjectItemCaseSensitive(o, "text") : NULL;
        int ok = o && cJSON_IsObject(o) && end && !*end && cJSON_IsString(t) &&
                 *t->valuestring;
        if (ok != (rc == GA_OK)) {
            fprintf(stderr, "line %zu: reader %d, cJSON %d\n", i + 1, (int)rc, ok);
            CHECK(0);
        }
        if (ok && rc == GA_OK) {
            CHECK_STR(d.text, t->valuestring);
            CHECK_INT(d.text_len, strlen(t->valuestring));
            if (cjson_str(o, "id")) CHECK_STR(d.id, cjson_str(o, "id"));
            if (cjson_str(o, "title")) CHECK_STR(d.title, cjson_str(o, "title"));
            else CHECK(d.title == NULL || cJSON_IsNumber(cJSON_GetObjectItem(o, "title")));
            if (cjson_str(o, "url")) CHECK_STR(d.url, cjson_str(o, "url"));
            else CHECK(d.url == NULL);
            if (cjson_str(o, "source")) CHECK_STR(d.source, cjson_str(o, "source"));
            else CHECK(d.source == NULL);
        }
        cJSON_Delete(o);
    }
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    ga_doc_clear(&d);
    ga_doc_reader_close(r);
    ga_buf_free(&all);
}

static void test_refused(void)
{
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    const char *p = write_file("empty.txt", " \n\r\n\t", 5);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "empty.txt: empty document") != NULL);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    ga_doc_reader_close(r);

    char bin[512];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (char)(i * 37 % 256);
    p = write_file("image.txt", bin, sizeof bin);
    CHECK(ga_doc_reader_open(p, &r, &err) == GA_OK);
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_EFORMAT);
    CHECK(strstr(err.msg, "image.txt: binary file") != NULL);
    ga_doc_reader_close(r);

    CHECK(ga_doc_reader_open("/nonexistent/x.txt", &r, &err) == GA_EIO);
    CHECK(r == NULL);
    CHECK(strstr(err.msg, "cannot open '/nonexistent/x.txt'") != NULL);
}

static void test_directory(void)
{
    char sub[512];
    snprintf(sub, sizeof sub, "%s/dir", tmpdir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/dir/inner", tmpdir);
    mkdir(sub, 0755);
    write_file("dir/b.txt", "B\nsecond", 8);
    write_file("dir/a.txt", "A\nfirst", 7);
    write_file("dir/inner/c.jsonl", "{\"id\":\"c\",\"text\":\"third\"}\n", 26);
    write_file("dir/notes.md", "not read", 8);
    write_file("dir/.hidden.txt", "not read", 8);
    snprintf(sub, sizeof sub, "%s/dir", tmpdir);
    ga_doc_reader *r = NULL;
    ga_err err = {0};
    ga_doc d;
    memset(&d, 0, sizeof d);
    CHECK(ga_doc_reader_open(sub, &r, &err) == GA_OK);
    const char *want[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        CHECK(ga_doc_reader_next(r, &d, &err) == GA_OK);
        CHECK_STR(d.id, want[i]);
    }
    CHECK(ga_doc_reader_next(r, &d, &err) == GA_ENOTFOUND);
    uint64_t done, total;
    ga_doc_reader_progress(r, &done, &total);
    CHECK_INT(done, total);
    ga_doc_clear(&d);
    ga_doc_reader_close(r);
    CHECK(ga_doc_date_valid("2016-02-29"));
    CHECK(!ga_doc_date_valid("2017-02-29"));
    CHECK(!ga_doc_date_valid("2017-2-28"));
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ga_test_docs.XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    test_txt();
    test_jsonl();
    test_repair();
    test_flat_reader();
    test_refused();
    test_directory();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", tmpdir);
    return ga_test_result();
}
