/* Delivery policy: backoff bounds, Retry-After, classification, the rate
 * limiter (never more than limit per window), circuit breaker, offsets, the
 * fair scheduler (turns and shares whatever the file order, a hung
 * endpoint held to its share, more endpoints after a reload) and the
 * delivered set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A simulated notifier for the fair scheduler: queue[i] requests waiting
 * per endpoint, sent[] and the order of each endpoint's first send. */
typedef struct {
    int queue[8];
    int sent[8];
    int first[8];        /* position of each endpoint's first send, -1 none */
    int sends;
    int fail_fast[8];    /* requests settled without a slot (breaker open) */
    bool limited[8];     /* work, but the rate limit says not now */
} sim_t;

static duban_webhook_fair_step_t sim_step(size_t i, void *opaque)
{
    sim_t *s = opaque;
    if (s->fail_fast[i] > 0) {
        s->fail_fast[i]--;
        return DUBAN_WEBHOOK_FAIR_SETTLED;
    }
    if (s->queue[i] == 0)
        return DUBAN_WEBHOOK_FAIR_EMPTY;
    if (s->limited[i])
        return DUBAN_WEBHOOK_FAIR_IDLE;
    s->queue[i]--;
    s->sent[i]++;
    if (s->first[i] < 0)
        s->first[i] = s->sends;
    s->sends++;
    return DUBAN_WEBHOOK_FAIR_SENT;
}

/* queue[i] requests for endpoint i; endpoints get their work (are woken)
 * in the order of `woken`. */
static void sim_init(sim_t *s, duban_webhook_fair_t *f, const int *queue, const size_t *woken,
                     size_t n)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < 8; i++)
        s->first[i] = -1;
    for (size_t k = 0; k < n; k++) {
        s->queue[woken[k]] = queue[woken[k]];
        duban_webhook_fair_wake(f, woken[k]);
    }
}

/* A reloaded routing file adds endpoints: the round goes on in the same
 * order (from where it was, even wrapped round), counts are kept, and a new
 * endpoint takes its turn after those that had work before it. */
static void test_fair_grow(void)
{
    duban_webhook_fair_t f;
    sim_t s;
    CHECK_INT(duban_webhook_fair_init(&f, 3, 64), 0);
    sim_init(&s, &f, (int[3]){5, 5, 5}, (size_t[]){2, 0, 1}, 3);
    CHECK_INT(duban_webhook_fair_run(&f, 1, sim_step, &s), 1);   /* 2's turn */
    CHECK_INT(s.sent[2], 1);
    CHECK_INT(duban_webhook_fair_grow(&f, 5), 0);
    CHECK_INT(duban_webhook_fair_grow(&f, 4), 0);                /* fewer: no-op */
    CHECK_INT((int)f.count, 5);
    CHECK_INT(f.held[2], 1);
    CHECK_INT(f.total_held, 1);
    CHECK(f.held[3] == 0 && f.held[4] == 0 && !f.in_ring[3] && !f.in_ring[4]);
    s.queue[4] = 5;
    duban_webhook_fair_wake(&f, 4);
    int order[5] = {0};
    for (int k = 0; k < 5; k++) {
        int before[5];
        memcpy(before, s.sent, sizeof(before));
        CHECK_INT(duban_webhook_fair_run(&f, 1, sim_step, &s), 1);
        for (int i = 0; i < 5; i++)
            if (s.sent[i] != before[i])
                order[k] = i;
    }
    static const int want[5] = {0, 1, 2, 4, 0};
    for (int k = 0; k < 5; k++)
        CHECK_INT(order[k], want[k]);
    duban_webhook_fair_free(&f);
}

static void test_fair(void)
{
    duban_webhook_fair_t f;
    sim_t s;
    CHECK_INT(duban_webhook_fair_init(&f, 3, 64), 0);
    /* shares: 64 / endpoints with work, one slot kept free per other one */
    CHECK_INT(duban_webhook_fair_share(&f, 1), 62);
    CHECK_INT(duban_webhook_fair_share(&f, 2), 32);
    CHECK_INT(duban_webhook_fair_share(&f, 3), 21);
    CHECK_INT(duban_webhook_fair_share(&f, 0), 62);
    /* a backlog for each; the last endpoint in the file got work first:
     * turns follow the work, 2, 1, 0, and each gets its share (the old
     * code gave endpoint 0 all 64 slots) */
    int backlog[3] = {1000, 1000, 1000};
    sim_init(&s, &f, backlog, (size_t[]){2, 1, 0}, 3);
    CHECK_INT(duban_webhook_fair_current_share(&f), 21);
    CHECK_INT(duban_webhook_fair_run(&f, 64, sim_step, &s), 63);
    CHECK_INT(f.total_held, 63);
    CHECK_INT(s.sent[0], 21);
    CHECK_INT(s.sent[1], 21);
    CHECK_INT(s.sent[2], 21);
    CHECK(s.first[2] == 0 && s.first[1] == 1 && s.first[0] == 2);
    /* endpoint 0 hangs: nothing of it comes back; 1 and 2 complete and
     * keep the rest of the capacity: while they have work, 0 never holds
     * more than its share, and they send 42 requests at a time */
    int rounds = 0;
    while (s.queue[1] || s.queue[2]) {
        for (size_t i = 1; i < 3; i++)
            while (f.held[i] > 0)
                duban_webhook_fair_release(&f, i);
        int held = f.held[0] + f.held[1] + f.held[2];
        duban_webhook_fair_run(&f, 64 - held, sim_step, &s);
        CHECK(f.held[0] == 21);
        rounds++;
    }
    CHECK_INT(s.sent[1], 1000);
    CHECK_INT(s.sent[2], 1000);
    CHECK_INT(rounds, (1000 - 21 + 20) / 21);   /* 21 each round, none lost to 0 */
    /* alone, the hung endpoint may take more (work-conserving), all but
     * one slot for each other endpoint (the breaker stops it soon) */
    duban_webhook_fair_run(&f, 64 - f.held[0], sim_step, &s);
    CHECK_INT(f.held[0], 62);
    duban_webhook_fair_free(&f);

    /* one free slot at a time goes round the endpoints with work, in the
     * order they got it; the turn carries over from call to call */
    CHECK_INT(duban_webhook_fair_init(&f, 4, 64), 0);
    int four[4] = {10, 10, 10, 10};
    sim_init(&s, &f, four, (size_t[]){3, 0, 2, 1}, 4);
    int order[8] = {0};
    for (int k = 0; k < 8; k++) {
        int before[4];
        memcpy(before, s.sent, sizeof(before));
        CHECK_INT(duban_webhook_fair_run(&f, 1, sim_step, &s), 1);
        for (int i = 0; i < 4; i++)
            if (s.sent[i] != before[i])
                order[k] = i;
    }
    static const int want[8] = {3, 0, 2, 1, 3, 0, 2, 1};
    for (int k = 0; k < 8; k++)
        CHECK_INT(order[k], want[k]);
    duban_webhook_fair_free(&f);

    /* an endpoint alone uses its share, leaving a slot for each other one;
     * new work for another finds a free slot at once */
    CHECK_INT(duban_webhook_fair_init(&f, 4, 64), 0);
    sim_init(&s, &f, (int[4]){0, 0, 500, 0}, (size_t[]){2}, 1);
    CHECK_INT(duban_webhook_fair_run(&f, 64, sim_step, &s), 61);
    s.queue[3] = 5;
    duban_webhook_fair_wake(&f, 3);
    CHECK_INT(duban_webhook_fair_run(&f, 3, sim_step, &s), 3);
    CHECK_INT(s.sent[3], 3);   /* 2 holds 61, over its new share of 32 */
    CHECK_INT(s.sent[2], 61);
    /* failing fast takes no slot and does not end the round */
    s.fail_fast[1] = 3;
    s.queue[3] = 0;
    duban_webhook_fair_wake(&f, 1);
    CHECK_INT(duban_webhook_fair_run(&f, 2, sim_step, &s), 0);
    CHECK_INT(s.fail_fast[1], 0);
    CHECK(!f.in_ring[1] && !f.in_ring[3]);   /* no work left: out of the round */
    /* rate-limited (IDLE): stays in the round, others go on */
    for (size_t i = 0; i < 4; i++)
        while (f.held[i] > 0)
            duban_webhook_fair_release(&f, i);
    s.limited[2] = true;
    s.queue[0] = 2;
    duban_webhook_fair_wake(&f, 0);
    CHECK_INT(duban_webhook_fair_run(&f, 64, sim_step, &s), 2);
    CHECK(f.in_ring[2] && !f.in_ring[0]);
    s.limited[2] = false;
    CHECK_INT(duban_webhook_fair_run(&f, 1, sim_step, &s), 1);
    CHECK_INT(s.sent[2], 62);
    /* nothing to do: the call ends */
    sim_init(&s, &f, (int[4]){0, 0, 0, 0}, NULL, 0);
    CHECK_INT(duban_webhook_fair_run(&f, 64, sim_step, &s), 0);
    duban_webhook_fair_free(&f);
    /* more endpoints than capacity: each may hold one */
    CHECK_INT(duban_webhook_fair_init(&f, 100, 8), 0);
    CHECK_INT(duban_webhook_fair_share(&f, 100), 1);
    CHECK_INT(duban_webhook_fair_share(&f, 1), 4);
    duban_webhook_fair_free(&f);
}

static void test_delivered(void)
{
    duban_webhook_delivered_t *d = NULL;
    CHECK_INT(duban_webhook_delivered_new(130, &d), 0);
    char id[32];
    for (int i = 0; i < 5000; i++) {  /* grows past the first buckets */
        snprintf(id, sizeof(id), "alert-%d", i);
        CHECK_INT(duban_webhook_delivered_expect(d, id), 0);
    }
    CHECK_INT(duban_webhook_delivered_expect(d, "alert-7"), 0);  /* once */
    CHECK_INT(duban_webhook_delivered_alerts(d), 5000);
    /* an alert that will not be read again is not kept */
    CHECK(!duban_webhook_delivered_add(d, "other-1", 0, DUBAN_WEBHOOK_PAIR_DELIVERED));
    CHECK_INT(duban_webhook_delivered_get(d, "other-1", 0), DUBAN_WEBHOOK_PAIR_OPEN);
    CHECK(duban_webhook_delivered_add(d, "alert-7", 0, DUBAN_WEBHOOK_PAIR_DELIVERED));
    CHECK(duban_webhook_delivered_add(d, "alert-7", 129, DUBAN_WEBHOOK_PAIR_DEAD));
    CHECK(!duban_webhook_delivered_add(d, "alert-7", 130, DUBAN_WEBHOOK_PAIR_DEAD));
    CHECK_INT(duban_webhook_delivered_get(d, "alert-7", 0), DUBAN_WEBHOOK_PAIR_DELIVERED);
    CHECK_INT(duban_webhook_delivered_get(d, "alert-7", 129), DUBAN_WEBHOOK_PAIR_DEAD);
    CHECK_INT(duban_webhook_delivered_get(d, "alert-7", 64), DUBAN_WEBHOOK_PAIR_OPEN);
    CHECK_INT(duban_webhook_delivered_get(d, "alert-8", 0), DUBAN_WEBHOOK_PAIR_OPEN);
    /* delivered wins over dead, whichever comes first; a pair counts once */
    duban_webhook_delivered_add(d, "alert-7", 0, DUBAN_WEBHOOK_PAIR_DEAD);
    CHECK_INT(duban_webhook_delivered_get(d, "alert-7", 0), DUBAN_WEBHOOK_PAIR_DELIVERED);
    duban_webhook_delivered_add(d, "alert-7", 129, DUBAN_WEBHOOK_PAIR_DELIVERED);
    CHECK_INT(duban_webhook_delivered_get(d, "alert-7", 129), DUBAN_WEBHOOK_PAIR_DELIVERED);
    CHECK_INT(duban_webhook_delivered_pairs(d), 2);
    for (int i = 0; i < 5000; i += 2) {
        snprintf(id, sizeof(id), "alert-%d", i);
        duban_webhook_delivered_add(d, id, (size_t)i % 3, DUBAN_WEBHOOK_PAIR_DELIVERED);
    }
    int wrong = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(id, sizeof(id), "alert-%d", i);
        for (size_t e = 0; e < 3; e++) {
            bool want = (i % 2 == 0 && (size_t)i % 3 == e) || (i == 7 && e == 0);
            wrong += (duban_webhook_delivered_get(d, id, e) == DUBAN_WEBHOOK_PAIR_DELIVERED)
                     != want;
        }
    }
    CHECK_INT(wrong, 0);
    duban_webhook_delivered_destroy(d);
    duban_webhook_delivered_destroy(NULL);
}

int main(void)
{
    test_backoff();
    test_retry_after();
    test_classify();
    test_limiter();
    test_breaker();
    test_offsets();
    test_fair();
    test_fair_grow();
    test_delivered();
    return CHECK_DONE();
}
