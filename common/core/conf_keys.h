/* common/core/conf_keys.h: the catalogue of duban's settings. Every key a
 * duban program reads is one row here (key, type, default, the programs
 * that read it, help): --help prints a program's rows, the README's key
 * lists are checked against them (tests/unit/test_conf_keys.c), the typed
 * getters of conf.h take their defaults from them, and duban_conf_check
 * refuses a key that is in no row, naming the file and line it came from.
 * Keys under kafka. are librdkafka's own and are not listed: librdkafka
 * checks them when the client is made.
 * Owns:   the table (static data). Never: allocates, logs. Thread: any. */
#ifndef DUBAN_CONF_KEYS_H
#define DUBAN_CONF_KEYS_H
#include <stddef.h>
#include <stdio.h>

typedef enum {
    DUBAN_KEY_STRING,
    DUBAN_KEY_INT,  /* a decimal integer (long) */
    DUBAN_KEY_BOOL  /* true/false/1/0/yes/no/on/off */
} duban_key_type_t;

/* Which programs read a key (duban_program_t.uses). */
enum {
    DUBAN_USES_INGEST = 1u << 0,
    DUBAN_USES_ALERTER = 1u << 1,
    DUBAN_USES_NOTIFIER = 1u << 2,
    DUBAN_USES_STATUS = 1u << 3,
    DUBAN_USES_REPLAY = 1u << 4,
    DUBAN_USES_ANALYTICS = 1u << 5,
    DUBAN_USES_AUDIT = 1u << 6,
    DUBAN_USES_PRODUCE_JSON = 1u << 7,
    DUBAN_USES_TOPICS = 1u << 8
};
/* Every program that talks to Kafka (log.level, schema.registry.*, topics.*). */
#define DUBAN_USES_KAFKA                                                                   \
    (DUBAN_USES_INGEST | DUBAN_USES_ALERTER | DUBAN_USES_NOTIFIER | DUBAN_USES_STATUS |   \
     DUBAN_USES_REPLAY | DUBAN_USES_ANALYTICS | DUBAN_USES_AUDIT | DUBAN_USES_PRODUCE_JSON | \
     DUBAN_USES_TOPICS)

typedef struct {
    const char *key;         /* "alerter.tick.ms" */
    duban_key_type_t type;
    const char *def;         /* the default as text; NULL: unset */
    unsigned uses;           /* DUBAN_USES_* of the programs that read it */
    const char *help;        /* one line */
} duban_conf_key_t;

/* The row of key, or NULL. */
const duban_conf_key_t *duban_conf_key_find(const char *key);
/* All rows, in the table's order (grouped by prefix). */
const duban_conf_key_t *duban_conf_keys_all(size_t *count);
/* The known key nearest to key by edit distance (at most 3 edits), or NULL:
 * the "did you mean" of an unknown key. */
const char *duban_conf_key_nearest(const char *key);
/* Prints the rows read by any program in `uses` ("Settings: ..." section
 * of --help): key=default, type when not a string, help. */
void duban_conf_keys_usage(FILE *out, unsigned uses);

#endif
