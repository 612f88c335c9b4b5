/* common/ingest/task_assigned.c: TaskAssigned from a struct, as JSON text
 * and as Avro binary, both written by the writers generated from
 * schemas/TaskAssigned.avsc (avsc_write_task_assigned.h), reading the struct
 * through the accessors below. Written here: only where the JSON form's
 * "type" and source go, and what the two hashes cover. */
#include <stdbool.h>
#include <string.h>
#include "avsc_gen.h"
#include "date.h"
#include "hash.h"
#include "avsc_json.h"
#include "task_assigned.h"

/* ---- Avro binary -------------------------------------------------------- */

/* What each field of schemas/TaskAssigned.avsc holds, one accessor per field
 * path: the writer generated from the .avsc (avsc_write_task_assigned.h)
 * calls them in the schema's order. A field renamed or added there leaves
 * its accessor missing here, one removed leaves it unused: either way the
 * build says which. */

static bool has_recurrence(const duban_deadline_t *dl)
{
    return dl->kind == DUBAN_DEADLINE_RECURRING && dl->recurrence.period != DUBAN_RECUR_NONE;
}

static size_t milestone_count(const duban_deadline_t *dl)
{
    return dl->milestone_count < DUBAN_DEADLINE_MAX_MILESTONES ? dl->milestone_count
                                                               : DUBAN_DEADLINE_MAX_MILESTONES;
}

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

/* ---- JSON form ---------------------------------------------------------- */

/* The JSON form is "type" first, then the schema's fields in the schema's
 * order and names, written by the JSON writer generated next to the Avro
 * writer (duban_avsc_json_task_assigned, through the accessors below), with
 * one exception kept from the first JSON form: source goes last. The
 * content part (what content_sha256 covers) is every field before
 * content_sha256. */
#define ENTRY(x) DUBAN_AVSC_TASK_ASSIGNED__##x

/* Top-level fields from..to-1 (entry indexes), but source. */
static void json_fields(duban_avsc_json_t *o, const duban_task_assigned_t *ta, int from, int to)
{
    const duban_avsc_field_t *fields = duban_avsc_task_assigned.fields;
    for (int f = from; f < to; f += fields[f].entries)
        if (f != ENTRY(SOURCE))
            duban_avsc_json_task_assigned(o, ta, f);
}

/* The part content_sha256 covers, without the closing brace. */
static void json_content(duban_avsc_json_t *o, const duban_task_assigned_t *ta)
{
    duban_avsc_json_raw(o, "{\"type\":\"TaskAssigned\"");
    json_fields(o, ta, 0, ENTRY(CONTENT_SHA256));
}

static void json_rest(duban_avsc_json_t *o, const duban_task_assigned_t *ta)
{
    json_fields(o, ta, ENTRY(CONTENT_SHA256), ENTRY(ENTRIES));
    duban_avsc_json_task_assigned(o, ta, ENTRY(SOURCE));
    duban_avsc_json_raw(o, "}");
}

duban_err_t duban_task_assigned_write_json(const duban_task_assigned_t *ta, duban_buf_t *out,
                                           char *errbuf, size_t errbuf_size)
{
    duban_avsc_json_t o = {.b = out};
    json_content(&o, ta);
    json_rest(&o, ta);
    return duban_avsc_json_done(&o, "TaskAssigned", errbuf, errbuf_size);
}

duban_err_t duban_task_assigned_seal(duban_task_assigned_t *ta, duban_buf_t *scratch,
                                     char *errbuf, size_t errbuf_size)
{
    for (size_t i = 0; i < milestone_count(ta->deadline); i++)
        if (ta->deadline->milestones[i].due_date == DUBAN_DATE_NONE)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                                "TaskAssigned.milestones[%zu].due_date: no date", i);
    char was[sizeof(ta->event_id)];
    memcpy(was, ta->event_id, sizeof(was));
    duban_buf_reset(scratch);
    ta->event_id[0] = '\0';   /* both hashes are taken with event_id "" */
    duban_avsc_json_t o = {.b = scratch};
    json_content(&o, ta);
    duban_buf_append(scratch, "}", 1);
    duban_err_t err = duban_avsc_json_done(&o, "TaskAssigned", errbuf, errbuf_size);
    if (!err) {
        char content[sizeof(ta->content_sha256)];
        duban_sha256_hex(scratch->data, scratch->len, content);
        memcpy(ta->content_sha256, content, sizeof(content));
        /* the whole event, event_id "": the content part again, then the rest */
        scratch->len--;
        json_rest(&o, ta);
        err = duban_avsc_json_done(&o, "TaskAssigned", errbuf, errbuf_size);
    }
    if (err)
        memcpy(ta->event_id, was, sizeof(was));   /* left as it was */
    else
        duban_sha256_hex(scratch->data, scratch->len, ta->event_id);
    return err;
}
