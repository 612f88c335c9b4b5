/* tests/unit/test_gwdoc.c: documents and tasks on excerpts copied from the
 * three real gazettes (file and line in each comment). */
#include <stdarg.h>
#include <stdlib.h>
#include "check.h"
#include "date.h"
#include "gwdoc.h"

/* Joins the list with "、" for compact comparisons. */
static const char *joined(const duban_strlist_t *l, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->count && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "、" : "", l->items[i]);
    return buf;
}

/* ---- document numbers ------------------------------------------------ */
static const struct { const char *in, *want; } DOCNO[] = {
    {"石大政发〔2022〕56 号", "石大政发〔2022〕56号"},       /* 000 L119 */
    {"石大党发〔2021〕44 号", "石大党发〔2021〕44号"},       /* 001 L6 */
    {"青政办发〔2021〕21 号", "青政办发〔2021〕21号"},       /* 002 L995 */
    {"青政办发[2021]21号", "青政办发〔2021〕21号"},          /* other layouts */
    {"宁财（资环）指标〔2021〕215 号", "宁财（资环）指标〔2021〕215号"},
    {"（宁政发〔2022〕23 号）", NULL},                        /* citation, 000 L133 */
    {"〔2014〕73 号）", NULL},                                  /* wrapped citation 001 L6329 */
    {"石大政发〔2022〕56号.....1", NULL},                      /* TOC, 000 L55 */
    {"(2021)吴新出管字", NULL},                                /* masthead 002 L87 */
    {"阿署发﹝2024﹞20号", "阿署发〔2024〕20号"},               /* small-form brackets, dev ag10 */
    {"某政发〖2023〗7号", "某政发〔2023〕7号"},
    /* a government decree's number (dev an08); not a sentence that cites one */
    {"渝府令第 121 号", "渝府令第121号"},
    {"重庆市人民政府令第121号", "重庆市人民政府令第121号"},
    {"按照津政令第11号", NULL},
    /* a legal database's field with its label glued on (dev bi05); with a
     * colon it is the page's metadata, read as such, not a number here */
    {"发文字号法办〔2019〕40号", "法办〔2019〕40号"},
    {"发文字号：法办〔2019〕40号", NULL},
};

static void test_docno(void)
{
    for (size_t i = 0; i < sizeof(DOCNO) / sizeof(DOCNO[0]); i++) {
        char out[128];
        size_t n = strlen(DOCNO[i].in);
        char *norm = malloc(3 * n + 1);
        uint8_t f, h;
        duban_text_normalize_line(DOCNO[i].in, n, norm, &f, &h);
        bool ok = duban_gwdoc_docno(norm, strlen(norm), out, sizeof(out));
        CHECK_STR(ok ? out : NULL, DOCNO[i].want);
        free(norm);
    }
}

/* ---- responsibility forms -------------------------------------------- */
static const struct {
    const char *text, *lead, *coop;
    int clauses;
} RESP[] = {
    /* dev bk05: a unit's own bracket saying what it includes stays its name,
     * 下同 or not */
    {"新增5G基站1万个以上。〔责任单位：省通信管理局、工信厅，各设区市（含平潭综合实验区，下同）〕",
     "省通信管理局、工信厅、各设区市（含平潭综合实验区，下同）", "", 1},
    /* a list printed with spaces the reader dropped, names run together: as
     * many cuts as names (a table cell's lines joined) */
    {"完善工作机制。（责任单位：市发改委 市财政局 市统计局 市农业局）",
     "市发改委、市财政局、市统计局、市农业局", "", 1},
    /* dev bk07: units that are each responsible where they govern (按属地) */
    {"推进文化和旅游深度融合发展。〔省文化和旅游厅、省委宣传部按职责分工负责，"
     "各市（地）政府（行署）按属地分别负责〕",
     "省文化和旅游厅、省委宣传部、各市（地）政府（行署）", "", 1},
    /* dev w01: 主办/协办, and 街道板块 (a city's street sectors) as units */
    {"社会消费品零售总额增长6%以上。（区商务局主办，各街道板块协办）", "区商务局", "各街道板块", 1},
    /* dev w08: 数据提供单位, the unit that supplies the figure, supports */
    {"常住人口城镇化率79.5%。（牵头单位：市发改委；数据提供单位：市统计局）", "市发改委", "市统计局", 1},
    /* dev v12: the time label after the units in the same bracket */
    {"持续完善国际科技创新中心建设。（区商务局、区科信局、西城园管委会负责落实，完成时限：2022年10月）",
     "区商务局、区科信局、西城园管委会", "", 1},
    /* labels composed of another role word and unit noun (perturb.py's
     * labels-synonyms): 落实单位, 联办单位, 责任处室, 参办单位, 牵头处室 */
    {"推进道路建设。（落实单位：区住建局；联办单位：区财政局）", "区住建局", "区财政局", 1},
    {"推进学校建设。（责任处室：规划处；参办单位：财务处、后勤处）", "规划处", "财务处、后勤处", 1},
    {"推进河道整治\n牵头处室：水政处\n会办单位：财务处", "水政处", "财务处", 1},
    /* a role verb with the work it does (配合落实, 牵头实施), 承办 / 协办, and
     * 会同 in an inline clause: the lead's partners cooperate */
    {"推进道路建设。（区住建局牵头实施，区财政局配合实施）", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局牵头，区财政局配合落实）", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局承办，区财政局协办）", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局会同区财政局负责）", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局牵头，会同区财政局）", "区住建局", "区财政局", 1},
    /* a deadline after the list's ， ends it (no unit named 2023年12月底前);
     * bare role labels 牵头： / 配合： */
    {"推进学校建设。（责任单位：区教育局，2023年12月底前）", "区教育局", "", 1},
    {"推进道路建设。（牵头单位：区住建局；配合单位：区财政局，2023年6月底前完成）", "区住建局",
     "区财政局", 1},
    {"推进道路建设。（牵头：区住建局；配合：区财政局）", "区住建局", "区财政局", 1},
    /* the deadline before the roles; a list that names its lead after it
     * (其中X为牵头单位) */
    {"推进道路建设。（2023年6月底前，区住建局牵头，区财政局配合）", "区住建局", "区财政局", 1},
    {"推进道路建设。（责任单位：区住建局、区财政局，其中区住建局为牵头单位；完成时限：2023年6月底前）",
     "区住建局", "区财政局", 1},
    /* 000 L1757 printed inline (perturb.py roles-inline): 科协 is a body */
    {"推进人生观和价值观。(区科技局、科协牵头，区委宣传部、教体局配合)", "区科技局、科协",
     "区委宣传部、教体局", 1},
    /* 为 and a unit label as the role's verb */
    {"推进道路建设。（区住建局为责任单位，区财政局配合）", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局为牵头单位，区财政局为配合单位）", "区住建局", "区财政局", 1},
    /* a bracket of units with their roles marked and no label */
    {"推进道路建设。（区住建局（牵头）、区财政局（配合））", "区住建局", "区财政局", 1},
    {"推进道路建设。（区住建局（牵头），区财政局）", "区住建局", "区财政局", 1},
    /* dev bn03: 共同责任单位, the units that share the lead's duty, cooperate;
     * the bracket stays one clause (it was cut into two tasks at ；) */
    {"新建幼儿园16所。(牵头单位:市教育局;共同责任单位:市资源局、市住建局,各县区)", "市教育局",
     "市资源局、市住建局、各县区", 1},
    /* 自然资源主管部门：closes a list of addressees; 主管 is no role word */
    {"各市财政局、自然资源主管部门：\n按照通知要求，请各市在2022年12月底前公布年度计划。", "", "", 0},
    /* dev u03: labels 牵头责任单位 / 主要协作单位 on lines of their own */
    {"加强重大公共卫生安全风险源头防控\n牵头责任单位：县卫健委\n主要协作单位：各乡镇人民政府、经济开发区管委会",
     "县卫健委", "各乡镇人民政府、经济开发区管委会", 1},
    /* dev k15: a bracket inside a unit's name does not end the list */
    {"积极协调重大项目推进。（责任单位：市发改委、市直有关单位、相关县〔市、区〕政府）",
     "市发改委、市直有关单位、相关县〔市、区〕政府", "", 1},
    /* 001 L81-85 joined: lead + co-op parenthetical */
    {"提升基层中医药服务能力。（牵头单位：区卫健局，配合单位：区发改局、财政局、人社局）",
     "区卫健局", "区发改局、财政局、人社局", 1},
    /* 000 L153: 责任单位 alone = lead, town group after ， */
    {"（责任单位：区教育局、区财政局，星海镇、各街道办事处）", "区教育局、区财政局、星海镇、各街道办事处", "", 1},
    /* 000 L175: bold, half-width */
    {"**(责任单位:区委宣传部、区教育体育局、区文化旅游广电局)**",
     "区委宣传部、区教育体育局、区文化旅游广电局", "", 1},
    /* 002 L119: 牵头 + 责任 (责任 = co-responsible), ； between roles */
    /* corpus dev l07: a note after the list (列第一位的为牵头部门，下同) */
    {"下放地方负责。（省发展改革委、省编办、省水利厅等负责，列第一位的为牵头部门，下同）",
     "省发展改革委、省编办、省水利厅", "", 1},
    /* corpus dev l02: persons before the units (分管副省长 … 负责) are not units */
    {"主要预期目标：经济增长7.5%。（分管副省长、协管副秘书长负责，省发展改革委牵头，省工业和信息化厅、省统计局参与）",
     "省发展改革委", "省工业和信息化厅、省统计局", 1},
    {"（牵头单位：市发展和改革委员会、工业和信息化局、税务局；责任单位：工业园区管委会、财政局）",
     "市发展和改革委员会、工业和信息化局、税务局", "工业园区管委会、财政局", 1},
    /* 002 L900: 责任 + 配合 (责任 = lead) */
    {"（责任单位：市教育局、住房和城乡建设局、农业农村局；配合单位：市财政局）",
     "市教育局、住房和城乡建设局、农业农村局", "市财政局", 1},
    /* 000 L1905-1909: separate labelled lines */
    {"责任单位：区工信商务局\n配合单位：区发改局、区农水局\n整改时限：立行立改并长期坚持",
     "区工信商务局", "区发改局、区农水局", 1},
    /* 000 L3546: inline verbs, half-width */
    {"轮无组织排放排查和整治工作。(市生态环境局大武口分局牵头,区发改局、区工信商务局配合)",
     "市生态环境局大武口分局", "区发改局、区工信商务局", 1},
    /* 000 L3586: 按职责分别牵头 */
    {"落实烟花爆竹禁限放措施。（区农水局、市公安局大武口区分局按职责分别牵头，区应急管理局、星海镇、各街道配合）",
     "区农水局、市公安局大武口区分局", "区应急管理局、星海镇、各街道", 1},
    /* 001 L6580: unlabeled list + 按职责分工负责 */
    {"（区卫生健康局、教育体育局、人力资源和社会保障局按职责分工负责）",
     "区卫生健康局、教育体育局、人力资源和社会保障局", "", 1},
    /* 000 L3584: co-op only */
    {"（区自然资源局、区综合执法局、星海镇、各街道配合）", "", "区自然资源局、区综合执法局、星海镇、各街道", 1},
    /* 001 L8640-8644: national bodies are no local task */
    {"1.完善常态化财政资金直达机制。（财政部牵头，审计署等国务院相关部门及各地区按职责分工负责）", "", "", 0},
    {"2.建立税费优惠政策与征管操作办法同步发布机制。（税务总局负责）", "", "", 0},
    /* 000 L3540: list ending in 等 before the verb */
    {"（区工信商务局牵头，石嘴山高新区、区发改局、市场监督管理局大武口区分局等配合）",
     "区工信商务局", "石嘴山高新区、区发改局、市场监督管理局大武口区分局", 1},
    /* 001 L15948-15954: a co-op list continued after ， */
    {"（石嘴山高新区管委会、区工业和信息化局分别牵头，市生态环境局大武口区分局、市市场监管局大武口区分局，星海镇、各街道办事处配合完成）",
     "石嘴山高新区管委会、区工业和信息化局",
     "市生态环境局大武口区分局、市市场监管局大武口区分局、星海镇、各街道办事处", 1},
    /* 001 L16464: 牵头完成; 001 L6806-6812: list cut before 按职责分工负责 */
    {"（市生态环境局大武口区分局牵头完成）", "市生态环境局大武口区分局", "", 1},
    {"（区委网信办、卫生健康局、教育体育局、按职责分工负责）", "区委网信办、卫生健康局、教育体育局", "", 1},
    /* prose parentheses are no clause */
    {"推动辖区“三大球”运动发展（含校园足球）。", "", "", 0},
};

static void test_responsibility(void)
{
    for (size_t i = 0; i < sizeof(RESP) / sizeof(RESP[0]); i++) {
        /* normalise each line as the reader does */
        const char *src = RESP[i].text;
        char *norm = malloc(3 * strlen(src) + 2);
        size_t w = 0;
        for (const char *p = src; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            uint8_t f, h;
            w += duban_text_normalize_line(p, n, norm + w, &f, &h);
            if (nl)
                norm[w++] = '\n';
            p += n + (nl != NULL);
        }
        norm[w] = '\0';
        duban_strlist_t lead = DUBAN_STRLIST_INIT, coop = DUBAN_STRLIST_INIT;
        size_t nc = duban_gwdoc_responsibility(norm, w, &lead, &coop);
        char b1[1024], b2[1024];
        CHECK_INT(nc, RESP[i].clauses);
        CHECK_STR(joined(&lead, b1, sizeof(b1)), RESP[i].lead);
        CHECK_STR(joined(&coop, b2, sizeof(b2)), RESP[i].coop);
        duban_strlist_free(&lead);
        duban_strlist_free(&coop);
        free(norm);
    }
}

/* ---- whole excerpts ---------------------------------------------------- */
typedef struct {
    duban_text_t t;
    duban_gwdoc_t g;
    duban_dept_dir_t *dir;
} parsed_t;

static void parse(parsed_t *p, const char *name, const char *src)
{
    char eb[256];
    memset(p, 0, sizeof(*p));
    CHECK_INT(duban_dept_dir_new(&p->dir, eb, sizeof(eb)), DUBAN_OK);
    CHECK_INT(duban_text_load_mem(name, src, strlen(src), &p->t, eb, sizeof(eb)), DUBAN_OK);
    CHECK_INT(duban_gwdoc_parse(&p->t, p->dir, &p->g, eb, sizeof(eb)), DUBAN_OK);
}

static void done(parsed_t *p)
{
    duban_gwdoc_free(&p->g);
    duban_text_free(&p->t);
    duban_dept_dir_destroy(p->dir);
}

static const duban_gwdoc_task_t *find_task(const parsed_t *p, const char *path)
{
    for (size_t i = 0; i < p->g.ntasks; i++)
        if (!strcmp(p->g.tasks[i].outline_path, path))
            return &p->g.tasks[i];
    return NULL;
}

/* The task at `path`; a missing one counts as a failed check. */
static const duban_gwdoc_task_t *task(const parsed_t *p, const char *path)
{
    const duban_gwdoc_task_t *t = find_task(p, path);
    if (!t) {
        check_failed++;
        fprintf(stderr, "FAIL: no task at outline path %s\n", path);
    }
    return t;
}

/* The one task p holds; NULL (and a failed check) when it holds another
 * number. */
static const duban_gwdoc_task_t *only_task(const parsed_t *p)
{
    CHECK_INT(p->g.ntasks, 1);
    return p->g.ntasks == 1 ? &p->g.tasks[0] : NULL;
}

/* p holds n tasks whose lead units, joined with 、, are the n strings that
 * follow, in order. */
static void expect_leads(const parsed_t *p, size_t n, ...)
{
    char b[512];
    va_list ap;
    CHECK_INT(p->g.ntasks, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        if (i < p->g.ntasks)
            CHECK_STR(joined(&p->g.tasks[i].lead_units, b, sizeof(b)), want);
    }
    va_end(ap);
}

/* n tasks, due on the given dates ("2019-05-22"; NULL: none). */
static void expect_dues(const parsed_t *p, size_t n, ...)
{
    va_list ap;
    CHECK_INT(p->g.ntasks, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        int y = 0, m = 0, d = 0;
        int32_t due = want && sscanf(want, "%d-%d-%d", &y, &m, &d) == 3
                          ? duban_date_from_ymd(y, m, d) : DUBAN_DATE_NONE;
        if (i < p->g.ntasks)
            CHECK_INT(p->g.tasks[i].deadline.due_date, due);
    }
    va_end(ap);
}

/* 000 L48-56 (TOC) + L117-153 (document 1), blank lines as in the file. */
static const char *G000 =
    "2022年12月31日出版\n\n目 录\n\n【区人民政府文件】\n\n"
    "- 1、大武口区人民政府关于印发《大武口区全民健身实施计划(2021-2025年)》的通知\n"
    "石大政发〔2022〕56号.....1\n\n"
    "大武口区人民政府关于印发《大武口区全民健身实施计划（2021 - 2025 年）》的通知\n\n"
    "石大政发〔2022〕56 号\n\n"
    "区直各部门、星海镇、各街道办事处、驻地有关单位：\n\n"
    "《大武口区全民健身实施计划（2021 - 2025 年）》已经大武口区人民政府第 24 次常务会议审议通过，现予以印发，请结合实际，抓好贯彻落实。\n\n"
    "大武口区人民政府\n\n2022 年 11 月 17 日\n\n（此件公开发布）\n\n"
    "大武口区全民健身实施计划（2021 - 2025 年）\n\n"
    "为全面实施全民健身国家战略，依据国务院《全民健身条例》《自治区全民健身计划（2021 - 2025 年）》（宁政发〔2022〕23 号），制定本计划。\n\n"
    "三、主要任务\n\n"
    "(一)实施赛事活动提升行动。引导全民参与、全民健身，形成良好的运动氛围。\n\n"
    "**(责任单位:区文化旅游广电局、区教育体育局、星海镇、各街道办事处)**\n\n"
    "（二）实施场地设施提升行动。到2025年，建成一批健身场地。（责任单位：区教育局、区发展和改革委员会、区财政局，星海镇、各街道办事处）\n\n"
    "大武口区人民政府11月、12月大事记\n\n"
    "- 11.1日，刘强同志调研（责任单位：区政府办）。\n";

static void test_doc_000(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "000.txt", G000);
    CHECK_INT(p.g.ndocs, 1); /* TOC entry, citation and 大事记 are no documents */
    const duban_gwdoc_doc_t *d = &p.g.docs[0];
    CHECK_STR(d->doc_number, "石大政发〔2022〕56号");
    CHECK_STR(d->doc_id, "石大政发〔2022〕56号");
    CHECK_STR(d->title, "大武口区人民政府关于印发《大武口区全民健身实施计划（2021-2025年）》的通知");
    CHECK_STR(joined(&d->issuers, b, sizeof(b)), "大武口区人民政府");
    CHECK_INT(d->issue_date, duban_date_from_ymd(2022, 11, 17));
    CHECK_STR(joined(&d->recipients, b, sizeof(b)), "区直各部门、星海镇、各街道办事处、驻地有关单位");
    CHECK_STR(d->attached_plan_title, "大武口区全民健身实施计划（2021-2025年）");
    CHECK_INT(d->line, 10);
    CHECK_INT(d->offset, strstr(G000, "\n大武口区人民政府关于") + 1 - G000);
    CHECK_INT(d->task_count, 2);
    const duban_gwdoc_task_t *t = task(&p, "三.(一)");
    if (t) {
        CHECK_STR(t->task_id, "石大政发〔2022〕56号#三.(一)");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区文化旅游广电局、区教育体育局、星海镇、各街道办事处");
        CHECK_INT(t->line, 30);
        CHECK_INT(t->offset, strstr(G000, "(一)实施") - G000);
        CHECK_INT(t->deadline.kind, DUBAN_DEADLINE_NONE);
    }
    t = task(&p, "三.(二)");
    if (t) {
        CHECK_INT(t->lead_units.count, 5);
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2025, 12, 31));
        CHECK(t->lead_depts.count >= 3);
    }
    done(&p);
}

/* 001 L1-14 + L52-85 style: title wrapped over lines, one issuer per line,
 * running header between a task and its owner (L2865-2873). */
static const char *G001 =
    " 中共大武口区委员会 大武口区人民政府\n\n印发关于促进中医药传承创新发展\n\n的实施方案的通知\n\n"
    "石大党发〔2021〕44 号\n\n"
    "区直各党委（党组）、党工委、总支、支部，各部门，驻地有关单位：\n\n"
    "现将《关于促进中医药传承创新发展的实施方案》印发给你们，请认真抓好落实。\n\n"
    "中共大武口区委员会\n\n大武口区人民政府\n\n2021 年 9 月 6日\n\n"
    "关于促进中医药传承创新发展的实施方案\n\n"
    "二、主要任务\n\n（一）建立符合中医药传承创新特点的服务体系\n\n"
    " 1.加强中医药服务机构建设。到 2022\n\n年，实现社区卫生服务中心中医馆建设全覆盖。（牵头单\n\n"
    "位：区卫健局，配合单位：区发改局、财政局、人\n\n社局）\n\n"
    "2.筑牢基层中医药服务阵地。落实农村订单定向免费医学本科培养政策。\n\n"
    "《大武口区人民政府公报》2021 年.No.08 大武口区委办公室文件\n\n- 33 -\n\n"
    "（牵头单位：区卫健局，配合单位：区委编办、发改局）\n\n"
    "3.完善常态化财政资金直达机制。（财政部牵头，审计署等国务院相关部门及各地区按职责分工负责）\n";

static void test_doc_001(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "001.txt", G001);
    CHECK_INT(p.g.ndocs, 1);
    const duban_gwdoc_doc_t *d = &p.g.docs[0];
    CHECK_STR(d->title, "中共大武口区委员会大武口区人民政府印发关于促进中医药传承创新发展的实施方案的通知");
    CHECK_STR(joined(&d->issuers, b, sizeof(b)), "中共大武口区委员会、大武口区人民政府");
    CHECK_INT(d->issue_date, duban_date_from_ymd(2021, 9, 6));
    CHECK_INT(d->line, 1);
    CHECK_STR(d->attached_plan_title, "关于促进中医药传承创新发展的实施方案");
    const duban_gwdoc_task_t *t = task(&p, "二.(一).1");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区卫健局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "区发改局、财政局、人社局");
        CHECK(duban_strlist_contains(&t->coop_depts, "区财政局")); /* prefix inherited */
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2022, 12, 31));
        CHECK_INT(t->line, 25);
    }
    t = task(&p, "二.(一).2");
    if (t)
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "区委编办、发改局");
    CHECK(find_task(&p, "二.(一).3") == NULL); /* national measure */
    done(&p);
}

/* 002 L200-210: TAB task table with repeated header and an empty co-op cell. */
static const char *G002 =
    "# 青铜峡市委办公室 人民政府办公室 关于印发城乡居民收入 提升行动实施方案的通知\n"
    "青党办〔2021〕76号\n"
    "各镇、街道党（工）委和人民政府（办事处），市直各部门：\n"
    "中共青铜峡市委员会办公室  \n青铜峡市人民政府办公室  \n2021年8月26日\n"
    "## 青铜峡市城乡居民收入提升行动实施方案\n"
    "附件：青铜峡市城乡居民收入提升行动工作任务清单\n\n"
    "类别\t重点任务\t序号\t具体内容\t牵头单位\t责任单位\t完成时限\n"
    "一、 夯实产业致富基础\t（一） 培育壮大各类市场主体\t3\t落实减税降费政策，促进中小微企业和个体工商户健康发展\t税务局\t财政局\t2021年底\n"
    "\t\t4\t破除制约民营企业发展的各种壁垒\t发展和改革委员会\t\t\n"
    "类别\t重点任务\t序号\t具体内容\t牵头单位\t责任单位\t完成时限\n"
    "\t\t5\t用足用好国家全域旅游示范区“金字招牌”\t区委网信办牵头，相关部门配合\t\t长期坚持\n";

static void test_doc_002_table(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "002.txt", G002);
    CHECK_INT(p.g.ndocs, 1);
    const duban_gwdoc_doc_t *d = &p.g.docs[0];
    CHECK_STR(d->title, "青铜峡市委办公室人民政府办公室关于印发城乡居民收入提升行动实施方案的通知");
    CHECK_STR(joined(&d->issuers, b, sizeof(b)), "中共青铜峡市委员会办公室、青铜峡市人民政府办公室");
    CHECK_STR(d->jurisdiction, "市");
    CHECK_INT(d->task_count, 3);
    const duban_gwdoc_task_t *t = task(&p, "表1.3");
    if (t) {
        CHECK_STR(t->text, "落实减税降费政策，促进中小微企业和个体工商户健康发展");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "税务局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "财政局");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 12, 31));
        CHECK_INT(t->line, 11);
    }
    t = task(&p, "表1.4");
    if (t) /* merged deadline cell: inherits the row above */
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 12, 31));
    t = task(&p, "表1.5");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区委网信办");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "相关部门");
        CHECK_INT(t->deadline.kind, DUBAN_DEADLINE_OPEN_ENDED);
    }
    done(&p);
}

/* The same table as pdftotext -layout prints it: cells separated by runs of
 * spaces, an empty cell's run merged with its neighbours' (002 L338-340). */
static void test_space_run_table(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "002s.txt",
          "# 青铜峡市委办公室 人民政府办公室 关于印发城乡居民收入 提升行动实施方案的通知\n"
          "青党办〔2021〕76号\n各镇、街道党（工）委和人民政府（办事处），市直各部门：\n"
          "中共青铜峡市委员会办公室  \n青铜峡市人民政府办公室  \n2021年8月26日\n"
          "## 青铜峡市城乡居民收入提升行动实施方案\n"
          "附件：青铜峡市城乡居民收入提升行动工作任务清单\n\n"
          "类别    重点任务    序号    具体内容    牵头单位    责任单位    完成时限\n"
          "一、 夯实产业致富基础    （一） 培育壮大各类市场主体    3    落实减税降费政策，促进中小微企业"
          "和个体工商户健康发展    税务局    财政局    2021年底\n");
    const duban_gwdoc_task_t *t = task(&p, "表1.3");
    if (t) {
        CHECK_STR(t->text, "落实减税降费政策，促进中小微企业和个体工商户健康发展");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "税务局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "财政局");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 12, 31));
    }
    done(&p);
}

/* 002 L718: several clauses in one item -> /1, /2. */
static const char *G_MULTI =
    "关于印发《青铜峡市法治社会建设实施方案》的通知\n青党办〔2021〕81号\n各镇：\n"
    "中共青铜峡市委员会办公室\n2021年9月24日\n"
    "三、推进社会规范建设\n"
    "（九）促进社会诚信。加强慈善宣传教育。（牵头单位：市委宣传部；责任单位：市教育局、公安局、团市委）依法规范慈善捐赠、受赠行为。（责任单位：市民政局、红十字会）\n";

static void test_multi(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "002.txt", G_MULTI);
    CHECK_INT(p.g.ntasks, 2);
    const duban_gwdoc_task_t *t = task(&p, "三.(九)/1");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市委宣传部");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "市教育局、公安局、团市委");
    }
    t = task(&p, "三.(九)/2");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市民政局、红十字会");
        CHECK_STR(t->task_id, "青党办〔2021〕81号#三.(九)/2");
    }
    done(&p);
}

/* 001 L8563-8793: a task table flattened one cell per line; national
 * cells (国务院相关部门…按职责分工负责) only give the outline. */
static const char *G_FLAT =
    "区人民政府办公室关于印发任务清单的通知\n石大政办发〔2021〕58 号\n各部门：\n"
    "大武口区人民政府办公室\n2021年10月14日\n附件：\n"
    "主要任务 国家层面具体措施 大武口区具体落实措施\n完成\n时限\n牵头部门\n（单位）\n配合部门\n（单位）\n"
    "一、直\n面市场\n主体需\n（一）继续围\n绕市场主体\n关切。（财\n政部、审计署等\n国务院相关\n部门及各地\n区按职责分\n工负责）\n"
    "1.完善常态化财政资金直\n达机制。（财政部牵头，审计\n署等国务院相关部门及各\n地区按职责分工负责）\n"
    "对直达资金严格执行国\n库集中支付制度。\n持续推进 区财政局 区审计局\n"
    "1.在本级预算执行审计\n项目中，安排审计。\n持续推进 区审计局 区财政局\n"
    "主要任务 国家层面具体措施 大武口区具体落实措施\n完成\n时限\n"
    "2.建立税费优惠政策与征\n管操作办法。（税务总局负责）\n推进减税降费政策宣传\n解读全覆盖。\n"
    "2021 年底\n前\n区税务局\n";

static void test_flat_table(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "001.txt", G_FLAT);
    CHECK_INT(p.g.ndocs, 1);
    CHECK_INT(p.g.ntasks, 3);
    const duban_gwdoc_task_t *t = task(&p, "附件.一.(一).1");
    if (t) {
        CHECK_STR(t->text, "对直达资金严格执行国库集中支付制度。");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区财政局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "区审计局");
        CHECK_INT(t->deadline.kind, DUBAN_DEADLINE_OPEN_ENDED);
        CHECK_INT(t->line, 29);
    }
    t = task(&p, "附件.一.(一).1/2");
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区审计局");
    t = task(&p, "附件.一.(一).2");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区税务局");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 12, 31));
    }
    done(&p);
}

/* Subjects without brackets: 001 L5910 (prose) and 001 L3245 (duty list). */
static const char *G_PROSE =
    "区人民政府办公室关于印发方案的通知\n石大政办发〔2021〕47 号\n各部门：\n"
    "大武口区人民政府办公室\n2021年9月9日\n"
    "七、工作步骤\n（一）安排部署（2021 年 8 月上旬）。区委教\n育工作领导小组牵头，组织相关部门（单位）成立\n专班，形成工作合力。\n"
    "八、职责分工\n9.区工业信息化和商务局。负责加强企业用工指导。\n";

static void test_prose(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "001.txt", G_PROSE);
    const duban_gwdoc_task_t *t = task(&p, "七.(一)");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区委教育工作领导小组");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 8, 10));
    }
    t = task(&p, "八.9");
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区工业信息化和商务局");
    done(&p);
}

/* Forms of other gazettes: [] year brackets, signature and date on one
 * line, 1） and ⑴ items, 牵头责任单位, a table header with qualifiers. */
static const char *G_OTHER =
    "某某县人民政府办公室关于印发\n某某县2023年重点工作任务分解方案的通知\n"
    "某政办发[2023]5号\n各乡镇人民政府，县直各部门：\n"
    "现将方案印发给你们，请认真贯彻执行。\n"
    "某某县人民政府办公室 2023年3月1日\n"
    "一、重点任务\n"
    "1）推进农村公路建设。（牵头责任单位：县交通运输局；配合单位：县财政局）\n"
    "2）建设智慧社区，二〇二三年六月底前完成。\n"
    "⑴完善应急预案。（县应急管理局负总责）\n"
    "序号\t工作任务\t牵头单位（部门）\t配合单位\t完成期限\n"
    "1\t新建污水管网10公里\t县住房和城乡建设局\t县财政局\t2023年10月\n";

static void test_other_layouts(void)
{
    parsed_t p;
    char b[1024];
    parse(&p, "other.txt", G_OTHER);
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        const duban_gwdoc_doc_t *d = &p.g.docs[0];
        CHECK_STR(d->doc_number, "某政办发〔2023〕5号");
        CHECK_STR(d->title, "某某县人民政府办公室关于印发某某县2023年重点工作任务分解方案的通知");
        CHECK_STR(joined(&d->issuers, b, sizeof(b)), "某某县人民政府办公室");
        CHECK_INT(d->issue_date, duban_date_from_ymd(2023, 3, 1));
        CHECK_STR(d->jurisdiction, "县");
        CHECK_STR(d->attached_plan_title, "某某县2023年重点工作任务分解方案");
    }
    const duban_gwdoc_task_t *t = task(&p, "一.(1)");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县交通运输局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "县财政局");
    }
    t = task(&p, "一.(2)");
    if (t)
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 6, 30));
    t = task(&p, "一.(1)~2");
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县应急管理局");
    t = task(&p, "一.(1).表1.1"); /* the table follows item ⑴ */
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县住房和城乡建设局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "县财政局");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 10, 31));
    }
    done(&p);
}

/* The layout of a document as issued (红头): issuer header, number, then the
 * title, then the recipients. */
static void test_red_header(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "red.txt",
          "青铜峡市人民政府文件\n\n青政发〔2021〕43号\n\n"
          "青铜峡市人民政府关于印发深入开展\n爱国卫生运动的实施方案的通知\n\n"
          "各镇人民政府，市直各部门：\n现将方案印发给你们。\n青铜峡市人民政府\n2021年9月13日\n"
          "一、任务\n（一）推进城乡环境卫生整治。（责任单位：市住房和城乡建设局）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        CHECK_STR(p.g.docs[0].title, "青铜峡市人民政府关于印发深入开展爱国卫生运动的实施方案的通知");
        CHECK_STR(joined(&p.g.docs[0].recipients, b, sizeof(b)), "各镇人民政府、市直各部门");
        CHECK_STR(joined(&p.g.docs[0].issuers, b, sizeof(b)), "青铜峡市人民政府");
    }
    CHECK(task(&p, "一.(一)") != NULL);
    done(&p);
}

/* 002 L381-427: a row whose cells slid one column to the left. */
static void test_shifted_row(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "002.txt",
          "关于印发方案的通知\n青党办〔2021〕76号\n各镇：\n青铜峡市人民政府办公室\n2021年8月26日\n附件\n"
          "类别\t主要目标\t具体工作任务\t责任领导\t牵头单位\t责任单位\t完成时限\n"
          "\t组织“教育评价改革”“双减”等工作的宣传培训，转变教育观念\t贺怡\t教育局、政府教育督导室\t\t长期坚持\t\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks) {
        const duban_gwdoc_task_t *t = &p.g.tasks[0];
        CHECK_STR(t->text, "组织“教育评价改革”“双减”等工作的宣传培训，转变教育观念");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "教育局、政府教育督导室");
        CHECK_INT(t->deadline.kind, DUBAN_DEADLINE_OPEN_ENDED);
        CHECK_STR(t->outline_path, "附件.表1.R1");
    }
    done(&p);
}

/* A table of contents alone is no document; text without a 发文字号 or a
 * title is one document when it holds tasks, its id from its text. */
static void test_edge(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "x.txt", "目 录\n石大政发〔2022〕56号\n..... (1)\n");
    CHECK_INT(p.g.ndocs, 0);
    done(&p);
    parse(&p, "x.txt", "一、随便\n（一）没有文号的文字（责任单位：区财政局）\n");
    CHECK_INT(p.g.ndocs, 1);
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ndocs && p.g.ntasks) {
        CHECK(p.g.docs[0].doc_number == NULL);
        CHECK_STR(p.g.docs[0].title, "");
        CHECK(strncmp(p.g.docs[0].doc_id, "doc:", 4) == 0 && strlen(p.g.docs[0].doc_id) == 20);
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "区财政局");
    }
    done(&p);
}

/* A web release without a 发文字号 (tests/corpus/dev/a02.txt, 宁波北仑): the
 * page's metadata, the title, and a table printed one cell per line. */
/* A news report about a document it names only inside a sentence (aq08):
 * no header, no task read; the document is kept under the title the report
 * says was issued, not one it cites (根据《…》). */
static void test_reported_document(void)
{
    parsed_t p;
    parse(&p, "aq08.txt",
          "分工方案涉及198项任务,新增全面实施城市总体规划、大力推进改革开放2方面重点工作\n"
          "新京报讯 3月8日,北京市政府2018年一号文件在首都之窗公开。\n"
          "近日,《北京市人民政府关于印发2018年市政府工作报告重点工作分工方案的通知》发布,"
          "分工方案将《政府工作报告》细化分解成198项重点工作任务。\n");
    CHECK_INT(p.g.ndocs, 1);
    const duban_gwdoc_doc_t *d = p.g.ndocs == 1 ? &p.g.docs[0] : NULL;
    CHECK(d && !strcmp(d->title, "北京市人民政府关于印发2018年市政府工作报告重点工作分工方案的通知") &&
          d->line == 3 && d->task_count == 0);
    done(&p);
    parse(&p, "cited.txt",
          "全市召开安全生产工作会议\n会议强调,要根据《北京市人民政府关于进一步加强安全生产工作的意见》,"
          "全面落实安全生产责任。\n");
    CHECK_INT(p.g.ndocs, 0);
    done(&p);
}

static void test_web_release(void)
{
    parsed_t p;
    char b[512];
    parse(&p, "a02.txt",
          "索引号 11330206002954449B/2024-198521\n组配分类 区政府工作 发布机构 区府办\n"
          "成文日期 2024-04-01 公开方式 主动公开\n2024年区政府工作主要任务分解(部分)\n\n"
          "序号\n\n目标任务\n\n牵头单位\n\n配合单位\n\n1\n\n推动闲置岸线资源高效集约利用。\n\n"
          "区交通运输局\n\n\n2\n\n整治腾退港外低散乱集装箱堆场29处。\n\n开发区开发建设综合局\n\n"
          "区交通运输局、区征地拆迁管理服务中心、汇海通国际物流枢纽发展有限公司,相关街道\n\n"
          "3\n\n高标准建设凤凰城东片。\n\n区凤凰城建设指挥部\n\n"
          "区公共项目建设管理中心、区国有资产管理中心等部门、单位\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        const duban_gwdoc_doc_t *d = &p.g.docs[0];
        CHECK(d->doc_number == NULL);
        CHECK_STR(d->title, "2024年区政府工作主要任务分解（部分）");
        CHECK_INT(d->issue_date, duban_date_from_ymd(2024, 4, 1));
        CHECK_INT(d->line, 4);
    }
    CHECK_INT(p.g.ntasks, 3);
    const duban_gwdoc_task_t *t = task(&p, "表1.1");
    if (t) {
        CHECK_STR(t->text, "推动闲置岸线资源高效集约利用。");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区交通运输局");
        CHECK_INT(t->coop_units.count, 0);
    }
    if ((t = task(&p, "表1.2"))) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "开发区开发建设综合局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)),
                  "区交通运输局、区征地拆迁管理服务中心、汇海通国际物流枢纽发展有限公司、相关街道");
    }
    if ((t = task(&p, "表1.3")))
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "区公共项目建设管理中心、区国有资产管理中心");
    done(&p);
}

/* A table a web page printed with pipes, sub-rows under merged 序号 and unit
 * cells (tests/corpus/dev/a04.txt, 杭州临安). */
/* Task t (when found) has these lead and cooperating units, joined with 、. */
static void check_units(const duban_gwdoc_task_t *t, const char *lead, const char *coop)
{
    char b[256];
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_STR(joined(&t->lead_units, b, sizeof(b)), lead);
    CHECK_STR(joined(&t->coop_units, b, sizeof(b)), coop);
}

/* The task at path has this text and these lead units. */
static void check_row(const parsed_t *p, const char *path, const char *text, const char *leads)
{
    char b[256];
    const duban_gwdoc_task_t *t = task(p, path);
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(t->text, text);
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), leads);
    }
}

static void test_pipe_table(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "a04.txt",
          "发布单位 | 区府办 | 发文日期 | 2022-11-03 |\n"
          "2022年区政府民生实事项目进展情况表(截至9月底)\n"
          "序号 | 项目内容 | 进展情况 | 责任单位 |\n"
          "2 | 新建成婴幼儿照护服务成长驿站7家。 | 新建13家婴幼儿成长驿站。 | 卫生健康局 |\n"
          "新增婴幼儿照护服务托位500个。 | 新增婴幼儿照护服务托位600个。 | ||\n");
    CHECK_INT(p.g.ntasks, 2);
    const duban_gwdoc_task_t *t = task(&p, "表1.2");
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "卫生健康局");
    check_row(&p, "表1.R2", "新增婴幼儿照护服务托位500个。", "卫生健康局");
    done(&p);
}

/* A table printed one cell per line with "|" between cells (a town's
 * 政务公开 plan, corpus au05): 工作任务 | 具体内容 | 责任部门. A row that
 * fills both text columns is the task with its details; a row whose
 * 工作任务 cell is merged from the row above is its details alone. */
static void test_detail_column(void)
{
    parsed_t p;
    parse(&p, "au05.txt",
          "|\n工作任务\n|\n具体内容\n|\n责任部门\n|\n|\n"
          "推进政策公开\n|\n常态化公开就业、住房、教育、医疗等领域政策文件。\n|\n"
          "财政所、便民综合服务中心、土管所等\n|\n|\n"
          "积极探索特定群体的线下公开渠道，持续发布相关政策文件。\n|\n便民综合服务中心\n|\n|\n");
    CHECK_INT(p.g.ntasks, 2);
    check_row(&p, "表1.R1", "推进政策公开：常态化公开就业、住房、教育、医疗等领域政策文件。",
              "财政所、便民综合服务中心、土管所");
    check_row(&p, "表1.R2", "积极探索特定群体的线下公开渠道，持续发布相关政策文件。",
              "便民综合服务中心");
    done(&p);
}

/* A row per line, cells separated by spaces (corpus bc01, shortened): an
 * office's sections (基教科, 体卫艺安全稳定科) are units, and the units after
 * the unit cell on its line are the 备注 cell, not more leads. */
static void test_spaced_note_after_units(void)
{
    parsed_t p;
    parse(&p, "bc01.txt",
          "（一）共性工作任务\n\n序号 工作任务 责任部门 备注\n"
          "1 健全本单位巩固国卫组织机构和工作网络，做到人员稳定，工作运转正常。 基教科 各区教育局、 市局直属单位\n"
          "2 坚持将巩固国卫工作列入本部门年度综合目标考核内容，严格考核奖惩。 人秘科 各区教育局、 市局直属单位\n"
          "3 开展无烟单位创建，每季度更换一期健康教育专栏。 体卫艺安全稳定科 各区教育局、 市局直属单位\n");
    expect_leads(&p, 3, "基教科", "人秘科", "体卫艺安全稳定科");
    done(&p);
}

/* A person column after the unit columns (corpus k05, shortened): the
 * person's cell (冯冬昌 under 责任领导) is the row's, not a new row's task. */
static void test_person_after_units(void)
{
    parsed_t p;
    parse(&p, "k05.txt",
          "2024年政府工作报告主要工作任务分解表\n\n序号\n\n主要工作举措\n\n牵头单位\n\n配合单位\n\n"
          "责任领导\n\n一、做大做强主导产业\n\n1\n\n加快构建具有辽中特色的现代化产业体系。\n\n"
          "区农业农村局\n\n区发展改革局、区工业和信息化局\n\n2\n\n"
          "加快安徽节源、沈发废弃油脂等在建项目的建设进度。\n\n沈阳近海经济区管委会\n\n"
          "自然资源分局、生态环境分局\n\n冯冬昌\n\n3\n\n"
          "推动胜达再生塑料等一批项目的签约落地。\n\n沈阳近海经济区管委会\n\n生态环境分局\n\n冯冬昌\n");
    CHECK_INT(p.g.ntasks, 3);
    for (size_t i = 0; i < p.g.ntasks; i++)
        CHECK(strstr(p.g.tasks[i].text, "冯冬昌") == NULL);
    done(&p);
}

/* A 责任清单 page's 职责边界 (corpus av03, shortened): two columns, 相关部门
 * and 职责分工, each cell on a line of its own with a blank line between.
 * Each unit is its duty's lead; what follows the table (相关依据, a case)
 * names no unit and is no row of it. */
static void test_duty_pairs(void)
{
    parsed_t p;
    parse(&p, "av03.txt",
          "管理事项 中考、高考保障\n职责分工 职责分工\n\n相关部门\n\n职责分工\n\n区公安分局\n\n"
          "维护考点周边安全、网上不良信息检查、试卷运送保管安全保障。\n\n区教育局\n\n"
          "负责高考、中考的具体组织、实施和协调工作。\n\n区市场监管局\n\n"
          "考点周边宾馆及服务业、餐饮卫生检查。\n\n相关依据 相关依据\n\n"
          "《关于召开2014年全国普通高校招生考试安全工作电视电话会议的通知》。\n\n案   例 案 例\n\n"
          "高考前夕，区政府牵头，组织召开综合治理高考考试环境联席会议。\n");
    CHECK_INT(p.g.ntasks, 3);
    check_row(&p, "表1.R1", "维护考点周边安全、网上不良信息检查、试卷运送保管安全保障。", "区公安分局");
    check_row(&p, "表1.R2", "负责高考、中考的具体组织、实施和协调工作。", "区教育局");
    check_row(&p, "表1.R3", "考点周边宾馆及服务业、餐饮卫生检查。", "区市场监管局");
    done(&p);
}

/* A table whose cells lost their separators (a court's portal, corpus ax07,
 * shortened): the header glued into one line, each row's number and name
 * glued before its first sub-item, and the 牵头部门 and 配合部门 cells glued
 * together, on a line of their own after the row's sub-items or after the
 * full stop of the sub-item they close. The cells are split where both
 * parts end like units, in the header's order; they close every sub-item
 * above them since the row's last clause. */
static void test_glued_table(void)
{
    parsed_t p;
    parse(&p, "ax07.txt",
          "2022年珠海法院工作要点任务分解表\n"
          "序号任务名称任务内容牵头部门配合部门工作落实情况(每季度填报一次)\n"
          "1持续加强科学理论武装1.强化“政治建院”，严格落实“第一议题”制度。\n"
          "2.落实政治轮训制度，把习近平法治思想作为教育培训的核心课程。\n"
          "政治处各部门\n"
          "3坚决维护国家安全和社会稳定1.牢固树立总体国家安全观，坚决守牢政权安全。刑二庭刑一庭\n"
          "2.依法维护疫情防控秩序，严厉打击涉疫犯罪。\n"
          "3.严厉打击杀人、抢劫等严重暴力犯罪。刑一庭刑二庭\n");
    static const struct { uint32_t line; const char *lead, *coop; } rows[] = {
        {3, "政治处", "各部门"}, {4, "政治处", "各部门"}, {6, "刑二庭", "刑一庭"},
        {7, "刑一庭", "刑二庭"}, {8, "刑一庭", "刑二庭"}};
    CHECK_INT(p.g.ntasks, 5);
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const duban_gwdoc_task_t *t = NULL;
        for (size_t k = 0; k < p.g.ntasks; k++)
            if (p.g.tasks[k].line == rows[i].line)
                t = &p.g.tasks[k];
        check_units(t, rows[i].lead, rows[i].coop);
    }
    done(&p);
}

/* Numbers printed with glyphs lost (pages set in a font they did not carry;
 * corpus af06, av05, w04, shortened): the brackets and 号 gone, the year and
 * the number run together. Each is its document's number; a copy whose
 * header lost its title's lines takes the title the page's header prints
 * for the same number, never the link line above it. */
static void test_damaged_number(void)
{
    static const struct {
        const char *name, *src, *number, *title; /* number NULL: none is read */
    } cases[] = {
        {"af06.txt",
         "关于印发区政府2021年第一季度工作要点的通知 2021-02-26\n\n杨府办20213\n\n"
         "区政府各委、办、局，各街道办事处及各有关单位：\n\n"
         "经区政府同意，现将《上海市杨浦区人民政府2021年第一季度工作要点》印发给你们，请认真贯彻落实。\n\n"
         "一、常态化疫情防控\n\n1.外防输入、内防反弹。（责任单位：区卫生健康委）\n",
         "杨府办〔2021〕3号", "关于印发区政府2021年第一季度工作要点的通知"},
        {"av05.txt",
         "政府信息公开\n\n安〔20231号  签发人:艾尔肯·吐尼亚孜 \n\n关于印发《2023年自治区安全生产\n\n"
         "工作要点》的通知\n\n各地、州、市安全生产委员会：\n\n1.压实责任。（责任单位：各地）\n",
         "安〔2023〕1号", NULL},
        {"w04.txt",
         "港政发〔2025〕1号 黄石港区人民政府 关于印发2025年区政府重点工作分解意见的通知\n"
         "发布时间:2025-01-13\n\n相关解读:http://www.huangshigang.gov.cn/zwpd/zc/t20251202_1285291.html\n\n"
         "港政发〔20251\n\n黄石港区人民政府\n\n关于印发2025年区政府重点工作分解意见的\n\n"
         "江北管理区、各街道办事处，区直各部门：\n\n"
         "1.地方生产总值增长7%左右。（责任单位：区发改局）\n",
         "港政发〔2025〕1号", "黄石港区人民政府关于印发2025年区政府重点工作分解意见的通知"},
        /* not a number: a year and a count after words, a 第 */
        {"plain.txt", "工作要点\n\n完成20231\n\n第20231号\n\n"
                      "1.地方生产总值增长7%左右。（责任单位：区发改局）\n", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        parsed_t p;
        parse(&p, cases[i].name, cases[i].src);
        CHECK_INT(p.g.ndocs, 1);
        CHECK_INT(p.g.ntasks, 1);
        if (p.g.ndocs && cases[i].number)
            CHECK_STR(p.g.docs[0].doc_number, cases[i].number);
        else if (p.g.ndocs)
            CHECK(p.g.docs[0].doc_number == NULL);
        if (p.g.ndocs && cases[i].title)
            CHECK_STR(p.g.docs[0].title, cases[i].title);
        done(&p);
    }
}

/* A pipe table whose cells merged down the rows are printed once (corpus
 * az03, shortened: a Zhejiang 任务清单 / 责任清单 / 时限清单 list): the rows
 * below print only their own cells, from the right, so the unit cell goes
 * to the unit column. A row that opens with its 序号 is a row of its own
 * (s12: "幼儿园3所" is a count, not a unit). */
static void test_merged_leading_cells(void)
{
    parsed_t p;
    parse(&p, "az03.txt",
          "建设任务 | 工作事项 | 工作指标 | 任务清单 | 责任清单 | 时限清单 |\n"
          "一、体系建设 |\n"
          "(一)组织指挥提能升级 | 1.组织机构 | (1)乡镇党政主要负责人是防汛工作第一责任人。 | "
          "1.落实防汛防台行政首长负责制和岗位责任制。 | 党政办 应消站 | 4月 |\n"
          "(2)乡镇应急消防管理站承担防汛防台统筹协调工作。 | 1.明确应消站防汛工作职责和防汛联络员； | 应消站 | 4月 |\n"
          "(3)村（社区）建立应急工作组。 | 1.明确村书记、村干部等组成的应急工作组； | 村（社区）、应消站 | 4月 |\n");
    CHECK_INT(p.g.ntasks, 3);
    check_row(&p, "一.表1.R1", "1.落实防汛防台行政首长负责制和岗位责任制。", "党政办、应消站");
    check_row(&p, "一.表1.R2", "1.明确应消站防汛工作职责和防汛联络员；", "应消站");
    check_row(&p, "一.表1.R3", "1.明确村书记、村干部等组成的应急工作组；", "村（社区）、应消站");
    done(&p);
    parse(&p, "s12.txt",
          "序号 | 项目内容 | 年度完成情况 | 责任单位 | 责任人 |\n"
          "1 | 新增2个乡镇建有托育机构 | 完成新增智仁乡托育机构。 | 市卫健局 | 仇永亲 |\n"
          "3 | 新改扩建公办幼儿园3所，新增公办幼儿学位720个 | 新建成投用清江幼儿园\n");
    CHECK(find_task(&p, "表1.R3") == NULL || strstr(find_task(&p, "表1.R3")->text, "新建成") == NULL);
    done(&p);
}

/* A document printed in traditional characters (a Liaoning city's web
 * copy): read with the simplified rules, printed text kept as printed,
 * canonical departments simplified. */
static void test_traditional(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "trad.txt",
          "盤錦市人民政府辦公室關于印發《2021年市〈政府工作報告〉任務分解和責任分工方案》的通知\n"
          "盤政辦發〔2021〕1號\n各縣、區人民政府,市政府各部門、直屬機構:\n"
          "現將方案印發給你們,請認真貫徹執行。\n盤錦市人民政府辦公室\n2021年1月25日\n"
          "一、加快項目建設。(牽頭單位:市發展改革委;責任單位:市財政局、市自然資源局;"
          "完成時限:2021年6月底前)\n");
    CHECK(p.t.reprint != NULL);
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        CHECK_STR(p.g.docs[0].doc_id, "盤政辦發〔2021〕1號");
        CHECK_STR(joined(&p.g.docs[0].issuers, b, sizeof(b)), "盤錦市人民政府辦公室");
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2021, 1, 25));
    }
    const duban_gwdoc_task_t *t = task(&p, "一");
    if (t) {
        CHECK_STR(t->task_id, "盤政辦發〔2021〕1號#一");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市發展改革委");
        CHECK_STR(joined(&t->lead_depts, b, sizeof(b)), "市发展和改革局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "市財政局、市自然資源局");
        CHECK_STR(t->deadline.text, "2021年6月底前");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 6, 30));
        CHECK_INT(t->review.count, 0);
    }
    done(&p);
}

/* Review codes: what extraction was unsure of. */
static void test_review(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "review.txt",
          "某某县人民政府办公室关于印发工作方案的通知\n某政办发〔2023〕5号\n各乡镇：\n"
          "某某县人民政府办公室\n2023年3月1日\n"
          "一、各乡镇要于2023年6月底前完成摸底。\n"
          "二、建设智慧平台。（牵头单位：县数智化推进专班；完成时限：2023年6月底前）\n"
          "三、完善台账。（牵头单位：县财政局；完成时限：待定时限）\n"
          "四、推进改革。（牵头单位：县财政局、县发改委；完成时限：2023年9月底前）\n"
          "五、报送进展。（牵头单位：县统计局；完成时限：2023年底前，每月5日前报送）\n"
          "六、完善机制。（牵头单位：县数据中心；完成时限：2023年前）\n"
          "七、疏浚河道。按季度推进主要河道清淤。（牵头单位：县财政局）\n"
          "八、整治市容。（牵头单位：县住建局县城管局；完成时限：2023年6月底前）\n"
          "九、推进项目。责任单位：市发改委五县五区政府开发区管委会。完成时限：2023年6月底前。\n"
          "十、清理文件。（牵头单位：县政府各部门；完成时限：2023年6月底前）\n"
          "十一、普法宣传。（牵头单位：县司法局（县法宣办，完成时限：2023年6月底前）\n"
          "十二、完成整改。春节前完成。（牵头单位：县统计局）\n"
          "十三、开展督导。每季度开展一次督导检查和考核评比。（牵头单位：县教育局）\n"
          "十四、报送进展。每季度末报送工作进展。（牵头单位：县教育局）\n"
          "十五、报送信息。每周一报送上周信息。（牵头单位：县教育局）\n");
    const duban_gwdoc_task_t *t = task(&p, "一");
    if (t)
        CHECK_STR(joined(&t->review, b, sizeof(b)), "NO_LEAD");
    if ((t = task(&p, "二")))
        CHECK_STR(joined(&t->review, b, sizeof(b)), "UNKNOWN_UNIT");
    if ((t = task(&p, "三")))
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_UNPARSED");
    if ((t = task(&p, "四")))
        CHECK_INT(t->review.count, 0); /* 县数据中心 is not in the directory: not flagged */
    if ((t = task(&p, "五")))
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_AMBIGUOUS");
    if ((t = task(&p, "六"))) {
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_AMBIGUOUS");
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县数据中心");
    }
    if ((t = task(&p, "七"))) /* a time (季度) the reader found no date in */
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_UNPARSED");
    /* two bodies printed as one unit: split where each part is a unit the
     * splitter reads (八); where it cannot (ae10's 责任单位 line, 九), the
     * whole is asked about, though it ends like a body (…管委会) */
    if ((t = task(&p, "八"))) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县住建局、县城管局");
        CHECK_INT(t->review.count, 0);
    }
    if ((t = task(&p, "九")))
        CHECK_STR(joined(&t->review, b, sizeof(b)), "UNKNOWN_UNIT");
    if ((t = task(&p, "十"))) /* 县政府各部门: one collective, not two bodies */
        CHECK_INT(t->review.count, 0);
    if ((t = task(&p, "十一"))) /* a name whose bracket is never closed: a cut list */
        CHECK_STR(joined(&t->review, b, sizeof(b)), "UNKNOWN_UNIT");
    CHECK(task(&p, "十一") != NULL);
    if ((t = task(&p, "十二"))) /* a holiday it is due before: no date read */
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_UNPARSED");
    CHECK(task(&p, "十二") != NULL);
    /* a frequency with no day (dev bc01): its quarter's end is assumed */
    if ((t = task(&p, "十三")))
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_AMBIGUOUS");
    CHECK(task(&p, "十三") != NULL);
    if ((t = task(&p, "十四"))) /* 每季度末: the day is printed */
        CHECK_INT(t->review.count, 0);
    if ((t = task(&p, "十五"))) /* 每周一: the weekday is the day */
        CHECK_INT(t->review.count, 0);
    CHECK(task(&p, "十五") != NULL);
    done(&p);
}

/* The clause forms of other provinces (issue 11), in ASCII punctuation as
 * web pages print them: 主办/协办, persons' labels, 协同责任单位, 实施/参加
 * 单位, a bare bracket of units, "X牵头;Y配合". */
/* A list of units alone in brackets with the document's note on it at its
 * end (aq02, in traditional characters there): "（X、Y、…。排名第一的为牵头单
 * 位，下同）". The note names no unit; it makes the first listed the lead
 * and the others cooperating, in this item and the ones below; a name that
 * does not end like a body (…直属库) among four that do is kept. */
static void test_list_note(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "note.txt",
          "株洲市人民政府关于全面落实粮食安全省长责任制的实施意见\n各县市区人民政府：\n"
          "一、强化粮食安全意识\n"
          "（一）切实增强新形势下的粮食安全意识。作为保障民生的基本任务抓好抓落实。（市发改委、"
          "市农委、市商务粮食局、各县市区人民政府、中储粮株洲直属库。排名第一的为牵头单位，下同）\n"
          "（二）明确政府的粮食安全责任。做好粮食收购工作。（市发改委、市农委）\n"
          "（三）加强粮食市场监测。做好统计分析。（如电子、机械、仓储企业）\n");
    const duban_gwdoc_task_t *t = task(&p, "一.(一)");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市发改委");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)),
                  "市农委、市商务粮食局、各县市区人民政府、中储粮株洲直属库");
    }
    if ((t = task(&p, "一.(二)"))) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市发改委");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "市农委");
    }
    CHECK(find_task(&p, "一.(三)") == NULL); /* kinds of firms, no units */
    done(&p);
}

static void test_clause_forms(void)
{
    parsed_t p;
    parse(&p, "forms.txt",
          "某某市人民政府办公室关于印发工作要点的通知\n某政办发〔2023〕9号\n各县区:\n"
          "某某市人民政府办公室\n2023年3月1日\n"
          "一、推进项目建设。(主办:市发改委;协办:市财政局、市自然资源局)\n"
          "二、优化服务。(市政务服务局主办,市市场监管局协办)\n"
          "三、加强监管。\n牵头领导:张三\n牵头单位:市市场监管局\n协同责任单位:市公安局、市商务局\n"
          "四、完善制度。(实施单位:市司法局;参加单位:市委编办)\n"
          "五、开展培训。(市人社局、市教育局)\n"
          "六、抓好落实。(市财政局牵头;各县区配合)\n"
          "七、加强宣传。(市委宣传部牵头,市文明办、市教育局等相关部门按职责分工负责)\n"
          /* labels with 为 / 是 for the colon, several in a row (aq08's
           * 主责单位是…): each list ends at the next label */
          "八、加快项目建设。牵头单位为市发改委，配合单位为市财政局，完成时限为2023年6月底。\n"
          "九、优化营商环境。（牵头单位是市营商局，责任单位是市市场监管局）\n"
          "十、制定全市地面停车规划。牵头领导是副市长杨斌，主责单位是市交通委、市公安局。\n"
          /* a topic, then who (ar09's bulletin of a meeting's decisions) */
          "十一、关于2016年冬季退役士兵安置问题，由县人社局、民政局、编办负责，抓紧做好安置工作。\n"
          "十二、《关于积极推进毛绒玩具创意产业发展的实施意见》，由县人社局负责，修改完善后印发实施。\n");
    static const struct { const char *path, *lead, *coop; } want[] = {
        {"一", "市发改委", "市财政局、市自然资源局"},
        {"二", "市政务服务局", "市市场监管局"},
        {"三", "市市场监管局", "市公安局、市商务局"},
        {"四", "市司法局", "市委编办"},
        {"五", "市人社局、市教育局", ""},
        {"六", "市财政局", "各县区"},
        {"七", "市委宣传部", "市文明办、市教育局"},
        {"八", "市发改委", "市财政局"},
        {"九", "市营商局", "市市场监管局"},
        {"十", "市交通委、市公安局", ""},
        {"十一", "县人社局、民政局、编办", ""},
        {"十二", "县人社局", ""},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const duban_gwdoc_task_t *t = task(&p, want[i].path);
        if (t)
            check_units(t, want[i].lead, want[i].coop);
    }
    done(&p);
}

/* Phases are tasks, due at the end of their range; a red header whose
 * organ line stands above the number; a signature run onto a body line; two
 * names run together in a list. */
static void test_phases_and_headers(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "phases.txt",
          "中共某某县委办公室\n某党办发〔2023〕12号\n关于印发专项整治行动方案的通知\n"
          "各乡镇:\n现将方案印发给你们,请认真贯彻执行。中共某某县委办公室 2023年6月20日\n"
          "四、实施步骤\n"
          "第一阶段:动员部署阶段(2023年7月3日—7月31日)。各乡镇制定方案。(牵头单位:县农业农村局)\n"
          "第二阶段:集中整治阶段(2023年8月1日—10月31日)。全面排查整改。\n"
          "五、保障措施\n(一)加强领导。(责任单位:县财政局县发改局)\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        CHECK_STR(p.g.docs[0].title, "关于印发专项整治行动方案的通知");
        CHECK_STR(joined(&p.g.docs[0].issuers, b, sizeof(b)), "中共某某县委办公室");
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2023, 6, 20));
    }
    const duban_gwdoc_task_t *t = task(&p, "四.第一阶段");
    if (t) {
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 7, 31));
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县农业农村局");
    }
    if ((t = task(&p, "四.第二阶段")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 10, 31));
    if ((t = task(&p, "五.(一)")))
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "县财政局、县发改局");
    done(&p);
}

/* A web page's table: metadata with the 发文字号, a section row of one cell
 * ("一、… |"), rows under a merged 工作任务 cell, the 具体要求 column as
 * the tasks (tests/corpus/dev/g02.txt and g04.txt, shortened). */
static void test_web_table(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "web.txt",
          "发文机构:  发文文号:  铜政办发〔2020〕14号\n发文日期:  2020年05月21日\n"
          "工作任务 | 具体要求 | 责任单位 |\n一、以公开助力经济平稳健康发展 |\n"
          "(一)加强涉及市场主体的信息公开。 | 1.加大帮扶政策的公开力度。 | 区发展改革局、区商务局 |\n"
          "2.建立市场主体反映问题的办理和反馈机制。 | 区住房城乡建设局 |\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        CHECK_STR(p.g.docs[0].doc_id, "铜政办发〔2020〕14号");
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2020, 5, 21));
    }
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK_STR(p.g.tasks[0].text, "1.加大帮扶政策的公开力度。");
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "区发展改革局、区商务局");
        CHECK_STR(p.g.tasks[1].text, "2.建立市场主体反映问题的办理和反馈机制。");
        CHECK_STR(joined(&p.g.tasks[1].lead_units, b, sizeof(b)), "区住房城乡建设局");
    }
    done(&p);
}

/* Layouts of corpus batch i/h dev pages (shortened): a table printed a row
 * per line with cells separated by spaces, units wrapping one per line
 * (tests/corpus/dev/i13.txt); items numbered "1 . " on a letter-spaced page
 * (h02.txt); 责任单位 whose parts carry 牵头/配合 (i04.txt). */
static void test_spaced_rows(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "spaced.txt",
          "2025年区政府工作报告目标任务上半年推进情况汇总表\n"
          "序号 目标任务 责任单位 上半年推进情况\n一、经济社会发展主要预期目标\n"
          "1 地区生产总值增长6%以上。 区发展改革委 地区生产总值同比增长2.9%。\n"
          "2 第一产业增加值增长5%。 区农业农村委\n区林业局\n第一产业增加值同比增长3.4%。\n"
          "3 规上工业增加值增长3.5%。 区经济信息委 规上工业增加值同比增长0.4%。\n");
    CHECK_INT(p.g.ntasks, 3);
    if (p.g.ntasks == 3) {
        CHECK_STR(p.g.tasks[0].text, "地区生产总值增长6%以上。");
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "区发展改革委");
        CHECK_STR(joined(&p.g.tasks[1].lead_units, b, sizeof(b)), "区农业农村委、区林业局");
        CHECK_STR(p.g.tasks[2].outline_path, "一.表1.3");
    }
    done(&p);
    parse(&p, "spaced-items.txt",
          "关于做好重点工作任务落实的通知\n新密政办〔2021〕6号\n各乡镇人民政府：\n"
          "一 、 重点工作任务及责任分解\n\n  1 . 严格管控地方政府债务。\n\n  责任单位：市 财政局\n\n"
          "  2 . 加强城市和建筑风貌管理。\n\n  责任单位：市住建局、资源规划局\n\n"
          "  3 . 外防输入、内防反弹。（责任单位：区疫情防控办公室牵头，相关成员单位配合）\n");
    CHECK_INT(p.g.ntasks, 3);
    if (p.g.ntasks == 3) {
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "市财政局");
        CHECK_STR(joined(&p.g.tasks[1].lead_units, b, sizeof(b)), "市住建局、资源规划局");
        CHECK_STR(joined(&p.g.tasks[2].lead_units, b, sizeof(b)), "区疫情防控办公室");
        CHECK_STR(joined(&p.g.tasks[2].coop_units, b, sizeof(b)), "相关成员单位");
    }
    done(&p);
}

/* A one-row 整改 table printed as its key cells and values down the page
 * (tests/corpus/dev/j02.txt, shortened), two records. */
static void test_key_value_records(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "kv.txt",
          "关于第三轮省生态环境保护督察整改任务销号的公示\n\n具体整改情况表\n\n整改任务\n\n"
          "河长巡查流于形式。\n\n责任单位\n\n成安县水利局、商城镇\n\n整改目标\n\n强化基层河长责任落实。\n\n"
          "整改任务\n\n排污口未整治。\n\n牵头单位\n\n县生态环境分局\n\n配合单位\n\n县住建局\n\n"
          "整改时限\n\n2026年6月底前\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs)
        CHECK_STR(p.g.docs[0].title, "关于第三轮省生态环境保护督察整改任务销号的公示");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK_STR(p.g.tasks[0].text, "河长巡查流于形式。");
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "成安县水利局、商城镇");
        CHECK_STR(joined(&p.g.tasks[1].lead_units, b, sizeof(b)), "县生态环境分局");
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "县住建局");
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2026, 6, 30));
    }
    done(&p);
    /* printed as rows of two cells; the measure, when printed, is the task
     * rather than the problem (dev n01) */
    parse(&p, "kv2.txt",
          "整改措施完成情况公示表\n反馈问题 | 三十八、县城污水处理设施建设管理有待加强。 |\n"
          "核查情况 | 一是全区仍有18个县城没有建设污水处理设施。 |\n"
          "整改措施 | 组织开展全区污水处理厂运行大排查。 |\n"
          "牵头部门 (责任单位) | 西藏自治区住房和城乡建设厅 |\n责任人 | 李修武 |\n"
          "联系电话 | 0891-6812420 |\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        CHECK_STR(p.g.tasks[0].text, "组织开展全区污水处理厂运行大排查。");
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "西藏自治区住房和城乡建设厅");
        CHECK_INT(p.g.tasks[0].line, 4);
    }
    done(&p);
    /* 具体任务 as the task's key (ar03, a county's 2023 plan) */
    parse(&p, "kv3.txt",
          "具体任务\n全面落实疫情防控“新十条”，全面完成老年人群疫苗接种，守好疫情防线。\n"
          "责任单位\n卫健局、文旅局\n配合单位\n各乡镇\n完成时限\n2023年12月底前\n");
    const duban_gwdoc_task_t *t = only_task(&p);
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "卫健局、文旅局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "各乡镇");
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 12, 31));
    }
    done(&p);
}

/* A rectification notice's one date covers the problems it attaches, not
 * an attached item that prints its own; two such dates give none
 * (tests/corpus/dev/o14.txt, shortened). */
static void test_cover_due(void)
{
    static const char *cover =
        "铁西区人民政府督查室\n\n关于对城区环境卫生综合整治工作检查情况的整改通知\n\n"
        "四铁西政督字〔2019〕7号\n\n各街道办事处、区住建局：\n\n"
        "5月15日，区政府督查室共梳理出3条问题，请各事涉部门立即进行整改，"
        "并于5月20日前将问题整改完成，整改情况报区政府督查室。%s\n\n"
        "四平市铁西区人民政府督查室\n\n2019年5月15日\n\n附件：\n\n存在问题：\n\n"
        "1.胡同内垃圾。（责任单位：英雄街道）\n\n2.门前路面破损。（责任单位：住建局）\n\n"
        "3.路灯不亮，6月30日前修复。（责任单位：住建局）\n";
    char src[2048];
    parsed_t p;
    snprintf(src, sizeof(src), cover, "");
    parse(&p, "cover.txt", src);
    CHECK_INT(p.g.ntasks, 4); /* the notice's own request is a task too */
    if (p.g.ntasks == 4) {
        CHECK_STR(p.g.tasks[0].outline_path, "正文1");
        CHECK_INT(p.g.tasks[0].lead_units.count, 0);
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2019, 5, 20));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2019, 5, 20));
        CHECK_INT(p.g.tasks[2].deadline.due_date, duban_date_from_ymd(2019, 5, 20));
        CHECK_INT(p.g.tasks[3].deadline.due_date, duban_date_from_ymd(2019, 6, 30));
    }
    done(&p);
    snprintf(src, sizeof(src), cover, "其余问题于6月底前完成整改。");
    parse(&p, "cover2.txt", src);
    CHECK_INT(p.g.ntasks, 4);
    if (p.g.ntasks == 4)
        CHECK_INT(p.g.tasks[1].deadline.due_date, DUBAN_DATE_NONE);
    done(&p);
    /* a transmittal's reporting rule is no task (dev b04) */
    parse(&p, "transmit.txt",
          "关于明确2023年重点工作责任单位的通知\n\n豫政〔2023〕5号\n\n"
          "现将2023年重点工作任务予以分解并明确责任单位。各责任单位要尽快制定落实方案，"
          "并于2023年3月25日、6月25日、9月25日前向省政府报告进展情况。\n\n"
          "一、加快提振市场信心\n\n1.落实好提振市场信心措施。（省发展改革委牵头）\n");
    CHECK_INT(p.g.ntasks, 1);
    done(&p);
}

/* A clause printed as a line of its own under the paragraph it assigns,
 * in running text and in a table printed one cell per line (dev p05). */
static void test_line_clauses(void)
{
    parsed_t p;
    parse(&p, "lines.txt",
          "潍坊市政务公开工作要点实施方案\n\n一、以政务公开助力稳增长\n（一）加强预期引导\n"
          "围绕我市经济社会发展形势，及时宣传解读。\n市发改委牵头落实\n"
          "围绕出台促进就业规划，加强就业创业政策信息公开。\n市人社局牵头落实\n"
          "加强财政政策信息公开，按月公开全市财政收支情况。\n市财政局、市统计局分别牵头落实\n");
    expect_leads(&p, 3, "市发改委", "市人社局", "市财政局、市统计局");
    done(&p);
    parse(&p, "cells.txt",
          "工作要点实施方案\n目标任务\n主要内容\n责任单位\n一、以政务公开助力稳增长\n"
          "（一）加强预期引导\n围绕我市经济社会发展形势，及时宣传解读。\n市发改委牵头落实\n"
          "围绕出台促进就业规划，加强就业创业政策信息公开。\n市金融办、市人社局分别牵头落实\n");
    expect_leads(&p, 2, "市发改委", "市金融办、市人社局");
    done(&p);
    /* a unit line with commas between units and a full stop (dev am11) */
    parse(&p, "am11x.txt",
          "许昌市人民政府关于促进中部崛起的实施意见\n\n"
          "一、加快建设重要粮食生产基地\n"
          "1.加大对粮食生产的支持力度,完善扶持粮食生产的各项政策。把严格保护耕地放在突出地位。\n"
          "各县(市、区)政府,市农业局、农机局、粮食局、财政局负责落实。\n"
          "2.加大农业基础设施投入,改善生产生活条件。\n"
          "各地要高度重视,市水利局负责落实。\n"); /* not all units: no line of units */
    expect_leads(&p, 1, "各县（市、区）政府、市农业局、农机局、粮食局、财政局");
    done(&p);
}

/* A heading that names the lead of the items below ("省编办牵头的工作")
 * is no task of its own once an item takes its lead (dev c04). */
static void test_heading_lead(void)
{
    parsed_t p;
    parse(&p, "heading.txt",
          "关于印发2008年省政府工作要点分工的通知\n\n晋政发〔2008〕8号\n\n"
          "一、省长负责的工作\n（三）省编办牵头的工作\n"
          "1.深化行政管理体制改革，优化政府机构设置。\n2.积极稳妥地推进乡镇机构改革。\n"
          "协同单位：省财政厅、省人事厅。\n");
    expect_leads(&p, 2, "省编办", "省编办");
    done(&p);
}

/* A pipe table whose unit column prints the head's name after the unit,
 * and whose rows after the first leave out the merged group cell before
 * 序号 (dev q13). */
static void test_unit_and_head(void)
{
    parsed_t p;
    parse(&p, "heads.txt",
          "大类 | 序号 | 工作任务 | 分管 市领导 | 牵头单位及 主要负责人 | 落实进展情况 |\n"
          "一、继续提高底线民生保障水平 | 1 | 将城镇、农村低保人均最低补差水平提高到每人每月609元。 | 陈宣群 | 市民政局 伍泽国 | 已完成。 |\n"
          "2 | 特困供养人员基本生活标准不低于当地最低生活保障标准的1.6倍。 | 陈宣群 | 市民政局 伍泽国 | 已完成。 |\n");
    expect_leads(&p, 2, "市民政局", "市民政局");
    done(&p);
    /* a row whose unit cell merged with the one above: its progress cell
     * slid into the unit column (dev s11) */
    parse(&p, "merged.txt",
          "民生实事项目进展情况汇总表\n序号 | 项目内容 | 月度工作计划 | 牵头单位 | 落实情况 |\n"
          "1 | 为全县60岁以上老年人免费接种流感疫苗24723人。 | 4月:制定接种工作方案。 | 县卫生健康局 | 已完成。 |\n"
          "2 | 为全县重点人群免费开展结直肠癌筛查7400人。 | 4月:完成筛查人数1480人。 | 已完成。 完成筛查人数3495人,完成率47.23%。 | |\n");
    expect_leads(&p, 2, "县卫生健康局", "县卫生健康局");
    done(&p);
}

/* A web page's title line that starts with the number (dev s05). */
static void test_number_first(void)
{
    parsed_t p;
    parse(&p, "numfirst.txt",
          "您的位置: 首页 >政策文件>详细内容\n\n"
          "永营办发〔2021〕3号 永城市贯彻《河南省优化营商环境条例》责任分工方案\n\n"
          "一、健全生产要素市场运行机制。（牵头单位：市自然资源和规划局）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].doc_number, "永营办发〔2021〕3号");
        CHECK_STR(p.g.docs[0].title, "永城市贯彻《河南省优化营商环境条例》责任分工方案");
    }
    expect_leads(&p, 1, "市自然资源和规划局");
    done(&p);
    /* a dash between the number and the title (dev bi01) is neither's */
    parse(&p, "numdash.txt",
          "阳政办〔2019〕1号—区人民政府办公室关于印发2019年区主要目标任务责任分解方案的通知\n\n"
          "一、健全生产要素市场运行机制。（牵头单位：区自然资源局）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title, "区人民政府办公室关于印发2019年区主要目标任务责任分解方案的通知");
    done(&p);
}

/* Metadata printed with its labels in square brackets (tests/corpus/dev/
 * bj07.txt, shortened): "[ 发文字号 ] 包鸾府发〔2020〕9号" gives the number. */
static void test_meta_bracketed_labels(void)
{
    parsed_t p;
    parse(&p, "bj07x.txt",
          "[ 索引号 ] 115002300086896586/2020-00129 [ 发文字号 ] 包鸾府发〔2020〕9号\n"
          "[ 发布机构 ] 丰都县包鸾镇人民政府\n[ 成文日期 ] 2020-01-16 [ 发布日期 ] 2020-01-16\n\n"
          "丰都县包鸾镇人民政府 关于做好当前疫情防控工作的紧急通知\n\n镇级各部门，各村居：\n"
          "一、做好基层排查工作。各村居要于1月20日前完成辖区人员排查。（责任单位：镇卫生院）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].doc_number, "包鸾府发〔2020〕9号");
    done(&p);
}

/* A web page that names the document in its metadata (标 题: | … |): the
 * notice's own items after it are the document's, not skipped up to the
 * plan's title further down (dev p06). */
static void test_meta_title(void)
{
    parsed_t p;
    parse(&p, "meta.txt",
          "发文机关: | 钦州市人民政府办公室 | 成文日期: | 2017年5月10日 |\n"
          "标 题: | 钦州市人民政府办公室关于印发钦州市2017年政务公开工作实施方案的通知 | ||\n"
          "发文字号: | 钦政办电〔2017〕87号 | 发布日期: | 2017年05月11日 |\n"
          "一、各级各部门要围绕以政务公开助力稳增长，做好公开工作。\n"
          "二、各县区、钦州港区要在2017年5月11日前，结合工作实际，制定具体的工作措施。\n"
          "钦州市人民政府办公室\n2017年5月10日\n钦州市2017年政务公开工作实施方案\n"
          "为贯彻落实国务院办公厅《2017年政务公开工作要点》，制定本方案。\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].title, "钦州市人民政府办公室关于印发钦州市2017年政务公开工作实施方案的通知");
        CHECK_STR(p.g.docs[0].doc_number, "钦政办电〔2017〕87号");
    }
    const duban_gwdoc_task_t *t = task(&p, "二");
    if (t)
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2017, 5, 11));
    done(&p);
}

/* No date, no number, no citation: the first year the text prints dates
 * its phases, flagged (tests/corpus/dev/i16.txt, shortened). */
static void test_printed_year(void)
{
    parsed_t p;
    parse(&p, "phases.txt",
          "四、时间安排\n（一）动员部署阶段（5月）各县制定具体实施方案。\n"
          "（二）摸底和集中整治阶段（5月-8月）各县组织有关部门开展排查。\n"
          "（三）总结阶段（11月）各县完成2009年环保专项行动工作总结报告。\n");
    CHECK_INT(p.g.ntasks, 3);
    if (p.g.ntasks == 3) {
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2009, 5, 31));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2009, 8, 31));
        CHECK_INT(p.g.tasks[2].deadline.due_date, duban_date_from_ymd(2009, 11, 30));
        CHECK(p.g.tasks[0].review.count == 2); /* NO_LEAD, DEADLINE_AMBIGUOUS (a guessed year) */
    }
    done(&p);
    /* a year looked back to (2003年以来) is not the document's (dev be07) */
    parse(&p, "be07x.txt",
          "四、时间安排\n（二）自查摸底阶段（7月3日至7月15日）。各县对2003年以来重点工作落实情况进行深入检查。\n"
          "（五）总结考核阶段（10月1日至11月10日）。各县要于11月10日前将《2005年环保专项行动工作总结》报省。\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2005, 7, 15));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2005, 11, 10));
    }
    done(&p);
}

/* Headers of web pages (tests/corpus/dev/i05, i04, i13, shortened): a red
 * header indented and split over blank lines; a listing's date after the
 * title; "时间：" among the page's metadata. */
static void test_web_headers(void)
{
    parsed_t p;
    parse(&p, "i05.txt",
          "四川省人民政府办公厅\n\n  关于印发贯彻落实省第十一次党代会报告涉及\n\n"
          "  政府工作目标任务分工方案的通知\n\n  川办发〔2017〕64号\n\n各市人民政府：\n"
          "  一、各牵头单位要于8月15日前报省政府督查室备案。（牵头单位：省政府督查室）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs)
        CHECK_STR(p.g.docs[0].title, "四川省人民政府办公厅关于印发贯彻落实省第十一次党代会报告涉及"
                                     "政府工作目标任务分工方案的通知");
    done(&p);
    parse(&p, "i04.txt",
          "关于印发区政府2021年第三季度工作要点的通知 2021-08-06\n杨府办〔2021〕21号\n各单位：\n"
          "一、外防输入、内防反弹。（责任单位：区卫健委牵头，相关成员单位配合）\n");
    if (p.g.ndocs)
        CHECK_STR(p.g.docs[0].title, "关于印发区政府2021年第三季度工作要点的通知");
    done(&p);
    parse(&p, "k10.txt",
          "标题：区人民政府办公室关于印发2025年主要目标任务责任分解方案的通知\n洪政办〔2025〕1号\n各单位：\n"
          "一、按时报告情况。（牵头单位：区政府办）\n");
    if (p.g.ndocs)
        CHECK_STR(p.g.docs[0].title, "区人民政府办公室关于印发2025年主要目标任务责任分解方案的通知");
    done(&p);
    parse(&p, "l03.txt",
          "  • 生成日期:2021-03-23\n2021年县政府重点工作任务(华政发〔2021〕2号)\n各乡镇人民政府、县直各单位：\n"
          "一、细化工作方案。各主要责任单位要于3月15日前报县政府督查室。（牵头单位：县政府办）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs) {
        CHECK_STR(p.g.docs[0].doc_number, "华政发〔2021〕2号");
        CHECK_STR(p.g.docs[0].title, "2021年县政府重点工作任务");
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2021, 3, 23));
    }
    done(&p);
    parse(&p, "i13.txt",
          "时间:2025-09-19 来源:政府办\n2025年目标任务推进情况汇总表\n"
          "序号 目标任务 责任单位 推进情况\n1 地区生产总值增长6%以上。 区发展改革委 同比增长2.9%。\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs)
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2025, 9, 19));
    done(&p);
}

/* A table one cell per line whose header cells are split over two lines
 * (责任 / 领导, 攻坚目标 / 任务), with a person column, text columns after
 * the unit and a progress column (tests/corpus/dev/l14.txt, shortened). */
static void test_split_header_cells(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "l14.txt",
          "泗洲头镇2024年度重点工作计划二季度执行情况\n序号\n重点工作\n责任\n领导\n责任\n科室\n"
          "攻坚目标\n任务\n工作任务安排\n第二季度\n完成情况\n1\n白仙山水库工程政策处理\n欧乾震\n"
          "白仙山水库工程政策处理工作领导小组\n完成项目政策处理工作。\n推进坟墓迁移工作。\n"
          "上半年坟墓迁移进度达60%。\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        /* 重点工作, with its 攻坚目标任务 cell as details */
        CHECK_STR(p.g.tasks[0].text, "白仙山水库工程政策处理：完成项目政策处理工作。");
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "白仙山水库工程政策处理工作领导小组");
        CHECK_INT(p.g.tasks[0].deadline.kind, DUBAN_DEADLINE_NONE); /* 上半年 in the progress cell */
    }
    done(&p);
}

/* A heading that prints its lead with a label, over items that print only
 * 责任单位 (tests/corpus/dev/q11.txt, shortened): the heading's unit leads,
 * the item's units cooperate, and the heading is no task of its own. A
 * heading whose lead is prose ("（X牵头）") leaves its items' 责任单位 as
 * their leads (the shared gazette 001, 石大政办发〔2021〕57号). */
static void test_labelled_heading_lead(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "q11.txt",
          "（十）提升“中国春城”城市美誉度（牵头单位：市园林绿化局）\n\n"
          "  39. 持续壮大花卉产业。推进斗南花卉小镇建设。[责任单位：市农业农村局、市商务局]\n\n"
          "  40. 绿化美化人居环境。全年绿地建设不少于200公顷。[责任单位：市园林绿化局、市林草局]\n");
    CHECK_INT(p.g.ntasks, 2);
    const duban_gwdoc_task_t *t = task(&p, "(十).39");
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市园林绿化局");
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "市农业农村局、市商务局");
    }
    if ((t = task(&p, "(十).40")))
        CHECK_STR(joined(&t->coop_units, b, sizeof(b)), "市园林绿化局、市林草局");
    done(&p);
    parse(&p, "prose.txt",
          "某区人民政府办公室关于印发若干措施的通知\n某政办发〔2021〕57号\n"
          "一、营造公平竞争市场环境\n（一）优化政府采购监管与服务（某区财政局牵头）\n"
          "1.推进政府采购全流程电子化。（责任单位：区财政局等相关部门。完成时限：2021年底）\n");
    if ((t = task(&p, "一.(一).1")))
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区财政局");
    done(&p);
}

/* Review codes (tests/corpus/dev/o08, m09, shortened): a deadline phrase
 * with no year to read it in is DEADLINE_UNPARSED; a year guessed for the
 * document makes a yearless date ambiguous, never one that prints its own
 * year. A byline "时间:2021-01-11" dates a web release (dev q02). */
static void test_review_years(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "o08.txt",
          "（一）加快生活污水处理设施建设。年底前完成管网改造。（牵头单位：省住房城乡建设厅）\n");
    const duban_gwdoc_task_t *t = p.g.ntasks ? &p.g.tasks[0] : NULL;
    CHECK_INT(p.g.ntasks, 1);
    if (t) {
        CHECK_INT(t->deadline.due_date, DUBAN_DATE_NONE);
        CHECK_STR(joined(&t->review, b, sizeof(b)), "DEADLINE_UNPARSED");
    }
    done(&p);
    parse(&p, "m09.txt",
          "根据《2023年为民办实事项目》，分解如下。\n"
          "1.新增中小学学位2660个。（牵头单位：区教委；完成时限：2023年9月底前）\n"
          "2.新增学前学位360个。（牵头单位：区教委；完成时限：10月底前）\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK_INT(p.g.tasks[0].review.count, 0);
        CHECK_STR(joined(&p.g.tasks[1].review, b, sizeof(b)), "DEADLINE_AMBIGUOUS");
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2023, 10, 31));
    }
    done(&p);
    parse(&p, "q02.txt",
          "梅州市人民政府办公室关于建立工作机制的通知\n来源:本网  时间:2021-01-11 16:23:55  浏览:-\n\n"
          "各县(市、区)人民政府:\n\n一、落实一县一专班\n\n"
          "请各县(市、区)成立专班情况于1月底前报市农业农村局。\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2021, 1, 11));
    if ((t = task(&p, "一")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 1, 31));
    done(&p);
}

/* Inline clauses (tests/corpus/dev/p14.txt, g02, shortened): a note after
 * the roles inside the bracket ends the clause; 〔…〕 brackets hold clauses
 * too; a unit with a bracketed note after the verb part stays a unit. */
static void test_inline_notes(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "p14.txt",
          "辽宁省大力优化营商环境行动方案\n\n一、精准施策\n\n"
          "  1.优化政策制定机制。出台涉企政策要多渠道收集意见建议。(省发展改革委、省司法厅等有关部门按职责分工负责,"
          "各项政策措施均需各市政府、省沈抚示范区管委会落实,以下不再列出)\n\n"
          "  2.提高立法质效。健全制度体系。〔省人大法制委、省数据局(省营商局)等有关部门按职责分工负责〕\n");
    expect_leads(&p, 2, "省发展改革委、省司法厅", "省人大法制委、省数据局（省营商局）");
    done(&p);
    parse(&p, "g02.txt",
          "一、加强信息公开\n1.系统集成、智能推送各项减税降费政策。（广州市花都区税务局、区财政局按职能分工落实，各镇（街））\n");
    const duban_gwdoc_task_t *t = p.g.ntasks ? &p.g.tasks[0] : NULL;
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "广州市花都区税务局、区财政局、各镇（街）");
    done(&p);
}

/* Paragraphs numbered 一要… / 二是… (tests/corpus/dev/j16.txt, shortened,
 * with a year): items of their own; 要求 is a word, not a marker. */
static void test_say_markers(void)
{
    parsed_t p;
    parse(&p, "j16.txt",
          "中共某省委办公厅关于印发行动方案的通知\n\n各市(地)委和人民政府：\n\n"
          "一要统一思想认识。开展突破年行动，是务实举措。\n\n"
          "二要加强组织领导。各地各部门要把行动摆上重要位置。\n\n"
          "三要细化目标任务。各市县要于2025年4月15日前分别制定本地实施方案。\n\n"
          "一要求各地按月报送进展。\n");
    CHECK_INT(p.g.ntasks, 1);
    const duban_gwdoc_task_t *t = task(&p, "三");
    if (t)
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2025, 4, 15));
    done(&p);
    /* as printed: no year anywhere, so the date cannot be read, and the
     * item is still a task, flagged */
    parse(&p, "j16-yearless.txt",
          "中共某省委办公厅关于印发行动方案的通知\n\n"
          "一要统一思想认识。开展突破年行动，是务实举措。\n\n"
          "三要细化目标任务。各市县要于4月15日前分别制定本地实施方案。\n");
    char b[128];
    if ((t = task(&p, "三"))) {
        CHECK_INT(t->deadline.due_date, DUBAN_DATE_NONE);
        CHECK_STR(joined(&t->review, b, sizeof(b)), "NO_LEAD、DEADLINE_UNPARSED");
    }
    done(&p);
    /* 一是… / 二是… as a plan's only outline (tests/corpus/dev/aj01.txt,
     * shortened): its items; under an item they stay its text (gazette 000's
     * measures before their clause), and 二是 with no 一是 opens nothing */
    parse(&p, "aj01.txt",
          "县林业局2024年工作计划\n\n"
          "一是实施2024年绿美广东生态建设项目。包括林分优化3.195万亩，完成油茶新造5000亩。\n\n"
          "二是大力推进县镇村绿化美化工作。2月5日完成示范村的种植任务，预计3月12日植树节前全面完成种植。\n\n"
          "三是做好森林资源管护工作。严格落实“阳山经验”，全力以赴推进森林防灭火相关工作。\n");
    if ((t = task(&p, "二")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2024, 3, 12));
    CHECK_INT(p.g.ntasks, 1);
    done(&p);
    /* a phase whose first step (一是) runs on after its dates: its next
     * steps (二是…) are items below it, due at its end
     * (tests/corpus/dev/ba03.txt, shortened) */
    parse(&p, "ba03.txt",
          "北京市人民政府办公厅关于印发北京市城市环境秩序百日整治行动方案的通知\n"
          "四、工作步骤\n"
          "（一）动员部署、调查摸底、宣传发动阶段（2010年9月10日至9月17日）。一是召开全市动员部署大会。"
          "各区县政府建立健全组织机构，制定工作方案。\n"
          "二是调查摸底，建立台帐。各区县政府对辖区突出问题和重点区域进行拉网式排查。\n"
          "三是评估风险，制定预案。各区县整治工作领导小组办公室要对拟整治的区域逐一进行风险隐患评估。\n");
    CHECK_INT(p.g.ntasks, 3);
    if ((t = task(&p, "四.(一).二")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2010, 9, 17));
    if ((t = task(&p, "四.(一).三")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2010, 9, 17));
    done(&p);
    parse(&p, "shi-under-item.txt",
          "某县2024年工作计划\n\n一、推进绿化美化\n\n"
          "一是推进乡村绿化美化，预计3月12日前全面完成种植。\n\n"
          "二是开展一村一棵榕行动，6月底前完成。（责任单位：县林业局）\n");
    CHECK(find_task(&p, "一") != NULL && find_task(&p, "二") == NULL);
    done(&p);
}

/* A letter on a web page that prints no year of its own but the site's
 * clock and a field's ISO date (tests/corpus/dev/l15.txt, shortened): the
 * clock is no year of the document's, the field's is, and the weekday the
 * deadline prints confirms it (no DEADLINE_AMBIGUOUS). */
static void test_page_year(void)
{
    parsed_t p;
    char b[128];
    parse(&p, "l15.txt",
          "今天是:2025年12月06日\n遂宁市水利局\n征集调查\n\n截止:2019-06-18\n\n"
          "遂宁市人民政府防汛抗旱指挥部办公室关于征求《遂宁市防汛应急预案(征求意见稿)》修改意见的函\n\n"
          "市直有关部门: 为切实做好防汛减灾工作，市防汛办修订完善形成了预案。请各单位结合部门职能职责，"
          "于6月18日(星期二)上午下班前，将修改意见反馈至市防汛办。\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2019, 6, 18));
        CHECK_STR(joined(&p.g.tasks[0].review, b, sizeof(b)), "NO_LEAD");
    }
    done(&p);
}

/* A page whose items run on one line, hard-wrapped by a PDF every 38
 * characters (tests/corpus/dev/b04.txt as tests/gold/perturb.py's
 * hard-wrap variant prints it): each item still becomes a task, on the
 * line it starts. */
static void test_wrapped_run_on_items(void)
{
    parsed_t p;
    parse(&p, "b04-wrapped.txt",
          "河南省人民政府关于明确重点工作责任单位的通知\n豫政〔2023〕5号\n一、加快提振市场信心\n"
          "（一）全面促进消费增长。 1.把恢复和扩大消费摆在优先位置,调整妨碍消\n"
          "费的限制性措施,改善消费条件,创新消费场景。(省商务厅、财政厅、发展改革委、\n"
          "地方金融监管局、人行郑州中心支行、河南银保监局等相关部门按职责分工负责) 2\n"
          ".落实好提振市场信心90条措施。(省发展改革委牵头,省商务厅、财政厅、文化和\n"
          "旅游厅、工业和信息化厅、住房城乡建设厅等相关部门按职责分工负责) 3.激活房\n"
          "地产市场,落实首套房贷款支持政策,优化二套房认定标准,满足刚性住房需求和改善\n"
          "性需求。(省住房城乡建设厅、地方金融监管局、人行郑州中心支行、河南银保监局按\n"
          "职责分工负责)\n");
    CHECK_INT(p.g.ntasks, 3);
    const duban_gwdoc_task_t *t = task(&p, "一.(一).2");
    char b[256];
    if (t) {
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "省发展改革委");
        CHECK_INT(t->line, 6); /* its marker "2" ends line 6, ".落实好…" starts line 7 */
    }
    if ((t = task(&p, "一.(一).3")))
        CHECK_INT(t->line, 8);
    done(&p);
}

/* "由X牵头" after a comma, anywhere in the item (tests/corpus/dev/z11.txt,
 * shortened): the unit before 牵头 leads; a person's post does not. */
static void test_by_unit_lead(void)
{
    parsed_t p;
    parse(&p, "z11.txt",
          "一、立足规范化、精细化建设\n"
          "2.划分街道管理界线。结合东丽实际，进一步理清管理区域界线。对于街道之间管理界线存在交叉、混乱等复杂问题，"
          "由区城管办牵头依据便于管理的原则进行划分，实现无缝对接。\n"
          "3.完善考核。对于考核中的问题，由分管副区长牵头研究解决。\n");
    expect_leads(&p, 1, "区城管办");
    done(&p);
}

/* An item that opens with its unit and a lead verb, or does so after a
 * clause of basis (tests/corpus/dev/as01.txt; gazette 002's duties, as
 * printed): the unit is the lead, and an item with no deadline that names
 * its unit so is a task. Not a person, not 负责人, not "本规定由…负责解释"
 * (由 past the item's start), not a subject with no lead verb. */
static void test_subject_lead(void)
{
    parsed_t p;
    parse(&p, "as01.txt",
          "二、步骤和任务\n"
          "1.按照县政府统一动员部署和工作要求，公安局交警大队要牵头制定我县工作方案，"
          "于5月10日前完成本县上牌点的选址筹备工作，并向社会公布。\n"
          "2.全县各企事业单位应当广泛开展文明出行教育宣传活动，5月10日前完成。\n"
          "3.百花市场负责通知经销大户，并由经销大户通知运输司机临时交易场地相关信息。\n"
          "4.由区农业农村水利局牵头制定蔬菜保供方案。\n"
          "5.分管副县长负责协调解决交易场地问题。\n"
          "6.本规定由市政府办公厅负责解释。\n"
          "7.各乡镇负责人要于6月底前报送工作总结。\n");
    expect_leads(&p, 5, "公安局交警大队", "", "百花市场", "区农业农村水利局", "");
    done(&p);
    /* a heading over the line that names the unit (tests/corpus/dev/at03.txt;
     * gazette 000's "（一）制度保障" over "区防汛办负责…"): the unit is on the
     * second line, the heading's words are no part of it */
    parse(&p, "at03.txt",
          "三、监督及考核\n"
          "镇安委会办公室负责监督各有关责任单位组织开展的安全生产专项整治工作。\n");
    expect_leads(&p, 1, "镇安委会办公室");
    done(&p);
    /* a bare 按 opening a clause of basis (tests/corpus/dev/bj05.txt, in
     * simplified characters); 按时 opens none */
    parse(&p, "bj05x.txt",
          "三、会议强调\n"
          "1.按工程设计的要求，社会管理办公室负责所有工程材料的完善工作，聘请专业监理实行管理。\n"
          "2.按时完成，社会管理办公室负责材料的完善工作。\n");
    expect_leads(&p, 1, "社会管理办公室");
    if (p.g.ntasks == 1)
        CHECK_STR(p.g.tasks[0].outline_path, "三.1");
    done(&p);
    /* …or a later sentence of that line (tests/corpus/dev/aw05.txt): the
     * first that opens with a unit and its lead verb; a heading whose line
     * below names none is no task */
    parse(&p, "aw05.txt",
          "一、加强棉花生产后期管理\n"
          "今年我区棉花吐絮期较往年推迟15-20天左右。产区各级政府要高度重视，加强棉花生产管理。"
          "各级农业部门要负责指导各地尽快采用化学和物理催熟。\n"
          "二、加强棉花市场和质量监管\n"
          "各地要认真做好棉花市场管理工作。各棉花经营企业要规范收购行为。\n");
    expect_leads(&p, 1, "各级农业部门");
    done(&p);
    /* an item that opens with its units and a full stop, then the duty
     * (tests/corpus/dev/ba03.txt, shortened; gazette 001's "区民政局。落实…") */
    parse(&p, "ba03.txt",
          "三、职责分工\n"
          "（十七）首都综治办、市委督查室、市监察局、市政府督查室。负责组织对整治行动进行专项督查。\n"
          "（十八）区民政局。落实城乡最低生活保障政策，实施多层次社会救助方式。\n");
    expect_leads(&p, 2, "首都综治办、市委督查室、市监察局、市政府督查室", "区民政局");
    done(&p);
    /* a heading run in before the text (tests/corpus/dev/a08.txt, simplified) */
    parse(&p, "a08.txt",
          "三、明确进度、定期报告。分工方案涉及的重点任务落实情况，各牵头单位分别于2022年4月10日前"
          "报送省政府督查室。省政府督查室牵头对各地、各部门工作落实情况进行跟踪督办。\n");
    expect_leads(&p, 1, "省政府督查室");
    done(&p);
}

/* A 双随机 spot-check list (tests/corpus/dev/as05.txt, as printed: a pipe
 * table in traditional characters): 发起部门 is the lead column, 配合部门
 * the cooperating one. */
static void test_initiating_dept_column(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "as05.txt",
          "序號 | 抽查領域 | 抽查事項 | 檢查對象 | 發起部門 | 配合部門 | 抽查層級 | 備注 |\n"
          "1 | 旅館抽查 | 旅館從業單位及人員取得許可證及旅館衛生管理等情況 | 各類旅館 | "
          "衛生健康部門 | 市場監管部門 | 市級/縣級 | 重點抽查 |\n"
          "2 | 學校抽查 | 中小學校每年開展學生體檢情況 | 市直各類學校 | 市衛生健康委員會 | "
          "市教育局 | 市級 | 一般抽查 |\n");
    expect_leads(&p, 2, "衛生健康部門", "市衛生健康委員會");
    if (p.g.ntasks == 2)
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "市教育局");
    done(&p);
}

/* Labels printed in lenticular brackets instead of before a colon
 * (【牵头单位】X【配合单位】Y, one clause, one task), and a bracket that holds
 * the unit and then the deadline with no label ("（县市场监管局，2024年8月
 * 底前）", as work-report breakdowns print it): the unit is the lead; a unit
 * with its note in brackets before 牵头 is a unit. */
static void test_bracketed_labels_and_bare_unit_deadline(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "forms.txt",
          "一、重点任务\n"
          "1.推进城乡环境整治。【牵头单位】县住建局【配合单位】各乡镇【完成时限】2024年12月\n"
          "2.加强食品安全监管。（县市场监管局，2024年8月底前）\n"
          "3.完善养老服务体系。（县民政局、县卫健局；年底前）\n"
          "4.加强人才引进。（县委组织部（县委人才办）牵头，县人社局配合，2024年6月中旬前完成）\n");
    expect_leads(&p, 4, "县住建局", "县市场监管局", "县民政局、县卫健局", "县委组织部（县委人才办）");
    if (p.g.ntasks == 4) {
        CHECK_STR(joined(&p.g.tasks[0].coop_units, b, sizeof(b)), "各乡镇");
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2024, 8, 31));
    }
    done(&p);
}

/* A plan by months (tests/corpus/dev/at03.txt, shortened): a 时间安排 cell
 * holding a month alone (1月份, 3月, 十一月) is that month's end in the
 * document's year; units in a cell separated by spaces are several, unless
 * the second is a branch of the first (县公安局 交警大队) or too short to be
 * a unit (…区 分局). */
static void test_month_cells_and_spaced_units(void)
{
    parsed_t p;
    parse(&p, "at03.txt",
          "徐庄镇2017年度安全生产专项整治工作计划\n"
          "二〇一七年二月二十四日\n"
          "一、专项整治安排表\n"
          "专项整治行业名称 | 时间安排 | 责任单位 |\n"
          "烟花爆竹 | 1月份 | 安监站 安监所 |\n"
          "电力设施 | 3月 | 电管所 |\n"
          "交通运输 | 十一月 | 超限站 公路站 交警六中队 |\n"
          "市场秩序 | 12月 | 市市场监督管理局大武口区 分局 |\n"
          "道路安全 | 12月份 | 县公安局 交警大队 |\n"
          "二、工作要求\n");
    expect_dues(&p, 5, "2017-01-31", "2017-03-31", "2017-11-30", "2017-12-31", "2017-12-31");
    expect_leads(&p, 5, "安监站、安监所", "电管所", "超限站、公路站、交警六中队",
                 "市市场监督管理局大武口区分局", "县公安局交警大队");
    done(&p);
}

/* A list of units and their duties run on in one item (tests/corpus/dev/
 * au03.txt, shortened; gazette 000's 职责分工 print "区财政局：负责…"): a task
 * per unit, from the unit to the next one; a heading's line above is no part
 * of the first unit. One unit alone stays one item (duty_subject). */
static void test_unit_duties(void)
{
    parsed_t p;
    parse(&p, "au03.txt",
          "三、组织领导及职责分工\n"
          "各组成单位及其职责如下:县环保局。负责对全县秸秆禁烧工作实施统一监督。"
          "县交通局、公路局。负责对国道、省道两侧燃烧秸秆情况的巡查。县农委。负责全县秸秆综合利用工作的督导。\n"
          "四、职责\n"
          "区财政局：负责拨付项目补助资金。\n");
    expect_leads(&p, 4, "县环保局", "县交通局、公路局", "县农委", "区财政局");
    if (p.g.ntasks == 4)
        CHECK(strncmp(p.g.tasks[1].text, "县交通局、公路局。负责", strlen("县交通局、公路局。负责")) == 0);
    done(&p);
}

/* A phase heading that gives the date it ends by, not a range
 * (tests/corpus/dev/as01.txt, as lines): its items without a date are due
 * by it, and the heading is no task once one of them is. */
static void test_phase_by_date(void)
{
    parsed_t p;
    parse(&p, "as01.txt",
          "二、步骤和任务\n"
          "（一）第一阶段（2021年5月10日前）\n"
          "1.公安局交警大队要牵头制定我县工作方案，于5月10日前完成选址工作。\n"
          "2.全县各企事业单位应当广泛开展宣传活动。\n");
    expect_dues(&p, 2, "2021-05-10", "2021-05-10");
    expect_leads(&p, 2, "公安局交警大队", "");
    done(&p);
}

/* Roles printed in brackets after the units of one list (责任单位：X（牵头）、
 * Y; …、Z（配合）), in a clause and in a table's unit cell; 负责单位 as a
 * label. */
static void test_role_marks(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "roles.txt",
          "一、重点任务\n"
          "1.推进项目建设。责任单位：县发改局（牵头）、县财政局\n"
          "2.推进项目建设。责任单位：县发改局（牵头），县财政局、县住建局（配合）\n"
          "3.推进项目建设。负责单位：县发改局。完成时限：2024年10月\n"
          "二、任务分解表\n"
          "序号 | 工作任务 | 责任单位 | 完成时限 |\n"
          "1 | 推进污水治理 | 县住建局、县水利局（配合） | 2024年10月 |\n"
          "2 | 推进项目建设 | 县统计局 | 2024年11月 |\n");
    expect_leads(&p, 5, "县发改局", "县发改局", "县发改局", "县住建局", "县统计局");
    if (p.g.ntasks == 5) {
        CHECK_STR(joined(&p.g.tasks[0].coop_units, b, sizeof(b)), "县财政局");
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "县财政局、县住建局");
        CHECK_STR(joined(&p.g.tasks[3].coop_units, b, sizeof(b)), "县水利局");
    }
    done(&p);
}

/* A division of work whose leads were set in bold (tests/corpus/dev/aw03.txt,
 * shortened): "〔林业厅、各地（市），发展改革委、财政厅，黑体为牵头单位，其他为
 * 参加单位，下同〕". The text lost the bold; the list's first group, before its
 * first comma, leads and the rest take part, in this item and the ones below
 * (下同). A bracket of units closing a line ends it: the paragraph below is
 * the item's, not the bracket's. */
static void test_bold_leads(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "aw03.txt",
          "西藏自治区人民政府办公厅关于印发分工方案的通知\n"
          "一、工作分工\n"
          "1.全区每年营造林面积100万亩以上，成活率在70%以上。〔林业厅、各地(市),发展改革委、财政厅、"
          "水利厅,黑体为牵头单位,其他为参加单位,下同〕\n"
          "根据年度造林任务，地县乡三级政府编制造林计划。\n"
          "2.全区大力消除无林乡镇。〔各地(市),林业厅、财政厅〕\n"
          "地县乡三级政府积极开展调查摸底。\n");
    expect_leads(&p, 2, "林业厅、各地（市）", "各地（市）");
    if (p.g.ntasks == 2) {
        CHECK_STR(joined(&p.g.tasks[0].coop_units, b, sizeof(b)), "发展改革委、财政厅、水利厅");
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "林业厅、财政厅");
    }
    done(&p);
    /* the same rule said "排在前位为牵头部门", in a labelled list (tests/corpus/dev/ay10.txt,
     * shortened): 责任单位's first group leads */
    parse(&p, "ay10.txt",
          "肥城市土壤污染防治工作方案\n"
          "1.深入开展土壤环境质量调查。2018年10月底前查明农用地土壤污染面积。（责任单位：市环保局、"
          "市国土资源局，市财政局、市农业局，各镇街区。排在前位为牵头部门，下同。）\n"
          "2.建立健全监测网络。2017年年底前完成点位布设。（责任单位：市环保局）\n");
    expect_leads(&p, 2, "市环保局、市国土资源局", "市环保局");
    if (p.g.ntasks == 2)
        CHECK_STR(joined(&p.g.tasks[0].coop_units, b, sizeof(b)), "市财政局、市农业局、各镇街区");
    done(&p);
    /* a bracket of units the excerpt cut before its 〕 (tests/corpus/dev/ay09.txt,
     * simplified): the 〔 is no part of the first unit */
    parse(&p, "ay09.txt",
          "1.优化产业布局。制定严格的产业准入门槛。〔市经信局、市发改委、市行政审批局负责，"
          "市自然资源和规划局、市生态环境局等参与\n");
    expect_leads(&p, 1, "市经信局、市发改委、市行政审批局");
    done(&p);
}

/* An inspection's problems, each with its measure on the line below
 * (tests/corpus/dev/ao07.txt, shortened): "整改措施：由X督促/负责…" names the
 * lead, after a role (包片单位) if one is printed; outside a measure's label a
 * "由X负责" names none (an item with no unit and no deadline is no task). */
static void test_measure_line_by_unit(void)
{
    parsed_t p;
    parse(&p, "ao07.txt",
          "11月8日市容环境综合整治情况的通报\n"
          "县双创办周末值班人员对市容环境综合整治工作进行了巡查,发现存在以下问题亟待整改:\n\n"
          "1、广伟商城户外宣传广告破损。\n\n"
          "整改措施:由县住建局督促商户更换。\n\n"
          "2、新正街邮储银行外人行道多处水果摊贩流动经营。\n\n"
          "整改措施:由市容环境综合整治联合执法工作组负责整治。\n\n"
          "3、河滨南路詹云茶行外有住户在行道树晾晒衣物。\n\n"
          "整改措施:由包片单位县文广局督促住户移走晾晒的衣物。\n\n"
          "4、河滨南路有住户晾晒坐垫。\n\n"
          "住户称由物业公司负责清理。\n");
    expect_leads(&p, 3, "县住建局", "市容环境综合整治联合执法工作组", "县文广局");
    done(&p);
}

/* Square brackets printed in ASCII next to Chinese text are 〔〕 (tests/
 * corpus/dev/k15, p14 and e09 in ASCII punctuation, shortened): a unit name
 * keeps its bracket, a bracketed clause names units, a cited number's year
 * dates the document's yearless deadlines. */
static void test_ascii_brackets(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "k15.txt",
          "九江市支持大南昌都市圈发展行动方案\n一、加强统筹\n"
          "3.积极协调重大项目推进。推进重大项目建设。(责任单位:市发改委,市直有关单位,相关县[市、区]政府)\n"
          "4.提高立法质效。健全制度体系。[省人大法制委、省司法厅等有关部门按职责分工负责]\n");
    const duban_gwdoc_task_t *t = task(&p, "一.3");
    if (t)
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "市发改委、市直有关单位、相关县〔市、区〕政府");
    if ((t = task(&p, "一.4")))
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "省人大法制委、省司法厅");
    done(&p);
    parse(&p, "e09.txt",
          "根据《昆明市人民政府关于印发若干政策措施的通知》(昆政发[2016]13号),特制定如下措施。\n"
          "一、提高投资项目审批效率\n"
          "1.精简项目审批手续。5月底前实现我区中介超市上线运行。(区政务服务局牵头,区发改局配合)\n");
    if ((t = task(&p, "一.1")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2016, 5, 31));
    done(&p);
}

/* A legal database's page (tests/corpus/dev/bi05.txt, simplified and
 * shortened): its fields (发文机关, 时效性 …) are no title, the number's
 * label glued on is no part of it, and a court's own departments (政治部)
 * lead its items: a unit ending in 部 is not always a ministry. */
static void test_law_database_fields(void)
{
    parsed_t p;
    parse(&p, "bi05x.txt",
          "发文机关最高人民法院\n发文日期2019年02月21日\n时效性现行有效\n发文字号法办〔2019〕40号\n"
          "施行日期2019年02月21日\n本院各单位:\n《分工方案》已经审议通过，现予以印发，请抓好落实。\n"
          "最高人民法院办公厅\n2019年2月21日\n"
          "关于贯彻落实《最高人民法院司法改革领导小组2019年工作要点》的分工方案\n"
          "1. 开展大学习大研讨大培训活动，组织全国法院政治轮训。\n责任单位:政治部、法官学院\n"
          "2. 制定印发改革纲要及分工方案。\n责任单位:司改办、新闻局\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].doc_number, "法办〔2019〕40号");
        CHECK_STR(p.g.docs[0].title,
                  "关于贯彻落实《最高人民法院司法改革领导小组2019年工作要点》的分工方案");
    }
    expect_leads(&p, 2, "政治部、法官学院", "司改办、新闻局");
    done(&p);
}

/* A title and its number printed with nothing between them (tests/corpus/
 * dev/bh03.txt, shortened): the number is the document's and the title
 * stops before it; a prefix of a number with a title word in it (…规划的
 * 通知市规划发) stays whole. */
static void test_title_glued_to_number(void)
{
    static const struct { const char *line, *num, *title; } cases[] = {
        {"鄂尔多斯市康巴什区人民政府办公室关于开展妇女发展规划编制工作的通知鄂康政办发〔2022〕22号",
         "鄂康政办发〔2022〕22号", "鄂尔多斯市康巴什区人民政府办公室关于开展妇女发展规划编制工作的通知"},
        {"某市人民政府关于印发城市总体规划的通知市规划发〔2021〕3号", "市规划发〔2021〕3号",
         "某市人民政府关于印发城市总体规划的通知"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        char text[1024];
        snprintf(text, sizeof(text),
                 "%s\n康巴什区人民政府妇女儿童工作委员会各成员单位：\n"
                 "请各成员单位于2022年4月15日前将编制初稿报区妇儿工委办公室。\n", cases[k].line);
        parsed_t p;
        parse(&p, "bh03x.txt", text);
        CHECK_INT(p.g.ndocs, 1);
        if (p.g.ndocs == 1) {
            CHECK_STR(p.g.docs[0].doc_number, cases[k].num);
            CHECK_STR(p.g.docs[0].title, cases[k].title);
        }
        done(&p);
    }
}

/* Document numbers whose year a web copy prints in round brackets (dev
 * b04, l03, e09 as tests/gold/perturb.py docno-round rewrites them): a
 * one-line page's number after its title, a title that ends in its own
 * bracketed number, and a cited number that dates yearless deadlines. */
static void test_round_bracket_numbers(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "b04r.txt",
          "河南省人民政府 关于明确政府工作报告提出的2023年 重点工作责任单位的通知 豫政（2023）5号 "
          "现将《政府工作报告》提出的2023年重点工作任务予以分解并明确责任单位。 "
          "一、加快提振市场信心 (一)全面促进消费增长。 1.落实好提振市场信心90条措施。"
          "(省发展改革委牵头,省商务厅、财政厅等相关部门按职责分工负责)\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].doc_number, "豫政〔2023〕5号");
    done(&p);
    parse(&p, "l03r.txt",
          "2021年县政府重点工作任务(华政发（2021）2号)\n"
          "一、经济发展\n1.抓好项目建设。6月底前开工。(责任单位:县发改局)\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].doc_number, "华政发〔2021〕2号");
        CHECK_STR(p.g.docs[0].title, "2021年县政府重点工作任务");
    }
    done(&p);
    parse(&p, "e09r.txt",
          "根据《昆明市人民政府关于印发若干政策措施的通知》(昆政发（2016）13号),特制定如下措施。\n"
          "一、提高投资项目审批效率\n"
          "1.精简项目审批手续。5月底前实现我区中介超市上线运行。(区政务服务局牵头,区发改局配合)\n");
    const duban_gwdoc_task_t *t = task(&p, "一.1");
    CHECK(t != NULL);
    if (t) {
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2016, 5, 31));
        CHECK_STR(joined(&t->lead_units, b, sizeof(b)), "区政务服务局");
    }
    done(&p);
}

/* Headings printed with parenthesised ideographs ㈦ ㈧ (U+3220..U+3229,
 * tests/corpus/dev/bl01.txt, shortened): they are （七）（八）, so the unit
 * line above one ends there instead of running on into it. */
static void test_parenthesised_ideographs(void)
{
    parsed_t p;
    parse(&p, "bl01x.txt",
          "㈦依法治理和有效控制饮用水源的污染。\n"
          "19、加强对水源的监测与治理。增加饮用水源监测频率。\n"
          "责任部门:市环保局、市水利局\n"
          "㈧全面推开食品安全信用体系建设工作，食品安全信用企业达到80%以上。\n"
          "20、全市食品安全信用企业80%达到市级信用建设标准。\n"
          "责任部门:市食品药品监管局、市工商局\n");
    expect_leads(&p, 2, "市环保局、市水利局", "市食品药品监管局、市工商局");
    if (p.g.ntasks == 2)
        CHECK_STR(p.g.tasks[1].outline_path, "(八).20");
    done(&p);
    /* the other enclosed markers (tests/gold/perturb.py enclosed-markers):
     * ⒈ is "1.", ⑴ and ⒀ (past ⑿, in the next block of code points) "(1)" */
    parse(&p, "enclosed.txt",
          "一、加强组织领导\n⒈完善工作机制。（责任单位：市发改委）\n"
          "⑴建立联席会议制度。（责任单位：市财政局）\n⒀健全督查通报制度。（责任单位：市督查室）\n"
          "⒉强化考核问责。（责任单位：市考核办）\n");
    expect_leads(&p, 4, "市发改委", "市财政局", "市督查室", "市考核办");
    if (p.g.ntasks == 4) {
        CHECK_STR(p.g.tasks[1].outline_path, "一.1.(1)");
        CHECK_STR(p.g.tasks[2].outline_path, "一.1.(13)");
        CHECK_STR(p.g.tasks[3].outline_path, "一.2");
    }
    done(&p);
    /* a Chinese numeral with a period for its enumeration comma (perturb.py
     * markers-dotted): 一. and 二． open items, 一.5 does not */
    parse(&p, "dotted.txt",
          "关于印发某方案的通知\n一.加强组织领导\n1.完善工作机制。（责任单位：市发改委）\n"
          "二．强化考核\n1．建立考核制度。（责任单位：市考核办）\n");
    expect_leads(&p, 2, "市发改委", "市考核办");
    if (p.g.ntasks == 2)
        CHECK_STR(p.g.tasks[1].outline_path, "二.1");
    done(&p);
}

/* A page that prints the document's number twice in a row, its header
 * echoed above the body (tests/corpus/dev/bm01.txt, simplified and
 * shortened): one document, which keeps the tasks. */
static void test_number_printed_twice(void)
{
    parsed_t p;
    parse(&p, "bm01e.txt",
          "标  题: 国务院办公厅关于政策措施分工的通知\n发文字号: 国办函〔2014〕31号\n\n"
          "国务院办公厅关于政策措施分工的通知\n\n国办函〔2014〕31号\n\n"
          "国务院办公厅关于政策措施分工的通知\n\n国办函〔2014〕31号\n\n国务院各部委、各直属机构：\n"
          "一、工作分工\n"
          "（一）关于“严守耕地保护红线”的问题，由国土资源部会同农业部等部门负责落实。\n");
    CHECK_INT(p.g.ndocs, 1);
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ndocs == 1 && p.g.ntasks == 1) {
        CHECK_INT(p.g.tasks[0].doc, 0);
        CHECK_STR(p.g.docs[0].title, "国务院办公厅关于政策措施分工的通知");
    }
    done(&p);
}

/* A division of work "由X会同Y等部门…" (tests/corpus/dev/bm01.txt, in
 * simplified characters): X leads, Y cooperates. In the State Council's
 * own notice the ministries are its addressees, not bodies above it; in a
 * city's notice a ministry is, and its item is no local task. */
static void test_led_with_partners_national(void)
{
    static const char *const issuer[] = {"国务院办公厅", "某市人民政府办公室"};
    for (size_t k = 0; k < 2; k++) {
        char text[1024];
        snprintf(text, sizeof(text),
                 "%s关于政策措施分工的通知\n一、工作分工\n"
                 "（一）关于“实施粮食安全战略”的问题，由发展改革委会同中央农办、农业部、财政部等部门研究提出落实意见。\n"
                 "（二）关于“严守耕地保护红线”的问题，由国土资源部会同农业部等部门负责落实。\n",
                 issuer[k]);
        parsed_t p;
        parse(&p, "bm01x.txt", text);
        if (k == 0) {
            CHECK_INT(p.g.ntasks, 2);
            if (p.g.ntasks == 2) {
                check_units(&p.g.tasks[0], "发展改革委", "中央农办、农业部、财政部");
                check_units(&p.g.tasks[1], "国土资源部", "农业部");
            }
        } else { /* 国土资源部 is above the city; a bare 发展改革委 may be its own */
            CHECK_INT(p.g.ntasks, 1);
            if (p.g.ntasks == 1)
                CHECK_STR(p.g.tasks[0].outline_path, "一.(一)");
        }
        done(&p);
    }
    parsed_t p;
    parse(&p, "bm01y.txt",
          "某市人民政府办公室关于政策措施分工的通知\n一、工作分工\n"
          "（一）关于“严守耕地保护红线”的问题，由市国土资源局会同市农业局等部门负责落实。\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1)
        check_units(&p.g.tasks[0], "市国土资源局", "市农业局");
    done(&p);
}

/* A notice's items (tests/corpus/dev/bk01.txt, simplified and shortened):
 * units that are "…的责任主体" lead the item; the notice's entry into force
 * (本通告自发布之日起实施) is no task, though the signature run on after it
 * prints a date. */
static void test_owner_and_entry_into_force(void)
{
    parsed_t p;
    parse(&p, "bk01x.txt",
          "磐石市人民政府关于秸秆禁烧的通告\n"
          "一、在全市范围内禁止任何单位和个人露天焚烧农作物秸秆。\n"
          "二、各乡（镇）人民政府、街道办事处是农作物秸秆禁烧工作的责任主体，"
          "生态环境、交通等相关部门要配合乡镇街做好执法工作。\n"
          "三、本通告自发布之日起实施。磐石市人民政府2021年9月18日\n");
    expect_leads(&p, 1, "各乡（镇）人民政府、街道办事处");
    CHECK(find_task(&p, "三") == NULL);
    done(&p);
}

/* A meeting's report with no date (tests/corpus/dev/bh09.txt, shortened):
 * a sentence that names a lead and its partners is a duty; one that names
 * a lead alone is news; partners who 密切配合 cooperate. */
static void test_led_with_partners(void)
{
    parsed_t p;
    parse(&p, "bh09x.txt",
          "姚安县召开永久基本农田划定工作领导小组会议\n\n"
          "会议指出，各级各部门要紧紧围绕城市规划做好工作。县国土资源局牵头，县发改局、"
          "县住建局等部门密切配合，抢抓时间，全力推进本次永久基本农田划定工作。\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        check_units(&p.g.tasks[0], "县国土资源局", "县发改局、县住建局");
        CHECK(strstr(p.g.tasks[0].text, "会议指出") == NULL);
    }
    done(&p);
    parse(&p, "bh09y.txt",
          "姚安县召开永久基本农田划定工作领导小组会议\n\n"
          "会议指出，各级各部门要紧紧围绕城市规划做好工作。县国土资源局牵头召开了专题会议。\n");
    CHECK_INT(p.g.ntasks, 0);
    done(&p);
}

/* A table printed one cell per line with a blank line between cells, a
 * merged 主要职责 cell over several 具体工作事项 each with its 负责部门, and
 * an empty 备注 column (tests/corpus/dev/bh07.txt, shortened): the first
 * 事项 after a full row is the next row's task, not the row's note. */
static void test_note_column_after_units(void)
{
    parsed_t p;
    parse(&p, "bh07x.txt",
          "一、部门职责登记表\n\n序号\n\n主要职责\n\n具体工作事项\n\n负责部门\n\n备注\n\n"
          "1\n\n贯彻执行党中央国务院有关教育工作的方针政策。\n\n"
          "指导贯彻执行国家关于加强农村义务教育的政策措施\n\n基础教育室\n\n\n"
          "2\n\n研究拟订并组织实施全县教育工作政策规定、规章制度。\n\n"
          "负责按有关规定拟订教师交流轮岗方案\n\n人事管理室\n\n\n"
          "拟订全县学前教育、义务教育、高中教育的发展提升行动计划\n\n基础教育室\n\n\n"
          "制定有关体育、卫生、美育、国防教育工作指导性文件\n\n体育卫生和艺术教育室\n\n\n");
    expect_leads(&p, 4, "基础教育室", "人事管理室", "基础教育室", "体育卫生和艺术教育室");
    if (p.g.ntasks == 4)
        CHECK(strstr(p.g.tasks[2].text, "拟订全县学前教育") != NULL);
    done(&p);
}

/* A table printed one cell per line, a blank line between cells, whose
 * long cells a PDF wrapped onto a second line (tests/corpus/dev/h03.txt,
 * hard-wrapped at 38 characters as tests/gold/perturb.py does): lines that
 * follow each other are one cell. */
static void test_wrapped_cells(void)
{
    parsed_t p;
    parse(&p, "h03.txt",
          "政府工作报告公开挂牌督办事项上半年进展\n\n序号\n\n公开挂牌督办事项\n\n年度工作任务和目标\n\n"
          "责任单位\n\n上半年进展\n\n1\n\n"
          "全市生产总值增长8%左右。固定资产投资增长12%左右。居民人均可支配收入增长\n"
          "8%左右,确保居民收入增长与经济增长同步。\n\n全年完成\n\n市发展改革委\n\n"
          "上半年,全市生产总值增长7.5%。\n\n2\n\n社会消费品零售总额增长10.5%左右。\n\n"
          "全年完成\n\n市商务局\n\n上半年增长10.2%。\n");
    expect_leads(&p, 2, "市发展改革委", "市商务局");
    done(&p);
}

/* A heading that is only a unit's name, over the items that unit carries
 * out (tests/corpus/dev/y03.txt, shortened): their lead, and no task of its
 * own; a chapter's title that ends like a body (…服务网) is no unit. */
static void test_unit_heading(void)
{
    parsed_t p;
    parse(&p, "y03.txt",
          "(三)闻喜县政府\n"
          "1、彻底清除大运高速公路两侧1公里范围内不达标的企业,2006年底前完成。\n"
          "2、严厉打击“小选矿”违法采、选矿行为,2006年8月底前取缔所有非法小选矿企业。\n"
          "(四)稷山县政府\n"
          "1、依法淘汰小炼铁、小水泥等落后生产工艺和设施,2006年底完成。\n");
    expect_leads(&p, 3, "闻喜县政府", "闻喜县政府", "稷山县政府");
    done(&p);
}

/* Titles a web page prints with its field label before them or its next
 * field after them (tests/corpus/dev/w03, u06, shortened): the title alone. */
static void expect_untasked(const char *file, const char *src, const char *number,
                            const char *title);

static void test_title_fields(void)
{
    parsed_t p;
    parse(&p, "w03.txt",
          "名称：谯城区2025年政府工作报告重点工作任务分解表\n"
          "一、主要目标\n1.地区生产总值增长6.5%左右。（牵头单位：区发改委）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title, "谯城区2025年政府工作报告重点工作任务分解表");
    done(&p);
    parse(&p, "u06.txt",
          "关于《政府工作报告》确定的2021年重点工作责任分解的通知\n"
          "主题分类: 政务督查 发布机构: 赤壁市人民政府办公室\n"
          "名       称: 关于《政府工作报告》确定的2021年重点工作责任分解的通知 发布日期: 2021年07月07日\n"
          "各乡镇人民政府、街道,市政府各部门:\n"
          "一、加强组织领导。要按照责任分工，于2021年7月底前建立工作台账。（牵头单位：市政府办）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title, "关于《政府工作报告》确定的2021年重点工作责任分解的通知");
    done(&p);
    /* a page of the kind 政策解读 names the plan it explains (tests/corpus/dev/q08.txt) */
    expect_untasked("q08.txt",
                    "政策解读:广元市安全生产治本攻坚三年行动方案(2024—2026年)\n"
                    "各县(区)安委会,市级有关部门(单位):\n"
                    "现将《广元市安全生产治本攻坚三年行动方案(2024—2026年)》印发你们，请认真抓好贯彻落实。\n",
                    NULL, "广元市安全生产治本攻坚三年行动方案（2024—2026年）");
}

/* A document number whose year is printed in round brackets, inside the
 * round brackets under the title (tests/corpus/dev/ae10.txt as a copy that
 * prints 〔〕 as （） writes it: perturb-style rewrite): the number's own
 * brackets do not end the outer ones; it reads as 汴政办〔2005〕34号. */
static void test_docno_in_round_brackets(void)
{
    parsed_t p;
    parse(&p, "ae10.txt",
          "开封市人民政府办公室关于印发省政府第八次全体会议确定事项分解落实意见的通知\n"
          "（汴政办（2005）34号）\n"
          "各县、区人民政府，市政府各部门：\n"
          "现将2005年重点工作分解印发给你们，请认真贯彻落实。\n"
          "一、加快重点项目建设\n"
          "1.抓好重点项目建设。（责任单位：市发改委）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].doc_number, "汴政办〔2005〕34号");
    done(&p);
}

/* A notice's unnumbered paragraph that sets a date and what to do by it
 * without 请/要 (tests/corpus/dev/aa04.txt, shortened): a task. */
static void test_notice_by_date(void)
{
    parsed_t p;
    parse(&p, "aa04.txt",
          "广元市利州区人民政府\n关于下达2010年度环境保护目标任务的通知\n"
          "各乡镇人民政府,各街道办事处,区级有关部门:\n"
          "各责任单位于2010年6月5日和12月5日前将半年及年度环境保护目标任务完成情况书面报告区政府,"
          "并抄送区政府办公室、区环保局。\n二○一○年三月十七日\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1)
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2010, 12, 5));
    done(&p);
    /* a transmittal that asks for one deliverable by one date (dev an04) */
    parse(&p, "an04x.txt",
          "吉安市人民政府办公室关于印发吉安市市本级政务公开工作实施细则的通知\n"
          "各县（市、区）人民政府，市政府各部门：\n"
          "现将《吉安市市本级政务公开工作实施细则》印发给你们，请认真贯彻执行。各部门、各单位要"
          "结合实际制定本部门政务公开实施细则，并于2004年1月10日前报送市政务公开工作领导小组办公室。\n"
          "一、公开内容。（责任单位：市政府办公室）\n二〇〇三年十二月二十日\n");
    CHECK_INT(p.g.ntasks, 2); /* the request, then the item */
    if (p.g.ntasks == 2)
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2004, 1, 10));
    done(&p);
    /* the transmittal of a breakdown, or reports by several dates: the
     * list's reporting rule, no task (dev b04, h10) */
    parse(&p, "b04x.txt",
          "河南省人民政府关于明确2023年重点工作责任单位的通知\n各省辖市人民政府，省人民政府各部门：\n"
          "现将《政府工作报告》提出的2023年重点工作任务予以分解并明确责任单位。各责任单位要尽快制定"
          "具体落实方案，并于2023年3月25日、6月25日、9月25日前向省政府报告各项重点工作进展情况。\n"
          "一、稳定经济增长。（责任单位：省发展改革委）\n2023年2月1日\n");
    CHECK_INT(p.g.ntasks, 1); /* the item only */
    done(&p);
    parse(&p, "b04y.txt",
          "某市人民政府关于印发某方案的通知\n各县（市、区）人民政府：\n"
          "现将《某某实施方案》印发给你们，请认真贯彻执行。各单位要于2023年3月25日、6月25日、"
          "9月25日前向市政府报告工作进展情况。\n一、稳定经济增长。（责任单位：市发展改革委）\n"
          "2023年2月1日\n");
    CHECK_INT(p.g.ntasks, 1);
    done(&p);
}

/* A mirror site's copy that prints a pinyin reading after some characters
 * (tests/corpus/dev/o12.txt, aa03.txt): the readings are dropped, so 關(guān)于
 * reads as 關于 and a unit as its name; a bracket after a character that
 * holds no tone-marked syllable stays. */
static void test_pinyin_readings(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "aa03.txt",
          "一、關(guān)于目標體系設(shè)置\n"
          "1.地區(qū)生產(chǎn)總值增長15%，2007年底前完成。（牵頭單位：市發(fā)展改革委(市物价局)）\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        CHECK_STR(joined(&p.g.tasks[0].lead_units, b, sizeof(b)), "市發展改革委（市物价局）");
        CHECK(strncmp(p.g.tasks[0].text, "地區生產總值增長15%", strlen("地區生產總值增長15%")) == 0);
    }
    done(&p);
}

/* A responsibility label followed by 为 / 均为 instead of a colon, in a line
 * of its own after the items it covers (tests/corpus/dev/aa03.txt, shortened
 * and simplified): "4项目标的责任单位均为X" gives X to the items above. */
static void test_label_wei(void)
{
    parsed_t p;
    parse(&p, "aa03.txt",
          "（一）跨越式发展目标。\n1.地区生产总值增长15%；\n2.第三产业增加值达到1000亿元；\n"
          "2项目标的责任单位均为市发展改革委。\n3.规模以上工业销售收入达到3000亿元；\n"
          "该目标责任单位为市经委。\n");
    expect_leads(&p, 3, "市发展改革委", "市发展改革委", "市经委");
    done(&p);
}

/* A bracketed clause on a line of its own after a list of sibling items
 * (tests/corpus/dev/e05.txt, shortened) names the lead of them all, its
 * label printed after a colon or in lenticular brackets (perturb.py
 * labels-bracketed). */
static void test_trailing_clause_line(void)
{
    static const char *const forms[] = {"（责任单位：", "（【责任单位】", NULL};
    for (size_t k = 0; forms[k]; k++) {
        char text[1024];
        snprintf(text, sizeof(text),
                 "（一）“一案三制”建设\n1.完善应急预案体系\n"
                 "（1）加强应急预案管理，规范应急预案编制、审批、发布工作。\n"
                 "（2）推进政府及其部门应急预案“精编化”，及时修订完善现有应急预案。\n"
                 "（3）加强应急预案演练，完善演练管理制度。\n"
                 "%s市应急局、各县（市、区）人民政府）\n", forms[k]);
        parsed_t p;
        parse(&p, "e05x.txt", text);
        expect_leads(&p, 3, "市应急局、各县（市、区）人民政府", "市应急局、各县（市、区）人民政府",
                     "市应急局、各县（市、区）人民政府");
        done(&p);
    }
}

/* A 责任单位 value that marks some units 牵头 and lists the rest with no
 * verb (tests/corpus/dev/t08.txt, simplified and shortened): the marked units
 * lead, the rest cooperate, and the document's note in brackets is no unit. */
static void test_lead_then_list(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "t08.txt",
          "（一）财政收支。\n\n1.坚持政府过紧日子，严肃财经纪律。\n\n"
          "责任单位：省政府办公厅、省财政厅牵头，省商务厅、省文化广电和旅游厅"
          "（除标注为“牵头”单位外，列第一位的为牵头或汇总单位，下同）\n\n"
          "2.积极争取并高效用好地方政府专项债券。\n\n责任单位：省财政厅、省发展改革委\n");
    expect_leads(&p, 2, "省政府办公厅、省财政厅", "省财政厅");
    if (p.g.ntasks == 2) {
        CHECK_STR(joined(&p.g.tasks[0].coop_units, b, sizeof(b)), "省商务厅、省文化广电和旅游厅");
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "省发展改革委");
    }
    done(&p);
}

/* A deadline line after the last of a run of sub-items is the time of all
 * of them when none prints its own (tests/corpus/dev/l06.txt, shortened);
 * where an earlier sub-item prints its own, the line is only the last's. */
static void test_closing_time_line(void)
{
    parsed_t p;
    parse(&p, "l06.txt",
          "云南省人民政府办公厅\n2017年3月1日\n一、主要问题整改措施\n（一）安全生产责任制落实不到位\n"
          "1.关于安全生产指标未列入规划的问题。\n整改措施：\n"
          "（1）将安全生产主要指标纳入规划纲要。（省发展改革委负责）\n"
          "（2）将6项安全生产指标纳入专项规划。（省安全监管局负责）\n"
          "整改完成时限：2017年6月30日。\n"
          "2.关于部门监管责任落实不到位的问题。\n整改措施：\n"
          "（1）制定监管权力清单，2017年4月底前完成。（省编办负责）\n"
          "（2）健全考核制度。（省安全监管局负责）\n"
          "整改完成时限：2017年9月30日。\n");
    const duban_gwdoc_task_t *t;
    if ((t = task(&p, "一.(一).1.(1)")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2017, 6, 30));
    if ((t = task(&p, "一.(一).1.(2)")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2017, 6, 30));
    if ((t = task(&p, "一.(一).2.(1)")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2017, 4, 30));
    if ((t = task(&p, "一.(一).2.(2)")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2017, 9, 30));
    done(&p);
}

/* A report's header prints the signer after its number ("…〔2019〕7 号
 * 签发人：刘中文"), then the issuing office and the title below
 * (tests/corpus/dev/o14.txt, shortened): the number is the document's. */
static void test_signer_header(void)
{
    parsed_t p;
    parse(&p, "o14.txt",
          "四平市铁西区人民政府督查通知单\n\n四铁西政督字〔2019〕7 号    签发人:刘中文\n\n\n"
          "铁西区人民政府督查室\n\n关于对城区环境卫生综合整治工作检查情况的 \n\n整改通知 \n\n"
          "各街道、区直各有关部门:\n\n现将检查中发现的问题通知如下，请认真整改。\n\n"
          "四平市铁西区人民政府督查室\n\n2019年5月15日\n\n附件:\n\n存在问题:\n\n"
          "1.春江医院附近北侧胡同内垃圾。(责任单位:英雄街道)\n\n"
          "2.天桥下王力防盗安全门门前路面破损。(责任单位:住建局)\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].doc_number, "四铁西政督字〔2019〕7号");
        CHECK_STR(p.g.docs[0].title, "铁西区人民政府督查室关于对城区环境卫生综合整治工作检查情况的整改通知");
    }
    expect_leads(&p, 2, "英雄街道", "住建局");
    done(&p);
}

/* A page that prints no outline (a news release of a plan,
 * tests/corpus/dev/ac05.txt and z13.txt, shortened): a paragraph that sets a
 * date for the work is a task with no unit; the page's furniture, the day
 * a meeting was held and a paragraph with no date are not. The same
 * paragraphs before an outline are a preamble: no task. */
static void test_unmarked_duties(void)
{
    static const char *const body =
        "发布时间:2023年02月10日 来源:天津日报\n\n"
        "2月8日，市政府召开常务会议，研究部署今年重点工作。\n\n"
        "加快京滨城际（南段）、津潍高铁建设，津兴城际年底前建成通车。\n\n"
        "提高大病保险报销比例和居民医保住院最高支付限额。\n\n"
        "国家会展中心（天津）二期项目6月底竣工，完善国家会展经济片区功能。\n\n";
    char src[2048];
    parsed_t p;
    snprintf(src, sizeof(src), "%s", body);
    parse(&p, "ac05.txt", src);
    expect_leads(&p, 2, "", "");
    const duban_gwdoc_task_t *t;
    if ((t = task(&p, "正文1")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 12, 31));
    if ((t = task(&p, "正文2")))
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2023, 6, 30));
    done(&p);
    snprintf(src, sizeof(src), "%s一、重点任务\n\n1.新建公办幼儿园8所，9月底前投入使用。（责任单位：市教育局）\n", body);
    parse(&p, "ac05-outline.txt", src);
    expect_leads(&p, 1, "市教育局");
    done(&p);
}

/* A page that names a document (its title, or the 文号 in the page's
 * metadata) is that document even when no task is read from it
 * (tests/corpus/dev/q05.txt and r10.txt, shortened); a page that names none
 * and holds no task is no document. */
/* Parses src and checks it yields one document, with no task, whose
 * doc_number (or title when number is NULL) is want. */
static void expect_untasked(const char *file, const char *src, const char *number,
                            const char *title)
{
    parsed_t p;
    parse(&p, file, src);
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        if (number)
            CHECK_STR(p.g.docs[0].doc_number, number);
        if (title)
            CHECK_STR(p.g.docs[0].title, title);
        CHECK_INT(p.g.docs[0].task_count, 0);
    }
    done(&p);
}

static void test_untasked_documents(void)
{
    static const char *const body =
        "提案是人民政协履行政治协商、民主监督、参政议政职能的重要形式。\n\n"
        "一、征集提案线索的范围内容\n\n提案线索应是事关我区经济发展、社会和谐稳定的全局性问题。\n";
    char src[2048];
    expect_untasked("q05.txt",
                    "  • 文  号:咸政办发〔2022〕1号\n  • 发文单位:咸宁市人民政府办公室\n"
                    "  • 发文日期:2022年01月07日\n\n"
                    "市人民政府办公室关于印发2022年市《政府工作报告》确定的主要目标任务责任分解方案的通知\n\n"
                    "各县、市、区人民政府，市政府各部门：\n\n"
                    "一、加强组织领导。各责任单位要加强组织领导，明确专门责任部门和具体责任人。\n",
                    "咸政办发〔2022〕1号", NULL);
    snprintf(src, sizeof(src), "关于向社会公开征集政协提案线索的通告\n\n信息来源:固原新闻网\n\n"
             "发布时间:2018-11-08\n\n%s", body);
    expect_untasked("r10.txt", src, NULL, "关于向社会公开征集政协提案线索的通告");
    /* a title run into its first item on one line (tests/corpus/dev/j12.txt) */
    parsed_t p;
    parse(&p, "j12.txt",
          "楚雄州贯彻落实省委、省政府环境保护督察反馈意见问题整改措施清单一、认识不深"
          "（一）部分领导干部对辖区内环境质量盲目乐观，没有危机感，对环境保护的长期性、复杂性和"
          "艰巨性认识不足。（责任单位：州委办公室、州政府办公室）\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title, "楚雄州贯彻落实省委、省政府环境保护督察反馈意见问题整改措施清单");
    expect_leads(&p, 1, "州委办公室、州政府办公室");
    done(&p);
    snprintf(src, sizeof(src), "发布时间:2018-11-08\n\n%s", body);
    parse(&p, "news.txt", src);
    CHECK_INT(p.g.ndocs, 0);
    done(&p);
}

/* A page that lost its line breaks and most full stops
 * (tests/corpus/dev/ad12.txt, shortened): items after a comma split when
 * their marker is a Chinese numeral, a short heading splits from the first
 * sub-item run into it, and a labelled list ends at the comma after its
 * verb when a sentence, not a unit, follows. */
static void test_comma_run_items(void)
{
    parsed_t p;
    char b[256];
    parse(&p, "ad12.txt",
          "局机关各科室、局属各单位：现将我局《2022年度就业环境“补短板”专项攻坚方案》印发给你们，"
          "现就做好2022年度就业环境“补短板”工作制定本方案，二、工作举措（一）开展就业创业服务提升"
          "专项行动，进一步抓好重点群体就业工作，责任科室（单位）：就业科、能建科分别牵头，"
          "（五）开展人社信息宣传提升专项行动，责任科室（单位）：办公室牵头，局办公室将攻坚举措列入"
          "局稳就业保民生重大政策全程跟踪落实机制管理范围。\n");
    expect_leads(&p, 2, "就业科、能建科", "办公室");
    if (p.g.ntasks == 2) {
        CHECK_STR(p.g.tasks[0].outline_path, "二.(一)");
        CHECK_STR(p.g.tasks[1].outline_path, "二.(五)");
        CHECK_STR(joined(&p.g.tasks[1].coop_units, b, sizeof(b)), "");
    }
    done(&p);
}

/* A news release with no outline (tests/corpus/dev/ae09.txt, ae11.txt,
 * shortened): a paragraph that opens with a phase's range of dates is a task
 * due at the range's end, and a paragraph's own "具体由X牵头负责" gives its
 * lead. The day the plan was issued is no task. */
static void test_body_phases_and_leads(void)
{
    parsed_t p;
    parse(&p, "ae09.txt",
          "5月16日，省突出环境问题整改工作领导小组办公室印发《整改工作方案》及整改任务清单。\n"
          "整改将分3个阶段推进。2019年5月6日至6月14日，为动员部署、制定方案和立行立改阶段。全面梳理整改任务。\n"
          "2019年6月中旬至12月31日，为全面推进整改阶段。由省委督查室、省政府督查室牵头对整改工作进行督查。\n");
    expect_leads(&p, 2, "", "省委督查室、省政府督查室");
    if (p.g.ntasks == 2) {
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2019, 6, 14));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2019, 12, 31));
    }
    done(&p);
    parse(&p, "ae11.txt",
          "市政府关于下达2018年政府工作任务的通知\n\n各市、区人民政府，市各委办局：\n\n"
          "市政府将对各目标任务实施动态管理，具体由市发改委牵头负责。各地、各部门应于7月初和12月初"
          "分别组织一次自查活动，完成情况报市发改委汇总后报市政府。\n\n苏州市人民政府\n\n2018年2月10日\n");
    expect_leads(&p, 1, "市发改委");
    if (p.g.ntasks == 1)
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2018, 12, 10));
    done(&p);
}

/* An indicator table printed one cell per line (tests/corpus/dev/ae05.txt,
 * shortened): the 考核项目 and 考核指标 cells are merged (printed once), so a
 * row's text cells move right up to its units; 单位 is a unit of measure; a
 * 评分部门 cell names the assessor, never an owner; a target of 1 is no row
 * number. */
static void test_indicator_table(void)
{
    static const char *const cells[] = {
        "2021年嵊泗县乡村振兴任务清单", "考核项目", "序号", "考核指标", "考核内容", "单位", "年度目标",
        "责任部门", "评分部门", "农业高质高效", "1", "确保粮食和重要农产品有效供给", "农林牧渔业增加值增幅",
        "%", "≥2%", "县海洋与渔业局", "县农业农村局", "市海洋渔业局市农业农村局",
        "2", "农业劳动生产率及增幅", "万元/人", "全市统筹", "县海洋与渔业局", "县农业农村局",
        "市海洋渔业局市农业农村局", "3", "粮食安全责任制", "-", "良好以上", "县经济和信息化局", "市商务局",
        "4", "粮食播种面积", "万亩", "0.07", "县农业农村局", "市农业农村局",
        "5", "家禽出栏", "万只", "1", "县农业农村局", "市农业农村局",
        /* tests/corpus/dev/l14.txt: a task named after a kind of place, not a unit */
        "6", "现代化美丽城镇", "全市统筹", "乡村振兴办", NULL};
    char src[4096];
    size_t n = 0;
    for (size_t k = 0; cells[k]; k++)
        n += (size_t)snprintf(src + n, sizeof(src) - n, "%s\n\n", cells[k]);
    parsed_t p;
    char b[256];
    parse(&p, "ae05.txt", src);
    expect_leads(&p, 6, "县海洋与渔业局、县农业农村局", "县海洋与渔业局、县农业农村局", "县经济和信息化局",
                 "县农业农村局", "县农业农村局", "乡村振兴办");
    if (p.g.ntasks == 6) {
        CHECK_STR(p.g.tasks[1].text, "农业劳动生产率及增幅");
        CHECK_STR(p.g.tasks[2].text, "粮食安全责任制");
        CHECK_STR(p.g.tasks[3].text, "粮食播种面积");
        CHECK_STR(p.g.tasks[4].text, "家禽出栏");
        CHECK_STR(joined(&p.g.tasks[4].coop_units, b, sizeof(b)), "");
    }
    done(&p);
}

/* A heading item whose paragraphs each open with a target date
 * (tests/corpus/dev/x01.txt, shortened) holds one task per paragraph, each
 * due at its own date; a bare "2022年，…" paragraph does not split. */
static void test_target_paragraphs(void)
{
    parsed_t p;
    parse(&p, "x01.txt",
          "一、主要目标\n\n到2025年底前，全市首批100个嵌入式服务设施建设示范社区全面建成。\n\n"
          "到2027年底前，向全市更多社区推开。\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK_STR(p.g.tasks[0].outline_path, "一/1");
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2025, 12, 31));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2027, 12, 31));
        CHECK_INT(p.g.tasks[1].line, 5);
    }
    done(&p);
    /* a schedule's steps, each opening with its dates, after the span that
     * introduces them (tests/corpus/dev/bb02.txt, shortened): a task each,
     * due at its range's end; the span itself is none */
    parse(&p, "bb02.txt",
          "校内相关单位：\n一、时间安排\n2025年9月1日至12月30日（4个月）。其中：\n"
          "9月1日至9月30日，校内相关单位完成自查自评；\n"
          "10月9日至11月15日，对市委第五巡察组反馈的41条意见进行评估检查；\n"
          "12月16日至12月30日，向学校党委汇报校内巡察“回头看”评估结果。\n");
    CHECK_INT(p.g.ntasks, 3);
    if (p.g.ntasks == 3) {
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2025, 9, 30));
        CHECK_INT(p.g.tasks[1].deadline.due_date, duban_date_from_ymd(2025, 11, 15));
        CHECK_INT(p.g.tasks[2].deadline.due_date, duban_date_from_ymd(2025, 12, 30));
    }
    done(&p);
    parse(&p, "goals.txt",
          "关于印发垃圾分类工作方案的通知\n某政办发〔2022〕73号\n三、工作目标\n\n"
          "2022年，建立生活垃圾分类标准体系。\n\n2025年，建立生活垃圾分类处置体系。\n");
    CHECK_INT(p.g.ntasks, 1);
    done(&p);
}

/* A text that ends inside its last item, before the item shows its unit,
 * does not emit it: the unit cut inside its name (tests/corpus/dev/k11.txt),
 * a row cut before its unit cells while the rows above print theirs
 * (dev/a02.txt) or its 协同单位 line (dev/c04.txt). A list cut in its last name keeps the names before it
 * (dev/s05.txt); a complete unit name at the very end stands (dev/o09.txt). */
static void test_cut_last_item(void)
{
    parsed_t p;
    parse(&p, "k11.txt",
          "一、重点任务\n1.全力稳定工业经济增长。\n责任单位:县工信局。\n"
          "2.强化财政收支管理。\n责任单位:县财政局。\n"
          "3.全力防范化解财政金融等领域风险隐患。\n责任单位:县财\n");
    expect_leads(&p, 2, "县工信局", "县财政局");
    CHECK_INT(p.g.cut_line, 6);
    done(&p);
    parse(&p, "a02.txt",
          "序号\n工作任务\n牵头单位\n配合单位\n1\n推进老旧小区改造。\n区住房和城乡建设局\n区财政局\n"
          "2\n实施城市更新行动。\n区发展和改革局\n区住房和城乡建设局\n3\n拓展城际\n");
    expect_leads(&p, 2, "区住房和城乡建设局", "区发展和改革局");
    done(&p);
    /* the lead from the heading, the items each followed by their 协同单位
     * line: the last one cut before it (dev/c04.txt) */
    parse(&p, "c04.txt",
          "(一)省人民政府办公厅牵头的工作\n1.加强政府自身建设,切实优化政务环境。\n"
          "协同单位:省直有关部门和各市人民政府。\n2.认真执行省人大及其常委会的各项决议、决定。\n"
          "协同单位:省直有关部门和各市人民政府。\n3.进一步完善民主科学决策的体制机制,建立健全重大决策以及\n");
    expect_leads(&p, 2, "省人民政府办公厅", "省人民政府办公厅");
    done(&p);
    /* the last item's unit name wrapped onto the next line (dev/af04.txt
     * wrapped at 38 characters): it is printed, the item stands */
    parse(&p, "af04-wrapped.txt",
          "1.實施糧油等主要作物大面積單產提升行動。〔責任單位:自治區農牧廳(鄉村振興局)、財政廳〕\n"
          "2.實施耕地保護與建設行動,積極爭取高標準農田建設項目710萬畝以上。〔責任單位:自治區農牧廳\n"
          "(鄉村振興局)、發\n");
    CHECK_INT(p.g.ntasks, 2);
    done(&p);
    parse(&p, "s05.txt",
          "(一)完善产权制度\n1.健全产权保护制度。(牵头单位:市司法局、市法院)\n"
          "(二)推进生产要素市场化改革\n1.健全土地、劳动力、资本、技术等生产要素市场运行机制。"
          "(牵头单位:市自然资源和规划局、人行永城支行、工业信息化\n");
    expect_leads(&p, 2, "市司法局、市法院", "市自然资源和规划局、人行永城支行");
    CHECK_INT(p.g.cut_line, 0);
    done(&p);
    parse(&p, "o09.txt",
          "经济社会发展10项预期目标任务进展情况表\n序号 |\n预期目标 |\n责任单位 |\n进展情况 |\n"
          "1 |\n地区生产总值增长6%以上 |\n区发展改革委 |\n预计一季度GDP增长20%左右。 |\n"
          "2 |\n固定资产投资总额增长8% |\n区发展改革委 |\n预计一季度投资增速20%左右。 |\n"
          "3 |\n工业增加值增长8% |\n区经济信息委\n");
    CHECK_INT(p.g.ntasks, 3);
    CHECK_INT(p.g.cut_line, 0);
    done(&p);
}

/* A pipe-table progress report (tests/corpus/dev/ag06.txt): the rows under
 * a 类别 cell merged from the row above start one column on; the item is
 * its 事项名称 cell, not the year's 任务目标; the page's record after the
 * table (索引号 | … | 成文日期 |) is no row. */
static void test_merged_category_rows(void)
{
    parsed_t p;
    parse(&p, "ag06.txt",
          "类别 | 民生事项名称 | 2022年度任务目标 | 责任单位 | 分管市领导 | 1-9月份工作完成情况 |\n"
          "四、教育文化 | 14.改扩建泉山学校及庙后吕家初级中学 | 完成泉山学校一期2座教学楼建设。 | "
          "教育体育局 | 刘福利 | 完成主体建筑结构施工。 |\n"
          "15.推进学校塑胶运动场地建设 | 完成罗峰学校塑胶运动场地建成并投入使用。 | 教育体育局 | "
          "刘福利 | 9月份开始施工,完成基础施工30%。 | |\n"
          "16.推进义务教育课后服务 | 对全市34所义务教育学校实行课后服务全覆盖。 | 卫生健康局 | 王某 | "
          "课后服务计划拨付700万元。 |\n"
          "索引号: | 113706850042672474/2022-04772 | 成文日期: | 2022-10-08 |\n"
          "注:以上为1-9月份进展情况。\n");
    expect_leads(&p, 3, "教育体育局", "教育体育局", "卫生健康局");
    if (p.g.ntasks == 3) {
        CHECK(strncmp(p.g.tasks[0].text, "14.改扩建", strlen("14.改扩建")) == 0);
        CHECK(strncmp(p.g.tasks[1].text, "15.推进学校", strlen("15.推进学校")) == 0);
    }
    done(&p);
}

/* A policy page wrapped at a fixed width (dev/ag05.txt): its title ends in
 * 政策, and a body line holding 。 is no title's end. */
static void test_policy_title(void)
{
    parsed_t p;
    parse(&p, "ag05.txt",
          "加快推進工業經濟高質量發展若干政策\n\n發布日期:2022-12-19 10:21\n"
          "為貫徹落實新發展理念,特制訂如下政策。\n一、深入實施數字經濟“一號工程”\n"
          "(一)深入推進數字經濟系統建設。推進未來工廠建設,給予獎勵。\n(責任單位:市經信局)\n"
          "(二)加快推進數字產業化。當年認定為省級首版次軟件的產品,一次性獎勵\n"
          "企業 50 萬元。(責任單位:市經信局)\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title, "加快推進工業經濟高質量發展若干政策");
    expect_leads(&p, 2, "市經信局", "市經信局");
    done(&p);
    parse(&p, "ag05-untitled.txt",
          "(一)深入推進數字經濟系統建設。推進未來工廠建設,給予獎勵。\n(責任單位:市經信局)\n"
          "(二)加快推進數字產業化。當年認定為省級首版次軟件的產品,一次性獎勵\n"
          "企業 50 萬元。(責任單位:市經信局)\n");
    if (p.g.ndocs == 1)
        CHECK(!strstr(p.g.docs[0].title, "萬元"));
    done(&p);
}

/* A title wrapped so that its last line is short (tests/corpus/dev/v06.txt
 * wrapped at 38 characters, as a PDF or a narrow page prints it): the tail
 * "28年)的通知" under the longer line ends the title. */
static void test_wrapped_title_tail(void)
{
    parsed_t p;
    parse(&p, "v06.txt",
          "包头市人民政府办公室关于印发包头市低空经济高质量发展实施方案(2025—20\n28年)的通知\n\n"
          "发布时间: 2025-07-06\n\n各旗、县、区人民政府,市直有关部门、单位:\n\n"
          "经市人民政府同意,现将《包头市低空经济高质量发展实施方案(2025—2028年)》印发给你们,请认真贯彻落实。\n\n"
          "2025年6月3日\n\n(此件公开发布)\n\n包头市低空经济高质量发展实施方案(2025—2028年)\n\n"
          "一、总体要求\n\n2027年,建成5个基地。\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title,
                  "包头市人民政府办公室关于印发包头市低空经济高质量发展实施方案（2025—2028年）的通知");
    done(&p);
}

/* A bulletin a page printed months after it was written (tests/corpus/dev/
 * r03.txt): its paragraphs ask for work by dates before the page's date
 * (要…于5月22日前报…); they are tasks still. A date before it that only
 * says what was done is none. */
static void test_asked_before_page_date(void)
{
    parsed_t p;
    parse(&p, "r03.txt",
          "关于市人大代表建议和政协提案办理情况的通报\n  • 发布日期:2019-11-09\n\n"
          "      2019年5月上旬,市人大选任工委对市政府各承办单位的办理工作进行了督查。\n\n"
          "      与代表委员见面沟通是办理建议提案的工作要求。见面率未达到100%的单位,要立即整改,"
          "情况说明及整改结果于2019年5月22日前报市政府督查室。\n\n"
          "      各承办单位要抓紧办理,规范办理。会办单位应在5月底前向主办单位书面函告会办意见,"
          "主办单位应在6月底前将办理答复意见送达代表委员。\n");
    expect_dues(&p, 2, "2019-05-22", "2019-06-30");
    done(&p);
}

/* A table printed a cell per line (tests/corpus/dev/ah11.txt): 事项分类 is
 * the row's group and 事项名称 its item; a project that ends like a body
 * ("新（改、扩）建一批中小学校") is no unit cell. */
static void test_item_name_cells(void)
{
    parsed_t p;
    parse(&p, "ah11.txt",
          "2024年金东区政府民生实事任务分解方案\n\n序号\n\n事项分类\n\n事项名称\n\n项目内容\n\n"
          "牵头单位\n\n协同单位\n\n1\n\n打造区域教育高地\n\n新(改、扩)建一批中小学校\n\n"
          "实施新(改、扩)建中小学校5家。\n\n区教体局\n\n东孝街道\n\n孝顺镇\n\n2\n\n"
          "中小学校清廉阳光厨房建设\n\n对28所中小学校食堂安装数字化验收平台。\n\n区教体局\n\n/\n\n"
          "3\n\n“医”心为民工程\n\n新(改)建村卫生室\n\n新(改)建村卫生室80家。\n\n区卫健局\n\n"
          "各乡镇(街道)\n\n4\n\n医疗卫生机构迁(扩)建\n\n实施卫生院迁(扩)建1家。\n\n区卫健局\n\n源东乡\n");
    expect_leads(&p, 4, "区教体局", "区教体局", "区卫健局", "区卫健局");
    if (p.g.ntasks == 4) {
        CHECK(strncmp(p.g.tasks[0].text, "新（改、扩）建一批", strlen("新（改、扩）建一批")) == 0);
        CHECK(strncmp(p.g.tasks[2].text, "新（改）建村卫生室", strlen("新（改）建村卫生室")) == 0);
    }
    done(&p);
    /* a 类别 column before the tasks: the group, not the task */
    parse(&p, "ah11-category.txt",
          "序号\n\n事项类别\n\n重点任务\n\n牵头单位\n\n1\n\n教育\n\n建成公办幼儿园3所。\n\n区教体局\n\n"
          "2\n\n卫生\n\n新建村卫生室80家。\n\n区卫健局\n");
    expect_leads(&p, 2, "区教体局", "区卫健局");
    if (p.g.ntasks == 2)
        CHECK(strncmp(p.g.tasks[1].text, "新建村卫生室", strlen("新建村卫生室")) == 0);
    done(&p);
}

/* Steps of a phase (tests/corpus/dev/ah06.txt): 第一步/第二步 are items; a
 * heading that is only a phase and its dates gives its end to the items
 * below without a date, and is no task itself; 五、 after it is no step. */
static void test_phase_steps(void)
{
    parsed_t p;
    parse(&p, "ah06.txt",
          "(二)专项整治阶段(2010年6月23日至11月20日)。\n"
          "各乡(镇)、场按照本方案要求,全面开展村(屯)环境整治活动。\n"
          "(三)检查验收阶段(2010年11月21日至12月20日)。\n1.检查验收分两步进行:\n"
          "第一步:各乡(镇)、场按照要求,组织相关人员进行自检自查,形成自检总结报告。\n"
          "第二步:由县社会主义新农村建设领导小组办公室牵头,县委督查室、县政府督查室对各乡(镇)进行全面检查验收。\n"
          "2.检查验收时间。分两次进行检查验收,时间分别为2010年8月上旬和2010年12月上旬。\n"
          "五、工作要求\n(一)加强组织领导。各乡(镇)、场要切实加强部署,2010年11月为整治月。\n");
    expect_dues(&p, 5, "2010-11-20", "2010-12-20", "2010-12-20", "2010-12-10", "2010-11-30");
    if (p.g.ntasks == 5)
        CHECK_STR(p.g.tasks[2].lead_units.count ? p.g.tasks[2].lead_units.items[0] : "",
                  "县社会主义新农村建设领导小组办公室");
    done(&p);
}

/* A speech's section of topics (tests/corpus/dev/ah12.txt): "关于X。" and
 * who does it in the next sentence, one after another in one paragraph:
 * a task per topic with its own lead. One topic alone stays the item. */
static void test_topic_items(void)
{
    parsed_t p;
    parse(&p, "ah12.txt",
          "三、目前我县突出环境问题\n关于砂石行业整治。县水务局牵头负责,结合之前省环保督察“回头\n"
          "看”整改工作一并推进。所有车辆进出砂石场必须进行覆盖;生产、生活废水严禁外排。关于砖\n"
          "瓦行业问题。县国土局负责,请国土局严格比照学习标准督促整改,务必做到全封闭式加工生产。\n");
    expect_leads(&p, 2, "县水务局", "县国土局");
    done(&p);
    parse(&p, "ah12-one.txt",
          "三、目前我县突出环境问题\n关于砂石行业整治。县水务局牵头负责,结合之前省环保督察整改工作一并推进。\n");
    expect_leads(&p, 1, "县水务局");
    done(&p);
}

/* Who does it on the line under the item, a list that 由 opens with commas
 * in it (tests/corpus/dev/ai09.txt); a form's name, then 由…分别填报
 * (dev/ai03.txt). */
static void test_by_units_lines(void)
{
    parsed_t p;
    parse(&p, "ai09.txt",
          "一、强化项目带动战略\n1.抓好重点项目,确保完成年度投资计划。\n"
          "由市发展改革委,各县市区人民政府,市经济开发区管委会、市东新区管委会负责落实\n"
          "2.全面完成漯阜铁路复线电气化改造,年内力争开通周口至温州的铁路旅客列车。\n"
          "由漯阜铁路公司、市发展改革委,川汇区、商水县人民政府负责落实\n");
    expect_leads(&p, 2, "市发展改革委、各县市区人民政府、市经济开发区管委会、市东新区管委会",
                 "漯阜铁路公司、市发展改革委、川汇区、商水县人民政府");
    done(&p);
    parse(&p, "ai03.txt",
          "一、关于填报2015年统计年报\n\n"
          "(一)《民族自治地方统计报表制度》由延边朝鲜族自治州、前郭尔罗斯蒙古族自治县、长白朝鲜族自治县、"
          "伊通满族自治县民委分别填报,上报省民委纸制报表原件2份。\n\n"
          "(二)《牧区半牧区县统计报表制度》由四平市、松原市、白城市民委布置所辖牧区半牧区县(市)民委填报。\n");
    expect_leads(&p, 2, "延边朝鲜族自治州、前郭尔罗斯蒙古族自治县、长白朝鲜族自治县、伊通满族自治县民委",
                 "四平市、松原市、白城市民委");
    done(&p);
}

/* Units alone in brackets on the line under each item (tests/corpus/dev/
 * al11.txt): the item's leads, the bracket after the sentence's end. */
static void test_bracket_units_below(void)
{
    parsed_t p;
    parse(&p, "al11.txt",
          "一、目标分解\n1、地区生产总值增长11.5%;地方财政一般预算收入同口径增长12%。\n"
          "(市发改委、财政局,无锡国税局、地税局)\n2、万元地区生产总值能耗较2010年降低3.8%。\n(市经信委)\n"
          "4、城镇居民人均可支配收入和农民人均纯收入均增长12%。\n(市发改委、农委、人保局,各市(县)、区政府)\n");
    expect_leads(&p, 3, "市发改委、财政局、无锡国税局、地税局", "市经信委",
                 "市发改委、农委、人保局、各市（县）、区政府");
    done(&p);
}

/* Roles stated in prose (tests/corpus/dev/an06.txt): "X为…牵头责任单位",
 * "A、B为协办单位", the section's heading run into the first name. */
static void test_role_statement(void)
{
    parsed_t p;
    parse(&p, "an06.txt",
          "二、明确工作责任\n州交通运输局为该议案办理工作的牵头责任单位,负责拟定办理工作总体实施方案。"
          "州发改委、州财政局、巴东县政府为协办单位,各单位要互相配合、积极支持。\n");
    expect_leads(&p, 1, "州交通运输局");
    if (p.g.ntasks == 1)
        CHECK_STR(joined(&p.g.tasks[0].coop_units, (char[256]){0}, 256), "州发改委、州财政局、巴东县政府");
    done(&p);
    /* "X作为…牵头(责任)部门" (v02, aj09): the units before 作为; a sentence
     * before 作为 names none (ar06: "各区要明确一位领导和一个部门作为…") */
    parse(&p, "v02.txt",
          "三、落实招商责任\n市经委作为全市域外招商牵头责任部门,要组织协调好域外招商引资各项工作,"
          "确保完成引进200亿元招商引资指标。\n"
          "四、加强组织领导\n各区要明确一位领导和一个部门作为民生工程的责任部门,"
          "2023年6月底前报送名单。\n");
    expect_leads(&p, 2, "市经委", "");
    done(&p);
}

/* A one-character list item is no unit: "…" standing for the rest, or a
 * name the page cut off after its first character (tests/corpus/dev/af04.txt);
 * 镇 (the towns) is one. */
static void test_one_character_items(void)
{
    parsed_t p;
    parse(&p, "af04.txt",
          "一、重点任务\n1.实施耕地保护与建设行动。（责任单位：区农牧局、…、区水利局）\n"
          "2.实施黑土地保护性耕作推进行动。（责任单位：区财政局、镇、街道）\n"
          "3.支持实施黑土地保护性耕作。〔责任单位：自治区农牧厅（乡村振兴局）、发\n");
    expect_leads(&p, 3, "区农牧局、区水利局", "区财政局、镇、街道", "自治区农牧厅（乡村振兴局）");
    done(&p);
}

/* A page of articles printed on one line (tests/corpus/dev/ab04.txt,
 * shortened): each 第N条 after a sentence's end is an item of its own, and
 * the page's continuation note is no text. */
static void test_one_line_articles(void)
{
    parsed_t p;
    parse(&p, "ab04.txt",
          "[接上页] 第五条 议题每个月报送一次。议题主办单位在每个月20日之前，将议题报送市政府办公厅。"
          "重要、紧急事项须提请会议审定的，可随时报送市政府办公厅。第六条 市政府督查室要加强对决定事项的督办工作，"
          "有关部门要在每季度末将执行情况反馈上报。第七条 本规定自发布之日起实施。\n");
    const duban_gwdoc_task_t *t;
    if ((t = task(&p, "第五条"))) {
        CHECK_INT(t->deadline.recurrence.day, 20);
        CHECK(strstr(t->text, "第六条") == NULL);
        CHECK(strstr(t->text, "接上页") == NULL);
    }
    if ((t = task(&p, "第六条")))
        CHECK_INT(t->deadline.recurrence.period, DUBAN_RECUR_QUARTERLY);
    done(&p);
}

/* A page that lost its line breaks (tests/corpus/dev/bb03.txt, shortened):
 * the plan's title runs into its first item, "…工作方案一、开展…" once the
 * space between them is gone; item 一 is cut from it as 二 and 三 are
 * from the sentences before them. "方案一、方案二" in a sentence is no
 * title. */
static void test_title_run_into_outline(void)
{
    parsed_t p;
    parse(&p, "bb03.txt",
          "费县人民政府办公室 关于印发费县2024年关爱妇女儿童十件实事工作方案的通知 费政办字〔2024〕6号 各乡镇(街道)人"
          "民政府(办事处),县政府各部门、单位,重点企业: 现将《费县2024年关爱妇女儿童十件实事工作方案》印发给你们,请认真组"
          "织实施。 费县人民政府办公室 2024年4月29日 (此件公开发布) 费县2024年关爱妇女儿童十件实事工作方案 一、开"
          "展0-6岁儿童孤独症筛查。通过早筛查、早诊断、早干预,减少孤独症致残、减轻致残程度,促进儿童健康发展。2024年,为全县"
          "3万名0-6岁儿童开展孤独症筛查,筛查率达60%以上。(牵头单位:县卫生健康局,责任单位:各乡镇人民政府,费城街道办事处"
          ") 二、开展适龄妇女“两癌”免费筛查和低收入“两癌”妇女救助。对全县3.3万名35—64岁的农村妇女和城镇低保妇女进行宫"
          "颈癌、乳腺癌免费筛查。争取各级救助资金,救助低收入“两癌”妇女50人,切实减轻患病妇女家庭经济负担。(牵头单位:县卫生健"
          "康局、县妇联,责任单位:县委宣传部、县发改局、县公安局、县民政局、县财政局、县农业农村局、县医保局) 三、开展妇女儿童体"
          "质监测。为全县300余名妇女儿童开展体质监测,指导科学健身,增"
          "\n");
    const duban_gwdoc_task_t *t = find_task(&p, "一");
    CHECK(t != NULL);
    if (t) {
        CHECK(strncmp(t->text, "开展0-6岁儿童孤独症筛查。", strlen("开展0-6岁儿童孤独症筛查。")) == 0);
        CHECK_INT(t->lead_units.count, 1);
    }
    done(&p);
    parse(&p, "plan-names.txt",
          "为做好改造工作，各地要在比较实施方案一、方案二和方案三的基础上，于6月底前选定一个报县政府。"
          "各乡镇要同时做好宣传发动工作，二、三季度要抓好落实，确保工作不走过场。\n");
    CHECK(find_task(&p, "一") == NULL);
    done(&p);
}

/* A campaign's notice (corpus bc03, shortened): the item that gives only
 * its window (整治时间：…) is no task, and its end is the due date of the
 * items that set none; a label's line (整治重点：…, 整治任务：) takes none. */
static void test_campaign_window(void)
{
    parsed_t p;
    parse(&p, "bc03.txt",
          "各村委会：\n为切实加强全镇环境卫生管理，经镇政府研究决定开展环境卫生大整治活动。\n"
          "一、整治时间：2021年6月23日-2021年7月1日\n"
          "二、整治重点：各村主次干道、背街小巷、卫生死角盲区。\n"
          "三、整治任务：\n1.清理整治村庄内外“三堆”、清理阴阳沟漂浮垃圾；\n"
          "2.做好背街小巷、卫生死角、盲区的环境卫生工作。\n"
          "四、责任分工：\n1.由保洁公司负责组织各村保洁人员，按区域开展整治工作；\n"
          "高庄镇人民政府\n2021年6月23日\n");
    CHECK_INT(p.g.ntasks, 3);
    static const char *const paths[] = {"三.1", "三.2", "四.1"};
    for (size_t i = 0; i < 3; i++) {
        const duban_gwdoc_task_t *t = task(&p, paths[i]);
        if (t)
            CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2021, 7, 1));
    }
    CHECK(find_task(&p, "一") == NULL && find_task(&p, "二") == NULL);
    done(&p);
}

/* A plan whose window is a section after its tasks (dev bi03, shortened and
 * simplified): "二、时间安排 / 即日起至2018年3月31日。" is no task; its end
 * dates the tasks above that set none, not the requirements below it. Each
 * task's bracket names its lead with 牵头、 before the partners. */
static void test_window_after_tasks(void)
{
    parsed_t p;
    parse(&p, "bi03x.txt",
          "关于大力开展今冬明春农田水利基本建设的通知\n一、目标任务\n"
          "（一）发展节水灌溉面积8000亩，新建修复加固堤防6公里。（区水务局牵头、各街办配合）\n"
          "（二）维修养护渠道111.5公里，灌溉机井53处（各街办牵头、区水务局配合）。\n"
          "二、时间安排\n即日起至2018年3月31日。\n"
          "三、工作要求\n（一）加强组织领导。各街办要深入贯彻条例。\n");
    expect_leads(&p, 2, "区水务局", "各街办");
    expect_dues(&p, 2, "2018-03-31", "2018-03-31");
    if (p.g.ntasks == 2) {
        check_units(&p.g.tasks[0], "区水务局", "各街办");
        check_units(&p.g.tasks[1], "各街办", "区水务局");
    }
    done(&p);
}

/* A list's title that names the year its items are to be done in (dev
 * an09.txt, 上海 2019年实事): each item below it without a deadline of its
 * own is due by that year's end. A plan's title that only names the year
 * it covers lends none. */
static const struct {
    const char *title;
    const char *due; /* of each item below; NULL: the items are no tasks */
} LIST_TITLES[] = {
    {"2019年市政府要完成的与人民生活密切相关的实事", "2019-12-31"},        /* an09 L8 */
    {"2019年市政府要完成的與人民生活密切相關的實事", "2019-12-31"},        /* as printed */
    {"2021年区政府计划完成的为民办实事项目", "2021-12-31"},
    {"2019年市政府重点工作安排", NULL},                                   /* names the year only */
    {"2019年,市政府要完成的实事如下:", NULL},                             /* a sentence, not a title */
};

/* Parses head, then line on a paragraph of its own, then tail. */
static void parse_around(parsed_t *p, const char *name, const char *head, const char *line,
                         const char *tail)
{
    char src[2048];
    snprintf(src, sizeof(src), "%s%s\n\n%s", head, line, tail);
    parse(p, name, src);
}

static void test_list_title_due(void)
{
    for (size_t k = 0; k < sizeof(LIST_TITLES) / sizeof(LIST_TITLES[0]); k++) {
        parsed_t p;
        parse_around(&p, "an09.txt",
                     "各区人民政府,市政府各委、办、局:\n"
                     "经市政府同意,现将实事印发给你们,请认真组织实施。\n"
                     "上海市人民政府办公厅\n2019年1月10日\n",
                     LIST_TITLES[k].title,
                     "一、新增7000张养老床位;改造1000张认知症老人照料床位。\n"
                     "二、开设550个小学生“爱心暑托班”;新增50个托育点。\n");
        if (LIST_TITLES[k].due) {
            expect_dues(&p, 2, LIST_TITLES[k].due, LIST_TITLES[k].due);
        } else {
            CHECK_INT(p.g.ntasks, 0);
        }
        done(&p);
    }
}

/* A closing paragraph after the last item that asks all the units to act
 * on the items above (dev ao07.txt): its date is not the last item's
 * deadline. A paragraph of the item's own keeps giving it one. */
static const struct {
    const char *after;  /* the paragraph after item 2 */
    const char *due;    /* item 2's due date; NULL: none */
} CLOSING_REQUESTS[] = {
    {"请各责任单位按整改要求对上述问题尽快整改落实,县双创办将跟踪回访落实情况,"
     "整改结果纳入第四季度双创考核。", NULL},                                   /* ao07 L23 */
    {"请有关单位对以上问题于11月30日前整改到位。", NULL},
    {"望各单位按照以上要求,于2015年12月底前完成整改。", NULL},
    {"整改时限:2015年11月30日前。", "2015-11-30"},                             /* the item's own */
    {"请县住建局于2015年11月30日前完成整改。", "2015-11-30"},                  /* no 上述 */
};

static void test_closing_request(void)
{
    for (size_t k = 0; k < sizeof(CLOSING_REQUESTS) / sizeof(CLOSING_REQUESTS[0]); k++) {
        parsed_t p;
        parse_around(&p, "ao07.txt",
                     "11月8日市容环境综合整治情况的通报\n\n发布时间:2015-11-08 08:56\n\n"
                     "县双创办对市容环境综合整治工作进行了巡查,发现存在以下问题亟待整改:\n\n"
                     "1、广伟商城户外宣传广告破损。\n\n整改措施:由县住建局督促商户更换。\n\n"
                     "2、河滨南路县国税局外绿化带有住户晾晒坐垫。\n\n"
                     "整改措施:由包片单位县民政局督促住户移走晾晒的坐垫。\n\n",
                     CLOSING_REQUESTS[k].after, "");
        expect_dues(&p, 2, (const char *)NULL, CLOSING_REQUESTS[k].due);
        done(&p);
    }
}

/* A news paragraph that lists, sentence by sentence, what each unit is to
 * do by when (dev ak03.txt): with three or more sentences that open with a
 * unit and set a date, each sentence with a date is a task of its own. */
static const struct {
    const char *para;
    int n;                 /* tasks */
    const char *due[4];    /* theirs, in order */
} SENTENCE_DUTIES[] = {
    {"根据目标任务要求,今年,呼和浩特市住建局要在8月底完成57个村燃煤散烧综合治理任务。"
     "9月底完成供热管网互联互通64公里,11月底新建改造道路63条。市轨道交通公司要加快地铁TOD开发,"
     "10月底完成年度任务。青山文投公司要在6月下旬建成投用华谊兄弟星剧场。"
     "市机场建管公司12月中旬全面开工新机场航站区项目。",
     5, {"2021-08-31", "2021-11-30", "2021-10-31", "2021-06-30"}},          /* ak03 L7 */
    {"赛罕区政府11月底启动内蒙古SKP旗舰店项目。经济技术开发区管委会5月底建成投用王府井奥莱小镇。"
     "市教育局要在11月底新建、续建幼儿园9所。全市上下要凝心聚力,开拓进取。",
     3, {"2021-11-30", "2021-05-31", "2021-11-30"}},
    /* the same, as a PDF wraps it: a date broken over two lines ("11\n月底") */
    {"赛罕区政府11月底启动内蒙古SKP旗舰店项目。经济技术开发区管委会5月底建成投用王府井奥莱小镇。"
     "市教育局要在11\n月底新建、续建幼儿园9所。全市上下要凝心聚力,开拓进取。",
     3, {"2021-11-30", "2021-05-31", "2021-11-30"}},
    /* two units only: one task, the latest date */
    {"市教育局要在11月底新建、续建幼儿园9所。赛罕区政府5月底启动内蒙古SKP旗舰店项目。",
     1, {"2021-11-30"}},
    /* one sentence listing the duties with ；, each led by 由X牵头 (ar01 L4) */
    {"为顺利完成处置目标任务,曲道凯要求,由县发展和改革局牵头,县委党校、县自然资源局配合,"
     "在9月底前完成荣海新区60.58亩供地工作;由县工业园区管委会牵头,县自然资源局、漾月街道配合,"
     "在12月底前完成工业园区74.0亩批而未供土地处置任务;由丹凤街道牵头,县自然资源局配合,"
     "在10月底前完成荣海新区50.06亩批而未供土地处置任务;由县工业园区管委会牵头,县自然资源局配合,"
     "在11月底前完成冷轧标准化厂房项目196.94亩闲置土地处置工作。其他涉及部门要积极配合。",
     4, {"2021-09-30", "2021-12-31", "2021-10-31", "2021-11-30"}},
    /* one sentence listing decisions with ；, no unit, each with its date (as07 L11) */
    {"会议强调,要继续发扬攻坚克难风格,启动乡镇集镇公厕建设,确保在8月底前全面建成;"
     "5月底前完成垃圾中转站竣工验收工作,启动运营;"
     "农村危房改造工作7月底前全面完成,8月底前完成验收及资金拨付工作。",
     3, {"2021-08-31", "2021-05-31", "2021-08-31"}},
    /* several sentences, ； inside them: one paragraph, one task (ac03 L16) */
    {"会议强调,各地要在严管的基础上,加快推进秸秆离田。要继续巩固秸秆禁烧工作成果,"
     "其他地区必须在2月15日前完成方案报批;禁烧区内要严格管控,5月1日前坚决做到全面禁烧;"
     "各地要抓紧完善秸秆离田工作方案,确保3月底前全面完成秸秆离田工作。",
     1, {NULL}},
};

/* A news paragraph as a PDF wraps it (ak03, 38 characters a line): a line
 * that goes on with the sentence above it ends, by chance, like a plan's
 * title ("…修建性详细规划"); it is no title, and the page's duties are read. */
static void test_wrapped_line_no_title(void)
{
    parsed_t p;
    parse(&p, "ak03w.txt",
          "呼和浩特政府公布今年重点任务分工及时限\n\n"
          "3月16日,呼和浩特市人民政府公布2021年呼和浩特市《政府工作报告》重点量化目标任务。\n\n"
          "根据目标任务要求,今年,呼和浩特市住建局要在8月底完成57个村燃煤散烧综合治理任\n"
          "务。市轨道交通公司要加快地铁TOD开发,10月底完成年度任务。青山文投公司要在6\n"
          "月下旬建成投用华谊兄弟星剧场。市机场建管公司12月中旬全面开工新机场航站区项目。\n\n"
          "其他重点任务还包括完成国土空间总体规划编制,加快推进“新城区北部边缘片区”“\n"
          "赛罕、玉泉区大小黑河滨河片区”“市医院附近地段片区”城市设计编制工作,加快推\n"
          "进“回民区祥生文旅城”“回民区什拉门更片区”“回民区电厂片区”修建性详细规划\n"
          "及城市建设编制工作,新建公交场站5个,年内新增奶牛5万头。\n");
    CHECK(p.g.ndocs == 1 && !strstr(p.g.docs[0].title, "修建性详细规划"));
    CHECK(p.g.ntasks >= 3);
    done(&p);
}

static void test_sentence_duties(void)
{
    for (size_t k = 0; k < sizeof(SENTENCE_DUTIES) / sizeof(SENTENCE_DUTIES[0]); k++) {
        parsed_t p;
        parse_around(&p, "ak03.txt",
                     "您的位置:首页 >新闻 >\n\n呼和浩特政府公布今年重点任务分工及时限\n\n"
                     "3月16日,呼和浩特市人民政府公布2021年呼和浩特市《政府工作报告》"
                     "重点量化目标任务,明确各项重点任务的完成时限。\n\n",
                     SENTENCE_DUTIES[k].para, "");
        CHECK_INT(p.g.ntasks, (size_t)SENTENCE_DUTIES[k].n);
        for (size_t i = 0; i < p.g.ntasks && i < 4 && SENTENCE_DUTIES[k].due[i]; i++) {
            int y, m, d;
            if (sscanf(SENTENCE_DUTIES[k].due[i], "%d-%d-%d", &y, &m, &d) == 3)
                CHECK_INT(p.g.tasks[i].deadline.due_date, duban_date_from_ymd(y, m, d));
        }
        done(&p);
    }
}

/* A meeting's decisions (dev ar08): a person (named bare) leads each, the
 * unit after the comma carries it out and is its lead; decisions listed
 * with ； each a task when three or more name their unit, in a news
 * release and in numbered items alike. A decision with only a person
 * (…由陈太良牵头，连夜开会…) names no unit and is no task of the list. */
static void test_meeting_decisions(void)
{
    static const char *const want[] = {"九重镇", "香花镇", "林业局", "督导组"};
    parsed_t p;
    parse(&p, "ar08x.txt",
          "县迎通水指挥部召开碰头会\n"
          "11月11日下午,县指挥部领导马良泉、赵鹏在指挥部召开碰头会,贯彻落实现场办公指示精神。\n"
          "会议决定:要按照“持续、提升、高效”要求,全力做好保鲜提升工作。九重区域环境整治由王光玲"
          "牵头,九重镇落实;香花区域环境整治由王培理牵头,香花镇落实;干渠绿化、陶岔外环线绿化由顾理"
          "牵头,林业局落实;陶岔风情小镇扫尾提升由陈太良牵头,连夜开会研究遗留问题处理;督导组负责"
          "每天向市里报送陶岔风情小镇进度。\n");
    CHECK_INT(p.g.ntasks, 4);
    for (size_t i = 0; i < p.g.ntasks && i < 4; i++)
        check_units(&p.g.tasks[i], want[i], "");
    done(&p);
    parse(&p, "ar08n.txt",
          "关于做好保鲜提升工作的通知\n\n"
          "一、九重区域环境整治由王光玲牵头,九重镇落实。\n"
          "二、两场建设由辛泽涛牵头,住建局落实,香花、九重污水处理厂由住建局派驻专人指导督导。\n"
          "三、陶岔风情小镇扫尾提升由陈太良牵头,连夜开会研究遗留问题处理。\n");
    check_units(task(&p, "一"), "九重镇", "");
    check_units(task(&p, "二"), "住建局", "");
    CHECK_INT(p.g.ntasks, 2); /* 三: a person and no unit, no date */
    done(&p);
    /* a unit that opens with a surname's character leads itself */
    parse(&p, "ar08u.txt",
          "关于做好保鲜提升工作的通知\n\n"
          "一、九重区域环境整治由林业局牵头,九重镇落实。\n");
    check_units(task(&p, "一"), "林业局", "");
    done(&p);
}

/* A table printed one cell per line (dev at03 as a web page flattens it):
 * a 名称 header names the task column; a bare month fills the 时间安排
 * column; a task cell that reads like a unit (养老机构) before its month
 * opens the next row, not a unit stacked under the row above's; the
 * document's next heading over running text ends the table. */
static void test_cells_per_line_plan(void)
{
    static const struct { const char *path, *text, *lead, *due; } want[] = {
        {"一.表1.R1", "烟花爆竹", "安监站、安监所", "2017-01-31"},
        {"一.表1.R2", "电力设施", "电管所", "2017-03-31"},
        {"一.表1.R3", "养老机构", "民政所", "2017-04-30"},
        {"一.表1.R4", "学校、幼儿园、午托部", "文化站", "2017-10-31"},
    };
    parsed_t p;
    parse(&p, "at03c.txt",
          "各行政村、各有关单位:\n"
          "经镇政府研究决定,现将《徐庄镇2017年度安全生产专项整治工作计划》印发给你们,请遵照执行。\n"
          "二〇一七年二月二十四日\n"
          "徐庄镇2017年度安全生产专项整治\n工作计划\n"
          "按照镇政府关于2017年安全生产工作的总体要求,特制定本工作计划。\n"
          "一、专项整治安排表\n"
          "专项整治行业名称\n时间安排\n责任单位\n"
          "烟花爆竹\n1月份\n安监站 安监所\n"
          "电力设施\n3月份\n电管所\n"
          "养老机构\n4月份\n民政所\n"
          "学校、幼儿园、午托部\n10月份\n文化站\n"
          "二、工作要求\n"
          "(一)各有关责任单位要按照时间安排,制定本行业(领域)安全生产专项整治方案,成立组织,全面排查。\n");
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const duban_gwdoc_task_t *t = task(&p, want[i].path);
        check_units(t, want[i].lead, "");
        if (t) {
            int y, m, d;
            CHECK_STR(t->text, want[i].text);
            if (sscanf(want[i].due, "%d-%d-%d", &y, &m, &d) == 3)
                CHECK_INT(t->deadline.due_date, duban_date_from_ymd(y, m, d));
        }
    }
    for (size_t i = 0; i < p.g.ntasks; i++) /* the heading below is no cell of the last row */
        CHECK(!strstr(p.g.tasks[i].text, "工作要求"));
    done(&p);
}

/* A header printed one cell per line with a cell of no known kind between
 * known ones (月度工作计划, dev s11 flattened): it is a column, and the
 * rows below are read (a 落实情况 column after the units). */
static void test_cells_unknown_header_cell(void)
{
    parsed_t p;
    parse(&p, "s11c.txt",
          "2024年4月省政府民生实事项目进展情况汇总表\n"
          "序号\n项目内容\n月度工作计划\n牵头单位\n落实情况\n"
          "1\n为全县60岁以上老年人免费接种流感疫苗24723人。\n"
          "4月:制定并下发老年名免费接种流感疫苗工作方案。\n县卫生健康局\n"
          "已完成。 已制定并下发老年名免费接种流感疫苗工作方案。\n"
          "2\n培训应急救护人员235人。\n4月:明确点位培训人员对象,完成应急救护人员培训65人。\n"
          "县红十字会\n已完成。 已确定点位,培训188人,完成进度80%。\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        check_units(&p.g.tasks[0], "县卫生健康局", "");
        check_units(&p.g.tasks[1], "县红十字会", "");
        CHECK(strstr(p.g.tasks[1].text, "培训应急救护人员") == p.g.tasks[1].text);
    }
    done(&p);
}

/* A heading that names a group and counts its items (dev be05) is no task;
 * its numbered items are, under the unit heading above; a group whose list
 * follows unnumbered is one task. */
static void test_count_heading(void)
{
    parsed_t p;
    parse(&p, "be05x.txt",
          "2010年全省重点项目分解表\n\n"
          "三、儋州市政府\n(一)重点项目(4个)。\n"
          "1.竣工项目(2个):200万头生猪肉联加工项目、海南西部中心医院一期工程。\n"
          "2.续建项目(2个):儋州滨海新区开发项目、洋浦一小时交通圈项目(洋浦大桥部分)。\n"
          "(二)预备重点项目(2个)。\n儋州东坡山水文化旅游区、儋州白马湾综合开发项目。\n");
    CHECK(task(&p, "三.(一).1") != NULL && task(&p, "三.(一).2") != NULL && task(&p, "三.(二)") != NULL);
    for (size_t i = 0; i < p.g.ntasks; i++) {
        CHECK(strcmp(p.g.tasks[i].outline_path, "三.(一)") != 0);
        check_units(&p.g.tasks[i], "儋州市政府", "");
    }
    CHECK_INT(p.g.ntasks, 3);
    done(&p);
}

/* A page whose paragraphs a PDF wrapped at 28 characters (dev au03 as
 * GB/T 9704 sets it): the reader joins each paragraph again, and a task cut
 * out of a joined paragraph (a unit's duties, 县交通局、公路局。负责…) names
 * the source line its text starts on, not the paragraph's first. */
static void test_wrapped_source_lines(void)
{
    static const struct { const char *path; uint32_t line; } want[] = {
        {"三/1", 14}, {"三/2", 17}, {"三/3", 19}, {"三/4", 21}, {"三/5", 23}};
    parsed_t p;
    parse(&p, "au03w.txt",
          "第1页共4页政府秸秆禁烧工作实施方案为认真做好我县农作物\n"
          "秸秆禁烧工作,进一步改善环境质量,根据中华人民共和国大气\n"
          "污染防治法和国家环保总局等六部(局)秸秆禁烧综合利用管理\n"
          "方法(环发(xx)98号),制订本方案。一、指导思想以\n"
          "xx重要思想和科学开展观为指导,以保护大气环境质量,保护\n"
          "人民身体健康,保障交通平安为目标,坚持“以疏为主、疏导结\n"
          "合〞的工作原那么,严禁燃烧秸秆行为,积极推进秸秆综合利用\n"
          "工作,实现环境质量的明显改善和农业经济的可持续开展。二、\n"
          "目标任务xx年5月底到9月底全县秸秆禁烧。秸秆禁烧区域为\n"
          "辖区内国道、省道、县道公路干线两侧各1公里的地带。三、组\n"
          "织领导及职责分工为切实加强对秸秆禁烧工作的领导,县政府成\n"
          "立县农作第2页共4页物秸秆禁烧工作领导小组(名单附后),\n"
          "领导小组下设办公室(以下简称县禁烧办)。各组成单位及其职\n"
          "责如下:县环保局。负责对全县秸秆禁烧工作实施统一监督,并\n"
          "承担县禁烧办的日常工作。加强现场执法检查,发现有燃烧行为\n"
          "的,责令立即停止,对直接责任人进行教育,并根据中华人民共\n"
          "和国大气污染防治法有关规定给予相应处分。县交通局、公路局。\n"
          "负责对全县辖区内国道、省道、县道两侧燃烧秸秆情况的巡查,\n"
          "对在公路两侧燃烧秸秆影响道路交通平安的,依法进行查处。县\n"
          "农委。负责全县农作物秸秆综合利用工作的督导;负责全县秸秆\n"
          "宽行覆盖、堆沤还田等综合利用技术的宣传推广和指导工作。县\n"
          "农机局。负责对收割机操作人员进行宣传教育和培训催促他们在\n"
          "收割过程中尽可能隆低麦茬高度。县监察局。负责对全县秸秆禁\n"
          "烧工作的行政监督,对发第3页共4页生重大责任事故的有关责\n"
          "任人员进行行政责任追究和处理。县广电局。负责对全县农作\n");
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const duban_gwdoc_task_t *t = task(&p, want[i].path);
        if (t)
            CHECK_INT(t->line, want[i].line);
    }
    done(&p);
}

/* Tables printed one cell per line with section rows between them (dev
 * an10 as a web page flattens its pipe tables): a row's 序号 is no wrapped
 * line's end (…各区县政府 / 2), a section row after a complete row opens a
 * section, and the header printed again starts the next table. */
static void test_cells_sections(void)
{
    parsed_t p;
    parse(&p, "an10c.txt",
          "序号\n"
          "名 称\n"
          "2025年目标\n"
          "责任单位\n"
          "备注\n"
          "1\n"
          "重特大生产安全事故起数\n"
          "0\n"
          "市安委会各成员单位,各区县政府\n"
          "2\n"
          "因灾群死群伤责任事件\n"
          "0\n"
          "市防减救灾委各成员单位,各区县政府\n"
          "3\n"
          "生产安全较大事故起数\n"
          "10起以内\n"
          "市安委会各成员单位,各区县政府\n"
          "4\n"
          "生产安全事故亡人数\n"
          "同比下降5%\n"
          "市安委会各成员单位,各区县政府\n"
          "5\n"
          "已落实监测措施的灾害点亡人数\n"
          "0\n"
          "市防减救灾委各成员单位,各区县政府\n"
          "6\n"
          "森林火灾受害率\n"
          "0.3‰以内\n"
          "市防减救灾委各成员单位,各区县政府\n"
          "二、重要立法和标准制定事项\n"
          "序号\n"
          "名 称\n"
          "2025年目标\n"
          "责任单位\n"
          "备注\n"
          "1\n"
          "《重庆市突发事件应对条例》\n"
          "立法预备\n"
          "市应急管理局\n"
          "2\n"
          "《重庆市安全生产风险分级管控和隐患排查治理办法》\n"
          "立法预备\n"
          "市应急管理局\n"
          "3\n"
          "《重庆市生产安全事故报告和调查处理办法》\n"
          "立法预备\n"
          "市应急管理局\n"
          "4\n"
          "《重庆市地震预警信息发布规范》\n"
          "推动发布\n"
          "重庆地震局\n"
          "5\n"
          "《重庆市企业自用加油设施运行安全生产技术规范》\n"
          "推动发布\n"
          "市应急管理局\n"
          "6\n"
          "《重庆市工贸企业使用危险化学品安全规范》\n"
          "推动发布\n"
          "市应急管理局\n"
          "7\n"
          "《重庆市客渡船安全运营标准》\n"
          "推动发布\n"
          "市交通运输委\n"
          "8\n"
          "《重庆市客运渡口安全运营标准》\n"
          "推动发布\n"
          "市交通运输委\n"
          "三、重要文件\n");
    check_units(task(&p, "表1.1"), "市安委会各成员单位、各区县政府", "");
    check_units(task(&p, "表1.2"), "市防减救灾委各成员单位、各区县政府", "");
    check_units(task(&p, "二.表2.1"), "市应急管理局", "");
    check_units(task(&p, "二.表2.8"), "市交通运输委", "");
    for (size_t i = 0; i < p.g.ntasks; i++)
        CHECK(!strstr(p.g.tasks[i].text, "重要立法") && !strstr(p.g.tasks[i].text, "重要文件"));
    done(&p);
}

/* Gazette 002's task list printed one cell per line (its TAB rows
 * flattened): "重点任务" over "序号" is a header, not a record's key, and a
 * row's text in the 具体内容 column is its task when the 重点任务 cell is the
 * group's, merged into the section row above. */
static void test_cells_group_task_column(void)
{
    parsed_t p;
    parse(&p, "002c.txt",
          "青铜峡市城乡居民收入提升行动实施方案\n\n附件\n\n"
          "类别\n重点任务\n序号\n具体内容\n牵头单位\n责任单位\n"
          "一、 夯实产业致富基础\n（一） 培育壮大各类市场主体\n1\n"
          "全力构建“5+5”十大产业体系，打造精细化工、铝产业、葡萄酒、奶产业、文旅融合5个百亿级支柱产业集群\n"
          "发展和改革委员会\n工业园区管委会、财政局、人力资源和社会保障局\n2\n"
          "建立经济发展与扩大就业联动机制，支持园区龙头企业，培育主业突出的行业骨干企业\n工业和信息化局\n3\n"
          "落实减税降费政策，促进中小微企业和个体工商户健康发展\n税务局\n");
    static const struct { const char *lead, *text; } want[] = {
        {"发展和改革委员会", "全力构建"}, {"工业和信息化局", "建立经济发展"}, {"税务局", "落实减税降费政策"}};
    CHECK_INT(p.g.ntasks, 3);
    for (size_t i = 0; i < p.g.ntasks && i < 3; i++) {
        char b[256];
        CHECK_STR(joined(&p.g.tasks[i].lead_units, b, sizeof(b)), want[i].lead);
        CHECK(strncmp(p.g.tasks[i].text, want[i].text, strlen(want[i].text)) == 0);
    }
    done(&p);
}

/* A page that is a table printed one cell per line with a "|" line
 * between cells and no title (dev bf11): 负责部门 is the unit column's
 * header, a row's task (完善城市工作机制) is no title for the page, and
 * the "|" lines join no cells. */
static void test_cells_pipe_lines_no_title(void)
{
    parsed_t p;
    parse(&p, "bf11x.txt",
          "|\n"
          "序号\n"
          "|\n"
          "工作任务\n"
          "|\n"
          "负责部门\n"
          "|\n"
          "时间进度\n"
          "|\n"
          "|\n"
          "1\n"
          "|\n"
          "完善城市管理体制\n"
          "|\n"
          "市委编办、市住建局、市城管局\n"
          "|\n"
          "省出台文件后 2 个月完成\n"
          "|\n"
          "|\n"
          "2\n"
          "|\n"
          "完善城市工作机制\n"
          "|\n"
          "市住建局,各县(区)政府、市直园区管委会\n"
          "|\n"
          "2016 年 6 底前\n"
          "|\n"
          "|\n"
          "3\n"
          "|\n"
          "推进市、县、园区数字化城市管理平台建设,将城市环卫作业纳入数字化城市管理平台监管\n"
          "|\n"
          "市城管局,各县(区)政府、市直园区管委会\n"
          "|\n"
          "常态工作\n"
          "|\n"
          "|\n"
          "4\n"
          "|\n"
          "开展环境卫生设施规划编制工作\n"
          "|\n"
          "市住建局、市发改委、市财政局、市环保局,各县(区)政府、市直园区管委会\n"
          "|\n"
          "2016 年底前\n");
    CHECK_INT(p.g.ntasks, 4);
    check_units(task(&p, "表1.1"), "市委编办、市住建局、市城管局", "");
    check_units(task(&p, "表1.2"), "市住建局、各县（区）政府、市直园区管委会", "");
    const duban_gwdoc_task_t *t = task(&p, "表1.4");
    if (t)
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2016, 12, 31));
    done(&p);
}

/* A news paragraph that runs a speech's steps on, 一是…。二是…。三是…,
 * each naming its own unit (dev bf05): a task per step with a unit; a
 * step with neither unit nor date is none. Steps that name no unit stay
 * one paragraph (one task by its date, as before). */
static void test_unit_steps(void)
{
    parsed_t p;
    parse(&p, "bf05x.txt",
          "区长马军召开城区道路交通秩序综合治理工作会\n来源:本站  时间:2018-07-25 15:11:24\n\n"
          "7月20日上午,区长马军在区政府二楼会议室召开我区城区道路交通秩序综合治理工作会。\n\n"
          "就如何做好城区道路交通秩序综合治理工作,区长马军指出:一是共享单车管理工作。区交运局牵头,"
          "梳理辖区投放单车的公司以及投放的重点区域和投放量。各镇(办)要找出每一个区域能够规范停放单车的地方。"
          "二是按照规划推进停车场建设工作。区城管局负责规范建设停车场,尽快拿出实施方案。"
          "三是梳理规范道路停车。交警五大队、区城管局负责,梳理城区道路停车位。"
          "四是非机动车管理工作。各镇(办)要认真研究非机动车管理办法。\n");
    static const char *const want[] = {"区交运局", "区城管局", "交警五大队、区城管局"};
    CHECK_INT(p.g.ntasks, 3);
    for (size_t i = 0; i < p.g.ntasks && i < 3; i++)
        check_units(&p.g.tasks[i], want[i], "");
    if (p.g.ntasks >= 2)
        CHECK(strncmp(p.g.tasks[1].text, "按照规划", strlen("按照规划")) == 0); /* 二是 the marker */
    done(&p);
    parse(&p, "bd01x.txt",
          "2022年6月6日上午,自治区召开推进奶业振兴第二次厅际联席视频会议。\n"
          "会后,刘建国副市长即刻召开专题会议,重点抓好以下工作:一是要抓紧办理新建牧场相关手续,"
          "确保6月底前全部开工;二是要组织有意向企业积极申报专项债;三是要高标准筹备全区推进奶业振兴现场会。\n");
    CHECK_INT(p.g.ntasks, 1); /* no unit in any step: the paragraph, by its date */
    done(&p);
}

/* A news sentence that announces a campaign's phases and lists them with
 * commas (dev bf03): a task per phase that sets its own date; a phase
 * with none (各学校开学前) is none. */
static void test_phase_list_sentence(void)
{
    parsed_t p;
    parse(&p, "bf03x.txt",
          "本报讯(记者 苏晓梅)日前,市市场监管委、市教委决定自2月上旬至6月底,在全市范围内开展"
          "2023年春季校园食品安全专项监督检查。\n"
          "此次专项监督检查,将全覆盖、无死角排查各级各类学校(幼儿园)食堂。\n"
          "专项监督检查分四个阶段,2月13日前完成动员部署阶段,各学校开学前完成自查自检阶段,"
          "5月6日前完成集中整治阶段,6月底前完成督导评估阶段。\n");
    static const int want[][3] = {{2023, 2, 13}, {2023, 5, 6}, {2023, 6, 30}};
    size_t found = 0;
    for (size_t i = 0; i < p.g.ntasks; i++) {
        if (!strstr(p.g.tasks[i].text, "阶段"))
            continue;
        if (found < 3)
            CHECK_INT(p.g.tasks[i].deadline.due_date,
                      duban_date_from_ymd(want[found][0], want[found][1], want[found][2]));
        found++;
    }
    CHECK_INT(found, 3);
    done(&p);
}

/* A notice whose excerpt starts at its preamble (dev bf09): the list of
 * attachments (附:1.…普查表 / 2.…统计表) is no title and no item, and a
 * survey's window (调查时间：…至…。) is no task of its own. */
static void test_attachment_names(void)
{
    parsed_t p;
    parse(&p, "bf09x.txt",
          "为进一步做好农村五保供养工作,经研究,决定对全市农村五保对象开展一次普查,现就有关事项通知如下:\n"
          "一、调查对象:经过批准、仍然健在的农村五保对象。\n"
          "二、调查时间:2008年4月15日至4月17日。\n"
          "三、调查要求:镇(区)于4月18日前,将各村农村五保对象普查表收齐报送民政局社救科。\n"
          "附:1.金坛市农村五保对象普查表\n2.金坛市2007年12月农村五保对象统计表\n二OO八年四月十日\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1) {
        CHECK_STR(p.g.docs[0].title, "");
        CHECK_INT(p.g.docs[0].issue_date, duban_date_from_ymd(2008, 4, 10));
    }
    CHECK_INT(p.g.ntasks, 1);
    const duban_gwdoc_task_t *t = task(&p, "三");
    if (t)
        CHECK_INT(t->deadline.due_date, duban_date_from_ymd(2008, 4, 18));
    done(&p);
}

/* An item whose heading line is followed by lines that each run a topic in
 * before naming who does it (dev bg09): a task per line; "由X牵头，会同Y等
 * 有关部门执行…" makes Y cooperate, "会同有关部门" names no one. */
static void test_run_in_topics(void)
{
    parsed_t p;
    parse(&p, "bg09x.txt",
          "北京奥运会城市运行保障方案\n\n"
          "(十)公共卫生。\n"
          "食品安全。由市政府食品安全办牵头,会同市卫生局等有关部门执行奥运食品安全行动纲要。\n"
          "卫生防疫。由市卫生局牵头,会同市药品监督局等有关部门执行公共卫生应急体系建设方案。\n"
          "动物疫情防控。由市农业局牵头,会同有关部门执行奥运期间重大动物疫情相关应急预案。\n"
          "(十一)社会治安。\n"
          "由市公安局、首都综治办牵头,会同市安全局、市信访办、市邮政局等有关部门和区县政府,执行奥运安保方案。\n");
    check_units(task(&p, "(十)/1"), "市政府食品安全办", "市卫生局");
    check_units(task(&p, "(十)/2"), "市卫生局", "市药品监督局");
    check_units(task(&p, "(十)/3"), "市农业局", "");
    check_units(task(&p, "(十一)"), "市公安局、首都综治办", "市安全局、市信访办、市邮政局");
    CHECK_INT(p.g.ntasks, 4);
    done(&p);
}

/* A page that is one duty and its unit label on the line below (dev bg11):
 * the label names the duty's lead; a label after another paragraph does not. */
static void test_unit_label_under_duty(void)
{
    parsed_t p;
    parse(&p, "bg11x.txt",
          "通过新建水厂、水厂改造、引水库水等方式,积极推进集中供水工程建设,延伸集中供水管网。"
          "到2015年,基本解决全市农村饮水不安全人口的饮水问题。\n责任单位:市水务局\n");
    CHECK_INT(p.g.ntasks, 1);
    if (p.g.ntasks == 1) {
        check_units(&p.g.tasks[0], "市水务局", "");
        CHECK_INT(p.g.tasks[0].deadline.due_date, duban_date_from_ymd(2015, 12, 31));
    }
    done(&p);
    parse(&p, "bg11y.txt",
          "通过新建水厂、水厂改造、引水库水等方式,积极推进集中供水工程建设,延伸集中供水管网。"
          "到2015年,基本解决全市农村饮水不安全人口的饮水问题。\n"
          "全市上下要凝心聚力,开拓进取,确保各项工作取得实效。\n责任单位:市水务局\n");
    CHECK(p.g.ntasks >= 1 && p.g.tasks[0].lead_units.count == 0);
    done(&p);
    /* any label of a lead or responsible unit, with a bracketed qualifier
     * (the clause reader's list), not only the five first seen */
    static const char *const labels[] = {"牵头部门（单位）：", "负责单位：", "实施单位：",
                                         "牵头单位:", NULL};
    for (size_t k = 0; labels[k]; k++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "通过新建水厂、水厂改造、引水库水等方式,积极推进集中供水工程建设。"
                 "到2015年,基本解决全市农村饮水不安全人口的饮水问题。\n%s市水务局\n",
                 labels[k]);
        parse(&p, "bg11z.txt", text);
        CHECK_INT(p.g.ntasks, 1);
        if (p.g.ntasks == 1)
            check_units(&p.g.tasks[0], "市水务局", "");
        done(&p);
    }
}

/* A label in lenticular brackets at a line's end, its units on the next
 * line (gazette 000 L1749 with its labels printed 【牵头单位】). */
/* A table's header names its unit columns with the same composed labels
 * as the clauses (主办单位, 联办单位, 执行单位, 参加单位). */
static void test_composed_header_labels(void)
{
    parsed_t p;
    parse(&p, "hdr.txt",
          "某某市重点工作任务分解表\n"
          "序号\t工作任务\t主办单位\t联办单位\t完成时限\n"
          "1\t推进道路建设\t市住建局\t市财政局\t2023年6月底前\n"
          "2\t推进学校建设\t市教育局\t市人社局\t2023年9月底前\n");
    check_units(task(&p, "表1.1"), "市住建局", "市财政局");
    check_units(task(&p, "表1.2"), "市教育局", "市人社局");
    done(&p);
    parse(&p, "hdr2.txt",
          "某某市重点工作任务分解表\n"
          "序号\t工作任务\t执行单位\t参加单位\t完成时限\n"
          "1\t推进道路建设\t市住建局\t市财政局\t2023年6月底前\n");
    check_units(task(&p, "表1.1"), "市住建局", "市财政局");
    done(&p);
}

/* A line opening with a numeral or a topic in lenticular brackets (【一】,
 * 【道路】…。) is an item, not a legal database's field (【发布单位】山西省). */
static void test_lenticular_item_lines(void)
{
    parsed_t p;
    parse(&p, "len.txt",
          "关于印发某某工作方案的通知\n某政办发〔2023〕5号\n现将有关事项通知如下：\n"
          "【一】加强道路建设，完成改造任务。（责任单位：区住建局；完成时限：2023年6月底前）\n"
          "【二】推进学校建设，新建学校3所。（责任单位：区教育局；完成时限：2023年9月底前）\n");
    expect_leads(&p, 2, "区住建局", "区教育局");
    expect_dues(&p, 2, "2023-06-30", "2023-09-30");
    task(&p, "(一)"); /* 【一】 is the marker （一） */
    task(&p, "(二)");
    done(&p);
    parse(&p, "len2.txt",
          "关于印发某某工作方案的通知\n某政办发〔2023〕5号\n现将有关事项通知如下：\n"
          "【道路】加强道路建设，完成改造任务。（责任单位：区住建局；完成时限：2023年6月底前）\n"
          "【河道】开展河道整治，清理垃圾。（责任单位：区水利局；完成时限：2023年12月底前）\n");
    expect_leads(&p, 2, "区住建局", "区水利局");
    expect_dues(&p, 2, "2023-06-30", "2023-12-31");
    done(&p);
}

/* Records whose first key carries its value on its line after the
 * record's number ("01 项目名称:提升…", dev bp03), under a report's title
 * (…总结汇报); a unit label with its value on its line stays a clause's. */
static void test_numbered_records(void)
{
    parsed_t p;
    parse(&p, "rec.txt",
          "全县“我为群众办实事”实践活动20个项目进展与成效情况总结汇报\n"
          "01 项目名称:提升县域生态环境\n项目内容:\n连通城区河道水系。\n责任单位:\n"
          "水务局、城管局、自然资源局\n进展与成效:\n5月28日已完成开标。\n"
          "02 项目名称:加大文化惠民力度\n项目内容:\n新建“城市书房”1个。\n责任单位\n文广旅局\n"
          "进展与成效:\n城市书房已确定建设地址。\n");
    CHECK_INT(p.g.ndocs, 1);
    if (p.g.ndocs == 1)
        CHECK_STR(p.g.docs[0].title ? p.g.docs[0].title : "",
                  "全县“我为群众办实事”实践活动20个项目进展与成效情况总结汇报");
    expect_leads(&p, 2, "水务局、城管局、自然资源局", "文广旅局");
    if (p.g.ntasks == 2)
        CHECK(strncmp(p.g.tasks[0].text, "提升县域生态环境", strlen("提升县域生态环境")) == 0);
    done(&p);
}

/* "——X牵头，Y配合，D" after an item's text: the dash sets the clause off
 * and is no part of the lead's name. */
static void test_dash_clause(void)
{
    parsed_t p;
    parse(&p, "dash.txt",
          "关于印发某某工作方案的通知\n某政办发〔2023〕5号\n"
          "一、加强道路建设，完成改造任务。——区住建局牵头，区财政局配合，2023年6月底前\n"
          "二、推进学校建设，新建学校3所。——区教育局牵头，区人社局配合，2023年12月底前\n");
    check_units(task(&p, "一"), "区住建局", "区财政局");
    check_units(task(&p, "二"), "区教育局", "区人社局");
    done(&p);
}

/* A table with a person's and an assessment column after the unit column
 * (dev at03's table, perturb.py pipes_extra_columns): the row's task is its
 * short first cell, not the longer assessment text, and neither the person
 * nor the assessment is a unit or a deadline. */
static void test_assessment_column(void)
{
    parsed_t p;
    parse(&p, "assess.txt",
          "某镇2017年安全生产专项整治工作计划\n一、专项整治安排表\n"
          "| 专项整治行业名称 | 时间安排 | 责任单位 | 责任人 | 考核方式 |\n"
          "| 烟花爆竹 | 1月份 | 安监站 安监所 | 张建国 | 市考核办按季度评分 |\n"
          "| 电力设施 | 3月份 | 电管所 | 张建国 | 市考核办按季度评分 |\n");
    expect_leads(&p, 2, "安监站、安监所", "电管所");
    expect_dues(&p, 2, "2017-01-31", "2017-03-31");
    if (p.g.ntasks == 2) {
        CHECK_STR(p.g.tasks[0].text, "烟花爆竹");
        CHECK_STR(p.g.tasks[1].text, "电力设施");
    }
    done(&p);
}

/* A meeting's requirements run together on one line, "…要求：一是…；二是…"
 * (dev bh05): a task each. 一是 alone, or 是 inside a sentence, cuts
 * nothing. */
static void test_inline_shi_items(void)
{
    parsed_t p;
    parse(&p, "shi.txt",
          "关于召开项目储备工作会议的纪要\n"
          "2020年2月8日，县政府召开项目储备工作会议。"
          "石宏敏常务副县长在总结讲话中要求：一是各单位会后抓紧将项目储备清单的修改意见形成书面材料于2月9日下午下班前报县发改局汇总；"
          "二是县发改局要按照各部门的修改意见及时将项目储备清单修改完善，并于2月9日晚19:00时前报县政府常务会议研究讨论后上报。\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        CHECK(strncmp(p.g.tasks[0].text, "各单位", strlen("各单位")) == 0);
        CHECK(strncmp(p.g.tasks[1].text, "县发改局", strlen("县发改局")) == 0);
        CHECK_STR(p.g.tasks[1].outline_path, "二");
    }
    done(&p);
}

static void test_lenticular_label_at_line_end(void)
{
    parsed_t p;
    parse(&p, "000lb.txt",
          "关于印发某方案的通知\n\n"
          "一、普及科学知识理念。推动落实《全民科学素质行动规划纲要》，深入实施五项重点工程。（【牵头单位】\n"
          "区科协、区科技局，【配合单位】全民科学素质纲要工作领导小组成员单位)\n"
          "二、稳妥推进考试招生制度改革。全面推行阳光招生政策。（【责任单位】\n区教育局、区财政局）\n");
    check_units(task(&p, "一"), "区科协、区科技局", "全民科学素质纲要工作领导小组成员单位");
    check_units(task(&p, "二"), "区教育局、区财政局", "");
    done(&p);
}

/* A news report of a breakdown quoting its tasks with their units (dev
 * aq08): a task per quoted task; a person's label (牵头领导是…) names no
 * unit; one quoted task alone stays the paragraph's. */
static void test_quoted_tasks(void)
{
    parsed_t p;
    parse(&p, "aq08x.txt",
          "分工方案涉及198项任务\n"
          "近日,《北京市人民政府关于印发2018年市政府工作报告重点工作分工方案的通知》发布。\n"
          "例如,第1项任务“地区生产总值增长6.5%左右”,牵头领导是常务副市长张工,主责单位是市发展改革委、各区政府。"
          "第98项任务“制定全市地面停车规划”,牵头领导是副市长杨斌,主责单位是市交通委、市公安局。\n");
    CHECK_INT(p.g.ntasks, 2);
    if (p.g.ntasks == 2) {
        check_units(&p.g.tasks[0], "市发展改革委、各区政府", "");
        check_units(&p.g.tasks[1], "市交通委、市公安局", "");
    }
    done(&p);
}

int main(void)
{
    test_docno();
    test_docno_in_round_brackets();
    test_responsibility();
    test_doc_000();
    test_doc_001();
    test_doc_002_table();
    test_multi();
    test_flat_table();
    test_prose();
    test_other_layouts();
    test_red_header();
    test_shifted_row();
    test_edge();
    test_traditional();
    test_review();
    test_list_note();
    test_web_release();
    test_wrapped_line_no_title();
    test_reported_document();
    test_pipe_table();
    test_detail_column();
    test_damaged_number();
    test_person_after_units();
    test_spaced_note_after_units();
    test_duty_pairs();
    test_glued_table();
    test_merged_leading_cells();
    test_clause_forms();
    test_phases_and_headers();
    test_web_table();
    test_spaced_rows();
    test_key_value_records();
    test_cover_due();
    test_line_clauses();
    test_heading_lead();
    test_unit_and_head();
    test_number_first();
    test_meta_title();
    test_meta_bracketed_labels();
    test_printed_year();
    test_round_bracket_numbers();
    test_title_glued_to_number();
    test_law_database_fields();
    test_web_headers();
    test_split_header_cells();
    test_labelled_heading_lead();
    test_review_years();
    test_inline_notes();
    test_say_markers();
    test_page_year();
    test_wrapped_run_on_items();
    test_by_unit_lead();
    test_subject_lead();
    test_initiating_dept_column();
    test_bracketed_labels_and_bare_unit_deadline();
    test_month_cells_and_spaced_units();
    test_unit_duties();
    test_phase_by_date();
    test_role_marks();
    test_bold_leads();
    test_measure_line_by_unit();
    test_ascii_brackets();
    test_wrapped_cells();
    test_note_column_after_units();
    test_led_with_partners();
    test_owner_and_entry_into_force();
    test_led_with_partners_national();
    test_number_printed_twice();
    test_parenthesised_ideographs();
    test_unit_heading();
    test_title_fields();
    test_notice_by_date();
    test_pinyin_readings();
    test_label_wei();
    test_trailing_clause_line();
    test_lead_then_list();
    test_closing_time_line();
    test_signer_header();
    test_unmarked_duties();
    test_one_line_articles();
    test_title_run_into_outline();
    test_campaign_window();
    test_window_after_tasks();
    test_untasked_documents();
    test_comma_run_items();
    test_body_phases_and_leads();
    test_indicator_table();
    test_target_paragraphs();
    test_one_character_items();
    test_cut_last_item();
    test_merged_category_rows();
    test_policy_title();
    test_wrapped_title_tail();
    test_asked_before_page_date();
    test_item_name_cells();
    test_phase_steps();
    test_topic_items();
    test_by_units_lines();
    test_bracket_units_below();
    test_role_statement();
    test_list_title_due();
    test_closing_request();
    test_sentence_duties();
    test_meeting_decisions();
    test_cells_per_line_plan();
    test_cells_unknown_header_cell();
    test_space_run_table();
    test_count_heading();
    test_wrapped_source_lines();
    test_cells_sections();
    test_cells_group_task_column();
    test_cells_pipe_lines_no_title();
    test_unit_steps();
    test_phase_list_sentence();
    test_attachment_names();
    test_run_in_topics();
    test_unit_label_under_duty();
    test_lenticular_label_at_line_end();
    test_composed_header_labels();
    test_lenticular_item_lines();
    test_numbered_records();
    test_dash_clause();
    test_assessment_column();
    test_inline_shi_items();
    test_quoted_tasks();
    return CHECK_DONE();
}
