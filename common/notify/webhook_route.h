/* common/notify/webhook_route.h: which endpoints hear about which department.
 * The routing config is a JSON file (conf key notifier.routes):
 *   { "endpoints": [ { "id": "fgw-ding", "url": "https://...", "format":
 *       "dingtalk", "secrets": ["SEC..."], "headers": {"X-A": "b"},
 *       "rate": {"limit": 20, "window_ms": 60000, "margin_ms": 1200},
 *       "digest_max": 50,
 *       "max_bytes": 4096, "timeout_ms": 10000, "connect_timeout_ms": 3000,
 *       "retry": {"max_attempts": 8, "base_ms": 1000, "max_ms": 60000,
 *                 "retry_after_max_ms": 600000},
 *       "breaker": {"failures": 5, "cooldown_ms": 30000},
 *       "template": "...", "digest_title": "..." } ],
 *     "routes": [ { "department": "区发展和改革局", "aliases": ["区发改局"],
 *                   "endpoints": ["fgw-ding"] },
 *                 { "department": "各镇*", "endpoints": [...] } ],
 *     "default": ["ops-json"],
 *     "template": "【督办提醒】..." }
 * A department is matched by canonical name, then alias, then the first
 * wildcard pattern (fnmatch: * ?) in file order; a department nothing
 * matches goes to "default" and is counted as unknown (a warning metric),
 * never dropped. "secret" (one string) is accepted for "secrets".
 * Owns:   the parsed config (read-only after load).
 * Never:  logs (the caller logs; never the secrets or URLs), does network
 *         I/O. Thread: lookups are safe after load; the unknown counter is
 *         not atomic (one notifier thread). */
#ifndef DUBAN_WEBHOOK_ROUTE_H
#define DUBAN_WEBHOOK_ROUTE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "strlist.h"
#include "webhook_format.h"

typedef struct {
    int max_attempts;        /* attempts in all, first included */
    long base_ms, max_ms;    /* backoff: base * 2^(attempt-1), capped */
    long retry_after_max_ms; /* a longer Retry-After is capped to this */
} duban_webhook_retry_t;

typedef struct {
    char *id;
    char *url;                 /* may carry tokens: never log it */
    duban_webhook_format_t format;
    duban_strlist_t secrets;   /* first signs robots; all sign json */
    duban_strlist_t headers;   /* extra "Name: value" */
    int rate_limit;            /* requests per rate_window_ms; 0 = unlimited */
    long rate_window_ms;
    long rate_margin_ms;       /* added to the window for network jitter */
    int digest_max;            /* alerts per digest (robots); 1 = never */
    size_t max_bytes;          /* 0: the format's default */
    long timeout_ms, connect_timeout_ms;
    duban_webhook_retry_t retry;
    int breaker_failures;      /* consecutive failures that open it */
    long breaker_cooldown_ms;
    char *tpl;                 /* NULL: the routes' template or the default */
    char *digest_title;
} duban_webhook_endpoint_t;

typedef struct duban_webhook_routes_s duban_webhook_routes_t;

/* *out is NEW. Errors name the JSON path ("endpoints[2].format: ..."). */
duban_err_t duban_webhook_routes_parse(const json_t *cfg, duban_webhook_routes_t **out,
                                       char *errbuf, size_t errbuf_size);
duban_err_t duban_webhook_routes_load_file(const char *path, duban_webhook_routes_t **out,
                                           char *errbuf, size_t errbuf_size);
void duban_webhook_routes_destroy(duban_webhook_routes_t *r);

size_t duban_webhook_routes_endpoint_count(const duban_webhook_routes_t *r);
/* Borrowed, valid until destroy. */
const duban_webhook_endpoint_t *duban_webhook_routes_endpoint(const duban_webhook_routes_t *r,
                                                              size_t i);
/* The global template (borrowed; the default template when none set). */
const char *duban_webhook_routes_template(const duban_webhook_routes_t *r);

/* Endpoint indexes for one department, appended to idx[*n..cap) without
 * repeating one already there. *unknown = true when only the default route
 * matched (the unknown-department counter is incremented then). */
void duban_webhook_routes_lookup(duban_webhook_routes_t *r, const char *department,
                                 size_t *idx, size_t *n, size_t cap, bool *unknown);
uint64_t duban_webhook_routes_unknown_count(const duban_webhook_routes_t *r);

/* Refuses URLs that are not http:// or https://. */
duban_err_t duban_webhook_url_check(const char *url, char *errbuf, size_t errbuf_size);

#endif
