/* common/core/base64.c: base64 through OpenSSL's EVP block coders. */
#include <stdlib.h>
#include <openssl/evp.h>
#include "base64.h"

duban_err_t duban_base64_encode(const void *data, size_t len, char **out)
{
    if (len > (size_t)1 << 30)
        return DUBAN_E_TOO_LARGE;
    char *buf = malloc(4 * ((len + 2) / 3) + 1);
    if (!buf)
        return DUBAN_E_NOMEM;
    EVP_EncodeBlock((unsigned char *)buf, data, (int)len);
    *out = buf;
    return DUBAN_OK;
}

duban_err_t duban_base64_decode(const char *text, size_t len, unsigned char **out,
                                size_t *out_len)
{
    if (len % 4 != 0)
        return DUBAN_E_PARSE;
    if (len > (size_t)1 << 30)
        return DUBAN_E_TOO_LARGE;
    unsigned char *buf = malloc(len / 4 * 3 + 1);
    if (!buf)
        return DUBAN_E_NOMEM;
    int n = len ? EVP_DecodeBlock(buf, (const unsigned char *)text, (int)len) : 0;
    if (n < 0) {
        free(buf);
        return DUBAN_E_PARSE;
    }
    /* EVP_DecodeBlock counts padding as zero bytes: take them off. */
    if (len >= 1 && text[len - 1] == '=')
        n--;
    if (len >= 2 && text[len - 2] == '=')
        n--;
    *out = buf;
    *out_len = (size_t)n;
    return DUBAN_OK;
}
