/* common/notify/webhook_http.h: the webhook transport: many POSTs at once
 * through libcurl multi handles (connection reuse, keep-alive, bounded
 * concurrency, timeouts).
 * Safety: only http/https, no redirects, TLS verification on unless
 * verify_tls is false, and unless allow_private is set every connection's
 * resolved address is checked (CURLOPT_OPENSOCKETFUNCTION) and refused when
 * the address guard (webhook_addr.h) calls it internal: loopback, private
 * (RFC 1918, fc00::/7), link-local, CGNAT, unspecified or multicast — so
 * the notifier cannot be turned against internal services through DNS.
 * Modules: webhook_http.c (this API and the worker pool), webhook_engine.c
 *         (one multi handle over epoll), webhook_addr.c (the address rule).
 * Owns:   the multi handles, pools of easy handles, the worker threads,
 *         each request's buffers while it is in flight. Never: logs (URLs may carry tokens; the
 *         result's error text never contains the URL), retries (the caller
 *         decides), blocks longer than the timeout given to _run.
 * Threads: threads = 1 runs libcurl on the caller's thread (in _run).
 *         threads = N > 1 runs N engines, each with its own multi handle,
 *         easy handles and a share of max_inflight and
 *         max_host_connections (the totals never exceed the limits): one
 *         on the caller's thread (in _run), N - 1 on worker threads.
 *         Either way the transport is used from one thread (the caller's):
 *         _submit starts the request on the caller's engine or hands it to
 *         a worker (whichever has the most room), _run delivers the results
 *         and calls cb on the caller's thread, _destroy stops and joins
 *         the workers. */
#ifndef DUBAN_WEBHOOK_HTTP_H
#define DUBAN_WEBHOOK_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "webhook_addr.h"
#include "webhook_format.h"

typedef struct {
    int max_inflight;          /* requests at once (default 64) */
    int max_host_connections;  /* per host (default = max_inflight) */
    bool verify_tls;           /* default true */
    bool allow_private;        /* default false: refuse internal addresses */
    const char *ca_file;       /* NULL: the system store */
    int threads;               /* libcurl threads (default 1: the caller's) */
} duban_webhook_http_opts_t;

/* duban-notifier's threads (notifier.http.threads): the libcurl work on
 * two threads, the notifier's own and one worker (see
 * consumers/notifier/README.md) */
#define DUBAN_WEBHOOK_HTTP_NOTIFIER_THREADS 2

void duban_webhook_http_opts_default(duban_webhook_http_opts_t *o);

typedef struct {
    void *opaque;          /* what was given to _submit */
    long http_status;      /* 0: no response */
    bool transport_retriable; /* timeout, connection error ... */
    bool refused;          /* the address check refused the connection */
    long retry_after_ms;   /* -1: no Retry-After */
    long latency_ms;
    const char *body;      /* response body, at most 4 KiB; borrowed for the callback */
    char error[320];       /* "" or what went wrong, never the URL */
} duban_webhook_http_result_t;

typedef void (duban_webhook_http_done_cb)(const duban_webhook_http_result_t *res,
                                          void *cb_opaque);

typedef struct duban_webhook_http_s duban_webhook_http_t;

duban_err_t duban_webhook_http_new(const duban_webhook_http_opts_t *opts,
                                   duban_webhook_http_done_cb *cb, void *cb_opaque,
                                   duban_webhook_http_t **out, char *errbuf,
                                   size_t errbuf_size);
void duban_webhook_http_destroy(duban_webhook_http_t *h);

/* Starts a POST (it goes out during _run). Steals req's buffers (req is reset) on success and on
 * failure. DUBAN_E_AGAIN when max_inflight requests are already out. */
duban_err_t duban_webhook_http_submit(duban_webhook_http_t *h, duban_webhook_request_t *req,
                                      long timeout_ms, long connect_timeout_ms,
                                      void *opaque, char *errbuf, size_t errbuf_size);
/* Waits up to timeout_ms for progress, then calls cb for each finished
 * request. Returns how many finished. */
int duban_webhook_http_run(duban_webhook_http_t *h, int timeout_ms);
int duban_webhook_http_inflight(const duban_webhook_http_t *h);
int duban_webhook_http_capacity(const duban_webhook_http_t *h);

#endif
