/* common/core/log.c: logfmt lines on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <stdbool.h>
#include <stdint.h>
#include "log.h"
#include "utf8.h"

int duban_log_level = DUBAN_LOG_INFO;
static char log_prog[64] = "duban";

void duban_log_init(const char *prog, int level)
{
    if (prog) {
        const char *slash = strrchr(prog, '/');
        snprintf(log_prog, sizeof(log_prog), "%s", slash ? slash + 1 : prog);
    }
    if (level >= 0)
        duban_log_level = level;
}

int duban_log_level_parse(const char *name)
{
    static const struct { const char *name; int level; } levels[] = {
        {"error", DUBAN_LOG_ERROR}, {"warn", DUBAN_LOG_WARN},
        {"info", DUBAN_LOG_INFO}, {"debug", DUBAN_LOG_DEBUG},
    };
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        if (name && strcmp(name, levels[i].name) == 0)
            return levels[i].level;
    return -1;
}

static const char *level_name(int level)
{
    switch (level) {
    case DUBAN_LOG_ERROR: return "error";
    case DUBAN_LOG_WARN: return "warn";
    case DUBAN_LOG_INFO: return "info";
    default: return "debug";
    }
}

void duban_log_write(int level, const char *fac, const char *kv,
                     const char *fmt, ...)
{
    char msg[1024], quoted[1024 * 4 + 32];   /* \xNN per byte at worst */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    size_t q = 0, len = strlen(msg);
    for (size_t i = 0; i < len && q < sizeof(quoted) - 20;) {
        uint32_t cp;
        size_t n = duban_utf8_decode(msg + i, len - i, &cp);
        bool invalid = cp == 0xFFFD && (n != 3 || memcmp(msg + i, "\xef\xbf\xbd", 3) != 0);
        if (invalid || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
            cp == 0x2029) {
            /* control characters and bytes that are not UTF-8 never reach
             * the log raw (a URL or a header may carry anything) */
            if (cp == '\n') {
                q += (size_t)snprintf(quoted + q, sizeof(quoted) - q, "\\n");
            } else if (invalid) {
                for (size_t k = 0; k < n; k++)
                    q += (size_t)snprintf(quoted + q, sizeof(quoted) - q, "\\x%02x",
                                          (unsigned char)msg[i + k]);
            } else {
                q += (size_t)snprintf(quoted + q, sizeof(quoted) - q, "\\u%04x",
                                      (unsigned)cp);
            }
        } else if (cp == '"' || cp == '\\') {
            quoted[q++] = '\\';
            quoted[q++] = msg[i];
        } else {
            memcpy(quoted + q, msg + i, n);
            q += n;
        }
        i += n;
    }
    quoted[q] = '\0';

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[32];
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "ts=%s.%03dZ level=%s prog=%s fac=%s msg=\"%s\"%s%s\n", ts,
            (int)(tv.tv_usec / 1000), level_name(level), log_prog,
            fac ? fac : "-", quoted, kv ? " " : "", kv ? kv : "");
}
