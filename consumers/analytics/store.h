/* consumers/analytics/store.h: the SQL store behind duban-analytics, in
 * SQLite (a file, the default) or PostgreSQL (a connection string
 * postgresql://... or postgres://...), with the same tables and views.
 * One table per event type with the fields analysts query as columns (lists
 * joined with '、') plus the whole event as JSON, a task_departments table
 * (task_id, department, role) for per-department questions (tasks.review
 * holds ingest's review codes; a store made before that column gets it,
 * filled from the events it keeps, when opened), the views
 * task_current (each task's latest status and effective due date: the
 * latest extension's, else the task's), task_figures and department_figures
 * (open, due soon, overdue, done on time / late, on-time rate, mean working
 * days late, alerts sent and delivered, as of a time: store_views.c), and
 * store_meta / workdays, which those views read. Writes are idempotent:
 * entities (documents, tasks, alerts) are keyed by their ids, logs (status
 * changes, deliveries, dead letters) by event_id, so replaying a topic into
 * the store changes nothing.
 * Owns:   the backend connection (store_backend.h).
 * Never:  logs; touches Kafka. Thread: one thread per store. */
#ifndef DUBAN_STORE_H
#define DUBAN_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "calendar.h"
#include "err.h"
#include "event.h"
#include "serde.h"

typedef struct duban_store_s duban_store_t;

/* Events per transaction (duban-analytics closes a batch at this many, or
 * after 500 ms). Each commit writes every page the batch dirtied, and ids
 * arrive in no order, so any batch dirties pages all over the ids'
 * indexes: larger batches write less per event. 20,000 rather than 2,000
 * took SQLite ingest from 72k-80k to 121k-129k events/s (bench/README.md);
 * 20,000 events are about 29 MB of pages, inside SQLite's 64 MiB page
 * cache; 50,000 were no faster. */
#define DUBAN_STORE_BATCH_MAX 20000

/* Opens the store at target: a PostgreSQL connection string, else a SQLite
 * path (":memory:" ok), creating the tables (and the SQLite file) when
 * create is true. With create false the store must exist already
 * (DUBAN_E_NOTFOUND otherwise): for export only, where a mistyped path must
 * not leave an empty database behind. Errors never show a connection
 * string (it may hold a password). */
duban_err_t duban_store_open(const char *target, bool create, duban_store_t **out,
                             char *errbuf, size_t errbuf_size);
void duban_store_close(duban_store_t *st);

/* Rows of one SELECT, for readers of the store such as the report
 * (report.h): called once with values NULL (the column names), then once per
 * row with the values as text (NULL for SQL NULL); both borrowed for the
 * call. Return non-zero to stop. */
typedef int (*duban_store_row_cb)(void *opaque, int ncols, const char *const *names,
                                  const char *const *values);

/* Runs sql, one SELECT in the SQL every backend speaks (no engine's own
 * functions: JSON is read by the caller), outside a batch. */
duban_err_t duban_store_query(duban_store_t *st, const char *sql, duban_store_row_cb row,
                              void *opaque, char *errbuf, size_t errbuf_size);

/* A batch: writes between begin and commit are one transaction; with
 * PostgreSQL an error of a write may be reported only by commit. */
duban_err_t duban_store_begin(duban_store_t *st, char *errbuf, size_t errbuf_size);
duban_err_t duban_store_commit(duban_store_t *st, char *errbuf, size_t errbuf_size);

/* Upserts one event (JSON as serde decodes it). */
duban_err_t duban_store_put(duban_store_t *st, duban_event_type_t type, const json_t *ev,
                            char *errbuf, size_t errbuf_size);
/* The same for an event decoded by duban_serde_decode_row (what
 * duban-analytics does: no jansson object, no allocation per event): the
 * same rows as duban_store_put of the same event. */
duban_err_t duban_store_put_row(duban_store_t *st, const duban_event_row_t *ev, char *errbuf,
                                size_t errbuf_size);

typedef struct {
    const char *as_of;  /* ISO-8601 time or date (00:00 Shanghai); NULL: the
                           latest occurred_at of any event stored */
    const duban_calendar_t *cal; /* borrowed for the call */
    int due_soon_days;  /* working days before the due date that are "due soon" */
} duban_store_figures_t;

/* Sets what task_figures and department_figures are computed with: the
 * as-of time, the working-day table (rewritten only when the calendar
 * changed) and the due-soon window. */
duban_err_t duban_store_set_figures(duban_store_t *st, const duban_store_figures_t *fig,
                                    char *errbuf, size_t errbuf_size);

/* Writes every table and view as DIR/<name>.csv (RFC 4180), creating DIR
 * and its missing parents; errors name DIR. */
duban_err_t duban_store_export_csv(duban_store_t *st, const char *dir, char *errbuf,
                                   size_t errbuf_size);

#endif
