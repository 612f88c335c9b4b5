/* producers/status/status.h: the parts of duban-status.
 *   main.c          command line: `report` (CLI intake, checked), `serve` (HTTP), `token`
 *   sender.c        events -> Kafka, waiting for each delivery report
 *   serve.c         the HTTP server (libmicrohttpd): connections, auth, limits
 *   status_gate.c   accepts connections; no request head reaches the library
 *                   before status_framing.h has passed it
 *   status_api.c    the HTTP API: routes, rights, the workflow, answers
 * Modules (each header says what it owns): status_intake.h (a report ->
 * TaskStatusChanged), status_flow.h (the transition table and roles),
 * status_state.h (task state), status_feed.h (state <- the log),
 * status_check.h (a change against the state: the service's and report's),
 * status_tokens.h (who is calling), status_idem.h (Idempotency-Key),
 * status_map.h (a hash table), status_framing.h (is a request head framed
 * unambiguously?), status_gate.h (the gate). */
#ifndef DUBAN_STATUS_PROG_H
#define DUBAN_STATUS_PROG_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>
#include "conf.h"
#include "err.h"
#include "event.h"
#include "kafka.h"

typedef struct status_sender_s status_sender_t;

/* Where a delivered event landed. */
typedef struct {
    int32_t partition;
    int64_t offset;
} status_receipt_t;

/* *out is NEW. poll_thread: serve delivery reports from a thread of its own
 * (the server); otherwise status_sender_deliver polls inline (the CLI).
 * Sets kafka.message.timeout.ms from status.delivery.timeout.ms (default
 * 30000), and kafka.linger.ms to 0, unless they are set. */
duban_err_t status_sender_new(duban_conf_t *conf, bool poll_thread, status_sender_t **out,
                              char *errbuf, size_t errbuf_size);
/* Encodes ev, produces it keyed by its task_id and waits for its delivery
 * report. DUBAN_OK only when the broker acknowledged it (acks=all);
 * DUBAN_E_KAFKA when the delivery failed, DUBAN_E_TIMEOUT when no report came
 * in time. Thread safe. */
duban_err_t status_sender_deliver(status_sender_t *s, const json_t *ev,
                                  status_receipt_t *receipt, char *errbuf,
                                  size_t errbuf_size);
/* False once librdkafka reports a fatal error (the producer is unusable). */
bool status_sender_healthy(status_sender_t *s, char *errbuf, size_t errbuf_size);
void status_sender_destroy(status_sender_t *s);

/* Encodes ev as `type`, produces it to the type's topic keyed by its
 * task_id with the given headers, and waits for its delivery report, as
 * status_sender_deliver. */
duban_err_t status_sender_deliver_event(status_sender_t *s, duban_event_type_t type,
                                        const json_t *ev, const duban_kafka_header_t *headers,
                                        size_t header_count, status_receipt_t *receipt,
                                        char *errbuf, size_t errbuf_size);
/* False while the producer has no broker up (or a fatal error); errbuf says
 * which. */
bool status_sender_connected(status_sender_t *s, char *errbuf, size_t errbuf_size);

/* A condition variable that waits on CLOCK_MONOTONIC, and that clock's
 * now + ms for its pthread_cond_timedwait. */
void status_cond_init(pthread_cond_t *cv);
struct timespec status_deadline_in(long ms);

/* The service clock: the wall clock, or --now TIME running at --speed X. */
typedef struct {
    int64_t start;          /* INT64_MIN: the wall clock */
    int64_t origin;         /* wall ms at which the clock read `start` */
    double speed;
} status_clock_t;
int64_t status_clock_now(const status_clock_t *clk);

/* Runs the HTTP service on listen ("HOST:PORT") until SIGINT/SIGTERM.
 * Returns the exit status (2: bad address or settings). */
int status_serve(duban_conf_t *conf, const char *listen, const status_clock_t *clk);

#endif
