/* common/ingest/gwdoc_review.c: what extraction is unsure of. The review
 * codes of an emitted task (NO_LEAD, UNKNOWN_UNIT, DEADLINE_UNPARSED,
 * DEADLINE_AMBIGUOUS, TABLE_SHIFTED; see gwdoc.h), decided from the task
 * and what the walk knew when it emitted it.
 * Owns:   gw_review_task and the tests of a unit's and a deadline's form it
 *         uses (gw_reads_as_body, gw_year_at are shared with gwdoc.c). */
#include "gwdoc_int.h"

/* A deadline phrase the rules may not have understood: a label or a word
 * that deadlines are printed with (完成时限 / …底前 / …日前 / 季度 …). */
static bool deadline_hint(const char *s, size_t len)
{
    static const char *const w[] = {"时限", "期限", "完成时间", "时间节点", "底前", "日前",
                                    "月前", "年前", "年底", "月底", "上半年", "下半年", "季度",
                                    NULL};
    if (contains_any(s, len, w))
        return true;
    /* a holiday or season the work is due before (春节前, 国庆节前, 汛前, 开学前),
     * which no rule reads as a date: at each 前, the season before it (or the
     * season word that ends with it, 汛前) */
    for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "前", 3)) != NULL; p += 3) {
        size_t at = (size_t)(p - s);
        if (ends_any(s, at, duban_deadline_seasons) || ends_any(s, at + 3, duban_deadline_seasons) ||
            (duban_ends(s, at, "节") && ends_any(s, at - 3, duban_deadline_seasons)))
            return true;
    }
    /* 年内 (this year), not "5年内" / "三年内" (a span, no date) */
    static const char *const counts[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
        "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "几", "半", NULL};
    for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "年内", 6)) != NULL; p += 6) {
        size_t at = (size_t)(p - s), k;
        for (k = 0; counts[k] && !duban_ends(s, at, counts[k]); k++)
            ;
        if (!counts[k])
            return true;
    }
    return false;
}

/* A unit name that reads as a body: it ends like one (局 委 办 中心 …), a
 * bracketed tail (财政局（金融工作局）) left out. */
bool gw_reads_as_body(const char *u)
{
    static const char *const pairs[][2] = {{"（", "）"}, {"〈", "〉"}, {"【", "】"}, {"(", ")"}};
    size_t n = strlen(u);
    for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        const char *br = duban_find(u, n, pairs[k][0], strlen(pairs[k][0]));
        if (br && br > u && duban_ends(u, n, pairs[k][1])) {
            n = (size_t)(br - u); /* 各县区政府〈管委会〉: 各县区政府 */
            break;
        }
    }
    return gw_unit_like_end(u, n) || duban_ends(u, n, "协") || duban_ends(u, n, "联") || duban_ends(u, n, "关");
}

/* Several bodies printed as one unit, nothing between them: a body's end
 * (局 委 办 政府 中心 …) followed by the start of another (县 区 市 镇 乡,
 * 开发区, 五县五区…) and at least one more character ("市发改委五县五区政府
 * 开发区管委会"). 各 starts none: 市政府各部门 is one collective. Asked about
 * whatever the directory says (it takes any …管委会 for a unit). */
static bool runs_units_together(const char *u)
{
#define W DUBAN_WORD
    static const duban_word_t ends[] = {W("局"), W("委"), W("办"), W("政府"), W("中心"), W("厅"),
                                        W("院"), W("处"), W("队"), W("站"), {NULL, 0}};
    static const duban_word_t starts[] = {W("县"), W("区"), W("市"), W("镇"), W("乡"), W("开发区"),
                                          W("高新区"), W("一"), W("二"), W("三"), W("四"), W("五"),
                                          W("六"), W("七"), W("八"), W("九"), W("十"), {NULL, 0}};
#undef W
    size_t n = strlen(u);
    for (size_t i = 3; i + 6 <= n; i += (unsigned char)u[i] >= 0xE0 ? 3 : 1)
        for (size_t e = 0; ends[e].s; e++)
            if (duban_ends_word(u, i, &ends[e]))
                for (size_t k = 0; starts[k].s; k++)
                    if (n - i > starts[k].n && memcmp(u + i, starts[k].s, starts[k].n) == 0)
                        return true;
    return false;
}

/* A recurrence that could be a deadline: 每季度 / 每个季度 / 每半年, or 每年 /
 * 每月 followed by a date (每年12月, 每月5日前, 每年年底); a dated task printed
 * with one is read two ways. 每年不少于40场次 is a quota, not a date. */
static bool recurrence_word(const char *s, size_t len)
{
    static const char *const always[] = {"每季度", "每个季度", "每半年", NULL};
    if (contains_any(s, len, always))
        return true;
    static const char *const dated[] = {"每年", "每月", NULL};
    for (size_t k = 0; dated[k]; k++)
        for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), dated[k], 6)); p += 6) {
            size_t rest = (size_t)(s + len - p) - 6;
            const char *q = p + 6;
            if (rest > 0 && (is_digit(*q) || duban_starts(q, rest, "年底") || duban_starts(q, rest, "底") ||
                             duban_starts(q, rest, "末") || duban_starts(q, rest, "的")))
                return true;
        }
    return false;
}

/* The year printed at s[k] (1990-2100, not inside a longer number) and
 * followed by 年 or by - / . and a digit (2023年, 2024-06-30, 2019.06.18);
 * 0 when there is none. */
int gw_year_at(const char *s, size_t n, size_t k)
{
    if (k + 5 > n || (k > 0 && is_digit(s[k - 1])))
        return 0;
    int y = 0;
    for (size_t d = 0; d < 4; d++) {
        if (!is_digit(s[k + d]))
            return 0;
        y = y * 10 + (s[k + d] - '0');
    }
    const char *a = s + k + 4;
    bool sep = (*a == '-' || *a == '/' || *a == '.') && k + 6 <= n && is_digit(a[1]);
    if (!(sep || duban_starts(a, n - k - 4, "年")) || y < 1990 || y > 2100)
        return 0;
    if (!sep && duban_starts(a + 3, n - k - 7, "以来"))
        return 0; /* "2003年以来重点工作落实情况": a year looked back to */
    return y;
}

/* A recurrence printed as a frequency with no day ("每季度", "每月"): its due
 * date is the period's end only by assumption (每季度开展一次督导检查 may be
 * a frequency, no deadline at all). */
static bool recurrence_without_day(const duban_deadline_t *dl)
{
    static const char *const day[] = {"日", "号", "底", "末", "前", "初", "月份", "首月", NULL};
    const char *rt = dl->recurrence.text;
    size_t n = strlen(rt);
    if (dl->kind != DUBAN_DEADLINE_RECURRING || n == 0 || contains_any(rt, n, day) ||
        (duban_starts(rt, n, "每周") && n > 6)) /* 每周一: the weekday is its day */
        return false;
    for (size_t i = 0; i < n; i++)
        if (is_digit(rt[i]))
            return false;
    return n <= 3 * 4; /* 每季度, 每个季度, 每月, 每半年 */
}

/* The deadline phrase prints its own year (2023年9月底前, 到2020年, 2024-06-30):
 * a year guessed for the document does not touch it. */
static bool prints_year(const char *s)
{
    size_t n = strlen(s);
    for (size_t k = 0; k < n; k++)
        if (gw_year_at(s, n, k))
            return true;
    return false;
}

/* The deadline prints its weekday ("6月18日（星期二）上午下班前"), and the
 * date read with the document's guessed year falls on it: the year is
 * confirmed. */
static bool weekday_confirms(const char *dt, int32_t due)
{
    static const char *const days[] = {"一", "二", "三", "四", "五", "六", "日"};
    const char *p = strstr(dt, "星期");
    size_t skip = 6;
    if (!p) {
        p = strstr(dt, "周");
        skip = 3;
    }
    if (!p || due == DUBAN_DATE_NONE)
        return false;
    for (int k = 0; k < 7; k++)
        if (!strncmp(p + skip, days[k], 3) || (k == 6 && !strncmp(p + skip, "天", 3)))
            return duban_date_weekday(due) == k + 1;
    return false;
}

/* A name whose brackets do not pair ("各县（市、区）法宣办（含高新区"): a list
 * cut inside a bracketed note, not a unit. */
static bool unpaired_brackets(const char *u)
{
    int open = 0;
    for (const char *p = u; *p; p++) {
        if (*p == '(' || !strncmp(p, "（", 3))
            open++;
        else if (*p == ')' || !strncmp(p, "）", 3))
            open--;
        if (open < 0)
            return true;
    }
    return open != 0;
}

/* The review codes of task t (see gwdoc.h), from what the walk knew. Units
 * are checked for the leads, to whom the alerts go. */
void gw_review_task(const walk_t *w, const task_in_t *in, duban_gwdoc_task_t *t)
{
    bool unknown = false;
    const duban_dept_dir_t *dir = w->P->dir;
    for (size_t i = 0; i < t->lead_units.count; i++) {
        const char *u = t->lead_units.items[i];
        unknown |= (!(dir && duban_dept_known(dir, u)) && !gw_reads_as_body(u)) || runs_units_together(u) ||
                   unpaired_brackets(u);
    }
    const duban_deadline_t *dl = &t->deadline;
    const char *dt = dl->text;
    if (t->lead_units.count == 0)
        duban_strlist_push(&t->review, DUBAN_REVIEW_NO_LEAD);
    if (unknown)
        duban_strlist_push(&t->review, DUBAN_REVIEW_UNKNOWN_UNIT);
    if (dl->kind == DUBAN_DEADLINE_NONE &&
        ((in->dl_cell && in->dl_len > 0) || deadline_hint(t->text, strlen(t->text)) ||
         (dt && dt[0]))) /* 年底 in a document whose year is unknown */
        duban_strlist_push(&t->review, DUBAN_REVIEW_DEADLINE_UNPARSED);
    if ((dl->flags & DUBAN_DEADLINE_F_AMBIGUOUS) ||
        (w->year_guessed && dl->kind == DUBAN_DEADLINE_DATED && !(dt && prints_year(dt)) &&
         !(dt && weekday_confirms(dt, dl->due_date))) ||
        (dl->kind == DUBAN_DEADLINE_DATED && !recurrence_word(dt, strlen(dt)) &&
         recurrence_word(t->text, strlen(t->text))) ||
        recurrence_without_day(dl))
        duban_strlist_push(&t->review, DUBAN_REVIEW_DEADLINE_AMBIGUOUS);
    if (in->shifted)
        duban_strlist_push(&t->review, DUBAN_REVIEW_TABLE_SHIFTED);
}
