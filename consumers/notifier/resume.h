/* consumers/notifier/resume.h: what duban-notifier need not send again when
 * it is given alert partitions (at start and on every rebalance).
 *
 * For each newly assigned partition p of duban.alerts.v1 it reads, with a
 * group-less reader of its own, the alerts the group will read again: from
 * the committed offset to the end the partition has now. Their alert_ids
 * are the expected alerts of p's delivered set. Outcomes are on
 * duban.deliveries.v1 keyed by alert_id, so the outcomes of one alert
 * partition are spread over every deliveries partition: all of them are
 * read, but only from the first record stamped at or after the oldest of
 * those alerts' timestamps (minus notifier.resume.margin.ms for clock
 * skew; found by a binary search on offsets, since the embedded broker has
 * no offsets-for-times) to the end they have now. Every final outcome
 * (DELIVERED, DEAD_LETTERED, DISABLED) of an expected alert goes into the
 * set. The work is bounded by the uncommitted alerts and the deliveries
 * made since the oldest of them was produced.
 * Owns:   the reader (an rd_kafka_t consumer, never in a group) and, until
 *         handed over, the sets it builds. Never: commits, produces, or
 *         blocks longer than notifier.resume.timeout.ms per build.
 * Thread: the notifier's (called from its rebalance callback). */
#ifndef DUBAN_NOTIFIER_RESUME_H
#define DUBAN_NOTIFIER_RESUME_H
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "err.h"
#include "serde.h"
#include "webhook_policy.h"

typedef struct notifier_resume_s notifier_resume_t;

/* Maps an endpoint id read from a DeliveryAttempt to the index of the
 * configured endpoint, -1 when none has that id. */
typedef long (notifier_endpoint_index_cb)(const char *endpoint_id, void *opaque);

typedef struct {
    int32_t partition;                  /* in */
    int64_t from, end;                  /* out: the alerts read again, [from, end) */
    duban_webhook_delivered_t *set;     /* out, NEW (NULL when nothing is read again) */
} notifier_resume_part_t;

typedef struct {
    size_t alerts, pairs;               /* expected alerts, pairs with a final outcome */
    size_t records;                     /* DeliveryAttempt records read */
    size_t probes;                      /* binary-search reads */
} notifier_resume_stats_t;

/* *out is NEW. serde is borrowed for the life of the resumer. Keys:
 * notifier.group (the reader's group id is "<group>.resume", never joined),
 * notifier.resume.margin.ms (5000), notifier.resume.timeout.ms (30000). */
duban_err_t notifier_resume_new(duban_conf_t *conf, duban_serde_t *serde,
                                notifier_resume_t **out, char *errbuf, size_t errbuf_size);
void notifier_resume_destroy(notifier_resume_t *r);

/* Builds the delivered sets of parts[0..n); `group` is the group consumer
 * (for the committed offsets). On error every set is NULL: the caller
 * sends everything again (at least once, as before). */
duban_err_t notifier_resume_build(notifier_resume_t *r, rd_kafka_t *group,
                                  notifier_resume_part_t *parts, int n, size_t endpoints,
                                  notifier_endpoint_index_cb *index, void *index_opaque,
                                  notifier_resume_stats_t *stats, char *errbuf,
                                  size_t errbuf_size);

#endif
