/* common/core/conf.h: one configuration format for every duban program.
 *
 * A config file holds `key = value` lines; `#` starts a comment. Keys are
 * dotted lower-case names. Keys under `kafka.` go to librdkafka as they are
 * (`kafka.bootstrap.servers`, `kafka.session.timeout.ms`, ...); the rest are
 * duban's own (`schema.registry.url`, `alerter.due.soon.days`, ...).
 * Precedence, lowest first: program defaults, --config FILE, environment,
 * command line. Environment: DUBAN_<KEY> with dots as underscores, upper case
 * (DUBAN_KAFKA_SESSION_TIMEOUT_MS=6000 -> kafka.session.timeout.ms);
 * DUBAN_BOOTSTRAP_SERVERS is kafka.bootstrap.servers. Keys hold no '_', so the
 * mapping is reversible. A value "@FILE" for kafka.bootstrap.servers reads the
 * first line of FILE (what duban-broker --bootstrap-file writes).
 * Command line (duban_conf_parse_arg): --config FILE, -X prop=val (librdkafka
 * property, as kcat), --set key=val, -b/--bootstrap-servers LIST,
 * --log-level LEVEL.
 * Owns:   the key/value store. Never: exits, logs. Thread: not thread safe. */
#ifndef DUBAN_CONF_H
#define DUBAN_CONF_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"

typedef struct duban_conf_s duban_conf_t;

duban_conf_t *duban_conf_new(void);
void duban_conf_destroy(duban_conf_t *conf);

duban_err_t duban_conf_set(duban_conf_t *conf, const char *key, const char *value,
                           char *errbuf, size_t errbuf_size);
/* Borrowed: valid until the key is set again or conf is destroyed. */
const char *duban_conf_get(const duban_conf_t *conf, const char *key, const char *def);
/* Integer value; DUBAN_E_INVAL with "key: not a number" in errbuf. */
duban_err_t duban_conf_get_long(const duban_conf_t *conf, const char *key, long def,
                                long *out, char *errbuf, size_t errbuf_size);
/* true/false/1/0/yes/no/on/off; anything else gives def. */
bool duban_conf_get_bool(const duban_conf_t *conf, const char *key, bool def);

/* Typed reads with the catalogue's default (conf_keys.h): the default of a
 * key is written once, in its row. duban_conf_str: the value or the default
 * (NULL when neither). duban_conf_int: DUBAN_E_INVAL naming where the value
 * came from ("alerter.conf:3: alerter.tick.ms: \"x\" is not a number") or
 * when key is no integer row; DUBAN_E_NOTFOUND when unset without default.
 * duban_conf_flag: true/false (a value that is neither reads as the
 * default; duban_conf_check refuses it at start). */
const char *duban_conf_str(const duban_conf_t *conf, const char *key);
duban_err_t duban_conf_int(const duban_conf_t *conf, const char *key, long *out,
                           char *errbuf, size_t errbuf_size);
bool duban_conf_flag(const duban_conf_t *conf, const char *key);

/* Every setting from a file or the command line is a key of the catalogue
 * (kafka.* excepted: librdkafka's), and every integer or true/false value
 * reads as one. The error names where the setting came from and suggests
 * the nearest key: "duban.conf:7: unknown setting \"alerter.due.son.days\"
 * (did you mean alerter.due.soon.days?)". Unknown keys from the environment
 * pass: DUBAN_* variables are shared with scripts and other tools. */
duban_err_t duban_conf_check(const duban_conf_t *conf, char *errbuf, size_t errbuf_size);

/* Errors name FILE:LINE. */
duban_err_t duban_conf_load_file(duban_conf_t *conf, const char *path,
                                 char *errbuf, size_t errbuf_size);
/* Applies DUBAN_* environment variables. */
duban_err_t duban_conf_apply_env(duban_conf_t *conf, char *errbuf, size_t errbuf_size);

/* Handles the common options at argv[*i] (consuming a value when needed).
 * Returns 1 when it consumed them (advancing *i past them), 0 when argv[*i]
 * is not a common option, -1 on error (message in errbuf). Environment is
 * applied before the first command-line option is stored, so the command
 * line always wins. */
int duban_conf_parse_arg(duban_conf_t *conf, int argc, char **argv, int *i,
                         char *errbuf, size_t errbuf_size);
/* Usage text for the common options (static). */
const char *duban_conf_common_usage(void);

typedef void (duban_conf_each_cb)(const char *key, const char *value, void *opaque);
/* Calls cb for each key starting with prefix, in insertion order. */
void duban_conf_foreach(const duban_conf_t *conf, const char *prefix,
                        duban_conf_each_cb *cb, void *opaque);

#endif
