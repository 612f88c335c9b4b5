/* tests/unit/test_store_row.c: what duban-analytics stores of an event,
 * decoded straight from its Avro bytes (duban_serde_decode_row ->
 * store_row_from_event, the service's path) against the general path it
 * replaced (duban_serde_decode -> jansson object -> store_row_from_json,
 * whose event text is json_dumps with sorted keys). Events: the fixtures
 * (all six types) and the three gazettes' (duban-ingest --dry-run), the
 * alerts duban-alerter --simulate fires for them, and per alert a status
 * change and a delivery, as bench/analytics.sh makes them. For every event
 * each column's value (kind, bytes, number), the event's JSON text, the
 * task_departments rows and occurred_at must be equal; also with the
 * direct codecs off (decode, encode again, read), for strings jansson
 * escapes, and for every truncation and flipped byte of some messages
 * (equal, or both paths fail with the same words). Last, two stores filled
 * by duban_store_put and duban_store_put_row hold the same rows, and a
 * SQLite file store syncs its WAL at every commit (synchronous=FULL: the
 * rule duban-analytics relies on to commit Kafka offsets after a batch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "check_json.h"
#include "serde.h"
#include "store.h"
#include "store_row.h"

static int same_val(const store_val_t *a, const store_val_t *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == STORE_INT)
        return a->num == b->num;
    return a->kind == STORE_NULL ||
           (a->len == b->len && a->text && b->text && memcmp(a->text, b->text, a->len) == 0);
}

static void show_val(const char *what, const store_val_t *v)
{
    if (v->kind == STORE_TEXT)
        fprintf(stderr, "    %s text %.*s\n", what, (int)v->len, v->text ? v->text : "(null)");
    else
        fprintf(stderr, "    %s %s %lld\n", what, v->kind == STORE_INT ? "int" : "null",
                (long long)v->num);
}

/* Whether two rows give the store the same parameters. */
static int same_row(const store_row_t *a, const store_row_t *b, const store_table_t *t)
{
    int same = a->n == b->n && a->ndepts == b->ndepts &&
               strcmp(a->occurred_at, b->occurred_at) == 0;
    for (int k = 0; same && k <= a->n; k++)
        if (!same_val(&a->vals[k], &b->vals[k])) {
            fprintf(stderr, "  %s.%s differs:\n", t->table, k < a->n ? t->cols[k].name : "event");
            show_val("general", &a->vals[k]);
            show_val("direct ", &b->vals[k]);
            same = 0;
        }
    for (size_t i = 0; same && i < a->ndepts * 2; i++)
        same = same_val(&a->depts[i], &b->depts[i]);
    return same;
}

typedef struct {
    duban_serde_t *s;
    store_row_t a, b;
    duban_event_row_t ev;
    int seen[DUBAN_EV__COUNT];
} ctx_t;

/* One framed message both ways. Returns 1 when it decodes (and the rows
 * were compared), 0 when both paths fail with the same words. */
static int compare_msg(ctx_t *c, const void *msg, size_t len, int verbose)
{
    char gerr[512] = "", derr[512] = "";
    duban_event_type_t type;
    json_t *ev = NULL;
    duban_err_t g = duban_serde_decode(c->s, msg, len, &type, &ev, gerr, sizeof(gerr));
    duban_err_t d = duban_serde_decode_row(c->s, msg, len, &c->ev, derr, sizeof(derr));
    if (g) {
        CHECK(d != DUBAN_OK);
        CHECK_STR(derr, gerr);
        return 0;
    }
    CHECK_INT(d, DUBAN_OK);
    CHECK_INT(c->ev.type, type);
    if (d) {
        json_decref(ev);
        return 1;
    }
    const store_table_t *t = store_table_of(type);
    bool depts = type == DUBAN_EV_TASK_ASSIGNED;
    CHECK_INT(store_row_from_json(&c->a, t, depts, ev, gerr, sizeof(gerr)), DUBAN_OK);
    CHECK_INT(store_row_from_event(&c->b, t, depts, &c->ev, derr, sizeof(derr)), DUBAN_OK);
    int same = same_row(&c->a, &c->b, t);
    CHECK(same);
    if (!same && verbose)
        fprintf(stderr, "  event %.*s\n", (int)c->ev.text.len, c->ev.text.data);
    json_decref(ev);
    c->seen[type]++;
    return 1;
}

static void each_corruption(ctx_t *c, const unsigned char *msg, size_t len)
{
    int decoded = 0, failed = 0;
    for (size_t cut = 0; cut < len; cut++)
        compare_msg(c, msg, cut, 0) ? decoded++ : failed++;
    unsigned char *copy = malloc(len);
    for (size_t at = 5; copy && at < len; at++) {
        memcpy(copy, msg, len);
        copy[at] ^= 0x80;
        compare_msg(c, copy, len, 0) ? decoded++ : failed++;
        copy[at] ^= 0xc1;
        compare_msg(c, copy, len, 0) ? decoded++ : failed++;
    }
    free(copy);
    CHECK(failed > 0);
}

/* The framed message of a JSON event (msg NEW); false when it has no
 * type or does not encode (a failed CHECK then). */
static bool encode(ctx_t *c, const json_t *ev, void **msg, size_t *len)
{
    duban_event_type_t type;
    char errbuf[512];
    if (duban_event_type_from_name(json_string_value(json_object_get(ev, "type")), &type))
        return false;
    if (duban_serde_encode(c->s, type, NULL, ev, msg, len, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "  encode: %s\n", errbuf);
        CHECK(0);
        return false;
    }
    return true;
}

static void test_events(ctx_t *c, json_t *events, int corrupt_every)
{
    void *msg;
    size_t len;
    for (size_t i = 0; i < json_array_size(events); i++) {
        if (!encode(c, json_array_get(events, i), &msg, &len))
            continue;
        CHECK_INT(compare_msg(c, msg, len, 1), 1);
        if (corrupt_every && i % (size_t)corrupt_every == 0)
            each_corruption(c, msg, len);
        free(msg);
    }
}

/* The gazettes' documents and tasks, their alerts up to 2022-07-01, and per
 * alert a status change and a delivery (bench/analytics.sh's mix). */
static json_t *gazette_events(void)
{
    const char *bin = getenv("DUBAN_BIN_DIR"), *shared = getenv("DUBAN_SHARED_DIR");
    json_t *all = json_array();
    if (!bin || !shared)
        return all;
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "f=$(mktemp) && '%s/duban-ingest' --dry-run '%s'/gazettes/0*.txt >\"$f\" 2>/dev/null"
             " && cat \"$f\" && '%s/duban-alerter' --simulate --until 2022-07-01T09:00:00+08:00"
             " <\"$f\" 2>/dev/null; rm -f \"$f\"", bin, shared, bin);
    size_t n = check_load_cmd(all, cmd);
    size_t i;
    json_t *ev;
    json_array_foreach(all, i, ev) {
        if (i >= n || strcmp(json_string_value(json_object_get(ev, "type")), "DeadlineAlert"))
            continue;
        const char *alert = json_string_value(json_object_get(ev, "alert_id"));
        const char *at = json_string_value(json_object_get(ev, "fire_at"));
        json_t *dept = json_array_get(json_object_get(ev, "departments"), 0);
        const char *who = dept ? json_string_value(dept) : "x";
        char id[512];
        snprintf(id, sizeof(id), "s%s", alert);
        json_array_append_new(all, json_pack(
            "{s:s, s:s, s:s, s:i, s:{s:s, s:i, s:i}, s:O, s:n, s:s, s:n, s:s, s:n}",
            "type", "TaskStatusChanged", "event_id", id, "occurred_at", at, "schema_version", 1,
            "source", "file", "bench", "line", 0, "offset", -1, "task_id",
            json_object_get(ev, "task_id"), "from_status", "to_status", "IN_PROGRESS",
            "new_due_date", "actor", who, "comment"));
        id[0] = 'd';
        json_array_append_new(all, json_pack(
            "{s:s, s:s, s:s, s:i, s:{s:s, s:i, s:i}, s:s, s:s, s:s, s:i, s:i, s:n, s:i, s:s,"
            " s:i}", "type", "DeliveryAttempt", "event_id", id, "occurred_at", at,
            "schema_version", 1, "source", "file", "bench", "line", 0, "offset", -1, "alert_id",
            alert, "endpoint_id", "office", "department", who, "attempt", 1, "http_status", 200,
            "error", "latency_ms", 12, "outcome", "DELIVERED", "digest_size", 0));
    }
    return all;
}

/* Strings jansson escapes, in a task's strings, lists and departments. */
static void test_escapes(ctx_t *c)
{
    static const char *texts[] = {
        "quote \" backslash \\ slash /", "tab\tnewline\nreturn\rbell\a\x1f\x7f",
        "line separator \xe2\x80\xa8 and \xf0\x9f\x98\x80 and 督办", "",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const char *x = texts[i];
        json_t *ev = json_pack(
            "{s:s, s:s, s:s, s:i, s:{s:s, s:i, s:I}, s:s, s:s, s:s, s:s, s:[s], s:[], s:[s,s],"
            " s:[s], s:s, s:s, s:s, s:n, s:[{s:s, s:s}], s:s, s:s, s:[s], s:[], s:{s:s, s:s}}",
            "type", "TaskAssigned", "event_id", x, "occurred_at", "2021-12-29T10:00:00+08:00",
            "schema_version", 1, "source", "file", x, "line", 3, "offset", (json_int_t)-1,
            "task_id", "t", "doc_id", x, "outline_path", x, "text", x, "lead_units", x,
            "cooperating_units", "lead_departments", x, "区财政局", "cooperating_departments", x,
            "deadline_text", x, "due_date", "2022-06-30", "deadline_kind", "DATED", "recurrence",
            "milestones", "text", x, "due_date", "2022-03-31", "content_sha256", x, "doc_title",
            x, "issuers", x, "review", "correction", "author", x, "reason", x);
        CHECK(ev != NULL);
        json_t *one = json_array();
        json_array_append_new(one, ev);
        test_events(c, one, 0);
        json_decref(one);
    }
}

/* ---- two stores, one filled each way ---- */

static int dump_row(void *opaque, int n, const char *const *names, const char *const *vals)
{
    duban_buf_t *b = opaque;
    for (int i = 0; vals && i < n; i++)
        duban_buf_appendf(b, "%s\x1f", vals[i] ? vals[i] : "\\N");
    duban_buf_append(b, "\n", 1);
    (void)names;
    return 0;
}

static void dump_store(duban_store_t *st, duban_buf_t *b)
{
    static const char *const sql[] = {
        "SELECT * FROM documents ORDER BY 1", "SELECT * FROM tasks ORDER BY 1",
        "SELECT * FROM task_status ORDER BY 1", "SELECT * FROM alerts ORDER BY 1",
        "SELECT * FROM deliveries ORDER BY 1", "SELECT * FROM dead_letters ORDER BY 1",
        "SELECT * FROM task_departments ORDER BY 1, 2, 3",
        "SELECT * FROM store_meta WHERE key = 'latest_event_at'"};
    char errbuf[256];
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        CHECK_INT(duban_store_query(st, sql[i], dump_row, b, errbuf, sizeof(errbuf)), DUBAN_OK);
}

static void test_stores(ctx_t *c, json_t *events)
{
    duban_store_t *a = NULL, *b = NULL;
    char errbuf[512];
    CHECK_INT(duban_store_open(":memory:", true, &a, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK_INT(duban_store_open(":memory:", true, &b, errbuf, sizeof(errbuf)), DUBAN_OK);
    if (!a || !b)
        return;
    CHECK_INT(duban_store_begin(a, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK_INT(duban_store_begin(b, errbuf, sizeof(errbuf)), DUBAN_OK);
    size_t put = 0;
    for (size_t i = 0; i < json_array_size(events); i++) {
        duban_event_type_t type;
        void *msg;
        size_t len;
        json_t *j = NULL;
        if (!encode(c, json_array_get(events, i), &msg, &len))
            continue;
        CHECK_INT(duban_serde_decode(c->s, msg, len, &type, &j, errbuf, sizeof(errbuf)), DUBAN_OK);
        CHECK_INT(duban_store_put(a, type, j, errbuf, sizeof(errbuf)), DUBAN_OK);
        CHECK_INT(duban_serde_decode_row(c->s, msg, len, &c->ev, errbuf, sizeof(errbuf)), DUBAN_OK);
        CHECK_INT(duban_store_put_row(b, &c->ev, errbuf, sizeof(errbuf)), DUBAN_OK);
        json_decref(j);
        free(msg);
        put++;
    }
    CHECK_INT(duban_store_commit(a, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK_INT(duban_store_commit(b, errbuf, sizeof(errbuf)), DUBAN_OK);
    duban_buf_t da, db;
    duban_buf_init(&da, 0);
    duban_buf_init(&db, 0);
    dump_store(a, &da);
    dump_store(b, &db);
    printf("stores: %zu events put each way, %zu bytes of rows\n", put, da.len);
    CHECK(da.len > 0 && da.len == db.len && memcmp(da.data, db.data, da.len) == 0);
    duban_buf_free(&da);
    duban_buf_free(&db);
    duban_store_close(a);
    duban_store_close(b);
}

/* ---- a file store's durability settings ---- */

static int first_value(void *opaque, int n, const char *const *names, const char *const *vals)
{
    (void)names;
    if (vals && n >= 1 && vals[0])
        snprintf(opaque, 32, "%s", vals[0]);
    return 0;
}

static void test_durability(void)
{
    char dir[] = "/tmp/test_store_row.XXXXXX", path[64], errbuf[512], mode[32] = "", sync[32] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/s.db", dir);
    duban_store_t *st = NULL;
    CHECK_INT(duban_store_open(path, true, &st, errbuf, sizeof(errbuf)), DUBAN_OK);
    if (st) {
        CHECK_INT(duban_store_query(st, "PRAGMA journal_mode", first_value, mode, errbuf,
                                    sizeof(errbuf)), DUBAN_OK);
        CHECK_INT(duban_store_query(st, "PRAGMA synchronous", first_value, sync, errbuf,
                                    sizeof(errbuf)), DUBAN_OK);
        printf("file store: journal_mode=%s synchronous=%s\n", mode, sync);
        CHECK(strcmp(mode, "wal") == 0);
        CHECK(strcmp(sync, "2") == 0); /* FULL */
        duban_store_close(st);
    }
    static const char *const files[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char f[80];
        snprintf(f, sizeof(f), "%s%s", path, files[i]);
        unlink(f);
    }
    rmdir(dir);
}

int main(void)
{
    char errbuf[512];
    ctx_t c = {0};
    if (duban_serde_new(NULL, &c.s, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "serde: %s\n", errbuf);
        return 1;
    }
    store_row_init(&c.a);
    store_row_init(&c.b);
    duban_event_row_init(&c.ev);
    json_t *fixtures = check_load_jsonl("tests/fixtures/serde/events.jsonl");
    json_t *more = check_load_jsonl("tests/fixtures/events/all_types.jsonl");
    json_array_extend(fixtures, more);
    json_decref(more);
    json_t *gazettes = gazette_events();
    printf("%zu fixture events, %zu from the gazettes\n", json_array_size(fixtures),
           json_array_size(gazettes));
    CHECK(json_array_size(gazettes) > 1000);
    test_events(&c, fixtures, 4);
    test_events(&c, gazettes, 500);
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        printf("  %s: %d compared\n", duban_event_type_name((duban_event_type_t)t), c.seen[t]);
        CHECK(c.seen[t] > 0);
    }
    test_escapes(&c);
    duban_serde_set_direct(c.s, false); /* decode_row's general path */
    test_events(&c, fixtures, 0);
    duban_serde_set_direct(c.s, true);
    json_array_extend(gazettes, fixtures);
    test_stores(&c, gazettes);
    test_durability();
    json_decref(fixtures);
    json_decref(gazettes);
    duban_event_row_free(&c.ev);
    store_row_free(&c.a);
    store_row_free(&c.b);
    duban_serde_destroy(c.s);
    return CHECK_DONE();
}

