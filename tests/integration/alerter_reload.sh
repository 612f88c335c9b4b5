#!/usr/bin/env bash
# Issue 14 item 4, for duban-alerter: SIGHUP reloads the department directory
# (alerter.departments.files), as the notifier reloads its routing file.
# - Started with a directory that knows no 新质办, a task led by 区新质办
#   alerts 区新质办.
# - SIGHUP after the file adds 新质办 as an alias of 新质生产力促进局: the next
#   task's alert names 区新质生产力促进局.
# - SIGHUP with a broken file: one error line naming the file and its line,
#   the directory loaded before stays in force (the next alert still says
#   区新质生产力促进局), the process keeps running; the reload counter says 1 ok,
#   1 refused.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/ops.bash"
B=$DUBAN_BIN_DIR

task() {   # task ID: a TaskAssigned of 2026-11-02 led by 区新质办, past due at issue
    printf '{"type":"TaskAssigned","event_id":"e-%s","occurred_at":"2026-11-02T00:00:00+08:00","schema_version":1,"task_id":"%s","doc_id":"测试〔2026〕1号","outline_path":"一","text":"按时报送工作进展","lead_units":["区新质办"],"cooperating_units":[],"lead_departments":["区新质办"],"cooperating_departments":[],"deadline_text":"10月20日前","due_date":"2026-10-20","deadline_kind":"DATED","recurrence":null,"milestones":[],"content_sha256":"%064d","doc_title":"测试通知","issuers":["大武口区人民政府办公室"],"source":{"file":"test.txt","line":1,"offset":0}}\n' "$1" "$1" "${#1}"
}
# alert_leads ID: the lead departments of task ID's alert, once it is on the topic
alert_leads() {
    "$B/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end 2>/dev/null |
        python3 -c '
import json, sys
for line in sys.stdin:
    a = json.loads(line)
    if a["task_id"] == sys.argv[1]:
        print(",".join(a["lead_departments"]))' "$1"
}
# expect_alert ID LEADS: task ID is produced and its alert names LEADS
expect_alert() {
    task "$1" >"$WORK/$1.jsonl"
    "$B/duban-produce-json" -b "$BOOTSTRAP" "$WORK/$1.jsonl" 2>"$WORK/produce.log" \
        || fail "producing $1: $(cat "$WORK/produce.log")"
    has_alert() { [ -n "$(alert_leads "$1")" ]; }
    wait_until 30 has_alert "$1" || fail "no alert for $1"
    local got
    got=$(alert_leads "$1")
    [ "$got" = "$2" ] || fail "alert for $1 names $got, not $2"
    echo "$1: $got"
}

start_broker --partitions 2
D=$WORK/departments.json
echo '{"format": "duban-departments/1", "departments": []}' >"$D"
bg "$B/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --now 2026-11-03T10:00:00+08:00 \
    --set ops.listen=127.0.0.1:0 --set alerter.departments.files="$D" 2>"$WORK/alerter.log"
ALERTER_PID=${BG_PIDS[-1]}
ops_url "$WORK/alerter.log"
wait_until 30 ops_ready || fail "never ready: $(cat "$WORK/health.json")"
expect_alert before 区新质办

# SIGHUP with an alias added: the next alert uses it
cat >"$D" <<'JSON'
{"format": "duban-departments/1",
 "departments": [{"name": "新质生产力促进局", "aliases": ["新质办"]}]}
JSON
kill -HUP "$ALERTER_PID"
wait_until 10 grep -q 'fac=RELOAD.*in force from the next alert' "$WORK/alerter.log" \
    || fail "no reload: $(tail -3 "$WORK/alerter.log")"
expect_alert after 区新质生产力促进局

# SIGHUP with a broken file (line 3 is cut short): refused, the old one stays
printf '{"format": "duban-departments/1",\n "departments": [\n  {"name": "新质生产力促进局", "aliases": [\n' >"$D"
kill -HUP "$ALERTER_PID"
wait_until 10 grep -q 'fac=RELOAD.*refused' "$WORK/alerter.log" || fail "broken file not refused"
line=$(grep 'fac=RELOAD.*refused' "$WORK/alerter.log")
echo "refused: $line"
[[ $line == *"$D:4:"* || $line == *"$D:3:"* ]] || fail "the line does not name file:line: $line"
[[ $line == *"stays in force"* ]] || fail "log line: $line"
grep -q 'level=error' <<<"$line" || fail "not an error line: $line"
kill -0 "$ALERTER_PID" || fail "the alerter died"
expect_alert broken 区新质生产力促进局

ops_scrape m duban_alerter_reloads=counter
[ "$(ops_value m 'duban_alerter_reloads_total{result=ok}')" -eq 1 ] || fail "reloads ok"
[ "$(ops_value m 'duban_alerter_reloads_total{result=refused}')" -eq 1 ] || fail "reloads refused"
kill -0 "$ALERTER_PID" || fail "the alerter died"
echo "PASS"
