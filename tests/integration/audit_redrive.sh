#!/usr/bin/env bash
# Issue 14, duban-audit redrive: alerts for an endpoint that answers 500 are
# dead-lettered by duban-notifier after its retries; the endpoint is fixed;
# `redrive --dry-run` publishes nothing; `redrive --reason ...` puts each
# dead-lettered alert back on duban.alerts.v1 once (headers record the
# redrive: which DLQ entries, the original offset, who, why), the running
# notifier delivers them (DELIVERED on duban.deliveries.v1, the receiver
# saw them with the same webhook-id), a second redrive finds nothing new,
# and timeline tells the story: dead-lettered, redriven by whom, delivered.
# A status change of a task the alerter does not know yet is dead-lettered
# by duban-alerter; once the task is ingested, redrive brings it back and
# the alerter applies it (the task's alerts stop).
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
B=$DUBAN_BIN_DIR

start_broker --partitions 2
start_receiver --rule /dead=500
cat >"$WORK/routes.json" <<JSON
{"endpoints":[$(json_endpoint ok),
              $(json_endpoint dead ',"retry":{"max_attempts":2,"base_ms":100,"max_ms":200},"breaker":{"failures":100}')],
 "routes":[{"department":"D-dead","endpoints":["dead"]},{"department":"D-ok","endpoints":["ok"]}],
 "default":["ok"]}
JSON
produce_alerts 5 --prefix r --dept D-dead --dept D-ok --dept D-dead --dept D-ok --dept D-dead
start_notifier notifier --demo --routes "$WORK/routes.json"

dlq_count() { topic_json duban.dlq.v1 | wc -l; }
outcomes() {   # outcomes OUTCOME: how many records of that outcome
    topic_json duban.deliveries.v1 | python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l)["outcome"] == sys.argv[1]))' "$1"
}
three_dead() { [ "$(dlq_count)" -ge 3 ]; }
wait_until 30 three_dead || fail "no dead letters: $(tail -3 "$WORK/notifier.log")"
[ "$(outcomes DEAD_LETTERED)" -eq 3 ] || fail "want 3 DEAD_LETTERED outcomes"
[ "$(outcomes DELIVERED)" -eq 2 ] || fail "want 2 DELIVERED outcomes"
alerts_before=$(topic_json duban.alerts.v1 | wc -l)

# the endpoint is back
curl -fsS "$RECV/_control?path=/dead&mode=200" >/dev/null || fail "receiver control"

"$B/duban-audit" redrive -b "$BOOTSTRAP" 2>/dev/null && fail "redrive without a selection ran"
"$B/duban-audit" redrive -b "$BOOTSTRAP" --reason 'endpoint dead' --dry-run >"$WORK/dry.jsonl" \
    2>"$WORK/dry.err" || fail "dry run: $(cat "$WORK/dry.err")"
[ "$(grep -c '"state":"would redrive"' "$WORK/dry.jsonl")" -eq 3 ] || { cat "$WORK/dry.jsonl"; fail "dry run lists not 3"; }
# no wait: duban-audit flushes its producer (acks=all) before it exits, so
# whatever it published is on the topic now
[ "$(topic_json duban.alerts.v1 | wc -l)" -eq "$alerts_before" ] || fail "the dry run published"

"$B/duban-audit" redrive -b "$BOOTSTRAP" --reason 'endpoint dead' --actor auditor-1 \
    >"$WORK/redrive.jsonl" 2>"$WORK/redrive.err" || fail "redrive: $(cat "$WORK/redrive.err")"
cat "$WORK/redrive.jsonl"
python3 - "$WORK/redrive.jsonl" <<'PY' || fail "redrive records"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ok = (len(recs) == 3 and all(r["state"] == "redriven" and r["actor"] == "auditor-1"
      and r["original"]["topic"] == "duban.alerts.v1" and r["to"]["topic"] == "duban.alerts.v1"
      and r["to"]["partition"] == r["original"]["partition"] and r["to"]["offset"] > r["original"]["offset"]
      and len(r["dead_letters"]) == 1 and "endpoint dead" in r["reason"] for r in recs))
sys.exit(0 if ok else 1)
PY
[ "$(topic_json duban.alerts.v1 | wc -l)" -eq $((alerts_before + 3)) ] || fail "not 3 alerts back"
kcat -C -b "$BOOTSTRAP" -t duban.alerts.v1 -o beginning -e -f '%h\n' 2>/dev/null >"$WORK/headers.txt"
[ "$(grep -c 'duban.redrive.of=duban.dlq.v1:' "$WORK/headers.txt")" -eq 3 ] \
    && [ "$(grep -c 'duban.redrive.by=auditor-1' "$WORK/headers.txt")" -eq 3 ] \
    && grep -q 'duban.redrive.original=duban.alerts.v1:' "$WORK/headers.txt" \
    || { cat "$WORK/headers.txt"; fail "redrive headers"; }

# the running notifier takes them: delivered this time, same webhook-ids
five_delivered() { [ "$(outcomes DELIVERED)" -ge 5 ]; }
wait_until 30 five_delivered || fail "redriven alerts not delivered"
python3 - "$WORK/recv.jsonl" <<'PY' || fail "receiver did not get the redriven alerts"
import json, sys
reqs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ok = {r["webhook_id"] for r in reqs if r["path"] == "/dead" and r["status"] == 200}
sys.exit(0 if ok == {"r-0", "r-2", "r-4"} else 1)
PY

# again: nothing new to redrive
"$B/duban-audit" redrive -b "$BOOTSTRAP" --reason 'endpoint dead' >"$WORK/again.jsonl" \
    2>/dev/null || fail "second redrive"
[ "$(grep -c '"state":"already redriven"' "$WORK/again.jsonl")" -eq 3 ] || fail "second redrive redrove"
[ "$(topic_json duban.alerts.v1 | wc -l)" -eq $((alerts_before + 3)) ] || fail "second redrive published"

# the story of one of them
task=$(topic_json duban.alerts.v1 | python3 -c '
import json, sys
print([a for a in map(json.loads, sys.stdin) if a["alert_id"] == "r-2"][0]["task_id"])')
"$B/duban-audit" timeline -b "$BOOTSTRAP" --json "$task" >"$WORK/timeline.jsonl" 2>/dev/null \
    || fail "timeline"
python3 - "$WORK/timeline.jsonl" <<'PY' || fail "timeline of a redriven alert"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ev = [r["event"] for r in rows]
for r in rows: print("  ", r["event"], "|", r["who"], "|", r["detail"][:120])
ok = (ev.count("dead-lettered") == 1 and ev.count("delivery DEAD_LETTERED") == 1
      and ev.count("delivery DELIVERED") == 1
      and sum(1 for r in rows if r["event"].startswith("alert ") and "redriven by auditor-1" in r["detail"]) == 1)
sys.exit(0 if ok else 1)
PY
stop_notifier

# ---- the alerter's dead letter: a status change before its task ----
TASK='测试〔2026〕9号#一'
status_line() {
    printf '{"type":"TaskStatusChanged","event_id":"s-1","occurred_at":"2026-11-03T10:00:00+08:00","schema_version":1,"task_id":"%s","from_status":"IN_PROGRESS","to_status":"COMPLETED","new_due_date":null,"actor":"cli:test","comment":null,"source":{"file":"cli:test","line":0,"offset":-1}}\n' "$TASK"
}
# task_line [TASK_ID]: the task (default $TASK)
task_line() {
    printf '{"type":"TaskAssigned","event_id":"t-%s","occurred_at":"2026-11-02T00:00:00+08:00","schema_version":1,"task_id":"%s","doc_id":"测试〔2026〕9号","outline_path":"一","text":"按时报送","lead_units":["区发改局"],"cooperating_units":[],"lead_departments":["区发展和改革局"],"cooperating_departments":[],"deadline_text":"11月20日前","due_date":"2026-11-20","deadline_kind":"DATED","recurrence":null,"milestones":[],"content_sha256":"%064d","doc_title":"测试通知","issuers":["测试办公室"],"source":{"file":"test.txt","line":1,"offset":0}}\n' "${1:-$TASK}" "${1:-$TASK}" 9
}
status_line | "$B/duban-produce-json" -b "$BOOTSTRAP" 2>>"$WORK/produce.log" || fail "status"
bg "$B/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --now 2026-11-05T08:00:00+08:00 \
    2>"$WORK/alerter.log"
ALERTER_PID=$!
alerter_dlq() { topic_json duban.dlq.v1 | grep -c 'unknown task' || true; }
one_dead() { [ "$(alerter_dlq)" -ge 1 ]; }
wait_until 30 one_dead || fail "the alerter did not dead-letter the status change"
kill "$ALERTER_PID"; wait "$ALERTER_PID" 2>/dev/null || true
# The task comes; the status change goes back. (Both while the alerter is
# down: a live alerter may read the two topics in any order, and take the
# status change before the task, and dead-letter it again.)
task_line | "$B/duban-produce-json" -b "$BOOTSTRAP" 2>>"$WORK/produce.log" || fail "task"
# and a sentinel: the same task under another id, never completed, whose 4
# late alerts show when alerter 2 below has fired what it fires
SENTINEL='测试〔2026〕9号#二'
task_line "$SENTINEL" | "$B/duban-produce-json" -b "$BOOTSTRAP" 2>>"$WORK/produce.log" \
    || fail "sentinel task"
"$B/duban-audit" redrive -b "$BOOTSTRAP" --service duban-alerter --key "$TASK" \
    --actor auditor-2 >"$WORK/redrive2.jsonl" 2>"$WORK/redrive2.err" || fail "redrive 2: $(cat "$WORK/redrive2.err")"
grep -q '"original":{"topic":"duban.task-status.v1"' "$WORK/redrive2.jsonl" || { cat "$WORK/redrive2.jsonl"; fail "redrive 2 record"; }
[ "$("$B/duban-replay" -b "$BOOTSTRAP" --topic duban.task-status.v1 --exit-at-end 2>/dev/null | wc -l)" -eq 2 ] \
    || fail "the status change is not back"
# The alerter again, its clock past the due date: it rebuilds from the log
# (the task, then the redriven COMPLETED, by timestamp) and fires nothing.
# Without the redrive it fires the task's 4 alerts, late.
bg "$B/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --now 2026-11-25T10:00:00+08:00 \
    2>"$WORK/alerter2.log"
ALERTER_PID=$!
wait_until 30 grep -q 'partitions rebuilt' "$WORK/alerter2.log" || fail "alerter 2 did not start"
alerts_of_task() { topic_json duban.alerts.v1 | grep -cF "\"task_id\":\"${1:-$TASK}\"" || true; }
sentinel_fired() { [ "$(alerts_of_task "$SENTINEL")" -ge 4 ]; }
wait_until 30 sentinel_fired || fail "the sentinel's alerts did not fire: $(alerts_of_task "$SENTINEL")"
# stopped, it says how many alerts it emitted in all: the sentinel's only
kill "$ALERTER_PID"; wait "$ALERTER_PID" 2>/dev/null || true
grep -q 'fac=STOP msg="emitted=4 ' "$WORK/alerter2.log" \
    || fail "alerter 2 emitted more than the sentinel's 4: $(grep 'fac=STOP' "$WORK/alerter2.log")"
[ "$(alerts_of_task)" -eq 0 ] || fail "alerts fired for the completed task: $(alerts_of_task)"
[ "$(alerter_dlq)" -eq 1 ] || fail "the redriven status change was dead-lettered again"
echo "1 passed, 0 failed"
