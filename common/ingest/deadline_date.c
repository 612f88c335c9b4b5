/* common/ingest/deadline_date.c: date expressions of the deadline scanner
 * (deadline_scan.h): absolute and year-less dates, month and quarter ends,
 * ranges, the prefixes that make a date a target (到/力争/时限：) or not
 * (截至/比), and the periods counted from the issue date. */
#include <string.h>
#include "deadline_scan.h"

/* ---------------------------------------------------------------- dates */

/* Suffix of a date: 前/以前/之前/为止/止/内 (strong); 起/以来/至今 (start). */
/* After a date, what says when in the day it is (the deadline is still
 * that day): "（星期二）", "（周五）", "上午", "下午", "下班", "12时": the
 * position after them, or i. */
static size_t day_detail(const scan_t *s, size_t i)
{
    static const char *const WEEKDAY[] = {"（星期", "(星期", "（周", "(周", NULL};
    static const char *const PART[] = {"上午", "下午", "中午", "下班", "12时", "12点", "18时",
                                       "17时", "17:30", NULL};
    size_t k = skip_ws(s, i), j;
    if (starts_any(s, k, WEEKDAY, &j) && j + 3 <= s->n) {
        size_t c = j + 3; /* one weekday character, then the closing bracket */
        if (lit_at(s, c, "）", &j) || lit_at(s, c, ")", &j))
            k = skip_ws(s, j);
    }
    for (int n = 0; n < 2 && starts_any(s, k, PART, &j); n++)
        k = skip_ws(s, j);
    return k;
}

size_t dl_date_suffix(const scan_t *s, size_t i, expr_t *e)
{
    static const char *const STRONG[] = {"以前", "之前", "前", "为止", "以内", NULL};
    static const char *const START[] = {"起", "开始", "以来", "至今", "以后", "后", NULL};
    size_t k = skip_ws(s, i), j;
    size_t d = day_detail(s, i);
    if (d != k && starts_any(s, d, STRONG, &j)) { /* 6月18日（星期二）上午下班前 */
        e->strong = 1;
        return j;
    }
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
size_t dl_after_month(const scan_t *s, size_t i, expr_t *e)
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
        {"下旬", 0, 0}, {"底", 0, 0}, {"末", 0, 0}, {"份", 0, 0},
        {"初", 10, 0}}; /* 7月初: early in the month, read as 上旬 */
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
        return dl_after_month(s, j, e);
    }
    size_t u;
    if (m >= 1 && m <= 12 && lit_ws(s, j, "底前", &u)) { /* "2016 年 6 底前": 月 dropped */
        e->m = m;
        e->strong = 1;
        e->due = ymd(e->y, m, duban_date_days_in_month(e->y, m));
        return u;
    }
    if (m >= 1 && m <= 12 && dash_at(s, j, &u)) {     /* 2021年10-12月 */
        int m2 = read_num(s, skip_ws(s, u), &u);
        if (m2 >= m && m2 <= 12 && lit_ws(s, u, "月", &u)) {
            e->m = m2;
            e->range = 1;
            return dl_after_month(s, u, e);
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

const char *const DL_OPEN_BR[] = {"（", "(", NULL};
const char *const DL_CLOSE_BR[] = {"）", ")", NULL};

/* "总结阶段（11月）", "（5月—8月）": a month alone in brackets is a phase's
 * time, read as the month's end. */
static int month_in_brackets(const scan_t *s, size_t b, size_t e)
{
    size_t j, k;
    if (b == 0 || !ends_with_any(s, b, DL_OPEN_BR))
        return 0;
    if (dash_at(s, e, &j)) { /* （5月-8月）: the range's end month */
        int m = read_anynum(s, skip_ws(s, j), &k);
        if (m < 1 || m > 12 || !lit_ws(s, k, "月", &e))
            return 0;
    }
    return starts_any(s, skip_ws(s, e), DL_CLOSE_BR, &j);
}

/* A date printed in digits after the year y that ends at i: "2023-06-30",
 * "2023.6.30", "2023/6/30" (one separator throughout), or "2023.12",
 * "2023/12" (the month's end; not with '-', which joins years: 2021-2023). */
static int numeric_date(const scan_t *s, size_t i, int y, expr_t *e)
{
    if (i + 1 >= s->n || (s->t[i] != '-' && s->t[i] != '.' && s->t[i] != '/'))
        return 0;
    char sep = s->t[i];
    size_t j, k;
    int m = read_num(s, i + 1, &j);
    if (m < 1 || m > 12 || j - (i + 1) > 2)
        return 0;
    e->y = y;
    e->m = m;
    e->has_year = 1;
    if (j + 1 < s->n && s->t[j] == sep) {
        int d = read_num(s, j + 1, &k);
        if (d < 1 || d > 31 || k - (j + 1) > 2 || d > duban_date_days_in_month(y, m) ||
            digit_at(s, k, &j) >= 0 || (k < s->n && s->t[k] == sep))
            return 0;
        e->d = d;
        e->due = ymd(y, m, d);
        e->end = k;
        return 1;
    }
    /* a month alone: only where a deadline stops (the text's or a cell's end,
     * a clause mark, 前/底/止/完成), and near the document's year: 2145.8毫米
     * is no date */
    static const char *const STOP[] = {"，", "。", "；", "、", "）", ")", " ", "前", "底", "止",
                                       "以前", "之前", "完成", "\t", "\n", NULL};
    if (sep == '-' || (j < s->n && !starts_any(s, j, STOP, &k)) ||
        (s->doc_year && (y < s->doc_year - 10 || y > s->doc_year + 15)))
        return 0;
    e->due = ymd(y, m, 0);
    e->end = j;
    return 1;
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
    /* 次年/翌年: the year after the document's, unless a yearly rule came
     * first (每年12月…，次年1月…: the year after each period's) */
    static const char *const NEXT_YEAR[] = {"明年", "次年", "翌年", NULL};
    int next = starts_any(s, i, NEXT_YEAR, &k) && (lit_at(s, i, "明年", NULL) || !s->have_recur);
    if (starts_any(s, i, THIS_YEAR, &j) || next) {
        if (next)
            j = k;
        e->y = s->doc_year + (next ? 1 : 0);
        e->has_year = 1;
        e->end = after_year(s, j, e);
        if (e->bare_year)
            return 0;
        return 1;
    }
    static const char *const MONEY[] = {"万", "千", "百", "亿", NULL};
    int n = read_num(s, i, &j);
    if (n < 0 && lit_at(s, i, "元月", NULL)) {
        if (i > 0 && (digit_at(s, prev_char(s, i), &k) >= 0 || ends_with_any(s, i, MONEY)))
            return 0;             /* 3000元月均: yuan, not a month */
        n = 1, j = i + 3;         /* 元月底前: January */
    } else if (n < 0 && (n = read_cyear(s, i, &j)) < 0 && (n = read_cnum(s, i, &j)) < 0) {
        return 0;                 /* 2023 / 二〇二三 / 十二 */
    }
    if (year_like(n) && !range_end && numeric_date(s, j, n, e))
        return 1;
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
        e->end = dl_after_month(s, j, e);
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
    e->end = dl_date_suffix(s, e->end, e);
    return 1;
}

/* ---------------------------------------------------------------- hits */

static const char *const TO_PREFIX[] = {"力争到", "争取到", "力争在", "力争", "争取", "到", NULL};
static const char *const TARGET_PREFIX[] = {"至", "争取", "力争", "截止", NULL};
static const char *const STRONG_PREFIX[] = {"时限：", "时限:", "时间：", "时间:", "期限：",
    "期限:", "时限", NULL};
static const char *const NOT_TARGET[] = {"截至", "为", "比", "较", "与", "同", "从", "自",
    "由", "是", "的", NULL};
static const char *const AS_OF[] = {"截至", "截至到", "截至目前", NULL};
/* A bare year after a verb that drafts or files a plan names the plan's
 * year: "编报了2023年保障性租赁住房…计划", "制定2008年责任目标" */
static const char *const PLAN_VERB[] = {"编报", "编报了", "报送", "制定", "制定了", "制订",
    "编制", "编制了", "上报", "下达", "下达了", "确定了", NULL};
/* 截止 printed for 截至: a status date only where a sentence (or what a
 * colon introduces) opens with it and a comma follows the date ("截止2017年7月底，…已整改到位"); "…，截止2024年
 * 6月30日。" is a deadline */
static const char *const AS_OF_LOOSE[] = {"截止到", "截止", NULL};
static const char *const COLON[] = {"：", ":", NULL};
static const char *const TITLE_WORDS[] = {"规划", "计划", "方案", "纲要", "意见", "办法",
    "行动", "工程", "标准", "清单", "目录", "名单", "报告", "要点", NULL};
const char *const duban_deadline_seasons[] = {"春节", "元旦", "清明", "五一", "端午", "中秋",
    "国庆", "汛期", "汛前", "汛后", "采暖季", "供暖季", "冬季", "春季", "夏季", "秋季", "冬春季",
    "暑期", "寒假", "暑假", "春运", "开学", "入冬", NULL};
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

/* Whether b opens a sentence or a line (the text's start, or 。 ； ！ a
 * line break before it). */
static int sentence_start(const scan_t *s, size_t b)
{
    static const char *const END[] = {"。", "；", "！", "\n", NULL};
    size_t j = b;
    while (j > 0 && (s->t[j - 1] == ' ' || s->t[j - 1] == '\t'))
        j--;
    if (j == 0)
        return 1;
    for (const char *const *p = END; *p; p++) {
        size_t l = strlen(*p);
        if (j >= l && memcmp(s->t + j - l, *p, l) == 0)
            return 1;
    }
    return 0;
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

/* The word comes within `chars` characters of i, before any clause end. */
static int word_in_clause(const scan_t *s, size_t i, const char *word, int chars)
{
    size_t j;
    for (int k = 0; k < chars && i < s->n; k++) {
        if (starts_any(s, i, CLAUSE_END, &j))
            return 0;
        if (lit_at(s, i, word, NULL))
            return 1;
        i += ((unsigned char)s->t[i] >= 0xE0) ? 3 : 1;
    }
    return 0;
}

/* The clause from i on names a report on a period: 情况 comes within ten
 * characters (计划执行基本情况, 工作完成情况). */
static int status_heading(const scan_t *s, size_t i)
{
    return word_in_clause(s, i, "情况", 10);
}

/* s->t[..b) ends with lit. */
static int lit_before(const scan_t *s, size_t b, const char *lit)
{
    size_t n = strlen(lit);
    return b >= n && memcmp(s->t + b - n, lit, n) == 0;
}

/* A bare year of the document that opens a clause and is followed by what
 * is to be done in it: "；2019年建成典农河至沙湖旅游公路", "任务目标：2024年
 * 计划改造完成…", "2024年度计划对…进行改造". The year's target: Dec 31. */
static int year_target(const scan_t *s, size_t b, const expr_t *e, size_t after)
{
    static const char *const DONE_VERB[] = {"建成", "完成", "竣工", "实现", "全面完成",
        "基本建成", "基本完成", "计划", "度计划", "度完成", "度建成", NULL};
    /* "2022年粮食播种面积稳定在4234.5万亩以上": a measure, then its level */
    static const char *const LEVEL_VERB[] = {"稳定在", "达到", "控制在", "保持在", "提高到",
        "提高至", "提升到", "提升至", "突破", "下降到", "降至", "降低到", NULL};
    size_t j;
    if (e->y != s->doc_year)
        return 0;
    if (lit_before(s, b, "实现") && word_in_clause(s, after, "目标", 40))
        return 1;   /* "实现2025年全镇中小学生溺水事件零发生的目标": the year's target */
    if (!clause_start(s, b))
        return 0;
    if (starts_any(s, after, DONE_VERB, &j))
        return 1;
    for (size_t k = after, n = 0; k < s->n && n < 12; n++) {
        if (starts_any(s, k, CLAUSE_END, &j) || digit_at(s, k, &j) >= 0)
            return 0;
        if (n >= 2 && starts_any(s, k, LEVEL_VERB, &j))
            return 1;
        k += ((unsigned char)s->t[k] >= 0xE0) ? 3 : 1;
    }
    return 0;
}

/* Decides whether a parsed expression at [b, e->end) is a deadline. */
static int keep_expr(const scan_t *s, size_t b, expr_t *e)
{
    if (e->start || e->due == DUBAN_DATE_NONE)
        return 0;
    if (e->attribute && !year_target(s, b, e, skip_ws(s, e->end)))
        return 0;                   /* 2023年度计划 as a name, 2019年版 */
    int suffix_strong = e->strong;      /* 前/以前/为止 */
    size_t after = skip_ws(s, e->end), j;
    int open_br = ends_with_any(s, b, DL_OPEN_BR);
    int in_br = open_br || starts_any(s, after, DL_CLOSE_BR, &j);
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
    for (const char *const *p = AS_OF_LOOSE; *p; p++) {
        size_t l = strlen(*p);
        if (b >= l && memcmp(s->t + b - l, *p, l) == 0 &&
            (sentence_start(s, b - l) || ends_with_any(s, b - l, COLON)) &&
            lit_at(s, after, "，", NULL))
            return 0;               /* 截止2017年7月底，…已整改到位 */
    }
    if (!suffix_strong && !in_br && status_heading(s, after))
        return 0;                   /* 上半年计划执行基本情况: the period a report covers */
    if (!suffix_strong && e->d && appointment_after(s, after))
        return 0;                   /* 1月4日上午9:00—11:00召开座谈会: when, not by when */
    if (!suffix_strong && !in_br && !to && e->d && !e->range && lit_at(s, after, "，", NULL) &&
        sentence_start(s, b))
        return 0;                   /* 5月16日，县安置办…下发安置通知: the day it was done */
    if (e->bare_year) {
        if (after < s->n && digit_at(s, after, &j) >= 0)
            return 0;               /* 2023年1-3月 read as a year */
        if (!to && !suffix_strong && !in_br && ends_with_any(s, b, PLAN_VERB))
            return 0;               /* 编报了2023年…计划: the plan's year */
        if (starts_any(s, after, duban_deadline_seasons, &j))
            return 0;               /* 2023年春节前: no date to guess */
        if (!to && !(e->year_range && in_br)) {
            int at_end = after >= s->n || starts_any(s, after, CLAUSE_END, &j);
            int target = year_target(s, b, e, after);
            if (!target && (e->y < s->doc_year || (!at_end && e->y == s->doc_year)))
                return 0;           /* 2021年，全区完成…; 2021年洁净煤配送… */
            /* "2017年预计结余资金和2018年预计使用资金": a year joined to
             * the phrase before it names what it counts, not a target */
            e->weak = !target && !e->strong && !in_br &&
                      (lit_before(s, b, "和") || lit_before(s, b, "及") || lit_before(s, b, "与"));
            /* "；2019年建成典农河至沙湖旅游公路", "任务目标：2024年计划改造完成…":
             * the year's target */
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

size_t dl_try_date(scan_t *s, size_t i)
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
        size_t before = s->nhits;
        add_hit(s, b, e.end, e.due, fl);
        if (s->nhits > before)
            s->hits[before].weak = e.weak;
    }
    s->prev_end = e.end;
    s->prev_y = e.y;
    s->prev_m = e.m;
    return e.end;
}

/* Year-less period ends: 年底(前)/年末/年内, 上半年/下半年, 一季度. */
size_t dl_try_period(scan_t *s, size_t i)
{
    static const char *const NOT_BEFORE[] = {"去", "上", "前", "每", "各", "全", "近",
        "本", "今", "明", "当", NULL};
    static const char *const YEND[] = {"年底", "年末", "年内", NULL};
    size_t j;
    expr_t e;
    bool quarter = false;
    memset(&e, 0, sizeof e);
    int y = s->doc_year;
    if (starts_any(s, i, YEND, &j)) {
        size_t k;
        if (lit_at(s, i, "年内", NULL) && (lit_at(s, j, "进度", &k) || lit_at(s, j, "目标", &k)))
            return j; /* 年内进度目标, 年内目标: what a row reports on, no date set */
        e.due = ymd(y, 12, 31);
    } else if (lit_at(s, i, "上半年", &j))
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
    e.end = dl_date_suffix(s, j, &e);
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
size_t dl_try_fyp(scan_t *s, size_t i)
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
size_t dl_try_from_issue(scan_t *s, size_t i)
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
