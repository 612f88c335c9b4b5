/* common/notify/webhook_policy.h: the delivery decisions of duban-notifier, as pure
 * state machines with the clock passed in: backoff with jitter, Retry-After,
 * response classification, the per-endpoint rate limiter, the circuit
 * breaker, and the per-partition offset tracker that says how far the
 * consumer may commit.
 * Owns:   only the structs below (caller-allocated, _init/_free).
 * Never:  reads the clock, sleeps, logs or does I/O. Thread: not thread
 *         safe; one notifier thread drives them. */
#ifndef DUBAN_WEBHOOK_POLICY_H
#define DUBAN_WEBHOOK_POLICY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "webhook_format.h"
#include "webhook_route.h"

/* ---- backoff ---- */
/* Delay before the next attempt after `attempt` (1-based) failed:
 * d = min(max_ms, base_ms * 2^(attempt-1)), jittered uniformly into
 * [d/2, d] by rnd; a Retry-After (retry_after_ms >= 0) raises it to
 * min(retry_after_ms, retry_after_max_ms) when that is longer. */
long duban_webhook_backoff_ms(const duban_webhook_retry_t *p, int attempt,
                              long retry_after_ms, uint64_t rnd);
/* Retry-After value (delta-seconds or an HTTP-date) -> ms from now_ms;
 * DUBAN_E_PARSE when it is neither. */
duban_err_t duban_webhook_retry_after_parse(const char *value, int64_t now_ms, long *out_ms);

/* ---- classification ---- */
typedef enum {
    DUBAN_WEBHOOK_OK = 0,   /* delivered */
    DUBAN_WEBHOOK_RETRY,    /* transient: timeouts, connection errors, 429, 5xx */
    DUBAN_WEBHOOK_FINAL,    /* other 4xx, refused address, robot errcode */
    DUBAN_WEBHOOK_DISABLE   /* 410 Gone: disable the endpoint */
} duban_webhook_verdict_t;

/* http_status 0 = no response (transport_retriable says whether the
 * transport error is worth retrying). Robot formats answer 200 with an
 * errcode in the body: 0 is success, their rate-limit codes are RETRY,
 * others FINAL. reason (may be NULL) gets a short text. */
duban_webhook_verdict_t duban_webhook_classify(duban_webhook_format_t fmt, long http_status,
                                               bool transport_retriable, const char *body,
                                               char *reason, size_t reason_size);

/* ---- rate limiter ----
 * A token bucket of `limit` tokens in which each spent token comes back
 * exactly window_ms after it was spent: never more than `limit` requests in
 * any window of window_ms (what DingTalk's "20 per minute" means). */
typedef struct {
    int limit;           /* 0 = unlimited */
    long window_ms;
    int64_t *spent;      /* ring of the last `limit` spend instants */
    size_t head, count;
} duban_webhook_limiter_t;

duban_err_t duban_webhook_limiter_init(duban_webhook_limiter_t *l, int limit, long window_ms);
void duban_webhook_limiter_free(duban_webhook_limiter_t *l);
/* The earliest instant >= now at which a token is available. */
int64_t duban_webhook_limiter_ready_at(const duban_webhook_limiter_t *l, int64_t now);
/* Spends a token if one is available now; false otherwise. */
bool duban_webhook_limiter_take(duban_webhook_limiter_t *l, int64_t now);

/* ---- circuit breaker ---- */
typedef struct {
    int threshold;       /* consecutive failures that open it; 0 = never */
    long cooldown_ms;
    int failures;
    int64_t open_until;  /* 0 when closed */
    bool probing;        /* half-open: one request is out */
} duban_webhook_breaker_t;

void duban_webhook_breaker_init(duban_webhook_breaker_t *b, int threshold, long cooldown_ms);
/* May a request go now? In half-open state, true once (the probe). */
bool duban_webhook_breaker_allow(duban_webhook_breaker_t *b, int64_t now);
void duban_webhook_breaker_success(duban_webhook_breaker_t *b);
void duban_webhook_breaker_failure(duban_webhook_breaker_t *b, int64_t now);
bool duban_webhook_breaker_is_open(const duban_webhook_breaker_t *b, int64_t now);

/* ---- offset tracker (one per partition) ----
 * Offsets are added in increasing order with the number of outcomes they
 * wait for; commit_to() is one past the last offset of the unbroken prefix
 * of finished ones: what the consumer may commit. */
typedef struct {
    int64_t *off;
    int *pending;
    size_t head, count, cap;
} duban_webhook_offsets_t;

void duban_webhook_offsets_init(duban_webhook_offsets_t *t);
void duban_webhook_offsets_free(duban_webhook_offsets_t *t);
/* DUBAN_E_INVAL when offset is not above the last one added. */
duban_err_t duban_webhook_offsets_add(duban_webhook_offsets_t *t, int64_t offset, int pending);
/* One outcome of `offset` is final. DUBAN_E_NOTFOUND if not tracked. */
duban_err_t duban_webhook_offsets_done(duban_webhook_offsets_t *t, int64_t offset);
/* Next offset to commit, or -1 when nothing new is final. */
int64_t duban_webhook_offsets_commit_to(duban_webhook_offsets_t *t);
size_t duban_webhook_offsets_in_flight(const duban_webhook_offsets_t *t);

#endif
