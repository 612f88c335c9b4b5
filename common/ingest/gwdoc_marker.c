/* common/ingest/gwdoc_marker.c: outline markers (一、 （一） ㈠ 1. （1） ①
 * 第一章 …) and attachment labels: their level and value. */
#include "gwdoc_int.h"

static size_t skip_spaces(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

static bool marker_cn(const char *s, size_t len, marker_t *m)
{
    size_t u, i = 0;
    bool paren = duban_starts(s, len, "（");
    if (paren)
        i = 3;
    i = skip_spaces(s, len, i);
    int v = duban_cn_number(s + i, len - i, &u);
    if (v < 0)
        return false;
    size_t e = skip_spaces(s, len, i + u);
    size_t close = 3;
    if (paren && !duban_starts(s + e, len - e, "）")) {
        /* "（一加强…": a page that lost the closing bracket */
        size_t nl;
        if (e != i + u || !duban_cn_unclosed_marker(s + i, len - i, &nl) ||
            duban_find(s, len < 30 ? len : 30, "）", 3))
            return false;
        close = 0;
    } else if (!paren && !duban_starts(s + e, len - e, "、")) {
        /* "一.加强…", "二．…" (a period for the enumeration comma), not "一.5" */
        bool dot = e < len && s[e] == '.' && !(e + 1 < len && is_digit(s[e + 1]));
        if (!dot && !duban_starts(s + e, len - e, "．"))
            return false;
        close = dot ? 1 : 3;
    }
    m->level = paren ? LV_2 : LV_1;
    m->value = v;
    snprintf(m->label, sizeof(m->label), paren ? "(%.*s)" : "%.*s", (int)u, s + i);
    m->len = skip_spaces(s, len, e + close);
    return true;
}

/* "一要统一思想认识。…": a paragraph that opens with a Chinese numeral and
 * 要 (not 要求 要点 要素 …, words of their own). Not 一是… / 二是…: those
 * paragraphs list the measures of the item above them, whose responsibility
 * clause follows them (the shared gazette 000, 石大政办发〔2022〕76号). */
static bool marker_say(const char *s, size_t len, marker_t *m)
{
    static const char *const words[] = {"要求", "要点", "要素", "要件", "要闻", "要案", "要事",
                                        NULL};
    size_t u;
    int v = duban_cn_number(s, len, &u);
    if (v < 1 || v > 20 || u > 6 || !duban_starts(s + u, len - u, "要"))
        return false;
    for (size_t k = 0; words[k]; k++)
        if (duban_starts(s + u, len - u, words[k]))
            return false;
    if (len - u < 3 * 6)
        return false; /* "一要" and little else: no item */
    m->level = LV_SAY;
    m->value = v;
    snprintf(m->label, sizeof(m->label), "%.*s", (int)u, s);
    m->len = u;
    return true;
}

static bool marker_num(const char *s, size_t len, marker_t *m)
{
    size_t i = 0;
    bool paren = duban_starts(s, len, "（");
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
        if (!duban_starts(s + e, len - e, "）"))
            return false;
        e += 3;
    } else if (e < len && s[e] == '.' && !(e + 1 < len && is_digit(s[e + 1]))) {
        e += 1;
    } else if (duban_starts(s + e, len - e, "、")) {
        e += 3;
    } else if (duban_starts(s + e, len - e, "）")) {
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
    /* ① (level 5), ⑴ = (1), ⒈ = 1., ㈠ = （一） */
    duban_enclosed_t kind;
    int ev = duban_cn_enclosed(s, len, &kind);
    if (ev > 0) {
        static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
        switch (kind) {
        case DUBAN_ENCLOSED_CIRCLED:
            m->level = LV_5;
            snprintf(m->label, sizeof(m->label), "%.3s", s);
            break;
        case DUBAN_ENCLOSED_PAREN:
            m->level = LV_4;
            snprintf(m->label, sizeof(m->label), "(%d)", ev);
            break;
        case DUBAN_ENCLOSED_STOP:
            m->level = LV_3;
            snprintf(m->label, sizeof(m->label), "%d", ev);
            break;
        case DUBAN_ENCLOSED_IDEOGRAPH:
            m->level = LV_2;
            snprintf(m->label, sizeof(m->label), "(%s)", cn[ev - 1]);
            break;
        }
        m->value = ev;
        m->len = skip_spaces(s, len, 3);
        return true;
    }
    if (duban_starts(s, len, "第")) {
        size_t u;
        int v = duban_cn_number(s + 3, len - 3, &u);
        if (v < 0)
            return false;
        size_t e = 3 + u;
        int lv = duban_starts(s + e, len - e, "章") ? LV_CHAPTER : duban_starts(s + e, len - e, "节")
                     ? LV_SECTION : duban_starts(s + e, len - e, "条") ? LV_1
                     : duban_starts(s + e, len - e, "阶段") ? LV_PHASE
                     : duban_starts(s + e, len - e, "步") ? LV_PHASE : 0;
        if (!lv)
            return false;
        /* 第一阶段：动员部署（2023年7月3日—7月31日）; 第二步：由…牵头 */
        size_t w = lv == LV_PHASE && duban_starts(s + e, len - e, "阶段") ? 6 : 3;
        m->level = lv;
        m->value = v;
        snprintf(m->label, sizeof(m->label), "%.*s", (int)(e + w), s);
        m->len = skip_spaces(s, len, e + w);
        if (lv == LV_PHASE && duban_starts(s + m->len, len - m->len, "："))
            m->len = skip_spaces(s, len, m->len + 3);
        else if (lv == LV_PHASE && duban_starts(s + m->len, len - m->len, ":"))
            m->len = skip_spaces(s, len, m->len + 1);
        return true;
    }
    if (duban_starts(s, len, "任务") || duban_starts(s, len, "问题")) {
        size_t i = skip_spaces(s, len, 6), d0 = i;
        int v = 0;
        while (i < len && is_digit(s[i]) && i - d0 < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == d0 || !(duban_starts(s + i, len - i, "：") || s[i] == '.'))
            return false;
        m->level = LV_3;
        m->value = v;
        snprintf(m->label, sizeof(m->label), "%.6s%d", s, v);
        m->len = skip_spaces(s, len, i + (s[i] == '.' ? 1 : 3));
        return true;
    }
    return false;
}

/* "二是大力推进县镇村绿化美化工作。…": a paragraph that opens with a Chinese
 * numeral and 是. gw_handle_para reads it as an item only at a document's
 * top level (no outline marker before the first of them): under an item
 * such paragraphs list its measures (marker_say). */
bool gw_marker_shi(const char *s, size_t len, marker_t *m)
{
    size_t u;
    memset(m, 0, offsetof(marker_t, phase));
    int v = duban_cn_number(s, len, &u);
    if (v < 1 || v > 20 || u > 6 || !duban_starts(s + u, len - u, "是") || len - u < 3 * 8)
        return false;
    m->level = LV_SAY;
    m->value = v;
    snprintf(m->label, sizeof(m->label), "%.*s", (int)u, s);
    m->len = u + 3;
    return true;
}

bool gw_marker_at(const char *s, size_t len, marker_t *m)
{
    memset(m, 0, offsetof(marker_t, phase)); /* has_phase false: phase unread */
    if (!(marker_cn(s, len, m) || marker_num(s, len, m) || marker_other(s, len, m) ||
          marker_say(s, len, m)))
        return false;
    return m->len < len; /* a bare number is no item */
}

bool gw_line_is_item(const char *s, size_t len)
{
    marker_t m;
    return gw_marker_at(s, len, &m);
}

/* "附件" / "附件2" alone on a line. */
int gw_attachment_label(const char *s, size_t len)
{
    char b[64];
    if (len > 40)
        return 0;
    size_t n = squeeze(s, len, b, sizeof(b));
    if (!duban_starts(b, n, "附件"))
        return 0;
    int v = 0;
    size_t i = 6;
    while (i < n && is_digit(b[i]) && i < 6 + 4) /* 附件1 … 附件9999 */
        v = v * 10 + (b[i++] - '0');
    if (i + 3 == n && duban_starts(b + i, n - i, "："))
        i = n; /* "附件：" alone, its list on the next lines */
    return i == n ? (v ? v : -1) : 0; /* -1: 附件 without a number */
}
