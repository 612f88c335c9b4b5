/* common/alert/ladder.h: the alert schedule of a task (督办 红黄绿灯 and 催办), as
 * pure functions of its deadline, its status history and the calendar.
 * For a due date D (E = the last working day <= D, O = the first working day
 * after D), reminders fire at 09:00 Asia/Shanghai on working days:
 *   DUE_SOON   n working days before E, for each n of conf.soon_days (7, 3)
 *   DUE_TODAY  on E (a due date on a day off is announced the working day
 *              before it)
 *   OVERDUE    on O
 *   ESCALATION every conf.escalation_every (5) working days after O, step
 *              1, 2, ... (conf.escalation_max > 0 caps the steps)
 * days_left = working days in (fire date, D], negative after D; level RED
 * when days_left < 0, YELLOW when 0 <= days_left <= conf.yellow_days (3),
 * GREEN above. A DATED task whose D is before the day it was assigned gets
 * one PAST_DUE_AT_ISSUE at the first 09:00 of a working day from then on, and
 * nothing else. RECURRING: one ladder per occurrence (duban_recurrence_*);
 * an occurrence's reminders start after the previous occurrence's due date
 * and its overdue notices stop at the next occurrence's due date.
 * OPEN_ENDED and NONE: no alerts. A track (duban_track_t, 32 bytes) holds
 * what a task needs: the definition, the instant alerts restart from, and a
 * cursor (entries before it are done); status changes move them.
 * Owns:   nothing (all state is the caller's). Never: I/O, allocation,
 *         logging. Thread: any. */
#ifndef DUBAN_LADDER_H
#define DUBAN_LADDER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "calendar.h"
#include "conf.h"
#include "recurrence.h"
#include "err.h"

typedef enum {
    DUBAN_ALERT_DUE_SOON = 0,
    DUBAN_ALERT_DUE_TODAY,
    DUBAN_ALERT_OVERDUE,
    DUBAN_ALERT_ESCALATION,
    DUBAN_ALERT_PAST_DUE_AT_ISSUE
} duban_alert_kind_t;

typedef enum { DUBAN_LEVEL_GREEN = 0, DUBAN_LEVEL_YELLOW, DUBAN_LEVEL_RED } duban_alert_level_t;

typedef enum {
    DUBAN_STATUS_ASSIGNED = 0, DUBAN_STATUS_ACCEPTED, DUBAN_STATUS_IN_PROGRESS,
    DUBAN_STATUS_COMPLETED, DUBAN_STATUS_EXTENSION_REQUESTED, DUBAN_STATUS_EXTENDED,
    DUBAN_STATUS_CANCELLED, DUBAN_STATUS_REOPENED,
    DUBAN_STATUS_COMPLETION_REQUESTED   /* schema order: added last */
} duban_task_status_t;

#define DUBAN_STATUS_COUNT 9

#define DUBAN_LADDER_MAX_SOON 8

typedef struct {
    int soon_days[DUBAN_LADDER_MAX_SOON]; /* descending, each >= 1 */
    int soon_count;
    int yellow_days;       /* days_left in [0, yellow_days] is YELLOW */
    int escalation_every;  /* working days between escalations; 0 = none */
    int escalation_max;    /* 0 = unlimited */
    int fire_hour, fire_minute;  /* Asia/Shanghai wall clock */
} duban_ladder_conf_t;

/* The catalogue's defaults (conf_keys.c): 7,3 / yellow 3 / every 5 / unlimited / 09:00. */
void duban_ladder_conf_default(duban_ladder_conf_t *lc);
/* Reads alerter.due.soon.days ("7,3"), alerter.yellow.days,
 * alerter.escalation.every.days, alerter.escalation.max, alerter.fire.time
 * ("09:00"), each the catalogue's default when unset. Errors name the key. */
duban_err_t duban_ladder_conf_from(const duban_conf_t *conf, duban_ladder_conf_t *lc,
                                   char *errbuf, size_t errbuf_size);

typedef struct {
    duban_alert_kind_t kind;
    int threshold;          /* DUE_SOON: n; ESCALATION: step; else -1 */
    int32_t due_date;       /* the due date (of the occurrence) */
    int32_t fire_date;
    int64_t fire_at;        /* epoch ms */
    int days_left;
    duban_alert_level_t level;
} duban_alert_entry_t;

/* Entry `ordinal` of the ladder of due date `due` (0 .. soon_count-1 the
 * DUE_SOONs, then DUE_TODAY, OVERDUE, ESCALATION 1, 2, ...). False past the
 * escalation cap. */
bool duban_ladder_entry(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                        int32_t due, int ordinal, duban_alert_entry_t *out);
/* The first entry of the ladder of `due` with fire_at >= from. */
bool duban_ladder_first_from(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                             int32_t due, int64_t from, duban_alert_entry_t *out);

typedef struct {
    int64_t cursor;       /* entries with fire_at < cursor are done */
    int64_t start_at;     /* instant it was assigned, or extended */
    int32_t due_date;     /* DATED: the due date */
    uint8_t kind;         /* duban_deadline_kind_t */
    uint8_t period;       /* RECURRING: duban_recur_period_t */
    uint8_t month, day;   /* RECURRING: see duban_recurrence_t */
    uint8_t stopped;      /* DUBAN_TRACK_RUNNING, _STOPPED (COMPLETED or
                             CANCELLED) or _PAUSED (COMPLETION_REQUESTED) */
} duban_track_t;

/* A new task assigned at instant `at`. r is read for RECURRING only. */
void duban_track_assign(duban_track_t *t, duban_deadline_kind_t kind, int32_t due,
                        const duban_recurrence_t *r, int64_t at);
/* The task's definition changed (re-ingested with new content): the new
 * deadline replaces the old one; assignment day, cursor and status stay. */
void duban_track_redefine(duban_track_t *t, duban_deadline_kind_t kind, int32_t due,
                          const duban_recurrence_t *r);
enum { DUBAN_TRACK_RUNNING = 0, DUBAN_TRACK_STOPPED = 1, DUBAN_TRACK_PAUSED = 2 };

/* A status change at instant `at`. COMPLETED/CANCELLED stop; EXTENDED (with
 * new_due != DUBAN_DATE_NONE) makes the task DATED on new_due and restarts
 * the ladder from `at`; REOPENED resumes a stopped or paused task from `at`;
 * COMPLETION_REQUESTED pauses a running task (办结申请 pending: no
 * reminders); while paused, any other status (the supervisor's rejection,
 * IN_PROGRESS, or whatever comes next) resumes it from `at`: reminders that
 * fell due during the pause are skipped, as after REOPENED. Others change
 * nothing. Returns true when the schedule changed. */
bool duban_track_status(duban_track_t *t, duban_task_status_t to, int32_t new_due,
                        int64_t at);
/* The next entry of the schedule with fire_at >= cursor; false if none. */
bool duban_track_pending(const duban_track_t *t, const duban_calendar_t *cal,
                         const duban_ladder_conf_t *lc, duban_alert_entry_t *out);
/* The entry `e` was fired (or found already sent): move past it. */
void duban_track_done(duban_track_t *t, const duban_alert_entry_t *e);

/* alert_id: hex of the first 16 bytes of sha256(task_id 0x1f kind 0x1f
 * YYYY-MM-DD 0x1f threshold-or-empty). out holds 33 bytes. */
void duban_alert_id(const char *task_id, duban_alert_kind_t kind, int32_t due,
                    int threshold, char out[static 33]);

const char *duban_alert_kind_name(duban_alert_kind_t kind);
const char *duban_alert_level_name(duban_alert_level_t level);
duban_err_t duban_task_status_from_name(const char *name, duban_task_status_t *out);

#endif
