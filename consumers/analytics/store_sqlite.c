/* consumers/analytics/store_sqlite.c: the SQLite backend of the store (the
 * default; a file path or ":memory:"). WAL journal, synchronous=FULL: a
 * COMMIT returns once the WAL is synced, so a batch's rows are on disk
 * before duban-analytics commits its Kafka offsets (with NORMAL the WAL was
 * synced only at checkpoints, and an OS crash could lose committed batches
 * whose offsets Kafka already had). With batches of
 * DUBAN_STORE_BATCH_MAX events the sync costs little (bench/README.md).
 * Writing a store is mostly copying pages (each goes to the WAL, then into
 * the file at a checkpoint, which also syncs both): a new store gets 32 KiB
 * pages (an older one keeps its size: the page size is set when the file
 * is made) and the WAL is checkpointed at 64 MiB rather than SQLite's
 * 1000 pages, which took 2.2 times the ingest rate (bench/README.md).
 * Owns:   the sqlite3 handle and its prepared statements. */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store_backend.h"

struct store_db_s {
    sqlite3 *db;
    sqlite3_stmt *stmt[STORE_MAX_STMTS];
};

static duban_err_t db_err(store_db_t *db, char *errbuf, size_t size, const char *what)
{
    return duban_seterr(errbuf, size, DUBAN_E_IO, "sqlite %s: %s", what, sqlite3_errmsg(db->db));
}

static void sq_close(store_db_t *db)
{
    if (!db)
        return;
    for (int i = 0; i < STORE_MAX_STMTS; i++)
        sqlite3_finalize(db->stmt[i]);
    sqlite3_close(db->db);
    free(db);
}

static duban_err_t sq_exec(store_db_t *db, const char *sql, char *errbuf, size_t size)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return DUBAN_OK;
    duban_err_t err = duban_seterr(errbuf, size, DUBAN_E_IO, "sqlite: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return err;
}

/* Checkpoints when the WAL holds WAL_CHECKPOINT_BYTES, whatever the page size. */
#define WAL_CHECKPOINT_BYTES (64 << 20)

static duban_err_t set_checkpoint(store_db_t *db, char *errbuf, size_t size)
{
    sqlite3_stmt *q;
    int page = 4096;
    if (sqlite3_prepare_v2(db->db, "PRAGMA page_size", -1, &q, NULL) != SQLITE_OK)
        return db_err(db, errbuf, size, "page_size");
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0)
        page = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return sqlite3_wal_autocheckpoint(db->db, WAL_CHECKPOINT_BYTES / page) == SQLITE_OK
               ? DUBAN_OK
               : db_err(db, errbuf, size, "wal_autocheckpoint");
}

static duban_err_t sq_open(const char *path, bool create, store_db_t **out, char *errbuf,
                           size_t size)
{
    store_db_t *db = calloc(1, sizeof(*db));
    if (!db)
        return DUBAN_E_NOMEM;
    duban_err_t err = DUBAN_OK;
    /* NOMUTEX: a connection is used by one thread (store_backend.h), so
     * SQLite's per-call connection mutex is not needed (5 % of a put) */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK)
        err = create ? db_err(db, errbuf, size, path)
                     : duban_seterr(errbuf, size, DUBAN_E_NOTFOUND,
                                    "%s: no such store (%s); it is created only when loading "
                                    "from Kafka (-b)", path, sqlite3_errmsg(db->db));
    if (!err)
        err = sq_exec(db, "PRAGMA page_size=32768; PRAGMA journal_mode=WAL;"
                           " PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                           " PRAGMA journal_size_limit=67108864;", errbuf, size);
    if (!err)
        err = set_checkpoint(db, errbuf, size);
    if (err) {
        sq_close(db);
        return err;
    }
    *out = db;
    return DUBAN_OK;
}

static duban_err_t sq_prepare(store_db_t *db, int id, const char *sql, int n, char *errbuf,
                              size_t size)
{
    (void)n;
    sqlite3_finalize(db->stmt[id]);
    db->stmt[id] = NULL;
    return sqlite3_prepare_v2(db->db, sql, -1, &db->stmt[id], NULL) == SQLITE_OK
               ? DUBAN_OK
               : db_err(db, errbuf, size, "prepare");
}

static duban_err_t sq_run(store_db_t *db, int id, const store_val_t *vals, int n, char *errbuf,
                          size_t size)
{
    sqlite3_stmt *s = db->stmt[id];
    /* Text is bound without a copy (SQLITE_STATIC): it is the caller's until
     * the step below is done. Every run binds all n parameters again, so a
     * pointer left bound after the call is never read (clearing them cost
     * 6 % of a put). */
    for (int i = 0; i < n; i++) {
        if (vals[i].kind == STORE_TEXT)
            sqlite3_bind_text(s, i + 1, vals[i].text, (int)vals[i].len, SQLITE_STATIC);
        else if (vals[i].kind == STORE_INT)
            sqlite3_bind_int64(s, i + 1, vals[i].num);
        else
            sqlite3_bind_null(s, i + 1);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? DUBAN_OK : db_err(db, errbuf, size, "write");
}

static duban_err_t sq_query(store_db_t *db, const char *sql, store_row_cb cb, void *opaque,
                            char *errbuf, size_t size)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(db, errbuf, size, "query");
    int n = sqlite3_column_count(s), rc = SQLITE_DONE;
    const char **names = calloc((size_t)n + 1, sizeof(*names));
    const char **vals = calloc((size_t)n + 1, sizeof(*vals));
    duban_err_t err = names && vals ? DUBAN_OK : DUBAN_E_NOMEM;
    for (int c = 0; !err && c < n; c++)
        names[c] = sqlite3_column_name(s, c);
    bool stop = err || cb(opaque, n, names, NULL);
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < n; c++)
            vals[c] = (const char *)sqlite3_column_text(s, c);
        stop = cb(opaque, n, names, vals) != 0;
    }
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = db_err(db, errbuf, size, "query");
    sqlite3_finalize(s);
    free(names);
    free(vals);
    return err;
}

static duban_err_t sq_begin(store_db_t *db, char *errbuf, size_t size)
{
    return sq_exec(db, "BEGIN", errbuf, size);
}

static duban_err_t sq_commit(store_db_t *db, char *errbuf, size_t size)
{
    duban_err_t err = sq_exec(db, "COMMIT", errbuf, size);
    if (err && !sqlite3_get_autocommit(db->db))
        sq_exec(db, "ROLLBACK", NULL, 0);
    return err;
}

static duban_err_t sq_has_table(store_db_t *db, const char *table, bool *found, char *errbuf,
                                size_t size)
{
    sqlite3_stmt *q;
    *found = false;
    if (sqlite3_prepare_v2(db->db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                           " AND name = ?", -1, &q, NULL) != SQLITE_OK)
        return duban_seterr(errbuf, size, DUBAN_E_IO, "not a SQLite database (%s)",
                            sqlite3_errmsg(db->db));
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        *found = sqlite3_column_int(q, 0) > 0;
    sqlite3_finalize(q);
    return DUBAN_OK;
}

const store_backend_t duban_store_sqlite = {
    .name = "sqlite",
    .text_type = "TEXT",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .run = sq_run,
    .query = sq_query,
    .begin = sq_begin,
    .commit = sq_commit,
    .has_table = sq_has_table,
};
