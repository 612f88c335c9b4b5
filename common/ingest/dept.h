/* common/dept.h: responsible units -> canonical department names.
 * lead_units/cooperating_units are the names as printed; canonical
 * departments apply the jurisdiction prefix inherited along a list
 * (区卫健局、区发改局、财政局 -> 区财政局), aliases (区卫健局 = 区卫生健康局) and
 * distributive collectives (各镇、街道 -> 各镇 + 各街道) through a directory
 * kept as data (data/departments.json, embedded; users add files).
 * Owns:   the directory (read-only after load). Never: I/O except the
 *         explicit load call, logging. Thread: lookups safe after load.
 *
 * INPUT CONTRACT: UTF-8. Punctuation full- or half-width alike (、，,；;
 * （( ）) ：:). Stray whitespace (ASCII, U+3000, line breaks) and markup
 * (`*`, HTML tags like <p>) anywhere are removed, so `区 政 府` and a name
 * broken across lines are read whole.
 *
 * DIRECTORY FORMAT (data/departments.json; user files the same):
 *   {"format": "duban-departments/1",
 *    "prefixes": ["自治区", "区", "市", "县", ...],   jurisdiction prefixes
 *    "collective_nouns": ["街道", "单位", ...],       各X、Y -> 各X + 各Y
 *    "place_markers": ["区", "街道", ...],  a place inside a name: never
 *    "place_marker_exceptions": ["市场", ...]   prefixed (高新区规建局)
 *    "place_names": ["大武口", ...],        (大武口百花市场农贸服务中心)
 *    "stem_prefixes": ["区", "市", "县"...],  prefixes stems apply under
 *    "departments": [
 *      {"name": "卫生健康局", "aliases": ["卫健局"]},            a STEM: no
 *          prefix, applies under any stem prefix (县卫健局 -> 县卫生健康局);
 *          "{P}" places the prefix inside: 团{P}委 (团委 -> 团区委/团市委)
 *      {"name": "区教育体育局", "aliases": ["区教育局"], "scope": "大武口区"},
 *          a FULL name (starts with a prefix, or "national": true, or
 *          "local": true for names that never take a prefix: 星海镇,
 *          团区委); "scope" limits it to one jurisdiction's documents
 *    ]}
 *   Later files override earlier entries for the same alias. Unknown
 *   members are ignored (forward compatible). */
#ifndef DUBAN_DEPT_H
#define DUBAN_DEPT_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"
#include "strlist.h"

typedef struct duban_dept_dir_s duban_dept_dir_t;

/* NEW directory from the embedded data/departments.json. */
duban_err_t duban_dept_dir_new(duban_dept_dir_t **out, char *errbuf, size_t errbuf_size);
/* Adds the entries of a user JSON file (same format); errors name the file
 * (and the line/column for malformed JSON, the entry index for bad ones). */
duban_err_t duban_dept_dir_load_file(duban_dept_dir_t *dir, const char *path,
                                     char *errbuf, size_t errbuf_size);
/* Same from bytes in memory; `name` is used in errors. */
duban_err_t duban_dept_dir_load_mem(duban_dept_dir_t *dir, const char *name,
                                    const char *json, size_t len,
                                    char *errbuf, size_t errbuf_size);
void duban_dept_dir_destroy(duban_dept_dir_t *dir);

/* Split a printed unit list into names as printed: markup and whitespace
 * removed, () written （）; split on 、 ， , ； ; / 及 以及 (never inside
 * （）()【】《》「」, never on 和: 区人力资源和社会保障局 stays whole); the list
 * ends at a 。 outside brackets (`区审批服务管理局等相关部门。完成时限:…`);
 * a leading label up to ：/: (`责任单位：`) and a leading 由 dropped;
 * trailing 按职责分工负责 / 按职责分别负责 / 分别牵头 / 牵头 / 配合(完成) /
 * 参与 / 负责 / 等相关部门 / 等有关成员单位 / 等 dropped, and X等…部门/单位/
 * 地区 -> X (`审计署等国务院相关部门`); unbalanced brackets at the ends
 * dropped. Appends to *out; O(len), one allocation per name (the list's). */
duban_err_t duban_dept_split_units(const char *text, size_t len, duban_strlist_t *out);

/* Canonical department names for printed names (as split above), in order,
 * de-duplicated, appended to *out. `jurisdiction` is the issuing
 * government: either a bare prefix ("区", "市", "县") or a full name
 * ("大武口区", "青铜峡市": its trailing prefix is used, and the full name
 * selects "scope" entries); may be NULL. Rules, in order, per name:
 *   0. with a full jurisdiction, a name starting with it that is not itself
 *      in the directory reads as prefix + rest (大武口区财政局 -> 区财政局);
 *   1. 各X、Y: Y a collective noun after a 各-name -> the same head + 各Y
 *      (各镇、街道 -> 各街道; 市直各部门、单位 -> 市直各单位);
 *   2. a name without prefix takes the prefix of the last prefixed name
 *      of the list (not from branches: …分局), else the jurisdiction's,
 *      when it looks like a local department (ends in 局/委/办/中心/院/会…,
 *      or is a known stem) and is not national (…部, 署, 国务院…, 国家…),
 *      a collective (各…, 相关…) or a name holding a place (高新区规建局);
 *   3. aliases: scoped full name, full name, then stem under its prefix;
 *   4. full-width brackets （） in the result. */
duban_err_t duban_dept_canonicalize(const duban_dept_dir_t *dir,
                                    const duban_strlist_t *printed,
                                    const char *jurisdiction,
                                    duban_strlist_t *out);

/* Whether a printed unit name is one the directory knows: an entry (full
 * name, stem or alias) as printed, or after a place prefix (杭州市财政局,
 * 市发改委), or a form that needs no entry (…人民政府, …镇, …街道办事处,
 * …有限公司, 各有关部门). A bracketed tail is ignored. What extraction
 * reports as UNKNOWN_UNIT for the supervising office to check. */
bool duban_dept_known(const duban_dept_dir_t *dir, const char *printed);

/* The jurisdiction of an issuing organ, for duban_dept_canonicalize:
 * "大武口区人民政府办公室" -> "大武口区", "中共青铜峡市委办公室" -> "青铜峡市",
 * "区人民政府" -> "区". Writes NUL-terminated out; false (out "") when the
 * issuer does not name one (no 人民政府/委/政府 after a name ending in a
 * prefix). */
bool duban_dept_jurisdiction(const duban_dept_dir_t *dir, const char *issuer,
                             char *out, size_t out_size);

#endif
