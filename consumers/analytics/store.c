/* consumers/analytics/store.c: the store's tables for duban's events, from a
 * column table, written through a backend (store_backend.h): SQLite or
 * PostgreSQL run the same SQL. Also the working-day table and store_meta
 * the views read (store_views.c), and the CSV export. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "date.h"
#include "hash.h"
#include "store.h"
#include "store_backend.h"
#include "store_row.h"
#include "store_views.h"

/* The first column is the primary key. The columns are named after the
 * fields (the generated keys; DocumentPublished and DeadLetter have no
 * generated table, so theirs are spelled here). */
static const store_table_t tables[DUBAN_EV__COUNT] = {
    [DUBAN_EV_DOCUMENT_PUBLISHED] = {"documents", "doc_id", {
        {"doc_id", COL_TEXT}, {"doc_number", COL_TEXT}, {"title", COL_TEXT},
        {"issuers", COL_LIST}, {"issue_date", COL_TEXT}, {"recipients", COL_LIST},
        {"attached_plan_title", COL_TEXT}, {"task_count", COL_INT}, {NULL, 0}}},
    [DUBAN_EV_TASK_ASSIGNED] = {"tasks", TASK_KEY(TASK_ID, STRING), {
        {TASK_KEY(TASK_ID, STRING), COL_TEXT}, {TASK_KEY(DOC_ID, STRING), COL_TEXT},
        {TASK_KEY(OUTLINE_PATH, STRING), COL_TEXT}, {TASK_KEY(DOC_TITLE, STRING), COL_TEXT},
        {TASK_KEY(TEXT, STRING), COL_TEXT}, {TASK_KEY(LEAD_DEPARTMENTS, STRINGS), COL_LIST},
        {TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS), COL_LIST},
        {TASK_KEY(DEADLINE_TEXT, STRING), COL_TEXT}, {TASK_KEY(DUE_DATE, DATE), COL_TEXT},
        {TASK_KEY(DEADLINE_KIND, ENUM), COL_TEXT},
        {TASK_KEY(OCCURRED_AT, TIMESTAMP), COL_TEXT},
        {TASK_KEY(CONTENT_SHA256, STRING), COL_TEXT}, {TASK_KEY(REVIEW, STRINGS), COL_LIST},
        {NULL, 0}}},
    [DUBAN_EV_TASK_STATUS_CHANGED] = {"task_status", STATUS_KEY(EVENT_ID, STRING), {
        {STATUS_KEY(EVENT_ID, STRING), COL_TEXT}, {STATUS_KEY(TASK_ID, STRING), COL_TEXT},
        {STATUS_KEY(FROM_STATUS, ENUM), COL_TEXT}, {STATUS_KEY(TO_STATUS, ENUM), COL_TEXT},
        {STATUS_KEY(NEW_DUE_DATE, DATE), COL_TEXT}, {STATUS_KEY(ACTOR, STRING), COL_TEXT},
        {STATUS_KEY(COMMENT, STRING), COL_TEXT},
        {STATUS_KEY(OCCURRED_AT, TIMESTAMP), COL_TEXT}, {NULL, 0}}},
    [DUBAN_EV_DEADLINE_ALERT] = {"alerts", ALERT_KEY(ALERT_ID, STRING), {
        {ALERT_KEY(ALERT_ID, STRING), COL_TEXT}, {ALERT_KEY(TASK_ID, STRING), COL_TEXT},
        {ALERT_KEY(DOC_ID, STRING), COL_TEXT}, {ALERT_KEY(DEPARTMENTS, STRINGS), COL_LIST},
        {ALERT_KEY(KIND, ENUM), COL_TEXT}, {ALERT_KEY(LEVEL, ENUM), COL_TEXT},
        {ALERT_KEY(DUE_DATE, DATE), COL_TEXT}, {ALERT_KEY(DAYS_LEFT, INT), COL_INT},
        {ALERT_KEY(FIRE_AT, TIMESTAMP), COL_TEXT},
        {ALERT_KEY(THRESHOLD_DAYS, INT), COL_INT}, {ALERT_KEY(LATE, BOOLEAN), COL_BOOL},
        {NULL, 0}}},
    [DUBAN_EV_DELIVERY_ATTEMPT] = {"deliveries", DELIVERY_KEY(EVENT_ID, STRING), {
        {DELIVERY_KEY(EVENT_ID, STRING), COL_TEXT},
        {DELIVERY_KEY(ALERT_ID, STRING), COL_TEXT},
        {DELIVERY_KEY(ENDPOINT_ID, STRING), COL_TEXT},
        {DELIVERY_KEY(DEPARTMENT, STRING), COL_TEXT}, {DELIVERY_KEY(ATTEMPT, INT), COL_INT},
        {DELIVERY_KEY(HTTP_STATUS, INT), COL_INT}, {DELIVERY_KEY(ERROR, STRING), COL_TEXT},
        {DELIVERY_KEY(LATENCY_MS, LONG), COL_INT}, {DELIVERY_KEY(OUTCOME, ENUM), COL_TEXT},
        {DELIVERY_KEY(DIGEST_SIZE, INT), COL_INT},
        {DELIVERY_KEY(OCCURRED_AT, TIMESTAMP), COL_TEXT}, {NULL, 0}}},
    [DUBAN_EV_DEAD_LETTER] = {"dead_letters", "event_id", {
        {"event_id", COL_TEXT}, {"original_topic", COL_TEXT}, {"partition", COL_INT},
        {"offset", COL_INT}, {"reason", COL_TEXT}, {"occurred_at", COL_TEXT}, {NULL, 0}}},
};

const store_table_t *store_table_of(duban_event_type_t type)
{
    return &tables[type];
}

/* Statements: one upsert per table (ids 0 .. DUBAN_EV__COUNT - 1), then: */
enum { ST_DEPT_DELETE = DUBAN_EV__COUNT, ST_DEPT_INSERT, ST_META, ST_WORKDAY, ST_FILL };

/* The working-day table covers these years (dates outside: NULL, so a task
 * due then is neither due soon nor overdue). */
#define WORKDAYS_FROM_YEAR 2000
#define WORKDAYS_TO_YEAR 2099

struct duban_store_s {
    const store_backend_t *be;
    store_db_t *db;
    char latest[40];        /* latest occurred_at put (canonical ISO text) */
    char stored_latest[40]; /* as store_meta.latest_event_at holds it */
    store_row_t row;        /* the parameters of the event being put */
};

const store_backend_t *duban_store_backend_for(const char *target)
{
    return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0
               ? &duban_store_pg
               : &duban_store_sqlite;
}

/* What errors call the store: a path, never a connection string (it may
 * hold a password). */
static const char *display_name(const store_backend_t *be, const char *target)
{
    return be == &duban_store_pg ? "the PostgreSQL database of --db" : target;
}

static duban_err_t add_missing(duban_store_t *st, const store_table_t *t, char *errbuf,
                               size_t size);

/* CREATE TABLE (or the columns an older store lacks) and the matching
 * upsert for one event type. */
static duban_err_t create_table(duban_store_t *st, const store_table_t *t, int id,
                                char *errbuf, size_t size)
{
    char create[2048], insert[4096], names[1024], values[256], update[2048];
    size_t c = (size_t)snprintf(create, sizeof(create), "CREATE TABLE IF NOT EXISTS %s (", t->table);
    size_t nm = 0, v = 0, u = 0;
    int k;
    for (k = 0; t->cols[k].name; k++) {
        const char *name = t->cols[k].name;
        const char *type = t->cols[k].kind == COL_INT || t->cols[k].kind == COL_BOOL
                               ? "BIGINT" : st->be->text_type;
        c += (size_t)snprintf(create + c, sizeof(create) - c, "\"%s\" %s%s, ", name, type,
                              k == 0 ? " PRIMARY KEY" : "");
        nm += (size_t)snprintf(names + nm, sizeof(names) - nm, "\"%s\", ", name);
        v += (size_t)snprintf(values + v, sizeof(values) - v, "?, ");
        if (k > 0)
            u += (size_t)snprintf(update + u, sizeof(update) - u, "\"%s\" = excluded.\"%s\", ",
                                  name, name);
    }
    snprintf(create + c, sizeof(create) - c, "event %s NOT NULL)", st->be->text_type);
    snprintf(insert, sizeof(insert),
             "INSERT INTO %s (%sevent) VALUES (%s?) ON CONFLICT (\"%s\") DO UPDATE SET %s"
             "event = excluded.event", t->table, names, values, t->cols[0].name, update);
    duban_err_t err = st->be->exec(st->db, create, errbuf, size);
    if (!err)
        err = add_missing(st, t, errbuf, size);
    return err ? err : st->be->prepare(st->db, id, insert, k + 1, errbuf, size);
}

/* The tables besides the events', the indexes and the prepared statements
 * on them. */
static duban_err_t create_extra(duban_store_t *st, char *errbuf, size_t size)
{
    char sql[2048];
    const char *tt = st->be->text_type;
    snprintf(sql, sizeof(sql),
             "CREATE TABLE IF NOT EXISTS task_departments (task_id %s NOT NULL,"
             " department %s NOT NULL, role %s NOT NULL, PRIMARY KEY (task_id, department, role));"
             "CREATE TABLE IF NOT EXISTS store_meta (key %s PRIMARY KEY, value %s);"
             "CREATE TABLE IF NOT EXISTS workdays (day %s PRIMARY KEY, n BIGINT NOT NULL);"
             "CREATE INDEX IF NOT EXISTS alerts_task ON alerts(task_id);"
             "CREATE INDEX IF NOT EXISTS status_task ON task_status(task_id, occurred_at);"
             "CREATE INDEX IF NOT EXISTS deliveries_alert ON deliveries(alert_id);",
             tt, tt, tt, tt, tt, tt);
    duban_err_t err = st->be->exec(st->db, sql, errbuf, size);
    /* Rebuilt at every open, so a store made by an older version gets the
     * current columns. */
    if (!err)
        err = st->be->exec(st->db, duban_store_views_sql, errbuf, size);
    static const struct { int id, n; const char *sql; } stmts[] = {
        {ST_DEPT_DELETE, 1, "DELETE FROM task_departments WHERE task_id = ?"},
        {ST_DEPT_INSERT, 3, "INSERT INTO task_departments VALUES (?, ?, ?) ON CONFLICT DO NOTHING"},
        {ST_META, 2, "INSERT INTO store_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                     " SET value = excluded.value"},
        {ST_WORKDAY, 2, "INSERT INTO workdays VALUES (?, ?) ON CONFLICT (day) DO UPDATE"
                        " SET n = excluded.n"},
    };
    for (size_t i = 0; !err && i < sizeof(stmts) / sizeof(stmts[0]); i++)
        err = st->be->prepare(st->db, stmts[i].id, stmts[i].sql, stmts[i].n, errbuf, size);
    return err;
}

typedef struct {
    const char *key;
    char *out;
    size_t size;
} meta_read_t;

static int meta_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    meta_read_t *m = opaque;
    if (vals && n == 2 && vals[0] && vals[1] && strcmp(vals[0], m->key) == 0)
        snprintf(m->out, m->size, "%s", vals[1]);
    return 0;
}

/* store_meta's value for key into out ("" when there is none). */
static duban_err_t meta_get(duban_store_t *st, const char *key, char *out, size_t out_size,
                            char *errbuf, size_t size)
{
    meta_read_t m = {key, out, out_size};
    out[0] = '\0';
    return st->be->query(st->db, "SELECT key, value FROM store_meta", meta_row, &m, errbuf, size);
}

static duban_err_t meta_put(duban_store_t *st, const char *key, const char *value,
                            char *errbuf, size_t size)
{
    store_val_t v[2] = {{STORE_TEXT, key, strlen(key), 0},
                        {value ? STORE_TEXT : STORE_NULL, value, value ? strlen(value) : 0, 0}};
    return st->be->run(st->db, ST_META, v, 2, errbuf, size);
}

duban_err_t duban_store_open(const char *target, bool create, duban_store_t **out,
                             char *errbuf, size_t size)
{
    duban_store_t *st = calloc(1, sizeof(*st));
    if (!st)
        return DUBAN_E_NOMEM;
    store_row_init(&st->row);
    st->be = duban_store_backend_for(target);
    const char *name = display_name(st->be, target);
    duban_err_t err = st->be->open(target, create, &st->db, errbuf, size);
    if (!err && !create) {
        /* a mistyped --db naming some other database is refused, not given tables */
        bool found = false;
        char why[256];
        if ((err = st->be->has_table(st->db, "tasks", &found, why, sizeof(why))))
            duban_seterr(errbuf, size, err, "%s: %s", name, why);
        else if (!found)
            err = duban_seterr(errbuf, size, DUBAN_E_NOTFOUND,
                               "%s is not a duban-analytics store (no table tasks)", name);
    }
    for (int t = 0; !err && t < DUBAN_EV__COUNT; t++)
        err = create_table(st, &tables[t], t, errbuf, size);
    if (!err)
        err = create_extra(st, errbuf, size);
    if (!err)
        err = meta_get(st, "latest_event_at", st->stored_latest, sizeof(st->stored_latest),
                       errbuf, size);
    if (err) {
        duban_store_close(st);
        return err;
    }
    memcpy(st->latest, st->stored_latest, sizeof(st->latest));
    *out = st;
    return DUBAN_OK;
}

duban_err_t duban_store_query(duban_store_t *st, const char *sql, duban_store_row_cb row,
                              void *opaque, char *errbuf, size_t size)
{
    return st->be->query(st->db, sql, row, opaque, errbuf, size);
}

void duban_store_close(duban_store_t *st)
{
    if (!st)
        return;
    if (st->db)
        st->be->close(st->db);
    store_row_free(&st->row);
    free(st);
}

duban_err_t duban_store_begin(duban_store_t *st, char *errbuf, size_t size)
{
    return st->be->begin(st->db, errbuf, size);
}

/* The latest event time goes with the batch that brought it. */
duban_err_t duban_store_commit(duban_store_t *st, char *errbuf, size_t size)
{
    bool newer = strcmp(st->latest, st->stored_latest) > 0;
    duban_err_t err = newer ? meta_put(st, "latest_event_at", st->latest, errbuf, size)
                            : DUBAN_OK;
    duban_err_t cerr = st->be->commit(st->db, errbuf, size);
    if (!err && !cerr && newer)
        memcpy(st->stored_latest, st->latest, sizeof(st->latest));
    return err ? err : cerr;
}

/* ---- columns added after a store was made (tasks.review) ---- */

typedef struct {
    const store_table_t *t;
    bool have[STORE_MAX_COLS];
} cols_read_t;

/* The column names are all it reads: it stops before the first row. */
static int cols_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    cols_read_t *c = opaque;
    for (int i = 0; i < n; i++)
        for (int k = 0; c->t->cols[k].name; k++)
            c->have[k] |= strcmp(names[i], c->t->cols[k].name) == 0;
    return 1;
}

typedef struct {
    char **keys, **events;  /* NEW, each */
    size_t n, cap, ecap;
} kept_rows_t;

static int kept_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    kept_rows_t *k = opaque;
    if (!vals || n != 2 || !vals[0])
        return 0;
    k->keys = duban_array_xgrow(k->keys, &k->cap, k->n + 1, sizeof(char *), 256);
    k->events = duban_array_xgrow(k->events, &k->ecap, k->n + 1, sizeof(char *), 256);
    k->keys[k->n] = duban_xstrdup(vals[0]);
    k->events[k->n++] = duban_xstrdup(vals[1] ? vals[1] : "{}");
    return 0;
}

/* Fills column k of every row from the event the row keeps, as put does. */
static duban_err_t fill_column(duban_store_t *st, const store_table_t *t, int k, char *errbuf,
                               size_t size)
{
    char sql[512];
    kept_rows_t rows = {0};
    snprintf(sql, sizeof(sql), "SELECT \"%s\", event FROM %s", t->cols[0].name, t->table);
    duban_err_t err = st->be->query(st->db, sql, kept_row, &rows, errbuf, size);
    snprintf(sql, sizeof(sql), "UPDATE %s SET \"%s\" = ? WHERE \"%s\" = ?", t->table,
             t->cols[k].name, t->cols[0].name);
    if (!err && rows.n)
        err = st->be->prepare(st->db, ST_FILL, sql, 2, errbuf, size);
    if (!err && rows.n && !(err = st->be->begin(st->db, errbuf, size))) {
        for (size_t i = 0; !err && i < rows.n; i++) {
            json_t *ev = json_loads(rows.events[i], 0, NULL);
            store_val_t v[2] = {store_row_json_value(&st->row, &t->cols[k],
                                                     json_object_get(ev, t->cols[k].name)),
                                {STORE_TEXT, rows.keys[i], strlen(rows.keys[i]), 0}};
            err = st->be->run(st->db, ST_FILL, v, 2, errbuf, size);
            json_decref(ev);
        }
        duban_err_t cerr = st->be->commit(st->db, err ? NULL : errbuf, err ? 0 : size);
        err = err ? err : cerr;
    }
    for (size_t i = 0; i < rows.n; i++) {
        free(rows.keys[i]);
        free(rows.events[i]);
    }
    free(rows.keys);
    free(rows.events);
    return err;
}

/* A column of the table that a store made before it lacks is added, and
 * filled from the events the store keeps (the same SQL on every backend). */
static duban_err_t add_missing(duban_store_t *st, const store_table_t *t, char *errbuf,
                               size_t size)
{
    char sql[512];
    cols_read_t c = {t, {false}};
    snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE 1 = 0", t->table);
    duban_err_t err = st->be->query(st->db, sql, cols_row, &c, errbuf, size);
    for (int k = 0; !err && t->cols[k].name; k++) {
        if (c.have[k])
            continue;
        snprintf(sql, sizeof(sql), "ALTER TABLE %s ADD COLUMN \"%s\" %s", t->table,
                 t->cols[k].name,
                 t->cols[k].kind == COL_INT || t->cols[k].kind == COL_BOOL ? "BIGINT"
                                                                           : st->be->text_type);
        err = st->be->exec(st->db, sql, errbuf, size);
        if (!err)
            err = fill_column(st, t, k, errbuf, size);
    }
    return err;
}

/* The event's row, its task_departments rows (replaced: a corrected task
 * may have other departments) and the latest event time. */
static duban_err_t put_row(duban_store_t *st, duban_event_type_t type, char *errbuf,
                           size_t size)
{
    const store_row_t *r = &st->row;
    duban_err_t err = st->be->run(st->db, type, r->vals, r->n + 1, errbuf, size);
    if (!err && type == DUBAN_EV_TASK_ASSIGNED)
        err = st->be->run(st->db, ST_DEPT_DELETE, r->vals, 1, errbuf, size);
    for (size_t i = 0; !err && type == DUBAN_EV_TASK_ASSIGNED && i < r->ndepts; i++) {
        store_val_t v[3] = {r->vals[0], r->depts[2 * i], r->depts[2 * i + 1]};
        err = st->be->run(st->db, ST_DEPT_INSERT, v, 3, errbuf, size);
    }
    if (!err && strcmp(r->occurred_at, st->latest) > 0)
        memcpy(st->latest, r->occurred_at, sizeof(st->latest));
    return err;
}

duban_err_t duban_store_put(duban_store_t *st, duban_event_type_t type, const json_t *ev,
                            char *errbuf, size_t size)
{
    if (type >= DUBAN_EV__COUNT || !json_is_object(ev))
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "not an event");
    duban_err_t err = store_row_from_json(&st->row, &tables[type],
                                          type == DUBAN_EV_TASK_ASSIGNED, ev, errbuf, size);
    return err ? err : put_row(st, type, errbuf, size);
}

duban_err_t duban_store_put_row(duban_store_t *st, const duban_event_row_t *ev, char *errbuf,
                                size_t size)
{
    if (ev->type >= DUBAN_EV__COUNT)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "not an event");
    duban_err_t err = store_row_from_event(&st->row, &tables[ev->type],
                                           ev->type == DUBAN_EV_TASK_ASSIGNED, ev, errbuf, size);
    return err ? err : put_row(st, ev->type, errbuf, size);
}

/* ---- the figures' clock and calendar ---- */

/* "FROM..TO n=N h=HASH": changes when any day's working-day flag does. */
static void workdays_signature(const duban_calendar_t *cal, char *out, size_t out_size)
{
    int32_t from = duban_date_from_ymd(WORKDAYS_FROM_YEAR, 1, 1);
    int32_t to = duban_date_from_ymd(WORKDAYS_TO_YEAR, 12, 31);
    uint64_t h = DUBAN_FNV1A64_INIT;
    long n = 0;
    for (int32_t d = from; d <= to; d++) {
        unsigned char w = duban_calendar_is_workday(cal, d);
        n += w;
        h = duban_fnv1a64_add(h, &w, 1);
    }
    snprintf(out, out_size, "%d..%d n=%ld h=%016llx", WORKDAYS_FROM_YEAR, WORKDAYS_TO_YEAR, n,
             (unsigned long long)h);
}

/* Refills workdays when the calendar differs from the one it was made of. */
static duban_err_t fill_workdays(duban_store_t *st, const duban_calendar_t *cal, char *errbuf,
                                 size_t size)
{
    char want[96], have[96], day[11];
    workdays_signature(cal, want, sizeof(want));
    duban_err_t err = meta_get(st, "workdays", have, sizeof(have), errbuf, size);
    if (err || strcmp(want, have) == 0)
        return err;
    if ((err = st->be->exec(st->db, "DELETE FROM workdays", errbuf, size)) ||
        (err = st->be->begin(st->db, errbuf, size)))
        return err;
    int32_t to = duban_date_from_ymd(WORKDAYS_TO_YEAR, 12, 31);
    int64_t n = 0;
    for (int32_t d = duban_date_from_ymd(WORKDAYS_FROM_YEAR, 1, 1); !err && d <= to; d++) {
        n += duban_calendar_is_workday(cal, d);
        store_val_t v[2] = {{STORE_TEXT, duban_date_format(d, day), 10, 0}, {STORE_INT, NULL, 0, n}};
        err = st->be->run(st->db, ST_WORKDAY, v, 2, errbuf, size);
    }
    if (!err)
        err = meta_put(st, "workdays", want, errbuf, size);
    duban_err_t cerr = st->be->commit(st->db, err ? NULL : errbuf, err ? 0 : size);
    return err ? err : cerr;
}

duban_err_t duban_store_set_figures(duban_store_t *st, const duban_store_figures_t *fig,
                                    char *errbuf, size_t size)
{
    int64_t ms = 0;
    const char *as_of = fig->as_of ? fig->as_of : st->stored_latest;
    char text[32], date[11], soon[24];
    bool have = as_of[0] != '\0';
    if (have && duban_instant_parse(as_of, &ms) != DUBAN_OK)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                            "--as-of %s: not a date or ISO-8601 time", as_of);
    if (have) {
        duban_instant_format(ms, text);
        duban_date_format(duban_date_of_instant(ms), date);
    }
    snprintf(soon, sizeof(soon), "%d", fig->due_soon_days);
    duban_err_t err = fill_workdays(st, fig->cal, errbuf, size);
    if (!err)
        err = meta_put(st, "as_of", have ? text : NULL, errbuf, size);
    if (!err)
        err = meta_put(st, "as_of_date", have ? date : NULL, errbuf, size);
    if (!err)
        err = meta_put(st, "due_soon_days", soon, errbuf, size);
    return err;
}

static void csv_field(FILE *f, const char *v)
{
    if (!v)
        return;
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, f);
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

/* One CSV line: the header when values is NULL. */
static int csv_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    FILE *f = opaque;
    for (int c = 0; c < n; c++) {
        if (c)
            fputc(',', f);
        csv_field(f, vals ? vals[c] : names[c]);
    }
    fputs("\r\n", f);
    return 0;
}

static duban_err_t export_one(duban_store_t *st, const char *name, const char *dir,
                              char *errbuf, size_t size)
{
    char path[4096], sql[256];
    snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
    snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", name);
    FILE *f = fopen(path, "w");
    if (!f)
        return duban_seterr(errbuf, size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
    duban_err_t err = st->be->query(st->db, sql, csv_row, f, errbuf, size);
    if (fclose(f) != 0 && !err)
        err = duban_seterr(errbuf, size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
    return err;
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
    static const char *const more[] = {"task_departments", "task_current", "task_figures",
                                       "department_figures"};
    for (size_t i = 0; !err && i < sizeof(more) / sizeof(more[0]); i++)
        err = export_one(st, more[i], dir, errbuf, size);
    return err;
}
