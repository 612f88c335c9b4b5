/* common/core/calendar.h: China's working-day calendar (Asia/Shanghai dates).
 * A date is a working day when it is Monday-Friday and not a public holiday,
 * or when it is an official make-up working day (调休) on a weekend. The
 * State Council schedules ship as data/calendar/holidays-YYYY.json (embedded,
 * holiday-cn format: {"year":..,"days":[{"date":"YYYY-MM-DD","isOffDay":b}]});
 * users add later years with duban_calendar_load_file (a later file wins for
 * a date listed twice). Dates outside every loaded year follow Mon-Fri.
 * Dates are epoch days (common/date.h).
 * Owns:   the exception table and a working-day index over it.
 * Never:  consults the process time zone, logs, exits.
 * Thread: not thread safe while loading; every query is read-only and safe
 *         from any thread once loading is done. */
#ifndef DUBAN_CALENDAR_H
#define DUBAN_CALENDAR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

typedef struct duban_calendar_s duban_calendar_t;

/* NEW calendar holding every embedded holidays-*.json. */
duban_err_t duban_calendar_new(duban_calendar_t **out, char *errbuf, size_t errbuf_size);
/* An empty calendar (plain Monday-Friday weeks), for tests. NEW or NULL. */
duban_calendar_t *duban_calendar_new_empty(void);
void duban_calendar_destroy(duban_calendar_t *cal);

/* Adds one schedule in holiday-cn JSON; `name` only labels errors. */
duban_err_t duban_calendar_load_json(duban_calendar_t *cal, const char *text,
                                     size_t len, const char *name,
                                     char *errbuf, size_t errbuf_size);
/* Adds a user file (same format); errors name the file. */
duban_err_t duban_calendar_load_file(duban_calendar_t *cal, const char *path,
                                     char *errbuf, size_t errbuf_size);
/* Loads each file of a comma-separated list (empty list: nothing). */
duban_err_t duban_calendar_load_files(duban_calendar_t *cal, const char *list,
                                      char *errbuf, size_t errbuf_size);
/* First and last year with a published schedule (0/0 when none). */
void duban_calendar_years(const duban_calendar_t *cal, int *first, int *last);

bool duban_calendar_is_workday(const duban_calendar_t *cal, int32_t date);
/* The first working day >= date, and the last working day <= date. */
int32_t duban_calendar_workday_on_or_after(const duban_calendar_t *cal, int32_t date);
int32_t duban_calendar_workday_on_or_before(const duban_calendar_t *cal, int32_t date);
/* n > 0: the n-th working day after date; n < 0: the |n|-th working day
 * before it; n == 0: date itself. */
int32_t duban_calendar_add_workdays(const duban_calendar_t *cal, int32_t date, int n);
/* Working days in (a, b] when b >= a; minus the working days in (b, a]
 * when b < a. So between(d, next working day) == 1. */
int duban_calendar_workdays_between(const duban_calendar_t *cal, int32_t a, int32_t b);

#endif
