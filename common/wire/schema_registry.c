/* common/wire/schema_registry.c: Confluent Schema Registry REST client (libcurl +
 * jansson). See schema_registry.h for the error mapping. Every message that
 * names the server uses a redacted URL (userinfo dropped), and the basic-auth
 * secret only ever goes to CURLOPT_USERPWD. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <jansson.h>
#include "schema_registry.h"

#define SR_CONTENT_TYPE "application/vnd.schemaregistry.v1+json"
#define SR_MAX_BODY (4u << 20)     /* answers larger than this are refused */
#define SR_MAX_URLS 8

struct duban_schema_registry_s {
    CURL *curl;
    struct curl_slist *headers;
    char *urls[SR_MAX_URLS];       /* base URLs, no trailing '/' */
    char *shown[SR_MAX_URLS];      /* the same without userinfo, for messages */
    int nurls;
    char *userpwd;                 /* "user:password" or NULL: never printed */
    char *ca_location;
    bool ssl_verify;
    long timeout_ms;
    unsigned long requests;
};

typedef struct {
    char *data;
    size_t len, cap;
    bool too_large;
} sr_buf_t;

void duban_schema_registry_opts_init(duban_schema_registry_opts_t *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->ssl_verify = true;
    opts->timeout_ms = 10000;
}

/* "http://user:pw@host:8081/x" -> "http://host:8081/x" */
static char *sr_redact(const char *url)
{
    const char *scheme = strstr(url, "://");
    if (!scheme)
        return strdup(url);
    const char *host = scheme + 3;
    const char *end = host + strcspn(host, "/?#");
    const char *at = NULL;
    for (const char *p = host; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return strdup(url);
    size_t pre = (size_t)(host - url), rest = strlen(at + 1);
    char *out = malloc(pre + rest + 1);
    if (out) {
        memcpy(out, url, pre);
        memcpy(out + pre, at + 1, rest + 1);
    }
    return out;
}

static bool sr_is_http_url(const char *u)
{
    return (strncmp(u, "http://", 7) == 0 && u[7]) ||
           (strncmp(u, "https://", 8) == 0 && u[8]);
}

void duban_schema_registry_destroy(duban_schema_registry_t *sr)
{
    if (!sr)
        return;
    if (sr->curl)
        curl_easy_cleanup(sr->curl);
    curl_slist_free_all(sr->headers);
    for (int i = 0; i < sr->nurls; i++) {
        free(sr->urls[i]);
        free(sr->shown[i]);
    }
    if (sr->userpwd) {
        /* volatile write so the secret does not linger in freed memory */
        volatile char *p = sr->userpwd;
        while (*p)
            *p++ = 0;
        free(sr->userpwd);
    }
    free(sr->ca_location);
    free(sr);
    curl_global_cleanup();
}

duban_err_t duban_schema_registry_new(const duban_schema_registry_opts_t *opts,
                                      duban_schema_registry_t **out,
                                      char *errbuf, size_t errbuf_size)
{
    *out = NULL;
    if (!opts || !opts->url || !*opts->url)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "schema registry: no URL (schema.registry.url)");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_HTTP,
                            "schema registry: curl_global_init failed");
    duban_schema_registry_t *sr = calloc(1, sizeof *sr);
    if (!sr) {
        curl_global_cleanup();
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
    }
    sr->ssl_verify = opts->ssl_verify;
    sr->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 10000;

    duban_err_t err = DUBAN_OK;
    const char *p = opts->url;
    while (*p && err == DUBAN_OK) {
        size_t n = strcspn(p, ",");
        size_t b = 0, e = n;
        while (b < e && isspace((unsigned char)p[b]))
            b++;
        while (e > b && (isspace((unsigned char)p[e - 1]) || p[e - 1] == '/'))
            e--;
        if (e > b) {
            char *u = strndup(p + b, e - b);
            if (!u) {
                err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
                break;
            }
            char *shown = sr_redact(u);
            if (!shown || sr->nurls == SR_MAX_URLS || !sr_is_http_url(u)) {
                if (!shown)
                    err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
                else if (sr->nurls == SR_MAX_URLS)
                    err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                       "schema registry: more than %d URLs", SR_MAX_URLS);
                else
                    err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                       "schema registry: URL '%s' is not http:// or https://", shown);
                free(u);
                free(shown);
                break;
            }
            sr->urls[sr->nurls] = u;
            sr->shown[sr->nurls++] = shown;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    if (err == DUBAN_OK && sr->nurls == 0)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "schema registry: no URL (schema.registry.url)");
    if (err == DUBAN_OK && opts->basic_auth_user_info && *opts->basic_auth_user_info) {
        if (!strchr(opts->basic_auth_user_info, ':'))
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                               "schema registry: basic.auth.user.info must be user:password");
        else if (!(sr->userpwd = strdup(opts->basic_auth_user_info)))
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
    }
    if (err == DUBAN_OK && opts->ssl_ca_location && *opts->ssl_ca_location &&
        !(sr->ca_location = strdup(opts->ssl_ca_location)))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
    if (err == DUBAN_OK) {
        sr->curl = curl_easy_init();
        struct curl_slist *h = curl_slist_append(NULL, "Content-Type: " SR_CONTENT_TYPE);
        if (h)
            sr->headers = h;
        h = h ? curl_slist_append(h, "Accept: " SR_CONTENT_TYPE
                                     ", application/vnd.schemaregistry+json, application/json")
              : NULL;
        if (h)
            sr->headers = h;
        if (!sr->curl || !h)
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM,
                               "schema registry: cannot create curl handle");
    }
    if (err != DUBAN_OK) {
        duban_schema_registry_destroy(sr);
        return err;
    }
    *out = sr;
    return DUBAN_OK;
}

unsigned long duban_schema_registry_requests(const duban_schema_registry_t *sr)
{
    return sr ? sr->requests : 0;
}

static size_t sr_write_cb(char *ptr, size_t size, size_t nmemb, void *opaque)
{
    sr_buf_t *b = opaque;
    size_t n = size * nmemb;
    if (n > SR_MAX_BODY - b->len) {
        b->too_large = true;
        return 0;    /* makes curl fail with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return 0;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

typedef enum { SR_OP_REGISTER, SR_OP_LOOKUP } sr_op_t;

/* Maps a non-2xx answer to a typed error; the server's message goes to errbuf. */
static duban_err_t sr_http_error(const char *what, long status, const sr_buf_t *body, sr_op_t op,
                                 char *errbuf, size_t errbuf_size)
{
    long code = status;
    const char *msg = NULL;
    json_t *j = body->data ? json_loadb(body->data, body->len, 0, NULL) : NULL;
    if (json_is_object(j)) {
        json_t *c = json_object_get(j, "error_code");
        json_t *m = json_object_get(j, "message");
        if (json_is_integer(c))
            code = (long)json_integer_value(c);
        if (json_is_string(m))
            msg = json_string_value(m);
    }
    duban_err_t err;
    if (status == 401 || status == 403)
        err = DUBAN_E_AUTH;
    else if (status == 404)
        err = op == SR_OP_LOOKUP ? DUBAN_E_UNKNOWN_SCHEMA : DUBAN_E_NOTFOUND;
    else if (status == 409)
        err = DUBAN_E_CONFLICT;
    else if (status == 422)
        err = DUBAN_E_SCHEMA;
    else if (status == 408 || status == 429 || status >= 500)
        err = DUBAN_E_AGAIN;
    else
        err = DUBAN_E_HTTP;
    duban_seterr(errbuf, errbuf_size, err, "%s: HTTP %ld (error_code %ld): %.300s", what, status,
                 code, msg ? msg : "no error message");
    json_decref(j);
    return err;
}

/* One request (POST when body != NULL) to path under each base URL in turn
 * until one answers. On DUBAN_OK *out is the parsed 2xx JSON (NEW). */
static duban_err_t sr_request(duban_schema_registry_t *sr, const char *path, const char *body,
                              sr_op_t op, const char *what, json_t **out,
                              char *errbuf, size_t errbuf_size)
{
    *out = NULL;
    duban_err_t err = DUBAN_E_HTTP;
    for (int u = 0; u < sr->nurls; u++) {
        size_t ulen = strlen(sr->urls[u]) + strlen(path) + 1;
        char *url = malloc(ulen);
        if (!url)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "schema registry: out of memory");
        snprintf(url, ulen, "%s%s", sr->urls[u], path);

        CURL *c = sr->curl;
        char cerr[CURL_ERROR_SIZE] = "";
        sr_buf_t resp = {0};
        curl_easy_reset(c);
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, sr->headers);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, sr->timeout_ms);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, sr->timeout_ms);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sr_write_cb);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "duban/1");
        if (body) {
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
        }
        if (sr->userpwd) {
            curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
            curl_easy_setopt(c, CURLOPT_USERPWD, sr->userpwd);
        }
        if (sr->ca_location)
            curl_easy_setopt(c, CURLOPT_CAINFO, sr->ca_location);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, sr->ssl_verify ? 1L : 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, sr->ssl_verify ? 2L : 0L);

        sr->requests++;
        CURLcode rc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        /* the handle keeps pointers to these until the next reset */
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(c, CURLOPT_USERPWD, NULL);
        free(url);

        if (rc != CURLE_OK) {
            if (resp.too_large)
                err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                                   "%s: %s: answer over %u bytes", what, sr->shown[u], SR_MAX_BODY);
            else
                err = duban_seterr(errbuf, errbuf_size,
                                   rc == CURLE_OPERATION_TIMEDOUT ? DUBAN_E_TIMEOUT : DUBAN_E_HTTP,
                                   "%s: %s: %s", what, sr->shown[u],
                                   cerr[0] ? cerr : curl_easy_strerror(rc));
            free(resp.data);
            if (resp.too_large)
                return err;
            continue;   /* transport error: try the next URL */
        }
        if (status < 200 || status > 299) {
            err = sr_http_error(what, status, &resp, op, errbuf, errbuf_size);
            free(resp.data);
            return err;
        }
        json_error_t jerr;
        json_t *j = resp.data ? json_loadb(resp.data, resp.len, 0, &jerr) : NULL;
        free(resp.data);
        if (!json_is_object(j)) {
            json_decref(j);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                                "%s: HTTP %ld with an answer that is not a JSON object", what, status);
        }
        *out = j;
        return DUBAN_OK;
    }
    return err;
}

duban_err_t duban_schema_registry_register(duban_schema_registry_t *sr,
                                           const char *subject,
                                           const char *schema_json, int32_t *id,
                                           char *errbuf, size_t errbuf_size)
{
    if (!sr || !subject || !*subject || !schema_json || !id)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "schema registry register: missing subject or schema");
    char what[300];
    snprintf(what, sizeof what, "schema registry: register subject '%.200s'", subject);

    char *esc = curl_easy_escape(sr->curl, subject, 0);
    json_t *req = json_pack("{s:s}", "schema", schema_json);
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!esc || !body) {
        curl_free(esc);
        free(body);
        return duban_seterr(errbuf, errbuf_size, req ? DUBAN_E_NOMEM : DUBAN_E_ENCODING,
                            "%s: cannot build the request (schema text not UTF-8?)", what);
    }
    size_t plen = strlen(esc) + sizeof "/subjects//versions";
    char *path = malloc(plen);
    if (!path) {
        curl_free(esc);
        free(body);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", what);
    }
    snprintf(path, plen, "/subjects/%s/versions", esc);
    curl_free(esc);

    json_t *ans = NULL;
    duban_err_t err = sr_request(sr, path, body, SR_OP_REGISTER, what, &ans, errbuf, errbuf_size);
    free(path);
    free(body);
    if (err != DUBAN_OK)
        return err;
    json_t *jid = json_object_get(ans, "id");
    if (!json_is_integer(jid) || json_integer_value(jid) < 0 ||
        json_integer_value(jid) > INT32_MAX) {
        json_decref(ans);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s: answer has no valid \"id\"", what);
    }
    *id = (int32_t)json_integer_value(jid);
    json_decref(ans);
    return DUBAN_OK;
}

duban_err_t duban_schema_registry_schema_by_id(duban_schema_registry_t *sr, int32_t id,
                                               char **schema_json,
                                               char *errbuf, size_t errbuf_size)
{
    if (!sr || !schema_json)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "schema registry lookup: bad arguments");
    *schema_json = NULL;
    char what[80], path[64];
    snprintf(what, sizeof what, "schema registry: schema id %ld", (long)id);
    if (id < 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_UNKNOWN_SCHEMA, "%s: negative id", what);
    snprintf(path, sizeof path, "/schemas/ids/%ld", (long)id);
    json_t *ans = NULL;
    duban_err_t err = sr_request(sr, path, NULL, SR_OP_LOOKUP, what, &ans, errbuf, errbuf_size);
    if (err != DUBAN_OK)
        return err;
    json_t *s = json_object_get(ans, "schema");
    json_t *type = json_object_get(ans, "schemaType");
    if (json_is_string(type) && strcmp(json_string_value(type), "AVRO") != 0) {
        duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "%s: schemaType %.40s, not AVRO", what,
                     json_string_value(type));
        json_decref(ans);
        return DUBAN_E_SCHEMA;
    }
    if (!json_is_string(s)) {
        json_decref(ans);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "%s: answer has no \"schema\" string",
                            what);
    }
    *schema_json = strndup(json_string_value(s), json_string_length(s));
    json_decref(ans);
    return *schema_json ? DUBAN_OK
                        : duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", what);
}
