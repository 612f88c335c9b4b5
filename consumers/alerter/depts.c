/* consumers/alerter/depts.c: duban-alerter's department directory. With
 * alerter.departments.files set, the alerter names each alert's
 * departments through the shipped directory (data/departments.json) plus
 * those files, so an alias or department added after a task was ingested
 * applies to its next alert. SIGHUP reads the files again
 * (common/ops/reload.h): a directory that does not load is refused, the one
 * in force stays. Lookups run in the rebuild threads too; the directory
 * is swapped only from the service loop, between rebuilds. */
#include <string.h>
#include "dept.h"
#include "log.h"
#include "prog.h"
#include "reload.h"

/* The shipped directory plus every file of the comma list (a
 * duban_reload_load_cb: opaque is the list). */
static duban_err_t load_dir(void *opaque, void **out, char *errbuf, size_t errbuf_size)
{
    duban_strlist_t files = DUBAN_STRLIST_INIT;
    duban_dept_dir_t *dir = NULL;
    duban_err_t err = duban_strlist_split(&files, opaque, ',');
    if (!err)
        err = duban_dept_dir_new(&dir, errbuf, errbuf_size);
    for (size_t i = 0; !err && i < files.count; i++)
        err = duban_dept_dir_load_file(dir, files.items[i], errbuf, errbuf_size);
    duban_strlist_free(&files);
    if (err) {
        duban_dept_dir_destroy(dir);
        return err == DUBAN_E_NOMEM && !*errbuf
                   ? duban_seterr(errbuf, errbuf_size, err, "out of memory") : err;
    }
    *out = dir;
    return DUBAN_OK;
}

/* duban_alerter_dept_cb: one name, as the directory names it. */
static bool map_name(const char *name, char *out, size_t out_size, void *opaque)
{
    const alerter_depts_t *d = opaque;
    duban_strlist_t in = DUBAN_STRLIST_INIT, canon = DUBAN_STRLIST_INIT;
    bool mapped = false;
    if (name && !duban_strlist_push(&in, name) &&
        !duban_dept_canonicalize(d->dir, &in, NULL, &canon) && canon.count == 1 &&
        strcmp(canon.items[0], name) != 0 && strlen(canon.items[0]) < out_size) {
        memcpy(out, canon.items[0], strlen(canon.items[0]) + 1);
        mapped = true;
    }
    duban_strlist_free(&in);
    duban_strlist_free(&canon);
    return mapped;
}

duban_err_t alerter_depts_open(alerter_opts_t *o, char *errbuf, size_t errbuf_size)
{
    const char *files = duban_conf_str(o->conf, "alerter.departments.files");
    if (!files || !*files)
        return DUBAN_OK;
    void *dir = NULL;
    duban_err_t err = load_dir((void *)files, &dir, errbuf, errbuf_size);
    if (err)
        return err;
    o->depts.dir = dir;
    o->ac.dept = map_name;
    o->ac.dept_opaque = &o->depts;
    return DUBAN_OK;
}

duban_err_t alerter_depts_reload(alerter_opts_t *o, const alerter_ops_t *ops)
{
    const char *files = duban_conf_str(o->conf, "alerter.departments.files");
    if (!o->depts.dir) {
        duban_warn("RELOAD", "no department directory to reload (alerter.departments.files "
                   "was not set at start)");
        return DUBAN_E_INVAL;
    }
    const duban_reload_t how = {"department directory", ops->reload_ok, ops->reload_refused};
    void *dir = NULL;
    duban_err_t err = duban_reload_file(&how, files, load_dir, (void *)files, &dir);
    if (err)
        return err;
    duban_dept_dir_destroy(o->depts.dir);
    o->depts.dir = dir;
    duban_info("RELOAD", "department directory %s: in force from the next alert", files);
    return DUBAN_OK;
}

void alerter_depts_close(alerter_opts_t *o)
{
    duban_dept_dir_destroy(o->depts.dir);
    o->depts.dir = NULL;
}
