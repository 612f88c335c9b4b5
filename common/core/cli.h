/* common/core/cli.h: the command line of a duban program. One loop for every
 * program: the common options first (duban_conf_parse_arg: --config, -b,
 * -X, --set, --log-level), then the program's own options from a table,
 * then a callback for what a table cannot say (repeatable or parsed values,
 * positional arguments), and -h/--help.
 * duban_program_start wraps it with what every main() does first.
 * Owns:   nothing. Never: exits; prints only in duban_program_start (errors
 *         of duban_cli_parse go to errbuf). Thread: any. */
#ifndef DUBAN_CLI_H
#define DUBAN_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "conf.h"
#include "err.h"

typedef enum {
    DUBAN_OPT_FLAG,   /* the int at offset becomes 1 */
    DUBAN_OPT_STRING  /* the next argument is stored at offset (const char *) */
} duban_opt_kind_t;

typedef struct {
    const char *name;       /* "--db" */
    duban_opt_kind_t kind;
    size_t offset;          /* into the program's options struct */
} duban_opt_t;

/* The program's other arguments: returns how many it used (1 or 2), 0 when
 * argv[i] is none of its own, -1 with errbuf set when it is wrong. */
typedef int (duban_cli_arg_cb)(void *opts, int argc, char **argv, int i, char *errbuf,
                               size_t errbuf_size);

/* Parses argv[1..argc): DUBAN_OK, or DUBAN_E_INVAL with errbuf naming the
 * argument ("unknown option --x (see --help)", "--db needs a value").
 * *help is set, and parsing stops, at -h or --help. cb may be NULL. */
duban_err_t duban_cli_parse(duban_conf_t *conf, int argc, char **argv,
                            const duban_opt_t *table, size_t table_len, void *opts,
                            duban_cli_arg_cb *cb, bool *help, char *errbuf,
                            size_t errbuf_size);

/* ---- the start-up every program shares ---- */

typedef struct {
    const char *name;              /* "duban-replay": prog= in logs, error prefix */
    void (*usage)(FILE *out);      /* --help, printed on stdout */
    const duban_opt_t *table;      /* the program's own options */
    size_t table_len;
    duban_cli_arg_cb *arg_cb;      /* may be NULL */
    unsigned uses;                 /* DUBAN_USES_* (conf_keys.h): its settings, printed by
                                      --help and checked at start; 0: neither */
} duban_program_t;

/* Logging named after the program, then conf (the caller's, NULL = out of
 * memory) from the environment (DUBAN_*) and the command line. Errors are
 * printed as "NAME: message" on stderr. Returns 0 to go on, 1 after --help
 * (the usage printed: exit 0), -1 on a usage error (exit 2). This one
 * prints: it is for main() only. */
int duban_program_start(const duban_program_t *p, duban_conf_t *conf, int argc, char **argv,
                        void *opts);
/* Sets the log level from log.level (default info); returns it, or -1 (the
 * level unchanged) when it is not error|warn|info|debug. */
int duban_program_log_level(const duban_conf_t *conf);

#endif
