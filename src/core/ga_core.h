/*
 * ga_core.h: the few things every geoannot module shares: return codes, the
 * error record that carries a message up to the command line, a growable
 * byte buffer, a typed vector, and the progress callback type.
 *
 * libc only. Nothing here allocates behind the caller's back except the
 * buffer and vector growth functions, which report GA_ENOMEM. Freeing or
 * resetting a zeroed/NULL object is always harmless.
 */
#ifndef GA_CORE_H
#define GA_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* Return codes. 0 is success; every other value is a failure whose text is
 * in the ga_err passed to the call. */
typedef enum {
    GA_OK = 0,
    GA_ERR,        /* generic failure */
    GA_ENOMEM,     /* out of memory */
    GA_EIO,        /* file could not be opened, read or written */
    GA_EINVAL,     /* bad argument or bad input value */
    GA_EFORMAT,    /* input is not in the expected format */
    GA_EDB,        /* database error */
    GA_ENOTFOUND,  /* the named thing does not exist */
    GA_ECANCEL,    /* cancelled by a progress callback */
    GA_EFULL       /* database or disk is full */
} ga_rc;

/* An error record: the code and a human message, lower-case, problem first,
 * subject quoted ("cannot open 'x.txt': no such file"). */
typedef struct {
    ga_rc rc;          /* last code set, GA_OK when clear */
    char msg[1024];    /* NUL-terminated message, empty when clear */
} ga_err;

/* Set err (if not NULL) to rc with a printf-style message; returns rc so a
 * caller can write `return ga_err_set(err, GA_EIO, "...")`. */
ga_rc ga_err_set(ga_err *err, ga_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prepend "prefix: " to the message already in err (for context). */
void ga_err_prefix(ga_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ga_err_clear(ga_err *err);

/* ---- growable byte buffer ------------------------------------------- */
typedef struct {
    char *data;    /* bytes, always NUL-terminated when cap > 0 */
    size_t len;    /* bytes in use, excluding the terminator */
    size_t cap;    /* bytes allocated */
} ga_buf;

ga_rc ga_buf_reserve(ga_buf *b, size_t extra);
ga_rc ga_buf_append(ga_buf *b, const void *p, size_t n);
ga_rc ga_buf_putc(ga_buf *b, char c);
ga_rc ga_buf_puts(ga_buf *b, const char *s);
ga_rc ga_buf_printf(ga_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ga_buf_reset(ga_buf *b);   /* len = 0, keeps memory */
void ga_buf_free(ga_buf *b);    /* frees memory, zeroes b */

/* ---- typed vectors ---------------------------------------------------- */
/* GA_VEC(T) declares an anonymous struct {T *v; size_t n, cap;}.
 * ga_vec_push(vec, value) appends and evaluates to a ga_rc. */
#define GA_VEC(T) struct { T *v; size_t n; size_t cap; }
ga_rc ga_vec_grow_(void **v, size_t *cap, size_t need, size_t elem);
#define ga_vec_push(vec, value)                                              \
    (((vec)->n < (vec)->cap ||                                               \
      ga_vec_grow_((void **)&(vec)->v, &(vec)->cap, (vec)->n + 1,            \
                   sizeof(*(vec)->v)) == GA_OK)                              \
         ? ((vec)->v[(vec)->n++] = (value), GA_OK)                           \
         : GA_ENOMEM)
/* Make room for at least `need` elements in all (no-op when there is). */
#define ga_vec_reserve(vec, need)                                            \
    ((need) <= (vec)->cap ? GA_OK                                            \
                          : ga_vec_grow_((void **)&(vec)->v, &(vec)->cap, (need), \
                                         sizeof(*(vec)->v)))
#define ga_vec_free(vec) \
    do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)

/* ---- progress --------------------------------------------------------- */
/* Called with the fraction done in [0,1] (or -1 when unknown) and a short
 * message; return 0 to cancel the work, non-zero to go on. Same contract
 * as GDALProgressFunc. */
typedef int (*ga_progress_fn)(double frac, const char *msg, void *arg);

/* ---- small helpers ---------------------------------------------------- */
char *ga_strdup(const char *s);                 /* NULL-safe strdup */
/* A zeroed table of n elements of size bytes, for a large table probed at
 * random: backed by huge pages where the system offers them, NULL when out
 * of memory. Released with ga_table_free(p, n, size) with the same n and
 * size (NULL is harmless); never with free. */
void *ga_table_alloc(size_t n, size_t size);
void ga_table_free(void *p, size_t n, size_t size);
char *ga_strndup(const char *s, size_t n);
/* Read a whole file into memory (NUL-terminated). "-" reads stdin. */
ga_rc ga_read_file(const char *path, ga_buf *out, ga_err *err);
/* 64-bit hash of bytes (FNV-1a variant with final mix). Stable across
 * runs and machines: it is stored in index files. */
uint64_t ga_hash64(const void *p, size_t n);
/* Copy the file src to dst (created or truncated, mode 0644), through a
 * temporary name renamed into place, so dst is never half-written. */
ga_rc ga_copy_file(const char *src, const char *dst, ga_err *err);
/* Find what travels with the binary (data files, the default gazetteer):
 * the first of rel[0..n), each a folder relative to the directory of the
 * running executable, that holds `probe`. Writes that folder to buf and
 * returns buf, or NULL when none holds it. */
const char *ga_find_near_exe(const char *const *rel, size_t n, const char *probe, char *buf,
                             size_t size);
/* Monotonic seconds, for progress rates. */
double ga_now(void);

#endif
