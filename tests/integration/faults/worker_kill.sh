#!/usr/bin/env bash
# Issue 13 fault test, CTest label `realkafka-faults` (not run by
# scripts/test.sh nor .ci/run: three JVMs on a 2-core machine). The pipeline
# of broker_kill.sh on three real brokers (RF 3, min.insync.replicas=2), plus
# duban-status's HTTP intake, to which a client with the supervising
# office's token sends CANCELLED reports for REPORTS tasks (dated 2023-01-16,
# ahead of the simulated clock; each is sent again, with the same
# Idempotency-Key, occurred_at and so the same event_id, until it is
# answered 202). Each worker gets kill -9 in turn, mid-stream, and is
# started again:
#   1. duban-ingest, during its first pass over the gazettes (after the
#      first gazette); the ingest loop starts it again over all three;
#   2. duban-status, when half of the reports are accepted; started again on
#      the same port once a client request has failed meanwhile;
#   3. duban-alerter, when a quarter of the deliveries are in; started again
#      once an alert has come due with no alerter, with the same simulated
#      clock: it rebuilds its partitions from the log once the dead member's
#      session has timed out (6 s);
#   4. duban-notifier, when half of the deliveries are in; started again at
#      once in the same group.
# Pass, with the bounds the mock's tests assert (alerter_group.sh,
# notifier_crash.sh, status_service.sh): every report answered 202 is on
# duban.task-status.v1 (every event_id, none that was not accepted); the
# alerts topic holds exactly what --simulate gives for the gazettes' tasks
# and these reports, each alert once (the reports take alerts away: a lost
# one would leave extra alerts); the alerts that came due while the alerter
# was dead are marked late; each endpoint got every alert (by webhook-id at
# duban-receiver), and the pairs delivered twice are at most
# notifier.max.inflight (64), all from the notifier's kill; the restarted
# notifier logged its rebuild from duban.deliveries.v1; the last notifier and
# alerter exit with status 0 within 20 s of SIGTERM.
# Fails if a kill did not happen mid-stream: each killed process must have
# died of SIGKILL, ingest before its first pass ended, status with reports
# still to accept and the client refused meanwhile, the alerter and the
# notifier with deliveries still to come.
source "$(dirname "$0")/../lib/common.bash"
source "$(dirname "$0")/../lib/notifier.bash"
source "$(dirname "$0")/../lib/faults.bash"
REPORTS=${DUBAN_FAULT_REPORTS:-40}
REPORT_AT=2023-01-16T10:00:00+08:00
MAX_INFLIGHT=64
ALERTER_OPTS=(--set alerter.late.after.ms=$((SPEED * 2000)))   # late: 2 s (wall) after its instant

# killed PID NAME: kill -9 PID and check it died of it (status 137).
killed() {
    local rc=0
    kill -KILL "$1" 2>/dev/null || fail "$2 (pid $1) was not running at its kill"
    wait "$1" 2>/dev/null || rc=$?
    [ "$rc" = 137 ] || fail "$2 exited with status $rc, not killed by SIGKILL"
    echo "$(date +%T.%N) kill -9 $2 (pid $1)"
}

start_cluster
expect_alerts
no_reports=$EXPECTED

# The reports: CANCELLED (a supervisor's move from ASSIGNED) for the first REPORTS tasks (by task_id) that
# --simulate alerts after REPORT_AT; what duban-status will produce for each
# (--dry-run gives the same event and event_id) joins the simulated events.
python3 - "$WORK/expected.jsonl" "$REPORT_AT" "$REPORTS" >"$WORK/report.tasks" <<'PY'
import json, sys
tasks = sorted({a["task_id"] for a in map(json.loads, open(sys.argv[1])) if a["fire_at"] > sys.argv[2]})
print("\n".join(tasks[: int(sys.argv[3])]))
PY
[ "$(wc -l <"$WORK/report.tasks")" -eq "$REPORTS" ] || fail "fewer than $REPORTS tasks alerted after $REPORT_AT"
while IFS= read -r task; do
    "$DUBAN_BIN_DIR/duban-status" report --dry-run --task "$task" --to CANCELLED --actor 区政府督查室 \
        --comment 督办撤销 \
        --at "$REPORT_AT" >>"$WORK/status.jsonl" 2>>"$WORK/status-dry.log" || fail "status --dry-run: $(tail -1 "$WORK/status-dry.log")"
done <"$WORK/report.tasks"
cat "$WORK/status.jsonl" >>"$WORK/events.jsonl"
simulate_events
echo "--simulate: $no_reports alerts for the gazettes' tasks, $EXPECTED with the $REPORTS CANCELLED reports"
[ "$EXPECTED" -lt "$no_reports" ] || fail "the reports take no alert away"
python3 - "$WORK/status.jsonl" >"$WORK/report.reqs" <<'PY'
import json, sys, urllib.parse
for e in map(json.loads, open(sys.argv[1])):
    body = json.dumps({"to_status": e["to_status"], "actor": e["actor"], "occurred_at": e["occurred_at"],
                       "comment": e["comment"]}, ensure_ascii=False)
    print("%s\t%s\t%s" % (e["event_id"], urllib.parse.quote(e["task_id"], safe=""), body))
PY

# 1. duban-ingest: killed during its first pass, after the first gazette.
start_ingest_loop --no-wait
first_gazette() { grep -q "^duban-ingest: ${GAZETTES[0]##*/}: " "$WORK/ingest.log"; }
wait_until 60 first_gazette || fail "ingest did not get through the first gazette: $(tail -3 "$WORK/ingest.log")"
ingest_pid=$(cat "$INGEST_PID_FILE")
[ ! -s "$WORK/ingest.passes" ] || fail "the first ingest pass had ended before its kill"
kill -KILL "$ingest_pid" || fail "duban-ingest was not running at its kill"
echo "$(date +%T.%N) kill -9 duban-ingest (pid $ingest_pid) after the first of three gazettes"
two_passes() { [ "$(ingest_passes)" -ge 2 ]; }
wait_until 120 two_passes || fail "ingest did not run again after its kill: $(tail -3 "$WORK/ingest.log")"
[ "$(head -1 "$WORK/ingest.fail" 2>/dev/null)" = "ingest exit 137" ] || fail "the killed ingest pass did not die of SIGKILL: $(cat "$WORK/ingest.fail" 2>/dev/null)"

start_pipeline

# 2. duban-status: its HTTP intake; the client sends each report until it
# is answered 202 (at most 60 s each), writing accepted event_ids.
# (status.out goes first: a restart must not read the address the killed one wrote)
listening() { grep -qE '^127\.0\.0\.1:[0-9]+$' "$WORK/status.out" 2>/dev/null; }
run_status() {
    rm -f "$WORK/status.out"
    "$DUBAN_BIN_DIR/duban-status" -b "$BS" --tokens "$WORK/tokens.jsonl" serve --listen "$1" \
        >>"$WORK/status.out" 2>>"$WORK/status.log" &
    STATUS_PID=$!
    BG_PIDS+=("$STATUS_PID")
    wait_until 10 listening || fail "duban-status did not start: $(tail -3 "$WORK/status.log")"
    STATUS_ADDR=$(head -n 1 "$WORK/status.out")
}
SUP=$("$DUBAN_BIN_DIR/duban-status" --tokens "$WORK/tokens.jsonl" token add --supervisor 区政府督查室 \
      2>"$WORK/token.err") || fail "token add: $(cat "$WORK/token.err")"
run_status 127.0.0.1:0
: >"$WORK/accepted.ids"
( while IFS=$'\t' read -r id path body; do
      end=$((SECONDS + 60))
      until code=$(curl -s -o "$WORK/status.resp" -w '%{http_code}' --max-time 10 \
                       -H 'Content-Type: application/json' -H "Authorization: Bearer $SUP" \
                       -H "Idempotency-Key: $id" --data-binary "$body" \
                       "http://$STATUS_ADDR/v1/tasks/$path/status") && [ "$code" = 202 ]; do
          echo "$id ${code:-000}" >>"$WORK/status.refused"
          [ $SECONDS -lt $end ] || { echo "gave up on $id" >>"$WORK/status.refused"; exit 1; }
          sleep 0.2
      done
      grep -o '"event_id":"[0-9a-f]*"' "$WORK/status.resp" | cut -d'"' -f4 >>"$WORK/accepted.ids"
      sleep 0.1   # pacing, not waiting: the reports spread over seconds, so the kill finds some left
  done <"$WORK/report.reqs" ) &
STATUS_CLIENT=$!
BG_PIDS+=("$STATUS_CLIENT")
accepted() { wc -l <"$WORK/accepted.ids"; }
half_reports() { [ "$(accepted)" -ge $((REPORTS / 2)) ]; }
wait_until 60 half_reports || fail "duban-status accepted $(accepted) of $REPORTS reports: $(tail -3 "$WORK/status.log")"
refusals() { wc -l 2>/dev/null <"$WORK/status.refused" || echo 0; }
refused_before=$(refusals)
killed "$STATUS_PID" duban-status
at_status_kill=$(accepted)
[ "$at_status_kill" -lt "$REPORTS" ] || fail "every report was accepted before the kill"
# back on the same port once the client has been refused meanwhile
refused_meanwhile() { [ "$(refusals)" -gt "$refused_before" ]; }
wait_until 30 refused_meanwhile || fail "no report was refused while duban-status was down"
run_status "$STATUS_ADDR"
echo "$(date +%T.%N) duban-status back on $STATUS_ADDR; $at_status_kill of $REPORTS reports had been accepted"
wait "$STATUS_CLIENT" || fail "the status client gave up: $(tail -3 "$WORK/status.refused")"
[ -s "$WORK/status.refused" ] || fail "no report was refused while duban-status was down"
echo "status client: $(accepted) of $REPORTS reports accepted, $(wc -l <"$WORK/status.refused") requests failed while duban-status was down"

# 3. duban-alerter: killed at a quarter of the deliveries, back once an alert came due.
wait_deliveries 1 4 "the alerter's kill"
at_alerter_kill=$(received)
killed "$ALERTER_PID" duban-alerter
[ "$at_alerter_kill" -lt $((2 * EXPECTED)) ] || fail "every delivery had arrived before the alerter's kill"
# back once an alert has come due on the simulated clock with no alerter to
# fire it (it fires late, after the rebuild)
sim_ms() { echo $(($(date -d "$NOW" +%s%3N) + ($(date +%s%3N) - ORIGIN) * SPEED)); }
next_due=$(python3 - "$WORK/expected.jsonl" "$(sim_ms)" <<'PY'
import datetime, json, sys
ms = lambda s: int(datetime.datetime.fromisoformat(s).timestamp() * 1000)
due = [ms(a["fire_at"]) for a in map(json.loads, open(sys.argv[1]))]
print(min([d for d in due if d > int(sys.argv[2])], default=0))
PY
)
[ "$next_due" -gt 0 ] || fail "no alert was still to come due at the alerter's kill"
came_due() { [ "$(sim_ms)" -gt "$next_due" ]; }
wait_until 30 came_due || fail "the simulated clock did not reach the next alert ($next_due)"
run_alerter alerter2
rebuilt() { local n; n=$(grep -cs 'fac=REBUILD.*ready' "$WORK/alerter2.log" || true); [ "${n:-0}" -ge 4 ]; }
wait_until 90 rebuilt || fail "the restarted alerter did not rebuild its partitions: $(grep 'REBUILD\|REBALANCE' "$WORK/alerter2.log" | tail -3)"
echo "$(date +%T.%N) alerter back: $(grep 'fac=REBUILD.*rebuilt' "$WORK/alerter2.log" | tail -1 | sed 's/.*msg="//; s/"$//'); $at_alerter_kill deliveries were in at its kill"

# 4. duban-notifier: killed at half of the deliveries, back at once.
wait_deliveries 1 2 "the notifier's kill" notifier
at_notifier_kill=$(received)
killed "$NOTIFIER_PID" duban-notifier
[ "$at_notifier_kill" -lt $((2 * EXPECTED)) ] || fail "every delivery had arrived before the notifier's kill"
run_notifier notifier2
resumed() { grep -qs 'fac=RESUME.*alert-endpoint pairs already final' "$WORK/notifier2.log"; }
wait_until 90 resumed || fail "the restarted notifier did not rebuild what was delivered: $(grep RESUME "$WORK/notifier2.log" | tail -3)"
echo "$(date +%T.%N) notifier back: $(grep 'fac=RESUME.*already final' "$WORK/notifier2.log" | head -1 | sed 's/.*msg=//'); $at_notifier_kill deliveries were in at its kill"

stop_ingest_loop
[ "$(wc -l <"$WORK/ingest.fail")" = 1 ] || fail "an ingest pass failed besides the killed one: $(cat "$WORK/ingest.fail")"
wait_period_end

# Every report sent was accepted, every accepted one is on the topic, and
# nothing else (checked after the alerts are counted: a lost report shows
# there too, as alerts --simulate does not give).
topic_json duban.task-status.v1 >"$WORK/status.topic"
status_ok=1
python3 - "$WORK/accepted.ids" "$WORK/status.topic" "$WORK/status.jsonl" <<'PY' || status_ok=0
import json, sys
accepted = {l.strip() for l in open(sys.argv[1]) if l.strip()}
topic = [json.loads(l)["event_id"] for l in open(sys.argv[2]) if l.strip()]
sent = {json.loads(l)["event_id"] for l in open(sys.argv[3])}
print("duban.task-status.v1: %d events, %d distinct; %d of %d reports accepted (%d with the event_id --dry-run "
      "gives); %d accepted not on the topic, %d on the topic not accepted"
      % (len(topic), len(set(topic)), len(accepted), len(sent), len(accepted & sent),
         len(accepted - set(topic)), len(set(topic) - accepted)))
sys.exit(0 if accepted == sent and set(topic) == accepted else 1)
PY
late=$(topic_json duban.alerts.v1 | grep -c '"late":true' || true)
final_count "$MAX_INFLIGHT" "$late alerts marked late"
[ "$status_ok" = 1 ] || fail "reports lost: not every report sent is accepted and on duban.task-status.v1"
[ "$late" -gt 0 ] || fail "the alerts that came due while the alerter was dead were not marked late"
stop_workers
echo "1 passed, 0 failed"
