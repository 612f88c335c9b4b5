/* common/ingest/deadline_scan.h: what the parts of the deadline scanner
 * share (internal to deadline*.c; the public API is deadline.h). Owns the
 * scan state (scan_t), one parsed date expression (expr_t), the byte-level
 * readers every part uses (inline: they are the scanner's inner loop) and
 * the calls between the parts:
 *   deadline_date.c   date expressions, periods, 十四五, 之日起 counts
 *   deadline_recur.c  recurrences (每月5日前, 每季度) and open-ended phrases
 *   deadline.c        the trigger table, the scan and its output
 * Nothing here allocates, logs or keeps global state. */
#ifndef DUBAN_DEADLINE_SCAN_H
#define DUBAN_DEADLINE_SCAN_H

#include <string.h>
#include "calendar.h"
#include "cnnum.h"
#include "date.h"
#include "deadline.h"

#define MAX_HITS 32

typedef struct {
    size_t b, e;          /* phrase span in the text */
    int32_t due;
    unsigned flags;
    int weak;             /* a later bare year read as a target only for being
                             later: outranked by any other date of the text */
} hit_t;

/* One parsed date expression. */
typedef struct {
    int y, m, d;
    int32_t due;
    size_t end;           /* first byte after the expression (and suffix) */
    int has_year;
    int bare_year;        /* "2025年" alone */
    int bare_month;       /* "2025年12月" alone */
    int year_range;       /* "2021—2023年" */
    int range;            /* any A—B */
    int strong;           /* 前/旬/range end/… */
    int ambiguous;
    int start;            /* followed by 起/以来/至今: not a deadline */
    int attribute;        /* 年版/年度 */
    int weak;             /* see hit_t.weak */
} expr_t;

typedef struct {
    const char *t;
    size_t n;
    const duban_deadline_ctx_t *ctx;
    int doc_year;
    size_t nhits;
    size_t open_b, open_e;  /* first open-ended phrase; open_e 0 = none */
    size_t now_b, now_e;    /* 立行立改 */
    int have_recur;
    duban_recurrence_t recur;
    size_t recur_b, recur_e;
    size_t recur_xb, recur_xe; /* a later date folded into a yearly rule */
    size_t prev_end;        /* end of the previous date expression */
    int prev_y, prev_m;
    int32_t starts_on;      /* 从2022年3月起 / 从第二季度起: first day, or NONE */
    hit_t hits[MAX_HITS];   /* last: the fields before it are zeroed per call,
                               hits only up to nhits are ever read */
} scan_t;

/* A recurrence printed with a start (从2022年3月起，每月25日前): the first
 * due date is the first on or after it. Keeps the latest start seen. */
static inline void note_start(scan_t *s, int32_t day)
{
    if (day != DUBAN_DATE_NONE && (s->starts_on == DUBAN_DATE_NONE || day > s->starts_on))
        s->starts_on = day;
}

/* ---------------------------------------------------------------- bytes */

static inline int lit_at(const scan_t *s, size_t i, const char *lit, size_t *next)
{
    if (lit[0] && (i >= s->n || s->t[i] != lit[0])) /* one byte first */
        return 0;
    size_t l = strlen(lit);
    if (i + l > s->n || memcmp(s->t + i, lit, l) != 0)
        return 0;
    if (next)
        *next = i + l;
    return 1;
}

/* Whitespace and markup between the parts of a phrase. */
static inline size_t skip_ws(const scan_t *s, size_t i)
{
    while (i < s->n) {
        unsigned char c = (unsigned char)s->t[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*')
            i++;
        else if (lit_at(s, i, "\xE3\x80\x80", NULL)) /* U+3000 */
            i += 3;
        else
            break;
    }
    return i;
}

static inline int lit_ws(const scan_t *s, size_t i, const char *lit, size_t *next)
{
    return lit_at(s, skip_ws(s, i), lit, next);
}

/* ASCII or full-width digit at i: its value, and its byte length in *len. */
static inline int digit_at(const scan_t *s, size_t i, size_t *len)
{
    if (i < s->n && s->t[i] >= '0' && s->t[i] <= '9') {
        *len = 1;
        return s->t[i] - '0';
    }
    if (i + 3 <= s->n && (unsigned char)s->t[i] == 0xEF &&
        (unsigned char)s->t[i + 1] == 0xBC &&
        (unsigned char)s->t[i + 2] >= 0x90 && (unsigned char)s->t[i + 2] <= 0x99) {
        *len = 3;
        return (unsigned char)s->t[i + 2] - 0x90;
    }
    return -1;
}

/* A decimal number of at most 6 digits at i, or -1. */
static inline int read_num(const scan_t *s, size_t i, size_t *next)
{
    int v = 0, nd = 0, dv;
    size_t l;
    while ((dv = digit_at(s, i, &l)) >= 0) {
        if (++nd > 6)
            return -1;
        v = v * 10 + dv;
        i += l;
    }
    if (nd == 0)
        return -1;
    *next = i;
    return v;
}

/* A Chinese digit 1..9 (两 = 2) or 十 (10) at i, -1 otherwise; 〇 and 零
 * only count in years (read_cyear). */
static inline int cdigit_at(const scan_t *s, size_t i)
{
    if (i + 3 > s->n || (unsigned char)s->t[i] < 0xE3)
        return -1;
    if (lit_at(s, i, "两", NULL))
        return 2;
    if (lit_at(s, i, "十", NULL))
        return 10;
    if (lit_at(s, i, "零", NULL))
        return 0; /* as before: 零 alone reads as 0 */
    int v = duban_cn_digit(s->t + i, s->n - i);
    return v > 0 ? v : -1;
}

/* A Chinese numeral 1..999 (一, 两, 十五, 二十, 三十一, 一百二十), or -1. */
static inline int read_cnum(const scan_t *s, size_t i, size_t *next)
{
    size_t used;
    int v = i < s->n ? duban_cn_number(s->t + i, s->n - i, &used) : -1;
    if (v >= 0)
        *next = i + used;
    return v;
}

/* A year in Chinese digits (二〇二三), or -1. */
static inline int read_cyear(const scan_t *s, size_t i, size_t *next)
{
    size_t used = 0;
    int v = duban_cn_year(s->t + i, i < s->n ? s->n - i : 0, &used);
    if (v >= 0)
        *next = i + used;
    return v;
}

static inline int read_anynum(const scan_t *s, size_t i, size_t *next)
{
    int v = read_num(s, i, next);
    return v >= 0 ? v : read_cnum(s, i, next);
}

/* A range separator: - － — – ~ ～ 至 到 (a doubled dash too). */
static inline int dash_at(const scan_t *s, size_t i, size_t *next)
{
    static const char *const D[] = {"\xE2\x80\x94\xE2\x80\x94", "\xE2\x80\x94",
        "\xE2\x80\x93", "\xEF\xBC\x8D", "\xEF\xBD\x9E", "-", "~", "至", "到"};
    i = skip_ws(s, i);
    if (lit_at(s, i, "至今", NULL))
        return 0;
    for (size_t k = 0; k < sizeof D / sizeof D[0]; k++)
        if (lit_at(s, i, D[k], next))
            return 1;
    return 0;
}

/* Start of the UTF-8 character that ends just before byte i. */
static inline size_t prev_char(const scan_t *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)s->t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Backwards over whitespace/markup from i (exclusive). */
static inline size_t skip_ws_back(const scan_t *s, size_t i)
{
    while (i > 0) {
        size_t p = prev_char(s, i);
        unsigned char c = (unsigned char)s->t[p];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*' ||
            lit_at(s, p, "\xE3\x80\x80", NULL))
            i = p;
        else
            break;
    }
    return i;
}

/* Does the text just before i (spaces skipped) end with `lit`? */
static inline int ends_with(const scan_t *s, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    i = skip_ws_back(s, i);
    return i >= l && (l == 0 || s->t[i - 1] == lit[l - 1]) && memcmp(s->t + i - l, lit, l) == 0;
}

static inline int ends_with_any(const scan_t *s, size_t i, const char *const *lits)
{
    for (; *lits; lits++)
        if (ends_with(s, i, *lits))
            return 1;
    return 0;
}

static inline int starts_any(const scan_t *s, size_t i, const char *const *lits, size_t *next)
{
    for (; *lits; lits++)
        if (lit_at(s, i, *lits, next))
            return 1;
    return 0;
}

static inline uint32_t cp_at(const scan_t *s, size_t i, size_t *len)
{
    unsigned char c = (unsigned char)s->t[i];
    if (c < 0x80 || i + 1 >= s->n) { *len = 1; return c; }
    if ((c & 0xE0) == 0xC0) { *len = 2; return ((c & 0x1Fu) << 6) | (s->t[i + 1] & 0x3F); }
    if ((c & 0xF0) == 0xE0 && i + 2 < s->n) {
        *len = 3;
        return ((c & 0x0Fu) << 12) | ((s->t[i + 1] & 0x3Fu) << 6) | (s->t[i + 2] & 0x3F);
    }
    if ((c & 0xF8) == 0xF0 && i + 3 < s->n) { *len = 4; return 0xFFFD; }
    *len = 1;
    return 0xFFFD;
}

static inline int is_cjk_letter_at(const scan_t *s, size_t i)
{
    size_t l;
    if (i >= s->n)
        return 0;
    uint32_t c = cp_at(s, i, &l);
    return c >= 0x4E00 && c <= 0x9FFF;
}

static inline int32_t ymd(int y, int m, int d)
{
    int dim = duban_date_days_in_month(y, m);
    if (d <= 0 || d > dim)
        d = dim;
    return duban_date_from_ymd(y, m, d);
}

static inline int year_like(int v) { return v >= 1900 && v <= 2199; }

static inline void add_hit(scan_t *s, size_t b, size_t e, int32_t due, unsigned flags)
{
    for (size_t k = 0; k < s->nhits; k++)     /* the same phrase again: once */
        if (s->hits[k].due == due && s->hits[k].e - s->hits[k].b == e - b &&
            memcmp(s->t + s->hits[k].b, s->t + b, e - b) == 0)
            return;
    if (s->nhits < MAX_HITS)
        s->hits[s->nhits++] = (hit_t){b, e, due, flags, 0};
}

/* ---------------------------------------------------------------- parts */

extern const char *const DL_OPEN_BR[];  /* "（" "(" */
extern const char *const DL_CLOSE_BR[]; /* "）" ")" */

/* deadline_date.c: each returns the first byte after what it read at i,
 * or 0 when nothing of its kind starts there. */
size_t dl_try_date(scan_t *s, size_t i);      /* 2023年6月底前, 6月30日, 二〇二三年… */
size_t dl_try_period(scan_t *s, size_t i);    /* year-less 年底/上半年/三季度… */
size_t dl_try_fyp(scan_t *s, size_t i);       /* "十四五"期间 (a period, not a date) */
size_t dl_try_from_issue(scan_t *s, size_t i); /* 印发之日起30日内 */
size_t dl_date_suffix(const scan_t *s, size_t i, expr_t *e);
size_t dl_after_month(const scan_t *s, size_t i, expr_t *e);

/* deadline_recur.c */
size_t dl_try_recur(scan_t *s, size_t i);     /* 每月5日前, 每季度, 每年12月 */
size_t dl_try_by_period(scan_t *s, size_t i); /* 按季度, 按年度 */
size_t dl_try_open(scan_t *s, size_t i);      /* 长期坚持, 持续推进 */
void dl_set_open(scan_t *s, size_t b, size_t e);
int dl_standalone(const scan_t *s, size_t b, size_t e);

#endif
