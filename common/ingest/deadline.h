/* common/deadline.h: deadline phrases of official documents -> due dates.
 * The rules of ../shared/DESIGN.md "Deadlines": year-less dates take the
 * document's year; 月底/年底/上半年/第N季度/上旬/中旬/下旬; ranges and phases end
 * on their last day; 印发之日起N日内 counts from the issue date; recurring
 * (每季度, 每月5日前) and open-ended (长期坚持, 持续推进) phrases; a year that
 * is only an attribute (《…（2023年版）》, 2018—2022年规划) is not a deadline.
 * Owns:   the rule table. Never: I/O, logging, global state, allocation.
 * Thread: any (pure functions of their arguments).
 *
 * INPUT CONTRACT (duban_deadline_extract):
 *   - UTF-8, not necessarily NUL-terminated (len bytes are read, never more).
 *   - Digits may be ASCII or full-width (０-９); both are read. Spaces (ASCII,
 *     TAB, CR/LF, U+3000) between the parts of a date are tolerated
 *     (`2023 年 6 月底`); spaces INSIDE a number (`2 0 2 1`) are not: the
 *     reader (text.h) removes letter-spacing first.
 *   - Punctuation may be full- or half-width: （( ）) ：: ，, ；; —-–－~～ are
 *     treated alike. Markup (`**`) is ignored wherever it is.
 *   - Pass the task's own text (item text, or the deadline table cell); do
 *     not include the document's signature date: any date at or after the
 *     issue date counts.
 *
 * RULES (all dates are calendar dates, Asia/Shanghai):
 *   Y年M月D日[前]            -> that day (前 is inclusive)
 *   Y年M月底/末[前], Y年M月[份] -> last day of M;  M月上旬/中旬/下旬 -> 10/20/last
 *   Y年M月前                  -> last day of M, flagged AMBIGUOUS (strict: M-1)
 *   Y年底/年末/年年底[前], 到Y年, Y年前(AMBIGUOUS) -> Dec 31 Y
 *   Y年上半年 -> Jun 30, 下半年 -> Dec 31, 第N季度/N季度[末] -> quarter end
 *   year-less M月D日/M月底/年底前/年内/上半年/三季度… -> the document year
 *   今年/本年 = doc year, 明年 = doc year + 1; Chinese numerals too
 *   (十二月底前, 二〇二三年六月三十日前)
 *   ranges A—B / A至B / A-B (and A和B): the end B, inheriting year/month
 *   from A (`2022年10月20日至10月31日`, `2021—2023年`, `2021年8月下旬和9月中下旬`)
 *   印发/下发/发布之日起N日(天)内 -> issue + N; N个工作日内 -> working days
 *   (ctx->add_workdays, or Monday–Friday when NULL); N个月内 -> issue + N months
 *   立行立改 alone -> the issue date (flag FROM_ISSUE); 立行立改并长期坚持 ->
 *   OPEN_ENDED (as the gold set reads it). 立即/即时 are NOT deadlines: in
 *   the gazettes they are event-triggered (`…后立即上报`).
 *   Not deadlines: anything inside 《》〔〕[]; Y年版; Y年度; a year range
 *   followed by a noun (`2022-2023年大气污染防治…方案`) or in brackets after
 *   规划/计划/方案/纲要 (`实施计划（2021-2025年）`); dates followed by 起/以来/
 *   至今 (start or history); a bare year followed by a noun (`2021年洁净煤`);
 *   a bare year after a verb that drafts or files a plan (`编报了2023年…计划`,
 *   `制定2008年责任目标`: the plan's year);
 *   a bare date after 的/为/比/较/自/从 (`下达的2023年1-3月目标`,
 *   `为2035年基本建成`); a bare year before a festival or season
 *   (2023年春节前, 汛期, 采暖季: no date to guess).
 *   "十四五"期间/时期/末 -> Dec 31 2025 (十N五: 1955+5N).
 *   A "weak" date (no 前/以前/为止 suffix, no 到/力争/争取/截止/时限：
 *   prefix, not inside a phase bracket `（…）`) before the issue date is
 *   history and is dropped (`截至2020年底`, `建于2007年10月`, `经2022年10月
 *   28日…会议`, `7月下旬至8月上旬` describing a season); strong ones are kept
 *   and flagged PAST_AT_ISSUE (`安排部署（2021 年 8 月上旬）` issued 09-09).
 *   A target 到Y… with Y before the document's year looks back (`到2020年底，
 *   全区95%以上…` in a 2022 plan) and is dropped.
 *   A bare year (`2025年`) counts after 到/力争/争取; before a clause end
 *   (，；。）TAB or the end: a table cell) when year >= doc year; before a
 *   verb/noun only when year > doc year (`2026年通过复核验收`, not
 *   `2021年洁净煤配送方案` in a 2021 document).
 *   Recurring: 每季度[末] -> QUARTERLY; 每月[N日前|底] -> MONTHLY day N/0
 *   (not 每人每月440元, 每月5%: rates); 每年M月D日前|每年M月底|每年年底 ->
 *   YEARLY, a later year-less date in the same text belongs to the rule
 *   (`每年12月5日前自评，12月10日前报送` -> 12/10); a bare 每年 is a quota
 *   (`每年至少举办1次`), not a deadline; `每年3月1日、6月1日、9月1日和12月1日前`
 *   -> QUARTERLY month 3 day 1; 每半年 -> HALF_YEARLY; 每学期 -> HALF_YEARLY
 *   (approximation); 每周[N][前] -> WEEKLY (每周五 day 5, not 每周一次);
 *   每季度首月/末月N日前 -> month 1/3 day N; 每季度结束后N日内 -> month 1
 *   day N (the report on the last quarter); likewise 每半年.
 *   定期/每天 have no period the schema can carry: they are open-ended.
 *   Open-ended: 长期坚持 持续推进 持续开展 常态化 长效 长期 定期 每天/每日,
 *   only standing as a clause of their own: a cell, a 时限 value, after
 *   并/，/TAB (`立行立改并长期坚持`, `2025年12月，并长期坚持`, `持续推进 区财政局`);
 *   inside a sentence they are verbs (`持续开展“六清”行动`, `长期闲置`).
 * KIND: any dated deadline -> DATED (due_date = the latest; flag ONGOING when
 *   an open-ended phrase is also present: `2022年12月31日前完成整改并长期坚持`);
 *   else a recurrence -> RECURRING (due_date = first occurrence on or after
 *   the issue date, or DUBAN_DATE_NONE when the issue date is unknown);
 *   else open-ended -> OPEN_ENDED; else NONE.
 * MILESTONES: every distinct dated phrase, in order, when there are >1
 *   (a phrase repeated verbatim with the same date counts once); at most 8.
 * TEXT: the phrase as printed (prefix 到/力争到 and suffix 前/底前 included).
 *   With several phrases, the span from the first to the last when it is at
 *   most 40 characters, else the phrases joined by "；". Truncated at 511
 *   bytes on a character boundary. */
#ifndef DUBAN_DEADLINE_H
#define DUBAN_DEADLINE_H
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "recurrence.h"

#define DUBAN_DEADLINE_MAX_MILESTONES 8
#define DUBAN_DEADLINE_TEXT_MAX 512
/* One milestone is one date phrase ("2023年7月3日—7月31日"; 34 bytes the
 * longest in the gazettes and the dev corpus); a longer one is cut at a
 * character boundary. Kept small: a deadline is copied with every task. */
#define DUBAN_MILESTONE_TEXT_MAX 128

/* flags of duban_deadline_t */
enum {
    DUBAN_DEADLINE_F_ONGOING = 1 << 0,        /* dated + 长期坚持-like phrase */
    DUBAN_DEADLINE_F_PAST_AT_ISSUE = 1 << 1,  /* due_date < issue date */
    DUBAN_DEADLINE_F_AMBIGUOUS = 1 << 2,      /* Y年前 / M月前 reading chosen */
    DUBAN_DEADLINE_F_FROM_ISSUE = 1 << 3      /* computed from the issue date */
};

typedef struct {
    int32_t due_date;                              /* epoch day */
    char text[DUBAN_MILESTONE_TEXT_MAX];           /* phrase as printed */
} duban_milestone_t;

typedef struct {
    duban_deadline_kind_t kind;
    int32_t due_date;              /* latest dated deadline, or DUBAN_DATE_NONE */
    char text[DUBAN_DEADLINE_TEXT_MAX];  /* deadline_text as printed; "" if none */
    duban_recurrence_t recurrence; /* period NONE unless kind is RECURRING */
    duban_milestone_t milestones[DUBAN_DEADLINE_MAX_MILESTONES];
    size_t milestone_count;        /* every dated deadline, when >1 (else 0) */
    unsigned flags;                /* DUBAN_DEADLINE_F_* */
} duban_deadline_t;

typedef struct {
    int doc_year;        /* year of the document (year-less dates take it) */
    int32_t issue_date;  /* epoch day of the issue date, or DUBAN_DATE_NONE */
    /* Optional: `date` + n working days (holiday calendar). NULL: Mon–Fri. */
    int32_t (*add_workdays)(void *user, int32_t date, int n);
    void *user;
} duban_deadline_ctx_t;

/* Find the deadline(s) in one task's text (see INPUT CONTRACT above; any
 * length, O(len), no allocation). Fills *out (kind NONE when the text holds
 * no deadline). ctx->doc_year 0 with a known issue_date takes the issue
 * date's year. With neither (an excerpt that prints no date), the text's
 * first year "20xx年" stands in and a dated result is flagged AMBIGUOUS;
 * with no year in the text either, a dated phrase gives kind NONE (its text
 * kept) and a recurrence no due date. A recurrence's first due date is the
 * first on or after the issue date (Jan 1 of the year when there is none)
 * and its printed start (从2022年3月起). Returns DUBAN_OK, or DUBAN_E_INVAL
 * on NULL arguments (text may be NULL when len is 0) or a doc_year outside
 * 1900..2199. */
duban_err_t duban_deadline_extract(const char *text, size_t len,
                                   const duban_deadline_ctx_t *ctx,
                                   duban_deadline_t *out,
                                   char *errbuf, size_t errbuf_size);

/* An add_workdays for the context over the holiday calendar of
 * common/calendar.h: ctx.add_workdays = duban_deadline_calendar_workdays;
 * ctx.user = (void *)cal (a const duban_calendar_t *). */
int32_t duban_deadline_calendar_workdays(void *calendar, int32_t date, int n);

/* Holidays and seasons work is set before or in (春节, 国庆, 汛期, 开学…),
 * which no rule reads as a date ("2023年春节前"); NULL-terminated. A 节 may
 * follow the name as printed (国庆节前). */
extern const char *const duban_deadline_seasons[];

/* "DATED", "RECURRING", "OPEN_ENDED", "NONE" (static strings). */
const char *duban_deadline_kind_name(duban_deadline_kind_t kind);
/* "WEEKLY" … "YEARLY", "NONE" for DUBAN_RECUR_NONE. */
const char *duban_recur_period_name(duban_recur_period_t period);

#endif
