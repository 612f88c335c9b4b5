/* common/ops/metrics.h: the counters and gauges a long-running duban program
 * exposes, rendered in the Prometheus text format (version 0.0.4) for
 * /metrics (ops_http.h).
 *
 * A family is a name, a help line, a type (counter or gauge) and a scale:
 * values are int64, and a family of scale 1000 is kept in thousandths and
 * printed divided by 1000 (milliseconds set, seconds shown). A series is a
 * family with label values ("topic", "duban.tasks.v1", ...). Ask for a
 * series once (duban_metrics_get) and keep the pointer: updates are then
 * lock-free atomics, so the program's threads update while the HTTP thread
 * renders.
 * Allocation: aborts on out of memory (core/alloc.h).
 * Owns:   the families and series (freed by duban_metrics_destroy).
 * Never:  does I/O or logs. Thread: any (one mutex for the registry). */
#ifndef DUBAN_METRICS_H
#define DUBAN_METRICS_H
#include <stdint.h>
#include "buf.h"
#include "err.h"

typedef enum { DUBAN_METRIC_COUNTER, DUBAN_METRIC_GAUGE } duban_metric_kind_t;

typedef struct duban_metrics_s duban_metrics_t;
typedef struct duban_metric_s duban_metric_t;

/* NEW; never NULL. */
duban_metrics_t *duban_metrics_new(void);
/* NULL is a no-op. Every series pointer dies with it. */
void duban_metrics_destroy(duban_metrics_t *m);

/* Declares a family (again: no-op). name: [a-zA-Z_:][a-zA-Z0-9_:]*, help
 * one line; scale 1, 10, 100, 1000 ... DUBAN_E_INVAL for a bad name or
 * scale, or a name declared before with another kind. */
duban_err_t duban_metrics_family(duban_metrics_t *m, duban_metric_kind_t kind, const char *name,
                                 const char *help, int64_t scale);

/* The series of family `name` with the label pairs that follow (name,
 * value, name, value, ..., NULL): created at 0 on first use, the same one
 * after. Borrowed until duban_metrics_destroy. NULL when the family was not
 * declared (a programming error: updates of NULL are no-ops). */
duban_metric_t *duban_metrics_get(duban_metrics_t *m, const char *name, ...)
    __attribute__((sentinel));

void duban_metric_add(duban_metric_t *s, int64_t n);
void duban_metric_set(duban_metric_t *s, int64_t v);
int64_t duban_metric_value(const duban_metric_t *s);

/* Appends the exposition text: per family "# HELP", "# TYPE", then one
 * line per series, in the order they were created. Label values are
 * escaped (\\ \" \n). */
void duban_metrics_render(duban_metrics_t *m, duban_buf_t *out);

#endif
