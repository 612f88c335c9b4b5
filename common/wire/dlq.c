/* common/wire/dlq.c: DeadLetter events with reason headers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base64.h"
#include "date.h"
#include "dlq.h"
#include "hash.h"

void duban_dlq_origin_from(const rd_kafka_message_t *msg, duban_dlq_origin_t *out)
{
    out->topic = msg->rkt ? rd_kafka_topic_name(msg->rkt) : "";
    out->partition = msg->partition;
    out->offset = msg->offset;
    out->key = msg->key;
    out->key_len = msg->key_len;
    out->payload = msg->payload;
    out->payload_len = msg->len;
}

static json_t *base64_json(const void *data, size_t len)
{
    char *text;
    if (duban_base64_encode(data ? data : "", len, &text))
        return NULL;
    json_t *j = json_string(text);
    free(text);
    return j;
}

static json_t *dead_letter_json(const duban_dlq_origin_t *o, const char *reason,
                                const char *service)
{
    char offset[32], partition[16], id[DUBAN_SHA256_HEX_SIZE];
    snprintf(offset, sizeof(offset), "%lld", (long long)o->offset);
    snprintf(partition, sizeof(partition), "%d", (int)o->partition);
    const char *parts[] = {"DeadLetter", o->topic, partition, offset, reason};
    duban_sha256_hex_parts(parts, 5, id);
    json_t *ev = json_object();
    json_object_set_new(ev, "event_id", json_string(id));
    json_object_set_new(ev, "occurred_at", json_integer(duban_now_ms()));
    json_object_set_new(ev, "schema_version", json_integer(1));
    json_object_set_new(ev, "source", json_pack("{s:s, s:i, s:I}", "file", service,
                                                "line", 0, "offset", (json_int_t)-1));
    json_object_set_new(ev, "original_topic", json_string(o->topic));
    json_object_set_new(ev, "partition", json_integer(o->partition));
    json_object_set_new(ev, "offset", json_integer(o->offset));
    json_object_set_new(ev, "key", o->key ? base64_json(o->key, o->key_len) : json_null());
    json_object_set_new(ev, "payload", base64_json(o->payload, o->payload_len));
    /* A reason that is not valid UTF-8 must still be sent: replace it. */
    json_t *r = json_string(reason);
    json_object_set_new(ev, "reason", r ? r : json_string("(reason not valid UTF-8)"));
    return ev;
}

duban_err_t duban_dlq_send(duban_producer_t *p, duban_serde_t *serde,
                           const duban_dlq_origin_t *origin, const char *reason,
                           const char *service, void *msg_opaque, char *errbuf,
                           size_t errbuf_size)
{
    json_t *ev = dead_letter_json(origin, reason, service);
    void *buf = NULL;
    size_t len = 0;
    duban_err_t err = duban_serde_encode(serde, DUBAN_EV_DEAD_LETTER, NULL, ev, &buf, &len,
                                         errbuf, errbuf_size);
    json_decref(ev);
    if (err)
        return err;
    char partition[16], offset[32];
    snprintf(partition, sizeof(partition), "%d", (int)origin->partition);
    snprintf(offset, sizeof(offset), "%lld", (long long)origin->offset);
    duban_kafka_header_t headers[] = {
        {"duban.reason", reason, strlen(reason)},
        {"duban.original.topic", origin->topic, strlen(origin->topic)},
        {"duban.original.partition", partition, strlen(partition)},
        {"duban.original.offset", offset, strlen(offset)},
        {"duban.service", service, strlen(service)},
    };
    err = duban_producer_send(p, DUBAN_TOPIC_DLQ, -1, origin->key, origin->key_len, buf, len,
                              headers, sizeof(headers) / sizeof(headers[0]), msg_opaque,
                              errbuf, errbuf_size);
    free(buf);
    return err;
}
