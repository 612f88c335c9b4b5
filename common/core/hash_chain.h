/* common/core/hash_chain.h: a SHA-256 hash chain over a sequence of records,
 * so that one digest stands for the whole sequence: changing, removing,
 * inserting or reordering any record changes the digest of every record
 * after it. duban-audit digest keeps one chain per partition of a topic.
 *
 * Link i is SHA-256 over, in this order:
 *   the digest of link i-1 (32 bytes; before the first record, the seed
 *   SHA-256("duban.digest.v1")),
 *   the record's position and time (8 bytes each, big-endian two's
 *   complement: a Kafka offset and timestamp),
 *   the number of fields (4 bytes, big-endian), then each field as its
 *   length (4 bytes, big-endian; 0xffffffff for an absent field, e.g. a
 *   null key) followed by its bytes.
 * Lengths are written out, so no two different records hash alike by
 * running fields together. The format is fixed: a digest written down
 * today must verify later (add a new seed, never change this one).
 * Owns:   its OpenSSL digest context. Never: logs, does I/O.
 * Thread: one chain per thread. */
#ifndef DUBAN_HASH_CHAIN_H
#define DUBAN_HASH_CHAIN_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define DUBAN_HASH_CHAIN_SIZE 32

typedef struct {
    const void *data;   /* NULL: the field is absent */
    size_t len;
} duban_chain_field_t;

typedef struct {
    unsigned char digest[DUBAN_HASH_CHAIN_SIZE];
    uint64_t count;     /* records added */
    void *ctx;          /* EVP_MD_CTX */
} duban_hash_chain_t;

/* Starts at the seed. DUBAN_E_NOMEM when OpenSSL cannot make a context. */
duban_err_t duban_hash_chain_init(duban_hash_chain_t *c);
/* Starts after an earlier link (64 hex digits), to extend a chain written
 * down before. DUBAN_E_PARSE when hex is not a digest. */
duban_err_t duban_hash_chain_init_from(duban_hash_chain_t *c, const char *hex);
void duban_hash_chain_free(duban_hash_chain_t *c);

/* Adds one record. */
void duban_hash_chain_add(duban_hash_chain_t *c, int64_t position, int64_t time,
                          const duban_chain_field_t *fields, size_t field_count);

/* The current digest in hex (65 bytes with the NUL). Returns out. */
char *duban_hash_chain_hex(const duban_hash_chain_t *c, char out[65]);

#endif
