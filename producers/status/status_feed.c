/* producers/status/status_feed.c: the thread that rebuilds and follows
 * duban-status's task state (status_feed.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <librdkafka/rdkafka.h>
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "status.h"
#include "status_feed.h"

#define FEED_TOPICS 2
#define OWN_WAIT_MS 1000   /* the feed waits this long for this instance's writer */
static const char *const feed_topics[FEED_TOPICS] = {DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS};

struct status_feed_s {
    status_state_t *st;
    status_idem_t *idem;
    rd_kafka_t *rk;
    duban_serde_t *serde;
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t mu;           /* guards next[], at_end[], ready */
    pthread_cond_t cv;            /* CLOCK_MONOTONIC; broadcast as next[] moves,
                                   * when someone waits on it */
    int waiters;                  /* threads in pthread_cond_timedwait(cv) */
    int nparts[FEED_TOPICS];
    int64_t *next[FEED_TOPICS];   /* per partition: offset after the last applied */
    bool *at_end[FEED_TOPICS];    /* reached the end once */
    int pending_ends;
    bool assigned, ready;
    int64_t t0;
    uint64_t applied, bad;
    char writer[33];              /* this instance's STATUS_WRITER_HEADER */
};

static int topic_index(const char *name)
{
    for (int i = 0; i < FEED_TOPICS; i++)
        if (strcmp(name, feed_topics[i]) == 0)
            return i;
    return -1;
}

/* Partition counts of both topics; false while the cluster does not answer. */
static bool learn_partitions(status_feed_t *f)
{
    for (int t = 0; t < FEED_TOPICS; t++) {
        const rd_kafka_metadata_t *md = NULL;
        rd_kafka_topic_t *rkt = rd_kafka_topic_new(f->rk, feed_topics[t], NULL);
        rd_kafka_resp_err_t err = rkt ? rd_kafka_metadata(f->rk, 0, rkt, &md, 5000)
                                      : RD_KAFKA_RESP_ERR__INVALID_ARG;
        int n = err || md->topic_cnt != 1 || md->topics[0].err ? 0
                                                               : md->topics[0].partition_cnt;
        if (md)
            rd_kafka_metadata_destroy(md);
        if (rkt)
            rd_kafka_topic_destroy(rkt);
        if (n <= 0) {
            duban_warn("FEED", "no partitions of %s yet: %s", feed_topics[t],
                       err ? rd_kafka_err2str(err) : "topic missing");
            return false;
        }
        f->nparts[t] = n;
    }
    return true;
}

static void assign_all(status_feed_t *f)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(16);
    pthread_mutex_lock(&f->mu);
    for (int t = 0; t < FEED_TOPICS; t++) {
        f->next[t] = calloc((size_t)f->nparts[t], sizeof(int64_t));
        f->at_end[t] = calloc((size_t)f->nparts[t], sizeof(bool));
        for (int p = 0; p < f->nparts[t]; p++)
            rd_kafka_topic_partition_list_add(l, feed_topics[t], p)->offset =
                RD_KAFKA_OFFSET_BEGINNING;
        f->pending_ends += f->nparts[t];
    }
    f->assigned = true;
    pthread_mutex_unlock(&f->mu);
    rd_kafka_resp_err_t err = rd_kafka_assign(f->rk, l);
    if (err)
        duban_error("FEED", "assign: %s", rd_kafka_err2str(err));
    rd_kafka_topic_partition_list_destroy(l);
}

/* Header value as a C string into buf; false when absent or too long. */
static bool header_str(const rd_kafka_message_t *m, const char *name, char *buf, size_t size)
{
    rd_kafka_headers_t *hdrs = NULL;
    const void *v;
    size_t len;
    if (rd_kafka_message_headers(m, &hdrs) || !hdrs ||
        rd_kafka_header_get_last(hdrs, name, &v, &len) || !v || len >= size)
        return false;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return true;
}

/* A write answered 202 carries its idempotency key: remember the answer. */
static void learn_idempotency(status_feed_t *f, const rd_kafka_message_t *m, const json_t *ev)
{
    char key[2 * STATUS_IDEM_MAX_KEY + 64], fp[96];
    if (!f->idem || !header_str(m, STATUS_IDEM_HEADER, key, sizeof(key)) ||
        !header_str(m, STATUS_IDEM_FP_HEADER, fp, sizeof(fp)))
        return;
    json_t *answer = json_pack("{s:O?, s:s, s:i, s:I}", "event_id", json_object_get(ev, "event_id"),
                               "topic", rd_kafka_topic_name(m->rkt), "partition",
                               (int)m->partition, "offset", (json_int_t)m->offset);
    char *body = answer ? json_dumps(answer, JSON_COMPACT) : NULL;
    json_decref(answer);
    if (body)
        status_idem_learn(f->idem, key, fp, body,
                          rd_kafka_message_timestamp(m, NULL), duban_now_ms());
    free(body);
}

/* The slot of a topic's partition, NULL when it is not one of ours.
 * @locks_required f->mu */
static int64_t *next_of(status_feed_t *f, const char *topic, int32_t partition)
{
    int t = topic_index(topic);
    if (t < 0 || !f->assigned || partition < 0 || partition >= f->nparts[t])
        return NULL;
    return &f->next[t][partition];
}

/* Whether the request that wrote the message has applied it already
 * (status_feed_apply_own): then it is not even decoded. */
static bool applied_by_writer(status_feed_t *f, const rd_kafka_message_t *m)
{
    pthread_mutex_lock(&f->mu);
    int64_t *next = next_of(f, rd_kafka_topic_name(m->rkt), m->partition);
    bool applied = next && m->offset < *next;
    pthread_mutex_unlock(&f->mu);
    return applied;
}

/* A message a request of this instance wrote: give that request up to
 * OWN_WAIT_MS to apply it (it holds the event already; it only waits for
 * its delivery report) rather than decode it here too. True once applied.
 * Everything before it in its partition is applied, so the writer is not
 * waiting for the feed. */
static bool wait_for_own_writer(status_feed_t *f, const rd_kafka_message_t *m)
{
    char who[sizeof(f->writer)];
    if (!header_str(m, STATUS_WRITER_HEADER, who, sizeof(who)) || strcmp(who, f->writer) != 0)
        return false;
    struct timespec dl = status_deadline_in(OWN_WAIT_MS);
    pthread_mutex_lock(&f->mu);
    int64_t *next = next_of(f, rd_kafka_topic_name(m->rkt), m->partition);
    bool applied = next && m->offset < *next;
    while (next && !applied) {
        f->waiters++;
        int rc = pthread_cond_timedwait(&f->cv, &f->mu, &dl);
        f->waiters--;
        applied = m->offset < *next;
        if (rc != 0)
            break;
    }
    pthread_mutex_unlock(&f->mu);
    return applied;
}

/* Decodes a message and applies it unless the request that wrote it has
 * already (status_feed_apply_own). */
static void apply_message(status_feed_t *f, const rd_kafka_message_t *m)
{
    char err[512];
    duban_event_type_t type;
    json_t *ev = NULL;
    if (applied_by_writer(f, m) || wait_for_own_writer(f, m)) {
        f->applied++;
        return;
    }
    duban_err_t e = duban_serde_decode(f->serde, m->payload, m->len, &type, &ev, err,
                                       sizeof(err));
    bool skip = false;
    pthread_mutex_lock(&f->mu);
    int64_t *next = next_of(f, rd_kafka_topic_name(m->rkt), m->partition);
    if (next && m->offset < *next)
        skip = true;   /* applied by its writer meanwhile, in order */
    else if (!e)
        e = status_state_apply(f->st, type, ev, err, sizeof(err));
    if (next && m->offset + 1 > *next)   /* applied or not, it is behind us */
        *next = m->offset + 1;
    pthread_mutex_unlock(&f->mu);
    if (skip) {
        f->applied++;
    } else if (e) {
        char kv[160];
        snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld", rd_kafka_topic_name(m->rkt),
                 (int)m->partition, (long long)m->offset);
        DUBAN_LOG(DUBAN_LOG_WARN, "FEED", kv, "not applied: %s", err);
        f->bad++;
    } else {
        learn_idempotency(f, m, ev);
        f->applied++;
    }
    json_decref(ev);
}

/* Moves a partition's watermark (and readiness) on. */
static void advance(status_feed_t *f, const rd_kafka_message_t *m, bool eof)
{
    int t = topic_index(rd_kafka_topic_name(m->rkt));
    if (t < 0 || m->partition < 0 || m->partition >= f->nparts[t])
        return;
    pthread_mutex_lock(&f->mu);
    int64_t next = eof ? m->offset : m->offset + 1;
    if (next > f->next[t][m->partition])
        f->next[t][m->partition] = next;
    if (eof && !f->at_end[t][m->partition]) {
        f->at_end[t][m->partition] = true;
        if (--f->pending_ends == 0 && !f->ready) {
            f->ready = true;
            status_state_stats_t s;
            status_state_stats(f->st, &s);
            duban_info("FEED", "task state rebuilt in %lld ms: %zu tasks, %llu events, "
                       "%llu not applied, %zu status changes waiting for their task",
                       (long long)(duban_now_ms() - f->t0), s.tasks,
                       (unsigned long long)f->applied, (unsigned long long)f->bad, s.parked);
        }
    }
    if (f->waiters)
        pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

static void *feed_main(void *arg)
{
    status_feed_t *f = arg;
    while (!atomic_load(&f->stop) && !learn_partitions(f))
        for (int i = 0; i < 10 && !atomic_load(&f->stop); i++)
            rd_kafka_poll(f->rk, 100);
    if (atomic_load(&f->stop))
        return NULL;
    assign_all(f);
    while (!atomic_load(&f->stop)) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(f->rk, 100);
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            advance(f, m, true);
        } else if (m->err) {
            duban_warn("FEED", "%s", rd_kafka_message_errstr(m));
        } else {
            apply_message(f, m);
            advance(f, m, false);
        }
        rd_kafka_message_destroy(m);
    }
    return NULL;
}

static duban_err_t set_prop(rd_kafka_conf_t *rc, const duban_conf_t *conf, const char *prop,
                            const char *value, char *errbuf, size_t errbuf_size)
{
    char key[128], rk_err[256];
    snprintf(key, sizeof(key), "kafka.%s", prop);
    if (duban_conf_get(conf, key, NULL))
        return DUBAN_OK;   /* the user's setting wins */
    if (rd_kafka_conf_set(rc, prop, value, rk_err, sizeof(rk_err)) != RD_KAFKA_CONF_OK)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s: %s", prop, rk_err);
    return DUBAN_OK;
}

static duban_err_t open_consumer(status_feed_t *f, const duban_conf_t *conf, char *errbuf,
                                 size_t errbuf_size)
{
    rd_kafka_conf_t *rc = NULL;
    duban_err_t err = duban_kafka_conf_from(conf, &rc, errbuf, errbuf_size);
    char rk_err[256];
    if (!err &&
        ((err = set_prop(rc, conf, "group.id", "duban-status-feed", errbuf, errbuf_size)) ||
         (err = set_prop(rc, conf, "enable.auto.commit", "false", errbuf, errbuf_size)) ||
         (err = set_prop(rc, conf, "enable.auto.offset.store", "false", errbuf, errbuf_size)) ||
         (err = set_prop(rc, conf, "enable.partition.eof", "true", errbuf, errbuf_size)) ||
         (err = set_prop(rc, conf, "fetch.wait.max.ms", "10", errbuf, errbuf_size)) ||
         (err = set_prop(rc, conf, "auto.offset.reset", "earliest", errbuf, errbuf_size)))) {
        rd_kafka_conf_destroy(rc);
        return err;
    }
    if (err)
        return err;
    /* a producer-only property in the shared kafka.* keys only warns */
    if (!(f->rk = rd_kafka_new(RD_KAFKA_CONSUMER, rc, rk_err, sizeof(rk_err)))) {
        rd_kafka_conf_destroy(rc);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "feed consumer: %s", rk_err);
    }
    rd_kafka_poll_set_consumer(f->rk);
    return DUBAN_OK;
}

duban_err_t status_feed_start(const duban_conf_t *conf, status_state_t *st,
                              status_idem_t *idem, status_feed_t **out, char *errbuf,
                              size_t errbuf_size)
{
    status_feed_t *f = calloc(1, sizeof(*f));
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    f->st = st;
    f->idem = idem;
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {   /* unique enough */
        int64_t now = duban_now_ms();
        memcpy(rnd, &now, 8);
        long pid = (long)getpid();
        memcpy(rnd + 8, &pid, 8);
    }
    for (int i = 0; i < 16; i++)
        snprintf(f->writer + 2 * i, 3, "%02x", rnd[i]);
    f->t0 = duban_now_ms();
    pthread_mutex_init(&f->mu, NULL);
    status_cond_init(&f->cv);
    duban_err_t err = duban_serde_new(conf, &f->serde, errbuf, errbuf_size);
    if (!err)
        err = open_consumer(f, conf, errbuf, errbuf_size);
    if (!err && pthread_create(&f->thread, NULL, feed_main, f) != 0)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "cannot start a thread");
    if (err) {
        if (f->rk)
            rd_kafka_destroy(f->rk);
        duban_serde_destroy(f->serde);
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mu);
        free(f);
        return err;
    }
    *out = f;
    return DUBAN_OK;
}

void status_feed_stop(status_feed_t *f)
{
    if (!f)
        return;
    atomic_store(&f->stop, true);
    pthread_join(f->thread, NULL);
    rd_kafka_consumer_close(f->rk);
    rd_kafka_destroy(f->rk);
    duban_serde_destroy(f->serde);
    for (int t = 0; t < FEED_TOPICS; t++) {
        free(f->next[t]);
        free(f->at_end[t]);
    }
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

const char *status_feed_writer_id(const status_feed_t *f)
{
    return f->writer;
}

bool status_feed_ready(status_feed_t *f)
{
    pthread_mutex_lock(&f->mu);
    bool ready = f->ready;
    pthread_mutex_unlock(&f->mu);
    return ready;
}

bool status_feed_wait_ready(status_feed_t *f, long timeout_ms)
{
    struct timespec dl = status_deadline_in(timeout_ms);
    pthread_mutex_lock(&f->mu);
    f->waiters++;
    while (!f->ready && pthread_cond_timedwait(&f->cv, &f->mu, &dl) == 0)
        ;
    f->waiters--;
    bool ready = f->ready;
    pthread_mutex_unlock(&f->mu);
    return ready;
}

void status_feed_lag(status_feed_t *f, void (*fn)(void *arg, const char *topic,
                                                  int32_t partition, int64_t lag),
                     void *arg)
{
    pthread_mutex_lock(&f->mu);
    for (int t = 0; f->assigned && t < FEED_TOPICS; t++)
        for (int p = 0; p < f->nparts[t]; p++) {
            int64_t lo, hi;
            if (rd_kafka_get_watermark_offsets(f->rk, feed_topics[t], p, &lo, &hi) || hi < 0)
                hi = f->next[t][p];
            fn(arg, feed_topics[t], p, hi > f->next[t][p] ? hi - f->next[t][p] : 0);
        }
    pthread_mutex_unlock(&f->mu);
}

bool status_feed_apply_own(status_feed_t *f, const char *topic, int32_t partition,
                           int64_t offset, duban_event_type_t type, const json_t *ev,
                           long timeout_ms)
{
    char err[256];
    struct timespec dl = status_deadline_in(timeout_ms);
    bool tried = false, done = false;
    pthread_mutex_lock(&f->mu);
    for (;;) {
        int64_t *next = next_of(f, topic, partition);
        if (next && *next == offset && !tried) {   /* everything before it is applied */
            tried = true;
            if (status_state_apply(f->st, type, ev, err, sizeof(err)) == DUBAN_OK) {
                *next = offset + 1;
                if (f->waiters)   /* a writer of the next offset may be waiting for this */
                    pthread_cond_broadcast(&f->cv);
            }
        }
        done = next && *next > offset;
        if (done)
            break;
        f->waiters++;
        int rc = pthread_cond_timedwait(&f->cv, &f->mu, &dl);
        f->waiters--;
        if (rc != 0)
            break;
    }
    if (!done) {   /* one last look after a timeout */
        int64_t *next = next_of(f, topic, partition);
        done = next && *next > offset;
    }
    pthread_mutex_unlock(&f->mu);
    return done;
}
