/* common/core/recurrence.c: occurrences of a recurrence rule (recurrence.h),
 * walked period by period over the proleptic Gregorian calendar of date.h. */
#include "date.h"
#include "recurrence.h"

/* Months of a period: 1, 3, 6, 12 (0 for weekly / none). */
static int period_months(duban_recur_period_t p)
{
    switch (p) {
    case DUBAN_RECUR_MONTHLY: return 1;
    case DUBAN_RECUR_QUARTERLY: return 3;
    case DUBAN_RECUR_HALF_YEARLY: return 6;
    case DUBAN_RECUR_YEARLY: return 12;
    default: return 0;
    }
}

/* Day d of month m of year y, clamped to the month's last day (d <= 0 too). */
static int32_t clamped_ymd(int y, int m, int d)
{
    int dim = duban_date_days_in_month(y, m);
    return duban_date_from_ymd(y, m, d <= 0 || d > dim ? dim : d);
}

int32_t duban_recurrence_due_in_period(const duban_recurrence_t *r, int32_t date)
{
    if (!r || date == DUBAN_DATE_NONE)
        return DUBAN_DATE_NONE;
    if (r->period == DUBAN_RECUR_WEEKLY) {
        int wd = duban_date_weekday(date);
        int want = (r->day >= 1 && r->day <= 7) ? r->day : 7;
        return date - (wd - 1) + (want - 1);
    }
    int pm = period_months(r->period);
    if (pm == 0)
        return DUBAN_DATE_NONE;
    int y, m, d;
    duban_date_to_ymd(date, &y, &m, &d);
    int first = (m - 1) / pm * pm + 1;       /* first month of the period */
    int within = (r->month >= 1 && r->month <= pm) ? r->month : pm;
    if (r->period == DUBAN_RECUR_YEARLY)
        within = (r->month >= 1 && r->month <= 12) ? r->month : 12;
    return clamped_ymd(y, first + within - 1, r->day);
}

int32_t duban_recurrence_next_due(const duban_recurrence_t *r, int32_t after)
{
    int32_t d = duban_recurrence_due_in_period(r, after);
    if (d == DUBAN_DATE_NONE || d > after)
        return d;
    if (r->period == DUBAN_RECUR_WEEKLY)
        return d + 7;
    int pm = period_months(r->period), y, m, dd;
    duban_date_to_ymd(after, &y, &m, &dd);
    m = (m - 1) / pm * pm + 1 + pm;          /* first month of the next period */
    if (m > 12) {
        m -= 12;
        y++;
    }
    return duban_recurrence_due_in_period(r, duban_date_from_ymd(y, m, 1));
}
