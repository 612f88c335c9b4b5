/* common/alert/alerter.h: the alerter's state for one partition of tasks, and the
 * engine that turns task events plus a clock into DeadlineAlert events.
 * Events are applied in log order. Each task keeps a compact record (a
 * ladder track, its next firing instant, and references into an arena where
 * repeated strings - documents, department lists, deadline phrases - are
 * interned once); no json_t is kept per task. Alert ids already sent (fired
 * here, or read back from duban.alerts.v1 after a restart) are remembered
 * in a set, so an alert is never emitted twice.
 * Time rules (pure: alerts depend on events and the clock only; the
 * departments an alert names also on conf.dept when set):
 *   - an event at instant T (its occurred_at) first fires what its task had
 *     pending before T (late when the clock is well past it), then applies;
 *     other tasks move only with duban_alerter_advance, so a caller that
 *     reads a backlog (after downtime) advances once it has caught up, and
 *     each task's alerts stop where its events say;
 *   - alerts due at the same instant as an event fire after it;
 *   - an alert is late when emitted more than late_after_ms after fire_at;
 *   - an event dated after the clock (a simulated clock started in the
 *     past) is checked, kept, and applied when the clock reaches its
 *     instant, so the outcome does not depend on when it was read; errors
 *     found only then (unknown task) are counted in deferred_errors.
 * Allocation: aborts on out of memory (core/alloc.h policy); DUBAN_E_NOMEM
 *         remains only for a task past the arena's 4 GiB or a field past
 *         64 MiB, and for an event copy (task_event.c returns NULL).
 * Owns:   the task table, the arena, the sent set, the firing heap.
 * Never:  does I/O or logs; the emit callback does the producing.
 * Thread: one thread per alerter. */
#ifndef DUBAN_ALERTER_H
#define DUBAN_ALERTER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "calendar.h"
#include "conf.h"
#include "err.h"
#include "ladder.h"
#include "task_event.h"

/* Names a department as alerts name it: writes the NUL-terminated name to
 * out and returns true, or returns false to keep `name`. duban-alerter maps
 * through its department directory, which SIGHUP reloads, so an alias added
 * after a task was ingested applies from the next alert. Called from every
 * thread that runs an alerter: must be safe for concurrent calls. */
typedef bool (duban_alerter_dept_cb)(const char *name, char *out, size_t out_size,
                                     void *opaque);

typedef struct {
    const duban_calendar_t *cal;   /* borrowed, outlives the alerter */
    duban_ladder_conf_t ladder;
    int64_t late_after_ms;         /* default 60000 */
    const char *supervisors;       /* "a,b": who supervises every task;
                                      NULL or "": the document's issuers */
    duban_alerter_dept_cb *dept;   /* NULL: departments as the task names them */
    void *dept_opaque;
} duban_alerter_conf_t;

/* The settings every program that runs the engine reads alike (the
 * alerter, duban-audit verify): alerter.calendar.files (loaded into cal,
 * which ac then borrows), the ladder's keys (duban_ladder_conf_from),
 * alerter.late.after.ms (60000) and alerter.supervisors (borrowed from
 * conf). Errors name the key or the file. */
duban_err_t duban_alerter_conf_from(const duban_conf_t *conf, duban_calendar_t *cal,
                                    duban_alerter_conf_t *ac, char *errbuf,
                                    size_t errbuf_size);

typedef struct duban_alerter_s duban_alerter_t;

/* Called for each alert, in firing order. `alert` is borrowed for the call
 * (DeadlineAlert JSON, keys as in the schema, "type" first). An error stops
 * the firing: the alert stays pending and is offered again next time. */
typedef duban_err_t (duban_alert_emit_cb)(const json_t *alert, const char *task_id,
                                          void *opaque);

/* An alert as the engine computed it, without its JSON form: what a caller
 * that only compares alerts needs (duban-audit verify re-computes every
 * alert of a history). Borrowed for the call. The same alert as the JSON
 * form's: departments is its departments list (leads, cooperating, then the
 * supervisors for RED or when none is named; each once, in that order). */
typedef struct {
    const char *alert_id, *task_id;
    const duban_alert_entry_t *entry;   /* kind, threshold, due date, fire_at,
                                           days_left, level */
    bool late;
    duban_str_list_t departments;
} duban_alert_facts_t;

/* Called for each alert in place of the emit callback when set with
 * duban_alerter_set_facts; an error stops the firing as emit's does. */
typedef duban_err_t (duban_alert_facts_cb)(const duban_alert_facts_t *alert, void *opaque);

/* *out is NEW. ac is copied (supervisors too). */
duban_err_t duban_alerter_new(const duban_alerter_conf_t *ac, duban_alerter_t **out,
                              char *errbuf, size_t errbuf_size);
void duban_alerter_destroy(duban_alerter_t *a);

/* Applies a TaskAssigned or TaskStatusChanged event (ev borrowed) with the
 * clock at `now`. Errors (the event changed nothing): DUBAN_E_PARSE for a
 * missing or malformed field (errbuf names it), DUBAN_E_NOTFOUND for a status
 * change of an unknown task, DUBAN_E_INVAL for another event type; an emit
 * error is returned as it is. */
duban_err_t duban_alerter_apply(duban_alerter_t *a, const json_t *ev, int64_t now,
                                duban_alert_emit_cb *emit, void *opaque,
                                char *errbuf, size_t errbuf_size);

/* The same for an event already read (task_event.h: decoded from Avro by
 * the service, or from JSON); ev is borrowed for the call (an event
 * dated after the clock is copied). DUBAN_E_INVAL for another type. */
duban_err_t duban_alerter_apply_event(duban_alerter_t *a, const duban_task_event_t *ev,
                                      int64_t now, duban_alert_emit_cb *emit, void *opaque,
                                      char *errbuf, size_t errbuf_size);

/* From now on each alert goes to facts(alert, opaque) instead of the emit
 * callbacks the calls pass (those are then not called): no JSON object is
 * built. NULL goes back to emit. */
void duban_alerter_set_facts(duban_alerter_t *a, duban_alert_facts_cb *facts, void *opaque);

/* Remembers that alert_id was already sent (history of the alerts topic). */
void duban_alerter_mark_sent(duban_alerter_t *a, const char *alert_id);

/* Moves the clock to `now`: fires every pending alert with fire_at <= now
 * in (fire_at, task arrival) order, interleaved with the deferred events
 * that come due (an event before the alerts of its instant). */
duban_err_t duban_alerter_advance(duban_alerter_t *a, int64_t now,
                                  duban_alert_emit_cb *emit, void *opaque);

/* The earliest pending fire_at, or INT64_MAX. */
int64_t duban_alerter_next_at(const duban_alerter_t *a);

typedef struct {
    size_t tasks;          /* known tasks */
    size_t pending;        /* tasks with an alert ahead */
    size_t deferred;       /* events waiting for the clock */
    size_t sent;           /* alert ids remembered */
    size_t arena_bytes;    /* strings */
    size_t table_bytes;    /* records, hash tables, heap (allocated) */
    uint64_t emitted, skipped_sent, events, unchanged, deferred_errors;
} duban_alerter_stats_t;

void duban_alerter_stats(const duban_alerter_t *a, duban_alerter_stats_t *out);

#endif
