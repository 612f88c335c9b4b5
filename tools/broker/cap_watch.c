/* tools/broker/cap_watch.c: warnings before and when the mock drops data. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <librdkafka/rdkafka.h>
#include "cap_watch.h"
#include "date.h"
#include "log.h"

#define CAP_BYTES (5.0 * 1024 * 1024) /* mock.c: mpart->max_size */
#define CAP_BATCHES 100000            /* mock.c: mpart->max_cnt */
#define NEAR 0.8
#define RECORD_OVERHEAD 12 /* varint lengths, deltas, attributes */

typedef struct {
    char *topic;
    int32_t partition;
    int64_t lo, hi, sampled_at; /* held count when last sampled */
    double record_bytes;
    bool warned_near, warned_drop;
} watched_t;

struct cap_watch_s {
    rd_kafka_t *rk;
    watched_t *parts;
    size_t count, cap;
    int64_t last_ms;
};

cap_watch_t *cap_watch_new(const char *bootstraps)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps, NULL, 0);
    rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
    rd_kafka_conf_set(conf, "enable.auto.commit", "false", NULL, 0);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    cap_watch_t *w = rk ? calloc(1, sizeof(*w)) : NULL;
    if (!w) {
        duban_warn("CAP", "no watcher for the 5 MiB cap: %s", rk ? "out of memory" : errstr);
        if (rk)
            rd_kafka_destroy(rk);
        else
            rd_kafka_conf_destroy(conf);
        return NULL;
    }
    w->rk = rk;
    w->last_ms = duban_now_ms();
    return w;
}

static watched_t *find_or_add(cap_watch_t *w, const char *topic, int32_t partition)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->parts[i].partition == partition && strcmp(w->parts[i].topic, topic) == 0)
            return &w->parts[i];
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        watched_t *p = realloc(w->parts, cap * sizeof(*p));
        if (!p)
            return NULL;
        w->parts = p;
        w->cap = cap;
    }
    char *name = strdup(topic);
    if (!name)
        return NULL;
    w->parts[w->count] = (watched_t){.topic = name, .partition = partition};
    return &w->parts[w->count++];
}

/* Learns the partitions of every topic (new ones appear at any time). */
static void refresh_partitions(cap_watch_t *w)
{
    const rd_kafka_metadata_t *md;
    if (rd_kafka_metadata(w->rk, 1, NULL, &md, 500) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return;
    for (int t = 0; t < md->topic_cnt; t++)
        for (int p = 0; p < md->topics[t].partition_cnt; p++)
            find_or_add(w, md->topics[t].topic, md->topics[t].partitions[p].id);
    rd_kafka_metadata_destroy(md);
}

/* Key + value bytes of the message at offset, or 0. */
static double sample_record(cap_watch_t *w, const watched_t *wp, int64_t offset)
{
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(w->rk, wp->topic, NULL);
    double bytes = 0;
    if (rkt && rd_kafka_consume_start(rkt, wp->partition, offset) == 0) {
        rd_kafka_message_t *m = rd_kafka_consume(rkt, wp->partition, 1000);
        if (m && !m->err)
            bytes = (double)(m->len + m->key_len);
        if (m)
            rd_kafka_message_destroy(m);
        rd_kafka_consume_stop(rkt, wp->partition);
    }
    if (rkt)
        rd_kafka_topic_destroy(rkt);
    return bytes;
}

static void check_partition(cap_watch_t *w, watched_t *wp)
{
    char kv[320];
    snprintf(kv, sizeof(kv), "topic=%s part=%d", wp->topic, (int)wp->partition);
    if (wp->lo > 0 && !wp->warned_drop) {
        wp->warned_drop = true;
        DUBAN_LOG(DUBAN_LOG_WARN, "CAP", kv,
                  "dropping data: the mock keeps 5 MiB per partition and has freed "
                  "offsets below %lld; keep data on real Kafka (scripts/kafka.sh)",
                  (long long)wp->lo);
    }
    int64_t held = wp->hi - wp->lo;
    if (wp->warned_near || wp->warned_drop || held <= 0)
        return;
    if (wp->sampled_at == 0 || held >= wp->sampled_at + wp->sampled_at / 4 + 1) {
        double b = sample_record(w, wp, wp->hi - 1);
        if (b > 0) {
            wp->record_bytes = b + RECORD_OVERHEAD;
            wp->sampled_at = held;
        }
    }
    double estimate = (double)held * wp->record_bytes;
    if (estimate >= NEAR * CAP_BYTES || held >= (int64_t)(NEAR * CAP_BATCHES)) {
        wp->warned_near = true;
        DUBAN_LOG(DUBAN_LOG_WARN, "CAP", kv,
                  "nearing the mock's cap: about %.1f MiB in %lld messages of at most "
                  "5 MiB (or 100,000 batches) per partition; older data will be dropped",
                  estimate / (1024 * 1024), (long long)held);
    }
}

/* Reads every partition's watermarks in two requests per broker. */
static void read_watermarks(cap_watch_t *w)
{
    rd_kafka_topic_partition_list_t *lo = rd_kafka_topic_partition_list_new((int)w->count + 1);
    for (size_t i = 0; i < w->count; i++)
        rd_kafka_topic_partition_list_add(lo, w->parts[i].topic, w->parts[i].partition)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_topic_partition_list_t *hi = rd_kafka_topic_partition_list_copy(lo);
    for (int i = 0; i < hi->cnt; i++)
        hi->elems[i].offset = RD_KAFKA_OFFSET_END;
    if (!rd_kafka_offsets_for_times(w->rk, lo, 500) &&
        !rd_kafka_offsets_for_times(w->rk, hi, 500)) {
        for (int i = 0; i < lo->cnt && (size_t)i < w->count; i++) {
            if (lo->elems[i].err || hi->elems[i].err || lo->elems[i].offset < 0 ||
                hi->elems[i].offset < 0)
                continue;
            w->parts[i].lo = lo->elems[i].offset;
            w->parts[i].hi = hi->elems[i].offset;
            check_partition(w, &w->parts[i]);
        }
    }
    rd_kafka_topic_partition_list_destroy(lo);
    rd_kafka_topic_partition_list_destroy(hi);
}

void cap_watch_tick(cap_watch_t *w)
{
    if (!w || duban_now_ms() - w->last_ms < 1000)
        return;
    refresh_partitions(w);
    if (w->count)
        read_watermarks(w);
    w->last_ms = duban_now_ms();
}

void cap_watch_destroy(cap_watch_t *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++) {
        if (w->parts[i].lo > 0) {
            char kv[320];
            snprintf(kv, sizeof(kv), "topic=%s part=%d", w->parts[i].topic,
                     (int)w->parts[i].partition);
            DUBAN_LOG(DUBAN_LOG_WARN, "CAP", kv, "dropped the %lld oldest messages in all",
                      (long long)w->parts[i].lo);
        }
        free(w->parts[i].topic);
    }
    free(w->parts);
    rd_kafka_destroy(w->rk);
    free(w);
}
