/* consumers/analytics/analytics_ops.c: duban-analytics's metrics and ops
 * endpoint (analytics_ops.h). */
#include <stdio.h>
#include <string.h>
#include "analytics_ops.h"
#include "kafka.h"

#define HEALTH_PROBE_MS 1000

/* Ready: partitions assigned and a broker answers. */
static bool health(void *opaque, char *reason, size_t size)
{
    analytics_ops_t *ops = opaque;
    if (duban_metric_value(ops->assigned) <= 0) {
        snprintf(reason, size, "no partitions assigned");
        return false;
    }
    return duban_kafka_broker_answers(ops->rk, HEALTH_PROBE_MS, reason, size);
}

duban_err_t analytics_ops_start(analytics_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                                char *errbuf, size_t errbuf_size)
{
    static const struct {
        duban_metric_kind_t kind;
        const char *name, *help;
    } families[] = {
        {DUBAN_METRIC_COUNTER, "duban_events_in_total", "Events consumed, by topic."},
        {DUBAN_METRIC_COUNTER, "duban_analytics_rows_written_total",
         "Events upserted into the store (one row of the event's table each) whose "
         "transaction committed, by topic."},
        {DUBAN_METRIC_COUNTER, "duban_analytics_undecodable_total",
         "Events that could not be decoded or stored (dead-lettered)."},
        {DUBAN_METRIC_COUNTER, "duban_analytics_batches_total", "Store transactions committed."},
        {DUBAN_METRIC_COUNTER, "duban_events_out_total", "Dead letters produced, by topic."},
        {DUBAN_METRIC_COUNTER, "duban_produce_errors_total", "Dead letters that could not be produced."},
        {DUBAN_METRIC_GAUGE, "duban_consumer_lag",
         "Messages not yet fetched, by topic and partition."},
        {DUBAN_METRIC_GAUGE, "duban_partitions_assigned", "Partitions this instance owns."},
    };
    memset(ops, 0, sizeof(*ops));
    ops->rk = rk;
    ops->reg = duban_metrics_new();
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        duban_metrics_family(ops->reg, families[i].kind, families[i].name, families[i].help, 1);
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        const char *topic = duban_event_topic((duban_event_type_t)t);
        ops->in[t] = duban_metrics_get(ops->reg, "duban_events_in_total", "topic", topic, NULL);
        ops->rows[t] = duban_metrics_get(ops->reg, "duban_analytics_rows_written_total", "topic",
                                         topic, NULL);
    }
    ops->undecodable = duban_metrics_get(ops->reg, "duban_analytics_undecodable_total", NULL);
    ops->batches = duban_metrics_get(ops->reg, "duban_analytics_batches_total", NULL);
    ops->dlq_out = duban_metrics_get(ops->reg, "duban_events_out_total", "topic",
                                     DUBAN_TOPIC_DLQ, NULL);
    ops->produce_errors = duban_metrics_get(ops->reg, "duban_produce_errors_total", NULL);
    ops->assigned = duban_metrics_get(ops->reg, "duban_partitions_assigned", NULL);
    return duban_ops_http_start(conf, ops->reg, health, ops, &ops->http, errbuf, errbuf_size);
}

static int topic_index(const char *topic)
{
    for (int t = 0; t < DUBAN_EV__COUNT; t++)
        if (strcmp(duban_event_topic((duban_event_type_t)t), topic) == 0)
            return t;
    return -1;
}

void analytics_ops_event(analytics_ops_t *ops, const char *topic, bool stored)
{
    int t = topic_index(topic);
    if (t >= 0)
        duban_metric_add(ops->in[t], 1);
    if (!stored)
        duban_metric_add(ops->undecodable, 1);
    else if (t >= 0)
        ops->batch_rows[t]++;
}

void analytics_ops_committed(analytics_ops_t *ops)
{
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        duban_metric_add(ops->rows[t], ops->batch_rows[t]);
        ops->batch_rows[t] = 0;
    }
    duban_metric_add(ops->batches, 1);
}

/* Lag per assigned partition: the high watermark librdkafka last saw minus
 * the consumer's fetch position (partitions not fetched yet are left out). */
void analytics_ops_refresh(analytics_ops_t *ops, int64_t now)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    if (now - ops->last_refresh < 1000 || rd_kafka_assignment(ops->rk, &parts) || !parts)
        return;
    ops->last_refresh = now;
    duban_metric_set(ops->assigned, parts->cnt);
    rd_kafka_position(ops->rk, parts);
    for (int i = 0; i < parts->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &parts->elems[i];
        int64_t lo, hi;
        char part[16];
        if (p->offset < 0 ||
            rd_kafka_get_watermark_offsets(ops->rk, p->topic, p->partition, &lo, &hi) || hi < 0)
            continue;
        snprintf(part, sizeof(part), "%d", (int)p->partition);
        duban_metric_set(duban_metrics_get(ops->reg, "duban_consumer_lag", "topic", p->topic,
                                           "partition", part, NULL),
                         hi > p->offset ? hi - p->offset : 0);
    }
    rd_kafka_topic_partition_list_destroy(parts);
}

void analytics_ops_stop(analytics_ops_t *ops)
{
    duban_ops_http_stop(ops->http);   /* first: the health probe uses rk */
    ops->http = NULL;
    duban_metrics_destroy(ops->reg);
    ops->reg = NULL;
}
