/* consumers/notifier/reload.c: duban-notifier's endpoint slots and the
 * SIGHUP reload of its routing file (notifier_int.h).
 *
 * A slot is an endpoint by id. Batches, the fair scheduler, the delivered
 * sets and the metrics name slots by index, so slots are only ever added:
 * a reload maps every endpoint of the new file to the slot with its id (its
 * queue, retries, limiter and breaker go on, under the new settings; a
 * changed rate limit starts a fresh bucket; a disabled endpoint whose URL
 * changed is enabled again), appends slots for new ids, and retires the
 * slots whose id is gone: they finish the alerts they were given under the
 * configuration they were given them with, and get no new ones. A routing
 * file is freed once no slot uses it. The new routing applies from the
 * next alert read; a file that does not load is refused and changes
 * nothing.
 * Allocation: aborts on out of memory (alloc.h). */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "log.h"
#include "notifier_int.h"
#include "reload.h"

bool notifier_endpoint_idle(const notifier_t *n, const ep_t *ep, size_t i)
{
    return !ep->qlen && !ep->retry && (i >= n->fair.count || !n->fair.held[i]);
}

static void limiter_init(duban_webhook_limiter_t *lim, int limit, long window)
{
    if (duban_webhook_limiter_init(lim, limit, window))
        duban_oom((size_t)limit * sizeof(int64_t));
}

/* Puts cfg (borrowed from owner) in slot ep: a new slot is set up, an
 * existing one keeps its state. */
static void slot_set(notifier_t *n, ep_t *ep, const duban_webhook_endpoint_t *cfg,
                            duban_webhook_routes_t *owner)
{
    long window = cfg->rate_window_ms + cfg->rate_margin_ms;
    if (!ep->id) {
        ep->id = duban_xstrdup(cfg->id);
        limiter_init(&ep->lim, cfg->rate_limit, window);
        duban_webhook_breaker_init(&ep->brk, cfg->breaker_failures, cfg->breaker_cooldown_ms);
        notifier_ops_endpoint(&n->ops, ep->id, &ep->m);
    } else {
        if (ep->lim.limit != (cfg->rate_limit > 0 ? cfg->rate_limit : 0) ||
            ep->lim.window_ms != window) {
            duban_webhook_limiter_t lim;
            limiter_init(&lim, cfg->rate_limit, window);
            duban_webhook_limiter_free(&ep->lim);
            ep->lim = lim;
        }
        ep->brk.threshold = cfg->breaker_failures;
        ep->brk.cooldown_ms = cfg->breaker_cooldown_ms;
        if (ep->disabled && (!ep->cfg || strcmp(ep->cfg->url, cfg->url) != 0))
            ep->disabled = false;   /* a new address for an endpoint that answered 410 */
    }
    ep->cfg = cfg;
    ep->owner = owner;
    ep->retired = false;
}

duban_err_t notifier_endpoints_init(notifier_t *n)
{
    size_t count = duban_webhook_routes_endpoint_count(n->routes);
    n->eps = duban_xcalloc(count ? count : 1, sizeof(ep_t));
    n->route_ep = duban_xcalloc(count ? count : 1, sizeof(size_t));
    for (size_t i = 0; i < count; i++) {
        n->route_ep[i] = i;
        slot_set(n, &n->eps[i], duban_webhook_routes_endpoint(n->routes, i), n->routes);
    }
    n->ep_count = count;
    return duban_webhook_fair_init(&n->fair, count, duban_webhook_http_capacity(n->http));
}

long notifier_endpoint_index(const char *id, void *opaque)
{
    notifier_t *n = opaque;
    long found = -1;
    pthread_mutex_lock(&n->eps_lock);
    for (size_t i = 0; id && i < n->ep_count && found < 0; i++)
        if (strcmp(n->eps[i].id, id) == 0)
            found = (long)i;
    pthread_mutex_unlock(&n->eps_lock);
    return found;
}

/* The slot of id among the first `count`, or -1. */
static long slot_of(const notifier_t *n, size_t count, const char *id)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(n->eps[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* Room for `total` slots (the new ones zeroed) in eps and the scheduler. */
static void slots_grow(notifier_t *n, size_t total)
{
    if (total <= n->ep_count)
        return;
    pthread_mutex_lock(&n->eps_lock);   /* the resumer reads eps */
    n->eps = duban_xrealloc(n->eps, total * sizeof(ep_t));
    memset(n->eps + n->ep_count, 0, (total - n->ep_count) * sizeof(ep_t));
    pthread_mutex_unlock(&n->eps_lock);
    if (duban_webhook_fair_grow(&n->fair, total))
        duban_oom(total * sizeof(size_t));
}

/* Maps the new file's endpoints to slots (new ids after the existing
 * slots) and sets them up; *total: the slots then. */
static size_t map_slots(notifier_t *n, duban_webhook_routes_t *nr, size_t *map)
{
    size_t cnt = duban_webhook_routes_endpoint_count(nr), next = n->ep_count;
    for (size_t j = 0; j < cnt; j++) {
        long s = slot_of(n, n->ep_count, duban_webhook_routes_endpoint(nr, j)->id);
        map[j] = s >= 0 ? (size_t)s : next++;
    }
    slots_grow(n, next);
    for (size_t j = 0; j < cnt; j++)
        slot_set(n, &n->eps[map[j]], duban_webhook_routes_endpoint(nr, j), nr);
    return next;
}

/* Loads the routing file notifier.routes names (duban_reload_load_cb). */
static duban_err_t load_routes(void *opaque, void **out, char *errbuf, size_t errbuf_size)
{
    const char *path = opaque;
    duban_webhook_routes_t *nr = NULL;
    duban_err_t err = path ? duban_webhook_routes_load_file(path, &nr, errbuf, errbuf_size)
                           : duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                          "notifier.routes is not set");
    *out = nr;
    return err;
}

duban_err_t notifier_reload_routes(notifier_t *n)
{
    const char *path = duban_conf_str(n->conf, "notifier.routes");
    const duban_reload_t how = {"routing file", n->ops.reload_ok, n->ops.reload_refused};
    void *loaded = NULL;
    duban_err_t err = duban_reload_file(&how, path, load_routes, (void *)path, &loaded);
    if (err)
        return err;
    duban_webhook_routes_t *nr = loaded;
    size_t cnt = duban_webhook_routes_endpoint_count(nr), before = n->ep_count;
    size_t *map = duban_xcalloc(cnt ? cnt : 1, sizeof(*map));
    n->old_routes = duban_xrealloc(n->old_routes, (n->old_count + 1) * sizeof(*n->old_routes));
    for (size_t i = 0; i < before; i++)
        n->eps[i].retired = true;      /* until the new file names it */
    size_t total = map_slots(n, nr, map);
    pthread_mutex_lock(&n->eps_lock);
    n->ep_count = total;
    pthread_mutex_unlock(&n->eps_lock);
    notifier_resume_set_endpoints(n->resume, total);
    n->unknown_before += duban_webhook_routes_unknown_count(n->routes);
    n->old_routes[n->old_count++] = n->routes;
    n->routes = nr;
    free(n->route_ep);
    n->route_ep = map;
    size_t retired = 0;
    for (size_t i = 0; i < total; i++)
        retired += n->eps[i].retired;
    duban_info("RELOAD", "routing file %s: %zu endpoints (%zu new, %zu no longer routed), "
               "in force from the next alert", path, cnt, total - before, retired);
    notifier_routes_sweep(n);
    return DUBAN_OK;
}

void notifier_routes_sweep(notifier_t *n)
{
    if (!n->old_count)
        return;
    for (size_t i = 0; i < n->ep_count; i++) {
        ep_t *ep = &n->eps[i];
        if (ep->retired && ep->cfg && notifier_endpoint_idle(n, ep, i)) {
            ep->cfg = NULL;    /* nothing left to send under the old file */
            ep->owner = NULL;
        }
    }
    size_t kept = 0;
    for (size_t k = 0; k < n->old_count; k++) {
        bool used = false;
        for (size_t i = 0; i < n->ep_count && !used; i++)
            used = n->eps[i].owner == n->old_routes[k];
        if (used)
            n->old_routes[kept++] = n->old_routes[k];
        else
            duban_webhook_routes_destroy(n->old_routes[k]);
    }
    n->old_count = kept;
}

void notifier_endpoints_free(notifier_t *n)
{
    for (size_t i = 0; i < n->ep_count; i++) {
        duban_webhook_limiter_free(&n->eps[i].lim);
        free(n->eps[i].id);
    }
    free(n->eps);
    n->eps = NULL;
    n->ep_count = 0;
    free(n->route_ep);
    n->route_ep = NULL;
    for (size_t k = 0; k < n->old_count; k++)
        duban_webhook_routes_destroy(n->old_routes[k]);
    free(n->old_routes);
    n->old_routes = NULL;
    n->old_count = 0;
}
