/* producers/status/status_gate.h: the door of duban-status's HTTP server.
 * No request head reaches libmicrohttpd before status_framing.h has passed
 * it: the gate accepts each connection itself, peeks (MSG_PEEK, reading
 * nothing) until the first request head is complete, and either answers a
 * bad one itself (400 or 431, `Connection: close`, then a short lingering
 * close) or hands the socket, its bytes untouched, to the server.
 * On a kept-alive connection the server calls status_gate_next between two
 * requests (libmicrohttpd is blocked in its callback then, so it reads
 * nothing): the next head is peeked and checked the same way. That is only
 * sound when the library holds no bytes of the next request already; the
 * server asks status_gate_consumed (what was read off the socket) and keeps
 * a connection alive only when that is exactly where the checked request
 * ended.
 * Limits, while a connection waits for its first head: at most max_conn
 * such connections, per_address from one address (more are closed at
 * once), and the head must be complete within header_ms of the accept
 * (else the connection is closed and counted as cut). Once handed over,
 * the server's own limits apply (the same settings).
 * Owns:   the listening socket (from start), the waiting connections, one
 *         thread. Never: reads a request body; touches a connection after
 *         handing it over. Thread: start/stop from one thread; the
 *         status_gate_* helpers on a socket from any. */
#ifndef STATUS_GATE_H
#define STATUS_GATE_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include "err.h"
#include "status_framing.h"

typedef struct status_gate_s status_gate_t;

typedef struct {
    long max_conn, per_address, header_ms;
    /* A connection whose first head passed: the callee takes fd (and
     * closes it when it cannot serve it). Called on the gate's thread. */
    void (*handoff)(void *arg, int fd, const struct sockaddr *sa, socklen_t salen);
    /* An answer the gate gave itself (for the metrics). */
    void (*answered)(void *arg, unsigned status);
    void *arg;
} status_gate_conf_t;

/* Takes listen_fd (a listening TCP socket) on success and starts the
 * gate's thread. *out is NEW: status_gate_stop. */
duban_err_t status_gate_start(int listen_fd, const status_gate_conf_t *conf,
                              status_gate_t **out, char *errbuf, size_t errbuf_size);
/* Connections closed because their first head was late. */
uint64_t status_gate_cut(status_gate_t *g);
/* Stops the thread, closes the waiting connections and the listening
 * socket. NULL is a no-op. */
void status_gate_stop(status_gate_t *g);

/* ---- on a connection the server holds (libmicrohttpd's socket) ---- */

/* Bytes read off fd so far (received minus still queued; TCP_INFO and
 * SIOCINQ). Not exact: bytes arriving meanwhile may make it larger, never
 * smaller (enough to refuse keep-alive); exact: retried until nothing
 * arrived in between. -1 when the kernel cannot tell: then never keep
 * alive. */
int64_t status_gate_consumed(int fd, bool exact);

typedef enum {
    STATUS_GATE_NEXT_OK,       /* *f: the next head, complete and sound */
    STATUS_GATE_NEXT_REFUSED,  /* answered (f->status) and shut down */
    STATUS_GATE_NEXT_GONE      /* closed, failed or no head within wait_ms */
} status_gate_next_t;

/* Waits up to wait_ms for the next complete head on fd and checks it,
 * reading nothing unless it refuses it. Blocks the calling thread. */
status_gate_next_t status_gate_next(int fd, long wait_ms, status_framing_t *f);
/* The head already complete on fd, without waiting: OK, MORE or BAD. */
status_framing_verdict_t status_gate_peek(int fd, status_framing_t *f);

#endif
