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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alerter.h"
#include "alloc.h"
#include "audit.h"
#include "calendar.h"
#include "date.h"
#include "log.h"
#include "serde.h"
#include "serde_task_event.h"
#include "sim_clock.h"
#include "webhook_route.h"

#define MAX_ROUTED 64

typedef struct {
    const char *prefix, *routes;
    int json;
    int64_t since, until;          /* INT64_MIN / INT64_MAX: not given */
    duban_sim_clock_t clock;       /* the alerter's */
    int64_t late_after_ms;         /* -1: alerter.late.after.ms */
    int64_t delivery_late_ms;      /* -1: audit.delivery.late.after.ms */
    duban_calendar_t *cal;         /* the alerter's (--calendar adds to it) */
} verify_opts_t;

/* What an alert says (re-computed or recorded). */
typedef struct {
    int64_t fire_at, days_left;
    char *kind, *level, *departments, *due_date;
} facts_t;

typedef struct {
    char *alert_id, *task_id;
    bool expected, recorded;
    facts_t exp, rec;
    json_t *departments;           /* the list, for --routes */
    int copies;                    /* recorded, redriven copies excepted */
    size_t pairs;                  /* (alert, endpoint) pairs */
    int redriven;
    int32_t part[3];
    int64_t off[3];
    int64_t sent_wall;             /* first copy's message timestamp */
    bool late_flag;
} alert_t;

typedef struct {
    size_t alert;
    char *endpoint;
    bool routed;
    int attempts;
    int64_t delivered_at;          /* first DELIVERED, INT64_MIN: none */
    char *last_outcome, *last_error;
    long last_http;
} pair_t;

typedef struct {
    verify_opts_t *o;
    duban_serde_t *serde;
    duban_task_event_t ev;
    duban_alerter_t *engine;
    alert_t *alerts;
    size_t n, cap;
    json_t *by_id;                 /* alert_id -> index */
    pair_t *pairs;
    size_t np, pcap;
    json_t *by_pair;               /* alert_id \x1f endpoint -> index */
    size_t events, invalid, skipped_redriven, undecodable, out_of_window;
    size_t problems;
    json_t *report;                /* problem rows, sorted before printing */
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

static alert_t *alert_get(verify_t *v, const char *alert_id, const char *task_id)
{
    json_t *idx = json_object_get(v->by_id, alert_id);
    if (idx)
        return &v->alerts[json_integer_value(idx)];
    v->alerts = duban_array_xgrow(v->alerts, &v->cap, v->n + 1, sizeof(alert_t), 1024);
    alert_t *al = &v->alerts[v->n];
    memset(al, 0, sizeof(*al));
    al->alert_id = duban_xstrdup(alert_id);
    al->task_id = duban_xstrdup(task_id ? task_id : "");
    json_object_set_new(v->by_id, alert_id, json_integer((json_int_t)v->n++));
    return al;
}

static char *joined(const json_t *list)
{
    size_t len = 1, used = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *d = json_string_value(json_array_get(list, i));
        len += (d ? strlen(d) : 0) + strlen("、");
    }
    char *s = duban_xmalloc(len);
    s[0] = '\0';
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *d = json_string_value(json_array_get(list, i));
        int n = snprintf(s + used, len - used, "%s%s", i ? "、" : "", d ? d : "");
        used += n > 0 ? (size_t)n : 0;
    }
    return s;
}

static const char *str(const json_t *ev, const char *key)
{
    const char *s = json_string_value(json_object_get(ev, key));
    return s ? s : "";
}

/* The facts of an alert event; false when its fire_at is unreadable. */
static bool read_facts(const json_t *ev, facts_t *f)
{
    if (duban_instant_parse(str(ev, "fire_at"), &f->fire_at))
        return false;
    f->days_left = json_integer_value(json_object_get(ev, "days_left"));
    f->kind = duban_xstrdup(str(ev, "kind"));
    f->level = duban_xstrdup(str(ev, "level"));
    f->due_date = duban_xstrdup(str(ev, "due_date"));
    f->departments = joined(json_object_get(ev, "departments"));
    return true;
}

static void facts_free(facts_t *f)
{
    free(f->kind);
    free(f->level);
    free(f->departments);
    free(f->due_date);
}

static bool in_window(const verify_t *v, int64_t fire_at)
{
    return fire_at >= v->o->since && fire_at <= v->o->until;
}

/* ---- 1. re-compute ---- */

static duban_err_t on_expected(const json_t *alert, const char *task_id, void *opaque)
{
    verify_t *v = opaque;
    facts_t f;
    if (!read_facts(alert, &f))
        return DUBAN_OK;
    if (!in_window(v, f.fire_at)) {
        facts_free(&f);
        return DUBAN_OK;
    }
    alert_t *al = alert_get(v, str(alert, "alert_id"), task_id);
    if (al->expected)
        facts_free(&al->exp);
    al->expected = true;
    al->exp = f;
    if (!al->departments)
        al->departments = json_incref(json_object_get(alert, "departments"));
    return DUBAN_OK;
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
        err = duban_alerter_apply_event(v->engine, &v->ev, INT64_MIN, on_expected, v, errbuf,
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
    (void)topic;
    json_t *ev = audit_decode(v->serde, msg, DUBAN_EV_DEADLINE_ALERT, NULL, 0);
    if (!ev) {
        v->undecodable++;
        return 0;
    }
    facts_t f = {0};
    if (!read_facts(ev, &f) || !in_window(v, f.fire_at)) {
        if (f.kind)
            facts_free(&f);
        v->out_of_window++;
        json_decref(ev);
        return 0;
    }
    alert_t *al = alert_get(v, str(ev, "alert_id"), str(ev, "task_id"));
    if (audit_header(msg, AUDIT_HDR_REDRIVE_OF, of, sizeof(of))) {
        al->redriven++;
    } else {
        if (al->copies < 3) {
            al->part[al->copies] = msg->partition;
            al->off[al->copies] = msg->offset;
        }
        if (al->copies++ == 0) {
            al->recorded = true;
            al->rec = f;
            al->sent_wall = rd_kafka_message_timestamp(msg, NULL);
            al->late_flag = json_is_true(json_object_get(ev, "late"));
            if (!al->departments)
                al->departments = json_incref(json_object_get(ev, "departments"));
            f.kind = NULL;
        }
    }
    if (f.kind)
        facts_free(&f);
    json_decref(ev);
    return 0;
}

/* ---- 3. deliveries ---- */

static pair_t *pair_get(verify_t *v, size_t alert, const char *endpoint)
{
    char key[1024];
    snprintf(key, sizeof(key), "%s\x1f%s", v->alerts[alert].alert_id, endpoint);
    json_t *idx = json_object_get(v->by_pair, key);
    if (idx)
        return &v->pairs[json_integer_value(idx)];
    v->pairs = duban_array_xgrow(v->pairs, &v->pcap, v->np + 1, sizeof(pair_t), 1024);
    pair_t *p = &v->pairs[v->np];
    memset(p, 0, sizeof(*p));
    p->alert = alert;
    p->endpoint = duban_xstrdup(endpoint);
    p->delivered_at = INT64_MIN;
    v->alerts[alert].pairs++;
    json_object_set_new(v->by_pair, key, json_integer((json_int_t)v->np++));
    return p;
}

static int on_delivery(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    verify_t *v = opaque;
    char key[512];
    (void)topic;
    json_t *idx = json_object_get(v->by_id, audit_key(msg, key, sizeof(key)));
    if (!idx)
        return 0;   /* an alert outside the window */
    json_t *ev = audit_decode(v->serde, msg, DUBAN_EV_DELIVERY_ATTEMPT, NULL, 0);
    if (!ev) {
        v->undecodable++;
        return 0;
    }
    pair_t *p = pair_get(v, (size_t)json_integer_value(idx), str(ev, "endpoint_id"));
    int64_t at = 0;
    duban_instant_parse(str(ev, "occurred_at"), &at);
    p->attempts++;
    free(p->last_outcome);
    free(p->last_error);
    p->last_outcome = duban_xstrdup(str(ev, "outcome"));
    p->last_error = duban_xstrdup(str(ev, "error"));
    p->last_http = (long)json_integer_value(json_object_get(ev, "http_status"));
    if (!strcmp(p->last_outcome, "DELIVERED") &&
        (p->delivered_at == INT64_MIN || at < p->delivered_at))
        p->delivered_at = at;
    json_decref(ev);
    return 0;
}

/* The pairs the routing file says must exist (the notifier's lookup). */
static bool add_routed_pairs(verify_t *v)
{
    char errbuf[512];
    duban_webhook_routes_t *routes;
    if (duban_webhook_routes_load_file(v->o->routes, &routes, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-audit verify: %s\n", errbuf);
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const json_t *depts = v->alerts[i].departments;
        size_t idx[MAX_ROUTED], cnt = 0, nd = json_array_size(depts);
        bool unknown;
        for (size_t d = 0; d < (nd ? nd : 1); d++)
            duban_webhook_routes_lookup(routes, json_string_value(json_array_get(depts, d)),
                                        idx, &cnt, MAX_ROUTED, &unknown);
        for (size_t k = 0; k < cnt; k++)
            pair_get(v, i, duban_webhook_routes_endpoint(routes, idx[k])->id)->routed = true;
    }
    duban_webhook_routes_destroy(routes);
    return true;
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

static void problem(verify_t *v, const char *what, const alert_t *al, const char *endpoint,
                    int64_t by_ms, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void problem(verify_t *v, const char *what, const alert_t *al, const char *endpoint,
                    int64_t by_ms, const char *fmt, ...)
{
    char detail[1024], fire[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    const facts_t *f = al->expected ? &al->exp : &al->rec;
    json_t *row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s*, s:s}", "problem", what,
                            "alert_id", al->alert_id, "task_id", al->task_id, "kind", f->kind,
                            "fire_at", duban_instant_format(f->fire_at, fire), "endpoint",
                            endpoint, "detail", detail);
    if (!row)
        return;
    if (by_ms >= 0)
        json_object_set_new(row, "by_ms", json_integer(by_ms));
    json_object_set_new(row, "_at", json_integer(f->fire_at));
    json_array_append_new(v->report, row);
    v->problems++;
}

static void compare_alert(verify_t *v, const alert_t *al)
{
    char d1[48], sent[32], fire[32];
    if (al->expected && !al->recorded) {
        problem(v, "MISSING", al, NULL, -1, "should have fired at %s to %s",
                duban_instant_format(al->exp.fire_at, fire), al->exp.departments);
        return;
    }
    if (!al->expected) {
        problem(v, "UNEXPECTED", al, NULL, -1, "recorded at %s:%d:%" PRId64
                " but the rules do not fire it by --until", DUBAN_TOPIC_ALERTS,
                (int)al->part[0], al->off[0]);
    } else if (al->exp.fire_at != al->rec.fire_at || strcmp(al->exp.level, al->rec.level) ||
               al->exp.days_left != al->rec.days_left ||
               strcmp(al->exp.departments, al->rec.departments)) {
        problem(v, "DIFFERS", al, NULL, -1, "recorded fire_at %s level %s days_left %" PRId64
                " to %s; re-computed %s %s %" PRId64 " to %s",
                duban_instant_format(al->rec.fire_at, sent), al->rec.level,
                al->rec.days_left, al->rec.departments,
                duban_instant_format(al->exp.fire_at, fire), al->exp.level,
                al->exp.days_left, al->exp.departments);
    }
    if (al->copies > 1)
        problem(v, "DUPLICATED", al, NULL, -1, "%d copies, at offsets %d:%" PRId64
                ", %d:%" PRId64 "%s", al->copies, (int)al->part[0], al->off[0],
                (int)al->part[1], al->off[1], al->copies > 2 ? ", ..." : "");
    int64_t sent_at = duban_sim_clock_at(&v->o->clock, al->sent_wall);
    int64_t lateness = sent_at - al->rec.fire_at;
    if (lateness > v->o->late_after_ms || al->late_flag)
        problem(v, "LATE", al, NULL, lateness, "sent %s, %s after fire_at %s (limit %s)%s",
                duban_instant_format(sent_at, sent), duration(lateness, d1),
                duban_instant_format(al->rec.fire_at, fire),
                duration(v->o->late_after_ms, (char[48]){0}),
                al->late_flag ? "; the alerter marked it late" : "");
}

static void compare_pair(verify_t *v, const pair_t *p)
{
    const alert_t *al = &v->alerts[p->alert];
    char d1[48], d2[48];
    if (!al->recorded)
        return;   /* MISSING says it */
    if (p->delivered_at == INT64_MIN) {
        if (p->attempts)
            problem(v, "UNDELIVERED", al, p->endpoint, -1, "last outcome %s after %d "
                    "attempts (HTTP %ld%s%s)", p->last_outcome, p->attempts, p->last_http,
                    p->last_error[0] ? ": " : "", p->last_error);
        else
            problem(v, "UNDELIVERED", al, p->endpoint, -1,
                    "routed to this endpoint, no delivery attempt");
        return;
    }
    int64_t after = p->delivered_at - al->sent_wall;
    if (after > v->o->delivery_late_ms)
        problem(v, "DELIVERY-LATE", al, p->endpoint, after,
                "delivered %s after the alert was sent (limit %s)", duration(after, d1),
                duration(v->o->delivery_late_ms, d2));
}

static int cmp_row(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    json_int_t ta = json_integer_value(json_object_get(a, "_at"));
    json_int_t tb = json_integer_value(json_object_get(b, "_at"));
    if (ta != tb)
        return ta < tb ? -1 : 1;
    int c = strcmp(str(a, "alert_id"), str(b, "alert_id"));
    return c ? c : strcmp(str(a, "problem"), str(b, "problem"));
}

static void print_report(verify_t *v)
{
    size_t n = json_array_size(v->report);
    json_t **rows = duban_xcalloc(n + 1, sizeof(json_t *));
    for (size_t i = 0; i < n; i++)
        rows[i] = json_array_get(v->report, i);
    qsort(rows, n, sizeof(json_t *), cmp_row);
    for (size_t i = 0; i < n; i++) {
        json_object_del(rows[i], "_at");
        if (v->o->json) {
            char *line = json_dumps(rows[i], JSON_COMPACT);
            if (line)
                printf("%s\n", line);
            free(line);
            continue;
        }
        const char *ep = str(rows[i], "endpoint");
        printf("%-13s %s %s %s %s%s%s: %s\n", str(rows[i], "problem"),
               str(rows[i], "fire_at"), str(rows[i], "kind"), str(rows[i], "alert_id"),
               str(rows[i], "task_id"), *ep ? " endpoint " : "", ep, str(rows[i], "detail"));
    }
    free(rows);
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
             v->events, v->invalid, v->skipped_redriven, v->problems);
    if (v->o->json)
        printf("{\"summary\":\"%s\",\"problems\":%zu}\n", line, v->problems);
    else
        printf("%s %s\n", v->problems ? "FAILED" : "OK", line);
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
        duban_conf_get_long(a->conf, "audit.delivery.late.after.ms", 300000, &ms, errbuf,
                            sizeof(errbuf))) {
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
    return true;
}

static int run(verify_t *v, audit_t *a)
{
    static const char *const inputs[] = {DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS};
    static const char *const alerts[] = {DUBAN_TOPIC_ALERTS};
    static const char *const deliveries[] = {DUBAN_TOPIC_DELIVERIES};
    if (!audit_read(a, inputs, 2, on_task_event, v))
        return AUDIT_EXIT_PROBLEM;
    if (v->events == 0) {
        /* an empty log (or a mistyped --topic-prefix) proves nothing */
        fprintf(stderr, "duban-audit verify: no task events in %s%s: nothing to re-compute\n",
                a->prefix ? a->prefix : "", DUBAN_TOPIC_TASKS);
        return AUDIT_EXIT_PROBLEM;
    }
    if (duban_alerter_advance(v->engine, v->o->until, on_expected, v) ||
        !audit_read(a, alerts, 1, on_alert, v) ||
        (v->o->routes && !add_routed_pairs(v)) ||
        !audit_read(a, deliveries, 1, on_delivery, v))
        return AUDIT_EXIT_PROBLEM;
    for (size_t i = 0; i < v->n; i++) {
        compare_alert(v, &v->alerts[i]);
        if (!v->alerts[i].pairs && v->alerts[i].recorded)
            problem(v, "UNDELIVERED", &v->alerts[i], NULL, -1, "no delivery attempt");
    }
    for (size_t k = 0; k < v->np; k++)
        compare_pair(v, &v->pairs[k]);
    print_report(v);
    summarize(v);
    return v->problems ? AUDIT_EXIT_PROBLEM : AUDIT_EXIT_OK;
}

static void verify_free(verify_t *v)
{
    for (size_t i = 0; i < v->n; i++) {
        alert_t *al = &v->alerts[i];
        free(al->alert_id);
        free(al->task_id);
        if (al->expected)
            facts_free(&al->exp);
        if (al->recorded)
            facts_free(&al->rec);
        json_decref(al->departments);
    }
    for (size_t k = 0; k < v->np; k++) {
        free(v->pairs[k].endpoint);
        free(v->pairs[k].last_outcome);
        free(v->pairs[k].last_error);
    }
    free(v->alerts);
    free(v->pairs);
    json_decref(v->by_id);
    json_decref(v->by_pair);
    json_decref(v->report);
    duban_alerter_destroy(v->engine);
    duban_task_event_free(&v->ev);
    duban_serde_destroy(v->serde);
}

int audit_verify(audit_t *a, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--json", DUBAN_OPT_FLAG, offsetof(verify_opts_t, json)},
    };
    static const duban_program_t prog = {"duban-audit verify", usage, table,
                                         sizeof(table) / sizeof(table[0]), verify_arg};
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
    verify_t v = {.o = &o, .by_id = json_object(), .by_pair = json_object(),
                  .report = json_array()};
    duban_task_event_init(&v.ev);
    int rc = setup(&v, a) ? run(&v, a) : AUDIT_EXIT_PROBLEM;
    verify_free(&v);
    duban_calendar_destroy(o.cal);
    fflush(stdout);
    return rc;
}
