/* common/wire/avro_text.h: an Avro binary record read straight into text,
 * with no avro-c value and no jansson object in between: its JSON text as
 * duban-replay prints it (fields in schema order), and a store's row (the
 * JSON text with keys sorted, plus each top-level field's value, borrowed
 * from the bytes) as duban-analytics stores it. Both are driven by the plan
 * (avro_json.h) and byte for byte what jansson gives for the object
 * duban_avro_to_json makes of the same record.
 * Owns:   nothing; appends to the caller's duban_buf_t.
 * Never:  logs; reads outside the bytes it is given (every length, index and
 *         range is checked). Errors are not worded: a caller takes the
 *         general path (avro_json.h, serde.h) then, which words them.
 * Thread: any (the plan is read-only). */
#ifndef DUBAN_AVRO_TEXT_H
#define DUBAN_AVRO_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include "avro_json.h"
#include "buf.h"
#include "err.h"

/* Appends to `out` the compact JSON text of the Avro binary record
 * data[0..len) of the plan's schema, byte for byte what json_dumps(ev,
 * JSON_COMPACT) gives for the object duban_avro_to_json makes of the same
 * record, with "type": type_name added last as duban_serde_decode adds it
 * (type_name NULL: not added). What duban-replay prints with. On any
 * failure (bytes that do not decode, invalid UTF-8, a float or a map, which
 * duban's schemas do not use) nothing is appended: DUBAN_E_TRUNCATED, or
 * out's error. */
duban_err_t duban_avro_write_text(const duban_avro_plan_t *plan, const void *data, size_t len,
                                  const char *type_name, duban_buf_t *out);

/* One top-level field's value, as duban_avro_write_row read it. */
typedef enum {
    DUBAN_AVRO_F_NULL,         /* null (a union's null branch) */
    DUBAN_AVRO_F_BOOLEAN,      /* num: 0 or 1 */
    DUBAN_AVRO_F_INT,          /* an int or a long: num */
    DUBAN_AVRO_F_STRING,       /* text[0..len), valid UTF-8 */
    DUBAN_AVRO_F_BYTES,        /* text[0..len) */
    DUBAN_AVRO_F_DATE,         /* num: days since 1970-01-01 (years 1..9999) */
    DUBAN_AVRO_F_TIMESTAMP,    /* num: epoch milliseconds (years 1..9999) */
    DUBAN_AVRO_F_ENUM,         /* text: the symbol (NUL-terminated, the plan's); num: its index */
    DUBAN_AVRO_F_STRING_ARRAY, /* text[0..len): the array's encoding; read its items
                                  with duban_avro_strings_next */
    DUBAN_AVRO_F_OTHER         /* a record, an array of anything else, a float */
} duban_avro_field_kind_t;

typedef struct {
    duban_avro_field_kind_t kind;
    const char *text;  /* borrowed: from the record's bytes, or the plan's */
    size_t len;
    int64_t num;
} duban_avro_field_t;

/* Reads the Avro binary record data[0..len) of the plan's schema: fills
 * fields[i] for each top-level field i (the schema's order; nfields is the
 * room in fields, at least duban_avro_plan_field_count) and appends to `out`
 * its JSON text with the keys of every object in byte order, "type":
 * type_name among them (NULL: not added): byte for byte json_dumps(ev,
 * JSON_COMPACT | JSON_SORT_KEYS) of what duban_serde_decode gives. The
 * fields' text borrows from data (and the plan): valid while both are.
 * Failures as duban_avro_write_text's (nothing appended, fields undefined);
 * also a record with more than 64 fields, or a field named "type". */
duban_err_t duban_avro_write_row(const duban_avro_plan_t *plan, const void *data, size_t len,
                                 const char *type_name, duban_avro_field_t *fields,
                                 size_t nfields, duban_buf_t *out);

/* The fields as duban_avro_write_row reads them, without the text: each
 * value is checked as the text writer checks it (ranges, enum indexes,
 * UTF-8), so the same records are refused. */
duban_err_t duban_avro_read_row(const duban_avro_plan_t *plan, const void *data, size_t len,
                                duban_avro_field_t *fields, size_t nfields);

/* The items of a DUBAN_AVRO_F_STRING_ARRAY field, in order. */
typedef struct {
    const unsigned char *p;
    size_t len, pos;
    int64_t left;      /* items left in the current block */
} duban_avro_strings_t;

void duban_avro_strings_begin(duban_avro_strings_t *it, const duban_avro_field_t *f);
/* 1 with the next item in *s, *n (borrowed as the field's text is); 0 at
 * the end, and for a field of another kind. */
int duban_avro_strings_next(duban_avro_strings_t *it, const char **s, size_t *n);

#endif
