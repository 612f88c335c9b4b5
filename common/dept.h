/* common/dept.h: responsible units -> canonical department names.
 * lead_units/cooperating_units are the names as printed; canonical
 * departments apply the jurisdiction prefix inherited along a list
 * (区卫健局、区发改局、财政局 -> 区财政局), aliases (区卫健局 = 区卫生健康局) and
 * distributive collectives (各镇、街道 -> 各镇 + 各街道) through a directory
 * kept as data (data/departments.json, embedded; users add files).
 * Owns:   the directory (read-only after load). Never: I/O except the
 *         explicit load call, logging. Thread: lookups safe after load. */
#ifndef DUBAN_DEPT_H
#define DUBAN_DEPT_H
#include <stddef.h>
#include "err.h"
#include "strlist.h"

typedef struct duban_dept_dir_s duban_dept_dir_t;

/* NEW directory from the embedded data/departments.json. */
duban_err_t duban_dept_dir_new(duban_dept_dir_t **out, char *errbuf, size_t errbuf_size);
/* Adds the entries of a user JSON file (same format); errors name the file. */
duban_err_t duban_dept_dir_load_file(duban_dept_dir_t *dir, const char *path,
                                     char *errbuf, size_t errbuf_size);
void duban_dept_dir_destroy(duban_dept_dir_t *dir);

/* Split a printed unit list into names as printed: markup and line breaks
 * removed, trailing 按职责分工负责/等相关部门 dropped, never split inside
 * brackets or on 和. Appends to *out. */
duban_err_t duban_dept_split_units(const char *text, size_t len, duban_strlist_t *out);

/* Canonical department names for printed names, in order, de-duplicated.
 * `jurisdiction` is the prefix of the issuing government ("区", "市"), used
 * when a name carries none and the list gives none; may be NULL. */
duban_err_t duban_dept_canonicalize(const duban_dept_dir_t *dir,
                                    const duban_strlist_t *printed,
                                    const char *jurisdiction,
                                    duban_strlist_t *out);

#endif
