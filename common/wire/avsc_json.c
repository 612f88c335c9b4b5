/* common/wire/avsc_json.c: value spellings for the generated JSON writers
 * (avsc_json.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "avsc_json.h"
#include "date.h"
#include "utf8.h"

void duban_avsc_json_string(duban_avsc_json_t *o, const char *path, const char *s)
{
    size_t len = strlen(s);
    /* the writer checks, and appends nothing then; the offset is found only then */
    if (duban_json_write_string(o->b, s, len) == DUBAN_E_ENCODING && !o->err) {
        o->err = DUBAN_E_ENCODING;
        o->field = path;
        duban_utf8_valid(s, len, &o->bad_off);
    }
}

/* "s", for text that needs no escaping (formatted dates, enum symbols). */
void duban_avsc_json_symbol(duban_avsc_json_t *o, const char *symbol)
{
    duban_buf_append(o->b, "\"", 1);
    duban_avsc_json_raw(o, symbol);
    duban_buf_append(o->b, "\"", 1);
}

void duban_avsc_json_date(duban_avsc_json_t *o, int32_t date)
{
    char b[11];
    if (date == DUBAN_DATE_NONE)
        duban_avsc_json_raw(o, "null");
    else
        duban_avsc_json_symbol(o, duban_date_format(date, b));
}

void duban_avsc_json_instant(duban_avsc_json_t *o, int64_t ms)
{
    char b[32];
    duban_avsc_json_symbol(o, duban_instant_format(ms, b));
}

void duban_avsc_json_long(duban_avsc_json_t *o, int64_t v)
{
    char b[24];
    snprintf(b, sizeof(b), "%" PRId64, v);
    duban_avsc_json_raw(o, b);
}

void duban_avsc_json_bool(duban_avsc_json_t *o, bool v)
{
    duban_avsc_json_raw(o, v ? "true" : "false");
}

duban_err_t duban_avsc_json_done(const duban_avsc_json_t *o, const char *record, char *errbuf,
                                 size_t errbuf_size)
{
    if (o->err)
        return duban_seterr(errbuf, errbuf_size, o->err, "%s.%s: invalid UTF-8 at byte %zu",
                            record, o->field, o->bad_off);
    if (o->b->err)
        return duban_seterr(errbuf, errbuf_size, o->b->err, "%s: %s", record,
                            o->b->err == DUBAN_E_NOMEM ? "out of memory" : "too large");
    return DUBAN_OK;
}
