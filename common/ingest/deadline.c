/* common/ingest/deadline.c: the deadline rules of deadline.h, as one left-to-right
 * scan over a task's text. At each position a small set of triggers is
 * tried (a digit or 今/明/次/翌/本年: a date expression; 每: a recurrence; 之日起:
 * a period counted from the issue date; 长期/持续/常态化…: open-ended; 年底/
 * 上半年/一季度…: a year-less period end); everything a trigger consumes is
 * skipped. Titles (《…》) and document numbers (〔…〕) are skipped whole.
 * The scan is O(len) and allocates nothing. */
#include <stddef.h>
#include <string.h>
#include "deadline_scan.h"
#include "utf8.h"

/* ---------------------------------------------------------------- scan */

/* Skips a bracketed title or document number (at most 600 bytes). */
static size_t skip_bracket(const scan_t *s, size_t i, const char *close)
{
    size_t cl = strlen(close), lim = i + 600 < s->n ? i + 600 : s->n;
    for (size_t k = i; k + cl <= lim; k++)
        if (memcmp(s->t + k, close, cl) == 0)
            return k + cl;
    return 0;
}

/* A run of Chinese digits followed by 年 or 月 (二〇二三年, 十二月)? */
static int cn_date_ahead(const scan_t *s, size_t i)
{
    for (int k = 0; k < 4 && (cdigit_at(s, i) >= 0 || duban_cn_digit(s->t + i, s->n - i) == 0);
         k++)
        i += 3;
    i = skip_ws(s, i);
    return lit_at(s, i, "年", NULL) || lit_at(s, i, "月", NULL);
}

/* A digit run at i: a date expression, or skipped whole. */
static size_t at_digit(scan_t *s, size_t i)
{
    size_t dl, next = 0;
    if (i == 0 || digit_at(s, prev_char(s, i), &dl) < 0)
        next = dl_try_date(s, i);
    if (!next) {
        next = i;
        while (digit_at(s, next, &dl) >= 0)
            next += dl;
    }
    return next;
}

/* What a trigger character starts (uniform handlers for the table below). */
static size_t on_book(scan_t *s, size_t i, uint32_t c) { (void)c; return skip_bracket(s, i, "》"); }
/* 〔2023〕 of a document number is skipped, not a clause a page printed in
 * 〔〕 (〔牵头单位：…；完成时限：2023年6月底前〕, ASCII [] widened): a year's
 * bracket closes within a few characters. */
static size_t on_tortoise(scan_t *s, size_t i, uint32_t c)
{
    (void)c;
    size_t e = skip_bracket(s, i, "〕");
    return e && e - i <= 3 * 8 ? e : 0;
}
static size_t on_date(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_date(s, i); }
static size_t on_period(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_period(s, i); }
static size_t on_recur(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_recur(s, i); }
static size_t on_by_period(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_by_period(s, i); }
static size_t on_from_issue(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_from_issue(s, i); }
static size_t on_open(scan_t *s, size_t i, uint32_t c) { (void)c; return dl_try_open(s, i); }
static size_t on_fw_digit(scan_t *s, size_t i, uint32_t c) { (void)c; return at_digit(s, i); }

/* 一…九 〇 零: a Chinese date (十二月底前), or 一季度 */
static size_t on_cn_digit(scan_t *s, size_t i, uint32_t c)
{
    size_t next = 0;
    if ((i == 0 || (cdigit_at(s, prev_char(s, i)) < 0 &&
                    !lit_at(s, prev_char(s, i), "〇", NULL))) && cn_date_ahead(s, i))
        next = dl_try_date(s, i);
    if (!next && (c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB))
        next = dl_try_period(s, i);
    return next;
}

/* 十: "十四五"期间, or a Chinese date (十月底) */
static size_t on_ten(scan_t *s, size_t i, uint32_t c)
{
    (void)c;
    size_t next = dl_try_fyp(s, i);
    if (!next && (i == 0 || cdigit_at(s, prev_char(s, i)) < 0) && cn_date_ahead(s, i))
        next = dl_try_date(s, i);
    return next;
}

/* The one table of trigger characters: X(code point, handler). scan()
 * skips every other character after one bit test in TRIGGER_FILTER (1024
 * bits over the low ten bits of the code point) and dispatches through
 * at_cjk()'s switch; both are generated from this list at compile time. */
#define TRIGGERS(X, k)                                                       \
    X(0x300A, on_book, k)        /* 《 */                                    \
    X(0x3014, on_tortoise, k)    /* 〔 */                                    \
    X(0x4ECA, on_date, k)        /* 今 */                                    \
    X(0x672C, on_date, k)        /* 本 */                                    \
    X(0x5F53, on_date, k)        /* 当 */                                    \
    X(0x660E, on_date, k)        /* 明 */                                    \
    X(0x6B21, on_date, k)        /* 次 (次年) */                             \
    X(0x7FCC, on_date, k)        /* 翌 (翌年) */                             \
    X(0x5143, on_date, k)        /* 元 (元月, January) */                    \
    X(0x5E74, on_period, k)      /* 年 */                                    \
    X(0x4E0A, on_period, k)      /* 上 */                                    \
    X(0x4E0B, on_period, k)      /* 下 */                                    \
    X(0x7B2C, on_period, k)      /* 第 */                                    \
    X(0x4E00, on_cn_digit, k)    /* 一 */                                    \
    X(0x4E8C, on_cn_digit, k)    /* 二 */                                    \
    X(0x4E09, on_cn_digit, k)    /* 三 */                                    \
    X(0x56DB, on_cn_digit, k)    /* 四 */                                    \
    X(0x4E94, on_cn_digit, k)    /* 五 */                                    \
    X(0x516D, on_cn_digit, k)    /* 六 */                                    \
    X(0x4E03, on_cn_digit, k)    /* 七 */                                    \
    X(0x516B, on_cn_digit, k)    /* 八 */                                    \
    X(0x4E5D, on_cn_digit, k)    /* 九 */                                    \
    X(0x3007, on_cn_digit, k)    /* 〇 */                                    \
    X(0x96F6, on_cn_digit, k)    /* 零 */                                    \
    X(0x6BCF, on_recur, k)       /* 每 */                                    \
    X(0x6309, on_by_period, k)   /* 按 */                                    \
    X(0x5341, on_ten, k)         /* 十 */                                    \
    X(0x4E4B, on_from_issue, k)  /* 之 */                                    \
    X(0x957F, on_open, k)        /* 长 */                                    \
    X(0x6301, on_open, k)        /* 持 */                                    \
    X(0x5E38, on_open, k)        /* 常 */                                    \
    X(0x5B9A, on_open, k)        /* 定 */                                    \
    X(0x7ACB, on_open, k)        /* 立 */                                    \
    X(0xFF10, on_fw_digit, k)                                                \
    X(0xFF11, on_fw_digit, k)                                                \
    X(0xFF12, on_fw_digit, k)                                                \
    X(0xFF13, on_fw_digit, k)                                                \
    X(0xFF14, on_fw_digit, k)                                                \
    X(0xFF15, on_fw_digit, k)                                                \
    X(0xFF16, on_fw_digit, k)                                                \
    X(0xFF17, on_fw_digit, k)                                                \
    X(0xFF18, on_fw_digit, k)                                                \
    X(0xFF19, on_fw_digit, k)
#define TRIGGER_BIT(cp, fn, k) | ((((cp) & 0x3FFu) >> 5) == (k) ? 1u << ((cp) & 31u) : 0u)
#define TF(k) 0u TRIGGERS(TRIGGER_BIT, k)
static const uint32_t TRIGGER_FILTER[32] = {
    TF(0),  TF(1),  TF(2),  TF(3),  TF(4),  TF(5),  TF(6),  TF(7),  TF(8),  TF(9),  TF(10),
    TF(11), TF(12), TF(13), TF(14), TF(15), TF(16), TF(17), TF(18), TF(19), TF(20), TF(21),
    TF(22), TF(23), TF(24), TF(25), TF(26), TF(27), TF(28), TF(29), TF(30), TF(31)};
#undef TF
#undef TRIGGER_BIT

static inline int maybe_trigger(uint32_t cp)
{
    return (int)((TRIGGER_FILTER[(cp & 0x3FFu) >> 5] >> (cp & 31u)) & 1u);
}

/* The handler of trigger character c at i (0: nothing starts there). */
static size_t at_cjk(scan_t *s, size_t i, uint32_t c)
{
#define TRIGGER_CASE(cp, fn, k) case cp: return fn(s, i, c);
    switch (c) {
    TRIGGERS(TRIGGER_CASE, 0)
    default: return 0;
    }
#undef TRIGGER_CASE
}

static void scan(scan_t *s)
{
    const unsigned char *u = (const unsigned char *)s->t;
    size_t i = 0, n = s->n;
    while (i < n) {
        unsigned char c = u[i];
        size_t next = 0, len = 1;
        if (c < 0x80) {                         /* ASCII: digits and [ only */
            if (c >= '0' && c <= '9')
                next = at_digit(s, i);
            else if (c == '[')
                next = skip_bracket(s, i, "]");
        } else if ((c & 0xF0) == 0xE0 && i + 2 < n) {
            uint32_t cp = ((c & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
            len = 3;
            if (maybe_trigger(cp))
                next = at_cjk(s, i, cp);
        } else {
            len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF8) == 0xF0 ? 4 : 1;
        }
        i = next > i ? next : i + len;
    }
}

/* ---------------------------------------------------------------- output */

/* Copies at most cap-1 bytes of src[0..len) into dst on a UTF-8 boundary. */
static size_t copy_utf8(char *dst, size_t cap, const char *src, size_t len)
{
    len = duban_utf8_cut(src, len, cap - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
    return len;
}

static void append_utf8(char *dst, size_t cap, const char *src, size_t len)
{
    size_t have = strlen(dst);
    if (have + 1 < cap)
        copy_utf8(dst + have, cap - have, src, len);
}

/* Text of several phrases: one span when short, else joined by "；". */
static void build_text(const scan_t *s, const size_t *b, const size_t *e, size_t k,
                       char *out, size_t cap)
{
    size_t lo = b[0], hi = e[0];
    for (size_t q = 1; q < k; q++) {
        if (b[q] < lo) lo = b[q];
        if (e[q] > hi) hi = e[q];
    }
    out[0] = '\0';
    if (k == 1 || duban_utf8_count(s->t + lo, hi - lo) <= 40) {
        copy_utf8(out, cap, s->t + lo, hi - lo);
        return;
    }
    for (size_t q = 0; q < k; q++) {
        if (q)
            append_utf8(out, cap, "；", 3);
        append_utf8(out, cap, s->t + b[q], e[q] - b[q]);
    }
}

/* "每季度末（分别在6月、9月和12月底）": the dates in a bracket right after
 * a recurrence are its occurrences, not deadlines of their own. */
static void drop_recurrence_gloss(scan_t *s)
{
    size_t j, at = skip_ws(s, s->recur_e);
    if (!s->have_recur || !starts_any(s, at, DL_OPEN_BR, &j))
        return;
    size_t close = j;
    while (close < s->n && !starts_any(s, close, DL_CLOSE_BR, &j))
        close += ((unsigned char)s->t[close] >= 0xE0) ? 3 : 1;
    size_t kept = 0;
    for (size_t q = 0; q < s->nhits; q++)
        if (!(s->hits[q].b >= at && s->hits[q].e <= close))
            s->hits[kept++] = s->hits[q];
    s->nhits = kept;
}

/* "2017年预计结余资金和2018年预计使用资金，…于11月17日前报送": a later year
 * that names what is reported on gives way to the date the text sets. */
static void drop_weak_years(scan_t *s)
{
    size_t firm = 0, kept = 0;
    for (size_t q = 0; q < s->nhits; q++)
        firm += !s->hits[q].weak;
    if (!firm)
        return;
    for (size_t q = 0; q < s->nhits; q++)
        if (!s->hits[q].weak)
            s->hits[kept++] = s->hits[q];
    s->nhits = kept;
}

static void finish(scan_t *s, duban_deadline_t *out)
{
    size_t bs[MAX_HITS + 2], es[MAX_HITS + 2], k = 0;
    drop_recurrence_gloss(s);
    drop_weak_years(s);
    if (s->now_e && !s->nhits) {
        if (s->open_e) {            /* 立行立改并长期坚持: open-ended */
            bs[k] = s->now_b;
            es[k++] = s->now_e;
        } else if (s->ctx->issue_date != DUBAN_DATE_NONE) {
            add_hit(s, s->now_b, s->now_e, s->ctx->issue_date, DUBAN_DEADLINE_F_FROM_ISSUE);
        } else {
            dl_set_open(s, s->now_b, s->now_e);
        }
    }
    if (s->nhits) {
        out->kind = DUBAN_DEADLINE_DATED;
        out->due_date = s->hits[0].due;
        for (size_t q = 0; q < s->nhits; q++) {
            const hit_t *h = &s->hits[q];
            if (h->due > out->due_date)
                out->due_date = h->due;
            out->flags |= h->flags & ~DUBAN_DEADLINE_F_AMBIGUOUS;
            bs[k] = h->b;
            es[k++] = h->e;
        }
        for (size_t q = 0; q < s->nhits; q++)
            if (s->hits[q].due == out->due_date)
                out->flags |= s->hits[q].flags;
        if (s->open_e) {
            out->flags |= DUBAN_DEADLINE_F_ONGOING;
            bs[k] = s->open_b;
            es[k++] = s->open_e;
        }
        if (s->nhits > 1) {
            for (size_t q = 0; q < s->nhits && q < DUBAN_DEADLINE_MAX_MILESTONES; q++) {
                duban_milestone_t *m = &out->milestones[out->milestone_count++];
                m->due_date = s->hits[q].due;
                copy_utf8(m->text, sizeof m->text, s->t + s->hits[q].b,
                          s->hits[q].e - s->hits[q].b);
            }
        }
        if (s->ctx->issue_date != DUBAN_DATE_NONE && out->due_date < s->ctx->issue_date)
            out->flags |= DUBAN_DEADLINE_F_PAST_AT_ISSUE;
    } else if (s->have_recur) {
        out->kind = DUBAN_DEADLINE_RECURRING;
        out->recurrence = s->recur;
        copy_utf8(out->recurrence.text, sizeof out->recurrence.text,
                  s->t + s->recur_b, s->recur_e - s->recur_b);
        int32_t anchor = s->ctx->issue_date;
        if (anchor == DUBAN_DATE_NONE && s->doc_year >= 1900) /* no issue date: the year's start */
            anchor = ymd(s->doc_year, 1, 1);
        if (anchor != DUBAN_DATE_NONE) {                /* first due on/after issue */
            int32_t from = anchor;
            if (s->starts_on != DUBAN_DATE_NONE && s->starts_on > from)
                from = s->starts_on;                    /* …or after its start */
            out->due_date = duban_recurrence_next_due(&out->recurrence, from - 1);
        }
        bs[k] = s->recur_b;
        es[k++] = s->recur_e;
        if (s->recur_xe) {
            bs[k] = s->recur_xb;
            es[k++] = s->recur_xe;
        }
    } else if (s->open_e) {
        out->kind = DUBAN_DEADLINE_OPEN_ENDED;
        bs[k] = s->open_b;
        es[k++] = s->open_e;
    }
    if (k)
        build_text(s, bs, es, k, out->text, sizeof out->text);
}

/* An empty result: the fields and the first byte of each text. The
 * milestones past milestone_count are never read, and zeroing all 4.7 KB of
 * the struct took a fifth of this module's time (one call per task and
 * per table cell). */
static void deadline_clear(duban_deadline_t *out)
{
    out->kind = DUBAN_DEADLINE_NONE;
    out->due_date = DUBAN_DATE_NONE;
    out->text[0] = '\0';
    memset(&out->recurrence, 0, offsetof(duban_recurrence_t, text) + 1);
    out->milestone_count = 0;
    out->flags = 0;
}

/* The first year "19xx年"/"20xx年" printed in the text (digits ASCII), or 0. */
static int first_year(const char *t, size_t n)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if ((t[i] != '1' && t[i] != '2') || (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9'))
            continue;
        int y = 0, k = 0;
        while (k < 4 && t[i + k] >= '0' && t[i + k] <= '9')
            y = y * 10 + (t[i + k++] - '0');
        if (k == 4 && memcmp(t + i + 4, "年", 3) == 0 && y >= 1990 && y <= 2100)
            return y;
    }
    return 0;
}

duban_err_t duban_deadline_extract(const char *text, size_t len,
                                   const duban_deadline_ctx_t *ctx,
                                   duban_deadline_t *out,
                                   char *errbuf, size_t errbuf_size)
{
    if (!out || !ctx || (!text && len))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "deadline_extract: NULL argument");
    deadline_clear(out);
    scan_t s;
    memset(&s, 0, offsetof(scan_t, hits));
    s.starts_on = DUBAN_DATE_NONE;
    s.t = text ? text : "";
    s.n = len;
    s.ctx = ctx;
    s.doc_year = ctx->doc_year;
    if (s.doc_year == 0 && ctx->issue_date != DUBAN_DATE_NONE) {
        int m, d;
        duban_date_to_ymd(ctx->issue_date, &s.doc_year, &m, &d);
    }
    /* No year known for the document (an excerpt without date or number):
     * the text's own first year stands in for it, flagged; with none, a
     * year-less date cannot be read at all. */
    bool year_from_text = false, no_year = false;
    if (s.doc_year == 0) {
        s.doc_year = first_year(s.t, s.n);
        year_from_text = s.doc_year != 0;
        if (!year_from_text) {
            s.doc_year = 2000; /* a placeholder: dated results are dropped below */
            no_year = true;
        }
    }
    if (s.doc_year < 1900 || s.doc_year > 2199)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "deadline_extract: doc_year %d out of range", s.doc_year);
    scan(&s);
    finish(&s, out);
    if (no_year && out->kind == DUBAN_DEADLINE_DATED) {
        /* "5月底前" with no year anywhere: the phrase stays, the date goes */
        out->kind = DUBAN_DEADLINE_NONE;
        out->due_date = DUBAN_DATE_NONE;
        out->milestone_count = 0;
        out->flags = 0;
    }
    if (no_year && out->kind == DUBAN_DEADLINE_RECURRING)
        out->due_date = DUBAN_DATE_NONE;
    if (year_from_text && out->kind == DUBAN_DEADLINE_DATED)
        out->flags |= DUBAN_DEADLINE_F_AMBIGUOUS;
    return DUBAN_OK;
}

int32_t duban_deadline_calendar_workdays(void *calendar, int32_t date, int n)
{
    return duban_calendar_add_workdays((const duban_calendar_t *)calendar, date, n);
}

/* ---------------------------------------------------------------- names */

const char *duban_deadline_kind_name(duban_deadline_kind_t kind)
{
    switch (kind) {
    case DUBAN_DEADLINE_DATED: return "DATED";
    case DUBAN_DEADLINE_RECURRING: return "RECURRING";
    case DUBAN_DEADLINE_OPEN_ENDED: return "OPEN_ENDED";
    default: return "NONE";
    }
}

const char *duban_recur_period_name(duban_recur_period_t period)
{
    switch (period) {
    case DUBAN_RECUR_WEEKLY: return "WEEKLY";
    case DUBAN_RECUR_MONTHLY: return "MONTHLY";
    case DUBAN_RECUR_QUARTERLY: return "QUARTERLY";
    case DUBAN_RECUR_HALF_YEARLY: return "HALF_YEARLY";
    case DUBAN_RECUR_YEARLY: return "YEARLY";
    default: return "NONE";
    }
}
