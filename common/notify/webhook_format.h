/* common/notify/webhook_format.h: what duban says to a webhook, as pure functions.
 * Builds the HTTP request (URL, headers, body) for one alert or a digest of
 * several, in one of four formats:
 *   json      CloudEvents 1.0 structured JSON, signed per Standard Webhooks
 *             (webhook-id = alert_id, webhook-timestamp, webhook-signature
 *             "v1,<base64 HMAC-SHA256(id.timestamp.body)>", one per secret);
 *   dingtalk  markdown message, `timestamp` (ms) + `sign` query parameters,
 *             sign = urlencode(base64(HMAC-SHA256(key=secret,
 *             msg="timestamp\nsecret")));
 *   wecom     markdown message (key already in the URL), content cut to the
 *             byte limit (4096) on a UTF-8 character boundary;
 *   feishu    text message with "timestamp" (s) and "sign" =
 *             base64(HMAC-SHA256(key="timestamp\nsecret", msg="")).
 * The Chinese message text comes from a template with {placeholders}.
 * Owns:   per thread, a keyed HMAC context for each of the last few
 *         Standard Webhooks secrets it signed with (freed at thread exit).
 *         Never: does I/O, logs (bodies carry no
 *         secrets; URLs may carry tokens: never log them), reads the clock
 *         (now_ms is an argument). Thread: any. */
#ifndef DUBAN_WEBHOOK_FORMAT_H
#define DUBAN_WEBHOOK_FORMAT_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "strlist.h"

typedef enum {
    DUBAN_WEBHOOK_JSON = 0,
    DUBAN_WEBHOOK_DINGTALK,
    DUBAN_WEBHOOK_WECOM,
    DUBAN_WEBHOOK_FEISHU
} duban_webhook_format_t;

/* "json" | "dingtalk" | "wecom" | "feishu". */
duban_err_t duban_webhook_format_parse(const char *name, duban_webhook_format_t *out);
const char *duban_webhook_format_name(duban_webhook_format_t f);
/* The byte limit of one message's text for a format (wecom 4096 ...). */
size_t duban_webhook_format_default_max_bytes(duban_webhook_format_t f);

/* The default single-alert template (static). Placeholders:
 * {doc_title} {outline_path} {task_ref} (the outline path as a reader names
 * the place: 第二.(一).3项, 附件表1第51行, 附件9第三条, 正文第2段)
 * {task_text} {lead_departments}
 * {cooperating_departments} {departments} {due_date} (2023年6月30日)
 * {due_date_iso} {days_left} {days_abs} {deadline_text} {kind} {level}
 * {level_cn} {status_phrase} (将于…到期，剩余N个工作日 / 已逾期N个工作日 ...)
 * {alert_id} {task_id} {doc_id}. Unknown placeholders are kept as they are. */
const char *duban_webhook_default_template(void);

/* Renders tpl for alert into *out (NEW, free()). */
duban_err_t duban_webhook_render(const char *tpl, const json_t *alert, char **out,
                                 char *errbuf, size_t errbuf_size);

/* ---- signing primitives ---- */
/* HMAC-SHA256(key, msg) as standard base64 into out (45 bytes with NUL). */
void duban_webhook_hmac_b64(const void *key, size_t key_len, const void *msg,
                            size_t msg_len, char out[static 45]);
/* Percent-encodes everything except A-Z a-z 0-9 - _ . ~ ; *out NEW. */
duban_err_t duban_webhook_urlencode(const char *s, char **out);
/* Standard Webhooks: "v1,<sig>" for each secret, space separated, into *out
 * (NEW). A secret "whsec_<base64>" is base64-decoded, others used raw. */
duban_err_t duban_webhook_sign_standard(const duban_strlist_t *secrets, const char *id,
                                        int64_t ts_s, const char *body, size_t body_len,
                                        char **out, char *errbuf, size_t errbuf_size);
/* DingTalk sign (already urlencoded), ts in milliseconds; *out NEW. */
duban_err_t duban_webhook_sign_dingtalk(const char *secret, int64_t ts_ms, char **out);
/* Feishu sign (base64), ts in seconds, into out. */
void duban_webhook_sign_feishu(const char *secret, int64_t ts_s, char out[static 45]);

/* ---- requests ---- */
typedef struct {
    char *url;              /* NEW; may carry tokens: never log it */
    duban_strlist_t headers; /* "Name: value" lines */
    char *body;             /* NEW, NUL-terminated */
    size_t body_len;
    size_t alerts_used;     /* how many of the alerts the body carries */
} duban_webhook_request_t;

void duban_webhook_request_init(duban_webhook_request_t *r);
void duban_webhook_request_free(duban_webhook_request_t *r);

typedef struct {
    const char *url;
    duban_webhook_format_t format;
    const duban_strlist_t *secrets;    /* may be NULL or empty: unsigned */
    const duban_strlist_t *headers;    /* extra "Name: value", may be NULL */
    const char *tpl;                   /* NULL: the default template */
    const char *digest_title;          /* NULL: 【督办提醒汇总】 */
    size_t max_bytes;                  /* 0: the format's default */
    const char *ce_source;             /* CloudEvents source; NULL: "urn:duban:notifier" */
} duban_webhook_target_t;

/* Builds the request for alerts[0..n). n == 1: one message; n > 1: one
 * digest message carrying as many whole alert lines as fit in max_bytes (at
 * least one; alerts_used tells how many). The json format always carries
 * exactly one alert. now_ms is the signing time. */
duban_err_t duban_webhook_build(const duban_webhook_target_t *t,
                                const json_t *const *alerts, size_t n,
                                int64_t now_ms, duban_webhook_request_t *out,
                                char *errbuf, size_t errbuf_size);

#endif
