/* tests/unit/test_buf.c: duban_buf_appendf: into an empty buffer, past the
 * room there is (formatted again after growing, never cut), and at the cap
 * (the sticky error, nothing appended). */
#include <string.h>
#include "buf.h"
#include "check.h"

int main(void)
{
    duban_buf_t b;
    duban_buf_init(&b, 4096);
    duban_buf_appendf(&b, "%s=%d;", "a", 1);
    CHECK_STR(duban_buf_cstr(&b), "a=1;");
    char wide[1001];
    memset(wide, 'x', 1000);
    wide[1000] = '\0';
    duban_buf_appendf(&b, "[%s]", wide);   /* more than the first 256 bytes of room */
    CHECK_INT(b.len, 4 + 1002);
    CHECK(b.data[4] == '[' && b.data[5 + 1000] == ']');
    duban_buf_appendf(&b, "%s%s%s%s", wide, wide, wide, wide);   /* past the 4096 cap */
    CHECK_INT(b.err, DUBAN_E_TOO_LARGE);
    CHECK_INT(b.len, 4 + 1002);
    duban_buf_appendf(&b, "more");
    CHECK_INT(b.len, 4 + 1002);
    duban_buf_free(&b);
    return CHECK_DONE();
}
