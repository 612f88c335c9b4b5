/* common/ingest/deadline_recur.c: recurring deadlines (每月5日前, 每季度最后
 * 一个月10日前, 每年12月, 按年度) and open-ended phrases (长期坚持, 持续推进)
 * of the deadline scanner (deadline_scan.h). */
#include <string.h>
#include "deadline_scan.h"

/* ---------------------------------------------------------------- recurrence */

static void set_recur(scan_t *s, size_t b, size_t e, duban_recur_period_t p, int m, int d)
{
    /* the first rule counts, unless it was only a frequency and a later one
     * of the same period names the day: "议题每个月报送一次。…在每个月20日之前" */
    if (s->have_recur && !(s->recur.period == p && s->recur.month == 0 && s->recur.day == 0 &&
                           (m || d)))
        return;
    s->have_recur = 1;
    s->recur.period = p;
    s->recur.month = m;
    s->recur.day = d;
    s->recur_b = b;
    s->recur_e = e;
}

void dl_set_open(scan_t *s, size_t b, size_t e)
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
        k = dl_date_suffix(s, j, &(expr_t){0});
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
        j = dl_after_month(s, j, &e);
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
    size_t e = dl_date_suffix(s, k, &(expr_t){0});
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
    size_t j = 0, k = 0;
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
            return dl_date_suffix(s, k, &(expr_t){0});
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

size_t dl_try_recur(scan_t *s, size_t i)
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
            u = dl_date_suffix(s, j, &(expr_t){0});
        } else if (lit_ws(s, u, "底", &j) || lit_ws(s, u, "末", &j)) {
            u = dl_date_suffix(s, j, &(expr_t){0});
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
            u = dl_date_suffix(s, u, &(expr_t){0});
        set_recur(s, i, u, DUBAN_RECUR_WEEKLY, 0, wd);
        return u;
    }
    if (lit_at(s, k, "天", &u) || lit_at(s, k, "日", &u)) {
        if (dl_standalone(s, i, u))
            dl_set_open(s, i, u);
        return u;
    }
    return 0;
}

/* 按年度/按季度/按半年/按月 + a report (报送 上报 报告 通报 总结): the rule of
 * the period, due at its end (按年度目标 is an attribute, not a rule). */
size_t dl_try_by_period(scan_t *s, size_t i)
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
int dl_standalone(const scan_t *s, size_t b, size_t e)
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

size_t dl_try_open(scan_t *s, size_t i)
{
    static const char *const OPEN[] = {"长期坚持", "持续推进", "持续开展", "常态化",
        "长效", "定期", NULL};
    size_t j;
    if (starts_any(s, i, OPEN, &j) || lit_at(s, i, "长期", &j)) {
        if (dl_standalone(s, i, j))      /* not 持续开展“六清”行动, 长期闲置, 不定期 */
            dl_set_open(s, i, j);
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
