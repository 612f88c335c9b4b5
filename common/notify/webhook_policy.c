/* common/notify/webhook_policy.c: backoff, classification, limiter, breaker,
 * offset tracker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include "hash.h"
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

/* A ring, so not duban_array_grow (alloc.h): growing unrolls it from head
 * into new arrays, which a realloc in place cannot do. */
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

/* ---------------------------------------------------------------------------
 * fair scheduler
 * ------------------------------------------------------------------------- */
duban_err_t duban_webhook_fair_init(duban_webhook_fair_t *f, size_t endpoints, int capacity)
{
    memset(f, 0, sizeof(*f));
    f->count = endpoints;
    f->capacity = capacity > 0 ? capacity : 1;
    if (endpoints && (!(f->held = calloc(endpoints, sizeof(int))) ||
                      !(f->ring = calloc(endpoints, sizeof(size_t))) ||
                      !(f->in_ring = calloc(endpoints, sizeof(bool))))) {
        duban_webhook_fair_free(f);
        return DUBAN_E_NOMEM;
    }
    return DUBAN_OK;
}

duban_err_t duban_webhook_fair_grow(duban_webhook_fair_t *f, size_t endpoints)
{
    if (endpoints <= f->count)
        return DUBAN_OK;
    int *held = realloc(f->held, endpoints * sizeof(*held));
    if (held)
        f->held = held;
    size_t *ring = held ? realloc(f->ring, endpoints * sizeof(*ring)) : NULL;
    if (ring)
        f->ring = ring;
    bool *in_ring = ring ? realloc(f->in_ring, endpoints * sizeof(*in_ring)) : NULL;
    if (!in_ring)
        return DUBAN_E_NOMEM;   /* what was grown stays usable at the old count */
    f->in_ring = in_ring;
    /* the ring is circular over count slots: lay it out from 0 again */
    size_t *order = calloc(f->len ? f->len : 1, sizeof(*order));
    if (!order)
        return DUBAN_E_NOMEM;
    for (size_t k = 0; k < f->len; k++)
        order[k] = f->ring[(f->head + k) % f->count];
    memcpy(f->ring, order, f->len * sizeof(*order));
    free(order);
    f->head = 0;
    for (size_t i = f->count; i < endpoints; i++) {
        f->held[i] = 0;
        f->in_ring[i] = false;
    }
    f->count = endpoints;
    return DUBAN_OK;
}

void duban_webhook_fair_free(duban_webhook_fair_t *f)
{
    free(f->held);
    free(f->ring);
    free(f->in_ring);
    memset(f, 0, sizeof(*f));
}

void duban_webhook_fair_wake(duban_webhook_fair_t *f, size_t endpoint)
{
    if (endpoint >= f->count || f->in_ring[endpoint])
        return;
    f->ring[(f->head + f->len++) % f->count] = endpoint;
    f->in_ring[endpoint] = true;
}

int duban_webhook_fair_share(const duban_webhook_fair_t *f, size_t active)
{
    size_t with_work = active ? active : 1;
    int share = with_work >= (size_t)f->capacity ? 1 : f->capacity / (int)with_work;
    size_t others = f->count ? f->count - 1 : 0;
    int reserve = others < (size_t)f->capacity / 2 ? (int)others : f->capacity / 2;
    if (share > f->capacity - reserve)
        share = f->capacity - reserve;
    return share < 1 ? 1 : share;
}

int duban_webhook_fair_current_share(const duban_webhook_fair_t *f)
{
    return duban_webhook_fair_share(f, f->len);
}

int duban_webhook_fair_run(duban_webhook_fair_t *f, int free_slots,
                           duban_webhook_fair_step_cb *step, void *opaque)
{
    int share = duban_webhook_fair_current_share(f), sent = 0;
    size_t idle = 0;
    while (free_slots > 0 && f->len && idle < f->len) {
        size_t i = f->ring[f->head];   /* take the head's turn */
        f->head = (f->head + 1) % f->count;
        f->len--;
        f->in_ring[i] = false;
        duban_webhook_fair_step_t r = f->held[i] < share ? step(i, opaque)
                                                         : DUBAN_WEBHOOK_FAIR_IDLE;
        if (r == DUBAN_WEBHOOK_FAIR_EMPTY)
            continue;                  /* out of the round until woken */
        duban_webhook_fair_wake(f, i); /* back at the end */
        if (r == DUBAN_WEBHOOK_FAIR_SENT) {
            f->held[i]++;
            f->total_held++;
            free_slots--;
            sent++;
        }
        idle = r == DUBAN_WEBHOOK_FAIR_IDLE ? idle + 1 : 0;
    }
    return sent;
}

void duban_webhook_fair_release(duban_webhook_fair_t *f, size_t endpoint)
{
    if (endpoint < f->count && f->held[endpoint] > 0) {
        f->held[endpoint]--;
        f->total_held--;
    }
}

/* ---------------------------------------------------------------------------
 * delivered set: a chained hash table of expected alerts, each with two
 * bitmaps over the endpoint indexes (delivered, dead)
 * ------------------------------------------------------------------------- */
typedef struct delivered_entry_s {
    struct delivered_entry_s *next;
    uint64_t hash;
    uint64_t *bits;          /* words delivered bits, then words dead bits */
    char id[];
} delivered_entry_t;

struct duban_webhook_delivered_s {
    size_t endpoints, words;
    delivered_entry_t **buckets;
    size_t nbuckets, alerts, pairs;
};

static uint64_t id_hash(const char *s)
{
    return duban_fnv1a64(s, strlen(s));
}

duban_err_t duban_webhook_delivered_new(size_t endpoints, duban_webhook_delivered_t **out)
{
    duban_webhook_delivered_t *d = calloc(1, sizeof(*d));
    if (!d || !(d->buckets = calloc(64, sizeof(*d->buckets)))) {
        free(d);
        return DUBAN_E_NOMEM;
    }
    d->endpoints = endpoints;
    d->words = (endpoints + 63) / 64;
    d->nbuckets = 64;
    *out = d;
    return DUBAN_OK;
}

void duban_webhook_delivered_destroy(duban_webhook_delivered_t *d)
{
    if (!d)
        return;
    for (size_t b = 0; b < d->nbuckets; b++)
        for (delivered_entry_t *e = d->buckets[b], *next; e; e = next) {
            next = e->next;
            free(e->bits);
            free(e);
        }
    free(d->buckets);
    free(d);
}

static delivered_entry_t *delivered_find(const duban_webhook_delivered_t *d, const char *id,
                                         uint64_t h)
{
    for (delivered_entry_t *e = d->buckets[h & (d->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && strcmp(e->id, id) == 0)
            return e;
    return NULL;
}

static void delivered_grow(duban_webhook_delivered_t *d)
{
    size_t nb = d->nbuckets * 2;
    delivered_entry_t **b = calloc(nb, sizeof(*b));
    if (!b)
        return;  /* stays correct, only slower */
    for (size_t i = 0; i < d->nbuckets; i++)
        for (delivered_entry_t *e = d->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (nb - 1)];
            b[e->hash & (nb - 1)] = e;
        }
    free(d->buckets);
    d->buckets = b;
    d->nbuckets = nb;
}

duban_err_t duban_webhook_delivered_expect(duban_webhook_delivered_t *d, const char *alert_id)
{
    uint64_t h = id_hash(alert_id);
    if (delivered_find(d, alert_id, h))
        return DUBAN_OK;
    size_t len = strlen(alert_id);
    delivered_entry_t *e = malloc(sizeof(*e) + len + 1);
    if (!e || !(e->bits = calloc(2 * d->words + 1, sizeof(uint64_t)))) {
        free(e);
        return DUBAN_E_NOMEM;
    }
    memcpy(e->id, alert_id, len + 1);
    e->hash = h;
    if (d->alerts >= d->nbuckets)
        delivered_grow(d);
    e->next = d->buckets[h & (d->nbuckets - 1)];
    d->buckets[h & (d->nbuckets - 1)] = e;
    d->alerts++;
    return DUBAN_OK;
}

bool duban_webhook_delivered_add(duban_webhook_delivered_t *d, const char *alert_id,
                                 size_t endpoint, duban_webhook_pair_t outcome)
{
    delivered_entry_t *e = alert_id ? delivered_find(d, alert_id, id_hash(alert_id)) : NULL;
    if (!e || endpoint >= d->endpoints || outcome == DUBAN_WEBHOOK_PAIR_OPEN)
        return false;
    uint64_t bit = 1ULL << (endpoint % 64);
    uint64_t *del = &e->bits[endpoint / 64], *dead = &e->bits[d->words + endpoint / 64];
    if (!(*del & bit) && !(*dead & bit))
        d->pairs++;
    if (outcome == DUBAN_WEBHOOK_PAIR_DELIVERED) {
        *del |= bit;
        *dead &= ~bit;
    } else if (!(*del & bit)) {
        *dead |= bit;
    }
    return true;
}

duban_webhook_pair_t duban_webhook_delivered_get(const duban_webhook_delivered_t *d,
                                                 const char *alert_id, size_t endpoint)
{
    const delivered_entry_t *e = alert_id ? delivered_find(d, alert_id, id_hash(alert_id))
                                          : NULL;
    if (!e || endpoint >= d->endpoints)
        return DUBAN_WEBHOOK_PAIR_OPEN;
    uint64_t bit = 1ULL << (endpoint % 64);
    if (e->bits[endpoint / 64] & bit)
        return DUBAN_WEBHOOK_PAIR_DELIVERED;
    return e->bits[d->words + endpoint / 64] & bit ? DUBAN_WEBHOOK_PAIR_DEAD
                                                   : DUBAN_WEBHOOK_PAIR_OPEN;
}

size_t duban_webhook_delivered_alerts(const duban_webhook_delivered_t *d)
{
    return d->alerts;
}

size_t duban_webhook_delivered_pairs(const duban_webhook_delivered_t *d)
{
    return d->pairs;
}
