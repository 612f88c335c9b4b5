/* common/core/hash.h: content hashes (SHA-256, hex) for ids and idempotency,
 * and FNV-1a for in-memory hash tables (not for anything that leaves the
 * process). Owns: nothing. Never: logs. Thread: any. */
#ifndef DUBAN_HASH_H
#define DUBAN_HASH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DUBAN_SHA256_HEX_SIZE 65 /* 64 hex digits + NUL */

/* Lower-case hex SHA-256 of data into out. Returns out. */
char *duban_sha256_hex(const void *data, size_t len, char out[DUBAN_SHA256_HEX_SIZE]);

/* Lower-case hex of data[0..len) into out (2 * len + 1 bytes). Returns out. */
char *duban_hex(const void *data, size_t len, char *out);
/* Reads 2 * len hex digits (either case) into out[0..len); false when
 * hex is not exactly that. */
bool duban_hex_decode(const char *hex, void *out, size_t len);

/* SHA-256 over several parts separated by '\x1f' (unit separator), so that
 * ("ab","c") and ("a","bc") differ. */
char *duban_sha256_hex_parts(const char *const *parts, size_t count,
                             char out[DUBAN_SHA256_HEX_SIZE]);

/* 64-bit FNV-1a: h continued over data[0..len) (start from
 * DUBAN_FNV1A64_INIT; a key of several parts is hashed part after part).
 * The offset basis is duban's own, 1469598103934665603 (the published one,
 * 14695981039346656037, has one digit more): kept, because signatures
 * stored by duban-analytics (the working-day calendar's) were taken with
 * it. Not for anything that must match another FNV implementation. */
#define DUBAN_FNV1A64_INIT 1469598103934665603ULL
static inline uint64_t duban_fnv1a64_add(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* 64-bit FNV-1a of data[0..len) (inline: table probes call it per key). */
static inline uint64_t duban_fnv1a64(const void *data, size_t len)
{
    return duban_fnv1a64_add(DUBAN_FNV1A64_INIT, data, len);
}

#endif
