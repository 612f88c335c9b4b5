/* duban-produce-json: produce events written as JSON Lines to Kafka.
 *
 * Each input line is one event object with "type": "<Record>" and the
 * schema's fields (the format --dry-run, --simulate and duban-replay print).
 * It is Avro-encoded in the Confluent wire format and produced to the type's
 * topic, keyed by the type's key field. --raw sends bytes as they are, for
 * tests of bad input: lines "TOPIC<TAB>KEY<TAB>HEX". */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "event.h"
#include "hash.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"

typedef struct {
    const char *topic;  /* override, or NULL */
    int raw, skip_bad, encode_only, keep_meta;
    const char *file;
} produce_opts_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-produce-json [options] [FILE]\n"
            "Reads event JSON Lines (stdin when no FILE), encodes each as Avro in the\n"
            "Confluent wire format and produces it to its type's topic.\n"
            "  --topic T      produce every event to T\n"
            "  --raw          lines are TOPIC<TAB>KEY<TAB>HEX bytes, sent unchanged\n"
            "  --skip-bad     report a bad line and go on (default: stop)\n"
            "  --encode-only  no broker: print TOPIC<TAB>KEY<TAB>HEX lines (the --raw\n"
            "                 input format) of the encoded messages on stdout\n"
            "  --keep-meta    a line's \"_kafka\" object (duban-replay --meta) gives the\n"
            "                 message's partition, timestamp and key: with --topic,\n"
            "                 a copy of a topic that keeps its partitions and times\n"
            "%s",
            duban_conf_common_usage());
}

static duban_err_t send_raw(duban_producer_t *p, char *line, char *errbuf, size_t size)
{
    char *tab1 = strchr(line, '\t');
    char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (!tab2)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "expected TOPIC<TAB>KEY<TAB>HEX");
    *tab1 = *tab2 = '\0';
    char *hex = tab2 + 1;
    size_t n = strlen(hex);
    unsigned char *bytes = malloc(n / 2 + 1);
    if (!bytes || !duban_hex_decode(hex, bytes, n / 2)) {
        free(bytes);
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "not an even number of hex digits");
    }
    const char *key = tab1 + 1;
    duban_err_t err = duban_producer_send(p, line, -1, *key ? key : NULL, strlen(key), bytes,
                                          n / 2, NULL, 0, NULL, errbuf, size);
    free(bytes);
    return err;
}

/* --keep-meta: "_kafka": {"partition", "timestamp", "key"} as duban-replay
 * --meta prints it; absent, the message is keyed and stamped as usual. */
static duban_err_t read_meta(const json_t *meta, const char **key, int32_t *partition,
                             int64_t *timestamp, char *errbuf, size_t size)
{
    if (!json_is_object(meta))
        return DUBAN_OK;
    const json_t *part = json_object_get(meta, "partition");
    const json_t *k = json_object_get(meta, "key");
    const char *ts = json_string_value(json_object_get(meta, "timestamp"));
    if (json_is_integer(part))
        *partition = (int32_t)json_integer_value(part);
    if (k)
        *key = json_string_value(k);   /* null: no key */
    if (ts && duban_instant_parse(ts, timestamp))
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "_kafka.timestamp: not a time");
    return DUBAN_OK;
}

static duban_err_t send_event(duban_producer_t *p, duban_serde_t *serde,
                              const produce_opts_t *o, const char *line, char *errbuf,
                              size_t size)
{
    json_error_t jerr;
    json_t *ev = json_loads(line, 0, &jerr);
    if (!ev)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "column %d: %s", jerr.column,
                            jerr.text);
    duban_event_type_t type;
    duban_err_t err = duban_event_type_from_name(
        json_string_value(json_object_get(ev, "type")), &type);
    if (err) {
        json_decref(ev);
        return duban_seterr(errbuf, size, DUBAN_E_SCHEMA, "missing or unknown \"type\"");
    }
    const char *topic = o->topic ? o->topic : duban_event_topic(type);
    void *buf;
    size_t len;
    err = duban_serde_encode(serde, type, topic, ev, &buf, &len, errbuf, size);
    if (!err) {
        const char *kf = duban_event_key_field(type);
        const char *key = kf ? json_string_value(json_object_get(ev, kf)) : NULL;
        int32_t partition = -1;
        int64_t timestamp = 0;
        if (o->keep_meta)
            err = read_meta(json_object_get(ev, "_kafka"), &key, &partition, &timestamp,
                            errbuf, size);
        if (!err && o->encode_only) {
            printf("%s\t%s\t", topic, key ? key : "");
            for (size_t i = 0; i < len; i++)
                printf("%02x", ((unsigned char *)buf)[i]);
            putchar('\n');
        } else if (!err) {
            err = duban_producer_send_at(p, topic, partition, timestamp, key,
                                         key ? strlen(key) : 0, buf, len, NULL, 0, NULL,
                                         errbuf, size);
        }
        free(buf);
    }
    json_decref(ev);
    return err;
}

/* The input FILE (one; default standard input). */
static int file_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t errbuf_size)
{
    produce_opts_t *o = opts;
    (void)argc;
    (void)errbuf;
    (void)errbuf_size;
    if (argv[i][0] == '-' || o->file)
        return 0;
    o->file = argv[i];
    return 1;
}

static int parse_args(int argc, char **argv, duban_conf_t *conf, produce_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--topic", DUBAN_OPT_STRING, offsetof(produce_opts_t, topic)},
        {"--raw", DUBAN_OPT_FLAG, offsetof(produce_opts_t, raw)},
        {"--encode-only", DUBAN_OPT_FLAG, offsetof(produce_opts_t, encode_only)},
        {"--skip-bad", DUBAN_OPT_FLAG, offsetof(produce_opts_t, skip_bad)},
        {"--keep-meta", DUBAN_OPT_FLAG, offsetof(produce_opts_t, keep_meta)},
    };
    static const duban_program_t prog = {"duban-produce-json", usage, table,
                                         sizeof(table) / sizeof(table[0]), file_arg,
                                         DUBAN_USES_PRODUCE_JSON};
    return duban_program_start(&prog, conf, argc, argv, o);
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    produce_opts_t o = {0};
    char errbuf[1024];
    int start = parse_args(argc, argv, conf, &o);
    if (start) {
        duban_conf_destroy(conf);
        return start > 0 ? 0 : 2;
    }
    duban_program_log_level(conf);
    FILE *in = o.file ? fopen(o.file, "r") : stdin;
    if (!in) {
        fprintf(stderr, "duban-produce-json: cannot open %s\n", o.file);
        duban_conf_destroy(conf);
        return 2;
    }
    duban_serde_t *serde = NULL;
    duban_producer_t *p = NULL;
    if (duban_serde_new(conf, &serde, errbuf, sizeof(errbuf)) ||
        (!o.encode_only && duban_producer_new(conf, NULL, NULL, &p, errbuf, sizeof(errbuf)))) {
        duban_error("SETUP", "%s", errbuf);
        duban_serde_destroy(serde);
        duban_conf_destroy(conf);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0, sent = 0, bad = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        duban_err_t err = o.raw ? send_raw(p, line, errbuf, sizeof(errbuf))
                                : send_event(p, serde, &o, line, errbuf, sizeof(errbuf));
        if (err) {
            bad++;
            duban_error("INPUT", "%s:%ld: %s", o.file ? o.file : "stdin", lineno, errbuf);
            if (!o.skip_bad)
                break;
            continue;
        }
        sent++;
        if (p)
            duban_producer_poll(p, 0);
    }
    free(line);
    if (in != stdin)
        fclose(in);
    int rc = bad && !o.skip_bad ? 1 : 0;
    if (o.encode_only) {
        duban_info("PRODUCE", "%ld events encoded, %ld bad lines", sent, bad);
        duban_serde_destroy(serde);
        duban_conf_destroy(conf);
        return rc;
    }
    if (duban_producer_flush(p, 60000, errbuf, sizeof(errbuf))) {
        duban_error("PRODUCE", "%s", errbuf);
        rc = 1;
    }
    duban_info("PRODUCE", "%ld events sent, %llu delivered, %ld bad lines", sent,
               (unsigned long long)duban_producer_delivered(p), bad);
    duban_producer_destroy(p);
    duban_serde_destroy(serde);
    duban_conf_destroy(conf);
    return rc;
}
