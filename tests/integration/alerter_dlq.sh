#!/usr/bin/env bash
# Bad input to duban-alerter: an undecodable message, a status change of an
# unknown task, a malformed date (a due date no calendar holds) and an
# EXTENDED without its new date (and two undecodable messages) each go to duban.dlq.v1 with the reason in
# the duban.reason header; the worker keeps going and alerts the good tasks
# read before and after them.
source "$(dirname "$0")/lib/common.bash"
start_broker --partitions 2

task() {   # task ID DUE: a TaskAssigned of 2026-11-02, due DUE
    printf '{"type":"TaskAssigned","event_id":"e-%s","occurred_at":"2026-11-02T00:00:00+08:00","schema_version":1,"task_id":"%s","doc_id":"测试〔2026〕1号","outline_path":"一","text":"按时报送工作进展","lead_units":["区发改局"],"cooperating_units":[],"lead_departments":["区发展和改革局"],"cooperating_departments":[],"deadline_text":"11月20日前","due_date":%s,"deadline_kind":"DATED","recurrence":null,"milestones":[],"content_sha256":"%064d","doc_title":"测试通知","issuers":["大武口区人民政府办公室"],"source":{"file":"test.txt","line":1,"offset":0}}\n' "$1" "$1" "$2" "${#1}"
}
status() {   # status ID TASK TO NEW_DUE
    printf '{"type":"TaskStatusChanged","event_id":"s-%s","occurred_at":"2026-11-03T10:00:00+08:00","schema_version":1,"task_id":"%s","from_status":"ASSIGNED","to_status":"%s","new_due_date":%s,"actor":"cli:test","comment":null,"source":{"file":"cli:test","line":0,"offset":-1}}\n' "$1" "$2" "$3" "$4"
}
{
    task good-1 '"2026-11-20"'
    task bad-date 2000000000        # epoch day 2e9: no YYYY-MM-DD date
    status 1 no-such-task COMPLETED null
    status 2 good-1 EXTENDED null   # EXTENDED needs new_due_date
} >"$WORK/first.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/first.jsonl" 2>"$WORK/produce.log" \
    || fail "producing: $(cat "$WORK/produce.log")"
printf 'duban.tasks.v1\tgarbage\t00000000ffdeadbeef\n' >"$WORK/bad.raw"
printf 'duban.task-status.v1\tgood-1\t7b226e6f74223a226176726f227d\n' >>"$WORK/bad.raw"
"$DUBAN_BIN_DIR/duban-produce-json" --raw -b "$BOOTSTRAP" "$WORK/bad.raw" 2>/dev/null || fail "producing raw"
task good-2 '"2026-11-23"' >"$WORK/second.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/second.jsonl" 2>/dev/null || fail "producing"

bg "$DUBAN_BIN_DIR/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" \
    --now 2026-11-25T10:00:00+08:00 2>"$WORK/alerter.log"
dlq_count() {
    "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.dlq.v1 --exit-at-end 2>/dev/null | wc -l
}
# The rebuild reads every input up to its end and logs each dead letter as it
# sends it: once it has logged "rebuilt" and the topic holds as many dead
# letters as the log names, every one of them is in (then judged: 5 wanted).
settled() {
    grep -q 'fac=REBUILD.*partitions rebuilt' "$WORK/alerter.log" &&
        [ "$(dlq_count)" -eq "$(grep -c 'level=warn .*fac=DLQ' "$WORK/alerter.log")" ]
}
wait_until 30 settled || fail "dead letters not settled: $(dlq_count) on the topic, $(grep -c 'level=warn .*fac=DLQ' "$WORK/alerter.log") logged"
kcat -C -b "$BOOTSTRAP" -t duban.dlq.v1 -o beginning -e -f '%h\n' 2>/dev/null >"$WORK/headers.txt"
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.dlq.v1 --exit-at-end >"$WORK/dlq.jsonl" 2>/dev/null
[ "$(wc -l <"$WORK/dlq.jsonl")" -eq 5 ] || { cat "$WORK/alerter.log"; fail "wanted 5 dead letters, got $(wc -l <"$WORK/dlq.jsonl")"; }
for want in 'duban.reason=TaskAssigned.due_date: date outside years 1..9999' \
            'duban.reason=TaskStatusChanged.task_id: unknown task "no-such-task"' \
            'duban.reason=TaskStatusChanged.new_due_date: missing for EXTENDED' \
            'duban.original.topic=duban.tasks.v1' 'duban.service=duban-alerter'; do
    grep -qF "$want" "$WORK/headers.txt" || { cat "$WORK/headers.txt"; fail "no header '$want'"; }
done
[ "$(grep -c "duban.reason=" "$WORK/headers.txt")" -eq 5 ] || fail "a dead letter without reason header"

# The worker went on: both good tasks got their alerts (late: the clock
# starts after them), the bad EXTENDED did not touch good-1.
alerts_in() {
    "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end \
        >"$WORK/alerts.jsonl" 2>/dev/null
    [ "$(wc -l <"$WORK/alerts.jsonl")" -ge 7 ]
}
wait_until 10 alerts_in || true   # judged below, alert by alert
python3 - "$WORK/alerts.jsonl" <<'PY' || fail "alerts of the good tasks"
import json, sys
got = sorted((a["task_id"], a["kind"], a["threshold_days"], a["due_date"], a["fire_at"][:10], a["late"])
             for a in map(json.loads, open(sys.argv[1], encoding="utf-8")))
want = sorted([
    ("good-1", "DUE_SOON", 7, "2026-11-20", "2026-11-11", True),
    ("good-1", "DUE_SOON", 3, "2026-11-20", "2026-11-17", True),
    ("good-1", "DUE_TODAY", None, "2026-11-20", "2026-11-20", True),
    ("good-1", "OVERDUE", None, "2026-11-20", "2026-11-23", True),
    ("good-2", "DUE_SOON", 7, "2026-11-23", "2026-11-12", True),
    ("good-2", "DUE_SOON", 3, "2026-11-23", "2026-11-18", True),
    ("good-2", "DUE_TODAY", None, "2026-11-23", "2026-11-23", True),
    ("good-2", "OVERDUE", None, "2026-11-23", "2026-11-24", True),
])
for g in got: print(g)
sys.exit(0 if got == want else 1)
PY
