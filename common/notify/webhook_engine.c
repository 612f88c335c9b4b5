/* common/notify/webhook_engine.c: one libcurl multi engine of the webhook
 * transport (see webhook_engine.h): curl's socket interface over epoll,
 * the easy-handle pool, the request's headers and options, the result of
 * a finished transfer. The worker pool that runs several engines is
 * webhook_http.c; the address rule is webhook_addr.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "alloc.h"
#include "date.h"
#include "webhook_addr.h"
#include "webhook_engine.h"
#include "webhook_policy.h"

#define BODY_CAP DUBAN_WEBHOOK_BODY_CAP

typedef struct duban_webhook_engine_s engine_t;

typedef struct xfer_s {
    struct xfer_s *next_free;
    struct xfer_s *prev, *next; /* the in-flight list */
    engine_t *h;
    CURL *easy;
    struct curl_slist *hdrs;   /* nodes owned here, data in req.headers */
    size_t hdrs_cap;
    duban_webhook_request_t req;
    void *opaque;
    bool refused;
    char body[BODY_CAP + 1];
    size_t body_len;
    char errbuf[CURL_ERROR_SIZE];
} xfer_t;

/* What the epoll set holds for one descriptor. */
typedef struct {
    uint32_t events;  /* the registered interest; 0: not in the set */
    bool ours;        /* opened by open_socket, closed through close_socket */
    bool wanted;      /* curl waits on it (else an idle connection) */
} fd_state_t;

struct duban_webhook_engine_s {
    CURLM *multi;
    int epfd;                  /* sockets curl waits on (socket interface) */
    fd_state_t *fds;           /* indexed by descriptor */
    size_t fds_cap;
    int64_t timer_at;          /* when curl wants a timeout call; -1 never */
    duban_webhook_http_opts_t opts;
    char *ca_file;
    duban_webhook_http_done_cb *cb;
    void *cb_opaque;
    xfer_t *free_list;
    xfer_t *active;
    int inflight;
    int wake_fd;               /* the eventfd of _add_wake, in the epoll set; -1: none */
};

/* The state of descriptor fd, the table grown to hold it; NULL without
 * memory. */
static fd_state_t *fd_state(engine_t *h, curl_socket_t fd)
{
    if (fd < 0)
        return NULL;
    if ((size_t)fd >= h->fds_cap) {
        size_t old = h->fds_cap;
        fd_state_t *p = duban_array_grow(h->fds, &h->fds_cap, (size_t)fd + 1, sizeof(*p), 64);
        if (!p)
            return NULL;
        memset(p + old, 0, (h->fds_cap - old) * sizeof(*p));
        h->fds = p;
    }
    return &h->fds[fd];
}

static curl_socket_t open_socket(void *clientp, curlsocktype purpose,
                                 struct curl_sockaddr *addr)
{
    xfer_t *x = clientp;
    if (purpose == CURLSOCKTYPE_IPCXN && !x->h->opts.allow_private &&
        duban_webhook_addr_is_internal(&addr->addr)) {
        x->refused = true;
        return CURL_SOCKET_BAD;
    }
    curl_socket_t s = socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
    fd_state_t *f = fd_state(x->h, s);
    if (s >= 0 && !f) {
        close(s);
        return CURL_SOCKET_BAD;
    }
    if (f)
        *f = (fd_state_t){.ours = true};
    return s;
}

static int close_socket(void *clientp, curl_socket_t s)
{
    engine_t *h = clientp;
    fd_state_t *f = fd_state(h, s);
    if (f && f->events)
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, s, NULL);
    if (f)
        *f = (fd_state_t){0};
    return close(s);
}

/* ---------------------------------------------------------------------------
 * engine: curl's socket interface over epoll, so that a turn touches only
 * the sockets that are ready (curl_multi_perform would try every one).
 * A kept-alive connection is handed back and forth between transfers: curl
 * drops its socket when a response is complete and wants it again for the
 * next request. Sockets we opened therefore stay in the epoll set while
 * idle (removed when they close, or when they report an event curl did not
 * ask for), which saves two epoll_ctl calls per request.
 * ------------------------------------------------------------------------- */
static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
    engine_t *h = userp;
    fd_state_t *f = fd_state(h, s);
    if (what == CURL_POLL_REMOVE) {
        if (f)
            f->wanted = false;
        if (f && f->ours)
            return 0;  /* stays registered: an idle connection */
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, s, NULL);
        if (f)
            f->events = 0;
        return 0;
    }
    if (!f)
        return -1;
    uint32_t want = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    f->wanted = true;
    if (f->events == want)
        return 0;
    struct epoll_event ev = {.events = want, .data.fd = s};
    int rc = epoll_ctl(h->epfd, f->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s, &ev);
    if (rc != 0 && errno == ENOENT)
        rc = epoll_ctl(h->epfd, EPOLL_CTL_ADD, s, &ev);
    else if (rc != 0 && errno == EEXIST)
        rc = epoll_ctl(h->epfd, EPOLL_CTL_MOD, s, &ev);
    f->events = rc == 0 ? want : 0;
    return rc == 0 ? 0 : -1;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    engine_t *h = userp;
    h->timer_at = timeout_ms < 0 ? -1 : duban_now_ms() + timeout_ms;
    return 0;
}

duban_err_t duban_webhook_engine_new(const duban_webhook_http_opts_t *opts,
                                     duban_webhook_http_done_cb *cb, void *cb_opaque,
                                     engine_t **out, char *errbuf, size_t errbuf_size)
{
    engine_t *h = calloc(1, sizeof(*h));
    if (!h)
        return DUBAN_E_NOMEM;
    h->opts = *opts;
    if (h->opts.max_inflight <= 0)
        h->opts.max_inflight = 64;
    if (h->opts.max_host_connections <= 0)
        h->opts.max_host_connections = h->opts.max_inflight;
    h->ca_file = opts->ca_file ? strdup(opts->ca_file) : NULL;
    h->opts.ca_file = h->ca_file;
    h->cb = cb;
    h->cb_opaque = cb_opaque;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h->ca_file);
        free(h);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "curl_multi_init failed");
    }
    h->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (h->epfd < 0) {
        curl_multi_cleanup(h->multi);
        free(h->ca_file);
        free(h);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "epoll_create1: %s",
                            strerror(errno));
    }
    h->timer_at = -1;
    h->wake_fd = -1;
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->opts.max_host_connections);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->opts.max_inflight);
    *out = h;
    return DUBAN_OK;
}

static void xfer_release(xfer_t *x)
{
    engine_t *h = x->h;
    duban_webhook_request_free(&x->req);
    x->next_free = h->free_list;
    h->free_list = x;
}

static void active_unlink(xfer_t *x)
{
    if (x->prev)
        x->prev->next = x->next;
    else
        x->h->active = x->next;
    if (x->next)
        x->next->prev = x->prev;
    x->prev = x->next = NULL;
}

void duban_webhook_engine_destroy(engine_t *h)
{
    if (!h)
        return;
    while (h->active) {
        xfer_t *x = h->active;
        curl_multi_remove_handle(h->multi, x->easy);
        active_unlink(x);
        xfer_release(x);
    }
    while (h->free_list) {
        xfer_t *x = h->free_list;
        h->free_list = x->next_free;
        curl_easy_cleanup(x->easy);
        free(x->hdrs);
        free(x);
    }
    curl_multi_cleanup(h->multi);  /* closes the connections: close_socket needs epfd, fds */
    close(h->epfd);
    free(h->fds);
    free(h->ca_file);
    free(h);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    xfer_t *x = userp;
    size_t n = size * nmemb, room = BODY_CAP - x->body_len;
    size_t take = n < room ? n : room;
    memcpy(x->body + x->body_len, data, take);
    x->body_len += take;
    x->body[x->body_len] = '\0';
    return n;
}

/* Options that are the same for every request of the engine: set once,
 * when the easy handle is made (they stay set across transfers). */
static void xfer_fixed_opts(xfer_t *x)
{
    CURL *e = x->easy;
    const duban_webhook_http_opts_t *o = &x->h->opts;
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "duban-notifier/1");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->verify_tls ? 2L : 0L);
    if (o->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
    /* connections outlive the transfer that opened them: the engine, not x */
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
    curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, x->h);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
}

static xfer_t *xfer_get(engine_t *h)
{
    xfer_t *x = h->free_list;
    if (x) {
        h->free_list = x->next_free;  /* options stay set; per-request ones are reset */
    } else {
        x = calloc(1, sizeof(*x));
        if (!x)
            return NULL;
        x->easy = curl_easy_init();
        if (!x->easy) {
            free(x);
            return NULL;
        }
        x->h = h;
        xfer_fixed_opts(x);
    }
    x->h = h;
    x->refused = false;
    x->body_len = 0;
    x->body[0] = '\0';
    x->errbuf[0] = '\0';
    duban_webhook_request_init(&x->req);
    return x;
}

/* The header list curl reads: "Expect:" (no 100-continue round trip
 * before the body), then the request's own lines. The nodes are x's and
 * point at the lines, so nothing is copied or allocated per request. */
static duban_err_t xfer_headers(xfer_t *x)
{
    static char no_expect[] = "Expect:";
    size_t n = x->req.headers.count + 1;
    struct curl_slist *p = duban_array_grow(x->hdrs, &x->hdrs_cap, n, sizeof(*p), 8);
    if (!p)
        return DUBAN_E_NOMEM;
    x->hdrs = p;
    x->hdrs[0].data = no_expect;
    for (size_t i = 1; i < n; i++)
        x->hdrs[i].data = x->req.headers.items[i - 1];
    for (size_t i = 0; i < n; i++)
        x->hdrs[i].next = i + 1 < n ? &x->hdrs[i + 1] : NULL;
    return DUBAN_OK;
}

static void xfer_setopts(xfer_t *x, long timeout_ms, long connect_timeout_ms)
{
    CURL *e = x->easy;
    curl_easy_setopt(e, CURLOPT_URL, x->req.url);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->req.body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->req.body_len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
}

duban_err_t duban_webhook_engine_submit(engine_t *h, duban_webhook_request_t *req,
                                        long timeout_ms, long connect_timeout_ms,
                                        void *opaque, char *errbuf, size_t errbuf_size)
{
    if (h->inflight >= h->opts.max_inflight) {
        duban_webhook_request_free(req);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_AGAIN, "%d requests in flight",
                            h->inflight);
    }
    xfer_t *x = xfer_get(h);
    if (!x) {
        duban_webhook_request_free(req);
        return DUBAN_E_NOMEM;
    }
    x->req = *req;
    duban_webhook_request_init(req);
    x->opaque = opaque;
    if (xfer_headers(x)) {
        xfer_release(x);
        return DUBAN_E_NOMEM;
    }
    xfer_setopts(x, timeout_ms, connect_timeout_ms);
    CURLMcode mc = curl_multi_add_handle(h->multi, x->easy);
    if (mc != CURLM_OK) {
        xfer_release(x);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP, "curl_multi_add_handle: %s",
                            curl_multi_strerror(mc));
    }
    x->prev = NULL;
    x->next = h->active;
    if (h->active)
        h->active->prev = x;
    h->active = x;
    h->inflight++;
    return DUBAN_OK;
}

static bool transport_retriable(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING: case CURLE_PARTIAL_FILE: case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2: case CURLE_HTTP2_STREAM: case CURLE_AGAIN:
        return true;
    default:
        return false;
    }
}

static long retry_after(CURL *e)
{
    struct curl_header *hd;
    long ms;
    if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
        return -1;
    return duban_webhook_retry_after_parse(hd->value, duban_now_ms(), &ms) ? -1 : ms;
}

static void finish(engine_t *h, CURL *e, CURLcode rc)
{
    xfer_t *x;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
    duban_webhook_http_result_t res = {.opaque = x->opaque, .retry_after_ms = -1};
    curl_off_t us = 0;
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &us);
    res.latency_ms = (long)(us / 1000);
    res.body = x->body;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res.http_status);
        res.retry_after_ms = retry_after(e);
    } else if (x->refused) {
        res.refused = true;
        snprintf(res.error, sizeof(res.error), "address refused: internal address "
                 "(set notifier.allow.private=true to allow)");
    } else {
        res.transport_retriable = transport_retriable(rc);
        /* curl's error buffer can name the host but not the path or query */
        snprintf(res.error, sizeof(res.error), "%s: %s", curl_easy_strerror(rc),
                 x->errbuf[0] ? x->errbuf : "-");
    }
    curl_multi_remove_handle(h->multi, e);
    active_unlink(x);
    h->inflight--;
    if (h->cb)
        h->cb(&res, h->cb_opaque);
    xfer_release(x);
}

/* Eventfd wake-ups (nonblocking): a poke makes the descriptor readable
 * until it is drained. */
static void wake_drain(int fd)
{
    uint64_t v;
    if (read(fd, &v, sizeof(v)) < 0) {
        /* EAGAIN: nothing pending */
    }
}

/* Calls curl's timeout action when it is due. */
static void fire_timer(engine_t *h, int *running)
{
    if (h->timer_at >= 0 && duban_now_ms() >= h->timer_at) {
        h->timer_at = -1;
        curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, running);
    }
}

/* Finishes the transfers curl has done; how many. */
static int read_done(engine_t *h)
{
    int done = 0, left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(h->multi, &left)))
        if (m->msg == CURLMSG_DONE) {
            finish(h, m->easy_handle, m->data.result);
            done++;
        }
    return done;
}

int duban_webhook_engine_run(engine_t *h, int timeout_ms)
{
    int running = 0, n;
    struct epoll_event evs[64];
    fire_timer(h, &running);  /* starts new transfers (timer 0) */
    /* transfers can finish in that timer action: then no waiting (their
     * sockets are idle and there may be no timer, so nothing would end
     * the wait early) */
    int done = read_done(h);
    int64_t wait = !done && (h->inflight || h->wake_fd >= 0) ? timeout_ms : 0;
    if (h->timer_at >= 0 && h->timer_at - duban_now_ms() < wait)
        wait = h->timer_at - duban_now_ms();
    n = epoll_wait(h->epfd, evs, 64, wait < 0 ? 0 : (int)wait);
    for (int i = 0; i < n; i++) {
        int fd = evs[i].data.fd;
        if (fd == h->wake_fd) {
            wake_drain(fd);  /* the worker looks at its queue after the turn */
            continue;
        }
        if ((size_t)fd < h->fds_cap && !h->fds[fd].wanted) {
            /* an idle connection that closed or talks out of turn: out of
             * the set until curl wants it again (its liveness check on
             * reuse sees the rest) */
            epoll_ctl(h->epfd, EPOLL_CTL_DEL, fd, NULL);
            h->fds[fd].events = 0;
            continue;
        }
        int mask = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                   (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                   (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(h->multi, fd, mask, &running);
    }
    fire_timer(h, &running);
    return done + read_done(h);
}

int duban_webhook_engine_add_wake(engine_t *h, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        return -1;
    h->wake_fd = fd;
    return 0;
}

int duban_webhook_engine_inflight(const engine_t *h)
{
    return h->inflight;
}

int duban_webhook_engine_limit(const engine_t *h)
{
    return h->opts.max_inflight;
}
