#!/usr/bin/env bash
# Issue 14 item 4, for duban-status: /metrics and /healthz on ops.listen
# (common/ops), next to the API. After a few requests the answers are counted
# by HTTP status (one 202, one 404, one 401 with a wrong token, one 403 for a
# role's forbidden move, one 409 for a move from the wrong state), the accepted write equals the events on
# duban.task-status.v1, the tasks gauge equals the tasks ingested, the feed's
# lag (duban_consumer_lag) is 0 on each partition of both topics, and the
# scrape parses as Prometheus text format (Debian's python3-prometheus-client).
# /healthz on the ops address answers as the API's does: 200 when rebuilt.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/notifier.bash"   # wait_until
source "$(dirname "$0")/lib/status.bash"
B=$DUBAN_BIN_DIR
"$DEBIAN_PYTHON" -c 'import prometheus_client' 2>/dev/null \
    || fail "python3-prometheus-client is missing (scripts/setup.sh installs it)"
start_broker --partitions 2
DOC='测试发〔2023〕9号'
status_simple_tasks "$DOC" A B C
HL=$(status_token department 区卫生健康局)
start_status --now 2023-06-10T10:00:00+08:00 --set ops.listen=127.0.0.1:0
wait_until 10 grep -q 'fac=OPS' "$WORK/serve.log" || fail "no ops endpoint: $(tail -3 "$WORK/serve.log")"
OPS=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1)
[ "$(curl -s -o "$WORK/h.json" -w '%{http_code}' "$OPS/healthz")" = 200 ] \
    || fail "ops /healthz: $(cat "$WORK/h.json")"

code() { curl -s -o "$WORK/resp" -w '%{http_code}' "$@"; }
c=$(code -H "Authorization: Bearer $HL" -d '{"to_status":"ACCEPTED"}' "http://$ADDR/v1/tasks/$(enc "$DOC#A")/status")
[ "$c" = 202 ] || fail "change: $c $(cat "$WORK/resp")"
c=$(code -H "Authorization: Bearer $HL" -d '{"to_status":"ACCEPTED"}' "http://$ADDR/v1/tasks/$(enc "$DOC#nope")/status")
[ "$c" = 404 ] || fail "unknown task: $c"
c=$(code -H "Authorization: Bearer wrong" "http://$ADDR/v1/tasks/$(enc "$DOC#A")")
[ "$c" = 401 ] || fail "wrong token: $c"
c=$(code -H "Authorization: Bearer $HL" -d '{"to_status":"REOPENED"}' "http://$ADDR/v1/tasks/$(enc "$DOC#B")/status")
[ "$c" = 403 ] || fail "a lead reopening: $c $(cat "$WORK/resp")"
c=$(code -H "Authorization: Bearer $HL" -d '{"to_status":"ACCEPTED"}' "http://$ADDR/v1/tasks/$(enc "$DOC#A")/status")
[ "$c" = 409 ] || fail "accepted twice: $c $(cat "$WORK/resp")"

# The gauges are copied every 100 ms: scrape until the page holds the
# wanted values (up to 3 s), then judge the last scrape.
metrics_ok() {
    curl -sf -D "$WORK/m.headers" "$OPS/metrics" >"$WORK/m.txt" || fail "GET /metrics"
    "$DEBIAN_PYTHON" - "$WORK/m.txt" >"$WORK/m.check" 2>&1 <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
got = {}
for fam in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
    for s in fam.samples:
        got[s.name + "".join("{%s=%s}" % kv for kv in sorted(s.labels.items()))] = s.value
want = {"duban_http_requests_total{code=202}": 1, "duban_http_requests_total{code=404}": 1,
        "duban_http_requests_total{code=401}": 1, "duban_http_requests_total{code=403}": 1,
        "duban_http_requests_total{code=409}": 1,
        "duban_status_writes_accepted_total": 1, "duban_status_tasks": 3, "duban_rebuilding": 0}
# the feed's lag: every partition of both topics, caught up
for topic in ("duban.tasks.v1", "duban.task-status.v1"):
    for p in ("0", "1"):
        want["duban_consumer_lag{partition=%s}{topic=%s}" % (p, topic)] = 0
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
print("metrics:", {k: got.get(k) for k in want})
assert not bad, bad
PY
}
wait_until 5 metrics_ok || true   # judged below, after the content type
grep -qi '^content-type: text/plain; version=0.0.4' "$WORK/m.headers" || fail "content type"
metrics_ok || fail "metrics: $(cat "$WORK/m.check") $(cat "$WORK/m.txt")"
cat "$WORK/m.check"
n=$("$B/duban-replay" -b "$BOOTSTRAP" --topic duban.task-status.v1 --exit-at-end 2>/dev/null | wc -l)
[ "$n" = 1 ] || fail "events on duban.task-status.v1: $n, the metric says 1"
echo "1 passed, 0 failed"
