/* tests/fuzz/fuzz_gwdoc.c: libFuzzer target over the reader, the parser and
 * the TaskAssigned writers: any bytes -> duban_text_load_mem ->
 * duban_gwdoc_parse -> for every task, the sealed struct's JSON form and
 * Avro body. Bad input must be an error, never a crash, a leak or undefined
 * behaviour; and whatever task the parser makes of it, its JSON form must
 * parse and its Avro bytes must equal the general encoder's on that JSON
 * (a difference aborts: it is a finding). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gwdoc.h"
#include "serde.h"
#include "serde_task_assigned.h"
#include "task_assigned.h"
#include "task_assigned_gwdoc.h"
#include "text.h"

static void finding(const char *what, const char *task_id)
{
    fprintf(stderr, "fuzz_gwdoc: %s (task %s)\n", what, task_id);
    abort();
}

/* One task both ways. */
static void check_task(duban_serde_t *serde, const duban_gwdoc_t *g, size_t ti,
                       duban_buf_t *scratch, duban_buf_t *direct, duban_buf_t *general)
{
    char eb[256];
    duban_task_assigned_t ta;
    if (duban_task_assigned_from_gwdoc(&ta, g, ti, "fuzz", scratch, eb, sizeof(eb)))
        return; /* refused, with a reason: fine */
    duban_buf_reset(scratch);
    if (duban_task_assigned_write_json(&ta, scratch, eb, sizeof(eb)))
        finding("sealed, but its JSON form fails", ta.task_id);
    json_t *ev = json_loadb((const char *)scratch->data, scratch->len, 0, NULL);
    if (!ev)
        finding("its JSON form does not parse", ta.task_id);
    duban_err_t a = duban_serde_encode_task_assigned(serde, NULL, &ta, direct, eb, sizeof(eb));
    duban_err_t b = duban_serde_encode_buf(serde, DUBAN_EV_TASK_ASSIGNED, NULL, ev, general, eb,
                                           sizeof(eb));
    if (a != b || (a == DUBAN_OK && (direct->len != general->len ||
                                     memcmp(direct->data, general->data, direct->len))))
        finding("struct and JSON encoders disagree", ta.task_id);
    json_decref(ev);
}

static duban_dept_dir_t *dir;
static duban_serde_t *serde;

/* LeakSanitizer would count the serde's avro-c allocations as leaks. */
static void free_serde(void)
{
    duban_serde_destroy(serde);
    serde = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char eb[256];
    if (!dir && duban_dept_dir_new(&dir, eb, sizeof(eb)) != DUBAN_OK)
        dir = NULL;
    if (!serde) {
        if (duban_serde_new(NULL, &serde, eb, sizeof(eb)) != DUBAN_OK)
            serde = NULL;
        else
            atexit(free_serde);
    }
    duban_text_t t;
    if (duban_text_load_mem("fuzz", (const char *)data, size, &t, eb, sizeof(eb)) != DUBAN_OK)
        return 0;
    duban_gwdoc_t g;
    if (duban_gwdoc_parse(&t, dir, &g, eb, sizeof(eb)) == DUBAN_OK && serde) {
        duban_buf_t scratch, direct, general;
        duban_buf_init(&scratch, 0);
        duban_buf_init(&direct, 0);
        duban_buf_init(&general, 0);
        for (size_t ti = 0; ti < g.ntasks; ti++)
            check_task(serde, &g, ti, &scratch, &direct, &general);
        duban_buf_free(&scratch);
        duban_buf_free(&direct);
        duban_buf_free(&general);
    }
    duban_gwdoc_free(&g);
    duban_text_free(&t);
    return 0;
}
