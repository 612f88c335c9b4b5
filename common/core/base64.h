/* common/core/base64.h: standard base64 (RFC 4648, with padding) over OpenSSL.
 * Owns: nothing. Never: logs. Thread: any. */
#ifndef DUBAN_BASE64_H
#define DUBAN_BASE64_H
#include <stddef.h>
#include "err.h"

/* *out is NEW (free()), NUL-terminated. */
duban_err_t duban_base64_encode(const void *data, size_t len, char **out);
/* *out is NEW (free()); DUBAN_E_PARSE on characters outside the alphabet or
 * a length that is not a multiple of 4. */
duban_err_t duban_base64_decode(const char *text, size_t len, unsigned char **out,
                                size_t *out_len);

#endif
