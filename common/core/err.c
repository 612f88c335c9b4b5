/* common/core/err.c: error code strings and the errbuf helper. */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"

const char *duban_err_str(duban_err_t err)
{
    switch (err) {
    case DUBAN_OK: return "success";
    case DUBAN_E_INVAL: return "invalid argument";
    case DUBAN_E_NOMEM: return "out of memory";
    case DUBAN_E_TOO_LARGE: return "input too large";
    case DUBAN_E_PARSE: return "parse error";
    case DUBAN_E_SCHEMA: return "schema mismatch";
    case DUBAN_E_KAFKA: return "kafka error";
    case DUBAN_E_HTTP: return "http error";
    case DUBAN_E_TIMEOUT: return "timed out";
    case DUBAN_E_AGAIN: return "try again";
    case DUBAN_E_IO: return "i/o error";
    case DUBAN_E_NOTFOUND: return "not found";
    case DUBAN_E_MAGIC: return "wrong magic byte";
    case DUBAN_E_UNKNOWN_SCHEMA: return "unknown schema id";
    case DUBAN_E_TRUNCATED: return "truncated message";
    case DUBAN_E_ENCODING: return "invalid text encoding";
    case DUBAN_E_CONFLICT: return "conflict";
    case DUBAN_E_AUTH: return "not authorized";
    case DUBAN_E__COUNT: break;
    }
    return "unknown error";
}

bool duban_err_is_retriable(duban_err_t err)
{
    return err == DUBAN_E_TIMEOUT || err == DUBAN_E_AGAIN || err == DUBAN_E_IO;
}

duban_err_t duban_seterr(char *errbuf, size_t errbuf_size, duban_err_t err,
                         const char *fmt, ...)
{
    if (errbuf && errbuf_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errbuf_size, fmt, ap);
        va_end(ap);
    }
    return err;
}
