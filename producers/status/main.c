/* duban-status: the 督办 workflow service. Departments report their tasks'
 * progress and ask for completion; supervising offices approve, reject,
 * extend, cancel, reopen and correct; everyone reads where things stand.
 *
 *   duban-status [options] serve [--listen HOST:PORT] [--now TIME [--speed X]]
 *   duban-status [options] token add (--department NAME | --supervisor NAME)
 *   duban-status [options] token revoke ID | token list
 *   duban-status [options] report --task ID --to STATUS --actor WHO [--force] [...]
 *
 * `serve` is the HTTP service (serve.c, status_api.c): it rebuilds each
 * task's state from duban.tasks.v1 and duban.task-status.v1, checks every
 * change against the transition table and the caller's rights, and
 * produces TaskStatusChanged (and corrected TaskAssigned) events, answering
 * only once the broker has them. `token` manages the token file
 * (status.tokens.file, --tokens FILE). `report` is the operator's CLI: it
 * rebuilds the task's state from the log as the service does (status_feed,
 * status_state), checks the change against the transition table for an
 * operator holding every role (status_check.h, the service's own check),
 * produces one event and waits for delivery; --force skips the check (and
 * says so on stderr).
 * Exit status: 0 done (or printed with --dry-run), 1 not delivered, the log
 * not read, or a setup failure, 2 usage error or a report that fails
 * validation, names an unknown task or an illegal transition. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "calendar.h"
#include "status.h"
#include "status_check.h"
#include "status_feed.h"
#include "status_flow.h"
#include "status_intake.h"
#include "status_tokens.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-status [options] serve [--listen HOST:PORT] [--now TIME [--speed X]]\n"
            "       duban-status [options] token add (--department NAME | --supervisor NAME)\n"
            "       duban-status [options] token revoke ID\n"
            "       duban-status [options] token list\n"
            "       duban-status [options] report --task TASK_ID --to STATUS --actor WHO\n"
            "                    [--from STATUS] [--new-due-date YYYY-MM-DD]\n"
            "                    [--comment TEXT] [--at TIME] [--force] [--dry-run]\n"
            "serve:  the 督办 workflow over HTTP (each request needs a bearer token):\n"
            "          POST /v1/tasks/{task_id}/status       {\"to_status\",\"comment\"?,\n"
            "               \"new_due_date\"?,\"from_status\"?,\"occurred_at\"?}\n"
            "          POST /v1/tasks/{task_id}/correction   {\"lead_departments\"?,\n"
            "               \"cooperating_departments\"?,\"due_date\"?,\"reason\"} (supervisors)\n"
            "          GET  /v1/tasks/{task_id}   GET /v1/departments/{name}/tasks?status=open\n"
            "               &level=RED   GET /v1/overview   GET /v1/review   GET /healthz\n"
            "        Writes are answered 202 once the event is on %s (or %s)\n"
            "        and applied; Idempotency-Key makes a retry safe. --listen default\n"
            "        status.listen or 127.0.0.1:8080 (port 0 = any; the bound HOST:PORT is\n"
            "        the first line on stdout). --now starts the service clock at TIME\n"
            "        (tests, demos), --speed runs it X times wall speed.\n"
            "token:  add prints a new token once (the file keeps its SHA-256 only);\n"
            "        revoke ID stops it (a running server notices within a second);\n"
            "        list prints id, role, name, created, live|revoked.\n"
            "report: produce one TaskStatusChanged and wait until the broker has it;\n"
            "        prints {\"event_id\",\"topic\",\"partition\",\"offset\"}. The task's\n"
            "        state is first rebuilt from the log: an unknown task or a change the\n"
            "        transition table does not allow (for any role) is refused, exit 2,\n"
            "        naming the current status and the allowed ones. --force writes it\n"
            "        anyway (logged). --dry-run prints the event, checks nothing.\n"
            "        TIME: ISO 8601 or epoch ms.\n"
            "STATUS: ASSIGNED ACCEPTED IN_PROGRESS COMPLETION_REQUESTED COMPLETED\n"
            "        EXTENSION_REQUESTED EXTENDED CANCELLED REOPENED\n"
            "Options: --tokens FILE (= --set status.tokens.file=FILE)\n"
            "Settings: status.tokens.file, status.listen, status.delivery.timeout.ms (30000),\n"
            "          status.http.max.connections (256),\n"
            "          status.http.max.connections.per.address (32),\n"
            "          status.http.idle.timeout.s (15), status.http.header.timeout.ms (10000),\n"
            "          status.http.body.timeout.ms (30000), status.idempotency.ttl.ms (86400000),\n"
            "          alerter.yellow.days (3), alerter.calendar.files\n"
            "%s",
            DUBAN_TOPIC_TASK_STATUS, DUBAN_TOPIC_TASKS, duban_conf_common_usage());
}

typedef struct {
    const char *cmd, *sub, *sub_arg;
    duban_status_report_t r;
    const char *listen, *now, *speed, *tokens, *department, *supervisor;
    int dry_run, force;
} opts_t;

/* Positional arguments: the command, then token's sub-command and its ID. */
static int command_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                       size_t errbuf_size)
{
    opts_t *o = opts;
    const char *a = argv[i];
    (void)argc;
    if (a[0] == '-')
        return 0;
    if (!o->cmd) {
        if (strcmp(a, "report") && strcmp(a, "serve") && strcmp(a, "token"))
            return 0;
        o->cmd = a;
        return 1;
    }
    if (strcmp(o->cmd, "token") == 0 && !o->sub &&
        (!strcmp(a, "add") || !strcmp(a, "revoke") || !strcmp(a, "list"))) {
        o->sub = a;
        return 1;
    }
    if (o->sub && strcmp(o->sub, "revoke") == 0 && !o->sub_arg) {
        o->sub_arg = a;
        return 1;
    }
    snprintf(errbuf, errbuf_size, "unexpected argument %s (see --help)", a);
    return -1;
}

/* What each command may be given; a usage error otherwise. */
static const char *stray_option(const opts_t *o)
{
    const duban_status_report_t *r = &o->r;
    bool report_opts = r->task_id || r->to_status || r->from_status || r->new_due_date ||
                       r->actor || r->comment || r->occurred_at || o->dry_run || o->force;
    bool serve_opts = o->listen || o->now || o->speed;
    bool token_opts = o->department || o->supervisor;
    if (strcmp(o->cmd, "report") != 0 && report_opts)
        return "report options (--task, --to, ...)";
    if (strcmp(o->cmd, "serve") != 0 && serve_opts)
        return "--listen, --now, --speed";
    if (strcmp(o->cmd, "token") != 0 && token_opts)
        return "--department, --supervisor";
    return NULL;
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
        {"--now", DUBAN_OPT_STRING, offsetof(opts_t, now)},
        {"--speed", DUBAN_OPT_STRING, offsetof(opts_t, speed)},
        {"--tokens", DUBAN_OPT_STRING, offsetof(opts_t, tokens)},
        {"--department", DUBAN_OPT_STRING, offsetof(opts_t, department)},
        {"--supervisor", DUBAN_OPT_STRING, offsetof(opts_t, supervisor)},
        {"--dry-run", DUBAN_OPT_FLAG, offsetof(opts_t, dry_run)},
        {"--force", DUBAN_OPT_FLAG, offsetof(opts_t, force)},
    };
    static const duban_program_t prog = {"duban-status", usage, table,
                                         sizeof(table) / sizeof(table[0]), command_arg,
                                         DUBAN_USES_STATUS};
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    const char *problem = NULL, *stray = NULL;
    if (!o->cmd)
        problem = "want a command: serve, token or report";
    else if ((stray = stray_option(o)))
        ;
    else if (!strcmp(o->cmd, "token") && !o->sub)
        problem = "token: want add, revoke or list";
    else if (o->sub && !strcmp(o->sub, "add") && !o->department == !o->supervisor)
        problem = "token add: want one of --department NAME or --supervisor NAME";
    else if (o->sub && !strcmp(o->sub, "revoke") && !o->sub_arg)
        problem = "token revoke: want the token's ID (token list shows them)";
    if (stray) {
        fprintf(stderr, "duban-status: %s not valid with %s (see --help)\n", stray, o->cmd);
        return -1;
    }
    if (problem) {
        fprintf(stderr, "duban-status: %s (see --help)\n", problem);
        return -1;
    }
    if (o->tokens)
        duban_conf_set(conf, "status.tokens.file", o->tokens, NULL, 0);
    return 0;
}

/* The operator holds every role: the table alone decides. */
#define OPERATOR_ROLES (STATUS_ROLE_LEAD | STATUS_ROLE_COOPERATING | STATUS_ROLE_SUPERVISOR)

/* Rebuilds the task state from the log (as `serve` does) and checks the
 * change against it: 0 legal (ev's from_status is then the task's real
 * one), 1 the log was not read in time, 2 refused (printed). */
static int check_report(duban_conf_t *conf, const char *actor, json_t *ev)
{
    char errbuf[1024], allowed[256];
    long wait_ms = 30000;
    if (duban_conf_int(conf, "status.delivery.timeout.ms", &wait_ms, NULL, 0) || wait_ms < 1)
        wait_ms = 30000;
    duban_calendar_t *cal = duban_calendar_new_empty();
    status_state_t *st = cal ? status_state_new(cal, 3) : NULL;
    status_feed_t *feed = NULL;
    status_verdict_t v;
    int rc = 0;
    if (!st || status_feed_start(conf, st, NULL, &feed, errbuf, sizeof(errbuf))) {
        duban_error("REPORT", "%s", st ? errbuf : "out of memory");
        rc = 1;
    } else if (!status_feed_wait_ready(feed, wait_ms)) {
        duban_error("REPORT", "the task state was not read from %s and %s within %ld ms "
                    "(status.delivery.timeout.ms); nothing written", DUBAN_TOPIC_TASKS,
                    DUBAN_TOPIC_TASK_STATUS, wait_ms);
        rc = 1;
    } else if (!status_check_change(st, actor, NULL, OPERATOR_ROLES, ev, &v)) {
        if (!v.known)
            fprintf(stderr, "duban-status: report refused: no such task %s on %s "
                    "(--force writes it anyway)\n",
                    json_string_value(json_object_get(ev, STATUS_KEY(TASK_ID, STRING))),
                    DUBAN_TOPIC_TASKS);
        else
            fprintf(stderr, "duban-status: report refused: %s; current status %s, allowed "
                    "from it: %s (--force writes it anyway)\n", v.msg,
                    status_check_name(v.current),
                    status_check_names(v.allowed, allowed, sizeof(allowed)));
        rc = 2;
    }
    status_feed_stop(feed);
    status_state_destroy(st);
    duban_calendar_destroy(cal);
    return rc;
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
    int status = 0;
    if (o->force) {
        duban_warn("REPORT", "--force: task %s to %s by %s written without the transition "
                   "check", o->r.task_id, o->r.to_status, o->r.actor);
    } else if ((status = check_report(conf, o->r.actor, ev)) != 0) {
        json_decref(ev);
        return status;
    }
    status_sender_t *s = NULL;
    status_receipt_t rc;
    if (status_sender_new(conf, false, &s, errbuf, sizeof(errbuf)) ||
        status_sender_deliver(s, ev, &rc, errbuf, sizeof(errbuf))) {
        duban_error("PRODUCE", "%s", errbuf);
        status = 1;
    } else {
        const char *id = json_string_value(json_object_get(ev, STATUS_KEY(EVENT_ID, STRING)));
        printf("{\"event_id\":\"%s\",\"topic\":\"%s\",\"partition\":%d,\"offset\":%lld}\n", id,
               DUBAN_TOPIC_TASK_STATUS, (int)rc.partition, (long long)rc.offset);
    }
    status_sender_destroy(s);
    json_decref(ev);
    return status;
}

static int token(duban_conf_t *conf, const opts_t *o)
{
    char errbuf[1024];
    const char *path = duban_conf_str(conf, "status.tokens.file");
    if (!path || !*path) {
        fprintf(stderr, "duban-status: token: give --tokens FILE (or status.tokens.file)\n");
        return 2;
    }
    duban_err_t err;
    if (!strcmp(o->sub, "list")) {
        err = status_tokens_list(path, stdout, errbuf, sizeof(errbuf));
    } else if (!strcmp(o->sub, "revoke")) {
        err = status_tokens_revoke(path, o->sub_arg, duban_now_ms(), errbuf, sizeof(errbuf));
        if (!err)
            fprintf(stderr, "duban-status: token %s revoked\n", o->sub_arg);
    } else {
        char tok[128], id[STATUS_TOKEN_ID_LEN + 1];
        status_kind_t kind = o->department ? STATUS_PRINCIPAL_DEPARTMENT
                                           : STATUS_PRINCIPAL_SUPERVISOR;
        const char *name = o->department ? o->department : o->supervisor;
        err = status_tokens_add(path, kind, name, duban_now_ms(), tok, sizeof(tok), id,
                                errbuf, sizeof(errbuf));
        if (!err) {
            /* the one place a token is ever shown: stdout, for the operator */
            printf("%s\n", tok);
            fprintf(stderr, "duban-status: token %s for %s %s added to %s (shown once: keep "
                    "it now)\n", id, status_kind_name(kind), name, path);
            memset(tok, 0, sizeof(tok));
        }
    }
    if (err) {
        fprintf(stderr, "duban-status: %s\n", errbuf);
        return err == DUBAN_E_NOTFOUND || err == DUBAN_E_INVAL ? 2 : 1;
    }
    return 0;
}

static int serve(duban_conf_t *conf, const opts_t *o)
{
    status_clock_t clk = {INT64_MIN, duban_now_ms(), 1.0};
    if (o->now && duban_instant_parse(o->now, &clk.start) != DUBAN_OK) {
        fprintf(stderr, "duban-status: --now %s: not an ISO-8601 time\n", o->now);
        return 2;
    }
    if (o->speed && (!o->now || !((clk.speed = strtod(o->speed, NULL)) > 0))) {
        fprintf(stderr, "duban-status: --speed wants a positive number, and --now\n");
        return 2;
    }
    return status_serve(conf, o->listen ? o->listen
                                        : duban_conf_str(conf, "status.listen"),
                        &clk);
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
    } else if (!strcmp(o.cmd, "token")) {
        rc = token(conf, &o);
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
