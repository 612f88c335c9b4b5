/* producers/status/status_correct.c: corrections -> corrected TaskAssigned. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "date.h"
#include "hash.h"
#include "status_correct.h"
#include "status_intake.h"

/* A TaskAssigned key as schemas/TaskAssigned.avsc names it, of kind k there,
 * for the definition read and the corrected copy written: a renamed or
 * retyped field stops this file compiling (avsc.h). The request body's
 * members (read_body) are the API's and stay spelled here. */
#define TASK_KEY DUBAN_AVSC_TASK_ASSIGNED_KEY

static duban_err_t fail(const char **field, const char *name, duban_err_t code, char *errbuf,
                        size_t size, const char *what)
{
    if (field)
        *field = name;
    return duban_seterr(errbuf, size, code, "%s: %s", name, what);
}

/* A department list member of the body: absent/null -> *out NULL. */
static duban_err_t dept_list(const json_t *o, const char *name, bool nonempty,
                             const json_t **out, const char **field, char *errbuf,
                             size_t size)
{
    const json_t *a = json_object_get(o, name);
    *out = NULL;
    if (!a || json_is_null(a))
        return DUBAN_OK;
    if (!json_is_array(a))
        return fail(field, name, DUBAN_E_INVAL, errbuf, size, "not a list of department names");
    size_t n = json_array_size(a);
    if (n > STATUS_CORRECT_MAX_DEPTS)
        return fail(field, name, DUBAN_E_INVAL, errbuf, size, "more than 64 departments");
    if (nonempty && n == 0)
        return fail(field, name, DUBAN_E_INVAL, errbuf, size, "empty (a task needs a lead)");
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        const char *s = json_string_value(v);
        if (!s || strlen(s) != json_string_length(v))
            return fail(field, name, DUBAN_E_INVAL, errbuf, size, "a name is not a string");
        duban_err_t err = duban_status_intake_check_text(name, s, true, 256, false, field,
                                                         errbuf, size);
        if (err)
            return err;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s, json_string_value(json_array_get(a, j))) == 0)
                return fail(field, name, DUBAN_E_INVAL, errbuf, size, "a name is listed twice");
    }
    *out = a;
    return DUBAN_OK;
}

/* "a、b" of a list, for the content hash. */
static void joined(const json_t *a, char *buf, size_t size)
{
    size_t used = 0, i;
    const json_t *v;
    buf[0] = '\0';
    json_array_foreach(a, i, v) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? "\x1e" : "", json_string_value(v));
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

typedef struct {
    const json_t *leads, *coops;
    const char *due, *reason, *at;
    char at_digits[32];
} body_t;

static duban_err_t read_body(const json_t *o, body_t *b, const char **field, char *errbuf,
                             size_t size)
{
    duban_err_t err;
    memset(b, 0, sizeof(*b));
    if ((err = dept_list(o, "lead_departments", true, &b->leads, field, errbuf, size)) ||
        (err = dept_list(o, "cooperating_departments", false, &b->coops, field, errbuf, size)))
        return err;
    const json_t *due = json_object_get(o, "due_date"), *reason = json_object_get(o, "reason");
    const json_t *at = json_object_get(o, "occurred_at");
    int32_t d;
    if (due && !json_is_null(due)) {
        b->due = json_string_value(due);
        if (!b->due || duban_date_parse(b->due, &d) != DUBAN_OK)
            return fail(field, "due_date", DUBAN_E_INVAL, errbuf, size, "not a YYYY-MM-DD date");
    }
    if (!b->leads && !b->coops && !b->due)
        return fail(field, "body", DUBAN_E_INVAL, errbuf, size,
                    "nothing to correct: give lead_departments, cooperating_departments or "
                    "due_date");
    b->reason = json_string_value(reason);
    if (reason && !json_is_null(reason) && !b->reason)
        return fail(field, "reason", DUBAN_E_INVAL, errbuf, size, "not a string");
    if ((err = duban_status_intake_check_text("reason", b->reason, true,
                                              STATUS_CORRECT_MAX_REASON, true, field, errbuf,
                                              size)))
        return err;
    if (json_is_integer(at)) {
        snprintf(b->at_digits, sizeof(b->at_digits), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(at));
        b->at = b->at_digits;
    } else if (at && !json_is_null(at) && !(b->at = json_string_value(at))) {
        return fail(field, "occurred_at", DUBAN_E_INVAL, errbuf, size, "not a string");
    }
    return DUBAN_OK;
}

/* Whether the body changes anything of def. */
static bool changes(const json_t *def, const body_t *b)
{
    const json_t *leads = json_object_get(def, TASK_KEY(LEAD_DEPARTMENTS, STRINGS));
    const json_t *coops = json_object_get(def, TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS));
    if (b->leads && !json_equal(b->leads, leads))
        return true;
    if (b->coops && !json_equal(b->coops, coops))
        return true;
    const char *kind = json_string_value(json_object_get(def, TASK_KEY(DEADLINE_KIND, ENUM)));
    const char *due = json_string_value(json_object_get(def, TASK_KEY(DUE_DATE, DATE)));
    return b->due && (!kind || strcmp(kind, "DATED") || !due || strcmp(due, b->due));
}

static duban_err_t build(const json_t *def, const body_t *b, const char *author, int64_t at,
                         json_t **out, char *errbuf, size_t size)
{
    json_t *ev = json_deep_copy(def);
    char leads[4096], coops[4096], when[32], sha[DUBAN_SHA256_HEX_SIZE];
    char id[DUBAN_SHA256_HEX_SIZE];
    if (!ev)
        return duban_seterr(errbuf, size, DUBAN_E_NOMEM, "out of memory");
    int fails = 0;
    const char *lead_key = TASK_KEY(LEAD_DEPARTMENTS, STRINGS);
    const char *coop_key = TASK_KEY(COOPERATING_DEPARTMENTS, STRINGS);
    const char *due_key = TASK_KEY(DUE_DATE, DATE);
    if (b->leads)
        fails += json_object_set_new(ev, lead_key, json_deep_copy(b->leads));
    if (b->coops)
        fails += json_object_set_new(ev, coop_key, json_deep_copy(b->coops));
    if (b->due) {
        fails += json_object_set_new(ev, due_key, json_string(b->due));
        fails += json_object_set_new(ev, TASK_KEY(DEADLINE_KIND, ENUM), json_string("DATED"));
        fails += json_object_set_new(ev, TASK_KEY(RECURRENCE, RECORD), json_null());
    }
    joined(json_object_get(ev, lead_key), leads, sizeof(leads));
    joined(json_object_get(ev, coop_key), coops, sizeof(coops));
    const char *sha_key = TASK_KEY(CONTENT_SHA256, STRING);
    const char *old = json_string_value(json_object_get(def, sha_key));
    const char *due = json_string_value(json_object_get(ev, due_key));
    const char *parts[] = {old ? old : "", "correction", leads, coops, due ? due : ""};
    duban_sha256_hex_parts(parts, 5, sha);
    duban_instant_format(at, when);
    const char *task_id = json_string_value(json_object_get(ev, TASK_KEY(TASK_ID, STRING)));
    const char *idparts[] = {task_id ? task_id : "", "correction", sha, when, author};
    duban_sha256_hex_parts(idparts, 5, id);
    fails += json_object_set_new(ev, sha_key, json_string(sha));
    fails += json_object_set_new(ev, TASK_KEY(EVENT_ID, STRING), json_string(id));
    fails += json_object_set_new(ev, TASK_KEY(OCCURRED_AT, TIMESTAMP), json_string(when));
    fails += json_object_set_new(ev, TASK_KEY(REVIEW, STRINGS), json_array());
    fails += json_object_set_new(ev, TASK_KEY(CORRECTION, RECORD),
                                 json_pack("{s:s, s:s}", TASK_KEY(CORRECTION__AUTHOR, STRING),
                                           author, TASK_KEY(CORRECTION__REASON, STRING),
                                           b->reason));
    fails += json_object_set_new(ev, "type", json_string("TaskAssigned"));
    if (fails) {
        json_decref(ev);
        return duban_seterr(errbuf, size, DUBAN_E_NOMEM, "out of memory");
    }
    *out = ev;
    return DUBAN_OK;
}

duban_err_t status_correct_build(const json_t *def, const char *body, size_t len,
                                 const char *author, int64_t now_ms, json_t **out,
                                 const char **field, char *errbuf, size_t errbuf_size)
{
    *out = NULL;
    if (field)
        *field = "body";
    json_error_t jerr;
    json_t *o = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(o)) {
        json_decref(o);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "body: not a JSON object%s%s",
                            body && !o ? ": " : "", body && !o ? jerr.text : "");
    }
    body_t b;
    int64_t at = now_ms;
    duban_err_t err = read_body(o, &b, field, errbuf, errbuf_size);
    if (!err && b.at)
        err = duban_status_intake_occurred_at(b.at, now_ms, &at, field, errbuf, errbuf_size);
    if (!err && !changes(def, &b))
        err = fail(field, "body", DUBAN_E_CONFLICT, errbuf, errbuf_size,
                   "the task already has these departments and this due date");
    if (!err)
        err = build(def, &b, author, at, out, errbuf, errbuf_size);
    json_decref(o);
    return err;
}
