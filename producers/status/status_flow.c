/* producers/status/status_flow.c: the transition table of duban-status. */
#include <stdio.h>
#include <string.h>
#include "status_flow.h"

#define L STATUS_ROLE_LEAD
#define C STATUS_ROLE_COOPERATING
#define S STATUS_ROLE_SUPERVISOR
#define NC STATUS_NEEDS_COMMENT
#define ND STATUS_NEEDS_DUE_DATE

/* The lead's requests and a supervisor's cancellation, from each status
 * they may be made in. */
#define ASK_MORE_TIME(f) {f, DUBAN_STATUS_EXTENSION_REQUESTED, L, NC, \
                          "the lead department asks for more time"}
#define ASK_COMPLETION(f) {f, DUBAN_STATUS_COMPLETION_REQUESTED, L, NC, \
                           "办结申请: the lead department asks for completion"}
#define WORK_ON(f) {f, DUBAN_STATUS_IN_PROGRESS, L | C, 0, \
                    "work or a progress report (a cooperating department's: with a comment)"}
#define CANCEL(f) {f, DUBAN_STATUS_CANCELLED, S, NC, "a supervisor cancels the task"}

/* Order: the README prints it as it stands. */
static const status_edge_t edges[] = {
    {DUBAN_STATUS_ASSIGNED, DUBAN_STATUS_ACCEPTED, L, 0, "the lead department accepts"},
    WORK_ON(DUBAN_STATUS_ACCEPTED),
    WORK_ON(DUBAN_STATUS_IN_PROGRESS),
    WORK_ON(DUBAN_STATUS_EXTENDED),
    WORK_ON(DUBAN_STATUS_REOPENED),
    ASK_MORE_TIME(DUBAN_STATUS_ACCEPTED),
    ASK_MORE_TIME(DUBAN_STATUS_IN_PROGRESS),
    ASK_MORE_TIME(DUBAN_STATUS_EXTENDED),
    ASK_MORE_TIME(DUBAN_STATUS_REOPENED),
    {DUBAN_STATUS_EXTENSION_REQUESTED, DUBAN_STATUS_EXTENDED, S, ND,
     "a supervisor grants the extension (new_due_date)"},
    {DUBAN_STATUS_EXTENSION_REQUESTED, DUBAN_STATUS_IN_PROGRESS, S, NC,
     "a supervisor refuses the extension, with the reason"},
    ASK_COMPLETION(DUBAN_STATUS_ACCEPTED),
    ASK_COMPLETION(DUBAN_STATUS_IN_PROGRESS),
    ASK_COMPLETION(DUBAN_STATUS_EXTENDED),
    ASK_COMPLETION(DUBAN_STATUS_REOPENED),
    {DUBAN_STATUS_COMPLETION_REQUESTED, DUBAN_STATUS_COMPLETED, S, 0,
     "审核销号: a supervisor approves the completion"},
    {DUBAN_STATUS_COMPLETION_REQUESTED, DUBAN_STATUS_IN_PROGRESS, S, NC,
     "a supervisor rejects the completion, with the reason (reminders resume)"},
    CANCEL(DUBAN_STATUS_ASSIGNED),
    CANCEL(DUBAN_STATUS_ACCEPTED),
    CANCEL(DUBAN_STATUS_IN_PROGRESS),
    CANCEL(DUBAN_STATUS_COMPLETION_REQUESTED),
    CANCEL(DUBAN_STATUS_EXTENSION_REQUESTED),
    CANCEL(DUBAN_STATUS_EXTENDED),
    CANCEL(DUBAN_STATUS_REOPENED),
    {DUBAN_STATUS_COMPLETED, DUBAN_STATUS_REOPENED, S, NC, "a supervisor reopens the task"},
    {DUBAN_STATUS_CANCELLED, DUBAN_STATUS_REOPENED, S, NC, "a supervisor reopens the task"},
};

const status_edge_t *status_flow_edges(size_t *n)
{
    *n = sizeof(edges) / sizeof(edges[0]);
    return edges;
}

/* A cooperating department's only move is a progress report: with a comment. */
static unsigned needs_of(const status_edge_t *e, unsigned roles)
{
    unsigned needs = e->needs;
    if (e->to == DUBAN_STATUS_IN_PROGRESS && !(roles & (e->roles & ~STATUS_ROLE_COOPERATING)))
        needs |= STATUS_NEEDS_COMMENT;
    return needs;
}

status_flow_result_t status_flow_check(duban_task_status_t from, duban_task_status_t to,
                                       unsigned roles, bool has_comment, bool has_due,
                                       unsigned *allowed, const status_edge_t **edge)
{
    size_t n;
    const status_edge_t *t = status_flow_edges(&n), *match = NULL;
    unsigned may_set = 0, here = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i].roles & roles))
            continue;
        may_set |= 1u << t[i].to;
        if (t[i].from == from) {
            here |= 1u << t[i].to;
            if (t[i].to == to)
                match = &t[i];
        }
    }
    if (allowed)
        *allowed = here;
    if (edge)
        *edge = match;
    if (!(may_set & (1u << to)))
        return STATUS_FLOW_FORBIDDEN;
    if (!match)
        return STATUS_FLOW_CONFLICT;
    unsigned needs = needs_of(match, roles);
    if ((needs & STATUS_NEEDS_DUE_DATE) && !has_due)
        return STATUS_FLOW_NEEDS_DUE_DATE;
    if ((needs & STATUS_NEEDS_COMMENT) && !has_comment)
        return STATUS_FLOW_NEEDS_COMMENT;
    return STATUS_FLOW_OK;
}

bool status_flow_is_open(duban_task_status_t st)
{
    return st != DUBAN_STATUS_COMPLETED && st != DUBAN_STATUS_CANCELLED;
}

const char *status_flow_join(unsigned mask, const char *const *names, int n, const char *sep,
                             char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        if (mask & (1u << i)) {
            int w = snprintf(buf + used, size - used, "%s%s", used ? sep : "", names[i]);
            if (w < 0 || (size_t)w >= size - used)
                break;
            used += (size_t)w;
        }
    if (!used)
        snprintf(buf, size, "none");
    return buf;
}

const char *status_flow_roles_name(unsigned roles, char *buf, size_t size)
{
    static const char *const names[] = {"lead", "cooperating", "supervisor"};
    return status_flow_join(roles, names, 3, "+", buf, size);
}
