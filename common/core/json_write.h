/* common/core/json_write.h: compact JSON text written straight into a buffer.
 * duban_json_write gives the same bytes as json_dumps(v, JSON_COMPACT |
 * JSON_ENCODE_ANY) (members in insertion order, non-ASCII kept as UTF-8,
 * control characters as \uXXXX) without jansson's per-chunk callback, so a
 * body that is written for every webhook costs a few copies. The string
 * writers let a caller build an envelope around jansson values by hand.
 * Owns:   nothing; appends to the caller's duban_buf_t (its sticky error
 *         reports allocation failure and its size cap). Never: logs.
 * Thread: any. */
#ifndef DUBAN_JSON_WRITE_H
#define DUBAN_JSON_WRITE_H
#include <stddef.h>
#include <string.h>
#include <jansson.h>
#include "buf.h"
#include "err.h"

/* Appends v as compact JSON. DUBAN_E_TOO_LARGE when nested deeper than
 * 2048 levels (what jansson refuses too), or b's error. */
duban_err_t duban_json_write(duban_buf_t *b, const json_t *v);

/* Appends s[0..len) as a JSON string literal, escaped as jansson does.
 * DUBAN_E_ENCODING when s is not valid UTF-8 (nothing is appended then). */
duban_err_t duban_json_write_string(duban_buf_t *b, const char *s, size_t len);
/* The same, where s[0..readable) may be read (readable >= len; e.g. the
 * rest of the message a string sits in): the 16-byte tests then cover a
 * short string's end too, instead of byte by byte. Same output. */
duban_err_t duban_json_write_string_in(duban_buf_t *b, const char *s, size_t len,
                                       size_t readable);

/* Appends the NUL-terminated s as it is: for JSON punctuation and literals
 * (inline, so a literal's length is known when compiling). */
static inline void duban_json_write_raw(duban_buf_t *b, const char *s)
{
    duban_buf_append(b, s, strlen(s));
}

#endif
