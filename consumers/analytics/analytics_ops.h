/* consumers/analytics/analytics_ops.h: what duban-analytics shows its
 * operator on ops.listen (common/ops/ops_http.h): /metrics (events in per
 * topic, rows written per topic once their transaction committed,
 * undecodable events, dead letters, produce errors, consumer lag, partitions
 * assigned) and /healthz (ready when partitions are assigned and a broker
 * answers).
 * Owns:   the metrics registry and the ops endpoint.
 * Never:  touches the store or reads the program's state from the HTTP
 *         thread. Thread: the consumer's loop; health on the HTTP thread. */
#ifndef DUBAN_ANALYTICS_OPS_H
#define DUBAN_ANALYTICS_OPS_H
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "event.h"
#include "metrics.h"
#include "ops_http.h"

typedef struct {
    duban_metrics_t *reg;
    duban_metric_t *in[DUBAN_EV__COUNT], *rows[DUBAN_EV__COUNT];
    int64_t batch_rows[DUBAN_EV__COUNT];   /* applied in the open transaction */
    duban_metric_t *undecodable, *dlq_out, *produce_errors, *batches, *assigned;
    rd_kafka_t *rk;                        /* the group consumer: health, lag */
    duban_ops_http_t *http;
    int64_t last_refresh;
} analytics_ops_t;

/* The families and series; serves them when ops.listen is set (rk borrowed
 * until analytics_ops_stop). */
duban_err_t analytics_ops_start(analytics_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                                char *errbuf, size_t errbuf_size);
/* One message read from topic; stored: it went into the open transaction
 * (false: undecodable). */
void analytics_ops_event(analytics_ops_t *ops, const char *topic, bool stored);
/* The open transaction committed: its rows count as written. */
void analytics_ops_committed(analytics_ops_t *ops);
/* Lag and assignment, at most once a second (now: ms). */
void analytics_ops_refresh(analytics_ops_t *ops, int64_t now);
void analytics_ops_stop(analytics_ops_t *ops);

#endif
