/* consumers/notifier/resume.h: what duban-notifier need not send again when
 * it is given alert partitions (at start and on every rebalance).
 *
 * For each newly assigned partition p of duban.alerts.v1 it reads, with a
 * reader of its own (in the notifier's group for the committed offsets,
 * but never joining it), the alerts the group will read again: from the
 * committed offset to the end the partition has now. Their alert_ids are
 * the expected alerts of p's delivered set. Outcomes are on
 * duban.deliveries.v1 keyed by alert_id, so the outcomes of one alert
 * partition are spread over every deliveries partition: all of them are
 * read, but only from the first record stamped at or after the oldest of
 * those alerts' timestamps (minus notifier.resume.margin.ms for clock
 * skew; found by a binary search on offsets, since the embedded broker has
 * no offsets-for-times) to the end they have now. Every final outcome
 * (DELIVERED, DEAD_LETTERED, DISABLED) of an expected alert goes into the
 * set. The work is bounded by the uncommitted alerts and the deliveries
 * made since the oldest of them was produced.
 *
 * A build runs in the resumer's own thread, so the notifier's loop goes on
 * (the group protocol, requests in flight, signals) while brokers are slow
 * or down; the notifier keeps the partitions paused until it is done. A
 * build that fails (a leader gone, a request timed out) is tried again, with
 * fresh metadata, until notifier.resume.timeout.ms has passed since it
 * started; no network wait in it is longer than notifier.resume.wait.ms, so
 * a cancel (revocation, shutdown) takes effect within that.
 * Owns:   the reader (an rd_kafka_t consumer, never in a group), its serde,
 *         the thread, and, until handed over, the sets it builds.
 * Never:  commits, produces. Thread: the calls below are the notifier's
 *         thread's; the build runs in the resumer's. */
#ifndef DUBAN_NOTIFIER_RESUME_H
#define DUBAN_NOTIFIER_RESUME_H
#include <stdbool.h>
#include <stdint.h>
#include "conf.h"
#include "err.h"
#include "webhook_policy.h"

typedef struct notifier_resume_s notifier_resume_t;

/* Maps an endpoint id read from a DeliveryAttempt to the index of the
 * configured endpoint, -1 when none has that id. Called from the resumer's
 * thread: it must only read what does not change while the resumer lives. */
typedef long (notifier_endpoint_index_cb)(const char *endpoint_id, void *opaque);

typedef struct {
    int32_t partition;
    int64_t from, end;                  /* the alerts read again, [from, end) */
    duban_webhook_delivered_t *set;     /* NEW (NULL when nothing is read again) */
} notifier_resume_part_t;

typedef struct {
    size_t alerts, pairs;               /* expected alerts, pairs with a final outcome */
    size_t records;                     /* DeliveryAttempt records read */
    size_t probes;                      /* binary-search reads */
    int attempts;                       /* builds tried */
    int64_t ms;                         /* from start to the end */
} notifier_resume_stats_t;

/* The end of a build. err: DUBAN_OK (every set built), DUBAN_E_AGAIN
 * (cancelled) or the last attempt's error (errbuf) when time ran out. */
typedef struct {
    notifier_resume_part_t *parts;      /* NEW array of n (free() it, and its sets) */
    int n;
    duban_err_t err;
    char errbuf[512];
    notifier_resume_stats_t st;
} notifier_resume_result_t;

/* *out is NEW; the thread starts here. Keys: notifier.group (the reader's
 * group id, never joined), notifier.resume.margin.ms (5000),
 * notifier.resume.timeout.ms (60000), notifier.resume.wait.ms (5000: the
 * reader's socket.timeout.ms unless kafka.socket.timeout.ms is set, and the
 * longest wait of one call). endpoints/index/index_opaque: as above. */
duban_err_t notifier_resume_new(duban_conf_t *conf, size_t endpoints,
                                notifier_endpoint_index_cb *index, void *index_opaque,
                                notifier_resume_t **out, char *errbuf, size_t errbuf_size);
/* Endpoint indexes may now go up to endpoints - 1 (a reloaded routing
 * file); sets built from the next build on have room for them. */
void notifier_resume_set_endpoints(notifier_resume_t *r, size_t endpoints);
/* Cancels a build in progress and joins the thread. NULL is a no-op. */
void notifier_resume_destroy(notifier_resume_t *r);

/* Starts building the sets of partitions[0..n). false when a build (or its
 * result, not yet taken) is still there: one at a time. */
bool notifier_resume_start(notifier_resume_t *r, const int32_t *partitions, int n);
/* The build in progress stops at its next check (within
 * notifier.resume.wait.ms); its result says DUBAN_E_AGAIN. */
void notifier_resume_cancel(notifier_resume_t *r);
/* A build started and its result not yet taken. */
bool notifier_resume_busy(notifier_resume_t *r);
/* true when a build has ended: *out is filled and the resumer is free for
 * the next start. Does not wait. */
bool notifier_resume_take(notifier_resume_t *r, notifier_resume_result_t *out);

#endif
