/* common/core/str.h: tests of a byte string (s, len) — not NUL-terminated —
 * against a NUL-terminated literal: starts with, ends with, holds at offset
 * i. Byte-exact (UTF-8 literals compare as their bytes). Each compares one
 * byte before it measures the literal: most words of a list differ from s
 * in that byte. duban_word_t: a list's word with its length.
 * Owns: nothing. Never: allocates, reads past len. Thread: any. */
#ifndef DUBAN_STR_H
#define DUBAN_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline bool duban_starts(const char *s, size_t len, const char *lit)
{
    if (lit[0] && (len == 0 || s[0] != lit[0]))
        return false;
    size_t n = strlen(lit);
    return len >= n && memcmp(s, lit, n) == 0;
}

static inline bool duban_ends(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    return len >= n && (n == 0 || s[len - 1] == lit[n - 1]) && memcmp(s + len - n, lit, n) == 0;
}

/* lit at offset i of s[0..len) */
static inline bool duban_at(const char *s, size_t len, size_t i, const char *lit)
{
    return i <= len && duban_starts(s + i, len - i, lit);
}

/* A word of a list with its length, for the lists tested against many
 * strings (no strlen per test): DUBAN_WORD("牵头"); a list ends with
 * {NULL, 0}. */
typedef struct {
    const char *s;
    size_t n;
} duban_word_t;

#define DUBAN_WORD(lit) { (lit), sizeof(lit) - 1 }

static inline bool duban_ends_word(const char *s, size_t len, const duban_word_t *w)
{
    return len >= w->n && w->n > 0 && s[len - 1] == w->s[w->n - 1] &&
           memcmp(s + len - w->n, w->s, w->n) == 0;
}

#endif
