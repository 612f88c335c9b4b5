/* tests/unit/check_json.h: fixtures of event JSON Lines for the unit tests
 * that need them (jansson; check.h stays free of it). */
#ifndef DUBAN_CHECK_JSON_H
#define DUBAN_CHECK_JSON_H
#include <jansson.h>
#include "check.h"

/* Every line of a source-tree file that parses, as a NEW array (empty and a
 * failed CHECK when the file is missing). */
static inline json_t *check_load_jsonl(const char *rel)
{
    json_error_t jerr;
    FILE *f = check_open_source(rel, "r");
    json_t *all = json_array();
    char line[16384];
    while (f && fgets(line, sizeof(line), f)) {
        json_t *ev = json_loads(line, 0, &jerr);
        if (ev)
            json_array_append_new(all, ev);
    }
    if (f)
        fclose(f);
    return all;
}

/* Appends to all every line that parses of what the shell command cmd
 * prints (stderr is the command's business); returns how many. */
static inline size_t check_load_cmd(json_t *all, const char *cmd)
{
    size_t before = json_array_size(all), cap = 0;
    char *line = NULL;
    FILE *p = popen(cmd, "r");
    while (p && getline(&line, &cap, p) > 0) {
        json_t *ev = json_loads(line, 0, NULL);
        if (ev)
            json_array_append_new(all, ev);
    }
    free(line);
    if (p)
        pclose(p);
    return json_array_size(all) - before;
}

#endif
