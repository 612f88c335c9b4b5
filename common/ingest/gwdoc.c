/* common/gwdoc.c: documents and tasks of a gazette (see gwdoc.h).
 * Sections: small string helpers, document anchors and headers,
 * responsibility clauses, the outline walk that turns items and table rows
 * into tasks, and the driver. One pass over the lines per document. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "date.h"
#include "cnnum.h"
#include "gwdoc.h"
#include "hash.h"

/* ================================================================== */
/* String helpers                                                       */

/* starts/ends compare one byte before they measure p and call memcmp:
 * most words of a list differ from s in that byte. */
static inline bool starts(const char *s, size_t len, const char *p)
{
    if (p[0] && (len == 0 || s[0] != p[0]))
        return false;
    size_t n = strlen(p);
    return len >= n && memcmp(s, p, n) == 0;
}

static inline bool ends(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && (n == 0 || s[len - 1] == p[n - 1]) && memcmp(s + len - n, p, n) == 0;
}

static bool contains(const char *s, size_t len, const char *p)
{
    return duban_find(s, len, p, strlen(p)) != NULL;
}

static bool ends_any(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (ends(s, len, *list))
            return true;
    return false;
}

static char *dup_len(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* Copies s without spaces/tabs into out (cap bytes incl. NUL). */
static size_t squeeze(const char *s, size_t len, char *out, size_t cap)
{
    size_t w = 0, i = 0;
    for (; i < len && w + 1 < cap; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            out[w++] = s[i];
    if (i < len) /* truncated: never cut a UTF-8 sequence */
        while (w > 0 && ((unsigned char)out[w - 1] & 0x80)) {
            unsigned char c = (unsigned char)out[--w];
            if (c >= 0xC0)
                break;
        }
    out[w] = '\0';
    return w;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ================================================================== */
/* Document numbers, dates, leaders                                     */

static const char *const OPEN_B[] = {"〔", "[", "【", "（", "［", "(", NULL};
static const char *const CLOSE_B[] = {"〕", "]", "】", "）", "］", ")", NULL};

static size_t match_any(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (starts(s, len, *list))
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

bool duban_gwdoc_docno(const char *s, size_t len, char *out, size_t out_size)
{
    char b[256];
    if (len > 200 || len < 12 || !ends(s, len, "号"))
        return false;
    size_t n = squeeze(s, len, b, sizeof(b));
    for (size_t i = 3; i < n; i++) {
        size_t ob = match_any(b + i, n - i, OPEN_B);
        if (!ob || i + ob + 4 >= n)
            continue;
        size_t y = i + ob;
        if (!(is_digit(b[y]) && is_digit(b[y + 1]) && is_digit(b[y + 2]) && is_digit(b[y + 3])))
            continue;
        size_t cb = match_any(b + y + 4, n - y - 4, CLOSE_B);
        if (!cb)
            continue;
        size_t k = y + 4 + cb, d0 = k;
        while (k < n && is_digit(b[k]))
            k++;
        if (k == d0 || k - d0 > 5 || !(k + 3 == n && starts(b + k, n - k, "号")))
            return false;
        if (!docno_prefix_ok(b, i))
            return false;
        int w = snprintf(out, out_size, "%.*s〔%.4s〕%.*s号", (int)i, b, b + y, (int)(k - d0),
                         b + d0);
        return w > 0 && (size_t)w < out_size;
    }
    return false;
}

static bool has_leader_slow(const char *s, size_t len);

/* A TOC leader: "...." "···" "……" "．．．"; memchr-driven: most lines
 * hold none. */
static bool has_leader(const char *s, size_t len)
{
    if (!duban_find(s, len, "..", 2) && !duban_find(s, len, "\xC2\xB7\xC2\xB7", 4) &&
        !duban_find(s, len, "……", 6) && !duban_find(s, len, "．．", 6))
        return false;
    return has_leader_slow(s, len);
}

static bool has_leader_slow(const char *s, size_t len)
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

static bool is_public_marker(const char *s, size_t len)
{
    return len < 48 && (contains(s, len, "此件公开发布") || contains(s, len, "此件不公开") ||
                        contains(s, len, "此件主动公开") || contains(s, len, "此件依申请公开"));
}

static const char *const ORGAN_END[] = {
    "政府", "委员会", "办公室", "办公厅", "委", "局", "厅", "部", "院", "会", "处", "室",
    "组", "中心", "指挥部", "党委", "党组", "政府办", "管委会", "街道办事处", "公署", NULL};

static const char *const TITLE_END[] = {
    "通知", "决定", "意见", "批复", "通报", "报告", "函", "令", "公告", "通告", "纪要",
    "请示", "议案", "决议", "命令", "公示", NULL};

static const char *const PLAN_END[] = {
    "方案", "计划", "规划", "办法", "制度", "细则", "规则", "意见", "要点", "清单", "预案",
    "标准", "规定", "纲要", "措施", "目录", "）", "机制", "名单", "守则", "章程", "规程",
    "导则", NULL};

/* ================================================================== */
/* Document headers                                                     */

typedef struct {
    const duban_text_t *t;
    const duban_dept_dir_t *dir;
    duban_gwdoc_t *g;
} parse_t;

static bool usable(const duban_line_t *L)
{
    return !(L->flags & (DUBAN_LINE_BLANK | DUBAN_LINE_ARTEFACT));
}

static size_t next_usable(const duban_text_t *t, size_t i, size_t end)
{
    while (i < end && !usable(&t->lines[i]))
        i++;
    return i;
}

static bool is_leader_line(const duban_line_t *L)
{
    if (has_leader(L->s, L->len))
        return true;
    for (uint32_t i = 0; i < L->len; i++) {
        char c = L->s[i];
        if (!(is_digit(c) || c == '.' || c == ' ' || c == '\t'))
            return false;
    }
    return L->len > 0 && L->len < 8;
}

/* Anchor: a line holding only a document number, not in a TOC. */
/* The document number at the end of line L: the whole line, the line in
 * brackets "（晋政发〔2008〕8号）", or a title followed by it ("…的实施意见
 * （池政〔2017〕101号）", "…的通知 豫政〔2023〕5号"). *cut is where the
 * number starts (0 when the line holds only the number); a title before
 * it must end like one (…通知 …意见 …方案). */
static bool docno_at_end(const duban_line_t *L, char *num, size_t cap, size_t *cut)
{
    *cut = 0;
    if (duban_gwdoc_docno(L->s, L->len, num, cap))
        return true;
    size_t len = L->len;
    while (len > 0 && L->s[len - 1] == ' ')
        len--;
    size_t a = 0, b = len;
    if (ends(L->s, len, "）")) { /* "(…号)" */
        const char *op = NULL;
        for (const char *p = L->s; (p = duban_find(p, (size_t)(L->s + len - p), "（", 3)); p += 3)
            op = p;
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
    size_t head = a >= 3 && starts(L->s + a - 3, len - a + 3, "（") ? a - 3 : a;
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

static bool is_anchor(const duban_text_t *t, size_t i, char *num, size_t cap, size_t *cut)
{
    const duban_line_t *L = &t->lines[i];
    if (!usable(L) || L->len > 400 || (L->flags & DUBAN_LINE_TAB))
        return false;
    if (!docno_at_end(L, num, cap, cut) || has_leader(L->s, L->len))
        return false;
    size_t j = next_usable(t, i + 1, t->nlines);
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
           is_public_marker(L->s, L->len) || duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE ||
           has_leader(L->s, L->len) || starts(L->s, L->len, "附件") || L->len > 240 ||
           contains(L->s, L->len, "大事记");
}

static bool title_word(const char *s, size_t len)
{
    return contains(s, len, "关于") || contains(s, len, "印发") || ends_any(s, len, TITLE_END) ||
           ends_any(s, len, ORGAN_END);
}

/* First title line above anchor `a` (not above `floor`). */
static size_t find_title_start(const duban_text_t *t, size_t a, size_t floor)
{
    size_t cand[4], nc = 0;
    bool heading = false;
    for (size_t i = a; i > floor && nc < 4;) {
        i--;
        const duban_line_t *L = &t->lines[i];
        if (!usable(L))
            continue;
        if (title_stop(L))
            break;
        if (nc > 0 && heading && !(L->flags & DUBAN_LINE_HEADING))
            break;
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
            while (up > floor && !usable(&t->lines[up - 1]))
                up--;
            if (start && up > floor && nc < 4) {
                const duban_line_t *U = &t->lines[up - 1];
                if (U->len <= 60 && U->len >= 15 && ends_any(U->s, U->len, ORGAN_END) &&
                    !title_stop(U) &&
                    (contains(U->s, U->len, "人民政府") || contains(U->s, U->len, "办公厅") ||
                     contains(U->s, U->len, "委员会") || starts(U->s, U->len, "中共")))
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

static char *join_lines(const duban_text_t *t, size_t from, size_t to)
{
    size_t cap = 1;
    for (size_t i = from; i < to; i++)
        cap += t->lines[i].len;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = from; i < to; i++)
        if (usable(&t->lines[i]))
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
            if (starts(s + i, len - i, "（") || starts(s + i, len - i, "《")) depth++;
            else if ((starts(s + i, len - i, "）") || starts(s + i, len - i, "》")) && depth) depth--;
            if ((unsigned char)s[i] >= 0xE0)
                step = 3;
            if (depth == 0 && (starts(s + i, len - i, "、") || starts(s + i, len - i, "，") ||
                               starts(s + i, len - i, "；") || (on_space && s[i] == ' ')))
                sep = true;
        }
        if (sep) {
            char b[512];
            size_t n = squeeze(s + st, i - st, b, sizeof(b));
            while (n >= 3 && (ends(b, n, "：") || ends(b, n, "。")))
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
        if (!usable(L) || is_public_marker(L->s, L->len))
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
    if (starts(p, (size_t)(e - p), "《") && e - p > 6 && !memcmp(e - 3, "》", 3))
        return dup_len(p + 3, (size_t)(e - p) - 6);
    return e > p ? dup_len(p, (size_t)(e - p)) : NULL;
}

static bool line_is_item(const char *s, size_t len);

/* The plan title after the signature: 1-3 lines ending like a plan name. */
static char *find_plan_title(const duban_text_t *t, size_t from, size_t end, const char *title)
{
    if (!strstr(title, "印发"))
        return NULL;
    size_t i = next_usable(t, from, end);
    while (i < end && is_public_marker(t->lines[i].s, t->lines[i].len))
        i = next_usable(t, i + 1, end);
    size_t st = i, nl = 0, chars = 0;
    for (; i < end && nl < 3; i = next_usable(t, i + 1, end)) {
        const duban_line_t *L = &t->lines[i];
        if (line_is_item(L->s, L->len))
            break;
        if (ends(L->s, L->len, "。") || ends(L->s, L->len, "：") || (L->flags & DUBAN_LINE_TAB) ||
            duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE || starts(L->s, L->len, "附件"))
            break;
        chars += L->len;
        nl++;
        if (ends_any(L->s, L->len, PLAN_END) || chars > 240)
            break;
    }
    if (nl > 0 && i < end && ends_any(t->lines[i].s, t->lines[i].len, PLAN_END) && chars <= 240) {
        char *s = join_lines(t, st, i + 1);
        if (s && strlen(s) >= 12)
            return s;
        free(s);
    }
    return plan_from_title(title);
}

static bool is_trailer(const duban_line_t *L)
{
    return usable(L) && L->len < 120 && contains(L->s, L->len, "大事记") &&
           !contains(L->s, L->len, "。") && !contains(L->s, L->len, "，");
}

static duban_gwdoc_doc_t *push_doc(duban_gwdoc_t *g)
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
static void body_hash(const parse_t *P, duban_gwdoc_doc_t *d)
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
        if (ends(L->s, L->len, "：") || ends(L->s, L->len, "。") || title_stop(L) ||
            chars + L->len > 240)
            return from;
        chars += L->len;
        n++;
        if (ends_any(L->s, L->len, TITLE_END) && (contains(L->s, L->len, "关于") || n > 1 ||
                                                  contains(L->s, L->len, "印发"))) {
            size_t r = next_usable(t, i + 1, end);
            return r < end && ends(t->lines[r].s, t->lines[r].len, "：") ? i + 1 : from;
        }
        i = next_usable(t, i + 1, end);
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
static int32_t meta_date(const duban_text_t *t, size_t end);

/* Fills the header fields of document d anchored at line a. */
static void read_header(parse_t *P, duban_gwdoc_doc_t *d, size_t a, size_t end)
{
    const duban_text_t *t = P->t;
    d->title = join_lines(t, d->start, a);
    size_t r = next_usable(t, a + 1, end);
    size_t below = title_below(t, r, end);
    bool masthead = d->title && (ends(d->title, strlen(d->title), "文件") ||
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
            i = next_usable(t, i + 1, end);
        }
    }
    if (below > r) { /* 红头 layout: XX文件 / 文号 / 标题 / 主送 */
        const char *above = d->title ? d->title : "";
        if (!ends_any(above, strlen(above), TITLE_END) || ends(above, strlen(above), "文件")) {
            free(d->title);
            d->title = join_lines(t, r, below);
        }
        r = next_usable(t, below, end);
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
    if (r < end && ends(t->lines[r].s, t->lines[r].len, "：") &&
        duban_cn_date_line(t->lines[r].s, t->lines[r].len) == DUBAN_DATE_NONE && t->lines[r].len < 900)
        split_list(t->lines[r].s, t->lines[r].len, false, &d->recipients);
    size_t date_li = end;
    bool inline_sig = false;
    for (size_t i = from; i < end; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!usable(L))
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
            if (starts(L->s + i, cut - i, "。") || starts(L->s + i, cut - i, "；"))
                head = i + 3;
        split_list(L->s + head, cut - head, true, &d->issuers);
    }
    if (date_li < end) {
        if (!inline_sig)
            find_issuers(t, date_li, a, d);
        d->attached_plan_title = find_plan_title(t, date_li + 1, end, d->title ? d->title : "");
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
    static const char *const w[] = {"索引号", "发布机构", "发文机关", "主题分类", "公开方式",
                                    "公开范围", "组配分类", "成文日期", "发文日期", "发布日期",
                                    "发布时间", "信息来源", "来源：", "浏览", "点击", "字号",
                                    "字体", "打印", "无障碍", "当前位置", "首页", ">>", "»",
                                    NULL};
    if (L->len > 240)
        return false;
    for (size_t k = 0; w[k]; k++)
        if (contains(L->s, L->len, w[k]))
            return true;
    /* "【发布单位】山西省": a labelled field of a legal database's page */
    const char *close = starts(L->s, L->len, "【") ? duban_find(L->s, L->len, "】", 3) : NULL;
    return close && close - L->s <= 3 * 8;
}

/* The last line of a title: no sentence end, not an item, not metadata,
 * and ending like a title, a plan or a table (…的通知, …方案, …分解表). */
static bool title_end_line(const duban_line_t *L)
{
    static const char *const table_end[] = {"表", "情况", "分工", "分解", "清单", "任务",
                                            "安排", NULL};
    if (!usable(L) || L->len < 18 || title_stop(L) || meta_line(L) ||
        line_is_item(L->s, L->len) || starts(L->s, L->len, "（") || contains(L->s, L->len, "|") ||
        contains(L->s, L->len, "，"))
        return false;
    if (ends(L->s, L->len, "）") && !contains(L->s, L->len, "（"))
        return false; /* the end of a bracket opened on a line above: not a title's (试行) */
    return ends_any(L->s, L->len, TITLE_END) || ends_any(L->s, L->len, PLAN_END) ||
           ends_any(L->s, L->len, table_end);
}

/* A date a web page prints about the document, in its first lines:
 * "成文日期 2024-04-01", "发文日期 | 2022-11-03 |", "发布日期:2022-01-21". */
static int32_t meta_date(const duban_text_t *t, size_t end)
{
    /* the last two only at a line's start, before a colon: "时间：2025-09-19
     * 来源：政府办" (not 完成时间) */
    static const char *const labels[] = {"成文日期", "发文日期", "印发日期", "发布日期",
                                         "发布时间", "时间：", "日期：", NULL};
    for (size_t i = 0, seen = 0; i < end && seen < 40; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!usable(L))
            continue;
        seen++;
        for (size_t k = 0; labels[k]; k++) {
            const char *p = duban_find(L->s, L->len, labels[k], strlen(labels[k]));
            if (!p || (ends(labels[k], strlen(labels[k]), "：") && p != L->s))
                continue;
            size_t j = (size_t)(p - L->s) + strlen(labels[k]), skip = 0;
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
                else if (starts(L->s + j, L->len - j, "年") || starts(L->s + j, L->len - j, "月"))
                    j += 3;
                else
                    break;
            }
            if (nv == 3 && v[0] >= 1949 && duban_date_valid_ymd(v[0], v[1], v[2]))
                return duban_date_from_ymd(v[0], v[1], v[2]);
        }
    }
    return DUBAN_DATE_NONE;
}

/* A 发文字号 a web page prints among its metadata ("发文字号：铜政办发〔2020〕
 * 14号", "【发布文号】晋政发[2008]8号"), in its first lines. */
static bool meta_docno(const duban_text_t *t, size_t from, size_t end, char *num, size_t cap)
{
    static const char *const labels[] = {"发文字号", "发文文号", "发布文号", "文号", NULL};
    for (size_t i = from, seen = 0; i < end && seen < 20; i++) {
        const duban_line_t *L = &t->lines[i];
        if (!usable(L))
            continue;
        seen++;
        for (size_t k = 0; labels[k]; k++) {
            const char *p = duban_find(L->s, L->len, labels[k], strlen(labels[k]));
            if (!p)
                continue;
            size_t a = (size_t)(p - L->s) + strlen(labels[k]);
            while (a < L->len && (L->s[a] == ' ' || L->s[a] == ':' || L->s[a] == '|' ||
                                  starts(L->s + a, L->len - a, "：") ||
                                  starts(L->s + a, L->len - a, "】")))
                a += starts(L->s + a, L->len - a, "：") || starts(L->s + a, L->len - a, "】") ? 3 : 1;
            const char *hao = duban_find(L->s + a, L->len - a, "号", 3);
            if (hao && duban_gwdoc_docno(L->s + a, (size_t)(hao + 3 - L->s) - a, num, cap))
                return true;
        }
    }
    return false;
}

/* Reads the header of the unnumbered document d (lines [d->start, end)):
 * its title lines, recipients and signature (after the title, or before
 * it when a notice's signature precedes the plan it wraps), else the date
 * the page prints. Returns the first body line. */
static size_t read_unnumbered(parse_t *P, duban_gwdoc_doc_t *d, size_t end)
{
    const duban_text_t *t = P->t;
    size_t te = end, seen = 0;
    for (size_t i = d->start; i < end && seen < 60; i++) {
        if (!usable(&t->lines[i]))
            continue;
        seen++;
        if (title_end_line(&t->lines[i])) {
            te = i + 1;
            break;
        }
    }
    size_t ts = te;
    if (te < end || (te == end && seen && title_end_line(&t->lines[te - 1]))) {
        ts = find_title_start(t, te, d->start);
        if (ts == te)
            ts = te - 1;
        while (ts < te - 1 && meta_line(&t->lines[ts]))
            ts++;
        d->title = join_lines(t, ts, te);
    } else {
        te = ts = d->start;
        d->title = strdup("");
    }
    size_t r = next_usable(t, te, end);
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
        d->issue_date = meta_date(t, end);
    return te;
}

/* A title printed as a citation, "《…的通知》": the brackets go. */
static void unquote_title(duban_gwdoc_doc_t *d)
{
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
    if (n > 6 && starts(d->title, n, "《") && ends(d->title, n, "》") &&
        !duban_find(d->title + 3, n - 6, "《", 3)) {
        memmove(d->title, d->title + 3, n - 6);
        d->title[n - 6] = '\0';
    }
}

static void make_doc_id(const parse_t *P, duban_gwdoc_doc_t *d)
{
    unquote_title(d);
    if (d->doc_number) {
        d->doc_id = strdup(d->doc_number);
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
    d->doc_id = strdup(id);
}

/* ================================================================== */
/* Responsibility clauses                                               */

/* ROLE_PERSON: a label whose value names people (牵头领导：张三): it ends the
 * list before it and gives no unit. */
typedef enum { ROLE_LEAD, ROLE_COOP, ROLE_RESP, ROLE_TIME, ROLE_PERSON } role_t;

#define LBL(w, r) {w, sizeof(w) - 1, r}
/* Longer labels before the ones they end with (协同责任单位 before 责任单位). */
static const struct { const char *word; size_t len; role_t role; } LABELS[] = {
    LBL("协同责任单位", ROLE_COOP), LBL("协同部门", ROLE_COOP),   LBL("参加单位", ROLE_COOP),
    LBL("实施单位", ROLE_RESP),     LBL("主办", ROLE_LEAD),       LBL("协办", ROLE_COOP),
    LBL("牵头领导", ROLE_PERSON),   LBL("责任领导", ROLE_PERSON), LBL("分管领导", ROLE_PERSON),
    LBL("牵头市领导", ROLE_PERSON), LBL("牵头区领导", ROLE_PERSON), LBL("牵头县领导", ROLE_PERSON),
    LBL("牵头省领导", ROLE_PERSON), LBL("责任人", ROLE_PERSON),   LBL("联系人", ROLE_PERSON),
    LBL("牵头责任单位", ROLE_LEAD), LBL("配合责任单位", ROLE_COOP), LBL("主责单位", ROLE_LEAD),
    LBL("责任科室", ROLE_RESP),     LBL("完成期限", ROLE_TIME),     LBL("办结时限", ROLE_TIME),
    LBL("时限要求", ROLE_TIME),     LBL("整改实施主体", ROLE_LEAD), LBL("整改验收单位", ROLE_COOP), LBL("牵头单位", ROLE_LEAD),
    LBL("牵头部门", ROLE_LEAD),     LBL("组长单位", ROLE_LEAD),     LBL("主办单位", ROLE_LEAD),
    LBL("实施主体", ROLE_LEAD),     LBL("责任主体", ROLE_RESP),     LBL("责任单位", ROLE_RESP),
    LBL("责任部门", ROLE_RESP),     LBL("承办单位", ROLE_RESP),     LBL("承办部门", ROLE_RESP),
    LBL("配合单位", ROLE_COOP),     LBL("配合部门", ROLE_COOP),     LBL("协办单位", ROLE_COOP),
    LBL("参与单位", ROLE_COOP),     LBL("协同单位", ROLE_COOP),     LBL("成员单位", ROLE_COOP),
    LBL("完成时限", ROLE_TIME),     LBL("整改时限", ROLE_TIME),     LBL("完成时间", ROLE_TIME),
    LBL("时间节点", ROLE_TIME),
};
#define NLABELS (sizeof(LABELS) / sizeof(LABELS[0]))

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

/* End of a labelled list that starts at s[i]: a closing bracket of the
 * enclosing clause, 。 ； or a line break, or the next label. */
static size_t list_end(const char *s, size_t len, size_t i)
{
    int depth = 0;
    role_t r;
    size_t st;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            return i;
        if (c == 0xEF && starts(s + i, len - i, "（")) depth++;
        else if (c == 0xEF && starts(s + i, len - i, "）")) {
            if (depth == 0)
                return i;
            depth--;
        } else if (depth == 0 && c == 0xE3 && (starts(s + i, len - i, "〕") ||
                                                starts(s + i, len - i, "】"))) {
            return i;
        } else if (depth == 0 && ((c == 0xE3 && starts(s + i, len - i, "。")) ||
                                  (c == 0xEF && starts(s + i, len - i, "；"))))
            return i;
        else if (c == 0xEF && starts(s + i, len - i, "：") && label_before_colon(s, i, &r, &st)) {
            if (st >= 3 && starts(s + st - 3, len - st + 3, "，"))
                st -= 3;
            return st;
        }
        i += c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    }
    return len;
}

typedef struct {
    size_t start, end;           /* span of the clause in the text */
    duban_strlist_t lead, coop, resp;
    bool has_lead_label;
} clause_t;

#define MAX_CLAUSES 32

static void clause_free(clause_t *c)
{
    duban_strlist_free(&c->lead);
    duban_strlist_free(&c->coop);
    duban_strlist_free(&c->resp);
}

static bool is_national(const char *u)
{
    static const char *const pre[] = {"国务院", "国家", "中央", "全国", "中共中央", "最高人民",
                                      "党中央", NULL};
    static const char *const ministry[] = {"部", "署", "总局", NULL};
    static const char *const local[] = {"区", "市", "县", "镇", "乡", "旗", "州", "省", "街道",
                                        "委", NULL};
    size_t len = strlen(u);
    for (size_t k = 0; pre[k]; k++)
        if (starts(u, len, pre[k]))
            return true;
    if (!ends_any(u, len, ministry))
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

static bool unit_like_end(const char *s, size_t len);

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
            if (starts(u + i, n - i, jur[k]) && unit_like_end(u + i, n - i) &&
                !starts(u + i, n - i, "区分局") && !starts(u + i, n - i, "市分局"))
                return i;
    }
    return 0;
}

static void add_units(const char *s, size_t len, duban_strlist_t *out)
{
    duban_strlist_t tmp = DUBAN_STRLIST_INIT;
    duban_dept_split_units(s, len, &tmp);
    for (size_t i = 0; i < tmp.count; i++) {
        const char *u = tmp.items[i];
        size_t n = strlen(u), cut = run_together(u, n);
        if (cut) {
            char a[256];
            snprintf(a, sizeof(a), "%.*s", (int)cut, u);
            duban_strlist_push_unique(out, a);
            duban_strlist_push_unique(out, u + cut);
        } else {
            duban_strlist_push_unique(out, u);
        }
    }
    duban_strlist_free(&tmp);
}

static size_t gap_is_separator(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to;) {
        static const char *const seps[] = {"，", "；", "。", "（", "）", "、", NULL};
        size_t n = match_any(s + i, to - i, seps);
        if (n) { i += n; continue; }
        if (s[i] == ' ' || s[i] == '\n' || s[i] == ',') { i++; continue; }
        return false;
    }
    return true;
}

/* Labelled clauses: (牵头单位：…，配合单位：…) and label lines. */
static bool parse_inline(const char *s, size_t len, clause_t *c);

/* A labelled list whose parts carry role verbs ("X牵头，Y配合") names both
 * roles: true when it did, the units added to c. */
static bool role_verbs_split(const char *s, size_t len, clause_t *c)
{
    if (!contains(s, len, "牵头") || !(contains(s, len, "配合") || contains(s, len, "参与") ||
                                      contains(s, len, "协办")))
        return false;
    clause_t in;
    memset(&in, 0, sizeof(in));
    bool ok = parse_inline(s, len, &in) && in.lead.count > 0 && in.coop.count > 0;
    if (ok) {
        for (size_t i = 0; i < in.lead.count; i++) duban_strlist_push_unique(&c->lead, in.lead.items[i]);
        for (size_t i = 0; i < in.coop.count; i++) duban_strlist_push_unique(&c->coop, in.coop.items[i]);
        c->has_lead_label = true;
    }
    clause_free(&in);
    return ok;
}

static size_t find_labelled(const char *s, size_t len, clause_t *cl, size_t max)
{
    size_t nc = 0, last_end = 0;
    bool open = false;
    for (size_t from = 0; from < len;) {
        const char *col = duban_find(s + from, len - from, "：", 3);
        if (!col)
            break;
        size_t cpos = (size_t)(col - s), i;
        role_t role;
        if (!label_before_colon(s, cpos, &role, &i) || i < from) {
            from = cpos + 3;
            continue;
        }
        size_t ll = cpos + 3 - i;
        size_t ls = i + ll, le = list_end(s, len, ls);
        if (!open || !gap_is_separator(s, last_end, i)) {
            if (nc == max)
                break;
            memset(&cl[nc], 0, sizeof(cl[nc]));
            size_t st = i;
            if (st >= 3 && (starts(s + st - 3, len - st + 3, "（") ||
                            starts(s + st - 3, len - st + 3, "〔") ||
                            starts(s + st - 3, len - st + 3, "【")))
                st -= 3;
            cl[nc].start = st;
            nc++;
            open = true;
        }
        clause_t *c = &cl[nc - 1];
        if (role != ROLE_COOP && role_verbs_split(s + ls, le - ls, c)) {
            /* 责任单位：X牵头，Y配合: the verbs decide */
        } else if (role == ROLE_LEAD) {
            add_units(s + ls, le - ls, &c->lead);
            c->has_lead_label = true;
        } else if (role == ROLE_COOP) {
            add_units(s + ls, le - ls, &c->coop);
        } else if (role == ROLE_RESP) {
            add_units(s + ls, le - ls, &c->resp);
        }
        size_t e = le;
        if (starts(s + e, len - e, "）") || starts(s + e, len - e, "〕") ||
            starts(s + e, len - e, "】"))
            e += 3;
        c->end = e;
        last_end = le;
        from = le > cpos + 3 ? le : cpos + 3;
    }
    return nc;
}

static const char *const LEAD_VERBS[] = {
    "牵头完成", "牵头落实", "负责落实", "具体落实", "按照职责分工负责", "按各自职责负责",
    "负总责", "牵头抓总", "按职责分工负责", "按职责分别负责", "按职责分别牵头", "按职责负责",
    "按职能分工负责", "按职能分工落实", "按职责分工落实", "分别牵头负责",
    "分别牵头", "牵头负责", "共同牵头", "牵头", "主办", "共同负责", "分别负责", "分工负责",
    "具体负责", "负责", NULL};
static const char *const COOP_VERBS[] = {"配合完成", "协助配合", "共同配合", "配合", "协办", "参与",
                                         "协助", "协同", NULL};

static size_t verb_suffix(const char *s, size_t len, const char *const *verbs)
{
    for (size_t k = 0; verbs[k]; k++)
        if (ends(s, len, verbs[k]))
            return strlen(verbs[k]);
    return 0;
}

/* The part before a verb must end like a unit name. */
static bool unit_like_end(const char *s, size_t len)
{
    static const char *const u[] = {
        "局", "委", "办", "部", "院", "处", "镇", "街道", "心", "会", "所", "队", "司",
        "单位", "部门", "府", "区", "团", "联", "社", "站", "厅", "室", "组", "乡", "村",
        "企业", "机构", "馆", "校", "行", "署", "场", "网", "台", "园", NULL};
    while (len >= 3 && (ends(s, len, "分别") || ends(s, len, "共同")))
        len -= 6;
    return len >= 6 && ends_any(s, len, u);
}

/* Drops trailing 、，and spaces (a list cut before its verb). */
static size_t trim_list_end(const char *s, size_t a, size_t b)
{
    while (b > a && (s[b - 1] == ' ' || ends(s + a, b - a, "、") || ends(s + a, b - a, "，") ||
                     ends(s + a, b - a, "。") || ends(s + a, b - a, "等")))
        b -= s[b - 1] == ' ' ? 1 : 3;
    return b;
}

/* One "X牵头，Y配合" / "X按职责分工负责" group; false if not all parts
 * match. A part without a verb is a list continued after "，" (…分局，
 * 星海镇、各街道办事处配合完成): it takes the role of the next verb. */
static bool parse_inline(const char *s, size_t len, clause_t *c)
{
    size_t st = 0, matched = 0, pend = SIZE_MAX;
    bool led = false; /* a part named the lead with 牵头: later 负责 parts cooperate */
    for (size_t i = 0; i <= len;) {
        bool sep = i == len || starts(s + i, len - i, "，") || starts(s + i, len - i, "；");
        if (!sep) {
            i += ((unsigned char)s[i] >= 0xE0) ? 3 : 1;
            continue;
        }
        size_t a = st, b = trim_list_end(s, st, i);
        if (starts(s + a, b - a, "由"))
            a += 3;
        if (b > a) {
            size_t v, from = pend != SIZE_MAX ? pend : a;
            if ((v = verb_suffix(s + a, b - a, COOP_VERBS)) &&
                unit_like_end(s + a, trim_list_end(s, a, b - v) - a)) {
                add_units(s + from, trim_list_end(s, a, b - v) - from, &c->coop);
                pend = SIZE_MAX;
            } else if ((v = verb_suffix(s + a, b - a, LEAD_VERBS)) &&
                       unit_like_end(s + a, trim_list_end(s, a, b - v) - a)) {
                bool qiantou = contains(s + b - v, v, "牵头");
                /* "X牵头，Y等相关部门按职责分工负责": Y cooperates */
                add_units(s + from, trim_list_end(s, a, b - v) - from,
                          led && !qiantou ? &c->coop : &c->lead);
                led |= qiantou;
                c->has_lead_label = true;
                pend = SIZE_MAX;
            } else if (unit_like_end(s + a, b - a) && !contains(s + a, b - a, "。")) {
                if (pend == SIZE_MAX)
                    pend = a;
                st = i + (i < len ? 3 : 0);
                i = st;
                continue;
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
static bool bare_units(const char *s, size_t len, size_t i, size_t j, clause_t *c)
{
    size_t after = j + 3;
    while (after < len && s[after] == ' ')
        after++;
    bool at_end = after >= len || s[after] == '\n' || starts(s + after, len - after, "。") ||
                  starts(s + after, len - after, "；");
    bool after_sentence = i >= 3 && (starts(s + i - 3, len - i + 3, "。") ||
                                     starts(s + i - 3, len - i + 3, "；"));
    static const char *const roles[] = {"牵头", "配合", "负责", "参与", "协助", "主办", "协办",
                                        "职责", NULL};
    if (!at_end || !after_sentence || j - i - 3 > 3 * 80)
        return false;
    for (size_t k = 0; roles[k]; k++)
        if (contains(s + i, j - i, roles[k]))
            return false; /* role words: a clause parse_inline did not follow */
    duban_strlist_t u = DUBAN_STRLIST_INIT;
    add_units(s + i + 3, j - i - 3, &u);
    bool ok = u.count > 0;
    for (size_t k = 0; ok && k < u.count; k++)
        ok = unit_like_end(u.items[k], strlen(u.items[k])) && !is_national(u.items[k]);
    if (ok)
        c->lead = u;
    else
        duban_strlist_free(&u);
    return ok;
}

/* Parenthesised inline clauses not already covered by labelled ones. */
static size_t find_inline(const char *s, size_t len, clause_t *cl, size_t nc, size_t max)
{
    for (size_t i = 0; i + 3 <= len && nc < max;) {
        const char *op = duban_find(s + i, len - i, "（", 3);
        if (!op)
            break;
        i = (size_t)(op - s);
        size_t j = i + 3;
        int depth = 0;
        while (j < len && j - i < 2000 && !(depth == 0 && starts(s + j, len - j, "）"))) {
            if (starts(s + j, len - j, "（")) depth++;
            else if (starts(s + j, len - j, "）")) depth--;
            j += ((unsigned char)s[j] >= 0xE0) ? 3 : 1;
        }
        bool covered = false;
        for (size_t k = 0; k < nc; k++)
            if (i < cl[k].end && j > cl[k].start)
                covered = true;
        if (!covered && j < len && !contains(s + i, j - i, "：")) {
            memset(&cl[nc], 0, sizeof(cl[nc]));
            if (parse_inline(s + i + 3, j - i - 3, &cl[nc]) ||
                bare_units(s, len, i, j, &cl[nc])) {
                cl[nc].start = i;
                cl[nc].end = j + 3;
                nc++;
            } else {
                clause_free(&cl[nc]);
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

/* Resolves 责任单位 (lead unless a lead label is present) and drops
 * national clauses. Returns the kept count. */
static size_t finish_clauses(const char *s, clause_t *cl, size_t nc, size_t *national_out)
{
    size_t w = 0, nat = 0;
    qsort(cl, nc, sizeof(*cl), cmp_clause);
    for (size_t k = 0; k < nc; k++) {
        clause_t *c = &cl[k];
        duban_strlist_t *dst = c->has_lead_label ? &c->coop : &c->lead;
        for (size_t i = 0; i < c->resp.count; i++)
            duban_strlist_push_unique(dst, c->resp.items[i]);
        bool national = span_national(s + c->start, c->end - c->start) ||
                        (c->lead.count && is_national(c->lead.items[0]));
        if (national || (c->lead.count == 0 && c->coop.count == 0)) {
            nat += national;
            clause_free(c);
            continue;
        }
        cl[w++] = *c;
    }
    if (national_out)
        *national_out = nat;
    return w;
}

static size_t find_clauses(const char *s, size_t len, clause_t *cl, size_t max,
                           size_t *national)
{
    size_t nc = find_labelled(s, len, cl, max);
    nc = find_inline(s, len, cl, nc, max);
    return finish_clauses(s, cl, nc, national);
}

size_t duban_gwdoc_responsibility(const char *text, size_t len, duban_strlist_t *lead,
                                  duban_strlist_t *coop)
{
    clause_t cl[MAX_CLAUSES];
    size_t nc = find_clauses(text, len, cl, MAX_CLAUSES, NULL);
    for (size_t k = 0; k < nc; k++) {
        for (size_t i = 0; i < cl[k].lead.count; i++)
            duban_strlist_push_unique(lead, cl[k].lead.items[i]);
        for (size_t i = 0; i < cl[k].coop.count; i++)
            duban_strlist_push_unique(coop, cl[k].coop.items[i]);
        clause_free(&cl[k]);
    }
    return nc;
}

/* ================================================================== */
/* Outline markers                                                      */

enum { LV_CHAPTER = 1, LV_SECTION, LV_1, LV_2, LV_3, LV_4, LV_5, LV_PHASE };

typedef struct {
    int level;
    int value;          /* numeric value, for part detection */
    size_t len;         /* bytes of the marker incl. trailing spaces */
    char label[48];
    char lead[192];     /* "省编办牵头的工作": the lead of the items below */
} marker_t;

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

static bool marker_cn(const char *s, size_t len, marker_t *m)
{
    size_t u, i = 0;
    bool paren = starts(s, len, "（");
    if (paren)
        i = 3;
    i = skip_spaces(s, len, i);
    int v = duban_cn_number(s + i, len - i, &u);
    if (v < 0)
        return false;
    size_t e = skip_spaces(s, len, i + u);
    if (paren ? !starts(s + e, len - e, "）") : !starts(s + e, len - e, "、"))
        return false;
    m->level = paren ? LV_2 : LV_1;
    m->value = v;
    snprintf(m->label, sizeof(m->label), paren ? "(%.*s)" : "%.*s", (int)u, s + i);
    m->len = skip_spaces(s, len, e + 3);
    return true;
}

static bool marker_num(const char *s, size_t len, marker_t *m)
{
    size_t i = 0;
    bool paren = starts(s, len, "（");
    if (paren)
        i = 3;
    i = skip_spaces(s, len, i);
    size_t d0 = i;
    int v = 0;
    while (i < len && is_digit(s[i]) && i - d0 < 3)
        v = v * 10 + (s[i++] - '0');
    if (i == d0 || (i < len && is_digit(s[i])))
        return false;
    size_t e = skip_spaces(s, len, i);
    if (paren) {
        if (e < len && s[e] == '.')
            e++; /* （3.） */
        if (!starts(s + e, len - e, "）"))
            return false;
        e += 3;
    } else if (e < len && s[e] == '.' && !(e + 1 < len && is_digit(s[e + 1]))) {
        e += 1;
    } else if (starts(s + e, len - e, "、")) {
        e += 3;
    } else if (starts(s + e, len - e, "）")) {
        e += 3;
        paren = true; /* 1） is （1） */
    } else {
        return false;
    }
    m->level = paren ? LV_4 : LV_3;
    m->value = v;
    snprintf(m->label, sizeof(m->label), paren ? "(%d)" : "%d", v);
    m->len = skip_spaces(s, len, e);
    return true;
}

static bool marker_other(const char *s, size_t len, marker_t *m)
{
    /* ①..⑳ = U+2460..U+2473 */
    if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
        (unsigned char)s[2] >= 0xA0 && (unsigned char)s[2] <= 0xB3) {
        m->level = LV_5;
        m->value = (unsigned char)s[2] - 0xA0 + 1;
        snprintf(m->label, sizeof(m->label), "%.3s", s);
        m->len = skip_spaces(s, len, 3);
        return true;
    }
    /* ⑴..⒇ = U+2474..U+2487 */
    if (len >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x91 &&
        (unsigned char)s[2] >= 0xB4 && (unsigned char)s[2] <= 0xBF) {
        m->level = LV_4;
        m->value = (unsigned char)s[2] - 0xB4 + 1;
        snprintf(m->label, sizeof(m->label), "(%d)", m->value);
        m->len = skip_spaces(s, len, 3);
        return true;
    }
    if (starts(s, len, "第")) {
        size_t u;
        int v = duban_cn_number(s + 3, len - 3, &u);
        if (v < 0)
            return false;
        size_t e = 3 + u;
        int lv = starts(s + e, len - e, "章") ? LV_CHAPTER : starts(s + e, len - e, "节")
                     ? LV_SECTION : starts(s + e, len - e, "条") ? LV_1
                     : starts(s + e, len - e, "阶段") ? LV_PHASE : 0;
        if (!lv)
            return false;
        size_t w = lv == LV_PHASE ? 6 : 3; /* 第一阶段：动员部署（2023年7月3日—7月31日） */
        m->level = lv;
        m->value = v;
        snprintf(m->label, sizeof(m->label), "%.*s", (int)(e + w), s);
        m->len = skip_spaces(s, len, e + w);
        if (lv == LV_PHASE && starts(s + m->len, len - m->len, "："))
            m->len = skip_spaces(s, len, m->len + 3);
        return true;
    }
    if (starts(s, len, "任务") || starts(s, len, "问题")) {
        size_t i = skip_spaces(s, len, 6), d0 = i;
        int v = 0;
        while (i < len && is_digit(s[i]) && i - d0 < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == d0 || !(starts(s + i, len - i, "：") || s[i] == '.'))
            return false;
        m->level = LV_3;
        m->value = v;
        snprintf(m->label, sizeof(m->label), "%.6s%d", s, v);
        m->len = skip_spaces(s, len, i + (s[i] == '.' ? 1 : 3));
        return true;
    }
    return false;
}

static bool marker_at(const char *s, size_t len, marker_t *m)
{
    memset(m, 0, sizeof(*m));
    if (!(marker_cn(s, len, m) || marker_num(s, len, m) || marker_other(s, len, m)))
        return false;
    return m->len < len; /* a bare number is no item */
}

static bool line_is_item(const char *s, size_t len)
{
    marker_t m;
    return marker_at(s, len, &m);
}

/* "附件" / "附件2" alone on a line. */
static int attachment_label(const char *s, size_t len)
{
    char b[64];
    if (len > 40)
        return 0;
    size_t n = squeeze(s, len, b, sizeof(b));
    if (!starts(b, n, "附件"))
        return 0;
    int v = 0;
    size_t i = 6;
    while (i < n && is_digit(b[i]) && i < 6 + 4) /* 附件1 … 附件9999 */
        v = v * 10 + (b[i++] - '0');
    if (i + 3 == n && starts(b + i, n - i, "："))
        i = n; /* "附件：" alone, its list on the next lines */
    return i == n ? (v ? v : -1) : 0; /* -1: 附件 without a number */
}

/* ================================================================== */
/* The walk over one document's body                                   */

#define MAX_DEPTH 10
#define MAX_COLS 16

typedef struct {
    parse_t *P;
    size_t doc;
    duban_deadline_ctx_t dctx;
    marker_t stack[MAX_DEPTH];
    int depth;
    int part, attach;
    bool seen_l1;
    /* the document says "列第一位的为牵头单位": in an unlabelled list of
     * units the first leads and the others cooperate */
    bool first_leads;
    bool year_guessed;          /* the document year came from a citation */
    /* sibling items without a unit or deadline of their own, waiting for a
     * clause printed after the last of them ("（1）… （2）… （3）…
     * （责任单位：…）"), which is all of theirs */
    struct pending_item_s {
        char *text;
        size_t len, line_idx;
        char path[320];
    } pend[16];
    int npend, pend_level, pend_depth;
    /* current item */
    bool item_open;
    char item_path[320];
    duban_para_t item;
    size_t item_skip;
    /* paragraph being joined */
    duban_para_t para;
    size_t prev_li;
    /* table */
    int ncols, col_seq, col_task, col_lead, col_coop, col_dl;
    char header[512];
    char last_row[1024];
    char last_dl[256];
    int row_no, table_no;
    /* a table flattened one cell per line (deadline column before the
     * unit columns): rows end with a tail "持续推进 区财政局 区审计局" */
    bool flat, in_tail;
    char hdr_acc[256];
    duban_para_t row;
    char tail[512], row_path[320];
    int row_k;
    /* TAB tables: the unit cells of the last row that had some, inherited
     * by rows printed without theirs (merged cells of a web page's table) */
    char row_lead[512], row_coop[512];
    bool seq_less_row_inherits;
    /* a table printed one cell per line (web pages): its columns and the
     * row being read */
    struct cell_table_s *ct;
} walk_t;

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

static void path_prefix(const walk_t *w, char *out, size_t cap)
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
    /* all but the deadline (5 KB), which emit_task extracts in place */
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
    while (len >= 3 && (starts(s, len, "，") || starts(s, len, "；") || starts(s, len, "。")))
        s += 3, len -= 3;
    char *o = malloc(len + 1);
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
            if (n >= 3 && !(ends(o, n, "。") || ends(o, n, "；") || ends(o, n, "：") ||
                            ends(o, n, "）") || ends(o, n, "，")) && o[n - 1] != ' ')
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

typedef struct {
    const char *text;
    size_t len;
    const char *dl;       /* deadline source text */
    size_t dl_len;
    const duban_strlist_t *lead, *coop;
    size_t line_idx;
    bool shifted;         /* a table row whose cells did not line up */
    bool dl_cell;         /* dl is a deadline cell or label (its text unread: flagged) */
} task_in_t;

/* A deadline phrase the rules may not have understood: a label or a word
 * that deadlines are printed with (完成时限 / …底前 / …日前 / 季度 …). */
static bool deadline_hint(const char *s, size_t len)
{
    static const char *const w[] = {"时限", "期限", "完成时间", "时间节点", "底前", "日前",
                                    "月前", "年前", NULL};
    for (size_t k = 0; w[k]; k++)
        if (contains(s, len, w[k]))
            return true;
    return false;
}

/* The review codes of task t (see gwdoc.h), from what the walk knew. Units
 * are checked for the leads, to whom the alerts go. */
/* A unit name that reads as a body: it ends like one (局 委 办 中心 …), a
 * bracketed tail (财政局（金融工作局）) left out. */
static bool reads_as_body(const char *u)
{
    static const char *const pairs[][2] = {{"（", "）"}, {"〈", "〉"}, {"【", "】"}, {"(", ")"}};
    size_t n = strlen(u);
    for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        const char *br = duban_find(u, n, pairs[k][0], strlen(pairs[k][0]));
        if (br && br > u && ends(u, n, pairs[k][1])) {
            n = (size_t)(br - u); /* 各县区政府〈管委会〉: 各县区政府 */
            break;
        }
    }
    return unit_like_end(u, n) || ends(u, n, "协") || ends(u, n, "联") || ends(u, n, "关");
}

/* A recurrence that could be a deadline: 每季度 / 每个季度 / 每半年, or 每年 /
 * 每月 followed by a date (每年12月, 每月5日前, 每年年底); a dated task printed
 * with one is read two ways. 每年不少于40场次 is a quota, not a date. */
static bool recurrence_word(const char *s, size_t len)
{
    static const char *const always[] = {"每季度", "每个季度", "每半年", NULL};
    for (size_t k = 0; always[k]; k++)
        if (contains(s, len, always[k]))
            return true;
    static const char *const dated[] = {"每年", "每月", NULL};
    for (size_t k = 0; dated[k]; k++)
        for (const char *p = s; (p = duban_find(p, (size_t)(s + len - p), dated[k], 6)); p += 6) {
            size_t rest = (size_t)(s + len - p) - 6;
            const char *q = p + 6;
            if (rest > 0 && (is_digit(*q) || starts(q, rest, "年底") || starts(q, rest, "底") ||
                             starts(q, rest, "末") || starts(q, rest, "的")))
                return true;
        }
    return false;
}

static void review_task(const walk_t *w, const task_in_t *in, duban_gwdoc_task_t *t)
{
    bool unknown = false;
    const duban_dept_dir_t *dir = w->P->dir;
    for (size_t i = 0; i < t->lead_units.count; i++) {
        const char *u = t->lead_units.items[i];
        unknown |= !(dir && duban_dept_known(dir, u)) && !reads_as_body(u);
    }
    const duban_deadline_t *dl = &t->deadline;
    const char *dt = dl->text;
    if (t->lead_units.count == 0)
        duban_strlist_push(&t->review, DUBAN_REVIEW_NO_LEAD);
    if (unknown)
        duban_strlist_push(&t->review, DUBAN_REVIEW_UNKNOWN_UNIT);
    if (dl->kind == DUBAN_DEADLINE_NONE &&
        ((in->dl_cell && in->dl_len > 0) || deadline_hint(t->text, strlen(t->text))))
        duban_strlist_push(&t->review, DUBAN_REVIEW_DEADLINE_UNPARSED);
    if ((dl->flags & DUBAN_DEADLINE_F_AMBIGUOUS) ||
        (w->year_guessed && dl->kind == DUBAN_DEADLINE_DATED) ||
        (dl->kind == DUBAN_DEADLINE_DATED && !recurrence_word(dt, strlen(dt)) &&
         recurrence_word(t->text, strlen(t->text))))
        duban_strlist_push(&t->review, DUBAN_REVIEW_DEADLINE_AMBIGUOUS);
    if (in->shifted)
        duban_strlist_push(&t->review, DUBAN_REVIEW_TABLE_SHIFTED);
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

/* Makes a task of the item; false when it is none (no unit, no deadline). */
static bool emit_task(walk_t *w, const char *path, const task_in_t *in)
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
    if (!units && same && !memchr(in->text, '\n', in->len)) {
        /* most items are no task: probe the raw text before copying it */
        duban_deadline_extract(in->text, in->len, &w->dctx, dl, eb, sizeof(eb));
        if (dl->kind == DUBAN_DEADLINE_NONE) {
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
    if (!same)
        free(dls);
    if (!units && dl->kind == DUBAN_DEADLINE_NONE) {
        free(text);
        g->ntasks--;
        return false;
    }
    duban_gwdoc_doc_t *d = &g->docs[w->doc];
    t->doc = w->doc;
    t->outline_path = strdup(path);
    t->text = text;
    size_t idn = strlen(d->doc_id) + strlen(path) + 2;
    t->task_id = malloc(idn);
    if (t->task_id)
        snprintf(t->task_id, idn, "%s#%s", d->doc_id, path);
    const duban_line_t *L = &w->P->t->lines[in->line_idx];
    t->line = L->lineno;
    t->offset = L->offset;
    const char *jur = d->jurisdiction[0] ? d->jurisdiction : NULL;
    for (size_t i = 0; in->lead && i < in->lead->count; i++)
        duban_strlist_push_unique(&t->lead_units, in->lead->items[i]);
    for (size_t i = 0; in->coop && i < in->coop->count; i++)
        duban_strlist_push_unique(&t->coop_units, in->coop->items[i]);
    if (w->first_leads && t->lead_units.count > 1 && t->coop_units.count == 0 &&
        !separately_led(text)) {
        /* the document's rule: the first listed leads, the others cooperate */
        for (size_t i = 1; i < t->lead_units.count; i++)
            duban_strlist_push(&t->coop_units, t->lead_units.items[i]);
        while (t->lead_units.count > 1)
            free(t->lead_units.items[--t->lead_units.count]);
    }
    if (w->P->dir) {
        duban_dept_canonicalize(w->P->dir, &t->lead_units, jur, &t->lead_depts);
        duban_dept_canonicalize(w->P->dir, &t->coop_units, jur, &t->coop_depts);
    }
    review_task(w, in, t);
    if (t->review.count)
        g->warnings++;
    return true;
}

/* A person named by a post: 副市长, 省长, 书记, 主任, 常务副区长 … */
static bool person_title_end(const char *s, size_t len)
{
    static const char *const posts[] = {"市长", "省长", "区长", "县长", "镇长", "乡长", "旗长",
                                        "州长", "书记", "主任", "部长", "局长", "秘书长", "主席",
                                        "领导", NULL};
    return len >= 6 && len <= 3 * 12 && ends_any(s, len, posts);
}

/* A sentence that opens with "X牵头，Y配合…" or "由X负责，…" without
 * brackets (区委教育工作领导小组牵头，组织相关部门…): the leading segments
 * that end in a verb give the units, up to the first one that does not. */
static bool prose_clause(const char *s, size_t len, clause_t *c)
{
    memset(c, 0, sizeof(*c));
    if (!duban_find(s, len, "牵头", 6) && !duban_find(s, len, "负责", 6) &&
        !duban_find(s, len, "负总责", 9))
        return false;
    for (size_t st = 0; st < len;) {
        size_t e = st;
        while (e < len && s[e] != '\n' && !starts(s + e, len - e, "。"))
            e += ((unsigned char)s[e] >= 0xE0) ? 3 : 1;
        size_t a = st;
        bool any = false;
        while (a < e) {
            size_t b = a;
            while (b < e && !starts(s + b, e - b, "，") && !starts(s + b, e - b, "；"))
                b += ((unsigned char)s[b] >= 0xE0) ? 3 : 1;
            size_t x = a, v;
            if (starts(s + x, b - x, "由"))
                x += 3;
            else if (!any) { /* "…试验区事宜由杨志武副市长负责": the subject after 由 */
                const char *by = NULL;
                for (const char *q = s + x; (q = duban_find(q, (size_t)(s + b - q), "由", 3));
                     q += 3)
                    by = q;
                if (by && s + b - by <= 3 * 16)
                    x = (size_t)(by - s) + 3;
            }
            if (b - x > 90)
                break;
            if (!any && (v = verb_suffix(s + x, b - x, LEAD_VERBS)) &&
                person_title_end(s + x, b - x - v)) {
                a = b < e ? b + 3 : e; /* "由杨志武副市长负责": a person, not a unit */
                continue;
            }
            if ((v = verb_suffix(s + x, b - x, LEAD_VERBS)) &&
                unit_like_end(s + x, trim_list_end(s, x, b - v) - x)) {
                add_units(s + x, trim_list_end(s, x, b - v) - x, &c->lead);
            } else if (any && (v = verb_suffix(s + x, b - x, COOP_VERBS)) &&
                       unit_like_end(s + x, trim_list_end(s, x, b - v) - x)) {
                add_units(s + x, trim_list_end(s, x, b - v) - x, &c->coop);
            } else {
                break;
            }
            any = true;
            a = b < e ? b + 3 : e;
        }
        if (c->lead.count) {
            if (!is_national(c->lead.items[0]))
                return true;
            clause_free(c);
            return false;
        }
        clause_free(c);
        memset(c, 0, sizeof(*c));
        st = e + (e < len ? (s[e] == '\n' ? 1 : 3) : 0);
    }
    return false;
}

/* A duty list item "区统计局。定期对外公布…" / "区政府办公室：牵头负责…":
 * the unit named before the first 。/： owns the item. */
static bool duty_subject(const char *s, size_t len, clause_t *c)
{
    static const char *const seps[] = {"。", "：", NULL};
    static const char *const verbs[] = {"负责", "牵头", "定期", "承担", "统筹", "组织", NULL};
    size_t lim = len < 90 ? len : 90;
    for (size_t i = 6; i + 3 <= lim; i += ((unsigned char)s[i] >= 0xE0) ? 3 : 1) {
        size_t n = match_any(s + i, len - i, seps);
        if (!n)
            continue;
        if (!unit_like_end(s, i) || contains(s, i, "，") || contains(s, i, "、") ||
            !match_any(s + i + n, len - i - n, verbs))
            return false;
        memset(c, 0, sizeof(*c));
        add_units(s, i, &c->lead);
        if (c->lead.count && !is_national(c->lead.items[0]))
            return true;
        clause_free(c);
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
    return p > 0 && s[p - 1] == '\n';
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
        if (!p || p == s || !unit_like_end(s, (size_t)(p - s)) || contains(s, (size_t)(p - s), "，"))
            continue;
        memset(c, 0, sizeof(*c));
        add_units(s, (size_t)(p - s), &c->lead);
        if (c->lead.count && !is_national(c->lead.items[0]))
            return true;
        clause_free(c);
    }
    return false;
}

/* The lead a heading above the current item named, or NULL. */
static const char *inherited_lead(const walk_t *w)
{
    for (int i = w->depth - 2; i >= 0; i--)
        if (w->stack[i].lead[0])
            return w->stack[i].lead;
    return NULL;
}

static void finalize_item(walk_t *w)
{
    if (!w->item_open)
        return;
    w->item_open = false;
    const char *s = w->item.buf + w->item_skip;
    size_t len = w->item.len - w->item_skip;
    clause_t cl[MAX_CLAUSES];
    size_t national = 0;
    size_t nc = find_clauses(s, len, cl, MAX_CLAUSES, &national);
    if (nc == 0 && national > 0)
        return; /* owned by national bodies: not a local task */
    clause_t head;
    if ((nc == 0 || (nc == 1 && cl[0].lead.count == 0)) && lead_heading(s, len, &head)) {
        if (nc == 0)
            cl[0] = head; /* "（一）省监察厅牵头的工作" */
        else { /* "（二）省审计厅牵头的工作 … 协同单位：…" */
            cl[0].lead = head.lead;
            duban_strlist_free(&head.coop);
            duban_strlist_free(&head.resp);
        }
        nc = 1;
        if (w->depth > 0) {
            char *o = w->stack[w->depth - 1].lead;
            size_t cap = sizeof(w->stack[0].lead), n = 0;
            for (size_t i = 0; i < cl[0].lead.count && n + 4 < cap; i++)
                n += (size_t)snprintf(o + n, cap - n, "%s%s", i ? "、" : "", cl[0].lead.items[i]);
        }
    }
    if (nc == 0 && (duty_subject(s, len, &cl[0]) || prose_clause(s, len, &cl[0])))
        nc = 1;
    const char *up = inherited_lead(w);
    if (up && (nc == 0 || (nc == 1 && cl[0].lead.count == 0))) {
        if (nc == 0)
            memset(&cl[0], 0, sizeof(cl[0]));
        add_units(up, strlen(up), &cl[0].lead);
        nc = 1;
    }
    int level = w->depth > 0 ? w->stack[w->depth - 1].level : 0;
    if (w->npend && (level != w->pend_level || w->depth != w->pend_depth))
        pending_clear(w);
    if (nc <= 1) {
        task_in_t in = {s, len, s, len, nc ? &cl[0].lead : NULL, nc ? &cl[0].coop : NULL,
                        w->item.line_idx[0], false, false};
        bool made = emit_task(w, w->item_path, &in);
        if (!made && nc == 0) {
            pending_add(w, s, len, w->item.line_idx[0], level);
        } else if (made && nc == 1 && trailing_clause(s, &cl[0])) {
            for (int k = 0; k < w->npend; k++) { /* the clause is the siblings' too */
                struct pending_item_s *pi = &w->pend[k];
                task_in_t pin = {pi->text, pi->len, pi->text, pi->len, &cl[0].lead, &cl[0].coop,
                                 pi->line_idx, false, false};
                emit_task(w, pi->path, &pin);
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
                            duban_para_line_at(&w->item, w->item_skip + p), false, false};
            emit_task(w, path, &in);
            st = e;
        }
    }
    for (size_t k = 0; k < nc; k++)
        clause_free(&cl[k]);
}

/* Marker types nest in the order a document first uses them (一、 >
 * （一） > 1. > （1） is only the usual case): a type already on the stack
 * closes everything below it, a new type opens a child level. */
static void push_marker(walk_t *w, const marker_t *m)
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
    if (w->depth < MAX_DEPTH)
        w->stack[w->depth++] = *m;
}

/* Appends paragraph p (text and line map) to dst. */
static void para_append(duban_para_t *dst, const duban_para_t *p)
{
    if (dst->len + p->len + 1 > dst->cap) {
        size_t cap = dst->cap ? dst->cap : 256;
        while (cap < dst->len + p->len + 1)
            cap *= 2;
        char *b = realloc(dst->buf, cap);
        if (!b)
            return;
        dst->buf = b;
        dst->cap = cap;
    }
    if (dst->nseg + p->nseg > dst->segcap) {
        size_t cap = dst->segcap ? dst->segcap : 16;
        while (cap < dst->nseg + p->nseg)
            cap *= 2;
        size_t *a = realloc(dst->pos, cap * sizeof(*a));
        if (!a)
            return;
        dst->pos = a;
        size_t *b = realloc(dst->line_idx, cap * sizeof(*b));
        if (!b)
            return;
        dst->line_idx = b;
        dst->segcap = cap;
    }
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
    path_prefix(w, w->item_path, sizeof(w->item_path));
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
        if (starts(s, len, keys[k]) && (starts(s + n, len - n, "：") || starts(s + n, len - n, ":")))
            return true;
    }
    return false;
}

static void handle_para(walk_t *w)
{
    duban_para_t *p = &w->para;
    const duban_text_t *t = w->P->t;
    if (p->len == 0)
        return;
    int att;
    marker_t m;
    if (duban_cn_date_line(p->buf, p->len) != DUBAN_DATE_NONE || is_public_marker(p->buf, p->len) ||
        contact_line(p->buf, p->len)) {
        finalize_item(w); /* a date, 此件公开发布, a contact: the item ended above */
        return;
    }
    if ((att = attachment_label(p->buf, p->len)) != 0) {
        finalize_item(w);
        w->attach = att;
        w->part = 1;
        w->seen_l1 = false;
        w->depth = 0;
        w->ncols = 0;
        return;
    }
    if (marker_at(p->buf, p->len, &m)) {
        finalize_item(w);
        w->ncols = 0;
        push_marker(w, &m);
        open_item(w, p, &m);
        return;
    }
    if (!w->item_open)
        return;
    duban_para_add_break(&w->item);
    para_append(&w->item, p);
    (void)t;
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */

typedef struct {
    const char *s[MAX_COLS];
    size_t n[MAX_COLS];
    int count;
} cells_t;

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

/* A header cell without spaces; m2 is its length without a trailing
 * bracketed qualifier (牵头单位（部门）). */
typedef struct {
    char b[128];
    size_t m, m2;
} cell_key_t;

static void cell_key(const char *s, size_t n, cell_key_t *k)
{
    k->m = squeeze(s, n, k->b, sizeof(k->b));
    const char *br = k->m > 3 ? duban_find(k->b + 3, k->m - 3, "（", 3) : NULL;
    k->m2 = br && ends(k->b, k->m, "）") ? (size_t)(br - k->b) : k->m;
}

static bool cell_is(const cell_key_t *k, const char *const *words)
{
    for (; *words; words++) {
        size_t wl = strlen(*words);
        if ((wl == k->m && memcmp(k->b, *words, k->m) == 0) ||
            (wl == k->m2 && memcmp(k->b, *words, k->m2) == 0))
            return true;
    }
    return false;
}

static bool try_header(walk_t *w, const cells_t *c, bool pipe_row)
{
    static const char *const lead[] = {"牵头单位", "牵头部门", "牵头部门（单位）", "组长单位",
                                       "主责单位", "牵头责任单位",
                                       "承办部门", "承办单位", "单位", "牵头单位（部门）", NULL};
    static const char *const resp[] = {"责任单位", "责任部门", "责任主体", NULL};
    static const char *const coop[] = {"配合单位", "配合部门", "配合部门（单位）", "协办单位", NULL};
    static const char *const dl[] = {"完成时限", "时限", "完成时间", "整改时限", "时间节点",
                                     "决策时间", "时间", "完成期限", "办结时限", "时限要求", NULL};
    static const char *const seq[] = {"序号", NULL};
    static const char *const unit_only[] = {"单位", NULL};
    int cl = -1, cr = -1, cc = -1, cd = -1, cs = -1, ct = -1;
    cell_key_t key;
    for (int i = 0; i < c->count; i++)
        if (c->n[i] > 60)
            return false; /* a data row: header cells are short */
    for (int i = 0; i < c->count; i++) {
        cell_key(c->s[i], c->n[i], &key);
        if (cell_is(&key, lead)) cl = i;
        else if (cell_is(&key, resp)) cr = i;
        else if (cell_is(&key, coop)) cc = i;
        else if (cell_is(&key, dl)) cd = i;
        else if (cell_is(&key, seq)) cs = i;
        else if (contains(c->s[i], c->n[i], "任务") || contains(c->s[i], c->n[i], "内容") ||
                 contains(c->s[i], c->n[i], "措施") || contains(c->s[i], c->n[i], "事项") ||
                 contains(c->s[i], c->n[i], "要求"))
            ct = i; /* the last of them: 工作任务 | 具体要求 -> the requirements */
    }
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
    w->row_no = 0;
    w->table_no++;
    w->last_dl[0] = '\0';
    w->last_row[0] = '\0';
    w->row_lead[0] = w->row_coop[0] = '\0';
    w->seq_less_row_inherits = pipe_row;
    return true;
}

/* The name after a space is a branch of the one before it (市生态环境局
 * 大武口分局): the two are one name. */
static bool branch_follows(const char *s, size_t n)
{
    static const char *const b[] = {"分局", "分公司", "分中心", "支队", "大队", "中队", "所", NULL};
    size_t e = 0;
    while (e < n && s[e] != ' ' && !starts(s + e, n - e, "、") && !starts(s + e, n - e, "，"))
        e++;
    return e < 9 || ends_any(s, e, b);
}

/* A table cell listing units with spaces between them ("县教体局 各相关乡镇
 * 政府"): a space after a complete unit name is a separator, one inside a
 * name (letter-spacing, "区 政 府") is not. Writes the list into buf. */
static size_t space_separated(const char *s, size_t n, char *buf, size_t cap)
{
    size_t w = 0, seg = 0;
    for (size_t i = 0; i < n && w + 4 < cap; i++) {
        if (s[i] == ' ' && i > seg && unit_like_end(s + seg, i - seg) && i + 6 < n &&
            (unsigned char)s[i + 1] >= 0xE0 && !branch_follows(s + i + 1, n - i - 1)) {
            memcpy(buf + w, "、", 3);
            w += 3;
            seg = i + 1;
            continue;
        }
        if (starts(s + i, n - i, "、") || starts(s + i, n - i, "，"))
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
    if (parse_inline(s, n, &c)) {
        for (size_t i = 0; i < c.lead.count; i++) duban_strlist_push_unique(lead, c.lead.items[i]);
        for (size_t i = 0; i < c.coop.count; i++) duban_strlist_push_unique(coop, c.coop.items[i]);
    } else {
        add_units(s, n, lead);
    }
    clause_free(&c);
}

/* A row whose cells slid one column (the content cell empty, the long text
 * in its neighbour, 002 L427): shift every cell back. */
static void realign_row(const walk_t *w, cells_t *c)
{
    int tc = w->col_task;
    if (tc < 0 || (tc < c->count && c->n[tc] >= 18))
        return;
    int longest = 0;
    for (int i = 1; i < c->count; i++)
        if (c->n[i] > c->n[longest])
            longest = i;
    int delta = longest - tc;
    if ((delta != 1 && delta != -1) || c->n[longest] < 30)
        return;
    cells_t o = *c;
    for (int j = 0; j < MAX_COLS; j++) {
        int k = j + delta;
        c->s[j] = k >= 0 && k < o.count ? o.s[k] : "";
        c->n[j] = k >= 0 && k < o.count ? o.n[k] : 0;
    }
    c->count = o.count - delta > MAX_COLS ? MAX_COLS : o.count - delta;
}

static void handle_row(walk_t *w, size_t li)
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
        finalize_item(w);
        snprintf(w->header, sizeof(w->header), "%s", hdr);
        return;
    }
    if (!w->ncols || strcmp(hdr, w->last_row) == 0 || strspn(hdr, "-:|") == strlen(hdr))
        return;
    bool shifted = c.count < w->ncols - 1 || c.count > w->ncols + 1;
    snprintf(w->last_row, sizeof(w->last_row), "%s", hdr);
    w->row_no++;
    realign_row(w, &c);
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
        for (int j = c.count; j > 0; j--)
            c.s[j] = c.s[j - 1], c.n[j] = c.n[j - 1];
        c.s[0] = "", c.n[0] = 0;
        c.count++;
    }
    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
    bool unit_cells = (w->col_lead < c.count && c.n[w->col_lead]) ||
                      (w->col_coop >= 0 && w->col_coop < c.count && c.n[w->col_coop]);
    if (!unit_cells && w->seq_less_row_inherits && w->row_lead[0]) {
        /* merged unit cells: the row above's (a pipe table's sub-row) */
        cell_units(w->row_lead, strlen(w->row_lead), &lead, &coop);
        add_units(w->row_coop, strlen(w->row_coop), &coop);
    }
    if (w->col_lead < c.count)
        cell_units(c.s[w->col_lead], c.n[w->col_lead], &lead, &coop);
    if (w->col_coop >= 0 && w->col_coop < c.count && w->col_coop != w->col_lead)
        add_units(c.s[w->col_coop], c.n[w->col_coop], &coop);
    if (unit_cells) {
        snprintf(w->row_lead, sizeof(w->row_lead), "%.*s",
                 w->col_lead < c.count ? (int)c.n[w->col_lead] : 0,
                 w->col_lead < c.count ? c.s[w->col_lead] : "");
        snprintf(w->row_coop, sizeof(w->row_coop), "%.*s",
                 w->col_coop >= 0 && w->col_coop < c.count && w->col_coop != w->col_lead
                     ? (int)c.n[w->col_coop] : 0,
                 w->col_coop >= 0 && w->col_coop < c.count ? c.s[w->col_coop] : "");
    }
    if (lead.count && is_national(lead.items[0]))
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
            if (c.n[i] > c.n[tc] && i != w->col_lead && i != w->col_coop)
                tc = i;
    }
    char dlbuf[2048];
    if (!dl) { /* no deadline column: a date may be in any text cell (进展情况: 11月底前完成) */
        dl = c.s[tc];
        dln = c.n[tc];
        size_t n = (size_t)snprintf(dlbuf, sizeof(dlbuf), "%.*s", (int)c.n[tc], c.s[tc]);
        for (int i = 0; i < c.count && n < sizeof(dlbuf); i++)
            if (i != tc && i != w->col_lead && i != w->col_coop && i != w->col_seq && c.n[i])
                n += (size_t)snprintf(dlbuf + n, sizeof(dlbuf) - n, "；%.*s", (int)c.n[i], c.s[i]);
        if (n > c.n[tc] && n < sizeof(dlbuf)) {
            dl = dlbuf;
            dln = n;
        }
    }
    char base[320], path[400];
    path_prefix(w, base, sizeof(base));
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
    task_in_t in = {c.s[tc], c.n[tc], dl, dln, &lead, &coop, li, shifted, w->col_dl >= 0};
    emit_task(w, path, &in);
    duban_strlist_free(&lead);
    duban_strlist_free(&coop);
}

/* ------------------------------------------------------------------ */

static void flush_para(walk_t *w)
{
    handle_para(w);
    duban_para_reset(&w->para);
}

typedef struct {
    const char *id;
    size_t index;
} id_ref_t;

static int cmp_id_ref(const void *a, const void *b)
{
    const id_ref_t *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

static void rename_task(duban_gwdoc_task_t *t, int k)
{
    size_t n = strlen(t->task_id) + 16;
    char *id = malloc(n), *path = malloc(n);
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
static void dedupe_ids(duban_gwdoc_t *g, size_t first)
{
    size_t n = g->ntasks - first;
    if (n < 2)
        return;
    id_ref_t *r = malloc(n * sizeof(*r));
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
    return ends(s, n, "措施") || ends(s, n, "任务") || ends(s, n, "内容");
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
        if (starts(L->s, L->len, w[k]))
            return true;
    return L->len >= 7 && is_digit(L->s[0]) && is_digit(L->s[1]) && is_digit(L->s[2]) &&
           is_digit(L->s[3]) && starts(L->s + 4, L->len - 4, "年") && L->len <= 40;
}

/* Unit names of a tail: fragments joined, a cut where a name ends (局 公司
 * 委 办 …) and the next begins with a jurisdiction (区 市 县). */
static void tail_units(const char *s, duban_strlist_t *lead, duban_strlist_t *coop)
{
    char buf[512];
    size_t n = 0, cut = SIZE_MAX;
    const char *sp = strchr(s, ' ');
    if (sp) { /* cells separated by spaces on one line */
        add_units(s, (size_t)(sp - s), lead);
        add_units(sp + 1, strlen(sp + 1), coop);
        return;
    }
    n = squeeze(s, strlen(s), buf, sizeof(buf));
    static const char *const ends_u[] = {"局", "公司", "委", "办", "院", "中心", NULL};
    for (size_t i = 3; i + 3 <= n && cut == SIZE_MAX; i += 3) {
        if ((unsigned char)buf[i] < 0xE0)
            break;
        if (ends_any(buf, i, ends_u) && (starts(buf + i, n - i, "区") ||
                                         starts(buf + i, n - i, "市") ||
                                         starts(buf + i, n - i, "各") ||
                                         starts(buf + i, n - i, "县")))
            cut = i;
    }
    if (cut == SIZE_MAX) {
        add_units(buf, n, lead);
        return;
    }
    add_units(buf, cut, lead);
    add_units(buf + cut, n - cut, coop);
}

static void flat_emit(walk_t *w)
{
    w->in_tail = false;
    if (w->row.len == 0)
        return;
    char path[320], full[352];
    path_prefix(w, path, sizeof(path));
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
        bool cont = ln <= 9 && (starts(nl + 1, ln, "前") || starts(nl + 1, ln, "月") ||
                                starts(nl + 1, ln, "底") || is_digit(t[dn - 1]));
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
                    false, true};
    emit_task(w, full, &in);
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
    bool mk = marker_at(p->buf, p->len, &m);
    clause_t cl[MAX_CLAUSES];
    size_t nat = 0, nc = find_clauses(p->buf, p->len, cl, MAX_CLAUSES, &nat);
    for (size_t k = 0; k < nc; k++)
        clause_free(&cl[k]);
    if (mk && (nat > 0 || m.level == LV_1 || m.level == LV_2)) {
        push_marker(w, &m);
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

static void flat_line(walk_t *w, size_t li)
{
    const duban_line_t *L = &w->P->t->lines[li];
    marker_t m;
    if (header_line(L)) {
        if (w->in_tail)
            flat_emit(w);
        return;
    }
    if (w->in_tail) {
        if (L->len <= 18 && !contains(L->s, L->len, "。") && !marker_at(L->s, L->len, &m)) {
            size_t n = strlen(w->tail);
            snprintf(w->tail + n, sizeof(w->tail) - n, "\n%s", L->s);
            return;
        }
        flat_emit(w);
    }
    if (deadline_start(L)) {
        flat_block(w);
        snprintf(w->tail, sizeof(w->tail), "%s", L->s);
        w->in_tail = true;
        if (contains(L->s, L->len, " "))
            flat_emit(w);
        return;
    }
    if (w->para.len && marker_at(L->s, L->len, &m))
        flat_block(w);
    duban_para_add(&w->para, w->P->t, li);
    if (ends(L->s, L->len, "）"))
        flat_block(w);
}

/* Header fragments "完成" "时限" "牵头部门" accumulate; a deadline column
 * before a lead column switches to flattened-table reading. */
static bool flat_header(walk_t *w, const duban_line_t *L)
{
    if (!header_line(L)) {
        w->hdr_acc[0] = '\0';
        return false;
    }
    size_t n = strlen(w->hdr_acc);
    snprintf(w->hdr_acc + n, sizeof(w->hdr_acc) - n, "%s", L->s);
    const char *tl = strstr(w->hdr_acc, "时限");
    if (tl && strstr(tl, "牵头")) {
        finalize_item(w);
        duban_para_reset(&w->para);
        w->flat = true;
        w->hdr_acc[0] = '\0';
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Tables printed one cell per line                                     */
/* A web page's table loses its grid: the header cells (序号 / 目标任务 /
 * 牵头单位 / 配合单位), then every cell, each on a line of its own, with
 * blank lines or lone "|" between them; empty cells leave nothing, long
 * cells wrap onto several lines and a cell listing several units may put
 * each on its own line. Cells are read in column order, each one into the
 * next column whose kind it fits (a unit list, a person, a deadline, a
 * number, text); a row starts at a number in the 序号 column, at an
 * enumerated task or at text after the row's units. */

typedef enum { COL_SEQ, COL_TASK, COL_LEAD, COL_RESP, COL_COOP, COL_DEADLINE, COL_PERSON,
               COL_OTHER } col_kind_t;

#define CT_MAX_COLS 12
#define CT_CELL_MAX 2048

typedef struct cell_table_s {
    col_kind_t col[CT_MAX_COLS];
    int ncols, table_no, row_no;
    int last;                      /* column of the last cell, -1 at row start */
    char cell[CT_MAX_COLS][CT_CELL_MAX];
    size_t task_line;              /* line index of the task cell */
    bool has_task, has_units;
    char prev_lead[CT_CELL_MAX], prev_coop[CT_CELL_MAX];
    /* "| cell" lines: each "|" opens a cell, a lone "|" ends the row, and a
     * line without one continues the cell (a name printed a character or
     * two per line: 市/监/察/局); merged cells are inherited column by column */
    bool pipes;
    char pend[CT_CELL_MAX];
    size_t pend_line;
    /* a row per line, cells separated by single spaces ("1 地区生产总值增长6%。
     * 区发展改革委 同比增长2.9%。"), a unit list wrapping one unit per line */
    bool spaced;
} cell_table_t;

static col_kind_t header_cell_kind(const char *s, size_t n, bool *is_header)
{
    static const char *const seq[] = {"序号", "编号", NULL};
    static const char *const lead[] = {"牵头单位", "牵头部门", "主责单位", "牵头责任单位",
                                       "主办单位", "组长单位", "牵头单位（部门）", NULL};
    static const char *const resp[] = {"责任单位", "责任部门", "责任主体", "主要责任单位",
                                       "实施单位", "承办单位", "责任处室", "责任科室", "保障部门",
                                       "保障单位", NULL};
    static const char *const coop[] = {"配合单位", "配合部门", "协办单位", "参与单位",
                                       "协同单位", "协同责任单位", "配合责任单位", NULL};
    static const char *const dl[] = {"完成时限", "时限", "完成时间", "时间节点", "完成期限",
                                     "办结时限", "时间安排", "进度安排", "时限要求", NULL};
    cell_key_t k;
    cell_key(s, n, &k);
    *is_header = true;
    if (cell_is(&k, seq)) return COL_SEQ;
    if (cell_is(&k, lead)) return COL_LEAD;
    if (cell_is(&k, resp)) return COL_RESP;
    if (cell_is(&k, coop)) return COL_COOP;
    if (cell_is(&k, dl)) return COL_DEADLINE;
    if (k.m <= 24 && (ends(k.b, k.m, "领导") || ends(k.b, k.m, "责任人") ||
                      ends(k.b, k.m, "联系人")))
        return COL_PERSON;
    if (k.m <= 36 && (contains(k.b, k.m, "任务") || contains(k.b, k.m, "内容") ||
                      contains(k.b, k.m, "目标") || contains(k.b, k.m, "措施") ||
                      contains(k.b, k.m, "事项") || contains(k.b, k.m, "指标名称") ||
                      contains(k.b, k.m, "项目名称") || contains(k.b, k.m, "要求") ||
                      ends(k.b, k.m, "工作")))
        return COL_TASK;
    if (k.m <= 24 && (contains(k.b, k.m, "情况") || contains(k.b, k.m, "进展") ||
                      contains(k.b, k.m, "进度") || contains(k.b, k.m, "类别") ||
                      contains(k.b, k.m, "项目") || contains(k.b, k.m, "考核") ||
                      contains(k.b, k.m, "评分") || contains(k.b, k.m, "备注") ||
                      contains(k.b, k.m, "分值") || contains(k.b, k.m, "标准") ||
                      contains(k.b, k.m, "指标") || contains(k.b, k.m, "领域") ||
                      ends(k.b, k.m, "单位") || contains(k.b, k.m, "数量")))
        return COL_OTHER; /* 业主单位, 项目数量: not the responsible ones */
    *is_header = false;
    return COL_OTHER;
}

/* A line that is only table furniture: "|", "||||", "---". */
static bool cell_separator(const duban_line_t *L)
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
    return !usable(L) || cell_separator(L);
}

/* Column kinds of one header cell into h; false when it is not one. */
static bool header_cell_add(cell_table_t *h, const char *s, size_t n, bool *units, bool *task,
                            bool *seq)
{
    bool hdr;
    col_kind_t k = header_cell_kind(s, n, &hdr);
    if (!hdr || h->ncols >= CT_MAX_COLS)
        return false;
    if (k == COL_TASK && *task)
        k = COL_OTHER; /* one task column: the first */
    h->col[h->ncols++] = k;
    *units |= k == COL_LEAD || k == COL_RESP;
    *task |= k == COL_TASK;
    *seq |= k == COL_SEQ;
    return true;
}

/* A header printed on one line, its cells separated by single spaces
 * ("序号 目标任务 责任单位 上半年推进情况"), with rows printed the same way
 * below it (the next line has spaces too). */
static bool spaced_header(const duban_text_t *t, size_t li, size_t end, cell_table_t *h,
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
        nx = next_usable(t, nx + 1, end);
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
static bool cell_table_header(walk_t *w, size_t li, size_t end, size_t *after)
{
    const duban_text_t *t = w->P->t;
    cell_table_t h;
    memset(&h, 0, sizeof(h));
    bool units = false, task = false, seq = false;
    size_t i = li, last = li;
    if (spaced_header(t, li, end, &h, &units, &task, &seq)) {
        h.spaced = true;
        i = end; /* the header is this line */
    } else {
        memset(&h, 0, sizeof(h));
        units = task = seq = false;
    }
    for (; i < end && h.ncols < CT_MAX_COLS; i++) {
        const duban_line_t *L = &t->lines[i];
        if (blank_or_separator(L))
            continue;
        const char *hs = L->s;
        size_t hn = L->len;
        if (hn > 2 && hs[0] == '|') { /* "| 目 标 任 务" */
            h.pipes = true;
            hs++, hn--;
            while (hn && *hs == ' ')
                hs++, hn--;
        }
        if (hn > 30 || (L->flags & DUBAN_LINE_TAB) || contains(hs, hn, "：") ||
            !header_cell_add(&h, hs, hn, &units, &task, &seq))
            break;
        last = i;
    }
    if (h.ncols < 3 || !units || !(task || seq))
        return false;
    if (!w->ct && !(w->ct = calloc(1, sizeof(*w->ct))))
        return false;
    int table_no = w->ct->table_no;
    memset(w->ct, 0, sizeof(*w->ct));
    memcpy(w->ct->col, h.col, sizeof(h.col));
    w->ct->ncols = h.ncols;
    w->ct->pipes = h.pipes;
    w->ct->spaced = h.spaced;
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
    while (i + 3 <= n && (starts(s + i, n - i, "★") || starts(s + i, n - i, "☆") ||
                          starts(s + i, n - i, "●")))
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
    duban_strlist_t u = DUBAN_STRLIST_INIT;
    add_units(s, n, &u);
    size_t like = 0;
    for (size_t i = 0; i < u.count; i++) {
        const char *x = u.items[i];
        size_t xl = strlen(x);
        like += unit_like_end(x, xl) || (w->P->dir && duban_dept_known(w->P->dir, x)) ||
                ends(x, xl, "政府") || ends(x, xl, "公司");
    }
    /* the first reads as a unit and most do (★区商务局、吴江海关) */
    bool ok = u.count > 0 && like * 2 >= u.count &&
              (unit_like_end(u.items[0], strlen(u.items[0])) ||
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
        if (starts(b + i, m - i, "、") || starts(b + i, m - i, "，")) {
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
    duban_deadline_t dl;
    char eb[64];
    duban_deadline_extract(s, n, &w->dctx, &dl, eb, sizeof(eb));
    return dl.kind != DUBAN_DEADLINE_NONE;
}

static bool cell_fits(walk_t *w, col_kind_t k, const duban_line_t *L)
{
    switch (k) {
    case COL_SEQ: return cell_digits(L->s, L->len);
    case COL_LEAD: case COL_RESP: case COL_COOP: return cell_is_units(w, L->s, L->len);
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
    if (!ct->has_task) {
        memset(ct->cell, 0, sizeof(ct->cell));
        ct->last = -1;
        ct->has_units = false;
        return;
    }
    bool has_lead_col = false;
    for (int c = 0; c < ct->ncols; c++)
        has_lead_col |= ct->col[c] == COL_LEAD;
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
    } else if (!lead_s[0] && !coop_s[0]) { /* merged unit cells: the row above's */
        snprintf(lead_s, sizeof(lead_s), "%s", ct->prev_lead);
        snprintf(coop_s, sizeof(coop_s), "%s", ct->prev_coop);
    }
    for (char *q = lead_s; (q = strstr(q, "★")) != NULL;)
        memmove(q, q + 3, strlen(q + 3) + 1);
    cell_units(lead_s, strlen(lead_s), &lead, &coop);
    add_units(coop_s, strlen(coop_s), &coop);
    if (lead.count && is_national(lead.items[0]))
        duban_strlist_clear(&lead), duban_strlist_clear(&coop);
    snprintf(ct->prev_lead, sizeof(ct->prev_lead), "%s", lead_s);
    snprintf(ct->prev_coop, sizeof(ct->prev_coop), "%s", coop_s);
    ct->row_no++;
    char base[320], path[400];
    path_prefix(w, base, sizeof(base));
    if (cell_digits(seq, strlen(seq)))
        snprintf(path, sizeof(path), "%s%s表%d.%s", base, base[0] ? "." : "", ct->table_no, seq);
    else
        snprintf(path, sizeof(path), "%s%s表%d.R%d", base, base[0] ? "." : "", ct->table_no,
                 ct->row_no);
    size_t tl = strlen(task);
    bool dl_cell = dl != NULL;
    char dlbuf[CT_CELL_MAX];
    if (!dl) { /* no deadline column: a date may be in any text cell (细化措施: 到2020年) */
        size_t n = (size_t)snprintf(dlbuf, sizeof(dlbuf), "%s", task);
        for (int c = 0; c < ct->ncols && n < sizeof(dlbuf); c++)
            if (ct->col[c] == COL_OTHER && ct->cell[c][0])
                n += (size_t)snprintf(dlbuf + n, sizeof(dlbuf) - n, "；%s", ct->cell[c]);
        if (n > tl && n < sizeof(dlbuf))
            dl = dlbuf;
    }
    task_in_t in = {task, tl, dl ? dl : task, dl ? strlen(dl) : tl, &lead, &coop, ct->task_line,
                    false, dl_cell};
    emit_task(w, path, &in);
    duban_strlist_free(&lead);
    duban_strlist_free(&coop);
    memset(ct->cell, 0, sizeof(ct->cell));
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
static void cell_line(walk_t *w, size_t li)
{
    cell_table_t *ct = w->ct;
    const duban_line_t *L = &w->P->t->lines[li];
    if (ct->spaced) {
        marker_t m;
        if (!memchr(L->s, ' ', L->len) && marker_at(L->s, L->len, &m) &&
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
    if (!ct->pipes) {
        cell_text(w, li, L);
        return;
    }
    /* pipe mode: assemble the cell, hand it on when the next one opens */
    if (L->s[0] == '|' || cell_separator(L)) {
        cell_pending_flush(w);
        if (cell_separator(L)) { /* "|" alone: the row ends */
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

/* One cell of a cell table: the text of line li, or of the lines a pipe
 * table's cell spans (L). */
static void cell_text(walk_t *w, size_t li, const duban_line_t *L)
{
    cell_table_t *ct = w->ct;
    marker_t m;
    bool marked = marker_at(L->s, L->len, &m);
    if (marked && (m.level == LV_1 || m.level == LV_2) && !cell_is_units(w, L->s, L->len) &&
        L->len < 120 && !ct->has_task) {
        push_marker(w, &m); /* a section row: 一、… / （一）… */
        return;
    }
    int start = ct->last + 1;
    bool new_row = false;
    for (int c = 0; c < ct->ncols; c++)
        if (ct->col[c] == COL_SEQ && cell_fits(w, COL_SEQ, L))
            new_row = ct->last >= 0, start = new_row ? 0 : start;
    if (!new_row && ct->has_task && marked && m.level >= LV_3)
        new_row = true; /* the next enumerated task */
    if (!new_row && !ct->spaced && ct->has_units && ct->has_task &&
        !cell_fits(w, COL_COOP, L)) {
        bool later_unit = false;
        for (int c = start; c < ct->ncols; c++)
            later_unit |= col_is_unit(ct->col[c]);
        new_row = !later_unit || ct->col[ct->last] != COL_LEAD;
    }
    if (new_row) {
        cell_row_emit(w);
        start = 0;
    }
    /* a unit stacked under the one before it, in the same column */
    if (ct->last >= 0 && col_is_unit(ct->col[ct->last]) && cell_fits(w, COL_LEAD, L) &&
        (ct->last + 1 >= ct->ncols || !col_is_unit(ct->col[ct->last + 1]))) {
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
    if (col_is_unit(ct->col[c]))
        ct->has_units = true;
    cell_put(ct, c, v, vn, "");
    ct->last = c;
}

/* The table ends: the cell still being assembled, then the row. */
static void cell_table_finish(walk_t *w)
{
    cell_pending_flush(w);
    cell_row_emit(w);
}

/* Whether line li ends a cell table: an attachment, a date, a title. */
static bool cell_table_ends(const walk_t *w, size_t li)
{
    const duban_line_t *L = &w->P->t->lines[li];
    return attachment_label(L->s, L->len) || duban_cn_date_line(L->s, L->len) != DUBAN_DATE_NONE ||
           is_public_marker(L->s, L->len) || (L->flags & DUBAN_LINE_TAB) ||
           (L->len > 30 && title_end_line(L) &&
            (ends(L->s, L->len, "表") || ends_any(L->s, L->len, TITLE_END)));
}

/* ------------------------------------------------------------------ */
/* Records printed one key cell per line                                */
/* A one-row table of a 公示 or 整改 page, printed as its key cells and
 * their values down the page: "整改任务" / the problem / "责任单位" / the
 * units / "整改时限" / the date. A record needs a task key and a unit key;
 * a task key seen again starts the next record. */

typedef enum { KV_NONE, KV_TASK, KV_LEAD, KV_COOP, KV_DEADLINE, KV_OTHER } kv_key_t;

static kv_key_t kv_key(const duban_line_t *L)
{
    static const char *const task[] = {"整改任务", "工作任务", "主要任务", "重点任务", "任务内容",
                                       "工作内容", "存在问题", "反馈问题", "问题描述", "督办事项",
                                       "具体问题", NULL};
    static const char *const lead[] = {"责任单位", "牵头单位", "责任部门", "牵头部门", "主责单位",
                                       "承办单位", "整改责任单位", NULL};
    static const char *const coop[] = {"配合单位", "配合部门", "协办单位", "参与单位", NULL};
    static const char *const dl[] = {"整改时限", "完成时限", "办结时限", "完成时间", "时限要求", NULL};
    static const char *const other[] = {"整改目标", "整改措施", "整改情况", "完成情况", "责任人",
                                        "牵头领导", "责任领导", "备注", "整改要求", "序号", NULL};
    if (!usable(L) || L->len > 24 || (L->flags & DUBAN_LINE_TAB))
        return KV_NONE;
    cell_key_t k;
    cell_key(L->s, L->len, &k);
    if (k.m >= 3 && (ends(k.b, k.m, "：") || ends(k.b, k.m, ":")))
        k.m -= ends(k.b, k.m, "：") ? 3 : 1, k.m2 = k.m; /* "责任单位：" alone */
    if (cell_is(&k, task)) return KV_TASK;
    if (cell_is(&k, lead)) return KV_LEAD;
    if (cell_is(&k, coop)) return KV_COOP;
    if (cell_is(&k, dl)) return KV_DEADLINE;
    if (cell_is(&k, other)) return KV_OTHER;
    return KV_NONE;
}

/* Reads the records from line li on: true (and *after, the first line
 * past them) when at least one was read. */
static bool kv_records(walk_t *w, size_t li, size_t end, size_t *after)
{
    const duban_text_t *t = w->P->t;
    if (kv_key(&t->lines[li]) != KV_TASK)
        return false;
    /* a record: task and unit keys, each followed by a value line */
    bool unit = false;
    for (size_t i = li, n = 0; i < end && n < 40; i = next_usable(t, i + 1, end), n++) {
        kv_key_t k = kv_key(&t->lines[i]);
        if (k == KV_LEAD)
            unit = true;
        if (k == KV_NONE && n == 0)
            return false;
    }
    if (!unit)
        return false;
    flush_para(w); /* what came before the record is complete */
    finalize_item(w);
    char path[400], base[320];
    duban_para_t task, val;
    duban_para_init(&task);
    duban_para_init(&val);
    char lead_s[1024] = "", coop_s[1024] = "", dl_s[256] = "";
    kv_key_t cur = KV_NONE;
    size_t i = li, task_line = li, last = li;
    for (;;) {
        kv_key_t k = i < end ? kv_key(&t->lines[i]) : KV_NONE;
        bool stop = i >= end || cell_table_ends(w, i) || has_leader(t->lines[i].s, t->lines[i].len);
        if (k != KV_NONE || stop) { /* the value of `cur` is complete */
            char *dst = cur == KV_LEAD ? lead_s : cur == KV_COOP ? coop_s :
                        cur == KV_DEADLINE ? dl_s : NULL;
            size_t cap = cur == KV_DEADLINE ? sizeof(dl_s) : sizeof(lead_s);
            if (dst && val.len) {
                size_t have = strlen(dst);
                snprintf(dst + have, cap - have, "%s%.*s", have ? "、" : "", (int)val.len, val.buf);
            }
            if (cur == KV_TASK && val.len && !task.len) {
                for (size_t s = 0; s < val.nseg; s++)
                    duban_para_add(&task, t, val.line_idx[s]);
                task_line = val.line_idx[0];
            }
            duban_para_reset(&val);
            if ((k == KV_TASK && task.len) || stop) { /* the record is complete */
                if (task.len && lead_s[0]) {
                    duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
                    cell_units(lead_s, strlen(lead_s), &lead, &coop);
                    add_units(coop_s, strlen(coop_s), &coop);
                    path_prefix(w, base, sizeof(base));
                    snprintf(path, sizeof(path), "%s%s表%d", base, base[0] ? "." : "",
                             ++w->table_no);
                    task_in_t in = {task.buf, task.len, dl_s[0] ? dl_s : task.buf,
                                    dl_s[0] ? strlen(dl_s) : task.len, &lead, &coop, task_line,
                                    false, dl_s[0] != '\0'};
                    emit_task(w, path, &in);
                    duban_strlist_free(&lead);
                    duban_strlist_free(&coop);
                }
                duban_para_reset(&task);
                lead_s[0] = coop_s[0] = dl_s[0] = '\0';
                if (stop)
                    break;
            }
            cur = k;
        } else if (cur != KV_NONE) {
            duban_para_add(&val, t, i);
        }
        last = i;
        i = next_usable(t, i + 1, end);
    }
    duban_para_free(&task);
    duban_para_free(&val);
    *after = last + 1;
    return true;
}

/* A document that prints no date and no number of its own: the latest
 * year of the 发文字号 it cites (…根据《…》（昆政发〔2016〕13号）), which it
 * cannot precede. 0 when it cites none. */
static int cited_year(const duban_text_t *t, size_t from, size_t end, bool *guessed)
{
    int best = 0;
    for (size_t i = from; i < end; i++) {
        const char *s = t->lines[i].s, *e = s + t->lines[i].len, *p = s;
        while ((p = duban_find(p, (size_t)(e - p), "〔", 3)) && p + 10 <= e) {
            int y = 0, k = 3;
            while (k < 7 && is_digit(p[k]))
                y = y * 10 + (p[k++] - '0');
            if (k == 7 && starts(p + 7, (size_t)(e - p - 7), "〕") && y >= 1990 && y <= 2100 &&
                y > best)
                best = y;
            p += 3;
        }
    }
    *guessed = best != 0;
    return best;
}

/* A document that prints no date, no number and cites none: the first
 * year it prints (2009年环保专项行动), as the deadline reader does for an
 * item on its own; 0 when it prints none. The year is a guess (flagged). */
static int printed_year(const duban_text_t *t, size_t from, size_t end, bool *guessed)
{
    for (size_t i = from; i < end; i++) {
        const char *s = t->lines[i].s;
        size_t n = t->lines[i].len;
        for (size_t k = 0; k + 7 <= n; k++) {
            if ((s[k] != '1' && s[k] != '2') || (k > 0 && is_digit(s[k - 1])))
                continue;
            int y = 0, d = 0;
            while (d < 4 && is_digit(s[k + d]))
                y = y * 10 + (s[k + (size_t)d++] - '0');
            if (d == 4 && starts(s + k + 4, n - k - 4, "年") && y >= 1990 && y <= 2100) {
                *guessed = true;
                return y;
            }
        }
    }
    return 0;
}

/* "（…列第一位的为牵头单位，下同）", "列第一位为牵头或汇总单位": the
 * document's own rule for unlabelled lists of units. */
static bool first_listed_leads(const duban_text_t *t, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++) {
        const duban_line_t *L = &t->lines[i];
        const char *p = duban_find(L->s, L->len, "第一位", 9);
        if (p && duban_find(p, (size_t)(L->s + L->len - p) < 30 ? (size_t)(L->s + L->len - p) : 30,
                            "牵头", 6))
            return true;
    }
    return false;
}

static int year_of_number(const char *num)
{
    const char *p = strstr(num, "〔");
    int y = 0;
    for (int i = 0; p && i < 4 && is_digit(p[3 + i]); i++)
        y = y * 10 + (p[3 + i] - '0');
    return y;
}

static void walk_doc(parse_t *P, size_t di, size_t body)
{
    const duban_text_t *t = P->t;
    duban_gwdoc_doc_t *d = &P->g->docs[di];
    walk_t *w = calloc(1, sizeof(*w));
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
    w->first_leads = first_listed_leads(t, d->start, d->end);
    duban_para_init(&w->item);
    duban_para_init(&w->para);
    duban_para_init(&w->row);
    d->first_task = P->g->ntasks;
    bool have = false, in_cells = false;
    for (size_t li = body; li < d->end; li++) {
        const duban_line_t *L = &t->lines[li];
        if (in_cells) {
            if (!usable(L) || (cell_separator(L) && !w->ct->pipes))
                continue;
            if (!cell_table_ends(w, li)) {
                cell_line(w, li);
                continue;
            }
            cell_table_finish(w);
            in_cells = false;
        }
        if (!usable(L))
            continue;
        marker_t sm;
        if ((L->flags & DUBAN_LINE_PIPES) && !(L->flags & DUBAN_LINE_TAB) && w->ncols &&
            marker_at(L->s, L->len, &sm)) {
            /* "一、以公开助力… |": a section row of the pipe table being read */
            flush_para(w);
            finalize_item(w);
            push_marker(w, &sm);
            have = false;
            continue;
        }
        if (has_leader(L->s, L->len)) { /* a table of contents entry */
            flush_para(w);
            finalize_item(w);
            pending_clear(w);
            have = false;
            continue;
        }
        size_t after;
        if (!w->flat && L->len <= 24 && kv_records(w, li, d->end, &after)) {
            have = false;
            li = after - 1;
            continue;
        }
        if (!w->flat && !(L->flags & DUBAN_LINE_TAB) && (L->len <= 40 || memchr(L->s, ' ', L->len)) &&
            cell_table_header(w, li, d->end, &after)) {
            flush_para(w);
            finalize_item(w);
            have = false;
            in_cells = true;
            li = after - 1;
            continue;
        }
        if (L->flags & DUBAN_LINE_TAB) {
            flush_para(w);
            have = false;
            w->flat = false;
            handle_row(w, li);
            continue;
        }
        if (w->flat) {
            if (attachment_label(L->s, L->len)) {
                w->flat = false;
            } else {
                flat_line(w, li);
                continue;
            }
        } else if (!w->flat && flat_header(w, L)) {
            if (w->flat) {
                have = false;
                continue;
            }
        }
        if (have && duban_text_should_join(&t->lines[w->prev_li], L)) {
            duban_para_add(&w->para, t, li);
        } else {
            flush_para(w);
            duban_para_add(&w->para, t, li);
        }
        have = true;
        w->prev_li = li;
    }
    if (w->flat) {
        if (w->in_tail)
            flat_emit(w);
        duban_para_reset(&w->para);
    }
    if (in_cells)
        cell_table_finish(w);
    flush_para(w);
    finalize_item(w);
    dedupe_ids(P->g, d->first_task);
    d->task_count = P->g->ntasks - d->first_task;
    duban_para_free(&w->item);
    duban_para_free(&w->para);
    duban_para_free(&w->row);
    pending_clear(w);
    free(w->ct);
    free(w);
}

/* ================================================================== */
/* Driver                                                               */

typedef struct {
    size_t li;
    size_t cut;          /* > 0: the title ends the line's first cut bytes */
    char num[128];
} anchor_t;

static size_t find_anchors(const duban_text_t *t, anchor_t **out)
{
    size_t n = 0, cap = 0;
    anchor_t *a = NULL;
    for (size_t i = 0; i < t->nlines; i++) {
        char num[128];
        size_t cut;
        if (!is_anchor(t, i, num, sizeof(num), &cut))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            anchor_t *na = realloc(a, cap * sizeof(*na));
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
        if (is_trailer(&t->lines[i]) && t->lines[i].len < 90)
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

duban_err_t duban_gwdoc_parse(const duban_text_t *t, const duban_dept_dir_t *dir,
                              duban_gwdoc_t *g, char *errbuf, size_t errbuf_size)
{
    memset(g, 0, sizeof(*g));
    if (!t)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "no text");
    anchor_t *a = NULL;
    size_t na = find_anchors(t, &a);
    size_t *starts_at = calloc(na + 1, sizeof(size_t));
    if (na && !starts_at) {
        free(a);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "out of memory");
    }
parse_t P = {t, dir, g};
    /* A task is 5 KB: room for one per 16 lines up front spares the
     * doublings their copies (the pages are only touched when used). */
    size_t hint = t->nlines / 16 + 64;
    g->tasks = malloc(hint * sizeof(*g->tasks));
    g->captasks = g->tasks ? hint : 0;
    for (size_t k = 0; k < na; k++) {
        starts_at[k] = find_title_start(t, a[k].li, k ? a[k - 1].li + 1 : 0);
        if (a[k].cut && (contains(t->lines[a[k].li].s, a[k].cut, "关于") ||
                         starts_at[k] == a[k].li))
            starts_at[k] = a[k].li; /* the title is on the number's line */
    }
    /* No 发文字号 anywhere: the file is one document. Text before the first
     * numbered document is one too, kept when it holds tasks (an excerpt
     * that starts inside a plan and cites a number further down). */
    size_t lead_end = na ? starts_at[0] : t->nlines;
    if (lead_end > 0) {
        duban_gwdoc_doc_t *d = push_doc(g);
        if (d) {
            d->start = 0;
            d->end = lead_end;
            size_t body = read_unnumbered(&P, d, d->end);
            char num[128];
            if (meta_docno(t, d->start, d->end, num, sizeof(num)))
                d->doc_number = strdup(num); /* a web page's metadata */
            size_t first = next_usable(t, d->start, d->end);
            if (first < t->nlines) {
                d->line = t->lines[first].lineno;
                d->offset = t->lines[first].offset;
            }
            for (size_t i = d->start; i < body && d->title && d->title[0]; i++)
                if (usable(&t->lines[i]) && title_end_line(&t->lines[i])) {
                    d->line = t->lines[find_title_start(t, i + 1, d->start)].lineno;
                    d->offset = t->lines[find_title_start(t, i + 1, d->start)].offset;
                    break;
                }
            body_hash(&P, d);
            make_doc_id(&P, d);
            walk_doc(&P, g->ndocs - 1, body);
            if (d->task_count == 0) /* no task: text, not a document to follow up */
                doc_free(&g->docs[--g->ndocs]);
        }
    }
    for (size_t k = 0; k < na; k++) {
        duban_gwdoc_doc_t *d = push_doc(g);
        if (!d)
            break;
        d->start = starts_at[k];
        d->end = k + 1 < na ? starts_at[k + 1] : t->nlines;
        d->doc_number = strdup(a[k].num);
        d->line = t->lines[d->start].lineno;
        d->offset = t->lines[d->start].offset;
        read_header(&P, d, a[k].li, d->end);
        if (a[k].cut) { /* lines above (if any), then the line's title part */
            char *above = join_lines(t, d->start, a[k].li), part[1024];
            squeeze(t->lines[a[k].li].s, a[k].cut, part, sizeof(part));
            size_t n = (above ? strlen(above) : 0) + strlen(part) + 1;
            char *title = malloc(n);
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
        if (d->issue_date == DUBAN_DATE_NONE && k == 0) /* a web page's copy */
            d->issue_date = meta_date(t, a[k].li + 6 < d->end ? a[k].li + 6 : d->end);
        make_doc_id(&P, d);
        body_hash(&P, d);
        walk_doc(&P, g->ndocs - 1, body);
    }
    free(starts_at);
    free(a);
    reprint_all(t, g);
    return DUBAN_OK;
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
        duban_gwdoc_task_t *t = &g->tasks[i];
        free(t->task_id);
        free(t->outline_path);
        free(t->text);
        duban_strlist_free(&t->lead_units);
        duban_strlist_free(&t->coop_units);
        duban_strlist_free(&t->lead_depts);
        duban_strlist_free(&t->coop_depts);
        duban_strlist_free(&t->review);
    }
    free(g->docs);
    free(g->tasks);
    memset(g, 0, sizeof(*g));
}
