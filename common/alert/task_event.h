/* common/alert/task_event.h: a task event (TaskAssigned or TaskStatusChanged) as
 * the alerter reads it: the fields it uses, flat, in a struct (and of a
 * DeadlineAlert, read back after a restart, its alert_id). Filled two
 * ways that give the same struct and the same errors:
 *   - straight from the Avro binary body of a message (the service, live and
 *     rebuilding): one bounds-checked walk, no avro-c value, no jansson
 *     object, no date formatting; strings are copied (NUL-terminated) into
 *     the event's own buffer, reused from message to message;
 *   - from the JSON form (event.h: --simulate, tests, and any message whose
 *     writer schema is not the compiled-in one), pointing into the json_t;
 *     the members are looked up by the generated entries' names, through
 *     the same bindings as the Avro walk.
 * The Avro walk follows the tables generated from the compiled-in .avsc at
 * build time (avsc.h, avsc_gen.h); the fields it keeps are bound to the
 * struct by their generated names, so a schema change that would misread
 * bytes fails the build instead (unit.avsc_codegen shows it).
 * Decoding errors are the JSON path's, word for word: "TaskAssigned.due_date:
 * date outside years 1..9999" (DUBAN_E_SCHEMA), "...: invalid UTF-8"
 * (DUBAN_E_ENCODING), DUBAN_E_TRUNCATED for bytes that are not one record
 * (the caller then asks duban_avro_validate for the wording).
 * Owns:   its buffer (and the JSON it was read from, when given it).
 * Never:  logs, reads past the bytes it is given, trusts a length.
 * Thread: one event per thread. */
#ifndef DUBAN_TASK_EVENT_H
#define DUBAN_TASK_EVENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "event.h"

/* A list of non-empty strings, each followed by its NUL: "a\0bc\0"
 * (`for (s = l.data, i = 0; i < l.count; s += strlen(s) + 1, i++)`). */
typedef struct {
    const char *data;
    size_t count;
} duban_str_list_t;

typedef struct {
    duban_event_type_t type;       /* TASK_ASSIGNED or TASK_STATUS_CHANGED */
    int64_t occurred_at;
    const char *task_id;           /* NULL: missing (JSON) */
    /* TaskAssigned (NULL: missing or null) */
    const char *content_sha256, *doc_id, *doc_title, *outline_path, *text;
    const char *deadline_text, *source_file;
    int64_t source_line, source_offset;
    int deadline_kind;             /* duban_deadline_kind_t; -1: not a kind */
    int32_t due_date;              /* DUBAN_DATE_NONE: null */
    int recur_period;              /* duban_recur_period_t; 0: null or not one */
    int64_t recur_month, recur_day;
    duban_str_list_t issuers, lead_departments, cooperating_departments;
    bool corrected;                /* correction is set (a supervisor re-issued it) */
    /* TaskStatusChanged */
    int to_status;                 /* duban_task_status_t; -1: not one */
    const char *to_status_name;    /* as given (for the error) */
    int32_t new_due_date;          /* DUBAN_DATE_NONE: null */
    /* DeadlineAlert (read back from the alerts topic): that and source only */
    const char *alert_id;
    bool date_unparsable;          /* JSON: due_date / new_due_date not YYYY-MM-DD */
    /* storage */
    char *buf;
    size_t cap;
    json_t *json;                  /* owned, when read from one */
} duban_task_event_t;

void duban_task_event_init(duban_task_event_t *ev);
void duban_task_event_free(duban_task_event_t *ev);   /* storage; ev reusable */

/* Decodes data[0..len), the Avro body (no frame) of a `type` event written
 * with the compiled-in schema, into ev (previous contents dropped). Strings
 * are copied; data may go after the call. Errors: see above; the event
 * holds nothing usable after one. DUBAN_E_INVAL for a type other than the
 * two task events and DeadlineAlert. */
duban_err_t duban_task_event_decode(duban_task_event_t *ev, duban_event_type_t type,
                                    const void *data, size_t len, char *errbuf,
                                    size_t errbuf_size);

/* Reads the JSON form (borrowed; pointers into it stay valid while it does;
 * `own` hands it over to ev). Errors, as duban_alerter_apply has them:
 * DUBAN_E_INVAL "not a task event (type \"X\")" (a DeadlineAlert is read:
 * its alert_id), DUBAN_E_PARSE
 * "TaskAssigned.occurred_at: not an ISO-8601 instant". Other problems
 * (missing task_id, bad dates, ...) are left for the alerter to report, in
 * its order. */
duban_err_t duban_task_event_from_json(duban_task_event_t *ev, json_t *json, bool own,
                                       char *errbuf, size_t errbuf_size);

/* NEW deep copy (free with duban_task_event_destroy), NULL when out of
 * memory. */
duban_task_event_t *duban_task_event_copy(const duban_task_event_t *ev);
void duban_task_event_destroy(duban_task_event_t *ev);

#endif
