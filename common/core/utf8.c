/* common/core/utf8.c: UTF-8 decoding, validation and cutting (utf8.h). */
#include <string.h>
#include "utf8.h"

size_t duban_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

size_t duban_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    /* back up over continuation bytes to the start of the cut character */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

size_t duban_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0) { *cp = 0; return 0; }
    if (u[0] < 0x80) { *cp = u[0]; return 1; }
    size_t n;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) { n = 2; c = u[0] & 0x1F; min = 0x80; }
    else if ((u[0] & 0xF0) == 0xE0) { n = 3; c = u[0] & 0x0F; min = 0x800; }
    else if ((u[0] & 0xF8) == 0xF0) { n = 4; c = u[0] & 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    if (n > len) { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

bool duban_utf8_valid(const char *data, size_t len, size_t *bad_off)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t i = 0;
    while (i < len) {
        unsigned char c = u[i];
        if (c < 0x80) {
            i++;
            while (i + 8 <= len) { /* ASCII runs eight bytes at a time */
                uint64_t w;
                memcpy(&w, u + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            continue;
        }
        /* fast path: 3-byte sequences that cannot be overlong or a
         * surrogate (lead E1..EC, EE, EF), one after another */
        while (i + 2 < len) {
            unsigned l = u[i], c1 = u[i + 1], c2 = u[i + 2];
            if (l - 0xE1u > 0x0Eu || l == 0xED || ((c1 ^ 0x80u) | (c2 ^ 0x80u)) >= 0x40u)
                break;
            i += 3;
        }
        if (i >= len || u[i] < 0x80)
            continue;
        c = u[i];
        uint32_t cp;
        size_t n = duban_utf8_decode(data + i, len - i, &cp);
        if (cp == 0xFFFD && !(n == 3 && c == 0xEF)) {
            if (bad_off) *bad_off = i;
            return false;
        }
        i += n;
    }
    return true;
}

