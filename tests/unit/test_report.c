/* tests/unit/test_report.c: the report's HTML escaping, alone and on a
 * department named with <&>" in a page rendered from an in-memory store
 * (the integration test analytics_report renders the gazettes' store in
 * Chromium). Three tasks on 2022-06-30, a Thursday: one overdue, one due the
 * next day (yellow), one completed before its due date (on time). */
#include <string.h>
#include <jansson.h>
#include "calendar.h"
#include "check.h"
#include "date.h"
#include "report.h"
#include "store.h"

static const char *escaped(duban_buf_t *b, const char *s)
{
    duban_buf_reset(b);
    duban_report_escape(b, s);
    return duban_buf_cstr(b);
}

static void put(duban_store_t *st, duban_event_type_t type, const char *json)
{
    json_error_t jerr;
    json_t *ev = json_loads(json, 0, &jerr);
    char errbuf[256] = "";
    CHECK(ev != NULL);
    CHECK_INT(duban_store_put(st, type, ev, errbuf, sizeof(errbuf)), DUBAN_OK);
    json_decref(ev);
}

static void task(duban_store_t *st, const char *id, const char *lead, const char *due,
                 const char *review)
{
    char json[1024];
    snprintf(json, sizeof(json),
             "{\"task_id\":\"%s\",\"doc_id\":\"d\",\"lead_departments\":[\"%s\"],"
             "\"cooperating_departments\":[],\"due_date\":\"%s\",\"deadline_kind\":\"DATED\","
             "\"deadline_text\":\"6月底前\",\"text\":\"t\",\"review\":%s,"
             "\"occurred_at\":\"2022-05-01T00:00:00+08:00\"}", id, lead, due, review);
    put(st, DUBAN_EV_TASK_ASSIGNED, json);
}

static void test_escape(void)
{
    duban_buf_t b;
    duban_buf_init(&b, 4096);
    CHECK_STR(escaped(&b, "区<&>\"'局"), "区&lt;&amp;&gt;&quot;&#39;局");
    CHECK_STR(escaped(&b, "区财政局"), "区财政局");
    CHECK_STR(escaped(&b, ""), "");
    CHECK_STR(escaped(&b, "&&"), "&amp;&amp;");
    duban_buf_free(&b);
}

static void test_page(void)
{
    duban_store_t *st = NULL;
    char errbuf[256] = "";
    CHECK_INT(duban_store_open(":memory:", true, &st, errbuf, sizeof(errbuf)), DUBAN_OK);
    if (!st)
        return;
    task(st, "a#1", "区<&>\\\"局", "2022-06-01", "[\"NO_LEAD\", \"X<Y\"]");
    task(st, "a#2", "区财政局", "2022-07-01", "[]");
    task(st, "a#3", "区财政局", "2022-06-25", "[]");
    put(st, DUBAN_EV_TASK_STATUS_CHANGED,
        "{\"event_id\":\"e1\",\"task_id\":\"a#3\",\"to_status\":\"COMPLETED\","
        "\"occurred_at\":\"2022-06-20T10:00:00+08:00\"}");
    duban_calendar_t *cal = NULL;
    CHECK_INT(duban_calendar_new(&cal, errbuf, sizeof(errbuf)), DUBAN_OK);
    int64_t now;
    CHECK_INT(duban_instant_parse("2022-06-30T12:00:00+08:00", &now), DUBAN_OK);
    duban_report_opts_t o = {.now_ms = now, .yellow_days = 3, .cal = cal};
    duban_buf_t page;
    duban_buf_init(&page, DUBAN_BUF_MAX_DEFAULT);
    CHECK_INT(duban_report_render(st, &o, &page, errbuf, sizeof(errbuf)), DUBAN_OK);
    const char *html = duban_buf_cstr(&page);
    CHECK(html != NULL);
    html = html ? html : "";
    CHECK(strstr(html, "<tr><td class=\"l\">区&lt;&amp;&gt;&quot;局</td>"
                       "<td class=\"rc\">1</td><td>0</td><td>0</td><td>1</td>") != NULL);
    CHECK(strstr(html, "区<&>") == NULL);
    CHECK(strstr(html, "<tr><td class=\"l\">区财政局</td><td>0</td><td class=\"yc\">1</td>"
                       "<td>0</td><td>1</td>") != NULL);
    CHECK(strstr(html, "100.0%（1/1）") != NULL);
    CHECK(strstr(html, "统计日 1 项") != NULL);
    CHECK(strstr(html, "未识别出牵头单位（NO_LEAD）；X&lt;Y") != NULL);
    CHECK(strstr(html, "<script") == NULL && strstr(html, "http") == NULL);
    duban_buf_free(&page);
    duban_calendar_destroy(cal);
    duban_store_close(st);
}

int main(void)
{
    test_escape();
    test_page();
    return CHECK_DONE();
}
