/* common/deadline.c: the deadline rules of deadline.h, as one left-to-right
 * scan over a task's text. At each position a small set of triggers is
 * tried (a digit or 今/明/本年: a date expression; 每: a recurrence; 之日起:
 * a period counted from the issue date; 长期/持续/常态化…: open-ended; 年底/
 * 上半年/一季度…: a year-less period end); everything a trigger consumes is
 * skipped. Titles (《…》) and document numbers (〔…〕) are skipped whole.
 * The scan is O(len) and allocates nothing. */
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
} expr_t;

typedef struct {
    const char *t;
    size_t n;
    const duban_deadline_ctx_t *ctx;
    int doc_year;
    hit_t hits[MAX_HITS];
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
} scan_t;

/* A recurrence printed with a start (从2022年3月起，每月25日前): the first
 * due date is the first on or after it. Keeps the latest start seen. */
static void note_start(scan_t *s, int32_t day)
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
static size_t skip_ws(const scan_t *s, size_t i)
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

static int lit_ws(const scan_t *s, size_t i, const char *lit, size_t *next)
{
    return lit_at(s, skip_ws(s, i), lit, next);
}

/* ASCII or full-width digit at i: its value, and its byte length in *len. */
static int digit_at(const scan_t *s, size_t i, size_t *len)
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
static int read_num(const scan_t *s, size_t i, size_t *next)
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
static int cdigit_at(const scan_t *s, size_t i)
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
static int read_cnum(const scan_t *s, size_t i, size_t *next)
{
    size_t used;
    int v = i < s->n ? duban_cn_number(s->t + i, s->n - i, &used) : -1;
    if (v >= 0)
        *next = i + used;
    return v;
}

/* A year in Chinese digits (二〇二三), or -1. */
static int read_cyear(const scan_t *s, size_t i, size_t *next)
{
    int v = duban_cn_year(s->t + i, i < s->n ? s->n - i : 0);
    if (v >= 0)
        *next = i + 12;
    return v;
}

static int read_anynum(const scan_t *s, size_t i, size_t *next)
{
    int v = read_num(s, i, next);
    return v >= 0 ? v : read_cnum(s, i, next);
}

/* A range separator: - － — – ~ ～ 至 到 (a doubled dash too). */
static int dash_at(const scan_t *s, size_t i, size_t *next)
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
static size_t prev_char(const scan_t *s, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)s->t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* Backwards over whitespace/markup from i (exclusive). */
static size_t skip_ws_back(const scan_t *s, size_t i)
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
static int ends_with(const scan_t *s, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    i = skip_ws_back(s, i);
    return i >= l && (l == 0 || s->t[i - 1] == lit[l - 1]) && memcmp(s->t + i - l, lit, l) == 0;
}

static int ends_with_any(const scan_t *s, size_t i, const char *const *lits)
{
    for (; *lits; lits++)
        if (ends_with(s, i, *lits))
            return 1;
    return 0;
}

static int starts_any(const scan_t *s, size_t i, const char *const *lits, size_t *next)
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

static int is_cjk_letter_at(const scan_t *s, size_t i)
{
    size_t l;
    if (i >= s->n)
        return 0;
    uint32_t c = cp_at(s, i, &l);
    return c >= 0x4E00 && c <= 0x9FFF;
}

/* ---------------------------------------------------------------- dates */

static int32_t ymd(int y, int m, int d)
{
    int dim = duban_date_days_in_month(y, m);
    if (d <= 0 || d > dim)
        d = dim;
    return duban_date_from_ymd(y, m, d);
}

static int year_like(int v) { return v >= 1900 && v <= 2199; }

/* Suffix of a date: 前/以前/之前/为止/止/内 (strong); 起/以来/至今 (start). */
static size_t date_suffix(const scan_t *s, size_t i, expr_t *e)
{
    static const char *const STRONG[] = {"以前", "之前", "前", "为止", "以内", NULL};
    static const char *const START[] = {"起", "开始", "以来", "至今", "以后", "后", NULL};
    size_t k = skip_ws(s, i), j;
    if (starts_any(s, k, STRONG, &j)) {
        e->strong = 1;
        return j;
    }
    if (starts_any(s, k, START, &j)) {
        e->start = 1;
        return j;
    }
    return i;
}

/* After "M月" (y, m known): 日, 底/末, 旬, 份, 前. */
static size_t after_month(const scan_t *s, size_t i, expr_t *e)
{
    size_t k = skip_ws(s, i), j;
    int d = read_anynum(s, k, &j);
    if (d >= 1 && d <= 31) {
        size_t u;
        if (lit_ws(s, j, "日", &u) || lit_ws(s, j, "号", &u)) {
            e->d = d;
            e->due = ymd(e->y, e->m, d);
            return u;
        }
    }
    static const struct { const char *w; int day; int strong; } M[] = {
        {"中下旬", 0, 0}, {"上中旬", 20, 0}, {"上旬", 10, 0}, {"中旬", 20, 0},
        {"下旬", 0, 0}, {"底", 0, 0}, {"末", 0, 0}, {"份", 0, 0}};
    for (size_t q = 0; q < sizeof M / sizeof M[0]; q++) {
        if (lit_at(s, k, M[q].w, &j)) {
            e->due = ymd(e->y, e->m, M[q].day);
            e->strong |= M[q].strong;
            if (M[q].day == 0 && q >= 7)
                e->bare_month = 1;
            return j;
        }
    }
    e->due = ymd(e->y, e->m, 0);
    if (lit_at(s, k, "前", &j)) {        /* M月前: ambiguous */
        e->ambiguous = 1;
        e->strong = 1;
        return j;
    }
    e->bare_month = 1;
    return i;
}

/* N季度 / 第N季度 at i (year y). */
static int quarter_at(const scan_t *s, size_t i, int y, expr_t *e, size_t *next)
{
    size_t j = i, k;
    if (lit_at(s, j, "第", &k))
        j = skip_ws(s, k);
    int q = read_anynum(s, j, &k);
    if (q < 1 || q > 4 || !lit_ws(s, k, "季度", &k))
        return 0;
    e->due = ymd(y, q * 3, 0);
    if (lit_at(s, k, "末", &j) || lit_at(s, k, "底", &j))
        k = j;
    *next = k;
    return 1;
}

/* After "Y年": month, 年底, 上半年, 第N季度, 前, 内, or bare. */
static size_t after_year(const scan_t *s, size_t i, expr_t *e)
{
    size_t k = skip_ws(s, i), j;
    int m = read_anynum(s, k, &j);
    if (m >= 1 && m <= 12 && lit_ws(s, j, "月", &j)) {
        e->m = m;
        return after_month(s, j, e);
    }
    size_t u;
    if (m >= 1 && m <= 12 && dash_at(s, j, &u)) {     /* 2021年10-12月 */
        int m2 = read_num(s, skip_ws(s, u), &u);
        if (m2 >= m && m2 <= 12 && lit_ws(s, u, "月", &u)) {
            e->m = m2;
            e->range = 1;
            return after_month(s, u, e);
        }
    }
    e->m = 12;
    e->due = ymd(e->y, 12, 31);
    static const char *const YEND[] = {"年底", "年末", "底", "末", NULL};
    if (starts_any(s, k, YEND, &j))
        return j;
    if (lit_at(s, k, "上半年", &j)) {
        e->due = ymd(e->y, 6, 30);
        return j;
    }
    if (lit_at(s, k, "下半年", &j))
        return j;
    if (quarter_at(s, k, e->y, e, &j))
        return j;
    if (lit_at(s, k, "前", &j)) {
        e->ambiguous = 1;
        e->strong = 1;
        return j;
    }
    if (lit_at(s, k, "内", &j)) {
        e->strong = 1;
        return j;
    }
    if (lit_at(s, k, "版", NULL) || lit_at(s, k, "度", NULL))
        e->attribute = 1;
    e->bare_year = 1;
    return i;
}

static const char *const OPEN_BR[] = {"（", "(", NULL};
static const char *const CLOSE_BR[] = {"）", ")", NULL};

/* "总结阶段（11月）", "（5月—8月）": a month alone in brackets is a phase's
 * time, read as the month's end. */
static int month_in_brackets(const scan_t *s, size_t b, size_t e)
{
    size_t j, k;
    if (b == 0 || !ends_with_any(s, b, OPEN_BR))
        return 0;
    if (dash_at(s, e, &j)) { /* （5月-8月）: the range's end month */
        int m = read_anynum(s, skip_ws(s, j), &k);
        if (m < 1 || m > 12 || !lit_ws(s, k, "月", &e))
            return 0;
    }
    return starts_any(s, skip_ws(s, e), CLOSE_BR, &j);
}

/* A date expression starting at i. inh_y/inh_m: year and month a range end
 * or a follow-up date inherits (0 = doc year / none). */
static int parse_expr(const scan_t *s, size_t i, int inh_y, int inh_m, int range_end,
                      expr_t *e)
{
    size_t j, k;
    memset(e, 0, sizeof *e);
    e->due = DUBAN_DATE_NONE;
    static const char *const THIS_YEAR[] = {"今年", "本年", "当年", NULL};
    if (starts_any(s, i, THIS_YEAR, &j) || lit_at(s, i, "明年", NULL)) {
        e->y = s->doc_year + (lit_at(s, i, "明年", &j) ? 1 : 0);
        e->has_year = 1;
        e->end = after_year(s, j, e);
        if (e->bare_year)
            return 0;
        return 1;
    }
    int n = read_num(s, i, &j);
    if (n < 0 && (n = read_cyear(s, i, &j)) < 0 && (n = read_cnum(s, i, &j)) < 0)
        return 0;                 /* 2023 / 二〇二三 / 十二 */
    k = skip_ws(s, j);
    if (lit_at(s, k, "年", &j)) {
        if (!year_like(n))
            return 0;
        e->y = n;
        e->has_year = 1;
        e->end = after_year(s, j, e);
        return 1;
    }
    if (year_like(n) && !range_end && dash_at(s, k, &j)) {  /* 2021—2023年 */
        size_t u;
        int n2 = read_num(s, skip_ws(s, j), &u);
        if (year_like(n2) && n2 >= n && lit_ws(s, u, "年", &u)) {
            e->y = n2;
            e->has_year = 1;
            e->end = after_year(s, u, e);
            e->bare_year = 0;
            e->year_range = e->range = 1;
            return 1;
        }
        return 0;
    }
    if (n >= 1 && n <= 12 && lit_at(s, k, "月", &j)) {
        e->y = inh_y ? inh_y : s->doc_year;
        e->m = n;
        e->end = after_month(s, j, e);
        if (e->bare_month && !range_end && !month_in_brackets(s, i, e->end))
            return 0;
        return 1;
    }
    if (range_end && inh_m && n >= 1 && n <= 31 &&
        (lit_at(s, k, "日", &j) || lit_at(s, k, "号", &j))) {
        e->y = inh_y;
        e->m = inh_m;
        e->d = n;
        e->due = ymd(inh_y, inh_m, n);
        e->end = j;
        return 1;
    }
    return 0;
}

/* A whole date expression with its range end and suffix. */
static int parse_full(const scan_t *s, size_t i, int inh_y, expr_t *e)
{
    if (!parse_expr(s, i, inh_y, 0, 0, e))
        return 0;
    size_t j;
    if (!e->year_range && dash_at(s, e->end, &j)) {
        expr_t r;
        if (parse_expr(s, skip_ws(s, j), e->y, e->m, 1, &r) && r.due >= e->due) {
            r.range = 1;
            r.bare_year = r.bare_month = 0;
            *e = r;
        }
    }
    e->end = date_suffix(s, e->end, e);
    return 1;
}

static int standalone(const scan_t *s, size_t b, size_t e);

/* ---------------------------------------------------------------- hits */

static void add_hit(scan_t *s, size_t b, size_t e, int32_t due, unsigned flags)
{
    for (size_t k = 0; k < s->nhits; k++)     /* the same phrase again: once */
        if (s->hits[k].due == due && s->hits[k].e - s->hits[k].b == e - b &&
            memcmp(s->t + s->hits[k].b, s->t + b, e - b) == 0)
            return;
    if (s->nhits < MAX_HITS)
        s->hits[s->nhits++] = (hit_t){b, e, due, flags};
}

static const char *const TO_PREFIX[] = {"力争到", "争取到", "力争在", "力争", "争取", "到", NULL};
static const char *const TARGET_PREFIX[] = {"至", "争取", "力争", "截止", NULL};
static const char *const STRONG_PREFIX[] = {"时限：", "时限:", "时间：", "时间:", "期限：",
    "期限:", "时限", NULL};
static const char *const NOT_TARGET[] = {"截至", "为", "比", "较", "与", "同", "从", "自",
    "由", "是", "的", NULL};
static const char *const AS_OF[] = {"截至", "截至到", "截至目前", NULL};
static const char *const TITLE_WORDS[] = {"规划", "计划", "方案", "纲要", "意见", "办法",
    "行动", "工程", "标准", "清单", "目录", "名单", "报告", "要点", NULL};
static const char *const CLAUSE_END[] = {"，", ",", "；", ";", "。", "）", ")", "、",
    "\t", NULL};

/* b starts a clause: the text's start, or after a clause end, a bullet or
 * a space. */
static int clause_start(const scan_t *s, size_t b)
{
    static const char *const BEFORE[] = {"，", "；", "。", "：", "\n", " ", "?", "•", "●", "·",
        "、", NULL};
    size_t p = b;
    while (p > 0 && s->t[p - 1] == ' ')
        p--;
    return p == 0 || ends_with_any(s, p, BEFORE);
}

/* "2018年1月4日上午9:00—11:00，在…召开座谈会", "…全天": a date with a time
 * of day names when something happens, not a deadline, unless 前 follows. */
static int appointment_after(const scan_t *s, size_t i)
{
    static const char *const PART[] = {"上午", "下午", "晚上", "中午", "早上", NULL};
    size_t j;
    int part = 0;
    if (lit_at(s, i, "全天", NULL))
        return 1;
    if (starts_any(s, i, PART, &j))
        i = j, part = 1;
    size_t k = i;
    while (k < s->n && s->t[k] >= '0' && s->t[k] <= '9')
        k++;
    int clock = k > i && k < s->n && (s->t[k] == ':' || lit_at(s, k, "：", NULL) ||
                                      lit_at(s, k, "时", NULL) || lit_at(s, k, "点", NULL));
    if (!part && !clock)
        return 0;
    for (int n = 0; n < 16 && k < s->n; n++) { /* the time phrase, then 前? */
        if (lit_at(s, k, "前", NULL))
            return 0;
        if (starts_any(s, k, CLAUSE_END, &j))
            break;
        k += ((unsigned char)s->t[k] >= 0xE0) ? 3 : 1;
    }
    return 1;
}

/* The clause from i on names a report on a period: 情况 comes within ten
 * characters, before any clause end (计划执行基本情况, 工作完成情况). */
static int status_heading(const scan_t *s, size_t i)
{
    size_t j;
    for (int k = 0; k < 10 && i < s->n; k++) {
        if (starts_any(s, i, CLAUSE_END, &j))
            return 0;
        if (lit_at(s, i, "情况", NULL))
            return 1;
        i += ((unsigned char)s->t[i] >= 0xE0) ? 3 : 1;
    }
    return 0;
}

/* Decides whether a parsed expression at [b, e->end) is a deadline. */
static int keep_expr(const scan_t *s, size_t b, expr_t *e)
{
    if (e->start || e->attribute || e->due == DUBAN_DATE_NONE)
        return 0;
    int suffix_strong = e->strong;      /* 前/以前/为止 */
    size_t after = skip_ws(s, e->end), j;
    int open_br = ends_with_any(s, b, OPEN_BR);
    int in_br = open_br || starts_any(s, after, CLOSE_BR, &j);
    if (open_br && ends_with_any(s, prev_char(s, skip_ws_back(s, b)), TITLE_WORDS))
        return 0;                   /* 实施计划（2021-2025年） */
    if (in_br)
        e->strong = 1;              /* a phase: 第一阶段（…）, 安排部署（8 月上旬） */
    int not_target = ends_with_any(s, b, NOT_TARGET);
    int to = !not_target && (ends_with_any(s, b, TO_PREFIX) || ends_with_any(s, b, TARGET_PREFIX));
    if (to || ends_with_any(s, b, STRONG_PREFIX))
        e->strong = 1;
    if (to && !suffix_strong && !in_br && e->y < s->doc_year)
        return 0;                   /* 到2020年底 in a 2022 plan: looking back */
    if (e->year_range && !in_br && is_cjk_letter_at(s, after) &&
        !lit_at(s, after, "期间", NULL) && !lit_at(s, after, "间", NULL))
        return 0;                   /* 2022-2023年大气污染防治攻坚行动方案 */
    if (not_target && (e->bare_year || e->bare_month))
        return 0;                   /* 为2035年基本建成…; 下达的2023年1-3月目标 */
    if (!suffix_strong && ends_with_any(s, b, AS_OF))
        return 0;                   /* 截至2019年12月底，全市完成…: a status date */
    if (!suffix_strong && !in_br && status_heading(s, after))
        return 0;                   /* 上半年计划执行基本情况: the period a report covers */
    if (!suffix_strong && e->d && appointment_after(s, after))
        return 0;                   /* 1月4日上午9:00—11:00召开座谈会: when, not by when */
    static const char *const SEASON[] = {"春节", "元旦", "清明", "五一", "端午", "中秋", "国庆",
        "汛期", "汛前", "汛后", "采暖季", "供暖季", "冬季", "春季", "夏季", "秋季", "冬春季",
        "暑期", "寒假", "暑假", "春运", NULL};
    if (e->bare_year) {
        if (after < s->n && digit_at(s, after, &j) >= 0)
            return 0;               /* 2023年1-3月 read as a year */
        if (starts_any(s, after, SEASON, &j))
            return 0;               /* 2023年春节前: no date to guess */
        if (!to && !(e->year_range && in_br)) {
            int at_end = after >= s->n || starts_any(s, after, CLAUSE_END, &j);
            static const char *const DONE_VERB[] = {"建成", "完成", "竣工", "实现", "全面完成",
                "基本建成", "基本完成", NULL};
            int target = e->y == s->doc_year && starts_any(s, after, DONE_VERB, &j) &&
                         clause_start(s, b);
            if (!target && (e->y < s->doc_year || (!at_end && e->y == s->doc_year)))
                return 0;           /* 2021年，全区完成…; 2021年洁净煤配送… */
            /* "；2019年建成典农河至沙湖旅游公路": the year's target */
            /* a later year followed by a verb is a target: 2026年通过复核验收 */
        }
    }
    if (!e->strong && s->ctx->issue_date != DUBAN_DATE_NONE &&
        e->due < s->ctx->issue_date)
        return 0;                   /* history */
    if (!e->strong && s->ctx->issue_date == DUBAN_DATE_NONE && e->y < s->doc_year)
        return 0;
    return 1;
}

static size_t try_date(scan_t *s, size_t i)
{
    expr_t e;
    int inh = 0;
    /* a follow-up date (…8 月下旬和 9 月中下旬) inherits the previous year */
    if (s->prev_end && i >= s->prev_end && i - s->prev_end <= 8)
        inh = s->prev_y;
    if (!parse_full(s, i, inh, &e))
        return 0;
    if (e.start && e.y >= 1) { /* 从2022年3月起 / 从2023年第二季度起 / 自2022年起 */
        int m = e.m >= 1 && e.m <= 12 ? e.m : 1, d = e.d >= 1 ? e.d : 1;
        const char *q = e.end > i ? memmem(s->t + i, e.end - i, "季度", 6) : NULL;
        if (q && e.m >= 1) { /* a quarter: its first day */
            int qy, qm, qd;
            duban_date_to_ymd(e.due, &qy, &qm, &qd);
            m = (qm - 1) / 3 * 3 + 1;
            d = 1;
        } else if (e.bare_year || e.m < 1) {
            m = 1, d = 1;
        } else if (!e.d) {
            d = 1; /* a month: its first day */
        }
        note_start(s, ymd(e.y, m, d));
    }
    if (s->have_recur && s->recur.period == DUBAN_RECUR_YEARLY && !e.has_year && !e.start &&
        e.m >= 1) {
        /* 每年12月5日前自评，12月10日前报送: the later date is the rule's */
        int rd = s->recur.day ? s->recur.day : 31, ed = e.d ? e.d : 31;
        int rm = s->recur.month ? s->recur.month : 12;
        if (e.m > rm || (e.m == rm && ed > rd)) {
            s->recur.month = e.m;
            s->recur.day = e.d;
            s->recur_xb = i;
            s->recur_xe = e.end;
        }
    } else if (keep_expr(s, i, &e)) {
        size_t b = i, j = skip_ws_back(s, i);
        for (const char *const *p = TO_PREFIX; *p; p++) {
            size_t l = strlen(*p);
            if (j >= l && memcmp(s->t + j - l, *p, l) == 0) {
                b = j - l;
                break;
            }
        }
        unsigned fl = e.ambiguous ? DUBAN_DEADLINE_F_AMBIGUOUS : 0;
        add_hit(s, b, e.end, e.due, fl);
    }
    s->prev_end = e.end;
    s->prev_y = e.y;
    s->prev_m = e.m;
    return e.end;
}

/* Year-less period ends: 年底(前)/年末/年内, 上半年/下半年, 一季度. */
static size_t try_period(scan_t *s, size_t i)
{
    static const char *const NOT_BEFORE[] = {"去", "上", "前", "每", "各", "全", "近",
        "本", "今", "明", "当", NULL};
    static const char *const YEND[] = {"年底", "年末", "年内", NULL};
    size_t j;
    expr_t e;
    bool quarter = false;
    memset(&e, 0, sizeof e);
    int y = s->doc_year;
    if (starts_any(s, i, YEND, &j))
        e.due = ymd(y, 12, 31);
    else if (lit_at(s, i, "上半年", &j))
        e.due = ymd(y, 6, 30);
    else if (lit_at(s, i, "下半年", &j))
        e.due = ymd(y, 12, 31);
    else if (!quarter_at(s, i, y, &e, &j))
        return 0;
    else
        quarter = true;
    size_t pb = skip_ws_back(s, i);
    if (pb > 0) {
        size_t l;
        uint32_t c = cp_at(s, prev_char(s, pb), &l);
        if ((c >= '0' && c <= '9') || ends_with_any(s, i, NOT_BEFORE) ||
            (cdigit_at(s, prev_char(s, pb)) >= 0))
            return 0;               /* 三年内, 去年年底, 每年年底 */
    }
    e.y = y;
    e.end = date_suffix(s, j, &e);
    if (e.start) {
        if (quarter) { /* 从第二季度起: the quarter's first day */
            int qy, qm, qd;
            duban_date_to_ymd(e.due, &qy, &qm, &qd);
            note_start(s, ymd(qy, qm - 2, 1));
        }
        return e.end;
    }
    if (!e.strong && status_heading(s, e.end))
        return e.end;               /* 上半年计划执行基本情况: a report's period */
    add_hit(s, i, e.end, e.due, 0);
    return e.end;
}

/* "十四五"期间/时期/末: the five-year plan N ends on Dec 31 of 1955 + 5N. */
static size_t try_fyp(scan_t *s, size_t i)
{
    static const char *const QUOTE[] = {"”", "\"", "’", "」", NULL};
    /* "十四五"时期 names the period (`“十四五”时期经济社会发展`), not a target */
    static const char *const WHEN[] = {"期间", "期末", "末", "内", NULL};
    size_t j = i + 3, k;
    int n = cdigit_at(s, j);
    if (n < 1 || n > 9 || !lit_at(s, j + 3, "五", &k))
        return 0;
    if (starts_any(s, k, QUOTE, &j))
        k = j;
    if (!starts_any(s, k, WHEN, &j))
        return k;
    int y = 1955 + 5 * (10 + n);
    int32_t due = ymd(y, 12, 31);
    if (s->ctx->issue_date != DUBAN_DATE_NONE ? due < s->ctx->issue_date : y < s->doc_year)
        return j;                   /* a past plan period: history */
    size_t b = i;
    if (b >= 3 && (lit_at(s, b - 3, "“", NULL) || lit_at(s, b - 3, "‘", NULL)))
        b -= 3;
    else if (b >= 1 && s->t[b - 1] == '"')
        b -= 1;
    add_hit(s, b, j, due, 0);
    return j;
}

/* 印发/下发/发布之日起N(个工作)日内, at "之日起". */
static size_t try_from_issue(scan_t *s, size_t i)
{
    static const char *const ANCHOR[] = {"印发", "下发", "发布", "公布", "签发", "发文", NULL};
    size_t j, k;
    if (!lit_at(s, i, "之日起", &j) || !ends_with_any(s, i, ANCHOR))
        return 0;
    size_t b = skip_ws_back(s, i) - 6;
    if (b >= 3 && lit_at(s, b - 3, "自", NULL))
        b -= 3;
    int nv = read_anynum(s, skip_ws(s, j), &k);
    if (nv <= 0)
        return j;                     /* 自印发之日起施行: effective, no due */
    int32_t issue = s->ctx->issue_date, due;
    int work = 0, months = 0;
    if (lit_ws(s, k, "个工作日", &k) || lit_ws(s, k, "工作日", &k))
        work = 1;
    else if (lit_ws(s, k, "个月", &k))
        months = 1;
    else if (!lit_ws(s, k, "日", &k) && !lit_ws(s, k, "天", &k))
        return j;
    if (lit_ws(s, k, "以内", &j) || lit_ws(s, k, "内", &j))
        k = j;
    if (issue == DUBAN_DATE_NONE)
        return k;
    if (work) {
        if (s->ctx->add_workdays) {
            due = s->ctx->add_workdays(s->ctx->user, issue, nv);
        } else {
            due = issue;
            for (int c = 0; c < nv;) {
                due++;
                if (duban_date_weekday(due) <= 5)
                    c++;
            }
        }
    } else if (months) {
        int y, m, d;
        duban_date_to_ymd(issue, &y, &m, &d);
        m += nv;
        y += (m - 1) / 12;
        m = (m - 1) % 12 + 1;
        due = ymd(y, m, d);
    } else {
        due = issue + nv;
    }
    add_hit(s, b, k, due, DUBAN_DEADLINE_F_FROM_ISSUE);
    return k;
}

/* ---------------------------------------------------------------- recurrence */

static void set_recur(scan_t *s, size_t b, size_t e, duban_recur_period_t p, int m, int d)
{
    if (s->have_recur)
        return;
    s->have_recur = 1;
    s->recur.period = p;
    s->recur.month = m;
    s->recur.day = d;
    s->recur_b = b;
    s->recur_e = e;
}

static void set_open(scan_t *s, size_t b, size_t e)
{
    if (!s->open_e) {
        s->open_b = b;
        s->open_e = e;
    }
}

/* 每年 M月D日、M月D日…前 / M月底 / 年底. */
static size_t recur_year(scan_t *s, size_t b, size_t i)
{
    int months[12], nm = 0, day = 0;
    size_t k = skip_ws(s, i), j;
    if (lit_at(s, k, "度", &j) || lit_at(s, k, "的", &j)) /* 每年度 / 每年的10月10日前 */
        k = skip_ws(s, j);
    if (lit_at(s, k, "年底", &j) || lit_at(s, k, "年末", &j) || lit_at(s, k, "底", &j)) {
        k = date_suffix(s, j, &(expr_t){0});
        set_recur(s, b, k, DUBAN_RECUR_YEARLY, 12, 0);
        return k;
    }
    for (;;) {
        int m = read_num(s, k, &j);
        if (m < 1 || m > 12 || !lit_ws(s, j, "月", &j))
            break;
        expr_t e;
        memset(&e, 0, sizeof e);
        e.y = s->doc_year;
        e.m = m;
        j = after_month(s, j, &e);
        day = e.d;                     /* 0 for 月底 / bare month */
        if (nm < 12)
            months[nm++] = m;
        k = skip_ws(s, j);
        static const char *const SEP[] = {"、", "，", ",", "和", "及", NULL};
        if (!starts_any(s, k, SEP, &j))
            break;
        size_t u;
        if (read_num(s, skip_ws(s, j), &u) < 0)
            break;
        k = skip_ws(s, j);
    }
    if (nm == 0)
        return i;                     /* bare 每年: a quota (每年举办2期), not a date */
    size_t e = date_suffix(s, k, &(expr_t){0});
    if (nm == 4 && months[1] - months[0] == 3 && months[2] - months[1] == 3 &&
        months[3] - months[2] == 3)
        set_recur(s, b, e, DUBAN_RECUR_QUARTERLY, (months[0] - 1) % 3 + 1, day);
    else if (nm == 2 && months[1] - months[0] == 6)
        set_recur(s, b, e, DUBAN_RECUR_HALF_YEARLY, (months[0] - 1) % 6 + 1, day);
    else
        set_recur(s, b, e, DUBAN_RECUR_YEARLY, months[0], day);
    return e;
}

/* After 每季度/每半年: 末 | 结束前 | 首月/第一个月N日前 (month 1) | 末月/最后一个月
 * N日前 (the last month) | 结束后N日(天)内 (the N-th of the next period's
 * first month: month 1, day N). */
static size_t period_offset(const scan_t *s, size_t u, int months, int *pm, int *pd)
{
    static const char *const FIRST[] = {"首月", "第一个月", "第1个月", NULL};
    static const char *const LAST[] = {"末月", "最后一个月", "最后1个月", NULL};
    static const char *const AFTER[] = {"结束后", "末后", "后", NULL};
    size_t j, k;
    *pm = *pd = 0;
    if (starts_any(s, u, FIRST, &j) || starts_any(s, u, LAST, &k)) {
        int last = !starts_any(s, u, FIRST, &j);
        if (last)
            j = k;
        if (lit_at(s, skip_ws(s, j), "的", &k)) /* 第1个月的20日前 */
            j = k;
        int d = read_anynum(s, skip_ws(s, j), &k);
        if (d >= 1 && d <= 31 && (lit_ws(s, k, "日", &k) || lit_ws(s, k, "号", &k))) {
            *pm = last ? months : 1;
            *pd = d;
            return date_suffix(s, k, &(expr_t){0});
        }
        return u;
    }
    if (starts_any(s, u, AFTER, &j)) {
        int d = read_anynum(s, skip_ws(s, j), &k);
        if (d >= 1 && d <= 31 && (lit_ws(s, k, "日", &k) || lit_ws(s, k, "天", &k))) {
            *pm = 1;
            *pd = d;
            if (lit_ws(s, k, "以内", &j) || lit_ws(s, k, "内", &j))
                k = j;
            return k;
        }
        return u;
    }
    if (lit_at(s, u, "末", &j) || lit_at(s, u, "结束前", &j))
        return j;
    return u;
}

static size_t try_recur(scan_t *s, size_t i)
{
    size_t j, k, u;
    if (!lit_at(s, i, "每", &j))
        return 0;
    if (i >= 6 && lit_at(s, prev_char(s, prev_char(s, i)), "每", NULL))
        return j;                     /* 每人每月440元: a rate */
    k = skip_ws(s, j);
    int pm = 0, pd = 0;
    if (lit_at(s, k, "季度", &u) || lit_at(s, k, "个季度", &u)) {
        u = period_offset(s, u, 3, &pm, &pd);
        set_recur(s, i, u, DUBAN_RECUR_QUARTERLY, pm, pd);
        return u;
    }
    if (lit_at(s, k, "半年", &u) || lit_at(s, k, "学期", &u)) {
        u = period_offset(s, u, 6, &pm, &pd);
        set_recur(s, i, u, DUBAN_RECUR_HALF_YEARLY, pm, pd);
        return u;
    }
    if (lit_at(s, k, "月", &u) || lit_at(s, k, "个月", &u)) {
        int d = read_num(s, skip_ws(s, u), &j), day = 0;
        if (d >= 1 && d <= 31 && (lit_ws(s, j, "日", &j) || lit_ws(s, j, "号", &j))) {
            day = d;
            u = date_suffix(s, j, &(expr_t){0});
        } else if (lit_ws(s, u, "底", &j) || lit_ws(s, u, "末", &j)) {
            u = date_suffix(s, j, &(expr_t){0});
        } else if (d >= 0) {
            return j;                 /* 每月5%服务费, 每月440元 */
        }
        set_recur(s, i, u, DUBAN_RECUR_MONTHLY, 0, day);
        return u;
    }
    if (lit_at(s, k, "年", &u))
        return recur_year(s, i, u);
    if (lit_at(s, k, "周", &u) || lit_at(s, k, "星期", &u)) {
        int wd = 0, v = read_anynum(s, u, &j);
        if (v >= 1 && v <= 6 && !lit_ws(s, j, "次", NULL) && !lit_ws(s, j, "个", NULL)) {
            wd = v;                    /* 每周五 (not 每周一次) */
            u = j;
        } else if (lit_at(s, u, "日", &j) || lit_at(s, u, "天", &j)) {
            wd = 7;
            u = j;
        }
        if (wd)
            u = date_suffix(s, u, &(expr_t){0});
        set_recur(s, i, u, DUBAN_RECUR_WEEKLY, 0, wd);
        return u;
    }
    if (lit_at(s, k, "天", &u) || lit_at(s, k, "日", &u)) {
        if (standalone(s, i, u))
            set_open(s, i, u);
        return u;
    }
    return 0;
}

/* 按年度/按季度/按半年/按月 + a report (报送 上报 报告 通报 总结): the rule of
 * the period, due at its end (按年度目标 is an attribute, not a rule). */
static size_t try_by_period(scan_t *s, size_t i)
{
    static const char *const REPORT[] = {"报送", "上报", "报告", "通报", "总结", "向", NULL};
    static const struct { const char *w; duban_recur_period_t p; } PER[] = {
        {"年度", DUBAN_RECUR_YEARLY}, {"季度", DUBAN_RECUR_QUARTERLY},
        {"半年", DUBAN_RECUR_HALF_YEARLY}, {"月", DUBAN_RECUR_MONTHLY}};
    size_t j, u, r;
    if (!lit_at(s, i, "按", &j))
        return 0;
    for (size_t k = 0; k < sizeof(PER) / sizeof(PER[0]); k++) {
        if (!lit_at(s, skip_ws(s, j), PER[k].w, &u))
            continue;
        if (!starts_any(s, skip_ws(s, u), REPORT, &r))
            return u;
        set_recur(s, i, u, PER[k].p, PER[k].p == DUBAN_RECUR_YEARLY ? 12 : 0, 0);
        return u;
    }
    return j;
}

/* ---------------------------------------------------------------- open-ended */

/* Is [b, e) a clause of its own (a table cell, a 时限 value, `…，并长期坚持`),
 * rather than a verb inside a sentence (`持续开展“六清”行动`)? */
static int standalone(const scan_t *s, size_t b, size_t e)
{
    static const char *const BEFORE[] = {"，", ",", "；", ";", "。", "：", ":", "、", "（", "(",
        "\t", " ", "\n", "并", "且", "和", "及", NULL};
    static const char *const AFTER[] = {"，", ",", "；", ";", "。", "）", ")", "、", "\t", " ",
        "\n", "\r", NULL};
    size_t j;
    unsigned char pc = b ? (unsigned char)s->t[b - 1] : ' ';
    int ok_before = pc == ' ' || pc == '\t' || pc == '\n' || pc == '\r' ||
                    ends_with_any(s, b, BEFORE) || skip_ws_back(s, b) == 0;
    int ok_after = e >= s->n || starts_any(s, e, AFTER, &j) || skip_ws(s, e) >= s->n;
    return ok_before && ok_after;
}

static size_t try_open(scan_t *s, size_t i)
{
    static const char *const OPEN[] = {"长期坚持", "持续推进", "持续开展", "常态化",
        "长效", "定期", NULL};
    size_t j;
    if (starts_any(s, i, OPEN, &j) || lit_at(s, i, "长期", &j)) {
        if (standalone(s, i, j))      /* not 持续开展“六清”行动, 长期闲置, 不定期 */
            set_open(s, i, j);
        return j;
    }
    if (lit_at(s, i, "立行立改", &j)) {
        if (!s->now_e) {
            s->now_b = i;
            s->now_e = j;
        }
        return j;
    }
    return 0;
}

/* ---------------------------------------------------------------- scan */

/* Skips a bracketed title or document number (at most 600 bytes). */
static size_t skip_bracket(const scan_t *s, size_t i, const char *close)
{
    size_t cl = strlen(close), lim = i + 600 < s->n ? i + 600 : s->n;
    for (size_t k = i; k + cl <= lim; k++)
        if (memcmp(s->t + k, close, cl) == 0)
            return k + cl;
    return 0;
}

/* A run of Chinese digits followed by 年 or 月 (二〇二三年, 十二月)? */
static int cn_date_ahead(const scan_t *s, size_t i)
{
    for (int k = 0; k < 4 && (cdigit_at(s, i) >= 0 || duban_cn_digit(s->t + i, s->n - i) == 0);
         k++)
        i += 3;
    i = skip_ws(s, i);
    return lit_at(s, i, "年", NULL) || lit_at(s, i, "月", NULL);
}

/* A digit run at i: a date expression, or skipped whole. */
static size_t at_digit(scan_t *s, size_t i)
{
    size_t dl, next = 0;
    if (i == 0 || digit_at(s, prev_char(s, i), &dl) < 0)
        next = try_date(s, i);
    if (!next) {
        next = i;
        while (digit_at(s, next, &dl) >= 0)
            next += dl;
    }
    return next;
}

/* What a trigger character starts (uniform handlers for the table below). */
static size_t on_book(scan_t *s, size_t i, uint32_t c) { (void)c; return skip_bracket(s, i, "》"); }
static size_t on_tortoise(scan_t *s, size_t i, uint32_t c) { (void)c; return skip_bracket(s, i, "〕"); }
static size_t on_date(scan_t *s, size_t i, uint32_t c) { (void)c; return try_date(s, i); }
static size_t on_period(scan_t *s, size_t i, uint32_t c) { (void)c; return try_period(s, i); }
static size_t on_recur(scan_t *s, size_t i, uint32_t c) { (void)c; return try_recur(s, i); }
static size_t on_by_period(scan_t *s, size_t i, uint32_t c) { (void)c; return try_by_period(s, i); }
static size_t on_from_issue(scan_t *s, size_t i, uint32_t c) { (void)c; return try_from_issue(s, i); }
static size_t on_open(scan_t *s, size_t i, uint32_t c) { (void)c; return try_open(s, i); }
static size_t on_fw_digit(scan_t *s, size_t i, uint32_t c) { (void)c; return at_digit(s, i); }

/* 一…九 〇 零: a Chinese date (十二月底前), or 一季度 */
static size_t on_cn_digit(scan_t *s, size_t i, uint32_t c)
{
    size_t next = 0;
    if ((i == 0 || (cdigit_at(s, prev_char(s, i)) < 0 &&
                    !lit_at(s, prev_char(s, i), "〇", NULL))) && cn_date_ahead(s, i))
        next = try_date(s, i);
    if (!next && (c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB))
        next = try_period(s, i);
    return next;
}

/* 十: "十四五"期间, or a Chinese date (十月底) */
static size_t on_ten(scan_t *s, size_t i, uint32_t c)
{
    (void)c;
    size_t next = try_fyp(s, i);
    if (!next && (i == 0 || cdigit_at(s, prev_char(s, i)) < 0) && cn_date_ahead(s, i))
        next = try_date(s, i);
    return next;
}

/* The one table of trigger characters: X(code point, handler). scan()
 * skips every other character after one bit test in TRIGGER_FILTER (1024
 * bits over the low ten bits of the code point) and dispatches through
 * at_cjk()'s switch; both are generated from this list at compile time. */
#define TRIGGERS(X, k)                                                       \
    X(0x300A, on_book, k)        /* 《 */                                    \
    X(0x3014, on_tortoise, k)    /* 〔 */                                    \
    X(0x4ECA, on_date, k)        /* 今 */                                    \
    X(0x672C, on_date, k)        /* 本 */                                    \
    X(0x5F53, on_date, k)        /* 当 */                                    \
    X(0x660E, on_date, k)        /* 明 */                                    \
    X(0x5E74, on_period, k)      /* 年 */                                    \
    X(0x4E0A, on_period, k)      /* 上 */                                    \
    X(0x4E0B, on_period, k)      /* 下 */                                    \
    X(0x7B2C, on_period, k)      /* 第 */                                    \
    X(0x4E00, on_cn_digit, k)    /* 一 */                                    \
    X(0x4E8C, on_cn_digit, k)    /* 二 */                                    \
    X(0x4E09, on_cn_digit, k)    /* 三 */                                    \
    X(0x56DB, on_cn_digit, k)    /* 四 */                                    \
    X(0x4E94, on_cn_digit, k)    /* 五 */                                    \
    X(0x516D, on_cn_digit, k)    /* 六 */                                    \
    X(0x4E03, on_cn_digit, k)    /* 七 */                                    \
    X(0x516B, on_cn_digit, k)    /* 八 */                                    \
    X(0x4E5D, on_cn_digit, k)    /* 九 */                                    \
    X(0x3007, on_cn_digit, k)    /* 〇 */                                    \
    X(0x96F6, on_cn_digit, k)    /* 零 */                                    \
    X(0x6BCF, on_recur, k)       /* 每 */                                    \
    X(0x6309, on_by_period, k)   /* 按 */                                    \
    X(0x5341, on_ten, k)         /* 十 */                                    \
    X(0x4E4B, on_from_issue, k)  /* 之 */                                    \
    X(0x957F, on_open, k)        /* 长 */                                    \
    X(0x6301, on_open, k)        /* 持 */                                    \
    X(0x5E38, on_open, k)        /* 常 */                                    \
    X(0x5B9A, on_open, k)        /* 定 */                                    \
    X(0x7ACB, on_open, k)        /* 立 */                                    \
    X(0xFF10, on_fw_digit, k)                                                \
    X(0xFF11, on_fw_digit, k)                                                \
    X(0xFF12, on_fw_digit, k)                                                \
    X(0xFF13, on_fw_digit, k)                                                \
    X(0xFF14, on_fw_digit, k)                                                \
    X(0xFF15, on_fw_digit, k)                                                \
    X(0xFF16, on_fw_digit, k)                                                \
    X(0xFF17, on_fw_digit, k)                                                \
    X(0xFF18, on_fw_digit, k)                                                \
    X(0xFF19, on_fw_digit, k)
#define TRIGGER_BIT(cp, fn, k) | ((((cp) & 0x3FFu) >> 5) == (k) ? 1u << ((cp) & 31u) : 0u)
#define TF(k) 0u TRIGGERS(TRIGGER_BIT, k)
static const uint32_t TRIGGER_FILTER[32] = {
    TF(0),  TF(1),  TF(2),  TF(3),  TF(4),  TF(5),  TF(6),  TF(7),  TF(8),  TF(9),  TF(10),
    TF(11), TF(12), TF(13), TF(14), TF(15), TF(16), TF(17), TF(18), TF(19), TF(20), TF(21),
    TF(22), TF(23), TF(24), TF(25), TF(26), TF(27), TF(28), TF(29), TF(30), TF(31)};
#undef TF
#undef TRIGGER_BIT

static inline int maybe_trigger(uint32_t cp)
{
    return (int)((TRIGGER_FILTER[(cp & 0x3FFu) >> 5] >> (cp & 31u)) & 1u);
}

/* The handler of trigger character c at i (0: nothing starts there). */
static size_t at_cjk(scan_t *s, size_t i, uint32_t c)
{
#define TRIGGER_CASE(cp, fn, k) case cp: return fn(s, i, c);
    switch (c) {
    TRIGGERS(TRIGGER_CASE, 0)
    default: return 0;
    }
#undef TRIGGER_CASE
}

static void scan(scan_t *s)
{
    const unsigned char *u = (const unsigned char *)s->t;
    size_t i = 0, n = s->n;
    while (i < n) {
        unsigned char c = u[i];
        size_t next = 0, len = 1;
        if (c < 0x80) {                         /* ASCII: digits and [ only */
            if (c >= '0' && c <= '9')
                next = at_digit(s, i);
            else if (c == '[')
                next = skip_bracket(s, i, "]");
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            uint32_t cp = ((c & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
            len = 3;
            if (maybe_trigger(cp))
                next = at_cjk(s, i, cp);
        } else {
            len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF8) == 0xF0 ? 4 : 1;
        }
        i = next > i ? next : i + len;
    }
}

/* ---------------------------------------------------------------- output */

/* Copies at most cap-1 bytes of src[0..len) into dst on a UTF-8 boundary. */
static size_t copy_utf8(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
    return len;
}

static void append_utf8(char *dst, size_t cap, const char *src, size_t len)
{
    size_t have = strlen(dst);
    if (have + 1 < cap)
        copy_utf8(dst + have, cap - have, src, len);
}

static size_t count_chars(const char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)p[i] & 0xC0) != 0x80;
    return n;
}

/* Text of several phrases: one span when short, else joined by "；". */
static void build_text(const scan_t *s, const size_t *b, const size_t *e, size_t k,
                       char *out, size_t cap)
{
    size_t lo = b[0], hi = e[0];
    for (size_t q = 1; q < k; q++) {
        if (b[q] < lo) lo = b[q];
        if (e[q] > hi) hi = e[q];
    }
    out[0] = '\0';
    if (k == 1 || count_chars(s->t + lo, hi - lo) <= 40) {
        copy_utf8(out, cap, s->t + lo, hi - lo);
        return;
    }
    for (size_t q = 0; q < k; q++) {
        if (q)
            append_utf8(out, cap, "；", 3);
        append_utf8(out, cap, s->t + b[q], e[q] - b[q]);
    }
}

/* "每季度末（分别在6月、9月和12月底）": the dates in a bracket right after
 * a recurrence are its occurrences, not deadlines of their own. */
static void drop_recurrence_gloss(scan_t *s)
{
    size_t j, at = skip_ws(s, s->recur_e);
    if (!s->have_recur || !starts_any(s, at, OPEN_BR, &j))
        return;
    size_t close = j;
    while (close < s->n && !starts_any(s, close, CLOSE_BR, &j))
        close += ((unsigned char)s->t[close] >= 0xE0) ? 3 : 1;
    size_t kept = 0;
    for (size_t q = 0; q < s->nhits; q++)
        if (!(s->hits[q].b >= at && s->hits[q].e <= close))
            s->hits[kept++] = s->hits[q];
    s->nhits = kept;
}

static void finish(scan_t *s, duban_deadline_t *out)
{
    size_t bs[MAX_HITS + 2], es[MAX_HITS + 2], k = 0;
    drop_recurrence_gloss(s);
    if (s->now_e && !s->nhits) {
        if (s->open_e) {            /* 立行立改并长期坚持: open-ended */
            bs[k] = s->now_b;
            es[k++] = s->now_e;
        } else if (s->ctx->issue_date != DUBAN_DATE_NONE) {
            add_hit(s, s->now_b, s->now_e, s->ctx->issue_date, DUBAN_DEADLINE_F_FROM_ISSUE);
        } else {
            set_open(s, s->now_b, s->now_e);
        }
    }
    if (s->nhits) {
        out->kind = DUBAN_DEADLINE_DATED;
        out->due_date = s->hits[0].due;
        for (size_t q = 0; q < s->nhits; q++) {
            const hit_t *h = &s->hits[q];
            if (h->due > out->due_date)
                out->due_date = h->due;
            out->flags |= h->flags & ~DUBAN_DEADLINE_F_AMBIGUOUS;
            bs[k] = h->b;
            es[k++] = h->e;
        }
        for (size_t q = 0; q < s->nhits; q++)
            if (s->hits[q].due == out->due_date)
                out->flags |= s->hits[q].flags;
        if (s->open_e) {
            out->flags |= DUBAN_DEADLINE_F_ONGOING;
            bs[k] = s->open_b;
            es[k++] = s->open_e;
        }
        if (s->nhits > 1) {
            for (size_t q = 0; q < s->nhits && q < DUBAN_DEADLINE_MAX_MILESTONES; q++) {
                duban_milestone_t *m = &out->milestones[out->milestone_count++];
                m->due_date = s->hits[q].due;
                copy_utf8(m->text, sizeof m->text, s->t + s->hits[q].b,
                          s->hits[q].e - s->hits[q].b);
            }
        }
        if (s->ctx->issue_date != DUBAN_DATE_NONE && out->due_date < s->ctx->issue_date)
            out->flags |= DUBAN_DEADLINE_F_PAST_AT_ISSUE;
    } else if (s->have_recur) {
        out->kind = DUBAN_DEADLINE_RECURRING;
        out->recurrence = s->recur;
        copy_utf8(out->recurrence.text, sizeof out->recurrence.text,
                  s->t + s->recur_b, s->recur_e - s->recur_b);
        int32_t anchor = s->ctx->issue_date;
        if (anchor == DUBAN_DATE_NONE && s->doc_year >= 1900) /* no issue date: the year's start */
            anchor = ymd(s->doc_year, 1, 1);
        if (anchor != DUBAN_DATE_NONE) {                /* first due on/after issue */
            int32_t from = anchor;
            if (s->starts_on != DUBAN_DATE_NONE && s->starts_on > from)
                from = s->starts_on;                    /* …or after its start */
            out->due_date = duban_recurrence_next_due(&out->recurrence, from - 1);
        }
        bs[k] = s->recur_b;
        es[k++] = s->recur_e;
        if (s->recur_xe) {
            bs[k] = s->recur_xb;
            es[k++] = s->recur_xe;
        }
    } else if (s->open_e) {
        out->kind = DUBAN_DEADLINE_OPEN_ENDED;
        bs[k] = s->open_b;
        es[k++] = s->open_e;
    }
    if (k)
        build_text(s, bs, es, k, out->text, sizeof out->text);
}

/* The first year "19xx年"/"20xx年" printed in the text (digits ASCII), or 0. */
static int first_year(const char *t, size_t n)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if ((t[i] != '1' && t[i] != '2') || (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9'))
            continue;
        int y = 0, k = 0;
        while (k < 4 && t[i + k] >= '0' && t[i + k] <= '9')
            y = y * 10 + (t[i + k++] - '0');
        if (k == 4 && memcmp(t + i + 4, "年", 3) == 0 && y >= 1990 && y <= 2100)
            return y;
    }
    return 0;
}

duban_err_t duban_deadline_extract(const char *text, size_t len,
                                   const duban_deadline_ctx_t *ctx,
                                   duban_deadline_t *out,
                                   char *errbuf, size_t errbuf_size)
{
    if (!out || !ctx || (!text && len))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "deadline_extract: NULL argument");
    memset(out, 0, sizeof *out);
    out->due_date = DUBAN_DATE_NONE;
    scan_t s;
    memset(&s, 0, sizeof s);
    s.starts_on = DUBAN_DATE_NONE;
    s.t = text ? text : "";
    s.n = len;
    s.ctx = ctx;
    s.doc_year = ctx->doc_year;
    if (s.doc_year == 0 && ctx->issue_date != DUBAN_DATE_NONE) {
        int m, d;
        duban_date_to_ymd(ctx->issue_date, &s.doc_year, &m, &d);
    }
    /* No year known for the document (an excerpt without date or number):
     * the text's own first year stands in for it, flagged; with none, a
     * year-less date cannot be read at all. */
    bool year_from_text = false, no_year = false;
    if (s.doc_year == 0) {
        s.doc_year = first_year(s.t, s.n);
        year_from_text = s.doc_year != 0;
        if (!year_from_text) {
            s.doc_year = 2000; /* a placeholder: dated results are dropped below */
            no_year = true;
        }
    }
    if (s.doc_year < 1900 || s.doc_year > 2199)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "deadline_extract: doc_year %d out of range", s.doc_year);
    scan(&s);
    finish(&s, out);
    if (no_year && out->kind == DUBAN_DEADLINE_DATED) {
        /* "5月底前" with no year anywhere: the phrase stays, the date goes */
        out->kind = DUBAN_DEADLINE_NONE;
        out->due_date = DUBAN_DATE_NONE;
        out->milestone_count = 0;
        out->flags = 0;
    }
    if (no_year && out->kind == DUBAN_DEADLINE_RECURRING)
        out->due_date = DUBAN_DATE_NONE;
    if (year_from_text && out->kind == DUBAN_DEADLINE_DATED)
        out->flags |= DUBAN_DEADLINE_F_AMBIGUOUS;
    return DUBAN_OK;
}

int32_t duban_deadline_calendar_workdays(void *calendar, int32_t date, int n)
{
    return duban_calendar_add_workdays((const duban_calendar_t *)calendar, date, n);
}

/* ---------------------------------------------------------------- names */

const char *duban_deadline_kind_name(duban_deadline_kind_t kind)
{
    switch (kind) {
    case DUBAN_DEADLINE_DATED: return "DATED";
    case DUBAN_DEADLINE_RECURRING: return "RECURRING";
    case DUBAN_DEADLINE_OPEN_ENDED: return "OPEN_ENDED";
    default: return "NONE";
    }
}

const char *duban_recur_period_name(duban_recur_period_t period)
{
    switch (period) {
    case DUBAN_RECUR_WEEKLY: return "WEEKLY";
    case DUBAN_RECUR_MONTHLY: return "MONTHLY";
    case DUBAN_RECUR_QUARTERLY: return "QUARTERLY";
    case DUBAN_RECUR_HALF_YEARLY: return "HALF_YEARLY";
    case DUBAN_RECUR_YEARLY: return "YEARLY";
    default: return "NONE";
    }
}
