/* common/topics.h: duban's six topics as an operator wants them on a real
 * Kafka cluster (where auto-create is off), created or checked with
 * librdkafka's Admin API.
 *
 * Layout: duban.tasks.v1, duban.task-status.v1 and duban.alerts.v1 are
 * co-partitioned (one partition count, keyed by task_id); documents, tasks,
 * task-status and alerts are kept forever (retention.ms=-1, the audit trail);
 * deliveries and the DLQ keep topics.long.retention.ms. Keys:
 *   topics.partitions          partitions of a topic duban creates (4); a
 *                              co-partitioned topic takes the count of its
 *                              existing partners
 *   topics.replication.factor  -1 = the broker's default.replication.factor
 *   topics.min.insync.replicas (unset = the broker's default)
 *   topics.long.retention.ms   deliveries and DLQ (94608000000 = 3 years)
 *   topics.timeout.ms          Admin and metadata requests (30000)
 *   topics.ensure              false: programs skip the check at start
 * On librdkafka's mock cluster (duban-broker), which has no Admin API and
 * no topic configs, only the co-partitioning is checked.
 * Owns:   the topic table and the Admin/metadata requests for it.
 * Never:  deletes or alters an existing topic; logs except through log.h
 *         (warnings about an existing topic's settings). Thread: any. */
#ifndef DUBAN_TOPICS_H
#define DUBAN_TOPICS_H
#include <stdbool.h>
#include <stddef.h>
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "err.h"

#define DUBAN_TOPIC_COUNT 6

typedef struct {
    const char *name;
    bool copartitioned;  /* shares tasks' partition count */
    bool forever;        /* retention.ms=-1; else topics.long.retention.ms */
} duban_topic_spec_t;

/* The six topics (static table, DUBAN_TOPIC_COUNT entries). */
const duban_topic_spec_t *duban_topics_table(void);

/* Checks that the co-partitioned topics among names[] agree: counts[i] is a
 * topic's partition count, or -1 when it does not exist (skipped).
 * DUBAN_E_CONFLICT with every topic and count named in errbuf otherwise. */
duban_err_t duban_topics_check_copartitioned(const char *const *names, const int *counts,
                                             size_t n, char *errbuf, size_t errbuf_size);

/* true when rk is connected to librdkafka's mock cluster (its cluster id
 * starts "mockCluster"); false for a real cluster or when no id arrives in
 * timeout_ms. */
bool duban_cluster_is_mock(rd_kafka_t *rk, int timeout_ms);

/* Every topic's metadata (NEW: rd_kafka_metadata_destroy), asked for all
 * topics at once: naming one would make the mock create it. Asks again
 * every 250 ms until an answer, timeout_ms, or a shutdown request
 * (kafka.h), so a program waiting on an unreachable broker still stops at
 * SIGTERM. Errors name the bootstrap servers (kafka.bootstrap.servers of
 * conf): DUBAN_E_KAFKA "no answer from the broker at HOST:PORT within 10 s
 * (Local: Broker transport failure)", DUBAN_E_TIMEOUT "... interrupted". */
duban_err_t duban_topics_metadata(const duban_conf_t *conf, rd_kafka_t *rk, int timeout_ms,
                                  const rd_kafka_metadata_t **out, char *errbuf,
                                  size_t errbuf_size);
/* The topic's entry in md, or NULL when the cluster has no such topic. */
const rd_kafka_metadata_topic_t *duban_topics_find(const rd_kafka_metadata_t *md,
                                                   const char *topic);
/* Every one of topics[0..n) exists (duban_topics_metadata's errors), else
 * DUBAN_E_NOTFOUND "no topic T on the cluster at HOST:PORT" (nothing is
 * created). */
duban_err_t duban_topics_require(const duban_conf_t *conf, rd_kafka_t *rk,
                                 const char *const *topics, size_t n, int timeout_ms,
                                 char *errbuf, size_t errbuf_size);

/* What duban_topics_ensure found (after creating). */
typedef struct {
    int partitions[DUBAN_TOPIC_COUNT]; /* per duban_topics_table() row; -1 = missing */
    int replicas[DUBAN_TOPIC_COUNT];   /* replicas of partition 0 */
    int created;                       /* topics created by this call */
    bool mock;                         /* librdkafka's mock cluster */
} duban_topics_state_t;

/* Creates the missing topics (when create is true) and checks every
 * existing one: co-partitioning is an error (DUBAN_E_CONFLICT), a missing
 * topic with create=false is DUBAN_E_NOTFOUND, settings that differ from the
 * layout (retention, min.insync.replicas, replication factor) are logged as
 * warnings. state may be NULL. */
duban_err_t duban_topics_ensure(const duban_conf_t *conf, bool create,
                                duban_topics_state_t *state, char *errbuf,
                                size_t errbuf_size);

/* What programs call at start: duban_topics_ensure(conf, true, ...) unless
 * topics.ensure=false; logs what it created. */
duban_err_t duban_topics_ensure_at_start(const duban_conf_t *conf, char *errbuf,
                                         size_t errbuf_size);

#endif
