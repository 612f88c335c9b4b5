/* common/serde.h: events <-> Confluent wire format.
 * A message is: magic byte 0, the schema id as 4 bytes big-endian, then the
 * Avro binary encoding of the event. Events are jansson objects (see
 * event.h). The schemas are compiled in (schemas/ (*.avsc)); ids come from a
 * registry: the built-in one (fixed ids, the embedded default) or a Confluent
 * Schema Registry when `schema.registry.url` is set (registry.h).
 * Owns:   one avro-c value per event type, reused (reset) per message.
 * Never:  logs, crashes on bad bytes: wrong magic, unknown id and truncated
 *         bodies are typed errors (DUBAN_E_MAGIC, _UNKNOWN_SCHEMA,
 *         _TRUNCATED). Thread: one serde per thread. */
#ifndef DUBAN_SERDE_H
#define DUBAN_SERDE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "conf.h"
#include "buf.h"
#include "err.h"
#include "event.h"
#include "task_assigned.h"
#include "task_event.h"

typedef struct duban_serde_s duban_serde_t;

/* *out is NEW. conf may be NULL (built-in registry). */
duban_err_t duban_serde_new(const duban_conf_t *conf, duban_serde_t **out,
                            char *errbuf, size_t errbuf_size);
void duban_serde_destroy(duban_serde_t *s);

/* Encode ev (fields named as in the schema; missing optional fields are
 * null; extra keys such as "type" are ignored) for `topic` (NULL = the type's
 * own topic). *out is NEW (free()). Errors name the field:
 * "TaskAssigned.due_date: not a YYYY-MM-DD date". */
duban_err_t duban_serde_encode(duban_serde_t *s, duban_event_type_t type,
                               const char *topic, const json_t *ev, void **out,
                               size_t *out_len, char *errbuf, size_t errbuf_size);
/* The same, into `out` (emptied first; its room is kept from call to call,
 * so a producer loop encodes without an allocation per event). */
duban_err_t duban_serde_encode_buf(duban_serde_t *s, duban_event_type_t type,
                                   const char *topic, const json_t *ev, duban_buf_t *out,
                                   char *errbuf, size_t errbuf_size);

/* The same for a TaskAssigned held as a struct (task_assigned.h; sealed),
 * written straight from it: duban-ingest's path. The bytes are those of
 * duban_serde_encode_buf on the event's JSON form; when the compiled-in
 * schema no longer matches the struct writer's layout, it goes through
 * that JSON form instead. */
duban_err_t duban_serde_encode_task_assigned(duban_serde_t *s, const char *topic,
                                             const duban_task_assigned_t *ta,
                                             duban_buf_t *out, char *errbuf,
                                             size_t errbuf_size);

/* Tests: on = the direct codecs where the compiled-in schemas match them
 * (the default), off = everything through the JSON form and avro-c (what
 * a changed schema falls back to). */
void duban_serde_set_direct(duban_serde_t *s, bool on);

/* Decode a framed message. *ev_out is NEW, with "type" set. */
duban_err_t duban_serde_decode(duban_serde_t *s, const void *msg, size_t len,
                               duban_event_type_t *type_out, json_t **ev_out,
                               char *errbuf, size_t errbuf_size);

/* Decode a framed task event (or the alert_id of a DeadlineAlert) into ev
 * (task_event.h), straight from the Avro body when it was written with the
 * compiled-in schema, through duban_serde_decode and the JSON form
 * otherwise. Errors are duban_serde_decode's, word for word, then
 * duban_task_event_from_json's (DUBAN_E_INVAL for other event types). */
duban_err_t duban_serde_decode_task(duban_serde_t *s, const void *msg, size_t len,
                                    duban_task_event_t *ev, char *errbuf,
                                    size_t errbuf_size);

/* The schema id in a framed message (DUBAN_E_MAGIC / _TRUNCATED). */
duban_err_t duban_serde_peek_id(const void *msg, size_t len, int32_t *id);

#endif
