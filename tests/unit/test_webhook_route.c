/* Routing config: names, aliases, wildcards, default + unknown counter,
 * endpoint settings, and the errors a bad file gets. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "check.h"
#include "webhook_addr.h"
#include "webhook_route.h"

static const char *CFG =
    "{\"endpoints\":["
    " {\"id\":\"fgw\",\"url\":\"https://oapi.dingtalk.com/robot/send?access_token=x\","
    "  \"format\":\"dingtalk\",\"secret\":\"SEC1\",\"rate\":{\"limit\":20,\"window_ms\":60000},"
    "  \"headers\":{\"X-A\":\"b\"},\"retry\":{\"max_attempts\":3,\"base_ms\":10}},"
    " {\"id\":\"towns\",\"url\":\"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k\",\"format\":\"wecom\"},"
    " {\"id\":\"ops\",\"url\":\"http://ops.example/hook\",\"secrets\":[\"whsec_a2V5\",\"whsec_b2xk\"]}],"
    " \"routes\":["
    "  {\"department\":\"区发展和改革局\",\"aliases\":[\"区发改局\"],\"endpoints\":[\"fgw\",\"ops\"]},"
    "  {\"department\":\"*镇人民政府\",\"endpoints\":[\"towns\"]}],"
    " \"default\":[\"ops\"], \"template\":\"T {doc_title}\"}";

static duban_webhook_routes_t *load(const char *text, char *errbuf)
{
    json_t *j = json_loads(text, 0, NULL);
    duban_webhook_routes_t *r = NULL;
    errbuf[0] = '\0';
    duban_webhook_routes_parse(j, &r, errbuf, 256);
    json_decref(j);
    return r;
}

static void test_lookup(void)
{
    char errbuf[256];
    duban_webhook_routes_t *r = load(CFG, errbuf);
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "%s\n", errbuf);
        return;
    }
    size_t idx[8], n = 0;
    bool unknown;
    duban_webhook_routes_lookup(r, "区发展和改革局", idx, &n, 8, &unknown);
    CHECK_INT(n, 2);
    CHECK(!unknown);
    CHECK_STR(duban_webhook_routes_endpoint(r, idx[0])->id, "fgw");
    CHECK_STR(duban_webhook_routes_endpoint(r, idx[1])->id, "ops");
    duban_webhook_routes_lookup(r, "区发改局", idx, &n, 8, &unknown);  /* alias: no repeats */
    CHECK_INT(n, 2);
    n = 0;
    duban_webhook_routes_lookup(r, "长安镇人民政府", idx, &n, 8, &unknown);
    CHECK_INT(n, 1);
    CHECK_STR(duban_webhook_routes_endpoint(r, idx[0])->id, "towns");
    CHECK_INT(duban_webhook_routes_unknown_count(r), 0);
    n = 0;
    duban_webhook_routes_lookup(r, "区不存在局", idx, &n, 8, &unknown);
    CHECK(unknown);
    CHECK_INT(n, 1);
    CHECK_STR(duban_webhook_routes_endpoint(r, idx[0])->id, "ops");
    CHECK_INT(duban_webhook_routes_unknown_count(r), 1);
    n = 0;
    duban_webhook_routes_lookup(r, NULL, idx, &n, 8, &unknown);  /* no departments */
    CHECK(unknown && n == 1);
    CHECK_INT(duban_webhook_routes_unknown_count(r), 2);
    const duban_webhook_endpoint_t *ep = duban_webhook_routes_endpoint(r, 0);
    CHECK_INT(ep->format, DUBAN_WEBHOOK_DINGTALK);
    CHECK_INT(ep->rate_limit, 20);
    CHECK_INT(ep->rate_margin_ms, 1200);  /* window / 50 by default */
    CHECK_INT(ep->retry.max_attempts, 3);
    CHECK_INT(ep->retry.base_ms, 10);
    CHECK_INT(ep->retry.max_ms, 60000);  /* default kept */
    CHECK_STR(ep->headers.items[0], "X-A: b");
    CHECK_STR(ep->secrets.items[0], "SEC1");
    CHECK_INT(duban_webhook_routes_endpoint(r, 2)->secrets.count, 2);
    CHECK_INT(duban_webhook_routes_endpoint(r, 2)->digest_max, 1);  /* json: no digests */
    CHECK_STR(duban_webhook_routes_template(r), "T {doc_title}");
    duban_webhook_routes_destroy(r);
}

static void test_errors(void)
{
    char errbuf[256];
    CHECK(load("{\"endpoints\":[{\"id\":\"a\",\"url\":\"file:///etc/passwd\"}]}", errbuf) == NULL);
    CHECK(strstr(errbuf, "endpoints[0].url") != NULL);
    CHECK(load("{\"endpoints\":[{\"id\":\"a\",\"url\":\"http://x\",\"format\":\"sms\"}]}", errbuf) == NULL);
    CHECK(strstr(errbuf, "endpoints[0].format") != NULL);
    CHECK(load("{\"endpoints\":[{\"id\":\"a\",\"url\":\"http://x\"}],"
               "\"routes\":[{\"department\":\"d\",\"endpoints\":[\"b\"]}]}", errbuf) == NULL);
    CHECK(strstr(errbuf, "unknown endpoint \"b\"") != NULL);
    CHECK(load("{\"endpoints\":[{\"id\":\"a\",\"url\":\"http://x\"},{\"id\":\"a\",\"url\":\"http://y\"}]}",
               errbuf) == NULL);
    CHECK(strstr(errbuf, "duplicate id") != NULL);
    CHECK(load("{\"endpoints\":[{\"id\":\"a\",\"url\":\"http://x\",\"headers\":{\"X\":\"a\\r\\nEvil: 1\"}}]}",
               errbuf) == NULL);
    CHECK(duban_webhook_url_check("gopher://x", NULL, 0) != 0);
    CHECK(duban_webhook_url_check("HTTPS://x", NULL, 0) == 0);
}

static struct sockaddr_storage v4(const char *ip)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in *s = (struct sockaddr_in *)&ss;
    s->sin_family = AF_INET;
    inet_pton(AF_INET, ip, &s->sin_addr);
    return ss;
}

static struct sockaddr_storage v6(const char *ip)
{
    struct sockaddr_storage ss = {0};
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;
    s->sin6_family = AF_INET6;
    inet_pton(AF_INET6, ip, &s->sin6_addr);
    return ss;
}

static void test_internal_addresses(void)
{
    const char *bad4[] = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                          "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1"};
    const char *good4[] = {"8.8.8.8", "172.32.0.1", "203.119.1.1", "100.128.0.1"};
    const char *bad6[] = {"::1", "fe80::1", "fc00::1", "fd12::1", "::ffff:127.0.0.1", "::"};
    const char *good6[] = {"2001:4860:4860::8888", "::ffff:8.8.8.8"};
    for (size_t i = 0; i < sizeof(bad4) / sizeof(*bad4); i++) {
        struct sockaddr_storage s = v4(bad4[i]);
        CHECK(duban_webhook_addr_is_internal((struct sockaddr *)&s));
    }
    for (size_t i = 0; i < sizeof(good4) / sizeof(*good4); i++) {
        struct sockaddr_storage s = v4(good4[i]);
        CHECK(!duban_webhook_addr_is_internal((struct sockaddr *)&s));
    }
    for (size_t i = 0; i < sizeof(bad6) / sizeof(*bad6); i++) {
        struct sockaddr_storage s = v6(bad6[i]);
        CHECK(duban_webhook_addr_is_internal((struct sockaddr *)&s));
    }
    for (size_t i = 0; i < sizeof(good6) / sizeof(*good6); i++) {
        struct sockaddr_storage s = v6(good6[i]);
        CHECK(!duban_webhook_addr_is_internal((struct sockaddr *)&s));
    }
}

int main(void)
{
    test_lookup();
    test_errors();
    test_internal_addresses();
    return CHECK_DONE();
}
