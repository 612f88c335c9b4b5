/* tests/unit/test_cnnum.c: the Chinese numeral reader (common/ingest/cnnum.h)
 * on forms printed in the gazettes and the corpus pages. */
#include "check.h"
#include "cnnum.h"
#include "date.h"

#define S(x) x, sizeof(x) - 1

static void test_digits_and_numbers(void)
{
    size_t used;
    CHECK_INT(duban_cn_digit(S("〇")), 0);
    CHECK_INT(duban_cn_digit(S("○")), 0);   /* U+25CB, web pages: 二○○七 */
    CHECK_INT(duban_cn_digit(S("零")), 0);
    CHECK_INT(duban_cn_digit(S("九")), 9);
    CHECK_INT(duban_cn_digit(S("十")), -1);
    CHECK_INT(duban_cn_digit("一", 2), -1);  /* cut inside the character */
    CHECK_INT(duban_cn_number(S("十五日"), &used), 15);
    CHECK_INT(used, 6);
    CHECK_INT(duban_cn_number(S("二十三"), &used), 23);
    CHECK_INT(duban_cn_number(S("三十"), &used), 30);
    CHECK_INT(duban_cn_number(S("十"), &used), 10);
    CHECK_INT(duban_cn_number(S("七月"), &used), 7);
    CHECK_INT(used, 3);
    CHECK_INT(duban_cn_number(S("两个月"), &used), 2);   /* the deadline scanner's 两 */
    CHECK_INT(used, 3);
    CHECK_INT(duban_cn_number(S("一百零五、"), &used), 105); /* an enumeration marker */
    CHECK_INT(used, 12);
    CHECK_INT(duban_cn_number(S("一百二十"), &used), 120);
    CHECK_INT(duban_cn_number(S("十两"), &used), 10);     /* 两 only leads */
    CHECK_INT(used, 3);
    CHECK_INT(duban_cn_number(S("〇"), &used), -1);
    CHECK_INT(used, 0);
    CHECK_INT(duban_cn_year(S("二〇二三年"), &used), 2023);
    CHECK_INT(used, 12);
    CHECK_INT(duban_cn_year(S("二○○七年"), &used), 2007);
    CHECK_INT(duban_cn_year(S("二〇二"), &used), -1);
    /* dev am07's signature: zeros typed as digits */
    CHECK_INT(duban_cn_year(S("二00九年"), &used), 2009);
    CHECK_INT(used, 8);
    CHECK_INT(duban_cn_year(S("00九年"), &used), -1);
}

static void test_date_lines(void)
{
    CHECK_INT(duban_cn_date_line(S("2022年11月17日")), duban_date_from_ymd(2022, 11, 17));
    CHECK_INT(duban_cn_date_line(S("2022 年 11 月 17 日")), duban_date_from_ymd(2022, 11, 17));
    CHECK_INT(duban_cn_date_line(S("二〇二二年十一月十七日")), duban_date_from_ymd(2022, 11, 17));
    CHECK_INT(duban_cn_date_line(S("二○○七年四月十三日")), duban_date_from_ymd(2007, 4, 13));
    CHECK_INT(duban_cn_date_line(S("二00九年十二月七日")), duban_date_from_ymd(2009, 12, 7)); /* dev am07 */
    CHECK_INT(duban_cn_date_line(S("2022年2月30日")), DUBAN_DATE_NONE);
    CHECK_INT(duban_cn_date_line(S("2022年11月17日前完成")), DUBAN_DATE_NONE);
    CHECK_INT(duban_cn_date_line(S("2022年111月1日")), DUBAN_DATE_NONE);
    CHECK_INT(duban_cn_date_line(S("12022年1月1日")), DUBAN_DATE_NONE);
    CHECK_INT(duban_cn_date_line(S("2022年1月123456789012日")), DUBAN_DATE_NONE);
}

/* "（一加强…" (dev o07): the text after the bracket. */
static void test_unclosed_marker(void)
{
    size_t n = 0;
    CHECK(duban_cn_unclosed_marker(S("一加强涉及优化营商环境的信息公开"), &n));
    CHECK_INT(n, 3);
    CHECK(duban_cn_unclosed_marker(S("十二推进"), &n));
    CHECK_INT(n, 6);
    CHECK(!duban_cn_unclosed_marker(S("一年内完成"), &n));   /* a word: 一年 */
    CHECK(!duban_cn_unclosed_marker(S("两个月内"), &n));
    /* no list counts 两: the lead bracket of a wrapped item (dev e02) */
    CHECK(!duban_cn_unclosed_marker(S("两市市委宣传部牵头，两市市委组织部分工负责"), &n));
    CHECK(!duban_cn_unclosed_marker(S("一）加强"), &n));     /* closed: the usual marker */
    CHECK(!duban_cn_unclosed_marker(S("一2023年"), &n));
    CHECK(!duban_cn_unclosed_marker(S("一"), &n));
    CHECK(!duban_cn_unclosed_marker(S("加强"), &n));
}

int main(void)
{
    test_digits_and_numbers();
    test_date_lines();
    test_unclosed_marker();
    return CHECK_DONE();
}
