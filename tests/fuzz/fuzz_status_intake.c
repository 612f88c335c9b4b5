/* tests/fuzz/fuzz_status_intake.c: arbitrary bytes as the HTTP body of a
 * status report. The first byte picks the task id the URL would carry (one
 * valid, one without '#', one with a control character). Any input must give
 * DUBAN_OK or a typed error naming a field; an accepted report must encode
 * with the TaskStatusChanged schema (what duban-status sends to Kafka). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "serde.h"
#include "status_intake.h"

static duban_serde_t *serde;

/* Freed at exit, else LeakSanitizer reports avro-c's allocations as leaks. */
static void free_serde(void)
{
    duban_serde_destroy(serde);
    serde = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *ids[] = {"石大政发〔2022〕56号#二.(一).3", "no-hash", "a#b\x01"};
    char errbuf[512];
    if (!serde) {
        if (duban_serde_new(NULL, &serde, errbuf, sizeof(errbuf)))
            return 0;
        atexit(free_serde);
    }
    if (size == 0)
        return 0;
    const char *task = ids[data[0] % 3];
    const char *field = NULL;
    json_t *ev = NULL;
    int64_t now = duban_instant_at(duban_date_from_ymd(2023, 7, 15), 10, 0);
    duban_err_t err = duban_status_intake_from_json(task, (const char *)data + 1, size - 1,
                                                    "http", NULL, now, &ev, &field, errbuf,
                                                    sizeof(errbuf));
    if (err) {
        if (ev || !field || strncmp(errbuf, field, strlen(field)) != 0)
            abort(); /* an error must name its field and build nothing */
        return 0;
    }
    void *buf = NULL;
    size_t len = 0;
    if (duban_serde_encode(serde, DUBAN_EV_TASK_STATUS_CHANGED, NULL, ev, &buf, &len, errbuf,
                           sizeof(errbuf)) != DUBAN_OK)
        abort(); /* accepted but not encodable */
    free(buf);
    json_decref(ev);
    return 0;
}
