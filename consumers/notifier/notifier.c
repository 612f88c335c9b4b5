/* consumers/notifier/notifier.c: alerts -> webhooks, nothing lost. */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>
#include "avsc_gen.h"
#include "date.h"
#include "dlq.h"
#include "event.h"
#include "hash.h"
#include "log.h"
#include "notifier_int.h"
#include "topics.h"

/* The records' JSON keys as the schemas/ .avsc name them, of the kind there
 * (avsc.h): a renamed or retyped field stops this file compiling. */
#define ALERT_KEY DUBAN_AVSC_DEADLINE_ALERT_KEY
#define DELIVERY_KEY DUBAN_AVSC_DELIVERY_ATTEMPT_KEY

#define SERVICE "duban-notifier"
#define MAX_ROUTED 64

static void part_gauges(notifier_t *n);

/* ---------------------------------------------------------------------------
 * partitions and offsets
 * ------------------------------------------------------------------------- */
static part_t *part_get(notifier_t *n, int32_t p)
{
    if (p < 0)
        return NULL;
    if (p >= n->part_count) {
        part_t *np = realloc(n->parts, (size_t)(p + 1) * sizeof(*np));
        if (!np)
            return NULL;
        for (int32_t i = n->part_count; i <= p; i++) {
            duban_webhook_offsets_init(&np[i].offs);
            np[i].gen = 0;
            np[i].assigned = false;
            np[i].phase = PART_UNASSIGNED;
            np[i].stale = 0;
            np[i].retry_commit = -1;
            np[i].resume = NULL;
            np[i].resume_end = -1;
            np[i].next = -1;
        }
        n->parts = np;
        n->part_count = p + 1;
    }
    return &n->parts[p];
}

/* Commits every partition's final prefix: alerts whose outcomes are final
 * and whose outcome records Kafka has acknowledged. */
static void commit_final(notifier_t *n, bool sync)
{
    char errbuf[512];
    if (n->produce_failed)
        return;  /* outcomes not durable: the alerts must come again */
    for (int32_t p = 0; p < n->part_count; p++) {
        part_t *pt = &n->parts[p];
        int64_t next = pt->assigned ? duban_webhook_offsets_commit_to(&pt->offs) : -1;
        if (next < 0)
            next = pt->retry_commit;
        pt->retry_commit = -1;
        if (next >= 0 && duban_consumer_commit(n->consumer, DUBAN_TOPIC_ALERTS, p, next,
                                               sync, errbuf, sizeof(errbuf))) {
            duban_warn("COMMIT", "%s (tried again later)", errbuf);
            pt->retry_commit = next;
        }
    }
}

/* A partition's commit was refused and waits to be tried again. */
static bool commits_pending(const notifier_t *n)
{
    for (int32_t p = 0; p < n->part_count; p++)
        if (n->parts[p].retry_commit >= 0)
            return true;
    return false;
}

static void alert_release(notifier_t *n, alert_t *a);

/* An alert read before its partition was last revoked or assigned: its
 * outcomes no longer commit, and the partition's owner reads it again. */
static bool alert_stale(const notifier_t *n, const alert_t *a)
{
    return a->partition < n->part_count && n->parts[a->partition].gen != a->gen;
}

static void drop_job(notifier_t *n, job_t *j)
{
    alert_t *a = j->a;
    free(j);
    a->pending--;
    alert_release(n, a);
}

/* Drops b's jobs of stale alerts; true when some are left. */
static bool batch_drop_stale(notifier_t *n, batch_t *b)
{
    size_t kept = 0;
    for (size_t k = 0; k < b->n; k++) {
        if (alert_stale(n, b->jobs[k]->a))
            drop_job(n, b->jobs[k]);
        else
            b->jobs[kept++] = b->jobs[k];
    }
    b->n = kept;
    return kept > 0;
}

/* Drops the queued and retrying jobs of stale alerts, so that what the
 * partition's (new) owner sends is not sent here too. Requests in flight
 * finish. */
static void drop_stale(notifier_t *n)
{
    for (size_t i = 0; i < n->ep_count; i++) {
        ep_t *ep = &n->eps[i];
        job_t **pp = &ep->qhead;
        ep->qtail = NULL;
        while (*pp) {
            job_t *j = *pp;
            if (!alert_stale(n, j->a)) {
                ep->qtail = j;
                pp = &j->next;
                continue;
            }
            *pp = j->next;
            ep->qlen--;
            drop_job(n, j);
        }
        for (batch_t **bp = &ep->retry; *bp;) {
            batch_t *b = *bp;
            if (batch_drop_stale(n, b)) {
                bp = &b->next;
                continue;
            }
            *bp = b->next;
            free(b->jobs);
            free(b);
        }
    }
}

/* Counts, per partition, the open alerts of earlier assignments. */
static void count_stale(notifier_t *n)
{
    for (int32_t p = 0; p < n->part_count; p++)
        n->parts[p].stale = 0;
    for (const alert_t *a = n->open; a; a = a->next)
        if (alert_stale(n, a))
            n->parts[a->partition].stale++;
}

/* The partitions being read (assigned and resumed), as a list for
 * librdkafka's pause/resume; NULL when there are none. */
static rd_kafka_topic_partition_list_t *reading_list(const notifier_t *n)
{
    rd_kafka_topic_partition_list_t *l = NULL;
    for (int32_t p = 0; p < n->part_count; p++) {
        if (!n->parts[p].assigned || n->parts[p].phase != PART_READING)
            continue;
        if (!l)
            l = rd_kafka_topic_partition_list_new(n->part_count);
        rd_kafka_topic_partition_list_add(l, DUBAN_TOPIC_ALERTS, p);
    }
    return l;
}

/* Takes a finished build: its partitions, if still waiting for it, get
 * their sets and are read from now on (unless intake is paused). */
static void resume_install(notifier_t *n, notifier_resume_result_t *res)
{
    const notifier_resume_stats_t *st = &res->st;
    rd_kafka_topic_partition_list_t *go = rd_kafka_topic_partition_list_new(res->n + 1);
    int installed = 0;
    for (int i = 0; i < res->n; i++) {
        notifier_resume_part_t *rp = &res->parts[i];
        part_t *pt = part_get(n, rp->partition);
        if (!pt || !pt->assigned || pt->phase != PART_BUILDING) {
            duban_webhook_delivered_destroy(rp->set);   /* revoked or reassigned since */
            continue;
        }
        if (res->err == DUBAN_E_AGAIN) {
            pt->phase = PART_WAITING;   /* cancelled, still ours: build again */
            continue;
        }
        pt->resume = rp->set;         /* NULL when the build failed: all sent again */
        pt->resume_end = rp->end;
        pt->phase = PART_READING;
        installed++;
        rd_kafka_topic_partition_list_add(go, DUBAN_TOPIC_ALERTS, rp->partition);
    }
    if (installed && !res->err)
        duban_info("RESUME", "%d partitions: %zu alerts after the committed offsets, %zu "
                   "alert-endpoint pairs already final (%zu delivery records read, %zu "
                   "probes) in %" PRId64 " ms, %d attempts", installed, st->alerts, st->pairs,
                   st->records, st->probes, st->ms, st->attempts);
    else if (installed)
        duban_warn("RESUME", "%d partitions: %s after %d attempts in %" PRId64 " ms: their "
                   "uncommitted alerts are all sent again", installed, res->errbuf,
                   st->attempts, st->ms);
    part_gauges(n);
    if (go->cnt && !n->paused)
        rd_kafka_resume_partitions(duban_consumer_handle(n->consumer), go);
    rd_kafka_topic_partition_list_destroy(go);
    free(res->parts);
}

/* Once a turn: takes a finished build, and starts one for the partitions
 * whose earlier alerts are all closed. */
static void resume_step(notifier_t *n)
{
    notifier_resume_result_t res;
    if (notifier_resume_take(n->resume, &res))
        resume_install(n, &res);
    if (notifier_resume_busy(n->resume))
        return;
    int32_t ps[n->part_count + 1];
    int cnt = 0;
    for (int32_t p = 0; p < n->part_count; p++)
        if (n->parts[p].assigned && n->parts[p].phase == PART_WAITING && !n->parts[p].stale)
            ps[cnt++] = p;
    if (cnt && notifier_resume_start(n->resume, ps, cnt))
        for (int i = 0; i < cnt; i++)
            n->parts[ps[i]].phase = PART_BUILDING;
}

/* Runs inside the consumer's poll: nothing here waits on the network (a
 * commit is sent, not awaited: librdkafka finishes it before the group
 * moves on); the delivered sets are built by the resumer's thread while
 * the new partitions are held. */
static void on_rebalance(duban_consumer_t *c, bool assigned,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    notifier_t *n = opaque;
    bool cancel = false;
    if (!assigned)
        commit_final(n, false);
    for (int i = 0; i < parts->cnt; i++) {
        part_t *pt = part_get(n, parts->elems[i].partition);
        if (!pt)
            continue;
        /* forget what was in flight: its completions no longer commit */
        duban_webhook_offsets_free(&pt->offs);
        pt->gen++;
        pt->assigned = assigned;
        cancel = cancel || pt->phase == PART_BUILDING;
        pt->phase = assigned ? PART_WAITING : PART_UNASSIGNED;
        pt->retry_commit = -1;
        pt->next = -1;
        duban_webhook_delivered_destroy(pt->resume);
        pt->resume = NULL;
    }
    drop_stale(n);
    count_stale(n);
    if (cancel && n->resume)
        notifier_resume_cancel(n->resume);
    if (assigned && parts->cnt)
        duban_consumer_hold_assigned(c);
    part_gauges(n);
}

/* ---------------------------------------------------------------------------
 * outcomes: DeliveryAttempt events, dead letters, finality
 * ------------------------------------------------------------------------- */
static void alert_free(notifier_t *n, alert_t *a)
{
    if (alert_stale(n, a))
        n->parts[a->partition].stale--;
    if (a->prev)
        a->prev->next = a->next;
    else
        n->open = a->next;
    if (a->next)
        a->next->prev = a->prev;
    rd_kafka_message_destroy(a->msg);
    json_decref(a->ev);
    free(a);
    n->alerts_open--;
}

/* Releases a once every job is final and every outcome record is acked. */
static void alert_release(notifier_t *n, alert_t *a)
{
    if (a->pending > 0 || a->acks > 0)
        return;
    part_t *pt = part_get(n, a->partition);
    if (pt && pt->gen == a->gen && pt->assigned)
        duban_webhook_offsets_done(&pt->offs, a->msg->offset);
    alert_free(n, a);
}

static void alert_final(notifier_t *n, alert_t *a)
{
    a->pending--;
    alert_release(n, a);
}

/* Producer delivery report of a final outcome record (msg_opaque = alert). */
static void on_produced(duban_err_t err, const rd_kafka_message_t *msg, void *msg_opaque,
                        void *opaque)
{
    notifier_t *n = opaque;
    alert_t *a = msg_opaque;
    if (*(const bool *)msg_opaque) {   /* a job: its request's slot is free now */
        job_t *j = msg_opaque;
        batch_t *b = j->slot;
        a = j->a;
        free(j);
        if (--b->acks_left == 0) {
            duban_webhook_fair_release(&n->fair, b->ep);
            free(b->jobs);
            free(b);
        }
    }
    if (err) {
        n->produce_failed = true;
        duban_metric_add(n->ops.produce_errors, 1);
        duban_error("AUDIT", "outcome record lost (%s): no further commits, the alerts "
                    "will be delivered again after a restart", rd_kafka_err2str(msg->err));
    }
    a->acks--;
    alert_release(n, a);
}

static void dead_letter(notifier_t *n, alert_t *a, const char *reason)
{
    char errbuf[512];
    duban_dlq_origin_t origin;
    duban_dlq_origin_from(a->msg, &origin);
    a->acks++;
    if (duban_dlq_send(n->producer, n->serde, &origin, reason, SERVICE, a, errbuf,
                       sizeof(errbuf)) == DUBAN_OK) {
        duban_metric_add(n->ops.dlq_out, 1);
        return;
    }
    a->acks--;
    n->produce_failed = true;
    duban_metric_add(n->ops.produce_errors, 1);
    duban_error("DLQ", "dead letter for offset %" PRId64 " not sent: %s",
                    a->msg->offset, errbuf);
}

typedef struct {
    const char *endpoint;
    int attempt;
    long http_status, latency_ms;
    const char *error;
    const char *outcome;
    size_t digest_size;
} attempt_t;

/* Produces the DeliveryAttempt. A final one (ack_opaque: the alert, or the
 * job whose slot waits for it) holds the alert until acked; true when it
 * was queued so. */
static bool record_attempt(notifier_t *n, const job_t *j, const attempt_t *at,
                           void *ack_opaque)
{
    bool final = ack_opaque != NULL;
    const char *alert_id =
        json_string_value(json_object_get(j->a->ev, ALERT_KEY(ALERT_ID, STRING)));
    char id[DUBAN_SHA256_HEX_SIZE], num[48], errbuf[512];
    int64_t now = duban_now_ms();
    snprintf(num, sizeof(num), "%d/%" PRId64, at->attempt, now);
    const char *parts[] = {"DeliveryAttempt", alert_id ? alert_id : "", at->endpoint, num,
                           at->outcome};
    duban_sha256_hex_parts(parts, 5, id);
    json_t *ev = json_pack("{s:s, s:I, s:i, s:{s:s, s:i, s:I}, s:s, s:s, s:s, s:i, s:i,"
                           " s:s?, s:I, s:s, s:i}",
        DELIVERY_KEY(EVENT_ID, STRING), id, DELIVERY_KEY(OCCURRED_AT, TIMESTAMP),
        (json_int_t)now, DELIVERY_KEY(SCHEMA_VERSION, INT), 1,
        DELIVERY_KEY(SOURCE, RECORD), DELIVERY_KEY(SOURCE__FILE, STRING), SERVICE,
        DELIVERY_KEY(SOURCE__LINE, INT), 0, DELIVERY_KEY(SOURCE__OFFSET, LONG), (json_int_t)-1,
        DELIVERY_KEY(ALERT_ID, STRING), alert_id ? alert_id : "",
        DELIVERY_KEY(ENDPOINT_ID, STRING), at->endpoint,
        DELIVERY_KEY(DEPARTMENT, STRING), j->dept ? j->dept : "",
        DELIVERY_KEY(ATTEMPT, INT), at->attempt,
        DELIVERY_KEY(HTTP_STATUS, INT), (int)at->http_status,
        DELIVERY_KEY(ERROR, STRING), at->error,
        DELIVERY_KEY(LATENCY_MS, LONG), (json_int_t)at->latency_ms,
        DELIVERY_KEY(OUTCOME, ENUM), at->outcome,
        DELIVERY_KEY(DIGEST_SIZE, INT), (int)at->digest_size);
    void *buf = NULL;
    size_t len = 0;
    duban_err_t err = ev ? duban_serde_encode(n->serde, DUBAN_EV_DELIVERY_ATTEMPT, NULL, ev,
                                              &buf, &len, errbuf, sizeof(errbuf))
                         : DUBAN_E_NOMEM;
    if (!err) {
        j->a->acks += final;
        err = duban_producer_send(n->producer, DUBAN_TOPIC_DELIVERIES, -1, alert_id,
                                  alert_id ? strlen(alert_id) : 0, buf, len, NULL, 0,
                                  ack_opaque, errbuf, sizeof(errbuf));
        j->a->acks -= final && err;
    }
    if (err) {
        n->produce_failed = true;
        duban_metric_add(n->ops.produce_errors, 1);
        duban_error("AUDIT", "delivery attempt not recorded: %s", errbuf);
    } else {
        duban_metric_add(n->ops.deliveries_out, 1);
    }
    free(buf);
    json_decref(ev);
    return final && !err;
}

/* Records one outcome for every job of b; final ones dead-letter (unless
 * delivered) and release their alerts. `sent`: b's request holds a slot,
 * given back now for a retry, and for a final outcome once its records
 * are acknowledged (so a crash repeats at most notifier.max.inflight
 * pairs: those in flight or not yet durable). */
static void batch_outcome(notifier_t *n, batch_t *b, attempt_t *at, const char *dlq_reason,
                          bool sent)
{
    ep_t *ep = &n->eps[b->ep];
    at->endpoint = ep->id;
    at->attempt = b->attempt;
    at->digest_size = b->n;
    bool final = strcmp(at->outcome, "RETRYING") != 0;
    uint64_t *counter = strcmp(at->outcome, "DELIVERED") == 0 ? &n->delivered
                      : strcmp(at->outcome, "RETRYING") == 0 ? &n->retrying
                      : strcmp(at->outcome, "DISABLED") == 0 ? &n->disabled : &n->dead;
    duban_metric_add(counter == &n->delivered ? ep->m.delivered
                     : counter == &n->retrying ? ep->m.retrying
                     : counter == &n->disabled ? ep->m.disabled : ep->m.dead, (int64_t)b->n);
    ep->delivered += counter == &n->delivered ? b->n : 0;
    ep->dead += final && counter != &n->delivered ? b->n : 0;
    for (size_t i = 0; i < b->n; i++) {
        job_t *j = b->jobs[i];
        alert_t *a = j->a;
        j->slot = b;
        bool held = record_attempt(n, j, at, !final ? NULL : sent ? (void *)j : (void *)a);
        (*counter)++;
        if (!final)
            continue;
        if (dlq_reason)
            dead_letter(n, a, dlq_reason);
        if (held && sent)
            b->acks_left++;    /* j is freed when its record is acked */
        else
            free(j);
        alert_final(n, a);
    }
    if (sent && (!final || b->acks_left == 0))
        duban_webhook_fair_release(&n->fair, b->ep);
    if (final && b->acks_left == 0) {
        free(b->jobs);
        free(b);
    }
}

/* ---------------------------------------------------------------------------
 * sending
 * ------------------------------------------------------------------------- */
static uint64_t rnd64(void)
{
    uint64_t r = 0;
    if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
        r = (uint64_t)duban_now_ms() * 6364136223846793005ULL;
    return r;
}

static void batch_retry_or_dead(notifier_t *n, batch_t *b, long status, long latency,
                                long retry_after_ms, const char *error, bool sent)
{
    ep_t *ep = &n->eps[b->ep];
    attempt_t at = {.http_status = status, .latency_ms = latency, .error = error};
    if (b->attempt >= ep->cfg->retry.max_attempts) {
        char reason[512];
        snprintf(reason, sizeof(reason), "endpoint %s: %s after %d attempts", ep->id,
                 error, b->attempt);
        at.outcome = "DEAD_LETTERED";
        batch_outcome(n, b, &at, reason, sent);
        return;
    }
    at.outcome = "RETRYING";
    batch_outcome(n, b, &at, NULL, sent);
    /* alerts of a partition revoked meanwhile: its owner sends them */
    if (!batch_drop_stale(n, b)) {
        free(b->jobs);
        free(b);
        return;
    }
    b->due = duban_now_ms() +
             duban_webhook_backoff_ms(&ep->cfg->retry, b->attempt, retry_after_ms, rnd64());
    b->next = ep->retry;
    ep->retry = b;
    duban_webhook_fair_wake(&n->fair, b->ep);
}

static void on_http_done(const duban_webhook_http_result_t *res, void *opaque)
{
    notifier_t *n = opaque;
    batch_t *b = res->opaque;
    ep_t *ep = &n->eps[b->ep];
    char reason[96], text[512];
    duban_webhook_verdict_t v = res->refused ? DUBAN_WEBHOOK_FINAL
        : duban_webhook_classify(ep->cfg->format, res->http_status, res->transport_retriable,
                                 res->body, reason, sizeof(reason));
    snprintf(text, sizeof(text), "%s", res->error[0] ? res->error : reason);
    attempt_t at = {.http_status = res->http_status, .latency_ms = res->latency_ms,
                    .error = v == DUBAN_WEBHOOK_OK ? NULL : text};
    int64_t now = duban_now_ms();
    if (v == DUBAN_WEBHOOK_OK) {
        duban_webhook_breaker_success(&ep->brk);
        at.outcome = "DELIVERED";
        batch_outcome(n, b, &at, NULL, true);
        return;
    }
    char dlq[640];
    if (v == DUBAN_WEBHOOK_RETRY) {
        duban_webhook_breaker_failure(&ep->brk, now);
        batch_retry_or_dead(n, b, res->http_status, res->latency_ms, res->retry_after_ms, text,
                            true);
        return;
    }
    if (v == DUBAN_WEBHOOK_DISABLE) {
        ep->disabled = true;
        duban_warn("ENDPOINT", "endpoint %s answered 410 Gone: disabled", ep->id);
        snprintf(dlq, sizeof(dlq), "endpoint %s: 410 Gone, endpoint disabled", ep->id);
        at.outcome = "DISABLED";
    } else {
        snprintf(dlq, sizeof(dlq), "endpoint %s: %s (not retried)", ep->id, text);
        at.outcome = "DEAD_LETTERED";
    }
    batch_outcome(n, b, &at, dlq, true);
}

/* The routing file the endpoint's alerts were routed with gives the
 * template (a reload changes it for the next alert routed). */
static const char *endpoint_template(const ep_t *ep)
{
    return ep->cfg->tpl ? ep->cfg->tpl : duban_webhook_routes_template(ep->owner);
}

/* Moves jobs b->jobs[used..] back to the front of the endpoint's queue. */
static void requeue_tail(ep_t *ep, batch_t *b, size_t used)
{
    for (size_t i = b->n; i-- > used;) {
        job_t *j = b->jobs[i];
        j->next = ep->qhead;
        ep->qhead = j;
        if (!ep->qtail)
            ep->qtail = j;
        ep->qlen++;
    }
    b->n = used;
}

/* true when the request went out (it holds a slot until its outcome is in) */
static bool batch_send(notifier_t *n, batch_t *b)
{
    ep_t *ep = &n->eps[b->ep];
    const json_t *alerts[b->n];
    for (size_t i = 0; i < b->n; i++)
        alerts[i] = b->jobs[i]->a->ev;
    duban_webhook_target_t t = {.url = ep->cfg->url, .format = ep->cfg->format,
        .secrets = &ep->cfg->secrets, .headers = &ep->cfg->headers,
        .tpl = endpoint_template(ep), .digest_title = ep->cfg->digest_title,
        .max_bytes = ep->cfg->max_bytes};
    duban_webhook_request_t req;
    char errbuf[512];
    b->attempt++;
    duban_err_t err = duban_webhook_build(&t, alerts, b->n, duban_now_ms(), &req, errbuf,
                                          sizeof(errbuf));
    if (!err) {
        if (req.alerts_used < b->n)
            requeue_tail(ep, b, req.alerts_used);
        n->requests++;
        n->digests += b->n > 1;
        duban_metric_add(ep->m.requests, 1);
        err = duban_webhook_http_submit(n->http, &req, ep->cfg->timeout_ms,
                                        ep->cfg->connect_timeout_ms, b, errbuf, sizeof(errbuf));
    }
    if (err) {
        char dlq[640];
        snprintf(dlq, sizeof(dlq), "endpoint %s: request not built: %s", ep->id, errbuf);
        attempt_t at = {.error = errbuf, .outcome = "DEAD_LETTERED"};
        batch_outcome(n, b, &at, dlq, false);
        return false;
    }
    return true;
}

static batch_t *batch_from_queue(ep_t *ep, size_t ep_index)
{
    const duban_webhook_endpoint_t *c = ep->cfg;
    size_t take = c->rate_limit > 0 && c->digest_max > 1 ? (size_t)c->digest_max : 1;
    if (take > ep->qlen)
        take = ep->qlen;
    batch_t *b = calloc(1, sizeof(*b));
    if (!b || !(b->jobs = calloc(take, sizeof(job_t *)))) {
        free(b);
        return NULL;
    }
    b->ep = ep_index;
    for (; b->n < take; b->n++) {
        job_t *j = ep->qhead;
        ep->qhead = j->next;
        if (!ep->qhead)
            ep->qtail = NULL;
        ep->qlen--;
        j->next = NULL;
        b->jobs[b->n] = j;
    }
    return b;
}

static batch_t *take_due_retry(ep_t *ep, int64_t now)
{
    for (batch_t **pp = &ep->retry; *pp; pp = &(*pp)->next)
        if ((*pp)->due <= now) {
            batch_t *b = *pp;
            *pp = b->next;
            b->next = NULL;
            return b;
        }
    return NULL;
}

/* Everything of a disabled endpoint is dead-lettered. */
static void drain_disabled(notifier_t *n, ep_t *ep, size_t i)
{
    char dlq[256];
    snprintf(dlq, sizeof(dlq), "endpoint %s: disabled after 410 Gone", ep->id);
    attempt_t at = {.error = "endpoint disabled", .outcome = "DEAD_LETTERED"};
    batch_t *b;
    while ((b = ep->retry)) {
        ep->retry = b->next;
        batch_outcome(n, b, &at, dlq, false);
    }
    while (ep->qlen && (b = batch_from_queue(ep, i)))
        batch_outcome(n, b, &at, dlq, false);
}

static bool has_due_retry(const ep_t *ep, int64_t now)
{
    for (const batch_t *b = ep->retry; b; b = b->next)
        if (b->due <= now)
            return true;
    return false;
}

typedef struct {
    notifier_t *n;
    int64_t now;
} turn_t;

/* One send (or one fail-fast) for endpoint i, when it may: its turn in
 * duban_webhook_fair_run. */
static duban_webhook_fair_step_t endpoint_step(size_t i, void *opaque)
{
    turn_t *t = opaque;
    notifier_t *n = t->n;
    ep_t *ep = &n->eps[i];
    bool have_due = has_due_retry(ep, t->now);
    if (ep->disabled || (!ep->retry && !ep->qlen))
        return DUBAN_WEBHOOK_FAIR_EMPTY;
    if (!have_due && !ep->qlen)
        return DUBAN_WEBHOOK_FAIR_IDLE;   /* retries later */
    if (duban_webhook_breaker_is_open(&ep->brk, t->now)) {
        /* fail fast: an attempt that never reached the endpoint */
        batch_t *b = have_due ? take_due_retry(ep, t->now) : batch_from_queue(ep, i);
        if (!b)
            return DUBAN_WEBHOOK_FAIR_IDLE;
        b->attempt++;
        batch_retry_or_dead(n, b, 0, 0, -1, "circuit open", false);
        return DUBAN_WEBHOOK_FAIR_SETTLED;
    }
    if (duban_webhook_limiter_ready_at(&ep->lim, t->now) > t->now ||
        !duban_webhook_breaker_allow(&ep->brk, t->now))
        return DUBAN_WEBHOOK_FAIR_IDLE;
    batch_t *b = have_due ? take_due_retry(ep, t->now) : batch_from_queue(ep, i);
    if (!b)
        return DUBAN_WEBHOOK_FAIR_IDLE;
    duban_webhook_limiter_take(&ep->lim, t->now);
    return batch_send(n, b) ? DUBAN_WEBHOOK_FAIR_SENT : DUBAN_WEBHOOK_FAIR_SETTLED;
}

/* Sends what may go: the endpoints take turns (duban_webhook_fair_t), so
 * none waits behind another's backlog, and each holds at most its share of
 * the slots. A slot is a request in flight or a final outcome of a sent
 * request that Kafka has not yet acknowledged. */
static void schedule(notifier_t *n, int64_t now)
{
    for (size_t i = 0; i < n->ep_count; i++)
        if (n->eps[i].disabled)
            drain_disabled(n, &n->eps[i], i);
    int free_slots = n->fair.capacity - n->fair.total_held;
    turn_t t = {n, now};
    if (free_slots > 0)
        duban_webhook_fair_run(&n->fair, free_slots, endpoint_step, &t);
    n->share = duban_webhook_fair_current_share(&n->fair);
}

/* When something next becomes possible (ms from now, capped at cap). */
static int next_wake(const notifier_t *n, int64_t now, int cap)
{
    /* with every slot taken, a completion or an acknowledgement is what
     * comes next (the network wait returns on the first, the producer's
     * poll serves the second): look again soon */
    bool slots = n->fair.capacity - n->fair.total_held > 0;
    int64_t at = now + (n->fair.total_held > duban_webhook_http_inflight(n->http) && cap > 1
                            ? 1 : cap);
    for (size_t i = 0; i < n->ep_count; i++) {
        const ep_t *ep = &n->eps[i];
        for (const batch_t *b = ep->retry; slots && b; b = b->next)
            if (b->due < at)
                at = b->due;
        if (ep->qlen && slots && n->fair.held[i] < n->share) {
            int64_t r = duban_webhook_limiter_ready_at(&ep->lim, now);
            if (ep->brk.open_until > r)
                r = ep->brk.open_until;
            if (r < at)
                at = r;
        }
    }
    return at <= now ? 0 : (int)(at - now);
}

/* ---------------------------------------------------------------------------
 * intake
 * ------------------------------------------------------------------------- */
static void enqueue(notifier_t *n, size_t ep_index, alert_t *a, const char *dept)
{
    ep_t *ep = &n->eps[ep_index];
    job_t *j = calloc(1, sizeof(*j));
    if (!j) {
        duban_error("MEMORY", "job allocation failed");
        return;
    }
    j->is_job = true;
    j->a = a;
    j->dept = dept;
    j->queued_at = duban_now_ms();
    a->pending++;
    if (ep->qtail)
        ep->qtail->next = j;
    else
        ep->qhead = j;
    ep->qtail = j;
    ep->qlen++;
    duban_webhook_fair_wake(&n->fair, ep_index);  /* its turn comes in order of work */
}

/* Whether the pair (a, endpoint) already had its final outcome before this
 * partition came to us (then it is not sent again; a dead letter is
 * written again, since it may not have reached Kafka). */
static bool resumed_pair(notifier_t *n, alert_t *a, size_t ep)
{
    part_t *pt = part_get(n, a->partition);
    if (!pt || !pt->resume || a->msg->offset >= pt->resume_end)
        return false;
    const char *alert_id = json_string_value(json_object_get(a->ev, ALERT_KEY(ALERT_ID, STRING)));
    duban_webhook_pair_t done = duban_webhook_delivered_get(pt->resume, alert_id, ep);
    if (done == DUBAN_WEBHOOK_PAIR_OPEN)
        return false;
    n->resumed++;
    duban_metric_add(n->ops.resumed, 1);
    if (done == DUBAN_WEBHOOK_PAIR_DEAD) {
        char reason[320];
        snprintf(reason, sizeof(reason), "endpoint %s: dead-lettered before a restart or "
                 "rebalance (outcome on " DUBAN_TOPIC_DELIVERIES "), not sent again",
                 n->eps[ep].id);
        dead_letter(n, a, reason);
    }
    return true;
}

static void route_alert(notifier_t *n, alert_t *a)
{
    size_t idx[MAX_ROUTED], cnt = 0;
    const char *dept_of[MAX_ROUTED];
    const json_t *depts = json_object_get(a->ev, ALERT_KEY(DEPARTMENTS, STRINGS));
    size_t nd = json_array_size(depts);
    for (size_t d = 0; d < (nd ? nd : 1); d++) {
        const char *dept = json_string_value(json_array_get(depts, d));
        size_t before = cnt;
        bool unknown;
        duban_webhook_routes_lookup(n->routes, dept, idx, &cnt, MAX_ROUTED, &unknown);
        if (unknown)
            duban_metric_add(n->ops.unknown_depts, 1);
        if (unknown && !duban_strlist_contains(&n->warned, dept ? dept : "")) {
            /* once per department; the counter goes on in the STATS line */
            if (n->warned.count < 1000)
                duban_strlist_push(&n->warned, dept ? dept : "");
            duban_warn("ROUTE", "department \"%s\" has no route: default route used "
                       "(unknown_departments=%" PRIu64 ")", dept ? dept : "",
                       n->unknown_before + duban_webhook_routes_unknown_count(n->routes));
        }
        for (size_t k = before; k < cnt; k++)
            dept_of[k] = dept;
    }
    for (size_t k = 0; k < cnt; k++)
        idx[k] = n->route_ep[idx[k]];   /* the routing file's index -> its slot */
    a->pending = 1;  /* held while enqueuing */
    for (size_t k = 0; k < cnt; k++)
        if (!resumed_pair(n, a, idx[k]))
            enqueue(n, idx[k], a, dept_of[k]);
    if (cnt == 0)
        dead_letter(n, a, "no route for the alert's departments and no default route");
    alert_final(n, a);
}

static void intake(notifier_t *n, rd_kafka_message_t *msg)
{
    char errbuf[512];
    part_t *pt = part_get(n, msg->partition);
    if (pt && pt->phase != PART_READING)   /* held partitions fetch nothing */
        duban_warn("INTAKE", "offset %" PRId64 " of partition %d read before its delivered "
                   "set was built: sent even if it was delivered", msg->offset,
                   (int)msg->partition);
    alert_t *a = calloc(1, sizeof(*a));
    if (!pt || !a || duban_webhook_offsets_add(&pt->offs, msg->offset, 1)) {
        duban_error("INTAKE", "cannot track offset %" PRId64, msg->offset);
        free(a);
        rd_kafka_message_destroy(msg);
        return;
    }
    duban_metric_add(n->ops.alerts_in, 1);
    pt->next = msg->offset + 1;
    a->msg = msg;
    a->partition = msg->partition;
    a->gen = pt->gen;
    a->next = n->open;
    if (n->open)
        n->open->prev = a;
    n->open = a;
    n->alerts_open++;
    duban_event_type_t type;
    duban_err_t err = duban_serde_decode(n->serde, msg->payload, msg->len, &type, &a->ev,
                                         errbuf, sizeof(errbuf));
    if (!err && type != DUBAN_EV_DEADLINE_ALERT)
        err = duban_seterr(errbuf, sizeof(errbuf), DUBAN_E_SCHEMA, "not a DeadlineAlert: %s",
                           duban_event_type_name(type));
    if (err) {
        n->bad_input++;
        duban_metric_add(n->ops.bad_input, 1);
        duban_warn("INTAKE", "offset %" PRId64 " dead-lettered: %s", msg->offset, errbuf);
        a->pending = 1;
        dead_letter(n, a, errbuf);
        alert_final(n, a);
        return;
    }
    int32_t partition = msg->partition;
    int64_t offset = msg->offset;
    route_alert(n, a);  /* may free a and msg: all of its pairs may be final already */
    pt = part_get(n, partition);
    if (pt && pt->resume && offset + 1 >= pt->resume_end) {
        duban_webhook_delivered_destroy(pt->resume);  /* past what it covers */
        pt->resume = NULL;
    }
}

/* Pauses the partitions being read while too many alerts are open and
 * resumes them when half are done; partitions not yet resumed from
 * duban.deliveries.v1 stay paused either way. */
static void flow_control(notifier_t *n)
{
    bool pause = !n->paused && n->alerts_open >= n->max_pending;
    bool resume = n->paused && n->alerts_open < n->max_pending / 2;
    if (!pause && !resume)
        return;
    n->paused = pause;
    rd_kafka_topic_partition_list_t *l = reading_list(n);
    if (!l)
        return;
    rd_kafka_t *rk = duban_consumer_handle(n->consumer);
    if (pause)
        rd_kafka_pause_partitions(rk, l);
    else
        rd_kafka_resume_partitions(rk, l);
    rd_kafka_topic_partition_list_destroy(l);
}

/* ---------------------------------------------------------------------------
 * gauges (notifier_ops.h): set from the loop, about once a second
 * ------------------------------------------------------------------------- */
static void part_gauges(notifier_t *n)
{
    int64_t assigned = 0, resuming = 0;
    for (int32_t p = 0; p < n->part_count; p++) {
        assigned += n->parts[p].assigned;
        resuming += n->parts[p].assigned && n->parts[p].phase != PART_READING;
    }
    duban_metric_set(n->ops.assigned, assigned);
    duban_metric_set(n->ops.resuming, resuming);
}

/* Lag: the high watermark librdkafka last saw minus the next alert to read
 * (after the last one read, else the consumer's fetch position). */
static void lag_gauges(notifier_t *n)
{
    rd_kafka_t *rk = duban_consumer_handle(n->consumer);
    rd_kafka_topic_partition_list_t *l = NULL;
    for (int32_t p = 0; p < n->part_count; p++) {
        if (!n->parts[p].assigned)
            continue;
        if (!l)
            l = rd_kafka_topic_partition_list_new(n->part_count);
        rd_kafka_topic_partition_list_add(l, DUBAN_TOPIC_ALERTS, p);
    }
    if (!l)
        return;
    rd_kafka_position(rk, l);
    for (int i = 0; i < l->cnt; i++) {
        int32_t p = l->elems[i].partition;
        int64_t lo, hi, next = n->parts[p].next >= 0 ? n->parts[p].next : l->elems[i].offset;
        if (next >= 0 && !rd_kafka_get_watermark_offsets(rk, DUBAN_TOPIC_ALERTS, p, &lo, &hi) &&
            hi >= 0)
            notifier_ops_lag(&n->ops, p, hi - next);
    }
    rd_kafka_topic_partition_list_destroy(l);
}

static void update_gauges(notifier_t *n, int64_t now)
{
    part_gauges(n);
    lag_gauges(n);
    duban_metric_set(n->ops.open_alerts, n->alerts_open);
    duban_metric_set(n->ops.in_flight, duban_webhook_http_inflight(n->http));
    for (size_t i = 0; i < n->ep_count; i++) {
        ep_t *ep = &n->eps[i];
        int64_t retrying = 0;
        for (const batch_t *b = ep->retry; b; b = b->next)
            retrying += (int64_t)b->n;
        duban_metric_set(ep->m.queued, (int64_t)ep->qlen);
        duban_metric_set(ep->m.retry_queue, retrying);
        duban_metric_set(ep->m.slots, n->fair.held[i]);
        duban_metric_set(ep->m.breaker_open, duban_webhook_breaker_is_open(&ep->brk, now));
        duban_metric_set(ep->m.is_disabled, ep->disabled);
    }
}

/* ---------------------------------------------------------------------------
 * life cycle
 * ------------------------------------------------------------------------- */
static duban_err_t init_http(notifier_t *n, char *errbuf, size_t errbuf_size)
{
    duban_webhook_http_opts_t o;
    long v;
    duban_webhook_http_opts_default(&o);
    if (duban_conf_int(n->conf, "notifier.max.inflight", &v, errbuf, errbuf_size))
        return DUBAN_E_INVAL;
    o.max_inflight = (int)v;
    if (duban_conf_int(n->conf, "notifier.http.threads", &v,
                            errbuf, errbuf_size))
        return DUBAN_E_INVAL;
    o.threads = n->http_threads = (int)v;
    o.allow_private = duban_conf_flag(n->conf, "notifier.allow.private");
    o.verify_tls = duban_conf_flag(n->conf, "notifier.tls.verify");
    o.ca_file = duban_conf_str(n->conf, "notifier.ca.file");
    if (o.allow_private)
        duban_warn("SAFETY", "notifier.allow.private=true: internal addresses are allowed");
    if (!o.verify_tls)
        duban_warn("SAFETY", "notifier.tls.verify=false: TLS certificates are not checked");
    return duban_webhook_http_new(&o, on_http_done, n, &n->http, errbuf, errbuf_size);
}

/* Fetches the producer's metadata of the outcome topics now: the first
 * outcome record would otherwise wait for it (hundreds of ms on the
 * embedded broker) while its request holds a slot. Best effort. */
static void prime_producer(notifier_t *n)
{
    rd_kafka_t *rk = duban_producer_handle(n->producer);
    const char *names[] = {DUBAN_TOPIC_DELIVERIES, DUBAN_TOPIC_DLQ};
    for (size_t i = 0; i < 2; i++) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_topic_t *t = rd_kafka_topic_new(rk, names[i], NULL);
        if (t && rd_kafka_metadata(rk, 0, t, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR)
            rd_kafka_metadata_destroy(md);
        if (t)
            rd_kafka_topic_destroy(t);
    }
}

duban_err_t notifier_new(duban_conf_t *conf, notifier_t **out, char *errbuf,
                         size_t errbuf_size)
{
    notifier_t *n = calloc(1, sizeof(*n));
    if (!n)
        return DUBAN_E_NOMEM;
    n->conf = conf;
    pthread_mutex_init(&n->eps_lock, NULL);
    notifier_ops_init(&n->ops);
    const char *routes = duban_conf_str(conf, "notifier.routes");
    /* alerts are few and urgent: do not let an empty fetch sit for 500 ms */
    if (!duban_conf_get(conf, "kafka.fetch.wait.max.ms", NULL))
        duban_conf_set(conf, "kafka.fetch.wait.max.ms", "10", NULL, 0);
    const char *topics[] = {DUBAN_TOPIC_ALERTS};
    duban_err_t err = routes ? DUBAN_OK
        : duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "notifier.routes: not set "
                       "(--set notifier.routes=FILE)");
    if (!err)
        err = duban_conf_int(conf, "notifier.max.pending", &n->max_pending,
                                  errbuf, errbuf_size);
    if (!err)
        err = duban_conf_int(conf, "notifier.commit.interval.ms",
                                  &n->commit_interval_ms, errbuf, errbuf_size);
    if (!err)
        err = duban_webhook_routes_load_file(routes, &n->routes, errbuf, errbuf_size);
    if (!err)
        err = init_http(n, errbuf, errbuf_size);
    if (!err)
        err = notifier_endpoints_init(n);
    if (!err)
        err = duban_topics_ensure_at_start(conf, errbuf, errbuf_size);
    if (!err)
        err = duban_serde_new(conf, &n->serde, errbuf, errbuf_size);
    if (!err)
        err = notifier_resume_new(conf, n->ep_count, notifier_endpoint_index, n, &n->resume, errbuf,
                                  errbuf_size);
    if (!err)
        err = duban_producer_new(conf, on_produced, n, &n->producer, errbuf, errbuf_size);
    if (!err)
        err = duban_consumer_new(conf, duban_conf_str(conf, "notifier.group"),
                                 topics, 1, on_rebalance, n, &n->consumer, errbuf, errbuf_size);
    if (!err)
        err = notifier_ops_start(&n->ops, conf, duban_consumer_handle(n->consumer), errbuf,
                                 errbuf_size);
    if (err) {
        notifier_destroy(n);
        return err;
    }
    prime_producer(n);
    duban_info("START", "%zu endpoints, max.inflight=%d, http.threads=%d", n->ep_count,
               duban_webhook_http_capacity(n->http), n->http_threads);
    *out = n;
    return DUBAN_OK;
}

/* An endpoint id as a logfmt value: quoted, " and \ escaped, control
 * characters replaced by '?'. */
static void quoted_id(const char *id, char *out, size_t size)
{
    size_t o = 0;
    out[o++] = '"';
    for (; *id && o + 4 < size; id++) {
        if (*id == '"' || *id == '\\')
            out[o++] = '\\';
        out[o++] = (unsigned char)*id < 0x20 ? '?' : *id;
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void log_stats(notifier_t *n)
{
    char kv[512];
    size_t queued = 0;
    for (size_t i = 0; i < n->ep_count; i++)
        queued += n->eps[i].qlen;
    snprintf(kv, sizeof(kv), "delivered=%" PRIu64 " retrying=%" PRIu64 " dead_lettered=%"
             PRIu64 " disabled=%" PRIu64 " requests=%" PRIu64 " digests=%" PRIu64
             " bad_input=%" PRIu64 " unknown_departments=%" PRIu64 " open_alerts=%ld queued=%zu"
             " resumed=%" PRIu64, n->delivered, n->retrying, n->dead, n->disabled, n->requests,
             n->digests, n->bad_input,
             n->unknown_before + duban_webhook_routes_unknown_count(n->routes),
             n->alerts_open, queued, n->resumed);
    DUBAN_LOG(DUBAN_LOG_INFO, "STATS", kv, "notifier");
    int64_t now = duban_now_ms();
    for (size_t i = 0; i < n->ep_count; i++) {
        const ep_t *ep = &n->eps[i];
        size_t retrying = 0;
        for (const batch_t *b = ep->retry; b; b = b->next)
            retrying += b->n;
        if (!ep->qlen && !retrying && !n->fair.held[i] && !ep->delivered && !ep->dead)
            continue;  /* an endpoint that has had nothing to do */
        char id[160];
        quoted_id(ep->id, id, sizeof(id));
        snprintf(kv, sizeof(kv), "endpoint=%s queued=%zu in_flight=%d delivered=%" PRIu64
                 " dead_lettered=%" PRIu64 " retrying=%zu oldest_queued_ms=%" PRId64,
                 id, ep->qlen, n->fair.held[i], ep->delivered, ep->dead, retrying,
                 ep->qhead ? now - ep->qhead->queued_at : 0);
        DUBAN_LOG(DUBAN_LOG_INFO, "STATS", kv, "endpoint");
    }
}

/* One turn: take in messages, send what may go, wait for the network. */
static void turn(notifier_t *n, bool intake_on)
{
    if (intake_on && duban_reload_take())
        notifier_reload_routes(n);   /* before intake: the next alert read uses it */
    int64_t now = duban_now_ms();
    /* while paused (over notifier.max.pending) one poll per turn still runs,
     * so the group does not evict us (max.poll.interval.ms); paused
     * partitions return nothing, so this only serves the group protocol */
    int budget = n->alerts_open < n->max_pending ? 500 : 1;
    for (int k = 0; intake_on && k < budget; k++) {
        rd_kafka_message_t *msg = duban_consumer_poll(n->consumer, 0);
        if (!msg)
            break;
        if (msg->err)
            rd_kafka_message_destroy(msg);
        else
            intake(n, msg);
    }
    if (intake_on) {
        flow_control(n);
        resume_step(n);
    }
    now = duban_now_ms();
    schedule(n, now);
    int wait = next_wake(n, now, 20);
    if (duban_webhook_http_inflight(n->http))
        duban_webhook_http_run(n->http, wait > 5 ? 5 : wait);
    else if (n->fair.total_held)  /* slots wait for acknowledgements: the next one wakes us */
        duban_producer_poll(n->producer, wait > 5 ? 5 : wait);
    else if (intake_on && n->alerts_open < n->max_pending) {
        rd_kafka_message_t *msg = duban_consumer_poll(n->consumer, wait);
        if (msg && !msg->err)
            intake(n, msg);
        else if (msg)
            rd_kafka_message_destroy(msg);
    } else if (wait > 0) {
        duban_webhook_http_run(n->http, 0);
        struct timespec ts = {0, (long)(wait > 5 ? 5 : wait) * 1000000L};
        nanosleep(&ts, NULL);
    }
    duban_producer_poll(n->producer, 0);
    now = duban_now_ms();
    if (now - n->last_commit >= n->commit_interval_ms) {
        commit_final(n, false);
        n->last_commit = now;
    }
    if (now - n->last_stats >= 5000) {
        log_stats(n);
        n->last_stats = now;
    }
    if (now - n->last_gauges >= 1000) {
        update_gauges(n, now);
        notifier_routes_sweep(n);
        n->last_gauges = now;
    }
}

duban_err_t notifier_run(notifier_t *n, char *errbuf, size_t errbuf_size)
{
    n->last_commit = n->last_stats = duban_now_ms();
    while (!duban_shutdown_requested())
        turn(n, true);
    notifier_resume_cancel(n->resume);   /* a build in progress ends meanwhile */
    duban_info("STOP", "shutting down: letting %d requests finish",
               duban_webhook_http_inflight(n->http));
    int64_t until = duban_now_ms() + 5000;
    while (duban_webhook_http_inflight(n->http) && duban_now_ms() < until)
        duban_webhook_http_run(n->http, 50);
    if (duban_producer_flush(n->producer, 30000, errbuf, errbuf_size))
        duban_error("STOP", "%s", errbuf);
    commit_final(n, true);
    /* a final commit refused (the group coordinator still being found after
     * the broker came back) is tried again for up to 10 s: otherwise the
     * alerts delivered since the last commit come again after a restart */
    for (int64_t until_c = duban_now_ms() + 10000; commits_pending(n) && duban_now_ms() < until_c;) {
        poll(NULL, 0, 250);
        commit_final(n, true);
    }
    if (commits_pending(n))
        duban_warn("STOP", "final commit not accepted: the alerts since the last commit "
                   "will be delivered again after a restart");
    log_stats(n);
    update_gauges(n, duban_now_ms());
    return DUBAN_OK;
}

static void free_batch(batch_t *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->jobs[i]);
    free(b->jobs);
    free(b);
}

void notifier_destroy(notifier_t *n)
{
    if (!n)
        return;
    duban_ops_http_stop(n->ops.http);     /* first: its health probe uses the consumer */
    n->ops.http = NULL;
    notifier_resume_destroy(n->resume);   /* its thread reads n->eps */
    n->resume = NULL;
    duban_webhook_http_destroy(n->http);  /* unfinished batches are leaked to exit */
    for (size_t i = 0; i < n->ep_count; i++) {
        ep_t *ep = &n->eps[i];
        while (ep->retry) {
            batch_t *b = ep->retry;
            ep->retry = b->next;
            free_batch(b);
        }
        while (ep->qhead) {
            job_t *j = ep->qhead;
            ep->qhead = j->next;
            free(j);
        }
    }
    notifier_endpoints_free(n);  /* ep_count 0: the consumer's close revokes none */
    duban_producer_destroy(n->producer);  /* last reports may release alerts */
    duban_webhook_fair_free(&n->fair);
    n->producer = NULL;
    while (n->open)
        alert_free(n, n->open);
    /* after the alerts: librdkafka's destroy waits for every message of
     * the consumer to be destroyed (open alerts hold theirs) */
    duban_consumer_destroy(n->consumer);
    for (int32_t p = 0; p < n->part_count; p++) {
        duban_webhook_offsets_free(&n->parts[p].offs);
        duban_webhook_delivered_destroy(n->parts[p].resume);
    }
    free(n->parts);
    duban_strlist_free(&n->warned);
    duban_producer_destroy(n->producer);
    duban_serde_destroy(n->serde);
    duban_webhook_routes_destroy(n->routes);
    notifier_ops_stop(&n->ops);   /* last: the consumer's close updates metrics */
    pthread_mutex_destroy(&n->eps_lock);
    free(n);
}
