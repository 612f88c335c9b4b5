/* consumers/audit/timeline.c: duban-audit timeline TASK_ID|DOC_ID, the whole
 * story of a task (or of every task of a document) in time order: the
 * document published, the task assigned (gazette file and line), re-issued
 * with corrections (by whom, why), its status changes (who, comment), every
 * alert, every delivery attempt of those alerts (endpoint, department, HTTP
 * status, outcome), and dead letters and redrives that concern it.
 *
 * Two reads: documents, tasks, task-status, alerts and the DLQ, keeping the
 * messages whose key is the task (or a task of the document); then
 * deliveries, keeping the attempts of the alerts found (keyed by alert_id).
 * Rows are ordered by each record's occurred_at (the alerter's clock for
 * alerts, the notifier's wall clock for delivery attempts), ties in the
 * order the topics are listed above, then by partition and offset. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alloc.h"
#include "audit.h"
#include "avsc_gen.h"
#include "conf_keys.h"
#include "date.h"
#include "log.h"
#include "serde.h"
#include "strlist.h"
#include "utf8.h"

/* The records' JSON keys as the schemas/ .avsc name them, of the kind there
 * (avsc.h): a renamed or retyped field stops this file compiling. The
 * DocumentPublished and DeadLetter members, and occurred_at read from any
 * record, are spelled here: those two have no generated table. */
#define TASK_KEY DUBAN_AVSC_TASK_ASSIGNED_KEY
#define STATUS_KEY DUBAN_AVSC_TASK_STATUS_CHANGED_KEY
#define ALERT_KEY DUBAN_AVSC_DEADLINE_ALERT_KEY
#define DELIVERY_KEY DUBAN_AVSC_DELIVERY_ATTEMPT_KEY

typedef struct {
    const char *prefix;
    int json;
    const char *id;
} timeline_opts_t;

typedef struct {
    int64_t at;
    int topic_rank;
    int32_t partition;
    int64_t offset;
    const char *topic;       /* duban's name (static) */
    json_t *ev;              /* NULL: undecodable */
    char *decode_error;      /* when undecodable */
    char *redrive;           /* "by X from duban.dlq.v1:P:O" on a redriven copy */
    char *key;
} row_t;

typedef struct {
    const char *id;          /* the task or document asked for */
    bool is_task;
    duban_serde_t *serde;
    row_t *rows;
    size_t n, cap;
    duban_strlist_t alert_ids, assigned;   /* alerts found; tasks seen assigned */
} timeline_t;

static const char *const pass1[] = {DUBAN_TOPIC_DOCUMENTS, DUBAN_TOPIC_TASKS,
                                    DUBAN_TOPIC_TASK_STATUS, DUBAN_TOPIC_ALERTS,
                                    DUBAN_TOPIC_DLQ};
static const char *const pass2[] = {DUBAN_TOPIC_DELIVERIES};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-audit timeline [options] TASK_ID|DOC_ID\n"
            "The story of a task, or of every task of a document, in time order: published,\n"
            "assigned (gazette file and line), corrected, status changes (who), alerts,\n"
            "delivery attempts (endpoint, HTTP status, outcome), dead letters, redrives.\n"
            "  --json             JSON Lines: {at, event, who, detail, task_id, topic,\n"
            "                     partition, offset, record}\n"
            "  --topic-prefix P   read P<topic> (a copy of the topics)\n"
            "Times are each record's occurred_at: alerts on the alerter's clock, delivery\n"
            "attempts on the notifier's.\n"
            "%s",
            duban_conf_common_usage());
}

/* The one positional argument: TASK_ID or DOC_ID. */
static int id_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t size)
{
    timeline_opts_t *o = opts;
    (void)argc;
    (void)errbuf;
    (void)size;
    if (argv[i][0] == '-' || o->id)
        return 0;
    o->id = argv[i];
    return 1;
}

/* ---- reading ---- */

static bool key_wanted(const timeline_t *t, const char *topic, const char *key)
{
    if (!strcmp(topic, DUBAN_TOPIC_DOCUMENTS)) {
        size_t n = strcspn(t->id, "#");   /* a task's document, or the document */
        return strlen(key) == n && !strncmp(key, t->id, n);
    }
    if (!strcmp(key, t->id))
        return true;
    size_t n = strlen(t->id);
    return !t->is_task && !strncmp(key, t->id, n) && key[n] == '#';
}

static int topic_rank(const char *topic)
{
    static const char *const order[] = {DUBAN_TOPIC_DOCUMENTS, DUBAN_TOPIC_TASKS,
                                        DUBAN_TOPIC_TASK_STATUS, DUBAN_TOPIC_ALERTS,
                                        DUBAN_TOPIC_DELIVERIES, DUBAN_TOPIC_DLQ};
    for (int i = 0; i < 6; i++)
        if (!strcmp(topic, order[i]))
            return i;
    return 6;
}

static void redrive_note(row_t *r, const rd_kafka_message_t *msg)
{
    char of[256], by[256], note[600];
    if (!audit_header(msg, AUDIT_HDR_REDRIVE_OF, of, sizeof(of)))
        return;
    if (!audit_header(msg, AUDIT_HDR_REDRIVE_BY, by, sizeof(by)))
        snprintf(by, sizeof(by), "?");
    snprintf(note, sizeof(note), "redriven by %s from %s", by, of);
    r->redrive = duban_xstrdup(note);
}

static row_t *add_row(timeline_t *t, const char *topic, const rd_kafka_message_t *msg)
{
    t->rows = duban_array_xgrow(t->rows, &t->cap, t->n + 1, sizeof(row_t), 64);
    row_t *r = &t->rows[t->n++];
    memset(r, 0, sizeof(*r));
    r->topic = topic;
    r->topic_rank = topic_rank(topic);
    r->partition = msg->partition;
    r->offset = msg->offset;
    r->at = rd_kafka_message_timestamp(msg, NULL);
    char key[1024];
    r->key = duban_xstrdup(audit_key(msg, key, sizeof(key)));
    return r;
}

static int on_message(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    timeline_t *t = opaque;
    char key[1024], errbuf[512];
    audit_key(msg, key, sizeof(key));
    bool delivery = !strcmp(topic, DUBAN_TOPIC_DELIVERIES);
    if (delivery ? !duban_strlist_contains(&t->alert_ids, key) : !key_wanted(t, topic, key))
        return 0;
    row_t *r = add_row(t, topic, msg);
    duban_event_type_t type;
    if (duban_serde_decode(t->serde, msg->payload, msg->len, &type, &r->ev, errbuf,
                           sizeof(errbuf))) {
        r->ev = NULL;
        r->decode_error = duban_xstrdup(errbuf);
        return 0;
    }
    int64_t at;
    if (!duban_instant_parse(json_string_value(json_object_get(r->ev, "occurred_at")), &at))
        r->at = at;
    redrive_note(r, msg);
    if (type == DUBAN_EV_DEADLINE_ALERT)
        duban_strlist_push_unique(
            &t->alert_ids, json_string_value(json_object_get(r->ev, ALERT_KEY(ALERT_ID, STRING))));
    return 0;
}

static int cmp_row(const void *x, const void *y)
{
    const row_t *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->topic_rank != b->topic_rank)
        return a->topic_rank - b->topic_rank;
    if (a->partition != b->partition)
        return a->partition - b->partition;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* ---- describing a row: event, who, detail ---- */

static const char *str(const json_t *ev, const char *key)
{
    const char *s = json_string_value(json_object_get(ev, key));
    return s ? s : "";
}

/* Appends fmt to buf (size) at *len; when full, cut on a UTF-8 character
 * boundary. */
static void addf(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void addf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (*len + (size_t)n < size) {
        *len += (size_t)n;
        return;
    }
    *len = duban_utf8_cut(buf, size - 1, size - 1);
    buf[*len] = '\0';
}

static void join(const json_t *list, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < json_array_size(list); i++)
        addf(buf, size, &len, "%s%s", i ? "、" : "",
             json_string_value(json_array_get(list, i)) ? json_string_value(
                 json_array_get(list, i)) : "");
}

typedef struct {
    char event[64], who[512], detail[2048];
} desc_t;

static void describe_document(const json_t *ev, desc_t *d)
{
    size_t len = 0;
    snprintf(d->event, sizeof(d->event), "published");
    join(json_object_get(ev, "issuers"), d->who, sizeof(d->who));
    const json_t *src = json_object_get(ev, "source");
    addf(d->detail, sizeof(d->detail), &len, "%s 《%s》, %" JSON_INTEGER_FORMAT
         " tasks; gazette %s line %" JSON_INTEGER_FORMAT, str(ev, "doc_number"),
         str(ev, "title"), json_integer_value(json_object_get(ev, "task_count")),
         str(src, "file"), json_integer_value(json_object_get(src, "line")));
}

static void describe_assigned(timeline_t *t, const json_t *ev, desc_t *d)
{
    size_t len = 0;
    const json_t *corr = json_object_get(ev, TASK_KEY(CORRECTION, RECORD));
    const char *task_id = str(ev, TASK_KEY(TASK_ID, STRING));
    bool again = duban_strlist_contains(&t->assigned, task_id);
    snprintf(d->event, sizeof(d->event), "%s", json_is_object(corr) ? "corrected"
                                               : again ? "re-ingested" : "assigned");
    duban_strlist_push_unique(&t->assigned, task_id);
    char lead[512], coop[512];
    join(json_object_get(ev, TASK_KEY(LEAD_DEPARTMENTS, STRINGS)), lead, sizeof(lead));
    join(json_object_get(ev, TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS)), coop, sizeof(coop));
    size_t wlen = 0;
    addf(d->who, sizeof(d->who), &wlen, "%s%s%s", lead, coop[0] ? " 配合: " : "", coop);
    if (json_is_object(corr))
        addf(d->detail, sizeof(d->detail), &len, "by %s (%s); ",
             str(corr, TASK_KEY(CORRECTION__AUTHOR, STRING)),
             str(corr, TASK_KEY(CORRECTION__REASON, STRING)));
    const json_t *src = json_object_get(ev, TASK_KEY(SOURCE, RECORD));
    const char *due = TASK_KEY(DUE_DATE, DATE);
    addf(d->detail, sizeof(d->detail), &len, "%s due %s (%s); gazette %s line %"
         JSON_INTEGER_FORMAT, str(ev, TASK_KEY(DEADLINE_KIND, ENUM)),
         json_is_string(json_object_get(ev, due)) ? str(ev, due) : "-",
         str(ev, TASK_KEY(DEADLINE_TEXT, STRING)), str(src, TASK_KEY(SOURCE__FILE, STRING)),
         json_integer_value(json_object_get(src, TASK_KEY(SOURCE__LINE, INT))));
    char review[256];
    join(json_object_get(ev, TASK_KEY(REVIEW, STRINGS)), review, sizeof(review));
    if (review[0])
        addf(d->detail, sizeof(d->detail), &len, "; review: %s", review);
}

static void describe_status(const json_t *ev, desc_t *d)
{
    size_t len = 0;
    const char *from = str(ev, STATUS_KEY(FROM_STATUS, ENUM));
    snprintf(d->event, sizeof(d->event), "%s%s%s", from, *from ? "→" : "status ",
             str(ev, STATUS_KEY(TO_STATUS, ENUM)));
    snprintf(d->who, sizeof(d->who), "%s", str(ev, STATUS_KEY(ACTOR, STRING)));
    const char *due = STATUS_KEY(NEW_DUE_DATE, DATE);
    if (json_is_string(json_object_get(ev, due)))
        addf(d->detail, sizeof(d->detail), &len, "new due date %s; ", str(ev, due));
    addf(d->detail, sizeof(d->detail), &len, "%s (%s)", str(ev, STATUS_KEY(COMMENT, STRING)),
         str(json_object_get(ev, STATUS_KEY(SOURCE, RECORD)), STATUS_KEY(SOURCE__FILE, STRING)));
}

static void describe_alert(const json_t *ev, desc_t *d)
{
    size_t len = 0;
    snprintf(d->event, sizeof(d->event), "alert %s %s", str(ev, ALERT_KEY(KIND, ENUM)),
             str(ev, ALERT_KEY(LEVEL, ENUM)));
    join(json_object_get(ev, ALERT_KEY(DEPARTMENTS, STRINGS)), d->who, sizeof(d->who));
    addf(d->detail, sizeof(d->detail), &len, "due %s, %" JSON_INTEGER_FORMAT
         " working days left%s; alert %s", str(ev, ALERT_KEY(DUE_DATE, DATE)),
         json_integer_value(json_object_get(ev, ALERT_KEY(DAYS_LEFT, INT))),
         json_is_true(json_object_get(ev, ALERT_KEY(LATE, BOOLEAN))) ? ", fired late" : "",
         str(ev, ALERT_KEY(ALERT_ID, STRING)));
}

static void describe_delivery(const json_t *ev, desc_t *d)
{
    size_t len = 0;
    snprintf(d->event, sizeof(d->event), "delivery %s", str(ev, DELIVERY_KEY(OUTCOME, ENUM)));
    snprintf(d->who, sizeof(d->who), "%s (%s)", str(ev, DELIVERY_KEY(ENDPOINT_ID, STRING)),
             str(ev, DELIVERY_KEY(DEPARTMENT, STRING)));
    addf(d->detail, sizeof(d->detail), &len, "attempt %" JSON_INTEGER_FORMAT ", HTTP %"
         JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT " ms",
         json_integer_value(json_object_get(ev, DELIVERY_KEY(ATTEMPT, INT))),
         json_integer_value(json_object_get(ev, DELIVERY_KEY(HTTP_STATUS, INT))),
         json_integer_value(json_object_get(ev, DELIVERY_KEY(LATENCY_MS, LONG))));
    const char *error = DELIVERY_KEY(ERROR, STRING);
    if (json_is_string(json_object_get(ev, error)))
        addf(d->detail, sizeof(d->detail), &len, ", %s", str(ev, error));
    addf(d->detail, sizeof(d->detail), &len, "; alert %s",
         str(ev, DELIVERY_KEY(ALERT_ID, STRING)));
}

static void describe_dead_letter(const json_t *ev, desc_t *d)
{
    size_t len = 0;
    snprintf(d->event, sizeof(d->event), "dead-lettered");
    snprintf(d->who, sizeof(d->who), "%s", str(json_object_get(ev, "source"), "file"));
    addf(d->detail, sizeof(d->detail), &len, "%s:%" JSON_INTEGER_FORMAT ":%"
         JSON_INTEGER_FORMAT ": %s", str(ev, "original_topic"),
         json_integer_value(json_object_get(ev, "partition")),
         json_integer_value(json_object_get(ev, "offset")), str(ev, "reason"));
}

static void describe(timeline_t *t, const row_t *r, desc_t *d)
{
    memset(d, 0, sizeof(*d));
    const char *type = r->ev ? str(r->ev, "type") : "";
    if (!r->ev) {
        snprintf(d->event, sizeof(d->event), "undecodable");
        snprintf(d->detail, sizeof(d->detail), "%s", r->decode_error);
    } else if (!strcmp(type, "DocumentPublished")) {
        describe_document(r->ev, d);
    } else if (!strcmp(type, "TaskAssigned")) {
        describe_assigned(t, r->ev, d);
    } else if (!strcmp(type, "TaskStatusChanged")) {
        describe_status(r->ev, d);
    } else if (!strcmp(type, "DeadlineAlert")) {
        describe_alert(r->ev, d);
    } else if (!strcmp(type, "DeliveryAttempt")) {
        describe_delivery(r->ev, d);
    } else {
        describe_dead_letter(r->ev, d);
    }
    if (r->redrive) {
        size_t len = strlen(d->detail);
        addf(d->detail, sizeof(d->detail), &len, " [%s]", r->redrive);
    }
}

/* ---- printing ---- */

/* Columns of a terminal: a CJK character takes two. */
static size_t display_width(const char *s)
{
    size_t w = 0, len = strlen(s);
    while (len) {
        uint32_t cp;
        size_t n = duban_utf8_decode(s, len, &cp);
        w += cp >= 0x1100 ? 2 : 1;
        s += n;
        len -= n;
    }
    return w;
}

static void print_padded(const char *s, size_t width)
{
    fputs(s, stdout);
    for (size_t w = display_width(s); w < width; w++)
        fputc(' ', stdout);
    fputs("  ", stdout);
}

/* The task a row is about: the key, but for deliveries (keyed by alert). */
static const char *task_of(const row_t *r)
{
    if (!strcmp(r->topic, DUBAN_TOPIC_DELIVERIES) || !strcmp(r->topic, DUBAN_TOPIC_DOCUMENTS))
        return "";
    return r->key;
}

static void print_row(timeline_t *t, const row_t *r, bool json)
{
    desc_t d;
    char at[32];
    describe(t, r, &d);
    duban_instant_format(r->at, at);
    if (!json) {
        print_padded(at, 25);
        print_padded(d.event, 26);
        if (!t->is_task) {
            const char *task = task_of(r), *hash = strchr(task, '#');
            print_padded(hash ? hash + 1 : "", 12);
        }
        print_padded(d.who, 24);
        printf("%s\n", d.detail);
        return;
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I}", "at", at, "event",
                          d.event, "who", d.who, "detail", d.detail, "task_id", task_of(r),
                          "topic", r->topic, "partition", (int)r->partition, "offset",
                          (json_int_t)r->offset);
    if (!o)
        return;
    json_object_set(o, "record", r->ev ? r->ev : json_null());
    char *line = json_dumps(o, JSON_COMPACT);
    if (line)
        printf("%s\n", line);
    free(line);
    json_decref(o);
}

static void print_all(timeline_t *t, bool json)
{
    if (!json) {
        print_padded("TIME", 25);
        print_padded("EVENT", 26);
        if (!t->is_task)
            print_padded("TASK", 12);
        print_padded("BY / TO", 24);
        printf("DETAIL\n");
    }
    for (size_t i = 0; i < t->n; i++)
        print_row(t, &t->rows[i], json);
}

int audit_timeline(audit_t *a, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--json", DUBAN_OPT_FLAG, offsetof(timeline_opts_t, json)},
        {"--topic-prefix", DUBAN_OPT_STRING, offsetof(timeline_opts_t, prefix)},
    };
    static const duban_program_t prog = {"duban-audit timeline", usage, table,
                                         sizeof(table) / sizeof(table[0]), id_arg,
                                         DUBAN_USES_AUDIT};
    timeline_opts_t o = {0};
    int start = audit_start(&prog, a, argc, argv, &o);
    if (start)
        return start > 0 ? AUDIT_EXIT_OK : AUDIT_EXIT_USAGE;
    if (!o.id || !*o.id) {
        fprintf(stderr, "duban-audit timeline: which TASK_ID or DOC_ID? (see --help)\n");
        return AUDIT_EXIT_USAGE;
    }
    a->prefix = o.prefix;
    char errbuf[512];
    timeline_t t = {.id = o.id, .is_task = strchr(o.id, '#') != NULL};
    int rc = AUDIT_EXIT_PROBLEM;
    if (duban_serde_new(a->conf, &t.serde, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
    } else if (audit_read(a, pass1, 5, on_message, &t) &&
               (!t.alert_ids.count || audit_read(a, pass2, 1, on_message, &t))) {
        if (t.n)
            qsort(t.rows, t.n, sizeof(row_t), cmp_row);
        print_all(&t, o.json);
        duban_info("TIMELINE", "%zu records, %zu alerts", t.n, t.alert_ids.count);
        rc = t.n ? AUDIT_EXIT_OK : AUDIT_EXIT_PROBLEM;
        if (!t.n)
            fprintf(stderr, "duban-audit timeline: nothing recorded for %s\n", t.id);
    }
    for (size_t i = 0; i < t.n; i++) {
        json_decref(t.rows[i].ev);
        free(t.rows[i].decode_error);
        free(t.rows[i].redrive);
        free(t.rows[i].key);
    }
    free(t.rows);
    duban_strlist_free(&t.alert_ids);
    duban_strlist_free(&t.assigned);
    duban_serde_destroy(t.serde);
    fflush(stdout);
    return rc;
}
