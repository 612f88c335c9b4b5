/* duban-bench-parse: parse-only throughput over the gazettes, one core.
 *
 *   duban-bench-parse [--min-seconds S] [FILE...]
 *
 * Default files: the three gazettes under $DUBAN_SHARED_DIR/gazettes (or
 * ../shared/gazettes). Each round reads every file from memory with
 * duban_text_load_mem and parses it with duban_gwdoc_parse (deadlines and
 * departments included, no JSON output). Next to it, in the same run, the
 * same bytes go through `grep -c 责任单位` as a floor reference. Prints MB/s
 * (MB = 10^6 bytes) for reader only, reader + parser, and grep; the first
 * two also by CPU time (what one core does while it runs, for a machine
 * other jobs share). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "gwdoc.h"
#include "text.h"

typedef struct {
    char *name;
    char *data;
    size_t len;
} input_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, input_t *in)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    in->data = malloc(n > 0 ? (size_t)n : 1);
    in->len = in->data ? fread(in->data, 1, (size_t)(n > 0 ? n : 0), f) : 0;
    in->name = strdup(path);
    fclose(f);
    return in->data ? 0 : -1;
}

/* One round over all inputs; returns tasks found (to keep the work live). */
static size_t round_once(const input_t *in, int n, const duban_dept_dir_t *dir, bool parse)
{
    size_t tasks = 0;
    char eb[256];
    for (int i = 0; i < n; i++) {
        duban_text_t t;
        if (duban_text_load_mem(in[i].name, in[i].data, in[i].len, &t, eb, sizeof(eb)))
            continue;
        if (parse) {
            duban_gwdoc_t g;
            duban_gwdoc_parse(&t, dir, &g, eb, sizeof(eb));
            tasks += g.ntasks;
            duban_gwdoc_free(&g);
        } else {
            tasks += t.nlines;
        }
        duban_text_free(&t);
    }
    return tasks;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* MB/s by the wall clock, and in *cpu_mbs by the process's CPU time: the
 * rate of one core while it runs, which other jobs on a shared machine
 * change much less than the wall clock (they take the core away). */
static double measure(const input_t *in, int n, size_t bytes, const duban_dept_dir_t *dir,
                      bool parse, double min_s, size_t *out, double *cpu_mbs)
{
    int rounds = 0;
    double t0 = now_s(), c0 = cpu_s(), el = 0;
    do {
        *out = round_once(in, n, dir, parse);
        rounds++;
    } while ((el = now_s() - t0) < min_s);
    *cpu_mbs = (double)bytes * rounds / (cpu_s() - c0) / 1e6;
    return (double)bytes * rounds / el / 1e6;
}

/* grep -c over the same bytes (concatenated into one temp file). */
static double measure_grep(const input_t *in, int n, size_t bytes, double min_s)
{
    char path[] = "/tmp/duban-bench-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (write(fd, in[i].data, in[i].len) != (ssize_t)in[i].len)
            break;
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "LC_ALL=C grep -c 责任单位 %s > /dev/null", path);
    int rounds = 0;
    double t0 = now_s(), el = 0;
    do {
        if (system(cmd) < 0)
            break;
        rounds++;
    } while ((el = now_s() - t0) < min_s);
    unlink(path);
    return (double)bytes * rounds / el / 1e6;
}

int main(int argc, char **argv)
{
    double min_s = 2.0;
    input_t in[64];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc)
            min_s = strtod(argv[++i], NULL);
        else if (n < 64 && read_file(argv[i], &in[n]) == 0)
            n++;
        else {
            fprintf(stderr, "duban-bench-parse: cannot read %s\n", argv[i]);
            return 2;
        }
    }
    if (n == 0) {
        const char *shared = getenv("DUBAN_SHARED_DIR");
        static const char *const files[] = {"000_55122fd70aed731a.txt",
                                            "001_695d6e90fcff097e.txt",
                                            "002_0222121a82854d09.txt"};
        for (int i = 0; i < 3; i++) {
            char path[1024];
            snprintf(path, sizeof(path), "%s/gazettes/%s", shared ? shared : "../shared", files[i]);
            if (read_file(path, &in[n]) == 0)
                n++;
            else
                fprintf(stderr, "duban-bench-parse: cannot read %s\n", path);
        }
    }
    if (n == 0)
        return 2;
    size_t bytes = 0, tasks = 0, lines = 0;
    for (int i = 0; i < n; i++)
        bytes += in[i].len;
    duban_dept_dir_t *dir = NULL;
    char eb[256];
    if (duban_dept_dir_new(&dir, eb, sizeof(eb)) != DUBAN_OK)
        fprintf(stderr, "duban-bench-parse: departments: %s\n", eb);
    double reader_cpu, parser_cpu;
    double reader = measure(in, n, bytes, dir, false, min_s, &lines, &reader_cpu);
    double parser = measure(in, n, bytes, dir, true, min_s, &tasks, &parser_cpu);
    double grep = measure_grep(in, n, bytes, min_s);
    printf("files %d, bytes %zu, lines %zu, tasks %zu\n", n, bytes, lines, tasks);
    printf("reader only      %8.1f MB/s  (%.1f MB/s of CPU time)\n", reader, reader_cpu);
    printf("reader + parser  %8.1f MB/s  (goal >= 50; %.1f MB/s of CPU time)\n", parser,
           parser_cpu);
    printf("grep -c          %8.1f MB/s  (floor reference, same bytes, same run)\n", grep);
    duban_dept_dir_destroy(dir);
    for (int i = 0; i < n; i++) {
        free(in[i].data);
        free(in[i].name);
    }
    return 0;
}
