#!/usr/bin/env bash
# Issue 14 item 4, for duban-analytics: /metrics and /healthz on ops.listen.
# /healthz turns ready once partitions are assigned; scraped while events
# flow, events in per topic and rows written (after their transaction
# committed) move and agree with what was produced and with the store; the
# undecodable message counts once and goes to the DLQ; consumer lag returns
# to 0; every scrape parses as Prometheus text. SIGTERM exits 0 with every
# row in the store.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"   # wait_until, produce_alerts
source "$(dirname "$0")/lib/ops.bash"
B=$DUBAN_BIN_DIR

start_broker --partitions 2
bg "$B/duban-analytics" -b "$BOOTSTRAP" "${GROUP_OPTS[@]}" --db "$WORK/a.db" \
    --set ops.listen=127.0.0.1:0 2>"$WORK/analytics.log"
AN_PID=$!
ops_url "$WORK/analytics.log"
wait_until 30 ops_ready || fail "never ready: $(cat "$WORK/health.json")"
TYPES=(duban_events_in=counter duban_analytics_rows_written=counter duban_consumer_lag=gauge)
ops_scrape m0 "${TYPES[@]}"
[ "$(ops_value m0 duban_partitions_assigned)" -eq 12 ] || fail "partitions assigned (6 topics x 2)"
[ "$(ops_value m0 'duban_events_in_total{topic=duban.alerts.v1}')" -eq 0 ] || fail "events before any"

# events flow: 3,000 alerts in three bursts, scraped meanwhile
: >"$WORK/series.txt"
rows() {
    ops_scrape m1 "${TYPES[@]}"
    echo "$(ops_value m1 'duban_events_in_total{topic=duban.alerts.v1}')" \
         "$(ops_value m1 'duban_analytics_rows_written_total{topic=duban.alerts.v1}')" \
         >>"$WORK/series.txt"
    [ "$(tail -1 "$WORK/series.txt" | cut -d' ' -f2)" -ge "$1" ]
}
for k in 1 2 3; do
    produce_alerts 1000 --prefix "b$k"
    rows 1 || true
done
printf 'duban.alerts.v1\tbad\t00000000ff\n' | "$B/duban-produce-json" --raw -b "$BOOTSTRAP" \
    2>/dev/null || fail "raw"
wait_until 30 rows 3000 || fail "rows written did not reach 3000: $(tail -2 "$WORK/series.txt")"
python3 - "$WORK/series.txt" <<'PY' || fail "counters did not move while events flowed"
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
print("%d scrapes: alerts in / rows written %s" % (len(rows), rows))
for i in range(2):
    assert all(rows[k][i] <= rows[k + 1][i] for k in range(len(rows) - 1)), ("went back", i)
assert len({r[1] for r in rows}) >= 2, "rows written never moved between scrapes"
assert all(r[1] <= r[0] for r in rows), "more rows than events"
PY
caught_up() {
    ops_scrape m2 "${TYPES[@]}"
    python3 - "$WORK/m2.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
lag = {k: v for k, v in m.items() if k.startswith("duban_consumer_lag{")}
ok = (len([k for k in lag if "duban.alerts.v1" in k]) == 2 and all(v == 0 for v in lag.values())
      and m.get("duban_events_out_total{topic=duban.dlq.v1}") == 1
      and m.get("duban_events_in_total{topic=duban.dlq.v1}") == 1)
sys.exit(0 if ok else 1)
PY
}
wait_until 30 caught_up || fail "lag not back to 0 or dead letter not read: $(grep -E 'lag|dlq' "$WORK/m2.txt")"
# the dead letter's batch commits within 500 ms: polled until the counters
# match the store
store_matches() {
    ops_scrape m2 "${TYPES[@]}"
    stored=$(sqlite3 "$WORK/a.db" 'select count(*) from alerts')
    python3 - "$WORK/m2.json" "$stored" >"$WORK/match.out" 2>&1 <<'PY'
import json, sys
m, stored = json.load(open(sys.argv[1])), int(sys.argv[2])
def v(k): return int(m.get(k, -1))
print("alerts in %d, rows %d, store %d, undecodable %d, dead letters in %d rows %d" % (
    v("duban_events_in_total{topic=duban.alerts.v1}"),
    v("duban_analytics_rows_written_total{topic=duban.alerts.v1}"), stored,
    v("duban_analytics_undecodable_total"), v("duban_events_in_total{topic=duban.dlq.v1}"),
    v("duban_analytics_rows_written_total{topic=duban.dlq.v1}")))
ok = (v("duban_events_in_total{topic=duban.alerts.v1}") == 3001
      and v("duban_analytics_rows_written_total{topic=duban.alerts.v1}") == stored == 3000
      and v("duban_analytics_undecodable_total") == 1
      and v("duban_analytics_rows_written_total{topic=duban.dlq.v1}") == 1
      and v("duban_events_in_total{topic=duban.tasks.v1}") == 0
      and v("duban_produce_errors_total") == 0 and v("duban_analytics_batches_total") >= 2)
sys.exit(0 if ok else 1)
PY
}
wait_until 10 store_matches || fail "counters do not match the store: $(cat "$WORK/match.out")"
cat "$WORK/match.out"

kill -TERM "$AN_PID"
wait "$AN_PID" || fail "analytics exit status $? on SIGTERM"
[ "$(sqlite3 "$WORK/a.db" 'select count(*) from dead_letters')" -eq 1 ] || fail "dead letter not stored"
echo "1 passed, 0 failed"
