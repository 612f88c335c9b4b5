/* common/wire/dlq.h: the dead-letter path every consumer shares.
 * A message that cannot be decoded or processed is wrapped, unchanged, in a
 * DeadLetter event (original topic, partition, offset, key, payload, reason)
 * and produced to duban.dlq.v1, keyed by the original key, with the reason
 * repeated in headers: duban.reason, duban.original.topic,
 * duban.original.partition, duban.original.offset, duban.service.
 * Owns:   nothing (uses the caller's producer and serde).
 * Never:  drops the message silently: a failed produce is returned. */
#ifndef DUBAN_DLQ_H
#define DUBAN_DLQ_H
#include <librdkafka/rdkafka.h>
#include "kafka.h"
#include "serde.h"

typedef struct {
    const char *topic;
    int32_t partition;
    int64_t offset;
    const void *key;
    size_t key_len;
    const void *payload;
    size_t payload_len;
} duban_dlq_origin_t;

/* Fills an origin from a consumed message (borrowed pointers). */
void duban_dlq_origin_from(const rd_kafka_message_t *msg, duban_dlq_origin_t *out);

/* Produces the DeadLetter; msg_opaque goes to the producer's delivery
 * callback so the caller can commit once it is delivered. */
duban_err_t duban_dlq_send(duban_producer_t *p, duban_serde_t *serde,
                           const duban_dlq_origin_t *origin, const char *reason,
                           const char *service, void *msg_opaque,
                           char *errbuf, size_t errbuf_size);

#endif
