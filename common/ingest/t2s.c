/* common/t2s.c: the traditional -> simplified table (see t2s.h). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <jansson.h>
#include "embedded.h"
#include "t2s.h"
#include "utf8.h"

#define T2S_FIRST 0x4E00u
#define T2S_LAST 0x9FFFu

/* simplified - T2S_FIRST + 1 for each traditional character, 0 for none */
static uint16_t t2s_table[T2S_LAST - T2S_FIRST + 1];
static bool t2s_ok;
static pthread_once_t t2s_once = PTHREAD_ONCE_INIT;

static void t2s_build(void)
{
    const duban_embedded_file_t *f = duban_embedded_get("t2s.json");
    if (!f)
        return;
    json_error_t jerr;
    json_t *doc = json_loadb(f->data, f->len, 0, &jerr);
    const char *pairs = json_string_value(json_object_get(doc, "pairs"));
    size_t len = pairs ? strlen(pairs) : 0, n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t trad, simp;
        i += duban_utf8_decode(pairs + i, len - i, &trad);
        if (i >= len)
            break;
        i += duban_utf8_decode(pairs + i, len - i, &simp);
        if (trad < T2S_FIRST || trad > T2S_LAST || simp < T2S_FIRST || simp > T2S_LAST)
            continue;
        t2s_table[trad - T2S_FIRST] = (uint16_t)(simp - T2S_FIRST + 1);
        n++;
    }
    t2s_ok = n > 0;
    json_decref(doc);
}

uint32_t duban_t2s(uint32_t cp)
{
    pthread_once(&t2s_once, t2s_build);
    if (cp < T2S_FIRST || cp > T2S_LAST || !t2s_table[cp - T2S_FIRST])
        return 0;
    return t2s_table[cp - T2S_FIRST] - 1 + T2S_FIRST;
}

bool duban_t2s_ready(void)
{
    pthread_once(&t2s_once, t2s_build);
    return t2s_ok;
}

const uint16_t *duban_t2s_table(void)
{
    pthread_once(&t2s_once, t2s_build);
    return t2s_table;
}
