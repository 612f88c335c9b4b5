#!/usr/bin/env bash
# duban-analytics: the three gazettes' events plus status changes, loaded
# into SQLite, equal what duban-ingest --dry-run printed; loading the same
# topics again (another group) changes nothing (idempotent upserts); the CSV
# export holds every row.
source "$(dirname "$0")/lib/common.bash"
start_broker --partitions 4
G="$DUBAN_SHARED_DIR/gazettes"
"$DUBAN_BIN_DIR/duban-ingest" --dry-run "$G"/0*.txt >"$WORK/dry.jsonl" 2>/dev/null
"$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" "$G"/0*.txt 2>"$WORK/ingest.log" \
    || fail "ingest: $(tail -3 "$WORK/ingest.log")"

# Three status changes for the first task that has a lead department (its
# completion requested, then approved), one for the second: its completion
# request is pending (COMPLETION_REQUESTED, the status added by issue 16).
python3 - "$WORK/dry.jsonl" >"$WORK/status.jsonl" <<'PY'
import json, sys
leads = [e for e in map(json.loads, open(sys.argv[1], encoding="utf-8"))
         if e["type"] == "TaskAssigned" and e["lead_departments"]]
task, other = leads[0], leads[1]
for i, (task, to, at) in enumerate([(task, "IN_PROGRESS", "2023-01-05T10:00:00+08:00"),
                                    (task, "COMPLETION_REQUESTED", "2023-02-27T10:00:00+08:00"),
                                    (task, "COMPLETED", "2023-03-01T16:30:00+08:00"),
                                    (other, "COMPLETION_REQUESTED", "2023-03-02T09:00:00+08:00")]):
    print(json.dumps({"type": "TaskStatusChanged", "event_id": "st%d" % i, "occurred_at": at,
        "schema_version": 1, "source": {"file": "cli:test", "line": 0, "offset": -1},
        "task_id": task["task_id"], "from_status": None, "to_status": to, "new_due_date": None,
        "actor": task["lead_departments"][0], "comment": None}, ensure_ascii=False))
PY
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/status.jsonl" 2>/dev/null || fail "status"

"$DUBAN_BIN_DIR/duban-analytics" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" \
    --exit-at-end 2>"$WORK/an1.log" || fail "analytics: $(tail -3 "$WORK/an1.log")"
# Again from the start in another group: every write is an upsert.
"$DUBAN_BIN_DIR/duban-analytics" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" \
    --group again --exit-at-end --csv "$WORK" 2>"$WORK/an2.log" || fail "analytics again"

python3 - "$WORK" <<'PY' || fail "store does not match the events"
import json, sqlite3, sys, csv, os
work = sys.argv[1]
events = [json.loads(l) for l in open(os.path.join(work, "dry.jsonl"), encoding="utf-8")]
tasks = {e["task_id"]: e for e in events if e["type"] == "TaskAssigned"}
docs = {e["doc_id"] for e in events if e["type"] == "DocumentPublished"}
db = sqlite3.connect(os.path.join(work, "a.db"))
q = lambda sql, *a: db.execute(sql, a).fetchall()
assert q("select count(*) from tasks")[0][0] == len(tasks), (q("select count(*) from tasks"), len(tasks))
assert q("select count(*) from documents")[0][0] == len(docs)
pairs = {(t, d, r) for t, e in tasks.items() for r, k in (("lead", "lead_departments"), ("cooperating", "cooperating_departments")) for d in e[k]}
assert q("select count(*) from task_departments")[0][0] == len(pairs)
for tid, due, kind, text in q("select task_id, due_date, deadline_kind, text from tasks"):
    e = tasks[tid]
    assert (due, kind, text) == (e["due_date"], e["deadline_kind"], e["text"]), tid
st = json.loads(open(os.path.join(work, "status.jsonl"), encoding="utf-8").readline())
lines = [json.loads(l) for l in open(os.path.join(work, "status.jsonl"), encoding="utf-8")]
assert q("select status from task_current where task_id=?", st["task_id"])[0][0] == "COMPLETED"
assert q("select status from task_current where task_id=?", lines[3]["task_id"])[0][0] == "COMPLETION_REQUESTED"
assert q("select count(*) from task_status where to_status='COMPLETION_REQUESTED'")[0][0] == 2
assert q("select count(*) from task_status")[0][0] == 4
top = q("select department, count(*) from task_departments where role='lead' group by 1 order by 2 desc limit 3")
print("tasks %d, documents %d, department links %d; busiest lead departments: %s" % (len(tasks), len(docs), len(pairs), top))
rows = list(csv.reader(open(os.path.join(work, "tasks.csv"), encoding="utf-8", newline="")))
assert len(rows) == len(tasks) + 1 and rows[0][0] == "task_id", len(rows)
PY
echo "1 passed, 0 failed"
