/* tests/unit/test_cli.c: the shared argument loop (common/cli.c): common
 * options to conf, table flags and values, the program's callback,
 * positional arguments, and the errors a user sees. */
#include <stddef.h>
#include <stdlib.h>
#include "check.h"
#include "cli.h"

typedef struct {
    int dry_run;
    const char *db;
    const char *files[4];
    int nfiles;
} opts_t;

static const duban_opt_t table[] = {
    {"--dry-run", DUBAN_OPT_FLAG, offsetof(opts_t, dry_run)},
    {"--db", DUBAN_OPT_STRING, offsetof(opts_t, db)},
};

static int files_arg(void *opts, int argc, char **argv, int i, char *errbuf, size_t size)
{
    opts_t *o = opts;
    (void)argc;
    if (argv[i][0] == '-')
        return 0;
    if (o->nfiles == 4) {
        snprintf(errbuf, size, "too many files");
        return -1;
    }
    o->files[o->nfiles++] = argv[i];
    return 1;
}

static duban_err_t run(int argc, char **argv, opts_t *o, duban_conf_t *conf, bool *help,
                       char *errbuf, size_t size)
{
    *o = (opts_t){0};
    return duban_cli_parse(conf, argc, argv, table, sizeof(table) / sizeof(table[0]), o,
                           files_arg, help, errbuf, size);
}

int main(void)
{
    char errbuf[256];
    bool help;
    opts_t o;
    duban_conf_t *conf = duban_conf_new();

    char *ok[] = {"prog", "-b", "127.0.0.1:9092", "a.txt", "--dry-run", "--db", "x.db",
                  "--set", "alerter.tick.ms=50", "b.md"};
    CHECK_INT(run(10, ok, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK(!help);
    CHECK_INT(o.dry_run, 1);
    CHECK_STR(o.db, "x.db");
    CHECK_INT(o.nfiles, 2);
    CHECK_STR(o.files[0], "a.txt");
    CHECK_STR(o.files[1], "b.md");
    CHECK_STR(duban_conf_get(conf, "kafka.bootstrap.servers", NULL), "127.0.0.1:9092");
    CHECK_STR(duban_conf_get(conf, "alerter.tick.ms", NULL), "50");

    char *unknown[] = {"prog", "--dry-run", "--frobnicate"};
    CHECK_INT(run(3, unknown, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_E_INVAL);
    CHECK_STR(errbuf, "unknown option --frobnicate (see --help)");

    char *novalue[] = {"prog", "--db"};
    CHECK_INT(run(2, novalue, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_E_INVAL);
    CHECK_STR(errbuf, "--db needs a value");

    char *common_novalue[] = {"prog", "-X"};
    CHECK_INT(run(2, common_novalue, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_E_INVAL);
    CHECK_STR(errbuf, "-X needs a value");

    char *cb_error[] = {"prog", "1", "2", "3", "4", "5"};
    CHECK_INT(run(6, cb_error, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_E_INVAL);
    CHECK_STR(errbuf, "too many files");

    char *helpme[] = {"prog", "--db", "y.db", "-h", "--frobnicate"};
    CHECK_INT(run(5, helpme, &o, conf, &help, errbuf, sizeof(errbuf)), DUBAN_OK);
    CHECK(help);
    CHECK_STR(o.db, "y.db");

    /* Without a callback, a positional argument is an error too. */
    char *stray[] = {"prog", "stray"};
    o = (opts_t){0};
    CHECK_INT(duban_cli_parse(conf, 2, stray, table, 2, &o, NULL, &help, errbuf,
                              sizeof(errbuf)), DUBAN_E_INVAL);
    CHECK_STR(errbuf, "unknown argument stray (see --help)");
    duban_conf_destroy(conf);
    return CHECK_DONE();
}
