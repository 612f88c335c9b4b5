#!/usr/bin/env bash
# Issue 14 item 4, for duban-alerter: /metrics and /healthz on ops.listen
# (common/ops). Scraped while events flow, the counters move and agree with
# the topics: events in per topic, alerts out (in all, by kind), dead
# letters out, consumer lag back to 0; every scrape parses as Prometheus
# text format (Debian's python3-prometheus-client parser). /healthz is 503
# until partitions are assigned and rebuilt, 200 then, 503 while the broker
# is down and 200 after it is back.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/ops.bash"
B=$DUBAN_BIN_DIR

start_broker --partitions 2
bg "$B/duban-alerter" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --now 2021-12-15T00:00:00+08:00 \
    --set ops.listen=127.0.0.1:0 2>"$WORK/alerter.log"
ops_url "$WORK/alerter.log"
wait_until 30 ops_ready || fail "never ready: $(cat "$WORK/health.json")"
grep -q '"ready":true' "$WORK/health.json" || fail "healthz body: $(cat "$WORK/health.json")"

scrape() { ops_scrape "$1" duban_events_in=counter duban_consumer_lag=gauge; }
value() { ops_value "$@"; }
scrape m0
[ "$(value m0 'duban_partitions_assigned')" -eq 2 ] || fail "partitions assigned"
[ "$(value m0 'duban_events_in_total{topic=duban.tasks.v1}')" -eq 0 ] || fail "events before any"

# events flow: the gazettes, a status change, one undecodable message
"$B/duban-ingest" -b "$BOOTSTRAP" "${DUBAN_SHARED_DIR:?}"/gazettes/*.txt >/dev/null 2>"$WORK/ingest.log" \
    || fail "ingest"
printf 'duban.tasks.v1\tbad\t00000000ff\n' | "$B/duban-produce-json" --raw -b "$BOOTSTRAP" 2>/dev/null \
    || fail "raw"
# the tasks ingest published (its summary lines), and the one undecodable record
want=$(awk '/ documents, [0-9]+ tasks,/ { for (i = 1; i < NF; i++) if ($(i + 1) == "tasks,") n += $i }
            END { print n + 1 }' "$WORK/ingest.log")
[ "$want" -gt 1000 ] || fail "ingest summary: $(cat "$WORK/ingest.log")"
tasks_in() { scrape m1; [ "$(value m1 'duban_events_in_total{topic=duban.tasks.v1}')" -ge "$want" ]; }
wait_until 30 tasks_in || fail "events in did not reach $want: $(grep events_in "$WORK/m1.txt")"
caught_up() {
    scrape m2
    python3 - "$WORK/m2.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
lag = [v for k, v in m.items() if k.startswith("duban_consumer_lag")]
sys.exit(0 if len(lag) == 4 and all(v == 0 for v in lag) else 1)
PY
}
wait_until 30 caught_up || fail "lag not back to 0: $(grep lag "$WORK/m2.txt")"
topic_count() {
    "$B/duban-replay" -b "$BOOTSTRAP" --topic "$1" --exit-at-end 2>/dev/null | wc -l
}
# The alerts of the last events: produced (the counter) and on the topic,
# the same number twice in a row.
alerts=-1
alerts_settled() {
    local before=$alerts
    scrape m2
    alerts=$(topic_count duban.alerts.v1)
    [ "$alerts" -gt 0 ] && [ "$alerts" = "$before" ] &&
        [ "$(value m2 'duban_events_out_total{topic=duban.alerts.v1}')" = "$alerts" ]
}
wait_until 30 alerts_settled || fail "alerts out $(value m2 'duban_events_out_total{topic=duban.alerts.v1}') never settled at the topic's $alerts"
python3 - "$WORK/m2.json" "$alerts" "$want" <<'PY' || fail "counters do not match the topics"
import json, sys
m, alerts, want = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3])
kinds = sum(v for k, v in m.items() if k.startswith("duban_alerts_fired_total{"))
print("tasks in %d, alerts out %d (topic %d, by kind %d), dead letters %d" % (
    m["duban_events_in_total{topic=duban.tasks.v1}"], m["duban_events_out_total{topic=duban.alerts.v1}"],
    alerts, kinds, m["duban_events_out_total{topic=duban.dlq.v1}"]))
ok = (m["duban_events_in_total{topic=duban.tasks.v1}"] == want
      and alerts > 0 and m["duban_events_out_total{topic=duban.alerts.v1}"] == alerts == kinds
      and m["duban_events_out_total{topic=duban.dlq.v1}"] == 1
      and m["duban_produce_errors_total"] == 0 and m["duban_alerter_tasks"] > 0)
sys.exit(0 if ok else 1)
PY
[ "$(topic_count duban.dlq.v1)" -eq 1 ] || fail "dlq topic"

# a status change moves its counter
"$B/duban-status" -b "$BOOTSTRAP" report --force --task '石大政发〔2022〕56号#二' --from IN_PROGRESS \
    --to COMPLETED --actor test --at 2021-12-16T10:00:00+08:00 >/dev/null 2>"$WORK/status.log" \
    || fail "status: $(cat "$WORK/status.log")"
status_in() { scrape m3; [ "$(value m3 'duban_events_in_total{topic=duban.task-status.v1}')" -eq 1 ]; }
wait_until 20 status_in || fail "status counter did not move"

# the broker goes away and comes back
broker_cmd down -1
wait_until 30 ops_not_ready || fail "still ready with the broker down"
grep -q 'no broker answers' "$WORK/health.json" || fail "reason: $(cat "$WORK/health.json")"
broker_cmd up -1
wait_until 60 ops_ready || fail "not ready again after the broker came back: $(cat "$WORK/health.json")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$OPS/metrics")" = 405 ] || fail "POST not 405"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$OPS/nope")" = 404 ] || fail "unknown path not 404"
echo "1 passed, 0 failed"
