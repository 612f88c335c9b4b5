/* duban-fake-registry: a small in-memory stand-in for the Confluent Schema
 * Registry, for tests. It answers the documented REST API (v1) that duban
 * uses, with Confluent's status codes and {"error_code", "message"} bodies:
 *   POST /subjects/{subject}/versions  {"schema": "..."} -> {"id": N}
 *        the same schema again (in any subject) -> the same id;
 *        a different schema under a subject given with --reject-changes ->
 *        409 / error_code 409; schema text that is not valid Avro ->
 *        422 / 42201; a body that is not JSON -> 400 / 400.
 *   GET  /schemas/ids/{id}          -> {"schema": "..."}; unknown: 404 / 40403
 *   GET  /subjects                  -> ["subject", ...]
 *   GET  /subjects/{subject}/versions -> [1, 2, ...]; unknown: 404 / 40401
 * With --user USER:PASSWORD every API call needs that HTTP basic auth
 * (401 / error_code 401 otherwise). Not Confluent: GET /_fake/stats gives
 * {"requests": N, "registers": N, "lookups": N}, counting the API requests
 * received so far (itself excluded, never needs auth), so tests can prove a
 * client's cache made no request. Listens on 127.0.0.1 only, on an
 * ephemeral port; prints "http://127.0.0.1:PORT" as its first stdout line
 * ("https://..." with --tls-cert/--tls-key, PEM files).
 * Never: stores anything on disk, logs credentials. */
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <avro.h>
#include <jansson.h>
#include <microhttpd.h>
#include "buf.h"
#include "cli.h"

#define CT "application/vnd.schemaregistry.v1+json"
#define MAX_BODY (1u << 20)
#define MAX_REJECT 32

typedef struct {
    int32_t id;
    char *canonical;   /* compact JSON with sorted keys: identity of a schema */
    char *text;        /* as first registered */
} schema_t;

typedef struct {
    char *name;
    int32_t *ids;      /* ids[v-1] is version v */
    size_t n;
} subject_t;

static struct {
    pthread_mutex_t lock;
    schema_t *schemas;
    size_t nschemas;
    subject_t *subjects;
    size_t nsubjects;
    int32_t next_id;
    const char *user, *password;       /* NULL: no auth */
    const char *reject[MAX_REJECT];
    int nreject;
    long delay_ms;
    unsigned long requests, registers, lookups;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .next_id = 1};

static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

typedef struct {
    char *data;
    size_t len;
    bool too_large;
} conn_body_t;

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", CT);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, long code,
                                  const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return send_json(c, status, json_pack("{s:I,s:s}", "error_code", (json_int_t)code,
                                          "message", msg));
}

static bool authorized(struct MHD_Connection *c)
{
    if (!g.user)
        return true;
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(c, &pass);
    bool ok = user && pass && strcmp(user, g.user) == 0 && strcmp(pass, g.password) == 0;
    if (user)
        MHD_free(user);
    if (pass)
        MHD_free(pass);
    return ok;
}

static bool rejects_changes(const char *subject)
{
    for (int i = 0; i < g.nreject; i++)
        if (strcmp(g.reject[i], subject) == 0)
            return true;
    return false;
}

static subject_t *find_subject(const char *name)
{
    for (size_t i = 0; i < g.nsubjects; i++)
        if (strcmp(g.subjects[i].name, name) == 0)
            return &g.subjects[i];
    return NULL;
}

static schema_t *find_schema_id(int32_t id)
{
    for (size_t i = 0; i < g.nschemas; i++)
        if (g.schemas[i].id == id)
            return &g.schemas[i];
    return NULL;
}

/* Called with g.lock held. */
static enum MHD_Result do_register(struct MHD_Connection *c, const char *subject,
                                   const conn_body_t *body)
{
    g.registers++;
    json_error_t jerr;
    json_t *req = json_loadb(body->data ? body->data : "", body->len, 0, &jerr);
    if (!json_is_object(req)) {
        json_decref(req);
        return send_error(c, 400, 400, "Unexpected request body: %s", jerr.text);
    }
    json_t *type = json_object_get(req, "schemaType");
    json_t *js = json_object_get(req, "schema");
    if (type && !(json_is_string(type) && strcmp(json_string_value(type), "AVRO") == 0)) {
        json_decref(req);
        return send_error(c, 422, 42201, "Invalid schema type: only AVRO is supported here");
    }
    if (!json_is_string(js) || json_string_length(js) == 0) {
        json_decref(req);
        return send_error(c, 422, 42201, "Invalid schema: empty or missing \"schema\"");
    }
    const char *text = json_string_value(js);
    json_t *parsed = json_loads(text, JSON_DECODE_ANY, &jerr);
    if (!parsed) {
        enum MHD_Result r = send_error(c, 422, 42201, "Invalid schema: not JSON: %s at line %d",
                                       jerr.text, jerr.line);
        json_decref(req);
        return r;
    }
    avro_schema_t as = NULL;
    avro_schema_error_t aerr;
    if (avro_schema_from_json_length(text, json_string_length(js), &as) != 0 || !as) {
        (void)aerr;
        enum MHD_Result r = send_error(c, 422, 42201, "Invalid schema: %s", avro_strerror());
        json_decref(parsed);
        json_decref(req);
        return r;
    }
    avro_schema_decref(as);
    char *canonical = json_dumps(parsed, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    json_decref(parsed);
    if (!canonical) {
        json_decref(req);
        return send_error(c, 500, 50001, "Error in the backend data store");
    }

    subject_t *sub = find_subject(subject);
    if (sub)
        for (size_t v = 0; v < sub->n; v++) {
            schema_t *s = find_schema_id(sub->ids[v]);
            if (s && strcmp(s->canonical, canonical) == 0) {
                free(canonical);
                json_decref(req);
                return send_json(c, 200, json_pack("{s:i}", "id", (int)s->id));
            }
        }
    if (sub && sub->n > 0 && rejects_changes(subject)) {
        free(canonical);
        json_decref(req);
        return send_error(c, 409, 409,
                          "Schema being registered is incompatible with an earlier schema for "
                          "subject \"%s\", details: [this fake registry rejects every change "
                          "to this subject]", subject);
    }
    schema_t *s = NULL;
    for (size_t i = 0; i < g.nschemas && !s; i++)
        if (strcmp(g.schemas[i].canonical, canonical) == 0)
            s = &g.schemas[i];
    if (!s) {
        schema_t *n = realloc(g.schemas, (g.nschemas + 1) * sizeof *n);
        if (!n)
            goto oom;
        g.schemas = n;
        s = &g.schemas[g.nschemas];
        s->text = strdup(text);
        if (!s->text)
            goto oom;
        s->id = g.next_id++;
        s->canonical = canonical;
        canonical = NULL;
        g.nschemas++;
    }
    free(canonical);
    canonical = NULL;
    if (!sub) {
        subject_t *n = realloc(g.subjects, (g.nsubjects + 1) * sizeof *n);
        if (!n)
            goto oom;
        g.subjects = n;
        sub = &g.subjects[g.nsubjects];
        memset(sub, 0, sizeof *sub);
        if (!(sub->name = strdup(subject)))
            goto oom;
        g.nsubjects++;
    }
    int32_t *ids = realloc(sub->ids, (sub->n + 1) * sizeof *ids);
    if (!ids)
        goto oom;
    sub->ids = ids;
    sub->ids[sub->n++] = s->id;
    fprintf(stderr, "duban-fake-registry: subject %s version %zu -> id %d\n", subject, sub->n,
            (int)s->id);
    json_decref(req);
    return send_json(c, 200, json_pack("{s:i}", "id", (int)s->id));
oom:
    free(canonical);
    json_decref(req);
    return send_error(c, 500, 50001, "Error in the backend data store");
}

static bool parse_id(const char *s, int32_t *id)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > INT32_MAX)
        return false;
    *id = (int32_t)v;
    return true;
}

static enum MHD_Result route(struct MHD_Connection *c, const char *method, const char *url,
                             const conn_body_t *body)
{
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (strcmp(url, "/_fake/stats") == 0)
        return send_json(c, 200, json_pack("{s:I,s:I,s:I}", "requests", (json_int_t)g.requests,
                                           "registers", (json_int_t)g.registers,
                                           "lookups", (json_int_t)g.lookups));
    g.requests++;
    if (!authorized(c)) {
        json_t *j = json_pack("{s:i,s:s}", "error_code", 401, "message", "Unauthorized");
        char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!t)
            return MHD_NO;
        struct MHD_Response *r = MHD_create_response_from_buffer(strlen(t), t, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type", CT);
        enum MHD_Result ret = MHD_queue_basic_auth_fail_response(c, "duban-fake-registry", r);
        MHD_destroy_response(r);
        return ret;
    }
    if (body->too_large)
        return send_error(c, 413, 413, "Request body too large");

    const char *p;
    if (strncmp(url, "/schemas/ids/", 13) == 0) {
        if (!get)
            return send_error(c, 405, 405, "HTTP 405 Method Not Allowed");
        g.lookups++;
        int32_t id;
        schema_t *s = parse_id(url + 13, &id) ? find_schema_id(id) : NULL;
        if (!s)
            return send_error(c, 404, 40403, "Schema %s not found", url + 13);
        return send_json(c, 200, json_pack("{s:s}", "schema", s->text));
    }
    if (strcmp(url, "/subjects") == 0 || strcmp(url, "/subjects/") == 0) {
        if (!get)
            return send_error(c, 405, 405, "HTTP 405 Method Not Allowed");
        json_t *a = json_array();
        for (size_t i = 0; i < g.nsubjects; i++)
            json_array_append_new(a, json_string(g.subjects[i].name));
        return send_json(c, 200, a);
    }
    if (strncmp(url, "/subjects/", 10) == 0 && (p = strstr(url + 10, "/versions")) &&
        strcmp(p, "/versions") == 0 && p > url + 10) {
        char subject[1024];
        size_t n = (size_t)(p - (url + 10));
        if (n >= sizeof subject)
            return send_error(c, 422, 42201, "Subject name too long");
        memcpy(subject, url + 10, n);
        subject[n] = '\0';
        if (post)
            return do_register(c, subject, body);
        if (!get)
            return send_error(c, 405, 405, "HTTP 405 Method Not Allowed");
        subject_t *sub = find_subject(subject);
        if (!sub)
            return send_error(c, 404, 40401, "Subject '%s' not found.", subject);
        json_t *a = json_array();
        for (size_t v = 0; v < sub->n; v++)
            json_array_append_new(a, json_integer((json_int_t)v + 1));
        return send_json(c, 200, a);
    }
    return send_error(c, 404, 404, "HTTP 404 Not Found");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)cls;
    (void)version;
    conn_body_t *b = *con_cls;
    if (!b) {
        if (!(b = calloc(1, sizeof *b)))
            return MHD_NO;
        *con_cls = b;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        if (b->too_large || b->len + n > MAX_BODY) {
            b->too_large = true;
        } else {
            char *d = realloc(b->data, b->len + n + 1);
            if (!d)
                return MHD_NO;
            memcpy(d + b->len, upload_data, n);
            b->data = d;
            b->len += n;
            b->data[b->len] = '\0';
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (g.delay_ms > 0) {
        struct timespec ts = {g.delay_ms / 1000, (g.delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    pthread_mutex_lock(&g.lock);
    enum MHD_Result r = route(c, method, url, b);
    pthread_mutex_unlock(&g.lock);
    return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_body_t *b = *con_cls;
    if (b) {
        free(b->data);
        free(b);
        *con_cls = NULL;
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: duban-fake-registry [--user USER:PASSWORD] [--reject-changes SUBJECT]...\n"
            "                           [--first-id N] [--delay-ms N] [--url-file FILE]\n"
            "                           [--tls-cert PEM --tls-key PEM]\n"
            "A fake Confluent Schema Registry for tests, on 127.0.0.1 (ephemeral port).\n"
            "Prints its URL (http://127.0.0.1:PORT) as the first line on stdout, and to\n"
            "--url-file; runs until SIGINT/SIGTERM.\n"
            "  --user U:P            require HTTP basic auth with these credentials\n"
            "  --reject-changes S    subject S accepts its first schema only (409 after)\n"
            "  --first-id N          first schema id to hand out (default 1)\n"
            "  --delay-ms N          wait N ms before answering each request\n"
            "  --tls-cert/--tls-key  serve HTTPS with this certificate and key\n"
            "  GET /_fake/stats      request counters (not part of Confluent's API)\n");
}

/* The whole file as a NUL-terminated string (NEW), or NULL (an empty file
 * too: it holds no PEM). */
static char *read_file(const char *path)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    size_t len;
    if (duban_buf_read_file(&b, path) || b.len == 0 || !duban_buf_cstr(&b)) {
        duban_buf_free(&b);
        return NULL;
    }
    return (char *)duban_buf_take(&b, &len);
}

static bool parse_long(const char *s, long min, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > INT32_MAX)
        return false;
    *out = v;
    return true;
}

typedef struct {
    const char *url_file, *tls_cert, *tls_key;
    char *userinfo; /* NEW: "USER\0PASSWORD", g.user and g.password point into it */
} registry_opts_t;

/* --user, --reject-changes (repeatable), --first-id and --delay-ms. */
static int registry_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                        size_t errbuf_size)
{
    registry_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    long n;
    if (strcmp(a, "--user") && strcmp(a, "--reject-changes") && strcmp(a, "--first-id") &&
        strcmp(a, "--delay-ms"))
        return 0;
    if (!v)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s needs a value", a), -1;
    if (strcmp(a, "--user") == 0) {
        free(o->userinfo);
        o->userinfo = strdup(v);
        char *colon = o->userinfo ? strchr(o->userinfo, ':') : NULL;
        if (!colon)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--user takes USER:PASSWORD"), -1;
        *colon = '\0';
        g.user = o->userinfo;
        g.password = colon + 1;
    } else if (strcmp(a, "--reject-changes") == 0) {
        if (g.nreject == MAX_REJECT)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "too many --reject-changes"), -1;
        g.reject[g.nreject++] = v;
    } else if (!parse_long(v, 0, &n)) {
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "%s %s: not a whole number >= 0", a, v), -1;
    } else if (strcmp(a, "--first-id") == 0) {
        g.next_id = (int32_t)n;
    } else {
        g.delay_ms = n;
    }
    return 2;
}

int main(int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--tls-cert", DUBAN_OPT_STRING, offsetof(registry_opts_t, tls_cert)},
        {"--tls-key", DUBAN_OPT_STRING, offsetof(registry_opts_t, tls_key)},
        {"--url-file", DUBAN_OPT_STRING, offsetof(registry_opts_t, url_file)},
    };
    /* the common options (-b, --config, ...) are accepted and unused */
    static const duban_program_t prog = {"duban-fake-registry", usage, table,
                                         sizeof(table) / sizeof(table[0]), registry_arg, 0};
    registry_opts_t o = {0};
    duban_conf_t *conf = duban_conf_new();
    int rc = duban_program_start(&prog, conf, argc, argv, &o);
    duban_conf_destroy(conf);
    char *userinfo = o.userinfo;
    if (rc) {
        free(userinfo);
        return rc > 0 ? 0 : 2;
    }
    const char *url_file = o.url_file, *tls_cert = o.tls_cert, *tls_key = o.tls_key;

    if (!tls_cert != !tls_key) {
        fprintf(stderr, "duban-fake-registry: --tls-cert and --tls-key go together\n");
        free(userinfo);
        return 2;
    }
    char *cert_pem = tls_cert ? read_file(tls_cert) : NULL;
    char *key_pem = tls_key ? read_file(tls_key) : NULL;
    if (tls_cert && (!cert_pem || !key_pem)) {
        fprintf(stderr, "duban-fake-registry: cannot read %s or %s\n", tls_cert, tls_key);
        free(cert_pem);
        free(key_pem);
        free(userinfo);
        return 1;
    }
    const char *scheme = cert_pem ? "https" : "http";

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* SIGINT/SIGTERM stay blocked but in sigsuspend below: one that comes
     * before the wait (a test stopping a server it just started) is not
     * lost, which a check of `stop` followed by pause() could do */
    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &waitmask);
    sigdelset(&waitmask, SIGINT);
    sigdelset(&waitmask, SIGTERM);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ERROR_LOG | (cert_pem ? MHD_USE_TLS : 0);
    struct MHD_Daemon *d = cert_pem
        ? MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
                           MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&addr,
                           MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                           MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
                           MHD_OPTION_HTTPS_MEM_KEY, key_pem,
                           MHD_OPTION_HTTPS_MEM_CERT, cert_pem, MHD_OPTION_END)
        : MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL,
                           MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&addr,
                           MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                           MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "duban-fake-registry: cannot start the HTTP server on 127.0.0.1\n");
        free(cert_pem);
        free(key_pem);
        free(userinfo);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    if (!port) {
        fprintf(stderr, "duban-fake-registry: cannot tell the bound port\n");
        MHD_stop_daemon(d);
        free(cert_pem);
        free(key_pem);
        free(userinfo);
        return 1;
    }
    printf("%s://127.0.0.1:%u\n", scheme, port);
    fflush(stdout);
    if (url_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", url_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%s://127.0.0.1:%u\n", scheme, port) < 0 || fclose(f) != 0 ||
            rename(tmp, url_file) != 0) {
            fprintf(stderr, "duban-fake-registry: cannot write %s: %s\n", url_file, strerror(errno));
            MHD_stop_daemon(d);
            free(cert_pem);
            free(key_pem);
            free(userinfo);
            return 1;
        }
    }
    while (!stop)
        sigsuspend(&waitmask);
    MHD_stop_daemon(d);
    fprintf(stderr, "duban-fake-registry: stopped after %lu requests (%lu registers, %lu lookups)\n",
            g.requests, g.registers, g.lookups);
    for (size_t i = 0; i < g.nschemas; i++) {
        free(g.schemas[i].canonical);
        free(g.schemas[i].text);
    }
    free(g.schemas);
    for (size_t i = 0; i < g.nsubjects; i++) {
        free(g.subjects[i].name);
        free(g.subjects[i].ids);
    }
    free(g.subjects);
    free(cert_pem);
    free(key_pem);
    free(userinfo);
    return 0;
}
