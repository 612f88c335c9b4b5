/* common/alert/ladder.c: alert schedules. Every entry is computed on demand from
 * (due date, ordinal) with the calendar, so a task's state is a few numbers
 * and the schedule needs no storage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "hash.h"
#include "ladder.h"

/* ---- configuration ---- */

void duban_ladder_conf_default(duban_ladder_conf_t *lc)
{
    /* the catalogue's defaults (conf_keys.c): they parse, by unit test */
    (void)duban_ladder_conf_from(NULL, lc, NULL, 0);
}

static int cmp_desc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x < y) - (x > y);
}

static duban_err_t parse_soon_days(const char *s, duban_ladder_conf_t *lc,
                                   char *errbuf, size_t errbuf_size)
{
    int n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 1 || v > 250 || n == DUBAN_LADDER_MAX_SOON ||
            (*end && *end != ','))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "alerter.due.soon.days: want up to %d numbers 1-250 "
                                "separated by ',', got \"%s\"", DUBAN_LADDER_MAX_SOON, s);
        lc->soon_days[n++] = (int)v;
        p = *end ? end + 1 : end;
    }
    qsort(lc->soon_days, (size_t)n, sizeof(int), cmp_desc);
    for (int i = 1; i < n; i++)
        if (lc->soon_days[i] == lc->soon_days[i - 1])
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "alerter.due.soon.days: %d given twice", lc->soon_days[i]);
    lc->soon_count = n;
    return DUBAN_OK;
}

static duban_err_t get_int(const duban_conf_t *conf, const char *key, int lo, int hi,
                           int *out, char *errbuf, size_t errbuf_size)
{
    long v;
    duban_err_t err = duban_conf_int(conf, key, &v, errbuf, errbuf_size);
    if (err != DUBAN_OK)
        return err;
    if (v < lo || v > hi)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s: %ld not in %d..%d",
                            key, v, lo, hi);
    *out = (int)v;
    return DUBAN_OK;
}

static duban_err_t parse_fire_time(const char *s, duban_ladder_conf_t *lc,
                                   char *errbuf, size_t errbuf_size)
{
    int h = -1, m = -1;
    if (strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' &&
        s[1] <= '9' && s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9') {
        h = (s[0] - '0') * 10 + (s[1] - '0');
        m = (s[3] - '0') * 10 + (s[4] - '0');
    }
    if (h < 0 || h > 23)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "alerter.fire.time: want HH:MM, got \"%s\"", s);
    lc->fire_hour = h;
    lc->fire_minute = m;
    return DUBAN_OK;
}

duban_err_t duban_ladder_conf_from(const duban_conf_t *conf, duban_ladder_conf_t *lc,
                                   char *errbuf, size_t errbuf_size)
{
    memset(lc, 0, sizeof(*lc));
    duban_err_t err = parse_soon_days(duban_conf_str(conf, "alerter.due.soon.days"),
                                      lc, errbuf, errbuf_size);
    if (err == DUBAN_OK)
        err = get_int(conf, "alerter.yellow.days", 0, 250, &lc->yellow_days, errbuf,
                      errbuf_size);
    if (err == DUBAN_OK)
        err = get_int(conf, "alerter.escalation.every.days", 0, 250,
                      &lc->escalation_every, errbuf, errbuf_size);
    if (err == DUBAN_OK)
        err = get_int(conf, "alerter.escalation.max", 0, 100000, &lc->escalation_max,
                      errbuf, errbuf_size);
    if (err == DUBAN_OK)
        err = parse_fire_time(duban_conf_str(conf, "alerter.fire.time"), lc,
                              errbuf, errbuf_size);
    return err;
}

/* ---- one ladder ---- */

static int64_t fire_instant(const duban_ladder_conf_t *lc, int32_t date)
{
    return duban_instant_at(date, lc->fire_hour, lc->fire_minute);
}

static duban_alert_level_t level_of(const duban_ladder_conf_t *lc, int days_left)
{
    if (days_left < 0)
        return DUBAN_LEVEL_RED;
    return days_left <= lc->yellow_days ? DUBAN_LEVEL_YELLOW : DUBAN_LEVEL_GREEN;
}

static void fill_entry(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                       duban_alert_kind_t kind, int threshold, int32_t due,
                       int32_t fire_date, duban_alert_entry_t *out)
{
    out->kind = kind;
    out->threshold = threshold;
    out->due_date = due;
    out->fire_date = fire_date;
    out->fire_at = fire_instant(lc, fire_date);
    out->days_left = duban_calendar_workdays_between(cal, fire_date, due);
    out->level = level_of(lc, out->days_left);
}

bool duban_ladder_entry(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                        int32_t due, int ordinal, duban_alert_entry_t *out)
{
    int32_t last_day = duban_calendar_workday_on_or_before(cal, due);
    if (ordinal < 0)
        return false;
    if (ordinal < lc->soon_count) {
        int n = lc->soon_days[ordinal];
        fill_entry(cal, lc, DUBAN_ALERT_DUE_SOON, n, due,
                   duban_calendar_add_workdays(cal, last_day, -n), out);
        return true;
    }
    if (ordinal == lc->soon_count) {
        fill_entry(cal, lc, DUBAN_ALERT_DUE_TODAY, -1, due, last_day, out);
        return true;
    }
    int32_t overdue_day = duban_calendar_workday_on_or_after(cal, due + 1);
    if (ordinal == lc->soon_count + 1) {
        fill_entry(cal, lc, DUBAN_ALERT_OVERDUE, -1, due, overdue_day, out);
        return true;
    }
    int step = ordinal - lc->soon_count - 1;
    if (lc->escalation_every <= 0 || (lc->escalation_max > 0 && step > lc->escalation_max))
        return false;
    fill_entry(cal, lc, DUBAN_ALERT_ESCALATION, step, due,
               duban_calendar_add_workdays(cal, overdue_day, step * lc->escalation_every),
               out);
    return true;
}

bool duban_ladder_first_from(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                             int32_t due, int64_t from, duban_alert_entry_t *out)
{
    int fixed = lc->soon_count + 2;   /* DUE_SOONs, DUE_TODAY, OVERDUE */
    /* The entries come in time order: when OVERDUE is behind `from`, so are
     * the ones before it (a task in its escalations asks this at each). */
    bool behind = duban_ladder_entry(cal, lc, due, fixed - 1, out) && out->fire_at < from;
    for (int i = 0; !behind && i < fixed; i++)
        if (duban_ladder_entry(cal, lc, due, i, out) && out->fire_at >= from)
            return true;
    if (lc->escalation_every <= 0)
        return false;
    /* Jump close to the escalation step that `from` falls in. */
    int32_t overdue_day = duban_calendar_workday_on_or_after(cal, due + 1);
    int passed = duban_calendar_workdays_between(cal, overdue_day, duban_date_of_instant(from));
    int step = passed / lc->escalation_every;
    if (step < 1)
        step = 1;
    for (;; step++) {
        if (!duban_ladder_entry(cal, lc, due, fixed - 1 + step, out))
            return false;
        if (out->fire_at >= from)
            return true;
    }
}

/* ---- recurring occurrences ---- */

static void track_recurrence(const duban_track_t *t, duban_recurrence_t *r)
{
    memset(r, 0, sizeof(*r));
    r->period = (duban_recur_period_t)t->period;
    r->month = t->month;
    r->day = t->day;
}

static int period_days(duban_recur_period_t p)
{
    switch (p) {
    case DUBAN_RECUR_WEEKLY: return 7;
    case DUBAN_RECUR_MONTHLY: return 31;
    case DUBAN_RECUR_QUARTERLY: return 92;
    case DUBAN_RECUR_HALF_YEARLY: return 184;
    default: return 366;
    }
}

/* The last occurrence due strictly before `due` (an occurrence). */
static int32_t occurrence_before(const duban_recurrence_t *r, int32_t due)
{
    int32_t x = due - 2 * period_days(r->period) - 1;
    int32_t prev = DUBAN_DATE_NONE;
    for (int i = 0; i < 8; i++) {
        int32_t n = duban_recurrence_next_due(r, x);
        if (n == DUBAN_DATE_NONE || n >= due)
            break;
        prev = n;
        x = n;
    }
    return prev;
}

/* Day the ladder of occurrence `due` starts: its first entry after the
 * previous occurrence's due date. */
static int32_t occurrence_head(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                               int32_t due, int32_t prev_due)
{
    duban_alert_entry_t e;
    for (int i = 0; duban_ladder_entry(cal, lc, due, i, &e); i++)
        if (prev_due == DUBAN_DATE_NONE || e.fire_date > prev_due)
            return e.fire_date;
    return due;
}

static bool recurring_pending(const duban_track_t *t, const duban_calendar_t *cal,
                              const duban_ladder_conf_t *lc, duban_alert_entry_t *out)
{
    duban_recurrence_t r;
    track_recurrence(t, &r);
    int32_t first = duban_recurrence_next_due(&r, duban_date_of_instant(t->cursor) - 1);
    if (first == DUBAN_DATE_NONE)
        return false;
    int32_t due = occurrence_before(&r, first);
    if (due == DUBAN_DATE_NONE)
        due = first;
    int32_t prev = occurrence_before(&r, due);
    int32_t start = duban_date_of_instant(t->start_at);
    for (int k = 0; k < 4; k++) {
        int32_t next = duban_recurrence_next_due(&r, due);
        if (next == DUBAN_DATE_NONE || next <= due)
            return false;
        int32_t head = occurrence_head(cal, lc, due, prev);
        int32_t next_head = occurrence_head(cal, lc, next, due);
        int64_t from = t->cursor;
        if (from < fire_instant(lc, head))
            from = fire_instant(lc, head);
        if (due >= start && duban_ladder_first_from(cal, lc, due, from, out) &&
            out->fire_date < next_head)
            return true;
        prev = due;
        due = next;
    }
    return false;
}

/* ---- tracks ---- */

static void set_definition(duban_track_t *t, duban_deadline_kind_t kind, int32_t due,
                           const duban_recurrence_t *r)
{
    t->kind = (uint8_t)kind;
    t->due_date = due;
    t->period = t->month = t->day = 0;
    if (kind == DUBAN_DEADLINE_RECURRING && r) {
        t->period = (uint8_t)r->period;
        t->month = (uint8_t)r->month;
        t->day = (uint8_t)r->day;
    }
    if ((kind == DUBAN_DEADLINE_DATED && due == DUBAN_DATE_NONE) ||
        (kind == DUBAN_DEADLINE_RECURRING && t->period == DUBAN_RECUR_NONE))
        t->kind = DUBAN_DEADLINE_NONE;
}

void duban_track_assign(duban_track_t *t, duban_deadline_kind_t kind, int32_t due,
                        const duban_recurrence_t *r, int64_t at)
{
    memset(t, 0, sizeof(*t));
    set_definition(t, kind, due, r);
    t->start_at = at;
    t->cursor = at;
}

void duban_track_redefine(duban_track_t *t, duban_deadline_kind_t kind, int32_t due,
                          const duban_recurrence_t *r)
{
    set_definition(t, kind, due, r);
}

/* Running again from `at`: entries before it are skipped. */
static bool resume_from(duban_track_t *t, int64_t at)
{
    t->stopped = DUBAN_TRACK_RUNNING;
    if (t->cursor < at)
        t->cursor = at;
    return true;
}

bool duban_track_status(duban_track_t *t, duban_task_status_t to, int32_t new_due,
                        int64_t at)
{
    switch (to) {
    case DUBAN_STATUS_COMPLETED:
    case DUBAN_STATUS_CANCELLED:
        if (t->stopped == DUBAN_TRACK_STOPPED)
            return false;
        t->stopped = DUBAN_TRACK_STOPPED;
        return true;
    case DUBAN_STATUS_EXTENDED:
        if (new_due == DUBAN_DATE_NONE)
            return t->stopped == DUBAN_TRACK_PAUSED && resume_from(t, at);
        set_definition(t, DUBAN_DEADLINE_DATED, new_due, NULL);
        t->stopped = DUBAN_TRACK_RUNNING;
        t->start_at = at;
        t->cursor = at;
        return true;
    case DUBAN_STATUS_REOPENED:
        return t->stopped != DUBAN_TRACK_RUNNING && resume_from(t, at);
    case DUBAN_STATUS_COMPLETION_REQUESTED:
        if (t->stopped != DUBAN_TRACK_RUNNING)
            return false;
        t->stopped = DUBAN_TRACK_PAUSED;
        return true;
    default:   /* a pending request is decided (rejected) or overtaken */
        return t->stopped == DUBAN_TRACK_PAUSED && resume_from(t, at);
    }
}

static bool past_due_pending(const duban_track_t *t, const duban_calendar_t *cal,
                             const duban_ladder_conf_t *lc, duban_alert_entry_t *out)
{
    int32_t day = duban_calendar_workday_on_or_after(cal, duban_date_of_instant(t->start_at));
    if (fire_instant(lc, day) < t->start_at)
        day = duban_calendar_add_workdays(cal, day, 1);
    fill_entry(cal, lc, DUBAN_ALERT_PAST_DUE_AT_ISSUE, -1, t->due_date, day, out);
    out->level = DUBAN_LEVEL_RED;
    return out->fire_at >= t->cursor;
}

bool duban_track_pending(const duban_track_t *t, const duban_calendar_t *cal,
                         const duban_ladder_conf_t *lc, duban_alert_entry_t *out)
{
    if (t->stopped)
        return false;
    if (t->kind == DUBAN_DEADLINE_RECURRING)
        return recurring_pending(t, cal, lc, out);
    if (t->kind != DUBAN_DEADLINE_DATED)
        return false;
    if (t->due_date < duban_date_of_instant(t->start_at))
        return past_due_pending(t, cal, lc, out);
    return duban_ladder_first_from(cal, lc, t->due_date, t->cursor, out);
}

void duban_track_done(duban_track_t *t, const duban_alert_entry_t *e)
{
    if (t->cursor <= e->fire_at)
        t->cursor = e->fire_at + 1;
}

/* ---- names and ids ---- */

void duban_alert_id(const char *task_id, duban_alert_kind_t kind, int32_t due,
                    int threshold, char out[static 33])
{
    /* task_id 0x1f kind 0x1f date 0x1f, as snprintf would write it into buf
     * (cut at 1023 bytes), then the threshold */
    char buf[1024], date[11];
    const char *kname = duban_alert_kind_name(kind);
    size_t idlen = strlen(task_id), klen = strlen(kname);
    size_t n = 0, full = idlen + klen + 10 + 3;
    const char *parts[] = {task_id, "\x1f", kname, "\x1f", duban_date_format(due, date), "\x1f"};
    size_t lens[] = {idlen, 1, klen, 1, 10, 1};
    for (size_t i = 0; i < 6 && n < sizeof(buf) - 1; i++) {
        size_t k = lens[i] < sizeof(buf) - 1 - n ? lens[i] : sizeof(buf) - 1 - n;
        memcpy(buf + n, parts[i], k);
        n += k;
    }
    if (full >= sizeof(buf) - 12)
        n = sizeof(buf) - 12;   /* absurdly long ids: hash a prefix */
    if (threshold >= 0) {   /* "%d" */
        char digits[12];
        size_t k = sizeof(digits);
        int t = threshold;
        do
            digits[--k] = (char)('0' + t % 10);
        while ((t /= 10) > 0);
        memcpy(buf + n, digits + k, sizeof(digits) - k);
        n += sizeof(digits) - k;
    }
    char hex[DUBAN_SHA256_HEX_SIZE];
    duban_sha256_hex(buf, (size_t)n, hex);
    memcpy(out, hex, 32);
    out[32] = '\0';
}

const char *duban_alert_kind_name(duban_alert_kind_t kind)
{
    static const char *const names[] = {"DUE_SOON", "DUE_TODAY", "OVERDUE", "ESCALATION",
                                        "PAST_DUE_AT_ISSUE"};
    return (unsigned)kind < 5 ? names[kind] : "?";
}

const char *duban_alert_level_name(duban_alert_level_t level)
{
    static const char *const names[] = {"GREEN", "YELLOW", "RED"};
    return (unsigned)level < 3 ? names[level] : "?";
}

duban_err_t duban_task_status_from_name(const char *name, duban_task_status_t *out)
{
    static const char *const names[DUBAN_STATUS_COUNT] = {
        "ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "EXTENSION_REQUESTED",
        "EXTENDED", "CANCELLED", "REOPENED", "COMPLETION_REQUESTED"};
    for (int i = 0; name && i < DUBAN_STATUS_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (duban_task_status_t)i;
            return DUBAN_OK;
        }
    return DUBAN_E_INVAL;
}
