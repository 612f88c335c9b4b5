/* tests/unit/test_alerter.c: the alerter engine on one real task (长胜
 * 石大党办发〔2022〕68号, 整改时限 2022-12-31): alert content, alert ids
 * already sent, re-ingest with the same and with changed content, events
 * dated after the clock, late alerts after downtime, bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alerter.h"
#include "check.h"
#include "date.h"

#define TASK_ID "石大党办发〔2022〕68号#四.(一).3.(9)"

typedef struct {
    json_t *alerts;   /* array of copies */
} sink_t;

static duban_err_t collect(const json_t *alert, const char *task_id, void *opaque)
{
    sink_t *s = opaque;
    CHECK_STR(task_id, json_string_value(json_object_get(alert, "task_id")));
    json_array_append_new(s->alerts, json_deep_copy(alert));
    return DUBAN_OK;
}

static int64_t I(const char *s)
{
    int64_t v = 0;
    duban_instant_parse(s, &v);
    return v;
}

/* The task as duban-ingest prints it, with a text longer than 200 bytes. */
static json_t *task(const char *at, const char *due, const char *sha)
{
    static const char head[] = "推进落实第三方保洁服务工作", more[] = "，加强城市道路两侧裸土覆盖";
    char text[600];
    size_t n = sizeof(head) - 1;
    memcpy(text, head, n);
    while (n < 500) {
        memcpy(text + n, more, sizeof(more) - 1);
        n += sizeof(more) - 1;
    }
    text[n] = '\0';
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:[s],s:[s,s],s:[s],s:[s,s],s:s,"
                     "s:s,s:s,s:n,s:[],s:s,s:s,s:[s],s:{s:s,s:i,s:i}}",
                     "type", "TaskAssigned", "event_id", "e1", "occurred_at", at,
                     "schema_version", 1, "task_id", TASK_ID, "doc_id", "石大党办发〔2022〕68号",
                     "outline_path", "四.(一).3.(9)", "text", text, "lead_units", "高新区规建局",
                     "cooperating_units", "区工信商务局", "星海镇", "lead_departments",
                     "高新区规建局", "cooperating_departments", "区工业信息化和商务局", "星海镇",
                     "deadline_text", "2022年12月31日", "due_date", due, "deadline_kind",
                     "DATED", "recurrence", "milestones", "content_sha256", sha, "doc_title",
                     "关于印发大武口区长胜片区整治提升专项实施方案的通知", "issuers",
                     "中共大武口区委办公室", "source", "file", "000_55122fd70aed731a.txt",
                     "line", 1973, "offset", 123456);
}

static json_t *status(const char *at, const char *task_id, const char *to, const char *due)
{
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:o,s:s,s:n,s:{s:s,s:i,s:i}}", "type",
                     "TaskStatusChanged", "event_id", "s1", "occurred_at", at,
                     "schema_version", 1, "task_id", task_id, "from_status", "ASSIGNED",
                     "to_status", to, "new_due_date", due ? json_string(due) : json_null(),
                     "actor", "cli:test", "comment", "source", "file", "cli:test", "line", 0,
                     "offset", -1);
}

static duban_alerter_t *engine(const duban_calendar_t *cal, const char *supervisors)
{
    duban_alerter_conf_t ac = {.cal = cal, .late_after_ms = 60000, .supervisors = supervisors};
    duban_ladder_conf_default(&ac.ladder);
    duban_alerter_t *a = NULL;
    char err[256];
    CHECK(duban_alerter_new(&ac, &a, err, sizeof(err)) == DUBAN_OK);
    return a;
}

static duban_err_t apply_new(duban_alerter_t *a, json_t *ev, const char *now, sink_t *s,
                             char *err)
{
    duban_err_t e = duban_alerter_apply(a, ev, I(now), collect, s, err, 256);
    json_decref(ev);
    return e;
}

static const char *field(const json_t *alerts, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(alerts, i), key));
}

static void test_content(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256];
    duban_alerter_t *a = engine(cal, NULL);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
    CHECK(duban_alerter_next_at(a) == I("2022-12-21T09:00:00+08:00"));
    CHECK(duban_alerter_advance(a, I("2023-01-03T09:00:00+08:00"), collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 4);
    CHECK_STR(field(s.alerts, 0, "kind"), "DUE_SOON");
    CHECK_STR(field(s.alerts, 0, "level"), "GREEN");
    CHECK_STR(field(s.alerts, 0, "fire_at"), "2022-12-21T09:00:00+08:00");
    CHECK_STR(field(s.alerts, 0, "occurred_at"), "2022-12-21T09:00:00+08:00");
    CHECK_STR(field(s.alerts, 3, "kind"), "OVERDUE");
    CHECK_STR(field(s.alerts, 3, "fire_at"), "2023-01-03T09:00:00+08:00");
    /* GREEN: lead + cooperating; RED: the issuing office too. */
    CHECK_INT(json_array_size(json_object_get(json_array_get(s.alerts, 0), "departments")), 3);
    json_t *red = json_object_get(json_array_get(s.alerts, 3), "departments");
    CHECK_INT(json_array_size(red), 4);
    CHECK_STR(json_string_value(json_array_get(red, 3)), "中共大武口区委办公室");
    const char *text = field(s.alerts, 0, "task_text");
    CHECK(strlen(text) <= 200 && strlen(text) >= 198);  /* cut on a 3-byte boundary */
    CHECK(strncmp(text, "推进落实第三方保洁服务工作", 12) == 0);
    /* one jump of the clock to Jan 3: the December ones are late, not OVERDUE */
    CHECK(json_is_true(json_object_get(json_array_get(s.alerts, 0), "late")));
    CHECK(json_is_false(json_object_get(json_array_get(s.alerts, 3), "late")));
    CHECK_INT(json_integer_value(json_object_get(
                  json_object_get(json_array_get(s.alerts, 0), "source"), "line")), 1973);
    char id[33];
    duban_alert_id(TASK_ID, DUBAN_ALERT_DUE_SOON, duban_date_from_ymd(2022, 12, 31), 7, id);
    CHECK_STR(field(s.alerts, 0, "alert_id"), id);
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

static void test_sent_and_reingest(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256], id[33];
    duban_alerter_t *a = engine(cal, "区委督查室,区政府督查室");
    duban_alert_id(TASK_ID, DUBAN_ALERT_DUE_SOON, duban_date_from_ymd(2022, 12, 31), 7, id);
    duban_alerter_mark_sent(a, id);   /* read back from duban.alerts.v1 */
    apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
              "2022-11-17T00:00:00+08:00", &s, err);
    /* the same content again changes nothing */
    apply_new(a, task("2022-12-01T00:00:00+08:00", "2022-12-31", "aa"),
              "2022-12-01T00:00:00+08:00", &s, err);
    duban_alerter_stats_t st;
    duban_alerter_stats(a, &st);
    CHECK_INT(st.unchanged, 1);
    CHECK_INT(st.tasks, 1);
    duban_alerter_advance(a, I("2022-12-27T09:00:00+08:00"), collect, &s);
    CHECK_INT(json_array_size(s.alerts), 1);           /* DUE_SOON/7 was sent already */
    CHECK_STR(field(s.alerts, 0, "fire_at"), "2022-12-27T09:00:00+08:00");
    /* changed content: due 2023-01-31 wins */
    apply_new(a, task("2022-12-28T00:00:00+08:00", "2023-01-31", "bb"),
              "2022-12-28T00:00:00+08:00", &s, err);
    duban_alerter_advance(a, I("2023-01-31T09:00:00+08:00"), collect, &s);
    CHECK_INT(json_array_size(s.alerts), 4);
    CHECK_STR(field(s.alerts, 1, "fire_at"), "2023-01-17T09:00:00+08:00");
    CHECK_STR(field(s.alerts, 2, "fire_at"), "2023-01-28T09:00:00+08:00");
    CHECK_STR(field(s.alerts, 3, "kind"), "DUE_TODAY");
    duban_alerter_advance(a, I("2023-02-01T09:00:00+08:00"), collect, &s);
    json_t *sup = json_object_get(json_array_get(s.alerts, 4), "supervisors");
    CHECK_INT(json_array_size(sup), 2);
    CHECK_STR(json_string_value(json_array_get(sup, 1)), "区政府督查室");
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

/* A clock started before the events: they wait for it. After downtime, a
 * backlog still stops the task where its events say, and what is missed
 * fires late. */
static void test_clock(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256];
    duban_alerter_t *a = engine(cal, NULL);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-01T00:00:00+08:00", &s, err) == DUBAN_OK);
    CHECK(apply_new(a, status("2022-12-28T15:00:00+08:00", TASK_ID, "COMPLETED", NULL),
                    "2022-11-01T00:00:00+08:00", &s, err) == DUBAN_OK);
    duban_alerter_stats_t st;
    duban_alerter_stats(a, &st);
    CHECK_INT(st.deferred, 2);
    CHECK_INT(st.tasks, 0);
    duban_alerter_advance(a, I("2023-03-01T09:00:00+08:00"), collect, &s);
    CHECK_INT(json_array_size(s.alerts), 2);   /* DUE_SOON 7 and 3, then completed */
    duban_alerter_destroy(a);
    json_array_clear(s.alerts);

    a = engine(cal, NULL);   /* read only on 2023-01-05 (down since December) */
    apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
              "2023-01-05T12:00:00+08:00", &s, err);
    apply_new(a, status("2022-12-30T15:00:00+08:00", TASK_ID, "COMPLETED", NULL),
              "2023-01-05T12:00:00+08:00", &s, err);
    duban_alerter_advance(a, I("2023-01-05T12:00:00+08:00"), collect, &s);
    CHECK_INT(json_array_size(s.alerts), 3);   /* 7, 3, DUE_TODAY 12-30 09:00; no OVERDUE */
    CHECK_STR(field(s.alerts, 2, "kind"), "DUE_TODAY");
    CHECK(json_is_true(json_object_get(json_array_get(s.alerts, 2), "late")));
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

static void test_bad_input(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256] = "";
    duban_alerter_t *a = engine(cal, NULL);
    CHECK(apply_new(a, status("2022-12-28T15:00:00+08:00", "nope#一", "COMPLETED", NULL),
                    "2023-01-01T00:00:00+08:00", &s, err) == DUBAN_E_NOTFOUND);
    CHECK(strstr(err, "unknown task") != NULL);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-13-01", "aa"),
                    "2023-01-01T00:00:00+08:00", &s, err) == DUBAN_E_PARSE);
    CHECK(strstr(err, "TaskAssigned.due_date") != NULL);
    CHECK(apply_new(a, task("yesterday", "2022-12-31", "aa"), "2023-01-01T00:00:00+08:00",
                    &s, err) == DUBAN_E_PARSE);
    CHECK(strstr(err, "occurred_at") != NULL);
    apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
              "2022-11-17T00:00:00+08:00", &s, err);
    CHECK(apply_new(a, status("2022-12-01T10:00:00+08:00", TASK_ID, "EXTENDED", NULL),
                    "2022-12-01T10:00:00+08:00", &s, err) == DUBAN_E_PARSE);
    CHECK(apply_new(a, status("2022-12-01T10:00:00+08:00", TASK_ID, "DONE", NULL),
                    "2022-12-01T10:00:00+08:00", &s, err) == DUBAN_E_PARSE);
    json_t *doc = json_pack("{s:s}", "type", "DocumentPublished");
    CHECK(apply_new(a, doc, "2022-12-01T10:00:00+08:00", &s, err) == DUBAN_E_INVAL);
    CHECK_INT(json_array_size(s.alerts), 0);
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

/* A supervisor's correction (duban-status) moves the lead department and the
 * due date; the gazette ingested again does not undo it; COMPLETION_REQUESTED
 * pauses the reminders until the rejection. */
static void test_correction_and_pause(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256];
    duban_alerter_t *a = engine(cal, NULL);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
    json_t *fix = task("2022-12-01T10:00:00+08:00", "2023-01-31", "bb");
    json_object_set_new(fix, "lead_departments", json_pack("[s]", "区住房和城乡建设局"));
    json_object_set_new(fix, "correction", json_pack("{s:s, s:s}", "author", "区政府督查室",
                                                     "reason", "牵头单位有误"));
    CHECK(apply_new(a, fix, "2022-12-01T10:00:00+08:00", &s, err) == DUBAN_OK);
    /* the gazette again, with its original content: the correction stands */
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-12-02T10:00:00+08:00", &s, err) == DUBAN_OK);
    /* 7 working days before Jan 31 2023, across the Spring Festival: Jan 17 */
    CHECK(duban_alerter_next_at(a) == I("2023-01-17T09:00:00+08:00"));
    CHECK(duban_alerter_advance(a, I("2023-01-17T09:00:00+08:00"), collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 1);
    CHECK_STR(field(s.alerts, 0, "due_date"), "2023-01-31");
    json_t *depts = json_object_get(json_array_get(s.alerts, 0), "departments");
    CHECK_STR(json_string_value(json_array_get(depts, 0)), "区住房和城乡建设局");
    /* completion requested: nothing while pending; rejected on Feb 6: the ladder resumes */
    CHECK(apply_new(a, status("2023-01-18T10:00:00+08:00", TASK_ID, "COMPLETION_REQUESTED", NULL),
                    "2023-01-18T10:00:00+08:00", &s, err) == DUBAN_OK);
    CHECK(duban_alerter_next_at(a) == INT64_MAX);
    CHECK(duban_alerter_advance(a, I("2023-02-06T09:00:00+08:00"), collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 1);
    CHECK(apply_new(a, status("2023-02-06T10:00:00+08:00", TASK_ID, "IN_PROGRESS", NULL),
                    "2023-02-06T10:00:00+08:00", &s, err) == DUBAN_OK);
    CHECK(duban_alerter_advance(a, I("2023-02-08T09:00:00+08:00"), collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 2);   /* ESCALATION 1, Feb 8 */
    CHECK_STR(field(s.alerts, 1, "kind"), "ESCALATION");
    CHECK_STR(field(s.alerts, 1, "fire_at"), "2023-02-08T09:00:00+08:00");
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

/* A status event that changes nothing (a progress report while the ladder
 * runs) arrives after an alert's instant, before the clock moved there: the
 * alert is fired on the way (flush), and the next one is still due at its
 * own instant, not at the next advance. */
static void test_unchanged_status_after_due_alert(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256], at[40];
    duban_alerter_t *twin = engine(cal, NULL), *a = engine(cal, NULL);
    CHECK(apply_new(twin, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
    int64_t f1 = duban_alerter_next_at(twin);
    CHECK(duban_alerter_advance(twin, f1, collect, &s) == DUBAN_OK);
    int64_t f2 = duban_alerter_next_at(twin);
    CHECK(f1 < f2 && f2 - f1 > 3600000);
    json_array_clear(s.alerts);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
    duban_instant_format(f1 + 1800000, at);   /* half an hour after the first alert */
    CHECK(apply_new(a, status(at, TASK_ID, "IN_PROGRESS", NULL), at, &s, err) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 1);  /* the first, fired on the way */
    CHECK(duban_alerter_next_at(a) == f2);
    CHECK(duban_alerter_advance(a, f1 + 3600000, collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 1);  /* not the second, an hour later */
    CHECK(duban_alerter_advance(a, f2, collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 2);
    duban_alerter_destroy(twin);
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

/* conf.dept: names through it; two names mapped to one are named once;
 * an unmapped name stays as the task names it. */
static bool dept_map(const char *name, char *out, size_t size, void *opaque)
{
    (*(int *)opaque)++;
    const char *to = !strcmp(name, "高新区规建局") ? "区工业信息化和商务局" : NULL;
    if (!to || strlen(to) >= size)
        return false;
    memcpy(out, to, strlen(to) + 1);
    return true;
}

static void test_dept_map(const duban_calendar_t *cal)
{
    sink_t s = {json_array()};
    char err[256];
    int calls = 0;
    duban_alerter_conf_t ac = {.cal = cal, .late_after_ms = 60000, .dept = dept_map,
                               .dept_opaque = &calls};
    duban_ladder_conf_default(&ac.ladder);
    duban_alerter_t *a = NULL;
    CHECK(duban_alerter_new(&ac, &a, err, sizeof(err)) == DUBAN_OK);
    CHECK(apply_new(a, task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                    "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
    CHECK(duban_alerter_advance(a, I("2022-12-21T09:00:00+08:00"), collect, &s) == DUBAN_OK);
    CHECK_INT(json_array_size(s.alerts), 1);
    const json_t *al = json_array_get(s.alerts, 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(al, "lead_departments"), 0)),
              "区工业信息化和商务局");
    CHECK_STR(json_string_value(json_array_get(json_object_get(al, "cooperating_departments"),
                                               1)), "星海镇");
    json_t *all = json_object_get(al, "departments");
    CHECK_INT(json_array_size(all), 2);   /* 区工业信息化和商务局, 星海镇 */
    CHECK_INT(calls, 3);
    duban_alerter_destroy(a);
    json_decref(s.alerts);
}

/* duban_alerter_set_facts: the same alerts as the JSON form, field for
 * field, with supervisors from the settings (one named twice, an empty
 * item) or from the issuers, a department directory, a task that names no
 * department, a pause and a resume. */
typedef struct {
    json_t *alerts;   /* the facts, as {alert_id, task_id, fire_at, ...} */
} facts_sink_t;

static duban_err_t collect_facts(const duban_alert_facts_t *x, void *opaque)
{
    facts_sink_t *s = opaque;
    const duban_alert_entry_t *e = x->entry;
    char fire[32], due[11];
    json_t *depts = json_array();
    const char *d = x->departments.data;
    for (size_t i = 0; i < x->departments.count; d += strlen(d) + 1, i++)
        json_array_append_new(depts, json_string(d));
    json_array_append_new(
        s->alerts,
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:b,s:o}", "alert_id", x->alert_id,
                  "task_id", x->task_id, "fire_at", duban_instant_format(e->fire_at, fire),
                  "kind", duban_alert_kind_name(e->kind), "level",
                  duban_alert_level_name(e->level), "due_date", duban_date_format(e->due_date, due),
                  "days_left", e->days_left, "threshold_days",
                  e->threshold >= 0 ? json_integer(e->threshold) : json_null(), "late", x->late,
                  "departments", depts));
    return DUBAN_OK;
}

static void run_both(const duban_calendar_t *cal, const char *supervisors, bool map)
{
    static const char *const keys[] = {"alert_id", "task_id", "fire_at", "kind", "level",
                                       "due_date", "days_left", "threshold_days", "late",
                                       "departments"};
    sink_t s = {json_array()};
    facts_sink_t f = {json_array()};
    char err[256];
    int calls = 0;
    duban_alerter_t *a[2];
    for (int k = 0; k < 2; k++) {
        duban_alerter_conf_t ac = {.cal = cal, .late_after_ms = 60000,
                                   .supervisors = supervisors, .dept = map ? dept_map : NULL,
                                   .dept_opaque = &calls};
        duban_ladder_conf_default(&ac.ladder);
        CHECK(duban_alerter_new(&ac, &a[k], err, sizeof(err)) == DUBAN_OK);
    }
    duban_alerter_set_facts(a[1], collect_facts, &f);
    for (int k = 0; k < 2; k++) {
        json_t *nobody = task("2022-11-18T00:00:00+08:00", "2023-01-31", "cc");
        json_object_set_new(nobody, "task_id", json_string("石大党办发〔2022〕68号#五"));
        json_object_set_new(nobody, "lead_departments", json_array());
        json_object_set_new(nobody, "cooperating_departments", json_array());
        CHECK(apply_new(a[k], task("2022-11-17T00:00:00+08:00", "2022-12-31", "aa"),
                        "2022-11-17T00:00:00+08:00", &s, err) == DUBAN_OK);
        CHECK(apply_new(a[k], nobody, "2022-11-18T00:00:00+08:00", &s, err) == DUBAN_OK);
        CHECK(duban_alerter_advance(a[k], I("2023-01-10T09:00:00+08:00"), collect, &s) ==
              DUBAN_OK);
        CHECK(apply_new(a[k], status("2023-01-11T10:00:00+08:00", TASK_ID,
                                     "COMPLETION_REQUESTED", NULL),
                        "2023-01-11T10:00:00+08:00", &s, err) == DUBAN_OK);
        CHECK(apply_new(a[k], status("2023-02-06T10:00:00+08:00", TASK_ID, "IN_PROGRESS", NULL),
                        "2023-02-20T10:00:00+08:00", &s, err) == DUBAN_OK);
        CHECK(duban_alerter_advance(a[k], I("2023-04-01T09:00:00+08:00"), collect, &s) ==
              DUBAN_OK);
    }
    CHECK(json_array_size(s.alerts) > 20);
    CHECK_INT(json_array_size(f.alerts), json_array_size(s.alerts));
    for (size_t i = 0; i < json_array_size(s.alerts); i++)
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            const json_t *want = json_object_get(json_array_get(s.alerts, i), keys[k]);
            const json_t *got = json_object_get(json_array_get(f.alerts, i), keys[k]);
            if (!json_equal(want, got)) {
                char *w = json_dumps(want, JSON_ENCODE_ANY), *g = json_dumps(got, JSON_ENCODE_ANY);
                fprintf(stderr, "alert %zu %s: JSON %s, facts %s\n", i, keys[k], w, g);
                free(w);
                free(g);
                CHECK(0);
            }
        }
    for (int k = 0; k < 2; k++)
        duban_alerter_destroy(a[k]);
    json_decref(s.alerts);
    json_decref(f.alerts);
}

static void test_facts(const duban_calendar_t *cal)
{
    run_both(cal, NULL, false);
    run_both(cal, "区政府督查室,区委督查室,,区政府督查室", false);
    run_both(cal, NULL, true);
}

int main(void)
{
    char err[256];
    duban_calendar_t *cal = NULL;
    if (duban_calendar_new(&cal, err, sizeof(err)) != DUBAN_OK)
        return 1;
    test_content(cal);
    test_sent_and_reingest(cal);
    test_clock(cal);
    test_bad_input(cal);
    test_correction_and_pause(cal);
    test_unchanged_status_after_due_alert(cal);
    test_dept_map(cal);
    test_facts(cal);
    duban_calendar_destroy(cal);
    return CHECK_DONE();
}
