/* consumers/analytics/store.h: the embedded SQL store behind duban-analytics (SQLite).
 * One table per event type with the fields analysts query as columns (lists
 * joined with '、') plus the whole event as JSON, a task_departments table
 * (task_id, department, role) for per-department questions (tasks.review
 * holds ingest's review codes; a store made before that column gets it, filled
 * from the events, when opened), and a view
 * task_current with each task's latest reported status and its effective
 * due date (the latest extension's, else the task's). Writes are
 * idempotent: entities (documents, tasks, alerts) are keyed by their ids,
 * logs (status changes, deliveries, dead letters) by event_id, so replaying
 * a topic into the store changes nothing.
 * Owns:   the sqlite3 handle and its prepared statements.
 * Never:  logs; touches Kafka. Thread: one thread per store. */
#ifndef DUBAN_STORE_H
#define DUBAN_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "err.h"
#include "event.h"

typedef struct duban_store_s duban_store_t;

/* Opens the database at path (":memory:" ok), creating the file and the
 * tables when create is true. With create false the file must exist and be
 * a store already (DUBAN_E_NOTFOUND naming path otherwise): for export only,
 * where a mistyped path must not leave an empty database behind. */
duban_err_t duban_store_open(const char *path, bool create, duban_store_t **out, char *errbuf,
                             size_t errbuf_size);
void duban_store_close(duban_store_t *st);
/* The sqlite3 handle, BORROWED until duban_store_close(): for readers of
 * the store such as the report (report.h). */
struct sqlite3 *duban_store_handle(duban_store_t *st);

duban_err_t duban_store_begin(duban_store_t *st, char *errbuf, size_t errbuf_size);
duban_err_t duban_store_commit(duban_store_t *st, char *errbuf, size_t errbuf_size);

/* Upserts one event (JSON as serde decodes it). */
duban_err_t duban_store_put(duban_store_t *st, duban_event_type_t type, const json_t *ev,
                            char *errbuf, size_t errbuf_size);

/* Writes every table and the task_current view as DIR/<table>.csv (RFC 4180),
 * creating DIR and its missing parents; errors name DIR. */
duban_err_t duban_store_export_csv(duban_store_t *st, const char *dir, char *errbuf,
                                   size_t errbuf_size);

#endif
