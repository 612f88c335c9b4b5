/* tests/unit/test_conf_keys.c: the catalogue of settings (core/conf_keys.h)
 * and the checks built on it (duban_conf_check, the typed getters):
 *   - every row is well formed and its default reads as its type;
 *   - a key in no row, from a file or the command line, is refused naming
 *     FILE:LINE (or the option) with the nearest key; a value that is not
 *     of the row's type is refused from any origin; the environment may
 *     hold other tools' DUBAN_* variables;
 *   - every key the source tree reads by name is a row, and every key the
 *     README's settings tables list is a row whose default the table shows
 *     (the README and --help come from one table). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "conf.h"
#include "conf_keys.h"

static void test_rows(void)
{
    size_t n;
    const duban_conf_key_t *k = duban_conf_keys_all(&n);
    CHECK(n >= 40);
    for (size_t i = 0; i < n; i++) {
        CHECK(k[i].key && strncmp(k[i].key, "kafka.", 6) != 0);
        CHECK(k[i].help && k[i].help[0]);
        CHECK(k[i].uses != 0);
        CHECK(duban_conf_key_find(k[i].key) == &k[i]); /* no key twice */
        duban_conf_t *c = duban_conf_new();
        char err[256];
        CHECK(duban_conf_set(c, k[i].key, k[i].def ? k[i].def : "1", err, sizeof(err)) == DUBAN_OK);
        if (k[i].def && k[i].type == DUBAN_KEY_INT) {
            long v;
            CHECK(duban_conf_int(NULL, k[i].key, &v, err, sizeof(err)) == DUBAN_OK);
        }
        if (k[i].def && k[i].type == DUBAN_KEY_BOOL)
            CHECK(!strcmp(k[i].def, "true") || !strcmp(k[i].def, "false"));
        duban_conf_destroy(c);
    }
}

static void test_getters(void)
{
    char err[256];
    long v = -7;
    duban_conf_t *c = duban_conf_new();
    CHECK(duban_conf_int(c, "alerter.tick.ms", &v, err, sizeof(err)) == DUBAN_OK);
    CHECK_INT(v, 200);
    CHECK_STR(duban_conf_str(c, "alerter.fire.time"), "09:00");
    CHECK(duban_conf_str(c, "schema.registry.url") == NULL);
    CHECK(duban_conf_flag(c, "topics.ensure"));
    CHECK(!duban_conf_flag(c, "notifier.allow.private"));
    CHECK(duban_conf_int(c, "topics.min.insync.replicas", &v, err, sizeof(err)) == DUBAN_E_NOTFOUND);
    CHECK(duban_conf_int(c, "alerter.fire.time", &v, err, sizeof(err)) == DUBAN_E_INVAL);
    CHECK(duban_conf_int(c, "no.such.key", &v, err, sizeof(err)) == DUBAN_E_INVAL);
    duban_conf_set(c, "alerter.tick.ms", "50", err, sizeof(err));
    duban_conf_set(c, "notifier.allow.private", "yes", err, sizeof(err));
    CHECK(duban_conf_int(c, "alerter.tick.ms", &v, err, sizeof(err)) == DUBAN_OK);
    CHECK_INT(v, 50);
    CHECK(duban_conf_flag(c, "notifier.allow.private"));
    duban_conf_destroy(c);
}

/* duban_conf_check over a config file holding `text`; its message in err. */
static duban_err_t check_file(const char *text, char *err, size_t cap, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return DUBAN_E_IO;
    fputs(text, f);
    fclose(f);
    duban_conf_t *c = duban_conf_new();
    duban_err_t e = duban_conf_load_file(c, path, err, cap);
    if (e == DUBAN_OK)
        e = duban_conf_check(c, err, cap);
    duban_conf_destroy(c);
    remove(path);
    return e;
}

static void test_check(void)
{
    char err[512], path[64];
    snprintf(path, sizeof(path), "/tmp/duban-conf-keys-%d.conf", (int)getpid());
    CHECK(check_file("# all known\nalerter.tick.ms = 100\nkafka.linger.ms = 5\n"
                     "kafka.anything.goes = x\nnotifier.tls.verify = off\n", err, sizeof(err),
                     path) == DUBAN_OK);
    CHECK(check_file("alerter.tick.ms = 100\n\nalerter.due.son.days = 3\n", err, sizeof(err),
                     path) == DUBAN_E_INVAL);
    char want[512];
    snprintf(want, sizeof(want),
             "%s:3: unknown setting \"alerter.due.son.days\" (did you mean alerter.due.soon.days?)",
             path);
    CHECK_STR(err, want);
    CHECK(check_file("zzz.qqq = 1\n", err, sizeof(err), path) == DUBAN_E_INVAL);
    CHECK(strstr(err, ":1: unknown setting \"zzz.qqq\"") && !strstr(err, "did you mean"));
    CHECK(check_file("topics.partitions = four\n", err, sizeof(err), path) == DUBAN_E_INVAL);
    CHECK(strstr(err, ":1: topics.partitions: \"four\" is not a number") != NULL);
    CHECK(check_file("topics.ensure = maybe\n", err, sizeof(err), path) == DUBAN_E_INVAL);
    CHECK(strstr(err, ":1: topics.ensure: \"maybe\" is not true or false") != NULL);

    /* the command line names its option; the environment may hold others' */
    duban_conf_t *c = duban_conf_new();
    char *argv[] = {"prog", "--set", "alerter.tikc.ms=5", NULL};
    int i = 1;
    CHECK(duban_conf_parse_arg(c, 3, argv, &i, err, sizeof(err)) == 1);
    CHECK(duban_conf_check(c, err, sizeof(err)) == DUBAN_E_INVAL);
    CHECK_STR(err, "--set: unknown setting \"alerter.tikc.ms\" (did you mean alerter.tick.ms?)");
    duban_conf_destroy(c);

    c = duban_conf_new();
    setenv("DUBAN_SOME_TOOL_DIR", "/x", 1);
    setenv("DUBAN_ALERTER_TICK_MS", "abc", 1);
    CHECK(duban_conf_apply_env(c, err, sizeof(err)) == DUBAN_OK);
    CHECK(duban_conf_check(c, err, sizeof(err)) == DUBAN_E_INVAL);
    CHECK_STR(err, "DUBAN_ALERTER_TICK_MS (environment): alerter.tick.ms: \"abc\" is not a number");
    unsetenv("DUBAN_ALERTER_TICK_MS");
    duban_conf_destroy(c);
    c = duban_conf_new();
    CHECK(duban_conf_apply_env(c, err, sizeof(err)) == DUBAN_OK);
    CHECK(duban_conf_check(c, err, sizeof(err)) == DUBAN_OK); /* some.tool.dir passes */
    unsetenv("DUBAN_SOME_TOOL_DIR");
    /* what a program sets itself is not checked (it is no user's typo) */
    duban_conf_set(c, "internal.flag", "1", err, sizeof(err));
    CHECK(duban_conf_check(c, err, sizeof(err)) == DUBAN_OK);
    duban_conf_destroy(c);
}

/* ---- the source tree and the README against the catalogue ---- */

static int keys_in_source;

/* Copies the key at p, up to `stop`, into key (cap bytes): its length, or 0
 * when it is empty or too long. */
static size_t copy_key(const char *p, const char *stop, char *key, size_t cap)
{
    size_t n = strcspn(p, stop);
    if (n == 0 || n >= cap)
        return 0;
    memcpy(key, p, n);
    key[n] = '\0';
    return n;
}

/* Every "prefix.key" literal right after a conf read call's first argument. */
static void scan_file(const char *path)
{
    static const char *const calls[] = {"duban_conf_get(", "duban_conf_get_long(",
                                        "duban_conf_get_bool(", "duban_conf_str(",
                                        "duban_conf_int(", "duban_conf_flag(", NULL};
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        for (size_t c = 0; calls[c]; c++) {
            const char *p = strstr(line, calls[c]);
            if (!p)
                continue;
            const char *comma = strchr(p, ',');
            if (!comma || comma[1] != ' ' || comma[2] != '"')
                continue; /* a key held in a variable */
            char key[128];
            if (!copy_key(comma + 3, "\"", key, sizeof(key)) || !strncmp(key, "kafka.", 6))
                continue;
            keys_in_source++;
            if (!duban_conf_key_find(key)) {
                fprintf(stderr, "%s:%d: reads \"%s\", which conf_keys.c does not list\n", path,
                        lineno, key);
                CHECK(!"every key read is in the catalogue");
            }
        }
    }
    fclose(f);
}

static void scan_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            scan_tree(path);
        else if (n > 2 && !strcmp(e->d_name + n - 2, ".c"))
            scan_file(path);
    }
    closedir(d);
}

static void test_sources(void)
{
    const char *src = getenv("DUBAN_SRC_DIR");
    static const char *const dirs[] = {"common", "consumers", "producers", "tools", NULL};
    for (size_t i = 0; dirs[i]; i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", src ? src : ".", dirs[i]);
        scan_tree(path);
    }
    CHECK(keys_in_source >= 40); /* the scan found the reads */
}

/* README rows "| `key` | default | meaning |": a listed key is a row of the
 * catalogue, and the default column shows the row's default. */
static void test_readme(void)
{
    FILE *f = check_open_source("README.md", "r");
    if (!f)
        return;
    char line[4096];
    int rows = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "| `", 3) != 0)
            continue;
        char key[128];
        size_t n = copy_key(line + 3, "`", key, sizeof(key));
        if (!n)
            continue;
        static const char *const ours[] = {"log.", "schema.registry.", "topics.", "ops.",
                                           "alerter.", "audit.", "notifier.", "status.", NULL};
        bool mine = false;
        for (size_t i = 0; ours[i]; i++)
            mine = mine || !strncmp(key, ours[i], strlen(ours[i]));
        if (!mine || strchr(key, ' ') || strchr(key, '='))
            continue;
        rows++;
        const duban_conf_key_t *k = duban_conf_key_find(key);
        if (!k) {
            fprintf(stderr, "README lists \"%s\", which conf_keys.c does not\n", key);
            CHECK(!"README key in the catalogue");
            continue;
        }
        const char *cell = strchr(line + 3 + n, '|');
        const char *end = cell ? strchr(cell + 1, '|') : NULL;
        if (k->def && k->def[0] && cell && end) {
            char col[512];
            snprintf(col, sizeof(col), "%.*s", (int)(end - cell - 1), cell + 1);
            if (!strstr(col, k->def)) {
                fprintf(stderr, "README: %s default \"%s\", conf_keys.c \"%s\"\n", key, col,
                        k->def);
                CHECK(!"README default = catalogue default");
            }
        }
    }
    fclose(f);
    CHECK(rows >= 15);
}

int main(void)
{
    test_rows();
    test_getters();
    test_check();
    test_sources();
    test_readme();
    return CHECK_DONE();
}
