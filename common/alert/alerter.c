/* common/alert/alerter.c: the alerter engine. Storage is flat: task records
 * in one array, strings in an arena addressed by 32-bit offsets with the
 * repeated ones interned, an open-address table of record indices by task
 * id, and a set of 64-bit alert-id prefixes (the sent set) (arena.h); the
 * schedule is a heap of task indices keyed by (next fire instant, index),
 * and events dated after the clock wait in a second heap (heaps.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alerter.h"
#include "alloc.h"
#include "arena.h"
#include "avsc_gen.h"
#include "date.h"
#include "hash.h"
#include "heaps.h"
#include "utf8.h"

/* A DeadlineAlert key as schemas/DeadlineAlert.avsc names it, of kind k
 * there: a renamed or retyped field stops this file compiling (avsc.h). */
#define KEY DUBAN_AVSC_DEADLINE_ALERT_KEY
#define NIL DUBAN_ARENA_NIL     /* arena offset 0: null */
#define TEXT_MAX 200            /* task_text bytes */
#define SEP_ITEM '\x1e'         /* between list items */
#define SEP_FIELD '\x1d'        /* between fields of a composite */

typedef struct {
    duban_track_t track;
    uint64_t content;           /* first 8 bytes of content_sha256 */
    uint64_t replaced;          /* content a correction replaced (0: none): the same
                                   content ingested again does not undo the correction */
    uint32_t id;                /* task id; NIL: doc_id "#" outline_path */
    uint32_t id_hash;
    uint32_t doc;               /* doc_id | title | issuers | source file */
    uint32_t outline, text, deadline;
    uint32_t depts;             /* lead departments | cooperating departments */
    uint32_t line, offset;      /* offset UINT32_MAX: -1 */
} task_rec_t;

struct duban_alerter_s {
    duban_alerter_conf_t conf;
    char *supervisors;          /* copy of conf.supervisors */
    task_rec_t *recs;
    size_t nrecs, caprecs;
    duban_arena_t arena;
    duban_u32_table_t tasks;    /* -> record index */
    duban_key_set_t sent;
    duban_fire_heap_t fire;     /* tasks with something pending */
    duban_buf_t scratch, idbuf;
    duban_event_heap_t deferred; /* events dated after the clock */
    duban_task_event_t reading; /* duban_alerter_apply's JSON, read */
    duban_alert_facts_cb *facts;  /* set: alerts go there, not as JSON to emit */
    void *facts_opaque;
    duban_buf_t names;          /* an alert's departments (facts), NUL-separated */
    struct pending_memo_s *memo; /* facts mode: each task's pending entry, last computed */
    size_t memo_cap;
    duban_alerter_stats_t stats;
};

static const char *str_at(const duban_alerter_t *a, uint32_t off)
{
    return duban_arena_str(&a->arena, off);
}

/* ---- composites: fields separated by SEP_FIELD ---- */

/* The i-th field of a composite (pointer and length). */
static const char *field_of(const char *s, int i, size_t *len)
{
    for (; i > 0 && s; i--) {
        s = strchr(s, SEP_FIELD);
        s = s ? s + 1 : NULL;
    }
    if (!s) {
        *len = 0;
        return "";
    }
    const char *end = strchr(s, SEP_FIELD);
    *len = end ? (size_t)(end - s) : strlen(s);
    return s;
}

static json_t *list_json(const char *s, size_t len)
{
    json_t *arr = json_array();
    size_t i = 0;
    while (i < len) {
        const char *item = s + i;
        const char *end = memchr(item, SEP_ITEM, len - i);
        size_t n = end ? (size_t)(end - item) : len - i;
        json_array_append_new(arr, json_stringn(item, n));
        i += n + 1;
    }
    return arr;
}

/* Appends the strings of a list, SEP_ITEM-separated. */
static void add_list(duban_buf_t *b, const duban_str_list_t *l)
{
    const char *s = l->data;
    for (size_t i = 0; i < l->count; i++) {
        size_t n = strlen(s);
        if (i)
            duban_buf_append(b, (char[]){SEP_ITEM}, 1);
        duban_buf_append(b, s, n);
        s += n + 1;
    }
}

static void add_str(duban_buf_t *b, const char *s)
{
    duban_buf_append(b, s ? s : "", s ? strlen(s) : 0);
}

/* ---- task table ---- */

static const char *task_id_of(duban_alerter_t *a, const task_rec_t *r)
{
    if (r->id != NIL)
        return str_at(a, r->id);
    size_t dlen;
    const char *doc = field_of(str_at(a, r->doc), 0, &dlen);
    duban_buf_reset(&a->idbuf);
    duban_buf_append(&a->idbuf, doc, dlen);
    duban_buf_append(&a->idbuf, "#", 1);
    add_str(&a->idbuf, str_at(a, r->outline));
    const char *id = duban_buf_cstr(&a->idbuf);
    return id ? id : "";
}

static uint64_t task_hash(const void *ctx, uint32_t idx)
{
    return ((const duban_alerter_t *)ctx)->recs[idx].id_hash;
}

static uint32_t id_hash32(const char *id)
{
    uint64_t h = duban_fnv1a64(id, strlen(id));
    return (uint32_t)(h ^ (h >> 32));
}

static task_rec_t *find_task(duban_alerter_t *a, const char *id, uint32_t h, size_t *slot)
{
    size_t mask = a->tasks.cap - 1, j = h & mask;
    for (; a->tasks.slots[j]; j = (j + 1) & mask) {
        task_rec_t *r = &a->recs[a->tasks.slots[j] - 1];
        if (r->id_hash == h && strcmp(task_id_of(a, r), id) == 0)
            return r;
    }
    *slot = j;
    return NULL;
}

static task_rec_t *new_task(duban_alerter_t *a)
{
    a->recs = duban_array_xgrow(a->recs, &a->caprecs, a->nrecs + 1, sizeof(*a->recs), 1024);
    task_rec_t *r = &a->recs[a->nrecs++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* ---- sent set ---- */

/* The first 16 hex digits of an alert id as a number (nonzero). */
static uint64_t alert_key(const char *alert_id)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = alert_id[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return duban_fnv1a64(alert_id, strlen(alert_id)) | 1;
        v = v << 4 | (uint64_t)d;
    }
    return v ? v : 1;
}

void duban_alerter_mark_sent(duban_alerter_t *a, const char *alert_id)
{
    if (alert_id && *alert_id)
        duban_key_set_insert(&a->sent, alert_key(alert_id));
}

/* The pending entry of a track is a pure function of the track (with the
 * calendar and the ladder settings): in facts mode (a whole history
 * re-computed, each entry asked for when the task is scheduled and again
 * when it fires) the last one computed for each task is kept with the
 * track it was computed from, and given again while the track is the same
 * byte for byte. */
typedef struct pending_memo_s {
    duban_track_t track;
    duban_alert_entry_t entry;
    bool have, valid;
} pending_memo_t;

static bool pending_of(duban_alerter_t *a, const task_rec_t *r, duban_alert_entry_t *e)
{
    size_t i = (size_t)(r - a->recs);
    if (!a->facts)
        return duban_track_pending(&r->track, a->conf.cal, &a->conf.ladder, e);
    if (i >= a->memo_cap) {
        size_t cap = a->caprecs > i ? a->caprecs : i + 1;
        a->memo = duban_xrealloc(a->memo, cap * sizeof(*a->memo));
        memset(a->memo + a->memo_cap, 0, (cap - a->memo_cap) * sizeof(*a->memo));
        a->memo_cap = cap;
    }
    pending_memo_t *m = &a->memo[i];
    if (m->valid && memcmp(&m->track, &r->track, sizeof(r->track)) == 0) {
        *e = m->entry;
        return m->have;
    }
    m->have = duban_track_pending(&r->track, a->conf.cal, &a->conf.ladder, &m->entry);
    memcpy(&m->track, &r->track, sizeof(r->track));
    m->valid = true;
    *e = m->entry;
    return m->have;
}

/* Recomputes a task's next alert and its place in the schedule. */
static duban_err_t reschedule(duban_alerter_t *a, task_rec_t *r)
{
    duban_alert_entry_t e;
    bool have = pending_of(a, r, &e);
    duban_fire_heap_set(&a->fire, (uint32_t)(r - a->recs), have ? e.fire_at : INT64_MAX);
    return DUBAN_OK;
}

/* ---- the alert event ---- */

static void add_supervisors(duban_alerter_t *a, const task_rec_t *r, json_t *out)
{
    if (a->supervisors && *a->supervisors) {
        const char *p = a->supervisors;
        while (*p) {
            size_t n = strcspn(p, ",");
            if (n)
                json_array_append_new(out, json_stringn(p, n));
            p += n + (p[n] == ',');
        }
        return;
    }
    size_t len;
    const char *issuers = field_of(str_at(a, r->doc), 2, &len);
    json_t *list = list_json(issuers, len);
    json_array_extend(out, list);
    json_decref(list);
}

/* Appends v (stolen) to the list unless it holds it already. */
static void add_unique(json_t *to, json_t *v)
{
    size_t j;
    json_t *w;
    bool seen = false;
    json_array_foreach(to, j, w) seen = seen || json_equal(v, w);
    if (seen)
        json_decref(v);
    else
        json_array_append_new(to, v);
}

static void append_unique(json_t *to, const json_t *from)
{
    size_t i;
    json_t *v;
    json_array_foreach(from, i, v) add_unique(to, json_incref(v));
}

/* The department names of a list, as conf.dept names them (steals list;
 * a name mapped to one already in the list is dropped). */
static json_t *dept_names(const duban_alerter_t *a, json_t *list)
{
    if (!a->conf.dept)
        return list;
    json_t *out = json_array(), *v;
    char name[512];
    size_t i;
    json_array_foreach(list, i, v) {
        bool mapped = a->conf.dept(json_string_value(v), name, sizeof(name),
                                   a->conf.dept_opaque);
        add_unique(out, mapped ? json_string(name) : json_incref(v));
    }
    json_decref(list);
    return out;
}

static json_t *str_or_null(const duban_alerter_t *a, uint32_t off)
{
    return off == NIL ? json_null() : json_string(str_at(a, off));
}

static json_t *alert_source(const duban_alerter_t *a, const task_rec_t *r)
{
    size_t len;
    const char *file = field_of(str_at(a, r->doc), 3, &len);
    return json_pack("{s:s%,s:i,s:I}", KEY(SOURCE__FILE, STRING), file, len,
                     KEY(SOURCE__LINE, INT), (json_int_t)r->line, KEY(SOURCE__OFFSET, LONG),
                     r->offset == UINT32_MAX ? (json_int_t)-1 : (json_int_t)r->offset);
}

static json_t *build_alert(duban_alerter_t *a, const task_rec_t *r,
                           const duban_alert_entry_t *e, const char *alert_id,
                           const char *task_id, bool late)
{
    char fire[32], due[11];
    size_t len;
    const char *doc = str_at(a, r->doc), *depts = str_at(a, r->depts);
    const char *doc_id = field_of(doc, 0, &len);
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(duban_avsc_deadline_alert.name));
    json_object_set_new(o, KEY(EVENT_ID, STRING), json_string(alert_id));
    json_object_set_new(o, KEY(OCCURRED_AT, TIMESTAMP),
                        json_string(duban_instant_format(e->fire_at, fire)));
    json_object_set_new(o, KEY(SCHEMA_VERSION, INT), json_integer(1));
    json_object_set_new(o, KEY(ALERT_ID, STRING), json_string(alert_id));
    json_object_set_new(o, KEY(TASK_ID, STRING), json_string(task_id));
    json_object_set_new(o, KEY(DOC_ID, STRING), json_stringn(doc_id, len));
    const char *lead = field_of(depts, 0, &len);
    json_t *leads = dept_names(a, list_json(lead, len));
    const char *coop = field_of(depts, 1, &len);
    json_t *coops = dept_names(a, list_json(coop, len)), *sup = json_array();
    json_t *all = json_array();
    add_supervisors(a, r, sup);
    append_unique(all, leads);
    append_unique(all, coops);
    /* RED alerts also go to the supervising office, and so does every alert
     * of a task that names no responsible department: someone must be told. */
    if (e->level == DUBAN_LEVEL_RED || json_array_size(all) == 0)
        append_unique(all, sup);
    json_object_set_new(o, KEY(DEPARTMENTS, STRINGS), all);
    json_object_set_new(o, KEY(KIND, ENUM), json_string(duban_alert_kind_name(e->kind)));
    json_object_set_new(o, KEY(LEVEL, ENUM), json_string(duban_alert_level_name(e->level)));
    json_object_set_new(o, KEY(DUE_DATE, DATE), json_string(duban_date_format(e->due_date, due)));
    json_object_set_new(o, KEY(DAYS_LEFT, INT), json_integer(e->days_left));
    json_object_set_new(o, KEY(FIRE_AT, TIMESTAMP), json_string(fire));
    json_object_set_new(o, KEY(THRESHOLD_DAYS, INT),
                        e->threshold >= 0 ? json_integer(e->threshold) : json_null());
    json_object_set_new(o, KEY(LATE, BOOLEAN), json_boolean(late));
    const char *title = field_of(doc, 1, &len);
    json_object_set_new(o, KEY(DOC_TITLE, STRING), json_stringn(title, len));
    json_object_set_new(o, KEY(TASK_TEXT, STRING), str_or_null(a, r->text));
    json_object_set_new(o, KEY(OUTLINE_PATH, STRING), str_or_null(a, r->outline));
    json_object_set_new(o, KEY(LEAD_DEPARTMENTS, STRINGS), leads);
    json_object_set_new(o, KEY(COOPERATING_DEPARTMENTS, STRINGS), coops);
    json_object_set_new(o, KEY(SUPERVISORS, STRINGS), sup);
    json_object_set_new(o, KEY(DEADLINE_TEXT, STRING), str_or_null(a, r->deadline));
    json_object_set_new(o, KEY(SOURCE, RECORD), alert_source(a, r));
    return o;
}

/* ---- the alert's facts (duban_alerter_set_facts): no JSON ---- */

/* Adds name[0..n) to the list in a->names unless it holds it already (as
 * add_unique does; a name that is not UTF-8 is dropped, as jansson
 * refuses to make a string of it). */
static void name_add(duban_alerter_t *a, size_t *count, const char *name, size_t n)
{
    if (!duban_utf8_valid(name, n, NULL))
        return;
    const char *p = (const char *)a->names.data;
    for (size_t i = 0; i < *count; i++) {
        size_t len = strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return;
        p += len + 1;
    }
    duban_buf_append(&a->names, name, n);
    duban_buf_append(&a->names, "", 1);
    (*count)++;
}

/* The items of a SEP_ITEM list, named as conf.dept names them. */
static void names_of_list(duban_alerter_t *a, size_t *count, const char *s, size_t len,
                          bool map)
{
    char mapped[512];
    size_t i = 0;
    while (i < len) {
        const char *item = s + i;
        const char *end = memchr(item, SEP_ITEM, len - i);
        size_t n = end ? (size_t)(end - item) : len - i;
        i += n + 1;
        if (map && a->conf.dept) {
            char *name = duban_xstrndup(item, n);
            bool is_mapped = a->conf.dept(name, mapped, sizeof(mapped), a->conf.dept_opaque);
            free(name);
            if (is_mapped) {
                name_add(a, count, mapped, strlen(mapped));
                continue;
            }
        }
        name_add(a, count, item, n);
    }
}

/* Everyone the alert addresses, as build_alert's departments list. */
static duban_str_list_t departments_of(duban_alerter_t *a, const task_rec_t *r,
                                       const duban_alert_entry_t *e)
{
    size_t count = 0, len;
    const char *depts = str_at(a, r->depts);
    duban_buf_reset(&a->names);
    const char *lead = field_of(depts, 0, &len);
    names_of_list(a, &count, lead, len, true);
    const char *coop = field_of(depts, 1, &len);
    names_of_list(a, &count, coop, len, true);
    if (e->level == DUBAN_LEVEL_RED || count == 0) {
        if (a->supervisors && *a->supervisors) {
            const char *p = a->supervisors;
            while (*p) {
                size_t n = strcspn(p, ",");
                if (n)
                    name_add(a, &count, p, n);
                p += n + (p[n] == ',');
            }
        } else {
            const char *issuers = field_of(str_at(a, r->doc), 2, &len);
            names_of_list(a, &count, issuers, len, false);
        }
    }
    return (duban_str_list_t){count ? (const char *)a->names.data : "", count};
}

/* Fires (or skips, when already sent) the pending entry e of r. */
static duban_err_t fire(duban_alerter_t *a, task_rec_t *r, const duban_alert_entry_t *e,
                        int64_t now, duban_alert_emit_cb *emit, void *opaque)
{
    char alert_id[33];
    const char *task_id = task_id_of(a, r);
    duban_alert_id(task_id, e->kind, e->due_date, e->threshold, alert_id);
    uint64_t key = alert_key(alert_id);
    if (duban_key_set_contains(&a->sent, key)) {
        a->stats.skipped_sent++;
    } else {
        bool late = now - e->fire_at > a->conf.late_after_ms;
        char id_copy[1024];   /* task_id cut at 1023 bytes */
        size_t idlen = strnlen(task_id, sizeof(id_copy) - 1);
        memcpy(id_copy, task_id, idlen);
        id_copy[idlen] = '\0';
        duban_err_t err;
        if (a->facts) {
            duban_alert_facts_t facts = {alert_id, id_copy, e, late, departments_of(a, r, e)};
            err = a->names.err ? a->names.err : a->facts(&facts, a->facts_opaque);
        } else {
            json_t *alert = build_alert(a, r, e, alert_id, id_copy, late);
            err = alert ? emit(alert, id_copy, opaque) : DUBAN_E_NOMEM;
            json_decref(alert);
        }
        if (err != DUBAN_OK)
            return err;
        duban_key_set_insert(&a->sent, key);
        a->stats.emitted++;
    }
    duban_track_done(&r->track, e);
    return DUBAN_OK;
}

/* Fires what r had pending before instant `before` (and not after now);
 * *fired (may be NULL) counts them: r's place in the schedule is then
 * stale until it is rescheduled. */
static duban_err_t flush_task(duban_alerter_t *a, task_rec_t *r, int64_t before,
                              int64_t now, duban_alert_emit_cb *emit, void *opaque,
                              size_t *fired)
{
    duban_alert_entry_t e;
    while (pending_of(a, r, &e) &&
           e.fire_at < before && e.fire_at <= now) {
        duban_err_t err = fire(a, r, &e, now, emit, opaque);
        if (err != DUBAN_OK)
            return err;
        if (fired)
            (*fired)++;
    }
    return DUBAN_OK;
}

static duban_err_t apply_now(duban_alerter_t *a, const duban_task_event_t *ev, int64_t now,
                             duban_alert_emit_cb *emit, void *opaque, char *errbuf,
                             size_t size);

/* Applies the first deferred event, at its own instant. Bad input found
 * only now is counted; an emit error puts it back. */
static duban_err_t apply_deferred(duban_alerter_t *a, int64_t now, duban_alert_emit_cb *emit,
                                  void *opaque)
{
    int64_t at;
    duban_task_event_t *ev = duban_event_heap_pop(&a->deferred, &at);
    char err[256];
    duban_err_t e = apply_now(a, ev, now, emit, opaque, err, sizeof(err));
    if (e == DUBAN_E_PARSE || e == DUBAN_E_NOTFOUND || e == DUBAN_E_INVAL) {
        a->stats.deferred_errors++;
        e = DUBAN_OK;
    } else if (e != DUBAN_OK) {
        duban_event_heap_push(&a->deferred, ev, at);   /* back, for the next try */
        return e;
    }
    duban_task_event_destroy(ev);
    return e;
}

/* Moves the schedule to `target` (<= now, the clock: alerts emitted now
 * are late when now is well past their instant). */
static duban_err_t advance_to(duban_alerter_t *a, int64_t target, int64_t now,
                              duban_alert_emit_cb *emit, void *opaque)
{
    for (;;) {
        uint32_t top = 0;
        int64_t fire_at = duban_fire_heap_top(&a->fire, &top);
        int64_t ev_at = duban_event_heap_next_at(&a->deferred);
        duban_err_t err = DUBAN_OK;
        if (ev_at <= target && ev_at <= fire_at) {
            err = apply_deferred(a, now, emit, opaque);
        } else if (fire_at <= target) {
            task_rec_t *r = &a->recs[top];
            duban_alert_entry_t e;
            /* only what is due by target: a place made stale elsewhere must
             * not fire the task's next alert early */
            if (pending_of(a, r, &e) && e.fire_at <= target)
                err = fire(a, r, &e, now, emit, opaque);
            if (err == DUBAN_OK)
                err = reschedule(a, r);
        } else {
            return DUBAN_OK;
        }
        if (err != DUBAN_OK)
            return err;
    }
}

void duban_alerter_set_facts(duban_alerter_t *a, duban_alert_facts_cb *facts, void *opaque)
{
    a->facts = facts;
    a->facts_opaque = opaque;
}

duban_err_t duban_alerter_advance(duban_alerter_t *a, int64_t now,
                                  duban_alert_emit_cb *emit, void *opaque)
{
    return advance_to(a, now, now, emit, opaque);
}

int64_t duban_alerter_next_at(const duban_alerter_t *a)
{
    int64_t fire_at = duban_fire_heap_top(&a->fire, NULL);
    int64_t ev_at = duban_event_heap_next_at(&a->deferred);
    return fire_at < ev_at ? fire_at : ev_at;
}

/* ---- reading events ---- */

typedef struct {
    const char *task_id;
    int64_t at;
    duban_deadline_kind_t kind;
    int32_t due;
    duban_recurrence_t recur;
    uint64_t content;
    bool corrected;
} assigned_t;

static duban_err_t read_assigned(const duban_task_event_t *ev, assigned_t *t, char *errbuf,
                                 size_t size)
{
    t->task_id = ev->task_id;
    t->at = ev->occurred_at;
    t->due = ev->due_date;
    if (!t->task_id || !*t->task_id)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "TaskAssigned.task_id: missing");
    if (!ev->content_sha256 || !*ev->content_sha256)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskAssigned.content_sha256: missing");
    if (ev->deadline_kind < 0)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskAssigned.deadline_kind: not DATED|RECURRING|OPEN_ENDED|NONE");
    t->kind = (duban_deadline_kind_t)ev->deadline_kind;
    t->content = alert_key(ev->content_sha256);
    t->corrected = ev->corrected;
    if (ev->date_unparsable)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskAssigned.due_date: not a YYYY-MM-DD date");
    if (t->kind == DUBAN_DEADLINE_DATED && t->due == DUBAN_DATE_NONE)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskAssigned.due_date: missing for a DATED task");
    memset(&t->recur, 0, sizeof(t->recur));
    if (t->kind != DUBAN_DEADLINE_RECURRING)
        return DUBAN_OK;
    if (ev->recur_period <= 0 || ev->recur_month < 0 || ev->recur_month > 12 ||
        ev->recur_day < 0 || ev->recur_day > 31)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskAssigned.recurrence: need period, month 0-12, day 0-31 "
                            "for a RECURRING task");
    t->recur.period = (duban_recur_period_t)ev->recur_period;
    t->recur.month = (int)ev->recur_month;
    t->recur.day = (int)ev->recur_day;
    return DUBAN_OK;
}

/* Interns the composite of a few fields into *out. */
static duban_err_t store_details(duban_alerter_t *a, task_rec_t *r,
                                 const duban_task_event_t *ev, const char *task_id)
{
    duban_buf_t *b = &a->scratch;
    const char *doc_id = ev->doc_id ? ev->doc_id : "";
    const char *outline = ev->outline_path, *text = ev->text, *deadline = ev->deadline_text;
    static const char sep[1] = {SEP_FIELD};
    duban_buf_reset(b);
    add_str(b, doc_id);
    duban_buf_append(b, sep, 1);
    add_str(b, ev->doc_title);
    duban_buf_append(b, sep, 1);
    add_list(b, &ev->issuers);
    duban_buf_append(b, sep, 1);
    add_str(b, ev->source_file);
    bool ok = b->err == DUBAN_OK;
    r->doc = ok ? duban_arena_intern(&a->arena, (const char *)b->data, b->len) : NIL;
    duban_buf_reset(b);
    add_list(b, &ev->lead_departments);
    duban_buf_append(b, sep, 1);
    add_list(b, &ev->cooperating_departments);
    ok = ok && b->err == DUBAN_OK;
    r->depts = ok ? duban_arena_intern(&a->arena, (const char *)b->data, b->len) : NIL;
    r->outline = outline ? duban_arena_intern(&a->arena, outline, strlen(outline)) : NIL;
    r->deadline = deadline ? duban_arena_intern(&a->arena, deadline, strlen(deadline)) : NIL;
    r->text = text ? duban_arena_add(&a->arena, text,
                                     duban_utf8_cut(text, strlen(text), TEXT_MAX))
                   : NIL;
    r->line = (uint32_t)ev->source_line;
    int64_t off = ev->source_offset;
    r->offset = off < 0 || off >= UINT32_MAX ? UINT32_MAX : (uint32_t)off;
    if (!ok || r->doc == NIL || r->depts == NIL)
        return DUBAN_E_NOMEM;
    size_t dlen = strlen(doc_id);
    bool derived = outline && strncmp(task_id, doc_id, dlen) == 0 && task_id[dlen] == '#' &&
                   strcmp(task_id + dlen + 1, outline) == 0;
    r->id = derived ? NIL : duban_arena_add(&a->arena, task_id, strlen(task_id));
    return derived || r->id != NIL ? DUBAN_OK : DUBAN_E_NOMEM;
}

static duban_err_t apply_assigned(duban_alerter_t *a, const duban_task_event_t *ev, int64_t now,
                                  duban_alert_emit_cb *emit, void *opaque,
                                  char *errbuf, size_t size)
{
    assigned_t t;
    duban_err_t err = read_assigned(ev, &t, errbuf, size);
    if (err != DUBAN_OK)
        return err;
    if (duban_u32_table_full(&a->tasks))
        duban_u32_table_grow(&a->tasks, task_hash, a);
    uint32_t h = id_hash32(t.task_id);
    size_t slot = 0;
    task_rec_t *r = find_task(a, t.task_id, h, &slot);
    if (r && (r->content == t.content || (!t.corrected && r->replaced == t.content))) {
        a->stats.unchanged++;
        return DUBAN_OK;
    }
    if (r) {   /* changed content: the new definition wins */
        if (!t.corrected)
            r->replaced = 0;
        else if (!r->replaced)
            r->replaced = r->content;
        err = flush_task(a, r, t.at, now, emit, opaque, NULL);
        if (err == DUBAN_OK)
            err = store_details(a, r, ev, t.task_id);
        duban_track_redefine(&r->track, t.kind, t.due, &t.recur);
    } else {
        r = new_task(a);
        r->id_hash = h;
        err = store_details(a, r, ev, t.task_id);
        if (err != DUBAN_OK) {
            a->nrecs--;
            return err;
        }
        a->tasks.slots[slot] = (uint32_t)(r - a->recs) + 1;
        a->tasks.count++;
        duban_track_assign(&r->track, t.kind, t.due, &t.recur, t.at);
    }
    r->content = t.content;
    return err == DUBAN_OK ? reschedule(a, r) : err;
}

typedef struct {
    const char *task_id;
    duban_task_status_t to;
    int64_t at;
    int32_t new_due;
} status_t;

static duban_err_t read_status(const duban_task_event_t *ev, status_t *st, char *errbuf,
                               size_t size)
{
    st->task_id = ev->task_id;
    st->at = ev->occurred_at;
    st->new_due = ev->new_due_date;
    if (!st->task_id || !*st->task_id)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE, "TaskStatusChanged.task_id: missing");
    if (ev->to_status < 0)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskStatusChanged.to_status: unknown status \"%s\"",
                            ev->to_status_name ? ev->to_status_name : "");
    st->to = (duban_task_status_t)ev->to_status;
    if (ev->date_unparsable)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskStatusChanged.new_due_date: not a YYYY-MM-DD date");
    if (st->to == DUBAN_STATUS_EXTENDED && st->new_due == DUBAN_DATE_NONE)
        return duban_seterr(errbuf, size, DUBAN_E_PARSE,
                            "TaskStatusChanged.new_due_date: missing for EXTENDED");
    return DUBAN_OK;
}

static duban_err_t apply_status(duban_alerter_t *a, const duban_task_event_t *ev, int64_t now,
                                duban_alert_emit_cb *emit, void *opaque,
                                char *errbuf, size_t size)
{
    status_t st;
    duban_err_t err = read_status(ev, &st, errbuf, size);
    if (err != DUBAN_OK)
        return err;
    size_t slot;
    task_rec_t *r = find_task(a, st.task_id, id_hash32(st.task_id), &slot);
    if (!r)
        return duban_seterr(errbuf, size, DUBAN_E_NOTFOUND,
                            "TaskStatusChanged.task_id: unknown task \"%s\"", st.task_id);
    size_t fired = 0;
    err = flush_task(a, r, st.at, now, emit, opaque, &fired);
    if (err != DUBAN_OK)
        return err;
    if (!duban_track_status(&r->track, st.to, st.new_due, st.at)) {
        a->stats.unchanged++;
        /* the track moved on if the flush fired: its next alert's instant */
        return fired ? reschedule(a, r) : DUBAN_OK;
    }
    return reschedule(a, r);
}

static duban_err_t apply_now(duban_alerter_t *a, const duban_task_event_t *ev, int64_t now,
                             duban_alert_emit_cb *emit, void *opaque, char *errbuf,
                             size_t size)
{
    if (ev->type == DUBAN_EV_TASK_ASSIGNED)
        return apply_assigned(a, ev, now, emit, opaque, errbuf, size);
    return apply_status(a, ev, now, emit, opaque, errbuf, size);
}

/* Checks what can be checked before an event is deferred. */
static duban_err_t validate(const duban_task_event_t *ev, char *errbuf, size_t size)
{
    if (ev->type == DUBAN_EV_TASK_ASSIGNED) {
        assigned_t t;
        return read_assigned(ev, &t, errbuf, size);
    }
    status_t st;
    return read_status(ev, &st, errbuf, size);
}

static duban_err_t apply_event(duban_alerter_t *a, const duban_task_event_t *ev, int64_t now,
                               duban_alert_emit_cb *emit, void *opaque, char *errbuf,
                               size_t errbuf_size)
{
    int64_t at = ev->occurred_at;
    duban_err_t err = DUBAN_OK;
    if (at > now) {   /* dated after the clock: applied then */
        err = validate(ev, errbuf, errbuf_size);
        if (err == DUBAN_OK) {
            duban_task_event_t *copy = duban_task_event_copy(ev);
            if (copy)
                duban_event_heap_push(&a->deferred, copy, at);
            else
                err = DUBAN_E_NOMEM;
        }
        return err;
    }
    /* Deferred events before it come first; its own task then fires what
     * was pending before `at` (a backlog read after downtime thus stops a
     * task's alerts where the events say, not where the clock is). */
    while (err == DUBAN_OK && duban_event_heap_next_at(&a->deferred) < at)
        err = apply_deferred(a, now, emit, opaque);
    return err ? err : apply_now(a, ev, now, emit, opaque, errbuf, errbuf_size);
}

duban_err_t duban_alerter_apply_event(duban_alerter_t *a, const duban_task_event_t *ev,
                                      int64_t now, duban_alert_emit_cb *emit, void *opaque,
                                      char *errbuf, size_t errbuf_size)
{
    a->stats.events++;
    if (ev->type != DUBAN_EV_TASK_ASSIGNED && ev->type != DUBAN_EV_TASK_STATUS_CHANGED)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "not a task event (type \"%s\")", duban_event_type_name(ev->type));
    return apply_event(a, ev, now, emit, opaque, errbuf, errbuf_size);
}

duban_err_t duban_alerter_apply(duban_alerter_t *a, const json_t *ev, int64_t now,
                                duban_alert_emit_cb *emit, void *opaque,
                                char *errbuf, size_t errbuf_size)
{
    a->stats.events++;
    duban_task_event_t *te = &a->reading;
    duban_err_t err = duban_task_event_from_json(te, (json_t *)ev, false, errbuf, errbuf_size);
    if (err == DUBAN_OK && te->type == DUBAN_EV_DEADLINE_ALERT)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "not a task event (type \"%s\")",
                           duban_event_type_name(te->type));
    if (err == DUBAN_OK)
        err = apply_event(a, te, now, emit, opaque, errbuf, errbuf_size);
    return err;
}

/* ---- lifecycle ---- */

duban_err_t duban_alerter_conf_from(const duban_conf_t *conf, duban_calendar_t *cal,
                                    duban_alerter_conf_t *ac, char *errbuf,
                                    size_t errbuf_size)
{
    long late;
    duban_err_t err = duban_calendar_load_files(
        cal, duban_conf_str(conf, "alerter.calendar.files"), errbuf, errbuf_size);
    if (!err)
        err = duban_ladder_conf_from(conf, &ac->ladder, errbuf, errbuf_size);
    if (!err)
        err = duban_conf_int(conf, "alerter.late.after.ms", &late, errbuf,
                                  errbuf_size);
    if (err)
        return err;
    ac->cal = cal;
    ac->late_after_ms = late;
    ac->supervisors = duban_conf_str(conf, "alerter.supervisors");
    return DUBAN_OK;
}

duban_err_t duban_alerter_new(const duban_alerter_conf_t *ac, duban_alerter_t **out,
                              char *errbuf, size_t errbuf_size)
{
    if (!ac || !ac->cal)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "alerter: no calendar");
    duban_alerter_t *a = duban_xcalloc(1, sizeof(*a));
    a->conf = *ac;
    duban_task_event_init(&a->reading);
    a->supervisors = ac->supervisors ? duban_xstrdup(ac->supervisors) : NULL;
    a->conf.supervisors = a->supervisors;
    duban_buf_init(&a->scratch, 0);
    duban_buf_init(&a->idbuf, 0);
    duban_buf_init(&a->names, 0);
    duban_arena_init(&a->arena);
    duban_u32_table_grow(&a->tasks, task_hash, a);
    *out = a;
    return DUBAN_OK;
}

void duban_alerter_destroy(duban_alerter_t *a)
{
    if (!a)
        return;
    free(a->supervisors);
    free(a->recs);
    duban_arena_free(&a->arena);
    duban_u32_table_free(&a->tasks);
    duban_key_set_free(&a->sent);
    duban_fire_heap_free(&a->fire);
    duban_buf_free(&a->scratch);
    duban_buf_free(&a->idbuf);
    duban_buf_free(&a->names);
    free(a->memo);
    duban_event_heap_free(&a->deferred);
    duban_task_event_free(&a->reading);
    free(a);
}

void duban_alerter_stats(const duban_alerter_t *a, duban_alerter_stats_t *out)
{
    *out = a->stats;
    out->tasks = a->nrecs;
    out->pending = a->fire.len;
    out->deferred = a->deferred.len;
    out->sent = a->sent.count;
    out->arena_bytes = a->arena.bytes.cap;
    out->table_bytes = a->caprecs * sizeof(task_rec_t) + a->tasks.cap * 4 +
                       a->arena.interned.cap * 4 + a->sent.cap * 8 +
                       duban_fire_heap_bytes(&a->fire);
}
