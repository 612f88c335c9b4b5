/* producers/status/status_api.c: the routes of duban-status (status_api.h). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "hash.h"
#include "status_api.h"
#include "status_check.h"
#include "status_correct.h"
#include "status_flow.h"
#include "status_intake.h"
#include "utf8.h"

#define TASKS_PREFIX "/v1/tasks/"
#define DEPTS_PREFIX "/v1/departments/"

/* ---- answers ---- */

static void answer(status_answer_t *ans, unsigned status, json_t *body)
{
    ans->status = status;
    free(ans->body);
    ans->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!ans->body) {   /* out of memory while answering */
        ans->status = 503;
        ans->body = strdup("{\"error\":\"out of memory\"}");
    }
}

/* The log's note: msg cut on a character boundary. */
static void set_note(status_answer_t *ans, const char *msg)
{
    size_t n = duban_utf8_cut(msg, strlen(msg), sizeof(ans->note) - 1);
    memcpy(ans->note, msg, n);
    ans->note[n] = '\0';
}

/* {"error": msg, "field": field?}; the message is also the log's note. */
static void answer_error(status_answer_t *ans, unsigned status, const char *msg,
                         const char *field)
{
    set_note(ans, msg);
    answer(ans, status, json_pack("{s:s, s:s*}", "error", msg, "field", field));
}

static json_t *names_of(unsigned mask)
{
    json_t *a = json_array();
    for (int i = 0; a && i < DUBAN_STATUS_COUNT; i++)
        if (mask & (1u << i))
            json_array_append_new(a, json_string(status_check_name((duban_task_status_t)i)));
    return a;
}

/* ---- paths ---- */

static bool has_suffix(const char *s, size_t len, const char *suffix, size_t *stem)
{
    size_t n = strlen(suffix);
    if (len <= n || memcmp(s + len - n, suffix, n) != 0)
        return false;
    *stem = len - n;
    return true;
}

bool status_api_known_path(const char *path)
{
    return strcmp(path, "/healthz") == 0 || strcmp(path, "/v1/overview") == 0 ||
           strcmp(path, "/v1/review") == 0 ||
           (strncmp(path, TASKS_PREFIX, strlen(TASKS_PREFIX)) == 0 &&
            path[strlen(TASKS_PREFIX)]) ||
           (strncmp(path, DEPTS_PREFIX, strlen(DEPTS_PREFIX)) == 0);
}

static int64_t now_of(const status_service_t *svc)
{
    return status_clock_now(&svc->clock);
}

static bool ready(status_service_t *svc, status_answer_t *ans)
{
    if (status_feed_ready(svc->feed))
        return true;
    answer_error(ans, 503, "task state is being rebuilt from the log; try again shortly", NULL);
    return false;
}

static pthread_mutex_t *stripe_of(status_service_t *svc, const char *task_id)
{
    return &svc->stripes[duban_fnv1a64(task_id, strlen(task_id)) % STATUS_STRIPES];
}

/* ---- writes: delivering and waiting for the feed ---- */

typedef struct {
    const char *scope;        /* idempotency key (caller-scoped), NULL: none */
    const char *fingerprint;
} idem_ctx_t;

/* Produces ev and waits until the feed has applied it; fills the answer
 * (202, or 503 when it was not delivered). */
static void deliver(status_service_t *svc, duban_event_type_t type, const json_t *ev,
                    const idem_ctx_t *ic, status_answer_t *ans)
{
    char errbuf[512];
    duban_kafka_header_t hdrs[3];
    size_t nh = 0;
    const char *writer = status_feed_writer_id(svc->feed);
    hdrs[nh++] = (duban_kafka_header_t){STATUS_WRITER_HEADER, writer, strlen(writer)};
    if (ic->scope) {
        hdrs[nh++] = (duban_kafka_header_t){STATUS_IDEM_HEADER, ic->scope, strlen(ic->scope)};
        hdrs[nh++] = (duban_kafka_header_t){STATUS_IDEM_FP_HEADER, ic->fingerprint,
                                            strlen(ic->fingerprint)};
    }
    const char *event_id = json_string_value(json_object_get(ev, STATUS_KEY(EVENT_ID, STRING)));
    snprintf(ans->event_id, sizeof(ans->event_id), "%s", event_id ? event_id : "");
    status_receipt_t rc;
    duban_err_t err = status_sender_deliver_event(svc->sender, type, ev, hdrs, nh, &rc, errbuf,
                                                  sizeof(errbuf));
    if (err == DUBAN_E_SCHEMA || err == DUBAN_E_INVAL) {
        answer_error(ans, 400, errbuf, NULL);
        return;
    }
    if (err) {
        set_note(ans, errbuf);
        answer(ans, 503, json_pack("{s:s, s:s}", "error", errbuf, "event_id", ans->event_id));
        return;
    }
    const char *topic = duban_event_topic(type);
    if (!status_feed_apply_own(svc->feed, topic, rc.partition, rc.offset, type, ev,
                               STATUS_APPLY_WAIT_MS))
        snprintf(ans->note, sizeof(ans->note), "delivered; not yet applied after %d ms",
                 STATUS_APPLY_WAIT_MS);
    answer(ans, 202, json_pack("{s:s, s:s, s:i, s:I}", "event_id", ans->event_id, "topic", topic,
                               "partition", (int)rc.partition, "offset", (json_int_t)rc.offset));
    atomic_fetch_add(&svc->accepted, 1);
}

/* ---- POST /v1/tasks/{id}/status ---- */

/* Checks the change against the task's state and the caller's rights
 * (status_check.h); false when answered. */
static bool check_change(status_service_t *svc, const status_principal_t *who, json_t *ev,
                         status_answer_t *ans)
{
    status_verdict_t v;
    bool supervisor = who->kind == STATUS_PRINCIPAL_SUPERVISOR;
    if (status_check_change(svc->state, who->name, supervisor ? NULL : who->name,
                            supervisor ? STATUS_ROLE_SUPERVISOR : 0, ev, &v))
        return true;
    set_note(ans, v.msg);
    answer(ans, v.http,
           json_pack("{s:s, s:s, s:s*, s:o*}", "error", v.msg, "field", v.field,
                     "current_status", v.names_current ? status_check_name(v.current) : NULL,
                     "allowed", v.names_allowed ? names_of(v.allowed) : NULL));
    return false;
}

static void post_status(status_service_t *svc, const status_request_t *rq, const char *task_id,
                        const idem_ctx_t *ic, status_answer_t *ans)
{
    char errbuf[512];
    const char *field = NULL;
    json_t *ev = NULL;
    /* the clock is read under the task's lock: a change without its own
     * occurred_at is never dated before the one that went ahead of it */
    pthread_mutex_t *stripe = stripe_of(svc, task_id);
    pthread_mutex_lock(stripe);
    if (duban_status_intake_from_json(task_id, rq->body, rq->body_len, "http", rq->who->name,
                                      now_of(svc), &ev, &field, errbuf, sizeof(errbuf)))
        answer_error(ans, 400, errbuf, field);
    else if (check_change(svc, rq->who, ev, ans))
        deliver(svc, DUBAN_EV_TASK_STATUS_CHANGED, ev, ic, ans);
    pthread_mutex_unlock(stripe);
    json_decref(ev);
}

/* ---- POST /v1/tasks/{id}/correction ---- */

static void post_correction(status_service_t *svc, const status_request_t *rq,
                            const char *task_id, const idem_ctx_t *ic, status_answer_t *ans)
{
    char errbuf[512];
    const char *field = NULL;
    if (rq->who->kind != STATUS_PRINCIPAL_SUPERVISOR) {
        answer_error(ans, 403, "only a supervising office corrects a task", NULL);
        return;
    }
    if (duban_status_intake_check_text("task_id", task_id, true, DUBAN_STATUS_MAX_TASK_ID,
                                       false, &field, errbuf, sizeof(errbuf))) {
        answer_error(ans, 400, errbuf, field);
        return;
    }
    pthread_mutex_t *stripe = stripe_of(svc, task_id);
    pthread_mutex_lock(stripe);
    json_t *def = status_state_definition(svc->state, task_id), *ev = NULL;
    duban_err_t err = DUBAN_OK;
    if (!def)
        answer_error(ans, 404, "no such task", "task_id");
    else if ((err = status_correct_build(def, rq->body, rq->body_len, rq->who->name,
                                         now_of(svc), &ev, &field, errbuf, sizeof(errbuf))))
        answer_error(ans, err == DUBAN_E_CONFLICT ? 409 : err == DUBAN_E_NOMEM ? 503 : 400,
                     errbuf, field);
    else
        deliver(svc, DUBAN_EV_TASK_ASSIGNED, ev, ic, ans);
    pthread_mutex_unlock(stripe);
    json_decref(def);
    json_decref(ev);
}

/* ---- Idempotency-Key ---- */

typedef void (write_fn)(status_service_t *svc, const status_request_t *rq, const char *task_id,
                        const idem_ctx_t *ic, status_answer_t *ans);

static bool key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > STATUS_IDEM_MAX_KEY)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)k[i] < 0x21 || (unsigned char)k[i] > 0x7e)
            return false;
    return true;
}

static void write_once(status_service_t *svc, const status_request_t *rq, const char *task_id,
                       write_fn *fn, status_answer_t *ans)
{
    idem_ctx_t ic = {NULL, NULL};
    if (!rq->idempotency_key) {
        fn(svc, rq, task_id, &ic, ans);
        return;
    }
    if (!key_ok(rq->idempotency_key)) {
        answer_error(ans, 400, "Idempotency-Key: 1 to 255 printable ASCII characters",
                     "Idempotency-Key");
        return;
    }
    char scope[STATUS_PRINCIPAL_MAX + STATUS_IDEM_MAX_KEY + 32];
    char fp[DUBAN_SHA256_HEX_SIZE];
    snprintf(scope, sizeof(scope), "%s:%s\x1f%s", status_kind_name(rq->who->kind),
             rq->who->name, rq->idempotency_key);
    const char *parts[] = {rq->method, rq->path, rq->body ? rq->body : ""};
    duban_sha256_hex_parts(parts, 3, fp);
    unsigned status = 0;
    char *body = NULL;
    switch (status_idem_begin(svc->idem, scope, fp, duban_now_ms(), &status, &body)) {
    case STATUS_IDEM_REPLAY:
        ans->status = status;
        free(ans->body);
        ans->body = body;
        ans->replayed = true;
        snprintf(ans->note, sizeof(ans->note), "idempotent replay");
        return;
    case STATUS_IDEM_IN_FLIGHT:
        answer_error(ans, 409, "a request with this Idempotency-Key is still running",
                     "Idempotency-Key");
        return;
    case STATUS_IDEM_MISMATCH:
        answer_error(ans, 422, "this Idempotency-Key was used for another request",
                     "Idempotency-Key");
        return;
    case STATUS_IDEM_NEW:
        break;
    }
    ic.scope = scope;
    ic.fingerprint = fp;
    fn(svc, rq, task_id, &ic, ans);
    if (ans->status >= 500)
        status_idem_abandon(svc->idem, scope);
    else
        status_idem_finish(svc->idem, scope, ans->status, ans->body, duban_now_ms());
}

/* ---- reads ---- */

static void get_task(status_service_t *svc, const status_request_t *rq, const char *task_id,
                     status_answer_t *ans)
{
    char errbuf[512];
    const char *field = NULL;
    if (duban_status_intake_check_text("task_id", task_id, true, DUBAN_STATUS_MAX_TASK_ID,
                                       false, &field, errbuf, sizeof(errbuf))) {
        answer_error(ans, 400, errbuf, field);
        return;
    }
    status_task_info_t info;
    const char *dept = rq->who->kind == STATUS_PRINCIPAL_DEPARTMENT ? rq->who->name : NULL;
    char *text = NULL;
    if (status_state_info(svc->state, task_id, dept, &info) != DUBAN_OK)
        answer_error(ans, 404, "no such task", "task_id");
    else if (dept && !info.roles)
        answer_error(ans, 403, "not a task of this department", "task_id");
    else if (!(text = status_state_task_text(svc->state, task_id, now_of(svc))))
        answer_error(ans, 404, "no such task", "task_id");
    else {
        ans->status = 200;
        free(ans->body);
        ans->body = text;
    }
}

/* Query filters; false when answered (400). */
static bool read_filter(const status_request_t *rq, status_filter_t *f, status_answer_t *ans)
{
    static const char *const levels[][2] = {{"GREEN", "绿"}, {"YELLOW", "黄"}, {"RED", "红"}};
    *f = (status_filter_t){-1, -1, -1, 0};
    const char *st = rq->arg(rq->arg_ctx, "status"), *lv = rq->arg(rq->arg_ctx, "level");
    const char *role = rq->arg(rq->arg_ctx, "role");
    duban_task_status_t s;
    if (st && !strcmp(st, "open"))
        f->open = 1;
    else if (st && !strcmp(st, "closed"))
        f->open = 0;
    else if (st && !duban_task_status_from_name(st, &s))
        f->status = (int)s;
    else if (st) {
        answer_error(ans, 400, "status: open, closed or a status name", "status");
        return false;
    }
    for (int i = 0; lv && i < 3; i++)
        if (!strcmp(lv, levels[i][0]) || !strcmp(lv, levels[i][1]))
            f->level = i;
    if (lv && f->level < 0) {
        answer_error(ans, 400, "level: RED, YELLOW or GREEN", "level");
        return false;
    }
    if (role && !strcmp(role, "lead"))
        f->roles = STATUS_ROLE_LEAD;
    else if (role && !strcmp(role, "cooperating"))
        f->roles = STATUS_ROLE_COOPERATING;
    else if (role) {
        answer_error(ans, 400, "role: lead or cooperating", "role");
        return false;
    }
    return true;
}

static void get_department(status_service_t *svc, const status_request_t *rq,
                           const char *rest, status_answer_t *ans)
{
    char errbuf[512], name[STATUS_PRINCIPAL_MAX + 1];
    const char *field = NULL;
    size_t stem;
    if (!has_suffix(rest, strlen(rest), "/tasks", &stem) || stem > STATUS_PRINCIPAL_MAX) {
        answer_error(ans, 404, "not found (GET /v1/departments/{name}/tasks)", NULL);
        return;
    }
    memcpy(name, rest, stem);
    name[stem] = '\0';
    if (duban_status_intake_check_text("department", name, true, STATUS_PRINCIPAL_MAX, false,
                                       &field, errbuf, sizeof(errbuf))) {
        answer_error(ans, 400, errbuf, field);
        return;
    }
    if (rq->who->kind == STATUS_PRINCIPAL_DEPARTMENT && strcmp(rq->who->name, name) != 0) {
        answer_error(ans, 403, "a department sees its own tasks only", "department");
        return;
    }
    status_filter_t f;
    if (read_filter(rq, &f, ans))
        answer(ans, 200, status_state_department_json(svc->state, name, &f, now_of(svc)));
}

/* ---- routing ---- */

static bool method_is(const status_request_t *rq, const char *m1, const char *m2,
                      status_answer_t *ans, const char *allow)
{
    if (!strcmp(rq->method, m1) || (m2 && !strcmp(rq->method, m2)))
        return true;
    ans->allow = allow;
    answer_error(ans, 405, "method not allowed", NULL);
    return false;
}

static void healthz(status_service_t *svc, status_answer_t *ans)
{
    char errbuf[300];
    status_state_stats_t s;
    if (!status_feed_ready(svc->feed)) {
        answer(ans, 503, json_pack("{s:s}", "status", "rebuilding"));
        return;
    }
    if (!status_sender_connected(svc->sender, errbuf, sizeof(errbuf))) {
        answer(ans, 503, json_pack("{s:s, s:s}", "status", "failing", "error", errbuf));
        return;
    }
    status_state_stats(svc->state, &s);
    answer(ans, 200, json_pack("{s:s, s:I}", "status", "ok", "tasks", (json_int_t)s.tasks));
}

static void route_task(status_service_t *svc, const status_request_t *rq, status_answer_t *ans)
{
    const char *rest = rq->path + strlen(TASKS_PREFIX);
    size_t len = strlen(rest), stem;
    write_fn *fn = has_suffix(rest, len, "/status", &stem)       ? post_status
                   : has_suffix(rest, len, "/correction", &stem) ? post_correction
                                                                 : NULL;
    if (!fn) {
        if (method_is(rq, "GET", "HEAD", ans, "GET, HEAD") && ready(svc, ans))
            get_task(svc, rq, rest, ans);
        return;
    }
    if (!method_is(rq, "POST", NULL, ans, "POST") || !ready(svc, ans))
        return;
    char *task_id = strndup(rest, stem);
    if (!task_id) {
        answer_error(ans, 503, "out of memory", NULL);
        return;
    }
    write_once(svc, rq, task_id, fn, ans);
    free(task_id);
}

void status_api_handle(status_service_t *svc, const status_request_t *rq, status_answer_t *ans)
{
    const char *p = rq->path;
    if (!strcmp(p, "/healthz")) {
        if (method_is(rq, "GET", "HEAD", ans, "GET, HEAD"))
            healthz(svc, ans);
    } else if (!strncmp(p, TASKS_PREFIX, strlen(TASKS_PREFIX))) {
        route_task(svc, rq, ans);
    } else if (!strncmp(p, DEPTS_PREFIX, strlen(DEPTS_PREFIX))) {
        if (method_is(rq, "GET", "HEAD", ans, "GET, HEAD") && ready(svc, ans))
            get_department(svc, rq, p + strlen(DEPTS_PREFIX), ans);
    } else if (!strcmp(p, "/v1/overview")) {
        if (method_is(rq, "GET", "HEAD", ans, "GET, HEAD") && ready(svc, ans))
            answer(ans, 200, status_state_overview_json(
                                 svc->state,
                                 rq->who->kind == STATUS_PRINCIPAL_DEPARTMENT ? rq->who->name
                                                                              : NULL,
                                 now_of(svc)));
    } else if (!strcmp(p, "/v1/review")) {
        if (!method_is(rq, "GET", "HEAD", ans, "GET, HEAD") || !ready(svc, ans))
            return;
        if (rq->who->kind != STATUS_PRINCIPAL_SUPERVISOR)
            answer_error(ans, 403, "the review list is for supervising offices", NULL);
        else
            answer(ans, 200, status_state_review_json(svc->state, now_of(svc)));
    } else {
        answer_error(ans, 404, "not found", NULL);
    }
}
