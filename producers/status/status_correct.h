/* producers/status/status_correct.h: a supervisor's correction of a task ->
 * the corrected TaskAssigned.
 *
 * When extraction got a task wrong, a supervisor re-issues it with other
 * lead or cooperating departments or another due date. The body:
 *   {"lead_departments": [..]?, "cooperating_departments": [..]?,
 *    "due_date": "YYYY-MM-DD"?, "reason": "...", "occurred_at"?}
 * at least one of the first three; reason is required. The event is the
 * task's current definition with those fields replaced and:
 *   correction      {"author": the supervisor, "reason"}
 *   deadline_kind   DATED when due_date is given (recurrence null)
 *   review          [] (a supervisor has looked at the task)
 *   occurred_at     the given time or now
 *   content_sha256  sha256(def's content_sha256 ␟ "correction" ␟ leads ␟
 *                   cooperating ␟ due date), so consumers see new content and
 *                   the same correction gives the same hash
 *   event_id        sha256(task_id ␟ "correction" ␟ content_sha256 ␟
 *                   occurred_at ␟ author)
 * Everything else (text, units as printed, source in the gazette) stays.
 * Department names: 1..64 of them, each 1..256 bytes of UTF-8 without
 * control characters, no duplicates; lead_departments not empty.
 * Owns:   nothing. Never: I/O, logs. Thread: any. */
#ifndef DUBAN_STATUS_CORRECT_H
#define DUBAN_STATUS_CORRECT_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"

#define STATUS_CORRECT_MAX_DEPTS 64
#define STATUS_CORRECT_MAX_REASON 4096

/* def: the task's current TaskAssigned (borrowed). On success *out is NEW. DUBAN_E_INVAL (*field names the field, errbuf "field: what"),
 * DUBAN_E_PARSE (body not a JSON object), DUBAN_E_CONFLICT (nothing would
 * change). */
duban_err_t status_correct_build(const json_t *def, const char *body, size_t len,
                                 const char *author, int64_t now_ms, json_t **out,
                                 const char **field, char *errbuf, size_t errbuf_size);

#endif
