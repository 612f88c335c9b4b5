/* common/wire/event.c: event type table. The key fields of the records with
 * generated tables are their checked keys (avsc_gen.h, avsc.h). */
#include <string.h>
#include "avsc_gen.h"
#include "event.h"

static const struct {
    const char *name, *topic, *schema_file, *key_field;
} event_types[DUBAN_EV__COUNT] = {
    [DUBAN_EV_DOCUMENT_PUBLISHED] = {"DocumentPublished", DUBAN_TOPIC_DOCUMENTS,
                                     "DocumentPublished.avsc", "doc_id"},
    [DUBAN_EV_TASK_ASSIGNED] = {"TaskAssigned", DUBAN_TOPIC_TASKS, "TaskAssigned.avsc",
                                DUBAN_AVSC_TASK_ASSIGNED_KEY(TASK_ID, STRING)},
    [DUBAN_EV_TASK_STATUS_CHANGED] = {"TaskStatusChanged", DUBAN_TOPIC_TASK_STATUS,
                                      "TaskStatusChanged.avsc",
                                      DUBAN_AVSC_TASK_STATUS_CHANGED_KEY(TASK_ID, STRING)},
    [DUBAN_EV_DEADLINE_ALERT] = {"DeadlineAlert", DUBAN_TOPIC_ALERTS, "DeadlineAlert.avsc",
                                 DUBAN_AVSC_DEADLINE_ALERT_KEY(TASK_ID, STRING)},
    [DUBAN_EV_DELIVERY_ATTEMPT] = {"DeliveryAttempt", DUBAN_TOPIC_DELIVERIES,
                                   "DeliveryAttempt.avsc",
                                   DUBAN_AVSC_DELIVERY_ATTEMPT_KEY(ALERT_ID, STRING)},
    [DUBAN_EV_DEAD_LETTER] = {"DeadLetter", DUBAN_TOPIC_DLQ, "DeadLetter.avsc", NULL},
};

const char *duban_event_type_name(duban_event_type_t type)
{
    return type < DUBAN_EV__COUNT ? event_types[type].name : "unknown";
}

duban_err_t duban_event_type_from_name(const char *name, duban_event_type_t *out)
{
    if (!name)
        return DUBAN_E_INVAL;
    if (strncmp(name, "gov.duban.", 10) == 0)
        name += 10;
    for (int t = 0; t < DUBAN_EV__COUNT; t++)
        if (strcmp(event_types[t].name, name) == 0) {
            *out = (duban_event_type_t)t;
            return DUBAN_OK;
        }
    return DUBAN_E_NOTFOUND;
}

const char *duban_event_topic(duban_event_type_t type)
{
    return type < DUBAN_EV__COUNT ? event_types[type].topic : NULL;
}

const char *duban_event_key_field(duban_event_type_t type)
{
    return type < DUBAN_EV__COUNT ? event_types[type].key_field : NULL;
}

const char *duban_event_schema_file(duban_event_type_t type)
{
    return type < DUBAN_EV__COUNT ? event_types[type].schema_file : NULL;
}
