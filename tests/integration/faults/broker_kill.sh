#!/usr/bin/env bash
# Issue 13 fault test, CTest label `realkafka-faults` (not run by
# scripts/test.sh nor .ci/run: three JVMs on a 2-core machine). Three real
# Apache Kafka brokers (scripts/kafka.sh --brokers 3, KRaft quorum of three),
# duban's topics with replication factor 3 and min.insync.replicas=2.
# duban-ingest keeps producing the three gazettes (in a loop: the same tasks
# again, which the alerter must not alert twice), duban-alerter runs on a fast
# simulated clock and duban-notifier delivers every alert to two endpoints of
# duban-receiver. While alerts are arriving, one broker is killed with
# SIGKILL (it leads partitions: every node leads some of the 24) and stays down
# until the clients have lost it and the stream has moved on; then it is
# started again.
# Pass: every alert in duban.alerts.v1 reached each endpoint, none twice to
# the same endpoint (counted by webhook-id at duban-receiver), and the alerts
# topic holds no alert twice and every alert --simulate gives for the events.
# Fails if the broker was not killed mid-stream: its process must be gone,
# the cluster's metadata must list two brokers, the clients must log losing
# it, and alerts must arrive both before and after the kill.
source "$(dirname "$0")/../lib/common.bash"
source "$(dirname "$0")/../lib/notifier.bash"
KAFKA="$DUBAN_SRC_DIR/scripts/kafka.sh"
KDIR=$WORK/kafka
GAZ=${DUBAN_SHARED_DIR:?}/gazettes
GAZETTES=("$GAZ"/000_55122fd70aed731a.txt "$GAZ"/001_695d6e90fcff097e.txt "$GAZ"/002_0222121a82854d09.txt)
# At exit: the clients first (with the brokers gone they would wait on their
# commits), then the nodes (SIGKILL: nothing of theirs is kept), then
# cleanup (common.bash), which removes $WORK and the cluster's data with it.
stop_cluster() {
    local pid n
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${BG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    for n in 1 2 3; do "$KAFKA" kill --dir "$KDIR" "$n" >/dev/null 2>&1 || true; done
    cleanup
}
trap stop_cluster EXIT

"$KAFKA" start --dir "$KDIR" --brokers 3 --port 0 --bootstrap-file "$WORK/bootstrap" \
    >/dev/null 2>"$WORK/kafka.log" || fail "cluster: $(tail -5 "$WORK/kafka.log")"
BOOTSTRAP=$(cat "$WORK/bootstrap")
"$DUBAN_BIN_DIR/duban-topics" -b "$BOOTSTRAP" --set topics.partitions=4 \
    --set topics.replication.factor=3 --set topics.min.insync.replicas=2 \
    >"$WORK/topics.out" 2>"$WORK/topics.log" || fail "duban-topics: $(cat "$WORK/topics.log")"
[ "$(grep -c 'partitions=4 replicas=3' "$WORK/topics.out")" -eq 6 ] \
    || fail "topics not RF 3: $(cat "$WORK/topics.out")"
brokers_listed() { kcat -b "$BOOTSTRAP" -L -m 5 2>/dev/null | sed -n 's/^ \([0-9]*\) brokers:$/\1/p'; }
[ "$(brokers_listed)" = 3 ] || fail "the cluster does not list 3 brokers"

# What --simulate gives for the gazettes' events over the same period.
for g in "${GAZETTES[@]}"; do
    "$DUBAN_BIN_DIR/duban-ingest" --dry-run "$g" 2>/dev/null | grep -v '"DocumentPublished"' >>"$WORK/events.jsonl"
done
NOW=2021-07-01T00:00:00+08:00
UNTIL=2023-07-01T09:00:00+08:00
SPEED=${DUBAN_FAULT_SPEED:-1500000}   # simulated ms per wall ms: ~42 s for the two years
"$DUBAN_BIN_DIR/duban-alerter" --simulate --until "$UNTIL" <"$WORK/events.jsonl" \
    >"$WORK/expected.jsonl" 2>/dev/null
python3 -c 'import json,sys; [print(json.loads(l)["alert_id"]) for l in sys.stdin]' \
    <"$WORK/expected.jsonl" | sort >"$WORK/expected.ids"
EXPECTED=$(wc -l <"$WORK/expected.ids")
[ "$EXPECTED" -gt 1000 ] || fail "too few expected alerts ($EXPECTED)"

# ingest: the gazettes once, then again and again until told to stop
: >"$WORK/ingest.log"
( while [ ! -f "$WORK/ingest.stop" ]; do
      "$DUBAN_BIN_DIR/duban-ingest" -b "$BOOTSTRAP" "${GAZETTES[@]}" 2>>"$WORK/ingest.log" \
          || { echo "ingest failed" >>"$WORK/ingest.fail"; }
      echo "pass" >>"$WORK/ingest.passes"
  done ) &
BG_PIDS+=($!)
INGEST_LOOP=$!
for _ in $(seq 300); do [ -s "$WORK/ingest.passes" ] && break; sleep 0.1; done
[ -s "$WORK/ingest.passes" ] || fail "ingest did not finish a first pass: $(tail -3 "$WORK/ingest.log")"

start_receiver --quiet
cat >"$WORK/routes.json" <<JSON
{"endpoints":[{"id":"fgw","url":"$RECV/fgw","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]},
  {"id":"audit","url":"$RECV/audit","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}],
 "routes":[], "default":["fgw","audit"]}
JSON
start_notifier notifier --demo --routes "$WORK/routes.json"
ORIGIN=$(($(date +%s%3N) + 1000))
bg "$DUBAN_BIN_DIR/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" \
    --set alerter.tick.ms=50 \
    --now "$NOW" --speed "$SPEED" --clock-origin "$ORIGIN" --until "$UNTIL" 2>"$WORK/alerter.log"
ALERTER=$!

received() { wc -l <"$WORK/recv.jsonl" 2>/dev/null || echo 0; }
# kill once a fifth of the deliveries (2 per alert) have arrived
quarter() { [ "$(received)" -ge $((2 * EXPECTED / 5)) ]; }
wait_until 120 quarter || fail "too few deliveries before the kill: $(received); $(tail -2 "$WORK/alerter.log")"
VICTIM=2
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
passes_at_kill=$(wc -l <"$WORK/ingest.passes")
"$KAFKA" kill --dir "$KDIR" $VICTIM >"$WORK/kill.out" 2>>"$WORK/kafka.log" || fail "kafka.sh kill failed"
echo "$(date +%T.%N) $(cat "$WORK/kill.out"), port $victim_port; $at_kill of $((2 * EXPECTED)) deliveries in"
[ "$at_kill" -lt $((2 * EXPECTED)) ] || fail "every delivery had arrived before the kill"
kill -0 "$pid" 2>/dev/null && fail "broker pid $pid still alive after kill -9"
kill -0 "$ALERTER" 2>/dev/null || fail "the alerter had exited before the kill"
# The fault must be seen: metadata lists two brokers, the clients log the
# lost connection to the victim's port, and the stream moves on without it.
two() { [ "$(brokers_listed)" = 2 ]; }
wait_until 60 two || fail "the cluster still lists $(brokers_listed) brokers after the kill"
moved_on() {
    [ "$(lost_by alerter)" -gt "$lost_alerter" ] && [ "$(lost_by notifier)" -gt "$lost_notifier" ] \
        && [ "$(lost_by ingest)" -gt "$lost_ingest" ] \
        && [ "$(received)" -ge $((at_kill + 2 * EXPECTED / 5)) ] \
        && [ "$(wc -l <"$WORK/ingest.passes")" -gt "$passes_at_kill" ]
}
wait_until 120 moved_on || fail "after the kill: lines about losing it: alerter $(lost_by alerter), notifier $(lost_by notifier), ingest $(lost_by ingest); $(received) deliveries, $(wc -l <"$WORK/ingest.passes") ingest passes"
echo "$(date +%T.%N) clients lost the broker (log lines: alerter $(lost_by alerter), notifier $(lost_by notifier), ingest $(lost_by ingest)); $(received) deliveries, $(( $(wc -l <"$WORK/ingest.passes") - passes_at_kill )) ingest passes while it was down"
touch "$WORK/ingest.stop"
wait "$INGEST_LOOP" || true
[ ! -s "$WORK/ingest.fail" ] || fail "duban-ingest failed with a broker down: $(grep -v 'level=info' "$WORK/ingest.log" | tail -3)"
"$KAFKA" start --dir "$KDIR" >/dev/null 2>>"$WORK/kafka.log" || fail "restarting node $VICTIM"
echo "$(date +%T.%N) node $VICTIM back"

# the end of the simulated period, then every alert delivered to both endpoints
end_ms=$((ORIGIN + ($(date -d "$UNTIL" +%s%3N) - $(date -d "$NOW" +%s%3N)) / SPEED))
while [ "$(date +%s%3N)" -lt "$end_ms" ]; do sleep 1; done
topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
all_delivered() {
    topic_json duban.alerts.v1 >"$WORK/alerts.jsonl"
    python3 - "$WORK/alerts.jsonl" "$WORK/recv.jsonl" <<'PY'
import json, sys
ids = {json.loads(l)["alert_id"] for l in open(sys.argv[1]) if l.strip()}
got = {(r["path"], r["webhook_id"]) for r in map(json.loads, open(sys.argv[2])) if r["status"] == 200}
sys.exit(0 if ids and all(("/fgw", i) in got and ("/audit", i) in got for i in ids) else 1)
PY
}
wait_until 120 all_delivered || true
python3 - "$WORK/alerts.jsonl" "$WORK/recv.jsonl" "$WORK/expected.ids" "$at_kill" <<'PY' || fail "not every alert delivered exactly once per endpoint"
import collections, json, sys
alerts = [json.loads(l)["alert_id"] for l in open(sys.argv[1]) if l.strip()]
recv = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
expected = {l.strip() for l in open(sys.argv[3]) if l.strip()}
topic_dups = sum(v - 1 for v in collections.Counter(alerts).values())
ok = 0
for endpoint in ("/fgw", "/audit"):
    c = collections.Counter(r["webhook_id"] for r in recv if r["path"] == endpoint and r["status"] == 200)
    missing = [a for a in set(alerts) if c[a] == 0]
    twice = [k for k, v in c.items() if v > 1]
    unknown = [k for k in c if k not in set(alerts)]
    print("endpoint %s: %d alerts in the topic, %d received, %d distinct webhook-ids, %d missing, "
          "%d received twice or more, %d not in the topic"
          % (endpoint, len(set(alerts)), sum(c.values()), len(c), len(missing), len(twice), len(unknown)))
    ok += not missing and not twice and not unknown
missing_sim = expected - set(alerts)
extra_sim = set(alerts) - expected
print("alerts topic: %d alerts, %d duplicated; --simulate gives %d: %d missing, %d extra; "
      "%s deliveries had arrived at the kill" % (len(alerts), topic_dups, len(expected),
                                                len(missing_sim), len(extra_sim), sys.argv[4]))
sys.exit(0 if ok == 2 and topic_dups == 0 and not missing_sim and not extra_sim else 1)
PY
echo "1 passed, 0 failed"
