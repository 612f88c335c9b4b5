/* consumers/notifier/notifier_ops.h: what duban-notifier shows its
 * operator on ops.listen (common/ops/ops_http.h): the metrics below at
 * /metrics and /healthz, ready when the consumer holds partitions of
 * duban.alerts.v1, has rebuilt their delivered sets (resume.h) and a broker
 * answers. Counters are updated where things happen (one atomic add each);
 * gauges are set by the notifier's loop about once a second.
 * Owns:   the metrics registry and the ops endpoint.
 * Never:  reads the notifier's state from the HTTP thread (only metrics and
 *         the consumer's handle, which librdkafka makes thread safe).
 * Thread: the notifier's; the health callback runs on the HTTP thread. */
#ifndef DUBAN_NOTIFIER_OPS_H
#define DUBAN_NOTIFIER_OPS_H
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "metrics.h"
#include "ops_http.h"

/* One endpoint's series, by endpoint id (borrowed from the registry). */
typedef struct {
    duban_metric_t *delivered, *retrying, *dead, *disabled; /* alert-endpoint pairs */
    duban_metric_t *requests;      /* requests sent (a digest is one) */
    duban_metric_t *queued, *retry_queue, *slots, *breaker_open, *is_disabled;
} notifier_ep_metrics_t;

typedef struct {
    duban_metrics_t *reg;
    duban_metric_t *alerts_in, *deliveries_out, *dlq_out, *produce_errors, *bad_input;
    duban_metric_t *resumed, *unknown_depts, *reload_ok, *reload_refused;
    duban_metric_t *open_alerts, *in_flight, *assigned, *resuming;
    rd_kafka_t *rk;                /* the group consumer: health probe */
    duban_ops_http_t *http;
} notifier_ops_t;

/* The families and the fixed series (never fails). */
void notifier_ops_init(notifier_ops_t *ops);
/* Serves /metrics and /healthz when ops.listen is set; rk is borrowed until
 * notifier_ops_stop. */
duban_err_t notifier_ops_start(notifier_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                               char *errbuf, size_t errbuf_size);
/* The series of endpoint `id` (the same ones again for the same id). */
void notifier_ops_endpoint(notifier_ops_t *ops, const char *id, notifier_ep_metrics_t *out);
/* The consumer lag of one alert partition. */
void notifier_ops_lag(notifier_ops_t *ops, int32_t partition, int64_t lag);
/* Stops the endpoint (first: its health probe uses rk), frees the metrics. */
void notifier_ops_stop(notifier_ops_t *ops);

#endif
