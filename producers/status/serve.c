/* producers/status/serve.c: the HTTP server of duban-status (libmicrohttpd,
 * one thread per connection; a request thread blocks until its own event is
 * delivered and applied, nothing else waits on it). What it does before a
 * request reaches the API (status_api.h):
 *   - no request head reaches libmicrohttpd unchecked: the gate
 *     (status_gate.h) accepts each connection and checks its first head
 *     (status_framing.h) before handing the socket over; framing that two
 *     parsers could read two ways is refused with 400 and the connection
 *     closed. A connection is kept alive only when the next head can be
 *     checked the same way: the request was HTTP/1.1 without "Connection:
 *     close", framed by Content-Length (a chunked one closes), and the
 *     library read exactly that request off the socket, nothing of the
 *     next (status_gate_consumed). Between two requests the library waits
 *     in on_done while status_gate_next peeks at the next head;
 *   - a request's headers are checked on arrival, before any body is read:
 *     a missing or invalid bearer token gets 401 (so an unauthenticated
 *     client never gets "100 Continue" and its body is not read); a
 *     declared body over the cap gets 413;
 *   - a body is read up to DUBAN_STATUS_MAX_BODY (a chunked body past it is
 *     drained, not kept, and answered 413);
 *   - connections: status.http.max.connections in all, at most
 *     status.http.max.connections.per.address from one address (both in
 *     the gate for connections waiting for their first head, and in the
 *     library for those it serves), and status.http.idle.timeout.s of
 *     silence closes one;
 *   - deadlines, however slowly the bytes trickle in: a request's headers
 *     must be complete within status.http.header.timeout.ms of the
 *     connection's start (the gate) or of the previous answer on a
 *     kept-alive one, its body within status.http.body.timeout.ms of its
 *     headers. A watchdog thread shuts down (shutdown(2)) the socket of a
 *     connection past its deadline; MHD then closes it. The connection
 *     table is updated from MHD's connection notifications, which come
 *     before MHD closes a socket, under one mutex, so the watchdog never
 *     touches a reused descriptor.
 * Every request is logged as one fac=HTTP line: method, path (escaped by
 * the log), status, latency, who (role:name and token id, never the
 * token), event_id, and why when refused. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include "buf.h"
#include "calendar.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "ladder.h"
#include "log.h"
#include "status.h"
#include "status_api.h"
#include "status_framing.h"
#include "status_gate.h"
#include "status_intake.h"
#include "status_ops.h"

/* ---- connection deadlines ---- */

enum { PHASE_HEADERS, PHASE_BODY, PHASE_HANDLING, PHASE_CLOSING };

typedef struct conn_s {
    struct conn_s *prev, *next;
    int fd;
    int phase;
    int64_t since_ms;
    int64_t end;      /* socket offset where the checked request ends; -1 unknown */
} conn_t;

typedef struct {
    status_service_t *svc;
    status_ops_t *ops;         /* /metrics: answers by status */
    pthread_mutex_t mu;        /* guards the list and each conn's phase */
    conn_t *head;
    long header_ms, body_ms;
    pthread_t thread;
    atomic_bool stop;
    uint64_t cut;              /* connections shut down past a deadline */
    struct MHD_Daemon *daemon; /* the gate hands connections to it */
} server_t;

static conn_t *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void set_phase(server_t *sv, struct MHD_Connection *c, int phase)
{
    conn_t *k = conn_of(c);
    if (!k)
        return;
    pthread_mutex_lock(&sv->mu);
    if (k->phase != PHASE_CLOSING) {
        k->phase = phase;
        k->since_ms = duban_now_ms();
    }
    pthread_mutex_unlock(&sv->mu);
}

/* Where the connection's first request ends: the gate passed its head, so
 * it is complete on the socket and nothing has been read yet. */
static int64_t first_request_end(int fd)
{
    status_framing_t f;
    if (status_gate_peek(fd, &f) != STATUS_FRAMING_OK || f.body_len < 0)
        return -1;
    return (int64_t)f.head_len + f.body_len;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    server_t *sv = cls;
    conn_t *k = *socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (!ci || !(k = calloc(1, sizeof(*k))))
            return;   /* no deadline for this one; the idle timeout still holds */
        k->fd = ci->connect_fd;
        k->end = first_request_end(k->fd);
        k->phase = PHASE_HEADERS;
        k->since_ms = duban_now_ms();
        pthread_mutex_lock(&sv->mu);
        k->next = sv->head;
        if (sv->head)
            sv->head->prev = k;
        sv->head = k;
        pthread_mutex_unlock(&sv->mu);
        *socket_context = k;
    } else if (k) {   /* MHD_CONNECTION_NOTIFY_CLOSED, before the socket is closed */
        pthread_mutex_lock(&sv->mu);
        if (k->prev)
            k->prev->next = k->next;
        else
            sv->head = k->next;
        if (k->next)
            k->next->prev = k->prev;
        pthread_mutex_unlock(&sv->mu);
        free(k);
        *socket_context = NULL;
    }
}

static void *watchdog_main(void *arg)
{
    server_t *sv = arg;
    while (!atomic_load(&sv->stop)) {
        usleep(100000);
        int64_t now = duban_now_ms();
        pthread_mutex_lock(&sv->mu);
        for (conn_t *k = sv->head; k; k = k->next) {
            long limit = k->phase == PHASE_HEADERS ? sv->header_ms
                         : k->phase == PHASE_BODY  ? sv->body_ms
                                                   : 0;
            if (limit && now - k->since_ms > limit) {
                shutdown(k->fd, SHUT_RDWR);
                k->phase = PHASE_CLOSING;
                sv->cut++;
                duban_info("HTTP", "connection closed: %s not complete after %ld ms",
                           limit == sv->header_ms ? "headers" : "body", limit);
            }
        }
        pthread_mutex_unlock(&sv->mu);
    }
    return NULL;
}

typedef struct {
    duban_buf_t body;        /* capped at DUBAN_STATUS_MAX_BODY: sticky TOO_LARGE */
    int64_t started_ms;
    bool authed;
    status_principal_t who;
    status_ops_t *ops;       /* counts the answer */
    conn_t *conn;            /* the connection's entry (NULL: untracked) */
    bool reusable;           /* HTTP/1.1 and no "Connection: close" */
    bool kept;               /* answered without "Connection: close" */
} upload_t;

/* The connection may carry another request only if its next head can be
 * checked before the library reads it: nothing of it read yet. */
static bool keep_alive(const upload_t *u)
{
    return u->reusable && u->conn && u->conn->end >= 0 &&
           status_gate_consumed(u->conn->fd, false) == u->conn->end;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text,
                                 const status_answer_t *ans, upload_t *u, bool close)
{
    u->kept = !close && keep_alive(u);
    close = !u->kept;
    const char *out = text ? text : "{}";
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(out), (void *)out,
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    if (ans && ans->allow)
        MHD_add_response_header(r, "Allow", ans->allow);
    if (ans && ans->replayed)
        MHD_add_response_header(r, "Idempotent-Replayed", "true");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"duban-status\"");
    if (close)
        MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void log_request(const char *method, const char *url, unsigned status,
                        const upload_t *u, const char *event_id, const char *note)
{
    char kv[700];
    status_ops_answer(u->ops, status);
    int n = snprintf(kv, sizeof(kv), "status=%u ms=%lld", status,
                     (long long)(duban_now_ms() - u->started_ms));
    if (u->authed && n > 0 && (size_t)n < sizeof(kv))
        n += snprintf(kv + n, sizeof(kv) - (size_t)n, " who=%s:%s token=%s",
                      status_kind_name(u->who.kind), u->who.name, u->who.id);
    if (event_id && *event_id && n > 0 && (size_t)n < sizeof(kv))
        snprintf(kv + n, sizeof(kv) - (size_t)n, " event_id=%s", event_id);
    DUBAN_LOG(status >= 500 ? DUBAN_LOG_WARN : DUBAN_LOG_INFO, "HTTP", kv, "%s %s%s%s", method,
              url, note && *note ? ": " : "", note ? note : "");
}

static enum MHD_Result refuse(struct MHD_Connection *c, const char *method, const char *url,
                              upload_t *u, unsigned status, const char *msg, bool close)
{
    log_request(method, url, status, u, NULL, msg);
    json_t *j = json_pack("{s:s}", "error", msg);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    enum MHD_Result r = send_text(c, status, text, NULL, u, close);
    free(text);
    return r;
}

/* A declared body over the cap (the gate passed the value: 1 to 18 digits). */
static bool declared_too_large(struct MHD_Connection *c)
{
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    int64_t n;
    return cl && status_framing_length(cl, strlen(cl), &n) && n > DUBAN_STATUS_MAX_BODY;
}

/* ---- requests ---- */

static enum MHD_Result find_close(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    if (!strcasecmp(key, "Connection") && value && strcasestr(value, "close"))
        *(bool *)cls = true;
    return MHD_YES;
}

/* The request says "Connection: close" (any Connection header). */
static bool asks_close(struct MHD_Connection *c)
{
    bool close = false;
    MHD_get_connection_values(c, MHD_HEADER_KIND, find_close, &close);
    return close;
}

static const char *query_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

/* The first call: headers only. Answers what can be answered without the
 * body; MHD_YES with nothing queued lets the body come. */
static enum MHD_Result on_headers(status_service_t *svc, struct MHD_Connection *c,
                                  const char *url, const char *method, upload_t *u,
                                  bool *answered)
{
    *answered = true;
    if (!status_api_known_path(url))
        return refuse(c, method, url, u, 404, "not found", false);
    if (strcmp(url, "/healthz") != 0) {
        const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
        switch (status_tokens_check(svc->tokens, auth, &u->who)) {
        case STATUS_AUTH_OK:
            u->authed = true;
            break;
        case STATUS_AUTH_MISSING:
            return refuse(c, method, url, u, 401, "missing Authorization: Bearer token", true);
        case STATUS_AUTH_REVOKED:
            return refuse(c, method, url, u, 401, "token revoked", true);
        default:
            return refuse(c, method, url, u, 401, "invalid bearer token", true);
        }
    }
    if (declared_too_large(c)) {
        char msg[64];
        snprintf(msg, sizeof(msg), "body: over %d bytes", DUBAN_STATUS_MAX_BODY);
        return refuse(c, method, url, u, 413, msg, true);
    }
    *answered = false;
    return MHD_YES;
}

static enum MHD_Result on_complete(status_service_t *svc, struct MHD_Connection *c,
                                   const char *url, const char *method, upload_t *u)
{
    if (u->body.err == DUBAN_E_TOO_LARGE) {
        char msg[64];
        snprintf(msg, sizeof(msg), "body: over %d bytes", DUBAN_STATUS_MAX_BODY);
        return refuse(c, method, url, u, 413, msg, true);
    }
    const char *body = u->body.len ? duban_buf_cstr(&u->body) : "";
    if (!body)
        return refuse(c, method, url, u, 503, "out of memory", true);
    status_request_t rq = {
        .method = method, .path = url, .who = u->authed ? &u->who : NULL, .body = body,
        .body_len = u->body.len,
        .idempotency_key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key"),
        .arg = query_arg, .arg_ctx = c};
    status_answer_t ans = {0};
    status_api_handle(svc, &rq, &ans);
    log_request(method, url, ans.status, u, ans.event_id, ans.note);
    enum MHD_Result r = send_text(c, ans.status, ans.body, &ans, u, false);
    free(ans.body);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    server_t *sv = cls;
    upload_t *u = *con_cls;
    if (!u) {
        if (!(u = calloc(1, sizeof(*u))))
            return MHD_NO;
        duban_buf_init(&u->body, DUBAN_STATUS_MAX_BODY);
        u->started_ms = duban_now_ms();
        u->ops = sv->ops;
        u->conn = conn_of(c);
        u->reusable = !strcmp(version, MHD_HTTP_VERSION_1_1) && !asks_close(c);
        *con_cls = u;
        bool answered;
        enum MHD_Result r = on_headers(sv->svc, c, url, method, u, &answered);
        if (!answered)
            set_phase(sv, c, PHASE_BODY);
        return r;
    }
    if (*data_size) {
        duban_buf_append(&u->body, data, *data_size); /* past the cap: drained, not kept */
        *data_size = 0;
        return MHD_YES;
    }
    set_phase(sv, c, PHASE_HANDLING);
    return on_complete(sv->svc, c, url, method, u);
}

/* Between two requests on a kept-alive connection (the library waits for
 * this to return before it reads again): the next head is checked where it
 * lies on the socket, and refused there when it is bad. */
static void check_next_head(server_t *sv, conn_t *k)
{
    int64_t at = status_gate_consumed(k->fd, true);
    status_framing_t f;
    if (at != k->end) {   /* the library holds bytes nobody checked: close */
        k->end = -1;
        shutdown(k->fd, SHUT_RDWR);
        return;
    }
    /* the watchdog cuts it at the header deadline; this wait is a backstop */
    switch (status_gate_next(k->fd, sv->header_ms + 1000, &f)) {
    case STATUS_GATE_NEXT_OK:
        k->end = f.body_len < 0 ? -1 : at + (int64_t)f.head_len + f.body_len;
        break;
    case STATUS_GATE_NEXT_REFUSED:
        status_ops_answer(sv->ops, f.status);
        k->end = -1;
        break;
    default:
        k->end = -1;
    }
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    server_t *sv = cls;
    set_phase(sv, c, PHASE_HEADERS);   /* a kept-alive connection: the next request */
    upload_t *u = *con_cls;
    bool kept = u && u->kept && u->conn && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK;
    conn_t *k = u ? u->conn : NULL;
    if (u) {
        duban_buf_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
    if (kept)
        check_next_head(sv, k);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    duban_debug("HTTP", "%s", msg);
}

/* "HOST:PORT" or "[V6]:PORT" -> sockaddr. host keeps the printable host. */
static int parse_listen(const char *listen, struct sockaddr_storage *sa, socklen_t *salen,
                        char *host, size_t host_size, unsigned *port)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        return -1;
    char *end;
    errno = 0;
    unsigned long p = strtoul(colon + 1, &end, 10);
    if (*end || errno || p > 65535)
        return -1;
    size_t hlen = (size_t)(colon - listen);
    const char *h = listen;
    if (h[0] == '[' && hlen > 2 && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen >= host_size)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE}, *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return -1;
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *salen = res->ai_addrlen;
    freeaddrinfo(res);
    if (sa->ss_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)p);
    else
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)p);
    *port = (unsigned)p;
    return 0;
}

/* ---- the service ---- */

int64_t status_clock_now(const status_clock_t *clk)
{
    int64_t t = duban_now_ms();
    if (clk && clk->start != INT64_MIN)
        t = clk->start + (int64_t)((double)(t - clk->origin) * clk->speed);
    return t;
}

typedef struct {
    long max_conn, per_address, idle_s, header_ms, body_ms;
} limits_t;

static int read_limits(duban_conf_t *conf, limits_t *l)
{
    char errbuf[256];
    static const struct { const char *key; size_t off; } keys[] = { /* defaults: conf_keys.c */
        {"status.http.max.connections", offsetof(limits_t, max_conn)},
        {"status.http.max.connections.per.address", offsetof(limits_t, per_address)},
        {"status.http.idle.timeout.s", offsetof(limits_t, idle_s)},
        {"status.http.header.timeout.ms", offsetof(limits_t, header_ms)},
        {"status.http.body.timeout.ms", offsetof(limits_t, body_ms)},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        long *v = (long *)((char *)l + keys[i].off);
        if (duban_conf_int(conf, keys[i].key, v, errbuf, sizeof(errbuf)) || *v < 1) {
            fprintf(stderr, "duban-status: %s: not a positive number\n", keys[i].key);
            return 2;
        }
    }
    return 0;
}

/* Everything but the HTTP daemon; 0 or an exit status. */
static int service_start(status_service_t *svc, duban_conf_t *conf)
{
    char errbuf[1024];
    const char *path = duban_conf_str(conf, "status.tokens.file");
    for (int i = 0; i < STATUS_STRIPES; i++)
        pthread_mutex_init(&svc->stripes[i], NULL);
    if (duban_conf_str(conf, "status.auth.tokens")) {
        fprintf(stderr, "duban-status: status.auth.tokens (one shared token) is gone: give "
                "each department and supervising office its own token "
                "(duban-status token add, status.tokens.file)\n");
        return 2;
    }
    if (!path || !*path) {
        fprintf(stderr, "duban-status: no status.tokens.file (make one with duban-status "
                "--set status.tokens.file=F token add --department NAME)\n");
        return 2;
    }
    duban_ladder_conf_t lc;
    if (duban_ladder_conf_from(conf, &lc, errbuf, sizeof(errbuf)) ||
        duban_calendar_new(&svc->cal, errbuf, sizeof(errbuf)) ||
        duban_calendar_load_files(svc->cal, duban_conf_str(conf, "alerter.calendar.files"),
                                  errbuf, sizeof(errbuf)) ||
        status_tokens_open(path, &svc->tokens, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-status: %s\n", errbuf);
        return 2;
    }
    long ttl;
    if (duban_conf_int(conf, "status.idempotency.ttl.ms", &ttl, errbuf,
                            sizeof(errbuf)) || ttl < 1000) {
        fprintf(stderr, "duban-status: status.idempotency.ttl.ms: at least 1000\n");
        return 2;
    }
    svc->conf = conf;
    svc->idem = status_idem_new(ttl, 100000);
    svc->state = status_state_new(svc->cal, lc.yellow_days);
    if (status_feed_start(conf, svc->state, svc->idem, &svc->feed, errbuf, sizeof(errbuf)) ||
        status_sender_new(conf, true, &svc->sender, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    size_t live = status_tokens_live(svc->tokens);
    if (!live)
        duban_warn("AUTH", "no live token in %s: every request but /healthz gets 401 until "
                   "one is added (duban-status token add)", path);
    else
        duban_info("AUTH", "%zu live tokens in %s", live, path);
    return 0;
}

static void service_stop(status_service_t *svc)
{
    status_sender_destroy(svc->sender);
    status_feed_stop(svc->feed);
    status_state_destroy(svc->state);
    status_idem_destroy(svc->idem);
    status_tokens_destroy(svc->tokens);
    duban_calendar_destroy(svc->cal);
    for (int i = 0; i < STATUS_STRIPES; i++)
        pthread_mutex_destroy(&svc->stripes[i]);
}

/* ---- the listener, the gate and the library ---- */

/* A bound, listening socket; -1 with errno set. *bound: its port. */
static int open_listener(const struct sockaddr_storage *sa, socklen_t salen, unsigned *bound)
{
    int one = 1, fd = socket(sa->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_storage got;
    socklen_t glen = sizeof(got);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (sa->ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)sa, salen) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&got, &glen) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *bound = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                             : ((struct sockaddr_in *)&got)->sin_port);
    return fd;
}

static void gate_handoff(void *arg, int fd, const struct sockaddr *sa, socklen_t salen)
{
    server_t *sv = arg;
    if (MHD_add_connection(sv->daemon, fd, sa, salen) != MHD_YES)   /* it closed fd */
        duban_debug("HTTP", "connection not taken by the server: %s", strerror(errno));
}

static void gate_answered(void *arg, unsigned status)
{
    server_t *sv = arg;
    status_ops_answer(sv->ops, status);
}

/* The library (no listening socket of its own) and the gate in front of
 * it; 0, or -1 with the reason on stderr. */
static int start_http(server_t *sv, const limits_t *lim, const struct sockaddr_storage *sa,
                      socklen_t salen, status_gate_t **gate, unsigned *bound)
{
    char errbuf[256];
    int fd = open_listener(sa, salen, bound);
    if (fd < 0) {
        fprintf(stderr, "duban-status: cannot listen: %s\n", strerror(errno));
        return -1;
    }
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
    sv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, sv,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, sv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, sv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)lim->max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)lim->per_address,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)lim->idle_s, MHD_OPTION_END);
    if (!sv->daemon) {
        fprintf(stderr, "duban-status: cannot start the HTTP server: %s\n", strerror(errno));
        close(fd);
        return -1;
    }
    status_gate_conf_t gc = {.max_conn = lim->max_conn, .per_address = lim->per_address,
                             .header_ms = lim->header_ms, .handoff = gate_handoff,
                             .answered = gate_answered, .arg = sv};
    if (status_gate_start(fd, &gc, gate, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-status: %s\n", errbuf);
        close(fd);
        MHD_stop_daemon(sv->daemon);
        return -1;
    }
    return 0;
}

int status_serve(duban_conf_t *conf, const char *listen, const status_clock_t *clk)
{
    limits_t lim;
    if (read_limits(conf, &lim))
        return 2;
    struct sockaddr_storage sa;
    socklen_t salen;
    char host[256];
    unsigned port;
    if (parse_listen(listen, &sa, &salen, host, sizeof(host), &port) != 0) {
        fprintf(stderr, "duban-status: --listen %s: want HOST:PORT (e.g. 127.0.0.1:8080)\n",
                listen);
        return 2;
    }
    status_service_t svc = {.clock = *clk};
    int rc = service_start(&svc, conf);
    if (rc) {
        service_stop(&svc);
        return rc;
    }
    char errbuf[512];
    status_ops_t ops;
    if (status_ops_start(&ops, &svc, conf, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "duban-status: %s\n", errbuf);
        status_ops_stop(&ops);
        service_stop(&svc);
        return 2;
    }
    duban_shutdown_install();
    signal(SIGPIPE, SIG_IGN);
    server_t sv = {.svc = &svc, .ops = &ops, .header_ms = lim.header_ms, .body_ms = lim.body_ms};
    pthread_mutex_init(&sv.mu, NULL);
    if (pthread_create(&sv.thread, NULL, watchdog_main, &sv) != 0) {
        status_ops_stop(&ops);
        service_stop(&svc);
        return 1;
    }
    status_gate_t *gate = NULL;
    unsigned bound;
    if (start_http(&sv, &lim, &sa, salen, &gate, &bound) != 0) {
        atomic_store(&sv.stop, true);
        pthread_join(sv.thread, NULL);
        status_ops_stop(&ops);
        service_stop(&svc);
        return 1;
    }
    if (strchr(host, ':'))
        printf("[%s]:%u\n", host, bound);
    else
        printf("%s:%u\n", host, bound);
    fflush(stdout);
    duban_info("HTTP", "listening on %s:%u", host, bound);
    while (!duban_shutdown_requested()) {
        usleep(100000);
        pthread_mutex_lock(&sv.mu);
        uint64_t cut = sv.cut;
        pthread_mutex_unlock(&sv.mu);
        status_ops_refresh(&ops, cut + status_gate_cut(gate));
    }
    duban_info("HTTP", "shutting down");
    uint64_t gate_cut = status_gate_cut(gate);
    status_gate_stop(gate);   /* no new connections, then: */
    MHD_stop_daemon(sv.daemon); /* waits for requests in flight (and their deliveries) */
    status_ops_stop(&ops);
    duban_info("STATS", "writes answered 202: %llu; connections cut at a deadline: %llu",
               (unsigned long long)atomic_load(&svc.accepted),
               (unsigned long long)(sv.cut + gate_cut));
    atomic_store(&sv.stop, true);
    pthread_join(sv.thread, NULL);
    pthread_mutex_destroy(&sv.mu);
    service_stop(&svc);
    return 0;
}
