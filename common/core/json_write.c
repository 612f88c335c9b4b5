/* common/core/json_write.c: compact JSON writer over jansson values. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
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

/* The first byte at or after i that is not printable ASCII needing no
 * escape (< 0x20, '"', '\\' or >= 0x80); a place at or past len when there
 * is none before len (bytes up to `readable` are tested a block at a
 * time: what lies past len only ends the scan, which never moves past
 * len).
 * 16 bytes at a time with
 * SSE2 (every x86-64 has it), else 8 with SWAR; the position within the
 * block comes from the mask, so text that switches between CJK and ASCII
 * every few bytes costs one block test per switch, not one per byte. */
static inline size_t plain_end(const unsigned char *u, size_t i, size_t len, size_t readable)
{
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'),
                  bslash = _mm_set1_epi8('\\');
    while (readable - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        /* signed: bytes >= 0x80 are negative, so "< 0x20" flags them too */
        __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                                _mm_cmpeq_epi8(v, bslash)));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m)
            return i + (size_t)__builtin_ctz(m);
        if (len - i <= 16)
            return len;   /* never past len: the scans below count from it */
        i += 16;
    }
#else
    (void)readable;
#endif
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if ((w & 0x8080808080808080ULL) || word_needs_escape(w))
            break;
        i += 8;
    }
    while (i < len && u[i] >= 0x20 && u[i] < 0x80 && u[i] != '"' && u[i] != '\\')
        i++;
    return i;
}

/* Whether u[0..12) (16 readable) is four 3-byte sequences with leads
 * E1..EC, EE or EF: the sequences utf8_seq's fast case accepts one by
 * one, tested together. */
static inline bool cjk4(const unsigned char *u)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)u);
    __m128i cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)),
                                  _mm_set1_epi8((char)0x80));
    __m128i lead = _mm_andnot_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED))),
        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xF0)),
                       _mm_set1_epi8((char)0xE0)));
    /* continuation bytes at 1,2 4,5 7,8 10,11; leads at 0 3 6 9 */
    return ((unsigned)_mm_movemask_epi8(cont) & 0x0DB6u) == 0x0DB6u &&
           ((unsigned)_mm_movemask_epi8(lead) & 0x0249u) == 0x0249u;
#else
    (void)u;
    return false;
#endif
}

/* One pass that checks UTF-8 and escapes; runs that need no escape are
 * copied whole. */
duban_err_t duban_json_write_string(duban_buf_t *b, const char *s, size_t len)
{
    return duban_json_write_string_in(b, s, len, len);
}

duban_err_t duban_json_write_string_in(duban_buf_t *b, const char *s, size_t len,
                                       size_t readable)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = b->len, run = 0, i = 0;
    if (b->cap - b->len < len + 2)
        duban_buf_reserve(b, len + 2);
    /* the opening quote is written with the first escape, or with the
     * whole string when it needs none (run stays 0 until an escape) */
    while ((i = plain_end(u, i, len, readable)) < len) {
        unsigned char c = u[i];
        if (c >= 0x80) {
            /* a run of CJK characters: 3-byte sequences that cannot be
             * overlong or a surrogate, checked without leaving the loop */
            while (len - i >= 12 && readable - i >= 16 && cjk4(u + i))
                i += 12;
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
        char esc[8];
        if (!run)
            put_raw(b, "\"", 1);
        put_raw(b, s + run, i - run);
        put_raw(b, esc, escape(c, esc));
        run = ++i;
    }
    if (!run) { /* nothing to escape, the common case: one copy */
        if (b->cap - b->len >= len + 2) {
            unsigned char *p = b->data + b->len;
            p[0] = '"';
            memcpy(p + 1, s, len);
            p[len + 1] = '"';
            b->len += len + 2;
            return b->err;
        }
        put_raw(b, "\"", 1);   /* no room: put_raw records the buffer's error */
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
