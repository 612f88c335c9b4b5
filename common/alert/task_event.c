/* common/alert/task_event.c: the alerter's view of a task event. The Avro
 * walk follows the tables generated from the .avsc (avsc_gen.h: the fields
 * in order, their kinds, unions, records and enum symbols); written here is
 * only where each value the alerter keeps goes in duban_task_event_t (the
 * bindings below, checked at compile time against the generated kinds).
 * Every other field is read, checked and dropped, so a field the alerter
 * does not keep can be renamed, added or moved in the .avsc without an edit
 * here. The JSON form is read through the same tables and bindings, each
 * member by its entry's name. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "avro_wire.h"
#include "avsc_gen.h"
#include "date.h"
#include "recurrence.h"
#include "ladder.h"
#include "task_event.h"
#include "utf8.h"

/* ---- bindings: generated entry -> member of duban_task_event_t ---- */

/* Where an entry's value goes: offsetof + 1 (0: nowhere) and, for an enum,
 * the value stored for a symbol index (-1: one the alerter does not know). */
typedef struct {
    size_t slot;
    int (*value)(int symbol);
} bind_t;

/* Entry DUBAN_AVSC_<e>, of kind `kind` in the .avsc, goes to member m, of C
 * type `ctype`: both checked by the compiler, so a bound field the .avsc
 * renames (its DUBAN_AVSC_ name goes) or retypes fails the build here. */
#define FITS(e, kind, m, ctype)                                                         \
    (0 * sizeof(struct {                                                                \
        _Static_assert(DUBAN_AVSC_KIND__##e == (kind), #e " is not " #kind " in the .avsc"); \
        _Static_assert(_Generic(((duban_task_event_t *)0)->m, ctype: 1, default: 0),       \
                       #m " is not " #ctype);                                          \
        char unused;                                                                    \
    }))
#define BIND(e, kind, m, ctype, fn) \
    [DUBAN_AVSC_##e] = {offsetof(duban_task_event_t, m) + 1 + FITS(e, kind, m, ctype), fn}
#define STR(e, m) BIND(e, DUBAN_AVSC_STRING, m, const char *, NULL)
#define LIST(e, m) BIND(e, DUBAN_AVSC_STRINGS, m, duban_str_list_t, NULL)
#define INT(e, m) BIND(e, DUBAN_AVSC_INT, m, int64_t, NULL)
#define LONG(e, m) BIND(e, DUBAN_AVSC_LONG, m, int64_t, NULL)
#define INSTANT(e, m) BIND(e, DUBAN_AVSC_TIMESTAMP, m, int64_t, NULL)
#define DATE(e, m) BIND(e, DUBAN_AVSC_DATE, m, int32_t, NULL)
#define ENUM(e, m, fn) BIND(e, DUBAN_AVSC_ENUM, m, int, fn)
#define PRESENT(e, m) BIND(e, DUBAN_AVSC_RECORD, m, bool, NULL)  /* whether it is not null */

/* Symbol -> C value. No default: a symbol the .avsc adds is a -Wswitch
 * error here until it is given a value. */
static int kind_value(int symbol)
{
    switch ((duban_avsc_deadline_kind_t)symbol) {
    case DUBAN_AVSC_DEADLINE_KIND_DATED: return DUBAN_DEADLINE_DATED;
    case DUBAN_AVSC_DEADLINE_KIND_RECURRING: return DUBAN_DEADLINE_RECURRING;
    case DUBAN_AVSC_DEADLINE_KIND_OPEN_ENDED: return DUBAN_DEADLINE_OPEN_ENDED;
    case DUBAN_AVSC_DEADLINE_KIND_NONE: return DUBAN_DEADLINE_NONE;
    }
    return -1;
}

static int period_value(int symbol)
{
    switch ((duban_avsc_recurrence_period_t)symbol) {
    case DUBAN_AVSC_RECURRENCE_PERIOD_WEEKLY: return DUBAN_RECUR_WEEKLY;
    case DUBAN_AVSC_RECURRENCE_PERIOD_MONTHLY: return DUBAN_RECUR_MONTHLY;
    case DUBAN_AVSC_RECURRENCE_PERIOD_QUARTERLY: return DUBAN_RECUR_QUARTERLY;
    case DUBAN_AVSC_RECURRENCE_PERIOD_HALF_YEARLY: return DUBAN_RECUR_HALF_YEARLY;
    case DUBAN_AVSC_RECURRENCE_PERIOD_YEARLY: return DUBAN_RECUR_YEARLY;
    }
    return -1;
}

static int status_value(int symbol)
{
    switch ((duban_avsc_task_status_t)symbol) {
    case DUBAN_AVSC_TASK_STATUS_ASSIGNED: return DUBAN_STATUS_ASSIGNED;
    case DUBAN_AVSC_TASK_STATUS_ACCEPTED: return DUBAN_STATUS_ACCEPTED;
    case DUBAN_AVSC_TASK_STATUS_IN_PROGRESS: return DUBAN_STATUS_IN_PROGRESS;
    case DUBAN_AVSC_TASK_STATUS_COMPLETED: return DUBAN_STATUS_COMPLETED;
    case DUBAN_AVSC_TASK_STATUS_EXTENSION_REQUESTED: return DUBAN_STATUS_EXTENSION_REQUESTED;
    case DUBAN_AVSC_TASK_STATUS_EXTENDED: return DUBAN_STATUS_EXTENDED;
    case DUBAN_AVSC_TASK_STATUS_CANCELLED: return DUBAN_STATUS_CANCELLED;
    case DUBAN_AVSC_TASK_STATUS_REOPENED: return DUBAN_STATUS_REOPENED;
    case DUBAN_AVSC_TASK_STATUS_COMPLETION_REQUESTED: return DUBAN_STATUS_COMPLETION_REQUESTED;
    }
    return -1;
}

/* What every event schema starts with: occurred_at and source. */
#define HEAD(R)                                                                         \
    INSTANT(R##__OCCURRED_AT, occurred_at), STR(R##__SOURCE__FILE, source_file),         \
        INT(R##__SOURCE__LINE, source_line), LONG(R##__SOURCE__OFFSET, source_offset)

static const bind_t assigned_bind[DUBAN_AVSC_TASK_ASSIGNED__ENTRIES] = {
    HEAD(TASK_ASSIGNED),
    STR(TASK_ASSIGNED__TASK_ID, task_id),
    STR(TASK_ASSIGNED__DOC_ID, doc_id),
    STR(TASK_ASSIGNED__OUTLINE_PATH, outline_path),
    STR(TASK_ASSIGNED__TEXT, text),
    LIST(TASK_ASSIGNED__LEAD_DEPARTMENTS, lead_departments),
    LIST(TASK_ASSIGNED__COOPERATING_DEPARTMENTS, cooperating_departments),
    STR(TASK_ASSIGNED__DEADLINE_TEXT, deadline_text),
    DATE(TASK_ASSIGNED__DUE_DATE, due_date),
    ENUM(TASK_ASSIGNED__DEADLINE_KIND, deadline_kind, kind_value),
    ENUM(TASK_ASSIGNED__RECURRENCE__PERIOD, recur_period, period_value),
    INT(TASK_ASSIGNED__RECURRENCE__MONTH, recur_month),
    INT(TASK_ASSIGNED__RECURRENCE__DAY, recur_day),
    STR(TASK_ASSIGNED__CONTENT_SHA256, content_sha256),
    STR(TASK_ASSIGNED__DOC_TITLE, doc_title),
    LIST(TASK_ASSIGNED__ISSUERS, issuers),
    PRESENT(TASK_ASSIGNED__CORRECTION, corrected),
};

static const bind_t status_bind[DUBAN_AVSC_TASK_STATUS_CHANGED__ENTRIES] = {
    HEAD(TASK_STATUS_CHANGED),
    STR(TASK_STATUS_CHANGED__TASK_ID, task_id),
    ENUM(TASK_STATUS_CHANGED__TO_STATUS, to_status, status_value),
    DATE(TASK_STATUS_CHANGED__NEW_DUE_DATE, new_due_date),
};

/* A DeadlineAlert read back after a restart: its alert_id. */
static const bind_t alert_bind[DUBAN_AVSC_DEADLINE_ALERT__ENTRIES] = {
    HEAD(DEADLINE_ALERT),
    STR(DEADLINE_ALERT__ALERT_ID, alert_id),
};

typedef struct {
    const duban_avsc_record_t *rec;
    const bind_t *bind;          /* rec->entries of them */
} layout_t;

static bool layout_of(duban_event_type_t type, layout_t *lay)
{
    switch (type) {
    case DUBAN_EV_TASK_ASSIGNED: *lay = (layout_t){&duban_avsc_task_assigned, assigned_bind}; break;
    case DUBAN_EV_TASK_STATUS_CHANGED:
        *lay = (layout_t){&duban_avsc_task_status_changed, status_bind};
        break;
    case DUBAN_EV_DEADLINE_ALERT: *lay = (layout_t){&duban_avsc_deadline_alert, alert_bind}; break;
    default: return false;
    }
    return true;
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

/* ---- the Avro walk ---- */

#define MAX_PATH 3   /* the record, a field, a field of a record field */

typedef struct {
    const unsigned char *p;
    size_t len, pos;
    const duban_avsc_field_t *fields;   /* the record's entries (generated) */
    const bind_t *bind;                 /* and where each goes */
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
/* *out is 0 when the varint does not read (callers' variables are then
 * never read uninitialised, and gcc -O3 can see so). */
static duban_err_t get_long(dec_t *d, int64_t *out)
{
    *out = 0;
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

/* A string's bytes (checked UTF-8), borrowed from the input; NULL and 0 when
 * it does not read. */
static duban_err_t get_string(dec_t *d, const unsigned char **s, size_t *n)
{
    *s = NULL;
    *n = 0;
    int64_t len;
    duban_err_t err = get_long(d, &len);
    if (err)
        return err;
    if (len < 0 || (uint64_t)len > d->len - d->pos)
        return dec_err(d, DUBAN_E_TRUNCATED, "string longer than what is left");
    *s = d->p + d->pos;
    *n = (size_t)len;
    d->pos += (size_t)len;
    /* RFC 3629, what jansson checks too */
    return duban_utf8_valid((const char *)*s, *n, NULL) ? DUBAN_OK
                                                        : dec_err(d, DUBAN_E_ENCODING, "invalid UTF-8");
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
static duban_err_t get_array(dec_t *d, int f, duban_err_t (*item)(dec_t *, int))
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

/* Where entry f's value goes in the event, or NULL. */
static void *slot_of(dec_t *d, int f)
{
    size_t slot = d->bind[f].slot;
    return slot ? (char *)d->ev + slot - 1 : NULL;
}

/* One string of a list kept in the event: non-empty ones only, cut at a
 * NUL, as the JSON form reads them. */
static duban_err_t list_item(dec_t *d, int f)
{
    const unsigned char *s;
    size_t n;
    duban_err_t err = get_string(d, &s, &n);
    duban_str_list_t *l = slot_of(d, f);
    if (err || !l)
        return err;
    n = strnlen((const char *)s, n);
    if (n) {
        const char *kept = keep(d, s, n);
        if (!l->count++)
            l->data = kept;
    }
    return DUBAN_OK;
}

static duban_err_t decode_fields(dec_t *d, int f, int n);

/* The fields of record entry f: the entries that follow it. */
static duban_err_t record_item(dec_t *d, int f)
{
    return decode_fields(d, f + 1, d->fields[f].nfields);
}

/* A date, refused outside years 1..9999; kept when its JSON form reads
 * back (the alerter refuses what JSON would not hold). */
static duban_err_t get_date(dec_t *d, int32_t *slot)
{
    int64_t v;
    duban_err_t err = get_int(d, &v);
    if (err)
        return err;
    if (v < DUBAN_DATE_MIN || v > DUBAN_DATE_MAX)
        return dec_err(d, DUBAN_E_SCHEMA, "date outside years 1..9999");
    if (slot) {
        bool ok = date_reads_back((int32_t)v);
        *slot = ok ? (int32_t)v : DUBAN_DATE_NONE;
        d->ev->date_unparsable |= !ok;
    }
    return DUBAN_OK;
}

/* The value of entry f (a union's non-null branch). */
static duban_err_t decode_value(dec_t *d, int f)
{
    const duban_avsc_field_t *fd = &d->fields[f];
    void *slot = slot_of(d, f);
    duban_err_t err;
    int64_t v;
    const unsigned char *s;
    size_t n;
    switch (fd->kind) {
    case DUBAN_AVSC_STRING:
        if ((err = get_string(d, &s, &n)) || !slot)
            return err;
        *(const char **)slot = keep(d, s, n);
        return DUBAN_OK;
    case DUBAN_AVSC_STRINGS:
        return get_array(d, f, list_item);
    case DUBAN_AVSC_BOOLEAN:
        if (d->pos >= d->len || d->p[d->pos] > 1)
            return dec_err(d, DUBAN_E_TRUNCATED, "not a boolean");
        d->pos++;
        return DUBAN_OK;
    case DUBAN_AVSC_TIMESTAMP:
    case DUBAN_AVSC_LONG:
        if ((err = get_long(d, &v)))
            return err;
        if (fd->kind == DUBAN_AVSC_TIMESTAMP && (v < DUBAN_INSTANT_MIN || v > DUBAN_INSTANT_MAX))
            return dec_err(d, DUBAN_E_SCHEMA, "timestamp outside years 1..9999");
        break;
    case DUBAN_AVSC_INT:
        if ((err = get_int(d, &v)))
            return err;
        break;
    case DUBAN_AVSC_DATE:
        return get_date(d, slot);
    case DUBAN_AVSC_ENUM:
        if ((err = get_index(d, fd->nsymbols, &v)))
            return err;
        if (slot)
            *(int *)slot = d->bind[f].value((int)v);
        return DUBAN_OK;
    case DUBAN_AVSC_RECORD:
        return record_item(d, f);
    case DUBAN_AVSC_RECORDS:
        return get_array(d, f, record_item);
    }
    if (slot)
        *(int64_t *)slot = v;
    return DUBAN_OK;
}

/* Entry f: a union's branch first (["null", X]), then the value. */
static duban_err_t decode_field(dec_t *d, int f)
{
    const duban_avsc_field_t *fd = &d->fields[f];
    if (fd->null_branch >= 0) {
        int64_t branch;
        duban_err_t err = get_index(d, 2, &branch);
        if (err)
            return err;
        bool *present = fd->kind == DUBAN_AVSC_RECORD ? slot_of(d, f) : NULL;
        if (present)
            *present = branch != fd->null_branch;
        if (branch == fd->null_branch)
            return DUBAN_OK;
    }
    return decode_value(d, f);
}

/* n fields, the first at entry f (a record's span over its nested ones). */
static duban_err_t decode_fields(dec_t *d, int f, int n)
{
    for (int i = 0; i < n; i++) {
        if (d->depth < MAX_PATH)
            d->path[d->depth] = d->fields[f].name;
        d->depth++;
        duban_err_t err = decode_field(d, f);
        if (err)
            return err;
        d->depth--;
        f += d->fields[f].entries;
    }
    return DUBAN_OK;
}

duban_err_t duban_task_event_decode(duban_task_event_t *ev, duban_event_type_t type,
                                    const void *data, size_t len, char *errbuf,
                                    size_t errbuf_size)
{
    layout_t lay;
    if (!layout_of(type, &lay))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "not a task event (type \"%s\")",
                            duban_event_type_name(type));
    if (len > SIZE_MAX / 2 - 1 || !reset(ev, 2 * len + 1))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    ev->type = type;
    dec_t d = {.p = data, .len = len, .fields = lay.rec->fields, .bind = lay.bind, .ev = ev,
               .errbuf = errbuf, .errbuf_size = errbuf_size};
    d.path[d.depth++] = lay.rec->name;
    duban_err_t err = decode_fields(&d, 0, lay.rec->nfields);
    if (!err && d.pos != len) {
        d.depth = 1;
        err = dec_err(&d, DUBAN_E_TRUNCATED, "bytes left after the record");
    }
    /* The alerter refuses an instant whose JSON form would not read back. */
    if (!err && type != DUBAN_EV_DEADLINE_ALERT &&
        !date_reads_back(duban_date_of_instant(ev->occurred_at)))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                           "%s.occurred_at: not an ISO-8601 instant", lay.rec->name);
    return err;
}

/* ---- the JSON form ---- */

/* The JSON form has the schema's names: it is read through the same
 * generated entries and the same bindings as the Avro walk, each bound
 * member looked up by its entry's name (absent, null or of another JSON type
 * leaves a string NULL, a number 0, a list empty). What JSON allows and
 * Avro does not is settled here: a date or an instant may be a string or an
 * integer; an enum symbol the schema does not know leaves the member as
 * duban_task_event_init set it (the alerter then says which). */

/* What the JSON walk visits for one event type, worked out once from the
 * generated table and the bindings: the bound entries and the records that
 * hold them, depth first, each with the step of the record it is in. */
enum {
    MAX_A = DUBAN_AVSC_TASK_ASSIGNED__ENTRIES,
    MAX_S = DUBAN_AVSC_TASK_STATUS_CHANGED__ENTRIES,
    MAX_D = DUBAN_AVSC_DEADLINE_ALERT__ENTRIES,
    MAX_AS = MAX_A > MAX_S ? MAX_A : MAX_S,
    MAX_ENTRIES = MAX_AS > MAX_D ? MAX_AS : MAX_D
};

typedef struct {
    const char *name;
    int entry;                   /* in the record's table */
    int parent;                  /* the step of its record; -1: top level */
} jstep_t;

typedef struct {
    jstep_t steps[MAX_ENTRIES];
    int nsteps;
    int lists[MAX_ENTRIES];      /* the steps that are kept lists */
    int nlists;
} jplan_t;

static const duban_event_type_t json_types[] = {
    DUBAN_EV_TASK_ASSIGNED, DUBAN_EV_TASK_STATUS_CHANGED, DUBAN_EV_DEADLINE_ALERT};
#define NTYPES (sizeof(json_types) / sizeof(json_types[0]))
static jplan_t json_plans[NTYPES];
static pthread_once_t json_plans_once = PTHREAD_ONCE_INIT;

static void plan_fields(jplan_t *p, const layout_t *lay, int f, int n, int parent)
{
    const duban_avsc_field_t *fields = lay->rec->fields;
    for (int i = 0; i < n; i++, f += fields[f].entries) {
        bool record = fields[f].kind == DUBAN_AVSC_RECORD, kept = lay->bind[f].slot != 0;
        if (!kept && !record)
            continue;
        int me = p->nsteps++;
        p->steps[me] = (jstep_t){fields[f].name, f, parent};
        if (kept && fields[f].kind == DUBAN_AVSC_STRINGS)
            p->lists[p->nlists++] = me;
        if (record) {
            plan_fields(p, lay, f + 1, fields[f].nfields, me);
            if (!kept && p->nsteps == me + 1)
                p->nsteps = me;   /* nothing kept in it */
        }
    }
}

static void plan_all(void)
{
    for (size_t t = 0; t < NTYPES; t++) {
        layout_t lay;
        if (layout_of(json_types[t], &lay))
            plan_fields(&json_plans[t], &lay, 0, lay.rec->nfields, -1);
    }
}

typedef struct {
    duban_task_event_t *ev;
    const duban_avsc_record_t *rec;
    const bind_t *bind;
    size_t used;                 /* bytes of ev->buf the lists' strings take */
    bool nomem;
} jdec_t;

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

/* The non-empty strings of a list, as the Avro walk keeps them, appended to
 * ev->buf (grown as needed); l->data is their offset there until
 * json_steps() turns it into a pointer. */
static void list_fill(jdec_t *d, duban_str_list_t *l, const json_t *arr)
{
    duban_task_event_t *ev = d->ev;
    size_t i;
    json_t *v;
    l->data = (const char *)(uintptr_t)d->used;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s)
            continue;
        size_t n = strlen(s) + 1;
        if (n > ev->cap - d->used) {
            size_t c = ev->cap;
            while (c - d->used < n && c <= SIZE_MAX / 2)
                c *= 2;
            char *b = c - d->used >= n ? realloc(ev->buf, c) : NULL;
            if (!b) {
                d->nomem = true;
                return;
            }
            ev->buf = b;
            ev->cap = c;
        }
        memcpy(ev->buf + d->used, s, n);
        d->used += n;
        l->count++;
    }
}

static int symbol_index(const duban_avsc_field_t *fd, const char *s)
{
    for (int i = 0; s && i < fd->nsymbols; i++)
        if (strcmp(s, fd->symbols[i]) == 0)
            return i;
    return -1;
}

/* An instant: epoch ms, or ISO-8601 text. */
static bool json_instant(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    return json_is_string(v) && duban_instant_parse(json_string_value(v), out) == DUBAN_OK;
}

/* The value of bound entry f, member v of its record (NULL: absent).
 * false: an instant that is none (the caller decides whether it matters). */
static bool json_value(jdec_t *d, int f, const json_t *v, void *slot)
{
    const duban_avsc_field_t *fd = &d->rec->fields[f];
    int s, value;
    switch (fd->kind) {
    case DUBAN_AVSC_STRING: *(const char **)slot = json_string_value(v); break;
    case DUBAN_AVSC_STRINGS: list_fill(d, slot, v); break;
    case DUBAN_AVSC_INT:
    case DUBAN_AVSC_LONG: *(int64_t *)slot = json_integer_value(v); break;
    case DUBAN_AVSC_DATE: *(int32_t *)slot = json_date(d->ev, v); break;
    case DUBAN_AVSC_TIMESTAMP: return json_instant(v, slot);
    case DUBAN_AVSC_ENUM:
        s = symbol_index(fd, json_string_value(v));
        value = s < 0 ? -1 : d->bind[f].value(s);
        if (value >= 0)
            *(int *)slot = value;
        break;
    case DUBAN_AVSC_RECORD: *(bool *)slot = json_is_object(v); break;
    case DUBAN_AVSC_BOOLEAN:
    case DUBAN_AVSC_RECORDS: break;   /* the alerter binds none */
    }
    return true;
}

/* Each step's member looked up in its record's object; the bound ones
 * read. Returns the first entry whose instant was none, or -1. */
static int json_steps(jdec_t *d, const jplan_t *p, const json_t *json)
{
    const json_t *vals[MAX_ENTRIES];
    int bad = -1;
    for (int k = 0; k < p->nsteps; k++) {
        const jstep_t *st = &p->steps[k];
        const json_t *v = json_object_get(st->parent < 0 ? json : vals[st->parent], st->name);
        size_t slot = d->bind[st->entry].slot;
        vals[k] = v;
        if (slot && !json_value(d, st->entry, v, (char *)d->ev + slot - 1) && bad < 0)
            bad = st->entry;
    }
    for (int k = 0; k < p->nlists; k++) {   /* offsets into ev->buf made pointers */
        duban_str_list_t *l =
            (duban_str_list_t *)((char *)d->ev + d->bind[p->steps[p->lists[k]].entry].slot - 1);
        l->data = d->ev->buf + (uintptr_t)l->data;
    }
    return bad;
}

duban_err_t duban_task_event_from_json(duban_task_event_t *ev, json_t *json, bool own,
                                       char *errbuf, size_t errbuf_size)
{
    pthread_once(&json_plans_once, plan_all);
    bool ok = reset(ev, 1);
    if (own)
        ev->json = json;
    if (!ok)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    const char *type = json_string_value(json_object_get(json, "type"));
    layout_t lay = {NULL, NULL};
    size_t t = 0;
    while (type && t < NTYPES && !(layout_of(json_types[t], &lay) && !strcmp(type, lay.rec->name)))
        t++;
    if (!type || t == NTYPES)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "not a task event (type \"%s\")", type ? type : "");
    ev->type = json_types[t];
    jdec_t d = {.ev = ev, .rec = lay.rec, .bind = lay.bind};
    int bad = json_steps(&d, &json_plans[t], json);
    if (d.nomem)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    /* A DeadlineAlert is read for its alert_id only: its instants may be none. */
    if (bad >= 0 && ev->type != DUBAN_EV_DEADLINE_ALERT)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s.%s: not an ISO-8601 instant", lay.rec->name,
                            lay.rec->fields[bad].name);
    if (ev->type == DUBAN_EV_TASK_STATUS_CHANGED)   /* as given, for the alerter's error */
        ev->to_status_name = json_string_value(json_object_get(
            json, lay.rec->fields[DUBAN_AVSC_TASK_STATUS_CHANGED__TO_STATUS].name));
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
