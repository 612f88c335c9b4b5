/* common/t2s.h: traditional Chinese characters read as simplified ones.
 * A document printed in traditional characters (牽頭單位, 完成時限, 號) is
 * parsed with the same rules as a simplified one: the reader (text.h) reads
 * each traditional character as its simplified form, and writes the text a
 * task prints back as printed. The pairs are data (data/chinese/t2s.json,
 * embedded; from OpenCC's TSCharacters, Apache-2.0), one character for one
 * character, both in U+4E00..U+9FFF, so a conversion never changes a
 * string's length in bytes.
 * Owns:   a read-only table built once, on first use (pthread_once).
 * Never:  logs, allocates after the table is built. Thread: any. */
#ifndef DUBAN_T2S_H
#define DUBAN_T2S_H
#include <stdbool.h>
#include <stdint.h>

/* The simplified form of code point cp, or 0 when cp is not a traditional
 * character of the table (simplified text, punctuation, other scripts). */
uint32_t duban_t2s(uint32_t cp);

/* Whether the table could be built (the embedded data parsed). */
bool duban_t2s_ready(void);

/* The table itself, for scanners that look up every character of a file:
 * index cp - 0x4E00 (cp in U+4E00..U+9FFF), value simplified - 0x4E00 + 1,
 * 0 for none. Built on first call; never NULL. */
const uint16_t *duban_t2s_table(void);

#endif
