/* common/wire/serde.c: Confluent framing around avro-c generic values, with one
 * plan/value per event type and a small cache of writer schemas by id. */
#include <stdlib.h>
#include <string.h>
#include "avro_json.h"
#include "avro_text.h"
#include "embedded.h"
#include "json_write.h"
#include "registry.h"
#include "serde.h"

#define SERDE_MAX_READERS 64

typedef struct {
    duban_avro_plan_t *plan;
    avro_value_iface_t *iface;
    avro_value_t value;
    char *encode_topic;     /* topic of the cached id */
    int32_t encode_id;
} serde_type_t;

typedef struct {
    int32_t id;
    duban_event_type_t type;
    duban_avro_plan_t *writer_plan;   /* NULL when equal to ours */
    avro_schema_t writer;             /* NULL when equal to ours */
    avro_value_iface_t *resolver;
    avro_value_t resolved;
} serde_reader_t;

struct duban_serde_s {
    duban_registry_t *reg;
    serde_type_t types[DUBAN_EV__COUNT];
    size_t size_hint[DUBAN_EV__COUNT]; /* largest encoding so far, per type */
    serde_reader_t readers[SERDE_MAX_READERS];
    size_t reader_count;
    avro_reader_t reader;
    avro_writer_t writer;
    duban_buf_t row_avro;              /* decode_row's general path: the event in our schema */
    bool direct;                       /* the direct codecs above may be used */
};

static duban_err_t load_type(serde_type_t *t, duban_event_type_t type, char *errbuf,
                             size_t errbuf_size)
{
    const duban_embedded_file_t *f = duban_embedded_get(duban_event_schema_file(type));
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "schema %s not compiled in",
                            duban_event_schema_file(type));
    duban_err_t err = duban_avro_plan_new(f->data, &t->plan, errbuf, errbuf_size);
    if (err)
        return err;
    t->iface = avro_generic_class_from_schema(duban_avro_plan_schema(t->plan));
    if (!t->iface || avro_generic_value_new(t->iface, &t->value))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "avro: %s", avro_strerror());
    return DUBAN_OK;
}

duban_err_t duban_serde_new(const duban_conf_t *conf, duban_serde_t **out, char *errbuf,
                            size_t errbuf_size)
{
    duban_serde_t *s = calloc(1, sizeof(*s));
    if (!s)
        return DUBAN_E_NOMEM;
    s->direct = true;
    duban_buf_init(&s->row_avro, 0);
    duban_err_t err = duban_registry_new(conf, &s->reg, errbuf, errbuf_size);
    for (int t = 0; !err && t < DUBAN_EV__COUNT; t++)
        err = load_type(&s->types[t], (duban_event_type_t)t, errbuf, errbuf_size);
    if (!err) {
        static const char empty[1];
        s->reader = avro_reader_memory(empty, 0);
        s->writer = avro_writer_memory((char *)empty, 0);
        if (!s->reader || !s->writer)
            err = DUBAN_E_NOMEM;
    }
    if (err) {
        duban_serde_destroy(s);
        return err;
    }
    *out = s;
    return DUBAN_OK;
}

void duban_serde_set_direct(duban_serde_t *s, bool on)
{
    s->direct = on;
}

bool duban_serde_direct(const duban_serde_t *s)
{
    return s->direct;
}

void duban_serde_destroy(duban_serde_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->reader_count; i++) {
        serde_reader_t *r = &s->readers[i];
        if (r->writer) {
            avro_value_decref(&r->resolved);
            avro_value_iface_decref(r->resolver);
            avro_schema_decref(r->writer);
        }
        duban_avro_plan_destroy(r->writer_plan);
    }
    for (int t = 0; t < DUBAN_EV__COUNT; t++) {
        serde_type_t *st = &s->types[t];
        if (st->iface) {
            if (st->value.self)
                avro_value_decref(&st->value);
            avro_value_iface_decref(st->iface);
        }
        duban_avro_plan_destroy(st->plan);
        free(st->encode_topic);
    }
    if (s->reader)
        avro_reader_free(s->reader);
    if (s->writer)
        avro_writer_free(s->writer);
    duban_registry_destroy(s->reg);
    duban_buf_free(&s->row_avro);
    free(s);
}

static duban_err_t encode_id(duban_serde_t *s, duban_event_type_t type, const char *topic,
                             int32_t *id, char *errbuf, size_t errbuf_size)
{
    serde_type_t *t = &s->types[type];
    if (t->encode_topic && strcmp(t->encode_topic, topic) == 0) {
        *id = t->encode_id;
        return DUBAN_OK;
    }
    const duban_embedded_file_t *f = duban_embedded_get(duban_event_schema_file(type));
    duban_err_t err = duban_registry_id_for(s->reg, topic, type, f->data, id, errbuf,
                                            errbuf_size);
    if (err)
        return err;
    free(t->encode_topic);
    t->encode_topic = strdup(topic); /* NULL (out of memory): no cache, the id is still good */
    t->encode_id = *id;
    return DUBAN_OK;
}

/* Magic byte and schema id. */
static duban_err_t put_header(duban_serde_t *s, duban_event_type_t type, const char *topic,
                              duban_buf_t *out, char *errbuf, size_t errbuf_size)
{
    int32_t id;
    duban_err_t err = encode_id(s, type, topic ? topic : duban_event_topic(type), &id, errbuf,
                                errbuf_size);
    if (err)
        return err;
    unsigned char header[5] = {0, (unsigned char)((uint32_t)id >> 24),
                               (unsigned char)((uint32_t)id >> 16),
                               (unsigned char)((uint32_t)id >> 8), (unsigned char)id};
    duban_buf_reserve(out, s->size_hint[type]);
    duban_buf_append(out, header, sizeof(header));
    return DUBAN_OK;
}

duban_err_t duban_serde_encode_buf(duban_serde_t *s, duban_event_type_t type,
                                   const char *topic, const json_t *ev, duban_buf_t *out,
                                   char *errbuf, size_t errbuf_size)
{
    duban_buf_reset(out);
    if (type >= DUBAN_EV__COUNT || !ev)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "bad event type");
    duban_err_t err = put_header(s, type, topic, out, errbuf, errbuf_size);
    if (err)
        return err;
    err = duban_avro_write_json(s->types[type].plan, ev, out, errbuf, errbuf_size);
    if (!err && out->len > s->size_hint[type])
        s->size_hint[type] = out->len;
    return err;
}

duban_err_t duban_serde_begin(duban_serde_t *s, duban_event_type_t type, const char *topic,
                              duban_buf_t *out, char *errbuf, size_t errbuf_size)
{
    duban_buf_reset(out);
    return put_header(s, type, topic, out, errbuf, errbuf_size);
}

void duban_serde_end(duban_serde_t *s, duban_event_type_t type, const duban_buf_t *out)
{
    if (out->len > s->size_hint[type])
        s->size_hint[type] = out->len;
}

duban_err_t duban_serde_encode(duban_serde_t *s, duban_event_type_t type, const char *topic,
                               const json_t *ev, void **out, size_t *out_len, char *errbuf,
                               size_t errbuf_size)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_err_t err = duban_serde_encode_buf(s, type, topic, ev, &b, errbuf, errbuf_size);
    if (err) {
        duban_buf_free(&b);
        return err;
    }
    *out = duban_buf_take(&b, out_len);
    return DUBAN_OK;
}

duban_err_t duban_serde_peek_id(const void *msg, size_t len, int32_t *id)
{
    const unsigned char *p = msg;
    if (len < 1)
        return DUBAN_E_TRUNCATED;
    if (p[0] != 0)
        return DUBAN_E_MAGIC;
    if (len < 5)
        return DUBAN_E_TRUNCATED;
    *id = (int32_t)((uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 8 | p[4]);
    return DUBAN_OK;
}

/* Finds or creates the reader for a writer schema id. */
static duban_err_t reader_for(duban_serde_t *s, int32_t id, serde_reader_t **out,
                              char *errbuf, size_t errbuf_size)
{
    for (size_t i = 0; i < s->reader_count; i++)
        if (s->readers[i].id == id) {
            *out = &s->readers[i];
            return DUBAN_OK;
        }
    const char *text;
    duban_err_t err = duban_registry_schema_by_id(s->reg, id, &text, errbuf, errbuf_size);
    if (err)
        return err;
    avro_schema_t writer;
    avro_schema_error_t serr;
    if (avro_schema_from_json(text, 0, &writer, &serr))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                            "schema id %d: avro: %s", (int)id, avro_strerror());
    duban_event_type_t type;
    char full[256];
    snprintf(full, sizeof(full), "%s", avro_schema_type_name(writer));
    if (duban_event_type_from_name(full, &type)) {
        avro_schema_decref(writer);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_UNKNOWN_SCHEMA,
                            "schema id %d is record %s, not a duban event", (int)id, full);
    }
    if (s->reader_count == SERDE_MAX_READERS) {
        avro_schema_decref(writer);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE, "too many schema ids");
    }
    serde_reader_t *r = &s->readers[s->reader_count];
    memset(r, 0, sizeof(*r));
    r->id = id;
    r->type = type;
    avro_schema_t ours = duban_avro_plan_schema(s->types[type].plan);
    if (avro_schema_equal(writer, ours)) {
        avro_schema_decref(writer);
    } else {
        r->resolver = avro_resolved_writer_new(writer, ours);
        if (!r->resolver) {
            avro_schema_decref(writer);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                                "schema id %d cannot be read as %s: %s", (int)id, full,
                                avro_strerror());
        }
        r->writer = writer;
        avro_resolved_writer_new_value(r->resolver, &r->resolved);
        duban_err_t perr = duban_avro_plan_new(text, &r->writer_plan, errbuf, errbuf_size);
        if (perr) {
            avro_value_decref(&r->resolved);
            avro_value_iface_decref(r->resolver);
            avro_schema_decref(r->writer);
            return perr;
        }
    }
    s->reader_count++;
    *out = r;
    return DUBAN_OK;
}

/* The reader of a framed message's schema id. */
static duban_err_t frame(duban_serde_t *s, const void *msg, size_t len, serde_reader_t **r,
                         char *errbuf, size_t errbuf_size)
{
    int32_t id;
    duban_err_t err = duban_serde_peek_id(msg, len, &id);
    if (err == DUBAN_E_MAGIC)
        return duban_seterr(errbuf, errbuf_size, err, "magic byte is 0x%02x, not 0",
                            ((const unsigned char *)msg)[0]);
    if (err)
        return duban_seterr(errbuf, errbuf_size, err,
                            "%zu bytes: shorter than the 5-byte header", len);
    return reader_for(s, id, r, errbuf, errbuf_size);
}

/* The plan a framed message's body was written with: the writer's schema
 * when it is not the compiled-in one. */
static const duban_avro_plan_t *body_plan(const duban_serde_t *s, const serde_reader_t *r)
{
    return r->writer_plan ? r->writer_plan : s->types[r->type].plan;
}

/* Bounds-checks the body (see duban_avro_validate). */
static duban_err_t check_body(duban_serde_t *s, const serde_reader_t *r, const void *msg,
                              size_t len, char *errbuf, size_t errbuf_size)
{
    char why[384];
    if (duban_avro_validate(body_plan(s, r), (const char *)msg + 5, len - 5, why,
                            sizeof(why)))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TRUNCATED,
                            "%s body of %zu bytes (schema id %d) does not decode: %s",
                            duban_event_type_name(r->type), len - 5, (int)r->id, why);
    return DUBAN_OK;
}

duban_err_t duban_serde_decode(duban_serde_t *s, const void *msg, size_t len,
                               duban_event_type_t *type_out, json_t **ev_out, char *errbuf,
                               size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    if (err)
        return err;
    int32_t id = r->id;
    serde_type_t *t = &s->types[r->type];
    /* Bounds-check the body before avro-c reads it. */
    if ((err = check_body(s, r, msg, len, errbuf, errbuf_size)))
        return err;
    avro_value_reset(&t->value);
    avro_reader_memory_set_source(s->reader, (const char *)msg + 5, (int64_t)(len - 5));
    int rc;
    if (r->writer) {
        avro_resolved_writer_set_dest(&r->resolved, &t->value);
        rc = avro_value_read(s->reader, &r->resolved);
    } else {
        rc = avro_value_read(s->reader, &t->value);
    }
    if (rc)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TRUNCATED,
                            "%s body of %zu bytes (schema id %d) does not decode: %s",
                            duban_event_type_name(r->type), len - 5, (int)id,
                            avro_strerror());
    json_t *ev;
    if ((err = duban_avro_to_json(t->plan, &t->value, &ev, errbuf, errbuf_size)))
        return err;
    json_object_set_new(ev, "type", json_string(duban_event_type_name(r->type)));
    *type_out = r->type;
    *ev_out = ev;
    return DUBAN_OK;
}

duban_err_t duban_serde_decode_text(duban_serde_t *s, const void *msg, size_t len,
                                    duban_event_type_t *type_out, duban_buf_t *out,
                                    char *errbuf, size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    if (err)
        return err;
    if (s->direct && !r->writer &&
        duban_avro_write_text(s->types[r->type].plan, (const char *)msg + 5, len - 5,
                              duban_event_type_name(r->type), out) == DUBAN_OK) {
        *type_out = r->type;
        return DUBAN_OK;
    }
    json_t *ev;
    if ((err = duban_serde_decode(s, msg, len, type_out, &ev, errbuf, errbuf_size)))
        return err;
    err = duban_json_write(out, ev);
    json_decref(ev);
    return err ? duban_seterr(errbuf, errbuf_size, err, "%s event as JSON: %s",
                              duban_event_type_name(*type_out), duban_err_str(err))
               : DUBAN_OK;
}

void duban_event_row_init(duban_event_row_t *row)
{
    memset(row, 0, sizeof(*row));
    duban_buf_init(&row->text, 0);
}

void duban_event_row_free(duban_event_row_t *row)
{
    duban_buf_free(&row->text);
}

const duban_avro_plan_t *duban_serde_plan(const duban_serde_t *s, duban_event_type_t type)
{
    return s->types[type].plan;
}

/* A row read from plan's record bytes: its fields, and its text unless
 * fields_only (duban_avro_write_row, duban_avro_read_row). */
static duban_err_t read_row(const duban_avro_plan_t *plan, const void *data, size_t len,
                            const char *name, duban_event_row_t *row, bool fields_only)
{
    if (fields_only)
        return duban_avro_read_row(plan, data, len, row->fields, DUBAN_EVENT_MAX_FIELDS);
    return duban_avro_write_row(plan, data, len, name, row->fields, DUBAN_EVENT_MAX_FIELDS,
                                &row->text);
}

static duban_err_t decode_row(duban_serde_t *s, const void *msg, size_t len,
                              duban_event_row_t *row, bool fields_only, char *errbuf,
                              size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    if (err)
        return err;
    const duban_avro_plan_t *plan = s->types[r->type].plan;
    const char *name = duban_event_type_name(r->type);
    duban_buf_reset(&row->text);
    row->type = r->type;
    row->plan = plan;
    row->nfields = duban_avro_plan_field_count(plan);
    if (s->direct && !r->writer &&
        read_row(plan, (const char *)msg + 5, len - 5, name, row, fields_only) == DUBAN_OK)
        return DUBAN_OK;
    json_t *ev;
    duban_event_type_t type;
    if ((err = duban_serde_decode(s, msg, len, &type, &ev, errbuf, errbuf_size)))
        return err;
    duban_buf_reset(&s->row_avro);
    err = duban_avro_write_json(plan, ev, &s->row_avro, errbuf, errbuf_size);
    json_decref(ev);
    if (!err && read_row(plan, s->row_avro.data, s->row_avro.len, name, row, fields_only))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                           "%s (schema id %d): decoded, but not readable as a row",
                           name, (int)r->id);
    return err;
}

duban_err_t duban_serde_decode_row(duban_serde_t *s, const void *msg, size_t len,
                                   duban_event_row_t *row, char *errbuf, size_t errbuf_size)
{
    return decode_row(s, msg, len, row, false, errbuf, errbuf_size);
}

duban_err_t duban_serde_decode_fields(duban_serde_t *s, const void *msg, size_t len,
                                      duban_event_row_t *row, char *errbuf, size_t errbuf_size)
{
    return decode_row(s, msg, len, row, true, errbuf, errbuf_size);
}

/* occurred_at of a framed message, read from its body. */
static duban_err_t peek_occurred_at(duban_serde_t *s, const serde_reader_t *r, const void *msg,
                                    size_t len, int64_t *out, char *errbuf, size_t errbuf_size)
{
    duban_err_t err = duban_avro_peek_timestamp(body_plan(s, r), (const char *)msg + 5,
                                                len - 5, "occurred_at", out);
    return err ? duban_seterr(errbuf, errbuf_size, err, "%s (schema id %d): no readable "
                              "occurred_at", duban_event_type_name(r->type), (int)r->id)
               : DUBAN_OK;
}

duban_err_t duban_serde_occurred_at(duban_serde_t *s, const void *msg, size_t len,
                                    int64_t *out, char *errbuf, size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    return err ? err : peek_occurred_at(s, r, msg, len, out, errbuf, errbuf_size);
}

duban_err_t duban_serde_frame(duban_serde_t *s, const void *msg, size_t len,
                              duban_event_type_t *type, bool *compiled_in, char *errbuf,
                              size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    if (err)
        return err;
    *type = r->type;
    *compiled_in = !r->writer;
    return DUBAN_OK;
}

duban_err_t duban_serde_check_body(duban_serde_t *s, const void *msg, size_t len,
                                   char *errbuf, size_t errbuf_size)
{
    serde_reader_t *r = NULL;
    duban_err_t err = frame(s, msg, len, &r, errbuf, errbuf_size);
    return err ? err : check_body(s, r, msg, len, errbuf, errbuf_size);
}
