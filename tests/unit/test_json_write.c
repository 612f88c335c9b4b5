/* Compact JSON writer: the same bytes as json_dumps(JSON_COMPACT |
 * JSON_ENCODE_ANY), string escapes, invalid UTF-8 refused. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "check.h"
#include "json_write.h"

static void same_as_jansson(json_t *v)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    CHECK_INT(duban_json_write(&b, v), 0);
    duban_buf_append(&b, "", 1);
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    CHECK_STR((char *)b.data, want);
    free(want);
    duban_buf_free(&b);
    json_decref(v);
}

static void test_values(void)
{
    same_as_jansson(json_object());
    same_as_jansson(json_array());
    same_as_jansson(json_null());
    same_as_jansson(json_true());
    same_as_jansson(json_false());
    same_as_jansson(json_integer(0));
    same_as_jansson(json_integer(-9223372036854775807LL - 1));
    same_as_jansson(json_integer(9223372036854775807LL));
    same_as_jansson(json_integer(-1));
    same_as_jansson(json_integer(7));
    same_as_jansson(json_integer(10));
    same_as_jansson(json_integer(-1000000007));
    same_as_jansson(json_real(0.1));
    same_as_jansson(json_real(-3.0));
    same_as_jansson(json_real(1e-300));
    same_as_jansson(json_string(""));
    same_as_jansson(json_string("督办提醒 \"quoted\" back\\slash /slash\b\f\n\r\t\x01\x1f\x7f"));
    same_as_jansson(json_stringn("nul\0inside", 10));
    same_as_jansson(json_pack("{s:s, s:[i, {s:n}], s:{}, s:b}", "z", "last first",
                              "a", 1, "k", "o", "e", "t", 0));
    json_t *o = json_object();
    json_object_setn_new(o, "k\0ey", 4, json_string("v"));  /* a key with a NUL */
    json_object_set_new(o, "\xe4\xb8\xad\n", json_integer(7));
    same_as_jansson(o);
}

static void test_strings_and_depth(void)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_json_write_raw(&b, "[");
    CHECK_INT(duban_json_write_string(&b, "ok", 2), 0);
    /* invalid UTF-8 (a lone continuation byte, an overlong, a surrogate) is
     * refused and nothing of it is written */
    CHECK_INT(duban_json_write_string(&b, "a\x80", 2), DUBAN_E_ENCODING);
    CHECK_INT(duban_json_write_string(&b, "\xc0\xaf", 2), DUBAN_E_ENCODING);
    CHECK_INT(duban_json_write_string(&b, "\xed\xa0\x80", 3), DUBAN_E_ENCODING);
    CHECK_INT(duban_json_write_string(&b, "\xef\xbf\xbd", 3), 0);  /* U+FFFD itself */
    duban_json_write_raw(&b, "]");
    duban_buf_append(&b, "", 1);
    CHECK_STR((char *)b.data, "[\"ok\"\"\xef\xbf\xbd\"]");
    duban_buf_free(&b);

    /* nesting deeper than jansson allows is refused, not a stack overflow */
    json_t *root = json_array(), *cur = root;
    for (int i = 0; i < 3000; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    duban_buf_init(&b, 0);
    CHECK_INT(duban_json_write(&b, root), DUBAN_E_TOO_LARGE);
    duban_buf_free(&b);
    json_decref(root);

    /* the buffer's cap is reported */
    duban_buf_init(&b, 8);
    json_t *s = json_string("longer than eight bytes");
    CHECK_INT(duban_json_write(&b, s), DUBAN_E_TOO_LARGE);
    json_decref(s);
    duban_buf_free(&b);
}

/* Mixed pieces (ASCII, CJK, escapes, other UTF-8, invalid bytes) at every
 * length and alignment: the 16-byte paths give what jansson gives, and
 * duban_json_write_string_in, allowed to read past the string into bytes
 * that would need escaping or are invalid, the same as without. */
static void test_blocks(void)
{
    static const char *const pieces[] = {"a", "0123456789abcdef", "区", "〔2022〕", "\"",
                                         "\\", "\n", "\x01", "é", "😀", "\xed\xa0\x80",
                                         "\x80", "石大政发", "#二.(21).0"};
    const size_t np = sizeof(pieces) / sizeof(pieces[0]);
    unsigned seed = 1;
    for (int round = 0; round < 4000; round++) {
        char text[256];
        size_t len = 0;
        int count = round % 12;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % np];
            size_t n = strlen(p);
            memcpy(text + len, p, n);
            len += n;
        }
        char *padded = malloc(len + 32);   /* exactly: a read past it is caught */
        memcpy(padded, text, len);
        /* past the string: plain ASCII, CJK or a quote, none of it counts */
        static const char pads[] = {'x', '"', '\xe5'};
        memset(padded + len, pads[round % 3], 32);
        duban_buf_t a, b;
        duban_buf_init(&a, 0);
        duban_buf_init(&b, 0);
        duban_err_t ea = duban_json_write_string(&a, text, len);
        duban_err_t eb = duban_json_write_string_in(&b, padded, len, len + 32);
        CHECK_INT(eb, ea);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        json_t *v = json_stringn(text, len);   /* NULL when not UTF-8 */
        CHECK_INT(ea == DUBAN_OK, v != NULL);
        if (v && !ea) {
            char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            CHECK(strlen(want) == a.len && memcmp(want, a.data, a.len) == 0);
            free(want);
        }
        json_decref(v);
        duban_buf_free(&a);
        duban_buf_free(&b);
        free(padded);
    }
}

int main(void)
{
    test_values();
    test_strings_and_depth();
    test_blocks();
    return CHECK_DONE();
}
