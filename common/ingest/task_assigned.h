/* common/task_assigned.h: a TaskAssigned event as a C struct, the form
 * duban-ingest builds from a parsed task, written two ways without a
 * jansson object in between:
 *   - its JSON form (event.h), byte for byte what json_dumps(JSON_COMPACT |
 *     JSON_PRESERVE_ORDER) prints for the object with the keys in the order
 *     below: what --dry-run prints and what event_id and content_sha256 hash;
 *   - the Avro binary body of the compiled-in TaskAssigned schema, the bytes
 *     duban_avro_write_json writes for that JSON form (tests/unit/
 *     test_task_assigned.c checks both on every task of the gazettes).
 * JSON key order (generated from the .avsc: "type", the schema's fields in
 * its order, source last): type, event_id, occurred_at, schema_version, task_id,
 * doc_id, outline_path, text, lead_units, cooperating_units,
 * lead_departments, cooperating_departments, deadline_text, due_date,
 * deadline_kind, recurrence, milestones | content_sha256, doc_title,
 * issuers, review, correction, source. content_sha256 is the SHA-256 of the part before "|"
 * (event_id "" and the object closed there); event_id is the SHA-256 of
 * the whole with event_id "".
 * Owns:   the two hashes; every string and list is borrowed from the caller.
 * Never:  logs. The Avro writer trusts the strings to be UTF-8: sealing
 *         (which writes the JSON form) checks them, so encode sealed events.
 * Thread: any. */
#ifndef DUBAN_TASK_ASSIGNED_H
#define DUBAN_TASK_ASSIGNED_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "deadline.h"
#include "err.h"
#include "strlist.h"

typedef struct {
    char event_id[65];                 /* hex; "" until sealed */
    int64_t occurred_at;               /* epoch ms */
    int32_t schema_version;
    const char *task_id, *doc_id, *outline_path, *text;   /* never NULL */
    const duban_strlist_t *lead_units, *cooperating_units; /* NULL: empty */
    const duban_strlist_t *lead_departments, *cooperating_departments;
    const duban_deadline_t *deadline;  /* kind, due date, text, recurrence, milestones */
    char content_sha256[65];           /* hex; "" until sealed */
    const char *doc_title;             /* never NULL */
    const duban_strlist_t *issuers;    /* NULL: empty */
    const duban_strlist_t *review;     /* NULL: empty (codes, gwdoc.h) */
    const char *correction_author;     /* NULL: no correction (ingest) */
    const char *correction_reason;     /* with an author: never NULL */
    const char *source_file;           /* never NULL */
    int32_t source_line;
    int64_t source_offset;
} duban_task_assigned_t;

/* Computes content_sha256 and event_id from the fields. Errors:
 * DUBAN_E_ENCODING "TaskAssigned.text: invalid UTF-8 at byte 12". */
duban_err_t duban_task_assigned_seal(duban_task_assigned_t *ta, duban_buf_t *scratch,
                                     char *errbuf, size_t errbuf_size);

/* Appends the JSON form (one object, no newline). Errors as sealing. */
duban_err_t duban_task_assigned_write_json(const duban_task_assigned_t *ta, duban_buf_t *out,
                                           char *errbuf, size_t errbuf_size);

/* Appends the Avro binary body (no Confluent header). Returns out's error
 * (DUBAN_E_NOMEM / DUBAN_E_TOO_LARGE), else DUBAN_OK. */
duban_err_t duban_task_assigned_write_avro(const duban_task_assigned_t *ta, duban_buf_t *out);

#endif
