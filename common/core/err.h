/* common/core/err.h: the one error code type of duban.
 * Owns:   duban_err_t and its strings. Details of an error travel in a
 *         caller-provided buffer (char *errbuf, size_t errbuf_size), as in
 *         librdkafka; codes are only ever appended, never renumbered.
 * Never:  logs, allocates or exits. */
#ifndef DUBAN_ERR_H
#define DUBAN_ERR_H
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    DUBAN_OK = 0,
    DUBAN_E_INVAL,      /* bad argument or bad input value */
    DUBAN_E_NOMEM,
    DUBAN_E_TOO_LARGE,  /* input over a size cap */
    DUBAN_E_PARSE,      /* malformed text, JSON or date */
    DUBAN_E_SCHEMA,     /* Avro schema or value does not match */
    DUBAN_E_KAFKA,      /* librdkafka reported an error */
    DUBAN_E_HTTP,       /* HTTP transport or status error */
    DUBAN_E_TIMEOUT,
    DUBAN_E_AGAIN,      /* transient: try again later */
    DUBAN_E_IO,         /* file or socket I/O */
    DUBAN_E_NOTFOUND,
    DUBAN_E_MAGIC,      /* wire format: magic byte is not 0 */
    DUBAN_E_UNKNOWN_SCHEMA, /* wire format: schema id not known */
    DUBAN_E_TRUNCATED,  /* wire format: body shorter than the schema needs */
    DUBAN_E_ENCODING,   /* invalid UTF-8 / unconvertible charset */
    DUBAN_E_CONFLICT,   /* e.g. Schema Registry 409 incompatible */
    DUBAN_E_AUTH,       /* 401/403 */
    DUBAN_E__COUNT
} duban_err_t;

/* Static, never NULL. */
const char *duban_err_str(duban_err_t err);

/* True for errors worth retrying: timeouts, AGAIN, transient I/O. */
bool duban_err_is_retriable(duban_err_t err);

/* snprintf into errbuf when errbuf is non-NULL; returns err, for
 * `return duban_seterr(errbuf, size, DUBAN_E_PARSE, "line %d", n);` */
duban_err_t duban_seterr(char *errbuf, size_t errbuf_size, duban_err_t err,
                         const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
