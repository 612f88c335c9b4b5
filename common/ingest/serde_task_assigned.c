/* common/ingest/serde_task_assigned.c: TaskAssigned struct -> framed Avro. */
#include <jansson.h>
#include "serde_task_assigned.h"

/* By way of the JSON form and the general encoder. */
static duban_err_t encode_through_json(duban_serde_t *s, const char *topic,
                                       const duban_task_assigned_t *ta, duban_buf_t *out,
                                       char *errbuf, size_t errbuf_size)
{
    duban_buf_reset(out);
    duban_err_t err = duban_task_assigned_write_json(ta, out, errbuf, errbuf_size);
    if (err)
        return err;
    json_error_t jerr;
    json_t *ev = json_loadb((const char *)out->data, out->len, 0, &jerr);
    if (!ev)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "TaskAssigned: %s", jerr.text);
    err = duban_serde_encode_buf(s, DUBAN_EV_TASK_ASSIGNED, topic, ev, out, errbuf, errbuf_size);
    json_decref(ev);
    return err;
}

duban_err_t duban_serde_encode_task_assigned(duban_serde_t *s, const char *topic,
                                             const duban_task_assigned_t *ta,
                                             duban_buf_t *out, char *errbuf,
                                             size_t errbuf_size)
{
    if (!duban_serde_direct(s))
        return encode_through_json(s, topic, ta, out, errbuf, errbuf_size);
    duban_err_t err = duban_serde_begin(s, DUBAN_EV_TASK_ASSIGNED, topic, out, errbuf,
                                        errbuf_size);
    if (err)
        return err;
    if ((err = duban_task_assigned_write_avro(ta, out)))
        return duban_seterr(errbuf, errbuf_size, err, "TaskAssigned: %s",
                            err == DUBAN_E_NOMEM ? "out of memory" : "too large");
    duban_serde_end(s, DUBAN_EV_TASK_ASSIGNED, out);
    return DUBAN_OK;
}
