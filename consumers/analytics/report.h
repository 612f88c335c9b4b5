/* consumers/analytics/report.h: `duban-analytics report`, the store as one
 * self-contained HTML page for the people who read it (Chinese labels, inline
 * CSS and SVG, no script, no external asset):
 *   1. 红黄绿灯: per department, the open tasks it leads by level on the
 *      report's day, the alerter's ladder (working days left to the due date
 *      that counts, extensions respected: RED below 0, YELLOW from 0 to
 *      yellow_days, GREEN above or without a due date), the tasks it
 *      finished (on time or late) and the open tasks it cooperates on;
 *   2. the open overdue tasks on each day (sampled) from the first
 *      assignment to the report's day, replayed from the status changes;
 *   3. the on-time rate of each department that finished a task: finished
 *      on or before the due date, where finished is the day of the approved
 *      completion request (as duban-status counts it);
 *   4. the tasks ingest flagged for review (tasks.review).
 * Owns:   nothing past a call. Never: logs, writes files, touches Kafka.
 * Thread: one thread per store. */
#ifndef DUBAN_REPORT_H
#define DUBAN_REPORT_H
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "calendar.h"
#include "err.h"
#include "store.h"

typedef struct {
    int64_t now_ms;                 /* the report's day is its Shanghai date */
    int yellow_days;                /* alerter.yellow.days */
    const duban_calendar_t *cal;    /* borrowed */
} duban_report_opts_t;

/* Appends the page for the store to out (which keeps any error of its own:
 * check out->err). Events dated after the report's day are left out. */
duban_err_t duban_report_render(duban_store_t *st, const duban_report_opts_t *o,
                                duban_buf_t *out, char *errbuf, size_t errbuf_size);

/* Appends s with & < > " ' escaped for HTML text and attribute values. */
void duban_report_escape(duban_buf_t *b, const char *s);

#endif
