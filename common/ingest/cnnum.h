/* common/ingest/cnnum.h: Chinese numerals as official documents print them.
 * Owns:   one reader of Chinese digits (〇 零 ○ 一 … 九), of numbers 1..999
 *         (五, 两, 十五, 二十三, 一百零五), of four-digit years (二〇二三, 二○○七)
 *         and of a date printed alone on a line (2022年11月17日,
 *         二〇二二年十一月十七日), for the text reader, the document parser
 *         and the deadline scanner alike.
 * Never:  allocates, reads past len. Thread: pure functions.
 * ○ (U+25CB WHITE CIRCLE) is read as 〇: web pages print 二○○七 for 二〇〇七. */
#ifndef DUBAN_CNNUM_H
#define DUBAN_CNNUM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The digit 0..9 whose character starts s (〇 零 ○ = 0), -1 if none. */
int duban_cn_digit(const char *s, size_t len);
/* A number 1..999 at s (一, 两, 十, 十五, 二十三, 一百, 一百零五, 一百二十):
 * its value, *used its bytes; -1 (and *used = 0) if none. 两 only leads
 * (两个, 两百), as it is printed. */
int duban_cn_number(const char *s, size_t len, size_t *used);
/* A year of four Chinese digits at s (二〇二三): its value, -1 if none;
 * *used gets its bytes. A zero typed as 0 or O after the first digit
 * counts as 〇 (二00九, as pages print a signature's year). */
int duban_cn_year(const char *s, size_t len, size_t *used);
/* After an opening bracket: a numeral of one or two characters followed at
 * once by a heading's first character, as a page that lost the closing
 * bracket prints "（一加强…" for "（一）加强…". Not a word the numeral
 * starts (一年, 一批, 十分, 两个): *num_len gets the numeral's bytes. */
bool duban_cn_unclosed_marker(const char *s, size_t len, size_t *num_len);
/* An outline numeral set as one enclosed character at s (3 bytes): ①..⑳
 * circled, ⑴..⒇ in parentheses, ⒈..⒛ with a full stop, ㈠..㈩ a
 * parenthesised ideograph. Its value 1..20 and *kind; 0 when s opens with
 * none. */
typedef enum {
    DUBAN_ENCLOSED_CIRCLED,    /* ① */
    DUBAN_ENCLOSED_PAREN,      /* ⑴ = (1) */
    DUBAN_ENCLOSED_STOP,       /* ⒈ = 1. */
    DUBAN_ENCLOSED_IDEOGRAPH   /* ㈠ = （一） */
} duban_enclosed_t;
int duban_cn_enclosed(const char *s, size_t len, duban_enclosed_t *kind);
/* A date and nothing else on the line, spaces ignored: "2022年11月17日" or
 * "二〇二二年十一月十七日"; DUBAN_DATE_NONE if the line is not one. */
int32_t duban_cn_date_line(const char *s, size_t len);

#endif
