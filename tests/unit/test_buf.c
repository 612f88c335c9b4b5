/* tests/unit/test_buf.c: duban_buf_appendf: into an empty buffer, past the
 * room there is (formatted again after growing, never cut), and at the cap
 * (the sticky error, nothing appended). duban_buf_read_file: a file whole
 * (past the first chunk), an empty one, one exactly at the cap and one a
 * byte over it, a missing one; duban_buf_read_stream appends. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buf.h"
#include "check.h"

/* A temporary file holding n bytes of a pattern; its path in path. */
static void temp_file(char path[static 32], size_t n)
{
    strcpy(path, "/tmp/test_buf_XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    CHECK(f != NULL);
    for (size_t i = 0; f && i < n; i++)
        fputc('a' + (int)(i % 26), f);
    if (f)
        fclose(f);
}

static void read_file_cases(void)
{
    char path[32];
    duban_buf_t b;
    size_t n = 200000;   /* several 64 KiB chunks */
    temp_file(path, n);
    duban_buf_init(&b, 0);
    CHECK_INT(duban_buf_read_file(&b, path), DUBAN_OK);
    CHECK_INT(b.len, n);
    bool same = b.len == n;
    for (size_t i = 0; same && i < n; i++)
        same = b.data[i] == 'a' + i % 26;
    CHECK(same);
    duban_buf_free(&b);

    duban_buf_init(&b, n);   /* exactly at the cap: all of it */
    CHECK_INT(duban_buf_read_file(&b, path), DUBAN_OK);
    CHECK_INT(b.len, n);
    duban_buf_free(&b);

    duban_buf_init(&b, n - 1);   /* a byte over */
    CHECK_INT(duban_buf_read_file(&b, path), DUBAN_E_TOO_LARGE);
    CHECK_INT(b.len, n - 1);
    duban_buf_free(&b);

    duban_buf_init(&b, 0);   /* appends after what is there */
    duban_buf_append(&b, "head", 4);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    CHECK_INT(f ? duban_buf_read_stream(&b, f) : DUBAN_E_IO, DUBAN_OK);
    if (f)
        fclose(f);
    CHECK_INT(b.len, 4 + n);
    CHECK(memcmp(b.data, "headabc", 7) == 0);
    duban_buf_free(&b);
    unlink(path);

    temp_file(path, 0);
    duban_buf_init(&b, 0);
    CHECK_INT(duban_buf_read_file(&b, path), DUBAN_OK);
    CHECK_INT(b.len, 0);
    CHECK_STR(duban_buf_cstr(&b), "");
    duban_buf_free(&b);
    unlink(path);

    duban_buf_init(&b, 0);
    CHECK_INT(duban_buf_read_file(&b, path), DUBAN_E_IO);   /* gone */
    CHECK_INT(b.len, 0);
    duban_buf_free(&b);
}

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
    read_file_cases();
    return CHECK_DONE();
}
