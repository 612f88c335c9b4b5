/* tests/unit/test_status_state.c: duban-status's task state and corrections.
 * Events go in as the feed gives them (JSON, log order); the answers the
 * read API serves come out: status, effective due date, working days left
 * and level on the State Council calendar (the 2023 Dragon Boat Festival:
 * Jun 22-24 off, Sun Jun 25 worked), history, a status change read before
 * its task, EXTENDED and a redefinition, corrections (the event built, the
 * correction applied, a re-ingest of the gazette not undoing it), the
 * overview's counts (done on time counts from the approved request) and the
 * department list's filters. */
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "check.h"
#include "date.h"
#include "status_correct.h"
#include "status_flow.h"
#include "status_state.h"

#define T1 "测试发〔2023〕1号#一.1"
#define T2 "测试发〔2023〕1号#一.2"
#define T3 "测试发〔2023〕1号#二"

static int64_t I(const char *s)
{
    int64_t v = 0;
    CHECK(duban_instant_parse(s, &v) == DUBAN_OK);
    return v;
}

static json_t *assigned(const char *id, const char *lead, const char *coop, const char *due,
                        const char *kind, const char *sha, const char *review)
{
    json_t *ev = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:[s], s:[], s:[s], s:[],"
                           " s:s, s:s?, s:s, s:n, s:[], s:s, s:s, s:[s], s:[], s:n,"
                           " s:{s:s, s:i, s:i}}",
                           "type", "TaskAssigned", "event_id", sha, "occurred_at",
                           "2023-06-01T00:00:00+08:00", "schema_version", 1, "task_id", id,
                           "doc_id", "测试发〔2023〕1号", "outline_path", "一.1", "text",
                           "完成测试任务。", "lead_units", lead, "cooperating_units",
                           "lead_departments", lead, "cooperating_departments", "deadline_text",
                           "6月底前", "due_date", due, "deadline_kind", kind, "recurrence",
                           "milestones", "content_sha256", sha, "doc_title", "测试文件",
                           "issuers", "区政府办公室", "review", "correction", "source", "file",
                           "t.txt", "line", 1, "offset", 0);
    if (coop)
        json_array_append_new(json_object_get(ev, "cooperating_departments"), json_string(coop));
    if (review)
        json_array_append_new(json_object_get(ev, "review"), json_string(review));
    return ev;
}

static json_t *status(const char *id, const char *at, const char *to, const char *due)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:n, s:s, s:s?, s:s, s:s}", "type",
                     "TaskStatusChanged", "event_id", at, "occurred_at", at, "schema_version", 1,
                     "task_id", id, "from_status", "to_status", to, "new_due_date", due, "actor",
                     "tester", "comment", "c");
}

static void apply(status_state_t *st, duban_event_type_t type, json_t *ev)
{
    char err[256] = "";
    duban_err_t e = status_state_apply(st, type, ev, err, sizeof(err));
    if (e)
        fprintf(stderr, "apply: %s\n", err);
    CHECK(e == DUBAN_OK);
    json_decref(ev);
}

static const char *S(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_levels_and_history(status_state_t *st)
{
    /* the status change comes first: it waits for its task */
    apply(st, DUBAN_EV_TASK_STATUS_CHANGED,
          status(T1, "2023-06-02T09:00:00+08:00", "ACCEPTED", NULL));
    status_state_stats_t s;
    status_state_stats(st, &s);
    CHECK_INT(s.parked, 1);
    CHECK_INT(s.tasks, 0);
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T1, "区卫生健康局", "区财政局", "2023-06-30", "DATED", "sha1", NULL));
    status_state_stats(st, &s);
    CHECK_INT(s.parked, 0);
    status_task_info_t info;
    CHECK(status_state_info(st, T1, "区财政局", &info) == DUBAN_OK);
    CHECK_INT(info.status, DUBAN_STATUS_ACCEPTED);
    CHECK_INT(info.roles, STATUS_ROLE_COOPERATING);
    CHECK_INT(info.last_at, I("2023-06-02T09:00:00+08:00"));
    CHECK(status_state_info(st, T1, "区教育体育局", &info) == DUBAN_OK && info.roles == 0);
    CHECK(status_state_info(st, "nope#1", NULL, &info) == DUBAN_E_NOTFOUND);

    static const struct { const char *now; int days; const char *level; } at[] = {
        {"2023-06-20T10:00:00+08:00", 7, "GREEN"},   /* 21 25 26 27 28 29 30 */
        {"2023-06-21T10:00:00+08:00", 6, "GREEN"},
        {"2023-06-27T10:00:00+08:00", 3, "YELLOW"},
        {"2023-06-30T10:00:00+08:00", 0, "YELLOW"},
        {"2023-07-03T10:00:00+08:00", -1, "RED"},
    };
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        json_t *t = status_state_task_json(st, T1, I(at[i].now));
        CHECK_INT(json_integer_value(json_object_get(t, "days_left")), at[i].days);
        CHECK_STR(S(t, "level"), at[i].level);
        json_decref(t);
    }
    /* EXTENDED moves the due date; history keeps both changes */
    apply(st, DUBAN_EV_TASK_STATUS_CHANGED,
          status(T1, "2023-06-25T09:00:00+08:00", "EXTENDED", "2023-07-31"));
    json_t *t = status_state_task_json(st, T1, I("2023-07-03T10:00:00+08:00"));
    CHECK_STR(S(t, "due_date"), "2023-07-31");
    CHECK_STR(S(t, "defined_due_date"), "2023-06-30");
    CHECK_STR(S(t, "level"), "GREEN");
    CHECK_STR(S(t, "status"), "EXTENDED");
    json_t *h = json_object_get(t, "history");
    CHECK_INT(json_array_size(h), 2);
    CHECK_STR(S(json_array_get(h, 0), "to_status"), "ACCEPTED");
    CHECK_STR(S(json_array_get(h, 1), "new_due_date"), "2023-07-31");
    json_decref(t);
    /* the same definition again changes nothing; a new one wins and drops the extension */
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T1, "区卫生健康局", "区财政局", "2023-06-30", "DATED", "sha1", NULL));
    t = status_state_task_json(st, T1, I("2023-07-03T10:00:00+08:00"));
    CHECK_STR(S(t, "due_date"), "2023-07-31");
    json_decref(t);
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T1, "区卫生健康局", "区财政局", "2023-08-31", "DATED", "sha1b", NULL));
    t = status_state_task_json(st, T1, I("2023-07-03T10:00:00+08:00"));
    CHECK_STR(S(t, "due_date"), "2023-08-31");
    CHECK_STR(S(json_array_get(json_object_get(t, "history"), 2), "type"), "redefined");
    json_decref(t);
}

static void test_correction(status_state_t *st)
{
    char err[256];
    const char *field = NULL;
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T2, "某某", NULL, NULL, "NONE", "sha2", "UNKNOWN_UNIT"));
    json_t *review = status_state_review_json(st, I("2023-06-20T10:00:00+08:00"));
    CHECK_INT(json_array_size(json_object_get(review, "tasks")), 1);
    CHECK_STR(S(json_array_get(json_object_get(review, "tasks"), 0), "task_id"), T2);
    json_decref(review);

    json_t *def = status_state_definition(st, T2), *ev = NULL, *again = NULL;
    const char *body = "{\"lead_departments\":[\"区教育体育局\"],\"due_date\":\"2023-09-30\","
                       "\"reason\":\"牵头单位识别有误\",\"occurred_at\":\"2023-06-20T09:00:00+08:00\"}";
    CHECK(status_correct_build(def, body, strlen(body), "区政府督查室",
                               I("2023-06-20T10:00:00+08:00"), &ev, &field, err,
                               sizeof(err)) == DUBAN_OK);
    CHECK(status_correct_build(def, body, strlen(body), "区政府督查室",
                               I("2023-06-20T10:00:00+08:00"), &again, &field, err,
                               sizeof(err)) == DUBAN_OK);
    CHECK(json_equal(ev, again));   /* the same correction, the same event */
    CHECK_STR(S(ev, "deadline_kind"), "DATED");
    CHECK_STR(S(ev, "due_date"), "2023-09-30");
    CHECK_STR(S(json_object_get(ev, "correction"), "author"), "区政府督查室");
    CHECK_STR(S(json_object_get(ev, "correction"), "reason"), "牵头单位识别有误");
    CHECK_INT(json_array_size(json_object_get(ev, "review")), 0);
    CHECK(strcmp(S(ev, "content_sha256"), "sha2") != 0);
    CHECK_STR(S(ev, "occurred_at"), "2023-06-20T09:00:00+08:00");
    /* the units as printed stay */
    CHECK_STR(json_string_value(json_array_get(json_object_get(ev, "lead_units"), 0)), "某某");
    json_decref(again);
    apply(st, DUBAN_EV_TASK_ASSIGNED, ev);
    status_task_info_t info;
    CHECK(status_state_info(st, T2, "区教育体育局", &info) == DUBAN_OK);
    CHECK_INT(info.roles, STATUS_ROLE_LEAD);
    CHECK(status_state_info(st, T2, "某某", &info) == DUBAN_OK && info.roles == 0);
    review = status_state_review_json(st, I("2023-06-20T10:00:00+08:00"));
    CHECK_INT(json_array_size(json_object_get(review, "tasks")), 0);
    json_decref(review);
    /* the gazette ingested again: the correction stands */
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T2, "某某", NULL, NULL, "NONE", "sha2", "UNKNOWN_UNIT"));
    status_state_stats_t s;
    status_state_stats(st, &s);
    CHECK_INT(s.ignored_reingest, 1);
    json_t *t = status_state_task_json(st, T2, I("2023-06-20T10:00:00+08:00"));
    CHECK_STR(json_string_value(json_array_get(json_object_get(t, "lead_departments"), 0)),
              "区教育体育局");
    json_t *h = json_array_get(json_object_get(t, "history"), 0);
    CHECK_STR(S(h, "type"), "correction");
    CHECK_STR(S(h, "author"), "区政府督查室");
    json_decref(t);

    /* refusals */
    static const struct { const char *body; duban_err_t err; const char *field; } bad[] = {
        {"{\"reason\":\"x\"}", DUBAN_E_INVAL, "body"},
        {"{\"lead_departments\":[],\"reason\":\"x\"}", DUBAN_E_INVAL, "lead_departments"},
        {"{\"lead_departments\":[\"a\",\"a\"],\"reason\":\"x\"}", DUBAN_E_INVAL,
         "lead_departments"},
        {"{\"lead_departments\":[\"a\\u2028b\"],\"reason\":\"x\"}", DUBAN_E_INVAL,
         "lead_departments"},
        {"{\"cooperating_departments\":\"a\",\"reason\":\"x\"}", DUBAN_E_INVAL,
         "cooperating_departments"},
        {"{\"due_date\":\"2023-02-30\",\"reason\":\"x\"}", DUBAN_E_INVAL, "due_date"},
        {"{\"due_date\":\"2023-09-30\"}", DUBAN_E_INVAL, "reason"},
        {"{\"due_date\":\"2023-09-30\",\"reason\":\"   \"}", DUBAN_E_INVAL, "reason"},
        {"{\"due_date\":\"2023-09-30\",\"reason\":\"x\"}", DUBAN_E_CONFLICT, "body"},
        {"[1]", DUBAN_E_PARSE, "body"},
    };
    json_decref(def);
    def = status_state_definition(st, T2);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ev = NULL;
        field = NULL;
        duban_err_t e = status_correct_build(def, bad[i].body, strlen(bad[i].body), "s",
                                             I("2023-06-20T10:00:00+08:00"), &ev, &field, err,
                                             sizeof(err));
        if (e != bad[i].err || !field || strcmp(field, bad[i].field))
            fprintf(stderr, "%s -> %d %s (%s)\n", bad[i].body, e, field ? field : "-", err);
        CHECK_INT(e, bad[i].err);
        CHECK_STR(field, bad[i].field);
        CHECK(ev == NULL);
    }
    json_decref(def);
}

static void test_overview(status_state_t *st)
{
    /* T1: lead 区卫生健康局, due 2023-08-31 (redefined above), EXTENDED status.
     * T3: lead 区卫生健康局, due 2023-06-30; completion requested on the 29th,
     * approved on July 3rd: done on time. */
    apply(st, DUBAN_EV_TASK_ASSIGNED,
          assigned(T3, "区卫生健康局", NULL, "2023-06-30", "DATED", "sha3", NULL));
    apply(st, DUBAN_EV_TASK_STATUS_CHANGED,
          status(T3, "2023-06-29T09:00:00+08:00", "COMPLETION_REQUESTED", NULL));
    json_t *o = status_state_overview_json(st, NULL, I("2023-06-29T10:00:00+08:00"));
    json_t *row = json_array_get(json_object_get(o, "departments"), 0);
    CHECK_STR(S(row, "department"), "区卫生健康局");
    CHECK_INT(json_integer_value(json_object_get(row, "open")), 2);
    CHECK_INT(json_integer_value(json_object_get(row, "due_soon")), 1);
    CHECK_INT(json_integer_value(json_object_get(row, "completion_requested")), 1);
    json_decref(o);
    apply(st, DUBAN_EV_TASK_STATUS_CHANGED,
          status(T3, "2023-07-03T09:00:00+08:00", "COMPLETED", NULL));
    o = status_state_overview_json(st, "区卫生健康局", I("2023-09-04T10:00:00+08:00"));
    CHECK_INT(json_array_size(json_object_get(o, "departments")), 1);
    row = json_array_get(json_object_get(o, "departments"), 0);
    CHECK_INT(json_integer_value(json_object_get(row, "open")), 1);
    CHECK_INT(json_integer_value(json_object_get(row, "overdue")), 1);   /* T1 after Aug 31 */
    CHECK_INT(json_integer_value(json_object_get(row, "done_on_time")), 1);
    CHECK_INT(json_integer_value(json_object_get(row, "done_late")), 0);
    json_decref(o);
    /* a department nobody leads: its row, all zero */
    o = status_state_overview_json(st, "区民政局", I("2023-09-04T10:00:00+08:00"));
    row = json_array_get(json_object_get(o, "departments"), 0);
    CHECK_INT(json_integer_value(json_object_get(row, "open")), 0);
    json_decref(o);

    /* the department list: open RED tasks of 区卫生健康局 on Sep 4th: T1 only */
    status_filter_t f = {-1, 1, DUBAN_LEVEL_RED, 0};
    o = status_state_department_json(st, "区卫生健康局", &f, I("2023-09-04T10:00:00+08:00"));
    json_t *tasks = json_object_get(o, "tasks");
    CHECK_INT(json_array_size(tasks), 1);
    CHECK_STR(S(json_array_get(tasks, 0), "task_id"), T1);
    CHECK_STR(S(json_array_get(tasks, 0), "role"), "lead");
    json_decref(o);
    f = (status_filter_t){-1, -1, -1, STATUS_ROLE_COOPERATING};
    o = status_state_department_json(st, "区财政局", &f, I("2023-09-04T10:00:00+08:00"));
    CHECK_INT(json_array_size(json_object_get(o, "tasks")), 1);
    CHECK_STR(S(json_array_get(json_object_get(o, "tasks"), 0), "role"), "cooperating");
    json_decref(o);
    f = (status_filter_t){DUBAN_STATUS_COMPLETED, -1, -1, 0};
    o = status_state_department_json(st, "区卫生健康局", &f, I("2023-09-04T10:00:00+08:00"));
    CHECK_INT(json_array_size(json_object_get(o, "tasks")), 1);
    CHECK(json_is_true(json_object_get(json_array_get(json_object_get(o, "tasks"), 0),
                                       "on_time")));
    json_decref(o);
}

static void test_recurring(status_state_t *st)
{
    json_t *ev = assigned("测试发〔2023〕1号#三", "区统计局", NULL, NULL, "RECURRING", "sha4", NULL);
    json_object_set_new(ev, "recurrence",
                        json_pack("{s:s, s:i, s:i, s:s}", "period", "MONTHLY", "month", 0, "day",
                                  10, "text", "每月10日前"));
    apply(st, DUBAN_EV_TASK_ASSIGNED, ev);
    json_t *t = status_state_task_json(st, "测试发〔2023〕1号#三", I("2023-06-12T10:00:00+08:00"));
    CHECK_STR(S(t, "due_date"), "2023-07-10");
    json_decref(t);
    t = status_state_task_json(st, "测试发〔2023〕1号#三", I("2023-06-10T10:00:00+08:00"));
    CHECK_STR(S(t, "due_date"), "2023-06-10");
    json_decref(t);
}

/* The rendered answer: the same as the JSON; kept until the task or the
 * day changes. */
static void test_text(status_state_t *st)
{
    int64_t now = I("2023-09-04T10:00:00+08:00");
    json_t *j = status_state_task_json(st, T1, now);
    char *want = json_dumps(j, JSON_COMPACT);
    char *a = status_state_task_text(st, T1, now), *b = status_state_task_text(st, T1, now);
    CHECK_STR(a, want);
    CHECK_STR(b, want);
    free(a);
    free(b);
    free(want);
    json_decref(j);
    a = status_state_task_text(st, T1, I("2023-09-05T10:00:00+08:00"));   /* a day later */
    CHECK(a && strstr(a, "\"days_left\":-3"));
    free(a);
    apply(st, DUBAN_EV_TASK_STATUS_CHANGED,
          status(T1, "2023-09-05T11:00:00+08:00", "COMPLETION_REQUESTED", NULL));
    a = status_state_task_text(st, T1, I("2023-09-05T12:00:00+08:00"));
    CHECK(a && strstr(a, "\"status\":\"COMPLETION_REQUESTED\""));
    free(a);
    CHECK(status_state_task_text(st, "nope#1", now) == NULL);
}

int main(void)
{
    char err[256];
    duban_calendar_t *cal = NULL;
    CHECK(duban_calendar_new(&cal, err, sizeof(err)) == DUBAN_OK);
    status_state_t *st = status_state_new(cal, 3);
    test_levels_and_history(st);
    test_correction(st);
    test_overview(st);
    test_recurring(st);
    test_text(st);
    status_state_destroy(st);
    duban_calendar_destroy(cal);
    return CHECK_DONE();
}
