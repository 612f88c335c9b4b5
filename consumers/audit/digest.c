/* consumers/audit/digest.c: duban-audit digest, a SHA-256 hash chain
 * (common/core/hash_chain.h) over each partition's messages in a range of
 * offsets, printed with the offsets it covers:
 *
 *   # duban-audit digest v1: SHA-256 chain over offset, timestamp, key, value, headers
 *   duban.alerts.v1<TAB>0<TAB>0<TAB>124<TAB>125<TAB>ab12…
 *   (topic, partition, first offset, last offset, messages, digest)
 *
 * The same range gives the same digest; a changed, removed, inserted or
 * reordered message (or header, key, timestamp) changes it. --check FILE
 * reads such lines back, digests exactly those ranges again and says, line
 * by line, whether they still match. Topics are written without
 * --topic-prefix, so a copy of the topics can be checked against the
 * digest of the originals. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "audit.h"
#include "conf_keys.h"
#include "date.h"
#include "hash_chain.h"
#include "kafka.h"
#include "log.h"
#include "log_reader.h"

#define DIGEST_IDLE_MS 30000

typedef struct {
    const char *topics[16];
    size_t topic_count;
    const char *prefix, *check;
    int64_t from, to;          /* -1: the partition's own ends */
} digest_opts_t;

/* One range: a line of the output, or of the file --check reads. */
typedef struct {
    char topic[256];
    int32_t partition;
    int64_t first, last, count;
    char digest[65];
    duban_hash_chain_t chain;  /* computed */
    enum { RANGE_OK, RANGE_NO_PARTITION, RANGE_TRUNCATED, RANGE_SHORT,
           RANGE_CHANGED } problem;
    int64_t log_first, log_last;   /* what the partition holds (--check) */
} range_t;

typedef struct {
    const audit_t *a;
    range_t *ranges;
    size_t n, cap;
    duban_log_reader_t *reader;
} digest_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-audit digest [options]\n"
            "Prints one SHA-256 hash chain per partition over a range of offsets:\n"
            "TOPIC PARTITION FIRST LAST COUNT DIGEST (tab-separated). The chain covers each\n"
            "message's offset, timestamp, key, value and headers.\n"
            "  --topic T          a topic (repeatable; default: duban's six)\n"
            "  --from-offset N    first offset of every partition (default: the oldest)\n"
            "  --to-offset N      last offset (default: the last one written)\n"
            "  --check FILE       digest the ranges FILE lists again and compare; exit 1\n"
            "                     when one differs or is no longer all in the log\n"
            "  --topic-prefix P   read P<topic> (a copy of the topics) for each topic\n"
            "%s",
            duban_conf_common_usage());
}

static int digest_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t size)
{
    digest_opts_t *o = opts;
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v)
        return 0;
    if (!strcmp(a, "--topic")) {
        if (o->topic_count == sizeof(o->topics) / sizeof(o->topics[0]))
            return duban_seterr(errbuf, size, DUBAN_E_INVAL, "too many --topic"), -1;
        o->topics[o->topic_count++] = v;
    } else if (!strcmp(a, "--from-offset") || !strcmp(a, "--to-offset")) {
        if (audit_parse_count(v, a[2] == 'f' ? &o->from : &o->to))
            return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                                "%s wants an offset (0 or more), not %s", a, v), -1;
    } else {
        return 0;
    }
    return 2;
}

static range_t *add_range(digest_t *d)
{
    d->ranges = duban_array_xgrow(d->ranges, &d->cap, d->n + 1, sizeof(range_t), 16);
    range_t *r = &d->ranges[d->n++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* The ranges of every partition of the chosen topics. */
static void ranges_from_reader(digest_t *d, const digest_opts_t *o)
{
    size_t plen = d->a->prefix ? strlen(d->a->prefix) : 0;
    for (size_t i = 0; i < duban_log_reader_count(d->reader); i++) {
        duban_log_part_t *p = duban_log_reader_part(d->reader, i);
        if (o->from >= 0 && o->from > p->first)
            p->first = o->from;
        if (o->to >= 0 && o->to < p->last)
            p->last = o->to;
        range_t *r = add_range(d);
        snprintf(r->topic, sizeof(r->topic), "%s", p->topic + plen);
        r->partition = p->partition;
        r->first = p->first;
        r->last = p->last;
    }
}

/* One line of a digest file; false when it is not one. */
static bool parse_line(const char *line, range_t *r)
{
    long long first, last, count;
    int partition, used = 0;
    if (sscanf(line, "%255s %d %lld %lld %lld %64s%n", r->topic, &partition, &first, &last,
               &count, r->digest, &used) != 6 || strlen(r->digest) != 64)
        return false;
    r->partition = partition;
    r->first = first;
    r->last = last;
    r->count = count;
    return line[used] == '\0' || line[used] == '\n' || line[used] == '\r';
}

static bool read_check_file(digest_t *d, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "duban-audit digest: cannot open %s\n", path);
        return false;
    }
    char line[1024];
    long lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f)) {
        lineno++;
        if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
            continue;
        range_t r;
        memset(&r, 0, sizeof(r));
        if (!parse_line(line, &r)) {
            fprintf(stderr, "duban-audit digest: %s:%ld: not a digest line\n", path, lineno);
            ok = false;
        } else {
            *add_range(d) = r;
        }
    }
    fclose(f);
    if (ok && d->n == 0)
        fprintf(stderr, "duban-audit digest: %s holds no digest lines\n", path);
    return ok && d->n > 0;
}

/* --check: each listed range of the log, as far as the log still has it
 * (a partition listed twice is read over both ranges). */
static void ranges_to_reader(digest_t *d)
{
    char full[300];
    for (size_t i = 0; i < duban_log_reader_count(d->reader); i++) {
        duban_log_part_t *p = duban_log_reader_part(d->reader, i);
        p->first = INT64_MAX;   /* nothing, unless a range asks */
        p->last = -1;
    }
    for (size_t i = 0; i < d->n; i++) {
        range_t *r = &d->ranges[i];
        duban_log_part_t *p = duban_log_reader_find(
            d->reader, audit_topic(d->a, r->topic, full, sizeof(full)), r->partition);
        if (!p) {
            r->problem = RANGE_NO_PARTITION;
            continue;
        }
        r->log_first = p->low;
        r->log_last = p->high - 1;
        if (r->first > r->last)
            continue;   /* an empty range: nothing to read */
        if (r->first < p->low)
            r->problem = RANGE_TRUNCATED;
        else if (r->last >= p->high)
            r->problem = RANGE_SHORT;
        if (r->problem)
            continue;
        p->first = r->first < p->first ? r->first : p->first;
        p->last = r->last > p->last ? r->last : p->last;
    }
}

static int on_message(const rd_kafka_message_t *m, void *opaque)
{
    digest_t *d = opaque;
    char full[300];
    const char *topic = rd_kafka_topic_name(m->rkt);
    for (size_t i = 0; i < d->n; i++) {
        range_t *r = &d->ranges[i];
        if (r->partition != m->partition || m->offset < r->first || m->offset > r->last ||
            strcmp(audit_topic(d->a, r->topic, full, sizeof(full)), topic))
            continue;
        duban_chain_field_t f[2 + 2 * 64];
        size_t nf = 0;
        f[nf++] = (duban_chain_field_t){m->key, m->key_len};
        f[nf++] = (duban_chain_field_t){m->payload ? m->payload : "", m->len};
        rd_kafka_headers_t *hdrs = NULL;
        const char *name;
        const void *value;
        size_t len;
        if (!rd_kafka_message_headers(m, &hdrs) && hdrs)
            for (size_t h = 0; nf + 2 <= sizeof(f) / sizeof(f[0]) &&
                               !rd_kafka_header_get_all(hdrs, h, &name, &value, &len); h++) {
                f[nf++] = (duban_chain_field_t){name, strlen(name)};
                f[nf++] = (duban_chain_field_t){value, len};
            }
        duban_hash_chain_add(&r->chain, m->offset, rd_kafka_message_timestamp(m, NULL), f, nf);
    }
    return 0;
}

static bool open_reader(digest_t *d, const char *const *topics, size_t n)
{
    char full[16][300], errbuf[512];
    const char *names[16];
    for (size_t i = 0; i < n && i < 16; i++)
        names[i] = audit_topic(d->a, topics[i], full[i], sizeof(full[i]));
    if (duban_log_reader_new(d->a->conf, "duban-audit", names, n, &d->reader, errbuf,
                             sizeof(errbuf))) {
        duban_error("READ", "%s", errbuf);
        return false;
    }
    return true;
}

static bool run_chains(digest_t *d)
{
    char errbuf[512];
    for (size_t i = 0; i < d->n; i++)
        if (duban_hash_chain_init(&d->ranges[i].chain))
            return false;
    duban_err_t err = duban_log_reader_run(d->reader, false, DIGEST_IDLE_MS, on_message, d,
                                           errbuf, sizeof(errbuf));
    if (err)
        duban_error("READ", "%s", errbuf);
    return err == DUBAN_OK && !duban_shutdown_requested();
}

static void print_digests(const digest_t *d)
{
    char now[32], hex[65];
    printf("# duban-audit digest v1: SHA-256 chain over offset, timestamp, key, value, "
           "headers; %s\n", duban_instant_format(duban_now_ms(), now));
    for (size_t i = 0; i < d->n; i++) {
        const range_t *r = &d->ranges[i];
        printf("%s\t%d\t%" PRId64 "\t%" PRId64 "\t%" PRIu64 "\t%s\n", r->topic,
               (int)r->partition, r->first, r->first > r->last ? r->first - 1 : r->last,
               r->chain.count, duban_hash_chain_hex(&r->chain, hex));
    }
}

/* --check: one line per range; the number of ranges that differ. */
static size_t compare_digests(digest_t *d)
{
    size_t bad = 0;
    char hex[65];
    for (size_t i = 0; i < d->n; i++) {
        range_t *r = &d->ranges[i];
        duban_hash_chain_hex(&r->chain, hex);
        if (!r->problem && (r->chain.count != (uint64_t)r->count || strcmp(hex, r->digest)))
            r->problem = RANGE_CHANGED;
        bad += r->problem != RANGE_OK;
        printf("%s\t%s\t%d\t%" PRId64 "\t%" PRId64 "\t", r->problem ? "DIFFERS" : "ok",
               r->topic, (int)r->partition, r->first, r->last);
        switch (r->problem) {
        case RANGE_OK:
            printf("%" PRIu64 " messages\n", r->chain.count);
            break;
        case RANGE_NO_PARTITION:
            printf("no such partition\n");
            break;
        case RANGE_TRUNCATED:
        case RANGE_SHORT:
            printf("%s: the log holds offsets %" PRId64 " to %" PRId64 "\n",
                   r->problem == RANGE_SHORT ? "the log ends before the range"
                                             : "the range starts before the oldest kept",
                   r->log_first, r->log_last);
            break;
        case RANGE_CHANGED:
            printf("changed: %" PRIu64 " messages now digest to %s; the file says %" PRId64
                   " messages, %s\n", r->chain.count, hex, r->count, r->digest);
            break;
        }
    }
    return bad;
}

static size_t distinct_topics(const digest_t *d, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < n; j++)
            seen = seen || !strcmp(out[j], d->ranges[i].topic);
        if (!seen && n < cap)
            out[n++] = d->ranges[i].topic;
    }
    return n;
}

static int run(digest_t *d, digest_opts_t *o)
{
    const char *topics[16];
    size_t nt = o->topic_count;
    if (o->check) {
        if (!read_check_file(d, o->check))
            return AUDIT_EXIT_USAGE;
        nt = distinct_topics(d, topics, 16);
    } else {
        memcpy(topics, o->topics, nt * sizeof(topics[0]));
    }
    if (!open_reader(d, topics, nt))
        return AUDIT_EXIT_PROBLEM;
    if (o->check)
        ranges_to_reader(d);
    else
        ranges_from_reader(d, o);
    if (!run_chains(d))
        return AUDIT_EXIT_PROBLEM;
    if (!o->check) {
        print_digests(d);
        return AUDIT_EXIT_OK;
    }
    size_t bad = compare_digests(d);
    duban_info("DIGEST", "%zu of %zu ranges match", d->n - bad, d->n);
    return bad ? AUDIT_EXIT_PROBLEM : AUDIT_EXIT_OK;
}

int audit_digest(audit_t *a, int argc, char **argv)
{
    static const duban_opt_t table[] = {
        {"--check", DUBAN_OPT_STRING, offsetof(digest_opts_t, check)},
        {"--topic-prefix", DUBAN_OPT_STRING, offsetof(digest_opts_t, prefix)},
    };
    static const duban_program_t prog = {"duban-audit digest", usage, table,
                                         sizeof(table) / sizeof(table[0]), digest_arg,
                                         DUBAN_USES_AUDIT};
    digest_opts_t o = {.from = -1, .to = -1};
    int start = audit_start(&prog, a, argc, argv, &o);
    if (start)
        return start > 0 ? AUDIT_EXIT_OK : AUDIT_EXIT_USAGE;
    if (o.check && (o.topic_count || o.from >= 0 || o.to >= 0)) {
        fprintf(stderr, "duban-audit digest: --check takes its ranges from the file\n");
        return AUDIT_EXIT_USAGE;
    }
    a->prefix = o.prefix;
    if (!o.check && !o.topic_count)
        for (int t = 0; t < DUBAN_EV__COUNT; t++)
            o.topics[o.topic_count++] = duban_event_topic((duban_event_type_t)t);
    digest_t d = {.a = a};
    int rc = run(&d, &o);
    for (size_t i = 0; i < d.n; i++)
        duban_hash_chain_free(&d.ranges[i].chain);
    free(d.ranges);
    duban_log_reader_destroy(d.reader);
    fflush(stdout);
    return rc;
}
