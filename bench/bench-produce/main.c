/* duban-bench-produce: Avro-encoded TaskAssigned events/s into a broker,
 * next to raw librdkafka producing byte strings of the same sizes, in the
 * same run, with the same producer settings (idempotent, acks=all).
 *
 *   duban-bench-produce -b @bootstrap [-n 300000] [--rounds 5] [--only raw|duban]
 *                       [--distinct 64]
 *
 * The events are built as JSON objects before the clock starts (what
 * duban-ingest holds when it produces). Ingest encodes each event right
 * after building it, while it is in cache, so by default the benchmark
 * cycles over 64 distinct events (~200 KB of jansson objects, within L2);
 * --distinct 4096 (~12 MB) measures events that come cold from memory,
 * which costs the encoder about twice the time. The duban path times
 * JSON -> Avro (Confluent framing) -> produce -> every delivery report; the
 * raw path times produce -> delivery of buffers of the same lengths. Rounds
 * alternate raw / duban so that broker state favours neither, after one
 * uncounted warm-up of each; the ratio reported is the median of the
 * rounds' paired ratios (neighbouring runs share the machine's load) and
 * best against best. --only runs one path (for profiling). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "date.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"

static const char *depts[] = {"区卫健局", "区财政局", "区发改局", "区教育局", "区民政局",
                              "区住建局", "各镇", "各街道"};

static json_t *make_task(long i)
{
    char task_id[128], doc_id[64], path[32], hash[65], day[11];
    snprintf(doc_id, sizeof(doc_id), "石大政发〔2022〕%ld号", i / 40);
    snprintf(path, sizeof(path), "二.(%ld).%ld", i % 40 / 4, i % 4);
    snprintf(task_id, sizeof(task_id), "%s#%s", doc_id, path);
    snprintf(hash, sizeof(hash), "%064lx", (unsigned long)i * 2654435761u);
    json_t *t = json_pack(
        "{s:s, s:s, s:s, s:i, s:{s:s, s:i, s:I}, s:s, s:s, s:s, s:s, s:[s], s:[s,s],"
        " s:[s], s:[s,s], s:s, s:s, s:s, s:n, s:[], s:s, s:s, s:[s]}",
        "type", "TaskAssigned", "event_id", hash, "occurred_at", "2022-11-17T00:00:00+08:00",
        "schema_version", 1, "source", "file", "000_55122fd70aed731a.txt", "line",
        (int)(100 + i % 4000), "offset", (json_int_t)(4096 + i * 37), "task_id", task_id,
        "doc_id", doc_id, "outline_path", path, "text",
        i % 2 ? "实施赛事活动提升行动，推进全民健身场地设施建设，完善基层体育组织"
              : "加强城乡环境综合整治，每季度报送工作进展情况",
        "lead_units", depts[i % 6], "cooperating_units", depts[6], depts[7],
        "lead_departments", depts[i % 6], "cooperating_departments", depts[6], depts[7],
        "deadline_text", "2023年6月底前", "due_date",
        duban_date_format(duban_date_from_ymd(2023, 6, 1) + (int32_t)(i % 30), day),
        "deadline_kind", "DATED", "recurrence", "milestones", "content_sha256", hash,
        "doc_title", "大武口区人民政府关于印发大武口区全民健身实施计划的通知", "issuers",
        "大武口区人民政府");
    return t;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


typedef struct {
    const char *n, *rounds, *only, *distinct;
} bench_args_t;

typedef struct {
    long n, distinct;
    json_t **events;
    char **keys;
    size_t *sizes;
    char *filler;
} bench_data_t;

static double run_duban(duban_producer_t *p, duban_serde_t *serde, bench_data_t *d)
{
    char errbuf[512];
    duban_buf_t buf; /* as duban-ingest: one buffer, reused */
    duban_buf_init(&buf, 0);
    double t0 = now_s();
    for (long i = 0; i < d->n; i++) {
        long e = i % d->distinct;
        if (duban_serde_encode_buf(serde, DUBAN_EV_TASK_ASSIGNED, NULL, d->events[e], &buf,
                                   errbuf, sizeof(errbuf)) ||
            duban_producer_send(p, DUBAN_TOPIC_TASKS, -1, d->keys[e], strlen(d->keys[e]),
                                buf.data, buf.len, NULL, 0, NULL, errbuf, sizeof(errbuf))) {
            fprintf(stderr, "duban path: %s\n", errbuf);
            exit(1);
        }
        d->sizes[e] = buf.len;
        duban_producer_poll(p, 0);
    }
    if (duban_producer_flush(p, 120000, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "flush: %s\n", errbuf);
        exit(1);
    }
    duban_buf_free(&buf);
    return now_s() - t0;
}

static double run_raw(duban_producer_t *p, bench_data_t *d)
{
    char errbuf[512];
    rd_kafka_t *rk = duban_producer_handle(p);
    double t0 = now_s();
    for (long i = 0; i < d->n; i++) {
        rd_kafka_resp_err_t err;
        long e = i % d->distinct;
        while ((err = rd_kafka_producev(
                    rk, RD_KAFKA_V_TOPIC("bench.raw"), RD_KAFKA_V_KEY(d->keys[e], strlen(d->keys[e])),
                    RD_KAFKA_V_VALUE(d->filler, d->sizes[e]),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 10);
        if (err) {
            fprintf(stderr, "raw path: %s\n", rd_kafka_err2str(err));
            exit(1);
        }
        rd_kafka_poll(rk, 0);
    }
    if (duban_producer_flush(p, 120000, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "flush: %s\n", errbuf);
        exit(1);
    }
    return now_s() - t0;
}

static double min_of(const double *v, long n)
{
    double m = v[0];
    for (long i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median; sorts a copy. */
static double median_of(const double *v, long n)
{
    double *c = malloc((size_t)n * sizeof(double));
    memcpy(c, v, (size_t)n * sizeof(double));
    qsort(c, (size_t)n, sizeof(double), cmp_double);
    double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

static double encode_only(duban_serde_t *serde, bench_data_t *d)
{
    char errbuf[256];
    duban_buf_t buf;
    duban_buf_init(&buf, 0);
    double t0 = now_s();
    for (long i = 0; i < d->n; i++)
        if (duban_serde_encode_buf(serde, DUBAN_EV_TASK_ASSIGNED, NULL,
                                   d->events[i % d->distinct], &buf, errbuf,
                                   sizeof(errbuf)) == DUBAN_OK)
            d->sizes[i % d->distinct] = buf.len; /* the raw path sends the same lengths */
    double t = now_s() - t0;
    duban_buf_free(&buf);
    return t;
}

int main(int argc, char **argv)
{
    duban_log_init(argv[0], DUBAN_LOG_WARN);
    duban_conf_t *conf = duban_conf_new();
    char errbuf[512];
    long n = 300000, rounds = 5;
    const char *only = NULL; /* "raw" or "duban": one path, for profiling */
    duban_conf_apply_env(conf, errbuf, sizeof(errbuf));
    static const duban_opt_t table[] = {
        {"-n", DUBAN_OPT_STRING, offsetof(bench_args_t, n)},
        {"--rounds", DUBAN_OPT_STRING, offsetof(bench_args_t, rounds)},
        {"--only", DUBAN_OPT_STRING, offsetof(bench_args_t, only)},
        {"--distinct", DUBAN_OPT_STRING, offsetof(bench_args_t, distinct)},
    };
    bench_args_t args = {0};
    bool help;
    if (duban_cli_parse(conf, argc, argv, table, sizeof(table) / sizeof(table[0]), &args, NULL,
                        &help, errbuf, sizeof(errbuf)) || help)
        return fprintf(stderr, "%s\nusage: duban-bench-produce -b BROKERS [-n N] [--rounds R] "
                               "[--only raw|duban] [--distinct N]\n", help ? "" : errbuf), help ? 0 : 2;
    n = args.n ? strtol(args.n, NULL, 10) : n;
    rounds = args.rounds ? strtol(args.rounds, NULL, 10) : rounds;
    only = args.only;
    long distinct = args.distinct ? strtol(args.distinct, NULL, 10) : 64;
    if (n < 1 || rounds < 1 || distinct < 1)
        return fprintf(stderr, "duban-bench-produce: -n, --rounds and --distinct want positive "
                               "numbers\n"), 2;
    if (!duban_conf_get(conf, "kafka.bootstrap.servers", NULL))
        return fprintf(stderr, "duban-bench-produce: pass -b BROKERS (or -b @FILE)\n"), 2;
    bench_data_t d = {.n = n, .distinct = distinct};
    d.events = calloc((size_t)d.distinct, sizeof(*d.events));
    d.keys = calloc((size_t)d.distinct, sizeof(*d.keys));
    d.sizes = calloc((size_t)d.distinct, sizeof(*d.sizes));
    d.filler = malloc(65536);
    memset(d.filler, 'x', 65536);
    for (long i = 0; i < d.distinct; i++) {
        d.events[i] = make_task(i);
        d.keys[i] = strdup(json_string_value(json_object_get(d.events[i], "task_id")));
    }
    duban_serde_t *serde;
    duban_producer_t *p;
    if (duban_serde_new(conf, &serde, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &p, errbuf, sizeof(errbuf)))
        return fprintf(stderr, "%s\n", errbuf), 1;
    double enc = encode_only(serde, &d);
    bench_data_t warm = d;
    warm.n = n / 4 > 0 ? n / 4 : 1; /* topic metadata, broker buffers: not counted */
    run_raw(p, &warm);
    run_duban(p, serde, &warm);
    double *t_raw = calloc((size_t)rounds, sizeof(double));
    double *t_duban = calloc((size_t)rounds, sizeof(double));
    double *paired = calloc((size_t)rounds, sizeof(double));
    for (long r = 0; r < rounds; r++) {
        t_raw[r] = only && strcmp(only, "raw") ? 1e-9 : run_raw(p, &d);
        t_duban[r] = only && strcmp(only, "duban") ? 1e-9 : run_duban(p, serde, &d);
        paired[r] = t_raw[r] / t_duban[r];
        printf("round %ld: raw %.0f msg/s, duban avro %.0f msg/s, ratio %.1f%%\n", r + 1,
               n / t_raw[r], n / t_duban[r], 100.0 * paired[r]);
    }
    size_t bytes = 0;
    for (long i = 0; i < n; i++)
        bytes += d.sizes[i % d.distinct];
    double avg = (double)bytes / (double)n;
    printf("events: %ld TaskAssigned per round (%ld distinct), mean encoded size %.0f bytes "
           "(5-byte header incl.)\n", n, d.distinct, avg);
    printf("encode only (JSON -> Avro, Confluent framing): %.0f events/s, %.2f us/event\n",
           n / enc, enc * 1e6 / (double)n);
    printf("raw librdkafka produce, same sizes:   best %.0f msg/s, median %.0f msg/s\n",
           n / min_of(t_raw, rounds), n / median_of(t_raw, rounds));
    printf("duban Avro produce:                    best %.0f msg/s, median %.0f msg/s\n",
           n / min_of(t_duban, rounds), n / median_of(t_duban, rounds));
    printf("ratio duban/raw: best/best %.1f%%, median of rounds %.1f%% (goal >= 80%%)\n",
           100.0 * min_of(t_raw, rounds) / min_of(t_duban, rounds),
           100.0 * median_of(paired, rounds));
    free(t_raw);
    free(t_duban);
    free(paired);
    duban_producer_destroy(p);
    duban_serde_destroy(serde);
    for (long i = 0; i < d.distinct; i++) {
        json_decref(d.events[i]);
        free(d.keys[i]);
    }
    free(d.events);
    free(d.keys);
    free(d.sizes);
    free(d.filler);
    duban_conf_destroy(conf);
    return 0;
}
