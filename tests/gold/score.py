#!/usr/bin/env python3
"""Score duban-ingest's --dry-run output against the hand-built gold set.

Gold set: tests/fixtures/gold/NNN.json, one per gazette, built by reading the
gazettes (never from parser output).  Each holds
    {"file": basename, "documents": [...], "tasks": [...], "not_tasks": [...]}

Parser output: JSON Lines, objects with "type" "DocumentPublished" or
"TaskAssigned" and the schema's field names (see DESIGN.md / issue 3).

Usage:
    score.py [--gold-dir DIR] [--shared-dir DIR] (--bin-dir DIR | --jsonl FILE)
             [--line-tolerance N] [--max-details N] [--quiet]

Exit status: 0 when every threshold is met, 1 when one is not (or the parser
failed), 2 on usage / input errors.  The last line printed is
"N passed, N failed" over the thresholds checked.

stdlib only.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import unicodedata

THRESHOLDS = {
    # (key, label, percentage, ">=" minimum or "<" maximum)
    "gazettes": [
        ("doc_found", "documents found", 100.0, ">="),
        ("task_found", "tasks found", 95.0, ">="),
        ("lead_exact", "lead units exact", 90.0, ">="),
        ("due_exact", "due date exact", 92.0, ">="),
    ],
    # issue 11, on documents the rules were never tuned on
    "corpus": [
        ("doc_found", "documents found", 98.0, ">="),
        ("task_found", "tasks found", 95.0, ">="),
        ("lead_exact", "lead units exact", 90.0, ">="),
        ("due_exact", "due date exact", 92.0, ">="),
        ("flag_recall", "wrong tasks flagged", 80.0, ">="),
        ("flag_fp", "right tasks flagged", 10.0, "<"),
    ],
}

# A right task flagged NO_LEAD alone where the gold has no lead either is a
# flag the issue asks for ("a task whose lead unit could not be found"): the
# document names no lead, so the office must assign one. It is not counted
# as a false alarm in the gated figure; the raw figure is printed beside it.
FLAG_FP_NOTE = "not counting NO_LEAD alone where the gold has no lead either"

_MARKUP = re.compile(r"<[^>]{0,80}>|\*\*|^#+|\$|\\[a-zA-Z]+")
_WS = re.compile(r"\s+")


# A pinyin reading a mirror site prints after a character, 發(fā)展: a syllable
# of lowercase letters with a tone-marked vowel in brackets. Gold files keep
# it as printed; duban-ingest drops it (common/ingest/text.c, pinyin_len).
_PINYIN = re.compile("(?<=[\u4e00-\u9fff])[(（](?=[a-z\u00e0-\u00fc\u0100-\u016b\u01ce-\u01dc]{0,5}"
                     "[\u00e0-\u00fc\u0100-\u016b\u01ce-\u01dc])"
                     "[a-z\u00e0-\u00fc\u0100-\u016b\u01ce-\u01dc]{1,6}[)）]")


def norm(s):
    """Normalise text for comparison: NFKC (full/half width unified), markup
    (** # <tags> $ \\cmd), a mirror site's pinyin readings (發(fā)) and all
    whitespace removed, dash variants unified."""
    if s is None:
        return ""
    s = _PINYIN.sub("", str(s))
    s = unicodedata.normalize("NFKC", s)
    s = _MARKUP.sub("", s)
    s = s.replace("*", "")
    s = _WS.sub("", s)
    for d in "—–－―‐-~～":
        s = s.replace(d, "-")
    return s


def norm_docnum(s):
    s = norm(s)
    # brackets: the DESIGN form is 〔〕; accept [] ［］ 【】 as the same
    s = s.replace("[", "〔").replace("]", "〕").replace("【", "〔").replace("】", "〕")
    return s


def norm_units(units):
    return sorted({norm(u) for u in (units or []) if norm(u)})


def load_gold(gold_dir):
    gold = []
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(gold_dir, name), encoding="utf-8") as f:
            g = json.load(f)
        for key in ("file", "documents", "tasks"):
            if key not in g:
                raise ValueError("%s: missing key %r" % (name, key))
        g.setdefault("not_tasks", [])
        g["_name"] = name
        gold.append(g)
    if not gold:
        raise ValueError("no gold files in %s" % gold_dir)
    return gold


def run_ingest(bin_dir, files):
    exe = os.path.join(bin_dir, "duban-ingest")
    if not os.access(exe, os.X_OK):
        return None, "duban-ingest not found or not executable: %s" % exe
    try:
        p = subprocess.run([exe, "--dry-run"] + files, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "duban-ingest timed out after 300 s"
    err = p.stderr.decode("utf-8", "replace")
    if err.strip():
        sys.stdout.write("--- duban-ingest stderr (last 20 lines) ---\n")
        sys.stdout.write("\n".join(err.strip().splitlines()[-20:]) + "\n")
    problem = None
    if p.returncode != 0:
        problem = "duban-ingest exited with status %d" % p.returncode
    return p.stdout.decode("utf-8", "replace"), problem


def parse_jsonl(text):
    docs, tasks, bad = [], [], 0
    for raw in text.splitlines():
        raw = raw.strip()
        if not raw:
            continue
        try:
            o = json.loads(raw)
        except ValueError:
            bad += 1
            continue
        if not isinstance(o, dict):
            bad += 1
            continue
        t = o.get("type")
        src = o.get("source") or {}
        if not isinstance(src, dict):
            src = {}
        o["_file"] = os.path.basename(str(src.get("file") or ""))
        try:
            o["_line"] = int(src.get("line"))
        except (TypeError, ValueError):
            o["_line"] = None
        if t == "DocumentPublished":
            docs.append(o)
        elif t == "TaskAssigned":
            o["_ntext"] = norm(o.get("text"))
            tasks.append(o)
    return docs, tasks, bad


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def nonblank_index(path):
    """nb[k] = number of non-blank lines among lines 1..k of the gazette, so that
    distances can be measured in text lines (001 has a blank line between every
    line, 000/002 mostly too).  None when the file cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    nb = [0]
    for ln in lines:
        nb.append(nb[-1] + (1 if ln.strip() else 0))
    return nb


def make_dist(nb):
    def dist(a, b):
        if nb is None:
            return abs(a - b)
        n = len(nb) - 1
        return abs(nb[max(0, min(a, n))] - nb[max(0, min(b, n))])
    return dist


def match_tasks(gold_tasks, parsed, tol, dist=lambda a, b: abs(a - b)):
    """One-to-one matching (maximum bipartite matching, Kuhn's algorithm).
    A gold task may match a parsed task whose normalised text contains the
    gold text_prefix and whose source line is within tol lines.  Candidates
    are tried best first (starts-with, then smaller line distance)."""
    cands = []
    for g in gold_tasks:
        pref = norm(g["text_prefix"])
        lst = []
        for j, p in enumerate(parsed):
            if p["_line"] is None or dist(p["_line"], g["line"]) > tol:
                continue
            pos = p["_ntext"].find(pref) if pref else -1
            if pos < 0:
                continue
            lst.append((0 if pos <= 6 else 1, dist(p["_line"], g["line"]), j))
        lst.sort()
        cands.append([j for _, _, j in lst])
    owner = {}  # parsed index -> gold index

    def try_assign(i, seen):
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or try_assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    sys.setrecursionlimit(max(10000, 4 * len(gold_tasks) + 100))
    # first pass: gold tasks with the fewest candidates first keeps it stable
    for i in sorted(range(len(gold_tasks)), key=lambda k: len(cands[k])):
        try_assign(i, set())
    result = [None] * len(gold_tasks)
    for j, i in owner.items():
        result[i] = j
    return result


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    src_dir = os.environ.get("DUBAN_SRC_DIR") or os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold-dir", default=os.path.join(src_dir, "tests", "fixtures", "gold"))
    ap.add_argument("--shared-dir", default=os.environ.get("DUBAN_SHARED_DIR", "/work/shared"))
    ap.add_argument("--bin-dir", default=os.environ.get("DUBAN_BIN_DIR"))
    ap.add_argument("--jsonl", help="score this JSON Lines file instead of running duban-ingest")
    ap.add_argument("--text-dir", help="folder holding the gold files' texts (default: "
                    "SHARED_DIR/gazettes); tests/corpus/dev and tests/corpus/test hold theirs "
                    "beside the gold files")
    ap.add_argument("--goals", choices=["gazettes", "corpus"], default="gazettes",
                    help="thresholds: the shared gazettes' (default) or the unseen corpus' "
                         "(issue 11: documents 98, tasks 95, lead 90, due 92, and review flags "
                         "on >= 80%% of wrong tasks and < 10%% of correct ones)")
    ap.add_argument("--label", default="", help="a name printed with the scores")
    ap.add_argument("--line-tolerance", type=int, default=5,
                    help="max distance between gold and parsed start line, counted in non-blank "
                         "lines of the gazette (raw lines if it cannot be read); default 5")
    ap.add_argument("--max-details", type=int, default=25, help="misses listed per category")
    ap.add_argument("--quiet", action="store_true", help="no per-miss details")
    ap.add_argument("--dump-matches", metavar="FILE",
                    help="write one JSON line per found gold task (file, gold, parsed, right) "
                         "for analysing the review flags")
    a = ap.parse_args(argv)

    text_dir = a.text_dir or os.path.join(a.shared_dir, "gazettes")
    try:
        gold = load_gold(a.gold_dir)
    except (OSError, ValueError) as e:
        print("error: gold set: %s" % e)
        return 2

    problem = None
    dump = open(a.dump_matches, "w", encoding="utf-8") if a.dump_matches else None
    if a.jsonl:
        try:
            with open(a.jsonl, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            print("error: %s" % e)
            return 2
    else:
        if not a.bin_dir:
            print("error: need --bin-dir (or DUBAN_BIN_DIR) or --jsonl")
            return 2
        files = [os.path.join(text_dir, g["file"]) for g in gold]
        missing = [f for f in files if not os.path.exists(f)]
        if missing:
            print("error: gazette(s) not found: %s" % ", ".join(missing))
            return 2
        text, problem = run_ingest(a.bin_dir, files)
        if text is None:
            print("FAIL: %s" % problem)
            print("0 passed, %d failed" % len(THRESHOLDS[a.goals]))
            return 1

    docs, tasks, bad = parse_jsonl(text)
    print("parser output: %d DocumentPublished, %d TaskAssigned, %d unparsable lines"
          % (len(docs), len(tasks), bad))

    tol = a.line_tolerance
    details = {"doc_missing": [], "doc_field": [], "task_missing": [], "lead": [],
               "due": [], "not_task": [], "unflagged": [], "flagged_right": [], "spurious": []}
    n = {"gdoc": 0, "doc_found": 0, "doc_by_tasks": 0, "doc_fields_all": 0, "title": 0, "issuers": 0,
         "date": 0, "gtask": 0, "task_found": 0, "lead": 0, "coop": 0, "due": 0,
         "kind": 0, "gnot": 0, "not_viol": 0, "wrong": 0, "wrong_flagged": 0, "right": 0,
         "right_flagged": 0, "right_no_lead": 0, "exh_parsed": 0, "spurious": 0}
    per_file = []
    per_case = {}

    for g in gold:
        fname = g["file"]
        dist = make_dist(nonblank_index(os.path.join(text_dir, fname)))
        fdocs = [d for d in docs if d["_file"] == fname]
        ftasks = [t for t in tasks if t["_file"] == fname]
        # ---- documents: match by normalised number (or title when unnumbered)
        used = set()
        fd = {"docs": len(g["documents"]), "docs_found": 0, "tasks": len(g["tasks"]),
              "tasks_found": 0}
        m = match_tasks(g["tasks"], ftasks, tol, dist)
        for gd in g["documents"]:
            n["gdoc"] += 1
            hit = None
            for j, d in enumerate(fdocs):
                if j in used:
                    continue
                if gd.get("doc_number"):
                    ok = norm_docnum(d.get("doc_number")) == norm_docnum(gd["doc_number"])
                else:
                    ok = norm(d.get("title")) == norm(gd["title"])
                if ok:
                    hit = j
                    break
            if hit is None and not gd.get("doc_number"):
                # an unnumbered document is also found when its tasks were found
                # under one parsed document (its title is then scored as a field)
                ids = set(ftasks[j].get("doc_id") for gt, j in zip(g["tasks"], m)
                          if j is not None and not gt.get("doc_number"))
                for j, d in enumerate(fdocs):
                    if j not in used and d.get("doc_id") in ids:
                        hit = j
                        n["doc_by_tasks"] += 1
                        break
            if hit is None:
                details["doc_missing"].append("%s L%d %s %s" % (
                    fname[:3], gd["line"], gd.get("doc_number") or "-", (gd.get("title") or "")[:40]))
                continue
            used.add(hit)
            d = fdocs[hit]
            n["doc_found"] += 1
            fd["docs_found"] += 1
            f_ok = []
            t_ok = norm(d.get("title")) == norm(gd["title"])
            i_ok = norm_units(d.get("issuers")) == norm_units(gd["issuers"])
            dt_ok = (d.get("issue_date") or None) == gd["issue_date"]
            n["title"] += t_ok
            n["issuers"] += i_ok
            n["date"] += dt_ok
            if t_ok and i_ok and dt_ok:
                n["doc_fields_all"] += 1
            else:
                for ok, k, gv, pv in ((t_ok, "title", gd["title"], d.get("title")),
                                      (i_ok, "issuers", gd["issuers"], d.get("issuers")),
                                      (dt_ok, "issue_date", gd["issue_date"], d.get("issue_date"))):
                    if not ok:
                        f_ok.append("%s: gold %s / parsed %s" % (
                            k, json.dumps(gv, ensure_ascii=False), json.dumps(pv, ensure_ascii=False)))
                details["doc_field"].append("%s %s: %s" % (fname[:3], gd["doc_number"], "; ".join(f_ok)))
        # ---- tasks
        for gt, j in zip(g["tasks"], m):
            n["gtask"] += 1
            case = gt.get("case", "?")
            pc = per_case.setdefault(case, [0, 0, 0, 0])
            pc[0] += 1
            label = "%s L%d %s %s「%s」" % (fname[:3], gt["line"], gt.get("doc_number", ""),
                                          gt.get("outline_path", ""), gt["text_prefix"])
            if j is None:
                near = [t for t in ftasks if t["_line"] is not None
                        and dist(t["_line"], gt["line"]) <= tol]
                hint = ""
                if near:
                    t0 = min(near, key=lambda t: dist(t["_line"], gt["line"]))
                    hint = " (nearest parsed L%s: %s)" % (t0["_line"], t0["_ntext"][:24])
                else:
                    hint = " (no parsed task within %d lines)" % tol
                details["task_missing"].append(label + hint)
                continue
            p = ftasks[j]
            n["task_found"] += 1
            fd["tasks_found"] += 1
            pc[1] += 1
            lead_ok = norm_units(p.get("lead_units")) == norm_units(gt["lead_units"])
            coop_ok = norm_units(p.get("cooperating_units")) == norm_units(gt.get("cooperating_units"))
            due_ok = (p.get("due_date") or None) == gt["due_date"]
            kind_ok = (p.get("deadline_kind") or "NONE") == gt["deadline_kind"]
            n["lead"] += lead_ok
            n["coop"] += coop_ok
            n["due"] += due_ok
            n["kind"] += kind_ok
            pc[2] += lead_ok
            pc[3] += due_ok
            if not lead_ok:
                details["lead"].append("%s: gold %s / parsed %s" % (
                    label, json.dumps(gt["lead_units"], ensure_ascii=False),
                    json.dumps(p.get("lead_units"), ensure_ascii=False)))
            if not due_ok:
                details["due"].append("%s: gold %s / parsed %s (%s)" % (
                    label, gt["due_date"], p.get("due_date"), p.get("deadline_text")))
            # review flags: do they mark the wrong extractions, and few of the right ones?
            review = p.get("review") or []
            if dump is not None:
                dump.write(json.dumps({"file": fname, "gold": gt, "parsed": p,
                                       "lead_ok": lead_ok, "due_ok": due_ok},
                                      ensure_ascii=False, default=str) + "\n")
            if lead_ok and due_ok:
                n["right"] += 1
                n["right_flagged"] += bool(review)
                if review:
                    details["flagged_right"].append("%s %s" % (label, ",".join(review)))
                n["right_no_lead"] += review == ["NO_LEAD"] and not gt["lead_units"]
            else:
                n["wrong"] += 1
                n["wrong_flagged"] += bool(review)
                if not review:
                    details["unflagged"].append(label + (" lead" if not lead_ok else "") +
                                                (" due" if not due_ok else ""))
        if g.get("exhaustive"):
            matched = {j for j in m if j is not None}
            n["exh_parsed"] += len(ftasks)
            for j, t in enumerate(ftasks):
                if j not in matched:
                    n["spurious"] += 1
                    details["spurious"].append("%s L%s %s「%s」" % (
                        fname[:3], t["_line"], t.get("outline_path"), t["_ntext"][:24]))
        # ---- not-tasks: no parsed task may carry these items
        for nt in g["not_tasks"]:
            n["gnot"] += 1
            pref = norm(nt["text_prefix"])
            matched = set(j for j in m if j is not None)
            for k, t in enumerate(ftasks):
                # the parsed task is the non-task: it starts with it, or it
                # holds it and is no gold task (a gold task whose text runs on
                # into a label line or a signature is found, not a violation)
                pos = t["_ntext"].find(pref) if pref else -1
                if t["_line"] is not None and dist(t["_line"], nt["line"]) <= tol \
                        and pos >= 0 and (pos <= 6 or k not in matched):
                    n["not_viol"] += 1
                    details["not_task"].append("%s L%d「%s」parsed as task %s (%s)" % (
                        fname[:3], nt["line"], nt["text_prefix"], t.get("task_id"),
                        nt.get("reason", "")))
                    break
        per_file.append((fname, fd))

    score = {
        "doc_found": pct(n["doc_found"], n["gdoc"]),
        "task_found": pct(n["task_found"], n["gtask"]),
        "lead_exact": pct(n["lead"], n["task_found"]),
        "due_exact": pct(n["due"], n["task_found"]),
        "flag_recall": pct(n["wrong_flagged"], n["wrong"]) if n["wrong"] else 100.0,
        "flag_fp": pct(n["right_flagged"] - n["right_no_lead"], n["right"]),
        "flag_fp_raw": pct(n["right_flagged"], n["right"]),
    }

    print("")
    print("per file:")
    for fname, fd in per_file:
        print("  %s  documents %d/%d  tasks %d/%d" % (fname, fd["docs_found"], fd["docs"],
                                                     fd["tasks_found"], fd["tasks"]))
    print("per hard case (gold / found / lead exact / due exact):")
    for case in sorted(per_case):
        c = per_case[case]
        print("  %-28s %3d %3d %3d %3d" % (case, c[0], c[1], c[2], c[3]))
    if not a.quiet:
        titles = (("doc_missing", "documents not found"), ("doc_field", "document field mismatches"),
                  ("task_missing", "gold tasks not found"), ("lead", "lead units differ"),
                  ("due", "due date differs"), ("not_task", "not-task violations"),
                  ("unflagged", "wrong tasks without a review flag"),
                  ("flagged_right", "right tasks with a review flag"),
                  ("spurious", "parsed tasks not in an exhaustive gold file"))
        for key, title in titles:
            lst = details[key]
            if not lst:
                continue
            print("")
            print("%s (%d):" % (title, len(lst)))
            for s in lst[:a.max_details]:
                print("  " + s)
            if len(lst) > a.max_details:
                print("  ... %d more" % (len(lst) - a.max_details))

    print("")
    print("SCORES")
    print("  documents found        %6.1f%%  (%d/%d%s)" % (
        score["doc_found"], n["doc_found"], n["gdoc"],
        "; %d unnumbered ones by their tasks, title not exact" % n["doc_by_tasks"]
        if n["doc_by_tasks"] else ""))
    print("  document fields exact  %6.1f%%  (%d/%d; title %d, issuers %d, issue_date %d)" % (
        pct(n["doc_fields_all"], n["doc_found"]), n["doc_fields_all"], n["doc_found"],
        n["title"], n["issuers"], n["date"]))
    print("  tasks found            %6.1f%%  (%d/%d)" % (score["task_found"], n["task_found"], n["gtask"]))
    print("  lead units exact       %6.1f%%  (%d/%d found)" % (score["lead_exact"], n["lead"], n["task_found"]))
    print("  cooperating exact      %6.1f%%  (%d/%d found)" % (pct(n["coop"], n["task_found"]), n["coop"], n["task_found"]))
    print("  due date exact         %6.1f%%  (%d/%d found)" % (score["due_exact"], n["due"], n["task_found"]))
    print("  deadline kind exact    %6.1f%%  (%d/%d found)" % (pct(n["kind"], n["task_found"]), n["kind"], n["task_found"]))
    print("  not-task violations    %d of %d listed non-tasks" % (n["not_viol"], n["gnot"]))
    if n["exh_parsed"]:
        print("  spurious tasks         %6.1f%%  (%d of %d parsed in exhaustive files)" % (
            pct(n["spurious"], n["exh_parsed"]), n["spurious"], n["exh_parsed"]))
    print("  review flags           %d of %d wrong tasks flagged (%.1f%%); %d of %d right ones "
          "(%.1f%%), %d (%.1f%%) %s" % (
              n["wrong_flagged"], n["wrong"], score["flag_recall"], n["right_flagged"],
              n["right"], score["flag_fp_raw"], n["right_flagged"] - n["right_no_lead"],
              score["flag_fp"], FLAG_FP_NOTE))

    passed = failed = 0
    print("")
    if a.label:
        print("  (%s)" % a.label)
    for key, label, limit, op in THRESHOLDS[a.goals]:
        ok = score[key] >= limit - 1e-9 if op == ">=" else score[key] < limit
        print("  [%s] %-20s %6.1f%% (need %s %.0f%%)" % ("PASS" if ok else "FAIL", label,
                                                      score[key], op, limit))
        if ok:
            passed += 1
        else:
            failed += 1
    if problem:
        print("FAIL: %s" % problem)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and not problem else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
