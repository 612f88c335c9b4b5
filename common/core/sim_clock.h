/* common/core/sim_clock.h: the clock of a program that may run on simulated
 * time. Either the wall clock, or a clock that reads `start` at the wall
 * instant `origin` and runs `speed` times as fast; either way it stops at
 * `until`. duban-alerter runs on it (--now, --speed, --clock-origin,
 * --until), and duban-audit verify maps the wall-clock times Kafka recorded
 * onto the alerter's clock with the same options.
 * Owns:   nothing (the struct is the caller's). Never: logs, allocates.
 * Thread: any. */
#ifndef DUBAN_SIM_CLOCK_H
#define DUBAN_SIM_CLOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t start;    /* INT64_MIN: the wall clock */
    int64_t origin;   /* wall ms at which the clock reads start */
    double speed;     /* simulated ms per wall ms */
    int64_t until;    /* INT64_MAX: none */
} duban_sim_clock_t;

/* The wall clock: no start, origin now, speed 1, no until. */
void duban_sim_clock_init(duban_sim_clock_t *c);
/* Whether --now was given (the clock is not the wall clock). */
bool duban_sim_clock_simulated(const duban_sim_clock_t *c);
/* What the clock read at wall instant wall_ms (capped at until). */
int64_t duban_sim_clock_at(const duban_sim_clock_t *c, int64_t wall_ms);
/* What it reads now. */
int64_t duban_sim_clock_now(const duban_sim_clock_t *c);

/* A duban_cli_arg_cb for --now TIME, --speed X and --clock-origin MS (c is
 * the opts pointer): 2 when argv[i] was one of them, 0 when not, -1 with
 * errbuf set when its value is wrong. */
int duban_sim_clock_arg(void *c, int argc, char **argv, int i, char *errbuf,
                        size_t errbuf_size);
/* The usage lines of those three options (static). */
const char *duban_sim_clock_usage(void);

#endif
