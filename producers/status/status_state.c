/* producers/status/status_state.c: the task table of duban-status. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "date.h"
#include "recurrence.h"
#include "status_flow.h"
#include "status_intake.h"
#include "status_map.h"
#include "status_state.h"
#include "utf8.h"

/* A TaskAssigned key as schemas/TaskAssigned.avsc names it, of kind k there,
 * for reading a task's definition (t->def): a renamed or retyped field stops
 * this file compiling (avsc.h). The answers' own members stay spelled here,
 * also where set_copy() copies a definition member under its name. */
#define TASK_KEY DUBAN_AVSC_TASK_ASSIGNED_KEY

#define SUMMARY_TEXT_MAX 300   /* bytes of the task's text in lists */

typedef struct {
    char *task_id;
    json_t *def;            /* latest TaskAssigned (owned, never modified) */
    char *base_sha;         /* content a correction replaced, or NULL */
    duban_task_status_t status;
    int32_t extended_due;   /* the last EXTENDED's date, DUBAN_DATE_NONE */
    int64_t assigned_at, last_at;
    int64_t requested_at;   /* the latest completion request, 0: none */
    int64_t finished_at;    /* closed as COMPLETED: when the work was done */
    json_t *history;        /* array (owned) */
    uint64_t version;       /* moves with every change applied */
    char *text;             /* the GET answer, rendered for text_version on text_day */
    uint64_t text_version;
    int32_t text_day;
    size_t index;           /* in arrival order */
} task_t;

#define TEXT_LOCKS 64

struct status_state_s {
    pthread_rwlock_t lock;
    const duban_calendar_t *cal;
    int yellow_days;
    task_t **tasks;          /* arrival order */
    size_t ntasks, cap;
    status_map_t by_id;             /* task_id -> task_t* */
    status_map_t parked;            /* task_id -> json array of status events */
    size_t nparked;
    status_state_stats_t stats;
    pthread_mutex_t text_mu[TEXT_LOCKS];   /* guard the rendered answers (by task index) */
};

static void decref_val(void *v)
{
    json_decref(v);
}

/* ---- life ---- */

status_state_t *status_state_new(const duban_calendar_t *cal, int yellow_days)
{
    status_state_t *st = duban_xcalloc(1, sizeof(*st));
    pthread_rwlock_init(&st->lock, NULL);
    for (int i = 0; i < TEXT_LOCKS; i++)
        pthread_mutex_init(&st->text_mu[i], NULL);
    st->cal = cal;
    st->yellow_days = yellow_days;
    return st;
}

void status_state_destroy(status_state_t *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->ntasks; i++) {
        task_t *t = st->tasks[i];
        free(t->task_id);
        free(t->base_sha);
        json_decref(t->def);
        json_decref(t->history);
        free(t->text);
        free(t);
    }
    for (int i = 0; i < TEXT_LOCKS; i++)
        pthread_mutex_destroy(&st->text_mu[i]);
    free(st->tasks);
    status_map_free(&st->by_id, NULL);
    status_map_free(&st->parked, decref_val);
    pthread_rwlock_destroy(&st->lock);
    free(st);
}

/* ---- reading events ---- */

static const char *str_of(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static int64_t instant_of(const json_t *o, const char *name)
{
    const json_t *v = json_object_get(o, name);
    int64_t at = 0;
    if (json_is_integer(v))
        return json_integer_value(v);
    if (!json_is_string(v) || duban_instant_parse(json_string_value(v), &at) != DUBAN_OK)
        return INT64_MIN;
    return at;
}

static int32_t date_of(const json_t *o, const char *name)
{
    int32_t d = DUBAN_DATE_NONE;
    const char *s = str_of(o, name);
    if (!s || duban_date_parse(s, &d) != DUBAN_OK)
        return DUBAN_DATE_NONE;
    return d;
}

static bool list_has(const json_t *list, const char *name)
{
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
        if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
            return true;
    return false;
}

static unsigned roles_of(const task_t *t, const char *department)
{
    unsigned roles = 0;
    if (!department)
        return 0;
    if (list_has(json_object_get(t->def, TASK_KEY(LEAD_DEPARTMENTS, STRINGS)), department))
        roles |= STATUS_ROLE_LEAD;
    if (list_has(json_object_get(t->def, TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS)), department))
        roles |= STATUS_ROLE_COOPERATING;
    return roles;
}

/* ---- the effective deadline ---- */

static duban_deadline_kind_t kind_of(const json_t *def)
{
    const char *k = str_of(def, TASK_KEY(DEADLINE_KIND, ENUM));
    if (!k)
        return DUBAN_DEADLINE_NONE;
    if (!strcmp(k, "DATED"))
        return DUBAN_DEADLINE_DATED;
    if (!strcmp(k, "RECURRING"))
        return DUBAN_DEADLINE_RECURRING;
    if (!strcmp(k, "OPEN_ENDED"))
        return DUBAN_DEADLINE_OPEN_ENDED;
    return DUBAN_DEADLINE_NONE;
}

static bool recurrence_of(const json_t *def, duban_recurrence_t *r)
{
    static const char *const periods[] = {"", "WEEKLY", "MONTHLY", "QUARTERLY",
                                          "HALF_YEARLY", "YEARLY"};
    const json_t *rj = json_object_get(def, TASK_KEY(RECURRENCE, RECORD));
    const char *p = str_of(rj, TASK_KEY(RECURRENCE__PERIOD, ENUM));
    memset(r, 0, sizeof(*r));
    for (int i = 1; p && i < 6; i++)
        if (!strcmp(p, periods[i]))
            r->period = (duban_recur_period_t)i;
    r->month = (int)json_integer_value(json_object_get(rj, TASK_KEY(RECURRENCE__MONTH, INT)));
    r->day = (int)json_integer_value(json_object_get(rj, TASK_KEY(RECURRENCE__DAY, INT)));
    return r->period != DUBAN_RECUR_NONE && r->month >= 0 && r->month <= 12 && r->day >= 0 &&
           r->day <= 31;
}

/* The due date that counts on `day` (the next occurrence's for a recurring
 * task), DUBAN_DATE_NONE when the task has none. */
static int32_t due_on(const task_t *t, int32_t day)
{
    if (t->extended_due != DUBAN_DATE_NONE)
        return t->extended_due;
    duban_recurrence_t r;
    switch (kind_of(t->def)) {
    case DUBAN_DEADLINE_DATED:
        return date_of(t->def, TASK_KEY(DUE_DATE, DATE));
    case DUBAN_DEADLINE_RECURRING:
        return recurrence_of(t->def, &r) ? duban_recurrence_next_due(&r, day - 1)
                                         : DUBAN_DATE_NONE;
    default:
        return DUBAN_DATE_NONE;
    }
}

typedef struct {
    int32_t due;            /* DUBAN_DATE_NONE */
    bool has_days;
    int days_left;
    int level;              /* duban_alert_level_t, -1: none (closed) */
    bool open, on_time;
} standing_t;

static void standing_of(const status_state_t *st, const task_t *t, int32_t today,
                        standing_t *s)
{
    memset(s, 0, sizeof(*s));
    s->open = status_flow_is_open(t->status);
    s->level = -1;
    if (!s->open && t->status == DUBAN_STATUS_COMPLETED) {
        int32_t done = duban_date_of_instant(t->finished_at);
        s->due = due_on(t, done);
        s->on_time = s->due == DUBAN_DATE_NONE || done <= s->due;
        return;
    }
    s->due = due_on(t, today);
    if (!s->open)
        return;
    s->level = DUBAN_LEVEL_GREEN;
    if (s->due == DUBAN_DATE_NONE)
        return;
    s->has_days = true;
    s->days_left = duban_calendar_workdays_between(st->cal, today, s->due);
    s->level = s->days_left < 0                 ? DUBAN_LEVEL_RED
               : s->days_left <= st->yellow_days ? DUBAN_LEVEL_YELLOW
                                                 : DUBAN_LEVEL_GREEN;
}

/* ---- applying ---- */

static task_t *find(const status_state_t *st, const char *task_id)
{
    return task_id ? status_map_get(&st->by_id, task_id) : NULL;
}

static json_t *instant_json(int64_t at)
{
    char buf[32];
    return json_string(duban_instant_format(at, buf));
}

/* Appends a copy of h (NEW, consumed) to the task's history: the store's
 * own objects, never the caller's. */
static void history_add(task_t *t, json_t *h)
{
    t->version++;   /* every change leaves history: a rendered answer is stale */
    json_t *copy = h ? json_deep_copy(h) : NULL;
    json_decref(h);
    if (!copy || json_array_append_new(t->history, copy))
        duban_oom(0);
}

static void apply_status_to(task_t *t, const json_t *ev, int64_t at)
{
    const char *to_name = str_of(ev, STATUS_KEY(TO_STATUS, ENUM));
    duban_task_status_t to = DUBAN_STATUS_IN_PROGRESS;   /* the schema's default */
    duban_task_status_from_name(to_name, &to);
    duban_task_status_t from = t->status;
    if (to == DUBAN_STATUS_EXTENDED) {
        int32_t due = date_of(ev, STATUS_KEY(NEW_DUE_DATE, DATE));
        if (due != DUBAN_DATE_NONE)
            t->extended_due = due;
    }
    if (to == DUBAN_STATUS_COMPLETION_REQUESTED)
        t->requested_at = at;
    if (to == DUBAN_STATUS_COMPLETED)
        t->finished_at = from == DUBAN_STATUS_COMPLETION_REQUESTED && t->requested_at
                             ? t->requested_at
                             : at;
    t->status = to;
    if (at > t->last_at)
        t->last_at = at;
    json_t *h = json_pack("{s:s, s:o, s:O?, s:s, s:O?, s:O?, s:O?, s:O?}", "type", "status",
                          "at", instant_json(at),
                          "from_status", json_object_get(ev, STATUS_KEY(FROM_STATUS, ENUM)),
                          "to_status", to_name ? to_name : "IN_PROGRESS",
                          "new_due_date", json_object_get(ev, STATUS_KEY(NEW_DUE_DATE, DATE)),
                          "actor", json_object_get(ev, STATUS_KEY(ACTOR, STRING)),
                          "comment", json_object_get(ev, STATUS_KEY(COMMENT, STRING)),
                          "event_id", json_object_get(ev, STATUS_KEY(EVENT_ID, STRING)));
    history_add(t, h);
}

/* The task_id and occurred_at every task event needs. */
static duban_err_t read_head(const json_t *ev, const char *type, const char **id, int64_t *at,
                             char *errbuf, size_t size)
{
    *id = str_of(ev, "task_id");
    *at = instant_of(ev, "occurred_at");
    if (!*id || !**id)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "%s.task_id: missing", type);
    if (*at == INT64_MIN)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "%s.occurred_at: not an instant", type);
    return DUBAN_OK;
}

static duban_err_t apply_status(status_state_t *st, const json_t *ev, char *errbuf,
                                size_t size)
{
    const char *id;
    int64_t at;
    duban_err_t err = read_head(ev, "TaskStatusChanged", &id, &at, errbuf, size);
    if (err)
        return err;
    task_t *t = find(st, id);
    if (!t) {   /* its task has not been read yet: park it, in order */
        json_t *list = status_map_get(&st->parked, id);
        if (!list) {
            list = json_array();
            if (!list)
                duban_oom(0);
            status_map_put(&st->parked, id, list);
        }
        json_t *copy = json_deep_copy(ev);
        if (!copy || json_array_append_new(list, copy))
            duban_oom(0);
        st->nparked++;
        return DUBAN_OK;
    }
    apply_status_to(t, ev, at);
    return DUBAN_OK;
}

static bool same_content(const json_t *a, const json_t *b)
{
    const char *x = str_of(a, TASK_KEY(CONTENT_SHA256, STRING));
    const char *y = str_of(b, TASK_KEY(CONTENT_SHA256, STRING));
    return x && y && strcmp(x, y) == 0;
}

static void record_definition(task_t *t, const json_t *ev, int64_t at)
{
    const json_t *corr = json_object_get(ev, TASK_KEY(CORRECTION, RECORD));
    const json_t *event_id = json_object_get(ev, TASK_KEY(EVENT_ID, STRING));
    json_t *h;
    if (json_is_object(corr))
        h = json_pack("{s:s, s:o, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}", "type", "correction",
                      "at", instant_json(at),
                      "author", json_object_get(corr, TASK_KEY(CORRECTION__AUTHOR, STRING)),
                      "reason", json_object_get(corr, TASK_KEY(CORRECTION__REASON, STRING)),
                      "lead_departments",
                      json_object_get(ev, TASK_KEY(LEAD_DEPARTMENTS, STRINGS)),
                      "cooperating_departments",
                      json_object_get(ev, TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS)),
                      "due_date", json_object_get(ev, TASK_KEY(DUE_DATE, DATE)),
                      "event_id", event_id);
    else
        h = json_pack("{s:s, s:o, s:O?}", "type", "redefined", "at", instant_json(at),
                      "event_id", event_id);
    history_add(t, h);
}

/* A known task's new TaskAssigned. */
static void redefine(status_state_t *st, task_t *t, const json_t *ev, int64_t at)
{
    bool corrected = json_is_object(json_object_get(ev, TASK_KEY(CORRECTION, RECORD)));
    const char *sha = str_of(ev, TASK_KEY(CONTENT_SHA256, STRING));
    if (same_content(t->def, ev)) {
        st->stats.unchanged++;
        return;
    }
    if (!corrected && t->base_sha && sha && strcmp(sha, t->base_sha) == 0) {
        st->stats.ignored_reingest++;   /* the gazette again: the correction stands */
        return;
    }
    if (corrected) {
        if (!t->base_sha) {
            const char *old = str_of(t->def, TASK_KEY(CONTENT_SHA256, STRING));
            t->base_sha = old ? duban_xstrdup(old) : NULL;
        }
    } else {
        free(t->base_sha);
        t->base_sha = NULL;
    }
    json_t *copy = json_deep_copy(ev);
    if (!copy)
        duban_oom(0);
    json_decref(t->def);
    t->def = copy;
    t->extended_due = DUBAN_DATE_NONE;
    if (at > t->last_at)
        t->last_at = at;
    record_definition(t, ev, at);
}

static duban_err_t apply_assigned(status_state_t *st, const json_t *ev, char *errbuf,
                                  size_t size)
{
    const char *id;
    int64_t at;
    duban_err_t err = read_head(ev, "TaskAssigned", &id, &at, errbuf, size);
    if (err)
        return err;
    task_t *t = find(st, id);
    if (t) {
        redefine(st, t, ev, at);
        return DUBAN_OK;
    }
    t = duban_xcalloc(1, sizeof(*t));
    t->task_id = duban_xstrdup(id);
    t->def = json_deep_copy(ev);
    t->history = json_array();
    if (!t->def || !t->history)
        duban_oom(0);
    t->status = DUBAN_STATUS_ASSIGNED;
    t->extended_due = DUBAN_DATE_NONE;
    t->assigned_at = t->last_at = at;
    st->tasks = duban_array_xgrow(st->tasks, &st->cap, st->ntasks + 1, sizeof(task_t *), 256);
    t->index = st->ntasks;
    st->tasks[st->ntasks++] = t;
    status_map_put(&st->by_id, id, t);
    if (json_is_object(json_object_get(ev, TASK_KEY(CORRECTION, RECORD))))
        record_definition(t, ev, at);
    json_t *parked = status_map_take(&st->parked, id);
    size_t i;
    json_t *p;
    json_array_foreach(parked, i, p) {
        apply_status_to(t, p, instant_of(p, STATUS_KEY(OCCURRED_AT, TIMESTAMP)));
        st->nparked--;
    }
    json_decref(parked);
    return DUBAN_OK;
}

duban_err_t status_state_apply(status_state_t *st, duban_event_type_t type, const json_t *ev,
                               char *errbuf, size_t errbuf_size)
{
    if (type != DUBAN_EV_TASK_ASSIGNED && type != DUBAN_EV_TASK_STATUS_CHANGED)
        return DUBAN_OK;
    pthread_rwlock_wrlock(&st->lock);
    duban_err_t err = type == DUBAN_EV_TASK_ASSIGNED
                          ? apply_assigned(st, ev, errbuf, errbuf_size)
                          : apply_status(st, ev, errbuf, errbuf_size);
    st->stats.events++;
    pthread_rwlock_unlock(&st->lock);
    return err;
}

/* ---- queries ---- */

duban_err_t status_state_info(status_state_t *st, const char *task_id, const char *department,
                              status_task_info_t *out)
{
    pthread_rwlock_rdlock(&st->lock);
    task_t *t = find(st, task_id);
    if (t) {
        out->status = t->status;
        out->roles = roles_of(t, department);
        out->last_at = t->last_at;
    }
    pthread_rwlock_unlock(&st->lock);
    return t ? DUBAN_OK : DUBAN_E_NOTFOUND;
}

static const char *level_zh(int level)
{
    static const char *const names[] = {"绿", "黄", "红"};
    return level >= 0 && level < 3 ? names[level] : NULL;
}

static void set_copy(json_t *out, const json_t *def, const char *name)
{
    const json_t *v = json_object_get(def, name);
    json_t *c = v ? json_deep_copy(v) : json_null();
    if (!c || json_object_set_new(out, name, c))
        duban_oom(0);
}

static void set_new(json_t *out, const char *name, json_t *v)
{
    if (!v || json_object_set_new(out, name, v))
        duban_oom(0);
}

/* The fields every answer about a task has. */
static json_t *task_head(const status_state_t *st, const task_t *t, int32_t today,
                         standing_t *s)
{
    static const char *const names[DUBAN_STATUS_COUNT] = {
        "ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "EXTENSION_REQUESTED",
        "EXTENDED", "CANCELLED", "REOPENED", "COMPLETION_REQUESTED"};
    char date[11];
    standing_of(st, t, today, s);
    json_t *o = json_object();
    if (!o)
        duban_oom(0);
    set_new(o, "task_id", json_string(t->task_id));
    set_copy(o, t->def, "doc_id");
    set_new(o, "status", json_string(names[t->status]));
    set_new(o, "open", json_boolean(s->open));
    set_new(o, "due_date", s->due == DUBAN_DATE_NONE ? json_null()
                                                    : json_string(duban_date_format(s->due, date)));
    set_new(o, "days_left", s->has_days ? json_integer(s->days_left) : json_null());
    set_new(o, "level", s->level >= 0 ? json_string(duban_alert_level_name(s->level))
                                      : json_null());
    set_new(o, "level_zh", s->level >= 0 ? json_string(level_zh(s->level)) : json_null());
    if (t->status == DUBAN_STATUS_COMPLETED)
        set_new(o, "on_time", json_boolean(s->on_time));
    set_copy(o, t->def, "lead_departments");
    set_copy(o, t->def, "cooperating_departments");
    return o;
}

static json_t *task_full(const status_state_t *st, const task_t *t, int32_t today)
{
    standing_t s;
    json_t *o = task_head(st, t, today, &s);
    if (t->status == DUBAN_STATUS_COMPLETED)
        set_new(o, "finished_at", instant_json(t->finished_at));
    static const char *const copied[] = {"doc_title", "outline_path", "text", "deadline_kind",
                                         "deadline_text", "recurrence", "issuers", "review",
                                         "correction"};
    for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++)
        set_copy(o, t->def, copied[i]);
    /* "due_date" is the one that counts now; this is the definition's */
    const json_t *defined = json_object_get(t->def, TASK_KEY(DUE_DATE, DATE));
    set_new(o, "defined_due_date", defined ? json_deep_copy(defined) : json_null());
    set_new(o, "assigned_at", instant_json(t->assigned_at));
    set_new(o, "updated_at", instant_json(t->last_at));
    json_t *h = json_deep_copy(t->history);
    set_new(o, "history", h);
    return o;
}

char *status_state_task_text(status_state_t *st, const char *task_id, int64_t now_ms)
{
    int32_t today = duban_date_of_instant(now_ms);
    char *out = NULL;
    pthread_rwlock_rdlock(&st->lock);
    task_t *t = find(st, task_id);
    if (t) {
        pthread_mutex_t *mu = &st->text_mu[t->index % TEXT_LOCKS];
        pthread_mutex_lock(mu);
        if (t->text && t->text_version == t->version && t->text_day == today)
            out = duban_xstrdup(t->text);
        pthread_mutex_unlock(mu);
        if (!out) {   /* render it (outside the small lock) and keep it */
            json_t *o = task_full(st, t, today);
            out = json_dumps(o, JSON_COMPACT);
            json_decref(o);
            if (!out)
                duban_oom(0);
            pthread_mutex_lock(mu);
            free(t->text);
            t->text = duban_xstrdup(out);
            t->text_version = t->version;
            t->text_day = today;
            pthread_mutex_unlock(mu);
        }
    }
    pthread_rwlock_unlock(&st->lock);
    return out;
}

json_t *status_state_task_json(status_state_t *st, const char *task_id, int64_t now_ms)
{
    int32_t today = duban_date_of_instant(now_ms);
    pthread_rwlock_rdlock(&st->lock);
    task_t *t = find(st, task_id);
    json_t *o = t ? task_full(st, t, today) : NULL;
    pthread_rwlock_unlock(&st->lock);
    return o;
}

static json_t *task_summary(const status_state_t *st, const task_t *t, int32_t today,
                            standing_t *s)
{
    json_t *o = task_head(st, t, today, s);
    const char *text = str_of(t->def, TASK_KEY(TEXT, STRING));
    if (text)
        set_new(o, "text", json_stringn(text, duban_utf8_cut(text, strlen(text),
                                                             SUMMARY_TEXT_MAX)));
    const json_t *review = json_object_get(t->def, TASK_KEY(REVIEW, STRINGS));
    set_new(o, "review", json_boolean(json_array_size(review) > 0));
    return o;
}

static bool passes(const status_filter_t *f, const task_t *t, const standing_t *s)
{
    if (f->status >= 0 && (int)t->status != f->status)
        return false;
    if (f->open >= 0 && (int)s->open != f->open)
        return false;
    return f->level < 0 || s->level == f->level;
}

/* Sort: due date ascending, no date last, then task_id. */
static int by_due(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    const char *dx = str_of(x, "due_date"), *dy = str_of(y, "due_date");
    int c = !dx ? (dy ? 1 : 0) : !dy ? -1 : strcmp(dx, dy);
    return c ? c : strcmp(str_of(x, "task_id"), str_of(y, "task_id"));
}

static json_t *sorted_array(json_t **items, size_t n)
{
    qsort(items, n, sizeof(json_t *), by_due);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, items[i]))
            duban_oom(0);
    if (!a)
        duban_oom(0);
    return a;
}

json_t *status_state_department_json(status_state_t *st, const char *department,
                                     const status_filter_t *f, int64_t now_ms)
{
    int32_t today = duban_date_of_instant(now_ms);
    unsigned want = f->roles ? f->roles : STATUS_ROLE_LEAD | STATUS_ROLE_COOPERATING;
    pthread_rwlock_rdlock(&st->lock);
    json_t **items = duban_xmalloc((st->ntasks + 1) * sizeof(json_t *));
    size_t n = 0;
    for (size_t i = 0; i < st->ntasks; i++) {
        const task_t *t = st->tasks[i];
        unsigned roles = roles_of(t, department) & want;
        if (!roles)
            continue;
        standing_t s;
        json_t *o = task_summary(st, t, today, &s);
        if (!passes(f, t, &s)) {
            json_decref(o);
            continue;
        }
        set_new(o, "role", json_string(roles & STATUS_ROLE_LEAD ? "lead" : "cooperating"));
        items[n++] = o;
    }
    pthread_rwlock_unlock(&st->lock);
    char date[11];
    json_t *out = json_pack("{s:s, s:s, s:o}", "department", department, "as_of",
                            duban_date_format(today, date), "tasks", sorted_array(items, n));
    free(items);
    if (!out)
        duban_oom(0);
    return out;
}

/* ---- the overview ---- */

typedef struct {
    const char *name;   /* borrowed from a definition, valid under the lock */
    long open, due_soon, overdue, on_time, late, requested;
} row_t;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const row_t *)a)->name, ((const row_t *)b)->name);
}

static row_t *row_for(status_map_t *rows, row_t **arr, size_t *n, size_t *cap, const char *name)
{
    void *v = status_map_get(rows, name);
    if (v)
        return &(*arr)[(size_t)v - 1];
    *arr = duban_array_xgrow(*arr, cap, *n + 1, sizeof(row_t), 32);
    memset(&(*arr)[*n], 0, sizeof(row_t));
    (*arr)[*n].name = name;
    status_map_put(rows, name, (void *)(*n + 1));
    return &(*arr)[(*n)++];
}

static void count_task(row_t *r, const task_t *t, const standing_t *s, int yellow_days)
{
    if (s->open) {
        r->open++;
        r->requested += t->status == DUBAN_STATUS_COMPLETION_REQUESTED;
        if (s->has_days && s->days_left < 0)
            r->overdue++;
        else if (s->has_days && s->days_left <= yellow_days)
            r->due_soon++;
    } else if (t->status == DUBAN_STATUS_COMPLETED) {
        if (s->on_time)
            r->on_time++;
        else
            r->late++;
    }
}

json_t *status_state_overview_json(status_state_t *st, const char *only, int64_t now_ms)
{
    int32_t today = duban_date_of_instant(now_ms);
    status_map_t rows = STATUS_MAP_INIT;
    row_t *arr = NULL;
    size_t n = 0, cap = 0;
    pthread_rwlock_rdlock(&st->lock);
    if (only)
        row_for(&rows, &arr, &n, &cap, only);
    for (size_t i = 0; i < st->ntasks; i++) {
        const task_t *t = st->tasks[i];
        standing_t s;
        standing_of(st, t, today, &s);
        size_t k;
        const json_t *d;
        json_array_foreach(json_object_get(t->def, TASK_KEY(LEAD_DEPARTMENTS, STRINGS)), k, d) {
            const char *name = json_string_value(d);
            if (name && (!only || strcmp(only, name) == 0))
                count_task(row_for(&rows, &arr, &n, &cap, name), t, &s, st->yellow_days);
        }
    }
    if (n > 1)
        qsort(arr, n, sizeof(row_t), by_name);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        json_t *o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "department", arr[i].name,
                              "open", (json_int_t)arr[i].open, "due_soon",
                              (json_int_t)arr[i].due_soon, "overdue", (json_int_t)arr[i].overdue,
                              "done_on_time", (json_int_t)arr[i].on_time, "done_late",
                              (json_int_t)arr[i].late, "completion_requested",
                              (json_int_t)arr[i].requested);
        if (!o || json_array_append_new(list, o))
            duban_oom(0);
    }
    pthread_rwlock_unlock(&st->lock);
    status_map_free(&rows, NULL);
    free(arr);
    char date[11];
    json_t *out = list ? json_pack("{s:s, s:o}", "as_of", duban_date_format(today, date),
                                   "departments", list)
                       : NULL;
    if (!out)
        duban_oom(0);
    return out;
}

json_t *status_state_review_json(status_state_t *st, int64_t now_ms)
{
    int32_t today = duban_date_of_instant(now_ms);
    json_t *list = json_array();
    if (!list)
        duban_oom(0);
    pthread_rwlock_rdlock(&st->lock);
    for (size_t i = 0; i < st->ntasks; i++) {
        const task_t *t = st->tasks[i];
        const json_t *review = json_object_get(t->def, TASK_KEY(REVIEW, STRINGS));
        if (!json_array_size(review))
            continue;
        standing_t s;
        json_t *o = task_summary(st, t, today, &s);
        set_copy(o, t->def, "review");
        set_copy(o, t->def, "deadline_text");
        set_copy(o, t->def, "lead_units");
        set_copy(o, t->def, "cooperating_units");
        if (json_array_append_new(list, o))
            duban_oom(0);
    }
    pthread_rwlock_unlock(&st->lock);
    json_t *out = json_pack("{s:o}", "tasks", list);
    if (!out)
        duban_oom(0);
    return out;
}

json_t *status_state_definition(status_state_t *st, const char *task_id)
{
    pthread_rwlock_rdlock(&st->lock);
    task_t *t = find(st, task_id);
    json_t *copy = t ? json_deep_copy(t->def) : NULL;
    pthread_rwlock_unlock(&st->lock);
    if (t && !copy)
        duban_oom(0);
    return copy;
}

void status_state_stats(status_state_t *st, status_state_stats_t *out)
{
    pthread_rwlock_rdlock(&st->lock);
    *out = st->stats;
    out->tasks = st->ntasks;
    out->parked = st->nparked;
    pthread_rwlock_unlock(&st->lock);
}
