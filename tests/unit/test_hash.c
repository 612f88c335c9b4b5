/* core/hash.h: FNV-1a 64 with duban's offset basis (hash.h says why it is
 * not the published one; the values below computed independently in Python),
 * a key hashed part after part equal to the joined key (dept.c hashes
 * "scope|name" that way), and SHA-256 hex against FIPS 180-2's "abc". */
#include <string.h>
#include "check.h"
#include "hash.h"

/* FNV-1a of "a" and "foobar" from basis 1469598103934665603 (python3) */
#define A_HASH 0x44bd8ad473cd9906ULL
#define FOOBAR_HASH 0x88fad7c0a8ff07f2ULL

static void test_fnv(void)
{
    CHECK(duban_fnv1a64("", 0) == 1469598103934665603ULL);
    CHECK(duban_fnv1a64("a", 1) == A_HASH);
    CHECK(duban_fnv1a64("foobar", 6) == FOOBAR_HASH);
    uint64_t parts = duban_fnv1a64_add(duban_fnv1a64_add(duban_fnv1a64("区", strlen("区")), "|", 1),
                                       "财政局", strlen("财政局"));
    CHECK(parts == duban_fnv1a64("区|财政局", strlen("区|财政局")));
    CHECK(parts != duban_fnv1a64("区财政局", strlen("区财政局")));
}

static void test_sha256(void)
{
    char hex[DUBAN_SHA256_HEX_SIZE];
    duban_sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    test_fnv();
    test_sha256();
    return CHECK_DONE();
}
