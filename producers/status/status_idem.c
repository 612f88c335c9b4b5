/* producers/status/status_idem.c: the Idempotency-Key table of duban-status.
 * Entries are in a map by key and in a list by age (oldest first), so
 * expiry and the size cap drop from the front. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "hash.h"
#include "status_idem.h"
#include "status_map.h"

typedef struct entry_s {
    struct entry_s *prev, *next;
    char *key;
    char fingerprint[DUBAN_SHA256_HEX_SIZE];
    bool done;
    unsigned status;
    char *body;
    int64_t at;
} entry_t;

struct status_idem_s {
    pthread_mutex_t mu;
    status_map_t by_key;
    entry_t *oldest, *newest;
    int64_t ttl_ms;
    size_t max;
};

status_idem_t *status_idem_new(int64_t ttl_ms, size_t max_entries)
{
    status_idem_t *m = duban_xcalloc(1, sizeof(*m));
    pthread_mutex_init(&m->mu, NULL);
    m->ttl_ms = ttl_ms;
    m->max = max_entries ? max_entries : 1;
    return m;
}

static void unlink_entry(status_idem_t *m, entry_t *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        m->oldest = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        m->newest = e->prev;
    e->prev = e->next = NULL;
}

static void drop(status_idem_t *m, entry_t *e)
{
    unlink_entry(m, e);
    status_map_take(&m->by_key, e->key);
    free(e->key);
    free(e->body);
    free(e);
}

void status_idem_destroy(status_idem_t *m)
{
    if (!m)
        return;
    while (m->oldest)
        drop(m, m->oldest);
    status_map_free(&m->by_key, NULL);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

/* Expired and surplus entries go; requests still running stay. */
static void prune(status_idem_t *m, int64_t now_ms)
{
    entry_t *e = m->oldest;
    while (e) {
        entry_t *next = e->next;
        bool old = e->at + m->ttl_ms < now_ms, over = m->by_key.count > m->max;
        if (!old && !over)
            break;
        if (e->done)
            drop(m, e);
        e = next;
    }
}

static void append_newest(status_idem_t *m, entry_t *e)
{
    e->prev = m->newest;
    e->next = NULL;
    if (m->newest)
        m->newest->next = e;
    else
        m->oldest = e;
    m->newest = e;
}

static entry_t *add(status_idem_t *m, const char *key, const char *fingerprint, int64_t at)
{
    entry_t *e = duban_xcalloc(1, sizeof(*e));
    e->key = duban_xstrdup(key);
    snprintf(e->fingerprint, sizeof(e->fingerprint), "%s", fingerprint);
    e->at = at;
    append_newest(m, e);
    status_map_put(&m->by_key, key, e);
    return e;
}

status_idem_result_t status_idem_begin(status_idem_t *m, const char *key,
                                       const char *fingerprint, int64_t now_ms,
                                       unsigned *status, char **body)
{
    status_idem_result_t r = STATUS_IDEM_NEW;
    pthread_mutex_lock(&m->mu);
    prune(m, now_ms);
    entry_t *e = status_map_get(&m->by_key, key);
    if (!e)
        add(m, key, fingerprint, now_ms);
    else if (strcmp(e->fingerprint, fingerprint) != 0)
        r = STATUS_IDEM_MISMATCH;
    else if (!e->done)
        r = STATUS_IDEM_IN_FLIGHT;
    else {
        r = STATUS_IDEM_REPLAY;
        *status = e->status;
        *body = duban_xstrdup(e->body ? e->body : "{}");
    }
    pthread_mutex_unlock(&m->mu);
    return r;
}

void status_idem_finish(status_idem_t *m, const char *key, unsigned status, const char *body,
                        int64_t now_ms)
{
    pthread_mutex_lock(&m->mu);
    entry_t *e = status_map_get(&m->by_key, key);
    if (e && !e->done) {
        e->done = true;
        e->status = status;
        e->body = duban_xstrdup(body ? body : "{}");
        unlink_entry(m, e);          /* its age counts from the answer */
        e->at = now_ms;
        append_newest(m, e);
    }
    pthread_mutex_unlock(&m->mu);
}

void status_idem_abandon(status_idem_t *m, const char *key)
{
    pthread_mutex_lock(&m->mu);
    entry_t *e = status_map_get(&m->by_key, key);
    if (e && !e->done)
        drop(m, e);
    pthread_mutex_unlock(&m->mu);
}

void status_idem_learn(status_idem_t *m, const char *key, const char *fingerprint,
                       const char *body, int64_t at_ms, int64_t now_ms)
{
    if (at_ms + m->ttl_ms < now_ms)
        return;   /* expired already */
    pthread_mutex_lock(&m->mu);
    if (!status_map_get(&m->by_key, key)) {
        /* kept in arrival order: the log's order is close to answer order */
        entry_t *e = add(m, key, fingerprint, at_ms);
        e->done = true;
        e->status = 202;
        e->body = duban_xstrdup(body);
        prune(m, now_ms);
    }
    pthread_mutex_unlock(&m->mu);
}

size_t status_idem_count(status_idem_t *m)
{
    pthread_mutex_lock(&m->mu);
    size_t n = m->by_key.count;
    pthread_mutex_unlock(&m->mu);
    return n;
}
