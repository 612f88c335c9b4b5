/* common/wire/avro_json.h: jansson event objects <-> avro-c generic values,
 * driven by the schema's original JSON text (avro-c drops logicalType on
 * parse, so this module reads the .avsc itself to know which ints are
 * `date` and which longs are `timestamp-millis`).
 * JSON conventions (DESIGN.md): dates "YYYY-MM-DD", instants ISO-8601 with
 * offset (epoch milliseconds accepted on input), enums as symbols, unions
 * with null as JSON null or the plain value, bytes as base64, absent
 * optional fields = null.
 * Owns:   the plan (a tree mirroring the schema) and the avro-c schema.
 * Never:  logs; crashes on bad JSON or bad Avro values. Thread: a plan is
 *         read-only after creation and may be shared. */
#ifndef DUBAN_AVRO_JSON_H
#define DUBAN_AVRO_JSON_H
#include <stddef.h>
#include <avro.h>
#include <jansson.h>
#include "buf.h"
#include "err.h"

typedef struct duban_avro_plan_s duban_avro_plan_t;

/* NEW plan from schema JSON text. */
duban_err_t duban_avro_plan_new(const char *schema_json, duban_avro_plan_t **out,
                                char *errbuf, size_t errbuf_size);
void duban_avro_plan_destroy(duban_avro_plan_t *plan);
/* Borrowed, valid for the plan's life. */
avro_schema_t duban_avro_plan_schema(const duban_avro_plan_t *plan);
/* Full record name, e.g. "gov.duban.TaskAssigned". */
const char *duban_avro_plan_name(const duban_avro_plan_t *plan);
/* The top-level record's fields: how many, and the index of the one named
 * `name` (-1 when there is none). */
size_t duban_avro_plan_field_count(const duban_avro_plan_t *plan);
int duban_avro_plan_field_index(const duban_avro_plan_t *plan, const char *name);

/* Fill `value` (an instance of the plan's schema, already reset) from `ev`.
 * Errors name the field path: "TaskAssigned.due_date: ...". */
duban_err_t duban_avro_from_json(const duban_avro_plan_t *plan, const json_t *ev,
                                 avro_value_t *value, char *errbuf, size_t errbuf_size);
/* Append the Avro binary encoding of `ev` to `out` directly, walking the
 * plan (no avro-c value in between, no per-field path bookkeeping: about
 * 5,800 instructions per 537-byte TaskAssigned, against 9,000 before and
 * more through avro-c). The bytes equal what avro-c writes for the same
 * value (tests/unit/test_serde.c checks this). Same errors as above. */
duban_err_t duban_avro_write_json(const duban_avro_plan_t *plan, const json_t *ev,
                                  duban_buf_t *out, char *errbuf, size_t errbuf_size);

/* Check that data[0..len) is exactly one Avro binary record of the plan's
 * schema: every length, count, union branch and enum index within bounds and
 * no byte left over. Run before handing untrusted bytes to avro-c, whose
 * reader leaks partly read strings on truncated input and allocates
 * whatever length a corrupt prefix claims. DUBAN_E_TRUNCATED names the byte
 * offset and field: "TaskAssigned.text at byte 71: string of 69 bytes, 12 left". */
duban_err_t duban_avro_validate(const duban_avro_plan_t *plan, const void *data, size_t len,
                                char *errbuf, size_t errbuf_size);

/* The top-level timestamp-millis field `field` of the Avro binary record
 * data[0..len), read without decoding the rest (the fields before it are
 * skipped with the validator's checks): an event's occurred_at.
 * DUBAN_E_NOTFOUND when the record has no such field, DUBAN_E_SCHEMA when
 * it is not a timestamp, DUBAN_E_TRUNCATED (unworded) on bad bytes. */
duban_err_t duban_avro_peek_timestamp(const duban_avro_plan_t *plan, const void *data,
                                      size_t len, const char *field, int64_t *out);

/* NEW json object from `value`. */
duban_err_t duban_avro_to_json(const duban_avro_plan_t *plan, avro_value_t *value,
                               json_t **out, char *errbuf, size_t errbuf_size);

#endif
