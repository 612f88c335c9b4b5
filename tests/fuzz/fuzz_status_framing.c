/* tests/fuzz/fuzz_status_framing.c: arbitrary bytes as the start of what a
 * client sent duban-status (status_framing.h). Whatever the bytes: the
 * verdict is one of three; an accepted head lies within the input and the
 * cap, ends with an LF, and is the same verdict for the head alone (bytes
 * after it never change it); every shorter prefix of it is MORE; a refusal
 * is 400 or 431 with a reason; a smaller cap never accepts more. */
#include <stdint.h>
#include <stdlib.h>
#include "status_framing.h"

enum { CAP = 4096 };   /* small, so that the fuzzer reaches the cap */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    status_framing_t f, g;
    status_framing_verdict_t v = status_framing_check(buf, size, CAP, &f);
    switch (v) {
    case STATUS_FRAMING_OK:
        if (f.head_len == 0 || f.head_len > size || f.head_len > CAP ||
            buf[f.head_len - 1] != '\n' || f.body_len < -1)
            abort();
        if (status_framing_check(buf, f.head_len, CAP, &g) != STATUS_FRAMING_OK ||
            g.head_len != f.head_len || g.body_len != f.body_len)
            abort();   /* bytes after the head changed the verdict */
        if (status_framing_check(buf, f.head_len - 1, CAP, &g) != STATUS_FRAMING_MORE)
            abort();   /* a head one byte short must still be incomplete */
        break;
    case STATUS_FRAMING_BAD:
        if ((f.status != 400 && f.status != 431) || !f.why || !*f.why)
            abort();
        break;
    case STATUS_FRAMING_MORE:
        if (size >= CAP)
            abort();   /* at the cap there is a head or a 431 */
        break;
    default:
        abort();
    }
    if (v != STATUS_FRAMING_BAD &&
        status_framing_check(buf, size, CAP / 2, &g) == STATUS_FRAMING_OK &&
        (v != STATUS_FRAMING_OK || g.head_len != f.head_len))
        abort();   /* a smaller cap accepted what the larger did not */
    return 0;
}
