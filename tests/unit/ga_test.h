/*
 * ga_test.h: the tiny assertion kit the unit tests share. A failed check
 * prints file:line and the expression and marks the test failed; main()
 * returns ga_test_result() so ctest sees the outcome.
 */
#ifndef GA_TEST_H
#define GA_TEST_H
#include <stdio.h>
#include <string.h>

static int ga_test_failures;
static int ga_test_checks;

#define CHECK(cond) do { ga_test_checks++; if (!(cond)) { ga_test_failures++; \
    fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); ga_test_checks++; \
    if (!g_ || !w_ || strcmp(g_, w_) != 0) { ga_test_failures++; \
    fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, __LINE__, g_ ? g_ : "(null)", \
            w_ ? w_ : "(null)"); } } while (0)
#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    ga_test_checks++; if (g_ != w_) { ga_test_failures++; \
    fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); } } while (0)

/* xorshift64: a reproducible stream for the randomised tests (a test may
 * set ga_test_rng to its own seed first). */
static unsigned long long ga_test_rng = 0x9E3779B97F4A7C15ULL;
static inline unsigned long long ga_test_next64(void)
{
    ga_test_rng ^= ga_test_rng << 13;
    ga_test_rng ^= ga_test_rng >> 7;
    ga_test_rng ^= ga_test_rng << 17;
    return ga_test_rng;
}
static inline unsigned ga_test_next(void) { return (unsigned)(ga_test_next64() >> 11); }
/* uniform in [0, 1) */
static inline double ga_test_uniform(void)
{
    return (double)(ga_test_next64() >> 11) / 9007199254740992.0;
}

static inline int ga_test_result(void)
{
    fprintf(stderr, "%d checks, %d failed\n", ga_test_checks, ga_test_failures);
    return ga_test_failures ? 1 : 0;
}
#endif
