#!/usr/bin/env bash
# Issue 13 fault test, CTest label `realkafka-faults` (not run by
# scripts/test.sh nor .ci/run: three JVMs on a 2-core machine). Three real
# Apache Kafka brokers (scripts/kafka.sh --brokers 3, KRaft quorum of three),
# duban's topics with replication factor 3 and min.insync.replicas=2.
# duban-ingest keeps producing the three gazettes (in a loop: the same tasks
# again, which the alerter must not alert twice), duban-alerter runs on a fast
# simulated clock and duban-notifier delivers every alert to two endpoints of
# duban-receiver. While alerts are arriving, one broker is killed with
# SIGKILL and stays down until the clients have lost it and the stream has
# moved on; then it is started again. The broker killed is the coordinator
# of the notifier's group (the leader of its __consumer_offsets partition;
# DUBAN_FAULT_VICTIM=N picks another): the group's session times out, the
# notifier's partitions are revoked and assigned again, and it rebuilds what
# was delivered from duban.deliveries.v1 while a broker is missing.
# Pass: every alert in duban.alerts.v1 reached each endpoint, none twice to
# the same endpoint (counted by webhook-id at duban-receiver), the alerts
# topic holds no alert twice and every alert --simulate gives for the
# events; the notifier's loop never stopped turning (a STATS line at least
# every 15 s from the kill on), and the notifier and the alerter exit with
# status 0 within 20 s of SIGTERM at the end.
# Fails if the broker was not killed mid-stream: its process must be gone,
# the cluster's metadata must list two brokers, the clients must log losing
# it, and alerts must arrive both before and after the kill.
source "$(dirname "$0")/../lib/common.bash"
source "$(dirname "$0")/../lib/notifier.bash"
source "$(dirname "$0")/../lib/faults.bash"

start_all
wait_deliveries 1 5 "the kill"   # kill once a fifth of the deliveries have arrived
coordinator=$(group_coordinator duban-notifier)
VICTIM=${DUBAN_FAULT_VICTIM:-$coordinator}
[ -n "$VICTIM" ] || fail "no coordinator found for the group duban-notifier"
pid=$(cat "$KDIR/node-$VICTIM/pid")
grep -q "node-$VICTIM/server.properties" "/proc/$pid/cmdline" || fail "node $VICTIM is not running"
victim_port=$(sed -n "s/^BROKER_PORT_$VICTIM=//p" "$KDIR/cluster.env")
at_kill=$(received)
# librdkafka's lines about the victim: its connection dropped or refused
lost_by() {
    grep -c "127.0.0.1:$victim_port/[0-9a-z]*: \(Disconnected\|Connect to .* failed: Connection refused\)" \
        "$WORK/$1.log" || true
}
lost_alerter=$(lost_by alerter) lost_notifier=$(lost_by notifier) lost_ingest=$(lost_by ingest)
passes_at_kill=$(ingest_passes)
kill_ms=$(date +%s%3N)
"$KAFKA" kill --dir "$KDIR" "$VICTIM" >"$WORK/kill.out" 2>>"$WORK/kafka.log" || fail "kafka.sh kill failed"
echo "$(date +%T.%N) $(cat "$WORK/kill.out"), port $victim_port (coordinator of duban-notifier: node $coordinator); $at_kill of $((2 * EXPECTED)) deliveries in"
[ "$at_kill" -lt $((2 * EXPECTED)) ] || fail "every delivery had arrived before the kill"
kill -0 "$pid" 2>/dev/null && fail "broker pid $pid still alive after kill -9"
kill -0 "$ALERTER_PID" 2>/dev/null || fail "the alerter had exited before the kill"
# The fault must be seen: metadata lists two brokers, the clients log the
# lost connection to the victim's port, and the stream moves on without it.
two() { [ "$(brokers_listed)" = 2 ]; }
wait_until 60 two || fail "the cluster still lists $(brokers_listed) brokers after the kill"
moved_on() {
    [ "$(lost_by alerter)" -gt "$lost_alerter" ] && [ "$(lost_by notifier)" -gt "$lost_notifier" ] \
        && [ "$(lost_by ingest)" -gt "$lost_ingest" ] \
        && [ "$(received)" -ge $((at_kill + 2 * EXPECTED / 5)) ] \
        && [ "$(ingest_passes)" -gt "$passes_at_kill" ]
}
wait_until 120 moved_on || fail "after the kill: lines about losing it: alerter $(lost_by alerter), notifier $(lost_by notifier), ingest $(lost_by ingest); $(received) deliveries, $(ingest_passes) ingest passes"
echo "$(date +%T.%N) clients lost the broker (log lines: alerter $(lost_by alerter), notifier $(lost_by notifier), ingest $(lost_by ingest)); $(received) deliveries, $(( $(ingest_passes) - passes_at_kill )) ingest passes while it was down"
stop_ingest_loop
[ ! -s "$WORK/ingest.fail" ] || fail "duban-ingest failed with a broker down: $(grep -v 'level=info' "$WORK/ingest.log" | tail -3)"
"$KAFKA" start --dir "$KDIR" >/dev/null 2>>"$WORK/kafka.log" || fail "restarting node $VICTIM"
echo "$(date +%T.%N) node $VICTIM back"

# the end of the simulated period, then every alert delivered to both endpoints
wait_period_end
final_count 0 "$at_kill deliveries had arrived at the kill"
revoked=$(grep -c 'fac=REBALANCE msg="revoked' "$WORK/notifier.log" || true)
echo "notifier: $revoked partitions revoked; $(grep 'fac=RESUME' "$WORK/notifier.log" | sed 's/.*msg=//' | paste -sd'|' | sed 's/|/ | /g')"
gap=$(stats_gap notifier "$kill_ms")
echo "notifier: longest time without a STATS line from the kill on: $gap ms"
[ "$gap" -ge 0 ] && [ "$gap" -le 15000 ] || fail "the notifier's loop stopped turning for $gap ms"
stop_workers
echo "1 passed, 0 failed"
