/* consumers/alerter/prog.h: pieces of duban-alerter shared by its files.
 * main.c parses options and runs --simulate; service.c is the Kafka service. */
#ifndef DUBAN_ALERTER_PROG_H
#define DUBAN_ALERTER_PROG_H
#include <stdint.h>
#include "alerter.h"
#include "calendar.h"
#include "conf.h"
#include "sim_clock.h"

typedef struct {
    duban_conf_t *conf;
    duban_calendar_t *cal;
    duban_alerter_conf_t ac;
    int simulate;
    duban_sim_clock_t clock; /* --now, --speed, --clock-origin; --until (also
                                the end of --simulate) */
} alerter_opts_t;

/* The service clock: --now + (wall - origin) * speed, capped at --until. */
int64_t alerter_clock(const alerter_opts_t *o);

/* Runs the Kafka service until SIGINT/SIGTERM. Returns the exit status. */
int alerter_service_run(alerter_opts_t *o);

#endif
