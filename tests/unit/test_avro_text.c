/* tests/unit/test_avro_text.c: Avro bytes printed straight as JSON text
 * (duban_avro_write_text, duban_serde_decode_text) against the general path
 * (avro-c value -> jansson object -> json_dumps, JSON_COMPACT), which is what
 * duban-replay printed before. For every fixture event (all six types) and
 * for strings jansson escapes (quotes, backslashes, control characters,
 * U+2028, 4-byte UTF-8): the same bytes. Then every truncation and every
 * flipped byte of each message: the direct printer either prints exactly
 * what the general path prints or appends nothing and the general path
 * fails too (decode_text then gives the general path's error, word for
 * word); invalid UTF-8 in a string falls back the same way. The
 * occurred_at that --occurred-since reads from the bytes equals the
 * event's. */
#include <stdlib.h>
#include <string.h>
#include "avro_json.h"
#include "avro_text.h"
#include "check.h"
#include "check_json.h"
#include "date.h"
#include "embedded.h"
#include "serde.h"

/* What duban-replay printed before: the general decoder and json_dumps.
 * NULL when it fails (errbuf set). */
static char *general_text(duban_serde_t *s, const void *msg, size_t len, char *errbuf,
                          size_t errbuf_size)
{
    duban_event_type_t type;
    json_t *ev;
    if (duban_serde_decode(s, msg, len, &type, &ev, errbuf, errbuf_size))
        return NULL;
    char *text = json_dumps(ev, JSON_COMPACT);
    json_decref(ev);
    return text;
}

/* Compares decode_text of one framed message with the general path.
 * Returns 1 when the general path decodes it (and the texts were compared),
 * 0 when it fails (and decode_text failed with the same words). */
static int compare_one(duban_serde_t *s, const unsigned char *msg, size_t len, int verbose)
{
    char gerr[512] = "", derr[512] = "";
    char *want = general_text(s, msg, len, gerr, sizeof(gerr));
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_buf_append(&b, "x", 1); /* something before: appended, not replaced */
    duban_event_type_t type;
    duban_err_t err = duban_serde_decode_text(s, msg, len, &type, &b, derr, sizeof(derr));
    int direct = 0;
    if (want) {
        CHECK_INT(err, DUBAN_OK);
        int same = b.len == strlen(want) + 1 && memcmp(b.data + 1, want, b.len - 1) == 0;
        CHECK(same);
        if (!same && verbose)
            fprintf(stderr, "  want %s\n   got %.*s\n", want, (int)b.len - 1, b.data + 1);
        free(want);
        direct = 1;
    } else {
        CHECK(err != DUBAN_OK);
        CHECK_INT(b.len, 1);       /* nothing appended */
        CHECK_STR(derr, gerr);     /* the general path's words */
    }
    duban_buf_free(&b);
    return direct;
}

/* The direct printer on one plan, for the fallback checks: 0 when it
 * printed, else its error (and nothing appended). */
static duban_err_t direct_only(duban_event_type_t type, const void *body, size_t len,
                               size_t *appended)
{
    char errbuf[256];
    duban_avro_plan_t *plan;
    const duban_embedded_file_t *f = duban_embedded_get(duban_event_schema_file(type));
    if (duban_avro_plan_new(f->data, &plan, errbuf, sizeof(errbuf)))
        return DUBAN_E_SCHEMA;
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_err_t err = duban_avro_write_text(plan, body, len, duban_event_type_name(type), &b);
    *appended = b.len;
    duban_buf_free(&b);
    duban_avro_plan_destroy(plan);
    return err;
}

static void test_events(duban_serde_t *s, json_t *events, int *types_seen)
{
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        duban_event_type_t type;
        char errbuf[512];
        void *msg;
        size_t len;
        if (duban_event_type_from_name(json_string_value(json_object_get(ev, "type")), &type))
            continue;
        if (duban_serde_encode(s, type, NULL, ev, &msg, &len, errbuf, sizeof(errbuf))) {
            fprintf(stderr, "  encode: %s\n", errbuf);
            CHECK(0);
            continue;
        }
        *types_seen |= 1 << type;
        CHECK_INT(compare_one(s, msg, len, 1), 1);
        size_t appended = 0;   /* printed by the direct printer, not a fallback */
        CHECK_INT(direct_only(type, (char *)msg + 5, len - 5, &appended), DUBAN_OK);
        CHECK(appended > 0);
        /* occurred_at read without decoding the rest (--occurred-since) */
        int64_t occurred = 0, want_at = -1;
        CHECK_INT(duban_serde_occurred_at(s, msg, len, &occurred, errbuf, sizeof(errbuf)), DUBAN_OK);
        CHECK_INT(duban_instant_parse(json_string_value(json_object_get(ev, "occurred_at")),
                                      &want_at), DUBAN_OK);
        CHECK_INT(occurred, want_at);
        for (size_t cut = 5; cut < 8 && cut < len; cut++) /* cut inside event_id */
            CHECK(duban_serde_occurred_at(s, msg, cut, &occurred, errbuf, sizeof(errbuf)) != DUBAN_OK);
        /* every truncation and every flipped byte: equal, or both fail */
        int printed = 0, fell_back = 0;
        for (size_t cut = 0; cut < len; cut++)
            compare_one(s, msg, cut, 0) ? printed++ : fell_back++;
        unsigned char *copy = malloc(len);
        for (size_t at = 5; at < len; at++) {
            memcpy(copy, msg, len);
            copy[at] ^= 0x80;
            compare_one(s, copy, len, 0) ? printed++ : fell_back++;
            copy[at] ^= 0xc1;
            compare_one(s, copy, len, 0) ? printed++ : fell_back++;
        }
        CHECK(fell_back > 0);
        free(copy);
        free(msg);
    }
}

/* Strings jansson escapes, in every string field a TaskStatusChanged has. */
static void test_escapes(duban_serde_t *s)
{
    static const char *texts[] = {
        "quote \" backslash \\ slash /", "tab\tnewline\nreturn\rbell\a\x1f\x7f",
        "line separator \xe2\x80\xa8 and \xf0\x9f\x98\x80 and 督办", "",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        json_t *ev = json_pack("{s:s, s:s, s:s, s:i, s:{s:s, s:i, s:I}, s:s, s:n, s:s,"
                               " s:n, s:s, s:s}",
                               "type", "TaskStatusChanged", "event_id", texts[i],
                               "occurred_at", "2021-12-29T10:00:00+08:00", "schema_version", 1,
                               "source", "file", texts[i], "line", 0, "offset", (json_int_t)-1,
                               "task_id", texts[i], "from_status", "to_status", "COMPLETED",
                               "new_due_date", "actor", texts[i], "comment", texts[i]);
        CHECK(ev != NULL);
        char errbuf[512];
        void *msg;
        size_t len;
        if (!ev || duban_serde_encode(s, DUBAN_EV_TASK_STATUS_CHANGED, NULL, ev, &msg, &len,
                                      errbuf, sizeof(errbuf))) {
            fprintf(stderr, "  escapes %zu: %s\n", i, ev ? errbuf : "json_pack");
            CHECK(0);
            json_decref(ev);
            continue;
        }
        CHECK_INT(compare_one(s, msg, len, 1), 1);
        size_t printed = 0;
        CHECK_INT(direct_only(DUBAN_EV_TASK_STATUS_CHANGED, (char *)msg + 5, len - 5,
                              &printed), DUBAN_OK);
        /* the first string made invalid UTF-8: the general path's error */
        size_t at = 5;
        while (at < len && ((unsigned char *)msg)[at] != 'q' && i == 0)
            at++;
        if (i == 0 && at < len) {
            ((unsigned char *)msg)[at] = 0xff;
            size_t appended = 0;
            CHECK(direct_only(DUBAN_EV_TASK_STATUS_CHANGED, (char *)msg + 5, len - 5,
                              &appended) != DUBAN_OK);
            CHECK_INT(appended, 0);
            CHECK_INT(compare_one(s, msg, len, 1), 0);
        }
        free(msg);
        json_decref(ev);
    }
}

int main(void)
{
    char errbuf[512];
    duban_serde_t *s;
    if (duban_serde_new(NULL, &s, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "serde: %s\n", errbuf);
        return 1;
    }
    int types_seen = 0;
    json_t *a = check_load_jsonl("tests/fixtures/serde/events.jsonl");
    json_t *b = check_load_jsonl("tests/fixtures/events/all_types.jsonl");
    CHECK(json_array_size(a) > 0 && json_array_size(b) > 0);
    test_events(s, a, &types_seen);
    test_events(s, b, &types_seen);
    CHECK_INT(types_seen, (1 << DUBAN_EV__COUNT) - 1);
    test_escapes(s);
    /* with the direct codecs off, decode_text is the general path */
    duban_serde_set_direct(s, false);
    test_events(s, a, &types_seen);
    json_decref(a);
    json_decref(b);
    duban_serde_destroy(s);
    return CHECK_DONE();
}
