/* consumers/notifier/notifier_int.h: the notifier's state, shared by its
 * files: notifier.c (the Kafka loop and deliveries), reload.c (endpoint
 * slots and the SIGHUP reload of the routing file). Not for other programs.
 * Thread: the notifier's, except eps_lock (see endpoint_index). */
#ifndef DUBAN_NOTIFIER_INT_H
#define DUBAN_NOTIFIER_INT_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "kafka.h"
#include "notifier.h"
#include "notifier_ops.h"
#include "resume.h"
#include "serde.h"
#include "strlist.h"
#include "webhook_http.h"
#include "webhook_policy.h"
#include "webhook_route.h"

/* Where an assigned partition is on its way to being read: it is assigned
 * paused, waits until no request of an earlier assignment of it is still
 * out (their outcomes must be on duban.deliveries.v1 before the set is
 * built), then its delivered set is built (resume.h), then it is read. */
typedef enum {
    PART_UNASSIGNED,
    PART_WAITING,              /* paused: alerts of an earlier assignment still open */
    PART_BUILDING,             /* paused: its delivered set is being built */
    PART_READING
} part_phase_t;

typedef struct {
    duban_webhook_offsets_t offs;
    int gen;
    bool assigned;
    part_phase_t phase;
    int stale;                 /* open alerts read before its last (re)assignment */
    int64_t retry_commit;      /* a commit that failed, tried again; -1 none */
    duban_webhook_delivered_t *resume;  /* pairs final before we got it; NULL none */
    int64_t resume_end;        /* the set covers offsets below this */
    int64_t next;              /* after the last alert read; -1 none since assigned */
} part_t;

/* An alert and a job are both given to the producer as a message's opaque
 * (the final outcome record of an alert, or of a job whose request holds
 * a slot until the record is durable); is_job, first in both, says which. */
typedef struct alert_s {
    bool is_job;               /* false */
    struct alert_s *prev, *next; /* every open alert, for shutdown */
    rd_kafka_message_t *msg;   /* kept for the dead-letter payload */
    json_t *ev;
    int32_t partition;
    int gen;
    int pending;               /* jobs without a final outcome */
    int acks;                  /* final records not yet acknowledged by Kafka */
} alert_t;

struct batch_s;

typedef struct job_s {
    bool is_job;               /* true */
    alert_t *a;
    struct batch_s *slot;      /* its sent batch, while the outcome record is not acked */
    const char *dept;          /* borrowed from a->ev */
    int64_t queued_at;
    struct job_s *next;
} job_t;

typedef struct batch_s {
    size_t ep;
    job_t **jobs;
    size_t n;
    int acks_left;             /* final records of its jobs not yet acked (slot held) */
    int attempt;               /* attempts made */
    int64_t due;
    struct batch_s *next;
} batch_t;

/* One endpoint slot. Slots are never removed or reordered while the
 * notifier runs (batches, the fair scheduler and the delivered sets name
 * them by index): a SIGHUP reload (reload.c) updates a slot whose id is in
 * the new file, appends one for a new id, and retires the others, which
 * finish what they were given under their old configuration. */
typedef struct {
    char *id;                  /* owned copy of cfg->id (cfg goes when retired) */
    const duban_webhook_endpoint_t *cfg;  /* borrowed from owner; NULL: retired, idle */
    duban_webhook_routes_t *owner;        /* the routing file cfg came from */
    bool retired;              /* not in the routing file any more */
    notifier_ep_metrics_t m;
    duban_webhook_limiter_t lim;
    duban_webhook_breaker_t brk;
    bool disabled;
    job_t *qhead, *qtail;
    size_t qlen;
    batch_t *retry;
    uint64_t delivered, dead;  /* alerts, for the STATS line */
} ep_t;

struct notifier_s {
    duban_conf_t *conf;
    duban_webhook_routes_t *routes;     /* the routing file in force */
    size_t *route_ep;          /* routes' endpoint i -> its slot in eps */
    duban_webhook_routes_t **old_routes; /* replaced, still owning retired slots' cfg */
    size_t old_count;
    uint64_t unknown_before;   /* unknown departments counted by replaced routes */
    pthread_mutex_t eps_lock;  /* eps and ids against the resumer's endpoint_index */
    ep_t *eps;
    size_t ep_count;
    duban_webhook_http_t *http;
    int http_threads;
    duban_webhook_fair_t fair; /* requests in flight per endpoint, turns */
    int share;                 /* slots one endpoint may hold, as of the last turn */
    notifier_resume_t *resume;
    duban_consumer_t *consumer;
    duban_producer_t *producer;
    duban_serde_t *serde;
    part_t *parts;
    int32_t part_count;
    long max_pending, commit_interval_ms;
    long alerts_open;
    alert_t *open;             /* list of open alerts */
    bool paused;
    bool produce_failed;       /* an outcome record was lost: commit no more */
    duban_strlist_t warned;    /* unknown departments already logged */
    int64_t last_commit, last_stats;
    uint64_t delivered, retrying, dead, disabled, requests, digests, bad_input;
    uint64_t resumed;          /* pairs not sent again: final before a restart */
    notifier_ops_t ops;
    int64_t last_gauges;
};

/* ---- reload.c ---- */
/* Endpoint slots for n->routes (at start): one per endpoint, in file order. */
duban_err_t notifier_endpoints_init(notifier_t *n);
/* Reads notifier.routes again. On success the new routing is in force for
 * the next alert read; on error (logged, with the file and what is wrong)
 * the old one stays. */
duban_err_t notifier_reload_routes(notifier_t *n);
/* Frees routing files no slot uses any more (retired slots that are idle
 * let go of theirs). */
void notifier_routes_sweep(notifier_t *n);
/* The slot of endpoint `id`, -1 when none (any thread: takes eps_lock). */
long notifier_endpoint_index(const char *id, void *opaque);
void notifier_endpoints_free(notifier_t *n);
/* Whether slot ep has nothing queued, retrying or held. */
bool notifier_endpoint_idle(const notifier_t *n, const ep_t *ep, size_t i);

#endif
