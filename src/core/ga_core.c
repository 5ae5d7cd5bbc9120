/*
 * ga_core.c: errors, buffers, vectors and small helpers declared in
 * ga_core.h. libc only.
 */
#define _DEFAULT_SOURCE   /* madvise(MADV_HUGEPAGE) */
#include "ga_core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

ga_rc ga_err_set(ga_err *err, ga_rc rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->rc = rc;
    }
    return rc;
}

void ga_err_prefix(ga_err *err, const char *fmt, ...)
{
    char pre[512], old[sizeof err->msg];
    va_list ap;
    if (!err) return;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old);
}

void ga_err_clear(ga_err *err)
{
    if (err) { err->rc = GA_OK; err->msg[0] = 0; }
}

ga_rc ga_buf_reserve(ga_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return GA_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return GA_ENOMEM;
    b->data = p;
    b->cap = cap;
    return GA_OK;
}

ga_rc ga_buf_append(ga_buf *b, const void *p, size_t n)
{
    if (ga_buf_reserve(b, n) != GA_OK) return GA_ENOMEM;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return GA_OK;
}

ga_rc ga_buf_putc(ga_buf *b, char c) { return ga_buf_append(b, &c, 1); }
ga_rc ga_buf_puts(ga_buf *b, const char *s) { return ga_buf_append(b, s, strlen(s)); }

ga_rc ga_buf_printf(ga_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || ga_buf_reserve(b, (size_t)n) != GA_OK) { va_end(ap2); return GA_ENOMEM; }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return GA_OK;
}

void ga_buf_reset(ga_buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }
void ga_buf_free(ga_buf *b) { if (!b) return; free(b->data); b->data = NULL; b->len = b->cap = 0; }

ga_rc ga_vec_grow_(void **v, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 8;
    while (c < need) c *= 2;
    void *p = realloc(*v, c * elem);
    if (!p) return GA_ENOMEM;
    *v = p;
    *cap = c;
    return GA_OK;
}

char *ga_strdup(const char *s) { return s ? strdup(s) : NULL; }

char *ga_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

ga_rc ga_read_file(const char *path, ga_buf *out, ga_err *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return ga_err_set(err, GA_EIO, "cannot open '%s': %s", path, strerror(errno));
    ga_rc rc = GA_OK;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (ga_buf_append(out, tmp, n) != GA_OK) {
            rc = ga_err_set(err, GA_ENOMEM, "cannot read '%s': out of memory", path);
            break;
        }
    }
    if (rc == GA_OK && ferror(f))
        rc = ga_err_set(err, GA_EIO, "cannot read '%s': %s", path, strerror(errno));
    if (rc == GA_OK && ga_buf_reserve(out, 0) != GA_OK)
        rc = ga_err_set(err, GA_ENOMEM, "out of memory");
    if (!is_stdin) fclose(f);
    return rc;
}

uint64_t ga_hash64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 0x100000001b3ULL; }
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

double ga_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

ga_rc ga_copy_file(const char *src, const char *dst, ga_err *err)
{
    FILE *in = fopen(src, "rb");
    if (!in) return ga_err_set(err, GA_EIO, "cannot open '%s': %s", src, strerror(errno));
    size_t tl = strlen(dst) + 16;
    char *tmp = malloc(tl);
    if (!tmp) { fclose(in); return ga_err_set(err, GA_ENOMEM, "out of memory"); }
    snprintf(tmp, tl, "%s.tmp%ld", dst, (long)getpid());
    FILE *out = fopen(tmp, "wb");
    ga_rc rc = GA_OK;
    if (!out) {
        rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
        goto done;
    }
    static char chunk[1 << 20];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (fwrite(chunk, 1, n, out) != n) {
            rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
            break;
        }
    }
    if (rc == GA_OK && ferror(in))
        rc = ga_err_set(err, GA_EIO, "cannot read '%s': %s", src, strerror(errno));
    if (fclose(out) != 0 && rc == GA_OK)
        rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
    if (rc == GA_OK && rename(tmp, dst) != 0)
        rc = ga_err_set(err, GA_EIO, "cannot write '%s': %s", dst, strerror(errno));
    if (rc != GA_OK) remove(tmp);
done:
    fclose(in);
    free(tmp);
    return rc;
}

const char *ga_find_near_exe(const char *const *rel, size_t n, const char *probe, char *buf,
                             size_t size)
{
    char exe[4096], path[8192];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) return NULL;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s/%s", exe, rel[i], probe);
        if (access(path, R_OK) == 0) {
            snprintf(buf, size, "%s/%s", exe, rel[i]);
            return buf;
        }
    }
    return NULL;
}

/* Tables of a few megabytes probed at random (word lists, memories of
 * lookups) cost a TLB miss per probe on 4 KB pages; 2 MB pages hold them
 * in a few TLB entries. Linux backs an aligned, advised anonymous mapping
 * with huge pages when transparent huge pages are enabled for madvise. An
 * anonymous mapping is zero without being written, so a table costs no
 * start-up time until it is used. */
#define GA_HUGE ((size_t)2 * 1024 * 1024)

static size_t table_bytes(size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - 2 * GA_HUGE) / size) return 0;
    return (n * size + GA_HUGE - 1) / GA_HUGE * GA_HUGE;
}

/* Below this a table is an ordinary allocation: a huge page would mostly
 * hold nothing. */
static int table_small(size_t n, size_t size)
{
    return !size || n <= GA_HUGE / 4 / size;
}

void *ga_table_alloc(size_t n, size_t size)
{
    if (table_small(n, size)) return calloc(n ? n : 1, size ? size : 1);
    size_t bytes = table_bytes(n, size);
    if (!bytes) return NULL;
    /* map one huge page more than needed and unmap around an aligned range */
    char *m = mmap(NULL, bytes + GA_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED) return NULL;
    char *p = (char *)(((uintptr_t)m + GA_HUGE - 1) & ~(uintptr_t)(GA_HUGE - 1));
    if (p > m) munmap(m, (size_t)(p - m));
    if (p + bytes < m + bytes + GA_HUGE) munmap(p + bytes, (size_t)(m + bytes + GA_HUGE - (p + bytes)));
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: failure is harmless */
#endif
    return p;
}

void ga_table_free(void *p, size_t n, size_t size)
{
    if (!p) return;
    if (table_small(n, size)) free(p);
    else munmap(p, table_bytes(n, size));
}
