/* tests/fuzz/fuzz_deadline.c: libFuzzer target over the deadline rules and
 * the department list functions (common/ingest/deadline.h, common/ingest/dept.h). Any
 * bytes, including invalid UTF-8 and truncated characters, must give a
 * result and never read past len. The first byte picks the issue date. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "deadline.h"
#include "dept.h"

static duban_dept_dir_t *dir;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir && duban_dept_dir_new(&dir, NULL, 0) != DUBAN_OK)
        return 0;
    /* a private copy of exactly size bytes: ASan catches any overread */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    duban_deadline_ctx_t ctx = {0, duban_date_from_ymd(2021, 1, 1) + (size ? data[0] * 3 : 0),
                                NULL, NULL};
    duban_deadline_t d;
    if (duban_deadline_extract(text, size, &ctx, &d, NULL, 0) == DUBAN_OK &&
        d.kind == DUBAN_DEADLINE_RECURRING) {
        int32_t at = ctx.issue_date;
        for (int i = 0; i < 30; i++) {
            int32_t nx = duban_recurrence_next_due(&d.recurrence, at);
            if (nx == DUBAN_DATE_NONE || nx <= at)
                abort();                 /* the walk must move forward */
            at = nx;
        }
    }
    duban_strlist_t p = DUBAN_STRLIST_INIT, c = DUBAN_STRLIST_INIT;
    duban_dept_split_units(text, size, &p);
    duban_dept_canonicalize(dir, &p, size & 1 ? "大武口区" : "市", &c);
    duban_strlist_free(&p);
    duban_strlist_free(&c);
    free(text);
    return 0;
}
