/* consumers/analytics/store_row.c: an event's store parameters, from a
 * jansson object or straight from its decoded Avro fields (store_row.h).
 * Text the row makes itself (a joined list, a formatted date) goes into its
 * scratch buffer, which may move as it grows: such a value keeps its offset
 * until every column is made, and then gets its pointer. */
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "base64.h"
#include "date.h"
#include "store_row.h"

#define LIST_SEP "、"
#define LIST_SEP_LEN 3
#define NO_OFFSET ((size_t)-1)

/* Extra slots of store_row_t.field after the columns. */
enum { F_LEAD = STORE_MAX_COLS, F_COOP, F_OCCURRED };

void store_row_init(store_row_t *r)
{
    memset(r, 0, sizeof(*r));
    duban_buf_init(&r->scratch, 0);
}

void store_row_free(store_row_t *r)
{
    duban_buf_free(&r->scratch);
    free(r->depts);
    free(r->json);
    memset(r->plan, 0, sizeof(r->plan));
    r->depts = NULL;
    r->json = NULL;
}

/* Starts a row: nothing kept from the event before. */
static void row_reset(store_row_t *r)
{
    duban_buf_reset(&r->scratch);
    free(r->json);
    r->json = NULL;
    r->ndepts = 0;
    r->occurred_at[0] = '\0';
}

/* A department row; the names stay borrowed. */
static duban_err_t add_dept(store_row_t *r, const char *name, size_t len, const char *role)
{
    store_val_t *d = duban_array_grow(r->depts, &r->dcap, r->ndepts * 2 + 2, sizeof(*d), 32);
    if (!d)
        return DUBAN_E_NOMEM;
    r->depts = d;
    r->depts[r->ndepts * 2] = (store_val_t){STORE_TEXT, name, len, 0};
    r->depts[r->ndepts * 2 + 1] = (store_val_t){STORE_TEXT, role, strlen(role), 0};
    r->ndepts++;
    return DUBAN_OK;
}

/* Gives the values kept in scratch their pointers, once it no longer grows. */
static duban_err_t fix_scratch(store_row_t *r, const size_t *off)
{
    if (r->scratch.err)
        return r->scratch.err;
    for (int k = 0; k < r->n; k++)  /* never NULL: a NULL text binds SQL NULL */
        if (off[k] != NO_OFFSET)
            r->vals[k].text = r->scratch.data ? (const char *)r->scratch.data + off[k] : "";
    return DUBAN_OK;
}

/* ---- from a jansson object ---- */

/* The list's strings joined with '、' into scratch, at *off. */
static store_val_t join_json(store_row_t *r, const json_t *arr, size_t *off)
{
    size_t i, start = r->scratch.len;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (i)
            duban_buf_append(&r->scratch, LIST_SEP, LIST_SEP_LEN);
        duban_buf_append(&r->scratch, json_string_value(v), json_string_length(v));
    }
    *off = start;
    return (store_val_t){STORE_TEXT, NULL, r->scratch.len - start, 0};
}

static store_val_t json_col(store_row_t *r, const store_col_t *col, const json_t *v,
                            size_t *off)
{
    *off = NO_OFFSET;
    if (!v || json_is_null(v))
        return (store_val_t){STORE_NULL, NULL, 0, 0};
    if (col->kind == COL_LIST && json_is_array(v))
        return join_json(r, v, off);
    if (col->kind == COL_BOOL)
        return (store_val_t){STORE_INT, NULL, 0, json_is_true(v)};
    if (json_is_integer(v))
        return (store_val_t){STORE_INT, NULL, 0, json_integer_value(v)};
    if (json_is_string(v))
        return (store_val_t){STORE_TEXT, json_string_value(v), json_string_length(v), 0};
    return (store_val_t){STORE_NULL, NULL, 0, 0};
}

store_val_t store_row_json_value(store_row_t *r, const store_col_t *col, const json_t *v)
{
    size_t off;
    duban_buf_reset(&r->scratch);
    store_val_t out = json_col(r, col, v, &off);
    if (off != NO_OFFSET && !r->scratch.err)
        out.text = r->scratch.data ? (const char *)r->scratch.data + off : "";
    return out.kind == STORE_TEXT && !out.text ? (store_val_t){STORE_NULL, NULL, 0, 0} : out;
}

static duban_err_t json_depts(store_row_t *r, const json_t *ev)
{
    static const char *roles[][2] = {{TASK_KEY(LEAD_DEPARTMENTS, STRINGS), "lead"},
                                     {TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS), "cooperating"}};
    duban_err_t err = DUBAN_OK;
    for (int k = 0; !err && k < 2; k++) {
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(ev, roles[k][0]), i, d) {
            if (json_is_string(d) &&
                (err = add_dept(r, json_string_value(d), json_string_length(d), roles[k][1])))
                break;
        }
    }
    return err;
}

duban_err_t store_row_from_json(store_row_t *r, const store_table_t *t, bool departments,
                                const json_t *ev, char *errbuf, size_t size)
{
    size_t off[STORE_MAX_COLS];
    row_reset(r);
    if (!json_is_string(json_object_get(ev, t->cols[0].name)))
        return duban_seterr(errbuf, size, DUBAN_E_SCHEMA, "%s: no %s", t->table,
                            t->cols[0].name);
    for (r->n = 0; t->cols[r->n].name; r->n++)
        r->vals[r->n] = json_col(r, &t->cols[r->n], json_object_get(ev, t->cols[r->n].name),
                                 &off[r->n]);
    r->json = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
    r->vals[r->n] = (store_val_t){STORE_TEXT, r->json ? r->json : "{}", 0, 0};
    r->vals[r->n].len = strlen(r->vals[r->n].text);
    const char *at = json_string_value(json_object_get(ev, "occurred_at"));
    if (at && strlen(at) < sizeof(r->occurred_at))
        memcpy(r->occurred_at, at, strlen(at) + 1);
    duban_err_t err = departments ? json_depts(r, ev) : DUBAN_OK;
    return err ? err : fix_scratch(r, off);
}

/* ---- from an event decoded straight from Avro ---- */

/* Which of the event's fields each column (and the other slots) reads:
 * looked up once per event type and schema. */
static void map_fields(store_row_t *r, const store_table_t *t, const duban_event_row_t *ev)
{
    int *f = r->field[ev->type];
    for (int k = 0; k < STORE_MAX_COLS; k++)
        f[k] = t->cols[k].name ? duban_avro_plan_field_index(ev->plan, t->cols[k].name) : -1;
    f[F_LEAD] = duban_avro_plan_field_index(ev->plan, TASK_KEY(LEAD_DEPARTMENTS, STRINGS));
    f[F_COOP] = duban_avro_plan_field_index(ev->plan,
                                            TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS));
    f[F_OCCURRED] = duban_avro_plan_field_index(ev->plan, "occurred_at");
    r->plan[ev->type] = ev->plan;
}

static store_val_t join_avro(store_row_t *r, const duban_avro_field_t *f, size_t *off)
{
    duban_avro_strings_t it;
    const char *s;
    size_t n, start = r->scratch.len;
    duban_avro_strings_begin(&it, f);
    for (int i = 0; duban_avro_strings_next(&it, &s, &n); i++) {
        if (i)
            duban_buf_append(&r->scratch, LIST_SEP, LIST_SEP_LEN);
        duban_buf_append(&r->scratch, s, n);
    }
    *off = start;
    return (store_val_t){STORE_TEXT, NULL, r->scratch.len - start, 0};
}

/* Text the field's JSON form would hold, made in scratch (a date, an
 * instant, bytes as base64). */
static store_val_t made_text(store_row_t *r, const duban_avro_field_t *f, size_t *off)
{
    char buf[32], *b64 = NULL;
    const char *s = buf;
    if (f->kind == DUBAN_AVRO_F_DATE)
        duban_date_format((int32_t)f->num, buf);
    else if (f->kind == DUBAN_AVRO_F_TIMESTAMP)
        duban_instant_format(f->num, buf);
    else if (duban_base64_encode(f->text, f->len, &b64) == DUBAN_OK)
        s = b64;
    else
        return (store_val_t){STORE_NULL, NULL, 0, 0};
    *off = r->scratch.len;
    duban_buf_append(&r->scratch, s, strlen(s));
    free(b64);
    return (store_val_t){STORE_TEXT, NULL, r->scratch.len - *off, 0};
}

/* As json_col gives it for the same field's JSON form. */
static store_val_t avro_col(store_row_t *r, const store_col_t *col,
                            const duban_avro_field_t *f, size_t *off)
{
    *off = NO_OFFSET;
    if (!f || f->kind == DUBAN_AVRO_F_NULL)
        return (store_val_t){STORE_NULL, NULL, 0, 0};
    if (col->kind == COL_LIST && f->kind == DUBAN_AVRO_F_STRING_ARRAY)
        return join_avro(r, f, off);
    if (col->kind == COL_BOOL)
        return (store_val_t){STORE_INT, NULL, 0, f->kind == DUBAN_AVRO_F_BOOLEAN && f->num};
    switch (f->kind) {
    case DUBAN_AVRO_F_INT:
        return (store_val_t){STORE_INT, NULL, 0, f->num};
    case DUBAN_AVRO_F_STRING:
    case DUBAN_AVRO_F_ENUM:
        return (store_val_t){STORE_TEXT, f->text, f->len, 0};
    case DUBAN_AVRO_F_DATE:
    case DUBAN_AVRO_F_TIMESTAMP:
    case DUBAN_AVRO_F_BYTES:
        return made_text(r, f, off);
    default: /* a boolean outside a COL_BOOL column, a record, an array */
        return (store_val_t){STORE_NULL, NULL, 0, 0};
    }
}

static const duban_avro_field_t *field_at(const duban_event_row_t *ev, int i)
{
    return i >= 0 && (size_t)i < ev->nfields ? &ev->fields[i] : NULL;
}

static duban_err_t avro_depts(store_row_t *r, const duban_event_row_t *ev)
{
    static const struct { int slot; const char *role; } roles[] = {
        {F_LEAD, "lead"}, {F_COOP, "cooperating"}};
    duban_err_t err = DUBAN_OK;
    for (int k = 0; !err && k < 2; k++) {
        const duban_avro_field_t *f = field_at(ev, r->field[ev->type][roles[k].slot]);
        duban_avro_strings_t it;
        const char *s;
        size_t n;
        if (!f)
            continue;
        duban_avro_strings_begin(&it, f);
        while (!err && duban_avro_strings_next(&it, &s, &n))
            err = add_dept(r, s, n, roles[k].role);
    }
    return err;
}

static void avro_occurred_at(store_row_t *r, const duban_event_row_t *ev)
{
    const duban_avro_field_t *f = field_at(ev, r->field[ev->type][F_OCCURRED]);
    if (f && f->kind == DUBAN_AVRO_F_TIMESTAMP)
        duban_instant_format(f->num, r->occurred_at);
    else if (f && f->kind == DUBAN_AVRO_F_STRING && f->len < sizeof(r->occurred_at) &&
             !memchr(f->text, '\0', f->len)) {
        memcpy(r->occurred_at, f->text, f->len);
        r->occurred_at[f->len] = '\0';
    }
}

duban_err_t store_row_from_event(store_row_t *r, const store_table_t *t, bool departments,
                                 const duban_event_row_t *ev, char *errbuf, size_t size)
{
    size_t off[STORE_MAX_COLS];
    row_reset(r);
    if (ev->type >= DUBAN_EV__COUNT)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "not an event");
    if (r->plan[ev->type] != ev->plan)
        map_fields(r, t, ev);
    const int *fi = r->field[ev->type];
    const duban_avro_field_t *key = field_at(ev, fi[0]);
    if (!key || (key->kind != DUBAN_AVRO_F_STRING && key->kind != DUBAN_AVRO_F_ENUM &&
                 key->kind != DUBAN_AVRO_F_DATE && key->kind != DUBAN_AVRO_F_TIMESTAMP &&
                 key->kind != DUBAN_AVRO_F_BYTES))
        return duban_seterr(errbuf, size, DUBAN_E_SCHEMA, "%s: no %s", t->table,
                            t->cols[0].name);
    for (r->n = 0; t->cols[r->n].name; r->n++)
        r->vals[r->n] = avro_col(r, &t->cols[r->n], field_at(ev, fi[r->n]), &off[r->n]);
    r->vals[r->n] = (store_val_t){STORE_TEXT, (const char *)ev->text.data, ev->text.len, 0};
    avro_occurred_at(r, ev);
    duban_err_t err = departments ? avro_depts(r, ev) : DUBAN_OK;
    return err ? err : fix_scratch(r, off);
}
