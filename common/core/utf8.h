/* common/core/utf8.h: UTF-8 checks and cuts shared by every layer (the
 * gazette reader, the JSON writer, alert and webhook text). Validity is
 * RFC 3629's: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Owns:   nothing. Never: allocates, logs. Thread: any. */
#ifndef DUBAN_UTF8_H
#define DUBAN_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (len bytes available); returns bytes
 * consumed (>=1, 0 only when len is 0) and *cp (U+FFFD on error). */
size_t duban_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Length of the longest prefix of s[0..len) that is at most max bytes and
 * ends on a UTF-8 character boundary (for cutting text to a size). */
size_t duban_utf8_cut(const char *s, size_t len, size_t max);

/* The characters in s[0..len): the bytes that are not continuation bytes
 * (a stray continuation byte counts nothing, a cut sequence counts one). */
size_t duban_utf8_count(const char *s, size_t len);

/* True when data[0..len) is valid UTF-8; otherwise *bad_off (may be NULL)
 * is the byte offset of the first invalid or truncated sequence. */
bool duban_utf8_valid(const char *data, size_t len, size_t *bad_off);

/* The name the extraction code calls it by (text.c, task_assigned.c). */
static inline bool duban_text_utf8_valid(const char *data, size_t len, size_t *bad_off)
{
    return duban_utf8_valid(data, len, bad_off);
}

#endif
