/* common/alert/serde_task_event.h: a framed task event off the wire into the
 * alerter's struct (task_event.h): straight from the Avro body when it was
 * written with the compiled-in schema, through the JSON form otherwise.
 * Owns:   nothing. Never: logs. Thread: the serde's (one per thread). */
#ifndef DUBAN_SERDE_TASK_EVENT_H
#define DUBAN_SERDE_TASK_EVENT_H
#include <stddef.h>
#include "err.h"
#include "serde.h"
#include "task_event.h"

/* Decode a framed task event (or the alert_id of a DeadlineAlert) into ev.
 * Errors are duban_serde_decode's, word for word, then
 * duban_task_event_from_json's (DUBAN_E_INVAL for other event types). */
duban_err_t duban_serde_decode_task(duban_serde_t *s, const void *msg, size_t len,
                                    duban_task_event_t *ev, char *errbuf,
                                    size_t errbuf_size);

#endif
