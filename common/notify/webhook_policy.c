/* common/notify/webhook_policy.c: backoff, classification, limiter, breaker,
 * offset tracker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include "webhook_policy.h"

/* ---------------------------------------------------------------------------
 * backoff
 * ------------------------------------------------------------------------- */
long duban_webhook_backoff_ms(const duban_webhook_retry_t *p, int attempt,
                              long retry_after_ms, uint64_t rnd)
{
    long d = p->base_ms;
    for (int i = 1; i < attempt && d < p->max_ms; i++)
        d *= 2;
    if (d > p->max_ms)
        d = p->max_ms;
    long half = d / 2;
    long j = half + (long)(rnd % (uint64_t)(d - half + 1));
    if (retry_after_ms >= 0) {
        long ra = retry_after_ms < p->retry_after_max_ms ? retry_after_ms
                                                          : p->retry_after_max_ms;
        if (ra > j)
            j = ra;
    }
    return j;
}

duban_err_t duban_webhook_retry_after_parse(const char *value, int64_t now_ms, long *out_ms)
{
    if (!value)
        return DUBAN_E_PARSE;
    while (*value == ' ')
        value++;
    char *end;
    long secs = strtol(value, &end, 10);
    if (end != value && (*end == '\0' || *end == ' ' || *end == '\r') && secs >= 0) {
        *out_ms = secs > 86400 * 7 ? 86400L * 7 * 1000 : secs * 1000;
        return DUBAN_OK;
    }
    time_t t = curl_getdate(value, NULL);
    if (t == -1)
        return DUBAN_E_PARSE;
    int64_t delta = (int64_t)t * 1000 - now_ms;
    *out_ms = delta < 0 ? 0 : (long)delta;
    return DUBAN_OK;
}

/* ---------------------------------------------------------------------------
 * classification
 * ------------------------------------------------------------------------- */
static bool robot_rate_limited(duban_webhook_format_t fmt, long code)
{
    switch (fmt) {
    case DUBAN_WEBHOOK_DINGTALK: return code == 130101;  /* send too fast */
    case DUBAN_WEBHOOK_WECOM: return code == 45009;      /* api freq out of limit */
    case DUBAN_WEBHOOK_FEISHU: return code == 9499 || code == 11232;
    default: return false;
    }
}

/* The robot's errcode/code from its JSON answer; false when none. */
static bool robot_code(const char *body, long *code)
{
    json_t *o = body ? json_loads(body, 0, NULL) : NULL;
    json_t *c = json_object_get(o, "errcode");
    if (!c)
        c = json_object_get(o, "code");
    if (!c)
        c = json_object_get(o, "StatusCode");
    bool ok = json_is_integer(c);
    if (ok)
        *code = (long)json_integer_value(c);
    json_decref(o);
    return ok;
}

duban_webhook_verdict_t duban_webhook_classify(duban_webhook_format_t fmt, long http_status,
                                               bool transport_retriable, const char *body,
                                               char *reason, size_t reason_size)
{
    char tmp[8];
    if (!reason) {
        reason = tmp;
        reason_size = sizeof(tmp);
    }
    long code = 0;
    if (http_status == 0) {
        snprintf(reason, reason_size, "no response");
        return transport_retriable ? DUBAN_WEBHOOK_RETRY : DUBAN_WEBHOOK_FINAL;
    }
    snprintf(reason, reason_size, "HTTP %ld", http_status);
    if (http_status == 410)
        return DUBAN_WEBHOOK_DISABLE;
    if (http_status == 429 || http_status == 408 || http_status >= 500)
        return DUBAN_WEBHOOK_RETRY;
    if (http_status < 200 || http_status >= 300)
        return DUBAN_WEBHOOK_FINAL;
    if (fmt == DUBAN_WEBHOOK_JSON || !robot_code(body, &code) || code == 0)
        return DUBAN_WEBHOOK_OK;
    snprintf(reason, reason_size, "HTTP %ld errcode %ld", http_status, code);
    return robot_rate_limited(fmt, code) ? DUBAN_WEBHOOK_RETRY : DUBAN_WEBHOOK_FINAL;
}

/* ---------------------------------------------------------------------------
 * rate limiter
 * ------------------------------------------------------------------------- */
duban_err_t duban_webhook_limiter_init(duban_webhook_limiter_t *l, int limit, long window_ms)
{
    memset(l, 0, sizeof(*l));
    l->limit = limit > 0 ? limit : 0;
    l->window_ms = window_ms;
    if (l->limit && !(l->spent = calloc((size_t)l->limit, sizeof(int64_t))))
        return DUBAN_E_NOMEM;
    return DUBAN_OK;
}

void duban_webhook_limiter_free(duban_webhook_limiter_t *l)
{
    free(l->spent);
    l->spent = NULL;
}

int64_t duban_webhook_limiter_ready_at(const duban_webhook_limiter_t *l, int64_t now)
{
    if (!l->limit || l->count < (size_t)l->limit)
        return now;
    int64_t at = l->spent[l->head] + l->window_ms; /* the oldest spend returns */
    return at > now ? at : now;
}

bool duban_webhook_limiter_take(duban_webhook_limiter_t *l, int64_t now)
{
    if (!l->limit)
        return true;
    if (duban_webhook_limiter_ready_at(l, now) > now)
        return false;
    size_t n = (size_t)l->limit;
    if (l->count < n) {
        l->spent[(l->head + l->count++) % n] = now;
    } else {
        l->spent[l->head] = now;
        l->head = (l->head + 1) % n;
    }
    return true;
}

/* ---------------------------------------------------------------------------
 * circuit breaker
 * ------------------------------------------------------------------------- */
void duban_webhook_breaker_init(duban_webhook_breaker_t *b, int threshold, long cooldown_ms)
{
    memset(b, 0, sizeof(*b));
    b->threshold = threshold;
    b->cooldown_ms = cooldown_ms;
}

bool duban_webhook_breaker_is_open(const duban_webhook_breaker_t *b, int64_t now)
{
    return b->open_until && now < b->open_until;
}

bool duban_webhook_breaker_allow(duban_webhook_breaker_t *b, int64_t now)
{
    if (!b->open_until)
        return true;
    if (now < b->open_until || b->probing)
        return false;
    b->probing = true;  /* half-open: exactly one probe */
    return true;
}

void duban_webhook_breaker_success(duban_webhook_breaker_t *b)
{
    b->failures = 0;
    b->open_until = 0;
    b->probing = false;
}

void duban_webhook_breaker_failure(duban_webhook_breaker_t *b, int64_t now)
{
    b->failures++;
    if (b->probing || (b->threshold > 0 && b->failures >= b->threshold))
        b->open_until = now + b->cooldown_ms;
    b->probing = false;
}

/* ---------------------------------------------------------------------------
 * offset tracker
 * ------------------------------------------------------------------------- */
void duban_webhook_offsets_init(duban_webhook_offsets_t *t)
{
    memset(t, 0, sizeof(*t));
}

void duban_webhook_offsets_free(duban_webhook_offsets_t *t)
{
    free(t->off);
    free(t->pending);
    duban_webhook_offsets_init(t);
}

static duban_err_t offsets_grow(duban_webhook_offsets_t *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    int64_t *off = malloc(cap * sizeof(*off));
    int *pending = malloc(cap * sizeof(*pending));
    if (!off || !pending) {
        free(off);
        free(pending);
        return DUBAN_E_NOMEM;
    }
    for (size_t i = 0; i < t->count; i++) {
        off[i] = t->off[(t->head + i) % t->cap];
        pending[i] = t->pending[(t->head + i) % t->cap];
    }
    free(t->off);
    free(t->pending);
    t->off = off;
    t->pending = pending;
    t->head = 0;
    t->cap = cap;
    return DUBAN_OK;
}

duban_err_t duban_webhook_offsets_add(duban_webhook_offsets_t *t, int64_t offset, int pending)
{
    if (t->count && t->off[(t->head + t->count - 1) % t->cap] >= offset)
        return DUBAN_E_INVAL;
    if (t->count == t->cap && offsets_grow(t))
        return DUBAN_E_NOMEM;
    size_t at = (t->head + t->count++) % t->cap;
    t->off[at] = offset;
    t->pending[at] = pending;
    return DUBAN_OK;
}

duban_err_t duban_webhook_offsets_done(duban_webhook_offsets_t *t, int64_t offset)
{
    size_t lo = 0, hi = t->count;
    while (lo < hi) {  /* binary search: offsets are increasing */
        size_t mid = (lo + hi) / 2;
        int64_t o = t->off[(t->head + mid) % t->cap];
        if (o == offset) {
            int *p = &t->pending[(t->head + mid) % t->cap];
            if (*p > 0)
                (*p)--;
            return DUBAN_OK;
        }
        if (o < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return DUBAN_E_NOTFOUND;
}

int64_t duban_webhook_offsets_commit_to(duban_webhook_offsets_t *t)
{
    int64_t next = -1;
    while (t->count && t->pending[t->head] == 0) {
        next = t->off[t->head] + 1;
        t->head = (t->head + 1) % t->cap;
        t->count--;
    }
    return next;
}

size_t duban_webhook_offsets_in_flight(const duban_webhook_offsets_t *t)
{
    return t->count;
}
