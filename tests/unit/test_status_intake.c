/* tests/unit/test_status_intake.c: what duban-status accepts and the event it
 * builds. A validation table over HTTP bodies (every status, EXTENDED with and
 * without a date, bad dates, wrong types, missing actor, unknown fields,
 * oversize, not JSON), the exact event for a full report, the content-hash
 * event_id, the actor taken from the token's name. Every accepted event
 * must also encode with the TaskStatusChanged schema. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "date.h"
#include "hash.h"
#include "serde.h"
#include "status_intake.h"

#define TASK "石大政发〔2022〕56号#二.(一).3"

static int64_t now_ms;
static duban_serde_t *serde;

/* Accepted: returns the event (NEW) after checking it encodes. */
static json_t *accept(const char *body, int line)
{
    char errbuf[512] = "";
    const char *field = NULL;
    json_t *ev = NULL;
    duban_err_t err = duban_status_intake_from_json(TASK, body, strlen(body), "http", NULL, now_ms,
                                                    &ev, &field, errbuf, sizeof(errbuf));
    if (err || !ev) {
        fprintf(stderr, "line %d: rejected %s: %s\n", line, body, errbuf);
        CHECK(!"accepted");
        return NULL;
    }
    void *buf = NULL;
    size_t len = 0;
    err = duban_serde_encode(serde, DUBAN_EV_TASK_STATUS_CHANGED, NULL, ev, &buf, &len, errbuf,
                             sizeof(errbuf));
    if (err)
        fprintf(stderr, "line %d: does not encode: %s\n", line, errbuf);
    CHECK(err == DUBAN_OK && len > 5);
    free(buf);
    return ev;
}

/* Rejected with `want_err`, naming `want_field`, message containing `want_msg`. */
static void reject(const char *body, size_t len, duban_err_t want_err, const char *want_field,
                   const char *want_msg, int line)
{
    char errbuf[512] = "";
    const char *field = NULL;
    json_t *ev = NULL;
    duban_err_t err = duban_status_intake_from_json(TASK, body, len, "http", NULL, now_ms, &ev,
                                                    &field, errbuf, sizeof(errbuf));
    if (err != want_err || !field || strcmp(field, want_field) != 0 ||
        !strstr(errbuf, want_msg) || strncmp(errbuf, want_field, strlen(want_field)) != 0) {
        fprintf(stderr, "line %d: %.100s -> err %d field %s msg \"%s\"\n", line, body, err,
                field ? field : "(null)", errbuf);
        CHECK(!"rejected as expected");
    } else {
        CHECK(ev == NULL);
    }
    json_decref(ev);
}
#define ACCEPT(body) accept(body, __LINE__)
#define REJECT(body, err, field, msg) reject(body, strlen(body), err, field, msg, __LINE__)

static void test_every_status(void)
{
    for (size_t i = 0; duban_status_intake_statuses[i]; i++) {
        const char *st = duban_status_intake_statuses[i];
        char body[256];
        bool ext = strcmp(st, "EXTENDED") == 0;
        snprintf(body, sizeof(body), "{\"to_status\":\"%s\",\"from_status\":\"%s\",%s"
                 "\"actor\":\"区卫健局\"}", st, st, ext ? "\"new_due_date\":\"2023-09-30\"," : "");
        json_t *ev = ACCEPT(body);
        CHECK_STR(json_string_value(json_object_get(ev, "to_status")), st);
        CHECK_STR(json_string_value(json_object_get(ev, "from_status")), st);
        if (ext)
            CHECK_STR(json_string_value(json_object_get(ev, "new_due_date")), "2023-09-30");
        else
            CHECK(json_is_null(json_object_get(ev, "new_due_date")));
        json_decref(ev);
    }
    size_t count = 0;
    while (duban_status_intake_statuses[count])
        count++;
    CHECK_INT(count, 9);
    CHECK(!duban_status_intake_is_status("completed"));
    CHECK(!duban_status_intake_is_status(""));
    CHECK(!duban_status_intake_is_status(NULL));
}

static void test_rejections(void)
{
    REJECT("{\"to_status\":\"DONE\",\"actor\":\"a\"}", DUBAN_E_INVAL, "to_status",
           "unknown status \"DONE\"");
    REJECT("{\"to_status\":\"completed\",\"actor\":\"a\"}", DUBAN_E_INVAL, "to_status",
           "unknown status");
    REJECT("{\"actor\":\"a\"}", DUBAN_E_INVAL, "to_status", "missing");
    REJECT("{\"to_status\":null,\"actor\":\"a\"}", DUBAN_E_INVAL, "to_status", "missing");
    REJECT("{\"to_status\":3,\"actor\":\"a\"}", DUBAN_E_INVAL, "to_status", "not a string");
    REJECT("{\"to_status\":\"COMPLETED\",\"from_status\":\"DONE\",\"actor\":\"a\"}",
           DUBAN_E_INVAL, "from_status", "unknown status");
    REJECT("{\"to_status\":\"COMPLETED\",\"from_status\":\"\",\"actor\":\"a\"}",
           DUBAN_E_INVAL, "from_status", "unknown status");
    /* EXTENDED needs a date; only EXTENDED takes one. */
    REJECT("{\"to_status\":\"EXTENDED\",\"actor\":\"a\"}", DUBAN_E_INVAL, "new_due_date",
           "required for EXTENDED");
    REJECT("{\"to_status\":\"EXTENDED\",\"new_due_date\":null,\"actor\":\"a\"}", DUBAN_E_INVAL,
           "new_due_date", "required for EXTENDED");
    REJECT("{\"to_status\":\"EXTENSION_REQUESTED\",\"new_due_date\":\"2023-09-30\","
           "\"actor\":\"a\"}", DUBAN_E_INVAL, "new_due_date", "only allowed with");
    static const char *bad_dates[] = {"2023-02-29", "2023-13-01", "2023-9-30", "20230930",
                                      "2023-09-31", "2023-09-30T00:00:00+08:00", "",
                                      "2023年9月30日", "0000-00-00"};
    for (size_t i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
        char body[256];
        snprintf(body, sizeof(body), "{\"to_status\":\"EXTENDED\",\"new_due_date\":\"%s\","
                 "\"actor\":\"a\"}", bad_dates[i]);
        REJECT(body, DUBAN_E_INVAL, "new_due_date", "not a YYYY-MM-DD date");
    }
    REJECT("{\"to_status\":\"EXTENDED\",\"new_due_date\":20230930,\"actor\":\"a\"}",
           DUBAN_E_INVAL, "new_due_date", "not a string");
    /* actor */
    REJECT("{\"to_status\":\"COMPLETED\"}", DUBAN_E_INVAL, "actor", "missing");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"\"}", DUBAN_E_INVAL, "actor", "empty");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":[\"a\"]}", DUBAN_E_INVAL, "actor",
           "not a string");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\\nb\"}", DUBAN_E_INVAL, "actor",
           "control characters");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\\u0000b\"}", DUBAN_E_PARSE, "body",
           "not JSON");
    /* comment */
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"comment\":\"a\\rb\"}",
           DUBAN_E_INVAL, "comment", "control characters");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"comment\":\"a\\u2029b\"}",
           DUBAN_E_INVAL, "comment", "control characters");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"comment\":\"a\\u009fb\"}",
           DUBAN_E_INVAL, "comment", "control characters");
    /* blanks, line separators and C1 controls (NEL), \r; odd offsets */
    static const char *const more[][3] = {
        {"\"actor\":\"   \"", "actor", "blank"},
        {"\"actor\":\"\\u3000 \"", "actor", "blank"},
        {"\"actor\":\"a\\u0085b\"", "actor", "control characters"},
        {"\"actor\":\"a\\u2028b\"", "actor", "control characters"},
        {"\"actor\":\"a\",\"comment\":\"a\\rb\"", "comment", "control characters"},
        {"\"actor\":\"a\",\"comment\":\"a\\u2029b\"", "comment", "control characters"},
        {"\"actor\":\"a\",\"comment\":\"a\\u009fb\"", "comment", "control characters"},
        {"\"actor\":\"a\",\"occurred_at\":\"2023-07-01T09:00:00+99:00\"", "occurred_at",
         "not an ISO-8601"},
        {"\"actor\":\"a\",\"occurred_at\":\"2023-07-01T09:00:00+14:01\"", "occurred_at",
         "not an ISO-8601"},
        {"\"actor\":\"a\",\"occurred_at\":\"2023-07-01T09:00:00+05:60\"", "occurred_at",
         "not an ISO-8601"},
    };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
        char body[256];
        snprintf(body, sizeof(body), "{\"to_status\":\"COMPLETED\",%s}", more[i][0]);
        REJECT(body, DUBAN_E_INVAL, more[i][1], more[i][2]);
    }
    /* the body itself */
    REJECT("", DUBAN_E_PARSE, "body", "not JSON");
    REJECT("to_status=COMPLETED", DUBAN_E_PARSE, "body", "not JSON");
    REJECT("[\"COMPLETED\"]", DUBAN_E_PARSE, "body", "not a JSON object");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\"", DUBAN_E_PARSE, "body", "not JSON");
    REJECT("{\"to_status\":\"COMPLETED\",\"to_status\":\"CANCELLED\",\"actor\":\"a\"}",
           DUBAN_E_PARSE, "body", "duplicate");
    REJECT("{\"to_status\":\"COMPLETED\",\"actor\":\"\xff\xfe\"}", DUBAN_E_PARSE, "body",
           "not JSON");
}

static void test_oversize(void)
{
    /* A valid report padded with an unknown field: accepted up to the cap. */
    const char *head = "{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"pad\":\"";
    size_t hlen = strlen(head);
    char *body = malloc(DUBAN_STATUS_MAX_BODY + 2);
    memcpy(body, head, hlen);
    size_t pad = DUBAN_STATUS_MAX_BODY - hlen - 2;
    memset(body + hlen, 'x', pad);
    memcpy(body + hlen + pad, "\"}", 3);
    CHECK_INT(strlen(body), DUBAN_STATUS_MAX_BODY);
    json_t *ev = ACCEPT(body);
    CHECK(ev && !json_object_get(ev, "pad"));
    json_decref(ev);
    /* One byte more is refused before parsing. */
    memcpy(body + hlen + pad, "x\"}", 4);
    reject(body, strlen(body), DUBAN_E_TOO_LARGE, "body", "over 65536 bytes", __LINE__);
    free(body);
    /* Field caps. */
    char big[DUBAN_STATUS_MAX_COMMENT + 100];
    int n = snprintf(big, sizeof(big), "{\"to_status\":\"COMPLETED\",\"actor\":\"");
    memset(big + n, 'a', DUBAN_STATUS_MAX_ACTOR + 1);
    memcpy(big + n + DUBAN_STATUS_MAX_ACTOR + 1, "\"}", 3);
    REJECT(big, DUBAN_E_INVAL, "actor", "longer than 256 bytes");
    n = snprintf(big, sizeof(big), "{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"comment\":\"");
    memset(big + n, 'c', DUBAN_STATUS_MAX_COMMENT + 1);
    memcpy(big + n + DUBAN_STATUS_MAX_COMMENT + 1, "\"}", 3);
    REJECT(big, DUBAN_E_INVAL, "comment", "longer than 16384 bytes");
}

static void test_full_event(void)
{
    json_t *ev = ACCEPT("{\"to_status\":\"EXTENDED\",\"from_status\":\"EXTENSION_REQUESTED\","
                        "\"new_due_date\":\"2023-09-30\",\"actor\":\"区卫健局\","
                        "\"comment\":\"同意延期。\\n第二行\",\"occurred_at\":\"2023-06-30T01:00:00Z\","
                        "\"unknown\":{\"nested\":[1,2]},\"event_id\":\"forged\","
                        "\"task_id\":\"other#1\"}");
    char want_id[DUBAN_SHA256_HEX_SIZE];
    const char *parts[] = {TASK, "EXTENDED", "2023-06-30T09:00:00+08:00", "区卫健局"};
    duban_sha256_hex_parts(parts, 4, want_id);
    char *s = json_dumps(ev, JSON_COMPACT);
    char want[1024];
    snprintf(want, sizeof(want),
             "{\"type\":\"TaskStatusChanged\",\"event_id\":\"%s\","
             "\"occurred_at\":\"2023-06-30T09:00:00+08:00\",\"schema_version\":1,"
             "\"source\":{\"file\":\"http:区卫健局\",\"line\":0,\"offset\":-1},"
             "\"task_id\":\"" TASK "\",\"from_status\":\"EXTENSION_REQUESTED\","
             "\"to_status\":\"EXTENDED\",\"new_due_date\":\"2023-09-30\",\"actor\":\"区卫健局\","
             "\"comment\":\"同意延期。\\n第二行\"}", want_id);
    CHECK_STR(s, want);
    free(s);
    json_decref(ev);

    /* Same fact, other spelling of the instant (epoch ms): same event_id. */
    ev = ACCEPT("{\"to_status\":\"EXTENDED\",\"new_due_date\":\"2023-09-30\","
                "\"actor\":\"区卫健局\",\"occurred_at\":1688086800000}");
    CHECK_STR(json_string_value(json_object_get(ev, "event_id")), want_id);
    json_decref(ev);
    /* Another actor or status: another id. */
    ev = ACCEPT("{\"to_status\":\"EXTENDED\",\"new_due_date\":\"2023-09-30\","
                "\"actor\":\"区教育局\",\"occurred_at\":1688086800000}");
    CHECK(strcmp(json_string_value(json_object_get(ev, "event_id")), want_id) != 0);
    json_decref(ev);

    /* No occurred_at: now; nulls for absent optionals. */
    ev = ACCEPT("{\"to_status\":\"COMPLETED\",\"actor\":\"a\",\"comment\":null}");
    int64_t at = 0;
    CHECK(duban_instant_parse(json_string_value(json_object_get(ev, "occurred_at")), &at) ==
          DUBAN_OK);
    CHECK_INT(at, now_ms);
    CHECK(json_is_null(json_object_get(ev, "from_status")));
    CHECK(json_is_null(json_object_get(ev, "comment")));
    json_decref(ev);
}

static void test_cli_report(void)
{
    char errbuf[256];
    const char *field = NULL;
    json_t *ev = NULL;
    duban_status_report_t r = {.task_id = TASK, .to_status = "COMPLETED", .actor = "区卫健局",
                               .from_status = "IN_PROGRESS", .occurred_at = "2023-07-01"};
    CHECK(duban_status_intake_build(&r, "cli", now_ms, &ev, &field, errbuf, sizeof(errbuf)) ==
          DUBAN_OK);
    CHECK_STR(json_string_value(json_object_get(json_object_get(ev, "source"), "file")),
              "cli:区卫健局");
    CHECK_STR(json_string_value(json_object_get(ev, "occurred_at")), "2023-07-01T00:00:00+08:00");
    json_decref(ev);
    /* task ids: doc_id#path, no control characters, not invalid UTF-8. */
    static const char *bad_ids[] = {"", "石大政发〔2022〕56号", "#二.3", "doc#", "a#b\tc",
                                    "a#\xe7\x9f", NULL};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        r.task_id = bad_ids[i];
        ev = NULL;
        field = NULL;
        CHECK(duban_status_intake_build(&r, "cli", now_ms, &ev, &field, errbuf,
                                        sizeof(errbuf)) == DUBAN_E_INVAL);
        CHECK_STR(field, "task_id");
        CHECK(ev == NULL);
    }
    r.task_id = TASK;
    r.actor = "\xe5\x8c";
    CHECK(duban_status_intake_build(&r, "cli", now_ms, &ev, &field, errbuf, sizeof(errbuf)) ==
          DUBAN_E_INVAL);
    CHECK_STR(field, "actor");
    CHECK(strstr(errbuf, "UTF-8") != NULL);
}

/* Task ids the URL carried oddly; the actor from the token. */
static void test_principal(void)
{
    static const char *const bad_ids[] = {"a#b\xc2\x85", "a#b\xe2\x80\xa8", "a#b%zz",
                                          "a#b%", "a%23b", "a#\x7f"};
    for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
        char errbuf[256];
        const char *field = NULL;
        json_t *ev = NULL;
        const char *body = "{\"to_status\":\"ACCEPTED\"}";
        CHECK(duban_status_intake_from_json(bad_ids[i], body, strlen(body), "http", "p", now_ms,
                                            &ev, &field, errbuf, sizeof(errbuf)) ==
              DUBAN_E_INVAL);
        CHECK_STR(field, "task_id");
        CHECK(ev == NULL);
    }
    char errbuf[256];
    const char *field = NULL;
    json_t *ev = NULL;
    const char *body = "{\"to_status\":\"ACCEPTED\"}";
    CHECK(duban_status_intake_from_json(TASK, body, strlen(body), "http", "区卫健局", now_ms, &ev,
                                        &field, errbuf, sizeof(errbuf)) == DUBAN_OK);
    CHECK_STR(json_string_value(json_object_get(ev, "actor")), "区卫健局");
    CHECK_STR(json_string_value(json_object_get(json_object_get(ev, "source"), "file")),
              "http:区卫健局");
    json_decref(ev);
    ev = NULL;
    body = "{\"to_status\":\"ACCEPTED\",\"actor\":\"区财政局\"}";
    CHECK(duban_status_intake_from_json(TASK, body, strlen(body), "http", "区卫健局", now_ms, &ev,
                                        &field, errbuf, sizeof(errbuf)) == DUBAN_E_INVAL);
    CHECK_STR(field, "actor");
    CHECK(ev == NULL);
}

int main(void)
{
    char errbuf[256];
    now_ms = duban_instant_at(duban_date_from_ymd(2023, 7, 15), 10, 30) + 123;
    if (duban_serde_new(NULL, &serde, errbuf, sizeof(errbuf)) != DUBAN_OK) {
        fprintf(stderr, "serde: %s\n", errbuf);
        return 1;
    }
    test_every_status();
    test_rejections();
    test_oversize();
    test_full_event();
    test_cli_report();
    test_principal();
    duban_serde_destroy(serde);
    return CHECK_DONE();
}
