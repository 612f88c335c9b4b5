/* producers/status/status_check.h: is this status change legal for this task,
 * now? The one check both writers of duban.task-status.v1 make: the HTTP
 * service (status_api.c, for a caller and its rights) and the operator's
 * `report` CLI (main.c, for an operator holding every role), so they cannot
 * disagree.
 *
 * Against the task's state (status_state.h, rebuilt from the log) it checks,
 * in this order: the task exists (404); the caller has a role on it (403);
 * a given from_status is the task's current one (409); the transition table
 * (status_flow.h: 403 never, 409 not from here, 400 a comment or a new due
 * date missing); occurred_at is not before the task's last change (409).
 * When the change passes, the event's from_status is set to the status the
 * task really has.
 * Owns:   nothing (reads the state). Never: I/O, logging. Thread: any. */
#ifndef DUBAN_STATUS_CHECK_H
#define DUBAN_STATUS_CHECK_H
#include <stdbool.h>
#include <jansson.h>
#include "ladder.h"
#include "status_state.h"

typedef struct {
    unsigned http;                  /* 0: legal; else 400, 403, 404 or 409 */
    const char *field;              /* the field at fault (static) */
    char msg[700];                  /* what is wrong, for the answer and the log */
    bool known;                     /* the task exists: current is its status */
    bool names_current;             /* a stale from_status or an illegal edge:
                                     * the answer names current_status */
    bool names_allowed;             /* an illegal edge: the answer names allowed */
    duban_task_status_t current;
    unsigned allowed;               /* 1 << status: what the caller may set from it */
} status_verdict_t;

/* Checks the TaskStatusChanged ev (its task_id, to_status, from_status,
 * comment, new_due_date, occurred_at) for the caller `who` (a name, for the
 * messages). department: the caller's department (its roles come from the
 * task), or NULL: the caller holds `roles` (STATUS_ROLE_*) on every task.
 * True when legal (ev's from_status then set); false with *v filled. */
bool status_check_change(status_state_t *st, const char *who, const char *department,
                         unsigned roles, json_t *ev, status_verdict_t *v);

/* A status's symbol; "?" when out of range. */
const char *status_check_name(duban_task_status_t st);

/* The statuses in mask, space-separated, into buf ("none" when empty). */
const char *status_check_names(unsigned mask, char *buf, size_t size);

#endif
