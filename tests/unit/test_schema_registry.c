/* tests/unit/test_schema_registry.c: the Confluent Schema Registry client
 * (common/schema_registry.c) and both registries of common/registry.c,
 * against duban-fake-registry ($DUBAN_BIN_DIR), a local server answering
 * Confluent's documented REST API. Its /_fake/stats counters prove which
 * calls reached the server and which were served from the caches. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <curl/curl.h>
#include <jansson.h>
#include "check.h"
#include "conf.h"
#include "embedded.h"
#include "event.h"
#include "registry.h"
#include "schema_registry.h"
#include "serde.h"

extern char **environ;

typedef struct {
    pid_t pid;
    char url[128];
} server_t;

static const char *SCHEMA_X =
    "{\"type\":\"record\",\"name\":\"X\",\"namespace\":\"t\",\"fields\":"
    "[{\"name\":\"a\",\"type\":\"int\"}]}";
static const char *SCHEMA_Y =
    "{\"type\":\"record\",\"name\":\"X\",\"namespace\":\"t\",\"fields\":"
    "[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}]}";

/* Starts duban-fake-registry with args (NULL-terminated); 0 on success. */
static int server_start(server_t *s, const char *const *args)
{
    const char *dir = getenv("DUBAN_BIN_DIR");
    char prog[1024];
    snprintf(prog, sizeof prog, "%s/duban-fake-registry", dir ? dir : "build/bin");
    char *argv[16];
    int n = 0;
    argv[n++] = prog;
    for (; args && *args && n < 15; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    int rc = posix_spawn(&s->pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        fprintf(stderr, "cannot start %s: %s (set DUBAN_BIN_DIR)\n", prog, strerror(rc));
        close(fds[0]);
        return -1;
    }
    FILE *f = fdopen(fds[0], "r");
    if (!f || !fgets(s->url, sizeof s->url, f)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    s->url[strcspn(s->url, "\n")] = '\0';
    return strncmp(s->url, "http://127.0.0.1:", 17) == 0 ||
                   strncmp(s->url, "https://127.0.0.1:", 18) == 0 ? 0 : -1;
}

static void server_stop(server_t *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int st;
        waitpid(s->pid, &st, 0);
        s->pid = 0;
    }
}

static size_t collect(char *p, size_t size, size_t n, void *opaque)
{
    char *buf = opaque;
    size_t have = strlen(buf), add = size * n;
    if (have + add >= 8192)
        return 0;
    memcpy(buf + have, p, add);
    buf[have + add] = '\0';
    return add;
}

/* GET url+path (HTTPS verified with ca when given); the parsed JSON answer
 * (NEW) or NULL. */
static json_t *http_get_json_ca(const server_t *s, const char *path, const char *ca)
{
    char url[256], buf[8192] = "";
    snprintf(url, sizeof url, "%s%s", s->url, path);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, buf);
    if (ca)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? json_loads(buf, JSON_DECODE_ANY, NULL) : NULL;
}

static json_t *http_get_json(const server_t *s, const char *path)
{
    return http_get_json_ca(s, path, NULL);
}

/* registers + lookups seen by an HTTPS fake registry */
static long stat_of_tls(const server_t *s, const char *ca)
{
    json_t *j = http_get_json_ca(s, "/_fake/stats", ca);
    long v = json_is_integer(json_object_get(j, "registers")) && json_is_integer(json_object_get(j, "lookups"))
                 ? (long)(json_integer_value(json_object_get(j, "registers")) +
                          json_integer_value(json_object_get(j, "lookups")))
                 : -1;
    json_decref(j);
    return v;
}

/* /_fake/stats counter `key` (requests, registers, lookups), -1 on error. */
static long stat_of(const server_t *s, const char *key)
{
    json_t *j = http_get_json(s, "/_fake/stats");
    long v = json_is_integer(json_object_get(j, key)) ? (long)json_integer_value(json_object_get(j, key)) : -1;
    json_decref(j);
    return v;
}

static int has_subject(const server_t *s, const char *subject)
{
    json_t *a = http_get_json(s, "/subjects");
    size_t i;
    json_t *v;
    int found = 0;
    json_array_foreach(a, i, v) if (json_is_string(v) && strcmp(json_string_value(v), subject) == 0)
        found = 1;
    json_decref(a);
    return found;
}

static duban_schema_registry_t *client(const char *url, const char *userinfo, long timeout_ms)
{
    duban_schema_registry_opts_t o;
    duban_schema_registry_opts_init(&o);
    o.url = url;
    o.basic_auth_user_info = userinfo;
    if (timeout_ms)
        o.timeout_ms = timeout_ms;
    duban_schema_registry_t *sr = NULL;
    char err[256];
    if (duban_schema_registry_new(&o, &sr, err, sizeof err) != DUBAN_OK)
        fprintf(stderr, "client: %s\n", err);
    return sr;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_client(void)
{
    server_t s = {0};
    const char *args[] = {"--first-id", "100", "--reject-changes", "strict-value", NULL};
    CHECK(server_start(&s, args) == 0);
    duban_schema_registry_t *sr = client(s.url, NULL, 0);
    CHECK(sr != NULL);
    char err[512];
    int32_t id = -1, id2 = -1;

    /* register: same schema twice -> same id; the client itself does not cache */
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 100);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id2, err, sizeof err), DUBAN_OK);
    CHECK_INT(id2, 100);
    CHECK_INT(stat_of(&s, "registers"), 2);
    CHECK_INT(duban_schema_registry_requests(sr), 2);
    /* another schema -> another id; the same schema in another subject -> same id */
    CHECK_INT(duban_schema_registry_register(sr, "u-value", SCHEMA_Y, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 101);
    CHECK_INT(duban_schema_registry_register(sr, "u-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 100);

    /* lookup by id */
    char *text = NULL;
    CHECK_INT(duban_schema_registry_schema_by_id(sr, 101, &text, err, sizeof err), DUBAN_OK);
    CHECK_STR(text, SCHEMA_Y);
    free(text);
    text = NULL;
    /* 404 / 40403 */
    CHECK_INT(duban_schema_registry_schema_by_id(sr, 7, &text, err, sizeof err),
              DUBAN_E_UNKNOWN_SCHEMA);
    CHECK(text == NULL);
    CHECK(strstr(err, "HTTP 404") && strstr(err, "40403") && strstr(err, "not found"));

    /* 409: a subject that rejects changes */
    CHECK_INT(duban_schema_registry_register(sr, "strict-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_schema_registry_register(sr, "strict-value", SCHEMA_Y, &id, err, sizeof err),
              DUBAN_E_CONFLICT);
    CHECK(strstr(err, "HTTP 409") && strstr(err, "incompatible") && strstr(err, "strict-value"));
    /* ...and the schema it has is still accepted */
    CHECK_INT(duban_schema_registry_register(sr, "strict-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 100);

    /* 422 / 42201: not Avro, not JSON */
    CHECK_INT(duban_schema_registry_register(sr, "v-value", "{\"type\":\"recrd\"}", &id, err, sizeof err),
              DUBAN_E_SCHEMA);
    CHECK(strstr(err, "HTTP 422") && strstr(err, "42201"));
    CHECK_INT(duban_schema_registry_register(sr, "v-value", "{not json", &id, err, sizeof err),
              DUBAN_E_SCHEMA);
    CHECK(!has_subject(&s, "v-value"));
    CHECK(has_subject(&s, "t-value") && has_subject(&s, "u-value"));
    CHECK_INT(duban_registry_id_for(NULL, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_E_INVAL);
    duban_schema_registry_destroy(sr);

    /* a list of URLs: the dead first one is skipped */
    char list[300];
    snprintf(list, sizeof list, "http://127.0.0.1:1, %s/", s.url);
    sr = client(list, NULL, 2000);
    CHECK(sr != NULL);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 100);
    CHECK_INT(duban_schema_registry_requests(sr), 2);
    duban_schema_registry_destroy(sr);
    server_stop(&s);

    /* transport errors */
    sr = client("http://127.0.0.1:1", NULL, 2000);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_E_HTTP);
    CHECK(strstr(err, "127.0.0.1:1") != NULL);
    duban_schema_registry_destroy(sr);
    duban_schema_registry_opts_t o;
    duban_schema_registry_opts_init(&o);
    CHECK_INT(duban_schema_registry_new(&o, &sr, err, sizeof err), DUBAN_E_INVAL);
    o.url = "ftp://127.0.0.1:21";
    CHECK_INT(duban_schema_registry_new(&o, &sr, err, sizeof err), DUBAN_E_INVAL);
    CHECK(sr == NULL);
    o.url = "http://127.0.0.1:1";
    o.basic_auth_user_info = "no-colon";
    CHECK_INT(duban_schema_registry_new(&o, &sr, err, sizeof err), DUBAN_E_INVAL);
    CHECK(strstr(err, "no-colon") == NULL);
}

static void test_auth_and_timeout(void)
{
    server_t s = {0};
    const char *args[] = {"--user", "duban:s3cr3t-pw", NULL};
    CHECK(server_start(&s, args) == 0);
    char err[512], url[300];
    int32_t id;
    /* no credentials, wrong password: 401 -> DUBAN_E_AUTH, secret not echoed */
    duban_schema_registry_t *sr = client(s.url, NULL, 0);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_E_AUTH);
    CHECK(strstr(err, "HTTP 401") != NULL);
    duban_schema_registry_destroy(sr);
    sr = client(s.url, "duban:wrong-pw", 0);
    CHECK_INT(duban_schema_registry_schema_by_id(sr, 1, &(char *){NULL}, err, sizeof err), DUBAN_E_AUTH);
    CHECK(strstr(err, "wrong-pw") == NULL);
    duban_schema_registry_destroy(sr);
    CHECK_INT(stat_of(&s, "registers"), 0);
    /* right credentials, as option and in the URL */
    sr = client(s.url, "duban:s3cr3t-pw", 0);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 1);
    duban_schema_registry_destroy(sr);
    snprintf(url, sizeof url, "http://duban:s3cr3t-pw@%s", s.url + 7);
    sr = client(url, NULL, 0);
    char *text = NULL;
    CHECK_INT(duban_schema_registry_schema_by_id(sr, 1, &text, err, sizeof err), DUBAN_OK);
    CHECK_STR(text, SCHEMA_X);
    free(text);
    /* an error naming that URL does not show its password */
    CHECK_INT(duban_schema_registry_schema_by_id(sr, 99, &(char *){NULL}, err, sizeof err),
              DUBAN_E_UNKNOWN_SCHEMA);
    duban_schema_registry_destroy(sr);
    sr = client("http://duban:s3cr3t-pw@127.0.0.1:1", NULL, 2000);
    CHECK_INT(duban_schema_registry_register(sr, "t-value", SCHEMA_X, &id, err, sizeof err), DUBAN_E_HTTP);
    CHECK(strstr(err, "s3cr3t") == NULL && strstr(err, "127.0.0.1:1") != NULL);
    duban_schema_registry_destroy(sr);

    /* the registry reads the credentials from conf */
    duban_conf_t *conf = duban_conf_new();
    duban_conf_set(conf, "schema.registry.url", s.url, err, sizeof err);
    duban_conf_set(conf, "schema.registry.basic.auth.user.info", "duban:nope", err, sizeof err);
    duban_registry_t *r = NULL;
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_E_AUTH);
    CHECK(strstr(err, "nope") == NULL);
    duban_registry_destroy(r);
    duban_conf_set(conf, "schema.registry.basic.auth.user.info", "duban:s3cr3t-pw", err, sizeof err);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 2);
    duban_registry_destroy(r);
    duban_conf_destroy(conf);
    server_stop(&s);

    /* timeout: the server answers after 1.5 s, the client waits 200 ms */
    const char *slow[] = {"--delay-ms", "1500", NULL};
    CHECK(server_start(&s, slow) == 0);
    conf = duban_conf_new();
    duban_conf_set(conf, "schema.registry.url", s.url, err, sizeof err);
    duban_conf_set(conf, "schema.registry.timeout.ms", "200", err, sizeof err);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    double t0 = now_s();
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_E_TIMEOUT);
    CHECK(now_s() - t0 < 1.2);
    duban_registry_destroy(r);
    duban_conf_set(conf, "schema.registry.timeout.ms", "soon", err, sizeof err);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_E_INVAL);
    duban_conf_destroy(conf);
    server_stop(&s);
}

static void test_registry_confluent(void)
{
    server_t s = {0};
    const char *args[] = {"--first-id", "200", NULL};
    CHECK(server_start(&s, args) == 0);
    char err[512];
    duban_conf_t *conf = duban_conf_new();
    CHECK_INT(duban_conf_set(conf, "schema.registry.url", s.url, err, sizeof err), DUBAN_OK);
    duban_registry_t *r = NULL;
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);

    int32_t ids[DUBAN_EV__COUNT], id;
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        CHECK_INT(duban_registry_id_for(r, duban_event_topic(t), t, NULL, &ids[t], err, sizeof err),
                  DUBAN_OK);
        CHECK_INT(ids[t], 200 + t);
    }
    CHECK_INT(stat_of(&s, "requests"), DUBAN_EV__COUNT);
    /* TopicNameStrategy subjects */
    CHECK(has_subject(&s, "duban.documents.v1-value"));
    CHECK(has_subject(&s, "duban.tasks.v1-value"));
    CHECK(has_subject(&s, "duban.dlq.v1-value"));
    /* cached both ways: no request for the same ids, nor for their schemas */
    long before = stat_of(&s, "requests");
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        const char *embedded = duban_embedded_get(duban_event_schema_file(t))->data;
        CHECK_INT(duban_registry_id_for(r, NULL, t, embedded, &id, err, sizeof err), DUBAN_OK);
        CHECK_INT(id, ids[t]);
        const char *text = NULL;
        CHECK_INT(duban_registry_schema_by_id(r, ids[t], &text, err, sizeof err), DUBAN_OK);
        CHECK_STR(text, embedded);
    }
    CHECK_INT(stat_of(&s, "requests"), before);
    CHECK_INT(stat_of(&s, "registers"), DUBAN_EV__COUNT);
    CHECK_INT(stat_of(&s, "lookups"), 0);
    /* the same type on another topic is another subject: one request */
    CHECK_INT(duban_registry_id_for(r, "other.topic", DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_OK);
    CHECK_INT(id, ids[DUBAN_EV_TASK_ASSIGNED]);
    CHECK(has_subject(&s, "other.topic-value"));
    CHECK_INT(stat_of(&s, "registers"), DUBAN_EV__COUNT + 1);
    duban_registry_destroy(r);

    /* a fresh registry (a consumer) looks an id up once, then serves it cached */
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    const char *text = NULL, *text2 = NULL;
    CHECK_INT(duban_registry_schema_by_id(r, ids[DUBAN_EV_DEADLINE_ALERT], &text, err, sizeof err),
              DUBAN_OK);
    CHECK_STR(text, duban_embedded_get("DeadlineAlert.avsc")->data);
    CHECK_INT(duban_registry_schema_by_id(r, ids[DUBAN_EV_DEADLINE_ALERT], &text2, err, sizeof err),
              DUBAN_OK);
    CHECK(text == text2);
    CHECK_INT(stat_of(&s, "lookups"), 1);
    /* unknown ids are typed errors, and not cached (each asks again) */
    CHECK_INT(duban_registry_schema_by_id(r, 999, &text, err, sizeof err), DUBAN_E_UNKNOWN_SCHEMA);
    CHECK(strstr(err, "40403") != NULL);
    CHECK_INT(duban_registry_schema_by_id(r, 999, &text, err, sizeof err), DUBAN_E_UNKNOWN_SCHEMA);
    CHECK_INT(stat_of(&s, "lookups"), 3);
    duban_registry_destroy(r);

    /* TopicRecordNameStrategy */
    CHECK_INT(duban_conf_set(conf, "schema.registry.subject.strategy", "topic_record", err, sizeof err),
              DUBAN_OK);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, DUBAN_TOPIC_TASKS, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err,
                                    sizeof err), DUBAN_OK);
    CHECK_INT(id, ids[DUBAN_EV_TASK_ASSIGNED]);
    CHECK(has_subject(&s, "duban.tasks.v1-gov.duban.TaskAssigned"));
    CHECK_INT(duban_registry_id_for(r, DUBAN_TOPIC_DLQ, DUBAN_EV_DEAD_LETTER, NULL, &id, err,
                                    sizeof err), DUBAN_OK);
    CHECK(has_subject(&s, "duban.dlq.v1-gov.duban.DeadLetter"));
    /* a different schema text for a record is a new registration */
    CHECK_INT(duban_registry_id_for(r, DUBAN_TOPIC_TASKS, DUBAN_EV_TASK_ASSIGNED, SCHEMA_X, &id, err,
                                    sizeof err), DUBAN_OK);
    CHECK_INT(id, 200 + DUBAN_EV__COUNT);
    duban_registry_destroy(r);
    CHECK_INT(duban_conf_set(conf, "schema.registry.subject.strategy", "bogus", err, sizeof err),
              DUBAN_OK);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_E_INVAL);
    CHECK(r == NULL);
    CHECK(strstr(err, "bogus") != NULL);
    duban_conf_set(conf, "schema.registry.subject.strategy", "topic", err, sizeof err);

    /* serde over the Confluent registry: the frame carries the registry's id,
     * and a consumer with an empty cache decodes it after one lookup */
    duban_serde_t *prod = NULL, *cons = NULL;
    CHECK_INT(duban_serde_new(conf, &prod, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_serde_new(conf, &cons, err, sizeof err), DUBAN_OK);
    json_error_t jerr;
    json_t *ev = json_loads(
        "{\"type\":\"DeliveryAttempt\",\"event_id\":\"e-1\",\"occurred_at\":\"2023-06-30T09:00:00+08:00\","
        "\"schema_version\":1,\"source\":{\"file\":\"duban-notifier\",\"line\":0,\"offset\":-1},"
        "\"alert_id\":\"a-1\",\"endpoint_id\":\"wecom-fgw\",\"department\":\"区发改局\","
        "\"attempt\":2,\"http_status\":503,\"error\":\"服务不可用\",\"latency_ms\":120,"
        "\"outcome\":\"RETRYING\",\"digest_size\":1}", 0, &jerr);
    CHECK(ev != NULL);
    void *msg = NULL;
    size_t len = 0;
    long lookups = stat_of(&s, "lookups");
    if (prod && cons && ev) {
        CHECK_INT(duban_serde_encode(prod, DUBAN_EV_DELIVERY_ATTEMPT, NULL, ev, &msg, &len, err, sizeof err),
                  DUBAN_OK);
        int32_t wire_id = -1;
        CHECK_INT(duban_serde_peek_id(msg, len, &wire_id), DUBAN_OK);
        CHECK_INT(wire_id, ids[DUBAN_EV_DELIVERY_ATTEMPT]);
        duban_event_type_t type;
        json_t *back = NULL;
        CHECK_INT(duban_serde_decode(cons, msg, len, &type, &back, err, sizeof err), DUBAN_OK);
        CHECK_INT(type, DUBAN_EV_DELIVERY_ATTEMPT);
        CHECK_STR(json_string_value(json_object_get(back, "department")), "区发改局");
        CHECK_STR(json_string_value(json_object_get(back, "error")), "服务不可用");
        CHECK_INT(json_integer_value(json_object_get(back, "http_status")), 503);
        CHECK_STR(json_string_value(json_object_get(back, "outcome")), "RETRYING");
        json_decref(back);
        CHECK_INT(stat_of(&s, "lookups"), lookups + 1);
        /* a frame naming an id the registry does not have */
        unsigned char *bad = msg;
        bad[1] = 0; bad[2] = 0; bad[3] = 0x03; bad[4] = 0xe7;   /* id 999 */
        CHECK_INT(duban_serde_decode(cons, msg, len, &type, &back, err, sizeof err),
                  DUBAN_E_UNKNOWN_SCHEMA);
        free(msg);
    }
    json_decref(ev);
    duban_serde_destroy(prod);
    duban_serde_destroy(cons);
    duban_conf_destroy(conf);
    server_stop(&s);
}

static void test_registry_builtin(void)
{
    char err[512];
    duban_registry_t *r = NULL;
    duban_conf_t *conf = duban_conf_new();   /* no schema.registry.url */
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        int32_t id = -1;
        const char *embedded = duban_embedded_get(duban_event_schema_file(t))->data;
        CHECK_INT(duban_registry_id_for(r, NULL, t, embedded, &id, err, sizeof err), DUBAN_OK);
        CHECK_INT(id, t + 1);
        /* a copy of the same text is the same schema */
        char *copy = strdup(embedded);
        CHECK_INT(duban_registry_id_for(r, "x", t, copy, &id, err, sizeof err), DUBAN_OK);
        CHECK_INT(id, t + 1);
        free(copy);
        const char *text = NULL;
        CHECK_INT(duban_registry_schema_by_id(r, t + 1, &text, err, sizeof err), DUBAN_OK);
        CHECK(text == embedded);
    }
    const char *text = NULL;
    int32_t id;
    CHECK_INT(duban_registry_schema_by_id(r, 0, &text, err, sizeof err), DUBAN_E_UNKNOWN_SCHEMA);
    CHECK_INT(duban_registry_schema_by_id(r, 7, &text, err, sizeof err), DUBAN_E_UNKNOWN_SCHEMA);
    CHECK(strstr(err, "7") != NULL);
    CHECK_INT(duban_registry_schema_by_id(r, -1, &text, err, sizeof err), DUBAN_E_UNKNOWN_SCHEMA);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, SCHEMA_X, &id, err, sizeof err),
              DUBAN_E_SCHEMA);
    duban_registry_destroy(r);
    CHECK_INT(duban_registry_new(NULL, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_DEAD_LETTER, NULL, &id, err, sizeof err), DUBAN_OK);
    CHECK_INT(id, 6);
    duban_registry_destroy(r);
    duban_conf_destroy(conf);
}

/* HTTPS: the server's self-signed test certificate (tests/fixtures/tls) */
static void test_tls(void)
{
    const char *src = getenv("DUBAN_SRC_DIR");
    char cert[1024], key[1024], err[512];
    snprintf(cert, sizeof cert, "%s/tests/fixtures/tls/registry-test.crt", src ? src : ".");
    snprintf(key, sizeof key, "%s/tests/fixtures/tls/registry-test.key", src ? src : ".");
    server_t s = {0};
    const char *args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    CHECK(server_start(&s, args) == 0);
    CHECK(strncmp(s.url, "https://127.0.0.1:", 18) == 0);
    duban_conf_t *conf = duban_conf_new();
    duban_conf_set(conf, "schema.registry.url", s.url, err, sizeof err);
    duban_registry_t *r = NULL;
    int32_t id = -1;
    /* verified by default: the self-signed certificate is refused */
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_E_HTTP);
    CHECK(strstr(err, "certificate") != NULL);
    duban_registry_destroy(r);
    /* ...accepted with its CA file */
    duban_conf_set(conf, "schema.registry.ssl.ca.location", cert, err, sizeof err);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_registry_id_for(r, NULL, DUBAN_EV_TASK_ASSIGNED, NULL, &id, err, sizeof err),
              DUBAN_OK);
    CHECK_INT(id, 1);
    duban_registry_destroy(r);
    /* ...or with verification off */
    duban_conf_set(conf, "schema.registry.ssl.ca.location", "", err, sizeof err);
    duban_conf_set(conf, "schema.registry.ssl.verify", "false", err, sizeof err);
    CHECK_INT(duban_registry_new(conf, &r, err, sizeof err), DUBAN_OK);
    const char *text = NULL;
    CHECK_INT(duban_registry_schema_by_id(r, 1, &text, err, sizeof err), DUBAN_OK);
    CHECK_STR(text, duban_embedded_get("TaskAssigned.avsc")->data);
    duban_registry_destroy(r);
    duban_conf_destroy(conf);
    CHECK_INT(stat_of_tls(&s, cert), 2);
    server_stop(&s);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    test_registry_builtin();
    test_client();
    test_auth_and_timeout();
    test_registry_confluent();
    test_tls();
    curl_global_cleanup();
    return CHECK_DONE();
}
