/* common/ingest/gwdoc_int.h: what the parts of the gazette parser share
 * (gwdoc.h is its public face). Not installed, not included outside
 * common/ingest/gwdoc*.c.
 * Owns:   the parser's internal types (the per-parse state, the walk's
 *         state, clauses, markers, table state), its small string helpers
 *         and the prototypes one part calls in another (prefixed gw_).
 * The parts: gwdoc_header.c (document numbers, anchors, titles, headers),
 * gwdoc_clause.c (responsibility clauses and unit lists), gwdoc_marker.c
 * (outline markers), gwdoc_table.c (tables: TAB and pipe rows, flattened
 * tables, one cell per line, key/value records), gwdoc_prose.c (who a
 * sentence of running prose names), gwdoc_unmarked.c (duties in paragraphs
 * no outline marker opens), gwdoc_review.c (a task's review codes) and
 * gwdoc.c (the walk over a document's body that turns items and rows into
 * tasks, and the driver). */
#ifndef DUBAN_GWDOC_INT_H
#define DUBAN_GWDOC_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "alloc.h"
#include "str.h"
#include "cnnum.h"
#include "date.h"
#include "deadline.h"
#include "dept.h"
#include "gwdoc.h"
#include "hash.h"
#include "text.h"

/* ================================================================== */
/* String helpers                                                       */

/* Whether s[0..len) holds p. A macro, so that a literal's length is known
 * where it is written (the call sites are thousands, and an out-of-line
 * copy measured strlen per call). */
#define contains(s, len, p) (duban_find((s), (len), (p), strlen(p)) != NULL)

/* Whether s[0..len) holds one of the words of a NULL-ended list. */
static inline bool contains_any(const char *s, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (contains(s, len, *words))
            return true;
    return false;
}

static inline bool ends_any(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (duban_ends(s, len, *list))
            return true;
    return false;
}

static inline char *dup_len(const char *s, size_t len)
{
    char *d = duban_xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* Copies s without spaces/tabs into out (cap bytes incl. NUL). */
static inline size_t squeeze(const char *s, size_t len, char *out, size_t cap)
{
    size_t w = 0, i = 0;
    for (; i < len && w + 1 < cap; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            out[w++] = s[i];
    if (i < len) /* truncated: never cut a UTF-8 sequence */
        while (w > 0 && ((unsigned char)out[w - 1] & 0x80)) {
            unsigned char c = (unsigned char)out[--w];
            if (c >= 0xC0)
                break;
        }
    out[w] = '\0';
    return w;
}

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ================================================================== */
/* Document headers                                                     */

typedef struct {
    const duban_text_t *t;
    const duban_dept_dir_t *dir;
    duban_gwdoc_t *g;
} parse_t;

/* ================================================================== */
/* Responsibility clauses                                               */

/* ROLE_PERSON: a label whose value names people (牵头领导：张三): it ends the
 * list before it and gives no unit. */
typedef enum { ROLE_LEAD, ROLE_COOP, ROLE_RESP, ROLE_TIME, ROLE_PERSON } role_t;

#define LBL(w, r) {w, sizeof(w) - 1, r}
/* Unit labels composed of a role word and a unit noun (牵头单位, 责任处室,
 * 联办单位), shared by clauses and table headers (gwdoc_clause.c). */
bool gw_role_label_end(const char *s, size_t end, role_t *role, size_t *start);
bool gw_role_label_is(const char *s, size_t n, role_t *role);
#define NLABELS (sizeof(LABELS) / sizeof(LABELS[0]))

typedef struct {
    size_t start, end;           /* span of the clause in the text */
    duban_strlist_t lead, coop, resp;
    bool has_lead_label;
    size_t first_group;          /* a bare list's units before its first ，
                                    (0: one group); see bold_leads */
} clause_t;

#define MAX_CLAUSES 32

/* ================================================================== */
/* Outline markers                                                      */

/* LV_SAY: a paragraph opened by 一要… (its own type of marker) */
enum { LV_CHAPTER = 1, LV_SECTION, LV_1, LV_2, LV_3, LV_4, LV_5, LV_PHASE, LV_SAY };

typedef struct {
    int level;
    int value;          /* numeric value, for part detection */
    size_t len;         /* bytes of the marker incl. trailing spaces */
    char label[48];
    char lead[192];     /* "省编办牵头的工作": the lead of the items below */
    char lab_lead[192]; /* "（十）…（牵头单位：市园林绿化局）": the lead of the
                           items below that print only 责任单位 */
    size_t head_task;   /* 1 + the task made of the heading itself, 0: none;
                           dropped once an item below takes its lead */
    bool has_phase;     /* "（三）检查验收阶段（2010年11月21日至12月20日）。": */
    duban_deadline_t phase;   /* the phase's end, the items' below without one.
                                 Last, and read only when has_phase: a marker
                                 is tested on every line, and gw_marker_at and
                                 gw_push_marker move only the fields before
                                 it (phase alone is 4.7 KB) */
} marker_t;

/* ================================================================== */
/* The walk over one document's body                                   */

#define MAX_DEPTH 10
#define MAX_COLS 16

typedef struct {
    parse_t *P;
    size_t doc;
    duban_deadline_ctx_t dctx;
    marker_t stack[MAX_DEPTH];
    int depth;
    int part, attach;
    bool seen_l1;
    /* the document says "列第一位的为牵头单位": in an unlabelled list of
     * units the first leads and the others cooperate */
    bool first_leads;
    bool bold_leads;   /* "黑体为牵头单位": the leads were set in bold, which
                          the text lost; a bare list's first group leads */
    bool year_guessed;          /* the document year came from a citation */
    /* a rectification notice's one date for all it attaches ("请…于5月20日
     * 前将问题整改完成"): the due date of an attached item without its own */
    duban_deadline_t cover_due;
    bool have_cover_due;
    /* a list's title that names the year its items are to be done in
     * ("2019年市政府要完成的与人民生活密切相关的实事"): the due date of an
     * item below it without its own */
    duban_deadline_t list_due;
    bool have_list_due;
    bool seen_marker;           /* an outline marker opened an item */
    bool shi_items;             /* 一是…, 二是… paragraphs are the top level's items */
    bool list_due_window;       /* list_due is a campaign's window (整治时间：…) */
    size_t dropped[64];         /* tasks made of headings whose items took their lead */
    int ndropped;
    int notice_no;              /* dated duties of unnumbered paragraphs */
    /* paragraphs of a document with no outline marker (so far) that set a
     * date for something to be done ("年底前建成8条城市道路"): its tasks
     * when no marker follows (a news release, a plan printed as prose) */
    struct unmarked_s {
        char *text;
        size_t len, line_idx, line_pos;
        int para_no;          /* the paragraph it was kept from */
    } unmarked[32];
    int nunmarked;
    int para_no;              /* paragraphs handled so far (gw_handle_para) */
    /* sibling items without a unit or deadline of their own, waiting for a
     * clause printed after the last of them ("（1）… （2）… （3）…
     * （责任单位：…）"), which is all of theirs */
    struct pending_item_s {
        char *text;
        size_t len, line_idx;
        char path[320];
    } pend[16];
    int npend, pend_level, pend_depth;
    /* current item */
    bool item_open;
    char item_path[320];
    duban_para_t item;
    size_t item_skip;
    /* paragraph being joined */
    duban_para_t para;
    size_t prev_li;
    /* table */
    int ncols, col_seq, col_task, col_lead, col_coop, col_dl;
    uint16_t col_no_text;        /* person and assessment columns: never the
                                    task's text, its deadline or its unit */
    char header[512];
    char last_row[1024];
    char last_dl[256];
    int row_no, table_no;
    /* a table flattened one cell per line (deadline column before the
     * unit columns): rows end with a tail "持续推进 区财政局 区审计局" */
    bool flat, in_tail;
    char hdr_acc[256];
    duban_para_t row;
    char tail[512], row_path[320];
    int row_k;
    /* TAB tables: the unit cells of the last row that had some, inherited
     * by rows printed without theirs (merged cells of a web page's table) */
    char row_lead[512], row_coop[512];
    bool seq_less_row_inherits;
    /* a table printed one cell per line (web pages): its columns and the
     * row being read */
    struct cell_table_s *ct;
    /* a table whose cells were printed glued, with no separator left
     * ("序号任务名称任务内容牵头部门配合部门…"): its rows are read as items
     * (gw_glued_para); glued_coop when a cooperating column follows the lead */
    bool glued, glued_coop;
} walk_t;

typedef struct {
    const char *text;
    size_t len;
    const char *dl;       /* deadline source text */
    size_t dl_len;
    const duban_strlist_t *lead, *coop;
    size_t line_idx;
    bool shifted;         /* a table row whose cells did not line up */
    bool dl_cell;         /* dl is a deadline cell or label (its text unread: flagged) */
    size_t line_pos;      /* where in line line_idx the text starts (0: its start); on
                           * a line joined from wrapped ones, the source line it names */
} task_in_t;

/* ------------------------------------------------------------------ */
/* Tables                                                               */

typedef struct {
    const char *s[MAX_COLS];
    size_t n[MAX_COLS];
    int count;
} cells_t;

/* A header cell without spaces; m2 is its length without a trailing
 * bracketed qualifier (牵头单位（部门）). */
typedef struct {
    char b[128];
    size_t m, m2;
} cell_key_t;

typedef struct {
    const char *id;
    size_t index;
} id_ref_t;

/* ------------------------------------------------------------------ */
/* Tables printed one cell per line                                     */
/* A web page's table loses its grid: the header cells (序号 / 目标任务 /
 * 牵头单位 / 配合单位), then every cell, each on a line of its own, with
 * blank lines or lone "|" between them; empty cells leave nothing, long
 * cells wrap onto several lines and a cell listing several units may put
 * each on its own line. Cells are read in column order, each one into the
 * next column whose kind it fits (a unit list, a person, a deadline, a
 * number, text); a row starts at a number in the 序号 column, at an
 * enumerated task or at text after the row's units. */

typedef enum { COL_SEQ, COL_TASK, COL_LEAD, COL_RESP, COL_COOP, COL_DEADLINE, COL_PERSON,
               COL_OTHER, COL_STATUS /* 进展情况, 完成情况: what was done so far */,
               COL_ASSESS /* 评分部门, 考核单位: units that score the work, never its owners */
} col_kind_t;

#define CT_MAX_COLS 12
#define CT_CELL_MAX 2048

typedef struct cell_table_s {
    col_kind_t col[CT_MAX_COLS];
    bool detail[CT_MAX_COLS];      /* a second task column: the task's details */
    int ncols, table_no, row_no;
    int last;                      /* column of the last cell, -1 at row start */
    char cell[CT_MAX_COLS][CT_CELL_MAX];
    size_t cell_line[CT_MAX_COLS]; /* line index of each cell's first line */
    size_t stacked_at[CT_MAX_COLS];/* where the last unit stacked into a cell begins, 0 if none */
    size_t task_line;              /* line index of the task cell */
    bool has_task, has_units;
    char prev_lead[CT_CELL_MAX], prev_coop[CT_CELL_MAX];
    /* "| cell" lines: each "|" opens a cell, a lone "|" ends the row, and a
     * line without one continues the cell (a name printed a character or
     * two per line: 市/监/察/局); merged cells are inherited column by column */
    bool pipes;
    char pend[CT_CELL_MAX];
    size_t pend_line;
    /* a row per line, cells separated by single spaces ("1 地区生产总值增长6%。
     * 区发展改革委 同比增长2.9%。"), a unit list wrapping one unit per line */
    bool spaced;
    /* one cell per line with a blank line between cells (the header too):
     * lines that follow each other are one cell a PDF wrapped */
    bool blank_sep;
} cell_table_t;

/* ------------------------------------------------------------------ */
/* Records printed one key cell per line                                */
/* A one-row table of a 公示 or 整改 page, printed as its key cells and
 * their values down the page: "整改任务" / the problem / "责任单位" / the
 * units / "整改时限" / the date. A record needs a task key and a unit key;
 * a task key seen again starts the next record. */

/* KV_PROBLEM: the problem a record rectifies (反馈问题), its task unless the
 * record also prints the measure (KV_MEASURE, 整改措施), which is then the
 * task. */
typedef enum { KV_NONE, KV_TASK, KV_PROBLEM, KV_MEASURE, KV_LEAD, KV_COOP, KV_DEADLINE,
               KV_OTHER } kv_key_t;

/* ================================================================== */
/* Driver                                                               */

typedef struct {
    size_t li;
    size_t cut;          /* > 0: the title ends the line's first cut bytes */
    char num[128];
} anchor_t;

extern const char *const TITLE_END[];
extern const duban_word_t LEAD_VERBS[];
extern const duban_word_t COOP_VERBS[];

/* Hot helpers of every part, inline: called for each line. */
/* The "（" that the "）" at s[close] closes ("（汴政办（2005）34号）": the
 * first), or NULL. */
const char *gw_matching_open(const char *s, size_t close);
bool gw_has_leader_slow(const char *s, size_t len);

/* A TOC leader: "...." "···" "……" "．．．"; memchr-driven: most lines
 * have none and are rejected by the first scan. */
static inline bool gw_has_leader(const char *s, size_t len)
{
    if (!duban_find(s, len, "..", 2) && !duban_find(s, len, "\xC2\xB7\xC2\xB7", 4) &&
        !duban_find(s, len, "……", 6) && !duban_find(s, len, "．．", 6))
        return false;
    return gw_has_leader_slow(s, len);
}

static inline bool gw_usable(const duban_line_t *L)
{
    return !(L->flags & (DUBAN_LINE_BLANK | DUBAN_LINE_ARTEFACT));
}

static inline size_t gw_next_usable(const duban_text_t *t, size_t i, size_t end)
{
    while (i < end && !gw_usable(&t->lines[i]))
        i++;
    return i;
}

/* ---- document numbers, dates and headers (gwdoc_header.c) */
size_t gw_match_any(const char *s, size_t len, const char *const *list);
bool gw_is_public_marker(const char *s, size_t len);
bool gw_is_anchor(const duban_text_t *t, size_t i, char *num, size_t cap, size_t *cut);
size_t gw_find_title_start(const duban_text_t *t, size_t a, size_t floor);
char *gw_join_lines(const duban_text_t *t, size_t from, size_t to);
bool gw_is_trailer(const duban_line_t *L);
duban_gwdoc_doc_t *gw_push_doc(duban_gwdoc_t *g);
void gw_body_hash(const parse_t *P, duban_gwdoc_doc_t *d);
void gw_read_header(parse_t *P, duban_gwdoc_doc_t *d, size_t a, size_t end);
bool gw_title_end_line(const duban_line_t *L);
int32_t gw_meta_date(const duban_text_t *t, size_t end);
bool gw_meta_docno(const duban_text_t *t, size_t from, size_t end, char *num, size_t cap);
size_t gw_read_unnumbered(parse_t *P, duban_gwdoc_doc_t *d, size_t end);
size_t gw_reported_title(const duban_text_t *t, size_t from, size_t end, char **title);
void gw_make_doc_id(const parse_t *P, duban_gwdoc_doc_t *d);

/* ---- responsibility clauses (gwdoc_clause.c) */
void gw_clause_free(clause_t *c);
bool gw_is_national(const char *u);
/* While a national organ's document is walked (on), no unit is national:
 * its ministries are its own addressees, not bodies above it. */
void gw_walk_national(bool on);
void gw_add_units(const char *s, size_t len, duban_strlist_t *out);
size_t gw_verb_suffix(const char *s, size_t len, const duban_word_t *verbs);
/* Units that lead with others (国土资源部会同农业部): before 会同 lead, after
 * it cooperate; no 会同, all lead (gwdoc_prose.c). */
void gw_add_lead_with_partners(const char *u, size_t n, clause_t *c);
bool gw_unit_like_end(const char *s, size_t len);
size_t gw_trim_list_end(const char *s, size_t a, size_t b);
/* Units of *list printed with their role in brackets (X（牵头）, Y（配合）):
 * moved, without the note, to lead or coop; the unmarked ones cooperate
 * once one is marked to lead. Nothing moves when none is marked. */
void gw_role_marks(duban_strlist_t *list, duban_strlist_t *lead, duban_strlist_t *coop);
/* The units gw_role_marks moved to *marked go before those of *lead, as one
 * list in *lead (*marked is taken over). False, and nothing done, when
 * none was marked. */
bool gw_marked_first(duban_strlist_t *lead, duban_strlist_t *marked);
bool gw_parse_inline(const char *s, size_t len, clause_t *c);
size_t gw_list_note_at(const char *t, size_t n);
bool gw_person_title_end(const char *s, size_t len);
/* A bare name of 2-3 Han characters opening with a common surname (王光玲). */
bool gw_person_name(const char *s, size_t len);
/* A deadline cell that is a bare month ("3月", "1月份", "十二月"): the month
 * 1..12, 0 if it is not one. */
int gw_month_cell(const char *cell, size_t n);
/* Lines of an item that are a responsibility clause on their own, without
 * brackets ("市发改委牵头落实" under the paragraph it assigns): added to the nc
 * clauses of cl (sorted by start) unless a clause found already covers them.
 * starts: each line's first byte in s. Returns the new count. */
size_t gw_line_clauses(const char *s, size_t len, const size_t *starts, size_t nstarts,
                       clause_t *cl, size_t nc, size_t max);
size_t gw_find_clauses(const char *s, size_t len, clause_t *cl, size_t max,
                           size_t *national);

/* ---- outline markers (gwdoc_marker.c) */
bool gw_marker_shi(const char *s, size_t len, marker_t *m);
bool gw_marker_at(const char *s, size_t len, marker_t *m);
bool gw_line_is_item(const char *s, size_t len);
int gw_attachment_label(const char *s, size_t len);
/* A line that is only a deadline label and its value: "整改完成时限：2017年
 * 6月30日。", "完成时限：长期坚持" (leading spaces allowed). */
bool gw_time_label_line(const char *s, size_t len);
/* A line that opens with a lead or responsible unit's label: "责任单位：…",
 * "牵头部门（单位）：…" (leading spaces allowed). */
bool gw_unit_label_line(const char *s, size_t len);
/* "请各责任单位…对上述问题…": a closing request to all units, no part of the
 * last item. */
bool gw_closing_request(const char *s, size_t len);
/* "2019年市政府要完成的…实事": a list title naming the year its items are
 * due in; *out their deadline (that year's end). */
bool gw_list_title_due(const char *s, size_t len, const duban_deadline_ctx_t *ctx,
                       duban_deadline_t *out);
/* A web page's metadata or furniture (索引号, 发布时间, 来源：, 打印 …). */
bool gw_meta_text(const char *s, size_t len);

/* ---- the walk over a document's body and the driver (gwdoc.c) */
void gw_path_prefix(const walk_t *w, char *out, size_t cap);
bool gw_emit_task(walk_t *w, const char *path, const task_in_t *in);
void gw_finalize_item(walk_t *w);
void gw_push_marker(walk_t *w, const marker_t *m);
void gw_handle_para(walk_t *w);

/* ---- who a sentence of running prose names (gwdoc_prose.c); each fills
 * *c with the units it reads and returns whether it found any */
bool gw_prose_clause(const char *s, size_t len, clause_t *c);
/* Whether c names a local lead (then marked as labelled); otherwise c is
 * emptied for the next try. */
bool gw_keep_local_lead(clause_t *c);
bool gw_by_unit_lead(const char *s, size_t len, clause_t *c);
bool gw_person_led_unit(const char *s, size_t len, clause_t *c);
bool gw_role_statement(const char *s, size_t len, clause_t *c);
/* The unit that is the subject of the sentence at s[a..end). */
bool gw_subject_lead_at(const char *s, size_t a, size_t end, clause_t *c);
/* The subject of one of the first sentences after s[a..end)'s first. */
bool gw_later_sentence_lead(const char *s, size_t a, size_t end, clause_t *c);
bool gw_subject_lead(const walk_t *w, const char *s, size_t len, clause_t *c);

/* ---- duties in paragraphs no outline marker opens (gwdoc_unmarked.c) */
void gw_unmarked_para(walk_t *w, const duban_para_t *p);
void gw_unmarked_finish(walk_t *w);

/* ---- a task's review codes (gwdoc_review.c) */
void gw_review_task(const walk_t *w, const task_in_t *in, duban_gwdoc_task_t *t);
/* A unit name that reads as a body (…局 …委 …办 …中心). */
bool gw_reads_as_body(const char *u);
/* The year printed at s[k] and followed by 年 or by - / . and a digit;
 * 0 when there is none. */
int gw_year_at(const char *s, size_t n, size_t k);

/* ---- tables (gwdoc_table.c) */
void gw_handle_row(walk_t *w, size_t li);
void gw_flush_para(walk_t *w);
void gw_dedupe_ids(duban_gwdoc_t *g, size_t first);
void gw_flat_emit(walk_t *w);
void gw_flat_line(walk_t *w, size_t li);
bool gw_flat_header(walk_t *w, const duban_line_t *L);
bool gw_cell_separator(const duban_line_t *L);
bool gw_cell_table_header(walk_t *w, size_t li, size_t end, size_t *after);
/* Whether a header of cells (one per line, or spaced) starts at line li. */
bool gw_text_cell_header(const duban_text_t *t, size_t li, size_t end);
/* A table header printed with its cells glued together; sets w->glued. */
bool gw_glued_header(walk_t *w, const char *s, size_t len);
/* A paragraph of a glued table as the item reader wants it: the row's
 * number and name before its first sub-item dropped, unit cells glued at
 * its end (or on a line of their own) turned into a clause. */
void gw_glued_para(walk_t *w, duban_para_t *p);
void gw_cell_line(walk_t *w, size_t li);
void gw_cell_table_finish(walk_t *w);
bool gw_cell_table_ends(const walk_t *w, size_t li);
bool gw_kv_records(walk_t *w, size_t li, size_t end, size_t *after);

#endif
