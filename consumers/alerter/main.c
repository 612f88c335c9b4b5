/* duban-alerter: deadline alerts from the task and status streams.
 *
 * --simulate --until T reads TaskAssigned / TaskStatusChanged JSON Lines on
 * stdin (what duban-ingest --dry-run prints, other lines are ignored), runs
 * the clock from event to event (events in occurred_at order, ties in input
 * order) up to T, and prints every DeadlineAlert it fires as JSON Lines, in
 * firing order. Without --simulate it is the Kafka service (service.c). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "prog.h"
#include "log.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-alerter [options]\n"
            "  --simulate            read events (JSON Lines) on stdin, print alerts\n"
            "  --until TIME          simulate (or run the service clock) up to TIME\n"
            "  --now TIME            service: start the clock at TIME (ISO-8601)\n"
            "  --speed X             service: clock runs X times wall speed (default 1)\n"
            "  --clock-origin MS     service: wall epoch ms at which the clock reads\n"
            "                        --now (default: start); give several instances\n"
            "                        the same value to share one simulated clock\n"
            "  --calendar FILE       add a holiday schedule (holiday-cn JSON); repeatable\n"
            "%s",
            duban_conf_common_usage());
}

int64_t alerter_clock(const alerter_opts_t *o)
{
    return duban_sim_clock_now(&o->clock);
}

/* --until, --calendar (repeatable), and the clock's --now, --speed,
 * --clock-origin. */
static int alerter_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                       size_t errbuf_size)
{
    alerter_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
        return 0;
    if (!strcmp(a, "--until")) {
        if (duban_instant_parse(v, &o->clock.until))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s wants an ISO-8601 time, not %s", a, v), -1;
    } else if (!strcmp(a, "--calendar")) {
        if (duban_calendar_load_file(o->cal, v, errbuf, errbuf_size))
            return -1;
    } else {
        return duban_sim_clock_arg(&o->clock, argc, argv, i, errbuf, errbuf_size);
    }
    return 2;
}

static int parse_args(alerter_opts_t *o, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--simulate", DUBAN_OPT_FLAG, offsetof(alerter_opts_t, simulate)},
    };
    static const duban_program_t prog = {"duban-alerter", usage, table,
                                         sizeof(table) / sizeof(table[0]), alerter_arg, DUBAN_USES_ALERTER};
    return duban_program_start(&prog, o->conf, argc, argv, o);
}

static int configure(alerter_opts_t *o)
{
    char err[512];
    if (duban_alerter_conf_from(o->conf, o->cal, &o->ac, err, sizeof(err)) ||
        alerter_depts_open(o, err, sizeof(err))) {
        fprintf(stderr, "duban-alerter: %s\n", err);
        return -1;
    }
    return 0;
}

/* ---- --simulate ---- */

typedef struct {
    json_t *ev;
    int64_t at;
    size_t line;
} sim_event_t;

static duban_err_t print_alert(const json_t *alert, const char *task_id, void *opaque)
{
    (void)task_id;
    (void)opaque;
    char *s = json_dumps(alert, JSON_COMPACT);
    if (!s)
        return DUBAN_E_NOMEM;
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return ferror(stdout) ? DUBAN_E_IO : DUBAN_OK;
}

static int cmp_event(const void *x, const void *y)
{
    const sim_event_t *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* One input line: kept when it is a task event with a readable time. */
static int read_event(const char *line, size_t n, sim_event_t *out)
{
    json_error_t jerr;
    json_t *ev = json_loads(line, 0, &jerr);
    const char *type = json_string_value(json_object_get(ev, "type"));
    if (!ev) {
        duban_warn("SIMULATE", "line %zu: not JSON: %s", n, jerr.text);
        return -1;
    }
    if (!type || (strcmp(type, "TaskAssigned") && strcmp(type, "TaskStatusChanged"))) {
        json_decref(ev);
        return 0;
    }
    const char *at = json_string_value(json_object_get(ev, "occurred_at"));
    out->at = json_integer_value(json_object_get(ev, "occurred_at"));
    if (at && duban_instant_parse(at, &out->at) != DUBAN_OK) {
        duban_warn("SIMULATE", "line %zu: %s.occurred_at: not an ISO-8601 instant", n, type);
        json_decref(ev);
        return -1;
    }
    out->ev = ev;
    out->line = n;
    return 1;
}

static sim_event_t *read_events(FILE *in, size_t *count)
{
    sim_event_t *evs = NULL;
    size_t n = 0, cap = 0, lineno = 0, linecap = 0;
    char *line = NULL;
    while (getline(&line, &linecap, in) > 0) {
        lineno++;
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            sim_event_t *e = realloc(evs, cap * sizeof(*e));
            if (!e)
                break;
            evs = e;
        }
        if (read_event(line, lineno, &evs[n]) > 0)
            n++;
    }
    free(line);
    qsort(evs, n, sizeof(*evs), cmp_event);
    *count = n;
    return evs;
}

static int simulate(alerter_opts_t *o)
{
    char err[512];
    duban_alerter_t *a = NULL;
    /* The simulated clock passes every firing instant exactly: never late. */
    o->ac.late_after_ms = INT64_MAX;
    if (duban_alerter_new(&o->ac, &a, err, sizeof(err))) {
        fprintf(stderr, "duban-alerter: %s\n", err);
        return 1;
    }
    size_t n;
    sim_event_t *evs = read_events(stdin, &n);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rc && evs[i].at <= o->clock.until) {
            if (duban_alerter_advance(a, evs[i].at - 1, print_alert, NULL))
                rc = 1;
            else if (duban_alerter_apply(a, evs[i].ev, evs[i].at, print_alert, NULL, err,
                                         sizeof(err)))
                duban_warn("SIMULATE", "line %zu: %s", evs[i].line, err);
        }
        json_decref(evs[i].ev);
    }
    if (!rc && duban_alerter_advance(a, o->clock.until, print_alert, NULL))
        rc = 1;
    free(evs);
    duban_alerter_destroy(a);
    fflush(stdout);
    return rc;
}

int main(int argc, char **argv)
{
    char err[512];
    alerter_opts_t o = {.conf = duban_conf_new()};
    duban_sim_clock_init(&o.clock);
    if (!o.conf || duban_calendar_new(&o.cal, err, sizeof(err))) {
        fprintf(stderr, "duban-alerter: %s\n", o.conf ? err : "out of memory");
        return 2;
    }
    int rc = parse_args(&o, argc, argv);
    if (rc > 0) {
        rc = 0;   /* --help */
    } else if (rc == 0 && configure(&o) == 0) {
        rc = 2;
        duban_program_log_level(o.conf);
        if (o.simulate && o.clock.until == INT64_MAX)
            fprintf(stderr, "duban-alerter: --simulate needs --until TIME\n");
        else
            rc = o.simulate ? simulate(&o) : alerter_service_run(&o);
    } else {
        rc = 2;
    }
    alerter_depts_close(&o);
    duban_calendar_destroy(o.cal);
    duban_conf_destroy(o.conf);
    return rc;
}
