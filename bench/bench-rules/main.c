/* bench/bench-rules/main.c: duban-bench-rules FILE... measures the deadline
 * rules (common/ingest/deadline.h) over every sentence of the files and the unit
 * list functions (common/ingest/dept.h) over every labelled unit list
 * (…单位：LIST up to ）or 。), one core, best of 5 runs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "date.h"
#include "deadline.h"
#include "dept.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp_joined(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, len = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (c == '\n' || c == '\r')
            continue;                        /* the parser joins wrapped lines */
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        buf[len++] = (char)c;
    }
    fclose(f);
    *n = len;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: duban-bench-rules FILE...\n");
        return 2;
    }
    duban_dept_dir_t *dir = NULL;
    char err[256];
    if (duban_dept_dir_new(&dir, err, sizeof err) != DUBAN_OK) {
        fprintf(stderr, "duban-bench-rules: %s\n", err);
        return 1;
    }
    /* inputs: every sentence, every labelled unit list (found before timing) */
    typedef struct { const char *p; size_t n; } span_t;
    span_t *sent = NULL, *list = NULL;
    size_t nsent = 0, nlist = 0, capsent = 0, caplist = 0, total = 0, list_bytes = 0;
    char **texts = calloc((size_t)argc, sizeof *texts);
    for (int a = 1; a < argc; a++) {
        size_t n;
        char *t = slurp_joined(argv[a], &n);
        if (!t) {
            fprintf(stderr, "duban-bench-rules: cannot read %s\n", argv[a]);
            return 1;
        }
        texts[a] = t;
        total += n;
        for (size_t i = 0, st = 0; i <= n; i++) {
            if (i == n || (i + 3 <= n && memcmp(t + i, "。", 3) == 0)) {
                if (nsent == capsent)
                    sent = realloc(sent, (capsent = capsent ? capsent * 2 : 4096) * sizeof *sent);
                sent[nsent++] = (span_t){t + st, i - st};
                st = i + 3;
            }
        }
        for (char *q = t; (q = strstr(q, "单位：")) != NULL; q += 9) {
            char *b = q + 9, *e1 = strstr(b, "）"), *e2 = strstr(b, "。");
            char *e = e1 && (!e2 || e1 < e2) ? e1 : e2;
            if (!e || e - b > 600)
                continue;
            if (nlist == caplist)
                list = realloc(list, (caplist = caplist ? caplist * 2 : 1024) * sizeof *list);
            list[nlist++] = (span_t){b, (size_t)(e - b)};
            list_bytes += (size_t)(e - b);
        }
    }
    size_t dated = 0, names = 0;
    double best_d = 1e9, best_u = 1e9;
    duban_deadline_ctx_t ctx = {2022, duban_date_from_ymd(2022, 1, 1), NULL, NULL};
    duban_strlist_t p = DUBAN_STRLIST_INIT, c = DUBAN_STRLIST_INIT;
    for (int run = 0; run < 5; run++) {
        dated = names = 0;
        double t0 = now_s();
        for (size_t i = 0; i < nsent; i++) {
            duban_deadline_t d;
            duban_deadline_extract(sent[i].p, sent[i].n, &ctx, &d, NULL, 0);
            dated += d.kind == DUBAN_DEADLINE_DATED;
        }
        double t1 = now_s();
        for (size_t i = 0; i < nlist; i++) {
            duban_strlist_clear(&p);
            duban_strlist_clear(&c);
            duban_dept_split_units(list[i].p, list[i].n, &p);
            duban_dept_canonicalize(dir, &p, "大武口区", &c);
            names += c.count;
        }
        double t2 = now_s();
        if (t1 - t0 < best_d) best_d = t1 - t0;
        if (t2 - t1 < best_u) best_u = t2 - t1;
    }
    duban_strlist_free(&p);
    duban_strlist_free(&c);
    size_t sentences = nsent, lists = nlist;
    printf("files %d, bytes %zu, sentences %zu (%zu dated), unit lists %zu (%zu names)\n",
           argc - 1, total, sentences, dated, lists, names);
    printf("deadline_extract    %8.1f MB/s of text (%.2f us per sentence)\n",
           total / 1e6 / best_d, best_d * 1e6 / (double)sentences);
    printf("dept split+canon    %8.1f MB/s of lists (%.2f us per list, %.0f us in all)\n",
           list_bytes / 1e6 / best_u, best_u * 1e6 / (double)(lists ? lists : 1), best_u * 1e6);
    for (int a = 1; a < argc; a++)
        free(texts[a]);
    free(texts);
    free(sent);
    free(list);
    duban_dept_dir_destroy(dir);
    return 0;
}
