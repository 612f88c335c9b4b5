/* common/core/hash.c: SHA-256 through OpenSSL's EVP interface. */
#include <pthread.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include "hash.h"

char *duban_hex(const void *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * len] = '\0';
    return out;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool duban_hex_decode(const char *hex, void *out, size_t len)
{
    unsigned char *p = out;
    if (strlen(hex) != 2 * len)
        return false;
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        p[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
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
    duban_hex(md, md_len, out);
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
    duban_hex(md, md_len, out);
    return out;
}
