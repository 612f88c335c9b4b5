/* common/core/conf.c: ordered key/value configuration with file, environment
 * and command-line layers (see conf.h for the format). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "conf.h"
#include "conf_keys.h"

extern char **environ;

typedef struct conf_entry_s {
    char *key, *value;
    char *origin; /* "FILE:LINE", "DUBAN_X (environment)", "--set"; NULL: set by the program */
} conf_entry_t;

struct duban_conf_s {
    conf_entry_t *entries;
    size_t count, cap;
    bool env_applied;
};

duban_conf_t *duban_conf_new(void)
{
    return calloc(1, sizeof(duban_conf_t));
}

void duban_conf_destroy(duban_conf_t *conf)
{
    if (!conf)
        return;
    for (size_t i = 0; i < conf->count; i++) {
        free(conf->entries[i].key);
        free(conf->entries[i].value);
        free(conf->entries[i].origin);
    }
    free(conf->entries);
    free(conf);
}

static conf_entry_t *find_entry(const duban_conf_t *conf, const char *key)
{
    for (size_t i = 0; i < conf->count; i++)
        if (strcmp(conf->entries[i].key, key) == 0)
            return &conf->entries[i];
    return NULL;
}

static bool valid_key(const char *key)
{
    if (!*key)
        return false;
    for (const char *p = key; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '.' ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

/* Sets key from `origin` (NULL: the program itself). */
static duban_err_t set_from(duban_conf_t *conf, const char *key, const char *value,
                            const char *origin, char *errbuf, size_t errbuf_size)
{
    if (!key || !value || !valid_key(key))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "invalid config key \"%s\" (lower-case dotted names)",
                            key ? key : "(null)");
    char *copy = strdup(value), *where = origin ? strdup(origin) : NULL;
    if (!copy || (origin && !where)) {
        free(copy);
        return DUBAN_E_NOMEM;
    }
    conf_entry_t *e = find_entry(conf, key);
    if (e) {
        free(e->value);
        free(e->origin);
        e->value = copy;
        e->origin = where;
        return DUBAN_OK;
    }
    conf_entry_t *entries = duban_array_grow(conf->entries, &conf->cap, conf->count + 1,
                                             sizeof(*entries), 16);
    if (!entries) {
        free(copy);
        free(where);
        return DUBAN_E_NOMEM;
    }
    conf->entries = entries;
    conf->entries[conf->count].key = strdup(key);
    conf->entries[conf->count].value = copy;
    conf->entries[conf->count].origin = where;
    if (!conf->entries[conf->count].key) {
        free(copy);
        free(where);
        return DUBAN_E_NOMEM;
    }
    conf->count++;
    return DUBAN_OK;
}

static int bool_word(const char *v);

duban_err_t duban_conf_set(duban_conf_t *conf, const char *key, const char *value,
                           char *errbuf, size_t errbuf_size)
{
    return set_from(conf, key, value, NULL, errbuf, errbuf_size);
}

const char *duban_conf_get(const duban_conf_t *conf, const char *key, const char *def)
{
    const conf_entry_t *e = conf ? find_entry(conf, key) : NULL;
    return e ? e->value : def;
}

duban_err_t duban_conf_get_long(const duban_conf_t *conf, const char *key, long def,
                                long *out, char *errbuf, size_t errbuf_size)
{
    const char *v = duban_conf_get(conf, key, NULL);
    if (!v) {
        *out = def;
        return DUBAN_OK;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "%s: \"%s\" is not a number", key, v);
    *out = n;
    return DUBAN_OK;
}

bool duban_conf_get_bool(const duban_conf_t *conf, const char *key, bool def)
{
    const char *v = duban_conf_get(conf, key, NULL);
    int b = v ? bool_word(v) : -1;
    return b < 0 ? def : b > 0;
}

/* 1 true, 0 false, -1 neither. */
static int bool_word(const char *v)
{
    static const char *yes[] = {"true", "1", "yes", "on"};
    static const char *no[] = {"false", "0", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return 1;
        if (strcasecmp(v, no[i]) == 0)
            return 0;
    }
    return -1;
}

static bool int_word(const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end)
        return false;
    *out = n;
    return true;
}

static const char *origin_of(const conf_entry_t *e)
{
    return e && e->origin ? e->origin : "setting";
}

const char *duban_conf_str(const duban_conf_t *conf, const char *key)
{
    const conf_entry_t *e = conf ? find_entry(conf, key) : NULL;
    if (e)
        return e->value;
    const duban_conf_key_t *k = duban_conf_key_find(key);
    return k ? k->def : NULL;
}

duban_err_t duban_conf_int(const duban_conf_t *conf, const char *key, long *out,
                           char *errbuf, size_t errbuf_size)
{
    const duban_conf_key_t *k = duban_conf_key_find(key);
    if (!k || k->type != DUBAN_KEY_INT)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "%s: not an integer setting of the catalogue (conf_keys.c)", key);
    const conf_entry_t *e = conf ? find_entry(conf, key) : NULL;
    const char *v = e ? e->value : k->def;
    if (!v)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_NOTFOUND, "%s: not set", key);
    if (!int_word(v, out))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s: %s: \"%s\" is not a number",
                            origin_of(e), key, v);
    return DUBAN_OK;
}

bool duban_conf_flag(const duban_conf_t *conf, const char *key)
{
    const conf_entry_t *e = conf ? find_entry(conf, key) : NULL;
    const duban_conf_key_t *k = duban_conf_key_find(key);
    int v = e ? bool_word(e->value) : -1;
    if (v < 0)
        v = k && k->def ? bool_word(k->def) : 0;
    return v > 0;
}

duban_err_t duban_conf_check(const duban_conf_t *conf, char *errbuf, size_t errbuf_size)
{
    for (size_t i = 0; conf && i < conf->count; i++) {
        const conf_entry_t *e = &conf->entries[i];
        if (!e->origin || strncmp(e->key, "kafka.", 6) == 0)
            continue; /* set by the program; librdkafka checks its own */
        const duban_conf_key_t *k = duban_conf_key_find(e->key);
        long n;
        if (!k) {
            if (strstr(e->origin, "(environment)"))
                continue; /* the environment is shared with scripts and other tools */
            const char *near = duban_conf_key_nearest(e->key);
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s: unknown setting \"%s\"%s%s%s", e->origin, e->key,
                                near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
        }
        if (k->type == DUBAN_KEY_INT && !int_word(e->value, &n))
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s: %s: \"%s\" is not a number", e->origin, e->key, e->value);
        if (k->type == DUBAN_KEY_BOOL && bool_word(e->value) < 0)
            return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                                "%s: %s: \"%s\" is not true or false", e->origin, e->key,
                                e->value);
    }
    return DUBAN_OK;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

duban_err_t duban_conf_load_file(duban_conf_t *conf, const char *path,
                                 char *errbuf, size_t errbuf_size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", path,
                            strerror(errno));
    char line[4096];
    int lineno = 0;
    duban_err_t err = DUBAN_OK;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE,
                               "%s:%d: line longer than %zu bytes", path, lineno,
                               sizeof(line) - 1);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                               "%s:%d: expected key = value", path, lineno);
            break;
        }
        *eq = '\0';
        char sub[256], where[512];
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        err = set_from(conf, trim(s), trim(eq + 1), where, sub, sizeof(sub));
        if (err) {
            duban_seterr(errbuf, errbuf_size, err, "%s:%d: %s", path, lineno, sub);
            break;
        }
    }
    fclose(f);
    return err;
}

duban_err_t duban_conf_apply_env(duban_conf_t *conf, char *errbuf, size_t errbuf_size)
{
    conf->env_applied = true;
    for (char **env = environ; env && *env; env++) {
        if (strncmp(*env, "DUBAN_", 6) != 0)
            continue;
        const char *eq = strchr(*env, '=');
        if (!eq)
            continue;
        size_t n = (size_t)(eq - *env) - 6;
        char key[256];
        if (n == 0 || n >= sizeof(key))
            continue;
        for (size_t i = 0; i < n; i++) {
            char c = (*env)[6 + i];
            key[i] = c == '_' ? '.' : (char)tolower((unsigned char)c);
        }
        key[n] = '\0';
        /* Test-harness variables (DUBAN_SRC_DIR ...) are not settings. */
        if (strcmp(key, "src.dir") == 0 || strcmp(key, "bin.dir") == 0 ||
            strcmp(key, "shared.dir") == 0 || strcmp(key, "build.dir") == 0)
            continue;
        const char *target = strcmp(key, "bootstrap.servers") == 0
                                 ? "kafka.bootstrap.servers" : key;
        char where[300];
        snprintf(where, sizeof(where), "%.*s (environment)", (int)(eq - *env), *env);
        duban_err_t err = set_from(conf, target, eq + 1, where, errbuf, errbuf_size);
        if (err)
            return err;
    }
    return DUBAN_OK;
}

static duban_err_t set_pair(duban_conf_t *conf, const char *prefix, const char *arg,
                            const char *option, char *errbuf, size_t errbuf_size)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "expected key=value, got \"%s\"", arg);
    char key[256];
    int n = snprintf(key, sizeof(key), "%s%.*s", prefix, (int)(eq - arg), arg);
    if (n < 0 || (size_t)n >= sizeof(key))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "key too long");
    return set_from(conf, key, eq + 1, option, errbuf, errbuf_size);
}

int duban_conf_parse_arg(duban_conf_t *conf, int argc, char **argv, int *i,
                         char *errbuf, size_t errbuf_size)
{
    const char *a = argv[*i];
    static const char *with_value[] = {"--config", "-X", "--set", "-b",
                                       "--bootstrap-servers", "--log-level"};
    size_t k;
    for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
        if (strcmp(a, with_value[k]) == 0)
            break;
    if (k == sizeof(with_value) / sizeof(with_value[0]))
        return 0;
    if (*i + 1 >= argc) {
        duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "%s needs a value", a);
        return -1;
    }
    if (!conf->env_applied && strcmp(a, "--config") != 0 &&
        duban_conf_apply_env(conf, errbuf, errbuf_size))
        return -1;
    const char *v = argv[*i + 1];
    duban_err_t err;
    if (strcmp(a, "--config") == 0) {
        err = duban_conf_load_file(conf, v, errbuf, errbuf_size);
        /* Environment overrides the file, the command line overrides both. */
        if (!err)
            err = duban_conf_apply_env(conf, errbuf, errbuf_size);
    } else if (strcmp(a, "-X") == 0) {
        err = set_pair(conf, "kafka.", v, "-X", errbuf, errbuf_size);
    } else if (strcmp(a, "--set") == 0) {
        err = set_pair(conf, "", v, "--set", errbuf, errbuf_size);
    } else if (strcmp(a, "--log-level") == 0) {
        err = set_from(conf, "log.level", v, "--log-level", errbuf, errbuf_size);
    } else {
        err = set_from(conf, "kafka.bootstrap.servers", v, a, errbuf, errbuf_size);
    }
    if (err)
        return -1;
    *i += 2;
    return 1;
}

const char *duban_conf_common_usage(void)
{
    return "Common options:\n"
           "  --config FILE            key = value settings (kafka.* go to librdkafka)\n"
           "  -b, --bootstrap-servers LIST  Kafka brokers (@FILE: read from file)\n"
           "  -X PROP=VAL              librdkafka property (as kcat)\n"
           "  --set KEY=VAL            any duban setting\n"
           "  --log-level LEVEL        error|warn|info|debug (default info)\n"
           "Environment: DUBAN_<KEY> (dots as _), DUBAN_BOOTSTRAP_SERVERS.\n";
}

void duban_conf_foreach(const duban_conf_t *conf, const char *prefix,
                        duban_conf_each_cb *cb, void *opaque)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < conf->count; i++)
        if (strncmp(conf->entries[i].key, prefix, plen) == 0)
            cb(conf->entries[i].key, conf->entries[i].value, opaque);
}
