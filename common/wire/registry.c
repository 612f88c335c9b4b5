/* common/wire/registry.c: the two registries behind registry.h.
 * Built-in: id = event type + 1 for the compiled-in schema of that type.
 * Confluent: subjects by strategy, ids from common/schema_registry.c, cached
 * both ways for the registry's life: (subject, schema text) -> id and
 * id -> schema text. Failed look-ups are not cached. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "embedded.h"
#include "log.h"
#include "registry.h"
#include "schema_registry.h"

#define REG_SUBJECT_MAX 512
#define REG_NAMESPACE "gov.duban."

typedef enum { STRATEGY_TOPIC, STRATEGY_TOPIC_RECORD, STRATEGY_RECORD } strategy_t;

typedef struct {
    char *subject;
    char *schema;
    int32_t id;
} subject_entry_t;

typedef struct {
    int32_t id;
    char *schema;
} id_entry_t;

struct duban_registry_s {
    duban_schema_registry_t *sr;   /* NULL: the built-in registry */
    strategy_t strategy;
    subject_entry_t *subjects;
    size_t nsubjects, subjects_cap;
    id_entry_t *ids;
    size_t nids, ids_cap;
};

static const char *builtin_schema(duban_event_type_t type)
{
    const duban_embedded_file_t *f = duban_embedded_get(duban_event_schema_file(type));
    return f ? f->data : NULL;
}

duban_err_t duban_registry_new(const duban_conf_t *conf, duban_registry_t **out,
                               char *errbuf, size_t errbuf_size)
{
    *out = NULL;
    duban_registry_t *r = calloc(1, sizeof *r);
    if (!r)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "registry: out of memory");
    const char *url = conf ? duban_conf_str(conf, "schema.registry.url") : NULL;
    if (!url || !*url) {
        *out = r;
        return DUBAN_OK;
    }

    const char *strategy = duban_conf_str(conf, "schema.registry.subject.strategy");
    if (strcmp(strategy, "topic") == 0 || strcmp(strategy, "TopicNameStrategy") == 0)
        r->strategy = STRATEGY_TOPIC;
    else if (strcmp(strategy, "topic_record") == 0 ||
             strcmp(strategy, "TopicRecordNameStrategy") == 0)
        r->strategy = STRATEGY_TOPIC_RECORD;
    else if (strcmp(strategy, "record") == 0 || strcmp(strategy, "RecordNameStrategy") == 0)
        r->strategy = STRATEGY_RECORD;
    else {
        free(r);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "schema.registry.subject.strategy: '%.60s' is not topic, "
                            "topic_record or record", strategy);
    }

    duban_schema_registry_opts_t opts;
    duban_schema_registry_opts_init(&opts);
    opts.url = url;
    opts.basic_auth_user_info = duban_conf_str(conf, "schema.registry.basic.auth.user.info");
    opts.ssl_ca_location = duban_conf_str(conf, "schema.registry.ssl.ca.location");
    opts.ssl_verify = duban_conf_flag(conf, "schema.registry.ssl.verify");
    duban_err_t err = duban_conf_int(conf, "schema.registry.timeout.ms",
                                          &opts.timeout_ms, errbuf, errbuf_size);
    if (err == DUBAN_OK && opts.timeout_ms <= 0)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                           "schema.registry.timeout.ms: must be > 0");
    if (err == DUBAN_OK)
        err = duban_schema_registry_new(&opts, &r->sr, errbuf, errbuf_size);
    if (err != DUBAN_OK) {
        free(r);
        return err;
    }
    *out = r;
    return DUBAN_OK;
}

void duban_registry_destroy(duban_registry_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsubjects; i++) {
        free(r->subjects[i].subject);
        free(r->subjects[i].schema);
    }
    free(r->subjects);
    for (size_t i = 0; i < r->nids; i++)
        free(r->ids[i].schema);
    free(r->ids);
    duban_schema_registry_destroy(r->sr);
    free(r);
}

static duban_err_t subject_name(const duban_registry_t *r, const char *topic,
                                duban_event_type_t type, char *buf, size_t size,
                                char *errbuf, size_t errbuf_size)
{
    int n;
    const char *rec = duban_event_type_name(type);
    switch (r->strategy) {
    case STRATEGY_TOPIC_RECORD:
        n = snprintf(buf, size, "%s-" REG_NAMESPACE "%s", topic, rec);
        break;
    case STRATEGY_RECORD:
        n = snprintf(buf, size, REG_NAMESPACE "%s", rec);
        break;
    default:
        n = snprintf(buf, size, "%s-value", topic);
        break;
    }
    if (n < 0 || (size_t)n >= size)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                            "registry: subject for topic '%.60s' too long", topic);
    return DUBAN_OK;
}

/* Remembers id -> schema (copies schema); a no-op when id is known. */
static duban_err_t cache_id(duban_registry_t *r, int32_t id, const char *schema,
                            const char **stored)
{
    for (size_t i = 0; i < r->nids; i++)
        if (r->ids[i].id == id) {
            if (stored)
                *stored = r->ids[i].schema;
            return DUBAN_OK;
        }
    if (r->nids == r->ids_cap) {
        size_t cap = r->ids_cap ? r->ids_cap * 2 : 8;
        id_entry_t *n = realloc(r->ids, cap * sizeof *n);
        if (!n)
            return DUBAN_E_NOMEM;
        r->ids = n;
        r->ids_cap = cap;
    }
    char *copy = strdup(schema);
    if (!copy)
        return DUBAN_E_NOMEM;
    r->ids[r->nids].id = id;
    r->ids[r->nids++].schema = copy;
    if (stored)
        *stored = copy;
    return DUBAN_OK;
}

duban_err_t duban_registry_id_for(duban_registry_t *r, const char *topic,
                                  duban_event_type_t type, const char *schema_json,
                                  int32_t *id, char *errbuf, size_t errbuf_size)
{
    if (!r || !id || type >= DUBAN_EV__COUNT)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "registry: bad arguments");
    const char *builtin = builtin_schema(type);
    if (!schema_json)
        schema_json = builtin;
    if (!schema_json)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                            "registry: no compiled-in schema for %s", duban_event_type_name(type));
    if (!topic)
        topic = duban_event_topic(type);

    if (!r->sr) {
        /* Fixed ids only name the compiled-in schemas. */
        if (schema_json != builtin && (!builtin || strcmp(schema_json, builtin) != 0))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                                "registry: the built-in registry has ids only for the "
                                "compiled-in schemas; %s schema differs (set "
                                "schema.registry.url)", duban_event_type_name(type));
        *id = (int32_t)type + 1;
        return DUBAN_OK;
    }

    char subject[REG_SUBJECT_MAX];
    duban_err_t err = subject_name(r, topic, type, subject, sizeof subject, errbuf, errbuf_size);
    if (err != DUBAN_OK)
        return err;
    for (size_t i = 0; i < r->nsubjects; i++) {
        const subject_entry_t *e = &r->subjects[i];
        if (strcmp(e->subject, subject) == 0 && strcmp(e->schema, schema_json) == 0) {
            *id = e->id;
            return DUBAN_OK;
        }
    }

    int32_t got;
    err = duban_schema_registry_register(r->sr, subject, schema_json, &got, errbuf, errbuf_size);
    if (err != DUBAN_OK)
        return err;
    if (r->nsubjects == r->subjects_cap) {
        size_t cap = r->subjects_cap ? r->subjects_cap * 2 : 8;
        subject_entry_t *n = realloc(r->subjects, cap * sizeof *n);
        if (!n)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "registry: out of memory");
        r->subjects = n;
        r->subjects_cap = cap;
    }
    subject_entry_t *e = &r->subjects[r->nsubjects];
    e->subject = strdup(subject);
    e->schema = strdup(schema_json);
    e->id = got;
    if (!e->subject || !e->schema || cache_id(r, got, schema_json, NULL) != DUBAN_OK) {
        free(e->subject);
        free(e->schema);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "registry: out of memory");
    }
    r->nsubjects++;
    duban_debug("REGISTRY", "registered subject %s: schema id %ld", subject, (long)got);
    *id = got;
    return DUBAN_OK;
}

duban_err_t duban_registry_schema_by_id(duban_registry_t *r, int32_t id,
                                        const char **schema_json,
                                        char *errbuf, size_t errbuf_size)
{
    if (!r || !schema_json)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "registry: bad arguments");
    *schema_json = NULL;
    if (!r->sr) {
        const char *s = id >= 1 && id <= DUBAN_EV__COUNT
                            ? builtin_schema((duban_event_type_t)(id - 1)) : NULL;
        if (!s)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_UNKNOWN_SCHEMA,
                                "schema id %ld: not one of the built-in ids 1..%d (was it "
                                "written with schema.registry.url set?)",
                                (long)id, DUBAN_EV__COUNT);
        *schema_json = s;
        return DUBAN_OK;
    }
    for (size_t i = 0; i < r->nids; i++)
        if (r->ids[i].id == id) {
            *schema_json = r->ids[i].schema;
            return DUBAN_OK;
        }
    char *fetched = NULL;
    duban_err_t err = duban_schema_registry_schema_by_id(r->sr, id, &fetched, errbuf, errbuf_size);
    if (err != DUBAN_OK)
        return err;
    err = cache_id(r, id, fetched, schema_json);
    free(fetched);
    if (err != DUBAN_OK)
        return duban_seterr(errbuf, errbuf_size, err, "registry: out of memory");
    return DUBAN_OK;
}
