/* common/core/buf.c: growable byte buffer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"

void duban_buf_init(duban_buf_t *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max ? max : DUBAN_BUF_MAX_DEFAULT;
}

void duban_buf_free(duban_buf_t *b)
{
    free(b->data);
    duban_buf_init(b, b->max);
}

void duban_buf_reset(duban_buf_t *b)
{
    b->len = 0;
    b->err = DUBAN_OK;
}

int duban_buf_reserve(duban_buf_t *b, size_t n)
{
    if (b->err)
        return 0;
    if (b->len + n <= b->cap)
        return 1;
    if (b->len + n > b->max) {
        b->err = DUBAN_E_TOO_LARGE;
        b->cap = b->len; /* callers' inline room checks fail from now on */
        return 0;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    if (cap > b->max)
        cap = b->max;
    unsigned char *data = realloc(b->data, cap);
    if (!data) {
        b->err = DUBAN_E_NOMEM;
        b->cap = b->len;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

void duban_buf_append_grow(duban_buf_t *b, const void *data, size_t n)
{
    if (n && duban_buf_reserve(b, n)) {
        memcpy(b->data + b->len, data, n);
        b->len += n;
    }
}

void duban_buf_appendf(duban_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = b->err ? -1 : vsnprintf(room ? (char *)b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n < room) {  /* done (the NUL fitted too), or nothing */
        if (n > 0)
            b->len += (size_t)n;
        return;
    }
    if (!duban_buf_reserve(b, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *duban_buf_cstr(duban_buf_t *b)
{
    if (!duban_buf_reserve(b, 1))
        return NULL;
    b->data[b->len] = '\0';
    return (const char *)b->data;
}

unsigned char *duban_buf_take(duban_buf_t *b, size_t *len)
{
    unsigned char *data = b->data;
    *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}

duban_err_t duban_buf_read_stream(duban_buf_t *b, FILE *f)
{
    for (;;) {
        if (b->err)
            return b->err;
        size_t room = b->max - b->len;
        if (room == 0) {   /* full: the stream must be at its end */
            if (fgetc(f) != EOF)
                return DUBAN_E_TOO_LARGE;
            return ferror(f) ? DUBAN_E_IO : DUBAN_OK;
        }
        if (!duban_buf_reserve(b, room < 65536 ? room : 65536))
            return b->err;
        size_t r = fread(b->data + b->len, 1, b->cap - b->len, f);
        b->len += r;
        if (r == 0)
            return ferror(f) ? DUBAN_E_IO : DUBAN_OK;
    }
}

duban_err_t duban_buf_read_file(duban_buf_t *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return DUBAN_E_IO;
    duban_err_t err = duban_buf_read_stream(b, f);
    fclose(f);
    return err;
}
