/* common/core/sim_clock.c: a wall or simulated clock (see sim_clock.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "err.h"
#include "sim_clock.h"

void duban_sim_clock_init(duban_sim_clock_t *c)
{
    *c = (duban_sim_clock_t){.start = INT64_MIN, .origin = duban_now_ms(), .speed = 1.0,
                             .until = INT64_MAX};
}

bool duban_sim_clock_simulated(const duban_sim_clock_t *c)
{
    return c->start != INT64_MIN;
}

int64_t duban_sim_clock_at(const duban_sim_clock_t *c, int64_t wall_ms)
{
    int64_t t = wall_ms;
    if (c->start != INT64_MIN)
        t = c->start + (int64_t)((double)(wall_ms - c->origin) * c->speed);
    return t < c->until ? t : c->until;
}

int64_t duban_sim_clock_now(const duban_sim_clock_t *c)
{
    return duban_sim_clock_at(c, duban_now_ms());
}

int duban_sim_clock_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                        size_t errbuf_size)
{
    duban_sim_clock_t *c = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *end;
    if (!v)
        return 0;
    if (!strcmp(a, "--now")) {
        if (duban_instant_parse(v, &c->start))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s wants an ISO-8601 time, not %s", a, v), -1;
    } else if (!strcmp(a, "--speed")) {
        errno = 0;
        c->speed = strtod(v, &end);
        if (errno || *end || !(c->speed > 0))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--speed wants a positive number, not %s", v), -1;
    } else if (!strcmp(a, "--clock-origin")) {
        errno = 0;
        c->origin = strtoll(v, &end, 10);
        if (errno || *end || end == v)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--clock-origin wants epoch milliseconds, not %s", v), -1;
    } else {
        return 0;
    }
    return 2;
}

const char *duban_sim_clock_usage(void)
{
    return "  --now TIME            start the clock at TIME (ISO-8601)\n"
           "  --speed X             the clock runs X times wall speed (default 1)\n"
           "  --clock-origin MS     wall epoch ms at which the clock reads --now\n"
           "                        (default: start)\n";
}
