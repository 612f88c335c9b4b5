/* producers/status/status_state.h: what duban-status knows about each task,
 * rebuilt from duban.tasks.v1 and duban.task-status.v1 (status_feed.c feeds
 * it in log order) and queried by the HTTP API.
 *
 * Per task: its definition (the latest TaskAssigned, kept as the decoded
 * event: corrections start from it), its current status, the effective due
 * date (the definition's, or the last EXTENDED's new_due_date after it), when
 * it was finished, and its history (status changes and corrections, oldest
 * first). A status change read before its task (the two topics are read
 * side by side) waits, in order, until the task arrives.
 * Definitions: a TaskAssigned with the same content_sha256 changes nothing;
 * with another content it replaces the definition ("new definition wins",
 * as in the alerter) and clears an extension. A correction (TaskAssigned
 * with `correction` set) remembers the content it corrected, so that a
 * re-ingest of the same gazette (the uncorrected content again) does not
 * undo it.
 * Days and levels (the alerter's ladder): days_left = working days from
 * today to the due date (duban_calendar_workdays_between), negative when
 * overdue; RED below 0, YELLOW up to yellow_days, GREEN above. RECURRING
 * tasks use their next occurrence's due date; OPEN_ENDED and NONE have no
 * due date (GREEN, days_left null); closed tasks have no level.
 * "done on time": finished on or before the due date, where finished is
 * the day of the approved completion request (or of COMPLETED, when there
 * was no request).
 * Queries return NEW JSON built under a read lock; nothing of the store's
 * own objects escapes. A task's rendered answer is kept (under a small
 * lock of its own) until it changes.
 * Allocation: aborts on out of memory (core/alloc.h policy).
 * Owns:   the task table, the parked status changes.
 * Never:  I/O, logging. Thread: safe (one rwlock): apply from the feed
 *         thread, queries from any number of request threads. */
#ifndef DUBAN_STATUS_STATE_H
#define DUBAN_STATUS_STATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "calendar.h"
#include "err.h"
#include "event.h"
#include "ladder.h"

typedef struct status_state_s status_state_t;

/* cal is borrowed and outlives the store. NEW. */
status_state_t *status_state_new(const duban_calendar_t *cal, int yellow_days);
void status_state_destroy(status_state_t *st);

/* Applies one event from the log (ev borrowed; the store keeps what it
 * needs). DUBAN_E_PARSE for an event it cannot use (errbuf says why);
 * other types are ignored. */
duban_err_t status_state_apply(status_state_t *st, duban_event_type_t type, const json_t *ev,
                               char *errbuf, size_t errbuf_size);

typedef struct {
    duban_task_status_t status;
    unsigned roles;        /* of the department asked about (status_flow.h) */
    int64_t last_at;       /* occurred_at of the latest event of the task */
} status_task_info_t;

/* DUBAN_E_NOTFOUND for an unknown task. department may be NULL (roles 0). */
duban_err_t status_state_info(status_state_t *st, const char *task_id, const char *department,
                              status_task_info_t *out);

/* The task as GET /v1/tasks/{id} answers it (NEW), or NULL when unknown. */
json_t *status_state_task_json(status_state_t *st, const char *task_id, int64_t now_ms);
/* The same as compact JSON text (NEW, free()). The text is kept per task
 * and reused until the task changes or the day does (days_left and the
 * level count in days): most reads cost a copy. */
char *status_state_task_text(status_state_t *st, const char *task_id, int64_t now_ms);

typedef struct {
    int status;            /* -1: any; else a duban_task_status_t */
    int open;              /* -1: any; 1 open; 0 closed */
    int level;             /* -1: any; else duban_alert_level_t */
    unsigned roles;        /* STATUS_ROLE_LEAD | _COOPERATING; 0 = both */
} status_filter_t;

/* {"department","as_of","tasks":[...]}: the tasks the department leads or
 * cooperates on that pass the filter, by due date (none last). NEW. */
json_t *status_state_department_json(status_state_t *st, const char *department,
                                     const status_filter_t *f, int64_t now_ms);

/* {"as_of","departments":[{"department","open","due_soon","overdue",
 * "done_on_time","done_late","completion_requested"}]}: per lead department,
 * by name. only != NULL: that department's row alone. NEW. */
json_t *status_state_overview_json(status_state_t *st, const char *only, int64_t now_ms);

/* {"tasks":[...]}: the tasks whose current definition has review codes
 * (what extraction was unsure of), oldest first. NEW. */
json_t *status_state_review_json(status_state_t *st, int64_t now_ms);

/* A deep copy of the task's current TaskAssigned (NEW), NULL when unknown. */
json_t *status_state_definition(status_state_t *st, const char *task_id);

typedef struct {
    size_t tasks, parked, events, unchanged, ignored_reingest;
} status_state_stats_t;
void status_state_stats(status_state_t *st, status_state_stats_t *out);

#endif
