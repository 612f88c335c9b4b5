/* consumers/analytics/store.c: SQLite tables for duban's events, from a column table. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "store.h"

typedef enum { COL_TEXT, COL_INT, COL_LIST, COL_BOOL } col_kind_t;

typedef struct {
    const char *name;   /* column and JSON field */
    col_kind_t kind;
} store_col_t;

#define MAX_COLS 16

typedef struct {
    const char *table, *key;
    store_col_t cols[MAX_COLS];
} store_table_t;

/* The first column is the primary key. */
static const store_table_t tables[DUBAN_EV__COUNT] = {
    [DUBAN_EV_DOCUMENT_PUBLISHED] = {"documents", "doc_id", {
        {"doc_id", COL_TEXT}, {"doc_number", COL_TEXT}, {"title", COL_TEXT},
        {"issuers", COL_LIST}, {"issue_date", COL_TEXT}, {"recipients", COL_LIST},
        {"attached_plan_title", COL_TEXT}, {"task_count", COL_INT}, {NULL, 0}}},
    [DUBAN_EV_TASK_ASSIGNED] = {"tasks", "task_id", {
        {"task_id", COL_TEXT}, {"doc_id", COL_TEXT}, {"outline_path", COL_TEXT},
        {"doc_title", COL_TEXT}, {"text", COL_TEXT}, {"lead_departments", COL_LIST},
        {"cooperating_departments", COL_LIST}, {"deadline_text", COL_TEXT},
        {"due_date", COL_TEXT}, {"deadline_kind", COL_TEXT}, {"occurred_at", COL_TEXT},
        {"content_sha256", COL_TEXT}, {"review", COL_LIST}, {NULL, 0}}},
    [DUBAN_EV_TASK_STATUS_CHANGED] = {"task_status", "event_id", {
        {"event_id", COL_TEXT}, {"task_id", COL_TEXT}, {"from_status", COL_TEXT},
        {"to_status", COL_TEXT}, {"new_due_date", COL_TEXT}, {"actor", COL_TEXT},
        {"comment", COL_TEXT}, {"occurred_at", COL_TEXT}, {NULL, 0}}},
    [DUBAN_EV_DEADLINE_ALERT] = {"alerts", "alert_id", {
        {"alert_id", COL_TEXT}, {"task_id", COL_TEXT}, {"doc_id", COL_TEXT},
        {"departments", COL_LIST}, {"kind", COL_TEXT}, {"level", COL_TEXT},
        {"due_date", COL_TEXT}, {"days_left", COL_INT}, {"fire_at", COL_TEXT},
        {"threshold_days", COL_INT}, {"late", COL_BOOL}, {NULL, 0}}},
    [DUBAN_EV_DELIVERY_ATTEMPT] = {"deliveries", "event_id", {
        {"event_id", COL_TEXT}, {"alert_id", COL_TEXT}, {"endpoint_id", COL_TEXT},
        {"department", COL_TEXT}, {"attempt", COL_INT}, {"http_status", COL_INT},
        {"error", COL_TEXT}, {"latency_ms", COL_INT}, {"outcome", COL_TEXT},
        {"digest_size", COL_INT}, {"occurred_at", COL_TEXT}, {NULL, 0}}},
    [DUBAN_EV_DEAD_LETTER] = {"dead_letters", "event_id", {
        {"event_id", COL_TEXT}, {"original_topic", COL_TEXT}, {"partition", COL_INT},
        {"offset", COL_INT}, {"reason", COL_TEXT}, {"occurred_at", COL_TEXT}, {NULL, 0}}},
};

struct duban_store_s {
    sqlite3 *db;
    sqlite3_stmt *insert[DUBAN_EV__COUNT];
    sqlite3_stmt *dept_delete, *dept_insert;
};

static duban_err_t db_err(duban_store_t *st, char *errbuf, size_t size, const char *what)
{
    return duban_seterr(errbuf, size, DUBAN_E_IO, "sqlite %s: %s", what, sqlite3_errmsg(st->db));
}

static duban_err_t exec(duban_store_t *st, const char *sql, char *errbuf, size_t size)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return DUBAN_OK;
    duban_err_t err = duban_seterr(errbuf, size, DUBAN_E_IO, "sqlite: %s", msg ? msg : "?");
    sqlite3_free(msg);
    return err;
}

/* A column added to the table after a store was made (tasks.review) is
 * added to such a store too, filled from the events it keeps. */
static duban_err_t add_missing(duban_store_t *st, const store_table_t *t, char *errbuf,
                               size_t size)
{
    char sql[512];
    duban_err_t err = DUBAN_OK;
    for (int k = 0; !err && t->cols[k].name; k++) {
        const store_col_t *c = &t->cols[k];
        snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM pragma_table_info('%s') WHERE name = '%s'",
                 t->table, c->name);
        sqlite3_stmt *q = NULL;
        int found = 1;   /* a failed question adds nothing */
        if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            found = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        if (found)
            continue;
        const char *type = c->kind == COL_INT || c->kind == COL_BOOL ? "INTEGER" : "TEXT";
        if (c->kind == COL_LIST)
            snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN \"%s\" %s; UPDATE %s SET \"%s\""
                     " = (SELECT group_concat(value, '、') FROM json_each(event, '$.%s'))",
                     t->table, c->name, type, t->table, c->name, c->name);
        else
            snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN \"%s\" %s; UPDATE %s SET \"%s\""
                     " = json_extract(event, '$.%s')", t->table, c->name, type, t->table,
                     c->name, c->name);
        err = exec(st, sql, errbuf, size);
    }
    return err;
}

/* CREATE TABLE and the matching INSERT OR REPLACE for one event type. The
 * INSERT names its columns: a column added later sits after `event`. */
static duban_err_t create_table(duban_store_t *st, const store_table_t *t, sqlite3_stmt **ins,
                                char *errbuf, size_t size)
{
    char create[2048], insert[2048], values[512];
    size_t c = (size_t)snprintf(create, sizeof(create), "CREATE TABLE IF NOT EXISTS %s (", t->table);
    size_t i = (size_t)snprintf(insert, sizeof(insert), "INSERT OR REPLACE INTO %s (", t->table);
    size_t v = 0;
    for (int k = 0; t->cols[k].name; k++) {
        const char *type = t->cols[k].kind == COL_INT || t->cols[k].kind == COL_BOOL ? "INTEGER"
                                                                                     : "TEXT";
        c += (size_t)snprintf(create + c, sizeof(create) - c, "\"%s\" %s%s, ", t->cols[k].name,
                              type, k == 0 ? " PRIMARY KEY" : "");
        i += (size_t)snprintf(insert + i, sizeof(insert) - i, "\"%s\", ", t->cols[k].name);
        v += (size_t)snprintf(values + v, sizeof(values) - v, "?, ");
    }
    snprintf(create + c, sizeof(create) - c, "event TEXT NOT NULL)");
    snprintf(insert + i, sizeof(insert) - i, "event) VALUES (%s?)", values);
    duban_err_t err = exec(st, create, errbuf, size);
    if (!err)
        err = add_missing(st, t, errbuf, size);
    if (!err && sqlite3_prepare_v2(st->db, insert, -1, ins, NULL) != SQLITE_OK)
        err = db_err(st, errbuf, size, "prepare");
    return err;
}

static const char *schema_extra =
    "CREATE TABLE IF NOT EXISTS task_departments (task_id TEXT NOT NULL, department TEXT NOT NULL,"
    " role TEXT NOT NULL, PRIMARY KEY (task_id, department, role));"
    "CREATE INDEX IF NOT EXISTS alerts_task ON alerts(task_id);"
    "CREATE INDEX IF NOT EXISTS status_task ON task_status(task_id, occurred_at);"
    /* Rebuilt at every open, so a store made by an older version gets the
     * current columns. effective_due_date: the new_due_date of the task's
     * latest EXTENDED change when that change is later than the task's own
     * (latest) event, else the task's due_date; so "overdue respecting
     * extensions" is one query on this view. */
    "DROP VIEW IF EXISTS task_current;"
    "CREATE VIEW task_current AS SELECT t.task_id, t.doc_id, t.lead_departments,"
    " t.due_date, t.deadline_kind, COALESCE((SELECT s.to_status FROM task_status s"
    " WHERE s.task_id = t.task_id ORDER BY s.occurred_at DESC, s.event_id DESC LIMIT 1),"
    " 'ASSIGNED') AS status, (SELECT COUNT(*) FROM alerts a WHERE a.task_id = t.task_id)"
    " AS alerts_sent, COALESCE((SELECT s.new_due_date FROM task_status s"
    " WHERE s.task_id = t.task_id AND s.to_status = 'EXTENDED' AND s.new_due_date IS NOT NULL"
    " AND s.occurred_at > t.occurred_at ORDER BY s.occurred_at DESC, s.event_id DESC LIMIT 1),"
    " t.due_date) AS effective_due_date FROM tasks t;";

/* An existing store must have duban's tables: a mistyped --db that names
 * some other SQLite file is refused rather than given tables. */
static duban_err_t check_is_store(duban_store_t *st, const char *path, char *errbuf,
                                  size_t size)
{
    sqlite3_stmt *q;
    int found = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                           " AND name = 'tasks'", -1, &q, NULL) != SQLITE_OK)
        return duban_seterr(errbuf, size, DUBAN_E_IO, "%s: not a SQLite database (%s)", path,
                            sqlite3_errmsg(st->db));
    if (sqlite3_step(q) == SQLITE_ROW)
        found = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return found ? DUBAN_OK
                 : duban_seterr(errbuf, size, DUBAN_E_NOTFOUND,
                                "%s is not a duban-analytics store (no table tasks)", path);
}

duban_err_t duban_store_open(const char *path, bool create, duban_store_t **out, char *errbuf,
                             size_t size)
{
    duban_store_t *st = calloc(1, sizeof(*st));
    if (!st)
        return DUBAN_E_NOMEM;
    duban_err_t err = DUBAN_OK;
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK)
        err = create ? db_err(st, errbuf, size, path)
                     : duban_seterr(errbuf, size, DUBAN_E_NOTFOUND,
                                    "%s: no such store (%s); it is created only when loading "
                                    "from Kafka (-b)", path, sqlite3_errmsg(st->db));
    if (!err && !create)
        err = check_is_store(st, path, errbuf, size);
    if (!err)
        err = exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", errbuf, size);
    for (int t = 0; !err && t < DUBAN_EV__COUNT; t++)
        err = create_table(st, &tables[t], &st->insert[t], errbuf, size);
    if (!err)
        err = exec(st, schema_extra, errbuf, size);
    if (!err && (sqlite3_prepare_v2(st->db, "DELETE FROM task_departments WHERE task_id = ?",
                                    -1, &st->dept_delete, NULL) != SQLITE_OK ||
                 sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO task_departments VALUES (?, ?, ?)",
                                    -1, &st->dept_insert, NULL) != SQLITE_OK))
        err = db_err(st, errbuf, size, "prepare");
    if (err) {
        duban_store_close(st);
        return err;
    }
    *out = st;
    return DUBAN_OK;
}

struct sqlite3 *duban_store_handle(duban_store_t *st)
{
    return st->db;
}

void duban_store_close(duban_store_t *st)
{
    if (!st)
        return;
    for (int t = 0; t < DUBAN_EV__COUNT; t++)
        sqlite3_finalize(st->insert[t]);
    sqlite3_finalize(st->dept_delete);
    sqlite3_finalize(st->dept_insert);
    sqlite3_close(st->db);
    free(st);
}

duban_err_t duban_store_begin(duban_store_t *st, char *errbuf, size_t size)
{
    return exec(st, "BEGIN", errbuf, size);
}

duban_err_t duban_store_commit(duban_store_t *st, char *errbuf, size_t size)
{
    return exec(st, "COMMIT", errbuf, size);
}

static void bind_list(sqlite3_stmt *s, int idx, const json_t *arr)
{
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(arr, i, v) n += json_string_length(v) + 3;
    char *joined = malloc(n + 1);
    size_t len = 0;
    json_array_foreach(arr, i, v) {
        if (i) {
            memcpy(joined + len, "、", 3);
            len += 3;
        }
        memcpy(joined + len, json_string_value(v), json_string_length(v));
        len += json_string_length(v);
    }
    sqlite3_bind_text(s, idx, joined, (int)len, free);
}

static void bind_col(sqlite3_stmt *s, int idx, const store_col_t *col, const json_t *v)
{
    if (!v || json_is_null(v))
        sqlite3_bind_null(s, idx);
    else if (col->kind == COL_LIST && json_is_array(v))
        bind_list(s, idx, v);
    else if (col->kind == COL_BOOL)
        sqlite3_bind_int(s, idx, json_is_true(v));
    else if (json_is_integer(v))
        sqlite3_bind_int64(s, idx, json_integer_value(v));
    else if (json_is_string(v))
        sqlite3_bind_text(s, idx, json_string_value(v), (int)json_string_length(v),
                          SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, idx);
}

static duban_err_t step(duban_store_t *st, sqlite3_stmt *s, char *errbuf, size_t size)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE ? DUBAN_OK : db_err(st, errbuf, size, "write");
}

static duban_err_t put_departments(duban_store_t *st, const json_t *ev, char *errbuf,
                                   size_t size)
{
    const char *task_id = json_string_value(json_object_get(ev, "task_id"));
    sqlite3_bind_text(st->dept_delete, 1, task_id, -1, SQLITE_TRANSIENT);
    duban_err_t err = step(st, st->dept_delete, errbuf, size);
    static const char *roles[][2] = {{"lead_departments", "lead"},
                                     {"cooperating_departments", "cooperating"}};
    for (int r = 0; !err && r < 2; r++) {
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(ev, roles[r][0]), i, d) {
            sqlite3_bind_text(st->dept_insert, 1, task_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st->dept_insert, 2, json_string_value(d), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st->dept_insert, 3, roles[r][1], -1, SQLITE_STATIC);
            if ((err = step(st, st->dept_insert, errbuf, size)))
                break;
        }
    }
    return err;
}

duban_err_t duban_store_put(duban_store_t *st, duban_event_type_t type, const json_t *ev,
                            char *errbuf, size_t size)
{
    if (type >= DUBAN_EV__COUNT || !json_is_object(ev))
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "not an event");
    const store_table_t *t = &tables[type];
    if (!json_is_string(json_object_get(ev, t->cols[0].name)))
        return duban_seterr(errbuf, size, DUBAN_E_SCHEMA, "%s: no %s", t->table,
                            t->cols[0].name);
    sqlite3_stmt *s = st->insert[type];
    int k;
    for (k = 0; t->cols[k].name; k++)
        bind_col(s, k + 1, &t->cols[k], json_object_get(ev, t->cols[k].name));
    char *text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
    sqlite3_bind_text(s, k + 1, text ? text : "{}", -1, free);
    duban_err_t err = step(st, s, errbuf, size);
    if (!err && type == DUBAN_EV_TASK_ASSIGNED)
        err = put_departments(st, ev, errbuf, size);
    return err;
}

static void csv_field(FILE *f, const unsigned char *v)
{
    if (!v)
        return;
    if (!strpbrk((const char *)v, ",\"\r\n")) {
        fputs((const char *)v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"')
            fputc('"', f);
        fputc(*v, f);
    }
    fputc('"', f);
}

static duban_err_t export_one(duban_store_t *st, const char *name, const char *dir,
                              char *errbuf, size_t size)
{
    char path[4096], sql[256];
    snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
    snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", name);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return db_err(st, errbuf, size, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        sqlite3_finalize(s);
        return duban_seterr(errbuf, size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
    }
    int n = sqlite3_column_count(s);
    for (int c = 0; c < n; c++) {
        if (c)
            fputc(',', f);
        csv_field(f, (const unsigned char *)sqlite3_column_name(s, c));
    }
    fputs("\r\n", f);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < n; c++) {
            if (c)
                fputc(',', f);
            csv_field(f, sqlite3_column_text(s, c));
        }
        fputs("\r\n", f);
    }
    sqlite3_finalize(s);
    return fclose(f) == 0 ? DUBAN_OK
                          : duban_seterr(errbuf, size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
}

/* mkdir -p dir: each missing level is created (0755). */
static duban_err_t make_dirs(const char *dir, char *errbuf, size_t size)
{
    char path[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof(path))
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "--csv: bad directory \"%s\"", dir);
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char c = path[i];
        path[i] = '\0';
        struct stat sb;
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return duban_seterr(errbuf, size, DUBAN_E_IO, "--csv %s: cannot create %s: %s", dir,
                                path, strerror(errno));
        if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return duban_seterr(errbuf, size, DUBAN_E_IO, "--csv %s: %s is not a directory",
                                dir, path);
        path[i] = c;
    }
    return DUBAN_OK;
}

duban_err_t duban_store_export_csv(duban_store_t *st, const char *dir, char *errbuf,
                                   size_t size)
{
    duban_err_t err = make_dirs(dir, errbuf, size);
    for (int t = 0; !err && t < DUBAN_EV__COUNT; t++)
        err = export_one(st, tables[t].table, dir, errbuf, size);
    if (!err)
        err = export_one(st, "task_departments", dir, errbuf, size);
    if (!err)
        err = export_one(st, "task_current", dir, errbuf, size);
    return err;
}
