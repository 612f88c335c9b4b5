/* consumers/audit/redrive.c: duban-audit redrive, dead letters back to the
 * topic they came from, once the cause is fixed (an endpoint back up, a
 * task now ingested), so the consumer that dead-lettered them processes
 * them again.
 *
 * It reads duban.dlq.v1, keeps the dead letters selected (--all, or by
 * --offset, --original-topic, --reason, --service, --key), and re-publishes
 * each original message once (the notifier dead-letters an alert once per
 * failed endpoint: one original, several dead letters): its payload and key
 * unchanged, to its original topic and partition (by key when that
 * partition no longer exists). The redrive is recorded on the re-published
 * message itself, in headers (audit.h): duban.redrive.of (each DLQ entry,
 * "duban.dlq.v1:P:O"), duban.redrive.original ("TOPIC:P:O"),
 * duban.redrive.by (--actor), duban.redrive.reason and duban.redrive.id;
 * the topics it goes back to are kept for ever, so the record is too
 * (timeline shows it, verify knows a redriven alert is no duplicate). One
 * JSON line per re-published message on stdout says what went where.
 * A dead letter already redriven (a message in its topic names it in
 * duban.redrive.of) is left alone unless --force. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "alloc.h"
#include "audit.h"
#include "conf_keys.h"
#include "base64.h"
#include "date.h"
#include "hash.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "strlist.h"

#define MAX_OFFSETS 256
#define MAX_ENTRIES_PER_MESSAGE 32
#define FLUSH_MS 30000

typedef struct {
    int all, dry_run, force;
    const char *original_topic, *reason, *service, *key, *actor;
    int32_t dlq_part[MAX_OFFSETS];
    int64_t dlq_off[MAX_OFFSETS];
    size_t noffsets;
} redrive_opts_t;

/* One original message and the dead letters that hold it. */
typedef struct {
    char *topic, *reason, *service;
    int32_t partition;
    int64_t offset;
    unsigned char *key, *payload;  /* key NULL: none */
    size_t key_len, payload_len;
    int32_t dlq_part[MAX_ENTRIES_PER_MESSAGE];
    int64_t dlq_off[MAX_ENTRIES_PER_MESSAGE];
    size_t entries, already;       /* dead letters; of them already redriven */
    int32_t to_partition;          /* after the delivery report */
    int64_t to_offset;
    bool sent, failed;
} original_t;

typedef struct {
    redrive_opts_t *o;
    duban_serde_t *serde;
    original_t *msgs;
    size_t n, cap;
    duban_strlist_t done;          /* "duban.dlq.v1:P:O" already redriven */
    size_t letters, selected, undecodable;
} redrive_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-audit redrive (--all | SELECTION) [options]\n"
            "Re-publishes dead-lettered messages (duban.dlq.v1) to their original topic and\n"
            "partition, payload and key unchanged, with headers recording the redrive\n"
            "(duban.redrive.of, .original, .by, .reason, .id). One JSON line per message\n"
            "on stdout. A dead letter already redriven is skipped unless --force.\n"
            "Selection (all given must match):\n"
            "  --offset P:O         the dead letter at duban.dlq.v1 partition P offset O\n"
            "                       (repeatable)\n"
            "  --original-topic T   dead letters from topic T\n"
            "  --reason TEXT        whose reason contains TEXT\n"
            "  --service NAME       dead-lettered by NAME (duban-notifier, duban-alerter)\n"
            "  --key K              whose original key is K (a task_id ...)\n"
            "  --all                every dead letter (needed when nothing else selects)\n"
            "  --actor NAME         who redrives (recorded; default $USER)\n"
            "  --dry-run            print what would be redriven, publish nothing\n"
            "  --force              redrive again what was redriven before\n"
            "%s",
            duban_conf_common_usage());
}

static int redrive_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t size)
{
    redrive_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v || strcmp(a, "--offset"))
        return 0;
    int part, used = 0;
    long long off;
    if (sscanf(v, "%d:%lld%n", &part, &off, &used) != 2 || v[used] || part < 0 || off < 0)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                            "--offset wants PARTITION:OFFSET, not %s", v), -1;
    if (o->noffsets == MAX_OFFSETS)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "more than %d --offset",
                            MAX_OFFSETS), -1;
    o->dlq_part[o->noffsets] = part;
    o->dlq_off[o->noffsets++] = off;
    return 2;
}

/* ---- reading the DLQ ---- */

static const char *str(const json_t *ev, const char *key)
{
    const char *s = json_string_value(json_object_get(ev, key));
    return s ? s : "";
}

static bool selected(const redrive_opts_t *o, const rd_kafka_message_t *msg, const json_t *ev,
                     const char *key)
{
    bool offset_ok = o->noffsets == 0;
    for (size_t i = 0; i < o->noffsets; i++)
        offset_ok = offset_ok || (o->dlq_part[i] == msg->partition &&
                                  o->dlq_off[i] == msg->offset);
    return offset_ok &&
           (!o->original_topic || !strcmp(o->original_topic, str(ev, "original_topic"))) &&
           (!o->reason || strstr(str(ev, "reason"), o->reason)) &&
           (!o->service || !strcmp(o->service, str(json_object_get(ev, "source"), "file"))) &&
           (!o->key || (key && !strcmp(o->key, key)));
}

static original_t *original_of(redrive_t *r, const json_t *ev)
{
    const char *topic = str(ev, "original_topic");
    int32_t part = (int32_t)json_integer_value(json_object_get(ev, "partition"));
    int64_t off = json_integer_value(json_object_get(ev, "offset"));
    for (size_t i = 0; i < r->n; i++)
        if (r->msgs[i].partition == part && r->msgs[i].offset == off &&
            !strcmp(r->msgs[i].topic, topic))
            return &r->msgs[i];
    r->msgs = duban_array_xgrow(r->msgs, &r->cap, r->n + 1, sizeof(original_t), 16);
    original_t *m = &r->msgs[r->n++];
    memset(m, 0, sizeof(*m));
    m->topic = duban_xstrdup(topic);
    m->partition = part;
    m->offset = off;
    m->reason = duban_xstrdup(str(ev, "reason"));
    m->service = duban_xstrdup(str(json_object_get(ev, "source"), "file"));
    return m;
}

static bool read_bytes(const json_t *ev, const char *field, unsigned char **out, size_t *len)
{
    const json_t *v = json_object_get(ev, field);
    if (json_is_null(v) || !v) {
        *out = NULL;
        *len = 0;
        return true;
    }
    return json_is_string(v) &&
           !duban_base64_decode(json_string_value(v), json_string_length(v), out, len);
}

static int on_dead_letter(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    redrive_t *r = opaque;
    char errbuf[512];
    (void)topic;
    r->letters++;
    json_t *ev = audit_decode(r->serde, msg, DUBAN_EV_DEAD_LETTER, errbuf, sizeof(errbuf));
    if (!ev) {
        duban_warn("DLQ", "partition %d offset %" PRId64 ": %s", (int)msg->partition,
                   msg->offset, errbuf);
        r->undecodable++;
        return 0;
    }
    unsigned char *key = NULL, *payload = NULL;
    size_t key_len = 0, payload_len = 0;
    if (!read_bytes(ev, "key", &key, &key_len) ||
        !read_bytes(ev, "payload", &payload, &payload_len) || !payload) {
        r->undecodable++;
    } else {
        char *key_text = key ? duban_xstrndup((const char *)key, key_len) : NULL;
        if (selected(r->o, msg, ev, key_text)) {
            original_t *m = original_of(r, ev);
            if (m->entries < MAX_ENTRIES_PER_MESSAGE) {
                m->dlq_part[m->entries] = msg->partition;
                m->dlq_off[m->entries++] = msg->offset;
            }
            if (!m->payload) {
                m->payload = payload;
                m->payload_len = payload_len;
                m->key = key;
                m->key_len = key_len;
                payload = key = NULL;
            }
            r->selected++;
        }
        free(key_text);
    }
    free(key);
    free(payload);
    json_decref(ev);
    return 0;
}

/* ---- what was redriven before ---- */

static int on_redriven(const char *topic, const rd_kafka_message_t *msg, void *opaque)
{
    redrive_t *r = opaque;
    rd_kafka_headers_t *hdrs = NULL;
    const void *value;
    size_t len;
    (void)topic;
    if (rd_kafka_message_headers(msg, &hdrs) || !hdrs)
        return 0;
    for (size_t i = 0; !rd_kafka_header_get(hdrs, i, AUDIT_HDR_REDRIVE_OF, &value, &len); i++)
        if (value) {
            char of[128];
            snprintf(of, sizeof(of), "%.*s", (int)len, (const char *)value);
            duban_strlist_push_unique(&r->done, of);
        }
    return 0;
}

static void mark_done(redrive_t *r)
{
    for (size_t i = 0; i < r->n; i++) {
        original_t *m = &r->msgs[i];
        for (size_t k = 0; k < m->entries; k++) {
            char of[128];
            snprintf(of, sizeof(of), "%s:%d:%" PRId64, DUBAN_TOPIC_DLQ, (int)m->dlq_part[k],
                     m->dlq_off[k]);
            m->already += duban_strlist_contains(&r->done, of);
        }
    }
}

/* Reads every topic the selected dead letters came from. */
static bool read_done(redrive_t *r, const audit_t *a)
{
    const char *topics[8];
    size_t nt = 0;
    for (size_t i = 0; i < r->n; i++) {
        bool seen = false;
        for (size_t t = 0; t < nt; t++)
            seen = seen || !strcmp(topics[t], r->msgs[i].topic);
        if (!seen && nt == 8) {
            duban_error("REDRIVE", "dead letters from more than 8 topics: select fewer");
            return false;
        }
        if (!seen)
            topics[nt++] = r->msgs[i].topic;
    }
    if (nt && !audit_read(a, topics, nt, on_redriven, r))
        return false;
    mark_done(r);
    return true;
}

/* ---- re-publishing ---- */

static void on_delivered(duban_err_t err, const rd_kafka_message_t *msg, void *msg_opaque,
                         void *opaque)
{
    original_t *m = msg_opaque;
    (void)opaque;
    if (err) {
        m->failed = true;
        duban_error("REDRIVE", "%s [%d]: %s", m->topic, (int)m->partition,
                    rd_kafka_err2str(msg->err));
        return;
    }
    m->sent = true;
    m->to_partition = msg->partition;
    m->to_offset = msg->offset;
}

/* The partition to send to: the original one when the topic still has
 * it, else -1 (by key). */
static int32_t target_partition(duban_producer_t *p, const original_t *m)
{
    const rd_kafka_metadata_t *md = NULL;
    rd_kafka_t *rk = duban_producer_handle(p);
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, m->topic, NULL);
    int32_t part = -1;
    if (rkt && !rd_kafka_metadata(rk, 0, rkt, &md, 10000) && md->topic_cnt == 1 &&
        !md->topics[0].err && m->partition < md->topics[0].partition_cnt)
        part = m->partition;
    if (md)
        rd_kafka_metadata_destroy(md);
    if (rkt)
        rd_kafka_topic_destroy(rkt);
    return part;
}

static duban_err_t republish(redrive_t *r, duban_producer_t *p, original_t *m,
                             const char *redrive_id, char *errbuf, size_t size)
{
    char of[MAX_ENTRIES_PER_MESSAGE][128], original[300];
    duban_kafka_header_t h[MAX_ENTRIES_PER_MESSAGE + 5];
    size_t nh = 0;
    for (size_t k = 0; k < m->entries; k++) {
        snprintf(of[k], sizeof(of[k]), "%s:%d:%" PRId64, DUBAN_TOPIC_DLQ, (int)m->dlq_part[k],
                 m->dlq_off[k]);
        h[nh++] = (duban_kafka_header_t){AUDIT_HDR_REDRIVE_OF, of[k], strlen(of[k])};
    }
    snprintf(original, sizeof(original), "%s:%d:%" PRId64, m->topic, (int)m->partition,
             m->offset);
    h[nh++] = (duban_kafka_header_t){AUDIT_HDR_REDRIVE_ORIGINAL, original, strlen(original)};
    h[nh++] = (duban_kafka_header_t){AUDIT_HDR_REDRIVE_BY, r->o->actor, strlen(r->o->actor)};
    h[nh++] = (duban_kafka_header_t){AUDIT_HDR_REDRIVE_REASON, m->reason, strlen(m->reason)};
    h[nh++] = (duban_kafka_header_t){AUDIT_HDR_REDRIVE_ID, redrive_id, strlen(redrive_id)};
    h[nh++] = (duban_kafka_header_t){"duban.service", "duban-audit", strlen("duban-audit")};
    return duban_producer_send(p, m->topic, target_partition(p, m), m->key, m->key_len,
                               m->payload, m->payload_len, h, nh, m, errbuf, size);
}

static void print_record(const redrive_t *r, const original_t *m, const char *redrive_id,
                         const char *at)
{
    json_t *from = json_array();
    for (size_t k = 0; k < m->entries; k++)
        json_array_append_new(from, json_pack("{s:i, s:I}", "partition", (int)m->dlq_part[k],
                                              "offset", (json_int_t)m->dlq_off[k]));
    char *key = m->key ? duban_xstrndup((const char *)m->key, m->key_len) : NULL;
    const char *state = r->o->dry_run ? "would redrive"
                      : m->already == m->entries && !r->o->force ? "already redriven"
                      : m->sent ? "redriven" : "failed";
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:s, s:i, s:I, s:s?}, s:s, s:s}",
                            "state", state, "redrive_id", redrive_id, "at", at, "actor",
                            r->o->actor, "dead_letters", from, "original", "topic", m->topic,
                            "partition", (int)m->partition, "offset", (json_int_t)m->offset,
                            "key", key, "reason", m->reason, "service", m->service);
    if (rec && m->sent)
        json_object_set_new(rec, "to", json_pack("{s:s, s:i, s:I}", "topic", m->topic,
                                                 "partition", (int)m->to_partition,
                                                 "offset", (json_int_t)m->to_offset));
    char *line = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
    if (line)
        printf("%s\n", line);
    free(line);
    free(key);
    json_decref(rec);
}

static char *redrive_id_of(const original_t *m, const char *actor, const char *at,
                           char out[DUBAN_SHA256_HEX_SIZE])
{
    char coords[300];
    snprintf(coords, sizeof(coords), "%s:%d:%" PRId64, m->topic, (int)m->partition, m->offset);
    const char *parts[] = {"redrive", coords, actor, at};
    duban_sha256_hex_parts(parts, 4, out);
    out[32] = '\0';
    return out;
}

/* Publishes every selected message not redriven before; the number that
 * failed. */
static size_t publish_all(redrive_t *r, const audit_t *a)
{
    char errbuf[512], at[32], id[DUBAN_SHA256_HEX_SIZE];
    duban_producer_t *p = NULL;
    size_t failed = 0;
    duban_instant_format(duban_now_ms(), at);
    if (!r->o->dry_run &&
        duban_producer_new(a->conf, on_delivered, r, &p, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return r->n;
    }
    for (size_t i = 0; i < r->n && p; i++) {
        original_t *m = &r->msgs[i];
        if (m->already == m->entries && !r->o->force)
            continue;
        if (republish(r, p, m, redrive_id_of(m, r->o->actor, at, id), errbuf,
                      sizeof(errbuf))) {
            duban_error("REDRIVE", "%s", errbuf);
            m->failed = true;
        }
    }
    if (p && duban_producer_flush(p, FLUSH_MS, errbuf, sizeof(errbuf)))
        duban_error("REDRIVE", "%s", errbuf);
    duban_producer_destroy(p);
    for (size_t i = 0; i < r->n; i++) {
        original_t *m = &r->msgs[i];
        bool skipped = m->already == m->entries && !r->o->force;
        failed += !r->o->dry_run && !skipped && !m->sent;
        print_record(r, m, redrive_id_of(m, r->o->actor, at, id), at);
    }
    return failed;
}

static int run(redrive_t *r, const audit_t *a)
{
    static const char *const dlq[] = {DUBAN_TOPIC_DLQ};
    if (!audit_read(a, dlq, 1, on_dead_letter, r) || !read_done(r, a))
        return AUDIT_EXIT_PROBLEM;
    size_t failed = publish_all(r, a);
    size_t skipped = 0;
    for (size_t i = 0; i < r->n; i++)
        skipped += r->msgs[i].already == r->msgs[i].entries && !r->o->force;
    duban_info("REDRIVE", "%zu dead letters read, %zu selected, %zu messages: %zu %s, %zu "
               "already redriven, %zu failed", r->letters, r->selected, r->n,
               r->n - skipped - failed, r->o->dry_run ? "to redrive" : "redriven", skipped,
               failed);
    return failed ? AUDIT_EXIT_PROBLEM : AUDIT_EXIT_OK;
}

int audit_redrive(audit_t *a, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--all", DUBAN_OPT_FLAG, offsetof(redrive_opts_t, all)},
        {"--dry-run", DUBAN_OPT_FLAG, offsetof(redrive_opts_t, dry_run)},
        {"--force", DUBAN_OPT_FLAG, offsetof(redrive_opts_t, force)},
        {"--original-topic", DUBAN_OPT_STRING, offsetof(redrive_opts_t, original_topic)},
        {"--reason", DUBAN_OPT_STRING, offsetof(redrive_opts_t, reason)},
        {"--service", DUBAN_OPT_STRING, offsetof(redrive_opts_t, service)},
        {"--key", DUBAN_OPT_STRING, offsetof(redrive_opts_t, key)},
        {"--actor", DUBAN_OPT_STRING, offsetof(redrive_opts_t, actor)},
    };
    static const duban_program_t prog = {"duban-audit redrive", usage, table,
                                         sizeof(table) / sizeof(table[0]), redrive_arg,
                                         DUBAN_USES_AUDIT};
    redrive_opts_t o = {0};
    int start = audit_start(&prog, a, argc, argv, &o);
    if (start)
        return start > 0 ? AUDIT_EXIT_OK : AUDIT_EXIT_USAGE;
    if (!o.all && !o.noffsets && !o.original_topic && !o.reason && !o.service && !o.key) {
        fprintf(stderr, "duban-audit redrive: select dead letters (--offset, "
                        "--original-topic, --reason, --service, --key) or say --all\n");
        return AUDIT_EXIT_USAGE;
    }
    if (!o.actor)
        o.actor = getenv("USER") && *getenv("USER") ? getenv("USER") : "duban-audit";
    char errbuf[512];
    redrive_t r = {.o = &o};
    int rc = AUDIT_EXIT_PROBLEM;
    if (duban_serde_new(a->conf, &r.serde, errbuf, sizeof(errbuf)))
        duban_error("SETUP", "%s", errbuf);
    else
        rc = run(&r, a);
    for (size_t i = 0; i < r.n; i++) {
        free(r.msgs[i].topic);
        free(r.msgs[i].reason);
        free(r.msgs[i].service);
        free(r.msgs[i].key);
        free(r.msgs[i].payload);
    }
    free(r.msgs);
    duban_strlist_free(&r.done);
    duban_serde_destroy(r.serde);
    fflush(stdout);
    return rc;
}
