/* common/core/hash.h: content hashes (SHA-256, hex) for ids and idempotency.
 * Owns: nothing. Never: logs. Thread: any. */
#ifndef DUBAN_HASH_H
#define DUBAN_HASH_H
#include <stddef.h>

#define DUBAN_SHA256_HEX_SIZE 65 /* 64 hex digits + NUL */

/* Lower-case hex SHA-256 of data into out. Returns out. */
char *duban_sha256_hex(const void *data, size_t len, char out[DUBAN_SHA256_HEX_SIZE]);

/* SHA-256 over several parts separated by '\x1f' (unit separator), so that
 * ("ab","c") and ("a","bc") differ. */
char *duban_sha256_hex_parts(const char *const *parts, size_t count,
                             char out[DUBAN_SHA256_HEX_SIZE]);

#endif
