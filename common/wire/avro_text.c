/* common/wire/avro_text.c: Avro binary -> JSON text, straight from the
 * bytes (avro_text.h): in schema order for duban-replay, with keys sorted
 * and the top-level fields read out for duban-analytics' store. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "avro_plan.h"
#include "avro_text.h"
#include "avro_wire.h"
#include "base64.h"
#include "date.h"
#include "json_write.h"
#include "utf8.h"

/* The text json_dumps(duban_avro_to_json(...), JSON_COMPACT) gives, written
 * from the bytes with no avro-c value and no jansson object in between. The
 * reader checks every bound itself; its errors are not worded, since the
 * caller words them by taking the general path (see avro_json.h). */
typedef struct {
    const unsigned char *p;
    size_t len, pos;
    duban_buf_t *out;
    bool sorted;       /* every object's keys in byte order (JSON_SORT_KEYS) */
} text_t;

static int text_node(text_t *t, const plan_node_t *n);
static int text_record_sorted(text_t *t, const plan_node_t *n, const char *type_name,
                              duban_avro_field_t *fields);

/* Copies n bytes; 8 to 32 (keys, dates, numbers) as two overlapping
 * fixed-size moves the compiler inlines, instead of a call to memcpy. */
static inline void copy_small(unsigned char *p, const void *s, size_t n)
{
    const unsigned char *q = s;
    if (n >= 8 && n <= 16) {
        memcpy(p, q, 8);
        memcpy(p + n - 8, q + n - 8, 8);
    } else if (n > 16 && n <= 32) {
        memcpy(p, q, 16);
        memcpy(p + n - 16, q + n - 16, 16);
    } else {
        memcpy(p, q, n);
    }
}

/* Appends n bytes: the room check inline, no call in the common case. */
static inline void tput(text_t *t, const void *s, size_t n)
{
    unsigned char *p = duban_avro_room(t->out, n);
    if (p) {
        copy_small(p, s, n);
        t->out->len += n;
    }
}

static inline void tchar(text_t *t, char c)
{
    unsigned char *p = duban_avro_room(t->out, 1);
    if (p) {
        *p = (unsigned char)c;
        t->out->len++;
    }
}

/* A quoted string that needs no escaping (a date, a time, a symbol). */
static void tquoted(text_t *t, const char *s, size_t n)
{
    unsigned char *p = duban_avro_room(t->out, n + 2);
    if (p) {
        p[0] = '"';
        copy_small(p + 1, s, n);
        p[n + 1] = '"';
        t->out->len += n + 2;
    }
}

/* v in decimal, as "%lld" writes it. */
static void tinteger(text_t *t, int64_t v)
{
    char digits[24], *end = digits + sizeof(digits), *p = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    tput(t, p, (size_t)(end - p));
}

static inline __attribute__((always_inline)) int text_long(text_t *t, int64_t *v)
{
    return duban_avro_read_long(t->p, t->len, &t->pos, v) == DUBAN_AVRO_READ_OK ? 0 : -1;
}

static int text_string(text_t *t, const plan_node_t *n)
{
    int64_t size;
    if (text_long(t, &size) || size < 0 || (uint64_t)size > t->len - t->pos)
        return -1;
    const unsigned char *s = t->p + t->pos;
    t->pos += (size_t)size;
    if (n->kind == P_STRING)
        return duban_json_write_string_in(t->out, (const char *)s, (size_t)size,
                                          t->len - (size_t)(s - t->p)) ? -1 : 0;
    char *b64;
    if (duban_base64_encode(s, (size_t)size, &b64))
        return -1;
    tquoted(t, b64, strlen(b64));
    free(b64);
    return 0;
}

/* The item count of an array's next block in *count (0: the end; a
 * block's byte size is read past); -1 when it does not read or holds more
 * items than bytes are left. */
static int next_block(text_t *t, int64_t *count)
{
    if (text_long(t, count))
        return -1;
    if (*count < 0) { /* a block with its byte size */
        int64_t size;
        if (*count == INT64_MIN || text_long(t, &size))
            return -1;
        *count = -*count;
    }
    return (uint64_t)*count > t->len - t->pos + 1 ? -1 : 0;
}

static int text_array(text_t *t, const plan_node_t *n)
{
    bool first = true;
    tchar(t, '[');
    for (;;) {
        int64_t count;
        if (next_block(t, &count))
            return -1;
        if (count == 0)
            break;
        for (int64_t i = 0; i < count; i++) {
            if (!first)
                tchar(t, ',');
            first = false;
            if (text_node(t, n->items))
                return -1;
        }
    }
    tchar(t, ']');
    return 0;
}

static int text_scalar(text_t *t, const plan_node_t *n)
{
    int64_t v;
    char buf[40];
    switch (n->kind) {
    case P_NULL:
        tput(t, "null", 4);
        return 0;
    case P_BOOLEAN:
        if (t->pos >= t->len || t->p[t->pos] > 1)
            return -1;
        if (t->p[t->pos++])
            tput(t, "true", 4);
        else
            tput(t, "false", 5);
        return 0;
    case P_INT:
    case P_LONG:
        if (text_long(t, &v) || (n->kind == P_INT && (v < INT32_MIN || v > INT32_MAX)))
            return -1;
        tinteger(t, v);
        return 0;
    case P_DATE:
        if (text_long(t, &v) || v < DUBAN_DATE_MIN || v > DUBAN_DATE_MAX)
            return -1;
        tquoted(t, duban_date_format((int32_t)v, buf), 10);
        return 0;
    case P_TIMESTAMP:
        if (text_long(t, &v) || v < DUBAN_INSTANT_MIN || v > DUBAN_INSTANT_MAX)
            return -1;
        duban_instant_format(v, buf);
        tquoted(t, buf, strlen(buf));
        return 0;
    case P_ENUM:
        if (text_long(t, &v) || v < 0 || (uint64_t)v >= n->count)
            return -1;
        /* enum symbols are Avro names: nothing to escape */
        tquoted(t, n->names[v], strlen(n->names[v]));
        return 0;
    default: /* floats and doubles (unused by duban's schemas), maps */
        return -1;
    }
}

/* A record's field: the common shapes (a string, a null, an optional
 * string) without a call per level; the rest through text_node. */
static inline int text_field(text_t *t, const plan_node_t *n)
{
    if (n->kind == P_UNION) {
        int64_t branch;
        if (text_long(t, &branch) || branch < 0 || (uint64_t)branch >= n->count)
            return -1;
        n = n->children[branch];
    }
    if (n->kind == P_STRING)
        return text_string(t, n);
    if (n->kind == P_NULL) {
        tput(t, "null", 4);
        return 0;
    }
    return text_node(t, n);
}

static int text_node(text_t *t, const plan_node_t *n)
{
    int64_t branch;
    switch (n->kind) {
    case P_RECORD:
        if (t->sorted)
            return text_record_sorted(t, n, NULL, NULL);
        tchar(t, '{');
        for (size_t i = 0; i < n->count; i++) {
            /* ,"name": in one piece after the first field */
            tput(t, n->keys[i] - (i != 0), n->key_lens[i] + (i != 0));
            if (text_field(t, n->children[i]))
                return -1;
        }
        tchar(t, '}');
        return 0;
    case P_UNION:
        if (text_long(t, &branch) || branch < 0 || (uint64_t)branch >= n->count)
            return -1;
        return text_node(t, n->children[branch]);
    case P_ARRAY:
        return text_array(t, n);
    case P_STRING:
    case P_BYTES:
        return text_string(t, n);
    default:
        return text_scalar(t, n);
    }
}

duban_err_t duban_avro_write_text(const duban_avro_plan_t *plan, const void *data, size_t len,
                                  const char *type_name, duban_buf_t *out)
{
    size_t start = out->len;
    text_t t = {.p = data, .len = len, .out = out};
    if (text_node(&t, plan->root) || t.pos != len) {
        out->len = start;
        return DUBAN_E_TRUNCATED;
    }
    if (type_name) { /* the record's closing brace becomes ,"type":"X"} */
        out->len--;
        tput(&t, ",\"type\":", 8);
        tquoted(&t, type_name, strlen(type_name));
        tchar(&t, '}');
    }
    if (out->err) {
        duban_err_t err = out->err;
        out->len = start;
        return err;
    }
    return DUBAN_OK;
}

/* ---- a store's row: keys sorted, top-level fields read out ---- */

#define ROW_MAX_FIELDS 64

/* The value of the field whose bytes text_node just read from data[at..):
 * they are known to decode, so this only reads them again. */
static int capture(const text_t *t, const plan_node_t *n, size_t at, duban_avro_field_t *f)
{
    size_t pos = at;
    int64_t v = 0;
    f->text = NULL;
    f->len = 0;
    f->num = 0;
    if (n->kind == P_UNION) {
        if (duban_avro_read_long(t->p, t->len, &pos, &v) || v < 0 || (uint64_t)v >= n->count)
            return -1;
        n = n->children[v];
    }
    if (n->kind == P_ARRAY) {
        f->kind = n->items->kind == P_STRING ? DUBAN_AVRO_F_STRING_ARRAY : DUBAN_AVRO_F_OTHER;
        f->text = (const char *)t->p + pos;
        f->len = t->pos - pos;
        return 0;
    }
    switch (n->kind) {
    case P_NULL: f->kind = DUBAN_AVRO_F_NULL; return 0;
    case P_BOOLEAN: f->kind = DUBAN_AVRO_F_BOOLEAN; f->num = t->p[pos]; return 0;
    case P_INT: case P_LONG: f->kind = DUBAN_AVRO_F_INT; break;
    case P_DATE: f->kind = DUBAN_AVRO_F_DATE; break;
    case P_TIMESTAMP: f->kind = DUBAN_AVRO_F_TIMESTAMP; break;
    case P_ENUM: f->kind = DUBAN_AVRO_F_ENUM; break;
    case P_STRING: f->kind = DUBAN_AVRO_F_STRING; break;
    case P_BYTES: f->kind = DUBAN_AVRO_F_BYTES; break;
    default: f->kind = DUBAN_AVRO_F_OTHER; return 0;
    }
    if (duban_avro_read_long(t->p, t->len, &pos, &f->num))
        return -1;
    if (f->kind == DUBAN_AVRO_F_ENUM) {
        f->text = n->names[f->num];
        f->len = strlen(f->text);
    } else if (f->kind == DUBAN_AVRO_F_STRING || f->kind == DUBAN_AVRO_F_BYTES) {
        f->text = (const char *)t->p + pos;
        f->len = (size_t)f->num;
        f->num = 0;
    }
    return 0;
}

/* The k-th member in sorted order: a field index, or n->count for "type". */
static size_t sorted_member(const plan_node_t *n, bool with_type, size_t k)
{
    if (!with_type || k < n->type_rank)
        return n->order[k];
    return k == n->type_rank ? n->count : n->order[k - 1];
}

/* A record with its keys in byte order. Its members are written in schema
 * order first, as "key":value fragments without commas, then copied past
 * the end of the buffer and written back in sorted order with the commas
 * and braces (the copy starts beyond the longest the result can be, so the
 * two never overlap). Nested records were sorted the same way already. */
static int text_record_sorted(text_t *t, const plan_node_t *n, const char *type_name,
                              duban_avro_field_t *fields)
{
    size_t frag[ROW_MAX_FIELDS + 1][2];
    size_t members = n->count + (type_name != NULL);
    if (n->count > ROW_MAX_FIELDS || (type_name && n->type_field >= 0))
        return -1;
    size_t open = t->out->len;
    for (size_t i = 0; i < n->count; i++) {
        size_t at = t->pos;
        frag[i][0] = t->out->len;
        tput(t, n->keys[i], n->key_lens[i]);
        if (text_node(t, n->children[i]) || (fields && capture(t, n->children[i], at, &fields[i])))
            return -1;
        frag[i][1] = t->out->len;
    }
    if (type_name) {
        frag[n->count][0] = t->out->len;
        tput(t, "\"type\":", 7);
        tquoted(t, type_name, strlen(type_name));
        frag[n->count][1] = t->out->len;
    }
    size_t body = t->out->len - open, gap = members + 2;
    if (!duban_avro_room(t->out, gap + body))
        return -1;
    unsigned char *d = t->out->data;
    size_t copy = t->out->len + gap, w = open;
    memcpy(d + copy, d + open, body);
    d[w++] = '{';
    for (size_t k = 0; k < members; k++) {
        size_t m = sorted_member(n, type_name != NULL, k);
        size_t flen = frag[m][1] - frag[m][0];
        if (k)
            d[w++] = ',';
        memcpy(d + w, d + copy + (frag[m][0] - open), flen);
        w += flen;
    }
    d[w++] = '}';
    t->out->len = w;
    return 0;
}

duban_err_t duban_avro_write_row(const duban_avro_plan_t *plan, const void *data, size_t len,
                                 const char *type_name, duban_avro_field_t *fields,
                                 size_t nfields, duban_buf_t *out)
{
    size_t start = out->len;
    text_t t = {.p = data, .len = len, .out = out, .sorted = true};
    if (plan->root->count > nfields ||
        text_record_sorted(&t, plan->root, type_name, fields) || t.pos != len || out->err) {
        duban_err_t err = out->err ? out->err : DUBAN_E_TRUNCATED;
        out->len = start;
        return err;
    }
    return DUBAN_OK;
}

/* ---- a row's fields without its text ---- */

/* Reads past one value of n, checking it as text_node does (ranges, enum
 * indexes, UTF-8), and writes nothing. */
static int skip_node(text_t *t, const plan_node_t *n)
{
    int64_t v;
    const char *s;
    switch (n->kind) {
    case P_NULL:
        return 0;
    case P_BOOLEAN:
        if (t->pos >= t->len || t->p[t->pos] > 1)
            return -1;
        t->pos++;
        return 0;
    case P_INT:
    case P_LONG:
        return text_long(t, &v) || (n->kind == P_INT && (v < INT32_MIN || v > INT32_MAX)) ? -1
                                                                                           : 0;
    case P_DATE:
        return text_long(t, &v) || v < DUBAN_DATE_MIN || v > DUBAN_DATE_MAX ? -1 : 0;
    case P_TIMESTAMP:
        return text_long(t, &v) || v < DUBAN_INSTANT_MIN || v > DUBAN_INSTANT_MAX ? -1 : 0;
    case P_ENUM:
        return text_long(t, &v) || v < 0 || (uint64_t)v >= n->count ? -1 : 0;
    case P_STRING:
    case P_BYTES:
        if (text_long(t, &v) || v < 0 || (uint64_t)v > t->len - t->pos)
            return -1;
        s = (const char *)t->p + t->pos;
        t->pos += (size_t)v;
        return n->kind == P_STRING && !duban_utf8_valid(s, (size_t)v, NULL) ? -1 : 0;
    case P_ARRAY:
        for (;;) {
            int64_t count;
            if (next_block(t, &count))
                return -1;
            if (count == 0)
                return 0;
            for (int64_t i = 0; i < count; i++)
                if (skip_node(t, n->items))
                    return -1;
        }
    case P_RECORD:
        for (size_t i = 0; i < n->count; i++)
            if (skip_node(t, n->children[i]))
                return -1;
        return 0;
    case P_UNION:
        if (text_long(t, &v) || v < 0 || (uint64_t)v >= n->count)
            return -1;
        return skip_node(t, n->children[v]);
    default: /* floats and doubles (unused by duban's schemas), maps: as text_scalar */
        return -1;
    }
}

duban_err_t duban_avro_read_row(const duban_avro_plan_t *plan, const void *data, size_t len,
                                duban_avro_field_t *fields, size_t nfields)
{
    const plan_node_t *n = plan->root;
    text_t t = {.p = data, .len = len};
    if (n->kind != P_RECORD || n->count > nfields || n->count > ROW_MAX_FIELDS)
        return DUBAN_E_TRUNCATED;
    for (size_t i = 0; i < n->count; i++) {
        size_t at = t.pos;
        if (skip_node(&t, n->children[i]) || capture(&t, n->children[i], at, &fields[i]))
            return DUBAN_E_TRUNCATED;
    }
    return t.pos == len ? DUBAN_OK : DUBAN_E_TRUNCATED;
}

void duban_avro_strings_begin(duban_avro_strings_t *it, const duban_avro_field_t *f)
{
    bool ok = f->kind == DUBAN_AVRO_F_STRING_ARRAY;
    it->p = (const unsigned char *)f->text;
    it->len = ok ? f->len : 0;
    it->pos = 0;
    it->left = 0;
}

int duban_avro_strings_next(duban_avro_strings_t *it, const char **s, size_t *n)
{
    int64_t v;
    while (it->left == 0) { /* the next block's count (and byte size) */
        if (duban_avro_read_long(it->p, it->len, &it->pos, &v) || v == 0 || v == INT64_MIN)
            return 0;
        if (v < 0 && duban_avro_read_long(it->p, it->len, &it->pos, &it->left))
            return 0;
        it->left = v < 0 ? -v : v;
    }
    if (duban_avro_read_long(it->p, it->len, &it->pos, &v) || v < 0 ||
        (uint64_t)v > it->len - it->pos)
        return 0;
    *s = (const char *)it->p + it->pos;
    *n = (size_t)v;
    it->pos += (size_t)v;
    it->left--;
    return 1;
}
