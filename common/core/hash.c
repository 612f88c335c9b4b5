/* common/core/hash.c: SHA-256 through OpenSSL's EVP interface. */
#include <string.h>
#include <openssl/evp.h>
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

char *duban_sha256_hex(const void *data, size_t len, char out[DUBAN_SHA256_HEX_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL);
    duban_hex(md, md_len, out);
    return out;
}

char *duban_sha256_hex_parts(const char *const *parts, size_t count,
                             char out[DUBAN_SHA256_HEX_SIZE])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
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
