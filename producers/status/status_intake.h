/* producers/status/status_intake.h: a department's status report -> TaskStatusChanged.
 *
 * The one place that decides whether a status report is acceptable and what
 * event it becomes, for both intake channels of duban-status (HTTP body and
 * CLI options), so they cannot disagree. The event object is the schema's
 * JSON (common/wire/event.h), ready for duban_serde_encode:
 *   type, event_id, occurred_at, schema_version 1,
 *   source {file "<channel>:<actor>", line 0, offset -1},
 *   task_id, from_status, to_status, new_due_date, actor, comment.
 * event_id is a content hash, duban_sha256_hex_parts(task_id, to_status,
 * occurred_at, actor) with occurred_at in its canonical printed form, so a
 * client that resends the same report with the same occurred_at gets the
 * same event_id (consumers deduplicate on it).
 * Rules: to_status and from_status are TaskStatus symbols; new_due_date
 * (YYYY-MM-DD) is required for EXTENDED and refused for any other status;
 * task_id has the form doc_id#outline_path; actor is required; no control
 * characters in task_id/actor; size caps below; occurred_at (optional, ISO
 * 8601 or epoch ms) lies between 2000-01-01 and one hour from now. Unknown
 * JSON fields are ignored. The service keeps no task state, so transitions
 * (from -> to) are not checked against a state machine.
 * Owns:   validation, the event object, the URL route and bearer check.
 * Never:  I/O, logs, exits. Thread: any (no shared state). */
#ifndef DUBAN_STATUS_INTAKE_H
#define DUBAN_STATUS_INTAKE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"

#define DUBAN_STATUS_MAX_BODY     (64 * 1024) /* HTTP body, bytes */
#define DUBAN_STATUS_MAX_TASK_ID  512
#define DUBAN_STATUS_MAX_ACTOR    256
#define DUBAN_STATUS_MAX_COMMENT  (16 * 1024)
#define DUBAN_STATUS_MAX_FUTURE_MS (3600LL * 1000)

/* One report; strings are borrowed. NULL = absent. */
typedef struct {
    const char *task_id;      /* required */
    const char *to_status;    /* required */
    const char *from_status;  /* NULL: unknown */
    const char *new_due_date; /* YYYY-MM-DD: required for EXTENDED only */
    const char *actor;        /* required */
    const char *comment;      /* NULL: none */
    const char *occurred_at;  /* ISO 8601 or epoch ms; NULL: now_ms */
} duban_status_report_t;

/* The eight TaskStatus symbols in schema order (static, NULL-terminated). */
extern const char *const duban_status_intake_statuses[];
bool duban_status_intake_is_status(const char *name);

/* Validates r and builds the event (*out NEW). channel: "http" or "cli".
 * On error (DUBAN_E_INVAL, or DUBAN_E_NOMEM) *field is the offending field's
 * name (static) and errbuf reads "field: what is wrong". */
duban_err_t duban_status_intake_build(const duban_status_report_t *r, const char *channel,
                                      int64_t now_ms, json_t **out, const char **field,
                                      char *errbuf, size_t errbuf_size);

/* The same from an HTTP body: a JSON object {"to_status", "from_status"?,
 * "new_due_date"?, "actor", "comment"?, "occurred_at"?} (null = absent;
 * occurred_at may also be a JSON integer, epoch ms). Errors: DUBAN_E_TOO_LARGE
 * over DUBAN_STATUS_MAX_BODY and DUBAN_E_PARSE when the body is not a JSON
 * object (*field "body"), else as duban_status_intake_build. */
duban_err_t duban_status_intake_from_json(const char *task_id, const char *body,
                                          size_t len, const char *channel, int64_t now_ms,
                                          json_t **out, const char **field, char *errbuf,
                                          size_t errbuf_size);

/* Matches "/v1/tasks/{task_id}/status" (the path as already percent-decoded
 * by the HTTP server; task_id may hold '/'). On a match, *id and *id_len
 * point into url. */
bool duban_status_intake_route(const char *url, const char **id, size_t *id_len);

/* True when tokens (comma-separated list; spaces around items ignored) is
 * empty/NULL (auth off), or authorization is "Bearer <one of tokens>"
 * (scheme case-insensitive). Compares in constant time per token. */
bool duban_status_intake_authorized(const char *tokens, const char *authorization);

#endif
