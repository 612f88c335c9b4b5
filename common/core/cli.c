/* common/core/cli.c: one argument loop for every duban program (see cli.h). */
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "log.h"

static const duban_opt_t *find_opt(const duban_opt_t *table, size_t len, const char *arg)
{
    for (size_t k = 0; k < len; k++)
        if (strcmp(table[k].name, arg) == 0)
            return &table[k];
    return NULL;
}

duban_err_t duban_cli_parse(duban_conf_t *conf, int argc, char **argv,
                            const duban_opt_t *table, size_t table_len, void *opts,
                            duban_cli_arg_cb *cb, bool *help, char *errbuf,
                            size_t errbuf_size)
{
    *help = false;
    for (int i = 1; i < argc;) {
        int rc = duban_conf_parse_arg(conf, argc, argv, &i, errbuf, errbuf_size);
        if (rc < 0)
            return DUBAN_E_INVAL;
        if (rc > 0)
            continue;
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *help = true;
            return DUBAN_OK;
        }
        const duban_opt_t *o = find_opt(table, table_len, a);
        if (o && o->kind == DUBAN_OPT_FLAG) {
            *(int *)((char *)opts + o->offset) = 1;
            i++;
            continue;
        }
        if (o) {
            if (i + 1 >= argc)
                return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s needs a value", a);
            *(const char **)((char *)opts + o->offset) = argv[i + 1];
            i += 2;
            continue;
        }
        rc = cb ? cb(opts, argc, argv, i, errbuf, errbuf_size) : 0;
        if (rc < 0)
            return DUBAN_E_INVAL;
        if (rc == 0)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "unknown %s %s (see --help)",
                                a[0] == '-' ? "option" : "argument", a);
        i += rc;
    }
    return DUBAN_OK;
}

int duban_program_start(const duban_program_t *p, duban_conf_t *conf, int argc, char **argv,
                        void *opts)
{
    char errbuf[512];
    bool help = false;
    duban_log_init(p->name, -1);
    if (!conf) {
        fprintf(stderr, "%s: out of memory\n", p->name);
        return -1;
    }
    if (duban_conf_apply_env(conf, errbuf, sizeof(errbuf)) ||
        duban_cli_parse(conf, argc, argv, p->table, p->table_len, opts, p->arg_cb, &help,
                        errbuf, sizeof(errbuf))) {
        fprintf(stderr, "%s: %s\n", p->name, errbuf);
        return -1;
    }
    if (help) {
        p->usage(stdout);
        if (p->uses)
            duban_conf_keys_usage(stdout, p->uses);
        return 1;
    }
    if (p->uses && duban_conf_check(conf, errbuf, sizeof(errbuf))) {
        fprintf(stderr, "%s: %s\n", p->name, errbuf);
        return -1;
    }
    return 0;
}

int duban_program_log_level(const duban_conf_t *conf)
{
    int level = duban_log_level_parse(duban_conf_str(conf, "log.level"));
    if (level >= 0)
        duban_log_init(NULL, level);
    return level;
}
