/* producers/ingest/events.c: DocumentPublished objects (TaskAssigned
 * events are structs: common/task_assigned.h). event_id is the sha256 of
 * the event's own JSON with event_id empty; occurred_at is the issue date at
 * 00:00 Asia/Shanghai (the epoch when the document has no date). */
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "hash.h"
#include "ingest.h"

char *ingest_dump(const json_t *ev)
{
    return json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *date_or_null(int32_t d)
{
    char b[11];
    return d == DUBAN_DATE_NONE ? json_null() : json_string(duban_date_format(d, b));
}

static json_t *str_array(const duban_strlist_t *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->count; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

static json_t *source(const char *file, uint32_t line, uint64_t off)
{
    return json_pack("{s:s, s:i, s:I}", "file", file, "line", (json_int_t)line, "offset",
                     (json_int_t)off);
}

static json_t *occurred(int32_t issue)
{
    char b[32];
    int64_t ms = issue == DUBAN_DATE_NONE ? 0 : duban_instant_at(issue, 0, 0);
    return json_string(duban_instant_format(ms, b));
}

/* Hash the event with event_id "" and store it. */
static json_t *seal(json_t *ev)
{
    if (!ev)
        return NULL;
    char *s = ingest_dump(ev);
    if (!s) {
        json_decref(ev);
        return NULL;
    }
    char hex[65];
    duban_sha256_hex(s, strlen(s), hex);
    free(s);
    json_object_set_new(ev, "event_id", json_string(hex));
    return ev;
}

json_t *ingest_document_event(const duban_gwdoc_t *g, size_t di, const char *file)
{
    const duban_gwdoc_doc_t *d = &g->docs[di];
    json_t *ev = json_object();
    json_object_set_new(ev, "type", json_string("DocumentPublished"));
    json_object_set_new(ev, "event_id", json_string(""));
    json_object_set_new(ev, "occurred_at", occurred(d->issue_date));
    json_object_set_new(ev, "schema_version", json_integer(1));
    json_object_set_new(ev, "doc_id", json_string(d->doc_id));
    json_object_set_new(ev, "doc_number", str_or_null(d->doc_number));
    json_object_set_new(ev, "title", json_string(d->title ? d->title : ""));
    json_object_set_new(ev, "issuers", str_array(&d->issuers));
    json_object_set_new(ev, "issue_date", date_or_null(d->issue_date));
    json_object_set_new(ev, "recipients", str_array(&d->recipients));
    json_object_set_new(ev, "attached_plan_title", str_or_null(d->attached_plan_title));
    json_object_set_new(ev, "body_sha256", json_string(d->body_sha256));
    json_object_set_new(ev, "task_count", json_integer((json_int_t)d->task_count));
    json_object_set_new(ev, "source", source(file, d->line, d->offset));
    return seal(ev);
}
