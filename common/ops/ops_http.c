/* common/ops/ops_http.c: /metrics and /healthz over libmicrohttpd (see
 * ops_http.h). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "alloc.h"
#include "buf.h"
#include "log.h"
#include "ops_http.h"

#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct duban_ops_http_s {
    struct MHD_Daemon *d;
    duban_metrics_t *metrics;
    duban_health_cb *health;
    void *opaque;
    char address[300];
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             const void *body, size_t len)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result serve_metrics(duban_ops_http_t *h, struct MHD_Connection *c)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_metrics_render(h->metrics, &b);
    enum MHD_Result ret = b.err ? reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "", 0)
                                : reply(c, MHD_HTTP_OK, METRICS_TYPE, b.data, b.len);
    duban_buf_free(&b);
    return ret;
}

/* The reason as a JSON string body: only printable ASCII is kept. */
static enum MHD_Result serve_health(duban_ops_http_t *h, struct MHD_Connection *c)
{
    char reason[256] = "", body[400], clean[256];
    bool ready = !h->health || h->health(h->opaque, reason, sizeof(reason));
    size_t n = 0;
    for (const char *p = reason; *p && n + 1 < sizeof(clean); p++)
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            clean[n++] = *p;
    clean[n] = '\0';
    int len = ready ? snprintf(body, sizeof(body), "{\"ready\":true}\n")
                    : snprintf(body, sizeof(body), "{\"ready\":false,\"reason\":\"%s\"}\n", clean);
    return reply(c, ready ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
                 body, (size_t)len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    duban_ops_http_t *h = cls;
    (void)version;
    (void)upload;
    (void)con_cls;
    if (*upload_size)
        *upload_size = 0;   /* a body is ignored */
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "", 0);
    if (!strcmp(url, "/metrics"))
        return serve_metrics(h, c);
    if (!strcmp(url, "/healthz"))
        return serve_health(h, c);
    return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n", 10);
}

/* "HOST:PORT" (HOST may be [v6]) into the first address it resolves to. */
static duban_err_t resolve(const char *listen, struct sockaddr_storage *sa, char *host,
                           size_t host_size, char *errbuf, size_t errbuf_size)
{
    const char *colon = strrchr(listen, ':');
    const char *h = listen;
    size_t hlen = colon ? (size_t)(colon - listen) : 0;
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    char *end = NULL;
    unsigned long port = colon ? strtoul(colon + 1, &end, 10) : 0;
    if (!colon || !hlen || hlen >= host_size || !colon[1] || *end || port > 65535 ||
        strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "ops.listen %s: want HOST:PORT (e.g. 127.0.0.1:9464)", listen);
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE |
                                                                     AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    if (rc || !res)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "ops.listen %s: %s", listen,
                            gai_strerror(rc));
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return DUBAN_OK;
}

duban_err_t duban_ops_http_start(const duban_conf_t *conf, duban_metrics_t *metrics,
                                 duban_health_cb *health, void *opaque,
                                 duban_ops_http_t **out, char *errbuf, size_t errbuf_size)
{
    const char *listen = duban_conf_str(conf, "ops.listen");
    struct sockaddr_storage sa;
    char host[256];
    *out = NULL;
    if (!listen || !*listen)
        return DUBAN_OK;
    duban_err_t err = resolve(listen, &sa, host, sizeof(host), errbuf, errbuf_size);
    if (err)
        return err;
    duban_ops_http_t *h = duban_xcalloc(1, sizeof(*h));
    *h = (duban_ops_http_t){.metrics = metrics, .health = health, .opaque = opaque};
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                     (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, 16u,
                            MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!h->d) {
        free(h);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "ops.listen %s: cannot listen: %s",
                            listen, strerror(errno));
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? (unsigned)info->port : 0u;
    if (strchr(host, ':'))
        snprintf(h->address, sizeof(h->address), "[%s]:%u", host, port);
    else
        snprintf(h->address, sizeof(h->address), "%s:%u", host, port);
    duban_info("OPS", "/metrics and /healthz on http://%s", h->address);
    *out = h;
    return DUBAN_OK;
}

const char *duban_ops_http_address(const duban_ops_http_t *h)
{
    return h->address;
}

void duban_ops_http_stop(duban_ops_http_t *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
