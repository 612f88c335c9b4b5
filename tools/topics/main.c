/* duban-topics: create or check duban's six topics on a Kafka cluster.
 *
 *   duban-topics -b @FILE [create]   create the missing topics, check the rest
 *   duban-topics -b @FILE check      create nothing; exit 1 when a topic is
 *                                    missing or the co-partitioned ones differ
 * Prints one line per topic: name, partitions, replicas. The layout and its
 * keys (topics.partitions, topics.replication.factor,
 * topics.min.insync.replicas, topics.long.retention.ms) are in
 * common/topics.h. duban-status, duban-alerter and duban-notifier run the
 * same `create` at start unless topics.ensure=false. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "conf_keys.h"
#include "log.h"
#include "topics.h"

typedef struct {
    int check_only;
} topics_opts_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: duban-topics [options] [create|check]\n"
            "Creates duban's missing topics (create, the default) or only checks them\n"
            "(check): tasks, task-status and alerts co-partitioned; documents, tasks,\n"
            "task-status and alerts kept forever; deliveries and DLQ kept long.\n"
            "Settings (--set key=val), with defaults:\n"
            "  topics.partitions=4  topics.replication.factor=-1 (broker default)\n"
            "  topics.min.insync.replicas= (broker default)\n"
            "  topics.long.retention.ms=94608000000 (3 years)  topics.timeout.ms=30000\n"
            "Exit status: 0 ok, 1 missing or not co-partitioned or unreachable, 2 usage.\n"
            "%s",
            duban_conf_common_usage());
}

static int command_arg(void *opts, int argc, char **argv, int i, char *errbuf,
                       size_t errbuf_size)
{
    (void)argc;
    topics_opts_t *o = opts;
    if (strcmp(argv[i], "create") == 0)
        o->check_only = 0;
    else if (strcmp(argv[i], "check") == 0)
        o->check_only = 1;
    else if (argv[i][0] != '-')
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "unknown command %s (create or check)", argv[i]), -1;
    else
        return 0;
    return 1;
}

int main(int argc, char **argv)
{
    static const duban_program_t prog = {"duban-topics", usage, NULL, 0, command_arg,
                                         DUBAN_USES_TOPICS};
    duban_conf_t *conf = duban_conf_new();
    topics_opts_t o = {0};
    char errbuf[1024];
    int rc = duban_program_start(&prog, conf, argc, argv, &o);
    if (rc) {
        duban_conf_destroy(conf);
        return rc > 0 ? 0 : 2;
    }
    duban_program_log_level(conf); /* an unknown level leaves info, as it always did */
    if (!duban_conf_get(conf, "kafka.bootstrap.servers", NULL)) {
        fprintf(stderr, "duban-topics: no brokers: pass -b HOST:PORT or -b @FILE\n");
        duban_conf_destroy(conf);
        return 2;
    }
    duban_topics_state_t st;
    duban_err_t err = duban_topics_ensure(conf, !o.check_only, &st, errbuf, sizeof(errbuf));
    if (err) {
        duban_error("TOPICS", "%s", errbuf);
    } else {
        const duban_topic_spec_t *t = duban_topics_table();
        for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++)
            printf("%s partitions=%d replicas=%d\n", t[i].name, st.partitions[i],
                   st.replicas[i]);
        duban_info("TOPICS", "%d created%s", st.created,
                   st.mock ? " (mock cluster: only co-partitioning checked)" : "");
    }
    duban_conf_destroy(conf);
    return err ? 1 : 0;
}
