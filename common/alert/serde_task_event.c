/* common/alert/serde_task_event.c: framed Avro -> duban_task_event_t. */
#include <jansson.h>
#include "serde_task_event.h"

/* The types task_event.c walks straight from Avro. */
static bool walked_directly(duban_event_type_t type)
{
    return type == DUBAN_EV_TASK_ASSIGNED || type == DUBAN_EV_TASK_STATUS_CHANGED ||
           type == DUBAN_EV_DEADLINE_ALERT;
}

duban_err_t duban_serde_decode_task(duban_serde_t *s, const void *msg, size_t len,
                                    duban_task_event_t *ev, char *errbuf, size_t errbuf_size)
{
    duban_event_type_t type;
    bool compiled_in;
    duban_err_t err = duban_serde_frame(s, msg, len, &type, &compiled_in, errbuf, errbuf_size);
    if (err)
        return err;
    if (compiled_in && duban_serde_direct(s) && walked_directly(type)) {
        err = duban_task_event_decode(ev, type, (const char *)msg + 5, len - 5, errbuf,
                                      errbuf_size);
        if (err == DUBAN_OK)
            return DUBAN_OK;
        /* Say what duban_serde_decode says: the body's structure first. */
        duban_err_t verr = duban_serde_check_body(s, msg, len, errbuf, errbuf_size);
        if (verr || err != DUBAN_E_TRUNCATED)
            return verr ? verr : err;
        /* (the walk refused what validation accepts: avro-c decides) */
    }
    json_t *j = NULL;
    if ((err = duban_serde_decode(s, msg, len, &type, &j, errbuf, errbuf_size)))
        return err;
    return duban_task_event_from_json(ev, j, true, errbuf, errbuf_size);
}
