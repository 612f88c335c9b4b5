/* common/gwdoc.h: official documents (公文) and their tasks in a gazette.
 * Input is the normalised text of one file (common/text.h). A document is
 * anchored on a line that holds only a document number (发文字号); its
 * title is the 1-4 lines above, its recipients (主送) the line after ending
 * in "：", its issue date the first date line, its issuers the signature
 * lines above that date, and the plan a notice wraps (印发…的通知) the title
 * that follows. Tables of contents (leader dots), inline citations,
 * mastheads and 大事记 are not documents. Tasks are enumerated items
 * (一、 （一） 1. （1） ① …) and task-table rows that name a responsible
 * unit or carry a deadline; responsibility comes in labelled clauses
 * (牵头单位：… 配合单位：… 责任单位：…), inline verbs (X牵头，Y配合 / X按职责
 * 分工负责) and table columns; clauses owned by national bodies are dropped.
 * Deadlines come from common/deadline.h, department names from
 * common/dept.h: this module has no rule of its own for either.
 * Owns:   the parse result (free with duban_gwdoc_free).
 * Never:  I/O, logging, global state. Thread: any, per result.
 * Allocation: aborts on out of memory (core/alloc.h policy): a result is
 * never silently cut short; bad input never gets there (the text reader
 * caps a file at 256 MiB). */
#ifndef DUBAN_GWDOC_H
#define DUBAN_GWDOC_H
#include <stddef.h>
#include <stdint.h>
#include "deadline.h"
#include "dept.h"
#include "err.h"
#include "strlist.h"
#include "text.h"

typedef struct {
    char *doc_id;               /* normalised number, or "doc:"+16 hex */
    char *doc_number;           /* NULL when the document has none */
    char *title;
    char *attached_plan_title;  /* NULL unless the notice wraps a plan */
    duban_strlist_t issuers;
    duban_strlist_t recipients;
    int32_t issue_date;         /* epoch day or DUBAN_DATE_NONE */
    char jurisdiction[8];       /* "区" / "市" / "县" / "" */
    uint32_t line;              /* first title line (1-based) */
    uint64_t offset;            /* its byte offset */
    char body_sha256[65];
    size_t first_task, task_count;
    size_t start, end;          /* line index range [start, end) */
} duban_gwdoc_doc_t;

typedef struct {
    size_t doc;                 /* index into docs */
    char *task_id;
    char *outline_path;
    char *text;
    duban_strlist_t lead_units, coop_units;
    duban_strlist_t lead_depts, coop_depts;
    duban_strlist_t review;     /* DUBAN_REVIEW_* codes, in that order */
    duban_deadline_t deadline;  /* last: push_task zeroes what is before it */
    uint32_t line;
    uint64_t offset;
} duban_gwdoc_task_t;

/* Review codes (TaskAssigned.review): what extraction was unsure of, so
 * that the supervising office checks those tasks rather than all of them.
 *   NO_LEAD             no lead unit was found
 *   UNKNOWN_UNIT        a lead unit the department directory does not know
 *                       (duban_dept_known) that does not read as a body
 *                       either (…局 …委 …办 …中心 …): a phrase or a person
 *                       taken for a unit; or bodies run together into one
 *                       name (市发改委五县五区政府…). Units of a body's form that the
 *                       directory lacks are listed by duban-ingest --review,
 *                       for the directory, not flagged.
 *   DEADLINE_UNPARSED   the item holds a deadline phrase or a deadline cell
 *                       that no rule understood
 *   DEADLINE_AMBIGUOUS  the deadline could be read two ways: Y年前 / M月前, or
 *                       a dated deadline in an item that also names a
 *                       recurrence (每月 每季度 …)
 *   TABLE_SHIFTED       a table row whose cells do not line up with its header */
#define DUBAN_REVIEW_NO_LEAD "NO_LEAD"
#define DUBAN_REVIEW_UNKNOWN_UNIT "UNKNOWN_UNIT"
#define DUBAN_REVIEW_DEADLINE_UNPARSED "DEADLINE_UNPARSED"
#define DUBAN_REVIEW_DEADLINE_AMBIGUOUS "DEADLINE_AMBIGUOUS"
#define DUBAN_REVIEW_TABLE_SHIFTED "TABLE_SHIFTED"

typedef struct {
    duban_gwdoc_doc_t *docs;
    size_t ndocs, capdocs;
    duban_gwdoc_task_t *tasks;
    size_t ntasks, captasks;
    size_t warnings;
    uint32_t cut_line;          /* the text ends inside the task at this line,
                                 * before its unit: not emitted (0: none) */
} duban_gwdoc_t;

/* Parses every document of `t`. `dir` may be NULL (departments are then
 * left empty). On success *g holds NEW data: free with duban_gwdoc_free
 * (also on error). Never fails on odd input: no documents is a result. */
duban_err_t duban_gwdoc_parse(const duban_text_t *t, const duban_dept_dir_t *dir,
                              duban_gwdoc_t *g, char *errbuf, size_t errbuf_size);
void duban_gwdoc_free(duban_gwdoc_t *g);

/* Normalises a document number (spaces removed, year brackets -> 〔〕) into
 * out; returns false when s is not exactly one document number. */
bool duban_gwdoc_docno(const char *s, size_t len, char *out, size_t out_size);

/* Responsibility of one text span: appends printed names to lead/coop.
 * Returns the number of clauses found (national-body clauses excluded). */
size_t duban_gwdoc_responsibility(const char *text, size_t len,
                                  duban_strlist_t *lead, duban_strlist_t *coop);

#endif
