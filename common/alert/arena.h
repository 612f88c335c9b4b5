/* common/alert/arena.h: the alerter's flat storage, sized for millions of
 * tasks: an arena of NUL-terminated strings addressed by 32-bit offsets
 * (offset 0, DUBAN_ARENA_NIL, is the empty string and means "none"), with
 * interning (a string stored once however often it is added), open-address
 * tables of 32-bit values that rehash through the caller's hash, and a set
 * of nonzero 64-bit keys.
 * Allocation: aborts on out of memory (core/alloc.h policy); the one
 *         failure returned is the arena passing 4 GiB (DUBAN_ARENA_NIL).
 * Owns:   its memory. Never: logs. Thread: one thread per arena. */
#ifndef DUBAN_ARENA_H
#define DUBAN_ARENA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"

#define DUBAN_ARENA_NIL 0u

/* Open addressing, linear probing, power-of-two capacity; slot 0 = empty,
 * else value + 1. */
typedef struct {
    uint32_t *slots;
    size_t cap, count;
} duban_u32_table_t;

/* Hash of a stored value (ctx is the caller's). */
typedef uint64_t duban_u32_table_hash_fn(const void *ctx, uint32_t value);

/* Whether one more value needs duban_u32_table_grow first (load <= 1/2). */
static inline bool duban_u32_table_full(const duban_u32_table_t *t)
{
    return (t->count + 1) * 2 > t->cap;
}
/* Doubles the capacity (1024 the first time), rehashing every value. */
void duban_u32_table_grow(duban_u32_table_t *t, duban_u32_table_hash_fn *hash, const void *ctx);
void duban_u32_table_free(duban_u32_table_t *t);

typedef struct {
    duban_buf_t bytes;             /* the strings, each with its NUL */
    duban_u32_table_t interned;    /* -> offset of an interned string */
} duban_arena_t;

void duban_arena_init(duban_arena_t *ar);
void duban_arena_free(duban_arena_t *ar);

static inline const char *duban_arena_str(const duban_arena_t *ar, uint32_t off)
{
    return (const char *)ar->bytes.data + off;
}
/* Stores s[0..len) (no NUL inside) and returns its offset; NIL when the
 * arena would pass 4 GiB. */
uint32_t duban_arena_add(duban_arena_t *ar, const char *s, size_t len);
/* The same, but a string already interned is not stored again. */
uint32_t duban_arena_intern(duban_arena_t *ar, const char *s, size_t len);

/* A set of nonzero 64-bit keys (open addressing, load <= 1/2). */
typedef struct {
    uint64_t *keys;                /* 0: empty */
    size_t cap, count;
} duban_key_set_t;

bool duban_key_set_contains(const duban_key_set_t *s, uint64_t k);
/* Adds k (nothing when it is there already). */
void duban_key_set_insert(duban_key_set_t *s, uint64_t k);
void duban_key_set_free(duban_key_set_t *s);

#endif
