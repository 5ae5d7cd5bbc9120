/*
 * csv_hxl.c: the HXL hashtag row of CSV exports. GDAL's CSV driver writes
 * the file; this inserts one row of hashtags (#date+occurred, #loc+name,
 * ...) directly under the header, which is how HXL marks up a table. The
 * header is read back from the file and each column matched by name to
 * the layer schema, so the tags line up whatever columns the driver added
 * (WKT for lines and polygons).
 */
#define _POSIX_C_SOURCE 200809L
#include "export/export_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *tag_for(const ga_xlayer *xl, const char *col)
{
    for (int i = 0; i < xl->nfields; i++)
        if (strcmp(xl->fields[i].name, col) == 0) return xl->fields[i].hxl ? xl->fields[i].hxl : "";
    if (strcmp(col, "WKT") == 0) return "#geo+wkt";
    return "";
}

/* Build the tag row for header line h (without its line ending). Column
 * names are plain identifiers, optionally double-quoted. */
static ga_rc tag_row(const ga_xlayer *xl, const char *h, ga_buf *out)
{
    const char *p = h;
    int first = 1;
    while (1) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char col[256];
        if (n >= sizeof col) n = sizeof col - 1;
        memcpy(col, p, n);
        col[n] = 0;
        char *c = col;
        size_t cl = strlen(c);
        if (cl >= 2 && c[0] == '"' && c[cl - 1] == '"') { c[cl - 1] = 0; c++; }
        if (!first && ga_buf_putc(out, ',')) return GA_ENOMEM;
        if (ga_buf_puts(out, tag_for(xl, c))) return GA_ENOMEM;
        first = 0;
        if (!end) break;
        p = end + 1;
    }
    return GA_OK;
}

ga_rc ga_csv_add_hxl(const ga_xlayer *xl, const char *src, const char *dst, ga_err *err)
{
    ga_rc rc = GA_OK;
    FILE *in = fopen(src, "rb"), *out = NULL;
    ga_buf head = {0}, tags = {0};
    int wfail = 0;
    if (!in) return ga_err_set(err, GA_EIO, "cannot read '%s': %s", src, strerror(errno));
    int ch;
    while ((ch = fgetc(in)) != EOF && ch != '\n')
        if (ga_buf_putc(&head, (char)ch)) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); goto done; }
    const char *eol = "\n";
    if (head.len && head.data[head.len - 1] == '\r') {
        head.data[--head.len] = 0;
        eol = "\r\n";
    }
    if (!head.len) { rc = ga_err_set(err, GA_EFORMAT, "CSV '%s' has no header", src); goto done; }
    if (tag_row(xl, head.data, &tags)) { rc = ga_err_set(err, GA_ENOMEM, "out of memory"); goto done; }
    if (!(out = fopen(dst, "wb"))) {
        rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
        goto done;
    }
    fputs(head.data, out);
    fputs(eol, out);
    fputs(tags.data, out);
    fputs(eol, out);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) { wfail = 1; break; }
    if (ferror(in)) rc = ga_err_set(err, GA_EIO, "cannot read '%s': %s", src, strerror(errno));
done:
    if (out && (fclose(out) != 0 || wfail) && rc == GA_OK)
        rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
    fclose(in);
    ga_buf_free(&head);
    ga_buf_free(&tags);
    return rc;
}
