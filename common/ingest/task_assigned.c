/* common/ingest/task_assigned.c: TaskAssigned from a struct, as JSON text
 * (its own key order, written here) and as Avro binary (the writer generated
 * from schemas/TaskAssigned.avsc, reading the struct through the accessors
 * below). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "avsc_gen.h"
#include "date.h"
#include "hash.h"
#include "json_write.h"
#include "task_assigned.h"
#include "text.h"

/* ---- JSON form ---------------------------------------------------------- */

typedef struct {
    duban_buf_t *b;
    duban_err_t err;
    const char *field;      /* the first field that was not UTF-8 */
    size_t bad_off;
} json_out_t;

static void raw(json_out_t *o, const char *s)
{
    duban_json_write_raw(o->b, s);
}

/* A string literal; the first string that is not UTF-8 is remembered (the
 * writer checks, and appends nothing then; the offset is found only then). */
static void str(json_out_t *o, const char *field, const char *s)
{
    size_t len = strlen(s);
    if (duban_json_write_string(o->b, s, len) == DUBAN_E_ENCODING && !o->err) {
        o->err = DUBAN_E_ENCODING;
        o->field = field;
        duban_text_utf8_valid(s, len, &o->bad_off);
    }
}

/* "s", for text that needs no escaping (formatted dates, enum symbols). */
static void quoted(json_out_t *o, const char *s)
{
    duban_buf_append(o->b, "\"", 1);
    raw(o, s);
    duban_buf_append(o->b, "\"", 1);
}

/* ,"key": */
static void key(json_out_t *o, const char *k)
{
    duban_buf_append(o->b, ",\"", 2);
    raw(o, k);
    duban_buf_append(o->b, "\":", 2);
}

static void num(json_out_t *o, int64_t v)
{
    char b[24];
    snprintf(b, sizeof(b), "%" PRId64, v);
    raw(o, b);
}

static void str_list(json_out_t *o, const char *field, const duban_strlist_t *l)
{
    duban_buf_append(o->b, "[", 1);
    for (size_t i = 0; l && i < l->count; i++) {
        if (i)
            duban_buf_append(o->b, ",", 1);
        str(o, field, l->items[i]);
    }
    duban_buf_append(o->b, "]", 1);
}

/* ,"name":"value" and ,"name":[...] */
static void key_str(json_out_t *o, const char *name, const char *value)
{
    key(o, name);
    str(o, name, value);
}

static void key_list(json_out_t *o, const char *name, const duban_strlist_t *l)
{
    key(o, name);
    str_list(o, name, l);
}

static void date_or_null(json_out_t *o, int32_t d)
{
    char b[11];
    if (d == DUBAN_DATE_NONE) {
        raw(o, "null");
        return;
    }
    quoted(o, duban_date_format(d, b));
}

static bool has_recurrence(const duban_deadline_t *dl)
{
    return dl->kind == DUBAN_DEADLINE_RECURRING && dl->recurrence.period != DUBAN_RECUR_NONE;
}

static size_t milestone_count(const duban_deadline_t *dl)
{
    return dl->milestone_count < DUBAN_DEADLINE_MAX_MILESTONES ? dl->milestone_count
                                                               : DUBAN_DEADLINE_MAX_MILESTONES;
}

/* The part content_sha256 covers, without the closing brace. */
static void json_content(json_out_t *o, const duban_task_assigned_t *ta, const char *event_id)
{
    const duban_deadline_t *dl = ta->deadline;
    char when[32];
    raw(o, "{\"type\":\"TaskAssigned\"");
    key_str(o, "event_id", event_id);
    key(o, "occurred_at");
    quoted(o, duban_instant_format(ta->occurred_at, when));
    key(o, "schema_version");
    num(o, ta->schema_version);
    key_str(o, "task_id", ta->task_id);
    key_str(o, "doc_id", ta->doc_id);
    key_str(o, "outline_path", ta->outline_path);
    key_str(o, "text", ta->text);
    key_list(o, "lead_units", ta->lead_units);
    key_list(o, "cooperating_units", ta->cooperating_units);
    key_list(o, "lead_departments", ta->lead_departments);
    key_list(o, "cooperating_departments", ta->cooperating_departments);
    key(o, "deadline_text");
    if (dl->text[0])
        str(o, "deadline_text", dl->text);
    else
        raw(o, "null");
    key(o, "due_date");
    date_or_null(o, dl->kind == DUBAN_DEADLINE_NONE ? DUBAN_DATE_NONE : dl->due_date);
    key(o, "deadline_kind");
    quoted(o, duban_deadline_kind_name(dl->kind));
    key(o, "recurrence");
    if (has_recurrence(dl)) {
        raw(o, "{\"period\":\"");
        raw(o, duban_recur_period_name(dl->recurrence.period));
        raw(o, "\",\"month\":");
        num(o, dl->recurrence.month);
        raw(o, ",\"day\":");
        num(o, dl->recurrence.day);
        raw(o, ",\"text\":");
        str(o, "recurrence.text", dl->text);
        raw(o, "}");
    } else {
        raw(o, "null");
    }
    key(o, "milestones");
    duban_buf_append(o->b, "[", 1);
    for (size_t i = 0; i < milestone_count(dl); i++) {
        raw(o, i ? ",{\"text\":" : "{\"text\":");
        str(o, "milestones.text", dl->milestones[i].text);
        raw(o, ",\"due_date\":");
        date_or_null(o, dl->milestones[i].due_date);
        raw(o, "}");
    }
    duban_buf_append(o->b, "]", 1);
}

static void json_rest(json_out_t *o, const duban_task_assigned_t *ta, const char *content_sha)
{
    key_str(o, "content_sha256", content_sha);
    key_str(o, "doc_title", ta->doc_title);
    key_list(o, "issuers", ta->issuers);
    key_list(o, "review", ta->review);
    key(o, "correction");
    if (ta->correction_author) {
        raw(o, "{\"author\":");
        str(o, "correction.author", ta->correction_author);
        raw(o, ",\"reason\":");
        str(o, "correction.reason", ta->correction_reason ? ta->correction_reason : "");
        raw(o, "}");
    } else {
        raw(o, "null");
    }
    key(o, "source");
    raw(o, "{\"file\":");
    str(o, "source.file", ta->source_file);
    raw(o, ",\"line\":");
    num(o, ta->source_line);
    raw(o, ",\"offset\":");
    num(o, ta->source_offset);
    raw(o, "}}");
}

static duban_err_t json_done(const json_out_t *o, char *errbuf, size_t errbuf_size)
{
    if (o->err)
        return duban_seterr(errbuf, errbuf_size, o->err, "TaskAssigned.%s: invalid UTF-8 at byte %zu",
                            o->field, o->bad_off);
    if (o->b->err)
        return duban_seterr(errbuf, errbuf_size, o->b->err, "TaskAssigned: %s",
                            o->b->err == DUBAN_E_NOMEM ? "out of memory" : "too large");
    return DUBAN_OK;
}

duban_err_t duban_task_assigned_write_json(const duban_task_assigned_t *ta, duban_buf_t *out,
                                           char *errbuf, size_t errbuf_size)
{
    json_out_t o = {.b = out};
    json_content(&o, ta, ta->event_id);
    json_rest(&o, ta, ta->content_sha256);
    return json_done(&o, errbuf, errbuf_size);
}

duban_err_t duban_task_assigned_seal(duban_task_assigned_t *ta, duban_buf_t *scratch,
                                     char *errbuf, size_t errbuf_size)
{
    for (size_t i = 0; i < milestone_count(ta->deadline); i++)
        if (ta->deadline->milestones[i].due_date == DUBAN_DATE_NONE)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                                "TaskAssigned.milestones[%zu].due_date: no date", i);
    duban_buf_reset(scratch);
    json_out_t o = {.b = scratch};
    json_content(&o, ta, "");
    duban_buf_append(scratch, "}", 1);
    duban_err_t err = json_done(&o, errbuf, errbuf_size);
    if (err)
        return err;
    duban_sha256_hex(scratch->data, scratch->len, ta->content_sha256);
    /* the whole event, event_id "": the content part again, then the rest */
    scratch->len--;
    json_rest(&o, ta, ta->content_sha256);
    if ((err = json_done(&o, errbuf, errbuf_size)))
        return err;
    duban_sha256_hex(scratch->data, scratch->len, ta->event_id);
    return DUBAN_OK;
}

/* ---- Avro binary -------------------------------------------------------- */

/* What each field of schemas/TaskAssigned.avsc holds, one accessor per field
 * path: the writer generated from the .avsc (avsc_write_task_assigned.h)
 * calls them in the schema's order. A field renamed or added there leaves
 * its accessor missing here, one removed leaves it unused: either way the
 * build says which. */

static size_t list_count(const duban_strlist_t *l)
{
    return l ? l->count : 0;
}

static const char *field_event_id(const duban_task_assigned_t *ta)
{
    return ta->event_id;
}

static int64_t field_occurred_at(const duban_task_assigned_t *ta)
{
    return ta->occurred_at;
}

static int32_t field_schema_version(const duban_task_assigned_t *ta)
{
    return ta->schema_version;
}

static const char *field_source_file(const duban_task_assigned_t *ta)
{
    return ta->source_file;
}

static int32_t field_source_line(const duban_task_assigned_t *ta)
{
    return ta->source_line;
}

static int64_t field_source_offset(const duban_task_assigned_t *ta)
{
    return ta->source_offset;
}

static const char *field_task_id(const duban_task_assigned_t *ta)
{
    return ta->task_id;
}

static const char *field_doc_id(const duban_task_assigned_t *ta)
{
    return ta->doc_id;
}

static const char *field_outline_path(const duban_task_assigned_t *ta)
{
    return ta->outline_path;
}

static const char *field_text(const duban_task_assigned_t *ta)
{
    return ta->text;
}

/* field_count_X / field_X(ta, i) of a string list X of the struct */
#define LIST_FIELD(x)                                                              \
    static size_t field_count_##x(const duban_task_assigned_t *ta)          \
    {                                                                              \
        return list_count(ta->x);                                                  \
    }                                                                              \
    static const char *field_##x(const duban_task_assigned_t *ta, size_t i) \
    {                                                                              \
        return ta->x->items[i];                                                    \
    }
LIST_FIELD(lead_units)
LIST_FIELD(cooperating_units)
LIST_FIELD(lead_departments)
LIST_FIELD(cooperating_departments)
LIST_FIELD(issuers)
LIST_FIELD(review)

static bool field_has_deadline_text(const duban_task_assigned_t *ta)
{
    return ta->deadline->text[0] != '\0';
}

static const char *field_deadline_text(const duban_task_assigned_t *ta)
{
    return ta->deadline->text;
}

static bool field_has_due_date(const duban_task_assigned_t *ta)
{
    return ta->deadline->kind != DUBAN_DEADLINE_NONE && ta->deadline->due_date != DUBAN_DATE_NONE;
}

static int32_t field_due_date(const duban_task_assigned_t *ta)
{
    return ta->deadline->due_date;
}

static duban_avsc_deadline_kind_t field_deadline_kind(const duban_task_assigned_t *ta)
{
    switch (ta->deadline->kind) {
    case DUBAN_DEADLINE_DATED: return DUBAN_AVSC_DEADLINE_KIND_DATED;
    case DUBAN_DEADLINE_RECURRING: return DUBAN_AVSC_DEADLINE_KIND_RECURRING;
    case DUBAN_DEADLINE_OPEN_ENDED: return DUBAN_AVSC_DEADLINE_KIND_OPEN_ENDED;
    case DUBAN_DEADLINE_NONE: break;
    }
    return DUBAN_AVSC_DEADLINE_KIND_NONE;
}

static bool field_has_recurrence(const duban_task_assigned_t *ta)
{
    return has_recurrence(ta->deadline);
}

static duban_avsc_recurrence_period_t
field_recurrence_period(const duban_task_assigned_t *ta)
{
    switch (ta->deadline->recurrence.period) {
    case DUBAN_RECUR_WEEKLY: return DUBAN_AVSC_RECURRENCE_PERIOD_WEEKLY;
    case DUBAN_RECUR_MONTHLY: return DUBAN_AVSC_RECURRENCE_PERIOD_MONTHLY;
    case DUBAN_RECUR_QUARTERLY: return DUBAN_AVSC_RECURRENCE_PERIOD_QUARTERLY;
    case DUBAN_RECUR_HALF_YEARLY: return DUBAN_AVSC_RECURRENCE_PERIOD_HALF_YEARLY;
    case DUBAN_RECUR_YEARLY: return DUBAN_AVSC_RECURRENCE_PERIOD_YEARLY;
    case DUBAN_RECUR_NONE: break;   /* not written: field_has_recurrence */
    }
    return DUBAN_AVSC_RECURRENCE_PERIOD_YEARLY;
}

static int32_t field_recurrence_month(const duban_task_assigned_t *ta)
{
    return ta->deadline->recurrence.month;
}

static int32_t field_recurrence_day(const duban_task_assigned_t *ta)
{
    return ta->deadline->recurrence.day;
}

static const char *field_recurrence_text(const duban_task_assigned_t *ta)
{
    return ta->deadline->text;
}

static size_t field_count_milestones(const duban_task_assigned_t *ta)
{
    return milestone_count(ta->deadline);
}

static const char *field_milestones_text(const duban_task_assigned_t *ta, size_t i)
{
    return ta->deadline->milestones[i].text;
}

static int32_t field_milestones_due_date(const duban_task_assigned_t *ta, size_t i)
{
    return ta->deadline->milestones[i].due_date;
}

static const char *field_content_sha256(const duban_task_assigned_t *ta)
{
    return ta->content_sha256;
}

static const char *field_doc_title(const duban_task_assigned_t *ta)
{
    return ta->doc_title;
}

static bool field_has_correction(const duban_task_assigned_t *ta)
{
    return ta->correction_author != NULL;
}

static const char *field_correction_author(const duban_task_assigned_t *ta)
{
    return ta->correction_author;
}

static const char *field_correction_reason(const duban_task_assigned_t *ta)
{
    return ta->correction_reason ? ta->correction_reason : "";
}

#include "avsc_write_task_assigned.h"

duban_err_t duban_task_assigned_write_avro(const duban_task_assigned_t *ta, duban_buf_t *out)
{
    duban_avsc_write_task_assigned(out, ta);
    return out->err;
}
