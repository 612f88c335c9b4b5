/* common/alert/heaps.h: the alerter's two schedules, binary min-heaps.
 *   - duban_fire_heap_t: tasks (by index) ordered by their next firing
 *     instant, ties by index; a task's place is kept, so its instant can
 *     change or be removed in O(log n).
 *   - duban_event_heap_t: task events dated after the clock, ordered by
 *     their instant, ties by arrival; each holds a copy of the event.
 * Allocation: aborts on out of memory (core/alloc.h policy).
 * Owns:   its arrays, and the event copies in an event heap. Never: logs.
 * Thread: one thread. */
#ifndef DUBAN_HEAPS_H
#define DUBAN_HEAPS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "task_event.h"

typedef struct {
    uint32_t *items;     /* task indices in heap order */
    size_t len, cap;
    int64_t *at;         /* by task index: its instant while in the heap */
    uint32_t *pos;       /* by task index: its place in items, or UINT32_MAX */
    size_t tasks_cap;
} duban_fire_heap_t;

void duban_fire_heap_free(duban_fire_heap_t *h);
/* Puts task idx at instant `at`, or takes it out when at is INT64_MAX. */
void duban_fire_heap_set(duban_fire_heap_t *h, uint32_t idx, int64_t at);
/* The first task's instant (INT64_MAX when empty) and index. */
static inline int64_t duban_fire_heap_top(const duban_fire_heap_t *h, uint32_t *idx)
{
    if (!h->len)
        return INT64_MAX;
    if (idx)
        *idx = h->items[0];
    return h->at[h->items[0]];
}
/* Bytes allocated. */
size_t duban_fire_heap_bytes(const duban_fire_heap_t *h);

typedef struct {
    int64_t at;
    uint64_t seq;
    duban_task_event_t *ev;
} duban_dated_event_t;

typedef struct {
    duban_dated_event_t *items;
    size_t len, cap;
    uint64_t seq;        /* arrival counter */
} duban_event_heap_t;

/* Destroys the events still held. */
void duban_event_heap_free(duban_event_heap_t *h);
/* Takes ev (a NEW copy, duban_task_event_copy) over. */
void duban_event_heap_push(duban_event_heap_t *h, duban_task_event_t *ev, int64_t at);
/* The first event's instant, INT64_MAX when empty. */
static inline int64_t duban_event_heap_next_at(const duban_event_heap_t *h)
{
    return h->len ? h->items[0].at : INT64_MAX;
}
/* Removes the first event (the heap must not be empty); it is NEW to the
 * caller, *at its instant. */
duban_task_event_t *duban_event_heap_pop(duban_event_heap_t *h, int64_t *at);

#endif
