/* Metrics in the Prometheus text format: families and series, label
 * escaping, scaled values, bad names refused, and counters updated from
 * several threads at once add up. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "metrics.h"

static char *render(duban_metrics_t *m)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_metrics_render(m, &b);
    char *s = strdup(duban_buf_cstr(&b) ? duban_buf_cstr(&b) : "");
    duban_buf_free(&b);
    return s;
}

static void test_render(void)
{
    duban_metrics_t *m = duban_metrics_new();
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_COUNTER, "duban_events_in_total",
                                   "Events in,\nby topic.", 1), DUBAN_OK);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_GAUGE, "duban_rebuild_duration_seconds",
                                   "Last rebuild.", 1000), DUBAN_OK);
    duban_metric_t *a = duban_metrics_get(m, "duban_events_in_total", "topic", "duban.tasks.v1",
                                          NULL);
    duban_metric_t *b = duban_metrics_get(m, "duban_events_in_total", "topic", "q\"\\\nx", NULL);
    CHECK(a && b && a != b);
    CHECK(duban_metrics_get(m, "duban_events_in_total", "topic", "duban.tasks.v1", NULL) == a);
    duban_metric_add(a, 5);
    duban_metric_add(a, 2);
    duban_metric_set(duban_metrics_get(m, "duban_rebuild_duration_seconds", NULL), 1052);
    CHECK_INT(duban_metric_value(a), 7);
    char *text = render(m);
    CHECK_STR(text,
              "# HELP duban_events_in_total Events in,\\nby topic.\n"
              "# TYPE duban_events_in_total counter\n"
              "duban_events_in_total{topic=\"duban.tasks.v1\"} 7\n"
              "duban_events_in_total{topic=\"q\\\"\\\\\\nx\"} 0\n"
              "# HELP duban_rebuild_duration_seconds Last rebuild.\n"
              "# TYPE duban_rebuild_duration_seconds gauge\n"
              "duban_rebuild_duration_seconds 1.052\n");
    free(text);
    duban_metric_set(duban_metrics_get(m, "duban_rebuild_duration_seconds", NULL), -5);
    text = render(m);
    CHECK(strstr(text, "duban_rebuild_duration_seconds -0.005\n") != NULL);
    free(text);
    duban_metrics_destroy(m);
}

static void test_refused(void)
{
    duban_metrics_t *m = duban_metrics_new();
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_COUNTER, "9lives", "", 1), DUBAN_E_INVAL);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_COUNTER, "a-b", "", 1), DUBAN_E_INVAL);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_GAUGE, "g", "", 7), DUBAN_E_INVAL);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_COUNTER, "c_total", "", 1), DUBAN_OK);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_COUNTER, "c_total", "", 1), DUBAN_OK);
    CHECK_INT(duban_metrics_family(m, DUBAN_METRIC_GAUGE, "c_total", "", 1), DUBAN_E_INVAL);
    CHECK(duban_metrics_get(m, "undeclared", NULL) == NULL);
    duban_metric_add(NULL, 1);   /* a no-op */
    duban_metrics_destroy(m);
}

static void *adder(void *arg)
{
    duban_metrics_t *m = arg;
    for (int i = 0; i < 100000; i++)
        duban_metric_add(duban_metrics_get(m, "n_total", "t", i % 2 ? "odd" : "even", NULL), 1);
    return NULL;
}

static void test_threads(void)
{
    duban_metrics_t *m = duban_metrics_new();
    duban_metrics_family(m, DUBAN_METRIC_COUNTER, "n_total", "", 1);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, adder, m);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK_INT(duban_metric_value(duban_metrics_get(m, "n_total", "t", "odd", NULL)), 200000);
    CHECK_INT(duban_metric_value(duban_metrics_get(m, "n_total", "t", "even", NULL)), 200000);
    duban_metrics_destroy(m);
}

int main(void)
{
    test_render();
    test_refused();
    test_threads();
    return CHECK_DONE();
}
