/* common/core/alloc.c: growing arrays (alloc.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"

_Noreturn void duban_oom(size_t n)
{
    fprintf(stderr, "duban: out of memory (%zu bytes)\n", n);
    fflush(stderr);
    abort();
}

void *duban_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        duban_oom(n);
    return p;
}

void *duban_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        duban_oom(size && count > SIZE_MAX / size ? SIZE_MAX : count * size);
    return p;
}

void *duban_xrealloc(void *p, size_t n)
{
    if (n == 0) {
        free(p);
        return NULL;
    }
    void *q = realloc(p, n);
    if (!q)
        duban_oom(n);
    return q;
}

char *duban_xstrdup(const char *s)
{
    return duban_xstrndup(s, strlen(s));
}

char *duban_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = duban_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *duban_array_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : (first ? first : 1);
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return NULL;
    void *q = realloc(p, n * elem);
    if (!q)
        return NULL;
    *cap = n;
    return q;
}

void *duban_array_xgrow(void *p, size_t *cap, size_t need, size_t elem, size_t first)
{
    void *q = duban_array_grow(p, cap, need, elem, first);
    if (!q)
        duban_oom(need > SIZE_MAX / (elem ? elem : 1) ? SIZE_MAX : need * elem);
    return q;
}
