/* common/core/calendar.c: the working-day calendar. The exceptions to the plain
 * Monday-Friday week are kept sorted by date with a running sum of their
 * effect on the count of working days, so "how many working days come
 * before date d" is arithmetic plus that sum, and every other question (n
 * working days after, working days between, is d a working day) is
 * answered from that count. The sum is kept for every day from the first
 * exception to the last (a few thousand days for the shipped years), so
 * it is one load there; outside that span it is 0 before and the total
 * after; a span too long for the table takes a binary search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alloc.h"
#include "calendar.h"
#include "date.h"
#include "embedded.h"

typedef struct {
    int32_t date;
    bool off;        /* holiday (true) or make-up working day (false) */
    uint32_t seq;    /* load order: a later entry for a date wins */
} cal_day_t;

/* The longest span of exceptions given a table (days): 400 years. */
#define SPAN_MAX ((size_t)146097)

struct duban_calendar_s {
    cal_day_t *days;
    int32_t *before;   /* before[i]: sum of deltas of days[0..i-1] */
    int32_t *span;     /* span[k]: sum of deltas of the days before span_first + k */
    int32_t span_first;
    size_t span_len;
    int32_t *work_at;  /* work_at[j]: the working day of the span whose index is
                          work_base + j */
    int64_t work_base;
    size_t work_count;
    size_t count, cap;
    uint32_t seq;
    int first_year, last_year;
};

/* ---- construction ---- */

duban_calendar_t *duban_calendar_new_empty(void)
{
    return calloc(1, sizeof(duban_calendar_t));
}

void duban_calendar_destroy(duban_calendar_t *cal)
{
    if (!cal)
        return;
    free(cal->days);
    free(cal->before);
    free(cal->span);
    free(cal->work_at);
    free(cal);
}

static bool is_weekend(int32_t date)
{
    return duban_date_weekday(date) >= 6;
}

/* How an exception changes the count of working days against Mon-Fri. */
static int day_delta(const cal_day_t *d)
{
    if (d->off)
        return is_weekend(d->date) ? 0 : -1;
    return is_weekend(d->date) ? 1 : 0;
}

static int cmp_day(const void *a, const void *b)
{
    const cal_day_t *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int64_t workday_index(const duban_calendar_t *cal, int32_t date);

/* work_at[]: the span's working days in order, so that the date n working
 * days away is one load (first_with_index). */
static duban_err_t rebuild_work_at(duban_calendar_t *cal)
{
    int32_t first = cal->span_first, end = first + (int32_t)cal->span_len;
    cal->work_base = workday_index(cal, first);
    cal->work_count = (size_t)(workday_index(cal, end) - cal->work_base);
    cal->work_at = malloc((cal->work_count ? cal->work_count : 1) * sizeof(int32_t));
    if (!cal->work_at)
        return DUBAN_E_NOMEM;
    size_t j = 0;
    for (int32_t d = first; d < end; d++)
        if (workday_index(cal, d + 1) > workday_index(cal, d))
            cal->work_at[j++] = d;
    return DUBAN_OK;
}

/* span[] over [days[0].date, days[count - 1].date] (none when there is no
 * exception or the span is longer than SPAN_MAX), and work_at[] over it. */
static duban_err_t rebuild_span(duban_calendar_t *cal)
{
    free(cal->span);
    free(cal->work_at);
    cal->span = NULL;
    cal->work_at = NULL;
    cal->span_len = cal->work_count = 0;
    size_t n = cal->count;
    if (n == 0)
        return DUBAN_OK;
    int32_t first = cal->days[0].date;
    size_t len = (size_t)((int64_t)cal->days[n - 1].date - first) + 1;
    if (len > SPAN_MAX)
        return DUBAN_OK;
    int32_t *span = malloc(len * sizeof(*span));
    if (!span)
        return DUBAN_E_NOMEM;
    size_t i = 0;
    for (size_t k = 0; k < len; k++) {
        while (i < n && cal->days[i].date < first + (int32_t)k)
            i++;
        span[k] = cal->before[i];
    }
    cal->span = span;
    cal->span_first = first;
    cal->span_len = len;
    return rebuild_work_at(cal);
}

static duban_err_t rebuild_index(duban_calendar_t *cal)
{
    qsort(cal->days, cal->count, sizeof(cal_day_t), cmp_day);
    size_t n = 0;
    for (size_t i = 0; i < cal->count; i++) {
        if (n > 0 && cal->days[n - 1].date == cal->days[i].date)
            n--;   /* the later entry replaces the earlier one */
        cal->days[n++] = cal->days[i];
    }
    cal->count = n;
    int32_t *before = realloc(cal->before, (n + 1) * sizeof(int32_t));
    if (!before)
        return DUBAN_E_NOMEM;
    cal->before = before;
    before[0] = 0;
    for (size_t i = 0; i < n; i++)
        before[i + 1] = before[i] + day_delta(&cal->days[i]);
    return rebuild_span(cal);
}

static duban_err_t push_day(duban_calendar_t *cal, int32_t date, bool off)
{
    cal_day_t *days = duban_array_grow(cal->days, &cal->cap, cal->count + 1, sizeof(*days), 256);
    if (!days)
        return DUBAN_E_NOMEM;
    cal->days = days;
    cal->days[cal->count++] = (cal_day_t){date, off, cal->seq++};
    return DUBAN_OK;
}

static duban_err_t load_days(duban_calendar_t *cal, json_t *days, const char *name,
                             char *errbuf, size_t errbuf_size)
{
    size_t i;
    json_t *day;
    json_array_foreach(days, i, day) {
        const char *ds = json_string_value(json_object_get(day, "date"));
        json_t *off = json_object_get(day, "isOffDay");
        int32_t date;
        if (!ds || duban_date_parse(ds, &date) != DUBAN_OK || !json_is_boolean(off))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                                "%s: days[%zu]: need \"date\": \"YYYY-MM-DD\" and "
                                "\"isOffDay\": true|false", name, i);
        if (push_day(cal, date, json_is_true(off)) != DUBAN_OK)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory",
                                name);
    }
    return DUBAN_OK;
}

static void note_year(duban_calendar_t *cal, int year)
{
    if (!cal->first_year || year < cal->first_year)
        cal->first_year = year;
    if (year > cal->last_year)
        cal->last_year = year;
}

duban_err_t duban_calendar_load_json(duban_calendar_t *cal, const char *text,
                                     size_t len, const char *name,
                                     char *errbuf, size_t errbuf_size)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, 0, &jerr);
    if (!root)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "%s:%d: %s", name,
                            jerr.line, jerr.text);
    json_t *days = json_object_get(root, "days");
    json_int_t year = json_integer_value(json_object_get(root, "year"));
    duban_err_t err = DUBAN_OK;
    if (!json_is_array(days) || year < 1900 || year > 2200)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                           "%s: need \"year\" and a \"days\" array", name);
    else
        err = load_days(cal, days, name, errbuf, errbuf_size);
    if (err == DUBAN_OK && json_array_size(days) > 0)
        note_year(cal, (int)year);
    json_decref(root);
    if (err == DUBAN_OK && rebuild_index(cal) != DUBAN_OK)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", name);
    return err;
}

duban_err_t duban_calendar_load_file(duban_calendar_t *cal, const char *path,
                                     char *errbuf, size_t errbuf_size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: cannot open", path);
    char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof(buf), f);
    bool too_big = len == sizeof(buf);
    fclose(f);
    if (too_big)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                            "%s: larger than %zu bytes", path, sizeof(buf) - 1);
    return duban_calendar_load_json(cal, buf, len, path, errbuf, errbuf_size);
}

duban_err_t duban_calendar_load_files(duban_calendar_t *cal, const char *list,
                                      char *errbuf, size_t errbuf_size)
{
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n > 0) {
            char path[1024];
            if (n >= sizeof(path))
                return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                                    "calendar file name too long");
            memcpy(path, p, n);
            path[n] = '\0';
            duban_err_t err = duban_calendar_load_file(cal, path, errbuf, errbuf_size);
            if (err != DUBAN_OK)
                return err;
        }
        p += n + (p[n] == ',');
    }
    return DUBAN_OK;
}

duban_err_t duban_calendar_new(duban_calendar_t **out, char *errbuf, size_t errbuf_size)
{
    duban_calendar_t *cal = duban_calendar_new_empty();
    if (!cal)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    for (const duban_embedded_file_t *f = duban_embedded_files; f->name; f++) {
        if (strncmp(f->name, "holidays-", 9) != 0)
            continue;
        duban_err_t err = duban_calendar_load_json(cal, f->data, f->len, f->name,
                                                   errbuf, errbuf_size);
        if (err != DUBAN_OK) {
            duban_calendar_destroy(cal);
            return err;
        }
    }
    *out = cal;
    return DUBAN_OK;
}

void duban_calendar_years(const duban_calendar_t *cal, int *first, int *last)
{
    *first = cal->first_year;
    *last = cal->last_year;
}

/* ---- queries ---- */

/* Index of the first exception with date >= d. */
static size_t lower_bound(const duban_calendar_t *cal, int32_t d)
{
    size_t lo = 0, hi = cal->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].date < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The sum of the deltas of the exceptions before `date`. */
static int64_t deltas_before(const duban_calendar_t *cal, int32_t date)
{
    if (cal->span) {
        if (date < cal->span_first)
            return 0;
        uint64_t k = (uint64_t)((int64_t)date - cal->span_first);
        return k < cal->span_len ? cal->span[k] : cal->before[cal->count];
    }
    return cal->before ? cal->before[lower_bound(cal, date)] : 0;
}

bool duban_calendar_is_workday(const duban_calendar_t *cal, int32_t date)
{
    /* a working day adds one to the count: the plain week's, changed by its
     * exception's delta when it has one */
    if (cal->span && date > INT32_MIN && date < INT32_MAX)
        return workday_index(cal, date + 1) - workday_index(cal, date) == 1;
    size_t i = lower_bound(cal, date);
    if (i < cal->count && cal->days[i].date == date)
        return !cal->days[i].off;
    return !is_weekend(date);
}

/* Working days before `date`, counted from an arbitrary origin (monotonic,
 * rises by one after each working day). */
static int64_t workday_index(const duban_calendar_t *cal, int32_t date)
{
    int64_t x = (int64_t)date - 4;           /* 1970-01-05 was a Monday */
    int64_t weeks = x >= 0 ? x / 7 : -((-x + 6) / 7);
    int64_t r = x - weeks * 7;
    int64_t plain = weeks * 5 + (r < 5 ? r : 5);
    return plain + deltas_before(cal, date);
}

/* The smallest y with workday_index(y) >= target: the day after the
 * working day whose index is target - 1 (the index rises by one after each
 * working day, so there is one), from work_at[] when the span holds it. */
static int32_t first_with_index(const duban_calendar_t *cal, int64_t target, int32_t near)
{
    uint64_t j = (uint64_t)(target - 1 - cal->work_base);
    if (cal->work_at && target - 1 >= cal->work_base && j < cal->work_count)
        return cal->work_at[j] + 1;
    int64_t span = 64;
    int64_t lo = near - span, hi = near + span;
    while (workday_index(cal, (int32_t)lo) >= target)
        lo -= (span *= 2);
    while (workday_index(cal, (int32_t)hi) < target)
        hi += (span *= 2);
    while (lo + 1 < hi) {  /* invariant: index(lo) < target <= index(hi) */
        int64_t mid = lo + (hi - lo) / 2;
        if (workday_index(cal, (int32_t)mid) >= target)
            hi = mid;
        else
            lo = mid;
    }
    return (int32_t)hi;
}

int32_t duban_calendar_add_workdays(const duban_calendar_t *cal, int32_t date, int n)
{
    if (n == 0)
        return date;
    int32_t near = date + (int32_t)n * 7 / 5;
    if (n > 0)  /* x: n working days in (date, x], x working */
        return first_with_index(cal, workday_index(cal, date + 1) + n, near) - 1;
    /* x: -n working days in [x, date), x working */
    return first_with_index(cal, workday_index(cal, date) + n + 1, near) - 1;
}

int32_t duban_calendar_workday_on_or_after(const duban_calendar_t *cal, int32_t date)
{
    return duban_calendar_is_workday(cal, date) ? date
                                                : duban_calendar_add_workdays(cal, date, 1);
}

int32_t duban_calendar_workday_on_or_before(const duban_calendar_t *cal, int32_t date)
{
    return duban_calendar_is_workday(cal, date) ? date
                                                : duban_calendar_add_workdays(cal, date, -1);
}

int duban_calendar_workdays_between(const duban_calendar_t *cal, int32_t a, int32_t b)
{
    return (int)(workday_index(cal, b + 1) - workday_index(cal, a + 1));
}
