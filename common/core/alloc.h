/* common/core/alloc.h: duban's allocation policy, and growing arrays.
 *
 * POLICY (as redis's zmalloc): running out of memory is not an error a
 * caller can handle usefully, so a module that adopts this policy
 * allocates only through duban_x*(): they never return NULL; when the
 * system refuses, they print "duban: out of memory (N bytes)" on stderr
 * and abort(). Bad input never gets there: inputs are capped (duban_buf_t's
 * max, the text reader's 256 MiB, the arena's 4 GiB) and a cap is a typed
 * error (DUBAN_E_TOO_LARGE). A module's header says which policy it
 * follows: "Allocation: aborts on out of memory (alloc.h)", or that it
 * returns DUBAN_E_NOMEM (the modules not converted yet, duban_buf_t).
 * Adopted by: alert/ (arena, heaps, the engine).
 *
 * duban_array_grow: an array grows by doubling (from a first capacity the
 * caller picks), so n appends cost O(n) copies in all; it returns NULL on
 * failure (for the modules that return DUBAN_E_NOMEM), leaving the array
 * and its capacity as they were.
 * Owns:   nothing. Never: logs (but the OOM message). Thread: any. */
#ifndef DUBAN_ALLOC_H
#define DUBAN_ALLOC_H
#include <stddef.h>

/* Makes room for `need` elements of `elem` bytes in the array p of *cap
 * elements (p may be NULL when *cap is 0): returns the array, moved or not,
 * with *cap >= need (doubling from `first`), or NULL (p still valid, *cap
 * unchanged) when out of memory. */
void *duban_array_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first);

/* The policy's allocators: never NULL (abort with a message instead).
 * duban_xrealloc(p, 0) frees p and returns NULL, as a zero-size request
 * needs no memory; duban_xmalloc(0) returns a unique pointer. */
void *duban_xmalloc(size_t n);
void *duban_xcalloc(size_t count, size_t size);
void *duban_xrealloc(void *p, size_t n);
char *duban_xstrdup(const char *s);
char *duban_xstrndup(const char *s, size_t n);
/* duban_array_grow that aborts instead of returning NULL. */
void *duban_array_xgrow(void *p, size_t *cap, size_t need, size_t elem, size_t first);
/* Prints the message and aborts (the policy's one exit). */
_Noreturn void duban_oom(size_t n);

#endif
