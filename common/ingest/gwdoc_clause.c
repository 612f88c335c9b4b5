/* common/ingest/gwdoc_clause.c: responsibility clauses: labelled
 * (牵头单位：…，配合单位：…), inline (X牵头，Y配合), bare unit brackets and
 * prose subjects; the unit lists they name (duban_gwdoc_responsibility). */
#include "gwdoc_int.h"

/* Unit labels printed as a role and a noun: any role word before any unit
 * noun (牵头单位, 责任处室, 联办单位, 配合责任部门, 落实股室), so that a city's
 * own pairing reads as the pairings already seen. Longer role words before
 * the ones they end with (配合责任 before 责任). No 主管: 自然资源主管部门：
 * closes a list of addressees. */
typedef struct { const char *word; size_t len; role_t role; } role_word_t;
static const role_word_t ROLE_WORDS[] = {
    LBL("配合责任", ROLE_COOP), LBL("协同责任", ROLE_COOP), LBL("共同责任", ROLE_COOP),
    LBL("数据提供", ROLE_COOP),
    LBL("牵头责任", ROLE_LEAD), LBL("主体责任", ROLE_RESP), LBL("整改责任", ROLE_RESP),
    LBL("牵头", ROLE_LEAD),     LBL("主办", ROLE_LEAD),     LBL("主责", ROLE_LEAD),
    LBL("组长", ROLE_LEAD),     LBL("发起", ROLE_LEAD),
    LBL("责任", ROLE_RESP),     LBL("承办", ROLE_RESP),     LBL("负责", ROLE_RESP),
    LBL("实施", ROLE_RESP),     LBL("落实", ROLE_RESP),     LBL("执行", ROLE_RESP),
    LBL("配合", ROLE_COOP),     LBL("协办", ROLE_COOP),     LBL("参加", ROLE_COOP),
    LBL("参与", ROLE_COOP),     LBL("协同", ROLE_COOP),     LBL("协作", ROLE_COOP),
    LBL("协助", ROLE_COOP),     LBL("联办", ROLE_COOP),     LBL("参办", ROLE_COOP),
    LBL("会办", ROLE_COOP),     LBL("成员", ROLE_COOP),     LBL("支持", ROLE_COOP),
};

/* The labels no role word and noun compose: people, times, a bare 主办 /
 * 协办, 责任主体. Longer labels before the ones they end with. */
static const role_word_t LABELS[] = {
    LBL("整改验收单位", ROLE_COOP), LBL("整改实施主体", ROLE_LEAD), LBL("实施主体", ROLE_LEAD),
    LBL("责任主体", ROLE_RESP),     LBL("主办", ROLE_LEAD),         LBL("协办", ROLE_COOP),
    LBL("牵头", ROLE_LEAD),         LBL("主责", ROLE_LEAD),         LBL("配合", ROLE_COOP),
    LBL("协同", ROLE_COOP),
    LBL("牵头领导", ROLE_PERSON),   LBL("责任领导", ROLE_PERSON),   LBL("分管领导", ROLE_PERSON),
    LBL("牵头市领导", ROLE_PERSON), LBL("牵头区领导", ROLE_PERSON), LBL("牵头县领导", ROLE_PERSON),
    LBL("牵头省领导", ROLE_PERSON), LBL("责任人", ROLE_PERSON),     LBL("联系人", ROLE_PERSON),
    LBL("完成期限", ROLE_TIME),     LBL("办结时限", ROLE_TIME),     LBL("时限要求", ROLE_TIME),
    LBL("完成时限", ROLE_TIME),     LBL("整改时限", ROLE_TIME),     LBL("完成时间", ROLE_TIME),
    LBL("时间节点", ROLE_TIME),
};

/* A unit label (role word, unit noun, an optional 主要 before them) ending
 * at s[end]: sets *role and *start. */
bool gw_role_label_end(const char *s, size_t end, role_t *role, size_t *start)
{
#define W DUBAN_WORD
    static const duban_word_t nouns[] = {W("单位"), W("部门"), W("处室"), W("科室"), W("股室"),
                                         W("机关"), W("机构"), {NULL, 0}};
#undef W
    for (size_t k = 0; nouns[k].s; k++) {
        if (!duban_ends_word(s, end, &nouns[k]))
            continue;
        size_t e = end - nouns[k].n;
        for (size_t r = 0; r < sizeof(ROLE_WORDS) / sizeof(ROLE_WORDS[0]); r++) {
            size_t n = ROLE_WORDS[r].len;
            if (e >= n && memcmp(s + e - n, ROLE_WORDS[r].word, n) == 0) {
                *role = ROLE_WORDS[r].role;
                *start = e - n;
                if (duban_ends(s, *start, "主要")) /* 主要协作单位 */
                    *start -= 6;
                return true;
            }
        }
        return false;
    }
    return false;
}

/* s[0..n) is a unit label and nothing else (a table's header cell). */
bool gw_role_label_is(const char *s, size_t n, role_t *role)
{
    size_t st;
    return gw_role_label_end(s, n, role, &st) && st == 0;
}

/* A label ending just before the "：" at s[colon] (optionally followed by
 * （单位）): sets *role and *start. */
static bool label_before_colon(const char *s, size_t colon, role_t *role, size_t *start)
{
    size_t end = colon;
    /* a short bracketed qualifier: 牵头部门（单位）： 责任单位（部门）： */
    if (end >= 9 && memcmp(s + end - 3, "）", 3) == 0) {
        for (size_t b = end - 3, k = 0; b >= 3 && k < 6; b -= 3, k++)
            if (memcmp(s + b - 3, "（", 3) == 0) {
                end = b - 3;
                break;
            }
    }
    if (gw_role_label_end(s, end, role, start))
        return true;
    for (size_t k = 0; k < NLABELS; k++) {
        size_t n = LABELS[k].len;
        if (end >= n && s[end - 1] == LABELS[k].word[n - 1] &&
            memcmp(s + end - n, LABELS[k].word, n) == 0) {
            *role = LABELS[k].role;
            *start = end - n;
            return true;
        }
    }
    return false;
}

/* The label a line opens with, its colon within the first `window` bytes
 * after leading spaces: its role, and *qual the bytes of a qualifier
 * printed before it (整改完成时限： → 6, the bytes of 整改). */
static bool line_label(const char *s, size_t len, size_t window, role_t *role, size_t *qual)
{
    size_t i = 0, st;
    while (i < len && s[i] == ' ')
        i++;
    const char *col = duban_find(s + i, len - i < window ? len - i : window, "：", 3);
    if (!col || !label_before_colon(s, (size_t)(col - s), role, &st) || st < i)
        return false;
    *qual = st - i;
    return true;
}

bool gw_time_label_line(const char *s, size_t len)
{
    role_t r;
    size_t qual;
    /* "完成时限：", "整改完成时限：" (a short qualifier before the label) */
    return line_label(s, len, 30, &r, &qual) && r == ROLE_TIME && qual <= 6;
}

bool gw_unit_label_line(const char *s, size_t len)
{
    role_t r;
    size_t qual;
    return line_label(s, len, 45, &r, &qual) && (r == ROLE_LEAD || r == ROLE_RESP) && qual == 0;
}

/* A deadline phrase starts at s[i] (2023年6月底前, 6月底前, 年底前, 长期坚持,
 * 每季度, 上半年): after a unit list's ， it ends the list
 * ("（责任单位：区教育局，2023年12月底前）"). */
static bool deadline_starts(const char *s, size_t len, size_t i)
{
    static const char *const words[] = {"年底", "年内", "长期", "持续", "每季度", "每月", "每年",
                                        "每半年", "上半年", "下半年", "即日起", "立即", NULL};
    size_t d = i;
    while (d < len && is_digit(s[d]))
        d++;
    if (d > i && d - i <= 4 && (duban_at(s, len, d, "年") || duban_at(s, len, d, "月")))
        return true;
    for (size_t k = 0; words[k]; k++)
        if (duban_at(s, len, i, words[k]))
            return true;
    return false;
}

/* End of a labelled list that starts at s[i]: a closing bracket of the
 * enclosing clause, 。 ； or a line break, the next label, or a ， before a
 * deadline phrase. */
static size_t list_end(const char *s, size_t len, size_t i)
{
    int depth = 0;
    role_t r;
    size_t st;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            return i;
        if ((c == 0xEF && duban_starts(s + i, len - i, "（")) ||
            (c == 0xE3 && duban_starts(s + i, len - i, "〔")))
            depth++; /* 相关县〔市、区〕政府: a bracket inside a name */
        else if (depth > 0 && ((c == 0xEF && duban_starts(s + i, len - i, "）")) ||
                               (c == 0xE3 && duban_starts(s + i, len - i, "〕"))))
            depth--;
        else if (c == 0xEF && duban_starts(s + i, len - i, "）"))
            return i;
        else if (depth == 0 && ((c == 0xE3 && (duban_starts(s + i, len - i, "〕") ||
                                                 duban_starts(s + i, len - i, "】"))) ||
                                  c == ']' || (c == 0xEF && duban_starts(s + i, len - i, "］")))) {
            return i; /* [责任单位：…] closes with its bracket */
        } else if (depth == 0 && c == 0xE3 && duban_starts(s + i, len - i, "【")) {
            return i; /* the next label in its own brackets: "…【配合单位】…" */
        } else if (depth == 0 && ((c == 0xE3 && duban_starts(s + i, len - i, "。")) ||
                                  (c == 0xEF && duban_starts(s + i, len - i, "；")) ||
                                  (c == 0xEF && duban_starts(s + i, len - i, "，") &&
                                   deadline_starts(s, len, i + 3))))
            return i;
        else if (((c == 0xEF && duban_starts(s + i, len - i, "：")) ||
                  duban_starts(s + i, len - i, "为") || duban_starts(s + i, len - i, "是")) &&
                 label_before_colon(s, i, &r, &st)) {
            /* the next label: "…：X，配合单位为Y，完成时限为…" */
            if (st >= 3 && duban_starts(s + st - 3, len - st + 3, "，"))
                st -= 3;
            return st;
        }
        i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    }
    return len;
}

void gw_clause_free(clause_t *c)
{
    duban_strlist_free(&c->lead);
    duban_strlist_free(&c->coop);
    duban_strlist_free(&c->resp);
}

/* Whether the document being walked is a national organ's own (国务院办公厅,
 * a ministry, 最高人民法院): then no unit it names is above it. Per thread,
 * set by the walk for each document (gw_walk_national). */
static _Thread_local bool walk_is_national;

void gw_walk_national(bool on)
{
    walk_is_national = on;
}

bool gw_is_national(const char *u)
{
    if (walk_is_national)
        return false; /* the document's own addressees */
    static const char *const pre[] = {"国务院", "国家", "中央", "全国", "中共中央", "最高人民",
                                      "党中央", NULL};
    static const char *const ministry[] = {"部", "署", "总局", NULL};
    static const char *const local[] = {"区", "市", "县", "镇", "乡", "旗", "州", "省", "街道",
                                        "委", NULL};
    /* a body's own departments, never a ministry: the court's 政治部, a
     * company's 工程部, a party committee's 组织部 named without it */
    static const char *const inner[] = {"政治部", "工程部", "财务部", "市场部", "组织部", "宣传部",
                                        "统战部", "人事部门", "综合部", "业务部", "办公部", NULL};
    size_t len = strlen(u);
    for (size_t k = 0; pre[k]; k++)
        if (duban_starts(u, len, pre[k]))
            return true;
    if (!ends_any(u, len, ministry) || ends_any(u, len, inner))
        return false;
    for (size_t k = 0; local[k]; k++)
        if (contains(u, len, local[k]))
            return false;
    return true;
}

static bool span_national(const char *s, size_t len)
{
    return contains(s, len, "国务院") || contains(s, len, "各地区") || contains(s, len, "各省");
}

/* Where a printed name holds two names run together (a flattened cell:
 * "区财政局区发改局"): after a bureau's ending, before a jurisdiction that
 * starts a name ending like a unit. 0 when there is none (市公安局大武口区分局
 * is one name). */
static size_t run_together(const char *u, size_t n)
{
    static const char *const end[] = {"局", "委", "办", "中心", NULL};
    static const char *const jur[] = {"区", "市", "县", "省", "镇", "乡", NULL};
    for (size_t i = 9; i + 9 <= n; i += 3) {
        if (!ends_any(u, i, end))
            continue;
        for (size_t k = 0; jur[k]; k++)
            if (duban_starts(u + i, n - i, jur[k]) && gw_unit_like_end(u + i, n - i) &&
                !duban_starts(u + i, n - i, "区分局") && !duban_starts(u + i, n - i, "市分局"))
                return i;
    }
    return 0;
}

void gw_add_units(const char *s, size_t len, duban_strlist_t *out)
{
    static const char *const open[] = {"〔", "【", "（", NULL};
    static const char *const close[] = {"〕", "】", "）", NULL};
    while (len > 0 && (duban_starts(s, len, "—") || duban_starts(s, len, "－") || *s == '-')) {
        size_t d = *s == '-' ? 1 : 3; /* "——X牵头": the dash that sets the clause off */
        s += d;
        len -= d;
    }
    for (size_t k = 0; open[k]; k++) /* "〔市经信局、市发改委负责，…" cut before its 〕 */
        if (duban_starts(s, len, open[k]) && !duban_find(s, len, close[k], 3)) {
            s += 3;
            len -= 3;
            break;
        }
    duban_strlist_t tmp = DUBAN_STRLIST_INIT;
    duban_dept_split_units(s, len, &tmp);
    for (size_t i = 0; i < tmp.count; i++) {
        const char *u = tmp.items[i];
        size_t n = strlen(u), cut = run_together(u, n);
        if (n <= 3 && (unsigned char)u[0] >= 0xE0 && !strstr("镇乡村区县市", u))
            continue; /* one character, "…（乡村振兴局）、发", "…": a name cut off, no unit
                       * (镇、街道: the towns are one) */
        /* names run together, as many as there are ("市发改委市财政局市统计局":
         * a list whose spaces the page lost) */
        while (cut) {
            char a[256];
            snprintf(a, sizeof(a), "%.*s", (int)cut, u);
            duban_strlist_push_unique(out, a);
            u += cut;
            n -= cut;
            cut = run_together(u, n);
        }
        duban_strlist_push_unique(out, u);
    }
    duban_strlist_free(&tmp);
}

static size_t gap_is_separator(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        static const char *const seps[] = {"，", "；", "。", "（", "）", "、", "【", "】", NULL};
        size_t n = gw_match_any(s + i, to - i, seps);
        if (n) { i += n; continue; }
        if (s[i] == ' ' || s[i] == '\n' || s[i] == ',') { i++; continue; }
        return false;
    }
    return true;
}

/* "省政府办公厅、省财政厅牵头，省商务厅、省文旅厅（…下同）": units marked
 * 牵头, then a list with no verb of its own, outside any bracket; the marked
 * ones lead and the rest cooperate. True when it read so, the units added
 * to c. */
static bool lead_then_list(const char *s, size_t len, clause_t *c)
{
    size_t depth = 0, mark = SIZE_MAX;
    for (size_t i = 0; i < len;) {
        if (duban_starts(s + i, len - i, "（"))
            depth++;
        else if (duban_starts(s + i, len - i, "）") && depth > 0)
            depth--;
        else if (depth == 0 && duban_starts(s + i, len - i, "牵头，")) {
            if (mark != SIZE_MAX)
                return false; /* two marks: for gw_parse_inline */
            mark = i;
        }
        i += ((unsigned char)s[i] >= 0xE0) ? 3 : 1;
    }
    if (mark == SIZE_MAX)
        return false;
    size_t lead_end = gw_trim_list_end(s, 0, mark), rest = mark + 9;
    const char *br = duban_find(s + rest, len - rest, "（", 3);
    size_t rest_end = br ? (size_t)(br - s) : len;
    if (lead_end == 0 || !gw_unit_like_end(s, lead_end) || rest_end <= rest ||
        !gw_unit_like_end(s + rest, gw_trim_list_end(s, rest, rest_end) - rest) ||
        gw_verb_suffix(s + rest, rest_end - rest, LEAD_VERBS) ||
        gw_verb_suffix(s + rest, rest_end - rest, COOP_VERBS))
        return false;
    gw_add_units(s, lead_end, &c->lead);
    gw_add_units(s + rest, len - rest, &c->coop);
    c->has_lead_label = true;
    return true;
}

/* A labelled list whose parts carry role verbs ("X牵头，Y配合") names both
 * roles: true when it did, the units added to c. */
static bool role_verbs_split(const char *s, size_t len, clause_t *c)
{
    if (!contains(s, len, "牵头"))
        return false;
    if (!(contains(s, len, "配合") || contains(s, len, "参与") || contains(s, len, "协办")))
        return lead_then_list(s, len, c);
    clause_t in;
    memset(&in, 0, sizeof(in));
    bool ok = gw_parse_inline(s, len, &in) && in.lead.count > 0 && in.coop.count > 0;
    if (ok) {
        for (size_t i = 0; i < in.lead.count; i++) duban_strlist_push_unique(&c->lead, in.lead.items[i]);
        for (size_t i = 0; i < in.coop.count; i++) duban_strlist_push_unique(&c->coop, in.coop.items[i]);
        c->has_lead_label = true;
    }
    gw_clause_free(&in);
    return ok;
}

/* A labelled list ends at a comma after its role verb when what follows
 * is no list of units: "责任科室（单位）：办公室牵头，局办公室将攻坚举措列入…"
 * ends after 牵头 (a list that goes on, "X牵头，Y、Z", is lead_then_list's). */
static size_t verb_comma_end(const char *s, size_t ls, size_t le)
{
    for (size_t p = ls; p < le;) {
        const char *c = duban_find(s + p, le - p, "，", 3);
        if (!c)
            break;
        size_t at = (size_t)(c - s), next = at + 3, seg_end = next;
        while (seg_end < le && !duban_at(s, le, seg_end, "，") && !duban_at(s, le, seg_end, "（"))
            seg_end += (unsigned char)s[seg_end] >= 0xE0 ? 3 : 1;
        size_t n = gw_trim_list_end(s, next, seg_end) - next;
        if ((gw_verb_suffix(s + ls, at - ls, LEAD_VERBS) ||
             gw_verb_suffix(s + ls, at - ls, COOP_VERBS)) &&
            !gw_unit_like_end(s + next, n) && !gw_verb_suffix(s + next, n, LEAD_VERBS) &&
            !gw_verb_suffix(s + next, n, COOP_VERBS))
            return at;
        p = next;
    }
    return le;
}

/* The first 为 or 是 in s[0..n) (a label's copula: 牵头单位为…, 主责单位是…). */
static const char *copula(const char *s, size_t n)
{
    const char *wei = duban_find(s, n, "为", 3);
    const char *shi = duban_find(s, wei ? (size_t)(wei - s) : n, "是", 3);
    return shi ? shi : wei;
}

/* The first "】" at or after s[from] that closes a label opened by "【"
 * ("【牵头单位】县住建局【配合单位】各乡镇"): it stands for the label's colon. */
static const char *label_bracket_close(const char *s, size_t from, size_t len)
{
    for (const char *p = s + from; (p = duban_find(p, (size_t)(s + len - p), "】", 3)); p += 3) {
        role_t r;
        size_t st, at = (size_t)(p - s);
        if (label_before_colon(s, at, &r, &st) && st >= from + 3 &&
            duban_starts(s + st - 3, 3, "【"))
            return p;
    }
    return NULL;
}

/* A list that names its lead in a note after it: "X、Y，其中X为牵头单位" (or
 * 其中X牵头): X leads, the others cooperate. False when there is no such note. */
static bool named_lead_note(const char *s, size_t len, clause_t *c)
{
    const char *q = duban_find(s, len, "其中", 6);
    if (!q || q - s < 6)
        return false;
    size_t at = (size_t)(q - s) + 6, list_end = (size_t)(q - s);
    const char *w = duban_find(s + at, len - at, "牵头", 6);
    if (!w || (size_t)(w - s) <= at)
        return false;
    size_t name_end = (size_t)(w - s);
    if (duban_ends(s, name_end, "为"))
        name_end -= 3;
    while (list_end >= 3 && (duban_ends(s, list_end, "，") || duban_ends(s, list_end, "。")))
        list_end -= 3;
    if (name_end <= at || list_end == 0)
        return false;
    char lead[256];
    snprintf(lead, sizeof(lead), "%.*s", (int)(name_end - at), s + at);
    duban_strlist_t all = DUBAN_STRLIST_INIT;
    gw_add_units(s, list_end, &all);
    bool named = false;
    for (size_t i = 0; i < all.count; i++)
        named |= strcmp(all.items[i], lead) == 0;
    if (named) {
        duban_strlist_push_unique(&c->lead, lead);
        for (size_t i = 0; i < all.count; i++)
            if (strcmp(all.items[i], lead) != 0)
                duban_strlist_push_unique(&c->coop, all.items[i]);
        c->has_lead_label = true;
    }
    duban_strlist_free(&all);
    return named;
}

static size_t find_labelled(const char *s, size_t len, clause_t *cl, size_t max)
{
    size_t nc = 0, last_end = 0;
    bool open = false, lenticular = duban_find(s, len, "【", 3) != NULL;
    for (size_t from = 0; from < len;) {
        const char *col = duban_find(s + from, len - from, "：", 3);
        const char *bc = lenticular ? label_bracket_close(s, from, len) : NULL;
        if (bc && (!col || bc < col))
            col = bc;
        /* "4项目标的责任单位均为市发展改革委", "该目标责任单位为市经委", "主责单位
         * 是市交通委": 为 or 是 as the colon */
        const char *wei = copula(s + from, (size_t)((col ? col : s + len) - (s + from)));
        size_t lab_end = 0;
        for (; wei; wei = copula(wei + 3, (size_t)((col ? col : s + len) - (wei + 3)))) {
            size_t e = (size_t)(wei - s);
            if (e >= 3 && duban_starts(s + e - 3, len - e + 3, "均"))
                e -= 3;
            role_t r;
            size_t st;
            if (label_before_colon(s, e, &r, &st) && st >= from && r != ROLE_TIME && r != ROLE_PERSON) {
                lab_end = e;
                col = wei;
                break;
            }
        }
        if (!col)
            break;
        size_t cpos = (size_t)(col - s), i;
        role_t role;
        if (!label_before_colon(s, lab_end ? lab_end : cpos, &role, &i) || i < from) {
            from = cpos + 3;
            continue;
        }
        size_t ll = cpos + 3 - i;
        size_t ls = i + ll;
        while (ls < len && (s[ls] == '\n' || s[ls] == ' '))
            ls++; /* "（【牵头单位】" at a line's end, its units on the next line */
        size_t le = verb_comma_end(s, ls, list_end(s, len, ls));
        if (!open || !gap_is_separator(s, last_end, i)) {
            if (nc == max)
                break;
            memset(&cl[nc], 0, sizeof(cl[nc]));
            size_t st = i;
            if (st >= 3 && (duban_starts(s + st - 3, len - st + 3, "（") ||
                            duban_starts(s + st - 3, len - st + 3, "〔") ||
                            duban_starts(s + st - 3, len - st + 3, "【")))
                st -= 3;
            cl[nc].start = st;
            nc++;
            open = true;
        }
        clause_t *c = &cl[nc - 1];
        if (role != ROLE_COOP && named_lead_note(s + ls, le - ls, c)) {
            /* 责任单位：X、Y，其中X为牵头单位: X leads, Y cooperates */
        } else if (role != ROLE_COOP && role_verbs_split(s + ls, le - ls, c)) {
            /* 责任单位：X牵头，Y配合: the verbs decide */
        } else if (role == ROLE_LEAD) {
            gw_add_units(s + ls, le - ls, &c->lead);
            c->has_lead_label = true;
        } else if (role == ROLE_COOP) {
            gw_add_units(s + ls, le - ls, &c->coop);
        } else if (role == ROLE_RESP) {
            size_t had = c->resp.count;
            gw_add_units(s + ls, le - ls, &c->resp);
            /* "责任单位：市环保局、市国土资源局，市财政局、…": the first group, for a
             * document that says its first-listed units lead (bold_group_leads) */
            const char *comma = duban_find(s + ls, le - ls, "，", 3);
            if (comma && had == 0) {
                duban_strlist_t g = DUBAN_STRLIST_INIT;
                gw_add_units(s + ls, (size_t)(comma - (s + ls)), &g);
                if (g.count > 0 && g.count < c->resp.count)
                    c->first_group = g.count;
                duban_strlist_free(&g);
            }
        }
        size_t e = le;
        if (duban_starts(s + e, len - e, "）") || duban_starts(s + e, len - e, "〕") ||
            duban_starts(s + e, len - e, "】"))
            e += 3;
        c->end = e;
        last_end = le;
        from = le > cpos + 3 ? le : cpos + 3;
    }
    return nc;
}

#define W DUBAN_WORD
const duban_word_t LEAD_VERBS[] = {
    W("分别牵头落实"), W("分别负责落实"), W("共同牵头落实"), W("共同负责落实"), W("牵头完成"),
    W("牵头落实"), W("负责落实"), W("具体落实"), W("按照职责分工负责"), W("按各自职责负责"),
    W("负总责"), W("牵头抓总"), W("按职责分工负责"), W("按职责分别负责"), W("按职责分别牵头"),
    W("按职责负责"), W("按职能分工负责"), W("按职能分工落实"), W("按职责分工落实"),
    W("按属地分别负责"), W("按属地负责"), W("属地负责"),
    W("分别牵头负责"), W("分别牵头"), W("牵头负责"), W("共同牵头"), W("牵头"), W("主办"),
    W("承办"), W("共同负责"), W("分别负责"), W("分工负责"), W("具体负责"), W("负责"), {NULL, 0}};
const duban_word_t COOP_VERBS[] = {
    W("配合完成"), W("协助配合"), W("共同配合"), W("密切配合"), W("积极配合"), W("全力配合"),
    W("配合"), W("协办"), W("参与"), W("协助"),
    W("协同"), {NULL, 0}};
#undef W

/* The role verb that ends s[0..len) (X牵头, Y配合, X按职责分工负责), or a
 * role verb and the work it does (Y配合落实, X牵头实施, Y协助推进): its
 * bytes, 0 when none. */
size_t gw_verb_suffix(const char *s, size_t len, const duban_word_t *verbs)
{
#define W DUBAN_WORD
    static const duban_word_t work[] = {W("落实"), W("实施"), W("完成"), W("推进"), W("办理"),
                                        W("执行"), {NULL, 0}};
#undef W
    for (size_t k = 0; verbs[k].s; k++)
        if (duban_ends_word(s, len, &verbs[k]))
            return verbs[k].n;
    /* "X为责任单位", "Y为配合单位": 为 and a unit label say the role */
    role_t role;
    size_t st;
    if (gw_role_label_end(s, len, &role, &st) && duban_ends(s, st, "为") &&
        (verbs == LEAD_VERBS ? role != ROLE_COOP : verbs == COOP_VERBS && role == ROLE_COOP))
        return len - st + 3;
    for (size_t w = 0; work[w].s; w++) {
        if (!duban_ends_word(s, len, &work[w]))
            continue;
        for (size_t k = 0; verbs[k].s; k++)
            if (duban_ends_word(s, len - work[w].n, &verbs[k]))
                return verbs[k].n + work[w].n;
    }
    return 0;
}

/* The part before a verb must end like a unit name. */
bool gw_unit_like_end(const char *s, size_t len)
{
    static const char *const u[] = {
        "局", "委", "办", "部", "院", "处", "镇", "街道", "心", "会", "所", "队", "司",
        "单位", "部门", "府", "区", "团", "联", "协", "社", "站", "厅", "室", "组", "乡", "村",
        "企业", "机构", "馆", "校", "行", "署", "场", "网", "台", "园", "板块", "片区", NULL};
    while (len >= 3 && (duban_ends(s, len, "分别") || duban_ends(s, len, "共同")))
        len -= 6;
    if (duban_ends(s, len, "城镇") || duban_ends(s, len, "小镇"))
        return false; /* 现代化美丽城镇, 特色小镇: a kind of place, not a township's government */
    /* a section of an office (基教科, 人秘科), not a field of study (学科, 本科) */
    static const char *const fields[] = {"学科", "本科", "专科", "百科", "文科", "理科", "工科",
                                         "分科", NULL};
    if (len >= 6 && duban_ends(s, len, "科") && !ends_any(s, len, fields))
        return true;
    return len >= 6 && ends_any(s, len, u);
}

/* Drops trailing 、，and spaces (a list cut before its verb). */
size_t gw_trim_list_end(const char *s, size_t a, size_t b)
{
    while (b > a && (s[b - 1] == ' ' || duban_ends(s + a, b - a, "、") || duban_ends(s + a, b - a, "，") ||
                     duban_ends(s + a, b - a, "。") || duban_ends(s + a, b - a, "等")))
        b -= s[b - 1] == ' ' ? 1 : 3;
    return b;
}

/* One "X牵头，Y配合" / "X按职责分工负责" group; false if not all parts
 * match. A part without a verb is a list continued after "，" (…分局，
 * 星海镇、各街道办事处配合完成): it takes the role of the next verb. */
/* A person named by a post: 副市长, 省长, 书记, 主任, 常务副区长 … */
bool gw_person_title_end(const char *s, size_t len)
{
    static const char *const posts[] = {"市长", "省长", "区长", "县长", "镇长", "乡长", "旗长",
                                        "州长", "书记", "主任", "部长", "局长", "秘书长", "主席",
                                        "领导", NULL};
    return len >= 6 && len <= 3 * 12 && ends_any(s, len, posts);
}

/* A person named bare: 2 or 3 Han characters that open with a common
 * surname and do not end like a unit or a place ("由王光玲牵头，九重镇落实",
 * a meeting's decisions). */
bool gw_person_name(const char *s, size_t len)
{
    static const char surnames[] =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
        "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
        "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤辛乔";
    static const char *const places[] = {"市", "县", "省", "州", "盟", "旗", NULL};
    if ((len != 6 && len != 9) || gw_unit_like_end(s, len) || ends_any(s, len, places))
        return false;
    for (size_t i = 0; i < len; i += 3)
        if ((unsigned char)s[i] < 0xE4 || (unsigned char)s[i] > 0xE9)
            return false;
    for (size_t k = 0; k + 3 <= sizeof(surnames) - 1; k += 3)
        if (memcmp(s, surnames + k, 3) == 0)
            return true;
    return false;
}

/* A unit with a bracketed note, "各镇（街）": its name ends like a unit's. */
static bool unit_with_note(const char *s, size_t len)
{
    if (duban_ends(s, len, "）")) {
        const char *op = NULL;
        for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), "（", 3)) != NULL; p += 3)
            op = p;
        if (op)
            len = (size_t)(op - s);
    }
    return gw_unit_like_end(s, len);
}

bool gw_parse_inline(const char *s, size_t len, clause_t *c)
{
    size_t st = 0, matched = 0, pend = SIZE_MAX;
    bool led = false; /* a part named the lead with 牵头: later 负责 parts cooperate */
    for (size_t i = 0; i <= len;) {
        /* "X牵头、Y配合": an enumeration comma after 牵头 ends the lead's part */
        bool sep = i == len || duban_starts(s + i, len - i, "，") || duban_starts(s + i, len - i, "；") ||
                   (duban_starts(s + i, len - i, "、") && duban_ends(s, i, "牵头"));
        if (!sep) {
            i += ((unsigned char)s[i] >= 0xE0) ? 3 : 1;
            continue;
        }
        size_t a = st, b = gw_trim_list_end(s, st, i);
        if (duban_starts(s + a, b - a, "由"))
            a += 3;
        size_t pv = 0;
        bool note = b > a && (duban_starts(s + a, b - a, "列第一位") ||
                              duban_starts(s + a, b - a, "排名第一") ||
                              (b - a <= 9 && (duban_starts(s + a, b - a, "下同") ||
                                              duban_starts(s + a, b - a, "以下同"))));
        /* "（2023年6月底前，X牵头，Y配合）": the deadline, no unit, before the roles */
        note |= b > a && deadline_starts(s, b, a) && !gw_verb_suffix(s + a, b - a, LEAD_VERBS) &&
                !gw_verb_suffix(s + a, b - a, COOP_VERBS);
        if (note || (b > a && (pv = gw_verb_suffix(s + a, b - a, LEAD_VERBS)) &&
                     gw_person_title_end(s + a, gw_trim_list_end(s, a, b - pv) - a))) {
            /* "分管副省长、协管副秘书长负责，省发展改革委牵头": persons, not units;
             * "…等负责，列第一位的为牵头部门，下同": a note on the list */
            pend = SIZE_MAX;
            st = i + (i < len ? 3 : 0);
            i = st;
            if (i >= len)
                break;
            continue;
        }
        if (b > a) {
            size_t v, from = pend != SIZE_MAX ? pend : a;
            /* a unit may carry its note: "县委组织部（县委人才办）牵头" */
            if ((v = gw_verb_suffix(s + a, b - a, COOP_VERBS)) &&
                unit_with_note(s + a, gw_trim_list_end(s, a, b - v) - a)) {
                gw_add_units(s + from, gw_trim_list_end(s, a, b - v) - from, &c->coop);
                pend = SIZE_MAX;
            } else if ((v = gw_verb_suffix(s + a, b - a, LEAD_VERBS)) &&
                       unit_with_note(s + a, gw_trim_list_end(s, a, b - v) - a)) {
                bool qiantou = contains(s + b - v, v, "牵头");
                size_t ue = gw_trim_list_end(s, a, b - v);
                /* "X牵头，Y等相关部门按职责分工负责": Y cooperates; "X会同Y负责":
                 * X leads, Y cooperates */
                if (led && !qiantou)
                    gw_add_units(s + from, ue - from, &c->coop);
                else
                    gw_add_lead_with_partners(s + from, ue - from, c);
                led |= qiantou;
                c->has_lead_label = true;
                pend = SIZE_MAX;
            } else if (led && duban_starts(s + a, b - a, "会同") && b - a > 6 &&
                       gw_unit_like_end(s + a + 6, b - a - 6) && pend == SIZE_MAX) {
                gw_add_units(s + a + 6, b - a - 6, &c->coop); /* "X牵头，会同Y" */
            } else if (gw_unit_like_end(s + a, b - a) && !contains(s + a, b - a, "。")) {
                if (pend == SIZE_MAX)
                    pend = a;
                st = i + (i < len ? 3 : 0);
                i = st;
                continue;
            } else if (matched > 0 && pend == SIZE_MAX && !unit_with_note(s + a, b - a)) {
                /* "（X等有关部门按职责分工负责，各项政策措施均需各市政府落实，
                 * 以下不再列出）": a note after the roles ends the clause */
                break;
            } else {
                return false;
            }
            matched++;
        }
        st = i + (i < len ? 3 : 0);
        i = st;
        if (i >= len)
            break;
    }
    return matched > 0 && pend == SIZE_MAX;
}

/* "…开展培训。（市人社局、市教育局）": a bracket at the end of a sentence
 * that holds nothing but unit names, with no role word, names the leads.
 * i and j are the offsets of its brackets in s. */
/* Where a note on the list starts in a bracket's text t[0..n): the 。 or ，
 * before "排名第一的为牵头单位，下同", "列第一位的为牵头单位", "下同"; n when
 * there is none. The note says which unit leads (first_listed_leads), it
 * names none. */
size_t gw_list_note_at(const char *t, size_t n)
{
    static const char *const note[] = {"排名第一", "排在第一", "排第一", "列第一", "第一位",
                                       "下同", "以下同", "黑体", "加粗", NULL};
    if (!duban_find(t, n, "第一", 6) && !duban_find(t, n, "下同", 6) &&
        !duban_find(t, n, "黑体", 6) && !duban_find(t, n, "加粗", 6))
        return n; /* every note holds one of them: most lines are passed here */
    /* a unit's own note stays its: 各设区市（含平潭综合实验区，下同）, the
     * innermost bracket open at the separator saying what the name includes */
    size_t open[8];
    int depth = 0;
    for (size_t i = 0; i + 3 < n; i += (unsigned char)t[i] >= 0xE0 ? 3 : 1) {
        bool wide = duban_at(t, n, i, "（");
        if (wide || t[i] == '(') {
            if (depth < 8)
                open[depth] = i + (wide ? 3 : 1);
            depth++;
        } else if ((duban_at(t, n, i, "）") || t[i] == ')') && depth > 0) {
            depth--;
        } else if (!(depth > 0 && depth <= 8 && duban_at(t, n, open[depth - 1], "含")) &&
                   (duban_at(t, n, i, "。") || duban_at(t, n, i, "，") || duban_at(t, n, i, "；")))
            for (size_t k = 0; note[k]; k++)
                if (duban_starts(t + i + 3, n - i - 3, note[k]))
                    return i;
    }
    return n;
}

/* Units alone in brackets, s[i] the opening one, s[j] the closing one;
 * a note on the list at their end (gw_list_note_at) is left out. */
/* Where the units end in a bracket's text s[a..e) that closes with a short
 * deadline after a comma or semicolon ("（县市场监管局，2024年8月底前）",
 * "（区财政局；年底前）"): the separator; e when there is none. */
static size_t units_before_deadline(const char *s, size_t a, size_t e)
{
    size_t sep = e;
    for (size_t k = a; k + 3 <= e; k += (unsigned char)s[k] >= 0xE0 ? 3 : 1)
        if (duban_at(s, e, k, "，") || duban_at(s, e, k, "；"))
            sep = k;
    if (sep == e || sep == a || e - sep - 3 > 3 * 16)
        return e;
    duban_deadline_ctx_t ctx = {2000, DUBAN_DATE_NONE, NULL, NULL};
    duban_deadline_t dl;
    char err[64];
    if (duban_deadline_extract(s + sep + 3, e - sep - 3, &ctx, &dl, err, sizeof(err)) ||
        !dl.text[0])
        return e;
    return sep;
}

/* Role word w in s[0..n), not as a unit's role mark ("X（牵头）、Y（配合）",
 * which finish_clauses reads). */
static bool role_word_outside_marks(const char *s, size_t n, const char *w)
{
    size_t wl = strlen(w);
    for (const char *p = s; (p = duban_find(p, (size_t)(s + n - p), w, wl)) != NULL; p += wl) {
        size_t at = (size_t)(p - s), after = at + wl;
        if (duban_starts(s + after, n - after, "单位"))
            after += 6;
        if (!(duban_ends(s, at, "（") && duban_starts(s + after, n - after, "）")))
            return true;
    }
    return false;
}

static bool bare_units(const char *s, size_t len, size_t i, size_t j, clause_t *c)
{
    size_t ue = i + 3 + gw_list_note_at(s + i + 3, j - i - 3);
    ue = units_before_deadline(s, i + 3, ue);
    size_t after = j + 3;
    while (after < len && s[after] == ' ')
        after++;
    bool at_end = after >= len || s[after] == '\n' || duban_starts(s + after, len - after, "。") ||
                  duban_starts(s + after, len - after, "；");
    size_t before = i; /* the bracket may stand on the next line: "…12%。\n（市发改委…）" */
    while (before > 0 && (s[before - 1] == '\n' || s[before - 1] == ' '))
        before--;
    bool after_sentence = before >= 3 && (duban_starts(s + before - 3, len - before + 3, "。") ||
                                          duban_starts(s + before - 3, len - before + 3, "；"));
    static const char *const roles[] = {"牵头", "配合", "负责", "参与", "协助", "主办", "协办",
                                        "职责", NULL};
    if (!at_end || !after_sentence || ue - i - 3 > 3 * 80)
        return false;
    for (size_t k = 0; roles[k]; k++)
        if (role_word_outside_marks(s + i, ue - i, roles[k]))
            return false; /* role words: a clause parse_inline did not follow */
    duban_strlist_t u = DUBAN_STRLIST_INIT;
    gw_add_units(s + i + 3, ue - i - 3, &u);
    /* every name reads as a unit, or the first and most of a list of
     * three or more do ("…、中储粮株洲直属库": a company's depot) */
    bool ok = u.count > 0;
    size_t like = 0;
    for (size_t k = 0; ok && k < u.count; k++) {
        const char *x = u.items[k];
        size_t xn = strlen(x);
        const char *br = duban_ends(x, xn, "）") ? strstr(x, "（") : NULL;
        if (br && br > x)
            xn = (size_t)(br - x); /* 各市（县）: the name before its bracket */
        /* 各市（县）: the governments of each, a unit as the others */
        bool unit = gw_unit_like_end(x, xn) || (duban_starts(x, xn, "各") && xn >= 6);
        like += unit;
        ok = (unit || (k > 0 && u.count >= 3)) && !gw_is_national(x);
    }
    ok = ok && like * 4 >= u.count * 3;
    if (ok) {
        gw_clause_free(c); /* what a failed gw_parse_inline left in it */
        memset(c, 0, sizeof(*c));
        c->lead = u;
        /* "〔林业厅、各地（市），发展改革委、财政厅…〕": the units before the
         * first comma, a group of their own */
        const char *comma = duban_find(s + i + 3, ue - i - 3, "，", 3);
        if (comma) {
            duban_strlist_t g = DUBAN_STRLIST_INIT;
            gw_add_units(s + i + 3, (size_t)(comma - (s + i + 3)), &g);
            if (g.count > 0 && g.count < u.count)
                c->first_group = g.count;
            duban_strlist_free(&g);
        }
    } else {
        duban_strlist_free(&u);
    }
    return ok;
}

/* Parenthesised inline clauses not already covered by labelled ones. */
/* In a bracket's text: where "，完成时限：" (a time label after a comma)
 * starts the comma, or NULL when the text has no such label or holds
 * another labelled part. */
static const char *time_label_after_comma(const char *s, size_t len)
{
    static const char *const times[] = {"完成时限：", "时限：", "完成时间：", "完成期限：", NULL};
    for (size_t k = 0; times[k]; k++) {
        const char *p = duban_find(s, len, times[k], strlen(times[k]));
        if (!p || p - s < 9)
            continue;
        if (duban_ends(s, (size_t)(p - s), "，") || duban_ends(s, (size_t)(p - s), "；"))
            return p - 3;
        if (duban_ends(s, (size_t)(p - s), ","))
            return p - 1;
    }
    return NULL;
}

/* Brackets an inline clause is printed in: （…） and, in some gazettes,
 * 〔…〕 (which also print a 发文字号's year: its text names no unit). */
static const char *const OPEN_BR[] = {"（", "〔"};
static const char *const CLOSE_BR[] = {"）", "〕"};

static size_t find_inline(const char *s, size_t len, clause_t *cl, size_t nc, size_t max)
{
    for (size_t i = 0; i + 3 <= len && nc < max;) {
        const char *op = NULL;
        size_t kind = 0;
        for (size_t k = 0; k < 2; k++) {
            const char *o = duban_find(s + i, len - i, OPEN_BR[k], 3);
            if (o && (!op || o < op)) {
                op = o;
                kind = k;
            }
        }
        if (!op)
            break;
        i = (size_t)(op - s);
        size_t j = i + 3;
        int depth = 0;
        while (j < len && j - i < 2000 && !(depth == 0 && duban_starts(s + j, len - j, CLOSE_BR[kind]))) {
            if (duban_starts(s + j, len - j, OPEN_BR[kind])) depth++;
            else if (duban_starts(s + j, len - j, CLOSE_BR[kind])) depth--;
            j += ((unsigned char)s[j] >= 0xE0) ? 3 : 1;
        }
        bool covered = false;
        for (size_t k = 0; k < nc; k++) /* a time label alone names no unit */
            if (i < cl[k].end && j > cl[k].start &&
                (cl[k].lead.count || cl[k].coop.count || cl[k].resp.count))
                covered = true;
        /* "（X、Y负责落实，完成时限：2022年10月）": the units before the time label */
        size_t ue = j;
        const char *tl = contains(s + i, j - i, "：") ? time_label_after_comma(s + i + 3, j - i - 3)
                                                      : NULL;
        if (tl)
            ue = (size_t)(tl - s);
        if (!covered && j < len && (tl || !contains(s + i, j - i, "："))) {
            memset(&cl[nc], 0, sizeof(cl[nc]));
            if (gw_parse_inline(s + i + 3, ue - i - 3, &cl[nc]) ||
                (!tl && bare_units(s, len, i, j, &cl[nc]))) {
                cl[nc].start = i;
                cl[nc].end = j + 3;
                nc++;
            } else {
                gw_clause_free(&cl[nc]);
            }
        }
        i = j < len ? j + 3 : len;
    }
    return nc;
}

static int cmp_clause(const void *a, const void *b)
{
    const clause_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* A role printed in brackets after a unit of a list ("责任单位：县发改局（牵头）、
 * 县财政局", "…、县住建局（配合）"): the marked unit leads (or cooperates), the
 * note goes, and once one is marked to lead the unmarked ones cooperate.
 * Moves the names of *list between lead and coop. */
static int role_mark(const char *u, size_t *name_len)
{
    static const struct { const char *mark; int role; } marks[] = {
        {"（牵头）", 1}, {"(牵头)", 1}, {"（牵头单位）", 1}, {"（主办）", 1}, {"（主责）", 1},
        {"（配合）", 2}, {"(配合)", 2}, {"（协办）", 2}, {"（参与）", 2}, {NULL, 0}};
    size_t n = strlen(u);
    for (size_t k = 0; marks[k].mark; k++) {
        size_t m = strlen(marks[k].mark);
        if (n > m && memcmp(u + n - m, marks[k].mark, m) == 0) {
            *name_len = n - m;
            return marks[k].role;
        }
    }
    *name_len = n;
    return 0;
}

void gw_role_marks(duban_strlist_t *list, duban_strlist_t *lead, duban_strlist_t *coop)
{
    bool marked_lead = false, any = false;
    size_t nl;
    for (size_t i = 0; i < list->count; i++) {
        int r = role_mark(list->items[i], &nl);
        marked_lead |= r == 1;
        any |= r != 0;
    }
    if (!any)
        return;
    duban_strlist_t keep = DUBAN_STRLIST_INIT;
    for (size_t i = 0; i < list->count; i++) {
        const char *u = list->items[i];
        int r = role_mark(u, &nl);
        char name[256];
        snprintf(name, sizeof(name), "%.*s", (int)nl, u);
        if (r == 1)
            duban_strlist_push_unique(lead, name);
        else if (r == 2 || marked_lead)
            duban_strlist_push_unique(coop, name);
        else
            duban_strlist_push_unique(&keep, name);
    }
    duban_strlist_free(list);
    *list = keep;
}

bool gw_marked_first(duban_strlist_t *lead, duban_strlist_t *marked)
{
    if (!marked->count) {
        duban_strlist_free(marked);
        return false;
    }
    for (size_t i = 0; i < lead->count; i++) /* as printed: the marked ones first */
        duban_strlist_push_unique(marked, lead->items[i]);
    duban_strlist_free(lead);
    *lead = *marked;
    return true;
}

/* Resolves 责任单位 (lead unless a lead label is present) and drops
 * national clauses. Returns the kept count. */
static size_t finish_clauses(const char *s, clause_t *cl, size_t nc, size_t *national_out)
{
    size_t w = 0, nat = 0;
    qsort(cl, nc, sizeof(*cl), cmp_clause);
    for (size_t k = 0; k < nc; k++) {
        clause_t *c = &cl[k];
        duban_strlist_t marked = DUBAN_STRLIST_INIT;
        gw_role_marks(&c->resp, &marked, &c->coop);
        gw_role_marks(&c->lead, &marked, &c->coop);
        c->has_lead_label |= gw_marked_first(&c->lead, &marked);
        duban_strlist_t *dst = c->has_lead_label ? &c->coop : &c->lead;
        for (size_t i = 0; i < c->resp.count; i++)
            duban_strlist_push_unique(dst, c->resp.items[i]);
        bool national = span_national(s + c->start, c->end - c->start) ||
                        (c->lead.count && gw_is_national(c->lead.items[0]));
        if (national || (c->lead.count == 0 && c->coop.count == 0)) {
            nat += national;
            gw_clause_free(c);
            continue;
        }
        cl[w++] = *c;
    }
    if (national_out)
        *national_out = nat;
    return w;
}

size_t gw_find_clauses(const char *s, size_t len, clause_t *cl, size_t max,
                           size_t *national)
{
    size_t nc = find_labelled(s, len, cl, max);
    nc = find_inline(s, len, cl, nc, max);
    return finish_clauses(s, cl, nc, national);
}

size_t gw_line_clauses(const char *s, size_t len, const size_t *starts, size_t nstarts,
                       clause_t *cl, size_t nc, size_t max)
{
    size_t added = 0;
    for (size_t k = 1; k < nstarts && nc + added < max; k++) { /* not the item's first line */
        size_t a = starts[k], b = k + 1 < nstarts ? starts[k + 1] : len;
        while (b > a && (s[b - 1] == '\n' || s[b - 1] == ' '))
            b--;
        if (b >= a + 3 && duban_ends(s + a, b - a, "。"))
            b -= 3; /* "各县（市、区）政府，市农业局、农机局负责落实。" */
        /* a line of its own that names who does it; commas only in a list
         * that 由 opens ("由市发展改革委，各县市区人民政府，…负责落实") or
         * between units (gw_parse_inline takes only units before the verb) */
        if (b <= a || b - a > 150 || b - a < 9 || contains(s + a, b - a, "。") ||
            !gw_verb_suffix(s + a, b - a, LEAD_VERBS))
            continue;
        bool covered = false;
        for (size_t j = 0; j < nc + added; j++)
            covered |= a < cl[j].end && b > cl[j].start;
        if (covered)
            continue;
        clause_t *c = &cl[nc + added];
        memset(c, 0, sizeof(*c));
        if (!gw_parse_inline(s + a, b - a, c) || c->lead.count == 0) {
            gw_clause_free(c);
            continue;
        }
        c->start = a;
        c->end = b;
        added++;
    }
    if (added)
        qsort(cl, nc + added, sizeof(*cl), cmp_clause);
    return nc + added;
}

size_t duban_gwdoc_responsibility(const char *text, size_t len, duban_strlist_t *lead,
                                  duban_strlist_t *coop)
{
    clause_t cl[MAX_CLAUSES];
    size_t nc = gw_find_clauses(text, len, cl, MAX_CLAUSES, NULL);
    for (size_t k = 0; k < nc; k++) {
        for (size_t i = 0; i < cl[k].lead.count; i++)
            duban_strlist_push_unique(lead, cl[k].lead.items[i]);
        for (size_t i = 0; i < cl[k].coop.count; i++)
            duban_strlist_push_unique(coop, cl[k].coop.items[i]);
        gw_clause_free(&cl[k]);
    }
    return nc;
}
