/* common/wire/kafka.c: producer and consumer wrappers over librdkafka. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kafka.h"
#include "log.h"

/* ---- configuration ---- */

typedef struct {
    rd_kafka_conf_t *rk_conf;
    duban_err_t err;
    char *errbuf;
    size_t errbuf_size;
} conf_copy_t;

static void read_first_line(const char *path, char *out, size_t out_size)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fgets(out, (int)out_size, f))
        out[strcspn(out, "\r\n")] = '\0';
    fclose(f);
}

static void copy_kafka_prop(const char *key, const char *value, void *opaque)
{
    conf_copy_t *cc = opaque;
    if (cc->err)
        return;
    const char *prop = key + strlen("kafka.");
    char from_file[1024];
    if (strcmp(prop, "bootstrap.servers") == 0 && value[0] == '@') {
        read_first_line(value + 1, from_file, sizeof(from_file));
        if (!from_file[0]) {
            cc->err = duban_seterr(cc->errbuf, cc->errbuf_size, DUBAN_E_IO,
                                   "bootstrap file %s is missing or empty", value + 1);
            return;
        }
        value = from_file;
    }
    char rk_err[512];
    if (rd_kafka_conf_set(cc->rk_conf, prop, value, rk_err, sizeof(rk_err)) !=
        RD_KAFKA_CONF_OK)
        cc->err = duban_seterr(cc->errbuf, cc->errbuf_size, DUBAN_E_INVAL, "%s: %s", key,
                               rk_err);
}

duban_err_t duban_kafka_conf_from(const duban_conf_t *conf, rd_kafka_conf_t **out,
                                  char *errbuf, size_t errbuf_size)
{
    conf_copy_t cc = {rd_kafka_conf_new(), DUBAN_OK, errbuf, errbuf_size};
    if (conf)
        duban_conf_foreach(conf, "kafka.", copy_kafka_prop, &cc);
    if (cc.err) {
        rd_kafka_conf_destroy(cc.rk_conf);
        return cc.err;
    }
    *out = cc.rk_conf;
    return DUBAN_OK;
}

static duban_err_t set_default(rd_kafka_conf_t *rk_conf, const duban_conf_t *conf,
                               const char *prop, const char *value, char *errbuf,
                               size_t errbuf_size)
{
    char key[256];
    snprintf(key, sizeof(key), "kafka.%s", prop);
    if (conf && duban_conf_get(conf, key, NULL))
        return DUBAN_OK; /* the user's setting wins */
    char rk_err[512];
    if (rd_kafka_conf_set(rk_conf, prop, value, rk_err, sizeof(rk_err)) != RD_KAFKA_CONF_OK)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s: %s", prop, rk_err);
    return DUBAN_OK;
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    int lvl = level <= 3 ? DUBAN_LOG_ERROR : level <= 4 ? DUBAN_LOG_WARN
            : level <= 6 ? DUBAN_LOG_INFO : DUBAN_LOG_DEBUG;
    char kv[64];
    snprintf(kv, sizeof(kv), "rdkafka_fac=%s", fac);
    DUBAN_LOG(lvl, "KAFKA", kv, "%s", buf);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    (void)opaque;
    duban_warn("KAFKA", "%s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

void duban_kafka_conf_log_to_duban(rd_kafka_conf_t *rk_conf)
{
    rd_kafka_conf_set_log_cb(rk_conf, log_cb);
    rd_kafka_conf_set_error_cb(rk_conf, error_cb);
}

/* ---- producer ---- */

struct duban_producer_s {
    rd_kafka_t *rk;
    duban_delivery_cb *cb;
    void *opaque;
    /* Delivery reports are served by whichever thread polls (a sender
     * blocked on a full queue polls too), so the counters take a lock. */
    pthread_mutex_t lock;
    uint64_t delivered, failed, failed_since_flush;
    char first_error[256];
};

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *msg, void *opaque)
{
    (void)rk;
    duban_producer_t *p = opaque;
    duban_err_t err = DUBAN_OK;
    pthread_mutex_lock(&p->lock);
    if (msg->err) {
        err = DUBAN_E_KAFKA;
        p->failed++;
        if (p->failed_since_flush++ == 0)
            snprintf(p->first_error, sizeof(p->first_error), "%s [%d]: %s",
                     rd_kafka_topic_name(msg->rkt), (int)msg->partition,
                     rd_kafka_err2str(msg->err));
    } else {
        p->delivered++;
    }
    pthread_mutex_unlock(&p->lock);
    if (p->cb && msg->_private)
        p->cb(err, msg, msg->_private, p->opaque);
}

duban_err_t duban_producer_new(const duban_conf_t *conf, duban_delivery_cb *cb,
                               void *opaque, duban_producer_t **out, char *errbuf,
                               size_t errbuf_size)
{
    duban_producer_t *p = calloc(1, sizeof(*p));
    if (!p)
        return DUBAN_E_NOMEM;
    p->cb = cb;
    p->opaque = opaque;
    pthread_mutex_init(&p->lock, NULL);
    rd_kafka_conf_t *rk_conf = NULL;
    duban_err_t err = duban_kafka_conf_from(conf, &rk_conf, errbuf, errbuf_size);
    if (err) {
        free(p);
        return err;
    }
    static const char *defaults[][2] = {
        {"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "5"},
        {"message.timeout.ms", "120000"},
    };
    for (size_t i = 0; !err && i < sizeof(defaults) / sizeof(defaults[0]); i++)
        err = set_default(rk_conf, conf, defaults[i][0], defaults[i][1], errbuf, errbuf_size);
    if (err) {
        rd_kafka_conf_destroy(rk_conf);
        free(p);
        return err;
    }
    rd_kafka_conf_set_dr_msg_cb(rk_conf, dr_msg_cb);
    duban_kafka_conf_log_to_duban(rk_conf);
    rd_kafka_conf_set_opaque(rk_conf, p);
    char rk_err[512];
    p->rk = rd_kafka_new(RD_KAFKA_PRODUCER, rk_conf, rk_err, sizeof(rk_err));
    if (!p->rk) {
        rd_kafka_conf_destroy(rk_conf);
        free(p);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "producer: %s", rk_err);
    }
    *out = p;
    return DUBAN_OK;
}

duban_err_t duban_producer_send(duban_producer_t *p, const char *topic, int32_t partition,
                                const void *key, size_t key_len, const void *value,
                                size_t value_len, const duban_kafka_header_t *headers,
                                size_t header_count, void *msg_opaque, char *errbuf,
                                size_t errbuf_size)
{
    return duban_producer_send_at(p, topic, partition, 0, key, key_len, value, value_len,
                                  headers, header_count, msg_opaque, errbuf, errbuf_size);
}

duban_err_t duban_producer_send_at(duban_producer_t *p, const char *topic, int32_t partition,
                                   int64_t timestamp, const void *key, size_t key_len,
                                   const void *value, size_t value_len,
                                   const duban_kafka_header_t *headers, size_t header_count,
                                   void *msg_opaque, char *errbuf, size_t errbuf_size)
{
    for (;;) {
        rd_kafka_headers_t *hdrs = NULL;
        if (header_count) {
            hdrs = rd_kafka_headers_new(header_count);
            for (size_t i = 0; i < header_count; i++)
                rd_kafka_header_add(hdrs, headers[i].name, -1, headers[i].value,
                                    (ssize_t)headers[i].len);
        }
        rd_kafka_resp_err_t rerr = rd_kafka_producev(
            p->rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(msg_opaque),
            RD_KAFKA_V_TIMESTAMP(timestamp), RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
        if (!rerr)
            return DUBAN_OK;
        if (hdrs)
            rd_kafka_headers_destroy(hdrs); /* not taken over on failure */
        if (rerr != RD_KAFKA_RESP_ERR__QUEUE_FULL)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "produce to %s: %s",
                                topic, rd_kafka_err2str(rerr));
        rd_kafka_poll(p->rk, 10);
    }
}

void duban_producer_poll(duban_producer_t *p, int timeout_ms)
{
    rd_kafka_poll(p->rk, timeout_ms);
}

duban_err_t duban_producer_flush(duban_producer_t *p, int timeout_ms, char *errbuf,
                                 size_t errbuf_size)
{
    rd_kafka_resp_err_t rerr = rd_kafka_flush(p->rk, timeout_ms);
    pthread_mutex_lock(&p->lock);
    if (p->failed_since_flush) {
        duban_err_t err = duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA,
                                       "%llu deliveries failed; first: %s",
                                       (unsigned long long)p->failed_since_flush,
                                       p->first_error);
        p->failed_since_flush = 0;
        pthread_mutex_unlock(&p->lock);
        return err;
    }
    pthread_mutex_unlock(&p->lock);
    if (rerr)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                            "%d messages still in flight after %d ms",
                            rd_kafka_outq_len(p->rk), timeout_ms);
    return DUBAN_OK;
}

/* A counter read under the lock the delivery callback writes it under. */
static uint64_t read_counter(const duban_producer_t *p, const uint64_t *counter)
{
    pthread_mutex_t *lock = (pthread_mutex_t *)&p->lock;
    pthread_mutex_lock(lock);
    uint64_t n = *counter;
    pthread_mutex_unlock(lock);
    return n;
}

uint64_t duban_producer_delivered(const duban_producer_t *p)
{
    return read_counter(p, &p->delivered);
}

uint64_t duban_producer_failed(const duban_producer_t *p)
{
    return read_counter(p, &p->failed);
}

rd_kafka_t *duban_producer_handle(duban_producer_t *p) { return p->rk; }

void duban_producer_destroy(duban_producer_t *p)
{
    duban_producer_destroy_within(p, 10000);
}

void duban_producer_destroy_within(duban_producer_t *p, int flush_ms)
{
    if (!p)
        return;
    char errbuf[256];
    if (duban_producer_flush(p, flush_ms, errbuf, sizeof(errbuf)) && flush_ms > 0)
        duban_warn("KAFKA", "on shutdown: %s", errbuf);   /* 0: the caller said */
    rd_kafka_destroy(p->rk);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* ---- consumer ---- */

struct duban_consumer_s {
    rd_kafka_t *rk;
    duban_rebalance_cb *cb;
    void *opaque;
    bool hold;      /* pause the partitions being assigned, once assigned */
};

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    duban_consumer_t *c = opaque;
    bool assigned = err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS;
    if (assigned) {
        c->hold = false;
        if (c->cb)
            c->cb(c, true, parts, c->opaque);
        rd_kafka_assign(rk, parts);
        /* librdkafka creates the partitions' state in assign and fetches
         * only after the committed offsets are in: pausing now comes first */
        if (c->hold && rd_kafka_pause_partitions(rk, parts) == RD_KAFKA_RESP_ERR_NO_ERROR)
            for (int i = 0; i < parts->cnt; i++)
                if (parts->elems[i].err)
                    duban_warn("REBALANCE", "%s [%d] not held: %s", parts->elems[i].topic,
                               (int)parts->elems[i].partition,
                               rd_kafka_err2str(parts->elems[i].err));
        c->hold = false;
    } else {
        if (c->cb)
            c->cb(c, false, parts, c->opaque);
        rd_kafka_assign(rk, NULL);
    }
    for (int i = 0; i < parts->cnt; i++)
        duban_info("REBALANCE", "%s %s [%d]", assigned ? "assigned" : "revoked",
                   parts->elems[i].topic, (int)parts->elems[i].partition);
}

duban_err_t duban_consumer_new(const duban_conf_t *conf, const char *group_id,
                               const char *const *topics, size_t topic_count,
                               duban_rebalance_cb *cb, void *opaque, duban_consumer_t **out,
                               char *errbuf, size_t errbuf_size)
{
    duban_consumer_t *c = calloc(1, sizeof(*c));
    if (!c)
        return DUBAN_E_NOMEM;
    c->cb = cb;
    c->opaque = opaque;
    rd_kafka_conf_t *rk_conf = NULL;
    duban_err_t err = duban_kafka_conf_from(conf, &rk_conf, errbuf, errbuf_size);
    if (err) {
        free(c);
        return err;
    }
    static const char *defaults[][2] = {
        {"enable.auto.commit", "false"}, {"auto.offset.reset", "earliest"},
        {"enable.auto.offset.store", "false"},
    };
    for (size_t i = 0; !err && i < sizeof(defaults) / sizeof(defaults[0]); i++)
        err = set_default(rk_conf, conf, defaults[i][0], defaults[i][1], errbuf, errbuf_size);
    char rk_err[512];
    if (!err && group_id &&
        rd_kafka_conf_set(rk_conf, "group.id", group_id, rk_err, sizeof(rk_err)))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "group.id: %s", rk_err);
    if (err) {
        rd_kafka_conf_destroy(rk_conf);
        free(c);
        return err;
    }
    rd_kafka_conf_set_rebalance_cb(rk_conf, rebalance_cb);
    duban_kafka_conf_log_to_duban(rk_conf);
    rd_kafka_conf_set_opaque(rk_conf, c);
    c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, rk_conf, rk_err, sizeof(rk_err));
    if (!c->rk) {
        rd_kafka_conf_destroy(rk_conf);
        free(c);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "consumer: %s", rk_err);
    }
    rd_kafka_poll_set_consumer(c->rk);
    rd_kafka_topic_partition_list_t *subs =
        rd_kafka_topic_partition_list_new((int)topic_count);
    for (size_t i = 0; i < topic_count; i++)
        rd_kafka_topic_partition_list_add(subs, topics[i], RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t rerr = rd_kafka_subscribe(c->rk, subs);
    rd_kafka_topic_partition_list_destroy(subs);
    if (rerr) {
        rd_kafka_destroy(c->rk);
        free(c);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "subscribe: %s",
                            rd_kafka_err2str(rerr));
    }
    *out = c;
    return DUBAN_OK;
}

rd_kafka_message_t *duban_consumer_poll(duban_consumer_t *c, int timeout_ms)
{
    rd_kafka_message_t *msg = rd_kafka_consumer_poll(c->rk, timeout_ms);
    if (!msg || !msg->err || msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
        return msg;
    char kv[160];
    snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld",
             msg->rkt ? rd_kafka_topic_name(msg->rkt) : "-", (int)msg->partition,
             (long long)msg->offset);
    DUBAN_LOG(DUBAN_LOG_WARN, "CONSUME", kv, "%s", rd_kafka_message_errstr(msg));
    rd_kafka_message_destroy(msg);
    return NULL;
}

duban_err_t duban_consumer_commit(duban_consumer_t *c, const char *topic,
                                  int32_t partition, int64_t next_offset, bool sync,
                                  char *errbuf, size_t errbuf_size)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, topic, partition)->offset = next_offset;
    rd_kafka_resp_err_t rerr = rd_kafka_commit(c->rk, l, sync ? 0 : 1);
    rd_kafka_topic_partition_list_destroy(l);
    if (rerr && rerr != RD_KAFKA_RESP_ERR__NO_OFFSET)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "commit %s [%d] @%lld: %s",
                            topic, (int)partition, (long long)next_offset,
                            rd_kafka_err2str(rerr));
    return DUBAN_OK;
}

rd_kafka_t *duban_consumer_handle(duban_consumer_t *c) { return c->rk; }

void duban_consumer_hold_assigned(duban_consumer_t *c) { c->hold = true; }

void duban_consumer_destroy(duban_consumer_t *c)
{
    if (!c)
        return;
    rd_kafka_consumer_close(c->rk);
    rd_kafka_destroy(c->rk);
    free(c);
}

/* ---- health ---- */

bool duban_kafka_broker_answers(rd_kafka_t *rk, int timeout_ms, char *reason,
                                size_t reason_size)
{
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, NULL, &md, timeout_ms);
    if (md)
        rd_kafka_metadata_destroy(md);
    if (err)
        snprintf(reason, reason_size, "no broker answers: %s", rd_kafka_err2str(err));
    return !err;
}

/* ---- shutdown signals ---- */

static volatile sig_atomic_t shutdown_flag;

static void on_signal(int sig)
{
    (void)sig;
    shutdown_flag = 1;
}

void duban_shutdown_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool duban_shutdown_requested(void) { return shutdown_flag != 0; }
void duban_shutdown_request(void) { shutdown_flag = 1; }

/* ---- reload signal ---- */

static volatile sig_atomic_t reload_flag;

static void on_reload_signal(int sig)
{
    (void)sig;
    reload_flag = 1;
}

void duban_reload_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_reload_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
}

bool duban_reload_take(void)
{
    if (!reload_flag)
        return false;
    reload_flag = 0;
    return true;
}
