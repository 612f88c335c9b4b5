/* producers/status/status_ops.c: duban-status's metrics and ops endpoint
 * (status_ops.h). */
#include <stdio.h>
#include <string.h>
#include "status.h"
#include "status_ops.h"


static bool health(void *opaque, char *reason, size_t reason_size)
{
    status_ops_t *ops = opaque;
    if (!status_feed_ready(ops->svc->feed)) {
        snprintf(reason, reason_size, "rebuilding the task state from the log");
        return false;
    }
    return status_sender_connected(ops->svc->sender, reason, reason_size);
}

duban_err_t status_ops_start(status_ops_t *ops, status_service_t *svc, const duban_conf_t *conf,
                             char *errbuf, size_t errbuf_size)
{
    static const struct {
        duban_metric_kind_t kind;
        const char *name, *help;
    } families[] = {
        {DUBAN_METRIC_COUNTER, "duban_http_requests_total", "API answers by HTTP status"},
        {DUBAN_METRIC_COUNTER, "duban_status_writes_accepted_total",
         "writes answered 202: each one event acknowledged on the log"},
        {DUBAN_METRIC_COUNTER, "duban_http_connections_cut_total",
         "connections shut down past a header or body deadline"},
        {DUBAN_METRIC_GAUGE, "duban_status_tasks", "tasks in the state"},
        {DUBAN_METRIC_GAUGE, "duban_rebuilding", "1 while the state is rebuilt from the log"},
        {DUBAN_METRIC_GAUGE, "duban_consumer_lag",
         "Messages of the task topics not yet in the state, by topic and partition."},
    };
    memset(ops, 0, sizeof(*ops));
    ops->svc = svc;
    ops->reg = duban_metrics_new();
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        duban_metrics_family(ops->reg, families[i].kind, families[i].name, families[i].help, 1);
    ops->accepted = duban_metrics_get(ops->reg, "duban_status_writes_accepted_total", NULL);
    ops->cut = duban_metrics_get(ops->reg, "duban_http_connections_cut_total", NULL);
    ops->tasks = duban_metrics_get(ops->reg, "duban_status_tasks", NULL);
    ops->rebuilding = duban_metrics_get(ops->reg, "duban_rebuilding", NULL);
    status_ops_refresh(ops, 0);
    return duban_ops_http_start(conf, ops->reg, health, ops, &ops->http, errbuf, errbuf_size);
}

void status_ops_answer(status_ops_t *ops, unsigned status)
{
    if (!ops || !ops->reg)
        return;
    char code[8];
    snprintf(code, sizeof(code), "%u", status);
    duban_metric_add(duban_metrics_get(ops->reg, "duban_http_requests_total", "code", code, NULL), 1);
}

static void set_lag(void *arg, const char *topic, int32_t partition, int64_t lag)
{
    status_ops_t *ops = arg;
    char part[16];
    snprintf(part, sizeof(part), "%d", (int)partition);
    duban_metric_set(duban_metrics_get(ops->reg, "duban_consumer_lag", "topic", topic,
                                       "partition", part, NULL), lag);
}

void status_ops_refresh(status_ops_t *ops, uint64_t cut)
{
    status_state_stats_t s;
    status_state_stats(ops->svc->state, &s);
    duban_metric_set(ops->accepted, (int64_t)atomic_load(&ops->svc->accepted));
    duban_metric_set(ops->cut, (int64_t)cut);
    duban_metric_set(ops->tasks, (int64_t)s.tasks);
    duban_metric_set(ops->rebuilding, status_feed_ready(ops->svc->feed) ? 0 : 1);
    status_feed_lag(ops->svc->feed, set_lag, ops);
}

void status_ops_stop(status_ops_t *ops)
{
    duban_ops_http_stop(ops->http); /* first: its callbacks read the service */
    ops->http = NULL;
    duban_metrics_destroy(ops->reg);
    ops->reg = NULL;
}
