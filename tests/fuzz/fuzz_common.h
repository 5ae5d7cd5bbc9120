/*
 * fuzz_common.h: helpers shared by the libFuzzer harnesses of tests/fuzz/.
 *
 * FZ_CHECK(cond) aborts with the failed condition when a documented
 * contract does not hold: libFuzzer treats the abort as a crash and saves
 * the input, so a contract violation is reported the same way as a memory
 * error. fz_write_temp() puts the input in a per-process temporary file
 * for the harnesses whose code under test reads files.
 */
#ifndef GA_FUZZ_COMMON_H
#define GA_FUZZ_COMMON_H

#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FZ_CHECK(cond)                                                          \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: contract violated: %s\n", __FILE__,         \
                    __LINE__, #cond);                                           \
            abort();                                                            \
        }                                                                       \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Path of a per-process temporary file ending in suffix (".jsonl", ".txt"),
 * written into buf. Returns buf. */
static inline char *fz_temp_path(char *buf, size_t cap, const char *tag, const char *suffix)
{
    const char *dir = getenv("TMPDIR");
    snprintf(buf, cap, "%s/ga-fuzz-%s-%ld%s", dir && *dir ? dir : "/tmp", tag,
             (long)getpid(), suffix);
    return buf;
}

/* Write data[0..size) to path (created or truncated). 0 on failure. */
static inline int fz_write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    int ok = fwrite(data, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    return ok;
}

#endif
