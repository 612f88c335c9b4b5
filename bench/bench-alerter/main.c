/* duban-bench-alerter: the alerter with 1,000,000 open tasks.
 *
 * Part 1 (in process, one core): builds TaskAssigned events shaped like the
 * gazettes' (doc_id#outline ids, ~420-byte Chinese text, canonical
 * departments from a pool of 40, due dates spread over a year) and applies
 * them to one alerter engine: events/s of apply, resident memory per task,
 * and the cost of firing the alerts of one busy 09:00.
 * Part 2 (Kafka): starts duban-broker with enough partitions for the mock's
 * 5 MiB/partition retention (it holds the whole history: printed), produces
 * the tasks, starts duban-alerter (--now at 08:59:40 of a busy day) and
 * reads from its log the state rebuild time, its resident memory per task,
 * and how late the 09:00 alerts fired (clock - fire_at at emission).
 * Options: --tasks N (default 1000000), --skip-kafka, --decode-only (only the
 * in-process decode + apply part), --skip-engine (only the Kafka part),
 * --bootstrap LIST --partitions N: part 2 on a broker already running (real
 * Kafka, duban's topics created with N partitions) instead of duban-broker. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "alerter.h"
#include "bench.h"
#include "calendar.h"
#include "date.h"
#include "event.h"
#include "kafka.h"
#include "serde.h"
#include "serde_task_event.h"

static const char *const depts[] = {
    "区发展和改革局", "区财政局", "区教育体育局", "区工业信息化和商务局", "区住房城乡建设和交通局",
    "区农业农村和水务局", "区卫生健康局", "区民政局", "区人力资源和社会保障局", "区自然资源局",
    "区应急管理局", "区综合执法局", "区文化旅游广电局", "区委宣传部", "区委组织部",
    "市生态环境局大武口分局", "市市场监督管理局大武口区分局", "市公安局大武口区分局", "星海镇",
    "各街道办事处", "区审批服务管理局", "区司法局", "区医疗保障局", "区退役军人事务局",
    "区残联", "区妇联", "团区委", "区总工会", "区科协", "区融媒体中心", "区委政法委",
    "区委编办", "区人才办", "区档案馆", "区统计局", "区审计局", "区信访局", "区机关事务服务中心",
    "石嘴山高新区", "区税务局"};
#define NDEPTS (sizeof(depts) / sizeof(depts[0]))

static const char *const text_body =
    "围绕全区经济社会发展目标，加快推进重点项目建设，完善工作机制，细化任务分工，明确时间节点，"
    "强化督促检查，确保各项任务按期保质完成；对工作滞后、成效不佳的单位在全区范围内予以通报，"
    "并将落实情况纳入年度目标考核，每月向区督查室报送工作推进情况。";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* VmRSS (peak = 0) or VmHWM (peak = 1) of a process. */
long bench_rss_kb_of(pid_t pid, int peak)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    const char *key = peak ? "VmHWM:" : "VmRSS:";
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, key, 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

long bench_rss_kb(pid_t pid)
{
    return bench_rss_kb_of(pid, 0);
}

/* Task i: 1000 tasks per document, due dates over 360 days from base. */
json_t *bench_make_task(size_t i, int32_t issue, int32_t base_due)
{
    char doc_id[64], outline[64], task_id[160], text[1024], sha[65], due[11], at[32];
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    snprintf(doc_id, sizeof(doc_id), "石大政办发〔2024〕%zu号", i / 1000 + 1);
    snprintf(outline, sizeof(outline), "%s.(%s).%zu", cn[(i / 100) % 10], cn[(i / 10) % 10],
             i % 10 + 1);
    snprintf(task_id, sizeof(task_id), "%s#%s", doc_id, outline);
    snprintf(text, sizeof(text), "第%zu项：%s", i, text_body);
    snprintf(sha, sizeof(sha), "%064zx", i * 2654435761u + 1);
    duban_date_format(base_due + (int32_t)(i % 360), due);
    duban_instant_format(duban_instant_at(issue, 0, 0), at);
    return json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:[s],s:[s,s],s:[s],s:[s,s],s:s,s:s,"
                     "s:s,s:n,s:[],s:s,s:s,s:[s],s:{s:s,s:i,s:i}}",
                     "type", "TaskAssigned", "event_id", sha, "occurred_at", at,
                     "schema_version", 1, "task_id", task_id, "doc_id", doc_id,
                     "outline_path", outline, "text", text, "lead_units", depts[i % NDEPTS],
                     "cooperating_units", depts[(i * 7 + 3) % NDEPTS],
                     depts[(i * 13 + 5) % NDEPTS], "lead_departments", depts[i % NDEPTS],
                     "cooperating_departments", depts[(i * 7 + 3) % NDEPTS],
                     depts[(i * 13 + 5) % NDEPTS], "deadline_text", "2025年底前",
                     "due_date", due, "deadline_kind", "DATED", "recurrence", "milestones",
                     "content_sha256", sha, "doc_title",
                     "大武口区人民政府办公室关于印发重点任务分工方案的通知", "issuers",
                     "大武口区人民政府办公室", "source", "file", "bench.txt", "line",
                     (int)(i % 5000 + 1), "offset", (int)(i % 5000) * 120);
}

static duban_err_t count_alert(const json_t *alert, const char *task_id, void *opaque)
{
    (void)alert;
    (void)task_id;
    (*(size_t *)opaque)++;
    return DUBAN_OK;
}

static void part_engine(const bench_t *b)
{
    duban_alerter_conf_t ac = {.cal = b->cal, .late_after_ms = 60000};
    duban_ladder_conf_default(&ac.ladder);
    char err[256];
    duban_alerter_t *a;
    if (duban_alerter_new(&ac, &a, err, sizeof(err)))
        return;
    long rss0 = bench_rss_kb(getpid());
    double apply_s = 0;
    int64_t now = duban_instant_at(b->issue, 0, 0);
    size_t alerts = 0;
    /* Each event is applied right after it is built, as the service applies
     * it right after decoding; only the apply is timed. */
    for (size_t i = 0; i < b->n; i++) {
        json_t *ev = bench_make_task(i, b->issue, b->base_due);
        double t0 = now_s();
        duban_alerter_apply(a, ev, now, count_alert, &alerts, err, sizeof(err));
        apply_s += now_s() - t0;
        json_decref(ev);
    }
    long rss1 = bench_rss_kb(getpid());
    duban_alerter_stats_t st;
    duban_alerter_stats(a, &st);
    printf("engine: %zu tasks applied in %.2f s: %.0f events/s (one core, apply only)\n",
           st.tasks, apply_s, st.tasks / apply_s);
    printf("engine: resident memory %.1f MB for the tasks: %.0f bytes/task "
           "(arena %.0f, tables %.0f bytes/task)\n", (rss1 - rss0) / 1024.0,
           (rss1 - rss0) * 1024.0 / (double)st.tasks, (double)st.arena_bytes / st.tasks,
           (double)st.table_bytes / st.tasks);
    /* The busiest 09:00: fire everything up to it, then time that instant. */
    int64_t busy = duban_instant_at(b->busy_day, 9, 0);
    duban_alerter_advance(a, busy - 1, count_alert, &alerts);
    size_t before = alerts;
    double t0 = now_s();
    duban_alerter_advance(a, busy, count_alert, &alerts);
    double fire_s = now_s() - t0;
    printf("engine: %zu alerts due at %s 09:00 built in %.3f s (%.0f alerts/s)\n",
           alerts - before, "the busy day", fire_s, (alerts - before) / fire_s);
    duban_alerter_destroy(a);
}

/* What duban-alerter's apply_message does with a message. */
static duban_err_t bench_decode_apply(duban_alerter_t *a, duban_serde_t *serde,
                                      duban_task_event_t *ev, const void *msg, size_t len,
                                      int64_t now, duban_alert_emit_cb *emit, void *opaque)
{
    char err[512];
    duban_err_t e = duban_serde_decode_task(serde, msg, len, ev, err, sizeof(err));
    if (!e)
        e = duban_alerter_apply_event(a, ev, now, emit, opaque, err, sizeof(err));
    return e;
}

/* The service's per-message path on one core, no broker: TaskAssigned
 * messages (Confluent frame + Avro, encoded beforehand in chunks, untimed)
 * decoded and applied exactly as duban-alerter does while rebuilding. */
static void part_decode(const bench_t *b)
{
    duban_alerter_conf_t ac = {.cal = b->cal, .late_after_ms = 60000};
    duban_ladder_conf_default(&ac.ladder);
    char err[512];
    duban_alerter_t *a = NULL;
    duban_serde_t *serde = NULL;
    if (duban_alerter_new(&ac, &a, err, sizeof(err)) ||
        duban_serde_new(NULL, &serde, err, sizeof(err))) {
        fprintf(stderr, "bench: %s\n", err);
        duban_alerter_destroy(a);
        return;
    }
    enum { CHUNK = 10000 };
    void **msgs = calloc(CHUNK, sizeof(void *));
    size_t *lens = calloc(CHUNK, sizeof(size_t)), alerts = 0, bad = 0;
    int64_t now = duban_instant_at(b->issue, 0, 0);
    double dec_s = 0;
    duban_task_event_t tev;
    duban_task_event_init(&tev);
    for (size_t i0 = 0; msgs && lens && i0 < b->n; i0 += CHUNK) {
        size_t m = b->n - i0 < CHUNK ? b->n - i0 : CHUNK;
        for (size_t k = 0; k < m; k++) {
            json_t *ev = bench_make_task(i0 + k, b->issue, b->base_due);
            if (duban_serde_encode(serde, DUBAN_EV_TASK_ASSIGNED, NULL, ev, &msgs[k], &lens[k],
                                   err, sizeof(err)))
                msgs[k] = NULL;
            json_decref(ev);
        }
        double t0 = now_s();
        for (size_t k = 0; k < m; k++)
            bad += bench_decode_apply(a, serde, &tev, msgs[k], lens[k], now, count_alert,
                                      &alerts) != DUBAN_OK;
        dec_s += now_s() - t0;
        for (size_t k = 0; k < m; k++)
            free(msgs[k]);
    }
    duban_alerter_stats_t st;
    duban_alerter_stats(a, &st);
    printf("decode: %zu Avro messages decoded and applied in %.2f s: %.0f events/s (one core, "
           "the service's path; %zu failed)\n", st.tasks, dec_s, st.tasks / dec_s, bad);
    free(msgs);
    free(lens);
    duban_task_event_free(&tev);
    duban_serde_destroy(serde);
    duban_alerter_destroy(a);
}

int main(int argc, char **argv)
{
    bench_t b = {.n = 1000000};
    int skip_kafka = 0, only_decode = 0, skip_engine = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tasks") && i + 1 < argc)
            b.n = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--skip-kafka"))
            skip_kafka = 1;
        else if (!strcmp(argv[i], "--decode-only"))
            only_decode = skip_kafka = 1;
        else if (!strcmp(argv[i], "--skip-engine"))
            skip_engine = 1;
        else if (!strcmp(argv[i], "--bootstrap") && i + 1 < argc)
            b.bootstrap = argv[++i];
        else if (!strcmp(argv[i], "--partitions") && i + 1 < argc)
            b.partitions = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--tasks N] [--skip-kafka] [--decode-only] "
                    "[--skip-engine] [--bootstrap LIST --partitions N]\n", argv[0]);
            return 2;
        }
    }
    if (b.bootstrap && b.partitions < 1) {
        fprintf(stderr, "%s: --bootstrap needs --partitions N (those of duban's topics)\n",
                argv[0]);
        return 2;
    }
    char err[256];
    duban_calendar_t *cal;
    if (duban_calendar_new(&cal, err, sizeof(err))) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    b.cal = cal;
    b.issue = duban_date_from_ymd(2024, 1, 2);
    b.busy_day = duban_date_from_ymd(2024, 6, 3);   /* a Monday */
    b.base_due = b.busy_day + 1;                     /* all still open that day */
    if (!only_decode && !skip_engine)
        part_engine(&b);
    if (!skip_engine)
        part_decode(&b);
    int rc = skip_kafka ? 0 : bench_kafka(&b, argv[0]);
    duban_calendar_destroy(cal);
    return rc;
}
