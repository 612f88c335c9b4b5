/* duban-status: departments report task status changes.
 *
 *   duban-status [options] report --task ID --to STATUS --actor WHO [...]
 *   duban-status [options] serve [--listen HOST:PORT]
 *
 * Both produce TaskStatusChanged events (producers/status/status_intake.h decides what
 * is acceptable and builds them) keyed by task_id onto duban.task-status.v1,
 * and both count a report as accepted only once its delivery report says the
 * broker has it (idempotent producer, acks=all; sender.c). `report` produces
 * one event and waits; `serve` is the HTTP intake (serve.c).
 * Exit status: 0 delivered (or printed with --dry-run), 1 not delivered or
 * a setup failure, 2 usage error or a report that fails validation. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "status.h"
#include "status_intake.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-status [options] report --task TASK_ID --to STATUS --actor WHO\n"
            "                    [--from STATUS] [--new-due-date YYYY-MM-DD]\n"
            "                    [--comment TEXT] [--at TIME] [--dry-run]\n"
            "       duban-status [options] serve [--listen HOST:PORT]\n"
            "Reports task status changes as TaskStatusChanged events on %s.\n"
            "STATUS: ASSIGNED ACCEPTED IN_PROGRESS COMPLETED EXTENSION_REQUESTED EXTENDED\n"
            "        CANCELLED REOPENED (EXTENDED needs --new-due-date).\n"
            "report: produce one event and wait until the broker has it; prints\n"
            "        {\"event_id\",\"topic\",\"partition\",\"offset\"}. TIME: ISO 8601 or\n"
            "        epoch ms (default now). --dry-run prints the event JSON instead.\n"
            "serve:  HTTP intake, POST /v1/tasks/{task_id}/status with a JSON body\n"
            "        {\"to_status\",\"from_status\"?,\"new_due_date\"?,\"actor\",\"comment\"?,\n"
            "        \"occurred_at\"?}; 202 once delivered. GET /healthz. --listen default\n"
            "        status.listen or 127.0.0.1:8080; port 0 = any; the bound HOST:PORT\n"
            "        is the first line on stdout.\n"
            "Settings: status.auth.tokens (comma list of bearer tokens; unset = no auth),\n"
            "          status.delivery.timeout.ms (30000), status.http.max.connections (256)\n"
            "%s",
            DUBAN_TOPIC_TASK_STATUS, duban_conf_common_usage());
}

typedef struct {
    const char *cmd;
    duban_status_report_t r;
    const char *listen;
    int dry_run;
} opts_t;

/* The command: report or serve. */
static int command_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                       size_t errbuf_size)
{
    opts_t *o = opts;
    (void)argc;
    (void)errbuf;
    (void)errbuf_size;
    if (o->cmd || (strcmp(argv[i], "report") && strcmp(argv[i], "serve")))
        return 0;
    o->cmd = argv[i];
    return 1;
}

/* 0 ok, 1 --help, -1 usage error (printed). */
static int parse_args(int argc, char **argv, duban_conf_t *conf, opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--task", DUBAN_OPT_STRING, offsetof(opts_t, r.task_id)},
        {"--to", DUBAN_OPT_STRING, offsetof(opts_t, r.to_status)},
        {"--from", DUBAN_OPT_STRING, offsetof(opts_t, r.from_status)},
        {"--new-due-date", DUBAN_OPT_STRING, offsetof(opts_t, r.new_due_date)},
        {"--actor", DUBAN_OPT_STRING, offsetof(opts_t, r.actor)},
        {"--comment", DUBAN_OPT_STRING, offsetof(opts_t, r.comment)},
        {"--at", DUBAN_OPT_STRING, offsetof(opts_t, r.occurred_at)},
        {"--listen", DUBAN_OPT_STRING, offsetof(opts_t, listen)},
        {"--dry-run", DUBAN_OPT_FLAG, offsetof(opts_t, dry_run)},
    };
    static const duban_program_t prog = {"duban-status", usage, table,
                                         sizeof(table) / sizeof(table[0]), command_arg};
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    if (!o->cmd) {
        fprintf(stderr, "duban-status: want a command, report or serve (see --help)\n");
        return -1;
    }
    bool serve = strcmp(o->cmd, "serve") == 0;
    const char *stray = NULL;
    if (serve) {
        const duban_status_report_t *r = &o->r;
        if (r->task_id || r->to_status || r->from_status || r->new_due_date || r->actor ||
            r->comment || r->occurred_at)
            stray = "report options (--task, --to, ...)";
        if (o->dry_run)
            stray = "--dry-run";
    } else if (o->listen) {
        stray = "--listen";
    }
    if (stray) {
        fprintf(stderr, "duban-status: %s not valid with %s (see --help)\n", stray, o->cmd);
        return -1;
    }
    return 0;
}

static int report(duban_conf_t *conf, const opts_t *o)
{
    char errbuf[1024];
    const char *field = NULL;
    json_t *ev = NULL;
    if (duban_status_intake_build(&o->r, "cli", duban_now_ms(), &ev, &field, errbuf,
                                  sizeof(errbuf))) {
        fprintf(stderr, "duban-status: %s\n", errbuf);
        return 2;
    }
    if (o->dry_run) {
        char *s = json_dumps(ev, JSON_COMPACT);
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(ev);
        return s ? 0 : 1;
    }
    status_sender_t *s = NULL;
    status_receipt_t rc;
    int status = 0;
    if (status_sender_new(conf, false, &s, errbuf, sizeof(errbuf)) ||
        status_sender_deliver(s, ev, &rc, errbuf, sizeof(errbuf))) {
        duban_error("PRODUCE", "%s", errbuf);
        status = 1;
    } else {
        const char *id = json_string_value(json_object_get(ev, "event_id"));
        printf("{\"event_id\":\"%s\",\"topic\":\"%s\",\"partition\":%d,\"offset\":%lld}\n", id,
               DUBAN_TOPIC_TASK_STATUS, (int)rc.partition, (long long)rc.offset);
    }
    status_sender_destroy(s);
    json_decref(ev);
    return status;
}

static int serve(duban_conf_t *conf, const opts_t *o)
{
    return status_serve(conf, o->listen ? o->listen
                                        : duban_conf_get(conf, "status.listen", "127.0.0.1:8080"));
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    opts_t o = {0};
    int rc;
    if ((rc = parse_args(argc, argv, conf, &o)) != 0) {
        rc = rc > 0 ? 0 : 2;
    } else if (duban_program_log_level(conf) < 0) {
        fprintf(stderr, "duban-status: --log-level: error|warn|info|debug\n");
        rc = 2;
    } else if (!o.dry_run && !*duban_conf_get(conf, "kafka.bootstrap.servers", "")) {
        fprintf(stderr, "duban-status: no brokers: give -b LIST (or DUBAN_BOOTSTRAP_SERVERS)\n");
        rc = 2;
    } else {
        rc = strcmp(o.cmd, "report") == 0 ? report(conf, &o) : serve(conf, &o);
    }
    fflush(stdout);
    duban_conf_destroy(conf);
    return rc;
}
