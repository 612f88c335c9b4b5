#!/usr/bin/env bash
# Two duban-alerter instances in one group over 4 partitions share a fast
# simulated clock (2021-07-01 -> 2023-07-01 in ~32 s). One is SIGKILLed while
# alerts are coming due; the survivor rebuilds the dead one's partitions
# from their history (tasks, status, alerts already sent) and takes over.
# Afterwards duban.alerts.v1 must hold every alert_id that --simulate gives
# for the same events exactly once, and nothing else.
source "$(dirname "$0")/lib/common.bash"
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
FIX=$DUBAN_SRC_DIR/tests/fixtures/alerter
start_broker --partitions 4

for g in 000_55122fd70aed731a 001_695d6e90fcff097e 002_0222121a82854d09; do
    "$DUBAN_BIN_DIR/duban-ingest" --dry-run "$GAZ/$g.txt" 2>/dev/null | grep -v '"DocumentPublished"' >>"$WORK/events.jsonl"
done
# The scripted status changes that Avro can carry (not the bad date).
grep -v '"test-bad2"' "$FIX/status.jsonl" >>"$WORK/events.jsonl"
"$DUBAN_BIN_DIR/duban-produce-json" -b "$BOOTSTRAP" "$WORK/events.jsonl" 2>"$WORK/produce.log" \
    || fail "producing events: $(cat "$WORK/produce.log")"

NOW=2021-07-01T00:00:00+08:00
UNTIL=2023-07-01T09:00:00+08:00
SPEED=2000000   # 2e6 simulated ms per wall ms: 24 days a second
LATE_MS=$((SPEED * 400))   # late: emitted 400 ms (wall) after its instant
"$DUBAN_BIN_DIR/duban-alerter" --simulate --until "$UNTIL" <"$WORK/events.jsonl" \
    >"$WORK/expected.jsonl" 2>/dev/null
python3 -c 'import json,sys; [print(json.loads(l)["alert_id"]) for l in sys.stdin]' \
    <"$WORK/expected.jsonl" | sort >"$WORK/expected.ids"
[ "$(wc -l <"$WORK/expected.ids")" -gt 1000 ] || fail "too few expected alerts"

ORIGIN=$(($(date +%s%3N) + 1000))
alerter() {   # alerter NAME
    bg "$DUBAN_BIN_DIR/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" \
        --set alerter.group=alerter-group-test --set alerter.tick.ms=50 \
        --set alerter.late.after.ms=$LATE_MS \
        --now "$NOW" --speed "$SPEED" --clock-origin "$ORIGIN" --until "$UNTIL" \
        2>"$WORK/$1.log"
}
alerter a
PID_A=${BG_PIDS[-1]}
for i in $(seq 300); do grep -q 'fac=REBUILD.*ready' "$WORK/a.log" && break; sleep 0.1; done
grep -q 'fac=REBUILD.*ready' "$WORK/a.log" || fail "instance a never got partitions"
alerter b
PID_B=${BG_PIDS[-1]}
# Wait for the second member to own partitions (rebalance ~ session timeout).
for i in $(seq 200); do grep -q 'fac=REBUILD.*ready' "$WORK/b.log" && break; sleep 0.1; done
grep -q 'fac=REBUILD.*ready' "$WORK/b.log" || fail "instance b never got partitions"
count_alerts() {
    "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end \
        2>/dev/null | wc -l
}
# Kill a once alerts are flowing (some sent, not all).
for i in $(seq 100); do before=$(count_alerts); [ "$before" -gt 0 ] && break; sleep 0.2; done
[ "$before" -gt 0 ] || fail "no alert before the kill"
kill -9 "$PID_A"
echo "killed instance a with $before alerts in the topic (of $(wc -l <"$WORK/expected.ids"))"
[ "$before" -lt "$(wc -l <"$WORK/expected.ids")" ] || fail "everything was sent before the kill"

# b takes over after a's session times out; wait until the clock is past
# UNTIL, then until the topic holds every alert.
end_ms=$((ORIGIN + ($(date -d "$UNTIL" +%s%3N) - $(date -d "$NOW" +%s%3N)) / SPEED))
while [ "$(date +%s%3N)" -lt "$end_ms" ]; do sleep 1; done
# The topic can stand still while b waits for the group to hand it a's
# partitions (session timeout + the mock's rebalance delay, slower under
# ASan): wait for the takeover first (up to 60 s), then for the topic to settle.
for i in $(seq 600); do
    [ "$(grep -c 'fac=REBUILD.*ready' "$WORK/b.log")" -gt 2 ] && break
    sleep 0.1
done
# Then every alert is due (the clock is past UNTIL) and b owns every
# partition: wait until the topic holds as many alerts as --simulate gives
# (a condition, not a quiet period); the check below finds any extra.
want=$(wc -l <"$WORK/expected.ids")
for i in $(seq 120); do
    [ "$(count_alerts)" -ge "$want" ] && break
    sleep 0.5
done
grep -q 'partition [0-9] ready' "$WORK/b.log" || fail "b never rebuilt"
[ "$(grep -c 'fac=REBUILD.*ready' "$WORK/b.log")" -gt 2 ] || fail "b did not take over a's partitions"

"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end \
    >"$WORK/alerts.jsonl" 2>/dev/null
python3 -c 'import json,sys; [print(json.loads(l)["alert_id"]) for l in sys.stdin]' \
    <"$WORK/alerts.jsonl" | sort >"$WORK/got.ids"
dups=$(uniq -d "$WORK/got.ids" | wc -l)
missing=$(comm -23 "$WORK/expected.ids" <(sort -u "$WORK/got.ids") | wc -l)
extra=$(comm -13 "$WORK/expected.ids" <(sort -u "$WORK/got.ids") | wc -l)
late=$(grep -c '"late":true' "$WORK/alerts.jsonl" || true)
echo "expected $(wc -l <"$WORK/expected.ids"), got $(wc -l <"$WORK/got.ids"): $dups duplicated, $missing missing, $extra extra; $late marked late"
[ "$dups" -eq 0 ] && [ "$missing" -eq 0 ] && [ "$extra" -eq 0 ] || {
    grep -h 'REBUILD\|REVOKE\|error' "$WORK/a.log" "$WORK/b.log" | tail -20
    fail "alerts topic does not hold every expected alert exactly once"
}
[ "$late" -gt 0 ] || fail "the alerts missed while a was dead were not marked late"
# Every alert is keyed by its task and sits in the partition of the task.
"$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --topic duban.tasks.v1 \
    --exit-at-end --meta >"$WORK/meta.jsonl" 2>/dev/null
python3 - "$WORK/meta.jsonl" <<'PY' || fail "alerts not keyed and partitioned by task"
import json, sys
part, alerts = {}, []
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    if e["type"] == "TaskAssigned":
        part[e["task_id"]] = e["_kafka"]["partition"]
    elif e["type"] == "DeadlineAlert":
        alerts.append(e)
bad = [a["alert_id"] for a in alerts
       if a["_kafka"]["key"] != a["task_id"] or a["_kafka"]["partition"] != part[a["task_id"]]]
print("%d alerts checked for key and partition, %d wrong" % (len(alerts), len(bad)))
sys.exit(1 if bad or not alerts else 0)
PY
