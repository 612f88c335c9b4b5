/* tests/unit/test_status_framing.c: duban-status's request-head check
 * (status_framing.h), one row per head: the verdict, the status of a
 * refusal, and for an accepted head its length and declared body. Every
 * framing an attacker tried in issue 16 is a row, with the line endings
 * and spellings libmicrohttpd would read the same way. Then: every proper
 * prefix of an accepted head is MORE (never BAD, never OK), and a head over
 * the cap is 431. */
#include <string.h>
#include "check.h"
#include "status_framing.h"

#define REQ "POST /v1/tasks/a%23b/status HTTP/1.1\r\nHost: t\r\n"

typedef struct {
    const char *head;
    status_framing_verdict_t want;
    unsigned status;     /* BAD */
    int64_t body_len;    /* OK */
    size_t extra;        /* OK: bytes after the head (a body, a next request) */
    size_t len;          /* 0: strlen(head) */
} row_t;

#define OK(h, body, extra) {h, STATUS_FRAMING_OK, 0, body, extra, 0}
#define BAD(h) {h, STATUS_FRAMING_BAD, 400, 0, 0, 0}

static const row_t rows[] = {
    OK("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", 0, 0),
    OK("GET /healthz HTTP/1.1\r\n\r\n", 0, 0),
    OK(REQ "Content-Length: 2\r\n\r\n{}", 2, 2),
    OK(REQ "content-length:2\r\n\r\n{}", 2, 2),
    OK(REQ "Content-Length: \t 0\r\n\r\n", 0, 0),
    OK(REQ "Content-Length: 000000000000000002\r\n\r\n{}", 2, 2),        /* 18 digits */
    OK(REQ "Content-Length: 999999999999999999\r\n\r\n", 999999999999999999LL, 0),
    OK(REQ "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", -1, 12),
    OK(REQ "Transfer-Encoding: CHUNKED\r\n\r\n", -1, 0),
    OK("GET / HTTP/1.1\nHost: t\n\nGET / HTTP/1.1\n\n", 0, 16),             /* bare LF, as the library */
    OK("\r\n\nGET / HTTP/1.1\r\n\r\n", 0, 0),                              /* blank lines first */
    OK(REQ "X-Note: a\rb\r\n\r\n", 0, 0),                                  /* CR inside a line */
    OK(REQ "Content-Lengthx: -1\r\nX-Content-Length: zz\r\n\r\n", 0, 0),   /* other names */
    OK(REQ "Transfer-Encodings: gzip\r\n\r\n", 0, 0),
    /* what the attacker tried */
    BAD(REQ "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    BAD(REQ "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"),
    BAD(REQ "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x"),
    BAD(REQ "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"),
    BAD(REQ "Content-Length: 2, 2\r\n\r\n{}"),
    BAD(REQ "Transfer-Encoding: identity, chunked\r\n\r\n"),
    BAD(REQ "Transfer-Encoding: chunked, identity\r\n\r\n"),
    BAD(REQ "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
    BAD(REQ "Transfer-Encoding: gzip\r\n\r\n"),
    BAD(REQ "Transfer-Encoding: chunked \r\n\r\n"),
    BAD(REQ "Transfer-Encoding:\r\n\r\n"),
    BAD(REQ "Content-Length: -1\r\n\r\n{}"),
    BAD(REQ "Content-Length: 18446744073709551616\r\n\r\n{}"),
    BAD(REQ "Content-Length: 1000000000000000000\r\n\r\n"),                /* 19 digits */
    BAD(REQ "Content-Length: 1e3\r\n\r\n{}"),
    BAD(REQ "Content-Length: +2\r\n\r\n{}"),
    BAD(REQ "Content-Length: 0x2\r\n\r\n{}"),
    BAD(REQ "Content-Length: 2 \r\n\r\n{}"),                                /* the library keeps the space */
    BAD(REQ "Content-Length:\r\n\r\n"),
    BAD(REQ "Content-Length: 2\r\r\n\r\n{}"),                               /* "2\r": one CR is the line end */
    BAD(REQ "Content-Length: 2\nContent-Length: 3\n\n{}x"),
    /* lines the library would read another way than a proxy */
    BAD(REQ "Content-Length : 2\r\n\r\n{}"),
    BAD(REQ "Content-Length\t: 2\r\n\r\n{}"),
    BAD(REQ "X-Pad: a\r\n Content-Length: 5\r\n\r\n"),                      /* obs-fold */
    BAD(REQ "X-Pad: a\r\n\tb\r\n\r\n"),
    BAD(REQ "Content-Length 2\r\n\r\n"),
    BAD(REQ ": 2\r\n\r\n"),
#define NUL_ROW REQ "Content-Length: 2\0-1\r\n\r\n{}"
    {NUL_ROW, STATUS_FRAMING_BAD, 400, 0, 0, sizeof(NUL_ROW) - 1},
    /* the request line too: the library stops reading it at the NUL */
#define NUL_LINE "GET /\0x HTTP/1.1\r\n\r\n"
    {NUL_LINE, STATUS_FRAMING_BAD, 400, 0, 0, sizeof(NUL_LINE) - 1},
};

static void check_row(size_t i, const row_t *r)
{
    size_t len = r->len ? r->len : strlen(r->head);
    status_framing_t f;
    status_framing_verdict_t v = status_framing_check(r->head, len, STATUS_FRAMING_MAX_HEAD, &f);
    if (v != r->want)
        fprintf(stderr, "row %zu: verdict %d, want %d (%s)\n", i, v, r->want, f.why ? f.why : "");
    CHECK_INT(v, r->want);
    if (r->want == STATUS_FRAMING_BAD) {
        CHECK_INT(f.status, r->status);
        CHECK(f.why && *f.why);
        return;
    }
    CHECK_INT(f.head_len, len - r->extra);
    CHECK_INT(f.body_len, r->body_len);
    /* any proper prefix of the head is not yet a head, and not refused */
    for (size_t k = 0; k < f.head_len; k++) {
        status_framing_t g;
        if (status_framing_check(r->head, k, STATUS_FRAMING_MAX_HEAD, &g) != STATUS_FRAMING_MORE) {
            fprintf(stderr, "row %zu: prefix of %zu bytes is not MORE\n", i, k);
            CHECK(0);
            break;
        }
    }
}

static void check_caps(void)
{
    static char big[STATUS_FRAMING_MAX_HEAD + 64];
    status_framing_t f;
    size_t n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX-Pad: ");
    memset(big + n, 'a', sizeof(big) - n);
    CHECK_INT(status_framing_check(big, STATUS_FRAMING_MAX_HEAD - 1, STATUS_FRAMING_MAX_HEAD, &f),
              STATUS_FRAMING_MORE);
    CHECK_INT(status_framing_check(big, STATUS_FRAMING_MAX_HEAD, STATUS_FRAMING_MAX_HEAD, &f),
              STATUS_FRAMING_BAD);
    CHECK_INT(f.status, 431);
    /* a head of exactly the cap is accepted; one byte more is not */
    memcpy(big + STATUS_FRAMING_MAX_HEAD - 4, "\r\n\r\n", 4);
    CHECK_INT(status_framing_check(big, sizeof(big), STATUS_FRAMING_MAX_HEAD, &f), STATUS_FRAMING_OK);
    CHECK_INT(f.head_len, STATUS_FRAMING_MAX_HEAD);
    big[STATUS_FRAMING_MAX_HEAD - 4] = 'a';
    memcpy(big + STATUS_FRAMING_MAX_HEAD - 3, "\r\n\r\n", 4);
    CHECK_INT(status_framing_check(big, sizeof(big), STATUS_FRAMING_MAX_HEAD, &f), STATUS_FRAMING_BAD);
    CHECK_INT(f.status, 431);
    CHECK_INT(status_framing_check("", 0, STATUS_FRAMING_MAX_HEAD, &f), STATUS_FRAMING_MORE);
    CHECK_INT(status_framing_check("\r\n\r\n", 4, STATUS_FRAMING_MAX_HEAD, &f), STATUS_FRAMING_MORE);
}

static void check_length(void)
{
    int64_t v = -5;
    CHECK(status_framing_length("0", 1, &v) && v == 0);
    CHECK(status_framing_length("65536", 5, &v) && v == 65536);
    CHECK(!status_framing_length("", 0, &v));
    CHECK(!status_framing_length("12a", 3, &v));
    CHECK(!status_framing_length("-1", 2, &v));
    CHECK(!status_framing_length("1234567890123456789", 19, &v));
    CHECK(status_framing_length("123456789012345678", 18, &v) && v == 123456789012345678LL);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        check_row(i, &rows[i]);
    check_caps();
    check_length();
    return CHECK_DONE();
}
