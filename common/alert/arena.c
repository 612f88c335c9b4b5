/* common/alert/arena.c: string arena with interning, 32-bit index tables
 * and a 64-bit key set (arena.h). */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "arena.h"
#include "hash.h"

/* The two tables here (u32 table, key set) are open-addressing hash sets:
 * growing one re-inserts every slot into a table twice the size, which no
 * array helper of core does (alloc.h's duban_array_grow keeps positions;
 * the strings themselves are in a duban_buf_t). */
void duban_u32_table_grow(duban_u32_table_t *t, duban_u32_table_hash_fn *hash, const void *ctx)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint32_t *slots = duban_xcalloc(cap, sizeof(uint32_t));
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i])
            continue;
        size_t j = hash(ctx, t->slots[i] - 1) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

void duban_u32_table_free(duban_u32_table_t *t)
{
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

/* Room for n more bytes: false past 4 GiB (the buffer's cap). */
static bool arena_room(duban_arena_t *ar, size_t n)
{
    if (duban_buf_reserve(&ar->bytes, n))
        return true;
    if (ar->bytes.err == DUBAN_E_NOMEM)
        duban_oom(ar->bytes.len + n);
    return false;
}

void duban_arena_init(duban_arena_t *ar)
{
    memset(ar, 0, sizeof(*ar));
    duban_buf_init(&ar->bytes, UINT32_MAX);
    arena_room(ar, 1);
    ar->bytes.data[ar->bytes.len++] = '\0';  /* offset 0 is NIL: "" */
}

void duban_arena_free(duban_arena_t *ar)
{
    duban_buf_free(&ar->bytes);
    duban_u32_table_free(&ar->interned);
}

uint32_t duban_arena_add(duban_arena_t *ar, const char *s, size_t len)
{
    duban_buf_t *b = &ar->bytes;
    if (b->len + len + 1 > UINT32_MAX)
        return DUBAN_ARENA_NIL;
    uint32_t off = (uint32_t)b->len;
    if (!arena_room(ar, len + 1))
        return DUBAN_ARENA_NIL;
    memcpy(b->data + b->len, s, len);
    b->data[b->len + len] = '\0';
    b->len += len + 1;
    return off;
}

static uint64_t interned_hash(const void *ctx, uint32_t off)
{
    const char *s = duban_arena_str(ctx, off);
    return duban_fnv1a64(s, strlen(s));
}

uint32_t duban_arena_intern(duban_arena_t *ar, const char *s, size_t len)
{
    duban_u32_table_t *t = &ar->interned;
    if (duban_u32_table_full(t))
        duban_u32_table_grow(t, interned_hash, ar);
    size_t mask = t->cap - 1, j = duban_fnv1a64(s, len) & mask;
    for (; t->slots[j]; j = (j + 1) & mask) {
        const char *have = duban_arena_str(ar, t->slots[j] - 1);
        if (strncmp(have, s, len) == 0 && have[len] == '\0')
            return t->slots[j] - 1;
    }
    uint32_t off = duban_arena_add(ar, s, len);
    if (off != DUBAN_ARENA_NIL) {
        t->slots[j] = off + 1;
        t->count++;
    }
    return off;
}

bool duban_key_set_contains(const duban_key_set_t *s, uint64_t k)
{
    if (!s->cap)
        return false;
    size_t mask = s->cap - 1;
    for (size_t j = k & mask; s->keys[j]; j = (j + 1) & mask)
        if (s->keys[j] == k)
            return true;
    return false;
}

static void key_set_grow(duban_key_set_t *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    uint64_t *keys = duban_xcalloc(cap, sizeof(uint64_t));
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[i])
            continue;
        size_t j = s->keys[i] & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = s->keys[i];
    }
    free(s->keys);
    s->keys = keys;
    s->cap = cap;
}

void duban_key_set_insert(duban_key_set_t *s, uint64_t k)
{
    if ((s->count + 1) * 2 > s->cap)
        key_set_grow(s);
    size_t mask = s->cap - 1, j = k & mask;
    for (; s->keys[j]; j = (j + 1) & mask)
        if (s->keys[j] == k)
            return;
    s->keys[j] = k;
    s->count++;
}

void duban_key_set_free(duban_key_set_t *s)
{
    free(s->keys);
    memset(s, 0, sizeof(*s));
}
