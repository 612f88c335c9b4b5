/* producers/status/status_api.h: the HTTP API of duban-status, apart from
 * the HTTP server (serve.c hands it whole requests of callers it has
 * already authenticated, and sends what it answers).
 *   GET  /healthz                            no token
 *   POST /v1/tasks/{task_id}/status          a status change (the workflow)
 *   POST /v1/tasks/{task_id}/correction      a supervisor corrects a task
 *   GET  /v1/tasks/{task_id}                 state, due date, level, history
 *   GET  /v1/departments/{name}/tasks        ?status=open|closed|STATUS
 *                                            &level=RED|YELLOW|GREEN&role=lead|cooperating
 *   GET  /v1/overview                        per lead department
 *   GET  /v1/review                          tasks ingest flagged (supervisors)
 * Writes are serialised per task (a striped lock held from the check to
 * the moment the feed has applied the event), so two requests on one task
 * never both pass the check against the same state.
 * Owns:   the routes and the rights. Never: touches sockets; logs only
 *         through the answer (serve.c logs one line per request). */
#ifndef DUBAN_STATUS_API_H
#define DUBAN_STATUS_API_H
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include "calendar.h"
#include "status.h"
#include "status_feed.h"
#include "status_idem.h"
#include "status_state.h"
#include "status_tokens.h"

#define STATUS_STRIPES 64
#define STATUS_APPLY_WAIT_MS 5000   /* a delivered event waits this long for the feed */

typedef struct {
    duban_conf_t *conf;
    status_clock_t clock;
    duban_calendar_t *cal;
    status_sender_t *sender;
    status_state_t *state;
    status_feed_t *feed;
    status_tokens_t *tokens;
    status_idem_t *idem;
    pthread_mutex_t stripes[STATUS_STRIPES];
    atomic_ullong accepted;                /* writes answered 202 */
} status_service_t;

typedef struct {
    const char *method;
    const char *path;                    /* percent-decoded */
    const status_principal_t *who;       /* authenticated; NULL for /healthz */
    const char *body;                    /* NUL-terminated, body_len bytes */
    size_t body_len;
    const char *idempotency_key;         /* header, or NULL */
    /* query argument `name` (decoded), or NULL */
    const char *(*arg)(void *ctx, const char *name);
    void *arg_ctx;
} status_request_t;

typedef struct {
    unsigned status;
    char *body;               /* NEW JSON text */
    const char *allow;        /* Allow header for a 405 */
    bool replayed;            /* the first answer to an Idempotency-Key, again */
    char event_id[65];        /* of the event a write produced, for the log */
    char note[160];           /* why, for the log (never a token) */
} status_answer_t;

/* Whether path is one of the API's (anything else is a 404 before auth). */
bool status_api_known_path(const char *path);

void status_api_handle(status_service_t *svc, const status_request_t *rq, status_answer_t *ans);

#endif
