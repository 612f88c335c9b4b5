/* common/wire/serde.h: events <-> Confluent wire format.
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
#include "avro_text.h"
#include "conf.h"
#include "buf.h"
#include "err.h"
#include "event.h"

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

/* Decode a framed message. *ev_out is NEW, with "type" set. */
duban_err_t duban_serde_decode(duban_serde_t *s, const void *msg, size_t len,
                               duban_event_type_t *type_out, json_t **ev_out,
                               char *errbuf, size_t errbuf_size);

/* The same event as compact JSON text, appended to out: byte for byte
 * json_dumps(ev, JSON_COMPACT) of what duban_serde_decode gives. Messages
 * written with the compiled-in schema are printed straight from the Avro
 * bytes (duban_avro_write_text, when the direct codecs are on); others
 * (an evolved writer schema) and every message that fails there take the
 * general path, so errors are word for word duban_serde_decode's. */
duban_err_t duban_serde_decode_text(duban_serde_t *s, const void *msg, size_t len,
                                    duban_event_type_t *type_out, duban_buf_t *out,
                                    char *errbuf, size_t errbuf_size);

/* An event as a store keeps it (duban_serde_decode_row): its top-level
 * fields and its JSON text with sorted keys. */
#define DUBAN_EVENT_MAX_FIELDS 64
typedef struct {
    duban_event_type_t type;
    const duban_avro_plan_t *plan; /* the compiled-in schema of type (borrowed from the
                                      serde): field names, duban_avro_plan_field_index */
    size_t nfields;
    duban_avro_field_t fields[DUBAN_EVENT_MAX_FIELDS]; /* in that schema's order */
    duban_buf_t text;              /* json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS) of the
                                      event duban_serde_decode gives, "type" included */
} duban_event_row_t;

void duban_event_row_init(duban_event_row_t *row);
void duban_event_row_free(duban_event_row_t *row);

/* Decodes a framed message into row (its room reused from call to call).
 * A message written with the compiled-in schema is read straight from the
 * Avro bytes (duban_avro_write_row, when the direct codecs are on), and the
 * fields' strings borrow from msg. Others (an evolved writer schema, or
 * direct codecs off) are decoded by the general path into the compiled-in
 * schema, encoded with it again and read the same way; their strings
 * borrow from the serde. So the fields are valid until the next call on
 * this serde or until msg goes, whichever is first. Errors are word for
 * word duban_serde_decode's: every message the direct reader refuses goes
 * the general way. */
duban_err_t duban_serde_decode_row(duban_serde_t *s, const void *msg, size_t len,
                                   duban_event_row_t *row, char *errbuf, size_t errbuf_size);

/* The same without the text (row->text is left empty): a reader that only
 * looks at some fields (duban-audit verify). The same messages decode, with
 * the same fields, and the same errors. */
duban_err_t duban_serde_decode_fields(duban_serde_t *s, const void *msg, size_t len,
                                      duban_event_row_t *row, char *errbuf,
                                      size_t errbuf_size);

/* The plan of the compiled-in schema of `type` (borrowed from the serde),
 * for the top-level field indexes of its rows (duban_avro_plan_field_index). */
const duban_avro_plan_t *duban_serde_plan(const duban_serde_t *s, duban_event_type_t type);

/* The event's occurred_at (epoch ms) read from a framed message without
 * decoding the rest, with the writer's schema (so evolved schemas too).
 * Framing errors as duban_serde_decode's; DUBAN_E_TRUNCATED on bad bytes. */
duban_err_t duban_serde_occurred_at(duban_serde_t *s, const void *msg, size_t len,
                                    int64_t *out, char *errbuf, size_t errbuf_size);

/* The schema id in a framed message (DUBAN_E_MAGIC / _TRUNCATED). */
duban_err_t duban_serde_peek_id(const void *msg, size_t len, int32_t *id);

/* ---- For direct codecs written above this layer (ingest/
 * serde_task_assigned.h, alert/serde_task_event.h): they read or write one
 * type's Avro body themselves; framing, ids and the registry stay here. */

/* Empties out, then writes the header (magic byte, the schema id of `type`
 * for `topic`, NULL = the type's own topic) with room reserved for the
 * largest message of the type so far. Errors: the registry's. */
duban_err_t duban_serde_begin(duban_serde_t *s, duban_event_type_t type, const char *topic,
                              duban_buf_t *out, char *errbuf, size_t errbuf_size);
/* After a direct write into out: remembers its size for the next begin. */
void duban_serde_end(duban_serde_t *s, duban_event_type_t type, const duban_buf_t *out);

/* The event type of a framed message's schema id, and whether the message
 * was written with the compiled-in schema (a direct decoder may read its
 * body). Errors word for word duban_serde_decode's framing errors. */
duban_err_t duban_serde_frame(duban_serde_t *s, const void *msg, size_t len,
                              duban_event_type_t *type, bool *compiled_in, char *errbuf,
                              size_t errbuf_size);
/* Bounds-checks a framed message's body (duban_avro_validate):
 * DUBAN_E_TRUNCATED worded as duban_serde_decode words it. */
duban_err_t duban_serde_check_body(duban_serde_t *s, const void *msg, size_t len,
                                   char *errbuf, size_t errbuf_size);

/* Whether the direct codecs are used (default on). Tests turn them off to
 * compare them with the general path (the JSON form and avro-c). That a
 * direct codec matches the compiled-in schema is a build-time fact: its
 * tables are generated from the .avsc (wire/avsc.h), and unit tests
 * compare it with the general path (test_task_event, test_task_assigned). */
void duban_serde_set_direct(duban_serde_t *s, bool on);
bool duban_serde_direct(const duban_serde_t *s);

#endif
