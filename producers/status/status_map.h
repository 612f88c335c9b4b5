/* producers/status/status_map.h: a string-keyed hash table (open addressing,
 * linear probing) for duban-status's tables: tasks by id, parked status
 * changes, idempotency keys, departments in the overview.
 * Keys are copied; values are the caller's (a pointer or a small integer).
 * Allocation: aborts on out of memory (core/alloc.h policy).
 * Owns:   its keys. Never: frees values (status_map_free takes a function).
 * Thread: not thread safe (the callers lock). */
#ifndef DUBAN_STATUS_MAP_H
#define DUBAN_STATUS_MAP_H
#include <stddef.h>

typedef struct {
    char **keys;
    void **vals;
    size_t cap, count;
} status_map_t;

#define STATUS_MAP_INIT {NULL, NULL, 0, 0}

void *status_map_get(const status_map_t *m, const char *key);
/* Sets key (copied when new) to val. */
void status_map_put(status_map_t *m, const char *key, void *val);
/* Removes key and returns its value (NULL when absent). */
void *status_map_take(status_map_t *m, const char *key);
/* Frees the keys, and each value with free_val when not NULL. */
void status_map_free(status_map_t *m, void (*free_val)(void *));

#endif
