/* common/ingest/task_assigned_gwdoc.c: TaskAssigned from a parsed task. */
#include "date.h"
#include "task_assigned_gwdoc.h"

duban_err_t duban_task_assigned_from_gwdoc(duban_task_assigned_t *ta, const duban_gwdoc_t *g,
                                           size_t ti, const char *file, duban_buf_t *scratch,
                                           char *errbuf, size_t errbuf_size)
{
    const duban_gwdoc_task_t *t = &g->tasks[ti];
    const duban_gwdoc_doc_t *d = &g->docs[t->doc];
    *ta = (duban_task_assigned_t){
        .occurred_at = d->issue_date == DUBAN_DATE_NONE ? 0 : duban_instant_at(d->issue_date, 0, 0),
        .schema_version = 1,
        .task_id = t->task_id,
        .doc_id = d->doc_id,
        .outline_path = t->outline_path,
        .text = t->text ? t->text : "",
        .lead_units = &t->lead_units,
        .cooperating_units = &t->coop_units,
        .lead_departments = &t->lead_depts,
        .cooperating_departments = &t->coop_depts,
        .deadline = &t->deadline,
        .doc_title = d->title ? d->title : "",
        .issuers = &d->issuers,
        .review = &t->review,
        .source_file = file,
        .source_line = (int32_t)t->line,
        .source_offset = (int64_t)t->offset,
    };
    return duban_task_assigned_seal(ta, scratch, errbuf, errbuf_size);
}
