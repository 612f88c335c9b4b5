/* consumers/notifier/notifier_ops.c: duban-notifier's metrics and ops
 * endpoint (notifier_ops.h). */
#include <stdio.h>
#include <string.h>
#include "kafka.h"
#include "notifier_ops.h"
#include "event.h"

#define HEALTH_PROBE_MS 1000

void notifier_ops_init(notifier_ops_t *ops)
{
    static const struct {
        duban_metric_kind_t kind;
        const char *name, *help;
    } families[] = {
        {DUBAN_METRIC_COUNTER, "duban_events_in_total", "Alerts consumed, by topic."},
        {DUBAN_METRIC_COUNTER, "duban_events_out_total",
         "Delivery attempts and dead letters produced, by topic."},
        {DUBAN_METRIC_COUNTER, "duban_produce_errors_total",
         "Outcome records or dead letters that could not be produced."},
        {DUBAN_METRIC_COUNTER, "duban_notifier_bad_input_total",
         "Alerts that could not be decoded (dead-lettered)."},
        {DUBAN_METRIC_COUNTER, "duban_deliveries_total",
         "Alert-endpoint outcomes, by endpoint and outcome (RETRYING is one per retried attempt)."},
        {DUBAN_METRIC_COUNTER, "duban_webhook_requests_total",
         "Requests sent, by endpoint (a digest is one request)."},
        {DUBAN_METRIC_COUNTER, "duban_notifier_resumed_pairs_total",
         "Alert-endpoint pairs not sent again: final before a restart or rebalance."},
        {DUBAN_METRIC_COUNTER, "duban_notifier_unknown_departments_total",
         "Departments that only the default route matched."},
        {DUBAN_METRIC_COUNTER, "duban_notifier_reloads_total",
         "Routing file reloads on SIGHUP, by result (ok, refused)."},
        {DUBAN_METRIC_GAUGE, "duban_notifier_open_alerts",
         "Alerts read whose outcomes are not all final and durable."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_requests_in_flight", "Requests on the wire."},
        {DUBAN_METRIC_GAUGE, "duban_partitions_assigned", "Alert partitions this instance owns."},
        {DUBAN_METRIC_GAUGE, "duban_notifier_partitions_resuming",
         "Assigned partitions held until their delivered set is rebuilt."},
        {DUBAN_METRIC_GAUGE, "duban_consumer_lag",
         "Messages not yet read, by topic and partition."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_queued", "Alerts waiting for their first turn, by endpoint."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_retry_queue",
         "Alerts waiting for a retry, by endpoint."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_slots_held",
         "Slots an endpoint holds: requests out and final outcomes not yet acknowledged."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_circuit_open", "1 while an endpoint's breaker is open."},
        {DUBAN_METRIC_GAUGE, "duban_webhook_endpoint_disabled",
         "1 once an endpoint answered 410 Gone."},
    };
    memset(ops, 0, sizeof(*ops));
    ops->reg = duban_metrics_new();
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        duban_metrics_family(ops->reg, families[i].kind, families[i].name, families[i].help, 1);
    duban_metrics_t *r = ops->reg;
    ops->alerts_in = duban_metrics_get(r, "duban_events_in_total", "topic", DUBAN_TOPIC_ALERTS,
                                       NULL);
    ops->deliveries_out = duban_metrics_get(r, "duban_events_out_total", "topic",
                                            DUBAN_TOPIC_DELIVERIES, NULL);
    ops->dlq_out = duban_metrics_get(r, "duban_events_out_total", "topic", DUBAN_TOPIC_DLQ, NULL);
    ops->produce_errors = duban_metrics_get(r, "duban_produce_errors_total", NULL);
    ops->bad_input = duban_metrics_get(r, "duban_notifier_bad_input_total", NULL);
    ops->resumed = duban_metrics_get(r, "duban_notifier_resumed_pairs_total", NULL);
    ops->unknown_depts = duban_metrics_get(r, "duban_notifier_unknown_departments_total", NULL);
    ops->reload_ok = duban_metrics_get(r, "duban_notifier_reloads_total", "result", "ok", NULL);
    ops->reload_refused = duban_metrics_get(r, "duban_notifier_reloads_total", "result",
                                            "refused", NULL);
    ops->open_alerts = duban_metrics_get(r, "duban_notifier_open_alerts", NULL);
    ops->in_flight = duban_metrics_get(r, "duban_webhook_requests_in_flight", NULL);
    ops->assigned = duban_metrics_get(r, "duban_partitions_assigned", NULL);
    ops->resuming = duban_metrics_get(r, "duban_notifier_partitions_resuming", NULL);
}

/* Ready: partitions held, their delivered sets built, and a broker answers. */
static bool health(void *opaque, char *reason, size_t size)
{
    notifier_ops_t *ops = opaque;
    if (duban_metric_value(ops->assigned) <= 0) {
        snprintf(reason, size, "no partitions assigned");
        return false;
    }
    if (duban_metric_value(ops->resuming) > 0) {
        snprintf(reason, size, "rebuilding the delivered set of %lld partitions",
                 (long long)duban_metric_value(ops->resuming));
        return false;
    }
    return duban_kafka_broker_answers(ops->rk, HEALTH_PROBE_MS, reason, size);
}

duban_err_t notifier_ops_start(notifier_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                               char *errbuf, size_t errbuf_size)
{
    ops->rk = rk;
    return duban_ops_http_start(conf, ops->reg, health, ops, &ops->http, errbuf, errbuf_size);
}

void notifier_ops_endpoint(notifier_ops_t *ops, const char *id, notifier_ep_metrics_t *out)
{
    duban_metrics_t *r = ops->reg;
    const char *d = "duban_deliveries_total";
    out->delivered = duban_metrics_get(r, d, "endpoint", id, "outcome", "DELIVERED", NULL);
    out->retrying = duban_metrics_get(r, d, "endpoint", id, "outcome", "RETRYING", NULL);
    out->dead = duban_metrics_get(r, d, "endpoint", id, "outcome", "DEAD_LETTERED", NULL);
    out->disabled = duban_metrics_get(r, d, "endpoint", id, "outcome", "DISABLED", NULL);
    out->requests = duban_metrics_get(r, "duban_webhook_requests_total", "endpoint", id, NULL);
    out->queued = duban_metrics_get(r, "duban_webhook_queued", "endpoint", id, NULL);
    out->retry_queue = duban_metrics_get(r, "duban_webhook_retry_queue", "endpoint", id, NULL);
    out->slots = duban_metrics_get(r, "duban_webhook_slots_held", "endpoint", id, NULL);
    out->breaker_open = duban_metrics_get(r, "duban_webhook_circuit_open", "endpoint", id, NULL);
    out->is_disabled = duban_metrics_get(r, "duban_webhook_endpoint_disabled", "endpoint", id,
                                         NULL);
}

void notifier_ops_lag(notifier_ops_t *ops, int32_t partition, int64_t lag)
{
    char part[16];
    snprintf(part, sizeof(part), "%d", (int)partition);
    duban_metric_set(duban_metrics_get(ops->reg, "duban_consumer_lag", "topic",
                                       DUBAN_TOPIC_ALERTS, "partition", part, NULL),
                     lag < 0 ? 0 : lag);
}

void notifier_ops_stop(notifier_ops_t *ops)
{
    duban_ops_http_stop(ops->http);   /* first: the health probe uses rk */
    ops->http = NULL;
    duban_metrics_destroy(ops->reg);
    ops->reg = NULL;
}
