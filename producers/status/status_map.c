/* producers/status/status_map.c: the string-keyed hash table of duban-status. */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "hash.h"
#include "status_map.h"

static size_t slot_of(const status_map_t *m, const char *key)
{
    size_t i = (size_t)duban_fnv1a64(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

void *status_map_get(const status_map_t *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? m->vals[i] : NULL;
}

static void grow(status_map_t *m)
{
    status_map_t n = {.cap = m->cap ? m->cap * 2 : 64};
    n.keys = duban_xcalloc(n.cap, sizeof(char *));
    n.vals = duban_xcalloc(n.cap, sizeof(void *));
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = slot_of(&n, m->keys[i]);
            n.keys[j] = m->keys[i];
            n.vals[j] = m->vals[i];
        }
    n.count = m->count;
    free(m->keys);
    free(m->vals);
    *m = n;
}

void status_map_put(status_map_t *m, const char *key, void *val)
{
    if ((m->count + 1) * 10 > m->cap * 7)
        grow(m);
    size_t i = slot_of(m, key);
    if (!m->keys[i]) {
        m->keys[i] = duban_xstrdup(key);
        m->count++;
    }
    m->vals[i] = val;
}

void *status_map_take(status_map_t *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot_of(m, key);
    if (!m->keys[i])
        return NULL;
    void *val = m->vals[i];
    free(m->keys[i]);
    m->keys[i] = NULL;
    m->count--;
    /* the rest of the probe run moves to where a lookup now finds it */
    for (size_t j = (i + 1) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1)) {
        char *k = m->keys[j];
        void *v = m->vals[j];
        m->keys[j] = NULL;
        size_t s = slot_of(m, k);
        m->keys[s] = k;
        m->vals[s] = v;
    }
    return val;
}

void status_map_free(status_map_t *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            free(m->keys[i]);
            if (free_val)
                free_val(m->vals[i]);
        }
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}
