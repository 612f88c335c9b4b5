/* producers/status/status_feed.h: keeps duban-status's task state equal to
 * the log.
 *
 * One thread reads every partition of duban.tasks.v1 and
 * duban.task-status.v1 from the beginning and applies each event to the
 * store (status_state.h), in each partition's order, then follows the topics
 * live. It is not a consumer group member: any instance must answer for any
 * task, so each holds the whole state (and nothing is committed: the state
 * is rebuilt from the log on every start, like the alerter's). The feed is
 * ready once every partition has been read to the end it had at start.
 * A request that produced an event sees it applied before it answers, so
 * the next request sees it, and the state is always a prefix of the log,
 * whoever wrote to it (other instances, the CLI): once everything before the
 * event's offset in its partition is applied, the request applies its own
 * event (status_feed_apply_own) and the feed skips it when it reads it. A
 * request whose event is behind another request's in the same partition
 * waits for that one to apply, not for the feed's next fetch (the mock
 * broker parks an empty fetch for fetch.wait.max.ms, new data or not: that
 * was 10 ms for one request in seven under wrk). The service's events carry
 * the instance's writer id (STATUS_WRITER_HEADER, random per start): when
 * the feed reads one of its own instance's events before the request has
 * applied it, it waits for the request (up to a second, then applies it
 * itself) instead of decoding it too (that decoding was half a core under
 * wrk).
 * Idempotency records travel in the events' headers (status_idem.h) and are
 * learnt back here, so a retried request is answered after a restart too.
 * On the mock broker an empty fetch is answered only after
 * fetch.wait.max.ms, so the feed asks for 10 ms unless kafka.fetch.wait.max.ms
 * is set.
 * Owns:   its librdkafka consumer, its serde and thread.
 * Never:  produces; logs only bad messages (fac=FEED) and its progress.
 * Thread: status_feed_apply_own/_ready/_wait_ready from any thread. */
#ifndef DUBAN_STATUS_FEED_H
#define DUBAN_STATUS_FEED_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "conf.h"
#include "err.h"
#include "event.h"
#include "status_idem.h"
#include "status_state.h"

#define STATUS_IDEM_HEADER "duban.idempotency.key"
#define STATUS_IDEM_FP_HEADER "duban.request.sha256"
#define STATUS_WRITER_HEADER "duban.status.writer"

typedef struct status_feed_s status_feed_t;

/* Starts the thread (*out NEW). st and idem (may be NULL) are borrowed and
 * outlive the feed. */
duban_err_t status_feed_start(const duban_conf_t *conf, status_state_t *st,
                              status_idem_t *idem, status_feed_t **out, char *errbuf,
                              size_t errbuf_size);
/* Stops and joins the thread, frees. NULL is a no-op. */
void status_feed_stop(status_feed_t *f);

/* This instance's writer id (32 hex digits): the value of
 * STATUS_WRITER_HEADER on the events it produces. */
const char *status_feed_writer_id(const status_feed_t *f);

/* True once the history of every partition has been applied. */
bool status_feed_ready(status_feed_t *f);
/* Waits until it is; false after timeout_ms (the CLI's check reads the log
 * to its end before it decides). */
bool status_feed_wait_ready(status_feed_t *f, long timeout_ms);

/* fn(arg, topic, partition, lag) for every partition of both topics: the
 * high watermark librdkafka last saw minus the next offset to apply (0 when
 * none seen yet). Called under the feed's lock: fn must not call back. */
void status_feed_lag(status_feed_t *f, void (*fn)(void *arg, const char *topic,
                                                  int32_t partition, int64_t lag),
                     void *arg);

/* The event a request just delivered at offset of topic/partition (ev
 * borrowed): applied by the caller as soon as everything before it in the
 * partition is (at once when it is the partition's next event; else when
 * the writer of the offset before it, another request or the feed, moves
 * the partition on), or by the feed when it reads it first. Waits at most
 * timeout_ms; true when it is applied. */
bool status_feed_apply_own(status_feed_t *f, const char *topic, int32_t partition,
                           int64_t offset, duban_event_type_t type, const json_t *ev,
                           long timeout_ms);

#endif
