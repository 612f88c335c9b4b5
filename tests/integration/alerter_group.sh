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
ready() { grep -q 'fac=REBUILD.*ready' "$WORK/$1.log"; }
alerter a
PID_A=${BG_PIDS[-1]}
wait_until 30 ready a || fail "instance a never got partitions: $(tail -3 "$WORK/a.log")"
alerter b
PID_B=${BG_PIDS[-1]}
# The second member owns partitions after a rebalance (~ the session timeout),
# and then rebuilds them before it says ready: 20 s was passed once when CI's
# other tests loaded the 2 cores (2026-12-07); 45 s leaves room for that.
wait_until 45 ready b || fail "instance b never got partitions: $(tail -3 "$WORK/b.log")"
count_alerts() {
    "$DUBAN_BIN_DIR/duban-replay" -b "$BOOTSTRAP" --topic duban.alerts.v1 --exit-at-end \
        2>/dev/null | wc -l
}
# Kill a once alerts are flowing (some sent, not all).
flowing() { before=$(count_alerts); [ "$before" -gt 0 ]; }
wait_until 20 flowing || fail "no alert before the kill"
kill -9 "$PID_A"
echo "killed instance a with $before alerts in the topic (of $(wc -l <"$WORK/expected.ids"))"
[ "$before" -lt "$(wc -l <"$WORK/expected.ids")" ] || fail "everything was sent before the kill"

# b takes over a's partitions once a's session times out (plus the mock's
# rebalance delay, slower under ASan): it rebuilds them (more "ready" lines).
took_over() { [ "$(grep -c 'fac=REBUILD.*ready' "$WORK/b.log")" -gt 2 ]; }
wait_until 60 took_over || fail "b did not take over a's partitions: $(grep REBUILD "$WORK/b.log")"
# Every alert is due once the clock passes UNTIL (end_ms) and b owns every
# partition: wait until the topic holds as many alerts as --simulate gives
# (the check below finds any extra), up to a minute after the clock's end.
want=$(wc -l <"$WORK/expected.ids")
end_ms=$((ORIGIN + ($(date -d "$UNTIL" +%s%3N) - $(date -d "$NOW" +%s%3N)) / SPEED))
all_sent() { [ "$(count_alerts)" -ge "$want" ]; }
wait_until $(((end_ms - $(date +%s%3N)) / 1000 + 60)) all_sent \
    || fail "the topic holds $(count_alerts) of the $want alerts a minute after the clock's end"
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
