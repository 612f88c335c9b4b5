#!/usr/bin/env python3
"""Build fake duban-ingest --dry-run output (JSON Lines) from the gold set, to
prove tests/gold/score.py can both pass and fail.

    make_fake.py GOLD_DIR VARIANT > out.jsonl

VARIANT:
  perfect     every gold document and task, exactly as the gold set says
  no-doc      perfect, minus one document                  -> documents found fails
  wrong-due   perfect, every 5th task's due date shifted    -> due date fails
  wrong-lead  perfect, every 5th task's lead units changed  -> lead units fails
  far-lines   perfect, every 10th task 30 lines away        -> tasks found fails
  merged      every 2nd task dropped, its text merged into the previous parsed
              task (one parsed task contains two gold prefixes) -> tasks found
              fails, because one parsed task may match only one gold task
  not-tasks   perfect, plus every listed not-task emitted as a task
"""
import json
import os
import sys


def main():
    gold_dir, variant = sys.argv[1], sys.argv[2]
    out = []
    for name in sorted(os.listdir(gold_dir)):
        if not name.endswith(".json"):
            continue
        g = json.load(open(os.path.join(gold_dir, name), encoding="utf-8"))
        f = g["file"]
        for k, d in enumerate(g["documents"]):
            if variant == "no-doc" and k == 3:
                continue
            out.append({"type": "DocumentPublished", "doc_id": d["doc_number"],
                        "doc_number": d["doc_number"], "title": d["title"],
                        "issuers": d["issuers"], "issue_date": d["issue_date"],
                        "source": {"file": f, "line": d["line"], "offset": 0}})
        prev = None
        for k, t in enumerate(g["tasks"]):
            lead = list(t["lead_units"])
            due = t["due_date"]
            line = t["line"]
            if variant == "wrong-due" and k % 5 == 0:
                due = "2099-12-31" if due != "2099-12-31" else None
            if variant == "wrong-lead" and k % 5 == 0:
                lead = lead[:-1] if len(lead) > 1 else ["某某局"]
            if variant == "far-lines" and k % 10 == 0:
                line += 30
            ev = {"type": "TaskAssigned",
                  "task_id": "%s#%s" % (t["doc_number"], t["outline_path"]),
                  "doc_id": t["doc_number"], "outline_path": t["outline_path"],
                  "text": "（X）" + t["text_prefix"] + "……",
                  "lead_units": lead, "cooperating_units": t.get("cooperating_units", []),
                  "lead_departments": [], "cooperating_departments": [],
                  "deadline_text": None, "due_date": due,
                  "deadline_kind": t["deadline_kind"],
                  "source": {"file": f, "line": line, "offset": 0}}
            if variant == "merged" and k % 2 == 1 and prev is not None:
                prev["text"] += t["text_prefix"]
                continue
            out.append(ev)
            prev = ev
        if variant == "not-tasks":
            for t in g.get("not_tasks", []):
                out.append({"type": "TaskAssigned", "task_id": "x", "doc_id": t.get("doc_number"),
                            "outline_path": "", "text": t["text_prefix"], "lead_units": [],
                            "cooperating_units": [], "due_date": None, "deadline_kind": "NONE",
                            "source": {"file": f, "line": t["line"], "offset": 0}})
    for o in out:
        print(json.dumps(o, ensure_ascii=False))


if __name__ == "__main__":
    main()
