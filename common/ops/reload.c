/* common/ops/reload.c: the refusal-or-swap step of a SIGHUP reload
 * (reload.h). */
#include "log.h"
#include "reload.h"

duban_err_t duban_reload_file(const duban_reload_t *r, const char *files,
                              duban_reload_load_cb *load, void *opaque, void **out)
{
    char errbuf[512] = "";
    *out = NULL;
    duban_err_t err = load(opaque, out, errbuf, sizeof(errbuf));
    if (err) {
        duban_error("RELOAD", "%s %s refused: %s; the %s loaded before stays in force",
                    r->what, files ? files : "(not set)", errbuf, r->what);
        if (r->refused)
            duban_metric_add(r->refused, 1);
        return err;
    }
    if (r->ok)
        duban_metric_add(r->ok, 1);
    return DUBAN_OK;
}
