/* common/deadline.h: deadline phrases of official documents -> due dates.
 * The rules of ../shared/DESIGN.md "Deadlines": year-less dates take the
 * document's year; 月底/年底/上半年/第N季度/上旬/中旬/下旬; ranges and phases end
 * on their last day; 印发之日起N日内 counts from the issue date; recurring
 * (每季度, 每月5日前) and open-ended (长期坚持, 持续推进) phrases; a year that
 * is only an attribute (《…（2023年版）》, 2018—2022年规划) is not a deadline.
 * Owns:   the rule table. Never: I/O, logging, global state. Thread: any. */
#ifndef DUBAN_DEADLINE_H
#define DUBAN_DEADLINE_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"

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

/* A structured recurrence rule. In JSON/Avro: {"period": "QUARTERLY",
 * "month": 0, "day": 0, "text": "每季度"}.
 *   month: 1-12 for YEARLY rules naming a month ("每年12月5日前"), else 0.
 *   day:   day of month the report is due in the period's due month
 *          ("每月5日前" -> 5), 0 = the last day of the period. */
typedef struct {
    duban_recur_period_t period;
    int month;
    int day;
} duban_recurrence_t;

#define DUBAN_DEADLINE_MAX_MILESTONES 8
#define DUBAN_DEADLINE_TEXT_MAX 512

typedef struct {
    int32_t due_date;                              /* epoch day */
    char text[DUBAN_DEADLINE_TEXT_MAX];            /* phrase as printed */
} duban_milestone_t;

typedef struct {
    duban_deadline_kind_t kind;
    int32_t due_date;              /* latest dated deadline, or DUBAN_DATE_NONE */
    char text[DUBAN_DEADLINE_TEXT_MAX];  /* deadline_text as printed; "" if none */
    duban_recurrence_t recurrence; /* period NONE unless kind is RECURRING */
    duban_milestone_t milestones[DUBAN_DEADLINE_MAX_MILESTONES];
    size_t milestone_count;        /* every dated deadline, when >1 */
} duban_deadline_t;

typedef struct {
    int doc_year;        /* year of the document (year-less dates take it) */
    int32_t issue_date;  /* epoch day of the issue date, or DUBAN_DATE_NONE */
} duban_deadline_ctx_t;

/* Find the deadline(s) in one task's text (normalised UTF-8, any length).
 * Fills *out (kind NONE when the text holds no deadline). Returns DUBAN_OK,
 * or DUBAN_E_INVAL on NULL arguments. */
duban_err_t duban_deadline_extract(const char *text, size_t len,
                                   const duban_deadline_ctx_t *ctx,
                                   duban_deadline_t *out,
                                   char *errbuf, size_t errbuf_size);

const char *duban_deadline_kind_name(duban_deadline_kind_t kind);
const char *duban_recur_period_name(duban_recur_period_t period);

/* Due date of the occurrence of a recurrence whose period contains `date`
 * (epoch days); used by the alerter to walk occurrences. */
int32_t duban_recurrence_due_in_period(const duban_recurrence_t *r, int32_t date);
/* The first due date strictly after `after`. */
int32_t duban_recurrence_next_due(const duban_recurrence_t *r, int32_t after);

#endif
