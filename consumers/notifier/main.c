/* duban-notifier: delivers duban.alerts.v1 to department webhooks.
 * Options are the common ones (see --help) plus --demo, which allows
 * internal (loopback/private) webhook addresses for a local receiver. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "kafka.h"
#include "log.h"
#include "notifier.h"

static void usage(FILE *out)
{
    fprintf(out,
        "Usage: duban-notifier [options] --set notifier.routes=ROUTES.json\n"
        "Consumes duban.alerts.v1 and delivers every alert to the webhooks routed to\n"
        "its departments; records attempts on duban.deliveries.v1, dead-letters to\n"
        "duban.dlq.v1. Offsets are committed only when outcomes are final.\n"
        "  --demo                      allow loopback/private webhook addresses\n"
        "  --routes FILE               same as --set notifier.routes=FILE\n%s",
        duban_conf_common_usage());
}

typedef struct {
    int demo;
    const char *routes;
} notifier_opts_t;

static int parse_args(int argc, char **argv, duban_conf_t *conf)
{
    static const duban_opt_t table[] = {
        {"--demo", DUBAN_OPT_FLAG, offsetof(notifier_opts_t, demo)},
        {"--routes", DUBAN_OPT_STRING, offsetof(notifier_opts_t, routes)},
    };
    notifier_opts_t o = {0};
    static const duban_program_t prog = {"duban-notifier", usage, table,
                                         sizeof(table) / sizeof(table[0]), NULL,
                                         DUBAN_USES_NOTIFIER};
    int rc = duban_program_start(&prog, conf, argc, argv, &o);
    if (rc)
        return rc;
    if (o.demo)
        duban_conf_set(conf, "notifier.allow.private", "true", NULL, 0);
    if (o.routes)
        duban_conf_set(conf, "notifier.routes", o.routes, NULL, 0);
    return 0;
}

int main(int argc, char **argv)
{
    duban_conf_t *conf = duban_conf_new();
    char errbuf[1024];
    int start = parse_args(argc, argv, conf);
    if (start) {
        duban_conf_destroy(conf);
        return start > 0 ? 0 : 2;
    }
    duban_program_log_level(conf);
    duban_shutdown_install();
    duban_reload_install();   /* SIGHUP: the routing file is read again */
    notifier_t *n = NULL;
    if (notifier_new(conf, &n, errbuf, sizeof(errbuf))) {
        duban_error("SETUP", "%s", errbuf);
        duban_conf_destroy(conf);
        return 1;
    }
    int rc = notifier_run(n, errbuf, sizeof(errbuf)) ? 1 : 0;
    notifier_destroy(n);
    duban_conf_destroy(conf);
    return rc;
}
