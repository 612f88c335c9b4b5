/* duban-broker: the embedded default Kafka for duban.
 *
 * An in-memory stand-in built on librdkafka's mock cluster (rdkafka_mock.h):
 * it speaks the real Kafka protocol on 127.0.0.1 (produce, fetch, consumer
 * groups, committed offsets), creates duban's topics, prints its bootstrap
 * servers, and takes fault-injection commands for tests. It has no
 * durability (everything is lost when it exits), no compaction, and keeps at
 * most 5 MiB per partition (fixed in librdkafka 2.0.2). Ports are ephemeral:
 * read the bootstrap string from stdout or --bootstrap-file.
 *
 * Control commands, one per line, on the FIFO given by --control (and on
 * stdin with --stdin-control):
 *   down N | up N              take broker N (1-based; -1 = all) down or up
 *   rtt N MS                   add MS round-trip latency to broker N (-1 all)
 *   error API COUNT CODE       the next COUNT requests of API (name or
 *                              number, e.g. Produce or 0) fail with CODE
 *   leader TOPIC PART BROKER   move a partition's leadership
 *   topic NAME PARTITIONS      create a topic
 *   ping                       answers "ok ping" (to synchronise a test)
 * Each command is answered by a line "ok ..." or "error ..." on stdout.
 *
 * The mock drops the oldest record batches of a partition past 5 MiB (or
 * 100,000 batches) without telling anyone. Once a second the broker reads
 * every partition's watermarks through a client of its own and logs a
 * warning naming topic and partition when one nears the cap (an estimate:
 * messages held times the size of a recently sampled message) and when its
 * log start offset moves, i.e. when it starts dropping. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cap_watch.h"
#include "cli.h"
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include "event.h"
#include "kafka.h"
#include "log.h"

typedef struct {
    int partitions, brokers;
    const char *bootstrap_file, *control_path;
    int stdin_control;
} broker_opts_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-broker [--partitions N] [--brokers N] [--bootstrap-file F]\n"
            "                    [--control FIFO] [--stdin-control] [--log-level L]\n"
            "An in-memory Kafka (librdkafka mock cluster) on 127.0.0.1 for duban.\n"
            "Prints its bootstrap servers as the first line on stdout, creates\n"
            "duban's topics with N partitions (default 4) on N brokers (default 1),\n"
            "and runs until SIGINT/SIGTERM. No durability, no compaction, 5 MiB\n"
            "per partition. Point programs at a real Kafka with -b HOST:PORT.\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

/* --partitions and --brokers, whose values are checked. */
static int broker_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                      size_t errbuf_size)
{
    broker_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool partitions = !strcmp(a, "--partitions");
    if (!partitions && strcmp(a, "--brokers"))
        return 0;
    if (!v)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s needs a value", a), -1;
    if (partitions ? parse_int(v, 1, 1024, &o->partitions) : parse_int(v, 1, 16, &o->brokers))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s", partitions
                            ? "--partitions 1..1024" : "--brokers 1..16"), -1;
    return 2;
}

/* As duban_program_start: 0 to go on, 1 after --help, -1 on a usage error.
 * The common options (-b, --config, ...) are accepted and unused: the broker
 * reads no setting but log.level. */
static int parse_opts(int argc, char **argv, broker_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--stdin-control", DUBAN_OPT_FLAG, offsetof(broker_opts_t, stdin_control)},
        {"--bootstrap-file", DUBAN_OPT_STRING, offsetof(broker_opts_t, bootstrap_file)},
        {"--control", DUBAN_OPT_STRING, offsetof(broker_opts_t, control_path)},
    };
    static const duban_program_t prog = {"duban-broker", usage, table,
                                         sizeof(table) / sizeof(table[0]), broker_arg, 0};
    duban_conf_t *conf = duban_conf_new();
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc == 0)
        duban_program_log_level(conf); /* an unknown level leaves info, as it always did */
    duban_conf_destroy(conf);
    return rc;
}

static int write_bootstrap_file(const char *path, const char *bootstraps)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%s\n", bootstraps) < 0 || fclose(f) != 0) {
        duban_error("BROKER", "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (rename(tmp, path) != 0) {
        duban_error("BROKER", "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        return -1;
    }
    return 0;
}

static int api_key_of(const char *s)
{
    static const char *names[] = {"Produce", "Fetch", "ListOffsets", "Metadata"};
    for (int i = 0; i < 4; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    static const struct { const char *name; int key; } more[] = {
        {"OffsetCommit", 8}, {"OffsetFetch", 9}, {"FindCoordinator", 10},
        {"JoinGroup", 11}, {"Heartbeat", 12}, {"LeaveGroup", 13}, {"SyncGroup", 14},
        {"ApiVersions", 18}, {"InitProducerId", 22},
    };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
        if (strcasecmp(s, more[i].name) == 0)
            return more[i].key;
    int n;
    return parse_int(s, 0, 100, &n) ? -1 : n;
}

static rd_kafka_resp_err_t each_broker(rd_kafka_mock_cluster_t *mc, int id, int brokers,
                                       int up, int rtt)
{
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    for (int b = 1; b <= brokers; b++) {
        if (id != -1 && id != b)
            continue;
        if (rtt >= 0)
            err = rd_kafka_mock_broker_set_rtt(mc, b, rtt);
        else
            err = up ? rd_kafka_mock_broker_set_up(mc, b) : rd_kafka_mock_broker_set_down(mc, b);
        if (err)
            break;
    }
    return err;
}

/* Runs one control command; answers on stdout. */
static void run_command(rd_kafka_mock_cluster_t *mc, const broker_opts_t *o, char *line)
{
    char *argv[6] = {0};
    int argc = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t && argc < 6;
         t = strtok_r(NULL, " \t\r\n", &save))
        argv[argc++] = t;
    if (argc == 0)
        return;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    int n = 0, m = 0, k = 0;
    const char *cmd = argv[0];
    if ((!strcmp(cmd, "down") || !strcmp(cmd, "up")) && argc == 2 &&
        !parse_int(argv[1], -1, o->brokers, &n) && n != 0) {
        err = each_broker(mc, n, o->brokers, cmd[0] == 'u', -1);
    } else if (!strcmp(cmd, "rtt") && argc == 3 && !parse_int(argv[1], -1, o->brokers, &n) &&
               n != 0 && !parse_int(argv[2], 0, 600000, &m)) {
        err = each_broker(mc, n, o->brokers, 0, m);
    } else if (!strcmp(cmd, "error") && argc == 4 && (n = api_key_of(argv[1])) >= 0 &&
               !parse_int(argv[2], 1, 100000, &m) && !parse_int(argv[3], -200, 1000, &k)) {
        rd_kafka_resp_err_t *codes = malloc(sizeof(*codes) * (size_t)m);
        for (int i = 0; i < m; i++)
            codes[i] = (rd_kafka_resp_err_t)k;
        rd_kafka_mock_push_request_errors_array(mc, (int16_t)n, (size_t)m, codes);
        free(codes);
    } else if (!strcmp(cmd, "leader") && argc == 4 && !parse_int(argv[2], 0, 100000, &n) &&
               !parse_int(argv[3], 1, o->brokers, &m)) {
        err = rd_kafka_mock_partition_set_leader(mc, argv[1], n, m);
    } else if (!strcmp(cmd, "topic") && argc == 3 && !parse_int(argv[2], 1, 1024, &n)) {
        err = rd_kafka_mock_topic_create(mc, argv[1], n, 1);
    } else if (!strcmp(cmd, "ping") && argc == 1) {
        /* nothing to do */
    } else {
        printf("error unknown or malformed command: %s\n", cmd);
        fflush(stdout);
        return;
    }
    if (err)
        printf("error %s: %s\n", cmd, rd_kafka_err2str(err));
    else
        printf("ok %s\n", cmd);
    fflush(stdout);
    duban_info("CONTROL", "%s -> %s", cmd, err ? rd_kafka_err2str(err) : "ok");
}

/* Reads whole lines from fd into buf, running each command. */
static void drain_commands(rd_kafka_mock_cluster_t *mc, const broker_opts_t *o, int fd,
                           char *buf, size_t *used, size_t cap)
{
    ssize_t n = read(fd, buf + *used, cap - *used - 1);
    if (n <= 0)
        return;
    *used += (size_t)n;
    buf[*used] = '\0';
    char *start = buf, *nl;
    while ((nl = strchr(start, '\n'))) {
        *nl = '\0';
        run_command(mc, o, start);
        start = nl + 1;
    }
    *used = strlen(start);
    memmove(buf, start, *used);
    if (*used == cap - 1)
        *used = 0; /* a line longer than the buffer: drop it */
}

static int open_control(const char *path)
{
    if (mkfifo(path, 0600) != 0 && errno != EEXIST) {
        duban_error("BROKER", "mkfifo %s: %s", path, strerror(errno));
        return -1;
    }
    /* O_RDWR keeps the FIFO open with no writer, so reads never see EOF. */
    int fd = open(path, O_RDWR | O_NONBLOCK);
    if (fd < 0)
        duban_error("BROKER", "open %s: %s", path, strerror(errno));
    return fd;
}

static void serve(rd_kafka_mock_cluster_t *mc, const broker_opts_t *o, int control_fd,
                  cap_watch_t *watch)
{
    char fifo_buf[1024], stdin_buf[1024];
    size_t fifo_used = 0, stdin_used = 0;
    while (!duban_shutdown_requested()) {
        struct pollfd fds[2];
        int nfds = 0;
        if (control_fd >= 0)
            fds[nfds++] = (struct pollfd){.fd = control_fd, .events = POLLIN};
        if (o->stdin_control)
            fds[nfds++] = (struct pollfd){.fd = 0, .events = POLLIN};
        int rc = poll(fds, (nfds_t)nfds, 200);
        cap_watch_tick(watch);
        if (rc <= 0)
            continue;
        for (int i = 0; i < nfds; i++) {
            if (fds[i].revents & (POLLHUP | POLLERR)) {
                if (fds[i].fd == 0)
                    duban_shutdown_request(); /* stdin closed: the parent is gone */
                continue;
            }
            if (!(fds[i].revents & POLLIN))
                continue;
            if (fds[i].fd == 0)
                drain_commands(mc, o, 0, stdin_buf, &stdin_used, sizeof(stdin_buf));
            else
                drain_commands(mc, o, control_fd, fifo_buf, &fifo_used, sizeof(fifo_buf));
        }
    }
}

int main(int argc, char **argv)
{
    broker_opts_t o = {.partitions = 4, .brokers = 1};
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc > 0 ? 0 : 2;
    duban_shutdown_install();

    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", NULL, 0); /* the CONFWARN is noise */
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!rk) {
        duban_error("BROKER", "rd_kafka_new: %s", errstr);
        return 1;
    }
    rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, o.brokers);
    if (!mc) {
        duban_error("BROKER", "cannot create the mock cluster");
        rd_kafka_destroy(rk);
        return 1;
    }
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
            mc, duban_event_topic((duban_event_type_t)t), o.partitions, 1);
        if (err)
            duban_warn("BROKER", "create %s: %s", duban_event_topic((duban_event_type_t)t),
                       rd_kafka_err2str(err));
    }
    const char *bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
    printf("%s\n", bootstraps);
    fflush(stdout);
    rc = 0;
    if (o.bootstrap_file && write_bootstrap_file(o.bootstrap_file, bootstraps))
        rc = 1;
    int control_fd = o.control_path ? open_control(o.control_path) : -1;
    if (o.control_path && control_fd < 0)
        rc = 1;
    if (rc == 0) {
        duban_info("BROKER", "listening on %s, %d partitions per topic, %d broker(s)",
                   bootstraps, o.partitions, o.brokers);
        cap_watch_t *watch = cap_watch_new(bootstraps);
        serve(mc, &o, control_fd, watch);
        cap_watch_destroy(watch);
        duban_info("BROKER", "shutting down; all data is discarded");
    }
    if (control_fd >= 0) {
        close(control_fd);
        unlink(o.control_path);
    }
    rd_kafka_mock_cluster_destroy(mc); /* before rd_kafka_destroy */
    rd_kafka_destroy(rk);
    return rc;
}
