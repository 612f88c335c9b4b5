/* producers/status/status_tokens.h: who is calling duban-status.
 *
 * Bearer tokens, one per department or supervising office (督查室), in a
 * file that holds only their SHA-256 (status.tokens.file), one JSON object
 * a line:
 *   {"id":"5d41402abc4b","sha256":"<64 hex>","role":"department",
 *    "name":"区卫生健康局","created_at":"…","revoked_at":null}
 * `duban-status token add --department NAME` (or --supervisor NAME) makes a
 * token from 24 random bytes ("dbn_" + 48 hex digits), appends its hash and
 * prints the token once: it is stored nowhere. `token revoke ID` sets
 * revoked_at; `token list` prints the lines. The file is rewritten whole
 * (temporary file, fsync, rename; mode 0600) under an flock, so concurrent
 * commands do not lose each other's lines.
 * The server reloads the file when it changes (checked at most every
 * STATUS_TOKENS_RECHECK_MS), so an added or revoked token takes effect
 * without a restart. A file that cannot be read keeps the last good table.
 * Owns:   the token table. Never: keeps, logs or prints a token except the
 *         one `token add` makes. Thread: status_tokens_check from any thread. */
#ifndef DUBAN_STATUS_TOKENS_H
#define DUBAN_STATUS_TOKENS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "err.h"

#define STATUS_TOKENS_RECHECK_MS 200
#define STATUS_TOKEN_ID_LEN 12
#define STATUS_PRINCIPAL_MAX 256   /* bytes of a name */

typedef enum { STATUS_PRINCIPAL_DEPARTMENT = 1, STATUS_PRINCIPAL_SUPERVISOR = 2 } status_kind_t;

typedef struct {
    status_kind_t kind;
    char name[STATUS_PRINCIPAL_MAX + 1];
    char id[STATUS_TOKEN_ID_LEN + 1];
} status_principal_t;

typedef struct status_tokens_s status_tokens_t;

/* Loads path (a missing file is an empty table). *out NEW. Errors: a line
 * that is not a token record (DUBAN_E_PARSE, errbuf names the line). */
duban_err_t status_tokens_open(const char *path, status_tokens_t **out, char *errbuf,
                               size_t errbuf_size);
void status_tokens_destroy(status_tokens_t *t);

/* How many tokens are live (not revoked). */
size_t status_tokens_live(status_tokens_t *t);

typedef enum {
    STATUS_AUTH_OK = 0,
    STATUS_AUTH_MISSING,    /* no Authorization: Bearer header */
    STATUS_AUTH_INVALID,    /* unknown token */
    STATUS_AUTH_REVOKED
} status_auth_t;

/* Checks an Authorization header value (NULL = absent); fills *who on
 * STATUS_AUTH_OK (and its id on _REVOKED). */
status_auth_t status_tokens_check(status_tokens_t *t, const char *authorization,
                                  status_principal_t *who);

/* The CLI. `kind` names the role; token_out receives the new token (at
 * least 64 bytes), id_out its id. */
duban_err_t status_tokens_add(const char *path, status_kind_t kind, const char *name,
                              int64_t now_ms, char *token_out, size_t token_size,
                              char id_out[STATUS_TOKEN_ID_LEN + 1], char *errbuf,
                              size_t errbuf_size);
/* DUBAN_E_NOTFOUND when no token has that id. */
duban_err_t status_tokens_revoke(const char *path, const char *id, int64_t now_ms,
                                 char *errbuf, size_t errbuf_size);
/* One line per token: id role name created_at [revoked_at]. */
duban_err_t status_tokens_list(const char *path, FILE *out, char *errbuf, size_t errbuf_size);

const char *status_kind_name(status_kind_t kind);

#endif
