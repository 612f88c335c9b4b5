/* duban-receiver: a local webhook receiver for demos, tests and benchmarks.
 *
 * Listens on 127.0.0.1 (libmicrohttpd, one thread per connection, keep-alive)
 * and prints one line per message: the path (one robot or system per
 * department), the webhook-id and the message text — what each department
 * was told. It answers according to rules, per path or by default:
 *   200[:SECONDS] (answered after SECONDS)  500  429[:SECONDS] (with
 *   Retry-After)  410  hang[:SECONDS]  close
 * optionally limited to the next N requests ("500*3": three 500s, then 200).
 * Rules come from --rule PATH=MODE, --default MODE, or at run time from
 *   curl 'http://127.0.0.1:PORT/_control?path=/x&mode=500*2'
 * Every request can be recorded as a JSON line (--log FILE): receive time in
 * ms, path, status answered, webhook-id/-timestamp/-signature, body — so
 * tests can count repeats, check signatures and rate limits. GET /_stats
 * returns {"requests":N,"answered_2xx":N}. The first stdout line is the base
 * URL. */
#include <errno.h>
#include <stddef.h>
#include <fnmatch.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <jansson.h>
#include <microhttpd.h>
#include "cli.h"
#include "date.h"

#define MAX_RULES 64
#define MAX_BODY (1u << 20)

typedef struct {
    char path[256];
    int status;        /* 200 500 429 410; 0 = hang; -1 = close */
    long arg;          /* Retry-After seconds, or hang seconds */
    long remaining;    /* -1 = forever; then 200 */
} rule_t;

typedef struct {
    char *data;
    size_t len;
    bool too_big;
} upload_t;

static struct {
    pthread_mutex_t mu;
    rule_t rules[MAX_RULES];
    size_t rule_count;
    rule_t dflt;
    FILE *log;
    bool quiet;
    unsigned long long requests, ok;
} R = {.mu = PTHREAD_MUTEX_INITIALIZER, .dflt = {"", 200, 0, -1}};

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig) { (void)sig; stop_flag = 1; }

/* "500", "429:2", "hang:5", "close", "410", "200", "200:2", each with "*N". */
static bool parse_mode(const char *s, rule_t *r)
{
    char *end;
    r->remaining = -1;
    r->arg = 0;
    if (strncmp(s, "hang", 4) == 0) {
        r->status = 0;
        r->arg = 30;
        end = (char *)s + 4;
    } else if (strncmp(s, "close", 5) == 0) {
        r->status = -1;
        end = (char *)s + 5;
    } else {
        r->status = (int)strtol(s, &end, 10);
        if (end == s || r->status < 100 || r->status > 599)
            return false;
    }
    if (*end == ':')
        r->arg = strtol(end + 1, &end, 10);
    if (*end == '*')
        r->remaining = strtol(end + 1, &end, 10);
    return *end == '\0';
}

static bool set_rule(const char *path, const char *mode)
{
    rule_t r;
    if (!parse_mode(mode, &r) || strlen(path) >= sizeof(r.path))
        return false;
    snprintf(r.path, sizeof(r.path), "%s", path);
    pthread_mutex_lock(&R.mu);
    size_t i = 0;
    while (i < R.rule_count && strcmp(R.rules[i].path, path) != 0)
        i++;
    bool ok = i < MAX_RULES;
    if (ok) {
        R.rules[i] = r;
        if (i == R.rule_count)
            R.rule_count++;
    }
    pthread_mutex_unlock(&R.mu);
    return ok;
}

/* The answer for path, consuming one use of a limited rule. */
static rule_t pick_rule(const char *path)
{
    rule_t out = R.dflt;
    pthread_mutex_lock(&R.mu);
    for (size_t i = 0; i < R.rule_count; i++) {
        rule_t *r = &R.rules[i];
        if (fnmatch(r->path, path, 0) != 0)
            continue;
        out = *r;
        if (r->remaining == 0)
            out = (rule_t){"", 200, 0, -1};
        else if (r->remaining > 0)
            r->remaining--;
        break;
    }
    pthread_mutex_unlock(&R.mu);
    return out;
}

/* The human text of a message: robots' text/content, CloudEvents' data.message. */
static const char *message_text(json_t *b)
{
    const char *keys[][2] = {{"markdown", "text"}, {"markdown", "content"},
                             {"content", "text"}, {"text", "content"}, {"data", "message"}};
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        const char *s = json_string_value(json_object_get(json_object_get(b, keys[i][0]),
                                                          keys[i][1]));
        if (s)
            return s;
    }
    return NULL;
}

static void print_line(const char *path, const char *id, const char *body, int status)
{
    json_t *b = json_loads(body, 0, NULL);
    const char *text = message_text(b);
    char ts[32];
    duban_instant_format(duban_now_ms(), ts);
    flockfile(stdout);
    printf("%s %s [%d] id=%s ", ts, path, status, id ? id : "-");
    for (const char *p = text ? text : "(no text)"; *p; p++) {
        if (*p == '\n')
            fputs(" / ", stdout);
        else
            putchar(*p);
    }
    putchar('\n');
    fflush(stdout);
    funlockfile(stdout);
    json_decref(b);
}

static void log_request(struct MHD_Connection *c, const char *path, const upload_t *u,
                        int status)
{
    const char *id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "webhook-id");
    if (!R.quiet)
        print_line(path, id, u->data ? u->data : "", status);
    if (!R.log)
        return;
    json_t *o = json_pack("{s:I, s:s, s:i, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
        "t_ms", (json_int_t)duban_now_ms(), "path", path, "status", status,
        "webhook_id", id,
        "webhook_timestamp", MHD_lookup_connection_value(c, MHD_HEADER_KIND, "webhook-timestamp"),
        "webhook_signature", MHD_lookup_connection_value(c, MHD_HEADER_KIND, "webhook-signature"),
        "sign", MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "sign"),
        "timestamp", MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timestamp"),
        "body", u->data ? u->data : "");
    char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (line) {
        pthread_mutex_lock(&R.mu);
        fprintf(R.log, "%s\n", line);
        fflush(R.log);
        pthread_mutex_unlock(&R.mu);
    }
    free(line);
    json_decref(o);
}

static enum MHD_Result respond(struct MHD_Connection *c, int status, const char *body,
                               long retry_after)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
                                                             MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (retry_after > 0) {
        char v[24];
        snprintf(v, sizeof(v), "%ld", retry_after);
        MHD_add_response_header(r, "Retry-After", v);
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result control(struct MHD_Connection *c, const char *url)
{
    char buf[128];
    if (strcmp(url, "/_stats") == 0) {
        pthread_mutex_lock(&R.mu);
        snprintf(buf, sizeof(buf), "{\"requests\":%llu,\"answered_2xx\":%llu}", R.requests, R.ok);
        pthread_mutex_unlock(&R.mu);
        return respond(c, 200, buf, 0);
    }
    const char *path = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "path");
    const char *mode = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "mode");
    if (path && mode && strcmp(path, "*") == 0 && parse_mode(mode, &R.dflt))
        return respond(c, 200, "{\"ok\":true}", 0);
    if (!path || !mode || !set_rule(path, mode))
        return respond(c, 400, "{\"error\":\"need path= and mode=\"}", 0);
    return respond(c, 200, "{\"ok\":true}", 0);
}

static enum MHD_Result answer(struct MHD_Connection *c, const char *url, const upload_t *u)
{
    rule_t r = pick_rule(url);
    int status = r.status > 0 ? r.status : 0;
    pthread_mutex_lock(&R.mu);
    R.requests++;
    R.ok += status >= 200 && status < 300;
    pthread_mutex_unlock(&R.mu);
    log_request(c, url, u, r.status);
    if (r.status == -1)
        return MHD_NO;  /* MHD closes the connection without an answer */
    if (r.status == 0 || r.status == 200) {   /* hang, or a slow 200 */
        for (long i = 0; i < r.arg * 10 && !stop_flag; i++)
            usleep(100000);
    }
    if (r.status == 0)
        return MHD_NO;
    if (r.status == 200)
        return respond(c, 200, "{\"errcode\":0,\"errmsg\":\"ok\",\"code\":0}", 0);
    return respond(c, status, "{\"errcode\":-1,\"errmsg\":\"receiver rule\"}",
                   r.status == 429 ? r.arg : 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *data, size_t *data_size, void **con_cls)
{
    upload_t *u = *con_cls;
    if (!u) {
        if (!(u = calloc(1, sizeof(*u))))
            return MHD_NO;
        *con_cls = u;
        return MHD_YES;
    }
    if (*data_size) {
        if (u->len + *data_size > MAX_BODY) {
            u->too_big = true;
        } else {
            char *p = realloc(u->data, u->len + *data_size + 1);
            if (!p)
                return MHD_NO;
            memcpy(p + u->len, data, *data_size);
            u->data = p;
            u->len += *data_size;
            u->data[u->len] = '\0';
        }
        *data_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, "/_", 2) == 0)
        return control(c, url);
    if (u->too_big)
        return respond(c, 413, "{\"error\":\"too large\"}", 0);
    return answer(c, url, u);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    upload_t *u = *con_cls;
    if (u) {
        free(u->data);
        free(u);
        *con_cls = NULL;
    }
}

static void usage(FILE *out)
{
    fprintf(out,
        "Usage: duban-receiver [--port N] [--port-file F] [--log FILE] [--quiet]\n"
        "                      [--default MODE] [--rule PATH=MODE]...\n"
        "MODE: 200[:SECONDS] | 500 | 429[:SECONDS] | 410 | hang[:SECONDS] | close, with *N to\n"
        "apply it to the next N requests only. PATH may hold * wildcards.\n"
        "Control: GET /_control?path=P&mode=M (path=* sets the default), GET /_stats.\n");
}

typedef struct {
    int quiet;
    const char *port_file;
    unsigned port;
} receiver_opts_t;

/* --port, --log, --default and --rule, whose values are parsed or opened. */
static int receiver_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                        size_t errbuf_size)
{
    receiver_opts_t *o = opts;
    const char *a = argv[i];
    char *v = i + 1 < argc ? argv[i + 1] : NULL, *eq;
    if (strcmp(a, "--port") && strcmp(a, "--log") && strcmp(a, "--default") &&
        strcmp(a, "--rule"))
        return 0;
    if (!v)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s needs a value", a), -1;
    if (strcmp(a, "--port") == 0) {
        o->port = (unsigned)strtoul(v, NULL, 10);
    } else if (strcmp(a, "--log") == 0) {
        if (R.log)
            fclose(R.log);
        if (!(R.log = fopen(v, "a")))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "--log %s: %s", v,
                                strerror(errno)), -1;
    } else if (strcmp(a, "--default") == 0) {
        if (!parse_mode(v, &R.dflt))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "--default %s: not a MODE",
                                v), -1;
    } else {
        if (!(eq = strchr(v, '=')))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--rule %s: not PATH=MODE", v), -1;
        *eq = '\0';
        if (!set_rule(v, eq + 1))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "--rule %s=%s: bad MODE, path too long or too many rules", v,
                                eq + 1), -1;
    }
    return 2;
}

/* As duban_program_start: 0 to go on, 1 after --help, -1 on a usage error.
 * The common options (-b, --config, ...) are accepted and unused. */
static int parse_args(int argc, char **argv, receiver_opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--quiet", DUBAN_OPT_FLAG, offsetof(receiver_opts_t, quiet)},
        {"--port-file", DUBAN_OPT_STRING, offsetof(receiver_opts_t, port_file)},
    };
    static const duban_program_t prog = {"duban-receiver", usage, table,
                                         sizeof(table) / sizeof(table[0]), receiver_arg, 0};
    duban_conf_t *conf = duban_conf_new();
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    duban_conf_destroy(conf);
    R.quiet = o->quiet;
    return rc;
}

static int write_port_file(const char *path, const char *url)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%s\n", url) < 0 || fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

int main(int argc, char **argv)
{
    receiver_opts_t o = {0};
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc > 0 ? 0 : 2;
    unsigned port = o.port;
    const char *port_file = o.port_file;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL,
        0, NULL, NULL, on_request, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "duban-receiver: cannot listen on 127.0.0.1:%u: %s\n", port,
                strerror(errno));
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u", info ? info->port : port);
    printf("%s\n", url);
    fflush(stdout);
    if (port_file && write_port_file(port_file, url) != 0)
        fprintf(stderr, "duban-receiver: cannot write %s\n", port_file);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_flag)
        usleep(100000);
    MHD_stop_daemon(d);
    if (R.log)
        fclose(R.log);
    return 0;
}
