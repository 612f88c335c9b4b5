/* duban-replay: read duban's topics back as JSON Lines, for audits,
 * re-computation and tests.
 *
 * Without --group it reads every partition of the chosen topics from the
 * beginning (no commits, no group membership) and, with --exit-at-end, stops
 * at the high watermarks seen at start. With --group it is a member of that
 * consumer group: it stores each message's offset after printing it and
 * commits what is stored every 200 ms, when partitions are revoked and at
 * exit (synchronously), and --max-messages N stops after exactly N messages,
 * so a restart resumes right after. (One commit per message, as before, is
 * free on the mock; a real group coordinator writes each one to
 * __consumer_offsets, and 24,000 of them queued up for over a minute.) Undecodable messages are reported on stderr
 * with topic/partition/offset and skipped (or dead-lettered with --dlq).
 * --since/--until always filter on message timestamps (when the producer
 * stamped the message: every duban producer, ingest included, stamps the
 * time it wrote it); --occurred-since/--occurred-until filter
 * on the event's own occurred_at, read from the Avro bytes without decoding
 * the rest. Without --group,
 * --since also starts each partition at the offset a real broker's
 * offsets-for-times gives for it. The mock broker (duban-broker) answers
 * offsets-for-times with -1, so there every partition is read from the
 * beginning. --until never ends a partition early: producers set CreateTime
 * (ingest: the document's issue date), so timestamps are not in offset
 * order. */
#include <errno.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "dlq.h"
#include "event.h"
#include "json_write.h"
#include "kafka.h"
#include "log.h"
#include "log_reader.h"
#include "serde.h"
#include "topics.h"

#define MAX_TOPICS 16

typedef struct {
    const char *topics[MAX_TOPICS];
    size_t topic_count;
    const char *group, *key_filter;
    long max_messages;
    int exit_at_end, meta, dlq, general_decoder;
    int64_t since, until;                   /* message timestamps */
    int64_t occurred_since, occurred_until; /* the events' occurred_at */
    bool by_occurred;
} replay_opts_t;

typedef struct {
    replay_opts_t *o;
    duban_serde_t *serde;
    duban_producer_t *dlq_producer;
    long printed, bad, eof_pending;
    int assigned;
    duban_buf_t line;     /* the line being printed, reused */
} replay_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-replay [options]\n"
            "Prints the decoded events of duban's topics as JSON Lines.\n"
            "  --topic T          a topic to read (repeatable; default: all six)\n"
            "  --group G          consume as group G, committing after each message\n"
            "  --max-messages N   stop after N messages (N >= 1)\n"
            "  --exit-at-end      stop at the end of every partition\n"
            "  --since TIME --until TIME   only messages whose Kafka timestamp (when the\n"
            "                     producer stamped them) is in [since, until)\n"
            "  --occurred-since TIME --occurred-until TIME   only events whose occurred_at\n"
            "                     (when the fact took effect) is in [since, until)\n"
            "  --key K            only messages with key K (a task_id, doc_id...)\n"
            "  --meta             add \"_kafka\": {topic, partition, offset, timestamp, key}\n"
            "  --dlq              dead-letter undecodable messages to duban.dlq.v1\n"
            "  --general-decoder  decode through avro-c and jansson, as before the direct\n"
            "                     printer (the same output, slower; for comparisons)\n"
            "%s",
            duban_conf_common_usage());
}

/* --topic (repeatable), --max-messages, --since, --until, --from-beginning. */
static int replay_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                      size_t errbuf_size)
{
    replay_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--from-beginning"))
        return 1; /* the default; accepted for kcat-like scripts */
    if (!v)
        return 0;
    if (!strcmp(a, "--topic") && o->topic_count < MAX_TOPICS) {
        o->topics[o->topic_count++] = v;
    } else if (!strcmp(a, "--max-messages")) {
        char *end;
        errno = 0;
        o->max_messages = strtol(v, &end, 10);
        if (end == v || *end || errno || o->max_messages < 1)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--max-messages %s: not a whole number >= 1", v), -1;
    } else if (!strcmp(a, "--since") || !strcmp(a, "--until") ||
               !strcmp(a, "--occurred-since") || !strcmp(a, "--occurred-until")) {
        bool occurred = a[2] == 'o';
        bool since = strstr(a, "since") != NULL;
        int64_t *t = occurred ? (since ? &o->occurred_since : &o->occurred_until)
                              : (since ? &o->since : &o->until);
        if (duban_instant_parse(v, t))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s %s is not an ISO-8601 time", a, v), -1;
        o->by_occurred |= occurred;
    } else {
        return 0;
    }
    return 2;
}

static int parse_args(int argc, char **argv, duban_conf_t *conf, replay_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--exit-at-end", DUBAN_OPT_FLAG, offsetof(replay_opts_t, exit_at_end)},
        {"--meta", DUBAN_OPT_FLAG, offsetof(replay_opts_t, meta)},
        {"--dlq", DUBAN_OPT_FLAG, offsetof(replay_opts_t, dlq)},
        {"--general-decoder", DUBAN_OPT_FLAG, offsetof(replay_opts_t, general_decoder)},
        {"--group", DUBAN_OPT_STRING, offsetof(replay_opts_t, group)},
        {"--key", DUBAN_OPT_STRING, offsetof(replay_opts_t, key_filter)},
    };
    static const duban_program_t prog = {"duban-replay", usage, table,
                                         sizeof(table) / sizeof(table[0]), replay_arg,
                                         DUBAN_USES_REPLAY};
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    if (o->topic_count == 0)
        for (int t = 0; t < DUBAN_EV__COUNT; t++)
            o->topics[o->topic_count++] = duban_event_topic((duban_event_type_t)t);
    return 0;
}

/* Whether the event's occurred_at is in the window; an event whose
 * occurred_at cannot be read is let through, so that decoding it reports
 * what is wrong with it. */
static bool occurred_in(const replay_t *r, const rd_kafka_message_t *msg)
{
    int64_t at;
    if (duban_serde_occurred_at(r->serde, msg->payload, msg->len, &at, NULL, 0))
        return true;
    return (!r->o->occurred_since || at >= r->o->occurred_since) &&
           (!r->o->occurred_until || at < r->o->occurred_until);
}

static bool wanted(const replay_t *r, const rd_kafka_message_t *msg)
{
    const replay_opts_t *o = r->o;
    rd_kafka_timestamp_type_t tstype;
    int64_t ts = rd_kafka_message_timestamp(msg, &tstype);
    if (o->since && ts < o->since)
        return false;
    if (o->until && ts >= o->until)
        return false;
    if (o->key_filter && (!msg->key || msg->key_len != strlen(o->key_filter) ||
                          memcmp(msg->key, o->key_filter, msg->key_len) != 0))
        return false;
    return !o->by_occurred || occurred_in(r, msg);
}

static void add_meta(json_t *ev, const rd_kafka_message_t *msg)
{
    rd_kafka_timestamp_type_t tstype;
    char ts[32];
    json_t *meta = json_pack("{s:s, s:i, s:I, s:s}", "topic", rd_kafka_topic_name(msg->rkt),
                             "partition", (int)msg->partition, "offset",
                             (json_int_t)msg->offset, "timestamp",
                             duban_instant_format(rd_kafka_message_timestamp(msg, &tstype), ts));
    json_t *key = msg->key ? json_stringn(msg->key, msg->key_len) : json_null();
    json_object_set_new(meta, "key", key ? key : json_null());
    json_object_set_new(ev, "_kafka", meta);
}

/* The same "_kafka" member as add_meta, as text: the event's closing brace
 * becomes ,"_kafka":{...}}. */
static void put_meta(duban_buf_t *b, const rd_kafka_message_t *msg)
{
    rd_kafka_timestamp_type_t tstype;
    char num[64];
    const char *topic = rd_kafka_topic_name(msg->rkt);
    b->len--;
    duban_json_write_raw(b, ",\"_kafka\":{\"topic\":");
    duban_json_write_string(b, topic, strlen(topic));
    snprintf(num, sizeof(num), ",\"partition\":%d,\"offset\":%lld,\"timestamp\":\"",
             (int)msg->partition, (long long)msg->offset);
    duban_json_write_raw(b, num);
    duban_json_write_raw(b, duban_instant_format(rd_kafka_message_timestamp(msg, &tstype), num));
    duban_json_write_raw(b, "\",\"key\":");
    if (!msg->key || duban_json_write_string(b, msg->key, msg->key_len))
        duban_json_write_raw(b, "null"); /* no key, or not UTF-8: null as jansson gives */
    duban_json_write_raw(b, "}}");
}

/* The event as one line of JSON into r->line: straight from the Avro bytes
 * (duban_serde_decode_text), or with --general-decoder through a jansson
 * object as before. */
static duban_err_t render(replay_t *r, const rd_kafka_message_t *msg, char *errbuf,
                          size_t errbuf_size)
{
    duban_event_type_t type;
    size_t mark = r->line.len;
    if (!r->o->general_decoder) {
        duban_err_t err = duban_serde_decode_text(r->serde, msg->payload, msg->len, &type,
                                                  &r->line, errbuf, errbuf_size);
        if (!err && r->o->meta)
            put_meta(&r->line, msg);
        duban_buf_append(&r->line, "\n", 1);
        if (err || r->line.err)
            r->line.len = mark; /* nothing of this event is printed */
        return err ? err : r->line.err;
    }
    json_t *ev;
    duban_err_t err = duban_serde_decode(r->serde, msg->payload, msg->len, &type, &ev,
                                         errbuf, errbuf_size);
    if (err)
        return err;
    if (r->o->meta)
        add_meta(ev, msg);
    char *text = json_dumps(ev, JSON_COMPACT);
    if (text) {
        duban_buf_append(&r->line, text, strlen(text));
        duban_buf_append(&r->line, "\n", 1);
        free(text);
    }
    json_decref(ev);
    if (r->line.err)
        r->line.len = mark;
    return r->line.err;
}

/* Lines are gathered in r->line and written OUT_CHUNK bytes at a time (with
 * --group after every event, which must be out before its offset is
 * stored). */
#define OUT_CHUNK ((size_t)1 << 18)

static void flush_lines(replay_t *r)
{
    if (r->line.len)
        fwrite(r->line.data, 1, r->line.len, stdout);
    duban_buf_reset(&r->line);
}

/* Decodes and prints one message; false when it could not be decoded. */
static bool handle(replay_t *r, const rd_kafka_message_t *msg)
{
    char errbuf[512];
    duban_err_t err = render(r, msg, errbuf, sizeof(errbuf));
    if (err == r->line.err && err) {
        snprintf(errbuf, sizeof(errbuf), "printing the event: %s", duban_err_str(err));
        flush_lines(r); /* the lines before it, and the buffer's error cleared */
    }
    if (err) {
        char kv[256];
        snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld code=\"%s\"",
                 rd_kafka_topic_name(msg->rkt), (int)msg->partition, (long long)msg->offset,
                 duban_err_str(err));
        DUBAN_LOG(DUBAN_LOG_ERROR, "DECODE", kv, "%s", errbuf);
        if (r->dlq_producer) {
            duban_dlq_origin_t origin;
            duban_dlq_origin_from(msg, &origin);
            char reason[640], dlq_err[256];
            snprintf(reason, sizeof(reason), "%s: %s", duban_err_str(err), errbuf);
            if (duban_dlq_send(r->dlq_producer, r->serde, &origin, reason, "duban-replay",
                               NULL, dlq_err, sizeof(dlq_err)))
                duban_error("DLQ", "%s", dlq_err);
        }
        r->bad++;
        return false;
    }
    if (r->line.len >= OUT_CHUNK || r->o->group)
        flush_lines(r);
    r->printed++;
    return true;
}

static void on_rebalance(duban_consumer_t *c, bool assigned,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    replay_t *r = opaque;
    if (!assigned && r->o->group) {
        rd_kafka_resp_err_t rerr = rd_kafka_commit(duban_consumer_handle(c), NULL, 0);
        if (rerr && rerr != RD_KAFKA_RESP_ERR__NO_OFFSET)
            duban_warn("COMMIT", "commit at revoke: %s", rd_kafka_err2str(rerr));
    }
    r->assigned += assigned ? parts->cnt : -parts->cnt;
    if (assigned)
        r->eof_pending += parts->cnt;
}

static void store_offset(duban_consumer_t *c, const rd_kafka_message_t *msg)
{
    rd_kafka_topic_partition_list_t *one = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(one, rd_kafka_topic_name(msg->rkt), msg->partition)
        ->offset = msg->offset + 1;
    rd_kafka_resp_err_t rerr = rd_kafka_offsets_store(duban_consumer_handle(c), one);
    if (rerr)
        duban_warn("COMMIT", "storing offset %lld of %s [%d]: %s", (long long)msg->offset,
                   rd_kafka_topic_name(msg->rkt), (int)msg->partition, rd_kafka_err2str(rerr));
    rd_kafka_topic_partition_list_destroy(one);
}

static int run_group(replay_t *r, duban_conf_t *conf)
{
    char errbuf[512];
    duban_consumer_t *c;
    duban_conf_set(conf, "kafka.enable.partition.eof", "true", NULL, 0);
    /* an unreachable broker or a topic that does not exist fails here,
     * clearly, instead of a poll loop that waits for ever; asked before the
     * group subscribes, whose metadata requests a broker may answer by
     * creating the topic */
    rd_kafka_conf_t *pc = NULL;
    rd_kafka_t *probe = NULL;
    char nerr[256];
    if (duban_kafka_conf_from(conf, &pc, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    if (!(probe = rd_kafka_new(RD_KAFKA_PRODUCER, pc, nerr, sizeof(nerr)))) {
        rd_kafka_conf_destroy(pc); /* not taken on failure */
        duban_error("SETUP", "%s", nerr);
        return 1;
    }
    duban_err_t req = duban_topics_require(conf, probe, r->o->topics, r->o->topic_count, 10000,
                                           errbuf, sizeof(errbuf));
    rd_kafka_destroy(probe);
    if (req) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    if (duban_consumer_new(conf, r->o->group, r->o->topics, r->o->topic_count, on_rebalance,
                           r, &c, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    long handled = 0;
    int64_t last_commit = duban_now_ms();
    while (!duban_shutdown_requested()) {
        if (r->o->max_messages && handled >= r->o->max_messages)
            break;
        rd_kafka_message_t *msg = duban_consumer_poll(c, 200);
        if (!msg)
            continue;
        if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(msg);
            if (r->o->exit_at_end && --r->eof_pending <= 0 && r->assigned > 0)
                break;
            continue;
        }
        if (wanted(r, msg))
            handle(r, msg);
        handled++;
        /* The offset is stored (and later committed) only after the message
         * was printed. */
        fflush(stdout);
        store_offset(c, msg);
        rd_kafka_message_destroy(msg);
        if (duban_now_ms() - last_commit >= 200) {
            rd_kafka_commit(duban_consumer_handle(c), NULL, 1);
            last_commit = duban_now_ms();
        }
    }
    rd_kafka_resp_err_t rerr = rd_kafka_commit(duban_consumer_handle(c), NULL, 0);
    if (rerr && rerr != RD_KAFKA_RESP_ERR__NO_OFFSET)
        duban_warn("COMMIT", "final commit: %s", rd_kafka_err2str(rerr));
    duban_consumer_destroy(c);
    return 0;
}

static int on_message(const rd_kafka_message_t *msg, void *opaque)
{
    replay_t *r = opaque;
    if (wanted(r, msg))
        handle(r, msg);
    return r->o->max_messages && r->printed + r->bad >= r->o->max_messages;
}

/* Reads every partition of the topics from the beginning (or --since),
 * without a group (common/wire/log_reader.h). */
static int run_assign(replay_t *r, duban_conf_t *conf)
{
    char errbuf[512];
    duban_log_reader_t *reader;
    if (duban_log_reader_new(conf, duban_conf_get(conf, "kafka.group.id", "duban-replay"),
                             r->o->topics, r->o->topic_count, &reader,
                             errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    if (r->o->since)
        duban_log_reader_seek_since(reader, r->o->since);
    duban_err_t err = duban_log_reader_run(reader, !r->o->exit_at_end, 0, on_message, r,
                                           errbuf, sizeof(errbuf));
    if (err)
        duban_error("CONSUME", "%s", errbuf);
    duban_log_reader_destroy(reader);
    return err ? 1 : 0;
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    replay_opts_t o = {0};
    char errbuf[512];
    int start = parse_args(argc, argv, conf, &o);
    if (start) {
        duban_conf_destroy(conf);
        return start > 0 ? 0 : 2;
    }
    if (duban_program_log_level(conf) < 0) {
        fprintf(stderr, "duban-replay: --log-level %s: not error|warn|info|debug\n",
                duban_conf_get(conf, "log.level", ""));
        duban_conf_destroy(conf);
        return 2;
    }
    if (!duban_conf_get(conf, "kafka.bootstrap.servers", NULL)) {
        fprintf(stderr, "duban-replay: no brokers: pass -b HOST:PORT or -b @FILE\n");
        duban_conf_destroy(conf);
        return 2;
    }
    duban_shutdown_install();
    replay_t r = {.o = &o};
    duban_buf_init(&r.line, 0);
    int rc = 1;
    if (duban_serde_new(conf, &r.serde, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
    } else if (o.dlq && duban_producer_new(conf, NULL, NULL, &r.dlq_producer, errbuf,
                                           sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
    } else {
        rc = o.group ? run_group(&r, conf) : run_assign(&r, conf);
    }
    flush_lines(&r);
    fflush(stdout);
    duban_info("REPLAY", "%ld events printed, %ld undecodable", r.printed, r.bad);
    duban_producer_destroy(r.dlq_producer);
    duban_serde_destroy(r.serde);
    duban_buf_free(&r.line);
    duban_conf_destroy(conf);
    return rc ? rc : (r.bad ? 3 : 0);
}
