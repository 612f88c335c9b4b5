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
 * task_id has the form doc_id#outline_path and holds no '%' (an escape the
 * URL did not decode); actor is required and not blank; no control
 * characters (C0, DEL, C1 such as NEL, U+2028/U+2029) in task_id/actor, and
 * only tab and newline in a comment; size caps below; occurred_at (optional,
 * ISO 8601 or epoch ms) lies between 2000-01-01 and one hour from now.
 * Unknown JSON fields are ignored. Whether the change is legal for the task
 * and the caller is status_flow.h's business, checked by the service.
 * Owns:   validation and the event object.
 * Never:  I/O, logs, exits. Thread: any (no shared state). */
#ifndef DUBAN_STATUS_INTAKE_H
#define DUBAN_STATUS_INTAKE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "avsc_gen.h"
#include "err.h"

/* A TaskStatusChanged member's key as schemas/TaskStatusChanged.avsc names
 * it, of kind k there (STATUS_KEY(TO_STATUS, ENUM)): every C use of the
 * event's JSON goes through it, so a renamed or retyped field stops the
 * build where it is used instead of a reader missing it at run time. */
#define STATUS_KEY DUBAN_AVSC_TASK_STATUS_CHANGED_KEY

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

/* The nine TaskStatus symbols in schema order, which is duban_task_status_t's
 * (static, NULL-terminated). */
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
 * occurred_at may also be a JSON integer, epoch ms). principal: the caller's
 * name when authenticated: then actor may be left out (it is the
 * principal), and an actor that differs is refused. Errors:
 * DUBAN_E_TOO_LARGE over DUBAN_STATUS_MAX_BODY and DUBAN_E_PARSE when the
 * body is not a JSON object (*field "body"), else as duban_status_intake_build. */
duban_err_t duban_status_intake_from_json(const char *task_id, const char *body,
                                          size_t len, const char *channel,
                                          const char *principal, int64_t now_ms,
                                          json_t **out, const char **field, char *errbuf,
                                          size_t errbuf_size);

/* The checks of a text field (see Rules): UTF-8, at most cap bytes, not
 * blank when required, no control characters (tab and newline allowed
 * when multiline). DUBAN_E_INVAL naming `name`. */
duban_err_t duban_status_intake_check_text(const char *name, const char *v, bool required,
                                           size_t cap, bool multiline, const char **field,
                                           char *errbuf, size_t errbuf_size);

/* occurred_at as the rules take it (ISO 8601 or epoch ms, 2000 .. now+1h). */
duban_err_t duban_status_intake_occurred_at(const char *v, int64_t now_ms, int64_t *out,
                                            const char **field, char *errbuf,
                                            size_t errbuf_size);

#endif
