/* common/alert/heaps.c: the fire heap (indexed, keyed by instant then task
 * index) and the heap of events dated after the clock (heaps.h). */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "heaps.h"

#define NO_POS UINT32_MAX

/* ---- fire heap ---- */

static bool fire_less(const duban_fire_heap_t *h, uint32_t x, uint32_t y)
{
    int64_t tx = h->at[x], ty = h->at[y];
    return tx < ty || (tx == ty && x < y);
}

static void fire_set(duban_fire_heap_t *h, size_t pos, uint32_t idx)
{
    h->items[pos] = idx;
    h->pos[idx] = (uint32_t)pos;
}

static void fire_up(duban_fire_heap_t *h, size_t pos)
{
    uint32_t idx = h->items[pos];
    while (pos > 0 && fire_less(h, idx, h->items[(pos - 1) / 2])) {
        fire_set(h, pos, h->items[(pos - 1) / 2]);
        pos = (pos - 1) / 2;
    }
    fire_set(h, pos, idx);
}

static void fire_down(duban_fire_heap_t *h, size_t pos)
{
    uint32_t idx = h->items[pos];
    for (;;) {
        size_t c = 2 * pos + 1;
        if (c >= h->len)
            break;
        if (c + 1 < h->len && fire_less(h, h->items[c + 1], h->items[c]))
            c++;
        if (!fire_less(h, h->items[c], idx))
            break;
        fire_set(h, pos, h->items[c]);
        pos = c;
    }
    fire_set(h, pos, idx);
}

static void fire_remove(duban_fire_heap_t *h, uint32_t idx)
{
    size_t pos = h->pos[idx];
    if (pos == NO_POS)
        return;
    h->pos[idx] = NO_POS;
    uint32_t last = h->items[--h->len];
    if (pos == h->len)
        return;
    fire_set(h, pos, last);
    fire_up(h, pos);
    fire_down(h, h->pos[last]);
}

/* Room for task indices up to idx. */
static void fire_cover(duban_fire_heap_t *h, uint32_t idx)
{
    if (idx < h->tasks_cap)
        return;
    size_t at_cap = h->tasks_cap, pos_cap = h->tasks_cap;
    h->at = duban_array_xgrow(h->at, &at_cap, (size_t)idx + 1, sizeof(*h->at), 1024);
    h->pos = duban_array_xgrow(h->pos, &pos_cap, (size_t)idx + 1, sizeof(*h->pos), 1024);
    for (size_t i = h->tasks_cap; i < pos_cap; i++)
        h->pos[i] = NO_POS;
    h->tasks_cap = pos_cap;
}

void duban_fire_heap_set(duban_fire_heap_t *h, uint32_t idx, int64_t at)
{
    fire_cover(h, idx);
    fire_remove(h, idx);
    if (at == INT64_MAX)
        return;
    h->items = duban_array_xgrow(h->items, &h->cap, h->len + 1, sizeof(*h->items), 1024);
    h->at[idx] = at;
    h->len++;
    fire_set(h, h->len - 1, idx);
    fire_up(h, h->len - 1);
}

size_t duban_fire_heap_bytes(const duban_fire_heap_t *h)
{
    return h->cap * sizeof(uint32_t) + h->tasks_cap * (sizeof(int64_t) + sizeof(uint32_t));
}

void duban_fire_heap_free(duban_fire_heap_t *h)
{
    free(h->items);
    free(h->at);
    free(h->pos);
    memset(h, 0, sizeof(*h));
}

/* ---- events dated after the clock ---- */

static bool dated_less(const duban_dated_event_t *x, const duban_dated_event_t *y)
{
    return x->at < y->at || (x->at == y->at && x->seq < y->seq);
}

void duban_event_heap_push(duban_event_heap_t *h, duban_task_event_t *ev, int64_t at)
{
    h->items = duban_array_xgrow(h->items, &h->cap, h->len + 1, sizeof(*h->items), 64);
    size_t i = h->len++;
    duban_dated_event_t item = {at, h->seq++, ev};
    while (i > 0 && dated_less(&item, &h->items[(i - 1) / 2])) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = item;
}

duban_task_event_t *duban_event_heap_pop(duban_event_heap_t *h, int64_t *at)
{
    duban_task_event_t *ev = h->items[0].ev;
    *at = h->items[0].at;
    duban_dated_event_t last = h->items[--h->len];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->len)
            break;
        if (c + 1 < h->len && dated_less(&h->items[c + 1], &h->items[c]))
            c++;
        if (!dated_less(&h->items[c], &last))
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->len)
        h->items[i] = last;
    return ev;
}

void duban_event_heap_free(duban_event_heap_t *h)
{
    for (size_t i = 0; i < h->len; i++)
        duban_task_event_destroy(h->items[i].ev);
    free(h->items);
    memset(h, 0, sizeof(*h));
}
