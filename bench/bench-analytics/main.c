/* duban-bench-analytics: duban-analytics' per-message path into a store,
 * next to a bare insert loop on the same store, in the same run.
 *
 * Reads events (JSON Lines, as duban-replay or the ingest dry run prints
 * them, with "type") from --events FILE, encodes each once to Avro
 * (untimed), then times, over the same N messages:
 *   ingest  Avro bytes -> duban_serde_decode_row -> duban_store_put_row,
 *           committed every DUBAN_STORE_BATCH_MAX (20,000) messages, as
 *           duban-analytics applies a batch (the store's upserts,
 *           task_departments rows, latest event time);
 *   bare    N rows (TEXT key, the event's JSON text) into one table with a
 *           prepared INSERT through the same backend, committed as often.
 * --db FILE|URL as duban-analytics (SQLite file or postgresql://...); the
 * store's tables and bench_bare are dropped first, so every run starts
 * empty. --batch N sets the messages per transaction. Prints events/s of
 * both and their ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "buf.h"
#include "serde.h"
#include "store.h"
#include "store_backend.h"

/* messages per transaction: duban-analytics' batch unless --batch N */
static size_t BATCH = DUBAN_STORE_BATCH_MAX;

typedef struct {
    duban_buf_t *msgs;
    char **texts;
    size_t n;
} bench_events_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load_events(const char *path, duban_serde_t *serde, bench_events_t *ev)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fprintf(stderr, "bench-analytics: %s: cannot open\n", path), -1;
    char *line = NULL, errbuf[256];
    size_t cap = 0, room = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        duban_event_type_t type;
        const char *name = json_string_value(json_object_get(j, "type"));
        if (!j || !name || duban_event_type_from_name(name, &type) != DUBAN_OK) {
            json_decref(j);
            continue;
        }
        if (ev->n == room) {
            room = room ? room * 2 : 4096;
            ev->msgs = realloc(ev->msgs, room * sizeof(*ev->msgs));
            ev->texts = realloc(ev->texts, room * sizeof(*ev->texts));
        }
        duban_buf_init(&ev->msgs[ev->n], 0);
        ev->texts[ev->n] = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        if (duban_serde_encode_buf(serde, type, NULL, j, &ev->msgs[ev->n], errbuf,
                                   sizeof(errbuf))) {
            fprintf(stderr, "bench-analytics: encode: %s\n", errbuf);
            rc = -1;
        } else {
            ev->n++;
        }
        json_decref(j);
    }
    free(line);
    fclose(f);
    return rc;
}

static const char *drop_sql =
    "DROP VIEW IF EXISTS department_figures; DROP VIEW IF EXISTS task_figures;"
    "DROP VIEW IF EXISTS task_current; DROP TABLE IF EXISTS documents;"
    "DROP TABLE IF EXISTS tasks; DROP TABLE IF EXISTS task_status; DROP TABLE IF EXISTS alerts;"
    "DROP TABLE IF EXISTS deliveries; DROP TABLE IF EXISTS dead_letters;"
    "DROP TABLE IF EXISTS task_departments; DROP TABLE IF EXISTS store_meta;"
    "DROP TABLE IF EXISTS workdays; DROP TABLE IF EXISTS bench_bare;";

static int fresh(const char *target)
{
    const store_backend_t *be = duban_store_backend_for(target);
    store_db_t *db;
    char errbuf[512];
    if (be->open(target, true, &db, errbuf, sizeof(errbuf)) ||
        be->exec(db, drop_sql, errbuf, sizeof(errbuf)))
        return fprintf(stderr, "bench-analytics: %s\n", errbuf), -1;
    be->close(db);
    return 0;
}

static double run_ingest(const char *target, duban_serde_t *serde, const bench_events_t *ev)
{
    duban_store_t *st;
    char errbuf[512];
    if (duban_store_open(target, true, &st, errbuf, sizeof(errbuf)))
        return fprintf(stderr, "bench-analytics: %s\n", errbuf), -1;
    duban_event_row_t row;
    duban_event_row_init(&row);
    double t0 = now_s();
    duban_err_t err = DUBAN_OK;
    for (size_t i = 0; !err && i < ev->n; i++) {
        if (i % BATCH == 0)
            err = duban_store_begin(st, errbuf, sizeof(errbuf));
        if (!err)
            err = duban_serde_decode_row(serde, ev->msgs[i].data, ev->msgs[i].len, &row, errbuf,
                                         sizeof(errbuf));
        if (!err)
            err = duban_store_put_row(st, &row, errbuf, sizeof(errbuf));
        if (!err && (i % BATCH == BATCH - 1 || i == ev->n - 1))
            err = duban_store_commit(st, errbuf, sizeof(errbuf));
    }
    double t = now_s() - t0;
    duban_event_row_free(&row);
    duban_store_close(st);
    return err ? fprintf(stderr, "bench-analytics: ingest: %s\n", errbuf), -1 : t;
}

static double run_bare(const char *target, const bench_events_t *ev)
{
    const store_backend_t *be = duban_store_backend_for(target);
    store_db_t *db;
    char errbuf[512], key[32];
    duban_err_t err = be->open(target, true, &db, errbuf, sizeof(errbuf));
    if (!err)
        err = be->exec(db, "CREATE TABLE bench_bare (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
                       errbuf, sizeof(errbuf));
    if (!err)
        err = be->prepare(db, 0, "INSERT INTO bench_bare VALUES (?, ?)", 2, errbuf,
                          sizeof(errbuf));
    if (err)
        return fprintf(stderr, "bench-analytics: bare: %s\n", errbuf), -1;
    double t0 = now_s();
    for (size_t i = 0; !err && i < ev->n; i++) {
        if (i % BATCH == 0)
            err = be->begin(db, errbuf, sizeof(errbuf));
        int kl = snprintf(key, sizeof(key), "k%zu", i);
        store_val_t v[2] = {{STORE_TEXT, key, (size_t)kl, 0},
                            {STORE_TEXT, ev->texts[i], strlen(ev->texts[i]), 0}};
        if (!err)
            err = be->run(db, 0, v, 2, errbuf, sizeof(errbuf));
        if (!err && (i % BATCH == BATCH - 1 || i == ev->n - 1))
            err = be->commit(db, errbuf, sizeof(errbuf));
    }
    double t = now_s() - t0;
    be->close(db);
    return err ? fprintf(stderr, "bench-analytics: bare: %s\n", errbuf), -1 : t;
}

int main(int argc, char **argv)
{
    const char *target = NULL, *events = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--db"))
            target = argv[i + 1];
        else if (!strcmp(argv[i], "--events"))
            events = argv[i + 1];
        else if (!strcmp(argv[i], "--batch") && atol(argv[i + 1]) > 0)
            BATCH = (size_t)atol(argv[i + 1]);
    }
    if (!target || !events)
        return fprintf(stderr, "Usage: duban-bench-analytics --db FILE|URL --events FILE"
                               " [--batch N]\n"), 2;
    duban_serde_t *serde;
    char errbuf[256];
    bench_events_t ev = {0};
    if (duban_serde_new(NULL, &serde, errbuf, sizeof(errbuf)))
        return fprintf(stderr, "bench-analytics: %s\n", errbuf), 1;
    int rc = load_events(events, serde, &ev) || ev.n == 0 || fresh(target) ? 1 : 0;
    double ti = rc ? -1 : run_ingest(target, serde, &ev);
    double tb = ti < 0 ? -1 : run_bare(target, &ev);
    if (ti > 0 && tb > 0) {
        printf("%s: analytics ingest %zu events in %.2f s = %.0f events/s; bare insert loop "
               "%.2f s = %.0f rows/s; ingest/bare = %.2f\n",
               duban_store_backend_for(target)->name, ev.n, ti, (double)ev.n / ti, tb,
               (double)ev.n / tb, tb / ti);
    } else {
        rc = 1;
    }
    for (size_t i = 0; i < ev.n; i++) {
        duban_buf_free(&ev.msgs[i]);
        free(ev.texts[i]);
    }
    free(ev.msgs);
    free(ev.texts);
    duban_serde_destroy(serde);
    return rc;
}
