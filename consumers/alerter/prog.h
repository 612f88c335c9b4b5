/* consumers/alerter/prog.h: pieces of duban-alerter shared by its files.
 * main.c parses options and runs --simulate; service.c is the Kafka service. */
#ifndef DUBAN_ALERTER_PROG_H
#define DUBAN_ALERTER_PROG_H
#include <stdint.h>
#include "alerter.h"
#include "calendar.h"
#include "conf.h"

typedef struct {
    duban_conf_t *conf;
    duban_calendar_t *cal;
    duban_alerter_conf_t ac;
    int simulate;
    int64_t until;          /* INT64_MAX: none */
    int64_t now;            /* --now, or INT64_MIN: the wall clock */
    double speed;           /* simulated ms per wall ms (--speed) */
    int64_t origin;         /* wall ms at which the clock reads `now` */
} alerter_opts_t;

/* The service clock: --now + (wall - origin) * speed, capped at --until. */
int64_t alerter_clock(const alerter_opts_t *o);

/* Runs the Kafka service until SIGINT/SIGTERM. Returns the exit status. */
int alerter_service_run(alerter_opts_t *o);

#endif
