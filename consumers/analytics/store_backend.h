/* consumers/analytics/store_backend.h: what store.c needs from a SQL engine.
 * store.c owns the tables, the SQL it sends and the views; a backend (one
 * module each: store_sqlite.c, store_pg.c) owns a connection and runs that
 * SQL. The SQL is the same for every backend: `?` placeholders (a backend
 * rewrites them if its engine wants another form), INSERT ... ON CONFLICT,
 * BIGINT / DOUBLE PRECISION types; only the text column type differs
 * (text_type), so that strings compare and sort byte-wise everywhere.
 * Never:  logs; decides what is stored. Thread: one thread per connection. */
#ifndef DUBAN_STORE_BACKEND_H
#define DUBAN_STORE_BACKEND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

typedef enum { STORE_NULL, STORE_TEXT, STORE_INT } store_kind_t;

/* One parameter; text is borrowed for the call (not NUL-terminated). */
typedef struct {
    store_kind_t kind;
    const char *text;
    size_t len;
    int64_t num;
} store_val_t;

/* Called once with values NULL (the column names, even when there is no
 * row), then once per row: values are text (NULL for SQL NULL). Both are
 * borrowed for the call. Return non-zero to stop. */
typedef int (*store_row_cb)(void *opaque, int ncols, const char *const *names,
                            const char *const *values);

typedef struct store_db_s store_db_t;

#define STORE_MAX_STMTS 16

typedef struct {
    const char *name;      /* "sqlite", "postgresql" */
    const char *text_type; /* the column type of strings */
    /* Opens target; with create false the database must exist. */
    duban_err_t (*open)(const char *target, bool create, store_db_t **out, char *errbuf,
                        size_t size);
    void (*close)(store_db_t *db);
    /* One or more statements without parameters; results are discarded. */
    duban_err_t (*exec)(store_db_t *db, const char *sql, char *errbuf, size_t size);
    /* Statement id (< STORE_MAX_STMTS) with n `?` parameters. */
    duban_err_t (*prepare)(store_db_t *db, int id, const char *sql, int n, char *errbuf,
                           size_t size);
    /* Runs statement id. Inside begin/commit a backend may defer the result:
     * an error may then be reported by a later run or by commit. */
    duban_err_t (*run)(store_db_t *db, int id, const store_val_t *vals, int n, char *errbuf,
                       size_t size);
    duban_err_t (*query)(store_db_t *db, const char *sql, store_row_cb cb, void *opaque,
                         char *errbuf, size_t size);
    duban_err_t (*begin)(store_db_t *db, char *errbuf, size_t size);
    /* Commits; on an error the transaction is rolled back. */
    duban_err_t (*commit)(store_db_t *db, char *errbuf, size_t size);
    /* Whether the table exists (for opening an existing store). */
    duban_err_t (*has_table)(store_db_t *db, const char *table, bool *found, char *errbuf,
                             size_t size);
} store_backend_t;

extern const store_backend_t duban_store_sqlite;
extern const store_backend_t duban_store_pg;

/* PostgreSQL for "postgresql://..." and "postgres://...", else SQLite. */
const store_backend_t *duban_store_backend_for(const char *target);

#endif
