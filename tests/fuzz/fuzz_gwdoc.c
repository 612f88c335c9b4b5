/* tests/fuzz/fuzz_gwdoc.c: libFuzzer target over the reader and the parser:
 * any bytes -> duban_text_load_mem -> duban_gwdoc_parse. Bad input must be
 * an error, never a crash, a leak or undefined behaviour. */
#include <stdint.h>
#include <stdlib.h>
#include "gwdoc.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static duban_dept_dir_t *dir;
    char eb[256];
    if (!dir && duban_dept_dir_new(&dir, eb, sizeof(eb)) != DUBAN_OK)
        dir = NULL;
    duban_text_t t;
    if (duban_text_load_mem("fuzz", (const char *)data, size, &t, eb, sizeof(eb)) != DUBAN_OK)
        return 0;
    duban_gwdoc_t g;
    duban_gwdoc_parse(&t, dir, &g, eb, sizeof(eb));
    duban_gwdoc_free(&g);
    duban_text_free(&t);
    return 0;
}
