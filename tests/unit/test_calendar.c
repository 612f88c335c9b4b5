/* tests/unit/test_calendar.c: the working-day calendar on the State Council
 * schedules: Spring Festival 2023 (Jan 21-27 off, Sat Jan 28 and Sun Jan 29
 * worked), National Day 2023 (Sep 29-Oct 6 off, Oct 7-8 worked), National Day
 * 2022 (Oct 1-7 off, Oct 8-9 worked), published yearly totals, user files,
 * add/between checked against a day-by-day walk, and every day 2019-2028
 * against the shipped files read on their own. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <jansson.h>
#include "calendar.h"
#include "check.h"
#include "date.h"

static int32_t D(const char *s)
{
    int32_t d = DUBAN_DATE_NONE;
    if (duban_date_parse(s, &d) != DUBAN_OK)
        fprintf(stderr, "bad test date %s\n", s);
    return d;
}

static const char *S(int32_t d)
{
    static char bufs[4][11];
    static int i;
    i = (i + 1) % 4;
    return duban_date_format(d, bufs[i]);
}

static void test_workdays(const duban_calendar_t *cal)
{
    static const struct { const char *date; int work; } tab[] = {
        {"2023-01-20", 1}, {"2023-01-21", 0}, {"2023-01-23", 0}, {"2023-01-27", 0},
        {"2023-01-28", 1}, {"2023-01-29", 1}, {"2023-01-30", 1}, {"2023-02-04", 0},
        {"2023-09-28", 1}, {"2023-09-29", 0}, {"2023-10-02", 0}, {"2023-10-06", 0},
        {"2023-10-07", 1}, {"2023-10-08", 1}, {"2023-10-09", 1}, {"2023-10-14", 0},
        {"2022-09-30", 1}, {"2022-10-03", 0}, {"2022-10-07", 0}, {"2022-10-08", 1},
        {"2022-10-09", 1}, {"2022-12-31", 0}, {"2023-01-02", 0}, {"2023-01-03", 1},
        {"2021-09-18", 1}, {"2021-09-20", 0}, {"2021-10-09", 1}, {"2021-10-10", 0},
        {"2024-02-04", 1}, {"2024-02-16", 0}, {"2024-02-18", 1}, {"2026-10-01", 0},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
        if (duban_calendar_is_workday(cal, D(tab[i].date)) != (tab[i].work == 1))
            fprintf(stderr, "  is_workday(%s)\n", tab[i].date);
        CHECK(duban_calendar_is_workday(cal, D(tab[i].date)) == (tab[i].work == 1));
    }
}

static void test_moves(const duban_calendar_t *cal)
{
    CHECK_STR(S(duban_calendar_workday_on_or_after(cal, D("2023-01-21"))), "2023-01-28");
    CHECK_STR(S(duban_calendar_workday_on_or_before(cal, D("2023-01-27"))), "2023-01-20");
    CHECK_STR(S(duban_calendar_workday_on_or_before(cal, D("2023-10-01"))), "2023-09-28");
    CHECK_STR(S(duban_calendar_workday_on_or_after(cal, D("2023-10-01"))), "2023-10-07");
    CHECK_STR(S(duban_calendar_workday_on_or_after(cal, D("2023-03-15"))), "2023-03-15");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-01-20"), 1)), "2023-01-28");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-01-30"), -3)), "2023-01-20");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-01-31"), -7)), "2023-01-17");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-09-28"), 1)), "2023-10-07");
    /* Sat Oct 7 and Sun Oct 8 are both worked: Oct 8, 9, 10, 11, 12. */
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-10-07"), 5)), "2023-10-12");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2022-09-30"), 1)), "2022-10-08");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-01-21"), -1)), "2023-01-20");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-01-21"), 1)), "2023-01-28");
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2023-06-30"), 0)), "2023-06-30");
    CHECK_INT(duban_calendar_workdays_between(cal, D("2023-01-20"), D("2023-01-30")), 3);
    CHECK_INT(duban_calendar_workdays_between(cal, D("2023-01-30"), D("2023-01-20")), -3);
    CHECK_INT(duban_calendar_workdays_between(cal, D("2023-09-28"), D("2023-10-07")), 1);
    CHECK_INT(duban_calendar_workdays_between(cal, D("2023-01-21"), D("2023-01-27")), 0);
}

/* Published totals: 2021 250, 2022 249, 2023 249, 2024 251 working days. */
static void test_year_totals(const duban_calendar_t *cal)
{
    static const int totals[][2] = {{2021, 250}, {2022, 249}, {2023, 249}, {2024, 251}};
    for (size_t i = 0; i < 4; i++) {
        int y = totals[i][0];
        int n = duban_calendar_workdays_between(cal, duban_date_from_ymd(y - 1, 12, 31),
                                                duban_date_from_ymd(y, 12, 31));
        CHECK_INT(n, totals[i][1]);
        int walked = 0;
        for (int32_t d = duban_date_from_ymd(y, 1, 1); d <= duban_date_from_ymd(y, 12, 31); d++)
            walked += duban_calendar_is_workday(cal, d);
        CHECK_INT(walked, totals[i][1]);
    }
    int first, last;
    duban_calendar_years(cal, &first, &last);
    CHECK_INT(first, 2020);
    CHECK_INT(last, 2026);
}

/* add_workdays and workdays_between agree with stepping day by day. */
static void test_against_walk(const duban_calendar_t *cal)
{
    int bad = 0;
    for (int32_t d = D("2019-12-01"); d <= D("2027-02-01"); d += 3) {
        int32_t x = d;
        for (int n = 1; n <= 12; n++) {
            do x++; while (!duban_calendar_is_workday(cal, x));
            bad += duban_calendar_add_workdays(cal, d, n) != x;
            bad += duban_calendar_workdays_between(cal, d, x) != n;
        }
        x = d;
        for (int n = 1; n <= 12; n++) {
            do x--; while (!duban_calendar_is_workday(cal, x));
            bad += duban_calendar_add_workdays(cal, d, -n) != x;
            /* (x, d] holds the n-1 working days between them, and d. */
            int want = -(n - 1 + (duban_calendar_is_workday(cal, d) ? 1 : 0));
            bad += duban_calendar_workdays_between(cal, d, x) != want;
        }
    }
    CHECK_INT(bad, 0);
}

/* Every day 2019-2028 is a working day exactly as the shipped files say,
 * read here on their own: listed days as listed, the rest Monday-Friday
 * (the calendar answers from its table of days; this is the definition). */
static void test_against_files(const duban_calendar_t *cal)
{
    int32_t from = D("2019-01-01"), to = D("2028-12-31");
    signed char *listed = calloc((size_t)(to - from + 1), 1);   /* 1 off, 2 working */
    for (int y = 2020; y <= 2027; y++) {
        char path[64];
        snprintf(path, sizeof(path), "data/calendar/holidays-%d.json", y);
        json_t *root = json_load_file(path, 0, NULL), *day;
        size_t i;
        CHECK(root != NULL);
        json_array_foreach(json_object_get(root, "days"), i, day) {
            int32_t d = D(json_string_value(json_object_get(day, "date")));
            listed[d - from] = json_is_true(json_object_get(day, "isOffDay")) ? 1 : 2;
        }
        json_decref(root);
    }
    int bad = 0;
    for (int32_t d = from; d <= to; d++) {
        bool want = listed[d - from] ? listed[d - from] == 2 : duban_date_weekday(d) <= 5;
        bad += duban_calendar_is_workday(cal, d) != want;
    }
    CHECK_INT(bad, 0);
    free(listed);
}

static void test_user_file(void)
{
    char err[256] = "";
    duban_calendar_t *cal = NULL;
    CHECK(duban_calendar_new(&cal, err, sizeof(err)) == DUBAN_OK);
    /* 2027 is unpublished: Friday 2027-01-01 follows the plain week. */
    CHECK(duban_calendar_is_workday(cal, D("2027-01-01")));
    char path[] = "/tmp/duban-cal-XXXXXX";
    int fd = mkstemp(path);
    const char *json = "{\"year\":2027,\"days\":[{\"date\":\"2027-01-01\",\"isOffDay\":true},"
                       "{\"date\":\"2027-02-06\",\"isOffDay\":false}]}";
    FILE *f = fdopen(fd, "w");
    fputs(json, f);
    fclose(f);
    CHECK(duban_calendar_load_files(cal, path, err, sizeof(err)) == DUBAN_OK);
    CHECK(!duban_calendar_is_workday(cal, D("2027-01-01")));
    CHECK(duban_calendar_is_workday(cal, D("2027-02-06")));
    CHECK_STR(S(duban_calendar_add_workdays(cal, D("2026-12-31"), 1)), "2027-01-04");
    int first, last;
    duban_calendar_years(cal, &first, &last);
    CHECK_INT(last, 2027);
    /* A later file wins for a date listed twice. */
    const char *fix = "{\"year\":2027,\"days\":[{\"date\":\"2027-01-01\",\"isOffDay\":false}]}";
    CHECK(duban_calendar_load_json(cal, fix, strlen(fix), "fix", err, sizeof(err)) == DUBAN_OK);
    CHECK(duban_calendar_is_workday(cal, D("2027-01-01")));
    unlink(path);
    CHECK(duban_calendar_load_file(cal, path, err, sizeof(err)) == DUBAN_E_IO);
    const char *bad = "{\"year\":2027,\"days\":[{\"date\":\"2027-13-01\",\"isOffDay\":true}]}";
    CHECK(duban_calendar_load_json(cal, bad, strlen(bad), "bad.json", err, sizeof(err))
          == DUBAN_E_PARSE);
    CHECK(strstr(err, "bad.json") != NULL);
    CHECK(duban_calendar_load_json(cal, "{\"year\":", 8, "trunc.json", err, sizeof(err))
          == DUBAN_E_PARSE);
    duban_calendar_destroy(cal);
}

int main(void)
{
    char err[256] = "";
    duban_calendar_t *cal = NULL;
    CHECK(duban_calendar_new(&cal, err, sizeof(err)) == DUBAN_OK);
    if (!cal) {
        fprintf(stderr, "calendar: %s\n", err);
        return 1;
    }
    test_workdays(cal);
    test_moves(cal);
    test_year_totals(cal);
    test_against_walk(cal);
    test_against_files(cal);
    test_user_file();
    duban_calendar_destroy(cal);
    return CHECK_DONE();
}
