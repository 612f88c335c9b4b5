/* tests/unit/test_status_tokens.c: duban-status's token file and its
 * Idempotency-Key table. Tokens: add prints a token the file never holds
 * (only its SHA-256), check finds its principal, a revoked or unknown or
 * malformed one is refused, a running table picks up a revocation and an
 * addition from the file, a broken file is an error naming the line.
 * Idempotency: first run, replay of a final answer, a retry while running,
 * the same key for another request, a 5xx forgotten, a 202 learnt from the
 * log, expiry and the size cap. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "date.h"
#include "status_idem.h"
#include "status_tokens.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    static char buf[65536];
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* What the running table answers for auth once it has reread its file (at
 * most every STATUS_TOKENS_RECHECK_MS): polled every 10 ms until it is
 * `want`, for 5 s at most; the last answer (the caller's CHECK names it). */
static status_auth_t await_auth(status_tokens_t *t, const char *auth, status_auth_t want,
                                status_principal_t *who)
{
    int64_t end = duban_now_ms() + 5000;
    status_auth_t got;
    while ((got = status_tokens_check(t, auth, who)) != want && duban_now_ms() < end)
        usleep(10 * 1000);
    return got;
}

static void test_tokens(void)
{
    char dir[] = "/tmp/duban-tokens-XXXXXX", path[256], err[256], auth[200];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/tokens.jsonl", dir);
    status_tokens_t *t = NULL;
    CHECK(status_tokens_open(path, &t, err, sizeof(err)) == DUBAN_OK);   /* missing: empty */
    CHECK_INT(status_tokens_live(t), 0);
    char tok1[128], tok2[128], id1[16], id2[16];
    CHECK(status_tokens_add(path, STATUS_PRINCIPAL_DEPARTMENT, "区卫生健康局", duban_now_ms(),
                            tok1, sizeof(tok1), id1, err, sizeof(err)) == DUBAN_OK);
    CHECK(status_tokens_add(path, STATUS_PRINCIPAL_SUPERVISOR, "区政府督查室", duban_now_ms(),
                            tok2, sizeof(tok2), id2, err, sizeof(err)) == DUBAN_OK);
    CHECK(strncmp(tok1, "dbn_", 4) == 0 && strlen(tok1) == 52 && strcmp(tok1, tok2) != 0);
    const char *file = slurp(path);
    CHECK(strstr(file, tok1 + 4) == NULL && strstr(file, tok2 + 4) == NULL);  /* hashes only */
    CHECK(strstr(file, id1) && strstr(file, "区卫生健康局"));
    status_principal_t who;
    snprintf(auth, sizeof(auth), "Bearer %s", tok1);
    CHECK_INT(await_auth(t, auth, STATUS_AUTH_OK, &who), STATUS_AUTH_OK);   /* added: noticed */
    CHECK_INT(who.kind, STATUS_PRINCIPAL_DEPARTMENT);
    CHECK_STR(who.name, "区卫生健康局");
    CHECK_STR(who.id, id1);
    snprintf(auth, sizeof(auth), "bearer   %s  ", tok2);
    CHECK_INT(status_tokens_check(t, auth, &who), STATUS_AUTH_OK);
    CHECK_INT(who.kind, STATUS_PRINCIPAL_SUPERVISOR);
    CHECK_INT(status_tokens_check(t, NULL, &who), STATUS_AUTH_MISSING);
    CHECK_INT(status_tokens_check(t, "Basic abc", &who), STATUS_AUTH_MISSING);
    CHECK_INT(status_tokens_check(t, "Bearer ", &who), STATUS_AUTH_MISSING);
    CHECK_INT(status_tokens_check(t, "Bearer dbn_0000", &who), STATUS_AUTH_INVALID);
    char longtok[400];
    memset(longtok, 'a', sizeof(longtok) - 1);
    longtok[sizeof(longtok) - 1] = '\0';
    memcpy(longtok, "Bearer ", 7);
    CHECK_INT(status_tokens_check(t, longtok, &who), STATUS_AUTH_INVALID);
    /* revoked in the file: the running table notices */
    CHECK(status_tokens_revoke(path, id1, duban_now_ms(), err, sizeof(err)) == DUBAN_OK);
    CHECK(status_tokens_revoke(path, "000000000000", duban_now_ms(), err, sizeof(err)) ==
          DUBAN_E_NOTFOUND);
    snprintf(auth, sizeof(auth), "Bearer %s", tok1);
    CHECK_INT(await_auth(t, auth, STATUS_AUTH_REVOKED, &who), STATUS_AUTH_REVOKED);
    CHECK_INT(status_tokens_live(t), 1);
    status_tokens_destroy(t);
    /* a broken line: an error naming it */
    FILE *f = fopen(path, "a");
    fputs("{\"id\":\"x\"}\n", f);
    fclose(f);
    t = NULL;
    CHECK(status_tokens_open(path, &t, err, sizeof(err)) == DUBAN_E_PARSE);
    CHECK(strstr(err, "line 4") != NULL);
    CHECK(t == NULL);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static void test_idempotency(void)
{
    status_idem_t *m = status_idem_new(1000, 3);
    unsigned st = 0;
    char *body = NULL;
    CHECK_INT(status_idem_begin(m, "k1", "fp1", 0, &st, &body), STATUS_IDEM_NEW);
    CHECK_INT(status_idem_begin(m, "k1", "fp1", 1, &st, &body), STATUS_IDEM_IN_FLIGHT);
    status_idem_finish(m, "k1", 202, "{\"event_id\":\"e\"}", 2);
    CHECK_INT(status_idem_begin(m, "k1", "fp1", 3, &st, &body), STATUS_IDEM_REPLAY);
    CHECK_INT(st, 202);
    CHECK_STR(body, "{\"event_id\":\"e\"}");
    free(body);
    CHECK_INT(status_idem_begin(m, "k1", "fp2", 3, &st, &body), STATUS_IDEM_MISMATCH);
    /* a 5xx is forgotten: the retry runs */
    CHECK_INT(status_idem_begin(m, "k2", "fp", 4, &st, &body), STATUS_IDEM_NEW);
    status_idem_abandon(m, "k2");
    CHECK_INT(status_idem_begin(m, "k2", "fp", 5, &st, &body), STATUS_IDEM_NEW);
    status_idem_finish(m, "k2", 409, "{}", 5);
    /* learnt from the log: a replay; a key known already is kept as it is */
    status_idem_learn(m, "k3", "fp3", "{\"offset\":7}", 6, 6);
    status_idem_learn(m, "k1", "other", "{}", 6, 6);
    CHECK_INT(status_idem_begin(m, "k3", "fp3", 7, &st, &body), STATUS_IDEM_REPLAY);
    CHECK_STR(body, "{\"offset\":7}");
    free(body);
    CHECK_INT(status_idem_begin(m, "k1", "fp1", 7, &st, &body), STATUS_IDEM_REPLAY);
    free(body);
    /* the cap (3): a fourth key pushes the oldest out */
    CHECK_INT(status_idem_begin(m, "k4", "fp", 8, &st, &body), STATUS_IDEM_NEW);
    status_idem_finish(m, "k4", 202, "{}", 8);
    CHECK_INT(status_idem_begin(m, "k5", "fp", 9, &st, &body), STATUS_IDEM_NEW);
    CHECK(status_idem_count(m) <= 4);
    status_idem_finish(m, "k5", 202, "{}", 9);
    /* expiry: 1000 ms after the answer */
    CHECK_INT(status_idem_begin(m, "k5", "fp", 2000, &st, &body), STATUS_IDEM_NEW);
    status_idem_learn(m, "old", "fp", "{}", 0, 5000);   /* expired already: not kept */
    CHECK_INT(status_idem_begin(m, "old", "x", 5000, &st, &body), STATUS_IDEM_NEW);
    status_idem_destroy(m);
}

int main(void)
{
    test_tokens();
    test_idempotency();
    return CHECK_DONE();
}
