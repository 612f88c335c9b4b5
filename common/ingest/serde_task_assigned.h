/* common/ingest/serde_task_assigned.h: a TaskAssigned struct (task_assigned.h)
 * onto the wire, duban-ingest's path: serde.h frames it, task_assigned.c
 * writes the Avro body straight from the struct.
 * Owns:   nothing. Never: logs. Thread: the serde's (one per thread). */
#ifndef DUBAN_SERDE_TASK_ASSIGNED_H
#define DUBAN_SERDE_TASK_ASSIGNED_H
#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "serde.h"
#include "task_assigned.h"

/* Encodes a sealed TaskAssigned for `topic` (NULL = duban.tasks.v1) into out
 * (emptied first). The bytes are those of duban_serde_encode_buf on the
 * event's JSON form (test_task_assigned checks it on every task of the
 * gazettes); with the serde's direct codecs off it goes through that JSON
 * form. */
duban_err_t duban_serde_encode_task_assigned(duban_serde_t *s, const char *topic,
                                             const duban_task_assigned_t *ta,
                                             duban_buf_t *out, char *errbuf,
                                             size_t errbuf_size);

#endif
