/* common/wire/avsc_json.h: the JSON form of a record, written by the JSON
 * writers generated from the .avsc (cmake/avsc_codegen.py --writer, next to
 * the Avro writer and calling the same accessors). A generated writer puts
 * out one top-level field at a time (,"name":value, keys and values in the
 * schema's order and names); these are the values' spellings: strings
 * escaped as jansson does (json_write.h), dates "YYYY-MM-DD" (null for
 * DUBAN_DATE_NONE), timestamps ISO-8601 with offset (date.h), enums their
 * symbol, numbers in decimal. The first string that is not UTF-8 is
 * remembered with its field path, and reported by duban_avsc_json_done
 * ("TaskAssigned.source.file: invalid UTF-8 at byte 3").
 * Owns:   nothing; appends to the caller's buffer (its sticky error tells
 *         allocation failure and its cap). Never: logs. Thread: any. */
#ifndef DUBAN_AVSC_JSON_H
#define DUBAN_AVSC_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"
#include "json_write.h"

typedef struct {
    duban_buf_t *b;
    duban_err_t err;            /* DUBAN_E_ENCODING once a string was not UTF-8 */
    const char *field;          /* that string's field path (borrowed, static) */
    size_t bad_off;             /* and the offset of its first bad byte */
} duban_avsc_json_t;

/* Punctuation and keys: s as it is. */
static inline void duban_avsc_json_raw(duban_avsc_json_t *o, const char *s)
{
    duban_json_write_raw(o->b, s);
}

/* A string literal of s; path names the field for the error. */
void duban_avsc_json_string(duban_avsc_json_t *o, const char *path, const char *s);
void duban_avsc_json_symbol(duban_avsc_json_t *o, const char *symbol);  /* "SYMBOL" */
void duban_avsc_json_date(duban_avsc_json_t *o, int32_t date);
void duban_avsc_json_instant(duban_avsc_json_t *o, int64_t ms);
void duban_avsc_json_long(duban_avsc_json_t *o, int64_t v);
void duban_avsc_json_bool(duban_avsc_json_t *o, bool v);

/* DUBAN_OK, or the first error: DUBAN_E_ENCODING "<record>.<path>: invalid
 * UTF-8 at byte N", else the buffer's "<record>: out of memory" / "too
 * large". */
duban_err_t duban_avsc_json_done(const duban_avsc_json_t *o, const char *record, char *errbuf,
                                 size_t errbuf_size);

#endif
