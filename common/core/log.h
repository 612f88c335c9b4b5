/* common/core/log.h: leveled, structured log lines on stderr, one convention for
 * every duban program: logfmt, e.g.
 *   ts=2026-11-25T15:30:00.123Z level=warn prog=duban-alerter fac=DLQ msg="..." topic=... off=12
 * Owns:   the process-wide log level and program name.
 * Never:  logs secrets or whole documents (callers pass short fields only).
 * Thread: safe; one fprintf per line. */
#ifndef DUBAN_LOG_H
#define DUBAN_LOG_H

typedef enum {
    DUBAN_LOG_ERROR = 3, DUBAN_LOG_WARN = 4, DUBAN_LOG_INFO = 6, DUBAN_LOG_DEBUG = 7
} duban_log_level_t;

extern int duban_log_level;

void duban_log_init(const char *prog, int level);
/* "error" | "warn" | "info" | "debug" -> level; -1 if unknown. */
int duban_log_level_parse(const char *name);

/* fac: upper-case facility tag. kv: already formatted "k=v k=v" or NULL.
 * msg is quoted and escaped. */
void duban_log_write(int level, const char *fac, const char *kv,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define DUBAN_LOG(level, fac, kv, ...) do {                          \
        if ((level) <= duban_log_level)                              \
            duban_log_write((level), (fac), (kv), __VA_ARGS__);      \
    } while (0)
#define duban_error(fac, ...) DUBAN_LOG(DUBAN_LOG_ERROR, fac, NULL, __VA_ARGS__)
#define duban_warn(fac, ...)  DUBAN_LOG(DUBAN_LOG_WARN, fac, NULL, __VA_ARGS__)
#define duban_info(fac, ...)  DUBAN_LOG(DUBAN_LOG_INFO, fac, NULL, __VA_ARGS__)
#define duban_debug(fac, ...) DUBAN_LOG(DUBAN_LOG_DEBUG, fac, NULL, __VA_ARGS__)

#endif
