/* duban-ingest: gazette text -> DocumentPublished + TaskAssigned events.
 *
 *   duban-ingest [options] FILE...
 *
 * Each FILE (UTF-8 or GB18030 text/markdown) is read (common/text.h),
 * parsed into documents and tasks (common/gwdoc.h) and turned into events
 * (events.c for documents, common/task_assigned.h for tasks: a struct
 * written straight to JSON or Avro). With --dry-run the events are printed
 * as JSON Lines on stdout;
 * otherwise they are produced to duban.documents.v1 (key doc_id) and
 * duban.tasks.v1 (key task_id), Avro in the Confluent wire format, by an
 * idempotent producer (acks=all). A summary per file goes to stderr. Exit
 * status: 0 ok, 1 when a file could not be read or a produce failed, 2 on
 * usage errors. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "cli.h"
#include "conf_keys.h"
#include "date.h"
#include "dept.h"
#include "event.h"
#include "ingest.h"
#include "kafka.h"
#include "log.h"
#include "serde.h"
#include "serde_task_assigned.h"
#include "task_assigned.h"
#include "task_assigned_gwdoc.h"
#include "text.h"
#include "topics.h"
#include "utf8.h"

typedef struct {
    int dry_run;
    int review;
    const char *dept_files[16];
    int ndept;
    char **files;
    int nfiles;
} opts_t;

/* A unit the department directory does not know, and how often it was
 * printed (--review lists them, for the directory). */
typedef struct {
    char *name;
    unsigned long count;
} unknown_unit_t;

typedef struct {
    duban_serde_t *serde;
    duban_producer_t *producer;
    duban_buf_t encoded; /* reused from event to event */
    duban_buf_t scratch; /* for hashing a task */
    unsigned long sent;
    /* --review: the table of flagged tasks instead of events */
    bool review;
    const duban_dept_dir_t *dir;
    unsigned long tasks, flagged;
    unknown_unit_t *unknown;
    size_t nunknown, capunknown;
} sink_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-ingest [options] FILE...\n"
            "Parses gazette text files into DocumentPublished and TaskAssigned events.\n"
            "  --dry-run            print the events as JSON Lines instead of producing\n"
            "  --review             print the tasks extraction was unsure of (their review\n"
            "                       codes, lead units and deadline) and the units the\n"
            "                       department directory does not know; produces nothing\n"
            "  --departments FILE   add a department directory file (JSON, like\n"
            "                       data/departments.json); may be repeated\n"
            "%s",
            duban_conf_common_usage());
}

/* --departments (repeatable) and the input FILEs ("-" is standard input). */
static int ingest_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                      size_t errbuf_size)
{
    opts_t *o = opts;
    const char *a = argv[i];
    if (!strcmp(a, "--departments") && i + 1 < argc) {
        if (o->ndept == (int)(sizeof(o->dept_files) / sizeof(o->dept_files[0])))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "too many --departments"),
                   -1;
        o->dept_files[o->ndept++] = argv[i + 1];
        return 2;
    }
    if (a[0] != '-' || !strcmp(a, "-")) {
        o->files[o->nfiles++] = argv[i];
        return 1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, duban_conf_t *conf, opts_t *o)
{
    static const duban_opt_t table[] = {
        {"--dry-run", DUBAN_OPT_FLAG, offsetof(opts_t, dry_run)},
        {"--review", DUBAN_OPT_FLAG, offsetof(opts_t, review)},
    };
    static const duban_program_t prog = {"duban-ingest", usage, table,
                                         sizeof(table) / sizeof(table[0]), ingest_arg,
                                         DUBAN_USES_INGEST};
    o->files = calloc((size_t)argc, sizeof(char *));
    if (!o->files) {
        fprintf(stderr, "duban-ingest: out of memory\n");
        return -1;
    }
    int rc = duban_program_start(&prog, conf, argc, argv, o);
    if (rc)
        return rc;
    if (o->nfiles == 0) {
        fprintf(stderr, "duban-ingest: no input FILE (see --help)\n");
        return -1;
    }
    return 0;
}

/* Produces the encoded event in k->encoded under `key`. */
static duban_err_t send_encoded(sink_t *k, const char *topic, const char *key, char *errbuf,
                                size_t size)
{
    duban_err_t err = duban_producer_send(k->producer, topic, -1, key, key ? strlen(key) : 0,
                                          k->encoded.data, k->encoded.len, NULL, 0, NULL,
                                          errbuf, size);
    duban_producer_poll(k->producer, 0);
    return err;
}

/* Prints or produces one event; takes ownership of ev. */
static duban_err_t emit(sink_t *k, duban_event_type_t type, json_t *ev, char *errbuf,
                        size_t size)
{
    if (!ev)
        return duban_seterr(errbuf, size, DUBAN_E_NOMEM, "out of memory");
    duban_err_t err = DUBAN_OK;
    if (!k->producer) {
        char *s = ingest_dump(ev);
        if (s) {
            fputs(s, stdout);
            fputc('\n', stdout);
            free(s);
        }
    } else {
        const char *topic = duban_event_topic(type);
        err = duban_serde_encode_buf(k->serde, type, topic, ev, &k->encoded, errbuf, size);
        if (!err)
            err = send_encoded(k, topic,
                               json_string_value(json_object_get(ev, duban_event_key_field(type))),
                               errbuf, size);
    }
    k->sent += err == DUBAN_OK;
    json_decref(ev);
    return err;
}

static void count_unknown(sink_t *k, const duban_strlist_t *units)
{
    for (size_t i = 0; i < units->count; i++) {
        const char *u = units->items[i];
        if (duban_dept_known(k->dir, u))
            continue;
        size_t j = 0;
        while (j < k->nunknown && strcmp(k->unknown[j].name, u) != 0)
            j++;
        if (j == k->nunknown) {
            unknown_unit_t *a = duban_array_grow(k->unknown, &k->capunknown, k->nunknown + 1,
                                                 sizeof(*a), 32);
            if (!a)
                return;
            k->unknown = a;
            if (!(k->unknown[j].name = strdup(u)))
                return;
            k->unknown[j].count = 0;
            k->nunknown++;
        }
        k->unknown[j].count++;
    }
}

static void print_list(const duban_strlist_t *l)
{
    if (!l->count)
        fputs("—", stdout);
    for (size_t i = 0; i < l->count; i++)
        printf("%s%s", i ? "、" : "", l->items[i]);
}

/* --review: one line for a task with review codes:
 * file:line  task_id  CODES  lead  deadline  text (its start) */
static void review_task(sink_t *k, const duban_gwdoc_task_t *t, const char *file)
{
    k->tasks++;
    count_unknown(k, &t->lead_units);
    count_unknown(k, &t->coop_units);
    if (!t->review.count)
        return;
    k->flagged++;
    printf("%s:%u\t%s\t", file, t->line, t->task_id);
    for (size_t i = 0; i < t->review.count; i++)
        printf("%s%s", i ? "," : "", t->review.items[i]);
    fputs("\tlead ", stdout);
    print_list(&t->lead_units);
    printf("\tdeadline %s\t", t->deadline.text[0] ? t->deadline.text : "—");
    const char *text = t->text ? t->text : "";
    size_t cut = duban_utf8_cut(text, strlen(text), 90);
    printf("%.*s%s\n", (int)cut, text, cut < strlen(text) ? "…" : "");
}

static int cmp_unknown(const void *a, const void *b)
{
    const unknown_unit_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void review_summary(sink_t *k)
{
    printf("# %lu of %lu tasks flagged for review\n", k->flagged, k->tasks);
    qsort(k->unknown, k->nunknown, sizeof(*k->unknown), cmp_unknown);
    printf("# %zu units the department directory does not know (add them with --departments):\n",
           k->nunknown);
    for (size_t i = 0; i < k->nunknown; i++)
        printf("#   %s\t%lu\n", k->unknown[i].name, k->unknown[i].count);
}

/* Prints or produces task ti's TaskAssigned. */
static duban_err_t emit_task(sink_t *k, const duban_gwdoc_t *g, size_t ti, const char *file,
                             char *errbuf, size_t size)
{
    duban_task_assigned_t ta;
    duban_err_t err = duban_task_assigned_from_gwdoc(&ta, g, ti, file, &k->scratch, errbuf, size);
    if (err)
        return err;
    if (!k->producer) {
        duban_buf_reset(&k->encoded);
        if ((err = duban_task_assigned_write_json(&ta, &k->encoded, errbuf, size)))
            return err;
        duban_buf_append(&k->encoded, "\n", 1);
        fwrite(k->encoded.data, 1, k->encoded.len, stdout);
    } else {
        err = duban_serde_encode_task_assigned(k->serde, DUBAN_TOPIC_TASKS, &ta, &k->encoded,
                                               errbuf, size);
        if (!err)
            err = send_encoded(k, DUBAN_TOPIC_TASKS, ta.task_id, errbuf, size);
    }
    k->sent += err == DUBAN_OK;
    return err;
}

typedef struct {
    size_t docs, tasks, with_lead, with_due, flagged, warnings;
} summary_t;

static duban_err_t emit_file(sink_t *k, const duban_gwdoc_t *g, const char *file,
                             summary_t *sum, char *errbuf, size_t size)
{
    for (size_t di = 0; di < g->ndocs; di++) {
        const duban_gwdoc_doc_t *d = &g->docs[di];
        duban_err_t err = k->review ? DUBAN_OK
                                    : emit(k, DUBAN_EV_DOCUMENT_PUBLISHED,
                                           ingest_document_event(g, di, file), errbuf, size);
        if (err)
            return err;
        for (size_t ti = d->first_task; ti < d->first_task + d->task_count; ti++) {
            const duban_gwdoc_task_t *t = &g->tasks[ti];
            sum->with_lead += t->lead_units.count > 0;
            sum->with_due += t->deadline.kind != DUBAN_DEADLINE_NONE &&
                             t->deadline.due_date != DUBAN_DATE_NONE;
            sum->flagged += t->review.count > 0;
            if (k->review) {
                review_task(k, t, file);
                continue;
            }
            err = emit_task(k, g, ti, file, errbuf, size);
            if (err)
                return err;
        }
    }
    sum->docs = g->ndocs;
    sum->tasks = g->ntasks;
    sum->warnings = g->warnings;
    return DUBAN_OK;
}

static int ingest_one(sink_t *k, const duban_dept_dir_t *dir, const char *path)
{
    char errbuf[1024];
    duban_text_t t;
    if (duban_text_load_file(path, &t, errbuf, sizeof(errbuf)) != DUBAN_OK) {
        fprintf(stderr, "duban-ingest: error: %s\n", errbuf);
        return 1;
    }
    duban_gwdoc_t g;
    summary_t sum = {0};
    int rc = 0;
    if (duban_gwdoc_parse(&t, dir, &g, errbuf, sizeof(errbuf)) != DUBAN_OK ||
        emit_file(k, &g, t.file, &sum, errbuf, sizeof(errbuf)) != DUBAN_OK) {
        fprintf(stderr, "duban-ingest: error: %s: %s\n", t.file, errbuf);
        rc = 1;
    }
    fprintf(stderr,
            "duban-ingest: %s: %zu documents, %zu tasks, %zu with a lead unit, "
            "%zu with a due date, %zu flagged for review%s\n",
            t.file, sum.docs, sum.tasks, sum.with_lead, sum.with_due, sum.flagged,
            t.encoding == DUBAN_ENC_GB18030 ? " (converted from GB18030)"
            : t.encoding == DUBAN_ENC_UTF16 ? " (converted from UTF-16)" : "");
    if (g.cut_line)
        fprintf(stderr, "duban-ingest: %s:%u: warning: the text ends inside this item before "
                "its unit: the item is not emitted (truncated input?)\n", t.file, g.cut_line);
    duban_gwdoc_free(&g);
    duban_text_free(&t);
    return rc;
}

static int setup(const opts_t *o, duban_conf_t *conf, duban_dept_dir_t **dir, sink_t *k)
{
    char errbuf[1024];
    if (duban_dept_dir_new(dir, errbuf, sizeof(errbuf)) != DUBAN_OK) {
        fprintf(stderr, "duban-ingest: departments: %s\n", errbuf);
        return 1;
    }
    for (int i = 0; i < o->ndept; i++)
        if (duban_dept_dir_load_file(*dir, o->dept_files[i], errbuf, sizeof(errbuf))) {
            fprintf(stderr, "duban-ingest: %s\n", errbuf);
            return 1;
        }
    k->dir = *dir;
    k->review = o->review;
    if (o->dry_run || o->review)
        return 0;
    /* real clusters have auto-create off: create or check duban's topics
     * first, as the services do (topics.ensure=false skips it) */
    if (duban_topics_ensure_at_start(conf, errbuf, sizeof(errbuf)) ||
        duban_serde_new(conf, &k->serde, errbuf, sizeof(errbuf)) ||
        duban_producer_new(conf, NULL, NULL, &k->producer, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    opts_t o = {0};
    char errbuf[1024];
    int rc = parse_args(argc, argv, conf, &o);
    if (rc)
        rc = rc > 0 ? 0 : 2;
    duban_dept_dir_t *dir = NULL;
    sink_t k = {0};
    duban_buf_init(&k.encoded, 0);
    duban_buf_init(&k.scratch, 0);
    if (rc == 0 && o.nfiles) {
        duban_program_log_level(conf);
        rc = setup(&o, conf, &dir, &k);
        for (int i = 0; rc != 2 && i < o.nfiles && !(rc && !dir); i++)
            rc |= ingest_one(&k, dir, o.files[i]);
        if (k.review && rc != 2)
            review_summary(&k);
        if (k.producer && duban_producer_flush(k.producer, 60000, errbuf, sizeof(errbuf))) {
            duban_error("PRODUCE", "%s", errbuf);
            rc = 1;
        }
        if (k.producer)
            duban_info("PRODUCE", "%lu events sent, %llu delivered", k.sent,
                       (unsigned long long)duban_producer_delivered(k.producer));
    }
    fflush(stdout);
    duban_producer_destroy(k.producer);
    duban_serde_destroy(k.serde);
    duban_buf_free(&k.encoded);
    duban_buf_free(&k.scratch);
    for (size_t i = 0; i < k.nunknown; i++)
        free(k.unknown[i].name);
    free(k.unknown);
    duban_dept_dir_destroy(dir);
    duban_conf_destroy(conf);
    free(o.files);
    return rc;
}
