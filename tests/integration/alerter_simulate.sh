#!/usr/bin/env bash
# duban-alerter --simulate over the three gazettes' events (duban-ingest
# --dry-run) plus scripted status changes and re-ingests: the alerts of the
# scripted tasks must equal tests/fixtures/alerter/expected.txt (computed by
# hand), every alert must be well-formed, and replaying the same input gives
# byte-identical output (a shuffled input gives the same alerts).
set -euo pipefail
BIN=${DUBAN_BIN_DIR:?}
FIX=${DUBAN_SRC_DIR:?}/tests/fixtures/alerter
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
UNTIL=2023-07-01T09:00:00+08:00

for g in 000_55122fd70aed731a 001_695d6e90fcff097e 002_0222121a82854d09; do
    "$BIN/duban-ingest" --dry-run "$GAZ/$g.txt" >>"$tmp/ingest.jsonl" 2>>"$tmp/ingest.err"
done

# Re-ingests: the past-due task again with the same content (changes nothing),
# and 附件2.任务1 with changed content and due date 2023-05-31 (the new one wins).
python3 - "$tmp/ingest.jsonl" >"$tmp/reingest.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    if e.get("task_id") == "石大政办发〔2022〕68号#二.(四).15":
        e["occurred_at"] = "2023-01-01T00:00:00+08:00"
        print(json.dumps(e, ensure_ascii=False))
    if e.get("task_id") == "石大党办发〔2022〕68号#附件2.任务1":
        e["occurred_at"] = "2023-03-01T00:00:00+08:00"
        e["due_date"] = "2023-05-31"
        e["deadline_text"] = "2023年5月底前"
        e["content_sha256"] = "0" * 64
        print(json.dumps(e, ensure_ascii=False))
PY
test "$(wc -l <"$tmp/reingest.jsonl")" -eq 2 || { echo "re-ingested tasks not found"; exit 1; }
cat "$tmp/ingest.jsonl" "$tmp/reingest.jsonl" "$FIX/status.jsonl" >"$tmp/events.jsonl"

run() { "$BIN/duban-alerter" --simulate --until "$UNTIL" <"$1" >"$2" 2>"$3"; }
run "$tmp/events.jsonl" "$tmp/out1.jsonl" "$tmp/err1"
run "$tmp/events.jsonl" "$tmp/out2.jsonl" "$tmp/err2"
cmp "$tmp/out1.jsonl" "$tmp/out2.jsonl" || { echo "replay is not byte-identical"; exit 1; }
python3 -c '
import random, sys
lines = open(sys.argv[1], encoding="utf-8").readlines()
random.Random(4).shuffle(lines)
sys.stdout.write("".join(lines))' "$tmp/events.jsonl" >"$tmp/shuffled.jsonl"
run "$tmp/shuffled.jsonl" "$tmp/out3.jsonl" "$tmp/err3"
cmp <(sort "$tmp/out1.jsonl") <(sort "$tmp/out3.jsonl") || { echo "input order changed the alerts"; exit 1; }

# Bad status events are reported and skipped.
grep -q 'unknown task' "$tmp/err1" || { echo "unknown task not reported"; cat "$tmp/err1"; exit 1; }
grep -q 'new_due_date: not a YYYY-MM-DD date' "$tmp/err1" || { echo "bad date not reported"; exit 1; }

python3 - "$tmp/out1.jsonl" "$tmp/events.jsonl" "$FIX/expected.txt" "$UNTIL" <<'PY'
import json, sys
out, events, expected, until = sys.argv[1:5]
alerts = [json.loads(l) for l in open(out, encoding="utf-8")]
tasks = {}
for l in open(events, encoding="utf-8"):
    e = json.loads(l)
    if e["type"] == "TaskAssigned":
        tasks[e["task_id"]] = e
want = {}
for l in open(expected, encoding="utf-8"):
    if l.strip() and not l.startswith("#"):
        tid, rest = l.rstrip("\n").split(" ", 1)
        want.setdefault(tid, []).append(rest)
got = {}
fails = 0
def fail(msg):
    global fails
    fails += 1
    print("FAIL", msg)
prev = ""
ids = set()
keys = ["type", "event_id", "occurred_at", "schema_version", "alert_id", "task_id", "doc_id",
        "departments", "kind", "level", "due_date", "days_left", "fire_at", "threshold_days",
        "late", "doc_title", "task_text", "outline_path", "lead_departments",
        "cooperating_departments", "supervisors", "deadline_text", "source"]
for a in alerts:
    if list(a) != keys: fail("keys %s" % list(a))
    if a["fire_at"] < prev: fail("not in time order: %s after %s" % (a["fire_at"], prev))
    prev = a["fire_at"]
    if a["alert_id"] in ids: fail("duplicate alert_id %s" % a["alert_id"])
    ids.add(a["alert_id"])
    if a["late"]: fail("late in a simulation")
    if not a["fire_at"].endswith("T09:00:00+08:00") or a["fire_at"] > until: fail("fire_at " + a["fire_at"])
    if a["occurred_at"] != a["fire_at"]: fail("occurred_at != fire_at")
    t = tasks.get(a["task_id"])
    if not t: fail("alert for unknown task " + a["task_id"]); continue
    if t["deadline_kind"] not in ("DATED", "RECURRING"): fail("alert for a %s task" % t["deadline_kind"])
    if len(a["task_text"].encode()) > 200: fail("task_text over 200 bytes")
    if not t["text"].startswith(a["task_text"]): fail("task_text is not a prefix of the text")
    if a["source"] != t["source"]: fail("source differs")
    red = a["days_left"] < 0
    if (a["level"] == "RED") != red: fail("level %s with days_left %d" % (a["level"], a["days_left"]))
    for s in a["supervisors"] if red else []:
        if s not in a["departments"]: fail("supervisor %s not addressed" % s)
    if a["supervisors"] != t["issuers"]: fail("supervisors are not the issuers")
    th = "" if a["threshold_days"] is None else "/%d" % a["threshold_days"]
    got.setdefault(a["task_id"], []).append("%s%s %s %s %d %s" % (
        a["kind"], th, a["due_date"], a["fire_at"][:10], a["days_left"], a["level"]))
for tid, lines in want.items():
    if got.get(tid, []) != lines:
        fail("task %s:\n  got  %s\n  want %s" % (tid, got.get(tid), lines))
past = [a for a in alerts if a["kind"] == "PAST_DUE_AT_ISSUE"]
for a in past:
    if sum(1 for b in alerts if b["task_id"] == a["task_id"]) != 1: fail("flood after PAST_DUE_AT_ISSUE")
print("%d alerts, %d tasks with alerts, %d scripted tasks checked, %d failures" %
      (len(alerts), len(got), len(want), fails))
sys.exit(1 if fails else 0)
PY
