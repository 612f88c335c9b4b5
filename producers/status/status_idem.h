/* producers/status/status_idem.h: Idempotency-Key for duban-status's writes.
 *
 * A client that sends a write with `Idempotency-Key: K` and retries it (same
 * key, same method, path and body) gets the first answer again, and no
 * second event. Keys are scoped by the caller (its role and name), so two
 * departments cannot collide. The same key with another request is refused
 * (422); a retry while the first is still running is refused (409).
 * Only final answers are kept: a 5xx (not delivered, or not confirmed) is
 * forgotten, so the retry runs again. A 202 is also written into its event's
 * Kafka headers (status_feed.h) and learnt back from the log, so it outlives
 * a restart; other answers live in memory for the TTL.
 * Entries expire after ttl_ms; at most max_entries are kept (the oldest go
 * first).
 * Allocation: aborts on out of memory (core/alloc.h policy).
 * Owns:   the key table. Never: I/O, logging. Thread: safe (one mutex). */
#ifndef DUBAN_STATUS_IDEM_H
#define DUBAN_STATUS_IDEM_H
#include <stddef.h>
#include <stdint.h>

#define STATUS_IDEM_MAX_KEY 255   /* bytes of the header value */

typedef struct status_idem_s status_idem_t;

status_idem_t *status_idem_new(int64_t ttl_ms, size_t max_entries);
void status_idem_destroy(status_idem_t *m);

typedef enum {
    STATUS_IDEM_NEW = 0,    /* run it; then status_idem_finish or _abandon */
    STATUS_IDEM_REPLAY,     /* *status and *body (NEW) are the first answer */
    STATUS_IDEM_IN_FLIGHT,  /* the first request with the key is still running */
    STATUS_IDEM_MISMATCH    /* the key was used for another request */
} status_idem_result_t;

/* key: the caller's scope and the header value; fingerprint: a hash of the
 * request (method, path, body). */
status_idem_result_t status_idem_begin(status_idem_t *m, const char *key,
                                       const char *fingerprint, int64_t now_ms,
                                       unsigned *status, char **body);
/* The request's final answer (body copied). */
void status_idem_finish(status_idem_t *m, const char *key, unsigned status, const char *body,
                        int64_t now_ms);
/* The request did not finish (a 5xx): the key is free again. */
void status_idem_abandon(status_idem_t *m, const char *key);
/* A 202 read back from the log (a restart, or another instance): kept
 * unless the key is known already. at_ms: when it was answered. */
void status_idem_learn(status_idem_t *m, const char *key, const char *fingerprint,
                       const char *body, int64_t at_ms, int64_t now_ms);

size_t status_idem_count(status_idem_t *m);

#endif
