/* tests/unit/test_deadline.c: the deadline rules of common/deadline.h, one
 * table row per case. Phrases are copied from the three gazettes in
 * ../shared/gazettes (file:line in the comment; wrapped lines joined, as
 * the parser passes them); expected dates computed by hand from the rule
 * and the issue date of the document the phrase comes from. Rows marked
 * "not in the gazettes" test a DESIGN.md rule the three files never use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "calendar.h"
#include "check.h"
#include "date.h"
#include "deadline.h"

typedef struct {
    const char *src;       /* file:line */
    const char *issue;     /* issue date of the containing document */
    const char *text;
    duban_deadline_kind_t kind;
    const char *due;       /* NULL: DUBAN_DATE_NONE */
    const char *dtext;     /* expected deadline_text, NULL: not checked */
    size_t milestones;
    unsigned flags;        /* flags that must be set */
} dcase_t;

#define D DUBAN_DEADLINE_DATED
#define R DUBAN_DEADLINE_RECURRING
#define O DUBAN_DEADLINE_OPEN_ENDED
#define N DUBAN_DEADLINE_NONE
#define F_ONGOING DUBAN_DEADLINE_F_ONGOING
#define F_PAST DUBAN_DEADLINE_F_PAST_AT_ISSUE
#define F_AMB DUBAN_DEADLINE_F_AMBIGUOUS
#define F_ISSUE DUBAN_DEADLINE_F_FROM_ISSUE

static const dcase_t CASES[] = {
    /* ---- full dates, 前 inclusive */
    {"000:3582", "2022-11-22", "2022年11月15日前，对城市道路两侧裸土、长期闲置或未开发建设裸地开展全面排查摸底",
     D, "2022-11-15", "2022年11月15日前", 0, F_PAST},
    {"000:1953", "2022-11-17", "责任单位：区综合执法局配合单位：区财政局整改时限：2022年12月31日",
     D, "2022-12-31", "2022年12月31日", 0, 0},
    {"002:1957", "2021-09-15", "各成员单位应在2021年11月20日前将专项治理工作开展情况形成总结上报",
     D, "2021-11-20", "2021年11月20日前", 0, 0},
    /* dev l15: the weekday and the time of day between the date and 前 */
    {"l15:20", "2019-06-12", "请各单位于6月18日（星期二）上午下班前，将修改意见反馈至市防汛办",
     D, "2019-06-18", "6月18日（星期二）上午下班前", 0, 0},
    /* ---- dates printed in digits, as other cities' tables print them
     * (000:1953 and 002:1957 rewritten, the dates-iso/-dot/-slash rewrite of
     * the corpus); a month alone only where a deadline stops; a measure is
     * no date (000:2712) */
    {"000:1953 iso", "2022-11-17", "责任单位：区综合执法局配合单位：区财政局整改时限：2022-12-31",
     D, "2022-12-31", "2022-12-31", 0, 0},
    {"000:1953 dot", "2022-11-17", "整改时限：2022.12.31", D, "2022-12-31", "2022.12.31", 0, 0},
    /* a clause printed in 〔〕 (ASCII [] widened) is read, a number's 〔2022〕 skipped */
    {"probe 〔〕", "2022-11-17", "〔牵头单位：区住建局；完成时限：2023年6月底前〕", D, "2023-06-30",
     "2023年6月底前", 0, 0},
    {"probe 〔year〕", "2022-11-17", "按照石政发〔2021〕12号要求", N, NULL, NULL, 0, 0},
    {"002:1957 slash", "2021-09-15", "各成员单位应在2021/11/20前将专项治理工作开展情况形成总结上报",
     D, "2021-11-20", "2021/11/20前", 0, 0},
    {"000:1953 month", "2022-11-17", "整改时限：2023.6", D, "2023-06-30", "2023.6", 0, 0},
    {"000:1953 month", "2022-11-17", "整改时限：2023/6底前", D, "2023-06-30", NULL, 0, 0},
    {"000:2712", "2022-11-22", "年平均降雨量193.2毫米，年均蒸发量2145.8毫米，属于干旱半干旱地区", N, NULL,
     NULL, 0, 0},
    {"not in the gazettes", "2022-11-17", "安排资金2023.12万元", N, NULL, NULL, 0, 0},
    {"not in the gazettes", "2022-11-17", "版本号2022.12.31.5", N, NULL, NULL, 0, 0},
    /* ---- Y-M + 底 / 前 / bare month, spaced */
    {"000:2160", "2022-11-17", "整改时限：2023 年 6 月底", D, "2023-06-30", "2023 年 6 月底", 0, 0},
    {"000:3588", "2022-11-22", "2022年11月底前，完成城市建成区范围内餐饮夜市、餐饮一条街等餐饮聚集区摸排检查",
     D, "2022-11-30", "2022年11月底前", 0, 0},
    {"000:1889", "2022-11-17", "到2023年12月底，实现长胜片区雨水收集全覆盖", D, "2023-12-31",
     "到2023年12月底", 0, 0},
    {"002:1644", "2021-09-15", "(二) 工作目标。在2021年12月底前，完成全市农业、工业、规模化养殖业用水权确权登记",
     D, "2021-12-31", "2021年12月底前", 0, 0},
    {"001:13003", "2021-10-14", "2022 年 6月底前", D, "2022-06-30", "2022 年 6月底前", 0, 0},
    {"000:3552", "2022-11-22", "加快推进自治区下达的两个清洁取暖示范项目建设,争取2022年11月完工并投入使用",
     D, "2022-11-30", "争取2022年11月", 0, 0},
    {"002:1913", "2021-09-15", "由水行政主管部门下发整改通知书，要求2021年11月前自行关闭；逾期未关闭的，依据《中华人民共和国水法》相关条款予以强制关闭",
     D, "2021-11-30", "2021年11月前", 0, F_AMB},
    {"002:1939", "2021-09-15", "明确权属关系,2021年12月前到市水行政主管部门办理取水许可", D, "2021-12-31",
     "2021年12月前", 0, F_AMB},
    /* ---- Y 年底 / 年年底 / 年底前, 完成时限 */
    {"000:3548", "2022-11-22", "确保2022年年底前基本完成整治工作。(市生态环境局大武口分局牵头,区工信商务局、石嘴山高新区、市场监督管理局大武口分局等部门配合)",
     D, "2022-12-31", "2022年年底前", 0, 0},
    {"000:3544", "2022-11-22", "按期完成自治区《2022年大气污染防治重点项目清单》涉及的污染治理项目。2022年年底，各部门要完成一轮无组织排放排查和整治工作。",
     D, "2022-12-31", "2022年年底", 0, 0},
    {"001:8052", "2021-10-18", "(责任单位:区审批服务管理局等相关部门。完成时限:2021 年底)", D, "2021-12-31",
     "2021 年底", 0, 0},
    {"002:400", "2021-08-26", "2025年底", D, "2025-12-31", "2025年底", 0, 0},
    {"002:576", "2021-08-26", "住房和城乡建设局、生态环境分局、各街道、农林场\t2025年12月", D, "2025-12-31",
     "2025年12月", 0, 0},
    {"002:427", "2021-08-26", "2025 年 12 月", D, "2025-12-31", "2025 年 12 月", 0, 0},
    /* ---- year-less: the document's year */
    {"000:3540", "2022-11-22", "严格落实《宁夏回族自治区能耗双控产业结构调整指导目录（试行）》，年底前完成应于2022年淘汰的设备、产能",
     D, "2022-12-31", "年底前", 0, 0},
    {"001:5416", "2021-09-07", "各单位请于 9 月 13 日前将“政府开放日实施方案”报送区政务公开办公室审核备案", D,
     "2021-09-13", "9 月 13 日前", 0, 0},
    {"001:8541", "2021-10-14", "请于 11 月 15 日前分别将落实情况台账、落实情况总结报区审批服务管理局", D,
     "2021-11-15", "11 月 15 日前", 0, 0},
    {"001:15813", "2021-10-25", "星海镇、各街道要于 10 月 27 日前摸清辖区洁净煤需求底数", D, "2021-10-27",
     "10 月 27 日前", 0, 0},
    {"001:16178", "2021-10-25", "督促履行扬尘污染防治主体责任，10月底前基本完成道路货物运输公司车辆扬撒隐患排查",
     D, "2021-10-31", "10月底前", 0, 0},
    {"002:1953", "2021-09-15", "认真填写排查表(见附件1-3),于9月24日前上报市领导小组办公室", D, "2021-09-24",
     "9月24日前", 0, 0},
    /* ---- 上半年 / 下半年 / quarters / 年内 (not in the gazettes) */
    {"rule", "2021-03-01", "上半年完成项目招标", D, "2021-06-30", "上半年", 0, 0},
    {"rule", "2021-03-01", "2021年下半年开工建设", D, "2021-12-31", "2021年下半年", 0, 0},
    {"rule", "2021-03-01", "第三季度末前完成验收", D, "2021-09-30", NULL, 0, 0},
    {"rule", "2022-01-10", "2022年一季度完成", D, "2022-03-31", "2022年一季度", 0, 0},
    {"rule", "2021-03-01", "年内完成全部改造任务", D, "2021-12-31", "年内", 0, 0},
    {"rule", "2021-03-01", "明年6月底前全面完成", D, "2022-06-30", "明年6月底前", 0, 0},
    /* Chinese numerals (not in the three gazettes, common elsewhere) */
    {"rule", "2022-11-17", "十二月底前完成排查", D, "2022-12-31", "十二月底前", 0, 0},
    {"rule", "2022-11-17", "于二〇二三年六月三十日前报送", D, "2023-06-30", "二〇二三年六月三十日前", 0, 0},
    {"rule", "2022-11-17", "进一步加强统一领导", N, NULL, "", 0, 0},
    {"rule", "2022-11-17", "2023年春节前完成走访慰问", N, NULL, "", 0, 0},
    /* the same phrase twice (58号 table rows repeat cells): one deadline */
    {"001:8790", "2021-10-14", "2021 年底前\t区税务局\t2021 年底前", D, "2021-12-31", NULL, 0, 0},
    {"rule", "2022-11-17", "本办法自二〇二三年一月一日起施行", N, NULL, "", 0, 0},
    /* ---- 旬: 10th / 20th / last day; phases in the past are kept, flagged */
    {"001:5910", "2021-09-09", "（一）安排部署（2021 年 8 月上旬）。", D, "2021-08-10", "2021 年 8 月上旬", 0, F_PAST},
    {"001:5916", "2021-09-09", "（二）集中治理（2021 年 8月中旬至 9月中旬）。", D, "2021-09-20",
     "2021 年 8月中旬至 9月中旬", 0, 0},
    {"001:5932", "2021-09-09", "（三）督查整改（2021 年 8 月下旬和 9 月中下旬）。", D, "2021-09-30", NULL, 2, 0},
    /* dev ad04: a year opening a clause, a measure, then the level it is to
     * reach: the year's target; a past year is a report */
    {"dev ad04", "2022-03-01", "落实扶粮政策，2022年粮食播种面积稳定在4234.5万亩以上、产量只增不减", D,
     "2022-12-31", "2022年", 0, 0},
    {"dev ad04", "2022-03-01", "落实扶粮政策，2021年粮食播种面积稳定在4234.5万亩以上", N, NULL, "", 0, 0},
    /* dev ah03: 实现 the year's 目标: the year's target; without 目标 in the
     * clause, a year after 实现 is no date set */
    {"dev ah03", "2025-05-26", "深入推进工程建设,实现2025年全镇中小学生溺水事件零发生的目标,显著降低溺水事故发生率",
     D, "2025-12-31", "2025年", 0, 0},
    {"dev ah03", "2025-05-26", "实现2025年全镇中小学生溺水事件零发生", N, NULL, "", 0, 0},
    /* dev al05: 元月 is January; a sum in 元 before 月 is no month */
    {"dev al05", "2012-01-05", "各责任单位要制订详细工作实施方案,并于元月底前报送至市政府政务督查室", D,
     "2012-01-31", "元月底前", 0, 0},
    {"dev al05", "2012-01-05", "确保职工工资不低于3000元月底前结清", N, NULL, "", 0, 0},
    /* dev ah10: the years of the funds reported on are no dates set */
    {"dev ah10", "2017-11-14", "请各设区市综合辖区内各县(市、区)2017年预计结余资金和2018年预计使用资金,认真填报需求汇总表,于11月17日上午下班前将需求表报送我处",
     D, "2017-11-17", "11月17日上午下班前", 0, 0},
    /* dev ae11: 月初 is early in the month, read as 上旬; two dates, the later */
    {"dev ae11", "2018-02-10", "各地、各部门应于7月初和12月初分别组织一次自查活动", D, "2018-12-10",
     "7月初和12月初", 2, 0},
    /* ---- ranges and phases end at their last day */
    {"000:3574", "2022-11-22", "2022年11月15日至2023年3月15日期间,停止一切土石方作业和房屋拆迁施工(特殊项目除外)",
     D, "2023-03-15", "2022年11月15日至2023年3月15日", 0, 0},
    {"000:3524", "2022-11-22", "2022年11月至2023年3月31日，分两个阶段开展冬春季大气污染防治攻坚行动", D,
     "2023-03-31", NULL, 0, 0},
    {"000:3530", "2022-11-22", "第一阶段（2022年12月31日前）：2022年考核目标，空气质量优良天数比例确保达到79.5%",
     D, "2022-12-31", "2022年12月31日前", 0, 0},
    {"000:3532", "2022-11-22", "第二阶段(2023年1月1日-3月31日)：完成自治区下达的2023年1-3月环境空气质量改善建议目标",
     D, "2023-03-31", "2023年1月1日-3月31日", 0, 0},
    {"000:3852", "2022-11-29", "（一）前期准备阶段（2022年10月20日至10月31日）", D, "2022-10-31", NULL, 0, F_PAST},
    {"000:3592", "2022-11-22", "2022-2023年，民政部门牵头在建成区外设立文明祭祀点位", D, "2023-12-31",
     "2022-2023年", 0, 0},
    {"001:7228", "2021-09-16", "第一阶段（2021 年—2022 年）：以加强营养", D, "2022-12-31", NULL, 0, 0},
    {"001:7258", "2021-09-16", "第三阶段（2026 年—2030 年）：依靠科技创新", D, "2030-12-31", NULL, 0, 0},
    {"001:15881", "2021-10-25", "第一阶段：2021年10月1日-12月31日，完成自治区下达的目标任务", D, "2021-12-31",
     "2021年10月1日-12月31日", 0, 0},
    {"002:1841", "2021-09-15", "(一) 第一阶段(2021年5月至2021年7月)。完成全市农业、工业和规模化畜禽养殖业用水确权对象基本情况调查",
     D, "2021-07-31", NULL, 0, F_PAST},
    {"002:1957", "2021-09-15", "(三) 综合验收阶段(2021年11月-2021年12月中旬)。", D, "2021-12-20", NULL, 0, 0},
    {"rule", "2022-01-10", "2022年3月—6月开展专项整治", D, "2022-06-30", "2022年3月—6月", 0, 0},
    /* ---- 到YYYY年 / YYYY年前 / 十四五 / a later year before a verb */
    {"000:151", "2022-11-17", "到2025年,规划建设或改建扩建1个体育公园、1个全民健身中心(小型体育综合体)", D,
     "2025-12-31", "到2025年", 0, 0},
    {"001:99", "2021-09-06", "整体提升我区中医药服务能力。到 2022年，至少培养 5 名以上的基层中医药骨干人才和全科中医医师。",
     D, "2022-12-31", "到 2022年", 0, 0},
    {"002:502", "2021-08-26", "2024年前建成创伤、慢病管理中心，2025年建成血液透析、消化内、麻醉3个自治区级重点专科",
     D, "2025-12-31", NULL, 2, 0},
    {"000:2266", "2022-12-29", "到2023年通过国家级义务教育优质均衡先行区评估验收,2026年通过复核验收", D,
     "2026-12-31", NULL, 2, 0},
    {"000:2248", "2022-12-29", "自2023年开始，每年创建铸牢中华民族共同体意识市级示范校1-2所，自治区级示范校1所，到2027年，创建铸牢中华民族共同体意识市级示范校达到10所",
     D, "2027-12-31", "到2027年", 0, 0},
    {"000:4390", "2022-12-06", "“十四五”期间，全区基本建成覆盖城乡、布局合理、公平普惠的学前教育公共服务体系。责任单位：区教体局",
     D, "2025-12-31", "“十四五”期间", 0, 0},
    {"002:161", "2021-08-26", "“十四五”末，粮食面积稳定在43.8万亩，产量28万吨以上", D, "2025-12-31",
     "“十四五”末", 0, 0},
    /* ---- several deadlines: the latest, all kept as milestones */
    {"000:2188", "2022-11-17", "（一）2022 年 11 月底前完成对辖区内违规建设突出问题全面排查，调查核实企业项目备案、环评等手续，建立未批先建、批建不符、未验先投项目清单，对发现的违法行为依法查处、责令整改。2023 年 6 月底前全面整改到位。",
     D, "2023-06-30", "2022 年 11 月底前；2023 年 6 月底前", 2, 0},
    /* ---- compound: date + ongoing */
    {"000:2013", "2022-11-17", "整改时限：2022年12月31日前完成整改并长期坚持", D, "2022-12-31",
     "2022年12月31日前完成整改并长期坚持", 0, F_ONGOING},
    {"002:573", "2021-08-26", "2025年12月，并长期坚持", D, "2025-12-31", "2025年12月，并长期坚持", 0, F_ONGOING},
    {"002:436", "2021-08-26", "教育局\t教育局\t2025 年底\t长期坚持", D, "2025-12-31", NULL, 0, F_ONGOING},
    /* ---- open-ended */
    {"000:1909", "2022-11-17", "整改时限：立行立改并长期坚持", O, NULL, "立行立改并长期坚持", 0, 0},
    {"002:425", "2021-08-26", "长期坚持", O, NULL, "长期坚持", 0, 0},
    {"001:8674", "2021-10-14", "持续推进 区财政局 区审计局", O, NULL, "持续推进", 0, 0},
    /* an open-ended verb inside a sentence is no deadline (the gold set's reading) */
    {"000:1939", "2022-11-17", "(5) 持续开展“六清”行动，进一步推进“拆违、清脏、治乱、建制”工作", N, NULL,
     "", 0, 0},
    {"000:153", "2022-11-17", "常态化条件下公共体育场地设施和有条件的机关、企事业单位体育场地设施向社会开放",
     N, NULL, "", 0, 0},
    {"000:3582", "2022-11-22", "对城市道路两侧裸土、长期闲置或未开发建设裸地开展全面排查摸底", N, NULL, "", 0, 0},
    {"002:319", "2021-08-26", "加强学科作业统筹调控，每年至少举办1次教师作业设计大赛，优化作业设计", N, NULL, "",
     0, 0},
    {"rule", "2022-11-17", "完成时限：持续推进", O, NULL, "持续推进", 0, 0},
    {"rule", "2022-11-17", "立行立改", D, "2022-11-17", "立行立改", 0, F_ISSUE},
    /* ---- from the issue date (not in the gazettes: they only say 自印发之日起施行) */
    {"rule", "2022-11-17", "各单位自印发之日起30日内报送实施方案", D, "2022-12-17", "自印发之日起30日内", 0, F_ISSUE},
    {"rule", "2022-11-17", "自本通知下发之日起10个工作日内报送", D, "2022-12-01", NULL, 0, F_ISSUE},
    {"rule", "2022-11-17", "自印发之日起三个月内完成", D, "2023-02-17", NULL, 0, F_ISSUE},
    /* ---- not deadlines: attributes, history, start dates, event-relative */
    {"000:123", "2022-11-17", "《大武口区全民健身实施计划（2021 - 2025 年）》已经区人民政府第 13 次常务会议审议通过，现予以印发",
     N, NULL, "", 0, 0},
    {"000:119", "2022-11-17", "石大政发〔2022〕56 号", N, NULL, "", 0, 0},
    {"000:133", "2022-11-17", "根据《自治区人民政府关于印发全民健身实施计划（2021—2025年）的通知》（宁政发〔2022〕23 号）",
     N, NULL, "", 0, 0},
    {"000:3518", "2022-11-22", "2022-2023年大武口区冬春季大气污染防治攻坚行动方案", N, NULL, "", 0, 0},
    {"001:15676", "2021-10-25", "大武口区 2021 年洁净煤配送方案", N, NULL, "", 0, 0},
    {"rule", "2023-03-01", "《安全生产培训教材（2023年版）》", N, NULL, "", 0, 0},
    {"rule", "2023-03-01", "依据2018—2022年规划，2021年，全区完成造林1.2万亩", N, NULL, "", 0, 0},
    {"000:1471", "2022-12-22", "截至 2020 年底，大武口区户籍人口 29.83 万人", N, NULL, "", 0, 0},
    {"000:545", "2022-11-25", "严格培训考核和资格考试，全面实行教考分离，到2020年底，全区95%以上的生产经营企业建立完善的安全培训制度和培训台账。",
     N, NULL, "", 0, 0},
    {"000:2740", "2022-10-27", "大风沟堤防建于2007年10月，两岸共布设堤防12.75千米", N, NULL, "", 0, 0},
    {"000:4868", "2022-11-01", "经2022年10月28日区人民政府第 14 次常务会议研究决定", N, NULL, "", 0, 0},
    {"000:3858", "2022-11-29", "（四）组织实施阶段（2023年1月1日起运行）", N, NULL, "", 0, 0},
    {"000:3372", "2022-10-27", "本预案自印发之日起实施。", N, NULL, "", 0, 0},
    {"002:1085", "2021-07-12", "六、本制度自下发之日起施行。", N, NULL, "", 0, 0},
    {"000:3921", "2022-11-29", "本办法由大武口区综合执法局负责解释，自发布之日起试行，试行期一年。", N, NULL, "", 0, 0},
    {"000:3032", "2022-10-27", "重要信息应在30分钟内上报区防指", N, NULL, "", 0, 0},
    {"000:3450", "2022-11-20", "属地组建专业队伍，12 小时内完成市场替代工作", N, NULL, "", 0, 0},
    {"001:2973", "2021-09-29", "自治区、市委、区委的重要任务在 2天内制定提交工作方案，工作完成后书面汇报", N, NULL, "", 0, 0},
    {"001:5331", "2021-09-07", "区直各单位应提前 15 天在政府门户网站、政务新媒体等公开平台，发布活动公告", N, NULL, "", 0, 0},
    {"002:1179", "2021-07-12", "各级行政机关应当在收到申请之日起 7 个工作日内一次性告知申请人补正", N, NULL, "", 0, 0},
    {"002:1668", "2021-09-15", "农业和规模化养殖业用水权有效期为5年，起止期与国家5年规划相一致", N, NULL, "", 0, 0},
    {"001:16", "2021-09-06", "为认真贯彻落实《自治区党委 人民政府印发<关于促进中医药传承创新发展的实施意见>的通知》（宁党发〔2021〕 7 号）精神",
     N, NULL, "", 0, 0},
    {"000:3034", "2022-10-27", "暴雨和山洪自然灾害主要集中在6至9月，多出现在7月下旬至8月上旬", N, NULL, "", 0, 0},
    {"002:1002", "2021-08-26", "为2035年基本建成法治社会奠定坚实基础", N, NULL, "", 0, 0},
    {"rule", "2022-01-01", "", N, NULL, "", 0, 0},
    /* ---- the corpus of other provinces (tests/corpus/dev, issue 11) */
    {"dev i16", "2009-05-04", "总结阶段（11月）各县对环保专项行动开展情况进行总结，于10月30日前报市环保局",
     D, "2009-11-30", NULL, 2, 0},
    {"rule", "2009-05-04", "召开11月份例会", N, NULL, "", 0, 0},
    {"dev i15", "2019-03-01", "全面规划都市圈快速通道路网，?2019年建成典农河至沙湖旅游公路", D, "2019-12-31",
     "2019年", 0, 0},
    {"rule", "2019-03-01", "全区2019年洁净煤配送覆盖率达90%", N, NULL, "", 0, 0},
    /* a bare year after a verb that drafts or files a plan: the plan's year */
    {"dev aa06", "2022-11-01", "组织各地编报了2023年保障性租赁住房、公租房保障和城镇棚户区改造等计划。"
     "请各市在2022年12月底前公布", D, "2022-12-31", "2022年12月底前", 0, 0},
    {"dev am02", "", "各县区根据2008年度县区目标管理体系,制定2099年责任目标(方案)", N, NULL, "", 0, 0},
    {"rule", "2022-11-01", "确保2023年完成改造", D, "2023-12-31", "2023年", 0, 0},
    /* a month whose 月 the page dropped (dev bf11's table cell) */
    {"dev bf11", "2016-03-01", "2016 年 6 底前", D, "2016-06-30", NULL, 0, 0},
    {"dev u01", "2024-03-01", "任务目标：2024年计划改造完成莲塘镇莲水巷、橡西巷今日家园", D, "2024-12-31",
     "2024年", 0, 0},
    {"dev u01", "2024-03-01", "任务目标：2024年度计划对莲塘、银三角建成区范围内20个排水单元进行雨污管网分流改造",
     D, "2024-12-31", "2024年", 0, 0},
    {"dev aa06", "2023-03-01", "12月底前公布当地2023年度计划和项目清单", D, "2023-12-31", "12月底前", 0, 0},
    {"rule", "2024-03-01", "各地编制2024年度计划", N, NULL, "", 0, 0},
    {"rule", "2023-03-01", "次年6月底前完成主要河道清淤", D, "2024-06-30", "次年6月底前", 0, 0},
    {"rule", "2023-03-01", "翌年年底前全部建成", D, "2024-12-31", "翌年年底前", 0, 0},
    {"rule", "2023-03-01", "每年至少开展一次清淤", N, NULL, "", 0, 0},
    {"dev a11", "2021-07-20", "上半年计划执行基本情况今年是我国现代化建设进程中具有特殊重要性的一年", N, NULL, "", 0, 0},
    {"rule", "2021-03-01", "上半年完成全部改造任务", D, "2021-06-30", "上半年", 0, 0},
    /* dev at0: 年内进度目标 names a field of the report, not a date */
    {"dev at0", "2022-11-03", "按照项目名称、主要内容、年内进度目标、责任单位等内容上报", N, NULL, "", 0, 0},
    {"dev at0", "2022-11-03", "年内进度目标明确，于11月20日前报县政府督查室", D, "2022-11-20",
     "11月20日前", 0, 0},
    {"dev k16", "2017-12-20", "2018年1月4日上午9:00—11:00，在区管委会会议室召开座谈会", N, NULL, "", 0, 0},
    {"dev k16", "2017-12-20", "督查时间2018年1月4日全天", N, NULL, "", 0, 0},
    /* a day opening a sentence, then a comma: the day something was done
     * (dev ar09), not a deadline; with 前, or not opening one, it is */
    {"dev ar09", "2018-05-04", "抓紧做好安置工作。5月16日，县安置办、编办和人社局下发安置通知",
     N, NULL, "", 0, 0},
    {"rule", "2018-05-04", "5月16日前，县安置办下发安置通知", D, "2018-05-16", "5月16日前", 0, 0},
    {"rule", "2018-05-04", "县安置办于5月16日，下发安置通知", D, "2018-05-16", "5月16日", 0, 0},
    {"rule", "2017-12-20", "请于2018年1月4日下午5:00前报区督查室", D, "2018-01-04", NULL, 0, 0},
    {"dev i07", "2007-04-13", "各部门各单位要在每季度末（分别在6月、9月和12月底），将进展情况报区督查组",
     R, "2007-06-30", "每季度末", 0, 0},
    {"dev h16", "2020-01-10", "此项工作已完成。截至2019年12月底，全市完成减少农村扶贫对象7.497万人", N, NULL, "", 0, 0},
    /* 截止 printed for 截至 (dev at01): a status date where it opens the
     * sentence and a comma follows; after a clause it is a deadline */
    {"dev at01", "2017-08-01", "截止2017年7月底，绝大部分问题已整改到位", N, NULL, "", 0, 0},
    {"dev at01'", "2017-08-01", "各单位：截止到2017年7月底，全市完成造林5万亩", N, NULL, "", 0, 0},
    {"probe", "2024-03-01", "报送统计数据，截止2024年6月30日。", D, "2024-06-30", "2024年6月30日", 0, 0},
    {"000:573", "2022-10-27", "“十四五”时期，我区仍处于工业化、城镇化、现代化的发展过程中", N, NULL, "", 0, 0},
    {"issue 11", "2023-06-20", "第一阶段：动员部署阶段（2023年7月3日—7月31日）", D, "2023-07-31",
     "2023年7月3日—7月31日", 0, 0},
};

/* Recurring rows: period, month, day and the first due date on/after issue. */
typedef struct {
    const char *src, *issue, *text;
    duban_recur_period_t period;
    int month, day;
    const char *first_due, *rtext;
} rcase_t;

static const rcase_t RCASES[] = {
    /* dev ab04: a frequency first, the day later: the day counts */
    {"dev ab04", "2021-03-01", "议题每个月报送一次。议题主办单位在每个月20日之前，将议题报送市政府办公厅",
     DUBAN_RECUR_MONTHLY, 0, 20, "2021-03-20", "每个月20日之前"},
    {"000:2632", "2022-11-18", "各指挥部牵头部门每月30日前向区攻坚办报送工作推进情况，区攻办定期对各单位进行督查",
     DUBAN_RECUR_MONTHLY, 0, 30, "2022-11-30", "每月30日前"},
    {"002:1955", "2021-09-15", "于每月5日前将上月的工作开展情况(包括:取得的主要成效、存在的困难和问题、有关意见和建议等)报市领导小组办公室",
     DUBAN_RECUR_MONTHLY, 0, 5, "2021-10-05", "每月5日前"},
    {"002:1486", "2021-07-12", "考评对象应当于每年12月5日前对本单位政府信息公开落实情况进行自考自评",
     DUBAN_RECUR_YEARLY, 12, 5, "2021-12-05", "每年12月5日前"},
    {"002:1281", "2021-07-12", "于每年1月15日前将开展的工作情况向市政府办公室和市政府信息公开领导小组办公室提交书面报告",
     DUBAN_RECUR_YEARLY, 1, 15, "2022-01-15", "每年1月15日前"},
    {"002:195", "2021-08-26", "（街道）每季度将全市居民收入提升行动工作落实情况及时报市发展和改革委员会。市发展和改革委员会、人力资源和社会保障局、农业农村局于每年11月底按要求报送",
     DUBAN_RECUR_QUARTERLY, 0, 0, "2021-09-30", "每季度"},
    {"001:3199", "2021-09-01", "每年 3 月 1 日、6 月 1 日、9 月 1 日和 12 月 1 日前，按照城乡居民收入提升行动方案责任分工",
     DUBAN_RECUR_QUARTERLY, 3, 1, "2021-09-01", "每年 3 月 1 日、6 月 1 日、9 月 1 日和 12 月 1 日前"},
    {"001:3154", "2021-09-01", "联席会议原则上每季度召开一次", DUBAN_RECUR_QUARTERLY, 0, 0, "2021-09-30", "每季度"},
    {"000:4178", "2022-11-29", "1.各街道(镇)每季度向区生活垃圾分类领导小组办公室报送当月工作情况", DUBAN_RECUR_QUARTERLY,
     0, 0, "2022-12-31", "每季度"},
    {"000:3909", "2022-11-29", "星海镇和各街道办事处根据每周考核评分计算出本单位本月考核得分情况", DUBAN_RECUR_WEEKLY, 0, 0,
     "2022-12-04", "每周"},
    {"002:2051", "2021-09-01", "中小学校坚持每周一及重大节日举行升旗仪式", DUBAN_RECUR_WEEKLY, 0, 1, "2021-09-06", "每周一"},
    {"002:1579", "2021-07-12", "每年 9 月确定为全区政府开放月", DUBAN_RECUR_YEARLY, 9, 0, "2021-09-30", "每年 9 月"},
    {"rule", "2021-07-12", "每半年向市政府报告一次工作进展", DUBAN_RECUR_HALF_YEARLY, 0, 0, "2021-12-31", "每半年"},
    {"rule", "2022-11-17", "每季度结束后10日内报送统计数据", DUBAN_RECUR_QUARTERLY, 1, 10, "2023-01-10",
     "每季度结束后10日内"},
    {"rule", "2022-11-17", "每季度末月25日前报送", DUBAN_RECUR_QUARTERLY, 3, 25, "2022-12-25",
     "每季度末月25日前"},
    {"rule", "2022-11-17", "每年6月底和12月底前报送", DUBAN_RECUR_HALF_YEARLY, 6, 0, "2022-12-31",
     "每年6月底和12月底前"},
    {"rule", "2022-11-17", "每周五前报送周报", DUBAN_RECUR_WEEKLY, 0, 5, "2022-11-18", "每周五前"},
    {"002:1486", "2021-07-12", "考评对象应当于每年12月5日前对本单位政府信息公开落实情况进行自考自评，12月10日前将自我考评情况和《政府信息公开工作年度报告》以电子文本和书面形式报市政府办公室。",
     DUBAN_RECUR_YEARLY, 12, 10, "2021-12-10", "每年12月5日前"},
    /* ---- the corpus of other provinces (tests/corpus/dev, issue 11) */
    {"c11:6", "2022-02-21", "从2022年3月起，务于每月25日前将本单位主要工作进展情况报送旗政府督查室",
     DUBAN_RECUR_MONTHLY, 0, 25, "2022-03-25", "每月25日前"},
    {"b02:8", "2023-01-10", "从2023年第二季度起每个季度第1个月的20日前报送上季度进展情况",
     DUBAN_RECUR_QUARTERLY, 1, 20, "2023-04-20", "每个季度第1个月的20日前"},
    {"issue 11", "2023-01-10", "从第二季度起每个季度第1个月的20日前报送上季度进展情况",
     DUBAN_RECUR_QUARTERLY, 1, 20, "2023-04-20", "每个季度第1个月的20日前"},
    {"issue 11", "2023-01-10", "于每年的10月10日前报送年度工作总结",
     DUBAN_RECUR_YEARLY, 10, 10, "2023-10-10", "每年的10月10日前"},
    {"issue 11", "2023-01-10", "各责任单位按年度报送工作总结", DUBAN_RECUR_YEARLY, 12, 0, "2023-12-31",
     "按年度"},
    {"issue 11", "2023-01-10", "每季度最后一个月10日前报送", DUBAN_RECUR_QUARTERLY, 3, 10,
     "2023-03-10", "每季度最后一个月10日前"},
};

static int32_t day(const char *s)
{
    int32_t d = DUBAN_DATE_NONE;
    if (s && duban_date_parse(s, &d) != DUBAN_OK)
        fprintf(stderr, "bad date in table: %s\n", s);
    return s ? d : DUBAN_DATE_NONE;
}

static void run(const char *src, const char *issue, const char *text, duban_deadline_t *d)
{
    duban_deadline_ctx_t ctx = {0, day(issue), NULL, NULL};
    char err[128];
    duban_err_t rc = duban_deadline_extract(text, strlen(text), &ctx, d, err, sizeof err);
    if (rc != DUBAN_OK)
        fprintf(stderr, "%s: %s\n", src, err);
    CHECK_INT(rc, DUBAN_OK);
}

static void test_table(void)
{
    char a[11], b[11];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const dcase_t *c = &CASES[i];
        duban_deadline_t d;
        run(c->src, c->issue, c->text, &d);
        int32_t want = day(c->due);
        int ok = d.kind == c->kind && d.due_date == want &&
                 (!c->dtext || strcmp(d.text, c->dtext) == 0) &&
                 d.milestone_count == c->milestones && (d.flags & c->flags) == c->flags;
        if (!ok)
            fprintf(stderr, "case %s [%s]\n  got  %s %s \"%s\" ms=%zu flags=%u\n"
                    "  want %s %s \"%s\" ms=%zu flags=%u\n", c->src, c->text,
                    duban_deadline_kind_name(d.kind),
                    d.due_date == DUBAN_DATE_NONE ? "-" : duban_date_format(d.due_date, a),
                    d.text, d.milestone_count, d.flags, duban_deadline_kind_name(c->kind),
                    c->due ? duban_date_format(want, b) : "-", c->dtext ? c->dtext : "*",
                    c->milestones, c->flags);
        CHECK(ok);
    }
}

static void test_recurring_table(void)
{
    char a[11];
    for (size_t i = 0; i < sizeof RCASES / sizeof RCASES[0]; i++) {
        const rcase_t *c = &RCASES[i];
        duban_deadline_t d;
        run(c->src, c->issue, c->text, &d);
        int ok = d.kind == DUBAN_DEADLINE_RECURRING && d.recurrence.period == c->period &&
                 d.recurrence.month == c->month && d.recurrence.day == c->day &&
                 d.due_date == day(c->first_due) && strcmp(d.recurrence.text, c->rtext) == 0 &&
                 strncmp(d.text, c->rtext, strlen(c->rtext)) == 0;
        if (!ok)
            fprintf(stderr, "recurring %s [%s]\n  got %s %s m=%d d=%d due=%s \"%s\"\n", c->src,
                    c->text, duban_deadline_kind_name(d.kind),
                    duban_recur_period_name(d.recurrence.period), d.recurrence.month,
                    d.recurrence.day,
                    d.due_date == DUBAN_DATE_NONE ? "-" : duban_date_format(d.due_date, a),
                    d.recurrence.text);
        CHECK(ok);
    }
}

/* Milestones keep each phrase and its date, in order of appearance. */
static void test_milestones(void)
{
    const dcase_t *c = NULL;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        if (strcmp(CASES[i].src, "000:2188") == 0)
            c = &CASES[i];
    CHECK(c != NULL);
    if (!c)
        return;
    duban_deadline_t d;
    run(c->src, c->issue, c->text, &d);
    CHECK_INT(d.milestone_count, 2);
    CHECK_STR(d.milestones[0].text, "2022 年 11 月底前");
    CHECK_INT(d.milestones[0].due_date, day("2022-11-30"));
    CHECK_STR(d.milestones[1].text, "2023 年 6 月底前");
    CHECK_INT(d.milestones[1].due_date, day("2023-06-30"));
}

/* duban_recurrence_due_in_period / next_due, walked by the alerter. */
static void test_recurrence_walk(void)
{
    duban_recurrence_t m30 = {DUBAN_RECUR_MONTHLY, 0, 30, "每月30日前"};
    CHECK_INT(duban_recurrence_due_in_period(&m30, day("2023-02-10")), day("2023-02-28"));
    CHECK_INT(duban_recurrence_due_in_period(&m30, day("2024-02-10")), day("2024-02-29"));
    CHECK_INT(duban_recurrence_next_due(&m30, day("2023-01-30")), day("2023-02-28"));
    CHECK_INT(duban_recurrence_next_due(&m30, day("2023-02-28")), day("2023-03-30"));
    CHECK_INT(duban_recurrence_next_due(&m30, day("2023-12-31")), day("2024-01-30"));

    duban_recurrence_t q = {DUBAN_RECUR_QUARTERLY, 0, 0, "每季度"};
    CHECK_INT(duban_recurrence_due_in_period(&q, day("2022-11-18")), day("2022-12-31"));
    CHECK_INT(duban_recurrence_next_due(&q, day("2022-12-31")), day("2023-03-31"));
    duban_recurrence_t q31 = {DUBAN_RECUR_QUARTERLY, 3, 1, "每年3月1日、6月1日…"};
    CHECK_INT(duban_recurrence_next_due(&q31, day("2021-09-01")), day("2021-12-01"));
    CHECK_INT(duban_recurrence_next_due(&q31, day("2021-12-01")), day("2022-03-01"));

    duban_recurrence_t h = {DUBAN_RECUR_HALF_YEARLY, 0, 0, "每半年"};
    CHECK_INT(duban_recurrence_next_due(&h, day("2021-06-30")), day("2021-12-31"));
    CHECK_INT(duban_recurrence_next_due(&h, day("2021-12-31")), day("2022-06-30"));

    duban_recurrence_t y = {DUBAN_RECUR_YEARLY, 12, 5, "每年12月5日前"};
    CHECK_INT(duban_recurrence_next_due(&y, day("2021-12-05")), day("2022-12-05"));
    CHECK_INT(duban_recurrence_next_due(&y, day("2021-07-12")), day("2021-12-05"));
    duban_recurrence_t y0 = {DUBAN_RECUR_YEARLY, 0, 0, "每年"};
    CHECK_INT(duban_recurrence_next_due(&y0, day("2021-07-12")), day("2021-12-31"));

    duban_recurrence_t w = {DUBAN_RECUR_WEEKLY, 0, 0, "每周"};        /* Sunday */
    CHECK_INT(duban_recurrence_next_due(&w, day("2022-11-29")), day("2022-12-04"));
    CHECK_INT(duban_recurrence_next_due(&w, day("2022-12-04")), day("2022-12-11"));
    duban_recurrence_t w5 = {DUBAN_RECUR_WEEKLY, 0, 5, "每周五"};
    CHECK_INT(duban_recurrence_next_due(&w5, day("2022-12-02")), day("2022-12-09"));

    duban_recurrence_t none = {DUBAN_RECUR_NONE, 0, 0, ""};
    CHECK_INT(duban_recurrence_next_due(&none, day("2022-12-02")), DUBAN_DATE_NONE);
    /* walking 24 months never goes backwards and hits every month once */
    int32_t at = day("2022-01-01");
    for (int k = 0; k < 24; k++) {
        int32_t nx = duban_recurrence_next_due(&m30, at);
        CHECK(nx > at);
        at = nx;
    }
    CHECK_INT(at, day("2023-12-30"));
}

static void test_names_and_args(void)
{
    CHECK_STR(duban_deadline_kind_name(DUBAN_DEADLINE_DATED), "DATED");
    CHECK_STR(duban_deadline_kind_name(DUBAN_DEADLINE_OPEN_ENDED), "OPEN_ENDED");
    CHECK_STR(duban_deadline_kind_name(DUBAN_DEADLINE_NONE), "NONE");
    CHECK_STR(duban_recur_period_name(DUBAN_RECUR_HALF_YEARLY), "HALF_YEARLY");
    CHECK_STR(duban_recur_period_name(DUBAN_RECUR_NONE), "NONE");
    duban_deadline_t d;
    duban_deadline_ctx_t ctx = {2022, DUBAN_DATE_NONE, NULL, NULL};
    char err[128] = "";
    CHECK_INT(duban_deadline_extract(NULL, 3, &ctx, &d, err, sizeof err), DUBAN_E_INVAL);
    CHECK(err[0] != '\0');
    CHECK_INT(duban_deadline_extract("x", 1, NULL, &d, err, sizeof err), DUBAN_E_INVAL);
    /* no issue date: year-less dates still take doc_year; 立行立改 open-ended */
    CHECK_INT(duban_deadline_extract("10月底前基本完成", strlen("10月底前基本完成"), &ctx, &d,
                                     err, sizeof err), DUBAN_OK);
    CHECK_INT(d.due_date, day("2022-10-31"));
    const char *now = "立行立改";
    CHECK_INT(duban_deadline_extract(now, strlen(now), &ctx, &d, err, sizeof err), DUBAN_OK);
    CHECK_INT(d.kind, DUBAN_DEADLINE_OPEN_ENDED);
    /* no year known at all (an excerpt without date or number): the text's
     * year stands in, flagged; without one a dated phrase is no date */
    duban_deadline_ctx_t none = {0, DUBAN_DATE_NONE, NULL, NULL};
    const char *yr = "2023年5月启动，9月底前完成";
    CHECK_INT(duban_deadline_extract(yr, strlen(yr), &none, &d, err, sizeof err), DUBAN_OK);
    CHECK_INT(d.due_date, day("2023-09-30"));
    CHECK(d.flags & DUBAN_DEADLINE_F_AMBIGUOUS);
    const char *noyr = "5月底前实现中介超市上线运行";
    CHECK_INT(duban_deadline_extract(noyr, strlen(noyr), &none, &d, err, sizeof err), DUBAN_OK);
    CHECK_INT(d.kind, DUBAN_DEADLINE_NONE);
    CHECK_INT(d.due_date, DUBAN_DATE_NONE);
    /* full-width digits and half-width punctuation are read alike */
    const char *fw = "２０２３年６月底前完成";
    CHECK_INT(duban_deadline_extract(fw, strlen(fw), &ctx, &d, err, sizeof err), DUBAN_OK);
    CHECK_INT(d.due_date, day("2023-06-30"));
    /* len is honoured: the text is not read past len */
    const char *cut = "2023年6月底前 2025年底";
    CHECK_INT(duban_deadline_extract(cut, strlen("2023年6月底前"), &ctx, &d, err, sizeof err),
              DUBAN_OK);
    CHECK_INT(d.due_date, day("2023-06-30"));
    /* working days through the caller's calendar */
    ctx.issue_date = day("2022-09-29");
    const char *wd = "自印发之日起5个工作日内报送";
    CHECK_INT(duban_deadline_extract(wd, strlen(wd), &ctx, &d, err, sizeof err), DUBAN_OK);
    CHECK_INT(d.due_date, day("2022-10-06"));  /* plain Mon-Fri without a calendar */
    /* with the holiday calendar: 国庆 Oct 1-7 off, Oct 8-9 make-up working days */
    duban_calendar_t *cal = NULL;
    CHECK_INT(duban_calendar_new(&cal, err, sizeof err), DUBAN_OK);
    if (cal) {
        ctx.add_workdays = duban_deadline_calendar_workdays;
        ctx.user = cal;
        CHECK_INT(duban_deadline_extract(wd, strlen(wd), &ctx, &d, err, sizeof err), DUBAN_OK);
        CHECK_INT(d.due_date, day("2022-10-11"));
        duban_calendar_destroy(cal);
    }
}

/* A long text: many deadlines, truncation at the text cap on a character. */
static void test_long_text(void)
{
    static char buf[64 * 1024];
    size_t n = 0;
    for (int k = 0; n + 128 < sizeof buf; k++) {
        int w = snprintf(buf + n, sizeof buf - n, "2022年12月%d日前完成整改并长期坚持，每季度报送。",
                         k % 31 + 1);
        n += (size_t)w;
    }
    duban_deadline_t d;
    duban_deadline_ctx_t ctx = {2022, day("2022-11-17"), NULL, NULL};
    CHECK_INT(duban_deadline_extract(buf, n, &ctx, &d, NULL, 0), DUBAN_OK);
    CHECK_INT(d.kind, DUBAN_DEADLINE_DATED);
    CHECK_INT(d.due_date, day("2022-12-31"));
    CHECK_INT(d.milestone_count, DUBAN_DEADLINE_MAX_MILESTONES);
    CHECK(strlen(d.text) < DUBAN_DEADLINE_TEXT_MAX);
    size_t tl = strlen(d.text);
    CHECK(tl == 0 || ((unsigned char)d.text[tl - 1] & 0xC0) != 0xC0);
}

/* A result leaves nothing of what the struct held before: extract clears
 * the fields and texts itself (not the whole 2 KB struct), so a struct
 * reused from a dated task, filled with garbage here, reads as empty. */
static void test_result_cleared(void)
{
    duban_deadline_t d;
    duban_deadline_ctx_t ctx = {2023, day("2023-03-01"), NULL, NULL};
    memset(&d, 0xAB, sizeof d);
    CHECK_INT(duban_deadline_extract("加强组织领导，落实工作责任。", strlen("加强组织领导，落实工作责任。"),
                                     &ctx, &d, NULL, 0), DUBAN_OK);
    CHECK_INT(d.kind, DUBAN_DEADLINE_NONE);
    CHECK_INT(d.due_date, DUBAN_DATE_NONE);
    CHECK_STR(d.text, "");
    CHECK_INT(d.milestone_count, 0);
    CHECK_INT(d.flags, 0);
    CHECK_INT(d.recurrence.period, DUBAN_RECUR_NONE);
    CHECK_INT(d.recurrence.month, 0);
    CHECK_INT(d.recurrence.day, 0);
    CHECK_STR(d.recurrence.text, "");
    memset(&d, 0xAB, sizeof d);
    const char *two = "2023年6月底前完成方案，2023年12月底前全面完成。";
    CHECK_INT(duban_deadline_extract(two, strlen(two), &ctx, &d, NULL, 0), DUBAN_OK);
    CHECK_INT(d.milestone_count, 2);
    CHECK_STR(d.milestones[0].text, "2023年6月底前");
    CHECK_STR(d.milestones[1].text, "2023年12月底前");
    CHECK_STR(d.recurrence.text, "");
}

int main(void)
{
    test_result_cleared();
    test_table();
    test_recurring_table();
    test_milestones();
    test_recurrence_walk();
    test_names_and_args();
    test_long_text();
    return CHECK_DONE();
}
