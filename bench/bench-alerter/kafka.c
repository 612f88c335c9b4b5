/* bench/bench-alerter/kafka.c: part 2, the alerter service over the
 * embedded broker, or over a running one (--bootstrap: real Kafka), with
 * processes started from the directory of this binary. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "serde.h"

#define RETENTION (5L * 1024 * 1024)

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t spawn(char *const argv[], const char *out, const char *errf)
{
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

static void stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

static int count_in_file(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    int n = 0;
    while (f && fgets(line, sizeof(line), f))
        n += strstr(line, needle) != NULL;
    if (f)
        fclose(f);
    return n;
}

/* The last "N partitions rebuilt in M ms" of the log: M, or -1. */
static long rebuilt_ms(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    long ms = -1;
    while (f && fgets(line, sizeof(line), f)) {
        const char *p = strstr(line, "partitions rebuilt in ");
        if (p)
            ms = strtol(p + 22, NULL, 10);
    }
    if (f)
        fclose(f);
    return ms;
}

static int produce_tasks(const bench_t *b, const char *bootstrap, int partitions)
{
    char err[512];
    duban_conf_t *conf = duban_conf_new();
    duban_conf_set(conf, "kafka.bootstrap.servers", bootstrap, err, sizeof(err));
    duban_conf_set(conf, "kafka.linger.ms", "20", err, sizeof(err));
    duban_conf_set(conf, "kafka.batch.num.messages", "10000", err, sizeof(err));
    duban_serde_t *serde = NULL;
    duban_producer_t *p = NULL;
    int rc = 1;
    if (duban_serde_new(conf, &serde, err, sizeof(err)) ||
        duban_producer_new(conf, NULL, NULL, &p, err, sizeof(err))) {
        fprintf(stderr, "bench: %s\n", err);
        goto out;
    }
    double t0 = wall_s();
    for (size_t i = 0; i < b->n; i++) {
        json_t *ev = bench_make_task(i, b->issue, b->base_due);
        void *buf;
        size_t len;
        const char *key = json_string_value(json_object_get(ev, "task_id"));
        if (duban_serde_encode(serde, DUBAN_EV_TASK_ASSIGNED, NULL, ev, &buf, &len, err,
                               sizeof(err)) ||
            duban_producer_send(p, DUBAN_TOPIC_TASKS, (int32_t)(i % partitions), key,
                                strlen(key), buf, len, NULL, 0, NULL, err, sizeof(err))) {
            fprintf(stderr, "bench: task %zu: %s\n", i, err);
            json_decref(ev);
            goto out;
        }
        free(buf);
        json_decref(ev);
    }
    if (duban_producer_flush(p, 60000, err, sizeof(err))) {
        fprintf(stderr, "bench: %s\n", err);
        goto out;
    }
    printf("kafka: produced %zu TaskAssigned in %.1f s\n", b->n, wall_s() - t0);
    rc = 0;
    int64_t lo, hi, lost = 0;
    for (int q = 0; q < partitions; q++)
        if (!rd_kafka_query_watermark_offsets(duban_producer_handle(p), DUBAN_TOPIC_TASKS, q,
                                              &lo, &hi, 10000))
            lost += lo;
    printf("kafka: history held by the broker: %s (%lld events beyond retention)\n",
           lost ? "NO" : "yes, all of it", (long long)lost);
out:
    duban_producer_destroy(p);
    duban_serde_destroy(serde);
    duban_conf_destroy(conf);
    return rc;
}

/* Encoded size of a typical task, to size the partitions. */
static int partitions_needed(const bench_t *b, size_t *msg_bytes)
{
    char err[256];
    duban_serde_t *serde;
    if (duban_serde_new(NULL, &serde, err, sizeof(err)))
        return 4;
    json_t *ev = bench_make_task(b->n - 1, b->issue, b->base_due);
    void *buf = NULL;
    *msg_bytes = 600;
    if (!duban_serde_encode(serde, DUBAN_EV_TASK_ASSIGNED, NULL, ev, &buf, msg_bytes, err,
                            sizeof(err)))
        free(buf);
    json_decref(ev);
    duban_serde_destroy(serde);
    /* record overhead (~70 bytes with key) and a 25% margin */
    double total = (double)b->n * (double)(*msg_bytes + 70 + 80) * 1.25;
    int parts = (int)(total / RETENTION) + 1;
    return parts < 4 ? 4 : parts;
}

/* Starts duban-alerter and waits until every partition is rebuilt. */
static pid_t start_alerter(const char *dir, const char *bsfile, const char *now_iso,
                           const char *origin, const char *log, int partitions,
                           double *ready_s)
{
    char bin[1024], bs[1100];
    snprintf(bin, sizeof(bin), "%s/duban-alerter", dir);
    snprintf(bs, sizeof(bs), "@%s", bsfile);
    char *argv[] = {bin, "-b", bs, "-X", "session.timeout.ms=6000",
                    "-X", "heartbeat.interval.ms=1000", "--set", "alerter.tick.ms=50",
                    "--now", (char *)now_iso, "--clock-origin", (char *)origin, NULL};
    double t0 = wall_s();
    pid_t pid = spawn(argv, "/dev/null", log);
    while (count_in_file(log, "partitions rebuilt in") < 1 && wall_s() - t0 < 600)
        usleep(100000);
    *ready_s = wall_s() - t0;
    return pid;
}

/* The scratch dir (logs and bootstrap file) goes after a good run and is
 * kept after a failed one; returns rc. */
static int remove_scratch(const char *tmp, int rc)
{
    char rm[1200];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", tmp);
    if (rc == 0 && system(rm) != 0)
        fprintf(stderr, "bench: could not remove %s\n", tmp);
    else if (rc != 0)
        fprintf(stderr, "bench: logs kept in %s\n", tmp);
    return rc;
}

int bench_kafka(const bench_t *b, const char *argv0)
{
    char dir[1024], tmp[] = "/tmp/duban-bench-alerter.XXXXXX", path[1200], bsfile[1200];
    snprintf(dir, sizeof(dir), "%s", argv0);
    char *slash = strrchr(dir, '/');
    snprintf(slash ? slash : dir, sizeof(dir) - (slash ? (size_t)(slash - dir) : 0), "%s",
             slash ? "" : ".");
    if (!mkdtemp(tmp))
        return 1;
    size_t msg_bytes;
    int parts = partitions_needed(b, &msg_bytes);
    snprintf(bsfile, sizeof(bsfile), "%s/bootstrap", tmp);
    if (b->bootstrap) {
        printf("kafka: a task is %zu bytes in Avro; the broker at %s, duban's topics with %d "
               "partitions (the mock would need %d)\n", msg_bytes, b->bootstrap,
               b->partitions, parts);
        FILE *f = fopen(bsfile, "w");
        if (!f || fprintf(f, "%s\n", b->bootstrap) < 0 || fclose(f)) {
            fprintf(stderr, "bench: cannot write %s\n", bsfile);
            return 1;
        }
        int rc = produce_tasks(b, b->bootstrap, b->partitions);
        if (rc == 0)
            rc = bench_service(b, dir, tmp, bsfile, b->partitions);
        return remove_scratch(tmp, rc);
    }
    printf("kafka: a task is %zu bytes in Avro; %zu tasks need %d partitions under the "
           "mock's 5 MiB/partition retention (duban-broker --partitions %d)\n",
           msg_bytes, b->n, parts, parts);
    char broker[1100], nparts[16];
    snprintf(broker, sizeof(broker), "%s/duban-broker", dir);
    snprintf(nparts, sizeof(nparts), "%d", parts);
    char *bargv[] = {broker, "--partitions", nparts, "--bootstrap-file", bsfile, NULL};
    snprintf(path, sizeof(path), "%s/broker.log", tmp);
    pid_t bpid = spawn(bargv, "/dev/null", path);
    char bootstrap[512] = "";
    for (int i = 0; i < 100 && !bootstrap[0]; i++) {
        FILE *f = fopen(bsfile, "r");
        if (f && fgets(bootstrap, sizeof(bootstrap), f))
            bootstrap[strcspn(bootstrap, "\n")] = '\0';
        if (f)
            fclose(f);
        usleep(100000);
    }
    int rc = bootstrap[0] ? produce_tasks(b, bootstrap, parts) : 1;
    if (rc == 0)
        rc = bench_service(b, dir, tmp, bsfile, parts);
    stop(bpid);
    return remove_scratch(tmp, rc);
}

/* Two runs: the first rebuilds from the tasks (and fires what came due
 * before the busy day), the second rebuilds again and fires the busy 09:00. */
int bench_service(const bench_t *b, const char *dir, const char *tmp, const char *bsfile,
                  int parts)
{
    char log1[1200], log2[1200], now1[32], now2[32], origin[32];
    snprintf(log1, sizeof(log1), "%s/alerter1.log", tmp);
    snprintf(log2, sizeof(log2), "%s/alerter2.log", tmp);
    duban_instant_format(duban_instant_at(b->busy_day, 8, 0), now1);
    snprintf(origin, sizeof(origin), "%lld", (long long)(wall_s() * 1000));
    double ready;
    pid_t pid = start_alerter(dir, bsfile, now1, origin, log1, parts, &ready);
    long rss = bench_rss_kb(pid), peak = bench_rss_kb_of(pid, 1);
    printf("kafka: first start: state of %d partitions rebuilt in %.1f s (%.1f s after "
           "launch: the rest is joining the group); alerter RSS %.0f MB = %.0f bytes/task "
           "(librdkafka, serde and all), %.0f MB at the peak of the rebuild\n", parts,
           rebuilt_ms(log1) / 1000.0, ready, rss / 1024.0, rss * 1024.0 / (double)b->n,
           peak / 1024.0);
    sleep(3);
    stop(pid);
    /* Second run: the clock reads 08:59:50 once the rebuild is surely done. */
    double lead = ready * 1.5 + 10;
    duban_instant_format(duban_instant_at(b->busy_day, 9, 0) - 10000, now2);
    snprintf(origin, sizeof(origin), "%lld", (long long)((wall_s() + lead) * 1000));
    pid = start_alerter(dir, bsfile, now2, origin, log2, parts, &ready);
    printf("kafka: restart: state rebuilt in %.1f s, alerts already sent read back (%.1f s "
           "after launch)\n", rebuilt_ms(log2) / 1000.0, ready);
    double until = wall_s() + (lead - ready) + 10 + 5;
    while (wall_s() < until)
        usleep(200000);
    stop(pid);
    FILE *f = fopen(log2, "r");
    char line[2048];
    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "fac=STOP msg=\"emitted="))
            printf("kafka: busy 09:00: %s", strstr(line, "emitted="));
    if (f)
        fclose(f);
    (void)errno;
    return 0;
}
