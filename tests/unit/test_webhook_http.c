/* Webhook transport against an in-process HTTP/1.1 server: keep-alive
 * reuse, a server closing an idle kept-alive connection (the engine keeps
 * idle sockets in its epoll set) while another request is in flight — no
 * busy loop, and the next request goes out on a new connection — and the
 * address check. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "date.h"
#include "webhook_http.h"

static int listen_fd;
static unsigned short port;
static atomic_int accepted;

/* Reads one request (headers + Content-Length body); its path into path. */
static int read_request(int fd, char *path, size_t path_size)
{
    char buf[8192] = "";
    size_t len = 0;
    char *end = NULL;
    while (!(end = strstr(buf, "\r\n\r\n"))) {
        ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
    }
    const char *cl = strcasestr(buf, "content-length:");
    size_t want = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
    while (len < want) {
        ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
    }
    if (sscanf(buf, "POST %255s", path) != 1 || path_size < 256)
        return -1;
    return 0;
}

/* One connection: "/slow" answers after 300 ms; "/close-idle" answers and
 * closes the connection 50 ms later (an idle keep-alive timeout). */
static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char path[256];
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    while (read_request(fd, path, sizeof(path)) == 0) {
        if (strcmp(path, "/slow") == 0)
            usleep(300000);
        if (write(fd, ok, sizeof(ok) - 1) < 0)
            break;
        if (strcmp(path, "/close-idle") == 0) {
            usleep(50000);
            break;
        }
    }
    close(fd);
    return NULL;
}

static void *acceptor(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        accepted++;
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

typedef struct {
    int done;
    long status[8];
} results_t;

static void on_done(const duban_webhook_http_result_t *res, void *opaque)
{
    results_t *r = opaque;
    r->status[(intptr_t)res->opaque] = res->http_status;
    r->done++;
}

static void submit(duban_webhook_http_t *h, const char *path, intptr_t slot)
{
    duban_webhook_request_t req;
    duban_webhook_request_init(&req);
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port, path);
    req.url = strdup(url);
    req.body = strdup("{}");
    req.body_len = 2;
    duban_strlist_push(&req.headers, "Content-Type: application/json");
    CHECK_INT(duban_webhook_http_submit(h, &req, 5000, 2000, (void *)slot, NULL, 0), 0);
}

/* Runs until `want` requests are done; returns how many _run turns it took. */
static long run_until(duban_webhook_http_t *h, results_t *r, int want)
{
    long turns = 0;
    int64_t until = duban_now_ms() + 5000;
    while (r->done < want && duban_now_ms() < until) {
        duban_webhook_http_run(h, 50);
        turns++;
    }
    return turns;
}

static void test_idle_close(void)
{
    results_t r = {0};
    duban_webhook_http_opts_t o;
    duban_webhook_http_opts_default(&o);
    o.allow_private = true;
    o.max_inflight = 4;
    duban_webhook_http_t *h = NULL;
    CHECK_INT(duban_webhook_http_new(&o, on_done, &r, &h, NULL, 0), 0);
    if (!h)
        return;
    /* two connections: one answers at once and is then closed by the
     * server while idle, the other answers after 300 ms. Meanwhile the
     * engine waits in epoll rather than spinning on the closed idle socket
     * (a few turns of up to 50 ms; a level-triggered EOF left in the set
     * would make thousands) */
    submit(h, "/close-idle", 0);
    submit(h, "/slow", 1);
    long turns = run_until(h, &r, 2);
    CHECK_INT(r.status[0], 200);
    CHECK_INT(r.status[1], 200);
    CHECK(turns < 100);
    CHECK_INT(accepted, 2);
    /* the next two requests go out, on the surviving connection or on a
     * new one, never on the closed one (curl's liveness check drops it) */
    submit(h, "/x", 2);
    submit(h, "/x", 3);
    run_until(h, &r, 4);
    CHECK_INT(r.status[2], 200);
    CHECK_INT(r.status[3], 200);
    CHECK(accepted <= 3);
    duban_webhook_http_destroy(h);
}

static void test_refused(void)
{
    results_t r = {0};
    duban_webhook_http_opts_t o;
    duban_webhook_http_opts_default(&o);  /* internal addresses refused */
    duban_webhook_http_t *h = NULL;
    CHECK_INT(duban_webhook_http_new(&o, on_done, &r, &h, NULL, 0), 0);
    if (!h)
        return;
    submit(h, "/x", 0);
    run_until(h, &r, 1);
    CHECK_INT(r.done, 1);
    CHECK_INT(r.status[0], 0);
    duban_webhook_http_destroy(h);
}

int main(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof(sa);
    listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(listen_fd, 16) != 0 || getsockname(listen_fd, (struct sockaddr *)&sa, &sl) != 0) {
        perror("listen");
        return 1;
    }
    port = ntohs(sa.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, acceptor, NULL);
    pthread_detach(t);
    test_idle_close();
    test_refused();
    return CHECK_DONE();
}
