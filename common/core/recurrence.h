/* common/core/recurrence.h: the deadline vocabulary that extraction
 * (ingest/deadline.c) and alerting (alert/ladder.c) share: a task's
 * deadline kind, a structured recurrence rule, and the arithmetic of the
 * rule's occurrences (which due date falls in which period).
 * Owns:   nothing. Never: I/O, logging, allocation, global state.
 * Thread: any (pure functions of their arguments). */
#ifndef DUBAN_RECURRENCE_H
#define DUBAN_RECURRENCE_H
#include <stdint.h>

typedef enum {
    DUBAN_DEADLINE_NONE = 0,
    DUBAN_DEADLINE_DATED,
    DUBAN_DEADLINE_RECURRING,
    DUBAN_DEADLINE_OPEN_ENDED
} duban_deadline_kind_t;

typedef enum {
    DUBAN_RECUR_NONE = 0,
    DUBAN_RECUR_WEEKLY,
    DUBAN_RECUR_MONTHLY,
    DUBAN_RECUR_QUARTERLY,
    DUBAN_RECUR_HALF_YEARLY,
    DUBAN_RECUR_YEARLY
} duban_recur_period_t;

#define DUBAN_RECUR_TEXT_MAX 128

/* A structured recurrence rule. In JSON/Avro: {"period": "QUARTERLY",
 * "month": 0, "day": 0, "text": "每季度"}.
 *   month: YEARLY: 1-12 for rules naming a month ("每年12月5日前"), 0 = Dec.
 *          QUARTERLY / HALF_YEARLY: the month within the period (1-3 / 1-6)
 *          when the text names one ("每年3月1日、6月1日…" -> 3), 0 = its last.
 *          Else 0.
 *   day:   day of month the report is due in the due month ("每月5日前" -> 5;
 *          clamped to the month's length: 每月30日前 in February -> 28/29);
 *          WEEKLY: ISO weekday 1-7; 0 = the last day of the period. */
typedef struct {
    duban_recur_period_t period;
    int month;
    int day;
    char text[DUBAN_RECUR_TEXT_MAX];  /* the phrase as printed */
} duban_recurrence_t;

/* Due date of the occurrence of a recurrence whose period contains `date`
 * (epoch days); may be before `date`. DUBAN_DATE_NONE for period NONE. */
int32_t duban_recurrence_due_in_period(const duban_recurrence_t *r, int32_t date);
/* The first due date strictly after `after`; DUBAN_DATE_NONE for NONE. */
int32_t duban_recurrence_next_due(const duban_recurrence_t *r, int32_t after);

#endif
