/* tests/unit/test_dept.c: splitting printed unit lists and canonical
 * department names (common/dept.h) through the embedded directory
 * data/departments.json. Each row is a unit list copied from the gazettes
 * (file:line; wrapped lines joined, labels cut off as the parser cuts them),
 * the jurisdiction of its document, the printed names and the canonical
 * departments expected, both as "a|b|c". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "check.h"
#include "dept.h"
#include "embedded.h"

typedef struct {
    const char *src, *jurisdiction, *text, *printed, *canonical;
} ucase_t;

static const ucase_t CASES[] = {
    /* separators 、 and , ; markup; the town group after ， */
    {"000:149", "大武口区",
     "**区文化旅游广电局、区教育体育局、区农业农村和水务局、区总工会、团区委、区妇联、区残联,星海镇、各街道办事处)**",
     "区文化旅游广电局|区教育体育局|区农业农村和水务局|区总工会|团区委|区妇联|区残联|星海镇|各街道办事处",
     "区文化旅游广电局|区教育体育局|区农业农村和水务局|区总工会|团区委|区妇联|区残联|星海镇|各街道办事处"},
    /* prefix inheritance along the list; short names and aliases */
    {"001:81", "大武口区", "区发改局、财政局、人社局", "区发改局|财政局|人社局",
     "区发展和改革局|区财政局|区人力资源和社会保障局"},
    {"000:1731", "大武口区",
     "**区人大法工委、司法局、教体局、住建局、卫健局、发改局、工信局、综合执法局、公安分局、市市场监督管理局大武口区分局、工会、团委、妇联、星海镇、各街道办事处**",
     "区人大法工委|司法局|教体局|住建局|卫健局|发改局|工信局|综合执法局|公安分局|市市场监督管理局大武口区分局|工会|团委|妇联|星海镇|各街道办事处",
     "区人大法工委|区司法局|区教育体育局|区住房城乡建设和交通局|区卫生健康局|区发展和改革局|"
     "区工业信息化和商务局|区综合执法局|市公安局大武口区分局|市市场监督管理局大武口区分局|"
     "区总工会|团区委|区妇联|星海镇|各街道办事处"},
    {"000:1757", "大武口区", "区科技局、科协", "区科技局|科协", "区科学技术局|区科协"},
    {"000:1757", "大武口区", "区委宣传部、教体局、工信商务局、市场监督管理局大武口区分局",
     "区委宣传部|教体局|工信商务局|市场监督管理局大武口区分局",
     "区委宣传部|区教育体育局|区工业信息化和商务局|市市场监督管理局大武口区分局"},
    /* branches of city bureaus do not pass their 市 on */
    {"000:3586", "大武口区",
     "市综合执法监督局大武口分局、市生态环境局大武口分局、区应急管理局、星海镇、各街道配合",
     "市综合执法监督局大武口分局|市生态环境局大武口分局|区应急管理局|星海镇|各街道",
     "市综合执法监督局大武口分局|市生态环境局大武口分局|区应急管理局|星海镇|各街道"},
    {"000:3542", "大武口区", "市生态环境局大武口分局、区工信商务局按职责分别负责",
     "市生态环境局大武口分局|区工信商务局", "市生态环境局大武口分局|区工业信息化和商务局"},
    {"000:3586", "大武口区", "区农水局、市公安局大武口区分局按职责分别牵头",
     "区农水局|市公安局大武口区分局", "区农业农村和水务局|市公安局大武口区分局"},
    /* never split on 和; name broken by a line (joined) with mixed brackets */
    {"000:4039", "大武口区",
     "区综合执法局、区教育体育局、区工业信息化和商务局、区文化旅游广电局、区自然资源局、区住房和城乡建设和交通局)",
     "区综合执法局|区教育体育局|区工业信息化和商务局|区文化旅游广电局|区自然资源局|区住房和城乡建设和交通局",
     "区综合执法局|区教育体育局|区工业信息化和商务局|区文化旅游广电局|区自然资源局|区住房城乡建设和交通局"},
    {"000:2164", "大武口区", "**区工信商务局、石嘴山高新区", "区工信商务局|石嘴山高新区",
     "区工业信息化和商务局|石嘴山高新区"},
    /* police variants in one list; the city-level alias */
    {"000:197", "大武口区", "区教育局、区卫生健康局、区应急管理局、大武口公安局,星海镇、各街道办事处",
     "区教育局|区卫生健康局|区应急管理局|大武口公安局|星海镇|各街道办事处",
     "区教育体育局|区卫生健康局|区应急管理局|市公安局大武口区分局|星海镇|各街道办事处"},
    /* 等有关成员单位 dropped; a name without prefix inherits 区 */
    {"000:2910", "大武口区",
     "区委网信办、市公安局大武口区分局、区自然资源局、区农业农村和水务局、区应急管理局、文化旅游广电局、星海镇、各街道办事处等有关成员单位",
     "区委网信办|市公安局大武口区分局|区自然资源局|区农业农村和水务局|区应急管理局|文化旅游广电局|星海镇|各街道办事处",
     "区委网信办|市公安局大武口区分局|区自然资源局|区农业农村和水务局|区应急管理局|区文化旅游广电局|星海镇|各街道办事处"},
    /* 及 splits; 按职责分工负责 dropped */
    {"001:1981", "大武口区", "区住房城乡建设和交通局、市市场监督管理局大武口区分局、市生态环境局大武口区分局、星海镇及各街道办事处",
     "区住房城乡建设和交通局|市市场监督管理局大武口区分局|市生态环境局大武口区分局|星海镇|各街道办事处",
     "区住房城乡建设和交通局|市市场监督管理局大武口区分局|市生态环境局大武口分局|星海镇|各街道办事处"},
    {"001:6580", "大武口区",
     "区卫生健康局、教育体育局、人力资源和社会保障局、市市场监督管理局大武口区分局、各基层医疗机构按职责分工负责",
     "区卫生健康局|教育体育局|人力资源和社会保障局|市市场监督管理局大武口区分局|各基层医疗机构",
     "区卫生健康局|区教育体育局|区人力资源和社会保障局|市市场监督管理局大武口区分局|各基层医疗机构"},
    {"001:8104", "大武口区", "区审批服务管理局等相关部门。完成时限:2021年底", "区审批服务管理局",
     "区审批服务管理局"},
    {"001:15972", "大武口区", "石嘴山高新区管委会、区发展和改革局、大武口区供电公司配合完成",
     "石嘴山高新区管委会|区发展和改革局|大武口区供电公司",
     "石嘴山高新区|区发展和改革局|国网石嘴山供电公司大武口分公司"},
    /* letter-spaced, wrapped cell (joined by the caller, spaces kept) */
    {"001:10332", "大武口区", "区 政 府办，区审批局，区司法局", "区政府办|区审批局|区司法局",
     "区政府办公室|区审批服务管理局|区司法局"},
    /* 002 (青铜峡市): names without 市 after the first; ； between roles;
     * distributive collectives 各镇、街道 -> 各镇 + 各街道 */
    {"002:119", "青铜峡市",
     "工业园区管委会、财政局、人力资源和社会保障局、自然资源局、农业农村局、文化旅游体育广电局、商务和投资促进局，各镇、街道",
     "工业园区管委会|财政局|人力资源和社会保障局|自然资源局|农业农村局|文化旅游体育广电局|商务和投资促进局|各镇|街道",
     "市工业园区管委会|市财政局|市人力资源和社会保障局|市自然资源局|市农业农村局|市文化旅游体育广电局|"
     "市商务和投资促进局|各镇|各街道"},
    {"002:119", "青铜峡市", "市发展和改革委员会、工业和信息化局、税务局",
     "市发展和改革委员会|工业和信息化局|税务局", "市发展和改革局|市工业和信息化局|市税务局"},
    {"002:900", "青铜峡市",
     "市财政局、交通运输局、商务和投资促进局、文化旅游体育广电局、卫生健康局、市场监督管理局，各镇、街道、农林场",
     "市财政局|交通运输局|商务和投资促进局|文化旅游体育广电局|卫生健康局|市场监督管理局|各镇|街道|农林场",
     "市财政局|市交通运输局|市商务和投资促进局|市文化旅游体育广电局|市卫生健康局|市市场监督管理局|"
     "各镇|各街道|各农林场"},
    {"002:1917", "青铜峡市", "检察院、公安局、水务局", "检察院|公安局|水务局",
     "市人民检察院|市公安局|市水务局"},
    {"002:231", "青铜峡市", "财 政 局 (金融工作局)", "财政局（金融工作局）", "市财政局"},
    {"002:718", "青铜峡市", "市教育局、公安局、团市委", "市教育局|公安局|团市委", "市教育局|市公安局|团市委"},
    /* 002 L790 (伊协) and dev aa03 (经委, 建委): short forms the directory learnt */
    {"002:790", "青铜峡市", "市伊协、经委、建委", "市伊协|经委|建委",
     "市伊斯兰教协会|市经济委员会|市建设委员会"},
    {"002:95", "青铜峡市", "市直各部门、单位", "市直各部门|单位", "市直各部门|市直各单位"},
    {"002:253", "青铜峡市", "人力资源和社会劳动保障局", "人力资源和社会劳动保障局",
     "市人力资源和社会保障局"},
    /* national bodies keep their names (the parser decides locality) */
    {"001:8640", "大武口区", "财政部牵头，审计署等国务院相关部门及各地区按职责分工负责",
     "财政部|审计署|各地区", "财政部|审计署|各地区"},
    {"rule", "大武口区", "自治区发展改革委、财政厅", "自治区发展改革委|财政厅",
     "自治区发展改革委|自治区财政厅"},
    /* a bare prefix as jurisdiction (no scoped aliases then) */
    {"rule", "区", "区卫健局、区发改局、财政局", "区卫健局|区发改局|财政局",
     "区卫生健康局|区发展和改革局|区财政局"},
    /* another county: stems apply under 县 */
    {"rule", "平罗县", "县卫健局、发改局、教体局", "县卫健局|发改局|教体局",
     "县卫生健康局|县发展和改革局|县教育体育局"},
    {"rule", NULL, "卫健局、区直各部门、各相关企业", "卫健局|区直各部门|各相关企业",
     "卫生健康局|区直各部门|各相关企业"},
    /* 团委 takes the prefix inside; a place name is never prefixed; with the
     * full jurisdiction, 大武口区X reads as 区X */
    {"rule", "区", "区文明办、团委、大武口百花市场农贸服务中心", "区文明办|团委|大武口百花市场农贸服务中心",
     "区委文明办|团区委|大武口百花市场农贸服务中心"},
    {"002:718", "市", "市教育局、团委", "市教育局|团委", "市教育局|团市委"},
    {"001:7598", "大武口区", "大武口区人力资源和社会保障局、大武口区税务局、区公安分局",
     "大武口区人力资源和社会保障局|大武口区税务局|区公安分局",
     "区人力资源和社会保障局|区税务局|市公安局大武口区分局"},
    {"002:1205", "市", "市民政局、残联", "市民政局|残联", "市民政局|市残联"},
    {"002:573", "青铜峡市", "文化旅游局、体育局、广电局", "文化旅游局|体育局|广电局", "市文化旅游体育广电局"},
    {"rule", "平罗县", "县人武部、交通局、工信局", "县人武部|交通局|工信局",
     "县人民武装部|县交通运输局|县工业和信息化局"},
    /* never inside brackets */
    {"rule", "大武口区", "区委、政府督查室（区委、政府督查室）、区审批局",
     "区委|政府督查室（区委、政府督查室）|区审批局",
     "区委|区政府督查室（区委、政府督查室）|区审批服务管理局"},
    {"rule", "大武口区", "", "", ""},
    /* corpus dev k12, k15: a lead mark before a name; a bracket 〔〕 holding 、 */
    {"dev k12", "市", "▲发改局、各部门", "发改局|各部门", "市发展和改革局|各部门"},
    {"dev k15", "市", "市发改委、相关县〔市、区〕政府", "市发改委|相关县〔市、区〕政府",
     "市发展和改革局|相关县〔市、区〕政府"},
    /* corpus dev j08: a note after the list, "…按職責分工負責，下同" */
    {"dev j08", "市", "市财政局，市交通局，下同", "市财政局|市交通局", "市财政局|市交通运输局"},
    /* corpus dev au07, bk05: a last bracket that says what the name includes
     * is the name's own, 下同 or not (as both golds read it); a note on the
     * list in the last bracket is not (dev p14 below the table's rows) */
    {"dev au07", "市", "市司法局、各县（市、区）法宣办（含高新区，下同）",
     "市司法局|各县（市、区）法宣办（含高新区，下同）",
     "市司法局|各县（市、区）法宣办（含高新区，下同）"},
    {"note", "市", "市卫健委、市财政局（列第一位为牵头单位，下同）", "市卫健委|市财政局",
     "市卫生健康局|市财政局"},
    /* corpus dev bk07: each where it governs, a role, not the name's */
    {"dev bk07", "省", "省外办，各市（地）政府（行署）按属地分别负责",
     "省外办|各市（地）政府（行署）", "省外办|各市（地）政府（行署）"},
};

static void join(const duban_strlist_t *l, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < l->count; i++)
        o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", i ? "|" : "",
                              l->items[i]);
}

static void test_table(const duban_dept_dir_t *dir)
{
    char got_p[2048], got_c[2048];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const ucase_t *c = &CASES[i];
        duban_strlist_t p = DUBAN_STRLIST_INIT, k = DUBAN_STRLIST_INIT;
        CHECK_INT(duban_dept_split_units(c->text, strlen(c->text), &p), DUBAN_OK);
        CHECK_INT(duban_dept_canonicalize(dir, &p, c->jurisdiction, &k), DUBAN_OK);
        join(&p, got_p, sizeof got_p);
        join(&k, got_c, sizeof got_c);
        if (strcmp(got_p, c->printed) || strcmp(got_c, c->canonical))
            fprintf(stderr, "case %s [%s]\n", c->src, c->text);
        CHECK_STR(got_p, c->printed);
        CHECK_STR(got_c, c->canonical);
        duban_strlist_free(&p);
        duban_strlist_free(&k);
    }
}

static void test_jurisdiction(const duban_dept_dir_t *dir)
{
    static const char *const J[][2] = {
        {"大武口区人民政府", "大武口区"}, {"大武口区人民政府办公室", "大武口区"},
        {"中共大武口区委员会", "大武口区"}, {"中共大武口区委办公室", "大武口区"},
        {"中共青铜峡市委员会办公室", "青铜峡市"}, {"青铜峡市人民政府", "青铜峡市"},
        {"宁夏回族自治区人民政府", "宁夏回族自治区"}, {"区人民政府", "区"},
        {"大武口区防汛抗旱指挥部", ""}, {"", ""}};
    char out[64];
    for (size_t i = 0; i < sizeof J / sizeof J[0]; i++) {
        bool ok = duban_dept_jurisdiction(dir, J[i][0], out, sizeof out);
        CHECK_STR(out, J[i][1]);
        CHECK(ok == (J[i][1][0] != '\0'));
    }
    CHECK(!duban_dept_jurisdiction(dir, "大武口区人民政府", out, 4));  /* too small */
}

/* A user file extends and overrides the embedded directory. */
static void test_user_file(void)
{
    char path[] = "/tmp/duban_dept_test_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char *json = "{\"departments\": [\n"
                       " {\"name\": \"区数据局\", \"aliases\": [\"区大数据局\"]},\n"
                       " {\"name\": \"行政审批服务局\", \"aliases\": [\"审批局\"]}\n]}\n";
    CHECK(write(fd, json, strlen(json)) == (ssize_t)strlen(json));
    close(fd);
    duban_dept_dir_t *dir = NULL;
    char err[256] = "";
    CHECK_INT(duban_dept_dir_new(&dir, err, sizeof err), DUBAN_OK);
    CHECK_INT(duban_dept_dir_load_file(dir, path, err, sizeof err), DUBAN_OK);
    duban_strlist_t p = DUBAN_STRLIST_INIT, k = DUBAN_STRLIST_INIT;
    const char *t = "区大数据局、审批局、卫健局";
    duban_dept_split_units(t, strlen(t), &p);
    duban_dept_canonicalize(dir, &p, "区", &k);
    char got[512];
    join(&k, got, sizeof got);
    CHECK_STR(got, "区数据局|区行政审批服务局|区卫生健康局");
    duban_strlist_free(&p);
    duban_strlist_free(&k);

    /* malformed JSON: the error names the file, line and column */
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("{\"departments\": [\n  {\"name\": \"x\",}\n]}\n", f);
        fclose(f);
    }
    CHECK_INT(duban_dept_dir_load_file(dir, path, err, sizeof err), DUBAN_E_PARSE);
    CHECK(strstr(err, path) != NULL && strstr(err, ":2:") != NULL);
    /* an entry without a name: the index is named */
    f = fopen(path, "w");
    if (f) {
        fputs("{\"departments\": [{\"name\": \"a\"}, {\"aliases\": [\"b\"]}]}", f);
        fclose(f);
    }
    CHECK_INT(duban_dept_dir_load_file(dir, path, err, sizeof err), DUBAN_E_PARSE);
    CHECK(strstr(err, "departments[1]") != NULL);
    unlink(path);
    CHECK_INT(duban_dept_dir_load_file(dir, path, err, sizeof err), DUBAN_E_IO);
    CHECK(strstr(err, path) != NULL);
    duban_dept_dir_destroy(dir);
}

static void test_args(void)
{
    duban_strlist_t l = DUBAN_STRLIST_INIT;
    CHECK_INT(duban_dept_split_units(NULL, 3, &l), DUBAN_E_INVAL);
    CHECK_INT(duban_dept_split_units("a", 1, NULL), DUBAN_E_INVAL);
    CHECK_INT(duban_dept_split_units(NULL, 0, &l), DUBAN_OK);
    CHECK_INT(l.count, 0);
    /* len is honoured; a long list takes the heap path */
    CHECK_INT(duban_dept_split_units("区财政局、区民政局", strlen("区财政局"), &l), DUBAN_OK);
    CHECK_INT(l.count, 1);
    duban_strlist_clear(&l);
    static char big[16 * 1024];
    size_t n = 0;
    while (n + 20 < sizeof big) {
        memcpy(big + n, "区财政局、", strlen("区财政局、"));
        n += strlen("区财政局、");
    }
    CHECK_INT(duban_dept_split_units(big, n, &l), DUBAN_OK);
    CHECK_INT(l.count, n / strlen("区财政局、"));
    duban_strlist_free(&l);
    duban_dept_dir_destroy(NULL);
}

/* Lookups are hashed: 200k canonicalisations of a 9-name list stay fast. */
static void test_speed(const duban_dept_dir_t *dir)
{
    const char *t = CASES[0].text;
    duban_strlist_t p = DUBAN_STRLIST_INIT, k = DUBAN_STRLIST_INIT;
    clock_t c0 = clock();
    size_t bytes = 0;
    for (int i = 0; i < 20000; i++) {
        duban_strlist_clear(&p);
        duban_strlist_clear(&k);
        duban_dept_split_units(t, strlen(t), &p);
        duban_dept_canonicalize(dir, &p, "大武口区", &k);
        bytes += strlen(t);
    }
    double s = (double)(clock() - c0) / CLOCKS_PER_SEC;
    printf("split+canonicalize: %.1f MB/s of unit lists (%.2f us per list)\n",
           s > 0 ? bytes / 1e6 / s : 0.0, s * 1e6 / 20000);
    CHECK(s < 5.0);
    duban_strlist_free(&p);
    duban_strlist_free(&k);
}

/* Canonical name of one printed name under a jurisdiction. */
static void canon1(const duban_dept_dir_t *dir, const char *name, const char *jur, char *out,
                   size_t cap)
{
    duban_strlist_t p = DUBAN_STRLIST_INIT, c = DUBAN_STRLIST_INIT;
    duban_strlist_push(&p, name);
    duban_dept_canonicalize(dir, &p, jur, &c);
    snprintf(out, cap, "%s", c.count ? c.items[0] : "");
    duban_strlist_free(&p);
    duban_strlist_free(&c);
}

/* The shipped directory is consistent: no alias means two departments in
 * one scope, and every alias resolves to its own entry. */
static void test_directory_data(const duban_dept_dir_t *dir)
{
    const duban_embedded_file_t *f = duban_embedded_get("departments.json");
    CHECK(f != NULL);
    if (!f)
        return;
    json_error_t jerr;
    json_t *root = json_loadb(f->data, f->len, 0, &jerr), *deps, *e;
    CHECK(root != NULL);
    deps = json_object_get(root, "departments");
    json_t *seen = json_object();
    size_t i, k, checked = 0;
    char got[512], want[512], in[512];
    json_array_foreach(deps, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *scope = json_string_value(json_object_get(e, "scope"));
        int stem = !scope && !json_is_true(json_object_get(e, "local")) &&
                   !json_is_true(json_object_get(e, "national")) &&
                   strncmp(name, "区", 3) && strncmp(name, "市", 3) &&
                   strncmp(name, "县", 3) && strncmp(name, "自治区", 9);
        json_t *aliases = json_object_get(e, "aliases");
        for (k = 0; k <= json_array_size(aliases); k++) {
            const char *al = k ? json_string_value(json_array_get(aliases, k - 1)) : name;
            if (!al || strstr(al, "{P}"))
                continue;
            snprintf(in, sizeof in, "%s|%s", scope ? scope : "", al);
            const char *prev = json_string_value(json_object_get(seen, in));
            if (prev && strcmp(prev, name) != 0)
                fprintf(stderr, "alias %s: both %s and %s\n", in, prev, name);
            CHECK(!prev || strcmp(prev, name) == 0);
            json_object_set_new(seen, in, json_string(name));
            if (stem) {                     /* under 区: 区 + canonical stem */
                const char *mark = strstr(name, "{P}");
                snprintf(in, sizeof in, "区%s", al);
                if (mark)
                    snprintf(want, sizeof want, "%.*s区%s", (int)(mark - name), name, mark + 3);
                else
                    snprintf(want, sizeof want, "区%s", name);
                canon1(dir, in, "区", got, sizeof got);
            } else {
                snprintf(want, sizeof want, "%s", name);
                canon1(dir, al, scope, got, sizeof got);
            }
            if (strcmp(got, want) != 0)
                fprintf(stderr, "directory: %s (scope %s) -> %s, want %s\n", al,
                        scope ? scope : "-", got, want);
            CHECK_STR(got, want);
            checked++;
        }
    }
    printf("directory: %zu aliases checked\n", checked);
    CHECK(checked > 200);
    json_decref(seen);
    json_decref(root);
}

/* Units the directory knows, as printed in other cities' documents, and
 * what it does not (a person, a phrase, an invented body). */
static void test_known(const duban_dept_dir_t *dir)
{
    static const char *const known[] = {
        "杭州市财政局", "市发改委", "区卫健局", "县委宣传部", "市场监管局", "各县（市、区）人民政府",
        "市直各部门", "各有关单位", "国网某某供电公司", "某某镇人民政府", "街道", "市生态环境分局",
        "市人力资源社会保障局", "县医保局", "省教育厅", "区财政局（金融工作局）", "高新区管委会", "泗洲头镇", NULL};
    static const char *const unknown[] = {"张三", "分管副市长", "加强协调", "县数智化推进专班",
                                          "各地要加强统筹", "现代化美丽城镇", "特色小镇", NULL};
    for (const char *const *k = known; *k; k++) {
        if (!duban_dept_known(dir, *k))
            fprintf(stderr, "not known: %s\n", *k);
        CHECK(duban_dept_known(dir, *k));
    }
    for (const char *const *k = unknown; *k; k++) {
        if (duban_dept_known(dir, *k))
            fprintf(stderr, "known: %s\n", *k);
        CHECK(!duban_dept_known(dir, *k));
    }
    CHECK(!duban_dept_known(NULL, "区财政局"));
    CHECK(!duban_dept_known(dir, ""));
}

int main(void)
{
    duban_dept_dir_t *dir = NULL;
    char err[256] = "";
    if (duban_dept_dir_new(&dir, err, sizeof err) != DUBAN_OK) {
        fprintf(stderr, "dept_dir_new: %s\n", err);
        return 1;
    }
    test_table(dir);
    test_directory_data(dir);
    test_jurisdiction(dir);
    test_known(dir);
    test_user_file();
    test_args();
    test_speed(dir);
    duban_dept_dir_destroy(dir);
    return CHECK_DONE();
}
