/* common/core/conf_keys.c: the catalogue of settings (conf_keys.h). One row
 * per key; add a key here before a program reads it. */
#include <string.h>
#include "conf_keys.h"

#define S DUBAN_KEY_STRING
#define I DUBAN_KEY_INT
#define B DUBAN_KEY_BOOL
#define ALERTER DUBAN_USES_ALERTER
#define NOTIFIER DUBAN_USES_NOTIFIER
#define STATUS DUBAN_USES_STATUS
#define AUDIT DUBAN_USES_AUDIT
#define ANALYTICS DUBAN_USES_ANALYTICS
#define KAFKA DUBAN_USES_KAFKA

static const duban_conf_key_t KEYS[] = {
    {"log.level", S, "info", KAFKA, "error|warn|info|debug (also --log-level)"},

    {"schema.registry.url", S, NULL, KAFKA,
     "Schema Registry base URL(s), comma-separated; unset: built-in schema ids 1-6"},
    {"schema.registry.subject.strategy", S, "topic", KAFKA, "topic | topic_record | record"},
    {"schema.registry.basic.auth.user.info", S, NULL, KAFKA, "user:password (never logged)"},
    {"schema.registry.ssl.ca.location", S, NULL, KAFKA, "PEM CA bundle (default: system CAs)"},
    {"schema.registry.ssl.verify", B, "true", KAFKA, "verify certificate and host name"},
    {"schema.registry.timeout.ms", I, "10000", KAFKA, "per request, connect included"},

    {"topics.ensure", B, "true", KAFKA, "create or check duban's topics at start"},
    {"topics.partitions", I, "4", KAFKA,
     "partitions of a topic duban creates (tasks, task-status, alerts co-partitioned)"},
    {"topics.replication.factor", I, "-1", KAFKA, "replicas per partition; -1: the broker's default"},
    {"topics.min.insync.replicas", I, NULL, KAFKA, "set on every topic duban creates; unset: the broker's"},
    {"topics.long.retention.ms", I, "94608000000", KAFKA,
     "retention of deliveries and the DLQ (3 years); the audit trail is kept forever"},
    {"topics.timeout.ms", I, "30000", KAFKA, "Admin and metadata requests"},

    {"ops.listen", S, NULL, ALERTER | NOTIFIER | STATUS | ANALYTICS, "HOST:PORT serving /metrics and /healthz; port 0 = any; unset: off"},

    {"alerter.group", S, "duban-alerter", ALERTER, "consumer group"},
    {"alerter.due.soon.days", S, "7,3", ALERTER | AUDIT | ANALYTICS, "working days before the due date of each DUE_SOON"},
    {"alerter.yellow.days", I, "3", ALERTER | AUDIT | STATUS | ANALYTICS, "working days left that make a task yellow"},
    {"alerter.escalation.every.days", I, "5", ALERTER | AUDIT, "working days between ESCALATIONs"},
    {"alerter.escalation.max", I, "0", ALERTER | AUDIT, "ESCALATIONs per task; 0 = unlimited"},
    {"alerter.fire.time", S, "09:00", ALERTER | AUDIT, "time of day alerts fire (Asia/Shanghai)"},
    {"alerter.late.after.ms", I, "60000", ALERTER | AUDIT, "an alert sent this much after its time is marked late"},
    {"alerter.supervisors", S, "", ALERTER | AUDIT,
     "comma list of escalation recipients; empty: each document's issuers"},
    {"alerter.calendar.files", S, "", ALERTER | AUDIT | STATUS | ANALYTICS, "comma list of holiday schedules (holiday-cn JSON)"},
    {"alerter.departments.files", S, "", ALERTER,
     "comma list of department directory files (duban-departments/1) alerts name departments through; SIGHUP reloads them"},
    {"alerter.tick.ms", I, "200", ALERTER, "how often the alert heaps are checked"},
    {"alerter.rebuild.threads", I, "2", ALERTER, "threads reading back the log on assignment"},

    {"audit.delivery.late.after.ms", I, "300000", AUDIT, "verify: a delivery this long after its alert is late"},
    {"audit.verify.max.alerts", I, "5000000", AUDIT, "verify: refuse windows that expect more alerts"},

    {"notifier.routes", S, NULL, NOTIFIER, "routing file (JSON): departments to endpoints (also --routes)"},
    {"notifier.group", S, "duban-notifier", NOTIFIER, "consumer group"},
    {"notifier.max.inflight", I, "64", NOTIFIER,
     "requests in flight and sent outcomes not yet acknowledged by Kafka, in all; bounds the pairs a crash can send twice"},
    {"notifier.max.pending", I, "20000", NOTIFIER, "alert-endpoint pairs queued before reading pauses"},
    {"notifier.http.threads", I, "2", NOTIFIER, "libcurl worker threads"},
    {"notifier.commit.interval.ms", I, "500", NOTIFIER, "how often delivered offsets are committed"},
    {"notifier.allow.private", B, "false", NOTIFIER, "allow endpoints on private and loopback addresses"},
    {"notifier.tls.verify", B, "true", NOTIFIER, "verify endpoints' certificates"},
    {"notifier.ca.file", S, NULL, NOTIFIER, "PEM CA bundle for endpoints (default: system CAs)"},
    {"notifier.resume.margin.ms", I, "5000", NOTIFIER, "deliveries read back before the oldest uncommitted alert"},
    {"notifier.resume.timeout.ms", I, "60000", NOTIFIER, "give up rebuilding a partition's delivered set after this"},
    {"notifier.resume.wait.ms", I, "5000", NOTIFIER, "bound on each Kafka wait of the rebuild"},

    {"status.tokens.file", S, NULL, STATUS, "token file (also --tokens); required for serve"},
    {"status.auth.tokens", S, NULL, STATUS, "removed: refused with a message; use status.tokens.file"},
    {"status.listen", S, "127.0.0.1:8080", STATUS, "serve address when --listen is not given"},
    {"status.delivery.timeout.ms", I, "30000", STATUS, "how long a write waits for its delivery report (then 503)"},
    {"status.idempotency.ttl.ms", I, "86400000", STATUS, "how long an Idempotency-Key is remembered"},
    {"status.http.max.connections", I, "256", STATUS, "connections in all"},
    {"status.http.max.connections.per.address", I, "32", STATUS, "connections from one address"},
    {"status.http.idle.timeout.s", I, "15", STATUS, "a connection silent this long is closed"},
    {"status.http.header.timeout.ms", I, "10000", STATUS, "headers must arrive within this of the connection"},
    {"status.http.body.timeout.ms", I, "30000", STATUS, "the body must arrive within this of the headers"},
};

const duban_conf_key_t *duban_conf_keys_all(size_t *count)
{
    *count = sizeof(KEYS) / sizeof(KEYS[0]);
    return KEYS;
}

const duban_conf_key_t *duban_conf_key_find(const char *key)
{
    for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++)
        if (strcmp(KEYS[i].key, key) == 0)
            return &KEYS[i];
    return NULL;
}

/* Levenshtein distance of two short strings, capped at cap + 1. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b), row[96];
    if (lb + 1 > sizeof(row) / sizeof(row[0]) || (la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            if (up + 1 < v)
                v = up + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best > cap)
            return cap + 1;
    }
    return row[lb];
}

const char *duban_conf_key_nearest(const char *key)
{
    const char *best = NULL;
    size_t best_d = 4;
    for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
        size_t d = edit_distance(key, KEYS[i].key, 3);
        if (d < best_d) {
            best_d = d;
            best = KEYS[i].key;
        }
    }
    return best;
}

void duban_conf_keys_usage(FILE *out, unsigned uses)
{
    static const char *const type_name[] = {"", " (integer)", " (true|false)"};
    fprintf(out, "Settings (--set KEY=VAL, --config FILE, DUBAN_<KEY> environment), default after =:\n");
    for (size_t i = 0; i < sizeof(KEYS) / sizeof(KEYS[0]); i++) {
        const duban_conf_key_t *k = &KEYS[i];
        if (!(k->uses & uses))
            continue;
        fprintf(out, "  %s=%s%s\n      %s\n", k->key, k->def ? k->def : "", type_name[k->type],
                k->help);
    }
    fprintf(out, "  kafka.*=  librdkafka properties, passed as they are (also -X PROP=VAL)\n");
}
