/* common/core/hash.c: SHA-256 through OpenSSL's EVP interface. */
#include <pthread.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include "hash.h"

static void to_hex(const unsigned char *md, unsigned len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < len; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[2 * len] = '\0';
}

/* The SHA-256 implementation, fetched once per process: EVP_sha256() looks
 * it up again on every digest, which costs more than hashing a short id. */
static EVP_MD *sha256_fetched;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    sha256_fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
}

static const EVP_MD *sha256_md(void)
{
    pthread_once(&sha256_once, sha256_fetch);
    return sha256_fetched ? sha256_fetched : EVP_sha256();
}

char *duban_sha256_hex(const void *data, size_t len, char out[DUBAN_SHA256_HEX_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_Digest(data, len, md, &md_len, sha256_md(), NULL);
    to_hex(md, md_len, out);
    return out;
}

char *duban_sha256_hex_parts(const char *const *parts, size_t count,
                             char out[DUBAN_SHA256_HEX_SIZE])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_DigestInit_ex(ctx, sha256_md(), NULL);
    for (size_t i = 0; i < count; i++) {
        if (i)
            EVP_DigestUpdate(ctx, "\x1f", 1);
        if (parts[i])
            EVP_DigestUpdate(ctx, parts[i], strlen(parts[i]));
    }
    EVP_DigestFinal_ex(ctx, md, &md_len);
    EVP_MD_CTX_free(ctx);
    to_hex(md, md_len, out);
    return out;
}
