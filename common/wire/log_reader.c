/* common/wire/log_reader.c: reading topics back without a group (see
 * log_reader.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "date.h"
#include "kafka.h"
#include "log.h"
#include "log_reader.h"
#include "topics.h"

#define META_TIMEOUT_MS 10000

typedef struct {
    duban_log_part_t pub;
    bool done;
} part_t;

struct duban_log_reader_s {
    rd_kafka_t *rk;
    char **topics;
    size_t ntopics;
    part_t *parts;
    size_t nparts, cap;
};

static duban_err_t open_consumer(duban_log_reader_t *r, const duban_conf_t *conf,
                                 const char *group_id, char *errbuf, size_t errbuf_size)
{
    rd_kafka_conf_t *rc;
    char rerr[512];
    duban_err_t err = duban_kafka_conf_from(conf, &rc, errbuf, errbuf_size);
    if (err)
        return err;
    if (!group_id)
        group_id = duban_conf_get(conf, "kafka.group.id", "duban-log-reader");
    /* A fetch that finds some partitions at their end waits up to
     * fetch.wait.max.ms (500 by default) before the broker answers: reading
     * a million events, those waits were a third of the time and most of
     * its spread. 100 ms unless kafka.fetch.wait.max.ms says otherwise. */
    /* The prefetch limits apply to the one consumer queue all partitions
     * share (not per partition, as for kcat's simple consumer): past 100,000
     * messages or 64 MiB every partition stopped fetching, and librdkafka
     * 2.0 looks again only about a second later, which was most of the
     * spread of a million-event read (1.1 to 2.8 s). 1,000,000 messages and
     * 256 MiB unless configured: the reader's memory may grow to that when
     * its output is slower than the broker. */
    static const char *defaults[][2] = {{"fetch.wait.max.ms", "100"},
                                        {"queued.min.messages", "1000000"},
                                        {"queued.max.messages.kbytes", "262144"}};
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        char key[64];
        snprintf(key, sizeof(key), "kafka.%s", defaults[i][0]);
        if (!duban_conf_get(conf, key, NULL) &&
            rd_kafka_conf_set(rc, defaults[i][0], defaults[i][1], rerr, sizeof(rerr))) {
            rd_kafka_conf_destroy(rc);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "log reader: %s", rerr);
        }
    }
    if (rd_kafka_conf_set(rc, "group.id", group_id, rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.auto.commit", "false", rerr, sizeof(rerr)) ||
        rd_kafka_conf_set(rc, "enable.partition.eof", "true", rerr, sizeof(rerr)) ||
        !(r->rk = rd_kafka_new(RD_KAFKA_CONSUMER, rc, rerr, sizeof(rerr)))) {
        if (!r->rk)
            rd_kafka_conf_destroy(rc);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "log reader: %s", rerr);
    }
    rd_kafka_poll_set_consumer(r->rk);
    return DUBAN_OK;
}

static void add_part(duban_log_reader_t *r, const char *topic, int32_t partition)
{
    r->parts = duban_array_xgrow(r->parts, &r->cap, r->nparts + 1, sizeof(part_t), 16);
    r->parts[r->nparts++] = (part_t){.pub = {.topic = topic, .partition = partition}};
}

/* The partitions of one topic, in partition order. */
static duban_err_t add_topic(duban_log_reader_t *r, const duban_conf_t *conf,
                             const rd_kafka_metadata_t *md, const char *topic, char *errbuf,
                             size_t errbuf_size)
{
    const rd_kafka_metadata_topic_t *t = duban_topics_find(md, topic);
    if (!t || t->err || t->partition_cnt == 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOTFOUND,
                            "no topic %s on the cluster at %s", topic,
                            duban_conf_get(conf, "kafka.bootstrap.servers", "?"));
    for (int32_t p = 0; p < t->partition_cnt; p++) /* the metadata lists them in any order */
        add_part(r, topic, p);
    return DUBAN_OK;
}

static duban_err_t read_watermarks(duban_log_reader_t *r, char *errbuf, size_t errbuf_size)
{
    for (size_t i = 0; i < r->nparts; i++) {
        duban_log_part_t *p = &r->parts[i].pub;
        rd_kafka_resp_err_t rerr = rd_kafka_query_watermark_offsets(
            r->rk, p->topic, p->partition, &p->low, &p->high, META_TIMEOUT_MS);
        if (rerr)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "%s [%d] watermarks: %s",
                                p->topic, (int)p->partition, rd_kafka_err2str(rerr));
        p->first = p->low;
        p->last = p->high - 1;
    }
    return DUBAN_OK;
}

duban_err_t duban_log_reader_new(const duban_conf_t *conf, const char *group_id,
                                 const char *const *topics, size_t n,
                                 duban_log_reader_t **out, char *errbuf, size_t errbuf_size)
{
    duban_log_reader_t *r = duban_xcalloc(1, sizeof(*r));
    r->topics = duban_xcalloc(n + 1, sizeof(char *));
    const rd_kafka_metadata_t *md = NULL;
    duban_err_t err = open_consumer(r, conf, group_id, errbuf, errbuf_size);
    if (!err)
        err = duban_topics_metadata(conf, r->rk, META_TIMEOUT_MS, &md, errbuf, errbuf_size);
    for (size_t t = 0; !err && t < n; t++) {
        r->topics[t] = duban_xstrdup(topics[t]);
        r->ntopics = t + 1;
        err = add_topic(r, conf, md, r->topics[t], errbuf, errbuf_size);
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    if (!err)
        err = read_watermarks(r, errbuf, errbuf_size);
    if (err) {
        duban_log_reader_destroy(r);
        return err;
    }
    *out = r;
    return DUBAN_OK;
}

void duban_log_reader_destroy(duban_log_reader_t *r)
{
    if (!r)
        return;
    if (r->rk) {
        rd_kafka_consumer_close(r->rk);
        rd_kafka_destroy(r->rk);
    }
    for (size_t t = 0; t < r->ntopics; t++)
        free(r->topics[t]);
    free(r->topics);
    free(r->parts);
    free(r);
}

size_t duban_log_reader_count(const duban_log_reader_t *r)
{
    return r->nparts;
}

duban_log_part_t *duban_log_reader_part(duban_log_reader_t *r, size_t i)
{
    return i < r->nparts ? &r->parts[i].pub : NULL;
}

duban_log_part_t *duban_log_reader_find(duban_log_reader_t *r, const char *topic,
                                        int32_t partition)
{
    for (size_t i = 0; i < r->nparts; i++)
        if (r->parts[i].pub.partition == partition && strcmp(r->parts[i].pub.topic, topic) == 0)
            return &r->parts[i].pub;
    return NULL;
}

rd_kafka_t *duban_log_reader_handle(duban_log_reader_t *r)
{
    return r->rk;
}

void duban_log_reader_seek_since(duban_log_reader_t *r, int64_t since)
{
    if (duban_cluster_is_mock(r->rk, META_TIMEOUT_MS)) {
        duban_info("SEEK", "mock broker: no offsets-for-times, --since filters client-side");
        return;
    }
    rd_kafka_topic_partition_list_t *q = rd_kafka_topic_partition_list_new((int)r->nparts);
    for (size_t i = 0; i < r->nparts; i++)
        rd_kafka_topic_partition_list_add(q, r->parts[i].pub.topic, r->parts[i].pub.partition)
            ->offset = since;
    rd_kafka_resp_err_t rerr = rd_kafka_offsets_for_times(r->rk, q, META_TIMEOUT_MS);
    long moved = 0;
    for (int i = 0; i < q->cnt && !rerr; i++) {
        duban_log_part_t *p = &r->parts[i].pub;
        if (q->elems[i].err)
            continue; /* that partition is read from its first offset */
        p->first = q->elems[i].offset < 0 ? p->high : q->elems[i].offset;
        moved++;
    }
    if (rerr)
        duban_warn("SEEK", "offsets-for-times: %s; reading from the beginning",
                   rd_kafka_err2str(rerr));
    else
        duban_info("SEEK", "offsets-for-times: %ld of %d partitions start at --since", moved,
                   q->cnt);
    rd_kafka_topic_partition_list_destroy(q);
}

/* ---- running ---- */

static part_t *part_of(duban_log_reader_t *r, const rd_kafka_message_t *m)
{
    const char *topic = rd_kafka_topic_name(m->rkt);
    for (size_t i = 0; i < r->nparts; i++)
        if (r->parts[i].pub.partition == m->partition &&
            strcmp(r->parts[i].pub.topic, topic) == 0)
            return &r->parts[i];
    return NULL;
}

/* Assigns every partition with something to hand over (with follow:
 * every partition) at its first offset; returns how many it assigned. */
static size_t assign_all(duban_log_reader_t *r, bool follow)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new((int)r->nparts);
    size_t open = 0;
    for (size_t i = 0; i < r->nparts; i++) {
        part_t *p = &r->parts[i];
        p->done = !follow && (p->pub.first > p->pub.last || p->pub.first >= p->pub.high);
        if (p->done)
            continue;   /* nothing to read there: not even assigned */
        open++;
        rd_kafka_topic_partition_list_add(l, p->pub.topic, p->pub.partition)->offset =
            p->pub.first < p->pub.low ? RD_KAFKA_OFFSET_BEGINNING : p->pub.first;
    }
    rd_kafka_assign(r->rk, l);
    rd_kafka_topic_partition_list_destroy(l);
    return open;
}

static void name_open(duban_log_reader_t *r, char *errbuf, size_t errbuf_size, int idle_ms)
{
    for (size_t i = 0; i < r->nparts; i++)
        if (!r->parts[i].done) {
            duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                         "%s [%d]: nothing arrived for %d ms before offset %lld",
                         r->parts[i].pub.topic, (int)r->parts[i].pub.partition, idle_ms,
                         (long long)r->parts[i].pub.last);
            return;
        }
}

/* Messages taken from librdkafka's queue per call: one lock per batch
 * instead of per message. The batch call never waits (it would wait until
 * the batch is full); an empty queue is waited on for one message. */
#define READ_BATCH 512

duban_err_t duban_log_reader_run(duban_log_reader_t *r, bool follow, int idle_ms,
                                 duban_log_msg_cb *cb, void *opaque, char *errbuf,
                                 size_t errbuf_size)
{
    size_t open = assign_all(r, follow);
    int64_t last_seen = duban_now_ms();
    duban_err_t err = DUBAN_OK;
    rd_kafka_queue_t *q = rd_kafka_queue_get_consumer(r->rk);
    rd_kafka_message_t *batch[READ_BATCH];
    int stop = 0;
    while ((follow || open > 0) && !stop && !duban_shutdown_requested()) {
        /* what is queued, without waiting; when nothing is, wait for one */
        ssize_t got = rd_kafka_consume_batch_queue(q, 0, batch, READ_BATCH);
        if (got <= 0 && (batch[0] = rd_kafka_consume_queue(q, 200)))
            got = 1;
        if (got <= 0) {
            if (!follow && idle_ms > 0 && duban_now_ms() - last_seen > idle_ms) {
                name_open(r, errbuf, errbuf_size, idle_ms);
                err = DUBAN_E_TIMEOUT;
                break;
            }
            continue;
        }
        if (idle_ms > 0)
            last_seen = duban_now_ms();
        for (ssize_t i = 0; i < got; i++) {
            rd_kafka_message_t *m = batch[i];
            part_t *p = stop ? NULL : part_of(r, m);
            if (stop) {
                /* stopped by cb: the rest of the batch is not handed over */
            } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                if (p && !p->done && !follow && m->offset > p->pub.last) {
                    p->done = true;   /* the end came before the last offset */
                    open--;
                }
            } else if (m->err) {
                duban_warn("CONSUME", "%s", rd_kafka_message_errstr(m));
            } else if (p && (follow || (!p->done && m->offset <= p->pub.last))) {
                stop = cb(m, opaque);
                if (!follow && m->offset >= p->pub.last) {
                    p->done = true;
                    open--;
                }
            }
            rd_kafka_message_destroy(m);
        }
    }
    rd_kafka_queue_destroy(q);
    rd_kafka_assign(r->rk, NULL);
    return err;
}
