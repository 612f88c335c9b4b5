/* common/core/json_write.c: compact JSON writer over jansson values. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_write.h"
#include "utf8.h"

#define MAX_DEPTH 2048  /* jansson's JSON_PARSER_MAX_DEPTH */

/* The escape of byte c (< 0x20, '"' or '\\'), as json_dumps writes it. */
static size_t escape(unsigned char c, char out[8])
{
    static const char hex[] = "0123456789ABCDEF";
    out[0] = '\\';
    switch (c) {
    case '"': out[1] = '"'; return 2;
    case '\\': out[1] = '\\'; return 2;
    case '\b': out[1] = 'b'; return 2;
    case '\f': out[1] = 'f'; return 2;
    case '\n': out[1] = 'n'; return 2;
    case '\r': out[1] = 'r'; return 2;
    case '\t': out[1] = 't'; return 2;
    default:
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    }
}

/* Whether any of the 8 bytes in w is < 0x20, '"' or '\\' (SWAR: a byte is
 * flagged when subtracting from it borrows into its top bit). */
static bool word_needs_escape(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
    uint64_t hit = (w - ones * 0x20) | (q - ones) | (bs - ones);
    return (hit & ~w & high) != 0;
}

/* Appends n bytes with the room check inline. */
static inline void put_raw(duban_buf_t *b, const void *s, size_t n)
{
    if (b->cap - b->len >= n || duban_buf_reserve(b, n)) {
        memcpy(b->data + b->len, s, n);
        b->len += n;
    }
}

/* The length of the valid UTF-8 sequence at u[0..left) (u[0] >= 0x80), or
 * 0 when it is not one: what duban_utf8_valid accepts. */
static inline size_t utf8_seq(const unsigned char *u, size_t left)
{
    /* 3-byte sequences that cannot be overlong or a surrogate (lead E1..EC,
     * EE, EF): CJK text, the common case */
    if (left >= 3 && u[0] - 0xE1u <= 0x0Eu && u[0] != 0xED &&
        ((u[1] ^ 0x80u) | (u[2] ^ 0x80u)) < 0x40u)
        return 3;
    uint32_t cp;
    size_t n = duban_utf8_decode((const char *)u, left, &cp);
    return cp == 0xFFFD && !(n == 3 && u[0] == 0xEF) ? 0 : n;
}

/* One pass that checks UTF-8 and escapes: eight ASCII bytes that need no
 * escape are skipped at a time, runs are copied whole. */
duban_err_t duban_json_write_string(duban_buf_t *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = b->len, run = 0, i = 0;
    if (b->cap - b->len < len + 2)
        duban_buf_reserve(b, len + 2);
    put_raw(b, "\"", 1);
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (!(w & 0x8080808080808080ULL) && !word_needs_escape(w)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = u[i];
        if (c >= 0x80) {
            /* a run of CJK characters: 3-byte sequences that cannot be
             * overlong or a surrogate, checked without leaving the loop */
            while (len - i >= 3) {
                unsigned l = u[i], c1 = u[i + 1], c2 = u[i + 2];
                if (l - 0xE1u > 0x0Eu || l == 0xED || ((c1 ^ 0x80u) | (c2 ^ 0x80u)) >= 0x40u)
                    break;
                i += 3;
            }
            if (i < len && u[i] >= 0x80) {
                size_t n = utf8_seq(u + i, len - i);
                if (!n) {
                    b->len = start; /* nothing appended */
                    return DUBAN_E_ENCODING;
                }
                i += n;
            }
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        char esc[8];
        put_raw(b, s + run, i - run);
        put_raw(b, esc, escape(c, esc));
        run = ++i;
    }
    put_raw(b, s + run, len - run);
    put_raw(b, "\"", 1);
    return b->err;
}

static duban_err_t put_value(duban_buf_t *b, const json_t *v, int depth)
{
    char num[32];
    if (!v)
        return DUBAN_E_INVAL;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (depth >= MAX_DEPTH)
            return DUBAN_E_TOO_LARGE;
        duban_buf_append(b, "{", 1);
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                duban_buf_append(b, ",", 1);
            first = false;
            duban_json_write_string(b, json_object_iter_key(it), json_object_iter_key_len(it));
            duban_buf_append(b, ":", 1);
            duban_err_t err = put_value(b, json_object_iter_value(it), depth + 1);
            if (err)
                return err;
        }
        duban_buf_append(b, "}", 1);
        return b->err;
    }
    case JSON_ARRAY: {
        if (depth >= MAX_DEPTH)
            return DUBAN_E_TOO_LARGE;
        duban_buf_append(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                duban_buf_append(b, ",", 1);
            duban_err_t err = put_value(b, json_array_get(v, i), depth + 1);
            if (err)
                return err;
        }
        duban_buf_append(b, "]", 1);
        return b->err;
    }
    case JSON_STRING:
        return duban_json_write_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER: {
        /* decimal digits from the end, as "%" JSON_INTEGER_FORMAT writes
         * them (snprintf cost more than the rest of a small integer) */
        json_int_t x = json_integer_value(v);
        unsigned long long m = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        char *end = num + sizeof(num), *p = end;
        do {
            *--p = (char)('0' + m % 10);
            m /= 10;
        } while (m);
        if (x < 0)
            *--p = '-';
        duban_buf_append(b, p, (size_t)(end - p));
        return b->err;
    }
    case JSON_REAL: {
        /* jansson's own shortest-round-trip form with ".0"; rare in alerts */
        char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!text)
            return DUBAN_E_NOMEM;
        duban_json_write_raw(b, text);
        free(text);
        return b->err;
    }
    case JSON_TRUE:
        duban_json_write_raw(b, "true");
        return b->err;
    case JSON_FALSE:
        duban_json_write_raw(b, "false");
        return b->err;
    default:
        duban_json_write_raw(b, "null");
        return b->err;
    }
}

duban_err_t duban_json_write(duban_buf_t *b, const json_t *v)
{
    return put_value(b, v, 0);
}
