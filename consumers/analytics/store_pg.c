/* consumers/analytics/store_pg.c: the PostgreSQL backend of the store, over
 * libpq, for a connection string "postgresql://..." or "postgres://...".
 * Between begin and commit the writes are pipelined (libpq pipeline mode):
 * each is sent without waiting for its answer, and the answers are read at
 * every PIPE_MAX statements and at commit, so a batch costs a few round
 * trips instead of one per row; the first error is reported then and the
 * transaction is rolled back. Strings are TEXT COLLATE "C" so that they
 * compare and sort byte-wise, as in SQLite, whatever the server's locale.
 * Owns:   the PGconn. Never: prints the connection string (it may hold a
 *         password); lets libpq print notices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libpq-fe.h>
#include "store_backend.h"

#define PIPE_MAX 500
#define MAX_PARAMS 24

struct store_db_s {
    PGconn *conn;
    bool prepared[STORE_MAX_STMTS];
    int nparams[STORE_MAX_STMTS];
    bool in_pipe;
    int queued;          /* statements sent since the last sync */
    duban_err_t pipe_err; /* first error of the open transaction */
    char pipe_msg[512];
};

static duban_err_t pg_err(store_db_t *db, char *errbuf, size_t size, const char *what,
                          const char *msg)
{
    if (!msg)
        msg = PQerrorMessage(db->conn);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    return duban_seterr(errbuf, size, DUBAN_E_IO, "postgresql %s: %.*s", what, (int)n, msg);
}

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_close(store_db_t *db)
{
    if (!db)
        return;
    PQfinish(db->conn);
    free(db);
}

static duban_err_t pg_open(const char *url, bool create, store_db_t **out, char *errbuf,
                           size_t size)
{
    (void)create; /* the database is the server's: only its tables are made */
    store_db_t *db = calloc(1, sizeof(*db));
    if (!db)
        return DUBAN_E_NOMEM;
    db->conn = PQconnectdb(url);
    duban_err_t err = DUBAN_OK;
    if (!db->conn)
        err = DUBAN_E_NOMEM;
    else if (PQstatus(db->conn) != CONNECTION_OK)
        err = pg_err(db, errbuf, size, "connect", NULL);
    else if (PQsetClientEncoding(db->conn, "UTF8") != 0)
        err = pg_err(db, errbuf, size, "client_encoding UTF8", NULL);
    if (err) {
        pg_close(db);
        return err;
    }
    PQsetNoticeProcessor(db->conn, no_notices, NULL);
    *out = db;
    return DUBAN_OK;
}

static duban_err_t check_result(store_db_t *db, PGresult *r, const char *what, char *errbuf,
                                size_t size)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    duban_err_t err = DUBAN_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        err = pg_err(db, errbuf, size, what, r ? PQresultErrorMessage(r) : NULL);
    PQclear(r);
    return err;
}

static duban_err_t pg_exec(store_db_t *db, const char *sql, char *errbuf, size_t size)
{
    if (db->in_pipe)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "postgresql: exec inside a batch");
    return check_result(db, PQexec(db->conn, sql), "exec", errbuf, size);
}

/* "... ? ... ?" -> "... $1 ... $2" (store.c puts no '?' in literals). */
static duban_err_t pg_prepare(store_db_t *db, int id, const char *sql, int n, char *errbuf,
                              size_t size)
{
    size_t len = strlen(sql);
    size_t cap = len * 4 + 1;
    char *text = malloc(cap), name[16], drop[32];
    if (!text)
        return DUBAN_E_NOMEM;
    size_t o = 0;
    int k = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '?')
            o += (size_t)snprintf(text + o, cap - o, "$%d", ++k);
        else
            text[o++] = *p;
    text[o] = '\0';
    snprintf(name, sizeof(name), "s%d", id);
    snprintf(drop, sizeof(drop), "DEALLOCATE %s", name);
    if (db->prepared[id])
        check_result(db, PQexec(db->conn, drop), "deallocate", NULL, 0);
    duban_err_t err = check_result(db, PQprepare(db->conn, name, text, n, NULL), "prepare",
                                   errbuf, size);
    free(text);
    db->prepared[id] = !err;
    db->nparams[id] = n;
    return err;
}

/* Reads every answer up to the pipeline's sync point; keeps the first error. */
static void pipe_drain(store_db_t *db)
{
    if (PQpipelineSync(db->conn) != 1) {
        if (!db->pipe_err)
            db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "sync", NULL);
        return;
    }
    int nulls = 0;
    for (;;) {
        PGresult *r = PQgetResult(db->conn);
        if (!r) {
            if (++nulls > 1 || PQstatus(db->conn) == CONNECTION_BAD) {
                if (!db->pipe_err)
                    db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "batch", NULL);
                break;
            }
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED &&
            !db->pipe_err)
            db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "write",
                                  PQresultErrorMessage(r));
        PQclear(r);
    }
    db->queued = 0;
}

static duban_err_t pg_run(store_db_t *db, int id, const store_val_t *vals, int n, char *errbuf,
                          size_t size)
{
    char nums[MAX_PARAMS][24], name[16];
    const char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS], formats[MAX_PARAMS];
    if (n > MAX_PARAMS || !db->prepared[id])
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "postgresql: statement %d", id);
    for (int i = 0; i < n; i++) {
        lengths[i] = 0;
        formats[i] = 0;
        values[i] = NULL;
        if (vals[i].kind == STORE_TEXT) { /* binary: the bytes, by length */
            formats[i] = 1;
            values[i] = vals[i].text;
            lengths[i] = (int)vals[i].len;
        } else if (vals[i].kind == STORE_INT) {
            snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)vals[i].num);
            values[i] = nums[i];
        }
    }
    snprintf(name, sizeof(name), "s%d", id);
    if (!db->in_pipe)
        return check_result(db, PQexecPrepared(db->conn, name, n, values, lengths, formats, 0),
                            "write", errbuf, size);
    if (!db->pipe_err && PQsendQueryPrepared(db->conn, name, n, values, lengths, formats, 0) != 1)
        db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "send", NULL);
    if (++db->queued >= PIPE_MAX)
        pipe_drain(db);
    return db->pipe_err ? duban_seterr(errbuf, size, db->pipe_err, "%s", db->pipe_msg)
                        : DUBAN_OK;
}

static duban_err_t pg_query(store_db_t *db, const char *sql, store_row_cb cb, void *opaque,
                            char *errbuf, size_t size)
{
    if (db->in_pipe)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "postgresql: query inside a batch");
    PGresult *r = PQexec(db->conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        return check_result(db, r, "query", errbuf, size);
    int n = PQnfields(r);
    const char **names = calloc((size_t)n + 1, sizeof(*names));
    const char **vals = calloc((size_t)n + 1, sizeof(*vals));
    duban_err_t err = names && vals ? DUBAN_OK : DUBAN_E_NOMEM;
    for (int c = 0; !err && c < n; c++)
        names[c] = PQfname(r, c);
    if (!err && cb(opaque, n, names, NULL))
        n = -1;
    for (int row = 0; !err && n >= 0 && row < PQntuples(r); row++) {
        for (int c = 0; c < n; c++)
            vals[c] = PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
        if (cb(opaque, n, names, vals))
            break;
    }
    free(names);
    free(vals);
    PQclear(r);
    return err;
}

static duban_err_t pg_begin(store_db_t *db, char *errbuf, size_t size)
{
    if (db->in_pipe || PQenterPipelineMode(db->conn) != 1)
        return pg_err(db, errbuf, size, "pipeline", NULL);
    db->in_pipe = true;
    db->queued = 0;
    db->pipe_err = DUBAN_OK;
    if (PQsendQueryParams(db->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0) != 1)
        db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "begin", NULL);
    db->queued++;
    return DUBAN_OK;
}

static duban_err_t pg_commit(store_db_t *db, char *errbuf, size_t size)
{
    if (!db->in_pipe)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "postgresql: commit without begin");
    if (!db->pipe_err &&
        PQsendQueryParams(db->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) != 1)
        db->pipe_err = pg_err(db, db->pipe_msg, sizeof(db->pipe_msg), "commit", NULL);
    pipe_drain(db);
    PQexitPipelineMode(db->conn);
    db->in_pipe = false;
    if (!db->pipe_err)
        return DUBAN_OK;
    if (PQtransactionStatus(db->conn) != PQTRANS_IDLE)
        PQclear(PQexec(db->conn, "ROLLBACK"));
    return duban_seterr(errbuf, size, db->pipe_err, "%s", db->pipe_msg);
}

static duban_err_t pg_has_table(store_db_t *db, const char *table, bool *found, char *errbuf,
                                size_t size)
{
    const char *params[1] = {table};
    PGresult *r = PQexecParams(db->conn, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, params,
                               NULL, NULL, 0);
    *found = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
             PQgetvalue(r, 0, 0)[0] == 't';
    return check_result(db, r, "catalog", errbuf, size);
}

const store_backend_t duban_store_pg = {
    .name = "postgresql",
    .text_type = "TEXT COLLATE \"C\"",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .run = pg_run,
    .query = pg_query,
    .begin = pg_begin,
    .commit = pg_commit,
    .has_table = pg_has_table,
};
