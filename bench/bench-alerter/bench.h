/* bench/bench-alerter/bench.h: shared by main.c (engine) and kafka.c. */
#ifndef DUBAN_BENCH_ALERTER_H
#define DUBAN_BENCH_ALERTER_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <jansson.h>
#include "calendar.h"

typedef struct {
    size_t n;
    int32_t issue, base_due, busy_day;
    const duban_calendar_t *cal;
    const char *bootstrap;   /* a running broker for part 2, or NULL: duban-broker */
    int partitions;          /* of duban's topics on that broker */
} bench_t;

/* TaskAssigned number i (NEW). */
json_t *bench_make_task(size_t i, int32_t issue, int32_t base_due);
long bench_rss_kb(pid_t pid);
long bench_rss_kb_of(pid_t pid, int peak);   /* peak: VmHWM */
int bench_kafka(const bench_t *b, const char *argv0);
int bench_service(const bench_t *b, const char *dir, const char *tmp, const char *bsfile,
                  int parts);

#endif
