/* Webhook transport against an in-process HTTP/1.1 server: keep-alive
 * reuse, a server closing an idle kept-alive connection (the engine keeps
 * idle sockets in its epoll set) while another request is in flight — no
 * busy loop, and the next request goes out on a new connection — and the
 * address check; each with threads = 1, 2 and 3 (the caller's engine
 * and one or two workers). With workers: callbacks on the caller's thread, each exactly once, capacity
 * accounting, the connection limit shared out, destroy with requests in
 * flight. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
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
static atomic_int answered_x;   /* responses written for "/x" */
static atomic_int after_seen;   /* "/after-close" requests read */
static atomic_int idle_closed;  /* "/close-idle" connections closed */
static atomic_int closed_first; /* "/after-close" answered after such a close */

static atomic_int destroyed;   /* transports destroyed by test_destroy_inflight */
static atomic_int slow_round;  /* "/slow" answers once destroyed passes it */

/* The counters above change only through bump(), so a thread can wait for
 * one to pass a value (a condition, not a sleep). */
static pthread_mutex_t counters_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t counters_cv = PTHREAD_COND_INITIALIZER;

static void bump(atomic_int *counter)
{
    pthread_mutex_lock(&counters_mu);
    atomic_fetch_add(counter, 1);
    pthread_cond_broadcast(&counters_cv);
    pthread_mutex_unlock(&counters_mu);
}

/* Waits (5 s at most) until *counter > than; whether it did. */
static bool wait_above(atomic_int *counter, int than)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 5;
    pthread_mutex_lock(&counters_mu);
    int rc = 0;
    while (atomic_load(counter) <= than && rc == 0)
        rc = pthread_cond_timedwait(&counters_cv, &counters_mu, &until);
    bool ok = atomic_load(counter) > than;
    pthread_mutex_unlock(&counters_mu);
    return ok;
}

static bool wait_flag(atomic_int *flag)
{
    return wait_above(flag, 0);
}

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

/* One connection: "/slow" answers only once the transport that sent it has
 * been destroyed (requests on the wire at the destroy; 5 s at most).
 * "/close-idle" answers, then closes the connection once an "/after-close"
 * request has arrived (an idle keep-alive timeout while another request is
 * in flight); "/after-close" answers 100 ms after that close. */
static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char path[256];
    bool idle_close = false;
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    while (read_request(fd, path, sizeof(path)) == 0) {
        if (strcmp(path, "/slow") == 0)
            wait_above(&destroyed, atomic_load(&slow_round));
        if (strcmp(path, "/after-close") == 0) {
            bump(&after_seen);
            if (wait_flag(&idle_closed))
                atomic_store(&closed_first, 1);
            /* The subject of test_idle_close, not a wait for something: a
             * 100 ms stretch with the closed idle socket in the engine's
             * set, in which a busy loop on it would show as many turns. */
            usleep(100000);
        }
        if (write(fd, ok, sizeof(ok) - 1) < 0)
            break;
        if (strcmp(path, "/x") == 0)
            bump(&answered_x);
        if (strcmp(path, "/close-idle") == 0) {
            wait_flag(&after_seen);
            idle_close = true;
            break;
        }
    }
    close(fd);
    if (idle_close)
        bump(&idle_closed);
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

static int threads = 1;  /* of the engines under test */

typedef struct {
    int done;
    long status[16];
    int calls[16];
    bool foreign_thread;  /* a callback ran on another thread */
    bool body_ok;         /* every 200's body was "ok" */
} results_t;

static pthread_t main_thread;

static void on_done(const duban_webhook_http_result_t *res, void *opaque)
{
    results_t *r = opaque;
    intptr_t slot = (intptr_t)res->opaque;
    r->status[slot] = res->http_status;
    r->calls[slot]++;
    r->done++;
    if (!pthread_equal(pthread_self(), main_thread))
        r->foreign_thread = true;
    if (res->http_status == 200 && strcmp(res->body, "ok") != 0)
        r->body_ok = false;
}

static duban_webhook_http_t *new_engine(results_t *r, int max_inflight, bool allow_private)
{
    duban_webhook_http_opts_t o;
    duban_webhook_http_opts_default(&o);
    o.allow_private = allow_private;
    if (max_inflight)
        o.max_inflight = max_inflight;
    o.threads = threads;
    duban_webhook_http_t *h = NULL;
    *r = (results_t){.body_ok = true};
    CHECK_INT(duban_webhook_http_new(&o, on_done, r, &h, NULL, 0), 0);
    return h;
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
    results_t r;
    accepted = 0;
    duban_webhook_http_t *h = new_engine(&r, 4, true);
    if (!h)
        return;
    /* two connections: one answers at once and is then closed by the
     * server while idle, the other answers 100 ms after that close.
     * Meanwhile the engine waits in epoll rather than spinning on the
     * closed idle socket (a few turns of up to 50 ms; a level-triggered EOF
     * left in the set would make thousands) */
    atomic_store(&after_seen, 0);
    atomic_store(&idle_closed, 0);
    atomic_store(&closed_first, 0);
    submit(h, "/close-idle", 0);
    submit(h, "/after-close", 1);
    long turns = run_until(h, &r, 2);
    CHECK_INT(r.status[0], 200);
    CHECK_INT(r.status[1], 200);
    CHECK(atomic_load(&closed_first));  /* the close came while it was out */
    CHECK(turns < 100);
    /* two connections; a third when a loaded machine let curl queue the
     * second request on the first connection just as the server closed it
     * (curl then retries it on a fresh one, as it should) */
    int first = accepted;
    CHECK(first == 2 || first == 3);
    /* the next two requests go out, on the surviving connection or on a
     * new one, never on the closed one (curl's liveness check drops it) */
    submit(h, "/x", 2);
    submit(h, "/x", 3);
    run_until(h, &r, 4);
    CHECK_INT(r.status[2], 200);
    CHECK_INT(r.status[3], 200);
    CHECK(accepted <= first + 1);
    CHECK(!r.foreign_thread);
    CHECK(r.body_ok);
    duban_webhook_http_destroy(h);
}

static void test_refused(void)
{
    results_t r;
    duban_webhook_http_t *h = new_engine(&r, 0, false);  /* internal addresses refused */
    if (!h)
        return;
    submit(h, "/x", 0);
    run_until(h, &r, 1);
    CHECK_INT(r.done, 1);
    CHECK_INT(r.status[0], 0);
    CHECK(!r.foreign_thread);
    duban_webhook_http_destroy(h);
}

/* max_inflight requests at once and no more (E_AGAIN), each called back
 * exactly once on this thread, capacity back to full; never more
 * connections than max_inflight. */
static void test_capacity(void)
{
    results_t r;
    accepted = 0;
    duban_webhook_http_t *h = new_engine(&r, 6, true);
    if (!h)
        return;
    for (int round = 0; round < 2; round++) {
        for (intptr_t i = 0; i < 6; i++) {
            CHECK_INT(duban_webhook_http_capacity(h), 6 - (int)i);
            submit(h, "/x", round * 6 + i);
        }
        CHECK_INT(duban_webhook_http_inflight(h), 6);
        CHECK_INT(duban_webhook_http_capacity(h), 0);
        duban_webhook_request_t req;
        duban_webhook_request_init(&req);
        req.url = strdup("http://127.0.0.1:1/x");
        CHECK_INT(duban_webhook_http_submit(h, &req, 1000, 1000, (void *)15, NULL, 0),
                  DUBAN_E_AGAIN);
        CHECK(req.url == NULL);  /* stolen and freed */
        run_until(h, &r, (round + 1) * 6);
        CHECK_INT(duban_webhook_http_inflight(h), 0);
        CHECK_INT(duban_webhook_http_capacity(h), 6);
    }
    duban_webhook_http_run(h, 20);  /* nothing more comes */
    CHECK_INT(r.done, 12);
    for (int i = 0; i < 12; i++) {
        CHECK_INT(r.calls[i], 1);
        CHECK_INT(r.status[i], 200);
    }
    CHECK_INT(r.calls[15], 0);
    CHECK(!r.foreign_thread);
    CHECK(r.body_ok);
    CHECK(accepted <= 6);
    duban_webhook_http_destroy(h);
}

/* Destroy with requests queued, on the wire, and finished but not yet
 * called back: no callback afterwards, nothing leaked (ASan). */
static void test_destroy_inflight(void)
{
    results_t r;
    duban_webhook_http_t *h = new_engine(&r, 8, true);
    if (!h)
        return;
    atomic_store(&slow_round, atomic_load(&destroyed));   /* before a /slow of this round is read */
    submit(h, "/slow", 0);
    submit(h, "/slow", 1);
    submit(h, "/x", 2);
    int before = atomic_load(&answered_x);
    duban_webhook_http_run(h, 0);  /* handed over: out on the wire */
    /* /x answered by the server (its worker finishes on its own time) */
    CHECK(wait_above(&answered_x, before));
    submit(h, "/slow", 3);         /* not yet handed over */
    duban_webhook_http_destroy(h);
    bump(&destroyed);              /* the /slow ones may answer now, to no one */
    CHECK(r.done <= 1);
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
    main_thread = pthread_self();
    signal(SIGPIPE, SIG_IGN);  /* a /slow answer to a destroyed client */
    for (threads = 1; threads <= 3; threads++) {
        test_idle_close();
        test_refused();
        test_capacity();
        test_destroy_inflight();
    }
    return CHECK_DONE();
}
