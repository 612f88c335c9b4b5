/* consumers/alerter/prog.h: pieces of duban-alerter shared by its files.
 * main.c parses options and runs --simulate; service.c is the Kafka service;
 * ops.c its metrics and health; depts.c the department directory. */
#ifndef DUBAN_ALERTER_PROG_H
#define DUBAN_ALERTER_PROG_H
#include <stdint.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include "alerter.h"
#include "avsc_gen.h"
#include "calendar.h"
#include "conf.h"
#include "metrics.h"
#include "ops_http.h"
#include "sim_clock.h"

/* A DeadlineAlert key as schemas/DeadlineAlert.avsc names it, of kind k
 * there, for the files that read the alerts the engine made: a renamed or
 * retyped field stops them compiling (avsc.h). */
#define ALERT_KEY DUBAN_AVSC_DEADLINE_ALERT_KEY

struct duban_dept_dir_s;

/* The department directory alerts name departments through (depts.c). */
typedef struct {
    struct duban_dept_dir_s *dir;   /* NULL: alerter.departments.files not set */
} alerter_depts_t;

typedef struct {
    duban_conf_t *conf;
    duban_calendar_t *cal;
    duban_alerter_conf_t ac;
    int simulate;
    duban_sim_clock_t clock; /* --now, --speed, --clock-origin; --until (also
                                the end of --simulate) */
    alerter_depts_t depts;   /* ac.dept maps through it when set */
} alerter_opts_t;

/* ---- ops.c: metrics and health, served on ops.listen ---- */
typedef struct {
    duban_metrics_t *reg;
    duban_metric_t *in[2], *rebuild_in[2];  /* tasks, task-status */
    duban_metric_t *alerts_out, *dlq_out, *produce_errors, *late;
    duban_metric_t *assigned, *rebuilding, *rebuild_seconds, *tasks, *pending, *deferred;
    duban_metric_t *reload_ok, *reload_refused;   /* the department directory */
    rd_kafka_t *rk;                         /* the group consumer: health probe */
    duban_ops_http_t *http;
} alerter_ops_t;

/* The metric families and their fixed series (never fails). */
void alerter_ops_init(alerter_ops_t *ops);
/* Serves /metrics and /healthz when ops.listen is set; rk is borrowed. */
duban_err_t alerter_ops_start(alerter_ops_t *ops, const duban_conf_t *conf, rd_kafka_t *rk,
                              char *errbuf, size_t errbuf_size);
/* One alert produced: by kind, and late. */
void alerter_ops_alert(alerter_ops_t *ops, const json_t *alert);
/* The consumer lag of one input partition (its high watermark minus the
 * next offset to process). */
void alerter_ops_lag(alerter_ops_t *ops, const char *topic, int32_t partition, int64_t lag);
void alerter_ops_stop(alerter_ops_t *ops);

/* ---- depts.c: the department directory ---- */
/* Loads the shipped directory plus alerter.departments.files and points
 * o->ac at it; nothing when the key is not set. Errors name file:line. */
duban_err_t alerter_depts_open(alerter_opts_t *o, char *errbuf, size_t errbuf_size);
/* SIGHUP: reads the files again; a directory that does not load is refused
 * (logged, counted in ops) and the one in force stays. Call only while no
 * alerter runs in another thread. */
duban_err_t alerter_depts_reload(alerter_opts_t *o, const alerter_ops_t *ops);
void alerter_depts_close(alerter_opts_t *o);

/* The service clock: --now + (wall - origin) * speed, capped at --until. */
int64_t alerter_clock(const alerter_opts_t *o);

/* Runs the Kafka service until SIGINT/SIGTERM. Returns the exit status. */
int alerter_service_run(alerter_opts_t *o);

#endif
