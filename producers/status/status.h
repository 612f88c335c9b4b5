/* producers/status/status.h: the parts of duban-status.
 *   main.c   command line: `report` (CLI intake) and `serve` (HTTP intake)
 *   sender.c events -> duban.task-status.v1, waiting for each delivery report
 *   serve.c  the HTTP intake (libmicrohttpd)
 * Validation and event building live in producers/status/status_intake.h. */
#ifndef DUBAN_STATUS_PROG_H
#define DUBAN_STATUS_PROG_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "conf.h"
#include "err.h"

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

/* Runs the HTTP intake on listen ("HOST:PORT") until SIGINT/SIGTERM, with a
 * sender of its own. Returns the exit status (2: bad address). */
int status_serve(duban_conf_t *conf, const char *listen);

#endif
