/* common/core/buf.h: a growable byte buffer with a size cap.
 * Owns:   its bytes until duban_buf_take(). Never: aborts; growth past the
 *         cap or a failed allocation sets a sticky error instead.
 * Thread: not thread safe. */
#ifndef DUBAN_BUF_H
#define DUBAN_BUF_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "err.h"

typedef struct {
    unsigned char *data;
    size_t len, cap, max;
    duban_err_t err;   /* first error, sticky */
} duban_buf_t;

#define DUBAN_BUF_MAX_DEFAULT ((size_t)64 << 20)

void duban_buf_init(duban_buf_t *b, size_t max);
void duban_buf_free(duban_buf_t *b);
/* Empties the buffer and clears its error; keeps the memory for reuse. */
void duban_buf_reset(duban_buf_t *b);
/* Makes room for n more bytes; false (and b->err set) when it cannot. */
int duban_buf_reserve(duban_buf_t *b, size_t n);
/* Appends data[0..n). Inline when the bytes fit (most appends are a few
 * bytes into room already there: a webhook body is some 250 of them); the
 * rest grows the buffer. In error cap == len, so the inline check fails
 * and the sticky error stays. */
void duban_buf_append_grow(duban_buf_t *b, const void *data, size_t n);
static inline void duban_buf_append(duban_buf_t *b, const void *data, size_t n)
{
    if (n <= b->cap - b->len) {
        if (n)
            memcpy(b->data + b->len, data, n);
        b->len += n;
    } else {
        duban_buf_append_grow(b, data, n);
    }
}
/* Appends printf-style text, whole (no cut at any length): formatted in
 * place when it fits, else again after growing. */
void duban_buf_appendf(duban_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The bytes as a C string: a NUL is kept after them (not counted in len).
 * NULL when the buffer is in error or the NUL does not fit. */
const char *duban_buf_cstr(duban_buf_t *b);
/* Hands the bytes to the caller (free()) and empties the buffer. */
unsigned char *duban_buf_take(duban_buf_t *b, size_t *len);

/* Appends the rest of stream f, up to b's cap: DUBAN_OK at its end;
 * DUBAN_E_TOO_LARGE when it holds more than the cap leaves room for;
 * DUBAN_E_IO on a read error; DUBAN_E_NOMEM (or b's error, when b is in
 * error already). b keeps what was read either way; f stays open. */
duban_err_t duban_buf_read_stream(duban_buf_t *b, FILE *f);
/* The same for the whole file at path (opened and closed here); DUBAN_E_IO
 * also when it cannot be opened. */
duban_err_t duban_buf_read_file(duban_buf_t *b, const char *path);

#endif
