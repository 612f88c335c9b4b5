/* consumers/audit/verify.c: duban-audit verify, "was every department
 * warned, on time, and was the warning delivered?", answered from the log.
 *
 * 1. Re-compute. Every TaskAssigned and TaskStatusChanged is given to the
 *    alerter's own engine (common/alert/alerter.h, with the alerter's
 *    settings: alerter.* keys, --config, --set) on a clock that starts
 *    before all of them, so each event waits for its recorded occurred_at
 *    and the engine is then advanced to --until: the alerts it fires, with
 *    fire_at in [--since, --until], are the alerts that should exist. A
 *    redriven copy of a status change (duban.redrive.of header) is skipped:
 *    its original is in the log already.
 * 2. Compare with duban.alerts.v1 (alert_id is deterministic):
 *      MISSING      expected, never recorded
 *      UNEXPECTED   recorded, not fired by the rules
 *      DIFFERS      recorded with another fire_at, level, days_left or
 *                   departments than re-computed
 *      DUPLICATED   recorded more than once (redriven copies excepted)
 *      LATE         sent more than --late-after after fire_at, or recorded
 *                   late=true; "sent" is the alert message's timestamp put
 *                   on the alerter's clock (--now, --speed, --clock-origin
 *                   as the alerter was given them; the wall clock without)
 * 3. Compare with duban.deliveries.v1, per (alert, endpoint) of every
 *    alert in the window; the endpoints are those the routing file routes
 *    the alert's departments to (--routes, the notifier's) and those that
 *    attempts name:
 *      UNDELIVERED    no DELIVERED attempt (the last outcome is named), or
 *                     no attempt at all
 *      DELIVERY-LATE  the first DELIVERED attempt came more than
 *                     --delivery-late-after after the alert was sent (both
 *                     wall clocks: the notifier's occurred_at and the alert
 *                     message's timestamp)
 * One line per problem, ordered by fire_at; a summary line last. Exit 1
 * when there is any problem. */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alerter.h"
#include "arena.h"
#include "hash.h"
#include "alloc.h"
#include "audit.h"
#include "avsc_gen.h"
#include "conf_keys.h"
#include "calendar.h"
#include "date.h"
#include "log.h"
#include "serde.h"
#include "serde_task_event.h"
#include "sim_clock.h"
#include "utf8.h"
#include "webhook_route.h"

/* The records' JSON keys as the schemas/ .avsc name them, of the kind there
 * (avsc.h): a renamed or retyped field stops this file compiling. */
#define ALERT_KEY DUBAN_AVSC_DEADLINE_ALERT_KEY
#define DELIVERY_KEY DUBAN_AVSC_DELIVERY_ATTEMPT_KEY

#define MAX_ROUTED 64

typedef struct {
    const char *prefix, *routes;
    int json;
    int64_t since, until;          /* INT64_MIN / INT64_MAX: not given */
    duban_sim_clock_t clock;       /* the alerter's */
    int64_t late_after_ms;         /* -1: alerter.late.after.ms */
    int64_t delivery_late_ms;      /* -1: audit.delivery.late.after.ms */
    long max_alerts;               /* audit.verify.max.alerts */
    duban_calendar_t *cal;         /* the alerter's (--calendar adds to it) */
} verify_opts_t;

/* What an alert says (re-computed or recorded). Strings are arena offsets. */
typedef struct {
    int64_t fire_at;
    int32_t days_left;
    uint32_t kind, level, departments;
} facts_t;

/* An alert id as numbers: its first 16 hex digits (ids are SHA-256
 * digests), the table's hash; and when it is exactly 32 of them (hex32),
 * the other 16, so that two such ids are equal when the numbers are. An id
 * of another form hashes with FNV-1a and is compared as a string. */
typedef struct {
    uint64_t hi, lo;
    bool hex32;
} id_key_t;

typedef struct {
    id_key_t key;
    uint32_t alert_id, task_id;
    bool expected, recorded, late_flag;
    uint8_t copies;                /* recorded, redriven copies excepted (capped) */
    facts_t exp, rec;
    uint32_t first_pair;           /* UINT32_MAX: none */
    int32_t part[2];               /* the first two copies */
    int64_t off[2];
    int64_t sent_wall;             /* first copy's message timestamp */
} alert_t;

typedef struct {
    uint32_t alert, endpoint, next;   /* next pair of the same alert */
    uint32_t last_outcome, last_error;
    int attempts;
    long last_http;
    int64_t delivered_at;          /* first DELIVERED, INT64_MIN: none */
} pair_t;

typedef enum {
    P_MISSING, P_UNEXPECTED, P_DIFFERS, P_DUPLICATED, P_LATE, P_UNDELIVERED,
    P_DELIVERY_LATE
} problem_kind_t;

static const char *const problem_names[] = {"MISSING", "UNEXPECTED", "DIFFERS", "DUPLICATED",
                                            "LATE", "UNDELIVERED", "DELIVERY-LATE"};

typedef struct {
    int64_t at;                    /* the alert's fire_at: the report's order */
    int64_t by_ms;                 /* LATE, DELIVERY-LATE */
    uint32_t alert, pair;          /* pair UINT32_MAX: none */
    uint8_t kind;
} problem_t;

/* The top-level fields verify reads of a DeadlineAlert and a
 * DeliveryAttempt: their indexes in the row (duban_event_row_t). */
typedef struct {
    int alert_id, task_id, departments, kind, level, days_left, fire_at, late;
} alert_fields_t;

typedef struct {
    int endpoint_id, occurred_at, outcome, error, http_status;
} delivery_fields_t;

typedef struct {
    verify_opts_t *o;
    duban_serde_t *serde;
    duban_task_event_t ev;
    duban_event_row_t row;         /* an alert or a delivery attempt, read */
    alert_fields_t af;
    delivery_fields_t df;
    duban_buf_t text, text2;       /* fields' strings, NUL-terminated; departments joined */
    uint32_t kinds[DUBAN_AVSC_ALERT_KIND__COUNT];     /* the names, interned once */
    uint32_t levels[DUBAN_AVSC_ALERT_LEVEL__COUNT];
    /* the enums' symbols in the compiled-in schemas' order, interned once */
    uint32_t kind_symbols[DUBAN_AVSC_ALERT_KIND__COUNT];
    uint32_t level_symbols[DUBAN_AVSC_ALERT_LEVEL__COUNT];
    uint32_t outcomes[DUBAN_AVSC_DELIVERY_OUTCOME__COUNT];
    uint32_t empty;                                   /* "" */
    duban_alerter_t *engine;
    duban_arena_t strings;         /* ids, departments, kinds, endpoints (interned) */
    alert_t *alerts;
    size_t n, cap;
    duban_u32_table_t by_id;       /* alert index, by alert_id */
    pair_t *pairs;
    size_t np, pcap;
    problem_t *problems;
    size_t nproblems, prob_cap;
    size_t events, invalid, skipped_redriven, undecodable, out_of_window;
    struct later_s *later;         /* attempts of alerts not in the table yet */
    size_t nlater, later_cap;
    bool keep_unknown;             /* keep them (the engine's alerts are not merged yet) */
    bool too_many;                 /* the window holds more than max_alerts */
} verify_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-audit verify [options]\n"
            "Re-computes, with the alerter's engine and settings, which alerts should have\n"
            "fired and when, and compares with duban.alerts.v1 and duban.deliveries.v1.\n"
            "Prints one line per problem (MISSING, UNEXPECTED, DIFFERS, DUPLICATED, LATE,\n"
            "UNDELIVERED, DELIVERY-LATE) and a summary; exit 1 when there is one.\n"
            "  --since TIME --until TIME   alerts with fire_at in [since, until] (default:\n"
            "                     all until the alerter's clock now minus --late-after)\n"
            "  --late-after MS    an alert sent later than fire_at + MS is late\n"
            "                     (default alerter.late.after.ms, 60000)\n"
            "  --delivery-late-after MS    a first delivery later than the alert + MS is\n"
            "                     late (default audit.delivery.late.after.ms, 300000)\n"
            "  (audit.verify.max.alerts, 5000000: more alerts in the window is an error,\n"
            "   not an exhausted memory)\n"
            "  --routes FILE      the notifier's routing file: each alert's departments'\n"
            "                     endpoints must each have a DELIVERED attempt\n"
            "  --json             problems as JSON Lines\n"
            "  --topic-prefix P   read P<topic> (a copy of the topics)\n"
            "The alerter's clock, when it ran on a simulated one (as given to it):\n"
            "%s"
            "The alerter's settings: alerter.* keys (--set, --config), --calendar FILE.\n"
            "%s",
            duban_sim_clock_usage(), duban_conf_common_usage());
}

/* ---- options ---- */

static int verify_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t size)
{
    verify_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
        return 0;
    if (!strcmp(a, "--since") || !strcmp(a, "--until")) {
        if (duban_instant_parse(v, a[2] == 's' ? &o->since : &o->until))
            return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                                "%s wants an ISO-8601 time, not %s", a, v), -1;
    } else if (!strcmp(a, "--late-after") || !strcmp(a, "--delivery-late-after")) {
        if (audit_parse_count(v, a[2] == 'l' ? &o->late_after_ms : &o->delivery_late_ms))
            return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                                "%s wants milliseconds, not %s", a, v), -1;
    } else if (!strcmp(a, "--routes")) {
        o->routes = v;
    } else if (!strcmp(a, "--topic-prefix")) {
        o->prefix = v;
    } else if (!strcmp(a, "--calendar")) {
        if (duban_calendar_load_file(o->cal, v, errbuf, size))
            return -1;
    } else {
        return duban_sim_clock_arg(&o->clock, argc, argv, i, errbuf, size);
    }
    return 2;
}

/* ---- the alert table ---- */

static const char *at(const verify_t *v, uint32_t off)
{
    return duban_arena_str(&v->strings, off);
}

static uint32_t intern(verify_t *v, const char *s)
{
    return duban_arena_intern(&v->strings, s ? s : "", s ? strlen(s) : 0);
}

static id_key_t id_key(const char *id)
{
    id_key_t k = {0, 0, true};
    for (int i = 0; i < 32; i++) {
        char c = id[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return (id_key_t){duban_fnv1a64(id, strlen(id)), 0, false};
        if (i < 16)
            k.hi = k.hi << 4 | (uint64_t)d;
        else
            k.lo = k.lo << 4 | (uint64_t)d;
    }
    if (id[32])
        return (id_key_t){duban_fnv1a64(id, strlen(id)), 0, false};
    return k;
}

static uint64_t id_hash(const void *ctx, uint32_t i)
{
    return ((const verify_t *)ctx)->alerts[i].key.hi;
}

/* The slot of alert_id (key: its id_key) in by_id: its index + 1, or 0
 * at the empty slot where it would go (*slot). */
static uint32_t id_find(const verify_t *v, const char *alert_id, id_key_t key, size_t *slot)
{
    size_t mask = v->by_id.cap - 1;
    size_t i = key.hi & mask;
    for (; v->by_id.slots[i]; i = (i + 1) & mask) {
        const alert_t *al = &v->alerts[v->by_id.slots[i] - 1];
        if (al->key.hi == key.hi && al->key.hex32 == key.hex32 &&
            (key.hex32 ? al->key.lo == key.lo : !strcmp(at(v, al->alert_id), alert_id)))
            break;
    }
    *slot = i;
    return v->by_id.slots[i];
}

static alert_t *alert_find(const verify_t *v, const char *alert_id)
{
    size_t slot;
    uint32_t i = v->by_id.cap ? id_find(v, alert_id, id_key(alert_id), &slot) : 0;
    return i ? &v->alerts[i - 1] : NULL;
}

/* The alert's row (key: its id_key), made on first use; NULL past
 * audit.verify.max.alerts. */
static alert_t *alert_get_key(verify_t *v, const char *alert_id, id_key_t key,
                              const char *task_id)
{
    size_t slot = 0;
    uint32_t found = v->by_id.cap ? id_find(v, alert_id, key, &slot) : 0;
    if (found)
        return &v->alerts[found - 1];
    if (v->n >= (size_t)v->o->max_alerts || v->n >= UINT32_MAX - 1) {
        v->too_many = true;
        return NULL;
    }
    v->alerts = duban_array_xgrow(v->alerts, &v->cap, v->n + 1, sizeof(alert_t), 1024);
    alert_t *al = &v->alerts[v->n];
    memset(al, 0, sizeof(*al));
    al->key = key;
    al->alert_id = duban_arena_add(&v->strings, alert_id, strlen(alert_id));
    al->task_id = intern(v, task_id);
    al->first_pair = UINT32_MAX;
    v->n++;
    if (!v->by_id.cap || duban_u32_table_full(&v->by_id)) {
        duban_u32_table_grow(&v->by_id, id_hash, v);
        id_find(v, alert_id, key, &slot);
    }
    v->by_id.slots[slot] = (uint32_t)v->n;
    v->by_id.count++;
    return al;
}

static alert_t *alert_get(verify_t *v, const char *alert_id, const char *task_id)
{
    return alert_get_key(v, alert_id, id_key(alert_id), task_id);
}

/* ---- reading alerts and delivery attempts (straight from the Avro bytes) ---- */

/* Departments joined with 、 (interned; a list past 4 KiB is cut on a
 * character boundary): join_add for each into an empty buffer, then
 * join_end. Each name stops at a NUL, as a C string of it would. */
#define JOIN_MAX 4096

static void join_add(duban_buf_t *b, const char *s, size_t n, bool first)
{
    if (b->len >= JOIN_MAX)
        return;
    if (!first)
        duban_buf_append(b, "、", strlen("、"));
    duban_buf_append(b, s, strnlen(s, n));
}

/* The joined names in b, interned in ar; b is emptied. */
static uint32_t join_end(duban_buf_t *b, duban_arena_t *ar)
{
    size_t len = b->err ? 0 : b->len;
    const char *s = len ? (const char *)b->data : "";
    if (len >= JOIN_MAX)   /* what fits in JOIN_MAX with its NUL, cut whole */
        len = duban_utf8_cut(s, JOIN_MAX - 1, JOIN_MAX - 1);
    uint32_t off = duban_arena_intern(ar, len ? s : "", len);
    duban_buf_reset(b);
    return off;
}

/* Field i of the row as a C string in b (cut at a NUL; "" for a null),
 * valid until b is used again. */
static const char *field_str_in(verify_t *v, int i, duban_buf_t *b)
{
    const duban_avro_field_t *f = &v->row.fields[i];
    duban_buf_reset(b);
    if (f->kind == DUBAN_AVRO_F_STRING || f->kind == DUBAN_AVRO_F_ENUM)
        duban_buf_append(b, f->text, strnlen(f->text, f->len));
    const char *s = duban_buf_cstr(b);
    return s ? s : "";
}

static const char *field_str(verify_t *v, int i)
{
    return field_str_in(v, i, &v->text);
}

/* Field i of the row, interned: an enum's symbol from names[] when the
 * symbol index is one of the n the table holds; a null as "". */
static uint32_t field_interned(verify_t *v, int i, const uint32_t *names, size_t n)
{
    const duban_avro_field_t *f = &v->row.fields[i];
    if (f->kind == DUBAN_AVRO_F_ENUM && names && f->num >= 0 && (uint64_t)f->num < n)
        return names[f->num];
    if (f->kind == DUBAN_AVRO_F_NULL)
        return v->empty;
    return intern(v, field_str(v, i));
}

static int64_t field_num(const verify_t *v, int i)
{
    return v->row.fields[i].num;
}

/* Decodes msg as a `want` event into v->row; false when it is undecodable
 * or of another type. */
static bool read_row(verify_t *v, const rd_kafka_message_t *msg, duban_event_type_t want)
{
    return duban_serde_decode_fields(v->serde, msg->payload, msg->len, &v->row, NULL, 0) ==
               DUBAN_OK &&
           v->row.type == want;
}

/* The facts of the DeadlineAlert in v->row. */
static void read_facts(verify_t *v, facts_t *f)
{
    const alert_fields_t *x = &v->af;
    duban_avro_strings_t it;
    const char *d;
    size_t n;
    f->fire_at = field_num(v, x->fire_at);
    f->days_left = (int32_t)field_num(v, x->days_left);
    f->kind = field_interned(v, x->kind, v->kind_symbols, DUBAN_AVSC_ALERT_KIND__COUNT);
    f->level = field_interned(v, x->level, v->level_symbols, DUBAN_AVSC_ALERT_LEVEL__COUNT);
    duban_buf_reset(&v->text);
    duban_avro_strings_begin(&it, &v->row.fields[x->departments]);
    for (bool first = true; duban_avro_strings_next(&it, &d, &n); first = false)
        join_add(&v->text, d, n, first);
    f->departments = join_end(&v->text, &v->strings);
}

/* Looks up the indexes of the fields verify reads (setup). */
static bool find_fields(verify_t *v)
{
    const duban_avro_plan_t *ap = duban_serde_plan(v->serde, DUBAN_EV_DEADLINE_ALERT);
    const duban_avro_plan_t *dp = duban_serde_plan(v->serde, DUBAN_EV_DELIVERY_ATTEMPT);
#define AT(plan, name) duban_avro_plan_field_index(plan, name)
    v->af = (alert_fields_t){
        AT(ap, ALERT_KEY(ALERT_ID, STRING)), AT(ap, ALERT_KEY(TASK_ID, STRING)),
        AT(ap, ALERT_KEY(DEPARTMENTS, STRINGS)), AT(ap, ALERT_KEY(KIND, ENUM)),
        AT(ap, ALERT_KEY(LEVEL, ENUM)), AT(ap, ALERT_KEY(DAYS_LEFT, INT)),
        AT(ap, ALERT_KEY(FIRE_AT, TIMESTAMP)), AT(ap, ALERT_KEY(LATE, BOOLEAN))};
    v->df = (delivery_fields_t){
        AT(dp, DELIVERY_KEY(ENDPOINT_ID, STRING)), AT(dp, DELIVERY_KEY(OCCURRED_AT, TIMESTAMP)),
        AT(dp, DELIVERY_KEY(OUTCOME, ENUM)), AT(dp, DELIVERY_KEY(ERROR, STRING)),
        AT(dp, DELIVERY_KEY(HTTP_STATUS, INT))};
#undef AT
    const int *all[] = {&v->af.alert_id, &v->af.task_id, &v->af.departments, &v->af.kind,
                        &v->af.level, &v->af.days_left, &v->af.fire_at, &v->af.late,
                        &v->df.endpoint_id, &v->df.occurred_at, &v->df.outcome,
                        &v->df.error, &v->df.http_status};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        if (*all[i] < 0)
            return false;
    return true;
}

static bool in_window(const verify_t *v, int64_t fire_at)
{
    return fire_at >= v->o->since && fire_at <= v->o->until;
}

/* ---- 1. re-compute ---- */

/* The alerts re-computed in the window, as the engine's thread keeps them
 * while the main thread reads duban.alerts.v1 (the two touch nothing in
 * common): strings in its own arena, merged into the table afterwards. */
typedef struct {
    id_key_t key;
    uint32_t alert_id, task_id, departments;   /* in expected_t.strings */
    int64_t fire_at;
    int32_t days_left;
    uint8_t kind, level;
} exp_alert_t;

typedef struct {
    const verify_t *v;             /* read only while the thread runs */
    duban_arena_t strings;
    duban_buf_t join;
    exp_alert_t *alerts;
    size_t n, cap;
    bool too_many;
    duban_err_t err;               /* the engine's */
} expected_t;

static duban_err_t on_expected(const duban_alert_facts_t *f, void *opaque)
{
    expected_t *x = opaque;
    const duban_alert_entry_t *e = f->entry;
    if (!in_window(x->v, e->fire_at))
        return DUBAN_OK;
    if (x->n >= (size_t)x->v->o->max_alerts || x->n >= UINT32_MAX - 1) {
        x->too_many = true;
        return DUBAN_E_TOO_LARGE;   /* stops the engine */
    }
    x->alerts = duban_array_xgrow(x->alerts, &x->cap, x->n + 1, sizeof(exp_alert_t), 1024);
    exp_alert_t *a = &x->alerts[x->n++];
    a->key = id_key(f->alert_id);
    a->alert_id = duban_arena_add(&x->strings, f->alert_id, strlen(f->alert_id));
    a->task_id = duban_arena_intern(&x->strings, f->task_id, strlen(f->task_id));
    a->fire_at = e->fire_at;
    a->days_left = e->days_left;
    a->kind = (uint8_t)e->kind;
    a->level = (uint8_t)e->level;
    const char *d = f->departments.data;
    for (size_t i = 0; i < f->departments.count; d += strlen(d) + 1, i++)
        join_add(&x->join, d, strlen(d), i == 0);
    a->departments = join_end(&x->join, &x->strings);
    return DUBAN_OK;
}

/* The engine's thread: every alert up to --until. */
static void *recompute(void *opaque)
{
    expected_t *x = opaque;
    x->err = duban_alerter_advance(x->v->engine, x->v->o->until, NULL, NULL);
    return NULL;
}

/* The alerts re-computed, into the table (rows the alerts topic made are
 * given the engine's task id, as if the engine had made them first). False
 * past audit.verify.max.alerts. */
static bool merge_expected(verify_t *v, expected_t *x)
{
    for (size_t i = 0; i < x->n; i++) {
        const exp_alert_t *e = &x->alerts[i];
        const char *task_id = duban_arena_str(&x->strings, e->task_id);
        size_t rows = v->n;
        alert_t *al = alert_get_key(v, duban_arena_str(&x->strings, e->alert_id), e->key,
                                    task_id);
        if (!al)
            return false;
        if (v->n == rows)
            al->task_id = intern(v, task_id);
        al->expected = true;
        al->exp.fire_at = e->fire_at;
        al->exp.days_left = e->days_left;
        al->exp.kind = e->kind < DUBAN_AVSC_ALERT_KIND__COUNT
                           ? v->kinds[e->kind]
                           : intern(v, duban_alert_kind_name((duban_alert_kind_t)e->kind));
        al->exp.level = e->level < DUBAN_AVSC_ALERT_LEVEL__COUNT
                            ? v->levels[e->level]
                            : intern(v, duban_alert_level_name((duban_alert_level_t)e->level));
        al->exp.departments = intern(v, duban_arena_str(&x->strings, e->departments));
    }
    return true;
}

static int on_task_event(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    verify_t *v = opaque;
    char errbuf[512], of[64];
    (void)topic;
    if (audit_header(msg, AUDIT_HDR_REDRIVE_OF, of, sizeof(of))) {
        v->skipped_redriven++;
        return 0;
    }
    v->events++;
    duban_err_t err = duban_serde_decode_task(v->serde, msg->payload, msg->len, &v->ev, errbuf,
                                              sizeof(errbuf));
    /* Every event waits for the clock: the engine applies it at its own
     * occurred_at, after what came due before. */
    if (!err)
        err = duban_alerter_apply_event(v->engine, &v->ev, INT64_MIN, NULL, NULL, errbuf,
                                        sizeof(errbuf));
    if (err) {
        v->invalid++;
        duban_debug("VERIFY", "%s [%d] offset %" PRId64 " not applied: %s",
                    rd_kafka_topic_name(msg->rkt), (int)msg->partition, msg->offset, errbuf);
    }
    return 0;
}

/* ---- 2. what was recorded ---- */

static int on_alert(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    verify_t *v = opaque;
    char of[64];
    facts_t f;
    (void)topic;
    if (!read_row(v, msg, DUBAN_EV_DEADLINE_ALERT)) {
        v->undecodable++;
        return 0;
    }
    if (!in_window(v, field_num(v, v->af.fire_at))) {
        v->out_of_window++;
        return 0;
    }
    alert_t *al = alert_get(v, field_str(v, v->af.alert_id),
                            field_str_in(v, v->af.task_id, &v->text2));
    if (!al)
        return 1;   /* stops the read */
    if (!audit_header(msg, AUDIT_HDR_REDRIVE_OF, of, sizeof(of))) {
        if (al->copies < 2) {
            al->part[al->copies] = msg->partition;
            al->off[al->copies] = msg->offset;
        }
        if (al->copies == 0) {
            read_facts(v, &f);
            al->recorded = true;
            al->rec = f;
            al->sent_wall = rd_kafka_message_timestamp(msg, NULL);
            al->late_flag = field_num(v, v->af.late) != 0;
        }
        if (al->copies < UINT8_MAX)
            al->copies++;
    }
    return 0;
}

/* ---- 3. deliveries ---- */

/* The pair of the alert and the endpoint (ep: interned), made on first use. */
static pair_t *pair_get_at(verify_t *v, uint32_t alert, uint32_t ep)
{
    for (uint32_t k = v->alerts[alert].first_pair; k != UINT32_MAX; k = v->pairs[k].next)
        if (v->pairs[k].endpoint == ep)
            return &v->pairs[k];
    v->pairs = duban_array_xgrow(v->pairs, &v->pcap, v->np + 1, sizeof(pair_t), 1024);
    pair_t *p = &v->pairs[v->np];
    *p = (pair_t){.alert = alert, .endpoint = ep, .next = v->alerts[alert].first_pair,
                  .delivered_at = INT64_MIN};
    v->alerts[alert].first_pair = (uint32_t)v->np++;
    return p;
}

static pair_t *pair_get(verify_t *v, uint32_t alert, const char *endpoint)
{
    return pair_get_at(v, alert, intern(v, endpoint));
}

/* A delivery attempt read before the alerts re-computed were merged into
 * the table, of an alert not in it then (one the engine may give, or one
 * outside the window): applied, or dropped, after the merge, in the order
 * read. */
typedef struct later_s {
    uint32_t alert_id;             /* v->strings: the message's key */
    uint32_t endpoint, outcome, error;
    long http;
    int64_t at;
    bool undecodable;
} later_t;

/* One attempt on the (alert, endpoint) pair. */
static void apply_attempt(verify_t *v, alert_t *al, uint32_t endpoint, int64_t t,
                          uint32_t outcome, uint32_t error, long http)
{
    pair_t *p = pair_get_at(v, (uint32_t)(al - v->alerts), endpoint);
    p->attempts++;
    p->last_outcome = outcome;
    p->last_error = error;
    p->last_http = http;
    if (!strcmp(at(v, p->last_outcome), "DELIVERED") &&
        (p->delivered_at == INT64_MIN || t < p->delivered_at))
        p->delivered_at = t;
}

static int on_delivery(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    verify_t *v = opaque;
    char key[512];
    (void)topic;
    alert_t *al = alert_find(v, audit_key(msg, key, sizeof(key)));
    if (!al && !v->keep_unknown)
        return 0;   /* an alert outside the window */
    bool decoded = read_row(v, msg, DUBAN_EV_DELIVERY_ATTEMPT);
    if (al && !decoded) {
        v->undecodable++;
        return 0;
    }
    const delivery_fields_t *x = &v->df;
    later_t l = {.undecodable = !decoded};
    if (decoded) {
        l.endpoint = intern(v, field_str(v, x->endpoint_id));
        l.at = field_num(v, x->occurred_at);
        l.outcome = field_interned(v, x->outcome, v->outcomes,
                                   DUBAN_AVSC_DELIVERY_OUTCOME__COUNT);
        l.error = field_interned(v, x->error, NULL, 0);
        l.http = (long)field_num(v, x->http_status);
    }
    if (al) {
        apply_attempt(v, al, l.endpoint, l.at, l.outcome, l.error, l.http);
        return 0;
    }
    l.alert_id = duban_arena_add(&v->strings, key, strlen(key));
    v->later = duban_array_xgrow(v->later, &v->later_cap, v->nlater + 1, sizeof(later_t), 1024);
    v->later[v->nlater++] = l;
    return 0;
}

/* The attempts kept by on_delivery, now that the table is whole. */
static void apply_later(verify_t *v)
{
    for (size_t i = 0; i < v->nlater; i++) {
        const later_t *l = &v->later[i];
        alert_t *al = alert_find(v, at(v, l->alert_id));
        if (!al)
            continue;   /* an alert outside the window */
        if (l->undecodable)
            v->undecodable++;
        else
            apply_attempt(v, al, l->endpoint, l->at, l->outcome, l->error, l->http);
    }
    v->nlater = 0;
}

/* The routing file (--routes); NULL (said on stderr) when it does not load. */
static duban_webhook_routes_t *load_routes(const verify_t *v)
{
    char errbuf[512];
    duban_webhook_routes_t *routes;
    if (duban_webhook_routes_load_file(v->o->routes, &routes, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-audit verify: %s\n", errbuf);
        return NULL;
    }
    return routes;
}

/* The pairs the routing file says must exist for alerts [from, to) (the
 * notifier's lookup over the alert's departments, or none when it names
 * none). */
static void add_routed_pairs(verify_t *v, duban_webhook_routes_t *routes, size_t from,
                             size_t to)
{
    for (size_t i = from; i < to; i++) {
        const alert_t *al = &v->alerts[i];
        char depts[4096];
        snprintf(depts, sizeof(depts), "%s",
                 at(v, al->recorded ? al->rec.departments : al->exp.departments));
        size_t idx[MAX_ROUTED], cnt = 0;
        bool unknown;
        char *d = depts, *sep;
        do {
            sep = strstr(d, "、");
            if (sep)
                *sep = '\0';
            duban_webhook_routes_lookup(routes, *depts ? d : NULL, idx, &cnt, MAX_ROUTED,
                                        &unknown);
            d = sep ? sep + strlen("、") : NULL;
        } while (d);
        for (size_t k = 0; k < cnt; k++)
            pair_get(v, (uint32_t)i, duban_webhook_routes_endpoint(routes, idx[k])->id);
    }
}

/* ---- 4. the report ---- */

static char *duration(int64_t ms, char buf[48])
{
    int64_t s = (ms < 0 ? -ms : ms) / 1000;
    if (s >= 86400)
        snprintf(buf, 48, "%s%" PRId64 "d %" PRId64 "h %" PRId64 "m", ms < 0 ? "-" : "",
                 s / 86400, s % 86400 / 3600, s % 3600 / 60);
    else if (s >= 3600)
        snprintf(buf, 48, "%s%" PRId64 "h %" PRId64 "m %" PRId64 "s", ms < 0 ? "-" : "",
                 s / 3600, s % 3600 / 60, s % 60);
    else
        snprintf(buf, 48, "%s%" PRId64 "m %" PRId64 "s", ms < 0 ? "-" : "", s / 60, s % 60);
    return buf;
}

static void problem(verify_t *v, problem_kind_t kind, size_t alert, size_t pair, int64_t by_ms)
{
    const alert_t *al = &v->alerts[alert];
    v->problems = duban_array_xgrow(v->problems, &v->prob_cap, v->nproblems + 1,
                                    sizeof(problem_t), 256);
    v->problems[v->nproblems++] = (problem_t){
        .at = al->expected ? al->exp.fire_at : al->rec.fire_at, .by_ms = by_ms,
        .alert = (uint32_t)alert, .pair = (uint32_t)pair, .kind = (uint8_t)kind};
}

static bool differs(const facts_t *a, const facts_t *b)
{
    return a->fire_at != b->fire_at || a->level != b->level || a->days_left != b->days_left ||
           a->departments != b->departments;   /* interned: equal strings, equal offsets */
}

static void compare_alert(verify_t *v, size_t i)
{
    const alert_t *al = &v->alerts[i];
    if (al->expected && !al->recorded) {
        problem(v, P_MISSING, i, UINT32_MAX, -1);
        return;
    }
    if (!al->expected)
        problem(v, P_UNEXPECTED, i, UINT32_MAX, -1);
    else if (differs(&al->exp, &al->rec))
        problem(v, P_DIFFERS, i, UINT32_MAX, -1);
    if (al->copies > 1)
        problem(v, P_DUPLICATED, i, UINT32_MAX, -1);
    int64_t lateness = duban_sim_clock_at(&v->o->clock, al->sent_wall) - al->rec.fire_at;
    if (lateness > v->o->late_after_ms || al->late_flag)
        problem(v, P_LATE, i, UINT32_MAX, lateness);
    if (al->first_pair == UINT32_MAX)
        problem(v, P_UNDELIVERED, i, UINT32_MAX, -1);
}

static void compare_pair(verify_t *v, size_t k)
{
    const pair_t *p = &v->pairs[k];
    if (!v->alerts[p->alert].recorded)
        return;   /* MISSING says it */
    if (p->delivered_at == INT64_MIN) {
        problem(v, P_UNDELIVERED, p->alert, k, -1);
        return;
    }
    int64_t after = p->delivered_at - v->alerts[p->alert].sent_wall;
    if (after > v->o->delivery_late_ms)
        problem(v, P_DELIVERY_LATE, p->alert, k, after);
}

/* The detail of a problem, worded for people. */
static void describe(const verify_t *v, const problem_t *pr, char *out, size_t size)
{
    const alert_t *al = &v->alerts[pr->alert];
    const pair_t *p = pr->pair != UINT32_MAX ? &v->pairs[pr->pair] : NULL;
    char t1[32], t2[32], d1[48], d2[48];
    switch ((problem_kind_t)pr->kind) {
    case P_MISSING:
        snprintf(out, size, "should have fired at %s to %s",
                 duban_instant_format(al->exp.fire_at, t1), at(v, al->exp.departments));
        break;
    case P_UNEXPECTED:
        snprintf(out, size, "recorded at %s:%d:%" PRId64 " but the rules do not fire it",
                 DUBAN_TOPIC_ALERTS, (int)al->part[0], al->off[0]);
        break;
    case P_DIFFERS:
        snprintf(out, size, "recorded fire_at %s level %s days_left %d to %s; re-computed "
                 "%s %s %d to %s", duban_instant_format(al->rec.fire_at, t1),
                 at(v, al->rec.level), (int)al->rec.days_left, at(v, al->rec.departments),
                 duban_instant_format(al->exp.fire_at, t2), at(v, al->exp.level),
                 (int)al->exp.days_left, at(v, al->exp.departments));
        break;
    case P_DUPLICATED:
        snprintf(out, size, "%d copies, at offsets %d:%" PRId64 ", %d:%" PRId64 "%s",
                 (int)al->copies, (int)al->part[0], al->off[0], (int)al->part[1], al->off[1],
                 al->copies > 2 ? ", ..." : "");
        break;
    case P_LATE:
        snprintf(out, size, "sent %s, %s after fire_at %s (limit %s)%s",
                 duban_instant_format(al->rec.fire_at + pr->by_ms, t1), duration(pr->by_ms, d1),
                 duban_instant_format(al->rec.fire_at, t2), duration(v->o->late_after_ms, d2),
                 al->late_flag ? "; the alerter marked it late" : "");
        break;
    case P_UNDELIVERED:
        if (!p)
            snprintf(out, size, "no delivery attempt");
        else if (!p->attempts)
            snprintf(out, size, "routed to this endpoint, no delivery attempt");
        else
            snprintf(out, size, "last outcome %s after %d attempts (HTTP %ld%s%s)",
                     at(v, p->last_outcome), p->attempts, p->last_http,
                     *at(v, p->last_error) ? ": " : "", at(v, p->last_error));
        break;
    case P_DELIVERY_LATE:
        snprintf(out, size, "delivered %s after the alert was sent (limit %s)",
                 duration(pr->by_ms, d1), duration(v->o->delivery_late_ms, d2));
        break;
    }
}

static const verify_t *sorting;   /* qsort has no context argument */

static int cmp_problem(const void *x, const void *y)
{
    const problem_t *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    int c = strcmp(at(sorting, sorting->alerts[a->alert].alert_id),
                   at(sorting, sorting->alerts[b->alert].alert_id));
    return c ? c : a->kind - b->kind;
}

static void print_problem(const verify_t *v, const problem_t *pr)
{
    const alert_t *al = &v->alerts[pr->alert];
    const facts_t *f = al->expected ? &al->exp : &al->rec;
    const char *ep = pr->pair != UINT32_MAX ? at(v, v->pairs[pr->pair].endpoint) : NULL;
    char detail[1536], fire[32];
    describe(v, pr, detail, sizeof(detail));
    duban_instant_format(f->fire_at, fire);
    if (!v->o->json) {
        printf("%-13s %s %s %s %s%s%s: %s\n", problem_names[pr->kind], fire, at(v, f->kind),
               at(v, al->alert_id), at(v, al->task_id), ep ? " endpoint " : "", ep ? ep : "",
               detail);
        return;
    }
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s*, s:s}", "problem",
                            problem_names[pr->kind], "alert_id", at(v, al->alert_id),
                            "task_id", at(v, al->task_id), "kind", at(v, f->kind),
                            "fire_at", fire, "endpoint", ep, "detail", detail);
    if (row && (pr->kind == P_LATE || pr->kind == P_DELIVERY_LATE))
        json_object_set_new(row, "by_ms", json_integer(pr->by_ms));
    char *line = row ? json_dumps(row, JSON_COMPACT) : NULL;
    if (line)
        printf("%s\n", line);
    free(line);
    json_decref(row);
}

static void print_report(verify_t *v)
{
    sorting = v;
    if (v->nproblems)   /* qsort wants a valid pointer even for none */
        qsort(v->problems, v->nproblems, sizeof(problem_t), cmp_problem);
    for (size_t i = 0; i < v->nproblems; i++)
        print_problem(v, &v->problems[i]);
}

static void summarize(verify_t *v)
{
    size_t expected = 0, recorded = 0, delivered = 0;
    char since[32], until[32], line[1024];
    for (size_t i = 0; i < v->n; i++) {
        expected += v->alerts[i].expected;
        recorded += v->alerts[i].recorded;
    }
    for (size_t i = 0; i < v->np; i++)
        delivered += v->pairs[i].delivered_at != INT64_MIN;
    snprintf(line, sizeof(line), "fire_at in [%s, %s]: %zu alerts expected, %zu recorded, "
             "%zu of %zu (alert, endpoint) pairs delivered; %zu task events re-computed "
             "(%zu not applicable, %zu redriven copies skipped); %zu problems",
             v->o->since == INT64_MIN ? "-" : duban_instant_format(v->o->since, since),
             duban_instant_format(v->o->until, until), expected, recorded, delivered, v->np,
             v->events, v->invalid, v->skipped_redriven, v->nproblems);
    if (v->o->json)
        printf("{\"summary\":\"%s\",\"problems\":%zu}\n", line, v->nproblems);
    else
        printf("%s %s\n", v->nproblems ? "FAILED" : "OK", line);
    duban_info("VERIFY", "%s", line);
}

/* ---- running ---- */

static bool setup(verify_t *v, audit_t *a)
{
    char errbuf[512];
    duban_alerter_conf_t ac = {0};
    long ms;
    verify_opts_t *o = v->o;
    if (duban_alerter_conf_from(a->conf, o->cal, &ac, errbuf, sizeof(errbuf)) ||
        duban_conf_int(a->conf, "audit.delivery.late.after.ms", &ms, errbuf,
                            sizeof(errbuf)) ||
        duban_conf_int(a->conf, "audit.verify.max.alerts", &o->max_alerts,
                            errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-audit verify: %s\n", errbuf);
        return false;
    }
    if (o->late_after_ms < 0)
        o->late_after_ms = ac.late_after_ms;
    if (o->delivery_late_ms < 0)
        o->delivery_late_ms = ms;
    if (o->until == INT64_MAX)
        o->until = duban_sim_clock_now(&o->clock) - o->late_after_ms;
    if (duban_serde_new(a->conf, &v->serde, errbuf, sizeof(errbuf)) ||
        duban_alerter_new(&ac, &v->engine, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return false;
    }
    if (!find_fields(v)) {
        duban_error("SETUP", "the compiled-in DeadlineAlert or DeliveryAttempt schema lacks "
                             "a field verify reads");
        return false;
    }
    for (int i = 0; i < DUBAN_AVSC_ALERT_KIND__COUNT; i++)
        v->kinds[i] = intern(v, duban_alert_kind_name((duban_alert_kind_t)i));
    for (int i = 0; i < DUBAN_AVSC_ALERT_LEVEL__COUNT; i++)
        v->levels[i] = intern(v, duban_alert_level_name((duban_alert_level_t)i));
    /* a row's enum symbol index is into the compiled-in schema's symbols */
    const duban_avsc_field_t *kf = &duban_avsc_deadline_alert.fields[DUBAN_AVSC_DEADLINE_ALERT__KIND];
    const duban_avsc_field_t *lf = &duban_avsc_deadline_alert.fields[DUBAN_AVSC_DEADLINE_ALERT__LEVEL];
    const duban_avsc_field_t *of =
        &duban_avsc_delivery_attempt.fields[DUBAN_AVSC_DELIVERY_ATTEMPT__OUTCOME];
    for (int i = 0; i < DUBAN_AVSC_ALERT_KIND__COUNT && i < kf->nsymbols; i++)
        v->kind_symbols[i] = intern(v, kf->symbols[i]);
    for (int i = 0; i < DUBAN_AVSC_ALERT_LEVEL__COUNT && i < lf->nsymbols; i++)
        v->level_symbols[i] = intern(v, lf->symbols[i]);
    for (int i = 0; i < DUBAN_AVSC_DELIVERY_OUTCOME__COUNT && i < of->nsymbols; i++)
        v->outcomes[i] = intern(v, of->symbols[i]);
    v->empty = intern(v, "");
    return true;
}

static int run(verify_t *v, audit_t *a)
{
    static const char *const inputs[] = {DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS};
    static const char *const alerts[] = {DUBAN_TOPIC_ALERTS};
    static const char *const deliveries[] = {DUBAN_TOPIC_DELIVERIES};
    expected_t x = {.v = v};
    duban_alerter_set_facts(v->engine, on_expected, &x);
    if (!audit_read(a, inputs, 2, on_task_event, v))
        return AUDIT_EXIT_PROBLEM;
    if (v->events == 0) {
        /* an empty log (or a mistyped --topic-prefix) proves nothing */
        fprintf(stderr, "duban-audit verify: no task events in %s%s: nothing to re-compute\n",
                a->prefix ? a->prefix : "", DUBAN_TOPIC_TASKS);
        return AUDIT_EXIT_PROBLEM;
    }
    duban_webhook_routes_t *routes = NULL;
    if (v->o->routes && !(routes = load_routes(v)))
        return AUDIT_EXIT_PROBLEM;
    /* Re-computing and reading what was recorded share nothing until the
     * merge: the engine's thread runs while the alerts and the delivery
     * attempts are read. The pairs of each alert are made in the same order
     * as when the engine ran first: the routed ones, then the attempts'. */
    duban_arena_init(&x.strings);
    duban_buf_init(&x.join, 0);
    pthread_t engine_thread;
    bool threaded = pthread_create(&engine_thread, NULL, recompute, &x) == 0;
    if (!threaded)
        recompute(&x);
    bool ok = audit_read(a, alerts, 1, on_alert, v) && !v->too_many;
    size_t recorded = v->n;   /* rows made by the alerts topic */
    if (ok && routes)
        add_routed_pairs(v, routes, 0, recorded);
    v->keep_unknown = true;
    ok = ok && audit_read(a, deliveries, 1, on_delivery, v);
    v->keep_unknown = false;
    if (threaded)
        pthread_join(engine_thread, NULL);
    ok = ok && !x.err && !x.too_many && merge_expected(v, &x);
    v->too_many = v->too_many || x.too_many;
    free(x.alerts);
    duban_buf_free(&x.join);
    duban_arena_free(&x.strings);
    if (ok && routes)
        add_routed_pairs(v, routes, recorded, v->n);
    if (ok)
        apply_later(v);
    duban_webhook_routes_destroy(routes);
    if (!ok || v->too_many) {
        if (v->too_many)
            fprintf(stderr, "duban-audit verify: more than %ld alerts in the window "
                            "(audit.verify.max.alerts): narrow --since/--until\n",
                    v->o->max_alerts);
        return AUDIT_EXIT_PROBLEM;
    }
    for (size_t i = 0; i < v->n; i++)
        compare_alert(v, i);
    for (size_t k = 0; k < v->np; k++)
        compare_pair(v, k);
    print_report(v);
    summarize(v);
    return v->nproblems ? AUDIT_EXIT_PROBLEM : AUDIT_EXIT_OK;
}

static void verify_free(verify_t *v)
{
    free(v->alerts);
    free(v->pairs);
    free(v->problems);
    free(v->later);
    duban_u32_table_free(&v->by_id);
    duban_arena_free(&v->strings);
    duban_alerter_destroy(v->engine);
    duban_task_event_free(&v->ev);
    duban_event_row_free(&v->row);
    duban_buf_free(&v->text);
    duban_buf_free(&v->text2);
    duban_serde_destroy(v->serde);
}

int audit_verify(audit_t *a, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--json", DUBAN_OPT_FLAG, offsetof(verify_opts_t, json)},
    };
    static const duban_program_t prog = {"duban-audit verify", usage, table,
                                         sizeof(table) / sizeof(table[0]), verify_arg,
                                         DUBAN_USES_AUDIT};
    verify_opts_t o = {.since = INT64_MIN, .until = INT64_MAX, .late_after_ms = -1,
                       .delivery_late_ms = -1};
    duban_sim_clock_init(&o.clock);
    char errbuf[256];
    if (duban_calendar_new(&o.cal, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-audit verify: %s\n", errbuf);
        return AUDIT_EXIT_PROBLEM;
    }
    int start = audit_start(&prog, a, argc, argv, &o);
    if (start) {
        duban_calendar_destroy(o.cal);
        return start > 0 ? AUDIT_EXIT_OK : AUDIT_EXIT_USAGE;
    }
    a->prefix = o.prefix;
    verify_t v = {.o = &o};
    duban_arena_init(&v.strings);
    duban_task_event_init(&v.ev);
    duban_event_row_init(&v.row);
    duban_buf_init(&v.text, 0);
    duban_buf_init(&v.text2, 0);
    int rc = setup(&v, a) ? run(&v, a) : AUDIT_EXIT_PROBLEM;
    verify_free(&v);
    duban_calendar_destroy(o.cal);
    fflush(stdout);
    return rc;
}
