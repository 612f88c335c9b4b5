/* duban-bench-notify: how fast duban delivers webhooks on this machine.
 *
 * 1. Throughput: starts duban-receiver (next to this program) on 127.0.0.1,
 *    then sends --requests signed CloudEvents (Standard Webhooks headers,
 *    built per request) through duban's libcurl multi transport with
 *    keep-alive, --connections at once in all, on --threads libcurl threads
 *    (default: duban-notifier's notifier.http.threads), and reports
 *    deliveries/s.
 * 2. Ceiling: runs `wrk` against the same receiver, with the request duban
 *    builds (same body and headers, signature included),
 *    same connection count, and reports its requests/s and our ratio.
 * 3. Latency: starts duban-broker and duban-notifier, produces alerts at
 *    --rate per second for --seconds, and reports p50/p99/max of the time
 *    from produce to webhook received (occurred_at is stamped at produce
 *    time; the receiver logs its receive time).
 * Goals (issue 5): >= 5,000 deliveries/s, >= 50 % of wrk, p99 <= 50 ms at
 * 1,000 alerts/s. Exit status 0 even when a goal is missed: it measures. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "webhook_format.h"
#include "webhook_http.h"

extern char **environ;

typedef struct {
    long requests, connections, rate, seconds, wrk_seconds, threads;
    bool skip_e2e, skip_wrk;
    char bindir[PATH_MAX], tmp[PATH_MAX];
} opts_t;

static const char *SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) in ru. */
static double ru_cpu_s(const struct rusage *ru)
{
    return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
           (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* CPU seconds (user + system) process pid has used, from /proc; 0 if unknown. */
static double proc_cpu_s(pid_t pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    bool ok = f && fgets(line, sizeof(line), f);
    if (f)
        fclose(f);
    char *p = ok ? strrchr(line, ')') : NULL;
    unsigned long long ut = 0, st = 0;
    /* after "pid (comm)": state, then fields 4..13, then utime (14) stime (15) */
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                     &ut, &st) != 2)
        return 0;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* ---------------------------------------------------------------------------
 * child processes
 * ------------------------------------------------------------------------- */
static pid_t spawn(char *const argv[], const char *out_path)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (out_path) {
        posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    }
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0 ? pid : -1;
}

static void stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

/* Waits for the first line of path (a URL or bootstrap list). */
static bool first_line(const char *path, char *out, size_t size, int timeout_ms)
{
    for (int i = 0; i < timeout_ms / 50; i++) {
        FILE *f = fopen(path, "r");
        if (f) {
            bool ok = fgets(out, (int)size, f) != NULL;
            fclose(f);
            if (ok && strchr(out, '\n')) {
                out[strcspn(out, "\r\n")] = '\0';
                return true;
            }
        }
        usleep(50000);
    }
    return false;
}

static pid_t start_receiver(const opts_t *o, const char *log, char *url, size_t url_size)
{
    char prog[PATH_MAX + 32], port_file[PATH_MAX + 16];
    snprintf(prog, sizeof(prog), "%s/duban-receiver", o->bindir);
    snprintf(port_file, sizeof(port_file), "%s/recv.url", o->tmp);
    unlink(port_file);
    char *argv[] = {prog, "--quiet", "--port-file", port_file, log ? "--log" : NULL,
                    (char *)log, NULL};
    pid_t pid = spawn(argv, "/dev/null");
    if (pid < 0 || !first_line(port_file, url, url_size, 5000)) {
        stop(pid);
        return -1;
    }
    return pid;
}

/* ---------------------------------------------------------------------------
 * 1. throughput of the transport
 * ------------------------------------------------------------------------- */
static json_t *sample_alert(long i, int64_t occurred_ms)
{
    char id[48], occurred[32];
    snprintf(id, sizeof(id), "bench-%ld", i);
    duban_instant_format(occurred_ms, occurred);
    json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "type", "DeadlineAlert",
                          "event_id", id, "alert_id", id, "occurred_at", occurred,
                          "task_id", "石大政发〔2022〕56号#二.(一).3", "schema_version", 1);
    if (!a)
        return NULL;
    json_object_set_new(a, "source", json_pack("{s:s, s:i, s:i}", "file", "bench", "line", 0,
                                               "offset", -1));
    json_object_set_new(a, "doc_id", json_string("石大政发〔2022〕56号"));
    json_object_set_new(a, "departments", json_pack("[s]", "区发展和改革局"));
    json_object_set_new(a, "kind", json_string("DUE_SOON"));
    json_object_set_new(a, "level", json_string("YELLOW"));
    json_object_set_new(a, "due_date", json_string("2023-06-30"));
    json_object_set_new(a, "days_left", json_integer(3));
    json_object_set_new(a, "fire_at", json_string("2023-06-27T09:00:00+08:00"));
    json_object_set_new(a, "threshold_days", json_integer(3));
    json_object_set_new(a, "late", json_false());
    json_object_set_new(a, "doc_title", json_string("石家庄市大兴区优化营商环境行动方案"));
    json_object_set_new(a, "task_text", json_string("完善企业服务机制，建立企业诉求快速响应制度"));
    json_object_set_new(a, "outline_path", json_string("二.(一).3"));
    json_object_set_new(a, "lead_departments", json_pack("[s]", "区发展和改革局"));
    json_object_set_new(a, "cooperating_departments", json_pack("[s]", "区财政局"));
    json_object_set_new(a, "supervisors", json_array());
    json_object_set_new(a, "deadline_text", json_string("2023年6月底前"));
    return a;
}

typedef struct {
    long done, ok;
} tp_state_t;

static void on_done(const duban_webhook_http_result_t *res, void *opaque)
{
    tp_state_t *s = opaque;
    s->done++;
    s->ok += res->http_status == 200;
}

/* One side's run: rate, and CPU per request of the client and the receiver. */
typedef struct {
    double rps, client_us, receiver_us, client_csw;
    long requests, ok;
} run_t;

static double bench_transport(const opts_t *o, const char *url, pid_t recv, run_t *r)
{
    duban_strlist_t secrets = DUBAN_STRLIST_INIT;
    duban_strlist_push(&secrets, SECRET);
    char target_url[512];
    snprintf(target_url, sizeof(target_url), "%s/bench", url);
    duban_webhook_target_t t = {.url = target_url, .format = DUBAN_WEBHOOK_JSON,
                                .secrets = &secrets};
    duban_webhook_http_opts_t ho;
    duban_webhook_http_opts_default(&ho);
    ho.max_inflight = (int)o->connections;
    ho.allow_private = true;
    ho.threads = (int)o->threads;
    tp_state_t st = {0};
    duban_webhook_http_t *h = NULL;
    char errbuf[256];
    if (duban_webhook_http_new(&ho, on_done, &st, &h, errbuf, sizeof(errbuf)))
        return 0;
    json_t *a = sample_alert(0, duban_now_ms());
    const json_t *alerts[] = {a};
    long sent = 0;
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_s(), r0 = proc_cpu_s(recv);
    while (st.done < o->requests) {
        while (sent < o->requests && duban_webhook_http_capacity(h) > 0) {
            duban_webhook_request_t req;
            char id[32];
            snprintf(id, sizeof(id), "bench-%ld", sent);
            json_object_set_new(a, "alert_id", json_string(id));
            if (duban_webhook_build(&t, alerts, 1, duban_now_ms(), &req, errbuf, sizeof(errbuf)) ||
                duban_webhook_http_submit(h, &req, 10000, 3000, NULL, errbuf, sizeof(errbuf))) {
                fprintf(stderr, "bench: %s\n", errbuf);
                st.done = o->requests;  /* give up: report what was done */
                break;
            }
            sent++;
        }
        duban_webhook_http_run(h, 1);
    }
    double secs = now_s() - t0;
    getrusage(RUSAGE_SELF, &ru1);
    r->client_us = (ru_cpu_s(&ru1) - ru_cpu_s(&ru0)) * 1e6 / (double)o->requests;
    r->client_csw = (double)(ru1.ru_nvcsw + ru1.ru_nivcsw - ru0.ru_nvcsw - ru0.ru_nivcsw) /
                    (double)o->requests;
    r->receiver_us = (proc_cpu_s(recv) - r0) * 1e6 / (double)o->requests;
    r->requests = o->requests;
    r->ok = st.ok;
    r->rps = (double)o->requests / secs;
    json_decref(a);
    duban_webhook_http_destroy(h);
    duban_strlist_free(&secrets);
    return r->rps;
}

/* ---------------------------------------------------------------------------
 * 2. wrk against the same receiver
 * ------------------------------------------------------------------------- */
/* wrk sends the request duban builds for alert bench-0: the same CloudEvent
 * body and the same headers (signature included), fixed. */
static bool write_wrk_script(const char *path, const duban_webhook_request_t *req)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "wrk.method = \"POST\"\n");
    for (size_t i = 0; i < req->headers.count; i++) {
        const char *h = req->headers.items[i], *colon = strchr(h, ':');
        if (colon)
            fprintf(f, "wrk.headers[\"%.*s\"] = \"%s\"\n", (int)(colon - h), h,
                    colon + 1 + strspn(colon + 1, " "));
    }
    fprintf(f, "wrk.body = [==[%s]==]\n", req->body);
    return fclose(f) == 0;
}

static double bench_wrk(const opts_t *o, const char *url, pid_t recv, run_t *r)
{
    char script[PATH_MAX + 16], out[PATH_MAX + 16], target[512], conns[24], dur[24];
    snprintf(script, sizeof(script), "%s/post.lua", o->tmp);
    snprintf(out, sizeof(out), "%s/wrk.out", o->tmp);
    snprintf(target, sizeof(target), "%s/bench", url);
    snprintf(conns, sizeof(conns), "%ld", o->connections);
    snprintf(dur, sizeof(dur), "%lds", o->wrk_seconds);
    duban_strlist_t secrets = DUBAN_STRLIST_INIT;
    duban_strlist_push(&secrets, SECRET);
    duban_webhook_target_t t = {.url = target, .format = DUBAN_WEBHOOK_JSON,
                                .secrets = &secrets};
    json_t *a = sample_alert(0, duban_now_ms());
    const json_t *alerts[] = {a};
    duban_webhook_request_t req;
    char errbuf[256];
    bool ok = !duban_webhook_build(&t, alerts, 1, duban_now_ms(), &req, errbuf, sizeof(errbuf));
    if (ok) {
        ok = write_wrk_script(script, &req);
        duban_webhook_request_free(&req);
    }
    json_decref(a);
    duban_strlist_free(&secrets);
    if (!ok)
        return 0;
    char *argv[] = {"wrk", "-t1", "-c", conns, "-d", dur, "-s", script, target, NULL};
    double r0 = proc_cpu_s(recv);
    pid_t pid = spawn(argv, out);
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status))
        return 0;
    double receiver_s = proc_cpu_s(recv) - r0;
    FILE *f = fopen(out, "r");
    char line[256];
    memset(r, 0, sizeof(*r));
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, " %ld requests in", &r->requests) == 1)
            continue;
        else if (sscanf(line, "Requests/sec: %lf", &r->rps) == 1)
            break;
    if (f)
        fclose(f);
    if (r->requests > 0) {
        r->client_us = ru_cpu_s(&ru) * 1e6 / (double)r->requests;
        r->client_csw = (double)(ru.ru_nvcsw + ru.ru_nivcsw) / (double)r->requests;
        r->receiver_us = receiver_s * 1e6 / (double)r->requests;
    }
    return r->rps;
}

/* ---------------------------------------------------------------------------
 * 3. produce -> received latency through broker and notifier
 * ------------------------------------------------------------------------- */
static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Latencies (receive t_ms - data.occurred_at) of ids bench-e2e-*. */
static size_t read_latencies(const char *log, long *lat, size_t cap, long *warm)
{
    FILE *f = fopen(log, "r");
    char *line = NULL;
    size_t lcap = 0, n = 0;
    *warm = 0;
    while (f && getline(&line, &lcap, f) > 0) {
        json_t *r = json_loads(line, 0, NULL);
        json_t *body = json_loads(json_string_value(json_object_get(r, "body")) ?: "", 0, NULL);
        json_t *data = json_object_get(body, "data");
        const char *id = json_string_value(json_object_get(data, "alert_id"));
        int64_t occurred;
        if (id && strncmp(id, "bench-e2e-", 10) == 0 && n < cap &&
            !duban_instant_parse(json_string_value(json_object_get(data, "occurred_at")), &occurred))
            lat[n++] = (long)(json_integer_value(json_object_get(r, "t_ms")) - occurred);
        else if (id && strncmp(id, "bench-warm", 10) == 0)
            (*warm)++;
        json_decref(body);
        json_decref(r);
    }
    free(line);
    if (f)
        fclose(f);
    return n;
}

static duban_err_t produce_alert(duban_producer_t *p, duban_serde_t *s, const char *id)
{
    json_t *a = sample_alert(0, duban_now_ms());
    json_object_set_new(a, "alert_id", json_string(id));
    json_object_set_new(a, "event_id", json_string(id));
    json_object_set_new(a, "occurred_at", json_integer(duban_now_ms()));
    void *buf = NULL;
    size_t len = 0;
    char errbuf[256];
    duban_err_t err = duban_serde_encode(s, DUBAN_EV_DEADLINE_ALERT, NULL, a, &buf, &len, errbuf,
                                         sizeof(errbuf));
    if (!err)
        err = duban_producer_send(p, DUBAN_TOPIC_ALERTS, -1, id, strlen(id), buf, len, NULL, 0,
                                  NULL, errbuf, sizeof(errbuf));
    if (err)
        fprintf(stderr, "bench: produce: %s\n", errbuf);
    free(buf);
    json_decref(a);
    return err;
}

static bool wait_warm(const char *log, long want, int timeout_s)
{
    long lat[1], warm = 0;
    for (int i = 0; i < timeout_s * 10; i++) {
        read_latencies(log, lat, 0, &warm);
        if (warm >= want)
            return true;
        usleep(100000);
    }
    return false;
}

static void produce_paced(const opts_t *o, duban_producer_t *p, duban_serde_t *s)
{
    long total = o->rate * o->seconds;
    double t0 = now_s();
    for (long i = 0; i < total; i++) {
        double at = t0 + (double)i / (double)o->rate;
        double wait = at - now_s();
        if (wait > 0)
            usleep((useconds_t)(wait * 1e6));
        char id[48];
        snprintf(id, sizeof(id), "bench-e2e-%ld", i);
        produce_alert(p, s, id);
        duban_producer_poll(p, 0);
    }
    char errbuf[256];
    duban_producer_flush(p, 10000, errbuf, sizeof(errbuf));
}

static int bench_e2e(const opts_t *o)
{
    char prog[PATH_MAX + 32], bsfile[PATH_MAX + 16], routes[PATH_MAX + 16], log[PATH_MAX + 16];
    char bs[512], url[256], bsarg[PATH_MAX + 32], routes_arg[PATH_MAX + 32];
    snprintf(bsfile, sizeof(bsfile), "%s/bootstrap", o->tmp);
    snprintf(routes, sizeof(routes), "%s/routes.json", o->tmp);
    snprintf(log, sizeof(log), "%s/e2e.jsonl", o->tmp);
    unlink(bsfile);
    snprintf(prog, sizeof(prog), "%s/duban-broker", o->bindir);
    char *bargv[] = {prog, "--partitions", "4", "--bootstrap-file", bsfile, NULL};
    pid_t broker = spawn(bargv, "/dev/null");
    pid_t recv = start_receiver(o, log, url, sizeof(url));
    if (broker < 0 || recv < 0 || !first_line(bsfile, bs, sizeof(bs), 5000)) {
        fprintf(stderr, "bench: broker or receiver did not start\n");
        stop(recv);
        stop(broker);
        return 1;
    }
    FILE *f = fopen(routes, "w");
    if (f) {
        fprintf(f, "{\"endpoints\":[{\"id\":\"e2e\",\"url\":\"%s/e2e\",\"format\":\"json\","
                   "\"secrets\":[\"%s\"]}],\"routes\":[],\"default\":[\"e2e\"]}\n", url, SECRET);
        fclose(f);
    }
    snprintf(prog, sizeof(prog), "%s/duban-notifier", o->bindir);
    snprintf(bsarg, sizeof(bsarg), "@%s", bsfile);
    snprintf(routes_arg, sizeof(routes_arg), "notifier.routes=%s", routes);
    char *nargv[] = {prog, "-b", bsarg, "--demo", "--set", routes_arg, "--set",
                     "notifier.group=bench", "-X", "session.timeout.ms=6000", "-X",
                     "heartbeat.interval.ms=1000", "--log-level", "warn", NULL};
    pid_t notifier = spawn(nargv, "/dev/null");
    duban_conf_t *conf = duban_conf_new();
    duban_conf_set(conf, "kafka.bootstrap.servers", bs, NULL, 0);
    duban_conf_set(conf, "kafka.linger.ms", "1", NULL, 0);
    duban_producer_t *p = NULL;
    duban_serde_t *s = NULL;
    char errbuf[256];
    int rc = 1;
    if (duban_serde_new(NULL, &s, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &p, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "bench: %s\n", errbuf);
        goto out;
    }
    produce_alert(p, s, "bench-warm-0");
    duban_producer_flush(p, 10000, errbuf, sizeof(errbuf));
    if (!wait_warm(log, 1, 30)) {
        fprintf(stderr, "bench: the notifier did not deliver the warm-up alert\n");
        goto out;
    }
    produce_paced(o, p, s);
    long total = o->rate * o->seconds, *lat = calloc((size_t)total, sizeof(long)), warm;
    size_t n = 0;
    for (int i = 0; lat && i < 100 && n < (size_t)total; i++) {
        usleep(100000);
        n = read_latencies(log, lat, (size_t)total, &warm);
    }
    if (n) {
        qsort(lat, n, sizeof(long), cmp_long);
        printf("latency    %zu of %ld alerts at %ld/s: p50 %ld ms, p99 %ld ms, max %ld ms"
               " (goal p99 <= 50 ms: %s)\n", n, total, o->rate, lat[n / 2],
               lat[(size_t)((double)n * 0.99) < n ? (size_t)((double)n * 0.99) : n - 1],
               lat[n - 1], lat[(size_t)((double)n * 0.99) < n ? (size_t)((double)n * 0.99) : n - 1]
               <= 50 ? "met" : "MISSED");
        rc = 0;
    }
    free(lat);
out:
    duban_producer_destroy(p);
    duban_serde_destroy(s);
    duban_conf_destroy(conf);
    stop(notifier);
    stop(recv);
    stop(broker);
    return rc;
}

/* ---------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------- */
static int parse_args(int argc, char **argv, opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long *target = !strcmp(a, "--requests") ? &o->requests
                     : !strcmp(a, "--connections") ? &o->connections
                     : !strcmp(a, "--rate") ? &o->rate
                     : !strcmp(a, "--seconds") ? &o->seconds
                     : !strcmp(a, "--wrk-seconds") ? &o->wrk_seconds
                     : !strcmp(a, "--threads") ? &o->threads : NULL;
        if (target && i + 1 < argc) {
            *target = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(a, "--no-e2e")) {
            o->skip_e2e = true;
        } else if (!strcmp(a, "--no-wrk")) {
            o->skip_wrk = true;
        } else {
            fprintf(stderr, "Usage: duban-bench-notify [--requests N] [--connections C]\n"
                            "  [--threads T] [--wrk-seconds S] [--rate R] [--seconds S] [--no-wrk]"
                            " [--no-e2e]\n");
            return -1;
        }
    }
    return o->requests > 0 && o->connections > 0 && o->threads > 0 && o->rate > 0 &&
           o->seconds > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    opts_t o = {.requests = 50000, .connections = 32, .rate = 1000, .seconds = 5,
                .wrk_seconds = 5, .threads = DUBAN_WEBHOOK_HTTP_NOTIFIER_THREADS};
    if (parse_args(argc, argv, &o))
        return 2;
    duban_log_init(argv[0], DUBAN_LOG_WARN);
    signal(SIGPIPE, SIG_IGN);
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(o.bindir, sizeof(o.bindir), "%s", self);
    snprintf(o.tmp, sizeof(o.tmp), "/tmp/duban-bench-notify.XXXXXX");
    if (!mkdtemp(o.tmp))
        return 1;
    char url[256], load[64] = "?";
    FILE *lf = fopen("/proc/loadavg", "r");
    if (lf && fgets(load, sizeof(load), lf))
        load[strcspn(load, "\n")] = '\0';
    if (lf)
        fclose(lf);
    printf("machine    %ld cores online, load average %s (numbers vary with load)\n",
           sysconf(_SC_NPROCESSORS_ONLN), load);
    pid_t recv = start_receiver(&o, NULL, url, sizeof(url));
    if (recv < 0) {
        fprintf(stderr, "bench: duban-receiver did not start (%s/duban-receiver)\n", o.bindir);
        return 1;
    }
    run_t us = {0}, them = {0};
    double ours = bench_transport(&o, url, recv, &us);
    printf("duban      %.0f deliveries/s (%ld requests, %ld answered 200, %ld connections"
           " in all, %ld libcurl threads (notifier.http.threads), signed CloudEvents built per"
           " request) (goal >= 5000: %s)\n"
           "           per request: duban %.1f us CPU, %.2f context switches; receiver %.1f us"
           " CPU\n", ours, o.requests, us.ok, o.connections, o.threads,
           ours >= 5000 ? "met" : "MISSED",
           us.client_us, us.client_csw, us.receiver_us);
    if (!o.skip_wrk) {
        double wrk = bench_wrk(&o, url, recv, &them);
        if (wrk > 0)
            printf("wrk        %.0f requests/s (same receiver, body, headers and connections)\n"
                   "           per request: wrk %.1f us CPU, %.2f context switches; receiver"
                   " %.1f us CPU\n"
                   "ratio      %.0f %% of wrk (goal >= 50 %%: %s)\n", wrk, them.client_us,
                   them.client_csw, them.receiver_us, 100.0 * ours / wrk, ours >= wrk / 2 ? "met" : "MISSED");
        else
            printf("wrk        not run (is wrk installed?)\n");
    }
    stop(recv);
    fflush(stdout);
    int rc = o.skip_e2e ? 0 : bench_e2e(&o);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", o.tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s\n", o.tmp);
    return rc;
}
