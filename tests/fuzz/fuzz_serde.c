/* tests/fuzz/fuzz_serde.c: arbitrary bytes as a Kafka message value through
 * the Confluent-frame decoder and the Avro reader (built-in registry). Any
 * input must give DUBAN_OK or a typed error; a decoded event must re-encode.
 * The same bytes also go through the alerter's direct decoder
 * (duban_serde_decode_task, task_event.h), which must agree with avro-c's
 * decode + the JSON reader: same error code and wording, or equal events.
 * And duban-replay's printer (duban_serde_decode_text, straight from the
 * bytes) must print what json_dumps prints for the general decode, or fail
 * with the same code and wording; so must duban-analytics' row reader
 * (duban_serde_decode_row) with the keys sorted, and the same reader
 * without the text (duban_serde_decode_fields, duban-audit verify's) must
 * read the same fields or fail the same way. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "serde.h"
#include "serde_task_event.h"

static duban_serde_t *serde;
static duban_task_event_t direct, via_json;
static duban_event_row_t row, fields_row;

/* LeakSanitizer would count the serde's avro-c allocations as leaks. */
static void free_serde(void)
{
    duban_serde_destroy(serde);
    duban_task_event_free(&direct);
    duban_task_event_free(&via_json);
    duban_event_row_free(&row);
    duban_event_row_free(&fields_row);
    serde = NULL;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The fields both readings fill for every event type they accept. */
static int same_event(const duban_task_event_t *a, const duban_task_event_t *b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == DUBAN_EV_DEADLINE_ALERT)
        return same_str(a->alert_id, b->alert_id);
    return a->occurred_at == b->occurred_at && same_str(a->task_id, b->task_id) &&
           a->date_unparsable == b->date_unparsable && a->to_status == b->to_status &&
           a->new_due_date == b->new_due_date && a->due_date == b->due_date &&
           a->deadline_kind == b->deadline_kind && a->recur_period == b->recur_period &&
           same_str(a->text, b->text) && same_str(a->content_sha256, b->content_sha256) &&
           a->issuers.count == b->issuers.count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char errbuf[512], why_direct[512] = "", why_json[512] = "";
    if (!serde) {
        if (duban_serde_new(NULL, &serde, errbuf, sizeof(errbuf)))
            return 0;
        duban_task_event_init(&direct);
        duban_task_event_init(&via_json);
        duban_event_row_init(&row);
        duban_event_row_init(&fields_row);
        atexit(free_serde);
    }
    duban_event_type_t type;
    json_t *ev = NULL;
    duban_err_t e_json = duban_serde_decode(serde, data, size, &type, &ev, why_json,
                                            sizeof(why_json));
    char why_text[512] = "";
    duban_buf_t text;
    duban_buf_init(&text, 0);
    duban_event_type_t text_type;
    duban_err_t e_text = duban_serde_decode_text(serde, data, size, &text_type, &text, why_text,
                                                 sizeof(why_text));
    char *dumped = e_json == DUBAN_OK ? json_dumps(ev, JSON_COMPACT) : NULL;
    int text_agrees = e_text == e_json &&
                      (e_text ? strcmp(why_text, why_json) == 0
                              : dumped && text.len == strlen(dumped) &&
                                    memcmp(text.data, dumped, text.len) == 0);
    free(dumped);
    duban_buf_free(&text);
    if (!text_agrees)
        abort();   /* the printer and the general path disagree */
    /* without the text first: its fields' strings (they may borrow from the
     * serde, which the next call reuses) copied aside */
    char why_fields[512] = "";
    duban_err_t e_fields = duban_serde_decode_fields(serde, data, size, &fields_row, why_fields,
                                                     sizeof(why_fields));
    duban_avro_field_t fields[DUBAN_EVENT_MAX_FIELDS];
    size_t total = 0;
    for (size_t i = 0; !e_fields && i < fields_row.nfields; i++)
        total += fields_row.fields[i].len;
    char *texts = malloc(total + 1);
    total = 0;
    for (size_t i = 0; !e_fields && i < fields_row.nfields; i++) {
        fields[i] = fields_row.fields[i];
        if (fields[i].len)
            memcpy(texts + total, fields[i].text, fields[i].len);
        total += fields[i].len;
    }
    int no_text = fields_row.text.len == 0;
    char why_row[512] = "";
    duban_err_t e_row = duban_serde_decode_row(serde, data, size, &row, why_row, sizeof(why_row));
    char *sorted = e_json == DUBAN_OK ? json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int row_agrees = e_row == e_json &&
                     (e_row ? strcmp(why_row, why_json) == 0
                            : sorted && row.type == type && row.text.len == strlen(sorted) &&
                                  memcmp(row.text.data, sorted, row.text.len) == 0);
    free(sorted);
    if (!row_agrees)
        abort();   /* the row reader and the general path disagree */
    int fields_agree = no_text && e_fields == e_row &&
                       (e_row ? strcmp(why_fields, why_row) == 0 : fields_row.nfields == row.nfields);
    for (size_t i = 0, used = 0; fields_agree && !e_row && i < row.nfields; i++) {
        const duban_avro_field_t *a = &row.fields[i], *b = &fields[i];
        fields_agree = a->kind == b->kind && a->num == b->num && a->len == b->len &&
                       (!a->len || memcmp(a->text, texts + used, a->len) == 0);
        used += b->len;
    }
    free(texts);
    if (!fields_agree)
        abort();   /* the row reader with and without its text disagree */
    if (e_json == DUBAN_OK) {
        void *buf = NULL;
        size_t len = 0;
        if (duban_serde_encode(serde, type, NULL, ev, &buf, &len, errbuf, sizeof(errbuf)) ==
            DUBAN_OK)
            free(buf);
        e_json = duban_task_event_from_json(&via_json, ev, true, why_json, sizeof(why_json));
    }
    duban_err_t e_direct = duban_serde_decode_task(serde, data, size, &direct, why_direct,
                                                   sizeof(why_direct));
    if (e_direct != e_json || strcmp(why_direct, why_json) ||
        (e_direct == DUBAN_OK && !same_event(&direct, &via_json)))
        abort();   /* the two readings disagree */
    return 0;
}
