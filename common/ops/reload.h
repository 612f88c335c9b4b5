/* common/ops/reload.h: reloading a file-backed setting on SIGHUP, alike in
 * every long-running program (the notifier's routing file, the alerter's
 * department directory). wire/kafka.h sets and takes the signal
 * (duban_reload_install, duban_reload_take); this is what follows it: the
 * new version is built whole before anything changes, a file that does not
 * load is refused with one fac=RELOAD error line naming the setting, the
 * file and the loader's message (which names file:line for malformed
 * JSON), and the version loaded before stays in force. Both outcomes are
 * counted.
 * Owns:   nothing; the caller swaps in what the loader built, and logs what
 *         changed. Never: touches the version in force.
 * Thread: the caller's (metrics are atomic). */
#ifndef DUBAN_RELOAD_H
#define DUBAN_RELOAD_H
#include <stddef.h>
#include "err.h"
#include "metrics.h"

typedef struct {
    const char *what;               /* "routing file", "department directory" */
    duban_metric_t *ok, *refused;   /* NULL: not counted */
} duban_reload_t;

/* Builds the new version into *out (NEW on success, the caller's). */
typedef duban_err_t (duban_reload_load_cb)(void *opaque, void **out, char *errbuf,
                                           size_t errbuf_size);

/* Runs load. On error: logs the refusal (`files`: the file or files the
 * setting names, NULL when it is not set), counts refused, *out stays NULL,
 * returns the error. On success counts ok and returns DUBAN_OK. */
duban_err_t duban_reload_file(const duban_reload_t *r, const char *files,
                              duban_reload_load_cb *load, void *opaque, void **out);

#endif
