/* common/core/embedded.c: lookup in the table of compiled-in files. */
#include <string.h>
#include "embedded.h"

const duban_embedded_file_t *duban_embedded_get(const char *name)
{
    for (const duban_embedded_file_t *f = duban_embedded_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}
