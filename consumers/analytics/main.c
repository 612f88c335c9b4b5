/* duban-analytics: every duban topic into a SQL store (SQLite, or PostgreSQL
 * by connection string), the clean feed for downstream analytics with
 * per-department figures, and CSV export of it.
 *
 * Consumes the six topics as consumer group duban-analytics. Messages are
 * applied in batches inside one SQL transaction; the Kafka offsets of a
 * batch are committed only after its transaction has committed, so a crash
 * re-applies at most one batch, and re-applying is harmless because every
 * write is an idempotent upsert (consumers/analytics/store.c). An undecodable message is
 * dead-lettered (except from duban.dlq.v1 itself, which is only logged, so a
 * bad dead letter cannot loop).
 *
 * `duban-analytics report --db FILE|URL --out report.html` reads an existing
 * store (SQLite or PostgreSQL) and writes the HTML report (report.h). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analytics_ops.h"
#include "calendar.h"
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "dlq.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "ladder.h"
#include "report.h"
#include "store.h"

#define BATCH_MAX DUBAN_STORE_BATCH_MAX
#define BATCH_MS 500

typedef struct {
    const char *db_path, *csv_dir, *group, *as_of, *cmd, *out, *now;
    int exit_at_end;
    int64_t now_ms;      /* report: --now, else the wall clock */
} analytics_opts_t;

typedef struct {
    duban_store_t *store;
    duban_serde_t *serde;
    duban_event_row_t row;                    /* the message being applied, decoded */
    duban_producer_t *dlq;
    duban_consumer_t *consumer;
    rd_kafka_topic_partition_list_t *pending; /* next offsets of the open batch */
    long batch, applied, bad, eof_pending;
    int assigned;
    analytics_ops_t ops;                      /* /metrics, /healthz on ops.listen */
} analytics_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-analytics --db FILE|URL [-b BROKERS] [options]\n"
            "       duban-analytics report --db FILE|URL --out report.html [--now TIME]\n"
            "Loads every duban topic into a SQL store (tables documents, tasks,\n"
            "task_departments, task_status, alerts, deliveries, dead_letters; views\n"
            "task_current, task_figures, department_figures) and/or exports it as CSV.\n"
            "  --db FILE        the SQLite database (created if missing when loading with -b;\n"
            "                   without -b it must exist: it is only exported)\n"
            "  --db postgresql://USER@HOST:PORT/DB   (or postgres://...) the same store in\n"
            "                   PostgreSQL (libpq connection string; the database must exist)\n"
            "  --as-of TIME     the figures' clock (ISO-8601, or a date = its 00:00 Shanghai);\n"
            "                   default: the latest occurred_at of the events stored\n"
            "  --csv DIR        after loading (or alone, without -b), write DIR/<table>.csv\n"
            "                   (DIR is created)\n"
            "  --group G        consumer group (default duban-analytics)\n"
            "  --exit-at-end    stop when every partition is read to its end\n"
            "report: one self-contained HTML page from an existing store (红黄绿灯 per\n"
            "department, overdue tasks over time, on-time rate, tasks flagged for review)\n"
            "  --out FILE       where the page is written\n"
            "  --now TIME       the report's day (ISO 8601 or epoch ms; default now); events\n"
            "                   after that day are left out\n"
            "  settings: alerter.yellow.days, alerter.calendar.files\n"
            "%s",
            duban_conf_common_usage());
}

/* The one positional argument: the command `report`. */
static int command_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                       size_t errbuf_size)
{
    analytics_opts_t *o = opts;
    (void)argc;
    if (argv[i][0] == '-')
        return 0;
    if (!o->cmd && strcmp(argv[i], "report") == 0) {
        o->cmd = argv[i];
        return 1;
    }
    snprintf(errbuf, errbuf_size, "unexpected argument %s (see --help)", argv[i]);
    return -1;
}

/* What report needs and refuses (and --now read); NULL when the options fit. */
static const char *report_misuse(const duban_conf_t *conf, analytics_opts_t *o)
{
    bool loading = duban_conf_get(conf, "kafka.bootstrap.servers", NULL) || o->csv_dir ||
                   o->group || o->exit_at_end || o->as_of;
    if (!o->cmd)
        return o->out || o->now ? "--out and --now belong to the report command "
                                  "(duban-analytics report --db FILE|URL --out FILE)"
                                : NULL;
    if (!o->db_path)
        return "report: --db FILE|URL (an existing store) is required";
    if (!o->out)
        return "report: --out FILE is required";
    if (o->now && duban_instant_parse(o->now, &o->now_ms))
        return "report: --now: not ISO 8601 (2022-06-30T09:00+08:00) or epoch ms";
    if (loading)
        return "report reads the store only: load it first (-b, --csv, --group, "
               "--exit-at-end, --as-of belong to a run without report)";
    return NULL;
}

static int parse_args(int argc, char **argv, duban_conf_t *conf, analytics_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--exit-at-end", DUBAN_OPT_FLAG, offsetof(analytics_opts_t, exit_at_end)},
        {"--db", DUBAN_OPT_STRING, offsetof(analytics_opts_t, db_path)},
        {"--csv", DUBAN_OPT_STRING, offsetof(analytics_opts_t, csv_dir)},
        {"--group", DUBAN_OPT_STRING, offsetof(analytics_opts_t, group)},
        {"--as-of", DUBAN_OPT_STRING, offsetof(analytics_opts_t, as_of)},
        {"--out", DUBAN_OPT_STRING, offsetof(analytics_opts_t, out)},
        {"--now", DUBAN_OPT_STRING, offsetof(analytics_opts_t, now)},
    };
    static const duban_program_t prog = {"duban-analytics", usage, table,
                                         sizeof(table) / sizeof(table[0]), command_arg,
                                         DUBAN_USES_ANALYTICS};
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    const char *misuse = report_misuse(conf, o);
    if (misuse)
        return fprintf(stderr, "duban-analytics: %s\n", misuse), -1;
    if (!o->db_path)
        return fprintf(stderr, "duban-analytics: --db FILE|URL is required (see --help)\n"), -1;
    int64_t ms;
    if (o->as_of && duban_instant_parse(o->as_of, &ms) != DUBAN_OK)
        return fprintf(stderr, "duban-analytics: --as-of %s: not an ISO-8601 time or date\n",
                       o->as_of), -1;
    if (!o->cmd && !duban_conf_get(conf, "kafka.bootstrap.servers", NULL) && !o->csv_dir)
        return fprintf(stderr, "duban-analytics: --db %s alone does nothing: give -b BROKERS to "
                       "load the topics into it, and/or --csv DIR to export it\n",
                       strstr(o->db_path, "://") ? "URL" : o->db_path), -1;
    if (duban_program_log_level(conf) < 0)
        return fprintf(stderr, "duban-analytics: --log-level %s: not error|warn|info|debug\n",
                       duban_conf_get(conf, "log.level", "")), -1;
    return 0;
}

static void on_rebalance(duban_consumer_t *c, bool assigned,
                         rd_kafka_topic_partition_list_t *parts, void *opaque)
{
    (void)c;
    analytics_t *an = opaque;
    an->assigned += assigned ? parts->cnt : -parts->cnt;
    duban_metric_set(an->ops.assigned, an->assigned);
    if (assigned)
        an->eof_pending += parts->cnt;
}

/* Closes the open batch: SQL commit first, then the Kafka offsets. */
static int flush_batch(analytics_t *an)
{
    char errbuf[512];
    if (an->batch == 0)
        return 0;
    if (duban_store_commit(an->store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        return -1;
    }
    analytics_ops_committed(&an->ops);
    rd_kafka_resp_err_t err = rd_kafka_commit(duban_consumer_handle(an->consumer), an->pending, 0);
    if (err)
        duban_warn("COMMIT", "%s", rd_kafka_err2str(err));
    rd_kafka_topic_partition_list_destroy(an->pending);
    an->pending = rd_kafka_topic_partition_list_new(32);
    an->batch = 0;
    return 0;
}

static int apply(analytics_t *an, const rd_kafka_message_t *msg)
{
    char errbuf[512], kv[200];
    const char *topic = rd_kafka_topic_name(msg->rkt);
    if (an->batch == 0 && duban_store_begin(an->store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        return -1;
    }
    duban_err_t err = duban_serde_decode_row(an->serde, msg->payload, msg->len, &an->row,
                                             errbuf, sizeof(errbuf));
    if (!err)
        err = duban_store_put_row(an->store, &an->row, errbuf, sizeof(errbuf));
    if (err == DUBAN_E_IO) {
        duban_error("STORE", "%s", errbuf); /* the store itself failed: stop */
        return -1;
    }
    analytics_ops_event(&an->ops, topic, !err);
    if (err) {
        an->bad++;
        snprintf(kv, sizeof(kv), "topic=%s part=%d off=%lld", topic, (int)msg->partition,
                 (long long)msg->offset);
        DUBAN_LOG(DUBAN_LOG_ERROR, "DECODE", kv, "%s", errbuf);
        if (strcmp(topic, DUBAN_TOPIC_DLQ) != 0) {
            duban_dlq_origin_t origin;
            char dlq_err[256];
            duban_dlq_origin_from(msg, &origin);
            if (duban_dlq_send(an->dlq, an->serde, &origin, errbuf, "duban-analytics", NULL,
                               dlq_err, sizeof(dlq_err)) ||
                duban_producer_flush(an->dlq, 30000, dlq_err, sizeof(dlq_err))) {
                duban_metric_add(an->ops.produce_errors, 1);
                duban_error("DLQ", "%s", dlq_err);
                return -1; /* not committed: it will be read again */
            }
            duban_metric_add(an->ops.dlq_out, 1);
        }
    } else {
        an->applied++;
    }
    /* one entry per partition, however large the batch */
    rd_kafka_topic_partition_t *next =
        rd_kafka_topic_partition_list_find(an->pending, topic, msg->partition);
    if (!next)
        next = rd_kafka_topic_partition_list_add(an->pending, topic, msg->partition);
    next->offset = msg->offset + 1;
    an->batch++;
    return 0;
}

/* Whether every assigned partition has been read up to its high watermark
 * as it is now. At the end of a run the dead letters this run wrote (and
 * anything else written meanwhile) are past the end first seen; without
 * this check they reached dead_letters only in the next run. */
static bool caught_up(analytics_t *an)
{
    rd_kafka_t *rk = duban_consumer_handle(an->consumer);
    rd_kafka_topic_partition_list_t *parts = NULL;
    if (rd_kafka_assignment(rk, &parts) || !parts)
        return true;
    /* where this run is: past its last message, else (nothing read there in
     * this run) the group's committed offset, else the beginning */
    rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_copy(parts);
    rd_kafka_position(rk, parts);
    if (rd_kafka_committed(rk, committed, 5000))
        for (int i = 0; i < committed->cnt; i++)
            committed->elems[i].offset = RD_KAFKA_OFFSET_INVALID;
    bool done = true;
    for (int i = 0; i < parts->cnt && done; i++) {
        rd_kafka_topic_partition_t *p = &parts->elems[i];
        int64_t lo, hi, at_commit = committed->elems[i].offset;
        /* asked through the producer's connection: on the consumer's, the
         * answer queues behind a fetch that waits up to fetch.wait.max.ms */
        if (rd_kafka_query_watermark_offsets(duban_producer_handle(an->dlq), p->topic,
                                             p->partition, &lo, &hi, 5000))
            continue;
        int64_t pos = p->offset >= 0 ? p->offset : at_commit >= 0 ? at_commit : lo;
        if (pos < hi) {
            duban_debug("END", "%s [%d] at %lld of %lld: reading on", p->topic,
                        (int)p->partition, (long long)pos, (long long)hi);
            done = false;
        }
    }
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_topic_partition_list_destroy(committed);
    return done;
}

/* Until the group assigns partitions nothing is read; say so (every 5 s)
 * rather than wait in silence. On duban-broker a member that left shortly
 * before holds the next join for session.timeout.ms - 1 s. */
static void say_waiting(const analytics_t *an, const char *group, int64_t started,
                        int64_t now, int64_t *said)
{
    if (an->assigned > 0 || now - started < 2000 || now - *said < 5000)
        return;
    *said = now;
    duban_info("GROUP", "waiting %lld s for consumer group %s to assign partitions (the "
               "coordinator waits up to session.timeout.ms for members of an earlier "
               "generation to rejoin)", (long long)((now - started) / 1000), group);
}

static int run(analytics_t *an, const analytics_opts_t *o)
{
    int64_t batch_started = 0, started = duban_now_ms(), said = 0, next_end_check = 0;
    while (!duban_shutdown_requested()) {
        rd_kafka_message_t *msg = duban_consumer_poll(an->consumer, 100);
        int64_t now = duban_now_ms();
        say_waiting(an, o->group ? o->group : "duban-analytics", started, now, &said);
        analytics_ops_refresh(&an->ops, now);
        if (msg && msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(msg);
            msg = NULL;
            if (o->exit_at_end && --an->eof_pending <= 0 && an->assigned > 0)
                next_end_check = now; /* every partition reached its end once */
        }
        /* at the end, and every second after while not caught up */
        if (next_end_check && now >= next_end_check && !msg) {
            if (flush_batch(an))
                return 1;
            if (caught_up(an))
                break;
            next_end_check = now + 1000;
        }
        if (msg) {
            if (an->batch == 0)
                batch_started = now;
            int rc = apply(an, msg);
            rd_kafka_message_destroy(msg);
            if (rc)
                return 1;
        }
        if (an->batch >= BATCH_MAX || (an->batch && now - batch_started >= BATCH_MS))
            if (flush_batch(an))
                return 1;
    }
    return flush_batch(an) ? 1 : 0;
}

static int consume(analytics_t *an, duban_conf_t *conf, const analytics_opts_t *o)
{
    char errbuf[512];
    const char *topics[DUBAN_EV__COUNT];
    for (int t = 0; t < DUBAN_EV__COUNT; t++)
        topics[t] = duban_event_topic((duban_event_type_t)t);
    if (o->exit_at_end)
        duban_conf_set(conf, "kafka.enable.partition.eof", "true", NULL, 0);
    /* A run right after another waited 45 s: the coordinator (duban-broker
     * at least) held the new member's join for session.timeout.ms - 1 s
     * (librdkafka's default 45 s) after the previous member had left. 6 s,
     * the smallest a Kafka broker accepts by default, unless configured. */
    if (!duban_conf_get(conf, "kafka.session.timeout.ms", NULL))
        duban_conf_set(conf, "kafka.session.timeout.ms", "6000", NULL, 0);
    if (duban_serde_new(conf, &an->serde, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &an->dlq, errbuf, sizeof(errbuf)) ||
        duban_consumer_new(conf, o->group ? o->group : "duban-analytics", topics,
                           DUBAN_EV__COUNT, on_rebalance, an, &an->consumer, errbuf,
                           sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    if (analytics_ops_start(&an->ops, conf, duban_consumer_handle(an->consumer), errbuf,
                            sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        analytics_ops_stop(&an->ops);
        return 1;
    }
    an->pending = rd_kafka_topic_partition_list_new(32);
    duban_event_row_init(&an->row);
    int rc = run(an, o);
    duban_event_row_free(&an->row);
    duban_info("ANALYTICS", "%ld events stored, %ld undecodable", an->applied, an->bad);
    rd_kafka_topic_partition_list_destroy(an->pending);
    duban_ops_http_stop(an->ops.http);   /* before the consumer its probe uses */
    an->ops.http = NULL;
    duban_consumer_destroy(an->consumer);
    analytics_ops_stop(&an->ops);        /* after: the consumer's close updates a gauge */
    duban_producer_destroy(an->dlq);
    duban_serde_destroy(an->serde);
    return rc;
}

/* The report's settings: its day, the ladder's yellow days, the calendar. */
static duban_err_t report_setup(const duban_conf_t *conf, const analytics_opts_t *o,
                                duban_report_opts_t *ro, duban_calendar_t **cal, char *errbuf,
                                size_t size)
{
    duban_ladder_conf_t lc;
    ro->now_ms = o->now ? o->now_ms : duban_now_ms();
    duban_err_t err = duban_ladder_conf_from(conf, &lc, errbuf, size);
    if (!err)
        err = duban_calendar_new(cal, errbuf, size);
    if (!err)
        err = duban_calendar_load_files(*cal, duban_conf_get(conf, "alerter.calendar.files", ""),
                                        errbuf, size);
    ro->yellow_days = lc.yellow_days;
    ro->cal = *cal;
    return err;
}

static int write_report(duban_store_t *st, const duban_conf_t *conf, const analytics_opts_t *o)
{
    char errbuf[512];
    duban_report_opts_t ro;
    duban_calendar_t *cal = NULL;
    duban_buf_t page;
    duban_buf_init(&page, DUBAN_BUF_MAX_DEFAULT);
    duban_err_t err = report_setup(conf, o, &ro, &cal, errbuf, sizeof(errbuf));
    if (!err)
        err = duban_report_render(st, &ro, &page, errbuf, sizeof(errbuf));
    FILE *f = err ? NULL : fopen(o->out, "w");
    if (!err && (!f || fwrite(page.data, 1, page.len, f) != page.len))
        err = duban_seterr(errbuf, sizeof(errbuf), DUBAN_E_IO, "--out %s: %s", o->out,
                           strerror(errno));
    if (f && fclose(f) != 0 && !err)
        err = duban_seterr(errbuf, sizeof(errbuf), DUBAN_E_IO, "--out %s: %s", o->out,
                           strerror(errno));
    if (err)
        duban_error("REPORT", "%s", errbuf);
    else
        duban_info("REPORT", "%s: %zu bytes", o->out, page.len);
    duban_buf_free(&page);
    duban_calendar_destroy(cal);
    return err ? 1 : 0;
}

/* The figures' settings: the alerter's calendar and its widest DUE_SOON. */
static duban_err_t set_figures(duban_store_t *st, const duban_conf_t *conf,
                               const analytics_opts_t *o, char *errbuf, size_t size)
{
    duban_calendar_t *cal = NULL;
    duban_err_t err = duban_calendar_new(&cal, errbuf, size);
    if (!err)
        err = duban_calendar_load_files(cal, duban_conf_str(conf, "alerter.calendar.files"),
                                        errbuf, size);
    int soon = 0;
    const char *p = duban_conf_str(conf, "alerter.due.soon.days");
    while (!err && p && *p) {
        char *end;
        long n = strtol(p, &end, 10);
        if (end == p || n < 0 || n > 366 || (*end && *end != ','))
            err = duban_seterr(errbuf, size, DUBAN_E_INVAL, "alerter.due.soon.days: \"%s\"",
                               duban_conf_str(conf, "alerter.due.soon.days"));
        soon = n > soon ? (int)n : soon;
        p = *end ? end + 1 : end;
    }
    duban_store_figures_t fig = {o->as_of, cal, soon};
    if (!err)
        err = duban_store_set_figures(st, &fig, errbuf, size);
    duban_calendar_destroy(cal);
    return err;
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    analytics_opts_t o = {0};
    char errbuf[512];
    int start = parse_args(argc, argv, conf, &o);
    if (start) {
        duban_conf_destroy(conf);
        return start > 0 ? 0 : 2;
    }
    duban_shutdown_install();
    analytics_t an = {0};
    int rc = 0;
    bool load = duban_conf_get(conf, "kafka.bootstrap.servers", NULL) != NULL;
    if (duban_store_open(o.db_path, load, &an.store, errbuf, sizeof(errbuf))) {
        duban_error("STORE", "%s", errbuf);
        rc = 1;
    }
    if (!rc && o.cmd)
        rc = write_report(an.store, conf, &o);
    if (!rc && load)
        rc = consume(&an, conf, &o);
    if (!rc && !o.cmd && set_figures(an.store, conf, &o, errbuf, sizeof(errbuf))) {
        duban_error("FIGURES", "%s", errbuf);
        rc = 1;
    }
    if (!rc && o.csv_dir && duban_store_export_csv(an.store, o.csv_dir, errbuf, sizeof(errbuf))) {
        duban_error("CSV", "%s", errbuf);
        rc = 1;
    }
    duban_store_close(an.store);
    duban_conf_destroy(conf);
    return rc;
}
