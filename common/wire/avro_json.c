/* common/wire/avro_json.c: a plan tree built from the .avsc JSON, and the
 * walks over it: JSON -> avro value, avro value -> JSON, JSON -> Avro binary,
 * Avro binary -> JSON text, and the validator of Avro binary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "avro_json.h"
#include "avro_plan.h"
#include "avro_wire.h"
#include "base64.h"
#include "date.h"
#include "json_write.h"


/* ---- building the plan ---- */

static plan_node_t *node_new(duban_avro_plan_t *plan, plan_kind_t kind)
{
    plan_node_t *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->kind = kind;
    n->null_branch = -1;
    n->value_branch = -1;
    n->next_alloc = plan->all;
    plan->all = n;
    return n;
}

static plan_node_t *find_named(duban_avro_plan_t *plan, const char *name)
{
    for (plan_node_t *n = plan->all; n; n = n->next_alloc) {
        if (!n->name)
            continue;
        const char *dot = strrchr(n->name, '.');
        if (strcmp(n->name, name) == 0 || (dot && strcmp(dot + 1, name) == 0))
            return n;
    }
    return NULL;
}

static duban_err_t build(duban_avro_plan_t *plan, json_t *s, const char *ns,
                         int depth, plan_node_t **out, char *errbuf, size_t errbuf_size);

static duban_err_t build_primitive(duban_avro_plan_t *plan, const char *t,
                                   const char *logical, plan_node_t **out,
                                   char *errbuf, size_t errbuf_size)
{
    static const struct { const char *name; plan_kind_t kind; } prims[] = {
        {"null", P_NULL}, {"boolean", P_BOOLEAN}, {"int", P_INT}, {"long", P_LONG},
        {"float", P_FLOAT}, {"double", P_DOUBLE}, {"string", P_STRING},
        {"bytes", P_BYTES},
    };
    for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]); i++) {
        if (strcmp(t, prims[i].name) != 0)
            continue;
        plan_kind_t kind = prims[i].kind;
        if (logical && kind == P_INT && strcmp(logical, "date") == 0)
            kind = P_DATE;
        if (logical && kind == P_LONG && strcmp(logical, "timestamp-millis") == 0)
            kind = P_TIMESTAMP;
        *out = node_new(plan, kind);
        return *out ? DUBAN_OK : DUBAN_E_NOMEM;
    }
    *out = find_named(plan, t);
    return *out ? DUBAN_OK
                : duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "unknown type \"%s\"", t);
}

static char *full_name(const char *name, const char *ns)
{
    size_t n = strlen(name) + (ns ? strlen(ns) + 1 : 0) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", strchr(name, '.') || !ns ? "" : ns,
                 strchr(name, '.') || !ns ? "" : ".", name);
    return s;
}

/* The writer's shortcuts: the field shapes most of an event's fields have,
 * written without a call per value. Anything else goes the general way. */
enum { F_GENERIC, F_STRING, F_OPT_STRING, F_STRING_ARRAY };
/* Flag on a field's op: an array field whose schema default is [] (an
 * additive field): a JSON object without it is written as that default. */
#define F_DEFAULT_EMPTY 0x80

static unsigned char field_op_of(const plan_node_t *c)
{
    if (c->kind == P_STRING)
        return F_STRING;
    if (c->kind == P_ARRAY && c->items->kind == P_STRING)
        return F_STRING_ARRAY;
    if (c->kind == P_UNION && c->count == 2 && c->null_branch >= 0 && c->value_branch >= 0 &&
        c->children[c->value_branch]->kind == P_STRING)
        return F_OPT_STRING;
    return F_GENERIC;
}

/* The order the text writer's sorted mode puts the fields in: their names
 * in byte order (json_dumps' JSON_SORT_KEYS), and where "type" goes. An
 * insertion sort: a record has a few dozen fields at most, and qsort would
 * need the names in a global (plans are built on any thread). */
static duban_err_t sort_fields(plan_node_t *n)
{
    n->order = malloc((n->count ? n->count : 1) * sizeof(size_t));
    if (!n->order)
        return DUBAN_E_NOMEM;
    n->type_field = -1;
    n->type_rank = 0;
    for (size_t i = 0; i < n->count; i++) {
        int c = strcmp(n->names[i], "type");
        n->type_rank += c < 0;
        if (c == 0)
            n->type_field = (int)i;
        size_t j = i;
        for (; j > 0 && strcmp(n->names[n->order[j - 1]], n->names[i]) > 0; j--)
            n->order[j] = n->order[j - 1];
        n->order[j] = i;
    }
    return DUBAN_OK;
}

static duban_err_t build_record(duban_avro_plan_t *plan, json_t *s, const char *ns,
                                int depth, plan_node_t *n, char *errbuf, size_t errbuf_size)
{
    json_t *fields = json_object_get(s, "fields");
    if (!json_is_array(fields))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "%s: no fields", n->name);
    n->count = json_array_size(fields);
    n->names = calloc(n->count ? n->count : 1, sizeof(char *));
    n->children = calloc(n->count ? n->count : 1, sizeof(plan_node_t *));
    n->field_ops = calloc(n->count ? n->count : 1, 1);
    n->keys = calloc(n->count ? n->count : 1, sizeof(char *));
    n->key_lens = calloc(n->count ? n->count : 1, sizeof(size_t));
    if (!n->names || !n->children || !n->field_ops || !n->keys || !n->key_lens)
        return DUBAN_E_NOMEM;
    for (size_t i = 0; i < n->count; i++) {
        json_t *f = json_array_get(fields, i);
        const char *fname = json_string_value(json_object_get(f, "name"));
        if (!fname)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "%s: unnamed field",
                                n->name);
        n->names[i] = strdup(fname);
        /* Avro names are [A-Za-z_][A-Za-z0-9_]*: nothing to escape */
        n->key_lens[i] = strlen(fname) + 3;
        char *key = malloc(n->key_lens[i] + 2);
        if (!n->names[i] || !key)
            return free(key), DUBAN_E_NOMEM;
        snprintf(key, n->key_lens[i] + 2, ",\"%s\":", fname);
        n->keys[i] = key + 1;   /* the comma before it is keys[i][-1] */
        duban_err_t err = build(plan, json_object_get(f, "type"), ns, depth + 1,
                                &n->children[i], errbuf, errbuf_size);
        if (err)
            return err;
        n->field_ops[i] = field_op_of(n->children[i]);
        json_t *def = json_object_get(f, "default");
        if (n->children[i]->kind == P_ARRAY && json_is_array(def) && json_array_size(def) == 0)
            n->field_ops[i] |= F_DEFAULT_EMPTY;
    }
    return sort_fields(n);
}

static duban_err_t build_complex(duban_avro_plan_t *plan, json_t *s, const char *ns,
                                 int depth, plan_node_t **out, char *errbuf,
                                 size_t errbuf_size)
{
    const char *t = json_string_value(json_object_get(s, "type"));
    if (!t)
        return build(plan, json_object_get(s, "type"), ns, depth + 1, out, errbuf,
                     errbuf_size);
    const char *logical = json_string_value(json_object_get(s, "logicalType"));
    if (strcmp(t, "array") == 0 || strcmp(t, "map") == 0) {
        plan_node_t *n = node_new(plan, t[0] == 'a' ? P_ARRAY : P_MAP);
        if (!n)
            return DUBAN_E_NOMEM;
        *out = n;
        return build(plan, json_object_get(s, t[0] == 'a' ? "items" : "values"), ns,
                     depth + 1, &n->items, errbuf, errbuf_size);
    }
    if (strcmp(t, "record") != 0 && strcmp(t, "enum") != 0)
        return build_primitive(plan, t, logical, out, errbuf, errbuf_size);
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *own_ns = json_string_value(json_object_get(s, "namespace"));
    if (!name)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "unnamed %s", t);
    plan_node_t *n = node_new(plan, t[0] == 'r' ? P_RECORD : P_ENUM);
    if (!n || !(n->name = full_name(name, own_ns ? own_ns : ns)))
        return DUBAN_E_NOMEM;
    *out = n;
    if (n->kind == P_RECORD)
        return build_record(plan, s, own_ns ? own_ns : ns, depth, n, errbuf, errbuf_size);
    json_t *symbols = json_object_get(s, "symbols");
    n->count = json_array_size(symbols);
    n->names = calloc(n->count ? n->count : 1, sizeof(char *));
    if (!n->names)
        return DUBAN_E_NOMEM;
    for (size_t i = 0; i < n->count; i++) {
        const char *sym = json_string_value(json_array_get(symbols, i));
        if (!sym || !(n->names[i] = strdup(sym)))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "%s: bad symbol",
                                n->name);
    }
    return DUBAN_OK;
}

static duban_err_t build(duban_avro_plan_t *plan, json_t *s, const char *ns, int depth,
                         plan_node_t **out, char *errbuf, size_t errbuf_size)
{
    if (depth > MAX_DEPTH)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "schema nested too deep");
    if (json_is_string(s))
        return build_primitive(plan, json_string_value(s), NULL, out, errbuf, errbuf_size);
    if (json_is_object(s))
        return build_complex(plan, s, ns, depth, out, errbuf, errbuf_size);
    if (!json_is_array(s))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "bad schema node");
    plan_node_t *n = node_new(plan, P_UNION);
    if (!n)
        return DUBAN_E_NOMEM;
    *out = n;
    n->count = json_array_size(s);
    n->children = calloc(n->count ? n->count : 1, sizeof(plan_node_t *));
    if (!n->children)
        return DUBAN_E_NOMEM;
    for (size_t i = 0; i < n->count; i++) {
        duban_err_t err = build(plan, json_array_get(s, i), ns, depth + 1,
                                &n->children[i], errbuf, errbuf_size);
        if (err)
            return err;
        if (n->children[i]->kind == P_NULL)
            n->null_branch = (int)i;
        else if (n->value_branch < 0)
            n->value_branch = (int)i;
    }
    return DUBAN_OK;
}

duban_err_t duban_avro_plan_new(const char *schema_json, duban_avro_plan_t **out,
                                char *errbuf, size_t errbuf_size)
{
    json_error_t jerr;
    json_t *root = json_loads(schema_json, 0, &jerr);
    if (!root)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA,
                            "schema JSON line %d: %s", jerr.line, jerr.text);
    duban_avro_plan_t *plan = calloc(1, sizeof(*plan));
    duban_err_t err = plan ? DUBAN_OK : DUBAN_E_NOMEM;
    if (!err)
        err = build(plan, root, NULL, 0, &plan->root, errbuf, errbuf_size);
    json_decref(root);
    if (!err && plan->root->kind != P_RECORD)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "top level is not a record");
    avro_schema_error_t serr;
    if (!err && avro_schema_from_json(schema_json, 0, &plan->schema, &serr))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_SCHEMA, "avro: %s", avro_strerror());
    if (err) {
        duban_avro_plan_destroy(plan);
        return err;
    }
    *out = plan;
    return DUBAN_OK;
}

void duban_avro_plan_destroy(duban_avro_plan_t *plan)
{
    if (!plan)
        return;
    plan_node_t *n = plan->all;
    while (n) {
        plan_node_t *next = n->next_alloc;
        if (n->names && (n->kind == P_RECORD || n->kind == P_ENUM))
            for (size_t i = 0; i < n->count; i++)
                free(n->names[i]);
        for (size_t i = 0; n->keys && i < n->count; i++)
            free(n->keys[i] ? n->keys[i] - 1 : NULL);
        free(n->keys);
        free(n->key_lens);
        free(n->order);
        free(n->names);
        free(n->children);
        free(n->field_ops);
        free(n->name);
        free(n);
        n = next;
    }
    if (plan->schema)
        avro_schema_decref(plan->schema);
    free(plan);
}

avro_schema_t duban_avro_plan_schema(const duban_avro_plan_t *plan)
{
    return plan->schema;
}

const char *duban_avro_plan_name(const duban_avro_plan_t *plan)
{
    return plan->root->name;
}

size_t duban_avro_plan_field_count(const duban_avro_plan_t *plan)
{
    return plan->root->count;
}

int duban_avro_plan_field_index(const duban_avro_plan_t *plan, const char *name)
{
    for (size_t i = 0; i < plan->root->count; i++)
        if (strcmp(plan->root->names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---- JSON -> avro ---- */

/* The field path is kept as a stack of borrowed names and only formatted
 * when an error is reported: formatting it per field costs more than the
 * encoding itself. */
typedef struct {
    char *errbuf;
    size_t errbuf_size;
    const char *stack[MAX_DEPTH + 2];
    int depth;
} walk_t;

static duban_err_t walk_err(walk_t *w, duban_err_t err, const char *what)
{
    char path[256];
    size_t len = 0;
    path[0] = '\0';
    for (int i = 0; i < w->depth && len < sizeof(path); i++) {
        int n = snprintf(path + len, sizeof(path) - len, "%s%s", i ? "." : "", w->stack[i]);
        if (n < 0)
            break;
        len += (size_t)n;
    }
    return duban_seterr(w->errbuf, w->errbuf_size, err, "%s: %s", path, what);
}

static int path_push(walk_t *w, const char *name)
{
    if (w->depth < MAX_DEPTH + 2)
        w->stack[w->depth] = name;
    return w->depth++;
}

static void path_pop(walk_t *w, int mark)
{
    w->depth = mark;
}

static duban_err_t to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                           avro_value_t *v);

static duban_err_t record_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                  avro_value_t *v)
{
    if (!json_is_object(j))
        return walk_err(w, DUBAN_E_SCHEMA, "expected an object");
    for (size_t i = 0; i < n->count; i++) {
        avro_value_t field;
        if (avro_value_get_by_index(v, i, &field, NULL))
            return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
        const json_t *fj = json_object_get(j, n->names[i]);
        if (!fj && (n->field_ops[i] & F_DEFAULT_EMPTY))
            continue; /* a new array value is already the default, [] */
        int mark = path_push(w, n->names[i]);
        duban_err_t err = to_avro(w, n->children[i], fj, &field);
        if (err)
            return err;
        path_pop(w, mark);
    }
    return DUBAN_OK;
}

static duban_err_t union_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                 avro_value_t *v)
{
    avro_value_t branch;
    if (!j || json_is_null(j)) {
        if (n->null_branch < 0)
            return walk_err(w, DUBAN_E_SCHEMA, "missing (not optional)");
        if (avro_value_set_branch(v, n->null_branch, &branch))
            return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
        return avro_value_set_null(&branch) ? DUBAN_E_SCHEMA : DUBAN_OK;
    }
    for (size_t i = 0; i < n->count; i++) {
        if ((int)i == n->null_branch)
            continue;
        if (avro_value_set_branch(v, (int)i, &branch))
            return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
        return to_avro(w, n->children[i], j, &branch);
    }
    return walk_err(w, DUBAN_E_SCHEMA, "union has no usable branch");
}

static duban_err_t enum_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                avro_value_t *v)
{
    const char *sym = json_string_value(j);
    for (size_t i = 0; sym && i < n->count; i++)
        if (strcmp(n->names[i], sym) == 0)
            return avro_value_set_enum(v, (int)i) ? DUBAN_E_SCHEMA : DUBAN_OK;
    return walk_err(w, DUBAN_E_SCHEMA, "not a symbol of the enum");
}

static duban_err_t array_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                 avro_value_t *v)
{
    if (!json_is_array(j))
        return walk_err(w, DUBAN_E_SCHEMA, "expected an array");
    for (size_t i = 0; i < json_array_size(j); i++) {
        avro_value_t el;
        if (avro_value_append(v, &el, NULL))
            return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
        duban_err_t err = to_avro(w, n->items, json_array_get(j, i), &el);
        if (err)
            return err;
    }
    return DUBAN_OK;
}

static duban_err_t scalar_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                  avro_value_t *v)
{
    int rc = 0;
    switch (n->kind) {
    case P_NULL:
        if (j && !json_is_null(j))
            return walk_err(w, DUBAN_E_SCHEMA, "expected null");
        rc = avro_value_set_null(v);
        break;
    case P_BOOLEAN:
        if (!json_is_boolean(j))
            return walk_err(w, DUBAN_E_SCHEMA, "expected true or false");
        rc = avro_value_set_boolean(v, json_is_true(j));
        break;
    case P_INT:
        if (!json_is_integer(j) || json_integer_value(j) < INT32_MIN ||
            json_integer_value(j) > INT32_MAX)
            return walk_err(w, DUBAN_E_SCHEMA, "expected a 32-bit integer");
        rc = avro_value_set_int(v, (int32_t)json_integer_value(j));
        break;
    case P_LONG:
        if (!json_is_integer(j))
            return walk_err(w, DUBAN_E_SCHEMA, "expected an integer");
        rc = avro_value_set_long(v, json_integer_value(j));
        break;
    case P_FLOAT:
    case P_DOUBLE:
        if (!json_is_number(j))
            return walk_err(w, DUBAN_E_SCHEMA, "expected a number");
        rc = n->kind == P_FLOAT ? avro_value_set_float(v, (float)json_number_value(j))
                                : avro_value_set_double(v, json_number_value(j));
        break;
    case P_STRING:
        if (!json_is_string(j))
            return walk_err(w, DUBAN_E_SCHEMA, "expected a string");
        /* avro-c sizes include the NUL. */
        rc = avro_value_set_string_len(v, json_string_value(j), json_string_length(j) + 1);
        break;
    default:
        return walk_err(w, DUBAN_E_SCHEMA, "unsupported type");
    }
    return rc ? walk_err(w, DUBAN_E_SCHEMA, avro_strerror()) : DUBAN_OK;
}

static duban_err_t logical_to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                                   avro_value_t *v)
{
    if (n->kind == P_DATE) {
        int32_t d;
        if (json_is_integer(j))
            return avro_value_set_int(v, (int32_t)json_integer_value(j)) ? DUBAN_E_SCHEMA
                                                                          : DUBAN_OK;
        if (!json_is_string(j) || duban_date_parse(json_string_value(j), &d))
            return walk_err(w, DUBAN_E_PARSE, "not a YYYY-MM-DD date");
        return avro_value_set_int(v, d) ? DUBAN_E_SCHEMA : DUBAN_OK;
    }
    if (n->kind == P_TIMESTAMP) {
        int64_t ms;
        if (json_is_integer(j))
            return avro_value_set_long(v, json_integer_value(j)) ? DUBAN_E_SCHEMA : DUBAN_OK;
        if (!json_is_string(j) || duban_instant_parse(json_string_value(j), &ms))
            return walk_err(w, DUBAN_E_PARSE, "not an ISO-8601 time or epoch milliseconds");
        return avro_value_set_long(v, ms) ? DUBAN_E_SCHEMA : DUBAN_OK;
    }
    /* P_BYTES: base64 text */
    unsigned char *raw;
    size_t raw_len;
    if (!json_is_string(j) ||
        duban_base64_decode(json_string_value(j), json_string_length(j), &raw, &raw_len))
        return walk_err(w, DUBAN_E_PARSE, "not base64 text");
    int rc = avro_value_set_bytes(v, raw, raw_len);
    free(raw);
    return rc ? walk_err(w, DUBAN_E_SCHEMA, avro_strerror()) : DUBAN_OK;
}

static duban_err_t to_avro(walk_t *w, const plan_node_t *n, const json_t *j,
                           avro_value_t *v)
{
    switch (n->kind) {
    case P_RECORD: return record_to_avro(w, n, j, v);
    case P_UNION: return union_to_avro(w, n, j, v);
    case P_ENUM: return enum_to_avro(w, n, j, v);
    case P_ARRAY: return array_to_avro(w, n, j, v);
    case P_DATE:
    case P_TIMESTAMP:
    case P_BYTES:
        if (!j)
            return walk_err(w, DUBAN_E_SCHEMA, "missing");
        return logical_to_avro(w, n, j, v);
    case P_MAP: return walk_err(w, DUBAN_E_SCHEMA, "maps are not used by duban");
    default:
        if (!j && n->kind != P_NULL)
            return walk_err(w, DUBAN_E_SCHEMA, "missing");
        return scalar_to_avro(w, n, j, v);
    }
}

duban_err_t duban_avro_from_json(const duban_avro_plan_t *plan, const json_t *ev,
                                 avro_value_t *value, char *errbuf, size_t errbuf_size)
{
    walk_t w = {.errbuf = errbuf, .errbuf_size = errbuf_size};
    const char *dot = strrchr(plan->root->name, '.');
    path_push(&w, dot ? dot + 1 : plan->root->name);
    return to_avro(&w, plan->root, ev, value);
}

/* ---- avro -> JSON ---- */

static duban_err_t to_json(walk_t *w, const plan_node_t *n, avro_value_t *v, json_t **out);

static duban_err_t record_to_json(walk_t *w, const plan_node_t *n, avro_value_t *v,
                                  json_t **out)
{
    json_t *obj = json_object();
    if (!obj)
        return DUBAN_E_NOMEM;
    for (size_t i = 0; i < n->count; i++) {
        avro_value_t field;
        json_t *child = NULL;
        int mark = path_push(w, n->names[i]);
        duban_err_t err = avro_value_get_by_index(v, i, &field, NULL)
                              ? walk_err(w, DUBAN_E_SCHEMA, avro_strerror())
                              : to_json(w, n->children[i], &field, &child);
        if (err) {
            json_decref(obj);
            return err;
        }
        path_pop(w, mark);
        json_object_set_new(obj, n->names[i], child);
    }
    *out = obj;
    return DUBAN_OK;
}

static duban_err_t array_to_json(walk_t *w, const plan_node_t *n, avro_value_t *v,
                                 json_t **out)
{
    size_t count = 0;
    avro_value_get_size(v, &count);
    json_t *arr = json_array();
    if (!arr)
        return DUBAN_E_NOMEM;
    for (size_t i = 0; i < count; i++) {
        avro_value_t el;
        json_t *child = NULL;
        duban_err_t err = avro_value_get_by_index(v, i, &el, NULL)
                              ? walk_err(w, DUBAN_E_SCHEMA, avro_strerror())
                              : to_json(w, n->items, &el, &child);
        if (err) {
            json_decref(arr);
            return err;
        }
        json_array_append_new(arr, child);
    }
    *out = arr;
    return DUBAN_OK;
}

static duban_err_t text_to_json(walk_t *w, const plan_node_t *n, avro_value_t *v,
                                json_t **out)
{
    const void *p;
    size_t size;
    if (n->kind == P_STRING) {
        const char *s;
        if (avro_value_get_string(v, &s, &size))
            return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
        *out = json_stringn(s, size ? size - 1 : 0);
        return *out ? DUBAN_OK : walk_err(w, DUBAN_E_ENCODING, "invalid UTF-8");
    }
    if (avro_value_get_bytes(v, &p, &size))
        return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
    char *b64;
    duban_err_t err = duban_base64_encode(p, size, &b64);
    if (err)
        return err;
    *out = json_string(b64);
    free(b64);
    return *out ? DUBAN_OK : DUBAN_E_NOMEM;
}

static duban_err_t scalar_to_json(walk_t *w, const plan_node_t *n, avro_value_t *v,
                                  json_t **out)
{
    int32_t i32 = 0;
    int64_t i64 = 0;
    int b = 0;
    float f = 0;
    double d = 0;
    char buf[32];
    int rc = 0;
    switch (n->kind) {
    case P_NULL: *out = json_null(); break;
    case P_BOOLEAN: rc = avro_value_get_boolean(v, &b); *out = json_boolean(b); break;
    case P_INT: rc = avro_value_get_int(v, &i32); *out = json_integer(i32); break;
    case P_LONG: rc = avro_value_get_long(v, &i64); *out = json_integer(i64); break;
    case P_FLOAT: rc = avro_value_get_float(v, &f); *out = json_real(f); break;
    case P_DOUBLE: rc = avro_value_get_double(v, &d); *out = json_real(d); break;
    case P_DATE:
        rc = avro_value_get_int(v, &i32);
        if (!rc && (i32 < DUBAN_DATE_MIN || i32 > DUBAN_DATE_MAX))
            return walk_err(w, DUBAN_E_SCHEMA, "date outside years 1..9999");
        *out = json_string(duban_date_format(i32, buf));
        break;
    case P_TIMESTAMP:
        rc = avro_value_get_long(v, &i64);
        if (!rc && (i64 < DUBAN_INSTANT_MIN || i64 > DUBAN_INSTANT_MAX))
            return walk_err(w, DUBAN_E_SCHEMA, "timestamp outside years 1..9999");
        *out = json_string(duban_instant_format(i64, buf));
        break;
    case P_ENUM:
        rc = avro_value_get_enum(v, &b);
        if (!rc && (b < 0 || (size_t)b >= n->count))
            return walk_err(w, DUBAN_E_SCHEMA, "enum index out of range");
        *out = rc ? NULL : json_string(n->names[b]);
        break;
    default:
        return walk_err(w, DUBAN_E_SCHEMA, "unsupported type");
    }
    if (rc)
        return walk_err(w, DUBAN_E_SCHEMA, avro_strerror());
    return *out ? DUBAN_OK : DUBAN_E_NOMEM;
}

static duban_err_t to_json(walk_t *w, const plan_node_t *n, avro_value_t *v, json_t **out)
{
    switch (n->kind) {
    case P_RECORD: return record_to_json(w, n, v, out);
    case P_ARRAY: return array_to_json(w, n, v, out);
    case P_STRING:
    case P_BYTES: return text_to_json(w, n, v, out);
    case P_UNION: {
        int disc;
        avro_value_t branch;
        if (avro_value_get_discriminant(v, &disc) || disc < 0 || (size_t)disc >= n->count ||
            avro_value_get_current_branch(v, &branch))
            return walk_err(w, DUBAN_E_SCHEMA, "bad union branch");
        return to_json(w, n->children[disc], &branch, out);
    }
    case P_MAP: return walk_err(w, DUBAN_E_SCHEMA, "maps are not used by duban");
    default: return scalar_to_json(w, n, v, out);
    }
}

duban_err_t duban_avro_to_json(const duban_avro_plan_t *plan, avro_value_t *value,
                               json_t **out, char *errbuf, size_t errbuf_size)
{
    walk_t w = {.errbuf = errbuf, .errbuf_size = errbuf_size};
    const char *dot = strrchr(plan->root->name, '.');
    path_push(&w, dot ? dot + 1 : plan->root->name);
    return to_json(&w, plan->root, value, out);
}

/* ---- JSON -> Avro binary, directly ---- */

/* The writer keeps no path on the way down: when a value fails, each record
 * level adds its field name while the error unwinds, and the message is
 * formatted once at the top. Room in the buffer is checked once per value
 * (a varint is at most 10 bytes), so the common case is a compare and a
 * store. */
typedef struct {
    duban_buf_t *b;
    duban_err_t err;
    const char *what;
    const char *unwound[MAX_DEPTH + 2]; /* innermost field first */
    int unwound_count;
} writer_t;

static int wfail(writer_t *w, duban_err_t err, const char *what)
{
    w->err = err;
    w->what = what;
    return -1;
}

static int write_node(writer_t *w, const plan_node_t *n, const json_t *j);

/* The field's value. Events are usually built in schema order, so the
 * object's own iteration order is tried first (a string compare instead of
 * a hash lookup per field); any other order falls back to the lookup. */
static const json_t *field_value(const json_t *j, void **iter, const char *name)
{
    /* One extra key (such as a leading "type") may stand in between. */
    for (int skip = 0; *iter && skip < 2; skip++) {
        if (strcmp(json_object_iter_key(*iter), name) == 0) {
            const json_t *v = json_object_iter_value(*iter);
            *iter = json_object_iter_next((json_t *)j, *iter);
            return v;
        }
        if (skip == 0) {
            void *next = json_object_iter_next((json_t *)j, *iter);
            if (!next || strcmp(json_object_iter_key(next), name) != 0)
                break;
            *iter = next;
        }
    }
    return json_object_get(j, name);
}

static int write_record(writer_t *w, const plan_node_t *n, const json_t *j)
{
    if (!json_is_object(j))
        return wfail(w, DUBAN_E_SCHEMA, "expected an object");
    void *iter = json_object_iter((json_t *)j);
    for (size_t i = 0; i < n->count; i++) {
        const json_t *v = field_value(j, &iter, n->names[i]);
        const char *text;
        if (!v && (n->field_ops[i] & F_DEFAULT_EMPTY)) {
            duban_avro_put_long(w->b, 0); /* the schema's default, [] */
            continue;
        }
        switch (n->field_ops[i] & ~F_DEFAULT_EMPTY) {
        case F_STRING:
            if (!(text = json_string_value(v)))
                break; /* the general way names the error */
            duban_avro_put_bytes(w->b, text, json_string_length(v));
            continue;
        case F_OPT_STRING:
            if (!v || json_is_null(v)) {
                duban_avro_put_long(w->b, n->children[i]->null_branch);
                continue;
            }
            if (!(text = json_string_value(v)))
                break;
            duban_avro_put_long(w->b, n->children[i]->value_branch);
            duban_avro_put_bytes(w->b, text, json_string_length(v));
            continue;
        case F_STRING_ARRAY: {
            size_t count = json_array_size(v), k, start = w->b->len;
            if (!json_is_array(v))
                break;
            if (count)
                duban_avro_put_long(w->b, (int64_t)count);
            for (k = 0; k < count; k++) {
                const json_t *item = json_array_get(v, k);
                if (!(text = json_string_value(item)))
                    break;
                duban_avro_put_bytes(w->b, text, json_string_length(item));
            }
            if (k < count) { /* not all strings: undo, the general way names it */
                w->b->len = start;
                break;
            }
            duban_avro_put_long(w->b, 0);
            continue;
        }
        default:
            break;
        }
        if (write_node(w, n->children[i], v)) {
            if (w->unwound_count < MAX_DEPTH + 2)
                w->unwound[w->unwound_count++] = n->names[i];
            return -1;
        }
    }
    return 0;
}

static int write_union(writer_t *w, const plan_node_t *n, const json_t *j)
{
    if (!j || json_is_null(j)) {
        if (n->null_branch < 0)
            return wfail(w, DUBAN_E_SCHEMA, "missing (not optional)");
        duban_avro_put_long(w->b, n->null_branch);
        return 0;
    }
    if (n->value_branch < 0)
        return wfail(w, DUBAN_E_SCHEMA, "union has no usable branch");
    duban_avro_put_long(w->b, n->value_branch);
    return write_node(w, n->children[n->value_branch], j);
}

static int write_array(writer_t *w, const plan_node_t *n, const json_t *j)
{
    if (!json_is_array(j))
        return wfail(w, DUBAN_E_SCHEMA, "expected an array");
    size_t count = json_array_size(j);
    if (count) {
        duban_avro_put_long(w->b, (int64_t)count);
        for (size_t i = 0; i < count; i++)
            if (write_node(w, n->items, json_array_get(j, i)))
                return -1;
    }
    duban_avro_put_long(w->b, 0);
    return 0;
}

static int write_logical(writer_t *w, const plan_node_t *n, const json_t *j)
{
    if (json_is_integer(j)) {
        json_int_t v = json_integer_value(j);
        if (n->kind == P_DATE && (v < INT32_MIN || v > INT32_MAX))
            return wfail(w, DUBAN_E_SCHEMA, "date out of range");
        duban_avro_put_long(w->b, v);
        return 0;
    }
    const char *text = json_string_value(j);
    if (n->kind == P_DATE) {
        int32_t d;
        if (!text || duban_date_parse(text, &d))
            return wfail(w, DUBAN_E_PARSE, "not a YYYY-MM-DD date");
        duban_avro_put_long(w->b, d);
        return 0;
    }
    int64_t ms;
    if (!text || duban_instant_parse(text, &ms))
        return wfail(w, DUBAN_E_PARSE, "not an ISO-8601 time or epoch milliseconds");
    duban_avro_put_long(w->b, ms);
    return 0;
}

static int write_scalar(writer_t *w, const plan_node_t *n, const json_t *j)
{
    switch (n->kind) {
    case P_NULL:
        return j && !json_is_null(j) ? wfail(w, DUBAN_E_SCHEMA, "expected null") : 0;
    case P_BOOLEAN: {
        unsigned char *p;
        if (!json_is_boolean(j))
            return wfail(w, DUBAN_E_SCHEMA, "expected true or false");
        if ((p = duban_avro_room(w->b, 1))) {
            *p = json_is_true(j) ? 1 : 0;
            w->b->len++;
        }
        return 0;
    }
    case P_INT:
    case P_LONG: {
        if (!json_is_integer(j))
            return wfail(w, DUBAN_E_SCHEMA, "expected an integer in range");
        json_int_t v = json_integer_value(j);
        if (n->kind == P_INT && (v < INT32_MIN || v > INT32_MAX))
            return wfail(w, DUBAN_E_SCHEMA, "expected an integer in range");
        duban_avro_put_long(w->b, v);
        return 0;
    }
    case P_FLOAT:
    case P_DOUBLE: {
        if (!json_is_number(j))
            return wfail(w, DUBAN_E_SCHEMA, "expected a number");
        unsigned char le[8];
        if (n->kind == P_FLOAT) {
            float f = (float)json_number_value(j);
            uint32_t u;
            memcpy(&u, &f, 4);
            for (int i = 0; i < 4; i++)
                le[i] = (unsigned char)(u >> (8 * i));
        } else {
            double d = json_number_value(j);
            uint64_t u;
            memcpy(&u, &d, 8);
            for (int i = 0; i < 8; i++)
                le[i] = (unsigned char)(u >> (8 * i));
        }
        duban_buf_append(w->b, le, n->kind == P_FLOAT ? 4 : 8);
        return 0;
    }
    default:
        return wfail(w, DUBAN_E_SCHEMA, "unsupported type");
    }
}

static int write_bytes(writer_t *w, const json_t *j)
{
    unsigned char *raw;
    size_t raw_len;
    if (!json_is_string(j) ||
        duban_base64_decode(json_string_value(j), json_string_length(j), &raw, &raw_len))
        return wfail(w, DUBAN_E_PARSE, "not base64 text");
    duban_avro_put_bytes(w->b, raw, raw_len);
    free(raw);
    return 0;
}

static int write_enum(writer_t *w, const plan_node_t *n, const json_t *j)
{
    const char *sym = json_string_value(j);
    for (size_t i = 0; sym && i < n->count; i++)
        if (strcmp(n->names[i], sym) == 0) {
            duban_avro_put_long(w->b, (int64_t)i);
            return 0;
        }
    return wfail(w, DUBAN_E_SCHEMA, "not a symbol of the enum");
}

static int write_node(writer_t *w, const plan_node_t *n, const json_t *j)
{
    if (n->kind == P_STRING) { /* most of an event's fields */
        const char *text = json_string_value(j);
        if (!text)
            return wfail(w, DUBAN_E_SCHEMA, j ? "expected a string" : "missing");
        duban_avro_put_bytes(w->b, text, json_string_length(j));
        return 0;
    }
    if (!j && n->kind != P_UNION && n->kind != P_NULL)
        return wfail(w, DUBAN_E_SCHEMA, "missing");
    switch (n->kind) {
    case P_RECORD: return write_record(w, n, j);
    case P_UNION: return write_union(w, n, j);
    case P_ARRAY: return write_array(w, n, j);
    case P_DATE:
    case P_TIMESTAMP: return write_logical(w, n, j);
    case P_BYTES: return write_bytes(w, j);
    case P_ENUM: return write_enum(w, n, j);
    case P_MAP: return wfail(w, DUBAN_E_SCHEMA, "maps are not used by duban");
    default: return write_scalar(w, n, j);
    }
}

duban_err_t duban_avro_write_json(const duban_avro_plan_t *plan, const json_t *ev,
                                  duban_buf_t *out, char *errbuf, size_t errbuf_size)
{
    writer_t w = {.b = out};
    if (write_node(&w, plan->root, ev)) {
        walk_t path = {.errbuf = errbuf, .errbuf_size = errbuf_size};
        const char *dot = strrchr(plan->root->name, '.');
        path_push(&path, dot ? dot + 1 : plan->root->name);
        for (int i = w.unwound_count - 1; i >= 0; i--)
            path_push(&path, w.unwound[i]);
        return walk_err(&path, w.err, w.what);
    }
    if (out->err)
        return duban_seterr(errbuf, errbuf_size, out->err, "encoded event: %s",
                            duban_err_str(out->err));
    return DUBAN_OK;
}

/* ---- validating Avro binary against the plan ---- */

typedef struct {
    walk_t w;
    const unsigned char *p;
    size_t len, pos;
} check_t;

static duban_err_t check_err(check_t *c, const char *fmt, long long a, long long b)
{
    char what[160];
    snprintf(what, sizeof(what), fmt, a, b);
    char with_pos[200];
    snprintf(with_pos, sizeof(with_pos), "at byte %zu: %s", c->pos, what);
    return walk_err(&c->w, DUBAN_E_TRUNCATED, with_pos);
}

static duban_err_t get_varint(check_t *c, int64_t *out)
{
    *out = 0;
    switch (duban_avro_read_long(c->p, c->len, &c->pos, out)) {
    case DUBAN_AVRO_READ_OK:
        return DUBAN_OK;
    case DUBAN_AVRO_READ_PAST_END:
        return check_err(c, "varint runs past the end (%lld bytes)", (long long)c->len, 0);
    default:
        return check_err(c, "varint longer than 10 bytes", 0, 0);
    }
}

static duban_err_t skip_bytes(check_t *c, int64_t n, const char *what)
{
    if (n < 0)
        return check_err(c, "negative length %lld", (long long)n, 0);
    if ((uint64_t)n > c->len - c->pos) {
        char fmt[80];
        snprintf(fmt, sizeof(fmt), "%s of %%lld bytes, only %%lld left", what);
        return check_err(c, fmt, (long long)n, (long long)(c->len - c->pos));
    }
    c->pos += (size_t)n;
    return DUBAN_OK;
}

static duban_err_t check_node(check_t *c, const plan_node_t *n);

static duban_err_t check_array(check_t *c, const plan_node_t *n)
{
    for (;;) {
        int64_t count = 0;
        duban_err_t err = get_varint(c, &count);
        if (err || count == 0)
            return err;
        if (count < 0) { /* a block with its byte size */
            int64_t size;
            if (count == INT64_MIN)
                return check_err(c, "array block count out of range", 0, 0);
            if ((err = get_varint(c, &size)))
                return err;
            count = -count;
        }
        if ((uint64_t)count > c->len - c->pos + 1)
            return check_err(c, "array block of %lld items, %lld bytes left", (long long)count,
                             (long long)(c->len - c->pos));
        for (int64_t i = 0; i < count; i++)
            if ((err = check_node(c, n->items)))
                return err;
    }
}

static duban_err_t check_indexed(check_t *c, const plan_node_t *n)
{
    int64_t idx = 0;
    duban_err_t err = get_varint(c, &idx);
    if (err)
        return err;
    if (idx < 0 || (uint64_t)idx >= n->count)
        return check_err(c, n->kind == P_UNION ? "union branch %lld of %lld"
                                               : "enum index %lld of %lld",
                         (long long)idx, (long long)n->count);
    return n->kind == P_UNION ? check_node(c, n->children[idx]) : DUBAN_OK;
}

static duban_err_t check_node(check_t *c, const plan_node_t *n)
{
    int64_t v = 0;
    duban_err_t err;
    switch (n->kind) {
    case P_NULL:
        return DUBAN_OK;
    case P_BOOLEAN:
        if (c->pos >= c->len)
            return check_err(c, "boolean past the end", 0, 0);
        if (c->p[c->pos] > 1)
            return check_err(c, "boolean byte %lld", c->p[c->pos], 0);
        c->pos++;
        return DUBAN_OK;
    case P_INT:
    case P_DATE:
        if ((err = get_varint(c, &v)))
            return err;
        return v < INT32_MIN || v > INT32_MAX ? check_err(c, "int out of range", 0, 0)
                                              : DUBAN_OK;
    case P_LONG:
    case P_TIMESTAMP:
        return get_varint(c, &v);
    case P_FLOAT:
        return skip_bytes(c, 4, "float");
    case P_DOUBLE:
        return skip_bytes(c, 8, "double");
    case P_STRING:
    case P_BYTES:
        if ((err = get_varint(c, &v)))
            return err;
        return skip_bytes(c, v, "string");
    case P_ENUM:
    case P_UNION:
        return check_indexed(c, n);
    case P_ARRAY:
        return check_array(c, n);
    case P_RECORD:
        for (size_t i = 0; i < n->count; i++) {
            int mark = path_push(&c->w, n->names[i]);
            if ((err = check_node(c, n->children[i])))
                return err;
            path_pop(&c->w, mark);
        }
        return DUBAN_OK;
    case P_MAP:
    default:
        return walk_err(&c->w, DUBAN_E_SCHEMA, "maps are not used by duban");
    }
}

duban_err_t duban_avro_validate(const duban_avro_plan_t *plan, const void *data, size_t len,
                                char *errbuf, size_t errbuf_size)
{
    check_t c = {.w = {.errbuf = errbuf, .errbuf_size = errbuf_size}, .p = data, .len = len};
    const char *dot = strrchr(plan->root->name, '.');
    path_push(&c.w, dot ? dot + 1 : plan->root->name);
    duban_err_t err = check_node(&c, plan->root);
    if (!err && c.pos != len) {
        c.w.depth = 1;
        err = check_err(&c, "%lld bytes left after the record", (long long)(len - c.pos), 0);
    }
    return err;
}

duban_err_t duban_avro_peek_timestamp(const duban_avro_plan_t *plan, const void *data,
                                      size_t len, const char *field, int64_t *out)
{
    check_t c = {.p = data, .len = len};
    const plan_node_t *root = plan->root;
    for (size_t i = 0; i < root->count; i++) {
        if (strcmp(root->names[i], field) == 0)
            return root->children[i]->kind == P_TIMESTAMP ? get_varint(&c, out)
                                                          : DUBAN_E_SCHEMA;
        duban_err_t err = check_node(&c, root->children[i]); /* skips it */
        if (err)
            return err;
    }
    return DUBAN_E_NOTFOUND;
}
