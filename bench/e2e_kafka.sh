#!/usr/bin/env bash
# bench/e2e_kafka.sh: the whole pipeline on real Apache Kafka, gazette in ->
# webhook received (issue 13's benchmark), at about RATE alerts/s.
#   1. a cluster by scripts/kafka.sh (BROKERS, default 3: RF 3,
#      min.insync.replicas=2; 1: one node), duban's topics with 4 partitions;
#   2. duban-receiver (one endpoint), duban-notifier (--demo: loopback);
#   3. gazette in: duban-ingest publishes the three shared gazettes (1,037
#      tasks, 50 documents); its wall time is printed;
#   4. duban-alerter on a simulated clock from NOW to UNTIL (four years: what
#      `duban-alerter --simulate` gives for these tasks, about 35,000 alerts
#      at the 09:00s of working days), its speed set so that the alerts come
#      due at RATE per wall second on average (they come in 09:00 bursts of
#      up to 168);
#   5. every webhook received, each alert's latency:
#        due -> received    receive time - the wall instant at which the
#                           alerter's clock read the alert's fire_at (so it
#                           holds the alerter's tick, its produce with
#                           acks=all, the notifier's consume and the HTTP);
#        sent -> received   receive time - the alert record's Kafka
#                           timestamp (the alerter's produce), read back
#                           with duban-replay --meta.
#      p50/p99/max of both, the rate reached (alerts/s over the run and over
#      its busiest second), and every alert must arrive once.
# The simulated clock advances every alerter.tick.ms (TICK, default 20 ms of
# wall time); on the real clock the alerter wakes at the next fire_at
# instead, so "due -> received" holds up to one tick that production has not.
# The notifier's peak queue and in-flight count (its STATS lines) are printed
# too: a delivery holds one of notifier.max.inflight slots until its
# DeliveryAttempt is acknowledged (acks=all), which bounds its rate (set
# DUBAN_NOTIFIER_MAX_INFLIGHT to try another bound).
# Env: BROKERS=3 RATE=1000 TICK=20, KEEP=1 keeps the logs (the data goes). Usage: bench/e2e_kafka.sh [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bin}
BROKERS=${BROKERS:-3}
RATE=${RATE:-1000}
TICK=${TICK:-20}
G=${DUBAN_SHARED_DIR:-$(cd .. && pwd)/shared}/gazettes
GAZETTES=("$G/000_55122fd70aed731a.txt" "$G/001_695d6e90fcff097e.txt" "$G/002_0222121a82854d09.txt")
NOW=2021-07-01T00:00:00+08:00
UNTIL=2025-07-01T09:00:00+08:00
W=$(mktemp -d)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    scripts/kafka.sh stop --dir "$W/kafka" >/dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then echo "e2e-kafka: logs kept in $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
say() { echo "e2e-kafka: $*"; }

scripts/kafka.sh start --dir "$W/kafka" --port 0 --brokers "$BROKERS" --bootstrap-file "$W/bs" \
    >/dev/null 2>"$W/kafka.log" || { cat "$W/kafka.log" >&2; exit 1; }
BS=$(cat "$W/bs")
rf=$((BROKERS < 3 ? BROKERS : 3))
isr=$((BROKERS < 3 ? 1 : 2))
"$BIN/duban-topics" -b "$BS" --set topics.partitions=4 --set topics.replication.factor=$rf \
    --set topics.min.insync.replicas=$isr >/dev/null 2>"$W/topics.log"
say "$BROKERS broker(s), duban's topics with 4 partitions, RF $rf, min.insync.replicas $isr"

# what the alerter will emit over the period, and the speed for RATE/s
for g in "${GAZETTES[@]}"; do
    "$BIN/duban-ingest" --dry-run "$g" 2>/dev/null | grep -v '"DocumentPublished"'
done >"$W/events.jsonl"
"$BIN/duban-alerter" --simulate --until "$UNTIL" <"$W/events.jsonl" >"$W/expected.jsonl" 2>/dev/null
EXPECTED=$(wc -l <"$W/expected.jsonl")
span_ms=$(( $(date -d "$UNTIL" +%s%3N) - $(date -d "$NOW" +%s%3N) ))
SPEED=$(( span_ms * RATE / (EXPECTED * 1000) ))

"$BIN/duban-receiver" --quiet --port-file "$W/recv.url" --log "$W/recv.jsonl" \
    >/dev/null 2>"$W/recv.err" &
pids+=($!)
for _ in $(seq 50); do [ -s "$W/recv.url" ] && break; sleep 0.1; done
RECV=$(cat "$W/recv.url")
cat >"$W/routes.json" <<JSON
{"endpoints":[{"id":"e2e","url":"$RECV/e2e","format":"json",
   "secrets":["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]}],
 "routes":[], "default":["e2e"]}
JSON
GROUP_OPTS=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=1000)
"$BIN/duban-notifier" -b "$BS" "${GROUP_OPTS[@]}" --demo --routes "$W/routes.json" \
    2>"$W/notifier.log" &
pids+=($!)

t0=$(date +%s%3N)
"$BIN/duban-ingest" -b "$BS" "${GAZETTES[@]}" 2>"$W/ingest.log"
say "gazette in: duban-ingest published $(grep -c '"TaskAssigned"' "$W/events.jsonl") tasks" \
    "of 3 gazettes in $(( $(date +%s%3N) - t0 )) ms (acks=all)"

# the clock starts 8 s from now: the alerter has joined and rebuilt by then
ORIGIN=$(( $(date +%s%3N) + 8000 ))
END_MS=$(( ORIGIN + span_ms / SPEED ))
"$BIN/duban-alerter" -b "$BS" "${GROUP_OPTS[@]}" --set alerter.tick.ms="$TICK" \
    --now "$NOW" --speed "$SPEED" --clock-origin "$ORIGIN" --until "$UNTIL" 2>"$W/alerter.log" &
pids+=($!)
say "duban-notifier: notifier.max.inflight ${DUBAN_NOTIFIER_MAX_INFLIGHT:-64 (the default)}"
say "duban-alerter: $EXPECTED alerts due from $NOW to $UNTIL, clock at ${SPEED}x" \
    "(the period in $(( span_ms / SPEED / 1000 )) s: $RATE alerts/s on average), tick $TICK ms"
while [ "$(date +%s%3N)" -lt $((END_MS + 30000)) ]; do
    [ "$(wc -l <"$W/recv.jsonl" 2>/dev/null || echo 0)" -ge "$EXPECTED" ] && break
    sleep 0.5
done
sleep 2
"$BIN/duban-replay" -b "$BS" --topic duban.alerts.v1 --meta --exit-at-end \
    >"$W/alerts.jsonl" 2>"$W/replay.log" || true

python3 - "$W" "$NOW" "$ORIGIN" "$SPEED" "$EXPECTED" <<'PY'
import collections, datetime, json, sys
w, now, origin, speed, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ms = lambda s: int(datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000)
now_ms = ms(now)
sent = {}
for line in open(w + "/alerts.jsonl"):
    ev = json.loads(line)
    meta = ev.get("_kafka", {})
    if "alert_id" in ev and "timestamp" in meta:
        sent[ev["alert_id"]] = ms(meta["timestamp"])
due_lat, sent_lat, seen, per_s = [], [], collections.Counter(), collections.Counter()
for line in open(w + "/recv.jsonl"):
    r = json.loads(line)
    data = json.loads(r["body"])["data"]
    seen[data["alert_id"]] += 1
    if seen[data["alert_id"]] > 1:
        continue
    due_wall = origin + (ms(data["fire_at"]) - now_ms) / speed
    due_lat.append(r["t_ms"] - due_wall)
    per_s[int(due_wall // 1000)] += 1
    if data["alert_id"] in sent:
        sent_lat.append(r["t_ms"] - sent[data["alert_id"]])
def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")
twice = sum(1 for c in seen.values() if c > 1)
span = (max(per_s) - min(per_s) + 1) if per_s else 1
print("e2e-kafka: received %d of %d alerts (%d twice); due at %.0f/s over %d s, %d in the busiest second"
      % (len(seen), expected, twice, len(seen) / span, span, max(per_s.values()) if per_s else 0))
print("e2e-kafka: due -> received:  p50 %.0f ms, p99 %.0f ms, max %.0f ms" %
      (q(due_lat, .5), q(due_lat, .99), max(due_lat) if due_lat else float("nan")))
print("e2e-kafka: sent -> received: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d alerts matched on duban.alerts.v1)" %
      (q(sent_lat, .5), q(sent_lat, .99), max(sent_lat) if sent_lat else float("nan"), len(sent_lat)))
# the notifier's own figures (a STATS line per endpoint every 5 s)
peak = {"queued": 0, "in_flight": 0, "oldest_queued_ms": 0}
for line in open(w + "/notifier.log"):
    if 'msg="endpoint"' in line:
        for f in line.split():
            k, _, v = f.partition("=")
            if k in peak and v.isdigit():
                peak[k] = max(peak[k], int(v))
print("e2e-kafka: notifier at its busiest: %d queued, %d in flight, oldest queued %d ms" %
      (peak["queued"], peak["in_flight"], peak["oldest_queued_ms"]))
sys.exit(0 if len(seen) == expected and twice == 0 else 1)
PY
