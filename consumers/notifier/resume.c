/* consumers/notifier/resume.c: the delivered sets, rebuilt from
 * duban.alerts.v1 and duban.deliveries.v1 (see resume.h). */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "avsc_gen.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "resume.h"
#include "serde.h"
#include "serde_task_event.h"
#include "task_event.h"

/* A DeliveryAttempt key as schemas/DeliveryAttempt.avsc names it, of kind k
 * there: a renamed or retyped field stops this file compiling (avsc.h). */
#define DELIVERY_KEY DUBAN_AVSC_DELIVERY_ATTEMPT_KEY

struct notifier_resume_s {
    rd_kafka_t *rk;
    duban_serde_t *serde;
    long margin_ms, timeout_ms, wait_ms;
    atomic_size_t endpoints;  /* grows on a routing reload (notifier's thread) */
    notifier_endpoint_index_cb *index;
    void *index_opaque;
    duban_task_event_t ev;
    atomic_bool cancel;        /* the build in progress stops */
    pthread_t thread;
    bool started;              /* the thread runs */
    pthread_mutex_t lock;      /* the fields below */
    pthread_cond_t wake;
    bool stop;
    bool busy;                 /* a build started, its result not taken */
    bool have_request, have_result;
    int32_t *request;
    int request_n;
    notifier_resume_result_t result;
};

/* One partition's offsets [from, end) to read; `next` follows the reading.
 * In a probe (one message each), found/found_ts say what was there. */
typedef struct {
    int32_t partition;
    int64_t from, end, next;
    int64_t found, found_ts;   /* -1: nothing (end of the partition) */
    bool done;
} range_t;

typedef void (range_msg_cb)(const rd_kafka_message_t *m, range_t *rg, void *opaque);

static void *resume_thread(void *opaque);

duban_err_t notifier_resume_new(duban_conf_t *conf, size_t endpoints,
                                notifier_endpoint_index_cb *index, void *index_opaque,
                                notifier_resume_t **out, char *errbuf, size_t errbuf_size)
{
    notifier_resume_t *r = calloc(1, sizeof(*r));
    rd_kafka_conf_t *rc = NULL;
    char rerr[256], wait[32];
    if (!r)
        return DUBAN_E_NOMEM;
    atomic_init(&r->endpoints, endpoints);
    r->index = index;
    r->index_opaque = index_opaque;
    atomic_init(&r->cancel, false);
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    duban_task_event_init(&r->ev);
    duban_err_t err = duban_conf_int(conf, "notifier.resume.margin.ms",
                                          &r->margin_ms, errbuf, errbuf_size);
    if (!err)
        err = duban_conf_int(conf, "notifier.resume.timeout.ms", &r->timeout_ms,
                                  errbuf, errbuf_size);
    if (!err)
        err = duban_conf_int(conf, "notifier.resume.wait.ms", &r->wait_ms,
                                  errbuf, errbuf_size);
    if (!err && r->wait_ms < 100)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                           "notifier.resume.wait.ms: at least 100");
    if (!err)
        err = duban_serde_new(conf, &r->serde, errbuf, errbuf_size);  /* one per thread */
    if (!err)
        err = duban_kafka_conf_from(conf, &rc, errbuf, errbuf_size);
    if (err) {
        notifier_resume_destroy(r);
        return err;
    }
    /* A request to a broker that died waits socket.timeout.ms (60 s by
     * default) before it fails; the leader has moved long before. */
    snprintf(wait, sizeof(wait), "%ld", r->wait_ms);
    duban_kafka_conf_log_to_duban(rc);
    /* the group's id, for its committed offsets; the reader only assigns,
     * so it never joins the group nor commits */
    if (rd_kafka_conf_set(rc, "group.id", duban_conf_str(conf, "notifier.group"),
                          rerr, sizeof(rerr)) ||
        (!duban_conf_get(conf, "kafka.socket.timeout.ms", NULL) &&
         rd_kafka_conf_set(rc, "socket.timeout.ms", wait, rerr, sizeof(rerr))) ||
        rd_kafka_conf_set(rc, "enable.auto.commit", "false", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.auto.offset.store", "false", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.partition.eof", "true", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "auto.offset.reset", "earliest", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "fetch.wait.max.ms", "5", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "fetch.error.backoff.ms", "5", rerr, sizeof(rerr)) ||
        !(r->rk = rd_kafka_new(RD_KAFKA_CONSUMER, rc, rerr, sizeof(rerr)))) {
        rd_kafka_conf_destroy(rc);
        notifier_resume_destroy(r);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "resume reader: %s", rerr);
    }
    rd_kafka_poll_set_consumer(r->rk);
    if (pthread_create(&r->thread, NULL, resume_thread, r)) {
        notifier_resume_destroy(r);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "resume thread not started");
    }
    r->started = true;
    *out = r;
    return DUBAN_OK;
}

static void result_free(notifier_resume_result_t *res)
{
    for (int i = 0; res->parts && i < res->n; i++)
        duban_webhook_delivered_destroy(res->parts[i].set);
    free(res->parts);
    res->parts = NULL;
    res->n = 0;
}

void notifier_resume_set_endpoints(notifier_resume_t *r, size_t endpoints)
{
    if (r)
        atomic_store(&r->endpoints, endpoints);
}

void notifier_resume_destroy(notifier_resume_t *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->lock);
        r->stop = true;
        atomic_store(&r->cancel, true);
        pthread_cond_signal(&r->wake);
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    if (r->rk) {
        rd_kafka_consumer_close(r->rk);
        rd_kafka_destroy(r->rk);
    }
    free(r->request);
    result_free(&r->result);
    duban_serde_destroy(r->serde);
    duban_task_event_free(&r->ev);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

bool notifier_resume_start(notifier_resume_t *r, const int32_t *partitions, int n)
{
    int32_t *copy = malloc(((size_t)n + 1) * sizeof(*copy));
    if (!copy)
        return false;
    memcpy(copy, partitions, (size_t)n * sizeof(*copy));
    pthread_mutex_lock(&r->lock);
    bool ok = !r->busy;
    if (ok) {
        r->busy = r->have_request = true;
        r->request = copy;
        r->request_n = n;
        atomic_store(&r->cancel, false);
        pthread_cond_signal(&r->wake);
    }
    pthread_mutex_unlock(&r->lock);
    if (!ok)
        free(copy);
    return ok;
}

void notifier_resume_cancel(notifier_resume_t *r)
{
    atomic_store(&r->cancel, true);
}

bool notifier_resume_busy(notifier_resume_t *r)
{
    pthread_mutex_lock(&r->lock);
    bool busy = r->busy;
    pthread_mutex_unlock(&r->lock);
    return busy;
}

bool notifier_resume_take(notifier_resume_t *r, notifier_resume_result_t *out)
{
    pthread_mutex_lock(&r->lock);
    bool have = r->have_result;
    if (have) {
        *out = r->result;
        memset(&r->result, 0, sizeof(r->result));
        r->have_result = r->busy = false;
    }
    pthread_mutex_unlock(&r->lock);
    return have;
}

static bool cancelled(notifier_resume_t *r) { return atomic_load(&r->cancel); }

/* The wait for one blocking call: what is left until the deadline, at most
 * notifier.resume.wait.ms, at least 1 ms. */
static int call_wait(const notifier_resume_t *r, int64_t deadline)
{
    int64_t left = deadline - duban_now_ms();
    if (left > r->wait_ms)
        left = r->wait_ms;
    return left < 1 ? 1 : (int)left;
}

/* ---------------------------------------------------------------------------
 * reading ranges of partitions
 * ------------------------------------------------------------------------- */
static range_t *range_of(range_t *rs, size_t n, int32_t partition)
{
    for (size_t k = 0; k < n; k++)
        if (rs[k].partition == partition)
            return &rs[k];
    return NULL;
}

/* Reads every range of `topic` at once, in offset order per partition,
 * giving each message to cb, until each range reached its end (or, with
 * one_each, gave one message). */
static duban_err_t read_ranges(notifier_resume_t *r, const char *topic, range_t *rs, size_t n,
                               bool one_each, range_msg_cb *cb, void *opaque,
                               int64_t deadline, char *errbuf, size_t errbuf_size)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)n + 1);
    size_t remaining = 0;
    for (size_t k = 0; k < n; k++) {
        rs[k].next = rs[k].from;
        rs[k].found = rs[k].found_ts = -1;
        rs[k].done = rs[k].from >= rs[k].end;
        if (!rs[k].done) {
            rd_kafka_topic_partition_list_add(l, topic, rs[k].partition)->offset = rs[k].from;
            remaining++;
        }
    }
    duban_err_t err = DUBAN_OK;
    if (remaining && rd_kafka_assign(r->rk, l))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "resume reader: assign failed");
    rd_kafka_topic_partition_list_destroy(l);
    while (!err && remaining) {
        if (cancelled(r)) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_AGAIN, "cancelled");
            break;
        }
        if (duban_now_ms() > deadline) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT, "%s: %zu partitions not "
                               "read within notifier.resume.timeout.ms", topic, remaining);
            break;
        }
        rd_kafka_message_t *m = rd_kafka_consumer_poll(r->rk, 100);
        range_t *rg = m && m->rkt && strcmp(rd_kafka_topic_name(m->rkt), topic) == 0
                          ? range_of(rs, n, m->partition) : NULL;
        if (rg && !rg->done && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rg->done = true;
            remaining--;
        } else if (rg && !rg->done && !m->err && m->offset >= rg->next) {
            rg->found = m->offset;
            rg->found_ts = rd_kafka_message_timestamp(m, NULL);
            rg->next = m->offset + 1;
            cb(m, rg, opaque);
            rg->done = one_each || rg->next >= rg->end;
            remaining -= rg->done;
        } else if (m && m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            duban_debug("RESUME", "%s", rd_kafka_message_errstr(m));
        }
        if (m)
            rd_kafka_message_destroy(m);
    }
    rd_kafka_assign(r->rk, NULL);
    return err;
}

static void ignore_msg(const rd_kafka_message_t *m, range_t *rg, void *opaque)
{
    (void)m, (void)rg, (void)opaque;
}

/* Moves each range's `from` up to the first record stamped at or after
 * `bound` (binary search over offsets, one message per partition and
 * round; timestamps are taken as rising within a partition, the margin
 * covers producers' clock skew). */
static duban_err_t seek_time(notifier_resume_t *r, const char *topic, range_t *rs, size_t n,
                             int64_t bound, notifier_resume_stats_t *st, int64_t deadline,
                             char *errbuf, size_t errbuf_size)
{
    range_t *probe = calloc(n ? n : 1, sizeof(*probe));
    int64_t *lo = calloc(n ? n : 1, sizeof(int64_t)), *hi = calloc(n ? n : 1, sizeof(int64_t));
    duban_err_t err = probe && lo && hi ? DUBAN_OK : DUBAN_E_NOMEM;
    for (size_t k = 0; !err && k < n; k++) {
        lo[k] = rs[k].from;
        hi[k] = rs[k].end;
    }
    for (;;) {
        size_t m = 0;
        for (size_t k = 0; !err && k < n; k++)
            if (lo[k] < hi[k])
                probe[m++] = (range_t){.partition = rs[k].partition,
                                       .from = lo[k] + (hi[k] - lo[k]) / 2, .end = hi[k]};
        if (err || m == 0)
            break;
        err = read_ranges(r, topic, probe, m, true, ignore_msg, NULL, deadline, errbuf,
                          errbuf_size);
        st->probes += m;
        for (size_t j = 0; !err && j < m; j++) {
            size_t k = (size_t)(range_of(rs, n, probe[j].partition) - rs);
            if (probe[j].found >= 0 && probe[j].found_ts < bound)
                lo[k] = probe[j].found + 1 < hi[k] ? probe[j].found + 1 : hi[k];
            else
                hi[k] = probe[j].from;
        }
    }
    for (size_t k = 0; !err && k < n; k++)
        rs[k].from = lo[k];
    free(probe);
    free(lo);
    free(hi);
    return err;
}

/* ---------------------------------------------------------------------------
 * the two reads: alerts read again, then their outcomes
 * ------------------------------------------------------------------------- */
typedef struct {
    notifier_resume_t *r;
    notifier_resume_part_t *parts;
    int n;
    int64_t oldest;                  /* smallest alert timestamp read */
    notifier_resume_stats_t *st;
    duban_err_t err;
} build_t;

static notifier_resume_part_t *part_of(build_t *b, int32_t partition)
{
    for (int i = 0; i < b->n; i++)
        if (b->parts[i].partition == partition)
            return &b->parts[i];
    return NULL;
}

static void on_alert(const rd_kafka_message_t *m, range_t *rg, void *opaque)
{
    build_t *b = opaque;
    char reason[256];
    notifier_resume_part_t *p = part_of(b, rg->partition);
    int64_t ts = rd_kafka_message_timestamp(m, NULL);
    if (ts >= 0 && ts < b->oldest)
        b->oldest = ts;
    /* what does not decode is dead-lettered when the group reads it */
    if (!p || duban_serde_decode_task(b->r->serde, m->payload, m->len, &b->r->ev, reason,
                                      sizeof(reason)) ||
        b->r->ev.type != DUBAN_EV_DEADLINE_ALERT || !b->r->ev.alert_id)
        return;
    if (duban_webhook_delivered_expect(p->set, b->r->ev.alert_id))
        b->err = DUBAN_E_NOMEM;
    else
        b->st->alerts++;
}

static duban_webhook_pair_t final_outcome(const char *outcome)
{
    if (!outcome)
        return DUBAN_WEBHOOK_PAIR_OPEN;
    if (strcmp(outcome, "DELIVERED") == 0)
        return DUBAN_WEBHOOK_PAIR_DELIVERED;
    if (strcmp(outcome, "DEAD_LETTERED") == 0 || strcmp(outcome, "DISABLED") == 0)
        return DUBAN_WEBHOOK_PAIR_DEAD;
    return DUBAN_WEBHOOK_PAIR_OPEN;  /* RETRYING */
}

static void on_delivery(const rd_kafka_message_t *m, range_t *rg, void *opaque)
{
    build_t *b = opaque;
    duban_event_type_t type;
    json_t *ev = NULL;
    char reason[256];
    (void)rg;
    b->st->records++;
    if (duban_serde_decode(b->r->serde, m->payload, m->len, &type, &ev, reason,
                           sizeof(reason)) || type != DUBAN_EV_DELIVERY_ATTEMPT) {
        json_decref(ev);
        return;
    }
    const char *alert_id =
        json_string_value(json_object_get(ev, DELIVERY_KEY(ALERT_ID, STRING)));
    duban_webhook_pair_t outcome =
        final_outcome(json_string_value(json_object_get(ev, DELIVERY_KEY(OUTCOME, ENUM))));
    long ep = b->r->index(
        json_string_value(json_object_get(ev, DELIVERY_KEY(ENDPOINT_ID, STRING))),
        b->r->index_opaque);
    for (int i = 0; alert_id && ep >= 0 && outcome != DUBAN_WEBHOOK_PAIR_OPEN && i < b->n; i++)
        if (b->parts[i].set &&
            duban_webhook_delivered_add(b->parts[i].set, alert_id, (size_t)ep, outcome))
            break;
    json_decref(ev);
}

/* The first (which = RD_KAFKA_OFFSET_BEGINNING) or the next
 * (RD_KAFKA_OFFSET_END) offset of each partition ps[0..n) of topic, in
 * out[]. Through offsets_for_times, which keeps to its timeout when a
 * leader is gone (query_watermark_offsets retries a dead leader past it). */
static rd_kafka_resp_err_t list_offsets(notifier_resume_t *r, const char *topic,
                                        const int32_t *ps, int n, int64_t which, int64_t *out,
                                        int64_t deadline)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n + 1);
    for (int i = 0; i < n; i++)
        rd_kafka_topic_partition_list_add(l, topic, ps[i])->offset = which;
    rd_kafka_resp_err_t kerr = n ? rd_kafka_offsets_for_times(r->rk, l, call_wait(r, deadline))
                                 : RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int i = 0; !kerr && i < n; i++) {
        kerr = l->elems[i].err;
        out[i] = l->elems[i].offset;
    }
    rd_kafka_topic_partition_list_destroy(l);
    return kerr;
}

/* The group's committed offsets of the alert partitions (the reader has
 * the group's id); the low watermark where none is committed
 * (auto.offset.reset=earliest), and the ends. */
static duban_err_t alert_ranges(notifier_resume_t *r, build_t *b, range_t *rs,
                                int64_t deadline, char *errbuf, size_t errbuf_size)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(b->n);
    int32_t *ps = calloc((size_t)b->n + 1, sizeof(*ps));
    int64_t *lo = calloc((size_t)b->n + 1, sizeof(*lo)), *hi = calloc((size_t)b->n + 1,
                                                                          sizeof(*hi));
    if (!ps || !lo || !hi) {
        rd_kafka_topic_partition_list_destroy(l);
        free(ps), free(lo), free(hi);
        return DUBAN_E_NOMEM;
    }
    for (int i = 0; i < b->n; i++) {
        ps[i] = b->parts[i].partition;
        rd_kafka_topic_partition_list_add(l, DUBAN_TOPIC_ALERTS, ps[i]);
    }
    rd_kafka_resp_err_t kerr = rd_kafka_committed(r->rk, l, call_wait(r, deadline));
    for (int i = 0; !kerr && i < b->n; i++)
        if (l->elems[i].err && l->elems[i].err != RD_KAFKA_RESP_ERR__NO_OFFSET)
            kerr = l->elems[i].err;   /* not "none committed": we do not know */
    if (!kerr)
        kerr = list_offsets(r, DUBAN_TOPIC_ALERTS, ps, b->n, RD_KAFKA_OFFSET_BEGINNING, lo,
                            deadline);
    if (!kerr)
        kerr = list_offsets(r, DUBAN_TOPIC_ALERTS, ps, b->n, RD_KAFKA_OFFSET_END, hi, deadline);
    for (int i = 0; !kerr && i < b->n; i++) {
        int64_t c = l->elems[i].err || l->elems[i].offset < 0 ? lo[i] : l->elems[i].offset;
        rs[i] = (range_t){.partition = ps[i], .from = c < lo[i] ? lo[i] : c, .end = hi[i]};
        b->parts[i].from = rs[i].from;
        b->parts[i].end = rs[i].end;
    }
    rd_kafka_topic_partition_list_destroy(l);
    free(ps), free(lo), free(hi);
    return kerr ? duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "alert offsets: %s",
                               rd_kafka_err2str(kerr))
                : DUBAN_OK;
}

/* Every partition of duban.deliveries.v1, from its low to its high mark. */
static duban_err_t delivery_ranges(notifier_resume_t *r, range_t **out, size_t *n,
                                   int64_t deadline, char *errbuf, size_t errbuf_size)
{
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_topic_t *t = rd_kafka_topic_new(r->rk, DUBAN_TOPIC_DELIVERIES, NULL);
    rd_kafka_resp_err_t kerr = t ? rd_kafka_metadata(r->rk, 0, t, &md, call_wait(r, deadline))
                                 : RD_KAFKA_RESP_ERR__INVALID_ARG;
    if (!kerr && (md->topic_cnt != 1 || md->topics[0].err))
        kerr = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
    int cnt = kerr ? 0 : md->topics[0].partition_cnt;
    range_t *rs = calloc((size_t)cnt + 1, sizeof(*rs));
    int32_t *ps = calloc((size_t)cnt + 1, sizeof(*ps));
    int64_t *lo = calloc((size_t)cnt + 1, sizeof(*lo)), *hi = calloc((size_t)cnt + 1,
                                                                        sizeof(*hi));
    bool mem = rs && ps && lo && hi;
    for (int i = 0; mem && i < cnt; i++)
        ps[i] = md->topics[0].partitions[i].id;
    if (md)
        rd_kafka_metadata_destroy(md);
    if (t)
        rd_kafka_topic_destroy(t);
    if (!kerr && mem)
        kerr = list_offsets(r, DUBAN_TOPIC_DELIVERIES, ps, cnt, RD_KAFKA_OFFSET_BEGINNING, lo,
                            deadline);
    if (!kerr && mem)
        kerr = list_offsets(r, DUBAN_TOPIC_DELIVERIES, ps, cnt, RD_KAFKA_OFFSET_END, hi,
                            deadline);
    for (int i = 0; !kerr && mem && i < cnt; i++)
        rs[i] = (range_t){.partition = ps[i], .from = lo[i], .end = hi[i]};
    free(ps), free(lo), free(hi);
    if (kerr || !mem) {
        free(rs);
        return duban_seterr(errbuf, errbuf_size, mem ? DUBAN_E_KAFKA : DUBAN_E_NOMEM,
                            "deliveries partitions: %s", rd_kafka_err2str(kerr));
    }
    *out = rs;
    *n = (size_t)cnt;
    return DUBAN_OK;
}

static duban_err_t build(notifier_resume_t *r, build_t *b, int64_t deadline, char *errbuf,
                         size_t errbuf_size)
{
    range_t *as = calloc((size_t)b->n + 1, sizeof(*as)), *ds = NULL;
    size_t nd = 0;
    duban_err_t err = as ? alert_ranges(r, b, as, deadline, errbuf, errbuf_size)
                         : DUBAN_E_NOMEM;
    bool any = false;
    for (int i = 0; !err && i < b->n; i++)
        if (as[i].from < as[i].end) {
            any = true;
            err = duban_webhook_delivered_new(atomic_load(&r->endpoints), &b->parts[i].set);
        }
    if (!err && any)
        err = read_ranges(r, DUBAN_TOPIC_ALERTS, as, (size_t)b->n, false, on_alert, b,
                          deadline, errbuf, errbuf_size);
    if (!err && b->err)
        err = duban_seterr(errbuf, errbuf_size, b->err, "delivered set: out of memory");
    if (!err && any && b->st->alerts)
        err = delivery_ranges(r, &ds, &nd, deadline, errbuf, errbuf_size);
    /* alerts without a timestamp leave no bound: every delivery is read */
    int64_t bound = b->oldest == INT64_MAX ? INT64_MIN : b->oldest - r->margin_ms;
    if (!err && nd)
        err = seek_time(r, DUBAN_TOPIC_DELIVERIES, ds, nd, bound, b->st, deadline, errbuf,
                        errbuf_size);
    if (!err && nd)
        err = read_ranges(r, DUBAN_TOPIC_DELIVERIES, ds, nd, false, on_delivery, b, deadline,
                          errbuf, errbuf_size);
    if (!err && cancelled(r))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_AGAIN, "cancelled");
    free(as);
    free(ds);
    return err;
}

/* Fresh metadata of the two topics before each attempt: the reader is idle
 * between builds, so the leaders it knows may be a broker that died since. */
static void refresh_metadata(notifier_resume_t *r, int64_t deadline)
{
    const char *names[] = {DUBAN_TOPIC_ALERTS, DUBAN_TOPIC_DELIVERIES};
    for (size_t i = 0; i < 2 && !cancelled(r); i++) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_topic_t *t = rd_kafka_topic_new(r->rk, names[i], NULL);
        if (t && rd_kafka_metadata(r->rk, 0, t, &md, call_wait(r, deadline)) ==
                     RD_KAFKA_RESP_ERR_NO_ERROR)
            rd_kafka_metadata_destroy(md);
        if (t)
            rd_kafka_topic_destroy(t);
    }
}

/* Builds the sets of ps[0..n) into res, attempt after attempt, until one
 * succeeds, the build is cancelled or notifier.resume.timeout.ms passed. */
static void run_build(notifier_resume_t *r, const int32_t *ps, int n,
                      notifier_resume_result_t *res)
{
    memset(res, 0, sizeof(*res));
    res->parts = calloc((size_t)n + 1, sizeof(*res->parts));
    if (!res->parts) {
        res->err = duban_seterr(res->errbuf, sizeof(res->errbuf), DUBAN_E_NOMEM,
                                "out of memory");
        return;
    }
    res->n = n;
    int64_t t0 = duban_now_ms(), deadline = t0 + r->timeout_ms;
    for (;;) {
        int attempts = res->st.attempts + 1;
        refresh_metadata(r, deadline);
        memset(&res->st, 0, sizeof(res->st));
        res->st.attempts = attempts;
        for (int i = 0; i < n; i++)
            res->parts[i] = (notifier_resume_part_t){.partition = ps[i], .from = -1, .end = -1};
        build_t b = {.r = r, .parts = res->parts, .n = n, .oldest = INT64_MAX,
                     .st = &res->st};
        res->err = build(r, &b, deadline, res->errbuf, sizeof(res->errbuf));
        if (!res->err)
            break;
        for (int i = 0; i < n; i++) {
            duban_webhook_delivered_destroy(res->parts[i].set);
            res->parts[i].set = NULL;
        }
        if (cancelled(r)) {
            res->err = duban_seterr(res->errbuf, sizeof(res->errbuf), DUBAN_E_AGAIN,
                                    "cancelled");
            break;
        }
        if (duban_now_ms() >= deadline)
            break;
        duban_warn("RESUME", "attempt %d: %s (trying again)", attempts, res->errbuf);
        for (int k = 0; k < 10 && !cancelled(r); k++) {   /* 500 ms */
            struct timespec ts = {0, 50 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    for (int i = 0; !res->err && i < n; i++)
        if (res->parts[i].set)
            res->st.pairs += duban_webhook_delivered_pairs(res->parts[i].set);
    res->st.ms = duban_now_ms() - t0;
}

static void *resume_thread(void *opaque)
{
    notifier_resume_t *r = opaque;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->stop && !r->have_request)
            pthread_cond_wait(&r->wake, &r->lock);
        if (r->stop)
            break;
        int32_t *ps = r->request;
        int n = r->request_n;
        r->request = NULL;
        r->have_request = false;
        pthread_mutex_unlock(&r->lock);
        notifier_resume_result_t res;
        run_build(r, ps, n, &res);
        free(ps);
        pthread_mutex_lock(&r->lock);
        r->result = res;
        r->have_result = true;
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}
