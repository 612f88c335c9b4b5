/* common/alert/task_event.c: the alerter's view of a task event. One table per
 * event type lists the schema's fields in order, what each is, and where
 * its value goes in duban_task_event_t (or nowhere: read, checked, dropped);
 * the Avro walk and the schema check both follow it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "avro_wire.h"
#include "date.h"
#include "recurrence.h"
#include "ladder.h"
#include "task_event.h"

typedef enum {
    K_STRING, K_STRING_OPT, K_STRINGS, K_TIMESTAMP, K_INT, K_INT_OPT, K_LONG, K_DATE,
    K_DATE_OPT, K_BOOLEAN, K_ENUM, K_ENUM_OPT, K_RECORD, K_RECORD_OPT, K_RECORDS
} kind_t;

#define NOWHERE SIZE_MAX
#define AT(member) offsetof(duban_task_event_t, member)

typedef struct {
    const char *name;
    kind_t kind;
    size_t slot;                 /* offset in duban_task_event_t, or NOWHERE */
    int nfields;                 /* records: that many fields follow (nested) */
    const char *type_name;       /* records and enums */
    const char *const *symbols;  /* enums, NULL-terminated */
    const int *values;           /* enums: symbol index -> value stored */
} field_t;

static const char *const kind_syms[] = {"DATED", "RECURRING", "OPEN_ENDED", "NONE", NULL};
static const int kind_vals[] = {DUBAN_DEADLINE_DATED, DUBAN_DEADLINE_RECURRING,
                                DUBAN_DEADLINE_OPEN_ENDED, DUBAN_DEADLINE_NONE};
static const char *const period_syms[] = {"WEEKLY", "MONTHLY", "QUARTERLY", "HALF_YEARLY",
                                          "YEARLY", NULL};
static const int period_vals[] = {DUBAN_RECUR_WEEKLY, DUBAN_RECUR_MONTHLY,
                                  DUBAN_RECUR_QUARTERLY, DUBAN_RECUR_HALF_YEARLY,
                                  DUBAN_RECUR_YEARLY};
static const char *const status_syms[] = {"ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED",
                                          "EXTENSION_REQUESTED", "EXTENDED", "CANCELLED",
                                          "REOPENED", "COMPLETION_REQUESTED", NULL};
static const int status_vals[] = {DUBAN_STATUS_ASSIGNED, DUBAN_STATUS_ACCEPTED,
                                  DUBAN_STATUS_IN_PROGRESS, DUBAN_STATUS_COMPLETED,
                                  DUBAN_STATUS_EXTENSION_REQUESTED, DUBAN_STATUS_EXTENDED,
                                  DUBAN_STATUS_CANCELLED, DUBAN_STATUS_REOPENED,
                                  DUBAN_STATUS_COMPLETION_REQUESTED};

/* The fields every event schema starts with. */
#define HEAD_FIELDS                                                         \
    {"event_id", K_STRING, NOWHERE, 0, NULL, NULL, NULL},                   \
    {"occurred_at", K_TIMESTAMP, AT(occurred_at), 0, NULL, NULL, NULL},     \
    {"schema_version", K_INT, NOWHERE, 0, NULL, NULL, NULL},                \
    {"source", K_RECORD, NOWHERE, 3, "Source", NULL, NULL},                 \
    {"file", K_STRING, AT(source_file), 0, NULL, NULL, NULL},               \
    {"line", K_INT, AT(source_line), 0, NULL, NULL, NULL},                  \
    {"offset", K_LONG, AT(source_offset), 0, NULL, NULL, NULL}

static const field_t assigned_fields[] = {
    HEAD_FIELDS,
    {"task_id", K_STRING, AT(task_id), 0, NULL, NULL, NULL},
    {"doc_id", K_STRING, AT(doc_id), 0, NULL, NULL, NULL},
    {"outline_path", K_STRING, AT(outline_path), 0, NULL, NULL, NULL},
    {"text", K_STRING, AT(text), 0, NULL, NULL, NULL},
    {"lead_units", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"cooperating_units", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"lead_departments", K_STRINGS, AT(lead_departments), 0, NULL, NULL, NULL},
    {"cooperating_departments", K_STRINGS, AT(cooperating_departments), 0, NULL, NULL, NULL},
    {"deadline_text", K_STRING_OPT, AT(deadline_text), 0, NULL, NULL, NULL},
    {"due_date", K_DATE_OPT, AT(due_date), 0, NULL, NULL, NULL},
    {"deadline_kind", K_ENUM, AT(deadline_kind), 0, "DeadlineKind", kind_syms, kind_vals},
    {"recurrence", K_RECORD_OPT, NOWHERE, 4, "Recurrence", NULL, NULL},
    {"period", K_ENUM, AT(recur_period), 0, "RecurrencePeriod", period_syms, period_vals},
    {"month", K_INT, AT(recur_month), 0, NULL, NULL, NULL},
    {"day", K_INT, AT(recur_day), 0, NULL, NULL, NULL},
    {"text", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"milestones", K_RECORDS, NOWHERE, 2, "Milestone", NULL, NULL},
    {"text", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"due_date", K_DATE, NOWHERE, 0, NULL, NULL, NULL},
    {"content_sha256", K_STRING, AT(content_sha256), 0, NULL, NULL, NULL},
    {"doc_title", K_STRING, AT(doc_title), 0, NULL, NULL, NULL},
    {"issuers", K_STRINGS, AT(issuers), 0, NULL, NULL, NULL},
    {"review", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"correction", K_RECORD_OPT, AT(corrected), 2, "Correction", NULL, NULL},
    {"author", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"reason", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
};

static const field_t status_fields[] = {
    HEAD_FIELDS,
    {"task_id", K_STRING, AT(task_id), 0, NULL, NULL, NULL},
    {"from_status", K_ENUM_OPT, NOWHERE, 0, "TaskStatus", status_syms, status_vals},
    {"to_status", K_ENUM, AT(to_status), 0, "TaskStatus", status_syms, status_vals},
    {"new_due_date", K_DATE_OPT, AT(new_due_date), 0, NULL, NULL, NULL},
    {"actor", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"comment", K_STRING_OPT, NOWHERE, 0, NULL, NULL, NULL},
};

/* A DeadlineAlert read back after a restart: its alert_id. */
static const char *const alert_kind_syms[] = {"DUE_SOON", "DUE_TODAY", "OVERDUE", "ESCALATION",
                                              "PAST_DUE_AT_ISSUE", NULL};
static const char *const level_syms[] = {"GREEN", "YELLOW", "RED", NULL};

static const field_t alert_fields[] = {
    HEAD_FIELDS,
    {"alert_id", K_STRING, AT(alert_id), 0, NULL, NULL, NULL},
    {"task_id", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"doc_id", K_STRING, NOWHERE, 0, NULL, NULL, NULL},
    {"departments", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"kind", K_ENUM, NOWHERE, 0, "AlertKind", alert_kind_syms, NULL},
    {"level", K_ENUM, NOWHERE, 0, "AlertLevel", level_syms, NULL},
    {"due_date", K_DATE, NOWHERE, 0, NULL, NULL, NULL},
    {"days_left", K_INT, NOWHERE, 0, NULL, NULL, NULL},
    {"fire_at", K_TIMESTAMP, NOWHERE, 0, NULL, NULL, NULL},
    {"threshold_days", K_INT_OPT, NOWHERE, 0, NULL, NULL, NULL},
    {"late", K_BOOLEAN, NOWHERE, 0, NULL, NULL, NULL},
    {"doc_title", K_STRING_OPT, NOWHERE, 0, NULL, NULL, NULL},
    {"task_text", K_STRING_OPT, NOWHERE, 0, NULL, NULL, NULL},
    {"outline_path", K_STRING_OPT, NOWHERE, 0, NULL, NULL, NULL},
    {"lead_departments", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"cooperating_departments", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"supervisors", K_STRINGS, NOWHERE, 0, NULL, NULL, NULL},
    {"deadline_text", K_STRING_OPT, NOWHERE, 0, NULL, NULL, NULL},
};

typedef struct {
    const char *root;            /* record name, "TaskAssigned" */
    const field_t *fields;
    int nfields;                 /* top-level fields */
} layout_t;

static const layout_t assigned_layout = {"TaskAssigned", assigned_fields, 22};
static const layout_t status_layout = {"TaskStatusChanged", status_fields, 10};
static const layout_t alert_layout = {"DeadlineAlert", alert_fields, 22};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const layout_t *layout_of(duban_event_type_t type, size_t *entries)
{
    switch (type) {
    case DUBAN_EV_TASK_ASSIGNED: *entries = COUNT(assigned_fields); return &assigned_layout;
    case DUBAN_EV_TASK_STATUS_CHANGED: *entries = COUNT(status_fields); return &status_layout;
    case DUBAN_EV_DEADLINE_ALERT: *entries = COUNT(alert_fields); return &alert_layout;
    default: return NULL;
    }
}

/* The entry after n fields starting at f (records span their fields). */
static const field_t *skip_fields(const field_t *f, int n)
{
    for (int i = 0; i < n; i++) {
        kind_t k = f->kind;
        int sub = f->nfields;
        f++;
        if (k == K_RECORD || k == K_RECORD_OPT || k == K_RECORDS)
            f = skip_fields(f, sub);
    }
    return f;
}

/* ---- storage ---- */

void duban_task_event_init(duban_task_event_t *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->due_date = ev->new_due_date = DUBAN_DATE_NONE;
    ev->deadline_kind = ev->to_status = -1;
}

/* Empties ev for new contents, keeping its buffer (at least `need` bytes). */
static bool reset(duban_task_event_t *ev, size_t need)
{
    char *buf = ev->buf;
    size_t cap = ev->cap;
    if (ev->json)
        json_decref(ev->json);
    duban_task_event_init(ev);
    if (need > cap) {
        size_t c = cap ? cap : 1024;
        while (c < need)
            c *= 2;
        free(buf);
        buf = malloc(c);
        cap = buf ? c : 0;
    }
    ev->buf = buf;
    ev->cap = cap;
    return need <= cap;
}

void duban_task_event_free(duban_task_event_t *ev)
{
    if (!ev)
        return;
    if (ev->json)
        json_decref(ev->json);
    free(ev->buf);
    duban_task_event_init(ev);
}

static const char **str_slot(duban_task_event_t *ev, size_t slot)
{
    return (const char **)((char *)ev + slot);
}

static duban_str_list_t *list_slot(duban_task_event_t *ev, size_t slot)
{
    return (duban_str_list_t *)((char *)ev + slot);
}

/* ---- UTF-8, as strictly as jansson checks it ---- */

/* Unicode's table of well-formed byte sequences (no overlong forms, no
 * surrogates, nothing above U+10FFFF): what jansson's check accepts. */
static bool utf8_valid(const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {   /* then ASCII eight bytes at a time */
            p++;
            uint64_t w;
            while (end - p >= 8 && (memcpy(&w, p, 8), !(w & 0x8080808080808080ULL)))
                p += 8;
            continue;
        }
        if (c < 0xE0) {
            if (c < 0xC2 || end - p < 2 || (p[1] & 0xC0) != 0x80)
                return false;
            p += 2;
        } else if (c < 0xF0) {
            /* runs of E1..EC, EE, EF: any two continuation bytes (CJK text) */
            while (end - p >= 3 && (unsigned)(*p - 0xE1) <= 0xEF - 0xE1 && *p != 0xED) {
                if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
                    return false;
                p += 3;
            }
            if (p == end || *p < 0xE0 || *p >= 0xF0)
                continue;
            c = *p;
            unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
            if (end - p < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
                return false;
            p += 3;
        } else {
            unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
            if (c > 0xF4 || end - p < 4 || p[1] < lo || p[1] > hi ||
                (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
                return false;
            p += 4;
        }
    }
    return true;
}

/* ---- the Avro walk ---- */

#define MAX_PATH 3   /* the record, a field, a field of a record field */

typedef struct {
    const unsigned char *p;
    size_t len, pos;
    duban_task_event_t *ev;
    size_t out;                  /* bytes used in ev->buf */
    const char *path[MAX_PATH];
    int depth;
    char *errbuf;
    size_t errbuf_size;
} dec_t;

static duban_err_t dec_err(dec_t *d, duban_err_t err, const char *what)
{
    char path[256];
    int n = d->depth;
    snprintf(path, sizeof(path), "%s%s%s%s%s", d->path[0], n > 1 ? "." : "",
             n > 1 ? d->path[1] : "", n > 2 ? "." : "", n > 2 ? d->path[2] : "");
    if (err == DUBAN_E_TRUNCATED)
        return duban_seterr(d->errbuf, d->errbuf_size, err, "%s at byte %zu: %s", path, d->pos,
                            what);
    return duban_seterr(d->errbuf, d->errbuf_size, err, "%s: %s", path, what);
}

/* A zigzag varint of at most 10 bytes (as duban_avro_validate reads it). */
static duban_err_t get_long(dec_t *d, int64_t *out)
{
    switch (duban_avro_read_long(d->p, d->len, &d->pos, out)) {
    case DUBAN_AVRO_READ_OK:
        return DUBAN_OK;
    case DUBAN_AVRO_READ_PAST_END:
        return dec_err(d, DUBAN_E_TRUNCATED, "varint runs past the end");
    default:
        return dec_err(d, DUBAN_E_TRUNCATED, "varint longer than 10 bytes");
    }
}

static duban_err_t get_int(dec_t *d, int64_t *out)
{
    duban_err_t err = get_long(d, out);
    if (!err && (*out < INT32_MIN || *out > INT32_MAX))
        return dec_err(d, DUBAN_E_TRUNCATED, "int out of range");
    return err;
}

/* An index below n (union branch, enum symbol). */
static duban_err_t get_index(dec_t *d, int64_t n, int64_t *out)
{
    duban_err_t err = get_long(d, out);
    if (!err && (*out < 0 || *out >= n))
        return dec_err(d, DUBAN_E_TRUNCATED, "index out of range");
    return err;
}

/* A string's bytes (checked UTF-8), borrowed from the input. */
static duban_err_t get_string(dec_t *d, const unsigned char **s, size_t *n)
{
    int64_t len;
    duban_err_t err = get_long(d, &len);
    if (err)
        return err;
    if (len < 0 || (uint64_t)len > d->len - d->pos)
        return dec_err(d, DUBAN_E_TRUNCATED, "string longer than what is left");
    *s = d->p + d->pos;
    *n = (size_t)len;
    d->pos += (size_t)len;
    return utf8_valid(*s, *n) ? DUBAN_OK : dec_err(d, DUBAN_E_ENCODING, "invalid UTF-8");
}

/* Whether the JSON form of a date reads back: dates print as YYYY-MM-DD
 * for years 1..9999, and duban_date_parse takes fewer of them. */
static bool date_reads_back(int32_t date)
{
    int y, m, d;
    duban_date_to_ymd(date, &y, &m, &d);
    return duban_date_valid_ymd(y, m, d);
}

/* Copies n bytes and a NUL into the event's buffer (sized in advance: the
 * strings kept and their NULs fit in twice the input). */
static const char *keep(dec_t *d, const unsigned char *s, size_t n)
{
    char *out = d->ev->buf + d->out;
    memcpy(out, s, n);
    out[n] = '\0';
    d->out += n + 1;
    return out;
}

/* An array's items: calls item() count times per block, to the end block. */
static duban_err_t get_array(dec_t *d, const field_t *f,
                             duban_err_t (*item)(dec_t *, const field_t *))
{
    for (;;) {
        int64_t count;
        duban_err_t err = get_long(d, &count);
        if (err || count == 0)
            return err;
        if (count < 0) {   /* a block with its byte size */
            int64_t size;
            if (count == INT64_MIN)
                return dec_err(d, DUBAN_E_TRUNCATED, "array block count out of range");
            if ((err = get_long(d, &size)))
                return err;
            count = -count;
        }
        if ((uint64_t)count > d->len - d->pos + 1)
            return dec_err(d, DUBAN_E_TRUNCATED, "array block longer than what is left");
        for (int64_t i = 0; i < count; i++)
            if ((err = item(d, f)))
                return err;
    }
}

/* One string of a list kept in the event: non-empty ones only, cut at a
 * NUL, as the JSON form reads them. */
static duban_err_t list_item(dec_t *d, const field_t *f)
{
    const unsigned char *s;
    size_t n;
    duban_err_t err = get_string(d, &s, &n);
    if (err || f->slot == NOWHERE)
        return err;
    n = strnlen((const char *)s, n);
    if (n) {
        duban_str_list_t *l = list_slot(d->ev, f->slot);
        const char *kept = keep(d, s, n);
        if (!l->count++)
            l->data = kept;
    }
    return DUBAN_OK;
}

static duban_err_t decode_fields(dec_t *d, const field_t *f, int n, const field_t **end);

static duban_err_t record_item(dec_t *d, const field_t *f)
{
    return decode_fields(d, f + 1, f->nfields, NULL);
}

static duban_err_t decode_field(dec_t *d, const field_t *f)
{
    duban_err_t err;
    int64_t v;
    const unsigned char *s;
    size_t n;
    switch (f->kind) {
    case K_STRING_OPT:
        if ((err = get_index(d, 2, &v)) || v == 0)
            return err;
        /* fall through */
    case K_STRING:
        if ((err = get_string(d, &s, &n)) || f->slot == NOWHERE)
            return err;
        *str_slot(d->ev, f->slot) = keep(d, s, n);
        return DUBAN_OK;
    case K_STRINGS:
        return get_array(d, f, list_item);
    case K_BOOLEAN:
        if (d->pos >= d->len || d->p[d->pos] > 1)
            return dec_err(d, DUBAN_E_TRUNCATED, "not a boolean");
        d->pos++;
        return DUBAN_OK;
    case K_TIMESTAMP:
    case K_LONG:
        if ((err = get_long(d, &v)))
            return err;
        if (f->kind == K_TIMESTAMP && (v < DUBAN_INSTANT_MIN || v > DUBAN_INSTANT_MAX))
            return dec_err(d, DUBAN_E_SCHEMA, "timestamp outside years 1..9999");
        break;
    case K_DATE_OPT:
    case K_INT_OPT:
        if ((err = get_index(d, 2, &v)) || v == 0)
            return err;
        /* fall through */
    case K_INT:
    case K_DATE:
        if ((err = get_int(d, &v)))
            return err;
        if (f->kind == K_INT || f->kind == K_INT_OPT)
            break;
        if (v < DUBAN_DATE_MIN || v > DUBAN_DATE_MAX)
            return dec_err(d, DUBAN_E_SCHEMA, "date outside years 1..9999");
        if (f->slot != NOWHERE) {   /* the alerter refuses what JSON would not hold */
            bool ok = date_reads_back((int32_t)v);
            *(int32_t *)((char *)d->ev + f->slot) = ok ? (int32_t)v : DUBAN_DATE_NONE;
            d->ev->date_unparsable |= !ok;
            return DUBAN_OK;
        }
        break;
    case K_ENUM_OPT:
        if ((err = get_index(d, 2, &v)) || v == 0)
            return err;
        /* fall through */
    case K_ENUM: {
        int64_t nsym = 0;
        while (f->symbols[nsym])
            nsym++;
        if ((err = get_index(d, nsym, &v)))
            return err;
        if (f->slot != NOWHERE)
            *(int *)((char *)d->ev + f->slot) = f->values[v];
        return DUBAN_OK;
    }
    case K_RECORD_OPT:
        if ((err = get_index(d, 2, &v)))
            return err;
        if (f->slot != NOWHERE)   /* whether the record is there */
            *(bool *)((char *)d->ev + f->slot) = v == 1;
        if (v == 0)
            return DUBAN_OK;
        /* fall through */
    case K_RECORD:
        return record_item(d, f);
    case K_RECORDS:
        return get_array(d, f, record_item);
    }
    if (f->slot != NOWHERE)
        *(int64_t *)((char *)d->ev + f->slot) = v;
    return DUBAN_OK;
}

static duban_err_t decode_fields(dec_t *d, const field_t *f, int n, const field_t **end)
{
    for (int i = 0; i < n; i++) {
        if (d->depth < MAX_PATH)
            d->path[d->depth] = f->name;
        d->depth++;
        duban_err_t err = decode_field(d, f);
        if (err)
            return err;
        d->depth--;
        f = f->kind == K_RECORD || f->kind == K_RECORD_OPT || f->kind == K_RECORDS
                ? skip_fields(f + 1, f->nfields)
                : f + 1;
    }
    if (end)
        *end = f;
    return DUBAN_OK;
}

duban_err_t duban_task_event_decode(duban_task_event_t *ev, duban_event_type_t type,
                                    const void *data, size_t len, char *errbuf,
                                    size_t errbuf_size)
{
    size_t entries;
    const layout_t *lay = layout_of(type, &entries);
    if (!lay)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "not a task event (type \"%s\")",
                            duban_event_type_name(type));
    if (len > SIZE_MAX / 2 - 1 || !reset(ev, 2 * len + 1))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    ev->type = type;
    dec_t d = {.p = data, .len = len, .ev = ev, .errbuf = errbuf, .errbuf_size = errbuf_size};
    d.path[d.depth++] = lay->root;
    duban_err_t err = decode_fields(&d, lay->fields, lay->nfields, NULL);
    if (!err && d.pos != len) {
        d.depth = 1;
        err = dec_err(&d, DUBAN_E_TRUNCATED, "bytes left after the record");
    }
    /* The alerter refuses an instant whose JSON form would not read back. */
    if (!err && type != DUBAN_EV_DEADLINE_ALERT &&
        !date_reads_back(duban_date_of_instant(ev->occurred_at)))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                           "%s.occurred_at: not an ISO-8601 instant", lay->root);
    return err;
}

/* ---- the schema check ---- */

typedef struct {
    const char *names[16];
    json_t *defs[16];
    int n;
} named_t;

static const char *short_name(const char *s)
{
    const char *dot = s ? strrchr(s, '.') : NULL;
    return dot ? dot + 1 : s;
}

/* A type given by name resolves to its earlier definition. */
static json_t *resolve(json_t *t, named_t *nm)
{
    const char *s = json_string_value(t);
    for (int i = 0; s && i < nm->n; i++)
        if (strcmp(nm->names[i], short_name(s)) == 0)
            return nm->defs[i];
    return t;
}

static bool prim(json_t *t, const char *name, const char *logical)
{
    if (json_is_string(t))
        return !logical && strcmp(json_string_value(t), name) == 0;
    const char *type = json_string_value(json_object_get(t, "type"));
    const char *lt = json_string_value(json_object_get(t, "logicalType"));
    return type && strcmp(type, name) == 0 &&
           (logical ? lt && strcmp(lt, logical) == 0 : !lt);
}

static bool named(json_t *t, const char *kind, const char *name, named_t *nm)
{
    const char *type = json_string_value(json_object_get(t, "type"));
    const char *n = short_name(json_string_value(json_object_get(t, "name")));
    if (!type || strcmp(type, kind) || !n || strcmp(n, name))
        return false;
    if (nm->n < 16) {
        nm->names[nm->n] = n;
        nm->defs[nm->n++] = t;
    }
    return true;
}

static bool fields_match(json_t *fields, const field_t *f, int n, named_t *nm);

/* t is the record f names, with the fields that follow f in the table. */
static bool record_matches(json_t *t, const field_t *f, named_t *nm)
{
    return named(t, "record", f->type_name, nm) &&
           fields_match(json_object_get(t, "fields"), f + 1, f->nfields, nm);
}

static bool enum_matches(json_t *t, const field_t *f, named_t *nm)
{
    json_t *syms = json_object_get(t, "symbols");
    if (!named(t, "enum", f->type_name, nm) || !json_is_array(syms))
        return false;
    size_t i = 0;
    for (; f->symbols[i]; i++) {
        const char *s = json_string_value(json_array_get(syms, i));
        if (!s || strcmp(s, f->symbols[i]))
            return false;
    }
    return i == json_array_size(syms);
}

static bool type_matches(json_t *t, const field_t *f, named_t *nm)
{
    t = resolve(t, nm);
    if (f->kind == K_STRING_OPT || f->kind == K_DATE_OPT || f->kind == K_ENUM_OPT ||
        f->kind == K_RECORD_OPT || f->kind == K_INT_OPT) {   /* ["null", X] */
        if (!json_is_array(t) || json_array_size(t) != 2 ||
            !prim(json_array_get(t, 0), "null", NULL))
            return false;
        t = resolve(json_array_get(t, 1), nm);
    }
    switch (f->kind) {
    case K_STRING:
    case K_STRING_OPT: return prim(t, "string", NULL);
    case K_INT:
    case K_INT_OPT: return prim(t, "int", NULL);
    case K_BOOLEAN: return prim(t, "boolean", NULL);
    case K_LONG: return prim(t, "long", NULL);
    case K_TIMESTAMP: return prim(t, "long", "timestamp-millis");
    case K_DATE:
    case K_DATE_OPT: return prim(t, "int", "date");
    case K_STRINGS:
        return prim(t, "array", NULL) && prim(json_object_get(t, "items"), "string", NULL);
    case K_ENUM:
    case K_ENUM_OPT: return enum_matches(t, f, nm);
    case K_RECORD:
    case K_RECORD_OPT: return record_matches(t, f, nm);
    case K_RECORDS:
        return prim(t, "array", NULL) &&
               record_matches(resolve(json_object_get(t, "items"), nm), f, nm);
    }
    return false;
}

static bool fields_match(json_t *fields, const field_t *f, int n, named_t *nm)
{
    if (!json_is_array(fields) || json_array_size(fields) != (size_t)n)
        return false;
    for (int i = 0; i < n; i++) {
        json_t *jf = json_array_get(fields, (size_t)i);
        const char *name = json_string_value(json_object_get(jf, "name"));
        if (!name || strcmp(name, f->name) || !type_matches(json_object_get(jf, "type"), f, nm))
            return false;
        f = f->kind == K_RECORD || f->kind == K_RECORD_OPT || f->kind == K_RECORDS
                ? skip_fields(f + 1, f->nfields)
                : f + 1;
    }
    return true;
}

bool duban_task_event_layout_ok(duban_event_type_t type, const char *schema_json)
{
    size_t entries = 0;
    const layout_t *lay = layout_of(type, &entries);
    json_t *root = lay && schema_json ? json_loads(schema_json, 0, NULL) : NULL;
    named_t nm = {.n = 0};
    bool ok = root && named(root, "record", lay->root, &nm) &&
              fields_match(json_object_get(root, "fields"), lay->fields, lay->nfields, &nm) &&
              skip_fields(lay->fields, lay->nfields) == lay->fields + entries;
    json_decref(root);
    return ok;
}

/* ---- the JSON form ---- */

static int name_index(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* A date field: null/absent gives DUBAN_DATE_NONE; anything but a date or
 * an integer sets date_unparsable. */
static int32_t json_date(duban_task_event_t *ev, const json_t *v)
{
    int32_t d = DUBAN_DATE_NONE;
    if (!v || json_is_null(v))
        return d;
    if (json_is_integer(v))
        return (int32_t)json_integer_value(v);
    if (!json_is_string(v) || duban_date_parse(json_string_value(v), &d) != DUBAN_OK) {
        ev->date_unparsable = true;
        return DUBAN_DATE_NONE;
    }
    return d;
}

/* Bytes a JSON list takes in the buffer. */
static size_t list_size(const json_t *arr)
{
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        n += s && *s ? strlen(s) + 1 : 0;
    }
    return n;
}

static void list_fill(duban_str_list_t *l, const json_t *arr, char **out)
{
    size_t i;
    json_t *v;
    l->data = *out;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s)
            continue;
        size_t n = strlen(s) + 1;
        memcpy(*out, s, n);
        *out += n;
        l->count++;
    }
}

static void assigned_from_json(duban_task_event_t *ev, const json_t *j, char *out)
{
    static const char *const kinds[] = {"NONE", "DATED", "RECURRING", "OPEN_ENDED", NULL};
    static const char *const periods[] = {"NONE", "WEEKLY", "MONTHLY", "QUARTERLY",
                                          "HALF_YEARLY", "YEARLY", NULL};
    const json_t *src = json_object_get(j, "source");
    const json_t *rec = json_object_get(j, "recurrence");
    ev->content_sha256 = json_string_value(json_object_get(j, "content_sha256"));
    ev->doc_id = json_string_value(json_object_get(j, "doc_id"));
    ev->doc_title = json_string_value(json_object_get(j, "doc_title"));
    ev->outline_path = json_string_value(json_object_get(j, "outline_path"));
    ev->text = json_string_value(json_object_get(j, "text"));
    ev->deadline_text = json_string_value(json_object_get(j, "deadline_text"));
    ev->source_file = json_string_value(json_object_get(src, "file"));
    ev->source_line = json_integer_value(json_object_get(src, "line"));
    ev->source_offset = json_integer_value(json_object_get(src, "offset"));
    ev->deadline_kind = name_index(json_string_value(json_object_get(j, "deadline_kind")), kinds);
    ev->due_date = json_date(ev, json_object_get(j, "due_date"));
    int p = name_index(json_string_value(json_object_get(rec, "period")), periods);
    ev->recur_period = p > 0 ? p : 0;
    ev->recur_month = json_integer_value(json_object_get(rec, "month"));
    ev->recur_day = json_integer_value(json_object_get(rec, "day"));
    list_fill(&ev->lead_departments, json_object_get(j, "lead_departments"), &out);
    list_fill(&ev->cooperating_departments, json_object_get(j, "cooperating_departments"), &out);
    list_fill(&ev->issuers, json_object_get(j, "issuers"), &out);
    ev->corrected = json_is_object(json_object_get(j, "correction"));
}

duban_err_t duban_task_event_from_json(duban_task_event_t *ev, json_t *json, bool own,
                                       char *errbuf, size_t errbuf_size)
{
    size_t need = list_size(json_object_get(json, "lead_departments")) +
                  list_size(json_object_get(json, "cooperating_departments")) +
                  list_size(json_object_get(json, "issuers")) + 1;
    bool ok = reset(ev, need);
    if (own)
        ev->json = json;
    if (!ok)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    const char *type = json_string_value(json_object_get(json, "type"));
    if (type && strcmp(type, "DeadlineAlert") == 0) {
        ev->type = DUBAN_EV_DEADLINE_ALERT;
        ev->alert_id = json_string_value(json_object_get(json, "alert_id"));
        return DUBAN_OK;
    }
    if (!type || (strcmp(type, "TaskAssigned") && strcmp(type, "TaskStatusChanged")))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "not a task event (type \"%s\")", type ? type : "");
    ev->type = strcmp(type, "TaskAssigned") == 0 ? DUBAN_EV_TASK_ASSIGNED
                                                 : DUBAN_EV_TASK_STATUS_CHANGED;
    const json_t *at = json_object_get(json, "occurred_at");
    if (json_is_integer(at))
        ev->occurred_at = json_integer_value(at);
    else if (!json_is_string(at) ||
             duban_instant_parse(json_string_value(at), &ev->occurred_at) != DUBAN_OK)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s.occurred_at: not an ISO-8601 instant", type);
    ev->task_id = json_string_value(json_object_get(json, "task_id"));
    if (ev->type == DUBAN_EV_TASK_ASSIGNED) {
        assigned_from_json(ev, json, ev->buf);
    } else {
        ev->to_status_name = json_string_value(json_object_get(json, "to_status"));
        duban_task_status_t st;
        ev->to_status = duban_task_status_from_name(ev->to_status_name, &st) ? -1 : (int)st;
        ev->new_due_date = json_date(ev, json_object_get(json, "new_due_date"));
    }
    return DUBAN_OK;
}

/* ---- copies ---- */

static size_t list_bytes(const duban_str_list_t *l)
{
    const char *s = l->data;
    for (size_t i = 0; i < l->count; i++)
        s += strlen(s) + 1;
    return l->count ? (size_t)(s - l->data) : 0;
}

#define NSTRS 10

static const char **strs_of(duban_task_event_t *ev, int i)
{
    const char **all[NSTRS] = {&ev->task_id, &ev->content_sha256, &ev->doc_id,
                               &ev->doc_title, &ev->outline_path, &ev->text,
                               &ev->deadline_text, &ev->source_file, &ev->to_status_name,
                               &ev->alert_id};
    return all[i];
}

duban_task_event_t *duban_task_event_copy(const duban_task_event_t *ev)
{
    duban_task_event_t tmp = *ev;
    duban_str_list_t *lists[3] = {&tmp.issuers, &tmp.lead_departments,
                                  &tmp.cooperating_departments};
    size_t total = 0;
    for (int i = 0; i < NSTRS; i++)
        total += *strs_of(&tmp, i) ? strlen(*strs_of(&tmp, i)) + 1 : 0;
    for (int i = 0; i < 3; i++)
        total += list_bytes(lists[i]);
    duban_task_event_t *c = malloc(sizeof(*c) + total);
    if (!c)
        return NULL;
    char *out = (char *)(c + 1);
    for (int i = 0; i < NSTRS; i++) {
        const char **s = strs_of(&tmp, i);
        if (*s) {
            size_t n = strlen(*s) + 1;
            memcpy(out, *s, n);
            *s = out;
            out += n;
        }
    }
    for (int i = 0; i < 3; i++) {
        size_t n = list_bytes(lists[i]);
        if (n)
            memcpy(out, lists[i]->data, n);
        lists[i]->data = out;
        out += n;
    }
    tmp.buf = NULL;
    tmp.cap = 0;
    tmp.json = NULL;
    *c = tmp;
    return c;
}

void duban_task_event_destroy(duban_task_event_t *ev)
{
    free(ev);   /* a copy: its strings live in the same block */
}
