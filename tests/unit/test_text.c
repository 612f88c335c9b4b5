/* tests/unit/test_text.c: the gazette reader on excerpts of the real
 * gazettes: normalisation, encodings and errors, line joining, offsets. */
#include <iconv.h>
#include <stdlib.h>
#include "check.h"
#include "str.h"
#include "t2s.h"
#include "text.h"

static const struct {
    const char *in, *want;
    int flags, heading;
} NORM[] = {
    /* spaces inside dates and document numbers (000 L127, L119; 001 L16, L24) */
    {"2022 年 11 月 17 日", "2022年11月17日", 0, 0},
    {"2021 年 9 月 6日", "2021年9月6日", 0, 0},
    {"石大政发〔2022〕56 号", "石大政发〔2022〕56号", 0, 0},
    {"知》（宁党发〔2021〕 7 号）精神，进一步推进", "知》（宁党发〔2021〕7号）精神，进一步推进", 0, 0},
    {"大武口区全民健身实施计划（2021 - 2025 年）", "大武口区全民健身实施计划（2021-2025年）", 0, 0},
    /* a mirror site's pinyin readings after a character, in half- or
     * full-width brackets (dev o12, aa03; the full-width form from the
     * robustness rewrite): dropped; a bracket of words stays */
    {"關(guān)于促進(jìn)發(fā)展", "關于促進發展", 0, 0},
    {"關（guān）于促進（jìn）發展", "關于促進發展", 0, 0},
    {"市发改委（fgw）", "市发改委（fgw）", 0, 0},
    /* markup and half-width punctuation (000 L175, L2164) */
    {"**(责任单位:区委宣传部、区教育体育局、区文化旅游广电局)**",
     "（责任单位：区委宣传部、区教育体育局、区文化旅游广电局）", 0, 0},
    {"（**责任单位：**区工信商务局、石嘴山高新区）", "（责任单位：区工信商务局、石嘴山高新区）", 0, 0},
    /* markdown heading, bullet, hard break, HTML (002 L115, 000 L54, 002 L99) */
    {"#### （一）夯实产业致富基础", "（一）夯实产业致富基础", DUBAN_LINE_HEADING, 4},
    {"- 1、大武口区人民政府关于印发的通知", "1、大武口区人民政府关于印发的通知", DUBAN_LINE_BULLET, 0},
    {"中共青铜峡市委员会办公室  ", "中共青铜峡市委员会办公室", 0, 0},
    {"<p>教育局</p><p>卫生健康局</p>", "教育局卫生健康局", 0, 0},
    /* full-width digits, letter spacing (001 L6931, L10332, 002 L230) */
    {"３.提高母乳喂养率", "3.提高母乳喂养率", 0, 0},
    {"区 政 府", "区政府", 0, 0},
    {"人 力 资 源 和 社 会 保 障 局", "人力资源和社会保障局", 0, 0},
    /* meaningful spaces stay: joint issuers (000 L1697), URLs, TAB cells */
    {"中共大武口区委办公室 大武口区人民政府办公室", "中共大武口区委办公室 大武口区人民政府办公室", 0, 0},
    {"网 址：http://www.qtx.gov.cn", "网址：http://www.qtx.gov.cn", 0, 0},
    {"3\t落实减税降费政策 \t税务局\t", "3\t落实减税降费政策\t税务局\t", DUBAN_LINE_TAB, 0},
    /* a table row as pdftotext -layout prints it (dev an10's row, its pipes
     * as runs of spaces): the runs are TABs; not a letter-spaced label
     * (dev al05) nor a page's labels (dev q02) */
    {"1    重特大生产安全事故起数    0    市安委会各成员单位,各区县政府",
     "1\t重特大生产安全事故起数\t0\t市安委会各成员单位，各区县政府", DUBAN_LINE_TAB, 0},
    {"序号    名 称    2025年目标    责任单位    备注", "序号\t名称\t2025年目标\t责任单位\t备注",
     DUBAN_LINE_TAB, 0},
    {"索  引  号: 011217651/2012-14442", "索引号：011217651/2012-14442", 0, 0},
    {"来源:本网  时间:2021-01-11 16:23:55  浏览:-", "来源：本网 时间：2021-01-11 16:23:55浏览：-", 0, 0},
    {"市安委会各成员单位  各区县政府", "市安委会各成员单位 各区县政府", 0, 0},
    /* page artefacts (001 L2869-2871) and leading space = page start */
    {"- 33 -", "- 33 -", DUBAN_LINE_ARTEFACT, 0},
    {"《大武口区人民政府公报》2021 年.No.08 大武口区委办公室文件",
     "《大武口区人民政府公报》2021年.No.08大武口区委办公室文件", DUBAN_LINE_ARTEFACT, 0},
    {" 1.加强中医药服务机构建设。", "1.加强中医药服务机构建设。", DUBAN_LINE_LEADSPACE, 0},
    /* one cell closed by its pipe, a 序号 too (dev o09); a bare "|" is no cell */
    {"责任单位 |", "责任单位", DUBAN_LINE_PIPES, 0},
    {"12 |", "12", DUBAN_LINE_PIPES, 0},
    {"2021 |", "2021 |", 0, 0},
    /* a page's continuation note goes (dev ab04) */
    {"[接上页] 第五条 议题每个月报送一次。", "第五条 议题每个月报送一次。", 0, 0},
    {"（续上页）3.加强督查。", "3.加强督查。", 0, 0},
    {"［接上页］", "", DUBAN_LINE_BLANK, 0},
    {"详见［接上页］", "详见〔接上页〕", 0, 0},
    /* a PDF's comma and full stop read out as Yi syllables ꎬ ꎮ (dev ai02),
     * letter-spaced; Hangul (also EA-led) stays */
    {"各 市 自 治 州 人 民 政 府 ꎬ 省 政 府 各 委 办 厅 局 : 彻 执 行 ꎮ",
     "各市自治州人民政府，省政府各委办厅局：彻执行。", 0, 0},
    {"가나다", "가나다", 0, 0},
    /* an indent's ideographic spaces turned into "??" by a copy (dev av07); one
     * alone, a question, ASCII after it: left */
    {"??1.圍繞本市經濟社會發展主要任務", "1.圍繞本市經濟社會發展主要任務", 0, 0},
    {"??《要點》已經市政府同意", "《要點》已經市政府同意", 0, 0},
    {"?2019年建成典農河至沙湖旅游公路", "?2019年建成典農河至沙湖旅游公路", 0, 0},
    {"是否完成?", "是否完成?", 0, 0},
    {"??abc", "??abc", 0, 0},
    /* a heading whose enumeration comma a PDF lost, a space left for it
     * (perturb.py markers-spaced); not a date, not a sentence */
    {"一 总体要求", "一、总体要求", 0, 0},
    {"  三  落实责任", "三、落实责任", DUBAN_LINE_LEADSPACE, 0},
    {"二 〇二三年五月六日", "二〇二三年五月六日", 0, 0},
    {"一 加快推进项目建设，确保按期完成。", "一加快推进项目建设，确保按期完成。", 0, 0},
};

static void test_normalize(void)
{
    for (size_t i = 0; i < sizeof(NORM) / sizeof(NORM[0]); i++) {
        size_t n = strlen(NORM[i].in);
        char *out = malloc(3 * n + 1);
        uint8_t flags, heading;
        duban_text_normalize_line(NORM[i].in, n, out, &flags, &heading);
        CHECK_STR(out, NORM[i].want);
        CHECK_INT(flags, NORM[i].flags);
        CHECK_INT(heading, NORM[i].heading);
        free(out);
    }
}

static void test_utf8(void)
{
    size_t off = 99;
    CHECK(duban_text_utf8_valid("区政府", strlen("区政府"), &off));
    CHECK(!duban_text_utf8_valid("区政\xE5\xBA", 8, &off));
    CHECK_INT(off, 6);
    CHECK(!duban_text_utf8_valid("ab\xC0\xAF", 4, &off)); /* overlong '/' */
    CHECK_INT(off, 2);
}

static void test_errors(void)
{
    duban_text_t t;
    char eb[256];
    CHECK_INT(duban_text_load_mem("empty.txt", "", 0, &t, eb, sizeof(eb)), DUBAN_E_PARSE);
    CHECK(strstr(eb, "empty.txt") && strstr(eb, "byte offset 0"));
    const char bin[] = "PK\x03\x04\x00\x00garbage";
    CHECK_INT(duban_text_load_mem("x.zip", bin, sizeof(bin) - 1, &t, eb, sizeof(eb)),
              DUBAN_E_ENCODING);
    CHECK(strstr(eb, "x.zip") && strstr(eb, "byte offset 4"));
    /* UTF-8 cut inside the last character (3-byte 号 missing its tail) */
    const char trunc[] = "石大政发〔2022〕56\xE5\x8F";
    CHECK_INT(duban_text_load_mem("cut.txt", trunc, sizeof(trunc) - 1, &t, eb, sizeof(eb)),
              DUBAN_E_ENCODING);
    char want[64];
    snprintf(want, sizeof(want), "byte offset %zu", sizeof(trunc) - 3);
    CHECK(strstr(eb, want) != NULL);
    CHECK(strstr(eb, "truncated") != NULL);
}

static void test_lines_offsets(void)
{
    const char *src = "大武口区人民政府\n\n 2022 年 11 月 17 日\r\n（此件公开发布）";
    duban_text_t t;
    char eb[256];
    CHECK_INT(duban_text_load_mem("a/b/000.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK_STR(t.file, "000.txt");
    CHECK_INT(t.nlines, 4);
    CHECK_INT(t.lines[1].flags & DUBAN_LINE_BLANK, DUBAN_LINE_BLANK);
    CHECK_INT(t.lines[2].lineno, 3);
    CHECK_INT(t.lines[2].offset, strlen("大武口区人民政府\n\n"));
    CHECK_STR(t.lines[2].s, "2022年11月17日");
    CHECK_INT(t.lines[3].offset, strstr(src, "（此件") - src);
    duban_text_free(&t);
}

/* utf in encoding enc, written to out (cap bytes); its length. */
static size_t encode(const char *utf, const char *enc, char *out, size_t cap)
{
    char *ip = (char *)utf, *op = out;
    size_t il = strlen(utf), ol = cap;
    iconv_t cd = iconv_open(enc, "UTF-8");
    CHECK(cd != (iconv_t)-1);
    if (cd == (iconv_t)-1)
        return 0;
    iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    return (size_t)(op - out);
}

static void test_gb18030(void)
{
    const char *utf = "区人民政府办公室\n2021年9月6日\n";
    char gb[128];
    size_t gl = encode(utf, "GB18030", gb, sizeof(gb));
    duban_text_t t;
    char eb[256];
    CHECK_INT(duban_text_load_mem("gbk.txt", gb, gl, &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK_INT(t.encoding, DUBAN_ENC_GB18030);
    CHECK_STR(t.lines[0].s, "区人民政府办公室");
    CHECK_STR(t.lines[1].s, "2021年9月6日");
    CHECK_INT(t.lines[1].offset, 8 * 2 + 1); /* 8 two-byte chars + '\n' */
    duban_text_free(&t);
}

/* A Word or Notepad "Unicode" export: UTF-16 with a byte order mark, in
 * either byte order; offsets point at the UTF-16 bytes. A truncated file is
 * an error naming the offset. */
static void test_utf16(void)
{
    const char *utf = "区人民政府办公室\n𠀀2021年9月6日\n附件\n";
    for (int be = 0; be < 2; be++) {
        char u16[256];
        u16[0] = be ? (char)0xFE : (char)0xFF;
        u16[1] = be ? (char)0xFF : (char)0xFE;
        size_t n = 2 + encode(utf, be ? "UTF-16BE" : "UTF-16LE", u16 + 2, sizeof(u16) - 2);
        duban_text_t t;
        char eb[256];
        CHECK_INT(duban_text_load_mem("u16.txt", u16, n, &t, eb, sizeof(eb)), DUBAN_OK);
        CHECK_INT(t.encoding, DUBAN_ENC_UTF16);
        CHECK_INT(t.nlines >= 3, 1);
        if (t.nlines >= 2) {
            CHECK_STR(t.lines[0].s, "区人民政府办公室");
            CHECK_INT(t.lines[1].offset, 2 + (8 + 1) * 2); /* mark, 8 characters, '\n' */
            CHECK(strstr(t.lines[1].s, "2021年9月6日") != NULL);
        }
        if (t.nlines >= 3) /* U+20000 is two code units */
            CHECK_INT(t.lines[2].offset, 2 + (9 + 2 + 9 + 1) * 2);
        duban_text_free(&t);
        CHECK_INT(duban_text_load_mem("u16.txt", u16, n - 1, &t, eb, sizeof(eb)),
                  DUBAN_E_ENCODING);
        CHECK(strstr(eb, "byte offset") != NULL);
    }
}

static const struct {
    const char *prev, *next;
    bool join;
} JOIN[] = {
    /* 001 L81-85: label split by the PDF wrap */
    {"药人员配备，提升基层中医药服务能力。（牵头单", "位：区卫健局，配合单位：区发改局、财政局、人", true},
    {"位：区卫健局，配合单位：区发改局、财政局、人", "社局）", true},
    /* 000 L1749: list on the line after the label */
    {"（牵头单位：", "区科协、区科技局，配合单位：区委宣传部）", true},
    /* sentence ends, or the next line opens an item / label / field */
    {"提高服务质量。", "2.筑牢基层中医药服务阵地。", false},
    {"实施已建成中医馆提标扩能工程，通过改善", "2.筑牢基层中医药服务阵地。", false},
    {"对长胜片区现有基础设施承载能力进行摸底", "责任单位：区工信商务局", false},
    {"整改验收单位：区工信商务局、石嘴山高新区", "整改目标：完善治污设施，补齐短板", false},
    {"附件2", "大武口区贯彻落实生态环境部工作组现场调查反馈问题整改任务清单", false},
    {"石大政发〔2022〕56号", "区直各部门、星海镇、各街道办事处、驻地有关单位：", false},
    {"大武口区人民政府", "2022年11月17日", false},
};

static void test_join(void)
{
    for (size_t i = 0; i < sizeof(JOIN) / sizeof(JOIN[0]); i++) {
        duban_line_t a = {JOIN[i].prev, (uint32_t)strlen(JOIN[i].prev), 1, 0, 0, 0};
        duban_line_t b = {JOIN[i].next, (uint32_t)strlen(JOIN[i].next), 2, 0, 0, 0};
        if (duban_text_should_join(&a, &b) != JOIN[i].join)
            fprintf(stderr, "join case %zu\n", i);
        CHECK(duban_text_should_join(&a, &b) == JOIN[i].join);
    }
}

static void test_para(void)
{
    const char *src = "为认真贯彻落实《自治区党委 人民政府印发<\n\n关于促进中医药传承创新发展的实施意见>的通\n\n"
                      "知》（宁党发〔2021〕 7 号）精神";
    duban_text_t t;
    char eb[256];
    CHECK_INT(duban_text_load_mem("001.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
    duban_para_t p;
    duban_para_init(&p);
    for (size_t i = 0; i < t.nlines; i++)
        if (!(t.lines[i].flags & DUBAN_LINE_BLANK))
            duban_para_add(&p, &t, i);
    CHECK_STR(p.buf, "为认真贯彻落实《自治区党委人民政府印发<关于促进中医药传承创新发展的实施意见>的通"
                     "知》（宁党发〔2021〕7号）精神");
    const char *q = strstr(p.buf, "宁党发");
    CHECK_INT(t.lines[duban_para_line_at(&p, (size_t)(q - p.buf))].lineno, 5);
    CHECK_INT(t.lines[duban_para_line_at(&p, 0)].lineno, 1);
    duban_para_free(&p);
    duban_text_free(&t);
}

static void test_utf8_cut(void)
{
    const char *s = "督办abc";  /* 督 and 办 are 3 bytes each */
    CHECK_INT(duban_utf8_cut(s, strlen(s), 100), 9);
    CHECK_INT(duban_utf8_cut(s, strlen(s), 5), 3);
    CHECK_INT(duban_utf8_cut(s, strlen(s), 6), 6);
    CHECK_INT(duban_utf8_cut(s, strlen(s), 2), 0);
    CHECK_INT(duban_utf8_count(s, strlen(s)), 5);
    CHECK_INT(duban_utf8_count(s, 4), 2);       /* 督 and the cut 办 */
    CHECK_INT(duban_utf8_count(s + 1, 2), 0);   /* continuation bytes only */
    CHECK_INT(duban_utf8_count("", 0), 0);
}

/* Traditional characters are read as simplified; reprint gives back what
 * the file printed. A simplified file naming one traditional character
 * stays as it is. */
static void test_traditional(void)
{
    char eb[256];
    duban_text_t t;
    const char *src = "二、優化營商環境。（牽頭單位：市營商局；完成時限：每季度）\n";
    CHECK(duban_t2s_ready());
    CHECK_INT((int)duban_t2s(0x865F), 0x53F7); /* 號 -> 号 */
    CHECK_INT((int)duban_t2s(0x53F7), 0);      /* 号: already simplified */
    CHECK_INT(duban_text_load_mem("t.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(t.reprint != NULL);
    if (t.nlines) {
        CHECK_STR(t.lines[0].s, "二、优化营商环境。（牵头单位：市营商局；完成时限：每季度）");
        char copy[256];
        snprintf(copy, sizeof(copy), "%s", t.lines[0].s);
        duban_text_reprint(&t, copy);
        CHECK_STR(copy, "二、優化營商環境。（牽頭單位：市營商局；完成時限：每季度）");
    }
    duban_text_free(&t);
    src = "一、推进工作。（牵头单位：区财政局；联系人：張偉）\n";
    CHECK_INT(duban_text_load_mem("s.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(t.reprint == NULL);
    if (t.nlines)
        CHECK(strstr(t.lines[0].s, "張偉") != NULL);
    duban_text_free(&t);
}

/* duban_find is memmem: every needle cut from a gazette line (CJK words,
 * marks, ASCII, a space), searched in every suffix and prefix of it, and at
 * the 16-byte block edges of the SIMD scan (a match across a block, in the
 * scalar tail, the last possible position, one byte short). */
static void test_find_is_memmem(void)
{
    static const char line[] =
        "（一）完善监测预警机制。健全“早发现、早报告”体系（牵头单位：区卫健局，配合单位："
        "区财政局、区医保局；完成时限:2023年6月底前） 号 〔2023〕5号 ..……";
    size_t n = sizeof(line) - 1, bad = 0, calls = 0;
    for (size_t nl = 1; nl <= 10; nl++)
        for (size_t at = 0; at + nl <= n; at += 1) {
            const char *needle = line + at;
            for (size_t from = 0; from < n; from += 7)
                for (size_t cut = 0; cut <= 40 && cut <= n - from; cut += 13) {
                    size_t len = n - from - cut;
                    const char *want = memmem(line + from, len, needle, nl);
                    calls++;
                    bad += duban_find(line + from, len, needle, nl) != want;
                }
        }
    CHECK_INT(bad, 0);
    CHECK(calls > 100000);
    char buf[64];
    memset(buf, 'a', sizeof(buf));
    for (size_t pos = 0; pos + 3 <= sizeof(buf); pos++) {
        memset(buf, 'a', sizeof(buf));
        memcpy(buf + pos, "xyz", 3);
        CHECK(duban_find(buf, sizeof(buf), "xyz", 3) == buf + pos);
        CHECK(duban_find(buf, pos + 2, "xyz", 3) == NULL); /* one byte short */
        CHECK(duban_find(buf, sizeof(buf), "xya", 3) == NULL);
    }
    CHECK(duban_find(buf, 0, "", 0) == buf);
    CHECK(duban_find(buf, 2, "aaa", 3) == NULL);
}

/* A one-line page in traditional characters splits after its number as a
 * simplified one does (dev b04 rewritten in traditional characters: the
 * split looked for 号 before 號 was read as it). */
static void test_traditional_one_line(void)
{
    char eb[256];
    duban_text_t t;
    const char *src = "河南省人民政府 關於明確政府工作報告提出的2023年 重點工作責任單位的通知 "
                      "豫政〔2023〕5號 現將《政府工作報告》提出的2023年重點工作任務予以分解，"
                      "明確責任單位。一、擴大國內需求。（省發展改革委牽頭）\n";
    CHECK_INT(duban_text_load_mem("b04.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(t.nlines >= 2);
    if (t.nlines >= 2) {
        size_t n = t.lines[0].len;
        CHECK(n >= 4 && memcmp(t.lines[0].s + n - 4, "5号", 4) == 0);
    }
    duban_text_free(&t);
}

/* A number that opens a line, the body run on after a space (dev b04 as a
 * PDF wraps it): the line splits after 号; not before a title or a signer
 * (dev s05, o14), which the header reader takes with the number. */
static const struct {
    const char *line;
    size_t nlines;
} NUMBER_FIRST[] = {
    {"豫政〔2023〕5号 现将《政府工作报告》提出的2023年重点工作任务予以\n", 2},
    {"川办函[2015]54号 为加快县域经济发展，现将重点工作印发给你们\n", 2},
    {"永营办发〔2021〕3号 永城市贯彻《河南省优化营商环境条例》责任分工方案\n", 1},
    {"四铁西政督字〔2019〕7号    签发人:刘中文\n", 1},
    {"根据豫政〔2023〕5号 文件精神，现将有关事项通知如下\n", 1},
    /* a title run into its preamble after a space (dev bk03); not a line
     * that does not end like a title before the space */
    {"江西省 2023 年数字政府建设工作要点 为深入贯彻党的二十大精神，全面落实党中央、国务院《数字中国"
     "建设整体布局规划》和国务院《关于加强数字政府建设的指导意见》精神，制定本要点。\n", 2},
    {"全省数字政府建设工作 为深入贯彻党的二十大精神，全面落实党中央、国务院《数字中国"
     "建设整体布局规划》和国务院《关于加强数字政府建设的指导意见》精神，制定本要点。\n", 1},
};

static void test_number_first_cut(void)
{
    for (size_t k = 0; k < sizeof(NUMBER_FIRST) / sizeof(NUMBER_FIRST[0]); k++) {
        char eb[256];
        duban_text_t t;
        const char *src = NUMBER_FIRST[k].line;
        CHECK_INT(duban_text_load_mem("n.txt", src, strlen(src), &t, eb, sizeof(eb)), DUBAN_OK);
        size_t used = 0;
        for (size_t i = 0; i < t.nlines; i++)
            used += !(t.lines[i].flags & DUBAN_LINE_BLANK);
        CHECK_INT(used, NUMBER_FIRST[k].nlines);
        duban_text_free(&t);
    }
}

/* A page wrapped at a fixed width (a PDF's column) gets its paragraphs
 * back. AG05: dev ag05 lines 17-35 as the page prints them (traditional,
 * 26-28 characters a line), the table header of 001 L8696-8698 after it.
 * AB01, B04: dev ab01's and b04's one-line paragraphs as a PDF wraps them
 * at 28 characters (tests/gold/perturb.py pdf-wrap). */
static const char AG05[] =
    "一、深入實施數字經濟“一號工程”\n"
    "(一)深入推進數字經濟系統建設。加快以“產業大腦+未\n"
    "來工廠”為核心的數字經濟系統建設。推進產業大腦建設,待省、\n"
    "紹興市出臺產業大腦建設及應用專項政策后,按上級政策執行。\n"
    "推進未來工廠建設,對當年評為省級未來工廠、省級智能工廠、\n"
    "紹興市級智能工廠、省級數字化車間、紹興市級數字化車間的,\n"
    "分別給予 100 萬元、30 萬元、20 萬元、15 萬元、10 萬元獎勵。\n"
    "(責任單位:市經信局)\n"
    "(二)加快推進數字產業化。做強做大數字核心企業,當年\n"
    "首次列入國家電子信息百強企業、省電子信息產業百家重點企業\n"
    "的,分別給予一次性獎勵 20 萬元、10 萬元。鼓勵軟件企業壯大,\n"
    "對通過軟件企業評估,且納入浙江省經濟和信息化數據服務平臺\n"
    "的軟件企業,年銷售收入首次突破 1000 萬元、2000 萬元、5000\n"
    "萬元、1 億元的,分別給予一次性獎勵 10 萬元、20 萬元、50 萬\n"
    "元、100 萬元。當年認定為省級首版次軟件的產品,一次性獎勵\n"
    "企業 50 萬元。(責任單位:市經信局)\n"
    "(三)全力推進產業數字化。推進兩化融合縱深發展,首次\n"
    "通過工業和信息化部“兩化”融合管理體系貫標評定(試點),\n"
    "AAA 級及以上的一\n"
    "持续推进 区审计局 区财政局\n"
    " 主要任务 国家层面具体措施 大武口区具体落实措施\n"
    "完成\n";

static const char AB01[] =
    "近期,县水政监察大队在湟水河日常巡查中发现,各乡镇辖区河\n"
    "道和饮用水源地保护范围内存在非法养殖场、大量生产、生活垃\n"
    "圾,严重影响河道的行洪安全及全县\"河长制\"管理工作,对此,\n"
    "县水务局下发了《督查通知》(第1、2、3、4、5、6、8、\n"
    "9、10、11期)。县委副书记、县长赵冬在《督查通知》上\n"
    "批示,\"县政府办公室加大工作力度落实督办,并将清理整治情\n"
    "况及时上报\"。请各乡镇接此通知后高度重视,加大河道整治力\n"
    "度,坚决查处侵占河道的违法行为,于2017年3月3日前完\n"
    "成整治工作,并拍摄整改完成后的现场图片到县政府督查室(\n"
    "202室)销号。\n";

static const char B04[] =
    "河南省人民政府 关于明确政府工作报告提出的2023年 重\n"
    "点工作责任单位的通知 豫政〔2023〕5号 现将《政府工\n"
    "作报告》提出的2023年重点工作任务予以分解并明确责任单\n"
    "位。各责任单位要尽快制定具体落实方案,明确时间节点、责任\n"
    "领导、主要措施,并于2023年3月25日、6月25日、9\n"
    "月25日前向省政府报告各项重点工作的每季度进展情况,12\n"
    "月25日前报告全年落实情况。各省辖市政府,济源示范区、航\n"
    "空港区管委会要切实扛牢属地责任,加强工作谋划,采取有效措\n"
    "施,确保重点工作如期推进。省政府办公厅要对重点工作任务落\n"
    "实情况进行跟踪督办,并将年度目标具体、明确或可量化的重点\n"
    "工作任务录入“豫快办”平台进行重点督办,及时掌握和定期通\n"
    "报重点工作进展情况,确保年度重点工作任务圆满完成。 一、\n"
    "加快提振市场信心 (一)全面促进消费增长。 1.把恢复和\n"
    "扩大消费摆在优先位置,调整妨碍消费的限制性措施,改善消费\n"
    "条件,创新消费场景。(省商务厅、财政厅、发展改革委、地方\n"
    "金融监管局、人行郑州中心支行、河南银保监局等相关部门按职\n"
    "责分工负责) 2.落实好提振市场信心90条措施。(省发展\n"
    "改革委牵头,省商务厅、财政厅、文化和旅游厅、工业和信息化\n"
    "厅、住房城乡建设厅等相关部门按职责分工负责) 3.激活房\n"
    "地产市场,落实首套房贷款支持政策,优化二套房认定标准,满\n"
    "足刚性住房需求和改善性需求。(省住房城乡建设厅、地方金融\n"
    "监管局、人行郑州中心支行、河南银保监局按职责分工负责) \n"
    "4.加大保障性租赁住房供给,探索长租房市场建设,解决好新\n"
    "市民、青年人等住房问题。(省住房城乡建设厅牵头,省财政厅、\n"
    "自然资源厅、税务局、地方金融监管局、人行郑州中心支行、\n";

/* The line numbered lineno (its first source line), or NULL. */
static const duban_line_t *line_no(const duban_text_t *t, uint32_t lineno)
{
    for (size_t i = 0; i < t->nlines; i++)
        if (t->lines[i].lineno == lineno)
            return &t->lines[i];
    return NULL;
}

static bool ends_with(const duban_line_t *L, const char *s)
{
    size_t n = strlen(s);
    return L && L->len >= n && memcmp(L->s + L->len - n, s, n) == 0;
}

static void test_unwrap(void)
{
    char eb[256];
    duban_text_t t;
    CHECK_INT(duban_text_load_mem("ag05.txt", AG05, strlen(AG05), &t, eb, sizeof(eb)), DUBAN_OK);
    /* item (一) is lines 2-4 and 5-7 (line 4 ends in 。), its unit line 8
     * apart; (二) lines 9-16 with its unit; (三) 17-19 */
    CHECK(ends_with(line_no(&t, 2), "按上级政策执行。")); /* a line ending in 。 ends it */
    CHECK(ends_with(line_no(&t, 5), "10万元奖励。"));
    CHECK(ends_with(line_no(&t, 8), "）"));
    CHECK(ends_with(line_no(&t, 9), "（责任单位：市经信局）"));
    CHECK(ends_with(line_no(&t, 17), "的一"));
    static const uint32_t joined[] = {3, 4, 6, 7, 10, 11, 12, 13, 14, 15, 16, 18, 19};
    for (size_t k = 0; k < sizeof(joined) / sizeof(joined[0]); k++)
        CHECK(line_no(&t, joined[k]) == NULL);
    CHECK(line_no(&t, 1) != NULL); /* the heading above stays */
    /* the header printed with spaces is no running text */
    CHECK(ends_with(line_no(&t, 21), "落实措施"));
    CHECK(line_no(&t, 22) != NULL);
    duban_text_free(&t);

    /* "…5、6、8、" over "9、10、11期）": no item 9 */
    CHECK_INT(duban_text_load_mem("ab01.txt", AB01, strlen(AB01), &t, eb, sizeof(eb)), DUBAN_OK);
    for (size_t i = 0; i < t.nlines; i++)
        CHECK(!duban_starts(t.lines[i].s, t.lines[i].len, "9、"));
    CHECK(line_no(&t, 5) == NULL);
    duban_text_free(&t);

    /* the items cut out of the joined paragraph keep their source lines */
    CHECK_INT(duban_text_load_mem("b04.txt", B04, strlen(B04), &t, eb, sizeof(eb)), DUBAN_OK);
    static const struct { const char *start; uint32_t lineno; } ITEMS[] = {
        {"1.把恢复和扩大消费", 13}, {"2.落实好提振市场信心", 17}, {"3.激活房地产市场", 19},
        {"4.加大保障性租赁住房供给", 23}};
    for (size_t k = 0; k < sizeof(ITEMS) / sizeof(ITEMS[0]); k++) {
        uint32_t got = 0;
        for (size_t i = 0; i < t.nlines; i++)
            if (duban_starts(t.lines[i].s, t.lines[i].len, ITEMS[k].start))
                got = t.lines[i].lineno;
        CHECK_INT(got, ITEMS[k].lineno);
    }
    duban_text_free(&t);
}

/* Inside a quote or bracket a wrapped line goes on: dev b09 L10-24 and aq02
 * L11-27 as a PDF wraps them at 28 characters ("…全面实行“多证合" over
 * "一、一照一码”…": no item 一; "（市发改委、…直属库。" over "排名第一的为
 * 牵头单位，下同）": the note stays in its bracket). */
static const char B09[] =
    "为贯彻落实《安徽省人民政府关于创优“四最”营商环境的意见》\n"
    "(皖政〔2017〕120号),深化简政放权放管结合优化服\n"
    "务改革,着力营造稳定、公平、透明、可预期的营商环境,推动\n"
    "建立“亲”“清”政商关系,努力把我市建成全省审批事项最少、\n"
    "办事效率最高、投资环境最优、市场主体和人民群众获得感最强\n"
    "的市之一,现提出如下实施意见。\n"
    "\n"
    "  一、持续减少审批事项\n"
    "\n"
    "  1.深化商事制度改革。(1)全面落实“多证合一、一照\n"
    "一码”改革。按照能整合的尽量整合、能简化的尽量简化、该减\n"
    "掉的坚决减掉的原则,根据省工商局公布的《安徽省“多证合一”\n"
    "改革证照事项目录》(以下简称《目录》),全面实行“多证合\n"
    "一、一照一码”,已被整合的证照一律不允许再发放或备案;在\n"
    "省工商局公布的《目录》基础上进一步梳理涉企证照事项,对于\n";

static const char AQ02[] =
    "為構建株洲糧食安全保障體系,切實維護國家糧食安全大局,根\n"
    "據《國務院關於建立健全糧食安全省長責任制的若干意見》(國\n"
    "發〔2014〕69號)和《湖南省人民政府關於全面落實糧食\n"
    "安全省長責任制的實施意見》(湘政發〔2015〕12號)精\n"
    "神,結合我市實際,現提出如下實施意見。\n"
    "一、強化糧食安全意識,明確糧食安全責任\n"
    "(一)切實增強新形勢下的糧食安全意識。糧食安全是實現經濟\n"
    "發展、社會穩定和國家安全的重要基礎。株洲作為糧食主產區,\n"
    "要著眼大局,增強責任意識,充分認識確保糧食安全的極端重要\n"
    "性和複雜性,堅決貫徹中央確定的“以我為主、立足國內、確保\n"
    "產能、適度進口、科技支撐”的國家糧食安全戰略,確保穀物基\n"
    "本自給、口糧絕對安全、把飯碗牢牢端在自己手上,把保障糧食\n"
    "安全放在經濟社會發展的突出位置,列入全市年度國民經濟和社\n"
    "會發展計畫,作為保障民生的基本任務抓好抓落實。(市發改委、\n"
    "市農委、市商務糧食局、各縣市區人民政府、中儲糧株洲直屬庫。\n"
    "排名第一的為牽頭單位,下同)\n"
    "(二)明確政府的糧食安全責任。縣級人民政府必須切實承擔起\n";

static void test_unwrap_open(void)
{
    char eb[256];
    duban_text_t t;
    CHECK_INT(duban_text_load_mem("b09.txt", B09, strlen(B09), &t, eb, sizeof(eb)), DUBAN_OK);
    for (size_t i = 0; i < t.nlines; i++)
        CHECK(!duban_starts(t.lines[i].s, t.lines[i].len, "一、一照一码"));
    CHECK(line_no(&t, 14) == NULL);
    duban_text_free(&t);
    CHECK_INT(duban_text_load_mem("aq02.txt", AQ02, strlen(AQ02), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(ends_with(line_no(&t, 7), "排名第一的为牵头单位，下同）"));
    CHECK(line_no(&t, 16) == NULL);
    CHECK(line_no(&t, 17) != NULL);
    duban_text_free(&t);
}

/* A double-spaced page (gazette 001 L7060-7112: a blank line after every
 * line of a 21-character column): the blank lines separate no paragraphs. */
static const char G001_SPACED[] =
    "分工负责）\n"
    "\n"
    "3.建立老年人群营养健康管理与照护制度。逐\n"
    "\n"
    "步将老年人群营养健康状况纳入居民健康档案，实\n"
    "\n"
    "现无缝对接与有效管理。依托现有工作基础，在家\n"
    "\n"
    "庭保健服务中纳入膳食营养健康工作内容。推进多\n"
    "\n"
    "部门协作机制，实现营养工作与医养结合服务内容\n"
    "\n"
    "的有效衔接。（区卫生健康局、民政局按职责分工\n"
    "\n"
    "负责）\n"
    "\n"
    "（四）临床营养行动。\n"
    "\n"
    "1.开展住院患者营养筛查、评价、诊断和治疗。\n"
    "\n"
    "逐步开展住院患者营养筛查工作，了解患者营养状\n"
    "\n"
    "况。建立以营养筛查—评价—诊断—治疗为基础的\n"
    "\n"
    "规范化临床营养治疗路径，结合患者营养状况，依\n"
    "\n"
    "据营养阶梯治疗原则对营养不良及高营养风险的\n"
    " 住院患者进行营养治疗，并定期对其效果开展评\n"
    "\n"
    "价。（区卫生健康局、各基层医疗卫生机构按职责\n"
    "\n"
    "分工负责）\n"
    "\n"
    "2.推动营养相关慢性病的营养防治。推广应用\n"
    "\n"
    "高血压、糖尿病、痛风、脑卒中及癌症等慢性病的\n"
    "\n"
    "临床营养干预指南。对营养相关慢性病的住院患者\n"
    "\n"
    "开展营养评价工作，实施分类指导治疗。建立从医\n"
    "\n"
    "疗机构、社区到家庭的营养相关慢性病患者长期营\n"
    "\n"
    "养管理模式，开展营养分级治疗。（区卫生健康局、\n"
    "\n"
    "各基层医疗卫生机构按职责分工负责负责）\n"
    "\n"
    "3.推动特殊医学用途配方食品和治疗膳食的\n"
    "\n"
    "规范化应用。推广国家临床治疗膳食营养标准和治\n"
    "\n"
    "疗膳食配方的应用。加强医护人员相关知识培训，\n"
    "\n";

static void test_unwrap_double_spaced(void)
{
    char eb[256];
    duban_text_t t;
    CHECK_INT(duban_text_load_mem("001.txt", G001_SPACED, strlen(G001_SPACED), &t, eb, sizeof(eb)),
              DUBAN_OK);
    /* item 3 (L3-15) and item 2 (L34-46), each with its unit */
    CHECK(ends_with(line_no(&t, 3), "民政局按职责分工负责）"));
    CHECK(ends_with(line_no(&t, 34), "按职责分工负责负责）"));
    for (uint32_t n = 5; n <= 15; n += 2)
        CHECK(line_no(&t, n) == NULL);
    CHECK(ends_with(line_no(&t, 19), "诊断和治疗。")); /* ends in 。: alone */
    CHECK(line_no(&t, 21) != NULL);
    CHECK(line_no(&t, 48) != NULL); /* item 3 below starts its own line */
    duban_text_free(&t);
}

/* A title that fills a narrow column is no paragraph's first line: dev f07
 * wrapped at 22 characters (perturb.py's typeset breaking). */
static const char F07[] =
    "2024年度区政府民生实事人大票决项目进度表\n"
    "2024年,区政府民生实事人大票决项目共10\n"
    "个(以下简称民生实事项目),共7个牵头单位\n"
    "(区住建局、区城管局、区教体局、区农业农村局、\n"
    "区交通运输局、区水利局、望城镇政府)。其中,\n"
    "区住建局区政府民生实事项目1个;区城管局区政\n"
    "府民生实事项目3个;区教体局区政府民生实事项\n"
    "目1个;区农业农村局区政府民生实事项目1个;\n"
    "区交通运输局区政府民生实事项目1个;区水利局\n"
    "区政府民生实事项目1个;望城镇区民生实事项目\n"
    "1个。具体如下:\n";

/* ... and a title's last piece is no block: dev b03 wrapped at 22
 * characters, "…经济社会发展预期目标" over "任务分解表" (任务 opens a label
 * elsewhere), the table's 序号 below it. */
static const char B03[] =
    "重庆市沙坪坝区人民政府办公室关于印发2022\n"
    "年区政府工作报告目标任务的通知\n"
    "发布日期:2022-01-21\n"
    "字体:【 默认 超大 |\n"
    "\n"
    "\n"
    "\n"
    "各镇人民政府、街道办事处,区级各部门、各管委\n"
    "会、各人民团体、区属重点国有企业,有关单位:\n"
    "\n"
    "2022年《重庆市沙坪坝区人民政府工作报告》\n"
    "已经区十九届人大一次会议审议通过。根据工作安\n"
    "排,区政府办公室对报告明确的目标任务进行了分\n"
    "解,并报经区政府十九届第1次常务会议审议同意,\n"
    "现印发给你们。\n"
    "\n"
    "请各单位提高政治站位,细化工作举措,压实工作\n"
    "责任,确保全面高质量完成各项目标任务。区政府\n"
    "办公室将定期跟踪督办,并将目标任务完成情况纳\n"
    "入年度考核。\n"
    "\n"
    "附件:1. 2022年区政府工作报告经济社会\n"
    "发展预期目标任务分解表\n"
    "\n"
    "2. 2022年区政府工作报告重点工作任务分\n"
    "解表\n"
    "\n"
    "\n"
    "重庆市沙坪坝区人民政府办公室\n"
    "\n"
    "2022121日              \n"
    "\n"
    "     (此件公开发布)\n"
    "\n"
    "\n"
    "附件1\n"
    "\n"
    "2022年区政府工作报告经济社会发展预期目标\n"
    "任务分解表\n"
    "\n"
    "序号\n"
    "\n"
    "2022年预期目标\n"
    "\n"
    "责任单位\n";

static void test_unwrap_title(void)
{
    char eb[256];
    duban_text_t t;
    CHECK_INT(duban_text_load_mem("f07.txt", F07, strlen(F07), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(ends_with(line_no(&t, 1), "项目进度表"));
    CHECK(line_no(&t, 2) != NULL);
    CHECK(line_no(&t, 3) == NULL); /* the body's lines are one paragraph */
    duban_text_free(&t);
    CHECK_INT(duban_text_load_mem("b03.txt", B03, strlen(B03), &t, eb, sizeof(eb)), DUBAN_OK);
    CHECK(ends_with(line_no(&t, 38), "预期目标任务分解表"));
    CHECK(line_no(&t, 39) == NULL);
    CHECK(line_no(&t, 41) != NULL);
    duban_text_free(&t);
}

int main(void)
{
    test_unwrap_title();
    test_unwrap_double_spaced();
    test_unwrap_open();
    test_unwrap();
    test_find_is_memmem();
    test_number_first_cut();
    test_traditional_one_line();
    test_utf8_cut();
    test_normalize();
    test_utf8();
    test_errors();
    test_lines_offsets();
    test_gb18030();
    test_utf16();
    test_join();
    test_para();
    test_traditional();
    return CHECK_DONE();
}
