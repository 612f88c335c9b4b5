/* consumers/alerter/service.c: the Kafka service (being written). */
#include <stdio.h>
#include "prog.h"

int alerter_service_run(alerter_opts_t *o)
{
    (void)o;
    fprintf(stderr, "duban-alerter: service not ready\n");
    return 1;
}
