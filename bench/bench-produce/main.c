/* duban-bench-produce: Avro-encoded TaskAssigned events/s into a broker,
 * next to raw librdkafka producing byte strings of the same sizes, in the
 * same run, with the same producer settings (idempotent, acks=all).
 *
 *   duban-bench-produce -b @bootstrap [-n 300000] [--rounds 5] [--only raw|duban|json]
 *                       [--distinct 64]
 *
 * The events are built and sealed before the clock starts (what
 * duban-ingest holds when it produces). Two duban paths are timed:
 *   duban: the struct (common/ingest/task_assigned.h) written straight to Avro, as
 *          duban-ingest produces TaskAssigned;
 *   json:  the same events as jansson objects through the general encoder
 *          (avro_json.c), the path of programs that hold JSON (duban-status,
 *          duban-produce-json, the alerter's own events).
 * Both must give the same bytes (checked before timing). Each times
 * encode (Confluent framing) -> produce -> every delivery report; the raw
 * path times produce -> delivery of buffers of the same lengths. Ingest
 * encodes each event right after building it, while it is in cache, so by
 * default the benchmark cycles over 64 distinct events; --distinct 4096
 * measures events that come cold from memory. Rounds alternate raw / duban /
 * json so that broker state favours none, after one uncounted warm-up of
 * each; a ratio reported is the median of the rounds' paired ratios
 * (neighbouring runs share the machine's load), and best against best.
 * --only runs one path (for profiling). */
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
#include "serde_task_assigned.h"
#include "task_assigned.h"

static const char *depts[] = {"区卫健局", "区财政局", "区发改局", "区教育局", "区民政局",
                              "区住建局", "各镇", "各街道"};

/* One event and the storage its struct borrows from. */
typedef struct {
    duban_task_assigned_t ta;
    duban_strlist_t lead, coop, issuers;
    duban_deadline_t deadline;
    char task_id[128], doc_id[64], path[32], file[32];
} bench_task_t;

static void make_task(long i, bench_task_t *bt, duban_buf_t *scratch)
{
    memset(bt, 0, sizeof(*bt));
    snprintf(bt->doc_id, sizeof(bt->doc_id), "石大政发〔2022〕%ld号", i / 40);
    snprintf(bt->path, sizeof(bt->path), "二.(%ld).%ld", i % 40 / 4, i % 4);
    snprintf(bt->task_id, sizeof(bt->task_id), "%s#%s", bt->doc_id, bt->path);
    snprintf(bt->file, sizeof(bt->file), "000_55122fd70aed731a.txt");
    duban_strlist_push(&bt->lead, depts[i % 6]);
    duban_strlist_push(&bt->coop, depts[6]);
    duban_strlist_push(&bt->coop, depts[7]);
    duban_strlist_push(&bt->issuers, "大武口区人民政府");
    bt->deadline.kind = DUBAN_DEADLINE_DATED;
    bt->deadline.due_date = duban_date_from_ymd(2023, 6, 1) + (int32_t)(i % 30);
    snprintf(bt->deadline.text, sizeof(bt->deadline.text), "2023年6月底前");
    bt->ta = (duban_task_assigned_t){
        .occurred_at = duban_instant_at(duban_date_from_ymd(2022, 11, 17), 0, 0),
        .schema_version = 1,
        .task_id = bt->task_id,
        .doc_id = bt->doc_id,
        .outline_path = bt->path,
        .text = i % 2 ? "实施赛事活动提升行动，推进全民健身场地设施建设，完善基层体育组织"
                      : "加强城乡环境综合整治，每季度报送工作进展情况",
        .lead_units = &bt->lead,
        .cooperating_units = &bt->coop,
        .lead_departments = &bt->lead,
        .cooperating_departments = &bt->coop,
        .deadline = &bt->deadline,
        .doc_title = "大武口区人民政府关于印发大武口区全民健身实施计划的通知",
        .issuers = &bt->issuers,
        .source_file = bt->file,
        .source_line = (int32_t)(100 + i % 4000),
        .source_offset = 4096 + i * 37,
    };
    char errbuf[256];
    if (duban_task_assigned_seal(&bt->ta, scratch, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "seal: %s\n", errbuf);
        exit(1);
    }
}

static double clock_s(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of the producing thread (librdkafka's threads not counted):
 * what each path costs the caller, apart from the broker's pace. */
static double cpu_s(void)
{
    return clock_s(CLOCK_THREAD_CPUTIME_ID);
}


typedef struct {
    const char *n, *rounds, *only, *distinct;
} bench_args_t;

typedef enum { PATH_RAW, PATH_DUBAN, PATH_JSON, PATH__COUNT } path_t;
static const char *const path_names[] = {"raw", "duban", "json"};

typedef struct {
    long n, distinct;
    bench_task_t *tasks;   /* the struct form */
    json_t **events;       /* the same events as JSON objects */
    size_t *sizes;
    char *filler;
} bench_data_t;

static void die(const char *what, const char *errbuf)
{
    fprintf(stderr, "%s: %s\n", what, errbuf);
    exit(1);
}

/* One event encoded on path `path` (DUBAN or JSON) into buf. */
static void encode(duban_serde_t *serde, path_t path, bench_data_t *d, long e, duban_buf_t *buf)
{
    char errbuf[512];
    duban_err_t err =
        path == PATH_DUBAN
            ? duban_serde_encode_task_assigned(serde, NULL, &d->tasks[e].ta, buf, errbuf,
                                               sizeof(errbuf))
            : duban_serde_encode_buf(serde, DUBAN_EV_TASK_ASSIGNED, NULL, d->events[e], buf,
                                     errbuf, sizeof(errbuf));
    if (err)
        die(path_names[path], errbuf);
}

static double run_duban(duban_producer_t *p, duban_serde_t *serde, path_t path, bench_data_t *d)
{
    char errbuf[512];
    duban_buf_t buf; /* as duban-ingest: one buffer, reused */
    duban_buf_init(&buf, 0);
    double t0 = now_s();
    for (long i = 0; i < d->n; i++) {
        long e = i % d->distinct;
        const char *key = d->tasks[e].task_id;
        encode(serde, path, d, e, &buf);
        if (duban_producer_send(p, DUBAN_TOPIC_TASKS, -1, key, strlen(key), buf.data, buf.len,
                                NULL, 0, NULL, errbuf, sizeof(errbuf)))
            die(path_names[path], errbuf);
        duban_producer_poll(p, 0);
    }
    if (duban_producer_flush(p, 120000, errbuf, sizeof(errbuf)))
        die("flush", errbuf);
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
        const char *key = d->tasks[e].task_id;
        while ((err = rd_kafka_producev(
                    rk, RD_KAFKA_V_TOPIC("bench.raw"), RD_KAFKA_V_KEY(key, strlen(key)),
                    RD_KAFKA_V_VALUE(d->filler, d->sizes[e]),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 10);
        if (err)
            die("raw", rd_kafka_err2str(err));
        rd_kafka_poll(rk, 0);
    }
    if (duban_producer_flush(p, 120000, errbuf, sizeof(errbuf)))
        die("flush", errbuf);
    return now_s() - t0;
}

/* Wall seconds; *cpu gets the thread's CPU seconds. */
static double run_path(duban_producer_t *p, duban_serde_t *serde, path_t path, bench_data_t *d,
                       double *cpu)
{
    double c0 = cpu_s();
    double t = path == PATH_RAW ? run_raw(p, d) : run_duban(p, serde, path, d);
    *cpu = cpu_s() - c0;
    return t;
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

static double encode_only(duban_serde_t *serde, path_t path, bench_data_t *d)
{
    duban_buf_t buf;
    duban_buf_init(&buf, 0);
    double t0 = now_s();
    for (long i = 0; i < d->n; i++)
        encode(serde, path, d, i % d->distinct, &buf);
    double t = now_s() - t0;
    duban_buf_free(&buf);
    return t;
}

/* Builds the events; both encoders must agree byte for byte. */
static void build(duban_serde_t *serde, bench_data_t *d)
{
    duban_buf_t scratch, a, b;
    duban_buf_init(&scratch, 0);
    duban_buf_init(&a, 0);
    duban_buf_init(&b, 0);
    char errbuf[256];
    d->tasks = calloc((size_t)d->distinct, sizeof(*d->tasks));
    d->events = calloc((size_t)d->distinct, sizeof(*d->events));
    d->sizes = calloc((size_t)d->distinct, sizeof(*d->sizes));
    d->filler = malloc(65536);
    if (!d->tasks || !d->events || !d->sizes || !d->filler)
        die("setup", "out of memory");
    memset(d->filler, 'x', 65536);
    for (long i = 0; i < d->distinct; i++) {
        make_task(i, &d->tasks[i], &scratch);
        duban_buf_reset(&scratch);
        if (duban_task_assigned_write_json(&d->tasks[i].ta, &scratch, errbuf, sizeof(errbuf)))
            die("json", errbuf);
        d->events[i] = json_loadb((const char *)scratch.data, scratch.len, 0, NULL);
        if (!d->events[i])
            die("json", "does not parse");
        encode(serde, PATH_DUBAN, d, i, &a);
        encode(serde, PATH_JSON, d, i, &b);
        if (a.len != b.len || memcmp(a.data, b.data, a.len))
            die("setup", "the struct and JSON encoders disagree");
        d->sizes[i] = a.len; /* the raw path sends the same lengths */
    }
    duban_buf_free(&scratch);
    duban_buf_free(&a);
    duban_buf_free(&b);
}

/* The three paths against each other: t, paired and cpu indexed by path, one entry per round. */
static void print_comparison(double *const t[], double *const paired[], double *const cpu[], long n,
                             long rounds)
{
    printf("raw librdkafka produce, same sizes: best %.0f msg/s, median %.0f msg/s\n",
           n / min_of(t[PATH_RAW], rounds), n / median_of(t[PATH_RAW], rounds));
    printf("duban Avro produce (struct path):   best %.0f events/s, median %.0f events/s\n",
           n / min_of(t[PATH_DUBAN], rounds), n / median_of(t[PATH_DUBAN], rounds));
    printf("duban Avro produce (JSON path):     best %.0f events/s, median %.0f events/s\n",
           n / min_of(t[PATH_JSON], rounds), n / median_of(t[PATH_JSON], rounds));
    printf("ratio duban/raw: best/best %.1f%%, median of rounds %.1f%% (goal >= 80%%)\n",
           100.0 * min_of(t[PATH_RAW], rounds) / min_of(t[PATH_DUBAN], rounds),
           100.0 * median_of(paired[PATH_DUBAN], rounds));
    printf("ratio json path/raw: best/best %.1f%%, median of rounds %.1f%%\n",
           100.0 * min_of(t[PATH_RAW], rounds) / min_of(t[PATH_JSON], rounds),
           100.0 * median_of(paired[PATH_JSON], rounds));
    printf("producing thread's CPU per event (median of rounds): raw %.3f us, duban %.3f us, "
           "json path %.3f us\n", median_of(cpu[PATH_RAW], rounds) * 1e6 / (double)n,
           median_of(cpu[PATH_DUBAN], rounds) * 1e6 / (double)n,
           median_of(cpu[PATH_JSON], rounds) * 1e6 / (double)n);
}

int main(int argc, char **argv)
{
    duban_log_init(argv[0], DUBAN_LOG_WARN);
    duban_conf_t *conf = duban_conf_new();
    char errbuf[512];
    long n = 300000, rounds = 5;
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
                               "[--only raw|duban|json] [--distinct N]\n", help ? "" : errbuf),
               help ? 0 : 2;
    n = args.n ? strtol(args.n, NULL, 10) : n;
    rounds = args.rounds ? strtol(args.rounds, NULL, 10) : rounds;
    long distinct = args.distinct ? strtol(args.distinct, NULL, 10) : 64;
    int only = -1;
    for (int k = 0; args.only && k < PATH__COUNT; k++)
        if (!strcmp(args.only, path_names[k]))
            only = k;
    if (n < 1 || rounds < 1 || distinct < 1 || (args.only && only < 0))
        return fprintf(stderr, "duban-bench-produce: -n, --rounds and --distinct want positive "
                               "numbers, --only raw, duban or json\n"), 2;
    if (!duban_conf_get(conf, "kafka.bootstrap.servers", NULL))
        return fprintf(stderr, "duban-bench-produce: pass -b BROKERS (or -b @FILE)\n"), 2;
    duban_serde_t *serde;
    duban_producer_t *p;
    if (duban_serde_new(conf, &serde, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &p, errbuf, sizeof(errbuf)))
        return fprintf(stderr, "%s\n", errbuf), 1;
    bench_data_t d = {.n = n, .distinct = distinct};
    build(serde, &d);
    double enc[PATH__COUNT] = {0};
    for (int k = PATH_DUBAN; k < PATH__COUNT; k++)
        enc[k] = encode_only(serde, (path_t)k, &d);
    bench_data_t warm = d;
    warm.n = n / 4 > 0 ? n / 4 : 1; /* topic metadata, broker buffers: not counted */
    double ignored;
    for (int k = 0; k < PATH__COUNT; k++)
        if (only < 0 || only == k)
            run_path(p, serde, (path_t)k, &warm, &ignored);
    double *t[PATH__COUNT], *paired[PATH__COUNT], *cpu[PATH__COUNT];
    for (int k = 0; k < PATH__COUNT; k++) {
        t[k] = calloc((size_t)rounds, sizeof(double));
        paired[k] = calloc((size_t)rounds, sizeof(double));
        cpu[k] = calloc((size_t)rounds, sizeof(double));
    }
    for (long r = 0; r < rounds; r++) {
        for (int k = 0; k < PATH__COUNT; k++)
            t[k][r] = only >= 0 && only != k ? 1e-9
                                              : run_path(p, serde, (path_t)k, &d, &cpu[k][r]);
        if (only >= 0) {
            printf("round %ld: %s %.0f events/s\n", r + 1, path_names[only], n / t[only][r]);
            continue;
        }
        printf("round %ld: raw %.0f msg/s, duban %.0f events/s (%.1f%%), json path %.0f "
               "events/s (%.1f%%)\n", r + 1, n / t[PATH_RAW][r], n / t[PATH_DUBAN][r],
               100.0 * t[PATH_RAW][r] / t[PATH_DUBAN][r], n / t[PATH_JSON][r],
               100.0 * t[PATH_RAW][r] / t[PATH_JSON][r]);
        for (int k = 0; k < PATH__COUNT; k++)
            paired[k][r] = t[PATH_RAW][r] / t[k][r];
    }
    size_t bytes = 0;
    for (long i = 0; i < n; i++)
        bytes += d.sizes[i % d.distinct];
    printf("events: %ld TaskAssigned per round (%ld distinct), mean encoded size %.0f bytes "
           "(5-byte header incl.)\n", n, d.distinct, (double)bytes / (double)n);
    printf("encode only, struct -> Avro (duban-ingest's path): %.0f events/s, %.3f us/event\n",
           n / enc[PATH_DUBAN], enc[PATH_DUBAN] * 1e6 / (double)n);
    printf("encode only, JSON object -> Avro (general path):   %.0f events/s, %.3f us/event\n",
           n / enc[PATH_JSON], enc[PATH_JSON] * 1e6 / (double)n);
    if (only >= 0)
        printf("%s only: best %.0f events/s, median %.0f events/s, producing thread's CPU per "
               "event (median of rounds) %.3f us\n", path_names[only], n / min_of(t[only], rounds),
               n / median_of(t[only], rounds), median_of(cpu[only], rounds) * 1e6 / (double)n);
    else
        print_comparison(t, paired, cpu, n, rounds);
    for (int k = 0; k < PATH__COUNT; k++) {
        free(t[k]);
        free(paired[k]);
        free(cpu[k]);
    }
    duban_producer_destroy(p);
    duban_serde_destroy(serde);
    for (long i = 0; i < d.distinct; i++) {
        json_decref(d.events[i]);
        duban_strlist_free(&d.tasks[i].lead);
        duban_strlist_free(&d.tasks[i].coop);
        duban_strlist_free(&d.tasks[i].issuers);
    }
    free(d.tasks);
    free(d.events);
    free(d.sizes);
    free(d.filler);
    duban_conf_destroy(conf);
    return 0;
}
