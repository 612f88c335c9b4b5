/* tests/fuzz/fuzz_serde.c: arbitrary bytes as a Kafka message value through
 * the Confluent-frame decoder and the Avro reader (built-in registry). Any
 * input must give DUBAN_OK or a typed error; a decoded event must re-encode. */
#include <stdint.h>
#include <stdlib.h>
#include "serde.h"

static duban_serde_t *serde;

/* LeakSanitizer would count the serde's avro-c allocations as leaks. */
static void free_serde(void)
{
    duban_serde_destroy(serde);
    serde = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char errbuf[512];
    if (!serde) {
        if (duban_serde_new(NULL, &serde, errbuf, sizeof(errbuf)))
            return 0;
        atexit(free_serde);
    }
    duban_event_type_t type;
    json_t *ev = NULL;
    if (duban_serde_decode(serde, data, size, &type, &ev, errbuf, sizeof(errbuf)) == DUBAN_OK) {
        void *buf = NULL;
        size_t len = 0;
        if (duban_serde_encode(serde, type, NULL, ev, &buf, &len, errbuf, sizeof(errbuf)) ==
            DUBAN_OK)
            free(buf);
        json_decref(ev);
    }
    return 0;
}
