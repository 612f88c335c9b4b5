/* common/ingest/gwdoc_header.c: the documents of a text: 发文字号 anchors,
 * titles above or below them, recipients, signatures and dates, and the
 * header of a document printed without a number (a web release). */
#include "gwdoc_int.h"

/* ================================================================== */
/* Document numbers, dates, leaders                                     */

/* year brackets of a document number: 〔〕 and what pages print for them
 * (﹝﹞ small forms, 〖〗, 【】, square and round ones) */
static const char *const OPEN_B[] = {"〔", "[", "【", "（", "［", "(", "﹝", "〖", NULL};
static const char *const CLOSE_B[] = {"〕", "]", "】", "）", "］", ")", "﹞", "〗", NULL};

size_t gw_match_any(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (duban_starts(s, len, *list))
            return strlen(*list);
    return 0;
}

/* Prefix of a number: CJK chars and brackets, 1..20 chars. */
static bool docno_prefix_ok(const char *s, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = duban_utf8_decode(s + i, len - i, &cp);
        if (!duban_cp_is_cjk(cp) && cp != 0xFF08 && cp != 0xFF09)
            return false;
        i += n;
        chars++;
    }
    return chars >= 1 && chars <= 20 && len >= 3 && ((unsigned char)s[0] >= 0xE4);
}

/* A decree's number, "渝府令第121号" / "重庆市人民政府令 第 121 号": a
 * government's 令, 第, 1-4 digits, 号 (b squeezed, n bytes). */
static bool decree_number(const char *b, size_t n, char *out, size_t out_size)
{
    const char *ling = duban_find(b, n, "令第", 6);
    if (!ling || ling - b < 6 || !(duban_ends(b, (size_t)(ling - b), "府") ||
                                   duban_ends(b, (size_t)(ling - b), "政府")))
        return false;
    size_t d0 = (size_t)(ling - b) + 6, k = d0;
    while (k < n && is_digit(b[k]))
        k++;
    if (k == d0 || k - d0 > 4 || k + 3 != n)
        return false;
    for (size_t i = 0; i < (size_t)(ling - b); i += 3)
        if ((unsigned char)b[i] < 0xE0)
            return false; /* the issuer's name: Chinese characters only */
    int w = snprintf(out, out_size, "%.*s", (int)n, b);
    return w > 0 && (size_t)w < out_size;
}

bool duban_gwdoc_docno(const char *s, size_t len, char *out, size_t out_size)
{
    char b[256];
    if (len > 200 || len < 12 || !duban_ends(s, len, "号"))
        return false;
    size_t n = squeeze(s, len, b, sizeof(b));
    if (decree_number(b, n, out, out_size))
        return true;
    /* a legal database's field, its label glued on: "发文字号法办〔2019〕40号"
     * (with a colon, the line is the page's metadata: gw_meta_docno reads it) */
    size_t lab = duban_starts(b, n, "发文字号") && !duban_starts(b + 12, n - 12, "：") &&
                 !duban_starts(b + 12, n - 12, ":") ? 12 : 0;
    if (lab) {
        memmove(b, b + lab, n - lab + 1);
        n -= lab;
    }
    for (size_t i = 3; i < n; i++) {
        size_t ob = gw_match_any(b + i, n - i, OPEN_B);
        if (!ob || i + ob + 4 >= n)
            continue;
        size_t y = i + ob;
        if (!(is_digit(b[y]) && is_digit(b[y + 1]) && is_digit(b[y + 2]) && is_digit(b[y + 3])))
            continue;
        size_t cb = gw_match_any(b + y + 4, n - y - 4, CLOSE_B);
        if (!cb)
            continue;
        size_t k = y + 4 + cb, d0 = k;
        while (k < n && is_digit(b[k]))
            k++;
        if (k == d0 || k - d0 > 5 || !(k + 3 == n && duban_starts(b + k, n - k, "号")))
            return false;
        if (!docno_prefix_ok(b, i))
            return false;
        int w = snprintf(out, out_size, "%.*s〔%.4s〕%.*s号", (int)i, b, b + y, (int)(k - d0),
                         b + d0);
        return w > 0 && (size_t)w < out_size;
    }
    return false;
}

bool gw_has_leader_slow(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 3 < len; i++) {
        if (u[i] == '.' && u[i + 1] == '.' && u[i + 2] == '.' && u[i + 3] == '.')
            return true;
        if (i + 5 < len && ((u[i] == 0xC2 && u[i + 1] == 0xB7 && u[i + 2] == 0xC2 &&
                             u[i + 3] == 0xB7 && u[i + 4] == 0xC2 && u[i + 5] == 0xB7) ||
                            (u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0xA6 &&
                             u[i + 3] == 0xE2 && u[i + 4] == 0x80 && u[i + 5] == 0xA6) ||
                            (u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] == 0x8E &&
                             u[i + 3] == 0xEF && u[i + 4] == 0xBC && u[i + 5] == 0x8E)))
            return true;
    }
    return false;
}

bool gw_is_public_marker(const char *s, size_t len)
{
    return len < 48 && (contains(s, len, "此件公开发布") || contains(s, len, "此件不公开") ||
                        contains(s, len, "此件主动公开") || contains(s, len, "此件依申请公开"));
}

static const char *const ORGAN_END[] = {
    "政府", "委员会", "办公室", "办公厅", "委", "局", "厅", "部", "院", "会", "处", "室",
    "组", "中心", "指挥部", "党委", "党组", "政府办", "管委会", "街道办事处", "公署", NULL};

const char *const TITLE_END[] = {
    "通知", "决定", "意见", "批复", "通报", "报告", "函", "令", "公告", "通告", "纪要",
    "请示", "议案", "决议", "命令", "公示", "汇报", "总结", NULL};

static const char *const PLAN_END[] = {
    "方案", "计划", "规划", "办法", "制度", "细则", "规则", "意见", "要点", "清单", "预案",
    "标准", "规定", "纲要", "措施", "目录", "）", "机制", "名单", "守则", "章程", "规程",
    "导则", "政策", NULL};

static bool is_leader_line(const duban_line_t *L)
{
    if (gw_has_leader(L->s, L->len))
        return true;
    for (uint32_t i = 0; i < L->len; i++) {
        char c = L->s[i];
        if (!(is_digit(c) || c == '.' || c == ' ' || c == '\t'))
            return false;
    }
    return L->len > 0 && L->len < 8;
}

/* The "（" that the "）" at s[close] closes ("（汴政办（2005）34号）": the
 * first), or NULL. */
const char *gw_matching_open(const char *s, size_t close)
{
    int depth = 0;
    for (size_t i = close + 3; i >= 3; i--) {
        if (memcmp(s + i - 3, "）", 3) == 0)
            depth++;
        else if (memcmp(s + i - 3, "（", 3) == 0 && --depth == 0)
            return s + i - 3;
    }
    return NULL;
}

/* A number printed with glyphs lost (a page set in a font it did not
 * carry): "杨府办20213", "安〔20231号", "港政发〔20251" for 杨府办〔2021〕3号,
 * 安〔2023〕1号, 港政发〔2025〕1号. The whole text (s, len) is the prefix, an
 * opening bracket or none, the year and the number run together (no closing
 * bracket: else it is a number duban_gwdoc_docno reads), and 号 or none. */
static bool damaged_docno(const char *s, size_t len, char *num, size_t cap)
{
    char b[128];
    if (len > 96)
        return false;
    size_t n = squeeze(s, len, b, sizeof(b)), d = 0;
    while (d < n && !is_digit(b[d]))
        d++;
    size_t pre = d, k = d;
    bool bracket = false;
    for (size_t i = 0; OPEN_B[i] && !bracket; i++) { /* "港政发〔" */
        size_t ol = strlen(OPEN_B[i]);
        if (pre > ol && memcmp(b + pre - ol, OPEN_B[i], ol) == 0)
            pre -= ol, bracket = true;
    }
    /* without its bracket, a prefix that ends like one: 杨府办, not 完成 */
    static const char *const ends[] = {"发", "办", "函", "字", "政", "府", "委", "令", "电",
                                       "复", "规", "文", NULL};
    if (!bracket && !ends_any(b, pre, ends))
        return false;
    while (k < n && is_digit(b[k]))
        k++;
    bool hao = k + 3 == n && duban_starts(b + k, 3, "号");
    if (!(k == n || hao) || k - d < 5 || k - d > 8 || b[d + 4] == '0' || pre > 3 * 10 ||
        !docno_prefix_ok(b, pre) || contains(b, pre, "第"))
        return false;
    int year = (b[d] - '0') * 1000 + (b[d + 1] - '0') * 100 + (b[d + 2] - '0') * 10 + (b[d + 3] - '0');
    if (year < 1949 || year > 2099)
        return false;
    int w = snprintf(num, cap, "%.*s〔%.4s〕%.*s号", (int)pre, b, b + d, (int)(k - d - 4), b + d + 4);
    return w > 0 && (size_t)w < cap;
}

/* The document number at the end of line L: the whole line, the line in
 * brackets "（晋政发〔2008〕8号）", or a title followed by it ("…的实施意见
 * （池政〔2017〕101号）", "…的通知 豫政〔2023〕5号"). *cut is where the
 * number starts (0 when the line holds only the number); a title before
 * it must end like one (…通知 …意见 …方案). */
/* A title and its number printed with nothing between them: "…的通知鄂康
 * 政办发〔2022〕22号". Where the title ends, its last word a document's
 * (通知, 意见, 函 …) and the rest a number whose prefix has two characters
 * or more; the end nearest the number wins. 0 when there is none. */
static size_t glued_docno(const char *s, size_t len, char *num, size_t cap)
{
    if (len < 18 + 3 * 6 || !duban_ends(s, len, "号"))
        return 0; /* most lines: no number at their end, no scan */
    size_t floor = len > 3 * 40 ? len - 3 * 40 : 0;
    if (floor < 18)
        floor = 18;
    for (size_t head = len - 3 * 6; head >= floor && head < len; head--) {
        if (((unsigned char)s[head] & 0xC0) == 0x80)
            continue; /* not a character's first byte */
        if (ends_any(s, head, TITLE_END) && (unsigned char)s[head] >= 0xE4 &&
            (unsigned char)s[head + 3] >= 0xE4 && duban_gwdoc_docno(s + head, len - head, num, cap))
            return contains(s, head, "。") ? 0 : head;
    }
    return 0;
}

static bool docno_at_end(const duban_line_t *L, char *num, size_t cap, size_t *cut)
{
    *cut = 0;
    if (duban_gwdoc_docno(L->s, L->len, num, cap) || damaged_docno(L->s, L->len, num, cap))
        return true;
    size_t len = L->len;
    while (len > 0 && L->s[len - 1] == ' ')
        len--;
    const char *signer = duban_find(L->s, len, "签发人", 9);
    if (signer && signer > L->s && signer[-1] == ' ' && len - (size_t)(signer - L->s) <= 3 * 16) {
        /* "四铁西政督字〔2019〕7 号    签发人：刘中文": a report's header */
        len = (size_t)(signer - L->s);
        while (len > 0 && L->s[len - 1] == ' ')
            len--;
        return duban_gwdoc_docno(L->s, len, num, cap) || damaged_docno(L->s, len, num, cap);
    }
    size_t a = 0, b = len;
    if (!memchr(L->s, ' ', len) && (*cut = glued_docno(L->s, len, num, cap)) != 0)
        return true; /* "…编制工作的通知鄂康政办发〔2022〕22号" */
    if (duban_ends(L->s, len, "）")) { /* "(…号)", its year maybe in （） too */
        const char *op = gw_matching_open(L->s, len - 3);
        if (!op)
            return false;
        a = (size_t)(op - L->s) + 3;
        b = len - 3;
    } else {
        const char *sp = memrchr(L->s, ' ', len);
        if (!sp)
            return false;
        a = (size_t)(sp - L->s) + 1;
    }
    if (b <= a || !duban_gwdoc_docno(L->s + a, b - a, num, cap))
        return false;
    size_t head = a >= 3 && duban_starts(L->s + a - 3, len - a + 3, "（") ? a - 3 : a;
    while (head > 0 && L->s[head - 1] == ' ')
        head--;
    if (head == 0)
        return true; /* the number alone, in brackets */
    if (head < 18 || !(ends_any(L->s, head, TITLE_END) || ends_any(L->s, head, PLAN_END)) ||
        contains(L->s, head, "。"))
        return false;
    *cut = head;
    return true;
}

/* Anchor: a line ending in a document number (docno_at_end), with no
 * leader dots of a table of contents on it or right below it. */
bool gw_is_anchor(const duban_text_t *t, size_t i, char *num, size_t cap, size_t *cut)
{
    const duban_line_t *L = &t->lines[i];
    if (!gw_usable(L) || L->len > 400 || (L->flags & DUBAN_LINE_TAB))
        return false;
    if (!docno_at_end(L, num, cap, cut) || gw_has_leader(L->s, L->len))
        return false;
    size_t j = gw_next_usable(t, i + 1, t->nlines);
    if (j < t->nlines && is_leader_line(&t->lines[j]))
        return false;
    return true;
}

static bool meta_line(const duban_line_t *L);

static bool title_stop(const duban_line_t *L)
{
    if (meta_line(L))
        return true;
    static const char *const stop_end[] = {"。", "；", "：", "！", "？", NULL};
    return (L->flags & DUBAN_LINE_TAB) || ends_any(L->s, L->len, stop_end) ||
           gw_is_public_marker(L->s, L->len) || duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE ||
           gw_has_leader(L->s, L->len) || duban_starts(L->s, L->len, "附件") ||
           duban_starts(L->s, L->len, "附：") || L->len > 240 ||
           contains(L->s, L->len, "大事记") || contains(L->s, L->len, "http://") ||
           contains(L->s, L->len, "https://"); /* a link is no title's line */
}

static bool title_word(const char *s, size_t len)
{
    return contains(s, len, "关于") || contains(s, len, "印发") || ends_any(s, len, TITLE_END) ||
           ends_any(s, len, ORGAN_END);
}

/* First title line above anchor `a` (not above `floor`). */
size_t gw_find_title_start(const duban_text_t *t, size_t a, size_t floor)
{
    size_t cand[4], nc = 0;
    bool heading = false;
    for (size_t i = a; i > floor && nc < 4;) {
        i--;
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        if (title_stop(L))
            break;
        if (nc > 0 && heading && !(L->flags & DUBAN_LINE_HEADING))
            break;
        if (nc > 0 && L->len <= 30 && ends_any(L->s, L->len, TITLE_END))
            break; /* a short line ending like a title is a label of its own (印發通知) */
        if (nc == 0)
            heading = (L->flags & DUBAN_LINE_HEADING) != 0;
        cand[nc++] = i;
        if (L->flags & DUBAN_LINE_LEADSPACE) {
            /* an indented line starts the title (001: a page's first line)
             * when it reads as a start; an indented 关于… line takes the
             * issuer's line printed above it (四川省人民政府办公厅 /
             * 关于印发…涉及 / 政府工作…的通知, i05); an indented line
             * without 关于/印发 continues a title begun above */
            bool start = contains(L->s, L->len, "关于") || contains(L->s, L->len, "印发");
            if (!start && nc == 1)
                continue;
            size_t up = i;
            while (up > floor && !gw_usable(&t->lines[up - 1]))
                up--;
            if (start && up > floor && nc < 4) {
                const duban_line_t *U = &t->lines[up - 1];
                if (U->len <= 60 && U->len >= 15 && ends_any(U->s, U->len, ORGAN_END) &&
                    !title_stop(U) &&
                    (contains(U->s, U->len, "人民政府") || contains(U->s, U->len, "办公厅") ||
                     contains(U->s, U->len, "委员会") || duban_starts(U->s, U->len, "中共")))
                    cand[nc++] = up - 1;
            }
            break;
        }
    }
    if (nc == 0)
        return a;
    /* drop top lines that do not look like the start of a title */
    while (nc > 1) {
        const duban_line_t *top = &t->lines[cand[nc - 1]];
        if (title_word(top->s, top->len) || (top->flags & (DUBAN_LINE_LEADSPACE | DUBAN_LINE_HEADING)))
            break;
        nc--;
    }
    return cand[nc - 1];
}

char *gw_join_lines(const duban_text_t *t, size_t from, size_t to)
{
    size_t cap = 1;
    for (size_t i = from; i < to; i++)
        cap += t->lines[i].len;
    char *out = duban_xmalloc(cap);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = from; i < to; i++)
        if (gw_usable(&t->lines[i]))
            w += squeeze(t->lines[i].s, t->lines[i].len, out + w, cap - w);
    out[w] = '\0';
    return out;
}

/* Splits on 、，, and spaces outside brackets (recipients, issuers). */
static void split_list(const char *s, size_t len, bool on_space, duban_strlist_t *out)
{
    size_t st = 0;
    int depth = 0;
    for (size_t i = 0; i <= len;) {
        size_t step = 1;
        bool sep = i == len;
        if (!sep) {
            if (duban_starts(s + i, len - i, "（") || duban_starts(s + i, len - i, "《")) depth++;
            else if ((duban_starts(s + i, len - i, "）") || duban_starts(s + i, len - i, "》")) && depth) depth--;
            if ((unsigned char)s[i] >= 0xE0)
                step = 3;
            if (depth == 0 && (duban_starts(s + i, len - i, "、") || duban_starts(s + i, len - i, "，") ||
                               duban_starts(s + i, len - i, "；") || (on_space && s[i] == ' ')))
                sep = true;
        }
        if (sep) {
            char b[512];
            size_t n = squeeze(s + st, i - st, b, sizeof(b));
            while (n >= 3 && (duban_ends(b, n, "：") || duban_ends(b, n, "。")))
                b[n -= 3] = '\0';
            if (n)
                duban_strlist_push(out, b);
            st = i + (i < len ? step : 0);
        }
        i += step;
        if (i > len && !sep)
            break;
    }
}

static void set_jurisdiction(duban_gwdoc_doc_t *d)
{
    static const char *const j[] = {"区", "市", "县", "旗", NULL};
    const char *src = d->issuers.count ? d->issuers.items[0] : d->title;
    if (!src)
        return;
    size_t len = strlen(src);
    for (size_t k = 0; j[k]; k++) {
        char a[32], b[32], c[32];
        snprintf(a, sizeof(a), "%s人民政府", j[k]);
        snprintf(b, sizeof(b), "%s委", j[k]);
        snprintf(c, sizeof(c), "%s政府", j[k]);
        if (contains(src, len, a) || contains(src, len, b) || contains(src, len, c)) {
            snprintf(d->jurisdiction, sizeof(d->jurisdiction), "%s", j[k]);
            return;
        }
    }
}

/* Signature: 1-3 short organ lines above the date line. */
static void find_issuers(const duban_text_t *t, size_t date_li, size_t floor,
                         duban_gwdoc_doc_t *d)
{
    size_t lines[3], n = 0;
    static const char *const bad_end[] = {"。", "，", "；", "：", NULL};
    for (size_t i = date_li; i > floor && n < 3;) {
        i--;
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L) || gw_is_public_marker(L->s, L->len))
            continue;
        if (L->len > 150 || ends_any(L->s, L->len, bad_end) || contains(L->s, L->len, "《") ||
            !ends_any(L->s, L->len, ORGAN_END) || (L->flags & DUBAN_LINE_TAB))
            break;
        lines[n++] = i;
    }
    while (n > 0) {
        const duban_line_t *L = &t->lines[lines[--n]];
        split_list(L->s, L->len, true, &d->issuers);
    }
}

static char *plan_from_title(const char *title)
{
    const char *p = strstr(title, "印发");
    if (!p)
        return NULL;
    p += strlen("印发");
    const char *e = strstr(p, "的通知");
    if (!e) {
        size_t tl = strlen(p);
        e = p + tl;
    }
    if (duban_starts(p, (size_t)(e - p), "《") && e - p > 6 && !memcmp(e - 3, "》", 3))
        return dup_len(p + 3, (size_t)(e - p) - 6);
    return e > p ? dup_len(p, (size_t)(e - p)) : NULL;
}

/* The plan title after the signature: 1-3 lines ending like a plan name. */
static char *find_plan_title(const duban_text_t *t, size_t from, size_t end, const char *title)
{
    if (!strstr(title, "印发"))
        return NULL;
    size_t i = gw_next_usable(t, from, end);
    while (i < end && gw_is_public_marker(t->lines[i].s, t->lines[i].len))
        i = gw_next_usable(t, i + 1, end);
    size_t st = i, nl = 0, chars = 0;
    for (; i < end && nl < 3; i = gw_next_usable(t, i + 1, end)) {
        const duban_line_t *L = &t->lines[i];
        if (gw_line_is_item(L->s, L->len))
            break;
        if (duban_ends(L->s, L->len, "。") || duban_ends(L->s, L->len, "：") || (L->flags & DUBAN_LINE_TAB) ||
            duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE || duban_starts(L->s, L->len, "附件"))
            break;
        chars += L->len;
        nl++;
        if (ends_any(L->s, L->len, PLAN_END) || chars > 240)
            break;
    }
    if (nl > 0 && i < end && ends_any(t->lines[i].s, t->lines[i].len, PLAN_END) && chars <= 240) {
        char *s = gw_join_lines(t, st, i + 1);
        if (s && strlen(s) >= 12)
            return s;
        free(s);
    }
    return plan_from_title(title);
}

bool gw_is_trailer(const duban_line_t *L)
{
    return gw_usable(L) && L->len < 120 && contains(L->s, L->len, "大事记") &&
           !contains(L->s, L->len, "。") && !contains(L->s, L->len, "，");
}

duban_gwdoc_doc_t *gw_push_doc(duban_gwdoc_t *g)
{
    duban_gwdoc_doc_t *docs = duban_array_grow(g->docs, &g->capdocs, g->ndocs + 1,
                                               sizeof(*docs), 16);
    if (!docs)
        return NULL;
    g->docs = docs;
    duban_gwdoc_doc_t *d = &g->docs[g->ndocs++];
    memset(d, 0, sizeof(*d));
    d->issue_date = DUBAN_DATE_NONE;
    return d;
}

/* sha256 of the document's normalised lines: they lie back to back in the
 * text arena (NUL-separated), so one digest call covers the range. */
void gw_body_hash(const parse_t *P, duban_gwdoc_doc_t *d)
{
    const duban_text_t *t = P->t;
    const char *from = "", *to = from;
    if (d->end > d->start) {
        from = t->lines[d->start].s;
        to = t->lines[d->end - 1].s + t->lines[d->end - 1].len;
    }
    duban_sha256_hex(from, (size_t)(to - from), d->body_sha256);
}

/* Title lines right after the document number (1-3 lines ending like a
 * title, followed by the recipients line): returns the line after them,
 * or `from` when there are none. */
static size_t title_below(const duban_text_t *t, size_t from, size_t end)
{
    size_t i = from, n = 0, chars = 0;
    while (i < end && n < 3) {
        const duban_line_t *L = &t->lines[i];
        if (duban_ends(L->s, L->len, "：") || duban_ends(L->s, L->len, "。") || title_stop(L) ||
            chars + L->len > 240)
            return from;
        chars += L->len;
        n++;
        if (ends_any(L->s, L->len, TITLE_END) && (contains(L->s, L->len, "关于") || n > 1 ||
                                                  contains(L->s, L->len, "印发"))) {
            size_t r = gw_next_usable(t, i + 1, end);
            return r < end && duban_ends(t->lines[r].s, t->lines[r].len, "：") ? i + 1 : from;
        }
        i = gw_next_usable(t, i + 1, end);
    }
    return from;
}

/* "某某县人民政府办公室 2023年3月1日": where the date of a signature line
 * that ends in a date starts, 0 if it does not. */
static size_t date_suffix(const duban_line_t *L)
{
    for (size_t i = 6; i + 4 <= L->len; i++) {
        if (!(is_digit(L->s[i]) && is_digit(L->s[i + 1]) && is_digit(L->s[i + 2]) &&
              is_digit(L->s[i + 3])) || is_digit(L->s[i - 1]))
            continue;
        size_t p = i;
        while (p > 0 && L->s[p - 1] == ' ')
            p--;
        if (ends_any(L->s, p, ORGAN_END) &&
            duban_cn_date_line(L->s + i, L->len - i) != DUBAN_DATE_NONE)
            return i;
        return 0;
    }
    return 0;
}

static void read_recipients_and_signature(parse_t *P, duban_gwdoc_doc_t *d, size_t r,
                                          size_t from, size_t end);

/* Fills the header fields of document d anchored at line a. */
void gw_read_header(parse_t *P, duban_gwdoc_doc_t *d, size_t a, size_t end)
{
    const duban_text_t *t = P->t;
    d->title = gw_join_lines(t, d->start, a);
    size_t r = gw_next_usable(t, a + 1, end);
    size_t below = title_below(t, r, end);
    bool masthead = d->title && (duban_ends(d->title, strlen(d->title), "文件") ||
                                 (!ends_any(d->title, strlen(d->title), TITLE_END) &&
                                  !ends_any(d->title, strlen(d->title), PLAN_END) &&
                                  ends_any(d->title, strlen(d->title), ORGAN_END)));
    if (below == r && masthead) {
        /* "鞍山市立山区人民政府文件" is the masthead: the title is the 1-3
         * lines under the number that end like one, recipients or not */
        size_t i = r, n = 0;
        while (i < end && n < 3 && !title_stop(&t->lines[i])) {
            if (ends_any(t->lines[i].s, t->lines[i].len, TITLE_END)) {
                below = i + 1;
                break;
            }
            n++;
            i = gw_next_usable(t, i + 1, end);
        }
    }
    if (below > r) { /* 红头 layout: XX文件 / 文号 / 标题 / 主送 */
        const char *above = d->title ? d->title : "";
        if (!ends_any(above, strlen(above), TITLE_END) || duban_ends(above, strlen(above), "文件")) {
            free(d->title);
            d->title = gw_join_lines(t, r, below);
        }
        r = gw_next_usable(t, below, end);
    }
    read_recipients_and_signature(P, d, r, a + 1, end);
}

/* The recipients on line r (when it ends in "："), then the signature: the
 * first date line from `from` on, the issuers above it, and the plan a
 * notice wraps below it. */
static void read_recipients_and_signature(parse_t *P, duban_gwdoc_doc_t *d, size_t r,
                                          size_t from, size_t end)
{
    const duban_text_t *t = P->t;
    size_t a = from ? from - 1 : 0;
    if (r < end && duban_ends(t->lines[r].s, t->lines[r].len, "：") &&
        duban_cn_date_line(t->lines[r].s, t->lines[r].len) == DUBAN_DATE_NONE && t->lines[r].len < 900)
        split_list(t->lines[r].s, t->lines[r].len, false, &d->recipients);
    size_t date_li = end;
    bool inline_sig = false;
    for (size_t i = from; i < end; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        int32_t dt = duban_cn_date_line(L->s, L->len);
        size_t cut = dt == DUBAN_DATE_NONE && L->len < 150 ? date_suffix(L) : 0;
        if (cut) {
            dt = duban_cn_date_line(L->s + cut, L->len - cut);
            inline_sig = true; /* "大武口区人民政府 2022年11月17日" */
        }
        if (dt != DUBAN_DATE_NONE) {
            d->issue_date = dt;
            date_li = i;
            break;
        }
    }
    if (inline_sig) { /* "…认真贯彻执行。某某市人民政府办公室 2023年3月1日": after the text */
        const duban_line_t *L = &t->lines[date_li];
        size_t cut = date_suffix(L), head = 0;
        for (size_t i = 0; i + 3 <= cut; i++)
            if (duban_starts(L->s + i, cut - i, "。") || duban_starts(L->s + i, cut - i, "；"))
                head = i + 3;
        split_list(L->s + head, cut - head, true, &d->issuers);
    }
    if (date_li < end) {
        if (!inline_sig)
            find_issuers(t, date_li, a, d);
        bool untitled = !d->title || !d->title[0];
        /* an excerpt that starts at the number: the plan it wraps names it */
        d->attached_plan_title = find_plan_title(t, date_li + 1, end,
                                                 untitled ? "印发" : d->title);
        if (untitled && d->attached_plan_title && !strstr(d->attached_plan_title, "印发")) {
            free(d->title);
            d->title = duban_xstrdup(d->attached_plan_title);
        }
    } else {
        P->g->warnings++; /* no issue date */
    }
    if (!d->title || !d->title[0])
        P->g->warnings++;
    if (date_li < end && d->issuers.count == 0)
        P->g->warnings++;
    set_jurisdiction(d);
}

/* ------------------------------------------------------------------ */
/* Documents without a number (web releases, plans published on their own,
 * 责任分解 lists): the whole file is one document, titled by its first
 * title line, dated by its signature or by the date its page prints. */

/* Web page furniture and metadata lines (索引号 发布机构 成文日期 …). */
static bool meta_line(const duban_line_t *L)
{
    return gw_meta_text(L->s, L->len);
}

bool gw_meta_text(const char *s, size_t len)
{
    static const char *const w[] = {"索引号", "发布机构", "发文机关", "主题分类", "公开方式",
                                    "公开范围", "组配分类", "成文日期", "发文日期", "发布日期",
                                    "生成日期", "公开日期", "发布时间", "信息来源", "来源：",
                                    "浏览", "点击", "字号", "时效性", "施行日期", "生效日期",
                                    "效力级别", "效力位阶", "法规类别", "公布日期",
                                    "字体", "打印", "无障碍", "当前位置", "首页", ">>", "»",
                                    NULL};
    if (len > 240)
        return false;
    if (contains_any(s, len, w))
        return true;
    /* "【发布单位】山西省": a labelled field of a legal database's page; not a
     * topic run in before a sentence (【道路】加强…。). An outline marker
     * (【一】, 【1】) at a line's start the reader has made （一）. */
    const char *close = duban_starts(s, len, "【") ? duban_find(s, len, "】", 3) : NULL;
    return close && close - s <= 3 * 8 && !contains(s, len, "。");
}

/* The last line of a title: no sentence end, not an item, not metadata,
 * and ending like a title, a plan or a table (…的通知, …方案, …分解表). */
bool gw_title_end_line(const duban_line_t *L)
{
    static const char *const table_end[] = {"表", "情况", "分工", "分解", "清单", "任务",
                                            "安排", NULL};
    if (!gw_usable(L) || L->len < 18 || title_stop(L) || meta_line(L) ||
        gw_line_is_item(L->s, L->len) || duban_starts(L->s, L->len, "（") || contains(L->s, L->len, "|") ||
        contains(L->s, L->len, "，") || contains(L->s, L->len, "。"))
        return false;
    if (duban_ends(L->s, L->len, "）") && !contains(L->s, L->len, "（"))
        return false; /* the end of a bracket opened on a line above: not a title's (试行) */
    return ends_any(L->s, L->len, TITLE_END) || ends_any(L->s, L->len, PLAN_END) ||
           ends_any(L->s, L->len, table_end);
}

/* Page metadata: each labelled value in the first `max` usable lines of
 * [from, end), handed to `take` (L, the offset after the label) until it
 * returns true. A label ending in "：" counts only at a line's start. */
typedef bool (meta_take_cb)(const duban_line_t *L, size_t at, void *out);

static bool meta_scan(const duban_text_t *t, size_t from, size_t end, size_t max,
                      const char *const *labels, meta_take_cb *take, void *out)
{
    for (size_t i = from, seen = 0; i < end && seen < max; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        seen++;
        for (size_t k = 0; labels[k]; k++) {
            size_t ln = strlen(labels[k]);
            const char *p = duban_find(L->s, L->len, labels[k], ln);
            if (p && (!duban_ends(labels[k], ln, "：") || p == L->s) &&
                take(L, (size_t)(p - L->s) + ln, out))
                return true;
        }
    }
    return false;
}

/* A date after a label: 2024-04-01, 2024/4/1, 2024.04.01, 2024年4月1日. */
static bool take_date(const duban_line_t *L, size_t j, void *out)
{
    size_t skip = 0;
    while (j < L->len && !is_digit(L->s[j]) && skip++ < 12)
        j++;
    int v[3] = {0, 0, 0}, nv = 0;
    while (j < L->len && nv < 3) {
        size_t d0 = j;
        while (j < L->len && is_digit(L->s[j]) && j - d0 < 4)
            v[nv] = v[nv] * 10 + (L->s[j++] - '0');
        if (j == d0)
            break;
        nv++;
        if (j < L->len && (L->s[j] == '-' || L->s[j] == '/' || L->s[j] == '.'))
            j++;
        else if (duban_starts(L->s + j, L->len - j, "年") || duban_starts(L->s + j, L->len - j, "月"))
            j += 3;
        else
            break;
    }
    if (nv != 3 || v[0] < 1949 || !duban_date_valid_ymd(v[0], v[1], v[2]))
        return false;
    *(int32_t *)out = duban_date_from_ymd(v[0], v[1], v[2]);
    return true;
}

/* A date a web page prints about the document, in its first lines:
 * "成文日期 2024-04-01", "发文日期 | 2022-11-03 |", "发布日期:2022-01-21",
 * "时间：2025-09-19 来源：政府办" (时间 only at a line's start: not 完成时间). */
int32_t gw_meta_date(const duban_text_t *t, size_t end)
{
    static const char *const labels[] = {"成文日期", "发文日期", "印发日期", "发布日期",
                                         "生成日期", "发文时间", "成文时间", "发布时间", "时间：",
                                         "日期：", NULL};
    int32_t date = DUBAN_DATE_NONE;
    if (meta_scan(t, 0, end, 40, labels, take_date, &date))
        return date;
    /* "来源:本网  时间:2021-01-11 16:23:55": a field of the page's byline,
     * after a space and before a numeric date (never 完成时间：6月底前) */
    for (size_t i = 0, seen = 0; i < end && seen < 40; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        seen++;
        for (const char *p = L->s; (p = duban_find(p, (size_t)(L->s + L->len - p), "时间", 6)) != NULL; p += 6) {
            size_t a = (size_t)(p - L->s) + 6;
            if (p > L->s && p[-1] != ' ')
                continue;
            if (a < L->len && L->s[a] == ':')
                a++;
            else if (duban_starts(L->s + a, L->len - a, "："))
                a += 3;
            else
                continue;
            if (a + 10 <= L->len && is_digit(L->s[a]) && is_digit(L->s[a + 3]) &&
                (L->s[a + 4] == '-' || L->s[a + 4] == '/') && take_date(L, a, &date))
                return date;
        }
    }
    return DUBAN_DATE_NONE;
}

typedef struct {
    char *num;
    size_t cap;
} docno_out_t;

static bool take_docno(const duban_line_t *L, size_t a, void *out)
{
    docno_out_t *o = out;
    /* the label's end: "：", "】", "|", or "[ 发文字号 ] …" as some portals print it */
    while (a < L->len && (L->s[a] == ' ' || L->s[a] == ':' || L->s[a] == '|' || L->s[a] == ']' ||
                          duban_starts(L->s + a, L->len - a, "：") ||
                          duban_starts(L->s + a, L->len - a, "】") ||
                          duban_starts(L->s + a, L->len - a, "〕")))
        a += (unsigned char)L->s[a] >= 0x80 ? 3 : 1;
    const char *hao = duban_find(L->s + a, L->len - a, "号", 3);
    return hao && duban_gwdoc_docno(L->s + a, (size_t)(hao + 3 - L->s) - a, o->num, o->cap);
}

/* A 发文字号 a web page prints among its metadata ("发文字号：铜政办发〔2020〕
 * 14号", "【发布文号】晋政发[2008]8号"), in its first lines. */
bool gw_meta_docno(const duban_text_t *t, size_t from, size_t end, char *num, size_t cap)
{
    static const char *const labels[] = {"发文字号", "发文文号", "发布文号", "文件编号", "文号",
                                         NULL};
    docno_out_t o = {num, cap};
    return meta_scan(t, from, end, 20, labels, take_docno, &o);
}

/* The title a web page prints among its metadata ("标 题: | …的通知 |",
 * "• 名  称:…"), in the first 40 usable lines: the line index, or SIZE_MAX
 * when none; the title (NEW) in *title. */
static size_t meta_title(const duban_text_t *t, size_t from, size_t end, char **title)
{
    static const char *const labels[] = {"信息名称", "文件名称", "标题", "名称", NULL};
    for (size_t i = from, seen = 0; i < end && seen < 40; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        seen++;
        size_t a = 0;
        while (a < L->len && (L->s[a] == ' ' || duban_starts(L->s + a, L->len - a, "•") ||
                              duban_starts(L->s + a, L->len - a, "·")))
            a += L->s[a] == ' ' ? 1 : (duban_starts(L->s + a, L->len - a, "•") ? 3 : 2);
        size_t k = 0;
        while (labels[k] && !duban_starts(L->s + a, L->len - a, labels[k]))
            k++;
        if (!labels[k])
            continue;
        a += strlen(labels[k]);
        if (duban_starts(L->s + a, L->len - a, "："))
            a += 3;
        else if (a < L->len && L->s[a] == ':')
            a++;
        else
            continue;
        while (a < L->len && (L->s[a] == ' ' || L->s[a] == '\t' || L->s[a] == '|'))
            a++;
        size_t b = a;
        while (b < L->len && L->s[b] != '\t' && L->s[b] != '|')
            b++;
        while (b > a && L->s[b - 1] == ' ')
            b--;
        if (b - a < 18 || !(contains(L->s + a, b - a, "关于") || ends_any(L->s + a, b - a, TITLE_END) ||
                            ends_any(L->s + a, b - a, PLAN_END)))
            continue;
        *title = dup_len(L->s + a, b - a);
        return *title ? i : SIZE_MAX;
    }
    return SIZE_MAX;
}

/* A news report names the document it is about inside a sentence:
 * "近日，《北京市人民政府关于印发2018年市政府工作报告重点工作分工方案的通
 * 知》发布" (aq08). The first 《…》 of lines [from, end) that reads as a
 * document's title (关于 in it, an ending such as 通知 or 方案) and that its
 * sentence says was issued (印发 发布 公布 出台 下发 公开), not cited (根据
 * 按照 依据 贯彻 落实 before it): the title (NEW) in *title, its line
 * index returned; SIZE_MAX when none. */
size_t gw_reported_title(const duban_text_t *t, size_t from, size_t end, char **title)
{
    static const char *const issued[] = {"印发", "发布", "公布", "出台", "下发", "公开", NULL};
    static const char *const cited[] = {"根据", "按照", "依据", "贯彻", "落实", "学习", "对照",
                                        NULL};
    for (size_t i = from; i < end && i < from + 60; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!gw_usable(L))
            continue;
        for (const char *o = L->s; (o = duban_find(o, (size_t)(L->s + L->len - o), "《", 3));
             o += 3) {
            const char *c = duban_find(o + 3, (size_t)(L->s + L->len - o - 3), "》", 3);
            if (!c)
                break;
            size_t tn = (size_t)(c - o - 3);
            if (tn < 3 * 10 || tn > 3 * 80 || !contains(o + 3, tn, "关于") ||
                !(ends_any(o + 3, tn, TITLE_END) || ends_any(o + 3, tn, PLAN_END)))
                continue;
            /* its sentence: from the 。 before to the 。 after */
            const char *sa = L->s, *se = L->s + L->len;
            for (const char *q = L->s; (q = duban_find(q, (size_t)(o - q), "。", 3)); q += 3)
                sa = q + 3;
            const char *q = duban_find(c, (size_t)(se - c), "。", 3);
            if (q)
                se = q;
            if (!(contains_any(sa, (size_t)(o - sa), issued) ||
                  contains_any(c + 3, (size_t)(se - c - 3), issued)) ||
                contains_any(sa, (size_t)(o - sa), cited))
                continue;
            *title = dup_len(o + 3, tn);
            return *title ? i : SIZE_MAX;
        }
    }
    return SIZE_MAX;
}

/* Reads the header of the unnumbered document d (lines [d->start, end)):
 * its title lines, recipients and signature (after the title, or before
 * it when a notice's signature precedes the plan it wraps), else the date
 * the page prints. Returns the first body line. */
/* Line i as the short tail of a wrapped title: "28年)的通知", "的实施意见",
 * right under a longer line that ends no sentence (a PDF or a page narrow
 * enough to wrap the title). */
static bool title_tail(const duban_text_t *t, size_t i, size_t start)
{
    const duban_line_t *L = &t->lines[i], *A = i > start ? &t->lines[i - 1] : NULL;
    if (!A || !gw_usable(L) || !gw_usable(A) || L->len >= 18 || A->len < 18 || title_stop(L) ||
        title_stop(A) || contains(L->s, L->len, "，") || contains(A->s, A->len, "，") ||
        gw_line_is_item(L->s, L->len) || gw_line_is_item(A->s, A->len) ||
        contains(A->s, A->len, "|") || contains(L->s, L->len, "|"))
        return false;
    return ends_any(L->s, L->len, TITLE_END) || ends_any(L->s, L->len, PLAN_END);
}

/* Line i goes on with the sentence of the line right above it: that line is
 * body text (it holds ，) and stops mid-sentence ("…城市设计编制工作，加快推"
 * over "进“回民区…”修建性详细规划", as a PDF wraps a news paragraph). Such a
 * line is no title, however it ends. */
static bool continues_sentence(const duban_text_t *t, size_t i, size_t start)
{
    if (i <= start || !gw_usable(&t->lines[i - 1]))
        return false;
    const duban_line_t *A = &t->lines[i - 1];
    static const char *const ends[] = {"。", "；", "：", "）", "！", "？", "，", "、", NULL};
    return contains(A->s, A->len, "，") && !ends_any(A->s, A->len, ends) &&
           (unsigned char)A->s[A->len - 1] >= 0x80;
}

size_t gw_read_unnumbered(parse_t *P, duban_gwdoc_doc_t *d, size_t end)
{
    const duban_text_t *t = P->t;
    size_t te = end, seen = 0;
    char *mt = NULL;
    size_t mi = meta_title(t, d->start, end, &mt);
    if (mi != SIZE_MAX) { /* the page names the document: its body follows the metadata */
        d->title = mt;
        te = mi + 1;
        size_t r = gw_next_usable(t, te, end);
        read_recipients_and_signature(P, d, r, te, end);
        if (d->issue_date == DUBAN_DATE_NONE)
            d->issue_date = gw_meta_date(t, end);
        return te;
    }
    for (size_t i = d->start; i < end && seen < 60; i++) {
        if (!gw_usable(&t->lines[i]))
            continue;
        seen++;
        if (t->lines[i].len <= 3 * 10 && gw_text_cell_header(t, i, end))
            break; /* a table's header: no title below it (完善城市工作机制 is a row's task) */
        if ((gw_title_end_line(&t->lines[i]) || title_tail(t, i, d->start)) &&
            !continues_sentence(t, i, d->start)) {
            te = i + 1;
            break;
        }
    }
    size_t ts = te;
    if (te < end || (te == end && seen && gw_title_end_line(&t->lines[te - 1]))) {
        ts = gw_find_title_start(t, te, d->start);
        if (ts == te)
            ts = te - 1;
        while (ts < te - 1 && meta_line(&t->lines[ts]))
            ts++;
        d->title = gw_join_lines(t, ts, te);
    } else {
        te = ts = d->start;
        d->title = duban_xstrdup("");
    }
    size_t r = gw_next_usable(t, te, end);
    read_recipients_and_signature(P, d, r, te, end);
    if (d->issue_date == DUBAN_DATE_NONE && ts > d->start) {
        /* a notice's signature above the plan it wraps */
        duban_gwdoc_doc_t before;
        memset(&before, 0, sizeof(before));
        before.issue_date = DUBAN_DATE_NONE;
        before.title = d->title;
        read_recipients_and_signature(P, &before, ts, d->start, ts);
        if (before.issue_date != DUBAN_DATE_NONE) {
            d->issue_date = before.issue_date;
            duban_strlist_free(&d->issuers);
            d->issuers = before.issuers;
            memset(&before.issuers, 0, sizeof(before.issuers));
            set_jurisdiction(d);
        }
        duban_strlist_free(&before.issuers);
        duban_strlist_free(&before.recipients);
        free(before.attached_plan_title);
    }
    if (d->issue_date == DUBAN_DATE_NONE)
        d->issue_date = gw_meta_date(t, end);
    return te;
}

/* A title printed as a citation, "《…的通知》": the brackets go. */
static void unquote_title(duban_gwdoc_doc_t *d)
{
    /* a web page's field label before the title: "标题：…", "名称：…", "标题 …" */
    static const char *const labels[] = {"信息名称", "文件名称", "标题", "名称", "题名",
                                         "政策解读", "图解", NULL};
    for (size_t l = 0; d->title && labels[l]; l++) {
        size_t k = strlen(labels[l]);
        if (strncmp(d->title, labels[l], k) != 0)
            continue;
        size_t lk = k;
        while (d->title[k] == ' ' || d->title[k] == ':' || d->title[k] == '|')
            k++;
        if (strncmp(d->title + k, "：", 3) == 0)
            k += 3;
        if (k > lk || strcmp(labels[l], "标题") == 0) /* "标题 …" too */
            memmove(d->title, d->title + k, strlen(d->title + k) + 1);
        break;
    }
    /* a web page's next field printed after the title: "… 发布日期：2021年07月07日" */
    static const char *const after[] = {" 发布日期", " 发布时间", " 来源：", " 来源:", " 日期：", NULL};
    for (size_t l = 0; d->title && after[l]; l++) {
        char *p = strstr(d->title, after[l]);
        if (p && p - d->title >= 18)
            *p = '\0';
    }
    /* the date a gazette prints under a title, run onto it: "…的通知（2019年1月29日）" */
    size_t tl = d->title ? strlen(d->title) : 0;
    if (tl > 30 && duban_ends(d->title, tl, "日）")) {
        char *op = NULL;
        for (char *q = d->title; (q = strstr(q, "（")) != NULL; q += 3)
            op = q;
        if (op && op - d->title >= 18 &&
            duban_cn_date_line(op + 3, tl - (size_t)(op - d->title) - 6) != DUBAN_DATE_NONE)
            *op = '\0';
    }
    /* a web listing's date printed after the title: "…的通知 2021-08-06" */
    size_t tn = d->title ? strlen(d->title) : 0;
    if (tn > 10 && is_digit(d->title[tn - 1]) && is_digit(d->title[tn - 2]) &&
        d->title[tn - 3] == '-' && is_digit(d->title[tn - 4]) && is_digit(d->title[tn - 5]) &&
        d->title[tn - 6] == '-' && tn > 10 + 20 && is_digit(d->title[tn - 10])) {
        tn -= 10;
        while (tn > 0 && d->title[tn - 1] == ' ')
            tn--;
        d->title[tn] = '\0';
    }
    size_t n = d->title ? strlen(d->title) : 0;
    if (n > 6 && duban_starts(d->title, n, "《") && duban_ends(d->title, n, "》") &&
        !duban_find(d->title + 3, n - 6, "《", 3)) {
        memmove(d->title, d->title + 3, n - 6);
        d->title[n - 6] = '\0';
    }
}

void gw_make_doc_id(const parse_t *P, duban_gwdoc_doc_t *d)
{
    unquote_title(d);
    if (d->doc_number) {
        d->doc_id = duban_xstrdup(d->doc_number);
        return;
    }
    char buf[4096], hex[65], date[11] = "";
    if (d->issue_date != DUBAN_DATE_NONE)
        duban_date_format(d->issue_date, date);
    const char *title = d->title ? d->title : "";
    /* nothing printed to name it (an excerpt without its title): its text */
    int n = snprintf(buf, sizeof(buf), "%s|%s|%s%s%s", d->issuers.count ? d->issuers.items[0] : "",
                     title, date, title[0] ? "" : "|", title[0] ? "" : d->body_sha256);
    duban_sha256_hex(buf, n > 0 ? (size_t)n : 0, hex);
    char id[32];
    snprintf(id, sizeof(id), "doc:%.16s", hex);
    d->doc_id = duban_xstrdup(id);
}
