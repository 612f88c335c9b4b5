/* Delivery policy: backoff bounds, Retry-After, classification, the rate
 * limiter (never more than limit per window), circuit breaker, offsets. */
#include <stdlib.h>
#include "check.h"
#include "webhook_policy.h"

static void test_backoff(void)
{
    duban_webhook_retry_t p = {.max_attempts = 8, .base_ms = 1000, .max_ms = 60000,
                               .retry_after_max_ms = 300000};
    /* attempt k: within [d/2, d], d = min(max, base * 2^(k-1)) */
    for (int k = 1; k <= 10; k++) {
        long d = 1000L << (k - 1);
        if (d > 60000)
            d = 60000;
        long lo = 1L << 62, hi = 0;
        for (uint64_t r = 0; r < 5000; r++) {
            long v = duban_webhook_backoff_ms(&p, k, -1, r * 2654435761u);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        CHECK(lo >= d / 2 && hi <= d);
        CHECK(hi - lo > d / 4); /* jitter really spreads */
    }
    CHECK_INT(duban_webhook_backoff_ms(&p, 1, 0, 0), 500);   /* jitter floor */
    CHECK_INT(duban_webhook_backoff_ms(&p, 1, 7000, 0), 7000); /* Retry-After wins */
    CHECK_INT(duban_webhook_backoff_ms(&p, 1, 900000, 0), 300000); /* capped */
    CHECK_INT(duban_webhook_backoff_ms(&p, 5, 10, 0), 8000); /* shorter RA: backoff */
}

static void test_retry_after(void)
{
    long ms = -1;
    CHECK_INT(duban_webhook_retry_after_parse("3", 0, &ms), 0);
    CHECK_INT(ms, 3000);
    /* HTTP-date: 1994-11-06 08:49:37 GMT = 784111777 */
    CHECK_INT(duban_webhook_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT",
                                              784111777000LL - 5000, &ms), 0);
    CHECK_INT(ms, 5000);
    CHECK(duban_webhook_retry_after_parse("soon", 0, &ms) != 0);
}

static void test_classify(void)
{
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 200, false, "", NULL, 0), DUBAN_WEBHOOK_OK);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 204, false, NULL, NULL, 0), DUBAN_WEBHOOK_OK);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 500, false, "", NULL, 0), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 503, false, "", NULL, 0), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 429, false, "", NULL, 0), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 410, false, "", NULL, 0), DUBAN_WEBHOOK_DISABLE);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 404, false, "", NULL, 0), DUBAN_WEBHOOK_FINAL);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 400, false, "", NULL, 0), DUBAN_WEBHOOK_FINAL);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 0, true, "", NULL, 0), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_JSON, 0, false, "", NULL, 0), DUBAN_WEBHOOK_FINAL);
    char why[64];
    /* robots answer 200 with an errcode */
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_DINGTALK, 200, false,
              "{\"errcode\":0,\"errmsg\":\"ok\"}", why, sizeof(why)), DUBAN_WEBHOOK_OK);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_DINGTALK, 200, false,
              "{\"errcode\":130101,\"errmsg\":\"send too fast\"}", why, sizeof(why)), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_DINGTALK, 200, false,
              "{\"errcode\":310000,\"errmsg\":\"sign not match\"}", why, sizeof(why)), DUBAN_WEBHOOK_FINAL);
    CHECK_STR(why, "HTTP 200 errcode 310000");
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_WECOM, 200, false,
              "{\"errcode\":45009}", NULL, 0), DUBAN_WEBHOOK_RETRY);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_FEISHU, 200, false,
              "{\"code\":19021,\"msg\":\"sign match fail\"}", NULL, 0), DUBAN_WEBHOOK_FINAL);
    CHECK_INT(duban_webhook_classify(DUBAN_WEBHOOK_FEISHU, 200, false,
              "{\"code\":0}", NULL, 0), DUBAN_WEBHOOK_OK);
}

static void test_limiter(void)
{
    duban_webhook_limiter_t l;
    CHECK_INT(duban_webhook_limiter_init(&l, 20, 60000), 0);
    int64_t sent[400];
    int n = 0;
    /* try every 100 ms for 10 minutes */
    for (int64_t t = 0; t < 600000 && n < 400; t += 100)
        if (duban_webhook_limiter_take(&l, t))
            sent[n++] = t;
    CHECK_INT(n, 200);  /* 20 per minute, 10 minutes */
    int worst = 0;
    for (int i = 0; i < n; i++) {
        int in = 0;
        for (int j = i; j < n && sent[j] < sent[i] + 60000; j++)
            in++;
        worst = in > worst ? in : worst;
    }
    CHECK_INT(worst, 20);  /* never more than 20 in any minute */
    CHECK_INT(duban_webhook_limiter_ready_at(&l, sent[n - 1]), sent[n - 20] + 60000);
    duban_webhook_limiter_free(&l);
    CHECK_INT(duban_webhook_limiter_init(&l, 0, 1000), 0);  /* unlimited */
    for (int i = 0; i < 1000; i++)
        CHECK(duban_webhook_limiter_take(&l, 5));
    duban_webhook_limiter_free(&l);
}

static void test_breaker(void)
{
    duban_webhook_breaker_t b;
    duban_webhook_breaker_init(&b, 3, 1000);
    CHECK(duban_webhook_breaker_allow(&b, 0));
    duban_webhook_breaker_failure(&b, 0);
    duban_webhook_breaker_failure(&b, 0);
    CHECK(!duban_webhook_breaker_is_open(&b, 0));
    duban_webhook_breaker_failure(&b, 10);
    CHECK(duban_webhook_breaker_is_open(&b, 10));
    CHECK(!duban_webhook_breaker_allow(&b, 500));
    CHECK(duban_webhook_breaker_allow(&b, 1010));   /* half-open probe */
    CHECK(!duban_webhook_breaker_allow(&b, 1011));  /* only one */
    duban_webhook_breaker_failure(&b, 1100);        /* probe failed: open again */
    CHECK(duban_webhook_breaker_is_open(&b, 2000));
    CHECK(duban_webhook_breaker_allow(&b, 2100));
    duban_webhook_breaker_success(&b);
    CHECK(duban_webhook_breaker_allow(&b, 2101));
    CHECK(duban_webhook_breaker_allow(&b, 2102));
}

static void test_offsets(void)
{
    duban_webhook_offsets_t t;
    duban_webhook_offsets_init(&t);
    for (int64_t o = 10; o < 210; o++)
        CHECK_INT(duban_webhook_offsets_add(&t, o, o == 12 ? 2 : 1), 0);
    CHECK(duban_webhook_offsets_add(&t, 50, 1) != 0);   /* not increasing */
    CHECK_INT(duban_webhook_offsets_commit_to(&t), -1);
    duban_webhook_offsets_done(&t, 11);
    CHECK_INT(duban_webhook_offsets_commit_to(&t), -1);  /* 10 still open */
    duban_webhook_offsets_done(&t, 10);
    CHECK_INT(duban_webhook_offsets_commit_to(&t), 12);
    duban_webhook_offsets_done(&t, 12);                  /* one of two */
    duban_webhook_offsets_done(&t, 13);
    CHECK_INT(duban_webhook_offsets_commit_to(&t), -1);
    duban_webhook_offsets_done(&t, 12);
    CHECK_INT(duban_webhook_offsets_commit_to(&t), 14);
    for (int64_t o = 209; o >= 14; o--)
        duban_webhook_offsets_done(&t, o);
    CHECK_INT(duban_webhook_offsets_commit_to(&t), 210);
    CHECK_INT(duban_webhook_offsets_in_flight(&t), 0);
    CHECK_INT(duban_webhook_offsets_done(&t, 5), DUBAN_E_NOTFOUND);
    duban_webhook_offsets_free(&t);
}

int main(void)
{
    test_backoff();
    test_retry_after();
    test_classify();
    test_limiter();
    test_breaker();
    test_offsets();
    return CHECK_DONE();
}
