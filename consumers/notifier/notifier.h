/* consumers/notifier/notifier.h: the delivery loop of duban-notifier.
 * Consumes duban.alerts.v1, routes each alert to its departments' endpoints,
 * delivers through common/notify/webhook_http (rate limits, digests, retries with
 * backoff, circuit breaker, 410 disables), records every attempt on
 * duban.deliveries.v1 and dead-letters what cannot be delivered on
 * duban.dlq.v1. Offsets are committed only up to the first alert whose
 * outcome is not final, after the producer has flushed. Endpoints take
 * turns for the requests in flight (webhook_policy's fair scheduler); on
 * every assignment the partitions are held (paused) until the pairs already
 * final are rebuilt from duban.deliveries.v1 (resume.h, in its own thread)
 * and those are not sent again. Nothing in the loop waits on Kafka for
 * long: it turns (group protocol, requests, STATS, signals) while brokers
 * are down. SIGHUP (duban_reload_install) reads the routing file again
 * (reload.c); ops.listen serves /metrics and /healthz (notifier_ops.h).
 * Never: logs secrets or endpoint URLs. Thread: one thread, plus the
 * resumer's, the HTTP workers and the ops endpoint's. */
#ifndef DUBAN_NOTIFIER_H
#define DUBAN_NOTIFIER_H
#include "conf.h"
#include "err.h"

typedef struct notifier_s notifier_t;

/* conf keys: notifier.routes (file, required), notifier.group,
 * notifier.max.inflight, notifier.max.pending, notifier.http.threads,
 * notifier.commit.interval.ms, notifier.allow.private, notifier.tls.verify,
 * notifier.ca.file, notifier.resume.margin.ms, notifier.resume.timeout.ms,
 * notifier.resume.wait.ms, ops.listen. */
duban_err_t notifier_new(duban_conf_t *conf, notifier_t **out, char *errbuf,
                         size_t errbuf_size);
/* Runs until duban_shutdown_requested(); then lets in-flight requests end
 * (up to 5 s) and commits what is final. */
duban_err_t notifier_run(notifier_t *n, char *errbuf, size_t errbuf_size);
void notifier_destroy(notifier_t *n);

#endif
