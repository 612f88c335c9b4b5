/* common/core/strlist.h: a growable list of owned, NUL-terminated strings.
 * Owns:   its strings (copied on push, freed by duban_strlist_free).
 * Never:  shares storage with the caller. Thread: not thread safe. */
#ifndef DUBAN_STRLIST_H
#define DUBAN_STRLIST_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"

typedef struct duban_strlist_s {
    char **items;
    size_t count, cap;
} duban_strlist_t;

#define DUBAN_STRLIST_INIT {NULL, 0, 0}

void duban_strlist_init(duban_strlist_t *l);
void duban_strlist_free(duban_strlist_t *l);
void duban_strlist_clear(duban_strlist_t *l);
/* Copies len bytes of s (s need not be NUL-terminated). */
duban_err_t duban_strlist_push_len(duban_strlist_t *l, const char *s, size_t len);
duban_err_t duban_strlist_push(duban_strlist_t *l, const char *s);
/* Pushes unless an equal string is already in the list. */
duban_err_t duban_strlist_push_unique(duban_strlist_t *l, const char *s);
bool duban_strlist_contains(const duban_strlist_t *l, const char *s);
/* Pushes the items of a `sep`-separated list ("a.json,b.json"); empty
 * items are skipped, so NULL or "" pushes nothing. */
duban_err_t duban_strlist_split(duban_strlist_t *l, const char *list, char sep);

#endif
