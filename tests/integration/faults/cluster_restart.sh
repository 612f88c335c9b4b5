#!/usr/bin/env bash
# Issue 13 fault test, CTest label `realkafka-faults` (not run by
# scripts/test.sh nor .ci/run: three JVMs on a 2-core machine). The pipeline
# of broker_kill.sh (three real brokers, RF 3, min.insync.replicas=2;
# duban-ingest over the gazettes again and again, duban-alerter on a fast
# simulated clock, duban-notifier delivering every alert to two endpoints of
# duban-receiver). While alerts are arriving the whole cluster is stopped
# (scripts/kafka.sh stop: SIGTERM to the three nodes) and stays down for
# DUBAN_FAULT_DOWN_S (15) seconds, longer than the groups' session timeout
# (6 s), while the workers keep running; then it is started again on the same
# data directories. The workers lose their group sessions, their partitions
# are revoked and assigned again, and the alerter rebuilds each partition's
# state (tasks, status, the alerts already sent) from the log the restarted
# brokers read back from disk; the alerts that came due while the cluster was
# down fire late.
# Pass: committed offsets survive: the offsets of duban-alerter,
# duban-notifier and a probe group (a duban-replay that read and committed
# the alerts topic just before the stop) are all there after the restart,
# none moved back, and the probe group, run again, reads on from where it
# was (not one alert read twice); the alerter logs a rebuild of all four
# partitions after the restart, whose "alerts already sent" add up to at
# least what the topic held at the stop; the alerts topic holds exactly the
# alerts --simulate gives, each once (nothing re-sent, nothing lost); each
# endpoint got every alert, none twice (by webhook-id at duban-receiver);
# the notifier and the alerter exit with status 0 within 20 s of SIGTERM.
# Fails if the fault did not happen: no node process may be left after the
# stop, the three clients must log connections refused while it is down, and
# deliveries must arrive before the stop and after the start.
source "$(dirname "$0")/../lib/common.bash"
source "$(dirname "$0")/../lib/notifier.bash"
source "$(dirname "$0")/../lib/faults.bash"
DOWN_S=${DUBAN_FAULT_DOWN_S:-15}
GROUPS_CHECKED=(duban-alerter duban-notifier duban-faults-probe)
# late: emitted more than 2 s (wall) after its instant (the default, 60
# simulated seconds, is less than one 50-ms tick on this clock)
ALERTER_OPTS=(--set alerter.late.after.ms=$((SPEED * 2000)))

start_all
wait_deliveries 1 5 "the stop"
# The probe group reads the alerts topic to its end and commits (at exit).
"$DUBAN_BIN_DIR/duban-replay" -b "$BS" --group duban-faults-probe --topic duban.alerts.v1 \
    --exit-at-end >"$WORK/probe1.jsonl" 2>>"$WORK/replay.log" || fail "probe group: $(tail -3 "$WORK/replay.log")"
group_offsets "$WORK/offsets.before" "${GROUPS_CHECKED[@]}"
[ "$(grep -c ' duban.alerts.v1 ' "$WORK/offsets.before")" -ge 8 ] \
    || fail "offsets before the stop: $(cat "$WORK/offsets.before" "$WORK/offsets.before.raw")"
ready_lines() { grep -c 'fac=REBUILD.*ready' "$WORK/alerter.log" || true; }
resume_lines() { grep -c 'fac=RESUME.*alert-endpoint pairs already final' "$WORK/notifier.log" || true; }
# librdkafka's lines about a refused connection to any of the three brokers
refused_by() { grep -c 'Connect to ipv4#127.0.0.1:[0-9]* failed: Connection refused' "$WORK/$1.log" || true; }
ready_before=$(ready_lines) resume_before=$(resume_lines)
refused_alerter=$(refused_by alerter) refused_notifier=$(refused_by notifier) refused_ingest=$(refused_by ingest)

stop_t0=$(date +%s%3N)
"$KAFKA" stop --dir "$KDIR" >/dev/null 2>>"$WORK/kafka.log" || fail "kafka.sh stop failed"
stopped_ms=$(($(date +%s%3N) - stop_t0))
at_stop=$(received)
for n in 1 2 3; do
    pgrep -f "$KDIR/node-$n/server.properties" >/dev/null && fail "node $n still runs after kafka.sh stop"
done
echo "$(date +%T.%N) cluster stopped in $stopped_ms ms; $at_stop of $((2 * EXPECTED)) deliveries in, $(wc -l <"$WORK/probe1.jsonl") alerts read by the probe group"
[ "$at_stop" -lt $((2 * EXPECTED)) ] || fail "every delivery had arrived before the stop"
kill -0 "$ALERTER_PID" 2>/dev/null || fail "the alerter had exited before the stop"
sleep "$DOWN_S"   # the subject, not a wait: the cluster stays down this long (alerts come due meanwhile)
refused() {
    [ "$(refused_by alerter)" -gt "$refused_alerter" ] && [ "$(refused_by notifier)" -gt "$refused_notifier" ] \
        && [ "$(refused_by ingest)" -gt "$refused_ingest" ]
}
refused || fail "after ${DOWN_S} s down, lines about refused connections: alerter $(refused_by alerter), notifier $(refused_by notifier), ingest $(refused_by ingest)"
during=$(received)
echo "$(date +%T.%N) down ${DOWN_S} s: clients refused (log lines: alerter $(refused_by alerter), notifier $(refused_by notifier), ingest $(refused_by ingest)); $((during - at_stop)) deliveries meanwhile"
start_t0=$(date +%s%3N)
"$KAFKA" start --dir "$KDIR" >/dev/null 2>>"$WORK/kafka.log" || fail "restarting the cluster: $(tail -3 "$WORK/kafka.log")"
echo "$(date +%T.%N) cluster back in $(($(date +%s%3N) - start_t0)) ms, $(brokers_listed) brokers listed"
group_offsets "$WORK/offsets.after" "${GROUPS_CHECKED[@]}"
offsets_kept "$WORK/offsets.before" "$WORK/offsets.after" || fail "committed offsets lost in the restart"
"$DUBAN_BIN_DIR/duban-replay" -b "$BS" --group duban-faults-probe --topic duban.alerts.v1 \
    --exit-at-end >"$WORK/probe2.jsonl" 2>>"$WORK/replay.log" || fail "probe group again: $(tail -3 "$WORK/replay.log")"
python3 - "$WORK/probe1.jsonl" "$WORK/probe2.jsonl" <<'PY' || fail "the probe group did not read on from its committed offsets"
import json, sys
a = [json.loads(l)["alert_id"] for l in open(sys.argv[1]) if l.strip()]
b = [json.loads(l)["alert_id"] for l in open(sys.argv[2]) if l.strip()]
both = set(a) & set(b)
print("probe group: %d alerts before the stop, %d after the start, %d read twice" % (len(a), len(b), len(both)))
sys.exit(1 if both or not a else 0)
PY

# The group sessions were lost: the alerter rebuilds all four partitions
# from the log, the notifier its delivered set; deliveries go on.
rebuilt() { [ "$(ready_lines)" -ge $((ready_before + 4)) ]; }
wait_until 90 rebuilt || fail "the alerter did not rebuild its partitions after the restart: $(grep 'REBUILD\|REBALANCE' "$WORK/alerter.log" | tail -5)"
grep 'fac=REBUILD.*ready' "$WORK/alerter.log" | tail -n +$((ready_before + 1)) | head -4 >"$WORK/rebuild.lines"
sent_rebuilt=$(( $(sed -n 's/.* \([0-9]*\) alerts already sent.*/\1/p' "$WORK/rebuild.lines" | paste -sd+) ))
echo "alerter after the restart: $(sed 's/.*msg="//; s/"$//' "$WORK/rebuild.lines" | paste -sd'|' | sed 's/|/; /g')"
echo "alerter: $sent_rebuilt alerts already sent read back from the log (the probe group had read $(wc -l <"$WORK/probe1.jsonl") before the stop)"
[ "$sent_rebuilt" -ge "$(wc -l <"$WORK/probe1.jsonl")" ] || fail "the alerter's rebuild read fewer sent alerts than the topic held"
moved_on() { [ "$(resume_lines)" -gt "$resume_before" ] && [ "$(received)" -ge $((during + 2 * EXPECTED / 10)) ]; }
wait_until 120 moved_on || fail "after the restart: $(resume_lines) notifier RESUME lines (before: $resume_before), $(received) deliveries"
echo "notifier after the restart: $(grep 'fac=RESUME.*already final' "$WORK/notifier.log" | tail -1 | sed 's/.*msg=//')"
stop_ingest_loop
[ ! -s "$WORK/ingest.fail" ] || fail "duban-ingest failed across the restart: $(grep -v 'level=info' "$WORK/ingest.log" | tail -3)"

wait_period_end
late=$(topic_json duban.alerts.v1 | grep -c '"late":true' || true)
final_count 0 "$at_stop deliveries had arrived at the stop; $late alerts marked late"
[ "$late" -gt 0 ] || fail "no alert came due while the cluster was down (none marked late)"
stop_workers
echo "1 passed, 0 failed"
