/* consumers/audit/read.c: how duban-audit reads the topics (see audit.h):
 * common/wire/log_reader.h, from the oldest message to the end seen at
 * the start of the read, no group, no commits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit.h"
#include "date.h"
#include "log.h"
#include "log_reader.h"

#define MAX_READ_TOPICS 8
/* A read that gets nothing for this long while partitions are short of
 * their end fails (the broker went away), instead of waiting for ever. */
#define READ_IDLE_MS 30000

const char *audit_topic(const audit_t *a, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", a->prefix ? a->prefix : "", name);
    return buf;
}

typedef struct {
    const audit_t *a;
    const char *const *names;   /* duban's */
    char full[MAX_READ_TOPICS][256];
    size_t n;
    audit_msg_cb *cb;
    void *opaque;
} read_t;

static int on_message(const rd_kafka_message_t *msg, void *opaque)
{
    read_t *r = opaque;
    const char *topic = rd_kafka_topic_name(msg->rkt);
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(topic, r->full[i]))
            return r->cb(r->names[i], msg, r->opaque);
    return 0;
}

bool audit_read(const audit_t *a, const char *const *topics, size_t n, audit_msg_cb *cb,
                void *opaque)
{
    read_t r = {.a = a, .names = topics, .n = n, .cb = cb, .opaque = opaque};
    const char *full[MAX_READ_TOPICS];
    char errbuf[512];
    if (n > MAX_READ_TOPICS)
        return false;
    for (size_t i = 0; i < n; i++)
        full[i] = audit_topic(a, topics[i], r.full[i], sizeof(r.full[i]));
    duban_log_reader_t *reader;
    int64_t t0 = duban_now_ms();
    if (duban_log_reader_new(a->conf, "duban-audit", full, n, &reader, errbuf,
                             sizeof(errbuf))) {
        duban_error("READ", "%s", errbuf);
        return false;
    }
    int64_t t1 = duban_now_ms();
    duban_err_t err = duban_log_reader_run(reader, false, READ_IDLE_MS, on_message, &r,
                                           errbuf, sizeof(errbuf));
    if (err)
        duban_error("READ", "%s", errbuf);
    duban_log_reader_destroy(reader);
    duban_debug("READ", "%s%s: opened in %lld ms, read in %lld ms", full[0],
                n > 1 ? " and more" : "", (long long)(t1 - t0),
                (long long)(duban_now_ms() - t1));
    return err == DUBAN_OK;
}

const char *audit_header(const rd_kafka_message_t *msg, const char *name, char *buf,
                         size_t size)
{
    rd_kafka_headers_t *hdrs = NULL;
    const void *value;
    size_t len;
    if (rd_kafka_message_headers(msg, &hdrs) || !hdrs ||
        rd_kafka_header_get_last(hdrs, name, &value, &len))
        return NULL;
    snprintf(buf, size, "%.*s", value ? (int)len : 0, value ? (const char *)value : "");
    return buf;
}

const char *audit_key(const rd_kafka_message_t *msg, char *buf, size_t size)
{
    /* as snprintf "%.*s" writes it: cut at a NUL and at size - 1 bytes */
    size_t n = msg->key ? strnlen(msg->key, msg->key_len) : 0;
    if (size == 0)
        return buf;
    if (n > size - 1)
        n = size - 1;
    if (n)
        memcpy(buf, msg->key, n);
    buf[n] = '\0';
    return buf;
}

json_t *audit_decode(duban_serde_t *serde, const rd_kafka_message_t *msg,
                     duban_event_type_t want, char *errbuf, size_t errbuf_size)
{
    duban_event_type_t type;
    json_t *ev;
    if (duban_serde_decode(serde, msg->payload, msg->len, &type, &ev, errbuf, errbuf_size))
        return NULL;
    if (type == want)
        return ev;
    duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "a %s, not a %s",
                 duban_event_type_name(type), duban_event_type_name(want));
    json_decref(ev);
    return NULL;
}

int audit_parse_count(const char *v, int64_t *out)
{
    char *end;
    if (!v || *v < '0' || *v > '9')
        return -1;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end)
        return -1;
    *out = n;
    return 0;
}

int audit_start(const duban_program_t *prog, audit_t *a, int argc, char **argv, void *opts)
{
    int rc = duban_program_start(prog, a->conf, argc, argv, opts);
    if (rc)
        return rc;
    if (duban_program_log_level(a->conf) < 0) {
        fprintf(stderr, "%s: --log-level wants error|warn|info|debug\n", prog->name);
        return -1;
    }
    duban_log_init("duban-audit", -1);
    if (!duban_conf_get(a->conf, "kafka.bootstrap.servers", NULL)) {
        fprintf(stderr, "%s: no brokers: pass -b HOST:PORT or -b @FILE\n", prog->name);
        return -1;
    }
    return 0;
}
