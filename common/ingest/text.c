/* common/text.c: reading gazettes: encoding checks and conversion, line
 * normalisation (width, markup, spaces in numbers) and paragraph joining.
 * One pass per line, one arena per file: nothing is allocated per char. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "alloc.h"
#include "cnnum.h"
#include "date.h"
#include "t2s.h"
#include "str.h"
#include "text.h"
#include "utf8.h"

bool duban_cp_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
           cp == 0x3007;
}

static bool cp_is_cjk_punct(uint32_t cp)
{
    return (cp >= 0x3000 && cp <= 0x303F && cp != 0x3007) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x2010 && cp <= 0x206F) ||
           cp == 0x00B7;
}

static bool cp_is_dash(uint32_t cp)
{
    return cp == '-' || cp == '~' || cp == 0x2014 || cp == 0x2013 ||
           cp == 0x2015 || cp == 0xFF5E || cp == 0x81F3 /* 至 */;
}

static size_t put_cp(char *o, uint32_t cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The code point that ends just before s+end (s+0 .. s+end). */
static uint32_t prev_cp(const char *s, size_t end, size_t *start)
{
    size_t i = end;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && end - i < 3)
        i--;
    if (i > 0)
        i--;
    uint32_t cp = 0;
    if (end > 0)
        duban_utf8_decode(s + i, end - i, &cp);
    if (start)
        *start = i;
    return cp;
}

/* ------------------------------------------------------------------ */
/* Line normalisation, pass 1: map characters, drop markup.             */

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000 || cp == 0xA0 || cp == '\f' || cp == '\v' ||
           (cp >= 0x2002 && cp <= 0x200A);
}

/* Full-width forms: ASCII digits/letters and most symbols to ASCII; the
 * Chinese punctuation of running text stays full width. */
static uint32_t map_width(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
        switch (cp) {
        case 0xFF08: case 0xFF09: case 0xFF1A: case 0xFF0C: case 0xFF1B:
        case 0xFF01: case 0xFF1F:
            return cp;
        default:
            return cp - 0xFEE0;
        }
    }
    return cp;
}

/* Half-width punctuation inside Chinese text -> full width, except in
 * numbers (1,000 / 09:30) and URLs (http://); square brackets next to
 * Chinese text or a number are the tortoise-shell brackets 〔〕. */
static uint32_t map_ascii_punct(const char *in, size_t i, size_t len, uint32_t cp,
                                uint32_t prev)
{
    unsigned char nx = i + 1 < len ? (unsigned char)in[i + 1] : 0;
    bool dprev = prev >= '0' && prev <= '9', dnext = nx >= '0' && nx <= '9';
    switch (cp) {
    case '(': return 0xFF08;
    case ')': return 0xFF09;
    case ';': return 0xFF1B;
    case ':': return (dprev && dnext) || nx == '/' ? cp : 0xFF1A;
    case ',': return dprev && dnext ? cp : 0xFF0C;
    case '[': /* 相关县[市、区]政府, 晋政发[2008]8号, [省司法厅等按职责分工负责]: 〔〕 */
        return prev >= 0x80 || nx >= 0x80 || dnext ? 0x3014 : cp;
    case ']':
        return prev >= 0x80 || nx >= 0x80 || dprev ? 0x3015 : cp;
    default: return cp;
    }
}

/* "(fā)" at in[i], a pinyin reading some mirror sites print after a
 * character (關(guān)于, 發(fā)展改革委): its length, 0 when in[i] opens anything
 * else. One syllable: 1-6 lowercase letters, at least one a tone-marked
 * vowel (ā á ǎ à … ü), then ")". */
static size_t pinyin_len(const char *in, size_t i, size_t len)
{
    bool wide = in[i] != '('; /* （fā）: the same reading in full-width brackets */
    size_t k = i + (wide ? 3 : 1), letters = 0;
    bool tone = false;
    while (k < len && letters < 7) {
        unsigned char c = (unsigned char)in[k];
        if (c >= 'a' && c <= 'z') {
            k++;
        } else if ((c == 0xC3 || c == 0xC4 || c == 0xC5 || c == 0xC7) && k + 1 < len) {
            uint32_t cp = ((uint32_t)(c & 0x1F) << 6) | ((unsigned char)in[k + 1] & 0x3F);
            /* à á è é ì í ò ó ù ú ü, ā ē ě ī ō ū, ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ */
            if (!((cp >= 0xE0 && cp <= 0xFC) || (cp >= 0x100 && cp <= 0x16B) ||
                  (cp >= 0x1CE && cp <= 0x1DC)))
                return 0;
            tone = true;
            k += 2;
        } else {
            break;
        }
        letters++;
    }
    if (!tone || letters < 1 || letters > 6)
        return 0;
    if (k < len && in[k] == ')')
        return k + 1 - i;
    return wide && k + 3 <= len && memcmp(in + k, "）", 3) == 0 ? k + 3 - i : 0;
}

/* Length of an HTML tag or entity at in[i] to drop, 0 if none. *emit gets
 * the replacement code point (0 for none). */
static size_t markup_len(const char *in, size_t i, size_t len, uint32_t *emit)
{
    *emit = 0;
    if (in[i] == '<' && i + 1 < len &&
        (in[i + 1] == '/' || in[i + 1] == '!' ||
         (in[i + 1] >= 'a' && in[i + 1] <= 'z') || (in[i + 1] >= 'A' && in[i + 1] <= 'Z'))) {
        size_t nm = i + 1 + (in[i + 1] == '/' || in[i + 1] == '!');
        while (nm < len && ((in[nm] >= 'a' && in[nm] <= 'z') || (in[nm] >= 'A' && in[nm] <= 'Z') ||
                            (in[nm] >= '0' && in[nm] <= '9')))
            nm++;
        if (nm < len && in[nm] != ' ' && in[nm] != '>' && in[nm] != '/')
            return 0;
        for (size_t j = i + 1; j < len && j - i < 256; j++) {
            if ((unsigned char)in[j] >= 0x80)
                return 0;
            if (in[j] == '>')
                return j - i + 1;
        }
        return 0;
    }
    if (in[i] == '&') {
        static const struct { const char *ent; uint32_t cp; } ents[] = {
            {"&nbsp;", ' '}, {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}};
        for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
            size_t n = strlen(ents[k].ent);
            if (len - i >= n && memcmp(in + i, ents[k].ent, n) == 0) {
                *emit = ents[k].cp;
                return n;
            }
        }
    }
    if (in[i] == '$')
        return 1;
    if (in[i] == '\\' && i + 1 < len) {
        static const struct { const char *cmd; uint32_t cp; } cmds[] = {
            {"\\geq", 0x2265}, {"\\leq", 0x2264}, {"\\times", 0xD7}, {"\\%", '%'},
            {"\\ge", 0x2265}, {"\\le", 0x2264}};
        for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++) {
            size_t n = strlen(cmds[k].cmd);
            if (len - i >= n && memcmp(in + i, cmds[k].cmd, n) == 0) {
                *emit = cmds[k].cp;
                return n;
            }
        }
    }
    if (in[i] == '*' && i + 1 < len && in[i + 1] == '*') {
        size_t j = i;
        while (j < len && in[j] == '*')
            j++;
        return j - i;
    }
    return 0;
}

/* A web page's note that the text goes on from the page before ("[接上页]
 * 第五条 …", "（续上页）"): its length at in[i], 0 when none. */
static size_t continued_note(const char *in, size_t i, size_t len)
{
    static const char *const open[] = {"[", "【", "（", "(", "〔", "［", NULL};
    static const char *const close[] = {"]", "】", "）", ")", "〕", "］", NULL};
    static const char *const words[] = {"接上页", "续上页", "接上頁", "續上頁", NULL};
    unsigned char first = i < len ? (unsigned char)in[i] : 0;
    if (first != '[' && first != '(' && first != 0xE3 && first != 0xEF)
        return 0; /* most lines: no bracket first */
    for (size_t b = 0; open[b]; b++) {
        size_t ob = strlen(open[b]), j = i + ob;
        if (len - i < ob || memcmp(in + i, open[b], ob) != 0)
            continue;
        for (size_t w = 0; words[w]; w++) {
            size_t wl = strlen(words[w]);
            if (len - j < wl || memcmp(in + j, words[w], wl) != 0)
                continue;
            for (size_t c = 0; close[c]; c++) {
                size_t cl = strlen(close[c]);
                if (len - j - wl >= cl && memcmp(in + j + wl, close[c], cl) == 0)
                    return ob + wl + cl;
            }
        }
    }
    return 0;
}

/* Leading whitespace, markdown heading and bullet, a page's continuation
 * note; returns the new start. */
static size_t strip_lead(const char *in, size_t len, uint8_t *flags, uint8_t *heading)
{
    size_t i = 0;
    /* "??一、…": a copy that turned the ideographic spaces of an indent into
     * question marks (a non-Unicode step on the way): two or four, one per
     * ideographic space, before a Han character, a mark or a digit ("??1.")
     * are that indent (one alone may be a lost bullet, and is left) */
    size_t q = 0;
    while (q < len && q < 5 && in[q] == '?')
        q++;
    if ((q == 2 || q == 4) && q < len &&
        ((unsigned char)in[q] >= 0xE0 || (in[q] >= '0' && in[q] <= '9')))
        i = q;
    for (;;) {
        uint32_t cp;
        size_t n = duban_utf8_decode(in + i, len - i, &cp);
        if (n == 0 || !is_space_cp(cp))
            break;
        *flags |= DUBAN_LINE_LEADSPACE;
        i += n;
    }
    size_t h = 0;
    while (i + h < len && in[i + h] == '#' && h < 7)
        h++;
    if (h >= 1 && h <= 6 && (i + h == len || in[i + h] == ' ')) {
        *heading = (uint8_t)h;
        *flags |= DUBAN_LINE_HEADING;
        i += h;
        while (i < len && in[i] == ' ')
            i++;
    }
    if (i + 1 < len && (in[i] == '-' || in[i] == '*' || in[i] == '+') && in[i + 1] == ' ' &&
        !(i + 2 < len && in[i + 2] >= '0' && in[i + 2] <= '9' && in[len - 1] == '-')) {
        *flags |= DUBAN_LINE_BULLET;
        i += 2;
        while (i < len && in[i] == ' ')
            i++;
    }
    size_t note = continued_note(in, i, len);
    if (note) {
        i += note;
        while (i < len && in[i] == ' ')
            i++;
    }
    return i;
}

static bool starts_cn_num(const char *s, size_t len, size_t *n);

/* An item's marker in lenticular brackets at in[i] (【一】, 【十二】, 【3】), as
 * some web releases print （一）: its length, 0 when none. */
static size_t lenticular_marker(const char *in, size_t i, size_t len)
{
    if (len - i < 9 || memcmp(in + i, "【", 3) != 0)
        return 0;
    size_t j = i + 3, n = 0;
    if (starts_cn_num(in + j, len - j, &n) && n <= 9)
        j += n;
    else
        while (j < len && j - i - 3 < 2 && in[j] >= '0' && in[j] <= '9')
            j++;
    if (j == i + 3 || len - j < 3 || memcmp(in + j, "】", 3) != 0)
        return 0;
    return j + 3 - i;
}

/* ASCII that pass_map copies as is: printable, not the start of markup
 * ($ & * < \\) and not half-width punctuation it widens ( ) , : ; [ ] */
static inline bool ascii_as_is(unsigned char c)
{
    static const uint64_t lo = 0xe3ffe8ae00000000ull, hi = 0x7fffffffc7ffffffull;
    return c < 64 ? (lo >> c) & 1 : (hi >> (c - 64)) & 1;
}

/* A 3-byte code point that pass_map copies as is: CJK and CJK punctuation
 * (U+2010..U+FDFF but the ideographic space) and the full-width
 * punctuation of running text that map_width keeps (！（），：；？). */
static inline bool cjk_as_is(uint32_t cp)
{
    return ((cp - 0x2010u) < (0xFE00u - 0x2010u) && cp != 0x3000) ||
           ((cp - 0xFF00u) < 0x20u && ((0x8C001302u >> (cp - 0xFF00u)) & 1));
}

static inline uint32_t cp3(const unsigned char *u)
{
    return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
           (uint32_t)(u[2] & 0x3F);
}

/* Bytes from i that pass_map would copy one by one unchanged: all of them
 * valid UTF-8. */
static size_t as_is_run(const unsigned char *u, size_t i, size_t len)
{
    while (i < len) {
        /* U+4000..U+EFFF but the surrogates, the bulk of the text: one
         * 4-byte load and three tests per character (the last character
         * of the line takes the general step below) */
        while (i + 4 <= len) {
            uint32_t v = duban_load_le32(u + i);
            if ((v & 0xC0C0F0u) != 0x8080E0u || (v & 0x0Fu) - 4u > 10u ||
                (v & 0xE0FFu) == 0xA0EDu)
                break;
            i += 3;
        }
        if (i >= len)
            break;
        unsigned c = u[i];
        if (c >= 0xE0) {
            if (c >= 0xF0 || i + 2 >= len)
                break;
            unsigned c1 = u[i + 1], c2 = u[i + 2];
            if (((c1 ^ 0x80u) | (c2 ^ 0x80u)) >= 0x40u) /* not two continuations */
                break;
            /* lead E4..EE is U+4000..U+EFFF: as is without decoding; the
             * surrogates (ED A0..BF, not UTF-8) go the slow way */
            if (c - 0xE4u > 0x0Au) {
                uint32_t cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
                if (!cjk_as_is(cp) ||
                    (cp == 0xFF08 && i + 3 < len && u[i + 3] >= 'a' && u[i + 3] <= 'z'))
                    break; /* （fā）: maybe a reading, pass_map looks */
            } else if (c == 0xED && c1 >= 0xA0) {
                break;
            }
            i += 3;
        } else if (c < 0x80 && ascii_as_is((unsigned char)c)) {
            i++;
        } else {
            break;
        }
    }
    return i;
}

/* Maps in to out; *bad is set when in is not valid UTF-8 (the check of
 * duban_text_utf8_valid, folded into the same pass: the runs and the
 * markup are valid, the other characters are checked one by one). */
static size_t pass_map(const char *in, size_t len, char *out, uint8_t *flags, uint8_t *heading,
                       bool *bad)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t i = strip_lead(in, len, flags, heading), w = 0;
    uint32_t last = 0;
    size_t lm = lenticular_marker(in, i, len);
    if (lm) { /* 【一】 / 【1】 at a line's start: the item marker （一） / （1） */
        memcpy(out, "（", 3);
        memcpy(out + 3, in + i + 3, lm - 6);
        memcpy(out + lm - 3, "）", 3);
        w = lm;
        i += lm;
        last = 0xFF09;
    }
    while (i < len) {
        size_t r = as_is_run(u, i, len);
        if (r > i) { /* one copy for the run; `last` is its last character */
            memcpy(out + w, in + i, r - i);
            w += r - i;
            last = u[r - 1] < 0x80 ? u[r - 1] : cp3(u + r - 3);
            i = r;
            if (i >= len)
                break;
        }
        unsigned char b = (unsigned char)in[i];
        uint32_t cp, emit;
        size_t py = (b == '(' || (i + 3 <= len && memcmp(in + i, "（", 3) == 0)) && last >= 0x4E00 &&
                            last <= 0x9FFF
                        ? pinyin_len(in, i, len)
                        : 0;
        if (py) { /* 發(fā)展: a mirror site's reading of the character before */
            i += py;
            continue;
        }
        size_t m = (b == '<' || b == '&' || b == '$' || b == '\\' || b == '*')
                       ? markup_len(in, i, len, &emit) : 0;
        if (m) {
            i += m;
            if (!emit)
                continue;
            cp = emit;
        } else if ((b & 0xF0) == 0xE0 && i + 2 < len && ((unsigned char)in[i + 1] & 0xC0) == 0x80 &&
                   ((unsigned char)in[i + 2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(in[i + 1] & 0x3F) << 6) |
                 (uint32_t)(in[i + 2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
                *bad = true; /* overlong, surrogate */
            if ((cp >= 0x4E00 && cp <= 0x9FFF) ||
                (cp > 0x3000 && cp < 0xFF00 && !(cp >= 0xFE00 && cp <= 0xFEFF)) ||
                (cp >= 0x2010 && cp <= 0x2FFF)) { /* CJK, CJK punctuation: as is */
                out[w] = in[i];
                out[w + 1] = in[i + 1];
                out[w + 2] = in[i + 2];
                w += 3;
                i += 3;
                last = cp;
                continue;
            }
            i += 3;
        } else {
            size_t n = duban_utf8_decode(in + i, len - i, &cp);
            if (cp == 0xFFFD && n == 1)
                *bad = true;
            i += n;
        }
        if (cp == 0xFEFF || cp == 0x200B || cp == '\r')
            continue;
        if (cp == '\t') {
            while (w > 0 && out[w - 1] == ' ')
                w--;
            out[w++] = '\t';
            *flags |= DUBAN_LINE_TAB;
            last = cp;
            continue;
        }
        if (is_space_cp(cp) || cp < 0x20 || cp == 0x7F) {
            if (w > 0 && out[w - 1] != ' ' && out[w - 1] != '\t')
                out[w++] = ' ';
            last = ' ';
            continue;
        }
        cp = map_width(cp);
        if (cp < 0x80)
            cp = map_ascii_punct(in, i - 1, len, cp, last);
        w += put_cp(out + w, cp);
        last = cp;
    }
    while (w > 0 && out[w - 1] == ' ')
        w--;
    return w;
}

/* ------------------------------------------------------------------ */
/* Pass 2: drop spaces that PDF extraction put inside numbers, dates,   */
/* doc numbers and letter-spaced words.                                 */

static bool cp_is_digit(uint32_t cp) { return cp >= '0' && cp <= '9'; }

static bool seg_edge(uint32_t cp)
{
    return cp == 0 || cp == ' ' || cp == '\t' || cp_is_cjk_punct(cp);
}

static bool drop_space(const char *o, size_t w, const char *in, size_t r, size_t len)
{
    size_t ps;
    uint32_t p = prev_cp(o, w, &ps), n = 0, n2 = 0;
    size_t nl = duban_utf8_decode(in + r, len - r, &n);
    size_t k = r + nl;
    while (k < len && in[k] == ' ')
        k++;
    if (k < len)
        duban_utf8_decode(in + k, len - k, &n2);
    if (p == 0 || n == 0 || p == '\t' || n == '\t')
        return false;
    if (cp_is_cjk_punct(p) || cp_is_cjk_punct(n))
        return true;
    if ((cp_is_digit(p) && n >= 0x80 && !cp_is_dash(n)) ||
        (p >= 0x80 && !cp_is_dash(p) && cp_is_digit(n)))
        return true;
    if (cp_is_digit(p) && cp_is_dash(n) && cp_is_digit(n2))
        return true;
    if (cp_is_dash(p) && cp_is_digit(n)) {
        uint32_t pp = prev_cp(o, ps, NULL);
        if (cp_is_digit(pp) || pp == ' ')
            return true;
    }
    if (duban_cp_is_cjk(p) && duban_cp_is_cjk(n)) {
        uint32_t pp = prev_cp(o, ps, NULL), na = 0;
        if (r + nl < len)
            duban_utf8_decode(in + r + nl, len - r - nl, &na);
        if (seg_edge(pp) || seg_edge(na))
            return true;
    }
    return false;
}

static size_t pass_spaces(char *buf, size_t len)
{
    const char *sp = memchr(buf, ' ', len);
    if (!sp)
        return len;
    size_t w = (size_t)(sp - buf), r = w;
    while (r < len) { /* buf[r] is a space; the text up to the next one moves whole */
        if (!drop_space(buf, w, buf, r + 1, len))
            buf[w++] = ' ';
        r++;
        sp = memchr(buf + r, ' ', len - r);
        size_t e = sp ? (size_t)(sp - buf) : len;
        memmove(buf + w, buf + r, e - r);
        w += e - r;
        r = e;
    }
    return w;
}

static bool has_gazette_mark(const char *s, size_t len)
{
    return duban_find(s, len, "公报》", 9) != NULL;
}

static bool is_artefact(const char *s, size_t len)
{
    /* "- 33 -" page numbers */
    if (len >= 3 && s[0] == '-' && s[len - 1] == '-') {
        size_t d = 0;
        for (size_t i = 1; i + 1 < len; i++) {
            if (s[i] >= '0' && s[i] <= '9') d++;
            else if (s[i] != ' ') return false;
        }
        return d > 0 && d <= 4;
    }
    /* running header: 《…公报》 with no sentence punctuation */
    if (len < 160 && len > 9 && has_gazette_mark(s, len) &&
        !duban_find(s, len, "。", 3) && !duban_find(s, len, "，", 3))
        return true;
    return false;
}

/* A table row a web page printed with pipes, "1 | 新建… | 教育局 |": its
 * cells become TAB-separated (the row keeps its empty cells, "||"; the
 * pipes at its ends go). A line of pipes alone is left as it is: the
 * parser reads it as a cell separator. */
static size_t pass_pipes(char *buf, size_t len, uint8_t *flags)
{
    if (!memchr(buf, '|', len)) /* most lines: nothing to do, no count */
        return len;
    size_t pipes = 0, han = 0;
    for (size_t i = 0; i < len; i++) {
        pipes += buf[i] == '|';
        han += (unsigned char)buf[i] >= 0xE4 && (unsigned char)buf[i] <= 0xE9;
    }
    size_t e = len;
    while (e > 0 && buf[e - 1] == ' ')
        e--;
    size_t digits = 0; /* "1 |": a 序号 cell closed by its pipe */
    while (digits < len && buf[digits] >= '0' && buf[digits] <= '9')
        digits++;
    size_t rest = digits; /* the line is not terminated yet: no strspn */
    while (rest < e && (buf[rest] == ' ' || buf[rest] == '|'))
        rest++;
    bool number_cell = digits > 0 && digits <= 3 && e >= digits + 1 && rest == e;
    if ((han > 0 || number_cell) && pipes == 1 && e > 0 && buf[e - 1] == '|') {
        /* one cell closed by its pipe ("序号 |", "一、以公开助力… |"): the
         * cell, flagged, not a row of its own */
        e--;
        while (e > 0 && buf[e - 1] == ' ')
            e--;
        *flags |= DUBAN_LINE_PIPES;
        return e;
    }
    if (pipes < 2 || han == 0)
        return len;
    size_t a = 0, b = len;
    while (a < b && (buf[a] == '|' || buf[a] == ' '))
        a++;
    while (b > a && buf[b - 1] == ' ')
        b--;
    if (b > a && buf[b - 1] == '|') /* one closing pipe; "||" keeps its empty cell */
        b--;
    size_t w = 0;
    for (size_t i = a; i < b; i++) {
        if (buf[i] == '|') {
            while (w > 0 && buf[w - 1] == ' ')
                w--;
            buf[w++] = '\t';
            while (i + 1 < b && buf[i + 1] == ' ')
                i++;
            continue;
        }
        buf[w++] = buf[i];
    }
    *flags |= DUBAN_LINE_TAB | DUBAN_LINE_PIPES;
    return w;
}

/* Pass 1b: the full stop and comma that PDFs set in some Chinese fonts
 * (方正) come out of text extraction as Yi syllables: ꎬ (U+A3AC) for ，
 * and ꎮ (U+A3AE) for 。. Same length in UTF-8, replaced in place. */
static void pass_pdf_punct(char *buf, size_t len)
{
    for (char *p = memchr(buf, 0xEA, len); p && p + 2 < buf + len;
         p = memchr(p + 1, 0xEA, (size_t)(buf + len - p - 1))) {
        if ((unsigned char)p[1] != 0x8E)
            continue;
        if ((unsigned char)p[2] == 0xAC)
            memcpy(p, "，", 3);
        else if ((unsigned char)p[2] == 0xAE)
            memcpy(p, "。", 3);
    }
}

enum { HAS_SPACE = 1, HAS_PIPE = 2, HAS_EA = 4 };

/* Which of the bytes the later passes work on the line holds: a space, a
 * pipe, an EA lead byte (ꎬ ꎮ); most lines hold none of the last two, and
 * one scan replaces a memchr() per pass. */
static unsigned pass_bytes(const char *s, size_t len)
{
    unsigned has = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(' '), pi = _mm_set1_epi8('|'), ea = _mm_set1_epi8((char)0xEA);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        has |= _mm_movemask_epi8(_mm_cmpeq_epi8(v, sp)) ? HAS_SPACE : 0u;
        has |= _mm_movemask_epi8(_mm_cmpeq_epi8(v, pi)) ? HAS_PIPE : 0u;
        has |= _mm_movemask_epi8(_mm_cmpeq_epi8(v, ea)) ? HAS_EA : 0u;
    }
#endif
    for (; i < len; i++)
        has |= s[i] == ' ' ? HAS_SPACE : s[i] == '|' ? HAS_PIPE : (unsigned char)s[i] == 0xEA ? HAS_EA : 0u;
    return has;
}

/* A table row as pdftotext -layout prints it: cells separated by runs of
 * two or more ASCII spaces ("1    重特大生产安全事故起数    0    市安委会
 * 各成员单位"), three cells or more. Not a letter-spaced line ("索  引  号",
 * "名 称": two cells of one Han character side by side), nor a page's
 * line of labels ("来源:本网  时间:…  浏览:-"). Writes the row
 * with one TAB per run into buf and returns its length; 0 when the line is
 * not one (or longer than buf). An ideographic space is running text's
 * letter-spacing and never counts. */
static size_t space_run_cells(const char *in, size_t len, char *buf, size_t cap)
{
    size_t a = 0, e = len;
    while (a < len && in[a] == ' ')
        a++;
    while (e > a && (in[e - 1] == ' ' || in[e - 1] == '\r'))
        e--;
    if (e - a + 1 > cap || memchr(in + a, '\t', e - a) || memchr(in + a, '|', e - a))
        return 0;
    size_t w = 0, cells = 0, chars = 0, labelled = 0;
    bool han = false, prev_single_han = false, colon = false;
    for (size_t i = a; i <= e;) {
        bool end = i == e;
        if (end || (in[i] == ' ' && i + 1 < e && in[i + 1] == ' ')) {
            bool single_han = chars == 1 && han;
            if (single_han && prev_single_han)
                return 0; /* 索  引  号 */
            prev_single_han = single_han;
            cells++;
            labelled += colon;
            chars = 0;
            han = colon = false;
            if (end)
                break;
            while (i < e && in[i] == ' ')
                i++;
            buf[w++] = '\t';
            continue;
        }
        unsigned char c = (unsigned char)in[i];
        if ((c & 0xC0) != 0x80 && c != ' ') {
            chars++;
            han = c >= 0xE4 && c <= 0xE9;
        }
        colon |= c == ':' || (i + 3 <= e && memcmp(in + i, "：", 3) == 0);
        buf[w++] = in[i++];
    }
    /* "来源:本网  时间:2021-01-11 16:23:55  浏览:-": a page's labels, no row */
    return cells >= 3 && labelled < 2 ? w : 0;
}

/* A heading whose enumeration comma a PDF's text layer lost, a space left
 * for it: "一 总体要求", "三  落实责任" (a Chinese numeral of 1..20, spaces,
 * then a short title with no comma or full stop, not a number or a date
 * "二 〇二三年"). The space run's offsets [*a, *b), false when the line is
 * none. The reader would drop the space (CJK on both sides) and the marker
 * with it; it becomes 、. */
static bool numeral_space_heading(const char *in, size_t len, size_t *a, size_t *b)
{
    size_t i = 0, n;
    while (i < len && in[i] == ' ')
        i++;
    if (!starts_cn_num(in + i, len - i, &n) || n > 6 || duban_cn_number(in + i, len - i, &n) > 20)
        return false;
    size_t j = i + n, k = j;
    while (k < len && in[k] == ' ')
        k++;
    size_t m;
    if (k == j || k + 3 > len || (unsigned char)in[k] < 0xE4 || (unsigned char)in[k] > 0xE9 ||
        starts_cn_num(in + k, len - k, &m) || duban_cn_digit(in + k, len - k) >= 0 ||
        len - k > 3 * 30)
        return false;
    static const char *const marks[] = {"，", "。", "；", ",", ".", NULL};
    for (size_t q = 0; marks[q]; q++)
        if (duban_find(in + k, len - k, marks[q], strlen(marks[q])))
            return false;
    *a = j;
    *b = k;
    return true;
}

static size_t normalize(const char *in, size_t len, char *out, uint8_t *flags, uint8_t *heading,
                        bool *bad)
{
    *flags = 0;
    *heading = 0;
    char head[3 * 40];
    size_t sa, sb;
    if (len < sizeof(head) - 3 && numeral_space_heading(in, len, &sa, &sb)) {
        memcpy(head, in, sa); /* "一 总体要求" -> "一、总体要求" */
        memcpy(head + sa, "、", 3);
        memcpy(head + sa + 3, in + sb, len - sb);
        len = sa + 3 + len - sb;
        in = head;
    }
    char row[1024];
    size_t rn = len >= 12 && duban_find(in, len, "  ", 2) ? space_run_cells(in, len, row, sizeof(row)) : 0;
    size_t w = rn ? pass_map(row, rn, out, flags, heading, bad)
                  : pass_map(in, len, out, flags, heading, bad);
    unsigned has = pass_bytes(out, w); /* the passes below make none of them */
    if (has & HAS_EA)
        pass_pdf_punct(out, w);
    if (has & HAS_SPACE)
        w = pass_spaces(out, w);
    if (has & HAS_PIPE)
        w = pass_pipes(out, w, flags);
    out[w] = '\0';
    if (w == 0)
        *flags |= DUBAN_LINE_BLANK;
    else if (is_artefact(out, w))
        *flags |= DUBAN_LINE_ARTEFACT;
    return w;
}

size_t duban_text_normalize_line(const char *in, size_t len, char *out,
                                 uint8_t *flags, uint8_t *heading)
{
    bool bad = false;
    return normalize(in, len, out, flags, heading, &bad);
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */

static void set_name(duban_text_t *t, const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = strlen(b);
    if (n >= sizeof(t->file))
        n = sizeof(t->file) - 1;
    memcpy(t->file, b, n);
    t->file[n] = '\0';
}

/* NUL or other binary control bytes mean this is no text file. */
static bool find_binary(const char *d, size_t len, size_t *off)
{
    const void *z = memchr(d, 0, len);
    if (z) {
        *off = (size_t)((const char *)z - d);
        return true;
    }
    return false;
}

/* The invalid UTF-8 looks like GBK/GB18030 double bytes when it fails
 * early (before any valid multi-byte UTF-8 character). */
static bool looks_gb(const char *d, size_t len, size_t bad)
{
    size_t mb = 0;
    for (size_t i = 0; i < bad;) {
        if ((unsigned char)d[i] < 0x80) { i++; continue; }
        uint32_t cp;
        i += duban_utf8_decode(d + i, bad - i, &cp);
        mb++;
    }
    return mb < 2;
}

static duban_err_t gb_to_utf8(const char *in, size_t len, char **out, size_t *out_len,
                              size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return DUBAN_E_ENCODING;
    size_t cap = len * 2 + 4;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return DUBAN_E_NOMEM;
    }
    char *ip = (char *)in, *op = buf;
    size_t il = len, ol = cap;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (rc == (size_t)-1 || il != 0) {
        *bad = (size_t)(ip - in);
        free(buf);
        return DUBAN_E_ENCODING;
    }
    *out = buf;
    *out_len = (size_t)(op - buf);
    return DUBAN_OK;
}

/* Line offsets in the source: for converted input we convert line by line
 * so each line keeps the byte offset of its GB18030 original. */
static duban_err_t count_lines(const char *d, size_t len, size_t *n)
{
    size_t c = 1;
    for (const char *p = d; (p = memchr(p, '\n', (size_t)(d + len - p))); p++)
        c++;
    *n = c;
    return DUBAN_OK;
}

/* *bad is set when a line is not valid UTF-8 (checked for !gb only). */
static duban_err_t build_lines(duban_text_t *t, const char *d, size_t len, bool gb, bool *bad,
                               char *errbuf, size_t errbuf_size)
{
    size_t n;
    count_lines(d, len, &n);
    t->lines = calloc(n, sizeof(*t->lines));
    size_t cap = len * 3 + n + 16;
    t->arena = malloc(cap);
    char *tmp = gb ? malloc(len * 2 + 4) : NULL;
    if (!t->lines || !t->arena || (gb && !tmp)) {
        free(tmp);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", t->file);
    }
    size_t w = 0, start = 0, li = 0;
    while (start <= len && li < n) {
        const char *nl = memchr(d + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - d) : len;
        const char *src = d + start;
        size_t sl = end - start;
        if (gb) {
            char *conv = NULL;
            size_t cl = 0, bad_at = 0;
            if (gb_to_utf8(src, sl, &conv, &cl, &bad_at) != DUBAN_OK) {
                free(tmp);
                return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING,
                                    "%s: byte offset %zu: invalid GB18030 sequence",
                                    t->file, start + bad_at);
            }
            memcpy(tmp, conv, cl);
            free(conv);
            src = tmp;
            sl = cl;
        }
        duban_line_t *L = &t->lines[li];
        if (sl * 3 + 1 > cap - w) {
            free(tmp);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE, "%s: line too long",
                                t->file);
        }
        L->len = (uint32_t)normalize(src, sl, t->arena + w, &L->flags, &L->heading, bad);
        L->lineno = (uint32_t)(li + 1);
        L->offset = start;
        L->s = (const char *)(uintptr_t)w; /* fixed up below */
        w += L->len + 1;
        li++;
        if (!nl)
            break;
        start = end + 1;
    }
    free(tmp);
    t->nlines = li;
    t->arena_len = w;
    for (size_t i = 0; i < li; i++)
        t->lines[i].s = t->arena + (uintptr_t)t->lines[i].s;
    return DUBAN_OK;
}

/* ------------------------------------------------------------------ */
/* Traditional characters                                               */

#define HAN_FIRST 0x4E00u
#define HAN_COUNT (0x9FFFu - HAN_FIRST + 1)

static inline uint32_t han_at(const unsigned char *a)
{
    return ((uint32_t)(a[0] & 0x0F) << 12) | ((uint32_t)(a[1] & 0x3F) << 6) | (a[2] & 0x3Fu);
}

static inline void put_han(unsigned char *a, uint32_t cp)
{
    a[0] = (unsigned char)(0xE0 | (cp >> 12));
    a[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    a[2] = (unsigned char)(0x80 | (cp & 0x3F));
}

/* U+4E00..U+9FFF lie in the 3-byte sequences led by E4..E9 (which also
 * hold U+4000..U+4DFF: callers check the range). */
static inline bool han_lead(unsigned char c) { return c >= 0xE4 && c <= 0xE9; }

/* A file with at least 5 traditional characters, 1 % of its Han characters
 * or more, is read as simplified; the first printed form of each simplified
 * character is kept for reprinting. A simplified file that names a person
 * or place in traditional characters stays as it is, and so does one whose
 * first 4,000 Han characters hold no traditional one (the scan stops
 * there). */
static void read_traditional(duban_text_t *t)
{
    unsigned char *a = (unsigned char *)t->arena;
    const uint16_t *tab = duban_t2s_table();
    size_t n = t->arena_len, han = 0, trad = 0;
    for (size_t i = 0; i + 2 < n;) {
        if (!han_lead(a[i])) {
            i++;
            continue;
        }
        uint32_t cp = han_at(a + i);
        han++;
        trad += cp >= HAN_FIRST && tab[cp - HAN_FIRST] != 0;
        i += 3;
        if (han == 4000 && trad == 0)
            return; /* 4,000 Han characters and not one traditional: simplified */
    }
    if (trad < 5 || trad * 100 < han)
        return;
    t->reprint = calloc(HAN_COUNT, sizeof(*t->reprint));
    if (!t->reprint)
        return; /* out of memory: read as printed */
    for (size_t i = 0; i + 2 < n;) {
        if (!han_lead(a[i])) {
            i++;
            continue;
        }
        uint32_t cp = han_at(a + i), simp = duban_t2s(cp);
        if (simp) {
            if (!t->reprint[simp - HAN_FIRST])
                t->reprint[simp - HAN_FIRST] = (uint16_t)(cp - HAN_FIRST + 1);
            put_han(a + i, simp);
        }
        i += 3;
    }
}

/* ------------------------------------------------------------------ */
/* Items run together on one line                                       */
/* A web page or a PDF that lost its line breaks prints a whole outline on
 * one line: "…通知 豫政〔2023〕5号 现将…。 一、加快提振市场信心 （一）全面
 * 促进消费增长。 1.把恢复…（省商务厅…负责） 2.落实好…". Such a line is
 * split before each enumeration marker that follows the end of a sentence
 * or clause, and after a document number that follows a title; the parts
 * keep the line's number and start offset. */

static size_t marker_len_at(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    duban_enclosed_t kind;
    if (duban_cn_enclosed(s, len, &kind) > 0 && kind == DUBAN_ENCLOSED_CIRCLED)
        return 3;                                           /* ①..⑳ */
    if (len >= 3 && memcmp(s, "第", 3) == 0 && starts_cn_num(s + 3, len - 3, &n) && n <= 9 &&
        3 + n + 3 <= len && memcmp(s + 3 + n, "条", 3) == 0)
        return 3 + n + 3;                                   /* 第六条 (an article) */
    bool paren = len >= 3 && memcmp(s, "（", 3) == 0;
    if (paren)
        i = 3;
    if (starts_cn_num(s + i, len - i, &n) && n <= 9) {
        i += n;
        if (paren ? (i + 3 <= len && memcmp(s + i, "）", 3) == 0)
                  : (i + 3 <= len && memcmp(s + i, "、", 3) == 0))
            return i + 3;
        return 0;
    }
    size_t d0 = i;
    while (i < len && i - d0 < 2 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0 || (i < len && s[i] >= '0' && s[i] <= '9'))
        return 0;
    if (paren)
        return i + 3 <= len && memcmp(s + i, "）", 3) == 0 ? i + 3 : 0;
    if (i < len && s[i] == '.' && !(i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9'))
        return i + 1;
    if (i + 3 <= len && memcmp(s + i, "、", 3) == 0)
        return i + 3;
    return 0;
}

/* An item marker of Chinese numerals at s: 二、 or （一）. */
static bool cn_marker_at(const char *s, size_t len)
{
    size_t n = 0, i = duban_starts(s, len, "（") ? 3 : 0;
    return starts_cn_num(s + i, len - i, &n) && n <= 9 && marker_len_at(s, len) > 0;
}

/* A short heading run into its first sub-item, "工作举措（一）开展…": the
 * offset of （一） after 2 to 12 characters with no punctuation; 0 when
 * not. */
static size_t heading_then_first(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 3 <= len && i <= 3 * 12; i += 3) {
        if (i >= 6 && duban_at(s, len, i, "（一）"))
            return len - i > 12 ? i : 0;
        if (u[i] < 0xE4 || u[i] > 0xE9)
            return 0; /* not a Han character: punctuation, a digit, a letter */
    }
    return 0;
}

/* Where line s (len bytes) splits: positions in cut[] (at most max). Only
 * the bytes after a sentence or clause end (。；）：！？) are looked at. */
/* The first byte from i on that is E3 or EF, else len: the lead bytes of
 * every mark inline_cuts looks at (。《》 U+3000.., ；）：！？， U+FF00..).
 * The lines are valid UTF-8, where such a byte only ever leads a character,
 * so the scan skips 16 bytes at a time to the next one. */
static inline size_t next_mark_lead(const unsigned char *u, size_t i, size_t len)
{
#if defined(__SSE2__)
    const __m128i e3 = _mm_set1_epi8((char)0xE3), ef = _mm_set1_epi8((char)0xEF);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, e3), _mm_cmpeq_epi8(v, ef)));
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && u[i] != 0xE3 && u[i] != 0xEF)
        i++;
    return i;
}

/* "…（此件公开发布）费县2024年关爱妇女儿童十件实事工作方案一、开展…": a
 * plan's title (after a sentence or bracket's end, no comma, at most 40
 * characters, ending like a plan) run into the first item of its outline,
 * mid-line, with an item 二、 after it (a page that lost its line breaks):
 * where 一、 starts, or 0. */
/* How a title that runs into its outline's first item ends (title_outline_cut,
 * title_run_into_outline_cut). */
static const char *const TITLE_RUN_END[] = {"通知", "意见", "决定", "方案", "办法", "清单", "要点",
                                            "计划", "分解表", "规划", "细则", NULL};

static size_t title_run_into_outline_cut(const char *s, size_t len)
{
    const char *const *te = TITLE_RUN_END;
    const char *p = duban_find(s, len, "一、", 6);
    if (!p || p == s)
        return 0;
    size_t at = (size_t)(p - s), b = at;
    bool ends = false;
    for (size_t k = 0; te[k] && !ends; k++)
        ends = duban_ends(s, at, te[k]);
    if (!ends || !duban_find(p + 6, len - at - 6, "二、", 6))
        return 0;
    while (b > 0 && !duban_ends(s, b, "。") && !duban_ends(s, b, "）") && !duban_ends(s, b, "，") &&
           !duban_ends(s, b, "：") && at - b <= 3 * 40) {
        b--; /* back one character */
        while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
            b--;
    }
    return b > 0 && !duban_ends(s, b, "，") && at - b >= 3 * 8 && at - b <= 3 * 40 ? at : 0;
}

static size_t inline_cuts_marks(const char *s, size_t len, size_t *cut, size_t max);

/* The run-together outline's cuts (inline_cuts_marks), and a plan's title run
 * into its first item (title_run_into_outline_cut), in order. */
static size_t inline_cuts(const char *s, size_t len, size_t *cut, size_t max)
{
    size_t n = inline_cuts_marks(s, len, cut, max), x = title_run_into_outline_cut(s, len);
    if (!x || n >= max || len - x <= 12)
        return n;
    size_t k = 0;
    while (k < n && cut[k] < x)
        k++;
    if ((k < n && cut[k] < x + 12) || (k > 0 && cut[k - 1] + 12 > x))
        return n; /* one there already */
    memmove(cut + k + 1, cut + k, (n - k) * sizeof(*cut));
    cut[k] = x;
    return n + 1;
}

/* "N是" (一是 … 十是) at s[at], a speech's or a minute's enumeration: its
 * bytes, 0 when none. */
static size_t shi_marker_at(const char *s, size_t len, size_t at)
{
    size_t u = 0;
    int v = duban_cn_number(s + at, len - at, &u);
    return v >= 1 && v <= 10 && u <= 6 && at + u + 3 <= len && memcmp(s + at + u, "是", 3) == 0
               ? u + 3 : 0;
}

/* The line runs "：一是…；二是…" together: 一是 after a clause's end (：；。)
 * and 二是 after a later ； or 。. One scan for 一是 on most lines. */
static bool runs_shi_items(const char *s, size_t len)
{
    const char *one = duban_find(s, len, "一是", 6);
    while (one && !(one - s >= 3 && (duban_ends(s, (size_t)(one - s), "：") ||
                                     duban_ends(s, (size_t)(one - s), "；") ||
                                     duban_ends(s, (size_t)(one - s), "。"))))
        one = duban_find(one + 6, len - (size_t)(one + 6 - s), "一是", 6);
    if (!one)
        return false;
    for (const char *p = one + 6; (p = duban_find(p, len - (size_t)(p - s), "二是", 6)) != NULL; p += 6)
        if (duban_ends(s, (size_t)(p - s), "；") || duban_ends(s, (size_t)(p - s), "。"))
            return true;
    return false;
}

static size_t inline_cuts_marks(const char *s, size_t len, size_t *cut, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    int shi = -1; /* runs_shi_items, asked at the first N是 after a clause's end */
    int depth = 0; /* inside 《》 */
    for (size_t i = 0; n < max;) {
        i = next_mark_lead(u, i, len);
        if (i + 3 > len)
            break;
        unsigned char c = u[i];
        bool end = false, comma = false;
        if (c == 0xE3 && u[i + 1] == 0x80) {
            if (u[i + 2] == 0x8A) depth++;                        /* 《 */
            else if (u[i + 2] == 0x8B && depth > 0) depth--;      /* 》 */
            else end = u[i + 2] == 0x82;                          /* 。 */
        } else if (c == 0xEF && u[i + 1] == 0xBC) {               /* ；）：！？ */
            end = u[i + 2] == 0x9B || u[i + 2] == 0x89 || u[i + 2] == 0x9A || u[i + 2] == 0x81 ||
                  u[i + 2] == 0x9F;
            comma = u[i + 2] == 0x8C;                             /* ， */
        }
        i += 3;
        if (!(end || comma) || depth)
            continue;
        size_t at = i;
        while (at < len && s[at] == ' ')
            at++;
        /* after a comma only a Chinese-numeral item (二、 （一）): a page
         * that lost its line breaks and full stops ("…本方案，二、工作举措（一）…") */
        size_t ml;
        if (end && at > 24 && len - at > 12 && (n == 0 || at > cut[n - 1] + 12) &&
            shi_marker_at(s, len, at) && (shi >= 0 ? shi : (shi = runs_shi_items(s, len)))) {
            cut[n++] = at; /* "…要求：一是各单位…；二是县发改局要…" */
            continue;
        }
        if (at > 24 && at < len && len - at > 12 && (n == 0 || at > cut[n - 1] + 12) &&
            (ml = marker_len_at(s + at, len - at)) && (end || cn_marker_at(s + at, len - at))) {
            cut[n++] = at;
            size_t sub = heading_then_first(s + at + ml, len - at - ml);
            if (sub && n < max)
                cut[n++] = at + ml + sub; /* "二、工作举措（一）开展…" */
        }
    }
    return n;
}

#define MAX_INLINE_CUTS 256
#define INLINE_MIN 120 /* bytes: a line shorter holds no run-together outline */

size_t duban_text_inline_cuts(const char *s, size_t len, size_t *cut, size_t max)
{
    return inline_cuts(s, len, cut, max);
}

/* The bytes after a bracket at s[i], full-width (3 bytes) or ASCII; 0 when
 * neither is there. */
static size_t skip_bracket(const char *s, size_t len, size_t i, const char *wide, char ascii)
{
    if (i + 3 <= len && memcmp(s + i, wide, 3) == 0)
        return i + 3;
    return i < len && s[i] == ascii ? i + 1 : 0;
}

/* At s[b]: "（2023）5" or "(2023)5" and then 号 at s[i] — the year and
 * number of a document number printed with round brackets, which a
 * sentence's bracketed note (…（2023）…) is not. */
static bool round_year_number(const char *s, size_t b, size_t i)
{
    size_t y = skip_bracket(s, i, b, "（", '(');
    if (!y || y + 4 > i)
        return false;
    for (size_t k = 0; k < 4; k++)
        if (s[y + k] < '0' || s[y + k] > '9')
            return false;
    size_t d = skip_bracket(s, i, y + 4, "）", ')');
    if (!d || d == i || i - d > 4)
        return false;
    for (size_t k = d; k < i; k++)
        if (s[k] < '0' || s[k] > '9')
            return false;
    return true;
}

/* A document number right after a title, mid-line: "…的通知 豫政〔2023〕5号
 * 现将…" splits after 号. */
static size_t docno_cut(const char *s, size_t len)
{
    for (size_t i = 24; i + 6 < len; i++) {
        const char *h = duban_find(s + i, len - i, "号 ", 4);
        if (!h || (size_t)(h - s) + 6 >= len)
            return 0;
        i = (size_t)(h - s);
        /* 〔YYYY〕 within the 30 bytes before, or （YYYY） / (YYYY) right
         * before the number (豫政（2023）5号: web copies print round ones) */
        for (size_t b = i > 30 ? i - 30 : 0; b + 3 < i; b++)
            if (memcmp(s + b, "〔", 3) == 0 || s[b] == '[' || round_year_number(s, b, i)) {
                size_t sp = b;
                while (sp > 0 && s[sp - 1] != ' ')
                    sp--;
                static const char *const te[] = {"通知", "意见", "决定", "方案", "办法", NULL};
                size_t e = sp;
                while (e > 0 && s[e - 1] == ' ')
                    e--;
                for (size_t k = 0; te[k]; k++) {
                    size_t l = strlen(te[k]);
                    if (e >= l && memcmp(s + e - l, te[k], l) == 0)
                        return i + 3;
                }
                break;
            }
    }
    return 0;
}

/* The bytes of the UTF-8 character whose lead byte is c. */
static size_t char_bytes(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* A title run into the first item of its outline, at a line's start:
 * "…问题整改措施清单一、认识不深（一）…" splits before 一、. Only a title
 * ending right before it, and no sentence or clause end before it. */
static size_t title_outline_cut(const char *s, size_t len)
{
    const char *const *te = TITLE_RUN_END;
    for (size_t i = 0; i + 6 <= len && i <= 3 * 80;) {
        if (duban_at(s, len, i, "。") || duban_at(s, len, i, "，") || duban_at(s, len, i, "；"))
            return 0;
        if (i >= 24 && duban_at(s, len, i, "一、"))
            for (size_t k = 0; te[k]; k++)
                if (duban_ends(s, i, te[k]))
                    return i;
        i += char_bytes((unsigned char)s[i]);
    }
    return 0;
}

/* A document number at the line's start with the body run on after a
 * space: "豫政〔2023〕5号 现将…" (a PDF that put the number and the first
 * words of the text on one line, under the title's): the cut after 号; 0
 * when not. The number: 2 to 10 Han characters, 〔 [ （ or (, the year, the
 * closing bracket, digits, 号; the words after it open a body (现将, 为,
 * 根据, 各…). */
static size_t number_first_cut(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    size_t han = 0;
    while (i + 3 <= len && han < 10 && (unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9)
        i += 3, han++;
    if (han < 2)
        return 0;
    size_t y = skip_bracket(s, len, i, "〔", '[');
    bool round = !y && (y = skip_bracket(s, len, i, "（", '(')) != 0; /* 豫政（2023）5号 */
    if (!y)
        return 0;
    for (i = y; i < len && s[i] >= '0' && s[i] <= '9';)
        i++;
    if (i - y != 4 ||
        !(i = round ? skip_bracket(s, len, i, "）", ')') : skip_bracket(s, len, i, "〕", ']')))
        return 0;
    size_t d = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d || i - d > 4 || i + 3 > len || memcmp(s + i, "号", 3) != 0)
        return 0;
    i += 3;
    if (!(i < len && s[i] == ' ' && len - i > 12))
        return 0;
    /* the body, not the title ("永营办发〔2021〕3号 永城市贯彻…方案") or a
     * signer ("…7号 签发人:…") */
    static const char *const body[] = {"现将", "现就", "为了", "为", "根据", "按照", "依据", "经",
                                       "近日", "各", NULL};
    size_t b = i;
    while (b < len && s[b] == ' ')
        b++;
    for (size_t k = 0; body[k]; k++)
        if (len - b >= strlen(body[k]) && memcmp(s + b, body[k], strlen(body[k])) == 0)
            return i;
    return 0;
}

/* A title at a line's start and, after a space, the preamble of the body:
 * "江西省 2023 年数字政府建设工作要点 为深入贯彻…" (a one-line page): the cut
 * after the title, which ends like one (…要点, …方案, …的通知) within 40
 * characters, with no sentence or clause mark before it; 0 when not. */
static size_t title_preamble_cut(const char *s, size_t len)
{
    static const char *const opens[] = {"为深入", "为贯彻", "为进一步", "为加快", "为全面", "为切实",
                                        "为了", "根据", "按照", "依据", "现将", NULL};
    for (size_t i = 0; i + 1 < len && i <= 3 * 40;) {
        if (duban_at(s, len, i, "。") || duban_at(s, len, i, "，") || duban_at(s, len, i, "；") ||
            duban_at(s, len, i, "："))
            return 0;
        if (s[i] == ' ' && i >= 18) {
            size_t e = i, b = i;
            while (b < len && s[b] == ' ')
                b++;
            for (size_t k = 0; TITLE_RUN_END[k]; k++)
                if (duban_ends(s, e, TITLE_RUN_END[k])) {
                    for (size_t o = 0; opens[o]; o++)
                        if (duban_at(s, len, b, opens[o]))
                            return b;
                    break;
                }
        }
        i += char_bytes((unsigned char)s[i]);
    }
    return 0;
}

/* Where the line's header ends mid-line: after a document number that
 * follows a title or opens the line, else before the first item a title
 * runs into, or before the preamble a title runs into; 0 when none. */
static size_t header_cut(const char *s, size_t len)
{
    size_t c = docno_cut(s, len);
    if (!c)
        c = number_first_cut(s, len);
    if (!c)
        c = title_outline_cut(s, len);
    return c ? c : title_preamble_cut(s, len);
}

/* Where the physical lines joined by unwrap_lines begin in the joined
 * ones (arena order), so that a piece cut out of a joined line is placed
 * on the source line it starts on. */
typedef struct {
    size_t n;
    const char **at;
    uint32_t *lineno;
    uint64_t *offset;
} wrap_map_t;

static void free_wrap_map(wrap_map_t *m)
{
    free(m->at);
    free(m->lineno);
    free(m->offset);
    memset(m, 0, sizeof(*m));
}

static void unwrap_lines(duban_text_t *t, wrap_map_t *m);
static void lay_out_lines(duban_text_t *t);

/* How many of the joins at[0..n) (in arena order) begin at or before p. */
static size_t joins_up_to(const char *const *at, size_t n, const char *p)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (at[mid] <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The source line of the piece at p of line L. */
static void place_piece(const wrap_map_t *m, const duban_line_t *L, const char *p,
                        duban_line_t *o)
{
    size_t lo = joins_up_to(m->at, m->n, p);
    if (lo > 0 && m->at[lo - 1] >= L->s) {
        o->lineno = m->lineno[lo - 1];
        o->offset = m->offset[lo - 1];
    }
}

/* t's lines become `lines` (n of them) over `arena` (arena_len bytes). */
static void replace_lines(duban_text_t *t, duban_line_t *lines, size_t n, char *arena,
                          size_t arena_len)
{
    free(t->lines);
    free(t->arena);
    t->lines = lines;
    t->arena = arena;
    t->nlines = n;
    t->arena_len = arena_len;
}

static void split_inline_items(duban_text_t *t, wrap_map_t *m)
{
    size_t extra = 0, cut[MAX_INLINE_CUTS];
    /* the lines that split, so that the second pass looks again at them
     * only (NULL when out of memory: it looks at every long line) */
    bool *splits = calloc(t->nlines ? t->nlines : 1, sizeof(*splits));
    for (size_t i = 0; i < t->nlines; i++) {
        const duban_line_t *L = &t->lines[i];
        if (L->flags & DUBAN_LINE_TAB)
            continue;
        if (L->len < INLINE_MIN) { /* short: only a number that opens it */
            if (number_first_cut(L->s, L->len)) {
                if (splits)
                    splits[i] = true;
                extra++;
            }
            continue;
        }
        size_t more =
            inline_cuts(L->s, L->len, cut, MAX_INLINE_CUTS) + (header_cut(L->s, L->len) != 0);
        if (splits)
            splits[i] = more > 0;
        extra += more;
    }
    duban_line_t *lines = extra ? calloc(t->nlines + extra, sizeof(*lines)) : NULL;
    char *arena = extra ? malloc(t->arena_len + extra + 1) : NULL;
    if (!lines || !arena) { /* none, or out of memory: the lines stay whole */
        free(lines);
        free(arena);
        free(splits);
        return;
    }
    size_t n = 0, w = 0, mj = 0;
    const char **moved = m->n ? calloc(m->n, sizeof(*moved)) : NULL;
    for (size_t i = 0; i < t->nlines; i++) {
        const duban_line_t *L = &t->lines[i];
        size_t nc = 0, dc = 0;
        if ((splits ? splits[i] : L->len >= INLINE_MIN) && !(L->flags & DUBAN_LINE_TAB)) {
            dc = header_cut(L->s, L->len);
            nc = L->len >= INLINE_MIN ? inline_cuts(L->s, L->len, cut + (dc != 0), MAX_INLINE_CUTS - 1)
                               : 0;
            if (dc) {
                cut[0] = dc;
                size_t k = 1; /* keep the cuts in order, none before the number's */
                for (size_t j = 1; j <= nc; j++)
                    if (cut[j] > dc + 12)
                        cut[k++] = cut[j];
                nc = k;
            }
        }
        size_t from = 0;
        for (size_t k = 0; k <= nc; k++) {
            size_t to = k < nc ? cut[k] : L->len;
            size_t a = from, b = to;
            while (a < b && L->s[a] == ' ')
                a++;
            while (b > a && L->s[b - 1] == ' ')
                b--;
            duban_line_t *o = &lines[n++];
            *o = *L;
            if (k > 0)
                o->flags &= (uint8_t)~(DUBAN_LINE_LEADSPACE | DUBAN_LINE_HEADING);
            if (m->n)
                place_piece(m, L, L->s + a, o);
            /* the joins inside the piece move with it to the new arena */
            while (moved && mj < m->n && m->at[mj] < L->s + a)
                moved[mj++] = NULL; /* in a trimmed space: none */
            while (moved && mj < m->n && m->at[mj] < L->s + b) {
                moved[mj] = arena + w + (size_t)(m->at[mj] - (L->s + a));
                mj++;
            }
            memcpy(arena + w, L->s + a, b - a);
            o->s = arena + w;
            o->len = (uint32_t)(b - a);
            if (o->len == 0)
                o->flags |= DUBAN_LINE_BLANK;
            w += b - a;
            arena[w++] = '\0';
            from = to;
        }
    }
    if (moved) {
        while (mj < m->n)
            moved[mj++] = NULL;
        free(m->at);
        m->at = moved;
    } else {
        free_wrap_map(m); /* out of memory: the joins are forgotten */
    }
    free(splits);
    replace_lines(t, lines, n, arena, w);
}

void duban_text_reprint(const duban_text_t *t, char *s)
{
    if (!t || !t->reprint || !s)
        return;
    unsigned char *a = (unsigned char *)s;
    for (size_t i = 0; a[i];) {
        if (han_lead(a[i]) && a[i + 1] && a[i + 2]) {
            uint32_t cp = han_at(a + i);
            uint16_t r = cp >= HAN_FIRST ? t->reprint[cp - HAN_FIRST] : 0;
            if (r)
                put_han(a + i, HAN_FIRST + r - 1u);
            i += 3;
        } else {
            i++;
        }
    }
}

/* UTF-16 with a byte order mark: converted as a whole, then each line's
 * offset is mapped back to its byte in the UTF-16 source (two bytes per
 * code unit, four for a character beyond U+FFFF, after the mark). */
static duban_err_t load_utf16(duban_text_t *t, const char *data, size_t len, char *errbuf,
                              size_t errbuf_size)
{
    bool le = (unsigned char)data[0] == 0xFF;
    iconv_t cd = iconv_open("UTF-8", le ? "UTF-16LE" : "UTF-16BE");
    if (cd == (iconv_t)-1)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING, "%s: no UTF-16 converter",
                            t->file);
    size_t cap = (len - 2) / 2 * 3 + 4;
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", t->file);
    }
    char *ip = (char *)data + 2, *op = buf;
    size_t il = len - 2, ol = cap;
    size_t rc = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    size_t cl = (size_t)(op - buf), off = 0;
    if (rc == (size_t)-1 || il != 0) {
        free(buf);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING,
                            "%s: byte offset %zu: invalid or truncated UTF-16%s sequence",
                            t->file, (size_t)(ip - data), le ? "LE" : "BE");
    }
    if (find_binary(buf, cl, &off)) {
        free(buf);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING,
                            "%s: character %zu: NUL, binary data is not text", t->file, off);
    }
    bool bad = false;
    duban_err_t e = build_lines(t, buf, cl, false, &bad, errbuf, errbuf_size);
    if (e == DUBAN_OK) {
        size_t at = 0, units = 0;
        for (size_t i = 0; i < t->nlines; i++) {
            while (at < t->lines[i].offset) {
                uint32_t cp;
                at += duban_utf8_decode(buf + at, cl - at, &cp);
                units += cp >= 0x10000 ? 2 : 1;
            }
            t->lines[i].offset = 2 + 2 * units;
        }
        t->encoding = DUBAN_ENC_UTF16;
        read_traditional(t); /* first: the cuts look for 号, not 號 */
        lay_out_lines(t);
    } else {
        duban_text_free(t);
    }
    free(buf);
    return e;
}

duban_err_t duban_text_load_mem(const char *name, const char *data, size_t len,
                                duban_text_t *t, char *errbuf, size_t errbuf_size)
{
    memset(t, 0, sizeof(*t));
    set_name(t, name ? name : "(memory)");
    t->raw_len = len;
    if (len == 0)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s: byte offset 0: empty file (0 bytes)", t->file);
    if (len > DUBAN_TEXT_MAX_BYTES)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                            "%s: %zu bytes exceeds the %u byte limit", t->file, len,
                            DUBAN_TEXT_MAX_BYTES);
    if (len >= 2 && (((unsigned char)data[0] == 0xFF && (unsigned char)data[1] == 0xFE) ||
                     ((unsigned char)data[0] == 0xFE && (unsigned char)data[1] == 0xFF)))
        return load_utf16(t, data, len, errbuf, errbuf_size);
    size_t off = 0;
    if (find_binary(data, len, &off))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING,
                            "%s: byte offset %zu: NUL byte, binary data is not text",
                            t->file, off);
    size_t skip = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    /* Valid UTF-8, the usual case, is checked while the lines are
     * normalised; input that fails is looked at again as a whole below
     * (GB18030, or an error naming the first bad byte). */
    bool gb = false, bad = false;
    duban_err_t e = build_lines(t, data + skip, len - skip, false, &bad, errbuf, errbuf_size);
    if (e == DUBAN_OK && !bad) {
        for (size_t i = 0; skip && i < t->nlines; i++)
            t->lines[i].offset += skip;
        read_traditional(t); /* first: the cuts look for 号, not 號 */
        lay_out_lines(t);
        return DUBAN_OK;
    }
    free(t->lines);
    free(t->arena);
    t->lines = NULL;
    t->arena = NULL;
    t->nlines = t->arena_len = 0;
    if (!duban_text_utf8_valid(data, len, &off)) {
        char *conv = NULL;
        size_t cl = 0, bad_at = 0;
        if (!looks_gb(data, len, off) || gb_to_utf8(data, len, &conv, &cl, &bad_at) != DUBAN_OK)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_ENCODING,
                                "%s: byte offset %zu: invalid or truncated UTF-8 sequence "
                                "(byte 0x%02X)%s", t->file, off, (unsigned char)data[off],
                                off + 4 >= len ? ", file truncated" : "");
        free(conv);
        gb = true;
        t->encoding = DUBAN_ENC_GB18030;
    }
    e = build_lines(t, data + skip, len - skip, gb, &bad, errbuf, errbuf_size);
    if (e == DUBAN_OK && skip)
        for (size_t i = 0; i < t->nlines; i++)
            t->lines[i].offset += skip;
    if (e != DUBAN_OK) {
        duban_text_free(t);
    } else {
        read_traditional(t); /* first: the cuts look for 号, not 號 */
        lay_out_lines(t);
    }
    return e;
}

duban_err_t duban_text_load_file(const char *path, duban_text_t *t,
                                 char *errbuf, size_t errbuf_size)
{
    memset(t, 0, sizeof(*t));
    set_name(t, path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: cannot open: %s", path,
                            strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: not a regular file", path);
    }
    if ((unsigned long long)st.st_size > DUBAN_TEXT_MAX_BYTES) {
        fclose(f);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                            "%s: %lld bytes exceeds the limit", path, (long long)st.st_size);
    }
    size_t len = (size_t)st.st_size;
    char *buf = malloc(len + 1);
    if (!buf) {
        fclose(f);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", path);
    }
    size_t got = fread(buf, 1, len, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || got != len) {
        free(buf);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: read error", path);
    }
    duban_err_t e = duban_text_load_mem(path, buf, len, t, errbuf, errbuf_size);
    free(buf);
    return e;
}

void duban_text_free(duban_text_t *t)
{
    if (!t)
        return;
    free(t->lines);
    free(t->arena);
    free(t->reprint);
    free(t->wrap_at);
    free(t->wrap_lineno);
    free(t->wrap_offset);
    t->lines = NULL;
    t->arena = NULL;
    t->reprint = NULL;
    t->wrap_at = NULL;
    t->wrap_lineno = NULL;
    t->wrap_offset = NULL;
    t->nlines = t->arena_len = t->nwraps = 0;
}

/* ------------------------------------------------------------------ */
/* Joining                                                              */

/* An enumeration number at s (一, 十二, 二十三, 一百零五): its bytes in *n. */
static bool starts_cn_num(const char *s, size_t len, size_t *n)
{
    return duban_cn_number(s, len, n) > 0;
}


/* "整改目标：" "指挥长：": a short field key at line start. Keys that end
 * like the tail of a split responsibility label (…单位： …部门：) are not
 * keys: "头单位：" continues "（牵". */
static bool starts_key(const char *s, size_t len)
{
    static const char *const tails[] = {"单位", "部门", "位", "门", "限", "主体", "体"};
    bool colon = false; /* the key ends in "：" after 2..8 three-byte characters */
    for (size_t c = 6; c <= 24 && c + 3 <= len && !colon; c += 3)
        colon = memcmp(s + c, "：", 3) == 0;
    if (!colon)
        return false;
    size_t i = 0, chars = 0;
    while (i + 3 <= len && chars < 9) {
        uint32_t cp;
        duban_utf8_decode(s + i, len - i, &cp);
        if (!duban_cp_is_cjk(cp))
            break;
        i += 3;
        chars++;
    }
    if (chars < 2 || chars > 8 || !duban_starts(s + i, len - i, "："))
        return false;
    for (size_t k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
        size_t n = strlen(tails[k]);
        if (i >= n && memcmp(s + i - n, tails[k], n) == 0)
            return false;
    }
    return true;
}

/* Words that open a block at line start ("（" and "第" need more, below). */
#define HEAD(w) {w, sizeof(w) - 1}
static const struct { const char *w; size_t n; } BLOCK_HEADS[] = {
    HEAD("①"), HEAD("②"), HEAD("③"), HEAD("④"), HEAD("⑤"), HEAD("⑥"), HEAD("⑦"), HEAD("⑧"),
    HEAD("⑨"), HEAD("⑩"), HEAD("附件"), HEAD("⑴"), HEAD("⑵"), HEAD("⑶"), HEAD("⑷"),
    HEAD("⑸"), HEAD("⑹"), HEAD("⑺"), HEAD("⑻"), HEAD("⑼"), HEAD("⑽"), HEAD("牵头单位"),
    HEAD("责任单位"), HEAD("配合单位"), HEAD("牵头部门"), HEAD("责任部门"), HEAD("配合部门"),
    HEAD("完成时限"), HEAD("整改时限"), HEAD("整改实施主体"), HEAD("整改验收单位"),
    HEAD("组长单位"), HEAD("成员单位"), HEAD("——"), HEAD("专栏"), HEAD("任务")};
#undef HEAD

/* An enumeration marker, label, heading word or attachment at line start. */
static bool starts_block(const char *s, size_t len)
{
    size_t n;
    if (len == 0)
        return false;
    duban_enclosed_t kind;
    if (duban_cn_enclosed(s, len, &kind) > 0 && kind != DUBAN_ENCLOSED_CIRCLED)
        return true; /* ⑴ ⒈ ㈠ (① … ⑩ are heads below) */
    if (starts_cn_num(s, len, &n) && (duban_starts(s + n, len - n, "、") ||
                                      duban_starts(s + n, len - n, "是") ||
                                      (n < len && s[n] == '.' && !(n + 1 < len && s[n + 1] >= '0' &&
                                                                   s[n + 1] <= '9'))))
        return true;
    size_t d = 0;
    while (d < len && s[d] >= '0' && s[d] <= '9')
        d++;
    size_t e = d;
    while (d > 0 && e < len && s[e] == ' ')
        e++; /* "1 . 严格…": a letter-spaced page */
    if (d > 0 && d <= 3 && e < len &&
        (s[e] == '.' || duban_starts(s + e, len - e, "、") || duban_starts(s + e, len - e, "）")) &&
        !(e + 1 < len && s[e + 1] >= '0' && s[e + 1] <= '9'))
        return true;
    if (starts_key(s, len))
        return true;
    if (duban_starts(s, len, "（")) { /* （一） （1） */
        const size_t hl = 3;
        size_t m;
        if (starts_cn_num(s + hl, len - hl, &m) && duban_starts(s + hl + m, len - hl - m, "）"))
            return true;
        if (duban_cn_unclosed_marker(s + hl, len - hl, &m) && !duban_find(s, len < 30 ? len : 30, "）", 3))
            return true; /* （一加强…: the closing bracket lost */
        m = 0;
        while (hl + m < len && s[hl + m] >= '0' && s[hl + m] <= '9')
            m++;
        if (m > 0 && hl + m < len && s[hl + m] == '.')
            m++; /* （3.） */
        if (m > 0 && duban_starts(s + hl + m, len - hl - m, "）"))
            return true;
        return duban_starts(s + hl, len - hl, "牵头") || duban_starts(s + hl, len - hl, "责任") ||
               duban_starts(s + hl, len - hl, "配合");
    }
    if (duban_starts(s, len, "第")) {
        const size_t hl = 3;
        size_t m;
        return starts_cn_num(s + hl, len - hl, &m) &&
               (duban_starts(s + hl + m, len - hl - m, "章") ||
                duban_starts(s + hl + m, len - hl - m, "节") ||
                duban_starts(s + hl + m, len - hl - m, "条"));
    }
    for (size_t k = 0; k < sizeof(BLOCK_HEADS) / sizeof(BLOCK_HEADS[0]); k++)
        if (BLOCK_HEADS[k].w[0] == s[0] && len >= BLOCK_HEADS[k].n &&
            memcmp(s, BLOCK_HEADS[k].w, BLOCK_HEADS[k].n) == 0)
            return true;
    return false;
}

static bool is_date_line(const char *s, size_t len)
{
    return duban_cn_date_line(s, len) != DUBAN_DATE_NONE;
}

static bool is_docno_like(const char *s, size_t len)
{
    return len < 64 && len >= 3 && memcmp(s + len - 3, "号", 3) == 0 && memmem(s, len, "〔", 3);
}

/* The last character ends a sentence or clause: 。！？；：）】」』 ! ? */
static bool ends_clause(const char *s, size_t len)
{
    if (len == 0)
        return false;
    if (s[len - 1] == '!' || s[len - 1] == '?')
        return true;
    if (len < 3)
        return false;
    const unsigned char *e = (const unsigned char *)s + len - 3;
    uint32_t v = (uint32_t)e[0] << 16 | (uint32_t)e[1] << 8 | e[2];
    switch (v) {
    case 0xE38082: /* 。 */ case 0xEFBC81: /* ！ */ case 0xEFBC9F: /* ？ */
    case 0xEFBC9B: /* ； */ case 0xEFBC9A: /* ： */ case 0xEFBC89: /* ） */
    case 0xE38091: /* 】 */ case 0xE3808D: /* 」 */ case 0xE3808F: /* 』 */
        return true;
    case 0xE38095: { /* 〕 closing a list of units ("…。〔林业厅、财政厅〕"), not
                      * a document number's year cut at the line's end (〔2023〕) */
        const char *op = NULL;
        for (const char *p = s; (p = duban_find(p, (size_t)(s + len - 3 - p), "〔", 3)); p += 3)
            op = p;
        if (!op)
            return false;
        for (const char *p = op + 3; p < s + len - 3; p++)
            if (*p < '0' || *p > '9')
                return true;
        return false;
    }
    default:
        return false;
    }
}

/* "…单位：" at line end: the list follows on the next line. */
static bool ends_label(const char *s, size_t len)
{
    static const char *const ends[] = {"单位：", "部门：", "时限：", "主体：", "（单位）："};
    if (len < 3 || memcmp(s + len - 3, "：", 3) != 0)
        return false;
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
        size_t n = strlen(ends[k]);
        if (len >= n && memcmp(s + len - n, ends[k], n) == 0)
            return true;
    }
    return false;
}

bool duban_text_should_join(const duban_line_t *prev, const duban_line_t *next)
{
    const uint8_t hard = DUBAN_LINE_TAB | DUBAN_LINE_HEADING | DUBAN_LINE_BLANK;
    if ((prev->flags & hard) || (next->flags & (hard | DUBAN_LINE_BULLET)))
        return false;
    if (ends_clause(prev->s, prev->len) && !ends_label(prev->s, prev->len))
        return false;
    if (duban_starts(prev->s, prev->len, "附件"))
        return false;
    if (starts_block(next->s, next->len))
        return false;
    if (is_date_line(prev->s, prev->len) || is_date_line(next->s, next->len) ||
        is_docno_like(prev->s, prev->len) || is_docno_like(next->s, next->len))
        return false;
    return true;
}

/* ------------------------------------------------------------------ */
/* A page wrapped at a fixed width                                      */

/* Display width: a CJK character or full-width mark 2, ASCII 1 (each byte
 * that starts a character counts 1, a three- or four-byte one 1 more).
 * Branch-free, so that the compiler vectorises it. */
static size_t display_width(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t w = 0, i = 0;
#if defined(__SSE2__)
    /* 16 bytes at a time: every byte but a continuation byte (10xxxxxx)
     * counts 1, a byte of E0 or more 1 more */
    const __m128i c0 = _mm_set1_epi8((char)0xC0), c80 = _mm_set1_epi8((char)0x80),
                  e0 = _mm_set1_epi8((char)0xE0);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, c0), c80));
        unsigned wide = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, e0), v));
        w += 16 - (size_t)__builtin_popcount(cont) + (size_t)__builtin_popcount(wide);
    }
#endif
    for (; i < len; i++)
        w += (size_t)((u[i] & 0xC0) != 0x80) + (size_t)(u[i] >= 0xE0);
    return w;
}

static bool wrap_candidate(const duban_line_t *L)
{
    const uint8_t no = DUBAN_LINE_BLANK | DUBAN_LINE_TAB | DUBAN_LINE_PIPES | DUBAN_LINE_HEADING |
                       DUBAN_LINE_ARTEFACT;
    return !(L->flags & no) && !memchr(L->s, '|', L->len);
}

#define WRAP_MIN_WIDTH 30  /* 15 characters: narrower is a table cell, not a page's column */
#define WRAP_MAX_WIDTH 100 /* 50 characters */
#define WRAP_SLACK 4       /* a filled line: W-4 .. W+4 (half-width digits, a
                              mark pulled up from the line below) */
#define WRAP_MAX_SKIP 6    /* lines of a page break (number, header, blanks) */

/* The width a page was wrapped at (PDF text: every line of running text
 * filled to the column's width), 0 when the page is not so: its long lines
 * are of all lengths. Wrapped: at least 8 lines, and half of those at least
 * WRAP_MIN_WIDTH wide, within the slack of one width. w[i]: line i's width. */
static size_t wrap_width(const duban_text_t *t, uint8_t *w)
{
    enum { TOP = WRAP_MAX_WIDTH + WRAP_SLACK + 1 };
    size_t hist[TOP + 1] = {0}, nlong = 0;
    for (size_t i = 0; i < t->nlines; i++) {
        const duban_line_t *L = &t->lines[i];
        /* 2/3 of the bytes <= width <= the bytes: most lines need no count */
        size_t d = !wrap_candidate(L) || L->len < WRAP_MIN_WIDTH ? 0
                   : 2 * (size_t)L->len > 3 * (size_t)TOP ? TOP
                   : display_width(L->s, L->len);
        w[i] = (uint8_t)(d > 255 ? 255 : d);
        if (d < WRAP_MIN_WIDTH)
            continue;
        nlong++;
        hist[d < TOP ? d : TOP]++;
    }
    size_t best = 0, best_n = 0;
    for (size_t W = WRAP_MIN_WIDTH; W <= WRAP_MAX_WIDTH; W++) {
        size_t n = 0;
        for (size_t d = W - WRAP_SLACK; d <= W + WRAP_SLACK; d++)
            n += hist[d];
        if (n > best_n)
            best = W, best_n = n;
    }
    return best_n >= 8 && 2 * best_n >= nlong ? best : 0;
}

/* Cells of a table printed with spaces ("主要任务 国家层面具体措施
 * 大武口区具体落实措施", a header repeated on every page): two or more
 * spaces between Han characters, and no comma or full stop. Not running
 * text, whatever its width. */
static bool spaced_cells(const duban_line_t *L)
{
    static const char *const marks[] = {"，", "。", "；", NULL};
    const unsigned char *u = (const unsigned char *)L->s;
    size_t gaps = 0;
    for (size_t i = 3; i + 1 < L->len; i++)
        if (u[i] == ' ' && u[i - 3] >= 0xE4 && u[i - 3] <= 0xE9 && u[i + 1] >= 0xE4 &&
            u[i + 1] <= 0xE9)
            gaps++;
    if (gaps < 2)
        return false;
    for (size_t k = 0; marks[k]; k++)
        if (duban_find(L->s, L->len, marks[k], 3))
            return false;
    return true;
}

/* What unwrap_lines needs to know of the paragraph joined so far, kept as
 * each line is added (one pass over each byte, however long it grows):
 * how deep each of “” （） 《》 is open, and whether it holds a comma, a
 * full stop, a semicolon or a colon. */
typedef struct {
    int open[3];
    bool marks;
} para_scan_t;

static void scan_para(para_scan_t *ps, const char *s, size_t len)
{
    /* By lead bytes, not a memcmp per mark: “” E2 80 9C/9D; 《》 E3 80
     * 8A/8B and 。 E3 80 82; （） EF BC 88/89 and ，；： EF BC 8C/9B/9A.
     * Han characters (E4..E9 leads) and continuation bytes fall through. */
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 3 <= len; i++) {
        unsigned char a = u[i], b = u[i + 1], c = u[i + 2];
        int k = -1, dir = 0;
        if (a >= 0xE4 && a <= 0xE9) { /* a Han character: its three bytes at once */
            i += 2;
            continue;
        }
        if (a == 0xE2 && b == 0x80 && (c == 0x9C || c == 0x9D))
            k = 0, dir = c == 0x9C ? 1 : -1;
        else if (a == 0xE3 && b == 0x80) {
            if (c == 0x8A || c == 0x8B)
                k = 2, dir = c == 0x8A ? 1 : -1;
            else if (c == 0x82)
                ps->marks = true;
        } else if (a == 0xEF && b == 0xBC) {
            if (c == 0x88 || c == 0x89)
                k = 1, dir = c == 0x88 ? 1 : -1;
            else if (c == 0x8C || c == 0x9B || c == 0x9A)
                ps->marks = true;
        }
        if (k < 0)
            continue;
        if (dir > 0)
            ps->open[k]++;
        else if (ps->open[k] > 0)
            ps->open[k]--;
        i += 2;
    }
}

/* The paragraph leaves a quote, bracket or title mark open ("…全面实行“多证合"
 * over "一、一照一码”…"): what follows is inside it. */
static bool leaves_open(const para_scan_t *ps)
{
    return ps->open[0] > 0 || ps->open[1] > 0 || ps->open[2] > 0;
}

/* Text that reads as a title: no comma or full stop, ending like a
 * document, a plan or a table (…的通知, …方案, …进度表). A title can fill a
 * narrow column; the line below starts the body. `last` is the text's last
 * line, ps what scan_para found in the whole. */
static bool title_like(const duban_line_t *last, const para_scan_t *ps)
{
    static const char *const ends[] = {"通知", "意见", "方案", "办法", "规定", "计划", "规划",
                                       "要点", "清单", "表", "决定", "报告", "纪要", "批复",
                                       "细则", "通报", NULL};
    if (ps->marks)
        return false;
    for (size_t k = 0; ends[k]; k++)
        if (duban_ends(last->s, last->len, ends[k]))
            return true;
    return false;
}

static bool line_title_like(const duban_line_t *L)
{
    para_scan_t ps = {{0, 0, 0}, false};
    scan_para(&ps, L->s, L->len);
    return title_like(L, &ps);
}

/* Filled line a, the last of a paragraph (ps: what it holds so far), runs
 * on into line b when a ends no sentence — or one inside a bracket the
 * paragraph leaves open ("（市发改委、…直属库。" over "排名第一的为牵头单位，
 * 下同）") — and b is running text, not a new block (a marker, a unit's or
 * deadline's label); unless a broke where no block can follow: after a
 * comma, an enumeration comma or a digit ("…6、8、" over "9、10、11期）"),
 * inside a quote or bracket. */
/* A line of one to three digits and nothing else: a table row's 序号. */
static bool bare_row_number(const duban_line_t *L)
{
    if (L->len == 0 || L->len > 3)
        return false;
    for (size_t i = 0; i < L->len; i++)
        if (L->s[i] < '0' || L->s[i] > '9')
            return false;
    return true;
}

static bool wraps_into(const duban_line_t *a, const duban_line_t *b, const para_scan_t *ps)
{
    if (!wrap_candidate(b) || (b->flags & (DUBAN_LINE_BULLET | DUBAN_LINE_LEADSPACE)))
        return false;
    if ((ends_clause(a->s, a->len) && !ends_label(a->s, a->len) && !leaves_open(ps)) ||
        spaced_cells(a) || spaced_cells(b) || title_like(a, ps))
        return false;
    if (is_date_line(b->s, b->len) || is_docno_like(a->s, a->len) ||
        is_docno_like(b->s, b->len) || duban_starts(b->s, b->len, "附件") ||
        duban_starts(b->s, b->len, "序号") || bare_row_number(b))
        return false; /* …, or a table's first cell under its title, or a row's
                       * 序号 of a table printed one cell per line */
    bool mid = duban_ends(a->s, a->len, "、") || duban_ends(a->s, a->len, "，") ||
               (a->s[a->len - 1] >= '0' && a->s[a->len - 1] <= '9') || leaves_open(ps);
    /* a word and a colon ("意见：一、…") after a filled line that stops
     * mid-sentence ("…现提出以下") is the sentence's end, not a label; a
     * title's end ("…预期目标" over "任务分解表") is no block */
    return mid || !starts_block(b->s, b->len) || starts_key(b->s, b->len) ||
           line_title_like(b);
}

/* The line a paragraph wrapped at line i goes on in: i, or past a page's
 * break (its number, running header, the blank lines around them: at most
 * WRAP_MAX_SKIP lines) and, on a double-spaced page, past the blank line.
 * t->nlines when none. */
static size_t next_printed(const duban_text_t *t, size_t i, bool double_spaced)
{
    size_t k = i, artefacts = 0;
    while (k < t->nlines && k - i < WRAP_MAX_SKIP) {
        uint8_t f = t->lines[k].flags;
        if (f & DUBAN_LINE_ARTEFACT)
            artefacts++;
        else if (!(f & DUBAN_LINE_BLANK))
            break;
        k++;
    }
    if (k >= t->nlines || k - i >= WRAP_MAX_SKIP)
        return t->nlines;
    if (k > i && !artefacts && !(double_spaced && k - i == 1))
        return t->nlines; /* a blank line between paragraphs */
    return k;
}

/* A page printed at a fixed width (a PDF's column, every line filled)
 * gets its paragraphs back: a filled line that runs on into the next is
 * joined with it, so that titles, labels and markers read as written.
 * A joined line keeps its first line's number, offset and flags. */
static void unwrap_lines(duban_text_t *t, wrap_map_t *m)
{
    if (t->nlines < 8)
        return;
    uint8_t *w = malloc(t->nlines);
    size_t W = w ? wrap_width(t, w) : 0;
    m->at = W ? malloc(t->nlines * sizeof(*m->at)) : NULL;
    m->lineno = W ? malloc(t->nlines * sizeof(*m->lineno)) : NULL;
    m->offset = W ? malloc(t->nlines * sizeof(*m->offset)) : NULL;
    if (!m->at || !m->lineno || !m->offset) {
        /* not wrapped, or out of memory: the lines stay */
        free(w);
        free_wrap_map(m);
        return;
    }
    /* a blank line after every line (001) separates no paragraphs */
    size_t blank = 0;
    for (size_t i = 0; i < t->nlines; i++)
        blank += (t->lines[i].flags & DUBAN_LINE_BLANK) != 0;
    bool double_spaced = 5 * blank >= 2 * t->nlines;
    /* in place: a line's text moves to `at`, never past where it was, and
     * line n is written once lines up to i >= n have been read */
    size_t n = 0, at = 0;
    for (size_t i = 0; i < t->nlines;) {
        duban_line_t o = t->lines[i];
        memmove(t->arena + at, o.s, o.len);
        o.s = t->lines[i].s = t->arena + at;
        at += o.len;
        size_t j = i;
        para_scan_t ps = {{0, 0, 0}, false}; /* the paragraph so far */
        scan_para(&ps, o.s, o.len);
        while (j + 1 < t->nlines) {
            bool filled = (size_t)w[j] + WRAP_SLACK >= W && w[j] <= W + WRAP_SLACK;
            size_t k = next_printed(t, j + 1, double_spaced);
            if (!filled || k >= t->nlines || !wrap_candidate(&t->lines[j]) ||
                !wraps_into(&t->lines[j], &t->lines[k], &ps))
                break;
            duban_line_t *next = &t->lines[j = k];
            scan_para(&ps, next->s, next->len);
            m->at[m->n] = t->arena + at;
            m->lineno[m->n] = next->lineno;
            m->offset[m->n++] = next->offset;
            memmove(t->arena + at, next->s, next->len);
            next->s = t->arena + at; /* its text, for the next test */
            at += next->len;
        }
        o.len = (uint32_t)(t->arena + at - o.s);
        t->arena[at++] = '\0';
        t->lines[n++] = o;
        i = j + 1;
    }
    free(w);
    t->nlines = n;
    t->arena_len = at;
}

/* After reading: a wrapped page's paragraphs joined again, then lines
 * that run several items (or a header and its body) together cut apart. */
static void lay_out_lines(duban_text_t *t)
{
    wrap_map_t m = {0};
    unwrap_lines(t, &m);
    split_inline_items(t, &m);
    size_t k = 0; /* the joins that kept a place, in arena order */
    for (size_t j = 0; j < m.n; j++)
        if (m.at[j]) {
            m.at[k] = m.at[j];
            m.lineno[k] = m.lineno[j];
            m.offset[k++] = m.offset[j];
        }
    t->nwraps = k;
    t->wrap_at = m.at;
    t->wrap_lineno = m.lineno;
    t->wrap_offset = m.offset;
}

void duban_text_source_at(const duban_text_t *t, size_t line_idx, size_t pos, uint32_t *lineno,
                          uint64_t *offset)
{
    const duban_line_t *L = &t->lines[line_idx];
    *lineno = L->lineno;
    *offset = L->offset;
    if (!t->nwraps || pos == 0)
        return;
    const char *p = L->s + (pos < L->len ? pos : L->len);
    size_t lo = joins_up_to(t->wrap_at, t->nwraps, p);
    if (lo > 0 && t->wrap_at[lo - 1] > L->s) {
        *lineno = t->wrap_lineno[lo - 1];
        *offset = t->wrap_offset[lo - 1];
    }
}

/* ------------------------------------------------------------------ */
/* Paragraphs                                                           */

void duban_para_init(duban_para_t *p) { memset(p, 0, sizeof(*p)); }

void duban_para_free(duban_para_t *p)
{
    free(p->buf);
    free(p->pos);
    free(p->line_idx);
    duban_para_init(p);
}

void duban_para_reset(duban_para_t *p)
{
    p->len = 0;
    p->nseg = 0;
    if (p->buf)
        p->buf[0] = '\0';
}

bool duban_para_reserve(duban_para_t *p, size_t bytes, size_t segs)
{
    if (p->len + bytes + 1 > p->cap) {
        char *b = duban_array_grow(p->buf, &p->cap, p->len + bytes + 1, 1, 256);
        if (!b)
            return false;
        p->buf = b;
    }
    if (p->nseg + segs > p->segcap) {
        /* two arrays of one capacity: segcap moves once both have grown */
        size_t cap = p->segcap, cap2 = p->segcap;
        size_t *a = duban_array_grow(p->pos, &cap, p->nseg + segs, sizeof(*a), 16);
        if (!a)
            return false;
        p->pos = a;
        size_t *b = duban_array_grow(p->line_idx, &cap2, p->nseg + segs, sizeof(*b), 16);
        if (!b)
            return false;
        p->line_idx = b;
        p->segcap = cap;
    }
    return true;
}

static bool reserve(duban_para_t *p, size_t more)
{
    return duban_para_reserve(p, more, 1);
}

/* Appends s, dropping spaces whose both neighbours are non-ASCII. */
static void append_text(duban_para_t *p, const char *s, size_t len)
{
    const char *sp = memchr(s, ' ', len);
    if (!sp) { /* no spaces: one copy */
        memcpy(p->buf + p->len, s, len);
        p->len += len;
        p->buf[p->len] = '\0';
        return;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ') {
            unsigned char a = p->len ? (unsigned char)p->buf[p->len - 1] : 0;
            unsigned char b = i + 1 < len ? (unsigned char)s[i + 1] : 0;
            if (a >= 0x80 && b >= 0x80)
                continue;
        }
        p->buf[p->len++] = s[i];
    }
    p->buf[p->len] = '\0';
}

duban_err_t duban_para_add(duban_para_t *p, const duban_text_t *t, size_t li)
{
    return duban_para_add_from(p, t, li, 0);
}

duban_err_t duban_para_add_from(duban_para_t *p, const duban_text_t *t, size_t li, size_t from)
{
    const duban_line_t *L = &t->lines[li];
    if (from > L->len)
        from = L->len;
    const char *s = L->s + from;
    size_t len = L->len - from;
    if (!reserve(p, len + 1))
        return DUBAN_E_NOMEM;
    if (p->len > 0 && len > 0) {
        unsigned char a = (unsigned char)p->buf[p->len - 1], b = (unsigned char)s[0];
        /* words of Latin letters keep a space between lines; a number or a
         * date wrapped by the PDF (2022年1 / 0月底前, 6. / 76万) does not */
        bool letter = (a | 0x20) >= 'a' && (a | 0x20) <= 'z';
        letter |= (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
        if (a < 0x80 && b < 0x80 && a != ' ' && a != '\t' && letter)
            p->buf[p->len++] = ' ';
    }
    p->pos[p->nseg] = p->len;
    p->line_idx[p->nseg] = li;
    p->nseg++;
    append_text(p, s, len);
    return DUBAN_OK;
}

duban_err_t duban_para_add_break(duban_para_t *p)
{
    if (!reserve(p, 1))
        return DUBAN_E_NOMEM;
    p->buf[p->len++] = '\n';
    p->buf[p->len] = '\0';
    return DUBAN_OK;
}

/* The segment (line) of p that byte pos falls in; p has one at least. */
static size_t para_seg_at(const duban_para_t *p, size_t pos)
{
    size_t lo = 0, hi = p->nseg;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->pos[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

size_t duban_para_pos_in_line(const duban_para_t *p, size_t pos)
{
    if (p->nseg == 0)
        return pos;
    size_t k = para_seg_at(p, pos);
    return pos >= p->pos[k] ? pos - p->pos[k] : 0;
}

size_t duban_para_line_at(const duban_para_t *p, size_t pos)
{
    return p->nseg ? p->line_idx[para_seg_at(p, pos)] : 0;
}
