/* common/core/date.h: calendar dates and instants as duban uses them.
 * A date is an int32 count of days since 1970-01-01 (the Avro `date` logical
 * type); an instant is int64 milliseconds since the epoch, UTC (Avro
 * `timestamp-millis`). Due dates are Asia/Shanghai calendar dates, and China
 * has had no daylight saving since 1991, so local time is always UTC+08:00.
 * Owns:   conversions, parsing and printing (YYYY-MM-DD, ISO-8601 with offset).
 * Never:  consults the process time zone (no localtime/mktime), allocates. */
#ifndef DUBAN_DATE_H
#define DUBAN_DATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define DUBAN_DATE_NONE INT32_MIN          /* "no date" */
#define DUBAN_SHANGHAI_OFFSET_MS (8LL * 3600 * 1000)
#define DUBAN_DAY_MS (86400LL * 1000)

bool duban_date_valid_ymd(int y, int m, int d);
int duban_date_days_in_month(int y, int m);
/* Days since 1970-01-01 of y-m-d (proleptic Gregorian). */
int32_t duban_date_from_ymd(int y, int m, int d);
void duban_date_to_ymd(int32_t date, int *y, int *m, int *d);
/* 1 = Monday ... 7 = Sunday (ISO). */
int duban_date_weekday(int32_t date);

/* "YYYY-MM-DD" -> date. Returns DUBAN_E_PARSE on anything else. */
duban_err_t duban_date_parse(const char *s, int32_t *out);
/* Writes "YYYY-MM-DD" (11 bytes with NUL) into buf. Returns buf. */
char *duban_date_format(int32_t date, char buf[static 11]);

/* The Shanghai calendar date of an instant, and the instant of a Shanghai
 * wall-clock time on a date. */
int32_t duban_date_of_instant(int64_t ms);
int64_t duban_instant_at(int32_t date, int hour, int minute);

/* ISO-8601 with offset: "2023-06-30T09:00:00+08:00", "...Z", fractional
 * seconds allowed; a bare date means 00:00 Shanghai; an all-digit string is
 * epoch milliseconds. An offset beyond ±14:00 (or with minutes > 59) is not
 * one in use anywhere: DUBAN_E_PARSE. */
duban_err_t duban_instant_parse(const char *s, int64_t *out);
/* Writes "2023-06-30T09:00:00+08:00" (".123" before the offset when the
 * milliseconds are not 0). buf must hold 32 bytes. Returns buf. */
char *duban_instant_format(int64_t ms, char buf[static 32]);

/* Instants duban can print: 0001-01-01 to 9999-12-31 (UTC). Decoders
 * reject values outside; formatting clamps to them so that nothing
 * overflows. Dates likewise: DUBAN_DATE_MIN..DUBAN_DATE_MAX days. */
#define DUBAN_INSTANT_MIN (-62135596800000LL)
#define DUBAN_INSTANT_MAX (253402300799999LL)
#define DUBAN_DATE_MIN (-719162)
#define DUBAN_DATE_MAX 2932896
int64_t duban_instant_clamp(int64_t ms);

/* Wall clock, milliseconds since the epoch. */
int64_t duban_now_ms(void);

#endif
