/* producers/status/status_intake.c: validation and event building for duban-status. */
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "hash.h"
#include "status_intake.h"
#include "utf8.h"

const char *const duban_status_intake_statuses[] = {
    "ASSIGNED", "ACCEPTED", "IN_PROGRESS", "COMPLETED", "EXTENSION_REQUESTED",
    "EXTENDED", "CANCELLED", "REOPENED", "COMPLETION_REQUESTED", NULL,
};

#define STATUS_LIST "ASSIGNED|ACCEPTED|IN_PROGRESS|COMPLETED|EXTENSION_REQUESTED|" \
                    "EXTENDED|CANCELLED|REOPENED|COMPLETION_REQUESTED"

bool duban_status_intake_is_status(const char *name)
{
    for (size_t i = 0; name && duban_status_intake_statuses[i]; i++)
        if (strcmp(name, duban_status_intake_statuses[i]) == 0)
            return true;
    return false;
}

static duban_err_t bad(const char **field, const char *name, char *errbuf, size_t size,
                       const char *what, const char *value)
{
    if (field)
        *field = name;
    if (value)
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "%s: %s \"%.80s\"", name, what, value);
    return duban_seterr(errbuf, size, DUBAN_E_INVAL, "%s: %s", name, what);
}

static duban_err_t bad_status(const char **field, const char *name, char *errbuf,
                              size_t size, const char *value)
{
    if (field)
        *field = name;
    return duban_seterr(errbuf, size, DUBAN_E_INVAL,
                        "%s: unknown status \"%.40s\" (one of " STATUS_LIST ")", name, value);
}

/* A control character: C0 (except \t and \n when multiline), DEL, C1
 * (U+0080..U+009F, e.g. NEL) or a Unicode line/paragraph separator (U+2028,
 * U+2029). s is valid UTF-8. */
static bool has_control(const char *s, bool multiline)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = duban_utf8_decode(s + i, len - i, &cp);
        i += n ? n : 1;
        if (multiline && (cp == '\t' || cp == '\n'))
            continue;
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
            return true;
    }
    return false;
}

/* Only spaces (ASCII or the ideographic U+3000). */
static bool blank(const char *s)
{
    while (*s == ' ' || strncmp(s, "\xe3\x80\x80", 3) == 0)
        s += *s == ' ' ? 1 : 3;
    return *s == '\0';
}

/* A required (or optional, when !required) text field: UTF-8, length cap,
 * not blank when required, no control characters (see has_control; tab and
 * newline allowed when `multiline`). */
duban_err_t duban_status_intake_check_text(const char *name, const char *v, bool required,
                                          size_t cap, bool multiline, const char **field,
                                          char *errbuf, size_t size)
{
    if (!v)
        return required ? bad(field, name, errbuf, size, "missing", NULL) : DUBAN_OK;
    size_t len = strlen(v);
    if (required && len == 0)
        return bad(field, name, errbuf, size, "empty", NULL);
    if (required && blank(v))
        return bad(field, name, errbuf, size, "blank (only spaces)", NULL);
    if (len > cap) {
        if (field)
            *field = name;
        return duban_seterr(errbuf, size, DUBAN_E_INVAL, "%s: longer than %zu bytes", name,
                            cap);
    }
    json_t *probe = json_stringn(v, len); /* NULL when not valid UTF-8 */
    if (!probe)
        return bad(field, name, errbuf, size, "not valid UTF-8", NULL);
    json_decref(probe);
    if (has_control(v, multiline))
        return bad(field, name, errbuf, size, "contains control characters", NULL);
    return DUBAN_OK;
}

duban_err_t duban_status_intake_occurred_at(const char *v, int64_t now_ms, int64_t *out,
                                           const char **field, char *errbuf,
                                           size_t errbuf_size)
{
    int64_t at;
    size_t digits = strspn(v, "0123456789");
    bool epoch = digits > 0 && digits <= 15 && v[digits] == '\0';
    if (epoch)
        at = strtoll(v, NULL, 10); /* any length: seconds are caught below */
    else if (duban_instant_parse(v, &at) != DUBAN_OK)
        return bad(field, "occurred_at", errbuf, errbuf_size,
                   "not an ISO-8601 time or epoch milliseconds", v);
    int64_t y2000 = duban_instant_at(duban_date_from_ymd(2000, 1, 1), 0, 0);
    if (at < y2000)
        return bad(field, "occurred_at", errbuf, errbuf_size,
                   "before 2000 (epoch seconds given as milliseconds?)", v);
    if (at > now_ms + DUBAN_STATUS_MAX_FUTURE_MS)
        return bad(field, "occurred_at", errbuf, errbuf_size,
                   "more than an hour in the future", v);
    *out = at;
    return DUBAN_OK;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

duban_err_t duban_status_intake_build(const duban_status_report_t *r, const char *channel,
                                      int64_t now_ms, json_t **out, const char **field,
                                      char *errbuf, size_t errbuf_size)
{
    duban_err_t err;
    *out = NULL;
    if ((err = duban_status_intake_check_text("task_id", r->task_id, true,
                                              DUBAN_STATUS_MAX_TASK_ID, false, field, errbuf,
                                              errbuf_size)))
        return err;
    if (strchr(r->task_id, '%'))
        return bad(field, "task_id", errbuf, errbuf_size,
                   "contains '%' (a percent escape the URL did not decode?)", r->task_id);
    const char *hash = strchr(r->task_id, '#');
    if (!hash || hash == r->task_id || hash[1] == '\0')
        return bad(field, "task_id", errbuf, errbuf_size,
                   "not doc_id#outline_path (in a URL, '#' is written %23)", r->task_id);
    if (!r->to_status)
        return bad(field, "to_status", errbuf, errbuf_size, "missing (one of " STATUS_LIST ")",
                   NULL);
    if (!duban_status_intake_is_status(r->to_status))
        return bad_status(field, "to_status", errbuf, errbuf_size, r->to_status);
    if (r->from_status && !duban_status_intake_is_status(r->from_status))
        return bad_status(field, "from_status", errbuf, errbuf_size, r->from_status);
    bool extended = strcmp(r->to_status, "EXTENDED") == 0;
    char due[11];
    if (r->new_due_date) {
        int32_t d;
        if (!extended)
            return bad(field, "new_due_date", errbuf, errbuf_size,
                       "only allowed with to_status EXTENDED", NULL);
        if (duban_date_parse(r->new_due_date, &d) != DUBAN_OK)
            return bad(field, "new_due_date", errbuf, errbuf_size, "not a YYYY-MM-DD date",
                       r->new_due_date);
        duban_date_format(d, due);
    } else if (extended) {
        return bad(field, "new_due_date", errbuf, errbuf_size, "required for EXTENDED", NULL);
    }
    if ((err = duban_status_intake_check_text("actor", r->actor, true, DUBAN_STATUS_MAX_ACTOR,
                                              false, field, errbuf, errbuf_size)) ||
        (err = duban_status_intake_check_text("comment", r->comment, false,
                                              DUBAN_STATUS_MAX_COMMENT, true, field, errbuf,
                                              errbuf_size)))
        return err;
    int64_t at = now_ms;
    if (r->occurred_at && (err = duban_status_intake_occurred_at(r->occurred_at, now_ms, &at,
                                                                 field, errbuf, errbuf_size)))
        return err;
    char when[32];
    duban_instant_format(at, when);

    char id[DUBAN_SHA256_HEX_SIZE];
    const char *parts[] = {r->task_id, r->to_status, when, r->actor};
    duban_sha256_hex_parts(parts, 4, id);

    char src[16 + DUBAN_STATUS_MAX_ACTOR];
    snprintf(src, sizeof(src), "%s:%s", channel ? channel : "unknown", r->actor);

    json_t *ev = json_object();
    json_t *source = json_pack("{s:s, s:i, s:I}", STATUS_KEY(SOURCE__FILE, STRING), src,
                               STATUS_KEY(SOURCE__LINE, INT), 0, STATUS_KEY(SOURCE__OFFSET, LONG),
                               (json_int_t)-1);
    if (!ev || !source ||
        json_object_set_new(ev, "type", json_string(duban_avsc_task_status_changed.name)) ||
        json_object_set_new(ev, STATUS_KEY(EVENT_ID, STRING), json_string(id)) ||
        json_object_set_new(ev, STATUS_KEY(OCCURRED_AT, TIMESTAMP), json_string(when)) ||
        json_object_set_new(ev, STATUS_KEY(SCHEMA_VERSION, INT), json_integer(1)) ||
        json_object_set_new(ev, STATUS_KEY(SOURCE, RECORD), source) ||
        json_object_set_new(ev, STATUS_KEY(TASK_ID, STRING), json_string(r->task_id)) ||
        json_object_set_new(ev, STATUS_KEY(FROM_STATUS, ENUM), str_or_null(r->from_status)) ||
        json_object_set_new(ev, STATUS_KEY(TO_STATUS, ENUM), json_string(r->to_status)) ||
        json_object_set_new(ev, STATUS_KEY(NEW_DUE_DATE, DATE),
                            r->new_due_date ? json_string(due) : json_null()) ||
        json_object_set_new(ev, STATUS_KEY(ACTOR, STRING), json_string(r->actor)) ||
        json_object_set_new(ev, STATUS_KEY(COMMENT, STRING), str_or_null(r->comment))) {
        json_decref(ev);
        if (field)
            *field = "body";
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    }
    *out = ev;
    return DUBAN_OK;
}

/* Optional string member: absent or null -> NULL; other types are errors. */
static duban_err_t member(const json_t *o, const char *name, const char **v,
                          const char **field, char *errbuf, size_t size)
{
    const json_t *j = json_object_get(o, name);
    *v = NULL;
    if (!j || json_is_null(j))
        return DUBAN_OK;
    if (!json_is_string(j))
        return bad(field, name, errbuf, size, "not a string", NULL);
    if (strlen(json_string_value(j)) != json_string_length(j))
        return bad(field, name, errbuf, size, "contains a NUL character", NULL);
    *v = json_string_value(j);
    return DUBAN_OK;
}

duban_err_t duban_status_intake_from_json(const char *task_id, const char *body, size_t len,
                                          const char *channel, const char *principal,
                                          int64_t now_ms, json_t **out, const char **field,
                                          char *errbuf, size_t errbuf_size)
{
    *out = NULL;
    if (field)
        *field = "body";
    if (len > DUBAN_STATUS_MAX_BODY)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                            "body: over %d bytes", DUBAN_STATUS_MAX_BODY);
    json_error_t jerr;
    json_t *o = body ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!o)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "body: not JSON: %s",
                            body ? jerr.text : "empty");
    if (!json_is_object(o)) {
        json_decref(o);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "body: not a JSON object");
    }
    duban_status_report_t r = {.task_id = task_id};
    char at_digits[32];
    duban_err_t err;
    if ((err = member(o, "to_status", &r.to_status, field, errbuf, errbuf_size)) ||
        (err = member(o, "from_status", &r.from_status, field, errbuf, errbuf_size)) ||
        (err = member(o, "new_due_date", &r.new_due_date, field, errbuf, errbuf_size)) ||
        (err = member(o, "actor", &r.actor, field, errbuf, errbuf_size)) ||
        (err = member(o, "comment", &r.comment, field, errbuf, errbuf_size)))
        goto done;
    if (principal && r.actor && strcmp(r.actor, principal) != 0) {
        err = bad(field, "actor", errbuf, errbuf_size, "is not the token's name; leave it out",
                  r.actor);
        goto done;
    }
    if (principal && !r.actor)
        r.actor = principal;
    const json_t *at = json_object_get(o, "occurred_at");
    if (json_is_integer(at)) {
        snprintf(at_digits, sizeof(at_digits), "%" JSON_INTEGER_FORMAT, json_integer_value(at));
        r.occurred_at = at_digits;
    } else if ((err = member(o, "occurred_at", &r.occurred_at, field, errbuf, errbuf_size))) {
        goto done;
    }
    err = duban_status_intake_build(&r, channel, now_ms, out, field, errbuf, errbuf_size);
done:
    json_decref(o);
    return err;
}
