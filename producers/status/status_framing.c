/* producers/status/status_framing.c: the request-head check of
 * status_framing.h: split into lines as libmicrohttpd does, then one pass
 * over the header lines counting Content-Length and Transfer-Encoding. */
#include <string.h>
#include <strings.h>
#include "status_framing.h"

typedef struct {
    const char *p;
    size_t n;
} line_t;

typedef struct {
    int cl, te;            /* how many of each */
    bool bad_cl, bad_te;   /* a value that is not acceptable */
    int64_t len;           /* the (last) Content-Length */
} counts_t;

/* The line at buf[*pos..len) without its LF and one CR before it; false
 * while no LF has come. */
static bool next_line(const char *buf, size_t len, size_t *pos, line_t *l)
{
    const char *lf = memchr(buf + *pos, '\n', len - *pos);
    if (!lf)
        return false;
    l->p = buf + *pos;
    l->n = (size_t)(lf - l->p);
    if (l->n && l->p[l->n - 1] == '\r')
        l->n--;
    *pos = (size_t)(lf - buf) + 1;
    return true;
}

static status_framing_verdict_t refuse(status_framing_t *out, unsigned status, const char *why)
{
    out->status = status;
    out->why = why;
    return STATUS_FRAMING_BAD;
}

/* No complete head in what there is: wait for more, unless there cannot be
 * one within max_head. */
static status_framing_verdict_t incomplete(size_t len, size_t max_head, status_framing_t *out)
{
    if (len >= max_head)
        return refuse(out, 431, "request head too large");
    return STATUS_FRAMING_MORE;
}

static bool name_is(const line_t *name, const char *want)
{
    size_t n = strlen(want);
    return name->n == n && strncasecmp(name->p, want, n) == 0;
}

/* One header line into c; NULL, or why it is refused outright. */
static const char *header_line(const line_t *l, counts_t *c)
{
    if (l->p[0] == ' ' || l->p[0] == '\t')
        return "a folded header line (obs-fold)";
    if (memchr(l->p, '\0', l->n))
        return "a NUL byte in the request head";
    const char *colon = memchr(l->p, ':', l->n);
    if (!colon)
        return "a header line without ':'";
    line_t name = {l->p, (size_t)(colon - l->p)}, value;
    if (!name.n)
        return "a header line without a name";
    if (memchr(name.p, ' ', name.n) || memchr(name.p, '\t', name.n))
        return "whitespace before a header's ':'";
    value.p = colon + 1;
    value.n = l->n - name.n - 1;
    while (value.n && (value.p[0] == ' ' || value.p[0] == '\t')) {
        value.p++;
        value.n--;
    }
    if (name_is(&name, "content-length")) {
        c->cl++;
        if (!status_framing_length(value.p, value.n, &c->len))
            c->bad_cl = true;
    } else if (name_is(&name, "transfer-encoding")) {
        c->te++;
        if (!name_is(&value, "chunked"))
            c->bad_te = true;
    }
    return NULL;
}

static const char *framing_problem(const counts_t *c)
{
    if (c->cl && c->te)
        return "Content-Length together with Transfer-Encoding";
    if (c->cl > 1)
        return "more than one Content-Length";
    if (c->te > 1)
        return "more than one Transfer-Encoding";
    if (c->bad_cl)
        return "Content-Length is not 1 to 18 digits";
    if (c->bad_te)
        return "Transfer-Encoding other than chunked";
    return NULL;
}

status_framing_verdict_t status_framing_check(const char *buf, size_t len, size_t max_head,
                                              status_framing_t *out)
{
    size_t lim = len < max_head ? len : max_head, pos = 0;
    line_t l;
    counts_t c = {0};
    *out = (status_framing_t){0};
    do {   /* empty lines before the request line are skipped, as the library does */
        if (!next_line(buf, lim, &pos, &l))
            return incomplete(len, max_head, out);
    } while (!l.n);
    if (memchr(l.p, '\0', l.n))
        return refuse(out, 400, "a NUL byte in the request head");
    for (;;) {
        if (!next_line(buf, lim, &pos, &l))
            return incomplete(len, max_head, out);
        if (!l.n)
            break;
        const char *why = header_line(&l, &c);
        if (why)
            return refuse(out, 400, why);
    }
    const char *why = framing_problem(&c);
    if (why)
        return refuse(out, 400, why);
    out->head_len = pos;
    out->body_len = c.te ? -1 : c.cl ? c.len : 0;
    return STATUS_FRAMING_OK;
}

bool status_framing_length(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}
