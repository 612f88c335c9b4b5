/* tools/broker/cap_watch.h: tells when duban-broker's mock cluster drops data.
 * librdkafka's mock keeps at most 5 MiB of record batches (or 100,000
 * batches) per partition and frees the oldest silently. A watcher reads every
 * partition's low and high watermarks through a client of its own, at most
 * once a second, and logs a warning naming topic and partition when one nears
 * the cap (held messages times the size of a sampled recent message, at 80 %)
 * and when its log start offset moves: it has started dropping.
 * Owns:   one librdkafka consumer handle (no group) and a partition table.
 * Never:  writes to the cluster, exits. Thread: the broker's control thread. */
#ifndef DUBAN_CAP_WATCH_H
#define DUBAN_CAP_WATCH_H

typedef struct cap_watch_s cap_watch_t;

/* NEW, or NULL (logged) when no client could be made: the broker runs on. */
cap_watch_t *cap_watch_new(const char *bootstraps);
/* Checks the partitions when a second has passed since the last check. */
void cap_watch_tick(cap_watch_t *w);
/* Logs how many messages each partition dropped in all. NULL is a no-op. */
void cap_watch_destroy(cap_watch_t *w);

#endif
