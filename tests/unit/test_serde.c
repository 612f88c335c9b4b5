/* tests/unit/test_serde.c: events <-> Confluent-framed Avro.
 * Every fixture event (all six types) must round-trip equal; the direct
 * writer must produce exactly the bytes avro-c's own writer produces; bad
 * frames and every truncation must give typed errors, never a crash. */
#include <stdlib.h>
#include <string.h>
#include "avro_json.h"
#include "check.h"
#include "check_json.h"
#include "date.h"
#include "embedded.h"
#include "serde.h"

/* Encode with avro-c's generic value + avro_value_write, for comparison. */
static size_t avro_c_encode(duban_event_type_t type, const json_t *ev, char *out, size_t cap)
{
    char errbuf[256];
    duban_avro_plan_t *plan;
    const duban_embedded_file_t *f = duban_embedded_get(duban_event_schema_file(type));
    if (duban_avro_plan_new(f->data, &plan, errbuf, sizeof(errbuf)))
        return 0;
    avro_value_iface_t *iface = avro_generic_class_from_schema(duban_avro_plan_schema(plan));
    avro_value_t v;
    avro_generic_value_new(iface, &v);
    size_t len = 0;
    if (duban_avro_from_json(plan, ev, &v, errbuf, sizeof(errbuf)) == DUBAN_OK) {
        avro_writer_t w = avro_writer_memory(out, (int64_t)cap);
        if (avro_value_write(w, &v) == 0)
            len = (size_t)avro_writer_tell(w);
        avro_writer_free(w);
    }
    avro_value_decref(&v);
    avro_value_iface_decref(iface);
    duban_avro_plan_destroy(plan);
    return len;
}

static void test_roundtrip(duban_serde_t *s, json_t *events)
{
    size_t i;
    json_t *ev;
    int types_seen = 0;
    json_array_foreach(events, i, ev) {
        duban_event_type_t type, got_type;
        char errbuf[512];
        CHECK(duban_event_type_from_name(json_string_value(json_object_get(ev, "type")),
                                         &type) == DUBAN_OK);
        types_seen |= 1 << type;
        void *buf = NULL;
        size_t len = 0;
        CHECK_INT(duban_serde_encode(s, type, NULL, ev, &buf, &len, errbuf, sizeof(errbuf)),
                  DUBAN_OK);
        CHECK_INT(((unsigned char *)buf)[0], 0);
        CHECK_INT(((unsigned char *)buf)[4], type + 1); /* built-in ids 1..6 */
        char ref[16384];
        size_t ref_len = avro_c_encode(type, ev, ref, sizeof(ref));
        CHECK(ref_len > 0 && ref_len == len - 5 && memcmp(ref, (char *)buf + 5, ref_len) == 0);
        json_t *back = NULL;
        CHECK_INT(duban_serde_decode(s, buf, len, &got_type, &back, errbuf, sizeof(errbuf)),
                  DUBAN_OK);
        CHECK_INT(got_type, type);
        CHECK(back && json_equal(back, ev));
        if (back && !json_equal(back, ev)) {
            char *a = json_dumps(ev, JSON_SORT_KEYS), *b = json_dumps(back, JSON_SORT_KEYS);
            fprintf(stderr, "  sent: %s\n   got: %s\n", a, b);
            free(a);
            free(b);
        }
        json_decref(back);
        free(buf);
    }
    CHECK_INT(types_seen, (1 << DUBAN_EV__COUNT) - 1);
}

static void test_bad_frames(duban_serde_t *s, json_t *events)
{
    char errbuf[512];
    duban_event_type_t type;
    json_t *ev = NULL;
    json_t *task = json_array_get(events, 1);
    void *buf;
    size_t len;
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_OK);
    unsigned char *bytes = buf;
    bytes[0] = 1;
    CHECK_INT(duban_serde_decode(s, bytes, len, &type, &ev, errbuf, sizeof(errbuf)),
              DUBAN_E_MAGIC);
    CHECK(strstr(errbuf, "magic") != NULL);
    bytes[0] = 0;
    bytes[4] = 99;
    CHECK_INT(duban_serde_decode(s, bytes, len, &type, &ev, errbuf, sizeof(errbuf)),
              DUBAN_E_UNKNOWN_SCHEMA);
    bytes[4] = 2;
    /* Every truncation is an error, never a crash or a success. */
    int all_failed = 1;
    for (size_t cut = 0; cut < len; cut++) {
        duban_err_t err = duban_serde_decode(s, bytes, cut, &type, &ev, errbuf, sizeof(errbuf));
        if (err == DUBAN_OK) {
            all_failed = 0;
            json_decref(ev);
        }
    }
    CHECK(all_failed);
    /* The error names the field and the byte where the body ran out. */
    CHECK_INT(duban_serde_decode(s, bytes, 100, &type, &ev, errbuf, sizeof(errbuf)),
              DUBAN_E_TRUNCATED);
    CHECK(strstr(errbuf, "TaskAssigned.") != NULL && strstr(errbuf, "at byte") != NULL);
    /* A byte too many is as wrong as a byte too few. */
    unsigned char *longer = malloc(len + 1);
    memcpy(longer, bytes, len);
    longer[len] = 0;
    CHECK_INT(duban_serde_decode(s, longer, len + 1, &type, &ev, errbuf, sizeof(errbuf)),
              DUBAN_E_TRUNCATED);
    CHECK(strstr(errbuf, "1 bytes left after the record") != NULL);
    free(longer);
    /* A corrupt length must not make anyone allocate it: claim 2^62 bytes. */
    unsigned char huge[16] = {0, 0, 0, 0, 2, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    CHECK_INT(duban_serde_decode(s, huge, 14, &type, &ev, errbuf, sizeof(errbuf)),
              DUBAN_E_TRUNCATED);
    CHECK_INT(duban_serde_decode(s, bytes, len, &type, &ev, errbuf, sizeof(errbuf)), DUBAN_OK);
    json_decref(ev);
    free(buf);
}

static void test_encode_errors(duban_serde_t *s, json_t *events)
{
    char errbuf[512];
    void *buf = NULL;
    size_t len;
    json_t *task = json_deep_copy(json_array_get(events, 1));
    json_object_set_new(task, "due_date", json_string("2023-13-45"));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_PARSE);
    CHECK_STR(errbuf, "TaskAssigned.due_date: not a YYYY-MM-DD date");
    json_object_del(task, "due_date"); /* optional: absent is null */
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_OK);
    free(buf);
    json_object_del(task, "task_id");
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_SCHEMA);
    CHECK_STR(errbuf, "TaskAssigned.task_id: missing");
    json_object_set_new(task, "task_id", json_string("t"));
    json_object_set_new(task, "deadline_kind", json_string("SOMEDAY"));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_SCHEMA);
    CHECK_STR(errbuf, "TaskAssigned.deadline_kind: not a symbol of the enum");
    json_object_set_new(task, "deadline_kind", json_string("DATED"));
    json_array_append_new(json_object_get(task, "milestones"),
                          json_pack("{s:s, s:i}", "text", "x", "due_date", 5));
    json_object_set_new(json_array_get(json_object_get(task, "milestones"), 0), "due_date",
                        json_true());
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_PARSE);
    CHECK_STR(errbuf, "TaskAssigned.milestones.due_date: not a YYYY-MM-DD date");
    json_array_clear(json_object_get(task, "milestones"));
    /* The writer's shortcuts (string, optional string, array of strings)
     * hand a wrong value to the general path, which names it. */
    json_array_append_new(json_object_get(task, "lead_units"), json_integer(7));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_SCHEMA);
    CHECK_STR(errbuf, "TaskAssigned.lead_units: expected a string");
    json_array_remove(json_object_get(task, "lead_units"),
                      json_array_size(json_object_get(task, "lead_units")) - 1);
    json_object_set_new(task, "deadline_text", json_integer(3));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_SCHEMA);
    CHECK_STR(errbuf, "TaskAssigned.deadline_text: expected a string");
    json_object_set_new(task, "deadline_text", json_null());
    json_object_set_new(task, "doc_id", json_false());
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_E_SCHEMA);
    CHECK_STR(errbuf, "TaskAssigned.doc_id: expected a string");
    json_object_set_new(task, "doc_id", json_string("d"));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_OK);
    free(buf);
    json_decref(task);
}

/* review and correction are additive: a TaskAssigned written before they
 * existed (no such keys) encodes with the schema's defaults, [] and null,
 * and a set correction comes back as written. */
static void test_additive_fields(duban_serde_t *s, json_t *events)
{
    char errbuf[512];
    void *buf = NULL;
    size_t len;
    duban_event_type_t type;
    json_t *task = json_deep_copy(json_array_get(events, 1)), *back = NULL;
    CHECK_STR(json_string_value(json_object_get(task, "type")), "TaskAssigned");
    json_object_del(task, "review");
    json_object_del(task, "correction");
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_OK);
    CHECK_INT(duban_serde_decode(s, buf, len, &type, &back, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK(back && json_is_array(json_object_get(back, "review")) &&
          json_array_size(json_object_get(back, "review")) == 0);
    CHECK(back && json_is_null(json_object_get(back, "correction")));
    free(buf);
    json_decref(back);
    json_object_set_new(task, "review", json_pack("[s,s]", "NO_LEAD", "UNKNOWN_UNIT"));
    json_object_set_new(task, "correction",
                        json_pack("{s:s,s:s}", "author", "督查室", "reason", "牵头单位识别错误"));
    CHECK_INT(duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, task, &buf, &len, errbuf,
                                 sizeof(errbuf)), DUBAN_OK);
    back = NULL;
    CHECK_INT(duban_serde_decode(s, buf, len, &type, &back, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK(back && json_equal(back, task));
    free(buf);
    json_decref(back);
    json_decref(task);
}

static void test_dates(void)
{
    int32_t d;
    int64_t ms;
    char buf[32];
    CHECK_INT(duban_date_parse("2023-06-30", &d), DUBAN_OK);
    CHECK_INT(d, 19538);
    CHECK_INT(duban_date_weekday(d), 5); /* a Friday */
    CHECK_INT(duban_date_parse("2023-02-29", &d), DUBAN_E_PARSE);
    CHECK_INT(duban_date_parse("2024-02-29", &d), DUBAN_OK);
    CHECK_INT(duban_instant_parse("2023-06-30T09:00:00+08:00", &ms), DUBAN_OK);
    CHECK_INT(ms, 1688086800000LL);
    CHECK_STR(duban_instant_format(ms, buf), "2023-06-30T09:00:00+08:00");
    CHECK_INT(duban_instant_parse("2023-06-30T01:00:00Z", &ms), DUBAN_OK);
    CHECK_INT(ms, 1688086800000LL);
    CHECK_INT(duban_instant_parse("1688086800123", &ms), DUBAN_OK);
    CHECK_STR(duban_instant_format(ms, buf), "2023-06-30T09:00:00.123+08:00");
    CHECK_INT(duban_date_of_instant(duban_instant_at(19538, 23, 59)), 19538);
    CHECK_INT(duban_instant_parse("2023-06-30T25:00:00+08:00", &ms), DUBAN_E_PARSE);
    CHECK_INT(duban_instant_parse("yesterday", &ms), DUBAN_E_PARSE);
}

int main(void)
{
    char errbuf[512];
    duban_serde_t *s = NULL;
    CHECK_INT(duban_serde_new(NULL, &s, errbuf, sizeof(errbuf)), DUBAN_OK);
    json_t *events = check_load_jsonl("tests/fixtures/serde/events.jsonl");
    CHECK_INT(json_array_size(events), 20);
    if (s && json_array_size(events) == 20) {
        test_roundtrip(s, events);
        test_bad_frames(s, events);
        test_encode_errors(s, events);
        test_additive_fields(s, events);
    }
    test_dates();
    json_decref(events);
    duban_serde_destroy(s);
    return CHECK_DONE();
}
