/* tests/unit/test_topics.c: the topic layout (common/topics.c): which topics
 * are co-partitioned and kept forever, and the co-partitioning check with
 * the message an operator sees. The Admin API half runs against real Kafka
 * in tests/integration/realkafka_topics.sh. */
#include <string.h>
#include "check.h"
#include "event.h"
#include "topics.h"

static void test_table(void)
{
    const duban_topic_spec_t *t = duban_topics_table();
    int copart = 0, forever = 0;
    for (size_t i = 0; i < DUBAN_TOPIC_COUNT; i++) {
        copart += t[i].copartitioned;
        forever += t[i].forever;
        bool want_copart = !strcmp(t[i].name, DUBAN_TOPIC_TASKS) ||
                           !strcmp(t[i].name, DUBAN_TOPIC_TASK_STATUS) ||
                           !strcmp(t[i].name, DUBAN_TOPIC_ALERTS);
        CHECK(t[i].copartitioned == want_copart);
        bool want_long = !strcmp(t[i].name, DUBAN_TOPIC_DELIVERIES) ||
                         !strcmp(t[i].name, DUBAN_TOPIC_DLQ);
        CHECK(t[i].forever == !want_long);
    }
    CHECK_INT(copart, 3);
    CHECK_INT(forever, 4);
}

static void test_copartitioned(void)
{
    const char *names[] = {DUBAN_TOPIC_DOCUMENTS, DUBAN_TOPIC_TASKS, DUBAN_TOPIC_TASK_STATUS,
                           DUBAN_TOPIC_ALERTS, DUBAN_TOPIC_DELIVERIES};
    char err[512] = "";
    int same[] = {1, 4, 4, 4, 8};
    CHECK_INT(duban_topics_check_copartitioned(names, same, 5, err, sizeof(err)), DUBAN_OK);
    int missing[] = {-1, 6, -1, 6, -1}; /* missing ones are not compared */
    CHECK_INT(duban_topics_check_copartitioned(names, missing, 5, err, sizeof(err)), DUBAN_OK);
    int differ[] = {4, 4, 2, -1, 4};
    CHECK_INT(duban_topics_check_copartitioned(names, differ, 5, err, sizeof(err)),
              DUBAN_E_CONFLICT);
    CHECK(strstr(err, "duban.tasks.v1 has 4, duban.task-status.v1 has 2 partitions") != NULL);
    CHECK(strstr(err, "documents") == NULL); /* only the co-partitioned ones are named */
    CHECK(strstr(err, "co-partitioned") != NULL);
}

int main(void)
{
    test_table();
    test_copartitioned();
    return CHECK_DONE();
}
