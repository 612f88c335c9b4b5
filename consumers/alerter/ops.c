/* consumers/alerter/ops.c: what duban-alerter shows its operator, on
 * ops.listen (common/ops/ops_http.h): the metrics below at /metrics, and
 * /healthz, ready when the consumer reaches a broker, holds partitions and
 * has rebuilt them all. */
#include <stdio.h>
#include <string.h>
#include "kafka.h"
#include "log.h"
#include "prog.h"

#define HEALTH_PROBE_MS 1000

void alerter_ops_init(alerter_ops_t *ops)
{
    static const struct {
        duban_metric_kind_t kind;
        const char *name, *help;
        int64_t scale;
    } families[] = {
        {DUBAN_METRIC_COUNTER, "duban_events_in_total", "Events consumed live, by topic.", 1},
        {DUBAN_METRIC_COUNTER, "duban_rebuild_events_total",
         "Events read back while rebuilding partitions, by topic.", 1},
        {DUBAN_METRIC_COUNTER, "duban_events_out_total", "Events produced, by topic.", 1},
        {DUBAN_METRIC_COUNTER, "duban_produce_errors_total", "Messages that could not be produced.", 1},
        {DUBAN_METRIC_COUNTER, "duban_alerts_fired_total", "Alerts produced, by kind.", 1},
        {DUBAN_METRIC_COUNTER, "duban_alerts_late_total",
         "Alerts produced later than alerter.late.after.ms after their fire time.", 1},
        {DUBAN_METRIC_GAUGE, "duban_consumer_lag",
         "Messages not yet processed, by topic and partition.", 1},
        {DUBAN_METRIC_GAUGE, "duban_partitions_assigned", "Task partitions this instance owns.", 1},
        {DUBAN_METRIC_GAUGE, "duban_rebuilding", "1 while partitions are being rebuilt.", 1},
        {DUBAN_METRIC_GAUGE, "duban_rebuild_duration_seconds", "How long the last rebuild took.",
         1000},
        {DUBAN_METRIC_GAUGE, "duban_alerter_tasks", "Tasks known.", 1},
        {DUBAN_METRIC_GAUGE, "duban_alerter_tasks_pending", "Tasks with an alert ahead.", 1},
        {DUBAN_METRIC_GAUGE, "duban_alerter_events_deferred", "Events waiting for the clock.", 1},
        {DUBAN_METRIC_COUNTER, "duban_alerter_reloads_total",
         "Department directory reloads on SIGHUP, by result (ok, refused).", 1},
    };
    memset(ops, 0, sizeof(*ops));
    ops->reg = duban_metrics_new();
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        duban_metrics_family(ops->reg, families[i].kind, families[i].name, families[i].help,
                             families[i].scale);
    static const char *const topics[2] = {DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS};
    for (int t = 0; t < 2; t++) {
        ops->in[t] = duban_metrics_get(ops->reg, "duban_events_in_total", "topic", topics[t], NULL);
        ops->rebuild_in[t] = duban_metrics_get(ops->reg, "duban_rebuild_events_total", "topic",
                                               topics[t], NULL);
    }
    ops->alerts_out = duban_metrics_get(ops->reg, "duban_events_out_total", "topic",
                                        DUBAN_TOPIC_ALERTS, NULL);
    ops->dlq_out = duban_metrics_get(ops->reg, "duban_events_out_total", "topic",
                                     DUBAN_TOPIC_DLQ, NULL);
    ops->produce_errors = duban_metrics_get(ops->reg, "duban_produce_errors_total", NULL);
    ops->late = duban_metrics_get(ops->reg, "duban_alerts_late_total", NULL);
    ops->assigned = duban_metrics_get(ops->reg, "duban_partitions_assigned", NULL);
    ops->rebuilding = duban_metrics_get(ops->reg, "duban_rebuilding", NULL);
    ops->rebuild_seconds = duban_metrics_get(ops->reg, "duban_rebuild_duration_seconds", NULL);
    ops->tasks = duban_metrics_get(ops->reg, "duban_alerter_tasks", NULL);
    ops->pending = duban_metrics_get(ops->reg, "duban_alerter_tasks_pending", NULL);
    ops->deferred = duban_metrics_get(ops->reg, "duban_alerter_events_deferred", NULL);
    ops->reload_ok = duban_metrics_get(ops->reg, "duban_alerter_reloads_total", "result", "ok",
                                       NULL);
    ops->reload_refused = duban_metrics_get(ops->reg, "duban_alerter_reloads_total", "result",
                                            "refused", NULL);
    for (int k = DUBAN_ALERT_DUE_SOON; k <= DUBAN_ALERT_PAST_DUE_AT_ISSUE; k++)
        duban_metrics_get(ops->reg, "duban_alerts_fired_total", "kind",
                          duban_alert_kind_name((duban_alert_kind_t)k), NULL);
}

/* Ready: partitions held and rebuilt, and a broker answers. */
static bool health(void *opaque, char *reason, size_t size)
{
    alerter_ops_t *ops = opaque;
    if (duban_metric_value(ops->assigned) <= 0) {
        snprintf(reason, size, "no partitions assigned");
        return false;
    }
    if (duban_metric_value(ops->rebuilding)) {
        snprintf(reason, size, "rebuilding partitions");
        return false;
    }
    return duban_kafka_broker_answers(ops->rk, HEALTH_PROBE_MS, reason, size);
}

duban_err_t alerter_ops_start(alerter_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                              char *errbuf, size_t errbuf_size)
{
    ops->rk = rk;
    return duban_ops_http_start(conf, ops->reg, health, ops, &ops->http, errbuf, errbuf_size);
}

void alerter_ops_alert(alerter_ops_t *ops, const json_t *alert)
{
    const char *kind = json_string_value(json_object_get(alert, ALERT_KEY(KIND, ENUM)));
    duban_metric_add(duban_metrics_get(ops->reg, "duban_alerts_fired_total", "kind",
                                       kind ? kind : "", NULL), 1);
    duban_metric_add(ops->alerts_out, 1);
    if (json_is_true(json_object_get(alert, ALERT_KEY(LATE, BOOLEAN))))
        duban_metric_add(ops->late, 1);
}

void alerter_ops_lag(alerter_ops_t *ops, const char *topic, int32_t partition, int64_t lag)
{
    char part[16];
    snprintf(part, sizeof(part), "%d", (int)partition);
    duban_metric_set(duban_metrics_get(ops->reg, "duban_consumer_lag", "topic", topic,
                                       "partition", part, NULL), lag < 0 ? 0 : lag);
}

void alerter_ops_stop(alerter_ops_t *ops)
{
    duban_ops_http_stop(ops->http);   /* first: the health probe uses rk */
    ops->http = NULL;
    duban_metrics_destroy(ops->reg);
    ops->reg = NULL;
}
