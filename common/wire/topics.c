/* common/topics.c: create or check duban's topics (Admin API, metadata). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "topics.h"

static const duban_topic_spec_t topic_table[DUBAN_TOPIC_COUNT] = {
    {DUBAN_TOPIC_DOCUMENTS, false, true},
    {DUBAN_TOPIC_TASKS, true, true},
    {DUBAN_TOPIC_TASK_STATUS, true, true},
    {DUBAN_TOPIC_ALERTS, true, true},
    {DUBAN_TOPIC_DELIVERIES, false, false},
    {DUBAN_TOPIC_DLQ, false, false},
};


const duban_topic_spec_t *duban_topics_table(void)
{
    return topic_table;
}

static bool is_copartitioned(const char *name)
{
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
        if (strcmp(topic_table[i].name, name) == 0)
            return topic_table[i].copartitioned;
    return false;
}

duban_err_t duban_topics_check_copartitioned(const char *const *names, const int *counts,
                                             size_t n, char *errbuf, size_t errbuf_size)
{
    int first = -1;
    bool differ = false;
    for (size_t i = 0; i < n; i++) {
        if (counts[i] < 0 || !is_copartitioned(names[i]))
            continue;
        if (first < 0)
            first = counts[i];
        else if (counts[i] != first)
            differ = true;
    }
    if (!differ)
        return DUBAN_OK;
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof(list); i++)
        if (counts[i] >= 0 && is_copartitioned(names[i]))
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s has %d",
                                     used ? ", " : "", names[i], counts[i]);
    return duban_seterr(errbuf, errbuf_size, DUBAN_E_CONFLICT,
                        "topics are not co-partitioned: %s partitions; the alerter needs "
                        "tasks, task-status and alerts keyed by task_id on one partition "
                        "count (recreate them with the same count)",
                        list);
}

bool duban_cluster_is_mock(rd_kafka_t *rk, int timeout_ms)
{
    char *id = rd_kafka_clusterid(rk, timeout_ms);
    bool mock = id && strncmp(id, "mockCluster", 11) == 0;
    rd_kafka_mem_free(rk, id);
    return mock;
}

duban_err_t duban_topics_metadata(const duban_conf_t *conf, rd_kafka_t *rk, int timeout_ms,
                                  const rd_kafka_metadata_t **out, char *errbuf,
                                  size_t errbuf_size)
{
    const char *servers = duban_conf_get(conf, "kafka.bootstrap.servers", "?");
    int64_t deadline = duban_now_ms() + timeout_ms;
    rd_kafka_resp_err_t rerr;
    *out = NULL;
    for (;;) {
        int64_t left = deadline - duban_now_ms();
        rerr = rd_kafka_metadata(rk, 1, NULL, out, left < 250 ? (int)(left > 0 ? left : 1)
                                                             : 250);
        if (!rerr)
            return DUBAN_OK;
        if (duban_shutdown_requested())
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                                "waiting for the broker at %s: interrupted", servers);
        if (duban_now_ms() >= deadline)
            break;
        if (rerr != RD_KAFKA_RESP_ERR__TIMED_OUT && rerr != RD_KAFKA_RESP_ERR__TRANSPORT)
            break;
    }
    /* librdkafka's last word on the connection says why */
    return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA,
                        "no answer from the broker at %s within %d s (%s)", servers,
                        timeout_ms / 1000, rd_kafka_err2str(rerr));
}

const rd_kafka_metadata_topic_t *duban_topics_find(const rd_kafka_metadata_t *md,
                                                   const char *topic)
{
    for (int t = 0; t < md->topic_cnt; t++)
        if (strcmp(md->topics[t].topic, topic) == 0)
            return &md->topics[t];
    return NULL;
}

duban_err_t duban_topics_require(const duban_conf_t *conf, rd_kafka_t *rk,
                                 const char *const *topics, size_t n, int timeout_ms,
                                 char *errbuf, size_t errbuf_size)
{
    const rd_kafka_metadata_t *md = NULL;
    duban_err_t err = duban_topics_metadata(conf, rk, timeout_ms, &md, errbuf, errbuf_size);
    for (size_t i = 0; !err && i < n; i++) {
        const rd_kafka_metadata_topic_t *t = duban_topics_find(md, topics[i]);
        if (!t || t->err || t->partition_cnt == 0)
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOTFOUND,
                               "no topic %s on the cluster at %s", topics[i],
                               duban_conf_get(conf, "kafka.bootstrap.servers", "?"));
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    return err;
}

/* ---- one Admin or metadata session ---- */

typedef struct {
    const duban_conf_t *conf;
    rd_kafka_t *rk;
    int timeout_ms;
    int *counts;   /* = state.partitions */
    int *replicas; /* = state.replicas */
    duban_topics_state_t state;
} session_t;

static duban_err_t read_counts(session_t *s, char *errbuf, size_t errbuf_size)
{
    const rd_kafka_metadata_t *md;
    /* all topics: naming one would make the mock auto-create it */
    rd_kafka_resp_err_t rerr = rd_kafka_metadata(s->rk, 1, NULL, &md, s->timeout_ms);
    if (rerr)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "metadata: %s",
                            rd_kafka_err2str(rerr));
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++) {
        s->counts[i] = -1;
        s->replicas[i] = 0;
        for (int t = 0; t < md->topic_cnt; t++) {
            const rd_kafka_metadata_topic_t *mt = &md->topics[t];
            if (strcmp(mt->topic, topic_table[i].name) != 0 || mt->err)
                continue;
            s->counts[i] = mt->partition_cnt;
            s->replicas[i] = mt->partition_cnt > 0 ? mt->partitions[0].replica_cnt : 0;
        }
    }
    rd_kafka_metadata_destroy(md);
    return DUBAN_OK;
}

static duban_err_t check_copartitioned(const session_t *s, char *errbuf, size_t errbuf_size)
{
    const char *names[DUBAN_TOPIC_COUNT];
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
        names[i] = topic_table[i].name;
    return duban_topics_check_copartitioned(names, s->counts, DUBAN_TOPIC_COUNT, errbuf,
                                            errbuf_size);
}

/* Waits for the Admin result event of one request on q. NEW event. */
static rd_kafka_event_t *admin_wait(rd_kafka_queue_t *q, int timeout_ms, char *errbuf,
                                    size_t errbuf_size, duban_err_t *err)
{
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, timeout_ms + 5000);
    if (!ev) {
        *err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                            "no Admin API answer in %d ms", timeout_ms + 5000);
    } else if (rd_kafka_event_error(ev)) {
        *err = duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "Admin API: %s",
                            rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
        ev = NULL;
    }
    return ev;
}

static rd_kafka_AdminOptions_t *admin_options(session_t *s, rd_kafka_admin_op_t op)
{
    char e[256];
    rd_kafka_AdminOptions_t *opt = rd_kafka_AdminOptions_new(s->rk, op);
    rd_kafka_AdminOptions_set_request_timeout(opt, s->timeout_ms, e, sizeof(e));
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS)
        rd_kafka_AdminOptions_set_operation_timeout(opt, s->timeout_ms, e, sizeof(e));
    return opt;
}

static const char *retention_of(const session_t *s, size_t i)
{
    return topic_table[i].forever
               ? "-1"
               : duban_conf_str(s->conf, "topics.long.retention.ms");
}

/* The partition count a missing topic gets. */
static int count_for(const session_t *s, size_t i, int partitions)
{
    if (topic_table[i].copartitioned)
        for (size_t j = 0; j < DUBAN_TOPIC_COUNT; j++)
            if (topic_table[j].copartitioned && s->counts[j] > 0)
                return s->counts[j];
    return partitions;
}

static duban_err_t new_topic(session_t *s, size_t i, int partitions, int rf,
                             rd_kafka_NewTopic_t **out, char *errbuf, size_t errbuf_size)
{
    char e[256];
    const char *isr = duban_conf_str(s->conf, "topics.min.insync.replicas");
    rd_kafka_NewTopic_t *nt =
        rd_kafka_NewTopic_new(topic_table[i].name, count_for(s, i, partitions), rf, e, sizeof(e));
    if (!nt)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s: %s", topic_table[i].name, e);
    rd_kafka_NewTopic_set_config(nt, "retention.ms", retention_of(s, i));
    if (topic_table[i].forever)
        rd_kafka_NewTopic_set_config(nt, "retention.bytes", "-1");
    if (isr)
        rd_kafka_NewTopic_set_config(nt, "min.insync.replicas", isr);
    *out = nt;
    return DUBAN_OK;
}

static duban_err_t create_missing(session_t *s, char *errbuf, size_t errbuf_size)
{
    long partitions, rf;
    duban_err_t err;
    if ((err = duban_conf_int(s->conf, "topics.partitions", &partitions, errbuf,
                                   errbuf_size)) ||
        (err = duban_conf_int(s->conf, "topics.replication.factor", &rf, errbuf,
                                   errbuf_size)))
        return err;
    if (partitions < 1 || partitions > 100000)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "topics.partitions: 1..100000");
    rd_kafka_NewTopic_t *nts[DUBAN_TOPIC_COUNT];
    size_t n = 0;
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT && !err; i++)
        if (s->counts[i] < 0)
            err = new_topic(s, i, (int)partitions, (int)rf, &nts[n++], errbuf, errbuf_size);
    if (err || n == 0) {
        rd_kafka_NewTopic_destroy_array(nts, err ? n - 1 : n);
        return err;
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(s->rk);
    rd_kafka_AdminOptions_t *opt = admin_options(s, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_CreateTopics(s->rk, nts, n, opt, q);
    rd_kafka_event_t *ev = admin_wait(q, s->timeout_ms, errbuf, errbuf_size, &err);
    if (ev) {
        size_t cnt;
        const rd_kafka_topic_result_t **res =
            rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &cnt);
        for (size_t i = 0; i < cnt && !err; i++) {
            rd_kafka_resp_err_t terr = rd_kafka_topic_result_error(res[i]);
            if (terr == RD_KAFKA_RESP_ERR_NO_ERROR)
                s->state.created++;
            else if (terr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) /* a peer was first */
                err = duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "creating %s: %s",
                                   rd_kafka_topic_result_name(res[i]),
                                   rd_kafka_topic_result_error_string(res[i]));
        }
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_AdminOptions_destroy(opt);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy_array(nts, n);
    return err;
}

/* Created topics reach the brokers' metadata a moment after CreateTopics
 * returns: re-read it until every topic is there. */
static duban_err_t wait_visible(session_t *s, char *errbuf, size_t errbuf_size)
{
    for (int waited = 0;; waited += 100) {
        duban_err_t err = read_counts(s, errbuf, errbuf_size);
        if (err)
            return err;
        size_t i = 0;
        while (i < DUBAN_TOPIC_COUNT && s->counts[i] > 0)
            i++;
        if (i == DUBAN_TOPIC_COUNT)
            return DUBAN_OK;
        if (waited >= s->timeout_ms)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                                "%s was created but is not in the metadata after %d ms",
                                topic_table[i].name, waited);
        rd_kafka_poll(s->rk, 100);
    }
}

/* ---- warnings about an existing topic's settings ---- */

static void warn_entry(const session_t *s, size_t i, const rd_kafka_ConfigEntry_t *ce)
{
    const char *name = rd_kafka_ConfigEntry_name(ce), *value = rd_kafka_ConfigEntry_value(ce);
    const char *want = NULL;
    if (!value)
        return;
    if (strcmp(name, "retention.ms") == 0) {
        want = retention_of(s, i);
        if (!topic_table[i].forever && strtoll(value, NULL, 10) == -1)
            return; /* kept forever is longer than long */
    } else if (strcmp(name, "min.insync.replicas") == 0) {
        want = duban_conf_str(s->conf, "topics.min.insync.replicas");
    }
    if (want && strcmp(want, value) != 0)
        duban_warn("TOPICS", "%s has %s=%s; duban's layout wants %s", topic_table[i].name,
                   name, value, want);
}

static void warn_settings(session_t *s)
{
    long rf;
    if (duban_conf_int(s->conf, "topics.replication.factor", &rf, NULL, 0) == DUBAN_OK)
        for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
            if (rf > 0 && s->counts[i] > 0 && s->replicas[i] != rf)
                duban_warn("TOPICS", "%s has replication factor %d; configured %ld",
                           topic_table[i].name, s->replicas[i], rf);
    rd_kafka_ConfigResource_t *crs[DUBAN_TOPIC_COUNT];
    size_t idx[DUBAN_TOPIC_COUNT], n = 0;
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
        if (s->counts[i] > 0) {
            idx[n] = i;
            crs[n++] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic_table[i].name);
        }
    if (n == 0)
        return;
    rd_kafka_queue_t *q = rd_kafka_queue_new(s->rk);
    rd_kafka_AdminOptions_t *opt = admin_options(s, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    rd_kafka_DescribeConfigs(s->rk, crs, n, opt, q);
    char errbuf[256];
    duban_err_t err = DUBAN_OK;
    rd_kafka_event_t *ev = admin_wait(q, s->timeout_ms, errbuf, sizeof(errbuf), &err);
    if (err)
        duban_warn("TOPICS", "could not read topic settings: %s", errbuf);
    if (ev) {
        size_t cnt, ccnt;
        const rd_kafka_ConfigResource_t **rs = rd_kafka_DescribeConfigs_result_resources(
            rd_kafka_event_DescribeConfigs_result(ev), &cnt);
        for (size_t r = 0; r < cnt && r < n; r++) {
            const rd_kafka_ConfigEntry_t **ces = rd_kafka_ConfigResource_configs(rs[r], &ccnt);
            for (size_t c = 0; c < ccnt; c++)
                warn_entry(s, idx[r], ces[c]);
        }
        rd_kafka_event_destroy(ev);
    }
    rd_kafka_AdminOptions_destroy(opt);
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy_array(crs, n);
}

/* ---- the entry points ---- */

static duban_err_t ensure_on(session_t *s, bool create, char *errbuf, size_t errbuf_size)
{
    duban_err_t err = read_counts(s, errbuf, errbuf_size);
    if (err || (err = check_copartitioned(s, errbuf, errbuf_size)))
        return err;
    s->state.mock = duban_cluster_is_mock(s->rk, s->timeout_ms);
    if (s->state.mock)
        return DUBAN_OK; /* no Admin API, no configs; topics come from duban-broker */
    bool missing = false;
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
        missing |= s->counts[i] < 0;
    if (missing && !create) {
        for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
            if (s->counts[i] < 0)
                return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOTFOUND,
                                    "topic %s does not exist (run duban-topics create)",
                                    topic_table[i].name);
    }
    if (missing) {
        if ((err = create_missing(s, errbuf, errbuf_size)) ||
            (err = wait_visible(s, errbuf, errbuf_size)) ||
            (err = check_copartitioned(s, errbuf, errbuf_size)))
            return err;
    }
    warn_settings(s);
    return DUBAN_OK;
}

duban_err_t duban_topics_ensure(const duban_conf_t *conf, bool create,
                                duban_topics_state_t *state, char *errbuf,
                                size_t errbuf_size)
{
    long timeout;
    rd_kafka_conf_t *rk_conf;
    duban_err_t err = duban_conf_int(conf, "topics.timeout.ms", &timeout, errbuf,
                                          errbuf_size);
    if (err || (err = duban_kafka_conf_from(conf, &rk_conf, errbuf, errbuf_size)))
        return err;
    char e[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, rk_conf, e, sizeof(e));
    if (!rk) {
        rd_kafka_conf_destroy(rk_conf);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "%s", e);
    }
    session_t s = {.conf = conf, .rk = rk, .timeout_ms = (int)timeout};
    s.counts = s.state.partitions;
    s.replicas = s.state.replicas;
    err = ensure_on(&s, create, errbuf, errbuf_size);
    rd_kafka_destroy(rk);
    if (state)
        *state = s.state;
    return err;
}

duban_err_t duban_topics_ensure_at_start(const duban_conf_t *conf, char *errbuf,
                                         size_t errbuf_size)
{
    if (!duban_conf_flag(conf, "topics.ensure"))
        return DUBAN_OK;
    duban_topics_state_t state;
    duban_err_t err = duban_topics_ensure(conf, true, &state, errbuf, errbuf_size);
    if (!err && state.created)
        duban_info("TOPICS", "created %d of duban's topics", state.created);
    return err;
}
