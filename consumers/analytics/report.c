/* consumers/analytics/report.c: the HTML report (report.h). The store is
 * read into three arrays (tasks by task_id, their status changes in time
 * order, departments); each task's standing is replayed day by day up to
 * the report's day (the overdue chart samples it on the way), and the page
 * is built with duban_buf_t. The store is read through duban_store_query,
 * so SQLite and PostgreSQL stores give the same page. Allocation: aborts on
 * out of memory (alloc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alloc.h"
#include "avsc_gen.h"
#include "date.h"
#include "ladder.h"
#include "recurrence.h"
#include "report.h"
#include "utf8.h"

/* A TaskAssigned key as schemas/TaskAssigned.avsc names it, of kind k there:
 * a renamed or retyped field stops this file compiling (avsc.h). */
#define TASK_KEY DUBAN_AVSC_TASK_ASSIGNED_KEY

#define CHART_POINTS 120   /* at most this many samples: every N days */
#define TEXT_MAX 90        /* bytes of a task's text shown in the review list */

typedef struct {
    size_t task;           /* index into tasks */
    size_t seq;            /* read order: ties keep it */
    int64_t at;
    int to;                /* duban_task_status_t */
    int32_t new_due;
} change_t;

typedef struct {
    char *id;
    int kind;              /* duban_deadline_kind_t */
    int32_t due, assigned; /* assigned: the date of its event, NONE if unreadable */
    int64_t assigned_at;
    duban_recurrence_t rec;
    size_t next, end;      /* its changes not yet applied: changes[next..end) */
    int status;            /* its standing after the changes applied */
    int32_t ext_due;
    int64_t requested_at, finished_at;
} rtask_t;

typedef struct {
    char *name;
    long red, yellow, green, on_time, late, coop;
} rdept_t;

typedef struct {
    const duban_report_opts_t *o;
    duban_store_t *st;
    int32_t today;
    rtask_t *tasks;
    size_t ntasks, tcap;
    change_t *changes;
    size_t nchanges, ccap;
    rdept_t *depts;
    size_t ndepts, dcap;
    int32_t days[CHART_POINTS + 2];
    long overdue[CHART_POINTS + 2];
    int npoints, step;
    rdept_t total;         /* every task once */
} report_t;

/* ---- reading the store ---- */

#define ROW_COLS 8         /* the most columns a report query reads */

/* A row's values as text, "" for NULL. */
typedef const char *const *row_t;

static int32_t date_or_none(const char *s)
{
    int32_t d;
    return duban_date_parse(s, &d) == DUBAN_OK ? d : DUBAN_DATE_NONE;
}

static int index_of(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return 0;
}

/* recurrence.{period, month, day} of the task's event (JSON). */
static void read_recurrence(rtask_t *t, const char *event)
{
    static const char *const periods[] = {"", "WEEKLY", "MONTHLY", "QUARTERLY",
                                          "HALF_YEARLY", "YEARLY"};
    json_t *ev = json_loads(event, 0, NULL);
    json_t *rec = json_object_get(ev, TASK_KEY(RECURRENCE, RECORD));
    const char *period =
        json_string_value(json_object_get(rec, TASK_KEY(RECURRENCE__PERIOD, ENUM)));
    t->rec.period = (duban_recur_period_t)index_of(periods, 6, period ? period : "");
    t->rec.month = (int)json_integer_value(json_object_get(rec, TASK_KEY(RECURRENCE__MONTH, INT)));
    t->rec.day = (int)json_integer_value(json_object_get(rec, TASK_KEY(RECURRENCE__DAY, INT)));
    json_decref(ev);
}

static void read_task(void *ctx, row_t s)
{
    report_t *r = ctx;
    static const char *const kinds[] = {"NONE", "DATED", "RECURRING", "OPEN_ENDED"};
    r->tasks = duban_array_xgrow(r->tasks, &r->tcap, r->ntasks + 1, sizeof(rtask_t), 256);
    rtask_t *t = &r->tasks[r->ntasks++];
    memset(t, 0, sizeof(*t));
    t->id = duban_xstrdup(s[0]);
    t->kind = index_of(kinds, 4, s[1]);
    t->due = date_or_none(s[2]);
    t->assigned = DUBAN_DATE_NONE;
    if (duban_instant_parse(s[3], &t->assigned_at) == DUBAN_OK)
        t->assigned = duban_date_of_instant(t->assigned_at);
    read_recurrence(t, s[4]);
    t->ext_due = DUBAN_DATE_NONE;
}

static int by_id(const void *key, const void *elem)
{
    return strcmp(key, ((const rtask_t *)elem)->id);
}

static int by_task_time(const void *a, const void *b)
{
    const change_t *x = a, *y = b;
    if (x->task != y->task)
        return x->task < y->task ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A change of an unknown task, or with an unreadable status or time, is
 * left out (the store keeps what the topics held; the report shows tasks). */
static void read_change(void *ctx, row_t s)
{
    report_t *r = ctx;
    duban_task_status_t to;
    int64_t at;
    const rtask_t *t = bsearch(s[0], r->tasks, r->ntasks, sizeof(rtask_t), by_id);
    if (!t || duban_task_status_from_name(s[1], &to) ||
        duban_instant_parse(s[3], &at))
        return;
    r->changes = duban_array_xgrow(r->changes, &r->ccap, r->nchanges + 1, sizeof(change_t), 256);
    r->changes[r->nchanges] = (change_t){(size_t)(t - r->tasks), r->nchanges, at, (int)to,
                                         date_or_none(s[2])};
    r->nchanges++;
}

typedef struct {
    void (*row)(void *ctx, row_t vals);
    void *ctx;
} reader_t;

static int reader_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    const reader_t *rd = opaque;
    const char *v[ROW_COLS];
    if (!vals)
        return 0;
    for (int i = 0; i < ROW_COLS; i++)
        v[i] = i < n && vals[i] ? vals[i] : "";
    rd->row(rd->ctx, v);
    return 0;
}

/* Calls row(ctx, values) for each row of sql (at most ROW_COLS columns). */
static duban_err_t read_rows(duban_store_t *st, const char *sql, void (*row)(void *, row_t),
                             void *ctx, char *errbuf, size_t size)
{
    reader_t rd = {row, ctx};
    char why[400];
    duban_err_t err = duban_store_query(st, sql, reader_row, &rd, why, sizeof(why));
    return err ? duban_seterr(errbuf, size, err, "report: %s", why) : DUBAN_OK;
}

static duban_err_t read_store(report_t *r, char *errbuf, size_t size)
{
    duban_err_t err = read_rows(r->st, "SELECT task_id, deadline_kind, due_date, occurred_at,"
                                       " event FROM tasks ORDER BY task_id",
                                read_task, r, errbuf, size);
    if (!err)
        err = read_rows(r->st, "SELECT task_id, to_status, new_due_date, occurred_at"
                               " FROM task_status", read_change, r, errbuf, size);
    if (err)
        return err;
    if (r->nchanges > 1)
        qsort(r->changes, r->nchanges, sizeof(change_t), by_task_time);
    for (size_t i = r->nchanges; i-- > 0;) {   /* backwards: next ends at the first */
        rtask_t *t = &r->tasks[r->changes[i].task];
        if (!t->end)
            t->end = i + 1;
        t->next = i;
    }
    return DUBAN_OK;
}

/* ---- a task's standing ---- */

static void apply_until(report_t *r, rtask_t *t, int64_t before)
{
    for (; t->next < t->end && r->changes[t->next].at < before; t->next++) {
        const change_t *c = &r->changes[t->next];
        /* an extension counts when later than the task's own (latest)
         * event, as in the store's task_current view */
        if (c->to == DUBAN_STATUS_EXTENDED && c->new_due != DUBAN_DATE_NONE &&
            c->at > t->assigned_at)
            t->ext_due = c->new_due;
        if (c->to == DUBAN_STATUS_COMPLETION_REQUESTED)
            t->requested_at = c->at;
        if (c->to == DUBAN_STATUS_COMPLETED)
            t->finished_at = t->status == DUBAN_STATUS_COMPLETION_REQUESTED && t->requested_at
                                 ? t->requested_at
                                 : c->at;
        t->status = c->to;
    }
}

static bool is_open(const rtask_t *t)
{
    return t->status != DUBAN_STATUS_COMPLETED && t->status != DUBAN_STATUS_CANCELLED;
}

/* The due date that counts on `day` (a recurring task's next occurrence). */
static int32_t due_on(const rtask_t *t, int32_t day)
{
    if (t->ext_due != DUBAN_DATE_NONE)
        return t->ext_due;
    if (t->kind == DUBAN_DEADLINE_DATED)
        return t->due;
    if (t->kind == DUBAN_DEADLINE_RECURRING && t->rec.period != DUBAN_RECUR_NONE)
        return duban_recurrence_next_due(&t->rec, day - 1);
    return DUBAN_DATE_NONE;
}

/* duban_alert_level_t of an open task on `day`; -1 when it is closed. */
static int level_on(const report_t *r, const rtask_t *t, int32_t day)
{
    if (!is_open(t))
        return -1;
    int32_t due = due_on(t, day);
    if (due == DUBAN_DATE_NONE)
        return DUBAN_LEVEL_GREEN;
    int left = duban_calendar_workdays_between(r->o->cal, day, due);
    return left < 0 ? DUBAN_LEVEL_RED
                    : left <= r->o->yellow_days ? DUBAN_LEVEL_YELLOW : DUBAN_LEVEL_GREEN;
}

static bool on_time(const rtask_t *t)
{
    int32_t done = duban_date_of_instant(t->finished_at);
    int32_t due = due_on(t, done);
    return due == DUBAN_DATE_NONE || done <= due;
}

static bool assigned_by(const rtask_t *t, int32_t day)
{
    return t->assigned == DUBAN_DATE_NONE || t->assigned <= day;
}

/* Adds the task to a department's (or the total's) counts. */
static void count(const report_t *r, rdept_t *d, const rtask_t *t, bool lead)
{
    int level = level_on(r, t, r->today);
    if (!lead)
        d->coop += level >= 0;
    else if (level == DUBAN_LEVEL_RED)
        d->red++;
    else if (level == DUBAN_LEVEL_YELLOW)
        d->yellow++;
    else if (level == DUBAN_LEVEL_GREEN)
        d->green++;
    else if (t->status == DUBAN_STATUS_COMPLETED)
        *(on_time(t) ? &d->on_time : &d->late) += 1;
}

/* Samples the open overdue tasks from the first assignment to today (every
 * `step` days, and today), leaving every task at its standing of today. */
static void walk(report_t *r)
{
    int32_t start = r->today;
    for (size_t i = 0; i < r->ntasks; i++)
        if (r->tasks[i].assigned != DUBAN_DATE_NONE && r->tasks[i].assigned < start)
            start = r->tasks[i].assigned;
    r->step = (int)((r->today - start) / CHART_POINTS + 1);
    for (int32_t day = start;; day += r->step) {
        if (day > r->today)
            day = r->today;
        int64_t end = duban_instant_at(day + 1, 0, 0);
        long n = 0;
        for (size_t i = 0; i < r->ntasks; i++) {
            apply_until(r, &r->tasks[i], end);
            n += assigned_by(&r->tasks[i], day) &&
                 level_on(r, &r->tasks[i], day) == DUBAN_LEVEL_RED;
        }
        r->days[r->npoints] = day;
        r->overdue[r->npoints++] = n;
        if (day == r->today)
            break;
    }
    for (size_t i = 0; i < r->ntasks; i++)
        if (assigned_by(&r->tasks[i], r->today))
            count(r, &r->total, &r->tasks[i], true);
}

static void read_department(void *ctx, row_t s)
{
    report_t *r = ctx;
    const char *name = s[0];
    if (!r->ndepts || strcmp(r->depts[r->ndepts - 1].name, name) != 0) {
        r->depts = duban_array_xgrow(r->depts, &r->dcap, r->ndepts + 1, sizeof(rdept_t), 64);
        r->depts[r->ndepts++] = (rdept_t){.name = duban_xstrdup(name)};
    }
    const rtask_t *t = bsearch(s[1], r->tasks, r->ntasks, sizeof(rtask_t), by_id);
    if (t && assigned_by(t, r->today))
        count(r, &r->depts[r->ndepts - 1], t, strcmp(s[2], "lead") == 0);
}

/* The worst first: most red, then yellow, then open; then by name. */
static int by_worst(const void *a, const void *b)
{
    const rdept_t *x = a, *y = b;
    if (x->red != y->red)
        return x->red > y->red ? -1 : 1;
    if (x->yellow != y->yellow)
        return x->yellow > y->yellow ? -1 : 1;
    long ox = x->red + x->yellow + x->green, oy = y->red + y->yellow + y->green;
    if (ox != oy)
        return ox > oy ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* ---- HTML ---- */

static void put(duban_buf_t *b, const char *s)
{
    duban_buf_append(b, s, strlen(s));
}

#define putf duban_buf_appendf   /* short: the page is mostly putf calls */

void duban_report_escape(duban_buf_t *b, const char *s)
{
    for (const char *run = s;; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
        if (!rep && *s)
            continue;
        duban_buf_append(b, run, (size_t)(s - run));
        if (!*s)
            return;
        put(b, rep);
        run = s + 1;
    }
}

static const char *style =
    "body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',"
    "sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222;background:#f7f7f5}"
    "h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;border-left:5px solid #b03a2e;"
    "padding-left:8px;margin:28px 0 10px}.meta,.note{color:#666;font-size:13px}"
    ".cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{background:#fff;"
    "border:1px solid #ddd;border-radius:6px;padding:8px 16px;min-width:110px}"
    ".card b{display:block;font-size:26px}.r{color:#c0392b}.y{color:#b7950b}.g{color:#1e8449}"
    "table{border-collapse:collapse;background:#fff;font-size:13px;width:100%}"
    "th,td{border:1px solid #e3e3e3;padding:3px 8px;text-align:right}th{background:#efefec;white-space:nowrap}"
    ".l{text-align:left}td.rc{background:#fbe3e0}td.yc{background:#fcf3cf}"
    "svg{background:#fff;border:1px solid #e3e3e3}svg text{font-size:12px;fill:#333}";

static void render_head(duban_buf_t *b, const report_t *r)
{
    char day[11];
    put(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
           "<title>督办情况报告</title><style>");
    put(b, style);
    putf(b, "</style></head><body>\n<h1>督办情况报告</h1><p class=\"meta\">统计日：%s · "
         "任务 %zu 项 · 部门 %zu 个 · 黄灯：距期限 0–%d 个工作日</p>\n",
         duban_date_format(r->today, day), r->ntasks, r->ndepts, r->o->yellow_days);
    const rdept_t *t = &r->total;
    long done = t->on_time + t->late;
    putf(b, "<div class=\"cards\"><div class=\"card r\">红灯（逾期）<b>%ld</b></div>"
         "<div class=\"card y\">黄灯（临期）<b>%ld</b></div><div class=\"card g\">绿灯<b>%ld</b>"
         "</div><div class=\"card\">已办结<b>%ld</b></div><div class=\"card\">按时办结率<b>",
         t->red, t->yellow, t->green, done);
    if (done)
        putf(b, "%.1f%%", 100.0 * (double)t->on_time / (double)done);
    else
        put(b, "—");
    put(b, "</b></div></div>\n");
}

/* A department's open tasks as a red/yellow/green bar, scaled to the
 * department with the most. */
static void render_lights(duban_buf_t *b, const rdept_t *d, long most)
{
    const long n[3] = {d->red, d->yellow, d->green};
    static const char *const fill[3] = {"#c0392b", "#f1c40f", "#27ae60"};
    double x = 0;
    put(b, "<svg width=\"160\" height=\"12\" style=\"border:0;background:none\">");
    for (int i = 0; i < 3; i++) {
        double w = most ? 160.0 * (double)n[i] / (double)most : 0;
        if (w > 0)
            putf(b, "<rect x=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", x, w, fill[i]);
        x += w;
    }
    put(b, "</svg>");
}

static void render_board(duban_buf_t *b, const report_t *r)
{
    long most = 0;
    for (size_t i = 0; i < r->ndepts; i++) {
        long open = r->depts[i].red + r->depts[i].yellow + r->depts[i].green;
        most = open > most ? open : most;
    }
    put(b, "<h2>红黄绿灯：各部门牵头任务</h2><table><tr><th class=\"l\">部门</th>"
           "<th>红灯（逾期）</th><th>黄灯（临期）</th><th>绿灯</th><th>在办</th>"
           "<th class=\"l\"></th><th>按时办结</th><th>逾期办结</th><th>配合在办</th></tr>\n");
    for (size_t i = 0; i < r->ndepts; i++) {
        const rdept_t *d = &r->depts[i];
        put(b, "<tr><td class=\"l\">");
        duban_report_escape(b, d->name);
        putf(b, "</td><td%s>%ld</td><td%s>%ld</td><td>%ld</td><td>%ld</td><td class=\"l\">",
             d->red ? " class=\"rc\"" : "", d->red, d->yellow ? " class=\"yc\"" : "", d->yellow,
             d->green, d->red + d->yellow + d->green);
        render_lights(b, d, most);
        putf(b, "</td><td>%ld</td><td>%ld</td><td>%ld</td></tr>\n", d->on_time, d->late, d->coop);
    }
    put(b, "</table>\n");
}

/* 1, 2, 5, 10, 20, ...: the smallest such that 4 steps reach max. */
static long tick_step(long max)
{
    for (long base = 1;; base *= 10)
        for (int m = 1; m <= 5; m += m == 1 ? 1 : 3)
            if (base * m * 4 >= max)
                return base * m;
}

static void render_chart(duban_buf_t *b, const report_t *r)
{
    const double W = 1000, H = 280, L = 50, R = 20, T = 16, B = 36;
    long max = 1;
    for (int i = 0; i < r->npoints; i++)
        max = r->overdue[i] > max ? r->overdue[i] : max;
    long step = tick_step(max), top = step * ((max + step - 1) / step);
    char day[11];
    putf(b, "<h2>逾期未办结任务数走势</h2><p class=\"note\">每 %d 天取样一次，"
         "以当日的期限（含延期）与状态计。</p>\n<svg viewBox=\"0 0 1000 280\" width=\"100%%\" "
         "role=\"img\" aria-label=\"逾期任务数\">", r->step);
    for (long v = 0; v <= top; v += step) {
        double y = T + (H - T - B) * (1 - (double)v / (double)top);
        putf(b, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
             "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%ld</text>",
             L, W - R, y, y, L - 6, y + 4, v);
    }
    double dx = r->npoints > 1 ? (W - L - R) / (r->npoints - 1) : 0;
    put(b, "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"");
    for (int i = 0; i < r->npoints; i++)
        putf(b, "%.1f,%.1f ", L + dx * i,
             T + (H - T - B) * (1 - (double)r->overdue[i] / (double)top));
    put(b, "\"/>");
    int labels = r->npoints < 6 ? r->npoints : 6;
    for (int k = 0; k < labels; k++) {
        int i = labels > 1 ? k * (r->npoints - 1) / (labels - 1) : 0;
        const char *anchor = k == 0 ? "start" : k == labels - 1 ? "end" : "middle";
        putf(b, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"%s\">%s</text>", L + dx * i,
             H - 14, anchor, duban_date_format(r->days[i], day));
    }
    putf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\" style=\"fill:#c0392b\">统计日 %ld 项</text>"
         "</svg>\n", W - R, T + 12, r->overdue[r->npoints - 1]);
}

static int by_rate(const void *a, const void *b)
{
    const rdept_t *x = a, *y = b;
    double rx = (double)x->on_time / (double)(x->on_time + x->late);
    double ry = (double)y->on_time / (double)(y->on_time + y->late);
    if (rx != ry)
        return rx > ry ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void render_rates(duban_buf_t *b, const report_t *r)
{
    rdept_t *done = duban_xmalloc((r->ndepts + 1) * sizeof(rdept_t));
    size_t n = 0;
    for (size_t i = 0; i < r->ndepts; i++)
        if (r->depts[i].on_time + r->depts[i].late)
            done[n++] = r->depts[i];
    qsort(done, n, sizeof(rdept_t), by_rate);
    put(b, "<h2>按时办结率：各部门牵头任务</h2>\n");
    if (!n)
        put(b, "<p class=\"note\">尚无已办结的任务。</p>\n");
    else
        putf(b, "<svg viewBox=\"0 0 1000 %zu\" width=\"100%%\">", n * 24 + 8);
    for (size_t i = 0; i < n; i++) {
        long all = done[i].on_time + done[i].late;
        double rate = (double)done[i].on_time / (double)all;
        double y = 8 + 24.0 * (double)i;
        put(b, "<text x=\"290\" text-anchor=\"end\" ");
        putf(b, "y=\"%.0f\">", y + 13);
        duban_report_escape(b, done[i].name);
        putf(b, "</text><rect x=\"300\" y=\"%.0f\" width=\"560\" height=\"16\" fill=\"#eee\"/>"
             "<rect x=\"300\" y=\"%.0f\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>"
             "<text x=\"868\" y=\"%.0f\">%.1f%%（%ld/%ld）</text>", y, y, 560 * rate,
             rate >= 0.9 ? "#27ae60" : rate >= 0.6 ? "#f1c40f" : "#c0392b", y + 13,
             100 * rate, done[i].on_time, all);
    }
    if (n)
        put(b, "</svg>\n");
    free(done);
}

static const char *review_zh(const char *code)
{
    static const char *const names[][2] = {
        {"NO_LEAD", "未识别出牵头单位"}, {"UNKNOWN_UNIT", "牵头单位不在部门名录"},
        {"DEADLINE_UNPARSED", "期限未能解析"}, {"DEADLINE_AMBIGUOUS", "期限有歧义"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(code, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

/* "NO_LEAD、UNKNOWN_UNIT" as "未识别出牵头单位（NO_LEAD）；…". */
static void put_review(duban_buf_t *b, const char *codes)
{
    while (*codes) {
        const char *sep = strstr(codes, "、");
        size_t len = sep ? (size_t)(sep - codes) : strlen(codes);
        char *code = duban_xstrndup(codes, len);
        const char *zh = review_zh(code);
        if (zh)
            putf(b, "%s（", zh);
        duban_report_escape(b, code);
        put(b, zh ? "）" : "");
        free(code);
        codes += len + (sep ? strlen("、") : 0);
        put(b, *codes ? "；" : "");
    }
}

static void put_cut(duban_buf_t *b, const char *text)
{
    size_t len = strlen(text), cut = duban_utf8_cut(text, len, TEXT_MAX);
    char *head = duban_xstrndup(text, cut);
    duban_report_escape(b, head);
    put(b, cut < len ? "…" : "");
    free(head);
}

typedef struct {
    duban_buf_t *b;
    long n;
} review_list_t;

static void review_row(void *ctx, row_t s)
{
    review_list_t *l = ctx;
    duban_buf_t *b = l->b;
    l->n++;
    put(b, "<tr><td class=\"l\">");
    duban_report_escape(b, s[0]);
    put(b, "</td><td class=\"l\">");
    put_review(b, s[1]);
    put(b, "</td><td class=\"l\">");
    duban_report_escape(b, *s[2] ? s[2] : "—");
    put(b, "</td><td class=\"l\">");
    duban_report_escape(b, s[3]);
    put(b, "</td><td class=\"l\">");
    put_cut(b, s[4]);
    put(b, "</td></tr>\n");
}

static duban_err_t render_review(duban_buf_t *b, report_t *r, char *errbuf, size_t size)
{
    review_list_t l = {b, 0};
    put(b, "<h2>待复核任务（抽取时标记）</h2><table><tr><th class=\"l\">任务</th>"
           "<th class=\"l\">复核原因</th><th class=\"l\">牵头部门</th><th class=\"l\">期限</th>"
           "<th class=\"l\">任务内容</th></tr>\n");
    duban_err_t err = read_rows(r->st, "SELECT task_id, review, lead_departments, deadline_text,"
                                       " text FROM tasks WHERE review <> '' ORDER BY task_id",
                                review_row, &l, errbuf, size);
    if (!err)
        putf(b, "</table><p class=\"note\">共 %ld 项。</p>\n", l.n);
    return err;
}

static void render_notes(duban_buf_t *b, const report_t *r)
{
    putf(b, "<h2>口径说明</h2><p class=\"note\">红灯：已过期限（按工作日计，含延期后的期限）"
         "仍未办结；黄灯：距期限 0–%d 个工作日；绿灯：其余在办任务（含无固定期限的）。"
         "周期性任务按下一次的期限计。按时办结：办结申请获批的，以申请之日计，不晚于期限。"
         "部门按牵头计，另列配合在办数。由 duban-analytics report 生成。</p>\n</body></html>\n",
         r->o->yellow_days);
}

/* ---- the page ---- */

static void report_free(report_t *r)
{
    for (size_t i = 0; i < r->ntasks; i++)
        free(r->tasks[i].id);
    for (size_t i = 0; i < r->ndepts; i++)
        free(r->depts[i].name);
    free(r->tasks);
    free(r->changes);
    free(r->depts);
}

duban_err_t duban_report_render(duban_store_t *st, const duban_report_opts_t *o,
                                duban_buf_t *out, char *errbuf, size_t size)
{
    report_t r = {.o = o, .st = st, .today = duban_date_of_instant(o->now_ms)};
    duban_err_t err = read_store(&r, errbuf, size);
    if (!err) {
        walk(&r);
        err = read_rows(st, "SELECT department, task_id, role FROM task_departments"
                            " ORDER BY department", read_department, &r, errbuf, size);
    }
    if (!err) {
        if (r.ndepts > 1)
            qsort(r.depts, r.ndepts, sizeof(rdept_t), by_worst);
        render_head(out, &r);
        render_chart(out, &r);
        render_board(out, &r);
        render_rates(out, &r);
        err = render_review(out, &r, errbuf, size);
    }
    if (!err)
        render_notes(out, &r);
    if (!err && out->err)
        err = duban_seterr(errbuf, size, out->err, "report: %s", duban_err_str(out->err));
    report_free(&r);
    return err;
}
