/* common/ops/metrics.c: counters and gauges in the Prometheus text format
 * (see metrics.h). */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "metrics.h"

struct duban_metric_s {
    _Atomic int64_t value;
    char *labels;              /* rendered: {a="x",b="y"}, or "" */
};

typedef struct {
    char *name, *help;
    duban_metric_kind_t kind;
    int64_t scale;
    duban_metric_t **series;   /* stable pointers: updates never take the lock */
    size_t n, cap;
} family_t;

struct duban_metrics_s {
    pthread_mutex_t lock;
    family_t *families;
    size_t n, cap;
};

duban_metrics_t *duban_metrics_new(void)
{
    duban_metrics_t *m = duban_xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void duban_metrics_destroy(duban_metrics_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        family_t *f = &m->families[i];
        for (size_t k = 0; k < f->n; k++) {
            free(f->series[k]->labels);
            free(f->series[k]);
        }
        free(f->series);
        free(f->name);
        free(f->help);
    }
    free(m->families);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static bool valid_name(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == ':'))
            return false;
    return true;
}

static family_t *find_family(duban_metrics_t *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->families[i].name, name))
            return &m->families[i];
    return NULL;
}

duban_err_t duban_metrics_family(duban_metrics_t *m, duban_metric_kind_t kind, const char *name,
                                 const char *help, int64_t scale)
{
    int64_t p = 1;
    while (p < scale && p <= INT64_MAX / 10)
        p *= 10;
    if (!valid_name(name) || scale < 1 || p != scale)
        return DUBAN_E_INVAL;
    pthread_mutex_lock(&m->lock);
    family_t *f = find_family(m, name);
    duban_err_t err = f && f->kind != kind ? DUBAN_E_INVAL : DUBAN_OK;
    if (!f) {
        m->families = duban_array_xgrow(m->families, &m->cap, m->n + 1, sizeof(family_t), 16);
        f = &m->families[m->n++];
        *f = (family_t){.name = duban_xstrdup(name), .help = duban_xstrdup(help ? help : ""),
                        .kind = kind, .scale = scale};
    }
    pthread_mutex_unlock(&m->lock);
    return err;
}

/* Appends s to b escaped as a label value (or as help text: no quotes). */
static void append_escaped(duban_buf_t *b, const char *s, bool quote)
{
    for (; *s; s++) {
        const char *e = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n"
                      : *s == '"' && quote ? "\\\"" : NULL;
        if (e)
            duban_buf_append(b, e, strlen(e));
        else
            duban_buf_append(b, s, 1);
    }
}

static char *render_labels(va_list ap)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    const char *name;
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        duban_buf_append(&b, b.len ? "," : "{", 1);
        duban_buf_append(&b, name, strlen(name));
        duban_buf_append(&b, "=\"", 2);
        append_escaped(&b, value ? value : "", true);
        duban_buf_append(&b, "\"", 1);
    }
    if (b.len)
        duban_buf_append(&b, "}", 1);
    const char *s = duban_buf_cstr(&b);
    char *out = duban_xstrdup(s ? s : "");
    duban_buf_free(&b);
    return out;
}

duban_metric_t *duban_metrics_get(duban_metrics_t *m, const char *name, ...)
{
    va_list ap;
    va_start(ap, name);
    char *labels = render_labels(ap);
    va_end(ap);
    duban_metric_t *s = NULL;
    pthread_mutex_lock(&m->lock);
    family_t *f = find_family(m, name);
    for (size_t k = 0; f && k < f->n && !s; k++)
        if (!strcmp(f->series[k]->labels, labels))
            s = f->series[k];
    if (f && !s) {
        f->series = duban_array_xgrow(f->series, &f->cap, f->n + 1, sizeof(*f->series), 8);
        s = duban_xcalloc(1, sizeof(*s));
        atomic_init(&s->value, 0);
        s->labels = labels;
        labels = NULL;
        f->series[f->n++] = s;
    }
    pthread_mutex_unlock(&m->lock);
    free(labels);
    return s;
}

void duban_metric_add(duban_metric_t *s, int64_t n)
{
    if (s)
        atomic_fetch_add_explicit(&s->value, n, memory_order_relaxed);
}

void duban_metric_set(duban_metric_t *s, int64_t v)
{
    if (s)
        atomic_store_explicit(&s->value, v, memory_order_relaxed);
}

int64_t duban_metric_value(const duban_metric_t *s)
{
    return s ? atomic_load_explicit(&((duban_metric_t *)s)->value, memory_order_relaxed) : 0;
}

static void render_value(duban_buf_t *b, int64_t v, int64_t scale)
{
    if (scale == 1) {
        duban_buf_appendf(b, " %" PRId64 "\n", v);
        return;
    }
    int64_t whole = v / scale, frac = v % scale;
    int digits = 0;
    for (int64_t s = scale; s > 1; s /= 10)
        digits++;
    duban_buf_appendf(b, " %s%" PRId64 ".%0*" PRId64 "\n", v < 0 && whole == 0 ? "-" : "",
                      whole, digits, frac < 0 ? -frac : frac);
}

void duban_metrics_render(duban_metrics_t *m, duban_buf_t *out)
{
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; i < m->n; i++) {
        const family_t *f = &m->families[i];
        duban_buf_appendf(out, "# HELP %s ", f->name);
        append_escaped(out, f->help, false);
        duban_buf_appendf(out, "\n# TYPE %s %s\n", f->name,
                          f->kind == DUBAN_METRIC_COUNTER ? "counter" : "gauge");
        for (size_t k = 0; k < f->n; k++) {
            duban_buf_append(out, f->name, strlen(f->name));
            duban_buf_append(out, f->series[k]->labels, strlen(f->series[k]->labels));
            render_value(out, duban_metric_value(f->series[k]), f->scale);
        }
    }
    pthread_mutex_unlock(&m->lock);
}
