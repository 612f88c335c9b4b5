/* common/dept.c: splitting printed unit lists and mapping names to canonical
 * departments through the directory of dept.h. The directory is an
 * open-addressing hash table (FNV-1a) from alias (optionally scoped,
 * "scope|alias") to an entry {canonical name, kind}; it is filled from JSON
 * (jansson) at load time and only read afterwards. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "dept.h"
#include "str.h"
#include "embedded.h"
#include "hash.h"

enum { KIND_STEM = 0, KIND_FULL, KIND_LOCAL, KIND_NATIONAL };

typedef struct {
    char *key;       /* alias, or "scope|alias"; NULL = empty slot */
    size_t klen;
    char *canon;
    int kind;
} slot_t;

#define MAX_WORDS 64
#define NAME_MAX_BYTES 512

struct duban_dept_dir_s {
    slot_t *slots;
    size_t cap, used;             /* cap is a power of two */
    char *prefixes[MAX_WORDS];    /* longest first */
    size_t nprefixes;
    char *nouns[MAX_WORDS];       /* collective nouns */
    size_t nnouns;
    char *not_prefixes[MAX_WORDS];/* 市场, 区域: look like a prefix, are not */
    size_t nnot;
    char *markers[MAX_WORDS];     /* 区 县 镇 街道: a place name inside a name */
    size_t nmarkers;
    char *marker_exc[MAX_WORDS];  /* 市场 城市: a marker that is not one */
    size_t nexc;
    char *stem_pre[MAX_WORDS];    /* prefixes stems apply under (not 自治区/省) */
    size_t nstem_pre;
    char *places[MAX_WORDS];      /* 大武口, 青铜峡: a name holding one is local */
    size_t nplaces;
};

/* ---------------------------------------------------------------- hash */

/* a, or "a|b" when b is given (scope|name), without joining them */
static uint64_t fnv(const char *a, size_t al, const char *b, size_t bl)
{
    uint64_t h = duban_fnv1a64(a, al);
    return b ? duban_fnv1a64_add(duban_fnv1a64_add(h, "|", 1), b, bl) : h;
}

static int key_eq(const slot_t *s, const char *scope, size_t sl, const char *name, size_t nl)
{
    const char *key = s->key;
    if (s->klen != (scope ? sl + 1 : 0) + nl)
        return 0;
    if (scope) {
        if (strncmp(key, scope, sl) != 0 || key[sl] != '|')
            return 0;
        key += sl + 1;
    }
    return memcmp(key, name, nl) == 0;
}

/* Slot for (scope, name): the matching one or the empty one to fill. */
static slot_t *find_slot(const duban_dept_dir_t *d, const char *scope, const char *name,
                         size_t nl)
{
    size_t sl = scope ? strlen(scope) : 0;
    uint64_t h = scope ? fnv(scope, sl, name, nl) : fnv(name, nl, NULL, 0);
    size_t mask = d->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot_t *s = &d->slots[i];
        if (!s->key || key_eq(s, scope, sl, name, nl))
            return s;
    }
}

static const slot_t *lookup(const duban_dept_dir_t *d, const char *scope, const char *name,
                            size_t nl)
{
    if (!d || !d->cap)
        return NULL;
    const slot_t *s = find_slot(d, scope, name, nl);
    return s->key ? s : NULL;
}

static duban_err_t grow(duban_dept_dir_t *d)
{
    size_t ncap = d->cap ? d->cap * 2 : 1024;
    slot_t *old = d->slots;
    size_t ocap = d->cap;
    d->slots = calloc(ncap, sizeof *d->slots);
    if (!d->slots) {
        d->slots = old;
        return DUBAN_E_NOMEM;
    }
    d->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        uint64_t h = fnv(old[i].key, old[i].klen, NULL, 0);
        size_t mask = ncap - 1, j = h & mask;
        while (d->slots[j].key)
            j = (j + 1) & mask;
        d->slots[j] = old[i];
    }
    free(old);
    return DUBAN_OK;
}

static duban_err_t put(duban_dept_dir_t *d, const char *scope, const char *alias,
                       const char *canon, int kind)
{
    if ((d->used + 1) * 2 > d->cap && grow(d) != DUBAN_OK)
        return DUBAN_E_NOMEM;
    slot_t *s = find_slot(d, scope, alias, strlen(alias));
    char *c = strdup(canon);
    if (!c)
        return DUBAN_E_NOMEM;
    if (s->key) {                  /* later files override */
        free(s->canon);
        s->canon = c;
        s->kind = kind;
        return DUBAN_OK;
    }
    size_t kl = (scope ? strlen(scope) + 1 : 0) + strlen(alias) + 1;
    s->key = malloc(kl);
    if (!s->key) {
        free(c);
        return DUBAN_E_NOMEM;
    }
    if (scope)
        snprintf(s->key, kl, "%s|%s", scope, alias);
    else
        snprintf(s->key, kl, "%s", alias);
    s->klen = kl - 1;
    s->canon = c;
    s->kind = kind;
    d->used++;
    return DUBAN_OK;
}

/* ---------------------------------------------------------------- text */


/* The code point of the 3-byte UTF-8 character at i, else 0. */
static inline uint32_t cp3(const char *s, size_t n, size_t i)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (i + 3 > n || (u[0] & 0xF0) != 0xE0)
        return 0;
    return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
}

static size_t ulen(unsigned char c)
{
    return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
           (c & 0xF8) == 0xF0 ? 4 : 1;
}

/* Whitespace or markup at i: its byte length, else 0. */
static size_t junk_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*' || c == '#')
        return 1;
    if (duban_at(s, n, i, "\xE3\x80\x80") || duban_at(s, n, i, "\xC2\xA0"))
        return duban_at(s, n, i, "\xC2\xA0") ? 2 : 3;
    if (c == '<') {                /* HTML tag: <p>, </p>, <br/>, <sup> */
        size_t k = i + 1;
        if (k < n && s[k] == '/')
            k++;
        if (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'))) {
            while (k < n && k < i + 64 && s[k] != '>')
                k++;
            if (k < n && s[k] == '>')
                return k + 1 - i;
        }
    }
    return 0;
}

/* Copies s into dst without junk, with （） for (), NUL-terminated. */
static size_t clean_copy(char *dst, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t j = junk_at(s, n, i);
        if (j) {
            i += j;
            continue;
        }
        const char *rep = s[i] == '(' ? "（" : s[i] == ')' ? "）" : NULL;
        size_t l = rep ? 1 : ulen((unsigned char)s[i]);
        if (i + l > n)
            l = n - i;
        const char *src = rep ? rep : s + i;
        size_t sl = rep ? 3 : l;
        if (o + sl + 1 > cap)
            break;
        memcpy(dst + o, src, sl);
        o += sl;
        i += l;
    }
    dst[o] = '\0';
    return o;
}



/* ---------------------------------------------------------------- split */

static const char *const TRAIL[] = {
    "按职责分工负责", "按职责分别负责", "按职责分别牵头", "按职责负责", "按职能分工负责",
    "按职能分工落实", "按职责分工落实", "按属地分别负责", "按属地负责", "分别牵头",
    "分别负责", "共同负责", "分工负责", "共同牵头", "牵头负责", "负责落实", "配合完成",
    "协助配合", "牵头",
    "配合", "参与", "负责", "等相关部门", "等有关部门", "等相关单位", "等有关单位",
    "等有关成员单位", "等成员单位", "等部门", "等单位", "等", "。", NULL};

static bool strstr_n(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    for (size_t i = 0; i + l <= n; i++)
        if (memcmp(s + i, lit, l) == 0)
            return true;
    return false;
}

/* Trims one cleaned piece [b, e) of buf in place; returns the new length. */
static size_t trim_piece(const char *p, size_t n, size_t *off)
{
    size_t b = 0;
    /* a label up to the last ：/: */
    for (size_t i = 0; i < n; i += ulen((unsigned char)p[i])) {
        if (duban_at(p, n, i, "："))
            b = i + 3;
        else if (p[i] == ':')
            b = i + 1;
    }
    if (duban_at(p, n, b, "由"))
        b += 3;
    /* a mark before a name (▲发改局: the lead of a list in some tables) */
    while (duban_at(p, n, b, "▲") || duban_at(p, n, b, "△") || duban_at(p, n, b, "★") || duban_at(p, n, b, "☆") ||
           duban_at(p, n, b, "●") || duban_at(p, n, b, "◆") || duban_at(p, n, b, "■") || duban_at(p, n, b, "※"))
        b += 3;
    /* a note in brackets after the last name ("市卫健委（…列第一位为牵头单位，下同）"):
     * the bracket that holds the note, not one of the name's own before it;
     * a bracket that says what the name includes is the name's own, 下同 or
     * not (各设区市（含平潭综合实验区，下同）, 各县（市、区）法宣办（含高新区，下同）) */
    for (size_t i = b; i + 3 <= n; i += ulen((unsigned char)p[i])) {
        if (!duban_at(p, n, i, "（"))
            continue;
        size_t j = i + 3;
        for (int depth = 1; j + 3 <= n && depth > 0; j += ulen((unsigned char)p[j]))
            depth += duban_at(p, n, j, "（") ? 1 : duban_at(p, n, j, "）") ? -1 : 0;
        if ((strstr_n(p + i, j - i, "下同") || strstr_n(p + i, j - i, "第一位")) &&
            !duban_at(p, n, i + 3, "含")) {
            n = i;
            break;
        }
    }
    /* 审计署等国务院相关部门 -> 审计署: a 等 followed by a short group noun */
    for (size_t i = b + 3; i + 3 <= n; i += ulen((unsigned char)p[i])) {
        if (duban_at(p, n, i, "等") && n - i <= 3 * 12 &&
            (duban_ends(p, n, "部门") || duban_ends(p, n, "单位") || duban_ends(p, n, "地区") || duban_ends(p, n, "机构"))) {
            n = i;
            break;
        }
    }
    int changed = 1;
    while (changed && n > b) {
        changed = 0;
        uint32_t last = n - b >= 3 ? cp3(p, n, n - 3) : 0;
        /* 责 头 合 与 门 位 等 。 实 成: the last characters of TRAIL */
        int maybe = last == 0x8D23 || last == 0x5934 || last == 0x5408 || last == 0x4E0E ||
                    last == 0x95E8 || last == 0x4F4D || last == 0x7B49 || last == 0x3002 ||
                    last == 0x5B9E || last == 0x6210;
        for (const char *const *t = TRAIL; maybe && *t; t++) {
            if (duban_ends(p + b, n - b, *t) && n - b > strlen(*t)) {
                n -= strlen(*t);
                changed = 1;
            }
        }
        /* unbalanced brackets at the ends */
        int depth = 0;
        for (size_t i = b; i < n; i += ulen((unsigned char)p[i])) {
            if (duban_at(p, n, i, "（")) depth++;
            else if (duban_at(p, n, i, "）")) depth--;
        }
        if (depth < 0 && duban_ends(p + b, n - b, "）")) { n -= 3; changed = 1; }
        if (depth > 0 && duban_at(p, n, b, "（")) { b += 3; changed = 1; }
        if (depth > 0 && duban_ends(p + b, n - b, "（")) { n -= 3; changed = 1; }
    }
    *off = b;
    return n > b ? n - b : 0;
}

/* after_deng: the piece before ended in "等…" (…等部门、单位): a bare group
 * noun after it names nobody (after 各部门 it does: 市直各部门、单位). */
static duban_err_t push_piece(duban_strlist_t *out, const char *p, size_t n, bool after_deng)
{
    size_t off;
    size_t l = trim_piece(p, n, &off);
    if (l == 0 || (after_deng && l == 6 && (duban_at(p + off, l, 0, "单位") || duban_at(p + off, l, 0, "部门"))))
        return DUBAN_OK;
    if ((l == 6 && (duban_at(p + off, l, 0, "下同") || duban_at(p + off, l, 0, "同上"))) ||
        (l == 9 && duban_at(p + off, l, 0, "以下同")))
        return DUBAN_OK; /* "（…按职责分工负责，下同）": a note, not a unit */
    return duban_strlist_push_len(out, p + off, l);
}

/* Bracket depth change of the character at i: +1, -1 or 0. */
static int bracket_at(const char *s, size_t n, size_t i)
{
    switch (cp3(s, n, i)) {
    case 0xFF08: case 0x3010: case 0x300A: case 0x300C: case 0x3014: case 0x3008:
        return 1;                                                   /* （【《「〔〈 */
    case 0xFF09: case 0x3011: case 0x300B: case 0x300D: case 0x3015: case 0x3009:
        return -1;                                                  /* ）】》」〕〉 */
    default: return 0;
    }
}

/* A list separator at i (depth 0): its byte length, else 0. */
static size_t sep_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ',' || c == ';' || c == '/')
        return 1;
    switch (cp3(s, n, i)) {
    case 0x3001: case 0xFF0C: case 0xFF1B: case 0x53CA: return 3;   /* 、，；及 */
    case 0x4EE5: return cp3(s, n, i + 3) == 0x53CA ? 6 : 0;          /* 以及 */
    default: return 0;
    }
}

duban_err_t duban_dept_split_units(const char *text, size_t len, duban_strlist_t *out)
{
    if (!out || (!text && len))
        return DUBAN_E_INVAL;
    char stackbuf[2048], *buf = stackbuf;
    size_t cap = len * 2 + 1;        /* () -> （） at most triples 1 byte */
    if (cap > sizeof stackbuf) {
        cap = len * 3 + 1;
        if (!(buf = malloc(cap)))
            return DUBAN_E_NOMEM;
    }
    size_t n = clean_copy(buf, cap, text ? text : "", len);
    duban_err_t err = DUBAN_OK;
    size_t start = 0;
    int depth = 0;
    bool deng = false;
    for (size_t i = 0; i < n && err == DUBAN_OK;) {
        size_t sl;
        int br = bracket_at(buf, n, i);
        if (br > 0) {
            depth++;
        } else if (br < 0) {
            if (depth > 0)
                depth--;
        } else if (depth == 0 && cp3(buf, n, i) == 0x3002) {       /* 。 */
            n = i;                   /* the list ends at a full stop */
            break;
        } else if (depth == 0 && (sl = sep_at(buf, n, i)) != 0) {
            err = push_piece(out, buf + start, i - start, deng);
            deng = i - start >= 9 && (duban_ends(buf + start, i - start, "等部门") ||
                                      duban_ends(buf + start, i - start, "等单位"));
            i += sl;
            start = i;
            continue;
        }
        i += ulen((unsigned char)buf[i]);
    }
    if (err == DUBAN_OK && start < n)
        err = push_piece(out, buf + start, n - start, deng);
    if (buf != stackbuf)
        free(buf);
    return err;
}

/* ---------------------------------------------------------------- canonicalize */

/* The jurisdiction prefix that `name` starts with, or NULL. */
static const char *prefix_of(const duban_dept_dir_t *d, const char *name, size_t n)
{
    for (size_t k = 0; k < d->nnot; k++)
        if (duban_starts(name, n, d->not_prefixes[k]))
            return NULL;
    for (size_t k = 0; k < d->nprefixes; k++)
        if (duban_starts(name, n, d->prefixes[k]) && n > strlen(d->prefixes[k]))
            return d->prefixes[k];
    return NULL;
}

static int is_noun(const duban_dept_dir_t *d, const char *name)
{
    for (size_t k = 0; k < d->nnouns; k++)
        if (strcmp(name, d->nouns[k]) == 0)
            return 1;
    return 0;
}

static int is_national(const char *s, size_t n)
{
    static const char *const START[] = {"国家", "国务院", "中央", "全国", "中国", "国网", NULL};
    for (const char *const *p = START; *p; p++)
        if (duban_starts(s, n, *p))
            return 1;
    return duban_ends(s, n, "部") || duban_ends(s, n, "署") || duban_ends(s, n, "总局");
}

static int is_collective(const char *s, size_t n)
{
    static const char *const START[] = {"各", "相关", "有关", "驻", "其他", "所属", "全体", NULL};
    for (const char *const *p = START; *p; p++)
        if (duban_starts(s, n, *p))
            return 1;
    return 0;
}

/* Ends like a local government body (a bracketed tail ignored). */
static int looks_local(const char *s, size_t n)
{
    static const char *const END[] = {"局", "委员会", "委", "办", "办公室", "中心", "院",
        "会", "所", "站", "队", "联", "协", "室", "政府", "党校", "馆", "处", "厅", NULL};
    const char *br = strstr(s, "（");
    if (br && (size_t)(br - s) < n)
        n = (size_t)(br - s);
    for (const char *const *p = END; *p; p++)
        if (duban_ends(s, n, *p))
            return 1;
    return 0;
}

static int is_branch(const char *s)
{
    return strstr(s, "分局") || strstr(s, "分公司") || strstr(s, "分中心");
}

/* Copies the string src into dst[cap] (truncated, always terminated). */
static void scopy(char *dst, size_t cap, const char *src)
{
    size_t l = strlen(src);
    if (l >= cap)
        l = cap - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

static int stem_prefix(const duban_dept_dir_t *d, const char *p)
{
    for (size_t k = 0; k < d->nstem_pre; k++)
        if (strcmp(d->stem_pre[k], p) == 0)
            return 1;
    return 0;
}

/* A place name inside `name` (高新区规建局, 长胜街道办事处): never prefixed.
 * A bracketed tail (…（区委、政府督查室）) does not count. */
static int has_place(const duban_dept_dir_t *d, const char *name, size_t n)
{
    const char *br = strstr(name, "（");
    if (br && (size_t)(br - name) < n)
        n = (size_t)(br - name);
    for (size_t k = 0; k < d->nplaces; k++) {
        const char *hit = strstr(name, d->places[k]);
        if (hit && (size_t)(hit - name) < n)
            return 1;
    }
    for (size_t i = ulen((unsigned char)name[0]); i < n; i += ulen((unsigned char)name[i])) {
        for (size_t k = 0; k < d->nmarkers; k++) {
            if (!duban_at(name, n, i, d->markers[k]))
                continue;
            int exc = 0;
            for (size_t q = 0; q < d->nexc && !exc; q++) {
                const char *e = d->marker_exc[q], *hit = strstr(e, d->markers[k]);
                size_t back = hit ? (size_t)(hit - e) : 0;
                exc = hit && i >= back && duban_at(name, n, i - back, e);
            }
            if (!exc)
                return 1;
        }
    }
    return 0;
}

static const slot_t *lookup_scoped(const duban_dept_dir_t *d, const char *scope,
                                   const char *name, size_t n)
{
    const slot_t *s = scope ? lookup(d, scope, name, n) : NULL;
    return s ? s : lookup(d, NULL, name, n);
}

/* pre + stem canonical ("{P}" in the stem marks where the prefix goes:
 * 团{P}委 -> 团区委), then a full entry for that name if there is one. */
static void prefixed(const duban_dept_dir_t *d, const char *scope, const char *pre,
                     const char *stem, char *out, size_t cap)
{
    size_t pl = pre ? strlen(pre) : 0, sl = strlen(stem);
    const char *mark = strstr(stem, "{P}");
    if (pl + sl >= cap) {
        scopy(out, cap, stem);
        return;
    }
    if (mark) {
        size_t head = (size_t)(mark - stem);
        memcpy(out, stem, head);
        memcpy(out + head, pre ? pre : "", pl);
        memcpy(out + head + pl, mark + 3, sl - head - 3 + 1);
        sl -= 3;
    } else {
        memcpy(out, pre ? pre : "", pl);
        memcpy(out + pl, stem, sl + 1);
    }
    const slot_t *f = lookup_scoped(d, scope, out, pl + sl);
    if (f && f->kind != KIND_STEM)
        scopy(out, cap, f->canon);
}

/* Resolves `name` (clean) with inherited prefix `pre` (may be NULL) into
 * out; *set_prefix gets the prefix the next names of the list inherit. */
static void resolve(const duban_dept_dir_t *d, const char *scope, const char *name,
                    const char *pre, char *out, size_t cap, const char **set_prefix)
{
    size_t n = strlen(name);
    *set_prefix = NULL;
    const slot_t *s = lookup_scoped(d, scope, name, n);
    if (s && s->kind != KIND_STEM) {                  /* 1. a known full name */
        scopy(out, cap, s->canon);
        const char *p = prefix_of(d, s->canon, strlen(s->canon));
        if (p && s->kind == KIND_FULL && !is_branch(s->canon) &&
            looks_local(s->canon, strlen(s->canon)))
            *set_prefix = p;
        return;
    }
    const char *p = s ? NULL : prefix_of(d, name, n);
    if (p) {                                          /* 2. printed with a prefix */
        size_t pl = strlen(p);
        const slot_t *st = stem_prefix(d, p) ? lookup_scoped(d, scope, name + pl, n - pl) : NULL;
        if (st && st->kind == KIND_STEM)
            prefixed(d, scope, p, st->canon, out, cap);
        else
            scopy(out, cap, name);
        if (!is_branch(name) && (looks_local(name, n) || st))
            *set_prefix = p;
        return;
    }
    if (s && (!pre || stem_prefix(d, pre))) {         /* 3. a stem: 卫健局, 宣传部 */
        prefixed(d, scope, pre, s->canon, out, cap);
        return;
    }
    if (pre && looks_local(name, n) && !is_national(name, n) && !is_collective(name, n) &&
        !has_place(d, name, n)) {                     /* 4. 财政局 after 区卫健局 */
        prefixed(d, scope, pre, name, out, cap);
        return;
    }
    scopy(out, cap, name);                   /* 5. as printed */
}

duban_err_t duban_dept_canonicalize(const duban_dept_dir_t *dir,
                                    const duban_strlist_t *printed,
                                    const char *jurisdiction,
                                    duban_strlist_t *out)
{
    if (!dir || !printed || !out)
        return DUBAN_E_INVAL;
    const char *jp = NULL, *scope = NULL;
    if (jurisdiction && *jurisdiction) {
        size_t jl = strlen(jurisdiction);
        for (size_t k = 0; k < dir->nprefixes && !jp; k++)
            if (duban_ends(jurisdiction, jl, dir->prefixes[k]))
                jp = dir->prefixes[k];
        if (jp && jl > strlen(jp))
            scope = jurisdiction;
    }
    const char *inherited = NULL;
    char prev[NAME_MAX_BYTES] = "", name[NAME_MAX_BYTES], canon[NAME_MAX_BYTES];
    for (size_t i = 0; i < printed->count; i++) {
        const char *raw = printed->items[i];
        clean_copy(name, sizeof name, raw, strlen(raw));
        if (!name[0])
            continue;
        const char *ge = strstr(prev, "各");
        if (ge && is_noun(dir, name)) {     /* 各镇、街道 -> 各街道 */
            char tmp[NAME_MAX_BYTES];
            const char *last = ge;
            while ((ge = strstr(last + 3, "各")) != NULL)
                last = ge;
            size_t hl = (size_t)(last + 3 - prev), nl = strlen(name);
            if (hl + nl < sizeof tmp) {
                memcpy(tmp, prev, hl);
                memcpy(tmp + hl, name, nl + 1);
                memcpy(name, tmp, hl + nl + 1);
            }
        }
        size_t sl = scope ? strlen(scope) : 0, nl = strlen(name);
        if (sl && nl > sl && memcmp(name, scope, sl) == 0 && strlen(jp) + nl - sl < sizeof name &&
            !lookup_scoped(dir, scope, name, nl)) {
            char tmp[NAME_MAX_BYTES];             /* 大武口区财政局 -> 区财政局 */
            memcpy(tmp, jp, strlen(jp));
            memcpy(tmp + strlen(jp), name + sl, nl - sl + 1);
            memcpy(name, tmp, strlen(jp) + nl - sl + 1);
        }
        const char *setp = NULL;
        resolve(dir, scope, name, inherited ? inherited : jp, canon, sizeof canon, &setp);
        if (setp)
            inherited = setp;
        scopy(prev, sizeof prev, name);
        duban_err_t err = duban_strlist_push_unique(out, canon);
        if (err != DUBAN_OK)
            return err;
    }
    return DUBAN_OK;
}

/* Names that need no directory entry: a government or office of a place,
 * a township, a company, a school or hospital, by how the name ends. */
static int generic_unit(const char *s, size_t n)
{
    static const char *const END[] = {"人民政府", "政府", "办事处", "街道", "镇", "乡",
        "管委会", "管理委员会", "有限公司", "有限责任公司", "公司", "集团", "银行", "医院",
        "学校", "大学", "学院", "中学", "小学", "开发区", "高新区", "园区", "新区",
        "领导小组", "指挥部", NULL};
    if (duban_ends(s, n, "城镇") || duban_ends(s, n, "小镇"))
        return 0; /* 美丽城镇, 特色小镇: a kind of place, not a township */
    for (const char *const *p = END; *p; p++)
        if (duban_ends(s, n, *p) && n > strlen(*p))
            return 1;
    return 0;
}

bool duban_dept_known(const duban_dept_dir_t *dir, const char *printed)
{
    char name[NAME_MAX_BYTES];
    if (!dir || !printed)
        return false;
    size_t n = clean_copy(name, sizeof name, printed, strlen(printed)), w = 0;
    int depth = 0; /* bracketed parts left out: 财政局（金融工作局）, 各县（市、区）人民政府 */
    for (size_t i = 0; i < n; i++) {
        if (duban_at(name, n, i, "（")) {
            depth++;
            i += 2;
        } else if (depth && duban_at(name, n, i, "）")) {
            depth--;
            i += 2;
        } else if (!depth) {
            name[w++] = name[i];
        }
    }
    n = w;
    name[n] = '\0';
    if (n == 0)
        return false;
    if (lookup(dir, NULL, name, n) || generic_unit(name, n) || is_noun(dir, name))
        return true;
    bool group = duban_ends(name, n, "部门") || duban_ends(name, n, "单位") || duban_ends(name, n, "机构") ||
                 duban_ends(name, n, "街道") || duban_ends(name, n, "企业") || duban_ends(name, n, "组织") ||
                 duban_ends(name, n, "县") || duban_ends(name, n, "市") || duban_ends(name, n, "区") ||
                 duban_ends(name, n, "乡镇") || duban_ends(name, n, "村") || duban_ends(name, n, "社区");
    if (is_collective(name, n) || strstr(name, "各") || strstr(name, "有关") || strstr(name, "相关"))
        if (group || looks_local(name, n)) /* 各镇, 市直各部门, …有关成员单位 */
            return true;
    /* a branch or a province's department of a known bureau: 生态环境分局,
     * 省教育厅 = 生态环境局, 省教育局 */
    size_t tail = duban_ends(name, n, "分局") ? 6 : duban_ends(name, n, "厅") ? 3 : 0;
    if (tail && n > tail) {
        char whole[NAME_MAX_BYTES];
        memcpy(whole, name, n - tail);
        memcpy(whole + n - tail, "局", 4);
        if (duban_dept_known(dir, whole))
            return true;
    }
    /* a place prefix: 杭州市 + 财政局, 市 + 发改委, 某某县 + 委宣传部 */
    for (size_t i = ulen((unsigned char)name[0]); i < n && i <= 10 * 3;
         i += ulen((unsigned char)name[i]))
        for (size_t k = 0; k < dir->nprefixes; k++)
            if (duban_ends(name, i, dir->prefixes[k]) && lookup(dir, NULL, name + i, n - i))
                return true;
    return false;
}

bool duban_dept_jurisdiction(const duban_dept_dir_t *dir, const char *issuer,
                             char *out, size_t out_size)
{
    static const char *const ORGAN[] = {"人民政府", "委员会", "政府", "委", "人大", "政协", NULL};
    char name[NAME_MAX_BYTES];
    if (!out || out_size == 0)
        return false;
    out[0] = '\0';
    if (!dir || !issuer)
        return false;
    size_t n = clean_copy(name, sizeof name, issuer, strlen(issuer)), b = 0, cut = n;
    if (duban_starts(name, n, "中国共产党"))
        b = strlen("中国共产党");
    else if (duban_starts(name, n, "中共"))
        b = strlen("中共");
    for (size_t i = b; i < n && cut == n; i += ulen((unsigned char)name[i]))
        for (const char *const *o = ORGAN; *o; o++)
            if (duban_at(name, n, i, *o)) {
                cut = i;
                break;
            }
    if (cut == n || cut == b)
        return false;
    for (size_t k = 0; k < dir->nprefixes; k++) {
        if (duban_ends(name + b, cut - b, dir->prefixes[k]) && cut - b < out_size) {
            memcpy(out, name + b, cut - b);
            out[cut - b] = '\0';
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- load */

static duban_err_t add_words(char **arr, size_t *n, json_t *list, int sort_by_len)
{
    size_t k;
    json_t *v;
    json_array_foreach(list, k, v) {
        const char *w = json_string_value(v);
        if (!w || !*w)
            continue;
        int dup = 0;
        for (size_t q = 0; q < *n; q++)
            dup |= strcmp(arr[q], w) == 0;
        if (dup || *n >= MAX_WORDS)
            continue;
        if (!(arr[*n] = strdup(w)))
            return DUBAN_E_NOMEM;
        (*n)++;
    }
    if (sort_by_len) {                     /* longest first: 自治区 before 区 */
        for (size_t a = 1; a < *n; a++)
            for (size_t b = a; b > 0 && strlen(arr[b]) > strlen(arr[b - 1]); b--) {
                char *t = arr[b];
                arr[b] = arr[b - 1];
                arr[b - 1] = t;
            }
    }
    return DUBAN_OK;
}

static duban_err_t add_entry(duban_dept_dir_t *d, json_t *e, const char *name_of_file,
                             size_t idx, char *errbuf, size_t errbuf_size)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    if (!json_is_object(e) || !name || !*name)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s: departments[%zu]: missing \"name\"", name_of_file, idx);
    const char *scope = json_string_value(json_object_get(e, "scope"));
    int kind = KIND_STEM;
    if (json_is_true(json_object_get(e, "national")))
        kind = KIND_NATIONAL;
    else if (prefix_of(d, name, strlen(name)))
        kind = KIND_FULL;
    else if (json_is_true(json_object_get(e, "local")) || scope)
        kind = KIND_LOCAL;          /* a scoped entry is never a stem */
    char cname[NAME_MAX_BYTES], calias[NAME_MAX_BYTES];
    clean_copy(cname, sizeof cname, name, strlen(name));
    if (put(d, scope, cname, cname, kind) != DUBAN_OK)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory",
                            name_of_file);
    json_t *aliases = json_object_get(e, "aliases"), *a;
    if (aliases && !json_is_array(aliases))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "%s: departments[%zu] (%s): \"aliases\" must be an array",
                            name_of_file, idx, name);
    size_t k;
    json_array_foreach(aliases, k, a) {
        const char *al = json_string_value(a);
        if (!al)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                                "%s: departments[%zu].aliases[%zu]: not a string",
                                name_of_file, idx, k);
        clean_copy(calias, sizeof calias, al, strlen(al));
        if (put(d, scope, calias, cname, kind) != DUBAN_OK)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory",
                                name_of_file);
    }
    return DUBAN_OK;
}

duban_err_t duban_dept_dir_load_mem(duban_dept_dir_t *dir, const char *name,
                                    const char *json, size_t len,
                                    char *errbuf, size_t errbuf_size)
{
    if (!dir || !json)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "dept: NULL argument");
    json_error_t jerr;
    json_t *root = json_loadb(json, len, 0, &jerr);
    if (!root)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE, "%s:%d:%d: %s", name,
                            jerr.line, jerr.column, jerr.text);
    duban_err_t err = DUBAN_OK;
    json_t *deps = json_object_get(root, "departments");
    if (!json_is_object(root) || (deps && !json_is_array(deps))) {
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                           "%s: expected an object with a \"departments\" array", name);
        goto out;
    }
    if (add_words(dir->prefixes, &dir->nprefixes, json_object_get(root, "prefixes"), 1) ||
        add_words(dir->nouns, &dir->nnouns, json_object_get(root, "collective_nouns"), 0) ||
        add_words(dir->not_prefixes, &dir->nnot, json_object_get(root, "not_prefixes"), 0) ||
        add_words(dir->markers, &dir->nmarkers, json_object_get(root, "place_markers"), 0) ||
        add_words(dir->marker_exc, &dir->nexc,
                  json_object_get(root, "place_marker_exceptions"), 0) ||
        add_words(dir->stem_pre, &dir->nstem_pre, json_object_get(root, "stem_prefixes"), 0) ||
        add_words(dir->places, &dir->nplaces, json_object_get(root, "place_names"), 0)) {
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "%s: out of memory", name);
        goto out;
    }
    size_t k;
    json_t *e;
    json_array_foreach(deps, k, e) {
        if ((err = add_entry(dir, e, name, k, errbuf, errbuf_size)) != DUBAN_OK)
            break;
    }
out:
    json_decref(root);
    return err;
}

duban_err_t duban_dept_dir_load_file(duban_dept_dir_t *dir, const char *path,
                                     char *errbuf, size_t errbuf_size)
{
    if (!dir || !path)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "dept: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: cannot open", path);
    duban_buf_t buf;
    duban_buf_init(&buf, (size_t)64 << 20);
    duban_err_t err = duban_buf_read_stream(&buf, f);
    fclose(f);
    if (err == DUBAN_E_TOO_LARGE)
        duban_seterr(errbuf, errbuf_size, err, "%s: larger than 64 MiB", path);
    else if (err == DUBAN_E_IO)
        duban_seterr(errbuf, errbuf_size, err, "%s: read error", path);
    if (err == DUBAN_OK)
        err = duban_dept_dir_load_mem(dir, path, buf.data ? (const char *)buf.data : "", buf.len,
                                      errbuf, errbuf_size);
    duban_buf_free(&buf);
    return err;
}

duban_err_t duban_dept_dir_new(duban_dept_dir_t **out, char *errbuf, size_t errbuf_size)
{
    if (!out)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "dept: NULL argument");
    *out = NULL;
    duban_dept_dir_t *d = calloc(1, sizeof *d);
    if (!d || grow(d) != DUBAN_OK) {
        free(d);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "dept: out of memory");
    }
    const duban_embedded_file_t *f = duban_embedded_get("departments.json");
    if (f) {
        duban_err_t err = duban_dept_dir_load_mem(d, "departments.json", f->data, f->len,
                                                  errbuf, errbuf_size);
        if (err != DUBAN_OK) {
            duban_dept_dir_destroy(d);
            return err;
        }
    }
    *out = d;
    return DUBAN_OK;
}

void duban_dept_dir_destroy(duban_dept_dir_t *dir)
{
    if (!dir)
        return;
    for (size_t i = 0; i < dir->cap; i++) {
        free(dir->slots[i].key);
        free(dir->slots[i].canon);
    }
    free(dir->slots);
    for (size_t k = 0; k < dir->nprefixes; k++) free(dir->prefixes[k]);
    for (size_t k = 0; k < dir->nnouns; k++) free(dir->nouns[k]);
    for (size_t k = 0; k < dir->nnot; k++) free(dir->not_prefixes[k]);
    for (size_t k = 0; k < dir->nmarkers; k++) free(dir->markers[k]);
    for (size_t k = 0; k < dir->nexc; k++) free(dir->marker_exc[k]);
    for (size_t k = 0; k < dir->nstem_pre; k++) free(dir->stem_pre[k]);
    for (size_t k = 0; k < dir->nplaces; k++) free(dir->places[k]);
    free(dir);
}
