/* common/wire/log_reader.h: reading duban's topics back as a log, without a
 * consumer group: every partition of the chosen topics, each from a first
 * offset (default: the oldest kept) to a last offset (default: the last one
 * written when the reader was opened), in offset order per partition. What
 * duban-replay and duban-audit read the topics with.
 *
 * Open a reader (it fetches each topic's partitions and watermarks), adjust
 * the range of any partition (duban_log_reader_part, or --since through
 * duban_log_reader_seek_since), then run it with a callback per message.
 * Messages past a partition's last offset are not handed over unless the
 * reader follows (then every partition is read on, without end).
 * Owns:   an rd_kafka_t consumer that is never a group member and never
 *         commits (its group.id only names it), and the partition table.
 * Never:  commits, produces, or hands over a message twice; logs only
 *         through log.h (warn: consumer errors, info: how --since seeked).
 * Allocation: aborts on out of memory (core/alloc.h). librdkafka may hold
 *         up to 256 MiB (1,000,000 messages) prefetched when the callback is
 *         slower than the broker (kafka.queued.* override it).
 * Thread: one reader per thread. */
#ifndef DUBAN_LOG_READER_H
#define DUBAN_LOG_READER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include "conf.h"
#include "err.h"

typedef struct {
    const char *topic;     /* borrowed from the reader */
    int32_t partition;
    int64_t low, high;     /* watermarks when the reader was opened */
    int64_t first;         /* first offset handed over (default: low) */
    int64_t last;          /* last one (default: high - 1; first > last: none) */
} duban_log_part_t;

typedef struct duban_log_reader_s duban_log_reader_t;

/* *out is NEW. Fetches the partitions of topics[0..n) and their watermarks;
 * group_id only names the client (NULL: kafka.group.id, else
 * "duban-log-reader"). Asks for every topic's metadata (so the mock
 * creates none) until an answer, 10 s or a shutdown request: errors as
 * duban_topics_metadata's (the broker named); DUBAN_E_NOTFOUND "no topic T
 * on the cluster at HOST:PORT". */
duban_err_t duban_log_reader_new(const duban_conf_t *conf, const char *group_id,
                                 const char *const *topics, size_t n,
                                 duban_log_reader_t **out, char *errbuf, size_t errbuf_size);
/* Closes the consumer and frees. NULL is a no-op. */
void duban_log_reader_destroy(duban_log_reader_t *r);

size_t duban_log_reader_count(const duban_log_reader_t *r);
/* Partition i (0 .. count-1), borrowed; first and last may be changed
 * before duban_log_reader_run. NULL past the end. */
duban_log_part_t *duban_log_reader_part(duban_log_reader_t *r, size_t i);
/* The partition of topic/partition, NULL when the reader has none. */
duban_log_part_t *duban_log_reader_find(duban_log_reader_t *r, const char *topic,
                                        int32_t partition);

/* Starts each partition at the first offset whose timestamp is >= since
 * (offsets-for-times), or past its end when there is none. The embedded
 * broker answers offsets-for-times with -1: there nothing moves (an info
 * line says so) and the caller filters on timestamps itself. */
void duban_log_reader_seek_since(duban_log_reader_t *r, int64_t since);

/* Called for each message in range (borrowed for the call); nonzero stops
 * the run. */
typedef int (duban_log_msg_cb)(const rd_kafka_message_t *msg, void *opaque);

/* Reads until every partition has handed over its last offset (a partition
 * whose end comes first, e.g. at a transaction marker, is done at its end);
 * with follow, until cb or a shutdown request (kafka.h) stops it. With
 * idle_ms > 0, a run that gets nothing for idle_ms while partitions are
 * still short of their last offset ends with DUBAN_E_TIMEOUT, errbuf naming
 * the first of them (0: wait for ever). DUBAN_OK otherwise, also when cb or
 * a shutdown stopped it. */
duban_err_t duban_log_reader_run(duban_log_reader_t *r, bool follow, int idle_ms,
                                 duban_log_msg_cb *cb, void *opaque, char *errbuf,
                                 size_t errbuf_size);

/* The consumer (for librdkafka calls the reader does not wrap). */
rd_kafka_t *duban_log_reader_handle(duban_log_reader_t *r);

#endif
