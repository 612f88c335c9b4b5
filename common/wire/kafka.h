/* common/wire/kafka.h: the thin librdkafka layer every duban service uses.
 * Producer: idempotent (enable.idempotence=true), acks=all, delivery reports
 * counted; a failed delivery surfaces as an error from duban_producer_flush()
 * (and through the optional per-message callback), never silently dropped.
 * Consumer: a consumer group, no auto-commit (the caller commits after it has
 * processed a message), rebalance callbacks, auto.offset.reset=earliest.
 * Every `kafka.<prop>` config key is passed to librdkafka unchanged.
 * Owns:   rd_kafka_t handles and their configuration.
 * Never:  exits; logs only through common/log.h at warn level for client-side
 *         librdkafka errors. Thread: one thread per handle, except
 *         duban_producer_send which librdkafka makes thread safe. */
#ifndef DUBAN_KAFKA_H
#define DUBAN_KAFKA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "err.h"

typedef struct {
    const char *name;
    const void *value;
    size_t len;
} duban_kafka_header_t;

/* ---- producer ---- */
typedef struct duban_producer_s duban_producer_t;

/* Called from duban_producer_poll/flush for every message sent with a
 * non-NULL msg_opaque: err is DUBAN_OK when it was delivered. */
typedef void (duban_delivery_cb)(duban_err_t err, const rd_kafka_message_t *msg,
                                 void *msg_opaque, void *opaque);

/* *out is NEW. Needs kafka.bootstrap.servers in conf. */
duban_err_t duban_producer_new(const duban_conf_t *conf, duban_delivery_cb *cb,
                               void *opaque, duban_producer_t **out,
                               char *errbuf, size_t errbuf_size);
/* Copies key, value and headers. Blocks (serving delivery reports) while the
 * local queue is full. partition -1 = partition by key (librdkafka's
 * consistent_random, the Java client's murmur2 is selectable with
 * kafka.partitioner=murmur2_random). */
duban_err_t duban_producer_send(duban_producer_t *p, const char *topic,
                                int32_t partition, const void *key, size_t key_len,
                                const void *value, size_t value_len,
                                const duban_kafka_header_t *headers,
                                size_t header_count, void *msg_opaque,
                                char *errbuf, size_t errbuf_size);
/* The same with the message's timestamp (CreateTime, epoch ms; 0 = now),
 * for tools that copy or re-publish messages and keep their times. */
duban_err_t duban_producer_send_at(duban_producer_t *p, const char *topic,
                                   int32_t partition, int64_t timestamp, const void *key,
                                   size_t key_len, const void *value, size_t value_len,
                                   const duban_kafka_header_t *headers,
                                   size_t header_count, void *msg_opaque,
                                   char *errbuf, size_t errbuf_size);
void duban_producer_poll(duban_producer_t *p, int timeout_ms);
/* Waits for every outstanding delivery. DUBAN_E_KAFKA when any delivery
 * failed since the previous flush (errbuf: how many, and the first reason);
 * DUBAN_E_TIMEOUT when messages are still in flight after timeout_ms. */
duban_err_t duban_producer_flush(duban_producer_t *p, int timeout_ms,
                                 char *errbuf, size_t errbuf_size);
uint64_t duban_producer_delivered(const duban_producer_t *p);
uint64_t duban_producer_failed(const duban_producer_t *p);
rd_kafka_t *duban_producer_handle(duban_producer_t *p);
/* Flushes (up to 10 s) and frees. NULL is a no-op. */
void duban_producer_destroy(duban_producer_t *p);
/* The same, waiting at most flush_ms (0: a caller that has flushed already
 * frees at once; what is still in flight is logged and dropped). */
void duban_producer_destroy_within(duban_producer_t *p, int flush_ms);

/* ---- consumer ---- */
typedef struct duban_consumer_s duban_consumer_t;

/* assigned=true: the partitions were just assigned (called before the
 * consumer starts fetching them, so the callback may rebuild state, and may
 * set an element's offset: `parts` is then assigned as the callback left
 * it; or it may call duban_consumer_hold_assigned to have them assigned
 * paused); false: they are being revoked (commit what is final now).
 * The callback runs inside duban_consumer_poll: while it runs nothing else
 * of the caller's loop does (signals, other work), so it should not wait
 * on the network for long. */
typedef void (duban_rebalance_cb)(duban_consumer_t *c, bool assigned,
                                  rd_kafka_topic_partition_list_t *parts, void *opaque);

/* *out is NEW. group_id overrides kafka.group.id when non-NULL. */
duban_err_t duban_consumer_new(const duban_conf_t *conf, const char *group_id,
                               const char *const *topics, size_t topic_count,
                               duban_rebalance_cb *cb, void *opaque,
                               duban_consumer_t **out, char *errbuf,
                               size_t errbuf_size);
/* A NEW message (rd_kafka_message_destroy it) or NULL on timeout. Messages
 * carrying a consumer error other than partition EOF are logged and not
 * returned; partition EOF is returned only with kafka.enable.partition.eof=true. */
rd_kafka_message_t *duban_consumer_poll(duban_consumer_t *c, int timeout_ms);
/* Commits next_offset (= last processed offset + 1) for one partition. */
duban_err_t duban_consumer_commit(duban_consumer_t *c, const char *topic,
                                  int32_t partition, int64_t next_offset, bool sync,
                                  char *errbuf, size_t errbuf_size);
rd_kafka_t *duban_consumer_handle(duban_consumer_t *c);
/* From an assignment callback: the partitions it was given are paused as
 * soon as they are assigned, so nothing of them is fetched until the caller
 * resumes them (rd_kafka_resume_partitions) when it is ready for them. */
void duban_consumer_hold_assigned(duban_consumer_t *c);
/* Leaves the group (revoke callback runs) and frees. NULL is a no-op. */
void duban_consumer_destroy(duban_consumer_t *c);

/* Builds a librdkafka conf from every kafka.* key (NEW; for tools needing a
 * plain rd_kafka_t, e.g. a non-group reader). */
duban_err_t duban_kafka_conf_from(const duban_conf_t *conf, rd_kafka_conf_t **out,
                                  char *errbuf, size_t errbuf_size);
/* librdkafka's log lines and errors through common/log.h (fac=KAFKA), as
 * for the handles made here, instead of its own lines on stderr. */
void duban_kafka_conf_log_to_duban(rd_kafka_conf_t *rk_conf);

/* Whether a broker answers a metadata request within timeout_ms (for
 * /healthz; thread safe); when not, reason says "no broker answers: ...". */
bool duban_kafka_broker_answers(rd_kafka_t *rk, int timeout_ms, char *reason,
                                size_t reason_size);

/* SIGINT/SIGTERM set a flag instead of killing the process. */
void duban_shutdown_install(void);
bool duban_shutdown_requested(void);
void duban_shutdown_request(void);

/* SIGHUP sets a flag instead of killing the process: a program that
 * reloads its configuration installs this and asks duban_reload_take()
 * from its loop (true once per signal, or per burst of signals). */
void duban_reload_install(void);
bool duban_reload_take(void);

#endif
