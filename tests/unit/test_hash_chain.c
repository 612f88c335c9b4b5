/* The SHA-256 hash chain of duban-audit digest: known answers computed
 * independently (Python hashlib over the documented layout), and every
 * change, removal, reordering or shift of bytes between fields changes the
 * digest. */
#include <string.h>
#include "check.h"
#include "hash_chain.h"

#define F(s) {(s), sizeof(s) - 1}

typedef struct {
    int64_t pos, time;
    duban_chain_field_t f[4];
    size_t n;
} rec_t;

static void digest_of(const rec_t *recs, size_t n, char out[65])
{
    duban_hash_chain_t c;
    CHECK_INT(duban_hash_chain_init(&c), DUBAN_OK);
    for (size_t i = 0; i < n; i++)
        duban_hash_chain_add(&c, recs[i].pos, recs[i].time, recs[i].f, recs[i].n);
    CHECK_INT(c.count, n);
    duban_hash_chain_hex(&c, out);
    duban_hash_chain_free(&c);
}

static const rec_t base[] = {
    {0, 1700000000000LL, {F("k1"), F("督办"), F("duban.reason"), F("why")}, 4},
    {1, -1, {{NULL, 0}, F("")}, 2},
};

static void test_known_answers(void)
{
    char hex[65];
    digest_of(base, 0, hex);
    CHECK_STR(hex, "4554e44956bcd881203e1346bc00f4f7fd0c724c7f31c1a1575221cac7487367");
    digest_of(base, 1, hex);
    CHECK_STR(hex, "f30a3808cf82ecffca7c7015de2f52c47d5d01ada41fae91c802593cec72ddee");
    digest_of(base, 2, hex);
    CHECK_STR(hex, "e3a428cea4c1859390fcf0f56b0e34e5287a811c5c174bcd22e169ca0466171e");
}

static void test_every_change_shows(void)
{
    char want[65], got[65];
    digest_of(base, 2, want);
    digest_of(base, 2, got);
    CHECK_STR(got, want);                       /* same records, same digest */
    rec_t r[2];
    memcpy(r, base, sizeof(r));
    r[0].f[1] = (duban_chain_field_t)F("督查");   /* a changed value */
    digest_of(r, 2, got);
    CHECK(strcmp(got, want) != 0);
    memcpy(r, base, sizeof(r));
    r[1].time = 0;                              /* a changed timestamp */
    digest_of(r, 2, got);
    CHECK(strcmp(got, want) != 0);
    memcpy(r, base, sizeof(r));
    r[1].f[0] = (duban_chain_field_t)F("");     /* null key became empty */
    digest_of(r, 2, got);
    CHECK(strcmp(got, want) != 0);
    rec_t swapped[2] = {base[1], base[0]};      /* reordered */
    digest_of(swapped, 2, got);
    CHECK(strcmp(got, want) != 0);
    digest_of(base + 1, 1, got);                /* the first one removed */
    CHECK(strcmp(got, want) != 0);
    rec_t ab = {5, 5, {F("ab"), F("c")}, 2}, a_bc = {5, 5, {F("a"), F("bc")}, 2};
    char x[65], y[65];
    digest_of(&ab, 1, x);
    digest_of(&a_bc, 1, y);
    CHECK(strcmp(x, y) != 0);                   /* bytes moved between fields */
}

/* A chain written down after record 0 goes on to the same digest. */
static void test_extend(void)
{
    char first[65], want[65], got[65];
    digest_of(base, 1, first);
    digest_of(base, 2, want);
    duban_hash_chain_t c;
    CHECK_INT(duban_hash_chain_init_from(&c, first), DUBAN_OK);
    duban_hash_chain_add(&c, base[1].pos, base[1].time, base[1].f, base[1].n);
    CHECK_STR(duban_hash_chain_hex(&c, got), want);
    duban_hash_chain_free(&c);
    CHECK_INT(duban_hash_chain_init_from(&c, "12ab"), DUBAN_E_PARSE);
    CHECK_INT(duban_hash_chain_init_from(&c, "zz54e44956bcd881203e1346bc00f4f7fd0c724c7f31c1a1575221cac7487367"),
              DUBAN_E_PARSE);
}

int main(void)
{
    test_known_answers();
    test_every_change_shows();
    test_extend();
    return CHECK_DONE();
}
