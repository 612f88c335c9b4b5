/* producers/status/status_flow.h: the 督办 workflow of duban-status: which
 * status changes are legal, and who may make them.
 *
 * One table (status_flow.c) of edges from -> to, each with the roles that may
 * take it and what it needs (a comment, a new due date). The README's
 * transition table is this table. A department's role comes from the task:
 * LEAD when it is one of the task's lead_departments, COOPERATING when one of
 * its cooperating_departments; SUPERVISOR is a supervising office's token.
 * A caller may hold several roles (a department that leads and cooperates).
 * The check answers in the order the service reports:
 *   FORBIDDEN  (403) the caller's roles never set to_status (a cooperating
 *              department asking for COMPLETED, a department that is neither
 *              lead nor cooperating, a lead trying to approve itself);
 *   CONFLICT   (409) the caller may set to_status, but not from the task's
 *              current status (allowed: the statuses it may set from there);
 *   NEEDS_*    (400) the edge wants a comment (a completion request, a
 *              rejection, a progress report by a cooperating department) or a
 *              new due date (EXTENDED).
 * Statuses are duban_task_status_t (alert/ladder.h), in schema order.
 * Owns:   the edge table. Never: I/O, allocation, logging. Thread: any. */
#ifndef DUBAN_STATUS_FLOW_H
#define DUBAN_STATUS_FLOW_H
#include <stdbool.h>
#include <stddef.h>
#include "ladder.h"

enum {
    STATUS_ROLE_LEAD = 1,
    STATUS_ROLE_COOPERATING = 2,
    STATUS_ROLE_SUPERVISOR = 4
};

enum {
    STATUS_NEEDS_COMMENT = 1,
    STATUS_NEEDS_DUE_DATE = 2
};

typedef struct {
    duban_task_status_t from, to;
    unsigned roles;     /* STATUS_ROLE_* that may take it */
    unsigned needs;     /* STATUS_NEEDS_* */
    const char *what;   /* what the edge means, for the README and errors */
} status_edge_t;

typedef enum {
    STATUS_FLOW_OK = 0,
    STATUS_FLOW_FORBIDDEN,
    STATUS_FLOW_CONFLICT,
    STATUS_FLOW_NEEDS_COMMENT,
    STATUS_FLOW_NEEDS_DUE_DATE
} status_flow_result_t;

/* The table (static), *n edges. */
const status_edge_t *status_flow_edges(size_t *n);

/* Checks from -> to for a caller holding `roles`. *allowed (may be NULL) is
 * a bit mask (1 << status) of the statuses the caller may set from `from`;
 * *edge (may be NULL) the matching edge on STATUS_FLOW_OK and NEEDS_*. */
status_flow_result_t status_flow_check(duban_task_status_t from, duban_task_status_t to,
                                       unsigned roles, bool has_comment, bool has_due,
                                       unsigned *allowed, const status_edge_t **edge);

/* Open = neither COMPLETED nor CANCELLED. */
bool status_flow_is_open(duban_task_status_t st);

/* names[i] for each bit i of mask (i < n), joined by sep into buf; "none"
 * when there is none. Returns buf. */
const char *status_flow_join(unsigned mask, const char *const *names, int n, const char *sep,
                             char *buf, size_t size);

/* "lead", "cooperating", "supervisor" joined by '+' into buf; "none". */
const char *status_flow_roles_name(unsigned roles, char *buf, size_t size);

#endif
