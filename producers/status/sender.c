/* producers/status/sender.c: one event at a time onto duban.task-status.v1,
 * each caller waiting for its own delivery report.
 * Every message carries a waiter as msg_opaque. The waiter is shared by the
 * caller and the delivery callback (refs = 2) and freed by whichever lets go
 * last, so a caller that gives up waiting never leaves the callback writing
 * into freed memory. Each waiter has a condition variable of its own: a
 * report wakes its caller only (one shared broadcast woke every request in
 * flight for each report, and they all fought for the mutex). The serde is one per thread by contract: encoding is
 * serialised by a mutex (it takes microseconds; delivery takes milliseconds). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "event.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "status.h"
#include "topics.h"

typedef struct {
    int refs;
    pthread_cond_t cv;      /* CLOCK_MONOTONIC; signalled by its report */
    bool done;
    duban_err_t err;
    char reason[200];
    int32_t partition;
    int64_t offset;
} waiter_t;

struct status_sender_s {
    duban_serde_t *serde;
    pthread_mutex_t serde_mu;
    duban_producer_t *producer;
    pthread_mutex_t mu;     /* guards every waiter */
    bool has_thread;
    pthread_t thread;
    atomic_bool stop;
    long wait_ms;
};

static void release(waiter_t *w)
{
    if (--w->refs == 0) {
        pthread_cond_destroy(&w->cv);
        free(w);
    }
}

static void on_delivery(duban_err_t err, const rd_kafka_message_t *msg, void *msg_opaque,
                        void *opaque)
{
    status_sender_t *s = opaque;
    waiter_t *w = msg_opaque;
    pthread_mutex_lock(&s->mu);
    w->done = true;
    w->err = err;
    w->partition = msg->partition;
    w->offset = msg->offset;
    if (msg->err)
        snprintf(w->reason, sizeof(w->reason), "%s", rd_kafka_err2str(msg->err));
    pthread_cond_signal(&w->cv);
    release(w);
    pthread_mutex_unlock(&s->mu);
}

static void *poll_main(void *arg)
{
    status_sender_t *s = arg;
    while (!atomic_load(&s->stop))
        duban_producer_poll(s->producer, 100);
    return NULL;
}

duban_err_t status_sender_new(duban_conf_t *conf, bool poll_thread, status_sender_t **out,
                              char *errbuf, size_t errbuf_size)
{
    long timeout_ms;
    duban_err_t err = duban_conf_int(conf, "status.delivery.timeout.ms",
                                          &timeout_ms, errbuf, errbuf_size);
    if (err)
        return err;
    if (timeout_ms < 1000)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "status.delivery.timeout.ms: at least 1000");
    if (!duban_conf_get(conf, "kafka.message.timeout.ms", NULL)) {
        char v[24];
        snprintf(v, sizeof(v), "%ld", timeout_ms);
        if ((err = duban_conf_set(conf, "kafka.message.timeout.ms", v, errbuf, errbuf_size)))
            return err;
    }
    /* Each report waits for its own delivery: batching delay is pure latency
     * (measured: 6.3 ms a request at linger.ms=5, 1.1 ms at 0). Concurrent
     * reports still share batches while a request is in flight. */
    if (!duban_conf_get(conf, "kafka.linger.ms", NULL) &&
        (err = duban_conf_set(conf, "kafka.linger.ms", "0", errbuf, errbuf_size)))
        return err;
    if ((err = duban_conf_get_long(conf, "kafka.message.timeout.ms", 30000, &timeout_ms,
                                   errbuf, errbuf_size)))
        return err;
    status_sender_t *s = calloc(1, sizeof(*s));
    if (!s)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    /* The answer comes when the setting says, report or not: librdkafka's own
     * timeout scan (with idempotence) reports a second or more later. A late
     * delivery is then an event the caller was told was not confirmed; a
     * retry with the same Idempotency-Key (or occurred_at) finds it. */
    s->wait_ms = timeout_ms;
    pthread_mutex_init(&s->serde_mu, NULL);
    pthread_mutex_init(&s->mu, NULL);
    if ((err = duban_topics_ensure_at_start(conf, errbuf, errbuf_size)) ||
        (err = duban_serde_new(conf, &s->serde, errbuf, errbuf_size)) ||
        (err = duban_producer_new(conf, on_delivery, s, &s->producer, errbuf, errbuf_size))) {
        status_sender_destroy(s);
        return err;
    }
    if (poll_thread) {
        if (pthread_create(&s->thread, NULL, poll_main, s) != 0) {
            status_sender_destroy(s);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "cannot start a thread");
        }
        s->has_thread = true;
    }
    *out = s;
    return DUBAN_OK;
}

void status_cond_init(pthread_cond_t *cv)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &ca);
    pthread_condattr_destroy(&ca);
}

struct timespec status_deadline_in(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static bool passed(const struct timespec *dl)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > dl->tv_sec || (now.tv_sec == dl->tv_sec && now.tv_nsec >= dl->tv_nsec);
}

duban_err_t status_sender_deliver(status_sender_t *s, const json_t *ev,
                                  status_receipt_t *receipt, char *errbuf,
                                  size_t errbuf_size)
{
    return status_sender_deliver_event(s, DUBAN_EV_TASK_STATUS_CHANGED, ev, NULL, 0, receipt,
                                       errbuf, errbuf_size);
}

duban_err_t status_sender_deliver_event(status_sender_t *s, duban_event_type_t type,
                                        const json_t *ev, const duban_kafka_header_t *headers,
                                        size_t header_count, status_receipt_t *receipt,
                                        char *errbuf, size_t errbuf_size)
{
    void *buf = NULL;
    size_t len = 0;
    const char *topic = duban_event_topic(type);
    pthread_mutex_lock(&s->serde_mu);
    duban_err_t err = duban_serde_encode(s->serde, type, topic, ev, &buf, &len, errbuf,
                                         errbuf_size);
    pthread_mutex_unlock(&s->serde_mu);
    if (err)
        return err;
    const char *key = json_string_value(json_object_get(ev, "task_id"));
    waiter_t *w = calloc(1, sizeof(*w));
    if (!w) {
        free(buf);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    }
    w->refs = 2;
    status_cond_init(&w->cv);
    err = duban_producer_send(s->producer, topic, -1, key, key ? strlen(key) : 0, buf, len,
                              headers, header_count, w, errbuf, errbuf_size);
    free(buf);
    if (err) {
        pthread_cond_destroy(&w->cv);
        free(w); /* never handed to librdkafka */
        return err;
    }
    struct timespec dl = status_deadline_in(s->wait_ms);
    pthread_mutex_lock(&s->mu);
    while (!w->done && !passed(&dl)) {
        if (s->has_thread) {
            pthread_cond_timedwait(&w->cv, &s->mu, &dl);
        } else {
            pthread_mutex_unlock(&s->mu);
            duban_producer_poll(s->producer, 100);
            pthread_mutex_lock(&s->mu);
        }
    }
    if (!w->done)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TIMEOUT,
                           "not confirmed by the broker within %ld ms (the broker may be "
                           "unreachable; a retry with the same Idempotency-Key is safe)",
                           s->wait_ms);
    else if (w->err)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "not delivered to %s: %s",
                           topic, w->reason);
    else if (receipt)
        *receipt = (status_receipt_t){w->partition, w->offset};
    release(w);
    pthread_mutex_unlock(&s->mu);
    return err;
}

bool status_sender_healthy(status_sender_t *s, char *errbuf, size_t errbuf_size)
{
    char reason[256] = "";
    if (rd_kafka_fatal_error(duban_producer_handle(s->producer), reason, sizeof(reason))) {
        duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "producer fatal error: %s", reason);
        return false;
    }
    return true;
}

bool status_sender_connected(status_sender_t *s, char *errbuf, size_t errbuf_size)
{
    if (!status_sender_healthy(s, errbuf, errbuf_size))
        return false;
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_resp_err_t err =
        rd_kafka_metadata(duban_producer_handle(s->producer), 0, NULL, &md, 1000);
    if (md)
        rd_kafka_metadata_destroy(md);
    if (err) {
        duban_seterr(errbuf, errbuf_size, DUBAN_E_KAFKA, "broker unreachable: %s",
                     rd_kafka_err2str(err));
        return false;
    }
    return true;
}

void status_sender_destroy(status_sender_t *s)
{
    if (!s)
        return;
    if (s->has_thread) {
        atomic_store(&s->stop, true);
        pthread_join(s->thread, NULL);
    }
    duban_producer_destroy(s->producer); /* flushes: late reports free their waiters */
    duban_serde_destroy(s->serde);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->serde_mu);
    free(s);
}
