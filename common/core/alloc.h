/* common/core/alloc.h: growing arrays, written once. An array grows by
 * doubling (from a first capacity the caller picks), so n appends cost
 * O(n) copies in all.
 * Owns:   nothing (the caller owns the array). Never: aborts, logs; a
 *         failed allocation or a size that would overflow returns NULL
 *         and leaves the array and its capacity as they were.
 * Thread: any. */
#ifndef DUBAN_ALLOC_H
#define DUBAN_ALLOC_H
#include <stddef.h>

/* Makes room for `need` elements of `elem` bytes in the array p of *cap
 * elements (p may be NULL when *cap is 0): returns the array, moved or not,
 * with *cap >= need (doubling from `first`), or NULL (p still valid, *cap
 * unchanged) when out of memory. */
void *duban_array_grow(void *p, size_t *cap, size_t need, size_t elem, size_t first);

#endif
