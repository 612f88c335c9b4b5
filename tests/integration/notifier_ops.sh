#!/usr/bin/env bash
# Issue 14 item 4, for duban-notifier: /metrics and /healthz on ops.listen,
# SIGHUP reload of the routing file, SIGTERM drain.
# - /healthz turns ready once partitions are assigned and their delivered
#   sets built; 503 naming the reason while the broker is down.
# - /metrics, scraped while 200 alerts flow to a rate-limited endpoint (40/s),
#   moves: events in, deliveries by endpoint and outcome, requests, queue
#   gauges; never goes back; at the end it agrees with the topics
#   (DeliveryAttempt records, dead letters) and with the receiver. An
#   endpoint answering 500 opens its breaker (circuit gauge 1) and its alerts
#   are dead-lettered. Every scrape parses as Prometheus text.
# - SIGHUP with a routing file sending D-x to a new endpoint b: the next
#   alert goes to b only. SIGHUP with a broken file: an error line naming
#   the file and the fault, the next alert still goes to b.
# - SIGTERM while a request is out: the request ends, its outcome is
#   recorded and committed, the process exits 0; a restart in the same group
#   finds no alert after the committed offsets and sends only a new one.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"
source "$(dirname "$0")/lib/ops.bash"

start_broker --partitions 2
start_receiver --rule /a=200 --rule /b=200 --rule /flaky=500
routes() {  # routes FILE ENDPOINT-FOR-D-x
    cat >"$1" <<JSON
{"endpoints":[$(json_endpoint "$2" ',"rate":{"limit":40,"window_ms":1000,"margin_ms":100}'),
              $(json_endpoint flaky ',"retry":{"max_attempts":3,"base_ms":100,"max_ms":200},
                "breaker":{"failures":2,"cooldown_ms":60000}')],
 "routes":[{"department":"D-x","endpoints":["$2"]},{"department":"D-f","endpoints":["flaky"]}]}
JSON
}
routes "$WORK/routes.json" a
start_notifier notifier --demo --routes "$WORK/routes.json" --set ops.listen=127.0.0.1:0
ops_url "$WORK/notifier.log"

wait_until 30 ops_ready || fail "never ready: $(cat "$WORK/health.json")"
grep -q '"ready":true' "$WORK/health.json" || fail "healthz body: $(cat "$WORK/health.json")"
TYPES=(duban_events_in=counter duban_deliveries=counter duban_webhook_retry_queue=gauge
       duban_webhook_circuit_open=gauge duban_consumer_lag=gauge)
ops_scrape m0 "${TYPES[@]}"
[ "$(ops_value m0 duban_partitions_assigned)" -eq 2 ] || fail "partitions assigned"
[ "$(ops_value m0 'duban_events_in_total{topic=duban.alerts.v1}')" -eq 0 ] || fail "events before any"
[ "$(ops_value m0 'duban_webhook_circuit_open{endpoint=flaky}')" -eq 0 ] || fail "breaker open at start"

# 200 alerts for a (40 per second: about 5 s), 5 for flaky; scraped meanwhile
produce_alerts 200 --prefix x --dept D-x
produce_alerts 5 --prefix f --dept D-f
: >"$WORK/series.txt"
delivered_a() {
    ops_scrape m1 "${TYPES[@]}"
    python3 - "$WORK/m1.json" >>"$WORK/series.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(int(m.get("duban_events_in_total{topic=duban.alerts.v1}", 0)),
      int(m.get("duban_deliveries_total{endpoint=a}{outcome=DELIVERED}", 0)),
      int(m.get("duban_webhook_requests_total{endpoint=a}", 0)),
      int(m.get("duban_webhook_queued{endpoint=a}", 0)))
PY
    [ "$(tail -1 "$WORK/series.txt" | cut -d' ' -f2)" -ge 200 ]
}
wait_until 60 delivered_a || fail "a's deliveries did not reach 200: $(tail -3 "$WORK/series.txt")"
python3 - "$WORK/series.txt" <<'PY' || fail "counters did not move while alerts flowed"
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
print("%d scrapes while 200 alerts went to a: delivered %s" % (len(rows), [r[1] for r in rows]))
for i in range(3):
    assert all(rows[k][i] <= rows[k + 1][i] for k in range(len(rows) - 1)), ("went back", i)
assert any(0 < r[1] < 200 for r in rows), "no scrape saw deliveries under way"
assert any(r[3] > 0 for r in rows), "queued gauge never above 0"
assert rows[-1][1] == rows[-1][2] == 200, rows[-1]
PY
# flaky: 2 failures open the breaker, the rest fail fast: 5 dead letters
flaky_dead() {
    ops_scrape m2 "${TYPES[@]}"
    [ "$(ops_value m2 'duban_deliveries_total{endpoint=flaky}{outcome=DEAD_LETTERED}')" -eq 5 ]
}
wait_until 30 flaky_dead || fail "flaky not dead-lettered: $(grep flaky "$WORK/m2.txt")"
# the counters and gauges match the topics (the gauges follow within a
# second: polled until they agree, not slept on)
counters_match() {
    ops_scrape m2 "${TYPES[@]}"
    topic_json duban.deliveries.v1 >"$WORK/deliveries.jsonl"
    topic_json duban.dlq.v1 >"$WORK/dlq.jsonl"
    python3 - "$WORK/m2.json" "$WORK/deliveries.jsonl" "$(wc -l <"$WORK/dlq.jsonl")" "$(recv_count /a)" \
        "$(recv_count /flaky)" >"$WORK/match.out" 2>&1 <<'PY'
import json, sys
from collections import Counter
m = json.load(open(sys.argv[1]))
recs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
dlq, recv_a, recv_flaky = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
by = Counter((r["endpoint_id"], r["outcome"]) for r in recs)
def v(k): return int(m.get(k, -1))
print("records %d %s, dead letters %d, a received %d, flaky %d" % (len(recs), dict(by), dlq,
                                                                  recv_a, recv_flaky))
checks = {
    "events in": v("duban_events_in_total{topic=duban.alerts.v1}") == 205,
    "deliveries out": v("duban_events_out_total{topic=duban.deliveries.v1}") == len(recs),
    "dlq out": v("duban_events_out_total{topic=duban.dlq.v1}") == dlq == 5,
    "a delivered": v("duban_deliveries_total{endpoint=a}{outcome=DELIVERED}") == by[("a", "DELIVERED")] == recv_a == 200,
    "flaky retrying": v("duban_deliveries_total{endpoint=flaky}{outcome=RETRYING}") == by[("flaky", "RETRYING")] == 10,
    "flaky dead": by[("flaky", "DEAD_LETTERED")] == 5,
    "circuit open": v("duban_webhook_circuit_open{endpoint=flaky}") == 1,
    "circuit a": v("duban_webhook_circuit_open{endpoint=a}") == 0,
    # 15 attempts in all; once the breaker is open they fail fast, unsent
    "flaky requests": v("duban_webhook_requests_total{endpoint=flaky}") == recv_flaky < 15,
    "queues empty": v("duban_webhook_queued{endpoint=a}") == 0 == v("duban_webhook_retry_queue{endpoint=flaky}"),
    "open alerts": v("duban_notifier_open_alerts") == 0,
    "produce errors": v("duban_produce_errors_total") == 0,
    "lag": [v("duban_consumer_lag{partition=%d}{topic=duban.alerts.v1}" % p) for p in (0, 1)] == [0, 0],
}
bad = [k for k, ok in checks.items() if not ok]
sys.exit("wrong: %s" % bad if bad else 0)
PY
}
wait_until 15 counters_match || fail "counters do not match the topics: $(tail -2 "$WORK/match.out")"
cat "$WORK/match.out"

# SIGHUP: D-x now goes to the new endpoint b
a_before=$(recv_count /a)
routes "$WORK/routes.json" b
kill -HUP "$NOTIFIER_PID"
wait_until 10 grep -q 'fac=RELOAD.*in force from the next alert' "$WORK/notifier.log" \
    || fail "no reload: $(tail -3 "$WORK/notifier.log")"
produce_alerts 1 --prefix hup --dept D-x
wait_until 20 count_is 1 recv_count /b || fail "the alert after SIGHUP did not reach b"
mark=$(wc -l <"$WORK/notifier.log")
wait_until 15 stats_settled "$WORK/notifier.log" "$mark" || fail "hup-0 not settled: $(tail -2 "$WORK/notifier.log")"
[ "$(recv_count /a)" -eq "$a_before" ] || fail "the alert after SIGHUP also went to a"
grep -q '"hup-0"' <(grep '"/b"' "$WORK/recv.jsonl") || fail "b did not get hup-0"

# SIGHUP with a broken file: refused, logged, the routing stays
printf '{"endpoints":[{"id":"a","url":"%s/a","format":"json"}],"routes":[' "$RECV" >"$WORK/routes.json"
kill -HUP "$NOTIFIER_PID"
wait_until 10 grep -q 'fac=RELOAD.*refused' "$WORK/notifier.log" || fail "broken file not refused"
line=$(grep 'fac=RELOAD.*refused' "$WORK/notifier.log")
echo "refused: $line"
[[ $line == *"$WORK/routes.json"* && $line == *"stays in force"* ]] || fail "log line: $line"
grep -q 'level=error' <<<"$line" || fail "not an error line: $line"
produce_alerts 1 --prefix broken --dept D-x
wait_until 20 count_is 2 recv_count /b || fail "after a broken file the alert did not reach b"
[ "$(recv_count /a)" -eq "$a_before" ] || fail "a broken file changed the routing"
ops_scrape m3 "${TYPES[@]}"
[ "$(ops_value m3 'duban_notifier_reloads_total{result=ok}')" -eq 1 ] || fail "reloads ok"
[ "$(ops_value m3 'duban_notifier_reloads_total{result=refused}')" -eq 1 ] || fail "reloads refused"
[ "$(ops_value m3 'duban_deliveries_total{endpoint=b}{outcome=DELIVERED}')" -eq 2 ] || fail "b delivered"

# the broker goes away for longer than the group session (6 s): the notifier
# loses its partitions while it is down, and wins them back when it returns.
# (Held down until the revocation, so that it cannot instead come during the
# SIGTERM below, when the drained request's partition would have no owner to
# commit it.)
mark=$(wc -l <"$WORK/notifier.log")
broker_cmd down -1
wait_until 30 ops_not_ready || fail "still ready with the broker down"
grep -q 'no broker answers' "$WORK/health.json" || fail "reason: $(cat "$WORK/health.json")"
rebalances() { tail -n +"$((mark + 1))" "$WORK/notifier.log" | grep -c "fac=REBALANCE msg=\"$1" || true; }
wait_until 30 count_is 2 rebalances revoked || fail "the session outlived the broker: $(rebalances revoked) revoked"
broker_cmd up -1
wait_until 60 ops_ready || fail "not ready again after the broker came back: $(cat "$WORK/health.json")"
wait_until 60 count_is 2 rebalances assigned \
    || fail "partitions not assigned again after the broker came back: $(grep REBALANCE "$WORK/notifier.log" | tail -3)"

# SIGTERM while a request to b is out (answered after 2 s): it ends, is
# recorded as DELIVERED and committed, the process exits 0; a restart in the
# same group sends only the alert produced after it
curl -sf "$RECV/_control?path=/b&mode=200:2*1" >/dev/null || fail "receiver control"
produce_alerts 1 --prefix drain --dept D-x
wait_until 20 grep -q '"drain-0"' "$WORK/recv.jsonl" || fail "drain-0 not sent"
kill -TERM "$NOTIFIER_PID"
wait "$NOTIFIER_PID" || fail "notifier exit status $? on SIGTERM"
grep -q 'fac=STOP.*letting 1 requests finish' "$WORK/notifier.log" \
    || fail "no request in flight at SIGTERM: $(grep STOP "$WORK/notifier.log")"
topic_json duban.deliveries.v1 | grep -q '"alert_id":"drain-0".*"outcome":"DELIVERED"' \
    || fail "the drained request's outcome is not on duban.deliveries.v1"
[ "$(grep -c '"drain-0"' "$WORK/recv.jsonl")" -eq 1 ] || fail "drain-0 sent more than once"
before=$(wc -l <"$WORK/recv.jsonl")
routes "$WORK/routes.json" b   # (it was left broken above)
start_notifier notifier2 --demo --routes "$WORK/routes.json"
wait_until 30 grep -q 'fac=RESUME' "$WORK/notifier2.log" || fail "restart did not resume"
grep -q ' 0 alerts after the committed offsets' "$WORK/notifier2.log" \
    || fail "not all committed at SIGTERM: $(grep RESUME "$WORK/notifier2.log")"
produce_alerts 1 --prefix sentinel --dept D-x
wait_until 20 grep -q '"sentinel-0"' "$WORK/recv.jsonl" || fail "sentinel not delivered"
mark=$(wc -l <"$WORK/notifier2.log")
wait_until 15 stats_settled "$WORK/notifier2.log" "$mark" || fail "not settled: $(tail -2 "$WORK/notifier2.log")"
new=$(tail -n +"$((before + 1))" "$WORK/recv.jsonl" | python3 -c '
import json, sys
print(" ".join(sorted(json.loads(l)["webhook_id"] for l in sys.stdin if l.strip())))')
[ "$new" = "sentinel-0" ] || fail "after the restart: $new (expected sentinel-0 only)"
stop_notifier
echo "1 passed, 0 failed"
