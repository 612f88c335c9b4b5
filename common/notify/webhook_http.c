/* common/notify/webhook_http.c: the webhook transport's front and worker
 * pool (see webhook_http.h). Owns the worker threads, their job queues and
 * eventfd wake-ups, the completion queue, and the split of max_inflight and
 * max_host_connections into one share per engine. The libcurl work itself
 * is webhook_engine.c (one multi handle per thread); the address rule is
 * webhook_addr.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "webhook_engine.h"
#include "webhook_http.h"

typedef duban_webhook_engine_t engine_t;

void duban_webhook_http_opts_default(duban_webhook_http_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->max_inflight = 64;
    o->verify_tls = true;
    o->threads = 1;
}

/* Wakes the reader of an eventfd (nonblocking): the descriptor is readable
 * until the reader's engine drains it. */
static void wake_poke(int fd)
{
    uint64_t one = 1;
    if (write(fd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is full, so the reader is awake anyway */
    }
}

/* ---------------------------------------------------------------------------
 * the transport: one engine on the caller's thread (threads = 1), or
 * N engines, each with its share of the connection limits: one on the
 * caller's thread and one per worker thread (N - 1). _submit starts a
 * request on the caller's engine or puts it on a worker's list, whichever
 * has the most room; _run hands each list over in one piece, runs the
 * caller's engine and takes the completion queue, where the workers put
 * finished requests (their result and a copy of the body); the callbacks
 * run in _run, on the caller's thread. A queue's reader is woken (eventfd)
 * only when the queue goes from empty to non-empty, and takes it whole;
 * the completion queue's eventfd is in the caller's engine's epoll set, so
 * one wait serves both. Half the requests never cross threads: about
 * 3-4 us of CPU less per delivery than N workers beside a waiting caller.
 * ------------------------------------------------------------------------- */
typedef struct job_s {
    struct job_s *next;      /* in a queue or the free list */
    struct job_s *all_next;  /* every job of the transport */
    int worker;
    duban_webhook_request_t req;  /* until the worker starts it */
    long timeout_ms, connect_timeout_ms;
    void *opaque;
    duban_webhook_http_result_t res;
    char body[DUBAN_WEBHOOK_BODY_CAP + 1];
} job_t;

typedef struct {
    job_t *head, *tail;
} jobq_t;

/* Appends src to q (src is emptied); true when q was empty before. */
static bool jobq_take(jobq_t *q, jobq_t *src)
{
    bool was_empty = !q->head;
    if (!src->head)
        return false;
    if (q->tail)
        q->tail->next = src->head;
    else
        q->head = src->head;
    q->tail = src->tail;
    src->head = src->tail = NULL;
    return was_empty;
}

static void jobq_push(jobq_t *q, job_t *j)
{
    jobq_t one = {j, j};
    j->next = NULL;
    jobq_take(q, &one);
}

typedef struct {
    duban_webhook_http_t *h;
    engine_t *engine;
    pthread_t thread;
    bool started;
    int wake_fd;          /* eventfd in the engine's epoll set */
    int limit;            /* its share of max_inflight */
    int assigned;         /* caller's thread: its requests not yet called back */
    jobq_t pending;       /* caller's thread: submitted, handed over by _run */
    pthread_mutex_t mu;   /* in, stop */
    jobq_t in;
    bool stop;
    jobq_t finished;      /* worker's thread: done in this turn */
} worker_t;

struct duban_webhook_http_s {
    engine_t *single;     /* threads = 1: the engine, on the caller's thread */
    engine_t *own;        /* threads > 1: the caller's share, on its thread */
    duban_webhook_http_done_cb *cb;
    void *cb_opaque;
    int max_inflight, inflight;
    worker_t *workers;
    int nworkers;
    job_t *free_jobs, *all_jobs;
    pthread_mutex_t done_mu;
    jobq_t done;
    int done_fd;          /* eventfd: done went non-empty */
};

/* The engine's callback, on the worker's thread: the result and a copy of
 * the borrowed body go to the worker's finished list. */
static void worker_done(const duban_webhook_http_result_t *res, void *opaque)
{
    worker_t *w = opaque;
    job_t *j = res->opaque;
    size_t n = strnlen(res->body, DUBAN_WEBHOOK_BODY_CAP);
    memcpy(j->body, res->body, n);
    j->body[n] = '\0';
    j->res = *res;
    j->res.opaque = j->opaque;
    j->res.body = j->body;
    jobq_push(&w->finished, j);
}

/* The callback of the caller's own engine (threads > 1), on its thread. */
static void own_done(const duban_webhook_http_result_t *res, void *opaque)
{
    duban_webhook_http_t *h = opaque;
    h->inflight--;
    if (h->cb)
        h->cb(res, h->cb_opaque);
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    duban_webhook_http_t *h = w->h;
    for (;;) {
        jobq_t in = {0};
        pthread_mutex_lock(&w->mu);
        bool stop = w->stop;
        jobq_take(&in, &w->in);
        pthread_mutex_unlock(&w->mu);
        if (stop)
            break;  /* destroy frees what is left */
        for (job_t *j = in.head, *next; j; j = next) {
            next = j->next;
            char eb[256] = "out of memory";
            if (duban_webhook_engine_submit(w->engine, &j->req, j->timeout_ms,
                                            j->connect_timeout_ms, j, eb, sizeof(eb))) {
                j->res = (duban_webhook_http_result_t){.opaque = j->opaque,
                                                       .retry_after_ms = -1, .body = j->body};
                j->body[0] = '\0';
                snprintf(j->res.error, sizeof(j->res.error), "%s", eb);
                jobq_push(&w->finished, j);
            }
        }
        duban_webhook_engine_run(w->engine, 1000);  /* the wake fd cuts the wait short */
        if (w->finished.head) {
            pthread_mutex_lock(&h->done_mu);
            bool was_empty = jobq_take(&h->done, &w->finished);
            pthread_mutex_unlock(&h->done_mu);
            if (was_empty)
                wake_poke(h->done_fd);
        }
    }
    return NULL;
}

/* The i-th of n shares of total (they add up to total). */
static int share(int total, int n, int i)
{
    return total / n + (i < total % n);
}

static duban_err_t workers_start(duban_webhook_http_t *h, const duban_webhook_http_opts_t *o,
                                 int n, char *errbuf, size_t errbuf_size)
{
    h->workers = calloc((size_t)n - 1, sizeof(worker_t));
    h->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (!h->workers || h->done_fd < 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "webhook workers: %s",
                            strerror(errno));
    /* share 0: the caller's engine, woken by the completion queue too */
    duban_webhook_http_opts_t oo = *o;
    oo.max_inflight = share(o->max_inflight, n, 0);
    oo.max_host_connections = share(o->max_host_connections, n, 0);
    duban_err_t oerr = duban_webhook_engine_new(&oo, own_done, h, &h->own, errbuf,
                                                errbuf_size);
    if (oerr)
        return oerr;
    if (duban_webhook_engine_add_wake(h->own, h->done_fd) != 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "webhook engine: %s",
                            strerror(errno));
    for (int i = 0; i < n - 1; i++) {
        worker_t *w = &h->workers[i];
        w->h = h;
        w->wake_fd = -1;
        pthread_mutex_init(&w->mu, NULL);
        h->nworkers++;
        duban_webhook_http_opts_t wo = *o;
        wo.max_inflight = w->limit = share(o->max_inflight, n, i + 1);
        wo.max_host_connections = share(o->max_host_connections, n, i + 1);
        duban_err_t err = duban_webhook_engine_new(&wo, worker_done, w, &w->engine, errbuf,
                                                   errbuf_size);
        if (err)
            return err;
        w->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (w->wake_fd < 0 || duban_webhook_engine_add_wake(w->engine, w->wake_fd) != 0)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "webhook worker: %s",
                                strerror(errno));
        int rc = pthread_create(&w->thread, NULL, worker_main, w);
        if (rc != 0)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "pthread_create: %s",
                                strerror(rc));
        w->started = true;
    }
    return DUBAN_OK;
}

static void workers_stop(duban_webhook_http_t *h)
{
    for (int i = 0; i < h->nworkers; i++) {
        worker_t *w = &h->workers[i];
        if (!w->started)
            continue;
        pthread_mutex_lock(&w->mu);
        w->stop = true;
        pthread_mutex_unlock(&w->mu);
        wake_poke(w->wake_fd);
        pthread_join(w->thread, NULL);
    }
    for (int i = 0; i < h->nworkers; i++) {
        worker_t *w = &h->workers[i];
        duban_webhook_engine_destroy(w->engine);  /* frees its in-flight requests */
        if (w->wake_fd >= 0)
            close(w->wake_fd);
        pthread_mutex_destroy(&w->mu);
    }
    duban_webhook_engine_destroy(h->own);  /* frees its in-flight requests */
    while (h->all_jobs) {  /* requests not yet started still hold buffers */
        job_t *j = h->all_jobs;
        h->all_jobs = j->all_next;
        duban_webhook_request_free(&j->req);
        free(j);
    }
    if (h->done_fd >= 0)
        close(h->done_fd);
    free(h->workers);
}

duban_err_t duban_webhook_http_new(const duban_webhook_http_opts_t *opts,
                                   duban_webhook_http_done_cb *cb, void *cb_opaque,
                                   duban_webhook_http_t **out, char *errbuf,
                                   size_t errbuf_size)
{
    static bool global_done;
    if (!global_done) {  /* before any thread of ours uses curl */
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_done = true;
    }
    duban_webhook_http_opts_t o = *opts;
    if (o.max_inflight <= 0)
        o.max_inflight = 64;
    if (o.max_host_connections <= 0)
        o.max_host_connections = o.max_inflight;
    /* every worker needs one connection of each limit */
    int n = o.threads < 1 ? 1 : o.threads;
    if (n > o.max_inflight)
        n = o.max_inflight;
    if (n > o.max_host_connections)
        n = o.max_host_connections;
    duban_webhook_http_t *h = calloc(1, sizeof(*h));
    if (!h)
        return DUBAN_E_NOMEM;
    h->cb = cb;
    h->cb_opaque = cb_opaque;
    h->max_inflight = o.max_inflight;
    h->done_fd = -1;
    pthread_mutex_init(&h->done_mu, NULL);
    duban_err_t err = n == 1 ? duban_webhook_engine_new(&o, cb, cb_opaque, &h->single, errbuf,
                                                        errbuf_size)
                             : workers_start(h, &o, n, errbuf, errbuf_size);
    if (err) {
        duban_webhook_http_destroy(h);
        return err;
    }
    *out = h;
    return DUBAN_OK;
}

void duban_webhook_http_destroy(duban_webhook_http_t *h)
{
    if (!h)
        return;
    if (h->single)
        duban_webhook_engine_destroy(h->single);
    else
        workers_stop(h);
    pthread_mutex_destroy(&h->done_mu);
    free(h);
}

static job_t *job_get(duban_webhook_http_t *h)
{
    job_t *j = h->free_jobs;
    if (j) {
        h->free_jobs = j->next;
        return j;
    }
    j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    duban_webhook_request_init(&j->req);
    j->all_next = h->all_jobs;
    h->all_jobs = j;
    return j;
}

/* The worker with the most room (every worker's limit is within one of
 * the others'); one has room when fewer than max_inflight are out. */
static worker_t *least_loaded(duban_webhook_http_t *h)
{
    worker_t *best = &h->workers[0];
    for (int i = 1; i < h->nworkers; i++)
        if (h->workers[i].limit - h->workers[i].assigned > best->limit - best->assigned)
            best = &h->workers[i];
    return best;
}

duban_err_t duban_webhook_http_submit(duban_webhook_http_t *h, duban_webhook_request_t *req,
                                      long timeout_ms, long connect_timeout_ms,
                                      void *opaque, char *errbuf, size_t errbuf_size)
{
    if (h->single)
        return duban_webhook_engine_submit(h->single, req, timeout_ms, connect_timeout_ms,
                                           opaque, errbuf, errbuf_size);
    if (h->inflight >= h->max_inflight) {
        duban_webhook_request_free(req);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_AGAIN, "%d requests in flight",
                            h->inflight);
    }
    worker_t *w = least_loaded(h);
    if (duban_webhook_engine_limit(h->own) - duban_webhook_engine_inflight(h->own) >=
        w->limit - w->assigned) {
        duban_err_t err = duban_webhook_engine_submit(h->own, req, timeout_ms,
                                                      connect_timeout_ms, opaque, errbuf,
                                                      errbuf_size);
        if (!err)
            h->inflight++;
        return err;
    }
    job_t *j = job_get(h);
    if (!j) {
        duban_webhook_request_free(req);
        return DUBAN_E_NOMEM;
    }
    j->worker = (int)(w - h->workers);
    j->req = *req;
    duban_webhook_request_init(req);
    j->timeout_ms = timeout_ms;
    j->connect_timeout_ms = connect_timeout_ms;
    j->opaque = opaque;
    jobq_push(&w->pending, j);  /* handed over by _run, with the others */
    w->assigned++;
    h->inflight++;
    return DUBAN_OK;
}

/* Hands each worker its pending requests: one lock, and a wake-up only
 * when its queue was empty (else it has one coming). */
static void hand_over(duban_webhook_http_t *h)
{
    for (int i = 0; i < h->nworkers; i++) {
        worker_t *w = &h->workers[i];
        if (!w->pending.head)
            continue;
        pthread_mutex_lock(&w->mu);
        bool was_empty = jobq_take(&w->in, &w->pending);
        pthread_mutex_unlock(&w->mu);
        if (was_empty)
            wake_poke(w->wake_fd);
    }
}

static jobq_t take_done(duban_webhook_http_t *h)
{
    jobq_t q = {0};
    pthread_mutex_lock(&h->done_mu);
    jobq_take(&q, &h->done);
    pthread_mutex_unlock(&h->done_mu);
    return q;
}

int duban_webhook_http_run(duban_webhook_http_t *h, int timeout_ms)
{
    if (h->single)
        return duban_webhook_engine_run(h->single, timeout_ms);
    hand_over(h);
    jobq_t q = take_done(h);
    /* the caller's own transfers; its wait ends at the first completion of
     * a worker too (done_fd is in its set) */
    int done = duban_webhook_engine_run(h->own, !q.head && h->inflight ? timeout_ms : 0);
    if (!q.head)
        q = take_done(h);
    for (job_t *j = q.head, *next; j; j = next) {
        next = j->next;
        h->inflight--;
        h->workers[j->worker].assigned--;
        if (h->cb)
            h->cb(&j->res, h->cb_opaque);
        j->next = h->free_jobs;
        h->free_jobs = j;
        done++;
    }
    return done;
}

int duban_webhook_http_inflight(const duban_webhook_http_t *h)
{
    return h->single ? duban_webhook_engine_inflight(h->single) : h->inflight;
}

int duban_webhook_http_capacity(const duban_webhook_http_t *h)
{
    return h->single ? duban_webhook_engine_limit(h->single) -
                           duban_webhook_engine_inflight(h->single)
                     : h->max_inflight - h->inflight;
}
