/* tests/unit/check.h: the few assertion macros the unit tests share.
 * A failed CHECK prints file:line and the expression, counts, and goes on;
 * CHECK_DONE() prints "N passed, N failed" and yields the exit status. */
#ifndef DUBAN_CHECK_H
#define DUBAN_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) do {                                                   \
        if (cond) check_passed++;                                          \
        else { check_failed++;                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
    } while (0)

#define CHECK_STR(got, want) do {                                          \
        const char *g_ = (got), *w_ = (want);                              \
        if ((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0)) \
            check_passed++;                                                \
        else { check_failed++;                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n   got: %s\n  want: %s\n",     \
                    __FILE__, __LINE__, #got, g_ ? g_ : "(null)",          \
                    w_ ? w_ : "(null)"); }                                 \
    } while (0)

#define CHECK_INT(got, want) do {                                          \
        long long g_ = (long long)(got), w_ = (long long)(want);           \
        if (g_ == w_) check_passed++;                                      \
        else { check_failed++;                                             \
            fprintf(stderr, "FAIL %s:%d: %s = %lld, want %lld\n",           \
                    __FILE__, __LINE__, #got, g_, w_); }                   \
    } while (0)

/* Opens a file of the source tree (DUBAN_SRC_DIR, else the working
 * directory) for reading; NULL (and a failed CHECK) when it is missing. */
static inline FILE *check_open_source(const char *rel, const char *mode)
{
    const char *src = getenv("DUBAN_SRC_DIR");
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", src ? src : ".", rel);
    FILE *f = fopen(path, mode);
    CHECK(f != NULL);
    return f;
}

#define CHECK_DONE() (printf("%d passed, %d failed\n", check_passed,       \
                             check_failed), check_failed ? 1 : 0)

#endif
