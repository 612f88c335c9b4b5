/* Webhook request building: signatures against published worked examples,
 * the four body formats, templates, the UTF-8 cut and digests. */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "check.h"
#include "webhook_format.h"

static json_t *alert(const char *id, const char *kind, int days)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:[s], s:s, s:s, s:s, s:i, s:s, s:s,"
                     " s:[s], s:[s], s:s}",
        "type", "DeadlineAlert", "alert_id", id, "task_id", "石大政发〔2022〕56号#二.(一).3",
        "doc_id", "石大政发〔2022〕56号", "departments", "区发展和改革局",
        "kind", kind, "level", "YELLOW", "due_date", "2023-06-30", "days_left", days,
        "doc_title", "石家庄市大兴区优化营商环境行动方案", "outline_path", "二.(一).3",
        "lead_departments", "区发展和改革局", "cooperating_departments", "区财政局",
        "occurred_at", "2023-06-27T09:00:00+08:00");
}

static void test_signatures(void)
{
    /* Standard Webhooks / Svix published test vector (secret, id,
     * timestamp, payload -> signature); also what the npm package
     * standardwebhooks 1.1.1 computes. */
    duban_strlist_t secrets = DUBAN_STRLIST_INIT;
    duban_strlist_push(&secrets, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    char *sig = NULL;
    const char *body = "{\"test\": 2432232314}";
    CHECK_INT(duban_webhook_sign_standard(&secrets, "msg_p5jXN8AQM9LWM0D4loKWxJek",
                                          1614265330, body, strlen(body), &sig, NULL, 0), 0);
    CHECK_STR(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    free(sig);
    /* rotation: a second secret adds a second signature, space separated */
    duban_strlist_push(&secrets, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    duban_webhook_sign_standard(&secrets, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                body, strlen(body), &sig, NULL, 0);
    CHECK_STR(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= "
                   "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    free(sig);
    duban_strlist_clear(&secrets);
    duban_strlist_push(&secrets, "whsec_!!!notbase64");
    CHECK(duban_webhook_sign_standard(&secrets, "x", 1, "b", 1, &sig, NULL, 0) != 0);
    duban_strlist_free(&secrets);

    /* DingTalk: the vendor's documented Python sample (加签: timestamp+"\n"+
     * secret, HmacSHA256 keyed by the secret, Base64, quote_plus), run with
     * secret 'this is secret' and timestamp 1577262236757. */
    CHECK_INT(duban_webhook_sign_dingtalk("this is secret", 1577262236757LL, &sig), 0);
    CHECK_STR(sig, "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
    free(sig);

    /* Feishu: the vendor's documented gen_sign (key = timestamp+"\n"+secret,
     * empty message), run with its example timestamp 1599360473, secret demo. */
    char fs[45];
    duban_webhook_sign_feishu("demo", 1599360473, fs);
    CHECK_STR(fs, "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
}

static void test_render(void)
{
    json_t *a = alert("a1", "DUE_SOON", 3);
    char *text = NULL;
    CHECK_INT(duban_webhook_render(NULL, a, &text, NULL, 0), 0);
    CHECK_STR(text, "【督办提醒】《石家庄市大兴区优化营商环境行动方案》第二.(一).3项任务"
                    "（牵头单位：区发展和改革局）将于2023年6月30日到期，剩余3个工作日");
    free(text);
    json_object_set_new(a, "kind", json_string("OVERDUE"));
    json_object_set_new(a, "days_left", json_integer(-2));
    duban_webhook_render("{level_cn}|{status_phrase}|{days_left}|{unknown}|{", a, &text, NULL, 0);
    CHECK_STR(text, "黄灯|已于2023年6月30日到期，已逾期2个工作日|-2|{unknown}|{");
    free(text);
    /* {task_ref}: the outline path as a reader names the place. */
    static const char *const refs[][2] = {
        {"二.(一).3", "第二.(一).3项"},    {"一", "第一项"},
        {"附件.一.(一).1", "附件第一.(一).1项"}, {"附件.表1.R51", "附件表1第51行"},
        {"表1.1", "表1第1项"},             {"附件9.第三条", "附件9第三条"},
        {"正文2", "正文第2段"},             {"一.(一)/2", "第一.(一)项"},
        {"第二章.第三节.表1.R1", "第二章第三节表1第1行"}, {"五.第二阶段", "第五项第二阶段"},
        {"附件2.任务1.(一)", "附件2任务1第(一)项"}, {"", ""},
    };
    for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
        json_object_set_new(a, "outline_path", json_string(refs[i][0]));
        duban_webhook_render("{task_ref}", a, &text, NULL, 0);
        CHECK_STR(text, refs[i][1]);
        free(text);
    }
    json_object_set_new(a, "outline_path", json_string("二.(一).3"));
    /* No lead named: say so (the alert then goes to the supervising office,
     * which must not read as if it were the lead unit). */
    json_object_set_new(a, "lead_departments", json_array());
    duban_webhook_render("{lead_departments}", a, &text, NULL, 0);
    CHECK_STR(text, "未明确");
    free(text);
    /* An alert without the field at all (another producer): its departments. */
    json_object_del(a, "lead_departments");
    duban_webhook_render("{lead_departments}", a, &text, NULL, 0);
    CHECK_STR(text, "区发展和改革局");
    free(text);
    json_decref(a);
}

static const char *header(const duban_webhook_request_t *r, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < r->headers.count; i++)
        if (strncmp(r->headers.items[i], name, n) == 0 && r->headers.items[i][n] == ':')
            return r->headers.items[i] + n + 2;
    return NULL;
}

static void test_json_format(void)
{
    json_t *a = alert("alert-7", "DUE_SOON", 3);
    const json_t *alerts[] = {a};
    duban_strlist_t secrets = DUBAN_STRLIST_INIT, extra = DUBAN_STRLIST_INIT;
    duban_strlist_push(&secrets, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    duban_strlist_push(&extra, "X-Tenant: dx");
    duban_webhook_target_t t = {.url = "http://h/x", .format = DUBAN_WEBHOOK_JSON,
                                .secrets = &secrets, .headers = &extra};
    duban_webhook_request_t r;
    CHECK_INT(duban_webhook_build(&t, alerts, 1, 1700000000123LL, &r, NULL, 0), 0);
    CHECK_STR(r.url, "http://h/x");
    CHECK_STR(header(&r, "webhook-id"), "alert-7");
    CHECK_STR(header(&r, "webhook-timestamp"), "1700000000");
    CHECK_STR(header(&r, "X-Tenant"), "dx");
    char *want = NULL;
    duban_webhook_sign_standard(&secrets, "alert-7", 1700000000, r.body, r.body_len, &want, NULL, 0);
    CHECK_STR(header(&r, "webhook-signature"), want);
    free(want);
    json_t *ce = json_loads(r.body, 0, NULL);
    CHECK_STR(json_string_value(json_object_get(ce, "specversion")), "1.0");
    CHECK_STR(json_string_value(json_object_get(ce, "id")), "alert-7");
    CHECK_STR(json_string_value(json_object_get(ce, "type")), "gov.duban.DeadlineAlert");
    CHECK_STR(json_string_value(json_object_get(ce, "time")), "2023-06-27T09:00:00+08:00");
    json_t *data = json_object_get(ce, "data");
    CHECK_STR(json_string_value(json_object_get(data, "due_date")), "2023-06-30");
    CHECK(strstr(json_string_value(json_object_get(data, "message")), "剩余3个工作日") != NULL);
    json_decref(ce);
    duban_webhook_request_free(&r);
    duban_strlist_free(&secrets);
    duban_strlist_free(&extra);
    json_decref(a);
}

/* The CloudEvent as a jansson object, as json_pack would build it: the
 * body must be exactly its json_dumps(JSON_COMPACT). */
static char *ce_reference(const json_t *a, const char *text)
{
    json_t *data = json_copy((json_t *)a);
    json_object_set_new(data, "message", json_string(text));
    json_t *ce = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "specversion", "1.0",
        "id", json_string_value(json_object_get(a, "alert_id")) ?: "",
        "source", "urn:duban:notifier", "type", "gov.duban.DeadlineAlert",
        "subject", json_string_value(json_object_get(a, "task_id")) ?: "",
        "datacontenttype", "application/json", "data", data);
    const char *time = json_string_value(json_object_get(a, "occurred_at"));
    if (time)
        json_object_set_new(ce, "time", json_string(time));
    char *s = json_dumps(ce, JSON_COMPACT);
    json_decref(ce);
    return s;
}

static void check_ce_bytes(json_t *a)
{
    const json_t *alerts[] = {a};
    duban_webhook_target_t t = {.url = "http://h/x", .format = DUBAN_WEBHOOK_JSON};
    duban_webhook_request_t r;
    CHECK_INT(duban_webhook_build(&t, alerts, 1, 1700000000123LL, &r, NULL, 0), 0);
    json_t *ce = json_loads(r.body ? r.body : "", 0, NULL);
    const char *text = json_string_value(json_object_get(json_object_get(ce, "data"),
                                                         "message"));
    CHECK(text != NULL);
    char *want = ce_reference(a, text ? text : "");
    CHECK_STR(r.body, want);
    CHECK_INT(r.body_len, want ? strlen(want) : 0);
    free(want);
    json_decref(ce);
    duban_webhook_request_free(&r);
}

static void test_json_body_bytes(void)
{
    json_t *a = alert("alert-7", "DUE_SOON", 3);
    check_ce_bytes(a);
    /* an alert carrying message (replaced in place), odd values, escapes */
    json_object_set_new(a, "message", json_string("old"));
    json_object_set_new(a, "note", json_string("tab\there \"q\" \\ \x01\x1f / é 🙂"));
    json_object_set_new(a, "nested", json_pack("{s:[i, f, b, n, {}], s:{}}", "l", -42, 2.5,
                                               1, "e"));
    json_object_set_new(a, "big", json_integer(-9007199254740993LL));
    json_object_set_new(a, "ratio", json_real(1e300));
    check_ce_bytes(a);
    json_object_del(a, "occurred_at");
    json_object_del(a, "alert_id");
    check_ce_bytes(a);
    json_decref(a);
    json_t *empty = json_object();
    check_ce_bytes(empty);
    json_decref(empty);
}

static void test_robot_formats(void)
{
    json_t *a = alert("a1", "DUE_TODAY", 0);
    const json_t *alerts[] = {a};
    duban_strlist_t secrets = DUBAN_STRLIST_INIT;
    duban_strlist_push(&secrets, "this is secret");
    duban_webhook_request_t r;
    duban_webhook_target_t t = {.url = "https://oapi.dingtalk.com/robot/send?access_token=T",
                                .format = DUBAN_WEBHOOK_DINGTALK, .secrets = &secrets};
    CHECK_INT(duban_webhook_build(&t, alerts, 1, 1577262236757LL, &r, NULL, 0), 0);
    CHECK_STR(r.url, "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1577262236757"
                     "&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
    json_t *b = json_loads(r.body, 0, NULL);
    CHECK_STR(json_string_value(json_object_get(b, "msgtype")), "markdown");
    CHECK(strstr(json_string_value(json_object_get(json_object_get(b, "markdown"), "text")),
                 "将于今天（2023年6月30日）到期") != NULL);
    json_decref(b);
    duban_webhook_request_free(&r);

    t.format = DUBAN_WEBHOOK_FEISHU;
    t.url = "https://open.feishu.cn/open-apis/bot/v2/hook/H";
    duban_strlist_clear(&secrets);
    duban_strlist_push(&secrets, "demo");
    CHECK_INT(duban_webhook_build(&t, alerts, 1, 1599360473000LL, &r, NULL, 0), 0);
    b = json_loads(r.body, 0, NULL);
    CHECK_STR(json_string_value(json_object_get(b, "timestamp")), "1599360473");
    CHECK_STR(json_string_value(json_object_get(b, "sign")), "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
    CHECK_STR(json_string_value(json_object_get(b, "msg_type")), "text");
    CHECK_STR(r.url, "https://open.feishu.cn/open-apis/bot/v2/hook/H");
    json_decref(b);
    duban_webhook_request_free(&r);
    duban_strlist_free(&secrets);
    json_decref(a);
}

static void test_wecom_digest_limit(void)
{
    enum { N = 200 };
    json_t *a[N];
    char id[16];
    for (int i = 0; i < N; i++) {
        snprintf(id, sizeof(id), "a%d", i);
        a[i] = alert(id, "DUE_SOON", 3);
    }
    duban_webhook_target_t t = {.url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
                                .format = DUBAN_WEBHOOK_WECOM};
    duban_webhook_request_t r;
    CHECK_INT(duban_webhook_build(&t, (const json_t *const *)a, N, 0, &r, NULL, 0), 0);
    json_t *b = json_loads(r.body, 0, NULL);
    const char *content = json_string_value(json_object_get(json_object_get(b, "markdown"), "content"));
    CHECK(content != NULL && strlen(content) <= 4096);
    CHECK(r.alerts_used > 1 && r.alerts_used < N);
    char want[64];
    snprintf(want, sizeof(want), "【督办提醒汇总】共%zu条", r.alerts_used);
    CHECK(content && strstr(content, want) != NULL);
    /* every carried alert has its numbered line, whole */
    snprintf(want, sizeof(want), "%zu. 【督办提醒】", r.alerts_used);
    CHECK(content && strstr(content, want) != NULL);
    CHECK(content && content[strlen(content) - 1] != '\n');
    json_decref(b);
    duban_webhook_request_free(&r);

    /* one alert over the limit is cut on a character boundary */
    t.max_bytes = 100;
    CHECK_INT(duban_webhook_build(&t, (const json_t *const *)a, 1, 0, &r, NULL, 0), 0);
    b = json_loads(r.body, 0, NULL);  /* NULL if cut inside a character */
    content = json_string_value(json_object_get(json_object_get(b, "markdown"), "content"));
    CHECK(content != NULL && strlen(content) <= 100 && strlen(content) > 90);
    json_decref(b);
    duban_webhook_request_free(&r);
    for (int i = 0; i < N; i++)
        json_decref(a[i]);
}

int main(void)
{
    test_signatures();
    test_render();
    test_json_format();
    test_json_body_bytes();
    test_robot_formats();
    test_wecom_digest_limit();
    return CHECK_DONE();
}
