/* common/notify/webhook_route.c: the routing config and department lookup. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "webhook_route.h"

typedef struct {
    char *name;          /* canonical name or pattern */
    bool pattern;
    size_t *eps;
    size_t ep_count;
} route_t;

struct duban_webhook_routes_s {
    duban_webhook_endpoint_t *eps;
    size_t ep_count;
    route_t *routes;     /* names and aliases each get one entry */
    size_t route_count;
    size_t *dflt;
    size_t dflt_count;
    char *tpl;
    uint64_t unknown;
};

duban_err_t duban_webhook_url_check(const char *url, char *errbuf, size_t errbuf_size)
{
    if (!url || (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "url: only http:// and https:// are allowed");
    return DUBAN_OK;
}

static long jlong(const json_t *o, const char *k, long def)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? (long)json_integer_value(v) : def;
}

static char *jdup(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? strdup(s) : NULL;
}

static duban_err_t str_array(const json_t *o, const char *k, duban_strlist_t *out)
{
    json_t *v = json_object_get(o, k);
    size_t i;
    json_t *e;
    if (json_is_string(v))
        return duban_strlist_push(out, json_string_value(v));
    json_array_foreach(v, i, e) {
        if (!json_is_string(e))
            return DUBAN_E_INVAL;
        if (duban_strlist_push(out, json_string_value(e)))
            return DUBAN_E_NOMEM;
    }
    return DUBAN_OK;
}

static duban_err_t parse_headers(const json_t *o, duban_strlist_t *out)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)json_object_get(o, "headers"), k, v) {
        if (!json_is_string(v) || strpbrk(k, ":\r\n") || strpbrk(json_string_value(v), "\r\n"))
            return DUBAN_E_INVAL;
        size_t n = strlen(k) + strlen(json_string_value(v)) + 3;
        char *h = malloc(n);
        if (!h)
            return DUBAN_E_NOMEM;
        snprintf(h, n, "%s: %s", k, json_string_value(v));
        duban_err_t err = duban_strlist_push(out, h);
        free(h);
        if (err)
            return err;
    }
    return DUBAN_OK;
}

static void endpoint_defaults(duban_webhook_endpoint_t *ep)
{
    memset(ep, 0, sizeof(*ep));
    duban_strlist_init(&ep->secrets);
    duban_strlist_init(&ep->headers);
    ep->rate_window_ms = 60000;
    ep->digest_max = 50;
    ep->timeout_ms = 10000;
    ep->connect_timeout_ms = 3000;
    ep->retry = (duban_webhook_retry_t){8, 1000, 60000, 600000};
    ep->breaker_failures = 5;
    ep->breaker_cooldown_ms = 30000;
}

static void endpoint_free(duban_webhook_endpoint_t *ep)
{
    free(ep->id);
    free(ep->url);
    free(ep->tpl);
    free(ep->digest_title);
    duban_strlist_free(&ep->secrets);
    duban_strlist_free(&ep->headers);
}

static duban_err_t parse_endpoint(const json_t *o, size_t i, duban_webhook_endpoint_t *ep,
                                  char *errbuf, size_t errbuf_size)
{
    endpoint_defaults(ep);
    ep->id = jdup(o, "id");
    ep->url = jdup(o, "url");
    if (!ep->id || !ep->url)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "endpoints[%zu]: id and url are required", i);
    if (duban_webhook_url_check(ep->url, NULL, 0))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "endpoints[%zu].url: only http:// and https:// are allowed", i);
    const char *fmt = json_string_value(json_object_get(o, "format"));
    if (duban_webhook_format_parse(fmt ? fmt : "json", &ep->format))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "endpoints[%zu].format: not json|dingtalk|wecom|feishu", i);
    if (str_array(o, "secrets", &ep->secrets) || str_array(o, "secret", &ep->secrets))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "endpoints[%zu].secrets: strings expected", i);
    if (parse_headers(o, &ep->headers))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "endpoints[%zu].headers: bad header", i);
    const json_t *rate = json_object_get(o, "rate"), *retry = json_object_get(o, "retry");
    const json_t *brk = json_object_get(o, "breaker");
    ep->rate_limit = (int)jlong(rate, "limit", 0);
    ep->rate_window_ms = jlong(rate, "window_ms", ep->rate_window_ms);
    /* requests spaced by exactly the window can arrive closer together: by
     * default keep window/50 (100 ms .. 2 s) in hand */
    long margin = ep->rate_window_ms / 50;
    margin = margin < 100 ? 100 : margin > 2000 ? 2000 : margin;
    ep->rate_margin_ms = jlong(rate, "margin_ms", margin);
    ep->digest_max = (int)jlong(o, "digest_max", ep->format == DUBAN_WEBHOOK_JSON ? 1 : 50);
    ep->max_bytes = (size_t)jlong(o, "max_bytes", 0);
    ep->timeout_ms = jlong(o, "timeout_ms", ep->timeout_ms);
    ep->connect_timeout_ms = jlong(o, "connect_timeout_ms", ep->connect_timeout_ms);
    ep->retry.max_attempts = (int)jlong(retry, "max_attempts", ep->retry.max_attempts);
    ep->retry.base_ms = jlong(retry, "base_ms", ep->retry.base_ms);
    ep->retry.max_ms = jlong(retry, "max_ms", ep->retry.max_ms);
    ep->retry.retry_after_max_ms = jlong(retry, "retry_after_max_ms", ep->retry.retry_after_max_ms);
    ep->breaker_failures = (int)jlong(brk, "failures", ep->breaker_failures);
    ep->breaker_cooldown_ms = jlong(brk, "cooldown_ms", ep->breaker_cooldown_ms);
    ep->tpl = jdup(o, "template");
    ep->digest_title = jdup(o, "digest_title");
    if (ep->rate_limit < 0 || ep->rate_window_ms <= 0 || ep->rate_margin_ms < 0 || ep->digest_max < 1 ||
        ep->retry.max_attempts < 1 || ep->retry.base_ms < 0 || ep->timeout_ms <= 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "endpoints[%zu] (%s): a limit is out of range", i, ep->id);
    return DUBAN_OK;
}

static bool endpoint_index(const duban_webhook_routes_t *r, const char *id, size_t *out)
{
    for (size_t i = 0; id && i < r->ep_count; i++)
        if (strcmp(r->eps[i].id, id) == 0) {
            *out = i;
            return true;
        }
    return false;
}

/* Resolves the "endpoints" id list of o into a NEW index array. */
static duban_err_t resolve_ids(const duban_webhook_routes_t *r, const json_t *ids,
                               const char *where, size_t **out, size_t *count,
                               char *errbuf, size_t errbuf_size)
{
    size_t n = json_array_size(ids), i;
    json_t *v;
    *out = calloc(n ? n : 1, sizeof(size_t));
    *count = n;
    if (!*out)
        return DUBAN_E_NOMEM;
    json_array_foreach(ids, i, v)
        if (!endpoint_index(r, json_string_value(v), &(*out)[i]))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s: unknown endpoint \"%s\"", where,
                                json_string_value(v) ? json_string_value(v) : "?");
    return DUBAN_OK;
}

static duban_err_t add_route(duban_webhook_routes_t *r, const char *name, const json_t *ids,
                             const char *where, char *errbuf, size_t errbuf_size)
{
    route_t *rt = &r->routes[r->route_count++];
    rt->name = strdup(name);
    rt->pattern = strpbrk(name, "*?[") != NULL;
    if (!rt->name)
        return DUBAN_E_NOMEM;
    return resolve_ids(r, ids, where, &rt->eps, &rt->ep_count, errbuf, errbuf_size);
}

static duban_err_t parse_routes(duban_webhook_routes_t *r, const json_t *routes,
                                char *errbuf, size_t errbuf_size)
{
    size_t i, total = 0;
    json_t *o;
    json_array_foreach(routes, i, o)
        total += 1 + json_array_size(json_object_get(o, "aliases"));
    r->routes = calloc(total ? total : 1, sizeof(route_t));
    if (!r->routes)
        return DUBAN_E_NOMEM;
    json_array_foreach(routes, i, o) {
        char where[48];
        const char *dept = json_string_value(json_object_get(o, "department"));
        const json_t *ids = json_object_get(o, "endpoints");
        snprintf(where, sizeof(where), "routes[%zu]", i);
        if (!dept || !json_is_array(ids))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s: department and endpoints[] are required", where);
        duban_err_t err = add_route(r, dept, ids, where, errbuf, errbuf_size);
        size_t j;
        json_t *alias;
        json_array_foreach(json_object_get(o, "aliases"), j, alias)
            if (!err && json_is_string(alias))
                err = add_route(r, json_string_value(alias), ids, where, errbuf, errbuf_size);
        if (err)
            return err;
    }
    return DUBAN_OK;
}

duban_err_t duban_webhook_routes_parse(const json_t *cfg, duban_webhook_routes_t **out,
                                       char *errbuf, size_t errbuf_size)
{
    const json_t *eps = json_object_get(cfg, "endpoints");
    duban_webhook_routes_t *r = calloc(1, sizeof(*r));
    duban_err_t err = r ? DUBAN_OK : DUBAN_E_NOMEM;
    if (!err && !json_is_array(eps))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "endpoints: array required");
    if (!err && !(r->eps = calloc(json_array_size(eps) + 1, sizeof(*r->eps))))
        err = DUBAN_E_NOMEM;
    for (size_t i = 0; !err && i < json_array_size(eps); i++) {
        err = parse_endpoint(json_array_get(eps, i), i, &r->eps[i], errbuf, errbuf_size);
        r->ep_count++;
        size_t dup;
        if (!err && endpoint_index(r, r->eps[i].id, &dup) && dup != i)
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                               "endpoints[%zu]: duplicate id \"%s\"", i, r->eps[i].id);
    }
    if (!err)
        err = parse_routes(r, json_object_get(cfg, "routes"), errbuf, errbuf_size);
    if (!err)
        err = resolve_ids(r, json_object_get(cfg, "default"), "default", &r->dflt,
                          &r->dflt_count, errbuf, errbuf_size);
    if (!err)
        r->tpl = jdup(cfg, "template");
    if (err) {
        duban_webhook_routes_destroy(r);
        return err;
    }
    *out = r;
    return DUBAN_OK;
}

duban_err_t duban_webhook_routes_load_file(const char *path, duban_webhook_routes_t **out,
                                           char *errbuf, size_t errbuf_size)
{
    json_error_t je;
    json_t *cfg = json_load_file(path, 0, &je);
    if (!cfg)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "%s:%d:%d: %s", path,
                            je.line, je.column, je.text);
    duban_err_t err = duban_webhook_routes_parse(cfg, out, errbuf, errbuf_size);
    json_decref(cfg);
    return err;
}

void duban_webhook_routes_destroy(duban_webhook_routes_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ep_count; i++)
        endpoint_free(&r->eps[i]);
    for (size_t i = 0; i < r->route_count; i++) {
        free(r->routes[i].name);
        free(r->routes[i].eps);
    }
    free(r->eps);
    free(r->routes);
    free(r->dflt);
    free(r->tpl);
    free(r);
}

size_t duban_webhook_routes_endpoint_count(const duban_webhook_routes_t *r)
{
    return r->ep_count;
}

const duban_webhook_endpoint_t *duban_webhook_routes_endpoint(const duban_webhook_routes_t *r,
                                                              size_t i)
{
    return i < r->ep_count ? &r->eps[i] : NULL;
}

const char *duban_webhook_routes_template(const duban_webhook_routes_t *r)
{
    return r->tpl ? r->tpl : duban_webhook_default_template();
}

static void add_unique(const size_t *from, size_t count, size_t *idx, size_t *n, size_t cap)
{
    for (size_t i = 0; i < count; i++) {
        bool seen = false;
        for (size_t j = 0; j < *n && !seen; j++)
            seen = idx[j] == from[i];
        if (!seen && *n < cap)
            idx[(*n)++] = from[i];
    }
}

void duban_webhook_routes_lookup(duban_webhook_routes_t *r, const char *department,
                                 size_t *idx, size_t *n, size_t cap, bool *unknown)
{
    const route_t *hit = NULL;
    for (size_t i = 0; department && !hit && i < r->route_count; i++)
        if (!r->routes[i].pattern && strcmp(r->routes[i].name, department) == 0)
            hit = &r->routes[i];
    for (size_t i = 0; department && !hit && i < r->route_count; i++)
        if (r->routes[i].pattern && fnmatch(r->routes[i].name, department, 0) == 0)
            hit = &r->routes[i];
    *unknown = hit == NULL;
    if (hit) {
        add_unique(hit->eps, hit->ep_count, idx, n, cap);
        return;
    }
    r->unknown++;
    add_unique(r->dflt, r->dflt_count, idx, n, cap);
}

uint64_t duban_webhook_routes_unknown_count(const duban_webhook_routes_t *r)
{
    return r->unknown;
}
