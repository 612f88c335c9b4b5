/* common/ingest/gwdoc_table.c: tables: TAB and pipe rows with a header,
 * flattened tables (a deadline column before the unit columns), tables
 * printed one cell per line or a row per line with space-separated cells,
 * and records printed as key and value cells down the page. */
#include "gwdoc_int.h"

static void split_cells(const char *s, size_t len, cells_t *c)
{
    c->count = 0;
    size_t st = 0;
    for (size_t i = 0; i <= len && c->count < MAX_COLS; i++) {
        if (i == len || s[i] == '\t') {
            size_t a = st, b = i;
            while (a < b && s[a] == ' ') a++;
            while (b > a && s[b - 1] == ' ') b--;
            c->s[c->count] = s + a;
            c->n[c->count] = b - a;
            c->count++;
            st = i + 1;
        }
    }
}

static void cell_key(const char *s, size_t n, cell_key_t *k)
{
    k->m = squeeze(s, n, k->b, sizeof(k->b));
    const char *br = k->m > 3 ? duban_find(k->b + 3, k->m - 3, "（", 3) : NULL;
    if (br && duban_ends(k->b, k->m, "）")) {
        k->m2 = (size_t)(br - k->b);
    } else { /* "牵头部门 (责任单位)": the ASCII brackets of another page */
        br = k->m > 3 ? memchr(k->b + 3, '(', k->m - 3) : NULL;
        k->m2 = br && k->b[k->m - 1] == ')' ? (size_t)(br - k->b) : k->m;
    }
    /* "牵头单位及主要负责人": the unit's column, its head's name printed too */
    const char *ji = k->m2 == k->m && k->m > 12 ? duban_find(k->b + 6, k->m - 6, "及", 3) : NULL;
    if (ji && (duban_ends(k->b, k->m, "负责人") || duban_ends(k->b, k->m, "责任人")))
        k->m2 = (size_t)(ji - k->b);
}

static bool cell_is(const cell_key_t *k, const char *const *words)
{
    for (; *words; words++) {
        if (k->m2 >= 2 && (k->b[0] != (*words)[0] || k->b[1] != (*words)[1]))
            continue; /* both lengths >= 2: two bytes first, where most words differ */
        size_t wl = strlen(*words);
        if ((wl == k->m && memcmp(k->b, *words, k->m) == 0) ||
            (wl == k->m2 && memcmp(k->b, *words, k->m2) == 0))
            return true;
    }
    return false;
}

static col_kind_t header_cell_kind(const char *s, size_t n, bool *is_header)
{
    static const char *const seq[] = {"序号", "编号", NULL};
    /* labels no role word and unit noun compose (gw_role_label_is reads those) */
    static const char *const resp[] = {"责任主体", "相关部门", "责任清单", NULL};
    /* a 责任清单's duties beside each unit (与相关部门的职责边界) */
    static const char *const duty[] = {"职责分工", "主要职责", "工作职责", "职责", NULL};
    static const char *const dl[] = {"完成时限", "时限", "完成时间", "时间节点", "完成期限",
                                     "办结时限", "时间安排", "进度安排", "时限要求", "整改时限",
                                     "决策时间", "时间", "时限清单", NULL};
    cell_key_t k;
    cell_key(s, n, &k);
    *is_header = true;
    if (cell_is(&k, seq)) return COL_SEQ;
    role_t role;
    if (gw_role_label_is(k.b, k.m, &role) || gw_role_label_is(k.b, k.m2, &role))
        return role == ROLE_LEAD ? COL_LEAD : role == ROLE_COOP ? COL_COOP : COL_RESP;
    if (cell_is(&k, resp)) return COL_RESP;
    if (cell_is(&k, dl)) return COL_DEADLINE;
    if (cell_is(&k, duty)) return COL_TASK;
    /* 考核单位, 评分部门, and the assessment's own columns (考核方式, 评分标准,
     * 考核办法): how the work is scored, never who owns it */
    if (k.m <= 24 && (contains(k.b, k.m, "评分") || contains(k.b, k.m, "考核") ||
                      contains(k.b, k.m, "评价") || contains(k.b, k.m, "考评")) &&
        !contains(k.b, k.m, "任务") && !contains(k.b, k.m, "内容") && !contains(k.b, k.m, "指标") &&
        !contains(k.b, k.m, "目标"))
        return COL_ASSESS;
    if (k.m <= 24 && (duban_ends(k.b, k.m, "领导") || duban_ends(k.b, k.m, "责任人") ||
                      duban_ends(k.b, k.m, "联系人")))
        return COL_PERSON;
    if (k.m <= 24 && (duban_ends(k.b, k.m, "分类") || duban_ends(k.b, k.m, "类别")))
        return COL_OTHER;   /* 事项分类: the group a row belongs to */
    if (k.m <= 36 && (contains(k.b, k.m, "任务") || contains(k.b, k.m, "内容") ||
                      contains(k.b, k.m, "目标") || contains(k.b, k.m, "措施") ||
                      contains(k.b, k.m, "举措") ||
                      contains(k.b, k.m, "事项") || contains(k.b, k.m, "指标名称") ||
                      contains(k.b, k.m, "项目名称") || contains(k.b, k.m, "要求") ||
                      duban_ends(k.b, k.m, "工作") ||
                      /* 名称, 专项整治行业名称: what the row is about, not a unit's name */
                      (duban_ends(k.b, k.m, "名称") && !duban_ends(k.b, k.m, "单位名称") &&
                       !duban_ends(k.b, k.m, "部门名称") && !duban_ends(k.b, k.m, "机构名称"))))
        return COL_TASK;
    if (k.m <= 24 && (contains(k.b, k.m, "情况") || contains(k.b, k.m, "进展") ||
                      contains(k.b, k.m, "进度")))
        return COL_STATUS;
    if (k.m <= 24 && (contains(k.b, k.m, "类别") ||
                      contains(k.b, k.m, "项目") || contains(k.b, k.m, "考核") ||
                      contains(k.b, k.m, "评分") || contains(k.b, k.m, "备注") ||
                      contains(k.b, k.m, "分值") || contains(k.b, k.m, "标准") ||
                      contains(k.b, k.m, "指标") || contains(k.b, k.m, "领域") ||
                      duban_ends(k.b, k.m, "单位") || contains(k.b, k.m, "数量")))
        return COL_OTHER; /* 业主单位, 项目数量: not the responsible ones */
    *is_header = false;
    return COL_OTHER;
}

/* A column header naming the item: 事项名称, 民生事项名称, 任务名称. Such a
 * column is the task's text over a 任务目标 or 项目内容 beside it. */
static bool item_name_header(const char *s, size_t n)
{
    return n <= 3 * 8 && duban_ends(s, n, "名称") &&
           (contains(s, n, "事项") || contains(s, n, "任务"));
}

static bool try_header(walk_t *w, const cells_t *c, bool pipe_row)
{
    static const char *const unit_only[] = {"单位", NULL};
    int cl = -1, cr = -1, cc = -1, cd = -1, cs = -1, ct = -1;
    uint16_t no_text = 0;
    cell_key_t key;
    for (int i = 0; i < c->count; i++)
        if (c->n[i] > 60)
            return false; /* a data row: header cells are short */
    for (int i = 0; i < c->count; i++) {
        bool hdr;
        cell_key(c->s[i], c->n[i], &key);
        if (cell_is(&key, unit_only)) { /* a lead column, unless no task column */
            cl = i;
            continue;
        }
        switch (header_cell_kind(c->s[i], c->n[i], &hdr)) {
        case COL_LEAD: cl = i; break;
        case COL_RESP: cr = i; break;
        case COL_COOP: cc = i; break;
        case COL_DEADLINE: cd = i; break;
        case COL_SEQ: cs = i; break;
        case COL_PERSON: case COL_ASSESS: no_text |= (uint16_t)(1u << i); break;
        default:
            /* the task: the last of 任务/内容/措施/事项/要求 (工作任务 | 具体要求 ->
             * the requirements); a 目标 or 指标 column of an indicator table is
             * not one, so its 单位 stays a unit of measure */
            if (contains(c->s[i], c->n[i], "任务") || contains(c->s[i], c->n[i], "内容") ||
                contains(c->s[i], c->n[i], "措施") || contains(c->s[i], c->n[i], "事项") ||
                contains(c->s[i], c->n[i], "要求"))
                ct = i;
            break;
        }
    }
    for (int i = 0; i < c->count; i++)
        if (item_name_header(c->s[i], c->n[i]))
            ct = i;   /* 民生事项名称 | 2022年度任务目标: the item is its name */
    if (cl >= 0 && ct < 0) {
        cell_key(c->s[cl], c->n[cl], &key);
        if (cell_is(&key, unit_only))
            cl = -1; /* 单位 of an indicator table is a unit of measure */
    }
    if (cl < 0 && cr < 0)
        return false;
    if (cl < 0) { cl = cr; cr = -1; }
    if (cc < 0) cc = cr;
    w->ncols = c->count;
    w->col_lead = cl;
    w->col_coop = cc;
    w->col_dl = cd;
    w->col_seq = cs;
    w->col_task = ct;
    w->col_no_text = no_text;
    w->row_no = 0;
    w->table_no++;
    w->last_dl[0] = '\0';
    w->last_row[0] = '\0';
    w->row_lead[0] = w->row_coop[0] = '\0';
    w->seq_less_row_inherits = pipe_row;
    return true;
}

/* A unit that has branches (县公安局 over its 交警大队, a 分公司's company):
 * what follows it may be one of them. A 站 or 所 has none: "安监站 安监所",
 * "公路站 交警六中队" are two units. */
static bool has_branches(const char *s, size_t n)
{
    static const char *const p[] = {"局", "公司", "中心", "厅", "总队", "支队", "大队", NULL};
    return ends_any(s, n, p);
}

/* The name after a space is a branch of the one before it (市生态环境局
 * 大武口分局, when that one has branches), or too short to be a unit of its
 * own (…大武口区 分局): the two are one name. */
static bool branch_follows(const char *prev, size_t prevn, const char *s, size_t n)
{
    static const char *const b[] = {"分局", "分公司", "分中心", "支队", "大队", "中队", "所", NULL};
    size_t e = 0;
    while (e < n && s[e] != ' ' && !duban_starts(s + e, n - e, "、") && !duban_starts(s + e, n - e, "，"))
        e++;
    return e < 9 || (has_branches(prev, prevn) && ends_any(s, e, b));
}

/* What follows a unit is a person's name and nothing else: 2-3 Han
 * characters that do not end like a unit. */
static bool person_after(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n < 6 || n > 9 || n % 3 || memchr(s, ' ', n) || gw_unit_like_end(s, n))
        return false;
    for (size_t i = 0; i < n; i += 3)
        if ((unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
            return false;
    return true;
}

/* A table cell listing units with spaces between them ("县教体局 各相关乡镇
 * 政府"): a space after a complete unit name is a separator, one inside a
 * name (letter-spacing, "区 政 府") is not. Writes the list into buf. */
static size_t space_separated(const char *s, size_t n, char *buf, size_t cap)
{
    size_t w = 0, seg = 0;
    for (size_t i = 0; i < n && w + 4 < cap; i++) {
        if (s[i] == ' ' && i > seg && gw_unit_like_end(s + seg, i - seg) && person_after(s + i + 1, n - i - 1))
            break; /* "市民政局 伍泽国": the unit, then its head's name */
        if (s[i] == ' ' && i > seg && gw_unit_like_end(s + seg, i - seg) && i + 6 < n &&
            (unsigned char)s[i + 1] >= 0xE0 &&
            !branch_follows(s + seg, i - seg, s + i + 1, n - i - 1)) {
            memcpy(buf + w, "、", 3);
            w += 3;
            seg = i + 1;
            continue;
        }
        if (duban_starts(s + i, n - i, "、") || duban_starts(s + i, n - i, "，"))
            seg = i + 3;
        buf[w++] = s[i];
    }
    buf[w] = '\0';
    return w;
}

static void cell_units(const char *s, size_t n, duban_strlist_t *lead, duban_strlist_t *coop)
{
    char sep[1024];
    if (n == 0)
        return;
    if (memchr(s, ' ', n) && n < sizeof(sep) - 64) {
        n = space_separated(s, n, sep, sizeof(sep));
        s = sep;
    }
    clause_t c;
    memset(&c, 0, sizeof(c));
    if (gw_parse_inline(s, n, &c)) {
        for (size_t i = 0; i < c.lead.count; i++) duban_strlist_push_unique(lead, c.lead.items[i]);
        for (size_t i = 0; i < c.coop.count; i++) duban_strlist_push_unique(coop, c.coop.items[i]);
    } else {
        gw_add_units(s, n, lead);
    }
    gw_clause_free(&c);
    duban_strlist_t marked = DUBAN_STRLIST_INIT; /* "县发改局（牵头）、县财政局" */
    gw_role_marks(lead, &marked, coop);
    gw_marked_first(lead, &marked);
}

/* A row whose cells slid one column (the content cell empty, the long text
 * in its neighbour, 002 L427): shift every cell back. */
static bool cell_digits(const char *s, size_t n);
static bool cell_is_units(const walk_t *w, const char *s, size_t n);

static void realign_row(const walk_t *w, cells_t *c)
{
    int tc = w->col_task, delta;
    if (w->col_seq > 0 && c->count > 0 && c->count + w->col_seq <= w->ncols &&
        cell_digits(c->s[0], c->n[0])) {
        delta = -w->col_seq; /* "2 | …": the group cells before 序号 merged into the row above */
    } else {
        if (tc < 0 || (tc < c->count && c->n[tc] >= 18))
            return;
        int longest = 0;
        for (int i = 1; i < c->count; i++)
            if (c->n[i] > c->n[longest])
                longest = i;
        delta = longest - tc;
        if ((delta != 1 && delta != -1) || c->n[longest] < 30)
            return;
    }
    cells_t o = *c;
    for (int j = 0; j < MAX_COLS; j++) {
        int k = j + delta;
        c->s[j] = k >= 0 && k < o.count ? o.s[k] : "";
        c->n[j] = k >= 0 && k < o.count ? o.n[k] : 0;
    }
    c->count = o.count - delta > MAX_COLS ? MAX_COLS : o.count - delta;
}

/* An empty cell at column `at` (a cell merged with the row above's), the
 * cells from there one column on; the caller checks count < MAX_COLS. */
static void insert_empty_cell(cells_t *c, int at)
{
    for (int j = c->count; j > at; j--)
        c->s[j] = c->s[j - 1], c->n[j] = c->n[j - 1];
    c->s[at] = "", c->n[at] = 0;
    c->count++;
}

void gw_handle_row(walk_t *w, size_t li)
{
    const duban_line_t *L = &w->P->t->lines[li];
    /* a web page's table printed with pipes prints merged cells empty */
    bool pipe_row = (L->flags & DUBAN_LINE_PIPES) != 0;
    cells_t c;
    char hdr[512];
    split_cells(L->s, L->len, &c);
    squeeze(L->s, L->len, hdr, sizeof(hdr));
    if (w->ncols && strcmp(hdr, w->header) == 0)
        return; /* header repeated after a page break */
    if (try_header(w, &c, pipe_row)) {
        gw_finalize_item(w);
        snprintf(w->header, sizeof(w->header), "%s", hdr);
        return;
    }
    if (!w->ncols || strcmp(hdr, w->last_row) == 0 || strspn(hdr, "-:|") == strlen(hdr))
        return;
    if (c.count && c.n[0] <= 3 * 6 && gw_meta_text(c.s[0], c.n[0])) {
        w->ncols = 0;   /* "索引号: | … | 成文日期: | …": the page's record after the table */
        return;
    }
    bool shifted = c.count < w->ncols - 1 || c.count > w->ncols + 1;
    snprintf(w->last_row, sizeof(w->last_row), "%s", hdr);
    w->row_no++;
    realign_row(w, &c);
    int filled = c.count;
    while (filled > 0 && c.n[filled - 1] == 0)
        filled--;
    if (filled == w->ncols - 1 && w->col_lead > 0 && w->col_lead < filled && c.count < MAX_COLS &&
        !cell_is_units(w, c.s[w->col_lead], c.n[w->col_lead]) &&
        cell_is_units(w, c.s[w->col_lead - 1], c.n[w->col_lead - 1])) {
        /* "15.推进… | 完成… | 教育体育局 | 刘福利 |" under a 类别 cell merged
         * from the row above: the units one column early, all cells are */
        insert_empty_cell(&c, 0);
    }
    if (pipe_row && filled < w->ncols && w->col_lead > 0 &&
        !(w->col_seq >= 0 && c.count > 0 && cell_digits(c.s[0], c.n[0])) && /* a row of its own */
        !(w->col_lead < filled && cell_is_units(w, c.s[w->col_lead], c.n[w->col_lead]))) {
        /* "(2)… | 1.明确… | 应消站 | 4月 |" under two merged cells (a page's
         * table prints a cell merged down the rows once, and the rows below it
         * without it): the unit cell goes to the unit column */
        int k = filled - 1;
        while (k >= 0 && !cell_is_units(w, c.s[k], c.n[k]))
            k--;
        int shift = k >= 0 ? w->col_lead - k : 0;
        for (int j = 0; shift > 0 && j < shift && c.count < MAX_COLS && filled + shift <= w->ncols;
             j++)
            insert_empty_cell(&c, 0);
    }
    if (pipe_row && c.count >= 2 && c.count < w->ncols && w->col_task > 0 && w->col_seq < 0 &&
        w->col_lead == w->ncols - 1 && c.n[0] >= 12 && c.n[c.count - 1] > 0) {
        /* "2.建立… | 区发展改革局、… |" under a merged 工作任务 cell: the cells
         * are the row's last ones */
        int k = w->ncols - c.count;
        for (int j = c.count - 1; j >= 0; j--)
            c.s[j + k] = c.s[j], c.n[j + k] = c.n[j];
        for (int j = 0; j < k; j++)
            c.s[j] = "", c.n[j] = 0;
        c.count = w->ncols;
    }
    if (w->col_seq == 0 && c.count >= 2 && c.count < MAX_COLS && c.n[0] >= 12 &&
        !is_digit(c.s[0][0]) && w->col_task > 0 && (c.count < w->ncols || c.n[c.count - 1] == 0)) {
        /* a sub-row under a merged 序号 cell: its cells start one column on */
        insert_empty_cell(&c, 0);
    }
    if (pipe_row && w->row_lead[0] && w->col_lead < c.count && c.n[w->col_lead] &&
        c.count < MAX_COLS && c.count <= w->ncols && !cell_is_units(w, c.s[w->col_lead], c.n[w->col_lead]) &&
        (c.n[w->col_lead] >= 30 || contains(c.s[w->col_lead], c.n[w->col_lead], "。"))) {
        /* "… | 已完成。完成筛查人数3495人 | |": the unit cell merged with the
         * row above's, the progress slid into its place */
        insert_empty_cell(&c, w->col_lead);
    }
    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
    bool unit_cells = (w->col_lead < c.count && c.n[w->col_lead]) ||
                      (w->col_coop >= 0 && w->col_coop < c.count && c.n[w->col_coop]);
    if (!unit_cells && w->seq_less_row_inherits && w->row_lead[0]) {
        /* merged unit cells: the row above's (a pipe table's sub-row) */
        cell_units(w->row_lead, strlen(w->row_lead), &lead, &coop);
        gw_add_units(w->row_coop, strlen(w->row_coop), &coop);
    }
    if (w->col_lead < c.count)
        cell_units(c.s[w->col_lead], c.n[w->col_lead], &lead, &coop);
    if (w->col_coop >= 0 && w->col_coop < c.count && w->col_coop != w->col_lead)
        gw_add_units(c.s[w->col_coop], c.n[w->col_coop], &coop);
    if (unit_cells) {
        snprintf(w->row_lead, sizeof(w->row_lead), "%.*s",
                 w->col_lead < c.count ? (int)c.n[w->col_lead] : 0,
                 w->col_lead < c.count ? c.s[w->col_lead] : "");
        snprintf(w->row_coop, sizeof(w->row_coop), "%.*s",
                 w->col_coop >= 0 && w->col_coop < c.count && w->col_coop != w->col_lead
                     ? (int)c.n[w->col_coop] : 0,
                 w->col_coop >= 0 && w->col_coop < c.count ? c.s[w->col_coop] : "");
    }
    if (lead.count && gw_is_national(lead.items[0]))
        duban_strlist_clear(&lead), duban_strlist_clear(&coop);
    const char *dl = NULL;
    size_t dln = 0;
    if (w->col_dl >= 0 && w->col_dl < c.count && c.n[w->col_dl] > 0) {
        snprintf(w->last_dl, sizeof(w->last_dl), "%.*s", (int)c.n[w->col_dl], c.s[w->col_dl]);
    }
    if (w->col_dl >= 0) {
        dl = w->last_dl;
        dln = strlen(w->last_dl);
    }
    int tc = w->col_task;
    if (tc < 0 || tc >= c.count || c.n[tc] == 0) {
        tc = 0;
        for (int i = 1; i < c.count; i++)
            if (c.n[i] > c.n[tc] && i != w->col_lead && i != w->col_coop &&
                !(i < 16 && (w->col_no_text >> i) & 1))
                tc = i;
    }
    char dlbuf[2048];
    if (!dl) { /* no deadline column: a date may be in any text cell (进展情况: 11月底前完成) */
        dl = c.s[tc];
        dln = c.n[tc];
        size_t n = (size_t)snprintf(dlbuf, sizeof(dlbuf), "%.*s", (int)c.n[tc], c.s[tc]);
        for (int i = 0; i < c.count && n < sizeof(dlbuf); i++)
            if (i != tc && i != w->col_lead && i != w->col_coop && i != w->col_seq && c.n[i] &&
                !(i < 16 && (w->col_no_text >> i) & 1))
                n += (size_t)snprintf(dlbuf + n, sizeof(dlbuf) - n, "；%.*s", (int)c.n[i], c.s[i]);
        if (n > c.n[tc] && n < sizeof(dlbuf)) {
            dl = dlbuf;
            dln = n;
        }
    }
    char base[320], path[400];
    gw_path_prefix(w, base, sizeof(base));
    const char *seq = w->col_seq >= 0 && w->col_seq < c.count ? c.s[w->col_seq] : "";
    size_t seqn = w->col_seq >= 0 && w->col_seq < c.count ? c.n[w->col_seq] : 0;
    bool digits = seqn > 0 && seqn < 5;
    for (size_t i = 0; i < seqn; i++)
        digits = digits && is_digit(seq[i]);
    if (digits)
        snprintf(path, sizeof(path), "%s%s表%d.%.*s", base, base[0] ? "." : "", w->table_no,
                 (int)seqn, seq);
    else
        snprintf(path, sizeof(path), "%s%s表%d.R%d", base, base[0] ? "." : "", w->table_no,
                 w->row_no);
    task_in_t in = {c.s[tc], c.n[tc], dl, dln, &lead, &coop, li, shifted, w->col_dl >= 0, 0};
    gw_emit_task(w, path, &in);
    duban_strlist_free(&lead);
    duban_strlist_free(&coop);
}

/* ------------------------------------------------------------------ */

/* dst = the bytes [a, b) of src, with the lines they come from. */
static void para_slice(const duban_para_t *src, size_t a, size_t b, duban_para_t *dst)
{
    duban_para_reset(dst);
    while (a < b && src->buf[a] == ' ')
        a++;
    while (b > a && src->buf[b - 1] == ' ')
        b--;
    if (a >= b)
        return;
    size_t first = 0, last;
    while (first + 1 < src->nseg && src->pos[first + 1] <= a)
        first++;
    for (last = first + 1; last < src->nseg && src->pos[last] < b; last++)
        ;
    if (!duban_para_reserve(dst, b - a, last - first))
        return;
    for (size_t k = first; k < last; k++) {
        dst->pos[dst->nseg] = k == first ? 0 : src->pos[k] - a;
        dst->line_idx[dst->nseg++] = src->line_idx[k];
    }
    memcpy(dst->buf, src->buf + a, b - a);
    dst->len = b - a;
    dst->buf[dst->len] = '\0';
}

#define MAX_PARA_CUTS 64

/* A paragraph joined from wrapped lines that runs several items together
 * ("…按职责分工负责） 2.落实好…（…） 3.激活…", a one-line page hard-wrapped
 * by a PDF): each item is handled as a paragraph of its own. Lines the
 * loader read whole were split by it already. */
void gw_flush_para(walk_t *w)
{
    duban_para_t *p = &w->para;
    size_t cut[MAX_PARA_CUTS], nc = 0;
    if (p->nseg > 1 && p->len >= 120)
        nc = duban_text_inline_cuts(p->buf, p->len, cut, MAX_PARA_CUTS);
    if (nc == 0) {
        gw_handle_para(w);
        duban_para_reset(&w->para);
        return;
    }
    duban_para_t whole = *p, piece;
    duban_para_init(&piece);
    for (size_t k = 0; k <= nc; k++) {
        para_slice(&whole, k ? cut[k - 1] : 0, k < nc ? cut[k] : whole.len, &piece);
        if (piece.len == 0 || piece.nseg == 0)
            continue;
        w->para = piece;
        gw_handle_para(w);
        piece = w->para;
    }
    duban_para_free(&piece);
    w->para = whole;
    duban_para_reset(&w->para);
}

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref_t *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

static void rename_task(duban_gwdoc_task_t *t, int k)
{
    size_t n = strlen(t->task_id) + 16;
    char *id = duban_xmalloc(n), *path = duban_xmalloc(n);
    if (!id || !path) {
        free(id);
        free(path);
        return;
    }
    snprintf(id, n, "%s~%d", t->task_id, k);
    snprintf(path, n, "%s~%d", t->outline_path, k);
    free(t->task_id);
    free(t->outline_path);
    t->task_id = id;
    t->outline_path = path;
}

/* Ids that still collide (an outline printed twice, a table numbered
 * again) get ~2, ~3 in order of appearance. Sort, not pairwise compare. */
void gw_dedupe_ids(duban_gwdoc_t *g, size_t first)
{
    size_t n = g->ntasks - first;
    if (n < 2)
        return;
    id_ref_t *r = duban_xmalloc(n * sizeof(*r));
    if (!r)
        return;
    for (size_t i = 0; i < n; i++) {
        r[i].id = g->tasks[first + i].task_id;
        r[i].index = first + i;
    }
    qsort(r, n, sizeof(*r), cmp_id_ref);
    size_t head = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(r[i].id, r[head].id) != 0) {
            head = i;
            continue;
        }
        rename_task(&g->tasks[r[i].index], (int)(i - head) + 1);
    }
    free(r);
}

/* ------------------------------------------------------------------ */
/* Flattened tables                                                     */

static bool header_token(const char *s, size_t n)
{
#define W(x) {x, sizeof(x) - 1}
    static const struct { const char *w; size_t n; } words[] = {
        W("主要任务"), W("完成"), W("时限"), W("完成时限"), W("牵头部门"), W("牵头单位"),
        W("（单位）"), W("配合部门"), W("配合单位"), W("责任单位"), W("责任部门"),
        W("重点内容"), W("序号")};
#undef W
    if (n == 0)
        return true;
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (words[k].n == n && memcmp(s, words[k].w, n) == 0)
            return true;
    return duban_ends(s, n, "措施") || duban_ends(s, n, "任务") || duban_ends(s, n, "内容");
}

/* A line made only of table header words. */
static bool header_line(const duban_line_t *L)
{
    if (L->len > 120 || L->len < 6 || (L->flags & DUBAN_LINE_TAB))
        return false;
    size_t first = L->len;
    const char *sp = memchr(L->s, ' ', L->len);
    if (sp)
        first = (size_t)(sp - L->s);
    if (!header_token(L->s, first))
        return false;
    size_t st = 0;
    for (size_t i = 0; i <= L->len; i++)
        if (i == L->len || L->s[i] == ' ') {
            if (!header_token(L->s + st, i - st))
                return false;
            st = i + 1;
        }
    return true;
}

/* A deadline cell at line start: 持续推进 / 长期坚持 / 2021年底 … */
static bool deadline_start(const duban_line_t *L)
{
    static const char *const w[] = {"持续推进", "长期坚持", "持续开展", "立行立改", "长期", NULL};
    if (L->len > 90 || contains(L->s, L->len, "。"))
        return false;
    for (size_t k = 0; w[k]; k++)
        if (duban_starts(L->s, L->len, w[k]))
            return true;
    return L->len >= 7 && is_digit(L->s[0]) && is_digit(L->s[1]) && is_digit(L->s[2]) &&
           is_digit(L->s[3]) && duban_starts(L->s + 4, L->len - 4, "年") && L->len <= 40;
}

/* Unit names of a tail: fragments joined, a cut where a name ends (局 公司
 * 委 办 …) and the next begins with a jurisdiction (区 市 县). */
static void tail_units(const char *s, duban_strlist_t *lead, duban_strlist_t *coop)
{
    char buf[512];
    size_t n = 0, cut = SIZE_MAX;
    const char *sp = strchr(s, ' ');
    if (sp) { /* cells separated by spaces on one line */
        gw_add_units(s, (size_t)(sp - s), lead);
        gw_add_units(sp + 1, strlen(sp + 1), coop);
        return;
    }
    n = squeeze(s, strlen(s), buf, sizeof(buf));
    static const char *const ends_u[] = {"局", "公司", "委", "办", "院", "中心", NULL};
    for (size_t i = 3; i + 3 <= n && cut == SIZE_MAX; i += 3) {
        if ((unsigned char)buf[i] < 0xE0)
            break;
        if (ends_any(buf, i, ends_u) && (duban_starts(buf + i, n - i, "区") ||
                                         duban_starts(buf + i, n - i, "市") ||
                                         duban_starts(buf + i, n - i, "各") ||
                                         duban_starts(buf + i, n - i, "县")))
            cut = i;
    }
    if (cut == SIZE_MAX) {
        gw_add_units(buf, n, lead);
        return;
    }
    gw_add_units(buf, cut, lead);
    gw_add_units(buf + cut, n - cut, coop);
}

void gw_flat_emit(walk_t *w)
{
    w->in_tail = false;
    if (w->row.len == 0)
        return;
    char path[320], full[352];
    gw_path_prefix(w, path, sizeof(path));
    w->row_k = strcmp(path, w->row_path) == 0 ? w->row_k + 1 : 1;
    snprintf(w->row_path, sizeof(w->row_path), "%s", path);
    if (w->row_k > 1)
        snprintf(full, sizeof(full), "%s/%d", path, w->row_k);
    else
        snprintf(full, sizeof(full), "%s", path);
    /* deadline: the tail up to its first unit fragment */
    char dl[128];
    size_t dn = 0;
    const char *t = w->tail;
    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
    const char *units = t;
    /* the deadline cell: its first line, plus wrapped pieces that finish
     * it ("2021年底" + "前", "2022年6" + "月底前") */
    const char *nl = strchr(t, '\n');
    dn = nl ? (size_t)(nl - t) : strlen(t);
    if (contains(t, dn, " "))
        dn = (size_t)(strchr(t, ' ') - t);
    while (nl) {
        const char *nx = strchr(nl + 1, '\n');
        size_t ln = nx ? (size_t)(nx - nl - 1) : strlen(nl + 1);
        bool cont = ln <= 9 && (duban_starts(nl + 1, ln, "前") || duban_starts(nl + 1, ln, "月") ||
                                duban_starts(nl + 1, ln, "底") || is_digit(t[dn - 1]));
        if (!cont)
            break;
        dn = (size_t)(nl + 1 - t) + ln;
        nl = nx;
    }
    snprintf(dl, sizeof(dl), "%.*s", (int)dn, t);
    units = t + dn;
    while (*units == ' ' || *units == '\n')
        units++;
    char ub[512];
    size_t un = 0;
    for (const char *q = units; *q && un + 1 < sizeof(ub); q++)
        if (*q != '\n')
            ub[un++] = *q;
    ub[un] = '\0';
    tail_units(ub, &lead, &coop);
    task_in_t in = {w->row.buf, w->row.len, dl, strlen(dl), &lead, &coop, w->row.line_idx[0],
                    false, true, 0};
    gw_emit_task(w, full, &in);
    duban_strlist_free(&lead);
    duban_strlist_free(&coop);
    duban_para_reset(&w->row);
    w->tail[0] = '\0';
}

/* A block of cell lines is complete: national cells and chapter cells
 * move the outline, local text goes into the row. */
static void flat_block(walk_t *w)
{
    duban_para_t *p = &w->para;
    if (p->len == 0)
        return;
    marker_t m;
    bool mk = gw_marker_at(p->buf, p->len, &m);
    clause_t cl[MAX_CLAUSES];
    size_t nat = 0, nc = gw_find_clauses(p->buf, p->len, cl, MAX_CLAUSES, &nat);
    for (size_t k = 0; k < nc; k++)
        gw_clause_free(&cl[k]);
    if (mk && (nat > 0 || m.level == LV_1 || m.level == LV_2)) {
        gw_push_marker(w, &m);
    } else if (!mk && nat > 0) {
        /* national text without a number: belongs to the current item */
    } else {
        if (w->row.len)
            duban_para_add_break(&w->row);
        for (size_t k = 0; k < p->nseg; k++)
            duban_para_add(&w->row, w->P->t, p->line_idx[k]);
    }
    duban_para_reset(p);
}

void gw_flat_line(walk_t *w, size_t li)
{
    const duban_line_t *L = &w->P->t->lines[li];
    marker_t m;
    if (header_line(L)) {
        if (w->in_tail)
            gw_flat_emit(w);
        return;
    }
    if (w->in_tail) {
        if (L->len <= 18 && !contains(L->s, L->len, "。") && !gw_marker_at(L->s, L->len, &m)) {
            size_t n = strlen(w->tail);
            snprintf(w->tail + n, sizeof(w->tail) - n, "\n%s", L->s);
            return;
        }
        gw_flat_emit(w);
    }
    if (deadline_start(L)) {
        flat_block(w);
        snprintf(w->tail, sizeof(w->tail), "%s", L->s);
        w->in_tail = true;
        if (contains(L->s, L->len, " "))
            gw_flat_emit(w);
        return;
    }
    if (w->para.len && gw_marker_at(L->s, L->len, &m))
        flat_block(w);
    duban_para_add(&w->para, w->P->t, li);
    if (duban_ends(L->s, L->len, "）"))
        flat_block(w);
}

/* Header fragments "完成" "时限" "牵头部门" accumulate; a deadline column
 * before a lead column switches to flattened-table reading. */
bool gw_flat_header(walk_t *w, const duban_line_t *L)
{
    if (!header_line(L)) {
        w->hdr_acc[0] = '\0';
        return false;
    }
    size_t n = strlen(w->hdr_acc);
    snprintf(w->hdr_acc + n, sizeof(w->hdr_acc) - n, "%s", L->s);
    const char *tl = strstr(w->hdr_acc, "时限");
    if (tl && strstr(tl, "牵头")) {
        gw_finalize_item(w);
        duban_para_reset(&w->para);
        w->flat = true;
        w->hdr_acc[0] = '\0';
    }
    return true;
}


/* A line that is only table furniture: "|", "||||", "---". */
bool gw_cell_separator(const duban_line_t *L)
{
    if (L->len == 0)
        return false;
    for (uint32_t i = 0; i < L->len; i++)
        if (L->s[i] != '|' && L->s[i] != ' ' && L->s[i] != '-' && L->s[i] != ':')
            return false;
    return true;
}

static bool blank_or_separator(const duban_line_t *L)
{
    return !gw_usable(L) || gw_cell_separator(L);
}

/* A header being read: its columns only. gw_cell_table_header tries one at
 * nearly every line of a document, so it is small to clear (a cell_table_t
 * holds its cells' text, ~31 KB). */
typedef struct {
    col_kind_t col[CT_MAX_COLS];
    bool detail[CT_MAX_COLS];
    int ncols;
    bool pipes, spaced;
} header_t;

/* Column kinds of one header cell into h; false when it is not one. */
static bool header_cell_add(header_t *h, const char *s, size_t n, bool *units, bool *task,
                            bool *seq)
{
    bool hdr;
    col_kind_t k = header_cell_kind(s, n, &hdr);
    if (!hdr || h->ncols >= CT_MAX_COLS)
        return false;
    if (k == COL_TASK && *task) {
        k = COL_OTHER; /* one task column: the first; a later one (工作任务 | 具体内容)
                        * details it, and is joined to it (cell_row_emit), but not a
                        * 年度目标 of figures (≥2%, 0.07) */
        h->detail[h->ncols] = contains(s, n, "任务") || contains(s, n, "内容") ||
                              contains(s, n, "措施") || contains(s, n, "举措") ||
                              contains(s, n, "要求") || contains(s, n, "具体");
    }
    h->col[h->ncols++] = k;
    *units |= k == COL_LEAD || k == COL_RESP;
    *task |= k == COL_TASK;
    *seq |= k == COL_SEQ;
    return true;
}

/* A header printed on one line, its cells separated by single spaces
 * ("序号 目标任务 责任单位 上半年推进情况"), with rows printed the same way
 * below it (the next line has spaces too). */
static bool spaced_header(const duban_text_t *t, size_t li, size_t end, header_t *h,
                          bool *units, bool *task, bool *seq)
{
    const duban_line_t *L = &t->lines[li];
    if (L->len > 160 || !memchr(L->s, ' ', L->len) || contains(L->s, L->len, "："))
        return false;
    size_t st = 0;
    for (size_t i = 0; i <= L->len; i++) {
        if (i < L->len && L->s[i] != ' ')
            continue;
        if (i > st && (i - st > 30 || !header_cell_add(h, L->s + st, i - st, units, task, seq)))
            return false;
        st = i + 1;
    }
    if (h->ncols < 3)
        return false;
    size_t nx = li;
    for (int k = 0; k < 3; k++) { /* a section row may come first */
        nx = gw_next_usable(t, nx + 1, end);
        if (nx >= end || (t->lines[nx].flags & DUBAN_LINE_TAB))
            return false;
        if (memchr(t->lines[nx].s, ' ', t->lines[nx].len))
            return true;
    }
    return false;
}

/* Header cells one per line from line li (blank and "|" lines between), or
 * on one line separated by spaces (spaced_header): at least three, a unit
 * column and a task or 序号 column among them. */
/* A header cell printed over two lines ("责任" / "科室", "攻坚目标" / "任务"):
 * the line after the one at i (hs, hn) when the two make a header cell and
 * either the first is no header cell alone or the second is a usual last
 * word of one; the joined text in out. 0 when not. */
static size_t split_header_cell(const duban_text_t *t, size_t i, size_t end, const char *hs,
                                size_t hn, char *out, size_t cap)
{
    static const char *const tails[] = {"任务", "领导", "科室", "单位", "部门", "情况", "时限",
                                        "措施", "内容", "时间", "进展", NULL};
    size_t j = i + 1;
    while (j < end && blank_or_separator(&t->lines[j]))
        j++;
    if (j >= end || hn > 18 || hn + t->lines[j].len + 1 > cap || t->lines[j].len > 18 ||
        (t->lines[j].flags & DUBAN_LINE_TAB))
        return 0;
    const duban_line_t *N = &t->lines[j];
    bool hdr, tail = false;
    for (size_t k = 0; tails[k] && !tail; k++)
        tail = N->len == strlen(tails[k]) && memcmp(N->s, tails[k], N->len) == 0;
    header_cell_kind(hs, hn, &hdr);
    if (hdr && (!tail || (N->len == strlen("单位") && memcmp(N->s, "单位", N->len) == 0)))
        return 0; /* "考核内容" / "单位": two header cells, the second a unit of measure */
    snprintf(out, cap, "%.*s%.*s", (int)hn, hs, (int)N->len, N->s);
    header_cell_kind(out, strlen(out), &hdr);
    return hdr ? j : 0;
}

/* A short run of Han characters with no digit or punctuation: what an
 * unknown header cell looks like (月度工作计划), not a row's number or text. */
static bool plain_header_word(const char *s, size_t n)
{
    if (n < 6 || n > 3 * 8 || n % 3)
        return false;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t cp;
        if (duban_utf8_decode(s + i, n - i, &cp) != 3 || !duban_cp_is_cjk(cp))
            return false;
    }
    return true;
}

/* Reads a header of cells from line li into h (*last: its last line,
 * *blanks: blank lines between its cells); false when there is none. */
static bool read_cell_header(const duban_text_t *t, size_t li, size_t end, header_t *h_out,
                             size_t *last_out, size_t *blanks_out)
{
    header_t h;
    memset(&h, 0, sizeof(h));
    bool units = false, task = false, seq = false;
    size_t i = li, last = li, blanks = 0;
    int tentative = 0;
    if (spaced_header(t, li, end, &h, &units, &task, &seq)) {
        h.spaced = true;
        i = end; /* the header is this line */
    } else {
        memset(&h, 0, sizeof(h));
        units = task = seq = false;
    }
    for (; i < end && h.ncols < CT_MAX_COLS; i++) {
        const duban_line_t *L = &t->lines[i];
        if (blank_or_separator(L)) {
            blanks += h.ncols > 0 && !gw_usable(L);
            continue;
        }
        const char *hs = L->s;
        size_t hn = L->len;
        if (hn > 2 && hs[0] == '|') { /* "| 目 标 任 务" */
            h.pipes = true;
            hs++, hn--;
            while (hn && *hs == ' ')
                hs++, hn--;
        }
        if (hn > 30 || (L->flags & DUBAN_LINE_TAB) || contains(hs, hn, "："))
            break;
        size_t j;
        char joined[64];
        if (!h.pipes && (j = split_header_cell(t, i, end, hs, hn, joined, sizeof(joined)))) {
            hs = joined; /* "责任" / "科室": one header cell printed on two lines */
            hn = strlen(joined);
            i = j;
        }
        if (!header_cell_add(&h, hs, hn, &units, &task, &seq)) {
            /* a header cell of no known kind (月度工作计划) between known
             * ones: kept when a known one follows, dropped at the end */
            if (h.pipes || h.spaced || h.ncols == 0 || h.ncols >= CT_MAX_COLS ||
                !plain_header_word(hs, hn) || tentative >= 2)
                break;
            h.col[h.ncols++] = COL_OTHER;
            tentative++;
            continue;
        }
        tentative = 0;
        last = i;
    }
    h.ncols -= tentative;
    /* two columns: a unit and its task, each header cell on a line of its
     * own with a blank line between (相关部门 / 职责分工) */
    bool pair = h.ncols == 2 && units && task && !h.pipes && !h.spaced && blanks >= 1;
    if ((h.ncols < 3 && !pair) || !units || !(task || seq))
        return false;
    *h_out = h;
    *last_out = last;
    *blanks_out = blanks;
    return true;
}

bool gw_text_cell_header(const duban_text_t *t, size_t li, size_t end)
{
    header_t h;
    size_t last, blanks;
    return read_cell_header(t, li, end, &h, &last, &blanks);
}


bool gw_cell_table_header(walk_t *w, size_t li, size_t end, size_t *after)
{
    header_t h;
    size_t last, blanks;
    if (!read_cell_header(w->P->t, li, end, &h, &last, &blanks))
        return false;
    if (!w->ct && !(w->ct = duban_xcalloc(1, sizeof(*w->ct))))
        return false;
    int table_no = w->ct->table_no;
    memset(w->ct, 0, sizeof(*w->ct));
    memcpy(w->ct->col, h.col, sizeof(h.col));
    memcpy(w->ct->detail, h.detail, sizeof(h.detail));
    w->ct->ncols = h.ncols;
    w->ct->pipes = h.pipes;
    w->ct->spaced = h.spaced;
    w->ct->blank_sep = !h.pipes && !h.spaced && blanks + 1 >= (size_t)h.ncols;
    w->ct->table_no = table_no + 1;
    w->ct->last = -1;
    *after = last + 1;
    return true;
}

/* A 序号 cell: 1-3 digits, or a Chinese numeral alone (一, 十二: a group's
 * number). */
static bool cell_digits(const char *s, size_t n)
{
    size_t used;
    if (n >= 3 && n <= 9 && duban_cn_number(s, n, &used) > 0 && used == n)
        return true;
    if (n == 0 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return true;
}

/* ★/☆/● marks before a unit (the lead of a list, in some tables). */
static size_t skip_marks(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 3 <= n && (duban_starts(s + i, n - i, "★") || duban_starts(s + i, n - i, "☆") ||
                          duban_starts(s + i, n - i, "●")))
        i += 3;
    while (i < n && (s[i] == '*' || s[i] == ' '))
        i++;
    return i;
}

static bool cell_is_units(const walk_t *w, const char *s, size_t n)
{
    size_t m = skip_marks(s, n);
    s += m, n -= m;
    if (n < 6 || n > 400 || contains(s, n, "。") || is_digit(s[0]))
        return false;
    /* a project that ends like a body: "新（改、扩）建一批中小学校", "实施…中心" */
    static const char *const acts[] = {"新（", "新(", "新建", "改建", "扩建", "实施", "推进",
                                       "开展", "加快", "打造", NULL};
    for (size_t k = 0; acts[k]; k++)
        if (duban_starts(s, n, acts[k]))
            return false;
    size_t v = gw_verb_suffix(s, n, LEAD_VERBS); /* "市发改委牵头落实": units and their verb */
    if (v && n - v >= 6 && !contains(s, n, "，"))
        n = gw_trim_list_end(s, 0, n - v);
    duban_strlist_t u = DUBAN_STRLIST_INIT;
    gw_add_units(s, n, &u);
    size_t like = 0;
    for (size_t i = 0; i < u.count; i++) {
        const char *x = u.items[i];
        size_t xl = strlen(x);
        like += gw_unit_like_end(x, xl) || (w->P->dir && duban_dept_known(w->P->dir, x)) ||
                duban_ends(x, xl, "政府") || duban_ends(x, xl, "公司");
    }
    /* the first reads as a unit and most do (★区商务局、吴江海关) */
    bool ok = u.count > 0 && like * 2 >= u.count &&
              (gw_unit_like_end(u.items[0], strlen(u.items[0])) ||
               (w->P->dir && duban_dept_known(w->P->dir, u.items[0])));
    duban_strlist_free(&u);
    return ok;
}

/* Names of people: 2-4 characters each ("钱 宇", "王嵘、方勇"), no unit. */
static bool cell_is_person(const walk_t *w, const char *s, size_t n)
{
    char b[256];
    size_t m = squeeze(s, n, b, sizeof(b));
    if (m < 6 || m > 60 || cell_is_units(w, s, n))
        return false;
    size_t run = 0;
    for (size_t i = 0; i < m;) {
        if (duban_starts(b + i, m - i, "、") || duban_starts(b + i, m - i, "，")) {
            if (run < 2 || run > 4)
                return false;
            run = 0;
            i += 3;
            continue;
        }
        if ((unsigned char)b[i] < 0xE0)
            return false;
        run++;
        i += 3;
    }
    return run >= 2 && run <= 4 && !(m > 12 && n == m); /* one unspaced run: a name */
}

static bool cell_is_deadline(walk_t *w, const char *s, size_t n)
{
    if (n > 90 || contains(s, n, "。"))
        return false;
    if (gw_month_cell(s, n))
        return true; /* "1月份": the month's end in the document's year (month_cell) */
    duban_deadline_t dl;
    char eb[64];
    duban_deadline_extract(s, n, &w->dctx, &dl, eb, sizeof(eb));
    return dl.kind != DUBAN_DEADLINE_NONE;
}

static bool cell_fits(walk_t *w, col_kind_t k, const duban_line_t *L)
{
    switch (k) {
    case COL_SEQ: return cell_digits(L->s, L->len);
    case COL_LEAD: case COL_RESP: case COL_COOP: case COL_ASSESS:
        return cell_is_units(w, L->s, L->len);
    case COL_PERSON: return cell_is_person(w, L->s, L->len);
    case COL_DEADLINE: return cell_is_deadline(w, L->s, L->len);
    default: return !cell_is_units(w, L->s, L->len) && !cell_digits(L->s, L->len);
    }
}

static void cell_put(cell_table_t *ct, int c, const char *s, size_t n, const char *sep)
{
    size_t have = strlen(ct->cell[c]);
    snprintf(ct->cell[c] + have, sizeof(ct->cell[c]) - have, "%s%.*s", have ? sep : "",
             (int)n, s);
}

static bool col_is_unit(col_kind_t k) { return k == COL_LEAD || k == COL_RESP || k == COL_COOP; }

static void cell_row_emit(walk_t *w)
{
    cell_table_t *ct = w->ct;
    if (!ct->has_task && ct->has_units && !ct->pipes) {
        /* 重点任务 | 序号 | 具体内容 | 牵头单位 printed one cell per line: the
         * task column is a group's merged cell (a section row above), the
         * row's text is in the detail column */
        int tc = 0;
        while (tc < ct->ncols && ct->col[tc] != COL_TASK)
            tc++;
        for (int c = 0; c < ct->ncols && tc < ct->ncols && !ct->has_task; c++)
            if (ct->detail[c] && ct->cell[c][0] && !ct->cell[tc][0]) {
                memcpy(ct->cell[tc], ct->cell[c], sizeof(ct->cell[0]));
                ct->cell[c][0] = '\0';
                ct->task_line = ct->cell_line[c];
                ct->has_task = true;
            }
    }
    if (!ct->has_task) {
        memset(ct->cell, 0, sizeof(ct->cell));
        memset(ct->stacked_at, 0, sizeof(ct->stacked_at));
        ct->last = -1;
        ct->has_units = false;
        return;
    }
    bool has_lead_col = false;
    for (int c = 0; c < ct->ncols; c++) {
        has_lead_col |= ct->col[c] == COL_LEAD;
        /* units stacked into the unit column before an empty 评分部门: the
         * last of them is the assessor's cell */
        if (c + 1 < ct->ncols && ct->col[c + 1] == COL_ASSESS && col_is_unit(ct->col[c]) &&
            !ct->cell[c + 1][0] && ct->stacked_at[c] > 0)
            ct->cell[c][ct->stacked_at[c]] = '\0';
    }
    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
    char lead_s[CT_CELL_MAX] = "", coop_s[CT_CELL_MAX] = "";
    const char *task = "", *seq = "", *dl = NULL;
    for (int c = 0; c < ct->ncols; c++) {
        const char *v = ct->cell[c];
        if (!v[0])
            continue;
        size_t m = skip_marks(v, strlen(v));
        switch (ct->col[c]) {
        case COL_TASK: if (!task[0]) task = v; break;
        case COL_SEQ: seq = v; break;
        case COL_DEADLINE: dl = v; break;
        case COL_LEAD:
            snprintf(lead_s, sizeof(lead_s), "%s", v + m);
            break;
        case COL_RESP:
            snprintf(has_lead_col ? coop_s : lead_s, sizeof(lead_s), "%s", v + m);
            break;
        case COL_COOP: snprintf(coop_s, sizeof(coop_s), "%s", v + m); break;
        default: break;
        }
    }
    if (ct->pipes) { /* merged cells, column by column */
        if (!lead_s[0])
            snprintf(lead_s, sizeof(lead_s), "%s", ct->prev_lead);
        if (!coop_s[0])
            snprintf(coop_s, sizeof(coop_s), "%s", ct->prev_coop);
    } else if (!lead_s[0] && !coop_s[0] && ct->ncols > 2) { /* merged unit cells: the row above's */
        snprintf(lead_s, sizeof(lead_s), "%s", ct->prev_lead);
        snprintf(coop_s, sizeof(coop_s), "%s", ct->prev_coop);
    }
    for (char *q = lead_s; (q = strstr(q, "★")) != NULL;)
        memmove(q, q + 3, strlen(q + 3) + 1);
    cell_units(lead_s, strlen(lead_s), &lead, &coop);
    gw_add_units(coop_s, strlen(coop_s), &coop);
    if (lead.count && gw_is_national(lead.items[0]))
        duban_strlist_clear(&lead), duban_strlist_clear(&coop);
    snprintf(ct->prev_lead, sizeof(ct->prev_lead), "%s", lead_s);
    snprintf(ct->prev_coop, sizeof(ct->prev_coop), "%s", coop_s);
    ct->row_no++;
    char base[320], path[400];
    gw_path_prefix(w, base, sizeof(base));
    if (cell_digits(seq, strlen(seq)))
        snprintf(path, sizeof(path), "%s%s表%d.%.16s", base, base[0] ? "." : "", ct->table_no, seq);
    else
        snprintf(path, sizeof(path), "%s%s表%d.R%d", base, base[0] ? "." : "", ct->table_no,
                 ct->row_no);
    /* 工作任务 | 具体内容: a row that fills both is "task：details" (a row
     * whose task cell is merged from the row above has its details in the
     * task column) */
    char joined[CT_CELL_MAX];
    int joined_col = -1;
    for (int c = 0; c < ct->ncols && joined_col < 0; c++)
        if (ct->detail[c] && ct->cell[c][0] && task[0]) {
            snprintf(joined, sizeof(joined), "%s：%s", task, ct->cell[c]);
            task = joined;
            joined_col = c;
        }
    size_t tl = strlen(task);
    bool dl_cell = dl != NULL;
    char dlbuf[CT_CELL_MAX];
    if (!dl) { /* no deadline column: a date may be in any text cell (细化措施: 到2020年) */
        size_t n = (size_t)snprintf(dlbuf, sizeof(dlbuf), "%s", task);
        for (int c = 0; c < ct->ncols && n < sizeof(dlbuf); c++)
            if (c != joined_col && (ct->col[c] == COL_OTHER ||
                 (ct->col[c] == COL_STATUS && contains(ct->cell[c], strlen(ct->cell[c]), "前"))) &&
                ct->cell[c][0]) /* a progress cell: only a date it says is still ahead (…11月底前完成) */
                n += (size_t)snprintf(dlbuf + n, sizeof(dlbuf) - n, "；%s", ct->cell[c]);
        if (n > tl && n < sizeof(dlbuf))
            dl = dlbuf;
    }
    task_in_t in = {task, tl, dl ? dl : task, dl ? strlen(dl) : tl, &lead, &coop, ct->task_line,
                    false, dl_cell, 0};
    gw_emit_task(w, path, &in);
    duban_strlist_free(&lead);
    duban_strlist_free(&coop);
    memset(ct->cell, 0, sizeof(ct->cell));
    memset(ct->stacked_at, 0, sizeof(ct->stacked_at));
    ct->last = -1;
    ct->has_task = ct->has_units = false;
}

static void cell_text(walk_t *w, size_t li, const duban_line_t *L);

/* Pipe mode: the cell assembled so far goes to its column. */
static void cell_pending_flush(walk_t *w)
{
    cell_table_t *ct = w->ct;
    if (!ct->pend[0])
        return;
    duban_line_t c = w->P->t->lines[ct->pend_line];
    c.s = ct->pend;
    c.len = (uint32_t)strlen(ct->pend);
    cell_text(w, ct->pend_line, &c);
    ct->pend[0] = '\0';
}

/* One space-separated piece of a spaced table's line. The text reader
 * drops a space next to a digit or after "。" (a PDF's spacing), so a
 * piece may hold several cells: a leading 序号 ("1地区生产总值…") and a
 * unit list after the task's "。" ("…增长6%以上。区发展改革委") are cut off. */
static void spaced_piece(walk_t *w, size_t li, const duban_line_t *L, const char *s, size_t n)
{
    cell_table_t *ct = w->ct;
    duban_line_t c = *L;
    size_t d = 0;
    while (d < n && d < 4 && is_digit(s[d]))
        d++;
    if (d > 0 && d <= 3 && d < n && (unsigned char)s[d] >= 0xE0 && ct->col[0] == COL_SEQ &&
        (ct->last < 0 || ct->has_task)) {
        c.s = s, c.len = (uint32_t)d;
        cell_text(w, li, &c);
        s += d, n -= d;
    }
    const char *cut = NULL;
    for (const char *p = s; (p = duban_find(p, n - (size_t)(p - s), "。", 3)) != NULL; p += 3)
        if (p + 3 < s + n && cell_is_units(w, p + 3, n - (size_t)(p + 3 - s)))
            cut = p + 3;
    c.s = s, c.len = (uint32_t)(cut ? (size_t)(cut - s) : n);
    cell_text(w, li, &c);
    if (cut) {
        c.s = cut, c.len = (uint32_t)(n - (size_t)(cut - s));
        cell_text(w, li, &c);
    }
}

/* One cell line of a cell table. */
void gw_cell_line(walk_t *w, size_t li)
{
    cell_table_t *ct = w->ct;
    const duban_line_t *L = &w->P->t->lines[li];
    if (ct->spaced) {
        marker_t m;
        if (!memchr(L->s, ' ', L->len) && gw_marker_at(L->s, L->len, &m) &&
            (m.level == LV_1 || m.level == LV_2) && !cell_is_units(w, L->s, L->len)) {
            cell_row_emit(w); /* a section row between rows */
            cell_text(w, li, L);
            return;
        }
        for (size_t st = 0, i = 0; i <= L->len; i++) {
            if (i < L->len && L->s[i] != ' ')
                continue;
            if (i > st)
                spaced_piece(w, li, L, L->s + st, i - st);
            st = i + 1;
        }
        return;
    }
    if (!ct->pipes && ct->blank_sep) {
        /* a cell is the run of lines up to the next blank line */
        const duban_line_t *prev = li > 0 ? &w->P->t->lines[li - 1] : NULL;
        if (!prev || !gw_usable(prev) || !ct->pend[0])
            cell_pending_flush(w);
        if (!ct->pend[0])
            ct->pend_line = li;
        size_t have = strlen(ct->pend);
        snprintf(ct->pend + have, sizeof(ct->pend) - have, "%.*s", (int)L->len, L->s);
        return;
    }
    if (!ct->pipes) {
        cell_text(w, li, L);
        return;
    }
    /* pipe mode: assemble the cell, hand it on when the next one opens */
    if (L->s[0] == '|' || gw_cell_separator(L)) {
        cell_pending_flush(w);
        if (gw_cell_separator(L)) { /* "|" alone: the row ends */
            cell_row_emit(w);
            return;
        }
        const char *v = L->s + 1;
        while (*v == ' ')
            v++;
        snprintf(ct->pend, sizeof(ct->pend), "%s", v);
        ct->pend_line = li;
        return;
    }
    if (!ct->pend[0])
        ct->pend_line = li;
    size_t have = strlen(ct->pend);
    snprintf(ct->pend + have, sizeof(ct->pend) - have, "%s", L->s);
}

/* A number cell L starts the next row unless it is no greater than the
 * row's own number and comes before the row's units: "8 / 家禽出栏 / 万只 /
 * 1" (that 1 is a target). */
static bool next_seq(const cell_table_t *ct, const char *row_seq, const duban_line_t *L)
{
    if (!row_seq[0] || !is_digit(row_seq[0]) || !is_digit(L->s[0]))
        return true;
    return atoi(L->s) > atoi(row_seq) || ct->has_units;
}

/* The row's first unit cell goes to column u: when the text cells before it
 * (after the 序号) fill fewer columns than there are, the missing ones are
 * merged cells on the left (a category, an indicator printed once for
 * several rows), so the text cells move right, up to the unit column, as
 * far as the task column keeps a text. "4 / 粮食播种面积 / 万亩 / 0.07 /
 * 县农业农村局" under 序号 考核指标 考核内容 单位 年度目标 责任部门. */
static void align_text_right(cell_table_t *ct, int u)
{
    int seq = -1, cols[CT_MAX_COLS], nt = 0, filled = 0, task = -1;
    for (int c = 0; c < u; c++)
        if (ct->col[c] == COL_SEQ)
            seq = c;
    if (seq < 0 || !ct->cell[seq][0])
        return; /* only a numbered row: its start is known */
    for (int c = seq + 1; c < u; c++) {
        if (ct->col[c] != COL_TASK && ct->col[c] != COL_OTHER && ct->col[c] != COL_STATUS)
            return; /* a person or deadline column between: cells are typed, not shifted */
        if (ct->col[c] == COL_TASK)
            task = nt;
        cols[nt++] = c;
    }
    while (filled < nt && ct->cell[cols[filled]][0])
        filled++;
    for (int k = filled; k < nt; k++)
        if (ct->cell[cols[k]][0])
            return; /* not a run from the left */
    int shift = nt - filled;
    while (shift > 0 && task >= 0 && !(task - shift >= 0 && task - shift < filled))
        shift--; /* the task column must keep a cell */
    if (filled == 0 || shift == 0)
        return;
    for (int k = filled - 1; k >= 0; k--) {
        memcpy(ct->cell[cols[k + shift]], ct->cell[cols[k]], sizeof(ct->cell[0]));
        ct->cell_line[cols[k + shift]] = ct->cell_line[cols[k]];
        ct->cell[cols[k]][0] = '\0';
    }
    if (task >= 0)
        ct->task_line = ct->cell_line[cols[task]];
}

/* The next line of a table printed one cell per line fills a deadline
 * column left of column c (a row's task, then its 时间安排, then its units). */
static bool next_fills_deadline_before(walk_t *w, size_t li, int c)
{
    const cell_table_t *ct = w->ct;
    const duban_text_t *t = w->P->t;
    size_t nx = gw_next_usable(t, li + 1, t->nlines);
    if (nx >= t->nlines)
        return false;
    for (int k = 0; k < c; k++)
        if (ct->col[k] == COL_DEADLINE)
            return cell_fits(w, COL_DEADLINE, &t->lines[nx]);
    return false;
}

/* One cell of a cell table: the text of line li, or of the lines a pipe
 * table's cell spans (L). */
/* A unit cell L after the row's last column, a note (备注) that came after
 * its unit cell, in a table whose task column precedes its unit column:
 * that "note" was the task of the next row under a merged cell (主要职责
 * over several 具体工作事项, each with its 负责部门) and L is its unit — a
 * row cannot open with its unit there. The row is emitted without it and
 * the next one starts with both. Blank-line separated cells only: an empty
 * note prints no cell of its own. */
static bool note_was_next_task(walk_t *w, const duban_line_t *L, size_t li)
{
    cell_table_t *ct = w->ct;
    int tc = -1, uc = -1, n = ct->last;
    for (int c = 0; c < ct->ncols; c++) {
        if (tc < 0 && ct->col[c] == COL_TASK)
            tc = c;
        if (uc < 0 && col_is_unit(ct->col[c]))
            uc = c;
    }
    if (!ct->blank_sep || ct->pipes || ct->spaced || n < 0 || tc < 0 || uc <= tc || n <= uc ||
        (ct->col[n] != COL_OTHER && ct->col[n] != COL_STATUS) || !ct->cell[uc][0] ||
        !ct->cell[n][0] || !cell_fits(w, COL_LEAD, L))
        return false;
    char task[CT_CELL_MAX];
    memcpy(task, ct->cell[n], sizeof(task));
    size_t task_li = ct->cell_line[n];
    ct->cell[n][0] = '\0';
    cell_row_emit(w);
    ct->has_task = true;
    ct->task_line = ct->cell_line[tc] = task_li;
    cell_put(ct, tc, task, strlen(task), "");
    ct->cell_line[uc] = li;
    cell_put(ct, uc, L->s, L->len, "");
    ct->has_units = true;
    ct->last = uc;
    return true;
}

static void cell_text(walk_t *w, size_t li, const duban_line_t *L)
{
    cell_table_t *ct = w->ct;
    marker_t m;
    bool marked = gw_marker_at(L->s, L->len, &m);
    if (marked && (m.level == LV_1 || m.level == LV_2) && !cell_is_units(w, L->s, L->len) &&
        L->len < 120 && (!ct->has_task || (m.level == LV_1 && ct->has_units && !ct->pipes))) {
        if (ct->has_task)
            cell_row_emit(w); /* the row above is complete: "二、…" opens a section */
        gw_push_marker(w, &m); /* a section row: 一、… / （一）… */
        return;
    }
    int start = ct->last + 1;
    bool new_row = false;
    for (int c = 0; c < ct->ncols; c++)
        if (ct->col[c] == COL_SEQ && cell_fits(w, COL_SEQ, L) && next_seq(ct, ct->cell[c], L))
            new_row = ct->last >= 0, start = new_row ? 0 : start;
    if (!new_row && ct->has_task && marked && m.level >= LV_3)
        new_row = true; /* the next enumerated task */
    if (!new_row && !ct->spaced && ct->has_units && ct->has_task &&
        !cell_fits(w, COL_COOP, L)) {
        bool later_unit = false, later_text = false, numbered = false, later_typed = false;
        for (int c = start; c < ct->ncols; c++) {
            later_unit |= col_is_unit(ct->col[c]);
            later_text |= ct->col[c] == COL_OTHER || ct->col[c] == COL_STATUS;
            /* a person or a deadline after the units: the row's own cell (冯冬昌 under 责任领导) */
            later_typed |= (ct->col[c] == COL_PERSON || ct->col[c] == COL_DEADLINE) &&
                           cell_fits(w, ct->col[c], L);
        }
        for (int c = 0; c < ct->ncols; c++)
            numbered |= ct->col[c] == COL_SEQ && ct->cell[c][0]; /* this row has its 序号 */
        new_row = (!later_unit || ct->col[ct->last] != COL_LEAD) && !later_typed;
        if (new_row && numbered && later_text && !later_unit && !marked)
            new_row = false; /* a row begun at its 序号: the text fills the columns after */
    }
    if (!new_row && ct->ncols == 2 && ct->has_units && ct->has_task)
        new_row = true; /* a unit and its task: the row is full */
    if (new_row) {
        cell_row_emit(w);
        start = 0;
    }
    /* a row per line with its cells separated by spaces: units after the
     * unit cell, on its line, fill the text column after it (备注: 各区教育局、
     * 市局直属单位, where the row applies), not the unit cell */
    if (ct->spaced && ct->last >= 0 && col_is_unit(ct->col[ct->last]) &&
        ct->cell_line[ct->last] == li && ct->last + 1 < ct->ncols &&
        (ct->col[ct->last + 1] == COL_OTHER || ct->col[ct->last + 1] == COL_STATUS) &&
        !ct->cell[ct->last + 1][0] && cell_fits(w, COL_LEAD, L)) {
        ct->cell_line[ct->last + 1] = li;
        cell_put(ct, ++ct->last, L->s, L->len, "");
        return;
    }
    /* a unit stacked under the one before it, in the same column; not a
     * task that reads like a unit (养老机构) when the next line fills the
     * deadline column before the units ("4月份"): that opens the next row */
    if (ct->last >= 0 && col_is_unit(ct->col[ct->last]) && cell_fits(w, COL_LEAD, L) &&
        (ct->last + 1 >= ct->ncols || !col_is_unit(ct->col[ct->last + 1]))) {
        int tc = 0;
        while (tc < ct->ncols && ct->col[tc] != COL_TASK)
            tc++;
        if (!ct->pipes && !ct->spaced && ct->has_task && tc < ct->last &&
            next_fills_deadline_before(w, li, ct->last)) {
            cell_row_emit(w);
            ct->has_task = true;
            ct->task_line = ct->cell_line[tc] = li;
            cell_put(ct, tc, L->s, L->len, "");
            ct->last = tc;
            return;
        }
        ct->stacked_at[ct->last] = strlen(ct->cell[ct->last]);
        cell_put(ct, ct->last, L->s, L->len, "、");
        return;
    }
    int c = start;
    if (marked && m.level >= LV_3) { /* an enumerated cell is the task */
        for (c = 0; c < ct->ncols && ct->col[c] != COL_TASK; c++)
            ;
        if (c == ct->ncols)
            c = start;
    }
    while (c < ct->ncols && !cell_fits(w, ct->col[c], L))
        c++;
    if (c >= ct->ncols && note_was_next_task(w, L, li))
        return;
    if (c >= ct->ncols) { /* fits nowhere later: a cell wrapped onto this line */
        if (ct->last >= 0 && !col_is_unit(ct->col[ct->last]))
            cell_put(ct, ct->last, L->s, L->len, "");
        return;
    }
    if (ct->col[c] == COL_TASK && ct->has_task) {
        cell_row_emit(w);
        c = 0;
        while (c < ct->ncols && ct->col[c] != COL_TASK)
            c++;
    }
    const char *v = L->s;
    size_t vn = L->len;
    if (ct->col[c] == COL_TASK) {
        if (marked && m.level >= LV_3)
            v += m.len, vn -= m.len; /* "1.地区生产总值…": the text */
        ct->has_task = true;
        ct->task_line = li;
    }
    if (col_is_unit(ct->col[c])) {
        if (!ct->has_units && !ct->pipes && !ct->spaced)
            align_text_right(ct, c);
        ct->has_units = true;
    }
    if (!ct->cell[c][0])
        ct->cell_line[c] = li;
    cell_put(ct, c, v, vn, "");
    ct->last = c;
}

/* The table ends: the cell still being assembled, then the row. */
void gw_cell_table_finish(walk_t *w)
{
    cell_pending_flush(w);
    cell_row_emit(w);
}

/* Whether line li ends a cell table: an attachment, a date, a title. */
/* "二、工作要求" over "（一）各有关责任单位要按照时间安排，制定…": the
 * document's next heading, whose first item below is running text, not a
 * section row of the table ("二、重要立法和标准制定事项" over "序号"). */
static bool outline_heading_over_prose(const duban_text_t *t, size_t li)
{
    const duban_line_t *L = &t->lines[li];
    marker_t m;
    if (L->len > 3 * 30 || (L->flags & DUBAN_LINE_PIPES) || !gw_marker_at(L->s, L->len, &m) ||
        m.level != LV_1)
        return false;
    size_t nx = gw_next_usable(t, li + 1, t->nlines);
    if (nx >= t->nlines)
        return false;
    const duban_line_t *N = &t->lines[nx];
    return N->len > 3 * 30 && !(N->flags & DUBAN_LINE_PIPES) && gw_marker_at(N->s, N->len, &m) &&
           m.level == LV_2 && contains(N->s, N->len, "，");
}

bool gw_cell_table_ends(const walk_t *w, size_t li)
{
    const duban_line_t *L = &w->P->t->lines[li];
    return gw_attachment_label(L->s, L->len) || duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE ||
           (w->ct && !w->ct->pipes && outline_heading_over_prose(w->P->t, li)) ||
           gw_is_public_marker(L->s, L->len) || (L->flags & DUBAN_LINE_TAB) ||
           (L->len > 30 && gw_title_end_line(L) &&
            (duban_ends(L->s, L->len, "表") || ends_any(L->s, L->len, TITLE_END)));
}

/* The key of a record's line, the whole line ("责任单位：" above its value)
 * or the first of exactly two cells ("整改措施 | 组织开展… |", a record
 * printed as a two-column table): *value_at is then where the second cell
 * starts, 0 otherwise. */
static kv_key_t kv_key_at(const duban_line_t *L, size_t *value_at);

static kv_key_t kv_key(const duban_line_t *L)
{
    size_t v;
    return kv_key_at(L, &v);
}

static kv_key_t kv_key_at(const duban_line_t *L, size_t *value_at)
{
    /* the task keys of a record (a column header's 任务/措施 words are wider:
     * 整改措施 is a field of the record, not its task) */
    static const char *const task[] = {"整改任务", "工作任务", "主要任务", "重点任务", "任务内容",
                                       "工作内容", "督办事项", "具体任务", "任务名称", "工作事项",
                                       "具体事项", "项目名称", NULL};
    static const char *const problem[] = {"存在问题", "反馈问题", "问题描述", "具体问题", NULL};
    static const char *const measure[] = {"整改措施", NULL};
    *value_at = 0;
    if (!gw_usable(L))
        return KV_NONE;
    size_t keylen = L->len, from = 0;
    bool inline_value = false;
    if (L->flags & DUBAN_LINE_TAB) {
        const char *tab = memchr(L->s, '\t', L->len);
        if (!tab || memchr(tab + 1, '\t', L->len - (size_t)(tab + 1 - L->s)) || tab == L->s)
            return KV_NONE; /* not two cells */
        keylen = (size_t)(tab - L->s);
        *value_at = keylen + 1;
    } else {
        /* "01 项目名称:提升县域生态环境": a record's number, its key and the
         * value after the colon on one line (the key must still match one
         * of the record's keys exactly) */
        while (from < L->len && from < 3 && is_digit(L->s[from]))
            from++;
        while (from > 0 && from < L->len && L->s[from] == ' ')
            from++; /* the reader may have dropped the space: "01项目名称：…" */
        const char *col = duban_find(L->s + from, L->len - from < 27 ? L->len - from : 27, "：", 3);
        size_t after = col ? (size_t)(col - L->s) + 3 : 0;
        while (after && after < L->len && L->s[after] == ' ')
            after++;
        if (col && after < L->len) {
            keylen = (size_t)(col - L->s);
            *value_at = after;
            inline_value = true;
        }
    }
    if (keylen - from > (*value_at ? 36u : 24u)) /* a cell may print its alias: 牵头部门（责任单位） */
        return KV_NONE;
    cell_key_t k;
    cell_key(L->s + from, keylen - from, &k);
    if (k.m >= 3 && (duban_ends(k.b, k.m, "：") || duban_ends(k.b, k.m, ":")))
        k.m -= duban_ends(k.b, k.m, "：") ? 3 : 1, k.m2 = k.m; /* "责任单位：" alone */
    if (cell_is(&k, task))
        return KV_TASK;
    if (cell_is(&k, problem))
        return KV_PROBLEM;
    if (inline_value) { /* only a record's first key carries its value so
                         * (牵头单位：X on a line is a clause, gazette 000) */
        *value_at = 0;
        return KV_NONE;
    }
    if (cell_is(&k, measure))
        return KV_MEASURE;
    bool hdr;
    switch (header_cell_kind(k.b, k.m, &hdr)) { /* the columns' vocabulary */
    case COL_LEAD: case COL_RESP: return KV_LEAD;
    case COL_COOP: return KV_COOP;
    case COL_DEADLINE: return KV_DEADLINE;
    default: return hdr ? KV_OTHER : KV_NONE;
    }
}

/* Reads the records from line li on: true (and *after, the first line
 * past them) when at least one was read. */
bool gw_kv_records(walk_t *w, size_t li, size_t end, size_t *after)
{
    const duban_text_t *t = w->P->t;
    kv_key_t first = kv_key(&t->lines[li]);
    if (first != KV_TASK && first != KV_PROBLEM)
        return false;
    /* a record: task and unit keys, each followed by a value line */
    bool unit = false;
    for (size_t i = li, n = 0; i < end && n < 40; i = gw_next_usable(t, i + 1, end), n++) {
        kv_key_t k = kv_key(&t->lines[i]);
        if (k == KV_LEAD)
            unit = true;
        if (k == KV_NONE && n == 0)
            return false;
    }
    if (!unit)
        return false;
    gw_flush_para(w); /* what came before the record is complete */
    gw_finalize_item(w);
    char path[400], base[320];
    duban_para_t task, val;
    duban_para_init(&task);
    duban_para_init(&val);
    char lead_s[1024] = "", coop_s[1024] = "", dl_s[256] = "";
    kv_key_t cur = KV_NONE;
    size_t i = li, task_line = li, last = li, cur_from = 0;
    bool task_is_problem = false;
    for (;;) {
        size_t value_at = 0;
        kv_key_t k = i < end ? kv_key_at(&t->lines[i], &value_at) : KV_NONE;
        bool stop = i >= end || (gw_cell_table_ends(w, i) && !value_at) || /* a row of two cells goes on */
                    gw_has_leader(t->lines[i].s, t->lines[i].len);
        if (k != KV_NONE || stop) { /* the value of `cur` is complete */
            char *dst = cur == KV_LEAD ? lead_s : cur == KV_COOP ? coop_s :
                        cur == KV_DEADLINE ? dl_s : NULL;
            size_t cap = cur == KV_DEADLINE ? sizeof(dl_s) : sizeof(lead_s);
            if (dst && val.len) {
                size_t have = strlen(dst);
                snprintf(dst + have, cap - have, "%s%.*s", have ? "、" : "", (int)val.len, val.buf);
            }
            if (cur == KV_MEASURE && val.len && task_is_problem) {
                duban_para_reset(&task); /* the measure, not the problem, is the task */
                task_is_problem = false;
            }
            if ((cur == KV_TASK || cur == KV_PROBLEM || cur == KV_MEASURE) && val.len && !task.len) {
                task_is_problem = cur == KV_PROBLEM;
                for (size_t s = 0; s < val.nseg; s++) /* the first may be a second cell */
                    duban_para_add_from(&task, t, val.line_idx[s], s == 0 ? cur_from : 0);
                task_line = val.line_idx[0];
            }
            duban_para_reset(&val);
            if (((k == KV_TASK || k == KV_PROBLEM) && task.len) || stop) { /* the record is complete */
                if (task.len && lead_s[0]) {
                    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
                    cell_units(lead_s, strlen(lead_s), &lead, &coop);
                    gw_add_units(coop_s, strlen(coop_s), &coop);
                    gw_path_prefix(w, base, sizeof(base));
                    snprintf(path, sizeof(path), "%s%s表%d", base, base[0] ? "." : "",
                             ++w->table_no);
                    task_in_t in = {task.buf, task.len, dl_s[0] ? dl_s : task.buf,
                                    dl_s[0] ? strlen(dl_s) : task.len, &lead, &coop, task_line,
                                    false, dl_s[0] != '\0', 0};
                    gw_emit_task(w, path, &in);
                    duban_strlist_free(&lead);
                    duban_strlist_free(&coop);
                }
                duban_para_reset(&task);
                lead_s[0] = coop_s[0] = dl_s[0] = '\0';
                if (stop)
                    break;
            }
            cur = k;
            cur_from = value_at;
            if (value_at) /* the value in the line's second cell */
                duban_para_add_from(&val, t, i, value_at);
        } else if (cur != KV_NONE) {
            duban_para_add(&val, t, i);
        }
        last = i;
        i = gw_next_usable(t, i + 1, end);
    }
    duban_para_free(&task);
    duban_para_free(&val);
    *after = last + 1;
    return true;
}

/* ---- tables printed with their cells glued (no separator left) ---- */

bool gw_glued_header(walk_t *w, const char *s, size_t len)
{
    static const char *const lead[] = {"牵头部门", "牵头单位", "责任单位", "责任部门", NULL};
    static const char *const coop[] = {"配合部门", "配合单位", "协办单位", "参与单位", NULL};
    char b[256];
    if (len > 3 * 60 || memchr(s, ' ', len) || memchr(s, '\t', len) || memchr(s, '|', len))
        return false;
    size_t n = squeeze(s, len, b, sizeof(b));
    if (!duban_starts(b, n, "序号") || !(contains(b, n, "任务") || contains(b, n, "内容")))
        return false;
    const char *l = NULL, *c = NULL;
    for (size_t k = 0; lead[k] && !l; k++)
        l = duban_find(b, n, lead[k], strlen(lead[k]));
    for (size_t k = 0; coop[k] && !c; k++)
        c = duban_find(b, n, coop[k], strlen(coop[k]));
    if (!l)
        return false;
    w->glued = true;
    w->glued_coop = c && c > l;
    return true;
}

/* A unit-like end, or a court's division (刑一庭, 民二庭; not 家庭). */
static bool glued_unit_end(const char *s, size_t n)
{
    return gw_unit_like_end(s, n) ||
           (n >= 6 && duban_ends(s, n, "庭") && !duban_ends(s, n, "家庭"));
}

/* s (n bytes) is one unit cell, or two glued ("政治处各部门", "刑二庭刑一庭"):
 * the cut between them, n when it is one, 0 when it is no unit cell. */
static size_t glued_units_cut(const char *s, size_t n)
{
    if (n < 6 || n > 3 * 30 || contains(s, n, "，") || contains(s, n, "。") ||
        contains(s, n, "：") || !glued_unit_end(s, n))
        return 0;
    for (size_t i = 0; i < n; i += (unsigned char)s[i] >= 0xE0 ? 3 : 1)
        if ((unsigned char)s[i] < 0xE0 && s[i] != '(' && s[i] != ')')
            return 0; /* Chinese names only */
    for (size_t i = 0; i + 6 <= n; i += (unsigned char)s[i] >= 0xE0 ? 3 : 1) /* by character */
        if (i >= 6 && glued_unit_end(s, i) && glued_unit_end(s + i, n - i) &&
            !duban_starts(s + i, n - i, "、"))
            return i;
    return n;
}

void gw_glued_para(walk_t *w, duban_para_t *p)
{
    size_t k = 0;
    /* "1持续加强科学理论武装1.强化…": the row's number and name, then its first sub-item */
    while (k < p->len && k < 2 && is_digit(p->buf[k]))
        k++;
    if (k > 0 && k < p->len && (unsigned char)p->buf[k] >= 0xE0) {
        const char *one = NULL;
        for (size_t i = k; i + 2 < p->len && i < 3 * 40 && !one; i++)
            if (p->buf[i] == '1' && !is_digit(p->buf[i - 1]) &&
                (p->buf[i + 1] == '.' || duban_starts(p->buf + i + 1, p->len - i - 1, "、")))
                one = p->buf + i;
        if (one) {
            size_t cut = (size_t)(one - p->buf);
            memmove(p->buf, p->buf + cut, p->len - cut + 1);
            p->len -= cut;
            for (size_t i = 0; i < p->nseg; i++)
                p->pos[i] = p->pos[i] > cut ? p->pos[i] - cut : 0;
        }
    }
    /* the unit cells: after the last 。, or the whole paragraph */
    size_t tail = 0;
    for (const char *q = p->buf; (q = duban_find(q, p->len - (size_t)(q - p->buf), "。", 3)) != NULL;
         q += 3)
        tail = (size_t)(q - p->buf) + 3;
    while (tail < p->len && (p->buf[tail] == ' ' || p->buf[tail] == '\n'))
        tail++;
    size_t n = p->len - tail, cut = glued_units_cut(p->buf + tail, n);
    if (cut == 0)
        return;
    /* a cell of its own: on a line of its own, as the items' shared clause
     * is when the cells are printed apart */
    const char *nl = tail > 0 ? "\n" : "";
    char clause[512];
    int m = cut < n && w->glued_coop
                ? snprintf(clause, sizeof(clause), "%s（牵头单位：%.*s；配合单位：%.*s）", nl,
                           (int)cut, p->buf + tail, (int)(n - cut), p->buf + tail + cut)
                : snprintf(clause, sizeof(clause), "%s（牵头单位：%.*s）", nl, (int)n,
                           p->buf + tail);
    if (m <= 0 || (size_t)m >= sizeof(clause) || !duban_para_reserve(p, (size_t)m, 0))
        return;
    memcpy(p->buf + tail, clause, (size_t)m + 1);
    p->len = tail + (size_t)m;
}
