/* common/text.h: reading gazette text into normalised lines.
 * A file (UTF-8, or GB18030/GBK or UTF-16 with a byte order mark — a Word or
 * Notepad "Unicode" export — converted with iconv) becomes an array of
 * physical lines, each normalised once: full-width digits/letters -> ASCII,
 * Chinese punctuation -> full width （）：，；, markup removed (`**`, `#`
 * headings, `- ` bullets, HTML tags), spaces inside numbers and dates and
 * letter-spacing removed; a file printed in traditional characters is read
 * as simplified (t2s.h), its printed forms kept for duban_text_reprint.
 * Every line keeps its 1-based source line and the
 * byte offset of its start in the source file, so any output can point back.
 * A page printed at a fixed width (a PDF's column: every line of running
 * text filled to it) has its paragraphs joined again when it is read; a
 * joined line keeps its first source line, and pieces later cut out of it
 * the source line they start on. Joining lines that a PDF wrapped
 * mid-sentence elsewhere is a predicate over two lines
 * (duban_text_should_join) plus a paragraph builder that keeps a map from
 * paragraph bytes back to source lines.
 * Owns:   the file bytes and the normalised arena (freed by duban_text_free).
 * Never:  logs, exits, or keeps global state. Thread: any, per object. */
#ifndef DUBAN_TEXT_H
#define DUBAN_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "err.h"
#include "utf8.h"

#define DUBAN_TEXT_MAX_BYTES (256u * 1024 * 1024)

enum {
    DUBAN_LINE_BLANK = 1 << 0,     /* empty after normalisation */
    DUBAN_LINE_LEADSPACE = 1 << 1, /* began with whitespace (001: page start) */
    DUBAN_LINE_HEADING = 1 << 2,   /* markdown heading (# ...) */
    DUBAN_LINE_BULLET = 1 << 3,    /* markdown list item (- ...) */
    DUBAN_LINE_TAB = 1 << 4,       /* holds TAB-separated cells */
    DUBAN_LINE_ARTEFACT = 1 << 5,  /* page number / running header */
    DUBAN_LINE_PIPES = 1 << 6      /* printed with pipes: TAB cells "a | b |", or
                                      one cell "a |" (without TAB) */
};

typedef struct {
    const char *s;      /* normalised text, NUL-terminated, borrowed */
    uint32_t len;
    uint32_t lineno;    /* 1-based line in the source file */
    uint64_t offset;    /* byte offset of the line's first byte in the file */
    uint8_t flags;
    uint8_t heading;    /* markdown heading level, 0 if none */
} duban_line_t;

typedef enum { DUBAN_ENC_UTF8 = 0, DUBAN_ENC_GB18030, DUBAN_ENC_UTF16 } duban_encoding_t;

typedef struct {
    char file[256];          /* basename of the source */
    duban_encoding_t encoding;
    duban_line_t *lines;
    size_t nlines;
    char *arena;             /* normalised lines */
    size_t arena_len;
    size_t raw_len;          /* bytes of the source file */
    /* A file printed in traditional characters is read as simplified (the
     * lines hold the simplified forms, t2s.h); reprint maps each simplified
     * character back to the one the file printed (index cp - U+4E00, value
     * printed cp - U+4E00 + 1, 0 = as is). NULL for simplified files. */
    uint16_t *reprint;
    /* Where the source lines joined into one (a wrapped page's paragraph,
     * unwrap) begin in the arena, in arena order: duban_text_source_at
     * reads a byte's source line from them. */
    size_t nwraps;
    const char **wrap_at;
    uint32_t *wrap_lineno;
    uint64_t *wrap_offset;
} duban_text_t;

/* Reads and normalises `path`. Errors (DUBAN_E_IO, DUBAN_E_ENCODING,
 * DUBAN_E_TOO_LARGE, DUBAN_E_PARSE for empty/binary input) name the file
 * and, for bad bytes, the byte offset. On success *t must be freed with
 * duban_text_free(). */
duban_err_t duban_text_load_file(const char *path, duban_text_t *t,
                                 char *errbuf, size_t errbuf_size);
/* Same over bytes in memory; `name` is used as file name in errors. */
duban_err_t duban_text_load_mem(const char *name, const char *data, size_t len,
                                duban_text_t *t, char *errbuf, size_t errbuf_size);
void duban_text_free(duban_text_t *t);

/* Normalises one physical line (no '\n') into out, which must hold
 * 3*len+1 bytes. Returns the output length; *flags/ *heading as above. */
size_t duban_text_normalize_line(const char *in, size_t len, char *out,
                                 uint8_t *flags, uint8_t *heading);

/* Writes the characters of s (NUL-terminated, from this text's lines) back
 * as the file printed them: a no-op unless the file was traditional. The
 * length in bytes never changes. */
void duban_text_reprint(const duban_text_t *t, char *s);

/* Whether `next` continues the sentence of `prev` (a PDF wrap): prev does
 * not end a sentence/clause and next does not start an enumerated item, a
 * label, a heading, an attachment, a date, a document number or a table. */
bool duban_text_should_join(const duban_line_t *prev, const duban_line_t *next);

/* Where a run of text that holds several enumerated items splits: before
 * each marker (一、 （一） 1. ①) that follows a sentence or clause end
 * (。；）：！？), positions into cut[] (at most max); how many. The loader
 * splits long lines this way; the parser splits paragraphs joined from
 * wrapped lines. */
size_t duban_text_inline_cuts(const char *s, size_t len, size_t *cut, size_t max);

/* A paragraph: lines joined, with spaces between two CJK characters
 * dropped. pos[i] is the paragraph byte where line line_idx[i] begins. */
typedef struct {
    char *buf;
    size_t len, cap;
    size_t *pos, *line_idx;
    size_t nseg, segcap;
} duban_para_t;

void duban_para_init(duban_para_t *p);
void duban_para_free(duban_para_t *p);
void duban_para_reset(duban_para_t *p);
/* Room for `bytes` more text bytes (and the NUL) and `segs` more lines;
 * false when out of memory (p unchanged). */
bool duban_para_reserve(duban_para_t *p, size_t bytes, size_t segs);
/* Appends one line (index li of t). */
duban_err_t duban_para_add(duban_para_t *p, const duban_text_t *t, size_t li);
/* Appends line li from its byte `from` on (a cell after the line's first). */
duban_err_t duban_para_add_from(duban_para_t *p, const duban_text_t *t, size_t li, size_t from);
/* Appends a '\n' paragraph break. */
duban_err_t duban_para_add_break(duban_para_t *p);
/* Index (into t->lines) of the line holding paragraph byte `pos`. */
size_t duban_para_line_at(const duban_para_t *p, size_t pos);
/* How far into its line (duban_para_line_at's) byte pos of p is. */
size_t duban_para_pos_in_line(const duban_para_t *p, size_t pos);
/* The source line and its byte offset in the file of byte `pos` of line
 * `line_idx`: the line's own, or, when the reader joined wrapped source
 * lines into it, the one that byte was printed on. */
void duban_text_source_at(const duban_text_t *t, size_t line_idx, size_t pos, uint32_t *lineno,
                          uint64_t *offset);

bool duban_cp_is_cjk(uint32_t cp);

/* Four bytes as a little-endian word: one load where the machine is (the
 * scanners test a whole 3-byte UTF-8 character at once). */
static inline uint32_t duban_load_le32(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
#endif
}

/* memmem() for the short needles of the parser (UTF-8 words and marks).
 * Same result as memmem (the first occurrence; s for an empty needle).
 * With SSE2 (every x86-64): 16 positions at a time are tested for the
 * needle's first byte there AND its last byte m-1 further on, and only the
 * positions where both match are compared in full. On CJK text the pair
 * almost never matches by chance (a lead byte E4..E9 is shared by thousands
 * of characters, the last byte by few), so one inline pass replaces the
 * memchr() restarts, each a library call, that scanning for one byte takes.
 * Elsewhere: memchr() for the needle's last byte, then a compare. */
static inline const char *duban_find(const char *s, size_t len, const char *needle, size_t m)
{
    if (m == 0)
        return s;
    if (len < m)
        return NULL;
#if defined(__SSE2__)
    if (m >= 2) {
        const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[m - 1]);
        size_t i = 0;
        for (; i + (m - 1) + 16 <= len; i += 16) {
            __m128i a = _mm_cmpeq_epi8(first, _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
            __m128i b = _mm_cmpeq_epi8(
                last, _mm_loadu_si128((const __m128i *)(const void *)(s + i + m - 1)));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(a, b));
            while (mask) {
                size_t at = i + (size_t)__builtin_ctz(mask);
                if (memcmp(s + at + 1, needle + 1, m - 2) == 0)
                    return s + at;
                mask &= mask - 1;
            }
        }
        if (i + m > len)
            return NULL;
        if (len >= (m - 1) + 16) { /* the rest: one last block, overlapping */
            size_t j = len - (m - 1) - 16;
            __m128i a = _mm_cmpeq_epi8(first, _mm_loadu_si128((const __m128i *)(const void *)(s + j)));
            __m128i b = _mm_cmpeq_epi8(
                last, _mm_loadu_si128((const __m128i *)(const void *)(s + j + m - 1)));
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(a, b)) >> (i - j) << (i - j);
            while (mask) {
                size_t at = j + (size_t)__builtin_ctz(mask);
                if (memcmp(s + at + 1, needle + 1, m - 2) == 0)
                    return s + at;
                mask &= mask - 1;
            }
            return NULL;
        }
        for (; i + m <= len; i++)
            if (s[i] == needle[0] && s[i + m - 1] == needle[m - 1] &&
                memcmp(s + i + 1, needle + 1, m - 2) == 0)
                return s + i;
        return NULL;
    }
#endif
    const char *p = s + m - 1, *end = s + len;
    while ((p = memchr(p, (unsigned char)needle[m - 1], (size_t)(end - p))) != NULL) {
        if (memcmp(p - (m - 1), needle, m - 1) == 0)
            return p - (m - 1);
        p++;
    }
    return NULL;
}

#endif
