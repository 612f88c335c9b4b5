/* tests/unit/test_task_event.c: the direct Avro decoder of task events
 * against avro-c. Every event of the three gazettes (duban-ingest --dry-run,
 * when the binaries and gazettes are there) and of the fixtures is encoded,
 * then read both ways: duban_serde_decode (avro-c value -> JSON) + the JSON
 * reader, and duban_serde_decode_task (straight from the bytes); the
 * events must be equal, and so must the outcome (error code and wording) of
 * every truncation and of thousands of corrupted copies. Both readings go
 * through two alerters, which must emit the same alerts. Also: edge dates
 * and instants, and UTF-8 checked exactly as jansson checks it. (That the
 * decoder's tables follow the .avsc is unit.avsc_codegen's.) */
#include <stdlib.h>
#include <string.h>
#include "alerter.h"
#include "check.h"
#include "date.h"
#include "serde.h"
#include "serde_task_event.h"
#include "task_event.h"

/* ---- inputs ---- */

static void load_jsonl(json_t *all, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        json_t *ev = json_loads(line, 0, NULL);
        if (ev)
            json_array_append_new(all, ev);
    }
    free(line);
}

static json_t *load_events(int *from_gazettes)
{
    json_t *all = json_array();
    const char *fixtures[] = {"tests/fixtures/serde/events.jsonl",
                              "tests/fixtures/events/all_types.jsonl",
                              "tests/fixtures/alerter/status.jsonl"};
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        FILE *f = fopen(fixtures[i], "r");
        load_jsonl(all, f);
        if (f)
            fclose(f);
    }
    const char *bin = getenv("DUBAN_BIN_DIR"), *shared = getenv("DUBAN_SHARED_DIR");
    *from_gazettes = 0;
    if (bin && shared) {
        char cmd[4096];
        snprintf(cmd, sizeof(cmd), "'%s/duban-ingest' --dry-run '%s'/gazettes/0*.txt 2>/dev/null",
                 bin, shared);
        size_t before = json_array_size(all);
        FILE *p = popen(cmd, "r");
        load_jsonl(all, p);
        if (p)
            pclose(p);
        *from_gazettes = (int)(json_array_size(all) - before);
    }
    return all;
}

/* ---- comparing ---- */

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_list(const duban_str_list_t *a, const duban_str_list_t *b)
{
    if (a->count != b->count)
        return 0;
    const char *x = a->data, *y = b->data;
    for (size_t i = 0; i < a->count; i++, x += strlen(x) + 1, y += strlen(y) + 1)
        if (strcmp(x, y))
            return 0;
    return 1;
}

/* What the alerter reads of the two events is the same. */
static int same_event(const duban_task_event_t *a, const duban_task_event_t *b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == DUBAN_EV_DEADLINE_ALERT)
        return same_str(a->alert_id, b->alert_id);
    int same = a->occurred_at == b->occurred_at && same_str(a->task_id, b->task_id) &&
               a->date_unparsable == b->date_unparsable;
    if (a->type == DUBAN_EV_TASK_STATUS_CHANGED)
        return same && a->to_status == b->to_status && a->new_due_date == b->new_due_date &&
               (a->to_status >= 0 || same_str(a->to_status_name, b->to_status_name));
    return same && same_str(a->content_sha256, b->content_sha256) &&
           same_str(a->doc_id, b->doc_id) && same_str(a->doc_title, b->doc_title) &&
           same_str(a->outline_path, b->outline_path) && same_str(a->text, b->text) &&
           same_str(a->deadline_text, b->deadline_text) &&
           same_str(a->source_file, b->source_file) && a->source_line == b->source_line &&
           a->source_offset == b->source_offset && a->deadline_kind == b->deadline_kind &&
           a->due_date == b->due_date && a->recur_period == b->recur_period &&
           a->recur_month == b->recur_month && a->recur_day == b->recur_day &&
           same_list(&a->issuers, &b->issuers) &&
           same_list(&a->lead_departments, &b->lead_departments) &&
           same_list(&a->cooperating_departments, &b->cooperating_departments);
}

typedef struct {
    duban_err_t err;
    char why[512];
    duban_task_event_t ev;
} outcome_t;

/* The JSON path: avro-c decode, JSON, then the JSON reader. */
static void read_old(duban_serde_t *s, const void *msg, size_t len, outcome_t *o)
{
    duban_event_type_t type;
    json_t *j = NULL;
    o->why[0] = '\0';
    o->err = duban_serde_decode(s, msg, len, &type, &j, o->why, sizeof(o->why));
    if (o->err == DUBAN_OK)
        o->err = duban_task_event_from_json(&o->ev, j, true, o->why, sizeof(o->why));
}

static void read_new(duban_serde_t *s, const void *msg, size_t len, outcome_t *o)
{
    o->why[0] = '\0';
    o->err = duban_serde_decode_task(s, msg, len, &o->ev, o->why, sizeof(o->why));
}

static int mismatches;

static void compare(duban_serde_t *s, const void *msg, size_t len, outcome_t *o, outcome_t *n,
                    const char *what)
{
    read_old(s, msg, len, o);
    read_new(s, msg, len, n);
    int same = o->err == n->err && strcmp(o->why, n->why) == 0 &&
               (o->err != DUBAN_OK || same_event(&o->ev, &n->ev));
    if (!same && mismatches++ < 10)
        fprintf(stderr, "MISMATCH (%s, %zu bytes): avro-c %d \"%s\", direct %d \"%s\"\n", what,
                len, (int)o->err, o->why, (int)n->err, n->why);
    CHECK(same);
}

/* ---- tests ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Every event, every truncation, corrupted copies. */
static void test_against_avro_c(duban_serde_t *s, json_t *events, int *tasks)
{
    outcome_t *o = calloc(1, sizeof(*o)), *n = calloc(1, sizeof(*n));
    duban_task_event_init(&o->ev);
    duban_task_event_init(&n->ev);
    size_t i;
    json_t *ev;
    *tasks = 0;
    json_array_foreach(events, i, ev) {
        duban_event_type_t type;
        char err[512];
        void *msg = NULL;
        size_t len = 0;
        if (duban_event_type_from_name(json_string_value(json_object_get(ev, "type")), &type) ||
            duban_serde_encode(s, type, NULL, ev, &msg, &len, err, sizeof(err)))
            continue;
        compare(s, msg, len, o, n, "as encoded");
        if (n->err == DUBAN_OK && type != DUBAN_EV_DEADLINE_ALERT)
            (*tasks)++;
        if (type == DUBAN_EV_TASK_ASSIGNED || type == DUBAN_EV_TASK_STATUS_CHANGED ||
            type == DUBAN_EV_DEADLINE_ALERT) {
            CHECK_INT(n->err, DUBAN_OK);
            CHECK_INT(n->ev.type, type);
        }
        for (size_t cut = 0; cut < len; cut += i < 40 ? 1 : 7)
            compare(s, msg, cut, o, n, "truncated");
        unsigned char *bad = malloc(len + 1);
        for (int k = 0; k < (i < 40 ? 300 : 20); k++) {
            memcpy(bad, msg, len);
            int flips = 1 + (int)(next_rand() % 3);
            for (int f = 0; f < flips; f++) {
                size_t at = 5 + next_rand() % (len - 5);
                static const unsigned char pick[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xbf, 0xc0,
                                                     0xe0, 0xed, 0xf4, 0xff, 0x3f, 0x40};
                bad[at] = next_rand() & 1 ? pick[next_rand() % sizeof(pick)]
                                          : (unsigned char)next_rand();
            }
            compare(s, bad, len, o, n, "corrupted");
            bad[len] = 0;
            compare(s, bad, len + 1, o, n, "one byte more");
        }
        free(bad);
        free(msg);
    }
    duban_task_event_free(&o->ev);
    duban_task_event_free(&n->ev);
    free(o);
    free(n);
}

/* Dates and instants at and past the edges of years 1..9999. */
static void test_edges(duban_serde_t *s)
{
    outcome_t *o = calloc(1, sizeof(*o)), *n = calloc(1, sizeof(*n));
    duban_task_event_init(&o->ev);
    duban_task_event_init(&n->ev);
    /* duban_date_parse reads years 1900..2200 only */
    const int32_t lo = duban_date_from_ymd(1900, 1, 1), hi = duban_date_from_ymd(2200, 12, 31);
    const long long instants[] = {DUBAN_INSTANT_MIN - 1, DUBAN_INSTANT_MIN, 0,
                                  duban_instant_at(lo, 0, 0) - 1, duban_instant_at(lo, 0, 0),
                                  duban_instant_at(hi + 1, 0, 0) - 1,
                                  duban_instant_at(hi + 1, 0, 0),
                                  duban_instant_at(DUBAN_DATE_MAX, 0, 0) + DUBAN_DAY_MS - 1,
                                  duban_instant_at(DUBAN_DATE_MAX, 0, 0) + DUBAN_DAY_MS,
                                  DUBAN_INSTANT_MAX, DUBAN_INSTANT_MAX + 1};
    const long long dates[] = {DUBAN_DATE_MIN - 1, DUBAN_DATE_MIN, lo - 1, lo, 19000, hi,
                               hi + 1, DUBAN_DATE_MAX, DUBAN_DATE_MAX + 1, 2000000000};
    const size_t ndates = sizeof(dates) / sizeof(dates[0]);
    for (size_t i = 0; i < sizeof(instants) / sizeof(instants[0]); i++)
        for (size_t j = 0; j < ndates; j++) {
            json_t *ev = json_pack(
                "{s:s,s:s,s:I,s:i,s:{s:s,s:i,s:i},s:s,s:s,s:s,s:s,s:[s],s:[],s:[s],s:[],"
                "s:s,s:I,s:s,s:n,s:[{s:s,s:I}],s:s,s:s,s:[s]}",
                "type", "TaskAssigned", "event_id", "e", "occurred_at", instants[i],
                "schema_version", 1, "source", "file", "f.txt", "line", 1, "offset", 0,
                "task_id", "d#1", "doc_id", "d", "outline_path", "1", "text", "文本",
                "lead_units", "甲", "cooperating_units", "lead_departments", "区财政局",
                "cooperating_departments", "deadline_text", "年底前", "due_date", dates[j],
                "deadline_kind", "DATED", "recurrence", "milestones", "text", "年底前",
                "due_date", dates[(j + 1) % ndates], "content_sha256", "ab", "doc_title", "标题",
                "issuers", "区政府");
            void *msg = NULL;
            size_t len = 0;
            char err[512];
            if (duban_serde_encode(s, DUBAN_EV_TASK_ASSIGNED, NULL, ev, &msg, &len, err,
                                   sizeof(err)) == DUBAN_OK)
                compare(s, msg, len, o, n, "edge");
            free(msg);
            json_decref(ev);
            msg = NULL;
            len = 0;
            ev = json_pack("{s:s,s:s,s:I,s:i,s:{s:s,s:i,s:i},s:s,s:n,s:s,s:I,s:s,s:n}", "type",
                           "TaskStatusChanged", "event_id", "s", "occurred_at", instants[i],
                           "schema_version", 1, "source", "file", "", "line", 0, "offset", -1,
                           "task_id", "d#1", "from_status", "to_status", "EXTENDED",
                           "new_due_date", dates[j], "actor", "a", "comment");
            if (duban_serde_encode(s, DUBAN_EV_TASK_STATUS_CHANGED, NULL, ev, &msg, &len, err,
                                   sizeof(err)) == DUBAN_OK)
                compare(s, msg, len, o, n, "edge status");
            free(msg);
            json_decref(ev);
        }
    duban_task_event_free(&o->ev);
    duban_task_event_free(&n->ev);
    free(o);
    free(n);
}

/* A TaskStatusChanged body with `actor` as given, framed with id `id`. */
static size_t status_with_actor(int32_t id, const unsigned char *actor, size_t n,
                                unsigned char *out)
{
    static const unsigned char head[] = {0, 0, 2, 0, 0, 0, 2, 't', 0, 0, 0};
    size_t len = 0;
    out[len++] = 0;
    for (int i = 3; i >= 0; i--)
        out[len++] = (unsigned char)((uint32_t)id >> (8 * i));
    memcpy(out + len, head, sizeof(head));
    len += sizeof(head);
    out[len++] = (unsigned char)(2 * n);   /* n < 64 */
    memcpy(out + len, actor, n);
    len += n;
    out[len++] = 0;                        /* comment: null */
    return len;
}

static void test_utf8(duban_serde_t *s)
{
    /* the schema id the serde gives TaskStatusChanged */
    json_t *ev = json_pack("{s:s,s:s,s:s,s:i,s:{s:s,s:i,s:i},s:s,s:n,s:s,s:n,s:s,s:n}", "type",
                           "TaskStatusChanged", "event_id", "", "occurred_at",
                           "1970-01-01T08:00:00+08:00", "schema_version", 1, "source", "file",
                           "", "line", 0, "offset", 0, "task_id", "t", "from_status",
                           "to_status", "ASSIGNED", "new_due_date", "actor", "", "comment");
    void *msg = NULL;
    size_t len = 0;
    char err[512];
    CHECK(duban_serde_encode(s, DUBAN_EV_TASK_STATUS_CHANGED, NULL, ev, &msg, &len, err,
                             sizeof(err)) == DUBAN_OK);
    int32_t id = 0;
    duban_serde_peek_id(msg, len, &id);
    unsigned char mine[128];
    CHECK_INT(status_with_actor(id, (const unsigned char *)"", 0, mine), len);
    CHECK(memcmp(mine, msg, len) == 0);
    free(msg);
    json_decref(ev);
    static const unsigned char pick[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                         0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee,
                                         0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff};
    duban_task_event_t te;
    duban_task_event_init(&te);
    int valid = 0;
    for (int k = 0; k < 200000; k++) {
        unsigned char actor[40];
        size_t n = next_rand() % (k & 1 ? 6 : 40);
        for (size_t i = 0; i < n; i++)
            actor[i] = k % 3 == 0 && next_rand() % 4 ? 'a' : pick[next_rand() % sizeof(pick)];
        size_t mlen = status_with_actor(id, actor, n, mine);
        json_t *j = json_stringn((const char *)actor, n);
        duban_err_t e = duban_serde_decode_task(s, mine, mlen, &te, err, sizeof(err));
        CHECK_INT(e, j ? DUBAN_OK : DUBAN_E_ENCODING);
        valid += j != NULL;
        json_decref(j);
    }
    CHECK(valid > 1000 && valid < 199000);
    duban_task_event_free(&te);
}

/* The two readings through two alerters: same alerts, same errors. */
typedef struct {
    json_t *alerts;
} sink_t;

static duban_err_t collect(const json_t *alert, const char *task_id, void *opaque)
{
    (void)task_id;
    sink_t *sk = opaque;
    char *text = json_dumps(alert, JSON_SORT_KEYS | JSON_COMPACT);
    json_array_append_new(sk->alerts, json_string(text));
    free(text);
    return DUBAN_OK;
}

static void test_alerters(duban_serde_t *s, json_t *events, const char *now_text)
{
    char err[512], err2[512];
    duban_calendar_t *cal;
    CHECK(duban_calendar_new(&cal, err, sizeof(err)) == DUBAN_OK);
    duban_alerter_conf_t ac = {.cal = cal, .late_after_ms = 60000};
    duban_ladder_conf_default(&ac.ladder);
    duban_alerter_t *a = NULL, *b = NULL;
    CHECK(duban_alerter_new(&ac, &a, err, sizeof(err)) == DUBAN_OK);
    CHECK(duban_alerter_new(&ac, &b, err, sizeof(err)) == DUBAN_OK);
    int64_t now;
    duban_instant_parse(now_text, &now);
    sink_t sa = {json_array()}, sb = {json_array()};
    duban_task_event_t te;
    duban_task_event_init(&te);
    size_t i, applied = 0;
    json_t *ev;
    json_array_foreach(events, i, ev) {
        duban_event_type_t type;
        void *msg = NULL;
        size_t len = 0;
        if (duban_event_type_from_name(json_string_value(json_object_get(ev, "type")), &type) ||
            (type != DUBAN_EV_TASK_ASSIGNED && type != DUBAN_EV_TASK_STATUS_CHANGED) ||
            duban_serde_encode(s, type, NULL, ev, &msg, &len, err, sizeof(err)))
            continue;
        json_t *j = NULL;
        duban_err_t ea = duban_serde_decode(s, msg, len, &type, &j, err, sizeof(err));
        if (ea == DUBAN_OK)
            ea = duban_alerter_apply(a, j, now, collect, &sa, err, sizeof(err));
        json_decref(j);
        duban_err_t eb = duban_serde_decode_task(s, msg, len, &te, err2, sizeof(err2));
        if (eb == DUBAN_OK)
            eb = duban_alerter_apply_event(b, &te, now, collect, &sb, err2, sizeof(err2));
        CHECK_INT(eb, ea);
        if (ea)
            CHECK_STR(err2, err);
        applied += ea == DUBAN_OK;
        free(msg);
    }
    duban_alerter_advance(a, now + 400 * DUBAN_DAY_MS, collect, &sa);
    duban_alerter_advance(b, now + 400 * DUBAN_DAY_MS, collect, &sb);
    CHECK(applied > 0);
    CHECK(json_array_size(sa.alerts) > 0);
    CHECK(json_equal(sa.alerts, sb.alerts));
    duban_alerter_stats_t st_a, st_b;
    duban_alerter_stats(a, &st_a);
    duban_alerter_stats(b, &st_b);
    CHECK_INT(st_b.tasks, st_a.tasks);
    CHECK_INT(st_b.deferred_errors, st_a.deferred_errors);
    json_decref(sa.alerts);
    json_decref(sb.alerts);
    duban_task_event_free(&te);
    duban_alerter_destroy(a);
    duban_alerter_destroy(b);
    duban_calendar_destroy(cal);
}

int main(void)
{
    char err[512];
    duban_serde_t *s = NULL;
    CHECK(duban_serde_new(NULL, &s, err, sizeof(err)) == DUBAN_OK);
    int from_gazettes = 0, tasks = 0;
    json_t *events = load_events(&from_gazettes);
    printf("%zu events, %d from the gazettes\n", json_array_size(events), from_gazettes);
    test_against_avro_c(s, events, &tasks);
    CHECK(tasks > 10);
    test_edges(s);
    test_utf8(s);
    test_alerters(s, events, "2030-01-01T00:00:00+08:00");   /* all applied at once */
    test_alerters(s, events, "2022-12-01T00:00:00+08:00");   /* later ones deferred */
    json_decref(events);
    duban_serde_destroy(s);
    return CHECK_DONE();
}
