/* producers/status/status_ops.h: what duban-status shows its operator on
 * ops.listen (common/ops/ops_http.h): at /metrics the answers by HTTP status,
 * the writes accepted (each one event on the log), the connections cut at a
 * deadline, the tasks known, whether the state is still being rebuilt and
 * how far the state is behind the log (duban_consumer_lag, as the alerter's);
 * at /healthz the same readiness as the API's /healthz (state rebuilt and a
 * broker up).
 * Owns:   the metrics registry and the ops endpoint. Thread: counters from
 *         any thread; start, refresh and stop from the server's main one. */
#ifndef STATUS_OPS_H
#define STATUS_OPS_H
#include <stdint.h>
#include "metrics.h"
#include "ops_http.h"
#include "status_api.h"

typedef struct {
    duban_metrics_t *reg;
    duban_ops_http_t *http;
    status_service_t *svc;
    duban_metric_t *accepted, *cut, *tasks, *rebuilding;
} status_ops_t;

/* The registry (never fails) and, when ops.listen is set, the endpoint. */
duban_err_t status_ops_start(status_ops_t *ops, status_service_t *svc, const duban_conf_t *conf,
                             char *errbuf, size_t errbuf_size);
/* One answer of the API, by its HTTP status. */
void status_ops_answer(status_ops_t *ops, unsigned status);
/* The gauges and totals the service keeps itself (accepted writes, cut
 * connections, tasks, rebuilding), copied into the registry. */
void status_ops_refresh(status_ops_t *ops, uint64_t cut);
void status_ops_stop(status_ops_t *ops);

#endif
