/* consumers/audit/audit.h: pieces of duban-audit shared by its files.
 * main.c picks the subcommand and reads the common options; each of
 * timeline.c, verify.c, digest.c and redrive.c is one subcommand; read.c
 * reads duban's topics (through common/wire/log_reader.h) for all of them.
 * Exit status of every subcommand: 0 all well, 1 a problem found (verify,
 * digest --check) or an operation failed, 2 a usage error. */
#ifndef DUBAN_AUDIT_H
#define DUBAN_AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <librdkafka/rdkafka.h>
#include "cli.h"
#include "conf.h"
#include "err.h"
#include "event.h"
#include "serde.h"

#define AUDIT_EXIT_OK 0
#define AUDIT_EXIT_PROBLEM 1
#define AUDIT_EXIT_USAGE 2

/* Headers of a re-published (redriven) message: the DLQ entry it came from
 * ("duban.dlq.v1:P:O", once per entry), where the message was first
 * ("TOPIC:P:O"), who redrove it, why it had been dead-lettered, and an id. */
#define AUDIT_HDR_REDRIVE_OF       "duban.redrive.of"
#define AUDIT_HDR_REDRIVE_ORIGINAL "duban.redrive.original"
#define AUDIT_HDR_REDRIVE_BY       "duban.redrive.by"
#define AUDIT_HDR_REDRIVE_REASON   "duban.redrive.reason"
#define AUDIT_HDR_REDRIVE_ID       "duban.redrive.id"

typedef struct {
    duban_conf_t *conf;
    const char *prefix;   /* --topic-prefix: read PREFIX + topic (a copy) */
} audit_t;

/* The topic duban-audit reads for a duban topic: prefix + name, in buf. */
const char *audit_topic(const audit_t *a, const char *name, char *buf, size_t size);

/* One message read back: its duban topic (without the prefix) and the
 * message (borrowed for the call). */
typedef int (audit_msg_cb)(const char *topic, const rd_kafka_message_t *msg, void *opaque);

/* Reads topics[0..n) (duban names; the prefix is added) from their oldest
 * message to the last one written before the call. Errors (a topic
 * missing, the broker gone) are logged; false then. */
bool audit_read(const audit_t *a, const char *const *topics, size_t n, audit_msg_cb *cb,
                void *opaque);

/* The last value of header `name` as a NUL-terminated string in buf (cut
 * to size); NULL when the message has no such header. */
const char *audit_header(const rd_kafka_message_t *msg, const char *name, char *buf,
                         size_t size);

/* The message's key as a NUL-terminated string in buf; "" when none. */
const char *audit_key(const rd_kafka_message_t *msg, char *buf, size_t size);

/* Decodes msg as an event of type `want`: NEW, or NULL when it is
 * undecodable or of another type (errbuf, when not NULL, says which). */
json_t *audit_decode(duban_serde_t *serde, const rd_kafka_message_t *msg,
                     duban_event_type_t want, char *errbuf, size_t errbuf_size);

/* A count in v (an offset, milliseconds: 0 or more, digits only) into
 * *out; -1 when v is not one. */
int audit_parse_count(const char *v, int64_t *out);

/* Parses a subcommand's own options after the common ones; prog->name is
 * "duban-audit SUB". Returns 0 to go on, 1 after --help, -1 on a usage
 * error (printed). Sets up logging and checks for brokers. */
int audit_start(const duban_program_t *prog, audit_t *a, int argc, char **argv, void *opts);

/* ---- the subcommands: argv[0] is the subcommand's name ---- */
int audit_timeline(audit_t *a, int argc, char **argv);
int audit_verify(audit_t *a, int argc, char **argv);
int audit_digest(audit_t *a, int argc, char **argv);
int audit_redrive(audit_t *a, int argc, char **argv);

#endif
