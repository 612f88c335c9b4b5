#!/usr/bin/env python3
"""Robustness of extraction to how the same document is printed (issue 11).

Other cities print the same clauses with other punctuation widths, character sets,
indentation and line endings.  This script rewrites every text of a gold set in
one of those ways, rewrites the gold file's strings the same way (so the answer
is unchanged), and scores duban-ingest on the rewritten copy with score.py.  A
rule that only works on the form it was written for loses points here.

Every rewrite keeps the line structure, so gold line numbers still hold, or
moves the gold line numbers with the lines (a wrapped line's item to the
piece its text starts in).  hard-wrap breaks running text every 38
characters anywhere; pdf-wrap every 28 (GB/T 9704's line) as a typeset page
does: no line opening with a comma or closing bracket, none ending with an
opening one, no number or Latin word split; pdf-wrap-spaced the same with a
blank line after every line, as gazette 001 prints it.  dates-dotted prints
every 2023年6月30日 as 2023.6.30; docno-round every 〔2023〕 as （2023）;
labels-bracketed every label "牵头单位：" as "【牵头单位】"; labels-synonyms each
牵头单位 / 责任单位 / 配合单位 (in clauses and table headers) as another city's word for
the role, in turn (主办单位, 落实单位, 联办单位, 责任处室 …); unit-time-brackets
"（责任单位：X；完成时限：D）" as "（X，D）" (one unit label and one time label);
role-marked "牵头单位：X；配合单位：Y" as "责任单位：X（牵头）、Y"; roles-inline the same
as "X牵头，Y配合" and "（责任单位：X；完成时限：D）" as "（D，X负责）"; enclosed-markers
outline markers as single enclosed characters (（一）→㈠, （1）→⑴, 1.→⒈); markers-dotted
a Chinese numeral's enumeration comma as a period (一、→一.); markers-spaced as a space on a
heading's line (一、总体要求 → 一 总体要求), as a PDF's text layer loses it; markers-lenticular
（一）/（1） at a line's start as 【一】/【1】.

With --widths, pdf-wrap at 18, 22, 34 and 40 characters too.
With --tables (or by name with --variant), table re-layouts too: the same
table's rows printed with TABs instead of pipes (pipes_to_tabs), pipes
instead of TABs (tabs_to_pipes), runs of spaces between the cells
(pipes_to_spaces), no pipe at the row's ends (pipes_no_outer), one cell per
line with the empty ones gone (pipes_to_cells); a TAB row's cells with
runs of spaces between them or one per line (tabs_to_spaces, tabs_to_cells); and
a person's and an assessment column after the unit column (pipes_extra_columns,
tabs_extra_columns: 责任人 张建国, 考核方式 市考核办按季度评分).
Only table rows change.

    perturb.py --bin-dir build/bin --gold-dir DIR [--text-dir DIR] [--variant V ...]
               [--tables] [--min-ratio R]

Prints one row per variant (documents, tasks, lead, due found/exact, in %) and
the ratio of each to the unchanged text.  With --min-ratio, exits 1 when a
variant's tasks-found or lead-exact figure falls below R times the original's.
stdlib only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))

FW_TO_ASCII = {"（": "(", "）": ")", "：": ":", "，": ",", "；": ";", "！": "!", "？": "?",
               "〔": "[", "〕": "]", "　": " "}
for _d in range(10):
    FW_TO_ASCII[chr(0xFF10 + _d)] = str(_d)
ASCII_TO_FW = {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；"}
for _d in range(10):
    ASCII_TO_FW[str(_d)] = chr(0xFF10 + _d)


def load_s2t():
    with open(os.path.join(SRC, "data", "chinese", "t2s.json"), encoding="utf-8") as f:
        pairs = json.load(f)["pairs"]
    s2t = {}
    for i in range(0, len(pairs) - 1, 2):
        trad, simp = pairs[i], pairs[i + 1]
        if trad != simp:
            s2t.setdefault(simp, trad)   # the first traditional form listed
    return s2t


def charmap(table):
    return lambda s: "".join(table.get(c, c) for c in s)


def spaced(s):
    # web copies: indentation dropped, a space after each clause's punctuation
    out = []
    for ln in s.split("\n"):
        ln = ln.lstrip(" \u3000\u00a0")  # a TAB is a table's empty cell: kept
        ln = re.sub(r"([：，；])", r"\1 ", ln)
        out.append(ln)
    return "\n".join(out)


CN_NUM = "一二三四五六七八九十"


def enclosed_markers(s):
    # outline markers set as single enclosed characters, as some word
    # processors print them: （一）→㈠ … （十）→㈩, （1）/(1)→⑴ … ⒇,
    # 1. / 1．at a line's start→⒈ … ⒛
    out = []
    for ln in s.split("\n"):
        m = re.match(r"^(\s*)[（(]([一二三四五六七八九十])[）)]", ln)
        if m:
            ln = m.group(1) + chr(0x3220 + CN_NUM.index(m.group(2))) + ln[m.end():]
        else:
            m = re.match(r"^(\s*)[（(]([1-9]|1[0-9]|20)[）)]", ln)
            if m:
                ln = m.group(1) + chr(0x2474 + int(m.group(2)) - 1) + ln[m.end():]
            else:
                m = re.match(r"^(\s*)([1-9]|1[0-9]|20)[.．](?![0-9])", ln)
                if m:
                    ln = m.group(1) + chr(0x2488 + int(m.group(2)) - 1) + ln[m.end():]
        out.append(ln)
    return "\n".join(out)


def markers_dotted(s):
    # a Chinese numeral's enumeration comma printed as a period at a line's
    # start: 一、 → 一.
    return re.sub(r"(?m)^(\s*[一二三四五六七八九十]{1,3})、", r"\1.", s)


def markers_spaced(s):
    # a Chinese numeral's enumeration comma lost in a PDF's text layer, a
    # space left for it, on a heading's line (一、总体要求 → "一 总体要求"):
    # only lines of a short title, with no comma or full stop
    return re.sub(r"(?m)^(\s*[一二三四五六七八九十]{1,3})、(?=[^，。；\n]{1,30}$)", r"\1 ", s)


def markers_lenticular(s):
    # an item's marker in lenticular brackets at a line's start, as some
    # web releases print them: （一）→【一】, （1）→【1】
    return re.sub(r"(?m)^(\s*)[（(]([一二三四五六七八九十]{1,3}|[0-9]{1,2})[）)]", r"\1【\2】", s)


def nbsp(s):
    # HTML copies: a BOM, non-breaking spaces for indentation and between words
    out = []
    for ln in s.split("\n"):
        stripped = ln.lstrip(" \u3000")
        if stripped != ln:
            ln = "\u00a0\u00a0\u00a0\u00a0" + stripped
        out.append(ln.replace("  ", "\u00a0 "))
    return "\ufeff" + "\n".join(out)


def crlf(s):
    return s.replace("\n", "\r\n")


def identity(s):
    return s


# Rewrites that move lines return (text, new_line_of) where new_line_of[k] is the
# 1-based line on which old line k now starts.
def blank_lines(s):
    # 001-style: a blank line after every line
    lines = s.split("\n")
    return "\n\n".join(lines), [0] + [2 * k - 1 for k in range(1, len(lines) + 1)]


def no_blank_lines(s):
    lines, out, where = s.split("\n"), [], [0]
    for ln in lines:
        where.append(len(out) + 1)
        if ln.strip():
            out.append(ln)
    return "\n".join(out), where


def fixed_breaks(ln, width):
    return [ln[i:i + width] for i in range(0, len(ln), width)]


def wrap_page(s, width, breaks):
    # PDF extraction: long lines of running text broken into pieces of about
    # `width` characters (breaks(line, width)). Table rows (TAB or pipe
    # cells) are left whole: a PDF wraps text inside a cell, it does not
    # print a row's cells on several lines. A gold item on a wrapped line
    # moves to the piece its text starts in (a one-line page's tasks are
    # spread over many lines once wrapped).
    out, starts, lines = [], [0], s.split("\n")
    for ln in lines:
        starts.append(len(out) + 1)
        if len(ln) <= width or "\t" in ln or "|" in ln:
            out.append(ln)
        else:
            out.extend(breaks(ln, width))

    def where(line, prefix):
        if not 0 < line < len(starts):
            return line
        ln = lines[line - 1]
        if len(ln) <= width or not prefix:
            return starts[line]
        at = ln.find(prefix[:8])
        if at < 0:  # the gold keeps NFKC forms; so does this search
            at = unicodedata.normalize("NFKC", ln).find(unicodedata.normalize("NFKC", prefix[:8]))
        n, pos = 0, 0
        for piece in breaks(ln, width):
            if pos + len(piece) > at:
                break
            pos += len(piece)
            n += 1
        return starts[line] + (n if at > 0 else 0)
    return "\n".join(out), where


def hard_wrap(s, width=38):
    # broken every `width` characters, wherever that falls
    return wrap_page(s, width, fixed_breaks)


# A typeset page's line breaking (GB/T 15834's 禁则, as a PDF prints it):
# no line opens with a comma, stop, closing bracket or the like (it stays on
# the line above), no line ends with an opening bracket or quote (it goes to
# the line below), and a run of digits or Latin letters is not split.
NO_LINE_START = set("，。、；：！？）》〕】」』”’…%,.;:!?)]")
NO_LINE_END = set("（《〔【「『“‘([")
WORD_RE = re.compile(r"[0-9A-Za-z.%\u00c0-\u024f]")


def typeset_breaks(ln, width):
    pieces, i = [], 0
    while len(ln) - i > width:
        j = i + width
        while j < len(ln) and ln[j] in NO_LINE_START:
            j += 1  # pulled up onto this line
        while j - 1 > i and ln[j - 1] in NO_LINE_END:
            j -= 1  # pushed down to the next line
        k = j
        while k - 1 > i and WORD_RE.match(ln[k - 1]) and k < len(ln) and WORD_RE.match(ln[k]):
            k -= 1
        if k > i + width // 2:
            j = k
        pieces.append(ln[i:j])
        i = j
    pieces.append(ln[i:])
    return pieces


def pdf_wrap(s, width=28):
    # a gazette's 28 characters a line (GB/T 9704's page), broken as a
    # typeset page breaks them
    return wrap_page(s, width, typeset_breaks)


DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def dates_dotted(s):
    # dates printed in digits, as many cities' tables print them: 2023.6.30
    return DATE_RE.sub(lambda m: "%s.%d.%d" % (m.group(1), int(m.group(2)), int(m.group(3))), s)


def docno_round(s):
    # a document number's year in round brackets, 国办发（2023）5号, as web
    # copies print 〔〕; the parser writes the number with 〔〕 again, so the
    # gold's number stays as it is
    return re.sub(r"〔(\d{4})〕", r"（\1）", s)


LABEL_RE = re.compile(r"(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|主办单位|"
                      r"完成时限|完成时间|时间节点|整改时限|责任领导|责任人)[：:]")


def labels_bracketed(s):
    # a label printed in lenticular brackets instead of before a colon, as
    # some counties' task lists print them: 【牵头单位】县卫健局【配合单位】…
    return LABEL_RE.sub(r"【\1】", s)


SYNONYMS = {
    "牵头单位": ["主办单位", "牵头部门", "主责单位", "牵头处室", "牵头单位"],
    "责任单位": ["责任部门", "落实单位", "承办单位", "责任处室", "实施单位"],
    "配合单位": ["协办单位", "参加单位", "协同单位", "配合部门", "联办单位"],
}
SYNONYM_RE = re.compile(r"(牵头单位|责任单位|配合单位)(?=[：:】\s|\t]|$)", re.M)


def labels_synonyms(s):
    # the same roles under another city's label words (主办单位, 落实单位,
    # 联办单位, 责任处室 …), in clauses and table headers alike; the n-th
    # label of a page takes the n-th synonym in turn
    count = {}

    def one(m):
        k = m.group(1)
        count[k] = count.get(k, 0) + 1
        return SYNONYMS[k][count[k] % len(SYNONYMS[k])]
    return SYNONYM_RE.sub(one, s)


UNIT_TIME_RE = re.compile(r"([（(])(?:牵头单位|责任单位|责任部门|牵头部门)[：:]([^（）()：:；;，,]+)[；;，,]"
                          r"(?:完成时限|完成时间|时限|时间)[：:]([^（）()]+)([）)])")


def unit_time_brackets(s):
    # a bracket holding one unit label and one time label printed without the
    # labels, as work-report breakdowns print them: （县发改局，2023年6月底前）
    return UNIT_TIME_RE.sub(lambda m: "%s%s，%s%s" % (m.group(1), m.group(2), m.group(3), m.group(4)), s)


ROLE_RE = re.compile(r"牵头单位[：:]([^；;，,。（）()：:\n]+)[；;，,]\s*配合单位[：:]([^；;。（）()：:\n]+)")


def role_marked(s):
    # the roles printed after the units in one list instead of as two labels,
    # as many task lists do: 责任单位：X（牵头）、Y
    def one(m):
        leads = "、".join(u + "（牵头）" for u in m.group(1).split("、"))
        return "责任单位：%s、%s" % (leads, m.group(2))
    return ROLE_RE.sub(one, s)


INLINE_RE = re.compile(r"(?:牵头单位|牵头部门)[：:]([^；;，,。（）()：:\n]+)[；;，,]\s*(?:配合单位|配合部门)[：:]([^；;。（）()：:\n]+)")
UNIT_DL_RE = re.compile(r"([（(])(?:责任单位|责任部门)[：:]([^（）()：:；;，,\n]+)[；;，,]\s*(?:完成时限|完成时间)[：:]([^（）()\n]+)([）)])")


def roles_inline(s):
    # the labels left out, the roles printed as verbs after the units, as
    # work-report breakdowns print them: 牵头单位：X；配合单位：Y → X牵头，Y配合;
    # （责任单位：X；完成时限：D） → （D，X负责）, the deadline first
    s = INLINE_RE.sub(lambda m: "%s牵头，%s配合" % (m.group(1), m.group(2)), s)
    return UNIT_DL_RE.sub(lambda m: "%s%s，%s负责%s" % (m.group(1), m.group(3), m.group(2), m.group(4)), s)


def width_variants():
    # opt-in (--widths, or by name): pdf-wrap at other columns' widths, from
    # a two-column gazette's 18 characters to a wide web PDF's 40
    def at(width):
        return lambda s: wrap_page(s, width, typeset_breaks)
    return {"pdf-wrap-%d" % w: (at(w), identity) for w in (18, 22, 34, 40)}


def pdf_wrap_spaced(s):
    # pdf-wrap with a blank line after every line (gazette 001's form): the
    # blank lines separate no paragraphs
    text, where1 = pdf_wrap(s)
    text, where2 = blank_lines(text)

    def where(line, prefix):
        line = where1(line, prefix)
        return where2[line] if 0 < line < len(where2) else line
    return text, where


# Table re-layouts: the same table printed another way. Only table rows are
# rewritten: a line with 2+ pipes and a Han character (what duban's text pass
# reads as a pipe row), or a line holding a TAB.
HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def pipe_cells(ln):
    """The cells of a pipe row ("1 | 任务 | 牵头单位 |", outer pipes optional),
    or None when the line is not one."""
    if ln.count("|") < 2 or not HAN_RE.search(ln):
        return None
    s = ln.strip(" ")
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip(" ") for c in s.split("|")]


def tab_cells(ln):
    if "\t" not in ln:
        return None
    return [c.strip(" ") for c in ln.split("\t")]


def relayout(cells_of, join):
    def f(s):
        out = []
        for ln in s.split("\n"):
            cr = ln.endswith("\r")
            body = ln[:-1] if cr else ln
            cells = cells_of(body)
            if cells is not None:
                body = join(cells)
            out.append(body + ("\r" if cr else ""))
        return "\n".join(out)
    return f


def to_cells(cells_of):
    # a flattened table (PDF extraction): one cell per line, empty cells gone;
    # a row's old line number is the line of its first cell
    def f(s):
        out, where = [], [0]
        for ln in s.split("\n"):
            where.append(len(out) + 1)
            cells = cells_of(ln)
            if cells is None:
                out.append(ln)
                continue
            cells = [c for c in cells if c]
            out.extend(cells or [""])
        return "\n".join(out), where
    return f


UNIT_HEADERS = ("牵头单位", "责任单位", "牵头部门", "责任部门", "主办单位", "责任科室")


def extra_columns(cells_of, join):
    # a table with more columns than task / unit / deadline: after the unit
    # column, the responsible person (责任人, a name) and an assessment
    # column (考核方式), as many counties' tables print them; the persons and
    # the assessment text are no units
    def f(s):
        out, col, width = [], None, 0
        for ln in s.split("\n"):
            cells = cells_of(ln)
            if cells is None:
                col = None
                out.append(ln)
                continue
            hit = [k for k, c in enumerate(cells) if c.replace(" ", "") in UNIT_HEADERS]
            if hit:
                col, width = hit[0], len(cells)
                cells = cells[:col + 1] + ["责任人", "考核方式"] + cells[col + 1:]
            elif col is not None and len(cells) == width:
                # a row whose unit cell is merged from above has merged ones too
                extra = ["张建国", "市考核办按季度评分"] if cells[col] else ["", ""]
                cells = cells[:col + 1] + extra + cells[col + 1:]
            out.append(join(cells))
        return "\n".join(out)
    return f


def table_variants():
    return {
        "pipes_to_tabs": (relayout(pipe_cells, "\t".join), None),
        "tabs_to_pipes": (relayout(tab_cells, lambda c: "| " + " | ".join(c) + " |"), None),
        "pipes_to_spaces": (relayout(pipe_cells,
                                     lambda c: "    ".join(x for x in c if x)), None),
        "pipes_no_outer": (relayout(pipe_cells, " | ".join), None),
        "pipes_to_cells": (to_cells(pipe_cells), None),
        # the gazettes' tables are TAB rows: the same re-layouts of those
        "tabs_to_spaces": (relayout(tab_cells, lambda c: "    ".join(x for x in c if x)), None),
        "tabs_to_cells": (to_cells(tab_cells), None),
        "pipes_extra_columns": (extra_columns(pipe_cells, lambda c: "| " + " | ".join(c) + " |"), None),
        "tabs_extra_columns": (extra_columns(tab_cells, "\t".join), None),
    }


# variant -> (text rewrite, gold-string rewrite)
def variants():
    s2t = charmap(load_s2t())
    v = {
        "original": (identity, identity),
        "ascii": (charmap(FW_TO_ASCII), identity),        # score.py compares NFKC forms
        "fullwidth": (charmap(ASCII_TO_FW), identity),
        "traditional": (s2t, s2t),
        "spaced": (spaced, identity),
        "nbsp": (nbsp, identity),
        "crlf": (crlf, identity),
        "blank-lines": (blank_lines, identity),
        "no-blank-lines": (no_blank_lines, identity),
        "hard-wrap": (hard_wrap, identity),
        "pdf-wrap": (pdf_wrap, identity),
        "pdf-wrap-spaced": (pdf_wrap_spaced, identity),
        "dates-dotted": (dates_dotted, dates_dotted),
        "docno-round": (docno_round, identity),
        "labels-bracketed": (labels_bracketed, identity),
        "labels-synonyms": (labels_synonyms, identity),
        "unit-time-brackets": (unit_time_brackets, identity),
        "role-marked": (role_marked, identity),
        "roles-inline": (roles_inline, identity),
        "enclosed-markers": (enclosed_markers, identity),
        "markers-dotted": (markers_dotted, identity),
        "markers-spaced": (markers_spaced, identity),
        "markers-lenticular": (markers_lenticular, identity),
    }
    # opt-in (--tables, or by name): table rows printed another way
    v.update({k: (t, identity) for k, (t, _) in table_variants().items()})
    v.update(width_variants())  # opt-in (--widths, or by name)
    return v


GOLD_STR_KEYS = ("title", "text_prefix", "doc_number")
GOLD_LIST_KEYS = ("lead_units", "cooperating_units", "issuers")


def rewrite_gold(g, f, where=None):
    for section in ("documents", "tasks", "not_tasks"):
        for item in g.get(section, []):
            if callable(where) and isinstance(item.get("line"), int):
                item["line"] = where(item["line"], item.get("text_prefix") or item.get("title") or "")
            elif where and isinstance(item.get("line"), int) and 0 < item["line"] < len(where):
                item["line"] = where[item["line"]]
            for k in GOLD_STR_KEYS:
                if isinstance(item.get(k), str):
                    item[k] = f(item[k])
            for k in GOLD_LIST_KEYS:
                if isinstance(item.get(k), list):
                    item[k] = [f(u) if isinstance(u, str) else u for u in item[k]]
    return g


SCORE_RE = re.compile(r"^\s+(documents found|tasks found|lead units exact|due date exact)"
                      r"\s+([0-9.]+)%\s+\((\d+)/")


def score(bin_dir, gold_dir, text_dir, goals):
    p = subprocess.run([sys.executable, os.path.join(HERE, "score.py"), "--bin-dir", bin_dir,
                        "--gold-dir", gold_dir, "--text-dir", text_dir, "--goals", goals,
                        "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    got = {}
    for ln in out.splitlines():
        m = SCORE_RE.match(ln)
        if m:
            got[m.group(1)] = float(m.group(2))
            got["n " + m.group(1)] = int(m.group(3))
    if len(got) != 8:
        raise RuntimeError("score.py printed no scores:\n" + out[-2000:])
    return got


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--gold-dir", required=True)
    ap.add_argument("--text-dir", help="the texts (default: the gold dir)")
    ap.add_argument("--goals", choices=["gazettes", "corpus"], default="corpus")
    ap.add_argument("--variant", action="append", help="only these (default: all but the "
                    "table re-layouts)")
    ap.add_argument("--tables", action="store_true", help="the table re-layouts too: "
                    + ", ".join(table_variants()))
    ap.add_argument("--widths", action="store_true", help="pdf-wrap at other widths too: "
                    + ", ".join(width_variants()))
    ap.add_argument("--label", default="")
    ap.add_argument("--keep", metavar="DIR", help="write each variant's texts and gold "
                    "into DIR/VARIANT (to score.py it without --quiet)")
    ap.add_argument("--min-ratio", type=float, help="fail when tasks found or lead exact "
                    "of a variant is below this ratio of the original's")
    a = ap.parse_args(argv)
    text_dir = a.text_dir or a.gold_dir
    all_v = variants()
    tables, widths = table_variants(), width_variants()
    names = a.variant or [v for v in all_v if (a.tables or v not in tables) and
                          (a.widths or v not in widths)]
    if a.variant and a.tables:
        names += [v for v in tables if v not in names]
    if a.variant and a.widths:
        names += [v for v in widths if v not in names]
    if "original" not in names:
        names.insert(0, "original")
    for v in names:
        if v not in all_v:
            print("error: unknown variant %r (have: %s)" % (v, ", ".join(all_v)))
            return 2
    golds = []
    for name in sorted(os.listdir(a.gold_dir)):
        if name.endswith(".json"):
            with open(os.path.join(a.gold_dir, name), encoding="utf-8") as f:
                golds.append((name, json.load(f)))
    cols = ["documents found", "tasks found", "lead units exact", "due date exact"]
    print("%-15s %9s %9s %9s %9s   (ratio to original: tasks, lead)%s"
          % ("variant", "docs", "tasks", "lead", "due", "  " + a.label if a.label else ""))
    # and the counts: tasks found, lead exact, due exact
    base, bad = None, []
    for v in names:
        text_f, gold_f = all_v[v]
        with tempfile.TemporaryDirectory(prefix="duban-perturb-") as tmp:
            for name, g in golds:
                src = os.path.join(text_dir, g["file"])
                with open(src, encoding="utf-8", errors="surrogateescape", newline="") as f:
                    text = text_f(f.read())
                where = None
                if isinstance(text, tuple):
                    text, where = text
                g2 = rewrite_gold(json.loads(json.dumps(g)), gold_f, where)
                with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                    json.dump(g2, f, ensure_ascii=False)
                with open(os.path.join(tmp, g["file"]), "w", encoding="utf-8",
                          errors="surrogateescape", newline="") as f:
                    f.write(text)
            got = score(a.bin_dir, tmp, tmp, a.goals)
            if a.keep:
                keep = os.path.join(a.keep, v)
                os.makedirs(keep, exist_ok=True)
                for name in os.listdir(tmp):
                    shutil.copyfile(os.path.join(tmp, name), os.path.join(keep, name))
        if base is None:
            base = got
        rt = got["tasks found"] / base["tasks found"] if base["tasks found"] else 0.0
        rl = got["lead units exact"] / base["lead units exact"] if base["lead units exact"] else 0.0
        print("%-15s %8.1f%% %8.1f%% %8.1f%% %8.1f%%   %.3f %.3f   (%d %d %d)"
              % ((v,) + tuple(got[c] for c in cols) + (rt, rl) +
                 tuple(got["n " + c] for c in cols[1:])))
        if a.min_ratio is not None and (rt < a.min_ratio or rl < a.min_ratio):
            bad.append(v)
    if bad:
        print("FAIL: below %.2f of the original: %s" % (a.min_ratio, ", ".join(bad)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
