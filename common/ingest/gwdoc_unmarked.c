/* common/ingest/gwdoc_unmarked.c: duties in paragraphs that no outline
 * marker opens, before or between a document's items: a notice's request
 * (请各单位于…前…), run-on steps (一是…二是…) that name their units, phase
 * lists, quoted tasks of a news report, sentences that each name a unit, a
 * unit label under the duty above, and the one duty a page of prose holds.
 * Owns:   gw_unmarked_para (the order they are tried in) and
 *         gw_unmarked_finish (the duty kept until the document ends). */
#include "gwdoc_int.h"

/* A paragraph of free text before any outline, table or attachment, of a
 * length a duty can have: the only place notice_duty and unmarked_duty look. */
static bool body_before_outline(const walk_t *w, const duban_para_t *p, size_t min_len)
{
    return !(w->seen_marker || w->attach || w->ncols || p->len < min_len || p->len > 3000);
}

/* Where step k (1-based) of a run-on list opens in s from `from`: "k是"
 * at the paragraph's start or after a colon, a full stop or a semicolon.
 * SIZE_MAX when there is none. */
static size_t step_marker_at(const char *s, size_t len, size_t from, int k)
{
    static const char *const num[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                      "十一", "十二", "十三", "十四", "十五"};
    if (k < 1 || k > 15)
        return SIZE_MAX;
    char m[16];
    snprintf(m, sizeof(m), "%s是", num[k - 1]);
    size_t mn = strlen(m);
    for (const char *f = s + from; (f = duban_find(f, (size_t)(s + len - f), m, mn)) != NULL; f += 3) {
        size_t i = (size_t)(f - s);
        if (i == 0 || duban_ends(s, i, "：") || duban_ends(s, i, "。") || duban_ends(s, i, "；") ||
            s[i - 1] == '\n' || s[i - 1] == ' ')
            return i;
    }
    return SIZE_MAX;
}

/* The unit a step names (一是共享单车管理工作。区交运局牵头，…): in a
 * clause, or as the subject of one of its sentences after the marker. */
static bool step_lead(const char *s, size_t len, clause_t *c)
{
    marker_t m;
    size_t a = gw_marker_shi(s, len, &m) ? m.len : 0;
    if (gw_person_led_unit(s, len, c) || gw_prose_clause(s + a, len - a, c) || gw_by_unit_lead(s, len, c))
        return true;
    return gw_later_sentence_lead(s, a, len, c);
}

/* Makes the text of a paragraph with no outline marker a task "正文N",
 * led by the units its own clause names ("具体由市发改委牵头负责"), if any. */
static bool emit_body_task(walk_t *w, const char *text, size_t len, size_t line_idx,
                           size_t line_pos)
{
    char path[32];
    snprintf(path, sizeof(path), "正文%d", ++w->notice_no);
    clause_t c;
    memset(&c, 0, sizeof(c));
    if (!duban_gwdoc_responsibility(text, len, &c.lead, &c.coop) && c.lead.count == 0) {
        gw_clause_free(&c);
        marker_t m;
        if (!gw_prose_clause(text, len, &c) && !gw_by_unit_lead(text, len, &c) &&
            !gw_person_led_unit(text, len, &c) && !gw_subject_lead_at(text, 0, len, &c) &&
            !(gw_marker_shi(text, len, &m) && step_lead(text, len, &c))) /* unit_steps' */
            memset(&c, 0, sizeof(c));
    }
    task_in_t in = {text, len, text, len, &c.lead, &c.coop, line_idx, false, false, line_pos};
    bool ok = gw_emit_task(w, path, &in);
    gw_clause_free(&c);
    return ok;
}

/* An unnumbered paragraph of a notice, before any item, that asks for
 * something by a date: "请各单位于6月18日前将修改意见反馈…", "各市县要于
 * 4月15日前分别制定…", "并于每月25日前将…报送". A task of its own, with no
 * unit (its subject is the addressees). Only a date the sentence sets
 * (…前, …内, 每…) counts, not a target year (到2025年). */
static bool notice_duty(walk_t *w, const duban_para_t *p)
{
    /* 请/要/应/须…, or a date then what to do by it: "各责任单位于6月5日前将…报告区政府" */
    static const char *const asks[] = {"请", "要", "应", "须", "前将", "前报", NULL};
    static const char *const by[] = {"前", "内", "初", "每月", "每季度", "每年", NULL};
    if (!body_before_outline(w, p, 60) || gw_has_leader(p->buf, p->len))
        return false;
    size_t from = 0; /* after the recipients' line ("各县（市、区）人民政府…：") */
    if (p->nseg > 1 && duban_ends(p->buf, p->pos[1], "："))
        from = p->pos[1];
    while (from < p->len && (p->buf[from] == ' ' || p->buf[from] == '\n'))
        from++;
    bool transmittal = duban_starts(p->buf + from, p->len - from, "现将");
    if (transmittal && contains(p->buf, p->len, "分解"))
        return false; /* 现将…予以分解: the list's reporting rule is no task of its own */
    if (!contains_any(p->buf, p->len, asks))
        return false;
    duban_deadline_t dl;
    char eb[128];
    duban_deadline_extract(p->buf, p->len, &w->dctx, &dl, eb, sizeof(eb));
    if ((dl.kind != DUBAN_DEADLINE_DATED && dl.kind != DUBAN_DEADLINE_RECURRING) ||
        (dl.flags & (DUBAN_DEADLINE_F_PAST_AT_ISSUE | DUBAN_DEADLINE_F_AMBIGUOUS)))
        return false;
    /* 现将…印发给你们，…并于2004年1月10日前报送: one deliverable by one date
     * is a task; reports on the plan by several dates or every period are
     * its reporting rule (现将…，并于3月25日、6月25日、9月25日前报告…) */
    if (transmittal && (dl.kind == DUBAN_DEADLINE_RECURRING || dl.milestone_count > 1))
        return false;
    if (!contains_any(dl.text, strlen(dl.text), by))
        return false;
    return emit_body_task(w, p->buf, p->len, p->line_idx[0], 0);
}

/* A paragraph before any outline marker that sets a date by which
 * something is to be done, with no unit: "年底前建成8条城市道路，优化公交线路
 * 40条", "国家会展中心二期项目6月底竣工", "到2020年，基本实现美丽乡村建设全覆盖".
 * Kept (a copy) until the document ends: it is a task only when the
 * document prints no outline at all (its preamble is no task). */
/* A phase of a schedule: the paragraph opens with a range of dates that
 * the deadline dl_text ends ("2019年5月6日至6月14日，为动员部署阶段"). */
static bool phase_range(const char *s, size_t len, const char *dl_text)
{
    const char *to = strstr(dl_text, "至");
    size_t lim = len < 3 * 40 ? len : 3 * 40;
    return to && duban_find(s, lim, dl_text, strlen(dl_text)) &&
           (duban_find(s, len < 3 * 60 ? len : 3 * 60, "阶段", 6) != NULL);
}

/* "…要…于2019年5月22日前报…", "应在6月底前…": the text asks for work by a
 * date (要 应 须 请, and the date is a 前 or 底 limit). A page may print a
 * document weeks after it was signed, with its own date as the issue
 * date: such a limit is still the task's, though it lies before that day. */
static bool asked_by(const char *s, size_t len, const char *dl_text)
{
    static const char *const asks[] = {"要", "应", "须", "请", NULL};
    size_t dn = strlen(dl_text);
    if (!contains(dl_text, dn, "前") && !contains(dl_text, dn, "底"))
        return false;
    return contains_any(s, len, asks);
}

/* Keeps a copy of s as a duty of a document with no outline (so far). */
static void keep_unmarked(walk_t *w, const char *s, size_t len, size_t line_idx, size_t line_pos)
{
    if (w->nunmarked == (int)(sizeof(w->unmarked) / sizeof(w->unmarked[0])))
        return;
    char *copy = duban_xmalloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, s, len);
    copy[len] = '\0';
    struct unmarked_s *u = &w->unmarked[w->nunmarked++];
    u->text = copy;
    u->len = len;
    u->line_idx = line_idx;
    u->line_pos = line_pos;
    u->para_no = w->para_no;
}

/* A sentence or clause that opens with who leads it: "由县工业园区管委会牵头，
 * 县自然资源局、漾月街道配合，在12月底前完成…" (ar01), "由县编办、发改局负责…". */
static bool led_by_sentence(const char *s, size_t len)
{
    if (!duban_starts(s, len, "由"))
        return false;
    size_t lim = len < 3 * 30 ? len : 3 * 30;
    for (size_t i = 3 + 6; i + 6 <= lim; i += (unsigned char)s[i] >= 0xE0 ? 3 : 1) {
        if (duban_at(s, len, i, "牵头") || duban_at(s, len, i, "负责"))
            return gw_unit_like_end(s + 3, i - 3) && !contains(s, i, "，");
        if (duban_at(s, len, i, "，") || duban_at(s, len, i, "。"))
            return false;
    }
    return false;
}

/* The sentence s opens with a unit that is then given work by a date:
 * "市教育局要在11月底新建…", "赛罕区政府11月底启动…", "青山文投公司要在6月下旬
 * 建成投用…" (the subject ends before 要 or the date's first digit), or
 * with who leads it (led_by_sentence). */
static bool unit_subject_sentence(const char *s, size_t len)
{
    if (led_by_sentence(s, len))
        return true;
    static const char *const then[] = {"要", "将", "须", "应", "力争", "计划", NULL};
    size_t lim = len < 3 * 24 ? len : 3 * 24;
    for (size_t i = 6; i < lim; i++) {
        bool stop = s[i] >= '0' && s[i] <= '9';
        for (size_t k = 0; then[k] && !stop; k++)
            stop = duban_starts(s + i, len - i, then[k]);
        if (stop)
            return gw_unit_like_end(s, i) && !contains(s, i, "，") && !contains(s, i, "、");
        if ((unsigned char)s[i] < 0x80 && s[i] != ' ')
            return false;
    }
    return false;
}

/* One clause of a list of decisions names who carries it out: "由X牵头，
 * Y落实", "督导组负责每天…", "由县编办负责…". */
static bool clause_names_unit(const char *s, size_t len)
{
    clause_t c;
    bool named = gw_person_led_unit(s, len, &c) || gw_prose_clause(s, len, &c) ||
                 gw_by_unit_lead(s, len, &c) || gw_subject_lead_at(s, 0, len, &c);
    if (named)
        gw_clause_free(&c);
    return named;
}

/* A paragraph before any outline (a news release, a speech) that runs its
 * steps on, 一是…。二是…。三是…, two or more of them naming their own unit
 * ("…指出：一是共享单车管理工作。区交运局牵头，…。二是…。区城管局负责…",
 * dev bf05): each step that names a unit or sets a date is a duty of its
 * own. Steps that name no unit stay one paragraph (false, nothing kept). */
static bool unit_steps(walk_t *w, const duban_para_t *p)
{
    enum { MAX_STEPS = 15 };
    size_t at[MAX_STEPS + 1], n = 0, with_unit = 0;
    bool unit[MAX_STEPS], dated[MAX_STEPS];
    if (!body_before_outline(w, p, 12))
        return false;
    for (size_t from = 0; n < MAX_STEPS;) {
        size_t i = step_marker_at(p->buf, p->len, from, (int)n + 1);
        if (i == SIZE_MAX)
            break;
        at[n++] = i;
        from = i + 6;
    }
    if (n < 2)
        return false;
    at[n] = p->len;
    char eb[128];
    for (size_t k = 0; k < n; k++) {
        clause_t c;
        memset(&c, 0, sizeof(c));
        unit[k] = step_lead(p->buf + at[k], at[k + 1] - at[k], &c);
        if (unit[k])
            gw_clause_free(&c);
        with_unit += unit[k];
        duban_deadline_t dl;
        duban_deadline_extract(p->buf + at[k], at[k + 1] - at[k], &w->dctx, &dl, eb, sizeof(eb));
        dated[k] = dl.kind == DUBAN_DEADLINE_DATED && !(dl.flags & DUBAN_DEADLINE_F_PAST_AT_ISSUE);
    }
    if (with_unit < 2)
        return false;
    for (size_t k = 0; k < n; k++)
        if (unit[k] || dated[k])
            keep_unmarked(w, p->buf + at[k], at[k + 1] - at[k], duban_para_line_at(p, at[k]),
                          duban_para_pos_in_line(p, at[k]));
    return true;
}

/* "专项监督检查分四个阶段，2月13日前完成动员部署阶段，各学校开学前完成自查
 * 自检阶段，5月6日前完成集中整治阶段，6月底前完成督导评估阶段。" (dev bf03):
 * a sentence that announces a work's phases (分N个阶段, 分N步) and lists
 * them with commas; each phase with a date of its own is a duty. False
 * (nothing kept) when the paragraph holds no such list. */
static bool phase_list_duties(walk_t *w, const duban_para_t *p)
{
    if (!body_before_outline(w, p, 12))
        return false;
    const char *s = p->buf;
    size_t len = p->len;
    for (const char *f = s; (f = duban_find(f, (size_t)(s + len - f), "分", 3)) != NULL; f += 3) {
        size_t i = (size_t)(f - s) + 3, used = 0;
        int nphase = duban_cn_number(s + i, len - i, &used);
        if (nphase < 2 || nphase > 9)
            continue;
        i += used;
        if (duban_at(s, len, i, "个"))
            i += 3;
        if (!duban_at(s, len, i, "阶段") && !duban_at(s, len, i, "步"))
            continue;
        const char *stop = duban_find(s + i, len - i, "。", 3);
        size_t end = stop ? (size_t)(stop - s) : len;
        size_t st[12], en[12], n = 0;
        for (size_t a = i; a < end && n < 12;) {
            const char *c = duban_find(s + a, end - a, "，", 3);
            const char *sc = duban_find(s + a, end - a, "；", 3);
            if (sc && (!c || sc < c))
                c = sc;
            size_t b = c ? (size_t)(c - s) : end;
            if (a > i || b == end) { /* not the announcement itself */
                duban_deadline_t dl;
                char eb[128];
                duban_deadline_extract(s + a, b - a, &w->dctx, &dl, eb, sizeof(eb));
                if (dl.kind == DUBAN_DEADLINE_DATED && !(dl.flags & DUBAN_DEADLINE_F_PAST_AT_ISSUE)) {
                    st[n] = a;
                    en[n++] = b;
                }
            }
            a = b + 3;
        }
        if (n < 2)
            continue;
        for (size_t k = 0; k < n; k++)
            keep_unmarked(w, s + st[k], en[k] - st[k], duban_para_line_at(p, st[k]),
                          duban_para_pos_in_line(p, st[k]));
        return true;
    }
    return false;
}

/* A news report of a breakdown that quotes its tasks, each with its units
 * ("例如，第1项任务“地区生产总值增长6.5%左右”，牵头领导是常务副市长张工，主责单位
 * 是市发展改革委、各区政府。第98项任务“…”，…主责单位是…。", dev aq08): each
 * sentence quoting a numbered task and naming a unit is a duty; two or
 * more in the paragraph. False (nothing kept) otherwise. */
static bool quoted_tasks(walk_t *w, const duban_para_t *p)
{
    enum { MAX_SENT = 16 };
    size_t st[MAX_SENT], en[MAX_SENT], n = 0;
    if (!body_before_outline(w, p, 12))
        return false;
    for (size_t a = 0; a < p->len && n < MAX_SENT;) {
        const char *e = duban_find(p->buf + a, p->len - a, "。", 3);
        size_t b = e ? (size_t)(e - p->buf) + 3 : p->len;
        const char *q = duban_find(p->buf + a, b - a, "项任务“", 12);
        if (!q)
            q = duban_find(p->buf + a, b - a, "项工作“", 12);
        if (q) {
            duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
            duban_gwdoc_responsibility(p->buf + a, b - a, &lead, &coop);
            if (lead.count) {
                st[n] = a;
                en[n++] = b;
            }
            duban_strlist_free(&lead);
            duban_strlist_free(&coop);
        }
        a = b;
    }
    if (n < 2)
        return false;
    for (size_t k = 0; k < n; k++)
        keep_unmarked(w, p->buf + st[k], en[k] - st[k], duban_para_line_at(p, st[k]),
                      duban_para_pos_in_line(p, st[k]));
    return true;
}

/* Where the sentence that starts at p->buf[a] ends: after its 。, or after
 * its ； when semi is given (*semi then tells whether it ended there), or
 * at the end of its line when lines end sentences; else the paragraph's end. */
static size_t sentence_end(const duban_para_t *p, size_t a, bool *semi, bool lines)
{
    size_t end = p->len;
    for (size_t k = 0; lines && k < p->nseg; k++)
        if (p->pos[k] > a) {
            end = p->pos[k];
            break;
        }
    const char *e = duban_find(p->buf + a, end - a, "。", 3);
    const char *s = semi ? duban_find(p->buf + a, (size_t)((e ? e : p->buf + end) - (p->buf + a)), "；", 3)
                         : NULL;
    if (semi)
        *semi = s != NULL;
    if (s)
        e = s;
    return e ? (size_t)(e - p->buf) + 3 : end;
}

/* A news paragraph that lists, sentence by sentence, what each unit is to
 * do by when (dev ak03: "…市轨道交通公司要加快地铁TOD开发，…10月底完成年度
 * 任务。青山文投公司要在6月下旬建成投用…。市机场建管公司12月中旬全面开工…。"):
 * at least three sentences open with a unit and set a date. Each sentence
 * with a date set for the work is a duty of its own. False (nothing kept)
 * when the paragraph is not such a list. */
static bool sentence_duties(walk_t *w, const duban_para_t *p)
{
    enum { MAX_SENT = 24 };
    size_t st[MAX_SENT], en[MAX_SENT], ns = 0, subjects = 0, set_clauses = 0, unit_clauses = 0;
    duban_deadline_t dl[MAX_SENT];
    bool subj[MAX_SENT], set[MAX_SENT], unit[MAX_SENT];
    bool after_semi = false;
    char eb[128];
    if (!body_before_outline(w, p, 12))
        return false;
    for (size_t a = 0; a < p->len && ns < MAX_SENT;) {
        while (a < p->len && (p->buf[a] == ' ' || p->buf[a] == '\n'))
            a++;
        /* a sentence, or a clause of one that lists the duties with ；
         * ("由X牵头，…在9月底前完成…；由Y牵头，…在12月底前完成…；…") */
        bool semi;
        size_t b = sentence_end(p, a, &semi, false);
        if (b > a) {
            st[ns] = a, en[ns] = b;
            duban_deadline_extract(p->buf + a, b - a, &w->dctx, &dl[ns], eb, sizeof(eb));
            subj[ns] = dl[ns].kind == DUBAN_DEADLINE_DATED &&
                       !(dl[ns].flags & DUBAN_DEADLINE_F_PAST_AT_ISSUE) &&
                       unit_subject_sentence(p->buf + a, b - a);
            size_t dn = strlen(dl[ns].text);
            set[ns] = subj[ns] || (dl[ns].kind == DUBAN_DEADLINE_DATED &&
                                   !(dl[ns].flags & DUBAN_DEADLINE_F_PAST_AT_ISSUE) &&
                                   (contains(dl[ns].text, dn, "前") || contains(dl[ns].text, dn, "底") ||
                                    contains(dl[ns].text, dn, "内")));
            subjects += subj[ns];
            set_clauses += set[ns] && semi; /* "…8月底前全面建成；5月底前完成…；" */
            unit[ns] = (semi || after_semi) && clause_names_unit(p->buf + a, b - a);
            unit_clauses += unit[ns];
            ns++;
        }
        after_semi = semi;
        a = b;
    }
    /* three units given work by a date, or one sentence listing decisions
     * with ；, each setting its own date (会议强调，…确保在8月底前全面建成；5月底
     * 前完成…；…7月底前全面完成。); prose of several sentences stays one */
    const char *stop = duban_find(p->buf, p->len, "。", 3);
    bool one_sentence = !stop || (size_t)(stop - p->buf) + 3 >= p->len; /* its only 。 ends it */
    /* or decisions listed with ；, three or more naming who carries each
     * out (会议决定：…。X由王光玲牵头，九重镇落实；Y由…牵头，林业局落实；…) */
    bool decisions = unit_clauses >= 3;
    if (subjects < 3 && (set_clauses < 2 || !one_sentence) && !decisions)
        return false;
    for (size_t k = 0; k < ns; k++)
        if (decisions ? unit[k] : set[k])
            keep_unmarked(w, p->buf + st[k], en[k] - st[k], duban_para_line_at(p, st[k]),
                          duban_para_pos_in_line(p, st[k]));
    return true;
}

/* Undated prose (a meeting's report): a sentence that opens with who leads
 * and who works with them, "县国土资源局牵头，县发改局、县住建局等部门密切
 * 配合，抢抓时间，全力推进…" (dev bh09), is a duty of its own. Both a lead
 * and partners are named: a unit alone doing something is news, not an
 * assignment. */
static void led_with_partners(walk_t *w, const duban_para_t *p)
{
    for (size_t a = 0; a < p->len;) {
        while (a < p->len && (p->buf[a] == ' ' || p->buf[a] == '\n'))
            a++;
        size_t b = sentence_end(p, a, NULL, true); /* a headline above ends at its line */
        clause_t c;
        if (b > a && contains(p->buf + a, b - a, "牵头") && contains(p->buf + a, b - a, "配合") &&
            gw_prose_clause(p->buf + a, b - a, &c)) {
            if (c.lead.count && c.coop.count)
                keep_unmarked(w, p->buf + a, b - a, duban_para_line_at(p, a),
                              duban_para_pos_in_line(p, a));
            gw_clause_free(&c);
        }
        a = b;
    }
}

static void unmarked_duty(walk_t *w, const duban_para_t *p)
{
    if (!body_before_outline(w, p, 12) ||
        w->nunmarked == (int)(sizeof(w->unmarked) / sizeof(w->unmarked[0])))
        return;
    /* a preamble, a page's furniture, a link to another article */
    static const char *const not_duty[] = {"为", "根据", "按照", "经", "现将", "依据", "原标题",
        "上一篇", "下一篇", "主题词", "来源", NULL};
    for (size_t k = 0; not_duty[k]; k++)
        if (duban_starts(p->buf, p->len, not_duty[k]))
            return;
    size_t first_line = p->nseg > 1 ? p->pos[1] : p->len;
    if (gw_meta_text(p->buf, first_line))
        return;
    duban_deadline_t dl;
    char eb[128];
    duban_deadline_extract(p->buf, p->len, &w->dctx, &dl, eb, sizeof(eb));
    if (dl.kind != DUBAN_DEADLINE_DATED) {
        led_with_partners(w, p);
        return;
    }
    if ((dl.flags & DUBAN_DEADLINE_F_PAST_AT_ISSUE) && !asked_by(p->buf, p->len, dl.text))
        return;   /* a date before the issue: what was done, unless asked for by it */
    /* a date set for the work (…前, 6月底, 年内, a year's target), not the
     * day something happened ("1月29日，…会议在长春召开") */
    size_t dn = strlen(dl.text);
    if (!contains(dl.text, dn, "前") && !contains(dl.text, dn, "底") &&
        !contains(dl.text, dn, "内") && !duban_ends(dl.text, dn, "年") &&
        !phase_range(p->buf, p->len, dl.text))
        return;
    keep_unmarked(w, p->buf, p->len, p->line_idx[0], 0);
}

/* A paragraph that is only a unit label ("责任单位：市水务局", dev bg11) right
 * under a duty kept from the paragraph above: the label joins that duty's
 * text, where its lead is read. */
static bool unit_label_after_duty(walk_t *w, const duban_para_t *p)
{
    if (w->nunmarked == 0 || w->seen_marker || p->len > 3 * 60 || p->nseg != 1 ||
        !gw_unit_label_line(p->buf, p->len))
        return false;
    struct unmarked_s *u = &w->unmarked[w->nunmarked - 1];
    if (u->para_no + 1 != w->para_no)
        return false; /* not the paragraph right under the duty's */
    char *joined = duban_xmalloc(u->len + 1 + p->len + 1);
    if (!joined)
        return false;
    memcpy(joined, u->text, u->len);
    joined[u->len] = '\n';
    memcpy(joined + u->len + 1, p->buf, p->len);
    joined[u->len + 1 + p->len] = '\0';
    free(u->text);
    u->text = joined;
    u->len += 1 + p->len;
    return true;
}

/* At the document's end: the unmarked paragraphs are its tasks when no
 * outline marker came; freed either way. */
void gw_unmarked_finish(walk_t *w)
{
    for (int k = 0; k < w->nunmarked; k++) {
        struct unmarked_s *u = &w->unmarked[k];
        if (!w->seen_marker)
            emit_body_task(w, u->text, u->len, u->line_idx, u->line_pos);
        free(u->text);
    }
    w->nunmarked = 0;
}

/* A paragraph no outline marker opens, while no item is open: the duties it
 * holds, tried in a fixed order (a unit label under the duty above, run-on
 * steps, a phase list, quoted tasks, sentences that each name a unit, a
 * notice's request, else one duty kept for unmarked_finish). */
void gw_unmarked_para(walk_t *w, const duban_para_t *p)
{
    if (unit_label_after_duty(w, p))
        return; /* "责任单位：市水务局" under the duty it names the lead of */
    if (!unit_steps(w, p) && !phase_list_duties(w, p) && !quoted_tasks(w, p) &&
        !sentence_duties(w, p) && !notice_duty(w, p))
        unmarked_duty(w, p);
}
