/* tests/unit/test_ladder.c: alert schedules of real tasks from the three
 * gazettes, against dates computed by hand from the State Council
 * schedules. Each expected line is "KIND[/threshold] fire-date days_left
 * LEVEL"; the walk stops at the case's horizon. The cases cross the 2023
 * Spring Festival (Jan 21-27 off, Sat Jan 28 / Sun Jan 29 worked), New Year
 * 2023 (Dec 31-Jan 2 off), National Day 2021 (Oct 1-7 off, Sun Sep 26 and
 * Sat Oct 9 worked, Mid-Autumn Sep 19-21 off with Sat Sep 18 worked) and the
 * 2023 Dragon Boat Festival (Jun 22-24 off, Sun Jun 25 worked). */
#include <stdio.h>
#include <string.h>
#include "calendar.h"
#include "check.h"
#include "date.h"
#include "ladder.h"

typedef struct {
    const char *at;          /* instant */
    duban_task_status_t to;
    const char *new_due;     /* EXTENDED */
} status_t;

typedef struct {
    const char *name;
    duban_deadline_kind_t kind;
    const char *due;
    duban_recurrence_t recur;
    const char *assigned;    /* the document's issue date, 00:00 +08:00 */
    status_t status[3];      /* applied once the walk reaches them */
    const char *horizon;     /* last fire date walked */
    const char *want[16];
} case_t;

static const case_t cases[] = {
    {"000 L1953 长胜 石大党办发〔2022〕68号: 整改时限：2022年12月31日 (a Saturday, "
     "New Year holiday; escalations cross the Spring Festival and its worked weekend)",
     DUBAN_DEADLINE_DATED, "2022-12-31", {0}, "2022-11-17T00:00:00+08:00", {{0}},
     "2023-02-10",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "DUE_SOON/3 2022-12-27 3 YELLOW",
      "DUE_TODAY 2022-12-30 0 YELLOW", "OVERDUE 2023-01-03 -1 RED",
      "ESCALATION/1 2023-01-10 -6 RED", "ESCALATION/2 2023-01-17 -11 RED",
      "ESCALATION/3 2023-01-29 -16 RED", "ESCALATION/4 2023-02-03 -21 RED",
      "ESCALATION/5 2023-02-10 -26 RED"}},
    {"001 47号 phases: 督查整改（2021年8月下旬和9月中下旬）-> 2021-09-30 "
     "(Mid-Autumn and National Day, Sep 26 and Oct 9 worked)",
     DUBAN_DEADLINE_DATED, "2021-09-30", {0}, "2021-09-09T00:00:00+08:00", {{0}},
     "2021-10-21",
     {"DUE_SOON/7 2021-09-22 7 GREEN", "DUE_SOON/3 2021-09-27 3 YELLOW",
      "DUE_TODAY 2021-09-30 0 YELLOW", "OVERDUE 2021-10-08 -1 RED",
      "ESCALATION/1 2021-10-14 -6 RED", "ESCALATION/2 2021-10-21 -11 RED"}},
    {"000 L2160 整改时限：2023年6月底 (Dragon Boat Festival, Sun Jun 25 worked)",
     DUBAN_DEADLINE_DATED, "2023-06-30", {0}, "2022-11-17T00:00:00+08:00", {{0}},
     "2023-07-10",
     {"DUE_SOON/7 2023-06-20 7 GREEN", "DUE_SOON/3 2023-06-27 3 YELLOW",
      "DUE_TODAY 2023-06-30 0 YELLOW", "OVERDUE 2023-07-03 -1 RED",
      "ESCALATION/1 2023-07-10 -6 RED"}},
    {"001 L15815 于10月27日前摸清 in a notice of 2021-10-25: the DUE_SOONs were "
     "before it was assigned", DUBAN_DEADLINE_DATED, "2021-10-27", {0},
     "2021-10-25T00:00:00+08:00", {{0}}, "2021-11-04",
     {"DUE_TODAY 2021-10-27 0 YELLOW", "OVERDUE 2021-10-28 -1 RED",
      "ESCALATION/1 2021-11-04 -6 RED"}},
    {"000 L3582 2022年11月15日前 in 石大政办发〔2022〕68号 of 2022-11-22: one "
     "PAST_DUE_AT_ISSUE, no flood", DUBAN_DEADLINE_DATED, "2022-11-15", {0},
     "2022-11-22T00:00:00+08:00", {{0}}, "2023-03-01",
     {"PAST_DUE_AT_ISSUE 2022-11-22 -5 RED"}},
    {"000 L2632 每月30日前向区攻坚办报送 (石大党办综〔2022〕54号, 2022-11-18): one "
     "ladder per month, escalations stop when the next month's reminders start",
     DUBAN_DEADLINE_RECURRING, NULL, {DUBAN_RECUR_MONTHLY, 0, 30, "每月30日前"},
     "2022-11-18T00:00:00+08:00", {{0}}, "2023-02-10",
     {"DUE_SOON/7 2022-11-21 7 GREEN", "DUE_SOON/3 2022-11-25 3 YELLOW",
      "DUE_TODAY 2022-11-30 0 YELLOW", "OVERDUE 2022-12-01 -1 RED",
      "ESCALATION/1 2022-12-08 -6 RED", "ESCALATION/2 2022-12-15 -11 RED",
      "DUE_SOON/7 2022-12-21 7 GREEN", "DUE_SOON/3 2022-12-27 3 YELLOW",
      "DUE_TODAY 2022-12-30 0 YELLOW", "OVERDUE 2023-01-03 -1 RED",
      "ESCALATION/1 2023-01-10 -6 RED",
      "DUE_SOON/7 2023-01-16 7 GREEN", "DUE_SOON/3 2023-01-20 3 YELLOW",
      "DUE_TODAY 2023-01-30 0 YELLOW", "OVERDUE 2023-01-31 -1 RED",
      "ESCALATION/1 2023-02-07 -6 RED"}},
    {"长胜 2022-12-31 task COMPLETED on 2022-12-28 15:00: nothing after",
     DUBAN_DEADLINE_DATED, "2022-12-31", {0}, "2022-11-17T00:00:00+08:00",
     {{"2022-12-28T15:00:00+08:00", DUBAN_STATUS_COMPLETED, NULL}}, "2023-03-01",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "DUE_SOON/3 2022-12-27 3 YELLOW"}},
    {"长胜 task EXTENDED on 2022-12-29 10:00 to 2023-01-31: the ladder restarts "
     "(DUE_SOON/3 on the worked Saturday Jan 28)", DUBAN_DEADLINE_DATED,
     "2022-12-31", {0}, "2022-11-17T00:00:00+08:00",
     {{"2022-12-29T10:00:00+08:00", DUBAN_STATUS_EXTENDED, "2023-01-31"}}, "2023-02-01",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "DUE_SOON/3 2022-12-27 3 YELLOW",
      "DUE_SOON/7 2023-01-17 7 GREEN", "DUE_SOON/3 2023-01-28 3 YELLOW",
      "DUE_TODAY 2023-01-31 0 YELLOW", "OVERDUE 2023-02-01 -1 RED"}},
    {"长胜 task COMPLETED 2022-12-22, REOPENED 2023-01-05 10:00: resumes with the "
     "next escalation", DUBAN_DEADLINE_DATED, "2022-12-31", {0},
     "2022-11-17T00:00:00+08:00",
     {{"2022-12-22T10:00:00+08:00", DUBAN_STATUS_COMPLETED, NULL},
      {"2023-01-05T10:00:00+08:00", DUBAN_STATUS_REOPENED, NULL}}, "2023-01-17",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "ESCALATION/1 2023-01-10 -6 RED",
      "ESCALATION/2 2023-01-17 -11 RED"}},
    {"长胜 task: IN_PROGRESS and EXTENSION_REQUESTED change nothing",
     DUBAN_DEADLINE_DATED, "2022-12-31", {0}, "2022-11-17T00:00:00+08:00",
     {{"2022-12-01T10:00:00+08:00", DUBAN_STATUS_IN_PROGRESS, NULL},
      {"2022-12-22T10:00:00+08:00", DUBAN_STATUS_EXTENSION_REQUESTED, NULL}},
     "2022-12-30",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "DUE_SOON/3 2022-12-27 3 YELLOW",
      "DUE_TODAY 2022-12-30 0 YELLOW"}},
    {"长胜 task: completion requested 2022-12-20 (办结申请) and still pending: the "
     "reminders pause", DUBAN_DEADLINE_DATED, "2022-12-31", {0},
     "2022-11-17T00:00:00+08:00",
     {{"2022-12-20T10:00:00+08:00", DUBAN_STATUS_COMPLETION_REQUESTED, NULL}},
     "2023-03-01", {NULL}},
    {"长胜 task: completion requested 2022-12-20, rejected (IN_PROGRESS) 2022-12-28 "
     "10:00: the reminders of the pause are skipped, the ladder resumes",
     DUBAN_DEADLINE_DATED, "2022-12-31", {0}, "2022-11-17T00:00:00+08:00",
     {{"2022-12-20T10:00:00+08:00", DUBAN_STATUS_COMPLETION_REQUESTED, NULL},
      {"2022-12-28T10:00:00+08:00", DUBAN_STATUS_IN_PROGRESS, NULL}}, "2023-01-10",
     {"DUE_TODAY 2022-12-30 0 YELLOW", "OVERDUE 2023-01-03 -1 RED",
      "ESCALATION/1 2023-01-10 -6 RED"}},
    {"长胜 task: completion requested 2022-12-20, approved (COMPLETED) 2022-12-28: "
     "nothing after", DUBAN_DEADLINE_DATED, "2022-12-31", {0},
     "2022-11-17T00:00:00+08:00",
     {{"2022-12-20T10:00:00+08:00", DUBAN_STATUS_COMPLETION_REQUESTED, NULL},
      {"2022-12-28T10:00:00+08:00", DUBAN_STATUS_COMPLETED, NULL}}, "2023-03-01", {NULL}},
    {"长胜 task: completion requested after the due date (2023-01-04), rejected "
     "2023-01-11: the escalations resume with the next step",
     DUBAN_DEADLINE_DATED, "2022-12-31", {0}, "2022-12-25T00:00:00+08:00",
     {{"2023-01-04T10:00:00+08:00", DUBAN_STATUS_COMPLETION_REQUESTED, NULL},
      {"2023-01-11T10:00:00+08:00", DUBAN_STATUS_IN_PROGRESS, NULL}}, "2023-01-29",
     {"DUE_SOON/3 2022-12-27 3 YELLOW", "DUE_TODAY 2022-12-30 0 YELLOW",
      "OVERDUE 2023-01-03 -1 RED", "ESCALATION/2 2023-01-17 -11 RED",
      "ESCALATION/3 2023-01-29 -16 RED"}},
    {"长胜 task: a second request while one is pending changes nothing; a "
     "completed task is not paused by a late request", DUBAN_DEADLINE_DATED,
     "2022-12-31", {0}, "2022-11-17T00:00:00+08:00",
     {{"2022-12-22T10:00:00+08:00", DUBAN_STATUS_COMPLETED, NULL},
      {"2022-12-23T10:00:00+08:00", DUBAN_STATUS_COMPLETION_REQUESTED, NULL},
      {"2023-01-05T10:00:00+08:00", DUBAN_STATUS_REOPENED, NULL}}, "2023-01-17",
     {"DUE_SOON/7 2022-12-21 7 GREEN", "ESCALATION/1 2023-01-10 -6 RED",
      "ESCALATION/2 2023-01-17 -11 RED"}},
    {"000 L1909 整改时限：立行立改并长期坚持 (OPEN_ENDED): never alerted",
     DUBAN_DEADLINE_OPEN_ENDED, NULL, {0}, "2022-11-17T00:00:00+08:00", {{0}},
     "2025-01-01", {NULL}},
};

static int64_t I(const char *s)
{
    int64_t v = 0;
    if (duban_instant_parse(s, &v) != DUBAN_OK)
        fprintf(stderr, "bad test instant %s\n", s);
    return v;
}

static int32_t D(const char *s)
{
    int32_t d = DUBAN_DATE_NONE;
    if (s && duban_date_parse(s, &d) != DUBAN_OK)
        fprintf(stderr, "bad test date %s\n", s);
    return d;
}

static void describe(const duban_alert_entry_t *e, char *buf, size_t size)
{
    char date[11], th[16] = "";
    if (e->threshold >= 0)
        snprintf(th, sizeof(th), "/%d", e->threshold);
    snprintf(buf, size, "%s%s %s %d %s", duban_alert_kind_name(e->kind), th,
             duban_date_format(e->fire_date, date), e->days_left,
             duban_alert_level_name(e->level));
}

/* Walks the schedule: status changes apply once the walk reaches them. */
static void run_case(const duban_calendar_t *cal, const duban_ladder_conf_t *lc,
                     const case_t *c)
{
    duban_track_t t;
    duban_track_assign(&t, c->kind, D(c->due), &c->recur, I(c->assigned));
    int32_t horizon = D(c->horizon);
    size_t n = 0, si = 0;
    duban_alert_entry_t e;
    for (;;) {
        bool have = duban_track_pending(&t, cal, lc, &e);
        if (si < 3 && c->status[si].at &&
            (!have || I(c->status[si].at) <= e.fire_at)) {
            duban_track_status(&t, c->status[si].to, D(c->status[si].new_due),
                               I(c->status[si].at));
            si++;
            continue;
        }
        if (!have || e.fire_date > horizon)
            break;
        char got[96];
        describe(&e, got, sizeof(got));
        CHECK(e.fire_at == duban_instant_at(e.fire_date, 9, 0));
        if (n < 16 && c->want[n]) {
            if (strcmp(got, c->want[n]) != 0)
                fprintf(stderr, "case: %s\n", c->name);
            CHECK_STR(got, c->want[n]);
        } else {
            fprintf(stderr, "case: %s\n  unexpected: %s\n", c->name, got);
            CHECK(0);
        }
        n++;
        duban_track_done(&t, &e);
    }
    size_t want_n = 0;
    while (want_n < 16 && c->want[want_n])
        want_n++;
    if (n != want_n)
        fprintf(stderr, "case: %s\n", c->name);
    CHECK_INT(n, want_n);
}

static void test_config(const duban_calendar_t *cal)
{
    char err[256];
    duban_conf_t *conf = duban_conf_new();
    duban_ladder_conf_t lc;
    duban_conf_set(conf, "alerter.due.soon.days", "3,10,5", err, sizeof(err));
    duban_conf_set(conf, "alerter.escalation.max", "2", err, sizeof(err));
    duban_conf_set(conf, "alerter.fire.time", "08:30", err, sizeof(err));
    CHECK(duban_ladder_conf_from(conf, &lc, err, sizeof(err)) == DUBAN_OK);
    CHECK_INT(lc.soon_count, 3);
    CHECK_INT(lc.soon_days[0], 10);
    CHECK_INT(lc.soon_days[2], 3);
    duban_alert_entry_t e;
    /* 10 working days before 2023-01-31: Jan 30, 29, 28, 20, 19, 18, 17, 16, 13, 12. */
    CHECK(duban_ladder_entry(cal, &lc, D("2023-01-31"), 0, &e));
    CHECK_INT(e.fire_date, D("2023-01-12"));
    CHECK_INT(e.fire_at, duban_instant_at(D("2023-01-12"), 8, 30));
    CHECK(duban_ladder_entry(cal, &lc, D("2023-01-31"), 3 + 1 + 2, &e));   /* ESC 2 */
    CHECK(!duban_ladder_entry(cal, &lc, D("2023-01-31"), 3 + 1 + 3, &e));  /* capped */
    duban_conf_set(conf, "alerter.due.soon.days", "7,x", err, sizeof(err));
    CHECK(duban_ladder_conf_from(conf, &lc, err, sizeof(err)) == DUBAN_E_INVAL);
    CHECK(strstr(err, "alerter.due.soon.days") != NULL);
    duban_conf_set(conf, "alerter.due.soon.days", "7,3", err, sizeof(err));
    duban_conf_set(conf, "alerter.fire.time", "25:00", err, sizeof(err));
    CHECK(duban_ladder_conf_from(conf, &lc, err, sizeof(err)) == DUBAN_E_INVAL);
    duban_conf_destroy(conf);
}

static void test_alert_id(void)
{
    char a[33], b[33], c[33];
    const char *task = "石大党办发〔2022〕68号#四.(一).1";
    duban_alert_id(task, DUBAN_ALERT_DUE_SOON, D("2022-12-31"), 7, a);
    duban_alert_id(task, DUBAN_ALERT_DUE_SOON, D("2022-12-31"), 3, b);
    duban_alert_id(task, DUBAN_ALERT_DUE_SOON, D("2022-12-31"), 7, c);
    CHECK_STR(a, c);
    CHECK(strcmp(a, b) != 0);
    CHECK_INT(strlen(a), 32);
    /* sha256("task\x1fOVERDUE\x1f2022-12-31\x1f")[:16], computed with Python's
     * hashlib from the format documented in ladder.h. */
    duban_alert_id("task", DUBAN_ALERT_OVERDUE, D("2022-12-31"), -1, a);
    CHECK_STR(a, "67da42adba915926de2ce59796949db4");
}

int main(void)
{
    char err[256] = "";
    duban_calendar_t *cal = NULL;
    if (duban_calendar_new(&cal, err, sizeof(err)) != DUBAN_OK) {
        fprintf(stderr, "calendar: %s\n", err);
        return 1;
    }
    duban_ladder_conf_t lc;
    duban_ladder_conf_default(&lc);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(cal, &lc, &cases[i]);
    test_config(cal);
    test_alert_id();
    duban_calendar_destroy(cal);
    return CHECK_DONE();
}
