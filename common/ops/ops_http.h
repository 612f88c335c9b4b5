/* common/ops/ops_http.h: the operator's HTTP endpoint of a long-running
 * duban program, on the address in `ops.listen` (HOST:PORT; port 0 takes
 * any free one; unset: no endpoint):
 *   GET /metrics   the program's metrics (metrics.h), Prometheus text
 *                  format 0.0.4
 *   GET /healthz   200 {"ready":true} when the program's health callback
 *                  says it is ready, else 503 {"ready":false,"reason":...}
 * Anything else is 404; a method other than GET/HEAD is 405. It binds
 * 127.0.0.1 unless told otherwise, answers from libmicrohttpd's own thread,
 * and logs one info line with the address it bound.
 * Owns:   the libmicrohttpd daemon. Never: touches the program's state other
 *         than through the metrics and the health callback.
 * Thread: start and stop from one thread; callbacks run on the HTTP one. */
#ifndef DUBAN_OPS_HTTP_H
#define DUBAN_OPS_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include "conf.h"
#include "err.h"
#include "metrics.h"

typedef struct duban_ops_http_s duban_ops_http_t;

/* Whether the program is ready; when not, why (one short line, in reason).
 * Called on the HTTP thread: read only what is safe from there (metrics,
 * atomics, thread-safe library calls). */
typedef bool (duban_health_cb)(void *opaque, char *reason, size_t reason_size);

/* *out is NEW, or NULL when ops.listen is not set. metrics and opaque are
 * borrowed until duban_ops_http_stop. DUBAN_E_INVAL for an address that is
 * not HOST:PORT, DUBAN_E_IO when it cannot be bound (errbuf says which). */
duban_err_t duban_ops_http_start(const duban_conf_t *conf, duban_metrics_t *metrics,
                                 duban_health_cb *health, void *opaque,
                                 duban_ops_http_t **out, char *errbuf, size_t errbuf_size);
/* "HOST:PORT" as bound (the port chosen when 0 was asked), borrowed. */
const char *duban_ops_http_address(const duban_ops_http_t *h);
/* Waits for requests in flight, frees. NULL is a no-op. */
void duban_ops_http_stop(duban_ops_http_t *h);

#endif
