/* common/core/strlist.c: growable list of owned strings. */
#include <stdlib.h>
#include <string.h>
#include "strlist.h"

void duban_strlist_init(duban_strlist_t *l)
{
    l->items = NULL;
    l->count = l->cap = 0;
}

void duban_strlist_clear(duban_strlist_t *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    l->count = 0;
}

void duban_strlist_free(duban_strlist_t *l)
{
    duban_strlist_clear(l);
    free(l->items);
    duban_strlist_init(l);
}

duban_err_t duban_strlist_push_len(duban_strlist_t *l, const char *s, size_t len)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **items = realloc(l->items, cap * sizeof(*items));
        if (!items)
            return DUBAN_E_NOMEM;
        l->items = items;
        l->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return DUBAN_E_NOMEM;
    memcpy(copy, s, len);
    copy[len] = '\0';
    l->items[l->count++] = copy;
    return DUBAN_OK;
}

duban_err_t duban_strlist_push(duban_strlist_t *l, const char *s)
{
    return duban_strlist_push_len(l, s, strlen(s));
}

bool duban_strlist_contains(const duban_strlist_t *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

duban_err_t duban_strlist_push_unique(duban_strlist_t *l, const char *s)
{
    return duban_strlist_contains(l, s) ? DUBAN_OK : duban_strlist_push(l, s);
}

duban_err_t duban_strlist_split(duban_strlist_t *l, const char *list, char sep)
{
    for (const char *p = list ? list : ""; *p;) {
        const char *end = strchr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n && duban_strlist_push_len(l, p, n))
            return DUBAN_E_NOMEM;
        p += n + (end != NULL);
    }
    return DUBAN_OK;
}
