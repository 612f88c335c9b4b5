/* duban-audit: answers an auditor's questions from duban's topics.
 *
 *   timeline TASK_ID|DOC_ID   the whole story of a task or document, in time
 *                             order (timeline.c)
 *   verify                    re-computes with the alerter's own engine which
 *                             alerts should have fired and when, and compares
 *                             with what was sent and delivered (verify.c)
 *   digest                    SHA-256 hash chains over partitions, and
 *                             --check against an earlier digest (digest.c)
 *   redrive                   re-publishes dead letters to their original
 *                             topic, recording who did it (redrive.c)
 *
 * The log is read without a consumer group (read.c), so an audit never moves
 * a service's committed offsets. */
#include <stdio.h>
#include <string.h>
#include "audit.h"
#include "kafka.h"
#include "log.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-audit SUBCOMMAND [options]   (SUBCOMMAND --help for its options)\n"
            "  timeline TASK_ID|DOC_ID  the story of a task or document in time order:\n"
            "                           assigned (gazette file and line), status changes and\n"
            "                           corrections, alerts, every delivery attempt\n"
            "  verify                   re-compute which alerts should have fired and when,\n"
            "                           compare with duban.alerts.v1 and duban.deliveries.v1;\n"
            "                           exit 1 when one is missing, late, duplicated, or\n"
            "                           never delivered\n"
            "  digest                   SHA-256 hash chain per partition over a range of\n"
            "                           offsets; --check FILE compares with an earlier one\n"
            "  redrive                  re-publish dead letters to their original topic\n"
            "Exit status: 0 all well, 1 a problem found or an operation failed, 2 usage.\n");
}

typedef struct {
    const char *name;
    int (*run)(audit_t *a, int argc, char **argv);
} subcommand_t;

static const subcommand_t subcommands[] = {
    {"timeline", audit_timeline},
    {"verify", audit_verify},
    {"digest", audit_digest},
    {"redrive", audit_redrive},
};

/* Only dispatches: the shared start-up (duban_program_start: environment,
 * common options, --help, settings check) is each subcommand's, through
 * audit_start (read.c), because the options are the subcommand's. This level
 * has none of its own, and duban_cli_parse cannot stop at the subcommand's
 * name to hand the rest of argv on. */
int main(int argc, char **argv)
{
    duban_log_init("duban-audit", -1);
    if (argc < 2) {
        usage(stderr);
        return AUDIT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return AUDIT_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
        if (strcmp(argv[1], subcommands[i].name))
            continue;
        audit_t a = {.conf = duban_conf_new()};
        duban_shutdown_install();
        int rc = subcommands[i].run(&a, argc - 1, argv + 1);
        duban_conf_destroy(a.conf);
        return rc;
    }
    fprintf(stderr, "duban-audit: unknown subcommand %s (see --help)\n", argv[1]);
    return AUDIT_EXIT_USAGE;
}
