/* tests/schema_check.c: duban-schema-check, run by the build (not a test
 * only): the Avro field tables written in C must agree with the schemas/ .avsc files.
 *
 * Usage: duban-schema-check SCHEMA_DIR
 *
 * For each event type the alerter walks straight from Avro bytes
 * (TaskAssigned, TaskStatusChanged, DeadlineAlert), SCHEMA_DIR/<Name>.avsc
 * is read from disk and checked against the field table in
 * common/alert/task_event.c (names, order, types, logical types, enum
 * symbols, nested records: duban_task_event_layout_ok). Exit 0 when every
 * table agrees, 1 naming the ones that do not (the build then fails), 2 on
 * a usage or read error. tests/CMakeLists.txt runs it as part of the
 * default build target whenever a schema or the table changes (and
 * unit.schema_check shows it fails on a changed copy); the TaskAssigned writer order
 * (common/ingest/task_assigned.c) is compared byte for byte with the general
 * encoder by test_task_assigned. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event.h"
#include "task_event.h"

/* The file's text (NEW, NUL-terminated), or NULL. */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[4096];
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *p = realloc(text, cap);
            if (!p) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = p;
        }
        memcpy(text + len, chunk, n);
        len += n;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad || !text) {
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: duban-schema-check SCHEMA_DIR\n");
        return 2;
    }
    static const duban_event_type_t walked[] = {
        DUBAN_EV_TASK_ASSIGNED, DUBAN_EV_TASK_STATUS_CHANGED, DUBAN_EV_DEADLINE_ALERT};
    int disagree = 0;
    for (size_t i = 0; i < sizeof(walked) / sizeof(walked[0]); i++) {
        const char *file = duban_event_schema_file(walked[i]);
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", argv[1], file);
        char *text = read_file(path);
        if (!text) {
            fprintf(stderr, "duban-schema-check: cannot read %s\n", path);
            return 2;
        }
        if (!duban_task_event_layout_ok(walked[i], text)) {
            fprintf(stderr, "duban-schema-check: %s and the field table of %s in "
                    "common/alert/task_event.c disagree (names, order, types, enum "
                    "symbols or nested records): change both together\n", path,
                    duban_event_type_name(walked[i]));
            disagree++;
        }
        free(text);
    }
    return disagree ? 1 : 0;
}
