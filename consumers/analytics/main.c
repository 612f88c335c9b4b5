/* duban-analytics: every duban topic into an embedded SQL store (SQLite),
 * the clean feed for downstream analytics, and CSV export of it.
 *
 * Consumes the six topics as consumer group duban-analytics. Messages are
 * applied in batches inside one SQL transaction; the Kafka offsets of a
 * batch are committed only after its transaction has committed, so a crash
 * re-applies at most one batch, and re-applying is harmless because every
 * write is an idempotent upsert (consumers/analytics/store.c). An undecodable message is
 * dead-lettered (except from duban.dlq.v1 itself, which is only logged, so a
 * bad dead letter cannot loop). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "dlq.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "store.h"

#define BATCH_MAX 2000
#define BATCH_MS 500

typedef struct {
    const char *db_path, *csv_dir, *group;
    int exit_at_end;
} analytics_opts_t;

typedef struct {
    duban_store_t *store;
    duban_serde_t *serde;
    duban_producer_t *dlq;
    duban_consumer_t *consumer;
    rd_kafka_topic_partition_list_t *pending; /* next offsets of the open batch */
    long batch, applied, bad, eof_pending;
    int assigned;
} analytics_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-analytics --db FILE [-b BROKERS] [options]\n"
            "Loads every duban topic into a SQLite database (tables documents, tasks,\n"
            "task_departments, task_status, alerts, deliveries, dead_letters; view\n"
            "task_current) and/or exports it as CSV.\n"
            "  --db FILE        the SQLite database (created if missing)\n"
            "  --csv DIR        after loading (or alone, without -b), write DIR/<table>.csv\n"
            "  --group G        consumer group (default duban-analytics)\n"
            "  --exit-at-end    stop when every partition is read to its end\n"
            "%s",
            duban_conf_common_usage());
}

static int parse_args(int argc, char **argv, duban_conf_t *conf, analytics_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--exit-at-end", DUBAN_OPT_FLAG, offsetof(analytics_opts_t, exit_at_end)},
        {"--db", DUBAN_OPT_STRING, offsetof(analytics_opts_t, db_path)},
        {"--csv", DUBAN_OPT_STRING, offsetof(analytics_opts_t, csv_dir)},
        {"--group", DUBAN_OPT_STRING, offsetof(analytics_opts_t, group)},
    };
    static const duban_program_t prog = {"duban-analytics", usage, table,
                                         sizeof(table) / sizeof(table[0]), NULL,
                                         DUBAN_USES_ANALYTICS};
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    if (!o->db_path)
        return fprintf(stderr, "duban-analytics: --db FILE is required (see --help)\n"), -1;
    return 0;
}

static void on_rebalance(duban_consumer_t *c, bool assigned,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    (void)c;
    analytics_t *an = opaque;
    an->assigned += assigned ? parts->cnt : -parts->cnt;
    if (assigned)
        an->eof_pending += parts->cnt;
}

/* Closes the open batch: SQL commit first, then the Kafka offsets. */
static int flush_batch(analytics_t *an)
{
    char errbuf[512];
    if (an->batch == 0)
        return 0;
    if (duban_store_commit(an->store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        return -1;
    }
    rd_kafka_resp_err_t err = rd_kafka_commit(duban_consumer_handle(an->consumer), an->pending, 0);
    if (err)
        duban_warn("COMMIT", "%s", rd_kafka_err2str(err));
    rd_kafka_topic_partition_list_destroy(an->pending);
    an->pending = rd_kafka_topic_partition_list_new(32);
    an->batch = 0;
    return 0;
}

static int apply(analytics_t *an, const rd_kafka_message_t *msg)
{
    char errbuf[512], kv[200];
    const char *topic = rd_kafka_topic_name(msg->rkt);
    if (an->batch == 0 && duban_store_begin(an->store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        return -1;
    }
    duban_event_type_t type;
    json_t *ev = NULL;
    duban_err_t err = duban_serde_decode(an->serde, msg->payload, msg->len, &type, &ev, errbuf,
                                         sizeof(errbuf));
    if (!err)
        err = duban_store_put(an->store, type, ev, errbuf, sizeof(errbuf));
    json_decref(ev);
    if (err == DUBAN_E_IO) {
        duban_error("STORE", "%s", errbuf); /* the store itself failed: stop */
        return -1;
    }
    if (err) {
        an->bad++;
        snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld", topic, (int)msg->partition,
                 (long long)msg->offset);
        DUBAN_LOG(DUBAN_LOG_ERROR, "DECODE", kv, "%s", errbuf);
        if (strcmp(topic, DUBAN_TOPIC_DLQ) != 0) {
            duban_dlq_origin_t origin;
            char dlq_err[256];
            duban_dlq_origin_from(msg, &origin);
            if (duban_dlq_send(an->dlq, an->serde, &origin, errbuf, "duban-analytics", NULL,
                               dlq_err, sizeof(dlq_err)) ||
                duban_producer_flush(an->dlq, 30000, dlq_err, sizeof(dlq_err))) {
                duban_error("DLQ", "%s", dlq_err);
                return -1; /* not committed: it will be read again */
            }
        }
    } else {
        an->applied++;
    }
    rd_kafka_topic_partition_list_add(an->pending, topic, msg->partition)->offset = msg->offset + 1;
    an->batch++;
    return 0;
}

static int run(analytics_t *an, const analytics_opts_t *o)
{
    int64_t batch_started = 0;
    while (!duban_shutdown_requested()) {
        rd_kafka_message_t *msg = duban_consumer_poll(an->consumer, 100);
        int64_t now = duban_now_ms();
        if (msg && msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(msg);
            msg = NULL;
            if (o->exit_at_end && --an->eof_pending <= 0 && an->assigned > 0)
                break;
        }
        if (msg) {
            if (an->batch == 0)
                batch_started = now;
            int rc = apply(an, msg);
            rd_kafka_message_destroy(msg);
            if (rc)
                return 1;
        }
        if (an->batch >= BATCH_MAX || (an->batch && now - batch_started >= BATCH_MS))
            if (flush_batch(an))
                return 1;
    }
    return flush_batch(an) ? 1 : 0;
}

static int consume(analytics_t *an, duban_conf_t *conf, const analytics_opts_t *o)
{
    char errbuf[512];
    const char *topics[DUBAN_EV__COUNT];
    for (int t = 0; t < DUBAN_EV__COUNT; t++)
        topics[t] = duban_event_topic((duban_event_type_t)t);
    if (o->exit_at_end)
        duban_conf_set(conf, "kafka.enable.partition.eof", "true", NULL, 0);
    if (duban_serde_new(conf, &an->serde, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &an->dlq, errbuf, sizeof(errbuf)) ||
        duban_consumer_new(conf, o->group ? o->group : "duban-analytics", topics,
                           DUBAN_EV__COUNT, on_rebalance, an, &an->consumer, errbuf,
                           sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    an->pending = rd_kafka_topic_partition_list_new(32);
    int rc = run(an, o);
    duban_info("ANALYTICS", "%ld events stored, %ld undecodable", an->applied, an->bad);
    rd_kafka_topic_partition_list_destroy(an->pending);
    duban_consumer_destroy(an->consumer);
    duban_producer_destroy(an->dlq);
    duban_serde_destroy(an->serde);
    return rc;
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    analytics_opts_t o = {0};
    char errbuf[512];
    int start = parse_args(argc, argv, conf, &o);
    if (start) {
        duban_conf_destroy(conf);
        return start > 0 ? 0 : 2;
    }
    duban_program_log_level(conf);
    duban_shutdown_install();
    analytics_t an = {0};
    int rc = 0;
    if (duban_store_open(o.db_path, &an.store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        rc = 1;
    }
    if (!rc && duban_conf_get(conf, "kafka.bootstrap.servers", NULL))
        rc = consume(&an, conf, &o);
    if (!rc && o.csv_dir && duban_store_export_csv(an.store, o.csv_dir, errbuf, sizeof(errbuf))) {
        duban_error("CSV", "%s", errbuf);
        rc = 1;
    }
    duban_store_close(an.store);
    duban_conf_destroy(conf);
    return rc;
}
