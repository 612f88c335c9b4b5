/* common/ingest/gwdoc.c: documents and tasks of a gazette (see gwdoc.h):
 * the driver (documents found by their anchors, or one unnumbered
 * document), the walk over each document's body that turns outline items
 * and table rows into tasks (an item's headings, leads and deadlines). The
 * parts it uses are listed in gwdoc_int.h. One pass over the lines per
 * document. */
#include "gwdoc_int.h"
#include "buf.h"

/* snprintf(out + *n, cap - *n, "%.*s", len, s) and *n += len, without
 * the format machinery: what path_prefix appends per outline level. */
static void put_str(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n < cap) {
        size_t room = cap - *n - 1, k = len < room ? len : room;
        memcpy(out + *n, s, k);
        out[*n + k] = '\0';
    }
    *n += len;
}

static void put_int(char *out, size_t cap, size_t *n, int v)
{
    char b[16];
    int k = snprintf(b, sizeof(b), "%d", v);
    put_str(out, cap, n, b, k > 0 ? (size_t)k : 0);
}

void gw_path_prefix(const walk_t *w, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    if (w->attach > 0) {
        put_str(out, cap, &n, "附件", 6);
        put_int(out, cap, &n, w->attach);
        put_str(out, cap, &n, ".", 1);
    } else if (w->attach < 0) {
        put_str(out, cap, &n, "附件.", 7);
    }
    if (w->part > 1 && n < cap) {
        put_str(out, cap, &n, "P", 1);
        put_int(out, cap, &n, w->part);
        put_str(out, cap, &n, ".", 1);
    }
    for (int i = 0; i < w->depth && n < cap; i++) {
        put_str(out, cap, &n, w->stack[i].label, strlen(w->stack[i].label));
        if (i + 1 < w->depth)
            put_str(out, cap, &n, ".", 1);
    }
    if (n > 0 && n < cap && out[n - 1] == '.')
        out[n - 1] = '\0';
}

static duban_gwdoc_task_t *push_task(duban_gwdoc_t *g)
{
    duban_gwdoc_task_t *tasks = duban_array_grow(g->tasks, &g->captasks, g->ntasks + 1,
                                                 sizeof(*tasks), 64);
    if (!tasks)
        return NULL;
    g->tasks = tasks;
    duban_gwdoc_task_t *t = &g->tasks[g->ntasks++];
    /* all but the deadline (1.7 KB), which emit_task extracts in place */
    memset(t, 0, offsetof(duban_gwdoc_task_t, deadline));
    t->line = 0;
    t->offset = 0;
    return t;
}

/* Drops newlines and edge separators from task text. */
static char *clean_text(const char *s, size_t len)
{
    while (len > 0 && (s[0] == '\n' || s[0] == ' '))
        s++, len--;
    while (len >= 3 && (duban_starts(s, len, "，") || duban_starts(s, len, "；") || duban_starts(s, len, "。")))
        s += 3, len -= 3;
    char *o = duban_xmalloc(len + 1);
    if (!o)
        return NULL;
    size_t n = 0, i = 0;
    /* copy the runs between spaces and breaks whole; next space / break */
    const char *sp = memchr(s, ' ', len), *nl = memchr(s, '\n', len);
    while (i < len) {
        const char *q = sp && (!nl || sp < nl) ? sp : nl;
        size_t j = q ? (size_t)(q - s) : len;
        memcpy(o + n, s + i, j - i);
        n += j - i;
        i = j;
        if (i == len)
            break;
        if (s[i] == '\n') {
            /* a paragraph break inside an item: a space, unless the text
             * before it ends a sentence or clause */
            if (n >= 3 && !(duban_ends(o, n, "。") || duban_ends(o, n, "；") || duban_ends(o, n, "：") ||
                            duban_ends(o, n, "）") || duban_ends(o, n, "，")) && o[n - 1] != ' ')
                o[n++] = ' ';
            nl = memchr(s + i + 1, '\n', len - i - 1);
        } else {
            if (!(n > 0 && (unsigned char)o[n - 1] >= 0x80 && i + 1 < len &&
                  (unsigned char)s[i + 1] >= 0x80))
                o[n++] = ' ';
            sp = memchr(s + i + 1, ' ', len - i - 1);
        }
        i++;
    }
    while (n > 0 && o[n - 1] == ' ')
        n--;
    o[n] = '\0';
    return o;
}

/* "…分别牵头" outside the quotes of a note (除标注“分别牵头”外): every unit
 * listed leads its own part. */
static bool separately_led(const char *text)
{
    for (const char *p = text; (p = strstr(p, "分别牵头")) != NULL; p += 12)
        if (!(p - text >= 3 && memcmp(p - 3, "“", 3) == 0))
            return true;
    return false;
}

/* The item's text ends with a line of its own that is a deadline label
 * ("整改措施：(1)…(2)…\n整改完成时限：2017年6月30日。"). */
static bool closing_time_line(const task_in_t *in)
{
    const char *e = in->text + in->len;
    while (e > in->text && (e[-1] == '\n' || e[-1] == ' '))
        e--;
    const char *nl = NULL;
    for (const char *p = in->text; p < e; p++)
        if (*p == '\n')
            nl = p;
    return nl && gw_time_label_line(nl + 1, (size_t)(e - nl - 1));
}

/* The outline path of t's parent has length *plen; false at the top. */
static bool parent_len(const char *path, size_t *plen)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return false;
    *plen = (size_t)(dot - path);
    return true;
}

/* A deadline line closing the last of a run of sub-items ("(1)…（省发展改
 * 革委负责）\n(2)…（省安全监管局负责）\n整改完成时限：2017年6月30日。")
 * is the time of every sub-item of that run, when none of the earlier ones
 * prints its own. t is the last sub-item, already emitted. */
static void share_closing_deadline(walk_t *w, duban_gwdoc_task_t *t)
{
    duban_gwdoc_t *g = w->P->g;
    size_t plen, first = g->ntasks - 1, k;
    if (!parent_len(t->outline_path, &plen))
        return;
    for (k = g->ntasks - 1; k-- > g->docs[w->doc].first_task;) {
        const duban_gwdoc_task_t *o = &g->tasks[k];
        size_t ol;
        if (!parent_len(o->outline_path, &ol) || ol != plen ||
            memcmp(o->outline_path, t->outline_path, plen) != 0)
            break;
        if (o->deadline.kind != DUBAN_DEADLINE_NONE ||
            duban_strlist_contains(&o->review, DUBAN_REVIEW_DEADLINE_UNPARSED))
            return; /* an earlier sub-item prints its own: the line is the last one's */
        first = k;
    }
    for (k = first; k + 1 < g->ntasks; k++) {
        g->tasks[k].deadline = t->deadline;
    }
}

/* Makes a task of the item; false when it is none (no unit, no deadline). */
/* The nearest item above the one being emitted that is a phase heading
 * (marker_t.phase), -1 when none: the top of the stack is the item's own. */
static int phase_above(const walk_t *w)
{
    if (w->depth < 2)
        return -1;
    int own = w->stack[w->depth - 1].level;
    for (int i = w->depth - 2; i >= 0; i--)
        if (w->stack[i].has_phase)
            return own > w->stack[i].level ? i : -1; /* 五、 after （三）: no step of it */
    return -1;
}

static void heading_lent(walk_t *w, int i);

/* The first `keep` units of *lead lead; the others, moved to *coop, take
 * part (a document's rule for its unlabelled lists). */
static void first_lead(duban_strlist_t *lead, duban_strlist_t *coop, size_t keep)
{
    for (size_t i = keep; i < lead->count; i++)
        duban_strlist_push(coop, lead->items[i]);
    while (lead->count > keep)
        free(lead->items[--lead->count]);
}

/* A deadline cell that holds a month alone, "3月" or "3月份" (a 时间安排
 * column of a plan by months): the month's end, as a bare "2023年3月" cell
 * is (gold README). Anywhere else a month alone is no deadline. */
int gw_month_cell(const char *cell, size_t n)
{
    size_t used = 0;
    while (n > 0 && cell[n - 1] == ' ')
        n--;
    if (duban_ends(cell, n, "份"))
        n -= 3;
    if (!duban_ends(cell, n, "月"))
        return 0;
    n -= 3;
    int m = 0;
    if (n >= 1 && n <= 2 && cell[0] >= '0' && cell[0] <= '9') { /* 3月, 12月 */
        m = cell[0] - '0';
        if (n == 2 && cell[1] >= '0' && cell[1] <= '9')
            m = m * 10 + (cell[1] - '0');
        else if (n == 2)
            return 0;
    } else if ((m = duban_cn_number(cell, n, &used)) < 0 || used != n) {
        return 0;   /* 三月, 十二月 */
    }
    return m >= 1 && m <= 12 ? m : 0;
}

static void month_cell(walk_t *w, const char *cell, duban_deadline_t *dl)
{
    int m = gw_month_cell(cell, strlen(cell));
    if (!m)
        return;
    int y = w->dctx.doc_year;
    if (y <= 0)
        return;   /* no year to read it in: left unparsed (and flagged) */
    memset(dl, 0, sizeof(*dl));
    dl->kind = DUBAN_DEADLINE_DATED;
    dl->due_date = duban_date_from_ymd(y, m, duban_date_days_in_month(y, m));
    snprintf(dl->text, sizeof(dl->text), "%s", cell);
}

bool gw_emit_task(walk_t *w, const char *path, const task_in_t *in)
{
    duban_gwdoc_t *g = w->P->g;
    char eb[128];
    bool same = in->dl == in->text && in->dl_len == in->len;
    bool units = (in->lead && in->lead->count) || (in->coop && in->coop->count);
    /* the deadline is extracted straight into a new task slot, which is
     * given back when the item turns out to be no task */
    duban_gwdoc_task_t *t = push_task(g);
    if (!t)
        return false;
    duban_deadline_t *dl = &t->deadline;
    bool probed = false;
    int phase_at = phase_above(w);
    if (!units && same && phase_at < 0 && !w->have_list_due && !memchr(in->text, '\n', in->len)) {
        /* most items are no task: probe the raw text before copying it */
        duban_deadline_extract(in->text, in->len, &w->dctx, dl, eb, sizeof(eb));
        if (dl->kind == DUBAN_DEADLINE_NONE && !(w->dctx.doc_year == 0 && dl->text[0])) {
            g->ntasks--;
            return false;
        }
        probed = true;
    }
    char *text = clean_text(in->text, in->len);
    char *dls = same ? text : clean_text(in->dl, in->dl_len);
    if (dls) {
        size_t dn = strlen(dls);
        /* when cleaning changed nothing, the probe was the real run */
        if (!(probed && dn == in->len && memcmp(dls, in->text, dn) == 0))
            duban_deadline_extract(dls, dn, &w->dctx, dl, eb, sizeof(eb));
    } else {
        memset(dl, 0, sizeof(*dl));
        dl->due_date = DUBAN_DATE_NONE;
    }
    if (dls && in->dl_cell && dl->kind == DUBAN_DEADLINE_NONE)
        month_cell(w, dls, dl);
    if (!same)
        free(dls);
    size_t tn = text ? strlen(text) : 0;
    bool phased = dl->kind == DUBAN_DEADLINE_NONE && phase_at >= 0 && tn &&
                  !duban_ends(text, tn, "：") && !duban_ends(text, tn, ":");
    /* (not "检查验收分两步进行：", the line that opens the steps) */
    if (phased)
        *dl = w->stack[phase_at].phase; /* a step of a phase: by the phase's end */
    /* a date the item sets, in a document that prints no year to read it
     * in ("各市县要于4月15日前…"): a task, flagged DEADLINE_UNPARSED */
    /* an item of "2019年…要完成的实事": by that year's end; of a campaign
     * (整治时间：…), by its window's end, but not a label's line (整治重点：…,
     * 整治任务：) */
    if (dl->kind == DUBAN_DEADLINE_NONE && !phased && w->have_list_due) {
        const char *colon = w->list_due_window && text ? strstr(text, "：") : NULL;
        if (!(colon && (size_t)(colon - text) <= 3 * 6))
            *dl = w->list_due;
    }
    bool yearless = dl->kind == DUBAN_DEADLINE_NONE && w->dctx.doc_year == 0 && dl->text[0];
    if (!units && dl->kind == DUBAN_DEADLINE_NONE && !yearless) {
        free(text);
        g->ntasks--;
        return false;
    }
    if (dl->kind == DUBAN_DEADLINE_NONE && w->attach && w->have_cover_due)
        *dl = w->cover_due; /* the notice's date for the problems it attaches */
    duban_gwdoc_doc_t *d = &g->docs[w->doc];
    t->doc = w->doc;
    t->outline_path = duban_xstrdup(path);
    t->text = text;
    size_t idn = strlen(d->doc_id) + strlen(path) + 2;
    t->task_id = duban_xmalloc(idn);
    if (t->task_id)
        snprintf(t->task_id, idn, "%s#%s", d->doc_id, path);
    duban_text_source_at(w->P->t, in->line_idx, in->line_pos, &t->line, &t->offset);
    const char *jur = d->jurisdiction[0] ? d->jurisdiction : NULL;
    for (size_t i = 0; in->lead && i < in->lead->count; i++)
        duban_strlist_push_unique(&t->lead_units, in->lead->items[i]);
    for (size_t i = 0; in->coop && i < in->coop->count; i++)
        duban_strlist_push_unique(&t->coop_units, in->coop->items[i]);
    if (w->first_leads && t->lead_units.count > 1 && t->coop_units.count == 0 &&
        !separately_led(text)) /* the document's rule: the first listed leads */
        first_lead(&t->lead_units, &t->coop_units, 1);
    if (w->P->dir) {
        duban_dept_canonicalize(w->P->dir, &t->lead_units, jur, &t->lead_depts);
        duban_dept_canonicalize(w->P->dir, &t->coop_units, jur, &t->coop_depts);
    }
    gw_review_task(w, in, t);
    if (t->review.count)
        g->warnings++;
    if (dl->kind != DUBAN_DEADLINE_NONE && closing_time_line(in))
        share_closing_deadline(w, t);
    if (phased)
        heading_lent(w, phase_at); /* the phase heading is no task of its own then */
    return true;
}

/* "动员部署阶段（2010年9月10日至9月17日）。一是召开…": a phase whose first step
 * (一是) runs on after its dates; the next steps (二是…) are items below it. */
static bool phase_steps_run_in(const char *s, size_t len)
{
    static const char *const runs[] = {"）。一是", ")。一是", NULL};
    const char *st = duban_find(s, len, "阶段", 6);
    for (size_t k = 0; st && runs[k]; k++)
        if (duban_find(st, len - (size_t)(st - s), runs[k], strlen(runs[k])))
            return true;
    return false;
}

/* A step (二是…) of such a phase is the open item: its stack entry is below
 * the phase's. */
static bool phase_step_open(const walk_t *w)
{
    return w->item_open && w->depth >= 2 && w->stack[w->depth - 1].level == LV_SAY &&
           w->stack[w->depth - 2].has_phase;
}

/* Whether a paragraph that opens "N是…" (m) is an item: at a document's top
 * level, from 一是 on (*top set), or a phase's next step (二是…) after its
 * first step ran on after its dates. Elsewhere such paragraphs are an item's
 * measures (gazette 000), its text. */
static bool shi_opens_item(const walk_t *w, const marker_t *m, bool *top)
{
    *top = (w->shi_items || !w->seen_marker) && (w->shi_items || m->value == 1);
    if (*top)
        return true;
    return m->value >= 2 &&
           (phase_step_open(w) || (w->item_open && w->item.len > w->item_skip &&
                                   phase_steps_run_in(w->item.buf + w->item_skip,
                                                      w->item.len - w->item_skip)));
}

/* "检查验收阶段（2010年11月21日至12月20日）。", a heading that is only a phase
 * and its dates: the items below it without a date of their own are due by
 * its end (and the heading is no task once one of them is). */
static void mark_phase(walk_t *w, const char *s, size_t len, const duban_gwdoc_task_t *t)
{
    if (w->depth == 0 || t->deadline.kind != DUBAN_DEADLINE_DATED || !contains(s, len, "阶段"))
        return;
    const char *dt = t->deadline.text;
    size_t dn = strlen(dt);
    if (!contains(dt, dn, "至") && !contains(dt, dn, "—") && !contains(dt, dn, "-") &&
        !duban_ends(dt, dn, "前"))
        return;   /* a range, or a date it ends by: 第一阶段（2021年5月10日前） */
    size_t e = len;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\n'))
        e--;
    if (duban_ends(s, e, "。"))
        e -= 3;
    bool steps = phase_steps_run_in(s, len);
    if (!duban_ends(s, e, "）") && !duban_ends(s, e, ")") && !steps)
        return;   /* the phase's own text follows its dates: a task of its own */
    marker_t *m = &w->stack[w->depth - 1];
    m->has_phase = true;
    m->phase = t->deadline;
    m->head_task = steps ? 0 : w->P->g->ntasks; /* with its first step run in, it stays a task */
}

/* A duty list item "区统计局。定期对外公布…" / "区政府办公室：牵头负责…":
 * the unit named before the first 。/： owns the item. */
static bool duty_subject(const char *s, size_t len, clause_t *c)
{
    static const char *const seps[] = {"。", "：", NULL};
    static const char *const verbs[] = {"负责", "牵头", "定期", "承担", "统筹", "组织", "落实",
                                        NULL};
    size_t lim = len < 3 * 40 ? len : 3 * 40;
    for (size_t i = 6; i + 3 <= lim; i += ((unsigned char)s[i] >= 0xE0) ? 3 : 1) {
        size_t n = gw_match_any(s + i, len - i, seps);
        if (!n)
            continue;
        /* "四、职责" over "区财政局：负责…": the unit is on the line below the heading */
        const char *nl = memchr(s, '\n', i);
        size_t a = nl && !contains(s, (size_t)(nl - s), "，") && !contains(s, (size_t)(nl - s), "。")
                       ? (size_t)(nl - s) + 1 : 0;
        if (i - a < 6 || !gw_unit_like_end(s + a, i - a) || contains(s, i, "，") ||
            memchr(s + a, '\n', i - a) || !gw_match_any(s + i + n, len - i - n, verbs))
            return false;
        memset(c, 0, sizeof(*c));
        gw_add_units(s + a, i - a, &c->lead);
        /* "首都综治办、市委督查室、市监察局。负责组织…": a list, each a unit */
        bool all = c->lead.count > 0;
        for (size_t k = 0; all && k < c->lead.count; k++)
            all = gw_unit_like_end(c->lead.items[k], strlen(c->lead.items[k]));
        if (all && (c->lead.count == 1 || contains(s + a, i - a, "、")) &&
            !gw_is_national(c->lead.items[0]))
            return true;
        gw_clause_free(c);
        return false;
    }
    return false;
}

static void pending_clear(walk_t *w)
{
    for (int k = 0; k < w->npend; k++)
        free(w->pend[k].text);
    w->npend = 0;
}

static void pending_add(walk_t *w, const char *s, size_t len, size_t line_idx, int level)
{
    if (w->npend == (int)(sizeof(w->pend) / sizeof(w->pend[0])) || len > 4096)
        return;
    struct pending_item_s *pi = &w->pend[w->npend];
    if (!(pi->text = dup_len(s, len)))
        return;
    pi->len = len;
    pi->line_idx = line_idx;
    snprintf(pi->path, sizeof(pi->path), "%s", w->item_path);
    w->pend_level = level;
    w->pend_depth = w->depth;
    w->npend++;
}

/* The clause stands in a paragraph of its own at the end of the item (a
 * line "（责任单位：…）" after the last of a list of sibling items). */
static bool trailing_clause(const char *s, const clause_t *c)
{
    size_t p = c->start;
    while (p > 0 && (s[p - 1] == ' '))
        p--;
    if (p >= 3 && memcmp(s + p - 3, "（", 3) == 0)
        p -= 3; /* "（【责任单位】…）": the clause starts at its label's 【 */
    if (p > 0 && s[p - 1] != '\n') {
        /* "4项目标的责任单位均为…", "该目标责任单位为…", "以上任务牵头单位：":
         * a few words before the label that point back at the items above
         * (not "问题整改责任单位：", a group's own clause) */
        static const char *const back[] = {"以上", "上述", "该", "项", NULL};
        size_t q = p;
        while (q > 0 && s[q - 1] != '\n' && p - q < 3 * 8)
            q--;
        if (q == 0 || s[q - 1] != '\n' || contains(s + q, p - q, "。") || contains(s + q, p - q, "，"))
            return false;
        if (!contains_any(s + q, p - q, back))
            return false;
        p = q;
    }
    return p > 0 && s[p - 1] == '\n';
}

/* The document's entry into force or term ("本通告自发布之日起实施",
 * "本办法自2021年1月1日起施行，有效期5年"): a date that starts it, no task. */
static bool in_force_clause(const char *s, size_t len)
{
    static const char *const own[] = {"本通告", "本办法", "本规定", "本方案", "本意见", "本细则",
                                      "本措施", "本通知", "本条例", "本决定", "本公告", "本制度",
                                      "本实施细则", "本实施方案", NULL};
    static const char *const start[] = {"起施行", "起实施", "起执行", "起生效", NULL};
    while (len > 0 && (*s == ' ' || *s == '\n'))
        s++, len--;
    return gw_match_any(s, len, own) && contains_any(s, len < 3 * 40 ? len : 3 * 40, start);
}

/* A heading that names the lead of everything below it: "（三）省编办牵头
 * 的工作", "二、市财政局负责的工作". A person's heading (孟学农省长负责的
 * 工作) names no unit. */
static bool lead_heading(const char *s, size_t len, clause_t *c)
{
    static const char *const tails[] = {"牵头负责的工作", "牵头的工作", "负责的工作",
                                        "牵头的任务", "牵头的事项", "牵头事项", NULL};
    size_t lim = len < 120 ? len : 120;
    for (size_t k = 0; tails[k]; k++) {
        const char *p = duban_find(s, lim, tails[k], strlen(tails[k]));
        if (!p || p == s || !gw_unit_like_end(s, (size_t)(p - s)) || contains(s, (size_t)(p - s), "，"))
            continue;
        memset(c, 0, sizeof(*c));
        gw_add_units(s, (size_t)(p - s), &c->lead);
        if (c->lead.count && !gw_is_national(c->lead.items[0]))
            return true;
        gw_clause_free(c);
    }
    return false;
}

static void set_heading_lead(walk_t *w, const duban_strlist_t *lead);

/* A heading that is nothing but a unit's name, "（三）闻喜县政府" over the
 * items that county is to carry out: their lead (as "X牵头的工作"). Not a
 * chapter's or section's title, at most 16 characters, no punctuation,
 * ending like a body's name (…政府 …局 …委 …中心 …镇) and not a collective
 * (各…). */
/* "重点项目（4个）。", "新开工项目（3项）": a heading that names a group and
 * counts its items, and says nothing else (dev be05). Its items follow. */
static bool count_heading(const char *s, size_t len)
{
    static const char *const counters[] = {"个）", "项）", "条）", "家）", "处）", NULL};
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    if (duban_ends(s, len, "。") || duban_ends(s, len, "："))
        len -= 3;
    if (len < 3 * 4 || len > 3 * 20 || !ends_any(s, len, counters) || contains(s, len, "，") ||
        contains(s, len, "。") || contains(s, len, "："))
        return false;
    const char *op = NULL;
    for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "（", 3)) != NULL; p += 3)
        op = p;
    if (!op || op == s)
        return false;
    size_t digits = 0;
    for (const char *q = op + 3; q < s + len - 6; q++) {
        if (!is_digit(*q))
            return false;
        digits++;
    }
    return digits > 0;
}

static bool unit_heading(walk_t *w, const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    while (len > 0 && *s == ' ')
        s++, len--;
    static const char *const body[] = {"政府", "局", "委", "办", "厅", "中心", "公司", "办事处",
                                       "管委会", "街道", "镇", "乡", NULL};
    if (w->depth <= 0 || w->stack[w->depth - 1].level <= LV_SECTION || len < 6 || len > 3 * 16 ||
        memchr(s, '\n', len) || memchr(s, ' ', len) || duban_starts(s, len, "各") ||
        !ends_any(s, len, body))
        return false;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 || (c == 0xEF && (unsigned char)s[i + 1] == 0xBC) ||
            (c == 0xE3 && (unsigned char)s[i + 1] == 0x80))
            return false; /* ASCII, ，：（）… 、。 */
        i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    }
    duban_strlist_t lead = DUBAN_STRLIST_INIT;
    gw_add_units(s, len, &lead);
    bool ok = lead.count == 1 && !gw_is_national(lead.items[0]);
    if (ok)
        set_heading_lead(w, &lead);
    duban_strlist_free(&lead);
    return ok;
}

/* The lead a heading above the current item named, or NULL; *level (when
 * not NULL) gets the heading's stack index. */
static const char *inherited_lead_at(const walk_t *w, int *level)
{
    for (int i = w->depth - 2; i >= 0; i--)
        if (w->stack[i].lead[0]) {
            if (level)
                *level = i;
            return w->stack[i].lead;
        }
    return NULL;
}

/* The heading at stack index i gave its lead to an item below: the task
 * made of the heading itself goes ("（三）省编办牵头的工作" is no task). */
static void heading_lent(walk_t *w, int i)
{
    marker_t *m = &w->stack[i];
    if (m->head_task && w->ndropped < (int)(sizeof(w->dropped) / sizeof(w->dropped[0])))
        w->dropped[w->ndropped++] = m->head_task - 1;
    m->head_task = 0;
}

/* A heading that prints its lead with a label, "（十）提升…美誉度（牵头单位：
 * 市园林绿化局）", over items that print only "责任单位：…": as in a clause
 * that has both labels, the heading's unit leads and the item's units
 * cooperate. Records such a heading's lead, and applies it to an item below
 * whose one clause has no 牵头 label; the heading itself is then no task. */
static void labelled_heading_lead(walk_t *w, const char *s, size_t len, clause_t *cl, size_t nc)
{
    if (w->depth <= 0 || nc != 1)
        return;
    marker_t *self = &w->stack[w->depth - 1];
    self->lab_lead[0] = '\0';
    /* the label, not "（大武口区财政局牵头）": under such a heading the gazettes'
     * items name their own 责任单位 as the lead */
    bool label = contains(s + cl[0].start, cl[0].end - cl[0].start, "牵头单位") ||
                 contains(s + cl[0].start, cl[0].end - cl[0].start, "牵头部门");
    if (cl[0].has_lead_label && label && cl[0].lead.count && cl[0].coop.count == 0) {
        size_t cap = sizeof(self->lab_lead), n = 0;
        for (size_t i = 0; i < cl[0].lead.count && n + 4 < cap; i++)
            n += (size_t)snprintf(self->lab_lead + n, cap - n, "%s%s", i ? "、" : "",
                                  cl[0].lead.items[i]);
        return;
    }
    if (cl[0].has_lead_label || cl[0].lead.count == 0)
        return;
    for (int i = w->depth - 2; i >= 0; i--) {
        if (!w->stack[i].lab_lead[0])
            continue;
        for (size_t k = 0; k < cl[0].lead.count; k++)
            duban_strlist_push_unique(&cl[0].coop, cl[0].lead.items[k]);
        duban_strlist_free(&cl[0].lead);
        gw_add_units(w->stack[i].lab_lead, strlen(w->stack[i].lab_lead), &cl[0].lead);
        cl[0].has_lead_label = true;
        heading_lent(w, i);
        return;
    }
}

/* Records the lead of the current item's heading for the items below it. */
static void set_heading_lead(walk_t *w, const duban_strlist_t *lead)
{
    if (w->depth <= 0)
        return;
    char *o = w->stack[w->depth - 1].lead;
    size_t cap = sizeof(w->stack[0].lead), n = 0;
    o[0] = '\0';
    for (size_t i = 0; i < lead->count && n + 4 < cap; i++)
        n += (size_t)snprintf(o + n, cap - n, "%s%s", i ? "、" : "", lead->items[i]);
}

static void task_free(duban_gwdoc_task_t *t)
{
    free(t->task_id);
    free(t->outline_path);
    free(t->text);
    duban_strlist_free(&t->lead_units);
    duban_strlist_free(&t->coop_units);
    duban_strlist_free(&t->lead_depts);
    duban_strlist_free(&t->coop_depts);
    duban_strlist_free(&t->review);
}

/* Drops the tasks heading_lent marked, keeping the order of the others. */
static void drop_heading_tasks(walk_t *w)
{
    duban_gwdoc_t *g = w->P->g;
    if (!w->ndropped)
        return;
    size_t out = w->P->g->docs[w->doc].first_task;
    for (size_t i = out; i < g->ntasks; i++) {
        bool drop = false;
        for (int k = 0; k < w->ndropped; k++)
            drop |= w->dropped[k] == i;
        duban_gwdoc_task_t *t = &g->tasks[i];
        if (drop) {
            if (t->review.count)
                g->warnings--;
            task_free(t);
            continue;
        }
        if (out != i)
            g->tasks[out] = *t;
        out++;
    }
    g->ntasks = out;
    w->ndropped = 0;
}

/* 1 to `digits` digits at s[i], then the word `unit` (月, 日, 年): where
 * the text goes on after it, or 0. */
static size_t number_then(const char *s, size_t n, size_t i, size_t digits, const char *unit)
{
    size_t d = i;
    while (d < n && d - i < digits && is_digit(s[d]))
        d++;
    return d > i && duban_at(s, n, d, unit) ? d + strlen(unit) : 0;
}

/* "M月D日至M月D日，…" (a year before it or not): a step of a schedule that
 * opens with its dates. */
static bool range_para_start(const char *s, size_t n, size_t i)
{
    size_t k = number_then(s, n, i, 4, "年");
    if (k && k - i == 4 + 3) /* 2025年9月1日至… */
        i = k;
    if (!(k = number_then(s, n, i, 2, "月")) || !(i = number_then(s, n, k, 2, "日")))
        return false;
    if (duban_at(s, n, i, "至") || duban_at(s, n, i, "—") || duban_at(s, n, i, "－"))
        i += 3;
    else if (i < n && (s[i] == '-' || s[i] == '~'))
        i += 1;
    else
        return false;
    if ((k = number_then(s, n, i, 2, "日")) != 0) /* …至30日 */
        i = k;
    else if (!(k = number_then(s, n, i, 2, "月")) || !(i = number_then(s, n, k, 2, "日")))
        return false;
    /* a step, not the schedule's own span that introduces them (…（4个月）。其中：) */
    const char *stop = duban_find(s + i, n - i, "\n", 1);
    size_t e = stop ? (size_t)(stop - s) : n;
    return duban_at(s, n, i, "，") && !duban_ends(s, e, "：");
}

/* A paragraph that opens with a target date: "到2027年底前，…", "到2025年，…",
 * "2025年底前…" (not a bare "2022年，…": a year's account or plan), or a
 * schedule's step (range_para_start). */
static bool target_para_start(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    if (range_para_start(s, n, i))
        return true;
    bool to = duban_at(s, n, i, "到");
    if (to)
        i += 3;
    for (size_t d = 0; d < 4; d++, i++)
        if (i >= n || !is_digit(s[i]))
            return false;
    return duban_at(s, n, i, "年") &&
           (to || duban_at(s, n, i + 3, "底前") || duban_at(s, n, i + 3, "前"));
}

/* A heading item ("一、主要目标") whose body is paragraphs each opening
 * with its own target date ("到2025年底前，…" / "到2027年底前，…"): each
 * paragraph is a task of its own ("一/1", "一/2"), not one task due at the
 * latest. False (nothing made) when the item is not of that shape. */
static bool target_paragraphs(walk_t *w, const char *s, size_t len)
{
    size_t at[16], line[16], n = 0;
    for (size_t k = 1; k < w->item.nseg && n < 16; k++) {
        if (w->item.pos[k] < w->item_skip)
            continue;
        size_t o = w->item.pos[k] - w->item_skip;
        if (o < len && target_para_start(s + o, len - o)) {
            at[n] = o;
            line[n++] = w->item.line_idx[k];
        }
    }
    if (n < 2)
        return false;
    size_t pre = at[0];
    while (pre > 0 && (s[pre - 1] == ' ' || s[pre - 1] == '\n'))
        pre--;
    bool intro = pre < 3 * 60 && duban_ends(s, pre, "：") && range_para_start(s, len, at[0]);
    if (!intro && (at[0] > 3 * 20 || contains(s, at[0], "。") || contains(s, at[0], "，")))
        return false; /* a heading before them, or a span that introduces its steps (…。其中：) */
    bool made = false;
    for (size_t i = 0; i < n; i++) {
        size_t e = i + 1 < n ? at[i + 1] : len;
        char path[sizeof(w->item_path) + 8];
        snprintf(path, sizeof(path), "%s/%zu", w->item_path, i + 1);
        task_in_t in = {s + at[i], e - at[i], s + at[i], e - at[i], NULL, NULL, line[i], false, false,
                        0};
        made |= gw_emit_task(w, path, &in);
    }
    return made;
}

/* Where a topic starts at s[at]: "关于…" at a line's start or after 。,
 * whose first sentence is short (the topic: "关于砖瓦行业问题。") and whose
 * second opens with who does it (prose_clause: "县国土局负责，…"). 0: not
 * one; else the length of the topic sentence. */
static size_t topic_at(const char *s, size_t len, size_t at, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    if (!duban_at(s, len, at, "关于"))
        return 0;
    const char *stop = duban_find(s + at, len - at < 3 * 30 ? len - at : 3 * 30, "。", 3);
    if (!stop || duban_find(s + at, (size_t)(stop - s) - at, "，", 3))
        return 0;
    size_t body = (size_t)(stop - s) + 3;
    while (body < len && (s[body] == '\n' || s[body] == ' '))
        body++;
    const char *next = duban_find(s + body, len - body, "。", 3);
    size_t end = next ? (size_t)(next - s) : len;
    if (!gw_prose_clause(s + body, end - body, c))
        return 0;
    return body - at;
}

/* Tasks of one item cut at starts[0..n) (each to the next start), path
 * "item/k", with the clause read for each; when fewer than two, none. Frees
 * the clauses. True when two or more were. */
static bool emit_segments(walk_t *w, const char *s, size_t len, const size_t *starts,
                          clause_t *cl, size_t n)
{
    for (size_t k = 0; k < n && n >= 2; k++) {
        size_t e = k + 1 < n ? starts[k + 1] : len;
        char path[352];
        snprintf(path, sizeof(path), "%s/%zu", w->item_path, k + 1);
        task_in_t in = {s + starts[k], e - starts[k], s + starts[k], e - starts[k], &cl[k].lead,
                        &cl[k].coop, duban_para_line_at(&w->item, w->item_skip + starts[k]), false,
                        false, duban_para_pos_in_line(&w->item, w->item_skip + starts[k])};
        gw_emit_task(w, path, &in);
    }
    for (size_t k = 0; k < n; k++)
        gw_clause_free(&cl[k]);
    return n >= 2;
}

/* An item that holds topics one after another, each with who does it
 * (a speech's or a meeting's "关于X问题。Y局负责，…"): a task per topic,
 * its text from 关于 to the next topic. True when two or more were. */
/* An item whose heading line is followed by lines that each open with a
 * topic run in before its text, and name who does it ("（十）公共卫生。" /
 * "食品安全。由市政府食品安全办牵头，会同…" / "卫生防疫。由市卫生局牵头，…",
 * dev bg09): a task per line, two or more, every line after the heading
 * one of them. */
static bool run_in_topics(walk_t *w, const char *s, size_t len)
{
    enum { MAX_TOPICS = 16 };
    size_t starts[MAX_TOPICS], n = 0;
    clause_t cl[MAX_TOPICS];
    if (w->item.nseg < 3 || w->item.nseg - 1 > MAX_TOPICS)
        return false;
    for (size_t k = 1; k < w->item.nseg; k++) {
        if (w->item.pos[k] < w->item_skip)
            return false;
        size_t a = w->item.pos[k] - w->item_skip;
        size_t b = k + 1 < w->item.nseg ? w->item.pos[k + 1] - w->item_skip : len;
        if (a >= b || b > len)
            return false;
        const char *stop = duban_find(s + a, b - a, "。", 3);
        size_t h = stop ? (size_t)(stop - (s + a)) : 0;
        bool ok = stop && h >= 6 && h <= 3 * 12 && !contains(s + a, h, "，") &&
                  gw_prose_clause(s + a + h + 3, b - a - h - 3, &cl[n]);
        if (!ok) {
            for (size_t j = 0; j < n; j++)
                gw_clause_free(&cl[j]);
            return false;
        }
        starts[n++] = a;
    }
    return emit_segments(w, s, len, starts, cl, n);
}

static bool topic_items(walk_t *w, const char *s, size_t len)
{
    size_t starts[32] = {0}, n = 0, seg = 0;
    clause_t cl[32]; /* each topic's who does it, read once */
    for (const char *f = s; n < 32 && (f = duban_find(f, (size_t)(s + len - f), "关于", 6)) != NULL;
         f += 6) {
        size_t i = (size_t)(f - s);
        while (seg < w->item.nseg && w->item.pos[seg] < w->item_skip + i)
            seg++; /* the segments start in increasing order */
        bool line_start = i == 0 || s[i - 1] == '\n' ||
                          (seg < w->item.nseg && w->item.pos[seg] == w->item_skip + i);
        if (!line_start && !duban_ends(s, i, "。"))
            continue;
        if (topic_at(s, len, i, &cl[n]))
            starts[n++] = i;
        else
            gw_clause_free(&cl[n]);
    }
    return emit_segments(w, s, len, starts, cl, n);
}

/* A unit opens a duty at s[i]: "县环保局。负责…", "县交通局、公路局。负责…",
 * "县农委：负责…" (a unit, a full stop or colon, then 负责/承担/牵头). Fills
 * c with the unit as lead. */
static bool duty_at(const char *s, size_t len, size_t i, clause_t *c)
{
    static const char *const verbs[] = {"负责", "承担", "牵头", "主要负责", "具体负责", NULL};
    size_t lim = len - i < 3 * 20 ? len - i : 3 * 20;
    for (size_t j = i + 6; j + 3 <= i + lim; j += (unsigned char)s[j] >= 0xE0 ? 3 : 1) {
        size_t sep = duban_at(s, len, j, "。") || duban_at(s, len, j, "：") ? 3 : s[j] == ':' ? 1 : 0;
        if (!sep)
            continue;
        if (!gw_match_any(s + j + sep, len - j - sep, verbs) || contains(s + i, j - i, "，") ||
            memchr(s + i, '\n', j - i) || /* a heading's line above the unit's */
            !gw_unit_like_end(s + i, j - i) || gw_person_title_end(s + i, j - i))
            return false;
        memset(c, 0, sizeof(*c));
        gw_add_units(s + i, j - i, &c->lead);
        return gw_keep_local_lead(c);
    }
    return false;
}

/* Where a duty may open after s[i]: past the next line break, colon, full
 * stop or semicolon (。 E3 80 82, ： EF BC 9A, ； EF BC 9B); len when none. */
static size_t after_separator(const char *s, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    for (; i < len; i++) {
        if (u[i] == '\n' || u[i] == ':')
            return i + 1;
        if (i + 2 < len && ((u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82) ||
                            (u[i] == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x9A || u[i + 2] == 0x9B))))
            return i + 3;
    }
    return len;
}

/* An item that lists units and their duties one after another, run on
 * ("各组成单位及其职责如下：县环保局。负责…。县交通局、公路局。负责…。县农委。
 * 负责…"): a task per unit, its text from the unit to the next one. True when
 * two or more were. */
static bool unit_duties(walk_t *w, const char *s, size_t len)
{
    /* most items hold no such list: two verbs right after a full stop or a
     * colon (…。负责, …：主要负责) first, one scan per verb */
    static const char *const verbs[] = {"负责", "承担", "牵头", NULL};
    size_t seen = 0;
    for (size_t k = 0; verbs[k] && seen < 2; k++)
        for (const char *f = s; seen < 2 && (f = duban_find(f, (size_t)(s + len - f), verbs[k], 6));
             f += 6) {
            size_t at = (size_t)(f - s);
            if (at >= 6 && (duban_ends(s, at, "主要") || duban_ends(s, at, "具体")))
                at -= 6;
            seen += duban_ends(s, at, "。") || duban_ends(s, at, "：");
        }
    if (seen < 2)
        return false;
    size_t starts[32] = {0}, n = 0;
    clause_t cl[32];
    for (size_t at = 0; at < len && n < 32; at = after_separator(s, len, at))
        if ((unsigned char)s[at] >= 0xE0 && duty_at(s, len, at, &cl[n]))
            starts[n++] = at;
    return emit_segments(w, s, len, starts, cl, n);
}

/* In a document whose leads were set in bold ("黑体为牵头单位，其他为参加单位"),
 * which plain text loses: a bare list's first group, before its first
 * comma, leads and the rest take part (the bold ones come first). */
static void bold_group_leads(clause_t *c)
{
    if (c->first_group && !c->coop.count)
        first_lead(&c->lead, &c->coop, c->first_group);
}

/* An item that gives only a campaign's window ("整治时间：2021年6月23日-2021年7月1日",
 * 活动时间, 行动时间, 实施时间, 调查时间…, its full stop or not): no task of its own; its end is the due date of
 * the items that set none (as a list title's year is). A section of its own
 * after the tasks ("二、时间安排" over "即日起至2018年3月31日。", dev bi03) dates
 * the document's tasks above it that set none, too. */
static bool campaign_window(walk_t *w, const char *s, size_t len)
{
    static const char *const heads[] = {"整治时间", "活动时间", "行动时间", "实施时间",
                                        "工作时间", "调查时间", "检查时间", "普查时间", "排查时间",
                                        "督查时间", "时间安排", NULL};
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\n'))
        i++;
    while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    if (duban_ends(s + i, len - i, "。"))
        len -= 3; /* "调查时间：2008年4月15日至4月17日。" */
    size_t h = gw_match_any(s + i, len - i, heads);
    if (!h || len - i > 3 * 40 || contains(s, len, "。") || contains(s, len, "，"))
        return false;
    duban_deadline_t dl;
    char eb[64];
    duban_deadline_extract(s + i + h, len - i - h, &w->dctx, &dl, eb, sizeof(eb));
    size_t dn = strlen(dl.text);
    const char *body = s + i + h;
    size_t bn = len - i - h;
    if (dl.kind != DUBAN_DEADLINE_DATED || !(contains(dl.text, dn, "至") || contains(dl.text, dn, "-") ||
                                               contains(dl.text, dn, "—") ||
                                               contains(body, bn, "即日起至")))
        return false; /* a window, not the day something happens */
    duban_gwdoc_t *g = w->P->g;
    if (w->depth == 1 && w->stack[0].level == LV_1 && g->ntasks > g->docs[w->doc].first_task) {
        /* a section after the tasks: theirs, not the sections' below (工作要求) */
        for (size_t k = g->docs[w->doc].first_task; k < g->ntasks; k++)
            if (g->tasks[k].deadline.kind == DUBAN_DEADLINE_NONE &&
                !duban_strlist_contains(&g->tasks[k].review, DUBAN_REVIEW_DEADLINE_UNPARSED))
                g->tasks[k].deadline = dl;
        return true;
    }
    w->list_due = dl;
    w->have_list_due = true;
    w->list_due_window = true;
    return true;
}

void gw_finalize_item(walk_t *w)
{
    if (!w->item_open)
        return;
    w->item_open = false;
    const char *s = w->item.buf + w->item_skip;
    size_t len = w->item.len - w->item_skip;
    clause_t cl[MAX_CLAUSES];
    size_t national = 0;
    size_t nc = gw_find_clauses(s, len, cl, MAX_CLAUSES, &national);
    for (size_t k = 0; w->bold_leads && k < nc; k++)
        bold_group_leads(&cl[k]);
    if (w->item.nseg > 1) { /* clauses printed as lines of their own */
        size_t starts[64], ns = 0;
        for (size_t k = 0; k < w->item.nseg && ns < 64; k++) /* the first: after the marker */
            starts[ns++] = w->item.pos[k] > w->item_skip ? w->item.pos[k] - w->item_skip : 0;
        nc = gw_line_clauses(s, len, starts, ns, cl, nc, MAX_CLAUSES);
    }
    if (nc == 0 && national > 0)
        return; /* owned by national bodies: not a local task */
    if (nc == 0 && unit_heading(w, s, len))
        return; /* "（三）闻喜县政府": the unit of the items below, no task */
    if (nc == 0 && count_heading(s, len))
        return; /* "（一）重点项目（4个）。": a group and its count, its items below */
    if (nc == 0 && in_force_clause(s, len))
        return; /* "七、本通告自发布之日起实施。": when it applies, no task */
    clause_t head;
    bool heading = false;
    if ((nc == 0 || (nc == 1 && cl[0].lead.count == 0)) && lead_heading(s, len, &head)) {
        if (nc == 0)
            cl[0] = head; /* "（一）省监察厅牵头的工作" */
        else { /* "（二）省审计厅牵头的工作 … 协同单位：…" */
            cl[0].lead = head.lead;
            duban_strlist_free(&head.coop);
            duban_strlist_free(&head.resp);
        }
        nc = 1;
        set_heading_lead(w, &cl[0].lead);
        heading = true;
    }
    if (nc == 0 && run_in_topics(w, s, len))
        return; /* "（十）公共卫生。" over "食品安全。由市政府食品安全办牵头，…" lines */
    if (nc == 0 && topic_items(w, s, len))
        return; /* "关于砂石行业整治。县水务局牵头负责，…关于砖瓦行业问题。县国土局负责，…" */
    if (nc == 0 && unit_duties(w, s, len))
        return; /* "…职责如下：县环保局。负责…。县交通局、公路局。负责…" */
    if (nc == 0 && (duty_subject(s, len, &cl[0]) || gw_prose_clause(s, len, &cl[0]) ||
                    gw_by_unit_lead(s, len, &cl[0]) || gw_role_statement(s, len, &cl[0]) ||
                    gw_subject_lead(w, s, len, &cl[0]) || gw_person_led_unit(s, len, &cl[0])))
        nc = 1;
    labelled_heading_lead(w, s, len, cl, nc);
    int up_level = -1;
    const char *up = inherited_lead_at(w, &up_level);
    if (up && (nc == 0 || (nc == 1 && cl[0].lead.count == 0))) {
        if (nc == 0)
            memset(&cl[0], 0, sizeof(cl[0]));
        gw_add_units(up, strlen(up), &cl[0].lead);
        nc = 1;
        heading_lent(w, up_level);
    }
    if (nc == 0 && campaign_window(w, s, len))
        return; /* "一、整治时间：2021年6月23日-2021年7月1日": the items' due date */
    if (nc == 0 && target_paragraphs(w, s, len))
        return;
    int level = w->depth > 0 ? w->stack[w->depth - 1].level : 0;
    if (w->npend && (level != w->pend_level || w->depth != w->pend_depth))
        pending_clear(w);
    if (nc <= 1) {
        task_in_t in = {s, len, s, len, nc ? &cl[0].lead : NULL, nc ? &cl[0].coop : NULL,
                        w->item.line_idx[0], false, false, 0};
        bool made = gw_emit_task(w, w->item_path, &in);
        if (made && (heading || (w->depth > 0 && w->stack[w->depth - 1].lab_lead[0])))
            w->stack[w->depth - 1].head_task = w->P->g->ntasks; /* 1 + its index */
        if (made && nc == 0)
            mark_phase(w, s, len, &w->P->g->tasks[w->P->g->ntasks - 1]);
        if (!made && nc == 0) {
            pending_add(w, s, len, w->item.line_idx[0], level);
        } else if (made && nc == 1 && trailing_clause(s, &cl[0])) {
            for (int k = 0; k < w->npend; k++) { /* the clause is the siblings' too */
                struct pending_item_s *pi = &w->pend[k];
                task_in_t pin = {pi->text, pi->len, pi->text, pi->len, &cl[0].lead, &cl[0].coop,
                                 pi->line_idx, false, false, 0};
                gw_emit_task(w, pi->path, &pin);
            }
            pending_clear(w);
        } else {
            pending_clear(w);
        }
    } else {
        pending_clear(w);
        size_t st = 0;
        for (size_t k = 0; k < nc; k++) {
            size_t e = k + 1 == nc ? len : cl[k].end;
            size_t p = st;
            while (p < e && (s[p] == '\n' || s[p] == ' '))
                p++;
            char path[352];
            snprintf(path, sizeof(path), "%s/%zu", w->item_path, k + 1);
            task_in_t in = {s + st, e - st, s + st, e - st, &cl[k].lead, &cl[k].coop,
                            duban_para_line_at(&w->item, w->item_skip + p), false, false,
                            duban_para_pos_in_line(&w->item, w->item_skip + p)};
            gw_emit_task(w, path, &in);
            st = e;
        }
    }
    for (size_t k = 0; k < nc; k++)
        gw_clause_free(&cl[k]);
}

/* A line of the list of attachments at a body's end: "附：1.金坛市农村五保
 * 对象普查表" or "附件：1.…" opens it (1), and "2.金坛市2007年12月…统计表"
 * goes on with it when `next` is 2: the number it names, 0 when the line
 * is none. Names are short and name a form or a document. */
static int attachment_name(const char *s, size_t len, int next)
{
    static const char *const opens[] = {"附：", "附件：", NULL};
    static const char *const doc_end[] = {"表", "方案", "清单", "办法", "名单", "目录", "细则",
                                          "通知", "意见", "规划", "计划", "样表", "模板", "说明", NULL};
    size_t a = 0;
    int want = next;
    if (!next) {
        a = gw_match_any(s, len, opens);
        if (!a)
            return 0;
        want = 1;
    }
    if (len - a > 3 * 40 || len <= a + 2)
        return 0;
    size_t i = a, v = 0;
    while (i < len && is_digit(s[i]) && i - a < 2)
        v = v * 10 + (size_t)(s[i++] - '0');
    if (i == a || (int)v != want || !(s[i] == '.' || duban_at(s, len, i, "、") || duban_at(s, len, i, "．")))
        return 0;
    size_t e = len;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    if (duban_ends(s, e, "；") || duban_ends(s, e, "。"))
        e -= 3;
    return ends_any(s, e, doc_end) && !contains(s, e, "，") ? want : 0;
}

/* Marker types nest in the order a document first uses them (一、 >
 * （一） > 1. > （1） is only the usual case): a type already on the stack
 * closes everything below it, a new type opens a child level. */
void gw_push_marker(walk_t *w, const marker_t *m)
{
    bool structured = false;
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i].level == m->level) {
            if (!strcmp(w->stack[i].label, m->label)) {
                w->depth = i + 1; /* the same heading again (a table's
                                     merged cell after a page break) */
                return;
            }
            w->depth = i;
            break;
        }
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i].level <= LV_SECTION)
            structured = true;
    if (m->level == LV_1 && m->value == 1 && !structured && !w->flat &&
        strncmp(m->label, "第", 3) != 0) {
        if (w->seen_l1)
            w->part++;
        w->seen_l1 = true;
        w->depth = 0;
    }
    if (w->depth < MAX_DEPTH) {
        marker_t *top = &w->stack[w->depth++];
        memcpy(top, m, offsetof(marker_t, phase));
        if (m->has_phase)
            top->phase = m->phase;
    }
}

/* Appends paragraph p (text and line map) to dst. */
static void para_append(duban_para_t *dst, const duban_para_t *p)
{
    if (!duban_para_reserve(dst, p->len, p->nseg))
        return;
    for (size_t k = 0; k < p->nseg; k++) {
        dst->pos[dst->nseg + k] = dst->len + p->pos[k];
        dst->line_idx[dst->nseg + k] = p->line_idx[k];
    }
    dst->nseg += p->nseg;
    memcpy(dst->buf + dst->len, p->buf, p->len);
    dst->len += p->len;
    dst->buf[dst->len] = '\0';
}

static void open_item(walk_t *w, const duban_para_t *p, const marker_t *m)
{
    w->item_open = true;
    gw_path_prefix(w, w->item_path, sizeof(w->item_path));
    duban_para_reset(&w->item);
    para_append(&w->item, p);
    w->item_skip = m->len <= w->item.len ? m->len : 0;
}

/* "联系人：张三，联系电话：…": who to call, after the last item. */
static bool contact_line(const char *s, size_t len)
{
    static const char *const keys[] = {"联系人", "联系电话", "联系方式", "咨询电话", NULL};
    for (size_t k = 0; keys[k]; k++) {
        size_t n = strlen(keys[k]);
        if (duban_starts(s, len, keys[k]) && (duban_starts(s + n, len - n, "：") || duban_starts(s + n, len - n, ":")))
            return true;
    }
    return false;
}

/* A closing paragraph after the outline that asks every unit to act on
 * all the items above: "请各责任单位按整改要求对上述问题尽快整改落实，…整改
 * 结果纳入第四季度双创考核" (dev ao07). It is no part of the last item, whose
 * deadline its date is not. The request is addressed to all (请各…, 望各…)
 * and names the items as a whole (上述, 以上问题…) in its first sentence. */
bool gw_closing_request(const char *s, size_t len)
{
    static const char *const to_all[] = {"请各", "请有关", "请相关", "望各", NULL};
    static const char *const items[] = {"上述", "以上问题", "以上任务", "以上事项", "以上工作",
                                        "以上要求", "以上各项", NULL};
    bool all = false;
    for (size_t k = 0; to_all[k] && !all; k++)
        all = duban_starts(s, len, to_all[k]);
    if (!all)
        return false;
    const char *end = duban_find(s, len, "。", 3);
    size_t n = end ? (size_t)(end - s) : len;
    return contains_any(s, n, items);
}

/* The title of a list that names the year its items are to be done in:
 * "2019年市政府要完成的与人民生活密切相关的实事" (dev an09). One short line
 * that opens with the year and says the items are to be completed then;
 * an item below it that prints no deadline is due by that year's end.
 * Not a plan's title ("2021年重点工作安排"): that names the year it covers. */
bool gw_list_title_due(const char *s, size_t len, const duban_deadline_ctx_t *ctx,
                       duban_deadline_t *out)
{
    static const char *const to_do[] = {"要完成的", "须完成的", "需完成的", "计划完成的",
                                        "将完成的", "年内完成的", "应完成的", NULL};
    static const char *const not_title[] = {"。", "，", "；", "：", ":", "\n", NULL};
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        len--;
    if (len < 4 + 3 + 12 || len > 3 * 60)
        return false;
    int y = 0;
    for (size_t i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        y = y * 10 + (s[i] - '0');
    }
    if (!duban_starts(s + 4, len - 4, "年") || y < 1990 || y > 2199)
        return false;
    if (contains_any(s, len, not_title) || !contains_any(s, len, to_do))
        return false;
    char yb[24];
    int n = snprintf(yb, sizeof(yb), "%d年底", y);
    char eb[64];
    if (n <= 0 || duban_deadline_extract(yb, (size_t)n, ctx, out, eb, sizeof(eb)) != DUBAN_OK ||
        out->kind != DUBAN_DEADLINE_DATED)
        return false;
    snprintf(out->text, sizeof(out->text), "%.*s", 4 + 3, s); /* "2019年", as printed */
    out->flags &= ~(unsigned)DUBAN_DEADLINE_F_PAST_AT_ISSUE;
    return true;
}

void gw_handle_para(walk_t *w)
{
    duban_para_t *p = &w->para;
    const duban_text_t *t = w->P->t;
    if (p->len == 0)
        return;
    w->para_no++;
    if (p->nseg == 1 && gw_glued_header(w, p->buf, p->len))
        return; /* "序号任务名称任务内容牵头部门配合部门…": a glued table's rows follow */
    if (w->glued)
        gw_glued_para(w, p);
    int att;
    marker_t m;
    if (duban_cn_date_line(p->buf, p->len) != DUBAN_DATE_NONE || gw_is_public_marker(p->buf, p->len) ||
        contact_line(p->buf, p->len)) {
        gw_finalize_item(w); /* a date, 此件公开发布, a contact: the item ended above */
        return;
    }
    if ((att = gw_attachment_label(p->buf, p->len)) != 0) {
        gw_finalize_item(w);
        w->attach = att;
        w->have_list_due = false; /* an attachment's list has its own title */
        w->list_due_window = false;
        w->part = 1;
        w->seen_l1 = false;
        w->depth = 0;
        w->ncols = 0;
        return;
    }
    bool shi = false;
    if (gw_marker_at(p->buf, p->len, &m) ||
        (gw_marker_shi(p->buf, p->len, &m) && shi_opens_item(w, &m, &shi))) {
        w->shi_items |= shi; /* 一是… opens the outline of a document that has none */
        gw_finalize_item(w);
        w->ncols = 0;
        gw_push_marker(w, &m);
        open_item(w, p, &m);
        w->seen_marker = true;
        return;
    }
    if (!w->item_open) {
        if (p->nseg == 1 && gw_list_title_due(p->buf, p->len, &w->dctx, &w->list_due)) {
            w->have_list_due = true;
            w->list_due_window = false;
            return;
        }
        gw_unmarked_para(w, p);
        return;
    }
    if (gw_closing_request(p->buf, p->len)) {
        gw_finalize_item(w); /* "请各责任单位…对上述问题…": the items' close */
        return;
    }
    duban_para_add_break(&w->item);
    para_append(&w->item, p);
    (void)t;
}

/* A document that prints no date and no number of its own: the latest
 * year of the 发文字号 it cites (…根据《…》（昆政发〔2016〕13号）), which it
 * cannot precede. 0 when it cites none. */
/* After a year in round brackets: the number and 号 of a document number
 * ("（2013）37号"), not a bracketed year alone ("（2013）" in a title). */
static bool cited_number_after(const char *p, const char *e)
{
    const char *q = p;
    while (q < e && q - p < 4 && is_digit(*q))
        q++;
    return q > p && duban_starts(q, (size_t)(e - q), "号");
}

static int cited_year(const duban_text_t *t, size_t from, size_t end, bool *guessed)
{
    int best = 0;
    for (size_t i = from; i < end; i++) {
        const char *s = t->lines[i].s, *e = s + t->lines[i].len, *p = s;
        for (int round = 0; round < 2; round++) { /* 国发〔2013〕37号, 国发（2013）37号 */
            const char *open = round ? "（" : "〔", *close = round ? "）" : "〕";
            for (p = s; (p = duban_find(p, (size_t)(e - p), open, 3)) && p + 10 <= e; p += 3) {
                int y = 0, k = 3;
                while (k < 7 && is_digit(p[k]))
                    y = y * 10 + (p[k++] - '0');
                if (k == 7 && duban_starts(p + 7, (size_t)(e - p - 7), close) && y >= 1990 &&
                    y <= 2100 && y > best && (!round || cited_number_after(p + 10, e)))
                    best = y;
            }
        }
    }
    *guessed = best != 0;
    return best;
}

/* A web page's furniture that prints the day it was viewed ("今天是：2025年
 * 12月06日 星期六"): no year of the document's. */
static bool today_line(const char *s, size_t n)
{
    static const char *const w[] = {"今天是", "今日是", "当前日期", "当前时间", "今天：", NULL};
    while (n > 0 && *s == ' ')
        s++, n--;
    for (size_t k = 0; w[k]; k++)
        if (duban_starts(s, n, w[k]))
            return true;
    return false;
}

/* A document that prints no date, no number and cites none: the first
 * year it prints (2009年环保专项行动, 截止:2019-06-18: year_at), as the deadline reader does for an
 * item on its own; 0 when it prints none. The year is a guess (flagged). */
static int printed_year(const duban_text_t *t, size_t from, size_t end, bool *guessed)
{
    for (size_t i = from; i < end; i++) {
        const char *s = t->lines[i].s;
        size_t n = t->lines[i].len;
        if (today_line(s, n))
            continue;
        for (size_t k = 0; k < n; k++) {
            int y = gw_year_at(s, n, k);
            if (y) {
                *guessed = true;
                return y;
            }
        }
    }
    return 0;
}

/* "黑体为牵头单位", "加粗的为牵头单位": the document set its leads in bold;
 * "排在前位为牵头部门": it listed them first. Either way a bare list's first
 * group leads. */
static bool bold_leads_note(const duban_text_t *t, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++) {
        const duban_line_t *L = &t->lines[i];
        const char *p = duban_find(L->s, L->len, "黑体", 6);
        if (!p)
            p = duban_find(L->s, L->len, "加粗", 6);
        if (!p) /* "排在前位为牵头部门，下同": the units listed first, the first group */
            p = duban_find(L->s, L->len, "排在前", 9);
        size_t rest = p ? (size_t)(L->s + L->len - p) : 0;
        if (p && duban_find(p, rest < 30 ? rest : 30, "牵头", 6))
            return true;
    }
    return false;
}

/* "（…列第一位的为牵头单位，下同）", "列第一位为牵头或汇总单位", "（…。排名
 * 第一的为牵头单位，下同）": the document's own rule for unlabelled lists of
 * units. */
static bool first_listed_leads(const duban_text_t *t, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++) {
        const duban_line_t *L = &t->lines[i];
        const char *p = duban_find(L->s, L->len, "第一", 6);
        if (!p)
            continue; /* every such rule holds 第一: one scan passes most lines */
        p = duban_find(p, (size_t)(L->s + L->len - p), "第一位", 9);
        if (p && duban_find(p, (size_t)(L->s + L->len - p) < 30 ? (size_t)(L->s + L->len - p) : 30,
                            "牵头", 6))
            return true;
        /* "…、中储粮株洲直属库。排名第一的为牵头单位，下同": a note after the list */
        size_t at = gw_list_note_at(L->s, L->len);
        p = L->s + at;
        size_t rest = L->len - at;
        if (at < L->len && duban_find(p, rest < 36 ? rest : 36, "第一", 6) &&
            duban_find(p, rest < 45 ? rest : 45, "牵头", 6))
            return true;
    }
    return false;
}

/* The notice's one date for rectifying everything it attaches: a clause of
 * the cover (the lines before the first attachment label) that says the
 * problems are to be rectified by a date ("并于5月20日前将问题整改完成").
 * None when no clause or several say so. */
/* The clause of line L that ends at byte `at` (before 整改完成): its date,
 * when it sets one, is the cover's; *found counts them. */
static void cover_clause(walk_t *w, const duban_line_t *L, size_t at, int *found)
{
    char eb[128];
    size_t b = at; /* back to the clause's start */
    while (b > 0 && !duban_ends(L->s, b, "，") && !duban_ends(L->s, b, "。") &&
           !duban_ends(L->s, b, "；") && !duban_ends(L->s, b, ","))
        b--;
    duban_deadline_t dl;
    duban_deadline_extract(L->s + b, at - b, &w->dctx, &dl, eb, sizeof(eb));
    if (dl.kind == DUBAN_DEADLINE_DATED) {
        w->cover_due = dl;
        (*found)++;
    }
}

static void find_cover_due(walk_t *w, size_t body, size_t end)
{
    static const char *const done[] = {"整改完成", "完成整改", "整改到位", "整改完毕", NULL};
    const duban_text_t *t = w->P->t;
    int found = 0;
    for (size_t li = body; li < end && found < 2; li++) {
        const duban_line_t *L = &t->lines[li];
        if (gw_attachment_label(L->s, L->len))
            break;
        /* each word found with memmem: this runs over every line of every
         * document, and a byte-by-byte scan for the four words cost 5 % of
         * parsing; all four hold 整改, so a line without it is passed after
         * one search, not four */
        if (!duban_find(L->s, L->len, "整改", 6))
            continue;
        for (size_t k = 0; done[k] && found < 2; k++) {
            size_t wl = strlen(done[k]);
            const char *e = L->s + L->len;
            for (const char *h = L->s; (h = duban_find(h, (size_t)(e - h), done[k], wl)) != NULL; h += wl)
                cover_clause(w, L, (size_t)(h - L->s), &found);
        }
    }
    w->have_cover_due = found == 1;
}

static int year_of_number(const char *num)
{
    const char *p = strstr(num, "〔");
    int y = 0;
    for (int i = 0; p && i < 4 && is_digit(p[3 + i]); i++)
        y = y * 10 + (p[3 + i] - '0');
    return y;
}

/* A national organ's own document: its number is the State Council's or
 * the Party Central Committee's (国办函〔2014〕31号, 国发, 中办发), or its
 * title or first issuer opens with 国务院, 中共中央 or 最高人民. */
static bool national_document(const duban_gwdoc_doc_t *d)
{
    static const char *const num[] = {"国办", "国发", "国函", "中办", "中发", NULL};
    static const char *const by[] = {"国务院", "中共中央", "最高人民", NULL};
    const char *issuer = d->issuers.count ? d->issuers.items[0] : NULL;
    return (d->doc_number && gw_match_any(d->doc_number, strlen(d->doc_number), num)) ||
           (d->title && gw_match_any(d->title, strlen(d->title), by)) ||
           (issuer && gw_match_any(issuer, strlen(issuer), by));
}

static void walk_doc(parse_t *P, size_t di, size_t body)
{
    const duban_text_t *t = P->t;
    duban_gwdoc_doc_t *d = &P->g->docs[di];
    walk_t *w = duban_xcalloc(1, sizeof(*w));
    if (!w)
        return;
    w->P = P;
    w->doc = di;
    w->part = 1;
    w->dctx.issue_date = d->issue_date;
    int y = 0, mo, da;
    if (d->issue_date != DUBAN_DATE_NONE)
        duban_date_to_ymd(d->issue_date, &y, &mo, &da);
    else if (d->doc_number && strstr(d->doc_number, "〔"))
        y = year_of_number(d->doc_number);
    if (y == 0)
        y = cited_year(t, d->start, d->end, &w->year_guessed);
    if (y == 0)
        y = printed_year(t, d->start, d->end, &w->year_guessed);
    w->dctx.doc_year = y;
    gw_walk_national(national_document(d));
    w->first_leads = first_listed_leads(t, d->start, d->end);
    w->bold_leads = bold_leads_note(t, d->start, d->end);
    find_cover_due(w, body, d->end);
    duban_para_init(&w->item);
    duban_para_init(&w->para);
    duban_para_init(&w->row);
    d->first_task = P->g->ntasks;
    bool have = false, in_cells = false;
    int attach_next = 0; /* the number of the next attachment's name, 0 when not in the list */
    for (size_t li = body; li < d->end; li++) {
        const duban_line_t *L = &t->lines[li];
        if (in_cells) {
            if (!gw_usable(L) || (gw_cell_separator(L) && !w->ct->pipes))
                continue;
            /* a header again (a second table printed one cell per line
             * after its section row) ends the table being read */
            bool header_again = !w->ct->pipes && L->len <= 40 && gw_text_cell_header(t, li, d->end);
            if (!gw_cell_table_ends(w, li) && !header_again) {
                gw_cell_line(w, li);
                continue;
            }
            gw_cell_table_finish(w);
            in_cells = false;
        }
        if (!gw_usable(L))
            continue;
        marker_t sm;
        if ((L->flags & DUBAN_LINE_PIPES) && !(L->flags & DUBAN_LINE_TAB) && w->ncols &&
            gw_marker_at(L->s, L->len, &sm)) {
            /* "一、以公开助力… |": a section row of the pipe table being read */
            gw_flush_para(w);
            gw_finalize_item(w);
            gw_push_marker(w, &sm);
            have = false;
            continue;
        }
        if (gw_has_leader(L->s, L->len)) { /* a table of contents entry */
            gw_flush_para(w);
            gw_finalize_item(w);
            pending_clear(w);
            have = false;
            continue;
        }
        int name_no = attachment_name(L->s, L->len, attach_next);
        if (name_no) { /* "附：1.…普查表" / "2.…统计表": the attachments' names */
            gw_flush_para(w);
            gw_finalize_item(w);
            pending_clear(w);
            have = false;
            attach_next = name_no + 1;
            continue;
        }
        attach_next = 0;
        size_t after;
        if (!w->flat && (L->len <= 24 || (L->flags & DUBAN_LINE_TAB) ||
                         duban_find(L->s, L->len < 36 ? L->len : 36, "：", 3)) &&
            gw_kv_records(w, li, d->end, &after)) {
            have = false;
            li = after - 1;
            continue;
        }
        if (!w->flat && !(L->flags & DUBAN_LINE_TAB) && (L->len <= 40 || memchr(L->s, ' ', L->len)) &&
            gw_cell_table_header(w, li, d->end, &after)) {
            gw_flush_para(w);
            gw_finalize_item(w);
            have = false;
            in_cells = true;
            li = after - 1;
            continue;
        }
        if (L->flags & DUBAN_LINE_TAB) {
            gw_flush_para(w);
            have = false;
            w->flat = false;
            gw_handle_row(w, li);
            continue;
        }
        if (w->flat) {
            if (gw_attachment_label(L->s, L->len)) {
                w->flat = false;
            } else {
                gw_flat_line(w, li);
                continue;
            }
        } else if (!w->flat && gw_flat_header(w, L)) {
            if (w->flat) {
                have = false;
                continue;
            }
        }
        if (have && !w->glued && duban_text_should_join(&t->lines[w->prev_li], L)) {
            duban_para_add(&w->para, t, li);
        } else {
            gw_flush_para(w);
            duban_para_add(&w->para, t, li);
        }
        have = true;
        w->prev_li = li;
    }
    if (w->flat) {
        if (w->in_tail)
            gw_flat_emit(w);
        duban_para_reset(&w->para);
    }
    if (in_cells)
        gw_cell_table_finish(w);
    gw_flush_para(w);
    gw_finalize_item(w);
    gw_unmarked_finish(w);
    drop_heading_tasks(w);
    gw_dedupe_ids(P->g, d->first_task);
    d->task_count = P->g->ntasks - d->first_task;
    duban_para_free(&w->item);
    duban_para_free(&w->para);
    duban_para_free(&w->row);
    pending_clear(w);
    free(w->ct);
    free(w);
    gw_walk_national(false);
}

static size_t find_anchors(const duban_text_t *t, anchor_t **out)
{
    size_t n = 0, cap = 0;
    anchor_t *a = NULL;
    for (size_t i = 0; i < t->nlines; i++) {
        char num[128];
        size_t cut;
        if (!gw_is_anchor(t, i, num, sizeof(num), &cut))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            anchor_t *na = duban_xrealloc(a, cap * sizeof(*na));
            if (!na)
                break;
            a = na;
        }
        a[n].li = i;
        a[n].cut = cut;
        snprintf(a[n].num, sizeof(a[n].num), "%s", num);
        n++;
    }
    *out = a;
    return n;
}

static size_t trailer_after(const duban_text_t *t, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++)
        if (gw_is_trailer(&t->lines[i]) && t->lines[i].len < 90)
            return i;
    return end;
}

static void reprint_list(const duban_text_t *t, duban_strlist_t *l)
{
    for (size_t i = 0; i < l->count; i++)
        duban_text_reprint(t, l->items[i]);
}

/* A file read as simplified (text.h): what documents and tasks print goes
 * back to the file's own characters; canonical departments stay simplified,
 * as the directory writes them. */
static void reprint_all(const duban_text_t *t, duban_gwdoc_t *g)
{
    if (!t->reprint)
        return;
    for (size_t i = 0; i < g->ndocs; i++) {
        duban_gwdoc_doc_t *d = &g->docs[i];
        duban_text_reprint(t, d->doc_id);
        duban_text_reprint(t, d->doc_number);
        duban_text_reprint(t, d->title);
        duban_text_reprint(t, d->attached_plan_title);
        reprint_list(t, &d->issuers);
        reprint_list(t, &d->recipients);
    }
    for (size_t i = 0; i < g->ntasks; i++) {
        duban_gwdoc_task_t *k = &g->tasks[i];
        duban_text_reprint(t, k->task_id);
        duban_text_reprint(t, k->outline_path);
        duban_text_reprint(t, k->text);
        reprint_list(t, &k->lead_units);
        reprint_list(t, &k->coop_units);
        duban_text_reprint(t, k->deadline.text);
        duban_text_reprint(t, k->deadline.recurrence.text);
        for (size_t m = 0; m < k->deadline.milestone_count && m < DUBAN_DEADLINE_MAX_MILESTONES; m++)
            duban_text_reprint(t, k->deadline.milestones[m].text);
    }
}

static void doc_free(duban_gwdoc_doc_t *d);
static void drop_echoed_docs(duban_gwdoc_t *g);

/* A title printed with its number in brackets at its end ("2021年县政府重点
 * 工作任务（华政发〔2021〕2号）"): the number into num, the title without it. */
static bool title_number(duban_gwdoc_doc_t *d, char *num, size_t cap)
{
    size_t n = d->title ? strlen(d->title) : 0;
    const char *hao = n >= 12 ? strstr(d->title, "号") : NULL;
    if (hao && hao - d->title <= 60 && n - (size_t)(hao + 3 - d->title) >= 18 &&
        duban_gwdoc_docno(d->title, (size_t)(hao + 3 - d->title), num, cap)) {
        /* "永营办发〔2021〕3号 永城市贯彻…分工方案": a web page's title line
         * that starts with the number; a dash or colon after it ("阳政办〔2019〕1号—
         * 区人民政府办公室关于…") is no part of the title */
        const char *rest = hao + 3;
        for (;;) {
            if (*rest == ' ' || *rest == '-' || *rest == ':')
                rest++;
            else if (!strncmp(rest, "—", 3) || !strncmp(rest, "－", 3) || !strncmp(rest, "：", 3))
                rest += 3;
            else
                break;
        }
        memmove(d->title, rest, strlen(rest) + 1);
        return true;
    }
    if (n < 12 || !duban_ends(d->title, n, "号）"))
        return false;
    const char *open = gw_matching_open(d->title, n - 3); /* （华政发（2021）2号） */
    if (!open || open == d->title)
        return false;
    size_t a = (size_t)(open - d->title) + 3;
    if (!duban_gwdoc_docno(d->title + a, n - 3 - a, num, cap))
        return false;
    d->title[open - d->title] = '\0';
    return true;
}

/* Whether a line ends a sentence or a clause: 。 ; ) 】 」 ” ! ? (the text
 * is normalised: full-width ；（） read as ; ()). */
static bool line_closed(const char *s, size_t len)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    static const char *const closers[] = {"。", ";", "；", ")", "）", "】", "」", "”", "!", "?",
                                          "！", "？", "\""};
    for (size_t k = 0; k < sizeof(closers) / sizeof(closers[0]); k++)
        if (duban_ends(s, len, closers[k]))
            return true;
    return false;
}

/* Whether s[0..len) ends inside a bracket: an opening ( （ 〔 【 with no
 * closing one after it. */
static bool bracket_open(const char *s, size_t len)
{
    static const char *const open[] = {"(", "（", "〔", "【"}, *const close[] = {")", "）", "〕", "】"};
    for (size_t k = 0; k < sizeof(open) / sizeof(open[0]); k++) {
        const char *o = NULL, *at = s;
        while ((at = duban_find(at, len - (size_t)(at - s), open[k], strlen(open[k]))) != NULL)
            o = at++;
        if (o && !duban_find(o, len - (size_t)(o - s), close[k], strlen(close[k])))
            return true;
    }
    return false;
}

/* Whether one of the task's units (lead or cooperating) is printed on the
 * lines of [from, to) (line numbers, 1-based), read as one text so that a
 * name wrapped onto the next line counts: the item names its own units
 * rather than taking them from a heading or a merged cell above. */
static bool span_names_units(const duban_text_t *t, uint32_t from, uint32_t to,
                             const duban_gwdoc_task_t *task)
{
    duban_buf_t b;
    duban_buf_init(&b, DUBAN_BUF_MAX_DEFAULT);
    size_t lo = 0, hi = t->nlines;
    while (lo < hi) { /* the first line at or after `from`: lines are in order */
        size_t mid = lo + (hi - lo) / 2;
        if (t->lines[mid].lineno < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < t->nlines && t->lines[i].lineno < to; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        size_t n = L->len;
        while (n && L->s[n - 1] == ' ')
            n--;
        duban_buf_append(&b, L->s, n);
    }
    bool named = false;
    const duban_strlist_t *lists[] = {&task->lead_units, &task->coop_units};
    for (size_t l = 0; l < 2 && !named && !b.err; l++)
        for (size_t k = 0; k < lists[l]->count && !named; k++)
            named = duban_find((const char *)b.data, b.len, lists[l]->items[k],
                               strlen(lists[l]->items[k])) != NULL;
    duban_buf_free(&b);
    return named;
}

/* Whether most of the document's tasks before its last one print their own
 * units within their items. */
static bool items_name_units(const duban_gwdoc_t *g, const duban_text_t *t, size_t first)
{
    size_t named = 0, others = 0;
    for (size_t i = first; i + 1 < g->ntasks; i++, others++)
        named += span_names_units(t, g->tasks[i].line, g->tasks[i + 1].line, &g->tasks[i]);
    return named >= 2 && 2 * named >= others;
}

/* The text ends inside its last task (an excerpt, a download broken off)
 * before that task shows what its siblings show: no lead where the other
 * tasks of the document have one, or a lead unit that the end of the text
 * cuts ("责任单位:县财"). Alerts for it would go nowhere or to the wrong
 * office, so it is not emitted; g->cut_line tells the caller (0: none). */
static void drop_cut_task(parse_t *P)
{
    duban_gwdoc_t *g = P->g;
    const duban_text_t *t = P->t;
    if (!g->ntasks || !t->nlines)
        return;
    duban_gwdoc_task_t *last = &g->tasks[g->ntasks - 1];
    const duban_gwdoc_doc_t *d = &g->docs[last->doc];
    if (last->doc != g->ndocs - 1 || d->end != t->nlines || d->task_count < 2)
        return;   /* a signature or another document follows; its only task */
    size_t end = t->nlines;
    while (end > 0 && !gw_usable(&t->lines[end - 1]))
        end--;
    if (!end || t->lines[end - 1].lineno < last->line)
        return;
    const duban_line_t *L = &t->lines[end - 1];
    if (line_closed(L->s, L->len) || duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE)
        return;
    for (size_t i = end - 1; i > 0 && t->lines[i].lineno > last->line; i--) {
        marker_t m;
        if (gw_usable(&t->lines[i]) && gw_marker_at(t->lines[i].s, t->lines[i].len, &m))
            return;   /* an item after the task's own: the task ended above it */
    }
    bool cut;
    const duban_gwdoc_task_t *prev = last - 1;   /* d->task_count >= 2 */
    if (last->lead_units.count &&
        (span_names_units(t, prev->line, last->line, prev) || items_name_units(g, t, d->first_task)) &&
        !span_names_units(t, last->line, UINT32_MAX, last)) {
        cut = true;   /* the items before named their units; this one ends before */
    } else if (last->lead_units.count) {
        const char *u = last->lead_units.items[last->lead_units.count - 1];
        size_t len = L->len;
        while (len && L->s[len - 1] == ' ')
            len--;
        /* a name that reads as a body is whole, unless the bracket around
         * its label is still open: "(牵头单位:省市场" (a 市场 is no body) */
        cut = duban_ends(L->s, len, u) && (!gw_reads_as_body(u) || bracket_open(L->s, len));
        if (cut && last->lead_units.count > 1) {
            /* "牵头单位:市自然资源和规划局、…、工业信息化": the others stand */
            free(last->lead_units.items[--last->lead_units.count]);
            if (P->dir) {
                const char *jur = d->jurisdiction[0] ? d->jurisdiction : NULL;
                duban_strlist_clear(&last->lead_depts);
                duban_dept_canonicalize(P->dir, &last->lead_units, jur, &last->lead_depts);
            }
            return;
        }
    } else {
        size_t led = 0, others = 0;
        for (size_t i = d->first_task; i + 1 < g->ntasks; i++, others++)
            led += g->tasks[i].lead_units.count > 0;
        cut = led >= 2 && 2 * led >= others;
    }
    if (!cut)
        return;
    g->cut_line = last->line;
    if (last->review.count)
        g->warnings--;
    task_free(last);
    g->ntasks--;
    g->docs[g->ndocs - 1].task_count--;
}

duban_err_t duban_gwdoc_parse(const duban_text_t *t, const duban_dept_dir_t *dir,
                              duban_gwdoc_t *g, char *errbuf, size_t errbuf_size)
{
    memset(g, 0, sizeof(*g));
    if (!t)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "no text");
    anchor_t *a = NULL;
    size_t na = find_anchors(t, &a);
    size_t *starts_at = duban_xcalloc(na + 1, sizeof(size_t));
    if (na && !starts_at) {
        free(a);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    }
parse_t P = {t, dir, g};
    /* A task is 5 KB: room for one per 16 lines up front spares the
     * doublings their copies (the pages are only touched when used). */
    size_t hint = t->nlines / 16 + 64;
    g->tasks = duban_xmalloc(hint * sizeof(*g->tasks));
    g->captasks = g->tasks ? hint : 0;
    for (size_t k = 0; k < na; k++) {
        starts_at[k] = gw_find_title_start(t, a[k].li, k ? a[k - 1].li + 1 : 0);
        if (a[k].cut && (contains(t->lines[a[k].li].s, a[k].cut, "关于") ||
                         starts_at[k] == a[k].li))
            starts_at[k] = a[k].li; /* the title is on the number's line */
    }
    /* No 发文字号 anywhere: the file is one document. Text before the first
     * numbered document is one too, kept when it holds tasks (an excerpt
     * that starts inside a plan and cites a number further down). */
    size_t lead_end = na ? starts_at[0] : t->nlines;
    char *page_title = NULL; /* the header's title of the first numbered document */
    if (lead_end > 0) {
        duban_gwdoc_doc_t *d = gw_push_doc(g);
        if (d) {
            d->start = 0;
            d->end = lead_end;
            size_t body = gw_read_unnumbered(&P, d, d->end);
            char num[128];
            if (gw_meta_docno(t, d->start, d->end, num, sizeof(num)))
                d->doc_number = duban_xstrdup(num); /* a web page's metadata */
            else if (title_number(d, num, sizeof(num)))
                d->doc_number = duban_xstrdup(num); /* 2021年县政府重点工作任务（华政发〔2021〕2号） */
            size_t first = gw_next_usable(t, d->start, d->end);
            if (first < t->nlines) {
                d->line = t->lines[first].lineno;
                d->offset = t->lines[first].offset;
            }
            for (size_t i = d->start; i < body && d->title && d->title[0]; i++)
                if (gw_usable(&t->lines[i]) && gw_title_end_line(&t->lines[i])) {
                    d->line = t->lines[gw_find_title_start(t, i + 1, d->start)].lineno;
                    d->offset = t->lines[gw_find_title_start(t, i + 1, d->start)].offset;
                    break;
                }
            gw_body_hash(&P, d);
            gw_make_doc_id(&P, d);
            walk_doc(&P, g->ndocs - 1, body);
            /* No task found: kept when the page prints a document's title
             * or 文号 and holds no other document (a notice whose tasks the
             * rules cannot read, or that sit in an attachment the page does
             * not show: its task_count of 0 tells the reader); otherwise
             * text, not a document to follow up. */
            bool named = d->doc_number || (d->title && d->title[0]);
            char *reported = NULL;
            size_t rl = named || na > 0 || d->task_count > 0
                            ? SIZE_MAX
                            : gw_reported_title(t, d->start, d->end, &reported);
            if (rl != SIZE_MAX) { /* a news report on a document it names in 《》 */
                free(d->title);
                d->title = reported;
                d->line = t->lines[rl].lineno;
                d->offset = t->lines[rl].offset;
                free(d->doc_id); /* the id is made from the title */
                d->doc_id = NULL;
                gw_make_doc_id(&P, d);
                named = true;
            }
            if (d->task_count == 0 && na > 0 && d->doc_number && d->title && d->title[0] &&
                strcmp(d->doc_number, a[0].num) == 0) {
                page_title = d->title; /* the page's header names the first document */
                d->title = NULL;
            }
            if (d->task_count == 0 && (!named || na > 0))
                doc_free(&g->docs[--g->ndocs]);
        }
    }
    for (size_t k = 0; k < na; k++) {
        duban_gwdoc_doc_t *d = gw_push_doc(g);
        if (!d)
            break;
        d->start = starts_at[k];
        d->end = k + 1 < na ? starts_at[k + 1] : t->nlines;
        d->doc_number = duban_xstrdup(a[k].num);
        d->line = t->lines[d->start].lineno;
        d->offset = t->lines[d->start].offset;
        gw_read_header(&P, d, a[k].li, d->end);
        if (a[k].cut) { /* lines above (if any), then the line's title part */
            char *above = gw_join_lines(t, d->start, a[k].li), part[1024];
            squeeze(t->lines[a[k].li].s, a[k].cut, part, sizeof(part));
            size_t n = (above ? strlen(above) : 0) + strlen(part) + 1;
            char *title = duban_xmalloc(n);
            if (title)
                snprintf(title, n, "%s%s", above ? above : "", part);
            free(above);
            free(d->title);
            d->title = title;
        }
        size_t body = a[k].li + 1;
        size_t from = body;
        if (d->issue_date != DUBAN_DATE_NONE)
            for (size_t i = body; i < d->end; i++)
                if (duban_cn_date_line(t->lines[i].s, t->lines[i].len) != DUBAN_DATE_NONE) {
                    from = i;
                    break;
                }
        d->end = trailer_after(t, from, d->end);
        if (k == 0 && page_title && (!d->title || !d->title[0])) {
            free(d->title); /* a copy whose header lost its title's lines */
            d->title = page_title;
            page_title = NULL;
        }
        if (d->issue_date == DUBAN_DATE_NONE && k == 0) /* a web page's copy */
            d->issue_date = gw_meta_date(t, a[k].li + 6 < d->end ? a[k].li + 6 : d->end);
        gw_make_doc_id(&P, d);
        gw_body_hash(&P, d);
        walk_doc(&P, g->ndocs - 1, body);
    }
    free(page_title);
    free(starts_at);
    free(a);
    drop_cut_task(&P);
    drop_echoed_docs(g);
    reprint_all(t, g);
    return DUBAN_OK;
}

/* A page that prints the same number twice in a row (its metadata block
 * repeated, a header echoed above the body: dev bm01) yields two documents
 * of one; the one without tasks is the echo and goes, the tasks after it
 * moving down one document. */
static void drop_echoed_docs(duban_gwdoc_t *g)
{
    for (size_t k = 0; k + 1 < g->ndocs;) {
        duban_gwdoc_doc_t *a = &g->docs[k], *b = &g->docs[k + 1];
        if (!a->doc_number || !b->doc_number || strcmp(a->doc_number, b->doc_number) != 0 ||
            (a->task_count > 0 && b->task_count > 0)) {
            k++;
            continue;
        }
        duban_gwdoc_doc_t *echo = a->task_count == 0 ? a : b, *kept = echo == a ? b : a;
        if ((!kept->title || !kept->title[0]) && echo->title && echo->title[0]) {
            char *title = kept->title; /* the echo printed the title the other lacks */
            kept->title = echo->title;
            echo->title = title;
        }
        size_t gone = (size_t)(echo - g->docs);
        doc_free(&g->docs[gone]);
        memmove(&g->docs[gone], &g->docs[gone + 1], (g->ndocs - gone - 1) * sizeof(g->docs[0]));
        g->ndocs--;
        for (size_t i = 0; i < g->ntasks; i++)
            if (g->tasks[i].doc > gone)
                g->tasks[i].doc--;
    }
}

static void doc_free(duban_gwdoc_doc_t *d)
{
    free(d->doc_id);
    free(d->doc_number);
    free(d->title);
    free(d->attached_plan_title);
    duban_strlist_free(&d->issuers);
    duban_strlist_free(&d->recipients);
}

void duban_gwdoc_free(duban_gwdoc_t *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->ndocs; i++)
        doc_free(&g->docs[i]);
    for (size_t i = 0; i < g->ntasks; i++) {
        task_free(&g->tasks[i]);
    }
    free(g->docs);
    free(g->tasks);
    memset(g, 0, sizeof(*g));
}
