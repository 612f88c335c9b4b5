/* common/core/date.c: civil-date arithmetic (days from civil, after Howard
 * Hinnant's public-domain algorithms) and ISO-8601 text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "date.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int duban_date_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool duban_date_valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
           d <= duban_date_days_in_month(y, m);
}

int32_t duban_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void duban_date_to_ymd(int32_t date, int *y, int *m, int *d)
{
    int64_t z = (int64_t)date + 719468; /* 64-bit: any int32 date is safe */
    int era = (int)((z >= 0 ? z : z - 146096) / 146097);
    unsigned doe = (unsigned)(z - (int64_t)era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

int duban_date_weekday(int32_t date)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((date % 7 + 7 + 3) % 7);
    return w + 1;
}

static bool parse_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD" at s (10 characters; what follows is the caller's). */
static bool parse_ymd(const char *s, int32_t *out)
{
    int y, m, d;
    if (s[4] != '-' || s[7] != '-' || !parse_digits(s, 4, &y) || !parse_digits(s + 5, 2, &m) ||
        !parse_digits(s + 8, 2, &d) || !duban_date_valid_ymd(y, m, d))
        return false;
    *out = duban_date_from_ymd(y, m, d);
    return true;
}

duban_err_t duban_date_parse(const char *s, int32_t *out)
{
    if (!s || strnlen(s, 11) != 10 || !parse_ymd(s, out))
        return DUBAN_E_PARSE;
    return DUBAN_OK;
}

/* Writes v (0 <= v < 10^width) as `width` digits at p, zero-padded. */
static char *put_digits(char *p, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

/* YYYY-MM-DD at p (10 bytes); returns the end. Written by hand: printf's
 * format parsing was most of the cost of printing an event's times. */
static char *put_ymd(char *p, int y, int m, int d)
{
    p = put_digits(p, y % 10000, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

char *duban_date_format(int32_t date, char buf[static 11])
{
    int y, m, d;
    duban_date_to_ymd(date, &y, &m, &d);
    if (y < 0) { /* before year 0: as printf writes it, "-001-..." */
        char tmp[48];
        snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y % 10000, m, d);
        memcpy(buf, tmp, 10);
        buf[10] = '\0';
        return buf;
    }
    *put_ymd(buf, y, m, d) = '\0';
    return buf;
}

int32_t duban_date_of_instant(int64_t ms)
{
    ms = duban_instant_clamp(ms);
    int64_t local = ms + DUBAN_SHANGHAI_OFFSET_MS;
    int64_t day = local / DUBAN_DAY_MS;
    if (local % DUBAN_DAY_MS < 0)
        day--;
    return (int32_t)day;
}

int64_t duban_instant_at(int32_t date, int hour, int minute)
{
    return (int64_t)date * DUBAN_DAY_MS + (int64_t)hour * 3600000 +
           (int64_t)minute * 60000 - DUBAN_SHANGHAI_OFFSET_MS;
}

duban_err_t duban_instant_parse(const char *s, int64_t *out)
{
    if (!s || !*s)
        return DUBAN_E_PARSE;
    size_t len = strlen(s);
    /* Epoch milliseconds (at least 11 characters, digits and '-'); an ISO
     * time has its 'T' or ' ' at offset 10, which rules that out at once. */
    if (len > 10 && s[10] != 'T' && s[10] != ' ' && strspn(s, "0123456789-") == len) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*end)
            return DUBAN_E_PARSE;
        *out = v;
        return DUBAN_OK;
    }
    int32_t date;
    if (len < 10 || !parse_ymd(s, &date))
        return DUBAN_E_PARSE;
    if (len == 10) {
        *out = duban_instant_at(date, 0, 0);
        return DUBAN_OK;
    }
    const char *p = s + 10;
    int hh, mm, ss = 0, ms = 0;
    if ((*p != 'T' && *p != ' ') || !parse_digits(p + 1, 2, &hh) || p[3] != ':' ||
        !parse_digits(p + 4, 2, &mm))
        return DUBAN_E_PARSE;
    p += 6;
    if (*p == ':') {
        if (!parse_digits(p + 1, 2, &ss))
            return DUBAN_E_PARSE;
        p += 3;
        if (*p == '.') {
            p++;
            int digits = 0;
            while (*p >= '0' && *p <= '9') {
                if (digits < 3)
                    ms = ms * 10 + (*p - '0');
                digits++;
                p++;
            }
            if (digits == 0)
                return DUBAN_E_PARSE;
            for (; digits < 3; digits++)
                ms *= 10;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60)
        return DUBAN_E_PARSE;
    int64_t offset_ms;
    if (*p == 'Z' && p[1] == '\0') {
        offset_ms = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (!parse_digits(p + 1, 2, &oh) || !parse_digits(p + 4, 2, &om) || om > 59 ||
            oh * 60 + om > 14 * 60)   /* UTC offsets in use: -12:00 .. +14:00 */
            return DUBAN_E_PARSE;
        offset_ms = ((int64_t)oh * 60 + om) * 60000 * (*p == '-' ? -1 : 1);
    } else if (*p == '\0') {
        offset_ms = DUBAN_SHANGHAI_OFFSET_MS; /* local Shanghai time */
    } else {
        return DUBAN_E_PARSE;
    }
    *out = (int64_t)date * DUBAN_DAY_MS + (((int64_t)hh * 60 + mm) * 60 + ss) * 1000 +
           ms - offset_ms;
    return DUBAN_OK;
}

int64_t duban_instant_clamp(int64_t ms)
{
    return ms < DUBAN_INSTANT_MIN ? DUBAN_INSTANT_MIN : ms > DUBAN_INSTANT_MAX ? DUBAN_INSTANT_MAX : ms;
}

char *duban_instant_format(int64_t ms, char buf[static 32])
{
    ms = duban_instant_clamp(ms);
    int32_t date = duban_date_of_instant(ms);
    int64_t in_day = ms + DUBAN_SHANGHAI_OFFSET_MS - (int64_t)date * DUBAN_DAY_MS;
    int y, m, d;
    duban_date_to_ymd(date, &y, &m, &d);
    int msec = (int)(in_day % 1000);
    int sec = (int)(in_day / 1000);
    char *p = put_ymd(buf, y, m, d);
    *p++ = 'T';
    p = put_digits(p, sec / 3600, 2);
    *p++ = ':';
    p = put_digits(p, sec / 60 % 60, 2);
    *p++ = ':';
    p = put_digits(p, sec % 60, 2);
    if (msec) {
        *p++ = '.';
        p = put_digits(p, msec, 3);
    }
    memcpy(p, "+08:00", 7);
    return buf;
}

int64_t duban_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
