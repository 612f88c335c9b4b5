/* common/ingest/cnnum.c: Chinese numerals (see cnnum.h). */
#include <stdbool.h>
#include <string.h>
#include "cnnum.h"
#include "date.h"
#include "str.h"
#include "utf8.h"

int duban_cn_digit(const char *s, size_t len)
{
    if (len < 3)
        return -1;
    const unsigned char *u = (const unsigned char *)s;
    switch ((uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2]) {
    case 0xE99BB6: /* 零 */ case 0xE38087: /* 〇 */ case 0xE2978B: /* ○ */ return 0;
    case 0xE4B880: /* 一 */ return 1;
    case 0xE4BA8C: /* 二 */ return 2;
    case 0xE4B889: /* 三 */ return 3;
    case 0xE59B9B: /* 四 */ return 4;
    case 0xE4BA94: /* 五 */ return 5;
    case 0xE585AD: /* 六 */ return 6;
    case 0xE4B883: /* 七 */ return 7;
    case 0xE585AB: /* 八 */ return 8;
    case 0xE4B99D: /* 九 */ return 9;
    default: return -1;
    }
}

static bool lit(const char *s, size_t len, size_t i, const char *l)
{
    return i + 3 <= len && memcmp(s + i, l, 3) == 0;
}

/* 1..9 at i, 两 as 2; -1 otherwise. */
static int count_digit(const char *s, size_t len, size_t i)
{
    if (lit(s, len, i, "两"))
        return 2;
    int d = i < len ? duban_cn_digit(s + i, len - i) : -1;
    return d > 0 ? d : -1;
}

int duban_cn_number(const char *s, size_t len, size_t *used)
{
    size_t i = 0;
    int v = 0, d = count_digit(s, len, 0);
    if (d > 0 && lit(s, len, 3, "百")) { /* 一百, 一百零五, 一百二十三 */
        v = d * 100;
        i = 6;
        if (lit(s, len, i, "零") || lit(s, len, i, "〇"))
            i += 3;
        d = count_digit(s, len, i);
    }
    if (d > 0) {
        i += 3;
        if (lit(s, len, i, "十")) {
            v += d * 10;
            i += 3;
            if ((d = count_digit(s, len, i)) > 0 && !lit(s, len, i, "两"))
                v += d, i += 3;
        } else {
            v += d;
        }
    } else if (lit(s, len, i, "十")) { /* 十, 十五 */
        v += 10;
        i += 3;
        if ((d = count_digit(s, len, i)) > 0 && !lit(s, len, i, "两"))
            v += d, i += 3;
    }
    *used = i;
    return i ? v : -1;
}

int duban_cn_year(const char *s, size_t len, size_t *used)
{
    int v = 0;
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        /* 二00九: a typed zero (0, O) for 〇, after a first Chinese digit */
        if (k > 0 && i < len && (s[i] == '0' || s[i] == 'O' || s[i] == 'o')) {
            v *= 10;
            i++;
            continue;
        }
        int d = i < len ? duban_cn_digit(s + i, len - i) : -1;
        if (d < 0)
            return -1;
        v = v * 10 + d;
        i += 3;
    }
    *used = i;
    return v;
}


/* Up to `max` ASCII digits at b[*i] (at least one), or -1. */
static int ascii_number(const char *b, size_t n, size_t *i, size_t max)
{
    size_t i0 = *i;
    int v = 0;
    while (*i < n && *i - i0 < max && b[*i] >= '0' && b[*i] <= '9')
        v = v * 10 + (b[(*i)++] - '0');
    if (*i == i0 || (*i < n && b[*i] >= '0' && b[*i] <= '9'))
        return -1;
    return v;
}

int32_t duban_cn_date_line(const char *s, size_t len)
{
    char b[96];
    size_t n = 0, i = 0;
    size_t e = len;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (len > 80 || e < 3 || memcmp(s + e - 3, "日", 3) != 0)
        return DUBAN_DATE_NONE; /* most lines: no date at their end */
    for (size_t k = 0; k < len && n + 1 < sizeof(b); k++)
        if (s[k] != ' ' && s[k] != '\t')
            b[n++] = s[k];
    int y, m, d;
    size_t u;
    if (n >= 4 && b[0] >= '0' && b[0] <= '9') {
        if ((y = ascii_number(b, n, &i, 4)) < 0 || i != 4 || !duban_at(b, n, i, "年"))
            return DUBAN_DATE_NONE;
        i += 3;
        if ((m = ascii_number(b, n, &i, 2)) < 0 || !duban_at(b, n, i, "月"))
            return DUBAN_DATE_NONE;
        i += 3;
        if ((d = ascii_number(b, n, &i, 2)) < 0)
            return DUBAN_DATE_NONE;
    } else {
        if ((y = duban_cn_year(b, n, &u)) < 0 || !duban_at(b, n, u, "年"))
            return DUBAN_DATE_NONE;
        i = u + 3;
        if ((m = duban_cn_number(b + i, n - i, &u)) < 0 || !duban_at(b, n, i + u, "月"))
            return DUBAN_DATE_NONE;
        i += u + 3;
        if ((d = duban_cn_number(b + i, n - i, &u)) < 0)
            return DUBAN_DATE_NONE;
        i += u;
    }
    if (!duban_at(b, n, i, "日") || i + 3 != n || !duban_date_valid_ymd(y, m, d))
        return DUBAN_DATE_NONE;
    return duban_date_from_ymd(y, m, d);
}

bool duban_cn_unclosed_marker(const char *s, size_t len, size_t *num_len)
{
    static const char *const word[] = {"年", "月", "日", "个", "批", "次", "是", "些", "般", "级",
                                       "类", "项", "条", "名", "家", "期", "体", "致", "起", "道",
                                       "同", "直", "切", "方", "旦", "定", "时", "份", "天", "周",
                                       "分", "万", "千", "百", "倍", "半", "线", "流", "律", "并",
                                       "揽", "手", "票", "把", "样", "种", "步", "处", "侧", "带",
                                       "号", "层", "）", "、", "，", NULL};
    size_t u;
    if (lit(s, len, 0, "两")) /* no list counts 两: "（两市市委宣传部牵头，…）" */
        return false;
    if (duban_cn_number(s, len, &u) < 0 || u > 6 || u + 3 > len || (unsigned char)s[u] < 0xE4)
        return false;
    for (size_t k = 0; word[k]; k++)
        if (memcmp(s + u, word[k], 3) == 0)
            return false;
    *num_len = u;
    return true;
}

int duban_cn_enclosed(const char *s, size_t len, duban_enclosed_t *kind)
{
    uint32_t cp = 0;
    if (len < 3 || (unsigned char)s[0] < 0xE2 || (unsigned char)s[0] > 0xE3 ||
        duban_utf8_decode(s, len, &cp) != 3)
        return 0;
    static const struct { uint32_t first, last; duban_enclosed_t kind; } blocks[] = {
        {0x2460, 0x2473, DUBAN_ENCLOSED_CIRCLED},   {0x2474, 0x2487, DUBAN_ENCLOSED_PAREN},
        {0x2488, 0x249B, DUBAN_ENCLOSED_STOP},      {0x3220, 0x3229, DUBAN_ENCLOSED_IDEOGRAPH},
    };
    for (size_t k = 0; k < sizeof(blocks) / sizeof(blocks[0]); k++)
        if (cp >= blocks[k].first && cp <= blocks[k].last) {
            *kind = blocks[k].kind;
            return (int)(cp - blocks[k].first) + 1;
        }
    return 0;
}
