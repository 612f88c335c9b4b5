/* common/ingest/task_assigned_gwdoc.h: a task the gazette parser found
 * (gwdoc.h) as a TaskAssigned event struct (task_assigned.h), so that the
 * struct and its writers need not know the parser.
 * Owns:   nothing (the struct borrows from the parse). Never: logs.
 * Thread: any. */
#ifndef DUBAN_TASK_ASSIGNED_GWDOC_H
#define DUBAN_TASK_ASSIGNED_GWDOC_H
#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "gwdoc.h"
#include "task_assigned.h"

/* Fills *ta from task ti of g (read from `file`, its basename) and seals
 * it. Borrows from g and file. scratch is working room (reset, kept). */
duban_err_t duban_task_assigned_from_gwdoc(duban_task_assigned_t *ta, const duban_gwdoc_t *g,
                                           size_t ti, const char *file, duban_buf_t *scratch,
                                           char *errbuf, size_t errbuf_size);

#endif
