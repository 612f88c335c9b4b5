/* producers/status/status_framing.h: is an HTTP/1.1 request head framed
 * unambiguously? Run by duban-status on the bytes of each request head
 * before libmicrohttpd reads them (status_gate.h), because libmicrohttpd
 * 0.9.75 answers some framings itself, wrongly (a Content-Length of -1 or
 * 2^64: its status line and headers are sent twice), and reads others in
 * a way a proxy in front might not (the smuggling cases).
 *
 * The head is split into lines exactly as libmicrohttpd splits it (a line
 * ends at LF; one CR before it is dropped; empty lines before the request
 * line are skipped), so that the head this module measures is the head the
 * library parses. Refused with 400:
 *   - a NUL byte, a header line without ':', whitespace before the ':',
 *     a folded header line (one that starts with a space or tab);
 *   - more than one Content-Length, more than one Transfer-Encoding, or
 *     both;
 *   - a Content-Length that is not 1 to 18 digits (after the spaces that
 *     follow the ':'; nothing after the digits, not even a space);
 *   - a Transfer-Encoding other than exactly "chunked" (any case).
 * A head longer than max_head is refused with 431. A declared length over
 * the service's body cap is NOT refused here: that is a 413 given after
 * the token is checked (an unauthenticated caller gets its 401 first).
 * Owns:   nothing (a pure function over a buffer).
 * Never:  I/O, logs, allocates. Thread: any. */
#ifndef STATUS_FRAMING_H
#define STATUS_FRAMING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATUS_FRAMING_MAX_HEAD (16 * 1024) /* bytes of one request head */

typedef enum {
    STATUS_FRAMING_OK,    /* a complete head, framed unambiguously */
    STATUS_FRAMING_MORE,  /* no complete head yet (and not over max_head) */
    STATUS_FRAMING_BAD    /* refuse: answer `status`, then close */
} status_framing_verdict_t;

typedef struct {
    size_t head_len;   /* OK: bytes up to and including the empty line */
    int64_t body_len;  /* OK: the declared Content-Length, 0 without one,
                        * -1 for a chunked body */
    unsigned status;   /* BAD: 400 or 431 */
    const char *why;   /* BAD: static text for the answer and the log */
} status_framing_t;

/* Checks the head at the start of buf[0..len). *out is filled for OK and
 * BAD. */
status_framing_verdict_t status_framing_check(const char *buf, size_t len, size_t max_head,
                                              status_framing_t *out);

/* A Content-Length value: 1 to 18 ASCII digits and nothing else. */
bool status_framing_length(const char *s, size_t n, int64_t *out);

#endif
