/* producers/status/status_gate.c: the gate of status_gate.h. One thread
 * polls the listening socket and the connections still waiting for their
 * first head; SO_RCVLOWAT makes poll wait for bytes beyond those already
 * peeked, so a half-sent head does not spin the loop. A refused connection
 * lingers (its input read and dropped) for LINGER_MS after the answer, so
 * that closing with unread input does not reset the answer away. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/tcp.h>
#include "log.h"
#include "status_gate.h"

enum { LINGER_MS = 500, LINGER_MAX = 1 << 20, ACCEPT_BATCH = 64 };
enum { WAITING, LINGERING };

typedef struct {
    int fd, phase, lowat;       /* lowat: SO_RCVLOWAT set on fd */
    int64_t deadline;
    struct sockaddr_storage sa;
    socklen_t salen;
} pending_t;

struct status_gate_s {
    status_gate_conf_t conf;
    int lfd;
    pthread_t thread;
    atomic_bool stop;
    atomic_uint_fast64_t cut;
    pending_t *p;
    size_t n;                   /* waiting or lingering, at most conf.max_conn */
    struct pollfd *pfd;
    char buf[STATUS_FRAMING_MAX_HEAD];
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- one socket ---- */

static void set_lowat(int fd, int *lowat, int want)
{
    if (*lowat != want && setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &want, sizeof(want)) == 0)
        *lowat = want;
}

static void peer_text(int fd, char *out, size_t size)
{
    struct sockaddr_storage sa;
    socklen_t salen = sizeof(sa);
    snprintf(out, size, "?");
    if (getpeername(fd, (struct sockaddr *)&sa, &salen) == 0)
        getnameinfo((struct sockaddr *)&sa, salen, out, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
}

/* The answer to a refused head, then no more output. */
static void answer(int fd, const status_framing_t *f)
{
    char msg[512], kv[128], peer[64];
    const char *reason = f->status == 431 ? "Request Header Fields Too Large" : "Bad Request";
    char body[200];
    int blen = snprintf(body, sizeof(body), "{\"error\":\"%s\"}", f->why);
    int n = snprintf(msg, sizeof(msg),
                     "HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                     f->status, reason, blen, body);
    if (n > 0 && (size_t)n < sizeof(msg))
        (void)!send(fd, msg, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
    shutdown(fd, SHUT_WR);
    peer_text(fd, peer, sizeof(peer));
    snprintf(kv, sizeof(kv), "status=%u from=%s", f->status, peer);
    DUBAN_LOG(DUBAN_LOG_INFO, "HTTP", kv, "refused before the server: %s (connection closed)",
              f->why);
}

/* Reads and drops what is there; false at EOF, on an error or past `max`. */
static bool drain(int fd, size_t *total)
{
    char junk[4096];
    for (;;) {
        ssize_t r = recv(fd, junk, sizeof(junk), MSG_DONTWAIT);
        if (r > 0) {
            *total += (size_t)r;
            if (*total > LINGER_MAX)
                return false;
            continue;
        }
        return r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
    }
}

status_framing_verdict_t status_gate_peek(int fd, status_framing_t *f)
{
    char buf[STATUS_FRAMING_MAX_HEAD];
    ssize_t r = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
    return status_framing_check(buf, r > 0 ? (size_t)r : 0, sizeof(buf), f);
}

/* Queued bytes first, then bytes received: bytes that arrive in between
 * only make the answer larger (never hide bytes the reader holds). */
static int64_t consumed_once(int fd, int *queued)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    memset(&ti, 0, sizeof(ti));
    if (ioctl(fd, FIONREAD, queued) != 0 ||
        getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
        len < offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(ti.tcpi_bytes_received))
        return -1;
    return (int64_t)ti.tcpi_bytes_received - *queued;
}

int64_t status_gate_consumed(int fd, bool exact)
{
    for (int tries = 0; tries < 5; tries++) {
        int before, after;
        int64_t n = consumed_once(fd, &before);
        if (n < 0 || !exact)
            return n;
        if (ioctl(fd, FIONREAD, &after) != 0)
            return -1;
        if (before == after)   /* nothing arrived meanwhile: exact */
            return n;
    }
    return -1;
}

/* The answer, then what the client still sends is read and dropped for
 * LINGER_MS (or until it closes), so the close does not reset the answer
 * away; then the socket is shut for the library. */
static void answer_and_linger(int fd, const status_framing_t *f)
{
    size_t total = 0;
    int64_t linger = mono_ms() + LINGER_MS;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    answer(fd, f);
    while (drain(fd, &total) && mono_ms() < linger &&
           poll(&p, 1, (int)(linger - mono_ms())) >= 0)
        ;
    shutdown(fd, SHUT_RDWR);
}

status_gate_next_t status_gate_next(int fd, long wait_ms, status_framing_t *f)
{
    char buf[STATUS_FRAMING_MAX_HEAD];
    int64_t end = mono_ms() + wait_ms;
    int lowat = 1;
    status_gate_next_t out = STATUS_GATE_NEXT_GONE;
    for (;;) {
        int64_t left = end - mono_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = poll(&p, 1, left > 0 ? (int)left : 0);
        if (ready == 0 || (ready < 0 && errno != EINTR))
            break;   /* no head in time (the watchdog cuts such a one), or an error */
        ssize_t r = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            break;
        status_framing_verdict_t v = status_framing_check(buf, r > 0 ? (size_t)r : 0,
                                                          sizeof(buf), f);
        if (v == STATUS_FRAMING_OK) {
            out = STATUS_GATE_NEXT_OK;
            break;
        }
        if (v == STATUS_FRAMING_BAD) {
            set_lowat(fd, &lowat, 1);
            answer_and_linger(fd, f);
            out = STATUS_GATE_NEXT_REFUSED;
            break;
        }
        set_lowat(fd, &lowat, r > 0 ? (int)r + 1 : 1);   /* wake for more than this */
    }
    set_lowat(fd, &lowat, 1);
    return out;
}

/* ---- the gate's thread ---- */

static bool same_address(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return false;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)b)->sin_addr.s_addr;
    if (a->ss_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return true;
}

static long from_address(const status_gate_t *g, const struct sockaddr_storage *sa)
{
    long n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += same_address(&g->p[i].sa, sa);
    return n;
}

static void accept_some(status_gate_t *g, int64_t now)
{
    for (int i = 0; i < ACCEPT_BATCH; i++) {
        pending_t k = {.phase = WAITING, .lowat = 1, .deadline = now + g->conf.header_ms,
                       .salen = sizeof(k.sa)};
        k.fd = accept4(g->lfd, (struct sockaddr *)&k.sa, &k.salen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (k.fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                duban_warn("HTTP", "accept: %s", strerror(errno));
            return;
        }
        if (g->n >= (size_t)g->conf.max_conn || from_address(g, &k.sa) >= g->conf.per_address) {
            close(k.fd);   /* over a cap: refused at once, as the server does */
            continue;
        }
        g->p[g->n++] = k;
    }
}

static void drop(status_gate_t *g, size_t i)
{
    g->p[i] = g->p[--g->n];
}

/* Something to read on a waiting connection: its head may be complete. */
static void on_readable(status_gate_t *g, size_t i, int64_t now)
{
    pending_t *k = &g->p[i];
    if (k->phase == LINGERING) {
        size_t total = 0;
        if (!drain(k->fd, &total)) {
            close(k->fd);
            drop(g, i);
        }
        return;
    }
    status_framing_t f;
    ssize_t r = recv(k->fd, g->buf, sizeof(g->buf), MSG_PEEK | MSG_DONTWAIT);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (r <= 0) {
        close(k->fd);
        drop(g, i);
        return;
    }
    switch (status_framing_check(g->buf, (size_t)r, sizeof(g->buf), &f)) {
    case STATUS_FRAMING_MORE:
        set_lowat(k->fd, &k->lowat, (int)r + 1);
        return;
    case STATUS_FRAMING_BAD:
        set_lowat(k->fd, &k->lowat, 1);
        answer(k->fd, &f);
        if (g->conf.answered)
            g->conf.answered(g->conf.arg, f.status);
        k->phase = LINGERING;
        k->deadline = now + LINGER_MS;
        return;
    case STATUS_FRAMING_OK:
        set_lowat(k->fd, &k->lowat, 1);
        pending_t h = *k;
        drop(g, i);
        g->conf.handoff(g->conf.arg, h.fd, (struct sockaddr *)&h.sa, h.salen);
        return;
    }
}

static void on_deadline(status_gate_t *g, size_t i)
{
    if (g->p[i].phase == WAITING) {
        atomic_fetch_add(&g->cut, 1);
        duban_info("HTTP", "connection closed: headers not complete after %ld ms",
                   g->conf.header_ms);
    }
    close(g->p[i].fd);
    drop(g, i);
}

static void *gate_main(void *arg)
{
    status_gate_t *g = arg;
    while (!atomic_load(&g->stop)) {
        int64_t now = mono_ms(), wake = now + 100;
        g->pfd[0] = (struct pollfd){.fd = g->lfd, .events = POLLIN};
        for (size_t i = 0; i < g->n; i++) {
            g->pfd[i + 1] = (struct pollfd){.fd = g->p[i].fd, .events = POLLIN};
            if (g->p[i].deadline < wake)
                wake = g->p[i].deadline;
        }
        size_t n = g->n;
        int r = poll(g->pfd, (nfds_t)n + 1, wake > now ? (int)(wake - now) : 0);
        if (r < 0 && errno != EINTR) {
            duban_error("HTTP", "poll: %s", strerror(errno));
            usleep(100000);
            continue;
        }
        now = mono_ms();
        /* backwards: drop() moves the last entry into the hole */
        for (size_t i = n; i-- > 0;) {
            if (g->pfd[i + 1].revents)
                on_readable(g, i, now);
            else if (now >= g->p[i].deadline)
                on_deadline(g, i);
        }
        if (g->pfd[0].revents & POLLIN)
            accept_some(g, now);
    }
    return NULL;
}

duban_err_t status_gate_start(int listen_fd, const status_gate_conf_t *conf,
                              status_gate_t **out, char *errbuf, size_t errbuf_size)
{
    status_gate_t *g = calloc(1, sizeof(*g));
    if (g) {
        g->p = calloc((size_t)conf->max_conn, sizeof(*g->p));
        g->pfd = calloc((size_t)conf->max_conn + 1, sizeof(*g->pfd));
    }
    if (!g || !g->p || !g->pfd) {
        if (g) {
            free(g->p);
            free(g->pfd);
        }
        free(g);
        snprintf(errbuf, errbuf_size, "gate: out of memory");
        return DUBAN_E_NOMEM;
    }
    g->conf = *conf;
    g->lfd = listen_fd;
    atomic_init(&g->stop, false);
    atomic_init(&g->cut, 0);
    if (pthread_create(&g->thread, NULL, gate_main, g) != 0) {
        free(g->p);
        free(g->pfd);
        free(g);
        snprintf(errbuf, errbuf_size, "gate: cannot start its thread");
        return DUBAN_E_NOMEM;
    }
    *out = g;
    return DUBAN_OK;
}

uint64_t status_gate_cut(status_gate_t *g)
{
    return g ? atomic_load(&g->cut) : 0;
}

void status_gate_stop(status_gate_t *g)
{
    if (!g)
        return;
    atomic_store(&g->stop, true);
    pthread_join(g->thread, NULL);
    for (size_t i = 0; i < g->n; i++)
        close(g->p[i].fd);
    close(g->lfd);
    free(g->p);
    free(g->pfd);
    free(g);
}
