/* producers/status/status_tokens.c: the token file of duban-status. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "alloc.h"
#include "date.h"
#include "hash.h"
#include "status_map.h"
#include "status_tokens.h"
#include "utf8.h"

#define TOKEN_PREFIX "dbn_"
#define TOKEN_RANDOM_BYTES 24
#define TOKEN_MAX 128          /* a longer bearer value is not one of ours */
#define FILE_MAX (16 << 20)

typedef struct {
    status_kind_t kind;
    char *name;
    char id[STATUS_TOKEN_ID_LEN + 1];
    bool revoked;
} record_t;

typedef struct {
    record_t *recs;
    size_t n;
    status_map_t by_hash;   /* sha256 hex -> record index + 1 */
} table_t;

struct status_tokens_s {
    char *path;
    pthread_rwlock_t lock;   /* guards table */
    table_t table;
    pthread_mutex_t reload_mu;
    int64_t checked_ms;
    struct stat seen;        /* of the file the table came from (st_ino 0: none) */
};

const char *status_kind_name(status_kind_t kind)
{
    return kind == STATUS_PRINCIPAL_SUPERVISOR ? "supervisor" : "department";
}

static void table_free(table_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->recs[i].name);
    free(t->recs);
    status_map_free(&t->by_hash, NULL);
    memset(t, 0, sizeof(*t));
}

/* ---- the file ---- */

static bool is_hex(const char *s, size_t n)
{
    if (!s || strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* One line -> its JSON object (NEW), checked. */
static duban_err_t parse_line(const char *line, size_t len, size_t lineno, json_t **out,
                              char *errbuf, size_t errbuf_size)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    const char *role = json_string_value(json_object_get(o, "role"));
    const char *name = json_string_value(json_object_get(o, "name"));
    if (!json_is_object(o) || !is_hex(json_string_value(json_object_get(o, "sha256")), 64) ||
        !is_hex(json_string_value(json_object_get(o, "id")), STATUS_TOKEN_ID_LEN) || !role ||
        (strcmp(role, "department") && strcmp(role, "supervisor")) || !name || !*name ||
        strlen(name) > STATUS_PRINCIPAL_MAX) {
        json_decref(o);
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_PARSE,
                            "line %zu: not a token record (id, sha256, role, name)", lineno);
    }
    *out = o;
    return DUBAN_OK;
}

/* Reads every record of the file into a JSON array (NEW); a missing file
 * is an empty array. */
static duban_err_t read_file(const char *path, json_t **out, struct stat *sb, char *errbuf,
                             size_t errbuf_size)
{
    *out = json_array();
    if (!*out)
        duban_oom(0);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (sb)
            memset(sb, 0, sizeof(*sb));
        if (errno == ENOENT)
            return DUBAN_OK;
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
    }
    if (sb)
        fstat(fileno(f), sb);
    char *line = NULL;
    size_t cap = 0, lineno = 0, total = 0;
    ssize_t n;
    duban_err_t err = DUBAN_OK;
    while (!err && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        total += (size_t)n;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (total > FILE_MAX) {
            err = duban_seterr(errbuf, errbuf_size, DUBAN_E_TOO_LARGE, "%s: over %d bytes",
                               path, FILE_MAX);
        } else if (n > 0 && line[0] != '#') {
            json_t *o = NULL;
            if (!(err = parse_line(line, (size_t)n, lineno, &o, errbuf, errbuf_size)) &&
                json_array_append_new(*out, o))
                duban_oom(0);
        }
    }
    free(line);
    fclose(f);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}

static void table_from(table_t *t, const json_t *lines)
{
    memset(t, 0, sizeof(*t));
    t->recs = duban_xcalloc(json_array_size(lines) + 1, sizeof(record_t));
    size_t i;
    const json_t *o;
    json_array_foreach(lines, i, o) {
        record_t *r = &t->recs[t->n++];
        r->kind = strcmp(json_string_value(json_object_get(o, "role")), "supervisor") == 0
                      ? STATUS_PRINCIPAL_SUPERVISOR
                      : STATUS_PRINCIPAL_DEPARTMENT;
        r->name = duban_xstrdup(json_string_value(json_object_get(o, "name")));
        snprintf(r->id, sizeof(r->id), "%s", json_string_value(json_object_get(o, "id")));
        r->revoked = json_is_string(json_object_get(o, "revoked_at"));
        status_map_put(&t->by_hash, json_string_value(json_object_get(o, "sha256")),
                       (void *)(t->n));
    }
}

duban_err_t status_tokens_open(const char *path, status_tokens_t **out, char *errbuf,
                               size_t errbuf_size)
{
    json_t *lines = NULL;
    struct stat sb;
    duban_err_t err = read_file(path, &lines, &sb, errbuf, errbuf_size);
    if (err)
        return err;
    status_tokens_t *t = duban_xcalloc(1, sizeof(*t));
    t->path = duban_xstrdup(path);
    pthread_rwlock_init(&t->lock, NULL);
    pthread_mutex_init(&t->reload_mu, NULL);
    table_from(&t->table, lines);
    json_decref(lines);
    t->seen = sb;
    t->checked_ms = duban_now_ms();
    *out = t;
    return DUBAN_OK;
}

void status_tokens_destroy(status_tokens_t *t)
{
    if (!t)
        return;
    table_free(&t->table);
    pthread_rwlock_destroy(&t->lock);
    pthread_mutex_destroy(&t->reload_mu);
    free(t->path);
    free(t);
}

static bool changed(const struct stat *a, const struct stat *b)
{
    return a->st_ino != b->st_ino || a->st_size != b->st_size ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* Reloads the file when it changed (at most every STATUS_TOKENS_RECHECK_MS). */
static void maybe_reload(status_tokens_t *t)
{
    int64_t now = duban_now_ms();
    if (pthread_mutex_trylock(&t->reload_mu) != 0)
        return;   /* another thread is at it */
    struct stat sb;
    memset(&sb, 0, sizeof(sb));
    if (now - t->checked_ms >= STATUS_TOKENS_RECHECK_MS) {
        t->checked_ms = now;
        bool exists = stat(t->path, &sb) == 0;
        if (!exists)
            memset(&sb, 0, sizeof(sb));
        json_t *lines = NULL;
        char err[256];
        if (changed(&sb, &t->seen) && read_file(t->path, &lines, &sb, err, sizeof(err)) == 0) {
            table_t fresh;
            table_from(&fresh, lines);
            pthread_rwlock_wrlock(&t->lock);
            table_t old = t->table;
            t->table = fresh;
            pthread_rwlock_unlock(&t->lock);
            table_free(&old);
            t->seen = sb;
        }
        json_decref(lines);
    }
    pthread_mutex_unlock(&t->reload_mu);
}

size_t status_tokens_live(status_tokens_t *t)
{
    maybe_reload(t);
    pthread_rwlock_rdlock(&t->lock);
    size_t live = 0;
    for (size_t i = 0; i < t->table.n; i++)
        live += !t->table.recs[i].revoked;
    pthread_rwlock_unlock(&t->lock);
    return live;
}

status_auth_t status_tokens_check(status_tokens_t *t, const char *authorization,
                                  status_principal_t *who)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return STATUS_AUTH_MISSING;
    const char *tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ')
        len--;
    if (len == 0)
        return STATUS_AUTH_MISSING;
    if (len > TOKEN_MAX)
        return STATUS_AUTH_INVALID;
    char hex[DUBAN_SHA256_HEX_SIZE];
    duban_sha256_hex(tok, len, hex);
    maybe_reload(t);
    status_auth_t r = STATUS_AUTH_INVALID;
    pthread_rwlock_rdlock(&t->lock);
    size_t idx = (size_t)status_map_get(&t->table.by_hash, hex);
    if (idx) {
        const record_t *rec = &t->table.recs[idx - 1];
        snprintf(who->id, sizeof(who->id), "%s", rec->id);
        if (rec->revoked) {
            r = STATUS_AUTH_REVOKED;
        } else {
            who->kind = rec->kind;
            snprintf(who->name, sizeof(who->name), "%s", rec->name);
            r = STATUS_AUTH_OK;
        }
    }
    pthread_rwlock_unlock(&t->lock);
    return r;
}

/* ---- the CLI: rewrite the file under a lock ---- */

static duban_err_t write_file(const char *path, const json_t *lines, char *errbuf,
                              size_t errbuf_size)
{
    size_t plen = strlen(path);
    char *tmp = duban_xmalloc(plen + 8);
    snprintf(tmp, plen + 8, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    duban_err_t err = DUBAN_OK;
    if (!f) {
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(tmp);
        return err;
    }
    fprintf(f, "# duban-status tokens: SHA-256 of each token, never the token itself\n");
    size_t i;
    const json_t *o;
    json_array_foreach(lines, i, o) {
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!s)
            duban_oom(0);
        fprintf(f, "%s\n", s);
        free(s);
    }
    if (fflush(f) || fsync(fileno(f)) || ferror(f))
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", tmp, strerror(errno));
    if (fclose(f) && !err)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", tmp, strerror(errno));
    if (!err && rename(tmp, path) != 0)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", path, strerror(errno));
    if (err)
        unlink(tmp);
    free(tmp);
    return err;
}

/* flock on PATH.lock for the read-modify-write; returns the fd or -1. */
static int lock_file(const char *path, char *errbuf, size_t errbuf_size)
{
    size_t plen = strlen(path);
    char *lp = duban_xmalloc(plen + 8);
    snprintf(lp, plen + 8, "%s.lock", path);
    int fd = open(lp, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "%s: %s", lp, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    free(lp);
    return fd;
}

static void unlock_file(int fd)
{
    flock(fd, LOCK_UN);
    close(fd);
}

duban_err_t status_tokens_add(const char *path, status_kind_t kind, const char *name,
                              int64_t now_ms, char *token_out, size_t token_size,
                              char id_out[STATUS_TOKEN_ID_LEN + 1], char *errbuf,
                              size_t errbuf_size)
{
    unsigned char rnd[TOKEN_RANDOM_BYTES];
    if (!name || !*name || strlen(name) > STATUS_PRINCIPAL_MAX ||
        !duban_utf8_valid(name, strlen(name), NULL))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL,
                            "name: want 1 to %d bytes of UTF-8", STATUS_PRINCIPAL_MAX);
    if (token_size < sizeof(TOKEN_PREFIX) + 2 * TOKEN_RANDOM_BYTES)
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_INVAL, "token buffer too small");
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
        return duban_seterr(errbuf, errbuf_size, DUBAN_E_IO, "getrandom: %s", strerror(errno));
    size_t n = (size_t)snprintf(token_out, token_size, "%s", TOKEN_PREFIX);
    for (size_t i = 0; i < sizeof(rnd); i++)
        n += (size_t)snprintf(token_out + n, token_size - n, "%02x", rnd[i]);
    char hex[DUBAN_SHA256_HEX_SIZE], when[32];
    duban_sha256_hex(token_out, n, hex);
    memcpy(id_out, hex, STATUS_TOKEN_ID_LEN);
    id_out[STATUS_TOKEN_ID_LEN] = '\0';
    int lock = lock_file(path, errbuf, errbuf_size);
    if (lock < 0)
        return DUBAN_E_IO;
    json_t *lines = NULL;
    duban_err_t err = read_file(path, &lines, NULL, errbuf, errbuf_size);
    if (!err) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n}", "id", id_out, "sha256", hex,
                              "role", status_kind_name(kind), "name", name, "created_at",
                              duban_instant_format(now_ms, when), "revoked_at");
        if (!o || json_array_append_new(lines, o))
            duban_oom(0);
        err = write_file(path, lines, errbuf, errbuf_size);
    }
    json_decref(lines);
    unlock_file(lock);
    if (err)
        memset(token_out, 0, token_size);
    return err;
}

duban_err_t status_tokens_revoke(const char *path, const char *id, int64_t now_ms,
                                 char *errbuf, size_t errbuf_size)
{
    int lock = lock_file(path, errbuf, errbuf_size);
    if (lock < 0)
        return DUBAN_E_IO;
    json_t *lines = NULL;
    duban_err_t err = read_file(path, &lines, NULL, errbuf, errbuf_size);
    bool found = false;
    size_t i;
    json_t *o;
    char when[32];
    json_array_foreach(lines, i, o)
        if (id && strcmp(json_string_value(json_object_get(o, "id")), id) == 0) {
            found = true;
            if (!json_is_string(json_object_get(o, "revoked_at")) &&
                json_object_set_new(o, "revoked_at",
                                    json_string(duban_instant_format(now_ms, when))))
                duban_oom(0);
        }
    if (!err && !found)
        err = duban_seterr(errbuf, errbuf_size, DUBAN_E_NOTFOUND, "no token with id %s in %s",
                           id ? id : "", path);
    if (!err)
        err = write_file(path, lines, errbuf, errbuf_size);
    json_decref(lines);
    unlock_file(lock);
    return err;
}

duban_err_t status_tokens_list(const char *path, FILE *out, char *errbuf, size_t errbuf_size)
{
    json_t *lines = NULL;
    duban_err_t err = read_file(path, &lines, NULL, errbuf, errbuf_size);
    size_t i;
    json_t *o;
    json_array_foreach(lines, i, o) {
        const char *revoked = json_string_value(json_object_get(o, "revoked_at"));
        fprintf(out, "%s\t%s\t%s\t%s\t%s\n", json_string_value(json_object_get(o, "id")),
                json_string_value(json_object_get(o, "role")),
                json_string_value(json_object_get(o, "name")),
                json_string_value(json_object_get(o, "created_at"))
                    ? json_string_value(json_object_get(o, "created_at"))
                    : "-",
                revoked ? revoked : "live");
    }
    json_decref(lines);
    return err;
}
