/* common/notify/webhook_engine.h: one libcurl multi engine of the webhook
 * transport, internal to common/notify (webhook_http.c is its only user).
 * Owns:   one multi handle driven through curl's socket interface over
 *         epoll, a pool of easy handles (their fixed options set once),
 *         the descriptors it opened (kept in the epoll set while idle, so
 *         a kept-alive connection costs no epoll_ctl per request), and each
 *         request's buffers while it is in flight. Every connection it
 *         opens passes the address guard (webhook_addr.h) unless
 *         allow_private is set. Only http/https, no redirects, TLS
 *         verification as the options say.
 * Never:  logs (URLs may carry tokens; a result's error text never holds
 *         the URL), retries, starts threads, or waits longer than the
 *         timeout given to _run.
 * Thread: one engine is used from one thread only; different engines run
 *         on different threads at once (the pool's workers). */
#ifndef DUBAN_WEBHOOK_ENGINE_H
#define DUBAN_WEBHOOK_ENGINE_H
#include "webhook_http.h"

/* The most response body a result carries (bytes, without the NUL). */
#define DUBAN_WEBHOOK_BODY_CAP 4096

typedef struct duban_webhook_engine_s duban_webhook_engine_t;

/* A new engine with opts (max_inflight <= 0: 64, max_host_connections <= 0:
 * max_inflight; ca_file is copied, opts->threads is not looked at). cb is
 * called from _run, on the engine's thread, once per finished request; the
 * result and its body are borrowed for the call. On success *out is NEW:
 * free with _destroy. */
duban_err_t duban_webhook_engine_new(const duban_webhook_http_opts_t *opts,
                                     duban_webhook_http_done_cb *cb, void *cb_opaque,
                                     duban_webhook_engine_t **out, char *errbuf,
                                     size_t errbuf_size);
/* Drops the requests in flight (no callback) and frees everything; NULL
 * is a no-op. */
void duban_webhook_engine_destroy(duban_webhook_engine_t *e);

/* As duban_webhook_http_submit, on this engine: steals req's buffers (req
 * is reset) on success and on failure; DUBAN_E_AGAIN when the engine's
 * max_inflight requests are out. */
duban_err_t duban_webhook_engine_submit(duban_webhook_engine_t *e,
                                        duban_webhook_request_t *req, long timeout_ms,
                                        long connect_timeout_ms, void *opaque,
                                        char *errbuf, size_t errbuf_size);
/* One turn: waits up to timeout_ms (not at all when nothing is in flight
 * and no wake descriptor is set), drives the ready sockets and the timer,
 * calls cb for each finished request. Returns how many finished. */
int duban_webhook_engine_run(duban_webhook_engine_t *e, int timeout_ms);

/* Puts eventfd fd into the engine's wait set: a write to it ends _run's
 * wait, and _run drains it. The descriptor stays the caller's. 0, or -1
 * with errno set by epoll_ctl. */
int duban_webhook_engine_add_wake(duban_webhook_engine_t *e, int fd);

int duban_webhook_engine_inflight(const duban_webhook_engine_t *e);
/* The engine's max_inflight after defaults. */
int duban_webhook_engine_limit(const duban_webhook_engine_t *e);

#endif
