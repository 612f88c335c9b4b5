/* common/notify/webhook_policy.h: the delivery decisions of duban-notifier, as pure
 * state machines with the clock passed in: backoff with jitter, Retry-After,
 * response classification, the per-endpoint rate limiter, the circuit
 * breaker, the per-partition offset tracker that says how far the
 * consumer may commit, the fair scheduler that shares the requests in
 * flight among the endpoints, and the delivered set (which alert-endpoint
 * pairs already have a final outcome, for a restart).
 * Owns:   only the structs below (caller-allocated, _init/_free; the
 *         delivered set is opaque, _new/_destroy).
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

/* ---- fair scheduler ----
 * Round robin over the endpoints that have work, one request per turn (a
 * digest counts as one), in the order they got work, whatever their place
 * in the file. An endpoint joins the end of the round when it gets work
 * (_wake) and leaves it when its step says it has none. It may hold at
 * most its share of the requests in flight: capacity / (endpoints with
 * work), at least 1, and never so many that the other endpoints would find
 * no free slot (one is kept free for each other endpoint, up to half the
 * capacity). A slow or hung endpoint therefore holds its share and no
 * more, and an endpoint that gets work finds a free slot at once. held[i]
 * counts endpoint i's slots taken: the caller's step says when a request
 * takes one (SENT), _release when the caller is done with it (the notifier
 * keeps it until the request's outcome is durable). */
typedef enum {
    DUBAN_WEBHOOK_FAIR_IDLE = 0,  /* has work, but nothing may go now (limiter, breaker, due time) */
    DUBAN_WEBHOOK_FAIR_SENT,      /* one request went out: it holds a slot */
    DUBAN_WEBHOOK_FAIR_SETTLED,   /* work was done without a request (failed fast) */
    DUBAN_WEBHOOK_FAIR_EMPTY      /* no work at all: leaves the round until woken */
} duban_webhook_fair_step_t;

typedef duban_webhook_fair_step_t (duban_webhook_fair_step_cb)(size_t endpoint, void *opaque);

typedef struct {
    size_t count;        /* endpoints */
    int capacity;        /* requests in flight in all */
    int *held;           /* per endpoint */
    int total_held;      /* sum of held */
    size_t *ring;        /* endpoints with work, in turn order */
    size_t head, len;
    bool *in_ring;
} duban_webhook_fair_t;

duban_err_t duban_webhook_fair_init(duban_webhook_fair_t *f, size_t endpoints, int capacity);
void duban_webhook_fair_free(duban_webhook_fair_t *f);
/* More endpoints (a reloaded routing file): the new ones hold nothing and
 * have no work; the round and every count stay. Fewer is a no-op. */
duban_err_t duban_webhook_fair_grow(duban_webhook_fair_t *f, size_t endpoints);
/* Endpoint i has work: it joins the end of the round unless it is in it. */
void duban_webhook_fair_wake(duban_webhook_fair_t *f, size_t endpoint);
/* The most requests one endpoint may hold while `active` endpoints have work. */
int duban_webhook_fair_share(const duban_webhook_fair_t *f, size_t active);
/* The share now (the endpoints in the round have work). */
int duban_webhook_fair_current_share(const duban_webhook_fair_t *f);
/* Gives turns, from where the previous call stopped, to the endpoints in
 * the round that hold less than their share, until `free_slots` are used
 * or a whole round did nothing. Returns the requests sent. */
int duban_webhook_fair_run(duban_webhook_fair_t *f, int free_slots,
                           duban_webhook_fair_step_cb *step, void *opaque);
void duban_webhook_fair_release(duban_webhook_fair_t *f, size_t endpoint);

/* ---- delivered set ----
 * After a restart or a rebalance, the (alert_id, endpoint) pairs that
 * already have a final outcome on duban.deliveries.v1, for the alerts that
 * will be read again (those after the committed offset). Only expected
 * alerts are kept, so its size is bounded by the uncommitted alerts. */
typedef enum {
    DUBAN_WEBHOOK_PAIR_OPEN = 0,   /* no final outcome: send it */
    DUBAN_WEBHOOK_PAIR_DELIVERED,  /* delivered (wins over a dead letter) */
    DUBAN_WEBHOOK_PAIR_DEAD        /* dead-lettered or disabled */
} duban_webhook_pair_t;

typedef struct duban_webhook_delivered_s duban_webhook_delivered_t;

/* *out is NEW (endpoints: how many endpoint indexes pairs may name). */
duban_err_t duban_webhook_delivered_new(size_t endpoints, duban_webhook_delivered_t **out);
void duban_webhook_delivered_destroy(duban_webhook_delivered_t *d);
/* An alert that will be read again (alert_id is copied). */
duban_err_t duban_webhook_delivered_expect(duban_webhook_delivered_t *d, const char *alert_id);
/* A final outcome of (alert_id, endpoint): true when the alert is expected
 * (the pair is kept), false when it is not (ignored). */
bool duban_webhook_delivered_add(duban_webhook_delivered_t *d, const char *alert_id,
                                 size_t endpoint, duban_webhook_pair_t outcome);
duban_webhook_pair_t duban_webhook_delivered_get(const duban_webhook_delivered_t *d,
                                                 const char *alert_id, size_t endpoint);
size_t duban_webhook_delivered_alerts(const duban_webhook_delivered_t *d);
size_t duban_webhook_delivered_pairs(const duban_webhook_delivered_t *d);

#endif
