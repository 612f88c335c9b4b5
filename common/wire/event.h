/* common/wire/event.h: the six event types of DESIGN.md, their Avro record names
 * and their topics. Events travel inside duban as jansson objects whose keys
 * are the schema's field names (dates "YYYY-MM-DD", instants ISO-8601 with
 * offset, enums as their symbol, optional fields null), the same JSON that
 * --dry-run, --simulate and duban-replay print, plus "type": <record name>.
 * Owns:   the type <-> name <-> topic table. Never: I/O. Thread: any. */
#ifndef DUBAN_EVENT_H
#define DUBAN_EVENT_H
#include "err.h"

typedef enum {
    DUBAN_EV_DOCUMENT_PUBLISHED = 0,
    DUBAN_EV_TASK_ASSIGNED,
    DUBAN_EV_TASK_STATUS_CHANGED,
    DUBAN_EV_DEADLINE_ALERT,
    DUBAN_EV_DELIVERY_ATTEMPT,
    DUBAN_EV_DEAD_LETTER,
    DUBAN_EV__COUNT
} duban_event_type_t;

#define DUBAN_TOPIC_DOCUMENTS   "duban.documents.v1"
#define DUBAN_TOPIC_TASKS       "duban.tasks.v1"
#define DUBAN_TOPIC_TASK_STATUS "duban.task-status.v1"
#define DUBAN_TOPIC_ALERTS      "duban.alerts.v1"
#define DUBAN_TOPIC_DELIVERIES  "duban.deliveries.v1"
#define DUBAN_TOPIC_DLQ         "duban.dlq.v1"

/* "TaskAssigned" etc. (the Avro record name, without namespace). */
const char *duban_event_type_name(duban_event_type_t type);
/* Accepts "TaskAssigned" or "gov.duban.TaskAssigned". */
duban_err_t duban_event_type_from_name(const char *name, duban_event_type_t *out);
/* The topic an event of this type is produced to. */
const char *duban_event_topic(duban_event_type_t type);
/* The field whose value is the message key: doc_id for documents, task_id
 * for tasks, status changes and alerts, alert_id for deliveries; NULL for
 * dead letters (they keep the original key). */
const char *duban_event_key_field(duban_event_type_t type);
/* The schema file compiled in, e.g. "TaskAssigned.avsc". */
const char *duban_event_schema_file(duban_event_type_t type);

#endif
