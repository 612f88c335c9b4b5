/* common/wire/avro_wire.h: the Avro binary encoding's primitives. Writing,
 * appended to a duban_buf_t: zigzag varints (int, long, lengths, counts,
 * union and enum indexes) and length-prefixed bytes (string, bytes); both
 * encoders use them (avro_json.c from JSON, the writers generated from the
 * .avsc (avsc.h) from a struct).
 * Reading: the bounds-checked varint that both readers of untrusted bytes
 * use (avro_json.c's validator, task_event.c's direct decoder), each
 * wording its own errors.
 * Owns:   nothing; a failed growth leaves the buffer's sticky error set and
 *         the value unwritten. Never: logs. Thread: any. */
#ifndef DUBAN_AVRO_WIRE_H
#define DUBAN_AVRO_WIRE_H
#include <stdint.h>
#include <string.h>
#include "buf.h"

/* Room for n more bytes at the end of b, or NULL (b->err set). */
static inline unsigned char *duban_avro_room(duban_buf_t *b, size_t n)
{
    if (b->cap - b->len >= n || duban_buf_reserve(b, n))
        return b->data + b->len;
    return NULL;
}

/* Writes n as a zigzag varint at p (room for 10 bytes); returns its size. */
static inline size_t duban_avro_varint_at(unsigned char *p, int64_t n)
{
    uint64_t z = ((uint64_t)n << 1) ^ (uint64_t)(n >> 63); /* zigzag */
    size_t len = 0;
    while (z >= 0x80) {
        p[len++] = (unsigned char)(z | 0x80);
        z >>= 7;
    }
    p[len++] = (unsigned char)z;
    return len;
}

static inline void duban_avro_put_long(duban_buf_t *b, int64_t n)
{
    unsigned char *p = duban_avro_room(b, 10);
    if (p)
        b->len += duban_avro_varint_at(p, n);
}

/* Length and bytes, with one room check for both. */
static inline void duban_avro_put_bytes(duban_buf_t *b, const void *data, size_t n)
{
    unsigned char *p = duban_avro_room(b, n + 10);
    if (!p)
        return;
    size_t len = duban_avro_varint_at(p, (int64_t)n);
    if (n)
        memcpy(p + len, data, n);
    b->len += len + n;
}

/* A NUL-terminated string (the caller vouches for its UTF-8). */
static inline void duban_avro_put_string(duban_buf_t *b, const char *s)
{
    duban_avro_put_bytes(b, s, strlen(s));
}

/* A boolean: one byte, 0 or 1. */
static inline void duban_avro_put_boolean(duban_buf_t *b, int v)
{
    unsigned char *p = duban_avro_room(b, 1);
    if (p) {
        p[0] = v ? 1 : 0;
        b->len++;
    }
}

typedef enum {
    DUBAN_AVRO_READ_OK = 0,
    DUBAN_AVRO_READ_PAST_END,   /* the bytes end inside the varint */
    DUBAN_AVRO_READ_TOO_LONG    /* more than 10 bytes */
} duban_avro_read_t;

/* Reads the zigzag varint at p[*pos] (p holds len bytes) into *out and
 * moves *pos past it; never reads at or past p[len]. */
static inline duban_avro_read_t duban_avro_read_long(const unsigned char *p, size_t len,
                                                     size_t *pos, int64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return DUBAN_AVRO_READ_PAST_END;
        unsigned char b = p[(*pos)++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
            return DUBAN_AVRO_READ_OK;
        }
    }
    return DUBAN_AVRO_READ_TOO_LONG;
}

#endif
