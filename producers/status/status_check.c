/* producers/status/status_check.c: a status change against the task's state
 * and the transition table (status_check.h). */
#include <stdio.h>
#include <string.h>
#include "date.h"
#include "status_check.h"
#include "status_flow.h"
#include "status_intake.h"

const char *status_check_name(duban_task_status_t st)
{
    return (unsigned)st < DUBAN_STATUS_COUNT ? duban_status_intake_statuses[st] : "?";
}

const char *status_check_names(unsigned mask, char *buf, size_t size)
{
    return status_flow_join(mask, duban_status_intake_statuses, DUBAN_STATUS_COUNT, " ", buf,
                            size);
}

static bool refuse(status_verdict_t *v, unsigned http, const char *field)
{
    v->http = http;
    v->field = field;
    return false;
}

/* The table's verdict on an edge the caller cannot take. */
static bool refuse_flow(status_verdict_t *v, status_flow_result_t r, const char *who,
                        unsigned roles, duban_task_status_t cur, duban_task_status_t to)
{
    char rn[64];
    status_flow_roles_name(roles, rn, sizeof(rn));
    switch (r) {
    case STATUS_FLOW_FORBIDDEN:
        snprintf(v->msg, sizeof(v->msg), "%s (%s) may not set %s", who, rn,
                 status_check_name(to));
        return refuse(v, 403, "to_status");
    case STATUS_FLOW_NEEDS_COMMENT:
        snprintf(v->msg, sizeof(v->msg),
                 "comment: required when %s (%s) moves the task from %s to %s", who, rn,
                 status_check_name(cur), status_check_name(to));
        return refuse(v, 400, "comment");
    case STATUS_FLOW_NEEDS_DUE_DATE:
        snprintf(v->msg, sizeof(v->msg), "new_due_date: required for EXTENDED");
        return refuse(v, 400, "new_due_date");
    default:
        snprintf(v->msg, sizeof(v->msg), "the task is %s: %s (%s) may not move it to %s from there",
                 status_check_name(cur), who, rn, status_check_name(to));
        v->names_current = v->names_allowed = true;
        return refuse(v, 409, "to_status");
    }
}

bool status_check_change(status_state_t *st, const char *who, const char *department,
                         unsigned roles, json_t *ev, status_verdict_t *v)
{
    memset(v, 0, sizeof(*v));
    status_task_info_t info;
    const char *task_id = json_string_value(json_object_get(ev, STATUS_KEY(TASK_ID, STRING)));
    if (!task_id || status_state_info(st, task_id, department, &info) != DUBAN_OK) {
        snprintf(v->msg, sizeof(v->msg), "no such task");
        return refuse(v, 404, "task_id");
    }
    v->known = true;
    v->current = info.status;
    if (department)
        roles = info.roles;
    if (!roles) {
        snprintf(v->msg, sizeof(v->msg), "%s is neither a lead nor a cooperating department of "
                 "this task", who);
        return refuse(v, 403, "task_id");
    }
    duban_task_status_t to = DUBAN_STATUS_IN_PROGRESS, from_given;
    duban_task_status_from_name(
        json_string_value(json_object_get(ev, STATUS_KEY(TO_STATUS, ENUM))), &to);
    const json_t *comment = json_object_get(ev, STATUS_KEY(COMMENT, STRING));
    bool has_comment = json_is_string(comment) && *json_string_value(comment);
    bool has_due = json_is_string(json_object_get(ev, STATUS_KEY(NEW_DUE_DATE, DATE)));
    status_flow_result_t r =
        status_flow_check(info.status, to, roles, has_comment, has_due, &v->allowed, NULL);
    const char *from_name = json_string_value(json_object_get(ev, STATUS_KEY(FROM_STATUS, ENUM)));
    if (from_name && !duban_task_status_from_name(from_name, &from_given) &&
        from_given != info.status) {
        snprintf(v->msg, sizeof(v->msg), "from_status is %s but the task is %s", from_name,
                 status_check_name(info.status));
        v->names_current = true;
        return refuse(v, 409, "from_status");
    }
    if (r != STATUS_FLOW_OK)
        return refuse_flow(v, r, who, roles, info.status, to);
    int64_t at = 0;
    duban_instant_parse(
        json_string_value(json_object_get(ev, STATUS_KEY(OCCURRED_AT, TIMESTAMP))), &at);
    if (at < info.last_at) {
        char last[32];
        snprintf(v->msg, sizeof(v->msg), "occurred_at: before the task's last change (%s)",
                 duban_instant_format(info.last_at, last));
        return refuse(v, 409, "occurred_at");
    }
    /* the event says what the change really was */
    json_object_set_new(ev, STATUS_KEY(FROM_STATUS, ENUM),
                        json_string(status_check_name(info.status)));
    return true;
}
