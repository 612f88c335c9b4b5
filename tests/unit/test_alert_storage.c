/* tests/unit/test_alert_storage.c: the alerter's storage and schedules
 * (alert/arena.h, alert/heaps.h) and the array growth and allocation
 * policy they use (core/alloc.h), against plain reference models: a string
 * is stored once and reads back, the key set holds exactly what was
 * inserted, the fire heap pops in (instant, index) order through updates
 * and removals, the event heap keeps arrival order among equal instants,
 * and an allocation the system refuses aborts with a message. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "alloc.h"
#include "arena.h"
#include "check.h"
#include "heaps.h"
#include "task_event.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_array_grow(void)
{
    size_t cap = 0;
    int *a = duban_array_grow(NULL, &cap, 1, sizeof(int), 16);
    CHECK(a != NULL);
    CHECK_INT(cap, 16);
    a = duban_array_grow(a, &cap, 17, sizeof(int), 16);
    CHECK_INT(cap, 32);
    int *same = duban_array_grow(a, &cap, 20, sizeof(int), 16);
    CHECK(same == a);
    size_t big = cap;
    CHECK(duban_array_grow(a, &big, SIZE_MAX / 2 + 2, sizeof(int), 16) == NULL);
    CHECK_INT(big, cap);                    /* unchanged on failure */
    free(a);
}

static void test_arena(void)
{
    duban_arena_t ar;
    duban_arena_init(&ar);
    CHECK_STR(duban_arena_str(&ar, DUBAN_ARENA_NIL), "");
    uint32_t a = duban_arena_intern(&ar, "区财政局xyz", strlen("区财政局"));
    uint32_t b = duban_arena_intern(&ar, "区财政局", strlen("区财政局"));
    uint32_t c = duban_arena_intern(&ar, "区财政", strlen("区财政"));
    CHECK(a != DUBAN_ARENA_NIL && a == b && c != a);
    CHECK_STR(duban_arena_str(&ar, a), "区财政局");
    CHECK_STR(duban_arena_str(&ar, c), "区财政");
    uint32_t d = duban_arena_add(&ar, "区财政局", strlen("区财政局"));
    CHECK(d != a);                          /* add stores again */
    /* many strings: every one interned once and read back after growth */
    char s[32];
    uint32_t offs[5000];
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(s, sizeof(s), "dept-%d", i);
        offs[i] = duban_arena_intern(&ar, s, (size_t)n);
    }
    size_t count = ar.interned.count;
    int bad = 0;
    for (int i = 0; i < 5000; i++) {
        int n = snprintf(s, sizeof(s), "dept-%d", i);
        bad += duban_arena_intern(&ar, s, (size_t)n) != offs[i] ||
               strcmp(duban_arena_str(&ar, offs[i]), s) != 0;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(ar.interned.count, count);
    CHECK_INT(count, 5002);
    duban_arena_free(&ar);
}

static void test_key_set(void)
{
    duban_key_set_t set = {0};
    CHECK(!duban_key_set_contains(&set, 7));
    uint64_t keys[3000];
    for (int i = 0; i < 3000; i++) {
        keys[i] = next_rand() | 1;
        duban_key_set_insert(&set, keys[i]);
    }
    duban_key_set_insert(&set, keys[10]);   /* again: no second copy */
    CHECK_INT(set.count, 3000);
    int missing = 0, extra = 0;
    for (int i = 0; i < 3000; i++) {
        missing += !duban_key_set_contains(&set, keys[i]);
        extra += duban_key_set_contains(&set, keys[i] + 2);   /* even+odd: not inserted */
    }
    CHECK_INT(missing, 0);
    CHECK(extra <= 1);                       /* a random collision at most */
    duban_key_set_free(&set);
}

/* The fire heap against a reference: the minimum (at, idx) of an array. */
static void test_fire_heap(void)
{
    enum { N = 2000 };
    static int64_t ref[N];
    duban_fire_heap_t h = {0};
    for (int i = 0; i < N; i++)
        ref[i] = INT64_MAX;
    int wrong = 0;
    for (int step = 0; step < 20000; step++) {
        uint32_t idx = (uint32_t)(next_rand() % N);
        int64_t at = (next_rand() % 4 == 0) ? INT64_MAX : (int64_t)(next_rand() % 500);
        duban_fire_heap_set(&h, idx, at);
        ref[idx] = at;
        if (step % 7 == 0) {   /* pop the top as the engine does */
            uint32_t top = 0;
            int64_t got = duban_fire_heap_top(&h, &top);
            int64_t want = INT64_MAX;
            uint32_t want_idx = 0;
            for (uint32_t i = 0; i < N; i++)
                if (ref[i] < want) {
                    want = ref[i];
                    want_idx = i;
                }
            wrong += got != want || (want != INT64_MAX && top != want_idx);
            if (want != INT64_MAX) {
                duban_fire_heap_set(&h, top, INT64_MAX);
                ref[top] = INT64_MAX;
            }
        }
    }
    CHECK_INT(wrong, 0);
    size_t in = 0;
    for (int i = 0; i < N; i++)
        in += ref[i] != INT64_MAX;
    CHECK_INT(h.len, in);
    duban_fire_heap_free(&h);
}

static void test_event_heap(void)
{
    duban_event_heap_t h = {0};
    CHECK_INT(duban_event_heap_next_at(&h), INT64_MAX);
    /* instants 3,1,3,2,1: pops 1(a) 1(b) 2 3(a) 3(b) by arrival */
    int64_t ats[] = {3, 1, 3, 2, 1};
    for (int i = 0; i < 5; i++) {
        duban_task_event_t *ev = calloc(1, sizeof(*ev));
        duban_task_event_init(ev);
        ev->source_line = i;   /* arrival number */
        duban_event_heap_push(&h, ev, ats[i]);
    }
    int64_t want_at[] = {1, 1, 2, 3, 3};
    int want_arrival[] = {1, 4, 3, 0, 2};
    for (int i = 0; i < 5; i++) {
        CHECK_INT(duban_event_heap_next_at(&h), want_at[i]);
        int64_t at;
        duban_task_event_t *ev = duban_event_heap_pop(&h, &at);
        CHECK_INT(at, want_at[i]);
        CHECK_INT(ev->source_line, want_arrival[i]);
        duban_task_event_destroy(ev);
    }
    CHECK_INT(h.len, 0);
    duban_task_event_t *left = calloc(1, sizeof(*left));
    duban_task_event_init(left);
    duban_event_heap_push(&h, left, 9);
    duban_event_heap_free(&h);   /* destroys what is left (ASan: no leak) */
}

/* The policy: a refused allocation prints "duban: out of memory" and
 * aborts (in a child process). Not under ASan, whose allocator reports a
 * refused size itself unless allocator_may_return_null is set. */
static void test_oom_aborts(void)
{
#if defined(__SANITIZE_ADDRESS__)
    printf("oom: skipped under AddressSanitizer\n");
#else
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        volatile size_t huge = SIZE_MAX / 2;
        void *p = duban_xmalloc(huge);   /* must not return */
        free(p);
        _exit(0);
    }
    close(fds[1]);
    char msg[128] = "";
    ssize_t n = read(fds[0], msg, sizeof(msg) - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(msg, "duban: out of memory (") == msg);
    char *s = duban_xstrndup("区财政局abc", strlen("区财政局"));
    CHECK_STR(s, "区财政局");
    free(s);
#endif
}

int main(void)
{
    test_array_grow();
    test_arena();
    test_key_set();
    test_fire_heap();
    test_event_heap();
    test_oom_aborts();
    return CHECK_DONE();
}
