/* common/notify/webhook_format.c: request building for the four webhook formats. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include "avsc_keys.h"
#include "base64.h"
#include "buf.h"
#include "date.h"
#include "json_write.h"
#include "str.h"
#include "utf8.h"
#include "webhook_format.h"

/* A DeadlineAlert key as schemas/DeadlineAlert.avsc names it, of kind k
 * there (avsc_keys.h): a renamed or retyped field stops this file
 * compiling. The keys of the bodies duban writes to receivers (the
 * CloudEvent envelope, the robots' messages) and the template's
 * placeholder names are duban's own and stay spelled here. */
#define KEY DUBAN_AVSC_DEADLINE_ALERT_KEY

/* ---------------------------------------------------------------------------
 * text into a duban_buf_t
 * ------------------------------------------------------------------------- */
static void tb_str(duban_buf_t *b, const char *s)
{
    duban_buf_append(b, s, strlen(s));
}

/* Hands the text over as a C string (*out NEW), or frees it after an
 * allocation failure. */
static duban_err_t tb_take(duban_buf_t *b, char **out)
{
    if (!duban_buf_cstr(b)) {
        duban_buf_free(b);
        return DUBAN_E_NOMEM;
    }
    size_t len;
    *out = (char *)duban_buf_take(b, &len);
    return DUBAN_OK;
}

/* ---------------------------------------------------------------------------
 * formats
 * ------------------------------------------------------------------------- */
static const char *const format_names[] = {"json", "dingtalk", "wecom", "feishu"};

duban_err_t duban_webhook_format_parse(const char *name, duban_webhook_format_t *out)
{
    for (size_t i = 0; name && i < sizeof(format_names) / sizeof(*format_names); i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (duban_webhook_format_t)i;
            return DUBAN_OK;
        }
    return DUBAN_E_INVAL;
}

const char *duban_webhook_format_name(duban_webhook_format_t f)
{
    return (unsigned)f < 4 ? format_names[f] : "?";
}

size_t duban_webhook_format_default_max_bytes(duban_webhook_format_t f)
{
    switch (f) {
    case DUBAN_WEBHOOK_WECOM: return 4096;     /* markdown.content limit */
    case DUBAN_WEBHOOK_DINGTALK: return 18000; /* request body limit 20000 */
    case DUBAN_WEBHOOK_FEISHU: return 18000;   /* request body limit 20 KB */
    default: return 1u << 20;
    }
}

/* ---------------------------------------------------------------------------
 * signing primitives
 * ------------------------------------------------------------------------- */
void duban_webhook_hmac_b64(const void *key, size_t key_len, const void *msg,
                            size_t msg_len, char out[static 45])
{
    unsigned char mac[32];
    unsigned int mac_len = sizeof(mac);
    static const unsigned char empty = 0;
    HMAC(EVP_sha256(), key, (int)key_len, msg_len ? msg : &empty, msg_len, mac,
         &mac_len);
    EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
}

duban_err_t duban_webhook_urlencode(const char *s, char **out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *r = malloc(3 * n + 1), *w = r;
    if (!r)
        return DUBAN_E_NOMEM;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
            *p == '~') {
            *w++ = (char)*p;
        } else {
            *w++ = '%';
            *w++ = hex[*p >> 4];
            *w++ = hex[*p & 15];
        }
    }
    *w = '\0';
    *out = r;
    return DUBAN_OK;
}

/* Key bytes of a Standard Webhooks secret: whsec_<base64> or raw. */
static duban_err_t standard_key(const char *secret, unsigned char **key, size_t *len)
{
    size_t n = strlen(secret);
    if (strncmp(secret, "whsec_", 6) != 0) {
        *key = (unsigned char *)strdup(secret);
        *len = n;
        return *key ? DUBAN_OK : DUBAN_E_NOMEM;
    }
    if (duban_base64_decode(secret + 6, n - 6, key, len))
        return DUBAN_E_INVAL;
    if (*len == 0) {
        free(*key);
        return DUBAN_E_INVAL;
    }
    return DUBAN_OK;
}

/* HMAC-SHA256 without a key, set up once: a keyed context is duplicated
 * from it instead of fetching the algorithm and its digest from the
 * provider again (what the one-shot HMAC() does on every call). */
static EVP_MAC_CTX *hmac_template;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;
static pthread_key_t hmac_cache_key;

/* Keyed HMAC contexts of one thread, one per secret it signed with lately
 * (a secret and the one it replaces while rotating): a signature
 * re-initialises the context, which keeps its key, instead of decoding the
 * secret, duplicating a context and setting the key each time. */
#define HMAC_CACHE_SLOTS 4
typedef struct {
    char *secret;  /* the configured string; NULL: slot unused */
    EVP_MAC_CTX *ctx;
} hmac_slot_t;

typedef struct {
    hmac_slot_t slot[HMAC_CACHE_SLOTS];
    unsigned next;  /* the slot a miss replaces */
} hmac_cache_t;

static _Thread_local hmac_cache_t *hmac_cache;

static void hmac_slot_clear(hmac_slot_t *s)
{
    if (s->secret) {
        OPENSSL_cleanse(s->secret, strlen(s->secret));
        free(s->secret);
    }
    EVP_MAC_CTX_free(s->ctx);  /* cleanses the key */
    s->secret = NULL;
    s->ctx = NULL;
}

/* At thread exit: the thread's keyed contexts. */
static void hmac_cache_free(void *p)
{
    hmac_cache_t *c = p;
    for (int i = 0; c && i < HMAC_CACHE_SLOTS; i++)
        hmac_slot_clear(&c->slot[i]);
    free(c);
}

static void hmac_setup(void)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    EVP_MAC_free(mac);  /* ctx holds its own reference */
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (ctx && !EVP_MAC_CTX_set_params(ctx, params)) {
        EVP_MAC_CTX_free(ctx);
        ctx = NULL;
    }
    hmac_template = ctx;
    pthread_key_create(&hmac_cache_key, hmac_cache_free);
}

/* This thread's context keyed with secret into *out, made on first use.
 * The error of a secret that is not whsec_<base64>; DUBAN_OK with *out NULL
 * when the crypto library or memory fails. */
static duban_err_t hmac_keyed(const char *secret, EVP_MAC_CTX **out)
{
    pthread_once(&hmac_once, hmac_setup);
    *out = NULL;
    if (!hmac_template)
        return DUBAN_OK;
    if (!hmac_cache) {
        hmac_cache = calloc(1, sizeof(*hmac_cache));
        if (!hmac_cache)
            return DUBAN_OK;
        pthread_setspecific(hmac_cache_key, hmac_cache);
    }
    for (int i = 0; i < HMAC_CACHE_SLOTS; i++)
        if (hmac_cache->slot[i].secret && strcmp(hmac_cache->slot[i].secret, secret) == 0) {
            *out = hmac_cache->slot[i].ctx;
            return DUBAN_OK;
        }
    unsigned char *key;
    size_t key_len;
    duban_err_t err = standard_key(secret, &key, &key_len);
    if (err)
        return err;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(hmac_template);
    char *copy = strdup(secret);
    bool ok = ctx && copy && key_len > 0 && EVP_MAC_init(ctx, key, key_len, NULL);
    OPENSSL_cleanse(key, key_len);
    free(key);
    if (!ok) {
        EVP_MAC_CTX_free(ctx);
        free(copy);
        return DUBAN_OK;
    }
    hmac_slot_t *s = &hmac_cache->slot[hmac_cache->next++ % HMAC_CACHE_SLOTS];
    hmac_slot_clear(s);
    s->secret = copy;
    s->ctx = ctx;
    *out = ctx;
    return DUBAN_OK;
}

/* HMAC-SHA256(ctx's key, id "." ts "." body) as base64 into out; false on
 * a crypto library failure. The message is fed in parts, never copied;
 * EVP_MAC_init without a key starts over with the key ctx has. */
static bool hmac_standard_b64(EVP_MAC_CTX *ctx, const char *id, const char *ts,
                              const char *body, size_t body_len, char out[static 45])
{
    unsigned char mac[32];
    size_t mac_len = 0;
    bool ok = EVP_MAC_init(ctx, NULL, 0, NULL) &&
              EVP_MAC_update(ctx, (const unsigned char *)id, strlen(id)) &&
              EVP_MAC_update(ctx, (const unsigned char *)".", 1) &&
              EVP_MAC_update(ctx, (const unsigned char *)ts, strlen(ts)) &&
              EVP_MAC_update(ctx, (const unsigned char *)".", 1) &&
              (body_len == 0 || EVP_MAC_update(ctx, (const unsigned char *)body, body_len)) &&
              EVP_MAC_final(ctx, mac, &mac_len, sizeof(mac)) && mac_len == sizeof(mac);
    if (ok)
        EVP_EncodeBlock((unsigned char *)out, mac, (int)mac_len);
    return ok;
}

duban_err_t duban_webhook_sign_standard(const duban_strlist_t *secrets, const char *id,
                                        int64_t ts_s, const char *body, size_t body_len,
                                        char **out, char *errbuf, size_t errbuf_size)
{
    duban_buf_t sig;
    duban_buf_init(&sig, 0);
    char ts[24];
    snprintf(ts, sizeof(ts), "%" PRId64, ts_s);
    duban_err_t err = DUBAN_OK;
    for (size_t i = 0; !err && i < secrets->count; i++) {
        char b64[45];
        EVP_MAC_CTX *ctx;
        err = hmac_keyed(secrets->items[i], &ctx);
        if (err) {
            duban_seterr(errbuf, errbuf_size, err, "secret #%zu: not whsec_<base64>", i + 1);
            break;
        }
        if (!ctx || !hmac_standard_b64(ctx, id, ts, body, body_len, b64)) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOMEM, "secret #%zu: HMAC failed",
                               i + 1);
            break;
        }
        if (i)
            duban_buf_append(&sig, " ", 1);
        duban_buf_append(&sig, "v1,", 3);
        tb_str(&sig, b64);
    }
    if (err) {
        duban_buf_free(&sig);
        return err;
    }
    return tb_take(&sig, out);
}

duban_err_t duban_webhook_sign_dingtalk(const char *secret, int64_t ts_ms, char **out)
{
    char msg[512], b64[45];
    int n = snprintf(msg, sizeof(msg), "%" PRId64 "\n%s", ts_ms, secret);
    if (n < 0 || (size_t)n >= sizeof(msg))
        return DUBAN_E_TOO_LARGE;
    duban_webhook_hmac_b64(secret, strlen(secret), msg, (size_t)n, b64);
    return duban_webhook_urlencode(b64, out);
}

void duban_webhook_sign_feishu(const char *secret, int64_t ts_s, char out[static 45])
{
    char key[512];
    int n = snprintf(key, sizeof(key), "%" PRId64 "\n%s", ts_s, secret);
    if (n < 0 || (size_t)n >= sizeof(key))
        n = (int)sizeof(key) - 1;
    duban_webhook_hmac_b64(key, (size_t)n, "", 0, out);
}

/* ---------------------------------------------------------------------------
 * template rendering
 * ------------------------------------------------------------------------- */
const char *duban_webhook_default_template(void)
{
    return "【督办提醒】《{doc_title}》{task_ref}任务（牵头单位："
           "{lead_departments}）{status_phrase}";
}

static const char *jstr(const json_t *o, const char *k, const char *def)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : def;
}

/* The task's place in its document as a reader names it, from the outline
 * path duban-ingest writes ("二.(一).3", "附件.表1.R51", "附件9.第三条",
 * "正文2", "一.(一)/2"): labels (附件N, 表N, 任务N, 第…章/节/条/阶段) as printed,
 * the run of item numbers as "第….…项", a table's row as "第N行", a
 * paragraph without a number as "正文第N段"; the "/N" of a task split by
 * lead is dropped. Examples: 第二.(一).3项, 附件第一.(一).1项, 附件表1第51行,
 * 附件9第三条, 正文第2段. */
/* "第" + the run of item numbers path[at..at+len) + "项"; nothing when empty. */
static void put_item_numbers(duban_buf_t *b, const char *path, size_t at, size_t len)
{
    if (!len)
        return;
    tb_str(b, "第");
    duban_buf_append(b, path + at, len);
    tb_str(b, "项");
}

static void put_task_ref(duban_buf_t *b, const char *path)
{
    const char *end = strchr(path, '/');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    size_t nums_at = 0, nums_len = 0; /* the pending run of item numbers */
    for (size_t i = 0; i <= len;) {
        size_t j = i;
        while (j < len && path[j] != '.')
            j++;
        const char *seg = path + i;
        size_t n = j - i;
        bool label = n >= 3 && (duban_starts(seg, n, "第") || duban_starts(seg, n, "附件") ||
                                duban_starts(seg, n, "表") || duban_starts(seg, n, "正文") ||
                                duban_starts(seg, n, "任务"));
        bool row = n >= 2 && seg[0] == 'R' && seg[1] >= '0' && seg[1] <= '9';
        if (n && !label && !row) { /* an item number: extend the run */
            if (!nums_len)
                nums_at = i;
            nums_len = j - nums_at;
        } else if (n) {
            put_item_numbers(b, path, nums_at, nums_len);
            nums_len = 0;
            if (row) {
                tb_str(b, "第");
                duban_buf_append(b, seg + 1, n - 1);
                tb_str(b, "行");
            } else if (duban_starts(seg, n, "正文") && n > 6) {
                tb_str(b, "正文第");
                duban_buf_append(b, seg + 6, n - 6);
                tb_str(b, "段");
            } else {
                duban_buf_append(b, seg, n);
            }
        }
        i = j + 1;
    }
    put_item_numbers(b, path, nums_at, nums_len);
}

static void join_array(duban_buf_t *b, const json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (i)
            tb_str(b, "、");
        tb_str(b, json_string_value(v) ? json_string_value(v) : "");
    }
}

static void put_date_cn(duban_buf_t *b, const char *iso)
{
    int32_t d;
    char tmp[48];
    if (!iso || duban_date_parse(iso, &d) != DUBAN_OK) {
        tb_str(b, iso ? iso : "");
        return;
    }
    int y, m, dd;
    duban_date_to_ymd(d, &y, &m, &dd);
    snprintf(tmp, sizeof(tmp), "%d年%d月%d日", y, m, dd);
    tb_str(b, tmp);
}

static void put_status_phrase(duban_buf_t *b, const json_t *a)
{
    const char *kind = jstr(a, KEY(KIND, ENUM), "");
    const char *due = jstr(a, KEY(DUE_DATE, DATE), NULL);
    long long days = json_integer_value(json_object_get(a, KEY(DAYS_LEFT, INT)));
    char num[24];
    snprintf(num, sizeof(num), "%lld", days < 0 ? -days : days);
    if (strcmp(kind, "DUE_TODAY") == 0) {
        tb_str(b, "将于今天（");
        put_date_cn(b, due);
        tb_str(b, "）到期");
    } else if (strcmp(kind, "OVERDUE") == 0 || strcmp(kind, "ESCALATION") == 0) {
        tb_str(b, "已于");
        put_date_cn(b, due);
        tb_str(b, "到期，已逾期");
        tb_str(b, num);
        tb_str(b, strcmp(kind, "ESCALATION") == 0 ? "个工作日，请督办" : "个工作日");
    } else if (strcmp(kind, "PAST_DUE_AT_ISSUE") == 0) {
        tb_str(b, "的期限");
        put_date_cn(b, due);
        tb_str(b, "在印发时已过");
    } else {
        tb_str(b, "将于");
        put_date_cn(b, due);
        tb_str(b, "到期，剩余");
        tb_str(b, num);
        tb_str(b, "个工作日");
    }
}

static const char *level_cn(const char *level)
{
    if (strcmp(level, "RED") == 0) return "红灯";
    if (strcmp(level, "YELLOW") == 0) return "黄灯";
    if (strcmp(level, "GREEN") == 0) return "绿灯";
    return level;
}

/* Appends the value of placeholder name[0..n); false when unknown. The
 * placeholders are the template's names (what operators write in their
 * templates), not the record's: each reads its member by the .avsc's key. */
static bool put_var(duban_buf_t *b, const json_t *a, const char *name, size_t n)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    /* The placeholders that print a string (or symbol) member as it is. */
    static const struct {
        const char *name, *key;
    } plain[] = {
        {"doc_title", KEY(DOC_TITLE, STRING)},
        {"outline_path", KEY(OUTLINE_PATH, STRING)},
        {"task_text", KEY(TASK_TEXT, STRING)},
        {"deadline_text", KEY(DEADLINE_TEXT, STRING)},
        {"kind", KEY(KIND, ENUM)},
        {"alert_id", KEY(ALERT_ID, STRING)},
        {"task_id", KEY(TASK_ID, STRING)},
        {"doc_id", KEY(DOC_ID, STRING)},
        {"level", KEY(LEVEL, ENUM)},
    };
    for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
        if (n == strlen(plain[i].name) && memcmp(name, plain[i].name, n) == 0) {
            tb_str(b, jstr(a, plain[i].key, ""));
            return true;
        }
    if (IS("task_ref")) {
        put_task_ref(b, jstr(a, KEY(OUTLINE_PATH, STRING), ""));
    } else if (IS("lead_departments")) {
        /* An alert without the field (not from duban-alerter) falls back to
         * its departments; an empty list means the task names no lead. */
        const json_t *l = json_object_get(a, KEY(LEAD_DEPARTMENTS, STRINGS));
        if (!l)
            l = json_object_get(a, KEY(DEPARTMENTS, STRINGS));
        if (json_array_size(l))
            join_array(b, l);
        else
            tb_str(b, "未明确");
    } else if (IS("cooperating_departments")) {
        join_array(b, json_object_get(a, KEY(COOPERATING_DEPARTMENTS, STRINGS)));
    } else if (IS("departments")) {
        join_array(b, json_object_get(a, KEY(DEPARTMENTS, STRINGS)));
    } else if (IS("due_date")) {
        put_date_cn(b, jstr(a, KEY(DUE_DATE, DATE), NULL));
    } else if (IS("due_date_iso")) {
        tb_str(b, jstr(a, KEY(DUE_DATE, DATE), ""));
    } else if (IS("days_left") || IS("days_abs")) {
        long long d = json_integer_value(json_object_get(a, KEY(DAYS_LEFT, INT)));
        char num[24];
        snprintf(num, sizeof(num), "%lld", IS("days_abs") && d < 0 ? -d : d);
        tb_str(b, num);
    } else if (IS("level_cn")) {
        tb_str(b, level_cn(jstr(a, KEY(LEVEL, ENUM), "")));
    } else if (IS("status_phrase")) {
        put_status_phrase(b, a);
    } else {
        return false;
    }
    return true;
#undef IS
}

static void render_into(duban_buf_t *b, const char *tpl, const json_t *a)
{
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open + 1, '}') : NULL;
        if (!open || !close) {
            tb_str(b, p);
            return;
        }
        duban_buf_append(b, p, (size_t)(open - p));
        if (!put_var(b, a, open + 1, (size_t)(close - open - 1)))
            duban_buf_append(b, open, (size_t)(close - open + 1));
        p = close + 1;
    }
}

duban_err_t duban_webhook_render(const char *tpl, const json_t *alert, char **out,
                                 char *errbuf, size_t errbuf_size)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    if (!json_is_object(alert))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "alert: not an object");
    render_into(&b, tpl ? tpl : duban_webhook_default_template(), alert);
    return tb_take(&b, out);
}

/* ---------------------------------------------------------------------------
 * message text (single or digest), cut to max bytes
 * ------------------------------------------------------------------------- */
static void digest_header(duban_buf_t *b, const char *title, size_t k, bool md)
{
    char num[64];
    snprintf(num, sizeof(num), "共%zu条", k);
    if (md)
        tb_str(b, "### ");
    tb_str(b, title ? title : "【督办提醒汇总】");
    tb_str(b, num);
    tb_str(b, md ? "\n\n" : "\n");
}

static duban_err_t message_text(const duban_webhook_target_t *t, const json_t *const *alerts,
                                size_t n, size_t max, bool md, char **out, size_t *used)
{
    duban_buf_t lines, hdr;
    duban_buf_init(&lines, 0);
    duban_buf_init(&hdr, 0);
    size_t k = 0;
    if (n > 1)  /* only a digest has one */
        digest_header(&hdr, t->digest_title, n, md);
    for (; k < n; k++) {
        duban_buf_t line;
        duban_buf_init(&line, 0);
        char num[24];
        if (n > 1) {
            snprintf(num, sizeof(num), "%zu. ", k + 1);
            tb_str(&line, num);
        }
        render_into(&line, t->tpl ? t->tpl : duban_webhook_default_template(), alerts[k]);
        tb_str(&line, "\n");
        size_t fixed = n > 1 ? hdr.len : 0;
        bool fits = fixed + lines.len + line.len <= max;
        if (fits || k == 0)
            duban_buf_append(&lines, line.data, line.len);
        duban_err_t line_err = line.err;
        duban_buf_free(&line);
        if (line_err && !lines.err)
            lines.err = line_err;
        if (!fits)
            break;
    }
    if (k == 0)
        k = 1;
    duban_buf_t msg;
    duban_buf_init(&msg, 0);
    if (n > 1)
        digest_header(&msg, t->digest_title, k, md);
    duban_buf_append(&msg, lines.data, lines.len);
    if (msg.len && msg.data[msg.len - 1] == '\n')
        msg.len--;
    if (msg.len)
        msg.len = duban_utf8_cut((const char *)msg.data, msg.len, max);
    if ((lines.err || hdr.err) && !msg.err)
        msg.err = lines.err ? lines.err : hdr.err;
    duban_buf_free(&lines);
    duban_buf_free(&hdr);
    *used = k;
    return tb_take(&msg, out);
}

/* ---------------------------------------------------------------------------
 * bodies per format
 * ------------------------------------------------------------------------- */
/* The CloudEvent body, written directly (it is built for every delivery):
 * the envelope, then the alert as data with the message text as
 * data.message (in place of one the alert carries). Same bytes as
 * json_dumps(JSON_COMPACT) of the equivalent jansson object. */
static duban_err_t cloudevent_body(const duban_webhook_target_t *t, const json_t *a,
                                   const char *text, char **out, size_t *out_len)
{
    duban_buf_t b;
    duban_buf_init(&b, 0);
    duban_buf_reserve(&b, 2048);
    const char *id = jstr(a, KEY(ALERT_ID, STRING), "");
    const char *subject = jstr(a, KEY(TASK_ID, STRING), "");
    const char *source = t->ce_source ? t->ce_source : "urn:duban:notifier";
    const char *time = jstr(a, KEY(OCCURRED_AT, TIMESTAMP), NULL);
    duban_json_write_raw(&b, "{\"specversion\":\"1.0\",\"id\":");
    duban_err_t err = duban_json_write_string(&b, id, strlen(id));
    duban_json_write_raw(&b, ",\"source\":");
    if (!err)
        err = duban_json_write_string(&b, source, strlen(source));
    duban_json_write_raw(&b, ",\"type\":\"gov.duban.DeadlineAlert\",\"subject\":");
    if (!err)
        err = duban_json_write_string(&b, subject, strlen(subject));
    duban_json_write_raw(&b, ",\"datacontenttype\":\"application/json\",\"data\":{");
    bool first = true, have_message = false;
    for (void *it = json_object_iter((json_t *)a); !err && it;
         it = json_object_iter_next((json_t *)a, it)) {
        const char *key = json_object_iter_key(it);
        size_t key_len = json_object_iter_key_len(it);
        if (!first)
            duban_json_write_raw(&b, ",");
        first = false;
        err = duban_json_write_string(&b, key, key_len);
        duban_json_write_raw(&b, ":");
        bool is_message = key_len == 7 && memcmp(key, "message", 7) == 0;
        have_message |= is_message;
        if (!err)
            err = is_message ? duban_json_write_string(&b, text, strlen(text))
                             : duban_json_write(&b, json_object_iter_value(it));
    }
    if (!have_message) {
        duban_json_write_raw(&b, first ? "\"message\":" : ",\"message\":");
        if (!err)
            err = duban_json_write_string(&b, text, strlen(text));
    }
    duban_json_write_raw(&b, "}");
    if (time) {
        duban_json_write_raw(&b, ",\"time\":");
        if (!err)
            err = duban_json_write_string(&b, time, strlen(time));
    }
    duban_buf_append(&b, "}", 2);  /* with the terminating NUL */
    if (!err)
        err = b.err;
    if (err) {
        duban_buf_free(&b);
        return err;
    }
    *out = (char *)duban_buf_take(&b, out_len);
    (*out_len)--;
    return DUBAN_OK;
}

static json_t *robot_body(const duban_webhook_target_t *t, const char *text, int64_t now_ms)
{
    switch (t->format) {
    case DUBAN_WEBHOOK_DINGTALK:
        return json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown",
                         "title", "督办提醒", "text", text);
    case DUBAN_WEBHOOK_WECOM:
        return json_pack("{s:s, s:{s:s}}", "msgtype", "markdown", "markdown",
                         "content", text);
    default: {
        json_t *o = json_pack("{s:s, s:{s:s}}", "msg_type", "text", "content",
                              "text", text);
        if (o && t->secrets && t->secrets->count) {
            char ts[24], sign[45];
            snprintf(ts, sizeof(ts), "%" PRId64, now_ms / 1000);
            duban_webhook_sign_feishu(t->secrets->items[0], now_ms / 1000, sign);
            json_object_set_new(o, "timestamp", json_string(ts));
            json_object_set_new(o, "sign", json_string(sign));
        }
        return o;
    }
    }
}

static duban_err_t build_url(const duban_webhook_target_t *t, int64_t now_ms, char **out)
{
    duban_buf_t u;
    duban_buf_init(&u, 0);
    tb_str(&u, t->url);
    if (t->format == DUBAN_WEBHOOK_DINGTALK && t->secrets && t->secrets->count) {
        char *sign, ts[24];
        duban_err_t err = duban_webhook_sign_dingtalk(t->secrets->items[0], now_ms, &sign);
        if (err) {
            duban_buf_free(&u);
            return err;
        }
        snprintf(ts, sizeof(ts), "%" PRId64, now_ms);
        tb_str(&u, strchr(t->url, '?') ? "&timestamp=" : "?timestamp=");
        tb_str(&u, ts);
        tb_str(&u, "&sign=");
        tb_str(&u, sign);
        free(sign);
    }
    return tb_take(&u, out);
}

/* Adds the line "name: v"; composed on the stack when it is short (every
 * header duban writes itself), so the list's copy is its one allocation. */
static duban_err_t add_header(duban_webhook_request_t *r, const char *name, const char *v)
{
    size_t nl = strlen(name), vl = strlen(v), n = nl + 2 + vl;
    char small[256];
    char *line = n <= sizeof(small) ? small : malloc(n);
    if (!line)
        return DUBAN_E_NOMEM;
    memcpy(line, name, nl);
    memcpy(line + nl, ": ", 2);
    memcpy(line + nl + 2, v, vl);
    duban_err_t err = duban_strlist_push_len(&r->headers, line, n);
    if (line != small)
        free(line);
    return err;
}

static duban_err_t standard_headers(const duban_webhook_target_t *t, const json_t *a,
                                    int64_t now_ms, duban_webhook_request_t *r,
                                    char *errbuf, size_t errbuf_size)
{
    char ts[24], *sig = NULL;
    const char *id = jstr(a, KEY(ALERT_ID, STRING), "");
    snprintf(ts, sizeof(ts), "%" PRId64, now_ms / 1000);
    duban_err_t err = add_header(r, "webhook-id", id);
    if (!err)
        err = add_header(r, "webhook-timestamp", ts);
    if (!err && t->secrets && t->secrets->count) {
        err = duban_webhook_sign_standard(t->secrets, id, now_ms / 1000, r->body,
                                          r->body_len, &sig, errbuf, errbuf_size);
        if (!err)
            err = add_header(r, "webhook-signature", sig);
        free(sig);
    }
    return err;
}

void duban_webhook_request_init(duban_webhook_request_t *r)
{
    memset(r, 0, sizeof(*r));
    duban_strlist_init(&r->headers);
}

void duban_webhook_request_free(duban_webhook_request_t *r)
{
    free(r->url);
    free(r->body);
    duban_strlist_free(&r->headers);
    duban_webhook_request_init(r);
}

duban_err_t duban_webhook_build(const duban_webhook_target_t *t,
                                const json_t *const *alerts, size_t n,
                                int64_t now_ms, duban_webhook_request_t *out,
                                char *errbuf, size_t errbuf_size)
{
    bool is_json = t->format == DUBAN_WEBHOOK_JSON;
    size_t max = t->max_bytes ? t->max_bytes : duban_webhook_format_default_max_bytes(t->format);
    char *text = NULL;
    duban_webhook_request_init(out);
    if (n == 0 || !t->url)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "no alerts or no url");
    for (size_t i = 0; i < n; i++)
        if (!json_is_object(alerts[i]))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "alert %zu: not an object", i);
    duban_err_t err = message_text(t, alerts, is_json ? 1 : n, max,
                                   t->format != DUBAN_WEBHOOK_FEISHU && !is_json,
                                   &text, &out->alerts_used);
    if (!err && is_json) {
        err = cloudevent_body(t, alerts[0], text, &out->body, &out->body_len);
    } else if (!err) {
        json_t *body = robot_body(t, text, now_ms);
        out->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
        err = out->body ? DUBAN_OK : DUBAN_E_NOMEM;
        out->body_len = out->body ? strlen(out->body) : 0;
        json_decref(body);
    }
    free(text);
    if (!err)
        err = build_url(t, now_ms, &out->url);
    if (!err)
        err = add_header(out, "Content-Type", is_json ?
                         "application/cloudevents+json; charset=utf-8" :
                         "application/json; charset=utf-8");
    if (!err && is_json)
        err = standard_headers(t, alerts[0], now_ms, out, errbuf, errbuf_size);
    for (size_t i = 0; !err && t->headers && i < t->headers->count; i++)
        err = duban_strlist_push(&out->headers, t->headers->items[i]);
    if (err) {
        duban_webhook_request_free(out);
        return duban_seterr(errbuf, errbuf_size, err, "building %s request: %s",
                            duban_webhook_format_name(t->format), duban_err_str(err));
    }
    return DUBAN_OK;
}
