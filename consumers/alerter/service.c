/* consumers/alerter/service.c: duban-alerter as a Kafka service.
 *
 * Consumes duban.tasks.v1 and duban.task-status.v1 in one consumer group
 * (librdkafka's default assignor, range, keeps partition p of both
 * co-partitioned topics on one member; keep it first if you change it). State is per partition: when p is assigned, an engine is rebuilt
 * from the partition's history with a separate, group-less reader: first
 * duban.alerts.v1 [p] (alert ids already sent), then tasks [p] and status [p]
 * merged by message timestamp (ties: tasks first), dead-lettering bad input
 * the group has not processed before (at or after its committed offsets).
 * The group consumer then starts right after what the rebuild read. Alerts
 * that came due and were not sent fire at once (late when past
 * alerter.late.after.ms). Alerts go
 * to duban.alerts.v1 partition p, keyed by task_id. A message that cannot be
 * decoded or applied goes to duban.dlq.v1 (reason in headers) and the worker
 * goes on (a message is dead-lettered twice only when a commit was lost). */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "dlq.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "prog.h"
#include "serde.h"
#include "serde_task_event.h"
#include "topics.h"

#define REBUILD_WAIT_MS 10000
/* How long alerts in flight may take to reach the broker: per revoke while
 * running, and for the whole drain (every revoke and the last flush) once
 * SIGTERM asked it to stop, so that a broker that went away first cannot
 * hold the exit for a flush per partition. */
#define FLUSH_WAIT_MS 10000

typedef struct {
    duban_alerter_t *a;        /* NULL: not ours */
    int64_t next[2];           /* next offsets of tasks [p], status [p] */
    int64_t committed[2];
} part_t;

typedef struct {
    alerter_opts_t *o;
    duban_serde_t *serde;
    duban_task_event_t ev;     /* the message being applied (one per thread) */
    duban_producer_t *producer;
    duban_consumer_t *consumer;
    rd_kafka_t *reader;
    part_t *parts;
    int nparts;
    int32_t cur;               /* partition whose alerts are being emitted */
    int64_t now;               /* clock of the current step */
    uint64_t emitted, late, dead_lettered;
    int64_t max_lateness;
    alerter_ops_t *ops;        /* metrics (shared by the rebuild threads) */
    int64_t drain_until;       /* 0 while running; then the drain's deadline */
} svc_t;

static const char *const in_topics[2] = {DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS};

/* How long the next flush may wait: FLUSH_WAIT_MS while running, what is
 * left of the drain once stopping. */
static int flush_wait_ms(const svc_t *s)
{
    if (!s->drain_until)
        return FLUSH_WAIT_MS;
    int64_t left = s->drain_until - duban_now_ms();
    return left > 0 ? (int)left : 0;
}

/* ---- producing ---- */

static duban_err_t emit_alert(const json_t *alert, const char *task_id, void *opaque)
{
    svc_t *s = opaque;
    char err[512];
    void *buf = NULL;
    size_t len = 0;
    duban_err_t e = duban_serde_encode(s->serde, DUBAN_EV_DEADLINE_ALERT, DUBAN_TOPIC_ALERTS,
                                       alert, &buf, &len, err, sizeof(err));
    if (!e)
        e = duban_producer_send(s->producer, DUBAN_TOPIC_ALERTS, s->cur, task_id,
                                strlen(task_id), buf, len, NULL, 0, NULL, err, sizeof(err));
    free(buf);
    if (e) {
        duban_metric_add(s->ops->produce_errors, 1);
        duban_error("ALERT", "cannot produce an alert for %s: %s", task_id, err);
        return e;
    }
    alerter_ops_alert(s->ops, alert);
    int64_t fire_at = 0;
    const char *fire = json_string_value(json_object_get(alert, ALERT_KEY(FIRE_AT, TIMESTAMP)));
    duban_instant_parse(fire, &fire_at);
    int64_t lateness = s->now - fire_at;
    if (lateness > s->max_lateness)
        s->max_lateness = lateness;
    s->late += json_is_true(json_object_get(alert, ALERT_KEY(LATE, BOOLEAN)));
    s->emitted++;
    duban_debug("ALERT", "%s %s %s", task_id,
                json_string_value(json_object_get(alert, ALERT_KEY(KIND, ENUM))), fire);
    return DUBAN_OK;
}

static void dead_letter(svc_t *s, const rd_kafka_message_t *msg, const char *reason)
{
    char err[512];
    duban_dlq_origin_t origin;
    duban_dlq_origin_from(msg, &origin);
    char kv[160];
    snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld", origin.topic, (int)origin.partition,
             (long long)origin.offset);
    DUBAN_LOG(DUBAN_LOG_WARN, "DLQ", kv, "%s", reason);
    if (duban_dlq_send(s->producer, s->serde, &origin, reason, "duban-alerter", NULL, err,
                       sizeof(err))) {
        duban_metric_add(s->ops->produce_errors, 1);
        duban_error("DLQ", "cannot dead-letter: %s", err);
    } else {
        s->dead_lettered++;
        duban_metric_add(s->ops->dlq_out, 1);
    }
}

/* ---- applying one message ---- */

/* Decodes (straight from Avro into s->ev) and applies; on failure fills
 * reason and returns the error. */
static duban_err_t apply_message(svc_t *s, duban_alerter_t *a, const rd_kafka_message_t *msg,
                                 char *reason, size_t size)
{
    duban_err_t err = duban_serde_decode_task(s->serde, msg->payload, msg->len, &s->ev,
                                              reason, size);
    if (err == DUBAN_OK)
        err = duban_alerter_apply_event(a, &s->ev, s->now, emit_alert, s, reason, size);
    return err;
}

/* ---- rebuilding partitions ---- */

/* One partition of one topic, read from its start to the end it had when
 * the reader got there (partition EOF). */
typedef struct {
    rd_kafka_queue_t *q;
    int64_t next;           /* offset after the last message read */
    bool at_end;
    rd_kafka_message_t *head;
} stream_t;

typedef struct {
    int32_t p;
    stream_t sent, in[2];
    int64_t seen[2];        /* the group's committed offsets */
    duban_alerter_t *a;
    size_t nsent, nevents;
    int64_t t0;
    bool done;
} rebuild_t;

static void stream_open(svc_t *s, const char *topic, int32_t p, stream_t *st,
                        rd_kafka_topic_partition_list_t *assign)
{
    memset(st, 0, sizeof(*st));
    st->q = rd_kafka_queue_get_partition(s->reader, topic, p);
    if (st->q)
        rd_kafka_queue_forward(st->q, NULL);
    rd_kafka_topic_partition_list_add(assign, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
}

/* The next message of a stream (borrowed in st->head), NULL at its end;
 * DUBAN_E_AGAIN when none has arrived yet. */
static duban_err_t stream_peek(stream_t *st, const rd_kafka_message_t **out)
{
    *out = NULL;
    while (!st->head && !st->at_end) {
        rd_kafka_message_t *m = st->q ? rd_kafka_consume_queue(st->q, 0) : NULL;
        if (!m)
            return st->q ? DUBAN_E_AGAIN : DUBAN_E_KAFKA;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            st->at_end = true;
            st->next = m->offset;
        } else if (m->err) {
            duban_warn("REBUILD", "%s", rd_kafka_message_errstr(m));
        } else {
            st->head = m;
            continue;
        }
        rd_kafka_message_destroy(m);
    }
    *out = st->head;
    return DUBAN_OK;
}

static void stream_pop(stream_t *st)
{
    st->next = st->head->offset + 1;
    rd_kafka_message_destroy(st->head);
    st->head = NULL;
}

static void stream_close(stream_t *st)
{
    if (st->head)
        rd_kafka_message_destroy(st->head);
    if (st->q)
        rd_kafka_queue_destroy(st->q);
    memset(st, 0, sizeof(*st));
}

static duban_err_t read_sent(svc_t *s, rebuild_t *rb, int *progress)
{
    const rd_kafka_message_t *m;
    duban_err_t err;
    while ((err = stream_peek(&rb->sent, &m)) == DUBAN_OK && m) {
        (*progress)++;
        char reason[256];
        if (duban_serde_decode_task(s->serde, m->payload, m->len, &s->ev, reason,
                                    sizeof(reason)) == DUBAN_OK &&
            s->ev.type == DUBAN_EV_DEADLINE_ALERT) {
            duban_alerter_mark_sent(rb->a, s->ev.alert_id);
            rb->nsent++;
        }
        stream_pop(&rb->sent);
    }
    return err;
}

/* Replays tasks [p] and status [p] by timestamp (ties: tasks first). Bad
 * input at or after the group's committed offsets (never seen before) is
 * dead-lettered; before them it was dead-lettered when first consumed. */
static duban_err_t replay_inputs(svc_t *s, rebuild_t *rb, int *progress)
{
    for (;;) {
        const rd_kafka_message_t *m[2];
        duban_err_t err = stream_peek(&rb->in[0], &m[0]);
        if (!err)
            err = stream_peek(&rb->in[1], &m[1]);
        if (err)
            return err;
        if (!m[0] && !m[1])
            return DUBAN_OK;
        int k = !m[0] ? 1
                : !m[1] ? 0
                        : rd_kafka_message_timestamp(m[1], NULL) <
                              rd_kafka_message_timestamp(m[0], NULL);
        char reason[512];
        s->now = alerter_clock(s->o);
        err = apply_message(s, rb->a, m[k], reason, sizeof(reason));
        if (err == DUBAN_E_KAFKA)   /* could not produce an alert: try again later */
            return err;
        if (err && m[k]->offset >= rb->seen[k])
            dead_letter(s, m[k], reason);
        stream_pop(&rb->in[k]);
        duban_metric_add(s->ops->rebuild_in[k], 1);
        rb->nevents++;
        (*progress)++;
    }
}

/* The group's committed offsets of tasks and status for each partition:
 * what the group has processed (and dead-lettered) before; 0 when none. */
static duban_err_t committed(svc_t *s, rebuild_t *rb, int n)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(2 * n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < 2; i++)
            rd_kafka_topic_partition_list_add(l, in_topics[i], rb[j].p);
    rd_kafka_resp_err_t rerr =
        rd_kafka_committed(duban_consumer_handle(s->consumer), l, REBUILD_WAIT_MS);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < 2; i++) {
            rd_kafka_topic_partition_t *e = &l->elems[2 * j + i];
            rb[j].seen[i] = rerr || e->err || e->offset < 0 ? 0 : e->offset;
        }
    rd_kafka_topic_partition_list_destroy(l);
    if (rerr)
        duban_error("REBUILD", "committed offsets: %s", rd_kafka_err2str(rerr));
    return rerr ? DUBAN_E_KAFKA : DUBAN_OK;
}

static part_t *part_of(svc_t *s, int32_t p)
{
    if (p >= s->nparts) {
        part_t *parts = realloc(s->parts, (size_t)(p + 1) * sizeof(part_t));
        if (!parts)
            return NULL;
        memset(parts + s->nparts, 0, (size_t)(p + 1 - s->nparts) * sizeof(part_t));
        s->parts = parts;
        s->nparts = p + 1;
    }
    return &s->parts[p];
}

/* Moves a partition's rebuild on with the messages that have arrived:
 * DUBAN_OK when it is complete (its engine is then the partition's),
 * DUBAN_E_AGAIN when it waits for more, another error when it failed. */
static duban_err_t rebuild_step(svc_t *s, rebuild_t *rb, int *progress)
{
    char err[512];
    if (!rb->a && duban_alerter_new(&s->o->ac, &rb->a, err, sizeof(err))) {
        duban_error("REBUILD", "%s", err);
        return DUBAN_E_NOMEM;
    }
    s->cur = rb->p;
    duban_err_t e = read_sent(s, rb, progress);   /* every sent id first */
    if (!e)
        e = replay_inputs(s, rb, progress);
    if (e)
        return e;
    part_t *pt = part_of(s, rb->p);
    if (!pt)
        return DUBAN_E_NOMEM;
    pt->a = rb->a;
    rb->a = NULL;
    for (int i = 0; i < 2; i++) {
        pt->next[i] = rb->in[i].next;
        pt->committed[i] = -1;
    }
    duban_alerter_stats_t st;
    duban_alerter_stats(pt->a, &st);
    duban_info("REBUILD", "partition %d ready in %lld ms: %zu alerts already sent, %zu events "
               "replayed, %zu tasks, %zu pending", (int)rb->p,
               (long long)(duban_now_ms() - rb->t0), rb->nsent, rb->nevents, st.tasks,
               st.pending);
    return DUBAN_OK;
}

/* Steps every partition with what has arrived, round robin, until all are
 * complete; gives up when nothing arrives for REBUILD_WAIT_MS. Returns how
 * many partitions failed. */
static int rebuild_all(svc_t *s, rebuild_t *rb, int m)
{
    int remaining = m, failed = 0;
    int64_t last = duban_now_ms();
    while (remaining > 0 && !duban_shutdown_requested()) {
        int progress = 0;
        for (int j = 0; j < m; j++) {
            if (rb[j].done)
                continue;
            duban_err_t e = rebuild_step(s, &rb[j], &progress);
            if (e == DUBAN_E_AGAIN)
                continue;
            if (e != DUBAN_OK) {
                duban_error("REBUILD", "partition %d failed: %s", (int)rb[j].p,
                            duban_err_str(e));
                failed++;
            }
            rb[j].done = true;
            remaining--;
        }
        if (progress) {
            last = duban_now_ms();
        } else if (duban_now_ms() - last > REBUILD_WAIT_MS) {
            duban_error("REBUILD", "%d partitions got no data for %d ms", remaining,
                        REBUILD_WAIT_MS);
            return failed + remaining;
        } else {
            duban_producer_poll(s->producer, 1);   /* nothing arrived: wait a little */
        }
    }
    return failed + remaining;
}

/* A rebuild thread: a copy of the service with its own serde (serdes are
 * one per thread), a slice of the partitions, and its own counters. */
typedef struct {
    svc_t s;
    rebuild_t *rb;
    int m, failed;
    pthread_t tid;
} worker_t;

static void *rebuild_worker(void *arg)
{
    worker_t *w = arg;
    w->failed = rebuild_all(&w->s, w->rb, w->m);
    return NULL;
}

/* Splits the partitions over alerter.rebuild.threads threads (decoding the
 * history is most of the work). Partition state is pre-allocated so the
 * threads only write their own partitions' slots. */
static int rebuild_parallel(svc_t *s, rebuild_t *rb, int m)
{
    long nt = 2;
    char err[256];
    duban_conf_int(s->o->conf, "alerter.rebuild.threads", &nt, err, sizeof(err));
    int32_t maxp = 0;
    for (int j = 0; j < m; j++)
        maxp = rb[j].p > maxp ? rb[j].p : maxp;
    worker_t *w = nt > 1 && m > 1 && part_of(s, maxp) ? calloc((size_t)nt, sizeof(*w)) : NULL;
    if (!w)
        return rebuild_all(s, rb, m);
    int started = 0, failed = 0;
    for (int k = 0; k < nt; k++) {
        w[k].s = *s;
        duban_task_event_init(&w[k].s.ev);   /* its own */
        w[k].s.emitted = w[k].s.late = w[k].s.dead_lettered = 0;
        w[k].s.max_lateness = 0;
        w[k].rb = rb + (size_t)m * k / nt;
        w[k].m = (int)((size_t)m * (k + 1) / nt - (size_t)m * k / nt);
        if (duban_serde_new(s->o->conf, &w[k].s.serde, err, sizeof(err)) ||
            pthread_create(&w[k].tid, NULL, rebuild_worker, &w[k])) {
            duban_serde_destroy(w[k].s.serde);
            w[k].s.serde = NULL;
            failed += rebuild_all(s, w[k].rb, w[k].m);   /* this slice here */
            continue;
        }
        started++;
    }
    for (int k = 0; k < nt; k++) {
        if (!w[k].s.serde)
            continue;
        pthread_join(w[k].tid, NULL);
        duban_serde_destroy(w[k].s.serde);
        duban_task_event_free(&w[k].s.ev);
        failed += w[k].failed;
        s->emitted += w[k].s.emitted;
        s->late += w[k].s.late;
        s->dead_lettered += w[k].s.dead_lettered;
        if (w[k].s.max_lateness > s->max_lateness)
            s->max_lateness = w[k].s.max_lateness;
    }
    (void)started;
    free(w);
    return failed;
}

/* Rebuilds partitions ps[0..n) (those not built yet) from their history
 * with one group-less reader for all of them, so the broker streams every
 * partition at once; returns how many failed. */
static int rebuild_once(svc_t *s, const int32_t *ps, int n)
{
    rebuild_t *rb = calloc((size_t)n, sizeof(rebuild_t));
    rd_kafka_topic_partition_list_t *assign = rd_kafka_topic_partition_list_new(3 * n);
    int m = 0, failed = 0;
    for (int j = 0; j < n; j++)
        if (rb && (ps[j] >= s->nparts || !s->parts[ps[j]].a))
            rb[m++].p = ps[j];
    if (!rb || (m && committed(s, rb, m))) {
        failed = n;
        m = 0;
    }
    for (int j = 0; j < m; j++) {
        stream_open(s, DUBAN_TOPIC_ALERTS, rb[j].p, &rb[j].sent, assign);
        for (int i = 0; i < 2; i++)
            stream_open(s, in_topics[i], rb[j].p, &rb[j].in[i], assign);
    }
    if (m && rd_kafka_assign(s->reader, assign)) {
        failed = m;
        m = 0;
    }
    for (int j = 0; j < m; j++)
        rb[j].t0 = duban_now_ms();
    if (m)
        failed += rebuild_parallel(s, rb, m);
    for (int j = 0; rb && j < n; j++) {
        duban_alerter_destroy(rb[j].a);
        stream_close(&rb[j].sent);
        stream_close(&rb[j].in[0]);
        stream_close(&rb[j].in[1]);
    }
    rd_kafka_assign(s->reader, NULL);
    rd_kafka_topic_partition_list_destroy(assign);
    free(rb);
    return failed;
}

/* Retries until every partition is built or shutdown is requested. */
static void rebuild(svc_t *s, const int32_t *ps, int n)
{
    int64_t t0 = duban_now_ms();
    duban_metric_set(s->ops->rebuilding, 1);
    while (rebuild_once(s, ps, n) > 0 && !duban_shutdown_requested())
        duban_producer_poll(s->producer, 1000);
    duban_metric_set(s->ops->rebuild_seconds, duban_now_ms() - t0);
    duban_metric_set(s->ops->rebuilding, 0);
    duban_info("REBUILD", "%d partitions rebuilt in %lld ms", n,
               (long long)(duban_now_ms() - t0));
    malloc_trim(0);   /* give back what decoding the history used */
}

/* ---- group membership ---- */

static void commit_part(svc_t *s, int32_t p, bool sync)
{
    part_t *pt = &s->parts[p];
    for (int i = 0; i < 2; i++) {
        char err[256];
        if (pt->next[i] <= pt->committed[i])
            continue;
        if (duban_consumer_commit(s->consumer, in_topics[i], p, pt->next[i], sync, err,
                                  sizeof(err)) == DUBAN_OK)
            pt->committed[i] = pt->next[i];
        else
            duban_debug("COMMIT", "%s", err);
    }
}

static void on_rebalance(duban_consumer_t *c, bool assigned,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    svc_t *s = opaque;
    (void)c;
    /* The list is the one librdkafka assigns next: start each input
     * partition right after what the rebuild read. */
    rd_kafka_topic_partition_list_t *l = parts;
    int32_t *ps = calloc((size_t)l->cnt + 1, sizeof(int32_t));
    int n = 0;
    for (int i = 0; ps && i < l->cnt; i++) {
        int32_t p = l->elems[i].partition;
        bool dup = false;
        for (int j = 0; j < n; j++)
            dup = dup || ps[j] == p;
        if (!dup)
            ps[n++] = p;
    }
    if (assigned && n)
        rebuild(s, ps, n);
    for (int i = 0; i < l->cnt; i++) {
        int32_t p = l->elems[i].partition;
        int t = strcmp(l->elems[i].topic, DUBAN_TOPIC_TASKS) == 0 ? 0 : 1;
        if (p >= s->nparts || !s->parts[p].a)
            continue;
        if (assigned) {
            l->elems[i].offset = s->parts[p].next[t];
        } else {
            char err[256];
            if (duban_producer_flush(s->producer, flush_wait_ms(s), err, sizeof(err)))
                duban_error("REVOKE", "alerts of partition %d: %s", (int)p, err);
            commit_part(s, p, true);
            duban_alerter_destroy(s->parts[p].a);
            s->parts[p].a = NULL;
        }
    }
    if (!assigned)
        duban_info("REVOKE", "%d partitions released", n);
    free(ps);
    int owned = 0;
    for (int p = 0; p < s->nparts; p++)
        owned += s->parts[p].a != NULL;
    duban_metric_set(s->ops->assigned, owned);
}

/* ---- main loop ---- */

static void handle_message(svc_t *s, const rd_kafka_message_t *msg)
{
    int32_t p = msg->partition;
    const char *topic = rd_kafka_topic_name(msg->rkt);
    int t = strcmp(topic, DUBAN_TOPIC_TASKS) == 0 ? 0 : 1;
    if (p >= s->nparts || !s->parts[p].a) {
        duban_warn("CONSUME", "message for unowned partition %s [%d]", topic, (int)p);
        return;
    }
    char reason[512];
    s->cur = p;
    s->now = alerter_clock(s->o);
    duban_metric_add(s->ops->in[t], 1);
    duban_err_t err = apply_message(s, s->parts[p].a, msg, reason, sizeof(reason));
    while (err == DUBAN_E_KAFKA && !duban_shutdown_requested()) {
        duban_producer_poll(s->producer, 1000);   /* producing failed: wait, retry */
        s->now = alerter_clock(s->o);
        err = apply_message(s, s->parts[p].a, msg, reason, sizeof(reason));
    }
    if (err && err != DUBAN_E_KAFKA)
        dead_letter(s, msg, reason);
    s->parts[p].next[t] = msg->offset + 1;
}

static void advance_all(svc_t *s)
{
    s->now = alerter_clock(s->o);
    for (int p = 0; p < s->nparts; p++) {
        if (!s->parts[p].a)
            continue;
        s->cur = p;
        duban_alerter_advance(s->parts[p].a, s->now, emit_alert, s);
    }
}

/* The gauges: consumer lag per owned input partition (the high watermark
 * librdkafka last saw, minus the next offset to process) and the engines'
 * sizes. */
static void update_gauges(svc_t *s)
{
    rd_kafka_t *rk = duban_consumer_handle(s->consumer);
    size_t tasks = 0, pending = 0, deferred = 0;
    for (int p = 0; p < s->nparts; p++) {
        if (!s->parts[p].a)
            continue;
        for (int t = 0; t < 2; t++) {
            int64_t lo, hi;
            if (!rd_kafka_get_watermark_offsets(rk, in_topics[t], p, &lo, &hi) && hi >= 0)
                alerter_ops_lag(s->ops, in_topics[t], p, hi - s->parts[p].next[t]);
        }
        duban_alerter_stats_t st;
        duban_alerter_stats(s->parts[p].a, &st);
        tasks += st.tasks;
        pending += st.pending;
        deferred += st.deferred;
    }
    duban_metric_set(s->ops->tasks, (int64_t)tasks);
    duban_metric_set(s->ops->pending, (int64_t)pending);
    duban_metric_set(s->ops->deferred, (int64_t)deferred);
}

static int poll_timeout(svc_t *s, long tick)
{
    int64_t next = INT64_MAX;
    for (int p = 0; p < s->nparts; p++)
        if (s->parts[p].a && duban_alerter_next_at(s->parts[p].a) < next)
            next = duban_alerter_next_at(s->parts[p].a);
    int64_t wait = tick;
    if (next != INT64_MAX && !duban_sim_clock_simulated(&s->o->clock) && next - alerter_clock(s->o) < wait)
        wait = next - alerter_clock(s->o);
    return wait < 0 ? 0 : (int)wait;
}

static void run_loop(svc_t *s, long tick)
{
    int64_t last_commit = duban_now_ms(), last_advance = 0;
    while (!duban_shutdown_requested()) {
        rd_kafka_message_t *msg = duban_consumer_poll(s->consumer, poll_timeout(s, tick));
        if (msg) {
            if (!msg->err)
                handle_message(s, msg);
            rd_kafka_message_destroy(msg);
        }
        /* Move the clock when caught up (or at least every second): a
         * backlog is read first, so its status changes count. */
        if (!msg || duban_now_ms() - last_advance >= 1000) {
            advance_all(s);
            last_advance = duban_now_ms();
        }
        duban_producer_poll(s->producer, 0);
        if (duban_reload_take())
            alerter_depts_reload(s->o, s->ops);   /* no rebuild runs here */
        if (duban_now_ms() - last_commit >= 1000) {
            for (int p = 0; p < s->nparts; p++)
                if (s->parts[p].a)
                    commit_part(s, p, false);
            update_gauges(s);
            last_commit = duban_now_ms();
        }
    }
}

static duban_err_t open_reader(svc_t *s, char *err, size_t size)
{
    rd_kafka_conf_t *rc;
    char rerr[256], group[256];
    duban_err_t e = duban_kafka_conf_from(s->o->conf, &rc, err, size);
    if (e)
        return e;
    snprintf(group, sizeof(group), "%s.rebuild",
             duban_conf_str(s->o->conf, "alerter.group"));
    if (rd_kafka_conf_set(rc, "group.id", group, rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.auto.commit", "false", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.partition.eof", "true", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "fetch.wait.max.ms", "5", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "fetch.error.backoff.ms", "5", rerr, sizeof(rerr)) ||
        !(s->reader = rd_kafka_new(RD_KAFKA_CONSUMER, rc, rerr, sizeof(rerr))))
        return duban_seterr(err, size, DUBAN_E_KAFKA, "rebuild reader: %s", rerr);
    rd_kafka_poll_set_consumer(s->reader);
    return DUBAN_OK;
}

static duban_err_t open_all(svc_t *s, char *err, size_t size)
{
    duban_conf_t *conf = s->o->conf;
    duban_err_t e = duban_topics_ensure_at_start(conf, err, size);
    if (!e)
        e = duban_serde_new(conf, &s->serde, err, size);
    if (!e)
        e = duban_producer_new(conf, NULL, NULL, &s->producer, err, size);
    if (!e)
        e = open_reader(s, err, size);
    if (!e)
        e = duban_consumer_new(conf, duban_conf_str(conf, "alerter.group"),
                               in_topics, 2, on_rebalance, s, &s->consumer, err, size);
    return e;
}

int alerter_service_run(alerter_opts_t *o)
{
    alerter_ops_t ops;
    alerter_ops_init(&ops);
    svc_t s = {.o = o, .ops = &ops};
    duban_task_event_init(&s.ev);
    char err[512];
    long tick;
    duban_shutdown_install();
    duban_reload_install();   /* SIGHUP: the department directory is read again */
    if (duban_conf_int(o->conf, "alerter.tick.ms", &tick, err, sizeof(err)) ||
        open_all(&s, err, sizeof(err)) ||
        alerter_ops_start(&ops, o->conf, duban_consumer_handle(s.consumer), err,
                          sizeof(err))) {
        fprintf(stderr, "duban-alerter: %s\n", err);
        duban_consumer_destroy(s.consumer);
        s.consumer = NULL;
    } else {
        char now[32];
        duban_info("START", "clock %s", duban_instant_format(alerter_clock(o), now));
        run_loop(&s, tick);
    }
    int rc = s.consumer ? 0 : 1;
    s.drain_until = duban_now_ms() + FLUSH_WAIT_MS;
    duban_ops_http_stop(ops.http);        /* its health probe uses the consumer */
    ops.http = NULL;
    duban_consumer_destroy(s.consumer);   /* revokes: flushes and commits */
    if (s.producer && duban_producer_flush(s.producer, flush_wait_ms(&s), err, sizeof(err)))
        duban_error("STOP", "drain of %d ms: %s; alerts the broker did not take fire "
                    "again after a restart (its rebuild does not find them on %s)",
                    FLUSH_WAIT_MS, err, DUBAN_TOPIC_ALERTS);
    for (int p = 0; p < s.nparts; p++)
        duban_alerter_destroy(s.parts[p].a);
    free(s.parts);
    duban_producer_destroy_within(s.producer, 0);   /* flushed above */
    if (s.reader) {
        rd_kafka_consumer_close(s.reader);
        rd_kafka_destroy(s.reader);
    }
    duban_serde_destroy(s.serde);
    duban_task_event_free(&s.ev);
    duban_info("STOP", "emitted=%llu late=%llu max_lateness_ms=%lld dead_lettered=%llu",
               (unsigned long long)s.emitted, (unsigned long long)s.late,
               (long long)s.max_lateness, (unsigned long long)s.dead_lettered);
    alerter_ops_stop(&ops);
    return rc;
}
