/* producers/status/serve.c: the HTTP intake of duban-status.
 *   POST /v1/tasks/{task_id}/status  JSON body -> 202 {"event_id",...} once the
 *                                    delivery report says delivered
 *   GET  /healthz                    200 {"status":"ok"}, 503 when the
 *                                    producer has a fatal error
 * libmicrohttpd, one thread per connection: a request thread blocks until its
 * own delivery report (sender.c) and nothing else waits on it. Bodies are
 * read whole (capped at DUBAN_STATUS_MAX_BODY; the rest is drained, never
 * stored) and answered when complete. Tokens are never logged. */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>
#include "buf.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "status.h"
#include "status_intake.h"

typedef struct {
    status_sender_t *sender;
    const char *tokens;
} server_t;

typedef struct {
    duban_buf_t body;   /* capped at DUBAN_STATUS_MAX_BODY: sticky TOO_LARGE */
    int64_t started_ms;
} upload_t;

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, json_t *body,
                               const char *allow)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    const char *out = text ? text : "{}";
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(out), (void *)out,
                                                             MHD_RESPMEM_MUST_COPY);
    free(text);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    if (allow)
        MHD_add_response_header(r, "Allow", allow);
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"duban-status\"");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static json_t *error_body(const char *msg, const char *field)
{
    return json_pack("{s:s, s:s*}", "error", msg, "field", field);
}

static void log_request(const char *method, const char *url, unsigned status,
                        const upload_t *u, const char *event_id)
{
    char kv[160];
    snprintf(kv, sizeof(kv), "status=%u ms=%lld%s%s", status,
             (long long)(duban_now_ms() - u->started_ms), event_id ? " event_id=" : "",
             event_id ? event_id : "");
    DUBAN_LOG(status >= 500 ? DUBAN_LOG_WARN : DUBAN_LOG_INFO, "HTTP", kv, "%s %s", method,
              url);
}

static enum MHD_Result post_status(server_t *sv, struct MHD_Connection *c, const char *url,
                                   const char *id, size_t id_len, const upload_t *u)
{
    char errbuf[512];
    const char *field = NULL;
    char *task_id = strndup(id, id_len);
    json_t *ev = NULL;
    duban_err_t err = DUBAN_E_NOMEM;
    if (task_id && u->body.err == DUBAN_E_TOO_LARGE) {
        field = "body";
        err = duban_seterr(errbuf, sizeof(errbuf), DUBAN_E_TOO_LARGE, "body: over %d bytes",
                           DUBAN_STATUS_MAX_BODY);
    } else if (task_id && !u->body.err) {
        err = duban_status_intake_from_json(task_id, u->body.len ? (char *)u->body.data : "",
                                            u->body.len, "http", duban_now_ms(), &ev, &field,
                                            errbuf, sizeof(errbuf));
    }
    free(task_id);
    if (err) {
        unsigned status = err == DUBAN_E_NOMEM ? 503 : 400;
        log_request("POST", url, status, u, NULL);
        if (status == 400)
            duban_debug("HTTP", "rejected: %s", errbuf);
        return respond(c, status, error_body(status == 503 ? "out of memory" : errbuf,
                                             status == 503 ? NULL : field), NULL);
    }
    const char *event_id = json_string_value(json_object_get(ev, "event_id"));
    status_receipt_t rc;
    err = status_sender_deliver(sv->sender, ev, &rc, errbuf, sizeof(errbuf));
    enum MHD_Result ret;
    if (err == DUBAN_E_SCHEMA || err == DUBAN_E_INVAL) {
        /* Not expected after the intake checks; serde's message names the field. */
        log_request("POST", url, 400, u, event_id);
        ret = respond(c, 400, error_body(errbuf, NULL), NULL);
    } else if (err) {
        log_request("POST", url, 503, u, event_id);
        duban_warn("PRODUCE", "%s", errbuf);
        ret = respond(c, 503, json_pack("{s:s, s:s}", "error", errbuf, "event_id", event_id),
                      NULL);
    } else {
        log_request("POST", url, 202, u, event_id);
        ret = respond(c, 202, json_pack("{s:s, s:s, s:i, s:I}", "event_id", event_id, "topic",
                                        DUBAN_TOPIC_TASK_STATUS, "partition", (int)rc.partition,
                                        "offset", (json_int_t)rc.offset),
                      NULL);
    }
    json_decref(ev);
    return ret;
}

static enum MHD_Result route(server_t *sv, struct MHD_Connection *c, const char *url,
                             const char *method, const upload_t *u)
{
    const char *id;
    size_t id_len;
    bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (strcmp(url, "/healthz") == 0) {
        char errbuf[300];
        if (!get)
            return respond(c, 405, error_body("method not allowed", NULL), "GET, HEAD");
        if (!status_sender_healthy(sv->sender, errbuf, sizeof(errbuf)))
            return respond(c, 503, json_pack("{s:s, s:s}", "status", "failing", "error",
                                             errbuf), NULL);
        return respond(c, 200, json_pack("{s:s}", "status", "ok"), NULL);
    }
    if (!duban_status_intake_route(url, &id, &id_len)) {
        log_request(method, url, 404, u, NULL);
        return respond(c, 404, error_body("not found (POST /v1/tasks/{task_id}/status)", NULL),
                       NULL);
    }
    if (strcmp(method, "POST") != 0) {
        log_request(method, url, 405, u, NULL);
        return respond(c, 405, error_body("method not allowed", NULL), "POST");
    }
    const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!duban_status_intake_authorized(sv->tokens, auth)) {
        log_request(method, url, 401, u, NULL);
        return respond(c, 401, error_body(auth ? "invalid bearer token"
                                               : "missing Authorization: Bearer token",
                                          NULL),
                       NULL);
    }
    return post_status(sv, c, url, id, id_len, u);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    upload_t *u = *con_cls;
    if (!u) {
        if (!(u = calloc(1, sizeof(*u))))
            return MHD_NO;
        duban_buf_init(&u->body, DUBAN_STATUS_MAX_BODY);
        u->started_ms = duban_now_ms();
        *con_cls = u;
        return MHD_YES;
    }
    if (*data_size) {
        duban_buf_append(&u->body, data, *data_size); /* past the cap: drained, not kept */
        *data_size = 0;
        return MHD_YES;
    }
    return route(cls, c, url, method, u);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    upload_t *u = *con_cls;
    if (u) {
        duban_buf_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
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

int status_serve(duban_conf_t *conf, const char *listen)
{
    char errbuf[1024];
    long max_conn;
    if (duban_conf_get_long(conf, "status.http.max.connections", 256, &max_conn, errbuf,
                            sizeof(errbuf)) || max_conn < 1) {
        fprintf(stderr, "duban-status: status.http.max.connections: not a positive number\n");
        return 2;
    }
    server_t sv = {.tokens = duban_conf_get(conf, "status.auth.tokens", NULL)};
    struct sockaddr_storage sa;
    socklen_t salen;
    char host[256];
    unsigned port;
    if (parse_listen(listen, &sa, &salen, host, sizeof(host), &port) != 0) {
        fprintf(stderr, "duban-status: --listen %s: want HOST:PORT (e.g. 127.0.0.1:8080)\n",
                listen);
        return 2;
    }
    if (status_sender_new(conf, true, &sv.sender, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    duban_shutdown_install();
    signal(SIGPIPE, SIG_IGN);
    if (!duban_status_intake_authorized(sv.tokens, NULL))
        duban_info("HTTP", "bearer-token authentication on");
    else
        duban_warn("HTTP", "no status.auth.tokens: every client may report status");
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (sa.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &sv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)max_conn,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "duban-status: cannot listen on %s: %s\n", listen, strerror(errno));
        status_sender_destroy(sv.sender);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned bound = info && info->port ? info->port : port;
    if (strchr(host, ':'))
        printf("[%s]:%u\n", host, bound);
    else
        printf("%s:%u\n", host, bound);
    fflush(stdout);
    duban_info("HTTP", "listening on %s:%u", host, bound);
    while (!duban_shutdown_requested())
        usleep(100000);
    duban_info("HTTP", "shutting down");
    MHD_stop_daemon(d); /* waits for requests in flight (and their deliveries) */
    status_sender_destroy(sv.sender);
    return 0;
}
