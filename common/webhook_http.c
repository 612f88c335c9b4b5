/* common/webhook_http.c: libcurl multi transport for webhook requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <curl/curl.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "date.h"
#include "webhook_http.h"
#include "webhook_policy.h"

#define BODY_CAP 4096

typedef struct xfer_s {
    struct xfer_s *next_free;
    struct xfer_s *prev, *next; /* the in-flight list */
    duban_webhook_http_t *h;
    CURL *easy;
    struct curl_slist *hdrs;
    duban_webhook_request_t req;
    void *opaque;
    bool refused;
    char body[BODY_CAP + 1];
    size_t body_len;
    char errbuf[CURL_ERROR_SIZE];
} xfer_t;

struct duban_webhook_http_s {
    CURLM *multi;
    int epfd;                  /* sockets curl waits on (socket interface) */
    int64_t timer_at;          /* when curl wants a timeout call; -1 never */
    duban_webhook_http_opts_t opts;
    char *ca_file;
    duban_webhook_http_done_cb *cb;
    void *cb_opaque;
    xfer_t *free_list;
    xfer_t *active;
    int inflight;
};

void duban_webhook_http_opts_default(duban_webhook_http_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->max_inflight = 64;
    o->verify_tls = true;
}

/* ---------------------------------------------------------------------------
 * address check
 * ------------------------------------------------------------------------- */
static bool v4_internal(uint32_t a)
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
           (a >> 16) == 0xA9FE ||          /* 169.254/16 link-local */
           (a >> 20) == 0xAC1 ||           /* 172.16/12 */
           (a >> 16) == 0xC0A8 ||          /* 192.168/16 */
           (a >> 22) == (100u << 2 | 1) || /* 100.64/10 CGNAT */
           (a >> 28) >= 0xE;               /* multicast, reserved, broadcast */
}

bool duban_webhook_addr_is_internal(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return v4_internal(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    if (sa->sa_family != AF_INET6)
        return true;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    const uint8_t *b = a->s6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
        uint32_t v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
        return v4_internal(v4);
    }
    return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
           IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
           IN6_IS_ADDR_MULTICAST(a) || (b[0] & 0xFE) == 0xFC; /* fc00::/7 */
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
    return socket(addr->family, addr->socktype, addr->protocol);
}

/* ---------------------------------------------------------------------------
 * engine: curl's socket interface over epoll, so that a turn touches only
 * the sockets that are ready (curl_multi_perform would try every one)
 * ------------------------------------------------------------------------- */
static int on_socket(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
    duban_webhook_http_t *h = userp;
    struct epoll_event ev = {.data.fd = s};
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(h->epfd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    ev.events = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    /* socketp is non-NULL once the socket is in the epoll set */
    if (socketp)
        return epoll_ctl(h->epfd, EPOLL_CTL_MOD, s, &ev) == 0 ? 0 : -1;
    if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, s, &ev) != 0)
        return -1;
    curl_multi_assign(h->multi, s, h);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    duban_webhook_http_t *h = userp;
    h->timer_at = timeout_ms < 0 ? -1 : duban_now_ms() + timeout_ms;
    return 0;
}

duban_err_t duban_webhook_http_new(const duban_webhook_http_opts_t *opts,
                                   duban_webhook_http_done_cb *cb, void *cb_opaque,
                                   duban_webhook_http_t **out, char *errbuf,
                                   size_t errbuf_size)
{
    static bool global_done;
    if (!global_done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_done = true;
    }
    duban_webhook_http_t *h = calloc(1, sizeof(*h));
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
    h->timer_at = -1;
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
    duban_webhook_http_t *h = x->h;
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
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

void duban_webhook_http_destroy(duban_webhook_http_t *h)
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
        free(x);
    }
    curl_multi_cleanup(h->multi);
    if (h->epfd >= 0)
        close(h->epfd);
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

static xfer_t *xfer_get(duban_webhook_http_t *h)
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
    }
    x->h = h;
    x->refused = false;
    x->body_len = 0;
    x->body[0] = '\0';
    x->errbuf[0] = '\0';
    duban_webhook_request_init(&x->req);
    return x;
}

static void xfer_setopts(xfer_t *x, long timeout_ms, long connect_timeout_ms)
{
    CURL *e = x->easy;
    const duban_webhook_http_opts_t *o = &x->h->opts;
    curl_easy_setopt(e, CURLOPT_URL, x->req.url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->req.body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->req.body_len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "duban-notifier/1");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->verify_tls ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->verify_tls ? 2L : 0L);
    if (o->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, o->ca_file);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
}

duban_err_t duban_webhook_http_submit(duban_webhook_http_t *h, duban_webhook_request_t *req,
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
    x->hdrs = curl_slist_append(NULL, "Expect:");
    for (size_t i = 0; x->hdrs && i < x->req.headers.count; i++) {
        struct curl_slist *l = curl_slist_append(x->hdrs, x->req.headers.items[i]);
        if (!l) {
            xfer_release(x);
            return DUBAN_E_NOMEM;
        }
        x->hdrs = l;
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

static void finish(duban_webhook_http_t *h, CURL *e, CURLcode rc)
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

/* Calls curl's timeout action when it is due. */
static void fire_timer(duban_webhook_http_t *h, int *running)
{
    if (h->timer_at >= 0 && duban_now_ms() >= h->timer_at) {
        h->timer_at = -1;
        curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, running);
    }
}

int duban_webhook_http_run(duban_webhook_http_t *h, int timeout_ms)
{
    int running = 0, done = 0, left, n;
    struct epoll_event evs[64];
    fire_timer(h, &running);  /* starts new transfers (timer 0) */
    int64_t wait = h->inflight ? timeout_ms : 0;
    if (h->timer_at >= 0 && h->timer_at - duban_now_ms() < wait)
        wait = h->timer_at - duban_now_ms();
    n = epoll_wait(h->epfd, evs, 64, wait < 0 ? 0 : (int)wait);
    for (int i = 0; i < n; i++) {
        int mask = (evs[i].events & EPOLLIN ? CURL_CSELECT_IN : 0) |
                   (evs[i].events & EPOLLOUT ? CURL_CSELECT_OUT : 0) |
                   (evs[i].events & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(h->multi, evs[i].data.fd, mask, &running);
    }
    fire_timer(h, &running);
    CURLMsg *m;
    while ((m = curl_multi_info_read(h->multi, &left)))
        if (m->msg == CURLMSG_DONE) {
            finish(h, m->easy_handle, m->data.result);
            done++;
        }
    return done;
}

int duban_webhook_http_inflight(const duban_webhook_http_t *h)
{
    return h->inflight;
}

int duban_webhook_http_capacity(const duban_webhook_http_t *h)
{
    return h->opts.max_inflight - h->inflight;
}
