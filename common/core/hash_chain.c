/* common/core/hash_chain.c: a SHA-256 hash chain (see hash_chain.h). */
#include <string.h>
#include <openssl/evp.h>
#include "hash.h"
#include "hash_chain.h"

static const char seed_text[] = "duban.digest.v1";

static void put_be(unsigned char *out, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        out[i] = (unsigned char)(v & 0xff);
}

static duban_err_t new_ctx(duban_hash_chain_t *c)
{
    memset(c, 0, sizeof(*c));
    c->ctx = EVP_MD_CTX_new();
    return c->ctx ? DUBAN_OK : DUBAN_E_NOMEM;
}

duban_err_t duban_hash_chain_init(duban_hash_chain_t *c)
{
    duban_err_t err = new_ctx(c);
    unsigned len = 0;
    if (!err)
        EVP_Digest(seed_text, sizeof(seed_text) - 1, c->digest, &len, EVP_sha256(), NULL);
    return err;
}

duban_err_t duban_hash_chain_init_from(duban_hash_chain_t *c, const char *hex)
{
    duban_err_t err = new_ctx(c);
    if (!err && !duban_hex_decode(hex, c->digest, sizeof(c->digest))) {
        duban_hash_chain_free(c);
        err = DUBAN_E_PARSE;
    }
    return err;
}

void duban_hash_chain_free(duban_hash_chain_t *c)
{
    if (c->ctx)
        EVP_MD_CTX_free(c->ctx);
    c->ctx = NULL;
}

void duban_hash_chain_add(duban_hash_chain_t *c, int64_t position, int64_t time,
                          const duban_chain_field_t *fields, size_t field_count)
{
    EVP_MD_CTX *ctx = c->ctx;
    unsigned char head[20];
    unsigned len = 0;
    put_be(head, (uint64_t)position, 8);
    put_be(head + 8, (uint64_t)time, 8);
    put_be(head + 16, (uint64_t)field_count, 4);
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, c->digest, sizeof(c->digest));
    EVP_DigestUpdate(ctx, head, sizeof(head));
    for (size_t i = 0; i < field_count; i++) {
        unsigned char n[4];
        put_be(n, fields[i].data ? (uint64_t)fields[i].len : 0xffffffffu, 4);
        EVP_DigestUpdate(ctx, n, sizeof(n));
        if (fields[i].data && fields[i].len)
            EVP_DigestUpdate(ctx, fields[i].data, fields[i].len);
    }
    EVP_DigestFinal_ex(ctx, c->digest, &len);
    c->count++;
}

char *duban_hash_chain_hex(const duban_hash_chain_t *c, char out[65])
{
    return duban_hex(c->digest, sizeof(c->digest), out);
}
